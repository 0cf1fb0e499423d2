/*
 * lstrtab.c -- byte strings numbered in the order first seen, from Lua
 * (core/strtab.h).
 *
 * local t = lode.core.strtab()
 * t:id(s [, i, j]) -> the id of s:sub(i, j) (i defaults to 1, j to #s;
 *   1 <= i <= j + 1 <= #s + 1), added when new: 1, 2, ...
 * t:mark(id) marks string id (lode.core.capruns' m:runs can skip its
 *   spans), t:marked(id)
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

lode_strtab *lode_checkstrtab(lua_State *L, int arg) {
  strtab_ud *u = luaL_checkudata(L, arg, LODE_STRTAB);
  if (!u->t) luaL_argerror(L, arg, "string table is freed");
  return u->t;
}

static lode_strtab *check_tab(lua_State *L) { return lode_checkstrtab(L, 1); }

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
  {"id", st_id}, {"mark", st_mark}, {"marked", st_marked}, {"clear", st_clear},
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
