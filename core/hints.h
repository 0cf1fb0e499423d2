/*
 * hints.h -- private to core/: compiler hints for the hot loops.
 *
 * LODE_ALWAYS_INLINE inlines a function at every call, so a loop written
 * once compiles to one copy per constant argument (the gazetteer's DFA
 * kind, the normalizer's option sets); LODE_UNLIKELY marks a branch the
 * loop rarely takes.
 */
#ifndef LODE_HINTS_H
#define LODE_HINTS_H

#if defined(__GNUC__)
#define LODE_ALWAYS_INLINE __attribute__((always_inline)) inline
#define LODE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LODE_ALWAYS_INLINE inline
#define LODE_UNLIKELY(x) (x)
#endif

#endif
