/*
 * fuzz_regex.c -- a few fixed patterns (one with \b) over any subject, from
 * a start position taken from the input that may fall inside a character:
 * matches start at or after the rounded start, end inside the subject, sit
 * on character boundaries, and PCRE2's JIT and interpreter agree, as do
 * lode_regex_next and lode_segment_matches.
 */
#include <string.h>
#include "fuzz.h"
#include "regex.h"
#include "segment.h"

static const struct { const char *pat; unsigned flags; } patterns[] = {
  {"\\b", 0},
  {"\\b\\w+\\b", 0},
  {".", 0},
  {"\\X", 0},
  {"(?<=\\p{L})(\\s+)(\\p{Lu})?", 0},
  {"stra(ss|\xc3\x9f)e", LODE_RE_CASELESS},
  {"(\\d+)(?:[.,](\\d+))?", 0},
  {"^.*$", LODE_RE_MULTILINE},
  {"\xc3\xa9", LODE_RE_LITERAL | LODE_RE_CASELESS},
  {"", 0},
};
#define NPAT (sizeof patterns / sizeof patterns[0])
#define MAX_MATCHES 4096

static lode_regex *jit[NPAT], *interp[NPAT];
static lode_regex_scratch *sc;

static void init(void) {
  size_t k;
  sc = lode_regex_scratch_new();
  FUZZ_CHECK(sc);
  for (k = 0; k < NPAT; k++) {
    const char *p = patterns[k].pat;
    jit[k] = lode_regex_compile(p, strlen(p), patterns[k].flags, NULL);
    interp[k] = lode_regex_compile(p, strlen(p), patterns[k].flags | LODE_RE_NOJIT, NULL);
    FUZZ_CHECK(jit[k] && interp[k]);
  }
}

static void check_ovec(const size_t *ovec, int groups, size_t from, size_t len,
                       const unsigned char *starts) {
  int g;
  FUZZ_CHECK(from <= ovec[0] && ovec[0] <= ovec[1] && ovec[1] <= len);
  for (g = 0; g <= groups; g++) {
    size_t a = ovec[2 * g], b = ovec[2 * g + 1];
    if (a == LODE_NOPOS) { FUZZ_CHECK(g > 0 && b == LODE_NOPOS); continue; }
    FUZZ_CHECK(a <= b && b <= len && starts[a] && starts[b]);
  }
}

static int same_spans(const lode_spans *a, const lode_spans *b) {
  return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

/* All matches through lode_regex_next into `out` (1 + groups spans each);
 * returns the last code (0 when exhausted). */
static int all_matches(const lode_regex *re, const char *s, size_t len, unsigned opts,
                       const unsigned char *starts, lode_spans *out) {
  size_t pos = 0, ovec[2 * 4], prev_end = 0, n = 0;
  int last_empty = 0, rc, groups = lode_regex_groups(re), g;
  while ((rc = lode_regex_next(re, sc, s, len, &pos, &last_empty, opts, ovec, NULL)) == 1 &&
         n++ < MAX_MATCHES) {
    check_ovec(ovec, groups, prev_end, len, starts);
    prev_end = ovec[1];
    for (g = 0; g <= groups; g++)
      FUZZ_CHECK(lode_spans_push(out, ovec[2 * g], ovec[2 * g + 1]) == 0);
  }
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data + 3;
  size_t len, start, from, ovec_j[2 * 4], ovec_i[2 * 4], ws, we;
  unsigned char *starts;
  int k, rc_j, rc_i, groups;
  if (!sc) init();
  if (size < 3) return 0;
  k = data[0] % (int)NPAT;
  len = size - 3;
  start = ((size_t)data[1] | (size_t)data[2] << 8) % (len + 1);
  groups = lode_regex_groups(jit[k]);
  FUZZ_CHECK(groups < 4);
  starts = fuzz_starts(s, len);
  from = lode_utf8_ceil(s, len, start);

  rc_j = lode_regex_exec(jit[k], sc, s, len, start, 0, ovec_j, NULL);
  rc_i = lode_regex_exec(interp[k], sc, s, len, start, 0, ovec_i, NULL);
  FUZZ_CHECK(rc_j == rc_i);
  if (rc_j == 1) {
    check_ovec(ovec_j, groups, from, len, starts);
    FUZZ_CHECK(memcmp(ovec_j, ovec_i, 2 * (size_t)(groups + 1) * sizeof(size_t)) == 0);
  }

  if (lode_utf8_valid_prefix(s, len) == len && len < 4096) {
    lode_spans a = {0}, b = {0}, c = {0};
    int ra = all_matches(jit[k], s, len, LODE_RE_TRUSTED, starts, &a);
    int rb = all_matches(interp[k], s, len, 0, starts, &b);
    FUZZ_CHECK(ra == rb && same_spans(&a, &b));
    if (ra == 0 && a.n < MAX_MATCHES * (size_t)(groups + 1)) {
      FUZZ_CHECK(lode_segment_matches(jit[k], sc, s, len, LODE_RE_TRUSTED, &c, NULL) == 0);
      FUZZ_CHECK(same_spans(&c, &a));
    }
    lode_spans_free(&a);
    lode_spans_free(&b);
    lode_spans_free(&c);
  }

  lode_regex_word_window(s, len, start, from, 2, 2, &ws, &we);
  FUZZ_CHECK(ws <= start && from <= we && we <= len);
  free(starts);
  return 0;
}
