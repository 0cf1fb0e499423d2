-- Specs for the shipped scripts' command lines: --help, usage errors, and
-- a non-zero exit when no document could be read (lode.cli).
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."

local run = require("shell").run

local function script(name, args)
  return run(BIN .. " run " .. SRC .. "/scripts/" .. name .. ".lua " .. args)
end

local SCRIPTS = {"clean", "extract", "summarize"}

describe("the shipped scripts", function()
  it("print their usage on --help and exit 0", function()
    for _, name in ipairs(SCRIPTS) do
      local out, _, code = script(name, "--help")
      assert.are.equal(0, code, name)
      assert.is_truthy(out:find("usage:", 1, true), name)
    end
  end)

  it("exit 2 on an unknown option or no paths", function()
    for _, name in ipairs(SCRIPTS) do
      local _, err, code = script(name, "--no-such-option x")
      assert.are.equal(2, code, name)
      assert.is_truthy(err:find("usage:", 1, true), name)
      local _, _, code2 = script(name, "")
      assert.are.equal(2, code2, name)
    end
  end)

  it("exit 1 naming the input when nothing could be read", function()
    for _, name in ipairs(SCRIPTS) do
      local _, err, code = script(name, "/nonexistent/page.txt")
      assert.are.equal(1, code, name)
      assert.is_truthy(err:find("/nonexistent/page.txt", 1, true), name)
      assert.is_truthy(err:find("no document could be read", 1, true), name)
      local _, err2, code2 = script(name, "'" .. SRC .. "/corpus/*.nothing'")
      assert.are.equal(1, code2, name)
      assert.is_truthy(err2:find("no", 1, true), name)
    end
  end)

  it("exit 0 when some inputs fail and others are read, naming the failure", function()
    local out, err, code = script("extract", "/nonexistent/page.txt " .. SRC .. "/corpus/000_22d4f11e9d4f7577.txt")
    assert.are.equal(0, code)
    assert.is_truthy(err:find("/nonexistent/page.txt", 1, true))
    assert.is_truthy(out:find('"kind":"meta"', 1, true))
  end)

  it("clean.lua prints an HTML page's article as the file's lines, or as text", function()
    local page = SRC .. "/tests/fixtures/formats/page.html"
    local out, _, code = script("clean", page)
    assert.are.equal(0, code)
    local f = assert(io.open(page, "rb"))
    local file = f:read("a")
    f:close()
    local n = 0
    for line in out:gmatch("([^\n]*)\n") do
      n = n + 1
      assert.is_truthy(file:find(line, 1, true), line)     -- verbatim lines of the file
    end
    assert.is_true(n >= 4)
    assert.is_truthy(out:find("<h1>Border talks resume in", 1, true))
    assert.is_nil(out:find("World", 1, true))                -- the menu is not the article
    local text = script("clean", "--text " .. page)
    assert.is_truthy(text:find("\nNegotiators from both countries", 1, true))
    assert.is_nil(text:find("<p>", 1, true))
  end)
end)

describe("the shipped scripts on a document bigger than a section", function()
  local cjson = require "cjson"
  -- A made-up report, repeated past lode.formats.SECTION_BYTES (4 MiB).
  local PARA = "BAKU, June 8, 2022. Officials said 340 houses had been rebuilt in the district.\n" ..
    "\226\128\156The work goes on,\226\128\157 Leyla Mammadova said on Monday.\n\n"
  local path = os.tmpname()
  local text = PARA:rep(4 * 1024 * 1024 // #PARA + 200)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  local function line_of(i)
    local n = 1
    for _ in text:sub(1, i):gmatch("\n") do n = n + 1 end
    return n
  end
  teardown(function() os.remove(path) end)

  it("extract.lua writes records that cite the file from every section", function()
    local out, err, code = script("extract", path)
    assert.are.equal(0, code, err)
    local metas, last, n = 0, 0, 0
    for line in out:gmatch("[^\n]+") do
      local r = cjson.decode(line)
      if r.kind == "meta" then metas = metas + 1
      elseif n < 50 or r.span[1] > #text - 1000 then   -- the first and the last
        assert.are.equal(r.text, text:sub(r.span[1] + 1, r.span[2]))
        assert.are.equal(line_of(r.span[1] + 1), r.line)
      end
      if r.span then n, last = n + 1, math.max(last, r.span[2]) end
    end
    assert.are.equal(2, metas)                   -- one a section
    assert.is_true(last > #text - #PARA)         -- the end of the file too
  end)

  it("clean.lua prints the article lines of every section", function()
    local out, err, code = script("clean", path)
    assert.are.equal(0, code, err)
    assert.is_truthy(out:find("Leyla Mammadova", 1, true))
    local _, lines = out:gsub("\n", "")
    assert.is_true(lines > 4 * 1024 * 1024 // #PARA)   -- the body of both sections
  end)
end)

describe("clean.lua --json", function()
  it("gives a block's first and last lines both as lines of the file", function()
    local cjson = require "cjson"
    local page = SRC .. "/tests/fixtures/formats/page.html"
    local file = assert(io.open(page, "rb")):read("a")
    local out, err, code = script("clean", "--json " .. page)
    assert.are.equal(0, code, err)
    local blocks = 0
    for line in out:gmatch("[^\n]+") do
      local r = cjson.decode(line)
      if r.kind == "block" then
        local _, breaks = file:sub(1, r.span[2]):gsub("\n", "")
        assert.are.equal(breaks + (file:sub(r.span[2], r.span[2]) == "\n" and 0 or 1), r.line_last)
        assert.is_true(r.line_last >= r.line)
        blocks = blocks + 1
      end
    end
    assert.is_true(blocks >= 4)
  end)
end)
