/*
 * test_normalize.c -- normalized views and their offset map (core/normalize.h).
 *
 * 1. Unicode conformance: NormalizationTest.txt (Unicode 15.0, Debian's
 *    unicode-data, the version utf8proc 2.8.0 implements), NFC and NFKC.
 * 2. Chunking is invisible: the view equals a straightforward whole-buffer
 *    reference (pre-map, utf8proc_map, post-map, collapse) on the corpus and
 *    on random strings, for many option sets.
 * 3. Provenance: for every word of the view, the original bytes that
 *    lode_view_origin() gives normalize to exactly that word.
 * 4. Targeted cases, bad input, a 20 MB input, threads, and a speed report.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize.h"
#include "test.h"

/* ---- helpers --------------------------------------------------------------- */

static char *norm(const char *s, size_t len, lode_form form, unsigned flags, size_t *outn) {
  lode_norm_opts o = {form, flags};
  lode_error err;
  return lode_normalize_string(s, len, &o, outn, &err);
}

/* Normalize a C string through lode_normalize (the view) and compare. */
static int view_is(const char *in, lode_form form, unsigned flags, const char *want) {
  lode_norm_opts o = {form, flags};
  lode_error err;
  lode_view *v = lode_normalize(in, strlen(in), &o, &err);
  if (!v) {
    fprintf(stderr, "normalize failed: %s\n", err.msg);
    return 0;
  }
  size_t n;
  const char *b = lode_view_bytes(v, &n);
  int ok = n == strlen(want) && memcmp(b, want, n) == 0;
  if (!ok) fprintf(stderr, "  \"%s\" -> \"%.*s\", want \"%s\"\n", in, (int)n, b, want);
  lode_view_free(v);
  return ok;
}

/* ---- 1. Unicode conformance ----------------------------------------------- */

/* "0044 0307" -> UTF-8; returns bytes written. */
static size_t hex_to_utf8(const char *f, const char *end, char *out) {
  size_t n = 0;
  while (f < end) {
    char *e;
    long cp = strtol(f, &e, 16);
    if (e == f) { f++; continue; }
    n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out + n);
    f = e;
  }
  out[n] = '\0';
  return n;
}

static int eq_norm(const char *in, size_t inn, lode_form form, const char *want, size_t wantn) {
  lode_norm_opts o = {form, 0};
  lode_error err;
  lode_view *v = lode_normalize(in, inn, &o, &err);
  if (!v) return 0;
  size_t n;
  const char *b = lode_view_bytes(v, &n);
  /* The map must cover the whole input too. */
  size_t oi, oj;
  lode_view_origin(v, 0, n, &oi, &oj);
  int ok = n == wantn && memcmp(b, want, n) == 0 && oi == 0 && (n == 0 || oj == inn);
  lode_view_free(v);
  return ok;
}

static void test_conformance(void) {
  FILE *f = popen("bzcat /usr/share/unicode/NormalizationTest.txt.bz2", "r");
  CHECK_MSG(f != NULL, "cannot run bzcat");
  if (!f) return;
  unsigned char *part1 = calloc(0x110000 / 8, 1);
  char line[4096];
  char c[5][256];
  size_t cn[5];
  int part = -1;
  long lines = 0, nfc_fail = 0, nfkc_fail = 0, shown = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    if (line[0] == '@') { part = atoi(line + 5); continue; }
    const char *p = line;
    int k;
    for (k = 0; k < 5; k++) {
      const char *semi = strchr(p, ';');
      if (!semi) break;
      cn[k] = hex_to_utf8(p, semi, c[k]);
      if (k == 0 && part == 1) {
        long cp = strtol(p, NULL, 16);
        part1[cp >> 3] |= (unsigned char)(1u << (cp & 7));
      }
      p = semi + 1;
    }
    if (k < 5) continue;
    lines++;
    /* NFC: c2 == NFC(c1) == NFC(c2) == NFC(c3); c4 == NFC(c4) == NFC(c5) */
    int ok = eq_norm(c[0], cn[0], LODE_FORM_NFC, c[1], cn[1]) &&
             eq_norm(c[1], cn[1], LODE_FORM_NFC, c[1], cn[1]) &&
             eq_norm(c[2], cn[2], LODE_FORM_NFC, c[1], cn[1]) &&
             eq_norm(c[3], cn[3], LODE_FORM_NFC, c[3], cn[3]) &&
             eq_norm(c[4], cn[4], LODE_FORM_NFC, c[3], cn[3]);
    if (!ok) {
      nfc_fail++;
      if (shown++ < 10) fprintf(stderr, "  NFC conformance fails: %s", line);
    }
    /* NFKC: c4 == NFKC(c1) == ... == NFKC(c5) */
    ok = 1;
    for (k = 0; k < 5 && ok; k++) ok = eq_norm(c[k], cn[k], LODE_FORM_NFKC, c[3], cn[3]);
    if (!ok) {
      nfkc_fail++;
      if (shown++ < 10) fprintf(stderr, "  NFKC conformance fails: %s", line);
    }
  }
  int st = pclose(f);
  CHECK_MSG(st == 0 && lines > 19000, "read %ld test lines (bzcat status %d)", lines, st);
  printf("conformance: %ld lines, NFC %ld failed, NFKC %ld failed\n", lines, nfc_fail, nfkc_fail);
  CHECK_MSG(nfc_fail == 0, "%ld NFC lines fail", nfc_fail);
  CHECK_MSG(nfkc_fail == 0, "%ld NFKC lines fail", nfkc_fail);

  /* Every code point not listed in Part 1 is its own NFC and NFKC. */
  long inv = 0, inv_fail = 0;
  for (int32_t cp = 0; cp < 0x110000; cp += test_quick() ? 61 : 1) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || (part1[cp >> 3] & (1u << (cp & 7)))) continue;
    char u[8];
    size_t n = (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)u);
    inv++;
    if (!eq_norm(u, n, LODE_FORM_NFC, u, n) || !eq_norm(u, n, LODE_FORM_NFKC, u, n)) {
      if (inv_fail++ < 10) fprintf(stderr, "  U+%04X not invariant\n", (unsigned)cp);
    }
  }
  printf("conformance: %ld code points outside Part 1, %ld not invariant\n", inv, inv_fail);
  CHECK_MSG(inv > (long)test_scale(1000000) / 4 && inv_fail == 0, "%ld of %ld not invariant", inv_fail, inv);
  free(part1);
}

/* ---- 2. reference implementation ------------------------------------------ */

/* Written from the spec, independently of normalize.c: pre-map each code
 * point, run utf8proc_map on the whole buffer, fold typography on the
 * result, collapse white space. */
static const char *ref_typo(int32_t cp) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB: return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: return "-";
    case 0x2026: return "...";
    case 0x00A0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
    case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
    case 0x202F: case 0x205F: case 0x3000: return " ";
    default: return NULL;
  }
}

static int ref_dropped(int32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
         cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
         cp == 0x00AD;
}

static size_t ref_fold(const char *s, size_t len, unsigned flags, int pre, char *out) {
  size_t i = 0, w = 0;
  while (i < len) {
    int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
    const char *t;
    if (pre && (flags & LODE_NORM_CONTROLS) && ref_dropped(cp)) {
      /* dropped */
    } else if ((flags & LODE_NORM_TYPOGRAPHY) && (t = ref_typo(cp))) {
      memcpy(out + w, t, strlen(t));
      w += strlen(t);
    } else {
      memcpy(out + w, s + i, (size_t)n);
      w += (size_t)n;
    }
    i += (size_t)n;
  }
  return w;
}

static char *ref_normalize(const char *s, size_t len, lode_form form, unsigned flags, size_t *outn) {
  char *pre = malloc(len + 1);
  size_t n = ref_fold(s, len, flags, 1, pre);
  utf8proc_option_t o = 0;
  if (form != LODE_FORM_NONE || (flags & LODE_NORM_STRIP_MARKS)) o |= UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (form == LODE_FORM_NFKC) o |= UTF8PROC_COMPAT;
  if (flags & LODE_NORM_CASEFOLD) o |= UTF8PROC_CASEFOLD;
  if (flags & LODE_NORM_STRIP_MARKS) o |= UTF8PROC_STRIPMARK;
  utf8proc_uint8_t *m = NULL;
  utf8proc_ssize_t mn = utf8proc_map((const utf8proc_uint8_t *)pre, (utf8proc_ssize_t)n, &m, o);
  free(pre);
  if (mn < 0) return NULL;
  char *out = malloc((size_t)mn * 3 + 1);
  size_t w = ref_fold((const char *)m, (size_t)mn, flags, 0, out);
  free(m);
  if (flags & LODE_NORM_COLLAPSE) {
    size_t k = 0;
    for (size_t r = 0; r < w; r++) {
      char ch = out[r] == '\t' ? ' ' : out[r];
      if (ch == ' ' && k && out[k - 1] == ' ') continue;
      out[k++] = ch;
    }
    w = k;
  }
  out[w] = '\0';
  *outn = w;
  return out;
}

/* ---- 3. the provenance property -------------------------------------------- */

static int is_sep(unsigned char c) { return c < 0x80 && (isspace(c) || ispunct(c)); }

typedef struct { long words, fails, ranges, rfails; } prop_stats;

static int origin_ok(const lode_view *v, const char *s, size_t len, const lode_norm_opts *o,
                     size_t i, size_t j) {
  size_t vn, oi, oj, rn;
  const char *vb = lode_view_bytes(v, &vn);
  lode_view_origin(v, i, j, &oi, &oj);
  if (oi > oj || oj > len) return 0;
  char *r = norm(s + oi, oj - oi, o->form, o->flags, &rn);
  int ok = r && rn == j - i && memcmp(r, vb + i, rn) == 0;
  if (!ok && getenv("LODE_TEST_VERBOSE"))
    fprintf(stderr, "  view [%zu,%zu) \"%.*s\" <- orig [%zu,%zu) \"%.*s\" -> \"%.*s\"\n", i, j,
            (int)(j - i), vb + i, oi, oj, (int)(oj - oi), s + oi, (int)(r ? rn : 0), r ? r : "");
  free(r);
  return ok;
}

/* Check every word of the view, a few multi-word ranges, and that the map
 * is monotone and covers the input. */
static void check_property(const char *s, size_t len, const lode_norm_opts *o, prop_stats *st,
                           unsigned *seed) {
  lode_error err;
  lode_view *v = lode_normalize(s, len, o, &err);
  if (!v) { st->fails++; return; }
  size_t vn;
  const char *vb = lode_view_bytes(v, &vn);
  size_t starts[64], ends[64], nw = 0;
  size_t i = 0;
  while (i < vn) {
    while (i < vn && is_sep((unsigned char)vb[i])) i++;
    if (i >= vn) break;
    size_t j = i;
    while (j < vn && !is_sep((unsigned char)vb[j])) j++;
    st->words++;
    if (!origin_ok(v, s, len, o, i, j)) st->fails++;
    if (nw < 64) { starts[nw] = i; ends[nw] = j; nw++; }
    i = j;
  }
  for (int k = 0; k < 4 && nw; k++) {
    *seed = *seed * 1103515245u + 12345u;
    size_t a = (*seed >> 8) % nw;
    *seed = *seed * 1103515245u + 12345u;
    size_t b = a + (*seed >> 8) % (nw - a);
    st->ranges++;
    if (!origin_ok(v, s, len, o, starts[a], ends[b])) st->rfails++;
  }
  /* The whole view maps to the whole input (leading dropped bytes aside). */
  size_t oi, oj, prev = 0;
  lode_view_origin(v, 0, vn, &oi, &oj);
  if (vn && oj != len) st->rfails++;
  for (size_t k = 0; k <= vn; k++) {
    size_t off = lode_view_origin_offset(v, k);
    if (off < prev || off > len) { st->rfails++; break; }
    prev = off;
  }
  lode_view_free(v);
}

/* ---- random strings ---------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
  uint64_t x = rng_state;
  x ^= x << 13; x ^= x >> 7; x ^= x << 17;
  rng_state = x;
  return (uint32_t)(x >> 32);
}

static const char *palette[] = {
  "a", "b", "e", "Z", "K", "s", "i", "o", " ", " ", "  ", "\t", "\n", ".", ",", "-", "'",
  "\xCC\x81",          /* U+0301 */
  "\xCC\xA3",          /* U+0323 */
  "\xCC\x88",          /* U+0308 */
  "\xC3\xA9",          /* é */
  "\xC3\x85",          /* Å */
  "\xEA\xB0\x80",      /* 가 */
  "\xED\x9E\xA3",      /* 힣 */
  "\xE1\x84\x80",      /* U+1100 */
  "\xE1\x85\xA1",      /* U+1161 */
  "\xE1\x86\xA8",      /* U+11A8 */
  "\xEF\xAC\x81",      /* ﬁ */
  "\xEF\xAC\x82",      /* ﬂ */
  "\xEF\xBC\xA1",      /* Ａ */
  "\xEF\xBC\xBA",      /* Ｚ */
  "\xC2\xA0",          /* NBSP */
  "\xC2\xA0\xC2\xA0",  /* NBSP run */
  "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D",  /* curly quotes */
  "\xE2\x80\x94",      /* em dash */
  "\xE2\x80\xA6",      /* … */
  "\xE2\x80\x8B",      /* ZWSP */
  "\xC3\x9F",          /* ß */
  "\xC4\xB0",          /* İ */
  "\xCE\x90",          /* ΐ */
  "\x01", "\xC2\xAD",  /* a C0 control, soft hyphen */
  "\xD0\x91", "\xD0\xB1",  /* Б б: one character folded to one of its length */
  "\xCE\xA9",          /* Ω */
  "\xC9\x99",          /* ə: its own normalization */
  "\t\t", " \t ",       /* space runs */
};
#define NPALETTE (sizeof palette / sizeof palette[0])

static size_t random_string(char *buf, size_t maxitems) {
  size_t n = 0, items = rnd() % (maxitems + 1);
  for (size_t k = 0; k < items; k++) {
    const char *p = palette[rnd() % NPALETTE];
    size_t l = strlen(p);
    memcpy(buf + n, p, l);
    n += l;
  }
  buf[n] = '\0';
  return n;
}

static const lode_norm_opts opt_sets[] = {
  {LODE_FORM_NFKC, LODE_NORM_CASEFOLD | LODE_NORM_TYPOGRAPHY | LODE_NORM_CONTROLS | LODE_NORM_COLLAPSE},
  {LODE_FORM_NFC, 0},
  {LODE_FORM_NFKC, 0},
  {LODE_FORM_NFC, LODE_NORM_CASEFOLD},
  {LODE_FORM_NFKC, LODE_NORM_CASEFOLD | LODE_NORM_STRIP_MARKS},
  {LODE_FORM_NFC, LODE_NORM_STRIP_MARKS | LODE_NORM_COLLAPSE | LODE_NORM_CONTROLS},
  {LODE_FORM_NONE, 0},
  {LODE_FORM_NONE, LODE_NORM_CASEFOLD | LODE_NORM_TYPOGRAPHY},
  {LODE_FORM_NONE, LODE_NORM_STRIP_MARKS | LODE_NORM_CONTROLS},
  {LODE_FORM_NFKC, LODE_NORM_CASEFOLD | LODE_NORM_TYPOGRAPHY | LODE_NORM_CONTROLS |
                   LODE_NORM_COLLAPSE | LODE_NORM_STRIP_MARKS},
};
#define NOPTS (sizeof opt_sets / sizeof opt_sets[0])

static int same_as_reference(const char *s, size_t len, const lode_norm_opts *o) {
  size_t rn, ln, vn;
  char *r = ref_normalize(s, len, o->form, o->flags, &rn);
  char *l = norm(s, len, o->form, o->flags, &ln);
  lode_error err;
  lode_view *v = lode_normalize(s, len, o, &err);
  const char *vb = v ? lode_view_bytes(v, &vn) : NULL;
  int ok = r && l && vb && rn == ln && rn == vn && memcmp(r, l, rn) == 0 &&
           memcmp(r, vb, rn) == 0 && vb[vn] == '\0';
  if (!ok && getenv("LODE_TEST_VERBOSE"))
    fprintf(stderr, "  opts %d/%#x: \"%s\"\n    ref  \"%.*s\"\n    lode \"%.*s\"\n", (int)o->form,
            o->flags, s, (int)rn, r ? r : "", (int)ln, l ? l : "");
  free(r);
  free(l);
  lode_view_free(v);
  return ok;
}

static void test_reference_and_property(void) {
  static char buf[4096];
  unsigned seed = 1;
  /* Corpus: whole files against the reference, words against the original. */
  for (size_t k = 0; k < TEST_NCORPUS; k++) {
    size_t len;
    char *s = test_read_corpus(k, &len);
    CHECK_MSG(len > 1000, "read %s", test_corpus_files[k]);
    for (size_t o = 0; o < NOPTS; o++)
      CHECK_MSG(same_as_reference(s, len, &opt_sets[o]), "%s opts #%zu", test_corpus_files[k], o);
    prop_stats st = {0, 0, 0, 0};
    check_property(s, len, &opt_sets[0], &st, &seed);
    printf("property on %s: %ld words, %ld fail; %ld ranges, %ld fail\n", test_corpus_files[k],
           st.words, st.fails, st.ranges, st.rfails);
    CHECK(st.words > 500 && st.fails == 0 && st.rfails == 0);
    free(s);
  }
  /* Random palette strings, every option set. */
  for (size_t o = 0; o < NOPTS; o++) {
    prop_stats st = {0, 0, 0, 0};
    long refs = 0, ref_fails = 0;
    for (int t = 0; t < (int)test_scale(3000); t++) {
      size_t len = random_string(buf, 40);
      refs++;
      if (!same_as_reference(buf, len, &opt_sets[o])) ref_fails++;
      check_property(buf, len, &opt_sets[o], &st, &seed);
    }
    printf("random strings, opts #%zu: reference %ld/%ld differ; %ld words, %ld fail; "
           "%ld ranges, %ld fail\n", o, ref_fails, refs, st.words, st.fails, st.ranges, st.rfails);
    CHECK_MSG(ref_fails == 0, "opts #%zu: %ld strings differ from the reference", o, ref_fails);
    CHECK_MSG(st.words > (long)test_scale(10000) && st.fails == 0 && st.rfails == 0,
              "opts #%zu: %ld of %ld words fail, %ld ranges fail", o, st.fails, st.words, st.rfails);
  }
}

/* Long strings of ASCII words with palette items between them, so that
 * the items fall at every offset of the fast loop's 16-byte blocks. */
static void test_random_long(void) {
  static char buf[8192];
  static const char *words[] = {"the ", "Caucasus ", "said", " ", "2024", "a", ", ", "Aliyev",
                                "\n", "of the region "};
  unsigned seed = 5;
  for (size_t o = 0; o < NOPTS; o++) {
    prop_stats st = {0, 0, 0, 0};
    long fails = 0;
    for (int t = 0; t < (int)test_scale(300); t++) {
      size_t n = 0, items = rnd() % 200;
      for (size_t k = 0; k < items; k++) {
        const char *p = rnd() % 4 ? words[rnd() % 10] : palette[rnd() % NPALETTE];
        size_t l = strlen(p);
        memcpy(buf + n, p, l);
        n += l;
      }
      buf[n] = '\0';
      if (!same_as_reference(buf, n, &opt_sets[o])) fails++;
      check_property(buf, n, &opt_sets[o], &st, &seed);
    }
    printf("long random strings, opts #%zu: %ld differ; %ld words, %ld fail; %ld ranges, %ld fail\n",
           o, fails, st.words, st.fails, st.ranges, st.rfails);
    CHECK_MSG(fails == 0 && st.fails == 0 && st.rfails == 0, "opts #%zu", o);
  }
}

/* ---- 4. targeted cases -------------------------------------------------------- */

#define ALL (LODE_NORM_CASEFOLD | LODE_NORM_TYPOGRAPHY | LODE_NORM_CONTROLS | LODE_NORM_COLLAPSE)

/* The origin of view [i, j) of `in` normalized with MATCH_FORM-like flags. */
static int origin_is(const char *in, size_t i, size_t j, size_t want_i, size_t want_j) {
  lode_norm_opts o = {LODE_FORM_NFKC, ALL | LODE_NORM_STRIP_MARKS};
  lode_view *v = lode_normalize(in, strlen(in), &o, NULL);
  size_t oi = 99, oj = 99;
  if (!v) return 0;
  lode_view_origin(v, i, j, &oi, &oj);
  lode_view_free(v);
  if ((oi != want_i || oj != want_j) && getenv("LODE_TEST_VERBOSE"))
    fprintf(stderr, "  \"%s\" [%zu,%zu) -> [%zu,%zu), want [%zu,%zu)\n", in, i, j, oi, oj,
            want_i, want_j);
  return oi == want_i && oj == want_j;
}

/* The map after the shortcuts of build(): folded capitals join the aligned
 * run, a space run is one piece, a curly quote one piece of its own. */
static void test_map_pieces(void) {
  /* "ПРИВЕТ  Мир’s": 12 + 2 + 6 + 3 + 1 bytes -> "привет мир's" */
  const char *s = "\xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2  \xD0\x9C\xD0\xB8\xD1\x80"
                  "\xE2\x80\x99s";
  CHECK(view_is(s, LODE_FORM_NFKC, ALL, "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
                "\xD0\xBC\xD0\xB8\xD1\x80's"));
  CHECK(origin_is(s, 2, 4, 2, 4));      /* "р" inside the folded run */
  CHECK(origin_is(s, 12, 13, 12, 14));  /* the collapsed space run */
  CHECK(origin_is(s, 13, 19, 14, 20));  /* "мир" */
  CHECK(origin_is(s, 19, 20, 20, 23));  /* ' <- ’ */
  CHECK(origin_is(s, 20, 21, 23, 24));  /* s, the last piece */
  CHECK(origin_is(s, 0, 21, 0, 24));
  /* a space run between words, before a curly quote and at the end */
  CHECK(origin_is("a \t b", 1, 2, 1, 4));
  CHECK(origin_is("a  \xE2\x80\x9C" "b", 2, 3, 3, 6));
  CHECK(origin_is("a  ", 1, 2, 1, 3));
}

/* Head pieces: a character folded to a shorter one starts the piece of
 * the run after it (see normalize.c, struct piece). Every offset around
 * it maps as if fold and run were separate pieces. */
static void test_head_pieces(void) {
  /* a ’ b: view "a'b" */
  CHECK(origin_is("a\xE2\x80\x99" "bc", 1, 2, 1, 4));
  CHECK(origin_is("a\xE2\x80\x99" "bc", 2, 3, 4, 5));
  CHECK(origin_is("a\xE2\x80\x99" "bc", 1, 3, 1, 5));
  CHECK(origin_is("a\xE2\x80\x99" "bc", 3, 4, 5, 6));
  CHECK(origin_is("a\xE2\x80\x99" "bc", 2, 2, 4, 4));
  /* two folds in a row, one at the end */
  CHECK(origin_is("\xE2\x80\x9C\xE2\x80\x98x\xE2\x80\x94", 1, 2, 3, 6));
  CHECK(origin_is("\xE2\x80\x9C\xE2\x80\x98x\xE2\x80\x94", 2, 4, 6, 10));
  /* a stripped accent (2 bytes -> 1) and the Kelvin sign (3 -> 1) */
  CHECK(view_is("a\xC4\x9F" "b", LODE_FORM_NFKC, ALL | LODE_NORM_STRIP_MARKS, "agb"));
  CHECK(origin_is("a\xC4\x9F" "b", 1, 2, 1, 3));
  CHECK(origin_is("a\xC4\x9F" "b", 2, 3, 3, 4));
  CHECK(view_is("\xE2\x84\xAAm", LODE_FORM_NFKC, ALL, "km"));
  CHECK(origin_is("\xE2\x84\xAAm", 1, 2, 3, 4));
  /* the Ohm sign: 3 bytes -> 2-byte omega, a head of two bytes; an offset
   * inside it rounds up to the next character */
  CHECK(view_is("\xE2\x84\xA6x", LODE_FORM_NFKC, ALL, "\xCF\x89x"));
  CHECK(origin_is("\xE2\x84\xA6x", 0, 2, 0, 3));
  CHECK(origin_is("\xE2\x84\xA6x", 1, 3, 3, 4));
  CHECK(origin_is("\xE2\x84\xA6x", 2, 3, 3, 4));
  /* an NBSP folded to ' ' with a space on either side: one collapsed unit */
  CHECK(view_is("a\xC2\xA0 b", LODE_FORM_NFKC, ALL, "a b"));
  CHECK(origin_is("a\xC2\xA0 b", 1, 2, 1, 4));
  CHECK(origin_is("a \xC2\xA0" "b", 1, 2, 1, 4));
  CHECK(origin_is("a \xC2\xA0" "b", 2, 3, 4, 5));
  /* collapsed space runs of up to 4 bytes head the run after them; longer
   * ones are a piece of their own */
  CHECK(view_is("a   bc", LODE_FORM_NFKC, ALL, "a bc"));
  CHECK(origin_is("a   bc", 1, 2, 1, 4));
  CHECK(origin_is("a   bc", 2, 3, 4, 5));
  CHECK(origin_is("a   bc", 1, 3, 1, 5));
  CHECK(origin_is("a   bc", 2, 2, 4, 4));
  CHECK(origin_is("a   bc", 3, 4, 5, 6));
  CHECK(origin_is("a     b", 1, 2, 1, 6));
  CHECK(origin_is("a     b", 2, 3, 6, 7));
  CHECK(origin_is("a\xC2\xA0  b", 1, 2, 1, 5));
  CHECK(origin_is("a\xC2\xA0  b", 2, 3, 5, 6));
  CHECK(origin_is("a\xC2\xA0 \xC2\xA0" "b", 1, 2, 1, 6));
  CHECK(origin_is("a\xC2\xA0 \xC2\xA0" "b", 2, 3, 6, 7));
  /* a space run whose first ' ' is the whole run after a fold */
  CHECK(view_is("a\xE2\x80\x99  b", LODE_FORM_NFKC, ALL, "a' b"));
  CHECK(origin_is("a\xE2\x80\x99  b", 2, 3, 4, 6));
  CHECK(origin_is("a\xE2\x80\x99  b", 3, 4, 6, 7));
  CHECK(origin_is("a\xE2\x80\x99  b", 1, 3, 1, 6));
  CHECK(origin_is("ab  \xE2\x80\x99", 2, 4, 2, 7));
  /* U+2010..U+201F, which the fast loop folds without its cache: the
   * dashes and quotes head the run after them, U+2016 and U+2017 do not
   * fold; before a combining mark none is a chunk of its own */
  for (unsigned x = 0x90; x <= 0x9F; x++) {
    char in[] = {'a', '\xE2', '\x80', (char)x, 'b', 'c', '\0'};
    char fold = x <= 0x95 ? '-' : x <= 0x97 ? 0 : x <= 0x9B ? '\'' : '"';
    char want[] = {'a', fold, 'b', 'c', '\0'};
    for (size_t o = 0; o < NOPTS; o++)
      CHECK_MSG(same_as_reference(in, 6, &opt_sets[o]), "U+20%02X, options %zu", x - 0x80, o);
    if (!fold) continue;
    CHECK_MSG(view_is(in, LODE_FORM_NFKC, ALL, want), "U+20%02X", x - 0x80);
    CHECK_MSG(origin_is(in, 1, 2, 1, 4) && origin_is(in, 2, 3, 4, 5) && origin_is(in, 1, 3, 1, 5),
              "U+20%02X", x - 0x80);
    char marked[] = {'a', '\xE2', '\x80', (char)x, '\xCC', '\x81', 'b', '\0'};
    for (size_t o = 0; o < NOPTS; o++)
      CHECK_MSG(same_as_reference(marked, 7, &opt_sets[o]), "U+20%02X + mark, options %zu",
                x - 0x80, o);
  }
}

/* The fast loop reads 32 bytes at a time with AVX2, 16 without (and in
 * the last 32 bytes): spaces pairs, controls and folds at every offset of
 * a block, on both sides of a block edge, and in the last blocks. */
static void test_fast_loop(void) {
  char s[256];
  for (size_t at = 0; at < 90; at++) {
    memset(s, 'x', sizeof s);
    /* "  " at `at`: the second space is dropped from the view */
    memcpy(s + at, "  ", 2);
    s[100] = '\0';
    char want[256];
    memcpy(want, s, at + 1);
    memcpy(want + at + 1, s + at + 2, 100 - at - 1);
    CHECK_MSG(view_is(s, LODE_FORM_NFKC, ALL, want), "space pair at %zu", at);
    CHECK_MSG(origin_is(s, at, at + 1, at, at + 2), "space pair at %zu", at);
    /* an NBSP then a space at `at`: collapsed after the fold */
    memset(s, 'x', sizeof s);
    memcpy(s + at, "\xC2\xA0 ", 3);
    s[100] = '\0';
    CHECK_MSG(origin_is(s, at, at + 1, at, at + 3), "NBSP and space at %zu", at);
    CHECK_MSG(origin_is(s, at + 1, at + 2, at + 3, at + 4), "after NBSP at %zu", at);
    /* a DEL and a C0 control are dropped; "\n6" (whose bytes sum to 0x40,
     * like two spaces) and a curly quote are kept */
    memset(s, 'x', sizeof s);
    memcpy(s + at, "\x7F\x01\n6\xE2\x80\x99", 7);
    s[100] = '\0';
    memset(want, 'x', sizeof want);
    memcpy(want + at, "\n6'", 3);
    want[100 - 4] = '\0';
    CHECK_MSG(view_is(s, LODE_FORM_NFKC, ALL, want), "controls at %zu", at);
    CHECK_MSG(origin_is(s, at, at + 1, at + 2, at + 3), "newline after controls at %zu", at);
    CHECK_MSG(origin_is(s, at + 2, at + 3, at + 4, at + 7), "quote at %zu", at);
  }
  /* Runs of blanks (spaces, tabs, NBSPs, U+2003s: 2 to 13 of them, their
   * kinds picked by a counter) at every offset of a block, before a
   * letter or a newline: one ' ' in the view, from the whole run. */
  static const char *const blanks[] = {" ", "\t", "\xC2\xA0", "\xE2\x80\x83"};
  unsigned pick = 0;
  for (size_t at = 1; at < 70; at++)
    for (size_t k = 2; k <= 13; k++)
      for (int mix = 0; mix < 3; mix++)
        for (int nl = 0; nl < 2; nl++) {
          char want[256];
          size_t n = at;
          memset(s, 'x', at);
          for (size_t i = 0; i < k; i++) {
            /* mix 0: spaces; 1: one tab or NBSP among them; 2: any kinds */
            const char *u = mix == 0 ? " " : mix == 1 ? (i == k / 2 ? blanks[1 + pick % 3] : " ")
                                                      : blanks[(pick >> 2) % 4];
            pick = pick * 1103515245u + 12345u;
            n += (size_t)sprintf(s + n, "%s", u);
          }
          size_t end = n;
          n += (size_t)sprintf(s + n, "%sYxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", nl ? "\n" : "");
          sprintf(want, "%.*s %syxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", (int)at, s,
                  nl ? "\n" : "");
          CHECK_MSG(view_is(s, LODE_FORM_NFKC, ALL, want), "blanks %zu/%d at %zu", k, mix, at);
          CHECK_MSG(origin_is(s, at, at + 1, at, end), "blanks %zu/%d at %zu", k, mix, at);
          CHECK_MSG(origin_is(s, at + 1, at + 2, end, end + 1), "after blanks %zu/%d at %zu", k,
                    mix, at);
          CHECK_MSG(same_as_reference(s, n, &opt_sets[NOPTS - 1]), "blanks %zu/%d at %zu", k, mix,
                    at);
        }
  /* A curly quote inside a block, after a fold that heads the run (so the
   * wide blocks may fold it in place), before what they leave to the loop
   * after them: a control, a letter of 2 bytes, another quote, the text's
   * end; and after a piece that is not aligned (a dropped control). */
  static const char *const after[] = {"\x01", "\xC3\xA9", "\xE2\x80\x9C", "", "x"};
  static const char *const want_after[] = {"", "\xC3\xA9", "\"", "", "x"};
  static const char *const before[] = {"", "", "", "", "\x01xx"};
  static const size_t next[] = {4, 3, 3, 0, 3}, nlen[] = {1, 2, 3, 0, 1};
  for (size_t at = 0; at < 70; at++)
    for (size_t k = 0; k < 5; k++) {
      char want[256];
      const char *tail = k == 3 ? "" : "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
      size_t n = (size_t)sprintf(s, "\xE2\x80\x9C%.*s%s", (int)at, tail, before[k]);
      size_t pos = n, vpos = n - 2 - (k == 4);   /* the quote in s, in the view */
      n += (size_t)sprintf(s + n, "\xE2\x80\x99%s%s", after[k], tail);
      sprintf(want, "\"%.*s%s'%s%s", (int)at, tail, k == 4 ? "xx" : "", want_after[k], tail);
      CHECK_MSG(view_is(s, LODE_FORM_NFKC, ALL, want), "quote at %zu before item %zu", at, k);
      /* a dropped control joins the quote's chunk */
      CHECK_MSG(origin_is(s, vpos, vpos + 1, pos, pos + 3 + (k == 0)),
                "quote at %zu before item %zu", at, k);
      CHECK_MSG(k == 3 || origin_is(s, vpos + 1, vpos + 2, pos + next[k], pos + next[k] + nlen[k]),
                "after the quote at %zu, item %zu", at, k);
      CHECK_MSG(same_as_reference(s, n, &opt_sets[NOPTS - 1]), "quote at %zu, item %zu", at, k);
    }
  /* Folds to ' ' (NBSP, U+2003, U+202F) and guillemets and primes in a
   * block, after a fold that heads the run: a ' ' collapses with a blank
   * next to it (the wide blocks leave those to the loop after them). */
  static const char *const folds[] = {"\xC2\xA0", "\xE2\x80\x83", "\xE2\x80\xAF",
                                      "\xC2\xAB", "\xE2\x80\xB2"};
  static const char *const sides[][2] = {{"", "x"}, {" ", "x"}, {"", " x"}, {"", "\tx"},
                                         {"", "\n"}, {"x", "\xC3\xA9"}};
  for (size_t at = 0; at < 70; at++)
    for (size_t f = 0; f < 5; f++)
      for (size_t k = 0; k < 6; k++) {
        size_t n = (size_t)sprintf(s, "\xE2\x80\x9C%.*s%s", (int)at,
                                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                   sides[k][0]);
        size_t pos = n, vpos = n - 2, len = strlen(folds[f]);
        n += (size_t)sprintf(s + n, "%s%s%s", folds[f], sides[k][1],
                             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        CHECK_MSG(same_as_reference(s, n, &opt_sets[NOPTS - 1]), "fold %zu at %zu, sides %zu", f,
                  at, k);
        if (k == 0 || k == 5 || f >= 3)
          CHECK_MSG(origin_is(s, vpos, vpos + 1, pos, pos + len), "fold %zu at %zu, sides %zu", f,
                    at, k);
      }
  /* More quotes than the map's room up front (a piece per 64 bytes): the
   * blocks leave the ones past it to the loop after them, which grows it. */
  {
    static char dense[8192 + 1];
    char want[4096 + 1];
    for (size_t i = 0; i < 2048; i++) {
      memcpy(dense + 4 * i, "a\xE2\x80\x9D", 4);
      memcpy(want + 2 * i, "a\"", 2);
    }
    want[4096] = '\0';
    CHECK(view_is(dense, LODE_FORM_NFKC, ALL, want));
    CHECK(origin_is(dense, 4095, 4096, 8189, 8192) && origin_is(dense, 2001, 2002, 4001, 4004));
    CHECK(origin_is(dense, 2000, 4001, 4000, 8001));
  }
  /* A curly quote before a combining mark is not a chunk of its own. */
  CHECK(same_as_reference("x\xE2\x80\x99\xCC\x81y", 8, &opt_sets[0]));
  CHECK(same_as_reference("xxxxxxxxxxxxxxxxxxxx\xE2\x80\x99\xCC\x81y", 26, &opt_sets[9]));
}

/* Every 2- and 3-byte code point of a few blocks, each between letters,
 * twice: more than the fast loop's cache holds, against the reference;
 * the map in bounds and monotone. (check_property does not apply: words inside one code point's
 * expansion, U+FDFA's four, map to the whole code point.) */
static void test_many_code_points(void) {
  static const int32_t ranges[][2] = {{0xA0, 0x7FF}, {0x1E00, 0x1FFF}, {0x2000, 0x22FF},
                                      {0xFB00, 0xFFFD}};
  size_t cap = 64 << 10, n = 0;
  char *s = malloc(cap);
  for (int round = 0; round < 2; round++)
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
      for (int32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
        if (n + 8 > cap) s = realloc(s, cap *= 2);
        n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)s + n);
        s[n++] = "ab "[cp % 3];
      }
  for (size_t o = 0; o < NOPTS; o++) {
    CHECK_MSG(same_as_reference(s, n, &opt_sets[o]), "opts #%zu", o);
    lode_view *v = lode_normalize(s, n, &opt_sets[o], NULL);
    size_t vn = 0, prev = 0, bad = 0, oi, oj;
    if (v) lode_view_bytes(v, &vn);
    for (size_t i = 0; v && i < vn; i++) {
      lode_view_origin(v, i, i + 1, &oi, &oj);
      if (oi < prev || oj > n) bad++;
      prev = oi;
    }
    CHECK_MSG(v && bad == 0, "opts #%zu: %zu bad offsets", o, bad);
    lode_view_free(v);
  }
  free(s);
  /* bad UTF-8 right after a code point the cache knows, and as its look-ahead */
  lode_error err;
  lode_norm_opts o = {LODE_FORM_NFKC, ALL};
  CHECK(lode_normalize("a\xE2\x80\x99" "b\xE2\x80\x99\xFF", 9, &o, &err) == NULL &&
        err.code == LODE_EENCODING && err.offset == 8);
  CHECK(lode_normalize("\xE2\x80\x99\xC3", 4, &o, &err) == NULL &&
        err.code == LODE_EENCODING && err.offset == 3);
}

/* lode_view_origin_walk gives lode_view_origin's answer: for ranges in
 * increasing order (its use: a scan's hits), for ranges in any order with
 * one walk kept throughout, and for ranges cut inside a character or past
 * the end. The text has many pieces: folds, collapsed spaces, expansions. */
static void test_origin_walk(void) {
  static const char *const parts[] = {"Caf\xC3\xA9 ", "\xE2\x80\x9CQ\xE2\x80\x9D", "  \t ",
                                      "\xEF\xAC\x81ne ", "\xE1\xBA\x9E", "x", "\xC2\xBD ", "Nakhchivan"};
  char s[4096];
  size_t n = 0, bad = 0;
  uint32_t seed = 7;
  while (n + 16 < sizeof s) {
    seed = seed * 1103515245u + 12345u;
    const char *p = parts[(seed >> 16) % (sizeof parts / sizeof parts[0])];
    memcpy(s + n, p, strlen(p));
    n += strlen(p);
  }
  for (size_t o = 0; o < NOPTS; o++) {
    lode_view *v = lode_normalize(s, n, &opt_sets[o], NULL);
    size_t vn, walk = 0, oi, oj, wi, wj;
    CHECK_MSG(v != NULL, "opts #%zu", o);
    if (!v) continue;
    lode_view_bytes(v, &vn);
    for (size_t len = 0; len < 40; len += 7) {
      walk = 0;
      for (size_t i = 0; i <= vn + 2; i += 1 + len % 3) {
        lode_view_origin(v, i, i + len, &oi, &oj);
        lode_view_origin_walk(v, &walk, i, i + len, &wi, &wj);
        if (wi != oi || wj != oj) bad++;
      }
    }
    for (int k = 0; k < 2000; k++) {   /* any order, the walk kept */
      size_t i, j;
      seed = seed * 1103515245u + 12345u;
      i = (seed >> 8) % (vn + 3);
      seed = seed * 1103515245u + 12345u;
      j = k % 5 == 0 ? i / 2 : i + (seed >> 8) % 64;   /* some with j < i */
      lode_view_origin(v, i, j, &oi, &oj);
      lode_view_origin_walk(v, &walk, i, j, &wi, &wj);
      if (wi != oi || wj != oj) bad++;
    }
    CHECK_MSG(bad == 0, "opts #%zu: %zu ranges mapped differently", o, bad);
    lode_view_free(v);
  }
}

static void test_targeted(void) {
  CHECK(view_is("Azerbaijan\xE2\x80\x99s", LODE_FORM_NFKC, ALL, "azerbaijan's"));
  CHECK(view_is("\xE2\x80\x9CNakhchivan\xE2\x80\x9D", LODE_FORM_NFKC, ALL, "\"nakhchivan\""));
  CHECK(view_is("\xE2\x80\x9CNakhchivan\xE2\x80\x9D", LODE_FORM_NFKC, LODE_NORM_CASEFOLD,
                "\xE2\x80\x9Cnakhchivan\xE2\x80\x9D"));
  CHECK(view_is("e\xCC\x81", LODE_FORM_NFC, 0, "\xC3\xA9"));
  CHECK(view_is("\xC3\xA9", LODE_FORM_NFC, LODE_NORM_CASEFOLD, "\xC3\xA9"));
  CHECK(view_is("Stra\xC3\x9F" "e", LODE_FORM_NFC, LODE_NORM_CASEFOLD, "strasse"));
  CHECK(view_is("\xC4\xB0stanbul", LODE_FORM_NFC, LODE_NORM_CASEFOLD, "i\xCC\x87stanbul"));
  CHECK(view_is("\xE2\x80\x94 \xE2\x80\x93 \xE2\x88\x92 \xE2\x80\xA6", LODE_FORM_NFC,
                LODE_NORM_TYPOGRAPHY, "- - - ..."));
  CHECK(view_is("\xC2\xAB" "a\xC2\xBB \xE2\x80\x9E" "b\xE2\x80\x9F \xCA\xBC" "c\xE2\x80\xB2",
                LODE_FORM_NFC, LODE_NORM_TYPOGRAPHY, "\"a\" \"b\" 'c'"));
  /* NFKC alone turns U+2014-producing compatibility forms into dashes too. */
  CHECK(view_is("\xEF\xB9\x98", LODE_FORM_NFKC, LODE_NORM_TYPOGRAPHY, "-"));  /* U+FE58 */
  CHECK(view_is("\xEF\xB9\x98", LODE_FORM_NFKC, 0, "\xE2\x80\x94"));
  /* Strip marks: utf8proc removes Mn/Mc/Me after decomposition; the schwa
   * U+0259 is a letter of its own and stays. */
  CHECK(view_is("K\xC9\x99lb\xC9\x99" "c\xC9\x99r", LODE_FORM_NFC,
                LODE_NORM_CASEFOLD | LODE_NORM_STRIP_MARKS, "k\xC9\x99lb\xC9\x99" "c\xC9\x99r"));
  CHECK(view_is("\xC5\x9Eu\xC5\x9F" "a", LODE_FORM_NFC, LODE_NORM_CASEFOLD | LODE_NORM_STRIP_MARKS,
                "susa"));
  CHECK(view_is("Kalbajar/K\xC3\xA4lb\xC3\xA4" "c\xC3\xA4r \xC3\x87" "a\xC4\x9F",
                LODE_FORM_NFKC, LODE_NORM_CASEFOLD | LODE_NORM_STRIP_MARKS, "kalbajar/kalbacar cag"));
  CHECK(view_is("a \xC2\xA0\t b", LODE_FORM_NFC, LODE_NORM_TYPOGRAPHY | LODE_NORM_COLLAPSE, "a b"));
  CHECK(view_is("a\tb\n\n  c \r\n", LODE_FORM_NFC, LODE_NORM_COLLAPSE, "a b\n\n c \r\n"));
  CHECK(view_is("a \xC2\xA0 b", LODE_FORM_NFC, LODE_NORM_COLLAPSE, "a \xC2\xA0 b"));
  CHECK(view_is("a \xC2\xA0 b", LODE_FORM_NFKC, LODE_NORM_COLLAPSE, "a b"));
  CHECK(view_is("\x01" "a\x7F" "b\xE2\x80\x8B" "c\xC2\xAD" "d\xEF\xBB\xBF" "e\xC2\x85" "f\t\r\n",
                LODE_FORM_NFC, LODE_NORM_CONTROLS, "abcdef\t\r\n"));
  /* A dropped control between a letter and its mark does not block NFC. */
  CHECK(view_is("e\xE2\x80\x8B\xCC\x81", LODE_FORM_NFC, LODE_NORM_CONTROLS, "\xC3\xA9"));
  CHECK(view_is("e\xE2\x80\x8B\xCC\x81", LODE_FORM_NFC, 0, "e\xE2\x80\x8B\xCC\x81"));
  CHECK(view_is("\xEA\xB0\x80\xE1\x86\xA8", LODE_FORM_NFC, 0, "\xEA\xB0\x81"));  /* 가 + ᆨ = 각 */
  CHECK(view_is("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", LODE_FORM_NFC, 0, "\xEA\xB0\x81"));
  CHECK(view_is("\xEF\xBC\xA1\xEF\xBC\xBA", LODE_FORM_NFKC, LODE_NORM_CASEFOLD, "az"));
  CHECK(view_is("", LODE_FORM_NFKC, ALL, ""));

  /* "ﬁve" -> "five", and the origin of "five" is the whole original. */
  {
    const char *s = "\xEF\xAC\x81ve";
    lode_norm_opts o = {LODE_FORM_NFKC, 0};
    lode_view *v = lode_normalize(s, strlen(s), &o, NULL);
    size_t n, oi, oj;
    const char *b = lode_view_bytes(v, &n);
    CHECK_BYTES(b, n, "five");
    lode_view_origin(v, 0, 4, &oi, &oj);
    CHECK(oi == 0 && oj == 5);
    lode_view_origin(v, 1, 2, &oi, &oj);  /* "i" is inside the ligature */
    CHECK(oi == 0 && oj == 3);
    lode_view_origin(v, 2, 4, &oi, &oj);  /* "ve" maps exactly */
    CHECK(oi == 3 && oj == 5);
    lode_view_origin(v, 4, 4, &oi, &oj);
    CHECK(oi == 5 && oj == 5);
    lode_view_origin(v, 3, 3, &oi, &oj);
    CHECK(oi == 4 && oj == 4);
    CHECK(lode_view_origin_offset(v, 2) == 3);
    lode_view_free(v);
  }
  /* One code point whose NFKC form holds punctuation is one piece. */
  {
    lode_norm_opts o = {LODE_FORM_NFKC, 0};
    lode_view *v = lode_normalize("x\xE2\x91\xB4y", 5, &o, NULL);  /* x⑴y */
    size_t n, oi, oj;
    const char *b = lode_view_bytes(v, &n);
    CHECK_BYTES(b, n, "x(1)y");
    lode_view_origin(v, 2, 3, &oi, &oj);
    CHECK(oi == 1 && oj == 4);
    lode_view_origin(v, 4, 5, &oi, &oj);
    CHECK(oi == 4 && oj == 5);
    lode_view_free(v);
  }
  /* Exact offsets through ASCII case folding and a folded quote. */
  {
    const char *s = "The \xE2\x80\x9CNakhchivan\xE2\x80\x9D  corridor";
    lode_norm_opts o = {LODE_FORM_NFKC, ALL};
    lode_view *v = lode_normalize(s, strlen(s), &o, NULL);
    size_t n, oi, oj;
    const char *b = lode_view_bytes(v, &n);
    CHECK_BYTES(b, n, "the \"nakhchivan\" corridor");
    lode_view_origin(v, 5, 15, &oi, &oj);  /* nakhchivan */
    CHECK(oi == 7 && oj == 17);
    lode_view_origin(v, 4, 5, &oi, &oj);   /* the opening quote */
    CHECK(oi == 4 && oj == 7);
    lode_view_origin(v, 16, 17, &oi, &oj); /* the collapsed double space */
    CHECK(oi == 20 && oj == 22);
    lode_view_origin(v, 17, n, &oi, &oj);  /* corridor */
    CHECK(oi == 22 && oj == strlen(s));
    lode_view_free(v);
  }
  /* opts NULL means NFC without folds. */
  {
    size_t n;
    char *r = lode_normalize_string("A\xCC\x8A\xE2\x80\x99", 6, NULL, &n, NULL);
    CHECK(r && n == 5 && memcmp(r, "\xC3\x85\xE2\x80\x99", 5) == 0);
    free(r);
  }
  /* NUL bytes are text: kept, or dropped as controls; never the end. */
  {
    size_t n;
    char *r = norm("a\0B\0", 4, LODE_FORM_NFC, LODE_NORM_CASEFOLD, &n);
    CHECK(r && n == 4 && memcmp(r, "a\0b\0", 4) == 0);
    free(r);
    r = norm("a\0B\0", 4, LODE_FORM_NFC, LODE_NORM_CONTROLS, &n);
    CHECK(r && n == 2 && memcmp(r, "aB", 2) == 0);
    free(r);
  }
  /* Leading dropped bytes: the view starts at the first kept byte. */
  {
    lode_norm_opts o = {LODE_FORM_NFC, LODE_NORM_CONTROLS};
    lode_view *v = lode_normalize("\xE2\x80\x8B\x01" "ab", 6, &o, NULL);
    size_t n, oi, oj;
    const char *b = lode_view_bytes(v, &n);
    CHECK_BYTES(b, n, "ab");
    lode_view_origin(v, 0, 2, &oi, &oj);
    CHECK(oi == 4 && oj == 6);
    lode_view_free(v);
    v = lode_normalize("\x01\x02", 2, &o, NULL);
    b = lode_view_bytes(v, &n);
    CHECK(v && n == 0);
    lode_view_origin(v, 0, 0, &oi, &oj);
    CHECK(oi == 2 && oj == 2);
    lode_view_free(v);
  }
  /* Out-of-range and reversed arguments are clamped, never read past. */
  {
    lode_view *v = lode_normalize("abc", 3, NULL, NULL);
    size_t oi, oj;
    lode_view_origin(v, 2, 99, &oi, &oj);
    CHECK(oi == 2 && oj == 3);
    lode_view_free(v);
  }
  lode_view_free(NULL);
}

static void test_bad_input(void) {
  static const struct { const char *s; size_t len, off, line; } bad[] = {
    {"abc\xFF", 4, 3, 1},
    {"ab\xE2\x80", 4, 2, 1},              /* truncated at the end */
    {"\xC0\xAF", 2, 0, 1},                /* overlong */
    {"x\xED\xA0\x80", 4, 1, 1},           /* surrogate */
    {"\xF4\x90\x80\x80", 4, 0, 1},        /* above U+10FFFF */
    {"a\nb\r\n\xC3\xA9\x80", 8, 7, 3},    /* stray continuation byte on line 3 */
    {"e\xCC\x81\xCC", 4, 3, 1},           /* inside a combining sequence */
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    lode_error err;
    lode_norm_opts o = {LODE_FORM_NFKC, ALL};
    lode_view *v = lode_normalize(bad[k].s, bad[k].len, &o, &err);
    CHECK_MSG(v == NULL && err.code == LODE_EENCODING && err.offset == bad[k].off &&
                  err.line == bad[k].line,
              "case %zu: code %d offset %zu line %zu (%s)", k, err.code, err.offset, err.line, err.msg);
    lode_view_free(v);
    size_t n = 0;
    char *r = lode_normalize_string(bad[k].s, bad[k].len, NULL, &n, &err);
    CHECK(r == NULL && err.code == LODE_EENCODING && err.offset == bad[k].off);
    free(r);
  }
  lode_error err;
  lode_norm_opts o = {(lode_form)7, 0};
  CHECK(lode_normalize("a", 1, &o, &err) == NULL && err.code == LODE_EARG);
  CHECK(lode_normalize(NULL, 1, NULL, &err) == NULL && err.code == LODE_EARG);
  lode_view *v = lode_normalize(NULL, 0, NULL, &err);
  CHECK(v != NULL && err.code == LODE_OK);
  lode_view_free(v);
}

/* ---- big inputs, threads, speed ----------------------------------------------- */

static void test_big(void) {
  lode_norm_opts o = {LODE_FORM_NFKC, ALL};
  size_t len;
  char *big = test_corpus_repeated(test_scale(20u << 20), &len);
  CHECK(big != NULL);
  if (!big) return;
  CHECK(same_as_reference(big, len, &o));
  free(big);

  /* 20 MB on one line, mostly non-ASCII: every chunk goes through utf8proc. */
  const char *unit = "\xEF\xBC\xA1\xC3\xA9\xC2\xA0\xEF\xAC\x81 x\xCC\x81\xE2\x80\x9C\xEA\xB0\x80\xE1\x86\xA8";
  size_t ul = strlen(unit);
  len = test_scale(20u << 20) / ul * ul;
  big = malloc(len);
  for (size_t w = 0; w < len; w += ul) memcpy(big + w, unit, ul);
  CHECK(same_as_reference(big, len, &o));
  lode_view *v = lode_normalize(big, len, &o, NULL);
  CHECK(v != NULL);
  if (v) {
    size_t n, oi, oj;
    const char *b = lode_view_bytes(v, &n);
    lode_view_origin(v, 0, n, &oi, &oj);
    CHECK(oi == 0 && oj == len);
    /* The last unit's "é" (after NFKC "aé fi x́"...) maps into the last unit. */
    lode_view_origin(v, n - 1, n, &oi, &oj);
    CHECK(oj == len && oi >= len - ul);
    CHECK(b[n] == '\0');
    lode_view_free(v);
  }
  free(big);
}

/* Runs of combining marks ("Zalgo" text): cut every 30 marks (UAX #15's
 * stream-safe bound) so normalization stays linear; the map stays exact,
 * monotone and in bounds, and a unit of the map never exceeds one cut. */
static void test_mark_runs(void) {
  static const char *marks[] = {"\xCC\x81", "\xCC\xA3", "\xCC\x88", "\xCD\x85"}; /* ccc 230 220 230 240 */
  static const size_t runs[] = {1, 29, 30, 31, 45, 300};
  const lode_norm_opts opts[] = {{LODE_FORM_NFC, 0}, {LODE_FORM_NFKC, 0}, {LODE_FORM_NFKC, ALL},
                                 {LODE_FORM_NFKC, ALL | LODE_NORM_STRIP_MARKS}};
  unsigned seed = 7;
  for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
      char s[1024];
      size_t len = 0;
      memcpy(s, "x A", 3);
      len = 3;
      for (size_t k = 0; k < runs[r]; k++) { memcpy(s + len, marks[k % 4], 2); len += 2; }
      memcpy(s + len, " b.", 3);
      len += 3;
      prop_stats st = {0, 0, 0, 0};
      check_property(s, len, &opts[o], &st, &seed);
      CHECK_MSG(st.fails == 0 && st.rfails == 0, "opts #%zu, %zu marks: %ld/%ld words, %ld ranges failed",
                o, runs[r], st.fails, st.words, st.rfails);
      /* A and up to 30 marks form one chunk: exactly Unicode's answer. */
      if (runs[r] <= 30) CHECK_MSG(same_as_reference(s, len, &opts[o]), "opts #%zu, %zu marks", o, runs[r]);
      lode_view *v = lode_normalize(s, len, &opts[o], NULL);
      size_t vn, oi, oj;
      const char *vb = lode_view_bytes(v, &vn);
      lode_view_origin(v, vn - 2, vn, &oi, &oj);    /* "b." after the run */
      CHECK(vb[vn - 2] == 'b' && oi == len - 2 && oj == len);
      lode_view_origin(v, vn - 5, vn - 4, &oi, &oj); /* the run's last view byte: one cut */
      CHECK_MSG(oj - oi <= 31 * 2, "opts #%zu, %zu marks: maps to %zu bytes", o, runs[r], oj - oi);
      lode_view_free(v);
    }
  }

  /* 256 KB of marks after one letter (13 KB under valgrind); the megabyte
   * is timed in tests/bench/zalgo.lua. */
  size_t len = test_scale(256u << 10) / 8 * 8 + 1;
  char *big = malloc(len);
  big[0] = 'e';
  for (size_t w = 1; w < len; w += 2) memcpy(big + w, marks[(w / 2) % 4], 2);
  for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
    lode_view *v = lode_normalize(big, len, &opts[o], NULL);
    CHECK(v != NULL);
    if (!v) continue;
    size_t vn, oi, oj, prev = 0, widest = 0, bad = 0;
    lode_view_bytes(v, &vn);
    lode_view_origin(v, 0, vn, &oi, &oj);   /* stripped marks at the end map nowhere */
    CHECK(oi == 0 && (oj == len || (opts[o].flags & LODE_NORM_STRIP_MARKS)));
    for (size_t k = 0; k < vn; k++) {
      size_t off = lode_view_origin_offset(v, k);
      lode_view_origin(v, k, k + 1, &oi, &oj);
      if (off < prev || off > len || oj > len || oi > oj) bad++;
      if (oj - oi > widest) widest = oj - oi;
      prev = off;
    }
    CHECK_MSG(bad == 0, "opts #%zu: %zu view bytes map out of order or bounds", o, bad);
    CHECK_MSG(widest <= 31 * 2, "opts #%zu: a view byte maps to %zu original bytes", o, widest);
    lode_view_free(v);
  }
  free(big);
}

typedef struct { const char *s; size_t len; int ok; } thread_job;

static void *thread_main(void *arg) {
  thread_job *j = arg;
  lode_norm_opts o = {LODE_FORM_NFKC, ALL};
  size_t rn = 0;     /* set by ref_normalize unless it fails (gcc -O3 cannot tell) */
  char *r = ref_normalize(j->s, j->len, o.form, o.flags, &rn);
  j->ok = r != NULL;
  if (!r) return NULL;
  for (int k = 0; k < 20; k++) {
    lode_view *v = lode_normalize(j->s, j->len, &o, NULL);
    size_t n;
    const char *b = v ? lode_view_bytes(v, &n) : NULL;
    if (!b || n != rn || memcmp(b, r, n) != 0) j->ok = 0;
    lode_view_free(v);
  }
  free(r);
  return NULL;
}

static void test_threads(void) {
  pthread_t t[4];
  thread_job jobs[4];
  char *texts[4];
  for (int k = 0; k < 4; k++) {
    texts[k] = test_read_corpus((size_t)k, &jobs[k].len);
    jobs[k].s = texts[k];
    pthread_create(&t[k], NULL, thread_main, &jobs[k]);
  }
  for (int k = 0; k < 4; k++) {
    pthread_join(t[k], NULL);
    CHECK_MSG(jobs[k].ok, "thread %d", k);
    free(texts[k]);
  }
}

static void bench(void) {
  size_t len;
  char *big = test_corpus_repeated(50u << 20, &len);
  if (!big) return;
  static const struct { const char *name; lode_norm_opts o; } cases[] = {
    {"NFKC+casefold+typography, with map", {LODE_FORM_NFKC, LODE_NORM_CASEFOLD | LODE_NORM_TYPOGRAPHY}},
    {"NFKC+all folds, with map", {LODE_FORM_NFKC, ALL}},
    {"NFC, with map", {LODE_FORM_NFC, 0}},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double t0 = test_now();
    lode_view *v = lode_normalize(big, len, &cases[k].o, NULL);
    double t1 = test_now();
    CHECK(v != NULL);
    lode_view_free(v);
    printf("speed: %s: %.0f MB/s (%.1f MB)\n", cases[k].name, len / 1e6 / (t1 - t0), len / 1e6);
  }
  double t0 = test_now();
  utf8proc_uint8_t *m = NULL;
  utf8proc_ssize_t mn = utf8proc_map((const utf8proc_uint8_t *)big, (utf8proc_ssize_t)(len / 10), &m,
                                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  double t1 = test_now();
  if (mn >= 0) printf("speed: whole-buffer utf8proc_map NFKC+casefold (for comparison): %.0f MB/s\n",
                      len / 10 / 1e6 / (t1 - t0));
  free(m);
  free(big);
}

int main(void) {
  test_targeted();
  test_map_pieces();
  test_bad_input();
  test_reference_and_property();
  test_random_long();
  test_head_pieces();
  test_fast_loop();
  test_many_code_points();
  test_origin_walk();
  test_conformance();
  test_big();
  test_mark_runs();
  test_threads();
  if (test_bench_wanted()) bench();
  return test_report();
}
