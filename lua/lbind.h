/*
 * lbind.h -- what the binding files (lua/l*.c) share.
 *
 * The module lode.core is built from one file per core module; each exports
 * a lode_open_<module>(L) that adds its functions to the table on the top of
 * the stack and registers its metatables. Spans cross into Lua as 1-based
 * inclusive byte positions (string.sub convention): C [s, e) becomes Lua
 * i = s + 1, j = e.
 */
#ifndef LODE_LBIND_H
#define LODE_LBIND_H

#include <lua.h>
#include <lauxlib.h>

#include "lode.h"

#define LODE_DOC     "lode.Doc"
#define LODE_VIEW    "lode.View"
#define LODE_REGEX   "lode.Regex"
#define LODE_GAZ     "lode.Gazetteer"

/* luaopen for `require "lode.core"` (also preloaded by the host). */
int luaopen_lode_core(lua_State *L);

void lode_open_text(lua_State *L);
void lode_open_normalize(lua_State *L);
void lode_open_segment(lua_State *L);
void lode_open_regex(lua_State *L);
void lode_open_gazetteer(lua_State *L);
void lode_open_files(lua_State *L);
void lode_open_wordset(lua_State *L);
void lode_open_record(lua_State *L);
/* When the value at idx is a line buffer (lode.out.line_buffer), hand over
 * its lines: *data (malloc'ed, the caller frees it; NULL when nothing was
 * ever written), *len bytes holding *lines lines, and empty the buffer; 1.
 * Else 0, nothing changed. Never raises.
 * A batch job's lines go to the output without a copy in a Lua string. */
int lode_linebuf_release(lua_State *L, int idx, char **data, size_t *len, size_t *lines);
void lode_open_frontmatter(lua_State *L);  /* after lode_open_text: adds a Doc method */
void lode_open_format(lua_State *L);
void lode_open_resolve(lua_State *L);
void lode_open_copy(lua_State *L);
void lode_open_coord(lua_State *L);
void lode_open_role(lua_State *L);
void lode_open_strtab(lua_State *L);
void lode_open_clause(lua_State *L);
void lode_open_capruns(lua_State *L);
void lode_open_quotes(lua_State *L);
void lode_open_trie(lua_State *L);
void lode_open_placecue(lua_State *L);

/* Raise a Lua error carrying err->msg. */
int lode_raise(lua_State *L, const lode_error *err);
/* Push nil and err->msg; returns 2 (for `return lode_fail(L, &err)`). */
int lode_fail(lua_State *L, const lode_error *err);

/* Docs, as the other bindings see them. A converted document (an HTML
 * page, a dataset row) also has a map from its text to its file's bytes;
 * user values: 1 = cached text, 2 = path, 3 = a dataset row's {row, fields},
 * 4 = its identity in records when given (lode.load's opts.id, a row's). */
typedef struct lode_doc_ud {
  lode_text *text;      /* NULL once closed */
  lode_filemap *map;    /* text -> file bytes; NULL: the text is the file */
  lode_html *html;      /* an HTML page's lines and metadata, or NULL */
  lode_format format;
  lode_encoding_report source;   /* with a map: how the file was decoded */
  char source_name[LODE_ENCODING_NAME_MAX];   /* source.encoding's bytes */
} lode_doc_ud;
lode_doc_ud *lode_checkdoc(lua_State *L, int arg);
/* Push a new, empty Doc; store the text in ->text right after loading it,
 * so the Doc (and its __gc) exists before any text is owned. */
lode_doc_ud *lode_newdoc(lua_State *L);
/* Give the Doc its format: detect it (LODE_FORMAT_AUTO) from its name
 * and bytes, and convert an HTML page. Returns 0, or a LODE_E* code with
 * `err` filled. */
int lode_doc_set_format(lode_doc_ud *d, lode_format f, lode_error *err);
/* Push doc.id: the name records give the document (files.h, "Document
 * identity"): the id it was loaded with, else its name as given, tidied. */
void lode_pushdocid(lua_State *L, int docidx);
/* Keep `r` (the report of the file a converted doc came from) as d->source. */
void lode_doc_keep_source(lode_doc_ud *d, const lode_encoding_report *r);
/* Text bytes [i, j) of the doc -> the file bytes [*fi, *fj) holding them:
 * through the conversion map, else the decoding's (identity for UTF-8). */
void lode_doc_origin(const lode_doc_ud *d, size_t i, size_t j, size_t *fi, size_t *fj);
/* 1 when the doc's text offsets are not its file's (converted or decoded). */
int lode_doc_mapped(const lode_doc_ud *d);
/* Push the doc's whole text as a Lua string (cached in the Doc). */
void lode_pushdoctext(lua_State *L, int docidx);

/* Views: normalized bytes + map, and the Doc they came from (user value 1). */
typedef struct lode_view_ud {
  lode_view *view;   /* NULL once closed */
  lode_norm_opts opts;
} lode_view_ud;
lode_view_ud *lode_checkview(lua_State *L, int arg);
/* Read normalize options from the table at `arg` (absent = NFC, no folds). */
void lode_checknormopts(lua_State *L, int arg, lode_norm_opts *opts);
/* Normalize the Doc at `docidx` and push the View. */
void lode_pushview(lua_State *L, int docidx, const lode_norm_opts *opts);

/* The compiled regex at `arg`, or compile the string at `arg` with flags
 * from `flagsarg` (0: none); the regex object is left at the given index. */
const lode_regex *lode_toregex(lua_State *L, int arg, int flagsarg);
/* This Lua state's match scratch (one per state, so one per thread). */
lode_regex_scratch *lode_scratch(lua_State *L);
/* The word set at `arg` (a lode.core.wordset), or raise an argument error. */
const lode_wordset *lode_checkwordset(lua_State *L, int arg);
/* The same, compared with the WordSet metatable at index `mt` (an upvalue
 * of the caller, pushed by lode_push_wordset_meta when it was made). */
const lode_wordset *lode_checkwordset_at(lua_State *L, int arg, int mt);
void lode_push_wordset_meta(lua_State *L);
/* Is span [i, j] (1-based inclusive) inside one of the nr ranges r[2q],
 * r[2q + 1] (sorted and disjoint)? *q is a cursor: spans come in order,
 * so it only moves forward (doc:match_spans, lode.core.capruns). */
int lode_covered(const lua_Integer *r, lua_Integer nr, lua_Integer *q, lua_Integer i, lua_Integer j);
/* The string table at `arg` (a lode.core.strtab), or raise an argument error. */
struct lode_strtab *lode_checkstrtab(lua_State *L, int arg);

/* The userdata at `arg` when its metatable is the table at index `mt`
 * (a method's upvalue holding it), else NULL: luaL_testudata without its
 * lookup of the metatable by name (half the instructions). */
void *lode_testudata_at(lua_State *L, int arg, int mt);

/* Push a box: a userdata holding one malloc'ed pointer, freed when the box
 * is collected. Store the pointer in *box right after allocating it. */
void **lode_newbox(lua_State *L);

/* Room for `need` items of `size` bytes in the array v (n items used, *cap
 * its capacity, > 0), which starts as a buffer on the C stack: past it, a
 * heap array owned by a box (pushed the first time, kept in *box), so the
 * array is freed should a later call raise. Returns the array to use. */
void *lode_grow_boxed(lua_State *L, void ***box, void *v, size_t n, size_t *cap, size_t need,
                      size_t size);

/* Push a span table {i=, j=, line=} for C range [s, e) of the doc's text. */
void lode_pushspan(lua_State *L, const lode_text *t, size_t s, size_t e);
/* Set those three fields in the table on top of the stack. */
void lode_setspan(lua_State *L, const lode_text *t, size_t s, size_t e);

#endif
