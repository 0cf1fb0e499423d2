/*
 * filemap.h -- where a converted document's text came from in its file.
 *
 * A converted document (an HTML page, a field of a JSON line or CSV row)
 * has a text lode analyses and a file it was taken from. A lode_filemap
 * maps every text byte range back to the file byte range that holds it,
 * like a View's offset map (normalize.h): a sorted list of pieces; an
 * exact piece copies file bytes one for one (plain text between tags), any
 * other piece maps as a unit (an entity, a collapsed run of white space, a
 * JSON escape, a line break the conversion put between two blocks, which
 * maps to an empty file range where the block ends).
 *
 * It also knows the file's line breaks over the part it covers, so the
 * file line of a text byte needs no copy of the file.
 *
 * All offsets: 0-based, end-exclusive bytes. Read-only once built; may be
 * shared between threads. A NULL map is the identity (text == file).
 */
#ifndef LODE_FILEMAP_H
#define LODE_FILEMAP_H

#include <stddef.h>

typedef struct lode_filemap lode_filemap;

/* A new, empty map; NULL when out of memory. Free with lode_filemap_free(). */
lode_filemap *lode_filemap_new(void);
void lode_filemap_free(lode_filemap *m);

/* Append the piece text[t, t + tlen) <- file[f, f + flen). Pieces come in
 * text order with t == the text length so far. `exact` (tlen == flen and
 * the bytes are the same) maps offsets inside the piece one for one; an
 * exact piece that continues the previous one in both text and file merges
 * with it. Returns 0, or LODE_ENOMEM. */
int lode_filemap_add(lode_filemap *m, size_t t, size_t tlen, size_t f, size_t flen,
                     int exact);

/* Record the file's line breaks over file[from, to), the part the pieces
 * cover, `first_line` being the 1-based file line of byte `from`. Breaks
 * are LF, CRLF and lone CR, as lode_text counts them. Returns 0 or
 * LODE_ENOMEM. */
int lode_filemap_set_lines(lode_filemap *m, const char *file, size_t from, size_t to,
                           size_t first_line);

/* Text range [i, j) -> the smallest file range [*fi, *fj) that holds it.
 * An empty range maps to an empty range. Text offsets past the last piece
 * map to the end of the last piece. */
void lode_filemap_origin(const lode_filemap *m, size_t i, size_t j, size_t *fi,
                         size_t *fj);

/* The 1-based file line holding file byte `f`. */
size_t lode_filemap_file_line(const lode_filemap *m, size_t f);

/* Maps a range of bytes [i, j) to the range [*fi, *fj) they came from. */
typedef void (*lode_filemap_origin_fn)(const void *ctx, size_t i, size_t j, size_t *fi,
                                       size_t *fj);

/* Send the map's file side one step further back: its file offsets index
 * `file` (a decoded page), which `origin` maps to the bytes it was decoded
 * from. An exact piece whose bytes change length is cut per character
 * (each of `file`'s UTF-8 characters one piece; ASCII runs stay one), so
 * citations stay as narrow as before; line breaks move along. Returns 0,
 * or LODE_ENOMEM (the map is then unusable: free it). */
int lode_filemap_compose(lode_filemap *m, const char *file, lode_filemap_origin_fn origin,
                         const void *ctx);

/* Number of pieces (tests and benchmarks). */
size_t lode_filemap_pieces(const lode_filemap *m);

#endif
