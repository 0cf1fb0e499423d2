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
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words [, needs])
 *   -> plan: the regexes of scan_resolve, read once (a Lua state builds it
 *   once): parallel arrays, per regex its anchor set (a number >= 1), its
 *   word counts (before, after: the width of its windows, below) and its
 *   priority (an integer);
 *   per set the array of its anchor words, byte sequences (core/byteseq.h:
 *   "May", "20[0-9][0-9]", "(?i)week"), all found in one pass of a page;
 *   and per regex the set (or 0) of which every match also holds a word
 *   (a date "May 5, 2021" holds a year): when both its own set and that
 *   set are looked for by their words alone (extras true), its windows
 *   holding no word of that set are not searched.
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words, needs,
 *   leads): also per regex an array of sets (each < 32) whose words it may
 *   open with before its anchor's whitespace-separated word (a weekday
 *   before a month): every match that starts before that word holds one
 *   of them before the anchor. When those sets are looked for by their
 *   words alone, an anchor with none of them inside its window before it
 *   gets a window from the start of the word `before` words before its own
 *   (the array's field `before`, default 0: how far back a match that
 *   opens with no lead word may start) instead.
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words, needs,
 *   leads, bares): also per regex a Regex or false: the regex without the
 *   words its leads read (the same groups), searched instead of it in the
 *   subjects whose windows were all narrowed so (there no match opens
 *   with a lead word, and both find the same matches).
 * lode.core.scan_resolve(v, extras, plan, accept [, batch]) -> kept: the
 *   matches of the plan's regexes over View v, resolved leftmost-longest in
 *   one call, a Lua table made only for those that can still win. Regex r
 *   is searched in its windows around the anchors of its set: the
 *   occurrences of the set's words, and with extras[set] a Regex, its
 *   matches too (extras[set] true: the words alone); or in the whole view
 *   text when extras[set] is false. A window runs from the start of the
 *   befores[r]-th word before an anchor to the end of the afters[r]-th
 *   word after it, as re:windows widens a match, overlapping windows
 *   merged; a regex's windows are joined by NUL bytes into subjects of at
 *   most `batch` bytes (default 4096; a longer window is a subject alone),
 *   each searched as re:gfind does: what the windows leave out is never
 *   searched. The matches are walked as
 *   lode.core.resolve walks candidates (earliest start in the original,
 *   then longest, then lower prios[r], then earlier r, then text order),
 *   and accept(r, m) is called on each that starts after the last one
 *   accepted; m = {i, j, NAME = capture ...}: bytes of v's document
 *   (through its map), the regex's named groups (false when unset). accept
 *   returns a value to keep, or nil/false to refuse the match and leave its
 *   bytes to the next ones; kept holds the values, in document order. What
 *   an extractor's rules find, without a table per candidate that loses to
 *   a longer one. (The plan keeps its working memory for the next call; a
 *   call from inside accept makes its own.)
 * re:gfind_words(s, ws, bytes) -> flat array {i1, j1, captures1..., i2, ...}:
 *   for a regex anchored with \G, its matches tried only at the starts of
 *   the words of s in the WordSet ws (maximal runs of letters, as
 *   ws:find_word sees them) and at the bytes of the string `bytes` that
 *   follow no ASCII letter, digit or underscore, in text order, a start
 *   inside the previous match skipped. When every match of a regex R can
 *   only start at such a place, these are the matches R:gfind(s) finds
 *   with re = "\G(?:" .. R .. ")", without trying R at every word: a
 *   prefilter on first words and bytes.
 * re:gfind_words(s, ws, bytes, lead, pairs): the same, except that a word
 *   of the WordSet `lead` (one that opens matches only as the first of two
 *   words) is tried only when the word after it makes a phrase of the
 *   WordSet `pairs` ("w1 w2", one space): when ASCII whitespace and then a
 *   run of ASCII letters ended by an ASCII byte follow it, that run must
 *   be the second word of a pair; when ASCII whitespace and then an ASCII
 *   byte that is no letter follow it (a digit, a quote), no word does and
 *   it is not tried; any other text after it is tried.
 * re:gfind_words(s, ws, bytes, lead, pairs, heads, follow): the same, except
 *   that a word of the WordSet `heads` (one that opens matches only as the
 *   head of a match of its own after blanks: "about" of "about 5") is tried
 *   only when a byte >= 0x80, or spaces and tabs and then a byte >= 0x80,
 *   a byte of the string `follow` or a run of ASCII letters that is a word
 *   of ws (or that a byte >= 0x80 ends), follow it; a word of `lead` there
 *   only as it would be tried itself ("about the last decade").
 * re:gfind_bytes(s, bytes, after) -> flat array {i1, j1, captures1..., i2,
 *   ...}: for a regex anchored with \G, its matches tried only at the bytes
 *   of s in the string `bytes` that follow no byte of the string `after`,
 *   in text order, a start inside the previous match skipped: what
 *   R:gfind(s) finds when R's matches can start only there, without PCRE2
 *   trying R at every byte (a prefilter on first bytes: "0123456789" after
 *   no digit).
 * re:gfind_bytes(s, bytes, after, next): the same, except that a start at
 *   an ASCII digit is tried only when a byte of the string `next` or a
 *   byte >= 0x80 follows its run of ASCII digits (a clock time "10:30" or
 *   a phone number "(012) 345": what a match needs after its first
 *   digits).
 * doc:gmatch(re_or_pattern [, {view = v}]) -> iterator of match tables
 *   {i, j, line, text, match, [k] = capture, name = capture} where i, j,
 *   line and text cite the original Doc even when matching on a View.
 * Unset groups are false. Compiled patterns are cached per Lua state in a
 * weak table, so passing a pattern string again does not recompile it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lbind.h"
#include "byteseq.h"
#include "ascii.h"

#define SCRATCH_KEY "lode.scratch"
#define CACHE_KEY "lode.recache"
#define OVEC_STACK 32   /* 15 groups fit without allocating */

typedef struct regex_ud {
  lode_regex *re;
} regex_ud;

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

/* lode_scratch for the methods of regex_methods, which hold the scratch's
 * box as upvalue 3: no registry lookup by name a call (r:find and r:match
 * run for every candidate some extractors test). */
static lode_regex_scratch *method_scratch(lua_State *L) {
  return *(lode_regex_scratch **)lua_touserdata(L, lua_upvalueindex(3));
}

/* --- compiling and the cache ----------------------------------------------- */

static regex_ud *check_regex(lua_State *L, int arg) {
  regex_ud *r = luaL_checkudata(L, arg, LODE_REGEX);
  if (!r->re) luaL_argerror(L, arg, "regex is freed");
  return r;
}

/* check_regex for self in the methods of regex_methods, which hold the
 * Regex metatable as upvalue 1: compared there, without luaL_checkudata's
 * lookup by name (r:find and r:match run for every candidate some
 * extractors test). Anything else gets check_regex's error. */
static regex_ud *self_regex(lua_State *L) {
  regex_ud *r = lode_testudata_at(L, 1, lua_upvalueindex(1));
  if (r == NULL) return check_regex(L, 1);   /* raises its error */
  if (!r->re) luaL_argerror(L, 1, "regex is freed");
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
  return check_regex(L, arg)->re;
}

/* lode.regex(pattern [, flags]) -> Regex */
static int r_new(lua_State *L) {
  push_compiled(L, 1, 2);
  return 1;
}

/* --- matching helpers ------------------------------------------------------- */

static size_t *ovec_for(lua_State *L, const lode_regex *re, size_t *stackbuf) {
  size_t n = 2 * ((size_t)lode_regex_groups(re) + 1);
  return n <= OVEC_STACK ? stackbuf : lua_newuserdatauv(L, n * sizeof(size_t), 0);
}

/* Check the subject once, so iteration can skip PCRE2's check per match. */
static void check_subject(lua_State *L, const char *s, size_t len, int arg) {
  size_t ok = lode_utf8_valid_prefix(s, len);
  if (ok != len)
    luaL_argerror(L, arg, lua_pushfstring(L, "invalid UTF-8 at byte %I", (lua_Integer)ok + 1));
}

/* (sc: lode_scratch(L), fetched once by a caller that loops) */
static int exec_at(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s,
                   size_t len, size_t start, unsigned opts, size_t *ovec) {
  lode_error err;
  int rc = lode_regex_exec(re, sc, s, len, start, opts, ovec, &err);
  if (rc < 0) lode_raise(L, &err);
  return rc;
}

static int next_match(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s,
                      size_t len, size_t *pos, int *last_empty, size_t *ovec) {
  lode_error err;
  int rc = lode_regex_next(re, sc, s, len, pos, last_empty,
                           LODE_RE_TRUSTED, ovec, &err);
  if (rc < 0) lode_raise(L, &err);
  return rc;
}

static void push_group(lua_State *L, const char *s, const size_t *ovec, int k) {
  if (ovec[2 * k] == LODE_NOPOS) lua_pushboolean(L, 0);
  else lua_pushlstring(L, s + ovec[2 * k], ovec[2 * k + 1] - ovec[2 * k]);
}

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
  const lode_regex *re = check_regex(L, lua_upvalueindex(1))->re;
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

/* --- re:gfind_words ---------------------------------------------------------- */

static int ascii_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}


static int ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Whether a match may start at word s[wa, wb): not a word of `lead`, or
 * one followed by anything but ASCII whitespace and an ASCII byte (see
 * re:gfind_words), or by the second word of one of its `pairs`. */
static int may_open(const lode_wordset *lead, const lode_wordset *pairs, const char *s, size_t len,
                    size_t wa, size_t wb) {
  const unsigned char *u = (const unsigned char *)s;
  char phrase[64];
  size_t k = wb, e;
  if (!lead || !lode_wordset_has(lead, s + wa, wb - wa)) return 1;
  while (k < len && ascii_space(u[k])) k++;
  if (k == wb || k == len || u[k] >= 0x80) return 1;
  if (!lode_ascii_letter(u[k])) return 0;          /* "the 2017 war", 'a "corridor"' */
  for (e = k; e < len && lode_ascii_letter(u[e]); e++) {}
  if ((e < len && u[e] >= 0x80) || (wb - wa) + 1 + (e - k) > sizeof phrase) return 1;
  memcpy(phrase, s + wa, wb - wa);
  phrase[wb - wa] = ' ';
  memcpy(phrase + (wb - wa) + 1, s + k, e - k);
  return lode_wordset_has(pairs, phrase, (wb - wa) + 1 + (e - k));
}

/* Whether a match may start at a word of `heads` ending at wb: what
 * follows it may start a match of its own (see re:gfind_words), a word of
 * `lead` there only as may_open lets it. */
static int may_head(const lode_wordset *ws, const lode_wordset *lead, const lode_wordset *pairs,
                    const char *follow, const char *s, size_t len, size_t wb) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = wb, e;
  if (k < len && u[k] >= 0x80) return 1;
  if (k == len || (u[k] != ' ' && u[k] != '\t')) return 0;
  while (k < len && (u[k] == ' ' || u[k] == '\t')) k++;
  if (k == len) return 0;
  if (u[k] >= 0x80 || follow[u[k]]) return 1;
  if (!lode_ascii_letter(u[k])) return 0;
  for (e = k; e < len && lode_ascii_letter(u[e]); e++) {}
  return (e < len && u[e] >= 0x80) ||
         (lode_wordset_has(ws, s + k, e - k) && may_open(lead, pairs, s, len, k, e));
}

/* The matches a gfind_* keeps, as their ovecs (`width` offsets each), in
 * a buffer on the C stack and past it in a box: their flat array is made
 * at its final size once they are all found (grown a value at a time it
 * would be rehashed at every power of two). */
#define KEPT_STACK 512
typedef struct kept_matches {
  size_t *v, n, cap, width;
  void **box;
  size_t stack[KEPT_STACK];
} kept_matches;

static void kept_init(kept_matches *m, int groups) {
  m->v = m->stack;
  m->n = 0;
  m->cap = KEPT_STACK;
  m->width = 2 * ((size_t)groups + 1);
  m->box = NULL;
}

/* Keeps a match (may push a box on the stack, the first time past the
 * stack buffer). */
static void keep_match(lua_State *L, kept_matches *m, const size_t *ovec) {
  m->v = lode_grow_boxed(L, &m->box, m->v, m->n, &m->cap, m->n + m->width, sizeof *m->v);
  memcpy(m->v + m->n, ovec, m->width * sizeof *ovec);
  m->n += m->width;
}

/* Pushes the flat array {i1, j1, captures1..., i2, ...} of the kept
 * matches of subject s. */
static void push_kept(lua_State *L, const kept_matches *m, const char *s) {
  int g, groups = (int)(m->width / 2) - 1;
  size_t values = m->n / m->width * (m->width / 2 + 1), x;
  lua_Integer n = 0;
  lua_createtable(L, values <= INT_MAX ? (int)values : 0, 0);
  for (x = 0; x < m->n; x += m->width) {
    const size_t *ovec = m->v + x;
    lua_pushinteger(L, (lua_Integer)ovec[0] + 1);
    lua_rawseti(L, -2, ++n);
    lua_pushinteger(L, (lua_Integer)ovec[1]);
    lua_rawseti(L, -2, ++n);
    for (g = 1; g <= groups; g++) {
      push_group(L, s, ovec, g);
      lua_rawseti(L, -2, ++n);
    }
  }
}

/* The bytes a gfind_* tries, as a flag per byte and, for a scan sixteen
 * bytes a step, as one run of consecutive bytes [lo, lo + top] (the
 * longest: the digits) and BYTESET_SINGLES other bytes (currency signs'
 * first bytes, "+", "("; repeats of lo when fewer); a set with more
 * other bytes is `wide`. */
#define BYTESET_SINGLES 4
typedef struct byteset {
  char in[256];
  int any, wide;
  unsigned char lo, top, single[BYTESET_SINGLES];
} byteset;

static void byteset_init(byteset *b, const char *bytes, size_t n) {
  const unsigned char *u = (const unsigned char *)bytes;
  size_t k;
  int x, best = 0, nsingle = 0;
  memset(b->in, 0, sizeof b->in);
  b->wide = 0;
  for (k = 0; k < n; k++) b->in[u[k]] = 1;
  for (k = 0; k < n; k++)      /* from each run's first byte: its length */
    if (u[k] == 0 || !b->in[u[k] - 1]) {
      int c = u[k];
      while (c < 256 && b->in[c]) c++;
      if (c - u[k] > best) {
        best = c - u[k];
        b->lo = u[k];
      }
    }
  b->any = best > 0;
  if (!b->any) return;
  b->top = (unsigned char)(best - 1);
  for (k = 0; k < n && !b->wide; k++) {
    if (u[k] >= b->lo && u[k] - b->lo <= b->top) continue;
    for (x = 0; x < nsingle && b->single[x] != u[k]; x++) {}
    if (x < nsingle) continue;
    if (nsingle == BYTESET_SINGLES) b->wide = 1;
    else b->single[nsingle++] = u[k];
  }
  while (nsingle < BYTESET_SINGLES) b->single[nsingle++] = b->lo;
}

/* The first position >= k holding a byte of `set`, or len: sixteen bytes
 * a step with SSE2 (a byte is in the run when byte - lo <= top unsigned,
 * i.e. the saturated difference byte - lo - top is 0), else eight bytes a
 * step while none is listed (most text has no digit). */
static size_t next_listed(const unsigned char *u, size_t len, size_t k, const byteset *set) {
  const char *in = set->in;
  if (!set->any) return len;
#if defined(__SSE2__)
  if (!set->wide && k + 16 <= len) {
    const __m128i lo = _mm_set1_epi8((char)set->lo), top = _mm_set1_epi8((char)set->top);
    const __m128i s0 = _mm_set1_epi8((char)set->single[0]), s1 = _mm_set1_epi8((char)set->single[1]);
    const __m128i s2 = _mm_set1_epi8((char)set->single[2]), s3 = _mm_set1_epi8((char)set->single[3]);
    const __m128i zero = _mm_setzero_si128();
    for (; k + 16 <= len; k += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + k));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s0), _mm_cmpeq_epi8(v, s1)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, s2), _mm_cmpeq_epi8(v, s3)));
      unsigned mask;
      hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, lo), top), zero));
      mask = (unsigned)_mm_movemask_epi8(hit);
      if (mask) return k + (size_t)__builtin_ctz(mask);
    }
  }
#endif
  while (k + 8 <= len && !(in[u[k]] | in[u[k + 1]] | in[u[k + 2]] | in[u[k + 3]] |
                           in[u[k + 4]] | in[u[k + 5]] | in[u[k + 6]] | in[u[k + 7]]))
    k += 8;
  while (k < len && !in[u[k]]) k++;
  return k;
}

/* The first position >= k holding a byte of `set` that follows no ASCII
 * letter, digit or underscore, or LODE_NOPOS. */
static size_t next_start_byte(const unsigned char *u, size_t len, size_t k, const byteset *set) {
  for (k = next_listed(u, len, k, set); k < len; k = next_listed(u, len, k + 1, set))
    if (k == 0 || !ascii_word_byte(u[k - 1])) return k;
  return LODE_NOPOS;
}

static int r_gfind_words(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, blen, flen = 0, k, from = 0, wa = 0, wb = 0, bc, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  const lode_wordset *ws = lode_checkwordset_at(L, 3, lua_upvalueindex(2));
  const char *bytes = luaL_checklstring(L, 4, &blen);
  const lode_wordset *lead = lua_isnoneornil(L, 5) ? NULL : lode_checkwordset_at(L, 5, lua_upvalueindex(2));
  const lode_wordset *pairs = lead ? lode_checkwordset_at(L, 6, lua_upvalueindex(2)) : NULL;
  const lode_wordset *heads = lua_isnoneornil(L, 7) ? NULL : lode_checkwordset_at(L, 7, lua_upvalueindex(2));
  const char *follow = heads ? luaL_checklstring(L, 8, &flen) : NULL;
  const unsigned char *u = (const unsigned char *)s;
  char follow_set[256] = {0};
  byteset set;
  int have_word;
  size_t *ovec;
  kept_matches kept;
  lode_regex_scratch *sc = method_scratch(L);
  check_subject(L, s, len, 2);
  byteset_init(&set, bytes, blen);
  for (k = 0; k < flen; k++) follow_set[(unsigned char)follow[k]] = 1;
  lua_settop(L, 8);
  ovec = ovec_for(L, re, stackbuf);
  kept_init(&kept, lode_regex_groups(re));
  have_word = lode_wordset_find_word(ws, s, len, 0, &wa, &wb);
  bc = next_start_byte(u, len, 0, &set);
  for (;;) {
    size_t at = have_word && wa < bc ? wa : bc;
    if (at == LODE_NOPOS) break;
    if (at >= from && (at != wa || !have_word || at == bc ||
                       (may_open(lead, pairs, s, len, wa, wb) &&
                        (!heads || !lode_wordset_has(heads, s + wa, wb - wa) ||
                         may_head(ws, lead, pairs, follow_set, s, len, wb))))
        && exec_at(L, sc, re, s, len, at, LODE_RE_TRUSTED, ovec)) {
      keep_match(L, &kept, ovec);
      from = ovec[1] > at ? ovec[1] : at + 1;
    }
    /* the next start of either kind (a word ends before the next word) */
    if (have_word && wa == at) have_word = lode_wordset_find_word(ws, s, len, wb, &wa, &wb);
    if (bc == at) bc = next_start_byte(u, len, at + 1, &set);
  }
  push_kept(L, &kept, s);
  return 1;
}

/* --- re:gfind_bytes ---------------------------------------------------------- */

/* Whether the byte after the run of ASCII digits from k is >= 0x80 or in
 * `next` (see re:gfind_bytes). */
static int digits_then(const unsigned char *u, size_t len, size_t k, const char *next) {
  while (k < len && u[k] >= '0' && u[k] <= '9') k++;
  return k < len && (u[k] >= 0x80 || next[u[k]]);
}

static int r_gfind_bytes(lua_State *L) {
  const lode_regex *re = self_regex(L)->re;
  size_t len, blen, alen, nlen = 0, k, from = 0, stackbuf[OVEC_STACK];
  const char *s = luaL_checklstring(L, 2, &len);
  const char *bytes = luaL_checklstring(L, 3, &blen);
  const char *after = luaL_checklstring(L, 4, &alen);
  const char *next = luaL_optlstring(L, 5, NULL, &nlen);
  const unsigned char *u = (const unsigned char *)s;
  char skip[256] = {0}, next_set[256] = {0};
  byteset set;
  size_t *ovec;
  kept_matches kept;
  lode_regex_scratch *sc = method_scratch(L);
  check_subject(L, s, len, 2);
  byteset_init(&set, bytes, blen);
  for (k = 0; k < alen; k++) skip[(unsigned char)after[k]] = 1;
  for (k = 0; k < nlen; k++) next_set[(unsigned char)next[k]] = 1;
  lua_settop(L, 5);
  ovec = ovec_for(L, re, stackbuf);
  kept_init(&kept, lode_regex_groups(re));
  for (k = next_listed(u, len, 0, &set); k < len; k = next_listed(u, len, k + 1, &set)) {
    if (k < from || (k > 0 && skip[u[k - 1]])) continue;
    if (next && u[k] >= '0' && u[k] <= '9' && !digits_then(u, len, k, next_set)) continue;
    if (exec_at(L, sc, re, s, len, k, LODE_RE_TRUSTED, ovec)) {
      keep_match(L, &kept, ovec);
      from = ovec[1] > k ? ovec[1] : k + 1;
    }
  }
  push_kept(L, &kept, s);
  return 1;
}

/* --- rule windows (lode.core.scan_resolve) ---------------------------------- */

/* An anchor: a match s[start, end) of one of the anchor regexes, with the
 * edges of its word windows: ws[k] the start of the k-th word before it,
 * we[k] the end of the k-th word after it (see lode_regex_word_window). */
typedef struct anchor { size_t start, end, *ws, *we; } anchor;

static int by_start(const void *a, const void *b) {
  const anchor *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1 : x->end < y->end ? -1 : x->end > y->end;
}

static int is_blank(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* x->ws[0 .. before] and x->we[0 .. after], walking the words once: what
 * lode_regex_word_window gives for each count (0 / len when fewer words). */
static void word_edges(const char *s, size_t len, anchor *x, size_t before, size_t after) {
  size_t i = x->start, j = x->end, k;
  int more = 1;
  while (i > 0 && !is_blank((unsigned char)s[i - 1])) i--;
  x->ws[0] = i;
  for (k = 1; k <= before; k++) {
    if (more && i > 0 && is_blank((unsigned char)s[i - 1])) {
      while (i > 0 && is_blank((unsigned char)s[i - 1])) i--;
      more = i > 0;
      while (i > 0 && !is_blank((unsigned char)s[i - 1])) i--;
    } else {
      more = 0;
    }
    x->ws[k] = more ? i : 0;
  }
  more = 1;
  while (j < len && !is_blank((unsigned char)s[j])) j++;
  x->we[0] = j;
  for (k = 1; k <= after; k++) {
    if (more && j < len && is_blank((unsigned char)s[j])) {
      while (j < len && is_blank((unsigned char)s[j])) j++;
      more = j < len;
      while (j < len && !is_blank((unsigned char)s[j])) j++;
    } else {
      more = 0;
    }
    x->we[k] = more ? j : len;
  }
}

/* The windows of one regex joined into subjects: window k is s[from[k],
 * from[k] + len[k]) and starts at byte at[k] of its subject; subject b
 * holds windows first[b] .. first[b + 1] - 1 and is buf[start[b],
 * start[b] + size[b]). */
typedef struct joined {
  size_t *from, *len, *at, *first, *start, *size;
  size_t *led;        /* per window, then per subject: 1 when a lead word may open a match there */
  size_t nspans, nsubjects;
  char *room;         /* where join_windows writes the subjects */
  const char *buf;    /* where they are read: room, or s itself (whole) */
} joined;

/* An anchor word of scan_resolve's plan: s[start, end), of anchor set `set`. */
typedef struct word_hit { size_t start, end, set; } word_hit;

#define LEAD_SETS 32    /* the sets a lead may name: bits of an unsigned long */

/* Whether a word of a set in `mask` (bit s: set s) starts in [from, to);
 * *q a cursor into words (sorted by start), for `from` not decreasing. */
static int lead_between(const word_hit *words, size_t nwords, size_t *q, unsigned long mask, size_t from,
                        size_t to) {
  size_t t;
  while (*q < nwords && words[*q].start < from) ++*q;
  for (t = *q; t < nwords && words[t].start < to; t++)
    if (words[t].set < LEAD_SETS && (mask >> words[t].set & 1)) return 1;
  return 0;
}

/* Merge the windows (before, after) of the n sorted anchors (windows that
 * overlap become one), keep those where a word of set `need` starts (all
 * when need is 0; words[0 .. nwords), sorted by start) and join them by NUL
 * into subjects of at most `batch` bytes (a longer window is a subject
 * alone). With a `lead` mask, an anchor before which no word of those sets
 * starts inside its window gets a window from the start of the `unled`-th
 * word before its own (see scan_plan's leads). J's arrays hold room for n windows; J->room for
 * len + n bytes. */
static void join_windows(const char *s, const anchor *a, size_t n, size_t before, size_t after,
                         const word_hit *words, size_t nwords, size_t need, unsigned long lead, size_t unled,
                         size_t batch,
                         joined *J) {
  size_t k, w = 0, b = 0, fill = 0, q = 0, kept = 0;
  for (k = 0; k < n; k++) {
    size_t ws = a[k].ws[before], we = a[k].we[after], led = 1;
    if (lead && !lead_between(words, nwords, &q, lead, ws, a[k].start)) ws = a[k].ws[unled], led = 0;
    /* overlaps the windows before it (a narrowed one may start before the
     * last ones): one window */
    while (w > 0 && ws < J->from[w - 1] + J->len[w - 1]) {
      w--;
      if (J->from[w] + J->len[w] > we) we = J->from[w] + J->len[w];
      if (J->from[w] < ws) ws = J->from[w];
      led |= J->led[w];
    }
    J->from[w] = ws;
    J->len[w] = we - ws;
    J->led[w] = led;
    w++;
  }
  q = 0;
  for (k = 0; k < w; k++) {                        /* (a cursor: the windows are in order) */
    size_t t;
    if (need) {
      while (q < nwords && words[q].start < J->from[k]) q++;
      for (t = q; t < nwords && words[t].start < J->from[k] + J->len[k] && words[t].set != need; t++) {}
      if (t == nwords || words[t].start >= J->from[k] + J->len[k]) continue;
    }
    J->from[kept] = J->from[k];
    J->led[kept] = J->led[k];
    J->len[kept++] = J->len[k];
  }
  J->nspans = w = kept;
  /* (a subject's windows all led or all not: J->led[b] tells which; the
   * window flags are read before the subject flags overwrite them) */
  for (k = 0; k < w; k++) {
    if (k == 0 || fill + J->len[k] > batch || J->led[k] != J->led[b - 1]) {
      if (k > 0) J->size[b - 1] = fill - 1;
      J->first[b] = k;
      J->start[b] = b == 0 ? 0 : J->start[b - 1] + J->size[b - 1] + 1;
      J->led[b] = J->led[k];
      b++;
      fill = 0;
    }
    J->at[k] = fill;
    memcpy(J->room + J->start[b - 1] + fill, s + J->from[k], J->len[k]);
    J->room[J->start[b - 1] + fill + J->len[k]] = '\0';
    fill += J->len[k] + 1;
  }
  if (b > 0) J->size[b - 1] = fill - 1;
  J->first[b] = w;
  J->nsubjects = b;
  J->buf = J->room;
}

/* The whole of s as the one window of one subject (J's arrays hold room
 * for one window). */
static void whole_window(const char *s, size_t len, joined *J) {
  J->from[0] = J->at[0] = J->first[0] = J->start[0] = 0;
  J->len[0] = J->size[0] = len;
  J->led[0] = 1;
  J->first[1] = 1;
  J->nspans = J->nsubjects = 1;
  J->buf = s;
}

/* The working memory of a scan, kept between calls (see scan_work_take):
 * the anchors found, their word edges, the joined windows and the room
 * they are copied into; and the matches scan_resolve collects before its
 * walk: per match, its candidate (bytes of the original, prio, id = the
 * match's index), its regex and where its groups' offsets in s start in
 * `groups`. Freed by __gc. */
#define SCAN_WORK "lode.ScanWork"
#define SCAN_ROOM_KEPT ((size_t)1 << 20)   /* bytes of room kept between calls */
typedef struct scan_work {
  word_hit *all;                 /* every set's anchor words */
  anchor *a;                     /* one set's anchors */
  size_t nall, all_cap, a_cap;
  unsigned char *plain;          /* per set (1-based): found by its words alone */
  size_t plain_cap;
  size_t *edges, edges_cap;
  size_t *spans, spans_cap;      /* the arrays of a joined */
  char *room;
  size_t room_cap;
  lode_cand *cand;               /* (twice n: the sort's scratch) */
  size_t *regex, *at, *groups;
  size_t n, cand_cap, regex_cap, at_cap, ngroups, gcap;
  const lode_view *view;
} scan_work;

static int scan_work_gc(lua_State *L) {
  scan_work *w = lua_touserdata(L, 1);
  free(w->all); free(w->a); free(w->plain); free(w->edges); free(w->spans); free(w->room);
  free(w->cand); free(w->regex); free(w->at); free(w->groups);
  memset(w, 0, sizeof *w);
  return 0;
}

/* *p with room for `need` entries of `size` bytes (*cap counts them). */
static void *reserve(lua_State *L, void *p, size_t *cap, size_t need, size_t size) {
  size_t want = *cap ? *cap : 16;
  if (need <= *cap) return p;
  while (want < need) want = want <= (size_t)-1 / 2 ? 2 * want : need;
  p = want <= (size_t)-1 / size ? realloc(p, want * size) : NULL;
  if (!p) luaL_error(L, "not enough memory");
  *cap = want;
  return p;
}
#define RESERVE(L, w, field, capfield, need) \
  ((w)->field = reserve((L), (w)->field, &(w)->capfield, (need), sizeof *(w)->field))

/* Record a match (ovec in subject terms, `off` added to reach s). */
static void add_hit(lua_State *L, scan_work *h, size_t r, long prio, int groups, const size_t *ovec,
                    lua_Integer off) {
  size_t oi, oj, g, need = 2 * ((size_t)groups + 1);
  RESERVE(L, h, cand, cand_cap, 2 * (h->n + 1));
  RESERVE(L, h, regex, regex_cap, h->n + 1);
  RESERVE(L, h, at, at_cap, h->n + 1);
  RESERVE(L, h, groups, gcap, h->ngroups + need);
  for (g = 0; g < need; g++)
    h->groups[h->ngroups + g] = ovec[g] == LODE_NOPOS ? LODE_NOPOS : (size_t)((lua_Integer)ovec[g] + off);
  lode_view_origin(h->view, h->groups[h->ngroups], h->groups[h->ngroups + 1], &oi, &oj);
  h->cand[h->n].start = oi;
  h->cand[h->n].end = oj;
  h->cand[h->n].prio = prio;
  h->cand[h->n].id = h->n;
  h->regex[h->n] = r;
  h->at[h->n] = h->ngroups;
  h->ngroups += need;
  h->n++;
}

/* Search the subjects of J with `re` (regex index r), or with `bare` (the
 * same groups; NULL: none) those where no lead word opens a match: with
 * h, record each match there; else append it to the result table at
 * `out` (n counts its entries). */
static void scan_joined(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const lode_regex *bare,
                        lua_Integer r, const joined *J, int out, lua_Integer *n, scan_work *h, long prio) {
  size_t stackbuf[OVEC_STACK], *ovec = ovec_for(L, re, stackbuf), b;
  int g, groups = lode_regex_groups(re);
  luaL_checkstack(L, groups + 3, "too many captures");
  for (b = 0; b < J->nsubjects; b++) {
    const char *sub = J->buf + J->start[b];
    const lode_regex *x = bare && !J->led[b] ? bare : re;
    size_t len = J->size[b], pos = 0, k = J->first[b];
    int last_empty = 0;
    while (pos <= len && next_match(L, sc, x, sub, len, &pos, &last_empty, ovec)) {
      lua_Integer off;
      while (k + 1 < J->first[b + 1] && J->at[k + 1] <= ovec[0]) k++;
      off = (lua_Integer)J->from[k] - (lua_Integer)J->at[k];
      if (h) {
        add_hit(L, h, (size_t)r - 1, prio, groups, ovec, off);
        continue;
      }
      lua_pushinteger(L, r);
      lua_rawseti(L, out, ++*n);
      lua_pushinteger(L, (lua_Integer)ovec[0] + 1 + off);
      lua_rawseti(L, out, ++*n);
      lua_pushinteger(L, (lua_Integer)ovec[1] + off);
      lua_rawseti(L, out, ++*n);
      for (g = 1; g <= groups; g++) {
        push_group(L, sub, ovec, g);
        lua_rawseti(L, out, ++*n);
      }
    }
  }
}

/* The Regex at the top of the stack, entry k of the array `arg`. */
static const lode_regex *regex_at(lua_State *L, int arg, lua_Integer k, const char *what) {
  regex_ud *u;
  lua_rawgeti(L, arg, k);
  if ((u = luaL_testudata(L, -1, LODE_REGEX)) == NULL)
    luaL_argerror(L, arg, lua_pushfstring(L, "%s[%I]: lode.Regex expected, got %s", what, k,
                                          luaL_typename(L, -1)));
  if (!u->re) luaL_argerror(L, arg, "regex is freed");
  return u->re;
}

/* Entry k of the array of counts at `arg` (at least `least`). */
static size_t count_at(lua_State *L, int arg, lua_Integer k, lua_Integer least, const char *what) {
  lua_Integer c;
  lua_rawgeti(L, arg, k);
  c = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : least - 1;
  lua_pop(L, 1);
  if (c < least) luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: %s expected", k, what));
  return (size_t)c;
}

/* One regex of a scan and its word counts, read from Lua once; set is the
 * anchor set (an index in the array of sets), prio its priority, need the
 * set whose words every match holds (0: none known). */
typedef struct scan_plan {
  const lode_regex *re;
  size_t before, after, set, need;
  unsigned long lead;   /* bit s: set s leads (see scan_plan's leads) */
  size_t unled;         /* the word count before of a window no lead word opens */
  const lode_regex *bare;   /* re without its lead words, or NULL */
  long prio;
} scan_plan;

/* Read the nre regexes at `res` (with their counts at `bef`, `aft`, and
 * with `sets`, `prios` when nonzero) into plan[0 .. nre). */
static void read_plan(lua_State *L, int res, int bef, int aft, int sets, int prios,
                      scan_plan *plan, lua_Integer nre) {
  lua_Integer r;
  luaL_argcheck(L, luaL_len(L, bef) == nre, bef, "one word count per regex expected");
  luaL_argcheck(L, luaL_len(L, aft) == nre, aft, "one word count per regex expected");
  if (sets) luaL_argcheck(L, luaL_len(L, sets) == nre, sets, "one set per regex expected");
  if (prios) luaL_argcheck(L, luaL_len(L, prios) == nre, prios, "one priority per regex expected");
  for (r = 1; r <= nre; r++) {
    scan_plan *p = &plan[r - 1];
    p->before = count_at(L, bef, r, 0, "a word count >= 0");
    p->after = count_at(L, aft, r, 0, "a word count >= 0");
    p->set = sets ? count_at(L, sets, r, 1, "a set number >= 1") : 1;
    p->need = 0;
    p->lead = 0;
    p->unled = 0;
    p->bare = NULL;
    if (prios) {
      lua_rawgeti(L, prios, r);
      if (!lua_isinteger(L, -1)) luaL_argerror(L, prios, lua_pushfstring(L, "entry %I: an integer expected", r));
      p->prio = (long)lua_tointeger(L, -1);
      lua_pop(L, 1);
    } else {
      p->prio = 0;
    }
    p->re = regex_at(L, res, r, "regexes");
    lua_pop(L, 1);
  }
}

/* Append every match of `re` in s to w->a (w->n counts them). */
static void regex_anchors(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s, size_t len,
                          scan_work *w, size_t *n) {
  size_t pos = 0, stackbuf[OVEC_STACK], *ovec = ovec_for(L, re, stackbuf);
  int last_empty = 0;
  while (pos <= len && next_match(L, sc, re, s, len, &pos, &last_empty, ovec)) {
    RESERVE(L, w, a, a_cap, *n + 1);
    w->a[*n].start = ovec[0];
    w->a[*n].end = ovec[1];
    ++*n;
  }
}

/* Search s with the regexes of `plan` whose set is `set`: each in its
 * windows around the n anchors w->a (see scan_resolve), those without a
 * word of the regex's `need` set left out when plain[need] and plain[set]
 * (both found by their words alone: w->all holds the need's words, and a
 * match through some other anchor is no concern), joined into subjects
 * of at most `batch` bytes; or, when whole, in the whole of s. Each match
 * goes to scan_joined (out, count, h). */
static void scan_set(lua_State *L, lode_regex_scratch *sc, const char *s, size_t len, int whole, size_t n,
                     const scan_plan *plan, lua_Integer nre, size_t set, const unsigned char *plain,
                     size_t batch, int out, lua_Integer *count, scan_work *w, scan_work *h) {
  size_t maxb = 0, maxa = 0, k, step;
  lua_Integer r;
  int searched = 0;
  anchor *a = w->a;
  joined J;
  for (r = 1; r <= nre; r++) {
    if (plan[r - 1].set != set) continue;
    searched = 1;
    if (plan[r - 1].before > maxb) maxb = plan[r - 1].before;
    if (plan[r - 1].after > maxa) maxa = plan[r - 1].after;
  }
  /* (a set only needed by others, a year or a weekday, anchors no regex) */
  if (!searched || (!whole && n == 0)) return;
  /* the word edges of every anchor, then room to join the windows */
  step = maxb + maxa + 2;
  RESERVE(L, w, edges, edges_cap, (n ? n : 1) * step);
  for (k = 0; k < n; k++) {
    a[k].ws = w->edges + k * step;
    a[k].we = a[k].ws + maxb + 1;
    word_edges(s, len, &a[k], maxb, maxa);
  }
  if (n == 0) n = 1;                                /* (room for the whole window) */
  RESERVE(L, w, spans, spans_cap, 7 * n + 3);
  J.from = w->spans;
  J.len = J.from + n;
  J.at = J.len + n;
  J.first = J.at + n;                               /* nsubjects + 1 <= n + 1 */
  J.start = J.first + n + 1;
  J.size = J.start + n + 1;
  J.led = J.size + n + 1;
  if (whole) {
    whole_window(s, len, &J);
  } else {
    RESERVE(L, w, room, room_cap, len + n + 1);
    J.room = w->room;
  }
  for (r = 1; r <= nre; r++) {
    const scan_plan *p = &plan[r - 1];
    unsigned long lead = p->lead;
    size_t ls;
    if (p->set != set) continue;
    for (ls = 1; lead && ls < LEAD_SETS; ls++)      /* (every lead set found by its words alone) */
      if ((lead >> ls & 1) && !(plain && plain[ls])) lead = 0;
    if (!whole)
      join_windows(s, a, n, p->before, p->after, w->all, w->nall,
                   plain && p->need && plain[p->need] && plain[set] ? p->need : 0, lead, p->unled, batch, &J);
    scan_joined(L, sc, p->re, p->bare, r, &J, out, count, h, p->prio);
  }
}

/* A new scan_work at the top of the stack. */
static scan_work *push_work(lua_State *L) {
  scan_work *w = lua_newuserdatauv(L, sizeof *w, 0);
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, SCAN_WORK);
  return w;
}

/* A plan of scan_resolve: its regexes (the Regexes themselves kept alive
 * by the plan's user value 1, a copy of the array), sets, counts and
 * prios, and the anchor words of every set as byte sequences (seq_set[q]
 * the set of sequence q). User value 2 holds a spare scan_work. */
#define SCAN_PLAN "lode.ScanPlan"
typedef struct plan_ud {
  lua_Integer nre;
  size_t maxset;       /* the highest set number */
  size_t nwords;       /* the number of word sets (a need may name any) */
  lode_byteseqs *words;
  size_t *seq_set;
  scan_plan p[];
} plan_ud;

static int plan_gc(lua_State *L) {
  plan_ud *u = lua_touserdata(L, 1);
  lode_byteseqs_free(u->words);
  free(u->seq_set);
  u->words = NULL;
  u->seq_set = NULL;
  return 0;
}

/* The anchor words of every set (the array of arrays at `arg`) into u. */
static void read_words(lua_State *L, int arg, plan_ud *u) {
  lua_Integer nsets = luaL_len(L, arg), set, k, n = 0, q = 0;
  const char **seqs;
  size_t *lens;
  lode_error err;
  luaL_argcheck(L, nsets >= (lua_Integer)u->maxset, arg, "anchor words for every set expected");
  for (set = 1; set <= nsets; set++) {
    if (lua_rawgeti(L, arg, set) != LUA_TTABLE)
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: an array of strings expected", set));
    n += luaL_len(L, -1);
    lua_pop(L, 1);
  }
  seqs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *seqs, 0);
  lens = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *lens, 0);
  if ((u->seq_set = malloc((size_t)(n ? n : 1) * sizeof *u->seq_set)) == NULL) luaL_error(L, "not enough memory");
  for (set = 1; set <= nsets; set++) {
    lua_rawgeti(L, arg, set);
    for (k = 1; k <= luaL_len(L, -1); k++, q++) {
      if (lua_rawgeti(L, -1, k) != LUA_TSTRING)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I[%I]: a string expected", set, k));
      seqs[q] = lua_tolstring(L, -1, &lens[q]);   /* (kept alive by the table) */
      u->seq_set[q] = (size_t)set;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if ((u->words = lode_byteseqs_new(seqs, lens, (size_t)n, &err)) == NULL) lode_raise(L, &err);
  lua_pop(L, 2);
}

/* The lead sets of every regex (arrays of set numbers at `arg`) into u. */
static void read_leads(lua_State *L, int arg, plan_ud *u) {
  lua_Integer r, k;
  luaL_argcheck(L, luaL_len(L, arg) == u->nre, arg, "one array of set numbers per regex expected");
  for (r = 1; r <= u->nre; r++) {
    if (lua_rawgeti(L, arg, r) != LUA_TTABLE)
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: an array of set numbers expected", r));
    for (k = 1; k <= luaL_len(L, -1); k++) {
      size_t set = count_at(L, lua_gettop(L), k, 1, "a set number >= 1");
      if (set > u->nwords || set >= LEAD_SETS)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: no set %I (at most %d)", r, (lua_Integer)set,
                                              LEAD_SETS - 1));
      u->p[r - 1].lead |= 1UL << set;
    }
    if (lua_getfield(L, -1, "before") != LUA_TNIL) {
      lua_Integer b = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
      if (b < 0 || (size_t)b > u->p[r - 1].before)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: before, a word count from 0 to the regex's expected", r));
      u->p[r - 1].unled = (size_t)b;
    }
    lua_pop(L, 2);
  }
}

/* Whether regexes a and b number the same groups by the same names. */
static int same_groups(const lode_regex *a, const lode_regex *b) {
  int k, n = lode_regex_name_count(a), ga, gb;
  if (lode_regex_groups(a) != lode_regex_groups(b) || n != lode_regex_name_count(b)) return 0;
  for (k = 0; k < n; k++)
    if (strcmp(lode_regex_name(a, k, &ga), lode_regex_name(b, k, &gb)) != 0 || ga != gb) return 0;
  return 1;
}

/* The bare regexes (a Regex or false per regex, at `arg`) into u, kept
 * alive in the table at `kept` after the regexes. */
static void read_bares(lua_State *L, int arg, int kept, plan_ud *u) {
  lua_Integer r;
  luaL_argcheck(L, luaL_len(L, arg) == u->nre, arg, "one Regex or false per regex expected");
  for (r = 1; r <= u->nre; r++) {
    if (lua_rawgeti(L, arg, r) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    u->p[r - 1].bare = regex_at(L, arg, r, "bares");
    if (!same_groups(u->p[r - 1].re, u->p[r - 1].bare))
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: not the groups of regex %I", r, r));
    lua_rawseti(L, kept, u->nre + r);
  }
}

/* scan_plan(regexes, sets, befores, afters, prios, words [, needs [, leads [, bares]]]) */
static int r_scan_plan(lua_State *L) {
  lua_Integer nre, r, nwords;
  plan_ud *u;
  int k;
  for (k = 1; k <= 6; k++) luaL_checktype(L, k, LUA_TTABLE);
  for (k = 7; k <= 9; k++)
    if (!lua_isnoneornil(L, k)) luaL_checktype(L, k, LUA_TTABLE);
  lua_settop(L, 9);
  nre = luaL_len(L, 1);
  if ((size_t)nre > ((size_t)-1 - sizeof *u) / sizeof(scan_plan)) luaL_argerror(L, 1, "too many regexes");
  u = lua_newuserdatauv(L, sizeof *u + (size_t)nre * sizeof(scan_plan), 2);   /* 10 */
  u->nre = nre;
  u->maxset = 0;
  u->words = NULL;
  u->seq_set = NULL;
  luaL_setmetatable(L, SCAN_PLAN);                  /* (its __gc frees what read_words makes) */
  read_plan(L, 1, 3, 4, 2, 5, u->p, nre);
  lua_createtable(L, (int)nre, 0);                  /* 11: the Regexes (and bare ones), kept */
  for (r = 1; r <= nre; r++) {
    if (u->p[r - 1].set > u->maxset) u->maxset = u->p[r - 1].set;
    lua_rawgeti(L, 1, r);
    lua_rawseti(L, 11, r);
  }
  if (!lua_isnil(L, 9)) read_bares(L, 9, 11, u);
  lua_setiuservalue(L, 10, 1);
  read_words(L, 6, u);
  nwords = luaL_len(L, 6);
  u->nwords = (size_t)nwords;
  if (!lua_isnil(L, 7)) {
    luaL_argcheck(L, luaL_len(L, 7) == nre, 7, "one set number (or 0) per regex expected");
    for (r = 1; r <= nre; r++) {
      size_t need = count_at(L, 7, r, 0, "a set number >= 0");
      if ((lua_Integer)need > nwords) luaL_argerror(L, 7, lua_pushfstring(L, "entry %I: no set %I", r, (lua_Integer)need));
      u->p[r - 1].need = need;
    }
  }
  if (!lua_isnil(L, 8)) read_leads(L, 8, u);
  lua_settop(L, 10);
  return 1;
}

/* The anchor words found by the byte sequences, in text order. */
typedef struct word_ctx { lua_State *L; scan_work *w; const size_t *seq_set; } word_ctx;
static void word_found(void *ctx, size_t seq, size_t start, size_t end) {
  word_ctx *x = ctx;
  scan_work *w = x->w;
  RESERVE(x->L, w, all, all_cap, w->nall + 1);
  w->all[w->nall].start = start;
  w->all[w->nall].end = end;
  w->all[w->nall++].set = x->seq_set[seq];
}

/* A spare scan_work of the plan at 3 (taken from its user value 2: a call
 * inside accept finds none and makes its own), at the top of the stack. */
static scan_work *scan_work_take(lua_State *L) {
  scan_work *w;
  if (lua_getiuservalue(L, 3, 2) == LUA_TUSERDATA) {
    w = lua_touserdata(L, -1);
    lua_pushnil(L);
    lua_setiuservalue(L, 3, 2);
  } else {
    lua_pop(L, 1);
    w = push_work(L);
  }
  w->nall = w->n = w->ngroups = 0;
  return w;
}

/* scan_resolve(v, extra, plan, accept [, batch]) */
static int r_scan_resolve(lua_State *L) {
  size_t len, k, nplain;
  const char *s;
  const scan_plan *plan;
  const plan_ud *u;
  lua_Integer nsets, set, batch = luaL_optinteger(L, 5, 4096), kept = 0;
  lode_regex_scratch *sc = lode_scratch(L);
  lode_resolve_walk rw;
  const lode_cand *c;
  scan_work *w;
  int words_found = 0;
  const lode_view *view = lode_checkview(L, 1)->view;
  s = lode_view_bytes(view, &len);
  luaL_checktype(L, 2, LUA_TTABLE);
  u = luaL_checkudata(L, 3, SCAN_PLAN);
  plan = u->p;
  luaL_checktype(L, 4, LUA_TFUNCTION);
  luaL_argcheck(L, batch > 0, 5, "batch: a positive size expected");
  lua_settop(L, 5);
  nsets = luaL_len(L, 2);
  if ((lua_Integer)u->maxset > nsets)
    luaL_argerror(L, 2, lua_pushfstring(L, "the plan needs %I anchor sets", (lua_Integer)u->maxset));
  check_subject(L, s, len, 1);
  w = scan_work_take(L);                            /* 6 */
  w->view = view;
  /* plain[set]: the set is found by its words alone. A need may name a
   * set past the extras given: not plain, so nothing is skipped for it */
  nplain = (size_t)nsets > u->nwords ? (size_t)nsets : u->nwords;
  RESERVE(L, w, plain, plain_cap, nplain + 1);
  memset(w->plain, 0, nplain + 1);
  for (set = 1; set <= nsets; set++) {
    w->plain[set] = lua_rawgeti(L, 2, set) == LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  for (set = 1; set <= nsets; set++) {
    int t = lua_rawgeti(L, 2, set);                 /* 7 */
    const lode_regex *extra = NULL;
    size_t n = 0;
    if (t == LUA_TUSERDATA) {
      regex_ud *x = luaL_testudata(L, 7, LODE_REGEX);
      if (x && !x->re) luaL_argerror(L, 2, "regex is freed");
      extra = x ? x->re : NULL;
    }
    if (!extra && t != LUA_TBOOLEAN)
      luaL_argerror(L, 2, lua_pushfstring(L, "entry %I: a Regex, true or false expected", set));
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, 7)) {
      scan_set(L, sc, s, len, 1, 0, plan, u->nre, (size_t)set, w->plain, (size_t)batch, 0, NULL, w, w);
    } else {
      if (!words_found) {                           /* every set's words, in one pass */
        word_ctx x;
        x.L = L;
        x.w = w;
        x.seq_set = u->seq_set;
        lode_byteseqs_find(u->words, s, len, word_found, &x);
        words_found = 1;
      }
      for (k = 0; k < w->nall; k++) {
        if (w->all[k].set != (size_t)set) continue;
        RESERVE(L, w, a, a_cap, n + 1);
        w->a[n].start = w->all[k].start;
        w->a[n++].end = w->all[k].end;
      }
      if (extra) {
        regex_anchors(L, sc, extra, s, len, w, &n);
        qsort(w->a, n, sizeof *w->a, by_start);
      }
      scan_set(L, sc, s, len, 0, n, plan, u->nre, (size_t)set, w->plain, (size_t)batch, 0, NULL, w, w);
    }
    lua_settop(L, 6);
  }
  if (w->n) lode_resolve_sort_runs(w->cand, w->n, w->cand + w->n);   /* a run per regex, each in order */
  lua_newtable(L);                                  /* 7: kept */
  lode_resolve_walk_init(&rw, w->cand, w->n, NULL, 0);
  while ((c = lode_resolve_next(&rw)) != NULL) {
    const lode_regex *re = plan[w->regex[c->id]].re;
    const size_t *ovec = w->groups + w->at[c->id];
    int names = lode_regex_name_count(re), g;
    lua_pushvalue(L, 4);
    lua_pushinteger(L, (lua_Integer)w->regex[c->id] + 1);
    lua_createtable(L, 0, names + 2);               /* [.., accept, r, m] */
    lua_pushinteger(L, (lua_Integer)c->start + 1);
    lua_setfield(L, -2, "i");
    lua_pushinteger(L, (lua_Integer)c->end);
    lua_setfield(L, -2, "j");
    for (k = 0; k < (size_t)names; k++) {
      const char *name = lode_regex_name(re, (int)k, &g);
      push_group(L, s, ovec, g);
      lua_setfield(L, -2, name);
    }
    lua_call(L, 2, 1);                              /* [.., kept, value] */
    if (!((lode_view_ud *)lua_touserdata(L, 1))->view)
      return luaL_error(L, "scan_resolve: the view was closed during the walk");
    if (!lua_toboolean(L, -1)) { lua_pop(L, 1); continue; }
    lode_resolve_take(&rw, c);
    lua_rawseti(L, 7, ++kept);
  }
  /* the work back, for the next call; not the room a huge page took (the
   * plan lives as long as its Lua state) */
  if (w->room_cap > SCAN_ROOM_KEPT) {
    free(w->room);
    w->room = NULL;
    w->room_cap = 0;
  }
  lua_pushvalue(L, 6);
  lua_setiuservalue(L, 3, 2);
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
  const lode_regex *re = check_regex(L, lua_upvalueindex(2))->re;
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
  {"gfind_words", r_gfind_words}, {"gfind_bytes", r_gfind_bytes}, {NULL, NULL}
};

static const luaL_Reg regex_meta[] = {
  {"__gc", r_gc}, {"__tostring", r_tostring}, {NULL, NULL}
};

void lode_open_regex(lua_State *L) {
  luaL_newmetatable(L, SCAN_PLAN);       /* [M, meta] */
  lua_pushcfunction(L, plan_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, SCAN_WORK);
  lua_pushcfunction(L, scan_work_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
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
  lua_pushcfunction(L, r_scan_resolve);
  lua_setfield(L, -2, "scan_resolve");
  lua_pushcfunction(L, r_scan_plan);
  lua_setfield(L, -2, "scan_plan");
}
