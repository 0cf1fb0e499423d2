-- Specs for the Regex methods added for the extractors' inner loops
-- (re:windows, re:gfind_words, re:gfind_bytes, lode.core.scan_plan,
-- lode.core.scan_resolve); the rest of lode.regex is specified in lode_spec.lua.
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

describe("a start position inside a UTF-8 character", function()
  -- 2-, 3- and 4-byte characters, and word boundaries right beside them
  local s = "\195\169t\195\169 \226\128\148 \240\159\152\128x caf\195\169"
  local function char_start(k) return k > #s or (s:byte(k) & 0xC0) ~= 0x80 end
  local function next_start(k) while not char_start(k) do k = k + 1 end return k end

  it("is rounded up to the next character start by find and match", function()
    for _, pat in ipairs{"\\b", ".", "\\B", "(?<=.)", "\\w*", "\\X", "$", "(.)"} do
      local re = lode.regex(pat)
      for init = 1, #s + 1 do
        local where = pat .. " from " .. init
        local i, j = re:find(s, init)
        assert.are.same({re:find(s, next_start(init))}, {re:find(s, init)}, where)
        assert.are.equal(re:match(s, next_start(init)), re:match(s, init), where)
        if i then
          assert.is_true(i >= next_start(init) and char_start(i) and char_start(j + 1), where)
          assert.is_truthy(utf8.len(s:sub(i, j)), where)
        end
      end
    end
  end)

  it("gives the next whole character, not half of this one", function()
    assert.are.same({3, 3}, {lode.regex("."):find(s, 2)})
    assert.are.same({10, 10}, {lode.regex("."):find(s, 8)})       -- inside the dash
    assert.are.same({15, 15}, {lode.regex("."):find(s, -10)})      -- negative init too
    assert.are.same({#s + 1, #s}, {lode.regex("\\b"):find(s, #s)})  -- é's last byte: the end
  end)
end)

describe("a view position inside a UTF-8 character", function()
  it("is rounded up to the next character start, so origin cites whole characters", function()
    local s = "caf\195\169 \226\128\148 \240\159\152\128 A\204\129"  -- café — 😀 Á (decomposed)
    local v = lode.from_string(s):normalize{form = "NFC"}
    local t = v:text()
    for i = 1, #t + 1 do
      for j = i - 1, #t do
        local a, b = v:origin(i, j)
        assert.is_truthy(utf8.len(s:sub(a, b)), "origin of view bytes " .. i .. ".." .. j)
      end
    end
    assert.are.same({4, 5}, {v:origin(4, 4)})        -- é's first byte: all of é
    assert.are.same({6, 5}, {v:origin(5, 5)})        -- its last: empty, before the space
    assert.are.same({10, 14}, {v:origin(8, 12)})     -- mid dash to mid 😀: the space, all of 😀
    assert.are.same({16, 18}, {v:origin(16, 16)})    -- Á composed from three bytes
  end)
end)

-- re:gfind(s)'s spans as one flat array {i1, j1, i2, j2, ...}
local function gfind_all(re, s)
  local out = {}
  for i, j in re:gfind(s) do out[#out + 1], out[#out + 2] = i, j end
  return out
end

describe("re:gfind_words", function()
  local core = require "lode.core"
  -- matches start at "one"/"two" (whole words) or at a digit only
  local R = "(?<![\\p{L}\\p{N}])(?:(?i:one|two)\\s+\\w+|[0-9]+(?:\\.[0-9]+)?)"
  local anchored = lode.regex("\\G(?:" .. R .. ")")
  local ws = core.wordset({"one", "two"})

  it("finds what re:gfind finds when matches start only at the listed words and bytes", function()
    for _, s in ipairs{"one apple, Two pears and 35 plums; someone two", "", "one two three 4.5 6",
                       "«one» x, —two y, 7\0 8 \226\130\172 9", "TWO\tfold 10 11"} do
      assert.same(gfind_all(lode.regex(R), s), anchored:gfind_words(s, ws, "0123456789"))
    end
    -- a start inside the previous match is skipped: "one two" then "three"
    assert.same({1, 7}, anchored:gfind_words("one two three", ws, ""))
  end)

  it("tries no other place", function()
    assert.same({}, anchored:gfind_words("35 plums", ws, ""))           -- digits not listed
    assert.same({}, anchored:gfind_words("x5 someone", ws, "5"))        -- after a letter, inside a word
    assert.same({1, 2, false}, lode.regex("\\G[0-9]+(x)?"):gfind_words("42", ws, "4"))  -- captures follow
  end)

  it("returns every match with its captures on a page of thousands", function()
    local C = "(?<![\\p{L}\\p{N}])(?:((?i:one|two))\\s+(\\w+)|([0-9]+)(x)?)"
    local parts = {}
    for k = 1, 3000 do parts[k] = k % 3 == 0 and "two pears" or k % 3 == 1 and (k .. "x") or "so " .. k end
    local s, want = table.concat(parts, ", "), {}
    for i, j, w, noun, digits, x in lode.regex(C):gfind(s) do
      for _, v in ipairs{i, j, w, noun, digits, x} do want[#want + 1] = v end
    end
    assert.equals(3000 * 6, #want)
    assert.same(want, lode.regex("\\G(?:" .. C .. ")"):gfind_words(s, ws, "0123456789"))
  end)

  -- "the" opens a match only as "the last": tried only before "last"
  local R2 = "(?<![\\p{L}\\p{N}])(?:(?i:the\\s+last)\\s+\\w+|(?i:one)\\s+\\w+|[0-9]+)"
  local anchored2, ws2 = lode.regex("\\G(?:" .. R2 .. ")"), core.wordset({"the", "one"})
  local lead = core.wordset({"the"})

  it("tries a lead word before the second word of a pair, and finds what re:gfind finds", function()
    local pairs = core.wordset({"the last"})
    for _, s in ipairs{"the last day, the first day, THE\nLAST word, the lastly x, the 5 one y", "the",
                       "the \t last", "the\194\160last one, the-last two, théâtre 3, the lasté x", ""} do
      assert.same(gfind_all(lode.regex(R2), s), anchored2:gfind_words(s, ws2, "0123456789", lead, pairs))
    end
  end)

  it("skips a lead word before any other ASCII word, and tries it before other text", function()
    local pairs = core.wordset({"the first"})
    assert.same({}, anchored2:gfind_words("the last day", ws2, "", lead, pairs))
    assert.same({1, 8}, anchored2:gfind_words("one last day", ws2, "", lead, pairs))   -- not a lead word
    -- NBSP, a letter beyond ASCII: the text is not plain, the word is tried
    assert.same({1, 13}, anchored2:gfind_words("the\194\160last day", ws2, "", lead, pairs))
    assert.same({1, 13}, anchored2:gfind_words("the last\194\160day", ws2, "", lead, pairs))
    -- whitespace and a digit or a mark: no second word, not tried either
    local the_digits = lode.regex("\\G(?i:the)\\s+(?:[0-9]+|\"\\w+)")
    assert.same({}, the_digits:gfind_words('the 2017 war, the\t"framework"', ws2, "", lead, pairs))
    assert.same({1, 9}, the_digits:gfind_words('the\u{A0}2017, the 5', ws2, "", lead, pairs))   -- NBSP: tried
    assert.has_error(function() anchored2:gfind_words("the", ws2, "", lead) end)   -- pairs missing
    for _, bad in ipairs{{}, anchored2, "the"} do      -- word sets checked, whatever else comes
      assert.error_matches(function() anchored2:gfind_words("the", bad, "") end, "lode.WordSet expected")
      assert.error_matches(function() anchored2:gfind_words("the", ws2, "", bad, lead) end, "lode.WordSet expected")
      assert.error_matches(function() anchored2:gfind_words("the", ws2, "", lead, bad) end, "lode.WordSet expected")
    end
  end)

  -- "about" opens a match only as its head: "about" and blanks, then a
  -- match's own start (a listed word, a digit, a code "USD" glued to
  -- anything: "U" in follow)
  local R3 = "(?<![\\p{L}\\p{N}])(?:(?i:about)\\h+)?(?:(?i:one)\\s+\\w+|[0-9]+|USD\\w*)"
  local anchored3, ws3 = lode.regex("\\G(?:" .. R3 .. ")"), core.wordset({"about", "one", "USD"})
  local heads = core.wordset({"about"})

  it("tries a head word before what may start a match, and finds what re:gfind finds", function()
    for _, s in ipairs{"about 5, about one x, ABOUT\tOne y, about the 5, about\n5, about, 5", "about", "about ",
                       "about\194\160 5, about \194\160one x, about onex, about USDfive, about USD 5", "",
                       "about one\195\169 x, about \t 7, about-5, about5, about USD"} do
      local found = anchored3:gfind_words(s, ws3, "0123456789", nil, nil, heads, "0123456789U")
      assert.same(gfind_all(lode.regex(R3), s), found)
    end
  end)

  it("skips a head word before anything else", function()
    local about = lode.regex("\\G(?i:about)(?!\\p{L})")      -- matches the head alone
    assert.same({1, 5}, about:gfind_words("about 5", ws3, "", nil, nil, heads, "5"))
    assert.same({1, 5}, about:gfind_words("about one", ws3, "", nil, nil, heads, ""))
    assert.same({1, 5}, about:gfind_words("about\194\160x", ws3, "", nil, nil, heads, ""))  -- NBSP: tried
    assert.same({1, 5}, about:gfind_words("about \195\169", ws3, "", nil, nil, heads, ""))  -- a letter beyond ASCII
    assert.same({1, 5}, about:gfind_words("about onex\195\169", ws3, "", nil, nil, heads, ""))
    for _, s in ipairs{"about the", "about\n5", "about, 5", "about", "about  ", "about onex", "about (5)", "about 5"} do
      assert.same({}, about:gfind_words(s, ws3, "", nil, nil, heads, "U"), s)
    end
    assert.error_matches(function() about:gfind_words("about", ws3, "", nil, nil, heads) end, "string expected")
  end)

  it("tries a head word before a lead word only as it would try the lead word", function()
    local R4 = "(?<![\\p{L}\\p{N}])(?:(?i:about)\\h+)?(?:(?i:the\\s+last)\\s+\\w+|[0-9]+)"
    local ws4, the, the_last = core.wordset({"about", "the"}), core.wordset({"the"}), core.wordset({"the last"})
    for _, s in ipairs{"about the last day, about the first day, about THE\nLAST x, about the 5, about the",
                       "about the\194\160last y, about \t the last z, about the-last w"} do
      local anchored4 = lode.regex("\\G(?:" .. R4 .. ")")
      local found = anchored4:gfind_words(s, ws4, "0123456789", the, the_last, heads, "0123456789")
      assert.same(gfind_all(lode.regex(R4), s), found)
    end
    local about = lode.regex("\\G(?i:about)(?!\\p{L})")
    assert.same({}, about:gfind_words("about the first", ws4, "", the, the_last, heads, ""))
    assert.same({1, 5}, about:gfind_words("about the last", ws4, "", the, the_last, heads, ""))
  end)
end)

describe("re:gfind_bytes", function()
  -- clock times and phone-like numbers: they start with a digit, "+" or
  -- "(" after no digit
  local R = "(?<![0-9])(?:[0-9]{1,2}:[0-9]{2}|\\+?\\(?[0-9]{2,4}\\)?(?:[ .-][0-9]{2,4}){2,})"
  local anchored = lode.regex("\\G(?:" .. R .. ")")

  it("finds what re:gfind finds when matches start only at the listed bytes", function()
    for _, s in ipairs{"at 10:30 call +44 20 7946 0958 or (012) 345 678", "", "123:45 x9:15",
                       "A10:30, 2020-21-22, \0 7:05\0", "\195\169 (99) 11 22 33\226\128\175 8:00",
                       string.rep("1", 5000) .. " 1:00"} do
      assert.same(gfind_all(lode.regex(R), s), anchored:gfind_bytes(s, "0123456789+(", "0123456789"))
    end
  end)

  it("tries no other place, and returns captures", function()
    assert.same({}, anchored:gfind_bytes("call 10:30", "+(", "0123456789"))     -- digits not listed
    assert.same({}, lode.regex("\\G[0-9]"):gfind_bytes("a5", "5", "a"))        -- after a listed byte
    assert.same({2, 3, "2", false}, lode.regex("\\G([0-9])[0-9](x)?"):gfind_bytes("a23", "2", ""))
    assert.same({1, 2, 3, 4}, lode.regex("\\G[0-9][0-9]"):gfind_bytes("1234", "0123456789", ""))
    local many = string.rep("7:05 and 12:30, ", 2000)
    local found = lode.regex("\\G([0-9]+):([0-9]+)"):gfind_bytes(many, "0123456789", "0123456789")
    assert.equals(4000 * 4, #found)
    assert.same({65, 68, "7", "05", 74, 78, "12", "30"}, {table.unpack(found, 4 * 8 + 1, 4 * 10)})
  end)

  it("tries a digit only before a byte of next, and finds what re:gfind finds", function()
    -- (R's first digits are followed by ":", " ", ".", "-" or ")")
    for _, s in ipairs{"at 10:30 call +44 20 7946 0958 or (012) 345 678", "", "123:45 x9:15, 12,30 7_05",
                       "A10:30, 2020-21-22, \0 7:05\0", "\195\169 (99) 11 22 33\226\128\175 8:00",
                       "12\194\16034 56 78, 10:30x, 99", string.rep("1", 5000) .. " 1:00"} do
      local found = anchored:gfind_bytes(s, "0123456789+(", "0123456789", ":.-) ")
      assert.same(gfind_all(lode.regex(R), s), found)
    end
    local any = lode.regex("\\G[0-9]+")                    -- matches any digit run
    assert.same({1, 2, 12, 13}, any:gfind_bytes("10:30 12 x 12\194\160", "0123456789", "0123456789", ":"))
    assert.same({}, any:gfind_bytes("10,5 12", "0123456789", "0123456789", ":"))   -- after the end: none
    assert.same({1, 2}, lode.regex("\\G\\+?[0-9]+"):gfind_bytes("+1", "+0123456789", "", ""))  -- "+": as before
  end)

  it("tries every listed byte, whatever the set's shape and the byte's place", function()
    -- (a run of bytes and a few others are scanned sixteen bytes a step,
    -- other sets eight: each listed byte at each offset of a 40-byte text)
    local any = lode.regex("\\G[\\s\\S]")
    local all = {}
    for b = 0, 255 do all[#all + 1] = string.char(b) end
    local sets = {"", "0123456789+(", "0123456789$\194\214\226", "0123456789!#%&", "+", "\0", "\255\0", "az",
                  "\0\127", "!#%&*;<>?@^`|~", "ACEGIKMOQSUWY", table.concat(all)}
    for _, set in ipairs(sets) do
      local listed, filler = {}, nil
      for k = 1, #set do listed[set:byte(k)] = true end
      for b = 32, 126 do if not listed[b] then filler = filler or string.char(b) end end
      for b = 0, 127 do
        for at = 1, 40 do
          local s = (filler or "x"):rep(at - 1) .. string.char(b) .. (filler or "x"):rep(40 - at)
          local want = {}
          if not filler then want = {1, 1}
          elseif listed[b] then want = {at, at} end
          assert.same(want, {table.unpack(any:gfind_bytes(s, set, ""), 1, 2)}, ("%q %d %d"):format(set, b, at))
        end
      end
      for b = 194, 236 do                 -- a character's first byte
        local c = string.char(b) .. (b < 224 and "\160" or "\160\128")
        for at = 1, filler and 40 or 0 do
          local s = filler:rep(at - 1) .. c .. filler:rep(40 - at)
          assert.same(listed[b] and {at, at + #c - 1} or {}, any:gfind_bytes(s, set, ""))
        end
      end
    end
  end)

  it("rejects bad UTF-8 with its byte", function()
    assert.error_matches(function() anchored:gfind_bytes("1:00 \255", "1", "") end, "invalid UTF%-8 at byte 6")
  end)
end)

-- Every match of each regex of `res` in its windows of s, by Lua loops:
-- the windows around the anchors' matches (their alternation's
-- re:windows, befores[r] words before, afters[r] after), joined by NUL
-- into subjects of at most `batch` bytes, a re:find loop on each. A flat
-- array: per match the regex's index, i and j in s, its captures. What
-- lode.core.scan_resolve must find before it resolves.
local function windows_reference(s, anchors, res, befores, afters, batch)
  local parts = {}
  for _, a in ipairs(anchors) do parts[#parts + 1] = tostring(a):match("^lode%.Regex %((.*)%)$") end
  local out = {}
  if #parts == 0 then return out end          -- no anchor, no window
  local all = lode.regex(table.concat(parts, "|"))
  for r, re in ipairs(res) do
    local spans = all:windows(s, befores[r], afters[r])
    local subjects, cur, fill = {}, nil, 0
    for k = 1, #spans, 2 do
      local len = spans[k + 1] - spans[k] + 1
      if not cur or fill + len > batch then
        cur = {parts = {}, from = {}, at = {}}
        subjects[#subjects + 1] = cur
        fill = 0
      end
      cur.parts[#cur.parts + 1] = s:sub(spans[k], spans[k + 1])
      cur.from[#cur.from + 1], cur.at[#cur.at + 1] = spans[k], fill + 1
      fill = fill + len + 1
    end
    for _, sub in ipairs(subjects) do
      local text, init, n = table.concat(sub.parts, "\0"), 1, 1
      while true do
        local found = {re:find(text, init)}
        if not found[1] then break end
        while sub.at[n + 1] and sub.at[n + 1] <= found[1] do n = n + 1 end
        local off = sub.from[n] - sub.at[n]
        out[#out + 1], out[#out + 2], out[#out + 3] = r, found[1] + off, found[2] + off
        for g = 3, #found do out[#out + 1] = found[g] end
        init = found[2] + 1
      end
    end
  end
  return out
end

describe("lode.core.scan_resolve", function()
  local core = require "lode.core"
  -- typography folds make the view shorter than the text: en dash, NBSP,
  -- curly quote (each cited whole in the original)
  local doc = lode.from_string("Talks ran 3\226\128\1474 May 2021,\194\160then \226\128\156June 2022\226\128\157"
    .. " and 12 May; May 2023 x May\t2024")
  local v = doc:normalize{fold = "typography"}
  local text = doc:text()
  local WORDS = {{"May", "June"}, {"20[0-9][0-9]"}}   -- the plan's byte sequences per set
  local dmy = lode.regex("(?<d>[0-9]+)(?:-(?<d2>[0-9]+))?\\s+(?<m>May|June)\\s+(?<y>[0-9]{4})")
  local my = lode.regex("(?<m>May|June)\\s+(?<y>[0-9]{4})")
  local dm = lode.regex("(?<d>[0-9]+)\\s+(?<m>May|June)")
  local yr = lode.regex("(?<y>20[0-9][0-9])")
  local NAMES = {[dmy] = {"d", "d2", "m", "y"}, [my] = {"m", "y"}, [dm] = {"d", "m"}, [yr] = {"y"}}

  -- What scan_resolve answers, by Lua loops: each set's windows_reference
  -- around its words (each a regex) and its extra regex (or re:find over
  -- the whole view when the extra is false), spans cited in the text, then
  -- lode.core.resolve with the same accept.
  local function reference(view, words, extras, res, sets, befores, afters, prios, accept, batch)
    local vt, cands = view:text(), {}
    for set, extra in ipairs(extras) do
      local anchors = extra and {}
      if anchors then
        for k, w in ipairs(words[set]) do anchors[k] = lode.regex(w) end
        if extra ~= true then anchors[#anchors + 1] = extra end
      end
      local idx, sub = {}, {res = {}, befores = {}, afters = {}}
      for r = 1, #res do
        if sets[r] == set then
          idx[#idx + 1] = r
          sub.res[#idx], sub.befores[#idx], sub.afters[#idx] = res[r], befores[r], afters[r]
        end
      end
      local found = {}
      if anchors then
        found = windows_reference(vt, anchors, sub.res, sub.befores, sub.afters, batch or 4096)
      else
        for k, re in ipairs(sub.res) do
          local all = {re:find(vt)}
          while all[1] do                   -- (no empty matches)
            found[#found + 1], found[#found + 2], found[#found + 3] = k, all[1], all[2]
            for g = 3, #all do found[#found + 1] = all[g] end
            all = {re:find(vt, all[2] + 1)}
          end
        end
      end
      local x = 1
      while found[x] do
        local r = idx[found[x]]
        local m = {}
        m.i, m.j = view:origin(found[x + 1], found[x + 2])
        for g, name in ipairs(NAMES[res[r]]) do m[name] = found[x + 2 + g] end
        cands[#cands + 1] = {i = m.i, j = m.j, prio = prios[r], r = r, m = m}
        x = x + 3 + #NAMES[res[r]]
      end
    end
    local out = {}
    local function take(c) c.got = accept(c.r, c.m); return c.got end
    for _, c in ipairs(core.resolve(cands, nil, take)) do
      out[#out + 1] = c.got
    end
    return out
  end

  local function keep_all(r, m) m.r = r; m.text = text:sub(m.i, m.j); return m end

  it("keeps the leftmost-longest matches, cited in the original, with their named groups", function()
    local plan = core.scan_plan({dmy, my, dm, yr}, {1, 1, 1, 2}, {1, 0, 1, 0}, {1, 1, 0, 0}, {1, 2, 3, 4}, WORDS)
    local kept = core.scan_resolve(v, {true, true}, plan, keep_all)
    local texts = {}
    for k, m in ipairs(kept) do texts[k] = m.text end
    assert.same({"3\226\128\1474 May 2021", "June 2022", "12 May", "May 2023", "May\t2024"}, texts)
    assert.same({r = 1, i = 11, j = 24, d = "3", d2 = "4", m = "May", y = "2021", text = texts[1]}, kept[1])
    local i = text:find("12 May", 1, true)
    assert.same({r = 3, i = i, j = i + 5, d = "12", m = "May", text = "12 May"}, kept[3])
  end)

  it("skips the windows that hold no word of a regex's needed set", function()
    local res, sets, befores, afters, prios = {dmy, my, dm, yr}, {1, 1, 1, 2}, {1, 0, 1, 0}, {1, 1, 0, 0}, {1, 2, 3, 4}
    local plain = core.scan_plan(res, sets, befores, afters, prios, WORDS)
    -- dmy and my hold a year (set 2) in every match here: the same answer
    local needy = core.scan_plan(res, sets, befores, afters, prios, WORDS, {2, 2, 0, 0})
    for _, batch in ipairs{1, 4096} do
      assert.same(core.scan_resolve(v, {true, true}, plain, keep_all, batch),
                  core.scan_resolve(v, {true, true}, needy, keep_all, batch))
    end
    -- a need may name a word set no regex is anchored on, and past the
    -- extras given: such a set is not known found by its words, and
    -- nothing is skipped for it (any number of sets, "z" in none here)
    for nsets = 3, 40 do
      local words = {WORDS[1], WORDS[2]}
      for set = 3, nsets do words[set] = {"z"} end
      local past = core.scan_plan(res, sets, befores, afters, prios, words, {nsets, nsets, nsets, 0})
      assert.same(core.scan_resolve(v, {true, true}, plain, keep_all),
                  core.scan_resolve(v, {true, true}, past, keep_all))
    end
    -- dm claimed to need one: its window around "12 May" holds no year, so
    -- that match is not found; with the year set or dm's own set not found
    -- by its words alone (a Regex too), or the view scanned whole, nothing
    -- is skipped
    local wrong = core.scan_plan(res, sets, befores, afters, prios, WORDS, {0, 0, 2, 0})
    local function texts(kept)
      local out = {}
      for k, m in ipairs(kept) do out[k] = m.text end
      return table.concat(out, "|")
    end
    assert.equals("3\226\128\1474 May 2021|June 2022|May 2023|May\t2024",
                  texts(core.scan_resolve(v, {true, true}, wrong, keep_all)))
    assert.equals(texts(core.scan_resolve(v, {true, true}, plain, keep_all)),
                  texts(core.scan_resolve(v, {true, lode.regex("x")}, wrong, keep_all)))
    assert.equals(texts(core.scan_resolve(v, {true, true}, plain, keep_all)),
                  texts(core.scan_resolve(v, {lode.regex("x"), true}, wrong, keep_all)))
    assert.equals(texts(core.scan_resolve(v, {false, false}, plain, keep_all)),
                  texts(core.scan_resolve(v, {false, false}, wrong, keep_all)))
  end)

  it("searches from the anchor's word where no word of a regex's lead sets stands before it", function()
    -- wmy: an optional weekday (set 3, a lead) before "May 2021"; its
    -- window reaches two words back, or from the anchor's own word
    local WDAYS = {WORDS[1], WORDS[2], {"Sat", "Mon"}}
    local wmy = lode.regex("(?<![\\p{L}])(?:(?:Sat|Mon)\\.?,?\\s+)?(?<m>May|June)\\s+(?<y>20[0-9][0-9])")
    local function plan(leads) return core.scan_plan({wmy}, {1}, {2}, {1}, {1}, WDAYS, nil, leads) end
    local plain, led, wrong = plan(nil), plan({{3}}), plan({{2}})
    local function texts(kept)
      local out = {}
      for k, m in ipairs(kept) do out[k] = m.text end
      return table.concat(out, "|")
    end
    local t = "Sat. May 2021, x (May 2022) Mon,\tJune 2023 mid May 2024 Sat June 2025"
    local w = lode.from_string(t):normalize{fold = "typography"}
    local function run(p, extras, batch)
      return core.scan_resolve(w, extras, p, function(r, m) m.r = r; m.text = t:sub(m.i, m.j); return m end, batch)
    end
    for _, batch in ipairs{1, 16, 4096} do
      assert.same(run(plain, {true, true, true}, batch), run(led, {true, true, true}, batch))
    end
    assert.equals("Sat. May 2021|May 2022|Mon,\tJune 2023|May 2024|Sat June 2025", texts(run(led, {true, true, true})))
    -- a wrong lead (the years) loses the weekday of the one window it
    -- narrows (the others hold a year before their month), unless that set
    -- is not found by its words alone (then nothing is narrowed)
    assert.equals("May 2021|May 2022|Mon,\tJune 2023|May 2024|Sat June 2025", texts(run(wrong, {true, true, true})))
    assert.equals(texts(run(plain, {true, true, true})), texts(run(wrong, {true, lode.regex("x"), true})))
    assert.equals(texts(run(plain, {false, true, true})), texts(run(wrong, {false, true, true})))
    -- windows narrowed and not, side by side: merged in order
    local dense = lode.from_string(("a Sat May 2021 May 2022 b May 2023 "):rep(50)):normalize{fold = "typography"}
    assert.same(core.scan_resolve(dense, {true, true, true}, plain, keep_all, 64),
                core.scan_resolve(dense, {true, true, true}, led, keep_all, 64))
    -- the bare regex (wmy without its weekday) is searched where no lead
    -- word stands: the same answer; a bare that finds less shows where
    local bare = lode.regex("(?<![\\p{L}])(?<m>May|June)\\s+(?<y>20[0-9][0-9])")
    local less = lode.regex("(?<![\\p{L}])(?<m>June)\\s+(?<y>20[0-9][0-9])")
    local function bared(b) return core.scan_plan({wmy}, {1}, {2}, {1}, {1}, WDAYS, nil, {{3}}, {b}) end
    for _, batch in ipairs{1, 16, 4096} do
      assert.same(run(plain, {true, true, true}, batch), run(bared(bare), {true, true, true}, batch))
      assert.same(core.scan_resolve(dense, {true, true, true}, plain, keep_all, batch),
                  core.scan_resolve(dense, {true, true, true}, bared(bare), keep_all, batch))
    end
    -- (here every window without a lead word merges with one that has)
    assert.equals(texts(run(plain, {true, true, true})), texts(run(bared(less), {true, true, true})))
    t = "x May 2022 x x x x June 2023 x x x x Sat June 2024"
    w = lode.from_string(t):normalize{fold = "typography"}
    assert.equals("May 2022|June 2023|Sat June 2024", texts(run(bared(bare), {true, true, true})))
    assert.equals("June 2023|Sat June 2024", texts(run(bared(less), {true, true, true})))
    -- with a lead set or the view not found by words alone: never bare
    assert.equals(texts(run(plain, {false, true, true})), texts(run(bared(less), {false, true, true})))
    local opened = {true, true, lode.regex("x")}
    assert.equals(texts(run(plain, opened)), texts(run(bared(less), opened)))
    assert.same(run(plain, {true, true, true}), run(core.scan_plan({wmy}, {1}, {2}, {1}, {1}, WDAYS, nil, nil, {false}),
                                                    {true, true, true}))
    assert.error_matches(function() bared(lode.regex("(?<m>May)")) end, "not the groups of regex 1")
    assert.error_matches(function() bared(lode.regex("(?<y>May)(?<m>x)")) end, "not the groups of regex 1")
    assert.error_matches(function() bared("x") end, "lode.Regex expected")
    -- a narrowed window may keep words before the anchor's (`before`)
    for _, back in ipairs{0, 1, 2} do
      assert.same(run(plain, {true, true, true}), run(plan({{3, before = back}}), {true, true, true}))
    end
    assert.equals("May 2022|June 2023|June 2024", texts(run(plan({{2, before = 0}}), {true, true, true})))
    assert.equals("May 2022|June 2023|Sat June 2024", texts(run(plan({{2, before = 1}}), {true, true, true})))
    assert.error_matches(function() plan({{3, before = 3}}) end, "before, a word count from 0")
    assert.error_matches(function() plan({{3, before = -1}}) end, "before, a word count from 0")
    assert.error_matches(function() plan({{4}}) end, "no set 4")
    assert.error_matches(function() plan({{0}}) end, "a set number >= 1")
    assert.error_matches(function() plan({3}) end, "an array of set numbers expected")
    assert.error_matches(function() plan({}) end, "one array of set numbers per regex")
  end)

  it("answers what the windows and resolve answer together, for any accept", function()
    local res, sets, befores, afters, prios = {yr, dm, my, dmy}, {2, 1, 1, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}, {4, 3, 2, 1}
    local plan = core.scan_plan(res, sets, befores, afters, prios, WORDS)
    local nowords = core.scan_plan(res, sets, befores, afters, prios, {{}, WORDS[2]})
    local function refuse(r, m)           -- refuses long ones: their bytes go to the next
      if m.j - m.i > 8 then return nil end
      return keep_all(r, m)
    end
    for _, accept in ipairs{keep_all, refuse, function() return false end} do
      for _, batch in ipairs{1, 10, 4096} do
        for _, extras in ipairs{{true, true}, {false, true}, {false, false}, {lode.regex("ran|then"), true}} do
          assert.same(reference(v, WORDS, extras, res, sets, befores, afters, prios, accept, batch),
                      core.scan_resolve(v, extras, plan, accept, batch))
        end
        -- a set without words: its extra's matches alone, or none
        for _, extras in ipairs{{true, true}, {lode.regex("Talks"), true}} do
          assert.same(reference(v, {{}, WORDS[2]}, extras, res, sets, befores, afters, prios, accept, batch),
                      core.scan_resolve(v, extras, nowords, accept, batch))
        end
      end
    end
    -- nasty text: control bytes and \v, \f between the words (a Doc holds
    -- no NUL, the joins' own byte), a huge line, runs of spaces and dashes
    local huge = ("May 2021 and 4 June 2022, " .. string.rep("x", 300) .. " "):rep(200)
    local texts = {"May\1 2021 \127 3 May\v2022\f4 June\r\n2023", huge,
                   "  \t May  \226\128\147 2021 \226\128\148\n12 May"}
    for _, t in ipairs(texts) do
      local nasty = lode.from_string(t):normalize{fold = "typography"}
      for _, extras in ipairs{{true, true}, {false, false}} do
        assert.same(reference(nasty, WORDS, extras, res, sets, befores, afters, prios, keep_all, 64),
                    core.scan_resolve(nasty, extras, plan, keep_all, 64))
      end
    end
    assert.equals(400, #core.scan_resolve(lode.from_string(huge):normalize{fold = "typography"}, {true, true}, plan,
                                          keep_all))
    -- a page of megabytes, then a short one: the plan's working memory
    -- (its room dropped after the big page) serves both
    local small = core.scan_resolve(v, {true, true}, plan, keep_all)
    local big = lode.from_string(huge:rep(30)):normalize{fold = "typography"}
    assert.equals(12000, #core.scan_resolve(big, {true, true}, plan, keep_all))
    assert.same(small, core.scan_resolve(v, {true, true}, plan, keep_all))
    -- a NUL stands between joined windows: nothing matches across a join
    local apart = lode.from_string("May x June"):normalize{fold = "typography"}
    local across = core.scan_plan({lode.regex("May\\s+\\S+\\s+June")}, {1}, {0}, {0}, {1}, {WORDS[1]})
    for _, batch in ipairs{4, 4096} do
      assert.same({}, core.scan_resolve(apart, {true}, across, keep_all, batch))
    end
    assert.equals(1, #core.scan_resolve(apart, {false}, across, keep_all))   -- the whole view: found
    -- an empty view, no regexes
    local e = lode.from_string(""):normalize{fold = "typography"}
    assert.same({}, core.scan_resolve(e, {false}, core.scan_plan({yr}, {1}, {0}, {0}, {1}, {{}}), keep_all))
    assert.same({}, core.scan_resolve(e, {true}, core.scan_plan({yr}, {1}, {0}, {0}, {1}, WORDS), keep_all))
    assert.same({}, core.scan_resolve(v, {true}, core.scan_plan({}, {}, {}, {}, {}, {}), keep_all))
  end)

  it("checks its arguments", function()
    local years = {WORDS[2]}
    local plan = core.scan_plan({yr}, {1}, {0}, {0}, {1}, years)
    local function call(extras, accept) return core.scan_resolve(v, extras, plan, accept or keep_all) end
    assert.error_matches(function() core.scan_plan({yr}, {0}, {0}, {0}, {1}, years) end, "a set number >= 1")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1.5}, years) end, "an integer expected")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1, 2}, years) end, "one priority per regex")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {-1}, {0}, {1}, years) end, "a word count >= 0")
    assert.error_matches(function() core.scan_plan({"x"}, {1}, {0}, {0}, {1}, years) end, "lode.Regex expected")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1}, {}) end, "anchor words for every set")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1}, {{2021}}) end, "a string expected")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1}, {{"20(21)"}}) end,
                         "byte sequence 1 .* at byte 2")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1}, years, {0, 0}) end,
                         "one set number %(or 0%) per regex")
    assert.error_matches(function() core.scan_plan({yr}, {1}, {0}, {0}, {1}, years, {2}) end, "entry 1: no set 2")
    assert.error_matches(function() call({}) end, "the plan needs 1 anchor sets")
    assert.error_matches(function() call({"May"}) end, "a Regex, true or false expected")
    assert.error_matches(function() call({v}) end, "a Regex, true or false expected")
    assert.error_matches(function() core.scan_resolve(v, {true}, {}, keep_all) end, "lode.ScanPlan expected")
    assert.error_matches(function() core.scan_resolve("text", {true}, plan, keep_all) end, "lode.View expected")
    assert.error_matches(function() core.scan_resolve(v, {true}, plan, keep_all, 0) end, "positive size")
    -- accept's errors pass through; a view closed by accept stops the walk
    assert.error_matches(function() call({true}, function() error("refused!") end) end, "refused!")
    local w = doc:normalize{fold = "typography"}
    assert.error_matches(function() core.scan_resolve(w, {true}, plan, function() w:close() end) end,
                         "view was closed")
    -- the plan's working memory: a call inside accept gets its own, and a
    -- call after an error starts afresh
    local inner
    local outer = core.scan_resolve(v, {true}, plan, function(r, m)
      inner = inner or core.scan_resolve(v, {true}, plan, keep_all)
      return keep_all(r, m)
    end)
    assert.same(outer, inner)
    assert.same(outer, call({true}))
  end)
end)
