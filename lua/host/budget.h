/*
 * budget.h -- what one document may cost a batch worker's Lua state.
 *
 * A runaway document (a map that never returns, or one that allocates
 * without end) must become an error record, not stall or sink the run.
 *
 * Memory: each worker state gets an allocator that refuses to grow its Lua
 * memory past `max_bytes`; Lua then raises "not enough memory".
 *
 * Time: a document may use `max_seconds` of its worker thread's CPU time.
 * A watchdog (lode_budget_watch, called a few times a second) signals a
 * worker whose document ran out; the handler arms a count hook in that
 * worker's state (what lua.c does on Ctrl-C), which raises at the next Lua
 * instruction; coroutine.resume and coroutine.wrap are wrapped so the
 * hook reaches a loop inside a coroutine too. The hook is armed only then: a count hook left on makes the
 * VM trap every instruction (15-20% of the extraction job's CPU). C code,
 * such as a regex search, is stopped when it returns to Lua (regex matches
 * have limits of their own).
 *
 * 0 means no limit. The worker calls lode_budget_start() and
 * lode_budget_end() around each document, on its own thread, and
 * lode_budget_exceeded() to word a failure.
 */
#ifndef LODE_BUDGET_H
#define LODE_BUDGET_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <lua.h>

/* Defaults of `lode batch` and `lode map` (--max-memory, --max-seconds). */
#define LODE_BUDGET_MEMORY_MB 2048u   /* Lua memory per worker state */
#define LODE_BUDGET_SECONDS 300u      /* CPU seconds per document */
#define LODE_BUDGET_DEPTH 200         /* coroutines nested (LUAI_MAXCCALLS) */

typedef struct lode_budget {
  size_t max_bytes;                   /* Lua memory of the state; 0: none */
  double max_seconds;                 /* CPU time per document; 0: none */
  const char *unit;                   /* what messages call a run: NULL, "the document" */
  size_t used;                        /* Lua memory in use now */
  int over_memory;                    /* an allocation was refused */
  /* time, shared with the watchdog */
  lua_State *L;
  pthread_t thread;                   /* the worker's, set by the first start */
  clockid_t clock;                    /* its CPU-time clock */
  _Atomic double started;             /* that clock at the document's start */
  atomic_ulong doc;                   /* documents started so far */
  atomic_ulong stop_doc;              /* the one the watchdog stops (0: none) */
  atomic_int running, over_time;
  /* the coroutines resumed and not yet back, innermost last (for the hook) */
  lua_State *threads[LODE_BUDGET_DEPTH];
  volatile sig_atomic_t nthreads;
} lode_budget;

/* A host state (lode_host_state) whose Lua memory `b` limits; `b` must
 * outlive the state. NULL if memory runs out. */
lua_State *lode_budget_state(lode_budget *b);

/* Install the handler of the watchdog's signal; once, before workers run. */
void lode_budget_init_signal(void);

/* Around each document, on the worker's thread. A document run in
 * several parts (a job's prepare stages, then its map) resumes with the
 * CPU seconds it used so far, lode_budget_used() before each end. */
void lode_budget_start(lode_budget *b);
void lode_budget_resume(lode_budget *b, double used);
double lode_budget_used(const lode_budget *b);
void lode_budget_end(lode_budget *b);

/* The watchdog: stop the documents of `n` budgets that ran out of time. */
void lode_budget_watch(lode_budget *const *budgets, size_t n);

/* After a document failed with error message `msg`: a message saying
 * which limit stopped it (written to buf), or NULL when the failure was
 * the script's own. */
const char *lode_budget_exceeded(const lode_budget *b, const char *msg, char *buf, size_t size);

#endif
