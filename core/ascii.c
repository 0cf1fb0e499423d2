/* ascii.c -- words found in a page as if its A-Z were a-z (see ascii.h). */
#include "ascii.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static unsigned char lower_byte(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* Four bytes from p, each OR 0x20. */
static uint32_t folded4(const unsigned char *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return x | 0x20202020u;
}

/* The needles of the chain from q (needles whose first byte OR 0x20 is
 * u[at]'s) that occur at u[at]. A needle of four bytes or more is first
 * compared by its first four OR 0x20 in one test: the SIMD filter's
 * places mostly differ by the third byte ("un" of "under" for "undreds"). */
static void needles_at(const unsigned char *u, size_t len, size_t at, size_t q, const size_t *next,
                       const char *const *needles, const size_t *lens, lode_ascii_found found, void *ctx) {
  uint32_t here = at + 4 <= len ? folded4(u + at) : 0;
  for (; q != SIZE_MAX; q = next[q]) {
    const unsigned char *w = (const unsigned char *)needles[q];
    size_t t;
    if (lens[q] > len - at || (lens[q] >= 4 && folded4(w) != here)) continue;
    for (t = 0; t < lens[q] && lower_byte(u[at + t]) == w[t]; t++) {}
    if (t == lens[q]) found(ctx, q, at);
  }
}

void lode_ascii_find_all(const char *s, size_t len, const char *const *needles, const size_t *lens,
                         size_t n, size_t *next, lode_ascii_found found, void *ctx) {
  const unsigned char *u = (const unsigned char *)s;
  size_t head[256], k = 0, q, m = 0, p;
  unsigned char pairs[16][2];
  int simd = 1;
  if (n == 0) return;
  /* the needles chained by first byte OR 0x20 (A-Z and a-z differ in
   * bit 5 alone: a superset of lowering's matches), in needle order; and
   * their distinct first two bytes so OR-ed, for the SIMD filter */
  for (q = 0; q < 256; q++) head[q] = SIZE_MAX;
  for (q = n; q-- > 0;) {
    unsigned char a = (unsigned char)(needles[q][0] | 0x20);
    next[q] = head[a];
    head[a] = q;
    if (lens[q] < 2) {
      simd = 0;
      continue;
    }
    if (m <= sizeof pairs / sizeof *pairs) {          /* past 16 pairs, m only says so */
      unsigned char b = (unsigned char)(needles[q][1] | 0x20);
      for (p = 0; p < m && (pairs[p][0] != a || pairs[p][1] != b); p++) {}
      if (p == m && m++ < sizeof pairs / sizeof *pairs) {
        pairs[p][0] = a;
        pairs[p][1] = b;
      }
    }
  }
#if defined(__SSE2__)
  /* sixteen places a step: where both bytes OR 0x20 are a needle's first
   * two (while the needles have at least two bytes and 16 such pairs) */
  if (simd && m <= sizeof pairs / sizeof *pairs) {
    const __m128i fold = _mm_set1_epi8(0x20);
    __m128i first[16], second[16];
    for (p = 0; p < m; p++) {
      first[p] = _mm_set1_epi8((char)pairs[p][0]);
      second[p] = _mm_set1_epi8((char)pairs[p][1]);
    }
    for (; k + 17 <= len; k += 16) {
      __m128i v0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(u + k)), fold);
      __m128i v1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(u + k + 1)), fold);
      __m128i hit = _mm_setzero_si128();
      unsigned mask;
      for (p = 0; p < m; p++)
        hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(v0, first[p]), _mm_cmpeq_epi8(v1, second[p])));
      for (mask = (unsigned)_mm_movemask_epi8(hit); mask; mask &= mask - 1) {
        size_t at = k + (size_t)__builtin_ctz(mask);
        needles_at(u, len, at, head[u[at] | 0x20], next, needles, lens, found, ctx);
      }
    }
  }
#else
  (void)simd;
#endif
  for (; k < len; k++)
    if (head[u[k] | 0x20] != SIZE_MAX) needles_at(u, len, k, head[u[k] | 0x20], next, needles, lens, found, ctx);
}
