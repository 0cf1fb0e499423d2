/* test_segment.c -- paragraphs, sentences and words on the corpus and on
 * nasty input (bad UTF-8, NUL bytes, empty and white-space-only input, a
 * 20 MB line, random bytes); regex matches as spans. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "test.h"

typedef int (*seg_fn)(const char *, size_t, lode_spans *, lode_error *);

/* White space at s[i] (ASCII, NBSP, U+2028/9, other common spaces)? Returns
 * its byte length or 0. Written independently of segment.c on purpose. */
static size_t space_at(const char *s, size_t len, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[i] == ' ' || (u[i] >= 9 && u[i] <= 13)) return 1;
  if (i + 1 < len && u[i] == 0xC2 && (u[i + 1] == 0xA0 || u[i + 1] == 0x85)) return 2;
  if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 &&
      ((u[i + 2] >= 0x80 && u[i + 2] <= 0x8B) || u[i + 2] == 0xA8 || u[i + 2] == 0xA9 ||
       u[i + 2] == 0xAF)) return 3;
  if (i + 2 < len && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) return 3;
  return 0;
}

static int space_before(const char *s, size_t len, size_t end) {
  size_t k;
  for (k = 1; k <= 3 && k <= end; k++)
    if (space_at(s, len, end - k) == k) return 1;
  return 0;
}

/* Every span in bounds, non-empty, sorted, non-overlapping, trimmed, and
 * (when `utf8` is set) on character boundaries. Returns failures. */
static int check_invariants(const char *what, const char *s, size_t len, const lode_spans *a,
                            int utf8) {
  size_t k, prev_end = 0;
  int bad = 0;
  for (k = 0; k < a->n && bad < 5; k++) {
    size_t st = a->v[k].start, en = a->v[k].end;
    const char *why = NULL;
    if (!(st < en)) why = "empty or inverted";
    else if (en > len) why = "past the end";
    else if (st < prev_end) why = "overlaps or unsorted";
    else if (space_at(s, len, st)) why = "starts with white space";
    else if (space_before(s, len, en)) why = "ends with white space";
    else if (utf8 && ((unsigned char)s[st] & 0xC0) == 0x80) why = "starts inside a character";
    else if (utf8 && en < len && ((unsigned char)s[en] & 0xC0) == 0x80) why = "ends inside a character";
    if (why) {
      fprintf(stderr, "%s: span %zu [%zu,%zu) %s\n", what, k, st, en, why);
      bad++;
    }
    prev_end = en;
  }
  return bad;
}

static int run(seg_fn f, const char *s, size_t len, lode_spans *out) {
  lode_error err;
  lode_spans_free(out);
  return f(s, len, out, &err);
}

/* Index of the span that equals `text` exactly, or -1. */
static long find_span(const char *s, const lode_spans *a, const char *text) {
  size_t k, n = strlen(text);
  for (k = 0; k < a->n; k++)
    if (a->v[k].end - a->v[k].start == n && memcmp(s + a->v[k].start, text, n) == 0) return (long)k;
  return -1;
}

/* Index of the span containing the bytes `needle`, or -1. */
static long span_containing(const char *s, const lode_spans *a, const char *needle) {
  size_t k, n = strlen(needle);
  for (k = 0; k < a->n; k++) {
    size_t i;
    for (i = a->v[k].start; i + n <= a->v[k].end; i++)
      if (memcmp(s + i, needle, n) == 0) return (long)k;
  }
  return -1;
}

#define STARTS(s, a, k, lit) (memcmp((s) + (a).v[k].start, (lit), strlen(lit)) == 0)

#define SPAN_IS(s, a, k, lit) \
  CHECK_BYTES((s) + (a).v[k].start, (a).v[k].end - (a).v[k].start, lit)

/* ----------------------------------------------------------- corpus */
static void test_corpus(void) {
  lode_spans p = {0}, se = {0}, w = {0};
  size_t i, len;
  for (i = 0; i < TEST_NCORPUS; i++) {
    char *s = test_read_corpus(i, &len);
    size_t k, lines = 0, at = 0;
    CHECK(run(lode_segment_paragraphs, s, len, &p) == 0);
    CHECK(run(lode_segment_sentences, s, len, &se) == 0);
    CHECK(run(lode_segment_words, s, len, &w) == 0);
    CHECK(check_invariants("paragraphs", s, len, &p, 1) == 0);
    CHECK(check_invariants("sentences", s, len, &se, 1) == 0);
    CHECK(check_invariants("words", s, len, &w, 1) == 0);
    CHECK(se.n >= p.n && w.n > se.n);
    /* Every sentence lies inside one paragraph (both lists are sorted). */
    for (k = 0; k < se.n; k++) {
      while (at < p.n && p.v[at].end <= se.v[k].start) at++;
      CHECK_MSG(at < p.n && p.v[at].start <= se.v[k].start && se.v[k].end <= p.v[at].end,
                "%s sentence %zu", test_corpus_files[i], k);
    }
    /* The scrapes put one paragraph on a line and none is hard-wrapped:
     * as many paragraphs as lines holding something other than spaces. */
    for (k = 0; k < len;) {
      size_t e = k, j;
      int blank = 1;
      while (e < len && s[e] != '\n') e++;
      for (j = k; j < e; j += space_at(s, len, j) ? space_at(s, len, j) : 1)
        if (!space_at(s, len, j)) { blank = 0; break; }
      lines += !blank;
      k = e + 1;
    }
    CHECK_MSG(p.n == lines, "%s: %zu paragraphs, %zu non-blank lines", test_corpus_files[i], p.n, lines);
    printf("info: %s: %zu paragraphs, %zu sentences, %zu words\n", test_corpus_files[i], p.n, se.n, w.n);
    free(s);
  }

  /* 001: headline, dateline and the body, sentence by sentence. */
  {
    char *s = test_read_corpus(1, &len);  /* 001_6d5d41b893ce7abd.txt */
    long k;
    run(lode_segment_paragraphs, s, len, &p);
    CHECK(find_span(s, &p, "The border escalation between Armenia and Azerbaijan is part of a dangerous pattern") >= 0);
    /* A short line followed by a lowercase one is not a wrapped paragraph. */
    CHECK(find_span(s, &p, "December 3, 2021") >= 0 && find_span(s, &p, "in Opinion") >= 0);
    CHECK(find_span(s, &p, "\xe2\x80\xa2 Opinion") >= 0);  /* "  • Opinion": indentation trimmed */
    run(lode_segment_sentences, s, len, &se);
    CHECK(find_span(s, &se, "Russian peacekeepers detained Mirzoyan, but they soon released him.") >= 0);
    /* The sentence ending .” keeps the ” and the next one starts clean. */
    k = find_span(s, &se, "While the Azerbaijani side declared Mirzoyan a terrorist and was frustrated by "
                          "his release, many in Armenia hailed him as a \xe2\x80\x9chero of revenge.\xe2\x80\x9d");
    CHECK(k >= 0);
    if (k >= 0 && (size_t)k + 1 < se.n)
      CHECK(STARTS(s, se, k + 1, "Tensions continued"));
    /* ," inside a sentence does not end it. */
    k = span_containing(s, &se, "state border,\xe2\x80\x9d stating");
    CHECK(k >= 0 && STARTS(s, se, k, "Azerbaijan\xe2\x80\x99s defense ministry"));
    /* Decimals: "43.9 million" stays in one sentence. */
    k = span_containing(s, &se, "43.9 million");
    CHECK(k >= 0 && se.v[k].end - se.v[k].start > 20);
    /* A paragraph without final punctuation is one sentence. */
    CHECK(find_span(s, &se, "Reading Time: 6 mins read") >= 0);
    run(lode_segment_words, s, len, &w);
    CHECK(find_span(s, &w, "Azerbaijan\xe2\x80\x99s") >= 0);
    CHECK(find_span(s, &w, "Azerbaijani-Armenian") >= 0);
    CHECK(find_span(s, &w, "43.9") >= 0);
    CHECK(find_span(s, &w, "$10.59bn") < 0 && find_span(s, &w, "10.59bn") >= 0);
    free(s);
  }
  /* 000: "Mr." does not end a sentence. */
  {
    char *s = test_read_corpus(0, &len);  /* 000_22d4f11e9d4f7577.txt */
    long k;
    run(lode_segment_sentences, s, len, &se);
    k = span_containing(s, &se, "Mr. Aliyev was in Moscow");
    CHECK(k >= 0 && STARTS(s, se, k, "Incidentally,"));
    CHECK(find_span(s, &se, "To appease Mr. Aliyev, Russian Foreign Minister Sergey Lavrov had announced in "
                            "Baku recently that the OSCE process is dead, because the other two co-chairs, "
                            "France and the US, refuse to cooperate with Russia.") >= 0);
    k = span_containing(s, &se, "Mr. Blinken Tweeted");
    CHECK(k >= 0 && STARTS(s, se, k, "After his most recent call"));
    free(s);
  }
  /* 002 and 003: "U.S." before a comma or a lowercase word does not split. */
  {
    char *s = test_read_corpus(2, &len);  /* 002_3ee2e9b4ed3af45a.txt */
    run(lode_segment_sentences, s, len, &se);
    CHECK(find_span(s, &se, "We are trying to restore negotiations however we can, even if that means pursuing "
                            "negotiations through the U.S., EU, and Moscow simultaneously,\xe2\x80\x9d they said.") >= 0);
    run(lode_segment_words, s, len, &w);
    CHECK(find_span(s, &w, "29,000") >= 0);
    free(s);
    s = test_read_corpus(3, &len);  /* 003_4e4d8b7c50d3a502.txt */
    run(lode_segment_sentences, s, len, &se);
    CHECK(find_span(s, &se, "Recently, Aliyev called the U.S. criticism of Azerbaijan\xe2\x80\x99s human rights "
                            "record \xe2\x80\x9c" "disgusting\xe2\x80\x9d.") >= 0);
    CHECK(find_span(s, &se, "The outgoing U.S. administration and the EU were encouraging Azerbaijan to "
                            "conclude peace with Armenia through soft mediation.") >= 0);
    run(lode_segment_words, s, len, &w);
    CHECK(find_span(s, &w, "Nagorno-Karabakh") >= 0);
    free(s);
  }
  lode_spans_free(&p);
  lode_spans_free(&se);
  lode_spans_free(&w);
}

/* ------------------------------------------------------- sentences */
static void expect_sentences(const char *text, const char *const *want, size_t nwant) {
  lode_spans a = {0};
  size_t k, len = strlen(text);
  CHECK(run(lode_segment_sentences, text, len, &a) == 0);
  CHECK(check_invariants("sentences", text, len, &a, 1) == 0);
  CHECK_MSG(a.n == nwant, "\"%s\": %zu sentences, want %zu", text, a.n, nwant);
  for (k = 0; k < a.n && k < nwant; k++) SPAN_IS(text, a, k, want[k]);
  lode_spans_free(&a);
}

#define SENTENCES(text, ...) do { \
    static const char *const w_[] = {__VA_ARGS__}; \
    expect_sentences(text, w_, sizeof w_ / sizeof w_[0]); \
  } while (0)

static void test_sentences(void) {
  SENTENCES("J. R. R. Tolkien wrote books. He died in 1973.",
            "J. R. R. Tolkien wrote books.", "He died in 1973.");
  SENTENCES("Ilham H. Aliyev spoke. Then he left.", "Ilham H. Aliyev spoke.", "Then he left.");
  SENTENCES("Dr. Smith met Gen. Jones on Jan. 5. They talked with Prof. Lee, Mrs. Lee and Sgt. Pepper.",
            "Dr. Smith met Gen. Jones on Jan. 5.", "They talked with Prof. Lee, Mrs. Lee and Sgt. Pepper.");
  /* Dotted acronyms: a split only before a clearly new sentence. */
  SENTENCES("He lives in the U.S. The next day he left.", "He lives in the U.S.", "The next day he left.");
  SENTENCES("The U.S. Congress voted. It passed.", "The U.S. Congress voted.", "It passed.");
  SENTENCES("Both the U.N. Security Council and the E.U. Commission met.",
            "Both the U.N. Security Council and the E.U. Commission met.");
  SENTENCES("Meet at 5 p.m. The bus leaves at 6 p.m. sharp.", "Meet at 5 p.m.", "The bus leaves at 6 p.m. sharp.");
  /* Table abbreviations: never (Mr, No, e.g) or only before a new sentence (etc). */
  SENTENCES("Some countries, e.g. Armenia, agree. Others, i.e. Iran, do not.",
            "Some countries, e.g. Armenia, agree.", "Others, i.e. Iran, do not.");
  SENTENCES("Apples, pears, etc. The list goes on.", "Apples, pears, etc.", "The list goes on.");
  SENTENCES("Apples, pears, etc. Armenia grows them.", "Apples, pears, etc. Armenia grows them.");
  SENTENCES("See Resolution No. 822 of 1993. It demanded withdrawal.",
            "See Resolution No. 822 of 1993.", "It demanded withdrawal.");
  /* Decimals and versions. */
  SENTENCES("Growth was 3.5 percent in v1.2 of the plan. Really?! Yes\xe2\x80\xa6 Maybe.",
            "Growth was 3.5 percent in v1.2 of the plan.", "Really?!", "Yes\xe2\x80\xa6", "Maybe.");
  /* Closing quotes and brackets stay; an opening quote starts a sentence. */
  SENTENCES("He said \xe2\x80\x9cstop.\xe2\x80\x9d Then he left.",
            "He said \xe2\x80\x9cstop.\xe2\x80\x9d", "Then he left.");
  SENTENCES("He said \"stop.\" Then (see the map.) It ended.",
            "He said \"stop.\"", "Then (see the map.)", "It ended.");
  SENTENCES("It ended. \xe2\x80\x9cWe won,\xe2\x80\x9d he said. 2023 began.",
            "It ended.", "\xe2\x80\x9cWe won,\xe2\x80\x9d he said.", "2023 began.");
  /* Lowercase after ? or . is not a new sentence. */
  SENTENCES("\"Why?\" he asked. It was late.", "\"Why?\" he asked.", "It was late.");
  SENTENCES("No final punctuation here", "No final punctuation here");
  SENTENCES("Ends with spaces.   \t ", "Ends with spaces.");
  /* Cyrillic capitals start sentences too. */
  SENTENCES("\xd0\x9e\xd0\xbd \xd0\xbf\xd1\x80\xd0\xb8\xd1\x88\xd1\x91\xd0\xbb. \xd0\x9e\xd0\xbd\xd0\xb0 \xd1\x83\xd1\x88\xd0\xbb\xd0\xb0.",
            "\xd0\x9e\xd0\xbd \xd0\xbf\xd1\x80\xd0\xb8\xd1\x88\xd1\x91\xd0\xbb.", "\xd0\x9e\xd0\xbd\xd0\xb0 \xd1\x83\xd1\x88\xd0\xbb\xd0\xb0.");
  /* Sentences never cross paragraphs. */
  SENTENCES("First para without period\n\nSecond one. Third.", "First para without period", "Second one.", "Third.");
}

/* ------------------------------------------------------ paragraphs */
static void test_paragraphs(void) {
  lode_spans a = {0};
  const char *t;
  char wrapped[1024];

  t = "One.\n\nTwo.\nThree.";
  CHECK(run(lode_segment_paragraphs, t, strlen(t), &a) == 0 && a.n == 3);
  if (a.n == 3) { SPAN_IS(t, a, 0, "One."); SPAN_IS(t, a, 1, "Two."); SPAN_IS(t, a, 2, "Three."); }
  /* CRLF and lone CR are line breaks; a line of spaces, tabs and NBSP is blank. */
  t = "  Para one.\r\n\r\nPara two.\rPara three.\r\n \xc2\xa0\t\r\n\xc2\xa0Para four.\xc2\xa0\r\n";
  CHECK(run(lode_segment_paragraphs, t, strlen(t), &a) == 0 && a.n == 4);
  CHECK(check_invariants("paragraphs", t, strlen(t), &a, 1) == 0);
  if (a.n == 4) {
    SPAN_IS(t, a, 0, "Para one."); SPAN_IS(t, a, 1, "Para two.");
    SPAN_IS(t, a, 2, "Para three."); SPAN_IS(t, a, 3, "Para four.");
  }
  /* Hard-wrapped text (lines of 60-100 characters) is joined, even where
   * the next line starts with a capital; the wrapped paragraph ends at the
   * final period, and the next block starts after the blank line. */
  snprintf(wrapped, sizeof wrapped, "%s\n%s\n%s\n\n%s\n",
           "The border clashes involving the use of artillery and armored vehicles,",
           "unfortunately produced fatalities on both sides of the border between",
           "Armenia and Azerbaijan.",
           "Next paragraph.");
  CHECK(run(lode_segment_paragraphs, wrapped, strlen(wrapped), &a) == 0 && a.n == 2);
  if (a.n == 2) {
    CHECK(a.v[0].start == 0 && a.v[0].end == strlen(wrapped) - strlen("\n\nNext paragraph.\n"));
    SPAN_IS(wrapped, a, 1, "Next paragraph.");
  }
  /* Sentences run across the wrapped line breaks. */
  CHECK(run(lode_segment_sentences, wrapped, strlen(wrapped), &a) == 0 && a.n == 2);
  /* A lowercase continuation after a long line joins; after a short one not. */
  t = "This line is certainly longer than forty characters and goes\non in lowercase.\nNew one.";
  CHECK(run(lode_segment_paragraphs, t, strlen(t), &a) == 0 && a.n == 2);
  if (a.n == 2) SPAN_IS(t, a, 1, "New one.");
  t = "December 3, 2021\nin Opinion";
  CHECK(run(lode_segment_paragraphs, t, strlen(t), &a) == 0 && a.n == 2);
  /* A long line ending with a period is not continued by a lowercase line? It is
   * not: final punctuation ends the paragraph. */
  t = "This line is certainly longer than forty characters and it ends.\nlowercase start.";
  CHECK(run(lode_segment_paragraphs, t, strlen(t), &a) == 0 && a.n == 2);
  /* Scraped one-paragraph-per-line text (lines > 100 chars) is not joined
   * even when a heading has no period. */
  snprintf(wrapped, sizeof wrapped, "%s\n%s\n",
           "A heading without a final period that runs to about seventy chars",
           "Armenia and Azerbaijan agreed to a ceasefire mediated by the Russian defense minister on the same "
           "day, after a day of fighting.");
  CHECK(run(lode_segment_paragraphs, wrapped, strlen(wrapped), &a) == 0 && a.n == 2);
  /* Widths are in characters, not bytes: 70 two-byte letters and a comma
   * are a wrapped line (141 bytes), joined to the capitalised next one;
   * at 100 characters a line still wraps, at 101 it does not. */
  {
    char line[256];
    size_t k, at = 0;
    for (k = 0; k < 70; k++) at += (size_t)snprintf(line + at, sizeof line - at, "\xc3\xa9");
    snprintf(wrapped, sizeof wrapped, "%s,\nZed ends here.\n", line);
    CHECK(run(lode_segment_paragraphs, wrapped, strlen(wrapped), &a) == 0 && a.n == 1);
    for (at = 0, k = 0; k < 97; k++) line[at++] = 'a';
    memcpy(line + at, "\xc3\xa9\xe2\x80\x94", 5);   /* e-acute, em dash: 99 characters */
    line[at + 5] = '\0';
    snprintf(wrapped, sizeof wrapped, "%s,\nZed ends here.\n", line);
    CHECK(run(lode_segment_paragraphs, wrapped, strlen(wrapped), &a) == 0 && a.n == 1);
    snprintf(wrapped, sizeof wrapped, "%sb,\nZed ends here.\n", line);
    CHECK(run(lode_segment_paragraphs, wrapped, strlen(wrapped), &a) == 0 && a.n == 2);
  }
  lode_spans_free(&a);
}

/* ----------------------------------------------------------- words */
static void test_words(void) {
  lode_spans a = {0};
  static const char *const want[] = {
    "Azerbaijan\xe2\x80\x99s", "Nagorno-Karabakh", "100,000", "3.5", "don't", "quoted",
    "soldiers", "U", "S", "x", "a", "b", "1,2,3", "Az\xc9\x99rbaycan", "nai\xcc\x88ve",
    "CSTO", "\xd5\x80\xd5\xa1\xd5\xb5\xd5\xa1\xd5\xbd\xd5\xbf\xd5\xa1\xd5\xb6", "20-year-old", "end"
  };
  const char *t = "Azerbaijan\xe2\x80\x99s Nagorno-Karabakh 100,000 3.5 don't 'quoted' soldiers\xe2\x80\x99 "
                  "U.S. -x- a--b 1,2,3, Az\xc9\x99rbaycan nai\xcc\x88ve (CSTO) "
                  "\xd5\x80\xd5\xa1\xd5\xb5\xd5\xa1\xd5\xbd\xd5\xbf\xd5\xa1\xd5\xb6\xe2\x80\x94"
                  "20-year-old\xc2\xa0" "end.";
  size_t k, n = sizeof want / sizeof want[0];
  CHECK(run(lode_segment_words, t, strlen(t), &a) == 0);
  CHECK(check_invariants("words", t, strlen(t), &a, 1) == 0);
  CHECK_MSG(a.n == n, "%zu words", a.n);
  for (k = 0; k < a.n && k < n; k++) SPAN_IS(t, a, k, want[k]);
  lode_spans_free(&a);
}

/* ------------------------------------------------------ nasty input */
static void test_nasty(void) {
  seg_fn fns[3] = { lode_segment_paragraphs, lode_segment_sentences, lode_segment_words };
  const char *names[3] = { "paragraphs", "sentences", "words" };
  lode_spans a = {0};
  lode_error err;
  size_t f;

  for (f = 0; f < 3; f++) {
    /* Empty input, NULL with length 0: nothing. */
    CHECK(run(fns[f], "", 0, &a) == 0 && a.n == 0);
    CHECK(run(fns[f], NULL, 0, &a) == 0 && a.n == 0);
    /* Only white space, including NBSP, ideographic space, CRLF. */
    {
      const char *ws = " \t\r\n\r\n\xc2\xa0\xe3\x80\x80\n \r";
      CHECK(run(fns[f], ws, strlen(ws), &a) == 0 && a.n == 0);
    }
    /* Misuse. */
    CHECK(fns[f](NULL, 3, &a, &err) == LODE_EARG);
    CHECK(fns[f]("abc", 3, NULL, &err) == LODE_EARG);
    /* Appending: a second call adds to what is there. */
    lode_spans_free(&a);
    fns[f]("Hello there.", 12, &a, &err);
    fns[f]("Hello there.", 12, &a, &err);
    CHECK(a.n == (f == 2 ? 4u : 2u));
  }

  /* Invalid UTF-8: bad bytes are "other" characters -- never letters or
   * space -- so they split words but do not stop segmentation. */
  {
    const char *t = "abc\xff\xfe" "def. Next\xc3 one.\n\n\xff\xff\n\xe2\x80";
    size_t len = strlen(t);
    CHECK(run(lode_segment_words, t, len, &a) == 0 && a.n == 4);
    if (a.n == 4) {
      SPAN_IS(t, a, 0, "abc"); SPAN_IS(t, a, 1, "def"); SPAN_IS(t, a, 2, "Next"); SPAN_IS(t, a, 3, "one");
    }
    /* The lines of bad bytes are not blank: two more paragraphs. */
    CHECK(run(lode_segment_paragraphs, t, len, &a) == 0 && a.n == 3);
    if (a.n == 3) {
      CHECK(a.v[1].start == len - 5 && a.v[1].end == len - 3);
      CHECK(a.v[2].start == len - 2 && a.v[2].end == len);
    }
    CHECK(run(lode_segment_sentences, t, len, &a) == 0 && a.n == 4);
    if (a.n == 4) { SPAN_IS(t, a, 0, "abc\xff\xfe" "def."); SPAN_IS(t, a, 1, "Next\xc3 one."); }
  }
  /* NUL bytes are ordinary non-letter characters. */
  {
    const char t[] = "one\0two. Three\0.\n\0";
    size_t len = sizeof t - 1;
    CHECK(run(lode_segment_words, t, len, &a) == 0 && a.n == 3);
    CHECK(run(lode_segment_sentences, t, len, &a) == 0 && a.n == 3);
    if (a.n == 3) {
      CHECK(a.v[0].start == 0 && a.v[0].end == 8);
      CHECK(a.v[1].start == 9 && a.v[1].end == 16);
      CHECK(a.v[2].start == 17 && a.v[2].end == 18);
    }
    CHECK(run(lode_segment_paragraphs, t, len, &a) == 0 && a.n == 2);
  }
  /* Random bytes (fixed seed), plain and UTF-8-heavy: no crash, invariants hold. */
  {
    size_t len = 1u << 20, i, round;
    unsigned char *r = malloc(len);
    uint32_t x = 12345;
    for (round = 0; round < 2; round++) {
      for (i = 0; i < len; i++) {
        x = x * 1664525u + 1013904223u;
        r[i] = round == 0 ? (unsigned char)(x >> 24)
                          : (unsigned char)" .\n\r?\xe2\x80\x9d\xc2\xa0" "Aa.U.S\"\xff"[(x >> 24) % 18];
      }
      for (f = 0; f < 3; f++) {
        CHECK(run(fns[f], (const char *)r, len, &a) == 0);
        CHECK(check_invariants(names[f], (const char *)r, len, &a, 0) == 0);
        CHECK(a.n > 0);
      }
    }
    free(r);
  }
  lode_spans_free(&a);
}

/* A 20 MB single line. */
static void test_huge(void) {
  const char unit[] = "The cat sat on the mat, at 3.5 metres. ";  /* 1 sentence, 9 words */
  size_t ulen = sizeof unit - 1, reps = test_scale(20u << 20) / ulen, len = reps * ulen, k;
  char *s = malloc(len);
  lode_spans a = {0};
  double t0;
  for (k = 0; k < reps; k++) memcpy(s + k * ulen, unit, ulen);
  t0 = test_now();
  CHECK(run(lode_segment_paragraphs, s, len, &a) == 0 && a.n == 1 && a.v[0].start == 0 && a.v[0].end == len - 1);
  printf("info: paragraphs of a 20 MB line: %.0f ms\n", (test_now() - t0) * 1e3);
  t0 = test_now();
  CHECK(run(lode_segment_sentences, s, len, &a) == 0 && a.n == reps);
  CHECK(check_invariants("sentences", s, len, &a, 1) == 0);
  printf("info: %zu sentences of a 20 MB line: %.0f ms\n", a.n, (test_now() - t0) * 1e3);
  t0 = test_now();
  CHECK(run(lode_segment_words, s, len, &a) == 0 && a.n == 9 * reps);
  printf("info: %zu words of a 20 MB line: %.0f ms\n", a.n, (test_now() - t0) * 1e3);
  lode_spans_free(&a);
  free(s);
}

/* Compile `pat` and collect its match spans in s[0, len) into *out. */
static int matches(const char *pat, const char *s, size_t len, unsigned opts,
                   lode_spans *out, lode_error *err) {
  lode_regex *re = lode_regex_compile(pat, strlen(pat), 0, NULL);
  lode_regex_scratch *sc = lode_regex_scratch_new();
  int rc;
  CHECK(re != NULL && sc != NULL);
  rc = lode_segment_matches(re, sc, s, len, opts, out, err);
  lode_regex_scratch_free(sc);
  lode_regex_free(re);
  return rc;
}

#define MATCH_SPAN(a, k, st, en) CHECK_MSG((a).v[k].start == (size_t)(st) && (a).v[k].end == (size_t)(en), \
  "span %d: [%zu, %zu) expected [%d, %d)", (int)(k), (a).v[k].start, (a).v[k].end, (int)(st), (int)(en))

static void test_matches(void) {
  const char *s = "He said: \xe2\x80\x9cNo.\xe2\x80\x9d Then she said it.";
  lode_spans a = {NULL, 0, 0};
  lode_error err;
  size_t k, big_len = 1u << 20, n;
  char *big;
  lode_regex *re;
  lode_regex_scratch *sc;
  const char *pat17 = "(a)(b)(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?(x)?( )";
  /* a match and one set, one unset group per match */
  CHECK(matches("(s)aid|(Z)?Then", s, strlen(s), 0, &a, &err) == 0);
  CHECK_MSG(a.n == 9, "%zu spans", a.n);
  if (a.n == 9) {
    MATCH_SPAN(a, 0, 3, 7); MATCH_SPAN(a, 1, 3, 4);
    CHECK(a.v[2].start == LODE_NOPOS && a.v[2].end == LODE_NOPOS);
    MATCH_SPAN(a, 3, 19, 23);
    CHECK(a.v[4].start == LODE_NOPOS && a.v[5].start == LODE_NOPOS);
    MATCH_SPAN(a, 6, 28, 32); MATCH_SPAN(a, 7, 28, 29);
  }
  lode_spans_free(&a);
  /* empty matches as pcre2demo iterates them, lookbehind sees the text */
  CHECK(matches("x*", "ab", 2, LODE_RE_TRUSTED, &a, &err) == 0);
  CHECK(a.n == 3);
  for (k = 0; k < a.n; k++) MATCH_SPAN(a, k, k, k);
  lode_spans_free(&a);
  CHECK(matches("(?<=a)b", "abab", 4, 0, &a, &err) == 0);
  CHECK(a.n == 2 && a.v[0].start == 1 && a.v[1].start == 3);
  lode_spans_free(&a);
  /* nothing to match: empty text, NULL text of length 0 */
  CHECK(matches("a", "", 0, 0, &a, &err) == 0 && a.n == 0);
  CHECK(matches("a", NULL, 0, 0, &a, &err) == 0 && a.n == 0);
  /* misuse and bad input */
  CHECK(matches("a", NULL, 3, 0, &a, &err) == LODE_EARG);
  CHECK(lode_segment_matches(NULL, NULL, "a", 1, 0, &a, &err) == LODE_EARG);
  CHECK(matches("a", "a", 1, 0, NULL, &err) == LODE_EARG);
  CHECK(matches("a", "a\xff", 2, 0, &a, &err) == LODE_EENCODING);
  lode_spans_free(&a);
  /* many groups (the ovector outgrows the stack) and a long subject */
  big = malloc(big_len);
  CHECK(big != NULL);
  if (!big) return;
  for (k = 0; k < big_len; k++) big[k] = "ab cd. "[k % 7];
  re = lode_regex_compile(pat17, strlen(pat17), 0, NULL);
  sc = lode_regex_scratch_new();
  CHECK(re != NULL && sc != NULL && lode_regex_groups(re) == 17);
  CHECK(lode_segment_matches(re, sc, big, big_len, LODE_RE_TRUSTED, &a, &err) == 0);
  n = (big_len + 6) / 7;
  CHECK_MSG(a.n == n * 18, "%zu spans for %zu matches", a.n, n);
  for (k = 0; k < a.n && k < 18 * 50; k += 18) {
    MATCH_SPAN(a, k, (k / 18) * 7, (k / 18) * 7 + 3);
    MATCH_SPAN(a, k + 17, (k / 18) * 7 + 2, (k / 18) * 7 + 3);
    CHECK(a.v[k + 3].start == LODE_NOPOS);
  }
  lode_spans_free(&a);
  lode_regex_scratch_free(sc);
  lode_regex_free(re);
  free(big);
}

/* Section ends: the cut after a blank line where there is one, else a line
 * break, a space, a character start; always progress, never past max
 * (but for one character longer than max); the whole text when it fits. */
static size_t cut(const char *s, size_t start, size_t max) {
  return lode_segment_section_end(s, strlen(s), start, max);
}

static void test_sections(void) {
  const char *para = "one two\n\nthree four\nfive six\n";
  const char *crlf = "aaaa\r\n\r\nbbbb\r\ncccc\r\n";
  const char *cr = "aaaa\r\rbbbb\rcccc\r";
  const char *utf = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";   /* four 2-byte letters */
  size_t k, at, n, len = 3u << 20, big_max = 1u << 20;
  char *big;
  CHECK(cut(para, 0, 100) == strlen(para));            /* fits: all of it */
  CHECK(cut(para, 5, 100) == strlen(para));
  CHECK(cut(para, strlen(para), 4) == strlen(para));   /* nothing left */
  CHECK(cut(para, 0, 17) == 9);                        /* after the blank line */
  CHECK(cut(para, 0, 22) == 20);                       /* too far: a line break */
  CHECK(cut(para, 9, 8) == 15);                        /* no break: after a space */
  CHECK(cut(crlf, 0, 15) == 8);                        /* CRLF blank line */
  CHECK(cut(crlf, 0, 17) == 14);                       /* a CRLF line break */
  CHECK(cut(cr, 0, 11) == 6);                          /* lone CRs */
  CHECK(cut("abcdefgh", 0, 5) == 5);                   /* one word: at max */
  CHECK(cut(utf, 0, 5) == 4);                          /* never inside a letter */
  CHECK(cut(utf, 0, 1) == 2);                          /* a letter longer than max */
  CHECK(cut("\xff\xfe\xfd", 0, 1) == 1);               /* bad UTF-8: byte by byte */
  /* a 3 MB text of 60-byte lines, a blank line every 10: 1 MB sections that
   * tile the text, each after a blank line, none shorter than half of max */
  big = malloc(len);
  CHECK(big != NULL);
  if (!big) return;
  for (k = 0; k < len; k++) big[k] = k % 600 == 599 ? '\n' : k % 60 == 59 ? '\n' : 'x';
  for (k = 599; k < len; k += 600) big[k - 1] = '\n';
  for (at = 0, n = 0; at < len; n++) {
    size_t end = lode_segment_section_end(big, len, at, big_max);
    CHECK(end > at && end - at <= big_max);
    if (end < len) CHECK(end - at >= big_max / 2 && big[end - 1] == '\n' && big[end - 2] == '\n');
    at = end;
  }
  CHECK_MSG(n == 4, "%zu sections", n);
  free(big);
}

/* Paragraphs of a page whose lines break at CR alone (old Mac files) and
 * of one mixing LF, CR and CRLF: the same as with LF, and a text of CR
 * breaks is not searched to its end once a line (200,000 lines, 2.4 MB:
 * quadratic would be hours). */
static void test_line_breaks(void) {
  size_t n = 200000, k, len = 0;
  char *cr = malloc(n * 12), *lf = malloc(n * 12);
  lode_spans a = {NULL, 0, 0}, b = {NULL, 0, 0};
  const char *mixed = "One line.\rTwo line.\r\nThree.\nFour.\r\rFive.";
  const char *plain = "One line.\nTwo line.\nThree.\nFour.\n\nFive.";
  CHECK(cr && lf);
  if (!cr || !lf) { free(cr); free(lf); return; }
  for (k = 0; k < n; k++) {
    memcpy(cr + len, "Line here.\r", 11);
    memcpy(lf + len, "Line here.\n", 11);
    len += 11;
  }
  CHECK(lode_segment_paragraphs(cr, len, &a, NULL) == 0);
  CHECK(lode_segment_paragraphs(lf, len, &b, NULL) == 0);
  CHECK_MSG(a.n == n && b.n == n, "%zu and %zu paragraphs, not %zu", a.n, b.n, n);
  CHECK(a.n > 0 && a.v[a.n - 1].start == len - 11 && a.v[a.n - 1].end == len - 1);
  lode_spans_free(&a);
  lode_spans_free(&b);
  CHECK(lode_segment_paragraphs(mixed, strlen(mixed), &a, NULL) == 0);
  CHECK(lode_segment_paragraphs(plain, strlen(plain), &b, NULL) == 0);
  CHECK(a.n == 5 && b.n == 5);
  for (k = 0; k < a.n && k < b.n; k++)
    CHECK(a.v[k].end - a.v[k].start == b.v[k].end - b.v[k].start);
  lode_spans_free(&a);
  lode_spans_free(&b);
  free(cr);
  free(lf);
}

int main(void) {
  test_line_breaks();
  test_corpus();
  test_sentences();
  test_paragraphs();
  test_words();
  test_nasty();
  test_huge();
  test_matches();
  test_sections();
  return test_report();
}
