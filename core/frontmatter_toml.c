/*
 * frontmatter_toml.c -- the TOML front matter reader (see frontmatter.h).
 *
 * Reads what Hugo and Zola front matter holds: `key = value` lines with
 * bare, quoted and dotted keys; basic, literal and multi-line strings
 * (escapes decoded); numbers, booleans and dates kept as written; arrays
 * of those (one field with an item each; nested arrays skipped); inline
 * tables flattened like tables; `[table]` headers prefix the keys after
 * them, keys under `[[array]]` headers are skipped. Anything else is
 * malformed: the first problem stops the reading with its byte offset.
 */
#include "frontmatter_build.h"
#include "frontmatter.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct toml {
  lode_fmb *b;
  const char *s;
  size_t p, e;       /* reading at s[p], the block ends at e */
  size_t *where;     /* the problem's offset */
  char *msg;
  size_t cap;
  char *buf;         /* the string being decoded */
  size_t blen, bcap;
  int mute;          /* under an [[array]] header: read, keep nothing */
  int depth;         /* inline tables inside each other */
} toml;

/* Record a problem at byte `at`; returns 1 (malformed). */
static int fail(toml *t, size_t at, const char *fmt, ...) {
  va_list ap;
  *t->where = at;
  va_start(ap, fmt);
  vsnprintf(t->msg, t->cap, fmt, ap);
  va_end(ap);
  return 1;
}

static int put(toml *t, const char *v, size_t n) {
  if (n == 0) return 0;  /* an empty string: buf may still be NULL */
  if (n > t->bcap - t->blen) {
    size_t cap = t->bcap ? t->bcap : 64;
    char *q;
    while (cap < t->blen + n) cap *= 2;
    if ((q = realloc(t->buf, cap)) == NULL) return -1;
    t->buf = q;
    t->bcap = cap;
  }
  memcpy(t->buf + t->blen, v, n);
  t->blen += n;
  return 0;
}

static int is_nl(char c) { return c == '\n' || c == '\r'; }

static void skip_ws(toml *t) {
  while (t->p < t->e && (t->s[t->p] == ' ' || t->s[t->p] == '\t')) t->p++;
}

/* Past one line break at s[p] (LF, CRLF or CR). */
static void skip_nl(toml *t) {
  if (t->p < t->e && t->s[t->p] == '\r') t->p++;
  if (t->p < t->e && t->s[t->p] == '\n') t->p++;
}

/* Blanks, line breaks and comments (between array items, between lines). */
static void skip_space(toml *t) {
  for (;;) {
    skip_ws(t);
    if (t->p < t->e && t->s[t->p] == '#')
      while (t->p < t->e && !is_nl(t->s[t->p])) t->p++;
    if (t->p >= t->e || !is_nl(t->s[t->p])) return;
    skip_nl(t);
  }
}

/* After a value or a header: blanks, a comment, then the line's end. */
static int end_line(toml *t) {
  skip_ws(t);
  if (t->p < t->e && t->s[t->p] == '#')
    while (t->p < t->e && !is_nl(t->s[t->p])) t->p++;
  if (t->p < t->e && !is_nl(t->s[t->p]))
    return fail(t, t->p, "unexpected '%c' after the value", t->s[t->p]);
  skip_nl(t);
  return 0;
}

/* ---- strings ------------------------------------------------------------------- */

/* One escape at s[p] (the byte after the backslash) into the buffer. */
static int escape(toml *t) {
  static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
  const char *k;
  char c = t->s[t->p], u[4];
  int digits = c == 'u' ? 4 : c == 'U' ? 8 : 0, i;
  unsigned long cp = 0;
  size_t at = t->p - 1, n;
  if (!digits) {
    if (c == '\0' || (k = strchr(from, c)) == NULL) return fail(t, at, "unknown escape '\\%c'", c);
    t->p++;
    return put(t, &to[k - from], 1);
  }
  if (t->e - t->p <= (size_t)digits) return fail(t, at, "short \\%c escape", c);
  for (i = 1; i <= digits; i++) {
    char h = t->s[t->p + (size_t)i];
    int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
    if (v < 0) return fail(t, at, "bad hex digit in \\%c escape", c);
    cp = cp * 16 + (unsigned long)v;
  }
  if (cp > 0x10FFFF || (n = lode_utf8_encode((int32_t)cp, u)) == 0)
    return fail(t, at, "\\%c escape of U+%04lX, not a character", c, cp);
  t->p += (size_t)digits + 1;
  return put(t, u, n);
}

/* A string at s[p] (its opening quote) into buf[0, blen); [*a, *z) the
 * text between the quotes. */
static int string(toml *t, size_t *a, size_t *z) {
  const char *s = t->s;
  char q = s[t->p];
  int multi = t->e - t->p >= 3 && s[t->p + 1] == q && s[t->p + 2] == q;
  size_t open = t->p;
  t->blen = 0;
  t->p += multi ? 3 : 1;
  if (multi && t->p < t->e && is_nl(s[t->p])) skip_nl(t);  /* the first line break is not content */
  *a = t->p;
  for (;;) {
    size_t run = t->p;
    int rc;
    while (t->p < t->e && s[t->p] != q && (q == '\'' || s[t->p] != '\\') &&
           (multi || !is_nl(s[t->p])))
      t->p++;
    if ((rc = put(t, s + run, t->p - run)) != 0) return rc;
    if (t->p >= t->e || (!multi && is_nl(s[t->p])))
      return fail(t, open, "string never closed");
    if (s[t->p] == q) {
      size_t k = 0;
      if (!multi) break;
      while (t->p + k < t->e && s[t->p + k] == q) k++;
      if (k > 5) return fail(t, t->p, "too many quotes in a row");
      /* the last three quotes of a run close the string; up to two before are content */
      if ((rc = put(t, s + t->p, k >= 3 ? k - 3 : k)) != 0) return rc;
      t->p += k >= 3 ? k - 3 : k;
      if (k >= 3) break;
      continue;
    }
    t->p++;   /* a backslash in a basic string */
    if (multi && t->p < t->e && (s[t->p] == ' ' || s[t->p] == '\t' || is_nl(s[t->p]))) {
      size_t k = t->p;
      while (k < t->e && (s[k] == ' ' || s[k] == '\t')) k++;
      if (k < t->e && is_nl(s[k])) {    /* a line-ending backslash joins lines */
        t->p = k;
        while (t->p < t->e && (s[t->p] == ' ' || s[t->p] == '\t' || is_nl(s[t->p]))) t->p++;
        continue;
      }
    }
    if (t->p >= t->e) return fail(t, open, "string never closed");
    if ((rc = escape(t)) != 0) return rc;
  }
  *z = t->p;
  t->p += multi ? 3 : 1;
  return 0;
}

/* ---- keys and values ------------------------------------------------------------ */

static int is_bare(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

/* A dotted key at s[p] appended to the path kept to `keep` bytes. */
static int key(toml *t, size_t keep) {
  for (;;) {
    int rc;
    skip_ws(t);
    if (t->p < t->e && (t->s[t->p] == '"' || t->s[t->p] == '\'')) {
      size_t a, z;
      if (t->e - t->p >= 3 && t->s[t->p + 1] == t->s[t->p] && t->s[t->p + 2] == t->s[t->p])
        return fail(t, t->p, "a multi-line string as a key");
      if ((rc = string(t, &a, &z)) != 0) return rc;
      rc = lode_fmb_key(t->b, keep, '.', t->buf, t->blen);
    } else {
      size_t a = t->p;
      while (t->p < t->e && is_bare(t->s[t->p])) t->p++;
      if (t->p == a)
        return fail(t, a, t->p < t->e ? "expected a key, found '%c'" : "expected a key",
                    t->p < t->e ? t->s[t->p] : ' ');
      rc = lode_fmb_key(t->b, keep, '.', t->s + a, t->p - a);
    }
    if (rc) return rc;
    keep = t->b->plen;
    skip_ws(t);
    if (t->p >= t->e || t->s[t->p] != '.') return 0;
    t->p++;
  }
}

/* A number, boolean or date as written: [*a, *z). A local date-time may
 * have a space between date and time. */
static int bare_value(toml *t, size_t *a, size_t *z) {
  const char *s = t->s;
  *a = t->p;
  while (t->p < t->e && (is_bare(s[t->p]) || strchr("+.:", s[t->p]))) t->p++;
  if (t->p - *a == 10 && s[*a + 4] == '-' && t->e - t->p >= 3 && s[t->p] == ' ' &&
      s[t->p + 1] >= '0' && s[t->p + 1] <= '9') {
    t->p++;
    while (t->p < t->e && (is_bare(s[t->p]) || strchr("+.:", s[t->p]))) t->p++;
  }
  *z = t->p;
  if (*z == *a)
    return fail(t, *a, t->p < t->e ? "expected a value, found '%c'" : "expected a value",
                t->p < t->e ? s[t->p] : ' ');
  if ((s[*a] >= '0' && s[*a] <= '9') || s[*a] == '+' || s[*a] == '-') return 0;
  if ((*z - *a == 4 && memcmp(s + *a, "true", 4) == 0) ||
      (*z - *a == 5 && memcmp(s + *a, "false", 5) == 0) ||
      (*z - *a == 3 && (memcmp(s + *a, "inf", 3) == 0 || memcmp(s + *a, "nan", 3) == 0)))
    return 0;
  return fail(t, *a, "bare word '%.*s' (strings need quotes)", (int)(*z - *a < 40 ? *z - *a : 40),
              s + *a);
}

/* A scalar at s[p] into buf (strings) or as written; [*a, *z) its span. */
static int scalar(toml *t, size_t *a, size_t *z) {
  int rc;
  if (t->s[t->p] == '"' || t->s[t->p] == '\'') return string(t, a, z);
  if ((rc = bare_value(t, a, z)) != 0) return rc;
  t->blen = 0;
  return put(t, t->s + *a, *z - *a);
}

/* Skip a nested array or inline table at s[p] (items read, nothing kept). */
static int skip_nested(toml *t) {
  size_t open = t->p, depth = 0;
  do {
    char c;
    int rc;
    skip_space(t);
    if (t->p >= t->e) return fail(t, open, "'%c' never closed", t->s[open]);
    c = t->s[t->p];
    if (c == '[' || c == '{') depth++, t->p++;
    else if (c == ']' || c == '}') depth--, t->p++;
    else if (c == ',' || c == '=') t->p++;
    else if (c == '"' || c == '\'') {
      size_t a, z;
      if ((rc = string(t, &a, &z)) != 0) return rc;
    } else {   /* a key, number, boolean or date */
      size_t a = t->p;
      while (t->p < t->e && (is_bare(t->s[t->p]) || strchr("+.:", t->s[t->p]))) t->p++;
      if (t->p == a) return fail(t, a, "unexpected '%c'", c);
    }
  } while (depth);
  return 0;
}

static int value(toml *t);

/* An array at s[p]: one list field, an item per scalar. */
static int array(toml *t) {
  size_t open = t->p;
  int rc;
  if (!t->mute && (rc = lode_fmb_field_add(t->b, 1, open, open)) != 0) return rc;
  t->p++;
  for (;;) {
    skip_space(t);
    if (t->p >= t->e) return fail(t, open, "array never closed");
    if (t->s[t->p] == ']') break;
    if (t->s[t->p] == '[' || t->s[t->p] == '{') {
      if ((rc = skip_nested(t)) != 0) return rc;
    } else {
      size_t a, z;
      if ((rc = scalar(t, &a, &z)) != 0) return rc;
      if (!t->mute && (rc = lode_fmb_item_add(t->b, t->buf, t->blen, a, z)) != 0) return rc;
      if (!t->mute) t->b->fields[t->b->nfields - 1].end = z;  /* so far, if it never closes */
    }
    skip_space(t);
    if (t->p >= t->e) return fail(t, open, "array never closed");
    if (t->s[t->p] == ',') t->p++;
    else if (t->s[t->p] != ']') return fail(t, t->p, "expected ',' or ']' in the array");
  }
  t->p++;
  if (!t->mute) t->b->fields[t->b->nfields - 1].end = t->p;
  return 0;
}

/* An inline table at s[p]: its keys are fields under the current path. */
static int inline_table(toml *t) {
  size_t keep = t->b->plen, open = t->p;
  int rc;
  if (t->depth >= LODE_FM_MAX_DEPTH) return skip_nested(t);
  t->depth++;
  t->p++;
  skip_ws(t);
  while (t->p < t->e && t->s[t->p] != '}') {
    if ((rc = key(t, keep)) != 0) return rc;
    if (t->p >= t->e || t->s[t->p] != '=') return fail(t, t->p, "expected '=' after the key");
    t->p++;
    skip_ws(t);
    if ((rc = value(t)) != 0) return rc;
    skip_ws(t);
    if (t->p < t->e && t->s[t->p] == ',') {
      t->p++;
      skip_ws(t);
    } else if (t->p >= t->e || t->s[t->p] != '}') {
      return fail(t, t->p < t->e ? t->p : open, "expected ',' or '}' in the inline table");
    }
  }
  if (t->p >= t->e) return fail(t, open, "inline table never closed");
  t->p++;
  t->depth--;
  return 0;
}

/* The value of the key now in the path. */
static int value(toml *t) {
  size_t a, z;
  int rc;
  if (t->p >= t->e || is_nl(t->s[t->p])) return fail(t, t->p, "expected a value after '='");
  if (t->s[t->p] == '[') return array(t);
  if (t->s[t->p] == '{') return inline_table(t);
  if ((rc = scalar(t, &a, &z)) != 0 || t->mute) return rc;
  if ((rc = lode_fmb_field_add(t->b, 0, a, z)) != 0) return rc;
  return lode_fmb_item_add(t->b, t->buf, t->blen, a, z);
}

/* A [table] or [[array of tables]] header at s[p]. */
static int header(toml *t, size_t *table_keep) {
  int rc, twice = t->e - t->p >= 2 && t->s[t->p + 1] == '[';
  size_t open = t->p;
  t->p += twice ? 2 : 1;
  if ((rc = key(t, 0)) != 0) return rc;
  if (t->e - t->p < (size_t)(twice ? 2 : 1) || t->s[t->p] != ']' || (twice && t->s[t->p + 1] != ']'))
    return fail(t, open, "table header never closed");
  t->p += twice ? 2 : 1;
  t->mute = twice;
  *table_keep = t->b->plen;
  return end_line(t);
}

int lode_fm_toml(lode_fmb *b, const char *s, size_t p, size_t e, size_t *where,
                 char *msg, size_t cap) {
  toml t = {b, s, p, e, where, msg, cap, NULL, 0, 0, 0, 0};
  size_t table_keep = 0, valid = p + lode_utf8_valid_prefix(s + p, e - p);
  const char *nul = memchr(s + p, '\0', e - p);
  int rc = 0;
  /* Junk stops the reading where it starts: only the text before it is read. */
  if (nul && (size_t)(nul - s) < valid) valid = (size_t)(nul - s);
  t.e = valid;
  for (;;) {
    skip_space(&t);
    if (t.p >= t.e) break;
    if (s[t.p] == '[') {
      if ((rc = header(&t, &table_keep)) != 0) break;
      continue;
    }
    if ((rc = key(&t, table_keep)) != 0) break;
    if (t.p >= t.e || s[t.p] != '=') {
      rc = fail(&t, t.p, "expected '=' after the key");
      break;
    }
    t.p++;
    skip_ws(&t);
    if ((rc = value(&t)) != 0 || (rc = end_line(&t)) != 0) break;
  }
  if (valid < e)   /* junk cut the reading short: that is the problem to name */
    rc = fail(&t, valid, valid < e && s[valid] == '\0' ? "NUL byte" : "invalid UTF-8 byte 0x%02x",
              (unsigned char)s[valid]);
  free(t.buf);
  return rc;
}
