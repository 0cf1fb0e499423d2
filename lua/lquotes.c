/*
 * lquotes.c -- quotations between marks (core/quotemarks.h) from Lua.
 *
 * lode.core.quote_marks(doc [, elisions]) -> I, J, O, C, F: the quotations
 *   of the doc's text in columns: I[n], J[n] the words (1-based
 *   inclusive), O[n] the opening mark's first byte, C[n] the closing
 *   mark's last byte (false: never closed), F[n] the end of the first
 *   paragraph of a quotation continued over paragraphs (false: none);
 *   `elisions` a WordSet of the words a single mark never opens before
 *   ('em, 'til). What lode.extract.quotes.find.marked paired in a Lua
 *   loop over the marks.
 * lode.core.quote_line_words(doc, i) -> i, j: the words of the line from
 *   byte i on (1-based inclusive; j < i when none), as an unclosed
 *   quotation's: a transcript turn's answer.
 */
#include <stdlib.h>

#include "lbind.h"
#include "quotemarks.h"

static int quote_marks(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const lode_wordset *elisions = lua_isnoneornil(L, 2) ? NULL : lode_checkwordset(L, 2);
  lode_quote_span *v = NULL;
  size_t n = 0;
  lode_error err;
  void **box;
  lua_settop(L, 2);
  box = lode_newbox(L);
  if (lode_quote_marks(d->text, elisions, &v, &n, &err) != 0) lode_raise(L, &err);
  *box = v;                              /* the box frees the array */
  for (int c = 0; c < 5; c++) lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    lua_Integer row = (lua_Integer)k + 1;
    lua_pushinteger(L, (lua_Integer)v[k].a + 1);
    lua_rawseti(L, -6, row);
    lua_pushinteger(L, (lua_Integer)v[k].b);
    lua_rawseti(L, -5, row);
    lua_pushinteger(L, (lua_Integer)v[k].open_at + 1);
    lua_rawseti(L, -4, row);
    if (v[k].close_end) lua_pushinteger(L, (lua_Integer)v[k].close_end);
    else lua_pushboolean(L, 0);
    lua_rawseti(L, -3, row);
    if (v[k].first_end) lua_pushinteger(L, (lua_Integer)v[k].first_end);
    else lua_pushboolean(L, 0);
    lua_rawseti(L, -2, row);
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

static const luaL_Reg quotes_funcs[] = {
  {"quote_marks", quote_marks},
  {"quote_line_words", quote_line_words},
  {NULL, NULL}
};

void lode_open_quotes(lua_State *L) { luaL_setfuncs(L, quotes_funcs, 0); }
