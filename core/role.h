/*
 * role.h -- where a role stated before a name can start.
 *
 * "Azerbaijan’s President Ilham Aliyev", "the European Council President
 * Charles Michel": the entity extractor reads a person's role in the words
 * right before the name with a regex (lua/lode/extract/entities/roles.lua).
 * Most names follow words that end no role ("said", "and", "Mr."); this
 * tells them apart with no regex and no string made, and for the others
 * narrows the text the regex reads to what a role can hold.
 */
#ifndef LODE_ROLE_H
#define LODE_ROLE_H

#include <stddef.h>

#include "wordset.h"

/* The prefix s[from, to) before a name (at most its last `max` bytes, a
 * UTF-8 sequence cut at its start left out) can end with a role when its
 * last word, after which white space must follow, holds a non-ASCII byte,
 * or is in `enders` (a title's last word) or capitalised, and is not in
 * `honorifics` (both sets fold ASCII case; white space is ASCII's, as C's
 * isspace in the "C" locale). Returns 0 when it cannot; else 1 with
 * *start = the byte after the last byte of the prefix that `stop` marks
 * (bytes no role holds), or the prefix's start: the regex need read
 * s[*start, to) only. */
int lode_role_window(const char *s, size_t from, size_t to, size_t max, const lode_wordset *enders,
                     const lode_wordset *honorifics, const unsigned char stop[256], size_t *start);

#endif
