/*
 * wordset.c -- a hash set of ASCII-case-folded words (see wordset.h).
 *
 * Open addressing with linear probing over a power-of-two table of offsets
 * into one byte arena; the load factor stays under 1/2. Lookups fold as
 * they hash and compare (entries are stored folded), and a word longer than
 * the longest entry is rejected before probing. The entries of one to
 * eight ASCII letters (stop words) are also kept as 64-bit keys in a
 * second table, where a profile looks up a word of that length at once,
 * with one multiply and one compare instead of a byte-wise hash and
 * memcmp. A longer word (and every word find_word scans) is hashed and
 * looked up only when some entry has its length and its first and last
 * letters (a small table kept as words are added): most words of a text
 * are not in the set and are rejected by that alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <utf8proc.h>

#include "wordset.h"
#include "ascii.h"

typedef struct slot {
  size_t off;        /* offset of the word in the arena; SIZE_MAX: empty */
  size_t len;
  uint32_t hash;
} slot;

struct lode_wordset {
  slot *slots;
  size_t cap;        /* power of two */
  size_t n;
  char *arena;
  size_t used, arena_cap;
  size_t maxlen;     /* longest word added */
  /* bit min(len, 31) of ends[a][z] is set when a word of that length
   * made of ASCII letters, first a and last z (their low five bits, 1-26,
   * the same for both cases: no folding), is in the set; find_word's
   * words, and a profile's longer than KEY_MAX, are rejected by it
   * unhashed */
  uint32_t ends[32][32];
  /* for find_word's scan: BYTE_OTHER, BYTE_LETTER (ASCII) or BYTE_HIGH
   * (>= 0x80) per byte; one load a byte instead of range tests */
  unsigned char byte_class[256];
  /* the entries of 1-8 ASCII letters as keys (letters_key); 0: empty.
   * Open addressing over a power of two, load under 1/2 */
  uint64_t *keys;
  size_t keys_cap, keys_n;
};

/* Longest entry kept as a 64-bit key. */
#define KEY_MAX 8

enum { BYTE_OTHER, BYTE_LETTER, BYTE_HIGH };

/* The bit of a word's length in lode_wordset.ends. */
static uint32_t length_bit(size_t len) {
  return (uint32_t)1 << (len < 31 ? len : 31);
}

static unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* FNV-1a over the folded bytes. */
static uint32_t hash_folded(const char *w, size_t len) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < len; k++) {
    h ^= fold((unsigned char)w[k]);
    h *= 16777619u;
  }
  return h;
}

/* The slot holding the folded word `f` (already folded), or the empty slot
 * where it would go. */
static slot *probe(const lode_wordset *ws, const char *f, size_t len, uint32_t h) {
  size_t mask = ws->cap - 1, k = h & mask;
  for (;;) {
    slot *s = &ws->slots[k];
    if (s->off == SIZE_MAX) return s;
    if (s->hash == h && s->len == len && memcmp(ws->arena + s->off, f, len) == 0) return s;
    k = (k + 1) & mask;
  }
}

/* The low n bytes of a 64-bit key, for n = 0..KEY_MAX (a load, where a
 * shift by 8n would need n == 8 apart). */
static const uint64_t key_mask[KEY_MAX + 1] = {
  0, 0xFFu, 0xFFFFu, 0xFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFFFu, 0xFFFFFFFFFFFFu,
  0xFFFFFFFFFFFFFFu, 0xFFFFFFFFFFFFFFFFu};

/* The key of a run of 1-8 ASCII letters u[start, end), folded: byte m of
 * the word in bits 8m..8m+7 (never 0: letters are not NUL). `len` is the
 * text's length: where eight bytes can be read, one load does it. */
static inline uint64_t letters_key(const unsigned char *u, size_t start, size_t end, size_t len) {
  size_t n = end - start, m;
  uint64_t k = 0;
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (start + 8 <= len) {
    memcpy(&k, u + start, 8);
    k |= 0x2020202020202020u;                  /* letters fold with 0x20 */
    return k & key_mask[n];
  }
#else
  (void)len;
#endif
  for (m = n; m-- > 0;) k = (k << 8) | (uint64_t)(u[start + m] | 0x20);
  return k;
}

/* The first slot to look at for a key: its high bits after a multiply. */
static size_t key_home(uint64_t key, size_t cap) {
  return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (cap - 1);
}

/* Room for one more key (before the word goes in, so that a failure
 * leaves the set as it was). */
static int key_reserve(lode_wordset *ws) {
  size_t cap, j, k;
  uint64_t *t;
  if ((ws->keys_n + 1) * 2 <= ws->keys_cap) return 0;
  cap = ws->keys_cap ? ws->keys_cap * 2 : 64;
  if ((t = calloc(cap, sizeof *t)) == NULL) return -1;
  for (j = 0; j < ws->keys_cap; j++) {
    if (ws->keys[j]) {
      for (k = key_home(ws->keys[j], cap); t[k]; k = (k + 1) & (cap - 1)) {}
      t[k] = ws->keys[j];
    }
  }
  free(ws->keys);
  ws->keys = t;
  ws->keys_cap = cap;
  return 0;
}

/* Add a key not yet in the table, after key_reserve(). */
static void key_put(lode_wordset *ws, uint64_t key) {
  size_t k;
  for (k = key_home(key, ws->keys_cap); ws->keys[k]; k = (k + 1) & (ws->keys_cap - 1)) {}
  ws->keys[k] = key;
  ws->keys_n++;
}

static int has_key(const lode_wordset *ws, uint64_t key) {
  size_t mask = ws->keys_cap - 1, k;
  if (!ws->keys) return 0;
  for (k = key_home(key, ws->keys_cap); ws->keys[k]; k = (k + 1) & mask)
    if (ws->keys[k] == key) return 1;
  return 0;
}

static int alloc_slots(lode_wordset *ws, size_t cap) {
  size_t k;
  slot *s = malloc(cap * sizeof *s);
  if (!s) return -1;
  for (k = 0; k < cap; k++) s[k].off = SIZE_MAX;
  ws->slots = s;
  ws->cap = cap;
  return 0;
}

lode_wordset *lode_wordset_new(lode_error *err) {
  lode_wordset *ws = calloc(1, sizeof *ws);
  int c;
  if (!ws || alloc_slots(ws, 64) != 0) {
    free(ws);
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory creating a word set");
    return NULL;
  }
  for (c = 0; c < 256; c++)
    ws->byte_class[c] = c >= 0x80 ? BYTE_HIGH : lode_ascii_letter((unsigned char)c) ? BYTE_LETTER : BYTE_OTHER;
  return ws;
}

void lode_wordset_free(lode_wordset *ws) {
  if (!ws) return;
  free(ws->slots);
  free(ws->arena);
  free(ws->keys);
  free(ws);
}

static int grow(lode_wordset *ws) {
  slot *old = ws->slots;
  size_t oldcap = ws->cap, k;
  if (alloc_slots(ws, oldcap * 2) != 0) {
    ws->slots = old;
    ws->cap = oldcap;
    return -1;
  }
  for (k = 0; k < oldcap; k++) {
    if (old[k].off != SIZE_MAX) {
      slot *d = probe(ws, ws->arena + old[k].off, old[k].len, old[k].hash);
      *d = old[k];
    }
  }
  free(old);
  return 0;
}

int lode_wordset_add(lode_wordset *ws, const char *w, size_t len, lode_error *err) {
  uint32_t h;
  slot *s;
  size_t k;
  int keyed;
  if (!ws || (!w && len > 0))
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "lode_wordset_add: NULL argument");
  if (len > SIZE_MAX / 4 - ws->used) goto nomem;   /* no overflow below */
  if (!ws->arena || ws->used + len > ws->arena_cap) {   /* "" first: still an arena */
    size_t cap = ws->arena_cap ? ws->arena_cap : 256;
    char *a;
    while (cap < ws->used + len) cap *= 2;
    if ((a = realloc(ws->arena, cap)) == NULL) goto nomem;
    ws->arena = a;
    ws->arena_cap = cap;
  }
  /* fold into the arena's free tail, then look the folded word up */
  for (k = 0; k < len; k++) ws->arena[ws->used + k] = (char)fold((unsigned char)w[k]);
  h = hash_folded(ws->arena + ws->used, len);
  s = probe(ws, ws->arena + ws->used, len, h);
  if (s->off != SIZE_MAX) return 0;           /* already there */
  for (k = 0; k < len && lode_ascii_letter((unsigned char)w[k]); k++) {}
  keyed = len >= 1 && len <= KEY_MAX && k == len;
  if (keyed && key_reserve(ws) != 0) goto nomem;
  if ((ws->n + 1) * 2 > ws->cap) {
    if (grow(ws) != 0) goto nomem;
    s = probe(ws, ws->arena + ws->used, len, h);
  }
  s->off = ws->used;
  s->len = len;
  s->hash = h;
  if (keyed) key_put(ws, letters_key((const unsigned char *)ws->arena + s->off, 0, len, len));
  ws->used += len;
  ws->n++;
  if (len > ws->maxlen) ws->maxlen = len;
  if (len > 0 && lode_ascii_letter((unsigned char)w[0]) && lode_ascii_letter((unsigned char)w[len - 1]))
    ws->ends[w[0] & 31][w[len - 1] & 31] |=
      length_bit(len);
  return 0;
nomem:
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory adding to a word set");
}

/* Does the stored (folded) word a[0..len) equal w[0..len) folded? */
static int equal_folded(const char *a, const char *w, size_t len) {
  size_t k;
  for (k = 0; k < len; k++)
    if ((unsigned char)a[k] != fold((unsigned char)w[k])) return 0;
  return 1;
}

/* Is w[0..len), whose folded FNV-1a hash is h, in the set? */
static int has_hashed(const lode_wordset *ws, const char *w, size_t len, uint32_t h) {
  size_t mask = ws->cap - 1, k;
  for (k = h & mask;; k = (k + 1) & mask) {
    const slot *s = &ws->slots[k];
    if (s->off == SIZE_MAX) return 0;
    if (s->hash == h && s->len == len && equal_folded(ws->arena + s->off, w, len)) return 1;
  }
}

int lode_wordset_has(const lode_wordset *ws, const char *w, size_t len) {
  if (!ws || ws->n == 0 || len > ws->maxlen || (!w && len > 0)) return 0;
  return has_hashed(ws, w, len, hash_folded(w, len));
}

size_t lode_wordset_size(const lode_wordset *ws) {
  return ws ? ws->n : 0;
}

/* What a profile counts of each byte: a letter (an upper-case one), a
 * digit, a byte of a multi-byte character. One table load a byte instead
 * of the range tests of each count. */
enum { P_LETTER = 1, P_UPPER = 2, P_DIGIT = 4, P_NONASCII = 8 };
static const unsigned char profile_class[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,      /* 0x00 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,      /* 0x20 */
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,      /* 0-9 */
  0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,      /* A-O */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,      /* P-Z */
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,      /* a-o */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,      /* p-z */
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,      /* 0x80 */
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
};

/* 1 when the set holds the word u[start, end), found by its hash. */
static size_t hashed_hit(const lode_wordset *ws, const unsigned char *u, size_t start,
                         size_t end) {
  uint32_t h = 2166136261u;
  size_t m;
  /* FNV-1a of the folded bytes, as hash_folded() does */
  for (m = start; m < end; m++) h = (h ^ (unsigned char)(u[m] | 0x20)) * 16777619u;
  return (size_t)has_hashed(ws, (const char *)u + start, end - start, h);
}

/* The same, but a word longer than any entry is rejected unhashed, one of
 * at most KEY_MAX letters is looked up by its key at once (a probe or two
 * of the key table cost less than the end-letters test that used to come
 * first: stop words pass it half the time), and a longer one is hashed
 * only when some entry has its length and end letters. `len` is the
 * text's length. */
static inline size_t is_hit(const lode_wordset *ws, size_t maxlen, const unsigned char *u,
                            size_t start, size_t end, size_t len) {
  size_t wlen = end - start;
  if (wlen > maxlen) return 0;
  if (wlen <= KEY_MAX) return (size_t)has_key(ws, letters_key(u, start, end, len));
  if (!(ws->ends[u[start] & 31][u[end - 1] & 31] & length_bit(wlen))) return 0;
  return hashed_hit(ws, u, start, end);
}

#if defined(__SSE2__)
/* The bits of the 64 bytes at p (bit k: byte k) that are ASCII letters,
 * upper-case letters, digits, and bytes of multi-byte characters. A byte
 * is in a range [lo, lo + n) when c - lo + 0x80, as a signed byte, is
 * below n - 128 (SSE2 compares signed bytes only). */
static inline void classify64(const unsigned char *p, int full, uint64_t *letter,
                              uint64_t *upper, uint64_t *digit, uint64_t *high) {
  const __m128i to_a = _mm_set1_epi8((char)(0x80 - 'a')), to_A = _mm_set1_epi8((char)(0x80 - 'A'));
  const __m128i to_0 = _mm_set1_epi8((char)(0x80 - '0')), case_bit = _mm_set1_epi8(0x20);
  const __m128i below26 = _mm_set1_epi8((char)(0x80 + 26)), below10 = _mm_set1_epi8((char)(0x80 + 10));
  uint64_t l = 0, u = 0, d = 0, h = 0;
  int b;
  for (b = 0; b < 4; b++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * b));
    __m128i lm = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, case_bit), to_a), below26);
    l |= (uint64_t)(unsigned)_mm_movemask_epi8(lm) << (16 * b);
    if (full) {
      __m128i um = _mm_cmplt_epi8(_mm_add_epi8(v, to_A), below26);
      __m128i dm = _mm_cmplt_epi8(_mm_add_epi8(v, to_0), below10);
      u |= (uint64_t)(unsigned)_mm_movemask_epi8(um) << (16 * b);
      d |= (uint64_t)(unsigned)_mm_movemask_epi8(dm) << (16 * b);
      h |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * b);
    }
  }
  *letter = l;
  *upper = u;
  *digit = d;
  *high = h;
}

/* Set bits of x. Without the POPCNT instruction, __builtin_popcountll is
 * a libgcc call; the same sum in a few shifts and one multiply is inline. */
static size_t ones(uint64_t x) {
#if defined(__POPCNT__)
  return (size_t)__builtin_popcountll(x);
#else
  x = x - ((x >> 1) & 0x5555555555555555u);
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
  return (size_t)((x * 0x0101010101010101u) >> 56);
#endif
}

static size_t lowest(uint64_t x) {
  return (size_t)__builtin_ctzll(x);
}
#endif

/* The profile; with `full` 0 only words and hits are counted in the
 * 64-byte blocks (the other counts are left partial): what
 * lode_wordset_count needs, in about half the work a block. Inlined into
 * both callers with `full` a constant. */
static inline void profile(const lode_wordset *ws, const char *s, size_t len,
                           lode_word_profile *out, int full) {
  const unsigned char *u = (const unsigned char *)s;
  (void)full;                      /* (read by the 64-byte blocks only) */
  size_t k = 0;
  /* with no words to look for, every word is too long to be one */
  size_t maxlen = (ws && ws->n > 0) ? ws->maxlen : 0;
  /* counted in locals: stores through `out` could alias the text (char
   * pointers alias anything), which would keep every count in memory */
  size_t words = 0, hits = 0, caps = 0, digits = 0, upper = 0, nonascii = 0;
  memset(out, 0, sizeof *out);
  if (!s) return;
#if defined(__SSE2__)
  /* 64 bytes at a time: the counts from bit masks; a word is a run of
   * letter bits, and only its ends are visited (to look it up). A word
   * that runs past a block's end is carried into the next (`open`, from
   * byte `wstart`). */
  {
    uint64_t open = 0;
    size_t wstart = 0;
    for (; k + 64 <= len; k += 64) {
      uint64_t l, up, d, h, starts, ends, next;
      classify64(u + k, full, &l, &up, &d, &h);
      next = k + 64 < len && lode_ascii_letter(u[k + 64]);
      starts = l & ~((l << 1) | open);
      ends = l & ~((l >> 1) | (next << 63));
      words += ones(starts);
      if (full) {
        caps += ones(starts & up);
        upper += ones(up);
        digits += ones(d);
        nonascii += ones(h);
      }
      if (maxlen > 0) {
        /* each end closes the open word, else the next start's */
        for (; ends; ends &= ends - 1) {
          if (!open) {
            wstart = k + lowest(starts);
            starts &= starts - 1;
          }
          open = 0;
          hits += is_hit(ws, maxlen, u, wstart, k + lowest(ends) + 1, len);
        }
        if (starts) wstart = k + lowest(starts);   /* the word running on */
      }
      open = (l >> 63) & next;
    }
    if (open) {                    /* the last word runs into the rest */
      while (k < len && lode_ascii_letter(u[k])) upper += u[k++] <= 'Z';
      if (maxlen > 0) hits += is_hit(ws, maxlen, u, wstart, k, len);
    }
  }
#endif
  while (k < len) {
    unsigned c = profile_class[u[k]];
    if (c & P_LETTER) {
      size_t start = k;
      caps += c >> 1;
      do {
        upper += c >> 1;
        if (++k == len) break;
        c = profile_class[u[k]];
      } while (c & P_LETTER);
      words++;
      /* only words whose length and end letters some entry has are hashed */
      if (maxlen > 0) hits += is_hit(ws, maxlen, u, start, k, len);
    } else {
      digits += (c >> 2) & 1;
      nonascii += c >> 3;
      k++;
    }
  }
  out->words = words;
  out->hits = hits;
  out->caps = caps;
  out->digits = digits;
  out->upper = upper;
  out->nonascii = nonascii;
}

void lode_wordset_profile(const lode_wordset *ws, const char *s, size_t len,
                          lode_word_profile *out) {
  profile(ws, s, len, out, 1);
}

void lode_wordset_count(const lode_wordset *ws, const char *s, size_t len, size_t *words,
                        size_t *hits) {
  lode_word_profile p;
  profile(ws, s, len, &p, 0);
  *words = p.words;
  *hits = p.hits;
}

/* The length of the letter at u[k] (a code point of a letter category), or
 * 0 when u[k] starts no letter. */
static size_t letter_at(const unsigned char *u, size_t len, size_t k) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t n;
  if (u[k] < 0x80) return lode_ascii_letter(u[k]) ? 1 : 0;
  n = utf8proc_iterate(u + k, (utf8proc_ssize_t)(len - k), &cp);
  if (n <= 0) return 0;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return (size_t)n;
    default:
      return 0;
  }
}

#if defined(__SSE2__)
/* The ASCII letters (*letters) and bytes >= 0x80 (*high) among the sixteen
 * bytes at p, bit k for byte k. */
static inline void classify16(const unsigned char *p, unsigned *letters, unsigned *high) {
  const __m128i to_a = _mm_set1_epi8((char)(0x80 - 'a')), case_bit = _mm_set1_epi8(0x20);
  const __m128i below26 = _mm_set1_epi8((char)(0x80 + 26));
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  *letters = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, case_bit), to_a), below26));
  *high = (unsigned)_mm_movemask_epi8(v);
}
#endif

/* The end of the run of ASCII letters from u[k] (k when u[k] is none):
 * sixteen bytes a step with SSE2 (classify16), a byte a step for the rest
 * of the text. */
static size_t ascii_letters_end(const lode_wordset *ws, const unsigned char *u, size_t len, size_t k) {
#if defined(__SSE2__)
  for (; k + 16 <= len; k += 16) {
    unsigned m, high;
    classify16(u + k, &m, &high);
    if (m != 0xFFFF) return k + (size_t)__builtin_ctz(~m);
  }
#endif
  while (k < len && ws->byte_class[u[k]] == BYTE_LETTER) k++;
  return k;
}

int lode_wordset_find_word(const lode_wordset *ws, const char *s, size_t len, size_t from,
                           size_t *a, size_t *b) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = from;
  int one_word = 0;
  if (!ws || ws->n == 0 || !s) return 0;
  while (k < len) {
    size_t start, n, wlen;
    int ascii = 1;
#if defined(__SSE2__)
    /* one load finds the next word's first byte and, for a word of ASCII
     * letters (most), where its run ends: no byte-wise skip of the spaces
     * and marks between words */
    if (k + 16 <= len) {
      unsigned letters, high, at;
      classify16(u + k, &letters, &high);
      if (!(letters | high)) {
        k += 16;
        continue;
      }
      if (!one_word) {
        /* the load's words that an ASCII byte ends before its first
         * multi-byte character are whole: looked up from the masks, a
         * word a step; the first other word is read below */
        unsigned limit = high ? (unsigned)__builtin_ctz(high) : 16;
        unsigned starts = letters & ~(letters << 1) & ((1u << limit) - 1);
        size_t base = k;
        k = base + limit;
        while (starts) {
          unsigned first = (unsigned)__builtin_ctz(starts);
          unsigned run = (unsigned)__builtin_ctz(~(letters >> first));
          if (first + run >= limit) {
            k = base + first;
            break;
          }
          starts &= starts - 1;
          if (is_hit(ws, ws->maxlen, u, base + first, base + first + run, len)) {
            *a = base + first;
            *b = base + first + run;
            return 1;
          }
        }
        one_word = k < base + 16;
        continue;
      }
      one_word = 0;
      at = (unsigned)__builtin_ctz(letters | high);
      start = k + at;
      if ((high >> at) & 1) k = start;       /* a multi-byte character: below */
      else {
        unsigned run = (unsigned)__builtin_ctz(~(letters >> at));
        k = start + run;
        if (at + run == 16) k = ascii_letters_end(ws, u, len, k);
      }
    } else
#endif
    {
      while (k < len && ws->byte_class[u[k]] == BYTE_OTHER) k++;   /* spaces, digits, marks */
      if (k == len) break;
      start = k;
      k = ascii_letters_end(ws, u, len, k);
    }
    /* the run goes on over letters of other scripts, then ASCII ones */
    while (k < len && u[k] >= 0x80 && (n = letter_at(u, len, k)) != 0) {
      ascii = 0;
      k = ascii_letters_end(ws, u, len, k + n);
    }
    if (k == start) {                         /* a character that is no letter */
      do k++; while (k < len && (u[k] & 0xC0) == 0x80);
      continue;
    }
    wlen = k - start;
    if (wlen > ws->maxlen) continue;
    /* a run of ASCII letters is hashed only when some entry has its
     * length and end letters (see lode_wordset_profile) */
    if (ascii && !(ws->ends[u[start] & 31][u[k - 1] & 31] & length_bit(wlen)))
      continue;
    if (ascii && wlen <= KEY_MAX ? has_key(ws, letters_key(u, start, k, len))
                                 : has_hashed(ws, s + start, wlen, hash_folded(s + start, wlen))) {
      *a = start;
      *b = k;
      return 1;
    }
  }
  return 0;
}
