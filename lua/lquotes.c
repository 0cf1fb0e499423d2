/*
 * lquotes.c -- quotations between marks (core/quotemarks.h) from Lua.
 *
 * lode.core.quote_marks(doc [, elisions]) -> I, J, O, C, F: the quotations
 *   of the doc's text in columns: I[n], J[n] the words (1-based
 *   inclusive), O[n] the opening mark's first byte, C[n] the closing
 *   mark's last byte (false: never closed), F[n] the end of the first
 *   paragraph of a quotation continued over paragraphs (false: none);
 *   `elisions` a WordSet of the words a single mark never opens before
 *   ('em, 'til). One pass over the marks, with no Lua table per mark.
 * lode.core.quote_line_words(doc, i) -> i, j: the words of the line from
 *   byte i on (1-based inclusive; j < i when none), as an unclosed
 *   quotation's: a transcript turn's answer.
 * lode.core.quote_head_in(s, ws) -> the same at the start of s, past ASCII
 *   white space, [ * _ , and the dashes – — (lode_quote_head_word): whether
 *   a regex anchored there, after a closing mark, is worth trying.
 * lode.core.quote_may_turn(doc) -> false when no line of the doc's text
 *   can open with a transcript turn's label (lode_quote_may_turn): most
 *   pages, which the turn regex would read whole.
 * lode.core.quote_words(s, max) -> the number of words of s (runs of
 *   non-spaces, as %S+ reads them), counted up to max: asked per
 *   quotation, where a pattern loop would make a string per word.
 * lode.core.quote_tail_in(s, ws) -> whether s may end with a word of the
 *   WordSet ws before trailing ASCII spaces, '*' and '_' (one ',' or ':'
 *   among them): false when that last word is ASCII letters after an
 *   ASCII byte and not in ws, or when no letter stands there; true
 *   otherwise, a byte >= 0x80 in the way included
 *   (lode_quote_tail_word). Whether a title regex ending so is worth
 *   trying on the words before a mark.
 * lode.core.sentence_boundaries(doc, abbreviations) -> bounds: the
 *   sentence boundaries of core/boundary.h, held in C (#bounds counts
 *   them); `abbreviations` an array of the words ("Mr", "Dr") a sentence
 *   end after is none.
 * bounds:sentence_start(lo, hi) -> where the sentence holding the end of
 *   window [lo, hi] starts as a scan of the window alone would see it
 *   (lode_sentence_start): the quote extractor asks it per quotation.
 * lode.core.quote_look(doc, bounds, i, j, open_at, after_at) -> line,
 *   open_line, line_start, sent_at, before, after, after_sentence: the
 *   look-around of the quotation of words [i, j] opened at byte open_at and
 *   followed by the text from after_at (lode_quote_look_around; bounds
 *   from sentence_boundaries): the lines of i and of the mark, where the
 *   mark's line starts, the sentence before the mark (from byte sent_at),
 *   the text after up to its paragraph break and its first sentence: the
 *   lines, windows and scans a quotation needs, in one call.
 * lode.core.lower_bound(a, pos) -> the first index n of the ascending
 *   array of integers `a` with a[n] >= pos (#a + 1 when none): how the
 *   quote extractor finds the records, quotations and boundaries near a
 *   byte, thousands of times a page (a Lua loop ran ~10 VM instructions a
 *   step).
 */
#include <stdlib.h>

#include "boundary.h"
#include "lbind.h"
#include "quotemarks.h"

/* Push `cols` arrays of room n; returns the stack index below them. */
static int columns(lua_State *L, int cols, size_t n) {
  int top = lua_gettop(L);
  for (int c = 0; c < cols; c++) lua_createtable(L, (int)n, 0);
  return top;
}

/* Column `col`'s row: v, or false for 0 (a position is never 0). */
static void cell(lua_State *L, int col, lua_Integer row, size_t v) {
  if (v) lua_pushinteger(L, (lua_Integer)v);
  else lua_pushboolean(L, 0);
  lua_rawseti(L, col, row);
}

static int quote_marks(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const lode_wordset *elisions = lua_isnoneornil(L, 2) ? NULL : lode_checkwordset(L, 2);
  lode_quote_span *v = NULL;
  size_t n = 0;
  lode_error err;
  void **box;
  int top;
  lua_settop(L, 2);
  box = lode_newbox(L);
  if (lode_quote_marks(d->text, elisions, &v, &n, &err) != 0) lode_raise(L, &err);
  *box = v;                              /* the box frees the array */
  top = columns(L, 5, n);
  for (size_t k = 0; k < n; k++) {
    lua_Integer row = (lua_Integer)k + 1;
    cell(L, top + 1, row, v[k].a + 1);
    cell(L, top + 2, row, v[k].b);
    cell(L, top + 3, row, v[k].open_at + 1);
    cell(L, top + 4, row, v[k].close_end);
    cell(L, top + 5, row, v[k].first_end);
  }
  return 5;
}

static int quote_line_words(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  size_t len, a, b;
  lode_text_bytes(d->text, &len);
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 2, "position out of range");
  lode_quote_line_words(d->text, (size_t)i - 1, &a, &b);
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)b);
  return 2;
}

static int quote_may_turn(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  size_t len;
  const char *s = lode_text_bytes(d->text, &len);
  lua_pushboolean(L, lode_quote_may_turn(s, len));
  return 1;
}

static int quote_words(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer max = luaL_checkinteger(L, 2);
  lua_pushinteger(L, max <= 0 ? 0 : (lua_Integer)lode_quote_words(s, len, (size_t)max));
  return 1;
}

#define MAX_ABBREVS 64

#define LODE_BOUNDARIES "lode.SentenceBoundaries"

/* A doc's boundaries; the array is freed with the userdata. */
typedef struct boundaries_ud {
  lode_boundary *v;
  size_t n;
} boundaries_ud;

static int sentence_boundaries(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const char *abbrevs[MAX_ABBREVS];
  size_t lens[MAX_ABBREVS], na, len;
  const char *s = lode_text_bytes(d->text, &len);
  boundaries_ud *u;
  lode_error err;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  na = (size_t)lua_rawlen(L, 2);
  luaL_argcheck(L, na <= MAX_ABBREVS, 2, "too many abbreviations");
  for (size_t k = 0; k < na; k++) {
    if (lua_rawgeti(L, 2, (lua_Integer)k + 1) != LUA_TSTRING)   /* kept alive by the table */
      luaL_argerror(L, 2, "array of strings expected");
    abbrevs[k] = lua_tolstring(L, -1, &lens[k]);
    lua_pop(L, 1);
  }
  u = lua_newuserdatauv(L, sizeof *u, 0);
  u->v = NULL;
  u->n = 0;
  luaL_setmetatable(L, LODE_BOUNDARIES);
  if (lode_sentence_boundaries(s, len, abbrevs, lens, na, &u->v, &u->n, &err) != 0) lode_raise(L, &err);
  return 1;
}

static int b_gc(lua_State *L) {
  boundaries_ud *u = luaL_checkudata(L, 1, LODE_BOUNDARIES);
  free(u->v);
  u->v = NULL;
  u->n = 0;
  return 0;
}

static int b_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)((boundaries_ud *)luaL_checkudata(L, 1, LODE_BOUNDARIES))->n);
  return 1;
}

static int b_sentence_start(lua_State *L) {
  const boundaries_ud *u = luaL_checkudata(L, 1, LODE_BOUNDARIES);
  lua_Integer lo = luaL_checkinteger(L, 2), hi = luaL_checkinteger(L, 3);
  luaL_argcheck(L, lo >= 1, 2, "position out of range");
  luaL_argcheck(L, hi >= 0, 3, "position out of range");
  lua_pushinteger(L, (lua_Integer)lode_sentence_start(u->v, u->n, (size_t)lo, (size_t)hi));
  return 1;
}

static int quote_look(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const boundaries_ud *u = luaL_checkudata(L, 2, LODE_BOUNDARIES);
  lua_Integer i = luaL_checkinteger(L, 3), j = luaL_checkinteger(L, 4);
  lua_Integer open_at = luaL_checkinteger(L, 5), after_at = luaL_checkinteger(L, 6);
  size_t len;
  const char *s = lode_text_bytes(d->text, &len);
  lode_quote_look lk;
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 3, "position out of range");
  luaL_argcheck(L, j >= i - 1 && j <= (lua_Integer)len, 4, "position out of range");
  luaL_argcheck(L, open_at >= 1 && open_at <= (lua_Integer)len, 5, "position out of range");
  luaL_argcheck(L, after_at >= 1 && after_at <= (lua_Integer)len + 1, 6, "position out of range");
  lode_quote_look_around(d->text, u->v, u->n, (size_t)i - 1, (size_t)j, (size_t)open_at - 1,
                         (size_t)after_at - 1, &lk);
  lua_pushinteger(L, (lua_Integer)lk.line);
  lua_pushinteger(L, (lua_Integer)lk.open_line);
  lua_pushinteger(L, (lua_Integer)lk.line_start + 1);
  lua_pushinteger(L, open_at - (lua_Integer)(lk.before_b - lk.before_a));
  lua_pushlstring(L, s + lk.before_a, lk.before_b - lk.before_a);
  lua_pushlstring(L, s + lk.after_a, lk.after_b - lk.after_a);
  lua_pushlstring(L, s + lk.after_a, lk.sentence_b - lk.after_a);
  return 7;
}

/* Whether s (argument 1) may hold a word of the WordSet at argument 2 at
 * the edge `word` reads: its word is one, or a byte >= 0x80 leaves it open. */
static int edge_in(lua_State *L, lode_quote_word (*word)(const char *, size_t, size_t *, size_t *)) {
  size_t len, a = 0, b = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  const lode_wordset *ws = lode_checkwordset(L, 2);
  lode_quote_word t = word(s, len, &a, &b);
  lua_pushboolean(L, t == LODE_QWORD_OTHER || (t == LODE_QWORD_ASCII && lode_wordset_has(ws, s + a, b - a)));
  return 1;
}

static int quote_tail_in(lua_State *L) { return edge_in(L, lode_quote_tail_word); }

static int quote_head_in(lua_State *L) { return edge_in(L, lode_quote_head_word); }

static int lower_bound(lua_State *L) {
  lua_Integer pos = luaL_checkinteger(L, 2), lo = 1, hi;
  luaL_checktype(L, 1, LUA_TTABLE);
  hi = (lua_Integer)lua_rawlen(L, 1) + 1;
  while (lo < hi) {
    lua_Integer mid = lo + (hi - lo) / 2, v;
    int isint;
    lua_rawgeti(L, 1, mid);
    v = lua_tointegerx(L, -1, &isint);
    if (!isint) return luaL_argerror(L, 1, "array of integers expected");
    lua_pop(L, 1);
    if (v < pos) lo = mid + 1;
    else hi = mid;
  }
  lua_pushinteger(L, lo);
  return 1;
}

static const luaL_Reg quotes_funcs[] = {
  {"quote_words", quote_words},
  {"quote_tail_in", quote_tail_in},
  {"quote_head_in", quote_head_in},
  {"quote_look", quote_look},
  {"lower_bound", lower_bound},
  {"sentence_boundaries", sentence_boundaries},
  {"quote_marks", quote_marks},
  {"quote_line_words", quote_line_words},
  {"quote_may_turn", quote_may_turn},
  {NULL, NULL}
};

static const luaL_Reg boundaries_methods[] = {
  {"sentence_start", b_sentence_start},
  {NULL, NULL}
};

void lode_open_quotes(lua_State *L) {
  luaL_newmetatable(L, LODE_BOUNDARIES);
  luaL_newlib(L, boundaries_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, b_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, b_len);
  lua_setfield(L, -2, "__len");
  lua_pop(L, 1);
  luaL_setfuncs(L, quotes_funcs, 0);
}
