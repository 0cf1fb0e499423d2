/*
 * frontmatter_toml.c -- the TOML front matter reader (see frontmatter.h).
 */
#include "frontmatter_build.h"

#include <stdio.h>

int lode_fm_toml(lode_fmb *b, const char *s, size_t p, size_t e, size_t *where,
                 char *msg, size_t cap) {
  (void)b; (void)s; (void)e;
  *where = p;
  snprintf(msg, cap, "TOML is not read yet");
  return 1;
}
