/*
 * lfiles.c -- lode.core.expand(path) -> sorted array of the files a path
 * names (a file, a directory walked recursively, or a glob), or nil, message.
 */
#include "lbind.h"

static int add_path(void *ud, const char *path) {
  lua_State *L = ud;
  lua_pushstring(L, path);
  lua_rawseti(L, -2, (lua_Integer)luaL_len(L, -2) + 1);
  return 0;
}

static int f_expand(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lode_error err;
  lua_newtable(L);
  if (lode_files_expand(path, add_path, L, &err) != 0) return lode_fail(L, &err);
  return 1;
}

void lode_open_files(lua_State *L) {
  lua_pushcfunction(L, f_expand);
  lua_setfield(L, -2, "expand");
}
