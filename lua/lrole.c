/*
 * lrole.c -- where a role before a name can start, from Lua (core/role.h).
 *
 * lode.core.role_window(s, from, i, max, enders, honorifics, stops) -> start | nil:
 *   for the prefix s:sub(from, i - 1) before a name at byte i, nil when
 *   its last word ends no role (see core/role.h), else the byte where the
 *   role regex starts reading. enders and honorifics are
 *   lode.core.wordset's, stops a string of the bytes no role holds.
 *
 * lode.extract.entities.roles asks for every person mention: most are
 * told apart with no string made.
 */
#include "lbind.h"
#include "role.h"

static int role_window(lua_State *L) {
  size_t len, nstops, start;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer from = luaL_checkinteger(L, 2), i = luaL_checkinteger(L, 3);
  lua_Integer max = luaL_checkinteger(L, 4);
  const lode_wordset *enders = lode_checkwordset(L, 5), *honorifics = lode_checkwordset(L, 6);
  const char *stops = luaL_checklstring(L, 7, &nstops);
  unsigned char stop[256] = {0};
  luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= len + 1, 3, "out of range");
  luaL_argcheck(L, from >= 1 && from <= i, 2, "out of range");
  luaL_argcheck(L, max >= 0, 4, "must not be negative");
  for (size_t k = 0; k < nstops; k++) stop[(unsigned char)stops[k]] = 1;
  if (!lode_role_window(s, (size_t)from - 1, (size_t)i - 1, (size_t)max, enders, honorifics, stop,
                        &start)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)start + 1);
  return 1;
}

static const luaL_Reg role_funcs[] = {
  {"role_window", role_window},
  {NULL, NULL}
};

void lode_open_role(lua_State *L) {
  luaL_setfuncs(L, role_funcs, 0);
}
