/*
 * filemap.c -- text-to-file offset maps of converted documents.
 *
 * Pieces are kept sorted by text offset; lookups are binary searches.
 * Empty text pieces are never stored (a text byte range always has one
 * piece holding each of its bytes); a conversion marks where an inserted
 * line break sits by an inexact piece of one text byte and no file bytes.
 */
#include "filemap.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef struct piece {
  size_t t, tlen;   /* text range */
  size_t f, flen;   /* file range */
  int exact;
} piece;

struct lode_filemap {
  piece *pieces;
  size_t n, cap;
  size_t *breaks;   /* file offsets where a line starts, after `from` */
  size_t nbreaks;
  size_t first_line;
};

lode_filemap *lode_filemap_new(void) {
  lode_filemap *m = calloc(1, sizeof *m);
  if (m) m->first_line = 1;
  return m;
}

void lode_filemap_free(lode_filemap *m) {
  if (!m) return;
  free(m->pieces);
  free(m->breaks);
  free(m);
}

int lode_filemap_add(lode_filemap *m, size_t t, size_t tlen, size_t f, size_t flen,
                     int exact) {
  if (tlen == 0) return 0;
  if (m->n > 0) {
    piece *l = &m->pieces[m->n - 1];
    if (exact && l->exact && l->t + l->tlen == t && l->f + l->flen == f) {
      l->tlen += tlen;
      l->flen += flen;
      return 0;
    }
  }
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64;
    piece *p = realloc(m->pieces, cap * sizeof *p);
    if (!p) return LODE_ENOMEM;
    m->pieces = p;
    m->cap = cap;
  }
  m->pieces[m->n++] = (piece){t, tlen, f, flen, exact};
  return 0;
}

int lode_filemap_set_lines(lode_filemap *m, const char *file, size_t from, size_t to,
                           size_t first_line) {
  size_t k, n = 0, cap = 0;
  size_t *b = NULL;
  int cr = from < to && memchr(file + from, '\r', to - from) != NULL;
  for (k = from; k < to; k++) {
    if (!cr) {   /* LF only: jump from one to the next */
      const char *lf = memchr(file + k, '\n', to - k);
      if (!lf) break;
      k = (size_t)(lf - file);
    } else if (file[k] != '\n' && file[k] != '\r') {
      continue;
    }
    if (file[k] == '\r' && k + 1 < to && file[k + 1] == '\n') k++;
    if (n == cap) {
      size_t *q = realloc(b, (cap = cap ? 2 * cap : 64) * sizeof *q);
      if (!q) {
        free(b);
        return LODE_ENOMEM;
      }
      b = q;
    }
    b[n++] = k + 1;
  }
  free(m->breaks);
  m->breaks = b;
  m->nbreaks = n;
  m->first_line = first_line;
  return 0;
}

/* Index of the piece holding text byte i: the last piece starting at or
 * before i (the map has at least one piece). */
static size_t find_piece(const lode_filemap *m, size_t i) {
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->pieces[mid].t <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo ? lo - 1 : 0;
}

static size_t start_of(const piece *p, size_t i) {
  if (i >= p->t + p->tlen) return p->f + p->flen;
  return p->exact ? p->f + (i - p->t) : p->f;
}

static size_t end_of(const piece *p, size_t j) {
  if (p->exact && j <= p->t + p->tlen) return p->f + (j - p->t);
  return p->f + p->flen;
}

void lode_filemap_origin(const lode_filemap *m, size_t i, size_t j, size_t *fi,
                         size_t *fj) {
  size_t a = 0, z = 0;
  if (j < i) j = i;
  if (m->n > 0) {
    a = start_of(&m->pieces[find_piece(m, i)], i);
    z = j > i ? end_of(&m->pieces[find_piece(m, j - 1)], j) : a;
    if (z < a) z = a;
  }
  if (fi) *fi = a;
  if (fj) *fj = z;
}

size_t lode_filemap_file_line(const lode_filemap *m, size_t f) {
  size_t lo = 0, hi = m->nbreaks;   /* breaks at or before f */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->breaks[mid] <= f) lo = mid + 1;
    else hi = mid;
  }
  return m->first_line + lo;
}

int lode_filemap_compose(lode_filemap *m, const char *file, lode_filemap_origin_fn origin,
                         const void *ctx) {
  piece *old = m->pieces;
  size_t n = m->n, k, a, b;
  int rc = 0;
  m->pieces = NULL;
  m->n = m->cap = 0;
  for (k = 0; k < n && rc == 0; k++) {
    const piece *p = &old[k];
    size_t c = p->f, end = p->f + p->flen;
    origin(ctx, p->f, end, &a, &b);
    if (!p->exact || b - a == p->flen) {
      rc = lode_filemap_add(m, p->t, p->tlen, a, b - a, p->exact);
      continue;
    }
    while (c < end && rc == 0) {   /* one piece per character */
      size_t e = c + 1;
      while (e < end && ((unsigned char)file[e] & 0xC0) == 0x80) e++;
      origin(ctx, c, e, &a, &b);
      rc = lode_filemap_add(m, p->t + (c - p->f), e - c, a, b - a, b - a == e - c);
      c = e;
    }
  }
  free(old);
  for (k = 0; k < m->nbreaks; k++) origin(ctx, m->breaks[k], m->breaks[k], &m->breaks[k], NULL);
  return rc;
}

size_t lode_filemap_pieces(const lode_filemap *m) {
  return m->n;
}
