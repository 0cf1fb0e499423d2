/* test_wordset.c -- the word set and the one-pass word profile, on the
 * corpus (checked against an independent naive count) and on nasty input
 * (NUL bytes, bad UTF-8, empty input, a huge line, 100,000 entries). */
#include <stdlib.h>
#include <string.h>

#include "wordset.h"
#include "test.h"

static const char *const STOP[] = {"the", "of", "and", "a", "to", "in", "is", "was",
                                   "that", "for", "on", "with", "as", "by", "it"};
#define NSTOP (sizeof STOP / sizeof STOP[0])

static int alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Naive reference: split at non-letters, lowercase, compare with STOP. */
static void naive(const char *s, size_t len, lode_word_profile *p) {
  size_t k = 0, m;
  memset(p, 0, sizeof *p);
  while (k < len) {
    if (!alpha((unsigned char)s[k])) {
      unsigned char c = (unsigned char)s[k++];
      if (c >= '0' && c <= '9') p->digits++;
      if (c >= 0x80) p->nonascii++;
      continue;
    }
    {
      char w[256];
      size_t n = 0;
      if (s[k] >= 'A' && s[k] <= 'Z') p->caps++;
      while (k < len && alpha((unsigned char)s[k])) {
        if (s[k] >= 'A' && s[k] <= 'Z') p->upper++;
        if (n < sizeof w - 1) w[n++] = (char)((s[k] >= 'A' && s[k] <= 'Z') ? s[k] + 32 : s[k]);
        k++;
      }
      w[n] = 0;
      p->words++;
      for (m = 0; m < NSTOP; m++)
        if (strcmp(w, STOP[m]) == 0) { p->hits++; break; }
    }
  }
}

static int same(const lode_word_profile *a, const lode_word_profile *b) {
  return a->words == b->words && a->hits == b->hits && a->caps == b->caps &&
         a->digits == b->digits && a->upper == b->upper && a->nonascii == b->nonascii;
}

int main(void) {
  lode_error err;
  lode_wordset *ws = lode_wordset_new(&err);
  lode_word_profile p, q;
  size_t k;
  CHECK(ws != NULL);
  /* the empty word first, into a set without an arena yet (fuzz_lua: UBSan
   * saw NULL + 0 there) */
  {
    lode_wordset *fresh = lode_wordset_new(&err);
    CHECK(fresh != NULL && lode_wordset_add(fresh, "", 0, &err) == 0);
    CHECK(lode_wordset_has(fresh, "", 0) && lode_wordset_size(fresh) == 1);
    lode_wordset_free(fresh);
  }
  for (k = 0; k < NSTOP; k++) CHECK(lode_wordset_add(ws, STOP[k], strlen(STOP[k]), &err) == 0);
  CHECK(lode_wordset_add(ws, "THE", 3, &err) == 0);       /* folds: no new entry */
  CHECK(lode_wordset_size(ws) == NSTOP);
  CHECK(lode_wordset_has(ws, "the", 3));
  CHECK(lode_wordset_has(ws, "The", 3));
  CHECK(lode_wordset_has(ws, "tHE", 3));
  CHECK(!lode_wordset_has(ws, "then", 4));
  CHECK(!lode_wordset_has(ws, "th", 2));
  CHECK(!lode_wordset_has(ws, "", 0));
  CHECK(!lode_wordset_has(ws, NULL, 0));
  /* entries of 1-8 ASCII letters are also kept as keys (find_word's
   * lookup), others by hash alone: has() finds both, in any case */
  {
    lode_wordset *kw = lode_wordset_new(&err);
    CHECK(kw != NULL);
    CHECK(lode_wordset_add(kw, "Eighteen", 8, &err) == 0 && lode_wordset_add(kw, "nineteen", 8, &err) == 0);
    CHECK(lode_wordset_add(kw, "thirteens", 9, &err) == 0 && lode_wordset_add(kw, "a b", 3, &err) == 0);
    CHECK(lode_wordset_add(kw, "x1", 2, &err) == 0);
    CHECK(lode_wordset_has(kw, "eIGHTEEN", 8) && lode_wordset_has(kw, "NINETEEN", 8));
    CHECK(lode_wordset_has(kw, "Thirteens", 9) && lode_wordset_has(kw, "A B", 3));
    CHECK(lode_wordset_has(kw, "X1", 2) && !lode_wordset_has(kw, "x", 1));
    CHECK(!lode_wordset_has(kw, "eighteen ", 9) && !lode_wordset_has(kw, "eightee", 7));
    CHECK(!lode_wordset_has(kw, "a@b", 3) && !lode_wordset_has(kw, "eighteen\0", 9));
    lode_wordset_free(kw);
  }
  CHECK(lode_wordset_add(NULL, "x", 1, &err) == LODE_EARG);
  CHECK(lode_wordset_add(ws, NULL, 3, &err) == LODE_EARG);

  /* a sentence by hand */
  {
    const char *s = "The President of Armenia, Nikol Pashinyan, said in 2023: “peace”.";
    lode_wordset_profile(ws, s, strlen(s), &p);
    CHECK_MSG(p.words == 9, "words %zu", p.words);
    CHECK_MSG(p.hits == 3, "hits %zu", p.hits);   /* The, of, in */
    CHECK_MSG(p.caps == 5, "caps %zu", p.caps);   /* The President Armenia Nikol Pashinyan */
    CHECK(p.digits == 4);
    CHECK(p.nonascii == 6);                         /* the curly quotes */
  }

  /* non-ASCII letters split words as "%a+" does in the C locale */
  {
    const char *s = "Mevlüt Çavuşoğlu";
    lode_wordset_profile(ws, s, strlen(s), &p);
    naive(s, strlen(s), &q);
    CHECK(same(&p, &q));
    CHECK_MSG(p.words == 5, "words %zu", p.words);   /* Mevl t avu o lu */
  }

  /* the corpus, line by line, against the naive count */
  for (k = 0; k < TEST_NCORPUS; k++) {
    size_t len, a = 0, b, lines = 0, bad = 0;
    char *s = test_read_corpus(k, &len);
    while (a < len) {
      b = a;
      while (b < len && s[b] != '\n') b++;
      lode_wordset_profile(ws, s + a, b - a, &p);
      naive(s + a, b - a, &q);
      if (!same(&p, &q)) bad++;
      lines++;
      a = b + 1;
    }
    CHECK_MSG(bad == 0, "%s: %zu of %zu lines differ", test_corpus_files[k], bad, lines);
    lode_wordset_profile(ws, s, len, &p);
    CHECK(p.words > 500 && p.hits * 5 > p.words);   /* English prose */
    free(s);
  }

  /* random text at every length and offset, against the naive count: the
   * profile takes 64 bytes at a time where it can, so words and stop words
   * straddle its blocks here, as do long words spanning several, and the
   * bytes next to the letter and digit ranges ('@' '[' '`' '{' '/' ':') */
  {
    static const char *const parts[] = {
      "the", "The", "OF", "and", " ", " ", "  ", ",", "a", "Zz", "x", "@", "[", "`", "{",
      "/", ":", "09", "\xc3\xa9", "\xff", "\x80", "\0", "supercalifragilisticexpialidocious",
      "wordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordword"};
    static char text[1200];
    unsigned seed = 12345u;
    size_t bad = 0, trials = 0, len, a;
    int t;
    for (t = 0; t < 400; t++) {
      len = 0;
      while (len < sizeof text - 80) {
        const char *pt;
        size_t pl;
        seed = seed * 1103515245u + 12345u;
        pt = parts[(seed >> 16) % (sizeof parts / sizeof parts[0])];
        pl = pt[0] == '\0' ? 1 : strlen(pt);
        memcpy(text + len, pt, pl);
        len += pl;
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 16) % 60 == 0) break;
      }
      for (a = 0; a < 3 && a <= len; a++) {
        size_t w, h;
        lode_wordset_profile(ws, text + a, len - a, &p);
        naive(text + a, len - a, &q);
        bad += !same(&p, &q);
        /* the count alone: the profile's first two counts */
        lode_wordset_count(ws, text + a, len - a, &w, &h);
        bad += w != q.words || h != q.hits;
        trials++;
      }
    }
    CHECK_MSG(bad == 0, "%zu of %zu random texts differ", bad, trials);
  }

  /* nasty input */
  {
    const char bin[] = "the\0of\xff\xfe" "AND\x80" "x";
    lode_wordset_profile(ws, bin, sizeof bin - 1, &p);
    CHECK(p.words == 4 && p.hits == 3 && p.caps == 1 && p.nonascii == 3);
    lode_wordset_profile(ws, "", 0, &p);
    CHECK(p.words == 0 && p.hits == 0);
    lode_wordset_profile(ws, NULL, 0, &p);
    CHECK(p.words == 0);
    lode_wordset_profile(NULL, "the of", 6, &p);
    CHECK(p.words == 2 && p.hits == 0);
    {
      size_t w = 9, h = 9;
      lode_wordset_count(ws, bin, sizeof bin - 1, &w, &h);
      CHECK(w == 4 && h == 3);
      lode_wordset_count(ws, NULL, 0, &w, &h);
      CHECK(w == 0 && h == 0);
      lode_wordset_count(NULL, "the of", 6, &w, &h);
      CHECK(w == 2 && h == 0);
    }
    CHECK(lode_wordset_add(ws, "a\0b", 3, &err) == 0);
    CHECK(lode_wordset_has(ws, "A\0B", 3));
    CHECK(lode_wordset_has(ws, "a", 1) && !lode_wordset_has(ws, "b", 1));
  }
  {
    size_t n = test_scale(8u << 20) & ~(size_t)3, w;   /* whole "the " units */
    char *big = malloc(n);
    CHECK(big != NULL);
    if (big) {
      for (k = 0; k < n; k++) big[k] = (k % 4 == 3) ? ' ' : "the"[k % 4];
      lode_wordset_profile(ws, big, n, &p);
      CHECK(p.words == n / 4 && p.hits == n / 4);
      /* one 8 MB word: longer than any entry, never a hit */
      memset(big, 'a', n);
      lode_wordset_profile(ws, big, n, &p);
      CHECK(p.words == 1 && p.hits == 0);
      CHECK(!lode_wordset_has(ws, big, n));
      free(big);
    }
    /* entries of 31 letters and more share one length bit of the end-letter
     * filter; entries with a non-letter inside or at an end are never a run
     * of letters */
    {
      lode_wordset *odd = lode_wordset_new(&err);
      const char *w31 = "abcdefghijklmnopqrstuvwxyzabcde";              /* 31 */
      const char *w40 = "abcdefghijklmnopqrstuvwxyzabcdefghijklmn";     /* 40 */
      const char *text = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE abcdefghijklmnopqrstuvwxyzabcdefghijklmn "
                         "abcdefghijklmnopqrstuvwxyzabcdefghijklm o'clock x-ray 'tis Ok ok";
      CHECK(odd != NULL);
      CHECK(lode_wordset_add(odd, w31, 31, &err) == 0);
      CHECK(lode_wordset_add(odd, w40, 40, &err) == 0);
      CHECK(lode_wordset_add(odd, "o'clock", 7, &err) == 0);
      CHECK(lode_wordset_add(odd, "x-ray", 5, &err) == 0);
      CHECK(lode_wordset_add(odd, "'tis", 4, &err) == 0);
      CHECK(lode_wordset_add(odd, "ok", 2, &err) == 0);
      lode_wordset_profile(odd, text, strlen(text), &p);
      /* words: w31, w40, a 39-letter miss, o clock x ray tis Ok ok */
      CHECK(p.words == 10 && p.hits == 4);
      lode_wordset_free(odd);
    }
    /* entries of up to eight letters are looked up by a 64-bit key, read
     * with one load where eight bytes follow the word's start, byte by byte
     * near the text's end: both ways, at the eight-letter edge */
    {
      lode_wordset *keyed = lode_wordset_new(&err);
      const char *text = "Although whatever WHICHEVER q althoug whateveR althoughs Q although";
      size_t cut;
      CHECK(keyed != NULL);
      CHECK(lode_wordset_add(keyed, "although", 8, &err) == 0);
      CHECK(lode_wordset_add(keyed, "Whatever", 8, &err) == 0);
      CHECK(lode_wordset_add(keyed, "whichever", 9, &err) == 0);
      CHECK(lode_wordset_add(keyed, "q", 1, &err) == 0);
      CHECK(lode_wordset_add(keyed, "wh4tever", 8, &err) == 0);   /* not a run of letters */
      lode_wordset_profile(keyed, text, strlen(text), &p);
      /* hits: Although whatever WHICHEVER q whateveR Q although */
      CHECK_MSG(p.words == 9 && p.hits == 7, "words %zu hits %zu", p.words, p.hits);
      /* the text cut after each byte: the last word read near the end */
      for (cut = 0; cut <= 8; cut++) {
        lode_wordset_profile(keyed, "although", cut, &p);
        CHECK(p.words == (cut > 0) && p.hits == (cut == 8));
      }
      lode_wordset_profile(keyed, "wh4tever q", 10, &p);
      CHECK(p.words == 3 && p.hits == 1);
      lode_wordset_free(keyed);
    }
    /* many entries: the table grows and keeps every word */
    {
      lode_wordset *many = lode_wordset_new(&err);
      char buf[32];
      size_t miss = 0;
      CHECK(many != NULL);
      for (w = 0; many && w < 100000; w++) {
        int len = snprintf(buf, sizeof buf, "w%zux", w);
        if (lode_wordset_add(many, buf, (size_t)len, &err) != 0) miss++;
      }
      CHECK(lode_wordset_size(many) == 100000);
      for (w = 0; many && w < 100000; w++) {
        int len = snprintf(buf, sizeof buf, "W%zuX", w);
        if (!lode_wordset_has(many, buf, (size_t)len)) miss++;
      }
      CHECK(!lode_wordset_has(many, "w100000x", 8));
      CHECK(miss == 0);
      lode_wordset_free(many);
    }
  }
  /* find_word: whole words (maximal runs of \p{L} letters), from `from` */
  {
    lode_wordset *fw = lode_wordset_new(&err);
    size_t a = 0, b = 0;
    /* "Le «jeudi» x": guillemets are no letters; "jeudis", "éjeudi" and
     * "jeudiя" hold the word inside a longer run */
    const char *t1 = "hierarchy jeudis \xC3\xA9jeudi jeudi\xD1\x8F Le \xC2\xABJEUDI\xC2\xBB x";
    const char *t2 = "x 1 \xD0\xB0\xD0\xBF\xD1\x80\xD0\xB5\xD0\xBB\xD1\x8F.";   /* "апреля." */
    const char *bad = "\xFF\xFEjeudi\x80 \0jeudi";                                  /* bad UTF-8, NUL */
    CHECK(fw != NULL);
    CHECK(!lode_wordset_find_word(fw, t1, strlen(t1), 0, &a, &b));       /* empty set */
    CHECK(lode_wordset_add(fw, "jeudi", 5, &err) == 0);
    CHECK(lode_wordset_add(fw, "\xD0\xB0\xD0\xBF\xD1\x80\xD0\xB5\xD0\xBB\xD1\x8F", 12, &err) == 0);
    CHECK(lode_wordset_find_word(fw, t1, strlen(t1), 0, &a, &b) && a == 38 && b == 43);
    CHECK(!lode_wordset_find_word(fw, t1, strlen(t1), 43, &a, &b));
    /* `from` starts a word: the "jeudi" of "éjeudi" */
    CHECK(lode_wordset_find_word(fw, t1, strlen(t1), 19, &a, &b) && a == 19 && b == 24);
    CHECK(lode_wordset_find_word(fw, t2, strlen(t2), 0, &a, &b) && a == 4 && b == 16);
    CHECK(!lode_wordset_find_word(fw, t2, 15, 0, &a, &b));             /* cut: "апрел" */
    CHECK(lode_wordset_find_word(fw, bad, 15, 0, &a, &b) && a == 2 && b == 7);
    CHECK(lode_wordset_find_word(fw, bad, 15, 7, &a, &b) && a == 10 && b == 15);
    CHECK(!lode_wordset_find_word(fw, "", 0, 0, &a, &b));
    CHECK(!lode_wordset_find_word(NULL, t1, strlen(t1), 0, &a, &b));
    lode_wordset_free(fw);
  }
  /* find_word on random texts against a plain scan: runs of ASCII letters
   * (and "é") of every length around the 16-byte steps, cut by the bytes
   * next to the letter ranges, digits, a non-letter and the text's end */
  {
    static const char *const entries[] = {"ab", "zz", "mmmmmmmmmmmmmmm", "xyzxyzxyzxyzxyzx",
                                          "abcdefghijklmnopq", "abcdefghijklmnopqrstuvwxyzabcdefgh"};
    static const char *const cuts[] = {" ", "@", "[", "`", "{", "7", "\xC2\xAB", "\xC3\xA9"};
    lode_wordset *rw = lode_wordset_new(&err);
    size_t round, rounds = test_scale(3000), e;
    CHECK(rw != NULL);
    for (e = 0; e < sizeof entries / sizeof *entries; e++)
      CHECK(lode_wordset_add(rw, entries[e], strlen(entries[e]), &err) == 0);
    srand(29);
    for (round = 0; rw && round < rounds; round++) {
      char text[400];
      size_t len = 0, from = 0, a = 0, b = 0;
      while (len < 300) {
        int pick = rand() % 3;
        if (pick == 0) {                                   /* an entry, in any case */
          const char *w = entries[(size_t)rand() % (sizeof entries / sizeof *entries)];
          for (; *w; w++) text[len++] = (char)(rand() % 2 ? *w : *w - 32);
        } else if (pick == 1) {                            /* letters, 1 to 40 */
          size_t n = 1 + (size_t)rand() % 40;
          while (n--) text[len++] = (char)((rand() % 2 ? 'a' : 'A') + rand() % 26);
        }
        {
          const char *c = cuts[(size_t)rand() % (sizeof cuts / sizeof *cuts)];
          while (*c) text[len++] = *c++;
        }
      }
      for (;;) {
        /* the plain scan: the first maximal run of letters from `from` in rw */
        size_t at = from, pa = 0, pb = 0;
        int want = 0, got;
        while (at < len && !want) {
          size_t start = at, n;
          for (;;) {
            if (at < len && (unsigned char)((text[at] | 0x20) - 'a') < 26) at++;
            else if (at + 1 < len && (unsigned char)text[at] == 0xC3 && (unsigned char)text[at + 1] == 0xA9) at += 2;
            else break;
          }
          if (at == start) { at++; continue; }
          n = at - start;
          if (lode_wordset_has(rw, text + start, n)) { want = 1; pa = start; pb = at; }
        }
        got = lode_wordset_find_word(rw, text, len, from, &a, &b);
        CHECK_MSG(got == want && (!got || (a == pa && b == pb)), "round %zu from %zu: got %d %zu-%zu, want %zu-%zu",
                  round, from, got, a, b, pa, pb);
        if (!got || got != want) break;
        from = b;
      }
    }
    lode_wordset_free(rw);
  }
  lode_wordset_free(ws);
  lode_wordset_free(NULL);
  return test_report();
}
