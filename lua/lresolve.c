/*
 * lresolve.c -- leftmost-longest resolution of candidate spans from Lua.
 *
 * lode.core.resolve(cands [, claimed [, accept]]) -> kept
 *   cands: array of tables {i, j [, prio]} (1-based inclusive bytes, prio
 *   an integer, default 0); claimed: nil or an array of {i, j} (any order,
 *   overlapping or not) no candidate may overlap. Walks the candidates
 *   leftmost-longest (then lower prio, then earlier in `cands`) and keeps
 *   each one that starts after the last one kept and overlaps no claim;
 *   with `accept`, only when accept(c) returns true (a rejected candidate
 *   leaves its bytes to the next ones). kept: a new array of the kept
 *   tables, in document order.
 * lode.core.resolve_sort(list) -> list, sorted in place in that order.
 *
 * The machinery every extractor needs (core/resolve.h), so that their rule
 * modules hold only rules.
 */
#include <stdlib.h>

#include "lbind.h"

/* Read list[k].i, .j, .prio into s (C offsets); raise for a bad entry. */
static void read_span(lua_State *L, int list, lua_Integer k, lode_cand *s, const char *what) {
  lua_Integer i, j, prio = 0;
  int ok_i, ok_j, ok_p = 1;
  if (lua_rawgeti(L, list, k) != LUA_TTABLE)                      /* [.., t] */
    luaL_error(L, "%s %d is not a table", what, (int)k);
  lua_getfield(L, -1, "i");
  lua_getfield(L, -2, "j");
  lua_getfield(L, -3, "prio");                                    /* [.., t, i, j, prio] */
  i = lua_tointegerx(L, -3, &ok_i);
  j = lua_tointegerx(L, -2, &ok_j);
  if (!lua_isnil(L, -1)) prio = lua_tointegerx(L, -1, &ok_p);
  if (!ok_i || !ok_j || !ok_p || i < 1 || j < i - 1)
    luaL_error(L, "%s %d: i, j must be integers with 1 <= i <= j + 1 (and prio an integer)",
               what, (int)k);
  lua_pop(L, 4);
  s->start = (size_t)i - 1;
  s->end = (size_t)j;
  s->prio = (long)prio;
  s->id = (size_t)k;
}

/* An array of n spans read from the table at `list`, then n more as
 * scratch for sorting when `scratch` is set, in a box on the stack (freed
 * by __gc, should a later call raise). */
static lode_cand *read_spans(lua_State *L, int list, size_t n, int scratch, const char *what) {
  void **box = lode_newbox(L);                                    /* [.., box] */
  size_t room = scratch ? 2 * n : n;
  lode_cand *s = n <= ((size_t)-1 / 2) / sizeof *s ? malloc((room ? room : 1) * sizeof *s) : NULL;
  if (!s) luaL_error(L, "not enough memory");
  *box = s;
  for (size_t k = 0; k < n; k++) read_span(L, list, (lua_Integer)k + 1, &s[k], what);
  return s;
}

static int resolve(lua_State *L) {
  size_t n, nclaimed = 0;
  lode_cand *cand, *claimed = NULL;
  const lode_cand *s;
  lode_resolve_walk w;
  lua_Integer kept = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TFUNCTION);
  lua_settop(L, 3);                               /* [cands, claimed, accept] */
  n = lua_rawlen(L, 1);
  cand = read_spans(L, 1, n, 1, "candidate");     /* [cands, claimed, accept, box] */
  if (lua_istable(L, 2)) {
    nclaimed = lua_rawlen(L, 2);
    claimed = read_spans(L, 2, nclaimed, 0, "claimed span");   /* [.., box, box] */
    nclaimed = lode_resolve_union(claimed, nclaimed);
  } else {
    lua_pushnil(L);                               /* keep the stack shape */
  }
  lode_resolve_sort_runs(cand, n, cand + n);      /* a list per rule, each in order */
  lua_newtable(L);                                /* [cands, claimed, accept, box, box|nil, kept] */
  lode_resolve_walk_init(&w, cand, n, claimed, nclaimed);
  while ((s = lode_resolve_next(&w)) != NULL) {
    lua_rawgeti(L, 1, (lua_Integer)s->id);        /* [.., kept, c] */
    if (!lua_isnil(L, 3)) {
      int take;
      lua_pushvalue(L, 3);
      lua_pushvalue(L, -2);                       /* [.., kept, c, accept, c] */
      lua_call(L, 1, 1);                          /* [.., kept, c, taken] */
      take = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (!take) { lua_pop(L, 1); continue; }
    }
    lode_resolve_take(&w, s);
    lua_rawseti(L, -2, ++kept);                   /* [.., kept] */
  }
  return 1;
}

static int resolve_sort(lua_State *L) {
  size_t n;
  lode_cand *s;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  n = lua_rawlen(L, 1);
  s = read_spans(L, 1, n, 1, "span");             /* [list, box] */
  lode_resolve_sort_runs(s, n, s + n);
  lua_createtable(L, (int)n, 0);                  /* [list, box, sorted] */
  for (size_t k = 0; k < n; k++) {
    lua_rawgeti(L, 1, (lua_Integer)s[k].id);
    lua_rawseti(L, 3, (lua_Integer)k + 1);
  }
  for (size_t k = 1; k <= n; k++) {
    lua_rawgeti(L, 3, (lua_Integer)k);
    lua_rawseti(L, 1, (lua_Integer)k);
  }
  lua_settop(L, 1);
  return 1;
}

static const luaL_Reg resolve_funcs[] = {
  {"resolve", resolve},
  {"resolve_sort", resolve_sort},
  {NULL, NULL}
};

void lode_open_resolve(lua_State *L) {
  luaL_setfuncs(L, resolve_funcs, 0);
}
