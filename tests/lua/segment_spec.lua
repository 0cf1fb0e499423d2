-- Specs for doc:match_spans() (lua/lsegment.c over lode_segment_matches in
-- core/segment.c): where every match of a regex is, in columns, equal to
-- what doc:gmatch finds, with no table or string per match.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

-- The same columns built from doc:gmatch (what callers did before).
local function gmatch_columns(doc, pat, groups)
  local cols = {{}, {}}
  for g = 1, groups do cols[2 * g + 1], cols[2 * g + 2] = {}, {} end
  local n = 0
  for m in doc:gmatch(pat) do
    n = n + 1
    cols[1][n], cols[2][n] = m.i, m.j
    for g = 1, groups do
      local a, b = false, false
      if m[g] then
        -- the group's position: the regex below captures a lookahead that
        -- starts where the match ends
        a, b = m.j + 1, m.j + #m[g]
      end
      cols[2 * g + 1][n], cols[2 * g + 2][n] = a, b
    end
  end
  return cols
end

describe("doc:match_spans", function()
  it("gives match and group spans as 1-based inclusive columns", function()
    local doc = lode.from_string("He said: “No.” Then she said it.")
    local I, J, I1, J1, I2, J2 = doc:match_spans("(s)aid|(Z)?Then")
    assert.same({4, 20, 29}, I)
    assert.same({7, 23, 32}, J)
    assert.same({4, false, 29}, I1)
    assert.same({4, false, 29}, J1)
    assert.same({false, false, false}, I2)
    assert.same({false, false, false}, J2)
    assert.equal("Then", doc:sub(I[2], J[2]))
  end)

  it("takes a compiled regex and flags, and finds nothing in an empty doc", function()
    local doc = lode.from_string("SAID said")
    assert.same({{1, 6}, {4, 9}}, {doc:match_spans("said", "i")})
    assert.same({{6}, {9}}, {doc:match_spans(lode.regex("said"))})
    local I, J = lode.from_string(""):match_spans("a")
    assert.same({}, I)
    assert.same({}, J)
  end)

  it("iterates empty matches as doc:gmatch does (j = i - 1)", function()
    local doc = lode.from_string("ab")
    local I, J = doc:match_spans("x*")
    assert.same({1, 2, 3}, I)
    assert.same({0, 1, 2}, J)
  end)

  it("leaves out the matches inside given ranges, with their groups", function()
    local doc = lode.from_string("Baku and Yerevan and Tbilisi and Ankara")
    --                            1   5    10     17   22     29   34
    local pat = "(\\p{Lu})\\p{L}+"
    local I, J, I1 = doc:match_spans(pat, nil, {1, 10, 22}, {4, 14, 28})
    assert.same({10, 34}, I)                 -- Yerevan sticks out of 10-14
    assert.same({16, 39}, J)
    assert.same({10, 34}, I1)
    local A, B = doc:match_spans(pat, nil, {}, {})
    assert.same({{1, 10, 22, 34}, {4, 16, 28, 39}}, {A, B})
    assert.same({{}, {}}, {doc:match_spans("\\p{Lu}\\p{L}+", nil, {1}, {39})})
    assert.has_error(function() doc:match_spans(pat, nil, {1}, {}) end)
    assert.has_error(function() doc:match_spans(pat, nil, {1}) end)
  end)

  it("raises on a bad pattern", function()
    local doc = lode.from_string("a")
    assert.has_error(function() doc:match_spans("(") end)
    assert.has_error(function() doc:match_spans() end)
  end)

  it("equals doc:gmatch on the corpus (sentence ends with a lookahead group)", function()
    local pat = [[(?<!\bMr|\bDr|\b\p{Lu})[.!?][”"’]?\s+(?=([“”"]?\p{Lu}))]]
    local n = 0
    for _, path in ipairs(lode.expand(SRC .. "/corpus")) do
      local doc = lode.load(path)
      local want = gmatch_columns(doc, pat, 1)
      assert.same(want, {doc:match_spans(pat)})
      n = n + #want[1]
    end
    assert.is_true(n > 100)
  end)
end)

describe("doc:paragraph_lines", function()
  it("gives each paragraph of doc:paragraphs() as its first and last line", function()
    local texts = {
      "One line.\n\nA hard-wrapped paragraph that runs on and on for more than\n" ..
        "forty characters, as this one does.\n\nLast.",
      "", "\n\n\n", "no newline at all", "a\r\nb\r\n\r\nc",
    }
    for _, path in ipairs(lode.expand(SRC .. "/corpus")) do
      local f = assert(io.open(path, "rb")); texts[#texts + 1] = f:read("a"); f:close()
    end
    for _, s in ipairs(texts) do
      local doc = lode.from_string(s)
      local F, L = doc:paragraph_lines()
      local P = doc:paragraphs()
      assert.are.equal(#P, #F)
      assert.are.equal(#P, #L)
      for n, p in ipairs(P) do
        assert.are.equal(p.line, F[n])
        assert.are.equal(doc:line_of(p.j), L[n])
      end
    end
    local F = lode.from_string("One line.\n\nA hard-wrapped paragraph that runs on and on for more than\n" ..
                               "forty characters, as this one does.\n\nLast."):paragraph_lines()
    assert.are.same({1, 3, 6}, F)
  end)
end)
