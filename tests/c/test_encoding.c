/*
 * test_encoding.c -- legacy encodings (core/encoding.c through the
 * loader) and the source map back to the input (core/srcmap.c).
 *
 * The fixtures' sentences were written for these tests and encoded with
 * Python's codecs; the UTF-8 each should decode to sits beside it
 * (*.utf8), so the expected text comes from another decoder, not lode.
 */
#include "test.h"
#include "encoding.h"
#include "srcmap.h"
#include "text.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define FIX LODE_SOURCE_DIR "/tests/fixtures/encoding/"

static lode_text *load(const char *path, const char *encoding, lode_invalid_policy p,
                       lode_error *err) {
  lode_load_opts o = {p, encoding};
  return lode_text_load(path, &o, err);
}

static lode_text *mem(const char *s, size_t len, const char *encoding, lode_invalid_policy p,
                      lode_error *err) {
  lode_load_opts o = {p, encoding};
  return lode_text_from_memory(NULL, s, len, &o, err);
}

/* The text equals the reference file's bytes. */
static int same_as(const lode_text *t, const char *ref) {
  size_t n = 0, wlen = 0;
  char *want = test_slurp(ref, &wlen);
  const char *b = t ? lode_text_bytes(t, &n) : NULL;
  int ok = want && b && n == wlen && memcmp(b, want, n) == 0;
  free(want);
  return ok;
}

static size_t one_byte(int32_t cp) { (void)cp; return 1; }
static size_t sjis_width(int32_t cp) { return cp < 0x80 ? 1 : 2; }
static size_t utf16_width(int32_t cp) { return cp < 0x10000 ? 2 : 4; }
static size_t utf8_width(int32_t cp) { char b[4]; return lode_utf8_encode(cp, b); }

/* Every character of t maps to the input bytes `width` says it has
 * (width(cp) bytes each, one after the other from `first`), and every
 * range to the union of its characters; a part of a decoded character to
 * all of it (copied UTF-8 maps byte for byte). */
static int maps_each_char(const lode_text *t, size_t first, size_t (*width)(int32_t)) {
  size_t n, i = 0, f = first, fi, fj;
  const char *b = lode_text_bytes(t, &n);
  while (i < n) {
    int32_t cp;
    size_t step = lode_utf8_decode(b, n, i, &cp), k;
    lode_text_origin(t, i, i + step, &fi, &fj);
    if (fi != f || fj != f + width(cp)) return 0;
    for (k = 1; k < step && width != utf8_width; k++) {   /* a part is all of it */
      lode_text_origin(t, i + k, i + k + 1, &fi, &fj);
      if (fi != f || fj != f + width(cp)) return 0;
    }
    lode_text_origin(t, 0, i + step, &fi, &fj);
    if (fi != first || fj != f + width(cp)) return 0;
    f += width(cp);
    i += step;
  }
  lode_text_origin(t, n, n, &fi, &fj);
  return fi == f && fj == f;
}


static void test_requested(void) {
  lode_error err;
  lode_text *t;
  const lode_encoding_report *r;

  t = load(FIX "ru_cp1251.txt", "cp1251", LODE_INVALID_ERROR, &err);
  CHECK_MSG(t && same_as(t, FIX "ru.utf8"), "%s", t ? "wrong text" : err.msg);
  if (t) {
    r = lode_text_encoding(t);
    CHECK(strcmp(r->encoding, "cp1251") == 0 && strcmp(r->reason, "requested") == 0);
    CHECK(r->replaced == 0 && r->bom == 0 && r->source_bytes == 135);
    CHECK(lode_text_line_count(t) == 3 && !lode_text_same_offsets(t));
    CHECK(maps_each_char(t, 0, one_byte));
  }
  lode_text_free(t);

  t = load(FIX "ru_koi8r.txt", "KOI8-R", LODE_INVALID_ERROR, &err);
  CHECK(t && same_as(t, FIX "ru_koi8r.utf8") && maps_each_char(t, 0, one_byte));
  lode_text_free(t);

  /* A multi-byte encoding, character by character. */
  t = load(FIX "ja_sjis.txt", "shift_jis", LODE_INVALID_ERROR, &err);
  CHECK_MSG(t && same_as(t, FIX "ja.utf8"), "%s", t ? "wrong text" : err.msg);
  CHECK(t && maps_each_char(t, 0, sjis_width));
  lode_text_free(t);

  /* UTF-8 by request is strict: no guess, the policy applies. */
  t = load(FIX "ru_cp1251.txt", "utf-8", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 0);
  CHECK_MSG(strstr(err.msg, "invalid UTF-8 byte 0xcf at byte 0") != NULL, "%s", err.msg);

  /* A byte-order mark wins over the name, as in browsers. */
  t = load(FIX "utf8_bom.txt", "cp1251", LODE_INVALID_ERROR, &err);
  CHECK(t && lode_text_encoding(t)->bom == 1 &&
        strcmp(lode_text_encoding(t)->encoding, "utf-8") == 0 &&
        strcmp(lode_text_encoding(t)->reason, "byte-order mark") == 0);
  lode_text_free(t);
  t = load(FIX "utf16le_bom.txt", "koi8-r", LODE_INVALID_ERROR, &err);
  CHECK(t && strcmp(lode_text_encoding(t)->encoding, "utf-16le") == 0);
  lode_text_free(t);

  /* An unknown name is named; "" is not the locale's charset. */
  t = mem("x", 1, "", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EARG && lode_encoding_known("") == 0);
  t = load(FIX "ru_cp1251.txt", "cp9999", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EARG);
  CHECK_MSG(strcmp(err.msg, FIX "ru_cp1251.txt: unknown encoding \"cp9999\"") == 0, "%s",
            err.msg);
}

static void test_rejected_bytes(void) {
  lode_error err;
  lode_text *t;
  size_t fi, fj, n;
  const char *b;

  /* 0x98 is the one byte cp1251 leaves undefined: line 2, byte 17. */
  t = load(FIX "ru_cp1251_undefined.txt", "cp1251", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 17 && err.line == 2);
  CHECK_MSG(strcmp(err.msg, FIX "ru_cp1251_undefined.txt:2: invalid cp1251 byte 0x98 at byte 17") == 0,
            "%s", err.msg);
  t = load(FIX "ru_cp1251_undefined.txt", "cp1251", LODE_INVALID_REPLACE, &err);
  CHECK(t && lode_text_encoding(t)->replaced == 1);
  if (t) {
    b = lode_text_bytes(t, &n);
    CHECK(lode_text_line_count(t) == 2);
    CHECK(n == 42 && memcmp(b + 31, "\xEF\xBF\xBD", 3) == 0);
    lode_text_origin(t, 31, 34, &fi, &fj);   /* the U+FFFD after "Вт" */
    CHECK_MSG(fi == 17 && fj == 18, "%zu %zu", fi, fj);
  }
  lode_text_free(t);
  t = load(FIX "ru_cp1251_undefined.txt", "cp1251", LODE_INVALID_CP1252, &err);
  CHECK(t && strstr(lode_text_bytes(t, &n), "\xCB\x9C") != NULL);   /* cp1252's 0x98 */
  CHECK(t && lode_text_encoding(t)->replaced == 0);   /* a fallback replaces nothing */
  lode_text_free(t);

  /* The multi-byte path: a lead byte cut off at the end, a bad trail. */
  t = mem("ab\x93", 3, "shift_jis", LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 2);
  t = mem("a\x93\x0A" "b\x93", 5, "shift_jis", LODE_INVALID_REPLACE, &err);
  CHECK(t && lode_text_encoding(t)->replaced == 2);
  if (t) {
    b = lode_text_bytes(t, &n);
    CHECK_BYTES(b, n, "a\xEF\xBF\xBD\nb\xEF\xBF\xBD");
    CHECK(maps_each_char(t, 0, one_byte));
  }
  lode_text_free(t);

  /* NUL is binary in every encoding. */
  t = mem("\xcf\xf0\x00", 3, "cp1251", LODE_INVALID_REPLACE, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.offset == 2);
  t = mem("\x93\x8c\x00", 3, "shift_jis", LODE_INVALID_REPLACE, &err);
  CHECK(t == NULL && err.code == LODE_EBINARY && err.offset == 2);
}

static void test_detected(void) {
  static const struct { const char *file, *ref, *encoding, *reason; } cases[] = {
    {"ru_cp1251.txt", "ru.utf8", "cp1251", "guess: Cyrillic, lower case at 0xE0-0xFF (cp1251)"},
    {"bg_cp1251.txt", "bg.utf8", "cp1251", "guess: Cyrillic, lower case at 0xE0-0xFF (cp1251)"},
    {"ru_koi8r.txt", "ru_koi8r.utf8", "koi8-r", "guess: Cyrillic, lower case at 0xC0-0xDF (KOI8-R)"},
    {"fr_cp1252.txt", "fr.utf8", "cp1252", "guess: 8-bit letters between ASCII ones (Western European)"},
    {"ru_meta_cp1251.html", NULL, "windows-1251", "<meta http-equiv>"},
    {"ru_meta5_koi8r.html", NULL, "koi8-r", "<meta charset>"},
    {"ru_xmldecl_iso88595.xml", NULL, "iso-8859-5", "XML declaration"},
  };
  size_t k;
  lode_error err;
  for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char path[512];
    lode_text *t;
    snprintf(path, sizeof path, FIX "%s", cases[k].file);
    t = load(path, NULL, LODE_INVALID_ERROR, &err);
    CHECK_MSG(t != NULL, "%s", err.msg);
    if (!t) continue;
    CHECK_MSG(strcmp(lode_text_encoding(t)->encoding, cases[k].encoding) == 0 &&
                  strcmp(lode_text_encoding(t)->reason, cases[k].reason) == 0,
              "%s: %s, %s", cases[k].file, lode_text_encoding(t)->encoding,
              lode_text_encoding(t)->reason);
    if (cases[k].ref) {
      snprintf(path, sizeof path, FIX "%s", cases[k].ref);
      CHECK_MSG(same_as(t, path), "%s", cases[k].file);
    } else {
      size_t n;
      CHECK_MSG(strstr(lode_text_bytes(t, &n), "Переговоры") != NULL, "%s", cases[k].file);
    }
    CHECK(maps_each_char(t, 0, one_byte));
    lode_text_free(t);
  }
  /* "auto" is the same as none; valid UTF-8 is UTF-8 whatever it declares. */
  {
    static const char page[] = "<meta charset=\"koi8-r\"><p>Привет</p>";
    lode_text *t = mem(page, sizeof page - 1, "auto", LODE_INVALID_ERROR, &err);
    CHECK(t && strcmp(lode_text_encoding(t)->encoding, "utf-8") == 0 &&
          strcmp(lode_text_encoding(t)->reason, "valid UTF-8") == 0 && lode_text_same_offsets(t));
    lode_text_free(t);
  }
}

/* What is not believed: UTF-8 with a few bad bytes stays under the
 * policy; a page declaring UTF-8 (or a name iconv lacks) is guessed at. */
static void test_not_detected(void) {
  static const char broken[] = "caf\xC3\xA9 cr\xC3\xA8me \xE2\x80 na\xEF" "ve \xF0\x9F\x98";
  static const char lying[] = "<meta charset=\"utf-8\"><p>caf\xE9 cr\xE8me br\xFBl\xE9" "e</p>";
  static const char unknown[] = "<meta charset=\"x-nonesuch\">\xCF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0";
  static const char latin1[] = "<meta charset=\"ISO-8859-1\">\x93" "caf\xE9\x94 \xE0 la cr\xE8me";
  char name[LODE_ENCODING_NAME_MAX];
  lode_error err;
  lode_text *t;
  const char *why;

  CHECK(lode_encoding_detect(broken, sizeof broken - 1, name) == NULL && name[0] == '\0');
  t = mem(broken, sizeof broken - 1, NULL, LODE_INVALID_ERROR, &err);
  CHECK(t == NULL && err.code == LODE_EENCODING && err.offset == 13);
  t = mem(broken, sizeof broken - 1, NULL, LODE_INVALID_REPLACE, &err);
  CHECK(t && strcmp(lode_text_encoding(t)->encoding, "utf-8") == 0 &&
        lode_text_encoding(t)->replaced == 3);
  if (t) {   /* the U+FFFD of E2 80 maps to those two bytes */
    size_t fi, fj;
    lode_text_origin(t, 13, 16, &fi, &fj);
    CHECK(fi == 13 && fj == 15);
  }
  lode_text_free(t);

  why = lode_encoding_detect(lying, sizeof lying - 1, name);
  CHECK_MSG(why && strncmp(why, "guess:", 6) == 0 && strcmp(name, "cp1252") == 0, "%s %s",
            why ? why : "-", name);
  why = lode_encoding_detect(unknown, sizeof unknown - 1, name);
  CHECK(why && strcmp(name, "cp1251") == 0);
  /* Latin-1 labels mean Windows-1252, as browsers read them. */
  why = lode_encoding_detect(latin1, sizeof latin1 - 1, name);
  CHECK(why && strcmp(why, "<meta charset>") == 0 && strcmp(name, "cp1252") == 0);
}

/* The loader's own decoders map back too: a BOM, UTF-16, replacement. */
static void test_origin_builtin(void) {
  lode_error err;
  lode_text *t;
  size_t fi, fj;

  t = load(FIX "utf8_bom.txt", NULL, LODE_INVALID_ERROR, &err);
  CHECK(t && maps_each_char(t, 3, utf8_width));
  lode_text_free(t);
  t = load(FIX "utf16le_bom.txt", NULL, LODE_INVALID_ERROR, &err);
  CHECK(t && maps_each_char(t, 2, utf16_width));   /* the emoji is 4 bytes */
  lode_text_free(t);
  t = load(FIX "cp1252.txt", NULL, LODE_INVALID_CP1252, &err);
  CHECK(t && maps_each_char(t, 0, one_byte));
  lode_text_free(t);
  /* U+FFFD maps to its whole maximal subpart: F0 9F 98 at bytes 3-5. */
  t = mem("abc\xF0\x9F\x98xy", 8, NULL, LODE_INVALID_REPLACE, &err);
  if (t) {
    lode_text_origin(t, 3, 6, &fi, &fj);
    CHECK(fi == 3 && fj == 6);
    lode_text_origin(t, 4, 7, &fi, &fj);
    CHECK(fi == 3 && fj == 7);
    lode_text_origin(t, 6, 8, &fi, &fj);
    CHECK(fi == 6 && fj == 8);
  }
  CHECK(t != NULL);
  lode_text_free(t);
}

/* A long single-byte text (many map segments) and mixed widths. */
static void test_srcmap_long(void) {
  size_t len = 20000, k, n, fi, fj;
  char *s = malloc(len);
  lode_error err;
  lode_text *t;
  unsigned long x = 7;
  for (k = 0; k < len; k++) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    s[k] = (char)((x >> 40) % 3 ? 0xC0 + (x >> 20) % 64 : 'a' + (x >> 20) % 26);
  }
  t = s ? mem(s, len, "cp1251", LODE_INVALID_ERROR, &err) : NULL;
  CHECK(t && maps_each_char(t, 0, one_byte));
  if (t) {
    lode_text_bytes(t, &n);
    lode_text_origin(t, 0, n, &fi, &fj);
    CHECK(fi == 0 && fj == len);
    lode_text_origin(t, n + 5, n + 9, &fi, &fj);   /* past the end: the end */
    CHECK(fi == len && fj == len);
  }
  lode_text_free(t);
  free(s);

  {   /* units: one input sequence giving two characters, a flush at the end */
    lode_srcmap *m = lode_srcmap_new();
    static const char text[] = "ab\xC3\x8A\xCC\x84" "c\xC3\xA9";
    CHECK(m && lode_srcmap_add(m, text, 2, 1) == 0 && lode_srcmap_add_unit(m, 4, 2) == 0 &&
          lode_srcmap_add(m, text + 6, 1, 1) == 0 && lode_srcmap_add_unit(m, 2, 0) == 0);
    if (m) {
      lode_srcmap_origin(m, text, 9, 2, 4, &fi, &fj);
      CHECK(fi == 2 && fj == 4);
      lode_srcmap_origin(m, text, 9, 4, 5, &fi, &fj);
      CHECK(fi == 2 && fj == 4);
      lode_srcmap_origin(m, text, 9, 6, 7, &fi, &fj);
      CHECK(fi == 4 && fj == 5);
      lode_srcmap_origin(m, text, 9, 7, 9, &fi, &fj);
      CHECK(fi == 5 && fj == 5);
    }
    lode_srcmap_free(m);
  }
}

int main(void) {
  test_requested();
  test_rejected_bytes();
  test_detected();
  test_not_detected();
  test_origin_builtin();
  test_srcmap_long();
  return test_report();
}
