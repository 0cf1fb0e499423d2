/*
 * lcoord.c -- lists of capitalised names from Lua (core/coord.h).
 *
 * lode.core.coord_list(s, i, j, max_words, max_items [, min_items]) -> I, J | nil:
 *   the items of the list of names through the item starting at byte i
 *   (1-based) of s and ending at byte j, or where the item starting at i
 *   ends when j is nil (nil when none starts there, or when the list has
 *   fewer than min_items items: most commas start no list, and no
 *   columns are made for them); I[k], J[k] the items' 1-based inclusive
 *   bytes in text order (at most max_items + 1: max_items before, then
 *   up to max_items in all; max_items <= 256).
 *   Bytes that are not UTF-8 start no capitalised word.
 * lode.core.coord_gaps(s) -> I, J: where lists may go on, in text order:
 *   the matches of ,[ \t]+(?:(?:and|or)[ \t]+)?(?=\p{Lu}) over s, as
 *   doc:match_spans gives them (1-based inclusive), in a byte loop.
 *
 * The entity extractor's lists of places (lode.extract.entities.coord)
 * walk every comma before a capital: a byte loop in C.
 */
#include "coord.h"
#include "lbind.h"

#define MAX_ITEMS 256

static int coord_list(lua_State *L) {
  size_t len, n, I[MAX_ITEMS + 1], J[MAX_ITEMS + 1];
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = luaL_checkinteger(L, 2), j;
  lua_Integer max_words = luaL_checkinteger(L, 4), max_items = luaL_checkinteger(L, 5);
  lua_Integer min_items = luaL_optinteger(L, 6, 0);
  luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= len + 1, 2, "out of range");
  luaL_argcheck(L, max_words >= 1 && max_words <= 64, 4, "must be 1-64");
  luaL_argcheck(L, max_items >= 1 && max_items <= MAX_ITEMS, 5, "must be 1-256");
  if (lua_isnoneornil(L, 3)) {
    j = (lua_Integer)lode_coord_item_end(s, len, (size_t)i - 1, (int)max_words);
    if (j == 0) { lua_pushnil(L); return 1; }
  } else {
    j = luaL_checkinteger(L, 3);
    luaL_argcheck(L, j >= i - 1 && (lua_Unsigned)j <= len, 3, "out of range");
  }
  n = lode_coord_list(s, len, (size_t)i - 1, (size_t)j, (int)max_words, (size_t)max_items, I, J);
  if ((lua_Integer)n < min_items) { lua_pushnil(L); return 1; }
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    lua_pushinteger(L, (lua_Integer)I[k] + 1);
    lua_rawseti(L, -3, (lua_Integer)k + 1);
    lua_pushinteger(L, (lua_Integer)J[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 2;
}

static int coord_gaps(lua_State *L) {
  size_t len, from = 0, a, b;
  lua_Integer n = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_newtable(L);
  lua_newtable(L);
  while (lode_coord_next_gap(s, len, from, &a, &b)) {
    lua_pushinteger(L, (lua_Integer)a + 1);
    lua_rawseti(L, -3, ++n);
    lua_pushinteger(L, (lua_Integer)b);
    lua_rawseti(L, -2, n);
    from = b;
  }
  return 2;
}

static const luaL_Reg coord_funcs[] = {
  {"coord_list", coord_list},
  {"coord_gaps", coord_gaps},
  {NULL, NULL}
};

void lode_open_coord(lua_State *L) {
  luaL_setfuncs(L, coord_funcs, 0);
}
