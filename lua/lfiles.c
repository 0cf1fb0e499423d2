/*
 * lfiles.c -- lode.core.expand(path) -> files, loops: the sorted array of
 * the files a path names (a file, a directory walked recursively, or a
 * glob) and an array of {path, message} for each symbolic link not followed
 * because its directory was walked already (files.h); or nil, message.
 * lode.core.names(roots) -> name(k, path): the document identity (files.h)
 * of a path that expand(roots[k]) found.
 */
#include <stdlib.h>
#include <string.h>

#include "lbind.h"

/* The paths found, gathered in C while the walk holds its own memory (no
 * Lua call may raise in the middle of it) and pushed afterwards. */
typedef struct path_list {
  char *buf;            /* the paths, each NUL-terminated, one after another */
  size_t len, cap, n;
  void **box;           /* owns buf */
} path_list;

static int add_path(void *ud, const char *path) {
  path_list *pl = ud;
  size_t need = strlen(path) + 1;
  if (pl->cap - pl->len < need) {
    size_t cap = pl->cap ? pl->cap : 4096;
    char *buf;
    while (cap - pl->len < need) cap *= 2;
    if ((buf = realloc(pl->buf, cap)) == NULL) return LODE_ENOMEM;
    *pl->box = pl->buf = buf;
    pl->cap = cap;
  }
  memcpy(pl->buf + pl->len, path, need);
  pl->len += need;
  pl->n++;
  return 0;
}

/* The walk's lists: the files, and (path, message) pairs of the loops. */
typedef struct expansion {
  path_list files, loops;
  int failed;           /* memory ran out recording a loop */
} expansion;

static int on_file(void *ud, const char *path) {
  return add_path(&((expansion *)ud)->files, path);
}

static void on_loop(void *ud, const char *path, const char *msg) {
  expansion *x = ud;
  if (add_path(&x->loops, path) != 0 || add_path(&x->loops, msg) != 0) x->failed = 1;
}

/* Push the strings of pl: as an array, or (pairs) as {path, message}s. */
static void push_list(lua_State *L, const path_list *pl, int pairs) {
  size_t k, off, per = pairs ? 2 : 1, n = pl->n / per;
  lua_createtable(L, n <= 0x7fffffff ? (int)n : 0, 0);
  for (k = 0, off = 0; k < n; k++) {
    if (pairs) {
      lua_createtable(L, 0, 2);
      lua_pushstring(L, pl->buf + off);
      off += strlen(pl->buf + off) + 1;
      lua_setfield(L, -2, "path");
    }
    lua_pushstring(L, pl->buf + off);
    off += strlen(pl->buf + off) + 1;
    if (pairs) lua_setfield(L, -2, "message");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
}

static int f_expand(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  expansion x;
  lode_error err;
  int rc;
  memset(&x, 0, sizeof x);
  x.files.box = lode_newbox(L);
  x.loops.box = lode_newbox(L);
  rc = lode_files_expand(path, on_file, on_loop, &x, &err);
  if (rc == LODE_ENOMEM || x.failed) return luaL_error(L, "out of memory");
  if (rc != 0) return lode_fail(L, &err);
  push_list(L, &x.files, 0);
  push_list(L, &x.loops, 1);
  return 2;
}

#define LODE_NAMES "lode.Names"

static int names_gc(lua_State *L) {
  lode_names **nm = luaL_checkudata(L, 1, LODE_NAMES);
  lode_names_free(*nm);
  *nm = NULL;
  return 0;
}

/* name(k, path), k 1-based as in the roots array */
static int names_of(lua_State *L) {
  lode_names **nm = lua_touserdata(L, lua_upvalueindex(1));
  lua_Integer k = luaL_checkinteger(L, 1);
  const char *path = luaL_checkstring(L, 2);
  char *name = lode_names_of(*nm, k >= 1 ? (size_t)(k - 1) : (size_t)-1, path);
  if (!name) return luaL_error(L, "out of memory");
  lua_pushstring(L, name);
  free(name);
  return 1;
}

static int f_names(lua_State *L) {
  size_t n, k;
  const char **roots;
  lode_names **nm;
  void **box;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (size_t)luaL_len(L, 1);
  box = lode_newbox(L);
  if ((*box = roots = calloc(n ? n : 1, sizeof *roots)) == NULL)
    return luaL_error(L, "out of memory");
  for (k = 0; k < n; k++) {
    /* a string the table holds (a number would be converted on the stack
     * only, and gone once popped) */
    if (lua_geti(L, 1, (lua_Integer)k + 1) != LUA_TSTRING)
      return luaL_argerror(L, 1, "an array of path strings expected");
    roots[k] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  nm = lua_newuserdatauv(L, sizeof *nm, 0);
  *nm = NULL;
  if (luaL_newmetatable(L, LODE_NAMES)) {
    lua_pushcfunction(L, names_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if ((*nm = lode_names_new(roots, n)) == NULL) return luaL_error(L, "out of memory");
  lua_pushcclosure(L, names_of, 1);
  return 1;
}

void lode_open_files(lua_State *L) {
  lua_pushcfunction(L, f_expand);
  lua_setfield(L, -2, "expand");
  lua_pushcfunction(L, f_names);
  lua_setfield(L, -2, "names");
}
