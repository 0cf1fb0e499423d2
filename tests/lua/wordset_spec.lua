-- Specs for lode.core.wordset (lua/lwordset.c) and lode.words.wordset:
-- membership with ASCII case folding, and ws:profile agreeing with the Lua
-- loop it replaces (gmatch "%a+" + a stop-word table) on every corpus line.
local lode = require "lode"
local core = require "lode.core"
local words = require "lode.words"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

describe("lode.core.wordset", function()
  it("holds words from an array and a set, folding ASCII case", function()
    local ws = core.wordset({"the", "Of", and_ = nil, ["and"] = true})
    assert.equals(3, #ws)
    assert.is_true(ws:has("THE"))
    assert.is_true(ws:has("of"))
    assert.is_true(ws:has("And"))
    assert.is_false(ws:has("then"))
    ws:add("naïve")
    assert.is_true(ws:has("NAïVE"))
    assert.is_false(ws:has("NAÏVE"))          -- only ASCII folds
    assert.matches("lode.WordSet", tostring(ws))
  end)

  it("finds the first whole word of a string in the set", function()
    local ws = core.wordset({"jeudi", "février", "l"})
    assert.same({6, 10}, {ws:find_word("Le «JEUDI» x")})        -- guillemets are no letters
    assert.is_nil(ws:find_word("hierarchy jeudis éjeudi mardi"))  -- inside longer words only
    assert.same({1, 1}, {ws:find_word("l’an")})
    assert.same({12, 19}, {ws:find_word("éfévrier février")})
    assert.same({16, 20}, {ws:find_word("jeudi, puis le jeudi", 7)})
    assert.is_nil(ws:find_word("a jeudi b", 4))                  -- init starts a word: "eudi"
    assert.is_nil(ws:find_word("jeudi", 7))
    assert.is_nil(ws:find_word("\255jeudis\0"))
    assert.same({2, 6}, {ws:find_word("\255jeudi\0")})
  end)

  it("profiles a range like string.sub", function()
    local ws = core.wordset({"the", "of"})
    local s = "The Fall of the House of Usher, 1839."
    local w, h, c, d, u, na = ws:profile(s)
    assert.same({7, 4, 4, 4, 4, 0}, {w, h, c, d, u, na})
    local w2, h2 = ws:profile(s, 1, 8)           -- "The Fall"
    assert.same({2, 1}, {w2, h2})
    assert.equals(0, (ws:profile(s, -5)))        -- "1839." has no word
  end)

  it("counts the words of a range, and those in the set, as the profile does", function()
    local ws = core.wordset({"the", "of"})
    local s = "The Fall of the House of Usher, 1839."
    assert.same({7, 4}, {ws:word_count(s)})
    assert.same({2, 1}, {ws:word_count(s, 1, 8)})       -- "The Fall"
    assert.same({0, 0}, {ws:word_count(s, -5)})
    assert.same({0, 0}, {ws:word_count("abc", 3, 2)})
    assert.same({2, 1}, {ws:word_count("tHe\0x\255")})
    local long = string.rep("of the Fall ", 40) .. "the"   -- past the 64-byte blocks
    assert.same({121, 81}, {ws:word_count(long)})
    for _, i in ipairs{1, 5, 63, 64, 65, 200} do
      local a, b = ws:profile(long, i, i + 130)
      assert.same({a, b}, {ws:word_count(long, i, i + 130)})
    end
    assert.has_error(function() ws:word_count(nil) end)
    assert.has_error(function() ws.word_count({}, "x") end)
  end)

  it("matches the per-word Lua loop on every corpus line", function()
    local stop = words.list("stopwords_en")
    local ws = words.wordset("stopwords_en")
    local n = 0
    for doc in lode.corpus({SRC .. "/corpus"}) do
      for line in doc:lines() do
        local nw, ns, caps = 0, 0, select(2, line:gsub("%f[%a]%u", ""))
        for w in line:gmatch("%a+") do
          nw = nw + 1
          if stop[w:lower()] then ns = ns + 1 end
        end
        local a, b, c = ws:profile(line)
        assert.same({nw, ns, caps}, {a, b, c})
        assert.same({nw, ns}, {ws:word_count(line)})
        n = n + 1
      end
    end
    assert.is_true(n > 100)
  end)

  it("takes nasty input", function()
    local ws = core.wordset()
    assert.equals(0, #ws)
    assert.same({0, 0, 0, 0, 0, 0}, {ws:profile("")})
    assert.same({2, 0, 1, 0, 1, 3}, {ws:profile("a\0B\255\254\128")})
    assert.equals(0, (ws:profile("abc", 3, 2)))
    assert.has_error(function() ws:profile(nil) end)
    assert.has_error(function() core.wordset("the") end)
  end)

  it("words.trie matches what the longest-first alternation matches", function()
    local list = {"four", "fourteen", "forty", "at least", "at most", "a", "an"}
    assert.equals("fo(?:rty|ur(?:teen)?)", words.trie{"four", "fourteen", "forty"})
    assert.equals("(?:a(?:n|t\\s+)?|fo(?:r|u))", words.trie(list, 3))
    local sorted = {}
    for k, w in ipairs(list) do sorted[k] = w:gsub(" ", "\\s+") end
    table.sort(sorted, function(a, b) return #a > #b or (#a == #b and a < b) end)
    local trie = lode.regex("(?i:" .. words.trie(list) .. ")")
    local alt = lode.regex("(?i:" .. table.concat(sorted, "|") .. ")")
    for _, s in ipairs{"fourteen forty", "At  Least 5", "an at most", "FOURTEENTH", "fo rt", ""} do
      local a, b = {}, {}
      for i, j in trie:gfind(s) do a[#a + 1] = i .. "-" .. j end
      for i, j in alt:gfind(s) do b[#b + 1] = i .. "-" .. j end
      assert.same(b, a, s)
    end
    assert.equals("(?:co\\-chair|gen\\.)", words.trie{"gen.", "co-chair"})
    assert.has_error(function() words.trie{"two  spaces"} end)
    assert.has_error(function() words.trie{" lead"} end)
    assert.has_error(function() words.trie{"\255bad"} end)       -- not UTF-8
    assert.has_error(function() words.trie{"tab\there"} end)
    -- beyond ASCII, characters are the trie's units
    assert.equals("(?:fév(?:rier)?|mars)", words.trie{"février", "fév", "mars"})
  end)
end)

describe("lode.words data files", function()
  it("reads TAB-separated rows in file order, with the syntax of list()", function()
    local rows = words.rows("numbers_en")
    assert.same({"zero", "0", "unit"}, rows[1])
    local listed = words.list("numbers_en")
    for _, r in ipairs(rows) do
      assert.is_true(listed[table.concat(r, "\t")], table.concat(r, "|"))
    end
    for _, r in ipairs(words.rows("units")) do assert.equals(3, #r, r[1]) end
    assert.has_error(function() words.rows("no_such_list") end, "lode data file not found: no_such_list.txt")
  end)
end)

describe("lode.core.ascii_find_all", function()
  -- what plain finds of each needle in string.lower(s) see, from every place
  local function plain(s, needles)
    local low, found = s:lower(), {}
    for at = 1, #low do
      for k, w in ipairs(needles) do
        if low:sub(at, at + #w - 1) == w then found[#found + 1] = k; found[#found + 1] = at end
      end
    end
    return found
  end

  it("finds every needle, overlapping ones too, with few needles and with many", function()
    local s = "Dozens of SCORES; the Hundreds\0hundredfold — scores\255 of dozen"
    local few = {"dozen", "scores", "hundred", "dred", "of", "s"}
    assert.same(plain(s, few), core.ascii_find_all(s, few))
    local many = {}
    for k = 1, 40 do many[k] = few[k % #few + 1] .. (k > 30 and "s" or "") end
    assert.same(plain(s, many), core.ascii_find_all(s, many))
    assert.same({}, core.ascii_find_all("", many))
    assert.has_error(function() core.ascii_find_all(s, {"of", ""}) end, "ascii_find_all: needle 2 is empty")
  end)
end)
