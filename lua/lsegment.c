/*
 * lsegment.c -- doc:paragraphs(), doc:sentences(), doc:words().
 *
 * Each returns an array of spans {i =, j =, line =} (1-based inclusive
 * bytes of the Doc, line of the first byte): doc:sub(s) is the span's text.
 *
 * doc:paragraph_lines() -> F, L: the paragraphs as first and last line
 * numbers, in two columns.
 *
 * doc:match_spans(re_or_pattern [, flags [, CI, CJ]]) -> I, J, I1, J1, ...:
 * every match of the regex, as doc:gmatch finds them, in columns: I[n],
 * J[n] are match n's 1-based inclusive bytes (J = I - 1 when empty), Ik[n],
 * Jk[n] those of its group k (both false when the group is unset). No table
 * or string per match, for callers that only need where the matches are.
 * With CI, CJ (1-based inclusive ranges, sorted and disjoint): the matches
 * that lie inside one of the ranges are left out.
 *
 * doc:units(lines, opts) -> F, L, T, A: the page cleaner's units
 * (core/units.h) in columns: unit n runs from line F[n] to line L[n]; T[n]
 * is its lines joined by spaces when none holds markup, else false; A[n]
 * whether its first line opens with one of opts.openers.
 *
 * doc:lines_opening(lines, bytes [, from]) -> K: the numbers k >= from
 * (default 1), ascending, of the non-empty strings lines[k] whose first
 * byte is one of `bytes`: the few lines a per-line rule can apply to,
 * without a Lua loop over all of them.
 *
 * doc:lines_holding(lines, s, within) -> K: the numbers k, ascending, of
 * the strings lines[k] that hold `s` at a byte at most `within` (1-based:
 * lines[k]:find(s, 1, true) <= within).
 */
#include <string.h>

#include "lbind.h"

typedef int (*segment_fn)(const char *, size_t, lode_spans *, lode_error *);

/* fn's segments of d's text, in an array that a box pushed on the stack
 * owns (so a raise frees it); raises with the core's message on failure. */
static lode_spans segments(lua_State *L, lode_doc_ud *d, segment_fn fn) {
  size_t len;
  const char *s = lode_text_bytes(d->text, &len);
  lode_spans spans = {NULL, 0, 0};
  lode_error err;
  void **box = lode_newbox(L);            /* [doc, box] */
  int rc = fn(s, len, &spans, &err);
  *box = spans.v;                         /* the box owns the array from here */
  if (rc != 0) lode_raise(L, &err);
  return spans;
}

static int push_segments(lua_State *L, segment_fn fn) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lode_spans spans = segments(L, d, fn);
  size_t k;
  lua_createtable(L, spans.n <= 0x7fffffff ? (int)spans.n : 0, 0);
  for (k = 0; k < spans.n; k++) {
    lode_pushspan(L, d->text, spans.v[k].start, spans.v[k].end);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

static int d_paragraphs(lua_State *L) { return push_segments(L, lode_segment_paragraphs); }

/* doc:paragraph_lines() -> F, L: paragraph n runs from line F[n] to line
 * L[n]. The paragraphs of doc:paragraphs() as line numbers in two columns,
 * no table per paragraph (the cleaner reads pages as paragraphs of lines). */
static int d_paragraph_lines(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lode_spans spans = segments(L, d, lode_segment_paragraphs);
  int n = spans.n <= 0x7fffffff ? (int)spans.n : 0;
  size_t k;
  lua_createtable(L, n, 0);               /* [doc, box, F] */
  lua_createtable(L, n, 0);               /* [doc, box, F, L] */
  for (k = 0; k < spans.n; k++) {
    size_t last = spans.v[k].end > spans.v[k].start ? spans.v[k].end - 1 : spans.v[k].start;
    lua_pushinteger(L, (lua_Integer)lode_text_line_of(d->text, spans.v[k].start));
    lua_rawseti(L, -3, (lua_Integer)k + 1);
    lua_pushinteger(L, (lua_Integer)lode_text_line_of(d->text, last));
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 2;
}

static int d_sentences(lua_State *L) { return push_segments(L, lode_segment_sentences); }
static int d_words(lua_State *L) { return push_segments(L, lode_segment_words); }

/* Set row `row` of the column pair at stack indices col, col + 1 to the
 * 1-based inclusive span of [sp.start, sp.end), or false, false if unset. */
static void set_span(lua_State *L, int col, lua_Integer row, lode_span sp) {
  if (sp.start == LODE_NOPOS) {
    lua_pushboolean(L, 0);
    lua_rawseti(L, col, row);
    lua_pushboolean(L, 0);
  } else {
    lua_pushinteger(L, (lua_Integer)sp.start + 1);
    lua_rawseti(L, col, row);
    lua_pushinteger(L, (lua_Integer)sp.end);
  }
  lua_rawseti(L, col + 1, row);
}

int lode_covered(const lua_Integer *r, lua_Integer nr, lua_Integer *q, lua_Integer i,
                 lua_Integer j) {
  for (; *q < nr; ++*q)
    if (r[2 * *q + 1] >= i) return r[2 * *q] <= i && j <= r[2 * *q + 1];
  return 0;
}

static int d_match_spans(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const lode_regex *re;
  size_t len, k, per;
  const char *s = lode_text_bytes(d->text, &len);
  lode_spans spans = {NULL, 0, 0};
  lode_error err;
  void **box;
  int c, cols, rc;
  lua_Integer row = 0, nr = 0, q = 0, *ranges = NULL;
  lua_settop(L, 5);
  re = lode_toregex(L, 2, 3);
  if (!lua_isnil(L, 4)) {
    /* read once into C: every match is checked against them */
    luaL_checktype(L, 4, LUA_TTABLE);
    luaL_checktype(L, 5, LUA_TTABLE);
    nr = (lua_Integer)lua_rawlen(L, 4);
    luaL_argcheck(L, (lua_Integer)lua_rawlen(L, 5) == nr, 5, "as many range ends as starts expected");
    ranges = lua_newuserdatauv(L, (size_t)(nr ? nr : 1) * 2 * sizeof *ranges, 0);
    lua_replace(L, 3);                    /* the flags are read: the slot holds the ranges */
    for (q = 0; q < nr; q++) {
      int starts = lua_rawgeti(L, 4, q + 1) == LUA_TNUMBER && lua_isinteger(L, -1);
      int ends = lua_rawgeti(L, 5, q + 1) == LUA_TNUMBER && lua_isinteger(L, -1);
      if (!starts || !ends) luaL_argerror(L, starts ? 5 : 4, "array of integers expected");
      ranges[2 * q] = lua_tointeger(L, -2);
      ranges[2 * q + 1] = lua_tointeger(L, -1);
      lua_pop(L, 2);
    }
    q = 0;
  }
  box = lode_newbox(L);                   /* 6 */
  rc = lode_segment_matches(re, lode_scratch(L), s, len, LODE_RE_TRUSTED, &spans, &err);
  *box = spans.v;                         /* the box owns the array from here */
  if (rc != 0) return lode_raise(L, &err);
  per = (size_t)lode_regex_groups(re) + 1;
  cols = (int)(2 * per);
  luaL_checkstack(L, cols + 2, "too many capture groups");
  for (c = 0; c < cols; c++)
    lua_createtable(L, spans.n / per <= 0x7fffffff ? (int)(spans.n / per) : 0, 0);
  for (k = 0; k < spans.n; k += per) {
    size_t g;
    if (ranges && lode_covered(ranges, nr, &q, (lua_Integer)spans.v[k].start + 1, (lua_Integer)spans.v[k].end))
      continue;
    row++;
    for (g = 0; g < per; g++) set_span(L, 7 + 2 * (int)g, row, spans.v[k + g]);
  }
  return cols;
}

static int d_section_ends(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  lua_Integer max = luaL_checkinteger(L, 2), n = 0;
  size_t len, at = 0;
  const char *s = lode_text_bytes(d->text, &len);
  luaL_argcheck(L, max >= 1, 2, "section size must be positive");
  lua_newtable(L);
  while (at < len) {
    at = lode_segment_section_end(s, len, at, (size_t)max);
    lua_pushinteger(L, (lua_Integer)at);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* The bytes of the string field `k` of the table at `arg` as a 256-entry
 * membership table (an absent field: no byte). */
static void byte_table(lua_State *L, int arg, const char *k, unsigned char set[256]) {
  size_t len = 0, i;
  const char *s = "";
  memset(set, 0, 256);
  if (lua_getfield(L, arg, k) != LUA_TNIL && !(s = lua_tolstring(L, -1, &len)))
    luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be a string", k));
  for (i = 0; i < len; i++) set[(unsigned char)s[i]] = 1;
  lua_pop(L, 1);
}

/* Set `bit` in flags[k - 1] for every line k that the table field `k` of
 * the table at `arg` holds as a key with a true value (false and nil: no). */
static void flag_lines(lua_State *L, int arg, const char *k, unsigned char *flags, lua_Integer n,
                       unsigned char bit) {
  lua_Integer line;
  lua_getfield(L, arg, k);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); return; }
  if (!lua_istable(L, -1)) luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be a table", k));
  for (line = 1; line <= n; line++) {
    if (lua_rawgeti(L, -1, line) != LUA_TNIL && lua_toboolean(L, -1)) flags[line - 1] |= bit;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Does t open with one of the strings of the array at `arg` (first: a
 * table of their first bytes, so most lines cost one lookup)? */
static int opens_with(lua_State *L, int arg, const unsigned char first[256], const char *t,
                      size_t len) {
  lua_Integer k, n;
  if (len == 0 || !first[(unsigned char)t[0]]) return 0;
  n = (lua_Integer)lua_rawlen(L, arg);
  for (k = 1; k <= n; k++) {
    size_t olen;
    const char *o;
    lua_rawgeti(L, arg, k);
    o = lua_tolstring(L, -1, &olen);
    lua_pop(L, 1);                        /* the array holds the string */
    if (o && olen <= len && memcmp(o, t, olen) == 0) return 1;
  }
  return 0;
}

/* doc:units(lines, opts) -> F, L, T, A: lines are the doc's trimmed lines
 * (texts of doc:trimmed_lines()); opts.breaks a set of line numbers no
 * unit holds; opts.soft: line breaks are soft (Markdown), so a unit is a
 * run of non-blank lines, as it is on a page where no two non-blank lines
 * touch; else a unit never spans two of the segmenter's paragraphs.
 * opts.lead, opts.marks: strings of the bytes that may start a leading
 * marker, and inline markup (see lode_unit_line_markup); opts.leader(t),
 * asked of a line whose first byte is in lead, is true when the line opens
 * with a leading marker: a unit starts there. opts.openers: an array of
 * strings; A[n] is whether unit n's first line opens with one of them. */
/* A flag of d_units' own beside lode_units' (which reads only its two):
 * the line is empty, so no paragraph takes it out of the breaks. */
#define LINE_EMPTY 0x80

static int d_units(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  unsigned char lead[256], first[256], *flags, *markup;
  const char *marks;
  size_t nmarks = 0;
  lua_Integer n, k;
  int soft, touching = 0, rc;
  lode_spans units = {NULL, 0, 0};
  lode_error err;
  void **box;
  size_t u;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  n = (lua_Integer)lua_rawlen(L, 2);
  if (lua_getfield(L, 3, "leader") != LUA_TFUNCTION)                  /* 4 */
    return luaL_argerror(L, 3, "field 'leader' must be a function");
  if (lua_getfield(L, 3, "openers") != LUA_TTABLE)                    /* 5 */
    return luaL_argerror(L, 3, "field 'openers' must be an array of strings");
  memset(first, 0, sizeof first);
  for (k = 1; k <= (lua_Integer)lua_rawlen(L, 5); k++) {
    size_t olen;
    const char *o;
    lua_rawgeti(L, 5, k);
    o = lua_tolstring(L, -1, &olen);
    if (!o) return luaL_argerror(L, 3, "field 'openers' must be an array of strings");
    if (olen > 0) first[(unsigned char)o[0]] = 1;
    lua_pop(L, 1);
  }
  byte_table(L, 3, "lead", lead);
  lua_getfield(L, 3, "marks");
  marks = lua_isnil(L, -1) ? "" : lua_tolstring(L, -1, &nmarks);   /* 6: kept */
  if (!marks) return luaL_argerror(L, 3, "field 'marks' must be a string");
  lua_getfield(L, 3, "soft");
  soft = lua_toboolean(L, -1);
  lua_pop(L, 1);
  flags = lua_newuserdatauv(L, (size_t)n * 2 + 1, 0);   /* 7: flags, then markup */
  markup = flags + n;
  memset(flags, 0, (size_t)n * 2 + 1);
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *t;
    lua_rawgeti(L, 2, k);
    t = lua_tolstring(L, -1, &len);
    if (!t) return luaL_argerror(L, 2, lua_pushfstring(L, "line %I is not a string", k));
    if (len == 0) flags[k - 1] = LODE_UNIT_BREAK | LINE_EMPTY;
    else if (k > 1 && !(flags[k - 2] & LODE_UNIT_BREAK)) touching = 1;
    markup[k - 1] = (unsigned char)lode_unit_line_markup(t, len, lead, marks, nmarks);
    if (len > 0 && lead[(unsigned char)t[0]]) {
      lua_pushvalue(L, 4);
      lua_pushvalue(L, -2);
      lua_call(L, 1, 1);
      if (lua_toboolean(L, -1)) flags[k - 1] |= LODE_UNIT_CUT;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (!soft && touching) {
    /* a paragraph of the segmenter starts a unit; a line outside every
     * paragraph (white space the trimming left) is in none */
    lode_spans paras = segments(L, d, lode_segment_paragraphs);   /* 5: its box */
    for (k = 0; k < n; k++) flags[k] |= LODE_UNIT_BREAK;
    for (u = 0; u < paras.n; u++) {
      size_t last = paras.v[u].end > paras.v[u].start ? paras.v[u].end - 1 : paras.v[u].start;
      size_t a = lode_text_line_of(d->text, paras.v[u].start), z = lode_text_line_of(d->text, last);
      size_t m;
      if (a > (size_t)n) break;           /* lines shorter than the doc's */
      flags[a - 1] |= LODE_UNIT_CUT;
      for (m = a; m <= z && m <= (size_t)n; m++)
        if (!(flags[m - 1] & LINE_EMPTY)) flags[m - 1] &= (unsigned char)~LODE_UNIT_BREAK;
    }
  }
  flag_lines(L, 3, "breaks", flags, n, LODE_UNIT_BREAK);
  box = lode_newbox(L);
  rc = lode_units(flags, (size_t)n, &units, &err);
  *box = units.v;
  if (rc != 0) return lode_raise(L, &err);
  lua_createtable(L, units.n <= 0x7fffffff ? (int)units.n : 0, 0);   /* F */
  lua_createtable(L, units.n <= 0x7fffffff ? (int)units.n : 0, 0);   /* L */
  lua_createtable(L, units.n <= 0x7fffffff ? (int)units.n : 0, 0);   /* T */
  lua_createtable(L, units.n <= 0x7fffffff ? (int)units.n : 0, 0);   /* A */
  for (u = 0; u < units.n; u++) {
    size_t a = units.v[u].start, z = units.v[u].end, m, len;
    const char *t;
    int plain = 1;
    lua_pushinteger(L, (lua_Integer)a + 1);
    lua_rawseti(L, -5, (lua_Integer)u + 1);
    lua_pushinteger(L, (lua_Integer)z);
    lua_rawseti(L, -4, (lua_Integer)u + 1);
    lua_rawgeti(L, 2, (lua_Integer)a + 1);
    t = lua_tolstring(L, -1, &len);
    lua_pushboolean(L, opens_with(L, 5, first, t, len));
    lua_rawseti(L, -3, (lua_Integer)u + 1);
    for (m = a; m < z && plain; m++) plain = !markup[m];
    if (!plain) {
      lua_pop(L, 1);
      lua_pushboolean(L, 0);
    } else if (z - a > 1) {     /* (a unit of one line is its text, on the stack) */
      luaL_Buffer b;
      lua_pop(L, 1);
      luaL_buffinit(L, &b);
      for (m = a; m < z; m++) {
        if (m > a) luaL_addchar(&b, ' ');
        lua_rawgeti(L, 2, (lua_Integer)m + 1);
        luaL_addvalue(&b);
      }
      luaL_pushresult(&b);
    }
    lua_rawseti(L, -3, (lua_Integer)u + 1);
  }
  return 4;
}

/* doc:lines_opening(lines, bytes [, from]) -> K (see the header) */
static int d_lines_opening(lua_State *L) {
  unsigned char set[256];
  size_t nb, i;
  const char *b;
  lua_Integer k, n, from, count = 0;
  lode_checkdoc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  b = luaL_checklstring(L, 3, &nb);
  from = luaL_optinteger(L, 4, 1);
  memset(set, 0, sizeof set);
  for (i = 0; i < nb; i++) set[(unsigned char)b[i]] = 1;
  n = (lua_Integer)lua_rawlen(L, 2);
  lua_newtable(L);
  for (k = from < 1 ? 1 : from; k <= n; k++) {
    size_t len;
    const char *t;
    lua_rawgeti(L, 2, k);
    t = lua_tolstring(L, -1, &len);
    if (!t) return luaL_argerror(L, 2, lua_pushfstring(L, "line %I is not a string", k));
    lua_pop(L, 1);                        /* the array holds the string */
    if (len > 0 && set[(unsigned char)t[0]]) {
      lua_pushinteger(L, k);
      lua_rawseti(L, -2, ++count);
    }
  }
  return 1;
}

/* doc:lines_holding(lines, s, within) -> K (see the header) */
static int d_lines_holding(lua_State *L) {
  size_t ns;
  const char *s;
  lua_Integer k, n, within, count = 0;
  lode_checkdoc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  s = luaL_checklstring(L, 3, &ns);
  within = luaL_checkinteger(L, 4);
  n = (lua_Integer)lua_rawlen(L, 2);
  lua_newtable(L);
  for (k = 1; k <= n; k++) {
    size_t len, last, p;
    const char *t;
    int found = 0;
    lua_rawgeti(L, 2, k);
    t = lua_tolstring(L, -1, &len);
    if (!t) return luaL_argerror(L, 2, lua_pushfstring(L, "line %I is not a string", k));
    lua_pop(L, 1);                        /* the array holds the string */
    if (within < 1 || ns > len) continue;
    /* s may start at 0-based offsets 0 .. last */
    last = len - ns;
    if ((lua_Unsigned)within - 1 < (lua_Unsigned)last) last = (size_t)within - 1;
    if (ns == 0) {
      found = 1;
    } else {
      const char *q = t;
      while ((q = memchr(q, s[0], (size_t)(t + last + 1 - q))) != NULL) {
        p = (size_t)(q - t);
        if (memcmp(q, s, ns) == 0) { found = 1; break; }
        if (p == last) break;
        q++;
      }
    }
    if (found) {
      lua_pushinteger(L, k);
      lua_rawseti(L, -2, ++count);
    }
  }
  return 1;
}

static const luaL_Reg segment_methods[] = {
  {"paragraphs", d_paragraphs}, {"paragraph_lines", d_paragraph_lines},
  {"sentences", d_sentences}, {"words", d_words},
  {"match_spans", d_match_spans}, {"section_ends", d_section_ends},
  {"units", d_units}, {"lines_opening", d_lines_opening},
  {"lines_holding", d_lines_holding},
  {NULL, NULL}
};

void lode_open_segment(lua_State *L) {
  lua_getfield(L, -1, "Doc");   /* [M, Doc methods] */
  luaL_setfuncs(L, segment_methods, 0);
  lua_pop(L, 1);
}
