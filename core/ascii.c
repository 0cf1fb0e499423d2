/* ascii.c -- ASCII case folding (see ascii.h). */
#include "ascii.h"

#include <stdint.h>
#include <string.h>

#define ONES 0x0101010101010101ULL

void lode_ascii_lower(const char *s, size_t len, char *out) {
  size_t k = 0;
  /* eight bytes a step (SWAR): a byte's high bit in `upper` says it is
   * A-Z ('A' <= b <= 'Z', the 7-bit sums carry into no other byte), and
   * moved to bit 5 it adds the 0x20 that lowers it */
  for (; k + 8 <= len; k += 8) {
    uint64_t x, low7, upper;
    memcpy(&x, s + k, 8);
    low7 = x & (0x7F * ONES);
    upper = (low7 + (0x80 - 'A') * ONES) & ~(low7 + (0x80 - 'Z' - 1) * ONES) & ~x & (0x80 * ONES);
    x |= upper >> 2;
    memcpy(out + k, &x, 8);
  }
  for (; k < len; k++) {
    unsigned char c = (unsigned char)s[k];
    out[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
}
