/*
 * ascii.h -- words found in a page as if its A-Z were a-z.
 *
 * What plain finds of lower-case words find in a page lowered as Lua's
 * string.lower does in the C locale (A-Z to a-z, every other byte kept),
 * in one pass over the page itself, without the lowered copy: the words'
 * first two bytes looked for sixteen places at a time.
 */
#ifndef LODE_ASCII_H
#define LODE_ASCII_H

#include <stddef.h>

/* Whether byte c is an ASCII letter, A-Z or a-z. */
static inline int lode_ascii_letter(unsigned char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }

/* Called with the index of a needle and the offset where it occurs. */
typedef void (*lode_ascii_found)(void *ctx, size_t needle, size_t at);

/* Calls found(ctx, k, at) for every offset `at` of s[0..len) where needle
 * k (needles[k], lens[k] > 0 bytes, k < n) occurs once s's A-Z are read
 * as a-z: in order of `at`, and at one offset in order of k; occurrences
 * may overlap. A needle holding A-Z never occurs. `next` is room for n
 * entries the search uses (the needles chained by first byte). */
void lode_ascii_find_all(const char *s, size_t len, const char *const *needles, const size_t *lens,
                         size_t n, size_t *next, lode_ascii_found found, void *ctx);

#endif
