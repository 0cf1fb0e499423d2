/*
 * fuzz_gazetteer.c -- aliases and a text from the input: the first lines,
 * up to a blank line, are aliases, the rest is the text. The core's scan
 * paths (full DFA, failure-link automaton, the DFA's two-stream scan of a
 * text cut at a line break) must report the same hits; each hit is in
 * order, inside the text, on word boundaries, and spells its alias.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "fuzz.h"
#include "gazetteer.h"
#include "text.h"

#define MAX_ALIASES 16
#define MAX_HITS 100000

typedef struct hits { lode_gaz_hit v[MAX_HITS]; size_t n; } hits;
static hits found[3];

static int collect(void *ud, const lode_gaz_hit *hit) {
  hits *h = ud;
  FUZZ_CHECK(h->n < MAX_HITS);
  h->v[h->n++] = *hit;
  return 0;
}

/* The gazetteer's notion of a word character, written independently of
 * gazetteer.c so the two can disagree: letters, marks and numbers (L*, M*,
 * N*); invalid UTF-8 is not one. */
#define BIT(c) (1u << UTF8PROC_CATEGORY_##c)
static const unsigned word_categories = BIT(LU) | BIT(LL) | BIT(LT) | BIT(LM) | BIT(LO) |
                                        BIT(MN) | BIT(MC) | BIT(ME) | BIT(ND) | BIT(NL) | BIT(NO);

static int is_word(const char *s, size_t len, size_t i) {
  int32_t cp;
  if (!lode_utf8_decode(s, len, i, &cp)) return 0;
  return (word_categories >> utf8proc_category(cp)) & 1u;
}

/* A gazetteer over the aliases, built with the scan-path settings given
 * (the environment variables gazetteer.c reads when building). */
static lode_gazetteer *build(const char **alias, const size_t *alen, size_t n,
                             const char *dfa_mb, const char *split_min) {
  lode_gazetteer *g = lode_gaz_new(NULL, NULL);
  size_t k;
  FUZZ_CHECK(g);
  for (k = 0; k < n; k++)
    lode_gaz_add(g, alias[k], alen[k], alias[k], alen[k], "term", 4, NULL);
  setenv("LODE_GAZ_DFA_MAX_MB", dfa_mb, 1);
  setenv("LODE_GAZ_SPLIT_MIN", split_min, 1);
  if (lode_gaz_build(g, NULL) != 0) { lode_gaz_free(g); return NULL; }
  return g;
}

/* Start of the character that ends at byte i (0 < i). */
static size_t char_before(const unsigned char *starts, size_t i) {
  do i--; while (!starts[i]);
  return i;
}

static void check_hits(const lode_gazetteer *g, const hits *h, const char *s, size_t len,
                       const unsigned char *starts) {
  size_t k, prev_end = 0;
  for (k = 0; k < h->n; k++) {
    const lode_gaz_hit *x = &h->v[k];
    const lode_gaz_entry *e = lode_gaz_entry_at(g, x->entry);
    char *norm;
    size_t nlen, a, b;
    FUZZ_CHECK(prev_end <= x->start && x->start < x->end && x->end <= len);
    FUZZ_CHECK(starts[x->start] && starts[x->end]);
    FUZZ_CHECK(x->start == 0 || !is_word(s, len, char_before(starts, x->start)));
    FUZZ_CHECK(x->end == len || !is_word(s, len, x->end));
    FUZZ_CHECK(e && x->alias < lode_gaz_alias_count(g));
    /* the hit spells the normalized canonical name, trimmed (aliases are
     * their own canonical) */
    norm = lode_normalize_string(e->canonical, strlen(e->canonical), lode_gaz_norm_opts(g),
                                 &nlen, NULL);
    FUZZ_CHECK(norm);
    lode_text_trim(norm, nlen, &a, &b);
    FUZZ_CHECK(b - a == x->end - x->start && memcmp(norm + a, s + x->start, b - a) == 0);
    free(norm);
    prev_end = x->end;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *in = (const char *)data, *alias[MAX_ALIASES], *text;
  size_t alen[MAX_ALIASES], n = 0, pos = 0, tlen, vlen, k;
  lode_gazetteer *g[3];
  lode_view *v;
  const char *vb;
  unsigned char *starts;
  /* aliases: lines up to the first blank line */
  while (pos < size && n < MAX_ALIASES) {
    const char *nl = memchr(in + pos, '\n', size - pos);
    size_t end = nl ? (size_t)(nl - in) : size;
    if (end == pos) { pos++; break; }
    alias[n] = in + pos;
    alen[n++] = end - pos;
    pos = nl ? end + 1 : size;
  }
  text = in + pos;
  tlen = size - pos;
  g[0] = build(alias, alen, n, "64", "0");   /* full DFA, one stream */
  g[1] = build(alias, alen, n, "0", "0");    /* failure links */
  g[2] = build(alias, alen, n, "64", "1");   /* DFA, two streams */
  if (!g[0]) {
    FUZZ_CHECK(!g[1] && !g[2]);
    return 0;
  }
  FUZZ_CHECK(g[1] && g[2]);
  v = lode_normalize(text, tlen, lode_gaz_norm_opts(g[0]), NULL);
  if (v) {
    vb = lode_view_bytes(v, &vlen);
    starts = fuzz_starts(vb, vlen);
    for (k = 0; k < 3; k++) {
      found[k].n = 0;
      FUZZ_CHECK(lode_gaz_scan(g[k], vb, vlen, collect, &found[k]) == 0);
      check_hits(g[k], &found[k], vb, vlen, starts);
    }
    for (k = 1; k < 3; k++)
      FUZZ_CHECK(found[k].n == found[0].n &&
                 (found[0].n == 0 ||
                  memcmp(found[k].v, found[0].v, found[0].n * sizeof found[0].v[0]) == 0));
    free(starts);
    lode_view_free(v);
  }
  for (k = 0; k < 3; k++) lode_gaz_free(g[k]);
  return 0;
}
