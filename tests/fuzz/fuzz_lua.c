/*
 * fuzz_lua.c -- the Lua API called as a hostile script would: a Lua state
 * with lode loaded runs a small interpreter (DRIVER below) whose program is
 * the input. Input: one byte N, N program bytes, then a text pool. Each
 * program step picks a function (loading from a string, doc:line, doc:sub,
 * views and their origin map, lode.normalize, regex find, match, gmatch,
 * gfind, gsub, split and windows, doc:gmatch and match_spans, segments,
 * gazetteer add, scan, hits and count, word sets, kwic, closing objects
 * still in use) and its arguments: strings are slices of the pool,
 * positions small, large, near the end (so often inside a character),
 * negative, zero, huge, fractional or NaN. Every call runs under pcall: a
 * Lua error is an answer, a crash, a sanitizer report or a hang is a
 * finding. A few answers are also checked: positions a search returns lie
 * in the subject, on character starts when the subject is valid UTF-8.
 * An instruction budget (count hook) bounds what the Lua side may run.
 */
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "fuzz.h"
#include "lbind.h"

#define BUDGET 2000000   /* Lua instructions per input */

/* The interpreter, tests/fuzz/fuzz_lua.lua, read once. */
static char *driver;
static size_t driver_len;

static void read_driver(void) {
  FILE *f = fopen(LODE_FUZZ_DRIVER, "rb");
  long n;
  FUZZ_CHECK(f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0);
  driver_len = (size_t)n;
  FUZZ_CHECK((driver = malloc(driver_len)) != NULL && fread(driver, 1, driver_len, f) == driver_len);
  fclose(f);
}

static int broken(lua_State *L) {
  fprintf(stderr, "invariant broken: %s\n", luaL_checkstring(L, 1));
  abort();
  return 0;
}

/* Past the budget, every instruction raises: the driver unwinds at once. */
static void over_budget(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, over_budget, LUA_MASKCOUNT, 1);
  luaL_error(L, "fuzz: over budget");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = luaL_newstate();
  int status;
  FUZZ_CHECK(L);
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_lode_core);
  lua_setfield(L, -2, "lode.core");
  lua_pop(L, 1);
  lua_pushstring(L, LODE_FUZZ_LUA_DIR "/?.lua;" LODE_FUZZ_LUA_DIR "/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  if (!driver) read_driver();
  FUZZ_CHECK(luaL_loadbuffer(L, driver, driver_len, "@" LODE_FUZZ_DRIVER) == LUA_OK);
  lua_pushcfunction(L, broken);
  lua_pushlstring(L, (const char *)data, size);
  lua_sethook(L, over_budget, LUA_MASKCOUNT, BUDGET);
  status = lua_pcall(L, 2, 0, 0);
  /* The driver's own steps run under pcall: only the budget gets out. */
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (!msg || !strstr(msg, "fuzz: over budget")) fprintf(stderr, "driver: %s\n", msg ? msg : "?");
    FUZZ_CHECK(msg && strstr(msg, "fuzz: over budget"));
  }
  lua_close(L);
  return 0;
}
