/*
 * quotemarks.c -- quotations between marks, paired in one pass (see
 * quotemarks.h).
 *
 * One byte loop finds the marks and pairs them: no regex pass and no
 * table per quotation under way. Positions are 1-based inside (byte(k)
 * is nothing outside 1..len) and 0-based in the result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quotemarks.h"
#include "ascii.h"
#include "utf8.h"

enum { DOUBLE = 1, SINGLE, GUILLEMET, ANGLE };
enum { ANY = 0, OPEN_ONLY, CLOSE_ONLY };
enum { NONE = 0, OPEN, CLOSE, EITHER };

/* A quotation crossing more single line breaks than this without closing
 * is damaged: it ends where its first line ends. */
#define MAX_LINES 12
/* An unclosed quotation on a line longer than this ends here. */
#define LINE_REACH 4000

typedef struct mark {
  unsigned char family, prefer_open, only, spaced;
} mark;

/* The marks by their last byte, which tells every one of them apart. */
static mark mark_of(unsigned char last) {
  switch (last) {
    case 0x9C: return (mark){DOUBLE, 1, ANY, 0};          /* “ */
    case 0x9D: return (mark){DOUBLE, 0, ANY, 0};          /* ” */
    case '"': return (mark){DOUBLE, 0, ANY, 0};
    case 0x9E: return (mark){DOUBLE, 1, OPEN_ONLY, 0};    /* „ */
    case 0xAB: return (mark){GUILLEMET, 1, OPEN_ONLY, 1}; /* « */
    case 0xBB: return (mark){GUILLEMET, 0, CLOSE_ONLY, 1};
    case 0xB9: return (mark){ANGLE, 1, OPEN_ONLY, 1};     /* ‹ */
    case 0xBA: return (mark){ANGLE, 0, CLOSE_ONLY, 1};
    case 0x98: return (mark){SINGLE, 1, ANY, 0};          /* ‘ */
    case 0x99: return (mark){SINGLE, 0, ANY, 0};          /* ’ */
    case '\'': return (mark){SINGLE, 0, ANY, 0};
    default: return (mark){SINGLE, 1, OPEN_ONLY, 0};      /* ‚ (0x9A) */
  }
}

typedef struct scan {
  const unsigned char *s;
  size_t len;
  const lode_text *t;
  const lode_wordset *elisions;
  lode_quote_span *out;
  size_t n, cap;
  size_t nl_from, nl_at;   /* no line break in [nl_from, nl_at), one at nl_at */
} scan;

/* The byte at 1-based k, or -1 outside the text. */
static int byte_at(const scan *c, size_t k) { return k >= 1 && k <= c->len ? c->s[k - 1] : -1; }

static int blank(int b) { return b == ' ' || (b >= '\t' && b <= '\r'); }

/* What counts as a letter after a closing mark: ASCII letters and digits,
 * a lead byte of U+0080-U+1FFF, a continuation byte. */
static int wordish(int b) {
  return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
         (b >= 0xC3 && b <= 0xE1) || (b >= 0x80 && b < 0xC0);
}

/* What a mark may open after: a blank, ( [ { / - > * _, and the last bytes
 * of a no-break space, "—", "–", "“" and "„". */
static int opens_after(int b) {
  return blank(b) || b == '(' || b == '[' || b == '{' || b == '/' || b == '-' || b == '>' ||
         b == '*' || b == '_' || b == 0xA0 || b == 0x94 || b == 0x93 || b == 0x9C || b == 0x9E;
}

/* Bytes of the space at k that a spaced mark may stand apart by, read
 * forward (dir > 0) or backward: ASCII, U+00A0, U+202F. */
static size_t space_len(const scan *c, size_t k, int dir) {
  int b = byte_at(c, k);
  if (b == ' ' || b == '\t') return 1;
  if (dir > 0) {
    if (b == 0xC2 && byte_at(c, k + 1) == 0xA0) return 2;
    if (b == 0xE2 && byte_at(c, k + 1) == 0x80 && byte_at(c, k + 2) == 0xAF) return 3;
  } else {
    if (b == 0xA0 && byte_at(c, k - 1) == 0xC2) return 2;
    if (b == 0xAF && byte_at(c, k - 1) == 0x80 && byte_at(c, k - 2) == 0xE2) return 3;
  }
  return 0;
}

/* "’90s", "'em", "rock 'n' roll": a single mark before these never opens. */
static int is_elision(const scan *c, size_t j) {
  size_t a = j + 1, b = a;
  while (b <= c->len && (((c->s[b - 1] | 0x20) >= 'a' && (c->s[b - 1] | 0x20) <= 'z') ||
                         (c->s[b - 1] >= '0' && c->s[b - 1] <= '9')))
    b++;
  if (b == a) return 0;
  if (b - a >= 2 && c->s[a - 1] >= '0' && c->s[a - 1] <= '9' && c->s[a] >= '0' && c->s[a] <= '9')
    return 1;
  return c->elisions && lode_wordset_has(c->elisions, (const char *)c->s + a - 1, b - a);
}

/* The role of the mark at [i, j] of kind m. */
static int role_of(const scan *c, size_t i, size_t j, mark m) {
  int o, cl, before, after;
  if (!m.spaced) {
    before = byte_at(c, i - 1);
    after = byte_at(c, j + 1);
    o = m.only != CLOSE_ONLY && before >= 0 && opens_after(before) && after >= 0 && !blank(after);
    cl = m.only != OPEN_ONLY && before >= 0 && !blank(before) && !(after >= 0 && wordish(after));
    if (i == 1) {   /* nothing before: it may open, never close */
      o = m.only != CLOSE_ONLY && after >= 0 && !blank(after);
      cl = 0;
    }
  } else {
    size_t k = j + 1 + space_len(c, j + 1, 1), b = i - 1;
    before = byte_at(c, i - 1);
    after = byte_at(c, k);
    o = m.only != CLOSE_ONLY && !(before >= 0 && !opens_after(before)) && after >= 0 && !blank(after);
    b -= space_len(c, b, -1);
    before = byte_at(c, b);
    after = byte_at(c, j + 1);
    cl = m.only != OPEN_ONLY && before >= 0 && !blank(before) && !(after >= 0 && wordish(after));
  }
  if (o && m.family == SINGLE && is_elision(c, j)) o = 0;
  if (o && cl) return m.prefer_open ? OPEN : EITHER;
  return o ? OPEN : cl ? CLOSE : NONE;
}

/* Whether the code point ending right before byte k (1-based) / starting
 * at byte k is a letter or a number (\p{L} \p{N}). */
static int alnum_before(const scan *c, size_t k) {
  size_t a = k - 1, back = 0;
  int32_t cp;
  if (a < 1) return 0;
  while (a > 1 && back < 3 && (c->s[a - 1] & 0xC0) == 0x80) a--, back++;
  if (lode_utf8_decode((const char *)c->s, c->len, a - 1, &cp) != k - a) return 0;
  return lode_utf8_is_alnum(cp);
}
static int alnum_at(const scan *c, size_t k) {
  int32_t cp;
  if (k > c->len || !lode_utf8_decode((const char *)c->s, c->len, k - 1, &cp)) return 0;
  return lode_utf8_is_alnum(cp);
}

/* The mark starting at byte k: its length, or 0 (an apostrophe, no mark). */
static size_t mark_len(const scan *c, size_t k) {
  int b = c->s[k - 1];
  if (b == '"') return 1;
  if (b == '\'') return alnum_before(c, k) && alnum_at(c, k + 1) ? 0 : 1;
  if (b == 0xC2) {
    int x = byte_at(c, k + 1);
    return x == 0xAB || x == 0xBB ? 2 : 0;
  }
  if (byte_at(c, k + 1) != 0x80) return 0;
  switch (byte_at(c, k + 2)) {
    case 0x9C: case 0x9D: case 0x9E: case 0xB9: case 0xBA: case 0x98: case 0x9A: return 3;
    case 0x99: return alnum_before(c, k) && alnum_at(c, k + 3) ? 0 : 3;
    default: return 0;
  }
}

/* The first byte at or after k (1-based) that may start a mark: " ' or
 * the lead byte C2 or E2 (len + 1 when none). Eight bytes at a time while
 * they are ASCII without " and ': most of a text. */
static size_t next_lead(const scan *c, size_t k) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  for (;;) {
    size_t stop;
    while (k + 7 <= c->len) {
      uint64_t x, d, q;
      memcpy(&x, c->s + k - 1, 8);
      d = x ^ (ones * '"');
      q = x ^ (ones * '\'');
      if ((x | ((d - ones) & ~d) | ((q - ones) & ~q)) & highs) break;
      k += 8;
    }
    /* the eight bytes one by one (a letter such as "é" stopped the loop) */
    stop = k + 8 <= c->len + 1 ? k + 8 : c->len + 1;
    for (; k < stop; k++) {
      int b = c->s[k - 1];
      if (b == '"' || b == '\'' || b == 0xC2 || b == 0xE2) return k;
    }
    if (k > c->len) return k;
  }
}

size_t lode_quote_paragraph_break(const char *s, size_t len, size_t from) {
  while (from < len) {
    const char *nl = memchr(s + from, '\n', len - from);
    size_t k;
    if (!nl) return LODE_NOPOS;
    k = (size_t)(nl - s) + 1;
    while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) k++;
    if (k < len && s[k] == '\n') return (size_t)(nl - s);
    from = (size_t)(nl - s) + 1;
  }
  return LODE_NOPOS;
}

/* The same from 1-based byte `from` of the scan: 1-based, or 0. */
static size_t paragraph_break(const scan *c, size_t from) {
  size_t at = from >= 1 ? lode_quote_paragraph_break((const char *)c->s, c->len, from - 1) : LODE_NOPOS;
  return at == LODE_NOPOS ? 0 : at + 1;
}

size_t lode_quote_sentence_end(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t p = 0; p < len; p++) {
    size_t q = p + 1;             /* past a closing mark, if one follows */
    if (u[p] != '.' && u[p] != '!' && u[p] != '?') continue;
    if (q < len && u[q] == '"') q++;
    else if (q + 2 < len && u[q] == 0xE2 && u[q + 1] == 0x80 && (u[q + 2] == 0x9D || u[q + 2] == 0x99))
      q += 3;                     /* ” or ’ */
    if (q < len && blank(u[q])) return p;
  }
  return LODE_NOPOS;
}

/* How far the look-around reaches (bytes): one huge line must not make
 * the extractor quadratic. */
#define LOOK_BEHIND 600
#define LOOK_AHEAD 240

void lode_quote_look_around(const lode_text *t, const lode_boundary *bv, size_t bn, size_t i,
                            size_t j, size_t open_at, size_t after_at, lode_quote_look *out) {
  size_t len, line_end, lo, hi, sent, a, b, brk, e;
  const char *s = lode_text_bytes(t, &len);
  out->line = lode_text_line_of(t, i);
  out->open_line = lode_text_line_of(t, open_at);
  lode_text_line_span(t, out->open_line, &out->line_start, &line_end);
  /* the sentence start: lode_sentence_start reads 1-based bytes */
  lo = out->line_start + 1;
  if (open_at + 1 > LOOK_BEHIND && open_at + 1 - LOOK_BEHIND > lo) lo = open_at + 1 - LOOK_BEHIND;
  hi = i + 4 < j ? i + 4 : j;
  sent = lode_sentence_start(bv, bn, lo, hi) - 1;
  if (sent > open_at) sent = open_at;
  a = sent;
  b = open_at;
  if (a < b) lode_utf8_narrow(s, len, &a, &b);
  else a = b;
  out->before_a = a;
  out->before_b = b;
  /* the words after, up to the first paragraph break, and their first sentence */
  a = after_at;
  b = after_at + LOOK_AHEAD + 1 < len ? after_at + LOOK_AHEAD + 1 : len;
  if (a < b) lode_utf8_narrow(s, len, &a, &b);
  else a = b;
  brk = lode_quote_paragraph_break(s + a, b - a, 0);
  if (brk != LODE_NOPOS) b = a + brk;
  e = lode_quote_sentence_end(s + a, b - a);
  out->after_a = a;
  out->after_b = b;
  out->sentence_b = e == LODE_NOPOS ? b : a + e + 1;
}

size_t lode_quote_words(const char *s, size_t len, size_t max) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = 0;
  for (size_t p = 0; p < len && n < max; p++)
    if (!blank(u[p]) && (p == 0 || blank(u[p - 1]))) n++;
  return n;
}

static int tail_blank(int b) { return blank(b) || b == '*' || b == '_'; }

lode_quote_word lode_quote_tail_word(const char *s, size_t len, size_t *a, size_t *b) {
  const unsigned char *u = (const unsigned char *)s;
  size_t e = len, k;
  /* the longest suffix [\s*_]*[,:]?[\s*_]* of ASCII bytes */
  while (e > 0 && tail_blank(u[e - 1])) e--;
  if (e > 0 && (u[e - 1] == ',' || u[e - 1] == ':')) {
    e--;
    while (e > 0 && tail_blank(u[e - 1])) e--;
  }
  if (e == 0) return LODE_QWORD_NONE;
  if (u[e - 1] >= 0x80) return LODE_QWORD_OTHER;
  if (!lode_ascii_letter(u[e - 1])) return LODE_QWORD_NONE;
  for (k = e; k > 0 && lode_ascii_letter(u[k - 1]); k--) {}
  if (k > 0 && u[k - 1] >= 0x80) return LODE_QWORD_OTHER;
  *a = k;
  *b = e;
  return LODE_QWORD_ASCII;
}

lode_quote_word lode_quote_head_word(const char *s, size_t len, size_t *a, size_t *b) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = 0, e;
  for (;;) {
    if (k < len && (tail_blank(u[k]) || u[k] == '[' || u[k] == ',')) k++;
    else if (k + 2 < len && u[k] == 0xE2 && u[k + 1] == 0x80 && (u[k + 2] == 0x93 || u[k + 2] == 0x94))
      k += 3;
    else break;
  }
  if (k == len) return LODE_QWORD_NONE;
  if (u[k] >= 0x80) return LODE_QWORD_OTHER;
  for (e = k; e < len && lode_ascii_letter(u[e]); e++) {}
  if (e == k) return LODE_QWORD_NONE;
  if (e < len && u[e] >= 0x80) return LODE_QWORD_OTHER;
  *a = k;
  *b = e;
  return LODE_QWORD_ASCII;
}

static int markup(int b) { return b == '>' || b == '*' || b == '_'; }

/* The length of the horizontal space (PCRE2's \h) at u[k], 0 when none. */
static size_t hspace(const unsigned char *u, size_t len, size_t k) {
  if (u[k] == ' ' || u[k] == '\t') return 1;
  if (u[k] == 0xC2) return k + 1 < len && u[k + 1] == 0xA0 ? 2 : 0;
  if (k + 2 >= len) return 0;
  if (u[k] == 0xE1)    /* U+1680 U+180E */
    return (u[k + 1] == 0x9A && u[k + 2] == 0x80) || (u[k + 1] == 0xA0 && u[k + 2] == 0x8E) ? 3 : 0;
  if (u[k] == 0xE2)    /* U+2000-U+200A U+202F U+205F */
    return (u[k + 1] == 0x80 && (u[k + 2] <= 0x8A || u[k + 2] == 0xAF)) ||
           (u[k + 1] == 0x81 && u[k + 2] == 0x9F) ? 3 : 0;
  if (u[k] == 0xE3) return u[k + 1] == 0x80 && u[k + 2] == 0x80 ? 3 : 0;   /* U+3000 */
  return 0;
}

/* Whether the line before the ':' at u[colon] may be a turn's label (see
 * lode_quote_may_turn), read backwards word by word. */
static int label_before(const unsigned char *u, size_t colon) {
  size_t k = colon, words = 0;
  int lower = 0, other = 0;
  while (k > 0 && u[k - 1] != '\n' && u[k - 1] != '\r') {
    size_t e = k, f;
    if (u[k - 1] == ' ' || u[k - 1] == '\t') {
      k--;
      continue;
    }
    for (; k > 0 && u[k - 1] != ' ' && u[k - 1] != '\t' && u[k - 1] != '\n' && u[k - 1] != '\r'; k--) {
      int b = u[k - 1];
      if (b >= 0x80) other = 1;
      else if (b >= 'a' && b <= 'z') lower = 1;
      else if (!lode_ascii_letter(b) && !markup(b) && b != '\'' && b != '.' && b != '-') return 0;
    }
    for (f = k; f < e && markup(u[f]); f++) {}
    if (f == e) continue;                 /* markup alone */
    if (u[f] < 0x80 && !(u[f] >= 'A' && u[f] <= 'Z')) return 0;
    if (++words > 4 || (lower && words > 3)) return 0;
  }
  /* a word with a lower-case letter: "Name Surname", two or three words
   * (a byte >= 0x80 may be a space that splits one) */
  return words > 0 && (!lower || words >= 2 || other);
}

/* Whether the line from u[k] opens with Q or A, then '.' or ':'. */
static int qa_line(const unsigned char *u, size_t len, size_t k) {
  size_t h;
  for (;;) {
    if (k < len && markup(u[k])) k++;
    else if (k < len && (h = hspace(u, len, k)) > 0) k += h;
    else break;
  }
  if (k >= len || (u[k] != 'Q' && u[k] != 'A')) return 0;
  for (k++; k < len && (u[k] == '*' || u[k] == '_'); k++) {}
  while (k < len && (h = hspace(u, len, k)) > 0) k += h;
  return k < len && (u[k] == '.' || u[k] == ':');
}

int lode_quote_may_turn(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  const char *p = len ? memchr(s, ':', len) : NULL;
  const char *nl, *cr;
  size_t k;
  for (; p; p = memchr(p + 1, ':', len - (size_t)(p + 1 - s)))
    if (label_before(u, (size_t)(p - s))) return 1;
  /* every line start: after \n, after \r, and the text's start */
  if (qa_line(u, len, 0)) return 1;
  nl = len ? memchr(s, '\n', len) : NULL;
  cr = len ? memchr(s, '\r', len) : NULL;
  while (nl || cr) {
    const char *brk = !cr || (nl && nl < cr) ? nl : cr;
    k = (size_t)(brk - s) + 1;
    if (qa_line(u, len, k)) return 1;
    if (brk == nl) nl = k < len ? memchr(s + k, '\n', len - k) : NULL;
    else cr = k < len ? memchr(s + k, '\r', len - k) : NULL;
  }
  return 0;
}

/* The last byte of the line holding byte i (before its line break), at
 * most LINE_REACH bytes on, before a character that reach would cut. The
 * next line break is kept: a line of many unclosed marks is read once. */
static size_t line_end(scan *c, size_t i) {
  size_t j;
  if (!(c->nl_from && i >= c->nl_from && i <= c->nl_at)) {
    size_t k = i;
    while (k <= c->len && c->s[k - 1] != '\r' && c->s[k - 1] != '\n') k++;
    c->nl_from = i;
    c->nl_at = k;                 /* len + 1: none */
  }
  if (c->nl_at <= c->len && c->nl_at - i < LINE_REACH) return c->nl_at - 1;
  if (i > c->len || c->len - i + 1 < LINE_REACH) return c->len;
  j = i + LINE_REACH - 1;
  while (j > i && (byte_at(c, j + 1) & 0xC0) == 0x80) j--;
  return j;
}

/* Where an unclosed quotation from byte i ends: at its first sentence end
 * when the next one opens at next_open (0: none) on its line, else at
 * the end of its line. */
static size_t unclosed_end(scan *c, size_t i, size_t next_open) {
  size_t le = line_end(c, i);
  if (next_open && next_open <= le && i <= le) {
    size_t e = lode_quote_sentence_end((const char *)c->s + i - 1, le - i + 1);
    if (e != LODE_NOPOS) return i + e;
  }
  return le;
}

/* [*i, *j] narrowed past spaces and a Markdown link wrapping it all
 * ("[ecological terror.](https://...)" quotes the link's words). */
static void words_span(const scan *c, size_t *pi, size_t *pj) {
  size_t i = *pi, j = *pj, n;
  while (i <= j && (n = space_len(c, i, 1)) != 0) i += n;
  while (j >= i) {
    n = space_len(c, j, -1);
    if (n == 0 && !blank(byte_at(c, j))) break;
    j -= n > 0 ? n : 1;
  }
  if (i <= j && byte_at(c, i) == '[' && byte_at(c, j) == ')') {
    /* the first "](" followed by non-spaces up to the last byte */
    size_t last_space = 0, k;
    for (k = i; k < j; k++)
      if (blank(c->s[k - 1])) last_space = k;
    for (k = last_space > i + 1 ? last_space - 1 : i; k + 2 < j; k++)
      if (c->s[k - 1] == ']' && c->s[k] == '(') {
        *pi = i + 1;
        *pj = k - 1;
        return;
      }
  }
  *pi = i;
  *pj = j;
}

/* The quotation under way. */
typedef struct open_quote {
  int on, family, weak;
  size_t i, open_at, line, last, first_j, weak_i, weak_j;
} open_quote;

static int emit(scan *c, open_quote *q, size_t j_words, size_t close_j, lode_error *err) {
  size_t i = q->i, j = j_words;
  words_span(c, &i, &j);
  q->on = q->weak = 0;
  if (j < i) return 0;
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 16;
    lode_quote_span *v = realloc(c->out, cap * sizeof *v);
    if (!v) return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
    c->out = v;
    c->cap = cap;
  }
  c->out[c->n++] = (lode_quote_span){i - 1, j, q->open_at - 1, close_j, q->first_j};
  return 0;
}

/* End the open quotation without a (strong) close mark; `limit` is where
 * the next quotation opens, if on its line (0: none). */
static int abandon(scan *c, open_quote *q, size_t limit, lode_error *err) {
  size_t e;
  if (q->weak) return emit(c, q, q->weak_i - 1, q->weak_j, err);
  e = unclosed_end(c, q->i, limit);
  if (q->first_j && e > q->first_j) e = q->first_j;
  return emit(c, q, e, 0, err);
}

static void start(scan *c, open_quote *q, size_t i, size_t j, int family, size_t line) {
  *q = (open_quote){1, family, 0, j + 1, i, line ? line : lode_text_line_of(c->t, i - 1),
                    j + 1, 0, 0, 0};
}

/* Whether the text from the second line break after the first at `brk`
 * up to byte i - 1 holds only spaces and > * _ -. */
static int next_paragraph_opens(const scan *c, size_t brk, size_t i) {
  size_t k = brk + 1;
  while (k < i && (c->s[k - 1] == ' ' || c->s[k - 1] == '\t' || c->s[k - 1] == '\r')) k++;
  if (k >= i || c->s[k - 1] != '\n') return 0;
  for (k++; k < i; k++) {
    int b = c->s[k - 1];
    if (!blank(b) && b != '>' && b != '*' && b != '_' && b != '-') return 0;
  }
  return 1;
}

static int pair(scan *c, lode_error *err) {
  open_quote q = {0};
  size_t next_break = 0, k = 1;
  int rc = 0;
  while ((k = next_lead(c, k)) <= c->len && rc == 0) {
    size_t i = k, j, ml, line = 0, brk = 0;
    int role;
    mark m;
    ml = mark_len(c, k);
    if (!ml) {
      k++;
      continue;
    }
    j = i + ml - 1;
    k = j + 1;
    m = mark_of(c->s[j - 1]);
    role = role_of(c, i, j, m);
    if (q.on) {
      /* the next paragraph break, found again only once passed (linear) */
      if (next_break < q.last) {
        next_break = paragraph_break(c, q.last);
        if (!next_break) next_break = c->len + 1;
      }
      if (next_break < i) brk = next_break;
      else line = lode_text_line_of(c->t, i - 1);
      if (brk || line - q.line > MAX_LINES) {
        /* a paragraph that ends open continues when the next one opens
         * with a mark of its family (the newspaper convention) */
        if (brk && role == OPEN && m.family == q.family && !q.weak &&
            next_paragraph_opens(c, brk, i) && lode_text_line_of(c->t, i - 1) - q.line <= MAX_LINES) {
          if (!q.first_j) q.first_j = brk - 1;
          role = NONE;
        } else {
          rc = abandon(c, &q, 0, err);
        }
      }
      if (q.on) q.last = j + 1;
    }
    if (rc) break;
    if (role != NONE && q.on) {
      if (m.family == q.family) {
        if (role == OPEN) {
          rc = abandon(c, &q, i, err);   /* a new quotation: the old one never closed */
          start(c, &q, i, j, m.family, line);
        } else if (m.family == SINGLE && byte_at(c, i - 1) == 's' && byte_at(c, j + 1) == ' ') {
          if (!q.weak) q.weak = 1, q.weak_i = i, q.weak_j = j;   /* "the protesters’ demands" */
        } else {
          rc = emit(c, &q, i - 1, j, err);
        }
      }
    } else if (role == OPEN || (role == EITHER && m.family == DOUBLE)) {
      start(c, &q, i, j, m.family, line);
    }
  }
  if (rc == 0 && q.on) rc = abandon(c, &q, 0, err);
  return rc;
}

void lode_quote_line_words(const lode_text *t, size_t from, size_t *a, size_t *b) {
  scan c = {0};
  size_t len, i = from + 1, j;
  c.s = (const unsigned char *)lode_text_bytes(t, &len);
  c.len = len;
  j = line_end(&c, i);
  words_span(&c, &i, &j);
  *a = i - 1;
  *b = j;
}

int lode_quote_marks(const lode_text *t, const lode_wordset *elisions, lode_quote_span **out,
                     size_t *n, lode_error *err) {
  scan c = {0};
  size_t len;
  int rc;
  c.s = (const unsigned char *)lode_text_bytes(t, &len);
  c.len = len;
  c.t = t;
  c.elisions = elisions;
  rc = pair(&c, err);
  if (rc) {
    free(c.out);
    c.out = NULL;
    c.n = 0;
  }
  *out = c.out;
  *n = c.n;
  return rc;
}
