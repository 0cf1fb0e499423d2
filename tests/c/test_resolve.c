/* test_resolve.c -- leftmost-longest resolution: sorting, claimed unions,
 * the walk with refusals, against a naive reference on random spans, the
 * merge of sorted runs against the sort, and the edges (no candidates,
 * empty spans, huge offsets). */
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "test.h"

static lode_cand span(size_t start, size_t end, long prio, size_t id) {
  lode_cand s = {start, end, prio, id};
  return s;
}

/* Naive reference: the candidate that wins at each step is the first in
 * leftmost-longest order among those left that start at or after `from`
 * and overlap no claim; kept[] gets the winners' ids. */
static int before(const lode_cand *a, const lode_cand *b) {
  if (a->start != b->start) return a->start < b->start;
  if (a->end != b->end) return a->end > b->end;
  if (a->prio != b->prio) return a->prio < b->prio;
  return a->id < b->id;
}

static size_t naive(const lode_cand *c, size_t n, const lode_cand *cl, size_t ncl, size_t *kept) {
  size_t from = 0, nk = 0;
  char used[64] = {0};
  for (;;) {
    const lode_cand *best = NULL;
    size_t bk = 0;
    for (size_t k = 0; k < n; k++) {
      int hit = 0;
      if (used[k] || c[k].start < from) continue;
      for (size_t m = 0; m < ncl; m++)
        if (cl[m].start < cl[m].end && cl[m].start < c[k].end && c[k].start < cl[m].end) hit = 1;
      if (!hit && (!best || before(&c[k], best))) { best = &c[k]; bk = k; }
    }
    if (!best) return nk;
    used[bk] = 1;
    kept[nk++] = best->id;
    from = best->end;
    /* spans starting before `from` are out for good */
    for (size_t k = 0; k < n; k++) if (c[k].start < from) used[k] = 1;
  }
}

static void test_basic(void) {
  lode_cand c[4] = {span(5, 9, 0, 0), span(3, 6, 0, 1), span(7, 12, 0, 2), span(3, 4, 0, 3)};
  size_t n = lode_resolve(c, 4, NULL, 0);
  CHECK(n == 2);
  CHECK(c[0].id == 1 && c[1].id == 2);
}

static void test_ties_and_claims(void) {
  lode_cand c[3] = {span(0, 4, 2, 0), span(0, 4, 1, 1), span(0, 4, 1, 2)};
  lode_cand cl[3] = {span(20, 25, 0, 0), span(8, 9, 0, 1), span(22, 30, 0, 2)};
  lode_cand d[3] = {span(6, 8, 0, 0), span(9, 10, 0, 1), span(25, 31, 0, 2)};
  CHECK(lode_resolve(c, 3, NULL, 0) == 1);
  CHECK(c[0].id == 1);
  CHECK(lode_resolve_union(cl, 3) == 2);
  CHECK(cl[0].start == 8 && cl[0].end == 9 && cl[1].start == 20 && cl[1].end == 30);
  CHECK(lode_resolve(d, 3, cl, 2) == 2);
  CHECK(d[0].id == 0 && d[1].id == 1);
}

static void test_refusal(void) {
  lode_cand c[2] = {span(0, 10, 0, 0), span(1, 3, 0, 1)};
  lode_resolve_walk w;
  const lode_cand *s;
  lode_resolve_sort(c, 2);
  lode_resolve_walk_init(&w, c, 2, NULL, 0);
  s = lode_resolve_next(&w);
  CHECK(s && s->id == 0);                /* refused: not taken */
  s = lode_resolve_next(&w);
  CHECK(s && s->id == 1);
  lode_resolve_take(&w, s);
  CHECK(lode_resolve_next(&w) == NULL);
}

static void test_edges(void) {
  lode_cand big[2] = {span((size_t)-3, (size_t)-1, 0, 0), span(0, 0, 0, 1)};
  lode_cand empty_claim[1] = {span(4, 4, 0, 0)};
  CHECK(lode_resolve(NULL, 0, NULL, 0) == 0);
  CHECK(lode_resolve_union(empty_claim, 1) == 0);
  CHECK(lode_resolve(big, 2, NULL, 0) == 2);
  CHECK(big[0].id == 1 && big[1].id == 0);
}

static void test_random(void) {
  srand(17);
  for (int round = 0; round < 2000; round++) {
    lode_cand c[64], orig[64], cl[8], clcopy[8];
    size_t kept[64], n = (size_t)(rand() % 40), ncl = (size_t)(rand() % 5), nk, got, ok = 1;
    for (size_t k = 0; k < n; k++) {
      size_t s = (size_t)(rand() % 60);
      c[k] = span(s, s + (size_t)(rand() % 9), rand() % 3, k);
    }
    for (size_t k = 0; k < ncl; k++) {
      size_t s = (size_t)(rand() % 60);
      cl[k] = span(s, s + (size_t)(rand() % 6), 0, k);
    }
    memcpy(orig, c, sizeof c);
    memcpy(clcopy, cl, sizeof cl);
    nk = naive(orig, n, clcopy, ncl, kept);
    got = lode_resolve(c, n, cl, ncl);
    if (got != nk) ok = 0;
    for (size_t k = 0; ok && k < got; k++) if (c[k].id != kept[k]) ok = 0;
    CHECK_MSG(ok, "round %d: %zu kept, reference %zu", round, got, nk);
  }
}

/* Lists made of sorted runs (a list per rule), and lists in no order at
 * all: merging the runs gives the order lode_resolve_sort gives. */
static void test_sort_runs(void) {
  srand(29);
  for (int round = 0; round < 2000; round++) {
    lode_cand a[80], b[80], scratch[80];
    size_t n = (size_t)(rand() % 80), ok = 1, at = 0;
    int shuffled = round % 5 == 0;
    while (at < n) {                     /* runs of 1 to 30 spans, each in order */
      size_t len = 1 + (size_t)(rand() % 30), s = (size_t)(rand() % 20);
      for (size_t k = 0; k < len && at < n; k++, at++) {
        s += (size_t)(rand() % 4);
        a[at] = span(shuffled ? (size_t)(rand() % 90) : s, 0, rand() % 2, at);
        a[at].end = a[at].start + (size_t)(rand() % 5);
      }
    }
    memcpy(b, a, n * sizeof *a);
    lode_resolve_sort(a, n);
    lode_resolve_sort_runs(b, n, scratch);
    for (size_t k = 0; k < n; k++) if (a[k].id != b[k].id) ok = 0;
    CHECK_MSG(ok, "round %d: %zu spans merged out of order", round, n);
  }
}

int main(void) {
  test_basic();
  test_ties_and_claims();
  test_refusal();
  test_edges();
  test_random();
  test_sort_runs();
  return test_report();
}
