/*
 * ltext.c -- Doc objects: a loaded lode_text seen from Lua.
 *
 * doc.name, doc.path, #doc, doc:text(), doc:line(n), doc:lines(),
 * doc:line_count(), doc:line_of(i), doc:line_span(n), doc:sub(span|i, j),
 * doc:trimmed_lines(), doc:encoding() (which encoding the file was read in,
 * and why), doc:close(); doc.format, doc.row, doc.section
 * (lformat.c has the methods of converted documents). Positions are
 * 1-based inclusive bytes of the doc's text.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lbind.h"
#include "utf8.h"

/* user values of a Doc: see lbind.h */

/* The Doc metatable is also kept in the registry under this address:
 * every method call checks its doc, and a lookup by light userdata costs
 * a third of luaL_checkudata's by name (a string interned, then looked up). */
static const char doc_meta_key = 0;

lode_doc_ud *lode_checkdoc(lua_State *L, int arg) {
  lode_doc_ud *d = lua_touserdata(L, arg);
  int is_doc = 0;
  if (d && lua_getmetatable(L, arg)) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &doc_meta_key);
    is_doc = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  if (!is_doc) d = luaL_checkudata(L, arg, LODE_DOC);   /* raises its error */
  if (!d->text) luaL_argerror(L, arg, "document is closed");
  return d;
}

/* lode_checkdoc for the methods of doc_methods, which hold the Doc
 * metatable as upvalue 1: compared there, without the registry (doc:line_of
 * and doc:line_span are asked for every candidate some extractors keep). */
static lode_doc_ud *self_doc(lua_State *L) {
  lode_doc_ud *d = lua_touserdata(L, 1);
  int is_doc = d && lua_getmetatable(L, 1);
  if (is_doc) {
    is_doc = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
  }
  if (!is_doc) return lode_checkdoc(L, 1);   /* raises its error */
  if (!d->text) luaL_argerror(L, 1, "document is closed");
  return d;
}

lode_doc_ud *lode_newdoc(lua_State *L) {
  lode_doc_ud *d = lua_newuserdatauv(L, sizeof *d, 4);
  d->text = NULL;
  d->map = NULL;
  d->html = NULL;
  d->format = LODE_FORMAT_TEXT;
  luaL_setmetatable(L, LODE_DOC);  /* [doc] -- before any text is owned */
  return d;
}

void lode_pushdoctext(lua_State *L, int docidx) {
  lode_doc_ud *d = lode_checkdoc(L, docidx);
  if (lua_getiuservalue(L, docidx, 1) != LUA_TSTRING) {
    size_t len;
    const char *s = lode_text_bytes(d->text, &len);
    lua_pop(L, 1);
    lua_pushlstring(L, s, len);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, docidx, 1);
  }
}

void lode_pushdocid(lua_State *L, int docidx) {
  lode_doc_ud *d = lode_checkdoc(L, docidx);
  if (lua_getiuservalue(L, docidx, 4) != LUA_TSTRING) {
    char *id = lode_names_of(NULL, 0, lode_text_name(d->text));
    lua_pop(L, 1);
    if (!id) luaL_error(L, "out of memory");
    lua_pushstring(L, id);
    free(id);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, docidx < 0 ? docidx - 2 : docidx, 4);   /* asked per record */
  }
}

/* opts.encoding (an iconv name, or "auto") into *o, its bytes in
 * enc[LODE_ENCODING_NAME_MAX]: an unknown name is misuse. */
static void read_encoding(lua_State *L, int arg, lode_load_opts *o, char *enc) {
  const char *v;
  if (lua_getfield(L, arg, "encoding") != LUA_TNIL) {
    if (!(v = lua_tostring(L, -1)))
      luaL_argerror(L, arg, "encoding must be a string");
    if (strlen(v) >= LODE_ENCODING_NAME_MAX ||
        (strcmp(v, "auto") != 0 && !lode_encoding_known(v)))
      luaL_argerror(L, arg, lua_pushfstring(L, "unknown encoding \"%s\"", v));
    strcpy(enc, v);
    o->encoding = enc;
  }
  lua_pop(L, 1);
}

/* opts.invalid and opts.encoding into *o, opts.format into *format ("auto"
 * when absent). */
static void read_load_opts(lua_State *L, int arg, lode_load_opts *o, lode_format *format,
                           char *enc) {
  static const char *const names[] = {"error", "replace", "latin1", "cp1252", NULL};
  o->invalid = LODE_INVALID_ERROR;
  o->encoding = NULL;
  *format = LODE_FORMAT_AUTO;
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "invalid");
  if (!lua_isnil(L, -1)) {
    const char *v = lua_tostring(L, -1);
    int k;
    for (k = 0; names[k] && (!v || strcmp(v, names[k]) != 0); k++) {}
    if (!names[k])
      luaL_argerror(L, arg, "invalid must be \"error\", \"replace\", \"latin1\" or \"cp1252\"");
    o->invalid = (lode_invalid_policy)k;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, arg, "format") != LUA_TNIL) {
    int f = lode_format_parse(lua_tostring(L, -1));
    if (f < 0)
      luaL_argerror(L, arg, "format must be \"auto\", \"text\", \"markdown\", \"html\", "
                    "\"jsonl\" or \"csv\"");
    *format = (lode_format)f;
  }
  lua_pop(L, 1);
  read_encoding(L, arg, o, enc);
}

/* lode.load(path [, opts]) -> doc | nil, message; opts.id: doc.id */
static int t_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lode_load_opts o;
  lode_format format;
  lode_error err;
  lode_doc_ud *d;
  char enc[LODE_ENCODING_NAME_MAX];
  read_load_opts(L, 2, &o, &format, enc);
  d = lode_newdoc(L);
  if ((d->text = lode_text_load(path, &o, &err)) == NULL ||
      lode_doc_set_format(d, format, &err) < 0)
    return lode_fail(L, &err);
  lua_pushstring(L, path);
  lua_setiuservalue(L, -2, 2);
  if (lua_istable(L, 2)) {
    if (lua_getfield(L, 2, "id") == LUA_TNIL) lua_pop(L, 1);
    else {
      luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 2, "opts.id must be a string");
      lua_setiuservalue(L, -2, 4);
    }
  }
  return 1;
}

/* lode.from_string(s [, opts]) -> doc | nil, message; opts.name names it. */
static int t_from_string(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *name = NULL;
  lode_load_opts o;
  lode_format format;
  lode_error err;
  lode_doc_ud *d;
  char enc[LODE_ENCODING_NAME_MAX];
  read_load_opts(L, 2, &o, &format, enc);
  if (lua_istable(L, 2)) {
    if (lua_getfield(L, 2, "name") != LUA_TNIL && !lua_isstring(L, -1))
      luaL_argerror(L, 2, "opts.name: string expected");
    name = lua_tostring(L, -1);  /* stays on the stack, so stays alive */
  }
  d = lode_newdoc(L);
  if ((d->text = lode_text_from_memory(name, s, len, &o, &err)) == NULL ||
      lode_doc_set_format(d, format, &err) < 0)
    return lode_fail(L, &err);
  return 1;
}

static int d_text(lua_State *L) {
  lode_pushdoctext(L, 1);
  return 1;
}

static int d_len(lua_State *L) {
  size_t len;
  lode_text_bytes(lode_checkdoc(L, 1)->text, &len);
  lua_pushinteger(L, (lua_Integer)len);
  return 1;
}

static size_t check_line(lua_State *L, const lode_text *t, int arg) {
  lua_Integer n = luaL_checkinteger(L, arg);
  lua_Integer count = (lua_Integer)lode_text_line_count(t);
  luaL_argcheck(L, n >= 1 && n <= count, arg, "line out of range");
  return (size_t)n;
}

/* doc:line(n) -> the text of line n, without its line break */
static int d_line(lua_State *L) {
  lode_doc_ud *d = self_doc(L);
  size_t s, e, len;
  const char *b = lode_text_bytes(d->text, &len);
  lode_text_line_span(d->text, check_line(L, d->text, 2), &s, &e);
  lua_pushlstring(L, b + s, e - s);
  return 1;
}

/* doc:line_span(n) -> i, j of line n (j = i - 1 for an empty line) */
static int d_line_span(lua_State *L) {
  lode_doc_ud *d = self_doc(L);
  size_t s, e;
  lode_text_line_span(d->text, check_line(L, d->text, 2), &s, &e);
  lua_pushinteger(L, (lua_Integer)s + 1);
  lua_pushinteger(L, (lua_Integer)e);
  return 2;
}

static int d_line_count(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lode_text_line_count(self_doc(L)->text));
  return 1;
}

/* doc:line_of(i) -> the line holding byte i */
static int d_line_of(lua_State *L) {
  lode_doc_ud *d = self_doc(L);
  size_t len;
  lua_Integer i = luaL_checkinteger(L, 2);
  lode_text_bytes(d->text, &len);
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 2, "position out of range");
  lua_pushinteger(L, (lua_Integer)lode_text_line_of(d->text, (size_t)(i - 1)));
  return 1;
}

static int lines_iter(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, lua_upvalueindex(1));
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(2)) + 1;
  size_t s, e, len;
  const char *b = lode_text_bytes(d->text, &len);
  if (n > (lua_Integer)lode_text_line_count(d->text)) return 0;
  lode_text_line_span(d->text, (size_t)n, &s, &e);
  lua_pushinteger(L, n);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlstring(L, b + s, e - s);
  lua_pushinteger(L, n);
  return 2;
}

/* for line, n in doc:lines() do ... end */
static int d_lines(lua_State *L) {
  self_doc(L);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, lines_iter, 2);
  return 1;
}

/* Push s[0..len) with its no-break spaces as spaces (see core/text.h). */
static void push_folded(lua_State *L, const char *s, size_t len) {
  luaL_Buffer buf;
  char *out = luaL_buffinitsize(L, &buf, len);
  luaL_pushresultsize(&buf, lode_text_fold_nbsp(s, len, out));
}

/* doc:trimmed_lines() -> texts, starts, ends: arrays over the lines, texts[k]
 * the text of line k with no-break spaces as spaces and no white space at
 * either end (what line:gsub("\194\160", " "):match("^%s*(.-)%s*$") gives),
 * starts[k], ends[k] its line_span(k). One call instead of a Lua loop that
 * copies and trims every line. */
static int d_trimmed_lines(lua_State *L) {
  lode_doc_ud *d = self_doc(L);
  size_t len, k, n = lode_text_line_count(d->text);
  const char *b = lode_text_bytes(d->text, &len);
  int nn = n > INT_MAX ? INT_MAX : (int)n;
  lua_createtable(L, nn, 0);                  /* [doc, texts] */
  lua_createtable(L, nn, 0);                  /* [doc, texts, starts] */
  lua_createtable(L, nn, 0);                  /* [doc, texts, starts, ends] */
  for (k = 1; k <= n; k++) {
    size_t s, e, a, z;
    lode_text_line_span(d->text, k, &s, &e);
    if (lode_text_trim(b + s, e - s, &a, &z)) push_folded(L, b + s + a, z - a);
    else lua_pushlstring(L, b + s + a, z - a);
    lua_rawseti(L, -4, (lua_Integer)k);
    lua_pushinteger(L, (lua_Integer)s + 1);
    lua_rawseti(L, -3, (lua_Integer)k);
    lua_pushinteger(L, (lua_Integer)e);
    lua_rawseti(L, -2, (lua_Integer)k);
  }
  return 3;
}

/* string.sub's rule for a position: negatives count from the end. */
static lua_Integer sub_pos(lua_Integer pos, size_t len) {
  if (pos >= 0) return pos;
  if (pos < -(lua_Integer)len) return 0;     /* not -pos: mininteger */
  return (lua_Integer)len + pos + 1;
}

static lua_Integer span_field(lua_State *L, int arg, const char *k) {
  lua_Integer v;
  int isnum;
  lua_getfield(L, arg, k);
  v = lua_tointegerx(L, -1, &isnum);
  if (!isnum) luaL_argerror(L, arg, lua_pushfstring(L, "span without integer field '%s'", k));
  lua_pop(L, 1);
  return v;
}

/* doc:sub(span) or doc:sub(i [, j]) -> original text, string.sub semantics */
static int d_sub(lua_State *L) {
  lode_doc_ud *d = self_doc(L);
  size_t len;
  const char *b = lode_text_bytes(d->text, &len);
  lua_Integer i, j;
  if (lua_istable(L, 2)) {
    i = span_field(L, 2, "i");
    j = span_field(L, 2, "j");
  } else {
    i = luaL_checkinteger(L, 2);
    j = luaL_optinteger(L, 3, -1);
  }
  i = sub_pos(i, len);
  j = sub_pos(j, len);
  if (i < 1) i = 1;
  if (j > (lua_Integer)len) j = (lua_Integer)len;
  if (i > j) lua_pushliteral(L, "");
  else lua_pushlstring(L, b + i - 1, (size_t)(j - i + 1));
  return 1;
}

/* window(text, i [, j]) -> text:sub(i, j) without the characters it cuts
 * at either end (lode.extract.window) */
static int t_window(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = sub_pos(luaL_checkinteger(L, 2), len);
  lua_Integer j = sub_pos(luaL_optinteger(L, 3, -1), len);
  if (i < 1) i = 1;
  if (j > (lua_Integer)len) j = (lua_Integer)len;
  if (i > j) {
    lua_pushliteral(L, "");
    return 1;
  }
  size_t a = (size_t)i - 1, b = (size_t)j;
  lode_utf8_narrow(s, len, &a, &b);
  lua_pushlstring(L, s + a, b - a);
  return 1;
}

/* doc:encoding() -> how the file was decoded (for a converted doc, its
 * file: the text itself is always UTF-8) */
static int d_encoding(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const lode_encoding_report *r = d->map ? &d->source : lode_text_encoding(d->text);
  lua_createtable(L, 0, 5);
  lua_pushstring(L, r->encoding);
  lua_setfield(L, -2, "encoding");
  lua_pushstring(L, r->reason);
  lua_setfield(L, -2, "reason");
  lua_pushboolean(L, r->bom);
  lua_setfield(L, -2, "bom");
  lua_pushinteger(L, (lua_Integer)r->replaced);
  lua_setfield(L, -2, "replaced");
  lua_pushinteger(L, (lua_Integer)r->source_bytes);
  lua_setfield(L, -2, "source_bytes");
  return 1;
}

static int d_close(lua_State *L) {
  lode_doc_ud *d = luaL_checkudata(L, 1, LODE_DOC);
  lode_text_free(d->text);
  d->text = NULL;
  lode_filemap_free(d->map);
  d->map = NULL;
  if (d->html) lode_html_release(d->html);
  free(d->html);
  d->html = NULL;
  return 0;
}

static int d_tostring(lua_State *L) {
  lode_doc_ud *d = luaL_checkudata(L, 1, LODE_DOC);
  if (!d->text) lua_pushliteral(L, "lode.Doc (closed)");
  else {
    size_t len;
    lode_text_bytes(d->text, &len);
    lua_pushfstring(L, "lode.Doc (%s, %I bytes)", lode_text_name(d->text), (lua_Integer)len);
  }
  return 1;
}

/* doc.name, doc.id and doc.path are fields; everything else comes from the methods
 * table, which lode/init.lua extends with the pure-Lua methods. */
/* Whether key k[0, len) names one of d_index's fields rather than a
 * method: compared by length first, as most keys are methods. */
static int is_field(const char *k, size_t len) {
  switch (len) {
  case 2: return memcmp(k, "id", 2) == 0;
  case 3: return memcmp(k, "row", 3) == 0;
  case 4: return memcmp(k, "name", 4) == 0 || memcmp(k, "path", 4) == 0;
  case 6: return memcmp(k, "format", 6) == 0;
  case 7: return memcmp(k, "section", 7) == 0;
  default: return 0;
  }
}

static int d_index(lua_State *L) {
  size_t len;
  const char *k = lua_tolstring(L, 2, &len);
  if (k && !is_field(k, len)) {     /* a method: the key string itself looked up */
    lua_settop(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
  }
  if (k && strcmp(k, "name") == 0) {
    const char *name = lode_text_name(lode_checkdoc(L, 1)->text);
    const char *slash = strrchr(name, '/');
    lua_pushstring(L, slash ? slash + 1 : name);
    return 1;
  }
  if (k && strcmp(k, "id") == 0) {
    lode_pushdocid(L, 1);
    return 1;
  }
  if (k && strcmp(k, "path") == 0) {
    lua_getiuservalue(L, 1, 2);
    return 1;
  }
  if (k && strcmp(k, "format") == 0) {
    lua_pushstring(L, lode_format_name(lode_checkdoc(L, 1)->format));
    return 1;
  }
  if (k && (strcmp(k, "row") == 0 || strcmp(k, "section") == 0)) {
    if (lua_getiuservalue(L, 1, 3) == LUA_TTABLE) lua_getfield(L, -1, k);
    else lua_pushnil(L);
    return 1;
  }
  lua_getfield(L, lua_upvalueindex(1), k ? k : "");
  return 1;
}

static const luaL_Reg doc_methods[] = {
  {"text", d_text}, {"line", d_line}, {"lines", d_lines},
  {"line_count", d_line_count}, {"line_of", d_line_of},
  {"line_span", d_line_span}, {"trimmed_lines", d_trimmed_lines}, {"sub", d_sub}, {"encoding", d_encoding},
  {"close", d_close}, {NULL, NULL}
};

static const luaL_Reg doc_meta[] = {
  {"__len", d_len}, {"__gc", d_close}, {"__close", d_close},
  {"__tostring", d_tostring}, {NULL, NULL}
};

static const luaL_Reg text_funcs[] = {
  {"load", t_load}, {"from_string", t_from_string}, {"window", t_window}, {NULL, NULL}
};

void lode_open_text(lua_State *L) {
  luaL_newmetatable(L, LODE_DOC);        /* [M, meta] */
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &doc_meta_key);
  luaL_setfuncs(L, doc_meta, 0);
  luaL_newlibtable(L, doc_methods);      /* [M, meta, methods] */
  lua_pushvalue(L, -2);                   /* the methods' upvalue: see self_doc */
  luaL_setfuncs(L, doc_methods, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "Doc");            /* M.Doc = methods, for init.lua */
  lua_pushcclosure(L, d_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                          /* [M] */
  luaL_setfuncs(L, text_funcs, 0);
}
