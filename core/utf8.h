/*
 * utf8.h -- UTF-8 validation and decoding primitives.
 *
 * Validation follows RFC 3629 strictly: no overlongs, no surrogates, nothing
 * above U+10FFFF. It has an ASCII fast path (8 bytes at a time) because news
 * text is ~99% ASCII. All functions take an explicit length; NUL is a byte.
 */
#ifndef LODE_UTF8_H
#define LODE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the longest valid UTF-8 prefix of s[0, len). Equal to `len` when
 * the whole buffer is valid; otherwise the offset of the first bad byte. */
size_t lode_utf8_valid_prefix(const char *s, size_t len);

/* Skip the run of well-formed multi-byte sequences starting at s[i]: returns
 * the offset of the first byte at or after i that is ASCII, or that does not
 * begin a well-formed sequence, or len. Returns i itself when s[i] is ASCII
 * or bad, so for s[i] >= 0x80 a result equal to i means s[i] is invalid.
 * For scanners that handle ASCII themselves (the loader's fused pass). */
size_t lode_utf8_skip_multibyte(const char *s, size_t len, size_t i);

/* The first offset at or after i (i <= len) that is not a UTF-8
 * continuation byte (10xxxxxx), or len: a byte position rounded up to the
 * start of the next character. Every API that starts work at a byte position
 * a caller chose (a regex search start) applies this rule, so a position
 * inside a character never reaches a matcher that assumes boundaries. */
size_t lode_utf8_ceil(const char *s, size_t len, size_t i);

/* The widest byte range inside s[*a, *b) (a <= b <= len) that cuts no
 * character of s[0, len) in two: a character the range cuts at either end
 * is left out. For look-around windows around a match, which are cut at
 * byte offsets. */
void lode_utf8_narrow(const char *s, size_t len, size_t *a, size_t *b);

/* Whether s[0, len) holds a capital: an ASCII one anywhere, or a character
 * of category Lu that follows no letter or number, as PCRE2's
 * (?<![\p{L}\p{N}])\p{Lu} finds it: "Şuşa" and "Шуша" are capitalised,
 * "la réunion" is not. Decodes only text with no ASCII capital. */
int lode_utf8_has_capital(const char *s, size_t len);

/* Whether code point cp is a letter or a number (\p{L} or \p{N}, by
 * utf8proc's categories). */
int lode_utf8_is_alnum(int32_t cp);

/* Decode one code point at s[i] (i < len). Returns the sequence length (1-4)
 * and stores the code point in *cp; returns 0 for an invalid sequence (and
 * stores 0xFFFD). */
size_t lode_utf8_decode(const char *s, size_t len, size_t i, int32_t *cp);

/* Length (1-3) of the maximal subpart at s[i] (i < len) when s[i] does not
 * begin a well-formed sequence: the longest prefix that could still begin
 * one, or 1 (Unicode 15, section 3.9, "U+FFFD Substitution of Maximal
 * Subparts": each such subpart becomes one U+FFFD). Returns 0 when s[i]
 * begins a well-formed sequence. */
size_t lode_utf8_invalid_len(const char *s, size_t len, size_t i);

/* Encode cp into out[4]; returns 1-4, or 0 if cp is not a scalar value. */
size_t lode_utf8_encode(int32_t cp, char out[4]);

#endif
