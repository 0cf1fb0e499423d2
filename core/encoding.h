/*
 * encoding.h -- legacy encodings: decoding through iconv, and telling
 * which encoding an undeclared file is in.
 *
 * lode_encoding_decode() turns bytes in any encoding glibc's iconv knows
 * ("cp1251", "koi8-r", "iso-8859-5", "windows-1250", "shift_jis", ...)
 * into UTF-8 with a lode_srcmap back to the input bytes. Single-byte code
 * pages go through a 256-entry table built from iconv once per call, so
 * they decode at memory speed; any other encoding is decoded character by
 * character, each character's input bytes known from iconv's advance.
 * Bytes iconv rejects follow the text's invalid-byte policy (text.h):
 * "error" names the file, line and byte; "replace" gives one U+FFFD per
 * rejected byte; "latin1"/"cp1252" decode that byte as ISO-8859-1 or
 * Windows-1252. A NUL character is binary data, as for any text.
 *
 * When no encoding is given and the input is not UTF-8, the loader asks
 * lode_encoding_detect(), which looks, in this order, for
 *   - a declaration: <meta charset=...>, <meta http-equiv="Content-Type"
 *     content="...; charset=...">, or an XML declaration's encoding=, in
 *     the first 8 KB; a page that declares UTF-8 (and is not) or a name
 *     iconv does not know is not believed; Latin-1 and ASCII labels mean
 *     Windows-1252, as in browsers (WHATWG Encoding);
 *   - a guess for text that looks 8-bit rather than broken UTF-8 (at
 *     least three bytes >= 0xC0 with no continuation byte after them,
 *     which no UTF-8 lead byte can be, and more than twice as many of
 *     those as UTF-8-shaped sequences, valid or broken): Cyrillic when most
 *     letters >= 0xC0 stand next to another such letter (words spelled
 *     entirely in 8-bit letters), then cp1251 if lower case (0xE0-0xFF
 *     in cp1251) outnumbers upper case (0xC0-0xDF), else KOI8-R, whose
 *     cases are the other way round; otherwise Windows-1252 (accented
 *     letters between ASCII ones, as in French or German).
 */
#ifndef LODE_ENCODING_H
#define LODE_ENCODING_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "srcmap.h"
#include "text.h"

/* Longest encoding name kept, terminator included. */
#define LODE_ENCODING_NAME_MAX 40

typedef struct lode_decoded {
  char *bytes;          /* UTF-8, NUL-terminated; free() it */
  size_t len;
  lode_srcmap *map;     /* text -> input bytes; lode_srcmap_free() it */
  size_t replaced;      /* U+FFFD put for rejected bytes */
} lode_decoded;

/* Decode s[0, len) from `encoding` into *out (owned by the caller), the
 * policy deciding rejected bytes. `name` names the input in errors.
 * Returns 0, or LODE_EARG ("name: unknown encoding \"x\""),
 * LODE_EENCODING, LODE_EBINARY or LODE_ENOMEM with `err` filled and *out
 * empty. */
int lode_encoding_decode(const char *name, const char *encoding, const char *s, size_t len,
                         lode_invalid_policy policy, lode_decoded *out, lode_error *err);

/* 1 if iconv can decode from `encoding`, else 0. */
int lode_encoding_known(const char *encoding);

/* Windows-1252's code point for byte c (the five bytes it leaves
 * undefined are the C1 controls of the same value, as in Windows). */
int32_t lode_encoding_cp1252(unsigned char c);

/* The encoding of s[0, len), not valid UTF-8 (see above): its name goes
 * to name[LODE_ENCODING_NAME_MAX] and a static phrase saying why is
 * returned ("<meta charset>", "guess: Cyrillic, lower case in cp1251's
 * range", ...). Returns NULL, name empty, when the input looks like UTF-8
 * with some bad bytes rather than an 8-bit file. */
const char *lode_encoding_detect(const char *s, size_t len, char *name);

#endif
