/*
 * mapred.c -- the Lua side of a batch job: loading it, mapping a document.
 *
 * A job script returns {map = function(doc, emit) ... end,
 * reduce = function(key, values, emit) ... end} (reduce optional; an
 * optional `load` table is passed to lode.load, e.g. {invalid = "replace"};
 * an optional `prepare` list runs stage by stage over a batch of
 * documents before their maps: lode_job_prepare, batch.c).
 * lode.job (lua/lode/job.lua) wraps it in every Lua state: it loads the
 * document, calls map with an emit that encodes what it is given, and hands
 * back one string holding all of the document's lines, so a document's
 * output is all or nothing (a map that fails half-way leaves only its error
 * record). Without reduce, lode map puts the key doc.name before each line,
 * with '%', TAB, CR and LF percent-encoded (push_name_key). The reduce step
 * is reduce.c; the output, sink.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "batch.h"
#include "host.h"
#include "lbind.h"

/* ------------------------------------------------------------------- job */

const char *lode_job_error_message(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg == NULL) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
  return msg;
}

int lode_job_load(lode_job *job, lua_State *L, const char *script,
                  lode_out_mode mode) {
  job->L = L;
  job->map_ref = job->reduce_ref = job->prepare_ref = LUA_NOREF;
  job->has_reduce = job->stages = 0;
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
    const char *msg = lode_job_error_message(L);
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
  lua_getfield(L, -1, "stages");
  job->stages = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, -1, "prepare");
  job->prepare_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  return 0;
}

/* ------------------------------------------------------------- prepare */

int lode_job_prepare(lode_job *job, const char *path, const char *name, int stage,
                     double *used) {
  lua_State *L = job->L;
  int top = lua_gettop(L), go;
  if (job->budget) lode_budget_resume(job->budget, *used);
  lua_rawgeti(L, LUA_REGISTRYINDEX, job->prepare_ref);
  lua_pushstring(L, path);
  lua_pushstring(L, name);
  lua_pushinteger(L, stage);
  go = lua_pcall(L, 3, 1, 0) == LUA_OK && lua_toboolean(L, -1);
  if (job->budget) {
    *used = lode_budget_used(job->budget);
    lode_budget_end(job->budget);
  }
  lua_settop(L, top);
  return go;
}

/* ------------------------------------------------------------------- map */

/* The key of a document's lines without reduce: its name with '%',
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

int lode_job_map(lode_job *job, const char *path, const char *name, const char *error,
                 double used, lode_out_mode mode, lode_mapped *out) {
  lua_State *L = job->L;
  int top = lua_gettop(L);
  const char *msg = error, *key;
  char why[200];
  int rc;
  lode_sink s;
  memset(out, 0, sizeof *out);
  key = push_name_key(L, name);
  if (!error) {
    if (job->budget) lode_budget_resume(job->budget, used);
    lua_rawgeti(L, LUA_REGISTRYINDEX, job->map_ref);
    lua_pushstring(L, path);
    lua_pushvalue(L, -3);                  /* the key */
    lua_pushstring(L, name);
    rc = lua_pcall(L, 3, 3, 0);
    if (job->budget) lode_budget_end(job->budget);
    if (rc == LUA_OK) {
      size_t len;
      const char *chunk;
      out->records = (size_t)lua_tointeger(L, -2);
      out->bytes = (size_t)lua_tointeger(L, -1);
      /* a job without reduce hands over its line buffer: its bytes are
       * taken as they are */
      if (lode_linebuf_release(L, -3, &out->data, &out->len, &out->records)) {
        lua_settop(L, top);
        if (out->data == NULL && (out->data = malloc(1)) == NULL) return -1;
        return 0;
      }
      chunk = lua_tolstring(L, -3, &len);
      out->len = len;
      if ((out->data = malloc(len + 1)) == NULL) {
        lua_settop(L, top);
        return -1;
      }
      memcpy(out->data, chunk, len);
      lua_settop(L, top);
      return 0;
    }
    msg = lode_job_error_message(L);
    if (job->budget && lode_budget_exceeded(job->budget, msg, why, sizeof why)) msg = why;
  }
  out->failed = 1;
  out->error = strdup(msg);   /* for the run's "first error" line; NULL is fine */
  lode_sink_init(&s, -1, 0);
  /* Records name a document by its identity, as doc.id does. */
  if (lode_sink_error_record(&s, mode == LODE_OUT_KEYED, job->has_reduce ? "" : key,
                   "doc", name, msg) != 0) {
    lode_sink_free(&s);
    free(out->error);
    out->error = NULL;
    lua_settop(L, top);
    return -1;
  }
  lua_settop(L, top);
  out->data = s.buf;
  out->len = s.len;
  return 0;
}
