/*
 * units.h -- a page's lines grouped into the units the page cleaner judges.
 *
 * The cleaner (lua/lode/clean.lua) reads a page as units: a paragraph of
 * the segmenter, or a run of non-blank lines where line breaks are soft,
 * cut at the lines that hold page structure and before a line with a
 * leading marker ("# ", "- "). Which lines those are is the rule tables'
 * business (Lua); grouping the lines, and telling the units that hold no
 * markup (most of a page: their text is their lines joined) from those
 * whose markup the rule tables must read, is per-line work done here once.
 *
 * Lines are numbered from 0; a unit is a span of lines [start, end).
 * Pure functions: no global state, safe from any thread.
 */
#ifndef LODE_UNITS_H
#define LODE_UNITS_H

#include <stddef.h>
#include "error.h"
#include "segment.h"

/* Flags of a line. */
enum {
  LODE_UNIT_BREAK = 1,  /* blank or structure: no unit holds the line */
  LODE_UNIT_CUT = 2     /* a unit starts at this line (when not a break) */
};

/* Group lines 0..n-1 into units: maximal runs of lines without
 * LODE_UNIT_BREAK, a new one starting at every LODE_UNIT_CUT line.
 * Appends one span of line numbers per unit to `out` (which the caller
 * zero-initialises and frees with lode_spans_free). Returns 0, LODE_EARG
 * (NULL out, or NULL flags with n > 0) or LODE_ENOMEM. */
int lode_units(const unsigned char *flags, size_t n, lode_spans *out, lode_error *err);

/* Does a line hold markup for the rule tables to read: its first byte in
 * `lead` (a leading marker may start there) or any of the `nmarks` bytes
 * of `marks` anywhere (inline markup may)? `lead` is a 256-entry table,
 * non-zero for a member byte. An empty line holds none. NUL and invalid
 * UTF-8 are ordinary bytes. */
int lode_unit_line_markup(const char *s, size_t len, const unsigned char lead[256],
                          const char *marks, size_t nmarks);

#endif
