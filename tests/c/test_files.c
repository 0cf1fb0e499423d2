/* test_files.c -- expanding paths: directory walks, globs, link loops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "test.h"

/* What one expansion found: the paths (joined with '\n') and the loops. */
typedef struct found {
  char paths[8192];
  size_t files, loops;
  char loop_msg[2048];
  size_t stop_after;     /* non-zero: stop the walk after this many files */
} found;

static int on_file(void *ud, const char *path) {
  found *f = ud;
  strncat(f->paths, path, sizeof f->paths - strlen(f->paths) - 2);
  strcat(f->paths, "\n");
  f->files++;
  return f->stop_after && f->files == f->stop_after ? 7 : 0;
}

static void on_loop(void *ud, const char *path, const char *msg) {
  found *f = ud;
  (void)path;
  f->loops++;
  strncat(f->loop_msg, msg, sizeof f->loop_msg - strlen(f->loop_msg) - 2);
  strcat(f->loop_msg, "\n");
}

static char root[256];

static void put(const char *rel, const char *text) {
  char p[512];
  FILE *fp;
  snprintf(p, sizeof p, "%s/%s", root, rel);
  fp = fopen(p, "w");
  if (fp) { fputs(text, fp); fclose(fp); }
}

static void sub(const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  mkdir(p, 0700);
}

static void link_to(const char *target, const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  if (symlink(target, p) != 0) perror(p);
}

static int expand(const char *rel, found *f, lode_error *err) {
  char p[512];
  memset(f->paths, 0, sizeof f->paths);
  memset(f->loop_msg, 0, sizeof f->loop_msg);
  f->files = f->loops = 0;
  snprintf(p, sizeof p, "%s%s%s", root, *rel ? "/" : "", rel);
  return lode_files_expand(p, on_file, on_loop, f, err);
}

/* A tree with two link loops (each makes an endless walk on its own when
 * links are followed blindly) and a second way into a directory. */
static void test_loops(void) {
  found f = {{0}, 0, 0, {0}, 0};
  lode_error err;
  char want[1024];
  sub("a");
  sub("a/b");
  put("a/b/x.txt", "x");
  put("a/y.txt", "y");
  link_to("..", "a/b/up");            /* loop: back to a */
  link_to("../../a", "a/b/again");    /* loop: a again, another way */
  link_to("a/b", "side");             /* a second way into a/b */
  link_to("nowhere", "a/broken");     /* broken: handed on as a document */
  CHECK(expand("", &f, &err) == 0);
  snprintf(want, sizeof want, "%s/a/b/x.txt\n%s/a/broken\n%s/a/y.txt\n", root, root, root);
  CHECK_MSG(strcmp(f.paths, want) == 0, "got:\n%s", f.paths);
  CHECK_MSG(f.loops == 3, "%zu loops:\n%s", f.loops, f.loop_msg);
  snprintf(want, sizeof want, "%s/a/b/again: the directory %s/a again, through a symbolic link "
           "(a link loop, or a second link to it); walked once only\n", root, root);
  CHECK_MSG(strstr(f.loop_msg, want) != NULL, "%s", f.loop_msg);
  CHECK_MSG(strstr(f.loop_msg, "/a/b/up: the directory ") != NULL &&
            strstr(f.loop_msg, "/side: the directory ") != NULL, "%s", f.loop_msg);

  /* Started inside the loop, through the link: each directory once. */
  CHECK(expand("side", &f, &err) == 0);
  CHECK_MSG(f.files == 3 && f.loops == 2, "%zu files, %zu loops:\n%s%s", f.files, f.loops,
            f.paths, f.loop_msg);

  /* A glob over the links: the first way in wins, the others are told. */
  CHECK(expand("[as]*", &f, &err) == 0);
  CHECK_MSG(f.files == 3 && f.loops == 3, "%zu files, %zu loops", f.files, f.loops);

  /* No loop callback: the same walk, silently. */
  {
    char p[512];
    snprintf(p, sizeof p, "%s", root);
    f.files = 0;
    memset(f.paths, 0, sizeof f.paths);
    CHECK(lode_files_expand(p, on_file, NULL, &f, &err) == 0 && f.files == 3);
  }

  /* A callback's stop value still ends the walk. */
  f.stop_after = 1;
  CHECK(expand("", &f, &err) == 7 && f.files == 1);
  f.stop_after = 0;

  /* What names nothing is an error naming it. */
  CHECK(expand("missing", &f, &err) == LODE_EIO && strstr(err.msg, "missing: No such file") != NULL);
  CHECK(expand("*.none", &f, &err) == LODE_EIO && strstr(err.msg, "no file matches") != NULL);

  /* A FIFO named by the user is an error (reading it would block); met
   * inside a walk it is no document and skipped. */
  {
    char p[512];
    snprintf(p, sizeof p, "%s/a/pipe", root);
    CHECK(mkfifo(p, 0600) == 0);
    CHECK(expand("a/pipe", &f, &err) == LODE_EIO && strstr(err.msg, "pipe: not a regular file (a FIFO)") != NULL);
    CHECK(expand("a", &f, &err) == 0 && f.files == 3 && strstr(f.paths, "pipe") == NULL);
    CHECK(lode_files_expand("/dev/zero", on_file, on_loop, &f, &err) == LODE_EIO &&
          strcmp(err.msg, "/dev/zero: not a regular file (a character device)") == 0);
  }
}

/* Many directories: the set of walked ones grows past its first size. */
static void test_many_dirs(void) {
  found f = {{0}, 0, 0, {0}, 0};
  lode_error err;
  char rel[64];
  int k;
  sub("many");
  for (k = 0; k < 300; k++) {
    snprintf(rel, sizeof rel, "many/d%03d", k);
    sub(rel);
  }
  link_to("../d000", "many/d299/back");
  CHECK(expand("many", &f, &err) == 0 && f.files == 0 && f.loops == 1);
}

int main(void) {
  char cmd[300];
  snprintf(root, sizeof root, "%s", "/tmp/lode-test-files-XXXXXX");
  if (!mkdtemp(root)) { perror("mkdtemp"); return 2; }
  test_loops();
  test_many_dirs();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
  return test_report();
}
