/*
 * lcapruns.c -- runs of capitalised words from Lua (core/capruns.h).
 *
 * local m = lode.core.capruns(connectors, abbreviations, max_words, max_connectors)
 *   connectors, abbreviations: arrays of words (see core/capruns.h)
 * m:runs(s [, CI, CJ [, tab [, skip [, lo, hi [, scope]]]]]) -> I, J, ID, K:
 *   the runs of s in order, 1-based inclusive, as two columns, less those
 *   inside one of the ranges CI[q]..CJ[q] (sorted, disjoint), and with a
 *   scope (an array of spans {i = , j = }, sorted, disjoint) less those
 *   that touch none of its spans; with a lode.core.strtab `tab`, ID[k] is the id
 *   of run k's text there (added when new), and a true `skip` leaves out
 *   the runs whose text `tab` marks, but for those starting at byte
 *   lo..hi when given (ID nil without `tab`); with ranges, K[k] is the
 *   first range q ending at or after run k's start, #CI + 1 when none (K
 *   nil without ranges). CI may instead be a string of the ranges' pairs
 *   packed as native lua_Integers (string.pack("jj", CI[q], CJ[q]) in turn,
 *   as g:names gives its claims), CJ then nil: no API call per integer.
 *
 * The entity extractor reads every capitalised run of a document (a
 * regex pass cost more than the rest of its run loop): one C pass from
 * the text to the columns.
 */
#include <stdlib.h>
#include <string.h>

#include "capruns.h"
#include "lbind.h"
#include "strtab.h"

#define LODE_CAPRUNS "lode.CapRuns"

typedef struct capruns_ud {
  lode_capruns *c;
} capruns_ud;

/* The strings of the array at `arg` in a userdata of pointers, pushed
 * (they stay valid while the array holds them). */
static const char **string_array(lua_State *L, int arg, size_t *n) {
  const char **v;
  luaL_checktype(L, arg, LUA_TTABLE);
  *n = (size_t)lua_rawlen(L, arg);
  v = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *v, 0);
  for (size_t k = 0; k < *n; k++) {
    if (lua_rawgeti(L, arg, (lua_Integer)k + 1) != LUA_TSTRING)
      luaL_argerror(L, arg, "array of strings expected");
    v[k] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  return v;
}

static int cr_new(lua_State *L) {
  size_t nconn, nabbr;
  lua_Integer max_words = luaL_checkinteger(L, 3), max_conn = luaL_checkinteger(L, 4);
  const char **conn = string_array(L, 1, &nconn), **abbr = string_array(L, 2, &nabbr);
  lode_error err;
  capruns_ud *u;
  luaL_argcheck(L, max_words >= 1 && max_words <= 64, 3, "must be 1-64");
  luaL_argcheck(L, max_conn >= 0 && max_conn <= 16, 4, "must be 0-16");
  u = lua_newuserdatauv(L, sizeof *u, 0);
  u->c = NULL;
  luaL_setmetatable(L, LODE_CAPRUNS);
  u->c = lode_capruns_new(conn, nconn, abbr, nabbr, (int)max_words, (int)max_conn, &err);
  if (!u->c) return lode_raise(L, &err);
  return 1;
}

/* The integer column at `arg` into v[2 * k + off] (k = 0..n-1). */
static void read_column(lua_State *L, int arg, lua_Integer *v, lua_Integer n, int off) {
  for (lua_Integer k = 0; k < n; k++) {
    int ok = lua_rawgeti(L, arg, k + 1) == LUA_TNUMBER && lua_isinteger(L, -1);
    if (!ok) luaL_argerror(L, arg, "array of integers expected");
    v[2 * k + off] = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
}

/* Pairs in v[2 * k], v[2 * k + 1] (k = 0..*n-1): the columns at `arg` and
 * `arg + 1`, or with `fields` the fields i and j of the array of tables at
 * `arg`. Into buf (room for nbuf pairs) when they fit, else into a
 * userdata pushed: most pages have few. */
static lua_Integer *read_pairs(lua_State *L, int arg, int fields, lua_Integer *buf, lua_Integer nbuf,
                               lua_Integer *n) {
  lua_Integer *v = buf;
  luaL_checktype(L, arg, LUA_TTABLE);
  *n = (lua_Integer)lua_rawlen(L, arg);
  if (!fields) {
    luaL_checktype(L, arg + 1, LUA_TTABLE);
    luaL_argcheck(L, (lua_Integer)lua_rawlen(L, arg + 1) == *n, arg + 1, "as many ends as starts expected");
  }
  if (*n > nbuf) v = lua_newuserdatauv(L, (size_t)*n * 2 * sizeof *v, 0);
  if (!fields) {
    read_column(L, arg, v, *n, 0);
    read_column(L, arg + 1, v, *n, 1);
    return v;
  }
  for (lua_Integer k = 0; k < *n; k++) {
    int ok_i, ok_j;
    if (lua_rawgeti(L, arg, k + 1) != LUA_TTABLE) luaL_argerror(L, arg, "array of spans {i, j} expected");
    lua_getfield(L, -1, "i");
    lua_getfield(L, -2, "j");
    v[2 * k] = lua_tointegerx(L, -2, &ok_i);
    v[2 * k + 1] = lua_tointegerx(L, -1, &ok_j);
    if (!ok_i || !ok_j) luaL_argerror(L, arg, "array of spans {i, j} expected");
    lua_pop(L, 3);
  }
  return v;
}

/* The pairs packed in the string at `arg` (see m:runs), as read_pairs
 * gives them. */
static lua_Integer *read_packed(lua_State *L, int arg, lua_Integer *buf, lua_Integer nbuf, lua_Integer *n) {
  size_t len;
  const char *p = lua_tolstring(L, arg, &len);
  lua_Integer *v = buf;
  luaL_argcheck(L, len % (2 * sizeof *v) == 0, arg, "pairs of packed integers expected");
  luaL_argcheck(L, lua_isnoneornil(L, arg + 1), arg + 1, "nil expected after packed pairs");
  *n = (lua_Integer)(len / (2 * sizeof *v));
  if (*n > nbuf) v = lua_newuserdatauv(L, len, 0);
  if (len) memcpy(v, p, len);
  return v;
}

/* A run kept: I, J, ID, K (see m:runs). */
typedef lua_Integer kept_run[4];

/* Runs kept on the C stack before a heap array is needed: most pages. */
#define KEPT_ON_STACK 64

/* Column f of the n runs, at its final size. */
static void push_column(lua_State *L, kept_run *v, lua_Integer n, int f) {
  lua_createtable(L, n < 0x7fffffff ? (int)n : 0, 0);
  for (lua_Integer r = 0; r < n; r++) {
    lua_pushinteger(L, v[r][f]);
    lua_rawseti(L, -2, r + 1);
  }
}

static int cr_runs(lua_State *L) {
  capruns_ud *u = luaL_checkudata(L, 1, LODE_CAPRUNS);
  size_t len, pos = 0, a, b, cap = KEPT_ON_STACK;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer nr = 0, q = 0, n = 0, *ranges = NULL, ns = 0, sq = 0, jumped = -1, *scope = NULL;
  lode_strtab *tab = NULL;
  int skip = lua_toboolean(L, 6);
  lua_Integer lo = luaL_optinteger(L, 7, 1), hi = luaL_optinteger(L, 8, 0);
  kept_run on_stack[KEPT_ON_STACK], *v = on_stack;
  lua_Integer claims_on_stack[2 * 256], scope_on_stack[2 * 16];
  void **box = NULL;
  lode_error err;
  if (!u->c) luaL_argerror(L, 1, "matcher is freed");
  lua_settop(L, 9);
  if (!lua_isnil(L, 5)) tab = lode_checkstrtab(L, 5);
  if (lua_type(L, 3) == LUA_TSTRING) ranges = read_packed(L, 3, claims_on_stack, 256, &nr);
  else if (!lua_isnil(L, 3)) ranges = read_pairs(L, 3, 0, claims_on_stack, 256, &nr);
  if (!lua_isnil(L, 9)) scope = read_pairs(L, 9, 1, scope_on_stack, 16, &ns);
  /* the runs kept, then the columns made at their size */
  for (;;) {
    lua_Integer id = 0;
    if (scope) {
      /* the spans ending before pos are done (the runs found from pos on
       * start after them), and no run counts past the last; on reaching
       * a span, the scan skips to the start of its first line: a run
       * holds no line break, so a scan from a line's start finds there
       * the runs a scan from the text's start finds */
      while (sq < ns && scope[2 * sq + 1] < (lua_Integer)pos + 1) sq++;
      if (sq == ns) break;
      if (sq != jumped) {
        size_t at = scope[2 * sq] < 1 ? 0 : scope[2 * sq] - 1 > (lua_Integer)len ? len : (size_t)scope[2 * sq] - 1;
        while (at > pos && s[at - 1] != '\n') at--;
        if (at > pos) pos = at;
        jumped = sq;
      }
    }
    if (!lode_capruns_next(u->c, s, len, &pos, &a, &b)) break;
    if (scope) {
      /* (a run and the scope's spans come in order: a cursor) */
      while (sq < ns && scope[2 * sq + 1] < (lua_Integer)a + 1) sq++;
      if (sq == ns) break;
      if (scope[2 * sq] > (lua_Integer)b) continue;
    }
    if (ranges && lode_covered(ranges, nr, &q, (lua_Integer)a + 1, (lua_Integer)b)) continue;
    if (tab) {
      size_t got = lode_strtab_intern(tab, s + a, b - a, &err);
      if (got == 0) return lode_raise(L, &err);
      if (skip && lode_strtab_marked(tab, got) && !((lua_Integer)a + 1 >= lo && (lua_Integer)a + 1 <= hi))
        continue;
      id = (lua_Integer)got;
    }
    v = lode_grow_boxed(L, &box, v, (size_t)n, &cap, (size_t)n + 1, sizeof *v);
    v[n][0] = (lua_Integer)a + 1;
    v[n][1] = (lua_Integer)b;
    v[n][2] = id;
    v[n++][3] = q + 1;
  }
  push_column(L, v, n, 0);
  push_column(L, v, n, 1);
  if (tab) push_column(L, v, n, 2); else lua_pushnil(L);
  if (ranges) push_column(L, v, n, 3); else lua_pushnil(L);
  return 4;
}

static int cr_gc(lua_State *L) {
  capruns_ud *u = luaL_checkudata(L, 1, LODE_CAPRUNS);
  lode_capruns_free(u->c);
  u->c = NULL;
  return 0;
}

static const luaL_Reg cr_methods[] = {
  {"runs", cr_runs},
  {NULL, NULL}
};

void lode_open_capruns(lua_State *L) {
  luaL_newmetatable(L, LODE_CAPRUNS);    /* [M, meta] */
  lua_pushcfunction(L, cr_gc);
  lua_setfield(L, -2, "__gc");
  luaL_newlib(L, cr_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                          /* [M] */
  lua_pushcfunction(L, cr_new);
  lua_setfield(L, -2, "capruns");
}
