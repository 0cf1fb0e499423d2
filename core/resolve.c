/*
 * resolve.c -- leftmost-longest resolution of candidate spans (see resolve.h).
 */
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

static int span_order(const void *pa, const void *pb) {
  const lode_cand *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->end != b->end) return a->end > b->end ? -1 : 1;   /* longest first */
  if (a->prio != b->prio) return a->prio < b->prio ? -1 : 1;
  if (a->id != b->id) return a->id < b->id ? -1 : 1;
  return 0;
}

/* Whether s[0..n) is sorted already: scans report most candidates in
 * order, and a check costs less than qsort's comparisons. */
static int sorted(const lode_cand *s, size_t n) {
  for (size_t k = 1; k < n; k++)
    if (span_order(&s[k - 1], &s[k]) > 0) return 0;
  return 1;
}

void lode_resolve_sort(lode_cand *s, size_t n) {
  if (n > 1 && !sorted(s, n)) qsort(s, n, sizeof *s, span_order);
}

/* The end of the sorted run of s[0..n) that starts at `from`. */
static size_t run_end(const lode_cand *s, size_t from, size_t n) {
  size_t k = from + 1;
  while (k < n && span_order(&s[k - 1], &s[k]) <= 0) k++;
  return k;
}

/* Merge the sorted a[0..na) and b[0..nb) into out. */
static void merge(const lode_cand *a, size_t na, const lode_cand *b, size_t nb, lode_cand *out) {
  while (na > 0 && nb > 0) {
    if (span_order(b, a) < 0) { *out++ = *b++; nb--; }
    else { *out++ = *a++; na--; }
  }
  while (na-- > 0) *out++ = *a++;
  while (nb-- > 0) *out++ = *b++;
}

/* Each pass merges the runs two by two from one array into the other,
 * halving their number. */
void lode_resolve_sort_runs(lode_cand *s, size_t n, lode_cand *scratch) {
  lode_cand *from = s, *to = scratch, *t;
  size_t runs = 2;
  if (n < 2 || sorted(s, n)) return;
  while (runs > 1) {
    runs = 0;
    for (size_t a = 0; a < n; runs++) {
      size_t m = run_end(from, a, n), b = m < n ? run_end(from, m, n) : n;
      merge(from + a, m - a, from + m, b - m, to + a);
      a = b;
    }
    t = from; from = to; to = t;
  }
  if (from != s) memcpy(s, from, n * sizeof *s);
}

size_t lode_resolve_union(lode_cand *s, size_t n) {
  size_t out = 0;
  lode_resolve_sort(s, n);
  for (size_t k = 0; k < n; k++) {
    if (s[k].start >= s[k].end) continue;
    if (out > 0 && s[k].start < s[out - 1].end) {      /* overlaps the last one */
      if (s[k].end > s[out - 1].end) s[out - 1].end = s[k].end;
    } else {
      s[out++] = s[k];
    }
  }
  return out;
}

void lode_resolve_walk_init(lode_resolve_walk *w, const lode_cand *cand, size_t ncand,
                          const lode_cand *claimed, size_t nclaimed) {
  w->cand = cand;
  w->ncand = ncand;
  w->claimed = claimed;
  w->nclaimed = nclaimed;
  w->k = w->c = 0;
  w->free_from = 0;
}

/* Candidates come by start: the claims ending at or before a start are
 * behind every later candidate, so the cursor c only moves forward. */
const lode_cand *lode_resolve_next(lode_resolve_walk *w) {
  while (w->k < w->ncand) {
    const lode_cand *s = &w->cand[w->k++];
    if (s->start < w->free_from) continue;
    while (w->c < w->nclaimed && w->claimed[w->c].end <= s->start) w->c++;
    if (w->c < w->nclaimed && w->claimed[w->c].start < s->end) continue;
    return s;
  }
  return NULL;
}

void lode_resolve_take(lode_resolve_walk *w, const lode_cand *s) {
  if (s->end > w->free_from) w->free_from = s->end;
}

size_t lode_resolve(lode_cand *cand, size_t n, lode_cand *claimed, size_t nclaimed) {
  lode_resolve_walk w;
  const lode_cand *s;
  size_t kept = 0;
  lode_resolve_sort(cand, n);
  nclaimed = claimed ? lode_resolve_union(claimed, nclaimed) : 0;
  lode_resolve_walk_init(&w, cand, n, claimed, nclaimed);
  while ((s = lode_resolve_next(&w)) != NULL) {
    lode_resolve_take(&w, s);
    cand[kept++] = *s;      /* s is at or after cand[kept]: nothing unread is overwritten */
  }
  return kept;
}
