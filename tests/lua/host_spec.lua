-- Specs for the `lode` program: run, stdin, repl, help, version, errors
-- and exit codes.
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."

-- Run a shell command; returns stdout, stderr, exit code.
local function run(cmd, input)
  local out, err = os.tmpname(), os.tmpname()
  local full = cmd .. " >" .. out .. " 2>" .. err
  if input then
    local inp = os.tmpname()
    local f = assert(io.open(inp, "wb"))
    f:write(input)
    f:close()
    full = full .. " <" .. inp
  else
    full = full .. " </dev/null"
  end
  local _, _, code = os.execute(full)
  local function slurp(p)
    local f = assert(io.open(p, "rb"))
    local s = f:read("a")
    f:close()
    os.remove(p)
    return s
  end
  return slurp(out), slurp(err), code
end

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
    assert.matches("no%-such%-script%.lua", err)
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
