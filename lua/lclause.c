/*
 * lclause.c -- the noun phrase a clause ends with (core/clause.h) from Lua.
 *
 * local rules = lode.core.clause_rules{strong = {"a ", "an "},
 *   weak = {"the ", "his "}, openers = WordSet, trims = WordSet}
 *   -- determiners with their space, matched as written; word sets of the
 *   -- words stripped from a phrase's start and trimmed from its end
 * rules:subject(s) -> phrase, from | nil: the phrase ending s, and its
 *   first byte (1-based) in s converted as clause.h says (curly double
 *   marks and dashes one byte each): what a Lua loop of pattern calls
 *   found, per speech verb, in lode.extract.quotes.context.
 * lode.core.last_clause_at(s) -> where the last clause of s starts
 *   (1-based; #s + 1 when s ends with a separator): after its last
 *   , ; : ( ) " or curly double mark or dash.
 */
#include <string.h>

#include "lbind.h"
#include "clause.h"

#define LODE_CLAUSE_RULES "lode.ClauseRules"

/* The rules and, in the same block, the determiners' pointers, lengths and
 * bytes (a userdata does not move). The word sets are its user values. */
typedef struct rules_ud {
  lode_clause_rules r;
} rules_ud;

/* The number and total bytes of the strings of array field `name`. */
static size_t count_words(lua_State *L, const char *name, size_t *bytes) {
  size_t n;
  if (lua_getfield(L, 1, name) != LUA_TTABLE)
    luaL_argerror(L, 1, lua_pushfstring(L, "%s must be an array of strings", name));
  n = (size_t)lua_rawlen(L, -1);
  for (size_t k = 1; k <= n; k++) {
    if (lua_rawgeti(L, -1, (lua_Integer)k) != LUA_TSTRING)
      luaL_argerror(L, 1, lua_pushfstring(L, "%s[%d] is not a string", name, (int)k));
    *bytes += lua_rawlen(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return n;
}

/* Copy the strings of array field `name` to *mem; set the arrays. */
static void copy_words(lua_State *L, const char *name, size_t n, const char **ptr, size_t *lens,
                       char **mem) {
  lua_getfield(L, 1, name);
  for (size_t k = 0; k < n; k++) {
    size_t len;
    const char *w;
    lua_rawgeti(L, -1, (lua_Integer)k + 1);
    w = lua_tolstring(L, -1, &len);
    memcpy(*mem, w, len);
    ptr[k] = *mem;
    lens[k] = len;
    *mem += len;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* A word set field (nil allowed) as user value `uv` of the rules at -1. */
static const lode_wordset *set_field(lua_State *L, const char *name, int uv) {
  const lode_wordset *ws = NULL;
  lua_getfield(L, 1, name);
  if (!lua_isnil(L, -1)) {
    if (!luaL_testudata(L, -1, "lode.WordSet"))   /* lwordset.c's LODE_WORDSET */
      luaL_argerror(L, 1, lua_pushfstring(L, "%s must be a WordSet", name));
    ws = lode_checkwordset(L, lua_gettop(L));
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, -3, uv);
  }
  lua_pop(L, 1);
  return ws;
}

static int clause_rules(lua_State *L) {
  size_t bytes = 0, ns, nw, room;
  rules_ud *u;
  char *mem;
  const char **ptr;
  size_t *lens;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ns = count_words(L, "strong", &bytes);
  nw = count_words(L, "weak", &bytes);
  room = sizeof(rules_ud) + (ns + nw) * (sizeof(char *) + sizeof(size_t)) + bytes;
  u = lua_newuserdatauv(L, room, 2);
  memset(u, 0, sizeof *u);
  ptr = (const char **)(u + 1);
  lens = (size_t *)(ptr + ns + nw);
  mem = (char *)(lens + ns + nw);
  copy_words(L, "strong", ns, ptr, lens, &mem);
  copy_words(L, "weak", nw, ptr + ns, lens + ns, &mem);
  u->r.strong = ptr;
  u->r.strong_len = lens;
  u->r.nstrong = ns;
  u->r.weak = ptr + ns;
  u->r.weak_len = lens + ns;
  u->r.nweak = nw;
  u->r.openers = set_field(L, "openers", 1);
  u->r.trims = set_field(L, "trims", 2);
  luaL_setmetatable(L, LODE_CLAUSE_RULES);
  return 1;
}

static int r_subject(lua_State *L) {
  const rules_ud *u = luaL_checkudata(L, 1, LODE_CLAUSE_RULES);
  size_t len, a, b;
  const char *s = luaL_checklstring(L, 2, &len);
  char stackbuf[1024];
  /* the converted text: a sentence window fits the stack buffer */
  char *out = len <= sizeof stackbuf ? stackbuf : lua_newuserdatauv(L, len, 0);
  if (!lode_clause_subject(s, len, &u->r, out, &a, &b)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushlstring(L, out + a, b - a);
  lua_pushinteger(L, (lua_Integer)a + 1);
  return 2;
}

static int last_clause_at(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, (lua_Integer)lode_clause_last_start(s, len) + 1);
  return 1;
}

static const luaL_Reg rules_methods[] = {
  {"subject", r_subject},
  {NULL, NULL}
};

static const luaL_Reg clause_funcs[] = {
  {"clause_rules", clause_rules},
  {"last_clause_at", last_clause_at},
  {NULL, NULL}
};

void lode_open_clause(lua_State *L) {
  luaL_newmetatable(L, LODE_CLAUSE_RULES);
  luaL_newlib(L, rules_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_setfuncs(L, clause_funcs, 0);
}
