/*
 * test.h -- the tiny harness every C test program uses.
 *
 * CHECK(cond) records a pass or a failure (with file:line and the condition);
 * TEST_MAIN ends with "N passed, N failed" and exits non-zero on failures.
 * LODE_SOURCE_DIR (the project root) is defined by CMake for fixtures.
 * Also the helpers every test wants: the corpus file list, a whole-file
 * reader, the corpus repeated to a size, and a monotonic clock. They are
 * `static inline` so a test that uses only some of them builds without
 * unused-function warnings.
 */
#ifndef LODE_TEST_H
#define LODE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int test_passed, test_failed;

#define CHECK(cond) \
  do { \
    if (cond) test_passed++; \
    else { test_failed++; fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CHECK_MSG(cond, ...) \
  do { \
    if (cond) test_passed++; \
    else { test_failed++; fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
  } while (0)

/* Compare a byte range with a C string literal. */
#define CHECK_BYTES(p, n, lit) \
  CHECK_MSG((n) == strlen(lit) && memcmp((p), (lit), (n)) == 0, "got \"%.*s\"", (int)(n), (const char *)(p))

/* LODE_TEST_QUICK (set for valgrind runs) shrinks big inputs and random
 * rounds; speed reports run only with LODE_TEST_BENCH (the benchmarks in
 * tests/bench are where speed is measured). */
static inline int test_quick(void) { return getenv("LODE_TEST_QUICK") != NULL; }
static inline int test_bench_wanted(void) { return getenv("LODE_TEST_BENCH") != NULL; }
/* n, or n / 20 (at least 1) in quick mode */
static inline size_t test_scale(size_t n) { return test_quick() ? (n / 20 ? n / 20 : 1) : n; }

/* ---------------------------------------------------------------- corpus */

/* The five articles in corpus/ (names relative to that folder). */
static const char *const test_corpus_files[] = {
  "000_22d4f11e9d4f7577.txt", "001_6d5d41b893ce7abd.txt", "002_3ee2e9b4ed3af45a.txt",
  "003_4e4d8b7c50d3a502.txt", "004_14209ef97e7b3a33.txt",
};
#define TEST_NCORPUS (sizeof test_corpus_files / sizeof test_corpus_files[0])

/* Whole file into a malloc'ed buffer (caller frees), NUL-terminated for
 * convenience (the NUL is not counted; the contents may hold NULs too);
 * *len gets the size. NULL on any failure, *len then 0. */
static inline char *test_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long sz;
  *len = 0;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)sz + 1)) != NULL) {
    if (fread(buf, 1, (size_t)sz, f) == (size_t)sz) {
      buf[sz] = '\0';
      *len = (size_t)sz;
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

/* Full path of corpus file k into buf (cap bytes); returns buf. */
static inline char *test_corpus_path(size_t k, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/corpus/%s", LODE_SOURCE_DIR, test_corpus_files[k]);
  return buf;
}

/* Corpus file k, read whole as by test_slurp (caller frees). A missing
 * corpus is a broken checkout, not a test result: exits with a message. */
static inline char *test_read_corpus(size_t k, size_t *len) {
  char path[1024];
  char *s;
  if (k >= TEST_NCORPUS) { fprintf(stderr, "no corpus file #%zu\n", k); exit(2); }
  s = test_slurp(test_corpus_path(k, path, sizeof path), len);
  if (!s) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  return s;
}

/* The five articles, each followed by '\n' (the files end without one, so
 * words and sentences do not run across articles), repeated as a whole
 * until at least `target` bytes; target 0 gives one copy. Valid UTF-8
 * throughout. Caller frees; exits if the corpus cannot be read; NULL only
 * if out of memory. */
static inline char *test_corpus_repeated(size_t target, size_t *len) {
  size_t n = 0, w = 0, k;
  char *one = NULL, *big;
  for (k = 0; k < TEST_NCORPUS; k++) {
    size_t l;
    char *s = test_read_corpus(k, &l), *q = realloc(one, n + l + 1);
    if (!q) { free(s); free(one); return NULL; }
    one = q;
    memcpy(one + n, s, l);
    n += l;
    one[n++] = '\n';
    free(s);
  }
  big = malloc((target > n ? target : n) + n);
  if (!big) { free(one); return NULL; }
  do {
    memcpy(big + w, one, n);
    w += n;
  } while (w < target);
  free(one);
  *len = w;
  return big;
}

/* Seconds on a monotonic clock, for the speed reports. */
static inline double test_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Random nasty text: pieces[k] (n of them, none empty) drawn with the
 * generator state *seed and joined until s holds at least `min` bytes,
 * a NUL byte now and then; s has room for min, the longest piece and 1
 * more. Returns its length. */
static inline size_t test_random_pieces(char *s, size_t min, const char *const *pieces, size_t n,
                                        unsigned *seed) {
  size_t len = 0;
  while (len < min) {
    const char *piece;
    *seed = *seed * 1103515245u + 12345u;
    piece = pieces[(*seed >> 16 & 0x7fff) % n];
    memcpy(s + len, piece, strlen(piece));
    len += strlen(piece);
    if ((*seed >> 8 & 63) == 0) s[len++] = '\0';
  }
  return len;
}

static inline int test_report(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed ? 1 : 0;
}

#endif
