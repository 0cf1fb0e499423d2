/*
 * segment.c -- paragraphs, sentences and words as byte spans (see segment.h).
 *
 * Character classes come from utf8proc (utf8proc_iterate, utf8proc_category);
 * the only hand-written lists are punctuation code points and the
 * abbreviation / sentence-starter word tables, which are language data, not
 * Unicode data.
 *
 * Invalid UTF-8: every byte that does not start a valid sequence is taken
 * as one "other" character (not a letter, not white space, not punctuation),
 * so segmentation never fails on bad input and never splits a valid
 * character; spans may contain the bad bytes.
 */
#include "segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------ span array */

int lode_spans_push(lode_spans *a, size_t start, size_t end) {
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 64;
    lode_span *v;
    if (cap > SIZE_MAX / sizeof *v) return LODE_ENOMEM;
    v = realloc(a->v, cap * sizeof *v);
    if (!v) return LODE_ENOMEM;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n].start = start;
  a->v[a->n].end = end;
  a->n++;
  return LODE_OK;
}

/* The hot path of lode_spans_push, inlined in the segmenters' loops. */
static inline int push(lode_spans *a, size_t start, size_t end) {
  if (a->n < a->cap) {
    a->v[a->n].start = start;
    a->v[a->n].end = end;
    a->n++;
    return LODE_OK;
  }
  return lode_spans_push(a, start, end);
}

void lode_spans_free(lode_spans *a) {
  if (!a) return;
  free(a->v);
  a->v = NULL;
  a->n = a->cap = 0;
}

/* ------------------------------------------------------------- decoding */

#define BAD (-1)  /* code point of an invalid byte */

/* Decode the character at s[i] (i < len); returns its length (>= 1) and
 * stores the code point, or BAD for an invalid byte (length 1). */
static inline size_t dec(const char *s, size_t len, size_t i, int32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  utf8proc_ssize_t r;
  if (c < 0x80) { *cp = c; return 1; }
  r = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), cp);
  if (r <= 0) { *cp = BAD; return 1; }
  return (size_t)r;
}

/* Decode the character ending at s[i] (lo < i); returns its start (>= lo). */
static inline size_t dec_prev(const char *s, size_t lo, size_t i, int32_t *cp) {
  size_t j = i - 1, k = 0;
  while (j > lo && k < 3 && ((unsigned char)s[j] & 0xC0) == 0x80) { j--; k++; }
  if (j + dec(s, i, j, cp) != i) { *cp = BAD; return i - 1; }
  return j;
}

static inline int cat(int32_t cp) { return cp < 0 ? -1 : (int)utf8proc_category(cp); }

static inline int is_space(int32_t cp) {
  int c;
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85) return 1;
  if (cp < 0x80) return 0;
  /* Zero-width space and BOM: invisible, act as white space in scrapes. */
  if (cp == 0x200B || cp == 0xFEFF) return 1;
  c = cat(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

/* ASCII answers without a property lookup: news text is ~99% ASCII and the
 * categories of ASCII characters are fixed. */
#define ASCII_UPPER(cp) ((cp) >= 'A' && (cp) <= 'Z')
#define ASCII_LOWER(cp) ((cp) >= 'a' && (cp) <= 'z')
#define ASCII_DIGIT(cp) ((cp) >= '0' && (cp) <= '9')

static inline int is_letter(int32_t cp) {
  int c;
  if (cp >= 0 && cp < 0x80) return ASCII_UPPER(cp) || ASCII_LOWER(cp);
  c = cat(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static inline int is_upper(int32_t cp) {
  int c;
  if (cp >= 0 && cp < 0x80) return ASCII_UPPER(cp);
  c = cat(cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static inline int is_lower(int32_t cp) {
  if (cp >= 0 && cp < 0x80) return ASCII_LOWER(cp);
  return cat(cp) == UTF8PROC_CATEGORY_LL;
}

static inline int is_digit(int32_t cp) {
  if (cp >= 0 && cp < 0x80) return ASCII_DIGIT(cp);
  return cat(cp) == UTF8PROC_CATEGORY_ND;
}

/* Word characters: letters, marks, numbers. */
static inline int is_wordch(int32_t cp) {
  int c;
  if (cp >= 0 && cp < 0x80) return ASCII_UPPER(cp) || ASCII_LOWER(cp) || ASCII_DIGIT(cp);
  c = cat(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

static inline int is_hyphen(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x00AD;
}

/* Sentence-final punctuation: . ! ? … and the double forms (‼ ⁇ ⁈ ⁉). */
static inline int is_term(int32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x203C ||
         (cp >= 0x2047 && cp <= 0x2049);
}

/* What may follow final punctuation inside the sentence: closing quotes and
 * brackets (categories Pe, Pf) and the ambiguous straight quotes. */
static inline int is_closer(int32_t cp) {
  int c;
  if (cp >= 0 && cp < 0x80)
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}';
  c = cat(cp);
  return c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
}

/* Opening quotes and brackets (Ps, Pi), straight quotes, Spanish ¿ ¡. */
static inline int is_opener(int32_t cp) {
  int c;
  if (cp >= 0 && cp < 0x80)
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == '{';
  if (cp == 0xBF || cp == 0xA1) return 1;
  c = cat(cp);
  return c == UTF8PROC_CATEGORY_PS || c == UTF8PROC_CATEGORY_PI;
}

/* ----------------------------------------------------------- paragraphs */

/* One non-blank line, trimmed. */
typedef struct {
  size_t ts, te;        /* trimmed content */
  size_t nchars;        /* code points in [ts, te) */
  int first_lower;      /* starts with a lowercase letter */
  int ends_terminal;    /* ends with . ! ? … (closing quotes allowed after) */
  int ends_joinable;    /* ends with a letter, comma or hyphen */
} line_info;

typedef struct {
  line_info *v;
  size_t n, cap;
} line_vec;

/* A line is hard-wrapped material when the lines of its block (all but the
 * last) are between these widths in characters. Scraped text puts a whole
 * paragraph on a line, far wider than WRAP_MAX, so a heading without a
 * period in such a block is not glued to the paragraph under it. */
#define WRAP_MIN 60
#define WRAP_MAX 100
/* A lowercase next line continues the current one only if the current line
 * is at least this wide: "December 3, 2021" / "in Opinion" are two lines. */
#define RUNON_MIN 40

/* UTF-8 continuation bytes (10xxxxxx) among the 8 bytes at p: bit 7 of
 * each byte set and bit 6 clear, summed by one multiply (each byte of the
 * product's top holds the running sum, at most 8). */
static size_t continuations8(const char *p) {
  uint64_t x, c;
  memcpy(&x, p, 8);
  c = (x & ~(x << 1)) & 0x8080808080808080u;
  return (size_t)(((c >> 7) * 0x0101010101010101u) >> 56);
}

/* Describe the line s[ls, le) into *li; returns 0 if it is blank. */
static int describe_line(const char *s, size_t ls, size_t le, line_info *li) {
  size_t i = ls, ts, te, last, n = 0;
  int32_t cp = 0;
  /* leading white space */
  while (i < le) {
    size_t k = dec(s, le, i, &cp);
    if (!is_space(cp)) break;
    i += k;
  }
  if (i >= le) return 0;
  ts = i;
  li->first_lower = is_lower(cp);
  /* trailing white space; `last` is where the last character starts */
  te = le;
  for (;;) {
    size_t j = dec_prev(s, ts, te, &cp);
    if (!is_space(cp)) { last = j; break; }
    te = j;
  }
  li->ts = ts;
  li->te = te;
  li->ends_joinable = is_letter(cp) || cp == ',' || is_hyphen(cp);
  while (is_closer(cp) && last > ts) last = dec_prev(s, ts, last, &cp);
  li->ends_terminal = is_term(cp);
  /* Count code points (non-continuation bytes) up to WRAP_MAX + 1 only: the
   * width tests need no more, and a 20 MB line is then not walked twice.
   * Eight bytes a step; a step may pass WRAP_MAX + 1, so the count is
   * capped there, as the byte loop stops. */
  for (i = ts; i + 8 <= te && n <= WRAP_MAX; i += 8) n += 8 - continuations8(s + i);
  for (; i < te && n <= WRAP_MAX; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  li->nchars = n <= WRAP_MAX ? n : WRAP_MAX + 1;
  return 1;
}

/* Emit the paragraphs of one block of consecutive non-blank lines. */
static int flush_block(const line_vec *b, lode_spans *out) {
  size_t k, first = 0;
  int wrapped = b->n >= 2;
  /* Hard-wrapped: every line at most WRAP_MAX wide, all but the last at
   * least WRAP_MIN (the last line of a wrapped paragraph is often short). */
  for (k = 0; k < b->n && wrapped; k++)
    if (b->v[k].nchars > WRAP_MAX || (k + 1 < b->n && b->v[k].nchars < WRAP_MIN)) wrapped = 0;
  for (k = 0; k < b->n; k++) {
    int join = 0;
    if (k + 1 < b->n) {
      const line_info *cur = &b->v[k], *nxt = &b->v[k + 1];
      join = (!cur->ends_terminal && cur->nchars >= RUNON_MIN && nxt->first_lower) ||
             (wrapped && cur->ends_joinable);
    }
    if (!join) {
      if (push(out, b->v[first].ts, b->v[k].te)) return LODE_ENOMEM;
      first = k + 1;
    }
  }
  return LODE_OK;
}

static int check_args(const char *s, size_t len, lode_spans *out, lode_error *err,
                      const char *what) {
  if (!out) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "%s: NULL output array", what);
  if (!s && len)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "%s: NULL text with length %zu", what, len);
  return LODE_OK;
}

static int nomem(lode_error *err, const char *what) {
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", what);
}

int lode_segment_paragraphs(const char *s, size_t len, lode_spans *out,
                            lode_error *err) {
  line_vec b = {NULL, 0, 0};
  size_t ls = 0, lf = 0;
  int rc = check_args(s, len, out, err, "paragraphs");
  if (rc) return rc;
  while (ls < len) {
    /* Line breaks: LF, CR, CRLF, found by memchr (many bytes a step). The
     * next LF is kept across lines, so a text of CR breaks alone is not
     * searched to its end once a line; a CR is looked for before it. */
    size_t le, next;
    const char *cr;
    line_info li;
    if (lf < ls || ls == 0) {
      const char *p = memchr(s + ls, '\n', len - ls);
      lf = p ? (size_t)(p - s) : len;
    }
    cr = memchr(s + ls, '\r', lf - ls);
    le = cr ? (size_t)(cr - s) : lf;
    next = le;
    if (next < len) next += (s[next] == '\r' && next + 1 < len && s[next + 1] == '\n') ? 2 : 1;
    if (describe_line(s, ls, le, &li)) {
      if (b.n == b.cap) {
        size_t cap = b.cap ? b.cap * 2 : 16;
        line_info *v = realloc(b.v, cap * sizeof *v);
        if (!v) { free(b.v); return nomem(err, "paragraphs"); }
        b.v = v;
        b.cap = cap;
      }
      b.v[b.n++] = li;
    } else if (b.n) {
      if (flush_block(&b, out)) { free(b.v); return nomem(err, "paragraphs"); }
      b.n = 0;
    }
    ls = next;
  }
  if (b.n && flush_block(&b, out)) { free(b.v); return nomem(err, "paragraphs"); }
  free(b.v);
  return LODE_OK;
}

/* ------------------------------------------------------------ sentences */

/* What a period after a word means. */
enum { ABBR_NONE, ABBR_ALWAYS, ABBR_MAYEND };

typedef struct { const char *word; size_t len; int kind; } abbrev;

#define AB(w, k) {w, sizeof w - 1, k}

/* Abbreviations that take a period. ALWAYS: never end a sentence (titles,
 * months, "No.", "vs."). MAYEND: often end a sentence ("... and Co."), so
 * they end one when a clearly new sentence follows (see starters below).
 * Entries written in lowercase also match with a capital first letter. */
static const abbrev abbrevs[] = {
  AB("Mr", ABBR_ALWAYS), AB("Mrs", ABBR_ALWAYS), AB("Ms", ABBR_ALWAYS), AB("Dr", ABBR_ALWAYS),
  AB("Prof", ABBR_ALWAYS), AB("Gen", ABBR_ALWAYS), AB("Col", ABBR_ALWAYS), AB("Lt", ABBR_ALWAYS),
  AB("Maj", ABBR_ALWAYS), AB("Capt", ABBR_ALWAYS), AB("Sgt", ABBR_ALWAYS), AB("Rev", ABBR_ALWAYS),
  AB("St", ABBR_ALWAYS), AB("Gov", ABBR_ALWAYS), AB("Sen", ABBR_ALWAYS), AB("Rep", ABBR_ALWAYS),
  AB("Pres", ABBR_ALWAYS), AB("Amb", ABBR_ALWAYS), AB("Jan", ABBR_ALWAYS), AB("Feb", ABBR_ALWAYS),
  AB("Mar", ABBR_ALWAYS), AB("Apr", ABBR_ALWAYS), AB("Jun", ABBR_ALWAYS), AB("Jul", ABBR_ALWAYS),
  AB("Aug", ABBR_ALWAYS), AB("Sep", ABBR_ALWAYS), AB("Sept", ABBR_ALWAYS), AB("Oct", ABBR_ALWAYS),
  AB("Nov", ABBR_ALWAYS), AB("Dec", ABBR_ALWAYS), AB("No", ABBR_ALWAYS), AB("vs", ABBR_ALWAYS),
  AB("e.g", ABBR_ALWAYS), AB("i.e", ABBR_ALWAYS), AB("Mt", ABBR_ALWAYS), AB("Ft", ABBR_ALWAYS),
  AB("etc", ABBR_MAYEND), AB("Jr", ABBR_MAYEND), AB("Sr", ABBR_MAYEND), AB("Inc", ABBR_MAYEND),
  AB("Ltd", ABBR_MAYEND), AB("Co", ABBR_MAYEND), AB("Corp", ABBR_MAYEND), AB("approx", ABBR_MAYEND),
  AB("est", ABBR_MAYEND),
};

/* Capitalised words that start sentences and are not names: after a dotted
 * acronym ("U.S.") or a MAYEND abbreviation, one of these means the period
 * ended the sentence ("in the U.S. The next ..."), anything else -- a name,
 * "Congress", a lowercase word -- means it did not ("U.S. Congress"). */
static const char *const starters[] = {
  "A", "According", "After", "Also", "Although", "An", "And", "Another", "As", "At",
  "Because", "Before", "Both", "But", "By", "Despite", "During", "Each", "Even",
  "For", "From", "He", "Her", "Here", "His", "How", "However", "I", "If", "In",
  "Instead", "It", "Its", "Last", "Many", "Meanwhile", "Moreover", "Most", "My",
  "Nevertheless", "No", "Now", "On", "One", "Our", "Over", "She",
  "Since", "Some", "Still", "Such", "That", "The", "Their", "Then", "There",
  "These", "They", "This", "Those", "Though", "Thus", "To", "Today", "Under",
  "We", "What", "When", "Where", "While", "Who", "Why", "With", "Yet", "You",
};

static int word_eq(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

static int abbrev_kind(const char *s, size_t n) {
  size_t k;
  for (k = 0; k < sizeof abbrevs / sizeof abbrevs[0]; k++) {
    const char *w = abbrevs[k].word;
    if (abbrevs[k].len != n) continue;
    if (memcmp(s, w, n) == 0) return abbrevs[k].kind;
    /* "Etc.", "Vs.", "E.g." */
    if (w[0] >= 'a' && w[0] <= 'z' && s[0] == w[0] - 32 && memcmp(s + 1, w + 1, n - 1) == 0)
      return abbrevs[k].kind;
  }
  return ABBR_NONE;
}

/* Does a clearly new sentence start at s[m]? (see `starters`) */
static int new_sentence_at(const char *s, size_t pe, size_t m) {
  int32_t cp;
  size_t i = m, w, k;
  while (i < pe) {  /* skip opening quotes and brackets */
    size_t n = dec(s, pe, i, &cp);
    if (!is_opener(cp)) break;
    i += n;
  }
  w = i;
  while (i < pe) {
    size_t n = dec(s, pe, i, &cp);
    if (!is_letter(cp)) break;
    i += n;
  }
  for (k = 0; k < sizeof starters / sizeof starters[0]; k++)
    if (word_eq(s + w, i - w, starters[k])) return 1;
  return 0;
}

/* Classify the token before the period at s[dot] (token = letters and
 * inner dots, back to white space or other punctuation). */
enum { TOK_PLAIN, TOK_ALWAYS, TOK_MAYEND };

static int classify_before_dot(const char *s, size_t ps, size_t dot) {
  size_t t = dot, letters = 0, segs = 0, seglen = 0, maxseg = 0;
  int32_t cp;
  int first_upper = 0, kind;
  while (t > ps) {
    size_t j = dec_prev(s, ps, t, &cp);
    if (!is_letter(cp) && cp != '.') break;
    t = j;
  }
  while (t < dot && s[t] == '.') t++;  /* an ellipsis before the token */
  if (t == dot) return TOK_PLAIN;
  kind = abbrev_kind(s + t, dot - t);
  if (kind == ABBR_ALWAYS) return TOK_ALWAYS;
  if (kind == ABBR_MAYEND) return TOK_MAYEND;
  /* Segments between dots: "U.S" has two of one letter each. */
  {
    size_t i = t;
    while (i < dot) {
      size_t n = dec(s, dot, i, &cp);
      if (cp == '.') {
        if (seglen) segs++;
        if (seglen > maxseg) maxseg = seglen;
        seglen = 0;
      } else {
        if (seglen == 0 && letters == 0) first_upper = is_upper(cp);
        seglen++;
        letters++;
      }
      i += n;
    }
    if (seglen) segs++;
    if (seglen > maxseg) maxseg = seglen;
  }
  /* A single capital: an initial ("J. R. R. Tolkien", "Ilham H. Aliyev"). */
  if (segs == 1 && letters == 1 && first_upper) return TOK_ALWAYS;
  /* Dotted acronym of single letters: "U.S", "U.N", "E.U", "a.m". */
  if (segs >= 2 && maxseg == 1) return TOK_MAYEND;
  return TOK_PLAIN;
}

/* Could a sentence start with the character at s[m]? */
static int can_start(int32_t cp) {
  return is_upper(cp) || is_digit(cp) || is_opener(cp) || cat(cp) == UTF8PROC_CATEGORY_LO;
}

static int split_paragraph(const char *s, size_t ps, size_t pe, lode_spans *out) {
  size_t start = ps, i = ps;
  int32_t cp;
  while (i < pe) {
    size_t n = dec(s, pe, i, &cp), j, k, m;
    int single_dot, boundary;
    if (!is_term(cp)) { i += n; continue; }
    single_dot = cp == '.';
    j = i + n;
    while (j < pe) {  /* the run: "?!", "...", ".”" */
      size_t n2 = dec(s, pe, j, &cp);
      if (!is_term(cp)) break;
      single_dot = 0;
      j += n2;
    }
    k = j;
    while (k < pe) {
      size_t n2 = dec(s, pe, k, &cp);
      if (!is_closer(cp)) break;
      k += n2;
    }
    if (k >= pe) break;  /* paragraph end: the tail below takes it */
    /* A boundary needs white space, then something that can start one:
     * "3.5", "v1.2", "U.S.," and "e.g.," never split. */
    dec(s, pe, k, &cp);
    if (!is_space(cp)) { i = k; continue; }
    m = k;
    while (m < pe) {
      size_t n2 = dec(s, pe, m, &cp);
      if (!is_space(cp)) break;
      m += n2;
    }
    boundary = can_start(cp);
    if (boundary && single_dot) {
      int t = classify_before_dot(s, start, i);
      if (t == TOK_ALWAYS) boundary = 0;
      else if (t == TOK_MAYEND) boundary = new_sentence_at(s, pe, m);
    }
    if (boundary) {
      if (push(out, start, k)) return LODE_ENOMEM;
      start = m;
    }
    i = m;
  }
  if (start < pe && push(out, start, pe)) return LODE_ENOMEM;
  return LODE_OK;
}

int lode_segment_sentences(const char *s, size_t len, lode_spans *out,
                           lode_error *err) {
  lode_spans paras = {NULL, 0, 0};
  size_t k;
  int rc = check_args(s, len, out, err, "sentences");
  if (rc) return rc;
  rc = lode_segment_paragraphs(s, len, &paras, err);
  if (rc) return rc;
  for (k = 0; k < paras.n; k++) {
    if (split_paragraph(s, paras.v[k].start, paras.v[k].end, out)) {
      lode_spans_free(&paras);
      return nomem(err, "sentences");
    }
  }
  lode_spans_free(&paras);
  return LODE_OK;
}

/* ---------------------------------------------------------------- words */

/* Joiners kept inside a word when a word character follows: apostrophes,
 * hyphens, and the invisible joiners (ZWNJ, ZWJ). */
static inline int is_inner(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || is_hyphen(cp) || cp == 0x200C || cp == 0x200D;
}

int lode_segment_words(const char *s, size_t len, lode_spans *out,
                       lode_error *err) {
  size_t i = 0;
  int32_t cp;
  int rc = check_args(s, len, out, err, "words");
  if (rc) return rc;
  while (i < len) {
    size_t n = dec(s, len, i, &cp), ws, we;
    int32_t prev;
    if (!is_wordch(cp)) { i += n; continue; }
    ws = i;
    we = i + n;
    prev = cp;
    while (we < len) {
      int32_t c2, c3;
      size_t n2 = dec(s, len, we, &c2), n3;
      if (is_wordch(c2)) { we += n2; prev = c2; continue; }
      if (we + n2 >= len) break;
      n3 = dec(s, len, we + n2, &c3);
      /* "Azerbaijan’s", "Nagorno-Karabakh"; "100,000", "3.5" (digits only) */
      if ((is_inner(c2) && is_wordch(c3)) ||
          ((c2 == ',' || c2 == '.') && is_digit(prev) && is_digit(c3))) {
        we += n2 + n3;
        prev = c3;
        continue;
      }
      break;
    }
    if (push(out, ws, we)) return nomem(err, "words");
    i = we;
  }
  return LODE_OK;
}

/* ---------------------------------------------------------- regex matches */

int lode_segment_matches(const lode_regex *re, lode_regex_scratch *sc,
                         const char *s, size_t len, unsigned opts,
                         lode_spans *out, lode_error *err) {
  size_t ovec_stack[32], *ovec = ovec_stack, pos = 0, k, n;
  int last_empty = 0, rc = LODE_OK;
  if ((rc = check_args(s, len, out, err, "matches")) != LODE_OK) return rc;
  if (!re || !sc)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "matches: NULL regex or scratch");
  if (!s) s = "";                       /* PCRE2 10.42 refuses a NULL subject */
  n = 2 * ((size_t)lode_regex_groups(re) + 1);
  if (n > sizeof ovec_stack / sizeof *ovec_stack && (ovec = malloc(n * sizeof *ovec)) == NULL)
    return nomem(err, "matches");
  while ((rc = lode_regex_next(re, sc, s, len, &pos, &last_empty, opts, ovec, err)) > 0) {
    for (k = 0; k < n; k += 2)
      if (push(out, ovec[k], ovec[k + 1])) { rc = nomem(err, "matches"); goto done; }
  }
done:
  if (ovec != ovec_stack) free(ovec);
  return rc < 0 ? rc : LODE_OK;
}

/* --------------------------------------------------------------- sections */

/* Does a line break end just before byte k (LF, CRLF, or a lone CR)? */
static int break_before(const char *s, size_t len, size_t k) {
  return s[k - 1] == '\n' || (s[k - 1] == '\r' && (k == len || s[k] != '\n'));
}

/* Is the line that ends with the break before byte k blank (spaces, tabs
 * only) and itself after a line break at or after lo? */
static int blank_line_before(const char *s, size_t lo, size_t k) {
  size_t b = k - 1;                                   /* the break */
  if (s[b] == '\n' && b > lo && s[b - 1] == '\r') b--;  /* CRLF */
  while (b > lo && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
  return b > lo && (s[b - 1] == '\n' || s[b - 1] == '\r');
}

size_t lode_segment_section_end(const char *s, size_t len, size_t start, size_t max) {
  size_t hi, lo, k;
  if (start >= len || max >= len - start) return len;
  if (max == 0) max = 1;
  hi = start + max;
  lo = start + max / 2;            /* sections are at least half of max */
  for (k = hi; k > lo; k--)
    if (break_before(s, len, k) && blank_line_before(s, start, k)) return k;
  for (k = hi; k > lo; k--)
    if (break_before(s, len, k)) return k;
  for (k = hi; k > lo; k--)
    if (s[k - 1] == ' ' || s[k - 1] == '\t') return k;
  for (k = hi; k > start; k--)     /* no cut inside a UTF-8 sequence */
    if (((unsigned char)s[k] & 0xC0) != 0x80) return k;
  for (k = hi + 1; k < len && ((unsigned char)s[k] & 0xC0) == 0x80; k++) {}
  return k;                        /* one character longer than max */
}
