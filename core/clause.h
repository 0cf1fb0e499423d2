/*
 * clause.h -- the noun phrase a clause ends with, read bytewise: the
 * subject written right before a speech verb ("… that a senior official"
 * said), for the quote extractor (lode.extract.quotes.context).
 *
 * The text is read as Lua's patterns read it in the C locale: a space is
 * one of \t \n \v \f \r and ' ', a letter an ASCII letter; other bytes
 * (UTF-8 included) are neither. Before reading, curly double marks (U+201C
 * U+201D) become '"' and the dashes U+2013 U+2014 ',' (so they separate
 * clauses), and the markup bytes * _ [ ] become spaces: the phrase is a
 * piece of that converted text.
 */
#ifndef LODE_CLAUSE_H
#define LODE_CLAUSE_H

#include <stddef.h>

#include "wordset.h"

typedef struct lode_clause_rules {
  /* Determiners, each with the space after it ("a ", "The "), matched as
   * written: the last one after no letter starts the phrase; a strong one
   * ("a ", "an ") wins over any weak one ("the ", "his "). */
  const char *const *strong;
  const size_t *strong_len;
  size_t nstrong;
  const char *const *weak;
  const size_t *weak_len;
  size_t nweak;
  /* Words stripped from the phrase's start ("that", "while") and trimmed
   * from its end ("also", "has"); NULL: none. */
  const lode_wordset *openers;
  const lode_wordset *trims;
} lode_clause_rules;

/* The phrase ending s[0..len): `out` (room for len bytes) receives the
 * converted text; returns 1 with the phrase at out[*a, *b) (0-based, *b
 * exclusive), or 0 when there is none: an empty phrase, one ending in a
 * possessive ('s, ’s) or one of eight words or more. The phrase starts
 * after the last of , ; : ( ) " -- stepping back over up to four clauses
 * that are blank or open with "who", "which" or an -ing word -- at its
 * last determiner, past opening words and spaces; it ends before its
 * trailing spaces and trimmed words (never its only word). Works on any
 * bytes; never fails. */
int lode_clause_subject(const char *s, size_t len, const lode_clause_rules *r, char *out,
                        size_t *a, size_t *b);

/* Where the last clause of s[0..len) starts: after its last , ; : ( ) "
 * or curly double mark or dash (E2 80 9C/9D/93/94), else 0. The clause
 * holds none of them, so it reads the same converted or not. */
size_t lode_clause_last_start(const char *s, size_t len);

#endif
