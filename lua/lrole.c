/*
 * lrole.c -- where a role before a name can start, from Lua (core/role.h).
 *
 * lode.core.role_window(enders, honorifics, stops) -> window: enders and
 *   honorifics are lode.core.wordset's, stops a string of the bytes no
 *   role holds (see core/role.h); made once, they are checked once.
 * window(s, from, i, max) -> start | nil: for the prefix s:sub(from, i - 1)
 *   before a name at byte i, nil when its last word ends no role, else the
 *   byte where the role regex starts reading.
 *
 * lode.extract.entities.roles asks for every person mention: most are
 * told apart with no string made.
 */
#include <string.h>

#include "lbind.h"
#include "role.h"

/* A window's upvalue 1: what it reads on every call. (Upvalues 2 and 3
 * hold the word sets, so that they outlive it.) */
typedef struct role_args {
  const lode_wordset *enders, *honorifics;
  unsigned char stop[256];
} role_args;

static int window(lua_State *L) {
  const role_args *w = lua_touserdata(L, lua_upvalueindex(1));
  size_t len, start;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer from = luaL_checkinteger(L, 2), i = luaL_checkinteger(L, 3);
  lua_Integer max = luaL_checkinteger(L, 4);
  luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= len + 1, 3, "out of range");
  luaL_argcheck(L, from >= 1 && from <= i, 2, "out of range");
  luaL_argcheck(L, max >= 0, 4, "must not be negative");
  if (!lode_role_window(s, (size_t)from - 1, (size_t)i - 1, (size_t)max, w->enders, w->honorifics, w->stop,
                        &start)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)start + 1);
  return 1;
}

static int role_window(lua_State *L) {
  size_t nstops;
  const lode_wordset *enders = lode_checkwordset(L, 1), *honorifics = lode_checkwordset(L, 2);
  const char *stops = luaL_checklstring(L, 3, &nstops);
  role_args *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->enders = enders;
  w->honorifics = honorifics;
  memset(w->stop, 0, sizeof w->stop);
  for (size_t k = 0; k < nstops; k++) w->stop[(unsigned char)stops[k]] = 1;
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, window, 3);
  return 1;
}

static const luaL_Reg role_funcs[] = {
  {"role_window", role_window},
  {NULL, NULL}
};

void lode_open_role(lua_State *L) {
  luaL_setfuncs(L, role_funcs, 0);
}
