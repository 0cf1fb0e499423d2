/* test_clause.c -- the noun phrase a clause ends with (core/clause.h): the
 * subjects of real-looking sentences, and nasty input (empty, NUL bytes,
 * bad and cut UTF-8, a huge line of words and one of separators). */
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "test.h"

static const char *const STRONG[] = {"a ", "A ", "an ", "An "};
static const size_t STRONG_LEN[] = {2, 2, 3, 3};
static const char *const WEAK[] = {"the ", "The ", "his ", "His "};
static const size_t WEAK_LEN[] = {4, 4, 4, 4};

static lode_clause_rules rules;
static char out[4096];

/* The phrase ending s (NULL when none) and its start in the converted s. */
static const char *subject(const char *s, size_t len, size_t *at) {
  static char phrase[4096];
  size_t a, b;
  if (!lode_clause_subject(s, len, &rules, out, &a, &b)) return NULL;
  memcpy(phrase, out + a, b - a);
  phrase[b - a] = 0;
  *at = a;
  return phrase;
}

#define CHECK_NONE(s, len) \
  do { \
    size_t at_ = 0; \
    const char *got_ = subject((s), (len), &at_); \
    CHECK_MSG(got_ == NULL, "got \"%s\"", got_ ? got_ : ""); \
  } while (0)

/* Sentences and the phrase ending each (NULL: none) with its start. */
static const struct {
  const char *s, *want;
  size_t at;
} CASES[] = {
  {"Foreign Minister Ararat Mirzoyan", "Foreign Minister Ararat Mirzoyan", 0},
  /* the last clause; its last determiner; a strong one before a weak one */
  {"The talks ended late, and a senior official", "a senior official", 26},
  {"In the end an aide to the mayor", "an aide to the mayor", 11},
  {"It rained; the mayor", "the mayor", 11},
  /* clauses that are no subject are stepped over, four at most */
  {"Jane Doe, who asked not to be named, ", "Jane Doe", 0},
  {"Jane Doe, speaking to reporters, ", "Jane Doe", 0},
  {"Jane Doe, who a, who b, who c, who d, who e, ", "who b", 17},
  {"Jane Doe, which, ", "which", 10},
  /* opening words stripped; trailing words trimmed, never the only one */
  {"and while Smith", "Smith", 10},
  {"Smith has also  ", "Smith", 0},
  {"also", "also", 0},
  {"WHILE Smith HAS", "Smith", 6},
  /* curly marks and dashes separate (one byte each), markup is blank */
  {"He called it \xE2\x80\x9C" "a mistake\xE2\x80\x9D \xE2\x80\x94 and Smith", "Smith", 31},
  {"**Jane Doe**", "Jane Doe", 2},
  {"[Jane Doe](x)", "x", 11},
  /* possessives and long phrases are no subject */
  {"Smith's", NULL, 0},
  {"Smith\xE2\x80\x99s", NULL, 0},
  {"one two three four five six seven eight", NULL, 0},
  {"one two three four five six seven", "one two three four five six seven", 0},
  /* a determiner inside a word is none ("Obama ") */
  {"President Obama said", "President Obama said", 0},
};

static void test_sentences(void) {
  for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
    size_t at = 0;
    const char *got = subject(CASES[k].s, strlen(CASES[k].s), &at);
    if (CASES[k].want)
      CHECK_MSG(got && strcmp(got, CASES[k].want) == 0 && at == CASES[k].at, "%s: got \"%s\" at %zu",
                CASES[k].s, got ? got : "(none)", at);
    else
      CHECK_MSG(!got, "%s: got \"%s\"", CASES[k].s, got ? got : "");
  }
}

static void test_nasty(void) {
  size_t at = 0;
  const char *got;
  CHECK_NONE("", 0);
  CHECK_NONE(" \t\n", 3);
  CHECK_NONE(",,,;:", 5);
  got = subject("Jo\0hn", 5, &at);
  CHECK(got && memcmp(out + at, "Jo\0hn", 5) == 0);
  got = subject("\xff\xfe Smith \xE2\x80", 11, &at);
  CHECK(got && strcmp(got, "\xff\xfe Smith \xE2\x80") == 0 && at == 0);
  CHECK_NONE("\xE2\x80\x9C", 3);
}

static void test_last_start(void) {
  CHECK(lode_clause_last_start("", 0) == 0);
  CHECK(lode_clause_last_start("no separator", 12) == 0);
  CHECK(lode_clause_last_start("X said, and Y", 13) == 7);
  CHECK(lode_clause_last_start("(a) b", 5) == 3);
  CHECK(lode_clause_last_start("a \xE2\x80\x94 b", 7) == 5);       /* a dash */
  CHECK(lode_clause_last_start("a \xE2\x80\x99 b", 7) == 0);       /* an apostrophe is none */
  CHECK(lode_clause_last_start("\x80\x9C b", 4) == 0);             /* a cut mark is none */
  CHECK(lode_clause_last_start("a,\0b", 4) == 2);
}

static void test_huge(void) {
  size_t n = 1 << 20, a, b;
  char *s = malloc(n), *o = malloc(n);
  CHECK(s && o);
  if (!s || !o) return;
  for (size_t k = 0; k < n; k++) s[k] = (k % 5 == 4) ? ' ' : 'w';
  CHECK(!lode_clause_subject(s, n, &rules, o, &a, &b));     /* eight words or more */
  memset(s, ',', n);
  CHECK(!lode_clause_subject(s, n, &rules, o, &a, &b));
  CHECK(lode_clause_last_start(s, n) == n);
  memset(s, 'x', n);
  CHECK(lode_clause_subject(s, n, &rules, o, &a, &b) && a == 0 && b == n);
  CHECK(lode_clause_last_start(s, n) == 0);
  free(s);
  free(o);
}

int main(void) {
  lode_error err;
  lode_wordset *openers = lode_wordset_new(&err), *trims = lode_wordset_new(&err);
  CHECK(openers && trims);
  if (!openers || !trims) return 1;
  lode_wordset_add(openers, "and", 3, &err);
  lode_wordset_add(openers, "while", 5, &err);
  lode_wordset_add(trims, "also", 4, &err);
  lode_wordset_add(trims, "has", 3, &err);
  rules.strong = STRONG;
  rules.strong_len = STRONG_LEN;
  rules.nstrong = 4;
  rules.weak = WEAK;
  rules.weak_len = WEAK_LEN;
  rules.nweak = 4;
  rules.openers = openers;
  rules.trims = trims;
  test_sentences();
  test_nasty();
  test_last_start();
  test_huge();
  lode_wordset_free(openers);
  lode_wordset_free(trims);
  return test_report();
}
