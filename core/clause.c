/*
 * clause.c -- the noun phrase a clause ends with (see clause.h).
 *
 * One conversion pass, then every step reads the converted bytes in place:
 * the clause is found by scanning back from the end for separators (only
 * the last few matter), determiners by a search of each inside the clause.
 * The quote extractor asks this of the sentence before most speech verbs;
 * the Lua version made a string and a pattern call per step.
 */
#include <string.h>

#include "clause.h"
#include "ascii.h"

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int is_lower(unsigned char c) { return (unsigned char)(c - 'a') < 26; }

static int is_sep(unsigned char c) {
  return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"';
}

/* s converted into out (same length or shorter); returns the length. */
static size_t convert(const unsigned char *s, size_t len, unsigned char *out) {
  size_t i = 0, n = 0;
  while (i < len) {
    unsigned char c = s[i];
    if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80) {
      unsigned char x = s[i + 2];
      if (x == 0x9C || x == 0x9D || x == 0x93 || x == 0x94) {
        out[n++] = (x == 0x9C || x == 0x9D) ? '"' : ',';
        i += 3;
        continue;
      }
    }
    out[n++] = (c == '*' || c == '_' || c == '[' || c == ']') ? ' ' : c;
    i++;
  }
  return n;
}

/* The last separator before `end`, or -1 as (size_t)-1. */
static size_t prev_sep(const unsigned char *u, size_t end) {
  while (end > 0) {
    if (is_sep(u[--end])) return end;
  }
  return (size_t)-1;
}

/* After the spaces from i (below end). */
static size_t skip_spaces(const unsigned char *u, size_t i, size_t end) {
  while (i < end && is_space(u[i])) i++;
  return i;
}

static int word_then_space(const unsigned char *u, size_t i, size_t end, const char *w) {
  size_t n = strlen(w);
  return end - i > n && memcmp(u + i, w, n) == 0 && is_space(u[i + n]);
}

/* A clause set off by commas that is no subject: blank, or opening with
 * "who", "which" or a lower-case -ing word followed by a space. */
static int side_clause(const unsigned char *u, size_t from, size_t end) {
  size_t i = skip_spaces(u, from, end), k = i;
  if (i == end) return 1;
  if (word_then_space(u, i, end, "who") || word_then_space(u, i, end, "which")) return 1;
  while (k < end && is_lower(u[k])) k++;
  return k - i >= 4 && memcmp(u + k - 3, "ing", 3) == 0 && k < end && is_space(u[k]);
}

/* The last start of one of the words in [from, end) after no letter (at
 * `from`, or after a byte that is not a letter), or (size_t)-1. */
static size_t last_of(const unsigned char *u, size_t from, size_t end, const char *const *w,
                      const size_t *wl, size_t nw) {
  size_t last = (size_t)-1;
  for (size_t k = 0; k < nw; k++) {
    if (wl[k] == 0 || wl[k] > end - from) continue;
    for (size_t x = end - wl[k] + 1; x-- > from;) {
      if (last != (size_t)-1 && x <= last) break;
      if (memcmp(u + x, w[k], wl[k]) == 0 && (x == from || !lode_ascii_letter(u[x - 1]))) {
        last = x;
        break;
      }
    }
  }
  return last;
}

static size_t rtrim(const unsigned char *u, size_t from, size_t end) {
  while (end > from && is_space(u[end - 1])) end--;
  return end;
}

/* Eight runs of non-spaces or more in [from, end). */
static int eight_words(const unsigned char *u, size_t from, size_t end) {
  int words = 0;
  for (size_t i = from; i < end; i++)
    if (!is_space(u[i]) && (i == from || is_space(u[i - 1])) && ++words >= 8) return 1;
  return 0;
}

size_t lode_clause_last_start(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t p = len; p-- > 0;) {
    unsigned char c = u[p];
    if (is_sep(c) || ((c == 0x9C || c == 0x9D || c == 0x93 || c == 0x94) && p >= 2 && u[p - 1] == 0x80
                      && u[p - 2] == 0xE2))
      return p + 1;
  }
  return 0;
}

int lode_clause_subject(const char *s, size_t len, const lode_clause_rules *r, char *out,
                        size_t *a, size_t *b) {
  unsigned char *u = (unsigned char *)out;
  size_t n = convert((const unsigned char *)s, len, u);
  size_t sep = prev_sep(u, n), from = sep + 1, end = n, det;  /* (size_t)-1 + 1 == 0 */
  int back = 0;
  while (sep != (size_t)-1 && back < 4 && side_clause(u, from, end)) {
    end = sep;
    sep = prev_sep(u, sep);
    from = sep + 1;
    back++;
  }
  det = last_of(u, from, end, r->strong, r->strong_len, r->nstrong);
  if (det == (size_t)-1) det = last_of(u, from, end, r->weak, r->weak_len, r->nweak);
  if (det != (size_t)-1) from = det;
  for (;;) {   /* opening words ("that", "while") with the spaces after them */
    size_t w = skip_spaces(u, from, end), e = w;
    while (e < end && lode_ascii_letter(u[e])) e++;
    if (e == w || e == end || !is_space(u[e]) || !lode_wordset_has(r->openers, (const char *)u + w, e - w))
      break;
    from = skip_spaces(u, e, end);
  }
  from = skip_spaces(u, from, end);
  end = rtrim(u, from, end);
  for (;;) {   /* trailing words ("also", "has"), never the only one */
    size_t w = end;
    while (w > from && lode_ascii_letter(u[w - 1])) w--;
    if (w == end || w == from || !lode_wordset_has(r->trims, (const char *)u + w, end - w)) break;
    end = rtrim(u, from, w);
  }
  if (end == from) return 0;
  if (end - from >= 2 && memcmp(u + end - 2, "'s", 2) == 0) return 0;
  if (end - from >= 4 && memcmp(u + end - 4, "\xE2\x80\x99s", 4) == 0) return 0;
  if (eight_words(u, from, end)) return 0;
  *a = from;
  *b = end;
  return 1;
}
