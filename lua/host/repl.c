/*
 * repl.c -- `lode repl`: readline editing and history, completion of
 * globals and fields (lode.<TAB>, doc:<TAB>), pretty-printed results.
 *
 * Like lua.c, a line is first tried as `return <line>` so expressions print
 * their value; a chunk that ends in <eof> asks for more lines.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <lauxlib.h>

#include "host.h"
#include "lode.h"

#define PROMPT "lode> "
#define PROMPT_MORE "  >> "
#define EOFMARK "<eof>"

static const char help_text[] =
  "Type Lua; expressions print their value. `lode` is loaded.\n"
  "  doc = lode.load(\"corpus/001_6d5d41b893ce7abd.txt\")\n"
  "  doc:sentences()[3]            -- a span {i, j, line}\n"
  "  doc:sub(doc:sentences()[3])   -- its text\n"
  "  for m in doc:gmatch(\"\\\\d{4}\") do print(m.line, m.text) end\n"
  "  lode.kwic(doc, \"Nakh\\\\w+\")\n"
  "Tab completes names (lode.<TAB>, doc:<TAB>). :help NAME prints a function's entry\n"
  "of the API reference (:help lode.kwic, :help doc:line), :help this text,\n"
  ":quit or Ctrl-D to leave.\n";

/* Completion needs the state; the REPL runs on one thread only. */
static lua_State *completion_state;

/* Ctrl-C: at the prompt it drops the line being typed; while code runs it
 * stops that code with "interrupted!" (as lua.c does: lua_sethook is safe
 * to call from a signal handler). */
static volatile sig_atomic_t evaluating, abandon;

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted!");
}

static void on_sigint(int sig) {
  (void)sig;
  if (evaluating) {
    lua_sethook(completion_state, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    return;
  }
  abandon = 1;
  rl_set_prompt(PROMPT);
  rl_crlf();
  rl_on_new_line();
  rl_replace_line("", 0);
  rl_redisplay();
}

/* Replace the value on top with the table its fields come from: itself if
 * a table, else its metatable's __index table -- or, for an __index function
 * keeping its methods in its first upvalue (lode.Doc does), that upvalue.
 * nil when there is none. Never raises: completion runs outside any pcall. */
static void to_fields(lua_State *L) {
  if (lua_istable(L, -1)) return;
  if (luaL_getmetafield(L, -1, "__index") == LUA_TNIL) lua_pushnil(L);
  else if (lua_iscfunction(L, -1) && lua_getupvalue(L, -1, 1) != NULL) lua_remove(L, -2);
  lua_remove(L, -2);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
}

/* Push the value named by the dotted/colon path s[0, len), or nil. Raw
 * lookups only, so completing never runs Lua code. */
static void push_path(lua_State *L, const char *s, size_t len) {
  size_t start = 0, k;
  lua_pushglobaltable(L);
  for (k = 0; k <= len; k++) {
    if (k < len && s[k] != '.' && s[k] != ':') continue;
    to_fields(L);
    if (lua_isnil(L, -1)) return;
    lua_pushlstring(L, s + start, k - start);
    lua_rawget(L, -2);
    lua_remove(L, -2);
    start = k + 1;
  }
}

/* Append the string at `idx` to the array at `names` if it starts with
 * `prefix`. */
static void add_name(lua_State *L, int names, int idx, const char *prefix, size_t plen) {
  size_t klen;
  const char *key = lua_tolstring(L, idx, &klen);
  if (klen >= plen && memcmp(key, prefix, plen) == 0) {
    lua_pushvalue(L, idx);
    lua_rawseti(L, names, (lua_Integer)luaL_len(L, names) + 1);
  }
}

/* Collect the string keys of the table at -1 (and of its __index table)
 * that start with `prefix`, into the array at `names`; and the names listed by
 * its metatable's __lazy array that are not loaded yet (lode's submodules,
 * which its __index loads on first use). */
static void add_keys(lua_State *L, int names, const char *prefix, size_t plen, int depth) {
  int t = lua_gettop(L);
  lua_Integer k;
  if (!lua_istable(L, t) || depth > 2) return;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) add_name(L, names, -1, prefix, plen);
  }
  if (luaL_getmetafield(L, t, "__lazy") != LUA_TNIL) {     /* [names, t, lazy] */
    for (k = 1; lua_istable(L, -1) && lua_rawgeti(L, -1, k) == LUA_TSTRING; k++) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, t) == LUA_TNIL) add_name(L, names, -2, prefix, plen);
      lua_pop(L, 2);                                      /* [names, t, lazy] */
    }
    lua_settop(L, t);
  }
  if (luaL_getmetafield(L, t, "__index") != LUA_TNIL) {
    add_keys(L, names, prefix, plen, depth + 1);
    lua_pop(L, 1);
  }
}

static char **complete(const char *text, int start, int end) {
  lua_State *L = completion_state;
  size_t len = strlen(text), cut = 0, k, n;
  char **matches;
  (void)start, (void)end;
  rl_attempted_completion_over = 1;   /* never fall back to file names */
  for (k = 0; k < len; k++)
    if (text[k] == '.' || text[k] == ':') cut = k + 1;
  lua_newtable(L);                            /* [names] */
  if (cut) push_path(L, text, cut - 1);
  else lua_pushglobaltable(L);
  to_fields(L);                               /* [names, fields or nil] */
  add_keys(L, lua_gettop(L) - 1, text + cut, len - cut, 0);
  lua_pop(L, 1);                              /* [names] */
  n = (size_t)luaL_len(L, -1);
  if (n == 0) {
    lua_pop(L, 1);
    return NULL;
  }
  matches = calloc(n + 2, sizeof *matches);
  for (k = 0; matches && k < n; k++) {
    const char *key;
    lua_rawgeti(L, -1, (lua_Integer)k + 1);
    key = lua_tostring(L, -1);
    if ((matches[k + 1] = malloc(cut + strlen(key) + 1)) != NULL) {
      memcpy(matches[k + 1], text, cut);
      strcpy(matches[k + 1] + cut, key);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (!matches) return NULL;
  if (n == 1) {
    matches[0] = matches[1];
    matches[1] = NULL;
  } else {
    /* matches[0] is the longest common prefix, as readline expects */
    size_t common = strlen(matches[1]);
    for (k = 2; k <= n; k++) {
      size_t c = 0;
      while (c < common && matches[k][c] == matches[1][c]) c++;
      common = c;
    }
    matches[0] = strndup(matches[1], common);
  }
  return matches;
}

static int incomplete(lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t lmsg;
    const char *msg = lua_tolstring(L, -1, &lmsg);
    if (lmsg >= sizeof(EOFMARK) - 1 &&
        strcmp(msg + lmsg - (sizeof(EOFMARK) - 1), EOFMARK) == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

/* Compile the chunk that starts with `line` (which this frees), reading
 * more lines while it is incomplete. Leaves the function (or an error
 * message, or nil for :help) on the stack; returns the status, or -1 to
 * quit. Ctrl-C at a continuation prompt abandons the chunk. */
static int compile_chunk(lua_State *L, char *line) {
  int status;
  if (*line) add_history(line);
  if (strcmp(line, ":help") == 0 || strncmp(line, ":help ", 6) == 0 || strcmp(line, ":quit") == 0) {
    const char *name = line + 5 + strspn(line + 5, " \t");
    if (line[1] == 'q') {
      free(line);
      return -1;
    }
    if (*name) lode_help(name);
    else fputs(help_text, stdout);
    free(line);
    lua_pushnil(L);
    return LUA_OK;
  }
  lua_pushstring(L, line);                     /* [buffer] */
  free(line);
  lua_pushliteral(L, "return ");
  lua_pushvalue(L, -2);
  lua_pushliteral(L, ";");
  lua_concat(L, 3);                            /* [buffer, "return buffer;"] */
  status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin");
  lua_remove(L, -2);
  if (status == LUA_OK) {
    lua_remove(L, -2);                         /* [function] */
    return status;
  }
  lua_pop(L, 1);                               /* [buffer] */
  for (;;) {
    status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin");
    if (!incomplete(L, status)) break;
    if ((line = readline(PROMPT_MORE)) == NULL) {
      lua_pushliteral(L, "unfinished chunk at end of input");
      status = LUA_ERRSYNTAX;
      break;
    }
    if (abandon) {                             /* Ctrl-C: start afresh */
      lua_pop(L, 1);
      abandon = 0;
      return compile_chunk(L, line);
    }
    if (*line) add_history(line);
    lua_pushliteral(L, "\n");
    lua_pushstring(L, line);
    free(line);
    lua_concat(L, 3);
  }
  lua_remove(L, -2);                           /* drop the buffer */
  return status;
}

static int read_chunk(lua_State *L) {
  char *line;
  abandon = 0;
  if ((line = readline(PROMPT)) == NULL) return -1;
  abandon = 0;                                 /* Ctrl-C here only cleared the line */
  return compile_chunk(L, line);
}

#define PRETTY_KEY "lode.repl.pretty"

/* Print the results above `base` with lode.pretty (tables expanded). */
static void print_results(lua_State *L, int base) {
  int n = lua_gettop(L) - base, k;
  for (k = 1; k <= n; k++) {
    lua_getfield(L, LUA_REGISTRYINDEX, PRETTY_KEY);
    lua_pushvalue(L, base + k);
    if (lode_host_pcall(L, 1, 1) != LUA_OK) {
      lode_host_report(L);
      continue;
    }
    fputs(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", stdout);
    fputs(k < n ? "\t" : "\n", stdout);
    lua_pop(L, 1);
  }
  fflush(stdout);
  lua_settop(L, base);
}

/* lode = require "lode"; the pretty printer into the registry. */
static int setup(lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lode");
  lua_call(L, 1, 1);
  lua_setglobal(L, "lode");
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lode.pretty");
  lua_call(L, 1, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, PRETTY_KEY);
  return 0;
}

static void history_path(char *buf, size_t size) {
  const char *home = getenv("HOME");
  snprintf(buf, size, "%s/.lode_history", home && *home ? home : ".");
}

int lode_repl(lua_State *L) {
  char hist[4096];
  int status;
  struct sigaction sa, old_sa;
  lua_pushcfunction(L, setup);
  if (lode_host_pcall(L, 0, 0) != LUA_OK) {
    lode_host_report(L);
    return LODE_EXIT_SCRIPT;
  }
  completion_state = L;
  rl_readline_name = "lode";
  rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,+-*/%^~#[]";
  rl_attempted_completion_function = complete;
  rl_catch_signals = 0;                 /* SIGINT is ours: see on_sigint */
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &old_sa);
  history_path(hist, sizeof hist);
  read_history(hist);
  printf("lode %s on %s -- :help for help, Ctrl-D to quit\n", LODE_VERSION, LUA_RELEASE);
  while ((status = read_chunk(L)) != -1) {
    int base = lua_gettop(L) - 1;
    if (status == LUA_OK && lua_isnil(L, -1)) {   /* :help */
      lua_pop(L, 1);
      continue;
    }
    if (status == LUA_OK) {
      evaluating = 1;
      status = lode_host_pcall(L, 0, LUA_MULTRET);
      evaluating = 0;
      lua_sethook(L, NULL, 0, 0);
    }
    if (status == LUA_OK) print_results(L, base);
    else lode_host_report(L);
  }
  fputc('\n', stdout);
  write_history(hist);
  history_truncate_file(hist, 1000);
  sigaction(SIGINT, &old_sa, NULL);
  completion_state = NULL;
  return LODE_EXIT_OK;
}
