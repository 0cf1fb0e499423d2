/*
 * mapred.c -- the Lua side of a batch job, and the reduce step.
 *
 * A job script returns {map = function(doc, emit) ... end,
 * reduce = function(key, values, emit) ... end} (reduce optional; an
 * optional `load` table is passed to lode.load, e.g. {invalid = "replace"}).
 * lode.job (lua/lode/job.lua) wraps it in every Lua state: it loads the
 * document, calls map with an emit that encodes what it is given, and hands
 * back one string holding all of the document's lines, so a document's
 * output is all or nothing (a map that fails half-way leaves only its error
 * record).
 *
 *   without reduce: emit(record) -> lode.out.line(doc.name, r),
 *                   the project's JSON-lines schema and key order (for
 *                   lode map after the key doc.name, with '%', TAB, CR
 *                   and LF percent-encoded: push_name_key);
 *   with reduce:    emit(key, value) -> key<TAB>json, the value encoded
 *                   canonically (object keys sorted) so equal values give
 *                   equal bytes in every state and every run, and sorting
 *                   the lines gives every reducer the same value order.
 *
 * The reduce step reads key<TAB>json lines sorted by key (the Hadoop
 * Streaming contract), groups consecutive equal keys and calls
 * reduce(key, values, emit); emit(record) writes lode.out.line(nil, record).
 * An empty key marks an error record of a failed document: passed through,
 * never reduced. Without reduce in the script every JSON is passed through.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "batch.h"
#include "host.h"

/* ---------------------------------------------------------------- driver */

/* The message of the error on top of the stack (a string, or a description
 * of the error object). */
static const char *error_message(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg == NULL) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
  return msg;
}

int lode_job_load(lode_job *job, lua_State *L, const char *script,
                  lode_out_mode mode) {
  job->L = L;
  job->map_ref = job->reduce_ref = LUA_NOREF;
  job->has_reduce = 0;
  job->budget = NULL;
  /* A job's state collects in generational mode: every document makes
   * short-lived garbage, which minor collections reclaim while it is still
   * in cache, and the live data (compiled regexes, word lists, caches) is
   * marked only in major collections. Against the incremental collector at
   * 400% of the live data (cachegrind, 2,000 documents, -j1): the same
   * instructions (+0.2%), 29% fewer last-level cache misses, and peak RSS
   * 16 MB instead of 23 (-j2: 25 instead of 42). Set before the script
   * runs, so a script's own collectgarbage() wins. */
  lua_gc(L, LUA_GCGEN, 0, 0);
  if (luaL_loadfile(L, script) != LUA_OK || lode_host_pcall(L, 0, 1) != LUA_OK) {
    lode_host_report(L);
    return -1;
  }
  /* [jobtable]: lode.job wraps it (lua/lode/job.lua) */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lode.job");
  if (lode_host_pcall(L, 1, 1) != LUA_OK) {
    lode_host_report(L);
    lua_pop(L, 1);
    return -1;
  }
  lua_insert(L, -2);                                   /* [wrap, jobtable] */
  lua_pushstring(L, mode == LODE_OUT_KEYED ? "keyed" : "records");
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    /* Name the script: the driver's own messages do not. */
    const char *msg = error_message(L);
    fprintf(stderr, "lode: %s: %s\n", script, msg);
    lua_settop(L, 0);
    return -1;
  }
  /* [M] */
  lua_getfield(L, -1, "has_reduce");
  job->has_reduce = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, -1, "map");
  job->map_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_getfield(L, -1, "reduce");
  job->reduce_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  return 0;
}

/* ------------------------------------------------------------------ sink */

#define SINK_FLUSH (1u << 16)

int lode_write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

void lode_sink_init(lode_sink *s, int fd, unsigned long long offset) {
  memset(s, 0, sizeof *s);
  s->fd = fd;
  s->offset = offset;
}

int lode_sink_flush(lode_sink *s) {
  if (s->err) return -1;
  if (s->fd < 0 || s->len == 0) return 0;
  if (lode_write_all(s->fd, s->buf, s->len) != 0) {
    s->err = errno ? errno : EIO;
    return -1;
  }
  s->offset += s->len;
  s->len = 0;
  return 0;
}

int lode_sink_write(lode_sink *s, const char *p, size_t n) {
  if (s->err) return -1;
  if (n == 0) return 0;
  if (s->fd >= 0 && s->len + n > SINK_FLUSH) {
    if (lode_sink_flush(s) != 0) return -1;
    if (n >= SINK_FLUSH) {  /* big: straight through */
      if (lode_write_all(s->fd, p, n) != 0) {
        s->err = errno ? errno : EIO;
        return -1;
      }
      s->offset += n;
      return 0;
    }
  }
  if (s->len + n > s->cap) {
    size_t cap = s->cap ? s->cap : 256;
    char *nb;
    while (cap < s->len + n) cap *= 2;
    if ((nb = realloc(s->buf, cap)) == NULL) {
      s->err = ENOMEM;
      return -1;
    }
    s->buf = nb;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  return 0;
}

void lode_sink_free(lode_sink *s) {
  free(s->buf);
  s->buf = NULL;
  s->len = s->cap = 0;
}

/* Escape as lua-cjson does, so error records look like the others. */
int lode_sink_json_string(lode_sink *s, const char *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t k, run = 0;
  if (lode_sink_write(s, "\"", 1)) return -1;
  for (k = 0; k < n; k++) {
    unsigned char c = (unsigned char)p[k];
    char esc[7];
    size_t elen = 2;
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
    if (lode_sink_write(s, p + run, k - run)) return -1;
    run = k + 1;
    esc[0] = '\\';
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        elen = 6;
    }
    if (lode_sink_write(s, esc, elen)) return -1;
  }
  if (lode_sink_write(s, p + run, n - run)) return -1;
  return lode_sink_write(s, "\"", 1);
}

/* {"FIELD":"NAME","error":"MSG"}\n, after `prefix` + TAB when keyed. */
static int error_record(lode_sink *s, int keyed, const char *prefix,
                        const char *field, const char *name, const char *msg) {
  if (keyed && (lode_sink_write(s, prefix, strlen(prefix)) || lode_sink_write(s, "\t", 1)))
    return -1;
  if (lode_sink_write(s, "{\"", 2) || lode_sink_write(s, field, strlen(field)) ||
      lode_sink_write(s, "\":", 2) || lode_sink_json_string(s, name, strlen(name)) ||
      lode_sink_write(s, ",\"error\":", 9) || lode_sink_json_string(s, msg, strlen(msg)))
    return -1;
  return lode_sink_write(s, "}\n", 2);
}

/* ------------------------------------------------------------------- map */

/* The key of a document's lines without reduce: its file name with '%',
 * TAB, CR and LF percent-encoded, so a name holding them still makes one
 * key<TAB>json line (sort and reduce split at the first TAB, lines at LF).
 * Pushed on L's stack. */
static const char *push_name_key(lua_State *L, const char *name) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (; *name; name++) {
    if (*name == '%' || *name == '\t' || *name == '\r' || *name == '\n') {
      char esc[4];
      snprintf(esc, sizeof esc, "%%%02X", (unsigned char)*name);
      luaL_addstring(&b, esc);
    } else {
      luaL_addchar(&b, *name);
    }
  }
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

int lode_job_map(lode_job *job, const char *path, const char *error,
                 lode_out_mode mode, lode_mapped *out) {
  lua_State *L = job->L;
  int top = lua_gettop(L);
  const char *msg = error, *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path, *key;
  char why[200];
  int rc;
  lode_sink s;
  memset(out, 0, sizeof *out);
  key = push_name_key(L, name);
  if (!error) {
    if (job->budget) lode_budget_start(job->budget);
    lua_rawgeti(L, LUA_REGISTRYINDEX, job->map_ref);
    lua_pushstring(L, path);
    lua_pushvalue(L, -3);                  /* the key */
    rc = lua_pcall(L, 2, 3, 0);
    if (job->budget) lode_budget_end(job->budget);
    if (rc == LUA_OK) {
      size_t len;
      const char *chunk = lua_tolstring(L, -3, &len);
      out->records = (size_t)lua_tointeger(L, -2);
      out->bytes = (size_t)lua_tointeger(L, -1);
      out->len = len;
      if ((out->data = malloc(len + 1)) == NULL) {
        lua_settop(L, top);
        return -1;
      }
      memcpy(out->data, chunk, len);
      lua_settop(L, top);
      return 0;
    }
    msg = error_message(L);
    if (job->budget && lode_budget_exceeded(job->budget, msg, why, sizeof why)) msg = why;
  } else {
    name = path;   /* not loaded: the path is all there is to name it by */
  }
  out->failed = 1;
  lode_sink_init(&s, -1, 0);
  /* Records name a document by its file name, as doc.name does. */
  if (error_record(&s, mode == LODE_OUT_KEYED, job->has_reduce ? "" : key,
                   "doc", name, msg) != 0) {
    lode_sink_free(&s);
    lua_settop(L, top);
    return -1;
  }
  lua_settop(L, top);
  out->data = s.buf;
  out->len = s.len;
  return 0;
}

/* ---------------------------------------------------------------- reduce */

void lode_reducer_init(lode_reducer *r, lode_job *job, lode_sink *out) {
  memset(r, 0, sizeof *r);
  r->job = job;
  r->out = out;
  r->tref = LUA_NOREF;
}

/* Call reduce on the open group and write what it emits. */
static int close_group(lode_reducer *r) {
  lua_State *L = r->job->L;
  int top = lua_gettop(L), rc = 0;
  if (r->key == NULL) return 0;
  r->stats.keys++;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->job->reduce_ref);
  lua_pushlstring(L, r->key, r->keylen);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->tref);
  luaL_unref(L, LUA_REGISTRYINDEX, r->tref);
  r->tref = LUA_NOREF;
  if (lua_pcall(L, 2, 2, 0) == LUA_OK) {
    size_t len;
    const char *chunk = lua_tolstring(L, -2, &len);
    r->stats.records += (size_t)lua_tointeger(L, -1);
    rc = lode_sink_write(r->out, chunk, len);
  } else {
    const char *msg = error_message(L);     /* stays on the stack */
    r->stats.errors++;
    lua_pushlstring(L, r->key, r->keylen);  /* a NUL-terminated copy */
    rc = error_record(r->out, 0, "", "key", lua_tostring(L, -1), msg);
  }
  lua_settop(L, top);
  free(r->key);
  r->key = NULL;
  r->nvalues = 0;
  return rc;
}

int lode_reducer_line(lode_reducer *r, const char *line, size_t len) {
  lua_State *L = r->job->L;
  const char *tab = memchr(line, '\t', len);
  const char *json;
  size_t keylen, jlen;
  if (tab == NULL) {
    fprintf(stderr, "lode: reduce: a line without a TAB (key<TAB>json expected) skipped\n");
    r->stats.errors++;
    return 0;
  }
  keylen = (size_t)(tab - line);
  json = tab + 1;
  jlen = len - keylen - 1;
  if (!r->warned && r->prev && keylen > 0) {
    size_t m = keylen < r->prevlen ? keylen : r->prevlen;
    int c = memcmp(line, r->prev, m);
    if (c < 0 || (c == 0 && keylen < r->prevlen)) {
      fprintf(stderr, "lode: reduce: input not sorted by key (sort with LC_ALL=C); "
                      "a key whose lines are not together is reduced more than once\n");
      r->warned = 1;
    }
  }
  if (keylen == 0 || !r->job->has_reduce) {
    /* An error record (empty key), or a script without reduce: pass through. */
    if (close_group(r)) return -1;
    if (keylen == 0) r->stats.failed++;
    else r->stats.records++;
    if (lode_sink_write(r->out, json, jlen) || lode_sink_write(r->out, "\n", 1)) return -1;
    return 0;
  }
  if (r->key == NULL || r->keylen != keylen || memcmp(r->key, line, keylen) != 0) {
    char *prev;
    if (close_group(r)) return -1;
    if ((r->key = malloc(keylen + 1)) == NULL || (prev = realloc(r->prev, keylen + 1)) == NULL) {
      fprintf(stderr, "lode: reduce: out of memory\n");
      return -1;
    }
    memcpy(r->key, line, keylen);
    r->keylen = keylen;
    memcpy(prev, line, keylen);
    r->prev = prev;
    r->prevlen = keylen;
    lua_createtable(L, 8, 0);
    r->tref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->tref);  /* [values] */
  lua_pushlstring(L, json, jlen);
  lua_rawseti(L, -2, ++r->nvalues);
  lua_pop(L, 1);
  return 0;
}

int lode_reducer_finish(lode_reducer *r) {
  int rc = close_group(r);
  free(r->prev);
  r->prev = NULL;
  return rc;
}

/* ------------------------------------------------- reduce a spilled file */

typedef struct line_ref {
  const char *p;
  size_t n;
} line_ref;

static int cmp_lines(const void *a, const void *b) {
  const line_ref *x = a, *y = b;
  size_t m = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->p, y->p, m);
  if (c) return c;
  return x->n < y->n ? -1 : x->n > y->n;
}

int lode_reduce_file(lode_job *rjob, int spillfd, lode_sink *out, lode_reduce_stats *stats) {
  struct stat st;
  char *buf;
  line_ref *lines;
  size_t len = 0, n = 0, k, start;
  lode_reducer red;
  int rc = 0;
  if (fstat(spillfd, &st) != 0) return -1;
  if ((buf = malloc((size_t)st.st_size + 1)) == NULL) return -1;
  while (len < (size_t)st.st_size) {
    ssize_t got = pread(spillfd, buf + len, (size_t)st.st_size - len, (off_t)len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    len += (size_t)got;
  }
  for (k = 0; k < len; k++) n += buf[k] == '\n';
  if ((lines = malloc((n + 1) * sizeof *lines)) == NULL) {
    free(buf);
    return -1;
  }
  n = 0;
  for (start = k = 0; k < len; k++) {
    if (buf[k] != '\n') continue;
    if (k > start) lines[n++] = (line_ref){buf + start, k - start};
    start = k + 1;
  }
  qsort(lines, n, sizeof *lines, cmp_lines);
  lode_reducer_init(&red, rjob, out);
  for (k = 0; rc == 0 && k < n; k++) rc = lode_reducer_line(&red, lines[k].p, lines[k].n);
  if (lode_reducer_finish(&red) != 0) rc = -1;
  if (rc == 0) rc = lode_sink_flush(out);
  *stats = red.stats;
  free(lines);
  free(buf);
  return rc;
}

/* lode reduce SCRIPT: key<TAB>json lines on stdin, records on stdout. */
int lode_reduce_main(lua_State *L, int argc, char **argv) {
  lode_job job;
  lode_sink out;
  lode_reducer red;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  struct timespec t0, t1;
  int rc = 0;
  if (argc != 1 || argv[0][0] == '-') {
    fputs("usage: lode reduce SCRIPT   (key<TAB>json lines sorted by key on stdin)\n", stderr);
    return LODE_EXIT_USAGE;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (lode_job_load(&job, L, argv[0], LODE_OUT_KEYED) != 0) return LODE_EXIT_SCRIPT;
  lode_host_ignore_signal(SIGPIPE);   /* a closed output: EPIPE from write() */
  lode_sink_init(&out, STDOUT_FILENO, 0);
  lode_reducer_init(&red, &job, &out);
  while (rc == 0 && (n = getline(&line, &cap, stdin)) >= 0) {
    size_t len = (size_t)n;
    if (len > 0 && line[len - 1] == '\n') len--;
    if (len > 0 && line[len - 1] == '\r') len--;
    if (len == 0) continue;
    rc = lode_reducer_line(&red, line, len);
  }
  free(line);
  if (rc == 0) rc = lode_reducer_finish(&red);
  else lode_reducer_finish(&red);
  if (rc == 0) rc = lode_sink_flush(&out);
  if (rc != 0 && out.err) fprintf(stderr, "lode: reduce: cannot write the output: %s\n", strerror(out.err));
  lode_sink_free(&out);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "lode: reduce: %zu keys, %zu records, %zu errors, %.2f s\n",
          red.stats.keys, red.stats.records, red.stats.errors + red.stats.failed,
          (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  if (rc != 0) return LODE_EXIT_SCRIPT;
  return red.stats.errors + red.stats.failed ? LODE_EXIT_DOCS : LODE_EXIT_OK;
}
