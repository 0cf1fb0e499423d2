-- Specs for `cmake --install` into a temporary prefix (no root needed): the
-- installed lode finds its Lua library, runs a shipped script by name and
-- prints :help from the installed API reference; a C program builds against
-- the installed liblode with pkg-config and runs.
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local BUILD = BIN:gsub("/bin/lode$", "")
local run = require("shell").run

local prefix, installed

setup(function()
  prefix = os.tmpname()
  os.remove(prefix)
  local out, err, code = run("cmake --install " .. BUILD .. " --prefix " .. prefix)
  assert(code == 0, out .. err)
  installed = out
end)

teardown(function()
  if prefix then run("rm -rf " .. prefix) end
end)

describe("an installed lode", function()
  it("runs a shipped script by name, from any directory", function()
    local out, err, code = run("cd / && " .. prefix .. "/bin/lode run summarize " .. SRC .. "/corpus")
    assert.are.equal(0, code, err)
    assert.matches("Corpus summary: 5 documents", out, 1, true)
    out, err, code = run("cd / && " .. prefix .. "/bin/lode summarize " .. SRC .. "/corpus")
    assert.are.equal(0, code, err)                 -- without `run` too
    assert.matches("Corpus summary: 5 documents", out, 1, true)
    out, err, code = run("cd / && " .. prefix .. "/bin/lode run kwic.lua --help")
    assert.are.equal(0, code, err)
    assert.matches("usage:", out, 1, true)
  end)

  it("still runs a script by its path first, and names one it cannot find", function()
    local dir = prefix .. "/work"
    run("mkdir -p " .. dir .. " && printf 'print(\"mine\")\\n' > " .. dir .. "/summarize")
    local out, _, code = run("cd " .. dir .. " && " .. prefix .. "/bin/lode run summarize")
    assert.are.equal(0, code)
    assert.are.equal("mine\n", out)
    local _, err
    _, err, code = run("cd / && " .. prefix .. "/bin/lode run no-such-script")
    assert.are.equal(1, code)
    assert.matches("no%-such%-script", err)
    _, err, code = run("cd / && " .. prefix .. "/bin/lode no-such-script")
    assert.are.equal(2, code)
    assert.matches("scripts (lode NAME [ARGS...]):\n  clean extract", err, 1, true)
  end)

  it("prints :help from the installed API reference", function()
    local out, _, code = run("cd / && " .. prefix .. "/bin/lode repl", ":help doc:sentences\n")
    assert.are.equal(0, code)
    assert.matches("doc:sentences()\n- Returns an array of spans", out, 1, true)
  end)

  it("runs ldconfig only for a directory the loader searches, else says how", function()
    assert.matches("which the loader does not search: link programs with -Wl,-rpath,"
                   .. prefix .. "/lib", installed, 1, true)
    assert.not_matches("Running ldconfig", installed, 1, true)
    local out, _, code = run("DESTDIR=" .. prefix .. "/stage cmake -DCMAKE_INSTALL_PREFIX=/usr/local"
                    .. " -DLODE_LIBDIR=lib -P " .. SRC .. "/cmake/ldconfig.cmake")
    assert.are.equal(0, code)
    assert.are.equal("", out)                       -- a staged install leaves it to the package
  end)

  it("builds and runs a C program against liblode with pkg-config", function()
    local c = prefix .. "/lines.c"
    local f = assert(io.open(c, "w"))
    f:write([[
#include <stdio.h>
#include "lode.h"
int main(void) {
  lode_error err;
  lode_text *t = lode_text_from_memory("x", "one\ntwo\nthree", 13, NULL, &err);
  if (!t) return 1;
  printf("%zu lines\n", lode_text_line_count(t));
  lode_text_free(t);
  return 0;
}
]])
    f:close()
    -- A sanitizer build's library needs the runtimes linked in too.
    local san = (os.getenv("LD_PRELOAD") or ""):find("asan") and " -fsanitize=address,undefined" or ""
    local pc = "PKG_CONFIG_PATH=" .. prefix .. "/lib/pkgconfig pkg-config"
    local out, err, code = run("cc -o " .. prefix .. "/lines " .. c .. san .. " $(" .. pc
                               .. " --cflags --libs lode) -Wl,-rpath,$(" .. pc
                               .. " --variable=libdir lode)")
    assert.are.equal(0, code, out .. err)
    out, err, code = run(prefix .. "/lines")
    assert.are.equal(0, code, err)
    assert.are.equal("3 lines\n", out)
  end)
end)
