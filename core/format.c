/*
 * format.c -- format names and detection.
 */
#include "format.h"

#include <string.h>
#include <strings.h>

#include "html.h"

static const char *const NAMES[] = {"auto", "text", "markdown", "html", "jsonl", "csv"};

static const struct {
  const char *ext;
  lode_format format;
} EXTENSIONS[] = {
  {"html", LODE_FORMAT_HTML}, {"htm", LODE_FORMAT_HTML}, {"xhtml", LODE_FORMAT_HTML},
  {"md", LODE_FORMAT_MARKDOWN}, {"markdown", LODE_FORMAT_MARKDOWN},
  {"jsonl", LODE_FORMAT_JSONL}, {"ndjson", LODE_FORMAT_JSONL},
  {"csv", LODE_FORMAT_CSV},
};

const char *lode_format_name(lode_format f) {
  return (unsigned)f < sizeof NAMES / sizeof NAMES[0] ? NAMES[f] : "text";
}

int lode_format_parse(const char *name) {
  size_t k;
  for (k = 0; name && k < sizeof NAMES / sizeof NAMES[0]; k++)
    if (strcmp(name, NAMES[k]) == 0) return (int)k;
  return -1;
}

lode_format lode_format_detect(const char *name, const char *s, size_t len) {
  const char *dot = name ? strrchr(name, '.') : NULL;
  size_t k;
  if (dot && !strchr(dot, '/'))
    for (k = 0; k < sizeof EXTENSIONS / sizeof EXTENSIONS[0]; k++)
      if (strcasecmp(dot + 1, EXTENSIONS[k].ext) == 0) return EXTENSIONS[k].format;
  return lode_html_sniff(s, len) ? LODE_FORMAT_HTML : LODE_FORMAT_TEXT;
}
