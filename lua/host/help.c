/*
 * help.c -- `:help NAME` in the REPL: the entry of the API reference,
 * docs/API.md (installed as <prefix>/share/doc/lode/API.md), for NAME.
 *
 * An entry is a "### " heading whose first word is the name it documents
 * ("### lode.kwic(doc, pattern [, width])" documents "lode.kwic") and the
 * lines down to the next heading. A name not found is looked up by its last
 * part ("kwic", "d:line" finds "doc:line"); failing that, the names closest
 * in spelling are suggested.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define MAX_SUGGESTIONS 5

/* The whole file, NUL-terminated (free with free), or NULL with errno set. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *s = NULL, *grown;
  size_t len = 0, cap = 0, n = 1;
  if (!f) return NULL;
  while (n > 0) {
    if (cap - len < 4096) {
      if ((grown = realloc(s, cap * 2 + 8192)) == NULL) {
        free(s);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      s = grown;
      cap = cap * 2 + 8192;
    }
    n = fread(s + len, 1, cap - len - 1, f);
    len += n;
  }
  if (ferror(f)) {
    free(s);
    s = NULL;
  } else {
    s[len] = '\0';
  }
  fclose(f);
  return s;
}

/* The name a heading documents: its leading run of name characters. */
static size_t name_len(const char *heading) {
  size_t n = strspn(heading, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:");
  while (n > 0 && (heading[n - 1] == '.' || heading[n - 1] == ':')) n--;
  return n;
}

/* The part after the last '.' or ':' of s[0, len). */
static const char *last_part(const char *s, size_t len, size_t *plen) {
  size_t k = len;
  while (k > 0 && s[k - 1] != '.' && s[k - 1] != ':') k--;
  *plen = len - k;
  return s + k;
}

/* Levenshtein distance of a[0, la) and b[0, lb), both under 64 bytes. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb) {
  size_t row[64], i, j;
  if (la >= 64 || lb >= 64) return (size_t)-1;
  for (j = 0; j <= lb; j++) row[j] = j;
  for (i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (j = 1; j <= lb; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[lb];
}

/* Print an entry: the heading as a title, code blocks indented instead of
 * fenced, up to the next heading. */
static void print_entry(const char *heading) {
  const char *line = heading + 4, *end;
  int code = 0, blanks = 0;
  for (; *line; line = *end ? end + 1 : end) {
    end = strchr(line, '\n');
    if (!end) end = line + strlen(line);
    if (line != heading + 4 && line[0] == '#') break;
    if (strncmp(line, "```", 3) == 0) {
      code = !code;
      continue;
    }
    if (end == line) {               /* blank lines only between others */
      blanks++;
      continue;
    }
    for (; blanks > 0; blanks--) putchar('\n');
    printf("%s%.*s\n", code ? "    " : "", (int)(end - line), line);
  }
}

/* The headings of the reference: pointers to each "### " line. */
typedef struct entries {
  const char *at[1024];
  size_t score[1024];      /* near_miss's distances */
  size_t n;
} entries;

static void find_entries(const char *doc, entries *e) {
  const char *p = doc;
  e->n = 0;
  while (p && e->n < sizeof e->at / sizeof e->at[0]) {
    if (strncmp(p, "### ", 4) == 0) e->at[e->n++] = p;
    p = strchr(p, '\n');
    if (p) p++;
  }
}

/* How far heading h is from `name` (whose last part is part[0, plen)):
 * the edit distance of the names, or one more than that of their last parts
 * if smaller ("lode.kwik" is 1 from "lode.kwic", "kwik" 2). */
static size_t score(const char *name, size_t len, const char *part, size_t plen, const char *h) {
  size_t hl = name_len(h), hpl, d = distance(name, len, h, hl), dp;
  const char *hp = last_part(h, hl, &hpl);
  if (plen > 0 && (dp = distance(part, plen, hp, hpl)) != (size_t)-1 && dp + 1 < d) d = dp + 1;
  return d;
}

/* No entry is named `name`: print the one whose last part is its last
 * part, if there is just one ("kwic", "d:line"); else say so and suggest
 * the closest names. */
static void near_miss(entries *e, const char *name) {
  size_t len = strlen(name), plen, k, n = 0, limit = len / 3 > 2 ? len / 3 : 2;
  const char *part = last_part(name, len, &plen), *same = NULL;
  for (k = 0; k < e->n; k++) {
    const char *h = e->at[k] + 4, *hp;
    size_t hpl;
    e->score[k] = score(name, len, part, plen, h);
    hp = last_part(h, name_len(h), &hpl);
    if (plen > 0 && hpl == plen && memcmp(hp, part, plen) == 0) same = n++ == 0 ? e->at[k] : NULL;
  }
  if (n == 1) {
    print_entry(same);
    return;
  }
  printf("no entry for '%s' in the API reference", name);
  for (n = 0; n < MAX_SUGGESTIONS; n++) {
    size_t best = e->n;
    for (k = 0; k < e->n; k++)
      if (e->score[k] <= limit && (best == e->n || e->score[k] < e->score[best])) best = k;
    if (best == e->n) break;
    printf("%s %.*s", n ? "," : "; did you mean", (int)name_len(e->at[best] + 4), e->at[best] + 4);
    e->score[best] = (size_t)-1;
  }
  printf("%s\n", n ? "?" : "");
}

void lode_help(const char *name) {
  char path[PATH_MAX];
  char *doc;
  entries *e;
  size_t k;
  int found = 0;
  lode_host_shipped_path(path, sizeof path, "docs/API.md", LODE_INSTALL_API_DOC);
  if ((doc = slurp(path)) == NULL) {
    printf("help: cannot read the API reference %s: %s\n", path, strerror(errno));
    return;
  }
  if ((e = malloc(sizeof *e)) != NULL) {
    find_entries(doc, e);
    for (k = 0; k < e->n && !found; k++) {
      const char *h = e->at[k] + 4;
      if (name_len(h) == strlen(name) && strncmp(h, name, strlen(name)) == 0) {
        print_entry(e->at[k]);
        found = 1;
      }
    }
    if (!found) near_miss(e, name);
    free(e);
  }
  free(doc);
  fflush(stdout);
}
