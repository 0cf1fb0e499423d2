/*
 * lformat.c -- documents converted from their file: HTML pages, dataset rows,
 * sections of huge documents.
 *
 * doc:origin(i, j) -> i0, j0: the file bytes holding text bytes i..j
 * doc:file_line(i) -> the file line of text byte i
 * doc:markup() -> per text line of an HTML page {block, context, bytes,
 *   links, link_density}; nil for other documents
 * doc:raw_html_meta() -> {{key, value, i, j}, ...}: what the page states
 *   (lode.formats decodes its JSON-LD into doc:html_meta())
 * doc:fields() -> a dataset row's other columns (an empty table otherwise)
 * doc:section_doc(i, j, n) -> a section of a huge document (lode.formats)
 * lode.core.row_doc(file_doc, i, j, kind, row, fields) -> the row's Doc
 * lode.core.csv_record(doc, pos) -> values, I, J, Q, next | nil, msg, next
 * lode.core.json_string_span(s, key) -> i, j | nil
 *
 * Positions are 1-based inclusive (text bytes of the doc, or file bytes
 * for what origin returns and html meta spans). A document whose text is
 * its file (no map) answers with the same positions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lbind.h"

void lode_doc_keep_source(lode_doc_ud *d, const lode_encoding_report *r) {
  d->source = *r;
  snprintf(d->source_name, sizeof d->source_name, "%s", r->encoding);
  d->source.encoding = d->source_name;
}

void lode_doc_origin(const lode_doc_ud *d, size_t i, size_t j, size_t *fi, size_t *fj) {
  if (d->map) lode_filemap_origin(d->map, i, j, fi, fj);
  else lode_text_origin(d->text, i, j, fi, fj);
}

int lode_doc_mapped(const lode_doc_ud *d) {
  return d->map || !lode_text_same_offsets(d->text);
}

/* A converted document's text is UTF-8 by construction: no detection. */
static const lode_load_opts converted = {LODE_INVALID_ERROR, "utf-8"};

int lode_doc_set_format(lode_doc_ud *d, lode_format f, lode_error *err) {
  size_t len;
  const char *s = lode_text_bytes(d->text, &len);
  lode_html *h;
  lode_text *t;
  int rc;
  if (f == LODE_FORMAT_AUTO) f = lode_format_detect(lode_text_name(d->text), s, len);
  d->format = f;
  if (f != LODE_FORMAT_HTML) return 0;
  if ((h = calloc(1, sizeof *h)) == NULL)
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory converting HTML");
  if ((rc = lode_html_convert(s, len, h, err)) < 0 ||
      (rc = lode_html_rebase(h, d->text, err)) < 0) {
    free(h);
    return rc;
  }
  t = lode_text_from_memory(lode_text_name(d->text), h->text, h->len, &converted, err);
  free(h->text);
  h->text = NULL;
  if (!t) {
    lode_html_release(h);
    free(h);
    return err->code;
  }
  lode_doc_keep_source(d, lode_text_encoding(d->text));
  lode_text_free(d->text);
  d->text = t;
  d->map = h->map;
  h->map = NULL;
  d->html = h;
  return 0;
}

/* doc:origin(i, j) -> i0, j0 (1-based inclusive file bytes) */
static int d_origin(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_checkinteger(L, 3);
  size_t len, fi, fj;
  lode_text_bytes(d->text, &len);
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 2, "position out of range");
  luaL_argcheck(L, j >= i - 1 && j <= (lua_Integer)len, 3, "position out of range");
  lode_doc_origin(d, (size_t)i - 1, (size_t)j, &fi, &fj);
  lua_pushinteger(L, (lua_Integer)fi + 1);
  lua_pushinteger(L, (lua_Integer)fj);
  return 2;
}

/* doc:file_line(i) -> the file line holding text byte i */
static int d_file_line(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  size_t len, f;
  lode_text_bytes(d->text, &len);
  luaL_argcheck(L, i >= 1 && i <= (lua_Integer)len + 1, 2, "position out of range");
  if (!d->map) {
    lua_pushinteger(L, (lua_Integer)lode_text_line_of(d->text, (size_t)i - 1));
    return 1;
  }
  lode_filemap_origin(d->map, (size_t)i - 1, (size_t)i - 1, &f, NULL);
  lua_pushinteger(L, (lua_Integer)lode_filemap_file_line(d->map, f));
  return 1;
}

/* doc:markup() -> {{block = "p", context = {nav = true, ...}, bytes = n,
 * links = n, link_density = links / bytes}, ...}, one per text line */
static int d_markup(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  size_t k;
  int b;
  if (!d->html) return 0;
  lua_createtable(L, (int)d->html->nlines, 0);
  for (k = 0; k < d->html->nlines; k++) {
    const lode_html_line *l = &d->html->lines[k];
    lua_createtable(L, 0, 5);
    lua_pushstring(L, l->block);
    lua_setfield(L, -2, "block");
    lua_newtable(L);
    for (b = 0; b < LODE_HTML_CONTEXTS; b++)
      if (l->context & (1u << b)) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, lode_html_context_name(b));
      }
    lua_setfield(L, -2, "context");
    lua_pushinteger(L, (lua_Integer)l->bytes);
    lua_setfield(L, -2, "bytes");
    lua_pushinteger(L, (lua_Integer)l->link_bytes);
    lua_setfield(L, -2, "links");
    lua_pushnumber(L, l->bytes ? (lua_Number)l->link_bytes / (lua_Number)l->bytes : 0);
    lua_setfield(L, -2, "link_density");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/* doc:raw_html_meta() -> {{key, value, i, j}, ...}; an empty table for a
 * document that is not an HTML page */
static int d_raw_html_meta(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  size_t k, n = d->html ? d->html->nmeta : 0;
  lua_createtable(L, (int)n, 0);
  for (k = 0; k < n; k++) {
    const lode_html_meta *m = &d->html->meta[k];
    lua_createtable(L, 0, 4);
    lua_pushstring(L, m->key);
    lua_setfield(L, -2, "key");
    lua_pushstring(L, m->value);
    lua_setfield(L, -2, "value");
    lua_pushinteger(L, (lua_Integer)m->start + 1);
    lua_setfield(L, -2, "i");
    lua_pushinteger(L, (lua_Integer)m->end);
    lua_setfield(L, -2, "j");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/* doc:fields() -> the row's other columns (a fresh table) */
static int d_fields(lua_State *L) {
  lode_checkdoc(L, 1);
  lua_newtable(L);                                   /* [doc, out] */
  if (lua_getiuservalue(L, 1, 3) == LUA_TTABLE &&    /* [doc, out, extra] */
      lua_getfield(L, -1, "fields") == LUA_TTABLE) { /* [doc, out, extra, fields] */
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_settable(L, 2);
    }
  }
  lua_settop(L, 2);
  return 1;
}

/* Push the Doc of file_doc's (stack index 1) text bytes i..j (1-based
 * inclusive) decoded as `kind`, named `name`, whose map leads to file_doc's
 * bytes and whose path is file_doc's; the caller sets its user value 3.
 * Returns 1, or 2 after pushing nil, message. */
static int push_part(lua_State *L, lode_doc_ud *f, lua_Integer i, lua_Integer j,
                     lode_field_kind kind, const char *name) {
  size_t len, tlen;
  const char *s = lode_text_bytes(f->text, &len);
  char *text;
  lode_filemap *map;
  lode_error err;
  void **box;
  lode_doc_ud *d;
  luaL_argcheck(L, i >= 1 && j >= i - 1 && j <= (lua_Integer)len, 2, "span out of range");
  box = lode_newbox(L);                                  /* [.., box] */
  if (lode_field_decode(s, (size_t)i - 1, (size_t)j, kind,
                        lode_text_line_of(f->text, (size_t)i - 1), &text, &tlen, &map, &err) < 0)
    return lode_raise(L, &err);
  *box = text;
  d = lode_newdoc(L);                                    /* [.., box, doc] */
  d->map = map;
  d->format = f->format;
  lode_doc_keep_source(d, lode_text_encoding(f->text));
  /* a decoded file: the row cites the bytes its text was decoded from */
  if (!lode_text_same_offsets(f->text) &&
      lode_filemap_compose(map, s, lode_text_origin_of, f->text) != 0)
    return luaL_error(L, "out of memory");
  if ((d->text = lode_text_from_memory(name, text, tlen, &converted, &err)) == NULL)
    return lode_fail(L, &err);
  free(text);                   /* copied: the part's bytes are held once */
  *box = NULL;
  lua_getiuservalue(L, 1, 2);
  lua_setiuservalue(L, -2, 2);                           /* the path: the file's */
  return 1;
}

/* lode.core.row_doc(file_doc, i, j, kind, row, fields) -> doc | nil, msg:
 * the document whose text is file bytes i..j decoded as `kind` ("raw",
 * "csv": inside quotes, "json": inside a JSON string), named
 * "<file name>#<row>" (doc.id "<file's id>#<row>"), with the row number
 * and the other fields. */
static int c_row_doc(lua_State *L) {
  static const char *const kinds[] = {"raw", "csv", "json", NULL};
  lode_doc_ud *f = lode_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_checkinteger(L, 3);
  lode_field_kind kind = (lode_field_kind)luaL_checkoption(L, 4, NULL, kinds);
  lua_Integer row = luaL_checkinteger(L, 5);
  const char *name;
  luaL_checktype(L, 6, LUA_TTABLE);
  name = lua_pushfstring(L, "%s#%I", lode_text_name(f->text), row);   /* [.., name] */
  if (push_part(L, f, i, j, kind, name) != 1) return 2;
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, row);
  lua_setfield(L, -2, "row");
  lua_pushvalue(L, 6);
  lua_setfield(L, -2, "fields");
  lua_setiuservalue(L, -2, 3);
  lode_pushdocid(L, 1);
  lua_pushfstring(L, "%s#%I", lua_tostring(L, -1), row);
  lua_setiuservalue(L, -3, 4);
  lua_pop(L, 1);
  return 1;
}

/* doc:section_doc(i, j, n) -> doc | nil, msg: bytes i..j of a document
 * whose text is its file (no map), named (and doc.id) as the document, with doc.section
 * = n; its records cite the file through its map, as a row's do. */
static int d_section_doc(lua_State *L) {
  lode_doc_ud *f = lode_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_checkinteger(L, 3);
  lua_Integer n = luaL_checkinteger(L, 4);
  luaL_argcheck(L, f->map == NULL, 1, "a document whose text is its file expected");
  if (push_part(L, f, i, j, LODE_FIELD_RAW, lode_text_name(f->text)) != 1) return 2;
  lua_createtable(L, 0, 1);
  lua_pushinteger(L, n);
  lua_setfield(L, -2, "section");
  lua_setiuservalue(L, -2, 3);
  lode_pushdocid(L, 1);
  lua_setiuservalue(L, -2, 4);                           /* the id: the document's */
  return 1;
}

/* lode.core.csv_record(doc, pos) -> values, I, J, Q, next: the record
 * starting at byte pos of the doc's text (values decoded; I, J the
 * fields' bytes, inside quotes; Q true for a quoted field; next where the
 * next record starts, #doc + 1 at the end), or nil, message, next. */
static int c_csv_record(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lua_Integer pos = luaL_checkinteger(L, 2);
  size_t len, n, next, k, cap = 0;
  const char *s = lode_text_bytes(d->text, &len);
  lode_csv_field **fields = (lode_csv_field **)lode_newbox(L);   /* [.., box] */
  lode_error err;
  int rc;
  luaL_argcheck(L, pos >= 1 && pos <= (lua_Integer)len + 1, 2, "position out of range");
  rc = lode_csv_record(lode_text_name(d->text), s, len, (size_t)pos - 1, fields, &cap, &n,
                       &next, &err);
  if (rc < 0) {
    if (rc == LODE_ENOMEM) return lode_raise(L, &err);
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    lua_pushinteger(L, (lua_Integer)next + 1);
    return 3;
  }
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);                     /* [.., box, V, I, J, Q] */
  for (k = 0; k < n; k++) {
    const lode_csv_field *fl = &(*fields)[k];
    if (fl->quoted) {
      luaL_Buffer b;
      size_t a = fl->start;
      luaL_buffinit(L, &b);
      while (a < fl->end) {                          /* "" is one quote */
        const char *q = memchr(s + a, '"', fl->end - a);
        size_t z = q ? (size_t)(q - s) + 1 : fl->end;
        luaL_addlstring(&b, s + a, z - a);
        a = q ? z + 1 : z;
      }
      luaL_pushresult(&b);
    } else {
      lua_pushlstring(L, s + fl->start, fl->end - fl->start);
    }
    lua_rawseti(L, -5, (lua_Integer)k + 1);
    lua_pushinteger(L, (lua_Integer)fl->start + 1);
    lua_rawseti(L, -4, (lua_Integer)k + 1);
    lua_pushinteger(L, (lua_Integer)fl->end);
    lua_rawseti(L, -3, (lua_Integer)k + 1);
    lua_pushboolean(L, fl->quoted);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_pushinteger(L, (lua_Integer)next + 1);
  return 5;
}

/* lode.core.json_string_span(s, key) -> i, j of the string member `key`
 * of the JSON object s (inside the quotes), or nil */
static int c_json_string_span(lua_State *L) {
  size_t len, klen, a, z;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *key = luaL_checklstring(L, 2, &klen);
  if (lode_json_string_span(s, len, key, klen, &a, &z) != 1) return 0;
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)z);
  return 2;
}

static const luaL_Reg doc_methods[] = {
  {"origin", d_origin}, {"file_line", d_file_line}, {"markup", d_markup},
  {"raw_html_meta", d_raw_html_meta}, {"fields", d_fields},
  {"section_doc", d_section_doc}, {NULL, NULL}
};

static const luaL_Reg format_funcs[] = {
  {"row_doc", c_row_doc}, {"csv_record", c_csv_record},
  {"json_string_span", c_json_string_span}, {NULL, NULL}
};

void lode_open_format(lua_State *L) {
  lua_getfield(L, -1, "Doc");            /* [M, methods] (lode_open_text's) */
  luaL_setfuncs(L, doc_methods, 0);
  lua_pop(L, 1);
  luaL_setfuncs(L, format_funcs, 0);
}
