/*
 * test_utf8.c -- strict UTF-8 validation, decoding and encoding.
 *
 * Besides hand-written cases from RFC 3629 and Unicode 15 section 3.9, the
 * decoder is compared with utf8proc_iterate() (an independent strict
 * decoder) over every 1-, 2- and 3-byte sequence and a sweep of 4-byte
 * ones, and the fast validator is compared with a byte-by-byte one on
 * corrupted copies of the corpus.
 */
#include "test.h"

#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The obvious validator the fast one must agree with. */
static size_t slow_valid_prefix(const char *s, size_t len) {
  size_t i = 0, n;
  int32_t cp;
  while (i < len && (n = lode_utf8_decode(s, len, i, &cp)) > 0) i += n;
  return i;
}

#define VALID(lit) (lode_utf8_valid_prefix((lit), sizeof(lit) - 1))

static void test_valid_prefix(void) {
  CHECK(lode_utf8_valid_prefix("", 0) == 0);
  CHECK(VALID("plain ascii") == 11);
  CHECK(VALID("caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xF0\x9F\x98\x80") == 18);
  CHECK(VALID("a\0b") == 3);                              /* NUL is a byte */
  CHECK(VALID("\xEF\xBF\xBF\xF4\x8F\xBF\xBF") == 7);      /* U+FFFF, U+10FFFF */
  CHECK(VALID("\xED\x9F\xBF\xEE\x80\x80") == 6);          /* around surrogates */

  /* Overlongs: "/" as C0 AF, E0 80 AF, F0 80 80 AF; C1 BF. */
  CHECK(VALID("ab\xC0\xAF") == 2);
  CHECK(VALID("ab\xC1\xBF") == 2);
  CHECK(VALID("abc\xE0\x80\xAF") == 3);
  CHECK(VALID("abc\xE0\x9F\xBF") == 3);
  CHECK(VALID("\xF0\x80\x80\xAF") == 0);
  CHECK(VALID("\xF0\x8F\xBF\xBF") == 0);
  /* Surrogates U+D800, U+DFFF. */
  CHECK(VALID("x\xED\xA0\x80") == 1);
  CHECK(VALID("x\xED\xBF\xBF") == 1);
  /* Above U+10FFFF, and the never-valid bytes. */
  CHECK(VALID("xy\xF4\x90\x80\x80") == 2);
  CHECK(VALID("\xF5\x80\x80\x80") == 0);
  CHECK(VALID("\xFF") == 0);
  CHECK(VALID("\xFE") == 0);
  /* Lone continuation bytes, start and middle. */
  CHECK(VALID("\x80") == 0);
  CHECK(VALID("abc\xBF" "def") == 3);
  CHECK(VALID("\xC3\xA9\xA9") == 2);
  /* Truncated at the end of the buffer. */
  CHECK(VALID("abc\xC3") == 3);
  CHECK(VALID("abc\xE2\x80") == 3);
  CHECK(VALID("abc\xF0\x9F\x98") == 3);
  /* A bad byte after long ASCII runs, at every position of the word loop. */
  {
    char buf[64];
    size_t k;
    for (k = 0; k < sizeof buf; k++) {
      memset(buf, 'a', sizeof buf);
      buf[k] = (char)0xFF;
      CHECK_MSG(lode_utf8_valid_prefix(buf, sizeof buf) == k, "k=%zu", k);
      /* The length limits the scan: bytes past `len` are never judged. */
      CHECK(lode_utf8_valid_prefix(buf, k) == k);
    }
  }
}

static void test_decode_encode(void) {
  int32_t cp = 0;
  char out[4];
  size_t n;

  CHECK(lode_utf8_decode("A", 1, 0, &cp) == 1 && cp == 'A');
  CHECK(lode_utf8_decode("\xC3\xA9", 2, 0, &cp) == 2 && cp == 0xE9);
  CHECK(lode_utf8_decode("\xE2\x80\x9C", 3, 0, &cp) == 3 && cp == 0x201C);
  CHECK(lode_utf8_decode("\xF0\x9F\x98\x80", 4, 0, &cp) == 4 && cp == 0x1F600);
  CHECK(lode_utf8_decode("\xED\xA0\x80", 3, 0, &cp) == 0 && cp == 0xFFFD);
  CHECK(lode_utf8_decode("\xF4\x90\x80\x80", 4, 0, &cp) == 0 && cp == 0xFFFD);
  CHECK(lode_utf8_decode("\xE2\x80\x9C", 2, 0, &cp) == 0 && cp == 0xFFFD);
  CHECK(lode_utf8_decode("ab", 2, 2, &cp) == 0);          /* i == len */

  /* Maximal subparts: Unicode 15 tables 3-8 to 3-11 split into runs. */
  CHECK(lode_utf8_invalid_len("\xF1\x80\x80\xE1", 4, 0) == 3);
  CHECK(lode_utf8_invalid_len("\xE1\x80\xC2", 3, 0) == 2);
  CHECK(lode_utf8_invalid_len("\xC2\x62", 2, 0) == 1);
  CHECK(lode_utf8_invalid_len("\xE0\x80\xBF", 3, 0) == 1);
  CHECK(lode_utf8_invalid_len("\xED\xA0\x80", 3, 0) == 1);
  CHECK(lode_utf8_invalid_len("\xF4\x91\x92\x93", 4, 0) == 1);
  CHECK(lode_utf8_invalid_len("\xF0\x91\x92", 3, 0) == 3);  /* truncated */
  CHECK(lode_utf8_invalid_len("\xF1\xBF\x41", 3, 0) == 2);
  CHECK(lode_utf8_invalid_len("\xC3\xA9", 2, 0) == 0);      /* valid */

  CHECK((n = lode_utf8_encode(0x41, out)) == 1 && out[0] == 'A');
  CHECK((n = lode_utf8_encode(0xE9, out)) == 2 && memcmp(out, "\xC3\xA9", 2) == 0);
  CHECK((n = lode_utf8_encode(0x20AC, out)) == 3 && memcmp(out, "\xE2\x82\xAC", 3) == 0);
  CHECK((n = lode_utf8_encode(0x10FFFF, out)) == 4 && memcmp(out, "\xF4\x8F\xBF\xBF", 4) == 0);
  CHECK(lode_utf8_encode(0xD800, out) == 0);
  CHECK(lode_utf8_encode(0xDFFF, out) == 0);
  CHECK(lode_utf8_encode(0x110000, out) == 0);
  CHECK(lode_utf8_encode(-1, out) == 0);
}

/* Compare lode_utf8_decode with utf8proc_iterate on one sequence; on a
 * mismatch count it once and describe it. */
static int agree(const unsigned char *b, size_t n) {
  int32_t cp = -1;
  utf8proc_int32_t ucp = -1;
  size_t got = lode_utf8_decode((const char *)b, n, 0, &cp);
  utf8proc_ssize_t ref = utf8proc_iterate(b, (utf8proc_ssize_t)n, &ucp);
  /* utf8proc reports the length of a well-formed sequence even when more
   * bytes follow; lode must decode exactly the same ones. */
  if (ref < 0) return got == 0;
  return got == (size_t)ref && cp == ucp;
}

/* lode_utf8_skip_multibyte stops at ASCII, at a bad sequence, or at the end;
 * it returns i itself when s[i] is ASCII or bad. Checked against decoding
 * one code point at a time on every start offset of some nasty strings. */
static void test_skip_multibyte(void) {
  static const char *const cases[] = {
    "\xC3\xA9\xE2\x80\x9C\xF0\x9F\x98\x80" "a",  /* é “ 😀 then ASCII */
    "\xE2\x80\x9Dx\xE2\x80",                     /* truncated at the end */
    "\xC3\xA9\xFF\xC3\xA9",                      /* bad byte in a run */
    "\xED\xA0\x80\xED\x9F\xBF",                  /* surrogate, then U+D7FF */
    "\xC0\xAF\xF4\x90\x80\x80\xF4\x8F\xBF\xBF",  /* overlong, > U+10FFFF, U+10FFFF */
    "\x80\x80",                                  /* lone continuations */
    "",
  };
  size_t c, i, bad = 0;
  for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const char *s = cases[c];
    size_t len = strlen(s);
    for (i = 0; i <= len; i++) {
      size_t j = i, got = lode_utf8_skip_multibyte(s, len, i);
      int32_t cp;
      while (j < len && (unsigned char)s[j] >= 0x80) {
        size_t n = lode_utf8_decode(s, len, j, &cp);
        if (n == 0) break;
        j += n;
      }
      if (got != j) {
        bad++;
        CHECK_MSG(got == j, "case %zu at %zu: got %zu, want %zu", c, i, got, j);
      }
    }
  }
  CHECK(bad == 0);
  CHECK(lode_utf8_skip_multibyte("\xC3\xA9" "a", 3, 0) == 2);
  CHECK(lode_utf8_skip_multibyte("\xC3\xA9" "a", 3, 2) == 2);   /* ASCII: stays */
  CHECK(lode_utf8_skip_multibyte("\xC3\xA9\xFF", 3, 0) == 2);   /* stops at the bad byte */
  CHECK(lode_utf8_skip_multibyte("\xFF", 1, 0) == 0);
  CHECK(lode_utf8_skip_multibyte("\xE2\x80\x9C", 2, 0) == 0);   /* cut by len */
  CHECK(lode_utf8_skip_multibyte("\xE2\x80\x9C", 3, 3) == 3);   /* i == len */
}

static void test_against_utf8proc(void) {
  unsigned char b[4];
  unsigned x, y, z;
  size_t bad = 0, total = 0, roundtrip_bad = 0;

  /* Every 1-, 2- and 3-byte sequence (16.8 million, a fraction of a second). */
  for (x = 0; x < 256; x++) {
    b[0] = (unsigned char)x;
    total++; bad += !agree(b, 1);
    for (y = 0; y < 256; y++) {
      b[1] = (unsigned char)y;
      total++; bad += !agree(b, 2);
      for (z = 0; z < 256; z++) {
        b[2] = (unsigned char)z;
        total++; bad += !agree(b, 3);
      }
    }
  }
  /* 4-byte: every lead and second byte, the edges and middle of the rest. */
  {
    static const unsigned char tails[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0xA5, 0xBF, 0xC0, 0xFF};
    size_t i, j;
    for (x = 0xF0; x < 256; x++)
      for (y = 0; y < 256; y++)
        for (i = 0; i < sizeof tails; i++)
          for (j = 0; j < sizeof tails; j++) {
            b[0] = (unsigned char)x; b[1] = (unsigned char)y;
            b[2] = tails[i]; b[3] = tails[j];
            total++; bad += !agree(b, 4);
          }
  }
  CHECK_MSG(bad == 0, "%zu of %zu sequences disagree with utf8proc", bad, total);

  /* Every scalar value encodes and decodes back to itself. */
  {
    int32_t cp, back;
    char out[4];
    size_t n;
    for (cp = 0; cp <= 0x10FFFF; cp++) {
      if (cp == 0xD800) cp = 0xE000;
      n = lode_utf8_encode(cp, out);
      if (n == 0 || lode_utf8_decode(out, n, 0, &back) != n || back != cp)
        roundtrip_bad++;
    }
    CHECK_MSG(roundtrip_bad == 0, "%zu code points do not round-trip", roundtrip_bad);
  }
}

/* xorshift64: a deterministic stream of corruptions, local state only. */
static uint64_t next_rand(uint64_t *s) {
  *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
  return *s;
}

static void test_corpus(void) {
  size_t f;
  uint64_t seed = 0x9E3779B97F4A7C15u;

  for (f = 0; f < TEST_NCORPUS; f++) {
    size_t len = 0, k, mismatches = 0;
    char *s = test_read_corpus(f, &len);
    CHECK_MSG(len > 0, "empty corpus/%s", test_corpus_files[f]);
    if (!len) { free(s); continue; }  /* % len below */
    CHECK_MSG(lode_utf8_valid_prefix(s, len) == len, "corpus/%s", test_corpus_files[f]);
    CHECK(slow_valid_prefix(s, len) == len);

    /* Corrupt one byte at a time and check fast == slow, and that the
     * reported prefix really is valid and stops at the damage or before. */
    for (k = 0; k < 2000; k++) {
      size_t pos = (size_t)(next_rand(&seed) % len);
      char save = s[pos];
      size_t fast, slow;
      s[pos] = (char)(next_rand(&seed) & 0xFF);
      fast = lode_utf8_valid_prefix(s, len);
      slow = slow_valid_prefix(s, len);
      if (fast != slow || fast > len) mismatches++;
      s[pos] = save;
    }
    CHECK_MSG(mismatches == 0, "corpus/%s: %zu fast/slow mismatches", test_corpus_files[f], mismatches);
    free(s);
  }
}

/* Rounding a byte position up to a character start. */
static void test_ceil(void) {
  static const char s[] = "a\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80"; /* aé—😀 */
  static const size_t want[] = {0, 1, 3, 3, 6, 6, 6, 10, 10, 10, 10};
  const size_t len = sizeof s - 1;
  size_t i;
  for (i = 0; i <= len; i++)
    CHECK_MSG(lode_utf8_ceil(s, len, i) == want[i], "ceil(%zu) = %zu", i, lode_utf8_ceil(s, len, i));
  /* stray continuation bytes run to the end, never past it */
  CHECK(lode_utf8_ceil("\x80\x80\x80", 3, 0) == 3);
  CHECK(lode_utf8_ceil("", 0, 0) == 0);
}

/* Narrowing a byte range to whole characters. */
static void test_narrow(void) {
  static const char s[] = "a\xc3\xa9\xe2\x80\x94z"; /* aé—z: starts 0 1 3 6 */
  static const struct { size_t a, b, want_a, want_b; } cases[] = {
    {0, 7, 0, 7}, {1, 6, 1, 6}, {2, 7, 3, 7},  /* a cut é is left out */
    {0, 4, 0, 3}, {0, 5, 0, 3}, {2, 5, 3, 3},  /* so is a cut — */
    {4, 5, 5, 5}, {0, 0, 0, 0}, {7, 7, 7, 7},  /* inside one character: empty */
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    size_t a = cases[k].a, b = cases[k].b;
    lode_utf8_narrow(s, sizeof s - 1, &a, &b);
    CHECK_MSG(a == cases[k].want_a && b == cases[k].want_b, "narrow(%zu, %zu) = %zu, %zu",
              cases[k].a, cases[k].b, a, b);
  }
  /* stray continuation bytes: never past the range */
  size_t a = 1, b = 2;
  lode_utf8_narrow("\x80\x80\x80", 3, &a, &b);
  CHECK(a == 2 && b == 2);
}

/* A capital: ASCII anywhere, else an upper-case letter opening a word. */
static void test_has_capital(void) {
  static const struct { const char *s; int want; } cases[] = {
    {"Baku", 1}, {"iPhone", 1}, {"baku", 0}, {"", 0}, {"12 km", 0},
    {"\xc5\x9eu\xc5\x9f" "a", 1},             /* Şuşa */
    {"\xd0\xa8\xd1\x83\xd1\x88\xd0\xb0", 1},  /* Шуша */
    {"la r\xc3\xa9union", 0},                     /* réunion */
    {"l'\xc3\x89lys\xc3\xa9" "e", 1},          /* l'Élysée: É opens a word */
    {"\xd1\x88\xd0\xa8", 0},                    /* шШ: Ш inside a word */
    {"2\xc3\x89", 0},                             /* after a digit */
    {"\xe2\x80\x94", 0},                         /* a dash */
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    CHECK_MSG(lode_utf8_has_capital(cases[k].s, strlen(cases[k].s)) == cases[k].want,
              "has_capital case %zu", k);
}

/* ~50 MB of the corpus repeated; prints the validation speed (information,
 * not an assertion: machines differ) and checks the result. */
static void bench_validate(void) {
  size_t total = 0;
  char *big = test_corpus_repeated(50u << 20, &total);
  double secs, best = 1e9;
  int round;

  if (!big) { CHECK(big != NULL); return; }
  CHECK(slow_valid_prefix(big, total) == total);
  for (round = 0; round < 3; round++) {
    size_t got;
    double t0 = test_now();
    got = lode_utf8_valid_prefix(big, total);
    secs = test_now() - t0;
    CHECK(got == total);
    if (secs < best) best = secs;
  }
  printf("utf8 validate: %.1f MB in %.2f ms: %.0f MB/s (best of 3)\n",
         (double)total / 1e6, best * 1e3, (double)total / 1e6 / best);
  free(big);
}

int main(void) {
  test_valid_prefix();
  test_decode_encode();
  test_skip_multibyte();
  test_ceil();
  test_narrow();
  test_has_capital();
  test_against_utf8proc();
  test_corpus();
  if (test_bench_wanted()) bench_validate();
  return test_report();
}
