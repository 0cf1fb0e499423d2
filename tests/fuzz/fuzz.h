/*
 * fuzz.h -- what every libFuzzer target of tests/fuzz shares.
 *
 * FUZZ_CHECK aborts with the broken invariant, so libFuzzer saves the
 * input as a crash: a target checks what its module promises, not only
 * that it does not crash. fuzz_starts() marks the character starts of any
 * bytes the way lode's readers count characters: a well-formed sequence is
 * one character, every other byte is a character of its own.
 */
#ifndef LODE_FUZZ_H
#define LODE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
  do { \
    if (!(cond)) { \
      fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      abort(); \
    } \
  } while (0)

/* A malloc'ed array of len + 1 flags: starts[i] is 1 when a character
 * starts at byte i (starts[len] is 1: the end is a boundary). */
static inline unsigned char *fuzz_starts(const char *s, size_t len) {
  unsigned char *starts = calloc(len + 1, 1);
  size_t i = 0;
  if (!starts) abort();
  while (i < len) {
    int32_t cp;
    size_t n = lode_utf8_decode(s, len, i, &cp);
    starts[i] = 1;
    i += n ? n : 1;
  }
  starts[len] = 1;
  return starts;
}

#endif
