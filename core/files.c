/* files.c -- files, directories and globs to a list of documents (files.h). */
/* realpath() is X/Open, not POSIX; the build asks for POSIX only. */
#define _XOPEN_SOURCE 700

#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The directories one expansion has walked, by device and inode (an open
 * addressing hash set; `path` is where each was first reached, for the
 * loop message). */
typedef struct seen_dir {
  dev_t dev;
  ino_t ino;
  char *path;       /* NULL: an empty slot */
} seen_dir;

typedef struct walker {
  lode_file_fn fn;
  lode_loop_fn on_loop;
  void *ud;
  lode_error *err;
  seen_dir *dirs;
  size_t cap, n;    /* cap is 0 or a power of two */
} walker;

static size_t dir_slot(const walker *w, dev_t dev, ino_t ino) {
  uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4Fu);
  size_t i = (size_t)(h ^ (h >> 29)) & (w->cap - 1);
  while (w->dirs[i].path && (w->dirs[i].dev != dev || w->dirs[i].ino != ino))
    i = (i + 1) & (w->cap - 1);
  return i;
}

/* Record directory `st` reached at `path`. Returns 1 when it is new, 0 when
 * it was walked already (*first: where), -1 when out of memory. */
static int mark_dir(walker *w, const struct stat *st, const char *path, const char **first) {
  size_t i;
  if (2 * (w->n + 1) > w->cap) {         /* keep the table at most half full */
    size_t k, cap = w->cap ? 2 * w->cap : 64;
    seen_dir *old = w->dirs, *grown = calloc(cap, sizeof *grown);
    if (!grown) return -1;
    w->dirs = grown;
    for (k = 0, w->cap = cap; old && k < cap / 2; k++)
      if (old[k].path) w->dirs[dir_slot(w, old[k].dev, old[k].ino)] = old[k];
    free(old);
  }
  i = dir_slot(w, st->st_dev, st->st_ino);
  if (w->dirs[i].path) {
    *first = w->dirs[i].path;
    return 0;
  }
  if ((w->dirs[i].path = strdup(path)) == NULL) return -1;
  w->dirs[i].dev = st->st_dev;
  w->dirs[i].ino = st->st_ino;
  w->n++;
  return 1;
}

static void free_dirs(walker *w) {
  size_t k;
  for (k = 0; k < w->cap; k++) free(w->dirs[k].path);
  free(w->dirs);
}

static int walk(walker *w, const char *path, int top);

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

static int walk_dir(walker *w, const char *dir, int top) {
  char **names;
  size_t n, k;
  int rc = read_names(dir, &names, &n, w->err);
  /* An unreadable directory met inside a walk is handed on as a document:
   * loading it fails with a message that names it, and the walk goes on. */
  if (rc == LODE_EIO && !top) {
    lode_error_clear(w->err);
    return w->fn(w->ud, dir);
  }
  size_t dlen = strlen(dir);
  for (k = 0; k < n && rc == 0; k++) {
    size_t len = dlen + 1 + strlen(names[k]) + 1;
    char *child = malloc(len);
    if (!child) {
      rc = lode_error_set(w->err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", dir);
      break;
    }
    /* "dir/" already ends with a slash when the user typed it so */
    if (dlen && dir[dlen - 1] == '/') memcpy(child, dir, dlen), strcpy(child + dlen, names[k]);
    else memcpy(child, dir, dlen), child[dlen] = '/', strcpy(child + dlen + 1, names[k]);
    rc = walk(w, child, 0);
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
static int walk(walker *w, const char *path, int top) {
  struct stat st;
  char ebuf[128];
  if (stat(path, &st) != 0) {
    if (!top) return w->fn(w->ud, path);
    return lode_error_set(w->err, LODE_EIO, LODE_NOPOS, 0, "%s: %s", path,
                          lode_errno_text(errno, ebuf, sizeof ebuf));
  }
  if (S_ISDIR(st.st_mode)) {
    const char *first = NULL;
    int fresh = mark_dir(w, &st, path, &first);
    if (fresh < 0) return lode_error_set(w->err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", path);
    if (fresh) return walk_dir(w, path, top);
    if (w->on_loop) {
      char msg[1024];
      snprintf(msg, sizeof msg, "%s: the directory %s again, through a symbolic link "
               "(a link loop, or a second link to it); walked once only", path, first);
      w->on_loop(w->ud, path, msg);
    }
    return 0;
  }
  if (S_ISREG(st.st_mode)) return w->fn(w->ud, path);
  if (top)
    return lode_error_set(w->err, LODE_EIO, LODE_NOPOS, 0, "%s: not a regular file (%s)",
                          path, lode_files_kind(st.st_mode));
  return 0;  /* sockets, fifos, devices met in a walk: not documents */
}

const char *lode_files_kind(unsigned long mode) {
  mode_t m = (mode_t)mode;
  if (S_ISREG(m)) return "a regular file";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

int lode_files_expand(const char *path, lode_file_fn fn, lode_loop_fn on_loop, void *ud,
                      lode_error *err) {
  walker w = {fn, on_loop, ud, err, NULL, 0, 0};
  struct stat st;
  glob_t g;
  size_t k;
  int rc = 0;
  if (!path || !fn) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "no path given");
  lode_error_clear(err);
  /* An existing path is taken literally, even if it contains glob characters. */
  if (stat(path, &st) == 0 || !strpbrk(path, "*?[")) {
    rc = walk(&w, path, 1);
  } else if (glob(path, 0, NULL, &g) != 0) {
    rc = lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: no file matches", path);
  } else {
    for (k = 0; k < g.gl_pathc && rc == 0; k++) rc = walk(&w, g.gl_pathv[k], 0);
    globfree(&g);
  }
  free_dirs(&w);
  return rc;
}

/* ------------------------------------------------------ document identity */

struct lode_names {
  size_t n;
  char **prefix;    /* per root: what names below it start with ("" none);
                       NULL for a root that is not a directory */
  char **root;      /* per root: the root, tidied (tidy()) */
};

/* `p` without "." components, doubled or trailing slashes: "./a//b/" is
 * "a/b"; "" and "./" are ".", "//" is "/". Caller frees. */
static char *tidy(const char *p) {
  size_t len = strlen(p), o = 0;
  char *out = malloc(len + 2);
  const char *s = p;
  if (!out) return NULL;
  if (*s == '/') out[o++] = '/';
  while (*s) {
    size_t k = strcspn(s, "/");
    if (k && !(k == 1 && s[0] == '.')) {
      if (o && out[o - 1] != '/') out[o++] = '/';
      memcpy(out + o, s, k);
      o += k;
    }
    s += k;
    while (*s == '/') s++;
  }
  if (o == 0) out[o++] = '.';
  out[o] = '\0';
  return out;
}

/* The base name a directory root lends its documents' names (tidied
 * `dir`, as typed `typed`): its last component, or the real directory's
 * for "." and ".."; "" for "/". Caller frees. */
static char *base_name(const char *dir, const char *typed) {
  const char *slash = strrchr(dir, '/'), *last = slash ? slash + 1 : dir;
  char *real = NULL, *out;
  if (strcmp(dir, "/") == 0) return strdup("");
  if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
    if ((real = realpath(typed, NULL)) == NULL) return strdup(last);
    slash = strrchr(real, '/');
    last = slash ? slash + 1 : real;
  }
  out = strdup(last);
  free(real);
  return out;
}

/* Whether roots a and b are one directory (same device and inode). */
static int same_dir(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Whether directory root k shares its base name with another directory
 * root of the run (not the same directory). */
static int base_shared(const lode_names *nm, char *const *base, const char *const *roots,
                       size_t k) {
  size_t j;
  for (j = 0; j < nm->n; j++)
    if (j != k && base[j] && strcmp(base[j], base[k]) == 0 &&
        strcmp(nm->root[j], nm->root[k]) != 0 && !same_dir(roots[j], roots[k]))
      return 1;
  return 0;
}

lode_names *lode_names_new(const char *const *roots, size_t n) {
  lode_names *nm = calloc(1, sizeof *nm);
  char **base = calloc(n ? n : 1, sizeof *base);
  size_t k;
  if (!nm || !base || !(nm->prefix = calloc(n ? n : 1, sizeof *nm->prefix)) ||
      !(nm->root = calloc(n ? n : 1, sizeof *nm->root)))
    goto nomem;
  nm->n = n;
  for (k = 0; k < n; k++) {
    struct stat st;
    if ((nm->root[k] = tidy(roots[k])) == NULL) goto nomem;
    if (stat(roots[k], &st) == 0 && S_ISDIR(st.st_mode) &&
        (base[k] = base_name(nm->root[k], roots[k])) == NULL)
      goto nomem;
  }
  /* two directories of one base name: each keeps its path as given */
  for (k = 0; k < n; k++)
    if (base[k] && (nm->prefix[k] = strdup(base_shared(nm, base, roots, k)
                                           ? nm->root[k] : base[k])) == NULL)
      goto nomem;
  for (k = 0; k < n; k++) free(base[k]);
  free(base);
  return nm;
nomem:
  for (k = 0; base && k < n; k++) free(base[k]);
  free(base);
  lode_names_free(nm);
  return NULL;
}

void lode_names_free(lode_names *nm) {
  size_t k;
  if (!nm) return;
  for (k = 0; k < nm->n; k++) {
    if (nm->prefix) free(nm->prefix[k]);
    if (nm->root) free(nm->root[k]);
  }
  free(nm->prefix);
  free(nm->root);
  free(nm);
}

char *lode_names_of(const lode_names *nm, size_t k, const char *path) {
  char *p = tidy(path), *out;
  const char *root, *prefix, *below;
  size_t rlen;
  if (!p || !nm || k >= nm->n || !nm->prefix[k]) return p;
  root = nm->root[k];
  prefix = nm->prefix[k];
  rlen = strlen(root);
  if (strcmp(root, ".") == 0) below = p;
  else if (strcmp(root, "/") == 0 && p[0] == '/') below = p + 1;
  else if (strncmp(p, root, rlen) == 0 && p[rlen] == '/') below = p + rlen + 1;
  else return p;    /* not below the root: as given */
  if ((out = malloc(strlen(prefix) + 1 + strlen(below) + 1)) != NULL)
    sprintf(out, "%s%s%s", prefix, *prefix ? "/" : "", below);
  free(p);
  return out;
}
