/*
 * segment.h -- paragraphs, sentences and words as byte spans.
 *
 * All spans are 0-based, end-exclusive byte ranges in the UTF-8 input, never
 * including surrounding white space. Functions append to a lode_spans array
 * the caller owns (zero-initialise it, free with lode_spans_free()).
 * Segmentation is pure: no global state, safe from any thread.
 */
#ifndef LODE_SEGMENT_H
#define LODE_SEGMENT_H

#include <stddef.h>
#include "error.h"

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
 * the text is hard-wrapped (the line runs on into a lowercase continuation). */
int lode_segment_paragraphs(const char *s, size_t len, lode_spans *out,
                            lode_error *err);

/* Sentences, within paragraphs. A period does not end a sentence after a
 * known abbreviation (Mr. Dr. Gen. U.S. Jan. ...), an initial ("J. R."),
 * or inside a number (3.5); closing quotes and brackets after the final
 * punctuation belong to the sentence. */
int lode_segment_sentences(const char *s, size_t len, lode_spans *out,
                           lode_error *err);

/* Words: runs of letters, digits and marks (Unicode categories), with inner
 * apostrophes (’ '), hyphens and digit separators kept inside:
 * "Azerbaijan’s", "Nagorno-Karabakh", "100,000", "3.5". */
int lode_segment_words(const char *s, size_t len, lode_spans *out,
                       lode_error *err);

#endif
