/*
 * html.h -- an HTML page as text lode can analyse, with its file map.
 *
 * lode_html_convert() parses a page with libxml2's HTML parser (SAX, so no
 * tree is built; byte offsets come from the parser's input position) and
 * writes the visible text: one line per block element (p, h1-h6, li,
 * blockquote, figcaption, td, th, tr, div that holds text, br, ...),
 * entities decoded, runs of white space collapsed to one space, no blank
 * lines. Nothing inside script, style, noscript, template, svg, math,
 * iframe, object, canvas or head is text, nor inside an element marked
 * hidden or style="display: none". A lode_filemap maps every text
 * byte back to the bytes of the page that hold it.
 *
 * Alongside, for each text line: the innermost block element and the
 * elements around it that tell boilerplate from article (nav, header,
 * footer, aside, figure, figcaption, form, lists, headings, blockquote,
 * table, article, main), and how many of its bytes are inside <a>. And the
 * metadata the page states, each with its file span: <title>, <meta
 * name|property|itemprop content>, <time datetime>, <html lang>, <link
 * rel=canonical href>, and the raw contents of each <script
 * type="application/ld+json"> (decoding JSON is the caller's business).
 *
 * Input should be a lode_text's bytes (UTF-8), the charset having been
 * dealt with when the text was loaded; lode_html_rebase() then points the
 * map at the file the text was decoded from. Input that is not UTF-8 is
 * loaded as a text first, by the "replace" policy (a declared or guessed
 * legacy encoding, else U+FFFD: text.h), and the map points at the bytes
 * as given; input with NUL bytes besides bad UTF-8 is then refused
 * (LODE_EBINARY), as a text would be. Broken markup is parsed as browsers would, best
 * effort; only memory and size limits fail. The result is plain data;
 * lode_html_convert is re-entrant.
 */
#ifndef LODE_HTML_H
#define LODE_HTML_H

#include <stddef.h>
#include "error.h"
#include "filemap.h"
#include "text.h"

/* Elements around a text line (bits of lode_html_line.context). */
enum {
  LODE_HTML_NAV        = 1u << 0,
  LODE_HTML_HEADER     = 1u << 1,
  LODE_HTML_FOOTER     = 1u << 2,
  LODE_HTML_ASIDE      = 1u << 3,
  LODE_HTML_FIGURE     = 1u << 4,
  LODE_HTML_FIGCAPTION = 1u << 5,
  LODE_HTML_FORM       = 1u << 6,
  LODE_HTML_LIST       = 1u << 7,   /* ul, ol, dl */
  LODE_HTML_LI         = 1u << 8,   /* li, dt, dd */
  LODE_HTML_HEADING    = 1u << 9,   /* h1-h6 */
  LODE_HTML_BLOCKQUOTE = 1u << 10,
  LODE_HTML_TABLE      = 1u << 11,
  LODE_HTML_ARTICLE    = 1u << 12,
  LODE_HTML_MAIN       = 1u << 13
};
#define LODE_HTML_CONTEXTS 14

/* The static name of context bit k (0 <= k < LODE_HTML_CONTEXTS). */
const char *lode_html_context_name(int k);

typedef struct lode_html_line {
  const char *block;    /* static: innermost block element ("p", "h2", "li"; "body") */
  unsigned context;     /* LODE_HTML_* of every element around the line's text */
  size_t bytes;         /* text bytes of the line, line break aside */
  size_t link_bytes;    /* of which inside <a> */
} lode_html_line;

typedef struct lode_html_meta {
  char *key;            /* "title", "og:title", "time", "ld+json", ... */
  char *value;          /* decoded, white space collapsed (ld+json: raw) */
  size_t start, end;    /* file bytes holding the value, [start, end) */
} lode_html_meta;

typedef struct lode_html {
  char *text;           /* UTF-8, NUL-terminated; lines end in '\n' */
  size_t len;
  lode_filemap *map;    /* text -> page bytes, line breaks included */
  lode_html_line *lines;
  size_t nlines;        /* == the text's line count */
  lode_html_meta *meta;
  size_t nmeta;
} lode_html;

/* Convert page s[0, len) into *h (every member owned by *h; release with
 * lode_html_release). Returns 0, or LODE_ENOMEM, LODE_ELIMIT (a page of
 * 2 GB or more) or LODE_EBINARY (above) with `err` filled; *h is then
 * empty. */
int lode_html_convert(const char *s, size_t len, lode_html *h, lode_error *err);

/* Point h's map and metadata spans at the bytes `page` (whose bytes were
 * converted) was decoded from; nothing to do when its offsets are its
 * input's. Returns 0, or LODE_ENOMEM with `err` filled and *h released. */
int lode_html_rebase(lode_html *h, const lode_text *page, lode_error *err);

/* Free what *h owns and empty it; an empty or released *h is fine. */
void lode_html_release(lode_html *h);

/* 1 when the first bytes of s look like an HTML page (a doctype, <html>,
 * or <head>/<body> near the top of text that starts with a tag), else 0. */
int lode_html_sniff(const char *s, size_t len);

#endif
