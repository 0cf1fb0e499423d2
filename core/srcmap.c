/*
 * srcmap.c -- decoded text -> input bytes (see srcmap.h).
 *
 * Segments are sorted by text offset and start on character boundaries;
 * a lookup is a binary search, then (w > 0) a count of the characters
 * between the segment's start and the offset, at most SEG_BYTES bytes.
 */
#include "srcmap.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Text bytes per segment of w > 0: bounds the count a lookup does. */
#define SEG_BYTES 512
/* w of a segment whose characters map as one unit (it ends where the
 * next segment, or the map, starts in the input). */
#define UNIT UINT_MAX

typedef struct seg {
  size_t t, f;   /* first text byte, the input byte its character starts at */
  unsigned w;    /* input bytes per character; 0: bytes copied one for one */
} seg;

struct lode_srcmap {
  seg *s;
  size_t n, cap;
  size_t tend, fend;   /* text and input bytes covered so far */
  int open;            /* the last segment may grow (no skip since) */
};

lode_srcmap *lode_srcmap_new(void) {
  return calloc(1, sizeof(lode_srcmap));
}

void lode_srcmap_free(lode_srcmap *m) {
  if (!m) return;
  free(m->s);
  free(m);
}

static int is_cont(char c) {
  return ((unsigned char)c & 0xC0) == 0x80;
}

/* Characters starting in text[from, to): bytes that are not continuation
 * bytes (10xxxxxx), eight at a time. */
static size_t leads(const char *text, size_t from, size_t to) {
  const uint64_t highs = UINT64_C(0x8080808080808080), ones = UINT64_C(0x0101010101010101);
  size_t n = 0;
  for (; to - from >= 8; from += 8) {
    uint64_t w, cont;
    memcpy(&w, text + from, 8);
    cont = (w & ~(w << 1) & highs) >> 7;       /* 1 in each byte 10xxxxxx */
    n += 8 - (size_t)((cont * ones) >> 56);   /* the sum of those bytes */
  }
  for (; from < to; from++) n += !is_cont(text[from]);
  return n;
}

static int push(lode_srcmap *m, unsigned w) {
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    seg *p = realloc(m->s, cap * sizeof *p);
    if (!p) return LODE_ENOMEM;
    m->s = p;
    m->cap = cap;
  }
  m->s[m->n++] = (seg){m->tend, m->fend, w};
  m->open = 1;
  return 0;
}

int lode_srcmap_add(lode_srcmap *m, const char *text, size_t tlen, unsigned w) {
  while (tlen > 0) {
    size_t take = tlen;
    if (m->n == 0 || !m->open || m->s[m->n - 1].w != w ||
        (w && m->tend - m->s[m->n - 1].t >= SEG_BYTES)) {
      if (push(m, w)) return LODE_ENOMEM;
    }
    if (w) {
      size_t room = SEG_BYTES - (m->tend - m->s[m->n - 1].t);
      if (take > room) {   /* fill the segment up to a character start */
        take = room;
        while (take > 0 && is_cont(text[take])) take--;
        if (take == 0) {
          m->open = 0;
          continue;
        }
      }
      m->fend += w * leads(text, 0, take);
    } else {
      m->fend += take;
    }
    m->tend += take;
    text += take;
    tlen -= take;
  }
  return 0;
}

int lode_srcmap_add_unit(lode_srcmap *m, size_t tlen, size_t flen) {
  if (tlen == 0) {
    lode_srcmap_skip(m, flen);
    return 0;
  }
  if (push(m, UNIT)) return LODE_ENOMEM;
  m->tend += tlen;
  m->fend += flen;
  m->open = 0;
  return 0;
}

void lode_srcmap_skip(lode_srcmap *m, size_t flen) {
  m->fend += flen;
  m->open = 0;
}

/* The segment holding text byte i < m->tend (there is one). */
static const seg *find(const lode_srcmap *m, size_t i) {
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->s[mid].t <= i) lo = mid + 1;
    else hi = mid;
  }
  return &m->s[lo ? lo - 1 : 0];
}

void lode_srcmap_origin(const lode_srcmap *m, const char *text, size_t len, size_t i,
                        size_t j, size_t *fi, size_t *fj) {
  size_t end = m->tend < len ? m->tend : len, a, z;
  const seg *s;
  if (j < i) j = i;
  if (i >= end) {
    a = m->fend;
  } else {
    s = find(m, i);
    if (s->w == UNIT) {
      a = s->f;
    } else if (s->w == 0) {
      a = s->f + (i - s->t);
    } else {
      size_t c = i;
      while (c > s->t && is_cont(text[c])) c--;   /* the character's start */
      a = s->f + s->w * leads(text, s->t, c);
    }
  }
  if (j == i || i >= end) {
    z = a;
  } else if (j >= end) {
    z = m->fend;
  } else {
    s = find(m, j - 1);
    if (s->w == UNIT) z = s + 1 < m->s + m->n ? s[1].f : m->fend;
    else if (s->w == 0) z = s->f + (j - s->t);
    else z = s->f + s->w * leads(text, s->t, j);
  }
  if (fi) *fi = a;
  if (fj) *fj = z < a ? a : z;
}
