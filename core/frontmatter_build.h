/*
 * frontmatter_build.h -- private to core/frontmatter*.c: the field list the
 * YAML and TOML readers fill, and what they share.
 *
 * Readers set the key path (`parent.child`) with lode_fmb_key(), then add a
 * field and its items. Strings go to one arena and are referred to by
 * offset until lode_fm_read() fixes the pointers. Every adding function
 * returns 0, or -1 when out of memory (then the build is abandoned).
 */
#ifndef LODE_FRONTMATTER_BUILD_H
#define LODE_FRONTMATTER_BUILD_H

#include <stddef.h>

typedef struct lode_fmb_field {
  size_t key, key_len;     /* in the arena */
  int is_list;
  size_t start, end;
  size_t first, nitems;    /* in items[] */
} lode_fmb_field;

typedef struct lode_fmb_item {
  size_t value, value_len; /* in the arena */
  size_t start, end;
} lode_fmb_item;

typedef struct lode_fmb {
  char *arena;
  size_t alen, acap;
  lode_fmb_field *fields;
  size_t nfields, fcap;
  lode_fmb_item *items;
  size_t nitems, icap;
  char *path;              /* the current key path, not NUL-terminated */
  size_t plen, pcap;
} lode_fmb;

/* Cut the key path to `keep` bytes, then append `sep` (if non-zero, and
 * the path is not empty) and k[0, n). */
int lode_fmb_key(lode_fmb *b, size_t keep, char sep, const char *k, size_t n);

/* Add a field named by the current path, spanning [start, end). */
int lode_fmb_field_add(lode_fmb *b, int is_list, size_t start, size_t end);

/* Append an item to the last field: a copy of v[0, n), span [start, end). */
int lode_fmb_item_add(lode_fmb *b, const char *v, size_t n, size_t start, size_t end);

/* Read TOML in s[p, e) into b. Returns 0; -1 out of memory; or 1 for
 * malformed TOML with the byte offset of the problem in *where and a
 * message (no file or line) in msg[0, cap). */
int lode_fm_toml(lode_fmb *b, const char *s, size_t p, size_t e, size_t *where,
                 char *msg, size_t cap);

#endif
