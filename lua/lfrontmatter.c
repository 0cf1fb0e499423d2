/*
 * lfrontmatter.c -- doc:front_matter(): the YAML or TOML block at the start
 * of a Doc (core/frontmatter.h) as a Lua table.
 *
 * doc:front_matter() -> nil when there is none (plus a warning when a fence
 * opens a block that never closes), else
 *   {format = "yaml"|"toml", i, j, line_first, line_last, body,
 *    error = message|nil,
 *    fields = {[key] = {value = string | {strings}, i, j, line,
 *                       items = {{value, i, j, line}, ...} (lists only)}},
 *    keys = {key names in the order they first appear}}
 * Positions are 1-based inclusive bytes of the doc text (doc:sub(f) is the
 * value as written); `body` is the first byte after the block. A key given
 * twice keeps its last value. The table is computed once per Doc and shared
 * by later calls: read it, do not change it.
 */
#include "lbind.h"

#define LODE_FMBOX "lode.FrontMatterBox"

/* Owns a lode_frontmatter while the Lua table is built (which may raise). */
static int fmbox_gc(lua_State *L) {
  lode_frontmatter **box = luaL_checkudata(L, 1, LODE_FMBOX);
  lode_frontmatter_free(*box);
  *box = NULL;
  return 0;
}

/* Push {value, i, j, line} of an item; the list of a list field. */
static void push_item(lua_State *L, const lode_text *t, const lode_fm_item *it) {
  lode_pushspan(L, t, it->start, it->end);
  lua_pushlstring(L, it->value, it->value_len);
  lua_setfield(L, -2, "value");
}

static void push_field(lua_State *L, const lode_text *t, const lode_fm_field *f) {
  size_t k;
  lode_pushspan(L, t, f->start, f->end);          /* [field] */
  if (!f->is_list) {
    lua_pushlstring(L, f->items[0].value, f->items[0].value_len);
    lua_setfield(L, -2, "value");
    return;
  }
  lua_createtable(L, (int)f->nitems, 0);          /* [field, values] */
  lua_createtable(L, (int)f->nitems, 0);          /* [field, values, items] */
  for (k = 0; k < f->nitems; k++) {
    push_item(L, t, &f->items[k]);
    lua_getfield(L, -1, "value");
    lua_rawseti(L, -4, (lua_Integer)k + 1);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -3, "items");
  lua_setfield(L, -2, "value");
}

/* Push the result table for fm (of Doc text t). */
static void push_frontmatter(lua_State *L, const lode_text *t, const lode_frontmatter *fm) {
  const lode_fm_block *b = &fm->block;
  size_t k, nkeys = 0;
  lua_createtable(L, 0, 10);
  lua_pushstring(L, b->format == LODE_FM_YAML ? "yaml" : "toml");
  lua_setfield(L, -2, "format");
  lua_pushinteger(L, (lua_Integer)b->start + 1);
  lua_setfield(L, -2, "i");
  lua_pushinteger(L, (lua_Integer)b->end);
  lua_setfield(L, -2, "j");
  lua_pushinteger(L, (lua_Integer)lode_text_line_of(t, b->start));
  lua_setfield(L, -2, "line_first");
  lua_pushinteger(L, (lua_Integer)lode_text_line_of(t, b->end > b->start ? b->end - 1 : b->start));
  lua_setfield(L, -2, "line_last");
  lua_pushinteger(L, (lua_Integer)b->body + 1);
  lua_setfield(L, -2, "body");
  if (fm->problem.code != LODE_OK) {
    lua_pushstring(L, fm->problem.msg);
    lua_setfield(L, -2, "error");
  }
  lua_newtable(L);                                /* [fm, fields] */
  lua_newtable(L);                                /* [fm, fields, keys] */
  for (k = 0; k < fm->nfields; k++) {
    const lode_fm_field *f = &fm->fields[k];
    if (!f->is_list && f->nitems == 0) continue;
    lua_pushlstring(L, f->key, f->key_len);       /* [fm, fields, keys, key] */
    if (lua_rawget(L, -3) == LUA_TNIL) {
      lua_pushlstring(L, f->key, f->key_len);
      lua_rawseti(L, -3, (lua_Integer)++nkeys);
    }
    lua_pop(L, 1);
    lua_pushlstring(L, f->key, f->key_len);
    push_field(L, t, f);                          /* [fm, fields, keys, key, field] */
    lua_rawset(L, -4);
  }
  lua_setfield(L, -3, "keys");
  lua_setfield(L, -2, "fields");
}

/* doc:front_matter() -> table | nil [, warning]; upvalue 1 is the cache,
 * a table with weak keys: Doc -> table, false (none) or a warning. */
static int d_front_matter(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lode_frontmatter **box;
  lode_fm_block blk;
  lode_error err;
  size_t len;
  const char *s;
  lua_settop(L, 1);
  lua_pushvalue(L, 1);
  switch (lua_rawget(L, lua_upvalueindex(1))) {  /* [doc, cached] */
    case LUA_TTABLE: return 1;
    case LUA_TBOOLEAN: lua_pushnil(L); return 1;
    case LUA_TSTRING: lua_pushnil(L); lua_insert(L, -2); return 2;
    default: lua_pop(L, 1);
  }
  s = lode_text_bytes(d->text, &len);
  /* most documents open with no fence: said without the box and the
   * reader's allocations (every page asks, the cleaner first) */
  if (lode_fm_split(s, len, &blk) == LODE_FM_NONE && blk.unclosed == LODE_NOPOS) {
    lua_pushvalue(L, 1);
    lua_pushboolean(L, 0);
    lua_rawset(L, lua_upvalueindex(1));
    lua_pushnil(L);
    return 1;
  }
  box = lua_newuserdatauv(L, sizeof *box, 0);    /* [doc, box] */
  *box = NULL;
  luaL_setmetatable(L, LODE_FMBOX);
  if ((*box = lode_fm_read(lode_text_name(d->text), s, len, &err)) == NULL)
    return lode_raise(L, &err);
  if ((*box)->block.format != LODE_FM_NONE) push_frontmatter(L, d->text, *box);
  else if ((*box)->problem.code != LODE_OK) lua_pushstring(L, (*box)->problem.msg);
  else lua_pushboolean(L, 0);                     /* [doc, box, result] */
  lode_frontmatter_free(*box);
  *box = NULL;
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, lua_upvalueindex(1));
  return d_front_matter(L);
}

void lode_open_frontmatter(lua_State *L) {
  luaL_newmetatable(L, LODE_FMBOX);               /* [M, meta] */
  lua_pushcfunction(L, fmbox_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_getfield(L, -1, "Doc");                     /* [M, Doc methods] */
  lua_newtable(L);                                /* [M, Doc, cache] */
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, d_front_matter, 1);
  lua_setfield(L, -2, "front_matter");
  lua_pop(L, 1);                                  /* [M] */
}
