/*
 * capruns.h -- runs of capitalised words ("Prime Minister Nikol
 * Pashinyan", "Bank of England"), the entity extractor's candidates.
 *
 * A run is a capitalised word, then up to max_words - 1 more, each after
 * one space or tab and up to max_connectors connector words ("of", "de"),
 * each followed by one space or tab. A capitalised word is one of:
 *   - an abbreviation from the list followed by a period ("Mr.", "St."),
 *   - a capital letter (\p{Lu}), a period, when a space and a capital
 *     follow ("J. Smith"),
 *   - a capital letter, then letters and marks (\p{L}, \p{M}), with inner
 *     hyphen parts that start with a capital ("Jean-Pierre").
 * A run starts at a capital letter (ASCII or not) that no letter, digit,
 * hyphen or period comes right before, and ends where no letter or digit
 * follows. These are the matches, leftmost first, of the regex
 *   (?<![\p{L}\p{N}\-.])W(?:[ \t](?:C[ \t]){0,max_connectors}W){0,max_words-1}(?![\p{L}\p{N}])
 * (W a capitalised word as above, C the connector alternation) as PCRE2
 * finds them: a word gives back letters, and a run words, until what
 * follows can end it. Letter, mark and digit classes are utf8proc's
 * Unicode categories (PCRE2's \p{L}, \p{M}, \p{N}; a character new in
 * a later Unicode version than PCRE2's may be a letter here only).
 *
 * The bounded repeats keep a run short: a line of 100,000 capitalised
 * words is read in runs of max_words, in linear time. Offsets are
 * 0-based, runs end-exclusive. Bytes that are not UTF-8 are no letters.
 */
#ifndef LODE_CAPRUNS_H
#define LODE_CAPRUNS_H

#include <stddef.h>

#include "error.h"

typedef struct lode_capruns lode_capruns;

/* A matcher for runs with the given connector words (lower case as a run
 * writes them; matched byte for byte) and abbreviations (a capital and
 * ASCII letters, without their period), or NULL (err: LODE_ENOMEM, or
 * LODE_EARG for an empty connector or one holding a blank or a period, an
 * abbreviation of other bytes, or bounds out of 1-64 and 0-16).
 * Free with lode_capruns_free(); NULL is fine there. */
lode_capruns *lode_capruns_new(const char *const *connectors, size_t nconnectors,
                               const char *const *abbreviations, size_t nabbreviations,
                               int max_words, int max_connectors, lode_error *err);
void lode_capruns_free(lode_capruns *c);

/* The first run in s[0, len) starting at or after *pos: returns 1 with the
 * run in [*start, *end) and *pos = *end (where the next search starts), or
 * 0 with *pos = len when none. */
int lode_capruns_next(const lode_capruns *c, const char *s, size_t len, size_t *pos,
                      size_t *start, size_t *end);

#endif
