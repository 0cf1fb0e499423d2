/* test_units.c -- the page cleaner's units: lines grouped at breaks and
 * cuts, and the markup test of a line, on plain, empty and nasty input
 * (NUL bytes, bad UTF-8, a 1 MB line, CR of CRLF), against a reference. */
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "test.h"

/* The units of `flags` as "a-b " pairs (0-based, end exclusive). */
static const char *units_of(const unsigned char *flags, size_t n) {
  static char buf[512];
  lode_spans out = {NULL, 0, 0};
  lode_error err;
  size_t k, at = 0;
  buf[0] = 0;
  if (lode_units(flags, n, &out, &err) != 0) return "error";
  for (k = 0; k < out.n && at < sizeof buf - 32; k++)
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%zu-%zu ", out.v[k].start, out.v[k].end);
  lode_spans_free(&out);
  return buf;
}

static void test_grouping(void) {
  enum { B = LODE_UNIT_BREAK, C = LODE_UNIT_CUT };
  const unsigned char run[] = {0, 0, 0};
  const unsigned char breaks[] = {B, 0, 0, B, B, 0};
  const unsigned char cuts[] = {0, C, 0, C};
  const unsigned char cut_break[] = {0, C | B, 0};
  const unsigned char all_breaks[] = {B, B};
  CHECK(strcmp(units_of(run, 3), "0-3 ") == 0);
  CHECK(strcmp(units_of(breaks, 6), "1-3 5-6 ") == 0);
  CHECK(strcmp(units_of(cuts, 4), "0-1 1-3 3-4 ") == 0);
  CHECK(strcmp(units_of(cut_break, 3), "0-1 2-3 ") == 0);   /* a break wins */
  CHECK(strcmp(units_of(all_breaks, 2), "") == 0);
  CHECK(strcmp(units_of(NULL, 0), "") == 0);                /* no lines */
}

static void test_refusal(void) {
  lode_spans out = {NULL, 0, 0};
  lode_error err;
  CHECK(lode_units(NULL, 3, &out, &err) == LODE_EARG && err.code == LODE_EARG);
  CHECK(lode_units((const unsigned char *)"", 0, NULL, &err) == LODE_EARG);
}

/* Random flags against a reference written as the rule reads. */
static void test_random(void) {
  srand(7);
  for (int round = 0; round < 2000; round++) {
    unsigned char f[40];
    size_t n = (size_t)(rand() % 40), k, m = 0, open = 0;
    size_t ref[80];
    int have = 0, ok = 1;
    lode_spans out = {NULL, 0, 0};
    for (k = 0; k < n; k++) f[k] = (unsigned char)(rand() % 4);
    for (k = 0; k < n; k++) {
      if (f[k] & LODE_UNIT_BREAK) {
        if (have) { ref[m++] = open; ref[m++] = k; have = 0; }
        continue;
      }
      if (have && (f[k] & LODE_UNIT_CUT)) { ref[m++] = open; ref[m++] = k; have = 0; }
      if (!have) { open = k; have = 1; }
    }
    if (have) { ref[m++] = open; ref[m++] = n; }
    if (lode_units(f, n, &out, NULL) != 0 || out.n * 2 != m) ok = 0;
    for (k = 0; ok && k < out.n; k++)
      if (out.v[k].start != ref[2 * k] || out.v[k].end != ref[2 * k + 1]) ok = 0;
    CHECK_MSG(ok, "round %d: %zu units, reference %zu", round, out.n, m / 2);
    lode_spans_free(&out);
  }
}

static void test_markup(void) {
  unsigned char lead[256] = {0};
  const char *l, *marks = "[<*_`\\";
  size_t nmarks = strlen(marks);
  char *big;
  size_t mb = 1 << 20;
  for (l = "#>*-+0123456789"; *l; l++) lead[(unsigned char)*l] = 1;
#define MARKUP(lit) lode_unit_line_markup(lit, sizeof lit - 1, lead, marks, nmarks)
  CHECK(MARKUP("The talks resumed on Monday, officials said.") == 0);
  CHECK(MARKUP("# Heading") == 1);
  CHECK(MARKUP("2020 was a hard year") == 1);          /* a lead byte: the tables decide */
  CHECK(MARKUP("Read the [report](http://x.example/r)") == 1);
  CHECK(MARKUP("a snake_case name") == 1);
  CHECK(MARKUP("ends with a backslash \\") == 1);
  CHECK(MARKUP("") == 0);
  CHECK(MARKUP("nul \0 inside, then <b>") == 1);       /* NUL is an ordinary byte */
  CHECK(MARKUP("nul \0 inside only") == 0);
  CHECK(MARKUP("\xff\xfe bad \xc3 UTF-8 \xe2\x80") == 0);
  CHECK(MARKUP("bad \xc3[ then a bracket") == 1);
  CHECK(lode_unit_line_markup("a \0 NUL", 6, lead, "\0", 1) == 1);   /* a NUL mark */
  CHECK(lode_unit_line_markup("a [link]", 8, lead, marks, 0) == 0);  /* no marks */
  CHECK(MARKUP("a line that ends in CR\r") == 0);
  CHECK(MARKUP("\r\n") == 0);
  CHECK(lode_unit_line_markup("-", 0, lead, marks, nmarks) == 0);  /* empty: no byte read */
#undef MARKUP
  big = malloc(mb);
  CHECK(big != NULL);
  if (!big) return;
  memset(big, 'a', mb);
  CHECK(lode_unit_line_markup(big, mb, lead, marks, nmarks) == 0);
  big[mb - 1] = '`';
  CHECK(lode_unit_line_markup(big, mb, lead, marks, nmarks) == 1);  /* the last byte is read */
  free(big);
}

int main(void) {
  test_grouping();
  test_refusal();
  test_random();
  test_markup();
  return test_report();
}
