/*
 * encoding.c -- legacy encodings through iconv, and detection (see
 * encoding.h for the contract).
 *
 * iconv decodes to UTF-32LE, so each call's output is whole code points
 * the caller encodes as UTF-8 itself and counts as characters.
 */
#include "encoding.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Decoding
 * ==================================================================== */

/* Windows-1252 0x80..0x9F; the five bytes it leaves undefined (81 8D 8F 90
 * 9D) map to the C1 controls of the same value, as Windows itself does. */
static const uint16_t cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

int32_t lode_encoding_cp1252(unsigned char c) {
  return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

static int32_t le32(const unsigned char *p) {
  return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24);
}

static iconv_t open_decoder(const char *encoding) {
  return iconv_open("UTF-32LE", encoding);
}

int lode_encoding_known(const char *encoding) {
  iconv_t cd;
  if (!encoding[0]) return 0;   /* iconv's "" is the locale's charset */
  cd = open_decoder(encoding);
  if (cd == (iconv_t)-1) return 0;
  iconv_close(cd);
  return 1;
}

/* What a byte iconv rejects becomes under `policy` (-1: an error). */
static int32_t rejected(unsigned char c, lode_invalid_policy policy) {
  switch (policy) {
    case LODE_INVALID_REPLACE: return 0xFFFD;
    case LODE_INVALID_LATIN1: return c;
    case LODE_INVALID_CP1252: return lode_encoding_cp1252(c);
    default: return -1;
  }
}

/* The growing output of a decoder. */
typedef struct sink {
  char *p;
  size_t len, cap;
} sink;

static int reserve(sink *o, size_t more) {
  if (o->cap - o->len < more + 1) {
    size_t cap = o->cap ? o->cap : 64;
    char *p;
    while (cap - o->len < more + 1) {
      if (cap > SIZE_MAX / 2) return LODE_ENOMEM;
      cap *= 2;
    }
    if (!(p = realloc(o->p, cap))) return LODE_ENOMEM;
    o->p = p;
    o->cap = cap;
  }
  return 0;
}

typedef struct job {
  const char *name, *encoding;
  const char *s;
  size_t len;
  lode_invalid_policy policy;
  sink out;
  lode_srcmap *map;
  size_t replaced;
  lode_error *err;
} job;

static int fail_nomem(job *j) {
  return lode_error_set(j->err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", j->name);
}

/* Byte s[at] is rejected (error policy), or decodes to NUL. */
static int fail_at(job *j, size_t at, int nul) {
  size_t line = lode_text_line_at(j->out.p, j->out.len, j->out.len);
  if (nul)
    return lode_error_set(j->err, LODE_EBINARY, at, line,
                          "%s:%zu: binary data: NUL character at byte %zu", j->name, line, at);
  return lode_error_set(j->err, LODE_EENCODING, at, line,
                        "%s:%zu: invalid %s byte 0x%02x at byte %zu", j->name, line,
                        j->encoding, (unsigned char)j->s[at], at);
}

/* Append code points cps[0, n), decoded together from `used` input bytes
 * starting at `at`. */
static int put(job *j, const int32_t *cps, size_t n, size_t used, size_t at) {
  size_t k, start = j->out.len;
  if (reserve(&j->out, 4 * n)) return fail_nomem(j);
  for (k = 0; k < n; k++) {
    if (cps[k] == 0) return fail_at(j, at, 1);
    j->out.len += lode_utf8_encode(cps[k], j->out.p + j->out.len);
  }
  if (n == 1 && used > 0 ? lode_srcmap_add(j->map, j->out.p + start, j->out.len - start,
                                           (unsigned)used)
                         : lode_srcmap_add_unit(j->map, j->out.len - start, used))
    return fail_nomem(j);
  return 0;
}

/* A rejected byte at s[at]: the policy's character, or the error. */
static int put_rejected(job *j, size_t at) {
  int32_t cp = rejected((unsigned char)j->s[at], j->policy);
  if (cp < 0) return fail_at(j, at, 0);
  j->replaced += cp == 0xFFFD;
  return put(j, &cp, 1, 1, at);
}

/* A stateless single-byte code page as a table (-1: a byte iconv
 * rejects). Returns 0 when the encoding is anything else: some byte
 * starts a longer sequence, shifts state (no output) or gives two
 * characters. */
static int sbcs_table(iconv_t cd, int32_t table[256]) {
  int b;
  for (b = 0; b < 256; b++) {
    char in = (char)b, *ip = &in;
    unsigned char u[8];
    char *op = (char *)u;
    size_t il = 1, ol = sizeof u;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
      if (errno != EILSEQ) return 0;
      table[b] = -1;
      continue;
    }
    iconv(cd, NULL, NULL, &op, &ol);   /* a character held back to combine */
    if (sizeof u - ol != 4) return 0;
    table[b] = le32(u);
  }
  return 1;
}

/* Single-byte decoding through the table: one byte, one character, each
 * written as a 4-byte store of its UTF-8 (the buffer has the slack). */
static int decode_sbcs(job *j, const int32_t table[256]) {
  uint32_t utf8[256];
  unsigned char ulen[256], rej[256];
  const unsigned char *u = (const unsigned char *)j->s;
  size_t i, k, total = 0, replaced = 0, o = 0;
  int b;
  for (b = 0; b < 256; b++) {
    int32_t cp = table[b] >= 0 ? table[b] : rejected((unsigned char)b, j->policy);
    char bytes[4] = {0, 0, 0, 0};
    ulen[b] = cp > 0 ? (unsigned char)lode_utf8_encode(cp, bytes) : 0;
    memcpy(&utf8[b], bytes, 4);
    rej[b] = table[b] < 0 && cp == 0xFFFD;   /* a replacement, not a fallback */
  }
  for (i = 0; i < j->len; i++) {
    if (ulen[u[i]] == 0) break;   /* NUL, or rejected under "error" */
    total += ulen[u[i]];
    replaced += rej[u[i]];
  }
  if (reserve(&j->out, total + 3)) return fail_nomem(j);
  for (k = 0; k < i; k++) {
    memcpy(j->out.p + o, &utf8[u[k]], 4);
    o += ulen[u[k]];
  }
  j->out.len = o;
  if (i < j->len) return fail_at(j, i, table[u[i]] == 0);   /* the text so far: its line */
  j->replaced = replaced;
  return lode_srcmap_add(j->map, j->out.p, j->out.len, 1) ? fail_nomem(j) : 0;
}

/* Longest input sequence fed to iconv for one step, and the most
 * characters one step may give. */
#define STEP_IN 16
#define STEP_OUT 8

/* Any other encoding, a step at a time: iconv gets 1, 2, ... bytes until
 * it makes progress, so each step's input bytes are those of the
 * characters it gave. */
static int decode_steps(job *j, iconv_t cd) {
  size_t i = 0;
  unsigned char u[4 * STEP_OUT];
  int32_t cps[STEP_OUT];
  iconv(cd, NULL, NULL, NULL, NULL);
  while (i < j->len) {
    size_t k, used = 0, n = 0, left = j->len - i;
    int rc;
    for (k = 1; k <= left && k <= STEP_IN; k++) {
      char *ip = (char *)(uintptr_t)(j->s + i), *op = (char *)u;
      size_t il = k, ol = sizeof u;
      size_t r = iconv(cd, &ip, &il, &op, &ol);
      used = k - il;
      n = (sizeof u - ol) / 4;
      if (used > 0 || n > 0 || r != (size_t)-1 || errno != EINVAL) break;
    }
    if (used == 0 && n == 0) {   /* rejected, or cut off at the end */
      if ((rc = put_rejected(j, i)) != 0) return rc;
      iconv(cd, NULL, NULL, NULL, NULL);
      i++;
      continue;
    }
    for (k = 0; k < n; k++) cps[k] = le32(u + 4 * k);
    if (n == 0) lode_srcmap_skip(j->map, used);
    else if ((rc = put(j, cps, n, used, i)) != 0) return rc;
    i += used;
  }
  {   /* a character held back to the end */
    char *op = (char *)u;
    size_t ol = sizeof u, k, n;
    iconv(cd, NULL, NULL, &op, &ol);
    n = (sizeof u - ol) / 4;
    for (k = 0; k < n; k++) cps[k] = le32(u + 4 * k);
    if (n > 0) return put(j, cps, n, 0, j->len);
  }
  return 0;
}

int lode_encoding_decode(const char *name, const char *encoding, const char *s, size_t len,
                         lode_invalid_policy policy, lode_decoded *out, lode_error *err) {
  job j;
  int32_t table[256];
  iconv_t cd;
  int rc;
  memset(out, 0, sizeof *out);
  if (!name) name = "<string>";
  if (!encoding[0] || (cd = open_decoder(encoding)) == (iconv_t)-1)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "%s: unknown encoding \"%s\"", name,
                          encoding);
  memset(&j, 0, sizeof j);
  j.name = name;
  j.encoding = encoding;
  j.s = s;
  j.len = len;
  j.policy = policy;
  j.err = err;
  if (!(j.map = lode_srcmap_new()) || reserve(&j.out, 0)) rc = fail_nomem(&j);
  else if (sbcs_table(cd, table)) rc = decode_sbcs(&j, table);
  else rc = decode_steps(&j, cd);
  iconv_close(cd);
  if (rc != 0) {
    free(j.out.p);
    lode_srcmap_free(j.map);
    return rc;
  }
  j.out.p[j.out.len] = '\0';
  out->bytes = j.out.p;
  out->len = j.out.len;
  out->map = j.map;
  out->replaced = j.replaced;
  return 0;
}

/* ======================================================================
 * Detection
 * ==================================================================== */

#define DECLARED_WITHIN 8192

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* First case-insensitive occurrence of `needle` (lower case) in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle) {
  size_t n = strlen(needle);
  for (; (size_t)(end - p) >= n; p++) {
    size_t k = 0;
    while (k < n && lower((unsigned char)p[k]) == needle[k]) k++;
    if (k == n) return p;
  }
  return NULL;
}

/* The value after `key` at p ("charset", "encoding"): spaces, '=', spaces,
 * an optional quote, then a name; lower-cased into name. 1 if one. */
static int read_value(const char *p, const char *end, size_t keylen, char *name) {
  size_t n = 0;
  p += keylen;
  while (p < end && (*p == ' ' || *p == '\t')) p++;
  if (p >= end || *p != '=') return 0;
  p++;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')) p++;
  while (p < end && n + 1 < LODE_ENCODING_NAME_MAX &&
         ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_' || *p == '.' || *p == ':'))
    name[n++] = (char)lower((unsigned char)*p++);
  name[n] = '\0';
  return n > 0;
}

/* Labels browsers read as Windows-1252 (WHATWG Encoding). */
static int latin1_label(const char *name) {
  static const char *const labels[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
                                       "l1", "us-ascii", "ascii", "cp819", NULL};
  int k;
  for (k = 0; labels[k]; k++)
    if (strcmp(name, labels[k]) == 0) return 1;
  return 0;
}

/* A name worth believing for a file that is not UTF-8. */
static int believable(char *name) {
  if (latin1_label(name)) strcpy(name, "cp1252");
  return strncmp(name, "utf", 3) != 0 && strncmp(name, "ucs", 3) != 0 &&
         lode_encoding_known(name);
}

static const char *declared(const char *s, size_t len, char *name) {
  const char *end = s + (len < DECLARED_WITHIN ? len : DECLARED_WITHIN), *p = s, *q;
  if (len >= 5 && memcmp(s, "<?xml", 5) == 0) {
    const char *close = find_ci(s, end, "?>");
    if ((q = find_ci(s, close ? close : end, "encoding")) != NULL &&
        read_value(q, close ? close : end, 8, name) && believable(name))
      return "XML declaration";
  }
  while ((p = find_ci(p, end, "<meta")) != NULL) {
    const char *tag_end = memchr(p, '>', (size_t)(end - p));
    if (!tag_end) tag_end = end;
    if ((q = find_ci(p, tag_end, "charset")) != NULL && read_value(q, tag_end, 7, name) &&
        believable(name))
      return find_ci(p, tag_end, "http-equiv") ? "<meta http-equiv>" : "<meta charset>";
    p = tag_end;
  }
  name[0] = '\0';
  return NULL;
}

/* An 8-bit file rather than UTF-8 with some bad bytes: at least three
 * "8-bit letters" (a byte >= 0xC0 not followed by a continuation byte,
 * which no UTF-8 lead byte can be), and more than twice as many of them
 * as sequences shaped like UTF-8 (valid ones, and broken ones: a lead
 * byte with continuation bytes after it). */
static int looks_8bit(const char *s, size_t len) {
  size_t i = 0, letters = 0, shaped = 0;
  int32_t cp;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    size_t n;
    if (c < 0x80) {
      i++;
    } else if ((n = lode_utf8_decode(s, len, i, &cp)) != 0) {
      shaped++;
      i += n;
    } else {
      if (c >= 0xC0) {
        if (i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) shaped++;
        else letters++;
      }
      i += lode_utf8_invalid_len(s, len, i);
    }
  }
  return letters >= 3 && letters > 2 * shaped;
}

static const char *guess(const char *s, size_t len, char *name) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i, letters = 0, paired = 0, upper = 0, lower_half = 0;
  for (i = 0; i < len; i++) {
    if (u[i] < 0xC0) continue;
    letters++;
    paired += (i > 0 && u[i - 1] >= 0x80) || (i + 1 < len && u[i + 1] >= 0x80);
    if (u[i] < 0xE0) upper++;
    else lower_half++;
  }
  if (letters > 0 && 2 * paired > letters) {
    if (lower_half >= upper) {
      strcpy(name, "cp1251");
      return "guess: Cyrillic, lower case at 0xE0-0xFF (cp1251)";
    }
    strcpy(name, "koi8-r");
    return "guess: Cyrillic, lower case at 0xC0-0xDF (KOI8-R)";
  }
  strcpy(name, "cp1252");
  return "guess: 8-bit letters between ASCII ones (Western European)";
}

const char *lode_encoding_detect(const char *s, size_t len, char *name) {
  const char *why = declared(s, len, name);
  if (why) return why;
  if (!looks_8bit(s, len)) return NULL;
  return guess(s, len, name);
}
