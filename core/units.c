/* units.c -- lines grouped into the page cleaner's units (see units.h). */
#include <string.h>

#include "units.h"

int lode_units(const unsigned char *flags, size_t n, lode_spans *out, lode_error *err) {
  size_t k, open = 0;
  int have = 0, rc;
  lode_error_clear(err);
  if (!out || (!flags && n > 0))
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "lode_units: NULL argument");
  for (k = 0; k < n; k++) {
    int brk = flags[k] & LODE_UNIT_BREAK;
    if (have && (brk || (flags[k] & LODE_UNIT_CUT))) {
      if ((rc = lode_spans_push(out, open, k)) != 0) goto nomem;
      have = 0;
    }
    if (!brk && !have) {
      open = k;
      have = 1;
    }
  }
  if (have && (rc = lode_spans_push(out, open, n)) != 0) goto nomem;
  return LODE_OK;
nomem:
  return lode_error_set(err, rc, LODE_NOPOS, 0, "out of memory grouping %zu lines", n);
}

/* One memchr a mark byte: most lines hold none, and memchr reads a long
 * line many bytes at a time. */
int lode_unit_line_markup(const char *s, size_t len, const unsigned char lead[256],
                          const char *marks, size_t nmarks) {
  size_t k;
  if (len == 0) return 0;
  if (lead[(unsigned char)s[0]]) return 1;
  for (k = 0; k < nmarks; k++)
    if (memchr(s, marks[k], len)) return 1;
  return 0;
}
