/*
 * error.h -- error codes and the error record every core function can fill.
 *
 * Core functions return a negative LODE_E* code (or NULL) on failure and,
 * when the caller passes a non-NULL lode_error, describe the failure there
 * in words a person can act on: which file, which line, which byte.
 * lode_error is plain data: no allocation, safe to keep on the stack.
 */
#ifndef LODE_ERROR_H
#define LODE_ERROR_H

#include <stddef.h>

enum {
  LODE_OK        =  0,
  LODE_ENOMEM    = -1,  /* out of memory */
  LODE_EIO       = -2,  /* cannot open or read a file */
  LODE_EENCODING = -3,  /* invalid UTF-8 under the "error" policy, bad UTF-16 */
  LODE_EBINARY   = -4,  /* NUL bytes or other signs of a binary file */
  LODE_EPATTERN  = -5,  /* regular expression does not compile */
  LODE_ELIMIT    = -6,  /* match/depth/size limit exceeded */
  LODE_EARG      = -7,  /* invalid argument (caller's bug) */
  LODE_EMATCH    = -8,  /* other matching failure reported by PCRE2 */
  LODE_ESTATE    = -9,  /* object used in the wrong state (e.g. not built) */
  LODE_ESYNTAX   = -10  /* malformed input: front matter, a CSV quote, a JSON string */
};

#define LODE_NOPOS ((size_t)-1)

typedef struct lode_error {
  int code;          /* one of LODE_E*, LODE_OK when nothing failed */
  size_t offset;     /* byte offset (0-based) in the input or pattern, or LODE_NOPOS */
  size_t line;       /* 1-based line of `offset`, or 0 when not applicable */
  char msg[512];     /* complete message, e.g. "a.txt:3: invalid UTF-8 byte 0xff at byte 41" */
} lode_error;

/* Static description of a code ("invalid UTF-8"); never NULL. */
const char *lode_strerror(int code);

/* Fill `err` (if non-NULL) with code, offset, line and a printf-style message.
 * Returns `code` so callers can write `return lode_error_set(err, ...)`. */
int lode_error_set(lode_error *err, int code, size_t offset, size_t line,
                   const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 5, 6)))
#endif
  ;

/* The system's message for errno value `e`, written into buf[size] when
 * needed (strerror is not guaranteed thread-safe; the core must be). */
const char *lode_errno_text(int e, char *buf, size_t size);

/* Reset `err` (if non-NULL) to LODE_OK with an empty message. */
void lode_error_clear(lode_error *err);

#endif
