/*
 * lwordset.c -- word sets and one-pass word statistics from Lua.
 *
 * local ws = lode.wordset(words)    -- words: array of strings and/or a set
 *                                   -- {word = true}; entries fold to ASCII
 *                                   -- lowercase (see core/wordset.h)
 * ws:add(word) ; ws:has(word) -> boolean ; #ws -> number of words
 * ws:profile(s [, i [, j]]) -> words, hits, caps, digits, upper, nonascii
 *   counts over s:sub(i, j) (1-based inclusive, string.sub rules) the runs
 *   of ASCII letters (what s:gmatch("%a+") yields), those in the set,
 *   those starting with an uppercase letter, and ASCII digits, uppercase
 *   letters and bytes >= 0x80: a per-line word profile without a Lua loop
 *   per word.
 * ws:word_count(s [, i [, j]]) -> words, hits: the first two counts of
 *   ws:profile alone, in less work a byte.
 * ws:find_word(s [, init]) -> i, j | nil: the first whole word of
 *   s:sub(init) in the set (a maximal run of letters, \p{L}), 1-based
 *   inclusive: whether a page holds any of the words at all, in one pass.
 */
#include "lbind.h"

#define LODE_WORDSET "lode.WordSet"

typedef struct wordset_ud {
  lode_wordset *ws;
} wordset_ud;

static wordset_ud *check_ws(lua_State *L, int arg) {
  wordset_ud *u = luaL_checkudata(L, arg, LODE_WORDSET);
  if (!u->ws) luaL_argerror(L, arg, "word set is freed");
  return u;
}

const lode_wordset *lode_checkwordset(lua_State *L, int arg) {
  return check_ws(L, arg)->ws;
}

const lode_wordset *lode_checkwordset_at(lua_State *L, int arg, int mt) {
  wordset_ud *u = lode_testudata_at(L, arg, mt);
  if (!u) return check_ws(L, arg)->ws;     /* raises its error */
  if (!u->ws) luaL_argerror(L, arg, "word set is freed");
  return u->ws;
}

/* (made here when a module opened before this one asks first) */
void lode_push_wordset_meta(lua_State *L) {
  luaL_newmetatable(L, LODE_WORDSET);
}

/* The word set a method (of ws_methods) is called on. The methods hold
 * the metatable as their upvalue and compare it by identity: no registry
 * lookup by name a call, as luaL_checkudata does (a profile is asked once
 * a line of a page). Anything else gets check_ws's error. */
static wordset_ud *self_ws(lua_State *L) {
  wordset_ud *u = lua_touserdata(L, 1);
  if (!u || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(1)))
    return check_ws(L, 1);
  lua_pop(L, 1);
  if (!u->ws) luaL_argerror(L, 1, "word set is freed");
  return u;
}

static void add_string(lua_State *L, lode_wordset *ws, int idx) {
  size_t len;
  const char *w = lua_tolstring(L, idx, &len);
  lode_error err;
  if (lode_wordset_add(ws, w, len, &err) != 0) lode_raise(L, &err);
}

/* lode.wordset([words]) -> WordSet */
static int ws_new(lua_State *L) {
  wordset_ud *u;
  lode_error err;
  lua_settop(L, 1);
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TTABLE);
  u = lua_newuserdatauv(L, sizeof *u, 0);     /* [words, ud] */
  u->ws = NULL;
  luaL_setmetatable(L, LODE_WORDSET);
  if ((u->ws = lode_wordset_new(&err)) == NULL) return lode_raise(L, &err);
  if (lua_istable(L, 1)) {
    lua_pushnil(L);                           /* [words, ud, key] */
    while (lua_next(L, 1)) {                  /* [words, ud, key, value] */
      if (lua_type(L, -2) == LUA_TNUMBER) {   /* array entry */
        if (lua_type(L, -1) != LUA_TSTRING) luaL_argerror(L, 1, "array of strings expected");
        add_string(L, u->ws, -1);
      }
      else if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1))
        add_string(L, u->ws, -2);             /* set entry */
      lua_pop(L, 1);
    }
  }
  return 1;
}

static int ws_add(lua_State *L) {
  wordset_ud *u = self_ws(L);
  luaL_checkstring(L, 2);
  add_string(L, u->ws, 2);
  return 0;
}

static int ws_has(lua_State *L) {
  wordset_ud *u = self_ws(L);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  lua_pushboolean(L, lode_wordset_has(u->ws, w, len));
  return 1;
}

/* string.sub's rules for i, j: negative from the end, clamped. */
static size_t posrelat_start(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(lua_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

static size_t getendpos(lua_Integer pos, size_t len) {
  if (pos > (lua_Integer)len) return len;
  if (pos >= 0) return (size_t)pos;
  if (pos < -(lua_Integer)len) return 0;
  return len + (size_t)pos + 1;
}

/* s:sub(i, j) of the arguments s [, i [, j]] at 2..4: its start and
 * length (0 when empty). */
static const char *sub_arg(lua_State *L, size_t *n) {
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  size_t i = posrelat_start(luaL_optinteger(L, 3, 1), len);
  size_t j = getendpos(luaL_optinteger(L, 4, -1), len);
  if (i > j) {
    *n = 0;
    return s;
  }
  *n = j - i + 1;
  return s + i - 1;
}

static int ws_profile(lua_State *L) {
  wordset_ud *u = self_ws(L);
  size_t n;
  const char *s = sub_arg(L, &n);
  lode_word_profile p;
  lode_wordset_profile(u->ws, s, n, &p);
  lua_pushinteger(L, (lua_Integer)p.words);
  lua_pushinteger(L, (lua_Integer)p.hits);
  lua_pushinteger(L, (lua_Integer)p.caps);
  lua_pushinteger(L, (lua_Integer)p.digits);
  lua_pushinteger(L, (lua_Integer)p.upper);
  lua_pushinteger(L, (lua_Integer)p.nonascii);
  return 6;
}

static int ws_word_count(lua_State *L) {
  wordset_ud *u = self_ws(L);
  size_t n, words, hits;
  const char *s = sub_arg(L, &n);
  lode_wordset_count(u->ws, s, n, &words, &hits);
  lua_pushinteger(L, (lua_Integer)words);
  lua_pushinteger(L, (lua_Integer)hits);
  return 2;
}

static int ws_find_word(lua_State *L) {
  wordset_ud *u = self_ws(L);
  size_t len, a, b;
  const char *s = luaL_checklstring(L, 2, &len);
  size_t from = posrelat_start(luaL_optinteger(L, 3, 1), len) - 1;
  if (from > len || !lode_wordset_find_word(u->ws, s, len, from, &a, &b)) {
    luaL_pushfail(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)b);
  return 2;
}

static int ws_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lode_wordset_size(check_ws(L, 1)->ws));
  return 1;
}

static int ws_gc(lua_State *L) {
  wordset_ud *u = luaL_checkudata(L, 1, LODE_WORDSET);
  lode_wordset_free(u->ws);
  u->ws = NULL;
  return 0;
}

static int ws_tostring(lua_State *L) {
  wordset_ud *u = luaL_checkudata(L, 1, LODE_WORDSET);
  lua_pushfstring(L, "lode.WordSet (%d words)", (int)lode_wordset_size(u->ws));
  return 1;
}

static const luaL_Reg ws_methods[] = {
  {"add", ws_add}, {"has", ws_has}, {"profile", ws_profile}, {"word_count", ws_word_count}, {"find_word", ws_find_word},
  {NULL, NULL}
};

static const luaL_Reg ws_meta[] = {
  {"__gc", ws_gc}, {"__len", ws_len}, {"__tostring", ws_tostring}, {NULL, NULL}
};

void lode_open_wordset(lua_State *L) {
  luaL_newmetatable(L, LODE_WORDSET);    /* [M, meta] */
  luaL_setfuncs(L, ws_meta, 0);
  lua_newtable(L);                        /* [M, meta, methods] */
  lua_pushvalue(L, -2);
  luaL_setfuncs(L, ws_methods, 1);        /* each method: the metatable as upvalue */
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                          /* [M] */
  lua_pushcfunction(L, ws_new);
  lua_setfield(L, -2, "wordset");
}
