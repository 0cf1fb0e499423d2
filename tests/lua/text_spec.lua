-- Specs for doc:trimmed_lines() (lua/ltext.c over lode_text_trim and
-- lode_text_fold_nbsp in core/text.c): every line trimmed and with its
-- no-break spaces as spaces, in one call, equal to the Lua it replaces.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

-- The Lua the primitive replaces (what lode.clean and lode.meta did).
local function lua_trim(s)
  s = s:gsub("\194\160", " ")
  return s:match("^%s*(.-)%s*$")
end

describe("doc:trimmed_lines", function()
  it("trims white space and no-break spaces and folds inner ones", function()
    local doc = lode.from_string("  a\194\160b \194\160\n\t\n\194\160x\194\160\194\160y  \r\nlast")
    local texts, starts, ends = doc:trimmed_lines()
    assert.same({"a b", "", "x  y", "last"}, texts)
    assert.same({1, 11, 13, 25}, starts)
    assert.same({9, 11, 22, 28}, ends)
  end)

  it("gives nothing for an empty document", function()
    local texts, starts, ends = lode.from_string(""):trimmed_lines()
    assert.same({}, texts)
    assert.same({}, starts)
    assert.same({}, ends)
  end)

  it("matches the Lua trim and line_span on every corpus line", function()
    local n = 0
    for doc in lode.corpus({SRC .. "/corpus"}) do
      local texts, starts, ends = doc:trimmed_lines()
      assert.equals(doc:line_count(), #texts)
      for line, k in doc:lines() do
        local i, j = doc:line_span(k)
        assert.equals(lua_trim(line), texts[k])
        assert.equals(i, starts[k])
        assert.equals(j, ends[k])
        n = n + 1
      end
    end
    assert.is_true(n > 100)
  end)

  it("matches the Lua trim on random strings of spaces and no-break bytes", function()
    local pieces = {" ", "\t", "\v", "\f", "\r", "\194\160", "a", "é", "\194\194\160", "x y"}
    math.randomseed(42)
    for _ = 1, 3000 do
      local parts = {}
      for q = 1, math.random(0, 8) do parts[q] = pieces[math.random(#pieces)] end
      local s = table.concat(parts)
      local doc = lode.from_string(s, {invalid = "replace"})
      local texts = doc:trimmed_lines()
      for line, k in doc:lines() do assert.equals(lua_trim(line), texts[k]) end
    end
  end)
end)
