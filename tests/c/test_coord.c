/* test_coord.c -- the items of lists of capitalised names: separators
 * both ways, the word limit, non-ASCII capitals, punctuation inside a
 * word, the text's edges, bad UTF-8, and the item limit; the gaps after
 * commas, against the regex they stand for. */
#include <string.h>
#include <utf8proc.h>

#include "coord.h"
#include "regex.h"
#include "test.h"

#define GAP_RE ",[ \\t]+(?:(?:and|or)[ \\t]+)?(?=\\p{Lu})"

/* The list through the item at `start` (its end found), as "i-j,i-j"
 * 0-based end-exclusive spans, into out; "" when no item starts there. */
static const char *list_at(const char *s, size_t start, int max_words, size_t max_items) {
  static char out[512];
  size_t I[32], J[32], n, end = lode_coord_item_end(s, strlen(s), start, max_words);
  char *p = out;
  out[0] = '\0';
  if (!end) return out;
  n = lode_coord_list(s, strlen(s), start, end, max_words, max_items, I, J);
  for (size_t k = 0; k < n; k++)
    p += sprintf(p, "%s%zu-%zu", k ? "," : "", I[k], J[k]);
  return out;
}

static void test_separators(void) {
  /* "Sotk, Norabak, Verin Shorzha and Jermuk." */
  const char *s = "Sotk, Norabak, Verin Shorzha and Jermuk.";
  CHECK(strcmp(list_at(s, 6, 3, 24), "0-4,6-13,15-28,33-39") == 0);
  CHECK(strcmp(list_at(s, 0, 3, 24), "0-4,6-13,15-28,33-39") == 0);
  /* ", and", ", or", tabs */
  CHECK(strcmp(list_at("Ani, Bejo,\tand Cara, or Dov", 5, 3, 24), "0-3,5-9,15-19,24-27") == 0);
  /* "and" needs a blank after it; "or" inside a word is no separator */
  CHECK(strcmp(list_at("Ani andCara", 0, 3, 24), "0-3") == 0);
  CHECK(strcmp(list_at("Tor Ani, Bo", 4, 3, 24), "4-7,9-11") == 0);   /* no separator before */
  /* a lower-case word ends an item; a list does not cross a line */
  CHECK(strcmp(list_at("the Ani, Bo and Cy", 4, 3, 24), "4-7,9-11,16-18") == 0);
  CHECK(strcmp(list_at("Ani,\nBo", 0, 3, 24), "0-3") == 0);
  CHECK(strcmp(list_at("lower, Bo", 7, 3, 24), "7-9") == 0);
}

static void test_words(void) {
  /* at most max_words words to an item, walking forward and back */
  CHECK(strcmp(list_at("Aa Bb Cc Dd, Ee", 13, 3, 24), "3-11,13-15") == 0);
  CHECK(strcmp(list_at("Aa Bb, Cc Dd Ee Ff", 0, 3, 24), "0-5,7-15") == 0);
  CHECK(strcmp(list_at("Aa Bb, Cc", 0, 1, 24), "0-2") == 0);
  /* hyphens are letters; an apostrophe or a dash ends the word */
  CHECK(strcmp(list_at("Nor-Ani, Bo", 0, 3, 24), "0-7,9-11") == 0);
  CHECK(strcmp(list_at("Ani\xe2\x80\x99s, Bo", 9, 3, 24), "9-11") == 0);
  /* a non-ASCII capital starts a word, a non-ASCII small letter does not */
  CHECK(strcmp(list_at("\xc5\x9e" "u\xc5\x9f" "a, Bo", 0, 3, 24), "0-6,8-10") == 0);
  CHECK(strcmp(list_at("\xc3\xa9" "tel, Bo", 7, 3, 24), "7-9") == 0);
  /* bad UTF-8 starts no word */
  CHECK(strcmp(list_at("\xc5, Bo", 3, 3, 24), "3-5") == 0);
  CHECK(strcmp(list_at("\xff\xfe", 0, 3, 24), "") == 0);
}

static void test_edges(void) {
  CHECK(lode_coord_item_end("", 0, 0, 3) == 0);
  CHECK(lode_coord_item_end("Ani", 3, 3, 3) == 0);
  CHECK(strcmp(list_at("Ani", 0, 3, 24), "0-3") == 0);
  CHECK(strcmp(list_at(", Ani", 2, 3, 24), "2-5") == 0);
  CHECK(strcmp(list_at("and Ani", 4, 3, 24), "4-7") == 0);
  CHECK(strcmp(list_at("Ani, ", 0, 3, 24), "0-3") == 0);
  /* NUL bytes are no word bytes */
  CHECK(lode_coord_item_end("Ani\0Bo", 6, 0, 3) == 3);
}

static void test_limit(void) {
  /* 30 items: at most max_items before, max_items in all after */
  char s[256] = "";
  size_t I[32], J[32];
  for (int k = 0; k < 30; k++) strcat(s, k ? ", Ab" : "Ab");
  CHECK(lode_coord_list(s, strlen(s), 0, 2, 3, 24, I, J) == 24);
  CHECK(lode_coord_list(s, strlen(s), 29 * 4, 29 * 4 + 2, 3, 24, I, J) == 25);
  CHECK(I[0] == 5 * 4 && I[24] == 29 * 4 && J[24] == 29 * 4 + 2);
}

/* The gaps of s[0..len) as "a-b,a-b" (0-based, end-exclusive), by
 * lode_coord_next_gap or (re) by the regex's matches. */
static const char *gaps(const char *s, size_t len, const lode_regex *re, lode_regex_scratch *sc) {
  static char out[4096];
  size_t a, b, pos = 0, ov[2];
  int last_empty = 0, n = 0;
  lode_error err;
  char *p = out;
  out[0] = '\0';
  while (p < out + sizeof out - 48) {
    if (re) {
      if (lode_regex_next(re, sc, s, len, &pos, &last_empty, 0, ov, &err) != 1) break;
      a = ov[0];
      b = ov[1];
    } else {
      if (!lode_coord_next_gap(s, len, pos, &a, &b)) break;
      pos = b;
    }
    p += sprintf(p, "%s%zu-%zu", n++ ? "," : "", a, b);
  }
  return out;
}

static void test_gaps(void) {
  /* pieces of nasty text: blanks, the two words and words like them, capitals
   * ASCII and not (Lu), a titlecase and a small letter (no Lu), NUL, a line */
  static const char *const pieces[] = {
    ",", ",", ", ", " ", "\t", "and", "or", "And", "andy", "ore", "A", "b", "\xc3\x89", "\xc3\xa9",
    "\xc7\x85", "\xf0\x9d\x90\x80", "\xce\xa3", "\n", "1", "\xe2\x80\x99", "_",
  };
  lode_error err;
  lode_regex *re = lode_regex_compile(GAP_RE, strlen(GAP_RE), 0, &err);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  unsigned seed = 17;
  size_t a, b;
  char s[256] = {0};   /* (zeroed: the JIT reads a little past the subject) */
  CHECK(re != NULL && sc != NULL);
  if (!re || !sc) return;
  CHECK(strcmp(gaps("Sotk, Norabak,\tVerin and Jermuk, and Ani,  or Bo", 48, NULL, sc),
               "4-6,13-15,31-37,40-46") == 0);
  CHECK(strcmp(gaps(", and x, andy, Cy,\xc3\x89, \xc3\x89, \xc7\x85", 28, NULL, sc), "13-15,20-22") == 0);
  CHECK(!lode_coord_next_gap("", 0, 0, &a, &b) && !lode_coord_next_gap(", ", 2, 0, &a, &b));
  CHECK(!lode_coord_next_gap(", \xc3", 3, 0, &a, &b));               /* bad UTF-8: no capital */
  /* random texts: the same gaps as the regex's */
  for (size_t round = 0; round < test_scale(4000); round++) {
    size_t len = test_random_pieces(s, 200, pieces, sizeof pieces / sizeof *pieces, &seed);
    char mine[4096];
    strcpy(mine, gaps(s, len, NULL, sc));
    CHECK_MSG(strcmp(mine, gaps(s, len, re, sc)) == 0, "round %zu: %s", round, mine);
  }
  /* the capital test is PCRE2's \p{Lu} on every code point */
  {
    static const char LU[] = "^\\p{Lu}";
    lode_regex *lu = lode_regex_compile(LU, strlen(LU), 0, &err);
    size_t differ = 0, ov[2];
    CHECK(lu != NULL);
    for (int32_t cp = 0x80; lu && cp <= 0x10FFFF; cp++) {
      char t[8] = ", ";
      utf8proc_ssize_t n;
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)t + 2);
      if ((lode_regex_exec(lu, sc, t + 2, (size_t)n, 0, 0, ov, &err) == 1) != lode_coord_next_gap(t, 2 + (size_t)n, 0, &a, &b))
        differ++;
    }
    CHECK_MSG(differ == 0, "%zu code points", differ);
    lode_regex_free(lu);
  }
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
}

int main(void) {
  test_gaps();
  test_separators();
  test_words();
  test_edges();
  test_limit();
  return test_report();
}
