/*
 * normalize.c -- normalized views with an offset map (see normalize.h).
 *
 * How it works. The input is cut into *chunks* that normalize independently:
 * a chunk starts at a "boundary" code point and runs up to the next one. A
 * code point is a boundary when, after the per-code-point pre-map (typography,
 * control removal), it and the first code point of its decomposition are
 * starters (ccc 0) that never compose with what precedes them. Canonical
 * reordering never crosses a starter and composition never reaches back over
 * one, so normalize(a ++ b) == normalize(a) ++ normalize(b) when b starts on a
 * boundary; that is what lets every piece of the offset map be re-normalized
 * on its own (the provenance property in normalize.h).
 *
 * Every ASCII byte except a dropped control is a boundary, so runs of plain
 * ASCII are copied (or lower-cased) inline into one aligned piece, and only
 * the rare non-ASCII chunks go through utf8proc. When the code point after an
 * ASCII run is not a boundary (a combining mark after a letter), the run's
 * last byte is taken back and becomes the start of that chunk.
 *
 * A chunk that starts with ASCII punctuation or space (as such, after the
 * typography fold, or as its whole decomposition: NBSP, U+2026 under NFKC)
 * is split after it, since those never compose with the marks that follow;
 * so a word after a space maps to its own bytes even when the word starts
 * with a stray mark. What cannot be split is one code point whose mapping
 * holds punctuation (U+2474 -> "(1)", U+00A8 -> " " U+0308 under NFKC): a
 * word inside it maps to the whole code point.
 *
 * A run of code points that join backwards (combining marks) is cut after
 * MAX_JOINED of them, and the next one starts a chunk as if it were a
 * boundary: canonical reordering (utf8proc's) is quadratic in the length of
 * a run, and web comments carry "Zalgo" runs of thousands of marks. 30 is
 * the bound of Unicode's stream-safe text format (UAX #15, section 13),
 * which no real text exceeds; beyond it marks are not reordered or composed
 * across a cut (UAX #15 inserts U+034F there instead; lode keeps the view
 * free of characters the original does not have). Each cut chunk is its
 * own piece of the map, so the map stays exact and normalization linear.
 *
 * Whitespace collapse is done on the output stream: a unit whose output
 * starts with ' ' right after a view that ends with ' ' is absorbed into the
 * previous piece, so a collapsed run is always inside one piece.
 */
#include "normalize.h"
#include "utf8.h"
#include "hints.h"
#include "hugepage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(LODE_NORM_NO_AVX2)
/* 32-byte blocks with AVX2 where the CPU has it (checked at run time);
 * LODE_NORM_NO_AVX2 builds the SSE2 loop alone, for its tests. */
#include <immintrin.h>
#define LODE_NORM_AVX2 1
#define AVX2 __attribute__((target("avx2")))
#endif

/* Code points joining backwards kept in one chunk (UAX #15 stream-safe). */
#define MAX_JOINED 30

/* ---- the view ----------------------------------------------------------- */

/* The pieces tile both texts in order: a piece runs from its own offsets
 * to the next piece's (the last one to the ends of the view and the
 * original), so only the starts are stored. A piece is aligned (its view
 * and original ranges have the same length and byte i maps to byte i) when
 * ooff has ALIGNED set. An aligned piece with a SHIFT d of 1 to 3 starts
 * with one character that came from d more bytes (a curly quote folded to
 * ', a letter stripped of its accent, a ' ' that a run of up to 4 spaces
 * collapsed to), the rest being aligned: the fold and the run after it
 * take one piece, and view offset i > voff maps to ooff + d + (i - voff).
 *
 * A piece is 8 bytes (a folded quote costs one): the low VBITS bits of its
 * view offset and OBITS of its original offset, under the 3 flag bits. The
 * high bits change only every 4 GB of view or 512 MB of original, so the
 * map keeps, for each, the short list of pieces where they change (empty
 * for smaller texts; a test build keeps a few low bits to exercise them). */
#ifndef LODE_NORM_VBITS
#define LODE_NORM_VBITS 32
#endif
#ifndef LODE_NORM_OBITS
#define LODE_NORM_OBITS 29
#endif
#if LODE_NORM_VBITS > 32 || LODE_NORM_OBITS > 29
#error "a piece holds at most 32 low bits of a view offset and 29 of an original one"
#endif

typedef struct piece {
  uint32_t voff;       /* view start, low bits */
  uint32_t ooff;       /* original start, low bits | ALIGNED | SHIFT(d) */
} piece;

#define VMASK ((uint32_t)(((uint64_t)1 << LODE_NORM_VBITS) - 1))
#define OMASK ((uint32_t)(((uint64_t)1 << LODE_NORM_OBITS) - 1))
#define ALIGNED ((uint32_t)1 << 31)
#define SHIFT(d) ((uint32_t)(d) << 29)
#define PIECE_FLAGS (ALIGNED | SHIFT(3))
#define DELTA(p) (((p)->ooff >> 29) & 3)

/* Pieces from index `from` on (up to the next entry's) have these high
 * bits; before the first entry they are 0. */
typedef struct high {
  size_t from, bits;
} high;

typedef struct high_list {
  high *at;
  size_t n, cap;
} high_list;

typedef struct piece_map {
  piece *at;
  size_t n, cap;
  high_list vhigh, ohigh;    /* high bits of voff, of ooff */
} piece_map;

struct lode_view {
  char *bytes;
  size_t len;
  piece_map map;
  size_t orig_len;
};

/* The high bits of piece k's offsets in list h. */
static size_t high_bits(const high_list *h, size_t k) {
  size_t lo = 0, hi = h->n;   /* first entry from after k */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (h->at[mid].from <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo ? h->at[lo - 1].bits : 0;
}

/* View and original start of piece k. */
static LODE_ALWAYS_INLINE size_t piece_voff(const piece_map *m, size_t k) {
  size_t low = m->at[k].voff;
  return m->vhigh.n ? (size_t)((uint64_t)high_bits(&m->vhigh, k) << LODE_NORM_VBITS | low) : low;
}

static LODE_ALWAYS_INLINE size_t piece_ooff(const piece_map *m, size_t k) {
  size_t low = m->at[k].ooff & OMASK;
  return m->ohigh.n ? (size_t)((uint64_t)high_bits(&m->ohigh, k) << LODE_NORM_OBITS | low) : low;
}

static void map_free(piece_map *m) {
  free(m->at);
  free(m->vhigh.at);
  free(m->ohigh.at);
}

/* ---- builder state (one per call: no global mutable state) -------------- */

enum { K_PLAIN = 0, K_WS, K_CTRL, K_MB };

typedef struct builder {
  const unsigned char *s;
  size_t len;
  unsigned flags;
  utf8proc_option_t uopts;
  int reorders;              /* does the form compose/reorder (chunks needed)? */
  int keep_map;

  char *view;
  size_t vlen, vcap;
  piece_map map;
  size_t vbits, obits;       /* high bits of the last piece's offsets */
  size_t oend;               /* end in the original of the last piece */

  unsigned char *scratch;    /* pre-mapped UTF-8 of one chunk */
  size_t scap;
  int32_t *u32;              /* utf8proc work buffer; u32cap code points (+1 byte) */
  size_t u32cap;

  struct simple_cp *simple;  /* SIMPLE_SLOTS code points seen (simple_at) */
  uint64_t simple_set[8];    /* which of them are filled: the slots are not
                              * zeroed (4 KB a builder, more than a name costs) */
  size_t last_q;             /* where simple_at looked last (+1; 0: nowhere), */
  size_t last_n;             /* the length of the code point there */
  struct simple_cp *last;    /* and its entry: a letter of a word is looked up
                              * as the one after its predecessor, then as
                              * itself */

  int avx2;                  /* the CPU has AVX2: the fast loop's wide blocks */
  unsigned char cls[256];    /* K_* per byte for these options */
  unsigned char fold[128];   /* ASCII byte -> output byte */
} builder;

/* ---- per-code-point folds ------------------------------------------------ */

/* Typography fold of one code point: the ASCII replacement (NULL if none). */
static const char *typo_map(int32_t cp) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB:
      return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212:
      return "-";
    case 0x2026:
      return "...";
    case 0x00A0: case 0x202F: case 0x205F: case 0x3000:
      return " ";
    default:
      if (cp >= 0x2000 && cp <= 0x200A) return " ";
      return NULL;
  }
}

/* Controls and invisible characters removed under LODE_NORM_CONTROLS. */
static int is_dropped(int32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n' && cp != '\r';
  if (cp >= 0x7F && cp <= 0x9F) return 1;
  return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
         cp == 0x00AD;
}

/* Pre-map of one input code point. Returns 0 to drop it, 1 when it is kept
 * as is, 2 when *rep holds its ASCII replacement. */
static int premap(const builder *b, int32_t cp, const char **rep) {
  if ((b->flags & LODE_NORM_CONTROLS) && is_dropped(cp)) return 0;
  if ((b->flags & LODE_NORM_TYPOGRAPHY) && cp >= 0xA0 && (*rep = typo_map(cp)))
    return 2;
  return 1;
}

/* Could this code point combine with something before it? Marks (ccc 0 or
 * not: spacing vowel signs such as U+0B3E compose backwards and are removed
 * by STRIP_MARKS) and the Hangul medial/final jamo, which are the only
 * non-mark code points with NFC_QC=Maybe in Unicode 15. */
static int joins_backwards(int32_t cp, const utf8proc_property_t *p) {
  if (p->combining_class != 0) return 1;
  if (p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
      p->category == UTF8PROC_CATEGORY_ME)
    return 1;
  return (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2);
}

/* Does cp, kept by the pre-map and standing alone, normalize to itself
 * under every option (no decomposition, no case folding, not a mark)? */
static int maps_to_itself(int32_t cp, const utf8proc_property_t *p) {
  return !joins_backwards(cp, p) && p->decomp_seqindex == UINT16_MAX &&
         p->casefold_seqindex == UINT16_MAX && !(cp >= 0xAC00 && cp <= 0xD7A3);
}

/* Is cp (a non-ASCII input code point) the start of an independent chunk? */
static int is_boundary_cp(const builder *b, int32_t cp) {
  const char *rep = NULL;
  int r = premap(b, cp, &rep);
  if (r == 0) return 0;            /* dropped: transparent, joins its left */
  if (r == 2) return 1;            /* becomes ASCII */
  if (!b->reorders) return 1;      /* no composition, no reordering */
  const utf8proc_property_t *p = utf8proc_get_property(cp);
  if (joins_backwards(cp, p)) return 0;
  if (maps_to_itself(cp, p)) return 1;
  int32_t d[64];
  int bc = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 64, b->uopts, &bc);
  if (n <= 0 || n > 64) return 0;  /* be conservative: join the chunk */
  return !joins_backwards(d[0], utf8proc_get_property(d[0]));
}

/* ---- growth helpers ------------------------------------------------------ */

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : 64;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / elem) { ncap = need; break; }
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem) return -1;
  void *q = realloc(*p, ncap * elem);
  if (!q) return -1;
  *p = q;
  *cap = ncap;
  return 0;
}

/* Keep room for the rest of the input copied 1:1 plus a NUL, so the ASCII
 * fast path never has to check capacity. The view of a long text is most
 * of the memory a normalization writes: huge pages for it. */
static int view_reserve(builder *b, size_t extra, size_t orig_pos) {
  size_t rest = b->len - orig_pos;
  if (extra > SIZE_MAX - rest - b->vlen - 1) return -1;
  void *p = b->view;
  if (grow(&p, &b->vcap, b->vlen + extra + rest + 1, 1) < 0) return -1;
  if (p != b->view) lode_advise_huge(p, b->vcap);
  b->view = p;
  return 0;
}

static int grow_pieces(builder *b) {
  void *p = b->map.at;
  if (grow(&p, &b->map.cap, b->map.n + 1, sizeof(piece)) < 0) return -1;
  b->map.at = p;
  return 0;
}

/* Piece b->map.n and those after it have high bits `bits` in h. */
static int push_high(builder *b, high_list *h, size_t bits) {
  void *p = h->at;
  if (grow(&p, &h->cap, h->n + 1, sizeof(high)) < 0) return -1;
  h->at = p;
  h->at[h->n].from = b->map.n;
  h->at[h->n].bits = bits;
  h->n++;
  return 0;
}

/* Start a piece at view offset voff and original offset ooff, with its
 * flags: the end of the last one in both (see struct piece). */
static LODE_ALWAYS_INLINE int push_piece(builder *b, size_t voff, size_t ooff, uint32_t flags) {
  piece_map *m = &b->map;
  if (m->n == m->cap && grow_pieces(b) < 0) return -1;
  size_t vbits = (size_t)((uint64_t)voff >> LODE_NORM_VBITS);
  size_t obits = (size_t)((uint64_t)ooff >> LODE_NORM_OBITS);
  if (LODE_UNLIKELY(vbits != b->vbits)) {
    if (push_high(b, &m->vhigh, vbits) < 0) return -1;
    b->vbits = vbits;
  }
  if (LODE_UNLIKELY(obits != b->obits)) {
    if (push_high(b, &m->ohigh, obits) < 0) return -1;
    b->obits = obits;
  }
  m->at[m->n].voff = (uint32_t)voff & VMASK;
  m->at[m->n].ooff = ((uint32_t)ooff & OMASK) | flags;
  m->n++;
  return 0;
}

/* The view bytes [vend - n, vend) came 1:1 from orig [ooff, ooff + n). */
static LODE_ALWAYS_INLINE int add_aligned(builder *b, size_t vend, size_t ooff, size_t n) {
  if (!b->keep_map || n == 0) return 0;
  b->oend = ooff + n;
  if (b->map.n && (b->map.at[b->map.n - 1].ooff & ALIGNED)) return 0;  /* it grows */
  return push_piece(b, vend - n, ooff, ALIGNED);
}

/* The view bytes [vend - m, vend), one character, came from the n > m
 * bytes of one character at orig ooff: a head piece (see struct piece). */
static LODE_ALWAYS_INLINE int add_head(builder *b, size_t vend, size_t ooff, size_t n, size_t m) {
  if (!b->keep_map) return 0;
  b->oend = ooff + n;
  return push_piece(b, vend - m, ooff, ALIGNED | SHIFT(n - m));
}

/* ---- emitting one unit (a chunk or part of one) ------------------------- */

/* Collapse '\t' and runs of ' '/'\t' in out[0, n) to single spaces. */
static size_t collapse_ws(char *out, size_t n) {
  size_t w = 0;
  for (size_t r = 0; r < n; r++) {
    char c = out[r];
    if (c == ' ' || c == '\t') {
      if (w && out[w - 1] == ' ') continue;
      c = ' ';
    }
    out[w++] = c;
  }
  return w;
}

/* Length of the UTF-8 sequence that lead byte c starts (0: not a lead). */
static size_t lead_len(unsigned char c) {
  static const unsigned char seq_len[16] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 3, 4};
  return seq_len[c >> 4];
}

/* Is out[0, n) one character that orig[0, olen), one character too, maps
 * to? Then the unit's only inner offset is its start: it joins an aligned
 * piece when the lengths are equal (Cyrillic or Greek case folding) or
 * starts a head piece when out is 1 to 3 bytes shorter (see struct piece). */
static int one_char_each(const char *out, size_t n, const unsigned char *orig, size_t olen) {
  return lead_len((unsigned char)out[0]) == n && lead_len(orig[0]) == olen &&
         n <= olen && olen - n <= 3;
}

/* Append the normalized output out[0, n) (mutable: collapse works in place)
 * of the original bytes [ooff, ooff + olen). */
static int emit_unit(builder *b, size_t ooff, size_t olen, char *out, size_t n) {
  int absorb = 0;
  if (b->flags & LODE_NORM_COLLAPSE) {
    n = collapse_ws(out, n);
    if (n && out[0] == ' ' && b->vlen && b->view[b->vlen - 1] == ' ') {
      absorb = 1;
      out++;
      n--;
    }
  }
  /* The view keeps room for the rest of the input copied 1:1, so only a
   * unit that grows needs more. */
  if (n > olen && view_reserve(b, n, ooff + olen) < 0) return -1;
  for (size_t i = 0; i < n; i++) b->view[b->vlen + i] = out[i];  /* a few bytes */
  b->vlen += n;
  if (!b->keep_map) return 0;

  if (absorb) {
    /* The view ends in ' ', so some piece with view bytes is last (empty
     * pieces only occur before any output). Take the space out of an aligned
     * run so the collapsed run stays small, then grow it over this unit:
     * while that ' ' is the piece's whole view and came from at most 4
     * bytes, as a head piece, so the run after it joins the piece. */
    piece *l = &b->map.at[b->map.n - 1];
    size_t space = b->vlen - n - 1;   /* view offset of that ' ' */
    if ((l->ooff & ALIGNED) && piece_voff(&b->map, b->map.n - 1) < space) {
      if (push_piece(b, space, b->oend - 1, n == 0 && olen <= 3 ? ALIGNED | SHIFT(olen) : 0) < 0)
        return -1;
    } else if ((l->ooff & ALIGNED) && n == 0 && DELTA(l) + olen <= 3) {
      l->ooff += SHIFT(olen);         /* l starts at the space */
    } else {
      l->ooff &= ~PIECE_FLAGS;
    }
    b->oend = ooff + olen;
    return 0;
  }
  if (n == olen && n && memcmp(out, b->s + ooff, n) == 0) return add_aligned(b, b->vlen, ooff, n);
  if (n && one_char_each(out, n, b->s + ooff, olen))
    return n == olen ? add_aligned(b, b->vlen, ooff, n) : add_head(b, b->vlen, ooff, olen, n);
  if (push_piece(b, b->vlen - n, ooff, 0) < 0) return -1;
  b->oend = ooff + olen;
  return 0;
}

/* ---- chunks --------------------------------------------------------------- */

/* Post-map typography over utf8proc's decomposed output (NFKC can produce
 * e.g. U+2014 from U+FE58). These are starters that never compose, so doing
 * it between decomposition and composition changes nothing else. Returns
 * the new length, or -1 when the buffer must grow (caller retries). */
static utf8proc_ssize_t post_typo(int32_t *u, utf8proc_ssize_t n, size_t cap) {
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    const char *rep;
    if (u[i] < 0xA0 || !(rep = typo_map(u[i]))) continue;
    size_t rl = strlen(rep);
    if (rl > 1) {
      if ((size_t)n + rl - 1 > cap) return -1;
      memmove(u + i + rl, u + i + 1, (size_t)(n - i - 1) * sizeof *u);
      n += (utf8proc_ssize_t)rl - 1;
    }
    for (size_t k = 0; k < rl; k++) u[i + (utf8proc_ssize_t)k] = (unsigned char)rep[k];
    i += (utf8proc_ssize_t)rl - 1;
  }
  return n;
}

/* Normalize orig [a, e) (whole code points). The output (*out, *outn)
 * pointing into b->scratch or b->u32. */
static int normalize_span(builder *b, size_t a, size_t e, char **out, size_t *outn) {
  /* Pre-map into scratch; worst case "..." (3 bytes) per 3-byte U+2026. */
  void *sp = b->scratch;
  if (grow(&sp, &b->scap, (e - a) + 8, 1) < 0) return -1;
  b->scratch = sp;
  size_t w = 0, i = a;
  int ascii = 1;
  while (i < e) {
    int32_t cp;
    size_t cl = lode_utf8_decode((const char *)b->s, e, i, &cp);
    const char *rep = NULL;
    int r = premap(b, cp, &rep);
    if (r == 1) {
      memcpy(b->scratch + w, b->s + i, cl);
      w += cl;
      if (cl > 1) ascii = 0;
    } else if (r == 2) {
      size_t rl = strlen(rep);
      memcpy(b->scratch + w, rep, rl);
      w += rl;
    }
    i += cl;
  }
  if (!ascii && !b->u32) {
    b->u32 = malloc(64 * sizeof(int32_t) + 1);
    if (!b->u32) return -1;
    b->u32cap = 64;
  }
  if (ascii) {
    /* No utf8proc needed: NFC/NFKC leave ASCII alone, case folding is the
     * ASCII lower-casing and there is nothing to strip. */
    for (size_t k = 0; k < w; k++) b->scratch[k] = b->fold[b->scratch[k]];
    *out = (char *)b->scratch;
    *outn = w;
    return 0;
  }
  for (;;) {
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)b->scratch,
                                            (utf8proc_ssize_t)w, b->u32,
                                            (utf8proc_ssize_t)b->u32cap, b->uopts);
    if (n < 0) return n == UTF8PROC_ERROR_NOMEM ? -1 : -2;
    if ((size_t)n <= b->u32cap && (b->flags & LODE_NORM_TYPOGRAPHY))
      n = post_typo(b->u32, n, b->u32cap);
    if (n < 0 || (size_t)n > b->u32cap) {
      /* +1 byte for the NUL utf8proc_reencode writes; room for "...". */
      size_t need = (n < 0 ? b->u32cap * 2 : (size_t)n) + 8;
      int32_t *q = realloc(b->u32, need * sizeof(int32_t) + 1);
      if (!q) return -1;
      b->u32 = q;
      b->u32cap = need;
      continue;
    }
    utf8proc_ssize_t m = utf8proc_reencode(b->u32, n, b->uopts);
    if (m < 0) return -2;
    *out = (char *)b->u32;
    *outn = (size_t)m;
    return 0;
  }
}

/* ASCII characters that are the first half of a canonical composition:
 * the letters, and < = > (with U+0338). Checked against UnicodeData 15. */
static int ascii_composes(char c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '<' || c == '=' || c == '>';
}

/* Process the chunk orig [a, e): its first code point is a boundary (or the
 * text starts there), the rest are not. */
static int run_chunk(builder *b, size_t a, size_t e) {
  int32_t cp;
  size_t first = lode_utf8_decode((const char *)b->s, e, a, &cp);
  const char *rep = NULL;
  int r = premap(b, cp, &rep);
  const char *head = r == 2 ? rep : (r == 1 && cp < 0x80) ? (const char *)b->s + a : NULL;
  size_t headn = r == 2 ? strlen(rep) : 1;
  char dh[8];
  if (!head && r == 1 && b->reorders) {
    /* Same for a code point that decomposes to ASCII on its own (NBSP and
     * U+2000..U+200A, fullwidth punctuation, U+2026 under NFKC). */
    int32_t d[8];
    int bc = 0;
    utf8proc_ssize_t dn = utf8proc_decompose_char(cp, d, 8, b->uopts, &bc);
    if (dn > 0 && dn <= 8) {
      utf8proc_ssize_t k = 0;
      while (k < dn && d[k] < 0x80) { dh[k] = (char)d[k]; k++; }
      if (k == dn) { head = dh; headn = (size_t)dn; }
    }
  }
  /* A chunk that starts with ASCII punctuation, space or digits (as such or
   * after the typography fold) is split after it: those never compose with
   * the marks that follow (only letters and < = > do), and keeping them apart
   * lets a word that starts after the space map to its own original bytes. */
  if (head && a + first < e && !ascii_composes(head[headn - 1])) {
    char *out;
    size_t outn;
    int rc = normalize_span(b, a + first, e, &out, &outn);
    if (rc < 0) return rc;
    if (outn > 0) {
      char hb[8];
      memcpy(hb, head, headn);
      /* out lives in b's buffers, which emit_unit does not touch. */
      if (emit_unit(b, a, first, hb, headn) < 0) return -1;
      return emit_unit(b, a + first, e - a - first, out, outn);
    }
    /* The rest vanishes (dropped controls, stripped marks): one unit. */
  }
  char *out;
  size_t outn;
  int rc = normalize_span(b, a, e, &out, &outn);
  if (rc < 0) return rc;
  return emit_unit(b, a, e - a, out, outn);
}

/* ---- code points that are a chunk of their own --------------------------- */

/* What the fast loop may do with a non-ASCII code point followed by a
 * boundary (so that it is a chunk of its own), by what its normalization
 * alone gives (normalize_span). The answer depends on the options only, so
 * each builder keeps a small cache of the code points it has seen. */
enum {
  C_NONE = 0,   /* not a boundary (or not cached) */
  C_BOUND,      /* a boundary; its normalization needs the general path */
  C_COPY,       /* its own normalization: copied, the aligned run goes on */
  C_SAME,       /* one 2-byte character of its own (Cyrillic case): aligned */
  C_HEAD        /* one shorter character (typography, stripped marks) */
};

#define SIMPLE_SLOTS 512   /* direct-mapped; a power of 2; 64 * 8 (simple_set) */

typedef struct simple_cp {
  int32_t cp;              /* 0: empty slot */
  unsigned char kind;      /* C_* */
  unsigned char outn;      /* C_SAME, C_HEAD: its normalization, out[0, outn) */
  char out[2];
} simple_cp;

/* Decode the 2- or 3-byte sequence at s[q] into *cp and return its length;
 * 0 for anything else (4-byte sequences, invalid bytes: the general path
 * decodes and reports those). */
static size_t decode23(const unsigned char *s, size_t len, size_t q, int32_t *cp) {
  unsigned c = s[q];
  if (c >= 0xC2 && c < 0xE0) {
    if (q + 1 >= len || (s[q + 1] & 0xC0) != 0x80) return 0;
    *cp = (int32_t)(((c & 0x1Fu) << 6) | (s[q + 1] & 0x3Fu));
    return 2;
  }
  if (c < 0xE0 || c >= 0xF0 || q + 2 >= len || (s[q + 1] & 0xC0) != 0x80 ||
      (s[q + 2] & 0xC0) != 0x80)
    return 0;
  int32_t x = (int32_t)(((c & 0x0Fu) << 12) | ((s[q + 1] & 0x3Fu) << 6) | (s[q + 2] & 0x3Fu));
  if (x < 0x800 || (x >= 0xD800 && x <= 0xDFFF)) return 0;  /* overlong, surrogate */
  *cp = x;
  return 3;
}

/* Classify the code point cp found at s[q, q + n) into slot e. */
static void simple_fill(builder *b, simple_cp *e, int32_t cp, size_t q, size_t n) {
  char *out;
  size_t outn;
  e->cp = cp;
  e->kind = C_NONE;
  e->outn = 0;
  e->out[0] = e->out[1] = 0;
  if (!is_boundary_cp(b, cp)) return;
  e->kind = C_BOUND;
  if (normalize_span(b, q, q + n, &out, &outn) < 0) {
    e->cp = 0;   /* not cached: the general path reports the error */
    e->kind = C_NONE;
    return;
  }
  if (outn == n && memcmp(out, b->s + q, n) == 0) {
    e->kind = C_COPY;
  } else if (outn && outn <= 2 && one_char_each(out, outn, b->s + q, n)) {
    memcpy(e->out, out, outn);
    e->outn = (unsigned char)outn;
    e->kind = outn < n ? C_HEAD : C_SAME;
  }
}

/* The cache entry of the code point at s[q], *n its length; kind C_NONE
 * when it is not a 2- or 3-byte sequence or its slot could not be had. */
static LODE_ALWAYS_INLINE simple_cp simple_at(builder *b, size_t q, size_t *n) {
  static const simple_cp none = {0, C_NONE, 0, {0, 0}};
  int32_t cp;
  if (b->last_q == q + 1) {
    *n = b->last_n;
    return *b->last;
  }
  if (!(*n = decode23(b->s, b->len, q, &cp))) return none;
  if (LODE_UNLIKELY(!b->simple) && !(b->simple = malloc(SIMPLE_SLOTS * sizeof *b->simple)))
    return none;
  size_t slot = ((uint32_t)cp * 2654435761u) >> 23 & (SIMPLE_SLOTS - 1);
  uint64_t *set = &b->simple_set[slot >> 6], bit = (uint64_t)1 << (slot & 63);
  simple_cp *e = &b->simple[slot];
  if (LODE_UNLIKELY(!(*set & bit) || e->cp != cp)) {
    *set |= bit;
    simple_fill(b, e, cp, q, *n);
  }
  b->last_q = q + 1;
  b->last_n = *n;
  b->last = e;
  return *e;
}

/* Does a chunk start at s[r] (or the text end there)? */
static LODE_ALWAYS_INLINE int boundary_at(builder *b, size_t r) {
  if (r >= b->len) return 1;
  if (b->s[r] < 0x80) return b->cls[b->s[r]] != K_CTRL;
  size_t n;
  return simple_at(b, r, &n).kind != C_NONE;
}

/* The code point at s[*q] comes after the plain run [*p, *q), whose view
 * ends at *k. When it is a chunk of its own with a one-character
 * normalization, append that and move *q and *k past it: an aligned one
 * extends the run, a shorter one ends it and heads the next run (*p moves
 * to its end). Returns 1 when done, 0 to leave it to the general path, -1
 * when out of memory. Output bytes are written 2 at a time: the view keeps
 * room for the rest of the input and a NUL, at least 3 bytes here. */
static int simple_step(builder *b, size_t *p, size_t *q, size_t *k) {
  size_t n;
  const unsigned char *s = b->s + *q;
  simple_cp c = simple_at(b, *q, &n);
  if (c.kind < C_COPY || !boundary_at(b, *q + n)) return 0;
  char *v = b->view + *k;
  if (c.kind == C_COPY) {
    v[0] = (char)s[0];
    v[1] = (char)s[1];
    if (n == 3) v[2] = (char)s[2];
    *k += n;
  } else if (c.kind == C_SAME) {
    memcpy(v, c.out, 2);
    *k += 2;
  } else {
    if (c.out[0] == ' ' && (b->flags & LODE_NORM_COLLAPSE) && *k && v[-1] == ' ')
      return 0;    /* collapsed into the space before: emit_unit */
    memcpy(v, c.out, 2);
    if (add_aligned(b, *k, *p, *q - *p) < 0 || add_head(b, *k + c.outn, *q, n, c.outn) < 0)
      return -1;
    *k += c.outn;
    *p = *q + n;
  }
  *q += n;
  return 1;
}

/* ---- the main loop ------------------------------------------------------- */

/* Is byte c, with the view so far ending at v[k - 1], plain: copied (or
 * lower-cased) as it is into an aligned run? Not plain: non-ASCII bytes;
 * under CONTROLS a dropped control; under COLLAPSE a tab and a ' ' right
 * after a ' ' of the view. A ' ' before anything is plain: a space run
 * that goes on is absorbed by emit_unit, a mark takes the byte back. */
static int byte_plain(const builder *b, unsigned char c, const char *v, size_t k) {
  unsigned char kc = b->cls[c];
  return kc == K_PLAIN || (c == ' ' && kc == K_WS && (k == 0 || v[k - 1] != ' '));
}

#if defined(__SSE2__)
/* The bytes of the 16 at x that may not be plain, as a bit mask (bit i for
 * byte i): all that are not, and a few that are, checked one by one. xp
 * holds the 16 bytes before x's (used under COLLAPSE). SSE2 is part of
 * x86-64. Without CONTROLS and COLLAPSE, the non-ASCII bytes. With them,
 * all but 0x20..0x7E, the bytes that x + 0x60 puts below -33 as signed
 * bytes (controls, DEL and non-ASCII bytes in one compare), and under
 * COLLAPSE where x + xp == 0x40, which two bytes of 0x20 or more only give
 * as "  " (a space after a space). */
static LODE_ALWAYS_INLINE unsigned block_candidates(__m128i x, const unsigned char *xp,
                                               const unsigned flags) {
  if (!(flags & (LODE_NORM_CONTROLS | LODE_NORM_COLLAPSE)))
    return (unsigned)_mm_movemask_epi8(x);
  __m128i fine = _mm_cmpgt_epi8(_mm_set1_epi8(-33), _mm_add_epi8(x, _mm_set1_epi8(0x60)));
  fine = _mm_or_si128(fine, _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
  if (flags & LODE_NORM_COLLAPSE) {
    __m128i before = _mm_loadu_si128((const __m128i *)(const void *)xp);
    fine = _mm_andnot_si128(_mm_cmpeq_epi8(_mm_add_epi8(x, before), _mm_set1_epi8(0x40)), fine);
  }
  return (unsigned)_mm_movemask_epi8(fine) ^ 0xFFFFu;
}

/* x lower-cased under CASEFOLD ('A'..'Z' are the bytes that x + 0x3F puts
 * below -102 as signed bytes). */
static LODE_ALWAYS_INLINE __m128i block_fold(__m128i x, const unsigned flags) {
  if (!(flags & LODE_NORM_CASEFOLD)) return x;
  __m128i up = _mm_cmpgt_epi8(_mm_set1_epi8((char)(-128 + 26)),
                              _mm_add_epi8(x, _mm_set1_epi8(0x80 - 'A')));
  return _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(0x20)));
}
#endif

/* The folds of typo_map to one ASCII byte of U+0080..U+00BF (UTF-8 C2 xx)
 * and U+2000..U+203F (E2 80 xx), by xx & 0x3F: spaces, dashes, curly
 * quotes, primes, guillemets; 0 for the rest. */
static const char c2_typo[64] = {[0x20] = ' ', [0x2B] = '"', [0x3B] = '"'};
static const char e280_typo[64] = {
    [0x00] = ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    [0x10] = '-', '-', '-', '-', '-', '-',
    [0x18] = '\'', '\'', '\'', '\'', '"', '"', '"', '"',
    [0x2F] = ' ', [0x32] = '\'', [0x33] = '"'};

/* The typography fold to one ASCII byte (c2_typo, e280_typo) of the code
 * point at s[q], 0 if none; *n its length. */
static LODE_ALWAYS_INLINE char typo_byte(const builder *b, size_t q, size_t *n) {
  const unsigned char *s = b->s;
  if (s[q] == 0xE2) {
    if (q + 2 >= b->len || s[q + 1] != 0x80 || (s[q + 2] & 0xC0) != 0x80) return 0;
    *n = 3;
    return e280_typo[s[q + 2] & 0x3F];
  }
  if (s[q] != 0xC2 || q + 1 >= b->len || (s[q + 1] & 0xC0) != 0x80) return 0;
  *n = 2;
  return c2_typo[s[q + 1] & 0x3F];
}

#if LODE_NORM_AVX2
/* block_candidates and block_fold on 32 bytes. */
static LODE_ALWAYS_INLINE AVX2 uint32_t wide_candidates(__m256i x, const unsigned char *xp,
                                                       const unsigned flags) {
  if (!(flags & (LODE_NORM_CONTROLS | LODE_NORM_COLLAPSE)))
    return (uint32_t)_mm256_movemask_epi8(x);
  __m256i fine = _mm256_cmpgt_epi8(_mm256_set1_epi8(-33),
                                   _mm256_add_epi8(x, _mm256_set1_epi8(0x60)));
  fine = _mm256_or_si256(fine, _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\n')));
  if (flags & LODE_NORM_COLLAPSE) {
    __m256i before = _mm256_loadu_si256((const __m256i *)(const void *)xp);
    fine = _mm256_andnot_si256(
        _mm256_cmpeq_epi8(_mm256_add_epi8(x, before), _mm256_set1_epi8(0x40)), fine);
  }
  return ~(uint32_t)_mm256_movemask_epi8(fine);
}

static LODE_ALWAYS_INLINE AVX2 __m256i wide_fold(__m256i x, const unsigned flags) {
  if (!(flags & LODE_NORM_CASEFOLD)) return x;
  __m256i up = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(-128 + 26)),
                                 _mm256_add_epi8(x, _mm256_set1_epi8(0x80 - 'A')));
  return _mm256_add_epi8(x, _mm256_and_si256(up, _mm256_set1_epi8(0x20)));
}

/* Can the fast loop's blocks push a piece at view offset w and original
 * offset q after the plain run from p, the piece push_piece would make
 * (add_aligned, then add_head), without a call? Only when the run's
 * aligned piece is the last one (it grows over the run), the map has room
 * and the offsets' high bits stay. */
static LODE_ALWAYS_INLINE int piece_in_block(const builder *b, size_t p, size_t q, size_t w) {
  const piece_map *m = &b->map;
  return !(q > p && !(m->n && (m->at[m->n - 1].ooff & ALIGNED))) && m->n < m->cap &&
         (size_t)((uint64_t)w >> LODE_NORM_VBITS) == b->vbits &&
         (size_t)((uint64_t)q >> LODE_NORM_OBITS) == b->obits;
}

/* Push the head piece at view offset w of the n bytes at s[q] (n - 1 of
 * them folded or collapsed into the first view byte). */
static LODE_ALWAYS_INLINE void head_in_block(builder *b, size_t q, size_t w, size_t n) {
  piece_map *m = &b->map;
  m->at[m->n].voff = (uint32_t)w & VMASK;
  m->at[m->n].ooff = ((uint32_t)q & OMASK) | ALIGNED | SHIFT(n - 1);
  m->n++;
  b->oend = q + n;
}

/* The end of the blanks from s[r] (COLLAPSE: spaces, tabs and, under
 * TYPOGRAPHY, the folds to ' ') when a plain byte other than a blank
 * follows them, 0 if not. */
static LODE_ALWAYS_INLINE size_t blanks_end(const builder *b, size_t r) {
  for (size_t n; r < b->len; r += n) {
    unsigned char c = b->s[r];
    n = 1;
    if (c < 0x80 && b->cls[c] != K_WS) return b->cls[c] == K_PLAIN ? r : 0;
    if (c >= 0x80 && !((b->flags & LODE_NORM_TYPOGRAPHY) && typo_byte(b, r, &n) == ' '))
      return 0;
  }
  return 0;
}

/* The blanks at s[q, r) made the view's ' ' at w, the run from p before
 * them: what run_as and emit_unit make of them when that takes no call
 * (piece_in_block). The ' ' heads the run after them when they are 4
 * bytes or fewer; otherwise it is a piece that is not aligned, and the
 * run after them starts one. Returns 1 when done, 0 to leave them. */
static LODE_ALWAYS_INLINE int space_in_block(builder *b, size_t p, size_t q, size_t w, size_t r) {
  piece_map *m = &b->map;
  if (!b->keep_map) return 1;
  if (!piece_in_block(b, p, q, w)) return 0;
  if (r - q <= 4) {
    head_in_block(b, q, w, r - q);
    return 1;
  }
  if (m->n + 1 == m->cap || (size_t)((uint64_t)(w + 1) >> LODE_NORM_VBITS) != b->vbits ||
      (size_t)((uint64_t)r >> LODE_NORM_OBITS) != b->obits)
    return 0;
  m->at[m->n].voff = (uint32_t)w & VMASK;
  m->at[m->n].ooff = (uint32_t)q & OMASK;
  m->at[m->n + 1].voff = (uint32_t)(w + 1) & VMASK;
  m->at[m->n + 1].ooff = ((uint32_t)r & OMASK) | ALIGNED;
  m->n += 2;
  b->oend = r;
  return 1;
}

/* A typography fold (typo_byte) of the code point at s[q] (view offset
 * w) before an ASCII boundary, the fold run_as makes (a head piece after
 * the run from *p) when that takes no call (piece_in_block). Under
 * COLLAPSE a fold to ' ' takes the blanks after it (space_in_block), and
 * only after a view byte other than ' '. Returns the bytes taken when
 * done (*p moves past them), 0 to leave them to run_as. */
static LODE_ALWAYS_INLINE size_t fold_in_block(builder *b, size_t *p, size_t q, size_t w) {
  const unsigned char *s = b->s;
  size_t n = 0;
  char c = typo_byte(b, q, &n);
  if (!c || q + n >= b->len) return 0;
  if (c == ' ' && (b->flags & LODE_NORM_COLLAPSE)) {
    size_t r = w && b->view[w - 1] == ' ' ? 0 : blanks_end(b, q);
    if (!r || !space_in_block(b, *p, q, w, r)) return 0;
    n = r - q;
  } else {
    if (s[q + n] >= 0x80 || b->cls[s[q + n]] == K_CTRL) return 0;
    if (b->keep_map) {
      if (!piece_in_block(b, *p, q, w)) return 0;
      head_in_block(b, q, w, n);
    }
  }
  b->view[w] = c;
  *p = q + n;
  return n;
}

/* Blanks after a ' ' of the view at w - 1 that ends the plain run from *p
 * (so s[q - 1] is that ' '), under COLLAPSE: they join it
 * (space_in_block). Returns their end when done (*p moves there), 0 to
 * leave them to run_as. */
static LODE_ALWAYS_INLINE size_t blanks_in_block(builder *b, size_t *p, size_t q, size_t w) {
  if (q - *p < 2 || w == 0 || b->view[w - 1] != ' ') return 0;
  size_t r = blanks_end(b, q);
  if (r <= q || !space_in_block(b, *p, q - 1, w - 1, r)) return 0;
  *p = r;
  return r;
}

/* The fast loop's blocks (run_as) 32 bytes at a time, from s[*q] and view
 * offset *w, taking the typography folds fold_in_block takes without
 * leaving the loop: returns 1 at a byte that is not plain otherwise (*q,
 * *w there), 0 when fewer than 32 bytes are left. Half the instructions
 * of 16-byte blocks, more than half under CONTROLS and COLLAPSE, whose
 * tests are the most, and no call per fold (each would rebuild the
 * blocks' constants). */
static LODE_ALWAYS_INLINE AVX2 int wide_as(builder *b, size_t *p, size_t *qp, size_t *wp,
                                          const unsigned flags) {
  const unsigned char *s = b->s;
  char *v = b->view;
  size_t len = b->len, q = *qp, w = *wp;
  int stop = 0;
  while (q + 32 <= len) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(s + q));
    uint32_t maybe = wide_candidates(x, s + q - 1, flags);
    _mm256_storeu_si256((__m256i *)(void *)(v + w), wide_fold(x, flags));
    for (; LODE_UNLIKELY(maybe); maybe &= maybe - 1) {
      unsigned i = (unsigned)__builtin_ctz(maybe);
      if (!byte_plain(b, s[q + i], v, w + i)) {
        q += i;
        w += i;
        size_t n = (flags & LODE_NORM_TYPOGRAPHY) ? fold_in_block(b, p, q, w) : 0;
        if (n) {
          q += n;
          w += 1;
          goto next;
        }
        size_t r = (flags & LODE_NORM_COLLAPSE) ? blanks_in_block(b, p, q, w) : 0;
        if (r) {
          q = r;
          goto next;
        }
        stop = 1;
        goto done;
      }
    }
    q += 32;
    w += 32;
  next:;
  }
done:
  *qp = q;
  *wp = w;
  return stop;
}

/* wide_as with the options it tests as constants (see run_with). */
static AVX2 int wide_run(builder *b, size_t *p, size_t *q, size_t *w) {
  enum { C = LODE_NORM_CASEFOLD, K = LODE_NORM_CONTROLS, W = LODE_NORM_COLLAPSE };
  const unsigned t = b->flags & LODE_NORM_TYPOGRAPHY;
  switch (b->flags & (C | K | W)) {
    case 0: return t ? wide_as(b, p, q, w, t) : wide_as(b, p, q, w, 0);
    case C: return t ? wide_as(b, p, q, w, t | C) : wide_as(b, p, q, w, C);
    case K: return t ? wide_as(b, p, q, w, t | K) : wide_as(b, p, q, w, K);
    case W: return t ? wide_as(b, p, q, w, t | W) : wide_as(b, p, q, w, W);
    case C | K: return t ? wide_as(b, p, q, w, t | C | K) : wide_as(b, p, q, w, C | K);
    case C | W: return t ? wide_as(b, p, q, w, t | C | W) : wide_as(b, p, q, w, C | W);
    case K | W: return t ? wide_as(b, p, q, w, t | K | W) : wide_as(b, p, q, w, K | W);
    default: return t ? wide_as(b, p, q, w, t | C | K | W) : wide_as(b, p, q, w, C | K | W);
  }
}
#endif

/* The fast loop. From the plain run [*p, *q), whose view ends at *k:
 * copy the plain bytes that follow into the view (lower-cased under
 * CASEFOLD) and take the code points simple_step takes, up to the end or
 * where the general path is needed (*q, *k; *p moves past head pieces).
 * 16 bytes at a time: a block is stored whole, then its candidates are
 * checked; the view keeps room for the rest of the input, so the bytes
 * stored past a stop are only overwritten later. Returns 0, or -1 when out
 * of memory. */
static LODE_ALWAYS_INLINE int run_as(builder *b, size_t *p, size_t *qp, size_t *kp,
                                const unsigned flags) {
  const unsigned char *s = b->s;
  char *v = b->view;
  size_t len = b->len, q = *qp, w = *kp;
  for (;;) {
    /* A code point after a code point (a word of a non-Latin script):
     * no block to start. */
    if (q < len && s[q] >= 0x80) goto stop;
#if defined(__SSE2__)
    if ((flags & LODE_NORM_COLLAPSE) && (w == 0 || v[w - 1] == ' ')) {
      /* The blocks look for a space pair in s, which has no byte before
       * the first one and may have a folded character (NBSP) where the
       * view has a ' ': the first byte is checked against the view. */
      if (q >= len || !byte_plain(b, s[q], v, w)) goto stop;
      v[w++] = (char)b->fold[s[q++]];
    }
#if LODE_NORM_AVX2
    if (b->avx2 && wide_run(b, p, &q, &w)) goto stop;
#endif
    while (q + 16 <= len) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + q));
      unsigned maybe = block_candidates(x, s + q - 1, flags);
      _mm_storeu_si128((__m128i *)(void *)(v + w), block_fold(x, flags));
      for (; LODE_UNLIKELY(maybe); maybe &= maybe - 1) {
        unsigned i = (unsigned)__builtin_ctz(maybe);
        if (!byte_plain(b, s[q + i], v, w + i)) {
          q += i;
          w += i;
          goto stop;
        }
      }
      q += 16;
      w += 16;
    }
#endif
    while (q < len && byte_plain(b, s[q], v, w)) v[w++] = (char)b->fold[s[q++]];
  stop:
    if (q >= len) break;
    if (s[q] >= 0x80) {
      size_t n = 0;
      char c = (flags & LODE_NORM_TYPOGRAPHY) ? typo_byte(b, q, &n) : 0;
      if (c && boundary_at(b, q + n) &&
          !(c == ' ' && (flags & LODE_NORM_COLLAPSE) && w && v[w - 1] == ' ')) {
        /* What simple_step does for a dash, curly quote or space (a head
         * piece), without the cache lookup: they are most of the folds of
         * news text. */
        v[w] = c;
        if (add_aligned(b, w, *p, q - *p) < 0 || add_head(b, w + 1, q, n, 1) < 0) return -1;
        w++;
        q = *p = q + n;
        continue;
      }
      int r = simple_step(b, p, &q, &w);
      if (r < 0) return -1;
      if (!r) break;
      continue;
    }
    if ((flags & LODE_NORM_COLLAPSE) && b->cls[s[q]] == K_WS) {
      /* A run of spaces and tabs before a boundary: one ' ', none right
       * after a ' ' (emit_unit). */
      size_t r = q + 1;
      while (r < len && b->cls[s[r]] == K_WS) r++;
      if (!boundary_at(b, r)) break;
      if (q - *p >= 2 && v[w - 1] == ' ' && r - q <= 3) {
        /* The common case, up to 3 blanks after a ' ' inside the run:
         * that ' ' heads the run after them, the piece emit_unit would
         * make, without its general work. */
        if (add_aligned(b, w, *p, q - *p) < 0 || add_head(b, w, q - 1, r - q + 1, 1) < 0)
          return -1;
      } else {
        char sp = ' ';
        b->vlen = w;
        if (add_aligned(b, w, *p, q - *p) < 0 || emit_unit(b, q, r - q, &sp, 1) < 0) return -1;
        w = b->vlen;
      }
      q = *p = r;
      continue;
    }
    break;
  }
  *qp = q;
  *kp = w;
  return 0;
}

/* run_as with the options it tests as constants: one copy of the loop
 * each, without those tests' branches. */
static LODE_ALWAYS_INLINE int run_with(builder *b, size_t *p, size_t *q, size_t *k,
                                  const unsigned t) {
  enum { C = LODE_NORM_CASEFOLD, K = LODE_NORM_CONTROLS, W = LODE_NORM_COLLAPSE };
  switch (b->flags & (C | K | W)) {
    case 0: return run_as(b, p, q, k, t);
    case C: return run_as(b, p, q, k, t | C);
    case K: return run_as(b, p, q, k, t | K);
    case W: return run_as(b, p, q, k, t | W);
    case C | K: return run_as(b, p, q, k, t | C | K);
    case C | W: return run_as(b, p, q, k, t | C | W);
    case K | W: return run_as(b, p, q, k, t | K | W);
    default: return run_as(b, p, q, k, t | C | K | W);
  }
}

static int fast_run(builder *b, size_t *p, size_t *q, size_t *k) {
  if (b->flags & LODE_NORM_TYPOGRAPHY) return run_with(b, p, q, k, LODE_NORM_TYPOGRAPHY);
  return run_with(b, p, q, k, 0);
}

static int bad_utf8(const builder *b, size_t off, lode_error *err) {
  size_t line = 1;
  for (size_t k = 0; k < off; k++)
    if (b->s[k] == '\n' || (b->s[k] == '\r' && (k + 1 >= b->len || b->s[k + 1] != '\n')))
      line++;
  return lode_error_set(err, LODE_EENCODING, off, line,
                        "invalid UTF-8 byte 0x%02x at byte %zu (line %zu)",
                        b->s[off], off, line);
}

static int build(builder *b, lode_error *err) {
  const unsigned char *s = b->s;
  size_t len = b->len, p = 0;
  if (view_reserve(b, 0, 0) < 0) goto nomem;
  /* Room for a piece per 64 bytes up front: untouched pages cost nothing,
   * and the map of a long text is not copied from one size to the next. */
  void *pm = b->map.at;
  if (b->keep_map && grow(&pm, &b->map.cap, len / 64 + 64, sizeof(piece)) < 0) goto nomem;
  b->map.at = pm;
  while (p < len) {
    /* The run from p of plain ASCII and of code points that are a chunk
     * of their own with a one-character normalization: one aligned piece
     * or, after a fold to a shorter character, a head piece. */
    size_t k = b->vlen, q = p;
    if (fast_run(b, &p, &q, &k) < 0) goto nomem;
    if (q < len && b->cls[s[q]] == K_WS) {
      /* A run of spaces and tabs (COLLAPSE) before a boundary (a plain
       * byte, a code point that starts a chunk, the end) is a unit of its
       * own: one ' ' (none after a ' '), without the general path's
       * per-chunk work. The fast loop takes most of them; these are
       * those before a code point it does not decode (4 bytes). */
      size_t r = q + 1;
      int32_t cp;
      while (r < len && b->cls[s[r]] == K_WS) r++;
      if (r == len || b->cls[s[r]] == K_PLAIN ||
          (b->cls[s[r]] == K_MB && lode_utf8_decode((const char *)s, len, r, &cp) &&
           is_boundary_cp(b, cp))) {
        char sp = ' ';
        b->vlen = k;
        if (add_aligned(b, k, p, q - p) < 0 || emit_unit(b, q, r - q, &sp, 1) < 0) goto nomem;
        p = r;
        continue;
      }
    }
    if (q < len) {
      int32_t cp;
      size_t n = lode_utf8_decode((const char *)s, len, q, &cp);
      if (!n) return bad_utf8(b, q, err);
      int bd = cp < 0x80 ? b->cls[cp] != K_CTRL : is_boundary_cp(b, cp);
      if (!bd && q > p) { q--; k--; }  /* the last ASCII byte joins the chunk */
    }
    b->vlen = k;
    if (add_aligned(b, k, p, q - p) < 0) goto nomem;
    p = q;
    if (p >= len) break;

    int32_t cp;
    size_t e = p + lode_utf8_decode((const char *)s, len, p, &cp), joined = 0;
    while (e < len) {
      size_t n = lode_utf8_decode((const char *)s, len, e, &cp);
      if (!n) return bad_utf8(b, e, err);
      if (cp < 0x80 ? b->cls[cp] != K_CTRL : is_boundary_cp(b, cp)) break;
      if (++joined > MAX_JOINED) break;   /* stream-safe cut, see the top */
      e += n;
    }
    const char *rep = NULL;
    size_t first = lode_utf8_decode((const char *)s, len, p, &cp);
    int pre = e == p + first ? premap(b, cp, &rep) : 0;
    if (pre == 2) {
      /* One code point folded to ASCII (curly quotes, dashes, NBSP under
       * TYPOGRAPHY): its replacement is its normalization. */
      char out[4];
      size_t n = strlen(rep);
      memcpy(out, rep, n);
      if (emit_unit(b, p, first, out, n) < 0) goto nomem;
      p = e;
      continue;
    }
    if (pre == 1 && cp >= 0x80 && maps_to_itself(cp, utf8proc_get_property(cp))) {
      /* One code point that is its own normalization (most letters of
       * lower-case non-Latin text): copied like ASCII, within the room
       * view_reserve keeps for the input. */
      memcpy(b->view + b->vlen, s + p, first);
      b->vlen += first;
      if (add_aligned(b, b->vlen, p, first) < 0) goto nomem;
      p = e;
      continue;
    }
    int rc = run_chunk(b, p, e);
    if (rc == -1) goto nomem;
    if (rc < 0)
      return lode_error_set(err, LODE_EARG, p, 0,
                            "utf8proc failed to normalize the text at byte %zu", p);
    p = e;
  }
  b->view[b->vlen] = '\0';
  return 0;
nomem:
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0,
                        "out of memory normalizing %zu bytes", len);
}

/* Byte k at index k: the ASCII fold table without folds. */
#define BYTES4(k) (k), (k) + 1, (k) + 2, (k) + 3
#define BYTES16(k) BYTES4(k), BYTES4((k) + 4), BYTES4((k) + 8), BYTES4((k) + 12)
static const unsigned char ascii_bytes[128] = {
  BYTES16(0), BYTES16(16), BYTES16(32), BYTES16(48),
  BYTES16(64), BYTES16(80), BYTES16(96), BYTES16(112)
};
#undef BYTES16
#undef BYTES4

static int builder_init(builder *b, const char *s, size_t len,
                        const lode_norm_opts *opts, int keep_map, lode_error *err) {
  lode_form form = opts ? opts->form : LODE_FORM_NFC;
  unsigned flags = opts ? opts->flags : 0;
  memset(b, 0, sizeof *b);
  if (!s && len) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "normalize: NULL text");
  if (form != LODE_FORM_NONE && form != LODE_FORM_NFC && form != LODE_FORM_NFKC)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "normalize: unknown form %d", (int)form);
  b->s = (const unsigned char *)(s ? s : "");
  b->len = len;
  b->flags = flags;
  b->keep_map = keep_map;
#if LODE_NORM_AVX2
  b->avx2 = __builtin_cpu_supports("avx2");
#endif
  /* Stripping marks needs decomposition; with form NONE we still recompose
   * what is left so the result is NFC-like rather than decomposed. */
  b->reorders = form != LODE_FORM_NONE || (flags & LODE_NORM_STRIP_MARKS);
  b->uopts = 0;
  if (b->reorders) b->uopts |= UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (form == LODE_FORM_NFKC) b->uopts |= UTF8PROC_COMPAT;
  if (flags & LODE_NORM_CASEFOLD) b->uopts |= UTF8PROC_CASEFOLD;
  if (flags & LODE_NORM_STRIP_MARKS) b->uopts |= UTF8PROC_STRIPMARK;
  /* the byte classes and ASCII folds: set in bulk, as most calls are on
   * short strings (a gazetteer normalizes each alias; byte loops here cost
   * more than normalizing a name) */
  memset(b->cls, K_PLAIN, 128);
  memset(b->cls + 128, K_MB, 128);
  if (flags & LODE_NORM_CONTROLS) {   /* the C0 controls is_dropped drops */
    memset(b->cls, K_CTRL, 0x20);
    b->cls['\t'] = b->cls['\n'] = b->cls['\r'] = K_PLAIN;
    b->cls[0x7F] = K_CTRL;
  }
  if (flags & LODE_NORM_COLLAPSE) b->cls[' '] = b->cls['\t'] = K_WS;
  memcpy(b->fold, ascii_bytes, 128);
  if (flags & LODE_NORM_CASEFOLD) memcpy(&b->fold['A'], &ascii_bytes['a'], 26);
  lode_error_clear(err);
  return 0;
}

static void builder_free_work(builder *b) {
  free(b->scratch);
  free(b->u32);
  free(b->simple);
  b->scratch = NULL;
  b->u32 = NULL;
  b->simple = NULL;
}

/* ---- public API ---------------------------------------------------------- */

/* Caller owns the result; free with lode_view_free(). */
lode_view *lode_normalize(const char *s, size_t len, const lode_norm_opts *opts,
                          lode_error *err) {
  builder b;
  if (builder_init(&b, s, len, opts, 1, err) < 0) return NULL;
  lode_view *v = malloc(sizeof *v);
  if (!v) {
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory normalizing %zu bytes", len);
    return NULL;
  }
  if (build(&b, err) < 0) {
    builder_free_work(&b);
    free(b.view);
    map_free(&b.map);
    free(v);
    return NULL;
  }
  builder_free_work(&b);
  v->bytes = b.view;
  v->len = b.vlen;
  v->map = b.map;
  v->orig_len = len;
  return v;
}

void lode_view_free(lode_view *v) {
  if (!v) return;
  free(v->bytes);
  map_free(&v->map);
  free(v);
}

const char *lode_view_bytes(const lode_view *v, size_t *len) {
  if (len) *len = v->len;
  return v->bytes;
}

/* Index of the piece holding view byte i (i < v->len): the last piece that
 * starts at or before i, searched for in [lo, hi) when every piece before
 * lo starts at or before i and none from hi on does. Empty pieces sit
 * before the piece that starts at the same offset, so they are never
 * chosen. */
static size_t find_piece_in(const lode_view *v, size_t lo, size_t hi, size_t i) {
  while (lo < hi) {   /* first piece with voff > i */
    size_t mid = lo + (hi - lo) / 2;
    if (piece_voff(&v->map, mid) <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/* The same, from piece `from` on when it starts at or before i: ranges
 * mapped in increasing order lie a piece or two apart, and a walk forward
 * reads each piece once however far they lie; else searched from the
 * start. */
static size_t find_piece_from(const lode_view *v, size_t from, size_t i) {
  const piece_map *m = &v->map;
  if (from >= m->n || piece_voff(m, from) > i) return find_piece_in(v, 0, m->n, i);
  while (from + 1 < m->n && piece_voff(m, from + 1) <= i) from++;
  return from;
}

/* lode_view_origin_offset of i, whose piece is `k`. */
static size_t origin_in_piece(const lode_view *v, size_t k, size_t i) {
  size_t voff = piece_voff(&v->map, k);
  const piece *p = &v->map.at[k];
  if (!(p->ooff & ALIGNED) || i == voff) return piece_ooff(&v->map, k);
  return piece_ooff(&v->map, k) + DELTA(p) + (i - voff);
}

size_t lode_view_origin_offset(const lode_view *v, size_t i) {
  i = lode_utf8_ceil(v->bytes, v->len, i);
  if (i >= v->len) return v->orig_len;
  return origin_in_piece(v, find_piece_in(v, 0, v->map.n, i), i);
}

void lode_view_origin_walk(const lode_view *v, size_t *walk, size_t i, size_t j, size_t *oi,
                           size_t *oj) {
  if (j > v->len) j = v->len;
  if (i > j) i = j;
  j = lode_utf8_ceil(v->bytes, v->len, j);   /* whole characters, like i */
  size_t c = lode_utf8_ceil(v->bytes, v->len, i), a = v->orig_len, z, k = *walk;
  if (c < v->len) {
    k = find_piece_from(v, k, c);
    a = origin_in_piece(v, k, c);
    *walk = k;
  }
  z = a;
  if (j > i) {
    const piece *p;
    k = find_piece_from(v, k, j - 1);
    p = &v->map.at[k];
    if (p->ooff & ALIGNED) z = piece_ooff(&v->map, k) + DELTA(p) + (j - piece_voff(&v->map, k));
    else z = k + 1 < v->map.n ? piece_ooff(&v->map, k + 1) : v->orig_len;
  }
  if (oi) *oi = a;
  if (oj) *oj = z;
}

void lode_view_origin(const lode_view *v, size_t i, size_t j, size_t *oi, size_t *oj) {
  size_t walk = (size_t)-1;   /* no piece: searched */
  lode_view_origin_walk(v, &walk, i, j, oi, oj);
}

/* Caller owns the result; free with free(). */
char *lode_normalize_string(const char *s, size_t len, const lode_norm_opts *opts,
                            size_t *out_len, lode_error *err) {
  builder b;
  if (builder_init(&b, s, len, opts, 0, err) < 0) return NULL;
  int rc = build(&b, err);
  builder_free_work(&b);
  map_free(&b.map);
  if (rc < 0) {
    free(b.view);
    return NULL;
  }
  if (out_len) *out_len = b.vlen;
  return b.view;
}
