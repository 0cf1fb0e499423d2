/*
 * journal.h -- the resume journal of `lode batch -o FILE` (see batch.c for
 * the design: FILE.journal names, after every fdatasync of FILE, the
 * documents whose lines are on disk). Private to the host.
 */
#ifndef LODE_HOST_JOURNAL_H
#define LODE_HOST_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

typedef struct lode_journal {
  int fd;                        /* FILE.journal open for appending, or -1 */
  lode_sink pending;             /* lines waiting for the output's fdatasync */
  uint64_t *done;                /* the run resumed: path hash by sequence number */
  size_t ndone;
  size_t docs, records, errors;  /* what the run resumed wrote */
  int complete;                  /* it journalled "end": its reduce finished */
} lode_journal;

/* What a journal records of its run, so --resume can tell another one. */
typedef struct lode_journal_id {
  const char *script_path;
  uint64_t script;       /* hash of the script file's bytes */
  int inputs_known;      /* 0: paths read from stdin, not known ahead */
  size_t ninputs;        /* documents in the input set */
  uint64_t inputs;       /* their path hashes summed: the set, in any order */
} lode_journal_id;

/* Hash the bytes of the file at `path` into *h. Returns 0, or -1 (errno). */
int lode_journal_hash_file(const char *path, uint64_t *h);
/* Count one document of the input set into `id`. */
void lode_journal_add_input(lode_journal_id *id, const char *path);

void lode_journal_init(lode_journal *j);
void lode_journal_free(lode_journal *j);   /* closes the journal */

/* Open the output TARGET and its journal JPATH for a run `id` whose lines
 * are `keyed` or records: fresh (both emptied, the journal first), or with
 * `resume` from what JPATH says (the output cut back to its last journalled
 * offset) -- refused when the journal's script or input set is not `id`'s,
 * unless `force` (then `id` is journalled from here on). The output goes to
 * `out`. Returns 0 or an exit code (message printed). */
int lode_journal_open(lode_journal *j, lode_sink *out, const char *target,
                      const char *jpath, int keyed, int resume, int force,
                      const lode_journal_id *id);

/* The hash the journal keeps of a document's path (never 0). */
uint64_t lode_journal_hash(const char *path);

/* The path hash of document `seq` if the run resumed wrote it, else 0. */
uint64_t lode_journal_done(const lode_journal *j, size_t seq);

/* Note that document `seq` (`path`) is written up to output offset `end`.
 * Held until lode_journal_commit. Returns 0 or -1 (out of memory). */
int lode_journal_add(lode_journal *j, size_t seq, unsigned long long end, size_t records,
                     int failed, size_t bytes, const char *path);

/* fdatasync the output `outfd`, then append the held lines: the journal
 * only ever names bytes that are on disk. Returns 0 or -1 (errno set). */
int lode_journal_commit(lode_journal *j, int outfd);

/* The reduce wrote the final output `fd`: sync it, then journal "end".
 * Returns 0 or -1. */
int lode_journal_end(lode_journal *j, int fd);

/* fdatasync the journal itself. Returns 0 or -1. */
int lode_journal_sync(lode_journal *j);

#endif
