/*
 * lnormalize.c -- normalized Views of a Doc, and lode.normalize(s) for strings.
 *
 * local v = doc:normalize{form = "NFKC", casefold = true, fold = "typography",
 *                         strip_marks = false, controls = true, collapse = true}
 * v:text(), #v, v:origin(i, j) -> i0, j0 (1-based inclusive, in the Doc),
 * v:doc(). User value 1 of a View is its Doc; 2 caches the text string.
 */
#include <string.h>

#include "lbind.h"

static int opt_bool(lua_State *L, int arg, const char *k) {
  int v;
  lua_getfield(L, arg, k);
  v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

void lode_checknormopts(lua_State *L, int arg, lode_norm_opts *o) {
  static const char *const forms[] = {"none", "NFC", "NFKC", NULL};
  o->form = LODE_FORM_NFC;
  o->flags = 0;
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "form");
  if (!lua_isnil(L, -1)) {
    const char *f = lua_tostring(L, -1);
    int k;
    for (k = 0; forms[k] && (!f || strcmp(f, forms[k]) != 0); k++) {}
    if (!forms[k]) luaL_argerror(L, arg, "form must be \"NFC\", \"NFKC\" or \"none\"");
    o->form = (lode_form)k;
  }
  lua_pop(L, 1);
  lua_getfield(L, arg, "fold");
  if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "typography") != 0)
    luaL_argerror(L, arg, "fold must be \"typography\"");
  if (lua_toboolean(L, -1)) o->flags |= LODE_NORM_TYPOGRAPHY;
  lua_pop(L, 1);
  if (opt_bool(L, arg, "casefold")) o->flags |= LODE_NORM_CASEFOLD;
  if (opt_bool(L, arg, "strip_marks")) o->flags |= LODE_NORM_STRIP_MARKS;
  if (opt_bool(L, arg, "controls")) o->flags |= LODE_NORM_CONTROLS;
  if (opt_bool(L, arg, "collapse")) o->flags |= LODE_NORM_COLLAPSE;
}

lode_view_ud *lode_checkview(lua_State *L, int arg) {
  lode_view_ud *v = luaL_checkudata(L, arg, LODE_VIEW);
  if (!v->view) luaL_argerror(L, arg, "view is closed");
  return v;
}

/* lode_checkview for self in the methods of view_methods, which hold the
 * View metatable as upvalue 1: compared there, without luaL_checkudata's
 * lookup by name (v:origin is asked for every match found in a view). */
static lode_view_ud *self_view(lua_State *L) {
  lode_view_ud *v = lode_testudata_at(L, 1, lua_upvalueindex(1));
  if (v == NULL) return lode_checkview(L, 1);   /* raises its error */
  if (!v->view) luaL_argerror(L, 1, "view is closed");
  return v;
}

void lode_pushview(lua_State *L, int docidx, const lode_norm_opts *opts) {
  lode_doc_ud *d = lode_checkdoc(L, docidx);
  lode_view_ud *v;
  lode_error err;
  size_t len;
  const char *s = lode_text_bytes(d->text, &len);
  docidx = lua_absindex(L, docidx);
  v = lua_newuserdatauv(L, sizeof *v, 2);
  v->view = NULL;
  v->opts = *opts;
  luaL_setmetatable(L, LODE_VIEW);   /* [view] -- before owning the C view */
  lua_pushvalue(L, docidx);
  lua_setiuservalue(L, -2, 1);
  v->view = lode_normalize(s, len, opts, &err);
  if (!v->view) lode_raise(L, &err);
}

/* doc:normalize([opts]) -> View */
static int d_normalize(lua_State *L) {
  lode_norm_opts o;
  lode_checkdoc(L, 1);
  lode_checknormopts(L, 2, &o);
  lode_pushview(L, 1, &o);
  return 1;
}

/* lode.normalize(s [, opts]) -> normalized string (no offset map) */
static int n_normalize(lua_State *L) {
  size_t len, out_len;
  const char *s = luaL_checklstring(L, 1, &len);
  lode_norm_opts o;
  lode_error err;
  void **box;
  lode_checknormopts(L, 2, &o);
  box = lode_newbox(L);
  *box = lode_normalize_string(s, len, &o, &out_len, &err);
  if (!*box) return lode_raise(L, &err);
  lua_pushlstring(L, *box, out_len);
  return 1;
}

static int v_text(lua_State *L) {
  lode_view_ud *v = self_view(L);
  if (lua_getiuservalue(L, 1, 2) != LUA_TSTRING) {
    size_t len;
    const char *s = lode_view_bytes(v->view, &len);
    lua_pop(L, 1);
    lua_pushlstring(L, s, len);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, 2);
  }
  return 1;
}

static int v_len(lua_State *L) {
  size_t len;
  lode_view_bytes(lode_checkview(L, 1)->view, &len);
  lua_pushinteger(L, (lua_Integer)len);
  return 1;
}

/* v:origin(i [, j]) -> i0, j0: the original bytes view[i..j] came from.
 * j defaults to i; an empty range (j = i - 1) maps to an empty range. Like
 * every position in lode, one inside a character is rounded up to the next
 * character start (i by itself, j as the exclusive end j + 1): whole
 * characters of the original are cited. */
static int v_origin(lua_State *L) {
  lode_view_ud *v = self_view(L);
  size_t len, oi, oj;
  lua_Integer i = luaL_checkinteger(L, 2);
  lua_Integer j = luaL_optinteger(L, 3, i);
  lode_view_bytes(v->view, &len);
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 2, "position out of range");
  luaL_argcheck(L, j >= i - 1 && j <= (lua_Integer)len, 3, "position out of range");
  lode_view_origin(v->view, (size_t)i - 1, (size_t)j, &oi, &oj);
  lua_pushinteger(L, (lua_Integer)oi + 1);
  lua_pushinteger(L, (lua_Integer)oj);
  return 2;
}

static int v_doc(lua_State *L) {
  self_view(L);
  lua_getiuservalue(L, 1, 1);
  return 1;
}

static int v_close(lua_State *L) {
  lode_view_ud *v = luaL_checkudata(L, 1, LODE_VIEW);
  lode_view_free(v->view);
  v->view = NULL;
  return 0;
}

static int v_tostring(lua_State *L) {
  lode_view_ud *v = luaL_checkudata(L, 1, LODE_VIEW);
  size_t len = 0;
  if (v->view) lode_view_bytes(v->view, &len);
  lua_pushfstring(L, "lode.View (%I bytes%s)", (lua_Integer)len, v->view ? "" : ", closed");
  return 1;
}

static const luaL_Reg view_methods[] = {
  {"text", v_text}, {"origin", v_origin}, {"doc", v_doc}, {"close", v_close},
  {NULL, NULL}
};

static const luaL_Reg view_meta[] = {
  {"__len", v_len}, {"__gc", v_close}, {"__close", v_close},
  {"__tostring", v_tostring}, {NULL, NULL}
};

void lode_open_normalize(lua_State *L) {
  luaL_newmetatable(L, LODE_VIEW);        /* [M, meta] */
  luaL_setfuncs(L, view_meta, 0);
  luaL_newlibtable(L, view_methods);      /* [M, meta, methods] */
  lua_pushvalue(L, -2);                    /* the methods' upvalue: see self_view */
  luaL_setfuncs(L, view_methods, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "View");            /* M.View = methods */
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                           /* [M] */
  lua_getfield(L, -1, "Doc");
  lua_pushcfunction(L, d_normalize);
  lua_setfield(L, -2, "normalize");
  lua_pop(L, 1);
  lua_pushcfunction(L, n_normalize);
  lua_setfield(L, -2, "normalize");
}
