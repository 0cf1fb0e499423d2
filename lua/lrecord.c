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
 * cjson per string). This writes the usual record in one pass: integers,
 * and strings with nothing to escape (see plain()), are written here; any
 * other value is handed to `value(v)` -- lode.out's encoder, i.e.
 * lua-cjson -- and its result copied. `order` is copied: changing it later
 * changes nothing. The answer is nil, and nothing is written, for an unusual record: a key
 * that is not a string or needs escaping, more than MAX_EXTRA keys outside
 * the order, a span from non-integer i, j, a table with a metatable.
 * lode.out then takes its general Lua path, which gives the same bytes
 * (out_spec checks that both agree).
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
#define LODE_RECBUF "lode.RecordBuffer"
#define BIG_RECORD (1u << 20)

/* The encoder's output buffer, kept between calls (a closure serves one Lua
 * state, and value() never calls back into it). */
typedef struct recbuf {
  char *p;
  size_t len, cap;
} recbuf;

static int recbuf_gc(lua_State *L) {
  recbuf *rb = lua_touserdata(L, 1);
  free(rb->p);
  rb->p = NULL;
  return 0;
}

static void add(lua_State *L, recbuf *rb, const char *s, size_t n) {
  if (rb->cap - rb->len < n) {
    size_t cap = rb->cap ? rb->cap : 256;
    char *p;
    while (cap - rb->len < n) {
      if (cap > (size_t)-1 / 2) luaL_error(L, "lode.out: a record too large to write");
      cap *= 2;
    }
    p = realloc(rb->p, cap);
    if (p == NULL) luaL_error(L, "lode.out: not enough memory to write a record");
    rb->p = p;
    rb->cap = cap;
  }
  memcpy(rb->p + rb->len, s, n);
  rb->len += n;
}

/* Write an integer as Lua's tostring would ("%lld"). */
static void add_integer(lua_State *L, recbuf *rb, lua_Integer v) {
  char digits[24];
  int n = (int)sizeof digits;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    digits[--n] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) digits[--n] = '-';
  add(L, rb, digits + n, sizeof digits - (size_t)n);
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

/* Write the value on top of the stack and pop it. */
static void add_value(lua_State *L, recbuf *rb) {
  size_t len = 0;
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
  if (lua_isinteger(L, -1)) {
    add_integer(L, rb, lua_tointeger(L, -1));
  } else if (s != NULL && plain(s, len)) {
    add(L, rb, "\"", 1);
    add(L, rb, s, len);
    add(L, rb, "\"", 1);
  } else {
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, -2);
    lua_call(L, 1, 1);               /* value(v), lode.out's encoder */
    s = luaL_checklstring(L, -1, &len);
    add(L, rb, s, len);
  }
  lua_pop(L, 1);
}

static void add_key(lua_State *L, recbuf *rb, const char *key, size_t len) {
  if (rb->len > 1) add(L, rb, ",", 1);
  add(L, rb, "\"", 1);
  add(L, rb, key, len);
  add(L, rb, "\":", 2);
}

/* Push the keys of t outside the fixed order (and, in the Lua form, not i,
 * j or "_..."), sorted as lode.out sorts them (Lua's <), and store their
 * stack slots in extra[]. Returns their number, or -1 when the record is
 * not the usual one: a key that is not a string, needs escaping, or one
 * extra key too many. */
static int push_extra_keys(lua_State *L, int lua_form, int extra[MAX_EXTRA]) {
  int n = 0, k, m;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    size_t len;
    const char *key;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) return -1;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(3)) != LUA_TNIL) {   /* in the order */
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    key = lua_tolstring(L, -1, &len);
    if (lua_form && len > 0 && (key[0] == '_' || (len == 1 && (key[0] == 'i' || key[0] == 'j'))))
      continue;
    if (n == MAX_EXTRA || !plain(key, len)) return -1;
    lua_pushvalue(L, -1);            /* keep a copy below the iteration key */
    lua_insert(L, -2);
    extra[n++] = lua_gettop(L) - 1;
  }
  for (k = 1; k < n; k++)            /* insertion sort of a handful */
    for (m = k; m > 0 && lua_compare(L, extra[m], extra[m - 1], LUA_OPLT); m--) {
      int t = extra[m];
      extra[m] = extra[m - 1];
      extra[m - 1] = t;
    }
  return n;
}

static int record_line(lua_State *L) {
  recbuf *rb = lua_touserdata(L, lua_upvalueindex(4));
  int lua_form = lua_toboolean(L, 2);
  int n, k, nextra, extra[MAX_EXTRA];
  lua_Integer i = 0, j = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 3);
  luaL_checkstack(L, MAX_EXTRA + 8, NULL);
  if (lua_getmetatable(L, 1)) return 0;
  nextra = push_extra_keys(L, lua_form, extra);
  if (nextra < 0) return 0;
  if (lua_form) {
    int has_i = lua_getfield(L, 1, "i") != LUA_TNIL;
    int has_j = lua_getfield(L, 1, "j") != LUA_TNIL;
    if (has_i && has_j) {
      if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1)) return 0;
      i = lua_tointeger(L, -2);
      j = lua_tointeger(L, -1);
    }
    lua_pop(L, 2);
    lua_form = has_i && has_j;       /* from here: "the span comes from i, j" */
  }
  rb->len = 0;
  add(L, rb, "{", 1);
  n = (int)lua_rawlen(L, lua_upvalueindex(1));
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *key;
    lua_rawgeti(L, lua_upvalueindex(1), k);
    key = lua_tolstring(L, -1, &len);  /* the order table keeps the string */
    if (lua_rawget(L, 1) == LUA_TNIL && k == 1) {
      lua_pop(L, 1);
      lua_pushvalue(L, 3);           /* the first key, "doc", defaults to doc */
    }
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    add_key(L, rb, key, len);
    add_value(L, rb);
  }
  for (k = 0; k < nextra; k++) {
    size_t len;
    const char *key = lua_tolstring(L, extra[k], &len);
    lua_pushvalue(L, extra[k]);
    lua_rawget(L, 1);
    add_key(L, rb, key, len);
    add_value(L, rb);
  }
  if (lua_form) {
    add_key(L, rb, "span", 4);
    add(L, rb, "[", 1);
    add_integer(L, rb, (lua_Integer)((unsigned long long)i - 1));
    add(L, rb, ",", 1);
    add_integer(L, rb, j);
    add(L, rb, "]", 1);
  } else if (lua_getfield(L, 1, "span") != LUA_TNIL) {
    add_key(L, rb, "span", 4);
    add_value(L, rb);
  } else {
    lua_pop(L, 1);
  }
  if (lua_getfield(L, 1, "line") != LUA_TNIL) {
    add_key(L, rb, "line", 4);
    add_value(L, rb);
  } else {
    lua_pop(L, 1);
  }
  add(L, rb, "}", 1);
  lua_pushlstring(L, rb->p, rb->len);
  if (rb->cap > BIG_RECORD) {        /* a rare huge record: give its memory back */
    free(rb->p);
    rb->p = NULL;
    rb->cap = 0;
  }
  return 1;
}

/* record_encoder(order, value) -> line(t, lua_form, doc) */
static int record_encoder(lua_State *L) {
  recbuf *rb;
  int n, k;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  n = (int)lua_rawlen(L, 1);
  luaL_argcheck(L, n > 0 && n <= MAX_KEYS, 1, "1 to 64 keys expected");
  lua_settop(L, 2);
  lua_createtable(L, n, 0);         /* upvalue 1: a private copy of the order */
  lua_createtable(L, 0, n + 2);     /* upvalue 3: the known keys, as a set */
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *key;
    if (lua_rawgeti(L, 1, k) != LUA_TSTRING) luaL_argerror(L, 1, "keys must be strings");
    key = lua_tolstring(L, -1, &len);
    luaL_argcheck(L, plain(key, len), 1, "keys must need no escaping");
    lua_pushvalue(L, -1);
    lua_rawseti(L, 3, k);
    lua_pushboolean(L, 1);
    lua_rawset(L, 4);
  }
  lua_pushboolean(L, 1);
  lua_setfield(L, 4, "span");
  lua_pushboolean(L, 1);
  lua_setfield(L, 4, "line");
  lua_pushvalue(L, 3);              /* upvalues 1-3: the copy, value, known */
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 4);
  rb = lua_newuserdatauv(L, sizeof *rb, 0);   /* upvalue 4 */
  rb->p = NULL;
  rb->len = rb->cap = 0;
  if (luaL_newmetatable(L, LODE_RECBUF)) {
    lua_pushcfunction(L, recbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, record_line, 4);   /* order copy, value, known, buffer */
  return 1;
}

void lode_open_record(lua_State *L) {
  lua_pushcfunction(L, record_encoder);
  lua_setfield(L, -2, "record_encoder");
}
