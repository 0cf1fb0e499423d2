/*
 * lcore.c -- the lode.core module: gathers the per-module bindings.
 *
 * lode.core holds the C primitives; lua/lode/init.lua builds the friendly
 * `lode` API over them (as LPeg's re.lua does over lpeg).
 */
#include <stdlib.h>

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

/* lode.core.ascii_lower(s): s with A-Z lowered, as string.lower in the C
 * locale, at memory speed (see ascii.h). */
static int core_ascii_lower(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  lode_ascii_lower(s, len, out);
  luaL_pushresultsize(&b, len);
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
  lode_open_quotes(L);
  lode_open_trie(L);
  lua_pushcfunction(L, core_ascii_lower);
  lua_setfield(L, -2, "ascii_lower");
  lua_pushliteral(L, LODE_VERSION);
  lua_setfield(L, -2, "version");
  return 1;
}
