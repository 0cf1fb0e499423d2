/*
 * format.h -- which format a document is in: by name, else by its bytes.
 *
 * Plain text and Markdown are analysed as they are; HTML is converted
 * (html.h); JSON lines and CSV are datasets whose rows are documents
 * (dataset.h). lode_format_detect() goes by the file name's extension
 * (.html .htm .xhtml, .md .markdown, .jsonl .ndjson, .csv, any case) and,
 * for any other name, by the first bytes (lode_html_sniff), since scraped
 * pages are often saved as .txt.
 */
#ifndef LODE_FORMAT_H
#define LODE_FORMAT_H

#include <stddef.h>

typedef enum {
  LODE_FORMAT_AUTO = 0,
  LODE_FORMAT_TEXT,
  LODE_FORMAT_MARKDOWN,
  LODE_FORMAT_HTML,
  LODE_FORMAT_JSONL,
  LODE_FORMAT_CSV
} lode_format;

/* "auto", "text", "markdown", "html", "jsonl", "csv" (static). */
const char *lode_format_name(lode_format f);

/* The format named `name` ("auto" ... "csv"), or -1. */
int lode_format_parse(const char *name);

/* The format of a document called `name` (may be NULL) whose bytes are
 * s[0, len): never LODE_FORMAT_AUTO. */
lode_format lode_format_detect(const char *name, const char *s, size_t len);

#endif
