/*
 * trie.c -- a regex alternation of phrases written as a trie (see trie.h).
 *
 * Each phrase becomes the string of its pieces (a character, "\-", "\s+");
 * no piece is a prefix of another, so sorting those strings sorts the
 * phrases piece by piece, and the phrases sharing a piece at a depth are
 * neighbours. In C because a table per node and a string per character
 * made the quote extractor's verb lists cost ~30 M instructions at each
 * Lua state's start.
 */
#include <stdlib.h>
#include <string.h>

#include "trie.h"
#include "utf8.h"

/* Deeper nodes than this (a long prefix shared by two phrases) fail. */
#define MAX_DEPTH 4096

typedef struct seq {
  const char *s;      /* the pieces, concatenated */
  size_t len;
  const size_t *at;   /* piece k is s[at[k], at[k + 1]) */
  size_t pieces;
} seq;

typedef struct buf {
  char *p;
  size_t n, cap;
  int oom;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < b->n + n + 1) cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static int cmp_seq(const void *x, const void *y) {
  const seq *a = x, *b = y;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* Whether piece k of a and of b are the same. */
static int same_piece(const seq *a, const seq *b, size_t k) {
  size_t la = a->at[k + 1] - a->at[k], lb = b->at[k + 1] - b->at[k];
  return la == lb && memcmp(a->s + a->at[k], b->s + b->at[k], la) == 0;
}

static void piece(buf *b, const seq *q, size_t k) { put(b, q->s + q->at[k], q->at[k + 1] - q->at[k]); }

/* The trie of the sorted phrases v[lo, hi) from piece k on. */
static int node(buf *b, const seq *v, size_t lo, size_t hi, size_t k, size_t depth) {
  size_t i = lo, groups = 0;
  int ends = 0;
  if (depth > MAX_DEPTH) return -1;
  if (hi - lo == 1) {            /* one phrase: the rest of its pieces */
    for (; k < v[lo].pieces; k++) piece(b, &v[lo], k);
    return 0;
  }
  while (i < hi && v[i].pieces <= k) ends = 1, i++;   /* shorter phrases sort first */
  for (size_t g = i; g < hi; g++)
    if (g == i || !same_piece(&v[g - 1], &v[g], k)) groups++;
  if (groups == 0) return 0;
  if (groups > 1 || ends) put(b, "(?:", 3);
  while (i < hi) {
    size_t g = i + 1;
    while (g < hi && same_piece(&v[i], &v[g], k)) g++;
    piece(b, &v[i], k);
    if (node(b, v, i, g, k + 1, depth + 1) != 0) return -1;
    i = g;
    if (i < hi) put(b, "|", 1);
  }
  if (groups > 1 || ends) put(b, ends ? ")?" : ")", ends ? 2 : 1);
  return 0;
}

/* Whether phrase p is one the trie takes. */
static int well_formed(const char *p, size_t len) {
  if (len == 0 || p[0] == ' ' || p[len - 1] == ' ') return 0;
  if (lode_utf8_valid_prefix(p, len) != len) return 0;
  for (size_t k = 0; k < len; k++) {
    unsigned char c = (unsigned char)p[k];
    if (c < 32 || c == 127 || (c == ' ' && p[k + 1] == ' ')) return 0;
  }
  return 1;
}

static int alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int lode_trie(const char *const *phrases, const size_t *lens, size_t n, size_t prefix, char **out,
              size_t *outlen, lode_error *err) {
  size_t total = 0, pieces = 0;
  seq *v;
  char *text;
  size_t *at;
  buf b = {NULL, 0, 0, 0};
  int rc = 0;
  *out = NULL;
  *outlen = 0;
  for (size_t k = 0; k < n; k++) {
    if (!well_formed(phrases[k], lens[k]))
      return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0,
                            "lode.words.trie takes UTF-8 words, one space between (phrase %zu)", k + 1);
    total += lens[k];
  }
  /* a piece is at most 3 bytes per input byte ("\s+" for " ") */
  v = malloc(n * sizeof *v + (total + n) * sizeof *at + 3 * total + 1);
  if (!v) return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
  at = (size_t *)(v + n);
  text = (char *)(at + total + n);
  for (size_t k = 0; k < n; k++) {
    const unsigned char *p = (const unsigned char *)phrases[k];
    size_t i = 0, len = 0;
    v[k].s = text;
    v[k].at = at + pieces;
    v[k].pieces = 0;
    while (i < lens[k] && v[k].pieces != prefix) {
      size_t cl = 1;
      at[pieces++] = len;
      v[k].pieces++;
      if (p[i] == ' ') {
        memcpy(text + len, "\\s+", 3);
        len += 3;
      } else if (p[i] < 0x80) {
        if (!alnum(p[i])) text[len++] = '\\';
        text[len++] = (char)p[i];
      } else {
        while (i + cl < lens[k] && (p[i + cl] & 0xC0) == 0x80) cl++;
        memcpy(text + len, p + i, cl);
        len += cl;
      }
      i += cl;
    }
    at[pieces++] = len;   /* the end of the last piece */
    v[k].len = len;
    text += len;
  }
  qsort(v, n, sizeof *v, cmp_seq);
  put(&b, "", 0);
  if (n > 0 && node(&b, v, 0, n, 0, 0) != 0)
    rc = lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "lode.words.trie: phrases share too long a prefix");
  else if (b.oom)
    rc = lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
  free(v);
  if (rc) {
    free(b.p);
    return rc;
  }
  *out = b.p;
  *outlen = b.n;
  return 0;
}
