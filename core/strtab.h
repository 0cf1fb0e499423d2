/*
 * strtab.h -- byte strings numbered in the order they are first seen.
 *
 * A rule that reads the same spans of text over and over ("President",
 * "The Government") keeps what it learnt about each distinct string in an
 * array indexed by the string's id: looking an id up in C costs no string
 * per span (the entity extractor's capitalised runs, lode.extract.
 * entities.find). Strings are compared byte for byte (no folding, NUL is a
 * byte). Ids run 1, 2, ... until lode_strtab_clear.
 */
#ifndef LODE_STRTAB_H
#define LODE_STRTAB_H

#include <stddef.h>
#include "error.h"

typedef struct lode_strtab lode_strtab;

/* A new empty table, or NULL (err: LODE_ENOMEM). Free with
 * lode_strtab_free(); NULL is fine there. */
lode_strtab *lode_strtab_new(lode_error *err);
void lode_strtab_free(lode_strtab *t);

/* The id of s[0, len), added when new; 0 when out of memory (err set). */
size_t lode_strtab_intern(lode_strtab *t, const char *s, size_t len, lode_error *err);

/* The id of s[0, len), or 0 when it is not in the table. */
size_t lode_strtab_find(const lode_strtab *t, const char *s, size_t len);

/* Mark string `id` (1..size), or tell whether it is marked: a flag the
 * caller gives a meaning (a span whose text is known to make nothing). */
void lode_strtab_mark(lode_strtab *t, size_t id);
int lode_strtab_marked(const lode_strtab *t, size_t id);

/* How many strings the table holds (the last id given). */
size_t lode_strtab_size(const lode_strtab *t);

/* Forget every string: ids start again at 1. */
void lode_strtab_clear(lode_strtab *t);

#endif
