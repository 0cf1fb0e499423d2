/*
 * coord.h -- lists of capitalised names joined by commas and "and"/"or".
 *
 * "Sotk, Norabak, Verin Shorzha and Jermuk": the entity extractor reads
 * the unknown items of a list of places as places (lua/lode/extract/
 * entities/coord.lua holds that rule); this is the byte walk that finds
 * the items. An item is 1 to max_words capitalised words (ASCII letters,
 * hyphens and any non-ASCII bytes; the first character a capital, no
 * ’ or other punctuation from U+2000-U+207F), one space or tab between
 * them; items are joined by ", ", ", and ", " and ", ", or ", " or "
 * (spaces or tabs). Lists do not cross lines.
 *
 * Offsets are 0-based, spans end-exclusive. A word whose first character
 * is not valid UTF-8 is no capitalised word. Nothing here allocates.
 */
#ifndef LODE_COORD_H
#define LODE_COORD_H

#include <stddef.h>

/* The next gap at or after `from` where a list of names may go on: a
 * comma, spaces or tabs, optionally "and" or "or" and spaces or tabs,
 * then a capital (a code point in Unicode's category Lu): the matches of
 * the regex ,[ \t]+(?:(?:and|or)[ \t]+)?(?=\p{Lu}) in text order, its
 * capital left out. Returns 1 with the gap in [*a, *b), or 0. */
int lode_coord_next_gap(const char *s, size_t len, size_t from, size_t *a, size_t *b);

/* The end of the item starting at s[at] (at most max_words words), or 0
 * when none starts there. */
size_t lode_coord_item_end(const char *s, size_t len, size_t at, int max_words);

/* The items of the list through the item [start, end): up to max_items
 * before it, the item, then up to max_items in all; written to
 * I[k], J[k] (room for max_items + 1 each) in text order. Returns their
 * count (at least 1). */
size_t lode_coord_list(const char *s, size_t len, size_t start, size_t end, int max_words,
                       size_t max_items, size_t *I, size_t *J);

#endif
