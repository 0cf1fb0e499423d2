/*
 * fuzz_segment.c -- paragraphs, sentences and words of any bytes: spans
 * sorted, disjoint, non-empty, inside the input, on character boundaries,
 * and every sentence inside a paragraph.
 */
#include "fuzz.h"
#include "segment.h"

static void check_spans(const lode_spans *a, size_t len, const unsigned char *starts) {
  size_t k, prev_end = 0;
  for (k = 0; k < a->n; k++) {
    lode_span sp = a->v[k];
    FUZZ_CHECK(sp.start < sp.end && sp.end <= len);
    FUZZ_CHECK(sp.start >= prev_end);
    FUZZ_CHECK(starts[sp.start] && starts[sp.end]);
    prev_end = sp.end;
  }
}

/* Each of `inner` lies inside one of `outer` (both sorted). */
static void check_nested(const lode_spans *inner, const lode_spans *outer) {
  size_t k, p = 0;
  for (k = 0; k < inner->n; k++) {
    while (p < outer->n && outer->v[p].end <= inner->v[k].start) p++;
    FUZZ_CHECK(p < outer->n && outer->v[p].start <= inner->v[k].start &&
               inner->v[k].end <= outer->v[p].end);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  lode_spans paras = {0}, sents = {0}, words = {0};
  unsigned char *starts = fuzz_starts(s, size);
  FUZZ_CHECK(lode_segment_paragraphs(s, size, &paras, NULL) == 0);
  FUZZ_CHECK(lode_segment_sentences(s, size, &sents, NULL) == 0);
  FUZZ_CHECK(lode_segment_words(s, size, &words, NULL) == 0);
  check_spans(&paras, size, starts);
  check_spans(&sents, size, starts);
  check_spans(&words, size, starts);
  check_nested(&sents, &paras);
  lode_spans_free(&paras);
  lode_spans_free(&sents);
  lode_spans_free(&words);
  free(starts);
  return 0;
}
