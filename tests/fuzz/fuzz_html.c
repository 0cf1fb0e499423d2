/*
 * fuzz_html.c -- a page as lode reads it: the input loaded as a lode_text
 * (bad UTF-8 replaced), then converted. The text is valid UTF-8 without
 * NUL (so it loads in turn), made of the lines the line table describes;
 * the file map sends every text byte inside the page, never backwards;
 * metadata spans lie inside the page. The raw bytes are converted too,
 * where only the text's shape is checked: on bad UTF-8 libxml2 falls back
 * to Latin-1 and its input positions count the converted bytes, which is
 * why lode_html_convert takes a lode_text's bytes.
 */
#include <string.h>
#include "fuzz.h"
#include "html.h"
#include "text.h"

static void check_page(const char *s, size_t size, int as_text) {
  lode_html h;
  lode_error err;
  size_t k, total = 0, breaks = 0, prev_fi = 0, fi, fj;
  memset(&h, 0, sizeof h);
  lode_html_sniff(s, size);
  FUZZ_CHECK(lode_html_convert(s, size, &h, &err) == 0);
  FUZZ_CHECK(h.text && h.text[h.len] == '\0');
  for (k = 0; k < h.len; k++) breaks += h.text[k] == '\n';
  FUZZ_CHECK(h.len == 0 || h.text[h.len - 1] == '\n');
  FUZZ_CHECK(h.nlines == breaks);
  for (k = 0; k < h.nlines; k++) {
    FUZZ_CHECK(h.lines[k].block && h.lines[k].link_bytes <= h.lines[k].bytes);
    total += h.lines[k].bytes + 1;
  }
  FUZZ_CHECK(total == h.len);
  for (k = 0; k < h.nmeta; k++) FUZZ_CHECK(h.meta[k].key && h.meta[k].value);
  if (as_text) {
    FUZZ_CHECK(lode_utf8_valid_prefix(h.text, h.len) == h.len && !memchr(h.text, '\0', h.len));
    for (k = 0; k < h.len; k++) {
      lode_filemap_origin(h.map, k, k + 1, &fi, &fj);
      FUZZ_CHECK(fi <= fj && fj <= size && fi >= prev_fi);
      prev_fi = fi;
    }
    lode_filemap_origin(h.map, 0, h.len, &fi, &fj);
    FUZZ_CHECK(fi <= fj && fj <= size);
    for (k = 0; k < h.nmeta; k++)
      FUZZ_CHECK(h.meta[k].start <= h.meta[k].end && h.meta[k].end <= size);
  }
  lode_html_release(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const lode_load_opts opts = {LODE_INVALID_REPLACE, NULL};
  lode_text *t = lode_text_from_memory("fuzz", (const char *)data, size, &opts, NULL);
  check_page((const char *)data, size, 0);
  if (t) {
    size_t len;
    const char *s = lode_text_bytes(t, &len);
    check_page(s, len, 1);
    lode_text_free(t);
  }
  return 0;
}
