/*
 * reduce.c -- the reduce step of batch jobs: `lode reduce`, and batch's
 * reduce of its spilled map output (batch.h).
 *
 * Lines key<TAB>json sorted by key (the Hadoop Streaming contract) are
 * grouped by equal keys and handed to the job's reduce(key, values, emit)
 * (lode.job); emit(record) writes lode.out.line(nil, record). An empty key
 * marks an error record of a failed document: passed through, never
 * reduced. Without reduce in the script every JSON is passed through.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "batch.h"
#include "host.h"

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
  lode_budget *budget = r->job->budget;   /* batch's: a call may run away */
  int top = lua_gettop(L), rc = 0, status;
  char why[200];
  if (r->key == NULL) return 0;
  r->stats.keys++;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->job->reduce_ref);
  lua_pushlstring(L, r->key, r->keylen);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->tref);
  luaL_unref(L, LUA_REGISTRYINDEX, r->tref);
  r->tref = LUA_NOREF;
  if (budget) lode_budget_start(budget);
  status = lua_pcall(L, 2, 2, 0);
  if (budget) lode_budget_end(budget);
  if (status == LUA_OK) {
    size_t len;
    const char *chunk = lua_tolstring(L, -2, &len);
    r->stats.records += (size_t)lua_tointeger(L, -1);
    rc = lode_sink_write(r->out, chunk, len);
  } else {
    const char *msg = lode_job_error_message(L);     /* stays on the stack */
    if (budget && lode_budget_exceeded(budget, msg, why, sizeof why)) msg = why;
    r->stats.errors++;
    lua_pushlstring(L, r->key, r->keylen);  /* a NUL-terminated copy */
    if (!r->stats.first_error[0])
      snprintf(r->stats.first_error, sizeof r->stats.first_error, "%s: %s",
               lua_tostring(L, -1), msg);
    rc = lode_sink_error_record(r->out, 0, "", "key", lua_tostring(L, -1), msg);
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
  if (red.stats.first_error[0])
    fprintf(stderr, "lode: reduce: first error: key %s\n", red.stats.first_error);
  if (rc != 0) return LODE_EXIT_SCRIPT;
  return red.stats.errors + red.stats.failed ? LODE_EXIT_DOCS : LODE_EXIT_OK;
}
