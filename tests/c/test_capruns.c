/* test_capruns.c -- runs of capitalised words: words, connectors, titles
 * and initials, what a run gives back ("COVID19", "Ab-Cd9"), where one may
 * start, letters beyond ASCII, the bounds, nasty bytes and a huge line. */
#include <stdio.h>
#include <string.h>

#include "capruns.h"
#include "test.h"

static const char *const CONN[] = {"of", "the", "and", "de", "van", "al"};
static const char *const ABBR[] = {"Mr", "Mrs", "Dr", "St"};

static lode_capruns *matcher(int max_words, int max_conn) {
  lode_error err;
  lode_capruns *c = lode_capruns_new(CONN, 6, ABBR, 4, max_words, max_conn, &err);
  CHECK(c != NULL);
  return c;
}

/* The runs of s as "start-end,..." (0-based, end-exclusive). */
static const char *runs_n(const lode_capruns *c, const char *s, size_t len) {
  static char out[4096];
  size_t pos = 0, a, b, n = 0;
  out[0] = 0;
  while (lode_capruns_next(c, s, len, &pos, &a, &b) && n < sizeof out - 32)
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%zu-%zu", n ? "," : "", a, b);
  return out;
}
static const char *runs(const lode_capruns *c, const char *s) { return runs_n(c, s, strlen(s)); }

static void test_words(void) {
  lode_capruns *c = matcher(12, 3);
  /* "Prime Minister Nikol Pashinyan" then "Baku" */
  CHECK(strcmp(runs(c, "Prime Minister Nikol Pashinyan said in Baku."), "0-30,39-43") == 0);
  CHECK(strcmp(runs(c, "the Bank of England and the Bank"), "4-32") == 0);
  CHECK(strcmp(runs(c, "Thomas de Waal of the Carnegie"), "0-30") == 0);
  /* a connector run ends a run when no word follows */
  CHECK(strcmp(runs(c, "Bank of the"), "0-4") == 0);
  /* one blank between words: two spaces end a run; a tab joins */
  CHECK(strcmp(runs(c, "Ana  Lind"), "0-3,5-9") == 0);
  CHECK(strcmp(runs(c, "Ana\tLind"), "0-8") == 0);
  CHECK(strcmp(runs(c, "Ana\nLind"), "0-3,4-8") == 0);
  /* titles with their period, initials before a capital */
  CHECK(strcmp(runs(c, "Mr. Smith met Mrs. Jones"), "0-9,14-24") == 0);
  CHECK(strcmp(runs(c, "Donald J. Trump"), "0-15") == 0);
  CHECK(strcmp(runs(c, "Plan B. Then"), "0-12") == 0);     /* B. is an initial */
  CHECK(strcmp(runs(c, "Mr.X"), "0-2") == 0);              /* gives the period back */
  /* inner hyphen parts start with a capital */
  CHECK(strcmp(runs(c, "Jean-Pierre Lind"), "0-16") == 0);
  CHECK(strcmp(runs(c, "Armenian-backed forces"), "0-8") == 0);
  lode_capruns_free(c);
}

static void test_give_back(void) {
  lode_capruns *c = matcher(12, 3);
  CHECK(strcmp(runs(c, "COVID19 cases"), "") == 0);          /* a digit follows every end */
  CHECK(strcmp(runs(c, "Ab-Cd9"), "0-2") == 0);              /* back to before the hyphen */
  CHECK(strcmp(runs(c, "Ana Lind9"), "0-3") == 0);           /* back a whole word */
  /* a combining mark may end a word given back: e + U+0301, then a digit */
  CHECK(strcmp(runs(c, "Jose\xcc\x81" "9"), "0-4") == 0);
  CHECK(strcmp(runs(c, "Jose\xcc\x81 Lind"), "0-11") == 0);
  lode_capruns_free(c);
}

static void test_starts(void) {
  lode_capruns *c = matcher(12, 3);
  CHECK(strcmp(runs(c, "McDonald"), "0-8") == 0);
  CHECK(strcmp(runs(c, "x-Ray .Net 9Lives eBay"), "") == 0);
  CHECK(strcmp(runs(c, "(Baku) \"Ganja\""), "1-5,8-13") == 0);
  /* beyond ASCII: É, Ş capitals; é, ş letters; 中 a letter, no capital */
  CHECK(strcmp(runs(c, "\xc3\x89lodie \xc5\x9e" "ahin"), "0-14") == 0);
  CHECK(strcmp(runs(c, "caf\xc3\xa9 \xc3\xa9t\xc3\xa9"), "") == 0);
  CHECK(strcmp(runs(c, "\xe4\xb8\xad" "Baku Ana"), "8-11") == 0);
  CHECK(strcmp(runs(c, "Baku\xe4\xb8\xad Ana"), "0-11") == 0);
  lode_capruns_free(c);
}

static void test_bounds(void) {
  lode_capruns *two = matcher(2, 1), *c = matcher(12, 3);
  lode_error err;
  const char *bad[] = {"of the"}, *lower[] = {"mr"}, *digit[] = {"M9"};
  CHECK(strcmp(runs(two, "Ana Bo Cy Di"), "0-6,7-12") == 0);
  CHECK(strcmp(runs(two, "Bank of the Ana"), "0-4,12-15") == 0);
  CHECK(strcmp(runs(c, "Bank of the of the Ana"), "0-4,19-22") == 0);   /* 4 connectors */
  CHECK(strcmp(runs(c, "Bank of the of Ana"), "0-18") == 0);
  CHECK(lode_capruns_new(bad, 1, ABBR, 4, 12, 3, &err) == NULL && err.code == LODE_EARG);
  CHECK(lode_capruns_new(CONN, 6, lower, 1, 12, 3, &err) == NULL && err.code == LODE_EARG);
  CHECK(lode_capruns_new(CONN, 6, digit, 1, 12, 3, &err) == NULL && err.code == LODE_EARG);
  CHECK(lode_capruns_new(CONN, 6, ABBR, 4, 0, 3, &err) == NULL && err.code == LODE_EARG);
  CHECK(lode_capruns_new(CONN, 6, ABBR, 4, 12, 17, &err) == NULL && err.code == LODE_EARG);
  lode_capruns_free(NULL);
  lode_capruns_free(two);
  lode_capruns_free(c);
}

static void test_nasty(void) {
  lode_capruns *c = matcher(12, 3);
  static char big[400001];
  size_t pos = 0, a, b, n = 0, len;
  CHECK(strcmp(runs(c, ""), "") == 0);
  CHECK(strcmp(runs_n(c, "Ana\0Lind", 8), "0-3,4-8") == 0);
  /* bytes that are not UTF-8 are no letters, and never read past the end */
  CHECK(strcmp(runs(c, "Ana\xff" "Lind \xc3"), "0-3,4-8") == 0);
  CHECK(strcmp(runs(c, "\x80" "Baku \xe4\xb8"), "1-5") == 0);
  CHECK(strcmp(runs_n(c, "Mr", 2), "0-2") == 0);
  CHECK(strcmp(runs_n(c, "J. ", 3), "0-1") == 0);
  /* a line of 100,000 capitalised words: runs of 12, in linear time */
  for (len = 0; len + 4 <= sizeof big - 1; len += 4) memcpy(big + len, "Abc ", 4);
  while (lode_capruns_next(c, big, len, &pos, &a, &b)) n++;
  CHECK(n == (100000 + 11) / 12);
  CHECK(pos == len);
  lode_capruns_free(c);
}

int main(void) {
  test_words();
  test_give_back();
  test_starts();
  test_bounds();
  test_nasty();
  return test_report();
}
