/*
 * boundary.c -- sentence boundaries (see boundary.h).
 *
 * Not a regex: PCRE2's start scan for [.!?] costs ~10 instructions a
 * byte on every page with quotations; memchr-speed loops find the sentence
 * ends and each is checked by hand, as the regex would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "boundary.h"
#include "utf8.h"

/* The code point starting at s[i] (i < len) and its length; an invalid
 * sequence is U+FFFD of length 1. */
static size_t cp_at(const char *s, size_t len, size_t i, int32_t *cp) {
  size_t n = lode_utf8_decode(s, len, i, cp);
  if (n == 0) {
    *cp = 0xFFFD;
    n = 1;
  }
  return n;
}

/* The code point ending right before s[i] (i > 0) and where it starts. */
static size_t cp_before(const char *s, size_t len, size_t i, int32_t *cp) {
  size_t a = i - 1;
  while (a > 0 && i - a < 4 && ((unsigned char)s[a] & 0xC0) == 0x80) a--;
  if (lode_utf8_decode(s, len, a, cp) != i - a) {
    *cp = 0xFFFD;
    return i - 1;
  }
  return a;
}

/* \w with Unicode properties (PCRE2 10.42): a letter, a number, "_". */
static int word_cp(int32_t cp) { return cp == '_' || lode_utf8_is_alnum(cp); }

/* Whether s[i] starts no word: nothing or no word character before it. */
static int word_start(const char *s, size_t len, size_t i) {
  int32_t cp;
  if (i == 0) return 1;
  cp_before(s, len, i, &cp);
  return !word_cp(cp);
}

/* \s with Unicode properties: ASCII and Unicode spaces, line and
 * paragraph separators, NEL, U+180E. */
static int space_cp(int32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x180E: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000:
      return 1;
    default:
      return (cp >= 0x2000 && cp <= 0x200A) || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
  }
}

static int is_upper(int32_t cp) {
  return cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Whether the sentence end at s[p] follows an initial or an abbreviation
 * starting a word. */
static int after_abbrev(const char *s, size_t len, size_t p, const char *const *abbrevs,
                        const size_t *lens, size_t nabbrevs) {
  int32_t cp;
  size_t a;
  if (p == 0) return 0;
  /* the byte before the end first: most ends follow none of the abbreviations */
  for (size_t k = 0; k < nabbrevs; k++)
    if (lens[k] <= p && (lens[k] == 0 || s[p - 1] == abbrevs[k][lens[k] - 1]) &&
        memcmp(s + p - lens[k], abbrevs[k], lens[k]) == 0 &&
        word_start(s, len, p - lens[k]))
      return 1;
  a = cp_before(s, len, p, &cp);
  return is_upper(cp) && word_start(s, len, a);
}

/* Whether s[i] holds one of the 3-byte marks E2 80 x for x in `lasts`. */
static size_t mark3(const char *s, size_t len, size_t i, const char *lasts) {
  return i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 strchr(lasts, s[i + 2]) != NULL && s[i + 2] != 0
             ? 3
             : 0;
}

/* The boundary whose sentence end is s[p], or 0. */
static int boundary_at(const char *s, size_t len, size_t p, lode_boundary *b) {
  size_t k = p + 1, n;
  int32_t cp;
  /* a closing mark ” " ’ */
  if (k < len && s[k] == '"') k++;
  else k += mark3(s, len, k, "\x9D\x99");
  while (k < len && (s[k] == '*' || s[k] == '_')) k++;
  if (k >= len || !space_cp((n = cp_at(s, len, k, &cp), cp))) return 0;
  while (k < len && (n = cp_at(s, len, k, &cp), space_cp(cp))) k += n;
  b->at = p;
  b->end = k;
  /* what is looked at: * and _, an opening mark, a capital */
  while (k < len && (s[k] == '*' || s[k] == '_')) k++;
  if (k < len && s[k] == '"') k++;
  else k += mark3(s, len, k, "\x9C\x9D\x98");
  if (k >= len) return 0;
  n = cp_at(s, len, k, &cp);
  if (!is_upper(cp)) return 0;
  b->ahead_end = k + n;
  return 1;
}

/* The first sentence end . ! ? at or after p, or len: sixteen (SSE2) or
 * eight bytes a step while none is among them. */
static size_t next_end(const unsigned char *u, size_t len, size_t p) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'), ask = _mm_set1_epi8('?');
  for (; p + 16 <= len; p += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, bang)),
                               _mm_cmpeq_epi8(v, ask));
    unsigned mask = (unsigned)_mm_movemask_epi8(hit);
    if (mask) return p + (size_t)__builtin_ctz(mask);
  }
#endif
  while (p + 8 <= len) {
    uint64_t x, a, b, c;
    memcpy(&x, u + p, 8);
    a = x ^ (ones * '.');
    b = x ^ (ones * '!');
    c = x ^ (ones * '?');
    if ((((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c)) & highs) break;
    p += 8;
  }
  while (p < len && u[p] != '.' && u[p] != '!' && u[p] != '?') p++;
  return p;
}

int lode_sentence_boundaries(const char *s, size_t len, const char *const *abbrevs,
                             const size_t *abbrev_lens, size_t nabbrevs, lode_boundary **out,
                             size_t *n, lode_error *err) {
  lode_boundary *v = NULL, b;
  size_t cnt = 0, cap = 0, p = 0;
  while (p < len) {
    p = next_end((const unsigned char *)s, len, p);
    if (p >= len) break;
    if (!after_abbrev(s, len, p, abbrevs, abbrev_lens, nabbrevs) && boundary_at(s, len, p, &b)) {
      if (cnt == cap) {
        size_t c2 = cap ? 2 * cap : 32;
        lode_boundary *w = realloc(v, c2 * sizeof *w);
        if (!w) {
          free(v);
          *out = NULL;
          *n = 0;
          return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
        }
        v = w;
        cap = c2;
      }
      v[cnt++] = b;
      p = b.end;
    } else {
      p++;
    }
  }
  *out = v;
  *n = cnt;
  return 0;
}

size_t lode_sentence_start(const lode_boundary *v, size_t n, size_t lo, size_t hi) {
  size_t a = 0, b = n;
  /* the boundaries whose white space ends by hi: v[0, a) */
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (v[mid].end <= hi) a = mid + 1;
    else b = mid;
  }
  while (a > 0 && v[a - 1].ahead_end > hi) a--;
  if (a > 0 && v[a - 1].at + 1 >= lo) return v[a - 1].end + 1;
  return lo;
}
