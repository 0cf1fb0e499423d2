/*
 * normalize.h -- normalized views of UTF-8 text, with an offset map back.
 *
 * lode_normalize() turns valid UTF-8 into a View: the normalized bytes plus a
 * map from every view byte range to the original byte range it came from.
 * Matching happens on the view; citations use the original. The map is a
 * sorted list of pieces; pieces where view and original have the same length
 * and are aligned byte for byte (ASCII, ASCII case folding) map offsets
 * exactly, other pieces (a changed grapheme cluster, a collapsed space run,
 * a removed control) map as a unit.
 *
 * Property the tests hold: for any view range [i, j) that starts and ends on
 * piece boundaries (every match of \w+ or a gazetteer word does), normalizing
 * the original bytes of lode_view_origin(i, j) gives exactly view[i, j).
 *
 * Runs of more than 30 combining marks (beyond Unicode's stream-safe
 * format, UAX #15) are normalized 30 at a time, so normalization stays
 * linear on "Zalgo" text; marks are not reordered across those cuts.
 *
 * Speed: only the runs that need it go through utf8proc (ASCII runs are
 * copied or case-folded inline), so news text normalizes at hundreds of MB/s.
 * A View is read-only once built and may be shared between threads.
 */
#ifndef LODE_NORMALIZE_H
#define LODE_NORMALIZE_H

#include <stddef.h>
#include "error.h"

typedef enum {
  LODE_FORM_NONE = 0,  /* no Unicode normalization (folds may still apply) */
  LODE_FORM_NFC,
  LODE_FORM_NFKC
} lode_form;

enum {
  LODE_NORM_CASEFOLD    = 1u << 0,  /* Unicode full case folding */
  LODE_NORM_STRIP_MARKS = 1u << 1,  /* remove combining marks (diacritics) after decomposition */
  LODE_NORM_TYPOGRAPHY  = 1u << 2,  /* curly quotes -> ' ", dashes -> -, ellipsis -> ..., NBSP & other spaces -> ' ' */
  LODE_NORM_CONTROLS    = 1u << 3,  /* drop controls (not \t \n \r), zero-width chars, soft hyphen, BOM */
  LODE_NORM_COLLAPSE    = 1u << 4   /* runs of horizontal white space -> one ' ' (line breaks kept) */
};

typedef struct lode_norm_opts {
  lode_form form;
  unsigned flags;  /* LODE_NORM_* */
} lode_norm_opts;

typedef struct lode_view lode_view;

/* Normalize s[0, len), which must be valid UTF-8 (invalid sequences give
 * LODE_EENCODING with the byte offset). `opts` NULL means NFC, no flags.
 * Returns a view the caller frees with lode_view_free(), or NULL and `err`. */
lode_view *lode_normalize(const char *s, size_t len, const lode_norm_opts *opts,
                          lode_error *err);

void lode_view_free(lode_view *v);

/* Normalized bytes (owned by the view, NUL-terminated) and their length. */
const char *lode_view_bytes(const lode_view *v, size_t *len);

/* Map view range [i, j) (0-based, end-exclusive, i <= j <= view length) to the
 * smallest original range [*oi, *oj) that produced it. An empty range maps to
 * an empty original range at the corresponding position. A position inside
 * a UTF-8 character is first rounded up to the next character start
 * (lode_utf8_ceil), so a range cites whole characters of the original. */
void lode_view_origin(const lode_view *v, size_t i, size_t j, size_t *oi,
                      size_t *oj);

/* lode_view_origin for ranges mapped in increasing order of i: *walk
 * keeps the piece reached. Before the first call it is 0 (walk from the
 * view's start: ranges that begin near it) or (size_t)-1 (search for the
 * first range); a range behind the piece reached is searched for, with
 * the same answer. */
void lode_view_origin_walk(const lode_view *v, size_t *walk, size_t i, size_t j,
                           size_t *oi, size_t *oj);

/* Map one view byte offset (rounded up to a character start, as above) to
 * the original offset of the piece it starts in (for end positions use
 * lode_view_origin). */
size_t lode_view_origin_offset(const lode_view *v, size_t i);

/* Convenience: normalize into a malloc'ed NUL-terminated string (no map kept);
 * *out_len receives the length. Caller frees with free(). NULL on error. */
char *lode_normalize_string(const char *s, size_t len, const lode_norm_opts *opts,
                            size_t *out_len, lode_error *err);

#endif
