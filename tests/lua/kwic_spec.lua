-- Specs for lode.kwic: every hit shown whole, at any width, on the corpus
-- and on text where multi-byte characters sit right beside the hits.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

local function one_line(s) return (s:gsub("[\r\n\t]+", " ")) end

-- What every KWIC line must satisfy, checked against the document itself.
local function check_line(doc, l, width, where)
  local text = doc:text()
  assert.are.equal(width, utf8.len(l.left), where)
  assert.is_true(utf8.len(l.right) <= width, where)
  assert.are.equal(one_line(text:sub(l.i, l.j)), l.match, where)
  assert.are.equal(doc:line_of(l.i), l.line, where)
  -- the left context ends at the hit, the right one starts after it (in
  -- a byte window wide enough for `width` characters of up to 4 bytes)
  local reach = 16 * width + 16
  local left = l.left:gsub("^ +", "")
  local before = one_line(text:sub(math.max(1, l.i - reach), l.i - 1))
  assert.are.equal(left, before:sub(#before - #left + 1), where)
  assert.are.equal(l.right, one_line(text:sub(l.j + 1, l.j + reach)):sub(1, #l.right), where)
end

-- The n most frequent words (of 3 letters or more) of a document.
local function frequent_words(doc, n)
  local count, words = {}, {}
  for _, w in ipairs(doc:words()) do
    local s = doc:sub(w)
    if utf8.len(s) >= 3 and s:find("^%w") then
      if not count[s] then words[#words + 1] = s end
      count[s] = (count[s] or 0) + 1
    end
  end
  table.sort(words, function(a, b)
    if count[a] ~= count[b] then return count[a] > count[b] end
    return a < b
  end)
  return {table.unpack(words, 1, n)}
end

local WIDTHS = {0, 1, 2, 3, 5, 8, 10, 13, 20, 31, 40, 57, 80, 99, 120}

describe("lode.kwic", function()
  it("shows every hit of the corpus's frequent words at widths 0 to 120", function()
    local docs, calls = 0, 0
    for doc in lode.corpus(SRC .. "/corpus") do
      docs = docs + 1
      for _, word in ipairs(frequent_words(doc, 30)) do
        local re = lode.regex("\\b" .. word .. "\\b", "i")
        for _, width in ipairs(WIDTHS) do
          local lines = lode.kwic(doc, re, width)
          assert.is_true(#lines >= 1, word)
          for _, l in ipairs(lines) do check_line(doc, l, width, doc.name .. " " .. word .. " " .. width) end
          calls = calls + 1
        end
      end
    end
    assert.are.equal(5, docs)
    assert.are.equal(5 * 30 * #WIDTHS, calls)
  end)

  it("cuts contexts at whole characters beside 2-, 3- and 4-byte characters", function()
    local doc = lode.from_string("\206\177\206\178\206\179 said \226\128\148\240\159\152\128\n\tsaid\195\169")
    for width = 0, 12 do
      for _, l in ipairs(lode.kwic(doc, "said", width)) do check_line(doc, l, width, "width " .. width) end
    end
    local l = lode.kwic(doc, "said", 2)
    assert.are.equal("\206\179 ", l[1].left)                       -- "γ "
    assert.are.equal(" \226\128\148", l[1].right)                  -- " —"
    assert.are.equal("\128 ", l[2].left:sub(-2))                   -- "😀 ": the line break is one space
    assert.are.equal("\240\159\152\128 ", l[2].left)
    assert.are.equal("\195\169", l[2].right)                       -- "é", then the end
    assert.are.equal("     2  \240\159\152\128 [said]\195\169", tostring(l[2]))
  end)

  it("pads short contexts, and prints nothing without hits", function()
    local l = lode.kwic(lode.from_string("Ağdam said"), "said", 10)
    assert.are.equal("    Ağdam ", l[1].left)
    assert.are.equal("", l[1].right)
    local none = lode.kwic(lode.from_string(""), "said")
    assert.are.same(0, #none)
    assert.are.equal("", tostring(none))
  end)

  it("rejects a width that is not a non-negative integer", function()
    local doc = lode.from_string("a said b")
    assert.has_error(function() lode.kwic(doc, "said", -1) end,
                     "bad argument #3 to 'kwic' (width must be a non-negative integer)")
    assert.has_error(function() lode.kwic(doc, "said", 2.5) end)
  end)
end)
