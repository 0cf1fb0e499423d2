/* test_strtab.c -- strings numbered in the order first seen: ids, bytes
 * compared exactly (case, NUL, the empty string), growth past many
 * strings, marks, and clearing. */
#include <stdio.h>
#include <string.h>

#include "strtab.h"
#include "test.h"

static void test_ids(void) {
  lode_error err;
  lode_strtab *t = lode_strtab_new(&err);
  CHECK(t != NULL);
  CHECK(lode_strtab_size(t) == 0);
  CHECK(lode_strtab_find(t, "Baku", 4) == 0);
  CHECK(lode_strtab_intern(t, "Baku", 4, &err) == 1);
  CHECK(lode_strtab_intern(t, "baku", 4, &err) == 2);        /* no case folding */
  CHECK(lode_strtab_intern(t, "Baku", 4, &err) == 1);
  CHECK(lode_strtab_intern(t, "Ba\0ku", 5, &err) == 3);      /* NUL is a byte */
  CHECK(lode_strtab_intern(t, "", 0, &err) == 4);
  CHECK(lode_strtab_intern(t, "Bak", 3, &err) == 5);
  CHECK(lode_strtab_find(t, "Ba\0ku", 5) == 3);
  CHECK(lode_strtab_find(t, "", 0) == 4);
  CHECK(lode_strtab_size(t) == 5);
  lode_strtab_free(t);
  lode_strtab_free(NULL);
}

static void test_many(void) {
  lode_error err;
  lode_strtab *t = lode_strtab_new(&err);
  char w[32];
  int ok = 1;
  size_t n = test_scale(100000);
  for (size_t k = 0; k < n; k++) {
    int len = snprintf(w, sizeof w, "Name %zu", k);
    ok &= lode_strtab_intern(t, w, (size_t)len, &err) == k + 1;
  }
  CHECK(ok);
  for (size_t k = 0; k < n; k += 7) {
    int len = snprintf(w, sizeof w, "Name %zu", k);
    ok &= lode_strtab_find(t, w, (size_t)len) == k + 1;
  }
  CHECK(ok);
  CHECK(lode_strtab_size(t) == n);
  lode_strtab_free(t);
}

static void test_marks_and_clear(void) {
  lode_error err;
  lode_strtab *t = lode_strtab_new(&err);
  size_t a = lode_strtab_intern(t, "The", 3, &err), b = lode_strtab_intern(t, "Ana Lind", 8, &err);
  lode_strtab_mark(t, a);
  lode_strtab_mark(t, 99);                                     /* no such id: ignored */
  CHECK(lode_strtab_marked(t, a) && !lode_strtab_marked(t, b));
  CHECK(!lode_strtab_marked(t, 0) && !lode_strtab_marked(t, 99));
  lode_strtab_clear(t);
  CHECK(lode_strtab_size(t) == 0 && lode_strtab_find(t, "The", 3) == 0);
  CHECK(lode_strtab_intern(t, "Ana Lind", 8, &err) == 1);
  CHECK(!lode_strtab_marked(t, 1));                            /* marks go with the strings */
  lode_strtab_free(t);
}

int main(void) {
  test_ids();
  test_many();
  test_marks_and_clear();
  return test_report();
}
