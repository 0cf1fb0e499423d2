/*
 * boundary.h -- sentence boundaries as the quote extractor reads them
 * (lode.extract.quotes.context: the sentence before a quotation).
 *
 * A boundary is a sentence end . ! or ?, maybe one closing mark ” " ’,
 * any * and _ (Markdown emphasis), white space (\s as PCRE2 reads it with
 * Unicode properties), then -- looked at, not taken -- any * and _, maybe
 * one opening mark “ ” " ‘, and a capital (\p{Lu}). It is none after a
 * capital letter that starts a word (an initial: "J. Smith") or after one
 * of the caller's abbreviations starting a word ("Mr", "Dr"). What the
 * regex
 *   (?<!\bMr|\bDr|\b\p{Lu})[.!?][”"’]?[*_]*\s+(?=([*_]*[“”"‘]?\p{Lu}))
 * finds, scanned by a byte loop instead of PCRE2's start scan.
 */
#ifndef LODE_BOUNDARY_H
#define LODE_BOUNDARY_H

#include <stddef.h>

#include "error.h"

typedef struct lode_boundary {
  size_t at;          /* the sentence end's byte */
  size_t end;         /* one past the white space (the next sentence's start) */
  size_t ahead_end;   /* one past the capital looked at */
} lode_boundary;

/* The boundaries of s[0, len) in text order into *out (malloc'ed, the
 * caller frees it; NULL when *n is 0); abbrevs[k] (abbrev_lens[k] bytes)
 * are the words a sentence end after is none. Returns 0 or LODE_ENOMEM.
 * Works on any bytes: bytes that are not UTF-8 are no letter nor space. */
int lode_sentence_boundaries(const char *s, size_t len, const char *const *abbrevs,
                             const size_t *abbrev_lens, size_t nabbrevs, lode_boundary **out,
                             size_t *n, lode_error *err);

/* Where the sentence holding the end of window [lo, hi] (1-based bytes)
 * starts, as a scan of the window alone would see it: after the last of
 * the n boundaries v that lies inside the window with the capital it
 * looks at (its 1-based first byte after the white space), else lo. */
size_t lode_sentence_start(const lode_boundary *v, size_t n, size_t lo, size_t hi);

#endif
