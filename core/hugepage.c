/*
 * hugepage.c -- asking for huge pages on big buffers (see hugepage.h).
 */
/* madvise() and MADV_HUGEPAGE are not POSIX; the build asks for POSIX only. */
#define _DEFAULT_SOURCE 1

#include "hugepage.h"

#include <stdint.h>
#include <sys/mman.h>

void lode_advise_huge(void *buf, size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const uintptr_t page = 4096, huge = (uintptr_t)2 << 20;
  uintptr_t lo = ((uintptr_t)buf + page - 1) & ~(page - 1);
  uintptr_t hi = ((uintptr_t)buf + size) & ~(page - 1);
  if (size >= 2 * huge && hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
  (void)buf;
  (void)size;
#endif
}
