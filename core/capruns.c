/*
 * capruns.c -- runs of capitalised words (see capruns.h).
 *
 * The search follows the regex's backtracking order, so the runs are the
 * ones PCRE2 finds: a run takes as many words as it can, each word as
 * many letters as it can, and on failure gives back the last word's
 * letters one at a time, then the last word. Giving back is rare (a
 * digit or letter right after the longest run: "COVID19"), and each
 * give-back costs one test, so a run is read in time linear in its bytes.
 */
#include "capruns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

#define NONE ((size_t)-1)
#define MAX_WORDS 64
#define MAX_CONNECTORS 16

/* Character classes (bits): \p{Lu}, \p{L}, \p{M}, \p{N}. */
enum { LU = 1, LETTER = 2, MARK = 4, DIGIT = 8 };

/* Words starting with byte b: list[first[b]] .. list[first[b + 1] - 1]. */
typedef struct word_list {
  char **w;
  size_t *len;
  size_t n;
  size_t first[257];
} word_list;

struct lode_capruns {
  word_list conn, abbr;
  int max_words, max_conn;
};

/* The text being searched. */
typedef struct scan {
  const lode_capruns *c;
  const unsigned char *s;
  size_t len;
} scan;

/* The class of an ASCII byte. */
static int ascii_class(unsigned char b) {
  if ((unsigned)(b - 'A') < 26u) return LU | LETTER;
  if ((unsigned)(b - 'a') < 26u) return LETTER;
  return (unsigned)(b - '0') < 10u ? DIGIT : 0;
}

static int class_of_cp(int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: return LU | LETTER;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return MARK;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return DIGIT;
    default: return 0;
  }
}

/* class_at beyond ASCII. */
static int class_at_utf8(const scan *t, size_t i, size_t *n) {
  int32_t cp;
  *n = lode_utf8_decode((const char *)t->s, t->len, i, &cp);
  if (*n == 0) { *n = 1; return 0; }
  return class_of_cp(cp);
}

/* The class of the character at i (i < len), its length in *n (1 for a
 * byte that starts no UTF-8 sequence: no class). */
static inline int class_at(const scan *t, size_t i, size_t *n) {
  if (t->s[i] < 0x80) { *n = 1; return ascii_class(t->s[i]); }
  return class_at_utf8(t, i, n);
}

/* The end of the letters and marks from q on (ASCII letters read inline:
 * most words are). */
static size_t letters_end(const scan *t, size_t q) {
  size_t n;
  while (q < t->len) {
    unsigned char b = t->s[q];
    if (b < 0x80) {
      if ((unsigned)((b | 0x20) - 'a') >= 26u) break;
      q++;
    } else {
      if (!(class_at(t, q, &n) & (LETTER | MARK))) break;
      q += n;
    }
  }
  return q;
}

/* Whether any of the 8 bytes of x may start a run: A-Z, or a byte of a
 * UTF-8 sequence (the high bit). Each byte's low 7 bits plus 128 - 'A'
 * reach the high bit from 'A' on, plus 127 - 'Z' from past 'Z' on: no
 * carry crosses into the next byte. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)
static int may_start(uint64_t x) {
  uint64_t low = x & ~HIGH;
  return (((low + ONES * (128 - 'A')) & ~(low + ONES * (127 - 'Z'))) | x) & HIGH ? 1 : 0;
}

/* Does the character before i bar a run from starting at i (a letter, a
 * digit, a hyphen or a period)? */
static int barred_after(const scan *t, size_t i) {
  size_t b = i, n;
  int32_t cp;
  if (i == 0) return 0;
  if (t->s[i - 1] < 0x80) return t->s[i - 1] == '-' || t->s[i - 1] == '.' ||
                                  (ascii_class(t->s[i - 1]) & (LETTER | DIGIT));
  while (b > 0 && i - b < 4 && (t->s[b - 1] & 0xC0) == 0x80) b--;
  if (b > 0 && t->s[b - 1] >= 0xC0) b--;
  n = lode_utf8_decode((const char *)t->s, t->len, b, &cp);
  return n == i - b && (class_of_cp(cp) & (LETTER | DIGIT));
}

static int blank(const scan *t, size_t i) { return i < t->len && (t->s[i] == ' ' || t->s[i] == '\t'); }

/* The length of the connector at i followed by a blank, or 0. At most
 * one can be: no connector holds a blank. */
static size_t connector_at(const word_list *l, const scan *t, size_t i) {
  unsigned char b = t->s[i];
  for (size_t k = l->first[b]; k < l->first[b + 1]; k++) {
    size_t n = l->len[k];
    if (n < t->len - i && (t->s[i + n] == ' ' || t->s[i + n] == '\t') &&
        memcmp(t->s + i, l->w[k], n) == 0)
      return n;
  }
  return 0;
}

/* Is s[p, q) one of the abbreviations? */
static int is_abbreviation(const word_list *l, const scan *t, size_t p, size_t q) {
  unsigned char b = t->s[p];
  for (size_t k = l->first[b]; k < l->first[b + 1]; k++)
    if (l->len[k] == q - p && memcmp(t->s + p, l->w[k], q - p) == 0) return 1;
  return 0;
}

static size_t words_from(const scan *t, size_t p, int left);

/* After a word ending at e, with `left` more words allowed: more words,
 * else the end of the run when no letter or digit follows. */
static size_t after_word(const scan *t, size_t e, int left) {
  size_t n;
  if (left > 0 && blank(t, e)) {
    /* as many connectors as there are (at most one connector fits at a
     * place: none holds a blank), then a word after the last, else after
     * one fewer, as the regex gives them back */
    size_t at[MAX_CONNECTORS + 1], p = e + 1, r;
    int k = 0;
    at[0] = p;
    for (;;) {
      if (k >= t->c->max_conn || p >= t->len) break;
      if (!(n = connector_at(&t->c->conn, t, p))) break;
      p += n + 1;
      at[++k] = p;
    }
    for (; k >= 0; k--)
      if ((r = words_from(t, at[k], left - 1)) != NONE) return r;
  }
  if (e < t->len && (class_at(t, e, &n) & (LETTER | DIGIT))) return NONE;
  return e;
}

/* A capitalised word at p, then what may follow it (after_word): the end
 * of the run, or NONE. */
static size_t words_from(const scan *t, size_t p, int left) {
  size_t n, m, q, r;
  if (p >= t->len || !(class_at(t, p, &n) & LU)) return NONE;
  /* "Mr.": an abbreviation (ASCII letters) is the word's letters before
   * a period */
  q = letters_end(t, p + n);
  if (q < t->len && t->s[q] == '.' && is_abbreviation(&t->c->abbr, t, p, q) &&
      (r = after_word(t, q + 1, left)) != NONE)
    return r;
  /* "J. Smith": a capital, a period, a space, a capital */
  if (p + n + 2 < t->len && t->s[p + n] == '.' && t->s[p + n + 1] == ' ' &&
      (class_at(t, p + n + 2, &m) & LU) && (r = after_word(t, p + n + 1, left)) != NONE)
    return r;
  /* the longest word: letters and marks, inner "-" + capital parts */
  while (q + 1 < t->len && t->s[q] == '-' && (class_at(t, q + 1, &n) & LU)) q = letters_end(t, q + 1 + n);
  /* then shorter ones, a character at a time (not between an inner
   * hyphen and its capital) */
  for (;;) {
    if ((r = after_word(t, q, left)) != NONE) return r;
    do q--; while ((t->s[q] & 0xC0) == 0x80);
    if (q <= p) return NONE;
    if (t->s[q - 1] == '-') q--;
  }
}

int lode_capruns_next(const lode_capruns *c, const char *s, size_t len, size_t *pos,
                      size_t *start, size_t *end) {
  scan t = {c, (const unsigned char *)s, len};
  size_t i = *pos, n, e;
  while (i < len) {
    uint64_t x;
    /* most bytes start nothing: 8 at a time, then to the first that may
     * within the 8 */
    size_t stop = len - i >= 8 ? i + 8 : len;
    if (stop - i == 8 && (memcpy(&x, t.s + i, 8), !may_start(x))) { i = stop; continue; }
    while (i < stop && (t.s[i] < 0x80 ? (unsigned)(t.s[i] - 'A') >= 26u : t.s[i] < 0xC0)) i++;
    if (i == stop) continue;
    if (!barred_after(&t, i) && (e = words_from(&t, i, c->max_words - 1)) != NONE) {
      *start = i;
      *end = *pos = e;
      return 1;
    }
    class_at(&t, i, &n);
    i += n;
  }
  *pos = len;
  return 0;
}

/* ------------------------------------------------------------ building */

static void free_list(word_list *l) {
  for (size_t k = 0; k < l->n; k++) free(l->w[k]);
  free(l->w);
  free(l->len);
}

static int by_first_byte(const void *a, const void *b) {
  return (int)**(const unsigned char *const *)a - (int)**(const unsigned char *const *)b;
}

/* Copy the words into l, grouped by their first byte; 0, or a LODE_E*
 * code with err set. */
static int make_list(word_list *l, const char *const *words, size_t n, int abbreviations,
                     lode_error *err) {
  memset(l, 0, sizeof *l);
  for (size_t k = 0; k < n; k++) {
    const char *w = words[k];
    int ok = w && w[0] && !strpbrk(w, " \t\n\r\f\v.");
    for (size_t c = 0; ok && abbreviations && w[c]; c++)
      ok = c ? ascii_class((unsigned char)w[c]) & LETTER : ascii_class((unsigned char)w[c]) & LU;
    if (!ok)
      return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0,
                            abbreviations ? "capruns: abbreviation %zu is not a capital and ASCII letters"
                                          : "capruns: connector %zu is empty or holds a blank or a period",
                            k + 1);
  }
  l->w = calloc(n ? n : 1, sizeof *l->w);
  l->len = calloc(n ? n : 1, sizeof *l->len);
  if (!l->w || !l->len) goto nomem;
  for (size_t k = 0; k < n; k++, l->n++)
    if ((l->w[k] = strdup(words[k])) == NULL) goto nomem;
  qsort(l->w, n, sizeof *l->w, by_first_byte);
  for (size_t k = 0; k < n; k++) l->len[k] = strlen(l->w[k]);
  for (int b = 0, k = 0; b <= 256; b++) {
    while ((size_t)k < n && (unsigned char)l->w[k][0] < b) k++;
    l->first[b] = (size_t)k;
  }
  return LODE_OK;
nomem:
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "capruns: out of memory");
}

lode_capruns *lode_capruns_new(const char *const *connectors, size_t nconnectors,
                               const char *const *abbreviations, size_t nabbreviations,
                               int max_words, int max_connectors, lode_error *err) {
  lode_capruns *c;
  if (max_words < 1 || max_words > MAX_WORDS || max_connectors < 0 || max_connectors > MAX_CONNECTORS) {
    lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "capruns: max_words must be 1-64, max_connectors 0-16");
    return NULL;
  }
  if ((c = calloc(1, sizeof *c)) == NULL) {
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "capruns: out of memory");
    return NULL;
  }
  if (make_list(&c->conn, connectors, nconnectors, 0, err) != LODE_OK ||
      make_list(&c->abbr, abbreviations, nabbreviations, 1, err) != LODE_OK) {
    lode_capruns_free(c);
    return NULL;
  }
  c->max_words = max_words;
  c->max_conn = max_connectors;
  return c;
}

void lode_capruns_free(lode_capruns *c) {
  if (!c) return;
  free_list(&c->conn);
  free_list(&c->abbr);
  free(c);
}
