/*
 * lcore.c -- the lode.core module: gathers the per-module bindings.
 *
 * lode.core holds the C primitives; lua/lode/init.lua builds the friendly
 * `lode` API over them (as LPeg's re.lua does over lpeg).
 */
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "lbind.h"

int lode_raise(lua_State *L, const lode_error *err) {
  return luaL_error(L, "%s", err->msg[0] ? err->msg : lode_strerror(err->code));
}

int lode_fail(lua_State *L, const lode_error *err) {
  luaL_pushfail(L);
  lua_pushstring(L, err->msg[0] ? err->msg : lode_strerror(err->code));
  return 2;
}

void lode_pushspan(lua_State *L, const lode_text *t, size_t s, size_t e) {
  lua_createtable(L, 0, 3);
  lode_setspan(L, t, s, e);
}

void lode_setspan(lua_State *L, const lode_text *t, size_t s, size_t e) {
  lua_pushinteger(L, (lua_Integer)s + 1);
  lua_setfield(L, -2, "i");
  lua_pushinteger(L, (lua_Integer)e);
  lua_setfield(L, -2, "j");
  lua_pushinteger(L, (lua_Integer)lode_text_line_of(t, s));
  lua_setfield(L, -2, "line");
}

void *lode_testudata_at(lua_State *L, int arg, int mt) {
  void *u = lua_touserdata(L, arg);
  int same;
  mt = lua_absindex(L, mt);
  if (u == NULL || !lua_getmetatable(L, arg)) return NULL;
  same = lua_rawequal(L, -1, mt);
  lua_pop(L, 1);
  return same ? u : NULL;
}

/* The "box" (as in lstrlib.c): a userdata owning one malloc'ed block, freed
 * by __gc, so C memory survives a raising Lua call without leaking. */
static int box_gc(lua_State *L) {
  void **box = lua_touserdata(L, 1);
  free(*box);
  *box = NULL;
  return 0;
}

void **lode_newbox(lua_State *L) {
  void **box = lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  if (luaL_newmetatable(L, "lode.Box")) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return box;
}

void *lode_grow_boxed(lua_State *L, void ***box, void *v, size_t n, size_t *cap, size_t need,
                      size_t size) {
  size_t c = *cap;
  void *p;
  if (need <= c) return v;
  while (c < need) {
    if (c > ((size_t)-1 / 2) / size) luaL_error(L, "not enough memory");
    c *= 2;
  }
  if (!*box) *box = lode_newbox(L);   /* before the array it will own */
  if ((p = realloc(**box, c * size)) == NULL) luaL_error(L, "not enough memory");
  if (!**box) memcpy(p, v, n * size);
  **box = p;
  *cap = c;
  return p;
}

/* The array of needles at the stack's top and the count of numbers
 * pushed into it (see core_ascii_find_all). */
typedef struct found_list {
  lua_State *L;
  lua_Integer n;
} found_list;

static void push_found(void *ctx, size_t k, size_t at) {
  found_list *f = ctx;
  lua_pushinteger(f->L, (lua_Integer)k + 1);
  lua_rawseti(f->L, -2, ++f->n);
  lua_pushinteger(f->L, (lua_Integer)at + 1);
  lua_rawseti(f->L, -2, ++f->n);
}

/* lode.core.ascii_find_all(s, needles) -> flat array {k1, i1, k2, i2, ...}:
 * every place i (1-based) where needles[k] (non-empty strings) occurs in
 * s with A-Z read as a-z, as plain finds in string.lower(s) from each
 * place on see them: in order of i (at one place, in needle order),
 * overlapping ones too. One pass over s for a lowered copy and a find
 * loop per needle. */
#define FEW_NEEDLES 32
static int core_ascii_find_all(lua_State *L) {
  size_t len, n, k;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *few_needles[FEW_NEEDLES], **needles = few_needles;
  size_t few_lens[2 * FEW_NEEDLES], *lens = few_lens, *next;
  void **box;
  found_list f;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = lua_rawlen(L, 2);
  lua_settop(L, 2);
  if (n > ((size_t)-1 / 4) / sizeof *lens) return luaL_error(L, "ascii_find_all: too many needles");
  if (n > FEW_NEEDLES) {                  /* (a few on the stack: no boxes a page) */
    box = lode_newbox(L);                               /* [s, needles, box] */
    if ((*box = malloc(n * 2 * sizeof *lens)) == NULL) return luaL_error(L, "not enough memory");
    lens = *box;
    box = lode_newbox(L);                               /* [s, needles, box, box] */
    if ((*box = malloc(n * sizeof *needles)) == NULL) return luaL_error(L, "not enough memory");
    needles = *box;
  }
  next = lens + n;
  for (k = 0; k < n; k++) {
    /* the strings stay alive in the needles table */
    if (lua_rawgeti(L, 2, (lua_Integer)k + 1) != LUA_TSTRING)
      return luaL_error(L, "ascii_find_all: needle %d is not a string", (int)k + 1);
    needles[k] = lua_tolstring(L, -1, &lens[k]);
    if (lens[k] == 0) return luaL_error(L, "ascii_find_all: needle %d is empty", (int)k + 1);
    lua_pop(L, 1);
  }
  lua_newtable(L);
  f.L = L;
  f.n = 0;
  lode_ascii_find_all(s, len, needles, lens, n, next, push_found, &f);
  return 1;
}

int luaopen_lode_core(lua_State *L) {
  lua_newtable(L);
  lode_open_text(L);
  lode_open_normalize(L);
  lode_open_segment(L);
  lode_open_regex(L);
  lode_open_gazetteer(L);
  lode_open_files(L);
  lode_open_wordset(L);
  lode_open_record(L);
  lode_open_frontmatter(L);
  lode_open_format(L);
  lode_open_resolve(L);
  lode_open_copy(L);
  lode_open_coord(L);
  lode_open_role(L);
  lode_open_strtab(L);
  lode_open_clause(L);
  lode_open_capruns(L);
  lode_open_quotes(L);
  lode_open_trie(L);
  lode_open_placecue(L);
  lua_pushcfunction(L, core_ascii_find_all);
  lua_setfield(L, -2, "ascii_find_all");
  lua_pushliteral(L, LODE_VERSION);
  lua_setfield(L, -2, "version");
  return 1;
}
