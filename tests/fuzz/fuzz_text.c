/*
 * fuzz_text.c -- loading under every invalid-UTF-8 policy, detecting or
 * decoding a named encoding (a code page, a multi-byte and a stateful
 * one through iconv): a loaded text is valid UTF-8 without NUL bytes, its
 * line index tiles it, and its source map sends every character into the
 * input, never backwards.
 */
#include <string.h>
#include "fuzz.h"
#include "text.h"

static int is_break(const char *s, size_t a, size_t b) {
  return (b - a == 1 && (s[a] == '\n' || s[a] == '\r')) ||
         (b - a == 2 && s[a] == '\r' && s[a + 1] == '\n');
}

static void check_lines(const lode_text *t, const char *s, size_t len) {
  size_t n = lode_text_line_count(t), prev_end = 0, start, end, l;
  FUZZ_CHECK((n == 0) == (len == 0));
  for (l = 1; l <= n; l++) {
    FUZZ_CHECK(lode_text_line_span(t, l, &start, &end) == 0);
    FUZZ_CHECK(start <= end && end <= len);
    /* between two lines exactly one line break, and none inside a line */
    FUZZ_CHECK(l == 1 ? start == 0 : is_break(s, prev_end, start));
    FUZZ_CHECK(!memchr(s + start, '\n', end - start) && !memchr(s + start, '\r', end - start));
    FUZZ_CHECK(lode_text_line_of(t, start) == l);
    prev_end = end;
  }
  /* after the last line at most one line break */
  FUZZ_CHECK(n == 0 || prev_end == len || is_break(s, prev_end, len));
  FUZZ_CHECK(lode_text_line_span(t, n + 1, &start, &end) == LODE_EARG);
  FUZZ_CHECK(lode_text_line_of(t, len) == (n ? n : 1));
}

/* Each character's input bytes lie in the input, in order. */
static void check_origin(const lode_text *t, const char *s, size_t len, size_t size) {
  size_t k, prev = 0, fi, fj;
  for (k = 0; k < len; k++) {
    if (((unsigned char)s[k] & 0xC0) == 0x80) continue;
    lode_text_origin(t, k, k + 1, &fi, &fj);
    FUZZ_CHECK(fi >= prev && fi <= fj && fj <= size);
    prev = fi;
  }
  lode_text_origin(t, 0, len, &fi, &fj);
  FUZZ_CHECK(fi <= fj && fj <= size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const encodings[] = {NULL, "cp1251", "shift_jis", "iso-2022-jp"};
  lode_load_opts opts = {LODE_INVALID_ERROR, NULL};
  lode_error err;
  lode_text *t;
  const char *in = (const char *)data;
  if (size < 1) return 0;
  opts.invalid = (lode_invalid_policy)(data[0] % 4);
  opts.encoding = encodings[(data[0] >> 2) % 4];
  t = lode_text_from_memory("fuzz", in + 1, size - 1, &opts, &err);
  if (!t) {
    FUZZ_CHECK(err.code < 0 && err.msg[0] != '\0');
    return 0;
  } else {
    size_t len;
    const char *s = lode_text_bytes(t, &len);
    const lode_encoding_report *rep = lode_text_encoding(t);
    FUZZ_CHECK(lode_utf8_valid_prefix(s, len) == len);
    FUZZ_CHECK(s[len] == '\0' && !memchr(s, '\0', len));
    FUZZ_CHECK(rep->source_bytes == size - 1);
    FUZZ_CHECK(rep->replaced == 0 || opts.invalid == LODE_INVALID_REPLACE);
    /* valid UTF-8 without a BOM is kept byte for byte */
    if (!rep->bom && strcmp(rep->encoding, "utf-8") == 0 && rep->replaced == 0)
      FUZZ_CHECK(len == size - 1 && memcmp(s, in + 1, len) == 0);
    check_lines(t, s, len);
    check_origin(t, s, len, size - 1);
    lode_text_free(t);
  }
  return 0;
}
