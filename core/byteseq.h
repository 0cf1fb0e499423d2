/*
 * byteseq.h -- short byte-class sequences, every occurrence in one pass.
 *
 * A sequence is written as a tiny regex: literal bytes, `\` and the byte
 * it escapes, and classes `[...]` of bytes and ranges `a-z` (no negation),
 * after an optional `(?i)` that lets its ASCII letters match in either
 * case; "1[6-9][0-9][0-9]", "(?i)week", "[0-9][./][0-9]". What PCRE2 finds
 * of the same text, without its UTF-8 case folds (U+212A is a caseless k
 * to PCRE2, not here), at every offset (occurrences may overlap), for
 * many sequences at once: a shift-and filter over the sequences' first
 * three classes (in groups, see byteseq.c) rules out most offsets at a
 * table lookup and a shift a byte; the offsets it lets through are tried
 * against the sequences whose first class holds their byte. Dates' anchor
 * words are many short sequences over one page: one pass reads its bytes
 * once for all of them.
 */
#ifndef LODE_BYTESEQ_H
#define LODE_BYTESEQ_H

#include <stddef.h>

#include "error.h"

typedef struct lode_byteseqs lode_byteseqs;

/* Called with the index of a sequence and the bytes [start, end) where it
 * occurs. */
typedef void (*lode_byteseq_found)(void *ctx, size_t seq, size_t start, size_t end);

/* The most items (bytes or classes) a sequence may have. */
#define LODE_BYTESEQ_MAX 32

/* The n sequences seqs[k] (lens[k] bytes each, 1 to LODE_BYTESEQ_MAX items
 * after the optional "(?i)"), or NULL with err set (a bad sequence: its
 * index and the byte offset in it; or no memory). */
lode_byteseqs *lode_byteseqs_new(const char *const *seqs, const size_t *lens, size_t n, lode_error *err);
void lode_byteseqs_free(lode_byteseqs *b);

/* found() for every occurrence in s[0..len): by start, then sequence order. */
void lode_byteseqs_find(const lode_byteseqs *b, const char *s, size_t len, lode_byteseq_found found, void *ctx);

#endif
