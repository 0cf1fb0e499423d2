/*
 * iocheck.c -- scripts' writes fail loudly, never silently.
 *
 * Lua's io library reports a failed write, flush or close by returning
 * nil, message, which scripts rarely check, and stdio holds small outputs
 * in a buffer until exit, where a failure (a full disk) is ignored: the
 * output is truncated and lode would exit 0. In the host's states:
 *
 * - file:write, file:flush, file:close, io.write, io.flush and io.close
 *   raise an error (script file and line, the system's message) when the
 *   write fails;
 * - a file a script leaves open is flushed when collected, and a failure
 *   is kept for lode_host_io_check();
 * - at exit (os.exit included) standard output is flushed and closed, and
 *   a failure ends the process with a message and exit status 1;
 * - SIGXFSZ is ignored, so a file grown past `ulimit -f` is a failed write
 *   (EFBIG, "File too large") like the others, not a silent death.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "host.h"

/* The first write failure seen in a collected file; states of batch
 * workers are closed on their own threads, hence the lock. */
static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;
static char failure[256];
/* A failed write was raised as a script error, which has been reported. */
static volatile int raised;

static void note_failure(int err) {
  pthread_mutex_lock(&failure_lock);
  if (!failure[0])
    snprintf(failure, sizeof failure, "a file the script left open could not be written: %s",
             strerror(err));
  pthread_mutex_unlock(&failure_lock);
}

int lode_host_io_failed(void) {
  int bad;
  pthread_mutex_lock(&failure_lock);
  bad = failure[0] != '\0';
  if (bad) fprintf(stderr, "lode: %s\n", failure);
  pthread_mutex_unlock(&failure_lock);
  return bad;
}

/* upvalues: the io library's own function, its name. Calls it; where it
 * returns fail (nil, message), raises "NAME failed: message" instead. */
static int checked_call(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  if (lua_gettop(L) >= 2 && lua_isnil(L, 1)) {
    raised = 1;
    return luaL_error(L, "%s failed: %s", lua_tostring(L, lua_upvalueindex(2)),
                      lua_tostring(L, 2) ? lua_tostring(L, 2) : "unknown error");
  }
  return lua_gettop(L);
}

/* Replace t[name] (t at the stack top) with its checked version. */
static void wrap(lua_State *L, const char *name, const char *label) {
  lua_getfield(L, -1, name);               /* [t, f] */
  lua_pushstring(L, label);
  lua_pushcclosure(L, checked_call, 2);
  lua_setfield(L, -2, name);
}

/* upvalue: the io library's __gc. A file still open is flushed first. */
static int checked_gc(lua_State *L) {
  luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
  int standard = p->f == stdin || p->f == stdout || p->f == stderr;  /* see below */
  if (p->closef != NULL && p->f != NULL && !standard && fflush(p->f) != 0) note_failure(errno);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  return 0;
}

/* Standard output is flushed and closed here, after everything else that
 * exit() runs first; a failure cannot be left for stdio to ignore. */
static void check_stdout(void) {
  int err = 0, earlier = 0;
  if (fflush(stdout) != 0) err = errno;
  else if (ferror(stdout)) earlier = 1;      /* print() flushes: errno is gone */
  if (fclose(stdout) != 0 && !err && !earlier) err = errno;
  if (!err && !earlier) return;
  if (!raised)
    fprintf(stderr, "lode: cannot write the standard output: %s\n",
            err ? strerror(err) : "a write failed");
  _exit(LODE_EXIT_SCRIPT);
}

void lode_host_ignore_signal(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

void lode_host_check_writes(void) {
  /* A write past the file size limit (ulimit -f) then fails with EFBIG,
   * which is reported like any failed write, instead of SIGXFSZ killing
   * the process without a word. */
  lode_host_ignore_signal(SIGXFSZ);
  atexit(check_stdout);
}

void lode_host_check_io(lua_State *L) {
  luaL_getmetatable(L, LUA_FILEHANDLE);    /* [meta] */
  lua_getfield(L, -1, "__index");          /* [meta, methods] */
  wrap(L, "write", "write");
  wrap(L, "flush", "flush");
  wrap(L, "close", "close");
  lua_pop(L, 1);
  lua_getfield(L, -1, "__gc");
  lua_pushcclosure(L, checked_gc, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__gc");
  lua_setfield(L, -2, "__close");          /* to-be-closed files too */
  lua_pop(L, 1);
  lua_getglobal(L, "io");                  /* [io] */
  wrap(L, "write", "io.write");
  wrap(L, "flush", "io.flush");
  wrap(L, "close", "io.close");
  lua_pop(L, 1);
}
