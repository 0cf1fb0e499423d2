/*
 * lstrtab.c -- byte strings numbered in the order first seen, from Lua
 * (core/strtab.h).
 *
 * local t = lode.core.strtab()
 * t:id(s [, i, j]) -> the id of s:sub(i, j) (i defaults to 1, j to #s;
 *   1 <= i <= j + 1 <= #s + 1), added when new: 1, 2, ...
 * t:ids(s, I, J [, skip]) -> ID: the ids of s:sub(I[k], J[k]), k = 1..#I,
 *   in a column (spans as doc:match_spans gives them); with a true `skip`,
 *   I, J, ID of the spans whose text is not marked, three new columns
 * t:mark(id) marks string id (t:ids skips its spans), t:marked(id)
 * t:clear() forgets every string (ids start again at 1); #t the count.
 *
 * A rule keeps what it learnt about a span's text in an array by id: no
 * Lua string is made for a span seen before (lode.extract.entities.find
 * reads tens of thousands of capitalised runs a corpus, a few hundred
 * distinct).
 */
#include "lbind.h"
#include "strtab.h"

#define LODE_STRTAB "lode.StrTab"

typedef struct strtab_ud {
  lode_strtab *t;
} strtab_ud;

static lode_strtab *check_tab(lua_State *L) {
  strtab_ud *u = luaL_checkudata(L, 1, LODE_STRTAB);
  if (!u->t) luaL_argerror(L, 1, "string table is freed");
  return u->t;
}

static int st_new(lua_State *L) {
  lode_error err;
  strtab_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->t = NULL;
  luaL_setmetatable(L, LODE_STRTAB);
  if ((u->t = lode_strtab_new(&err)) == NULL) return lode_raise(L, &err);
  return 1;
}

/* The id of s[i - 1, j) (1-based inclusive i..j), or a raise for a span
 * out of s or out of memory. */
static lua_Integer span_id(lua_State *L, lode_strtab *t, const char *s, size_t len,
                           lua_Integer i, lua_Integer j, int arg) {
  lode_error err;
  size_t id;
  if (i < 1 || j < i - 1 || (lua_Unsigned)j > len)
    luaL_argerror(L, arg, lua_pushfstring(L, "span %I-%I out of the string (1-%I)", i, j,
                                          (lua_Integer)len));
  id = lode_strtab_intern(t, s + i - 1, (size_t)(j - i + 1), &err);
  if (id == 0) lode_raise(L, &err);
  return (lua_Integer)id;
}

static int st_id(lua_State *L) {
  lode_strtab *t = check_tab(L);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer i = luaL_optinteger(L, 3, 1), j = luaL_optinteger(L, 4, (lua_Integer)len);
  lua_pushinteger(L, span_id(L, t, s, len, i, j, 3));
  return 1;
}

static int st_ids(lua_State *L) {
  lode_strtab *t = check_tab(L);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  int skip = lua_toboolean(L, 5), cols = skip ? 3 : 1, hint;
  lua_Integer n, out = 0;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  n = (lua_Integer)lua_rawlen(L, 3);
  luaL_argcheck(L, (lua_Integer)lua_rawlen(L, 4) == n, 4, "as many span ends as starts expected");
  hint = n < 0x7fffffff ? (int)n : 0;
  for (int c = 0; c < cols; c++) lua_createtable(L, hint, 0);   /* 5: ID, or 5-7: I, J, ID */
  for (lua_Integer k = 1; k <= n; k++) {
    int oki, okj;
    lua_Integer i, j, id;
    lua_rawgeti(L, 3, k);
    lua_rawgeti(L, 4, k);
    i = lua_tointegerx(L, -2, &oki);
    j = lua_tointegerx(L, -1, &okj);
    lua_pop(L, 2);
    if (!oki || !okj) luaL_argerror(L, oki ? 4 : 3, "array of integers expected");
    id = span_id(L, t, s, len, i, j, 3);
    if (skip && lode_strtab_marked(t, (size_t)id)) continue;
    out++;
    if (skip) {
      lua_pushinteger(L, i);
      lua_rawseti(L, 5, out);
      lua_pushinteger(L, j);
      lua_rawseti(L, 6, out);
    }
    lua_pushinteger(L, id);
    lua_rawseti(L, 4 + cols, out);
  }
  return cols;
}

static int st_mark(lua_State *L) {
  lode_strtab *t = check_tab(L);
  lua_Integer id = luaL_checkinteger(L, 2);
  luaL_argcheck(L, id >= 1 && (lua_Unsigned)id <= lode_strtab_size(t), 2, "no such id");
  lode_strtab_mark(t, (size_t)id);
  return 0;
}

static int st_marked(lua_State *L) {
  lode_strtab *t = check_tab(L);
  lua_pushboolean(L, lode_strtab_marked(t, (size_t)luaL_checkinteger(L, 2)));
  return 1;
}

static int st_clear(lua_State *L) {
  lode_strtab_clear(check_tab(L));
  return 0;
}

static int st_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lode_strtab_size(check_tab(L)));
  return 1;
}

static int st_gc(lua_State *L) {
  strtab_ud *u = luaL_checkudata(L, 1, LODE_STRTAB);
  lode_strtab_free(u->t);
  u->t = NULL;
  return 0;
}

static const luaL_Reg st_methods[] = {
  {"id", st_id}, {"ids", st_ids}, {"mark", st_mark}, {"marked", st_marked}, {"clear", st_clear},
  {NULL, NULL}
};

static const luaL_Reg st_meta[] = {
  {"__gc", st_gc}, {"__len", st_len}, {NULL, NULL}
};

void lode_open_strtab(lua_State *L) {
  luaL_newmetatable(L, LODE_STRTAB);     /* [M, meta] */
  luaL_setfuncs(L, st_meta, 0);
  luaL_newlib(L, st_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                          /* [M] */
  lua_pushcfunction(L, st_new);
  lua_setfield(L, -2, "strtab");
}
