/*
 * host.h -- the parts of the `lode` program that share a Lua state set-up.
 *
 * Exit codes of `lode` (documented in the README):
 *   0 success; 1 the script failed (error, or could not be loaded), or
 *   its output could not be written (a full disk, a closed pipe);
 *   2 usage error; 3 a batch finished but some documents failed.
 */
#ifndef LODE_HOST_H
#define LODE_HOST_H

#include <lua.h>

enum { LODE_EXIT_OK = 0, LODE_EXIT_SCRIPT = 1, LODE_EXIT_USAGE = 2, LODE_EXIT_DOCS = 3 };

/* A new Lua state with the standard libraries, lode.core preloaded and the
 * lode Lua library on package.path (found next to the binary, in the build
 * tree or the install prefix). NULL if memory runs out. */
lua_State *lode_host_state(void);
/* The same set-up of a state made otherwise (budget.c's allocator);
 * returns L. */
lua_State *lode_host_setup(lua_State *L);

/* The path of a file or directory shipped with lode, into buf: `in_source`
 * (relative to the source tree) when this program runs from its build
 * tree, else `installed` (relative to the install prefix) next to the
 * running binary. */
void lode_host_shipped_path(char *buf, size_t size, const char *in_source, const char *installed);

/* lua_pcall with a traceback handler; on error leaves the message on the
 * stack and returns the status. */
int lode_host_pcall(lua_State *L, int narg, int nres);

/* Print the error message on top of the stack to stderr ("lode: ...")
 * and pop it. */
void lode_host_report(lua_State *L);

/* Make the io library of state L raise on failed writes (iocheck.c);
 * lode_host_state() does it for every state. */
void lode_host_check_io(lua_State *L);
/* Did a file a script left open fail to be written when it was collected?
 * Prints the first such failure ("lode: ...") and returns 1, else 0. */
int lode_host_io_failed(void);
/* At exit, flush and close standard output; on failure print a message
 * and end with status 1 (LODE_EXIT_SCRIPT). Also ignore SIGXFSZ, so a
 * write past the file size limit fails (EFBIG) and is reported. Call once,
 * early in main. */
void lode_host_check_writes(void);
/* Ignore signal `sig` (SIGPIPE, SIGXFSZ): the write fails with an errno
 * that is reported instead. */
void lode_host_ignore_signal(int sig);

/* Run the interactive read-eval-print loop; returns an exit code. */
int lode_repl(lua_State *L);
/* `:help NAME` (help.c): print docs/API.md's entry for NAME to stdout, or
 * say there is none and suggest close names. */
void lode_help(const char *name);

/* --- batch jobs (batch.c, mapred.c) ---------------------------------------
 * Each takes the arguments after the command name and returns an exit code;
 * `L` (the host's state) runs `lode reduce`; batch and map make states of
 * their own, each within a budget (budget.h), the reduce step's included. */
int lode_batch_main(lua_State *L, int argc, char **argv);   /* lode batch ... */
int lode_map_main(lua_State *L, int argc, char **argv);     /* lode map ...   */
int lode_reduce_main(lua_State *L, int argc, char **argv);  /* lode reduce ... */

#endif
