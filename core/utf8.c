/*
 * utf8.c -- strict UTF-8 (RFC 3629) validation, decoding and encoding.
 *
 * The well-formed byte sequences are exactly those of Unicode 15, table 3-7:
 *
 *   U+0000..U+007F     00..7F
 *   U+0080..U+07FF     C2..DF  80..BF
 *   U+0800..U+0FFF     E0      A0..BF  80..BF
 *   U+1000..U+CFFF     E1..EC  80..BF  80..BF
 *   U+D000..U+D7FF     ED      80..9F  80..BF
 *   U+E000..U+FFFF     EE..EF  80..BF  80..BF
 *   U+10000..U+3FFFF   F0      90..BF  80..BF  80..BF
 *   U+40000..U+FFFFF   F1..F3  80..BF  80..BF  80..BF
 *   U+100000..U+10FFFF F4      80..8F  80..BF  80..BF
 *
 * Only the second byte has a lead-dependent range; that single rule is what
 * excludes overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF)
 * and code points above U+10FFFF (F4 90..BF, F5..FF). Everything here goes
 * through seq_check(), so validation, decoding and replacement agree.
 */
#include "utf8.h"

#include <string.h>

#include <utf8proc.h>

#define ASCII_MASK UINT64_C(0x8080808080808080)

/* --- one sequence ------------------------------------------------------ */

/* Check the sequence starting at p[0] (avail >= 1 bytes readable).
 * Returns its length (1-4) when well-formed. Otherwise returns 0 and sets
 * *sub to the length of the maximal subpart: the bytes that still formed
 * the start of a well-formed sequence before it went wrong (at least 1). */
static size_t seq_check(const unsigned char *p, size_t avail, size_t *sub) {
  unsigned c = p[0];
  unsigned lo = 0x80, hi = 0xBF;  /* allowed range of the second byte */
  size_t need, k;

  if (c < 0x80) return 1;
  if (c < 0xC2) { *sub = 1; return 0; }       /* continuation, C0, C1 */
  if (c < 0xE0) need = 2;
  else if (c < 0xF0) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;                  /* overlong */
    else if (c == 0xED) hi = 0x9F;             /* surrogates */
  } else if (c < 0xF5) {
    need = 4;
    if (c == 0xF0) lo = 0x90;                  /* overlong */
    else if (c == 0xF4) hi = 0x8F;             /* above U+10FFFF */
  } else { *sub = 1; return 0; }

  if (avail < 2 || p[1] < lo || p[1] > hi) { *sub = 1; return 0; }
  for (k = 2; k < need; k++) {
    if (k >= avail || (p[k] & 0xC0) != 0x80) { *sub = k; return 0; }
  }
  return need;
}

/* Code point of a sequence seq_check() accepted with length n. */
static int32_t seq_value(const unsigned char *p, size_t n) {
  switch (n) {
    case 1: return p[0];
    case 2: return (int32_t)(((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu));
    case 3: return (int32_t)(((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) |
                             (p[2] & 0x3Fu));
    default: return (int32_t)(((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                              ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu));
  }
}

/* --- buffers ----------------------------------------------------------- */

/* Index of the first byte >= 0x80 in p[i, len), or len. Sixteen bytes per
 * step: two unaligned word loads (memcpy compiles to plain loads) OR-ed and
 * tested against the high-bit mask, so pure ASCII costs about one compare
 * per 16 bytes. */
static size_t skip_ascii(const unsigned char *p, size_t i, size_t len) {
  uint64_t a, b;
  while (len - i >= 16) {
    memcpy(&a, p + i, 8);
    memcpy(&b, p + i + 8, 8);
    if ((a | b) & ASCII_MASK) break;
    i += 16;
  }
  if (len - i >= 8) {
    memcpy(&a, p + i, 8);
    if (!(a & ASCII_MASK)) i += 8;
  }
  while (i < len && p[i] < 0x80) i++;
  return i;
}

/* A run of multi-byte characters (non-Latin text) stays in this loop instead
 * of paying for a failed word test per character. */
static size_t skip_multibyte(const unsigned char *p, size_t i, size_t len) {
  size_t n, sub;
  while (i < len && p[i] >= 0x80) {
    n = seq_check(p + i, len - i, &sub);
    if (n == 0) break;
    i += n;
  }
  return i;
}

size_t lode_utf8_valid_prefix(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, j;

  while (i < len) {
    i = skip_ascii(p, i, len);
    j = skip_multibyte(p, i, len);
    if (j == i && i < len) return i;   /* s[i] >= 0x80 begins no sequence */
    i = j;
  }
  return len;
}

size_t lode_utf8_skip_multibyte(const char *s, size_t len, size_t i) {
  return skip_multibyte((const unsigned char *)s, i, len);
}

size_t lode_utf8_ceil(const char *s, size_t len, size_t i) {
  while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  return i;
}

void lode_utf8_narrow(const char *s, size_t len, size_t *a, size_t *b) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = *a, j = *b;
  if (i > 0) while (i < j && (p[i] & 0xC0) == 0x80) i++;
  if (j < len && (p[j] & 0xC0) == 0x80) {
    size_t k = j;
    while (k > i && (p[k - 1] & 0xC0) == 0x80) k--;
    if (k > i && p[k - 1] >= 0xC0) j = k - 1;
  }
  *a = i;
  *b = j;
}

int lode_utf8_is_alnum(int32_t cp) {
  if (cp < 0x80) return (uint32_t)((cp | 0x20) - 'a') < 26u || (uint32_t)(cp - '0') < 10u;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return 1;
    default:
      return 0;
  }
}

int lode_utf8_has_capital(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  int other = 0;
  for (size_t k = 0; k < len; k++) {
    if ((unsigned)(p[k] - 'A') < 26u) return 1;
    other |= p[k] >= 0x80;
  }
  if (!other) return 0;
  int after_alnum = 0;
  for (size_t k = 0; k < len;) {
    int32_t cp;
    size_t n = lode_utf8_decode(s, len, k, &cp);
    if (n == 0) n = 1;
    if (!after_alnum && cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU) return 1;
    after_alnum = lode_utf8_is_alnum(cp);
    k += n;
  }
  return 0;
}

size_t lode_utf8_decode(const char *s, size_t len, size_t i, int32_t *cp) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n, sub;

  if (i >= len) { *cp = 0xFFFD; return 0; }
  n = seq_check(p + i, len - i, &sub);
  *cp = n ? seq_value(p + i, n) : 0xFFFD;
  return n;
}

size_t lode_utf8_invalid_len(const char *s, size_t len, size_t i) {
  size_t sub = 1;
  if (i >= len) return 0;
  return seq_check((const unsigned char *)s + i, len - i, &sub) ? 0 : sub;
}

size_t lode_utf8_encode(int32_t cp, char out[4]) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0) return 0;
  if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  /* surrogates are not scalars */
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp <= 0x10FFFF) {
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
  }
  return 0;
}
