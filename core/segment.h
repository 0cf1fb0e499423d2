/*
 * segment.h -- paragraphs, sentences and words as byte spans.
 *
 * All spans are 0-based, end-exclusive byte ranges in the UTF-8 input, never
 * including surrounding white space. Functions append to a lode_spans array
 * the caller owns (zero-initialise it, free with lode_spans_free()).
 * Segmentation is pure: no global state, safe from any thread.
 *
 * Invalid UTF-8 never fails: each byte that does not start a valid sequence
 * counts as one "other" character (not a letter, digit, space or
 * punctuation), so it splits words, keeps a line non-blank, and ends up
 * inside paragraph/sentence spans. Callers that need an error validate first
 * (a lode_text is always valid). NUL is an ordinary "other" character too.
 * White space is Unicode Zs/Zl/Zp (NBSP included), the ASCII controls
 * \t \n \v \f \r, U+0085, and the invisible U+200B and U+FEFF.
 * The only errors are LODE_EARG (NULL out, or NULL s with len > 0) and
 * LODE_ENOMEM.
 */
#ifndef LODE_SEGMENT_H
#define LODE_SEGMENT_H

#include <stddef.h>
#include "error.h"
#include "regex.h"

typedef struct lode_span {
  size_t start, end;
} lode_span;

typedef struct lode_spans {
  lode_span *v;
  size_t n, cap;
} lode_spans;

/* Append a span; returns 0 or LODE_ENOMEM. */
int lode_spans_push(lode_spans *a, size_t start, size_t end);
/* Free the array's memory and reset it to empty; NULL is fine. */
void lode_spans_free(lode_spans *a);

/* Paragraphs: blocks separated by blank lines; within a block a single line
 * break also ends a paragraph (scrapes put one paragraph per line), unless
 * the text is hard-wrapped (the line runs on into a lowercase continuation).
 * Line breaks are LF, CR and CRLF; a blank line holds only white space.
 * Precisely, line A runs on into the next line B of its block when
 *  - B starts with a lowercase letter, A has at least 40 characters and
 *    does not end with . ! ? ... (closing quotes/brackets aside), or
 *  - A ends with a letter, comma or hyphen and the block looks hard-wrapped:
 *    no line wider than 100 characters, all but the last at least 60
 *    (one-paragraph-per-line scrapes have far longer lines). */
int lode_segment_paragraphs(const char *s, size_t len, lode_spans *out,
                            lode_error *err);

/* Sentences, within paragraphs. A period does not end a sentence after a
 * known abbreviation (Mr. Dr. Gen. U.S. Jan. ...), an initial ("J. R."),
 * or inside a number (3.5); closing quotes and brackets after the final
 * punctuation belong to the sentence.
 * A sentence ends after a run of . ! ? … (and closing quotes/brackets) that
 * is followed by white space and then an uppercase or uncased letter, a
 * digit or an opening quote/bracket; or at the end of the paragraph. After a
 * single period it does not end when the word before is
 *  - a title, month or similar (Mr Mrs Dr Prof Gen Col Lt Maj Capt Sgt Rev
 *    St Gov Sen Rep Pres Amb, Jan..Dec, No vs e.g i.e Mt Ft), or
 *  - one capital letter (an initial: "J. R. R. Tolkien"; so also "plan B."),
 * and ends after a dotted acronym of single letters (U.S. U.N. E.U. p.m.)
 * or after etc Inc Ltd Co Corp Jr Sr approx est only when the next word is
 * a common sentence opener (The, It, He, But, In, ...): "in the U.S. The
 * next day" splits, "the U.S. Congress" does not. */
int lode_segment_sentences(const char *s, size_t len, lode_spans *out,
                           lode_error *err);

/* Words: runs of letters, digits and marks (Unicode categories), with inner
 * apostrophes (’ '), hyphens and digit separators kept inside:
 * "Azerbaijan’s", "Nagorno-Karabakh", "100,000", "3.5". */
int lode_segment_words(const char *s, size_t len, lode_spans *out,
                       lode_error *err);

/* Regex matches as spans, without a per-match call from a binding: every
 * non-overlapping match of `re` in s[0, len), in the order lode_regex_next
 * finds them, appended to `out` as 1 + groups spans each: the match, then
 * each capture group in order ({LODE_NOPOS, LODE_NOPOS} when unset). So
 * match n is out->v[n * (1 + groups)]. Empty matches are spans with
 * start == end. `sc` is the caller's scratch; `opts` as for
 * lode_regex_next (pass LODE_RE_TRUSTED when s is known-valid UTF-8).
 * Returns 0, or the match error (LODE_ELIMIT, LODE_EENCODING, ...),
 * LODE_ENOMEM, LODE_EARG (NULL re, sc or out, or NULL s with len > 0);
 * the spans appended before an error stay in `out`. */
int lode_segment_matches(const lode_regex *re, lode_regex_scratch *sc,
                         const char *s, size_t len, unsigned opts,
                         lode_spans *out, lode_error *err);

/* Where a section of at most `max` bytes that starts at byte `start` ends
 * (0-based, end-exclusive): len when the rest fits, else the latest cut in
 * the window's second half after a blank line, else after a line break,
 * else after a space or tab, else at the last UTF-8 character start of the
 * window (one character past max when a character is longer than max).
 * Always > start when start < len, so a document of any size can be read
 * in bounded sections that cut no paragraph, line, word or character where
 * the text allows; each call looks at max bytes at most. */
size_t lode_segment_section_end(const char *s, size_t len, size_t start, size_t max);

#endif
