/*
 * gazetteer.h -- a dictionary of thousands of aliases matched in one pass.
 *
 * Aliases map to a canonical name and a kind ("person", "org", "place",
 * "term", ...). Matching is on whole words over text normalized the same way
 * as the aliases (by default NFKC + casefold + diacritic stripping +
 * typography folding + whitespace collapse), so "NAKHICHEVAN", "Nakhichevan"
 * and "Nakhíchevan" all hit the alias "Nakhichevan". The automaton is an
 * Aho-Corasick machine over bytes with a dense root and sorted edges, so
 * scanning cost does not grow with the number of aliases. Texts of 64 KB
 * or more are scanned as two halves split at a line break (no alias holds
 * one), stepped in the same loop to hide table-load latency; hits still
 * come in text order.
 *
 * Life cycle: lode_gaz_new, lode_gaz_add (many), lode_gaz_build; after build
 * the gazetteer is read-only and may be scanned from many threads at once.
 * lode_gaz_add after build returns LODE_ESTATE: build a new gazetteer instead.
 *
 * Overlaps resolve leftmost-longest: of all whole-word hits, the one starting
 * first wins, ties go to the longest; scanning resumes after it.
 * Offsets are 0-based, end-exclusive bytes of the scanned (normalized) text.
 */
#ifndef LODE_GAZETTEER_H
#define LODE_GAZETTEER_H

#include <stddef.h>
#include "error.h"
#include "normalize.h"

typedef struct lode_gazetteer lode_gazetteer;

typedef struct lode_gaz_entry {
  const char *canonical;  /* NUL-terminated, owned by the gazetteer */
  const char *kind;       /* NUL-terminated, owned by the gazetteer */
  size_t id;              /* 0-based entry id (one per distinct canonical+kind) */
} lode_gaz_entry;

typedef struct lode_gaz_hit {
  size_t start, end;      /* in the scanned text */
  size_t entry;           /* index for lode_gaz_entry_at() */
  size_t alias;           /* 0-based alias id, in order of lode_gaz_add */
} lode_gaz_hit;

/* `norm` is the normalization applied to aliases; pass NULL for the default
 * above. The same options must be used to build the view that is scanned
 * (lode_gaz_norm_opts returns them). Free with lode_gaz_free(). */
lode_gazetteer *lode_gaz_new(const lode_norm_opts *norm, lode_error *err);
void lode_gaz_free(lode_gazetteer *g);
const lode_norm_opts *lode_gaz_norm_opts(const lode_gazetteer *g);

/* Add one alias. Strings are copied. An alias that normalizes to nothing is
 * LODE_EARG. Adding the same alias twice with the same canonical is a no-op;
 * with a different canonical both entries are kept and the first added wins
 * on a hit (the second is reported by lode_gaz_alias_count, not matched). */
int lode_gaz_add(lode_gazetteer *g, const char *alias, size_t alias_len,
                 const char *canonical, size_t canonical_len,
                 const char *kind, size_t kind_len, lode_error *err);

/* Load a TSV file: alias<TAB>canonical<TAB>kind per line, '#' comments and
 * blank lines skipped, kind optional (defaults to "term"), canonical
 * optional (defaults to the alias). Errors name the file and line. */
int lode_gaz_load_tsv(lode_gazetteer *g, const char *path, lode_error *err);

/* Freeze and build the automaton. Returns 0 or an error. */
int lode_gaz_build(lode_gazetteer *g, lode_error *err);

size_t lode_gaz_alias_count(const lode_gazetteer *g);
size_t lode_gaz_entry_count(const lode_gazetteer *g);
const lode_gaz_entry *lode_gaz_entry_at(const lode_gazetteer *g, size_t id);

/* Scan already-normalized text s[0, len) and call `fn` for every hit in
 * order; a non-zero return from `fn` stops the scan and is returned.
 * Returns 0 when the scan completes, LODE_ESTATE if not built, LODE_ENOMEM
 * if buffering the hits of a long text's second half fails. */
typedef int (*lode_gaz_fn)(void *ud, const lode_gaz_hit *hit);
int lode_gaz_scan(const lode_gazetteer *g, const char *s, size_t len,
                  lode_gaz_fn fn, void *ud);

/* Incremental scan, for consumers that take a few hits at a time without
 * holding every hit of a long text. `*pos` is 0 to start, then whatever the
 * previous call on the same text left; the text is done when *pos == len.
 * One call scans one part: to just after the first '\n' at least
 * LODE_GAZ_PART_BYTES on (when no alias holds a '\n'; else to the end),
 * sets *pos past it and returns 0. A non-zero return from `fn` stops the
 * scan: *pos is set to the end of the hit `fn` was given and that value is
 * returned; the next call resumes right after that hit. The hits of all
 * calls together are exactly those of lode_gaz_scan, in order. */
#define LODE_GAZ_PART_BYTES ((size_t)16 << 10)
int lode_gaz_scan_part(const lode_gazetteer *g, const char *s, size_t len, size_t *pos,
                       lode_gaz_fn fn, void *ud);

#endif
