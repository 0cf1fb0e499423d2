/* test_placecue.c -- where the place cues may match: the places reported
 * on small texts (both kinds, the cue after the name and before "of", a
 * capital past ASCII, the edges, NUL bytes), and on random nasty texts
 * every place where the extractor's regexes match (tried at each byte)
 * among those reported. */
#include <string.h>

#include "placecue.h"
#include "regex.h"
#include "test.h"

static const char *const CUES[] = {"city", "cities", "district", "port", "town", "lake"};
#define NCUES (sizeof CUES / sizeof *CUES)

/* The extractor's two regexes over CUES, anchored (lua/lode/extract/entities/find.lua) */
static const char THE_RE[] =
  "\\G(?:\\bthe \\K\\p{Lu}[\\p{L}\\-]+(?= (?:city|cities|district|port|town|lake)\\b))";
static const char OF_RE[] =
  "\\G(?: of (?=\\p{Lu})(?<=\\b(?:city|lake|port|town) of |\\b(?:cities) of |\\b(?:district) of )"
  "\\K\\p{Lu}[\\p{L}\\-]+(?![\\p{L}\xe2\x80\x99']))";

typedef struct seen {
  char kind[512];       /* per byte: 0 none, 1 + kind */
  char text[256];
  size_t n;
} seen;

static void note(void *ctx, int kind, size_t at) {
  seen *v = ctx;
  if (at < sizeof v->kind) v->kind[at] = (char)(1 + kind);
  v->n += (size_t)snprintf(v->text + v->n, sizeof v->text - v->n, "%s%c%zu", v->n ? "," : "",
                           kind == LODE_PLACECUE_THE ? 't' : 'o', at);
}

static const char *places(const lode_wordset *cues, const char *s, size_t len, seen *v) {
  memset(v, 0, sizeof *v);
  lode_placecue_starts(s, len, cues, note, v);
  return v->text;
}

#define PLACES(s) places(cues, s, sizeof(s) - 1, &v)

static void test_small(const lode_wordset *cues) {
  seen v;
  CHECK(strcmp(PLACES("in the Kalbajar district and the city of Shusha"), "t3,o37") == 0);
  /* the cue must follow the name's space, whole as a run of ASCII letters */
  CHECK(strcmp(PLACES("the Big Lake city, the Ganja cityscape, the Bo cit"), "t0") == 0);
  CHECK(strcmp(PLACES("the Bo city\xe2\x80\x99s and the Co district2"), "t0,t20") == 0);
  /* the cue before "of" is a whole run: "airport" is none (in case it is) */
  CHECK(strcmp(PLACES("airport of Dunmere, Port of Call, city of \xc3\x89vora"), "o24,o38") == 0);
  /* a lower-case word, a digit or a quote after "the " or " of " starts no name */
  CHECK(strcmp(PLACES("the big city, city of 4, city of \"Bo\", city of bo"), "") == 0);
  /* the edges: nothing, and a name at the very end */
  CHECK(strcmp(PLACES(""), "") == 0 && strcmp(PLACES("the"), "") == 0 && strcmp(PLACES("of B"), "") == 0);
  CHECK(strcmp(PLACES("the B"), "") == 0 && strcmp(PLACES("city of B"), "o4") == 0);
  CHECK(strcmp(PLACES("\0the Ani port\0city of Bo"), "t1,o18") == 0);
}

/* Whether an anchored match of re starts at a: */
static int matches_at(const lode_regex *re, lode_regex_scratch *sc, const char *s, size_t len, size_t a) {
  size_t ov[2];
  lode_error err;
  return lode_regex_exec(re, sc, s, len, a, 0, ov, &err) == 1;
}

static void test_random(const lode_wordset *cues) {
  static const char *const pieces[] = {
    "the ", "the", "The ", " of ", "of ", " ", " ", "\t", "-", "city", "cities", "City", "district", "port",
    "airport", "lake", "Bo", "Foo-the", "Ani", "x", "2", "_", "\xe2\x80\x99", "'", "\xc3\x89va", "\xc3\xa9",
    "\xc7\x85x", "\xc2\xa0", "\n", ",",
    /* whole phrases, so that the texts hold matches, next to anything */
    "the Bo city", "city of Ani", "the \xc3\x89va lake", "cities of Bo", " the Ani-Bo district", "port of Bo-city of Cy",
  };
  lode_error err;
  lode_regex *re[2] = {lode_regex_compile(THE_RE, strlen(THE_RE), 0, &err),
                       lode_regex_compile(OF_RE, strlen(OF_RE), 0, &err)};
  lode_regex_scratch *sc = lode_regex_scratch_new();
  unsigned seed = 7;
  size_t missed = 0, found = 0;
  seen v;
  char s[300] = {0};   /* (zeroed: the JIT reads a little past the subject) */
  CHECK(re[0] && re[1] && sc);
  if (!re[0] || !re[1] || !sc) return;
  for (size_t round = 0; round < test_scale(3000); round++) {
    size_t len = test_random_pieces(s, 240, pieces, sizeof pieces / sizeof *pieces, &seed);
    places(cues, s, len, &v);
    for (size_t a = 0; a < len; a++)
      for (int k = 0; k < 2; k++)     /* (at each character: PCRE2 rounds a start inside one up) */
        if (((unsigned char)s[a] & 0xC0) != 0x80 && matches_at(re[k], sc, s, len, a)) {
          found++;
          if (v.kind[a] != 1 + k) missed++;
        }
  }
  CHECK_MSG(missed == 0, "%zu of %zu matches at no place reported", missed, found);
  CHECK(found > test_scale(3000));   /* the texts do hold matches (10,955) */
  lode_regex_free(re[0]);
  lode_regex_free(re[1]);
  lode_regex_scratch_free(sc);
}

int main(void) {
  lode_error err;
  lode_wordset *cues = lode_wordset_new(&err);
  CHECK(cues != NULL);
  if (!cues) return test_report();
  for (size_t k = 0; k < NCUES; k++) lode_wordset_add(cues, CUES[k], strlen(CUES[k]), &err);
  test_small(cues);
  test_random(cues);
  lode_wordset_free(cues);
  return test_report();
}
