--- lode.extract.quantities: counts, measures and amounts in running text.
--
-- quantities(doc [, opts]) -> array of records in document order:
--   {kind = "quantity", text, i, j, line, value, unit, counts, qualifier}
-- where doc:sub(i, j) == text (1-based inclusive bytes of the original) and
-- text covers the whole expression: qualifier, currency sign, number,
-- scale word and unit ("more than two hundred", "$10.59bn",
-- "at least 215 square kilometres").
--
-- value: a Lua number. "100,000" -> 100000, "4.5" -> 4.5, "1.5 million" ->
--   1500000, "$10.59bn" -> 10590000000, "twenty-four" -> 24, "two and a
--   half" / "two and half" -> 2.5, "a dozen" -> 12.
-- unit: a code from lode/data/units.txt ("km2", "m", "USD", "EUR", "%",
--   "day", "year" ...) or nil. Durations ("44 days", "nine-month") are
--   quantities with a time unit.
-- counts: the head noun that is counted, as written ("thirteen Armenian
--   soldiers" -> "soldiers"): the first word of the following noun phrase
--   (through up to three modifiers, stopping at a preposition, verb or
--   punctuation) that is in lode/data/counted.txt or looks like a regular
--   plural. nil for measures, amounts, durations and elliptic counts
--   ("another twenty-four", "50 went missing").
-- qualifier: "about", "more than", "at least", "nearly", "up to", "over",
--   "some" ... as written (lower-cased), or the vague word itself.
--
-- Vague counts (policy, after ACLED's coding of imprecise reports: take
-- the lowest number the words can mean): "dozens" -> 12, "scores" -> 20,
-- "hundreds" -> 100, "thousands" -> 1000, "tens of thousands" -> 10000,
-- "hundreds of thousands" -> 100000, "millions" -> 1000000; the vague
-- words are the qualifier ("dozens of military exercises" -> value 12,
-- qualifier "dozens", counts "exercises"). "several", "a few", "many"
-- are not quantities.
--
-- Not quantities: anything overlapping a date of lode.extract.dates (years
-- and days: "the 2020 war", "November 16"), ordinals ("second", "2nd",
-- "16th"), numbers glued to names or codes ("Su-25", "COVID-19", "COP29",
-- "G20", "3+3"), numbers after a capitalised name word or a reference word
-- ("Resolution 822", "page 12", "No. 5"), clock times and phone numbers,
-- and "one" unless it counts a unit or a noun of counted.txt ("one day",
-- "one soldier"): elsewhere "one" is a determiner or pronoun ("no one",
-- "one of the", "one thing is clear").
--
-- Number words, units and counted nouns live in editable files under
-- lode/data (numbers_en.txt, units.txt, counted.txt).

local lode = require "lode"
local extract = require "lode.extract"
local words = require "lode.words"

local ipairs, tonumber, pairs, setmetatable, require = ipairs, tonumber, pairs, setmetatable, require
local io_lines, table_sort, table_concat = io.lines, table.sort, table.concat
local math_max, math_tointeger = math.max, math.tointeger

local M = {}

-- --- data ---------------------------------------------------------------

local function read_tsv(name)
  local path = words.data_path(name)
  if not path then error("lode data file not found: " .. name, 2) end
  local rows = {}
  for line in io_lines(path) do
    if not line:match("^%s*#") and line:match("%S") then
      local f = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = field end
      rows[#rows + 1] = f
    end
  end
  return rows
end

local function re_escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0"))
end

local function alternation(list)
  table_sort(list, function(a, b) return #a > #b or (#a == #b and a < b) end)
  local parts = {}
  for k, w in ipairs(list) do parts[k] = re_escape(w):gsub("%s+", "\\s+") end
  return table_concat(parts, "|")
end

local phrase_trie = words.trie

-- A word to look for with plain find(), which scans for its first byte:
-- {word, tail, lead}, tail = the word from its rarest letter in English
-- text (looked for first), lead = the bytes before it.
local RARITY = "zqjxkvbpgwyfmculdhrsnioate"
local function needle(w)
  local at, best = 1, #RARITY + 1
  for k = 1, #w do
    local r = RARITY:find(w:sub(k, k), 1, true) or #RARITY + 1
    if r < best then at, best = k, r end
  end
  return {word = w, tail = w:sub(at), lead = at - 1}
end

-- Whether `s` holds needle `nd`'s word.
local function has_word(s, nd)
  local word, tail, lead = nd.word, nd.tail, nd.lead
  local from = lead + 1
  while true do
    local x = s:find(tail, from, true)
    if not x then return false end
    if s:sub(x - lead, x - lead + #word - 1) == word then return true end
    from = x + 1
  end
end

-- A regex finding what `source` finds, faster when its matches start at
-- some words only and never right after an `inword` character (source's
-- leading look-behind says so). PCRE2 would try source at every letter,
-- and at each word start walk its word tries (slow for "the", "on", "a"
-- ...). `start`, a lookahead, says what a match must begin with; where it
-- fails, the second branch steps over the rest of the ASCII word at once
-- ((*SKIP): no match can start inside it).
local function word_start_scan(start, source, inword)
  return lode.regex("(?:" .. start .. source .. ")|" .. inword .. "++(*SKIP)(*FAIL)")
end

local data
local function load_data()
  if data then return data end
  data = {num = {}, units = {}, counted = words.list("counted")}
  local plain, vague = {}, {}
  for _, r in ipairs(read_tsv("numbers_en.txt")) do
    local w, v, kind = r[1], tonumber(r[2]), r[3]
    data.num[w] = {value = v, kind = kind}
    if kind == "vague" then vague[#vague + 1] = w else plain[#plain + 1] = w end
  end
  local aliases = {}
  for _, r in ipairs(read_tsv("units.txt")) do
    data.units[r[1]:lower():gsub("%s+", " ")] = {code = r[2], class = r[3]}
    aliases[#aliases + 1] = r[1]
  end
  local NW = "(?i:" .. phrase_trie(plain) .. ")"
  local L = "(?<![\\p{L}\\p{N}_.,+/#]|[\\p{L}\\p{N}]-)"
  -- (no qualifier is a prefix of another: at most one matches at a
  -- position, so the trie's order is moot)
  local quals = {"about", "around", "approximately", "roughly", "nearly",
    "almost", "some", "over", "under", "more than", "less than", "fewer than", "at least", "at most",
    "up to", "as many as", "as much as", "as few as", "no fewer than", "no more than", "no less than",
    "close to", "an estimated", "upwards of", "just over", "just under", "well over", "more or less"}
  local QUAL = "(?:(?<qual>(?i:" .. phrase_trie(quals) .. "))\\h+)?"
  local CUR = "(?<cur>US\\$|\\$|€|£|(?:USD|EUR|GBP|AZN|AMD|RUB)\\s?)?"
  local DIG = "(?<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9]+(?:\\.[0-9]+)?)"
  local SCALE = "(?:\\s*(?<scale>(?i:thousand|million|billion|trillion)|bn|mn|m|k)(?![\\p{L}\\p{N}]))?"
  local WNUM = "(?<wnum>(?i:a)\\s+(?i:dozen)|" .. NW .. "(?:(?:\\s+|-)" .. NW .. ")*(?:\\s+and\\s+(?:a\\s+)?half)?)"
  local UNIT = "(?:(?:\\s*-\\s*|\\s*)(?<unit>" .. alternation(aliases) .. "))?"
  local TAIL = "(?![\\p{L}\\p{N}]|-\\p{L}|[.,][0-9]|[+/:][0-9])"
  -- Both scans start only where a quantity's first word can: see
  -- word_start_scan; a match begins with a digit or currency, or the first
  -- three letters (spaces as \\s+) of a qualifier or number phrase.
  local firsts = {"a dozen"}
  for _, w in ipairs(quals) do firsts[#firsts + 1] = w end
  for _, w in ipairs(plain) do firsts[#firsts + 1] = w end
  local START = "(?=[0-9$€£]|US|EUR|GBP|AZN|AMD|RUB|(?i:" .. phrase_trie(firsts, 3) .. "))"
  data.re_source = L .. QUAL .. CUR .. "(?:" .. DIG .. SCALE .. "|" .. WNUM .. "(?![\\p{L}]))" .. UNIT .. TAIL
  data.re = word_start_scan(START, data.re_source, "[a-zA-Z0-9_]")
  -- what a vague count must contain (see may_be_vague): the first word of
  -- each vague entry, and the words after "tens of" / "hundreds of"
  data.vague_words = {}
  local seen = {}
  for _, w in ipairs{"thousands", "millions", table.unpack(vague)} do
    w = w:lower():match("%S+")
    if not seen[w] then seen[w] = true; data.vague_words[#data.vague_words + 1] = needle(w) end
  end
  firsts = {"tens"}
  for _, w in ipairs(quals) do firsts[#firsts + 1] = w end
  for _, w in ipairs(vague) do firsts[#firsts + 1] = w end
  data.vague_source = "(?<![\\p{L}\\p{N}])" .. QUAL .. "(?<vague>(?i:tens|hundreds)\\s+of\\s+"
    .. "(?i:thousands|millions)|(?i:" .. alternation(vague) .. "))(?![\\p{L}\\p{N}])"
  data.vague = word_start_scan("(?=(?i:" .. phrase_trie(firsts, 3) .. "))", data.vague_source, "[a-zA-Z0-9]")
  -- clock times and phone numbers: numbers inside them are not counts
  data.block = lode.regex("(?<![\\p{N}])(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\\s*[ap]\\.?m\\.?)?"
    .. "|[0-9]{1,2}\\s*[ap]\\.m\\.|[0-9]{1,2}\\s*(?:am|pm|AM|PM)(?![\\p{L}])"
    .. "|(?:\\+[0-9]{1,3}[\\s.-]?)?\\(?[0-9]{2,4}\\)?(?:[\\s.-][0-9]{2,4}){2,}"
    .. "|\\+[0-9]{1,3}[\\s.-]?[0-9][0-9\\s.-]{5,}[0-9])(?![\\p{N}])")
  data.ref_before = lode.regex("(?i:page|pages|p\\.|pp\\.|no\\.|nos\\.|number|vol\\.|chapter|article|"
    .. "section|paragraph|item|line|tel\\.?|phone|fax|flight|resolution|code|model|version|#)\\s*$")
  data.name_before = lode.regex("\\s(\\p{Lu}[\\p{L}\\p{N}]*)\\h+$")
  data.word_at = lode.regex("\\G\\h+([\\p{L}][\\p{L}\\p{M}'’-]*)")
  -- the loops in M.quantities read captures by position
  assert(data.re:groups() == 6 and data.vague:groups() == 2 and data.block:groups() == 0)
  local at = 0
  for _, name in ipairs{"qual", "cur", "num", "scale", "wnum", "unit"} do
    local x = data.re_source:find("(?<" .. name .. ">", 1, true)
    assert(x and x > at, "quantities: capture order")
    at = x
  end
  return data
end

-- Capitalised words that may precede a number without making it a name.
local NOT_NAME = {}
for w in ("In On At By Of The And Or But To For From With About Over Some Nearly Almost Around "
  .. "Up More Less At Only Another Just Roughly Approximately Under Since After Before During "
  .. "Between Than Of Its His Her Their Our A An All Also Some These Those When While As"):gmatch("%a+") do
  NOT_NAME[w] = true
end

-- Words that end the search for what is counted.
local STOP = {}
for w in ("the a an of in on at to from for with by and or but as than that which who whom whose "
  .. "were was are is be been being had has have will would could should may might must can did do "
  .. "does went got its their his her this these those it they he she we you i not no per each every "
  .. "into during after before since until over under between among about later ago earlier "
  .. "there here where when while if so such then also only just"):gmatch("%a+") do
  STOP[w] = true
end

-- --- parsing -------------------------------------------------------------

local SCALES = {thousand = 1e3, million = 1e6, billion = 1e9, trillion = 1e12,
                bn = 1e9, mn = 1e6, m = 1e6, k = 1e3}

local function words_value(s, num)
  s = s:lower()
  if s:match("^a%s+dozen$") then return 12 end
  local total, cur, seen = 0, 0, false
  local half = s:match("and%s+a?%s*half$") ~= nil
  s = s:gsub("%s+and%s+a?%s*half$", "")
  for w in s:gmatch("%a+") do
    local e = num[w]
    if not e then return nil end
    seen = true
    if e.kind == "scale" then
      if e.value == 12 or e.value == 100 then
        cur = (cur == 0 and 1 or cur) * e.value
      else
        total = total + (cur == 0 and 1 or cur) * e.value
        cur = 0
      end
    else
      cur = cur + e.value
    end
  end
  if not seen then return nil end
  local v = total + cur
  if half then v = v + 0.5 end
  return v
end

local function plural_like(w)
  return #w >= 4 and w:sub(-1) == "s" and not w:match("ss$") and not w:match("us$")
    and not w:match("is$") and not w:match("['’]s$")
end

-- What a quantity counts, from the words after it: see the module comment.
-- Returns the word and its last byte's offset in `after`, or nil.
local function head_noun(d, after)
  local init = 1
  for k = 1, 4 do
    local _, e, w = d.word_at:find(after, init)
    if not w then return nil end
    local lw = w:lower()
    if STOP[lw] then return nil end
    if d.counted[lw] or plural_like(lw) then return w, e end
    init = e + 1
  end
  return nil
end

local window = extract.window
local keysort = require "lode.extract.keysort"

-- Whether view text `vt` may hold a vague count. PCRE2's caseless match of
-- an ASCII letter takes its two cases and, for s and k only, U+017F and
-- U+212A: a text without those two whose ASCII lower case holds no part of
-- any vague word has no match (most texts: the vague pattern, slow for its
-- leading optional qualifier, need not run).
local function may_be_vague(d, vt)
  if vt:find("\197\191", 1, true) or vt:find("\226\132\170", 1, true) then return true end
  local lower = vt:lower()
  for _, nd in ipairs(d.vague_words) do
    if has_word(lower, nd) then return true end
  end
  return false
end

-- Candidates sorted leftmost-longest: as integer keys i | longest first
-- (see keysort), unless one is too long for its field.
local LEN_FIELD = 1 << 20
local function candidate_key(c)
  local len = c.j - c.i
  if len >= LEN_FIELD - 1 then return nil end
  return c.i * LEN_FIELD + (LEN_FIELD - 1 - len)
end

local function candidate_before(a, b)
  return a.i < b.i or (a.i == b.i and a.j > b.j)
end

local function start_of(span) return span.i end
local function start_before(a, b) return a.i < b.i end

local function overlaps_any(spans, i, j, from)
  -- spans sorted by i; `from` is a moving start index (both lists sorted)
  local k = from
  while spans[k] and spans[k].j < i do k = k + 1 end
  local s = spans[k]
  return s ~= nil and s.i <= j, k
end

--- All quantity records of `doc` (see the module comment).
function M.quantities(doc, opts)
  opts = opts or {}
  local out = {}
  local text = doc:text()
  if #text == 0 then return out end
  local d = load_data()
  local view = extract.shared(doc, "view/typography", function(x) return x:normalize{fold = "typography"} end)

  -- matched on the view's text with gfind(), whose captures come by
  -- position, mapped back with view:origin (cheaper than doc:gmatch's
  -- match tables)
  local vt, origin = view:text(), view.origin

  local blocked = {}
  for _, r in ipairs(require("lode.extract.dates").shared(doc)) do
    blocked[#blocked + 1] = r                  -- read-only: only i, j are used
  end
  for a, b in d.block:gfind(vt) do
    local i, j = origin(view, a, b)
    blocked[#blocked + 1] = {i = i, j = j}
  end
  keysort(blocked, start_of, start_before)

  local cands = {}
  -- A match overlapping a blocked span is dropped below whatever its
  -- extent (the test looks at the first span ending at or after its start,
  -- and the counted noun only extends its end): skip its rules up front.
  local rk = 1
  for a, b, qual, cur, num, scale, wnum, munit in d.re:gfind(vt) do
    local mi, mj = origin(view, a, b)
    local blocked_here
    blocked_here, rk = overlaps_any(blocked, mi, mj, rk)
    if not blocked_here then
      local value, unit, class
      scale = scale or nil
      cur = cur or nil
      if num then
        value = tonumber((num:gsub(",", "")))
        if scale then
          local s = scale:lower()
          if s == "m" and not cur then
            unit, class, scale = "m", "measure", nil     -- "300m" is metres without a currency
          else
            value = value * SCALES[s]
          end
        end
      else
        value = words_value(wnum, d.num)
      end
      if munit then
        local u = d.units[munit:lower():gsub("%s+", " ")]
        if u then unit, class = u.code, u.class end
      end
      if cur then
        local c = cur:gsub("%s+$", "")
        unit = ({["$"] = "USD", ["US$"] = "USD", ["€"] = "EUR", ["£"] = "GBP"})[c] or c
        class = "currency"
      end
      local keep = value ~= nil
      if keep and num and not qual and not cur then
        local before = window(text, math_max(1, mi - 40), mi - 1)
        local w = d.name_before:match(" " .. before)
        if w and not NOT_NAME[w] then keep = false end
        if d.ref_before:find(before) then keep = false end
      end
      local counts, ce
      if keep and not class then
        counts, ce = head_noun(d, window(text, mj + 1, mj + 120))
      end
      if keep and wnum and wnum:lower() == "one" and not class
          and not (counts and d.counted[counts:lower()]) then
        keep = false
      end
      if keep then
        local q = qual and qual:lower():gsub("%s+", " ") or nil
        local j = ce and mj + ce or mj
        cands[#cands + 1] = {kind = "quantity", text = text:sub(mi, j), i = mi, j = j,
          value = math_tointeger(value) or value, unit = unit, counts = counts, qualifier = q}
      end
    end
  end
  for a, b, qual, vague in d.vague:gfind(may_be_vague(d, vt) and vt or "") do
    local mi, mj = origin(view, a, b)
    local v = vague:lower():gsub("%s+", " ")
    local value
    if v:match("^tens of") then value = 10 * (v:match("thousands$") and 1e3 or 1e6)
    elseif v:match("^hundreds of") then value = 100 * (v:match("thousands$") and 1e3 or 1e6)
    else value = d.num[v] and d.num[v].value end
    if value then
      local q = qual and (qual:lower():gsub("%s+", " ") .. " " .. v) or v
      local after = window(text, mj + 1, mj + 120)
      local skip = #(after:match("^%s+of%f[%A]") or "")
      local counts, ce = head_noun(d, after:sub(skip + 1))
      local j = ce and mj + skip + ce or mj
      cands[#cands + 1] = {kind = "quantity", text = text:sub(mi, j), i = mi, j = j,
        value = math_tointeger(value) or value, qualifier = q, counts = counts}
    end
  end
  keysort(cands, candidate_key, candidate_before)

  local inscope = extract.scope(doc, opts)
  local bk, last_j = 1, 0
  for _, c in ipairs(cands) do
    local hit
    hit, bk = overlaps_any(blocked, c.i, c.j, bk)
    if not hit and c.i > last_j and inscope(c.i, c.j) then
      c.line = doc:line_of(c.i)
      out[#out + 1] = c
      last_j = c.j
    end
  end
  return out
end

return setmetatable(M, {__call = function(_, doc, opts) return M.quantities(doc, opts) end})
