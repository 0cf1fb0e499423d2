/* test_ascii.c -- ASCII lowering against tolower() in the C locale, on
 * every byte value, NUL bytes, bad UTF-8, empty input, a huge line and in
 * place. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "test.h"

int main(void) {
  char all[256], low[256];
  size_t k, n = test_scale(1u << 22);
  char *big = malloc(n), *big_low = malloc(n);
  for (k = 0; k < 256; k++) all[k] = (char)k;
  lode_ascii_lower(all, 256, low);
  for (k = 0; k < 256; k++) CHECK_MSG((unsigned char)low[k] == tolower((int)k), "byte %u", (unsigned)k);
  {
    const char s[] = "Baku \xC3\x89T\xC3\x89 \0ZZ\xFF\xFEQ";   /* UTF-8, NUL, bad bytes */
    char out[sizeof s];
    lode_ascii_lower(s, sizeof s - 1, out);
    const char want[] = "baku \xC3\x89t\xC3\x89 \0zz\xFF\xFEq";
    CHECK(sizeof want == sizeof s && memcmp(out, want, sizeof s - 1) == 0);
  }
  low[0] = 'X';
  lode_ascii_lower("", 0, low);                       /* empty: nothing written */
  CHECK(low[0] == 'X');
  CHECK(big != NULL && big_low != NULL);
  if (big && big_low) {
    static const char line[] = "A line WITH no END, \xE2\x80\x94 ";
    for (k = 0; k < n; k++) big[k] = line[k % (sizeof line - 1)];
    lode_ascii_lower(big, n, big_low);
    for (k = 0; k < n && big_low[k] == (char)tolower((unsigned char)big[k]); k++) {}
    CHECK(k == n);
    lode_ascii_lower(big, n, big);                    /* in place */
    CHECK(memcmp(big, big_low, n) == 0);
  }
  free(big);
  free(big_low);
  return test_report();
}
