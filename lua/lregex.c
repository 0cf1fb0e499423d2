/*
 * lregex.c -- PCRE2 regexes from Lua, lrexlib-shaped.
 *
 * local re = lode.regex(pattern [, flags])   -- flags: letters "i" "x" "m" "s"
 * re:find(s [, init]) -> i, j, captures... | nil
 * re:match(s [, init]) -> captures... (the whole match if none) | nil
 *   init as in string.find (1-based, negative from the end); an init inside
 *   a UTF-8 character is rounded up to the next character start, as every
 *   lode API does with a byte position where a search begins (regex.h)
 * re:gmatch(s) -> iterator of captures (or whole matches)
 * re:gfind(s) -> iterator of i, j, captures... for each match, as find()
 *   returns them: re:find(s, init) in a loop, with the subject's UTF-8
 *   checked once (find checks it per call: quadratic over a long string)
 * re:gsub(s, repl [, n]) -> string, count   (repl: string with %0-%9, table, function)
 * re:split(s) -> array of the pieces between matches
 * re:windows(s, before, after) -> {i1, j1, i2, j2, ...}: the text around
 *   every match, as a flat array of sorted, disjoint 1-based inclusive spans;
 *   each match widened from the start of the `before`-th whitespace-separated
 *   word before the match's first word to the end of the `after`-th word
 *   after its last (to the string's edges when there are fewer; a match
 *   starting or ending on whitespace reaches one word further, see
 *   lode_regex_word_window), and overlapping windows merged. Whitespace is
 *   ASCII (Lua's %s).
 * doc:gmatch(re_or_pattern [, {view = v}]) -> iterator of match tables
 *   {i, j, line, text, match, [k] = capture, name = capture} where i, j,
 *   line and text cite the original Doc even when matching on a View.
 * Unset groups are false. Compiled patterns are cached per Lua state in a
 * weak table, so passing a pattern string again does not recompile it.
 */
#include "lregex.h"

#define SCRATCH_KEY "lode.scratch"
#define CACHE_KEY "lode.recache"

/* --- the per-state scratch ------------------------------------------------ */

static int scratch_gc(lua_State *L) {
  lode_regex_scratch **p = lua_touserdata(L, 1);
  lode_regex_scratch_free(*p);
  *p = NULL;
  return 0;
}

lode_regex_scratch *lode_scratch(lua_State *L) {
  lode_regex_scratch **p;
  if (lua_getfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY) == LUA_TUSERDATA) {
    p = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return *p;
  }
  lua_pop(L, 1);
  p = lua_newuserdatauv(L, sizeof *p, 0);
  *p = NULL;
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, scratch_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  if ((*p = lode_regex_scratch_new()) == NULL) luaL_error(L, "out of memory");
  lua_setfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
  return *p;
}

/* --- compiling and the cache ----------------------------------------------- */

regex_ud *lode_checkregex(lua_State *L, int arg) {
  regex_ud *r = luaL_checkudata(L, arg, LODE_REGEX);
  if (!r->re) luaL_argerror(L, arg, "regex is freed");
  return r;
}

/* Compile pattern at `arg` with flag letters at `flagsarg` and push the
 * Regex, reusing the state's cache. */
static const lode_regex *push_compiled(lua_State *L, int arg, int flagsarg) {
  size_t plen;
  const char *pat = luaL_checklstring(L, arg, &plen);
  const char *letters = flagsarg ? luaL_optstring(L, flagsarg, "") : "";
  unsigned flags;
  lode_error err;
  regex_ud *r;
  if (lode_regex_flags(letters, &flags, &err) != 0)
    luaL_argerror(L, flagsarg, err.msg);
  if (lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
  }                                           /* [cache] */
  lua_pushstring(L, letters);
  lua_pushliteral(L, "/");
  lua_pushvalue(L, arg);
  lua_concat(L, 3);                           /* [cache, key] */
  if (lua_rawget(L, -2) == LUA_TUSERDATA) {   /* [cache, re] */
    lua_remove(L, -2);
    return ((regex_ud *)lua_touserdata(L, -1))->re;
  }
  lua_pop(L, 1);
  r = lua_newuserdatauv(L, sizeof *r, 0);
  r->re = NULL;
  luaL_setmetatable(L, LODE_REGEX);           /* [cache, re] */
  if ((r->re = lode_regex_compile(pat, plen, flags, &err)) == NULL)
    lode_raise(L, &err);
  lua_pushstring(L, letters);
  lua_pushliteral(L, "/");
  lua_pushvalue(L, arg);
  lua_concat(L, 3);
  lua_pushvalue(L, -2);
  lua_rawset(L, -4);                          /* cache[key] = re */
  lua_remove(L, -2);                          /* [re] */
  return r->re;
}

const lode_regex *lode_toregex(lua_State *L, int arg, int flagsarg) {
  arg = lua_absindex(L, arg);
  if (lua_type(L, arg) == LUA_TSTRING) {
    const lode_regex *re = push_compiled(L, arg, flagsarg);
    lua_replace(L, arg);
    return re;
  }
  return lode_checkregex(L, arg)->re;
}

/* lode.regex(pattern [, flags]) -> Regex */
static int r_new(lua_State *L) {
  push_compiled(L, 1, 2);
  return 1;
}

/* --- matching helpers ------------------------------------------------------- */

/* Push the captures (or the whole match when there are none); returns count. */
static int push_captures(lua_State *L, const lode_regex *re, const char *s,
                         const size_t *ovec) {
  int k, n = lode_regex_groups(re);
  if (n == 0) {
    push_group(L, s, ovec, 0);
    return 1;
  }
  luaL_checkstack(L, n, "too many captures");
  for (k = 1; k <= n; k++) push_group(L, s, ovec, k);
  return n;
}

/* Push what find returns for a match: i, j (1-based inclusive), captures. */
static int push_found(lua_State *L, const lode_regex *re, const char *s,
                      const size_t *ovec) {
  lua_pushinteger(L, (lua_Integer)ovec[0] + 1);
  lua_pushinteger(L, (lua_Integer)ovec[1]);
  return 2 + (lode_regex_groups(re) ? push_captures(L, re, s, ovec) : 0);
}

/* init as in string.find: 1-based, negative from the end (the core rounds
 * a position inside a character up to the next character start) */
static size_t check_init(lua_State *L, int arg, size_t len) {
  lua_Integer init = luaL_optinteger(L, arg, 1);
  if (init < 0) init = (lua_Integer)len + init + 1 < 1 ? 1 : (lua_Integer)len + init + 1;
  if (init == 0) init = 1;
  return (size_t)init - 1;
}

/* --- Regex methods ---------------------------------------------------------- */

static int find_or_match(lua_State *L, int find) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  size_t start = check_init(L, 3, len);
  size_t *ovec = ovec_for(L, re, stackbuf);
  /* Our validator runs at GB/s; PCRE2's own check is ~10x slower and would
   * make a loop of find(s, init) over a long string quadratic in practice. */
  check_subject(L, s, len, 2);
  if (start > len || !exec_at(L, method_scratch(L), re, s, len, start, LODE_RE_TRUSTED, ovec)) {
    luaL_pushfail(L);
    return 1;
  }
  return find ? push_found(L, re, s, ovec) : push_captures(L, re, s, ovec);
}

static int r_find(lua_State *L) { return find_or_match(L, 1); }
static int r_match(lua_State *L) { return find_or_match(L, 0); }

/* An iterator keeps its position and "last match was empty" flag in two
 * consecutive upvalues starting at `first`; exhausted, pos is len + 1. */
static void save_iter(lua_State *L, int first, size_t pos, int last_empty) {
  lua_pushinteger(L, (lua_Integer)pos);
  lua_replace(L, lua_upvalueindex(first));
  lua_pushboolean(L, last_empty);
  lua_replace(L, lua_upvalueindex(first + 1));
}

/* upvalues: regex, subject, pos, last_empty; `positions`: push i, j first */
static int iter_step(lua_State *L, int positions) {
  const lode_regex *re = lode_checkregex(L, lua_upvalueindex(1))->re;
  size_t len, stackbuf[OVEC_STACK];
  const char *s = lua_tolstring(L, lua_upvalueindex(2), &len);
  size_t pos = (size_t)lua_tointeger(L, lua_upvalueindex(3));
  int last_empty = lua_toboolean(L, lua_upvalueindex(4));
  size_t *ovec = ovec_for(L, re, stackbuf);
  if (pos > len || !next_match(L, lode_scratch(L), re, s, len, &pos, &last_empty, ovec)) {
    save_iter(L, 3, len + 1, 0);
    return 0;
  }
  save_iter(L, 3, pos, last_empty);
  return positions ? push_found(L, re, s, ovec) : push_captures(L, re, s, ovec);
}

static int gmatch_iter(lua_State *L) { return iter_step(L, 0); }
static int gfind_iter(lua_State *L) { return iter_step(L, 1); }

static int new_iter(lua_State *L, lua_CFunction step) {
  size_t len;
  const char *s;
  self_regex(L);
  s = luaL_checklstring(L, 2, &len);
  check_subject(L, s, len, 2);
  lua_settop(L, 2);
  lua_pushinteger(L, 0);
  lua_pushboolean(L, 0);
  lua_pushcclosure(L, step, 4);
  return 1;
}

static int r_gmatch(lua_State *L) { return new_iter(L, gmatch_iter); }
static int r_gfind(lua_State *L) { return new_iter(L, gfind_iter); }

/* Append the replacement for one match to b. */
static void add_replacement(lua_State *L, luaL_Buffer *b, const lode_regex *re,
                            const char *s, const size_t *ovec, int replidx) {
  int groups = lode_regex_groups(re);
  switch (lua_type(L, replidx)) {
    case LUA_TSTRING: {
      size_t rlen, k;
      const char *r = lua_tolstring(L, replidx, &rlen);
      for (k = 0; k < rlen; k++) {
        if (r[k] != '%' || k + 1 == rlen) { luaL_addchar(b, r[k]); continue; }
        k++;
        if (r[k] == '%') luaL_addchar(b, '%');
        else if (r[k] >= '0' && r[k] <= '9' && r[k] - '0' <= groups) {
          int g = r[k] - '0';
          if (ovec[2 * g] != LODE_NOPOS)
            luaL_addlstring(b, s + ovec[2 * g], ovec[2 * g + 1] - ovec[2 * g]);
        } else
          luaL_error(L, "invalid capture index %%%c in replacement string", r[k]);
      }
      return;
    }
    case LUA_TTABLE:
      push_group(L, s, ovec, groups ? 1 : 0);
      lua_gettable(L, replidx);
      break;
    case LUA_TFUNCTION: {
      int n;
      lua_pushvalue(L, replidx);
      n = push_captures(L, re, s, ovec);
      lua_call(L, n, 1);
      break;
    }
    default:
      luaL_argerror(L, 3, "string, table or function expected");
  }
  if (!lua_toboolean(L, -1)) {          /* nil or false: keep the match */
    lua_pop(L, 1);
    luaL_addlstring(b, s + ovec[0], ovec[1] - ovec[0]);
  } else if (lua_isstring(L, -1)) {
    luaL_addvalue(b);
  } else {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  }
}

static int r_gsub(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, pos = 0, copied = 0, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer max = luaL_optinteger(L, 4, LUA_MAXINTEGER), count = 0;
  int last_empty = 0;
  size_t *ovec;
  lode_regex_scratch *sc = lode_scratch(L);
  luaL_Buffer b;
  luaL_argexpected(L, lua_type(L, 3) == LUA_TSTRING || lua_type(L, 3) == LUA_TNUMBER ||
                   lua_istable(L, 3) || lua_isfunction(L, 3), 3, "string/function/table");
  if (lua_type(L, 3) == LUA_TNUMBER) lua_tostring(L, 3);
  check_subject(L, s, len, 2);
  lua_settop(L, 4);
  ovec = ovec_for(L, re, stackbuf);     /* [re, s, repl, n, ovec?] */
  luaL_buffinit(L, &b);
  while (count < max && pos <= len && next_match(L, sc, re, s, len, &pos, &last_empty, ovec)) {
    luaL_addlstring(&b, s + copied, ovec[0] - copied);
    add_replacement(L, &b, re, s, ovec, 3);
    copied = ovec[1];
    count++;
  }
  luaL_addlstring(&b, s + copied, len - copied);
  luaL_pushresult(&b);
  lua_pushinteger(L, count);
  return 2;
}

static int r_split(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, pos = 0, from = 0, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer n = 0;
  int last_empty = 0;
  size_t *ovec;
  lode_regex_scratch *sc = lode_scratch(L);
  check_subject(L, s, len, 2);
  ovec = ovec_for(L, re, stackbuf);
  lua_newtable(L);
  while (pos <= len && next_match(L, sc, re, s, len, &pos, &last_empty, ovec)) {
    if (ovec[1] == ovec[0] && (ovec[0] == 0 || ovec[0] == len)) continue;
    lua_pushlstring(L, s + from, ovec[0] - from);
    lua_rawseti(L, -2, ++n);
    from = ovec[1];
  }
  lua_pushlstring(L, s + from, len - from);
  lua_rawseti(L, -2, ++n);
  return 1;
}

/* Append the window of one match to the flat span array at the stack top,
 * merging it into the last span (*n counts the array's entries). */
static void add_window(lua_State *L, const char *s, size_t len, const size_t *ovec,
                       lua_Integer before, lua_Integer after, lua_Integer *n,
                       size_t *last_end) {
  size_t ws, we;
  lode_regex_word_window(s, len, ovec[0], ovec[1], (size_t)before, (size_t)after, &ws, &we);
  if (*n > 0 && ws < *last_end) {        /* overlaps the last span: widen it */
    if (we > *last_end) *last_end = we;
    lua_pushinteger(L, (lua_Integer)*last_end);
    lua_rawseti(L, -2, *n);
    return;
  }
  lua_pushinteger(L, (lua_Integer)ws + 1);
  lua_rawseti(L, -2, ++*n);
  lua_pushinteger(L, (lua_Integer)we);
  lua_rawseti(L, -2, ++*n);
  *last_end = we;
}

static int r_windows(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, pos = 0, last_end = 0, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer before = luaL_checkinteger(L, 3), after = luaL_checkinteger(L, 4), n = 0;
  int last_empty = 0;
  size_t *ovec;
  lode_regex_scratch *sc = lode_scratch(L);
  luaL_argcheck(L, before >= 0, 3, "negative word count");
  luaL_argcheck(L, after >= 0, 4, "negative word count");
  check_subject(L, s, len, 2);
  ovec = ovec_for(L, re, stackbuf);
  lua_newtable(L);
  while (pos <= len && next_match(L, sc, re, s, len, &pos, &last_empty, ovec))
    add_window(L, s, len, ovec, before, after, &n, &last_end);
  return 1;
}

static int r_groups(lua_State *L) {
  lua_pushinteger(L, lode_regex_groups(self_regex(L)->re));
  return 1;
}

static int r_gc(lua_State *L) {
  regex_ud *r = luaL_checkudata(L, 1, LODE_REGEX);
  lode_regex_free(r->re);
  r->re = NULL;
  return 0;
}

static int r_tostring(lua_State *L) {
  regex_ud *r = luaL_checkudata(L, 1, LODE_REGEX);
  size_t len = 0;
  const char *p = r->re ? lode_regex_pattern(r->re, &len) : "";
  lua_pushliteral(L, "lode.Regex (");
  lua_pushlstring(L, p, len);
  lua_pushliteral(L, ")");
  lua_concat(L, 3);
  return 1;
}

/* --- doc:gmatch ------------------------------------------------------------- */

/* Build the match table for ovec in `s` (the doc text, or the view's text). */
static void push_doc_match(lua_State *L, const lode_regex *re, const lode_text *t,
                           const lode_view *v, const char *s, const size_t *ovec) {
  int k, groups = lode_regex_groups(re), names = lode_regex_name_count(re);
  size_t oi = ovec[0], oj = ovec[1], tlen;
  const char *tb = lode_text_bytes(t, &tlen);
  if (v) lode_view_origin(v, ovec[0], ovec[1], &oi, &oj);
  lua_createtable(L, groups, 6);
  /* named groups first: a group called "i", "line" or "text" must not
   * overwrite the citation (it stays reachable by its number) */
  for (k = 0; k < names; k++) {
    int g;
    const char *name = lode_regex_name(re, k, &g);
    push_group(L, s, ovec, g);
    lua_setfield(L, -2, name);
  }
  lode_setspan(L, t, oi, oj);
  lua_pushlstring(L, tb + oi, oj - oi);
  lua_setfield(L, -2, "text");
  push_group(L, s, ovec, 0);
  lua_setfield(L, -2, "match");
  for (k = 1; k <= groups; k++) {
    push_group(L, s, ovec, k);
    lua_rawseti(L, -2, k);
  }
}

/* upvalues: doc, regex, view or false, pos, last_empty */
static int doc_gmatch_iter(lua_State *L) {
  lode_doc_ud *d = lua_touserdata(L, lua_upvalueindex(1));
  const lode_regex *re = lode_checkregex(L, lua_upvalueindex(2))->re;
  const lode_view *v = NULL;
  size_t len, stackbuf[OVEC_STACK];
  const char *s;
  size_t pos = (size_t)lua_tointeger(L, lua_upvalueindex(4));
  int last_empty = lua_toboolean(L, lua_upvalueindex(5));
  if (!d->text) return luaL_error(L, "gmatch: the document was closed during the loop");
  size_t *ovec = ovec_for(L, re, stackbuf);
  if (lua_toboolean(L, lua_upvalueindex(3))) {
    v = lode_checkview(L, lua_upvalueindex(3))->view;
    s = lode_view_bytes(v, &len);
  } else {
    s = lode_text_bytes(d->text, &len);
  }
  if (pos > len) return 0;
  {
    lode_error err;
    size_t from = pos;
    int rc = lode_regex_next(re, lode_scratch(L), s, len, &pos, &last_empty,
                             LODE_RE_TRUSTED, ovec, &err);
    if (rc < 0) {                   /* cite the document: name, line, byte */
      size_t at = err.offset != LODE_NOPOS && err.offset <= len ? err.offset : from;
      if (v) at = lode_view_origin_offset(v, at);
      return luaL_error(L, "%s:%I: %s", lode_text_name(d->text),
                        (lua_Integer)lode_text_line_of(d->text, at), err.msg);
    }
    if (rc == 0) {
      save_iter(L, 4, len + 1, 0);
      return 0;
    }
  }
  save_iter(L, 4, pos, last_empty);
  push_doc_match(L, re, d->text, v, s, ovec);
  return 1;
}

/* doc:gmatch(re_or_pattern [, opts]); opts.view, opts.flags (for strings) */
static int d_gmatch(lua_State *L) {
  lode_checkdoc(L, 1);
  lua_settop(L, 3);
  lua_pushnil(L);                      /* 4: flags */
  lua_pushboolean(L, 0);               /* 5: view or false */
  if (!lua_isnil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    if (lua_getfield(L, 3, "flags") != LUA_TNIL) {
      unsigned flags;
      lode_error err;
      if (lua_type(L, -1) != LUA_TSTRING) luaL_argerror(L, 3, "opts.flags: string expected");
      if (lode_regex_flags(lua_tostring(L, -1), &flags, &err) != 0) luaL_argerror(L, 3, err.msg);
    }
    lua_replace(L, 4);
    if (lua_getfield(L, 3, "view") != LUA_TNIL) {
      if (luaL_testudata(L, 6, LODE_VIEW) == NULL)
        luaL_argerror(L, 3, lua_pushfstring(L, "opts.view: lode.View expected, got %s", luaL_typename(L, 6)));
      lode_checkview(L, 6);                  /* not closed */
      lua_getiuservalue(L, 6, 1);
      if (!lua_rawequal(L, -1, 1)) luaL_argerror(L, 3, "opts.view is a view of another document");
      lua_pop(L, 1);
      lua_replace(L, 5);
    } else {
      lua_pop(L, 1);
    }
  }
  lode_toregex(L, 2, lua_isnil(L, 4) ? 0 : 4);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 5);
  lua_pushinteger(L, 0);
  lua_pushboolean(L, 0);               /* [.., doc, re, view, pos, last_empty] */
  lua_pushcclosure(L, doc_gmatch_iter, 5);
  return 1;
}

static const luaL_Reg regex_methods[] = {
  {"find", r_find}, {"match", r_match}, {"gmatch", r_gmatch}, {"gfind", r_gfind}, {"gsub", r_gsub},
  {"split", r_split}, {"windows", r_windows}, {"groups", r_groups},
  {"gfind_words", lode_gfind_words}, {"gfind_bytes", lode_gfind_bytes}, {NULL, NULL}
};

static const luaL_Reg regex_meta[] = {
  {"__gc", r_gc}, {"__tostring", r_tostring}, {NULL, NULL}
};

void lode_open_regex(lua_State *L) {
  luaL_newmetatable(L, LODE_REGEX);      /* [M, meta] */
  luaL_setfuncs(L, regex_meta, 0);
  luaL_newlibtable(L, regex_methods);    /* [M, meta, methods] */
  lua_pushvalue(L, -2);                   /* the methods' upvalues: see self_regex */
  lode_push_wordset_meta(L);              /* and the word sets' (re:gfind_words) */
  lode_scratch(L);                        /* and the state's scratch: method_scratch */
  lua_getfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
  luaL_setfuncs(L, regex_methods, 3);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                          /* [M] */
  lua_getfield(L, -1, "Doc");
  lua_pushcfunction(L, d_gmatch);
  lua_setfield(L, -2, "gmatch");
  lua_pop(L, 1);
  lua_pushcfunction(L, r_new);
  lua_setfield(L, -2, "regex");
  lode_open_scan(L);
}
