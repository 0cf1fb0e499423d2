/*
 * lfiles.c -- lode.core.expand(path) -> sorted array of the files a path
 * names (a file, a directory walked recursively, or a glob), or nil, message.
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

static int f_expand(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  path_list pl = {NULL, 0, 0, 0, NULL};
  lode_error err;
  size_t k, off;
  int rc;
  pl.box = lode_newbox(L);
  rc = lode_files_expand(path, add_path, &pl, &err);
  if (rc == LODE_ENOMEM) return luaL_error(L, "out of memory");
  if (rc != 0) return lode_fail(L, &err);
  lua_createtable(L, pl.n <= 0x7fffffff ? (int)pl.n : 0, 0);
  for (k = 0, off = 0; k < pl.n; k++) {
    lua_pushstring(L, pl.buf + off);
    off += strlen(pl.buf + off) + 1;
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

void lode_open_files(lua_State *L) {
  lua_pushcfunction(L, f_expand);
  lua_setfield(L, -2, "expand");
}
