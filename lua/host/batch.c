/*
 * batch.c -- `lode batch` and `lode map`: documents through worker threads.
 *
 *   lode batch SCRIPT PATHS... [-j N] [-o FILE] [--resume] [--ordered]
 *   lode map SCRIPT [PATHS...] [-j N] [--ordered]     (no PATHS: paths on stdin)
 *
 * Threads. One producer expands the PATHS (files, directories walked in
 * sorted order, globs, "-" = one path a line on stdin) and numbers them
 * 0, 1, 2... (the sequence number) into a bounded queue. N workers each own
 * a Lua state (lode_host_state) holding the script, loaded once; a worker
 * takes a path, maps it (mapred.c: load, map, encode, all under pcall) and
 * hands back one buffer of lines, or the document's error record. The main
 * thread is the only writer: it writes results as they come, or with
 * --ordered in sequence order. Workers stop taking documents while WINDOW
 * results wait for the writer, so memory holds at most QCAP paths and WINDOW
 * documents' output whatever the size of the corpus. A script with a
 * `prepare` list has its worker take up to PREPARE_BATCH queued paths at
 * once and run each prepare stage over all of them before mapping each
 * (prepare_jobs): per document, every call runs within its budget, its
 * CPU time summed over the calls. A Lua state is touched
 * by one thread only; everything shared sits under one mutex (the work per
 * lock is tiny next to mapping a document).
 *
 * Reduce. With a reduce in the script, map emits key<TAB>json lines; they
 * are spilled to FILE.map (or an unlinked temporary file without -o), then
 * read back, sorted in memory by bytes (as LC_ALL=C sort does) and reduced
 * in the main thread by the same code as `lode reduce` -- so the output is
 * byte for byte that of `lode map S | LC_ALL=C sort | lode reduce S`. The
 * sort holds the map output (not the corpus) in memory.
 *
 * Resume (-o FILE; journal.c keeps the journal). Next to the output sits
 * FILE.journal: a header line naming the kind of job, then one line per
 * document written:
 *   SEQ<TAB>END_OFFSET<TAB>RECORDS<TAB>FAILED<TAB>BYTES<TAB>PATH
 * The writer writes documents' lines to the output as they come; at most
 * every COMMIT_SECONDS it fdatasync()s the output, and only then appends
 * the journal lines of the documents written since (one fdatasync per
 * document cost the writer more system time than the rest of its work).
 * So every journalled document's lines are on disk, and everything after
 * the last journalled END_OFFSET is a torn tail. --resume reads the journal
 * up to its last complete line (a torn last line is dropped, and cut off
 * the file), truncates the output to the last END_OFFSET, skips the
 * journalled sequence numbers (checking the path is the same) and appends
 * the rest.
 * A run killed at any moment thus ends, resumed, with the lines of an
 * uninterrupted run: the same set, and the same bytes with --ordered (an
 * ordered run journals a prefix of the sequence). With reduce, the journal
 * covers FILE.map; the reduce step rewrites FILE whole and then journals
 * "end", after which FILE.map is removed.
 *
 * Exit: 0; 1 script failed to load or has no map, output failed; 2 usage;
 * 3 some documents (or reduce keys) failed -- each has an error record
 * {"doc": NAME, "error": MESSAGE} in the output.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "batch.h"
#include "files.h"
#include "host.h"
#include "journal.h"

#define QCAP 256        /* paths waiting for a worker */
#define WINDOW 256      /* results a worker may get ahead of the writer */
#define MAX_JOBS 256
#define WAKE_EVERY 16   /* results a worker hands back before waking the writer */
#define PREPARE_BATCH 16  /* documents a worker takes at once for a job's prepare */
#define COMMIT_SECONDS 0.5  /* a journal commit (an fdatasync) at most this often */

typedef struct job {
  size_t seq;
  char *path;
  char *name;           /* its identity in records (files.h) */
  char *error;          /* a path that named nothing: its message */
} job;

typedef struct result {
  size_t seq;
  char *path;
  lode_mapped m;
  struct result *next;
} result;

typedef struct batch batch;

typedef struct worker {
  batch *b;
  lode_job job;
  lode_budget budget;   /* job.L's limits */
  pthread_t tid;
} worker;

/* The two commands this file runs. */
typedef enum { RUN_BATCH, RUN_MAP } run_kind;
static const char *const run_names[] = {"batch", "map"};

struct batch {
  /* settings, fixed before the threads start */
  run_kind kind;
  const char *cmd;                /* run_names[kind], for messages */
  const char *script;
  char **inputs;                  /* ninputs == 0: paths on stdin */
  int ninputs;
  lode_names *names;              /* producer: document identity of the inputs */
  size_t input;                   /* producer: the input being expanded */
  int jobs, ordered, resume, force, progress;
  size_t max_memory_mb;           /* per worker state; 0: no limit */
  double max_seconds;             /* CPU time per document; 0: no limit */
  const char *outpath;
  lode_out_mode mode;
  int has_reduce;
  lode_journal journal;           /* -o FILE: resume state; the writer appends */
  /* shared, under mu */
  pthread_mutex_t mu;
  pthread_cond_t can_push, can_pop, have_result;
  job queue[QCAP];
  size_t qhead, qlen;
  size_t next_seq;                /* producer: seq of the next path */
  size_t queued, popped, taken;   /* jobs queued / taken by workers / written */
  size_t next_write;              /* --ordered: next seq to write */
  size_t unseen;                  /* results handed back since the writer looked */
  size_t skipped;                 /* done by an earlier run */
  size_t total;                   /* paths in the inputs (progress) */
  int total_known, producer_done, stop;
  int fatal_code;                 /* non-zero: stop with this exit code */
  char fatal[600];
  result *rhead, **rtail;         /* ready results, unordered */
  result *slots[WINDOW];          /* ready results by seq % WINDOW, ordered */
};

/* What the writer (main thread) keeps. */
typedef struct writer {
  lode_sink out;
  size_t docs, records, errors;
  unsigned long long bytes;
  struct timespec t0;
  double last_draw;
  double last_commit;             /* when the journal was last committed */
  int drawn;
  char first_error[600];          /* "PATH: MESSAGE" of the first failed document */
} writer;

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void set_fatal(batch *b, int code, const char *msg) {
  /* under mu */
  if (!b->fatal_code) {
    b->fatal_code = code;
    snprintf(b->fatal, sizeof b->fatal, "%s", msg);
  }
  b->stop = 1;
  pthread_cond_broadcast(&b->can_push);
  pthread_cond_broadcast(&b->can_pop);
  pthread_cond_broadcast(&b->have_result);
}

/* ------------------------------------------------------------- producer */

/* Queue one path (or the error of an input that named nothing). Returns
 * non-zero to stop the walk. */
static int push_job(batch *b, const char *path, const char *error) {
  char *p = strdup(path), *e = error ? strdup(error) : NULL;
  char *name = lode_names_of(b->names, b->input, path);
  size_t seq;
  pthread_mutex_lock(&b->mu);
  if (!p || !name || (error && !e)) {
    set_fatal(b, LODE_EXIT_SCRIPT, "out of memory");
    goto stop;
  }
  seq = b->next_seq++;
  if (lode_journal_done(&b->journal, seq)) {
    if (lode_journal_done(&b->journal, seq) != lode_journal_hash(path)) {
      char msg[600];
      snprintf(msg, sizeof msg, "cannot resume: the inputs are not those of the "
               "journalled run (document %zu is now %.400s); run with --force alone to "
               "start over", seq + 1, path);
      set_fatal(b, LODE_EXIT_USAGE, msg);
      goto stop;
    }
    b->skipped++;
    pthread_mutex_unlock(&b->mu);
    free(p);
    free(name);
    free(e);
    return 0;
  }
  /* a full queue waits until it is half empty (see worker_main) */
  while (b->qlen == QCAP && !b->stop) pthread_cond_wait(&b->can_push, &b->mu);
  if (b->stop) goto stop;
  b->queue[(b->qhead + b->qlen) % QCAP] = (job){seq, p, name, e};
  b->qlen++;
  b->queued++;
  pthread_cond_signal(&b->can_pop);
  pthread_mutex_unlock(&b->mu);
  return 0;
stop:
  pthread_mutex_unlock(&b->mu);
  free(p);
  free(name);
  free(e);
  return 1;
}

static int on_path(void *ud, const char *path) {
  return push_job(ud, path, NULL);
}

/* A symbolic link to a directory walked already: said once, on stderr. */
static void on_loop(void *ud, const char *path, const char *msg) {
  (void)ud;
  (void)path;
  fprintf(stderr, "lode: %s\n", msg);
}

static int stopped(batch *b) {
  int stop;
  pthread_mutex_lock(&b->mu);
  stop = b->stop;
  pthread_mutex_unlock(&b->mu);
  return stop;
}

/* One path a line. A line "N<TAB>path" (a line number first, as Hadoop's
 * NLineInputFormat hands them to a streaming mapper) is read as the path.
 * Reads with poll() so a run that stops (closed output) is not left
 * waiting on a terminal or a pipe that never ends. */
static int push_line(batch *b, char *line, size_t len) {
  char *p = line, *tab;
  if (len > 0 && line[len - 1] == '\r') len--;
  line[len] = '\0';
  if ((tab = strchr(line, '\t')) != NULL && tab > line &&
      strspn(line, "0123456789") == (size_t)(tab - line))
    p = tab + 1;
  return *p ? push_job(b, p, NULL) : 0;
}

static int read_stdin_paths(batch *b) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = 0;
  for (;;) {
    struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
    ssize_t k;
    char *nl;
    if (stopped(b)) {
      rc = 1;
      break;
    }
    if (poll(&pfd, 1, 250) == 0) continue;
    if (cap - len < 4096) {
      char *nb = realloc(buf, cap ? cap * 2 : 8192);
      if (nb == NULL) {
        pthread_mutex_lock(&b->mu);
        set_fatal(b, LODE_EXIT_SCRIPT, "out of memory");
        pthread_mutex_unlock(&b->mu);
        rc = 1;
        break;
      }
      buf = nb;
      cap = cap ? cap * 2 : 8192;
    }
    k = read(STDIN_FILENO, buf + len, cap - len - 1);
    if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (k <= 0) break;
    len += (size_t)k;
    while (rc == 0 && (nl = memchr(buf, '\n', len)) != NULL) {
      size_t n = (size_t)(nl - buf);
      rc = push_line(b, buf, n);
      memmove(buf, nl + 1, len - n - 1);
      len -= n + 1;
    }
    if (rc) break;
  }
  if (rc == 0 && len > 0) rc = push_line(b, buf, len);
  free(buf);
  return rc;
}

static void *producer_main(void *arg) {
  batch *b = arg;
  int k, rc = 0;
  b->input = (size_t)-1;             /* paths on stdin are named as given */
  b->names = lode_names_new((const char *const *)b->inputs, (size_t)b->ninputs);
  if (b->names == NULL) rc = 1;
  if (rc == 0 && b->ninputs == 0) rc = read_stdin_paths(b);
  for (k = 0; rc == 0 && k < b->ninputs; k++) {
    lode_error err;
    b->input = (size_t)-1;
    if (strcmp(b->inputs[k], "-") == 0) {
      rc = read_stdin_paths(b);
      continue;
    }
    b->input = (size_t)k;
    rc = lode_files_expand(b->inputs[k], on_path, on_loop, b, &err);
    if (rc < 0) rc = push_job(b, b->inputs[k], err.msg);
  }
  lode_names_free(b->names);
  if (b->names == NULL) {
    pthread_mutex_lock(&b->mu);
    set_fatal(b, LODE_EXIT_SCRIPT, "out of memory");
    pthread_mutex_unlock(&b->mu);
  }
  pthread_mutex_lock(&b->mu);
  b->producer_done = 1;
  pthread_cond_broadcast(&b->can_pop);
  pthread_cond_broadcast(&b->have_result);
  pthread_mutex_unlock(&b->mu);
  return NULL;
}

/* For the progress bar's ETA: count the documents ahead of the producer. */
typedef struct counter {
  batch *b;
  size_t n;
} counter;

static int on_count(void *ud, const char *path) {
  counter *c = ud;
  int stop = 0;
  (void)path;
  if (++c->n % 1024 == 0) {
    pthread_mutex_lock(&c->b->mu);
    stop = c->b->stop;
    pthread_mutex_unlock(&c->b->mu);
  }
  return stop;
}

static void *counter_main(void *arg) {
  counter c = {arg, 0};
  batch *b = arg;
  int k;
  for (k = 0; k < b->ninputs; k++) {
    lode_error err;
    if (lode_files_expand(b->inputs[k], on_count, NULL, &c, &err) < 0) c.n++;
  }
  pthread_mutex_lock(&b->mu);
  b->total = c.n;
  b->total_known = 1;
  pthread_mutex_unlock(&b->mu);
  return NULL;
}

/* --------------------------------------------------------------- workers */

/* Whether the job at the queue's head may be taken now: a worker does not
 * run further ahead of the writer than WINDOW results (bounded memory).
 * Under b->mu. */
static int may_take(const batch *b) {
  return b->qlen > 0 && (b->ordered ? b->queue[b->qhead].seq < b->next_write + WINDOW
                                    : b->popped - b->taken < WINDOW);
}

/* Up to `max` jobs into js, waiting for the first only; 0 when the run is
 * over or stopped. */
static int take_jobs(batch *b, job *js, int max) {
  int n = 0;
  pthread_mutex_lock(&b->mu);
  while (!b->stop && !may_take(b) && !(b->qlen == 0 && b->producer_done)) {
    if (b->unseen) pthread_cond_signal(&b->have_result);  /* it may be what we wait for */
    pthread_cond_wait(&b->can_pop, &b->mu);
  }
  while (!b->stop && n < max && may_take(b)) {
    js[n++] = b->queue[b->qhead];
    b->qhead = (b->qhead + 1) % QCAP;
    b->qlen--;
    b->popped++;
    if (b->qlen == QCAP / 2) pthread_cond_signal(&b->can_push);  /* refill in bursts */
  }
  pthread_mutex_unlock(&b->mu);
  return n;
}

/* The job's prepare stages over the documents js[0, n), stage by stage
 * (a stage's code stays in the CPU's caches from one document to the
 * next); used[k]: the CPU seconds document k took, which its map resumes
 * from. A document left out by a stage skips the later ones. */
static void prepare_jobs(worker *w, const job *js, int n, double *used) {
  int live[PREPARE_BATCH], s, k;
  for (k = 0; k < n; k++) live[k] = js[k].error == NULL;
  for (s = 1; s <= w->job.stages; s++)
    for (k = 0; k < n; k++)
      if (live[k]) live[k] = lode_job_prepare(&w->job, js[k].path, js[k].name, s, &used[k]);
}

static void free_jobs(job *js, int n) {
  int k;
  for (k = 0; k < n; k++) {
    free(js[k].path);
    free(js[k].name);
    free(js[k].error);
  }
}

static void *worker_main(void *arg) {
  worker *w = arg;
  batch *b = w->b;
  job js[PREPARE_BATCH];
  double used[PREPARE_BATCH];
  int n, k;
  while ((n = take_jobs(b, js, w->job.stages > 0 ? PREPARE_BATCH : 1)) > 0) {
    for (k = 0; k < n; k++) used[k] = 0;
    if (n > 1) prepare_jobs(w, js, n, used);
    for (k = 0; k < n; k++) {
      job j = js[k];
      result *r;
      if (k > 0 && stopped(b)) {     /* as a single document's worker would */
        free_jobs(js + k, n - k);
        return NULL;
      }
      r = calloc(1, sizeof *r);
      if (r == NULL ||
          lode_job_map(&w->job, j.path, j.name, j.error, used[k], b->mode, &r->m) != 0) {
        free(r);
        free_jobs(js + k, n - k);
        pthread_mutex_lock(&b->mu);
        set_fatal(b, LODE_EXIT_SCRIPT, "out of memory");
        pthread_mutex_unlock(&b->mu);
        return NULL;
      }
      r->seq = j.seq;
      r->path = j.path;
      free(j.name);
      free(j.error);
      pthread_mutex_lock(&b->mu);
      if (b->ordered) {
        b->slots[r->seq % WINDOW] = r;
      } else {
        *b->rtail = r;
        b->rtail = &r->next;
      }
      /* The writer is woken for a few results at once, not for each: a
       * wake-up per document was thousands of context switches a second. */
      if (++b->unseen >= WAKE_EVERY || b->qlen == 0) pthread_cond_signal(&b->have_result);
      pthread_mutex_unlock(&b->mu);
    }
  }
  return NULL;
}

/* A few times a second, stop the documents (or reduce calls) that ran
 * past their CPU time (budget.h); until stop_watch, which wakes it: a
 * run's end waits for no tick. */
typedef struct watch {
  lode_budget *list[MAX_JOBS];
  int n;
  pthread_t tid;
  int running, stop;
  pthread_mutex_t mu;
  pthread_cond_t wake;
} watch;

static void *watch_main(void *arg) {
  watch *wt = arg;
  pthread_mutex_lock(&wt->mu);
  while (!wt->stop) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 200 * 1000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    if (pthread_cond_timedwait(&wt->wake, &wt->mu, &until) == ETIMEDOUT && !wt->stop) {
      pthread_mutex_unlock(&wt->mu);
      lode_budget_watch(wt->list, (size_t)wt->n);
      pthread_mutex_lock(&wt->mu);
    }
  }
  pthread_mutex_unlock(&wt->mu);
  return NULL;
}

/* Start the watchdog over wt->list, when there is a time limit. */
static void start_watch(batch *b, watch *wt) {
  pthread_condattr_t monotonic;
  wt->stop = 0;
  wt->running = 0;
  if (b->max_seconds > 0) lode_budget_init_signal();
  if (b->max_seconds <= 0 || wt->n == 0) return;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);   /* ticks a clock change cannot stretch */
  pthread_mutex_init(&wt->mu, NULL);
  pthread_cond_init(&wt->wake, &monotonic);
  pthread_condattr_destroy(&monotonic);
  wt->running = pthread_create(&wt->tid, NULL, watch_main, wt) == 0;
  if (!wt->running) {
    pthread_cond_destroy(&wt->wake);
    pthread_mutex_destroy(&wt->mu);
  }
}

static void stop_watch(watch *wt) {
  if (!wt->running) return;
  pthread_mutex_lock(&wt->mu);
  wt->stop = 1;
  pthread_cond_signal(&wt->wake);
  pthread_mutex_unlock(&wt->mu);
  pthread_join(wt->tid, NULL);
  pthread_cond_destroy(&wt->wake);
  pthread_mutex_destroy(&wt->mu);
  wt->running = 0;
}

/* ---------------------------------------------------------------- writer */

static void draw_progress(batch *b, writer *w, int final) {
  /* under mu */
  double t = seconds_since(&w->t0);
  double rate = t > 0 ? (double)w->docs / t : 0, mbs = t > 0 ? (double)w->bytes / 1e6 / t : 0;
  size_t done = w->docs + b->skipped;
  if (!b->progress) return;
  if (final) {
    if (w->drawn) fputs("\r\033[K", stderr);
    return;
  }
  if (t - w->last_draw < 0.2) return;
  w->last_draw = t;
  w->drawn = 1;
  if (b->total_known && b->total > 0) {
    char bar[26];
    size_t k, fill = done * 24 / (b->total > done ? b->total : done);
    double eta = rate > 0 && b->total > done ? (double)(b->total - done) / rate : 0;
    for (k = 0; k < 24; k++) bar[k] = k < fill ? '#' : '.';
    bar[24] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu docs  %.0f docs/s  %.1f MB/s  %zu errors  ETA %d:%02d",
            bar, done, b->total, rate, mbs, w->errors, (int)(eta / 60), (int)eta % 60);
  } else {
    fprintf(stderr, "\r\033[K%zu docs  %.0f docs/s  %.1f MB/s  %zu errors", done, rate, mbs,
            w->errors);
  }
  fflush(stderr);
}

/* Whether journal lines wait, and (unless `now`) have waited long enough;
 * never after a failed write (the run is stopping, its journal ends). */
static int commit_due(batch *b, writer *w, int now) {
  return b->journal.pending.len > 0 && !w->out.err && !b->journal.pending.err &&
         (now || seconds_since(&w->t0) - w->last_commit >= COMMIT_SECONDS);
}

/* Make the documents written so far durable and journal them. */
static int commit(batch *b, writer *w) {
  w->last_commit = seconds_since(&w->t0);
  if (lode_journal_commit(&b->journal, w->out.fd) == 0) return 0;
  if (!w->out.err) w->out.err = errno ? errno : EIO;
  return -1;
}

/* Write a chain of results. Their journal lines wait for the next commit
 * (at once when `last`, the run's end): one fdatasync per COMMIT_SECONDS,
 * not per document, costs a crash at most that much work to redo (the
 * journal never names unsynced bytes). */
static int write_results(batch *b, writer *w, result *list, int last) {
  int rc = 0;
  while (list) {
    result *r = list;
    list = r->next;
    if (rc == 0) rc = lode_sink_write(&w->out, r->m.data, r->m.len);
    w->docs++;
    w->bytes += r->m.bytes;
    w->records += r->m.failed ? 0 : r->m.records;
    w->errors += r->m.failed ? 1 : 0;
    if (r->m.failed && !w->first_error[0])
      snprintf(w->first_error, sizeof w->first_error, "%s: %s", r->path,
               r->m.error ? r->m.error : "failed");
    if (rc == 0 && b->journal.fd >= 0)
      rc = lode_journal_add(&b->journal, r->seq, w->out.offset + w->out.len,
                            r->m.failed ? 0 : r->m.records, r->m.failed, r->m.bytes, r->path);
    free(r->m.data);
    free(r->m.error);
    free(r->path);
    free(r);
  }
  if (rc == 0) rc = lode_sink_flush(&w->out);
  if (rc == 0 && commit_due(b, w, last)) rc = commit(b, w);
  return rc;
}

/* The main thread's loop: take what the workers finished, write it. */
static void run_writer(batch *b, writer *w) {
  pthread_mutex_lock(&b->mu);
  for (;;) {
    result *list = NULL, **tail = &list;
    size_t was = b->next_write;
    int last;                       /* nothing more will come: commit now */
    b->unseen = 0;
    if (b->ordered) {
      for (;;) {
        result *r;
        while (lode_journal_done(&b->journal, b->next_write)) b->next_write++;
        r = b->slots[b->next_write % WINDOW];
        if (r == NULL || r->seq != b->next_write) break;
        b->slots[b->next_write % WINDOW] = NULL;
        *tail = r;
        tail = &r->next;
        r->next = NULL;
        b->next_write++;
        b->taken++;
      }
    } else {
      result *r;
      list = b->rhead;
      for (r = list; r; r = r->next) b->taken++;
      b->rhead = NULL;
      b->rtail = &b->rhead;
    }
    if (b->next_write != was && !list) pthread_cond_broadcast(&b->can_pop);
    last = b->stop || (b->producer_done && b->taken == b->queued);
    if (list || commit_due(b, w, last)) {
      int rc;
      pthread_cond_broadcast(&b->can_pop);  /* the window moved */
      pthread_mutex_unlock(&b->mu);
      rc = write_results(b, w, list, last);
      pthread_mutex_lock(&b->mu);
      if (rc != 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot write the output: %s", strerror(w->out.err));
        set_fatal(b, LODE_EXIT_SCRIPT, w->out.err == EPIPE ? "" : msg);
      }
      draw_progress(b, w, 0);
      continue;
    }
    if (b->stop) break;
    if (b->producer_done && b->taken == b->queued) break;
    {
      struct timespec until;
      clock_gettime(CLOCK_MONOTONIC, &until);
      until.tv_nsec += 250 * 1000000L;
      if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
      }
      pthread_cond_timedwait(&b->have_result, &b->mu, &until);
    }
    draw_progress(b, w, 0);
  }
  draw_progress(b, w, 1);
  pthread_mutex_unlock(&b->mu);
}

static char *path_with(const char *base, const char *suffix) {
  size_t n = strlen(base), m = strlen(suffix);
  char *p = malloc(n + m + 1);
  if (p) {
    memcpy(p, base, n);
    memcpy(p + n, suffix, m + 1);
  }
  return p;
}

/* ------------------------------------------------------------- commands */

static int usage_error(const batch *b, const char *msg) {
  if (msg) fprintf(stderr, "lode %s: %s\n", b->cmd, msg);
  if (b->kind == RUN_MAP)
    fputs("usage: lode map SCRIPT [PATHS...] [-j N] [--ordered]   (no PATHS: paths on stdin)\n",
          stderr);
  else
    fputs("usage: lode batch SCRIPT PATHS... [-j N] [-o FILE [--resume] [--force]] [--ordered]\n"
          "  --resume                 go on with the run journalled in FILE.journal\n"
          "  --force                  start FILE over although a journal says a run wrote it\n",
          stderr);
  fprintf(stderr, "  --max-memory MB          Lua memory of each worker (default %u; 0: no limit)\n"
                  "  --max-seconds S          CPU seconds per document (default %u; 0: no limit)\n",
          LODE_BUDGET_MEMORY_MB, LODE_BUDGET_SECONDS);
  return LODE_EXIT_USAGE;
}

/* The value of option `name` at argv[*k]: "--name=V" or "--name V"; NULL
 * when argv[*k] is another option. *bad is set when the value is missing. */
static const char *long_value(int argc, char **argv, int *k, const char *name, int *bad) {
  const char *a = argv[*k];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (*k + 1 < argc) return argv[++*k];
  *bad = 1;
  return NULL;
}

/* A whole number of at most `max` for option `name`; -1 when it is not. */
static long long limit_value(const batch *b, const char *val, const char *name, long long max) {
  char *end, msg[200];
  long long n = strtoll(val, &end, 10);
  if (*val && !*end && n >= 0 && n <= max) return n;
  snprintf(msg, sizeof msg, "%s takes a whole number from 0 (no limit) to %lld", name, max);
  usage_error(b, msg);
  return -1;
}

/* Parse the options; the first other argument is SCRIPT, the rest PATHS. */
static int parse_args(batch *b, int argc, char **argv) {
  int k, rest = 0, bad = 0;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  b->jobs = ncpu > 0 ? (int)(ncpu < MAX_JOBS ? ncpu : MAX_JOBS) : 1;
  b->max_memory_mb = LODE_BUDGET_MEMORY_MB;
  b->max_seconds = LODE_BUDGET_SECONDS;
  b->inputs = malloc((size_t)(argc + 1) * sizeof *b->inputs);
  if (!b->inputs) return usage_error(b, "out of memory");
  for (k = 0; k < argc; k++) {
    const char *a = argv[k], *val = NULL;
    if (rest || a[0] != '-' || a[1] == '\0') {
      if (!b->script) b->script = a;
      else b->inputs[b->ninputs++] = argv[k];
      continue;
    }
    if (!strcmp(a, "--")) {
      rest = 1;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage_error(b, NULL);
      return -1;
    } else if (!strncmp(a, "-j", 2) || !strncmp(a, "--jobs", 6)) {
      char *end;
      long n;
      val = !strncmp(a, "-j", 2) ? (a[2] ? a + 2 : NULL)
                                 : (a[6] == '=' ? a + 7 : a[6] ? "" : NULL);
      if (!val && ++k < argc) val = argv[k];
      if (!val || !*val) return usage_error(b, "-j needs a number of workers");
      n = strtol(val, &end, 10);
      if (*end || n < 1 || n > MAX_JOBS) return usage_error(b, "-j takes 1 to 256");
      b->jobs = (int)n;
    } else if (b->kind == RUN_BATCH && (!strncmp(a, "-o", 2) || !strncmp(a, "--output", 8))) {
      val = !strncmp(a, "-o", 2) ? (a[2] ? a + 2 : NULL)
                                 : (a[8] == '=' ? a + 9 : a[8] ? "" : NULL);
      if (!val && ++k < argc) val = argv[k];
      if (!val || !*val) return usage_error(b, "-o needs a file name");
      b->outpath = val;
    } else if (b->kind == RUN_BATCH && !strcmp(a, "--resume")) {
      b->resume = 1;
    } else if (b->kind == RUN_BATCH && !strcmp(a, "--force")) {
      b->force = 1;
    } else if (!strcmp(a, "--ordered")) {
      b->ordered = 1;
    } else if ((val = long_value(argc, argv, &k, "--max-memory", &bad)) != NULL || bad) {
      long long n = bad ? -1 : limit_value(b, val, "--max-memory", 1 << 30);
      if (n < 0) return bad ? usage_error(b, "--max-memory needs a number of MB") : LODE_EXIT_USAGE;
      b->max_memory_mb = (size_t)n;
    } else if ((val = long_value(argc, argv, &k, "--max-seconds", &bad)) != NULL || bad) {
      long long n = bad ? -1 : limit_value(b, val, "--max-seconds", 1LL << 31);
      if (n < 0) return bad ? usage_error(b, "--max-seconds needs a number of seconds") : LODE_EXIT_USAGE;
      b->max_seconds = (double)n;
    } else {
      char msg[200];
      snprintf(msg, sizeof msg, "unknown option '%.100s'", a);
      return usage_error(b, msg);
    }
  }
  if (!b->script) return usage_error(b, "no SCRIPT given");
  if (b->kind == RUN_BATCH && b->ninputs == 0)
    return usage_error(b, "no PATHS given (use - for paths on stdin)");
  if (b->resume && !b->outpath) return usage_error(b, "--resume needs -o FILE");
  if (b->force && !b->outpath) return usage_error(b, "--force needs -o FILE");
  return 0;
}

/* A temporary file, already unlinked, for the map output before reduce. */
static int temp_spill(void) {
  const char *dir = getenv("TMPDIR");
  char *tmpl = path_with(dir && *dir ? dir : "/tmp", "/lode-batch-XXXXXX");
  int fd = tmpl ? mkstemp(tmpl) : -1;
  if (fd >= 0) unlink(tmpl);
  free(tmpl);
  return fd;
}

/* What one run carries from step to step. */
typedef struct run_state {
  lode_job main_job;          /* checks the script once, then reduces */
  lode_budget rbudget;        /* main_job.L's limits: a reduce call's */
  worker *workers;            /* b->jobs of them, once made */
  writer w;
  char *spill_path, *jpath;   /* -o FILE: FILE.map (with reduce), FILE.journal */
  int complete;               /* the journal says an earlier run finished */
  lode_journal_id id;         /* -o FILE: the script and input set, journalled */
  lode_reduce_stats rstats;
} run_state;

static int on_input(void *ud, const char *path) {
  lode_journal_add_input(ud, path);
  return 0;
}

/* What the journal of a run with -o records of it, so --resume can tell
 * another run: the script's bytes, and the input set, walked here once
 * ahead of the producer (which also gives the progress bar its total). */
static int identify_run(batch *b, lode_journal_id *id) {
  int k;
  id->script_path = b->script;
  if (lode_journal_hash_file(b->script, &id->script) != 0) {
    fprintf(stderr, "lode: %s: %s\n", b->script, strerror(errno));
    return LODE_EXIT_SCRIPT;
  }
  id->inputs_known = 1;
  for (k = 0; k < b->ninputs; k++) id->inputs_known &= strcmp(b->inputs[k], "-") != 0;
  for (k = 0; id->inputs_known && k < b->ninputs; k++) {
    lode_error err;
    if (lode_files_expand(b->inputs[k], on_input, NULL, id, &err) < 0)
      lode_journal_add_input(id, b->inputs[k]);   /* its error record, as the producer makes */
  }
  b->total = id->ninputs;
  b->total_known = id->inputs_known;
  return 0;
}

/* A run without --resume or --force must not wipe out what a journalled
 * run wrote: -o FILE (or its FILE.map) with FILE.journal beside it. */
static int check_overwrite(batch *b, run_state *rs) {
  struct stat st;
  if (b->resume || b->force || stat(rs->jpath, &st) != 0) return 0;
  if (stat(b->outpath, &st) != 0 && (!rs->spill_path || stat(rs->spill_path, &st) != 0)) return 0;
  fprintf(stderr, "lode: %s: %s was written by an earlier run (its journal %s is there): "
          "add --resume to go on with that run, or --force to start it over\n",
          b->cmd, b->outpath, rs->jpath);
  return LODE_EXIT_USAGE;
}

/* Open where map output goes: -o FILE (with its journal), a temporary
 * spill for batch's reduce, or standard output. */
static int open_output(batch *b, run_state *rs) {
  if (b->outpath) {
    const char *target = b->outpath;
    struct stat st;
    int code;
    /* -o names a file that can be resumed: a journal beside a directory or
     * a device (/dev/full) would only be left behind. */
    if (stat(b->outpath, &st) == 0 && !S_ISREG(st.st_mode)) {
      fprintf(stderr, "lode: %s: -o %s: not a regular file (%s); name a file, "
              "or leave -o out to write to standard output\n", b->cmd, b->outpath,
              lode_files_kind(st.st_mode));
      return LODE_EXIT_USAGE;
    }
    if (b->has_reduce && (target = rs->spill_path = path_with(b->outpath, ".map")) == NULL)
      return LODE_EXIT_SCRIPT;
    if ((rs->jpath = path_with(b->outpath, ".journal")) == NULL) return LODE_EXIT_SCRIPT;
    if ((code = check_overwrite(b, rs)) != 0 || (code = identify_run(b, &rs->id)) != 0) return code;
    code = lode_journal_open(&b->journal, &rs->w.out, target, rs->jpath,
                             b->mode == LODE_OUT_KEYED, b->resume, b->force, &rs->id);
    rs->complete = code == 0 && b->journal.complete;
    return code;
  }
  if (b->has_reduce && b->kind == RUN_BATCH) {
    int fd = temp_spill();
    if (fd < 0) {
      fprintf(stderr, "lode: cannot create a temporary file: %s\n", strerror(errno));
      return LODE_EXIT_SCRIPT;
    }
    lode_sink_init(&rs->w.out, fd, 0);
  } else {
    lode_sink_init(&rs->w.out, STDOUT_FILENO, 0);
  }
  return 0;
}

/* One Lua state per worker, set up here (one thread) and then used by its
 * worker only, within its budget. */
static int make_workers(batch *b, run_state *rs) {
  int k;
  if ((rs->workers = calloc((size_t)b->jobs, sizeof *rs->workers)) == NULL) return LODE_EXIT_SCRIPT;
  for (k = 0; k < b->jobs; k++) {
    worker *wk = &rs->workers[k];
    wk->budget.max_bytes = b->max_memory_mb << 20;
    wk->budget.max_seconds = b->max_seconds;
    wk->b = b;
    wk->job.L = lode_budget_state(&wk->budget);
    if (!wk->job.L) {
      fputs("lode: cannot create a Lua state: not enough memory\n", stderr);
      return LODE_EXIT_SCRIPT;
    }
    if (lode_job_load(&wk->job, wk->job.L, b->script, b->mode) != 0) return LODE_EXIT_SCRIPT;
    wk->job.budget = &wk->budget;
  }
  return 0;
}

/* Map every document: the producer, the workers, the document counter (for
 * the progress bar) and the watchdog run while this thread writes. */
static int map_all(batch *b, run_state *rs) {
  pthread_t producer, count_tid;
  watch wt;
  int k, started, have_count = 0;
  b->progress = isatty(STDERR_FILENO);
  if (pthread_create(&producer, NULL, producer_main, b) != 0) return LODE_EXIT_SCRIPT;
  for (started = 0; started < b->jobs; started++)
    if (pthread_create(&rs->workers[started].tid, NULL, worker_main, &rs->workers[started]) != 0) break;
  if (started == 0) {
    pthread_mutex_lock(&b->mu);
    set_fatal(b, LODE_EXIT_SCRIPT, "cannot start worker threads");
    pthread_mutex_unlock(&b->mu);
  }
  if (b->progress && b->ninputs > 0) {
    int stdin_input = 0;
    for (k = 0; k < b->ninputs; k++) stdin_input |= !strcmp(b->inputs[k], "-");
    if (!stdin_input && !b->total_known) have_count = pthread_create(&count_tid, NULL, counter_main, b) == 0;
  }
  for (wt.n = 0; wt.n < started; wt.n++) wt.list[wt.n] = &rs->workers[wt.n].budget;
  start_watch(b, &wt);

  run_writer(b, &rs->w);

  stop_watch(&wt);   /* before the workers it signals */
  pthread_mutex_lock(&b->mu);
  if (b->stop) set_fatal(b, b->fatal_code, "");  /* wake everyone */
  pthread_mutex_unlock(&b->mu);
  for (k = 0; k < started; k++) pthread_join(rs->workers[k].tid, NULL);
  if (have_count) pthread_join(count_tid, NULL);
  pthread_join(producer, NULL);
  if (b->fatal_code) {
    if (b->fatal[0]) fprintf(stderr, "lode: %s: %s\n", b->cmd, b->fatal);
    return b->fatal_code;
  }
  if (lode_journal_sync(&b->journal) != 0) {
    fprintf(stderr, "lode: %s: %s\n", rs->jpath, strerror(errno));
    return LODE_EXIT_SCRIPT;
  }
  return 0;
}

/* SIGINT, SIGTERM: say what is lost and how to go on, then die of the
 * signal as before. The journal is consistent at every moment (see Resume
 * above), so there is nothing to tidy -- and a handler, run in whatever
 * thread the signal hit, may do little more than write(2). */
static char interrupted_msg[700];
static size_t interrupted_len;

static void on_interrupt(int sig) {
  ssize_t k = write(STDERR_FILENO, interrupted_msg, interrupted_len);
  (void)k;
  raise(sig);   /* SA_RESETHAND: now the default action, which ends the run */
}

static void catch_interrupts(const batch *b) {
  struct sigaction sa;
  int n;
  const char *clear = isatty(STDERR_FILENO) ? "\r\033[K" : "";  /* the progress bar */
  if (b->outpath)
    n = snprintf(interrupted_msg, sizeof interrupted_msg, "%slode: %s: interrupted; "
                 "%.300s.journal keeps what is done: rerun with --resume to go on\n",
                 clear, b->cmd, b->outpath);
  else
    n = snprintf(interrupted_msg, sizeof interrupted_msg, "%slode: %s: interrupted; the "
                 "output is incomplete%s\n", clear, b->cmd,
                 b->kind == RUN_BATCH ? " (a run with -o FILE can be resumed)" : "");
  interrupted_len = n < 0 ? 0 : (size_t)n < sizeof interrupted_msg ? (size_t)n
                                                                    : sizeof interrupted_msg - 1;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* lode batch with reduce: reduce the spilled map output into -o FILE (then
 * journalled as ended) or standard output. */
static int reduce_spill(batch *b, run_state *rs) {
  lode_sink final;
  watch wt;
  int fd = STDOUT_FILENO, rc, code = 0;
  if (rs->complete) {
    if (rs->spill_path) unlink(rs->spill_path);  /* a run killed between "end" and this */
    return 0;
  }
  if (b->outpath && (fd = open(b->outpath, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
    fprintf(stderr, "lode: %s: %s\n", b->outpath, strerror(errno));
    return LODE_EXIT_SCRIPT;
  }
  lode_sink_init(&final, fd, 0);
  wt.list[0] = &rs->rbudget;
  wt.n = 1;
  start_watch(b, &wt);
  rc = lode_reduce_file(&rs->main_job, rs->w.out.fd, &final, &rs->rstats);
  stop_watch(&wt);
  if (rc == 0 && b->outpath) {
    /* FILE is whole on disk before the journal says so. */
    if (lode_journal_end(&b->journal, fd) != 0)
      rc = -1;
    else
      unlink(rs->spill_path);
  }
  if (rc != 0) {
    fprintf(stderr, "lode: %s: cannot write the output: %s\n", b->cmd,
            strerror(final.err ? final.err : errno));
    code = LODE_EXIT_SCRIPT;
  }
  if (fd != STDOUT_FILENO) close(fd);
  lode_sink_free(&final);
  return code;
}

/* The summary line on stderr, and the exit code of a run that ended. */
static int report(batch *b, run_state *rs) {
  double t = seconds_since(&rs->w.t0);
  int reduced = b->has_reduce && b->kind == RUN_BATCH;
  fprintf(stderr, "lode: %s: %zu documents, %.1f MB, %zu records, %zu errors, %.2f s, %.1f MB/s",
          b->cmd, rs->w.docs, (double)rs->w.bytes / 1e6, reduced ? rs->rstats.records : rs->w.records,
          rs->w.errors + rs->rstats.errors, t, t > 0 ? (double)rs->w.bytes / 1e6 / t : 0.0);
  if (b->skipped || rs->complete)
    fprintf(stderr, "; resumed: %zu documents done before (%zu errors)",
            rs->complete ? b->journal.docs : b->skipped, b->journal.errors);
  fputc('\n', stderr);
  /* The count alone sends the analyst digging through the output. */
  if (rs->w.first_error[0])
    fprintf(stderr, "lode: %s: first error: %s\n", b->cmd, rs->w.first_error);
  if (rs->rstats.first_error[0])
    fprintf(stderr, "lode: %s: first reduce error: key %s\n", b->cmd, rs->rstats.first_error);
  if (rs->w.errors + rs->rstats.errors + b->journal.errors > 1)
    fprintf(stderr, "lode: %s: %zu errors in all; each has an error record in the output\n",
            b->cmd, rs->w.errors + rs->rstats.errors + b->journal.errors);
  return rs->w.errors + rs->rstats.errors + b->journal.errors > 0 ? LODE_EXIT_DOCS : LODE_EXIT_OK;
}

static void free_run(batch *b, run_state *rs) {
  int k;
  if (rs->workers) {
    for (k = 0; k < b->jobs; k++)
      if (rs->workers[k].job.L) lua_close(rs->workers[k].job.L);
    free(rs->workers);
  }
  if (rs->w.out.fd > STDOUT_FILENO) close(rs->w.out.fd);
  lode_sink_free(&rs->w.out);
  free(rs->spill_path);
  free(rs->jpath);
  lua_close(rs->main_job.L);
}

static int run(batch *b) {
  run_state rs;
  lua_State *RL;
  int code;
  memset(&rs, 0, sizeof rs);
  clock_gettime(CLOCK_MONOTONIC, &rs.w.t0);
  /* The main state checks the script once (errors reported once), and
   * runs the reduce step, each call within the budget a document has. */
  rs.rbudget.max_bytes = b->max_memory_mb << 20;
  rs.rbudget.max_seconds = b->max_seconds;
  rs.rbudget.unit = "the reduce call";
  if ((RL = lode_budget_state(&rs.rbudget)) == NULL) {
    fputs("lode: cannot create a Lua state: not enough memory\n", stderr);
    return LODE_EXIT_SCRIPT;
  }
  if (lode_job_load(&rs.main_job, RL, b->script, LODE_OUT_KEYED) != 0) {
    lua_close(RL);
    return LODE_EXIT_SCRIPT;
  }
  rs.main_job.budget = &rs.rbudget;
  b->has_reduce = rs.main_job.has_reduce;
  b->mode = (b->kind == RUN_MAP || b->has_reduce) ? LODE_OUT_KEYED : LODE_OUT_RECORDS;
  lode_host_ignore_signal(SIGPIPE);   /* a closed output: EPIPE from write() */
  catch_interrupts(b);
  rs.w.out.fd = -1;
  code = open_output(b, &rs);
  if (code == 0 && !rs.complete) code = make_workers(b, &rs);
  if (code == 0 && !rs.complete) code = map_all(b, &rs);
  if (code == 0 && b->has_reduce && b->kind == RUN_BATCH) code = reduce_spill(b, &rs);
  if (code == 0) code = report(b, &rs);
  free_run(b, &rs);
  return code;
}

/* Results a stopped run never wrote. */
static void free_results(batch *b) {
  size_t k;
  result *r;
  for (k = 0; k < WINDOW; k++) {
    if ((r = b->slots[k]) != NULL) {
      free(r->m.data);
      free(r->m.error);
      free(r->path);
      free(r);
    }
  }
  while ((r = b->rhead) != NULL) {
    b->rhead = r->next;
    free(r->m.data);
    free(r->m.error);
    free(r->path);
    free(r);
  }
}

static int batch_command(run_kind kind, int argc, char **argv) {
  batch *b = calloc(1, sizeof *b);
  int code;
  if (b == NULL) {
    fputs("lode: out of memory\n", stderr);
    return LODE_EXIT_SCRIPT;
  }
  b->kind = kind;
  b->cmd = run_names[kind];
  pthread_mutex_init(&b->mu, NULL);
  pthread_cond_init(&b->can_push, NULL);
  pthread_cond_init(&b->can_pop, NULL);
  {
    /* the writer's timed wait counts on the monotonic clock: a deadline
     * of that clock read as wall-clock time has long passed, and the
     * wait would return at once, a busy loop */
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&b->have_result, &monotonic);
    pthread_condattr_destroy(&monotonic);
  }
  b->rtail = &b->rhead;
  lode_journal_init(&b->journal);
  code = parse_args(b, argc, argv);
  if (code < 0) code = LODE_EXIT_OK;  /* --help */
  else if (code == 0) code = run(b);
  while (b->qlen > 0) {      /* left by a fatal error */
    free(b->queue[b->qhead].path);
    free(b->queue[b->qhead].error);
    b->qhead = (b->qhead + 1) % QCAP;
    b->qlen--;
  }
  pthread_mutex_destroy(&b->mu);
  pthread_cond_destroy(&b->can_push);
  pthread_cond_destroy(&b->can_pop);
  pthread_cond_destroy(&b->have_result);
  free_results(b);
  free(b->inputs);
  lode_journal_free(&b->journal);
  free(b);
  return code;
}

int lode_batch_main(lua_State *L, int argc, char **argv) {
  (void)L;   /* the job gets states of its own, with budgets */
  return batch_command(RUN_BATCH, argc, argv);
}

int lode_map_main(lua_State *L, int argc, char **argv) {
  (void)L;
  return batch_command(RUN_MAP, argc, argv);
}
