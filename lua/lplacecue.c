/*
 * lplacecue.c -- the place cues' matches from Lua (core/placecue.h).
 *
 * lode.core.place_cue_spans(doc, cues, the_re, of_re) -> I1, J1, I2, J2:
 *   the_re tried only at the places lode_placecue_starts reports after
 *   "the ", of_re only at those before "of ", each with the WordSet
 *   `cues` and in text order, a place inside the regex's previous match
 *   skipped; I1[n], J1[n] (I2, J2 for of_re) the 1-based inclusive bytes
 *   of match n of the doc's text, as doc:match_spans gives them. When the
 *   regexes are "\G(?:" .. R .. ")" for regexes R whose matches (not
 *   empty) can start only at those places (the extractor's "the X
 *   district" and "the city of X", see core/placecue.h), these are
 *   doc:match_spans(R)'s columns, without PCRE2 trying R at every "t" or
 *   space of the page.
 */
#include "lbind.h"
#include "placecue.h"

#define MAX_GROUPS 9

typedef struct tries {
  lua_State *L;
  lode_regex_scratch *sc;
  const lode_regex *re[2];
  const char *s;
  size_t len, from[2];
  lua_Integer n[2];
} tries;

/* Tries the kind's regex at `at` (the columns of kind k at stack slots
 * 5 + 2k, 6 + 2k). */
static void try_at(void *ctx, int kind, size_t at) {
  tries *t = ctx;
  size_t ovec[2 * (MAX_GROUPS + 1)];
  lode_error err;
  int rc;
  if (at < t->from[kind]) return;
  rc = lode_regex_exec(t->re[kind], t->sc, t->s, t->len, at, LODE_RE_TRUSTED, ovec, &err);
  if (rc < 0) lode_raise(t->L, &err);
  if (rc == 0) return;
  t->from[kind] = ovec[1] > at ? ovec[1] : at + 1;
  t->n[kind]++;
  lua_pushinteger(t->L, (lua_Integer)ovec[0] + 1);
  lua_rawseti(t->L, 5 + 2 * kind, t->n[kind]);
  lua_pushinteger(t->L, (lua_Integer)ovec[1]);
  lua_rawseti(t->L, 6 + 2 * kind, t->n[kind]);
}

static int place_cue_spans(lua_State *L) {
  lode_doc_ud *d = lode_checkdoc(L, 1);
  const lode_wordset *cues = lode_checkwordset(L, 2);
  tries t = {L, NULL, {NULL, NULL}, NULL, 0, {0, 0}, {0, 0}};
  int k;
  t.re[0] = lode_toregex(L, 3, 0);
  t.re[1] = lode_toregex(L, 4, 0);
  for (k = 0; k < 2; k++)
    luaL_argcheck(L, lode_regex_groups(t.re[k]) <= MAX_GROUPS, 3 + k, "too many capture groups");
  t.sc = lode_scratch(L);
  t.s = lode_text_bytes(d->text, &t.len);
  lua_settop(L, 4);
  for (k = 0; k < 4; k++) lua_newtable(L);
  lode_placecue_starts(t.s, t.len, cues, try_at, &t);
  return 4;
}

static const luaL_Reg placecue_funcs[] = {
  {"place_cue_spans", place_cue_spans},
  {NULL, NULL}
};

void lode_open_placecue(lua_State *L) {
  luaL_setfuncs(L, placecue_funcs, 0);
}
