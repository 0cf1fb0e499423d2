/*
 * test_text.c -- loading: encodings, policies, binary input, line index.
 *
 * Fixtures live in tests/fixtures/encoding/; the expected output of the
 * replace and single-byte fixtures was produced by other decoders
 * (Python's codecs, checked against ICU's uconv), not by lode.
 */
#include "test.h"
#include "text.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define FIX LODE_SOURCE_DIR "/tests/fixtures/encoding/"

/* Reference line numbering, byte by byte: line of every offset 0..len. */
static void ref_lines(const char *s, size_t len, size_t *line_of, size_t *count) {
  size_t i, line = 1;
  for (i = 0; i <= len; i++) {
    line_of[i] = line;
    if (i < len && (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) &&
        i + 1 < len)
      line++;
  }
  *count = len ? line : 0;
}

static lode_text *mem(const char *s, size_t len, lode_invalid_policy p, lode_error *err) {
  lode_load_opts o = {p, NULL};
  return lode_text_from_memory(NULL, s, len, &o, err);
}

static lode_text *file(const char *path, lode_invalid_policy p, lode_error *err) {
  lode_load_opts o = {p, NULL};
  return lode_text_load(path, &o, err);
}

#define MEM(lit, p, err) mem((lit), sizeof(lit) - 1, (p), (err))

/* The text's bytes equal the literal. */
#define CHECK_TEXT(t, lit) \
  do { size_t n_ = 0; const char *b_ = (t) ? lode_text_bytes((t), &n_) : ""; \
       CHECK_BYTES(b_, (t) ? n_ : (size_t)-1, lit); } while (0)

#define CHECK_SPAN(t, line, lit) \
  do { size_t s_ = 0, e_ = 0, n_; const char *b_ = lode_text_bytes((t), &n_); \
       CHECK(lode_text_line_span((t), (line), &s_, &e_) == LODE_OK); \
       CHECK_BYTES(b_ + s_, e_ - s_, lit); } while (0)

/* ---------------------------------------------------------------------- */

static void test_corpus(void) {
  size_t f;
  for (f = 0; f < TEST_NCORPUS; f++) {
    char path[1024];
    size_t len = 0, n = 0, i, *ref, count, bad_line_of = 0, rebuilt = 0, k;
    char *raw;
    lode_error err;
    lode_text *t;
    const char *b;
    const lode_encoding_report *enc;

    raw = test_slurp(test_corpus_path(f, path, sizeof path), &len);
    CHECK_MSG(raw != NULL, "cannot read %s", path);
    if (!raw) continue;
    t = lode_text_load(path, NULL, &err);
    CHECK_MSG(t != NULL, "%s", err.msg);
    if (!t) { free(raw); continue; }
    CHECK(err.code == LODE_OK);
    b = lode_text_bytes(t, &n);
    CHECK(n == len && memcmp(b, raw, len) == 0);
    CHECK(strcmp(lode_text_name(t), path) == 0);
    enc = lode_text_encoding(t);
    CHECK(strcmp(enc->encoding, "utf-8") == 0 && enc->bom == 0 && enc->replaced == 0);
    CHECK(enc->source_bytes == len);

    /* wc -l counts '\n'; a final line without one counts too. */
    {
      size_t nl = 0;
      for (i = 0; i < len; i++) nl += raw[i] == '\n';
      if (len && raw[len - 1] != '\n') nl++;
      CHECK_MSG(lode_text_line_count(t) == nl, "%s: %zu lines, expected %zu",
                test_corpus_files[f], lode_text_line_count(t), nl);
    }
    ref = malloc((len + 1) * sizeof *ref);
    if (ref) {
      ref_lines(raw, len, ref, &count);
      CHECK(lode_text_line_count(t) == count);
      for (i = 0; i <= len; i++) bad_line_of += lode_text_line_of(t, i) != ref[i];
      CHECK_MSG(bad_line_of == 0, "%s: %zu offsets on the wrong line", test_corpus_files[f], bad_line_of);
      free(ref);
    }
    /* The spans joined with the breaks give back the file. */
    for (k = 1; k <= lode_text_line_count(t); k++) {
      size_t s, e;
      if (lode_text_line_span(t, k, &s, &e) != LODE_OK || s != rebuilt ||
          memchr(b + s, '\n', e - s) || memcmp(b + s, raw + s, e - s) != 0)
        break;
      rebuilt = e < len ? e + 1 : e;
    }
    CHECK_MSG(rebuilt == len, "%s: spans rebuild %zu of %zu bytes", test_corpus_files[f], rebuilt, len);

    /* Valid UTF-8 stays UTF-8 under the single-byte fallbacks. */
    {
      lode_text *t2 = file(path, LODE_INVALID_CP1252, &err);
      size_t n2 = 0;
      CHECK(t2 && strcmp(lode_text_encoding(t2)->encoding, "utf-8") == 0);
      CHECK(t2 && lode_text_bytes(t2, &n2) && n2 == len);
      lode_text_free(t2);
    }
    lode_text_free(t);
    free(raw);
  }
}

static void test_line_breaks(void) {
  lode_error err;
  lode_text *t = MEM("a\r\nb\rc\n\rd", LODE_INVALID_ERROR, &err);
  static const size_t want[] = {1, 1, 1, 2, 2, 3, 3, 4, 5, 5};
  size_t i, s, e;

  CHECK(t && lode_text_line_count(t) == 5);
  if (t) {
    CHECK_SPAN(t, 1, "a");
    CHECK_SPAN(t, 2, "b");
    CHECK_SPAN(t, 3, "c");
    CHECK_SPAN(t, 4, "");
    CHECK_SPAN(t, 5, "d");
    for (i = 0; i < sizeof want / sizeof want[0]; i++)   /* offsets 0..len */
      CHECK_MSG(lode_text_line_of(t, i) == want[i], "offset %zu: line %zu", i, lode_text_line_of(t, i));
    CHECK(lode_text_line_of(t, 1000) == 5);              /* past the end */
    CHECK(lode_text_line_span(t, 0, &s, &e) == LODE_EARG);
    CHECK(lode_text_line_span(t, 6, &s, &e) == LODE_EARG);
    CHECK(strcmp(lode_text_name(t), "<string>") == 0);
  }
  lode_text_free(t);

  /* A trailing break does not start a line; lone CR at the very end is one. */
  {
    static const struct { const char *s; size_t lines; const char *last; } cases[] = {
      {"x", 1, "x"}, {"x\n", 1, "x"}, {"x\r\n", 1, "x"}, {"x\r", 1, "x"},
      {"\n", 1, ""}, {"\n\n", 2, ""}, {"\r\n\r\n", 2, ""}, {"\r\r\n", 2, ""},
      {"\n\r", 2, ""}, {"a\n\nb", 3, "b"}, {"a\r\r", 2, ""}, {"ab\r\ncd", 2, "cd"},
    };
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      size_t n = strlen(cases[i].s), ls, le;
      t = mem(cases[i].s, n, LODE_INVALID_ERROR, &err);
      CHECK_MSG(t && lode_text_line_count(t) == cases[i].lines, "case %zu", i);
      if (t && lode_text_line_span(t, cases[i].lines, &ls, &le) == LODE_OK)
        CHECK_MSG(le - ls == strlen(cases[i].last) && memcmp(cases[i].s + ls, cases[i].last, le - ls) == 0,
                  "case %zu: last line [%zu,%zu)", i, ls, le);
      if (t) CHECK(lode_text_line_of(t, n) == cases[i].lines);  /* offset == len */
      lode_text_free(t);
    }
  }

  /* Offsets on a break belong to the line the break ends. */
  t = MEM("ab\r\ncd\nef", LODE_INVALID_ERROR, &err);
  if (t) {
    CHECK(lode_text_line_of(t, 2) == 1);   /* the CR */
    CHECK(lode_text_line_of(t, 3) == 1);   /* the LF of CRLF */
    CHECK(lode_text_line_of(t, 4) == 2);   /* first byte after */
    CHECK(lode_text_line_of(t, 6) == 2);   /* the LF */
    CHECK(lode_text_line_of(t, 7) == 3);
    CHECK(lode_text_line_of(t, 9) == 3);   /* == len */
  }
  lode_text_free(t);

  /* Random mixes of breaks against the byte-by-byte reference. */
  {
    uint64_t x = 88172645463325252u;
    char buf[200];
    size_t ref[201], count, round, bad = 0;
    static const char alphabet[] = "ab\r\n\n\r";
    for (round = 0; round < 500; round++) {
      size_t n = (size_t)(round % sizeof buf), k;
      for (k = 0; k < n; k++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[k] = alphabet[x % 6];
      }
      ref_lines(buf, n, ref, &count);
      t = mem(buf, n, LODE_INVALID_ERROR, &err);
      if (!t || lode_text_line_count(t) != count) { bad++; lode_text_free(t); continue; }
      for (k = 0; k <= n; k++) bad += lode_text_line_of(t, k) != ref[k];
      for (k = 1; k <= count; k++) {
        size_t s0, e0;
        lode_text_line_span(t, k, &s0, &e0);
        /* A span holds no break and starts where its line starts. */
        bad += memchr(buf + s0, '\n', e0 - s0) != NULL || memchr(buf + s0, '\r', e0 - s0) != NULL;
        bad += ref[s0] != k;
      }
      lode_text_free(t);
    }
    CHECK_MSG(bad == 0, "%zu disagreements with the reference line numbering", bad);
  }
}

static void test_empty_and_errors(void) {
  lode_error err;
  lode_text *t;
  size_t n = 99, s, e;
  const char *b;

  t = file(FIX "empty.txt", LODE_INVALID_ERROR, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    b = lode_text_bytes(t, &n);
    CHECK(b != NULL && n == 0 && b[0] == '\0');
    CHECK(lode_text_line_count(t) == 0);
    CHECK(lode_text_line_of(t, 0) == 1);
    CHECK(lode_text_line_span(t, 1, &s, &e) == LODE_EARG);
    CHECK(lode_text_encoding(t)->source_bytes == 0);
  }
  lode_text_free(t);
  t = lode_text_from_memory("e", NULL, 0, NULL, &err);
  CHECK(t && lode_text_line_count(t) == 0 && strcmp(lode_text_name(t), "e") == 0);
  lode_text_free(t);
  CHECK(lode_text_from_memory("e", NULL, 3, NULL, &err) == NULL && err.code == LODE_EARG);

  t = lode_text_load(FIX "no-such-file.txt", NULL, &err);
  CHECK(t == NULL && err.code == LODE_EIO);
  CHECK_MSG(strcmp(err.msg, FIX "no-such-file.txt: cannot open: No such file or directory") == 0,
            "%s", err.msg);
  t = lode_text_load(FIX, NULL, &err);
  CHECK(t == NULL && err.code == LODE_EIO);
  CHECK_MSG(strstr(err.msg, FIX) == err.msg && strstr(err.msg, "Is a directory"), "%s", err.msg);
  lode_text_free(NULL);
}

static void test_invalid_utf8(void) {
  lode_error err;
  lode_text *t;

  t = file(FIX "bad_utf8.txt", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.line == 3 && err.offset == 24);
  CHECK_MSG(strcmp(err.msg, FIX "bad_utf8.txt:3: invalid UTF-8 byte 0xff at byte 24 (column 6)") == 0,
            "%s", err.msg);
  /* Same with opts == NULL: "error" is the default. */
  t = lode_text_load(FIX "bad_utf8.txt", NULL, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING);

  {
    static const struct { const char *s; size_t len, off; const char *msg; } cases[] = {
      {"ab\xC0\xAF", 4, 2, "<string>:1: invalid UTF-8 byte 0xc0 at byte 2 (column 3)"},
      {"x\n\xE0\x80\xAF", 5, 2, "<string>:2: invalid UTF-8 byte 0xe0 at byte 2 (column 1)"},
      {"a\r\nb\xED\xA0\x80", 7, 4, "<string>:2: invalid UTF-8 byte 0xed at byte 4 (column 2)"},
      {"\xF4\x90\x80\x80", 4, 0, "<string>:1: invalid UTF-8 byte 0xf4 at byte 0 (column 1)"},
      {"a\rabc\xE2\x80", 7, 5, "<string>:2: invalid UTF-8 byte 0xe2 at byte 5 (column 4)"},
      {"\xC3\xA9\x80", 3, 2, "<string>:1: invalid UTF-8 byte 0x80 at byte 2 (column 2)"},
      {"abc\xF0\x9F\x98", 6, 3, "<string>:1: invalid UTF-8 byte 0xf0 at byte 3 (column 4)"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      t = mem(cases[i].s, cases[i].len, LODE_INVALID_ERROR, &err);
      CHECK_MSG(t == NULL && err.code == LODE_EENCODING && err.offset == cases[i].off,
                "case %zu: offset %zu", i, err.offset);
      CHECK_MSG(strcmp(err.msg, cases[i].msg) == 0, "case %zu: %s", i, err.msg);
      lode_text_free(t);
    }
  }
  /* With a BOM, "at byte" still counts the input's bytes. */
  t = MEM("\xEF\xBB\xBFok\xFF", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.offset == 5);
  CHECK_MSG(strstr(err.msg, "at byte 5 (column 3)") != NULL, "%s", err.msg);
}

static void test_replace(void) {
  lode_error err;
  lode_text *t;
  /* Unicode 15, tables 3-8 to 3-11 ("U+FFFD Substitution of Maximal Subparts"). */
  static const struct { const char *in; size_t len; const char *out; size_t n; } cases[] = {
    {"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13,
     "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d", 6},
    {"\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", 9,
     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "A", 8},
    {"\xED\xA0\x80\xED\xBF\xBF\xED\xAF\x41", 9,
     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "A", 8},
    {"\xF4\x91\x92\x93\xFF\x41\x80\xBF\x42", 9,
     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "A\xEF\xBF\xBD\xEF\xBF\xBD" "B", 7},
    {"\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", 9,
     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "A", 4},
    {"abc\xF0\x9F\x98", 6, "abc\xEF\xBF\xBD", 1},               /* truncated at end */
    {"\xC3\xA9\xA9 ok", 6, "\xC3\xA9\xEF\xBF\xBD ok", 1},       /* lone continuation */
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = 0;
    const char *b;
    t = mem(cases[i].in, cases[i].len, LODE_INVALID_REPLACE, &err);
    CHECK_MSG(t != NULL, "case %zu: %s", i, err.msg);
    if (!t) continue;
    b = lode_text_bytes(t, &n);
    CHECK_MSG(n == strlen(cases[i].out) && memcmp(b, cases[i].out, n) == 0, "case %zu", i);
    CHECK_MSG(lode_text_encoding(t)->replaced == cases[i].n, "case %zu: replaced %zu", i,
              lode_text_encoding(t)->replaced);
    CHECK(strcmp(lode_text_encoding(t)->encoding, "utf-8") == 0);
    CHECK(lode_text_encoding(t)->source_bytes == cases[i].len);
    lode_text_free(t);
  }

  /* 3,000 random fragments, checked against Python's decoder. */
  {
    size_t in_len = 0, want_len = 0, n = 0, fffd = 0, k;
    char *want = test_slurp(FIX "replace_mix.utf8", &want_len);
    t = file(FIX "replace_mix.bin", LODE_INVALID_REPLACE, &err);
    CHECK_MSG(t != NULL && want != NULL, "%s", err.msg);
    if (t && want) {
      const char *b = lode_text_bytes(t, &n);
      for (k = 0; k + 2 < want_len; k++)
        if (memcmp(want + k, "\xEF\xBF\xBD", 3) == 0) fffd++;
      CHECK(n == want_len && memcmp(b, want, n) == 0);
      CHECK_MSG(lode_text_encoding(t)->replaced == fffd, "%zu vs %zu",
                lode_text_encoding(t)->replaced, fffd);
      (void)in_len;
    }
    lode_text_free(t);
    free(want);
  }

  /* The bad file's lines survive replacement. */
  t = file(FIX "bad_utf8.txt", LODE_INVALID_REPLACE, &err);
  CHECK(t && lode_text_line_count(t) == 3 && lode_text_encoding(t)->replaced == 1);
  if (t) CHECK_SPAN(t, 3, "abc\xC3\xA9" "d\xEF\xBF\xBDrest");
  lode_text_free(t);
}

static void test_single_byte(void) {
  lode_error err;
  lode_text *t;
  size_t n, wlen = 0;
  char *want;

  t = file(FIX "cp1252.txt", LODE_INVALID_CP1252, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    CHECK_TEXT(t, "He said \xE2\x80\x9Chello\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9 \xE2\x82\xAC 5\r\nnext\r\n");
    CHECK(strcmp(lode_text_encoding(t)->encoding, "cp1252") == 0);
    CHECK(lode_text_line_count(t) == 2);
    CHECK_SPAN(t, 2, "next");
    CHECK(lode_text_encoding(t)->source_bytes == 34);
  }
  lode_text_free(t);
  t = file(FIX "cp1252.txt", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 8);
  t = file(FIX "cp1252.txt", LODE_INVALID_LATIN1, &err);
  if (t) CHECK_SPAN(t, 1, "He said \xC2\x93hello\xC2\x94 \xC2\x96 caf\xC3\xA9 \xC2\x80 5");
  CHECK(t && strcmp(lode_text_encoding(t)->encoding, "latin1") == 0);
  lode_text_free(t);

  t = file(FIX "latin1.txt", LODE_INVALID_LATIN1, &err);
  CHECK_TEXT(t, "caf\xC3\xA9 cr\xC3\xA8me\n");
  lode_text_free(t);

  /* Every high byte, against Python's/ICU's tables. */
  want = test_slurp(FIX "cp1252_80_ff.utf8", &wlen);
  t = file(FIX "cp1252_80_ff.bin", LODE_INVALID_CP1252, &err);
  CHECK(t && want && lode_text_bytes(t, &n) && n == wlen &&
        memcmp(lode_text_bytes(t, &n), want, wlen) == 0);
  lode_text_free(t);
  free(want);
  want = test_slurp(FIX "latin1_80_ff.utf8", &wlen);
  t = file(FIX "cp1252_80_ff.bin", LODE_INVALID_LATIN1, &err);
  CHECK(t && want && lode_text_bytes(t, &n) && n == wlen &&
        memcmp(lode_text_bytes(t, &n), want, wlen) == 0);
  lode_text_free(t);
  free(want);
}

static void test_bom_and_utf16(void) {
  lode_error err;
  lode_text *t;
  const lode_encoding_report *enc;
  static const char *const utf16[2] = {FIX "utf16le_bom.txt", FIX "utf16be_bom.txt"};
  int k;

  t = file(FIX "utf8_bom.txt", LODE_INVALID_ERROR, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    enc = lode_text_encoding(t);
    CHECK_TEXT(t, "BOM first line\nsecond \xE2\x80\x94 line\n");
    CHECK(enc->bom == 1 && strcmp(enc->encoding, "utf-8") == 0 && enc->source_bytes == 34);
    CHECK(lode_text_line_count(t) == 2);
  }
  lode_text_free(t);
  t = MEM("\xEF\xBB\xBF", LODE_INVALID_ERROR, &err);          /* BOM only */
  CHECK(t && lode_text_line_count(t) == 0 && lode_text_encoding(t)->bom == 1);
  lode_text_free(t);

  for (k = 0; k < 2; k++) {
    t = file(utf16[k], LODE_INVALID_ERROR, &err);
    CHECK_MSG(t != NULL, "%s", err.msg);
    if (!t) continue;
    enc = lode_text_encoding(t);
    CHECK_TEXT(t, "Hello\r\nCaf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80\nend");
    CHECK(strcmp(enc->encoding, k ? "utf-16be" : "utf-16le") == 0);
    CHECK(enc->bom == 1 && enc->source_bytes == 56 && enc->replaced == 0);
    CHECK(lode_text_line_count(t) == 3);
    CHECK_SPAN(t, 2, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80");
    lode_text_free(t);
  }

  t = file(FIX "utf16le_unpaired.txt", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 8 && err.line == 2);
  CHECK_MSG(strcmp(err.msg, FIX "utf16le_unpaired.txt:2: invalid UTF-16: unpaired high surrogate 0xd83d at byte 8") == 0,
            "%s", err.msg);
  t = file(FIX "utf16le_unpaired.txt", LODE_INVALID_REPLACE, &err);
  CHECK_TEXT(t, "ok\n\xEF\xBF\xBDx");
  CHECK(t && lode_text_encoding(t)->replaced == 1);
  lode_text_free(t);

  /* Lone low surrogate (BE), high surrogate cut off by the end, odd byte. */
  t = MEM("\xFE\xFF\x00\x61\xDC\x00", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.offset == 4 && strstr(err.msg, "unpaired low surrogate 0xdc00 at byte 4"));
  t = MEM("\xFF\xFE\x61\x00\x3D\xD8", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.offset == 4 && strstr(err.msg, "unpaired high surrogate"));
  t = MEM("\xFF\xFE\x61\x00\x62", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 4);
  t = MEM("\xFF\xFE\x61\x00\x62", LODE_INVALID_REPLACE, &err);
  CHECK_TEXT(t, "a\xEF\xBF\xBD");
  lode_text_free(t);
  t = MEM("\xFF\xFE\x3D\xD8\x3D\xD8\x00\xDE", LODE_INVALID_REPLACE, &err);  /* hi hi lo */
  CHECK_TEXT(t, "\xEF\xBF\xBD\xF0\x9F\x98\x80");
  lode_text_free(t);
  t = MEM("\xFF\xFE", LODE_INVALID_ERROR, &err);                 /* BOM only */
  CHECK(t && lode_text_line_count(t) == 0 && strcmp(lode_text_encoding(t)->encoding, "utf-16le") == 0);
  lode_text_free(t);
  /* U+0000 is binary in UTF-16 too. */
  t = MEM("\xFF\xFE\x61\x00\x0A\x00\x00\x00", LODE_INVALID_REPLACE, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.offset == 6 && err.line == 2);
  /* UTF-32 is named, not misread as UTF-16 with NULs. */
  t = MEM("\xFF\xFE\x00\x00\x61\x00\x00\x00", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && strstr(err.msg, "UTF-32"));
}

static void test_binary(void) {
  lode_error err;
  lode_text *t;

  t = file(FIX "nul.txt", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.line == 3 && err.offset == 26);
  CHECK_MSG(strcmp(err.msg, FIX "nul.txt:3: binary data: NUL byte at byte 26") == 0, "%s", err.msg);
  /* No policy turns a NUL into text. */
  t = file(FIX "nul.txt", LODE_INVALID_REPLACE, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY);
  t = file(FIX "nul.txt", LODE_INVALID_CP1252, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY);
  /* NUL first, even when bad UTF-8 comes earlier: binary is the better guess. */
  t = MEM("\x89PNG\r\n\x1A\n\0\0", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.offset == 8 && err.line == 3);
  t = MEM("\0", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.offset == 0 && err.line == 1);
  t = MEM("\xEF\xBB\xBF" "ab\0", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.offset == 5);
  /* UTF-16 without a BOM gets a hint. */
  t = MEM("h\0i\0", LODE_INVALID_ERROR, &err);
  CHECK_MSG(t == NULL && err.offset == 1 && strstr(err.msg, "UTF-16 without a byte-order mark"), "%s", err.msg);
}

/* The loader scans 16 and 8 bytes at a time and only looks closer at words
 * holding a control or non-ASCII byte. Compare it, on small buffers built
 * to put every kind of special byte at every position around the 8- and
 * 16-byte word boundaries (and on random mixes of them), with byte-by-byte
 * references: the first NUL, the first invalid sequence (decoded one code
 * point at a time), and ref_lines() for the line index. */
static const char *const scan_pieces[] = {
  "\n", "\r", "\r\n", "\t", "\x1F", "\0", "\x7F", " ",
  "\xC3\xA9", "\xE2\x80\x9C", "\xF0\x9F\x98\x80", "\xED\x9F\xBF",
  "\xFF", "\x80", "\xC0\xAF", "\xE2\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3",
};
static const size_t scan_piece_len[] = {1, 1, 2, 1, 1, 1, 1, 1, 2, 3, 4, 3, 1, 1, 2, 2, 3, 4, 1};
#define NPIECES (sizeof scan_piece_len / sizeof scan_piece_len[0])

static unsigned long scan_rng = 12345;
static unsigned scan_rand(unsigned n) {
  scan_rng = scan_rng * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)((scan_rng >> 33) % n);
}

/* Check one buffer; `bom` prepends a UTF-8 BOM (offsets in errors then count
 * it, lines and the text do not). Returns 1 if everything matched. */
static int scan_case(const char *s, size_t len, int bom) {
  char buf[256];
  size_t line_of[256], count, nul = len, bad = len, i = 0, n = 0, k, skip = bom ? 3 : 0;
  lode_error err;
  lode_text *t;
  int ok = 1;

  memcpy(buf, "\xEF\xBB\xBF", 3);
  memcpy(buf + skip, s, len);
  for (k = 0; k < len; k++) if (s[k] == '\0') { nul = k; break; }
  while (i < len) {
    int32_t cp;
    size_t step = lode_utf8_decode(s, len, i, &cp);
    if (step == 0) { bad = i; break; }
    i += step;
  }
  ref_lines(s, len, line_of, &count);
  {   /* UTF-8 by request: no guessing at a legacy encoding */
    static const lode_load_opts strict = {LODE_INVALID_ERROR, "utf-8"};
    t = lode_text_from_memory(NULL, buf, skip + len, &strict, &err);
  }
  if (nul < len) {
    ok = !t && err.code == LODE_EBINARY && err.offset == skip + nul && err.line == line_of[nul];
  } else if (bad < len) {
    ok = !t && err.code == LODE_EENCODING && err.offset == skip + bad && err.line == line_of[bad];
  } else if (!t) {
    ok = 0;
  } else {
    const char *b = lode_text_bytes(t, &n);
    ok = n == len && memcmp(b, s, len) == 0 && lode_text_line_count(t) == count;
    for (k = 0; ok && k <= len; k++) ok = lode_text_line_of(t, k) == line_of[k];
    /* Each line starts right after the previous one's break. */
    for (k = 1; ok && k < count; k++) {
      size_t s0, e0, s1, e1;
      ok = lode_text_line_span(t, k, &s0, &e0) == LODE_OK &&
           lode_text_line_span(t, k + 1, &s1, &e1) == LODE_OK && s1 > e0 &&
           (s[s1 - 1] == '\n' || s[s1 - 1] == '\r') && line_of[s1] == k + 1 &&
           line_of[s1 - 1] == k;
    }
  }
  lode_text_free(t);
  return ok;
}

static void test_fused_scan(void) {
  char s[200];
  size_t len, pos, p, q, failures = 0, cases = 0, rounds = test_scale(20000), r;

  /* One or two special pieces at every position of a 40-byte ASCII field. */
  for (p = 0; p < NPIECES; p++) {
    for (pos = 0; pos <= 40; pos++) {
      for (q = 0; q <= NPIECES; q++) {
        memset(s, 'a', 48);
        memcpy(s + pos, scan_pieces[p], scan_piece_len[p]);
        len = 44 + scan_piece_len[p];
        if (q < NPIECES) {                  /* a second piece 0-9 bytes further on */
          size_t at = pos + scan_piece_len[p] + (pos * 7 + q) % 10;
          memset(s + 48, 'a', 20);
          memcpy(s + at, scan_pieces[q], scan_piece_len[q]);
          len = at + scan_piece_len[q] + 3;
          if (len < 44 + scan_piece_len[p]) len = 44 + scan_piece_len[p];
        }
        cases++;
        if (!scan_case(s, len, 0) || !scan_case(s, len, 1)) {
          if (failures++ < 5) CHECK_MSG(0, "fused scan differs: piece %zu at %zu, then %zu", p, pos, q);
        }
      }
    }
  }
  /* Random mixes, mostly clean ASCII, lengths 0..~190. */
  for (r = 0; r < rounds; r++) {
    size_t want = scan_rand(170);
    len = 0;
    while (len < want) {
      if (scan_rand(6) == 0) {
        unsigned k = scan_rand(NPIECES);
        /* Invalid pieces (index >= 12) and NUL rarer, so valid texts with
         * many lines are common too. */
        if ((k >= 12 || k == 5) && scan_rand(4)) k = 0;
        memcpy(s + len, scan_pieces[k], scan_piece_len[k]);
        len += scan_piece_len[k];
      } else {
        s[len++] = (char)(' ' + scan_rand(95));
      }
    }
    cases++;
    if (!scan_case(s, len, (int)(r & 1))) {
      if (failures++ < 5) CHECK_MSG(0, "fused scan differs on random case %zu (len %zu)", r, len);
    }
  }
  CHECK_MSG(failures == 0, "%zu of %zu scan cases differ", failures, cases);
}

/* A 20 MB line with no break, from memory and from a file. */
static void test_huge_line(void) {
  size_t len = test_scale(20u << 20), n = 0, s, e, k;
  char *big = malloc(len), path[] = "/tmp/lode_test_text_XXXXXX";
  lode_error err;
  lode_text *t;
  int fd;
  FILE *f;

  if (!big) { CHECK(big != NULL); return; }
  for (k = 0; k < len; k++) big[k] = (char)('a' + k % 26);
  memcpy(big + len / 2, "\xE2\x80\x9C", 3);           /* some non-ASCII too */
  t = mem(big, len, LODE_INVALID_ERROR, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    CHECK(lode_text_line_count(t) == 1);
    CHECK(lode_text_line_span(t, 1, &s, &e) == LODE_OK && s == 0 && e == len);
    CHECK(lode_text_line_of(t, len) == 1 && lode_text_line_of(t, len / 2) == 1);
    CHECK(lode_text_bytes(t, &n) && n == len);
  }
  lode_text_free(t);

  big[len - 1] = '\n';
  fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) { free(big); return; }
  f = fdopen(fd, "wb");
  CHECK(f && fwrite(big, 1, len, f) == len);
  if (f) fclose(f);
  t = lode_text_load(path, NULL, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    CHECK(lode_text_line_count(t) == 1);
    CHECK(lode_text_line_span(t, 1, &s, &e) == LODE_OK && e == len - 1);
    CHECK(lode_text_bytes(t, &n) && n == len && memcmp(lode_text_bytes(t, &n), big, len) == 0);
  }
  lode_text_free(t);
  /* A bad byte at the end of it is found and placed. */
  big[len - 1] = (char)0xFF;
  t = mem(big, len, LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.offset == len - 1 && err.line == 1);
  remove(path);
  free(big);
}

/* Files whose size stat() does not know (/proc) are read to the end. */
static void test_unsized_file(void) {
  lode_error err;
  lode_text *t;
  FILE *f = fopen("/proc/self/status", "rb");
  if (!f) return;                                       /* not Linux */
  fclose(f);
  t = lode_text_load("/proc/self/status", NULL, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if (t) {
    size_t n = 0;
    const char *b = lode_text_bytes(t, &n);
    CHECK(n > 100 && strncmp(b, "Name:", 5) == 0 && lode_text_line_count(t) > 10);
  }
  lode_text_free(t);
}

/* Loading ~50 MB of corpus from memory (copy, validation, line index):
 * the speed is printed as information; the line count is checked. */
static void bench_load(void) {
  size_t total = 0, lines = 0, k;
  char *big = test_corpus_repeated(50u << 20, &total);
  lode_error err;
  lode_text *t;
  double t0, secs;

  if (!big) { CHECK(big != NULL); return; }
  for (k = 0; k < total; k++) lines += big[k] == '\n';
  if (total && big[total - 1] != '\n') lines++;

  t0 = test_now();
  t = lode_text_from_memory("bench", big, total, NULL, &err);
  secs = test_now() - t0;
  CHECK_MSG(t && lode_text_line_count(t) == lines, "%s", t ? "wrong line count" : err.msg);
  printf("text load from memory: %.1f MB, %zu lines in %.2f ms: %.0f MB/s\n",
         (double)total / 1e6, lines, secs * 1e3, (double)total / 1e6 / secs);
  lode_text_free(t);
  free(big);
}

/* Reference for trim + fold: fold every C2 A0 to a space first, then strip
 * the ASCII white space at both ends, as the Lua code did. */
static size_t ref_trim_fold(const char *s, size_t len, char *out) {
  size_t n = 0, i = 0, a = 0;
  char tmp[64];
  while (i < len) {
    if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
      tmp[n++] = ' ';
      i += 2;
    } else {
      tmp[n++] = s[i++];
    }
  }
  while (a < n && strchr(" \t\n\v\f\r", tmp[a]) && tmp[a]) a++;
  while (n > a && strchr(" \t\n\v\f\r", tmp[n - 1]) && tmp[n - 1]) n--;
  memcpy(out, tmp + a, n - a);
  return n - a;
}

static void test_trim(void) {
  /* "" stands for one NUL byte */
  static const char *const pieces[] = {" ", "\t", "\v", "\r\n", "\xC2", "\xA0", "\xC2\xA0",
                                       "a", "xy", "", "\xC2\xC2\xA0", "\xA0\xC2"};
  const size_t npieces = sizeof pieces / sizeof pieces[0];
  unsigned seed = 12345;
  size_t a, z, n, bad = 0, r;
  char s[64], want[64], got[64];
  /* fixed cases */
  CHECK(lode_text_trim("  a\xC2\xA0" "b \xC2\xA0", 9, &a, &z) == 1 && a == 2 && z == 6);
  CHECK(lode_text_trim("\xC2\xA0\t\xC2\xA0", 5, &a, &z) == 0 && a == z);
  CHECK(lode_text_trim("", 0, &a, &z) == 0 && a == 0 && z == 0);
  CHECK(lode_text_trim("\xC2 ", 2, &a, &z) == 0 && a == 0 && z == 1);
  n = lode_text_fold_nbsp("a\xC2\xA0\xC2\xA0" "b\xC2", 7, got);
  CHECK_BYTES(got, n, "a  b\xC2");
  /* in place, with runs between the C2 bytes (moved whole) */
  memcpy(s, "xy\xC2\xA0long run\xC2z\xC2\xA0", 16);
  n = lode_text_fold_nbsp(s, 16, s);
  CHECK_BYTES(s, n, "xy long run\xC2z ");
  /* random strings of pieces against the reference */
  for (r = 0; r < 200000; r++) {
    size_t len = 0, k, np;
    int inner;
    seed = seed * 1103515245u + 12345u;
    np = (seed >> 16) % 9;
    for (k = 0; k < np; k++) {
      const char *p;
      size_t pl;
      seed = seed * 1103515245u + 12345u;
      p = pieces[(seed >> 16) % npieces];
      pl = p[0] ? strlen(p) : 1;
      memcpy(s + len, p, pl);
      len += pl;
    }
    n = ref_trim_fold(s, len, want);
    inner = lode_text_trim(s, len, &a, &z);
    z = inner ? lode_text_fold_nbsp(s + a, z - a, got) : (memcpy(got, s + a, z - a), z - a);
    if (n != z || memcmp(want, got, n) != 0) bad++;
  }
  CHECK_MSG(bad == 0, "%zu random strings trimmed unlike the reference", bad);
}

int main(void) {
  test_corpus();
  test_line_breaks();
  test_empty_and_errors();
  test_invalid_utf8();
  test_replace();
  test_single_byte();
  test_bom_and_utf16();
  test_binary();
  test_fused_scan();
  test_huge_line();
  test_unsized_file();
  test_trim();
  if (test_bench_wanted()) bench_load();
  return test_report();
}
