/*
 * frontmatter.h -- YAML (---) and TOML (+++) front matter at the start of a
 * Markdown export (Jekyll, Hugo, Astro, Netlify CMS...).
 *
 * lode_fm_split() only finds the block: an opening fence on the first line
 * (after an optional UTF-8 BOM and blank lines), `---` for YAML or `+++` for
 * TOML, alone on its line (trailing spaces and tabs allowed), and the next
 * line that is `---` or `...` (YAML) or `+++` (TOML). The first line inside
 * that is neither blank nor a comment must look like a key (`name:` for YAML,
 * `name =` or `[table]` for TOML), so a Markdown rule `---` above prose is
 * not taken for front matter; an empty block is front matter with no field.
 * An opening fence that is never closed is no front matter.
 *
 * lode_fm_read() splits and reads the block into top-level fields, each a
 * scalar or a list of scalars, with the byte span of its value in `s`:
 *
 * - YAML through libyaml. A scalar's value is what YAML means (escapes
 *   decoded, folded and literal blocks joined), not type-resolved: dates,
 *   numbers and booleans stay the text written. Nested maps are flattened
 *   as `parent.child` (up to LODE_FM_MAX_DEPTH levels; deeper ones are
 *   skipped); a sequence gives a list of its scalar items (items that are
 *   maps or sequences are skipped, so a list of maps is an empty list);
 *   aliases and non-scalar keys are skipped.
 * - TOML through a small reader of what front matter uses: `key = value`
 *   with bare, quoted or dotted keys; basic, literal and multi-line
 *   strings (escapes decoded); numbers, booleans and dates (kept as
 *   written); arrays of those (arrays and tables inside arrays skipped);
 *   inline tables and `[table]` headers prefix the keys in or after them
 *   (`table.key`); keys under `[[array]]` headers are skipped.
 *
 * Spans (0-based, end-exclusive bytes of `s`): a scalar's span is its text
 * as written without quotes (for a block scalar `|`/`>`, its content lines
 * without the indicator line and trailing white space); a list's span runs
 * from `[` to `]` or from the first `- ` to the end of the last item, and
 * each item has its own span. For a scalar without escapes or folding,
 * s[start, end) equals the value.
 *
 * Duplicate keys are all kept, in order (a reader wanting one value per key
 * takes the last, as YAML and TOML readers do).
 *
 * Malformed YAML or TOML inside a closed block: the block is still found,
 * the fields read before the error are kept, and `problem` names the line
 * and byte. Never reads outside s[0, len); NUL bytes and bad UTF-8 inside
 * the block are malformed input, not a crash.
 */
#ifndef LODE_FRONTMATTER_H
#define LODE_FRONTMATTER_H

#include <stddef.h>
#include "error.h"

#define LODE_FM_MAX_DEPTH 16

typedef enum {
  LODE_FM_NONE = 0,
  LODE_FM_YAML,
  LODE_FM_TOML
} lode_fm_format;

/* Where the block is; all offsets 0-based bytes of the text. */
typedef struct lode_fm_block {
  lode_fm_format format;   /* LODE_FM_NONE: no front matter */
  size_t start, end;       /* opening fence .. end of the closing fence (its line break excluded) */
  size_t inner, inner_end; /* the lines between the fences */
  size_t body;             /* first byte after the closing fence's line break */
  size_t unclosed;         /* an opening fence never closed: its offset; else LODE_NOPOS */
} lode_fm_block;

/* Find the front matter block of s[0, len). Returns b->format. */
lode_fm_format lode_fm_split(const char *s, size_t len, lode_fm_block *b);

typedef struct lode_fm_item {
  const char *value;       /* decoded text, NUL-terminated (owned by the result) */
  size_t value_len;
  size_t start, end;       /* span of the value as written */
} lode_fm_item;

typedef struct lode_fm_field {
  const char *key;         /* `parent.child` for nested keys, NUL-terminated */
  size_t key_len;
  int is_list;             /* 1: a sequence/array (items[0..nitems)); 0: one item */
  size_t start, end;       /* span of the whole value */
  size_t nitems;
  const lode_fm_item *items;
} lode_fm_field;

typedef struct lode_frontmatter {
  lode_fm_block block;
  size_t nfields;
  const lode_fm_field *fields;
  /* code LODE_OK, or LODE_ESYNTAX with "NAME:LINE: ... at byte N" for a
   * malformed block, or for an unclosed fence (then block.format is NONE:
   * a warning, not a failure). */
  lode_error problem;
} lode_frontmatter;

/* Split and read the front matter of s[0, len); `name` (may be NULL:
 * "<string>") names the text in messages. Returns a result the caller frees
 * with lode_frontmatter_free() (its block.format says whether there is front
 * matter), or NULL with `err` filled when out of memory. */
lode_frontmatter *lode_fm_read(const char *name, const char *s, size_t len,
                               lode_error *err);

/* Free a result; NULL is fine. */
void lode_frontmatter_free(lode_frontmatter *fm);

#endif
