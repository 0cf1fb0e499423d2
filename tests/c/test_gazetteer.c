/*
 * test_gazetteer.c -- the dictionary matcher: overlap rules, whole words,
 * normalization of aliases, duplicates, states, TSV loading, the shipped
 * Caucasus gazetteer over the corpus, threads, a differential test against a
 * brute-force matcher (both automaton kinds) and a 5,000-alias benchmark.
 *
 * LODE_GAZ_BENCH_MB (default 50) sets the benchmark text size; use a small
 * value under valgrind.
 */
#include "gazetteer.h"
#include "normalize.h"
#include "test.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#define LIT(s) (s), (sizeof(s) - 1)

/* ------------------------------------------------------------ collecting */

typedef struct hitlist {
  lode_gaz_hit *h;
  size_t n, cap;
} hitlist;

static int collect(void *ud, const lode_gaz_hit *hit) {
  hitlist *l = ud;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->h = realloc(l->h, l->cap * sizeof *l->h);
    if (!l->h) abort();
  }
  l->h[l->n++] = *hit;
  return 0;
}

static int count_only(void *ud, const lode_gaz_hit *hit) {
  (void)hit;
  ++*(size_t *)ud;
  return 0;
}

static hitlist scan(const lode_gazetteer *g, const char *s, size_t len) {
  hitlist l = {0};
  int rc = lode_gaz_scan(g, s, len, collect, &l);
  CHECK_MSG(rc == 0, "scan returned %d", rc);
  return l;
}

static const char *canon_of(const lode_gazetteer *g, const lode_gaz_hit *h) {
  const lode_gaz_entry *e = lode_gaz_entry_at(g, h->entry);
  return e ? e->canonical : "(null)";
}

static const char *kind_of(const lode_gazetteer *g, const lode_gaz_hit *h) {
  const lode_gaz_entry *e = lode_gaz_entry_at(g, h->entry);
  return e ? e->kind : "(null)";
}

static int add(lode_gazetteer *g, const char *alias, const char *canon,
               const char *kind) {
  lode_error e;
  int rc = lode_gaz_add(g, alias, strlen(alias), canon, canon ? strlen(canon) : 0,
                        kind, kind ? strlen(kind) : 0, &e);
  if (rc) fprintf(stderr, "  add(%s): %s\n", alias, e.msg);
  return rc;
}

static lode_gazetteer *new_gaz(const lode_norm_opts *opts) {
  lode_error e;
  lode_gazetteer *g = lode_gaz_new(opts, &e);
  if (!g) {
    fprintf(stderr, "lode_gaz_new: %s\n", e.msg);
    abort();
  }
  return g;
}

/* Normalize text the way the gazetteer wants it. Caller frees. */
static char *norm(const lode_gazetteer *g, const char *s, size_t len, size_t *out_len) {
  lode_error e;
  char *r = lode_normalize_string(s, len, lode_gaz_norm_opts(g), out_len, &e);
  CHECK_MSG(r != NULL, "normalize: %s", e.msg);
  return r;
}

/* Scan `text` after normalization; return "canonical@normalized-text;..." */
static char *hits_str(const lode_gazetteer *g, const char *text) {
  size_t nl, i, cap = 4096, n = 0;
  char *t = norm(g, text, strlen(text), &nl);
  char *buf = malloc(cap);
  hitlist l;
  buf[0] = '\0';
  if (!t) return buf;
  l = scan(g, t, nl);
  for (i = 0; i < l.n; i++) {
    int w = snprintf(buf + n, cap - n, "%s%s@%.*s", i ? ";" : "", canon_of(g, &l.h[i]),
                     (int)(l.h[i].end - l.h[i].start), t + l.h[i].start);
    if (w > 0 && (size_t)w < cap - n) n += (size_t)w;
  }
  free(l.h);
  free(t);
  return buf;
}

#define CHECK_HITS(g, text, expect) \
  do { \
    char *got_ = hits_str((g), (text)); \
    CHECK_MSG(strcmp(got_, (expect)) == 0, "text \"%s\": got \"%s\", want \"%s\"", \
              (text), got_, (expect)); \
    free(got_); \
  } while (0)

/* --------------------------------------------------------------- basics */

static void test_overlaps(void) {
  lode_gazetteer *g = new_gaz(NULL);
  CHECK(add(g, "Karabakh", "Karabakh", "place") == 0);
  CHECK(add(g, "Nagorno-Karabakh", "Nagorno-Karabakh", "place") == 0);
  CHECK(add(g, "Grigoryan", "Grigoryan", "person") == 0);
  CHECK(add(g, "Armen Grigoryan", "Armen Grigoryan", "person") == 0);
  CHECK(add(g, "Armen", "Armen", "person") == 0);
  CHECK(add(g, "Second Karabakh War", "Second Karabakh War", "term") == 0);
  CHECK(lode_gaz_build(g, NULL) == 0);

  CHECK_HITS(g, "nagorno-karabakh and karabakh",
             "Nagorno-Karabakh@nagorno-karabakh;Karabakh@karabakh");
  CHECK_HITS(g, "armen grigoryan met grigoryan and armen",
             "Armen Grigoryan@armen grigoryan;Grigoryan@grigoryan;Armen@armen");
  /* the longer alias fails its whole-word test: fall back to the shorter */
  CHECK_HITS(g, "armen grigoryans", "Armen@armen");
  CHECK_HITS(g, "the second karabakh war", "Second Karabakh War@second karabakh war");
  CHECK_HITS(g, "the second karabakh warlord", "Karabakh@karabakh");
  /* resume after the chosen hit: "karabakh" inside it is not reported */
  CHECK_HITS(g, "nagorno-karabakh", "Nagorno-Karabakh@nagorno-karabakh");
  CHECK_HITS(g, "", "");

  {
    hitlist l = scan(g, LIT("nagorno-karabakh"));
    CHECK(l.n == 1 && l.h[0].start == 0 && l.h[0].end == 16);
    CHECK(l.n == 1 && l.h[0].alias == 1);
    CHECK(l.n == 1 && strcmp(kind_of(g, &l.h[0]), "place") == 0);
    free(l.h);
  }
  lode_gaz_free(g);
}

static void test_whole_words(void) {
  lode_gazetteer *g = new_gaz(NULL);
  hitlist l;
  CHECK(add(g, "Iran", NULL, "place") == 0);
  CHECK(add(g, "Baku", NULL, "place") == 0);
  CHECK(add(g, "EU", "European Union", "org") == 0);
  CHECK(lode_gaz_build(g, NULL) == 0);

  CHECK_HITS(g, "iranian officials", "");
  CHECK_HITS(g, "iran's officials", "Iran@iran");
  CHECK_HITS(g, "bakunin wrote", "");
  CHECK_HITS(g, "in baku.", "Baku@baku");
  CHECK_HITS(g, "baku-based", "Baku@baku");
  CHECK_HITS(g, "pre-baku", "Baku@baku");
  CHECK_HITS(g, "baku2", "");
  CHECK_HITS(g, "2baku", "");
  CHECK_HITS(g, "_baku_", "Baku@baku");
  CHECK_HITS(g, "eu, euro, neutral, eu", "European Union@eu;European Union@eu");

  /* non-ASCII neighbours, scanned raw: letters and marks join, punctuation
   * does not; invalid UTF-8 is a boundary. */
  l = scan(g, LIT("baku\xc3\xa9"));          /* é */
  CHECK(l.n == 0);
  free(l.h);
  l = scan(g, LIT("\xd5\xa1" "baku"));       /* Armenian small ayb */
  CHECK(l.n == 0);
  free(l.h);
  l = scan(g, LIT("baku\xcc\x81"));          /* combining acute */
  CHECK(l.n == 0);
  free(l.h);
  l = scan(g, LIT("\xd9\xa3" "baku"));       /* Arabic-Indic digit three */
  CHECK(l.n == 0);
  free(l.h);
  l = scan(g, LIT("baku\xe2\x80\x94iran"));  /* em dash */
  CHECK(l.n == 2);
  free(l.h);
  l = scan(g, LIT("\xc2\xa0" "baku\xc2\xa0")); /* NBSP */
  CHECK(l.n == 1 && l.h[0].start == 2 && l.h[0].end == 6);
  free(l.h);
  l = scan(g, LIT("\xff" "baku\xff\xfe"));   /* invalid bytes */
  CHECK(l.n == 1 && l.h[0].start == 1);
  free(l.h);
  l = scan(g, LIT("\x80\x80\x80\x80" "baku\xe2\x80")); /* stray continuations, truncated */
  CHECK(l.n == 1 && l.h[0].start == 4);
  free(l.h);
  /* NUL bytes are ordinary non-word bytes */
  l = scan(g, LIT("baku\0iran\0\0baku"));
  CHECK_MSG(l.n == 3 && l.h[1].start == 5 && l.h[2].start == 11, "%zu hits", l.n);
  free(l.h);
  lode_gaz_free(g);
}

static void test_normalization(void) {
  lode_gazetteer *g = new_gaz(NULL);
  CHECK(add(g, "Nakhichevan", "Nakhchivan", "place") == 0);
  CHECK(add(g, "Naxçıvan", "Nakhchivan", "place") == 0);
  CHECK(add(g, "Ilham Aliyev", NULL, "person") == 0);
  CHECK(add(g, "O\xe2\x80\x99" "Brien", "O'Brien", "person") == 0);
  CHECK(add(g, "Recep Tayyip Erdo\xc4\x9f" "an", NULL, "person") == 0);
  CHECK(add(g, "  Tavush\t", "Tavush", "place") == 0); /* trimmed */
  CHECK(lode_gaz_build(g, NULL) == 0);

  CHECK_HITS(g, "NAKHICHEVAN", "Nakhchivan@nakhichevan");
  CHECK_HITS(g, "Nakh\xc3\xad" "chevan", "Nakhchivan@nakhichevan");      /* í precomposed */
  CHECK_HITS(g, "Nakhi\xcc\x81" "chevan", "Nakhchivan@nakhichevan");     /* i + U+0301 */
  CHECK_HITS(g, "NAX\xc3\x87" "IVAN", "");       /* dotless ı is not i */
  CHECK_HITS(g, "Nax\xc3\xa7\xc4\xb1van", "Nakhchivan@naxc\xc4\xb1van");
  CHECK_HITS(g, "Ilham   Aliyev\xe2\x80\x99s", "Ilham Aliyev@ilham aliyev");
  CHECK_HITS(g, "ILHAM\xc2\xa0" "ALIYEV", "Ilham Aliyev@ilham aliyev");
  CHECK_HITS(g, "O'Brien and O\xe2\x80\x98" "BRIEN and O\xe2\x80\x99" "brien",
             "O'Brien@o'brien;O'Brien@o'brien;O'Brien@o'brien");
  CHECK_HITS(g, "Recep Tayyip Erdogan", "Recep Tayyip Erdo\xc4\x9f" "an@recep tayyip erdogan");
  CHECK_HITS(g, "TAVUSH", "Tavush@tavush");
  /* the zero-width space disappears in normalization */
  CHECK_HITS(g, "Ta\xe2\x80\x8bvush", "Tavush@tavush");
  lode_gaz_free(g);
}

static void test_duplicates_and_args(void) {
  lode_gazetteer *g = new_gaz(NULL);
  lode_error e;
  hitlist l;
  CHECK(add(g, "Shusha", "Shusha", "place") == 0);
  CHECK(add(g, "Shusha", "Shusha", "place") == 0);   /* no-op */
  CHECK(add(g, "SHUSHA", "Shusha", "place") == 0);   /* same after normalization */
  CHECK(lode_gaz_alias_count(g) == 1);
  CHECK(lode_gaz_entry_count(g) == 1);
  CHECK(add(g, "Shushi", "Shusha", "place") == 0);   /* new alias, same entry */
  CHECK(lode_gaz_alias_count(g) == 2);
  CHECK(lode_gaz_entry_count(g) == 1);
  CHECK(add(g, "Shusha", "Shushi", "place") == 0);   /* conflicting: kept, loses */
  CHECK(lode_gaz_alias_count(g) == 3);
  CHECK(lode_gaz_entry_count(g) == 2);
  CHECK(add(g, "Shusha", "Shushi", "place") == 0);   /* repeat of the loser: no-op */
  CHECK(lode_gaz_alias_count(g) == 3);
  CHECK(add(g, "Gazprom", NULL, NULL) == 0);         /* defaults */
  CHECK(lode_gaz_entry_count(g) == 3);
  {
    const lode_gaz_entry *en = lode_gaz_entry_at(g, 2);
    CHECK(en && strcmp(en->canonical, "Gazprom") == 0 && strcmp(en->kind, "term") == 0);
    CHECK(en && en->id == 2);
    CHECK(lode_gaz_entry_at(g, 3) == NULL);
  }

  /* empty aliases */
  CHECK(lode_gaz_add(g, "", 0, "X", 1, "place", 5, &e) == LODE_EARG);
  CHECK(strstr(e.msg, "empty") != NULL);
  CHECK(lode_gaz_add(g, " \t \r\n ", 6, "X", 1, "place", 5, &e) == LODE_EARG);
  CHECK(lode_gaz_add(g, "\xe2\x80\x8b", 3, "X", 1, "place", 5, &e) == LODE_EARG); /* ZWSP */
  CHECK(lode_gaz_add(g, NULL, 3, "X", 1, "place", 5, &e) == LODE_EARG);
  CHECK(lode_gaz_add(g, "ok", 2, "X\0Y", 3, "place", 5, &e) == LODE_EARG);
  CHECK(lode_gaz_add(g, "\xff" "bad", 4, "X", 1, "place", 5, &e) < 0);
  CHECK(lode_gaz_add(g, "ok", 2, "\xc3", 1, "place", 5, &e) == LODE_EENCODING);
  CHECK(lode_gaz_alias_count(g) == 4);

  /* scan before build */
  CHECK(lode_gaz_scan(g, LIT("shusha"), collect, &(hitlist){0}) == LODE_ESTATE);
  CHECK(lode_gaz_build(g, &e) == 0);
  CHECK(lode_gaz_build(g, &e) == LODE_ESTATE);
  CHECK(lode_gaz_add(g, LIT("Goris"), LIT("Goris"), LIT("place"), &e) == LODE_ESTATE);
  CHECK(strstr(e.msg, "built") != NULL);
  CHECK(lode_gaz_load_tsv(g, LODE_SOURCE_DIR "/lua/lode/data/caucasus.tsv", &e) == LODE_ESTATE);
  CHECK(lode_gaz_scan(g, LIT("x"), NULL, NULL) == LODE_EARG);
  CHECK(lode_gaz_scan(g, NULL, 0, collect, &(hitlist){0}) == 0);
  CHECK(lode_gaz_scan(NULL, LIT("x"), collect, NULL) == LODE_EARG);

  l = scan(g, LIT("shusha, shushi"));
  CHECK(l.n == 2);
  CHECK(l.n == 2 && strcmp(canon_of(g, &l.h[0]), "Shusha") == 0 && l.h[0].alias == 0);
  CHECK(l.n == 2 && strcmp(canon_of(g, &l.h[1]), "Shusha") == 0 && l.h[1].alias == 1);
  free(l.h);

  /* a non-zero callback result stops the scan and is returned */
  {
    size_t n = 0;
    CHECK(lode_gaz_scan(g, LIT("shusha shusha"), count_only, &n) == 0 && n == 2);
  }
  lode_gaz_free(g);
  lode_gaz_free(NULL);

  /* an empty gazetteer builds and finds nothing */
  g = new_gaz(NULL);
  CHECK(lode_gaz_build(g, NULL) == 0);
  l = scan(g, LIT("anything at all"));
  CHECK(l.n == 0);
  free(l.h);
  lode_gaz_free(g);
}

static int stop_at_second(void *ud, const lode_gaz_hit *hit) {
  (void)hit;
  return ++*(int *)ud == 2 ? 42 : 0;
}

static void test_stop(void) {
  lode_gazetteer *g = new_gaz(NULL);
  int n = 0;
  CHECK(add(g, "Goris", NULL, "place") == 0);
  CHECK(lode_gaz_build(g, NULL) == 0);
  CHECK(lode_gaz_scan(g, LIT("goris goris goris"), stop_at_second, &n) == 42);
  CHECK(n == 2);
  lode_gaz_free(g);
}

/* ------------------------------------------------------------------ TSV */

static char *write_tmp(const char *content, size_t len) {
  char tmpl[] = "/tmp/lode_gaz_XXXXXX";
  int fd = mkstemp(tmpl);
  char *p;
  if (fd < 0) abort();
  if (write(fd, content, len) != (ssize_t)len) abort();
  close(fd);
  p = malloc(sizeof tmpl);
  memcpy(p, tmpl, sizeof tmpl);
  return p;
}

static void test_tsv(void) {
  static const char good[] =
    "\xef\xbb\xbf# comment line\r\n"
    "Kelbajar\tKalbajar\tplace\r\n"
    "\r\n"
    "   # indented comment\n"
    "Kalbajar\tKalbajar\tplace\n"
    "Karvachar \t Kalbajar \t place \n"
    "CSTO\tCollective Security Treaty Organization\torg\n"
    "Gazprom\n"
    "Syunik\t\tplace\n"
    "\t\t\n"
    "Meghri\tMeghri";  /* no final newline */
  static const char bad[] =
    "# ok so far\n"
    "Goris\tGoris\tplace\n"
    "Gorus\tGoris\tplace\n"
    "\t  \tplace\n"
    "Kapan\tKapan\tplace\n";
  static const char toomany[] = "Goris\tGoris\tplace\tnote\n";
  static const char badutf[] = "Goris\tGoris\tplace\nG\xc3oris\tGoris\tplace\n";
  static const char nul[] = "Goris\tGoris\tplace\n\nGo\0ris\n";
  lode_gazetteer *g = new_gaz(NULL);
  lode_error e;
  char *p;
  hitlist l;
  int rc;

  /* a line of tabs only is blank */
  p = write_tmp(good, sizeof good - 1);
  rc = lode_gaz_load_tsv(g, p, &e);
  CHECK_MSG(rc == 0, "%s", e.msg);
  unlink(p);
  free(p);
  CHECK(lode_gaz_alias_count(g) == 7);
  CHECK(lode_gaz_entry_count(g) == 5);
  CHECK(lode_gaz_build(g, NULL) == 0);
  CHECK_HITS(g, "Karvachar (Kelbajar), CSTO, gazprom, Syunik and Meghri",
             "Kalbajar@karvachar;Kalbajar@kelbajar;"
             "Collective Security Treaty Organization@csto;Gazprom@gazprom;"
             "Syunik@syunik;Meghri@meghri");
  l = scan(g, LIT("syunik meghri"));
  CHECK(l.n == 2 && strcmp(kind_of(g, &l.h[0]), "place") == 0);
  CHECK(l.n == 2 && strcmp(kind_of(g, &l.h[1]), "term") == 0);  /* kind defaults */
  free(l.h);
  lode_gaz_free(g);

  g = new_gaz(NULL);
  p = write_tmp(bad, sizeof bad - 1);
  rc = lode_gaz_load_tsv(g, p, &e);
  CHECK(rc == LODE_EARG);
  CHECK(e.line == 4);
  CHECK_MSG(strncmp(e.msg, p, strlen(p)) == 0 && strstr(e.msg, ":4: ") != NULL, "%s", e.msg);
  CHECK(lode_gaz_alias_count(g) == 0);
  unlink(p);
  free(p);

  p = write_tmp(toomany, sizeof toomany - 1);
  CHECK(lode_gaz_load_tsv(g, p, &e) == LODE_EARG);
  CHECK_MSG(strstr(e.msg, ":1: ") && strstr(e.msg, "fields"), "%s", e.msg);
  unlink(p);
  free(p);

  p = write_tmp(badutf, sizeof badutf - 1);
  CHECK(lode_gaz_load_tsv(g, p, &e) == LODE_EENCODING);
  CHECK_MSG(strstr(e.msg, ":2: ") != NULL, "%s", e.msg);
  unlink(p);
  free(p);

  p = write_tmp(nul, sizeof nul - 1);
  CHECK(lode_gaz_load_tsv(g, p, &e) == LODE_EBINARY);
  CHECK_MSG(strstr(e.msg, ":3: ") != NULL, "%s", e.msg);
  unlink(p);
  free(p);

  p = write_tmp("", 0);
  CHECK(lode_gaz_load_tsv(g, p, &e) == 0);
  unlink(p);
  free(p);

  CHECK(lode_gaz_load_tsv(g, "/nonexistent/dir/x.tsv", &e) == LODE_EIO);
  CHECK_MSG(strstr(e.msg, "/nonexistent/dir/x.tsv") != NULL, "%s", e.msg);
  CHECK(lode_gaz_alias_count(g) == 0);
  lode_gaz_free(g);
}

/* ---------------------------------------------------------------- corpus */

/* The five articles normalized with g's options, each followed by "\n\n". */
static char *corpus_view(const lode_gazetteer *g, size_t *out_len) {
  size_t i, n = 0;
  char *all = NULL;
  for (i = 0; i < TEST_NCORPUS; i++) {
    char path[1024];
    size_t len, nl;
    char *raw, *t;
    raw = test_slurp(test_corpus_path(i, path, sizeof path), &len);
    CHECK_MSG(raw != NULL, "cannot read %s", path);
    if (!raw) continue;
    t = norm(g, raw, len, &nl);
    free(raw);
    if (!t) continue;
    all = realloc(all, n + nl + 3);
    memcpy(all + n, t, nl);
    n += nl;
    all[n++] = '\n';
    all[n++] = '\n';
    all[n] = '\0';
    free(t);
  }
  *out_len = n;
  return all;
}

typedef struct tally {
  const lode_gazetteer *g;
  const char *text;
  char *seen;      /* "canonical|kind|matched\n" lines */
  size_t n, cap;
  size_t hits;
} tally;

static int tally_hit(void *ud, const lode_gaz_hit *h) {
  tally *t = ud;
  const lode_gaz_entry *e = lode_gaz_entry_at(t->g, h->entry);
  char line[512];
  int w = snprintf(line, sizeof line, "%s|%s|%.*s\n", e->canonical, e->kind,
                   (int)(h->end - h->start), t->text + h->start);
  t->hits++;
  if (w <= 0 || (size_t)w >= sizeof line) return 0;
  if (t->n + (size_t)w + 1 > t->cap) {
    t->cap = (t->n + (size_t)w + 1) * 2;
    t->seen = realloc(t->seen, t->cap);
  }
  memcpy(t->seen + t->n, line, (size_t)w + 1);
  t->n += (size_t)w;
  return 0;
}

static size_t count_str(const char *hay, const char *needle) {
  size_t n = 0, k = strlen(needle);
  const char *p = hay;
  while (hay && (p = strstr(p, needle)) != NULL) n++, p += k;
  return n;
}

static lode_gazetteer *load_caucasus(void) {
  lode_gazetteer *g = new_gaz(NULL);
  lode_error e;
  int rc = lode_gaz_load_tsv(g, LODE_SOURCE_DIR "/lua/lode/data/caucasus.tsv", &e);
  CHECK_MSG(rc == 0, "%s", e.msg);
  rc = lode_gaz_build(g, &e);
  CHECK_MSG(rc == 0, "%s", e.msg);
  return g;
}

static void test_caucasus_corpus(void) {
  lode_gazetteer *g = load_caucasus();
  size_t len;
  char *text = corpus_view(g, &len);
  tally t = {0};
  t.g = g;
  t.text = text;
  CHECK(lode_gaz_alias_count(g) > 300);
  CHECK(lode_gaz_scan(g, text, len, tally_hit, &t) == 0);
  printf("caucasus.tsv: %zu aliases, %zu entries; %zu hits in the corpus\n",
         lode_gaz_alias_count(g), lode_gaz_entry_count(g), t.hits);

  /* spelling variants reconciled (counts from grep -i -w over corpus/) */
  CHECK(count_str(t.seen, "Nakhchivan|place|nakhichevan\n") == 2);
  CHECK(count_str(t.seen, "Nakhchivan|place|nakhchivan\n") == 6);
  CHECK(count_str(t.seen, "Nakhchivan|place|nakhchivan autonomous republic\n") == 1);
  CHECK(count_str(t.seen, "Kalbajar|place|kelbajar\n") == 1);
  CHECK(count_str(t.seen, "Kalbajar|place|kalbajar\n") == 2);
  CHECK(count_str(t.seen, "Kalbajar|place|karvachar\n") == 1);
  CHECK(count_str(t.seen, "Zangezur corridor|place|zangezour corridor\n") == 1);
  CHECK(count_str(t.seen, "Zangezur corridor|place|zangezur corridor\n") == 2);
  CHECK(count_str(t.seen, "Zangezur|place|zangezur\n") == 1);
  CHECK(count_str(t.seen, "Syunik|place|syunik\n") == 2);
  CHECK(count_str(t.seen, "Kapan|place|kafan\n") == 1);
  CHECK(count_str(t.seen, "Shusha|place|shusha\n") == 1);
  CHECK(count_str(t.seen, "Agdam|place|aghdam\n") == 1);
  /* 50 in the text; 3 inside longer aliases ("Nagorno-Karabakh conflict", ...) */
  CHECK(count_str(t.seen, "Nagorno-Karabakh|place|nagorno-karabakh\n") == 47);
  CHECK(count_str(t.seen, "Nagorno-Karabakh conflict|term|nagorno-karabakh conflict\n") == 2);
  CHECK(count_str(t.seen, "Second Karabakh War|term|second karabakh war\n") >= 1);
  CHECK(count_str(t.seen, "Nagorno-Karabakh|place|artsakh\n") == 5);  /* + "Artsakh Defense Army" */
  CHECK(count_str(t.seen, "Karabakh|place|karabakh\n") == 27);
  CHECK(count_str(t.seen, "Goris|place|gorus\n") == 1);
  CHECK(count_str(t.seen, "Vardenis|place|basarkechar\n") == 1);
  /* persons, full names and surnames */
  CHECK(count_str(t.seen, "Ilham Aliyev|person|ilham aliyev\n") == 7);
  CHECK(count_str(t.seen, "Nikol Pashinyan|person|nikol pashinyan\n") == 3);
  CHECK(count_str(t.seen, "Armen Grigoryan|person|armen grigoryan\n") == 2);
  CHECK(count_str(t.seen, "Ararat Mirzoyan|person|ararat mirzoyan\n") == 1);
  CHECK(count_str(t.seen, "Sergey Lavrov|person|sergey lavrov\n") == 1);
  CHECK(count_str(t.seen, "Jeyhun Bayramov|person|jeyhun bayramov\n") == 1);
  CHECK(count_str(t.seen, "Vladimir Putin|person|") >= 2);
  CHECK(count_str(t.seen, "Antony Blinken|person|antony blinken\n") >= 2);
  /* organizations through acronyms */
  CHECK(count_str(t.seen, "Collective Security Treaty Organization|org|csto\n") == 2);
  CHECK(count_str(t.seen, "European Union|org|eu\n") == 15);  /* + "EU Mission in Armenia" */
  CHECK(count_str(t.seen, "European Union Mission in Armenia|org|eu mission in armenia\n") == 1);
  CHECK(count_str(t.seen, "NATO|org|nato\n") == 4);
  CHECK(count_str(t.seen, "International Court of Justice|org|icj\n") == 4);
  CHECK(count_str(t.seen, "|org|euma\n") == 2);
  /* whole words: "Iranian" twice in the corpus, never reported as Iran */
  CHECK(count_str(t.seen, "Iran|place|iran\n") == 5);
  CHECK(count_str(t.seen, "|iranian\n") == 0);
  CHECK(count_str(t.seen, "Russia|place|russia\n") == 33);
  /* common English words must not be aliases */
  CHECK(count_str(t.seen, "|us\n") == 0);
  if (getenv("LODE_GAZ_DUMP")) fputs(t.seen ? t.seen : "", stdout);
  free(t.seen);
  free(text);
  lode_gaz_free(g);
}

/* --------------------------------------------------------------- threads */

typedef struct job {
  const lode_gazetteer *g;
  const char *s;
  size_t len;
  hitlist l;
  int rc;
} job;

static void *scan_job(void *arg) {
  job *j = arg;
  int k;
  for (k = 0; k < 20; k++) {  /* several rounds so the threads overlap */
    free(j->l.h);
    memset(&j->l, 0, sizeof j->l);
    j->rc = lode_gaz_scan(j->g, j->s, j->len, collect, &j->l);
  }
  return NULL;
}

static void test_threads(void) {
  lode_gazetteer *g = load_caucasus();
  size_t len;
  char *text = corpus_view(g, &len);
  hitlist ref = scan(g, text, len);
  job jobs[2];
  pthread_t th[2];
  int i;
  for (i = 0; i < 2; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].g = g;
    jobs[i].s = text;
    jobs[i].len = len;
    CHECK(pthread_create(&th[i], NULL, scan_job, &jobs[i]) == 0);
  }
  for (i = 0; i < 2; i++) {
    pthread_join(th[i], NULL);
    CHECK(jobs[i].rc == 0);
    CHECK(jobs[i].l.n == ref.n && ref.n > 100);
    CHECK(jobs[i].l.n == ref.n &&
          memcmp(jobs[i].l.h, ref.h, ref.n * sizeof *ref.h) == 0);
    free(jobs[i].l.h);
  }
  free(ref.h);
  free(text);
  lode_gaz_free(g);
}

/* ------------------------------------------------ differential, both kinds */

static uint64_t rng_state;
static uint32_t rnd(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

/* Word characters as the gazetteer defines them, written out separately. */
static int ref_cp_word(utf8proc_int32_t cp) {
  const char *cat = utf8proc_category_string(cp);
  return cat[0] == 'L' || cat[0] == 'M' || cat[0] == 'N';
}

static int ref_word_at(const char *s, size_t len, size_t i) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                        (utf8proc_ssize_t)(len - i), &cp);
  return n > 0 && ref_cp_word(cp);
}

/* The code point that ends at s[i - 1]: the last valid sequence of 1-4
 * bytes ending there, if any. */
static int ref_word_before(const char *s, size_t i) {
  size_t k;
  for (k = 1; k <= 4 && k <= i; k++) {
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + i - k, (utf8proc_ssize_t)k, &cp) ==
        (utf8proc_ssize_t)k)
      return ref_cp_word(cp);
    if (((unsigned char)s[i - k] & 0xC0) != 0x80) break;
  }
  return 0;
}

/* Brute force: at each position try every alias, keep the longest whole-word
 * one at the leftmost position, report it, resume after it. */
static hitlist ref_scan(char **al, size_t na, const char *s, size_t len) {
  hitlist l = {0};
  size_t pos = 0;
  while (pos < len) {
    size_t st, best = (size_t)-1, blen = 0, k;
    for (st = pos; st < len && best == (size_t)-1; st++) {
      for (k = 0; k < na; k++) {
        size_t n = strlen(al[k]);
        if (n > len - st || memcmp(s + st, al[k], n) != 0) continue;
        if (st > 0 && ref_word_before(s, st)) continue;
        if (st + n < len && ref_word_at(s, len, st + n)) continue;
        if (n > blen) best = k, blen = n;
      }
      if (best != (size_t)-1) {
        lode_gaz_hit h;
        h.start = st;
        h.end = st + blen;
        h.alias = best;
        h.entry = 0;
        collect(&l, &h);
        pos = st + blen;
      }
    }
    if (best == (size_t)-1) break;
  }
  return l;
}

static int hit_eq(const hitlist *a, const hitlist *b) {
  return a->n == b->n && (a->n == 0 || memcmp(a->h, b->h, a->n * sizeof *a->h) == 0);
}

static int has_hit(const hitlist *l, size_t start, size_t end) {
  size_t k;
  for (k = 0; k < l->n; k++)
    if (l->h[k].start == start && l->h[k].end == end) return 1;
  return 0;
}

typedef struct stopper {
  size_t n, at;
  hitlist seen;
} stopper;

static int stop_at(void *ud, const lode_gaz_hit *hit) {
  stopper *st = ud;
  collect(&st->seen, hit);
  return ++st->n == st->at ? 77 : 0;
}

/* The hits of lode_gaz_scan_part calls from 0 to the end, the callback
 * stopping every `every` hits (0: never), so the scan resumes after hits
 * as well as at part cuts; NULL-free, in one list. */
static hitlist scan_parts(const lode_gazetteer *g, const char *s, size_t len, size_t every) {
  hitlist l = {0};
  size_t pos = 0, calls = 0;
  while (pos < len) {
    stopper st;
    int rc;
    memset(&st, 0, sizeof st);
    st.at = every ? every : SIZE_MAX;
    rc = lode_gaz_scan_part(g, s, len, &pos, stop_at, &st);
    CHECK_MSG(rc == 0 || rc == 77, "scan_part returned %d", rc);
    CHECK(st.seen.n == 0 || pos >= st.seen.h[st.seen.n - 1].end);
    for (size_t k = 0; k < st.seen.n; k++) collect(&l, &st.seen.h[k]);
    free(st.seen.h);
    if (++calls > len + 2) { CHECK_MSG(0, "scan_part does not advance"); break; }
  }
  return l;
}

/* `split`: every text is scanned as two streams (LODE_GAZ_SPLIT_MIN=1) and
 * holds line breaks to cut at; a tenth of the rounds also put '\n' inside
 * aliases, where the gazetteer must refuse to cut. */
static void differential(int dfa, int split) {
  static const char *const atoms[] = {"a", "b", "c", " ", "-", "\xc3\xa9", "\xe2\x80\x94",
                                      "\n"};
  static const lode_norm_opts none = {LODE_FORM_NONE, 0};
  int round, bad = 0;
  const unsigned ntext = split ? 8 : 7;
  if (!dfa) setenv("LODE_GAZ_DFA_MAX_MB", "0", 1);
  if (split) setenv("LODE_GAZ_SPLIT_MIN", "1", 1);
  for (round = 0; round < (int)test_scale(300); round++) {
    lode_gazetteer *g = new_gaz(&none);
    char *al[40];
    char text[600];
    size_t na = 1 + rnd() % 40, k, tl = 0;
    const unsigned nin = split && rnd() % 10 == 0 ? 8 : 7;
    hitlist got, want;
    for (k = 0; k < na; k++) {
      char buf[64];
      size_t n = 0, m = 1 + rnd() % 6, j;
      for (j = 0; j < m; j++) {
        /* no space at either end: aliases are trimmed */
        const char *a = atoms[rnd() % ((j == 0 || j == m - 1) ? 3 : nin)];
        size_t al_ = strlen(a);
        memcpy(buf + n, a, al_);
        n += al_;
      }
      buf[n] = '\0';
      al[k] = strdup(buf);
      CHECK(add(g, al[k], al[k], "term") == 0);
    }
    /* duplicates collapse to the first alias: mirror that for the oracle */
    for (k = 0; k < na; k++) {
      size_t j;
      for (j = 0; j < k; j++)
        if (strcmp(al[j], al[k]) == 0) { al[k][0] = '\0'; break; }
    }
    while (tl < sizeof text - 8) {
      const char *a = atoms[rnd() % ntext];
      size_t n = strlen(a);
      if (rnd() % 50 == 0) { text[tl++] = (char)(0x80 + rnd() % 128); continue; }
      memcpy(text + tl, a, n);
      tl += n;
    }
    CHECK(lode_gaz_build(g, NULL) == 0);
    got = scan(g, text, tl);
    /* empty strings (duplicates) never match in the oracle */
    {
      /* a duplicate add is a no-op and takes no alias id, so the live
       * aliases' indexes are the gazetteer's alias ids */
      char *live[40];
      size_t nl = 0;
      for (k = 0; k < na; k++)
        if (al[k][0]) live[nl++] = al[k];
      want = ref_scan(live, nl, text, tl);
    }
    {
      hitlist parts = scan_parts(g, text, tl, 1 + rnd() % 3);
      CHECK_MSG(hit_eq(&parts, &got), "differential round %d: resumed scan differs", round);
      free(parts.h);
    }
    for (k = 0; k < got.n; k++) got.h[k].entry = 0;
    if (got.n != want.n || (got.n && memcmp(got.h, want.h, got.n * sizeof *got.h) != 0)) {
      if (bad++ < 3) {
        fprintf(stderr, "differential (%s%s) round %d: got %zu hits, want %zu\n",
                dfa ? "dfa" : "nfa", split ? ", split" : "", round, got.n, want.n);
        for (k = 0; k < got.n && k < want.n; k++)
          if (memcmp(&got.h[k], &want.h[k], sizeof got.h[k]) != 0) {
            fprintf(stderr, "  first diff at %zu: got [%zu,%zu) a%zu, want [%zu,%zu) a%zu\n",
                    k, got.h[k].start, got.h[k].end, got.h[k].alias,
                    want.h[k].start, want.h[k].end, want.h[k].alias);
            break;
          }
      }
    }
    free(got.h);
    free(want.h);
    for (k = 0; k < na; k++) free(al[k]);
    lode_gaz_free(g);
  }
  CHECK_MSG(bad == 0, "%d of %zu random rounds differ from brute force (%s%s)", bad,
            test_scale(300), dfa ? "dfa" : "nfa", split ? ", split" : "");
  unsetenv("LODE_GAZ_DFA_MAX_MB");
  unsetenv("LODE_GAZ_SPLIT_MIN");
}

/* -------------------------------------------------- long texts, two streams */

/* Without whitespace collapse an alias may hold a '\n': then no cut is
 * safe and a long text must still be scanned in one piece. */
static void newline_alias(void) {
  static const lode_norm_opts none = {LODE_FORM_NONE, 0};
  lode_gazetteer *g = new_gaz(&none);
  size_t tl = 200000, k, mid = tl / 2;
  char *text = malloc(tl);
  hitlist l;
  if (!text) abort();
  for (k = 0; k < tl; k++) text[k] = k % 2 ? ' ' : 'x';
  memcpy(text + mid - 3, " ab\ncd ", 7);
  memcpy(text + 1000, " ab\ncd\n", 7);
  CHECK(add(g, "ab\ncd", NULL, "term") == 0);
  CHECK(lode_gaz_build(g, NULL) == 0);
  l = scan(g, text, tl);
  CHECK(l.n == 2);
  CHECK(l.n == 2 && l.h[0].start == 1001 && l.h[1].start == mid - 2 &&
        l.h[1].end == mid + 3);
  {
    hitlist parts = scan_parts(g, text, tl, 0);  /* no cut at a '\n' here */
    CHECK(hit_eq(&parts, &l));
    free(parts.h);
  }
  free(l.h);
  free(text);
  lode_gaz_free(g);
}

/* Over 65,536 states the DFA has 32-bit entries, a separate scan loop:
 * 15,000 random 8-12 letter aliases make ~100,000 states. Split and
 * single-stream scans of a long text must agree. */
static void long_text_dfa32(void) {
  static const lode_norm_opts none = {LODE_FORM_NONE, 0};
  lode_gazetteer *gs = new_gaz(&none), *g1 = new_gaz(&none);
  size_t na = 15000, k, tl = 0, cap = 220000;
  char (*al)[16] = malloc(na * sizeof *al);
  char *text = malloc(cap + 32);
  hitlist split, single;
  int added = 0;
  if (!al || !text) abort();
  for (k = 0; k < na; k++) {
    size_t n = 8 + rnd() % 5, j;
    for (j = 0; j < n; j++) al[k][j] = (char)('a' + rnd() % 26);
    al[k][n] = '\0';
    added += add(gs, al[k], NULL, "term") == 0 && add(g1, al[k], NULL, "term") == 0;
  }
  CHECK(added == (int)na);
  while (tl < cap) {
    const char *w = al[rnd() % na];
    size_t n = strlen(w), cut = rnd() % 4 ? n : 1 + rnd() % n;  /* some prefixes */
    memcpy(text + tl, w, cut);
    tl += cut;
    text[tl++] = rnd() % 8 ? ' ' : '\n';
  }
  setenv("LODE_GAZ_SPLIT_MIN", "0", 1);
  CHECK(lode_gaz_build(g1, NULL) == 0);
  unsetenv("LODE_GAZ_SPLIT_MIN");
  CHECK(lode_gaz_build(gs, NULL) == 0);
  split = scan(gs, text, tl);
  single = scan(g1, text, tl);
  CHECK(split.n > 1000);
  CHECK_MSG(hit_eq(&split, &single), "32-bit DFA: split %zu hits, single %zu", split.n,
            single.n);
  free(split.h);
  free(single.h);
  free(al);
  free(text);
  lode_gaz_free(gs);
  lode_gaz_free(g1);
}

/* Texts over the split threshold (64 KB) are scanned as two interleaved
 * streams cut at a '\n' near the middle. Each long text is scanned by a
 * gazetteer that splits and by one that does not (LODE_GAZ_SPLIT_MIN=0),
 * and by brute force; the hit lists must be identical. The shapes: many
 * line breaks; none at all (no cut possible); a single '\n' near the middle
 * with aliases touching it on both sides, at several offsets. */
static void long_texts(int dfa) {
  static const char *const words[] = {"ab", "ba", "abc", "c", "b", "\xc3\xa9", "ab\xc3\xa9",
                                      "ca", "bb", "a"};
  static const char *const seps[] = {" ", " ", " ", "-", "\n", ", ", "\n\n", "", " \n"};
  static const lode_norm_opts none = {LODE_FORM_NONE, 0};
  const size_t tlen = 200000, nw = sizeof words / sizeof *words;
  int round, bad = 0, rounds = test_quick() ? 4 : 12;  /* every shape at least once */
  size_t cuts_seen = 0;
  char *text = malloc(tlen + 64);
  if (!text) abort();
  if (!dfa) setenv("LODE_GAZ_DFA_MAX_MB", "0", 1);
  for (round = 0; round < rounds; round++) {
    lode_gazetteer *gs = new_gaz(&none), *g1 = new_gaz(&none);
    char *al[24];
    size_t na = 4 + rnd() % 20, k, tl = 0, cut = 0;
    int shape = round % 4;
    hitlist split, single, want;
    for (k = 0; k < na; k++) {
      char buf[64];
      size_t n = 0, m = 1 + rnd() % 3, j;
      for (j = 0; j < m; j++) {
        const char *w = words[rnd() % nw];
        if (j) buf[n++] = rnd() % 2 ? ' ' : '-';
        memcpy(buf + n, w, strlen(w));
        n += strlen(w);
      }
      buf[n] = '\0';
      for (j = 0; j < k; j++)
        if (strcmp(al[j], buf) == 0) break;
      if (j < k) { k--; na--; continue; }  /* keep aliases distinct */
      al[k] = strdup(buf);
      CHECK(add(gs, al[k], al[k], "term") == 0);
      CHECK(add(g1, al[k], al[k], "term") == 0);
    }
    while (tl < tlen) {
      const char *w = words[rnd() % nw], *sep = seps[rnd() % (sizeof seps / sizeof *seps)];
      if (rnd() % 4 == 0) w = al[rnd() % na];
      if (shape == 1 && strchr(sep, '\n')) sep = " ";  /* no line break at all */
      memcpy(text + tl, w, strlen(w));
      tl += strlen(w);
      memcpy(text + tl, sep, strlen(sep));
      tl += strlen(sep);
    }
    if (shape >= 2) {
      /* one '\n' near the middle, aliases right before and after it */
      size_t mid = tl / 2, lo = mid - 5000, hi = mid + 5000, a0 = strlen(al[0]);
      size_t a1 = strlen(al[na - 1]);
      for (k = lo; k < hi; k++)
        if (text[k] == '\n') text[k] = ' ';
      cut = mid + (shape == 2 ? 0 : 1 + rnd() % 40) - 20;
      memset(text + cut - a0 - 2, ' ', a0 + a1 + 4);
      memcpy(text + cut - a0, al[0], a0);
      text[cut] = '\n';
      memcpy(text + cut + 1, al[na - 1], a1);
    }
    setenv("LODE_GAZ_SPLIT_MIN", "0", 1);
    CHECK(lode_gaz_build(g1, NULL) == 0);
    unsetenv("LODE_GAZ_SPLIT_MIN");
    CHECK(lode_gaz_build(gs, NULL) == 0);
    split = scan(gs, text, tl);
    single = scan(g1, text, tl);
    want = ref_scan(al, na, text, tl);
    for (k = 0; k < split.n; k++) split.h[k].entry = 0;
    for (k = 0; k < single.n; k++) single.h[k].entry = 0;
    if (!hit_eq(&split, &single) || !hit_eq(&split, &want)) {
      if (bad++ < 3)
        fprintf(stderr, "long text (%s) round %d shape %d: split %zu hits, single %zu, "
                "brute force %zu\n", dfa ? "dfa" : "nfa", round, shape, split.n, single.n,
                want.n);
    }
    CHECK(split.n > 100);
    {
      /* part by part, never stopping and stopping every few hits */
      hitlist p0 = scan_parts(gs, text, tl, 0), p1 = scan_parts(gs, text, tl, 1 + rnd() % 50);
      for (k = 0; k < p0.n; k++) p0.h[k].entry = 0;
      for (k = 0; k < p1.n; k++) p1.h[k].entry = 0;
      CHECK_MSG(hit_eq(&p0, &split) && hit_eq(&p1, &split),
                "long text (%s) round %d shape %d: parts %zu / %zu hits, whole %zu",
                dfa ? "dfa" : "nfa", round, shape, p0.n, p1.n, split.n);
      free(p0.h);
      free(p1.h);
    }
    if (shape >= 2) {
      CHECK_MSG(has_hit(&want, cut - strlen(al[0]), cut) &&
                    has_hit(&want, cut + 1, cut + 1 + strlen(al[na - 1])),
                "round %d: aliases around the cut not found", round);
      cuts_seen++;
    }
    if (dfa && shape == 2) {
      /* Stop at the last hit before the cut (the first stream's last), at
       * the first after it and at the last of all: exactly the hits up to
       * the stop arrive, so a stop in the first stream delivers nothing of
       * the buffered second one. */
      size_t stops[3], j, in_a = 0;
      while (in_a < split.n && split.h[in_a].end <= cut) in_a++;
      CHECK(in_a > 10 && in_a < split.n - 10);
      stops[0] = in_a;
      stops[1] = in_a + 1;
      stops[2] = split.n;
      for (j = 0; j < 3; j++) {
        stopper st;
        memset(&st, 0, sizeof st);
        st.at = stops[j];
        CHECK(lode_gaz_scan(gs, text, tl, stop_at, &st) == 77);
        for (k = 0; k < st.seen.n; k++) st.seen.h[k].entry = 0;
        CHECK_MSG(st.seen.n == stops[j], "stop at %zu: %zu hits delivered", stops[j],
                  st.seen.n);
        CHECK(st.seen.n <= split.n &&
              memcmp(st.seen.h, split.h, st.seen.n * sizeof *split.h) == 0);
        free(st.seen.h);
      }
    }
    free(split.h);
    free(single.h);
    free(want.h);
    for (k = 0; k < na; k++) free(al[k]);
    lode_gaz_free(gs);
    lode_gaz_free(g1);
  }
  CHECK_MSG(bad == 0, "%d of %d long texts differ (%s)", bad, rounds, dfa ? "dfa" : "nfa");
  CHECK(cuts_seen > 0);
  unsetenv("LODE_GAZ_DFA_MAX_MB");
  free(text);
}

/* ------------------------------------------------------------ benchmark */

/* CPU time of this thread: on a shared machine wall time mostly measures
 * the neighbours. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Name-like strings: two or three syllables, optionally "first last". */
static void synth_name(char *buf, size_t cap) {
  static const char *const syl[] = {
    "ka", "ra", "ba", "kh", "an", "yan", "ov", "ev", "li", "mir", "zo", "sar",
    "gis", "tur", "ham", "nik", "ol", "pa", "shi", "gor", "vag", "dan", "ser",
    "zh", "ar", "men", "tig", "ran", "su", "ren", "jey", "hun", "da", "vit",
    "ash", "ot", "bek", "el", "chin", "ul", "lu", "qa", "xan", "əli", "şa"};
  size_t n = 0, parts = 1 + rnd() % 2, p;
  for (p = 0; p < parts; p++) {
    size_t k, m = 2 + rnd() % 3;
    if (p) buf[n++] = ' ';
    for (k = 0; k < m; k++) {
      const char *s = syl[rnd() % (sizeof syl / sizeof *syl)];
      size_t l = strlen(s);
      if (n + l + 2 >= cap) break;
      memcpy(buf + n, s, l);
      n += l;
    }
  }
  buf[n] = '\0';
}

static void bench(void) {
  const char *mbs = getenv("LODE_GAZ_BENCH_MB");
  size_t want = (size_t)((mbs ? atof(mbs) : 50.0) * 1e6);
  int mode;
  for (mode = 1; mode >= 0; mode--) {
    lode_gazetteer *g = new_gaz(NULL);
    lode_error e;
    size_t clen, reps, i, n1 = 0, nall = 0, big_len;
    char *corpus, *big;
    double t0, t1, tb;
    int rc;
    rng_state = 12345;
    if (!mode) setenv("LODE_GAZ_DFA_MAX_MB", "0", 1);
    rc = lode_gaz_load_tsv(g, LODE_SOURCE_DIR "/lua/lode/data/caucasus.tsv", &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    while (lode_gaz_alias_count(g) < 5000) {
      char name[96];
      synth_name(name, sizeof name);
      rc = add(g, name, name, "person");
      CHECK(rc == 0);
      if (rc) break;
    }
    tb = cpu_now();
    CHECK(lode_gaz_build(g, &e) == 0);
    tb = cpu_now() - tb;
    unsetenv("LODE_GAZ_DFA_MAX_MB");

    corpus = corpus_view(g, &clen);
    CHECK(lode_gaz_scan(g, corpus, clen, count_only, &n1) == 0);
    reps = want / clen + 1;
    big_len = reps * clen;
    big = malloc(big_len);
    for (i = 0; i < reps; i++) memcpy(big + i * clen, corpus, clen);
    t0 = cpu_now();
    CHECK(lode_gaz_scan(g, big, big_len, count_only, &nall) == 0);
    t1 = cpu_now();
    /* the copies end in "\n\n", so each one matches exactly like the first */
    CHECK_MSG(nall == n1 * reps, "%zu hits in %zu copies, %zu in one", nall, reps, n1);
    printf("bench (%s): %zu aliases, build %.1f ms, %.1f MB scanned at %.0f MB/s, "
           "%zu hits (thread CPU time)\n",
           mode ? "full DFA" : "failure links", lode_gaz_alias_count(g), tb * 1e3,
           (double)big_len / 1e6, (double)big_len / 1e6 / (t1 - t0), nall);
    free(big);
    free(corpus);
    lode_gaz_free(g);
  }
}

int main(void) {
  test_overlaps();
  test_whole_words();
  test_normalization();
  test_duplicates_and_args();
  test_stop();
  test_tsv();
  test_caucasus_corpus();
  test_threads();
  rng_state = 42;
  differential(1, 0);
  differential(0, 0);
  differential(1, 1);
  differential(0, 1);
  long_texts(1);
  long_texts(0);
  newline_alias();
  long_text_dfa32();
  if (test_bench_wanted()) bench();
  return test_report();
}
