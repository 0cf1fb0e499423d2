/*
 * lcopy.c -- shallow copies of record lists from Lua.
 *
 * lode.core.copy_records(list) -> a new array of new tables, each a
 *   shallow copy of list[k] (every key, no metatable), k = 1..#list; raises
 *   when an element is not a table.
 *
 * lode.core.index_records(list, kind) -> starts, of_kind, of_kind_starts:
 *   starts[k] = list[k].i for every k; of_kind the records whose .kind
 *   equals the string `kind`, in order, and of_kind_starts their .i: the
 *   arrays a stage binary-searches records by (lode.extract.quotes), each
 *   made at its final size in one walk.
 *
 * An extractor hands callers copies of the records it shares between
 * stages (lode.extract.entities), by the hundred per document. Filled one
 * key at a time from Lua, a table grows through every power of two, and
 * each rehash costs more than the copy; here each copy is made at its
 * final size.
 */

#include <string.h>

#include "lbind.h"

/* Push a copy of the table at index t (absolute). One walk: its pairs
 * wait on the stack until the copy, made at their count, takes them. */
static void push_copy(lua_State *L, int t) {
  int base = lua_gettop(L), n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {                        /* [.., pairs, key, value] */
    luaL_checkstack(L, 2, "record too large to copy");
    lua_pushvalue(L, -2);                         /* [.., pairs, key, value, key] */
    n++;
  }                                               /* [.., k1, v1, .., kn, vn] */
  lua_createtable(L, 0, n);                       /* [.., pairs, copy] */
  for (int k = 0; k < n; k++) {
    lua_pushvalue(L, base + 2 * k + 1);
    lua_pushvalue(L, base + 2 * k + 2);
    lua_rawset(L, -3);
  }
  if (n > 0) {
    lua_replace(L, base + 1);
    lua_settop(L, base + 1);                      /* [.., copy] */
  }
}

static int copy_records(lua_State *L) {
  lua_Integer n;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  n = (lua_Integer)lua_rawlen(L, 1);
  lua_createtable(L, n < 0x7fffffff ? (int)n : 0, 0);   /* [list, out] */
  for (lua_Integer k = 1; k <= n; k++) {
    if (lua_rawgeti(L, 1, k) != LUA_TTABLE)      /* [list, out, t] */
      return luaL_error(L, "record %d is not a table", (int)k);
    push_copy(L, 3);                              /* [list, out, t, copy] */
    lua_rawseti(L, 2, k);
    lua_pop(L, 1);                                /* [list, out] */
  }
  return 1;
}

/* The records are plain tables: their fields are read raw, by keys pushed
 * once (lua_getfield interns its key at every call); a kind that is the
 * same short string as `kind` is the same object. */
static int index_records(lua_State *L) {
  lua_Integer n, m = 0;
  size_t klen, len;
  const char *kind = luaL_checklstring(L, 2, &klen), *v;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  n = (lua_Integer)lua_rawlen(L, 1);
  lua_pushliteral(L, "i");                              /* [list, kind, "i"] */
  lua_pushliteral(L, "kind");                           /* [.., "kind"] */
  lua_createtable(L, n < 0x7fffffff ? (int)n : 0, 0);   /* [.., starts] */
  lua_newtable(L);                                      /* [.., of_kind] */
  lua_newtable(L);                                      /* [.., of_kind_starts] */
  for (lua_Integer k = 1; k <= n; k++) {
    if (lua_rawgeti(L, 1, k) != LUA_TTABLE)             /* [.., t] */
      return luaL_error(L, "record %d is not a table", (int)k);
    lua_pushvalue(L, 3);
    lua_rawget(L, 8);                                   /* [.., t, i] */
    lua_pushvalue(L, -1);
    lua_rawseti(L, 5, k);
    lua_pushvalue(L, 4);
    if (lua_rawget(L, 8) == LUA_TSTRING                 /* [.., t, i, kind] */
        && ((v = lua_tolstring(L, -1, &len)) == kind || (len == klen && memcmp(v, kind, len) == 0))) {
      lua_pop(L, 1);
      lua_rawseti(L, 7, ++m);                           /* [.., t] */
      lua_rawseti(L, 6, m);                             /* [..] */
    } else {
      lua_pop(L, 3);
    }
  }
  return 3;
}

static const luaL_Reg copy_funcs[] = {
  {"copy_records", copy_records},
  {"index_records", index_records},
  {NULL, NULL}
};

void lode_open_copy(lua_State *L) {
  luaL_setfuncs(L, copy_funcs, 0);
}
