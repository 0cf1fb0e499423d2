/* test_byteseq.c -- byte-class sequences: every occurrence against PCRE2
 * tried at every offset, on random text and on the edges (a match at the
 * last byte, NUL bytes, overlaps, caseless letters, bad syntax). */
#include <stdlib.h>
#include <string.h>

#include "byteseq.h"
#include "regex.h"
#include "test.h"

typedef struct hits { size_t n, seq[4096], start[4096], end[4096]; } hits;

static void record(void *ctx, size_t seq, size_t start, size_t end) {
  hits *h = ctx;
  if (h->n < 4096) { h->seq[h->n] = seq; h->start[h->n] = start; h->end[h->n] = end; }
  h->n++;
}

static const char *const SEQS[] = {"1[6-9][0-9][0-9]", "20[0-9][0-9]", "(?i)week", "(?i)day", "[0-9][./][0-9]",
                                   "tury", "Ma", "M", "[Cc]en", "a\\-[x-z]", "[./-]"};
#define NSEQS (sizeof SEQS / sizeof *SEQS)

/* The occurrences by PCRE2: each sequence matched, anchored, at each offset. */
static size_t reference(lode_regex **re, lode_regex_scratch *sc, const char *s, size_t len, hits *h) {
  size_t at, k, ovec[2];
  h->n = 0;
  for (at = 0; at < len; at++)
    for (k = 0; k < NSEQS; k++) {
      if (lode_regex_exec(re[k], sc, s, len, at, LODE_RE_TRUSTED, ovec, NULL) == 1 && ovec[0] == at)
        record(h, k, ovec[0], ovec[1]);
    }
  return h->n;
}

static int same(const hits *a, const hits *b) {
  size_t k;
  if (a->n != b->n) return 0;
  for (k = 0; k < a->n && k < 4096; k++)
    if (a->seq[k] != b->seq[k] || a->start[k] != b->start[k] || a->end[k] != b->end[k]) return 0;
  return 1;
}

int main(void) {
  size_t lens[NSEQS], k, round;
  lode_regex *re[NSEQS];
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_error err;
  lode_byteseqs *b;
  static hits got, want;
  for (k = 0; k < NSEQS; k++) {
    char pat[64];
    lens[k] = strlen(SEQS[k]);
    /* anchored at the offset tried: \G */
    snprintf(pat, sizeof pat, "\\G(?:%s)", SEQS[k]);
    re[k] = lode_regex_compile(pat, strlen(pat), 0, &err);
    CHECK(re[k] != NULL);
  }
  b = lode_byteseqs_new(SEQS, lens, NSEQS, &err);
  CHECK(b != NULL);

  /* real-looking text */
  {
    const char *s = "On Monday, 12.05.2021, the 20th-century week-DAY 1999/2000 MAY May; Century a-y.";
    got.n = 0;
    lode_byteseqs_find(b, s, strlen(s), record, &got);
    reference(re, sc, s, strlen(s), &want);
    CHECK(same(&got, &want));
    CHECK(got.n > 10);
  }
  /* random text over the sequences' bytes and a few others: every hit, in order */
  srand(7);
  for (round = 0; round < test_scale(2000); round++) {
    static const char alpha[] = "0126789./-MaAdDyYwWeEkKtTurCcnxz \n\xc3\xa9";
    char s[100];
    size_t len = (size_t)rand() % sizeof s, i;
    for (i = 0; i < len; i++) s[i] = alpha[rand() % (int)(sizeof alpha - 1)];
    /* keep it valid UTF-8 for PCRE2: a lone lead or trail byte becomes 'x' */
    for (i = 0; i < len; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c == 0xc3 && i + 1 < len && (unsigned char)s[i + 1] == 0xa9) { i++; continue; }
      if (c >= 0x80) s[i] = 'x';
    }
    got.n = 0;
    lode_byteseqs_find(b, s, len, record, &got);
    reference(re, sc, s, len, &want);
    CHECK_MSG(same(&got, &want), "round %zu: %zu hits, want %zu in \"%.*s\"", round, got.n, want.n, (int)len, s);
  }
  /* the last byte, NUL bytes, empty text */
  got.n = 0;
  lode_byteseqs_find(b, "xM", 2, record, &got);
  CHECK(got.n == 1 && got.seq[0] == 7 && got.start[0] == 1 && got.end[0] == 2);
  got.n = 0;
  lode_byteseqs_find(b, "2\0" "2021\0.", 8, record, &got);
  CHECK(got.n == 2 && got.seq[0] == 1 && got.start[0] == 2 && got.seq[1] == 10 && got.start[1] == 7);
  got.n = 0;
  lode_byteseqs_find(b, "", 0, record, &got);
  CHECK(got.n == 0);
  lode_byteseqs_free(b);

  /* more first classes than the filter has groups: sequences share them */
  {
    static char text[26][8];
    const char *many[26];
    size_t ml[26], i;
    lode_regex *mre[26];
    for (k = 0; k < 26; k++) {
      char pat[32];
      snprintf(text[k], sizeof text[k], "%c[aeo]n", (char)('a' + k));
      many[k] = text[k];
      ml[k] = strlen(text[k]);
      snprintf(pat, sizeof pat, "\\G(?:%s)", text[k]);
      mre[k] = lode_regex_compile(pat, strlen(pat), 0, &err);
    }
    b = lode_byteseqs_new(many, ml, 26, &err);
    CHECK(b != NULL);
    for (round = 0; round < test_scale(300); round++) {
      char s[120];
      size_t len = (size_t)rand() % sizeof s, at, ovec[2];
      for (i = 0; i < len; i++) s[i] = "abcdefghijklmnopqrstuvwxyzaeon "[rand() % 31];
      got.n = want.n = 0;
      lode_byteseqs_find(b, s, len, record, &got);
      for (at = 0; at < len; at++)
        for (k = 0; k < 26; k++)
          if (lode_regex_exec(mre[k], sc, s, len, at, LODE_RE_TRUSTED, ovec, NULL) == 1) record(&want, k, ovec[0], ovec[1]);
      CHECK_MSG(same(&got, &want), "26 sequences, round %zu: %zu hits, want %zu", round, got.n, want.n);
    }
    lode_byteseqs_free(b);
    for (k = 0; k < 26; k++) lode_regex_free(mre[k]);
  }
  /* bad syntax: named with the sequence and the byte */
  {
    const char *bad[] = {"a|b", "[abc", "[^a]", "x*", "", "[z-a]", "\\", "(?i)", "[\\", "[a\\", "x[\\"};
    for (k = 0; k < sizeof bad / sizeof *bad; k++) {
      size_t len = strlen(bad[k]);
      CHECK(lode_byteseqs_new(&bad[k], &len, 1, &err) == NULL);
      CHECK(err.code == LODE_EPATTERN && strstr(err.msg, "byte sequence 1") != NULL);
    }
  }
  /* no sequences: nothing found */
  b = lode_byteseqs_new(NULL, NULL, 0, &err);
  CHECK(b != NULL);
  got.n = 0;
  lode_byteseqs_find(b, "2021", 4, record, &got);
  CHECK(got.n == 0);
  lode_byteseqs_free(b);
  for (k = 0; k < NSEQS; k++) lode_regex_free(re[k]);
  lode_regex_scratch_free(sc);
  return test_report();
}
