/* error.c -- error codes and messages (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lode_strerror(int code) {
  switch (code) {
    case LODE_OK:        return "no error";
    case LODE_ENOMEM:    return "out of memory";
    case LODE_EIO:       return "cannot read file";
    case LODE_EENCODING: return "invalid text encoding";
    case LODE_EBINARY:   return "binary data (NUL bytes)";
    case LODE_EPATTERN:  return "invalid regular expression";
    case LODE_ELIMIT:    return "limit exceeded";
    case LODE_EARG:      return "invalid argument";
    case LODE_EMATCH:    return "matching failed";
    case LODE_ESTATE:    return "object in wrong state";
    case LODE_ESYNTAX:   return "malformed data";
    default:             return "unknown error";
  }
}

int lode_error_set(lode_error *err, int code, size_t offset, size_t line,
                   const char *fmt, ...) {
  if (err) {
    va_list ap;
    err->code = code;
    err->offset = offset;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *lode_errno_text(int e, char *buf, size_t size) {
#if defined(_GNU_SOURCE)
  return strerror_r(e, buf, size);   /* GNU: may return a static string */
#else
  if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
  return buf;
#endif
}

void lode_error_clear(lode_error *err) {
  if (err) {
    err->code = LODE_OK;
    err->offset = LODE_NOPOS;
    err->line = 0;
    err->msg[0] = '\0';
  }
}
