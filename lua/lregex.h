/*
 * lregex.h -- what the files of the Regex binding share: the Regex userdata
 * and the helpers every search loop calls (static inline: each file's loops
 * keep them inlined).
 *
 *   lregex.c        the Regex object (lode.regex, re:find ... re:windows)
 *                   and doc:gmatch;
 *   lregex_gfind.c  re:gfind_words, re:gfind_bytes: a regex tried only at
 *                   the starts a prefilter lets through;
 *   lregex_scan.c   lode.core.scan_plan, scan_resolve: rules searched in
 *                   the word windows around their anchor words.
 */
#ifndef LODE_LREGEX_H
#define LODE_LREGEX_H

#include "lbind.h"

#define OVEC_STACK 32   /* 15 groups fit without allocating */

typedef struct regex_ud {
  lode_regex *re;
} regex_ud;

/* The Regex at `arg`, or raise an argument error (not a Regex, or freed). */
regex_ud *lode_checkregex(lua_State *L, int arg);

/* lode_scratch for the methods of regex_methods, which hold the scratch's
 * box as upvalue 3: no registry lookup by name a call (r:find and r:match
 * run for every candidate some extractors test). */
static inline lode_regex_scratch *method_scratch(lua_State *L) {
  return *(lode_regex_scratch **)lua_touserdata(L, lua_upvalueindex(3));
}

/* lode_checkregex for self in the methods of regex_methods, which hold the
 * Regex metatable as upvalue 1: compared there, without luaL_checkudata's
 * lookup by name (r:find and r:match run for every candidate some
 * extractors test). Anything else gets lode_checkregex's error. */
static inline regex_ud *self_regex(lua_State *L) {
  regex_ud *r = lode_testudata_at(L, 1, lua_upvalueindex(1));
  if (r == NULL) return lode_checkregex(L, 1);   /* raises its error */
  if (!r->re) luaL_argerror(L, 1, "regex is freed");
  return r;
}

static inline size_t *ovec_for(lua_State *L, const lode_regex *re, size_t *stackbuf) {
  size_t n = 2 * ((size_t)lode_regex_groups(re) + 1);
  return n <= OVEC_STACK ? stackbuf : lua_newuserdatauv(L, n * sizeof(size_t), 0);
}

/* Check the subject once, so iteration can skip PCRE2's check per match. */
static inline void check_subject(lua_State *L, const char *s, size_t len, int arg) {
  size_t ok = lode_utf8_valid_prefix(s, len);
  if (ok != len)
    luaL_argerror(L, arg, lua_pushfstring(L, "invalid UTF-8 at byte %I", (lua_Integer)ok + 1));
}

/* (sc: lode_scratch(L), fetched once by a caller that loops) */
static inline int exec_at(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s,
                          size_t len, size_t start, unsigned opts, size_t *ovec) {
  lode_error err;
  int rc = lode_regex_exec(re, sc, s, len, start, opts, ovec, &err);
  if (rc < 0) lode_raise(L, &err);
  return rc;
}

static inline int next_match(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s,
                             size_t len, size_t *pos, int *last_empty, size_t *ovec) {
  lode_error err;
  int rc = lode_regex_next(re, sc, s, len, pos, last_empty,
                           LODE_RE_TRUSTED, ovec, &err);
  if (rc < 0) lode_raise(L, &err);
  return rc;
}

static inline void push_group(lua_State *L, const char *s, const size_t *ovec, int k) {
  if (ovec[2 * k] == LODE_NOPOS) lua_pushboolean(L, 0);
  else lua_pushlstring(L, s + ovec[2 * k], ovec[2 * k + 1] - ovec[2 * k]);
}

/* ASCII whitespace (Lua's %s): what separates the words of windows. */
static inline int ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* re:gfind_words and re:gfind_bytes (lregex_gfind.c): Regex methods, with
 * the upvalues of regex_methods (lregex.c). */
int lode_gfind_words(lua_State *L);
int lode_gfind_bytes(lua_State *L);

/* Add lode.core.scan_plan and scan_resolve to the table on the top of the
 * stack and register their metatables (lregex_scan.c). */
void lode_open_scan(lua_State *L);

#endif
