/* test_boundary.c -- sentence boundaries as the quote extractor reads them
 * (core/boundary.h): real-looking sentences, initials and abbreviations,
 * marks and emphasis around the boundary, Unicode spaces and capitals,
 * and nasty input (empty, bad UTF-8, NUL bytes, a huge run of ends). */
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "test.h"

static const char *const ABBREVS[] = {"Mr", "Mrs", "Dr"};
static const size_t ABBREV_LENS[] = {2, 3, 2};

/* The boundaries of s as "at-end-ahead_end" joined by spaces. */
static const char *bounds(const char *s, size_t len) {
  static char buf[4096];
  lode_boundary *v = NULL;
  lode_error err;
  size_t n = 0, at = 0;
  buf[0] = 0;
  if (lode_sentence_boundaries(s, len, ABBREVS, ABBREV_LENS, 3, &v, &n, &err) != 0) return "(failed)";
  for (size_t k = 0; k < n && at + 48 < sizeof buf; k++)
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%zu-%zu-%zu", k ? " " : "", v[k].at, v[k].end,
                           v[k].ahead_end);
  free(v);
  return buf;
}

#define CHECK_BOUNDS(s, want) \
  do { \
    const char *got_ = bounds((s), strlen(s)); \
    CHECK_MSG(strcmp(got_, (want)) == 0, "%s: got \"%s\", want \"%s\"", (s), got_, (want)); \
  } while (0)

static void test_sentences(void) {
  CHECK_BOUNDS("Talks ended. Both sides left.", "11-13-14");
  CHECK_BOUNDS("Why? Nobody knows! Then silence.", "3-5-6 17-19-20");
  /* a lower-case word after the end, or no space: none */
  CHECK_BOUNDS("It cost 3.5 million. and more", "");
  /* initials and abbreviations starting a word: none; inside a word: one */
  CHECK_BOUNDS("J. Smith met Mr. Jones and Dr. Who.", "");
  CHECK_BOUNDS("He met HMr. Jones.", "10-12-13");
  /* a closing mark and emphasis before the spaces, an opening mark and
   * emphasis before the capital */
  CHECK_BOUNDS("He said \"no.\" Then left.", "11-14-15");
  CHECK_BOUNDS("It ended.\xE2\x80\x9D **\xE2\x80\x9CNext", "8-13-19");
  CHECK_BOUNDS("Done.* _Next", "4-7-9");
  /* Unicode: a no-break and an ideographic space, a Cyrillic capital */
  CHECK_BOUNDS("Done.\xC2\xA0\xD0\x96\xD0\xB0", "4-7-9");
  CHECK_BOUNDS("Done.\xE3\x80\x80" "A", "4-8-9");
  /* after a capital that ends a word: a boundary (not an initial) */
  CHECK_BOUNDS("In the USA. The end.", "10-12-13");
}

static void test_nasty(void) {
  lode_boundary *v = (lode_boundary *)&v;
  lode_error err;
  size_t n = 99;
  CHECK(lode_sentence_boundaries("", 0, NULL, NULL, 0, &v, &n, &err) == 0 && n == 0 && v == NULL);
  CHECK_BOUNDS(".", "");
  CHECK_BOUNDS(". A", "0-2-3");
  CHECK_BOUNDS("x. \xff", "");
  CHECK_BOUNDS("x.\xff A", "");
  CHECK(strcmp(bounds("x.\0 Ab. B", 9), "6-8-9") == 0);   /* a NUL is no space */
  CHECK_BOUNDS("x A. B", "");                                 /* an initial */
  CHECK_BOUNDS("\xE2\x80", "");
  CHECK_BOUNDS("x.\xE2\x80\x9D", "");
}

static void test_sentence_start(void) {
  const char *s = "Talks ended. Both sides left. \xE2\x80\x9CNo";
  lode_boundary *v = NULL;
  lode_error err;
  size_t n = 0;
  CHECK(lode_sentence_boundaries(s, strlen(s), ABBREVS, ABBREV_LENS, 3, &v, &n, &err) == 0 && n == 2);
  if (n == 2) {
    CHECK(lode_sentence_start(v, n, 1, 30) == 14);    /* after "ended. " */
    CHECK(lode_sentence_start(v, n, 1, 13) == 1);     /* its capital is outside */
    CHECK(lode_sentence_start(v, n, 1, 14) == 14);
    CHECK(lode_sentence_start(v, n, 5, 11) == 5);     /* none inside */
    CHECK(lode_sentence_start(v, n, 20, 40) == 31);
    CHECK(lode_sentence_start(v, n, 14, 40) == 31);
  }
  CHECK(lode_sentence_start(v, 0, 3, 9) == 3);
  free(v);
}

static void test_huge(void) {
  size_t n = test_scale(1 << 20), got = 0;
  char *s = malloc(n);
  lode_boundary *v = NULL;
  lode_error err;
  CHECK(s != NULL);
  if (!s) return;
  for (size_t k = 0; k < n; k++) s[k] = "ab. C"[k % 5];
  CHECK(lode_sentence_boundaries(s, n, ABBREVS, ABBREV_LENS, 3, &v, &got, &err) == 0);
  CHECK(got >= n / 5 - 1 && v[0].at == 2 && v[0].end == 4 && v[0].ahead_end == 5);
  free(v);
  memset(s, 'w', n);
  CHECK(lode_sentence_boundaries(s, n, ABBREVS, ABBREV_LENS, 3, &v, &got, &err) == 0 && got == 0);
  free(v);
  free(s);
}

/* An end at every offset of a 40-byte run of words, each of . ! ?: the
 * scan's wide steps (16 and 8 bytes) and its last bytes find it alike. */
static void test_every_offset(void) {
  for (size_t at = 1; at < 40; at++)
    for (int e = 0; e < 3; e++) {
      char s[64], want[32];
      memset(s, 'w', at);
      s[at] = ".!?"[e];
      memcpy(s + at + 1, " Next", 6);
      snprintf(want, sizeof want, "%zu-%zu-%zu", at, at + 2, at + 3);
      CHECK_BOUNDS(s, want);
    }
}

int main(void) {
  test_sentences();
  test_nasty();
  test_sentence_start();
  test_huge();
  test_every_offset();
  return test_report();
}
