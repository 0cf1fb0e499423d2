/*
 * quotemarks.h -- quotations between marks, paired in one pass: the "find"
 * stage of the quote extractor (lode.extract.quotes.find.marked).
 *
 * The marks: “ ” " „ and ‘ ’ ' ‚ (double and single), « » (guillemets),
 * ‹ › (angles); a single mark between two letters or digits (\p{L}
 * \p{N}) is an apostrophe and no mark. Each mark's role comes from its
 * neighbouring bytes: it may open after a blank or one of ( [ { / - > * _
 * (or a no-break space, a dash, “ or „) and before a non-blank; it may
 * close after a non-blank and before no letter or digit (ASCII, a lead
 * byte of U+0080-U+1FFF, a continuation byte). « » ‹ › may stand a space
 * (ASCII, U+00A0, U+202F) apart from their words; „ « ‹ ‚ only open,
 * » › only close. When both fit, “ ‘ „ « ‹ ‚ open; ” " ’ ' are "either":
 * a double one opens when no quotation is open, a single one only closes.
 * A single mark before a word of `elisions` ('em, 'til) or two digits
 * ('90s) never opens.
 *
 * Pairing: marks of the open quotation's family close or reopen it, others
 * nest inside. A single close after "s" and before a space ("the
 * protesters’ demands") is weak: used only when no other close follows.
 * A quotation open at a paragraph break continues when the next paragraph
 * opens with a mark of its family (the newspaper convention), else ends;
 * one crossing more than 12 lines without a break ends with its first
 * line. An unclosed one ends at its line's end (4000 bytes at most), or
 * at its first sentence end when the next quotation opens on that line.
 * The words are narrowed past spaces and a Markdown link wrapping them
 * all ("[words](url)").
 */
#ifndef LODE_QUOTEMARKS_H
#define LODE_QUOTEMARKS_H

#include <stddef.h>

#include "boundary.h"
#include "error.h"
#include "text.h"
#include "wordset.h"

typedef struct lode_quote_span {
  size_t a, b;        /* the words, text[a, b) */
  size_t open_at;     /* the opening mark's first byte */
  size_t close_end;   /* one past the closing mark; 0: never closed */
  size_t first_end;   /* end of the first paragraph of a quotation continued
                         over paragraphs; 0: none */
} lode_quote_span;

/* The quotations of t in text order into *out (malloc'ed, the caller frees
 * it; NULL when *n is 0). `elisions` may be NULL (no word list). Returns 0
 * or LODE_ENOMEM (nothing to free then). Works on any bytes; bytes that
 * are not UTF-8 are neither letters nor marks. */
int lode_quote_marks(const lode_text *t, const lode_wordset *elisions, lode_quote_span **out,
                     size_t *n, lode_error *err);

/* The words of the line from byte `from` on, as an unclosed quotation's
 * (up to the line's end, 4000 bytes at most, narrowed past spaces and a
 * Markdown link): text[*a, *b), empty when *b <= *a. A transcript turn's
 * answer after its label. */
void lode_quote_line_words(const lode_text *t, size_t from, size_t *a, size_t *b);

/* The first paragraph break of s[0, len) at or after byte `from`: a line
 * break, spaces, tabs and CRs, a line break. The first line break's
 * position, or LODE_NOPOS. */
size_t lode_quote_paragraph_break(const char *s, size_t len, size_t from);

/* Where the first sentence of s[0, len) ends: the first . ! or ? followed
 * by ASCII white space, or by one closing mark (" ” ’) and ASCII white
 * space. Its position, or LODE_NOPOS. */
size_t lode_quote_sentence_end(const char *s, size_t len);

/* What the quote extractor looks at around a quotation ("look"): all
 * offsets 0-based, ranges [a, b). */
typedef struct lode_quote_look {
  size_t line;          /* the 1-based line of the words' first byte */
  size_t open_line;     /* the 1-based line of the opening mark */
  size_t line_start;    /* where open_line starts */
  size_t before_a, before_b;  /* the sentence before the mark */
  size_t after_a, after_b;    /* after the closing mark: up to its first
                                 paragraph break, in the 241 bytes from
                                 after_at (whole characters) */
  size_t sentence_b;    /* the first sentence of that: [after_a, sentence_b) */
} lode_quote_look;

/* The look-around of the quotation whose words are [i, j) (j == i: none),
 * opened by a mark at byte open_at and followed by the
 * text from byte after_at (<= the text's length): the sentence before the
 * mark (the boundaries bv[0, bn) of lode_sentence_boundaries, searched
 * from the mark's line start, 600 bytes back at most, up to the words'
 * fourth byte, so a boundary whose lookahead reads the mark is seen) and
 * the words after the quotation; windows narrowed so they cut no
 * character (lode_utf8_narrow). */
void lode_quote_look_around(const lode_text *t, const lode_boundary *bv, size_t bn, size_t i,
                            size_t j, size_t open_at, size_t after_at, lode_quote_look *out);

/* The number of words of s[0, len), counted up to `max`: maximal runs of
 * bytes other than ASCII white space (what Lua's %S+ reads in the C
 * locale). Whether a quotation is short enough to be a term or a title. */
size_t lode_quote_words(const char *s, size_t len, size_t max);

/* A word at an edge of a text, as a cue regex there would need it. */
typedef enum lode_quote_word {
  LODE_QWORD_NONE,    /* nothing, or an ASCII byte that is no letter */
  LODE_QWORD_ASCII,   /* a run of ASCII letters [*a, *b) with an ASCII
                         byte (or the text's edge) on both sides */
  LODE_QWORD_OTHER    /* a byte >= 0x80 is in the way or next to the run:
                         a letter, a space or a mark the caller cannot tell */
} lode_quote_word;

/* What stands last in s[0, len) before its trailing ASCII white space,
 * '*' and '_' (one ',' or ':' allowed among them): what a regex
 * "\b(?:cues)[\s*_]*[,:]?[\s*_]*$" needs a cue's last word to be. */
lode_quote_word lode_quote_tail_word(const char *s, size_t len, size_t *a, size_t *b);

/* What stands first in s[0, len) after ASCII white space, '[', '*', '_',
 * ',' and the dashes U+2013 U+2014: what a regex anchored at the start of
 * the text after a closing mark ("^[\s*_]*[,—–]?\s*(?:cues)") needs a
 * cue's first word to be. */
lode_quote_word lode_quote_head_word(const char *s, size_t len, size_t *a, size_t *b);

/* 0 when no line of s[0, len) can open with a transcript turn's label
 * (the quote extractor's turn regex, lua/lode/extract/quotes/find.lua):
 * no ':' whose line holds before it one to four words of ASCII letters,
 * ' . - and bytes >= 0x80, each opening with a capital or a byte >= 0x80
 * (after markup > * _), two or three when one has a lower-case letter;
 * and no line opening with Q or A, then '.' or ':' (markup and horizontal
 * spaces allowed between). 1 otherwise: whether the regex is worth
 * running over a page. */
int lode_quote_may_turn(const char *s, size_t len);

#endif
