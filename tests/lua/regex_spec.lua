-- Specs for the Regex methods added for the extractors' inner loops
-- (re:windows); the rest of lode.regex is specified in lode_spec.lua.
local lode = require "lode"

-- The spans of a flat {i1, j1, ...} array as the strings they cite.
local function cited(s, spans)
  local out = {}
  for k = 1, #spans, 2 do out[#out + 1] = s:sub(spans[k], spans[k + 1]) end
  return out
end

describe("re:windows", function()
  local s = "one two three 2021 four five six seven 1999 eight"
  local year = lode.regex("\\d{4}")

  it("widens each match by whole words on both sides", function()
    assert.are.same({"three 2021 four", "seven 1999 eight"}, cited(s, year:windows(s, 1, 1)))
    assert.are.same({"2021", "1999"}, cited(s, year:windows(s, 0, 0)))
    -- 1-based inclusive spans, like string.find
    assert.are.same({15, 18, 40, 43}, year:windows(s, 0, 0))
  end)

  it("merges windows that overlap, and stops at the string's edges", function()
    assert.are.same({"two three 2021 four five six seven 1999 eight"}, cited(s, year:windows(s, 2, 3)))
    assert.are.same({s}, cited(s, year:windows(s, 9, 9)))
  end)

  it("counts from the match's own words, split at ASCII whitespace only", function()
    local t = "a\tb\ncc1999dd e\194\160f"       -- NBSP is not a word break
    assert.are.same({"b\ncc1999dd e\194\160f"}, cited(t, year:windows(t, 1, 1)))
  end)

  it("returns an empty array without matches and checks its arguments", function()
    assert.are.same({}, year:windows("no years here", 2, 2))
    assert.has_error(function() year:windows(s, -1, 0) end)
    assert.has_error(function() year:windows("bad\255", 0, 0) end)
  end)
end)

describe("re:gfind", function()
  it("iterates what find returns, match by match", function()
    local re, s = lode.regex("(\\d+)(x)?"), "a 12x b 3 c"
    local got = {}
    for i, j, n, x in re:gfind(s) do got[#got + 1] = {i, j, n, x} end
    assert.are.same({{3, 5, "12", "x"}, {9, 9, "3", false}}, got)
    local i, j, n, x = re:find(s, 6)
    assert.are.same({9, 9, "3", false}, {i, j, n, x})
  end)

  it("gives positions alone without groups, and steps over empty matches", function()
    local got = {}
    for i, j in lode.regex("b*"):gfind("abba") do got[#got + 1] = i .. ":" .. j end
    assert.are.same({"1:0", "2:3", "4:3", "5:4"}, got)
  end)

  it("stays linear over a long subject", function()
    local s = string.rep("word 12 ", 200000)
    local t0, n = os.clock(), 0
    for _ in lode.regex("\\d+"):gfind(s) do n = n + 1 end
    assert.are.equal(200000, n)
    assert.is_true(os.clock() - t0 < 5)
  end)
end)
