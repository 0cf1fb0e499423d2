/*
 * fuzz_frontmatter.c -- front matter of any bytes: the block's offsets are
 * ordered and inside the text, every field and item span too, items inside
 * their list's span, values NUL-terminated at their length, and the reader
 * finds the block lode_fm_split finds.
 */
#include <string.h>
#include "fuzz.h"
#include "frontmatter.h"

static void check_block(const lode_fm_block *b, size_t len) {
  if (b->format == LODE_FM_NONE) return;
  FUZZ_CHECK(b->start <= b->inner && b->inner <= b->inner_end && b->inner_end <= b->end);
  FUZZ_CHECK(b->end <= b->body && b->body <= len);
  FUZZ_CHECK(b->unclosed == LODE_NOPOS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  lode_fm_block split;
  lode_frontmatter *fm;
  lode_error err;
  size_t k, i;
  lode_fm_split(s, size, &split);
  check_block(&split, size);
  fm = lode_fm_read("fuzz", s, size, &err);
  FUZZ_CHECK(fm);
  check_block(&fm->block, size);
  FUZZ_CHECK(fm->block.format == split.format);
  FUZZ_CHECK(fm->block.format != LODE_FM_NONE || fm->nfields == 0);
  FUZZ_CHECK(fm->problem.code == LODE_OK || fm->problem.msg[0] != '\0');
  for (k = 0; k < fm->nfields; k++) {
    const lode_fm_field *f = &fm->fields[k];
    FUZZ_CHECK(f->key && f->key[f->key_len] == '\0');
    FUZZ_CHECK(f->start <= f->end && f->end <= size);
    FUZZ_CHECK(fm->block.inner <= f->start && f->end <= fm->block.inner_end);
    FUZZ_CHECK(f->is_list || f->nitems == 1);
    for (i = 0; i < f->nitems; i++) {
      const lode_fm_item *it = &f->items[i];
      FUZZ_CHECK(it->value && it->value[it->value_len] == '\0');
      FUZZ_CHECK(it->start <= it->end && it->end <= size);
      FUZZ_CHECK(f->start <= it->start && it->end <= f->end);
    }
  }
  lode_frontmatter_free(fm);
  return 0;
}
