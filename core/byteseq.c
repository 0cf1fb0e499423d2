/* byteseq.c -- short byte-class sequences, every occurrence in one pass
 * (see byteseq.h). */
#include "byteseq.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct byteclass { uint8_t bit[32]; } byteclass;

typedef struct seq {
  size_t nitems;
  byteclass item[LODE_BYTESEQ_MAX];
} seq;

/* The filter: bit GROUPS * i + g of step[c] is set when byte c is in
 * class i (i < 3) of some sequence of group g (groups 0 to GROUPS - 3 for
 * sequences of three items or more, a group per first class while there
 * are groups left; GROUPS - 2 for two items, GROUPS - 1 for one). A
 * shift-and over the page keeps, per byte, the groups whose first classes
 * all matched the bytes up to it (Baeza-Yates and Gonnet's bitap, for all
 * groups at once): where no group reached its last class, no sequence
 * starts. */
#define GROUPS 21
struct lode_byteseqs {
  size_t n;
  size_t from[257];      /* by[from[c] .. from[c + 1]): the sequences whose */
  size_t *by;            /* first class holds byte c, in sequence order */
  uint64_t step[256];
  uint64_t done;         /* the bits of each group's last filtered class */
  seq *seqs;
};

static int has(const byteclass *c, unsigned char b) { return c->bit[b >> 3] >> (b & 7) & 1; }

static void add(byteclass *c, unsigned char b, int caseless) {
  c->bit[b >> 3] |= (uint8_t)(1u << (b & 7));
  if (caseless && ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
    unsigned char o = (unsigned char)(b ^ 0x20);
    c->bit[o >> 3] |= (uint8_t)(1u << (o & 7));
  }
}

/* Sequence text t[0..len) into *q; the offset of a bad byte, or len. */
static size_t parse(const char *t, size_t len, seq *q) {
  size_t i = 0;
  int caseless = 0;
  memset(q, 0, sizeof *q);
  if (len >= 4 && memcmp(t, "(?i)", 4) == 0) { caseless = 1; i = 4; }
  while (i < len) {
    byteclass *c;
    if (q->nitems == LODE_BYTESEQ_MAX) return i;
    c = &q->item[q->nitems++];
    if (t[i] == '\\') {
      if (++i == len) return i - 1;
      add(c, (unsigned char)t[i++], caseless);
    } else if (t[i] == '[') {
      size_t open = i++;
      while (i < len && t[i] != ']') {
        unsigned char lo = (unsigned char)t[i], hi;
        if (lo == '\\' && ++i < len) lo = (unsigned char)t[i];
        hi = lo;
        if (i + 2 < len && t[i + 1] == '-' && t[i + 2] != ']') {
          hi = (unsigned char)t[i + 2];
          if (hi == '\\') return i + 2;
          i += 2;
        }
        if (hi < lo || (lo == '^' && i == open + 1)) return i;
        for (unsigned b = lo; b <= hi; b++) add(c, (unsigned char)b, caseless);
        i++;
      }
      if (i >= len || i == open + 1) return open;    /* ("[\\" steps past the end) */
      i++;
    } else if (strchr("()|.*+?{}^$]", t[i])) {
      return i;
    } else {
      add(c, (unsigned char)t[i++], caseless);
    }
  }
  return q->nitems ? len : 0;
}

lode_byteseqs *lode_byteseqs_new(const char *const *seqs, const size_t *lens, size_t n, lode_error *err) {
  lode_byteseqs *b = calloc(1, sizeof *b);
  size_t k, x, y, total = 0, first[GROUPS];
  if (b) b->seqs = calloc(n ? n : 1, sizeof *b->seqs);
  if (!b || !b->seqs) goto nomem;
  b->n = n;
  for (k = 0; k < n; k++) {
    size_t bad = parse(seqs[k], lens[k], &b->seqs[k]);
    if (bad < lens[k] || lens[k] == 0) {
      lode_error_set(err, LODE_EPATTERN, bad, 0, "byte sequence %zu (\"%.*s\"): bad or unsupported syntax at byte %zu",
                     k + 1, (int)(lens[k] > 64 ? 64 : lens[k]), seqs[k], bad);
      lode_byteseqs_free(b);
      return NULL;
    }
  }
  for (x = 0; x < 256; x++) {
    b->from[x] = total;
    for (k = 0; k < n; k++) total += (size_t)has(&b->seqs[k].item[0], (unsigned char)x);
  }
  b->from[256] = total;
  if ((b->by = malloc((total ? total : 1) * sizeof *b->by)) == NULL) goto nomem;
  for (x = 0, total = 0; x < 256; x++)
    for (k = 0; k < n; k++)
      if (has(&b->seqs[k].item[0], (unsigned char)x)) b->by[total++] = k;
  for (k = 0, x = 0; k < n; k++) {
    const seq *q = &b->seqs[k];
    size_t m = q->nitems < 3 ? q->nitems : 3, g = m == 1 ? GROUPS - 1 : GROUPS - 2, i;
    if (m == 3) {                  /* the group of the same first class, or a new one */
      for (g = 0; g < x && memcmp(&b->seqs[first[g]].item[0], &q->item[0], sizeof q->item[0]) != 0; g++) {}
      if (g == x && x < GROUPS - 2) first[x++] = k;
      if (g == x) g = k % (GROUPS - 2);
    }
    for (i = 0; i < m; i++)
      for (y = 0; y < 256; y++)
        if (has(&q->item[i], (unsigned char)y)) b->step[y] |= (uint64_t)1 << (GROUPS * i + g);
    b->done |= (uint64_t)1 << (GROUPS * (m - 1) + g);
  }
  return b;
nomem:
  lode_byteseqs_free(b);
  lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "byte sequences: out of memory");
  return NULL;
}

void lode_byteseqs_free(lode_byteseqs *b) {
  if (!b) return;
  free(b->by);
  free(b->seqs);
  free(b);
}

/* The sequences of u[at]'s chain that occur at `at`. */
static void found_at(const lode_byteseqs *b, const unsigned char *u, size_t len, size_t at,
                     lode_byteseq_found found, void *ctx) {
  size_t q;
  for (q = b->from[u[at]]; q < b->from[u[at] + 1]; q++) {
    const seq *sq = &b->seqs[b->by[q]];
    size_t t;
    if (sq->nitems > len - at) continue;
    for (t = 1; t < sq->nitems && has(&sq->item[t], u[at + t]); t++) {}
    if (t == sq->nitems) found(ctx, b->by[q], at, at + t);
  }
}

/* (a step of the filter: the groups matched up to byte c) */
#define STEP(D, c) ((D) = (((D) << GROUPS) | (((uint64_t)1 << GROUPS) - 1)) & b->step[c])

void lode_byteseqs_find(const lode_byteseqs *b, const char *s, size_t len, lode_byteseq_found found, void *ctx) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = 0, checked = 0, end, t;
  uint64_t D = 0, seen;
  if (!b || len == 0) return;
  /* eight bytes a step; where a group reached its last filtered class in
   * them, every start from two bytes back (the filter reads three) not
   * yet checked is checked in full */
  while (k < len) {
    seen = 0;
    end = len - k >= 8 ? k + 8 : len;
    if (end - k == 8) {
      STEP(D, u[k]); seen |= D; STEP(D, u[k + 1]); seen |= D;
      STEP(D, u[k + 2]); seen |= D; STEP(D, u[k + 3]); seen |= D;
      STEP(D, u[k + 4]); seen |= D; STEP(D, u[k + 5]); seen |= D;
      STEP(D, u[k + 6]); seen |= D; STEP(D, u[k + 7]); seen |= D;
    } else {
      for (t = k; t < end; t++) { STEP(D, u[t]); seen |= D; }
    }
    if (seen & b->done) {
      t = k >= 2 ? k - 2 : 0;
      for (t = t < checked ? checked : t; t < end; t++)
        if (b->from[u[t]] < b->from[u[t] + 1]) found_at(b, u, len, t, found, ctx);
      checked = end;
    }
    k = end;
  }
}
