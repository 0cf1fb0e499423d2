/*
 * wordset.h -- a hash set of words and one-pass word statistics of a text.
 *
 * A lode_wordset holds byte strings (stop words, cue words) folded to ASCII
 * lowercase; lookups fold the same way, so "The", "THE" and "the" are one
 * word. Only ASCII letters fold: other bytes (UTF-8 included) compare as
 * they are. Building is single-threaded; a built set is read-only and may
 * be shared between threads (lookups and profiles write nothing).
 *
 * lode_wordset_profile() walks a text once and counts its words the way
 * Lua's string.gmatch(s, "%a+") sees them in the C locale (runs of ASCII
 * letters; any other byte, UTF-8 lead and continuation bytes included,
 * ends a word), how many of them are in the set, how many start with an
 * uppercase letter, and a few character classes. It exists so that a
 * per-line classifier (lode.clean) does not run a Lua loop per word.
 */
#ifndef LODE_WORDSET_H
#define LODE_WORDSET_H

#include <stddef.h>
#include "error.h"

typedef struct lode_wordset lode_wordset;

/* A new empty set, or NULL (err: LODE_ENOMEM). The caller owns it: free
 * with lode_wordset_free(). */
lode_wordset *lode_wordset_new(lode_error *err);
/* Free the set; NULL is fine. */
void lode_wordset_free(lode_wordset *ws);

/* Add word w[0..len) (folded to ASCII lowercase; may hold any bytes, NUL
 * included). Adding a word twice is fine. Returns 0, LODE_ENOMEM, or
 * LODE_EARG (NULL ws, NULL w with len > 0). */
int lode_wordset_add(lode_wordset *ws, const char *w, size_t len, lode_error *err);

/* 1 when w[0..len) folded to ASCII lowercase is in the set, else 0. */
int lode_wordset_has(const lode_wordset *ws, const char *w, size_t len);

/* Number of distinct words in the set. */
size_t lode_wordset_size(const lode_wordset *ws);

typedef struct lode_word_profile {
  size_t words;    /* runs of ASCII letters ("%a+" in the C locale) */
  size_t hits;     /* of those, words in the set (NULL set: 0) */
  size_t caps;     /* of those, words whose first letter is uppercase A-Z */
  size_t digits;   /* ASCII digits 0-9 */
  size_t upper;    /* ASCII uppercase letters */
  size_t nonascii; /* bytes >= 0x80 */
} lode_word_profile;

/* Count the words of s[0..len) into *out (zeroed first); ws may be NULL
 * (hits stays 0). Never fails; works on any bytes, NUL included. */
void lode_wordset_profile(const lode_wordset *ws, const char *s, size_t len,
                          lode_word_profile *out);

/* The words of s[0..len) and how many of them are in the set, as
 * lode_wordset_profile counts them, without its other counts (less work
 * a byte). Never fails. */
void lode_wordset_count(const lode_wordset *ws, const char *s, size_t len, size_t *words,
                        size_t *hits);

/* The first whole word of s[from..len) that is in the set: a maximal run
 * of letters (ASCII letters and the code points utf8proc puts in a letter
 * category Lu Ll Lt Lm Lo, what PCRE2's \p{L} matches; `from` counts as a
 * word's start), looked up as lode_wordset_has() does (ASCII letters
 * folded, other bytes as they are). Returns 1 and its span in *a, *b
 * (0-based, *b exclusive), or 0. Bytes that are not UTF-8 are not letters.
 * A cheap test of a page before a search for those words as whole words
 * ((?<!\p{L})...(?!\p{L})): one pass, most runs rejected unhashed. */
int lode_wordset_find_word(const lode_wordset *ws, const char *s, size_t len, size_t from,
                           size_t *a, size_t *b);

#endif
