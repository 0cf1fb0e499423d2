/*
 * hugepage.h -- private to core/: asking for huge pages on big buffers.
 */
#ifndef LODE_HUGEPAGE_H
#define LODE_HUGEPAGE_H

#include <stddef.h>

/* Advise the kernel to back buf[0, size) with transparent huge pages when
 * it spans two or more (4 MB): fresh anonymous memory costs a page fault
 * per 4 KB on first touch, which is much of the time of a pass that writes
 * a big buffer once (loading a file, building a view). Debian's THP default
 * is "madvise", so ask. Advice only: a failure or another kernel changes
 * nothing but speed. */
void lode_advise_huge(void *buf, size_t size);

#endif
