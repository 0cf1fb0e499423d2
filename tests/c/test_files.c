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

/* `want` is the name lode_names_of gives `path` found under roots[k]. */
static void check_name(const lode_names *nm, size_t k, const char *path, const char *want) {
  char *got = lode_names_of(nm, k, path);
  CHECK_MSG(got && strcmp(got, want) == 0, "%s under root %zu: got %s, want %s", path, k,
            got ? got : "NULL", want);
  free(got);
}

/* Document identity: below a directory, its base name and the path below;
 * two directories of one base name keep their paths; a file as given. */
static void test_names(void) {
  char one[512], two[512], same[512], file[512];
  const char *roots[5] = {one, two, same, file, "no/such/dir"};
  lode_names *nm;
  sub("n1");
  sub("n1/press");
  sub("n2");
  sub("n2/press");
  sub("n1/press/2021");
  put("n1/press/2021/index.txt", "x");
  snprintf(one, sizeof one, "%s/n1/press/", root);
  snprintf(two, sizeof two, "%s/n2/press", root);
  snprintf(same, sizeof same, "%s/n1/./press", root);
  snprintf(file, sizeof file, "./%s/n1/press/2021/index.txt", root + 1);  /* "./tmp/..." */
  nm = lode_names_new(roots, 5);
  CHECK(nm != NULL);
  {
    char path[600], want[600];
    snprintf(path, sizeof path, "%s2021//index.txt", one);
    snprintf(want, sizeof want, "%s/n1/press/2021/index.txt", root);
    check_name(nm, 0, path, want);             /* "press" twice: as given */
    snprintf(path, sizeof path, "%s/a.txt", two);
    snprintf(want, sizeof want, "%s/n2/press/a.txt", root);
    check_name(nm, 1, path, want);
    check_name(nm, 3, file, file + 2);         /* a file: as given, no "./" */
    check_name(nm, 4, "no/such/dir", "no/such/dir");
    check_name(nm, 99, "./a/./b//c", "a/b/c");  /* a path on stdin */
  }
  lode_names_free(nm);
  /* one root alone, and the same directory twice: its base name */
  nm = lode_names_new(roots, 1);
  check_name(nm, 0, "x", "x");
  {
    char path[600];
    snprintf(path, sizeof path, "%s2021/index.txt", one);
    check_name(nm, 0, path, "press/2021/index.txt");
  }
  lode_names_free(nm);
  {
    const char *twice[2] = {one, same};
    char path[600];
    nm = lode_names_new(twice, 2);
    snprintf(path, sizeof path, "%s/2021/index.txt", same);
    check_name(nm, 1, path, "press/2021/index.txt");
    lode_names_free(nm);
  }
  check_name(NULL, 0, "", ".");
  check_name(NULL, 0, "//", "/");
  lode_names_free(NULL);
}

int main(void) {
  char cmd[300];
  snprintf(root, sizeof root, "%s", "/tmp/lode-test-files-XXXXXX");
  if (!mkdtemp(root)) { perror("mkdtemp"); return 2; }
  test_loops();
  test_many_dirs();
  test_names();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
  return test_report();
}
