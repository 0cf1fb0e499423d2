/*
 * role.c -- where a role stated before a name can start (role.h).
 */
#include "role.h"

static int space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int lode_role_window(const char *s, size_t from, size_t to, size_t max, const lode_wordset *enders,
                     const lode_wordset *honorifics, const unsigned char stop[256], size_t *start) {
  const unsigned char *u = (const unsigned char *)s;
  size_t e, b, p;
  int high = 0;
  if (to - from > max) {
    from = to - max;
    while (from < to && (u[from] & 0xC0) == 0x80) from++;
  }
  /* the last word and the white space after it */
  for (e = to; e > from && space(u[e - 1]); e--) {}
  if (e == from) return 0;
  for (b = e; b > from && !space(u[b - 1]); b--) high |= u[b - 1] >= 0x80;
  if (!high && (e == to || lode_wordset_has(honorifics, s + b, e - b)
                || !(lode_wordset_has(enders, s + b, e - b) || (u[b] >= 'A' && u[b] <= 'Z'))))
    return 0;
  for (p = to; p > from && !stop[u[p - 1]]; p--) {}
  *start = p;
  return 1;
}
