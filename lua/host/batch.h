/*
 * batch.h -- what batch.c (threads, queues, journal) and mapred.c (the Lua
 * side of a job, the reduce step) share. Private to the host.
 */
#ifndef LODE_HOST_BATCH_H
#define LODE_HOST_BATCH_H

#include <stddef.h>

#include <lua.h>

#include "budget.h"

/* What a map step writes for each document. */
typedef enum {
  LODE_OUT_RECORDS,  /* JSON lines, one record a line (batch without reduce) */
  LODE_OUT_KEYED     /* key<TAB>json lines (lode map; batch with reduce, spilled) */
} lode_out_mode;

/* A job loaded into one Lua state: the script's table wrapped by the driver. */
typedef struct lode_job {
  lua_State *L;
  int map_ref;       /* registry refs to the driver's map and reduce */
  int reduce_ref;
  int has_reduce;    /* the script returned a reduce function */
  int prepare_ref;   /* the driver's prepare, run `stages` times a document */
  int stages;        /* 0: the script has no prepare */
  lode_budget *budget;  /* L's per-document limits, or NULL (set after load) */
} lode_job;

/* Load SCRIPT into `L` and wrap it for `mode`. Returns 0, or -1 with the
 * error (script error, no map function) reported on stderr. */
int lode_job_load(lode_job *job, lua_State *L, const char *script,
                  lode_out_mode mode);

/* What mapping one document produced. `data` is malloc'ed and owned by the
 * caller (free()); it holds complete lines, each ending in '\n'. */
typedef struct lode_mapped {
  char *data;
  size_t len;
  size_t records;    /* emit() calls */
  size_t bytes;      /* size of the document */
  int failed;        /* data is the document's error record */
  char *error;       /* failed: its message (malloc'ed, free()), or NULL */
} lode_mapped;

/* Run stage `stage` (1..job->stages) of the job's prepare on the document
 * at `path` named `name`, within its budget, resumed at `*used` CPU
 * seconds and updated. Returns whether the document goes on to the next
 * stage (false: left out, its map computes it alone; see lode.job). */
int lode_job_prepare(lode_job *job, const char *path, const char *name, int stage,
                     double *used);

/* Map the document at `path`, named `name` in records (files.h, document
 * identity), or, when `error` is not NULL, make the error record for a path
 * that named nothing; `used`: the CPU seconds its prepare took already.
 * Never raises; returns 0, or -1 when memory runs out. */
int lode_job_map(lode_job *job, const char *path, const char *name, const char *error,
                 double used, lode_out_mode mode, lode_mapped *out);

/* A buffered writer on a file descriptor that notices a closed pipe. */
typedef struct lode_sink {
  int fd;
  char *buf;
  size_t len, cap;
  unsigned long long offset;  /* bytes handed to the kernel so far */
  int err;                    /* errno of the first failed write, 0 if none */
} lode_sink;

void lode_sink_init(lode_sink *s, int fd, unsigned long long offset);
int lode_sink_write(lode_sink *s, const char *p, size_t n);  /* 0 or -1 */
int lode_sink_flush(lode_sink *s);                            /* 0 or -1 */
void lode_sink_free(lode_sink *s);


/* Write everything or fail: 0, or -1 with errno set (EPIPE, ENOSPC...). */
int lode_write_all(int fd, const char *p, size_t n);

/* Append a JSON string literal for the (ptr, len) bytes to `s`. */
int lode_sink_json_string(lode_sink *s, const char *p, size_t n);
/* Append {"FIELD":"NAME","error":"MSG"}\n, after `prefix` and a TAB when
 * `keyed`. 0 or -1. */
int lode_sink_error_record(lode_sink *s, int keyed, const char *prefix,
                           const char *field, const char *name, const char *msg);

/* The message of the error on top of L's stack (a string, or a description
 * of the error object, pushed). */
const char *lode_job_error_message(lua_State *L);

/* Counts of a reduce step. */
typedef struct lode_reduce_stats {
  size_t keys, records;
  size_t errors;     /* reduce calls that failed, lines without a TAB */
  size_t failed;     /* error records of failed documents passed through */
  char first_error[400];  /* "KEY: MESSAGE" of the first failed reduce call */
} lode_reduce_stats;

/* The reduce step over key<TAB>json lines handed one by one, sorted by key:
 * consecutive lines with the same key form a group given to the script's
 * reduce (without reduce in the script, or for an empty key -- the error
 * records of failed documents -- the JSON is passed through). */
typedef struct lode_reducer {
  lode_job *job;
  lode_sink *out;
  lode_reduce_stats stats;
  char *key;         /* the open group's key (malloc'ed), NULL if none */
  size_t keylen;
  int nvalues;       /* values pushed into the group's table so far */
  int tref;          /* registry ref of the group's table of JSON texts */
  char *prev;        /* previous key, to warn once about unsorted input */
  size_t prevlen;
  int warned;
} lode_reducer;

void lode_reducer_init(lode_reducer *r, lode_job *job, lode_sink *out);
/* One line without its '\n'. Returns 0, or -1 if the output failed. */
int lode_reducer_line(lode_reducer *r, const char *line, size_t len);
/* Close the last group. Returns 0 or -1 (output failed). */
int lode_reducer_finish(lode_reducer *r);

/* Read the key<TAB>json lines of file `fd` (from its start), sort them by
 * bytes (as LC_ALL=C sort does) and reduce them into `out`, flushed. The
 * lines are held in memory while sorted. Returns 0, or -1 (out of memory,
 * read or write failure). */
int lode_reduce_file(lode_job *job, int fd, lode_sink *out, lode_reduce_stats *stats);

#endif
