/*
 * lrecord.c -- the common case of writing a record as a JSON line, in C.
 *
 * local line, append, line_of, emitter =
 *   lode.core.record_encoder(order, value [, general])
 * line(t, lua_form, doc) -> string, or nil (the caller's Lua path decides)
 * line(t, lua_form, doc, buf) -> true (the line appended to buf), or nil
 * append(buf, name, r): line(r, true, name, buf), else general(r, name)'s
 *   line appended (only with general: the caller's Lua path, in Lua form)
 * line_of(name, r) -> line(r, true, name), else general(r, name) (only
 *   with general)
 * emitter(buf, name) -> emit(r), append(buf, name, r) with a check that r
 *   is a table (only with general): a batch job's emit
 * local buf = lode.core.line_buffer([prefix])
 * buf:add(s) appends prefix .. s .. "\n"; buf:take() -> the lines and their
 *   count, emptied
 *
 * lode.out writes records with their keys in a fixed order (`order`, the
 * other keys sorted, then span and line), which no JSON library does; batch
 * jobs write them by the million, and in Lua each one cost tens of
 * thousands of instructions (pairs(), snprintf per integer, a call into
 * cjson per string). This writes the usual record in one pass over its
 * keys: each key's place in the order comes from the key string's address
 * (see place_by_ptr), else a small hash of its bytes, and its value is
 * encoded at once into a scratch buffer
 * (keeping values on the Lua stack cost more than encoding them); the
 * line is then put together in order, each '"key":' from a copy made once.
 * Integers and strings with nothing to escape (see plain()) are written
 * here; any other value is handed to `value(v)` -- lode.out's encoder,
 * i.e. lua-cjson -- and its result copied. `order` is copied: changing it later changes nothing. The
 * answer is nil, and nothing is written, for an unusual record: a key that
 * is not a string or needs escaping, more than MAX_EXTRA keys outside the
 * order, a span from non-integer i, j, a table with a metatable. lode.out
 * then takes its general Lua path, which gives the same bytes (out_spec
 * checks that both agree).
 *
 * Lua form (lua_form true): i, j become "span":[i-1,j], and `doc` is the
 * value of "doc" when t has none -- out.line(name, r). `doc` may be the
 * Doc itself: its name is the value, and when its text was converted from
 * its file (an HTML page, a dataset row, a decoded legacy encoding) the
 * span and line become those of the file, through the doc's map. Otherwise t is written as it is --
 * out.encode(t).
 *
 * A line buffer collects a batch job's lines for one document: the encoder
 * writes each record straight into it (prefix, line, "\n"), where a string
 * a record, stored, joined and collected cost more than the writing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lbind.h"

#define MAX_KEYS 64
#define MAX_EXTRA 16
#define LODE_RECENC "lode.RecordEncoder"
#define BIG_RECORD (1u << 20)
#define KEY_COPY 16               /* a key is written as one move of this size */

/* Places after the order's keys: span, then line, are written last. */
#define SPAN(n) ((n) + 1)
#define LINE(n) ((n) + 2)
#define PLACES (LINE(MAX_KEYS) + 1)
#define NSLOT 64                  /* key lookup: a chained hash of the keys */
#define NPTR 256                  /* the same by string object: open addressing */
#define I_KEY (PLACES + 1)        /* "i" and "j" in the pointer table */
#define J_KEY (PLACES + 2)

typedef struct buffer {
  char *p;
  size_t len, cap;
} buffer;

/* A line buffer: JSON lines collected for one write (a batch job's
 * document), each written straight into it by the encoder (no Lua string a
 * record), after `prefix`. */
#define LODE_LINEBUF "lode.LineBuffer"
typedef struct line_buffer {
  buffer b;
  char *prefix;
  size_t plen;
  size_t lines;                   /* lines since the last take() */
} line_buffer;

/* An encoder: its keys' '"key":' texts and their lookup, and the buffers
 * kept between calls (a closure serves one Lua state, and value() never
 * calls back into it). */
typedef struct encoder {
  int nkeys;                      /* keys in the order */
  char *key[PLACES];              /* ',"key":' of place 1..LINE(nkeys) (index 0 unused) */
  size_t keylen[PLACES];
  int head[NSLOT], next[PLACES];  /* places by slot_of(key), 0 ends a chain */
  const void *kptr[NPTR];         /* the key strings themselves, by ptr_slot() */
  int kplace[NPTR];               /* their places (I_KEY, J_KEY: i, j) */
  buffer out;                     /* the line */
  buffer vals;                    /* the values of one record, as its keys come */
  size_t lb_last;                 /* the bytes of the line buffer last written to */
} encoder;

static int encoder_gc(lua_State *L) {
  encoder *e = lua_touserdata(L, 1);
  int k;
  for (k = 1; k <= LINE(e->nkeys); k++) free(e->key[k]);
  free(e->out.p);
  free(e->vals.p);
  memset(e, 0, sizeof *e);
  return 0;
}

/* Give a buffer's memory back (after a rare huge record). */
static void shrink(buffer *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* Room for n more bytes than the buffer has room for. */
static void grow(lua_State *L, buffer *b, size_t n) {
  size_t cap;
  char *p;
  cap = b->cap ? b->cap : 256;
  while (cap - b->len < n) {
    if (cap > (size_t)-1 / 2) luaL_error(L, "lode.out: a record too large to write");
    cap *= 2;
  }
  p = realloc(b->p, cap);
  if (p == NULL) luaL_error(L, "lode.out: not enough memory to write a record");
  b->p = p;
  b->cap = cap;
}

/* Room for n more bytes: asked a few times for every value written, and
 * nearly always there (the buffers are kept between records). */
static inline void reserve(lua_State *L, buffer *b, size_t n) {
  if (b->cap - b->len < n) grow(L, b, n);
}

static void add(lua_State *L, buffer *b, const char *s, size_t n) {
  if (n == 0) return;              /* b->p may still be NULL: no memcpy */
  reserve(L, b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void add_char(lua_State *L, buffer *b, char c) {
  reserve(L, b, 1);
  b->p[b->len++] = c;
}

/* "00" .. "99": an integer is written two digits a division. */
static const char two_digits[] =
  "0001020304050607080910111213141516171819"
  "2021222324252627282930313233343536373839"
  "4041424344454647484950515253545556575859"
  "6061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* Write v as Lua's tostring would ("%lld") at o, which has room for
 * INT_ROOM bytes, and return the end. The digits go to a scratch, two a
 * division, and its last INT_ROOM bytes are copied at once (a
 * constant-size move; the bytes after the number are overwritten next). */
#define INT_ROOM 24
static char *put_integer(char *o, lua_Integer v) {
  char digits[2 * INT_ROOM];
  int n = INT_ROOM;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  while (u >= 100) {
    unsigned d = (unsigned)(u % 100) * 2;
    u /= 100;
    digits[--n] = two_digits[d + 1];
    digits[--n] = two_digits[d];
  }
  if (u >= 10) {
    digits[--n] = two_digits[u * 2 + 1];
    digits[--n] = two_digits[u * 2];
  } else {
    digits[--n] = (char)('0' + u);
  }
  if (v < 0) digits[--n] = '-';
  memcpy(o, digits + n, INT_ROOM);
  return o + (INT_ROOM - n);
}

static void add_integer(lua_State *L, buffer *b, lua_Integer v) {
  reserve(L, b, INT_ROOM);
  b->len = (size_t)(put_integer(b->p + b->len, v) - b->p);
}

/* Bytes cjson escapes: control characters, DEL, quote, backslash (and
 * slash, whose escape lode.out takes off again). */
static const unsigned char escaped[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

#if defined(__SSE2__)
/* Whether the 16 bytes at p hold one cjson escapes: a quote, a backslash,
 * DEL, or a control character (unsigned min(c, 0x1f) == c). */
static int escaped16(const char *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
  return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash),
                                        _mm_or_si128(del, control))) != 0;
}
#endif

/* A string written as it is between quotes. Texts (quotes, sentences) run
 * to hundreds of bytes: with SSE2 they are read 16 bytes a step, the last
 * step ending at the string's end (overlapping the one before). */
static int plain(const char *s, size_t len) {
  size_t k;
#if defined(__SSE2__)
  if (len >= 16) {
    for (k = 0; k + 16 < len; k += 16)
      if (escaped16(s + k)) return 0;
    return !escaped16(s + len - 16);
  }
#endif
  for (k = 0; k < len; k++)
    if (escaped[(unsigned char)s[k]]) return 0;
  return 1;
}

/* Write s[0, len) between quotes, escaped as cjson escapes it (see
 * `escaped`: \b \t \n \f \r by name, the other controls and DEL as
 * \u00xx) but for the slash, which lode.out leaves as it is. */
static void add_escaped(lua_State *L, buffer *b, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t k;
  reserve(L, b, 6 * len + 2);        /* "\u00xx" is the longest escape */
  b->p[b->len++] = '"';
  for (k = 0; k < len; k++) {
    unsigned char c = (unsigned char)s[k];
    char *o = b->p + b->len;
    if (!escaped[c]) {
      o[0] = (char)c;
      b->len += 1;
    } else if (c == '"' || c == '\\') {
      o[0] = '\\', o[1] = (char)c;
      b->len += 2;
    } else if (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
      o[0] = '\\', o[1] = "btn?fr"[c - '\b'];
      b->len += 2;
    } else {
      o[0] = '\\', o[1] = 'u', o[2] = '0', o[3] = '0', o[4] = hex[c >> 4], o[5] = hex[c & 15];
      b->len += 6;
    }
  }
  b->p[b->len++] = '"';
}

static void add_value_in(lua_State *L, buffer *b, int idx, int depth);

/* A string key or value: between quotes, escaped when it must be. */
static void add_string(lua_State *L, buffer *b, int idx) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  if (!plain(s, len)) {
    add_escaped(L, b, s, len);
    return;
  }
  reserve(L, b, len + 2);
  b->p[b->len++] = '"';
  memcpy(b->p + b->len, s, len);
  b->len += len;
  b->p[b->len++] = '"';
}

/* Tables nested deeper than this, or with more keys, go to lode.out's
 * encoder (which reports a cycle its own way). */
#define MAX_DEPTH 16
#define MAX_TABLE_KEYS 64

/* Write the table at (absolute) index idx as lode.out's encode_value
 * does, for the tables records hold: empty ("[]"), a sequence of strings
 * (authors: an array), or string keys only (meta's sources: an object, its
 * keys sorted by Lua's <, its values written by add_value_in). 0 for any
 * other table, or one with a metatable: nothing is written. */
static int add_table(lua_State *L, buffer *b, int idx, int depth) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
  int base = lua_gettop(L), strings = 1, array = 1, k, m;
  if (depth >= MAX_DEPTH) return 0;
  if (lua_getmetatable(L, idx)) {
    lua_pop(L, 1);
    return 0;
  }
  /* every key is kept on the stack: [base+1 .. base+count] */
  luaL_checkstack(L, 4, NULL);
  lua_pushnil(L);
  while (lua_next(L, idx)) {         /* [.., keys, key, value] */
    if (lua_type(L, -2) != LUA_TSTRING) strings = 0;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n
        || lua_type(L, -1) != LUA_TSTRING)
      array = 0;
    if ((!strings && !array) || ++count > MAX_TABLE_KEYS) {
      lua_settop(L, base);
      return 0;
    }
    lua_pop(L, 1);
    luaL_checkstack(L, 4, NULL);
    lua_pushvalue(L, -1);
  }
  if (count == 0) {
    add(L, b, "[]", 2);
    return 1;
  }
  if (array && count == n) {
    lua_settop(L, base);
    for (count = 1; count <= n; count++) {
      add_char(L, b, count == 1 ? '[' : ',');
      lua_rawgeti(L, idx, count);
      add_string(L, b, lua_gettop(L));
      lua_pop(L, 1);
    }
    add_char(L, b, ']');
    return 1;
  }
  if (!strings) {
    lua_settop(L, base);
    return 0;
  }
  for (k = base + 2; k <= base + (int)count; k++)   /* insertion sort by Lua's < */
    for (m = k; m > base + 1 && lua_compare(L, m, m - 1, LUA_OPLT); m--) {
      lua_pushvalue(L, m);
      lua_copy(L, m - 1, m);
      lua_replace(L, m - 1);
    }
  for (k = base + 1; k <= base + (int)count; k++) {
    add_char(L, b, k == base + 1 ? '{' : ',');
    add_string(L, b, k);
    add_char(L, b, ':');
    lua_pushvalue(L, k);
    lua_rawget(L, idx);
    add_value_in(L, b, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  add_char(L, b, '}');
  lua_settop(L, base);
  return 1;
}

/* Write the value at (absolute) stack index `idx`, a table's at depth. */
static void add_value_in(lua_State *L, buffer *b, int idx, int depth) {
  size_t len;
  const char *s;
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER) {
    if (lua_isinteger(L, idx)) {
      add_integer(L, b, lua_tointeger(L, idx));
      return;
    }
    if (isfinite(lua_tonumber(L, idx))) {        /* as lua-cjson writes it */
      char num[32];
      int w = snprintf(num, sizeof num, "%.14g", (double)lua_tonumber(L, idx));
      add(L, b, num, (size_t)w);
      return;
    }
  } else if (t == LUA_TSTRING) {
    add_string(L, b, idx);
    return;
  } else if (t == LUA_TBOOLEAN) {
    if (lua_toboolean(L, idx)) add(L, b, "true", 4);
    else add(L, b, "false", 5);
    return;
  } else if (t == LUA_TTABLE && add_table(L, b, idx, depth)) {
    return;
  }
  luaL_checkstack(L, 2, NULL);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, idx);
  lua_call(L, 1, 1);                 /* value(v), lode.out's encoder */
  s = luaL_checklstring(L, -1, &len);
  add(L, b, s, len);
  lua_pop(L, 1);
}

/* Write the value at (absolute) stack index `idx`. */
static void add_value(lua_State *L, buffer *b, int idx) {
  add_value_in(L, b, idx, 0);
}

/* Every key is written after a comma; the record's first comma becomes
 * its '{' (see record_line). */

/* Write the extra key at stack index `idx` (a string that needs no
 * escaping) as '"key":'. */
static void add_extra_key(lua_State *L, buffer *b, int idx) {
  size_t len;
  const char *key = lua_tolstring(L, idx, &len);
  add(L, b, ",\"", 2);
  add(L, b, key, len);
  add(L, b, "\":", 2);
}

static unsigned slot_of(const char *s, size_t len) {
  if (len == 0) return 0;
  return ((unsigned)len * 7u + (unsigned char)s[0] + 3u * (unsigned char)s[len - 1]) & (NSLOT - 1);
}

/* The place of key s[0, len) in the order (or span, line), or 0. */
static int place_of(const encoder *e, const char *s, size_t len) {
  int k;
  for (k = e->head[slot_of(s, len)]; k; k = e->next[k])
    if (e->keylen[k] == len + 4 && memcmp(e->key[k] + 2, s, len) == 0) return k;
  return 0;
}

/* A record's keys are Lua strings, and a short string (at most 40 bytes in
 * Lua 5.4) is interned: while the encoder holds the order's key strings
 * (upvalue 3), a key with the same bytes is the same object. So a key is
 * looked up by its address first; the bytes are compared only for a key
 * that is not one of those (an extra key, or a long one). */
static unsigned ptr_slot(const void *p) {
  uintptr_t x = (uintptr_t)p;
  return (unsigned)((x >> 4) ^ (x >> 12)) & (NPTR - 1);
}

static void set_ptr(encoder *e, const void *p, int place) {
  unsigned k = ptr_slot(p);
  while (e->kptr[k]) k = (k + 1) & (NPTR - 1);
  e->kptr[k] = p;
  e->kplace[k] = place;
}

/* The place of the key string at address p (I_KEY, J_KEY for i, j), or 0. */
static int place_by_ptr(const encoder *e, const void *p) {
  unsigned k;
  for (k = ptr_slot(p); e->kptr[k]; k = (k + 1) & (NPTR - 1))
    if (e->kptr[k] == p) return e->kplace[k];
  return 0;
}

/* The places a record has, a bit each (PLACES <= 128): at[] is read only
 * where it has one, so it is never cleared. */
#define SET_PLACE(have, k) ((have)[(k) >> 6] |= 1ULL << ((k) & 63))
#define HAS_PLACE(have, k) (((have)[(k) >> 6] >> ((k) & 63)) & 1)
_Static_assert(PLACES <= 128, "a record's places fit two 64-bit words");

/* The index of the lowest set bit of x (x != 0). */
static int lowest_bit(uint64_t x) {
#if defined(__GNUC__)
  return __builtin_ctzll(x);
#else
  int k = 0;
  for (; !(x & 1); x >>= 1) k++;
  return k;
#endif
}

/* Where a record's value of each place lies, len bytes of
 * JSON: in e->vals at off, or, for a string with nothing to escape, the
 * Lua string's own bytes at s between quotes (the record holds the string
 * while it is written): most values are those, copied once, into the line. */
typedef struct value_at {
  const char *s;
  size_t off, len;
} value_at;

/* The record's keys in one pass. A key of the order (or span, line) has
 * its value written to e->vals at once, at[place] saying where; an extra
 * key (outside the order, and in the Lua form not i, j or "_...") leaves
 * its name and value on the stack, slots in extra[] (name; the value is
 * next); in the Lua form i and j go to *i, *j. Returns the number of extra
 * keys, or -1 for a record that is not the usual one. */
static int gather(lua_State *L, encoder *e, int t, int lua_form, value_at at[], uint64_t have[],
                  int extra[], int *has_i, int *has_j, lua_Integer *i, lua_Integer *j) {
  int nextra = 0;
  const char *last_plain = NULL;     /* a place's name is often its text */
  lua_pushnil(L);
  while (lua_next(L, t)) {           /* [.., key, value] */
    size_t len;
    const char *key;
    int place;
    /* the address of a key that is no string (NULL for a number) is
     * none of the order's: only a key not found there is type-checked */
    place = place_by_ptr(e, lua_topointer(L, -2));
    if (place == 0 && lua_type(L, -2) != LUA_TSTRING) return -1;
    if (place == I_KEY || place == J_KEY) {
      if (lua_form) {
        if (!lua_isinteger(L, -1)) return -1;
        if (place == I_KEY) *has_i = 1, *i = lua_tointeger(L, -1);
        else *has_j = 1, *j = lua_tointeger(L, -1);
        lua_pop(L, 1);
        continue;
      }
      place = 0;                     /* outside the Lua form, an extra key */
    }
    key = NULL;
    len = 0;
    if (place == 0) {
      key = lua_tolstring(L, -2, &len);
      place = place_of(e, key, len);
    }
    if (place > 0) {
      size_t off = e->vals.len;
      int type = lua_type(L, -1);
      const char *s = type == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
      if (s && (s == last_plain || plain(s, len))) {
        last_plain = s;
        at[place].s = s;
        at[place].len = len + 2;       /* with its quotes: "" is a value */
      } else {
        /* the usual others (a line number, a text with a quote) written
         * here, the type known and the string read */
        if (s) add_escaped(L, &e->vals, s, len);
        else if (type == LUA_TNUMBER && lua_isinteger(L, -1))
          add_integer(L, &e->vals, lua_tointeger(L, -1));
        else add_value(L, &e->vals, lua_gettop(L));
        at[place].s = NULL;
        at[place].off = off;
        at[place].len = e->vals.len - off;
      }
      SET_PLACE(have, place);
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

/* A record's document named by a string with nothing to escape, read
 * once for all its records (an emitter's name, held by the closure). */
typedef struct named {
  const char *s;
  size_t len;
} named;

/* Write ',"key":' of place k: a short one (all of the order's) as one
 * fixed-size move of its padded copy, the bytes after it overwritten next
 * (room for KEY_COPY bytes more was reserved). */
static inline char *put_key(const encoder *e, char *o, int k) {
  if (e->keylen[k] <= KEY_COPY) memcpy(o, e->key[k], KEY_COPY);
  else memcpy(o, e->key[k], e->keylen[k]);
  return o + e->keylen[k];
}

/* Write ',"key":' of place k (span or line). */
static void add_key(lua_State *L, const encoder *e, buffer *b, int k) {
  reserve(L, b, e->keylen[k] + KEY_COPY);
  b->len = (size_t)(put_key(e, b->p + b->len, k) - b->p);
}

/* Write place k's key and value (the record has it). */
static inline void add_place(lua_State *L, encoder *e, buffer *b, const value_at *v, int k) {
  char *o;
  reserve(L, b, e->keylen[k] + v->len + KEY_COPY);
  o = put_key(e, b->p + b->len, k);
  if (v->s) {
    *o++ = '"';
    memcpy(o, v->s, v->len - 2);
    o += v->len - 2;
    *o++ = '"';
  } else {
    memcpy(o, e->vals.p + v->off, v->len);
    o += v->len;
  }
  b->len = (size_t)(o - b->p);
}

/* Text bytes i..j (1-based inclusive) of a converted doc -> its file's,
 * and *line the file line; a span outside the text is left as it is. */
static void to_file(const lode_doc_ud *d, lua_Integer *i, lua_Integer *j, lua_Integer *line) {
  size_t len, fi, fj;
  lode_text_bytes(d->text, &len);
  if (*i < 1 || *j < *i - 1 || *j > (lua_Integer)len) return;
  lode_doc_origin(d, (size_t)*i - 1, (size_t)*j, &fi, &fj);
  *i = (lua_Integer)fi + 1;
  *j = (lua_Integer)fj;
  if (d->map) *line = (lua_Integer)lode_filemap_file_line(d->map, fi);
}

/* Whether the value at idx is a userdata with the metatable in upvalue
 * `mt` (luaL_testudata without the registry lookup). */
static int has_metatable(lua_State *L, int idx, int mt) {
  int same;
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return 0;
  same = lua_rawequal(L, -1, lua_upvalueindex(mt));
  lua_pop(L, 1);
  return same;
}

/* Write the record at stack index t (doc at index `doc`, replaced by its
 * id when it is a Doc) to the line buffer lb, or to e->out when lb is
 * NULL. 0 for an unusual record: nothing is written, and the stack above
 * both indexes may hold leftovers. */
static int write_record(lua_State *L, encoder *e, line_buffer *lb, int t, int lua_form,
                        int doc, const named *as) {
  buffer *b = lb ? &lb->b : &e->out;
  int n = e->nkeys, extra[MAX_EXTRA];
  int nextra, k, m, has_i = 0, has_j = 0;
  value_at at[PLACES];
  uint64_t have[2] = {0, 0}, order[2];
  lua_Integer i = 0, j = 0, line = 0;
  size_t start;
  const lode_doc_ud *src = NULL;
  if (lua_getmetatable(L, t)) return 0;
  if (!as && has_metatable(L, doc, 5)) {
    src = lua_touserdata(L, doc);
    /* doc.id: its identity, kept in the Doc once asked (lode_pushdocid
     * makes it, and says when the doc is closed) */
    if (!src->text || lua_getiuservalue(L, doc, 4) != LUA_TSTRING) {
      if (src->text) lua_pop(L, 1);
      lode_pushdocid(L, doc);
    }
    lua_replace(L, doc);
  }
  /* no luaL_checkstack: every caller is a C function called from Lua
   * with at most 5 slots in use, of the LUA_MINSTACK (20) it is given,
   * and gather checks for each extra key it keeps */
  e->vals.len = 0;
  nextra = gather(L, e, t, lua_form, at, have, extra, &has_i, &has_j, &i, &j);
  if (nextra < 0) return 0;
  for (k = 1; k < nextra; k++)       /* insertion sort of a handful, by Lua's < */
    for (m = k; m > 0 && lua_compare(L, extra[m], extra[m - 1], LUA_OPLT); m--) {
      int swap = extra[m];
      extra[m] = extra[m - 1];
      extra[m - 1] = swap;
    }
  if (!HAS_PLACE(have, 1) && as) {                 /* a name known plain */
    SET_PLACE(have, 1);
    at[1].s = as->s;
    at[1].len = as->len + 2;
  } else if (!HAS_PLACE(have, 1) && !lua_isnil(L, doc)) {  /* "doc" defaults to doc */
    size_t len;
    const char *s = lua_type(L, doc) == LUA_TSTRING ? lua_tolstring(L, doc, &len) : NULL;
    SET_PLACE(have, 1);
    if (s && plain(s, len)) {        /* a name: copied once, as a value is */
      at[1].s = s;
      at[1].len = len + 2;
    } else {
      at[1].s = NULL;
      at[1].off = e->vals.len;
      add_value(L, &e->vals, doc);
      at[1].len = e->vals.len - at[1].off;
    }
  }
  lua_form = lua_form && has_i && has_j;           /* "the span comes from i, j" */
  if (lua_form && src && lode_doc_mapped(src)) to_file(src, &i, &j, &line);

  if (lb) {
    /* a batch job's buffer is new (or handed over) each document: sized
     * at once for as many bytes as the last one, not doubled up to it */
    if (b->cap == 0 && e->lb_last < BIG_RECORD) reserve(L, b, e->lb_last + e->lb_last / 4);
    add(L, b, lb->prefix, lb->plen);
  } else {
    b->len = 0;
  }
  start = b->len;
  /* the order's places it has, in order: all but span and line */
  order[0] = have[0];
  order[1] = have[1];
  order[SPAN(n) >> 6] &= ~(1ULL << (SPAN(n) & 63));
  order[LINE(n) >> 6] &= ~(1ULL << (LINE(n) & 63));
  for (m = 0; m < 2; m++)
    for (; order[m]; order[m] &= order[m] - 1) {
      k = 64 * m + lowest_bit(order[m]);
      add_place(L, e, b, &at[k], k);
    }
  for (k = 0; k < nextra; k++) {
    add_extra_key(L, b, extra[k]);
    add_value(L, b, extra[k] + 1);
  }
  if (lua_form) {
    char *o;                         /* ',"span":[i-1,j]' in one go */
    reserve(L, b, e->keylen[SPAN(n)] + KEY_COPY + 2 * INT_ROOM + 3);
    o = put_key(e, b->p + b->len, SPAN(n));
    *o++ = '[';
    o = put_integer(o, (lua_Integer)((unsigned long long)i - 1));
    *o++ = ',';
    o = put_integer(o, j);
    *o++ = ']';
    b->len = (size_t)(o - b->p);
  } else if (HAS_PLACE(have, SPAN(n))) {
    add_place(L, e, b, &at[SPAN(n)], SPAN(n));
  }
  if (line > 0 && HAS_PLACE(have, LINE(n))) {
    add_key(L, e, b, LINE(n));
    add_integer(L, b, line);
  } else if (HAS_PLACE(have, LINE(n))) {
    add_place(L, e, b, &at[LINE(n)], LINE(n));
  }
  if (b->len == start) add_char(L, b, '{');        /* no key: "{}" */
  else b->p[start] = '{';                          /* the first key's comma */
  add_char(L, b, '}');
  if (lb) {
    add_char(L, b, '\n');
    lb->lines++;
    e->lb_last = b->len;
  }
  if (e->vals.cap > BIG_RECORD) shrink(&e->vals);
  return 1;
}

/* line(t, lua_form, doc [, buf]) */
static int record_line(lua_State *L) {
  encoder *e = lua_touserdata(L, lua_upvalueindex(2));
  line_buffer *lb = has_metatable(L, 4, 4) ? lua_touserdata(L, 4) : NULL;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argcheck(L, lb || lua_isnoneornil(L, 4), 4, "a line buffer expected");
  lua_settop(L, 4);
  if (!write_record(L, e, lb, 1, lua_toboolean(L, 2), 3, NULL)) return 0;
  if (lb) {
    lua_pushboolean(L, 1);
  } else {
    lua_pushlstring(L, e->out.p, e->out.len);
    if (e->out.cap > BIG_RECORD) shrink(&e->out);    /* a rare huge record */
  }
  return 1;
}

/* append(buf, name, r): r's line (Lua form, doc `name`) appended to buf,
 * an unusual record's from general(r, name) (upvalue 6, lode.out's Lua
 * path). A batch job appends every record this way: no Lua call between
 * it and the encoder. */
/* Append prefix .. s[0, len) .. "\n" to lb: a line the encoder did not
 * write. */
static void add_line(lua_State *L, line_buffer *lb, const char *s, size_t len) {
  add(L, &lb->b, lb->prefix, lb->plen);
  add(L, &lb->b, s, len);
  add_char(L, &lb->b, '\n');
  lb->lines++;
}

/* Append the line of the record at stack index t (Lua form) found in the
 * doc or name at index `name` to lb: written here, or, for an unusual
 * record, by general(r, name) (upvalue 6, lode.out's Lua path). The stack
 * above both indexes is the scratch of the call. */
static void append_record(lua_State *L, encoder *e, line_buffer *lb, int t, int name,
                          const named *as) {
  size_t len;
  const char *s;
  int top = lua_gettop(L);
  if (as) {                          /* the name, read before */
    if (write_record(L, e, lb, t, 1, 0, as)) return;
  } else {
    lua_pushvalue(L, name);          /* the doc, which becomes its id */
    if (write_record(L, e, lb, t, 1, top + 1, NULL)) return;
  }
  luaL_checkstack(L, 3, NULL);
  lua_pushvalue(L, lua_upvalueindex(6));
  lua_pushvalue(L, t);
  lua_pushvalue(L, name);
  lua_call(L, 2, 1);
  s = luaL_checklstring(L, -1, &len);
  add_line(L, lb, s, len);
}

static int record_append(lua_State *L) {
  encoder *e = lua_touserdata(L, lua_upvalueindex(2));
  /* a job appends a document's records to one buffer: the one last
   * checked (upvalue 7, kept there, so no other object takes its
   * address) is not checked again */
  if (!lua_rawequal(L, 1, lua_upvalueindex(7))) {
    luaL_argcheck(L, has_metatable(L, 1, 4), 1, "a line buffer expected");
    lua_pushvalue(L, 1);
    lua_replace(L, lua_upvalueindex(7));
  }
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  append_record(L, e, lua_touserdata(L, 1), 3, 2, NULL);
  return 0;
}

/* What an emitter writes with, read once when it is made: its encoder,
 * line buffer and, when its name is a string with nothing to escape, that
 * (the closure holds the string; a Doc is read at each record, as it may
 * be closed or mapped). */
typedef struct emit_state {
  encoder *e;
  line_buffer *lb;
  named name;
  int has_name;
} emit_state;

/* emit(r): append(buf, name, r) for the buffer and name the function was
 * made with (upvalues 7, 8; 9 the emit_state of both); a table is
 * expected. A batch job's map gets this as its emit: the encoder is its
 * first call, not a Lua function's. */
static int record_emit(lua_State *L) {
  const emit_state *st = lua_touserdata(L, lua_upvalueindex(9));
  if (!lua_istable(L, 1))
    return luaL_error(L, "emit(record): a record table is expected (the script has no reduce)");
  lua_settop(L, 1);
  if (st->has_name) {
    append_record(L, st->e, st->lb, 1, lua_upvalueindex(8), &st->name);
  } else {
    lua_pushvalue(L, lua_upvalueindex(8));       /* 2: the doc or name */
    append_record(L, st->e, st->lb, 1, 2, NULL);
  }
  return 0;
}

/* emitter(buf, name) -> emit(r) */
static int record_emitter(lua_State *L) {
  emit_state *st;
  int k;
  luaL_argcheck(L, has_metatable(L, 1, 4), 1, "a line buffer expected");
  lua_settop(L, 2);
  luaL_checkstack(L, 9, NULL);
  for (k = 1; k <= 6; k++) lua_pushvalue(L, lua_upvalueindex(k));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  st = lua_newuserdatauv(L, sizeof *st, 0);
  st->e = lua_touserdata(L, lua_upvalueindex(2));
  st->lb = lua_touserdata(L, 1);
  st->has_name = 0;
  if (lua_type(L, 2) == LUA_TSTRING) {
    st->name.s = lua_tolstring(L, 2, &st->name.len);
    st->has_name = plain(st->name.s, st->name.len);
  }
  lua_pushcclosure(L, record_emit, 9);
  return 1;
}

/* line_of(name, r): r's line (Lua form, doc `name`), an unusual record's
 * from general(r, name) (upvalue 6). lode.out.line is this: no Lua
 * function between a script and the encoder. */
static int record_line_of(lua_State *L) {
  encoder *e = lua_touserdata(L, lua_upvalueindex(2));
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_pushvalue(L, 1);               /* 3: the doc, which becomes its id */
  if (write_record(L, e, NULL, 2, 1, 3, NULL)) {
    lua_pushlstring(L, e->out.p, e->out.len);
    if (e->out.cap > BIG_RECORD) shrink(&e->out);    /* a rare huge record */
    return 1;
  }
  luaL_checkstack(L, 3, NULL);
  lua_pushvalue(L, lua_upvalueindex(6));
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* --- line buffers ---------------------------------------------------------- */

/* buf:add(s): append prefix .. s .. "\n" (a line the encoder did not write). */
static int buffer_add(lua_State *L) {
  line_buffer *lb = luaL_checkudata(L, 1, LODE_LINEBUF);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  add_line(L, lb, s, len);
  return 0;
}

/* buf:take() -> the lines so far (a string) and their count, and empties
 * the buffer. */
static int buffer_take(lua_State *L) {
  line_buffer *lb = luaL_checkudata(L, 1, LODE_LINEBUF);
  lua_pushlstring(L, lb->b.p ? lb->b.p : "", lb->b.len);
  lua_pushinteger(L, (lua_Integer)lb->lines);
  lb->b.len = 0;
  lb->lines = 0;
  if (lb->b.cap > BIG_RECORD) shrink(&lb->b);
  return 2;
}

int lode_linebuf_release(lua_State *L, int idx, char **data, size_t *len, size_t *lines) {
  line_buffer *lb = luaL_testudata(L, idx, LODE_LINEBUF);
  if (!lb) return 0;
  *data = lb->b.p;
  *len = lb->b.len;
  *lines = lb->lines;
  memset(&lb->b, 0, sizeof lb->b);
  lb->lines = 0;
  return 1;
}

static int buffer_gc(lua_State *L) {
  line_buffer *lb = luaL_checkudata(L, 1, LODE_LINEBUF);
  free(lb->b.p);
  free(lb->prefix);
  memset(lb, 0, sizeof *lb);
  return 0;
}

/* Push the line buffers' metatable (made on first use). */
static void push_linebuf_meta(lua_State *L) {
  if (luaL_newmetatable(L, LODE_LINEBUF)) {
    static const luaL_Reg methods[] = {
      {"add", buffer_add}, {"take", buffer_take}, {NULL, NULL}};
    lua_pushcfunction(L, buffer_gc);
    lua_setfield(L, -2, "__gc");
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
  }
}

/* line_buffer([prefix]) -> buf */
static int new_line_buffer(lua_State *L) {
  size_t plen;
  const char *prefix = luaL_optlstring(L, 1, "", &plen);
  line_buffer *lb = lua_newuserdatauv(L, sizeof *lb, 0);
  memset(lb, 0, sizeof *lb);
  push_linebuf_meta(L);
  lua_setmetatable(L, -2);
  if ((lb->prefix = malloc(plen + 1)) == NULL) luaL_error(L, "not enough memory");
  memcpy(lb->prefix, prefix, plen);
  lb->plen = plen;
  return 1;
}

/* Store ',"key":' for place k (at least KEY_COPY bytes: see put_key),
 * and index it. */
static void set_key(lua_State *L, encoder *e, int k, const char *key, size_t len) {
  char *s = calloc(len + 4 > KEY_COPY ? len + 4 : KEY_COPY, 1);
  unsigned slot = slot_of(key, len);
  if (s == NULL) luaL_error(L, "lode.out: not enough memory");
  s[0] = ',';
  s[1] = '"';
  memcpy(s + 2, key, len);
  s[len + 2] = '"';
  s[len + 3] = ':';
  e->key[k] = s;
  e->keylen[k] = len + 4;
  e->next[k] = e->head[slot];
  e->head[slot] = k;
}

/* Keep the string on top of the stack in the table at `keep` (its
 * address stays its own) and index it by address for `place`. */
static void keep_key(lua_State *L, encoder *e, int keep, int place) {
  set_ptr(e, lua_topointer(L, -1), place);
  lua_rawseti(L, keep, (lua_Integer)lua_rawlen(L, keep) + 1);
}

/* The upvalues line and append share, from record_encoder's stack:
 * value, the encoder, the key strings, the metatables of line buffers
 * and Docs (append's sixth is general, its seventh the line buffer it
 * last checked). */
static void push_shared(lua_State *L) {
  int k;
  lua_pushvalue(L, 2);
  for (k = 4; k <= 7; k++) lua_pushvalue(L, k);
}

/* record_encoder(order, value [, general]) -> line(t, lua_form, doc [, buf])
 * [, append(buf, name, r), line_of(name, r), emitter(buf, name) when general
 * is given] */
static int record_encoder(lua_State *L) {
  encoder *e;
  int n, k, general;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  general = !lua_isnoneornil(L, 3);
  if (general) luaL_checktype(L, 3, LUA_TFUNCTION);
  n = (int)lua_rawlen(L, 1);
  luaL_argcheck(L, n > 0 && n <= MAX_KEYS, 1, "1 to 64 keys expected");
  lua_settop(L, 3);
  e = lua_newuserdatauv(L, sizeof *e, 0);      /* 4 */
  memset(e, 0, sizeof *e);
  if (luaL_newmetatable(L, LODE_RECENC)) {
    lua_pushcfunction(L, encoder_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_createtable(L, n + 4, 0);                  /* 5: the key strings, kept */
  set_key(L, e, SPAN(n), "span", 4);
  set_key(L, e, LINE(n), "line", 4);
  e->nkeys = n;                     /* __gc frees the keys set so far */
  lua_pushliteral(L, "span");
  keep_key(L, e, 5, SPAN(n));
  lua_pushliteral(L, "line");
  keep_key(L, e, 5, LINE(n));
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *key;
    if (lua_rawgeti(L, 1, k) != LUA_TSTRING) luaL_argerror(L, 1, "keys must be strings");
    key = lua_tolstring(L, -1, &len);
    luaL_argcheck(L, plain(key, len), 1, "keys must need no escaping");
    luaL_argcheck(L, place_of(e, key, len) == 0, 1,
                  "keys must be distinct, and not span or line");
    set_key(L, e, k, key, len);
    keep_key(L, e, 5, k);
  }
  lua_pushliteral(L, "i");          /* after the order: a key of it comes first */
  keep_key(L, e, 5, I_KEY);
  lua_pushliteral(L, "j");
  keep_key(L, e, 5, J_KEY);
  push_linebuf_meta(L);                          /* 6 */
  luaL_getmetatable(L, LODE_DOC);                /* 7 */
  push_shared(L);
  lua_pushcclosure(L, record_line, 5);
  if (!general) return 1;
  push_shared(L);
  lua_pushvalue(L, 3);
  lua_pushnil(L);
  lua_pushcclosure(L, record_append, 7);
  push_shared(L);
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, record_line_of, 6);
  push_shared(L);
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, record_emitter, 6);
  return 4;
}

void lode_open_record(lua_State *L) {
  lua_pushcfunction(L, record_encoder);
  lua_setfield(L, -2, "record_encoder");
  lua_pushcfunction(L, new_line_buffer);
  lua_setfield(L, -2, "line_buffer");
}
