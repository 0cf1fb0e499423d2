/*
 * srcmap.h -- where each character of a decoded text came from in its input.
 *
 * Decoding (a BOM dropped, UTF-16, a single-byte code page, a multi-byte
 * encoding through iconv, bad bytes replaced) makes a UTF-8 text whose
 * offsets are not the input's. A lode_srcmap sends a text byte range back
 * to the input bytes that hold it, exactly: every character maps to the
 * bytes it was decoded from.
 *
 * It stays small by storing runs, not characters: a segment says "from
 * text byte t on, each character came from w input bytes, starting at
 * input byte f" (w == 0: the text bytes are the input's own bytes, copied
 * one for one; or the segment is one unit). A lookup inside a segment counts characters in the text,
 * so segments are cut at 512 bytes and a lookup reads at most that much.
 * A single-byte code page costs one segment per 512 bytes of text.
 *
 * All offsets: 0-based, end-exclusive bytes. Read-only once built; may be
 * shared between threads. A NULL map is the identity.
 */
#ifndef LODE_SRCMAP_H
#define LODE_SRCMAP_H

#include <stddef.h>

typedef struct lode_srcmap lode_srcmap;

/* A new, empty map; NULL when out of memory. Free with lode_srcmap_free(). */
lode_srcmap *lode_srcmap_new(void);
void lode_srcmap_free(lode_srcmap *m);

/* Append whole characters: the next text bytes, text[0, tlen) (valid
 * UTF-8), were each decoded from `w` input bytes, or are the input's own
 * bytes copied one for one (w == 0). Returns 0, or LODE_ENOMEM. */
int lode_srcmap_add(lode_srcmap *m, const char *text, size_t tlen, unsigned w);

/* Append text[0, tlen) (whole characters) as decoded from the next
 * `flen` input bytes together, as one unit (a decoder that gave several
 * characters for one input sequence, or flushed one at the end with
 * flen == 0): any part of it maps to all of those bytes. Returns 0, or
 * LODE_ENOMEM. */
int lode_srcmap_add_unit(lode_srcmap *m, size_t tlen, size_t flen);

/* Skip `flen` input bytes that decoded to nothing (a BOM, a shift state
 * change): the next character starts after them. */
void lode_srcmap_skip(lode_srcmap *m, size_t flen);

/* Text range [i, j) of `text` (the decoded bytes the map describes, `len`
 * of them) -> the smallest input range [*fi, *fj) holding its characters.
 * A range starting or ending inside a decoded character takes the whole
 * character (copied bytes map byte for byte); an empty range maps to an empty one; offsets at or past the
 * end map to the end of the input. */
void lode_srcmap_origin(const lode_srcmap *m, const char *text, size_t len, size_t i,
                        size_t j, size_t *fi, size_t *fj);

#endif
