/*
 * ascii.h -- ASCII case folding of byte strings.
 *
 * What Lua's string.lower does in the C locale (A-Z to a-z, every other
 * byte kept: UTF-8 stays valid, NUL bytes pass), at memory speed: a whole
 * page lowered once for plain caseless finds.
 */
#ifndef LODE_ASCII_H
#define LODE_ASCII_H

#include <stddef.h>

/* Write s[0..len) with A-Z lowered to out[0..len); out may be s. */
void lode_ascii_lower(const char *s, size_t len, char *out);

#endif
