/*
 * lrecord.c -- the common case of writing a record as a JSON line, in C.
 *
 * local line = lode.core.record_encoder(order, value)
 * line(t, lua_form, doc) -> string, or nil (the caller's Lua path decides)
 *
 * lode.out writes records with their keys in a fixed order (`order`, the
 * other keys sorted, then span and line), which no JSON library does; batch
 * jobs write them by the million, and in Lua each one cost tens of
 * thousands of instructions (pairs(), snprintf per integer, a call into
 * cjson per string). This writes the usual record in one pass over its
 * keys: each key's place in the order comes from one table lookup, its
 * '"key":' is written from a copy made once, and integers and strings with
 * nothing to escape (see plain()) are written here; any other value is
 * handed to `value(v)` -- lode.out's encoder, i.e. lua-cjson -- and its
 * result copied. `order` is copied: changing it later changes nothing. The
 * answer is nil, and nothing is written, for an unusual record: a key that
 * is not a string or needs escaping, more than MAX_EXTRA keys outside the
 * order, a span from non-integer i, j, a table with a metatable. lode.out
 * then takes its general Lua path, which gives the same bytes (out_spec
 * checks that both agree).
 *
 * Lua form (lua_form true): i, j become "span":[i-1,j], and `doc` is the
 * value of "doc" when t has none -- out.line(name, r). Otherwise t is
 * written as it is -- out.encode(t).
 */
#include <stdlib.h>
#include <string.h>

#include "lbind.h"

#define MAX_KEYS 64
#define MAX_EXTRA 16
#define LODE_RECENC "lode.RecordEncoder"
#define BIG_RECORD (1u << 20)

/* Places after the order's keys: span, then line, are written last. */
#define SPAN(n) ((n) + 1)
#define LINE(n) ((n) + 2)

/* An encoder: its keys' '"key":' texts, and the output buffer kept between
 * calls (a closure serves one Lua state, and value() never calls back into
 * it). */
typedef struct encoder {
  int nkeys;                      /* keys in the order */
  char *key[LINE(MAX_KEYS) + 1];  /* '"key":' of place 1..LINE(nkeys) (index 0 unused) */
  size_t keylen[LINE(MAX_KEYS) + 1];
  char *p;
  size_t len, cap;
} encoder;

static int encoder_gc(lua_State *L) {
  encoder *e = lua_touserdata(L, 1);
  int k;
  for (k = 1; k <= LINE(e->nkeys); k++) free(e->key[k]);
  free(e->p);
  memset(e, 0, sizeof *e);
  return 0;
}

/* Room for n more bytes. */
static void reserve(lua_State *L, encoder *e, size_t n) {
  size_t cap;
  char *p;
  if (e->cap - e->len >= n) return;
  cap = e->cap ? e->cap : 256;
  while (cap - e->len < n) {
    if (cap > (size_t)-1 / 2) luaL_error(L, "lode.out: a record too large to write");
    cap *= 2;
  }
  p = realloc(e->p, cap);
  if (p == NULL) luaL_error(L, "lode.out: not enough memory to write a record");
  e->p = p;
  e->cap = cap;
}

static void add(lua_State *L, encoder *e, const char *s, size_t n) {
  reserve(L, e, n);
  memcpy(e->p + e->len, s, n);
  e->len += n;
}

static void add_char(lua_State *L, encoder *e, char c) {
  reserve(L, e, 1);
  e->p[e->len++] = c;
}

/* Write an integer as Lua's tostring would ("%lld"). */
static void add_integer(lua_State *L, encoder *e, lua_Integer v) {
  char digits[24];
  int n = (int)sizeof digits;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    digits[--n] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) digits[--n] = '-';
  add(L, e, digits + n, sizeof digits - (size_t)n);
}

/* A string written as it is between quotes: cjson escapes control
 * characters, DEL, quote, backslash and slash, and lode.out takes the
 * slash's escape off again. */
static int plain(const char *s, size_t len) {
  size_t k;
  for (k = 0; k < len; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) return 0;
  }
  return 1;
}

/* Write the value at stack index `idx`. */
static void add_value(lua_State *L, encoder *e, int idx) {
  size_t len;
  const char *s;
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER && lua_isinteger(L, idx)) {
    add_integer(L, e, lua_tointeger(L, idx));
    return;
  }
  if (t == LUA_TSTRING) {
    s = lua_tolstring(L, idx, &len);
    if (plain(s, len)) {
      reserve(L, e, len + 2);
      e->p[e->len++] = '"';
      memcpy(e->p + e->len, s, len);
      e->len += len;
      e->p[e->len++] = '"';
      return;
    }
  }
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, idx);
  lua_call(L, 1, 1);                 /* value(v), lode.out's encoder */
  s = luaL_checklstring(L, -1, &len);
  add(L, e, s, len);
  lua_pop(L, 1);
}

/* Write '"key":' (after a comma unless it is the first key). */
static void add_key(lua_State *L, encoder *e, const char *key, size_t len) {
  reserve(L, e, len + 1);
  if (e->len > 1) e->p[e->len++] = ',';
  memcpy(e->p + e->len, key, len);
  e->len += len;
}

/* Write the extra key at stack index `idx` (a string that needs no
 * escaping) as '"key":'. */
static void add_extra_key(lua_State *L, encoder *e, int idx) {
  size_t len;
  const char *key = lua_tolstring(L, idx, &len);
  if (e->len > 1) add_char(L, e, ',');
  add_char(L, e, '"');
  add(L, e, key, len);
  add(L, e, "\":", 2);
}

/* The record's keys in one pass. A key of the order (or span, line) gets
 * its value's stack slot in at[place]; an extra key (outside the order,
 * and in the Lua form not i, j or "_...") leaves its name and value on the
 * stack, slots in extra[] (name; the value is next); in the Lua form i and
 * j go to *i, *j. Returns the number of extra keys, or -1 for a record
 * that is not the usual one. */
static int gather(lua_State *L, int lua_form, int at[], int extra[],
                  int *has_i, int *has_j, lua_Integer *i, lua_Integer *j) {
  int nextra = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {           /* [.., key, value] */
    size_t len;
    const char *key;
    lua_Integer place;
    if (lua_type(L, -2) != LUA_TSTRING) return -1;
    lua_pushvalue(L, -2);
    place = lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    if (place > 0) {
      lua_insert(L, -2);             /* [.., value, key]: the value stays */
      at[place] = lua_gettop(L) - 1;
      luaL_checkstack(L, 4, NULL);
      continue;
    }
    key = lua_tolstring(L, -2, &len);
    if (lua_form && len == 1 && (key[0] == 'i' || key[0] == 'j')) {
      if (!lua_isinteger(L, -1)) return -1;
      if (key[0] == 'i') *has_i = 1, *i = lua_tointeger(L, -1);
      else *has_j = 1, *j = lua_tointeger(L, -1);
      lua_pop(L, 1);
      continue;
    }
    if (lua_form && len > 0 && key[0] == '_') {
      lua_pop(L, 1);
      continue;
    }
    if (nextra == MAX_EXTRA || !plain(key, len)) return -1;
    lua_pushvalue(L, -2);            /* [.., name, value, key]: the pair stays */
    extra[nextra++] = lua_gettop(L) - 2;
    luaL_checkstack(L, 4, NULL);
  }
  return nextra;
}

static int record_line(lua_State *L) {
  encoder *e = lua_touserdata(L, lua_upvalueindex(3));
  int lua_form = lua_toboolean(L, 2);
  int n = e->nkeys, at[LINE(MAX_KEYS) + 1] = {0}, extra[MAX_EXTRA];
  int nextra, k, m, has_i = 0, has_j = 0;
  lua_Integer i = 0, j = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 3);
  if (lua_getmetatable(L, 1)) return 0;
  luaL_checkstack(L, 8, NULL);
  nextra = gather(L, lua_form, at, extra, &has_i, &has_j, &i, &j);
  if (nextra < 0) return 0;
  for (k = 1; k < nextra; k++)       /* insertion sort of a handful, by Lua's < */
    for (m = k; m > 0 && lua_compare(L, extra[m], extra[m - 1], LUA_OPLT); m--) {
      int t = extra[m];
      extra[m] = extra[m - 1];
      extra[m - 1] = t;
    }
  if (at[1] == 0 && !lua_isnil(L, 3)) at[1] = 3;   /* "doc" defaults to doc */
  lua_form = lua_form && has_i && has_j;           /* "the span comes from i, j" */

  e->len = 0;
  add_char(L, e, '{');
  for (k = 1; k <= n; k++) {
    if (at[k] == 0) continue;
    add_key(L, e, e->key[k], e->keylen[k]);
    add_value(L, e, at[k]);
  }
  for (k = 0; k < nextra; k++) {
    add_extra_key(L, e, extra[k]);
    add_value(L, e, extra[k] + 1);
  }
  if (lua_form) {
    add_key(L, e, e->key[SPAN(n)], e->keylen[SPAN(n)]);
    add_char(L, e, '[');
    add_integer(L, e, (lua_Integer)((unsigned long long)i - 1));
    add_char(L, e, ',');
    add_integer(L, e, j);
    add_char(L, e, ']');
  } else if (at[SPAN(n)]) {
    add_key(L, e, e->key[SPAN(n)], e->keylen[SPAN(n)]);
    add_value(L, e, at[SPAN(n)]);
  }
  if (at[LINE(n)]) {
    add_key(L, e, e->key[LINE(n)], e->keylen[LINE(n)]);
    add_value(L, e, at[LINE(n)]);
  }
  add_char(L, e, '}');
  lua_pushlstring(L, e->p, e->len);
  if (e->cap > BIG_RECORD) {         /* a rare huge record: give its memory back */
    free(e->p);
    e->p = NULL;
    e->cap = 0;
  }
  return 1;
}

/* Store '"key":' for place k. */
static void set_key(lua_State *L, encoder *e, int k, const char *key, size_t len) {
  char *s = malloc(len + 3);
  if (s == NULL) luaL_error(L, "lode.out: not enough memory");
  s[0] = '"';
  memcpy(s + 1, key, len);
  s[len + 1] = '"';
  s[len + 2] = ':';
  e->key[k] = s;
  e->keylen[k] = len + 3;
}

/* record_encoder(order, value) -> line(t, lua_form, doc) */
static int record_encoder(lua_State *L) {
  encoder *e;
  int n, k;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  n = (int)lua_rawlen(L, 1);
  luaL_argcheck(L, n > 0 && n <= MAX_KEYS, 1, "1 to 64 keys expected");
  lua_settop(L, 2);
  lua_createtable(L, 0, n + 2);     /* upvalue 1: key -> place */
  e = lua_newuserdatauv(L, sizeof *e, 0);      /* upvalue 3 */
  memset(e, 0, sizeof *e);
  if (luaL_newmetatable(L, LODE_RECENC)) {
    lua_pushcfunction(L, encoder_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *key;
    if (lua_rawgeti(L, 1, k) != LUA_TSTRING) luaL_argerror(L, 1, "keys must be strings");
    key = lua_tolstring(L, -1, &len);
    luaL_argcheck(L, plain(key, len), 1, "keys must need no escaping");
    lua_pushvalue(L, -1);
    luaL_argcheck(L, lua_rawget(L, 3) == LUA_TNIL && strcmp(key, "span") != 0 &&
                  strcmp(key, "line") != 0, 1, "keys must be distinct, and not span or line");
    lua_pop(L, 1);
    lua_pushinteger(L, k);
    lua_rawset(L, 3);
    set_key(L, e, k, key, len);
    e->nkeys = k;                   /* __gc frees what is set so far */
  }
  lua_pushinteger(L, SPAN(n));
  lua_setfield(L, 3, "span");
  lua_pushinteger(L, LINE(n));
  lua_setfield(L, 3, "line");
  set_key(L, e, SPAN(n), "span", 4);
  set_key(L, e, LINE(n), "line", 4);
  lua_pushvalue(L, 3);              /* upvalues: places, value, encoder */
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 4);
  lua_pushcclosure(L, record_line, 3);
  return 1;
}

void lode_open_record(lua_State *L) {
  lua_pushcfunction(L, record_encoder);
  lua_setfield(L, -2, "record_encoder");
}
