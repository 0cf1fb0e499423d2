/*
 * gazetteer.c -- thousands of aliases matched in one pass (see gazetteer.h).
 *
 * Aliases are normalized with the gazetteer's options, interned (one entry
 * per distinct canonical+kind, one primary alias per distinct normalized
 * string) and compiled at lode_gaz_build into an Aho-Corasick automaton over
 * bytes:
 *
 *   - Bytes that occur in no alias share byte class 0; every other byte gets
 *     its own class. News-text aliases use ~50 distinct bytes, so a full DFA
 *     row is 64 entries instead of 256.
 *   - When states * stride * 4 bytes fits the budget (64 MB by default) the
 *     automaton is a full DFA: one table load per input byte, no failure-link
 *     loop; with at most 65,536 states its entries are 16-bit. Otherwise it
 *     keeps the trie with a dense 256-wide root, sorted edge arrays for the
 *     other states and failure links.
 *   - Matches may only start where a word may start, so failure links lead
 *     only to suffixes that begin after a non-word byte, and there are two
 *     roots: "a word may start here" and "inside a word". Inside ordinary
 *     words the automaton idles in the second root instead of following
 *     alias prefixes that could never match whole.
 *   - States are renumbered so every state with an output (own alias or one
 *     reachable through dictionary suffix links) comes first: the hot loop
 *     tests "state < match_limit" and nothing else.
 *
 * Leftmost-longest with whole words: hits are seen by end position, so the
 * best candidate (smallest start, then longest) is held until the automaton's
 * current depth shows that no later hit can start at or before it; then it is
 * reported and the scan restarts from the root just after it. The rescan is at
 * most one alias length per reported hit.
 *
 * The hot loop waits on one table load per byte (the next state needs the
 * previous one), so texts of 64 KB and more are cut after a '\n' near the
 * middle and the two halves scanned as independent streams in one loop: the
 * loads of one overlap those of the other. The cut is exact because no
 * alias holds a '\n' (checked at build: otherwise no cut) and every DFA
 * state goes to the word-start root on it. Hits of the first half go out at
 * once; those of the second are buffered and delivered after it.
 *
 * Nothing is written after lode_gaz_build, so scans from many threads share
 * one gazetteer safely.
 */
#include "gazetteer.h"
#include "hints.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define NONE UINT32_MAX

/* Budget for the full DFA table. LODE_GAZ_DFA_MAX_MB in the environment
 * overrides it at build time (0 forces the failure-link automaton; used by
 * the tests and for measuring). */
#define DFA_MAX_BYTES ((size_t)64 << 20)

/* Texts at least this long are scanned as two interleaved streams (see
 * scan_two): an article's scan, between a document's other work, waits on
 * cache misses in the table, which two streams overlap (the extraction job
 * over docs-2000: the scan's share of samples 3.96% at 64 KB, 3.24% at 4
 * KB). LODE_GAZ_SPLIT_MIN in the environment overrides it at build time,
 * in bytes (0 disables; used by the tests and for measuring). */
#define SPLIT_MIN_BYTES ((size_t)4 << 10)

typedef struct alias {
  char *bytes;        /* normalized alias, malloc'ed, NUL-terminated */
  uint32_t len;
  uint32_t entry;     /* entry id */
  uint32_t next_same; /* next alias with the same bytes (shadowed), or NONE */
  uint32_t primary;   /* 1 if first of its bytes: the one the automaton reports */
} alias;

struct lode_gazetteer {
  lode_norm_opts norm;
  int built;

  alias *aliases;
  size_t nalias, calias;
  lode_gaz_entry *entries;
  size_t nentry, centry;

  /* open-addressing hash sets of index+1 (0 = empty), capacity power of 2 */
  uint32_t *alias_ht;
  size_t alias_hcap;
  uint32_t *entry_ht;
  size_t entry_hcap;

  /* --- automaton, read-only after build --- */
  int dfa;             /* full DFA over byte classes: 2 with 16-bit entries
                        * (state value = id), 1 with 32-bit entries (state
                        * value = id << shift); 0: failure links (value = id) */
  unsigned shift;      /* DFA: log2 of the row length */
  uint32_t nstates;
  uint32_t root;       /* state value of ROOT_B: a word may start here */
  uint32_t root_w;     /* state value of ROOT_W: inside a word */
  uint32_t mlimit;     /* state values below this have outputs */
  uint8_t cls[256];    /* byte -> class (DFA) */
  uint32_t *trans;     /* DFA32: (nstates << shift) entries, premultiplied */
  uint16_t *trans16;   /* DFA16: (nstates << shift) entries, plain ids */
  uint32_t *depth;     /* per id: length of the state's string */
  uint32_t *out;       /* per id: primary alias ending here, or NONE */
  uint32_t *dict;      /* per id: next id on the failure chain with out != NONE */
  /* failure-link automaton */
  uint32_t root_next[256];
  uint32_t *fail;      /* per id */
  uint32_t *edge_off;  /* per id, nstates + 1 entries */
  uint8_t *edge_byte;  /* sorted per state */
  uint32_t *edge_to;
  /* two-stream scan (DFA only): texts of at least split_min bytes are cut
   * at a '\n' near the middle and the halves scanned interleaved; 0 when
   * '\n' occurs in some alias (then a hit could cross the cut) */
  size_t split_min;
  /* no alias holds '\n': a scan may be cut just after one (see
   * lode_gaz_scan_part) */
  int newline_cut;
};

/* ---------------------------------------------------------------- helpers */

static const lode_norm_opts default_norm = {
  LODE_FORM_NFKC,
  LODE_NORM_CASEFOLD | LODE_NORM_STRIP_MARKS | LODE_NORM_TYPOGRAPHY |
    LODE_NORM_CONTROLS | LODE_NORM_COLLAPSE
};

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, size_t *len) {
  const char *p = *s;
  size_t n = *len;
  while (n && is_space((unsigned char)p[0])) p++, n--;
  while (n && is_space((unsigned char)p[n - 1])) n--;
  *s = p;
  *len = n;
}

static uint64_t hash_bytes(const char *s, size_t len, uint64_t h) {
  size_t i;
  for (i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}
#define HASH_SEED 14695981039346656037ull

static int valid_utf8(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;
    if ((unsigned char)s[i] < 0x80) { i++; continue; }
    n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                         (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) return 0;
    i += (size_t)n;
  }
  return 1;
}

static char *dup_bytes(const char *s, size_t len) {
  char *p = malloc(len + 1);
  if (p) {
    if (len) memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

/* Grow a hash set to `ncap` slots, rehashing with `hash_of(index)`. */
static int ht_grow(lode_gazetteer *g, uint32_t **ht, size_t *cap, size_t ncap,
                   uint64_t (*hash_of)(const lode_gazetteer *, uint32_t)) {
  uint32_t *nt = calloc(ncap, sizeof *nt);
  size_t i;
  if (!nt) return LODE_ENOMEM;
  for (i = 0; i < *cap; i++) {
    uint32_t v = (*ht)[i];
    size_t j;
    if (!v) continue;
    j = (size_t)hash_of(g, v - 1) & (ncap - 1);
    while (nt[j]) j = (j + 1) & (ncap - 1);
    nt[j] = v;
  }
  free(*ht);
  *ht = nt;
  *cap = ncap;
  return 0;
}

static uint64_t entry_hash(const char *canon, size_t clen, const char *kind,
                           size_t klen) {
  uint64_t h = hash_bytes(canon, clen, HASH_SEED);
  h = hash_bytes("\0", 1, h);
  return hash_bytes(kind, klen, h);
}

static uint64_t entry_hash_of(const lode_gazetteer *g, uint32_t id) {
  const lode_gaz_entry *e = &g->entries[id];
  return entry_hash(e->canonical, strlen(e->canonical), e->kind, strlen(e->kind));
}

static uint64_t alias_hash_of(const lode_gazetteer *g, uint32_t id) {
  return hash_bytes(g->aliases[id].bytes, g->aliases[id].len, HASH_SEED);
}

/* Slot of entry (canon, kind) in entry_ht: holds id+1, or 0 where it would go. */
static size_t entry_slot(const lode_gazetteer *g, const char *canon, size_t clen,
                         const char *kind, size_t klen) {
  size_t mask = g->entry_hcap - 1;
  size_t j = (size_t)entry_hash(canon, clen, kind, klen) & mask;
  for (;; j = (j + 1) & mask) {
    uint32_t v = g->entry_ht[j];
    const lode_gaz_entry *e;
    if (!v) return j;
    e = &g->entries[v - 1];
    if (strncmp(e->canonical, canon, clen) == 0 && e->canonical[clen] == '\0' &&
        strncmp(e->kind, kind, klen) == 0 && e->kind[klen] == '\0')
      return j;
  }
}

static size_t alias_slot(const lode_gazetteer *g, const char *s, size_t len) {
  size_t mask = g->alias_hcap - 1;
  size_t j = (size_t)hash_bytes(s, len, HASH_SEED) & mask;
  for (;; j = (j + 1) & mask) {
    uint32_t v = g->alias_ht[j];
    const alias *a;
    if (!v) return j;
    a = &g->aliases[v - 1];
    if (a->len == len && memcmp(a->bytes, s, len) == 0) return j;
  }
}

/* -------------------------------------------------------------- life cycle */

/* Caller frees the result with lode_gaz_free(). */
lode_gazetteer *lode_gaz_new(const lode_norm_opts *norm, lode_error *err) {
  lode_gazetteer *g = calloc(1, sizeof *g);
  if (!g) {
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "gazetteer: out of memory");
    return NULL;
  }
  g->norm = norm ? *norm : default_norm;
  g->alias_hcap = 64;
  g->entry_hcap = 64;
  g->alias_ht = calloc(g->alias_hcap, sizeof *g->alias_ht);
  g->entry_ht = calloc(g->entry_hcap, sizeof *g->entry_ht);
  if (!g->alias_ht || !g->entry_ht) {
    lode_gaz_free(g);
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "gazetteer: out of memory");
    return NULL;
  }
  lode_error_clear(err);
  return g;
}

static void free_automaton(lode_gazetteer *g) {
  free(g->trans); g->trans = NULL;
  free(g->trans16); g->trans16 = NULL;
  free(g->depth); g->depth = NULL;
  free(g->out); g->out = NULL;
  free(g->dict); g->dict = NULL;
  free(g->fail); g->fail = NULL;
  free(g->edge_off); g->edge_off = NULL;
  free(g->edge_byte); g->edge_byte = NULL;
  free(g->edge_to); g->edge_to = NULL;
}

void lode_gaz_free(lode_gazetteer *g) {
  size_t i;
  if (!g) return;
  for (i = 0; i < g->nalias; i++) free(g->aliases[i].bytes);
  for (i = 0; i < g->nentry; i++) {
    free((char *)g->entries[i].canonical);
    free((char *)g->entries[i].kind);
  }
  free(g->aliases);
  free(g->entries);
  free(g->alias_ht);
  free(g->entry_ht);
  free_automaton(g);
  free(g);
}

const lode_norm_opts *lode_gaz_norm_opts(const lode_gazetteer *g) {
  return g ? &g->norm : NULL;
}

size_t lode_gaz_alias_count(const lode_gazetteer *g) { return g ? g->nalias : 0; }
size_t lode_gaz_entry_count(const lode_gazetteer *g) { return g ? g->nentry : 0; }

const lode_gaz_entry *lode_gaz_entry_at(const lode_gazetteer *g, size_t id) {
  return g && id < g->nentry ? &g->entries[id] : NULL;
}

/* ------------------------------------------------------------------ adding */

/* Check canonical/kind text (no NUL, valid UTF-8); `what` names it in errors. */
static int check_label(const char *s, size_t len, const char *what, lode_error *err) {
  if (memchr(s, '\0', len))
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0,
                          "gazetteer: %s contains a NUL byte", what);
  if (!valid_utf8(s, len))
    return lode_error_set(err, LODE_EENCODING, LODE_NOPOS, 0,
                          "gazetteer: %s is not valid UTF-8", what);
  return 0;
}

/* Normalize and trim an alias. On success *out is malloc'ed (caller frees). */
static int norm_alias(const lode_gazetteer *g, const char *s, size_t len,
                      char **out, size_t *out_len, lode_error *err) {
  lode_error e;
  size_t n = 0;
  const char *t;
  char *buf;
  lode_error_clear(&e);
  if (!s && len) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "gazetteer: alias is NULL");
  buf = lode_normalize_string(s ? s : "", len, &g->norm, &n, &e);
  if (!buf) {
    if (err) *err = e;
    return e.code ? e.code : LODE_ENOMEM;
  }
  t = buf;
  trim(&t, &n);
  if (n == 0) {
    free(buf);
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0,
                          "gazetteer: alias \"%.*s\" is empty after normalization",
                          (int)(len > 60 ? 60 : len), s ? s : "");
  }
  if (t != buf) memmove(buf, t, n);
  buf[n] = '\0';
  *out = buf;
  *out_len = n;
  return 0;
}

/* Add an alias already normalized (`nbytes` is taken over: freed here on
 * failure or when the add is a no-op). canonical/kind are trimmed and checked. */
static int add_normalized(lode_gazetteer *g, char *nbytes, size_t nlen,
                          const char *canon, size_t clen, const char *kind,
                          size_t klen, lode_error *err) {
  size_t es, as;
  uint32_t entry, prev;

  if (nlen >= UINT32_MAX / 2 || g->nalias >= UINT32_MAX / 4) {
    free(nbytes);
    return lode_error_set(err, LODE_ELIMIT, LODE_NOPOS, 0, "gazetteer: too large");
  }
  /* keep load factor <= 1/2 */
  if ((g->nentry + 1) * 2 > g->entry_hcap &&
      ht_grow(g, &g->entry_ht, &g->entry_hcap, g->entry_hcap * 2, entry_hash_of))
    goto nomem;
  if ((g->nalias + 1) * 2 > g->alias_hcap &&
      ht_grow(g, &g->alias_ht, &g->alias_hcap, g->alias_hcap * 2, alias_hash_of))
    goto nomem;

  es = entry_slot(g, canon, clen, kind, klen);
  entry = g->entry_ht[es] ? g->entry_ht[es] - 1 : NONE;
  as = alias_slot(g, nbytes, nlen);
  prev = g->alias_ht[as] ? g->alias_ht[as] - 1 : NONE;

  if (entry != NONE) {
    /* same alias bytes and same entry already present: a no-op */
    uint32_t a;
    for (a = prev; a != NONE; a = g->aliases[a].next_same)
      if (g->aliases[a].entry == entry) {
        free(nbytes);
        return 0;
      }
  } else {
    lode_gaz_entry *e;
    if (g->nentry == g->centry) {
      size_t nc = g->centry ? g->centry * 2 : 64;
      lode_gaz_entry *ne = realloc(g->entries, nc * sizeof *ne);
      if (!ne) goto nomem;
      g->entries = ne;
      g->centry = nc;
    }
    e = &g->entries[g->nentry];
    e->canonical = dup_bytes(canon, clen);
    e->kind = dup_bytes(kind, klen);
    if (!e->canonical || !e->kind) {
      free((char *)e->canonical);
      free((char *)e->kind);
      goto nomem;
    }
    e->id = g->nentry;
    entry = (uint32_t)g->nentry++;
    g->entry_ht[es] = entry + 1;
  }

  if (g->nalias == g->calias) {
    size_t nc = g->calias ? g->calias * 2 : 64;
    alias *na = realloc(g->aliases, nc * sizeof *na);
    if (!na) goto nomem;
    g->aliases = na;
    g->calias = nc;
  }
  {
    alias *a = &g->aliases[g->nalias];
    uint32_t id = (uint32_t)g->nalias++;
    a->bytes = nbytes;
    a->len = (uint32_t)nlen;
    a->entry = entry;
    a->next_same = NONE;
    a->primary = prev == NONE;
    if (prev == NONE) {
      g->alias_ht[as] = id + 1;
    } else {
      /* append to the chain: the first added stays primary and wins */
      uint32_t t = prev;
      while (g->aliases[t].next_same != NONE) t = g->aliases[t].next_same;
      g->aliases[t].next_same = id;
    }
  }
  return 0;

nomem:
  free(nbytes);
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "gazetteer: out of memory");
}

/* Resolve the defaults for canonical (the trimmed alias) and kind ("term"). */
static int prepare_labels(const char *alias_s, size_t alias_len,
                          const char **canon, size_t *clen,
                          const char **kind, size_t *klen, lode_error *err) {
  int rc;
  if (!*canon) *clen = 0;
  if (!*kind) *klen = 0;
  if (*canon) trim(canon, clen);
  if (*kind) trim(kind, klen);
  if (*clen == 0) {
    *canon = alias_s ? alias_s : "";
    *clen = alias_len;
    trim(canon, clen);
  }
  if (*klen == 0) {
    *kind = "term";
    *klen = 4;
  }
  if ((rc = check_label(*canon, *clen, "canonical name", err))) return rc;
  return check_label(*kind, *klen, "kind", err);
}

int lode_gaz_add(lode_gazetteer *g, const char *alias_s, size_t alias_len,
                 const char *canonical, size_t canonical_len,
                 const char *kind, size_t kind_len, lode_error *err) {
  char *nb;
  size_t nl;
  int rc;
  if (!g) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "gazetteer: NULL gazetteer");
  if (g->built)
    return lode_error_set(err, LODE_ESTATE, LODE_NOPOS, 0,
                          "gazetteer: already built; build a new gazetteer to add aliases");
  if ((rc = norm_alias(g, alias_s, alias_len, &nb, &nl, err))) return rc;
  if ((rc = prepare_labels(alias_s, alias_len, &canonical, &canonical_len, &kind,
                           &kind_len, err))) {
    free(nb);
    return rc;
  }
  rc = add_normalized(g, nb, nl, canonical, canonical_len, kind, kind_len, err);
  if (!rc) lode_error_clear(err);
  return rc;
}

/* ------------------------------------------------------------------- TSV */

typedef struct tsv_rec {
  char *nbytes;
  size_t nlen;
  const char *canon, *kind;  /* point into the file buffer */
  size_t clen, klen;
} tsv_rec;

static int read_file(const char *path, char **out, size_t *out_len, lode_error *err) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL, ebuf[128];
  size_t len = 0, cap = 0;
  if (!f)
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot open: %s", path,
                          lode_errno_text(errno, ebuf, sizeof ebuf));
  for (;;) {
    size_t n;
    if (cap - len < 65536) {
      size_t nc = cap ? cap * 2 : 65536;
      char *nb = realloc(buf, nc + 1);
      if (!nb) {
        free(buf);
        fclose(f);
        return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", path);
      }
      buf = nb;
      cap = nc;
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    fclose(f);
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot read: %s", path,
                          lode_errno_text(e, ebuf, sizeof ebuf));
  }
  fclose(f);
  buf[len] = '\0';
  *out = buf;
  *out_len = len;
  return 0;
}

/* The whole file is parsed and every alias normalized before anything is
 * added, so a bad line leaves the gazetteer as it was (running out of
 * memory while adding may leave the lines before it added). */
int lode_gaz_load_tsv(lode_gazetteer *g, const char *path, lode_error *err) {
  char *buf = NULL;
  size_t len = 0, pos = 0, line = 0, nrec = 0, crec = 0, i;
  tsv_rec *recs = NULL;
  int rc = 0;

  if (!g || !path)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "gazetteer: NULL argument");
  if (g->built)
    return lode_error_set(err, LODE_ESTATE, LODE_NOPOS, 0,
                          "%s: gazetteer already built; build a new gazetteer to load more",
                          path);
  if ((rc = read_file(path, &buf, &len, err))) return rc;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;

  while (pos < len) {
    const char *l = buf + pos, *nl, *f[3];
    size_t ll, fl[3], nf = 0, lstart = pos;
    const char *p, *end;
    line++;
    nl = memchr(l, '\n', len - pos);
    ll = nl ? (size_t)(nl - l) : len - pos;
    pos += ll + (nl ? 1 : 0);
    if (ll && l[ll - 1] == '\r') ll--;
    if (memchr(l, '\0', ll)) {
      rc = lode_error_set(err, LODE_EBINARY, lstart, line, "%s:%zu: NUL byte in line",
                          path, line);
      break;
    }
    if (!valid_utf8(l, ll)) {
      rc = lode_error_set(err, LODE_EENCODING, lstart, line, "%s:%zu: invalid UTF-8",
                          path, line);
      break;
    }
    {
      const char *t = l;
      size_t tl = ll;
      trim(&t, &tl);
      if (tl == 0 || t[0] == '#') continue;
    }
    /* split on TAB into at most 3 fields */
    p = l;
    end = l + ll;
    for (;;) {
      const char *tab = memchr(p, '\t', (size_t)(end - p));
      if (nf == 3) {
        rc = lode_error_set(err, LODE_EARG, lstart, line,
                            "%s:%zu: more than 3 tab-separated fields "
                            "(expected alias<TAB>canonical<TAB>kind)", path, line);
        break;
      }
      f[nf] = p;
      fl[nf] = tab ? (size_t)(tab - p) : (size_t)(end - p);
      nf++;
      if (!tab) break;
      p = tab + 1;
    }
    if (rc) break;
    while (nf < 3) f[nf] = NULL, fl[nf] = 0, nf++;

    if (nrec == crec) {
      size_t nc = crec ? crec * 2 : 256;
      tsv_rec *nr = realloc(recs, nc * sizeof *nr);
      if (!nr) {
        rc = lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", path);
        break;
      }
      recs = nr;
      crec = nc;
    }
    {
      tsv_rec *r = &recs[nrec];
      lode_error e;
      lode_error_clear(&e);
      r->canon = f[1];
      r->clen = fl[1];
      r->kind = f[2];
      r->klen = fl[2];
      rc = norm_alias(g, f[0], fl[0], &r->nbytes, &r->nlen, &e);
      if (!rc) {
        rc = prepare_labels(f[0], fl[0], &r->canon, &r->clen, &r->kind, &r->klen, &e);
        if (rc) free(r->nbytes);
      }
      if (rc) {
        /* "gazetteer: alias ... is empty" -> "path:line: alias ... is empty" */
        const char *m = e.msg;
        if (strncmp(m, "gazetteer: ", 11) == 0) m += 11;
        rc = lode_error_set(err, rc, lstart, line, "%s:%zu: %s", path, line, m);
        break;
      }
      nrec++;
    }
  }

  if (rc) {
    for (i = 0; i < nrec; i++) free(recs[i].nbytes);
  } else {
    for (i = 0; i < nrec; i++) {
      tsv_rec *r = &recs[i];
      if (!rc)
        rc = add_normalized(g, r->nbytes, r->nlen, r->canon, r->clen, r->kind, r->klen,
                            err);
      else
        free(r->nbytes);
    }
    if (!rc) lode_error_clear(err);
  }
  free(recs);
  free(buf);
  return rc;
}

/* ----------------------------------------------------------------- build */

/* ASCII letters and digits: the bytes that certainly belong to a word.
 * Bytes >= 0x80 are decided by decoding the code point (word_at). */
static const uint8_t ascii_word[256] = {
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
  ['7'] = 1, ['8'] = 1, ['9'] = 1,
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
  ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
  ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
  ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
  ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
  ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
  ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

#define IS_WORD_BYTE(b) (ascii_word[(uint8_t)(b)])

/* The two roots. A match may only start where a word may start, so the
 * automaton remembers whether the previous byte was a letter/digit: ROOT_B
 * (at a possible word start: may begin an alias) or ROOT_W (inside a word:
 * waits for a non-word byte). Inside words the scan stays in ROOT_W and
 * never wanders into deep states, which keeps the hot table small. */
#define ROOT_B 0u
#define ROOT_W 1u


typedef struct tnode {
  uint32_t first, next;  /* first child, next sibling (NONE) */
  uint32_t fail;
  uint32_t out, dict;    /* primary alias, dictionary suffix link (old ids) */
  uint32_t depth;
  uint8_t byte;          /* label of the edge into this node */
} tnode;

typedef struct trie {
  tnode *n;
  size_t len, cap;
  uint32_t root_child[256];
} trie;

static uint32_t trie_child(const trie *t, uint32_t u, uint8_t b) {
  uint32_t c;
  if (u == 0) return t->root_child[b];
  for (c = t->n[u].first; c != NONE; c = t->n[c].next)
    if (t->n[c].byte == b) return c;
  return NONE;
}

static uint32_t trie_new_node(trie *t, uint32_t parent, uint8_t b) {
  tnode *x;
  if (t->len == t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 1024;
    tnode *nn;
    if (nc >= UINT32_MAX / 2) return NONE;
    nn = realloc(t->n, nc * sizeof *nn);
    if (!nn) return NONE;
    t->n = nn;
    t->cap = nc;
  }
  x = &t->n[t->len];
  x->first = NONE;
  x->fail = 0;
  x->out = NONE;
  x->dict = NONE;
  x->byte = b;
  x->depth = 0;
  if (t->len >= 2) {  /* nodes 0 and 1 are the two roots, nobody's child */
    tnode *p = &t->n[parent];
    uint32_t *link = &p->first;
    x->depth = p->depth + 1;
    /* keep siblings sorted by byte: the edge arrays come out sorted */
    while (*link != NONE && t->n[*link].byte < b) link = &t->n[*link].next;
    x->next = *link;
    *link = (uint32_t)t->len;
    if (parent == 0) t->root_child[b] = (uint32_t)t->len;
  } else {
    x->next = NONE;
  }
  return (uint32_t)t->len++;
}

static size_t split_threshold(void) {
  const char *s = getenv("LODE_GAZ_SPLIT_MIN");
  if (s && *s) {
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    if (*end == '\0') return (size_t)n;
  }
  return SPLIT_MIN_BYTES;
}

static size_t dfa_budget(void) {
  const char *s = getenv("LODE_GAZ_DFA_MAX_MB");
  if (s && *s) {
    char *end;
    unsigned long mb = strtoul(s, &end, 10);
    if (*end == '\0') return (size_t)mb << 20;
  }
  return DFA_MAX_BYTES;
}

/* Set DFA entry `at` to state id `id`, in the table's width (see g->dfa). */
static void dfa_set(lode_gazetteer *g, size_t at, uint32_t id) {
  if (g->dfa == 2) g->trans16[at] = (uint16_t)id;
  else g->trans[at] = id << g->shift;
}

int lode_gaz_build(lode_gazetteer *g, lode_error *err) {
  trie t;
  uint32_t *order = NULL, *perm = NULL;
  size_t i, nst, head, tail, nmatch;
  unsigned ncls, shift;
  int rc = LODE_ENOMEM;

  if (!g) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "gazetteer: NULL gazetteer");
  if (g->built)
    return lode_error_set(err, LODE_ESTATE, LODE_NOPOS, 0, "gazetteer: already built");
  memset(&t, 0, sizeof t);
  for (i = 0; i < 256; i++) t.root_child[i] = NONE;
  if (trie_new_node(&t, 0, 0) == NONE || trie_new_node(&t, 0, 0) == NONE) goto fail;

  /* 1. trie of the primary aliases */
  for (i = 0; i < g->nalias; i++) {
    const alias *a = &g->aliases[i];
    uint32_t u = 0, k;
    if (!a->primary) continue;
    for (k = 0; k < a->len; k++) {
      uint8_t b = (uint8_t)a->bytes[k];
      uint32_t c = trie_child(&t, u, b);
      if (c == NONE && (c = trie_new_node(&t, u, b)) == NONE) goto fail;
      u = c;
    }
    t.n[u].out = (uint32_t)i;
  }
  nst = t.len;

  /* 2. breadth-first order, failure and dictionary links */
  order = malloc(nst * sizeof *order);
  perm = malloc(nst * sizeof *perm);
  if (!order || !perm) goto fail;
  head = 0;
  tail = 0;
  order[tail++] = ROOT_B;
  order[tail++] = ROOT_W;
  t.n[ROOT_W].fail = ROOT_W;
  while (head < tail) {
    uint32_t u = order[head++], c;
    for (c = t.n[u].first; c != NONE; c = t.n[c].next) {
      uint8_t b = t.n[c].byte;
      uint32_t f, v = u == ROOT_B ? ROOT_W : t.n[u].fail;
      /* Longest proper suffix of c's string that is in the trie and starts
       * where a word may start. The chain of u ends in ROOT_B when u's last
       * byte may end a word (so b may start one), else in ROOT_W. */
      for (;;) {
        if (v == ROOT_W) {
          f = IS_WORD_BYTE(b) ? ROOT_W : ROOT_B;
          break;
        }
        f = trie_child(&t, v, b);
        if (f != NONE) break;
        if (v == ROOT_B) {
          f = IS_WORD_BYTE(b) ? ROOT_W : ROOT_B;
          break;
        }
        v = t.n[v].fail;
      }
      t.n[c].fail = f;
      t.n[c].dict = t.n[f].out != NONE ? f : t.n[f].dict;
      order[tail++] = c;
    }
  }

  /* 3. renumber: states with any output first, then the rest, BFS order */
  nmatch = 0;
  for (i = 0; i < nst; i++) {
    const tnode *x = &t.n[order[i]];
    if (x->out != NONE || x->dict != NONE) perm[order[i]] = (uint32_t)nmatch++;
  }
  {
    size_t k = nmatch;
    for (i = 0; i < nst; i++) {
      const tnode *x = &t.n[order[i]];
      if (!(x->out != NONE || x->dict != NONE)) perm[order[i]] = (uint32_t)k++;
    }
  }

  g->nstates = (uint32_t)nst;
  g->depth = malloc(nst * sizeof *g->depth);
  g->out = malloc(nst * sizeof *g->out);
  g->dict = malloc(nst * sizeof *g->dict);
  if (!g->depth || !g->out || !g->dict) goto fail;
  for (i = 0; i < nst; i++) {
    const tnode *x = &t.n[i];
    uint32_t id = perm[i];
    g->depth[id] = x->depth;
    g->out[id] = x->out;
    g->dict[id] = x->dict == NONE ? NONE : perm[x->dict];
  }

  /* 4. byte classes: bytes in no alias share class 0 (non-word) or 1
   * (word); every byte of an alias gets its own (two edges leaving one trie
   * node lead to different states, so no two used bytes are equivalent). */
  {
    uint8_t used[256];
    memset(used, 0, sizeof used);
    for (i = 0; i < g->nalias; i++) {
      const alias *a = &g->aliases[i];
      uint32_t k;
      for (k = 0; a->primary && k < a->len; k++) used[(uint8_t)a->bytes[k]] = 1;
    }
    /* numbered in byte order, so the ASCII classes (nearly all of news
     * text) sit together at the start of every row: fewer cache lines */
    ncls = 2;
    for (i = 0; i < 256; i++)
      g->cls[i] = used[i] && ncls < 256 ? (uint8_t)ncls++ : IS_WORD_BYTE(i) ? 1 : 0;
  }
  if (ncls == 256) /* (nearly) every byte used: classes are bytes */
    for (i = 0; i < 256; i++) g->cls[i] = (uint8_t)i;
  for (shift = 0; (1u << shift) < ncls; shift++) {}

  if (nst <= (dfa_budget() / sizeof(uint32_t)) >> shift) {
    /* 5a. full DFA: row(u) = row(fail(u)) overridden by u's own edges;
     * BFS order guarantees the failure state's row is done first. Up to
     * 65536 states the entries are 16-bit ids: half the bytes per entry,
     * twice the states per cache line; the shift it costs per byte is
     * cheaper than the cache misses it saves. The rows are built at their
     * final width: a table of the other width, copied, would cost as much
     * as the rest of the build, once per Lua state. */
    size_t stride = (size_t)1 << shift;
    int narrow = nst <= 65536;
    size_t width = narrow ? sizeof *g->trans16 : sizeof *g->trans;
    char *rows = malloc((nst << shift) * width);
    if (!rows) goto fail;
    g->dfa = narrow ? 2 : 1;
    g->shift = shift;
    if (narrow) g->trans16 = (uint16_t *)(void *)rows;
    else g->trans = (uint32_t *)(void *)rows;
    uint8_t cls_word[256];
    for (i = 0; i < 256; i++) cls_word[g->cls[i]] = IS_WORD_BYTE(i);
    for (i = 0; i < nst; i++) {
      uint32_t u = order[i], c;
      size_t row = (size_t)perm[u] << shift;
      if (u == ROOT_B || u == ROOT_W) {
        size_t k;
        for (k = 0; k < stride; k++)
          dfa_set(g, row + k, perm[k < ncls && cls_word[k] ? ROOT_W : ROOT_B]);
      } else {
        memcpy(rows + row * width, rows + ((size_t)perm[t.n[u].fail] << shift) * width,
               stride * width);
      }
      for (c = t.n[u].first; c != NONE; c = t.n[c].next)
        dfa_set(g, row + g->cls[t.n[c].byte], perm[c]);
    }
  } else {
    /* 5b. failure-link automaton: dense root, sorted edge arrays */
    size_t ne = nst - 1, k = 0;
    g->dfa = 0;
    g->shift = 0;
    g->fail = malloc(nst * sizeof *g->fail);
    g->edge_off = malloc((nst + 1) * sizeof *g->edge_off);
    g->edge_byte = malloc(ne ? ne : 1);
    g->edge_to = malloc((ne ? ne : 1) * sizeof *g->edge_to);
    if (!g->fail || !g->edge_off || !g->edge_byte || !g->edge_to) goto fail;
    for (i = 0; i < 256; i++)
      g->root_next[i] = t.root_child[i] != NONE ? perm[t.root_child[i]]
                        : perm[IS_WORD_BYTE(i) ? ROOT_W : ROOT_B];
    /* edges laid out in new-id order so a state's edges are contiguous */
    {
      uint32_t *inv = order; /* reuse: order no longer needed as BFS list */
      for (i = 0; i < nst; i++) inv[perm[i]] = (uint32_t)i;
      for (i = 0; i < nst; i++) {
        uint32_t u = inv[i], c;
        g->edge_off[i] = (uint32_t)k;
        g->fail[i] = perm[t.n[u].fail];
        for (c = t.n[u].first; c != NONE; c = t.n[c].next) {
          g->edge_byte[k] = t.n[c].byte;
          g->edge_to[k] = perm[c];
          k++;
        }
      }
      g->edge_off[nst] = (uint32_t)k;
    }
  }
  {
    unsigned vs = g->dfa == 1 ? g->shift : 0;  /* ids -> state values */
    g->root = perm[ROOT_B] << vs;
    g->root_w = perm[ROOT_W] << vs;
    g->mlimit = (uint32_t)(nmatch << vs);
  }
  /* '\n' in class 0 (a byte of no alias, not a word byte) sends every DFA
   * state to ROOT_B, and no hit can contain it: the scan may be cut just
   * after one. Normalization usually collapses it away from aliases, but
   * the options are the caller's, so check rather than assume. */
  g->newline_cut = g->cls['\n'] == 0;
  g->split_min = g->dfa && g->newline_cut ? split_threshold() : 0;
  g->built = 1;
  rc = 0;
  lode_error_clear(err);

fail:
  if (rc) {
    free_automaton(g);
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "gazetteer: out of memory building the automaton");
  }
  free(t.n);
  free(order);
  free(perm);
  return rc;
}

/* ------------------------------------------------------------------- scan */


static int cp_is_word(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return 1;
    default:
      return 0;
  }
}

/* Is the code point that starts at p[i] (i < len) a word character?
 * Invalid UTF-8 counts as a boundary. */
static int word_at(const uint8_t *p, size_t len, size_t i) {
  utf8proc_int32_t cp;
  size_t n = len - i;
  if (p[i] < 0x80) return ascii_word[p[i]];
  if (utf8proc_iterate(p + i, (utf8proc_ssize_t)(n > 4 ? 4 : n), &cp) <= 0) return 0;
  return cp_is_word(cp);
}

/* Is the code point that ends just before p[i] (i > 0) a word character? */
static int word_before(const uint8_t *p, size_t i) {
  size_t s = i - 1;
  utf8proc_int32_t cp;
  if (p[s] < 0x80) return ascii_word[p[s]];
  while (s > 0 && i - s < 4 && (p[s] & 0xC0) == 0x80) s--;
  if (utf8proc_iterate(p + s, (utf8proc_ssize_t)(i - s), &cp) != (utf8proc_ssize_t)(i - s))
    return 0;
  return cp_is_word(cp);
}

/* One transition of the failure-link automaton. */
static uint32_t nfa_step(const lode_gazetteer *g, uint32_t s, uint8_t b) {
  for (;;) {
    uint32_t lo, hi;
    if (s == g->root) return g->root_next[b];
    if (s == g->root_w) return IS_WORD_BYTE(b) ? g->root_w : g->root;
    lo = g->edge_off[s];
    hi = g->edge_off[s + 1];
    while (lo < hi) {  /* edges sorted by byte; most states have 1-3 */
      uint32_t mid = lo + (hi - lo) / 2;
      uint8_t e = g->edge_byte[mid];
      if (e == b) return g->edge_to[mid];
      if (e < b) lo = mid + 1; else hi = mid;
    }
    s = g->fail[s];
  }
}

/* The scan is one or two streams over the text. A stream is a part
 * [pos, end) of the text with its automaton state and where its hits go;
 * word-boundary checks always look at the whole text, so a stream sees the
 * real bytes on both sides of its part. */
typedef struct stream {
  size_t pos, end;   /* next byte to read; end of this stream's part */
  uint32_t s;        /* automaton state value after p[pos - 1] */
  lode_gaz_fn fn;    /* where its hits go */
  void *ud;
} stream;

/* `dfa` is a compile-time constant at every call site (the public entry
 * dispatches once), so the compiler emits one specialised copy per
 * automaton kind. The table pointers are re-read from g in each function:
 * they are loop-invariant loads the compiler hoists. */
#define STEP(st, b) \
  (dfa == 2 ? g->trans16[((size_t)(st) << g->shift) + g->cls[(b)]] \
   : dfa == 1 ? g->trans[(st) + g->cls[(b)]] : nfa_step(g, (st), (b)))

/* The slow path: the state st->s, just reached at st->pos, has outputs.
 * Runs the leftmost-longest candidate logic byte by byte until no candidate
 * is pending, then hands the stream back to the hot loop. p[0, len) is the
 * whole text. Returns 0, or the non-zero return of the stream's callback. */
static LODE_ALWAYS_INLINE int stream_slow(const lode_gazetteer *g, const uint8_t *p,
                                     size_t len, stream *st, const int dfa) {
  const uint32_t *depth = g->depth, *out = g->out, *dict = g->dict;
  const unsigned vs = dfa == 1 ? g->shift : 0;  /* state value -> id */
  const uint32_t mlimit = g->mlimit;
  const size_t end = st->end;
  uint32_t s = st->s;
  size_t pos = st->pos;
  int have = 0;            /* a candidate is pending */
  size_t bs = 0, be = 0;   /* its span */
  uint32_t ba = 0;         /* its alias */

  goto outputs;
  for (;;) {
    if (!have) break;
    if (pos < end) {
      s = STEP(s, p[pos]);
      pos++;
      /* The current state spells the longest text suffix that can still
       * grow into an alias; if it no longer reaches back to the candidate's
       * start, nothing found later can start at or before it. */
      if (bs + depth[s >> vs] < pos) goto commit;
      if (s < mlimit) goto outputs;
      continue;
    }
    goto commit;  /* end of the stream */

  outputs: {
      uint32_t id = s >> vs;
      uint32_t o = out[id] != NONE ? id : dict[id];
      /* longest first: the first whole-word hit here is the leftmost one
       * ending at pos, the shorter ones start later and cannot beat it */
      for (; o != NONE; o = dict[o]) {
        uint32_t a = out[o];
        size_t st0 = pos - g->aliases[a].len;
        if ((st0 > 0 && word_before(p, st0)) || (pos < len && word_at(p, len, pos)))
          continue;
        if (!have || st0 < bs || (st0 == bs && pos > be)) {
          have = 1;
          bs = st0;
          be = pos;
          ba = a;
        }
        break;
      }
      continue;
    }

  commit: {
      lode_gaz_hit h;
      int r;
      h.start = bs;
      h.end = be;
      h.alias = ba;
      h.entry = g->aliases[ba].entry;
      if ((r = st->fn(st->ud, &h)) != 0) return r;
      pos = be;
      s = IS_WORD_BYTE(p[be - 1]) ? g->root_w : g->root;
      break;
    }
  }
  st->s = s;
  st->pos = pos;
  return 0;
}

/* Scan one stream to its end. */
static LODE_ALWAYS_INLINE int stream_run(const lode_gazetteer *g, const uint8_t *p,
                                    size_t len, stream *st, const int dfa) {
  const uint32_t mlimit = g->mlimit;
  const size_t end = st->end;
  uint32_t s = st->s;
  size_t pos = st->pos;
  int r;
  for (;;) {
    /* hot loop: one table load per byte; four bytes share one branch on
     * "some state had an output" (the states are computed anyway, and
     * outputs are rare), then the block is replayed byte by byte */
    if (dfa) {
      while (end - pos >= 4) {
        uint32_t s1 = STEP(s, p[pos]);
        uint32_t s2 = STEP(s1, p[pos + 1]);
        uint32_t s3 = STEP(s2, p[pos + 2]);
        uint32_t s4 = STEP(s3, p[pos + 3]);
        if ((s1 < mlimit) | (s2 < mlimit) | (s3 < mlimit) | (s4 < mlimit)) {
          if (s1 < mlimit) { s = s1; pos += 1; goto outputs; }
          if (s2 < mlimit) { s = s2; pos += 2; goto outputs; }
          if (s3 < mlimit) { s = s3; pos += 3; goto outputs; }
          s = s4; pos += 4; goto outputs;
        }
        s = s4;
        pos += 4;
      }
    }
    while (pos < end) {
      s = STEP(s, p[pos]);
      pos++;
      if (s < mlimit) goto outputs;
    }
    st->s = s;
    st->pos = pos;
    return 0;

  outputs:
    st->s = s;
    st->pos = pos;
    if ((r = stream_slow(g, p, len, st, dfa)) != 0) return r;
    s = st->s;
    pos = st->pos;
  }
}

/* After 1-4 steps from a block start, set the stream to the first state of
 * the block that has an output and run the slow path on it. */
#define BLOCK_OUTPUT(st, x1, x2, x3, x4, at)                       \
  do {                                                             \
    if ((x1) < mlimit) (st)->s = (x1), (st)->pos = (at) + 1;       \
    else if ((x2) < mlimit) (st)->s = (x2), (st)->pos = (at) + 2;  \
    else if ((x3) < mlimit) (st)->s = (x3), (st)->pos = (at) + 3;  \
    else (st)->s = (x4), (st)->pos = (at) + 4;                     \
    if ((r = stream_slow(g, p, len, (st), dfa)) != 0) return r;    \
  } while (0)

/* Two streams in one loop. The hot loop is latency-bound (each byte's table
 * load needs the previous state), so stepping two independent streams lets
 * the loads of one overlap those of the other. Either stream that reaches
 * an output goes through the slow path on its own; when one nears its end,
 * the rest of each is scanned alone, a's first. */
static LODE_ALWAYS_INLINE int scan_two(const lode_gazetteer *g, const uint8_t *p, size_t len,
                                  stream *a, stream *b, const int dfa) {
  const uint32_t mlimit = g->mlimit;
  const size_t aend = a->end, bend = b->end;
  uint32_t sa = a->s, sb = b->s;
  size_t pa = a->pos, pb = b->pos;
  int r;
  while (aend - pa >= 4 && bend - pb >= 4) {
    uint32_t a1 = STEP(sa, p[pa]), b1 = STEP(sb, p[pb]);
    uint32_t a2 = STEP(a1, p[pa + 1]), b2 = STEP(b1, p[pb + 1]);
    uint32_t a3 = STEP(a2, p[pa + 2]), b3 = STEP(b2, p[pb + 2]);
    uint32_t a4 = STEP(a3, p[pa + 3]), b4 = STEP(b3, p[pb + 3]);
    int oa = (a1 < mlimit) | (a2 < mlimit) | (a3 < mlimit) | (a4 < mlimit);
    int ob = (b1 < mlimit) | (b2 < mlimit) | (b3 < mlimit) | (b4 < mlimit);
    if (LODE_UNLIKELY(oa | ob)) {
      if (oa) {
        BLOCK_OUTPUT(a, a1, a2, a3, a4, pa);
        sa = a->s;
        pa = a->pos;
      } else {
        sa = a4;
        pa += 4;
      }
      if (ob) {
        BLOCK_OUTPUT(b, b1, b2, b3, b4, pb);
        sb = b->s;
        pb = b->pos;
      } else {
        sb = b4;
        pb += 4;
      }
      continue;
    }
    sa = a4;
    sb = b4;
    pa += 4;
    pb += 4;
  }
  a->s = sa;
  a->pos = pa;
  b->s = sb;
  b->pos = pb;
  if ((r = stream_run(g, p, len, a, dfa)) != 0) return r;
  return stream_run(g, p, len, b, dfa);
}
#undef BLOCK_OUTPUT

/* Hits of the second stream wait here until the first one is done. */
typedef struct hitbuf {
  lode_gaz_hit *h;
  size_t n, cap;
} hitbuf;

static int hitbuf_push(void *ud, const lode_gaz_hit *hit) {
  hitbuf *hb = ud;
  if (hb->n == hb->cap) {
    size_t nc = hb->cap ? hb->cap * 2 : 256;
    lode_gaz_hit *nh = nc > SIZE_MAX / sizeof *nh ? NULL : realloc(hb->h, nc * sizeof *nh);
    if (!nh) return LODE_ENOMEM;
    hb->h = nh;
    hb->cap = nc;
  }
  hb->h[hb->n++] = *hit;
  return 0;
}

/* Index of the '\n' nearest the middle of p[0, len), or len if none. */
static size_t split_point(const uint8_t *p, size_t len) {
  size_t mid = len / 2, back;
  const uint8_t *f = memchr(p + mid, '\n', len - mid);
  size_t fwd = f ? (size_t)(f - p) - mid : SIZE_MAX;  /* distance after mid */
  for (back = 1; back <= mid && back < fwd; back++)
    if (p[mid - back] == '\n') return mid - back;
  return f ? mid + fwd : len;
}

/* Scan p[from, to) of the text p[0, len) starting in state `s0`: the state
 * a scan of the whole text would be in at `from`, with nothing pending. */
static LODE_ALWAYS_INLINE int scan_impl(const lode_gazetteer *g, const uint8_t *p, size_t len,
                                   size_t from, size_t to, uint32_t s0,
                                   lode_gaz_fn fn, void *ud, const int dfa) {
  stream a;
  a.pos = from;
  a.end = to;
  a.s = s0;
  a.fn = fn;
  a.ud = ud;
  if (dfa && g->split_min && to - from >= g->split_min) {
    /* Cut just after a '\n' (split_min != 0: no alias holds one). Every
     * state goes to ROOT_B on it and a pending candidate is settled there,
     * so the single scan would be in ROOT_B, with nothing pending, after
     * it: exactly where the second stream starts. No hit crosses the cut. */
    size_t m = from + split_point(p + from, to - from);
    if (m + 1 < to) {
      hitbuf hb = {NULL, 0, 0};
      stream b;
      int r;
      size_t i;
      a.end = m + 1;
      b.pos = m + 1;
      b.end = to;
      b.s = g->root;
      b.fn = hitbuf_push;
      b.ud = &hb;
      r = scan_two(g, p, len, &a, &b, dfa);
      for (i = 0; r == 0 && i < hb.n; i++) r = fn(ud, &hb.h[i]);
      free(hb.h);
      return r;
    }
  }
  return stream_run(g, p, len, &a, dfa);
}
#undef STEP

static int scan_range(const lode_gazetteer *g, const uint8_t *p, size_t len, size_t from,
                      size_t to, uint32_t s0, lode_gaz_fn fn, void *ud) {
  if (g->dfa == 2) return scan_impl(g, p, len, from, to, s0, fn, ud, 2);
  if (g->dfa == 1) return scan_impl(g, p, len, from, to, s0, fn, ud, 1);
  return scan_impl(g, p, len, from, to, s0, fn, ud, 0);
}

int lode_gaz_scan(const lode_gazetteer *g, const char *s, size_t len,
                  lode_gaz_fn fn, void *ud) {
  if (!g || !fn || (!s && len)) return LODE_EARG;
  if (!g->built) return LODE_ESTATE;
  return scan_range(g, (const uint8_t *)s, len, 0, len, g->root, fn, ud);
}

/* lode_gaz_scan_part passes each hit on and remembers where it ended. */
typedef struct part_scan {
  lode_gaz_fn fn;
  void *ud;
  size_t last_end;
} part_scan;

static int part_hit(void *ud, const lode_gaz_hit *hit) {
  part_scan *ps = ud;
  ps->last_end = hit->end;
  return ps->fn(ps->ud, hit);
}

int lode_gaz_scan_part(const lode_gazetteer *g, const char *s, size_t len, size_t *pos,
                       lode_gaz_fn fn, void *ud) {
  const uint8_t *p = (const uint8_t *)s;
  part_scan ps;
  size_t from, to = len;
  uint32_t s0;
  int r;
  if (!g || !fn || !pos || (!s && len) || *pos > len) return LODE_EARG;
  if (!g->built) return LODE_ESTATE;
  from = *pos;
  if (g->newline_cut && len - from > LODE_GAZ_PART_BYTES) {
    const uint8_t *nl = memchr(p + from + LODE_GAZ_PART_BYTES, '\n',
                               len - from - LODE_GAZ_PART_BYTES);
    if (nl) to = (size_t)(nl - p) + 1;
  }
  /* At 0, after a '\n' cut and after a reported hit, the whole-text scan
   * is at a root with nothing pending: the one the byte before selects
   * (as after a hit in stream_slow). */
  s0 = from && IS_WORD_BYTE(p[from - 1]) ? g->root_w : g->root;
  ps.fn = fn;
  ps.ud = ud;
  ps.last_end = from;
  r = scan_range(g, p, len, from, to, s0, part_hit, &ps);
  *pos = r ? ps.last_end : to;
  return r;
}
