/* state.c -- a Lua state for scripts: libraries, lode.core, search paths. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "host.h"
#include "lbind.h"

/* Directory of the running binary, or "" if /proc is unavailable. */
static void exe_dir(char *buf, size_t size) {
  ssize_t n = readlink("/proc/self/exe", buf, size - 1);
  char *slash;
  buf[n > 0 ? n : 0] = '\0';
  if ((slash = strrchr(buf, '/')) != NULL) *slash = '\0';
  else buf[0] = '\0';
}

void lode_host_shipped_path(char *buf, size_t size, const char *in_source, const char *installed) {
  char dir[PATH_MAX];
  exe_dir(dir, sizeof dir);
  if (strcmp(dir, LODE_BUILD_BIN_DIR) == 0) snprintf(buf, size, "%s/%s", LODE_SOURCE_DIR, in_source);
  else snprintf(buf, size, "%s/../%s", dir, installed);
}

/* Where lode/init.lua and friends live: the source tree when running from
 * the build tree, <prefix>/share/lua/5.4 when installed, and LODE_LUA_DIR
 * from the environment first of all (for relocated installs). */
static void push_lua_dir(lua_State *L) {
  char dir[PATH_MAX];
  const char *env = getenv("LODE_LUA_DIR");
  if (env && *env) {
    lua_pushstring(L, env);
    return;
  }
  lode_host_shipped_path(dir, sizeof dir, "lua", LODE_INSTALL_LUA_DIR);
  lua_pushstring(L, dir);
}

static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int lode_host_pcall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg, status;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  status = lua_pcall(L, narg, nres, base);
  lua_remove(L, base);
  return status;
}

void lode_host_report(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "lode: %s\n", msg ? msg : "(error without a message)");
  fflush(stderr);
  lua_pop(L, 1);
}

lua_State *lode_host_state(void) {
  lua_State *L = luaL_newstate();
  return L ? lode_host_setup(L) : NULL;
}

lua_State *lode_host_setup(lua_State *L) {
  luaL_openlibs(L);
  lode_host_check_io(L);
  lua_getglobal(L, "package");               /* [package] */
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_lode_core);
  lua_setfield(L, -2, "lode.core");
  lua_pop(L, 1);
  push_lua_dir(L);                           /* [package, dir] */
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;", lua_tostring(L, -1), lua_tostring(L, -1));
  lua_getfield(L, -3, "path");
  lua_concat(L, 2);                          /* [package, dir, path] */
  lua_setfield(L, -3, "path");
  lua_pop(L, 2);
  return L;
}
