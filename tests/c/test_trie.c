/* test_trie.c -- a regex alternation of phrases as a trie (core/trie.h):
 * shared prefixes, phrases that are prefixes of others, escapes, spaces,
 * characters beyond ASCII, the prefix limit, and nasty input (no phrase,
 * duplicates, bad UTF-8, control bytes, spacing, a huge shared prefix). */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "trie.h"

/* The trie of the NULL-terminated phrases (NULL on failure). */
static char *trie_of(const char *const *p, size_t prefix) {
  static char got[4096];
  size_t n = 0, lens[16], outlen;
  char *out;
  lode_error err;
  while (p[n]) lens[n] = strlen(p[n]), n++;
  if (lode_trie(p, lens, n, prefix, &out, &outlen, &err) != 0) return NULL;
  snprintf(got, sizeof got, "%s", out);
  free(out);
  return got;
}

#define CHECK_TRIE(prefix, want, ...) \
  do { \
    static const char *const p_[] = {__VA_ARGS__, NULL}; \
    const char *got_ = trie_of(p_, (prefix)); \
    CHECK_MSG(got_ && strcmp(got_, (want)) == 0, "got \"%s\", want \"%s\"", got_ ? got_ : "(error)", (want)); \
  } while (0)

#define CHECK_BAD(...) \
  do { \
    static const char *const p_[] = {__VA_ARGS__, NULL}; \
    CHECK(trie_of(p_, (size_t)-1) == NULL); \
  } while (0)

int main(void) {
  const size_t all = (size_t)-1;
  CHECK_TRIE(all, "fo(?:rty|ur(?:teen)?)", "four", "fourteen", "forty");
  CHECK_TRIE(all, "foo(?:\\s+bar)?", "foo bar", "foo");
  CHECK_TRIE(all, "(?:co\\-chair|gen\\.)", "gen.", "co-chair");
  CHECK_TRIE(all, "(?:f\xC3\xA9v(?:rier)?|mars)", "f\xC3\xA9vrier", "f\xC3\xA9v", "mars");
  CHECK_TRIE(3, "(?:a(?:n|t\\s+)?|fo(?:r|u))", "a", "an", "at all", "four", "forty");
  CHECK_TRIE(0, "", "a", "b");
  CHECK_TRIE(all, "said", "said", "said");                 /* duplicates */
  CHECK_TRIE(all, "(?:A|a)", "a", "A");                    /* byte order */
  CHECK_BAD("two  spaces");
  CHECK_BAD(" lead");
  CHECK_BAD("trail ");
  CHECK_BAD("\xFF" "bad");
  CHECK_BAD("tab\there");
  CHECK_BAD("");
  {
    /* no phrase at all */
    char *out = (char *)1;
    size_t outlen = 9;
    lode_error err;
    CHECK(lode_trie(NULL, NULL, 0, all, &out, &outlen, &err) == 0 && outlen == 0 && out && !out[0]);
    free(out);
  }
  {
    /* two long phrases sharing all but their last letter: too deep, an
     * error and no crash; one alone is fine */
    size_t n = 100000, lens[2] = {n, n}, outlen;
    char *a = malloc(n), *b = malloc(n), *out;
    const char *p[2] = {a, b};
    lode_error err;
    CHECK(a && b);
    if (a && b) {
      memset(a, 'w', n);
      memset(b, 'w', n);
      b[n - 1] = 'x';
      CHECK(lode_trie(p, lens, 2, all, &out, &outlen, &err) == LODE_EARG);
      CHECK(lode_trie(p, lens, 1, all, &out, &outlen, &err) == 0 && outlen == n);
      free(out);
    }
    free(a);
    free(b);
  }
  return test_report();
}
