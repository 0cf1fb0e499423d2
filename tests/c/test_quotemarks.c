/* test_quotemarks.c -- quotations between marks (core/quotemarks.h): every
 * mark family, apostrophes and elisions told apart, nested and unbalanced
 * marks, quotations over paragraphs, and nasty input (empty, replaced bad
 * UTF-8, a huge line, a flood of marks). */
#include <stdlib.h>
#include <string.h>

#include "quotemarks.h"
#include "test.h"

static lode_wordset *elisions;

/* The quotations of s as "words" (a closed one) or "words+" (never
 * closed), joined by " | "; "" when none. */
static const char *quotes(const char *s) {
  static char buf[8192];
  lode_error err;
  lode_text *t = lode_text_from_memory(NULL, s, strlen(s), NULL, &err);
  lode_quote_span *v = NULL;
  size_t n = 0, at = 0;
  buf[0] = 0;
  if (!t) return "(no text)";
  if (lode_quote_marks(t, elisions, &v, &n, &err) != 0) {
    lode_text_free(t);
    return "(failed)";
  }
  for (size_t k = 0; k < n && at + 64 < sizeof buf; k++) {
    size_t w = v[k].b - v[k].a;
    if (w > sizeof buf - at - 16) w = sizeof buf - at - 16;
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s%s", k ? " | " : "", (int)w, s + v[k].a,
                           v[k].close_end ? "" : "+");
  }
  free(v);
  lode_text_free(t);
  return buf;
}

#define CHECK_QUOTES(s, want) \
  do { \
    const char *got_ = quotes(s); \
    CHECK_MSG(strcmp(got_, (want)) == 0, "%s: got \"%s\", want \"%s\"", (s), got_, (want)); \
  } while (0)

static void test_families(void) {
  CHECK_QUOTES("He said: \xE2\x80\x9CWe will stay.\xE2\x80\x9D Then he left.", "We will stay.");
  CHECK_QUOTES("\"Plain marks,\" she said, \"work too.\"", "Plain marks, | work too.");
  CHECK_QUOTES("Il a dit : \xC2\xAB\xC2\xA0Non merci\xC2\xA0\xC2\xBB hier.", "Non merci");
  CHECK_QUOTES("Er sagte \xE2\x80\x9EJa\xE2\x80\x9C und ging.", "Ja");
  CHECK_QUOTES("A \xE2\x80\x98single\xE2\x80\x99 word and a 'plain' one.", "single | plain");
  /* another family inside stays inside */
  CHECK_QUOTES("\xE2\x80\x9CHe told me \xE2\x80\x98no\xE2\x80\x99 twice,\xE2\x80\x9D she said.",
               "He told me \xE2\x80\x98no\xE2\x80\x99 twice,");
}

static void test_apostrophes(void) {
  /* apostrophes and elisions never open; years neither */
  CHECK_QUOTES("Georgia\xE2\x80\x99s talks don't stop.", "");
  CHECK_QUOTES("Rock 'n' roll in the '90s, 'em all.", "");
  CHECK_QUOTES("He said \xE2\x80\x98we\xE2\x80\x99ll see\xE2\x80\x99 and left.", "we\xE2\x80\x99ll see");
  /* a close after a plural's s is weak: a later close wins */
  CHECK_QUOTES("'The protesters' demands are clear,' he said.", "The protesters' demands are clear,");
  CHECK_QUOTES("'The protesters' demands", "The protesters");
}

static void test_unbalanced(void) {
  CHECK_QUOTES("\xE2\x80\x9CNever closed at all\nNext line.", "Never closed at all+");
  /* a new opening ends the old one at its sentence end on the same line */
  CHECK_QUOTES("\xE2\x80\x9COne. Two \xE2\x80\x9CThree\xE2\x80\x9D", "One.+ | Three");
  /* a quotation continued into the next paragraph by an opening mark */
  CHECK_QUOTES("\xE2\x80\x9C" "First part.\n\n\xE2\x80\x9CSecond part.\xE2\x80\x9D", "First part.\n\n\xE2\x80\x9CSecond part.");
  /* a paragraph break ends an open quotation when no mark opens the next */
  CHECK_QUOTES("\xE2\x80\x9C" "Cut short\n\nAnother paragraph \xE2\x80\x9D", "Cut short+");
  /* a Markdown link wrapping the words */
  CHECK_QUOTES("\xE2\x80\x9C[ecological terror](https://example.org/x)\xE2\x80\x9D", "ecological terror");
  CHECK_QUOTES("\xE2\x80\x9D\xE2\x80\x9D\xE2\x80\x9C \xE2\x80\x9C", "");
}

static void test_nasty(void) {
  lode_load_opts replace = {LODE_INVALID_REPLACE, "utf-8"};
  lode_error err;
  lode_quote_span *v = NULL;
  size_t n = 99, a, b;
  lode_text *t = lode_text_from_memory(NULL, "", 0, NULL, &err);
  CHECK(t && lode_quote_marks(t, elisions, &v, &n, &err) == 0 && n == 0 && v == NULL);
  lode_text_free(t);
  /* bad bytes become U+FFFD: no letter, no mark */
  t = lode_text_from_memory(NULL, "\"\xff\xff x\xC2\"", 7, &replace, &err);
  CHECK(t && lode_quote_marks(t, NULL, &v, &n, &err) == 0 && n == 1 && v[0].a == 1 && v[0].b == 12);
  free(v);
  lode_text_free(t);
  CHECK_QUOTES("\"", "");
  CHECK_QUOTES("'", "");
  CHECK_QUOTES("\xC2\xAB", "");
  /* turn words: the rest of the line, narrowed */
  t = lode_text_from_memory(NULL, "Q: \xC2\xA0 Why? \nA: no", 17, NULL, &err);
  CHECK(t != NULL);
  if (t) {
    lode_quote_line_words(t, 3, &a, &b);
    CHECK(a == 6 && b == 10);
    lode_quote_line_words(t, 17, &a, &b);
    CHECK(b <= a);
    lode_text_free(t);
  }
}

static void test_after(void) {
  const char *s = "Yes. He left.\n \t\nNext";
  CHECK(lode_quote_paragraph_break(s, strlen(s), 0) == 13);
  CHECK(lode_quote_paragraph_break(s, strlen(s), 14) == LODE_NOPOS);
  CHECK(lode_quote_paragraph_break("a\nb\n", 4, 0) == LODE_NOPOS);    /* single breaks */
  CHECK(lode_quote_paragraph_break("", 0, 0) == LODE_NOPOS);
  CHECK(lode_quote_sentence_end(s, strlen(s)) == 3);
  CHECK(lode_quote_sentence_end("No!\" Then", 10) == 2);                /* " then a space */
  CHECK(lode_quote_sentence_end("No!\xE2\x80\x9D Then", 12) == 2);        /* ” */
  CHECK(lode_quote_sentence_end("Go.\xE2\x80\x99\nThen", 12) == 2);       /* ’ */
  CHECK(lode_quote_sentence_end("No!\xE2\x80 Then", 11) == LODE_NOPOS);     /* not a mark */
  CHECK(lode_quote_sentence_end("No!\xE2\x80\x9D", 6) == LODE_NOPOS);      /* nothing after */
  CHECK(lode_quote_sentence_end("3.5 and", 7) == LODE_NOPOS);
  CHECK(lode_quote_sentence_end("end.", 4) == LODE_NOPOS);              /* nothing after */
  CHECK(lode_quote_sentence_end("", 0) == LODE_NOPOS);
}

static void test_words(void) {
  const char *s = "  One two\tthree\n\nfour\xC2\xA0" "five ";   /* U+00A0 is no space */
  CHECK(lode_quote_words(s, strlen(s), 7) == 4);
  CHECK(lode_quote_words(s, strlen(s), 2) == 2);
  CHECK(lode_quote_words(s, strlen(s), 0) == 0);
  CHECK(lode_quote_words("a\0b c", 5, 7) == 2);                    /* NUL is no space */
  CHECK(lode_quote_words(" \v\f\r ", 5, 7) == 0);
  CHECK(lode_quote_words("", 0, 7) == 0);
  CHECK(lode_quote_words("x", 1, 7) == 1);
}

typedef lode_quote_word (*edge_word)(const char *, size_t, size_t *, size_t *);

/* The kind of the word `word` reads in s, its span checked when a word. */
static lode_quote_word edge(edge_word word, const char *s, size_t len, size_t wa, size_t wb) {
  size_t a = 99, b = 99;
  lode_quote_word t = word(s, len, &a, &b);
  if (t == LODE_QWORD_ASCII) CHECK(a == wa && b == wb);
  else CHECK(a == 99 && b == 99);
  return t;
}

static lode_quote_word tail(const char *s, size_t len, size_t wa, size_t wb) {
  return edge(lode_quote_tail_word, s, len, wa, wb);
}

static lode_quote_word head(const char *s, size_t len, size_t wa, size_t wb) {
  return edge(lode_quote_head_word, s, len, wa, wb);
}

static void test_tail_word(void) {
  CHECK(tail("the film ", 9, 4, 8) == LODE_QWORD_ASCII);
  CHECK(tail("the FILM,** \n", 13, 4, 8) == LODE_QWORD_ASCII);
  CHECK(tail("dubbed:_", 8, 0, 6) == LODE_QWORD_ASCII);
  CHECK(tail("so-called", 9, 3, 9) == LODE_QWORD_ASCII);
  CHECK(tail("x film,,", 8, 0, 0) == LODE_QWORD_NONE);         /* one comma only */
  CHECK(tail("x film:,", 8, 0, 0) == LODE_QWORD_NONE);
  CHECK(tail("in 2024 ", 8, 0, 0) == LODE_QWORD_NONE);
  CHECK(tail("said.", 5, 0, 0) == LODE_QWORD_NONE);
  CHECK(tail(" *_, ", 5, 0, 0) == LODE_QWORD_NONE);
  CHECK(tail("", 0, 0, 0) == LODE_QWORD_NONE);
  CHECK(tail("film\0", 5, 0, 0) == LODE_QWORD_NONE);           /* NUL is no space */
  CHECK(tail("\0film", 5, 1, 5) == LODE_QWORD_ASCII);
  CHECK(tail("the film\xC2\xA0", 10, 0, 0) == LODE_QWORD_OTHER);   /* U+00A0 */
  CHECK(tail("the \xC3\xA9" "film", 10, 0, 0) == LODE_QWORD_OTHER);   /* éfilm */
  CHECK(tail("boo\xE2\x84\xAA", 6, 0, 0) == LODE_QWORD_OTHER);    /* Kelvin sign */
  CHECK(tail("\xFF", 1, 0, 0) == LODE_QWORD_OTHER);                 /* not UTF-8 */
}

static void test_head_word(void) {
  CHECK(head(", said Ann", 10, 2, 6) == LODE_QWORD_ASCII);
  CHECK(head("said", 4, 0, 4) == LODE_QWORD_ASCII);
  CHECK(head(" [*_\t\n,,said.", 13, 8, 12) == LODE_QWORD_ASCII);
  CHECK(head("\xE2\x80\x94said", 7, 3, 7) == LODE_QWORD_ASCII);      /* — */
  CHECK(head(" \xE2\x80\x93 a", 6, 5, 6) == LODE_QWORD_ASCII);       /* – */
  CHECK(head("\xE2\x80\x9Csaid", 7, 0, 0) == LODE_QWORD_OTHER);      /* “ */
  CHECK(head("\xE2\x80", 2, 0, 0) == LODE_QWORD_OTHER);               /* cut */
  CHECK(head("d\xC3\xA9" "clar\xC3\xA9", 10, 0, 0) == LODE_QWORD_OTHER);
  CHECK(head("\xC2\xA0said", 6, 0, 0) == LODE_QWORD_OTHER);           /* U+00A0 */
  CHECK(head(", 2 said", 8, 0, 0) == LODE_QWORD_NONE);
  CHECK(head("\0said", 5, 0, 0) == LODE_QWORD_NONE);
  CHECK(head(" , ", 3, 0, 0) == LODE_QWORD_NONE);
  CHECK(head("", 0, 0, 0) == LODE_QWORD_NONE);
}

static int may_turn(const char *s) { return lode_quote_may_turn(s, strlen(s)); }

static void test_may_turn(void) {
  CHECK(lode_quote_may_turn("", 0) == 0);
  CHECK(may_turn("He said: no.") == 0);              /* a lower-case word */
  CHECK(may_turn("At 10:30 we left") == 0);          /* digits */
  CHECK(may_turn("Author: Ann") == 0);               /* one word in mixed case */
  CHECK(may_turn("Much Ado About It: x") == 0);      /* four */
  CHECK(may_turn("MR, KIRBY: x") == 0);              /* a comma */
  CHECK(may_turn("A man. Q is") == 0);
  CHECK(may_turn("x\nMR. KIRBY: We watch.") == 1);
  CHECK(may_turn("> **Q:** Why?") == 1);
  CHECK(may_turn("Nikol Pashinyan: yes") == 1);
  CHECK(may_turn("Nikol\xC2\xA0Pashinyan: yes") == 1);   /* U+00A0 may split words */
  CHECK(may_turn("A B C D: x") == 1);
  CHECK(may_turn("A B C D E: x") == 0);
  CHECK(may_turn("x\rA. yes") == 1);
  CHECK(may_turn("x\r\n_Q_ \xE3\x80\x80: yes") == 1);     /* U+3000 */
  CHECK(may_turn("\xE2\x80\xAFQ\xE2\x80\x82. x") == 1);    /* U+202F U+2002 */
  CHECK(may_turn("\xE2\x80\x9CQ. x") == 0);                  /* “ is no space */
  CHECK(may_turn("x\nA") == 0);
  CHECK(may_turn("x\n") == 0);
}

static void test_look(void) {
  /* He left. Then Ana said “We stay,” he added. More\n\nNext. */
  const char *s = "He left. Then Ana said \xE2\x80\x9CWe stay,\xE2\x80\x9D he added. More\n\nNext.";
  const char *ab[] = {"Mr"};
  size_t abl[] = {2}, n = 0;
  lode_boundary *bv = NULL;
  lode_quote_look lk;
  lode_error err;
  lode_text *t = lode_text_from_memory(NULL, s, strlen(s), NULL, &err);
  CHECK(t && lode_sentence_boundaries(s, strlen(s), ab, abl, 1, &bv, &n, &err) == 0);
  if (!t) return;
  lode_quote_look_around(t, bv, n, 26, 34, 23, 37, &lk);
  CHECK(lk.line == 1 && lk.open_line == 1 && lk.line_start == 0);
  CHECK(lk.before_a == 9 && lk.before_b == 23);             /* "Then Ana said " */
  CHECK(lk.after_a == 37 && lk.after_b == 52);              /* " he added. More" */
  CHECK(lk.sentence_b == 47);                               /* " he added." */
  /* no boundaries: the mark's line; nothing after the text's end */
  lode_quote_look_around(t, NULL, 0, 55, 58, 54, strlen(s), &lk);
  CHECK(lk.line == 3 && lk.open_line == 3 && lk.line_start == 54);
  CHECK(lk.before_a == 54 && lk.before_b == 54);
  CHECK(lk.after_a == strlen(s) && lk.after_b == strlen(s) && lk.sentence_b == strlen(s));
  free(bv);
  lode_text_free(t);
}

static void test_huge(void) {
  size_t n = test_scale(1 << 20), got = 0;
  char *s = malloc(n + 1);
  lode_error err;
  lode_quote_span *v = NULL;
  lode_text *t;
  CHECK(s != NULL);
  if (!s) return;
  /* one line of words after an opening mark: it ends 4000 bytes on */
  s[0] = '"';
  for (size_t k = 1; k < n; k++) s[k] = (k % 5 == 0) ? ' ' : 'w';
  t = lode_text_from_memory(NULL, s, n, NULL, &err);
  CHECK(t && lode_quote_marks(t, NULL, &v, &got, &err) == 0 && got == 1 && v[0].b == 4000);
  free(v);
  lode_text_free(t);
  /* a flood of marks */
  for (size_t k = 0; k < n; k++) s[k] = "\"' "[k % 3];
  t = lode_text_from_memory(NULL, s, n, NULL, &err);
  CHECK(t && lode_quote_marks(t, elisions, &v, &got, &err) == 0);
  free(v);
  lode_text_free(t);
  free(s);
}

int main(void) {
  lode_error err;
  elisions = lode_wordset_new(&err);
  CHECK(elisions != NULL);
  if (!elisions) return 1;
  lode_wordset_add(elisions, "em", 2, &err);
  lode_wordset_add(elisions, "n", 1, &err);
  test_families();
  test_apostrophes();
  test_unbalanced();
  test_nasty();
  test_after();
  test_words();
  test_tail_word();
  test_may_turn();
  test_head_word();
  test_look();
  test_huge();
  lode_wordset_free(elisions);
  return test_report();
}
