/*
 * coord.c -- the items of lists of capitalised names (see coord.h).
 *
 * The walk reads positions 1-based, as the Lua rule it replaced did, with
 * 0 and positions past the end reading as no byte: the list's edges are
 * the text's edges.
 */
#include "coord.h"

#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

typedef struct text {
  const char *s;
  ptrdiff_t len;
} text;

/* The byte at 1-based position p, or -1 outside the text. */
static int byte_at(const text *t, ptrdiff_t p) {
  return p >= 1 && p <= t->len ? (unsigned char)t->s[p - 1] : -1;
}

static int blank(int c) { return c == ' ' || c == '\t'; }

/* A byte of a word: an ASCII letter, a hyphen, any byte of a UTF-8
 * sequence. */
static int word_byte(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c >= 128;
}

/* Is the word [a, b] capitalised, and free of punctuation such as ’ or
 * — (which UTF-8 writes from E2 80 and E2 81)? */
static int capital_word(const text *t, ptrdiff_t a, ptrdiff_t b) {
  int c = byte_at(t, a);
  int32_t cp;
  if (!((c >= 'A' && c <= 'Z') || c >= 192)) return 0;
  for (ptrdiff_t p = a; p < b; p++)
    if ((unsigned char)t->s[p - 1] == 0xE2 && ((unsigned char)t->s[p] & 0xFE) == 0x80) return 0;
  if (c < 128) return 1;
  if (!lode_utf8_decode(t->s + a - 1, (size_t)(b - a + 1), 0, &cp)) return 0;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* The end of the item starting at a, or 0. */
static ptrdiff_t item_from(const text *t, ptrdiff_t a, int max_words) {
  ptrdiff_t e = 0;
  for (int w = 0; w < max_words; w++) {
    ptrdiff_t b = a;
    while (word_byte(byte_at(t, b + 1))) b++;
    if (!(word_byte(byte_at(t, a)) && capital_word(t, a, b))) break;
    e = b;
    if (!blank(byte_at(t, b + 1))) break;
    a = b + 2;
  }
  return e;
}

/* The start of the item ending at e, or 0. */
static ptrdiff_t item_to(const text *t, ptrdiff_t e, int max_words) {
  ptrdiff_t start = 0;
  for (int w = 0; w < max_words; w++) {
    ptrdiff_t a = e;
    while (a > 1 && word_byte(byte_at(t, a - 1))) a--;
    if (!(word_byte(byte_at(t, e)) && capital_word(t, a, e))) break;
    start = a;
    if (!blank(byte_at(t, a - 1))) break;
    e = a - 2;
    if (e < 1) break;
  }
  return start;
}

/* The end of word w at b followed by spaces or tabs (the last of them),
 * or 0. */
static ptrdiff_t word_then_blanks(const text *t, ptrdiff_t b, const char *w) {
  ptrdiff_t n = (ptrdiff_t)strlen(w), e = b + n - 1;
  if (b < 1 || e > t->len || memcmp(t->s + b - 1, w, (size_t)n) != 0) return 0;
  if (!blank(byte_at(t, e + 1))) return 0;
  while (blank(byte_at(t, e + 1))) e++;
  return e;
}

/* The separator starting at `at`: its end, or 0. */
static ptrdiff_t sep_from(const text *t, ptrdiff_t at) {
  ptrdiff_t b = at, sp, e;
  int c = byte_at(t, b), comma = c == ',';
  if (comma) c = byte_at(t, ++b);
  sp = b;
  while (blank(c)) c = byte_at(t, ++b);
  if (b == sp) return 0;
  e = word_then_blanks(t, b, "and");
  if (!e) e = word_then_blanks(t, b, "or");
  if (e) return e;
  return comma ? b - 1 : 0;
}

/* The separator ending at e: its start, or 0. */
static ptrdiff_t sep_to(const text *t, ptrdiff_t e) {
  ptrdiff_t a = e, b, w = 0;
  int c = byte_at(t, e);
  while (blank(c)) c = byte_at(t, --a);
  if (a == e) return 0;
  if (c == ',') return a;                 /* a: the byte before the spaces */
  if (c == 'd' && a >= 3 && memcmp(t->s + a - 3, "and", 3) == 0) w = 3;
  else if (c == 'r' && a >= 2 && memcmp(t->s + a - 2, "or", 2) == 0) w = 2;
  if (!w) return 0;
  b = a - w;                              /* the byte before the word */
  c = byte_at(t, b);
  if (c == ',') return b;
  if (!blank(c)) return 0;
  while (blank(c)) c = byte_at(t, --b);
  return c == ',' ? b : b + 1;
}

/* The end of the spaces and tabs from k (k when none). */
static size_t blanks_end(const char *s, size_t len, size_t k) {
  while (k < len && blank((unsigned char)s[k])) k++;
  return k;
}

/* Whether s[k] starts a capital (category Lu: what PCRE2's \p{Lu} holds,
 * utf8proc's tables and PCRE2's agreeing on every code point; tests/c
 * checks it). */
static int capital_at(const char *s, size_t len, size_t k) {
  unsigned char c = (unsigned char)s[k];
  int32_t cp;
  if (c < 128) return c >= 'A' && c <= 'Z';
  return c >= 0xC2 && lode_utf8_decode(s, len, k, &cp) && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

int lode_coord_next_gap(const char *s, size_t len, size_t from, size_t *a, size_t *b) {
  const char *comma;
  /* the regex matches at a comma or not at all, and holds no other comma:
   * each comma tried alone. Its blanks are greedy and a capital starts
   * neither "and" nor "or": the word is taken when blanks follow it, and
   * then the capital must follow the blanks after it */
  while (from < len && (comma = memchr(s + from, ',', len - from)) != NULL) {
    size_t c = (size_t)(comma - s), k = blanks_end(s, len, c + 1), w = 0;
    from = c + 1;
    if (k == c + 1 || k == len) continue;
    if (len - k > 3 && memcmp(s + k, "and", 3) == 0 && blank((unsigned char)s[k + 3])) w = 3;
    else if (len - k > 2 && memcmp(s + k, "or", 2) == 0 && blank((unsigned char)s[k + 2])) w = 2;
    if (w) k = blanks_end(s, len, k + w);
    if (k < len && capital_at(s, len, k)) {
      *a = c;
      *b = k;
      return 1;
    }
  }
  return 0;
}

size_t lode_coord_item_end(const char *s, size_t len, size_t at, int max_words) {
  text t = {s, (ptrdiff_t)len};
  return (size_t)item_from(&t, (ptrdiff_t)at + 1, max_words);
}

size_t lode_coord_list(const char *s, size_t len, size_t start, size_t end, int max_words,
                       size_t max_items, size_t *I, size_t *J) {
  text t = {s, (ptrdiff_t)len};
  ptrdiff_t a = (ptrdiff_t)start + 1, e = (ptrdiff_t)end;   /* 1-based, inclusive */
  size_t nb = 0, n;
  /* the items before, last first, into the front of I, J: then reversed */
  while (nb < max_items) {
    ptrdiff_t sa = sep_to(&t, a - 1), ia = sa ? item_to(&t, sa - 1, max_words) : 0;
    if (!ia) break;
    I[nb] = (size_t)ia - 1;
    J[nb] = (size_t)sa - 1;
    nb++;
    a = ia;
  }
  for (size_t k = 0; k < nb / 2; k++) {
    size_t i = I[k], j = J[k];
    I[k] = I[nb - 1 - k]; J[k] = J[nb - 1 - k];
    I[nb - 1 - k] = i; J[nb - 1 - k] = j;
  }
  I[nb] = start;
  J[nb] = end;
  n = nb + 1;
  while (n < max_items) {
    ptrdiff_t sb = sep_from(&t, e + 1), ie = sb ? item_from(&t, sb + 1, max_words) : 0;
    if (!ie) break;
    I[n] = (size_t)sb;
    J[n] = (size_t)ie;
    n++;
    e = ie;
  }
  return n;
}
