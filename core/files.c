/* files.c -- files, directories and globs to a list of documents (files.h). */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int walk(const char *path, int top, lode_file_fn fn, void *ud, lode_error *err);

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read a directory's visible entry names, sorted; caller frees each and the array. */
static int read_names(const char *dir, char ***names, size_t *n, lode_error *err) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t cap = 0;
  *names = NULL;
  *n = 0;
  char ebuf[128];
  if (!d)
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: %s", dir,
                          lode_errno_text(errno, ebuf, sizeof ebuf));
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;  /* ., .., hidden files and dirs */
    if (*n == cap) {
      char **grown = realloc(*names, (cap = cap ? 2 * cap : 16) * sizeof *grown);
      if (!grown) goto nomem;
      *names = grown;
    }
    if (((*names)[*n] = strdup(e->d_name)) == NULL) goto nomem;
    (*n)++;
  }
  closedir(d);
  if (*n) qsort(*names, *n, sizeof **names, cmp_names);
  return 0;
nomem:
  closedir(d);
  while (*n) free((*names)[--*n]);
  free(*names);
  *names = NULL;
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", dir);
}

static int walk_dir(const char *dir, int top, lode_file_fn fn, void *ud, lode_error *err) {
  char **names;
  size_t n, k;
  int rc = read_names(dir, &names, &n, err);
  /* An unreadable directory met inside a walk is handed on as a document:
   * loading it fails with a message that names it, and the walk goes on. */
  if (rc == LODE_EIO && !top) {
    lode_error_clear(err);
    return fn(ud, dir);
  }
  size_t dlen = strlen(dir);
  for (k = 0; k < n && rc == 0; k++) {
    size_t len = dlen + 1 + strlen(names[k]) + 1;
    char *child = malloc(len);
    if (!child) {
      rc = lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", dir);
      break;
    }
    /* "dir/" already ends with a slash when the user typed it so */
    if (dlen && dir[dlen - 1] == '/') memcpy(child, dir, dlen), strcpy(child + dlen, names[k]);
    else memcpy(child, dir, dlen), child[dlen] = '/', strcpy(child + dlen + 1, names[k]);
    rc = walk(child, 0, fn, ud, err);
    free(child);
  }
  for (k = 0; k < n; k++) free(names[k]);
  free(names);
  return rc;
}

/* `top`: the path the user named (an error stops the expansion); inside a
 * walk, an entry that cannot be examined (a broken link, a link loop) is
 * handed on as a document instead, so its failure becomes the document's
 * error and nothing after it is lost. */
static int walk(const char *path, int top, lode_file_fn fn, void *ud, lode_error *err) {
  struct stat st;
  char ebuf[128];
  if (stat(path, &st) != 0) {
    if (!top) return fn(ud, path);
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: %s", path,
                          lode_errno_text(errno, ebuf, sizeof ebuf));
  }
  if (S_ISDIR(st.st_mode)) return walk_dir(path, top, fn, ud, err);
  if (S_ISREG(st.st_mode)) return fn(ud, path);
  return 0;  /* sockets, fifos, devices met in a walk: not documents */
}

int lode_files_expand(const char *path, lode_file_fn fn, void *ud, lode_error *err) {
  struct stat st;
  glob_t g;
  size_t k;
  int rc = 0;
  if (!path || !fn) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "no path given");
  lode_error_clear(err);
  /* An existing path is taken literally, even if it contains glob characters. */
  if (stat(path, &st) == 0 || !strpbrk(path, "*?["))
    return walk(path, 1, fn, ud, err);
  if (glob(path, 0, NULL, &g) != 0)
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: no file matches", path);
  for (k = 0; k < g.gl_pathc && rc == 0; k++) rc = walk(g.gl_pathv[k], 0, fn, ud, err);
  globfree(&g);
  return rc;
}
