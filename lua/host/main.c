/*
 * main.c -- the `lode` program: run scripts, a REPL, and batch jobs.
 *
 *   lode run SCRIPT [ARGS...]   run a Lua script with `arg` set (also: lode SCRIPT);
 *                               `lode summarize` (or `lode run summarize`) runs a
 *                               shipped script by name
 *   lode repl                   interactive session (also: bare `lode` on a terminal)
 *   lode -                      read a script from stdin (also: bare `lode` on a pipe)
 *   lode batch|map|reduce ...   batch jobs (see `lode --help`)
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "host.h"
#include "lode.h"

static const char usage_text[] =
  "usage: lode [COMMAND] [ARGS...]\n"
  "\n"
  "commands:\n"
  "  run SCRIPT [ARGS...]   run a Lua script; `arg` holds ARGS (also: lode SCRIPT ARGS...);\n"
  "                         a SCRIPT not found as given is one of lode's own scripts\n"
  "                         by name: lode summarize corpus/, lode kwic Baku corpus/\n"
  "  repl                   interactive session with line editing and completion\n"
  "  -                      run the script read from standard input\n"
  "  (none)                 repl on a terminal, otherwise the script on stdin\n"
  "  batch SCRIPT PATHS... [-j N] [-o FILE] [--resume] [--ordered]\n"
  "                         run a job script's map (and reduce) over documents\n"
  "                         on N threads; PATHS are files, directories, globs, or -\n"
  "                         for paths on stdin; JSON lines out\n"
  "      [--max-memory MB] [--max-seconds S]  (batch and map)\n"
  "                         a document that needs more Lua memory in its worker\n"
  "                         or more CPU seconds becomes an error record\n"
  "                         (defaults: lode batch --help); 0: no limit\n"
  "  map SCRIPT [PATHS...] [-j N]\n"
  "                         Hadoop Streaming mapper: paths on stdin, key<TAB>json out\n"
  "  reduce SCRIPT          Hadoop Streaming reducer: sorted key<TAB>json in, JSON lines out\n"
  "\n"
  "options:\n"
  "  -h, --help             show this help\n"
  "  -v, --version          show the version\n"
  "\n"
  "Scripts use the library with: local lode = require \"lode\"\n"
  "exit status: 0 success, 1 script error or output not written (e.g. disk full),\n"
  "             2 usage error, 3 some documents failed\n";

static int usage(FILE *out, int code) {
  fputs(usage_text, out);
  return code;
}

/* Build `arg` as lua.c does: arg[0] = script, arg[1..] = its arguments,
 * negative indices for what came before. */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
  int k;
  lua_createtable(L, argc - script - 1, script + 1);
  for (k = 0; k < argc; k++) {
    lua_pushstring(L, argv[k]);
    lua_rawseti(L, -2, k - script);
  }
  lua_setglobal(L, "arg");
}

/* The script file `name` names, into buf: the path as given if it exists,
 * else a shipped script of that name, with or without ".lua" (`lode run
 * summarize`): scripts/ of the source tree when running from the build
 * tree, <prefix>/share/lode/scripts when installed. Returns 0 (buf holding
 * the name as given) if there is none. */
static int find_script(const char *name, char *buf, size_t size) {
  char dir[PATH_MAX];
  static const char *const ext[] = {"", ".lua"};
  size_t k;
  int n;
  if (access(name, F_OK) != 0 && name[0] != '/' && name[0] != '\0') {
    lode_host_shipped_path(dir, sizeof dir, "scripts", LODE_INSTALL_SCRIPTS_DIR);
    for (k = 0; k < 2; k++) {
      n = snprintf(buf, size, "%s/%s%s", dir, name, ext[k]);
      if (n >= 0 && (size_t)n < size && access(buf, F_OK) == 0) return 1;
    }
  }
  n = snprintf(buf, size, "%s", name);
  return access(name, F_OK) == 0 && n >= 0 && (size_t)n < size;
}

static int is_lua_file(const struct dirent *e) {
  size_t n = strlen(e->d_name);
  return n > 4 && e->d_name[0] != '.' && strcmp(e->d_name + n - 4, ".lua") == 0;
}

/* The shipped scripts' names, for the error that a name is unknown. */
static void list_scripts(FILE *out) {
  char dir[PATH_MAX];
  struct dirent **names;
  int n, k;
  lode_host_shipped_path(dir, sizeof dir, "scripts", LODE_INSTALL_SCRIPTS_DIR);
  n = scandir(dir, &names, is_lua_file, alphasort);
  if (n < 0) {
    fprintf(out, "scripts: none found in %s\n", dir);
    return;
  }
  fputs("scripts (lode NAME [ARGS...]):\n ", out);
  for (k = 0; k < n; k++) {
    fprintf(out, " %.*s", (int)(strlen(names[k]->d_name) - 4), names[k]->d_name);
    free(names[k]);
  }
  free(names);
  fputs("\n", out);
}

/* Load and run a script file (NULL or "-": stdin) with its arguments;
 * a file name not found is looked up among the shipped scripts. */
static int run_script(lua_State *L, char **argv, int argc, int script) {
  char found[PATH_MAX];
  const char *path = argv[script];
  int k, status;
  if (strcmp(path, "-") == 0) path = NULL;
  else if (find_script(path, found, sizeof found)) path = found;
  create_arg_table(L, argv, argc, script);
  if (luaL_loadfile(L, path) != LUA_OK) {
    lode_host_report(L);
    return LODE_EXIT_SCRIPT;
  }
  luaL_checkstack(L, argc, "too many arguments");
  for (k = script + 1; k < argc; k++) lua_pushstring(L, argv[k]);
  status = lode_host_pcall(L, argc - script - 1, 0);
  if (status != LUA_OK) {
    lode_host_report(L);
    return LODE_EXIT_SCRIPT;
  }
  return LODE_EXIT_OK;
}

/* Everything that can raise runs in protected mode, as in lua.c. */
typedef struct host_args {
  int argc;
  char **argv;
  int code;
} host_args;

static int pmain(lua_State *L) {
  host_args *a = lua_touserdata(L, 1);
  int argc = a->argc;
  char **argv = a->argv;
  const char *cmd = argc > 1 ? argv[1] : NULL;
  static char dash[] = "-";
  char *stdin_argv[2];
  char found[PATH_MAX];
  lua_settop(L, 0);
  if (cmd == NULL) {
    stdin_argv[0] = argv[0];
    stdin_argv[1] = dash;
    a->code = isatty(STDIN_FILENO) ? lode_repl(L) : run_script(L, stdin_argv, 2, 1);
  } else if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    a->code = usage(stdout, LODE_EXIT_OK);
  } else if (!strcmp(cmd, "-v") || !strcmp(cmd, "--version")) {
    printf("lode %s (%s, PCRE2 + utf8proc)\n", LODE_VERSION, LUA_RELEASE);
    a->code = LODE_EXIT_OK;
  } else if (!strcmp(cmd, "repl")) {
    a->code = lode_repl(L);
  } else if (!strcmp(cmd, "batch")) {
    a->code = lode_batch_main(L, argc - 2, argv + 2);
  } else if (!strcmp(cmd, "map")) {
    a->code = lode_map_main(L, argc - 2, argv + 2);
  } else if (!strcmp(cmd, "reduce")) {
    a->code = lode_reduce_main(L, argc - 2, argv + 2);
  } else if (!strcmp(cmd, "run")) {
    if (argc < 3) a->code = usage(stderr, LODE_EXIT_USAGE);
    else a->code = run_script(L, argv, argc, 2);
  } else if (cmd[0] == '-' && cmd[1] != '\0') {
    fprintf(stderr, "lode: unknown option '%s'\n", cmd);
    a->code = usage(stderr, LODE_EXIT_USAGE);
  } else if (!strcmp(cmd, "-") || find_script(cmd, found, sizeof found)) {
    a->code = run_script(L, argv, argc, 1);     /* a file, or a shipped script's name */
  } else {
    fprintf(stderr, "lode: '%s' is neither a command nor a script\n", cmd);
    a->code = usage(stderr, LODE_EXIT_USAGE);
    list_scripts(stderr);
  }
  return 0;
}

int main(int argc, char **argv) {
  host_args a = {argc, argv, LODE_EXIT_OK};
  lua_State *L;
  lode_host_check_writes();
  L = lode_host_state();
  if (!L) {
    fputs("lode: cannot create Lua state: not enough memory\n", stderr);
    return LODE_EXIT_SCRIPT;
  }
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, &a);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    lode_host_report(L);
    a.code = LODE_EXIT_SCRIPT;
  }
  lua_close(L);                  /* files the script left open close here */
  if (lode_host_io_failed()) a.code = LODE_EXIT_SCRIPT;
  return a.code;
}
