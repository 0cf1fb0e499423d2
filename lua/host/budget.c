/* budget.c -- per-document limits of a batch worker's Lua state (budget.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "budget.h"
#include "host.h"

#define BUDGET_SIGNAL SIGUSR1

/* The budget of the document this thread runs, for the signal handler. */
static _Thread_local lode_budget *current;

/* lua_Alloc with accounting: as luaL_newstate's, but refusing to grow past
 * the cap. Lua then collects garbage and retries once before it raises. */
static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lode_budget *b = ud;
  size_t old = ptr ? osize : 0;   /* without ptr, osize is a type tag */
  void *p;
  if (nsize == 0) {
    free(ptr);
    b->used -= old;
    return NULL;
  }
  if (b->max_bytes && nsize > old && b->used + (nsize - old) > b->max_bytes) {
    b->over_memory = 1;
    return NULL;
  }
  /* a new block from malloc: realloc(NULL, n) takes mimalloc's slower
   * path, and most of a document's blocks are new */
  if ((p = ptr ? realloc(ptr, nsize) : malloc(nsize)) == NULL) return NULL;
  b->used = b->used - old + nsize;
  return p;
}

/* ------------------------------------------------------------ coroutines */

static lode_budget *budget_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

/* Call the function at stack index 1 with the rest as arguments, with the
 * coroutine `co` recorded as running meanwhile; errors pass through. */
static int call_in(lua_State *L, lua_State *co) {
  lode_budget *b = budget_of(L);
  int pushed = co && b->nthreads < LODE_BUDGET_DEPTH, rc;
  if (pushed) {
    b->threads[b->nthreads] = co;
    b->nthreads = b->nthreads + 1;   /* after the slot: the handler may look */
  }
  rc = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  if (pushed) b->nthreads = b->nthreads - 1;
  if (rc != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

/* coroutine.resume(co, ...), upvalue 1 the library's own */
static int budget_resume(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  return call_in(L, co);
}

/* the function coroutine.wrap returns: upvalue 1 the library's (whose own
 * upvalue 1 is the coroutine) */
static int budget_wrapped(lua_State *L) {
  lua_State *co;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_getupvalue(L, 1, 1);
  co = lua_tothread(L, -1);
  lua_pop(L, 1);
  return call_in(L, co);
}

/* coroutine.wrap(f), upvalue 1 the library's own */
static int budget_wrap(lua_State *L) {
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  lua_pushcclosure(L, budget_wrapped, 1);
  return 1;
}

static void wrap_coroutines(lua_State *L) {
  lua_getglobal(L, "coroutine");
  lua_getfield(L, -1, "resume");
  lua_pushcclosure(L, budget_resume, 1);
  lua_setfield(L, -2, "resume");
  lua_getfield(L, -1, "wrap");
  lua_pushcclosure(L, budget_wrap, 1);
  lua_setfield(L, -2, "wrap");
  lua_pop(L, 1);
}

lua_State *lode_budget_state(lode_budget *b) {
  lua_State *L = lua_newstate(budget_alloc, b);
  b->L = L;
  if (!L) return NULL;
  lode_host_setup(L);
  wrap_coroutines(L);
  return L;
}

/* ------------------------------------------------------------------ time */

/* Armed by the signal; raises in the document the watchdog meant, unless
 * that one ended meanwhile. */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  lode_budget *b = budget_of(L);
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  if (atomic_load(&b->running) && atomic_load(&b->stop_doc) == atomic_load(&b->doc)) {
    atomic_store(&b->over_time, 1);
    luaL_error(L, "the document ran past its budget of CPU time");
  }
}

static void on_signal(int sig) {
  lode_budget *b = current;
  int k;
  (void)sig;
  if (!b || !atomic_load(&b->running)) return;
  lua_sethook(b->L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
  for (k = 0; k < b->nthreads; k++)
    lua_sethook(b->threads[k], stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void lode_budget_init_signal(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;     /* a worker's reads go on after it */
  sigemptyset(&sa.sa_mask);
  sigaction(BUDGET_SIGNAL, &sa, NULL);
}

static double clock_seconds(clockid_t c) {
  struct timespec t;
  if (clock_gettime(c, &t) != 0) return 0;
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void lode_budget_start(lode_budget *b) {
  lode_budget_resume(b, 0);
}

void lode_budget_resume(lode_budget *b, double used) {
  if (current != b) {           /* the worker's first document */
    b->thread = pthread_self();
    if (pthread_getcpuclockid(b->thread, &b->clock) != 0) b->clock = CLOCK_MONOTONIC;
    current = b;
  }
  b->over_memory = 0;
  atomic_store(&b->over_time, 0);
  b->started = clock_seconds(b->clock) - used;
  atomic_fetch_add(&b->doc, 1);
  atomic_store(&b->running, 1);
}

double lode_budget_used(const lode_budget *b) {
  return clock_seconds(b->clock) - b->started;
}

void lode_budget_end(lode_budget *b) {
  atomic_store(&b->running, 0);
  lua_sethook(b->L, NULL, 0, 0);  /* armed too late: the document is done */
  b->nthreads = 0;                /* (a coroutine left armed unhooks itself) */
}

void lode_budget_watch(lode_budget *const *budgets, size_t n) {
  size_t k;
  for (k = 0; k < n; k++) {
    lode_budget *b = budgets[k];
    unsigned long doc = atomic_load(&b->doc);
    if (!b->max_seconds || !atomic_load(&b->running) || atomic_load(&b->stop_doc) == doc) continue;
    if (clock_seconds(b->clock) - b->started <= b->max_seconds) continue;
    atomic_store(&b->stop_doc, doc);
    pthread_kill(b->thread, BUDGET_SIGNAL);
  }
}

const char *lode_budget_exceeded(const lode_budget *b, const char *msg, char *buf, size_t size) {
  const char *unit = b->unit ? b->unit : "the document";
  if (atomic_load(&b->over_time))
    snprintf(buf, size, "stopped: %s ran past its budget of %g s of CPU time "
             "(raise it with --max-seconds)", unit, b->max_seconds);
  else if (b->over_memory && strstr(msg, "not enough memory"))  /* not a retry that worked */
    snprintf(buf, size, "stopped: %s needed more than the %zu MB of Lua memory "
             "a worker may use (raise it with --max-memory)", unit, b->max_bytes >> 20);
  else
    return NULL;
  return buf;
}
