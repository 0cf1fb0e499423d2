/*
 * ltrie.c -- a regex alternation of phrases as a trie (core/trie.h) from
 * Lua.
 *
 * lode.core.trie(list [, prefix]) -> string: the trie regex of the array
 *   of phrases `list` (of each phrase's first `prefix` characters when
 *   given); raises on a phrase trie.h does not take. The engine of
 *   lode.words.trie.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lbind.h"
#include "trie.h"

static int trie(lua_State *L) {
  size_t n, prefix = SIZE_MAX, outlen;
  const char **phrases;
  size_t *lens;
  char *out;
  void **box;
  lode_error err;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) {
    lua_Integer p = luaL_checkinteger(L, 2);
    if (p >= 0) prefix = (size_t)p;
  }
  lua_settop(L, 1);
  n = (size_t)lua_rawlen(L, 1);
  phrases = lua_newuserdatauv(L, (n ? n : 1) * (sizeof *phrases + sizeof *lens), 0);
  lens = (size_t *)(phrases + (n ? n : 1));
  for (size_t k = 0; k < n; k++) {
    if (lua_rawgeti(L, 1, (lua_Integer)k + 1) != LUA_TSTRING)   /* kept alive by the list */
      return luaL_argerror(L, 1, "array of strings expected");
    phrases[k] = lua_tolstring(L, -1, &lens[k]);
    lua_pop(L, 1);
  }
  box = lode_newbox(L);
  if (lode_trie(phrases, lens, n, prefix, &out, &outlen, &err) != 0) lode_raise(L, &err);
  *box = out;
  lua_pushlstring(L, out ? out : "", outlen);
  return 1;
}

static const luaL_Reg trie_funcs[] = {
  {"trie", trie},
  {NULL, NULL}
};

void lode_open_trie(lua_State *L) { luaL_setfuncs(L, trie_funcs, 0); }
