/*
 * lregex_gfind.c -- Regex searches tried only where a match can start.
 *
 * re:gfind_words(s, ws, bytes) -> flat array {i1, j1, captures1..., i2, ...}:
 *   for a regex anchored with \G, its matches tried only at the starts of
 *   the words of s in the WordSet ws (maximal runs of letters, as
 *   ws:find_word sees them) and at the bytes of the string `bytes` that
 *   follow no ASCII letter, digit or underscore, in text order, a start
 *   inside the previous match skipped. When every match of a regex R can
 *   only start at such a place, these are the matches R:gfind(s) finds
 *   with re = "\G(?:" .. R .. ")", without trying R at every word: a
 *   prefilter on first words and bytes.
 * re:gfind_words(s, ws, bytes, lead, pairs): the same, except that a word
 *   of the WordSet `lead` (one that opens matches only as the first of two
 *   words) is tried only when the word after it makes a phrase of the
 *   WordSet `pairs` ("w1 w2", one space): when ASCII whitespace and then a
 *   run of ASCII letters ended by an ASCII byte follow it, that run must
 *   be the second word of a pair; when ASCII whitespace and then an ASCII
 *   byte that is no letter follow it (a digit, a quote), no word does and
 *   it is not tried; any other text after it is tried.
 * re:gfind_words(s, ws, bytes, lead, pairs, heads, follow): the same, except
 *   that a word of the WordSet `heads` (one that opens matches only as the
 *   head of a match of its own after blanks: "about" of "about 5") is tried
 *   only when a byte >= 0x80, or spaces and tabs and then a byte >= 0x80,
 *   a byte of the string `follow` or a run of ASCII letters that is a word
 *   of ws (or that a byte >= 0x80 ends), follow it; a word of `lead` there
 *   only as it would be tried itself ("about the last decade").
 * re:gfind_bytes(s, bytes, after) -> flat array {i1, j1, captures1..., i2,
 *   ...}: for a regex anchored with \G, its matches tried only at the bytes
 *   of s in the string `bytes` that follow no byte of the string `after`,
 *   in text order, a start inside the previous match skipped: what
 *   R:gfind(s) finds when R's matches can start only there, without PCRE2
 *   trying R at every byte (a prefilter on first bytes: "0123456789" after
 *   no digit).
 * re:gfind_bytes(s, bytes, after, next): the same, except that a start at
 *   an ASCII digit is tried only when a byte of the string `next` or a
 *   byte >= 0x80 follows its run of ASCII digits (a clock time "10:30" or
 *   a phone number "(012) 345": what a match needs after its first
 *   digits).
 */
#include <limits.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lregex.h"
#include "ascii.h"

/* --- re:gfind_words ---------------------------------------------------------- */

static int ascii_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}

/* Whether a match may start at word s[wa, wb): not a word of `lead`, or
 * one followed by anything but ASCII whitespace and an ASCII byte (see
 * re:gfind_words), or by the second word of one of its `pairs`. */
static int may_open(const lode_wordset *lead, const lode_wordset *pairs, const char *s, size_t len,
                    size_t wa, size_t wb) {
  const unsigned char *u = (const unsigned char *)s;
  char phrase[64];
  size_t k = wb, e;
  if (!lead || !lode_wordset_has(lead, s + wa, wb - wa)) return 1;
  while (k < len && ascii_space(u[k])) k++;
  if (k == wb || k == len || u[k] >= 0x80) return 1;
  if (!lode_ascii_letter(u[k])) return 0;          /* "the 2017 war", 'a "corridor"' */
  for (e = k; e < len && lode_ascii_letter(u[e]); e++) {}
  if ((e < len && u[e] >= 0x80) || (wb - wa) + 1 + (e - k) > sizeof phrase) return 1;
  memcpy(phrase, s + wa, wb - wa);
  phrase[wb - wa] = ' ';
  memcpy(phrase + (wb - wa) + 1, s + k, e - k);
  return lode_wordset_has(pairs, phrase, (wb - wa) + 1 + (e - k));
}

/* Whether a match may start at a word of `heads` ending at wb: what
 * follows it may start a match of its own (see re:gfind_words), a word of
 * `lead` there only as may_open lets it. */
static int may_head(const lode_wordset *ws, const lode_wordset *lead, const lode_wordset *pairs,
                    const char *follow, const char *s, size_t len, size_t wb) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = wb, e;
  if (k < len && u[k] >= 0x80) return 1;
  if (k == len || (u[k] != ' ' && u[k] != '\t')) return 0;
  while (k < len && (u[k] == ' ' || u[k] == '\t')) k++;
  if (k == len) return 0;
  if (u[k] >= 0x80 || follow[u[k]]) return 1;
  if (!lode_ascii_letter(u[k])) return 0;
  for (e = k; e < len && lode_ascii_letter(u[e]); e++) {}
  return (e < len && u[e] >= 0x80) ||
         (lode_wordset_has(ws, s + k, e - k) && may_open(lead, pairs, s, len, k, e));
}

/* The matches a gfind_* keeps, as their ovecs (`width` offsets each), in
 * a buffer on the C stack and past it in a box: their flat array is made
 * at its final size once they are all found (grown a value at a time it
 * would be rehashed at every power of two). */
#define KEPT_STACK 512
typedef struct kept_matches {
  size_t *v, n, cap, width;
  void **box;
  size_t stack[KEPT_STACK];
} kept_matches;

static void kept_init(kept_matches *m, int groups) {
  m->v = m->stack;
  m->n = 0;
  m->cap = KEPT_STACK;
  m->width = 2 * ((size_t)groups + 1);
  m->box = NULL;
}

/* Keeps a match (may push a box on the stack, the first time past the
 * stack buffer). */
static void keep_match(lua_State *L, kept_matches *m, const size_t *ovec) {
  m->v = lode_grow_boxed(L, &m->box, m->v, m->n, &m->cap, m->n + m->width, sizeof *m->v);
  memcpy(m->v + m->n, ovec, m->width * sizeof *ovec);
  m->n += m->width;
}

/* Pushes the flat array {i1, j1, captures1..., i2, ...} of the kept
 * matches of subject s. */
static void push_kept(lua_State *L, const kept_matches *m, const char *s) {
  int g, groups = (int)(m->width / 2) - 1;
  size_t values = m->n / m->width * (m->width / 2 + 1), x;
  lua_Integer n = 0;
  lua_createtable(L, values <= INT_MAX ? (int)values : 0, 0);
  for (x = 0; x < m->n; x += m->width) {
    const size_t *ovec = m->v + x;
    lua_pushinteger(L, (lua_Integer)ovec[0] + 1);
    lua_rawseti(L, -2, ++n);
    lua_pushinteger(L, (lua_Integer)ovec[1]);
    lua_rawseti(L, -2, ++n);
    for (g = 1; g <= groups; g++) {
      push_group(L, s, ovec, g);
      lua_rawseti(L, -2, ++n);
    }
  }
}

/* The bytes a gfind_* tries, as a flag per byte and, for a scan sixteen
 * bytes a step, as one run of consecutive bytes [lo, lo + top] (the
 * longest: the digits) and BYTESET_SINGLES other bytes (currency signs'
 * first bytes, "+", "("; repeats of lo when fewer); a set with more
 * other bytes is `wide`. */
#define BYTESET_SINGLES 4
typedef struct byteset {
  char in[256];
  int any, wide;
  unsigned char lo, top, single[BYTESET_SINGLES];
} byteset;

static void byteset_init(byteset *b, const char *bytes, size_t n) {
  const unsigned char *u = (const unsigned char *)bytes;
  size_t k;
  int x, best = 0, nsingle = 0;
  memset(b->in, 0, sizeof b->in);
  b->wide = 0;
  for (k = 0; k < n; k++) b->in[u[k]] = 1;
  for (k = 0; k < n; k++)      /* from each run's first byte: its length */
    if (u[k] == 0 || !b->in[u[k] - 1]) {
      int c = u[k];
      while (c < 256 && b->in[c]) c++;
      if (c - u[k] > best) {
        best = c - u[k];
        b->lo = u[k];
      }
    }
  b->any = best > 0;
  if (!b->any) return;
  b->top = (unsigned char)(best - 1);
  for (k = 0; k < n && !b->wide; k++) {
    if (u[k] >= b->lo && u[k] - b->lo <= b->top) continue;
    for (x = 0; x < nsingle && b->single[x] != u[k]; x++) {}
    if (x < nsingle) continue;
    if (nsingle == BYTESET_SINGLES) b->wide = 1;
    else b->single[nsingle++] = u[k];
  }
  while (nsingle < BYTESET_SINGLES) b->single[nsingle++] = b->lo;
}

/* The first position >= k holding a byte of `set`, or len: sixteen bytes
 * a step with SSE2 (a byte is in the run when byte - lo <= top unsigned,
 * i.e. the saturated difference byte - lo - top is 0), else eight bytes a
 * step while none is listed (most text has no digit). */
static size_t next_listed(const unsigned char *u, size_t len, size_t k, const byteset *set) {
  const char *in = set->in;
  if (!set->any) return len;
#if defined(__SSE2__)
  if (!set->wide && k + 16 <= len) {
    const __m128i lo = _mm_set1_epi8((char)set->lo), top = _mm_set1_epi8((char)set->top);
    const __m128i s0 = _mm_set1_epi8((char)set->single[0]), s1 = _mm_set1_epi8((char)set->single[1]);
    const __m128i s2 = _mm_set1_epi8((char)set->single[2]), s3 = _mm_set1_epi8((char)set->single[3]);
    const __m128i zero = _mm_setzero_si128();
    for (; k + 16 <= len; k += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + k));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s0), _mm_cmpeq_epi8(v, s1)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, s2), _mm_cmpeq_epi8(v, s3)));
      unsigned mask;
      hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, lo), top), zero));
      mask = (unsigned)_mm_movemask_epi8(hit);
      if (mask) return k + (size_t)__builtin_ctz(mask);
    }
  }
#endif
  while (k + 8 <= len && !(in[u[k]] | in[u[k + 1]] | in[u[k + 2]] | in[u[k + 3]] |
                           in[u[k + 4]] | in[u[k + 5]] | in[u[k + 6]] | in[u[k + 7]]))
    k += 8;
  while (k < len && !in[u[k]]) k++;
  return k;
}

/* The first position >= k holding a byte of `set` that follows no ASCII
 * letter, digit or underscore, or LODE_NOPOS. */
static size_t next_start_byte(const unsigned char *u, size_t len, size_t k, const byteset *set) {
  for (k = next_listed(u, len, k, set); k < len; k = next_listed(u, len, k + 1, set))
    if (k == 0 || !ascii_word_byte(u[k - 1])) return k;
  return LODE_NOPOS;
}

int lode_gfind_words(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, blen, flen = 0, k, from = 0, wa = 0, wb = 0, bc, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  const lode_wordset *ws = lode_checkwordset_at(L, 3, lua_upvalueindex(2));
  const char *bytes = luaL_checklstring(L, 4, &blen);
  const lode_wordset *lead = lua_isnoneornil(L, 5) ? NULL : lode_checkwordset_at(L, 5, lua_upvalueindex(2));
  const lode_wordset *pairs = lead ? lode_checkwordset_at(L, 6, lua_upvalueindex(2)) : NULL;
  const lode_wordset *heads = lua_isnoneornil(L, 7) ? NULL : lode_checkwordset_at(L, 7, lua_upvalueindex(2));
  const char *follow = heads ? luaL_checklstring(L, 8, &flen) : NULL;
  const unsigned char *u = (const unsigned char *)s;
  char follow_set[256] = {0};
  byteset set;
  int have_word;
  size_t *ovec;
  kept_matches kept;
  lode_regex_scratch *sc = method_scratch(L);
  check_subject(L, s, len, 2);
  byteset_init(&set, bytes, blen);
  for (k = 0; k < flen; k++) follow_set[(unsigned char)follow[k]] = 1;
  lua_settop(L, 8);
  ovec = ovec_for(L, re, stackbuf);
  kept_init(&kept, lode_regex_groups(re));
  have_word = lode_wordset_find_word(ws, s, len, 0, &wa, &wb);
  bc = next_start_byte(u, len, 0, &set);
  for (;;) {
    size_t at = have_word && wa < bc ? wa : bc;
    if (at == LODE_NOPOS) break;
    if (at >= from && (at != wa || !have_word || at == bc ||
                       (may_open(lead, pairs, s, len, wa, wb) &&
                        (!heads || !lode_wordset_has(heads, s + wa, wb - wa) ||
                         may_head(ws, lead, pairs, follow_set, s, len, wb))))
        && exec_at(L, sc, re, s, len, at, LODE_RE_TRUSTED, ovec)) {
      keep_match(L, &kept, ovec);
      from = ovec[1] > at ? ovec[1] : at + 1;
    }
    /* the next start of either kind (a word ends before the next word) */
    if (have_word && wa == at) have_word = lode_wordset_find_word(ws, s, len, wb, &wa, &wb);
    if (bc == at) bc = next_start_byte(u, len, at + 1, &set);
  }
  push_kept(L, &kept, s);
  return 1;
}

/* --- re:gfind_bytes ---------------------------------------------------------- */

/* Whether the byte after the run of ASCII digits from k is >= 0x80 or in
 * `next` (see re:gfind_bytes). */
static int digits_then(const unsigned char *u, size_t len, size_t k, const char *next) {
  while (k < len && u[k] >= '0' && u[k] <= '9') k++;
  return k < len && (u[k] >= 0x80 || next[u[k]]);
}

int lode_gfind_bytes(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, blen, alen, nlen = 0, k, from = 0, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  const char *bytes = luaL_checklstring(L, 3, &blen);
  const char *after = luaL_checklstring(L, 4, &alen);
  const char *next = luaL_optlstring(L, 5, NULL, &nlen);
  const unsigned char *u = (const unsigned char *)s;
  char skip[256] = {0}, next_set[256] = {0};
  byteset set;
  size_t *ovec;
  kept_matches kept;
  lode_regex_scratch *sc = method_scratch(L);
  check_subject(L, s, len, 2);
  byteset_init(&set, bytes, blen);
  for (k = 0; k < alen; k++) skip[(unsigned char)after[k]] = 1;
  for (k = 0; k < nlen; k++) next_set[(unsigned char)next[k]] = 1;
  lua_settop(L, 5);
  ovec = ovec_for(L, re, stackbuf);
  kept_init(&kept, lode_regex_groups(re));
  for (k = next_listed(u, len, 0, &set); k < len; k = next_listed(u, len, k + 1, &set)) {
    if (k < from || (k > 0 && skip[u[k - 1]])) continue;
    if (next && u[k] >= '0' && u[k] <= '9' && !digits_then(u, len, k, next_set)) continue;
    if (exec_at(L, sc, re, s, len, k, LODE_RE_TRUSTED, ovec)) {
      keep_match(L, &kept, ovec);
      from = ovec[1] > k ? ovec[1] : k + 1;
    }
  }
  push_kept(L, &kept, s);
  return 1;
}

