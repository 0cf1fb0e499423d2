/*
 * resolve.h -- leftmost-longest resolution of candidate spans.
 *
 * Every extractor finds candidates (byte spans with a priority) by several
 * rules at once and keeps those that do not overlap: the one starting
 * first wins, then the longest, then the lower priority, then the one the
 * caller listed first (`id`), so the result never depends on how a sort
 * breaks ties. Some ranges may be claimed beforehand (dates a quantity may
 * not overlap, gazetteer hits): a candidate overlapping one is dropped.
 *
 * Spans are 0-based, end-exclusive byte offsets [start, end). Two spans
 * overlap when they share a byte (an empty candidate inside a claim counts
 * as overlapping it); a
 * candidate is taken only if it starts at or after the end of the last
 * one taken. Nothing here allocates: the caller owns every array.
 */
#ifndef LODE_RESOLVE_H
#define LODE_RESOLVE_H

#include <stddef.h>

typedef struct lode_cand {
  size_t start, end;   /* bytes [start, end) */
  long prio;           /* among spans of the same extent, the lower wins */
  size_t id;           /* the caller's index: the last tie-break */
} lode_cand;

/* Sort s[0..n) leftmost-longest: by start, then longest first, then prio,
 * then id (a total order when ids differ). */
void lode_resolve_sort(lode_cand *s, size_t n);

/* The same order, for spans made of a few sorted runs one after another
 * (a list per rule, each scanned in document order): the runs are merged
 * through scratch[0..n), which the caller owns, in about n * log2(runs)
 * steps instead of a sort's n * log2(n). */
void lode_resolve_sort_runs(lode_cand *s, size_t n, lode_cand *scratch);

/* Replace ranges s[0..n) (any order, overlapping or not) by their sorted,
 * disjoint union, in place; returns its length. Empty ranges are dropped.
 * prio and id of the merged ranges are those of their first piece. */
size_t lode_resolve_union(lode_cand *s, size_t n);

/* A walk over sorted candidates (lode_resolve_sort) beside claimed ranges
 * (lode_resolve_union): lode_resolve_next gives the next candidate that
 * starts at or after the end of the last one taken and overlaps no claimed
 * range; the caller takes it (lode_resolve_take) or passes it by (a rule may
 * reject a candidate and leave its bytes to the next ones). */
typedef struct lode_resolve_walk {
  const lode_cand *cand, *claimed;
  size_t ncand, nclaimed;
  size_t k, c;         /* the next candidate; the first claim ending after it */
  size_t free_from;    /* bytes before this are taken */
} lode_resolve_walk;

void lode_resolve_walk_init(lode_resolve_walk *w, const lode_cand *cand, size_t ncand,
                          const lode_cand *claimed, size_t nclaimed);
/* The next candidate left, or NULL at the end. */
const lode_cand *lode_resolve_next(lode_resolve_walk *w);
/* Take candidate s (the one lode_resolve_next just gave). */
void lode_resolve_take(lode_resolve_walk *w, const lode_cand *s);

/* Sort cand[0..n) and claimed[0..nclaimed) (which may be NULL with
 * nclaimed 0), reduce claimed to its union, and move the candidates a walk
 * that takes every one it is given keeps to the front of cand, in document
 * order. Returns how many were kept. */
size_t lode_resolve(lode_cand *cand, size_t n, lode_cand *claimed, size_t nclaimed);

#endif
