/*
 * journal.c -- the resume journal of `lode batch -o FILE`.
 *
 * FILE.journal is a header line naming the kind of job ("lode-journal 2
 * records" or "... keyed"), two lines naming the run, tab-separated:
 *   script  HASH  PATH      (HASH: 16 hex digits, FNV-1a of the file's bytes)
 *   inputs  COUNT  HASH     (HASH: the paths' hashes summed; "inputs -" when
 *                            the paths came from stdin)
 * then one line per document written, tab-separated:
 *   SEQ  END_OFFSET  RECORDS  FAILED  BYTES  PATH
 * and "end" once a reduce has written FILE whole. A run resumed with
 * --force over another script or input set appends its own script and
 * inputs lines (the last ones count). Lines are appended only
 * after an fdatasync of the output, so every journalled document's lines
 * are on disk and everything after the last END_OFFSET is a torn tail that
 * a resumed run cuts off (batch.c has the whole design).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "journal.h"

#define JOURNAL_MAGIC "lode-journal 2"
#define JOURNAL_OLD_MAGIC "lode-journal 1"
#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull
#define MAX_AHEAD (1u << 20)

void lode_journal_init(lode_journal *j) {
  memset(j, 0, sizeof *j);
  j->fd = -1;
  lode_sink_init(&j->pending, -1, 0);
}

void lode_journal_free(lode_journal *j) {
  if (j->fd >= 0) close(j->fd);
  j->fd = -1;
  lode_sink_free(&j->pending);
  free(j->done);
  j->done = NULL;
  j->ndone = 0;
}

/* Journal lines are one a line, tab-separated: these bytes of a path
 * are written as '?'. */
static const char PATH_BREAKS[] = "\t\n\r";

static int journal_char(int c) {
  return c != 0 && strchr(PATH_BREAKS, c) ? '?' : c;
}

/* FNV-1a of the path as the journal writes it; never 0 (0 = not done). */
uint64_t lode_journal_hash(const char *p) {
  uint64_t h = FNV_OFFSET;
  for (; *p; p++) {
    h ^= (unsigned char)journal_char((unsigned char)*p);
    h *= FNV_PRIME;
  }
  return h ? h : 1;
}

uint64_t lode_journal_done(const lode_journal *j, size_t seq) {
  return seq < j->ndone ? j->done[seq] : 0;
}

static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  char *buf = NULL;
  size_t got = 0;
  if (fd < 0) return NULL;
  if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1)) != NULL) {
    while (got < (size_t)st.st_size) {
      ssize_t k = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      got += (size_t)k;
    }
    buf[got] = '\0';
  }
  close(fd);
  *len = got;
  return buf;
}

int lode_journal_hash_file(const char *path, uint64_t *h) {
  size_t len, k;
  char *buf = read_file(path, &len);
  if (buf == NULL) return -1;
  *h = FNV_OFFSET;
  for (k = 0; k < len; k++) *h = (*h ^ (unsigned char)buf[k]) * FNV_PRIME;
  free(buf);
  return 0;
}

void lode_journal_add_input(lode_journal_id *id, const char *path) {
  /* splitmix64's finaliser spreads each hash before the (order-blind) sum */
  uint64_t z = lode_journal_hash(path);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  id->inputs += z ^ (z >> 31);
  id->ninputs++;
}

/* Append `path` as the journal writes it (journal_char): the runs of
 * bytes it keeps at once, not a call a byte. */
static int write_path(lode_sink *s, const char *path) {
  int rc = 0;
  while (rc == 0 && *path) {
    size_t n = strcspn(path, PATH_BREAKS);
    rc = lode_sink_write(s, path, n);
    path += n;
    if (rc == 0 && *path) {
      rc = lode_sink_write(s, "?", 1);
      path++;
    }
  }
  return rc;
}

/* The journal's lines naming run `id`. Returns 0 or -1 (errno). */
static int write_id(int fd, const lode_journal_id *id) {
  lode_sink s;
  char line[80];
  int rc;
  lode_sink_init(&s, -1, 0);
  snprintf(line, sizeof line, "script\t%016llx\t", (unsigned long long)id->script);
  rc = lode_sink_write(&s, line, strlen(line));
  if (rc == 0) rc = write_path(&s, id->script_path);
  if (id->inputs_known)
    snprintf(line, sizeof line, "\ninputs\t%zu\t%016llx\n", id->ninputs,
             (unsigned long long)id->inputs);
  else
    snprintf(line, sizeof line, "\ninputs\t-\n");
  if (rc == 0) rc = lode_sink_write(&s, line, strlen(line));
  if (rc == 0) rc = lode_write_all(fd, s.buf, s.len);
  else errno = ENOMEM;
  lode_sink_free(&s);
  return rc;
}

/* Read a script or inputs line (without its "\n") into `was`. */
static void read_id_line(const char *p, lode_journal_id *was) {
  char *end;
  if (strncmp(p, "script\t", 7) == 0) {
    was->script = strtoull(p + 7, &end, 16);
    was->script_path = "";   /* seen */
  } else if (strcmp(p, "inputs\t-") == 0) {
    was->inputs_known = 0;
  } else {
    was->ninputs = (size_t)strtoull(p + 7, &end, 10);
    was->inputs = *end == '\t' ? strtoull(end + 1, NULL, 16) : 0;
    was->inputs_known = 1;
  }
}

/* Whether the journalled run `was` is run `id`: 0, or -1 with a message
 * saying what differs and how to go on. */
static int same_run(const lode_journal_id *was, const lode_journal_id *id, const char *jpath,
                    int force) {
  char what[300];
  if (was->script_path && was->script != id->script)
    snprintf(what, sizeof what, "the script %.200s is not the one it ran (its content changed)",
             id->script_path);
  else if (was->inputs_known && id->inputs_known && was->ninputs != id->ninputs)
    snprintf(what, sizeof what, "the inputs are %zu documents, not the %zu it ran over",
             id->ninputs, was->ninputs);
  else if (was->inputs_known && id->inputs_known && was->inputs != id->inputs)
    snprintf(what, sizeof what, "the inputs are %zu documents as before, but not the same ones",
             id->ninputs);
  else
    return 0;
  if (force) {
    fprintf(stderr, "lode: resuming with --force although %s\n", what);
    return -1;
  }
  fprintf(stderr, "lode: cannot resume the run journalled in %s: %s. Add --force to resume "
          "anyway (documents done stay as they are), or run with --force alone to start over\n",
          jpath, what);
  return -1;
}

static int mark_done(lode_journal *j, size_t seq, uint64_t h) {
  if (seq >= j->ndone) {
    size_t n = j->ndone ? j->ndone : 1024;
    uint64_t *d;
    while (n <= seq) n *= 2;
    if ((d = realloc(j->done, n * sizeof *d)) == NULL) return -1;
    memset(d + j->ndone, 0, (n - j->ndone) * sizeof *d);
    j->done = d;
    j->ndone = n;
  }
  j->done[seq] = h;
  return 0;
}

/* Read FILE.journal: the done set, counts, the offset the output is good
 * up to and where the journal's last complete line ends. Returns 0, 1 if
 * there is no journal, -1 on error (message printed). */
static int read_journal(lode_journal *j, const char *jpath, const char *header,
                        lode_journal_id *was, unsigned long long *good, size_t *jend) {
  size_t len, pos, hlen = strlen(header);
  char *buf = read_file(jpath, &len);
  *good = 0;
  if (buf == NULL) {
    if (errno == ENOENT) return 1;
    fprintf(stderr, "lode: %s: %s\n", jpath, strerror(errno));
    return -1;
  }
  if (len < hlen || memcmp(buf, header, hlen) != 0) {
    int torn = len < hlen && memcmp(buf, header, len) == 0;
    int old = len >= strlen(JOURNAL_OLD_MAGIC) &&
              memcmp(buf, JOURNAL_OLD_MAGIC, strlen(JOURNAL_OLD_MAGIC)) == 0;
    free(buf);
    if (torn) return 1;  /* killed while writing the header: nothing done */
    if (old)
      fprintf(stderr, "lode: %s was written by an older lode that did not record its "
                      "script and inputs: run with --force instead of --resume to start over\n", jpath);
    else
      fprintf(stderr, "lode: %s is not the journal of this kind of job (the script gained "
                      "or lost its reduce?): run with --force instead of --resume to start over\n", jpath);
    return -2;
  }
  pos = hlen;
  *jend = pos;
  while (pos < len) {
    char *nl = memchr(buf + pos, '\n', len - pos), *p = buf + pos, *end;
    unsigned long long seq, off, recs, failed, bytes;
    if (nl == NULL) break;  /* torn last line */
    *nl = '\0';
    if (strcmp(p, "end") == 0 || strncmp(p, "script\t", 7) == 0 || strncmp(p, "inputs\t", 7) == 0) {
      if (*p == 'e') j->complete = 1;
      else read_id_line(p, was);
      pos = (size_t)(nl - buf) + 1;
      *jend = pos;
      continue;
    }
    errno = 0;
    seq = strtoull(p, &end, 10);
    if (*end != '\t') break;
    off = strtoull(end + 1, &end, 10);
    if (*end != '\t') break;
    recs = strtoull(end + 1, &end, 10);
    if (*end != '\t') break;
    failed = strtoull(end + 1, &end, 10);
    if (*end != '\t') break;
    bytes = strtoull(end + 1, &end, 10);
    /* A run writes a document at most a queue, a window and a worker each
     * ahead of those written before it: a number far past that is no line
     * of ours (and would make mark_done's table absurd). */
    if (*end != '\t' || errno || off < *good || failed > 1 || seq > j->docs + MAX_AHEAD) break;
    if (mark_done(j, (size_t)seq, lode_journal_hash(end + 1)) != 0) {
      free(buf);
      fprintf(stderr, "lode: out of memory\n");
      return -1;
    }
    *good = off;
    j->docs++;
    j->records += (size_t)recs;
    j->errors += (size_t)failed;
    (void)bytes;
    pos = (size_t)(nl - buf) + 1;
    *jend = pos;
  }
  free(buf);
  return 0;
}

int lode_journal_open(lode_journal *j, lode_sink *out, const char *target,
                      const char *jpath, int keyed, int resume, int force,
                      const lode_journal_id *id) {
  char header[64];
  unsigned long long good = 0;
  size_t jend = 0;
  int fd, rc = 1, other = 0;   /* other: resumed with --force as another run */
  lode_journal_id was = {NULL, 0, 0, 0, 0};
  snprintf(header, sizeof header, "%s %s\n", JOURNAL_MAGIC, keyed ? "keyed" : "records");
  if (resume) {
    rc = read_journal(j, jpath, header, &was, &good, &jend);
    if (rc == -1) return LODE_EXIT_SCRIPT;
    if (rc == -2) return LODE_EXIT_USAGE;
    if (rc == 1) fprintf(stderr, "lode: %s: no journal, starting from the beginning\n", jpath);
    if (rc == 0 && (other = same_run(&was, id, jpath, force) != 0) && !force) return LODE_EXIT_USAGE;
  }
  if (rc == 1) {
    /* Fresh: the journal is emptied before the output, so a crash between
     * the two never leaves a journal naming bytes that are gone. */
    j->fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (j->fd < 0 || lode_write_all(j->fd, header, strlen(header)) != 0 ||
        write_id(j->fd, id) != 0 || fdatasync(j->fd) != 0) {
      fprintf(stderr, "lode: %s: %s\n", jpath, strerror(errno));
      return LODE_EXIT_SCRIPT;
    }
    fd = open(target, O_RDWR | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {                /* no output, so no journal of it either */
      int e = errno;
      close(j->fd);
      j->fd = -1;
      unlink(jpath);
      errno = e;
    }
  } else {
    struct stat st;
    j->fd = open(jpath, O_WRONLY);
    if (j->fd < 0 || ftruncate(j->fd, (off_t)jend) != 0 ||
        lseek(j->fd, 0, SEEK_END) < 0 || (other && write_id(j->fd, id) != 0)) {
      fprintf(stderr, "lode: %s: %s\n", jpath, strerror(errno));
      return LODE_EXIT_SCRIPT;
    }
    fd = open(target, O_RDWR | O_CREAT, 0666);
    if (fd >= 0 && !j->complete) {
      if (fstat(fd, &st) != 0) {
        close(fd);
        fd = -1;
      } else if ((unsigned long long)st.st_size < good) {
        fprintf(stderr, "lode: %s is shorter than its journal says (%lld < %llu bytes): "
                        "cannot resume; run again without --resume\n",
                target, (long long)st.st_size, good);
        close(fd);
        return LODE_EXIT_SCRIPT;
      } else if (ftruncate(fd, (off_t)good) != 0 || lseek(fd, (off_t)good, SEEK_SET) < 0) {
        close(fd);
        fd = -1;
      }
    }
  }
  if (fd < 0) {
    fprintf(stderr, "lode: %s: %s\n", target, strerror(errno));
    return LODE_EXIT_SCRIPT;
  }
  lode_sink_init(out, fd, good);
  return 0;
}

int lode_journal_add(lode_journal *j, size_t seq, unsigned long long end, size_t records,
                     int failed, size_t bytes, const char *path) {
  char head[160];
  int rc, n = snprintf(head, sizeof head, "%zu\t%llu\t%zu\t%d\t%zu\t", seq, end, records,
                       failed, bytes);
  rc = lode_sink_write(&j->pending, head, (size_t)n);
  if (rc == 0) rc = write_path(&j->pending, path);
  return rc == 0 ? lode_sink_write(&j->pending, "\n", 1) : rc;
}

int lode_journal_commit(lode_journal *j, int outfd) {
  int rc = 0;
  if (j->fd < 0 || j->pending.len == 0) return 0;
  if (fdatasync(outfd) != 0 && errno != EINVAL) rc = -1;
  else if (lode_write_all(j->fd, j->pending.buf, j->pending.len) != 0) rc = -1;
  j->pending.len = 0;
  return rc;
}

int lode_journal_end(lode_journal *j, int fd) {
  return fdatasync(fd) != 0 || lode_write_all(j->fd, "end\n", 4) != 0 ||
         fdatasync(j->fd) != 0 ? -1 : 0;
}

int lode_journal_sync(lode_journal *j) {
  return j->fd >= 0 && fdatasync(j->fd) != 0 && errno != EINVAL ? -1 : 0;
}
