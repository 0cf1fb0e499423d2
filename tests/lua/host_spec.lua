-- Specs for the `lode` program: run, stdin, repl, help, version, errors
-- and exit codes.
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."

local run = require("shell").run

local function script(body)
  local path = os.tmpname() .. ".lua"
  local f = assert(io.open(path, "w"))
  f:write(body)
  f:close()
  return path
end

describe("lode host", function()
  it("prints its version and help", function()
    local out, _, code = run(BIN .. " --version")
    assert.are.equal(0, code)
    assert.matches("^lode %d+%.%d+%.%d+", out)
    out, _, code = run(BIN .. " --help")
    assert.are.equal(0, code)
    assert.matches("run SCRIPT", out, 1, true)
  end)

  it("runs a script with its arguments in `arg`, with and without `run`", function()
    local s = script('local lode = require "lode"\nprint(#arg, arg[1], arg[2], lode.version)\n')
    local out, _, code = run(BIN .. " run " .. s .. " x y")
    assert.are.equal(0, code)
    assert.matches("^2\tx\ty\t%d", out)
    out = run(BIN .. " " .. s .. " z")
    assert.matches("^1\tz\tnil", out)
    os.remove(s)
  end)

  it("names the script file and line of an error and exits 1", function()
    local s = script("local x = 1\nerror('boom')\n")
    local _, err, code = run(BIN .. " run " .. s)
    assert.are.equal(1, code)
    assert.matches(s:match("[^/]+$") .. ":2: boom", err, 1, true)
    os.remove(s)
    s = script("local = 1\n")
    _, err, code = run(BIN .. " run " .. s)
    assert.are.equal(1, code)
    assert.matches(":1:", err, 1, true)
    os.remove(s)
  end)

  it("exits 2 on usage errors", function()
    local _, err, code = run(BIN .. " --bogus")
    assert.are.equal(2, code)
    assert.matches("unknown option", err)
    _, err, code = run(BIN .. " no-such-script.lua")
    assert.are.equal(2, code)
    assert.matches("'no-such-script.lua' is neither a command nor a script", err, 1, true)
    assert.matches("batch SCRIPT PATHS", err, 1, true)          -- the commands
    assert.matches("\n  clean extract [%w_ ]*kwic [%w_ ]*summarize\n", err)   -- the scripts
  end)

  it("runs a shipped script by name, with or without `run`, from any directory", function()
    local out, err, code = run("cd / && " .. BIN .. " kwic --width 20 Baku " .. SRC .. "/corpus")
    assert.are.equal(0, code, err)
    assert.matches("corpus/000_[%x]+%.txt:%d+ +.-%[Baku%]", out)
    local again = run("cd / && " .. BIN .. " run kwic --width 20 Baku " .. SRC .. "/corpus")
    assert.are.equal(out, again)
    local mine = os.tmpname()                      -- a file of that name comes first
    os.remove(mine)
    run("mkdir " .. mine .. " && printf 'print(\"mine\", ...)\\n' > " .. mine .. "/kwic")
    out, err, code = run("cd " .. mine .. " && " .. BIN .. " kwic x")
    assert.are.equal(0, code, err)
    assert.are.equal("mine\tx\n", out)
    run("rm -r " .. mine)
  end)

  it("runs a script piped on stdin", function()
    local out, _, code = run(BIN, 'print(require("lode").normalize("\u{FB01}", {form = "NFKC"}))\n')
    assert.are.equal(0, code)
    assert.are.equal("fi\n", out)
  end)

  it("evaluates expressions in the repl and pretty-prints tables", function()
    local out, _, code = run(BIN .. " repl",
      "1 + 1\n{a = 1, 2}\nx = 5\nfunction f()\nreturn x * 2\nend\nf()\n:help\n")
    assert.are.equal(0, code)
    assert.matches("\n?2\n", out)
    assert.matches("{2, a = 1}", out, 1, true)
    assert.matches("10\n", out, 1, true)
    assert.matches("Tab completes", out, 1, true)
  end)

  it("completes names, survives Ctrl-C and leaves on Ctrl-D on a terminal", function()
    local out, _, code = run("python3 " .. SRC .. "/tests/lua/repl_pty.py " .. BIN)
    assert.are.equal(0, code)
    assert.matches("d:line_count", out, 1, true)          -- completed from "d:line_c"
    assert.matches("interrupted!", out, 1, true)          -- the endless loop stopped
    assert.matches("lode> 6 * 7", out, 1, true)           -- the abandoned chunk is gone
    assert.matches("42\r?\n", out)
    assert.matches("exit 0", out, 1, true)
  end)

  it("runs the corpus summary", function()
    local out, _, code = run(BIN .. " run " .. SRC .. "/scripts/summarize.lua " .. SRC .. "/corpus")
    assert.are.equal(0, code)
    assert.matches("001_6d5d41b893ce7abd.txt", out, 1, true)
    assert.matches("TOTAL %(5 documents%)", out)
    assert.matches("corpus: azerbaijan %(%d+%), armenia %(%d+%)", out)
  end)
end)

describe("lode host on a full disk", function()
  -- Run `script` (Lua source) on stdin with standard output on /dev/full
  -- (or `out`); returns stderr and the exit code.
  local function on_full(source, out)
    local inp, err = os.tmpname(), os.tmpname()
    local f = assert(io.open(inp, "wb"))
    f:write(source)
    f:close()
    local _, _, code = os.execute(BIN .. " - <" .. inp .. " >" .. (out or "/dev/full") .. " 2>" .. err)
    f = assert(io.open(err, "rb"))
    local msg = f:read("a")
    f:close()
    os.remove(inp)
    os.remove(err)
    return msg, code
  end

  it("exits 1 when buffered standard output cannot be flushed at the end", function()
    local err, code = on_full('print("one record")\n')
    assert.are.equal(1, code)
    assert.matches("lode: cannot write the standard output", err, 1, true)
    err, code = on_full('io.stdout:write("x")\nos.exit(0)\n')     -- os.exit too
    assert.are.equal(1, code)
    assert.matches("cannot write the standard output: No space left on device", err, 1, true)
  end)

  it("raises at the write that fails, naming the script's line, once", function()
    local err, code = on_full('local s = ("x"):rep(100000)\nio.write(s)\nprint("not reached")\n')
    assert.are.equal(1, code)
    assert.matches("stdin:2: io.write failed: No space left on device", err, 1, true)
    assert.is_nil(err:find("cannot write the standard output", 1, true))
  end)

  it("checks the script's own files: write, flush, close, and files left open", function()
    local err, code = on_full('local f = assert(io.open("/dev/full", "w"))\nf:write("x")\nf:close()\n', "/dev/null")
    assert.are.equal(1, code)
    assert.matches("stdin:3: close failed: No space left on device", err, 1, true)
    err, code = on_full('local f = assert(io.open("/dev/full", "w"))\nf:write("x"):flush()\n', "/dev/null")
    assert.are.equal(1, code)
    assert.matches("stdin:2: flush failed", err, 1, true)
    err, code = on_full('F = assert(io.open("/dev/full", "w"))\nF:write("x")\n', "/dev/null")
    assert.are.equal(1, code)
    assert.matches("a file the script left open could not be written: No space left on device", err, 1, true)
  end)

  it("still exits 0, output whole, when the writes succeed", function()
    local path = os.tmpname()
    local err, code = on_full('local f = assert(io.open("' .. path .. '", "w"))\nf:write(("y"):rep(70000))\n' ..
                              'print(f:close())\nio.write("z")\n', path .. ".out")
    assert.are.equal(0, code, err)
    local f = assert(io.open(path, "rb"))
    assert.are.equal(70000, #f:read("a"))
    f:close()
    f = assert(io.open(path .. ".out", "rb"))
    assert.are.equal("true\nz", f:read("a"))
    f:close()
    os.remove(path)
    os.remove(path .. ".out")
  end)

  it("exits 1 when an analyst's script writes to a full disk", function()
    local err, code = on_full("", "/dev/full")   -- nothing written: fine
    assert.are.equal(0, code, err)
    local _, _, c = os.execute(BIN .. " run " .. SRC .. "/scripts/extract.lua " .. SRC ..
                               "/corpus/000_22d4f11e9d4f7577.txt >/dev/full 2>/dev/null")
    assert.are.equal(1, c)
    _, _, c = os.execute(BIN .. " run " .. SRC .. "/scripts/summarize.lua -o /dev/full " .. SRC ..
                         "/corpus/000_22d4f11e9d4f7577.txt 2>/dev/null")
    assert.are.equal(1, c)
  end)
end)
