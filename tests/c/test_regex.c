/* test_regex.c -- PCRE2 wrapper: compile errors, matching, iteration,
 * limits, encodings, threads, and an informational throughput figure. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "utf8.h"
#include "test.h"

#define DATE_RE "(?:January|February|March|April|May|June|July|August|September|" \
                "October|November|December)\\s+\\d{1,2},\\s+\\d{4}"

/* Under valgrind (seen through its LD_PRELOAD) JIT code is slow to emulate
 * and its SIMD over-reads of the subject are reported as errors, so the tests
 * use the interpreter there and skip the one timing assertion. */
static unsigned extra_flags;
static int under_valgrind;

static lode_regex *compile(const char *pat, unsigned flags) {
  lode_error err;
  lode_regex *re = lode_regex_compile(pat, strlen(pat), flags | extra_flags, &err);
  if (!re) fprintf(stderr, "compile %s: %s\n", pat, err.msg);
  return re;
}

/* Collect all match spans of `re` over s (pairs appended to out, count
 * returned), or a negative error code. */
static long all_matches(const lode_regex *re, lode_regex_scratch *sc, const char *s,
                        size_t len, unsigned opts, size_t *out, size_t max) {
  size_t pos = 0, ov[2 * 32];
  int st = 0, rc;
  long n = 0;
  lode_error err;
  while ((rc = lode_regex_next(re, sc, s, len, &pos, &st, opts, ov, &err)) == 1) {
    if ((size_t)n < max) { out[2 * n] = ov[0]; out[2 * n + 1] = ov[1]; }
    n++;
  }
  return rc < 0 ? rc : n;
}

/* --------------------------------------------------------- word windows */
static void check_window(const char *s, size_t a, size_t b, size_t before, size_t after,
                         const char *want) {
  size_t ws = 99, we = 99, len = strlen(s);
  lode_regex_word_window(s, len, a, b, before, after, &ws, &we);
  CHECK_MSG(ws <= we && we <= len && we - ws == strlen(want) && memcmp(s + ws, want, we - ws) == 0,
            "window(%zu, %zu, %zu, %zu) of \"%s\" = \"%.*s\", want \"%s\"",
            a, b, before, after, s, (int)(we - ws), s + ws, want);
}

static void test_word_window(void) {
  const char *s = "one two  three\tfour\nfive six";
  /* the span's own words, widened by whole words; any ASCII space */
  check_window(s, 9, 14, 0, 0, "three");
  check_window(s, 10, 12, 0, 0, "three");          /* inside a word */
  check_window(s, 10, 12, 1, 1, "two  three\tfour");
  check_window(s, 10, 12, 2, 2, "one two  three\tfour\nfive");
  /* fewer words than asked: to the string's edges */
  check_window(s, 10, 12, 3, 3, s);
  check_window(s, 0, 3, 1, 0, "one");
  check_window(s, 25, 28, 0, 1, "six");
  /* a span starting at a word start, or ending at a word end */
  check_window(s, 4, 7, 1, 1, "one two  three");
  /* a span across words, and an empty span in a run of spaces */
  check_window(s, 5, 10, 0, 0, "two  three");
  check_window(s, 8, 8, 1, 1, "two  three");
  /* leading and trailing spaces count as no word */
  check_window("  ab  ", 2, 4, 1, 1, "  ab  ");
  check_window("  ab  ", 2, 4, 0, 0, "ab");
  check_window("", 0, 0, 1, 1, "");
}

/* ---------------------------------------------------------------- flags */
static void test_flags(void) {
  unsigned f = 99;
  lode_error err;
  CHECK(lode_regex_flags("ixms", &f, &err) == 0);
  CHECK(f == (LODE_RE_CASELESS | LODE_RE_EXTENDED | LODE_RE_MULTILINE | LODE_RE_DOTALL));
  CHECK(lode_regex_flags("", &f, &err) == 0 && f == 0);
  CHECK(lode_regex_flags(NULL, &f, &err) == 0 && f == 0);
  CHECK(lode_regex_flags("iq", &f, &err) == LODE_EARG);
  CHECK_MSG(strstr(err.msg, "'q'") != NULL, "%s", err.msg);
  CHECK(err.offset == 1);
}

/* ------------------------------------------------------- compile errors */
static void test_compile_errors(void) {
  lode_error err;
  lode_regex *re = lode_regex_compile("a(b", 3, 0, &err);
  CHECK(re == NULL);
  CHECK(err.code == LODE_EPATTERN);
  CHECK_MSG(err.offset == 3, "offset %zu", err.offset);
  CHECK_MSG(strstr(err.msg, "at pattern offset 4") != NULL, "%s", err.msg);
  CHECK_MSG(strstr(err.msg, "\"a(b\"") != NULL, "%s", err.msg);
  CHECK_MSG(strstr(err.msg, "parenthesis") != NULL, "%s", err.msg);

  re = lode_regex_compile("ab[c", 4, 0, &err);
  CHECK(re == NULL && err.code == LODE_EPATTERN && err.offset == 4);
  re = lode_regex_compile("x{2,1}", 6, 0, &err);
  CHECK(re == NULL && err.code == LODE_EPATTERN);
  /* A pattern that is not valid UTF-8 is a compile error too. */
  re = lode_regex_compile("ab\xff", 3, 0, &err);
  CHECK(re == NULL && err.code == LODE_EPATTERN);
  CHECK_MSG(strstr(err.msg, "\"ab") != NULL, "%s", err.msg);
  /* Literal mode: the same bytes compile and match themselves. */
  re = lode_regex_compile("a(b", 3, LODE_RE_LITERAL, &err);
  CHECK(re != NULL);
  if (re) {
    lode_regex_scratch *sc = lode_regex_scratch_new();
    size_t ov[2];
    CHECK(lode_regex_exec(re, sc, "xa(by", 5, 0, 0, ov, &err) == 1 && ov[0] == 1 && ov[1] == 4);
    CHECK(lode_regex_groups(re) == 0);
    lode_regex_scratch_free(sc);
    lode_regex_free(re);
  }
  /* Long patterns are quoted truncated, not whole. */
  {
    char big[400];
    memset(big, 'q', sizeof big);
    big[399] = '(';
    re = lode_regex_compile(big, sizeof big, 0, &err);
    CHECK(re == NULL && err.code == LODE_EPATTERN && err.offset == 400);
    CHECK_MSG(strstr(err.msg, "...\"") != NULL && strlen(err.msg) < 200, "%s", err.msg);
  }
  lode_regex_free(NULL);
  lode_regex_scratch_free(NULL);
}

/* ------------------------------------------------------------- accessors */
static void test_accessors(void) {
  lode_error err;
  const char *pat = "(?<month>[A-Z][a-z]+)\\s+(?<day>\\d{1,2}),\\s+(?<year>\\d{4})(x)?";
  lode_regex *re = lode_regex_compile(pat, strlen(pat), 0, &err);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  size_t len, ov[10];
  int g = -1;
  const char *s = "Posted on November 16, 2021 at noon";
  CHECK(re != NULL && sc != NULL);
  if (!re || !sc) return;
  CHECK(lode_regex_groups(re) == 4);
  CHECK(lode_regex_name_count(re) == 3);
  /* PCRE2's name table is sorted by name. */
  CHECK(strcmp(lode_regex_name(re, 0, &g), "day") == 0 && g == 2);
  CHECK(strcmp(lode_regex_name(re, 1, &g), "month") == 0 && g == 1);
  CHECK(strcmp(lode_regex_name(re, 2, &g), "year") == 0 && g == 3);
  CHECK(lode_regex_name(re, 3, &g) == NULL);
  CHECK(lode_regex_name(re, -1, &g) == NULL);
  CHECK(strcmp(lode_regex_pattern(re, &len), pat) == 0 && len == strlen(pat));
  printf("info: JIT %s\n", lode_regex_jitted(re) ? "on" : "off (interpreter)");

  CHECK(lode_regex_exec(re, sc, s, strlen(s), 0, 0, ov, &err) == 1);
  CHECK_BYTES(s + ov[0], ov[1] - ov[0], "November 16, 2021");
  CHECK_BYTES(s + ov[2], ov[3] - ov[2], "November");
  CHECK_BYTES(s + ov[4], ov[5] - ov[4], "16");
  CHECK_BYTES(s + ov[6], ov[7] - ov[6], "2021");
  CHECK(ov[8] == LODE_NOPOS && ov[9] == LODE_NOPOS);  /* (x)? did not take part */
  /* Starting past the date finds nothing; past the end is a caller error. */
  CHECK(lode_regex_exec(re, sc, s, strlen(s), 12, 0, ov, &err) == 0);
  CHECK(lode_regex_exec(re, sc, s, strlen(s), strlen(s) + 1, 0, ov, &err) == LODE_EARG);
  lode_regex_free(re);

  /* Unset groups in an alternation: the first group is unset. */
  re = compile("(a)|(b)", 0);
  CHECK(lode_regex_exec(re, sc, "xb", 2, 0, 0, ov, &err) == 1);
  CHECK(ov[0] == 1 && ov[1] == 2);
  CHECK(ov[2] == LODE_NOPOS && ov[3] == LODE_NOPOS);
  CHECK(ov[4] == 1 && ov[5] == 2);
  lode_regex_free(re);

  /* One scratch serves regexes with more groups than it was first sized for. */
  {
    const char *many = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)(n)(o)(p)(q)(r)(s)(t)";
    size_t big[42];
    re = compile(many, 0);
    CHECK(lode_regex_groups(re) == 20);
    CHECK(lode_regex_exec(re, sc, "--abcdefghijklmnopqrst", 22, 0, 0, big, &err) == 1);
    CHECK(big[0] == 2 && big[1] == 22 && big[40] == 21 && big[41] == 22);
    lode_regex_free(re);
  }
  lode_regex_scratch_free(sc);
}

/* -------------------------------------------------------------- corpus */
static void test_corpus(void) {
  lode_regex *re = compile(DATE_RE, 0);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  size_t len, spans[2 * 64], i;
  char *s = test_read_corpus(1, &len);  /* 001_6d5d41b893ce7abd.txt */
  long n;
  int found_dec3 = 0;
  CHECK(re && sc);
  n = all_matches(re, sc, s, len, 0, spans, 64);
  /* grep -oP with the same pattern finds 20 (no date spans a line break). */
  CHECK_MSG(n == 20, "n=%ld", n);
  for (i = 0; i < (size_t)n && i < 64; i++) {
    if (spans[2 * i + 1] - spans[2 * i] == 16 && memcmp(s + spans[2 * i], "December 3, 2021", 16) == 0) {
      found_dec3 = 1;
      CHECK(spans[2 * i] == 783);  /* grep -ob */
    }
  }
  CHECK(found_dec3);
  CHECK_BYTES(s + spans[2], spans[3] - spans[2], "June 18, 2021");
  /* Trusted and untrusted give the same answers on valid text. */
  {
    size_t spans2[2 * 64];
    long n2 = all_matches(re, sc, s, len, LODE_RE_TRUSTED, spans2, 64);
    CHECK(n2 == n && memcmp(spans, spans2, sizeof(size_t) * 2 * (size_t)n) == 0);
  }
  free(s);

  /* Caseless, Unicode-aware words over the whole corpus. */
  {
    lode_regex *w = compile("\\bAzerbaijan\\w*", LODE_RE_CASELESS);
    long total = 0;
    for (i = 0; i < TEST_NCORPUS; i++) {
      char *t = test_read_corpus(i, &len);
      long k = all_matches(w, sc, t, len, 0, spans, 0);
      CHECK(k > 0);
      total += k;
      free(t);
    }
    printf("info: %ld words starting with Azerbaijan in the corpus\n", total);
    lode_regex_free(w);
  }
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
}

/* ----------------------------------------------------------- iteration */
static void test_iteration(void) {
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_regex *re = compile("x*", 0);
  size_t sp[64];
  long n;

  /* Perl: x* over "abc" with /g gives 0-0 1-1 2-2 3-3. */
  n = all_matches(re, sc, "abc", 3, 0, sp, 32);
  CHECK(n == 4);
  CHECK(sp[0] == 0 && sp[1] == 0 && sp[2] == 1 && sp[3] == 1 &&
        sp[4] == 2 && sp[5] == 2 && sp[6] == 3 && sp[7] == 3);
  /* Empty subject: one empty match. */
  n = all_matches(re, sc, "", 0, 0, sp, 32);
  CHECK(n == 1 && sp[0] == 0 && sp[1] == 0);
  n = all_matches(re, sc, NULL, 0, 0, sp, 32);
  CHECK(n == 1);
  /* Multibyte and CRLF: steps are whole characters, CRLF counts as one
   * (é = 2 bytes, CRLF, ß = 2 bytes): 0, 2, 4, 6 -- never 1, 3 or 5. */
  n = all_matches(re, sc, "\xc3\xa9\r\n\xc3\x9f", 6, 0, sp, 32);
  CHECK_MSG(n == 4, "n=%ld", n);
  CHECK(sp[0] == 0 && sp[2] == 2 && sp[4] == 4 && sp[6] == 6);
  /* A lone CR and an LF each count as one character. */
  n = all_matches(re, sc, "\r\r\n\n", 4, 0, sp, 32);
  CHECK(n == 4 && sp[2] == 1 && sp[4] == 3 && sp[6] == 4);
  lode_regex_free(re);

  /* Perl: a* over "baaac" with /g gives 0-0 1-4 4-4 5-5. */
  re = compile("a*", 0);
  n = all_matches(re, sc, "baaac", 5, 0, sp, 32);
  CHECK(n == 4);
  CHECK(sp[0] == 0 && sp[1] == 0 && sp[2] == 1 && sp[3] == 4 &&
        sp[4] == 4 && sp[5] == 4 && sp[6] == 5 && sp[7] == 5);
  lode_regex_free(re);

  /* ^ with "m": CRLF, CR and LF are all line breaks. */
  re = compile("^\\w", LODE_RE_MULTILINE);
  n = all_matches(re, sc, "a\r\nb\rc\nd", 8, 0, sp, 32);
  CHECK(n == 4 && sp[0] == 0 && sp[2] == 3 && sp[4] == 5 && sp[6] == 7);
  lode_regex_free(re);
  /* "." does not match a CR. */
  re = compile(".+", 0);
  n = all_matches(re, sc, "ab\r\ncd", 6, 0, sp, 32);
  CHECK(n == 2 && sp[0] == 0 && sp[1] == 2 && sp[2] == 4 && sp[3] == 6);
  lode_regex_free(re);
  /* Empty matches between multibyte letters: \b in "Σύ ας" */
  re = compile("\\b", 0);
  n = all_matches(re, sc, "\xce\xa3\xcf\x8d \xce\xb1\xcf\x82", 9, 0, sp, 32);
  CHECK(n == 4 && sp[0] == 0 && sp[2] == 4 && sp[4] == 5 && sp[6] == 9);
  lode_regex_free(re);

  /* \K: a match that starts at its own end must still advance. */
  re = compile("a\\K", 0);
  n = all_matches(re, sc, "aaa", 3, 0, sp, 32);
  CHECK_MSG(n == 3 && sp[0] == 1 && sp[1] == 1 && sp[2] == 2 && sp[4] == 3, "n=%ld", n);
  lode_regex_free(re);
  /* Non-empty match with \K after a lookahead: still terminates. */
  re = compile("(?=ab)a\\Kb|c", 0);
  n = all_matches(re, sc, "abcab", 5, 0, sp, 32);
  CHECK(n == 3 && sp[0] == 1 && sp[1] == 2 && sp[2] == 2 && sp[3] == 3 && sp[4] == 4);
  lode_regex_free(re);

  /* Once done, the iterator stays done. */
  {
    size_t pos = 0, ov[2];
    int st = 0;
    lode_error err;
    re = compile("b", 0);
    CHECK(lode_regex_next(re, sc, "ab", 2, &pos, &st, 0, ov, &err) == 1 && ov[0] == 1);
    CHECK(lode_regex_next(re, sc, "ab", 2, &pos, &st, 0, ov, &err) == 0);
    CHECK(lode_regex_next(re, sc, "ab", 2, &pos, &st, 0, ov, &err) == 0);
    lode_regex_free(re);
  }
  lode_regex_scratch_free(sc);
}

/* ----------------------------------------------------------- encodings */

/* A start offset inside a character is rounded up to the next character
 * start, trusted subject or not: \b there once read outside the subject. */
static void test_mid_character_starts(lode_regex_scratch *sc) {
  static const char s[] = "\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80x"; /* été — 😀x */
  const size_t len = sizeof s - 1;
  const char *pats[] = {"\\b", ".", "\\B", "(?<=.)", "\\w*", "$", "\\X"};
  lode_error err;
  size_t ov[4], k, start;
  int rc;
  for (k = 0; k < sizeof pats / sizeof pats[0]; k++) {
    lode_regex *re = compile(pats[k], 0);
    for (start = 0; start <= len; start++) {
      size_t want = lode_utf8_ceil(s, len, start);
      unsigned opts;
      for (opts = 0; opts <= LODE_RE_TRUSTED; opts += LODE_RE_TRUSTED) {
        rc = lode_regex_exec(re, sc, s, len, start, opts, ov, &err);
        CHECK_MSG(rc >= 0, "%s from %zu: %s", pats[k], start, err.msg);
        if (rc == 1) {
          CHECK_MSG(ov[0] >= want, "%s from %zu matched at %zu", pats[k], start, ov[0]);
          CHECK(lode_utf8_ceil(s, len, ov[0]) == ov[0] && lode_utf8_ceil(s, len, ov[1]) == ov[1]);
        }
      }
      {   /* the iterator, started mid-character, stays on boundaries */
        size_t pos = start;
        int st = 0, n = 0;
        while (n < 64 && lode_regex_next(re, sc, s, len, &pos, &st, LODE_RE_TRUSTED, ov, &err) == 1) {
          CHECK(ov[0] >= want && lode_utf8_ceil(s, len, ov[0]) == ov[0] &&
                lode_utf8_ceil(s, len, ov[1]) == ov[1]);
          n++;
        }
        CHECK(n < 64);
      }
    }
    lode_regex_free(re);
  }
  {   /* "." from the second byte of é gives the next whole character */
    lode_regex *re = compile(".", 0);
    CHECK(lode_regex_exec(re, sc, s, len, 1, LODE_RE_TRUSTED, ov, &err) == 1 && ov[0] == 2 && ov[1] == 3);
    CHECK(lode_regex_exec(re, sc, s, len, 7, 0, ov, &err) == 1 && ov[0] == 9 && ov[1] == 10);
    lode_regex_free(re);
  }
}

static void test_encodings(void) {
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_error err;
  size_t ov[4], sp[32];
  lode_regex *re = compile("d", 0);
  int rc;

  /* Invalid UTF-8 subject without TRUSTED: an error naming the byte. */
  rc = lode_regex_exec(re, sc, "abc\xff" "def", 7, 0, 0, ov, &err);
  CHECK(rc == LODE_EENCODING);
  CHECK_MSG(err.offset == 3, "offset %zu", err.offset);
  CHECK_MSG(strstr(err.msg, "byte 3") != NULL && strstr(err.msg, "0xff") != NULL, "%s", err.msg);
  /* Truncated sequence at the end, through the iterator. */
  {
    size_t pos = 0;
    int st = 0;
    rc = lode_regex_next(re, sc, "abcd\xc3", 5, &pos, &st, 0, ov, &err);
    CHECK(rc == LODE_EENCODING && err.offset == 4);
  }
  lode_regex_free(re);
  /* Invalid bytes just before the (rounded) start: ^ with m and \b read
   * the character there, and JIT and interpreter read it differently
   * (found by tests/fuzz/fuzz_regex: "^.*$" matched "(" for one, not for
   * the other), so without TRUSTED it is an error naming the byte. */
  {
    static const char bad[] = "\0\0\0\0\0\0\0\xed\xed \xc2\xa6\n\xaf\x9c(";
    const size_t blen = sizeof bad - 1;
    unsigned jit;
    for (jit = 0; jit <= LODE_RE_NOJIT; jit += LODE_RE_NOJIT) {
      lode_regex *line = lode_regex_compile("^.*$", 4, LODE_RE_MULTILINE | jit, &err);
      lode_regex *edge = lode_regex_compile("\\b", 2, jit, &err);
      size_t start;
      for (start = 13; start <= 15; start++) {
        rc = lode_regex_exec(line, sc, bad, blen, start, 0, ov, &err);
        CHECK_MSG(rc == LODE_EENCODING && err.offset == 13 && strstr(err.msg, "byte 13"),
                  "from %zu: %d %s", start, rc, err.msg);
      }
      CHECK(lode_regex_exec(edge, sc, "\xff" "ab", 3, 1, 0, ov, &err) == LODE_EENCODING && err.offset == 0);
      /* valid characters before the start are read as before */
      CHECK(lode_regex_exec(line, sc, "\xc3\xa9\n(", 4, 3, 0, ov, &err) == 1 && ov[0] == 3 && ov[1] == 4);
      CHECK(lode_regex_exec(line, sc, "\xc3\xa9(", 3, 1, 0, ov, &err) == 0);
      CHECK(lode_regex_exec(edge, sc, "\xc3\xa9 ab", 5, 3, 0, ov, &err) == 1 && ov[0] == 3);
      lode_regex_free(line);
      lode_regex_free(edge);
    }
  }
  test_mid_character_starts(sc);

  /* NUL bytes inside subject and pattern, explicit lengths. */
  re = lode_regex_compile("a\0b", 3, 0, &err);
  CHECK(re != NULL);
  if (re) {
    size_t plen;
    CHECK(lode_regex_exec(re, sc, "xa\0by", 5, 0, 0, ov, &err) == 1 && ov[0] == 1 && ov[1] == 4);
    CHECK(lode_regex_exec(re, sc, "xa", 2, 0, 0, ov, &err) == 0);
    CHECK(memcmp(lode_regex_pattern(re, &plen), "a\0b", 3) == 0 && plen == 3);
    lode_regex_free(re);
  }
  re = compile("[^\\x00]+", 0);
  CHECK(all_matches(re, sc, "ab\0\0cd\0", 7, 0, sp, 16) == 2 && sp[0] == 0 && sp[1] == 2 &&
        sp[2] == 4 && sp[3] == 6);
  lode_regex_free(re);

  /* Caseless Unicode: Σ matches both σ and final ς under "i". */
  re = compile("\xce\xa3\xce\x91\xce\xa3", LODE_RE_CASELESS); /* ΣΑΣ */
  CHECK(lode_regex_exec(re, sc, "\xcf\x83\xce\xb1\xcf\x82", 6, 0, 0, ov, &err) == 1); /* σας */
  lode_regex_free(re);
  re = compile("\xce\xa3\xce\x91\xce\xa3", 0);
  CHECK(lode_regex_exec(re, sc, "\xcf\x83\xce\xb1\xcf\x82", 6, 0, 0, ov, &err) == 0);
  lode_regex_free(re);
  /* UCP: \w and \d know non-ASCII letters and digits. */
  re = compile("^\\w+$", 0);
  CHECK(lode_regex_exec(re, sc, "Az\xc9\x99rbaycan", 11, 0, 0, ov, &err) == 1); /* Azərbaycan */
  lode_regex_free(re);

  /* Literal flag: metacharacters are plain. */
  re = compile("U.S. (CSTO)", LODE_RE_LITERAL);
  CHECK(lode_regex_exec(re, sc, "the U.S. (CSTO) and", 19, 0, 0, ov, &err) == 1 && ov[0] == 4 && ov[1] == 15);
  CHECK(lode_regex_exec(re, sc, "the UxSx CSTO and", 17, 0, 0, ov, &err) == 0);
  lode_regex_free(re);
  re = compile("u.s.", LODE_RE_LITERAL | LODE_RE_CASELESS | LODE_RE_EXTENDED | LODE_RE_DOTALL);
  CHECK(lode_regex_exec(re, sc, "in the U.S.", 11, 0, 0, ov, &err) == 1 && ov[0] == 7);
  lode_regex_free(re);
  re = compile("\xce\xa3\xce\xb1", LODE_RE_LITERAL | LODE_RE_CASELESS); /* Σα, Unicode caseless */
  CHECK(lode_regex_exec(re, sc, "x\xcf\x83\xce\x91", 5, 0, 0, ov, &err) == 1 && ov[0] == 1);
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
}

/* -------------------------------------------------------------- limits */
static void test_limits(void) {
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_error err;
  size_t ov[4];
  char subj[32];
  lode_regex *re = compile("(a+)+$", 0);
  double t0, dt;
  int rc;

  memset(subj, 'a', 30);
  subj[30] = 'b';
  t0 = test_now();
  rc = lode_regex_exec(re, sc, subj, 31, 0, 0, ov, &err);
  dt = test_now() - t0;
  CHECK_MSG(rc == LODE_ELIMIT, "rc=%d %s", rc, err.msg);
  if (!under_valgrind) CHECK_MSG(dt < 1.0, "took %.3f s", dt);  /* hang guard */
  CHECK_MSG(strstr(err.msg, "too expensive") != NULL && strstr(err.msg, "\"(a+)+$\"") != NULL,
            "%s", err.msg);
  printf("info: (a+)+$ on 30 a's + b gave up after %.3f s (JIT %s): %s\n", dt,
         lode_regex_jitted(re) ? "on" : "off", err.msg);
  /* The interpreter gives up too (same match limit). */
  {
    lode_regex *ri = compile("(a+)+$", LODE_RE_NOJIT);
    CHECK(lode_regex_jitted(ri) == 0);
    t0 = test_now();
    rc = lode_regex_exec(ri, sc, subj, 31, 0, 0, ov, &err);
    dt = test_now() - t0;
    CHECK_MSG(rc == LODE_ELIMIT, "rc=%d %s", rc, err.msg);
    /* Informational only: the interpreter is ~5x slower per step and the
     * default (JIT) path above is the one guarded. */
    printf("info: same with the interpreter: %.3f s\n", dt);
    lode_regex_free(ri);
  }
  /* Iteration reports the same error. */
  {
    size_t pos = 0;
    int st = 0;
    CHECK(lode_regex_next(re, sc, subj, 31, &pos, &st, 0, ov, &err) == LODE_ELIMIT);
  }
  /* Tight limits set per scratch: a modest search now fails ... */
  lode_regex_scratch_limits(sc, 50, 10);
  CHECK(lode_regex_exec(re, sc, subj + 9, 22, 0, 0, ov, &err) == LODE_ELIMIT);
  /* ... and defaults (0) restore it. */
  lode_regex_scratch_limits(sc, 0, 0);
  CHECK(lode_regex_exec(re, sc, subj, 30, 0, 0, ov, &err) == 1 && ov[1] == 30);
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
}

/* ------------------------------------------- trusted (direct JIT) calls */

/* A trusted subject goes to the JIT code without pcre2_match() in between:
 * same answers as the checked call, start-of-pattern settings honoured,
 * limits enforced. */
static void test_trusted_calls(void) {
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_error err;
  size_t ov[8], sp[64], sp2[64];
  char subj[32];
  long n, n2;
  lode_regex *ne = compile("(*NOTEMPTY)x*", 0);
  lode_regex *na = compile("(*NOTEMPTY_ATSTART)x*", 0);
  lode_regex *lim = compile("(a+)+$", 0);
  lode_regex *caps = compile("(\\w+)@(\\w+)?", LODE_RE_CASELESS);
  unsigned trust;
  CHECK(sc && ne && na && lim && caps);
  for (trust = 0; trust <= LODE_RE_TRUSTED; trust += LODE_RE_TRUSTED) {
    /* (*NOTEMPTY): the empty match at 0 is refused, "xx" at 2 found */
    CHECK(lode_regex_exec(ne, sc, "abxx", 4, 0, trust, ov, &err) == 1 && ov[0] == 2 && ov[1] == 4);
    CHECK(lode_regex_exec(ne, sc, "ab", 2, 0, trust, ov, &err) == 0);
    /* (*NOTEMPTY_ATSTART): an empty match after the start is allowed */
    CHECK(lode_regex_exec(na, sc, "ab", 2, 0, trust, ov, &err) == 1 && ov[0] == 1 && ov[1] == 1);
    /* captures, an unset group, a start offset */
    CHECK(lode_regex_exec(caps, sc, "to: Ann@ \xc3\xa9ve@Host", 18, 4, trust, ov, &err) == 1);
    CHECK(ov[0] == 4 && ov[1] == 8 && ov[2] == 4 && ov[3] == 7 && ov[4] == LODE_NOPOS);
    CHECK(lode_regex_exec(caps, sc, "to: Ann@ \xc3\xa9ve@Host", 18, 8, trust, ov, &err) == 1);
    CHECK(ov[0] == 9 && ov[1] == 18 && ov[2] == 9 && ov[3] == 13 && ov[4] == 14 && ov[5] == 18);
    /* limits: the default and a tight one per scratch */
    memset(subj, 'a', 30);
    subj[30] = 'b';
    CHECK(lode_regex_exec(lim, sc, subj, 31, 0, trust, ov, &err) == LODE_ELIMIT);
    CHECK(strstr(err.msg, "too expensive") != NULL);
    lode_regex_scratch_limits(sc, 50, 10);
    CHECK(lode_regex_exec(lim, sc, subj + 9, 22, 0, trust, ov, &err) == LODE_ELIMIT);
    lode_regex_scratch_limits(sc, 0, 0);
    CHECK(lode_regex_exec(lim, sc, subj, 30, 0, trust, ov, &err) == 1 && ov[1] == 30);
  }
  /* iteration (NOTEMPTY_ATSTART, then ANCHORED retries): trusted = checked */
  n = all_matches(na, sc, "xaxx\xc3\xa9", 6, 0, sp, 32);
  n2 = all_matches(na, sc, "xaxx\xc3\xa9", 6, LODE_RE_TRUSTED, sp2, 32);
  CHECK_MSG(n > 0 && n == n2 && memcmp(sp, sp2, sizeof(size_t) * 2 * (size_t)n) == 0, "n=%ld n2=%ld", n, n2);
  lode_regex_free(ne);
  lode_regex_free(na);
  lode_regex_free(lim);
  lode_regex_free(caps);
  lode_regex_scratch_free(sc);
}

/* ------------------------------------------------------- huge subject */
static void test_huge(void) {
  const size_t len = test_scale(20u * 1024 * 1024);
  char *s = malloc(len);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  lode_error err;
  size_t ov[2], i, sp[4];
  lode_regex *re;
  long n;
  double t0;

  /* 20 MB, one line, "é" every 64 bytes, a date at the very end. */
  for (i = 0; i < len; i++) s[i] = (char)('a' + i % 26);
  for (i = 0; i + 2 < len; i += 64) { s[i] = '\xc3'; s[i + 1] = '\xa9'; }
  memcpy(s + len - 16, "December 3, 2021", 16);
  re = compile(DATE_RE, 0);
  t0 = test_now();
  CHECK(lode_regex_exec(re, sc, s, len, 0, 0, ov, &err) == 1 && ov[0] == len - 16 && ov[1] == len);
  printf("info: date search over 20 MB (UTF check on): %.1f ms\n", (test_now() - t0) * 1e3);
  lode_regex_free(re);
  /* Iterating over every é of a trusted subject is linear. */
  re = compile("\xc3\xa9", 0);
  t0 = test_now();
  n = all_matches(re, sc, s, len, LODE_RE_TRUSTED, sp, 0);
  CHECK_MSG(n == (long)((len - 16 + 63) / 64), "n=%ld", n);
  printf("info: %ld matches over 20 MB in %.1f ms\n", n, (test_now() - t0) * 1e3);
  lode_regex_free(re);
  /* A bad byte near the end of the huge subject is found. */
  s[len - 100] = '\xff';
  re = compile("zzz", 0);
  CHECK(lode_regex_exec(re, sc, s, len, 0, 0, ov, &err) == LODE_EENCODING && err.offset == len - 100);
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
  free(s);
}

/* ------------------------------------------------------------- threads */
struct job {
  const lode_regex *re;
  const char *s;
  size_t len;
  size_t *spans;
  size_t max;
  long n;
};

static void *worker(void *arg) {
  struct job *j = arg;
  lode_regex_scratch *sc = lode_regex_scratch_new();
  int round;
  /* Several rounds so the two threads really overlap. */
  for (round = 0; round < 20; round++)
    j->n = sc ? all_matches(j->re, sc, j->s, j->len, LODE_RE_TRUSTED, j->spans, j->max) : -1;
  lode_regex_scratch_free(sc);
  return NULL;
}

static void test_threads(void) {
  const char *pats[] = { DATE_RE, "\\b\\w+\\b", "(?i)armenia\\w*|azerbaijan\\w*" };
  size_t len, p;
  char *all = test_corpus_repeated(0, &len);
  for (p = 0; p < 3; p++) {
    lode_regex *re = compile(pats[p], 0);
    lode_regex_scratch *sc = lode_regex_scratch_new();
    size_t max = 40000;
    size_t *ref = malloc(sizeof(size_t) * 2 * max);
    struct job jobs[2];
    pthread_t th[2];
    size_t ov[2];
    long nref;
    /* One untrusted exec validates the subject; iteration then trusts it. */
    CHECK(lode_regex_exec(re, sc, all, len, 0, 0, ov, NULL) == 1);
    nref = all_matches(re, sc, all, len, LODE_RE_TRUSTED, ref, max);
    int k;
    CHECK(nref > 0 && (size_t)nref <= max);
    for (k = 0; k < 2; k++) {
      jobs[k].re = re; jobs[k].s = all; jobs[k].len = len; jobs[k].max = max;
      jobs[k].spans = malloc(sizeof(size_t) * 2 * max);
      jobs[k].n = -1;
      CHECK(pthread_create(&th[k], NULL, worker, &jobs[k]) == 0);
    }
    for (k = 0; k < 2; k++) {
      pthread_join(th[k], NULL);
      CHECK_MSG(jobs[k].n == nref, "pattern %zu thread %d: %ld vs %ld", p, k, jobs[k].n, nref);
      CHECK(memcmp(jobs[k].spans, ref, sizeof(size_t) * 2 * (size_t)nref) == 0);
      free(jobs[k].spans);
    }
    free(ref);
    lode_regex_scratch_free(sc);
    lode_regex_free(re);
  }
  free(all);
}

/* --------------------------------------------------------- throughput */
static void bench(void) {
  size_t clen, len;
  char *c = test_corpus_repeated(0, &clen), *big = test_corpus_repeated(50u << 20, &len);
  lode_regex *re = compile(DATE_RE, 0);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  double t0, dt;
  long n;
  size_t sp[2];
  t0 = test_now();
  n = all_matches(re, sc, big, len, LODE_RE_TRUSTED, sp, 0);
  dt = test_now() - t0;
  CHECK(n == 23 * (long)(len / clen));
  printf("info: date pattern over %.1f MB of corpus text: %ld matches, %.0f MB/s (JIT %s)\n",
         (double)len / 1e6, n, (double)len / 1e6 / dt, lode_regex_jitted(re) ? "on" : "off");
  lode_regex_free(re);
  lode_regex_scratch_free(sc);
  free(big);
  free(c);
}

int main(void) {
  const char *pre = getenv("LD_PRELOAD");
  under_valgrind = pre && strstr(pre, "vgpreload") != NULL;
  if (under_valgrind) {
    extra_flags = LODE_RE_NOJIT;
    printf("info: running under valgrind: interpreter only, no timing assertion\n");
  }
  test_flags();
  test_word_window();
  test_compile_errors();
  test_accessors();
  test_corpus();
  test_iteration();
  test_encodings();
  test_limits();
  test_trusted_calls();
  test_huge();
  test_threads();
  if (test_bench_wanted()) bench();
  return test_report();
}
