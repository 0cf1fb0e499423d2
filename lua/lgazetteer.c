/*
 * lgazetteer.c -- alias dictionaries from Lua.
 *
 * local g = lode.core.gazetteer()   -- lode.gazetteer(entries) wraps this
 * g:add(alias, canonical, kind)      -- canonical defaults to alias, kind to "term"
 * g:load(tsv_path) -> true | nil, message
 * g:build()                          -- optional: the first scan builds
 * g:each(doc_or_view) -> iterator of canonical, kind, i, j, line, text, match
 *   per hit, the scan a part of the text ahead (memory flat in the hits);
 *   g:scan and g:matches (lua/lode/init.lua) make records of them
 * g:hits(doc_or_view [, texts]) -> entries, starts, ends, lines [, texts]:
 *   the same hits as four arrays (entry ids for g:entry, i, j, line), no
 *   table or string per hit; a true `texts` adds the Doc text of each hit
 * g:entry(id) -> canonical, kind
 * g:names(doc_or_view, kinds [, from, keep [, spans]]) -> records, I, J, known,
 *   disjoint, claims: the hits of some kinds written with a capital, as
 *   records (false outside the spans; see g_names)
 * g:size() -> aliases, entries
 * g:count(doc_or_view) -> hits, {[canonical] = hits}: the same scan without a
 *   record per hit (several times faster on big texts; for summaries)
 * A Doc is normalized with the gazetteer's options; a View must have been
 * made with the same options (g:options() gives them as a table).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lbind.h"
#include "utf8.h"

typedef struct gaz_ud {
  lode_gazetteer *g;
  int built;
} gaz_ud;

static gaz_ud *check_gaz(lua_State *L, int arg) {
  gaz_ud *u = luaL_checkudata(L, arg, LODE_GAZ);
  if (!u->g) luaL_argerror(L, arg, "gazetteer is freed");
  return u;
}

static int g_new(lua_State *L) {
  gaz_ud *u;
  lode_error err;
  lode_norm_opts o, *po = NULL;
  if (!lua_isnoneornil(L, 1)) {
    lode_checknormopts(L, 1, &o);
    po = &o;
  }
  u = lua_newuserdatauv(L, sizeof *u, 1);
  u->g = NULL;
  u->built = 0;
  luaL_setmetatable(L, LODE_GAZ);
  lua_newtable(L);  /* entry strings, made on first hit (see push_fields) */
  lua_setiuservalue(L, -2, 1);
  if ((u->g = lode_gaz_new(po, &err)) == NULL) return lode_raise(L, &err);
  return 1;
}

static int g_add(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  size_t alen, clen, klen;
  const char *alias = luaL_checklstring(L, 2, &alen);
  const char *canon = luaL_optlstring(L, 3, alias, &clen);
  const char *kind = luaL_optlstring(L, 4, "term", &klen);
  lode_error err;
  if (lua_isnoneornil(L, 3)) clen = alen;
  if (u->built) return luaL_argerror(L, 1, "gazetteer already built: make a new one to add aliases");
  if (lode_gaz_add(u->g, alias, alen, canon, clen, kind, klen, &err) != 0)
    return err.code == LODE_ENOMEM ? lode_raise(L, &err) : luaL_argerror(L, 2, err.msg);
  lua_settop(L, 1);
  return 1;
}

static int g_load(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  const char *path = luaL_checkstring(L, 2);
  lode_error err;
  if (u->built) return luaL_argerror(L, 1, "gazetteer already built: make a new one to load aliases");
  if (lode_gaz_load_tsv(u->g, path, &err) != 0) return lode_fail(L, &err);
  lua_pushboolean(L, 1);
  return 1;
}

static void ensure_built(lua_State *L, gaz_ud *u) {
  lode_error err;
  if (u->built) return;
  if (lode_gaz_build(u->g, &err) != 0) lode_raise(L, &err);
  u->built = 1;
}

static int g_build(lua_State *L) {
  ensure_built(L, check_gaz(L, 1));
  lua_settop(L, 1);
  return 1;
}

static int g_options(lua_State *L) {
  const lode_norm_opts *o = lode_gaz_norm_opts(check_gaz(L, 1)->g);
  static const char *const forms[] = {"none", "NFC", "NFKC"};
  lua_createtable(L, 0, 6);
  lua_pushstring(L, forms[o->form]);
  lua_setfield(L, -2, "form");
  lua_pushboolean(L, (o->flags & LODE_NORM_CASEFOLD) != 0);
  lua_setfield(L, -2, "casefold");
  lua_pushboolean(L, (o->flags & LODE_NORM_STRIP_MARKS) != 0);
  lua_setfield(L, -2, "strip_marks");
  if (o->flags & LODE_NORM_TYPOGRAPHY) {
    lua_pushliteral(L, "typography");
    lua_setfield(L, -2, "fold");
  }
  lua_pushboolean(L, (o->flags & LODE_NORM_CONTROLS) != 0);
  lua_setfield(L, -2, "controls");
  lua_pushboolean(L, (o->flags & LODE_NORM_COLLAPSE) != 0);
  lua_setfield(L, -2, "collapse");
  return 1;
}

/* Hits collected in C first (a Lua call must not run inside the scan).
 * The hits of one stream do not overlap and each holds a byte, so a text
 * of at most FEW_HITS bytes has room in `few`: no box (and no finalizer)
 * for a short page. */
#define FEW_HITS 64
typedef struct hit_list {
  lode_gaz_hit *v;
  size_t n, cap;
  void **box;       /* owns v unless v is few */
  lode_gaz_hit few[FEW_HITS];
} hit_list;

static int collect(void *ud, const lode_gaz_hit *hit) {
  hit_list *h = ud;
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    lode_gaz_hit *v;
    if (!h->box) return LODE_ENOMEM;   /* (more hits than bytes: cannot be) */
    if ((v = realloc(h->v, cap * sizeof *v)) == NULL) return LODE_ENOMEM;
    *h->box = h->v = v;
    h->cap = cap;
  }
  h->v[h->n++] = *hit;
  return 0;
}

/* Build if needed and turn the Doc, or View made with the gazetteer's
 * options, at stack slot `at` (the caller's argument `arg`) into [doc, view]
 * at slots at, at + 1, dropping what lies above. */
static void prepare_scan_at(lua_State *L, gaz_ud *u, int at, int arg, lode_doc_ud **d,
                            lode_view_ud **v) {
  const lode_norm_opts *o = lode_gaz_norm_opts(u->g);
  ensure_built(L, u);
  lua_settop(L, at);
  if (luaL_testudata(L, at, LODE_DOC)) {
    lode_pushview(L, at, o);                      /* [.., doc, view] (the doc checked) */
    *d = lua_touserdata(L, at);
    *v = lua_touserdata(L, at + 1);
  } else {
    *v = lode_checkview(L, at);
    if ((*v)->opts.form != o->form || (*v)->opts.flags != o->flags)
      luaL_argerror(L, arg, "view normalized differently from the gazetteer (see g:options())");
    lua_getiuservalue(L, at, 1);
    lua_insert(L, at);                            /* [.., doc, view] */
    *d = lode_checkdoc(L, at);
  }
}

/* prepare_scan_at for argument 2: [g, doc, view] at stack slots 1-3. */
static void prepare_scan(lua_State *L, gaz_ud *u, lode_doc_ud **d, lode_view_ud **v) {
  prepare_scan_at(L, u, 2, 2, d, v);
}

/* Push the string cached at cache[k] (stack index `cache`), or make it from
 * s[0, len), store it there and leave it pushed. Hits repeat a few thousand
 * entries and aliases millions of times: each string is made once per
 * gazetteer (canonical, kind) or once per scan (match). */
static void push_cached(lua_State *L, int cache, lua_Integer k, const char *s, size_t len) {
  if (lua_rawgeti(L, cache, k) == LUA_TSTRING) return;
  lua_pop(L, 1);
  lua_pushlstring(L, s, len);
  lua_pushvalue(L, -1);
  lua_rawseti(L, cache, k);
}

/* Line numbers of hits: hits come in order, so the line index is walked
 * forward (a binary search per hit cost more than the rest of a record). */
typedef struct line_walk {
  const lode_text *t;
  size_t line, nlines, start, next_start;   /* line holds [start, next_start) */
} line_walk;

static void walk_init(line_walk *w, const lode_text *t) {
  w->t = t;
  w->line = 1;
  w->nlines = lode_text_line_count(t);
  w->start = 0;
  w->next_start = (size_t)-1;
  if (w->nlines > 1) lode_text_line_span(t, 2, &w->next_start, NULL);
}

/* The 1-based line holding byte offset `at` (0-based). */
static size_t walk_to(line_walk *w, size_t at) {
  if (at < w->start) {  /* not in order (a view could map back): search */
    w->line = lode_text_line_of(w->t, at);
    lode_text_line_span(w->t, w->line, &w->start, NULL);
    w->next_start = (size_t)-1;
    if (w->line < w->nlines) lode_text_line_span(w->t, w->line + 1, &w->next_start, NULL);
  }
  while (at >= w->next_start) {
    w->line++;
    w->start = w->next_start;
    w->next_start = (size_t)-1;
    if (w->line < w->nlines) lode_text_line_span(w->t, w->line + 1, &w->next_start, NULL);
  }
  return w->line;
}

/* Scan the Doc or View at slot `at` (argument `arg`, see prepare_scan_at)
 * into h; leaves [.., doc, view, box or nil] from slot at. */
static void scan_hits(lua_State *L, gaz_ud *u, int at, int arg, lode_doc_ud **d,
                      lode_view_ud **v, hit_list *h, const char **vs) {
  size_t vlen;
  prepare_scan_at(L, u, at, arg, d, v);
  *vs = lode_view_bytes((*v)->view, &vlen);
  h->v = NULL;
  h->n = h->cap = 0;
  h->box = NULL;
  if (vlen <= FEW_HITS) {
    h->v = h->few;
    h->cap = FEW_HITS;
    lua_pushnil(L);                               /* [g, doc, view, nil] */
  } else {
    h->box = lode_newbox(L);                      /* [g, doc, view, box] */
  }
  if (lode_gaz_scan(u->g, *vs, vlen, collect, h) != 0) luaL_error(L, "out of memory");
}

/* Push the canonical name and kind of an entry, cached in the table at
 * slot `entries` ([2e+1] canonical, [2e+2] kind). */
static void push_entry(lua_State *L, int entries, const lode_gazetteer *g, size_t entry) {
  lua_Integer e2 = 2 * (lua_Integer)entry;
  if (lua_rawgeti(L, entries, e2 + 1) != LUA_TSTRING) {
    const lode_gaz_entry *e = lode_gaz_entry_at(g, entry);
    lua_pop(L, 1);
    lua_pushstring(L, e->kind);
    lua_rawseti(L, entries, e2 + 2);
    lua_pushstring(L, e->canonical);
    lua_pushvalue(L, -1);
    lua_rawseti(L, entries, e2 + 1);
  }
  lua_rawgeti(L, entries, e2 + 2);
}

/* Push the fields of hit x of view v (bytes vs) over doc text ts:
 * canonical, kind, i, j, line, text, match. `entries` holds the entry
 * strings ([2e+1] canonical, [2e+2] kind, the gazetteer's), `matches` the
 * match text by alias (this scan's); both are upvalue indices. Hits come
 * in order: *piece walks the view's map (lode_view_origin_walk) and w its
 * lines. */
static void push_fields(lua_State *L, int entries, int matches, const lode_gazetteer *g,
                        const lode_view *v, const char *vs, const char *ts, size_t *piece,
                        line_walk *w, const lode_gaz_hit *x) {
  size_t oi, oj;
  lode_view_origin_walk(v, piece, x->start, x->end, &oi, &oj);
  push_entry(L, entries, g, x->entry);
  lua_pushinteger(L, (lua_Integer)oi + 1);
  lua_pushinteger(L, (lua_Integer)oj);
  lua_pushinteger(L, (lua_Integer)walk_to(w, oi));
  lua_pushlstring(L, ts + oi, oj - oi);
  push_cached(L, matches, (lua_Integer)x->alias + 1, vs + x->start, x->end - x->start);
}

/* g:hits(doc_or_view [, texts]) -> entries, starts, ends, lines [, texts]:
 * the hits of g:matches as four arrays, for callers that need a few fields
 * of many hits (a table and a string per hit cost more than the scan).
 * Entry ids are 1-based (see g:entry); starts and ends cite the Doc,
 * 1-based inclusive. With `texts`, a fifth array holds each hit's Doc text
 * (doc:sub(i, j), without a Lua call per hit). */
static int g_hits(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  int with_texts = lua_toboolean(L, 3);
  lode_view_ud *v;
  lode_doc_ud *d;
  hit_list h;
  const char *vs, *ts = NULL;
  line_walk w;
  size_t k, tlen, piece = 0;
  int n;
  scan_hits(L, u, 2, 2, &d, &v, &h, &vs);
  if (with_texts) ts = lode_text_bytes(d->text, &tlen);
  walk_init(&w, d->text);
  n = h.n <= 0x7fffffff ? (int)h.n : 0;
  lua_createtable(L, n, 0);                       /* 5: entries */
  lua_createtable(L, n, 0);                       /* 6: starts */
  lua_createtable(L, n, 0);                       /* 7: ends */
  lua_createtable(L, n, 0);                       /* 8: lines */
  if (with_texts) lua_createtable(L, n, 0);       /* 9: texts */
  for (k = 0; k < h.n; k++) {
    const lode_gaz_hit *x = &h.v[k];
    lua_Integer at = (lua_Integer)k + 1;
    size_t oi, oj;
    lode_view_origin_walk(v->view, &piece, x->start, x->end, &oi, &oj);
    lua_pushinteger(L, (lua_Integer)x->entry + 1);
    lua_rawseti(L, 5, at);
    lua_pushinteger(L, (lua_Integer)oi + 1);
    lua_rawseti(L, 6, at);
    lua_pushinteger(L, (lua_Integer)oj);
    lua_rawseti(L, 7, at);
    lua_pushinteger(L, (lua_Integer)walk_to(&w, oi));
    lua_rawseti(L, 8, at);
    if (with_texts) {
      lua_pushlstring(L, ts + oi, oj - oi);
      lua_rawseti(L, 9, at);
    }
  }
  return with_texts ? 5 : 4;
}

/* g:entry(id) -> canonical, kind of a 1-based entry id from g:hits */
static int g_entry(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  const lode_gaz_entry *e;
  luaL_argcheck(L, id >= 1 && (lua_Unsigned)id <= (lua_Unsigned)lode_gaz_entry_count(u->g), 2,
                "no such entry");
  e = lode_gaz_entry_at(u->g, (size_t)id - 1);
  lua_pushstring(L, e->canonical);
  lua_pushstring(L, e->kind);
  return 2;
}

/* Push s[0, n) lowercased as string.lower does (byte by byte, tolower);
 * a name fits a buffer on the C stack (a luaL_Buffer costs more than the
 * string). */
static void push_lower(lua_State *L, const char *s, size_t n) {
  char small[128], *p = small;
  luaL_Buffer b;
  if (n > sizeof small) p = luaL_buffinitsize(L, &b, n);
  for (size_t k = 0; k < n; k++) p[k] = (char)tolower((unsigned char)s[k]);
  if (p == small) lua_pushlstring(L, small, n);
  else luaL_pushresultsize(&b, n);
}

/* g:names(doc_or_view, kinds [, from, keep [, spans]]) -> records, I, J, known,
 * disjoint: the hits of the entries whose kind is a key of `kinds` and whose
 * text holds a capital, as records {kind, name, text, i, j, line} (name the
 * canonical), in scan order, their i and j again in two columns; with
 * `keep`, keep(record) decides on each such hit of an entry id above `from`
 * (a false answer drops it). With `spans` (sorted, disjoint {i =, j =}), a
 * kept hit that lies in none of them is `false` in records (no table for a
 * hit the caller leaves out) but still in I, J, known and disjoint. known:
 * the lowercased text -> kind of each hit kept and each hit of another
 * kind, the later hit winning. disjoint: whether each record starts after
 * the one before it ends. claims: I and J again, as one string of the pairs
 * I[k], J[k] packed as native lua_Integers (string.pack("jj", ...)), which
 * lode.core.capruns's m:runs reads without an API call per integer. One
 * pass in C instead of a Lua loop over g:hits (lode.extract.entities). */
static const char *const name_keys[] = {"kind", "text", "i", "j", "line", "name"};  /* upvalues */

/* The texts of recent hits, one slot per alias id modulo SURFACE_SLOTS: a
 * page repeats its names, each surface made a string (and lowercased)
 * once. A slot remembers where its text came from and which strings of it
 * are made; they are in a Lua table, [2s+1] the text, [2s+2] its lowercase. */
#define SURFACE_SLOTS 64
typedef struct surface {
  size_t at, len;   /* the doc bytes; len 0: empty slot */
  int text, low;    /* whether the text, the lowercase are in the table */
  size_t alias;     /* the last alias id + 1 seen in the slot (0: none) */
  int named;        /* whether its entry's kind is one of `kinds` */
} surface;

/* Make slot c stand for doc bytes ts[oi, oj) (its strings kept when it
 * held the same bytes). */
static void surface_at(surface *c, const char *ts, size_t oi, size_t oj) {
  size_t len = oj - oi;
  if (c->len == len && len > 0 && memcmp(ts + c->at, ts + oi, len) == 0) return;
  c->at = oi;
  c->len = len;
  c->text = c->low = 0;
}

/* Push slot `slot`'s text (lower: its lowercase), from the table at stack
 * index `strings` or made and stored there. */
static void push_surface(lua_State *L, int strings, surface *cache, size_t slot, const char *ts,
                         int lower) {
  surface *c = &cache[slot];
  int *made = lower ? &c->low : &c->text;
  lua_Integer at = 2 * (lua_Integer)slot + 1 + lower;
  if (*made) {
    lua_rawgeti(L, strings, at);
    return;
  }
  if (lower) push_lower(L, ts + c->at, c->len);
  else lua_pushlstring(L, ts + c->at, c->len);
  lua_pushvalue(L, -1);
  lua_rawseti(L, strings, at);
  *made = 1;
}

/* The spans argument at `arg` (nil: none) as a userdata of 2 * *n
 * integers, 1-based inclusive starts and ends, pushed (nil pushed for nil). */
static lua_Integer *check_spans(lua_State *L, int arg, lua_Integer *n) {
  lua_Integer *v, k;
  *n = 0;
  if (lua_isnoneornil(L, arg)) { lua_pushnil(L); return NULL; }
  luaL_checktype(L, arg, LUA_TTABLE);
  *n = (lua_Integer)lua_rawlen(L, arg);
  v = lua_newuserdatauv(L, (size_t)(*n ? *n : 1) * 2 * sizeof *v, 0);
  for (k = 0; k < *n; k++) {
    int ok = lua_rawgeti(L, arg, k + 1) == LUA_TTABLE;
    ok = ok && lua_getfield(L, -1, "i") == LUA_TNUMBER && lua_isinteger(L, -1);
    ok = ok && lua_getfield(L, -2, "j") == LUA_TNUMBER && lua_isinteger(L, -1);
    if (!ok) luaL_argerror(L, arg, lua_pushfstring(L, "span %I: integer fields i and j expected", k + 1));
    v[2 * k] = lua_tointeger(L, -2);
    v[2 * k + 1] = lua_tointeger(L, -1);
    lua_pop(L, 3);
    if (k > 0 && v[2 * k] <= v[2 * k - 1])
      luaL_argerror(L, arg, lua_pushfstring(L, "span %I starts before span %I ends", k + 1, k));
  }
  return v;
}

/* Whether [i, j] lies in one of the n sorted, disjoint spans v (see
 * check_spans; NULL: everywhere): the last span starting at or before i. */
static int in_spans(const lua_Integer *v, lua_Integer n, lua_Integer i, lua_Integer j) {
  lua_Integer lo = 0, hi = n - 1;
  if (!v) return 1;
  while (lo <= hi) {
    lua_Integer mid = lo + (hi - lo) / 2;
    if (v[2 * mid] <= i) lo = mid + 1; else hi = mid - 1;
  }
  return hi >= 0 && j <= v[2 * hi + 1];
}

static int g_names(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  lua_Integer from, n = 0, last_j = 0, nspans;
  const lua_Integer *spans;
  int with_keep, disjoint = 1;
  lode_view_ud *v;
  lode_doc_ud *d;
  hit_list h;
  const char *vs, *ts;
  line_walk w;
  surface seen[SURFACE_SLOTS] = {{0, 0, 0, 0, 0, 0}};
  lua_Integer *packed = NULL;           /* the claims (see above) */
  size_t tlen, piece = 0;
  if (!luaL_testudata(L, 2, LODE_DOC)) lode_checkview(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  from = luaL_optinteger(L, 4, LUA_MAXINTEGER);
  with_keep = !lua_isnoneornil(L, 5);
  if (with_keep) luaL_checktype(L, 5, LUA_TFUNCTION);
  lua_settop(L, 6);
  spans = check_spans(L, 6, &nspans);
  lua_replace(L, 6);                    /* [g, doc_or_view, kinds, from, keep, spans] */
  lua_rotate(L, 2, -1);                 /* [g, kinds, from, keep, spans, doc_or_view] */
  scan_hits(L, u, 6, 2, &d, &v, &h, &vs);         /* [g, kinds, from, keep, spans, doc, view, box] */
  ts = lode_text_bytes(d->text, &tlen);
  walk_init(&w, d->text);
  lua_getiuservalue(L, 1, 1);                     /* 9: entry strings */
  lua_createtable(L, h.n <= 0x7fffffff ? (int)h.n : 0, 0);   /* 10: records */
  lua_createtable(L, h.n <= 0x7fffffff ? (int)h.n : 0, 0);   /* 11: I */
  lua_createtable(L, h.n <= 0x7fffffff ? (int)h.n : 0, 0);   /* 12: J */
  /* 13: known, made at the hits' count (a bound on its keys): grown one
   * key at a time it was rehashed ~7 times a page */
  lua_createtable(L, 0, h.n <= 0x7fffffff ? (int)h.n : 0);
  luaL_checkstack(L, 24, "gazetteer names");
  if (h.n) {
    lua_createtable(L, 2 * SURFACE_SLOTS, 0);     /* 14: hit texts (see surface) */
    for (int f = 1; f <= 6; f++) lua_pushvalue(L, lua_upvalueindex(f));   /* 15-20: the keys */
    packed = lua_newuserdatauv(L, h.n * 2 * sizeof *packed, 0);          /* 21 */
  }
  for (size_t k = 0; k < h.n; k++) {
    const lode_gaz_hit *x = &h.v[k];
    size_t oi, oj;
    int named, rec, asked, inside;
    size_t slot = x->alias % SURFACE_SLOTS;
    lode_view_origin_walk(v->view, &piece, x->start, x->end, &oi, &oj);
    surface_at(&seen[slot], ts, oi, oj);
    push_entry(L, 9, u->g, x->entry);             /* [.., canonical, kind] */
    if (seen[slot].alias != x->alias + 1) {       /* (an alias has one entry) */
      lua_pushvalue(L, -1);
      lua_rawget(L, 2);                           /* [.., canonical, kind, kinds[kind]] */
      seen[slot].named = lua_toboolean(L, -1);
      seen[slot].alias = x->alias + 1;
      lua_pop(L, 1);
    }
    named = seen[slot].named;
    if (named) {
      if (!lode_utf8_has_capital(ts + oi, oj - oi)) { lua_pop(L, 2); continue; }
      asked = with_keep && (lua_Integer)x->entry + 1 > from;
      inside = in_spans(spans, nspans, (lua_Integer)oi + 1, (lua_Integer)oj);
      if (inside || asked) {
        lua_createtable(L, 0, 6);                 /* [.., canonical, kind, rec] */
        rec = lua_gettop(L);
        lua_pushvalue(L, 15);
        lua_pushvalue(L, rec - 1);
        lua_rawset(L, rec);                       /* kind */
        lua_pushvalue(L, 16);
        push_surface(L, 14, seen, slot, ts, 0);
        lua_rawset(L, rec);                       /* text */
        lua_pushvalue(L, 17);
        lua_pushinteger(L, (lua_Integer)oi + 1);
        lua_rawset(L, rec);                       /* i */
        lua_pushvalue(L, 18);
        lua_pushinteger(L, (lua_Integer)oj);
        lua_rawset(L, rec);                       /* j */
        lua_pushvalue(L, 19);
        lua_pushinteger(L, (lua_Integer)walk_to(&w, oi));
        lua_rawset(L, rec);                       /* line */
        lua_pushvalue(L, 20);
        lua_pushvalue(L, rec - 2);
        lua_rawset(L, rec);                       /* name: the canonical */
      }
      if (asked) {
        int kept;
        lua_pushvalue(L, 4);
        lua_pushvalue(L, -2);
        lua_call(L, 1, 1);                        /* [.., canonical, kind, rec, kept] */
        kept = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (!kept) { lua_pop(L, 3); continue; }
        if (!inside) lua_pop(L, 1);
      }
      if (!inside) lua_pushboolean(L, 0);         /* [.., canonical, kind, rec or false] */
      n++;
      if ((lua_Integer)oi + 1 <= last_j) disjoint = 0;
      last_j = (lua_Integer)oj;
      lua_rawseti(L, 10, n);                      /* [.., canonical, kind] */
      lua_pushinteger(L, (lua_Integer)oi + 1);
      lua_rawseti(L, 11, n);
      lua_pushinteger(L, (lua_Integer)oj);
      lua_rawseti(L, 12, n);
      packed[2 * n - 2] = (lua_Integer)oi + 1;
      packed[2 * n - 1] = (lua_Integer)oj;
    }
    push_surface(L, 14, seen, slot, ts, 1);        /* [.., canonical, kind, low] */
    lua_pushvalue(L, -2);
    lua_rawset(L, 13);                            /* [.., canonical, kind] */
    lua_pop(L, 2);
  }
  lua_pushboolean(L, disjoint);
  lua_pushlstring(L, (const char *)packed, (size_t)n * 2 * sizeof *packed);
  lua_copy(L, -2, 14);
  lua_copy(L, -1, 15);
  lua_settop(L, 15);                              /* [.., records, I, J, known, disjoint, claims] */
  return 6;
}

/* Per-entry hit counts for g:count(doc_or_view): no record per hit. */
typedef struct tally {
  size_t *n;        /* per entry id, owned by a box */
  size_t total;
} tally;

static int count_hit(void *ud, const lode_gaz_hit *hit) {
  tally *t = ud;
  t->n[hit->entry]++;
  t->total++;
  return 0;
}

/* g:size() -> aliases, entries */
static int g_size(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  lua_pushinteger(L, (lua_Integer)lode_gaz_alias_count(u->g));
  lua_pushinteger(L, (lua_Integer)lode_gaz_entry_count(u->g));
  return 2;
}

/* g:count(doc_or_view) -> hits, {[canonical] = hits}: the scan of g:matches
 * without a table per hit (entries sharing a canonical name add up). */
static int g_count(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  lode_view_ud *v;
  lode_doc_ud *d;
  tally t = {NULL, 0};
  size_t n = lode_gaz_entry_count(u->g), vlen, k;
  const char *vs;
  void **box;
  prepare_scan(L, u, &d, &v);
  (void)d;
  vs = lode_view_bytes(v->view, &vlen);
  box = lode_newbox(L);
  if ((*box = t.n = calloc(n ? n : 1, sizeof *t.n)) == NULL) return luaL_error(L, "out of memory");
  if (lode_gaz_scan(u->g, vs, vlen, count_hit, &t) != 0) return luaL_error(L, "out of memory");
  lua_pushinteger(L, (lua_Integer)t.total);
  lua_createtable(L, 0, 0);
  for (k = 0; k < n; k++) {
    const char *c;
    lua_Integer prev;
    if (!t.n[k]) continue;
    c = lode_gaz_entry_at(u->g, k)->canonical;
    lua_getfield(L, -1, c);
    prev = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushinteger(L, prev + (lua_Integer)t.n[k]);
    lua_setfield(L, -2, c);
  }
  return 2;
}

/* g:each's state: the hits of one lode_gaz_scan_part call at a time. */
#define SCAN_BATCH 1024
#define SCAN_FULL 1   /* take_hit's "stop here", not a LODE_E* code */
typedef struct scan_state {
  size_t pos;       /* where the next part starts, in the view */
  size_t n, k;      /* hits in buf; the next one to hand out */
  size_t piece;     /* the map piece reached (lode_view_origin_walk) */
  line_walk w;
  lode_gaz_hit buf[SCAN_BATCH];
} scan_state;

static int take_hit(void *ud, const lode_gaz_hit *hit) {
  scan_state *st = ud;
  st->buf[st->n++] = *hit;
  return st->n == SCAN_BATCH ? SCAN_FULL : 0;
}

/* The iterator. Upvalues: 1 g, 2 doc, 3 view, 4 scan state, 5 entry
 * strings, 6 match texts; they keep the Doc and View alive while it runs,
 * and one closed meanwhile raises an error. */
static int each_iter(lua_State *L) {
  gaz_ud *u = lua_touserdata(L, lua_upvalueindex(1));
  lode_doc_ud *d = lua_touserdata(L, lua_upvalueindex(2));
  lode_view_ud *v = lua_touserdata(L, lua_upvalueindex(3));
  scan_state *st = lua_touserdata(L, lua_upvalueindex(4));
  const char *vs, *ts;
  size_t vlen, tlen;
  if (!u->g || !d->text || !v->view)
    return luaL_error(L, "gazetteer scan: gazetteer, document or view closed during the scan");
  vs = lode_view_bytes(v->view, &vlen);
  while (st->k == st->n && st->pos < vlen) {
    int r;
    st->n = st->k = 0;
    r = lode_gaz_scan_part(u->g, vs, vlen, &st->pos, take_hit, st);
    if (r != 0 && r != SCAN_FULL) return luaL_error(L, "out of memory");
  }
  if (st->k == st->n) return 0;
  ts = lode_text_bytes(d->text, &tlen);
  st->w.t = d->text;
  push_fields(L, lua_upvalueindex(5), lua_upvalueindex(6), u->g, v->view, vs, ts, &st->piece,
              &st->w, &st->buf[st->k++]);
  return 7;
}

/* g:each(doc_or_view) -> iterator of canonical, kind, i, j, line, text,
 * match per hit: the scan runs a part of the text ahead of the loop, so
 * memory stays flat however many hits the text has. */
static int g_each(lua_State *L) {
  gaz_ud *u = check_gaz(L, 1);
  lode_view_ud *v;
  lode_doc_ud *d;
  scan_state *st;
  prepare_scan(L, u, &d, &v);                     /* [g, doc, view] */
  st = lua_newuserdatauv(L, sizeof *st, 0);
  st->pos = st->n = st->k = 0;
  st->piece = (size_t)-1;
  walk_init(&st->w, d->text);
  lua_getiuservalue(L, 1, 1);
  lua_createtable(L, 0, 0);
  lua_pushcclosure(L, each_iter, 6);
  return 1;
}

static int g_gc(lua_State *L) {
  gaz_ud *u = luaL_checkudata(L, 1, LODE_GAZ);
  lode_gaz_free(u->g);
  u->g = NULL;
  return 0;
}

static int g_tostring(lua_State *L) {
  gaz_ud *u = luaL_checkudata(L, 1, LODE_GAZ);
  if (!u->g) lua_pushliteral(L, "lode.Gazetteer (freed)");
  else lua_pushfstring(L, "lode.Gazetteer (%I aliases)", (lua_Integer)lode_gaz_alias_count(u->g));
  return 1;
}

static const luaL_Reg gaz_methods[] = {
  {"add", g_add}, {"load", g_load}, {"build", g_build}, {"size", g_size}, {"count", g_count},
  {"options", g_options}, {"each", g_each}, {"hits", g_hits},
  {"entry", g_entry}, {NULL, NULL}
};

static const luaL_Reg gaz_meta[] = {
  {"__gc", g_gc}, {"__close", g_gc}, {"__tostring", g_tostring}, {NULL, NULL}
};

void lode_open_gazetteer(lua_State *L) {
  luaL_newmetatable(L, LODE_GAZ);
  luaL_setfuncs(L, gaz_meta, 0);
  luaL_newlib(L, gaz_methods);
  /* g:names sets the record keys with lua_rawset (lua_setfield looks each
   * key string up again, per field of every record) */
  for (int f = 0; f < 6; f++) lua_pushstring(L, name_keys[f]);
  lua_pushcclosure(L, g_names, 6);
  lua_setfield(L, -2, "names");
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "Gazetteer");
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, g_new);
  lua_setfield(L, -2, "gazetteer");
}
