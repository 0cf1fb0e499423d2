/*
 * dataset.c -- CSV records, JSON string members, fields decoded with a map.
 */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* 1-based line of byte `pos` (LF, CRLF, lone CR), for error messages. */
static size_t line_of(const char *s, size_t pos) {
  size_t k, line = 1;
  for (k = 0; k < pos; k++)
    if (s[k] == '\n' || (s[k] == '\r' && (k + 1 >= pos || s[k + 1] != '\n'))) line++;
  return line;
}

/* Past the line break ending the line that holds `pos` (or len). */
static size_t next_line(const char *s, size_t len, size_t pos) {
  while (pos < len && s[pos] != '\n' && s[pos] != '\r') pos++;
  if (pos < len && s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n') pos++;
  return pos < len ? pos + 1 : len;
}

static int broken(const char *name, const char *s, size_t len, size_t at, size_t resume,
                  size_t *next, lode_error *err, const char *what) {
  size_t line = line_of(s, at);
  *next = next_line(s, len, resume);
  return lode_error_set(err, LODE_ESYNTAX, at, line, "%s:%zu: %s at byte %zu",
                        name ? name : "<string>", line, what, at);
}

int lode_csv_record(const char *name, const char *s, size_t len, size_t pos,
                    lode_csv_field **fields, size_t *cap, size_t *nfields,
                    size_t *next, lode_error *err) {
  size_t n = 0;
  for (;;) {
    lode_csv_field f = {pos, pos, 0};
    if (n == *cap) {
      size_t c = *cap ? 2 * *cap : 16;
      lode_csv_field *p = realloc(*fields, c * sizeof *p);
      if (!p) return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory reading CSV");
      *fields = p;
      *cap = c;
    }
    if (pos < len && s[pos] == '"') {
      size_t open = pos++;
      f.quoted = 1;
      f.start = pos;
      for (;;) {
        const char *q = pos < len ? memchr(s + pos, '"', len - pos) : NULL;
        if (!q) {
          *nfields = n;
          return broken(name, s, len, open, open, next, err, "quote never closes: opened");
        }
        pos = (size_t)(q - s) + 1;
        if (pos < len && s[pos] == '"') {
          pos++;
          continue;
        }
        f.end = pos - 1;
        break;
      }
      if (pos < len && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
        *nfields = n;
        return broken(name, s, len, pos, pos, next, err, "text after a closing quote");
      }
    } else {
      while (pos < len && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') pos++;
      f.end = pos;
    }
    (*fields)[n++] = f;
    if (pos < len && s[pos] == ',') {
      pos++;
      continue;
    }
    *nfields = n;
    *next = pos < len ? next_line(s, len, pos) : len;
    return 0;
  }
}

/* ---- JSON ---------------------------------------------------------------- */

static size_t skip_ws(const char *s, size_t len, size_t k) {
  while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) k++;
  return k;
}

/* s[k] is '"': the offset of the closing quote, or len. A quote closes
 * the string unless an odd run of backslashes escapes it. */
static size_t string_end(const char *s, size_t len, size_t k) {
  size_t start = k + 1;
  for (k = start; k < len;) {
    const char *q = memchr(s + k, '"', len - k);
    size_t e, b;
    if (!q) return len;
    for (e = b = (size_t)(q - s); b > start && s[b - 1] == '\\'; b--) {}
    if ((e - b) % 2 == 0) return e;
    k = e + 1;
  }
  return len;
}

/* Past the value starting at s[k] (a string, object, array or literal). */
static size_t skip_value(const char *s, size_t len, size_t k) {
  size_t depth = 0;
  for (; k < len; k++) {
    char ch = s[k];
    if (ch == '"') {
      if ((k = string_end(s, len, k)) == len) return len;
      if (depth == 0) return k + 1;
    } else if (ch == '{' || ch == '[') {
      depth++;
    } else if (ch == '}' || ch == ']') {
      if (depth == 0) return k;
      if (--depth == 0) return k + 1;
    } else if (depth == 0 && (ch == ',' || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')) {
      return k;
    }
  }
  return len;
}

int lode_json_string_span(const char *s, size_t len, const char *key, size_t klen,
                          size_t *start, size_t *end) {
  size_t k = skip_ws(s, len, 0);
  if (k == len || s[k] != '{') return LODE_ESYNTAX;
  for (k++;;) {
    size_t ks, ke;
    k = skip_ws(s, len, k);
    if (k < len && s[k] == '}') return 0;
    if (k == len || s[k] != '"') return LODE_ESYNTAX;
    ks = k + 1;
    if ((ke = string_end(s, len, k)) == len) return LODE_ESYNTAX;
    k = skip_ws(s, len, ke + 1);
    if (k == len || s[k] != ':') return LODE_ESYNTAX;
    k = skip_ws(s, len, k + 1);
    if (k == len) return LODE_ESYNTAX;
    if (s[k] == '"' && ke - ks == klen && memcmp(s + ks, key, klen) == 0) {
      size_t ve = string_end(s, len, k);
      if (ve == len) return LODE_ESYNTAX;
      *start = k + 1;
      *end = ve;
      return 1;
    }
    k = skip_ws(s, len, skip_value(s, len, k));
    if (k < len && s[k] == ',') k++;
    else if (k < len && s[k] == '}') return 0;
    else return LODE_ESYNTAX;
  }
}

/* ---- fields -------------------------------------------------------------- */

static int hex4(const char *s, size_t k, size_t end, unsigned *v) {
  size_t i;
  *v = 0;
  if (k + 4 > end) return 0;
  for (i = k; i < k + 4; i++) {
    char c = s[i];
    unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
               : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
    if (d == 16) return 0;
    *v = *v * 16 + d;
  }
  return 1;
}

/* One JSON escape at file[k] ('\\'): its UTF-8 into out (room for 4
 * bytes), the bytes written into *n; returns the escape's length. */
static size_t json_escape(const char *s, size_t k, size_t end, char *out, size_t *n) {
  unsigned cp, lo;
  const char *simple = "\"\"\\\\//b\bf\fn\nr\rt\t";
  size_t i;
  if (k + 1 >= end) {
    *n = lode_utf8_encode(0xFFFD, out);
    return 1;
  }
  for (i = 0; simple[i]; i += 2)
    if (s[k + 1] == simple[i]) {
      out[0] = simple[i + 1];
      *n = 1;
      return 2;
    }
  if (s[k + 1] != 'u' || !hex4(s, k + 2, end, &cp)) {
    *n = lode_utf8_encode(0xFFFD, out);
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDBFF && k + 12 <= end && s[k + 6] == '\\' && s[k + 7] == 'u' &&
      hex4(s, k + 8, end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
    *n = lode_utf8_encode((int32_t)(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)), out);
    return 12;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
  *n = lode_utf8_encode((int32_t)cp, out);
  return 6;
}

int lode_field_decode(const char *file, size_t start, size_t end, lode_field_kind kind,
                      size_t first_line, char **text, size_t *len, lode_filemap **map,
                      lode_error *err) {
  char *t = malloc(2 * (end - start) + 4);   /* a bad 2-byte escape grows to 3 */
  lode_filemap *m = lode_filemap_new();
  size_t k = start, o = 0;
  int rc = t && m ? lode_filemap_set_lines(m, file, start, end, first_line) : LODE_ENOMEM;
  while (rc == 0 && k < end) {
    size_t run = k, n;
    char esc = kind == LODE_FIELD_CSV ? '"' : kind == LODE_FIELD_JSON ? '\\' : '\0';
    const char *q = esc ? memchr(file + k, esc, end - k) : NULL;
    size_t stop = q ? (size_t)(q - file) : end;
    memcpy(t + o, file + run, stop - run);
    rc = lode_filemap_add(m, o, stop - run, run, stop - run, 1);
    o += stop - run;
    k = stop;
    if (rc < 0 || k == end) break;
    if (kind == LODE_FIELD_CSV) {
      t[o] = '"';
      n = 1;
      run = k + 1 < end && file[k + 1] == '"' ? 2 : 1;
    } else {
      run = json_escape(file, k, end, t + o, &n);
    }
    rc = lode_filemap_add(m, o, n, k, run, 0);
    o += n;
    k += run;
  }
  if (rc < 0) {
    free(t);
    lode_filemap_free(m);
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory decoding a field");
  }
  t[o] = '\0';
  *text = t;
  *len = o;
  *map = m;
  return 0;
}
