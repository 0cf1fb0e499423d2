/* test_coord.c -- the items of lists of capitalised names: separators
 * both ways, the word limit, non-ASCII capitals, punctuation inside a
 * word, the text's edges, bad UTF-8, and the item limit. */
#include <string.h>

#include "coord.h"
#include "test.h"

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

int main(void) {
  test_separators();
  test_words();
  test_edges();
  test_limit();
  return test_report();
}
