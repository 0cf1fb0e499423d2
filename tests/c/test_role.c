/* test_role.c -- where a role before a name can start: the last word's
 * tests (enders, capitals, honorifics, non-ASCII, white space after it),
 * the stop bytes, the byte limit with a UTF-8 sequence cut, and edges. */
#include <string.h>

#include "role.h"
#include "test.h"

static lode_wordset *enders, *honorifics;
static unsigned char stop[256];

/* The start (0-based) the regex reads from in s (the name right after
 * it), or -1 when no role can end there; max 160. */
static long window(const char *s) {
  size_t start;
  if (!lode_role_window(s, 0, strlen(s), 160, enders, honorifics, stop, &start)) return -1;
  return (long)start;
}

static void test_last_word(void) {
  CHECK(window("the President ") == 0);          /* capitalised */
  CHECK(window("the foreign minister ") == 0);   /* a title's last word */
  CHECK(window("minister\t\n") == 0);
  CHECK(window("he said ") == -1);               /* neither */
  CHECK(window("Mr. ") == -1);                   /* an honorific */
  CHECK(window("MR ") == -1);                    /* folded */
  CHECK(window("President") == -1);              /* no white space after it */
  CHECK(window("   ") == -1);
  CHECK(window("") == -1);
  CHECK(window("the \xc5\x9e" "f ") == 0);       /* non-ASCII: the regex decides, */
  CHECK(window("said \xe2\x80\x9c") == 0);       /* white space after it or not */
}

static void test_stops(void) {
  /* the regex starts after the last byte no role holds */
  CHECK(window("he said, President ") == 8);
  CHECK(window("(1) \"Deputy Minister ") == 5);
  CHECK(window("a, b. Deputy's Minister ") == 5);   /* the apostrophe is a role's */
  CHECK(window("x, Minister ") == 2);
  CHECK(window("x,minister ") == -1);           /* one word: "x,minister" */
}

static void test_limit(void) {
  /* 170 bytes: only the last 160 are read, a cut sequence left out */
  char s[256];
  size_t start;
  memset(s, 'a', 170);
  s[8] = ',';                                   /* before the window: not seen */
  s[9] = '\xc3';
  s[10] = '\xa9';                               /* the window starts inside it */
  memcpy(s + 160, " Minister ", 10);
  CHECK(lode_role_window(s, 0, 170, 160, enders, honorifics, stop, &start) == 1 && start == 11);
  CHECK(lode_role_window(s, 0, 170, 0, enders, honorifics, stop, &start) == 0);
  CHECK(lode_role_window(s, 160, 170, 160, enders, honorifics, stop, &start) == 1 && start == 160);
}

int main(void) {
  enders = lode_wordset_new(NULL);
  honorifics = lode_wordset_new(NULL);
  lode_wordset_add(enders, "minister", 8, NULL);
  lode_wordset_add(honorifics, "mr.", 3, NULL);
  lode_wordset_add(honorifics, "mr", 2, NULL);
  for (const char *p = ",.\"()1"; *p; p++) stop[(unsigned char)*p] = 1;
  test_last_word();
  test_stops();
  test_limit();
  lode_wordset_free(enders);
  lode_wordset_free(honorifics);
  return test_report();
}
