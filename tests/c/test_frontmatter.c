/*
 * test_frontmatter.c -- front matter blocks and their fields (core/frontmatter.h).
 *
 * Every result goes through check_spans(): spans inside the block and in
 * order, and the bytes at a value's span equal the value whenever the value
 * was written without escapes or folding. Then targeted cases: Jekyll and
 * Hugo-like blocks, quotes and escapes, lists in both styles, nested maps,
 * CRLF, a BOM, fences that are not front matter, malformed blocks, junk
 * bytes, and a 10 MB block.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "test.h"

/* ---- helpers --------------------------------------------------------------- */

static int has_any(const char *p, size_t n) {
  size_t k;
  for (k = 0; k < n; k++)
    if (strchr("\\'\"\r\n", p[k])) return 1;
  return 0;
}

/* Spans are inside the block, ordered; a value that is its own text is at
 * its span. Returns 1 when all hold. */
static int check_spans(const lode_frontmatter *fm, const char *s, size_t len) {
  size_t k, m;
  int ok = 1;
  const lode_fm_block *b = &fm->block;
  if (b->format == LODE_FM_NONE) return fm->nfields == 0;
  ok &= b->start <= b->inner && b->inner <= b->inner_end && b->inner_end <= b->end &&
        b->end <= b->body && b->body <= len;
  for (k = 0; k < fm->nfields; k++) {
    const lode_fm_field *f = &fm->fields[k];
    ok &= f->start >= b->inner && f->start <= f->end && f->end <= b->inner_end;
    ok &= f->is_list || f->nitems == 1;
    for (m = 0; m < f->nitems; m++) {
      const lode_fm_item *it = &f->items[m];
      ok &= it->start >= f->start && it->start <= it->end && it->end <= f->end;
      ok &= it->value[it->value_len] == '\0';
      /* a value written without escapes, quotes or line breaks is its own text */
      if (!memchr(it->value, '\n', it->value_len) && !has_any(s + it->start, it->end - it->start))
        ok &= it->end - it->start == it->value_len && memcmp(s + it->start, it->value, it->value_len) == 0;
    }
  }
  if (!ok) fprintf(stderr, "  spans do not hold in \"%.60s...\"\n", s);
  return ok;
}

static lode_frontmatter *read_str(const char *s) {
  lode_error err;
  size_t len = strlen(s);
  lode_frontmatter *fm = lode_fm_read("t.md", s, len, &err);
  CHECK(fm != NULL);
  if (fm) CHECK(check_spans(fm, s, len));
  return fm;
}

static const lode_fm_field *field(const lode_frontmatter *fm, const char *key) {
  const lode_fm_field *found = NULL;
  size_t k;
  for (k = 0; k < fm->nfields; k++)
    if (strcmp(fm->fields[k].key, key) == 0) found = &fm->fields[k];
  if (!found) fprintf(stderr, "  no field \"%s\"\n", key);
  return found;
}

/* The field's (first) value equals want, and the text at its span too. */
static int value_is(const lode_frontmatter *fm, const char *s, const char *key,
                    const char *want, const char *at_span) {
  const lode_fm_field *f = field(fm, key);
  const lode_fm_item *it;
  if (!f || f->nitems < 1) return 0;
  it = &f->items[0];
  if (strcmp(it->value, want) != 0 ||
      strlen(at_span) != it->end - it->start || memcmp(s + it->start, at_span, it->end - it->start) != 0) {
    fprintf(stderr, "  %s: \"%s\" at \"%.*s\"; want \"%s\" at \"%s\"\n", key, it->value,
            (int)(it->end - it->start), s + it->start, want, at_span);
    return 0;
  }
  return 1;
}

/* ---- YAML -------------------------------------------------------------------- */

static void test_jekyll(void) {
  const char *s =
      "---\n"
      "layout: post\n"
      "title: \"Talks resume in the valley\"\n"
      "date: 2024-03-05 09:30:00 +0100\n"
      "author: Ana Petrosyan\n"
      "categories: [News, Politics]\n"
      "tags: []\n"
      "---\n"
      "The talks resumed on Tuesday.\n";
  lode_frontmatter *fm = read_str(s);
  CHECK(fm->block.format == LODE_FM_YAML);
  CHECK(fm->problem.code == LODE_OK);
  CHECK(fm->block.start == 0);
  CHECK_BYTES(s + fm->block.end - 3, 3, "---");
  CHECK(strcmp(s + fm->block.body, "The talks resumed on Tuesday.\n") == 0);
  CHECK(fm->nfields == 6);
  CHECK(strcmp(fm->fields[0].key, "layout") == 0 && strcmp(fm->fields[5].key, "tags") == 0);
  CHECK(value_is(fm, s, "title", "Talks resume in the valley", "Talks resume in the valley"));
  CHECK(value_is(fm, s, "date", "2024-03-05 09:30:00 +0100", "2024-03-05 09:30:00 +0100"));
  CHECK(value_is(fm, s, "author", "Ana Petrosyan", "Ana Petrosyan"));
  {
    const lode_fm_field *f = field(fm, "categories");
    CHECK(f && f->is_list && f->nitems == 2);
    CHECK(f && strcmp(f->items[1].value, "Politics") == 0);
    CHECK(f && f->end - f->start == strlen("[News, Politics]") &&
          memcmp(s + f->start, "[News, Politics]", f->end - f->start) == 0);
    f = field(fm, "tags");
    CHECK(f && f->is_list && f->nitems == 0 && f->end - f->start == 2);
  }
  lode_frontmatter_free(fm);
}

static void test_quotes_and_blocks(void) {
  const char *s =
      "---\n"
      "title: \"A \\\"quoted\\\" caf\\u00e9\"\n"
      "single: 'it''s here'\n"
      "colon: \"10:30: the hour\"\n"
      "folded: >-\n"
      "  first line\n"
      "  second line\n"
      "literal: |\n"
      "  kept\n"
      "  lines\n"
      "\n"
      "plain: two\n"
      "  lines\n"
      "empty:\n"
      "hash: value # a comment\n"
      "---\n";
  lode_frontmatter *fm = read_str(s);
  CHECK(fm->problem.code == LODE_OK);
  CHECK(value_is(fm, s, "title", "A \"quoted\" caf\xC3\xA9", "A \\\"quoted\\\" caf\\u00e9"));
  CHECK(value_is(fm, s, "single", "it's here", "it''s here"));
  CHECK(value_is(fm, s, "colon", "10:30: the hour", "10:30: the hour"));
  CHECK(value_is(fm, s, "folded", "first line second line", "first line\n  second line"));
  CHECK(value_is(fm, s, "literal", "kept\nlines\n", "kept\n  lines"));
  CHECK(value_is(fm, s, "plain", "two lines", "two\n  lines"));
  CHECK(value_is(fm, s, "empty", "", ""));
  CHECK(value_is(fm, s, "hash", "value", "value"));
  lode_frontmatter_free(fm);
}

static void test_lists_and_maps(void) {
  const char *s =
      "---\n"
      "authors:\n"
      "  - Ana Petrosyan\n"
      "  - \"Rauf Mammadov\"\n"
      "# a comment after the list\n"
      "\n"
      "image:\n"
      "  url: /img/a.jpg\n"
      "  alt: A bridge\n"
      "  size: {w: 640, h: 480}\n"
      "boxes:\n"
      "  - name: one\n"
      "  - name: two\n"
      "mixed: [a, [b, c], {d: e}, f]\n"
      "? [complex, key]\n"
      ": dropped\n"
      "anchor: &a shared\n"
      "ref: *a\n"
      "after: yes\n"
      "\"\": empty key\n"
      "---\n";
  lode_frontmatter *fm = read_str(s);
  const lode_fm_field *f;
  CHECK(fm->problem.code == LODE_OK);
  f = field(fm, "authors");
  CHECK(f && f->is_list && f->nitems == 2);
  if (f && f->nitems == 2) {
    CHECK(strcmp(f->items[0].value, "Ana Petrosyan") == 0);
    CHECK_BYTES(s + f->items[1].start, f->items[1].end - f->items[1].start, "Rauf Mammadov");
    /* the list ends with its last item, not at the comment after it */
    CHECK_BYTES(s + f->start, f->end - f->start, "- Ana Petrosyan\n  - \"Rauf Mammadov\"");
  }
  CHECK(value_is(fm, s, "image.url", "/img/a.jpg", "/img/a.jpg"));
  CHECK(value_is(fm, s, "image.alt", "A bridge", "A bridge"));
  CHECK(value_is(fm, s, "image.size.h", "480", "480"));
  f = field(fm, "boxes");
  CHECK(f && f->is_list && f->nitems == 0);
  f = field(fm, "mixed");
  CHECK(f && f->nitems == 2 && strcmp(f->items[1].value, "f") == 0);
  CHECK(value_is(fm, s, "anchor", "shared", "shared"));
  CHECK(value_is(fm, s, "after", "yes", "yes"));
  CHECK(value_is(fm, s, "", "empty key", "empty key"));
  {
    size_t k;
    for (k = 0; k < fm->nfields; k++) CHECK(strcmp(fm->fields[k].key, "ref") != 0);
  }
  lode_frontmatter_free(fm);
}

static void test_deep_maps(void) {
  /* 40 nested maps: the first LODE_FM_MAX_DEPTH levels flatten, deeper ones are skipped */
  char s[4096], key[512];
  size_t n = 0, k, depth = 40;
  lode_frontmatter *fm;
  n += (size_t)snprintf(s + n, sizeof s - n, "---\n");
  for (k = 0; k < depth; k++)
    n += (size_t)snprintf(s + n, sizeof s - n, "%*sk%zu:%s\n", (int)k, "", k, k + 1 < depth ? "" : " leaf");
  n += (size_t)snprintf(s + n, sizeof s - n, "top: v\n---\n");
  fm = read_str(s);
  CHECK(fm->problem.code == LODE_OK);
  CHECK(value_is(fm, s, "top", "v", "v"));
  CHECK(fm->nfields == 1);
  lode_frontmatter_free(fm);
  /* within the limit, the full path */
  n = (size_t)snprintf(s, sizeof s, "---\n");
  key[0] = '\0';
  for (k = 0; k < LODE_FM_MAX_DEPTH; k++) {
    n += (size_t)snprintf(s + n, sizeof s - n, "%*sk%zu:%s\n", (int)k, "", k,
                          k + 1 < LODE_FM_MAX_DEPTH ? "" : " leaf");
    snprintf(key + strlen(key), sizeof key - strlen(key), "%sk%zu", k ? "." : "", k);
  }
  snprintf(s + n, sizeof s - n, "---\n");
  fm = read_str(s);
  CHECK(fm->nfields == 1 && value_is(fm, s, key, "leaf", "leaf"));
  lode_frontmatter_free(fm);
}

static void test_fences(void) {
  lode_frontmatter *fm;
  lode_fm_block b;
  /* BOM, blank lines, CRLF, trailing blanks on the fences, `...` closing */
  const char *crlf = "\xEF\xBB\xBF\r\n  \r\n--- \r\ntitle: Two words\r\nlist:\r\n  - x\r\n...\t\r\nBody\r\n";
  fm = read_str(crlf);
  CHECK(fm->block.format == LODE_FM_YAML && fm->block.start == 9);
  CHECK(value_is(fm, crlf, "title", "Two words", "Two words"));
  CHECK(field(fm, "list") && field(fm, "list")->nitems == 1);
  CHECK_BYTES(crlf + fm->block.end - 3, 3, "...");
  CHECK(strcmp(crlf + fm->block.body, "Body\r\n") == 0);
  lode_frontmatter_free(fm);
  /* lone CR line breaks */
  fm = read_str("---\rtitle: cr\r---\rbody");
  CHECK(fm->block.format == LODE_FM_YAML && fm->nfields == 1);
  lode_frontmatter_free(fm);
  /* an empty block is front matter without fields */
  fm = read_str("---\n---\ntext");
  CHECK(fm->block.format == LODE_FM_YAML && fm->nfields == 0 && fm->problem.code == LODE_OK);
  lode_frontmatter_free(fm);
  /* not front matter: a Markdown rule above prose, fences not alone on their line, late fences */
  CHECK(lode_fm_split("---\nSome prose here.\n---\n", 24, &b) == LODE_FM_NONE && b.unclosed == LODE_NOPOS);
  CHECK(lode_fm_split("--- title: x\n---\n", 17, &b) == LODE_FM_NONE);
  CHECK(lode_fm_split("----\na: b\n----\n", 15, &b) == LODE_FM_NONE);
  CHECK(lode_fm_split("Intro\n---\na: b\n---\n", 19, &b) == LODE_FM_NONE);
  CHECK(lode_fm_split("- item\n---\n", 11, &b) == LODE_FM_NONE);
  CHECK(lode_fm_split("", 0, &b) == LODE_FM_NONE);
  CHECK(lode_fm_split("---", 3, &b) == LODE_FM_NONE && b.unclosed == 0);
  CHECK(lode_fm_split("\n\n\n", 3, &b) == LODE_FM_NONE);
  /* comments before the first key are fine */
  CHECK(lode_fm_split("---\n# generated\n\ntitle: x\n---\n", 29, &b) == LODE_FM_YAML);
}

static void test_malformed(void) {
  lode_frontmatter *fm;
  const char *s;
  /* unclosed: no front matter, a warning naming the line and byte */
  s = "\n---\ntitle: x\nbody text\n";
  fm = read_str(s);
  CHECK(fm->block.format == LODE_FM_NONE && fm->nfields == 0);
  CHECK(fm->problem.code == LODE_ESYNTAX && fm->problem.line == 2 && fm->problem.offset == 1);
  CHECK_MSG(strstr(fm->problem.msg, "t.md:2:") && strstr(fm->problem.msg, "never closed"), "%s", fm->problem.msg);
  lode_frontmatter_free(fm);
  /* bad YAML: the block is found, fields before the error kept */
  s = "---\ntitle: ok\ndate: \"2024-01-02\nauthor: x\n---\nBody\n";
  fm = read_str(s);
  CHECK(fm->block.format == LODE_FM_YAML && fm->problem.code == LODE_ESYNTAX);
  CHECK(strcmp(s + fm->block.body, "Body\n") == 0);
  CHECK(value_is(fm, s, "title", "ok", "ok"));
  CHECK_MSG(strstr(fm->problem.msg, "t.md:") && strstr(fm->problem.msg, "YAML") &&
            strstr(fm->problem.msg, "at byte"), "%s", fm->problem.msg);
  CHECK(fm->problem.line >= 3 && fm->problem.line <= 5);
  lode_frontmatter_free(fm);
  /* bad indentation */
  s = "---\ntitle: a\n  b: c\n---\n";
  fm = read_str(s);
  CHECK_MSG(fm->problem.code == LODE_ESYNTAX && fm->problem.line == 3, "%s", fm->problem.msg);
  lode_frontmatter_free(fm);
  /* a list or a text instead of keys */
  fm = read_str("---\nx: 1\n---\n");
  CHECK(fm->problem.code == LODE_OK);
  lode_frontmatter_free(fm);
  fm = read_str("---\nk: v\n- a\n---\n");
  CHECK(fm->problem.code == LODE_ESYNTAX);
  lode_frontmatter_free(fm);
  /* a list cut short by a syntax error spans what was read (found by
   * tests/fuzz/fuzz_frontmatter: its span was [start, 0)) */
  s = "---\nt: [\r---";
  fm = read_str(s);
  CHECK(fm->problem.code == LODE_ESYNTAX && fm->nfields == 1 && fm->fields[0].is_list);
  CHECK(fm->nfields == 1 && fm->fields[0].start == 7 && fm->fields[0].end == 7);
  lode_frontmatter_free(fm);
  s = "---\ntags: [a, bc\nx: 1\n---\n";
  fm = read_str(s);
  CHECK(fm->problem.code == LODE_ESYNTAX && fm->nfields == 1 && fm->fields[0].nitems >= 2);
  CHECK_MSG(fm->nfields == 1 && fm->fields[0].start == 10 && fm->fields[0].end >= 16,
            "[%zu, %zu)", fm->fields[0].start, fm->fields[0].end);
  lode_frontmatter_free(fm);
}

static void test_junk(void) {
  /* NUL bytes, bad UTF-8 and control bytes inside a block: errors, not crashes */
  static const char nul[] = "---\ntitle: a\0b\nx: y\n---\nbody";
  static const char bad[] = "---\ntitle: caf\xC3\n---\n";
  lode_error err;
  lode_frontmatter *fm = lode_fm_read(NULL, nul, sizeof nul - 1, &err);
  CHECK(fm && fm->block.format == LODE_FM_YAML && fm->problem.code == LODE_ESYNTAX);
  CHECK_MSG(fm && strstr(fm->problem.msg, "<string>:2:") && fm->problem.offset == 12, "%s", fm->problem.msg);
  lode_frontmatter_free(fm);
  fm = lode_fm_read(NULL, bad, sizeof bad - 1, &err);
  CHECK_MSG(fm && fm->problem.code == LODE_ESYNTAX && fm->problem.offset == 14, "%zu %s",
            fm->problem.offset, fm->problem.msg);
  lode_frontmatter_free(fm);
  /* every prefix of a block: never reads past the end (ASan checks) */
  {
    const char *s = "---\ntitle: \"a\\u00e9\"\nlist: [a, b]\nm:\n  k: |\n    x\n---\nbody\n";
    size_t n, len = strlen(s);
    for (n = 0; n <= len; n++) {
      char *copy = malloc(n ? n : 1);
      memcpy(copy, s, n);
      fm = lode_fm_read("p", copy, n, &err);
      CHECK(fm && check_spans(fm, copy, n));
      lode_frontmatter_free(fm);
      free(copy);
    }
  }
  /* random bytes after a fence */
  {
    /* a first key (so the block is front matter), then random bytes */
    static const char junk[] = "ab: \n-[]{}\"'\\#|>&*!%@`,?=+\xC3\xA9\x00\xFF\r\t";
    unsigned x = 12345;
    int round, blocks = 0;
    for (round = 0; round < (int)test_scale(400); round++) {
      const char *fence = round % 2 ? "+++\n" : "---\n", *key = round % 2 ? "k = 1\n" : "k: v\n";
      char buf[256];
      size_t n = 10 + (size_t)(round % 200), k;
      memcpy(buf, fence, 4);
      memcpy(buf + 4, key, 6);
      for (k = 10; k < n; k++) {
        x = x * 1103515245u + 12345u;
        buf[k] = junk[(x >> 16) % (sizeof junk - 1)];
      }
      if (round % 3) memcpy(buf + n, "\n", 1), memcpy(buf + n + 1, fence, 4), n += 5;
      fm = lode_fm_read("r", buf, n, &err);
      CHECK(fm && check_spans(fm, buf, n));
      blocks += fm && fm->block.format != LODE_FM_NONE;
      lode_frontmatter_free(fm);
    }
    CHECK_MSG(blocks > (int)test_scale(400) / 2, "%d blocks", blocks);
  }
}

/* ---- TOML -------------------------------------------------------------------- */

static void test_toml(void) {
  const char *s =
      "+++\r\n"
      "title = \"Caf\\u00e9 \\\"Ararat\\\" \\U0001F600\"\r\n"
      "lit = 'C:\\path\\n'\r\n"
      "date = 1979-05-27 07:32:00\r\n"
      "when = 2024-01-18T06:45:00Z # a comment\r\n"
      "n = -3.5e2\r\n"
      "ok = true\r\n"
      "multi = \"\"\"\r\nfirst \\\r\n   second\"\"\"\"\r\n"
      "raw = '''\r\nkept \\ as is'''\r\n"
      "list = [ 1, \"two\", [3, 4], {x = 5}, 'six', ]\r\n"
      "site.name = \"Lode\"\r\n"
      "\"quoted key\" = \"q\"\r\n"
      "\"\" = \"empty key\"\r\n"
      "[author]\r\n"
      "name = \"Ani\"\r\n"
      "social = { x = \"@ani\", web = { url = \"https://example.org\" } }\r\n"
      "[[photos]]\r\n"
      "src = \"skipped\"\r\n"
      "[after]\r\n"
      "key = \"kept\"\r\n"
      "+++\r\nbody\r\n";
  lode_frontmatter *fm = read_str(s);
  const lode_fm_field *f;
  CHECK(fm->block.format == LODE_FM_TOML);
  CHECK_MSG(fm->problem.code == LODE_OK, "%s", fm->problem.msg);
  CHECK(strcmp(s + fm->block.body, "body\r\n") == 0);
  CHECK(value_is(fm, s, "title", "Caf\xC3\xA9 \"Ararat\" \xF0\x9F\x98\x80",
                 "Caf\\u00e9 \\\"Ararat\\\" \\U0001F600"));
  CHECK(value_is(fm, s, "lit", "C:\\path\\n", "C:\\path\\n"));
  CHECK(value_is(fm, s, "date", "1979-05-27 07:32:00", "1979-05-27 07:32:00"));
  CHECK(value_is(fm, s, "when", "2024-01-18T06:45:00Z", "2024-01-18T06:45:00Z"));
  CHECK(value_is(fm, s, "n", "-3.5e2", "-3.5e2"));
  CHECK(value_is(fm, s, "ok", "true", "true"));
  CHECK(value_is(fm, s, "multi", "first second\"", "first \\\r\n   second\""));
  CHECK(value_is(fm, s, "raw", "kept \\ as is", "kept \\ as is"));
  f = field(fm, "list");
  CHECK(f && f->is_list && f->nitems == 3);
  CHECK(f && f->nitems == 3 && strcmp(f->items[1].value, "two") == 0 && strcmp(f->items[2].value, "six") == 0);
  CHECK(f && s[f->start] == '[' && s[f->end - 1] == ']');
  CHECK(value_is(fm, s, "site.name", "Lode", "Lode"));
  CHECK(value_is(fm, s, "quoted key", "q", "q"));
  CHECK(value_is(fm, s, "", "empty key", "empty key"));
  CHECK(value_is(fm, s, "author.name", "Ani", "Ani"));
  CHECK(value_is(fm, s, "author.social.x", "@ani", "@ani"));
  CHECK(value_is(fm, s, "author.social.web.url", "https://example.org", "https://example.org"));
  CHECK(value_is(fm, s, "after.key", "kept", "kept"));
  {
    size_t k;
    for (k = 0; k < fm->nfields; k++) CHECK(strstr(fm->fields[k].key, "photos") == NULL);
  }
  lode_frontmatter_free(fm);
}

/* Empty TOML strings are empty values at an empty span (found by
 * tests/fuzz/fuzz_frontmatter: clang's UBSan saw NULL + 0 in the copy of
 * an empty string into a reader's buffer not yet allocated). */
static void test_toml_empty(void) {
  const char *s = "+++\ntitle = \"\"\nsub = ''\ntags = [\"\", 'x']\n\"\" = 1\n+++\n";
  lode_frontmatter *fm = read_str(s);
  const lode_fm_field *tags = field(fm, "tags");
  CHECK(fm->problem.code == LODE_OK);
  CHECK(value_is(fm, s, "title", "", ""));
  CHECK(value_is(fm, s, "sub", "", ""));
  CHECK(tags && tags->nitems == 2 && tags->items[0].value_len == 0 &&
        tags->items[0].start == tags->items[0].end && strcmp(tags->items[1].value, "x") == 0);
  lode_frontmatter_free(fm);
}

/* A TOML block whose problem is at `bad` (a substring of s), its message
 * holding `words`. */
static void toml_bad(const char *s, const char *bad, const char *words) {
  lode_frontmatter *fm = read_str(s);
  size_t at = (size_t)(strstr(s, bad) - s);
  CHECK(fm->block.format == LODE_FM_TOML);
  CHECK_MSG(fm->problem.code == LODE_ESYNTAX && fm->problem.offset == at &&
                strstr(fm->problem.msg, words) && strstr(fm->problem.msg, "bad TOML front matter"),
            "want \"%s\" at %zu, got %zu: %s", words, at, fm->problem.offset, fm->problem.msg);
  lode_frontmatter_free(fm);
}

static void test_toml_malformed(void) {
  static const char kept[] = "+++\nok = 1\nbad = ?\n+++\n";
  static const char nul[] = "+++\na = \"x\0y\"\n+++\n";
  lode_frontmatter *fm;
  lode_error err;
  char s[2048];
  size_t n, k;
  toml_bad("+++\ntitle = Plain words\n+++\n", "Plain", "strings need quotes");
  toml_bad("+++\ntitle = \"open\ndate = 2020-01-01\n+++\n", "\"open", "never closed");
  toml_bad("+++\nok = 1\ntitle \"x\"\n+++\n", "\"x", "expected '='");
  toml_bad("+++\nt = [\"a\", \"b\"\n+++\n", "[", "array never closed");
  toml_bad("+++\nt = \"\\q\"\n+++\n", "\\q", "unknown escape");
  toml_bad("+++\nt = \"\\uD800\"\n+++\n", "\\uD800", "not a character");
  toml_bad("+++\nt = \"a\" junk\n+++\n", "junk", "after the value");
  toml_bad("+++\nt =\n+++\n", "\n+++", "expected a value");
  toml_bad("+++\n[table\nx = 1\n+++\n", "[table", "never closed");
  toml_bad("+++\nok = 1\nt = \"caf\xC3\"\n+++\n", "\xC3", "invalid UTF-8 byte 0xc3");
  /* fields before the problem are kept */
  fm = read_str(kept);
  CHECK(fm->problem.code == LODE_ESYNTAX && fm->problem.line == 3 && value_is(fm, kept, "ok", "1", "1"));
  lode_frontmatter_free(fm);
  fm = lode_fm_read("n", nul, sizeof nul - 1, &err);
  CHECK_MSG(fm && fm->problem.code == LODE_ESYNTAX && fm->problem.offset == 10 && strstr(fm->problem.msg, "NUL"),
            "%s", fm->problem.msg);
  lode_frontmatter_free(fm);
  /* inline tables nested deeper than the limit: skipped, no overflow */
  n = (size_t)snprintf(s, sizeof s, "+++\na = ");
  for (k = 0; k < 300; k++) n += (size_t)snprintf(s + n, sizeof s - n, "{b=");
  s[n++] = '1';
  for (k = 0; k < 300; k++) s[n++] = '}';
  snprintf(s + n, sizeof s - n, "\nz = 2\n+++\n");
  fm = read_str(s);
  CHECK_MSG(fm->problem.code == LODE_OK && value_is(fm, s, "z", "2", "2"), "%s", fm->problem.msg);
  CHECK(fm->nfields == 1);
  lode_frontmatter_free(fm);
}

/* Past 64 levels libyaml's scanner would take minutes: those brackets are
 * read as spaces, but a quoted value full of brackets stays as written,
 * and the levels lode keeps read the same. */
static void test_deep_flow_quoted(void) {
  char s[1024], want[128];
  size_t n, k;
  lode_frontmatter *fm;
  memset(want, '[', 100);
  want[100] = '\0';
  n = (size_t)sprintf(s, "---\ntitle: \"%s\"\nnote: '%s'\na: [x, ", want, want);
  for (k = 0; k < 80; k++) s[n++] = '[';
  s[n++] = 'y';
  for (k = 0; k < 80; k++) s[n++] = ']';
  n += (size_t)sprintf(s + n, "]\nz: 1\n---\n");
  fm = read_str(s);
  CHECK_MSG(fm->problem.code == LODE_OK, "%s", fm->problem.msg);
  CHECK(field(fm, "title") && strcmp(field(fm, "title")->items[0].value, want) == 0);
  CHECK(field(fm, "note") && strcmp(field(fm, "note")->items[0].value, want) == 0);
  CHECK(field(fm, "a") && field(fm, "a")->nitems == 1 && strcmp(field(fm, "a")->items[0].value, "x") == 0);
  CHECK(value_is(fm, s, "z", "1", "1"));
  lode_frontmatter_free(fm);
}

/* Lists nested 100,000 deep, in YAML and TOML: skipped, no stack overflow. */
static void test_deep_lists(void) {
  size_t depth = test_scale(100000), n, k;
  char *s = malloc(2 * depth + 64);
  int t;
  for (t = 0; t < 2; t++) {
    lode_frontmatter *fm;
    n = (size_t)sprintf(s, t ? "+++\na = " : "---\na: ");
    for (k = 0; k < depth; k++) s[n++] = '[';
    for (k = 0; k < depth; k++) s[n++] = ']';
    n += (size_t)sprintf(s + n, t ? "\nz = 1\n+++\n" : "\nz: 1\n---\n");
    fm = read_str(s);
    CHECK_MSG(fm->problem.code == LODE_OK && fm->nfields == 2, "%s", fm->problem.msg);
    CHECK(value_is(fm, s, "z", "1", "1"));
    CHECK(fm->fields[0].is_list && fm->fields[0].nitems == 0);
    lode_frontmatter_free(fm);
  }
  free(s);
}

static void test_huge(void) {
  /* a 10 MB block: one long value and many keys */
  size_t target = test_scale(10u << 20), n = 0, keys = 0;
  char *s = malloc(target + 256);
  lode_error err;
  lode_frontmatter *fm;
  double t0;
  n += (size_t)sprintf(s + n, "---\nlong: ");
  while (n < target / 2) s[n++] = 'x';
  n += (size_t)sprintf(s + n, "\n");
  while (n < target) n += (size_t)sprintf(s + n, "key%zu: value %zu\n", keys, keys), keys++;
  n += (size_t)sprintf(s + n, "---\nbody\n");
  t0 = test_now();
  fm = lode_fm_read("big", s, n, &err);
  CHECK(fm && fm->problem.code == LODE_OK && fm->nfields == keys + 1);
  CHECK(fm && fm->fields[0].items[0].value_len == target / 2 - 10);
  CHECK(fm && check_spans(fm, s, n));
  CHECK(fm && strcmp(fm->fields[keys].key, "key" ) > 0);
  printf("10 MB block: %.3f s\n", test_now() - t0);
  lode_frontmatter_free(fm);
  /* an unclosed 10 MB block: no front matter */
  s[n - 9] = 'X';
  fm = lode_fm_read("big", s, n, &err);
  CHECK(fm && fm->block.format == LODE_FM_NONE && fm->problem.code == LODE_ESYNTAX);
  lode_frontmatter_free(fm);
  free(s);
}

/* Speed (LODE_TEST_BENCH only): pages of the corpus under a YAML or a TOML
 * block, split alone and split + read; MB/s over all page bytes. */
static void bench(void) {
  static const char *const heads[] = {
      "---\nlayout: post\ntitle: \"A title with \\\"quotes\\\"\"\ndate: 2024-03-05 09:30:00 +0100\n"
      "author: Ana Petrosyan\ncategories: [News, Politics]\ntags:\n  - one\n  - 'two'\n"
      "image:\n  path: /img/a.jpg\n  alt: A bridge\nexcerpt: >-\n  Two folded\n  lines.\n---\n",
      "+++\ntitle = \"A title\"\ndate = 2024-01-18T06:45:00+04:00\nauthors = [\"A B\", 'C D']\n"
      "tags = [\n  \"x\",  # main\n  \"y\",\n]\n[params]\nseries = \"S\"\nplace = { city = \"G\" }\n+++\n"};
  size_t k, npages = 0, total = 0, fields = 0;
  char *pages[10];
  size_t lens[10];
  double t0, t_split, t_read;
  int round, rounds = 2000;
  lode_error err;
  for (k = 0; k < TEST_NCORPUS; k++) {
    size_t n, h;
    char *body = test_read_corpus(k, &n);
    for (h = 0; h < 2; h++) {
      size_t hl = strlen(heads[h]);
      pages[npages] = malloc(hl + n);
      memcpy(pages[npages], heads[h], hl);
      memcpy(pages[npages] + hl, body, n);
      lens[npages++] = hl + n;
    }
    free(body);
  }
  t0 = test_now();
  for (round = 0; round < rounds; round++)
    for (k = 0; k < npages; k++) {
      lode_fm_block b;
      total += lens[k];
      fields += lode_fm_split(pages[k], lens[k], &b) != LODE_FM_NONE;
    }
  t_split = test_now() - t0;
  t0 = test_now();
  for (round = 0; round < rounds; round++)
    for (k = 0; k < npages; k++) {
      lode_frontmatter *fm = lode_fm_read("b", pages[k], lens[k], &err);
      fields += fm->nfields;
      lode_frontmatter_free(fm);
    }
  t_read = test_now() - t0;
  printf("speed: %zu pages, %.0f MB: split %.0f MB/s, split + read %.0f MB/s (%zu)\n",
         npages * (size_t)rounds, (double)total / 1e6, (double)total / 1e6 / t_split,
         (double)total / 1e6 / t_read, fields);
  for (k = 0; k < npages; k++) free(pages[k]);
}

int main(void) {
  test_jekyll();
  test_quotes_and_blocks();
  test_lists_and_maps();
  test_deep_maps();
  test_fences();
  test_malformed();
  test_junk();
  test_toml();
  test_toml_empty();
  test_toml_malformed();
  test_deep_lists();
  test_deep_flow_quoted();
  test_huge();
  if (test_bench_wanted()) bench();
  return test_report();
}
