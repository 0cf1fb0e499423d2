/*
 * files.h -- expanding the paths a user names into the documents to read.
 *
 * A path may be a file, a directory (walked recursively, entries sorted by
 * name so every run sees the same order, hidden files skipped) or a glob
 * pattern (POSIX glob(3)). lode_files_expand() calls `fn` once per regular
 * file, in order. It is re-entrant and keeps no state between calls.
 */
#ifndef LODE_FILES_H
#define LODE_FILES_H

#include <stddef.h>

#include "error.h"

/* Return non-zero from fn to stop the walk; that value is returned. */
typedef int (*lode_file_fn)(void *ud, const char *path);

/* Told of a directory reached again through a symbolic link (a link loop,
 * or a second way to a directory already walked), which is not walked
 * again: `msg` names the link and the directory it leads to. */
typedef void (*lode_loop_fn)(void *ud, const char *path, const char *msg);

/* Expand one user-supplied path. Returns 0 when done, the callback's
 * non-zero value if it stopped the walk, or LODE_EIO (with `err`: "PATH: No
 * such file or directory") when the path names nothing. Inside a walk, an
 * entry that cannot be examined or read (a broken link, an unreadable
 * subdirectory) is passed to `fn` like a file: loading it then fails with
 * a message naming it, and the entries after it are still visited.
 * A path named at the top that is neither a file nor a directory (a FIFO,
 * a device) is LODE_EIO, "PATH: not a regular file (a FIFO)": reading one
 * would block or never end; met inside a walk, such entries are skipped.
 * Each real directory (device and inode) is walked once per call, so link
 * loops end and no file is listed twice through links to its directory;
 * `on_loop` (may be NULL) hears of each link not followed, once.
 * LODE_ENOMEM (with `err`) when memory runs out. */
int lode_files_expand(const char *path, lode_file_fn fn, lode_loop_fn on_loop,
                      void *ud, lode_error *err);

/* What the file of st_mode `mode` is, for messages: "a directory", "a
 * FIFO", "a character device", "a block device", "a socket", "a regular
 * file" (or "not a regular file"). */
const char *lode_files_kind(unsigned long mode);

/* Document identity: the name a document goes by in records ("doc"), the
 * same in every run from any working directory, unique within a run.
 *   - below a directory named as a root: the directory's base name and the
 *     path below it, "corpus/2024/000.txt" (the real directory's name for
 *     "." or ".."; nothing before the path below "/"); two roots of one base
 *     name that are different directories keep their paths as given;
 *   - a file named as a root, a glob's match, or a path read on stdin: the
 *     path as given;
 * always without "." components, doubled or trailing slashes.
 * lode_names_new() reads the run's roots once (the PATHS as given to
 * lode_files_expand); free with lode_names_free() (NULL is fine). NULL
 * when memory runs out. */
typedef struct lode_names lode_names;
lode_names *lode_names_new(const char *const *roots, size_t n);
void lode_names_free(lode_names *names);

/* The name of `path`, as lode_files_expand(roots[k]) reported it; a `k`
 * past the roots (or NULL names) names `path` as given. Owned by the
 * caller (free()); NULL when memory runs out. */
char *lode_names_of(const lode_names *names, size_t k, const char *path);

#endif
