/*
 * fuzz_normalize.c -- every form and fold combination, chosen by the first
 * two bytes: a View is valid UTF-8, its offset map stays inside the input
 * and never runs backwards, and the map-less string is the same text.
 */
#include <string.h>
#include "fuzz.h"
#include "normalize.h"

static void check_view(const lode_view *v, size_t len) {
  size_t vlen, i, oi, oj, prev_oi = 0, prev_oj = 0;
  const char *vb = lode_view_bytes(v, &vlen);
  unsigned char *starts;
  FUZZ_CHECK(vb[vlen] == '\0');
  FUZZ_CHECK(lode_utf8_valid_prefix(vb, vlen) == vlen);
  starts = fuzz_starts(vb, vlen);
  lode_view_origin(v, 0, vlen, &oi, &oj);
  FUZZ_CHECK(oi <= oj && oj <= len);
  for (i = 0; i <= vlen; i++) {
    size_t o = lode_view_origin_offset(v, i);
    FUZZ_CHECK(o <= len);
    if (!starts[i]) continue;
    /* one character's range at each boundary: in bounds and monotone */
    lode_view_origin(v, i, i, &oi, &oj);
    FUZZ_CHECK(oi == oj && oi <= len);
    if (i < vlen) {
      size_t j = i + 1;
      while (!starts[j]) j++;
      lode_view_origin(v, i, j, &oi, &oj);
      FUZZ_CHECK(oi <= oj && oj <= len);
      FUZZ_CHECK(oi >= prev_oi && oj >= prev_oj);
      prev_oi = oi;
      prev_oj = oj;
    }
  }
  free(starts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lode_norm_opts opts;
  lode_error err;
  lode_view *v;
  const char *s = (const char *)data + 2;
  size_t len, slen;
  char *str;
  if (size < 2) return 0;
  opts.form = (lode_form)(data[0] % 3);
  opts.flags = data[1] & 31u;
  len = size - 2;
  v = lode_normalize(s, len, &opts, &err);
  str = lode_normalize_string(s, len, &opts, &slen, NULL);
  if (lode_utf8_valid_prefix(s, len) != len) {
    FUZZ_CHECK(!v && !str && err.code == LODE_EENCODING);
    FUZZ_CHECK(err.offset == lode_utf8_valid_prefix(s, len));
    return 0;
  }
  FUZZ_CHECK(v && str);
  {
    size_t vlen;
    const char *vb = lode_view_bytes(v, &vlen);
    FUZZ_CHECK(slen == vlen && memcmp(str, vb, vlen) == 0);
  }
  check_view(v, len);
  lode_view_free(v);
  free(str);
  return 0;
}
