/* test_ascii.c -- lode_ascii_find_all against plain finds in a lowered
 * copy, on random texts of letters in both cases, the bytes whose bit 5
 * alone differs from theirs ('@' '`' '[' '{'), NUL, bad UTF-8 and
 * multi-byte characters; overlapping, one-byte, upper-case and many
 * needles; empty input and a huge line. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "test.h"

typedef struct hits {
  size_t n, cap, *k, *at;
} hits;

static void add(void *ctx, size_t k, size_t at) {
  hits *h = ctx;
  if (h->n == h->cap) {
    h->cap = h->cap ? 2 * h->cap : 64;
    h->k = realloc(h->k, h->cap * sizeof *h->k);
    h->at = realloc(h->at, h->cap * sizeof *h->at);
    if (!h->k || !h->at) abort();
  }
  h->k[h->n] = k;
  h->at[h->n++] = at;
}

/* Whether find_all gives what plain finds in the lowered text give. */
static int same_as_plain(const char *s, size_t len, const char *const *needles, size_t n) {
  hits got = {0}, want = {0};
  size_t lens[40], next[40], at, k;
  char *low = malloc(len + 1);
  int ok;
  if (!low) abort();
  for (k = 0; k < n; k++) lens[k] = strlen(needles[k]);
  for (at = 0; at < len; at++) low[at] = (char)tolower((unsigned char)s[at]);
  for (at = 0; at < len; at++)
    for (k = 0; k < n; k++)
      if (lens[k] <= len - at && memcmp(low + at, needles[k], lens[k]) == 0) add(&want, k, at);
  lode_ascii_find_all(s, len, needles, lens, n, next, add, &got);
  ok = got.n == want.n;
  for (k = 0; ok && k < got.n; k++) ok = got.k[k] == want.k[k] && got.at[k] == want.at[k];
  free(low);
  free(got.k);
  free(got.at);
  free(want.k);
  free(want.at);
  return ok;
}

int main(void) {
  static const char *const tails[] = {"usands", "undreds", "zens", "cores", "veral", "@x", "`y", "aa"};
  static const char *const with_one[] = {"zens", "a", "{"};
  static const char *const upper[] = {"Zens", "zens"};
  static const char *const bytes[] = {"u", "U", "s", "a", "A", "n", "d", "z", "e", "x", "y", "@", "`", "[", "{",
                                      " ", "\0", "\xC3\xA9", "\xFF", "\xE2\x80\x99", "ndreds", "SANDS"};
  const char *many[40];
  char names[40][4];
  size_t round, rounds = test_scale(3000), k, n = test_scale(1u << 21);
  char *big = malloc(n);
  for (k = 0; k < 40; k++) {                          /* 40 needles: 40 first pairs */
    names[k][0] = (char)('a' + k % 26);
    names[k][1] = (char)('a' + (k * 7) % 26);
    names[k][2] = 'q';
    names[k][3] = '\0';
    many[k] = names[k];
  }
  srand(41);
  for (round = 0; round < rounds; round++) {
    char text[300];
    size_t len = 0;
    while (len < 200 + (size_t)rand() % 60) {
      const char *b = bytes[(size_t)rand() % (sizeof bytes / sizeof *bytes)];
      size_t bl = b[0] ? strlen(b) : 1;
      memcpy(text + len, b, bl);
      len += bl;
    }
    CHECK_MSG(same_as_plain(text, len, tails, sizeof tails / sizeof *tails), "round %zu, tails", round);
    CHECK_MSG(same_as_plain(text, len, with_one, 3), "round %zu, a one-byte needle", round);
    CHECK_MSG(same_as_plain(text, len, upper, 2), "round %zu, an upper-case needle", round);
    CHECK_MSG(same_as_plain(text, len, many, 40), "round %zu, 40 needles", round);
    CHECK_MSG(same_as_plain(text, (size_t)rand() % 20, tails, 8), "round %zu, a short text", round);
  }
  CHECK(same_as_plain("", 0, tails, 8));
  CHECK(same_as_plain("zens", 4, tails, 0));                     /* no needles */
  {
    hits h = {0};
    size_t lens[] = {2}, next[1];
    const char *aa[] = {"aa"};
    lode_ascii_find_all("xAaAa", 5, aa, lens, 1, next, add, &h);   /* overlapping, both cases */
    CHECK(h.n == 3 && h.at[0] == 1 && h.at[1] == 2 && h.at[2] == 3);
    free(h.k);
    free(h.at);
  }
  CHECK(big != NULL);
  if (big) {
    static const char line[] = "Thousands and HUNDREDS, \xE2\x80\x94 dozens of ";
    for (k = 0; k < n; k++) big[k] = line[k % (sizeof line - 1)];
    memcpy(big + n - 6, "uSANDS", 6);                           /* at the very end */
    CHECK(same_as_plain(big, n, tails, sizeof tails / sizeof *tails));
  }
  free(big);
  return test_report();
}
