/*
 * fuzz_html.c -- a page as lode reads it: the input loaded as a lode_text
 * (bad UTF-8 replaced, or a legacy encoding detected), then converted and
 * rebased onto the input. The text is valid UTF-8 without NUL (so it
 * loads in turn), made of the lines the line table describes; the file
 * map sends every text byte inside the input, never backwards; metadata
 * spans lie inside it. The raw bytes are converted too, with the same
 * invariants: lode_html_convert decodes bad UTF-8 first (libxml2's own
 * Latin-1 fallback would count converted bytes and run the map
 * backwards), or refuses NUL bytes mixed with bad UTF-8 as binary, and
 * UTF-32 (its byte-order mark) as an encoding lode does not read.
 */
#include <string.h>
#include "fuzz.h"
#include "html.h"
#include "text.h"

/* Convert s[0, size) -- from `page` when given: its bytes, rebased onto
 * the input, `size` bytes -- and check the result. */
static void check_page(const char *s, size_t size, const lode_text *page) {
  lode_html h;
  lode_error err;
  size_t k, total = 0, breaks = 0, prev_fi = 0, fi, fj, len = size;
  const char *in = page ? lode_text_bytes(page, &len) : s;
  int rc;
  memset(&h, 0, sizeof h);
  lode_html_sniff(in, len);
  rc = lode_html_convert(in, len, &h, &err);
  if (rc == 0 && page) rc = lode_html_rebase(&h, page, &err);
  if (!page && rc == LODE_EBINARY) {   /* bad UTF-8 and NUL: refused */
    FUZZ_CHECK(memchr(s, '\0', size) && lode_utf8_valid_prefix(s, size) < size);
    return;
  }
  if (!page && rc == LODE_EENCODING) {  /* a UTF-32 byte-order mark: refused */
    FUZZ_CHECK(size >= 4 && (memcmp(s, "\xFF\xFE\0\0", 4) == 0 || memcmp(s, "\0\0\xFE\xFF", 4) == 0));
    return;
  }
  FUZZ_CHECK(rc == 0);
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
  FUZZ_CHECK(lode_utf8_valid_prefix(h.text, h.len) == h.len);
  if (page || lode_utf8_valid_prefix(s, size) < size) FUZZ_CHECK(!memchr(h.text, '\0', h.len));
  for (k = 0; k < h.len; k++) {
    lode_filemap_origin(h.map, k, k + 1, &fi, &fj);
    FUZZ_CHECK(fi <= fj && fj <= size && fi >= prev_fi);
    prev_fi = fi;
  }
  lode_filemap_origin(h.map, 0, h.len, &fi, &fj);
  FUZZ_CHECK(fi <= fj && fj <= size);
  for (k = 0; k < h.nmeta; k++)
    FUZZ_CHECK(h.meta[k].start <= h.meta[k].end && h.meta[k].end <= size);
  lode_html_release(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const lode_load_opts opts = {LODE_INVALID_REPLACE, NULL};
  lode_text *t = lode_text_from_memory("fuzz", (const char *)data, size, &opts, NULL);
  check_page((const char *)data, size, NULL);
  if (t) {
    check_page((const char *)data, size, t);
    lode_text_free(t);
  }
  return 0;
}
