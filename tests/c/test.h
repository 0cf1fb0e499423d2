/*
 * test.h -- the tiny harness every C test program uses.
 *
 * CHECK(cond) records a pass or a failure (with file:line and the condition);
 * TEST_MAIN ends with "N passed, N failed" and exits non-zero on failures.
 * LODE_SOURCE_DIR (the project root) is defined by CMake for fixtures.
 */
#ifndef LODE_TEST_H
#define LODE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static inline int test_report(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed ? 1 : 0;
}

#endif
