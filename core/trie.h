/*
 * trie.h -- a regex alternation of phrases written as a trie:
 * {"four", "fourteen", "forty"} -> "fo(?:rty|ur(?:teen)?)".
 *
 * PCRE2 tries an alternation's branches one by one at every start; the
 * trie reads each letter once. At a position it matches what the phrases'
 * alternation sorted longest first matches, in the same order: two
 * phrases both match there only when one is a prefix of the other, and
 * both forms try the longer first (`?` is greedy). ASCII letters and
 * digits and characters beyond ASCII stand for themselves, other ASCII
 * characters are escaped with a backslash, a space is \s+. Branches are in
 * byte order of those pieces. lode.words.trie builds every list's regex
 * with it when a Lua state starts.
 */
#ifndef LODE_TRIE_H
#define LODE_TRIE_H

#include <stddef.h>

#include "error.h"

/* The trie of phrases[k] (lens[k] bytes), k < n, each of its first `prefix`
 * characters only (what a match must start with; (size_t)-1: whole) into
 * *out (malloc'ed and NUL-terminated, the caller frees it), *outlen bytes.
 * A phrase must be UTF-8 without control characters, not empty, with one
 * space between words and none at its ends. Returns 0, LODE_EARG (a bad
 * phrase: err names it by number) or LODE_ENOMEM. */
int lode_trie(const char *const *phrases, const size_t *lens, size_t n, size_t prefix, char **out,
              size_t *outlen, lode_error *err);

#endif
