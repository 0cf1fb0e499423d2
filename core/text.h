/*
 * text.h -- loading documents: bytes in, an immutable UTF-8 Text out.
 *
 * A lode_text owns its bytes (UTF-8, NUL-terminated for convenience but never
 * relied on), a line index and an encoding report. Once built it is read-only
 * and may be shared between threads.
 *
 * Offsets are 0-based, end-exclusive byte positions in the Text's bytes.
 * For a valid UTF-8 file without a BOM those are the bytes of the file itself.
 * When the input had a BOM (dropped) or was transcoded (UTF-16, a legacy
 * encoding, replacement of bad bytes), offsets refer to the decoded UTF-8
 * text, the encoding report says so, and lode_text_origin() gives the input
 * bytes each character was decoded from.
 *
 * Encodings: opts->encoding names the input's encoding (any name iconv
 * knows: "cp1251", "koi8-r", "iso-8859-2", ...; "utf-8" is read by hand);
 * a byte-order mark (UTF-8, UTF-16) wins over it, as in browsers.
 * NULL or "auto" means: a BOM says UTF-8 or UTF-16; valid UTF-8 is UTF-8;
 * otherwise, under the "error" and "replace" policies, the page's own
 * declaration or a guess (encoding.h) when the input looks 8-bit rather
 * than broken UTF-8; else the policy applies.
 *
 * Line breaks are LF, CRLF and lone CR; the bytes are kept as they were.
 * Input containing NUL bytes is rejected as binary (LODE_EBINARY), naming
 * the file, line and byte offset of the first NUL.
 *
 * In error messages and lode_error.offset, "at byte N" counts bytes of the
 * input as given (BOM included: what a hex editor shows); "column" counts
 * characters from 1. UTF-16 problems (unpaired surrogates, an odd final
 * byte) are errors unless the policy is "replace"; the latin1/cp1252
 * fallbacks apply to bad UTF-8 only. A UTF-32 BOM is refused by name.
 */
#ifndef LODE_TEXT_H
#define LODE_TEXT_H

#include <stddef.h>
#include "error.h"

typedef enum {
  LODE_INVALID_ERROR = 0,  /* fail with file, line and byte of the first bad byte */
  LODE_INVALID_REPLACE,    /* each maximal bad subpart becomes U+FFFD, counted */
  LODE_INVALID_LATIN1,     /* if not valid UTF-8, decode the whole input as ISO-8859-1 */
  LODE_INVALID_CP1252      /* if not valid UTF-8, decode the whole input as Windows-1252 */
} lode_invalid_policy;

typedef struct lode_load_opts {
  lode_invalid_policy invalid;
  const char *encoding;  /* NULL or "auto": detect (see above); else an iconv name */
} lode_load_opts;

typedef struct lode_encoding_report {
  const char *encoding;  /* "utf-8", "utf-16le", "utf-16be", "latin1", "cp1252", or the
                            iconv name used, lower case (owned by the text) */
  const char *reason;    /* static: why that encoding ("valid UTF-8", "byte-order mark",
                            "requested", "invalid policy", "<meta charset>", "guess: ...") */
  int bom;               /* 1 if a byte-order mark was dropped */
  size_t replaced;       /* number of U+FFFD substitutions (policy "replace") */
  size_t source_bytes;   /* size of the input before decoding */
} lode_encoding_report;

typedef struct lode_text lode_text;

/* Load a file. `opts` may be NULL (policy "error"). The name reported in
 * errors and by lode_text_name() is `path`.
 * Returns a new text the caller frees with lode_text_free(), or NULL with
 * `err` filled ("path: cannot open: No such file or directory",
 * "path:3: invalid UTF-8 byte 0xff at byte 41", ...). */
lode_text *lode_text_load(const char *path, const lode_load_opts *opts,
                          lode_error *err);

/* Same from memory; `name` (may be NULL: "<string>") names it in errors.
 * The bytes are copied. Caller frees with lode_text_free(). */
lode_text *lode_text_from_memory(const char *name, const char *s, size_t len,
                                 const lode_load_opts *opts, lode_error *err);

/* Free a text; NULL is fine. */
void lode_text_free(lode_text *t);

/* The UTF-8 bytes and their length (owned by the text). */
const char *lode_text_bytes(const lode_text *t, size_t *len);
const char *lode_text_name(const lode_text *t);
const lode_encoding_report *lode_text_encoding(const lode_text *t);

/* Text range [i, j) (0-based, end-exclusive) -> the input bytes
 * [*fi, *fj) its characters were decoded from: the same offsets for a
 * valid UTF-8 input without a BOM, the exact source bytes otherwise. */
void lode_text_origin(const lode_text *t, size_t i, size_t j, size_t *fi, size_t *fj);

/* lode_text_origin() for a callback taking the text as `const void *`
 * (lode_filemap_compose: a page's map sent on to its file's bytes). */
void lode_text_origin_of(const void *t, size_t i, size_t j, size_t *fi, size_t *fj);

/* 1 when the text's offsets are its input's (valid UTF-8, no BOM), so
 * lode_text_origin() is the identity. */
int lode_text_same_offsets(const lode_text *t);

/* Number of lines: 0 for an empty text; a final line without a line break
 * counts; a trailing line break does not start a new line. */
size_t lode_text_line_count(const lode_text *t);

/* 1-based line holding byte `offset` (offset == len maps to the last line;
 * 1 for an empty text). */
size_t lode_text_line_of(const lode_text *t, size_t offset);

/* Byte range [*start, *end) of 1-based line `line`, without its line break.
 * Returns 0, or LODE_EARG if the line does not exist. */
int lode_text_line_span(const lode_text *t, size_t line, size_t *start,
                        size_t *end);

/* 1-based line of offset `off` in s[0, len) by the Text's rules (LF,
 * CRLF, lone CR): for messages about bytes that are not a Text yet. */
size_t lode_text_line_at(const char *s, size_t len, size_t off);

/* The bounds [*start, *end) (0-based, end-exclusive, within s[0..len)) of
 * s without leading and trailing white space: ASCII " \t\n\v\f\r" and
 * U+00A0 (no-break space, bytes C2 A0). Returns 1 when a no-break space
 * remains inside the bounds (then lode_text_fold_nbsp() gives the text a
 * reader sees), else 0. Works on any bytes, NUL included. */
int lode_text_trim(const char *s, size_t len, size_t *start, size_t *end);

/* Copy s[0..len) to out (room for len bytes; out may equal s) with every
 * U+00A0 (bytes C2 A0) turned into one ASCII space; returns the bytes
 * written (<= len). With lode_text_trim() this is Lua's
 * s:gsub("\194\160", " "):match("^%s*(.-)%s*$") in the C locale. */
size_t lode_text_fold_nbsp(const char *s, size_t len, char *out);

#endif
