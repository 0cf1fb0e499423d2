/* placecue.c -- where the place cues may match (see placecue.h). */
#include "placecue.h"
#include "ascii.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static int capital_lead(unsigned char c) { return (c >= 'A' && c <= 'Z') || c >= 0xC0; }

/* Space k (3 <= k, k + 1 < len) stands before a capital's first byte and
 * after an "e" or "f": report it when "the" or " of" and a cue say so. */
static void try_space(const char *s, size_t len, size_t k, const lode_wordset *cues, lode_placecue_found found,
                      void *ctx) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[k - 3] == 't' && u[k - 2] == 'h' && u[k - 1] == 'e') {
    /* (the next such "the " starts past this walk's space: linear) */
    const char *sp = memchr(s + k + 1, ' ', len - k - 1);
    size_t a, b;
    if (!sp) return;
    for (a = b = (size_t)(sp - s) + 1; b < len && lode_ascii_letter(u[b]); b++) {}
    if (b > a && lode_wordset_has(cues, s + a, b - a)) found(ctx, LODE_PLACECUE_THE, k - 3);
  } else if (u[k - 3] == ' ' && u[k - 2] == 'o' && u[k - 1] == 'f') {
    size_t a = k - 3;
    while (a > 0 && lode_ascii_letter(u[a - 1])) a--;
    if (a < k - 3 && lode_wordset_has(cues, s + a, k - 3 - a)) found(ctx, LODE_PLACECUE_OF, k - 3);
  }
}

static int at_space(const unsigned char *u, size_t k) {
  return u[k] == ' ' && (u[k - 1] == 'e' || u[k - 1] == 'f') && capital_lead(u[k + 1]);
}

void lode_placecue_starts(const char *s, size_t len, const lode_wordset *cues, lode_placecue_found found,
                          void *ctx) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = 3;
#if defined(__SSE2__)
  {
    /* sixteen spaces a step: "e" or "f", a space, a capital's first byte
     * (A-Z: the byte less "A" at most 25 unsigned; or 0xC0 and over) */
    const __m128i space = _mm_set1_epi8(' '), e = _mm_set1_epi8('e'), f = _mm_set1_epi8('f');
    const __m128i upper_a = _mm_set1_epi8('A'), span = _mm_set1_epi8(25), lead = _mm_set1_epi8((char)0xC0);
    for (; k + 17 <= len; k += 16) {
      __m128i before = _mm_loadu_si128((const __m128i *)(const void *)(u + k - 1));
      __m128i here = _mm_loadu_si128((const __m128i *)(const void *)(u + k));
      __m128i after = _mm_loadu_si128((const __m128i *)(const void *)(u + k + 1));
      __m128i az = _mm_sub_epi8(after, upper_a);
      __m128i capital = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(az, span), az),
                                     _mm_cmpeq_epi8(_mm_max_epu8(after, lead), after));
      __m128i hit = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(here, space), capital),
                                  _mm_or_si128(_mm_cmpeq_epi8(before, e), _mm_cmpeq_epi8(before, f)));
      unsigned mask;
      for (mask = (unsigned)_mm_movemask_epi8(hit); mask; mask &= mask - 1)
        try_space(s, len, k + (size_t)__builtin_ctz(mask), cues, found, ctx);
    }
  }
#endif
  for (; k + 1 < len; k++)
    if (at_space(u, k)) try_space(s, len, k, cues, found, ctx);
}
