/*
 * dataset.h -- documents inside dataset files: CSV rows, JSON lines.
 *
 * A dataset holds one document per CSV row or JSON line. The core finds
 * the bytes: lode_csv_record() reads one RFC 4180 record (quoted fields,
 * "" for a quote, line breaks inside quotes; LF, CRLF or CR between
 * records), lode_json_string_span() finds a top-level string member of a
 * JSON object without decoding the rest (lua-cjson does that), and
 * lode_field_decode() turns a field's bytes into a document text with a
 * map back to the file (a CSV "" or a JSON escape maps as a unit).
 *
 * Offsets are 0-based, end-exclusive bytes of the file. Nothing here
 * allocates except lode_field_decode (and the field array it is given).
 */
#ifndef LODE_DATASET_H
#define LODE_DATASET_H

#include <stddef.h>
#include "error.h"
#include "filemap.h"

typedef struct lode_csv_field {
  size_t start, end;   /* the field's bytes, inside its quotes if quoted */
  int quoted;
} lode_csv_field;

/* Read the record starting at byte `pos` of s[0, len) into (*fields)[0,
 * *nfields), growing *fields (a malloc'ed array of *cap entries, NULL and
 * 0 at first; the caller frees it) as needed; *next is where the next
 * record starts (len at the end). Returns 0; LODE_ENOMEM; or LODE_ESYNTAX
 * for a broken quote (text after a closing quote, or a quote that never
 * closes), `err` naming the line and byte (`name` names the file), and
 * *next set past the line where the damage starts, so a reader can go on
 * with the next record. */
int lode_csv_record(const char *name, const char *s, size_t len, size_t pos,
                    lode_csv_field **fields, size_t *cap, size_t *nfields,
                    size_t *next, lode_error *err);

/* In the JSON object s[0, len), the value of top-level member `key` when
 * it is a string: *start, *end are its bytes inside the quotes, escapes
 * as written. Returns 1 when found, 0 when there is no such string member,
 * LODE_ESYNTAX when s is not a JSON object. */
int lode_json_string_span(const char *s, size_t len, const char *key, size_t klen,
                          size_t *start, size_t *end);

typedef enum {
  LODE_FIELD_RAW = 0,    /* the bytes as they are */
  LODE_FIELD_CSV,        /* inside CSV quotes: "" is one quote */
  LODE_FIELD_JSON        /* inside a JSON string: \n, \", \u00e9, surrogate pairs */
} lode_field_kind;

/* Decode file[start, end) into *text (malloc'ed, NUL-terminated, *len
 * bytes; the caller frees it) and *map (free with lode_filemap_free),
 * `first_line` being the file line of byte `start`. A bad JSON escape or a
 * lone surrogate becomes U+FFFD. Returns 0 or LODE_ENOMEM. */
int lode_field_decode(const char *file, size_t start, size_t end, lode_field_kind kind,
                      size_t first_line, char **text, size_t *len, lode_filemap **map,
                      lode_error *err);

#endif
