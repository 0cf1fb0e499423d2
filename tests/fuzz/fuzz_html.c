/*
 * fuzz_html.c -- a page of any bytes: the text is NUL-terminated, made of
 * the lines the line table describes, and its file map sends every text
 * byte inside the page; metadata spans lie inside the page. For what
 * callers pass (a lode_text's bytes: valid UTF-8 without NUL) the text is
 * one too, so it loads, and the map never runs backwards. Other bytes
 * only must not crash: libxml2 then falls back to Latin-1 and its input
 * positions no longer follow the page's bytes.
 */
#include <string.h>
#include "fuzz.h"
#include "html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  lode_html h;
  lode_error err;
  size_t k, total = 0, breaks = 0, prev_fi = 0, fi, fj;
  int as_text = lode_utf8_valid_prefix(s, size) == size && !memchr(s, '\0', size);
  memset(&h, 0, sizeof h);
  lode_html_sniff(s, size);
  FUZZ_CHECK(lode_html_convert(s, size, &h, &err) == 0);
  FUZZ_CHECK(h.text && h.text[h.len] == '\0');
  if (as_text)
    FUZZ_CHECK(lode_utf8_valid_prefix(h.text, h.len) == h.len && !memchr(h.text, '\0', h.len));
  for (k = 0; k < h.len; k++) breaks += h.text[k] == '\n';
  FUZZ_CHECK(h.len == 0 || h.text[h.len - 1] == '\n');
  FUZZ_CHECK(h.nlines == breaks);
  for (k = 0; k < h.nlines; k++) {
    FUZZ_CHECK(h.lines[k].block && h.lines[k].link_bytes <= h.lines[k].bytes);
    total += h.lines[k].bytes + 1;
  }
  FUZZ_CHECK(total == h.len);
  for (k = 0; k < h.len; k++) {
    lode_filemap_origin(h.map, k, k + 1, &fi, &fj);
    FUZZ_CHECK(fi <= fj && fj <= size);
    FUZZ_CHECK(fi >= prev_fi || !as_text);
    prev_fi = fi;
  }
  lode_filemap_origin(h.map, 0, h.len, &fi, &fj);
  FUZZ_CHECK(fi <= fj && fj <= size);
  for (k = 0; k < h.nmeta; k++) {
    FUZZ_CHECK(h.meta[k].key && h.meta[k].value);
    FUZZ_CHECK(h.meta[k].start <= h.meta[k].end && h.meta[k].end <= size);
  }
  lode_html_release(&h);
  return 0;
}
