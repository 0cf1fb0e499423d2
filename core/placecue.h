/*
 * placecue.h -- where the entity extractor's place cues may match.
 *
 * "the Kalbajar district", "the city of Shusha": the extractor's two
 * place-cue regexes (lua/lode/extract/entities/find.lua) read a capital
 * after "the " whose word is followed by " <cue>", and a capital after
 * "<cue> of ". Searched over a page, PCRE2 tries the first at every "t"
 * and the second at every space; the few places either can start are
 * found here in one pass, so that each is tried there alone.
 *
 * A place is reported when a space stands between "the" or " of" and a
 * byte that may start a capital (A-Z, or a multi-byte sequence's lead:
 * every capital past ASCII is U+00C0 or later), and
 * - after "the ": the word runs to the next space (the regex's name holds
 *   letters and hyphens: no space), and the run of ASCII letters after
 *   that space is a cue word;
 * - before " of ": the run of ASCII letters ending there is a cue word.
 * With cue words of ASCII letters only, a cue the regex reads as a whole
 * word (\b on either side: no letter next to it) is such a run: every
 * place a match starts at is reported (and a few where none does).
 *
 * Offsets are 0-based. Works on any bytes; nothing here allocates.
 */
#ifndef LODE_PLACECUE_H
#define LODE_PLACECUE_H

#include <stddef.h>

#include "wordset.h"

/* The kinds of places: at the "t" of "the ", at the space before "of ". */
enum { LODE_PLACECUE_THE = 0, LODE_PLACECUE_OF = 1 };

typedef void (*lode_placecue_found)(void *ctx, int kind, size_t at);

/* Calls found(ctx, kind, at) for each place in s[0..len) where a place
 * cue may start (see above), in text order; `cues` holds the cue words
 * (looked up as lode_wordset_has does: A-Z folded). */
void lode_placecue_starts(const char *s, size_t len, const lode_wordset *cues, lode_placecue_found found,
                          void *ctx);

#endif
