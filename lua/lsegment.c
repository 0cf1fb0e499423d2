/*
 * lsegment.c -- doc:paragraphs(), doc:sentences(), doc:words().
 *
 * Each returns an array of spans {i =, j =, line =} (1-based inclusive
 * bytes of the Doc, line of the first byte): doc:sub(s) is the span's text.
 */
#include "lbind.h"

typedef int (*segment_fn)(const char *, size_t, lode_spans *, lode_error *);

static int push_segments(lua_State *L, segment_fn fn) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  size_t len, k;
  const char *s = lode_text_bytes(d->text, &len);
  lode_spans spans = {NULL, 0, 0};
  lode_error err;
  void **box = lode_newbox(L);            /* [doc, box] */
  int rc = fn(s, len, &spans, &err);
  *box = spans.v;                         /* the box owns the array from here */
  if (rc != 0) return lode_raise(L, &err);
  lua_createtable(L, spans.n <= 0x7fffffff ? (int)spans.n : 0, 0);
  for (k = 0; k < spans.n; k++) {
    lode_pushspan(L, d->text, spans.v[k].start, spans.v[k].end);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

static int d_paragraphs(lua_State *L) { return push_segments(L, lode_segment_paragraphs); }
static int d_sentences(lua_State *L) { return push_segments(L, lode_segment_sentences); }
static int d_words(lua_State *L) { return push_segments(L, lode_segment_words); }

static const luaL_Reg segment_methods[] = {
  {"paragraphs", d_paragraphs}, {"sentences", d_sentences}, {"words", d_words},
  {NULL, NULL}
};

void lode_open_segment(lua_State *L) {
  lua_getfield(L, -1, "Doc");   /* [M, Doc methods] */
  luaL_setfuncs(L, segment_methods, 0);
  lua_pop(L, 1);
}
