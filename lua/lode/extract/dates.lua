--- lode.extract.dates: dates in running text, resolved to ISO 8601 values.
--
-- dates(doc [, opts]) -> array of records in document order:
--   {kind = "date", text, i, j, line, value, precision, modifier, resolved}
-- where doc:sub(i, j) == text (1-based inclusive bytes of the original).
--
-- Values:
--   "2021-11-16" day, "2023-12" month, "2024" year,
--   "2021/2023", "2021-05/2021-11", "2021-11-16/2021-11-17" ranges
--   (ISO 8601 intervals), "199X" a decade ("the 1990s": EDTF notation for
--   an unspecified last digit), "--11-16" / "--11" a month-day / month whose
--   year could not be found at all (ISO 8601:2000 truncated form).
-- modifier: "early" | "mid" | "late" | "end of" | "beginning of" |
--   "start of" | "middle of" when the text qualifies the date
--   ("late December 2023" -> value "2023-12", modifier "late"); the
--   modifier is part of `text`.
-- resolved: "explicit" (the text states the year), "publication" (the year
--   of the publication date), "context" (the year of the nearest preceding
--   date with a month in it, or of a coordinated date: "May and November
--   2021"; failing both, of the latest such date in the document).
--
-- Rules (why): month names count only when capitalised AND either followed
-- by a day or year or preceded by a cue word ("in", "since", "by", "last",
-- "this past", "early", "mid-", "the" ...), so "Armenia may", "March" the
-- noun and "August" the adjective are not dates. A bare four-digit number
-- 1600-2099 is a year unless it reads as a count (preceded by a qualifier
-- such as "about"/"over", followed by a counted noun from counted.txt or a
-- unit), is part of a name (follows a capitalised word: "Agenda 2030",
-- "Vision 2030", "Resolution 1997" -- names, not dates), has a thousands
-- separator, or is a page / number reference. A year used attributively is
-- a date: "the 1997 Treaty on Friendship" -> "1997", "the 2020 war" ->
-- "2020", "post-2020" -> "2020". Overlapping candidates are resolved
-- leftmost-longest, so "between May and November 2021" is one range record.
--
-- The publication date is lode.meta(doc).published when lode.meta exists;
-- otherwise the first full date that stands alone on its line (a dateline)
-- in the first half of the document. A bare "November 16" takes the year
-- of a date earlier on the same line (paragraph), else of the publication
-- date (the year before when the day would fall after publication), else
-- of the nearest month-precise date before it, else of the latest one in
-- the document (articles talk about their own past), else stays "--11-16".
-- Scanning is done by PCRE2 over a typography-folded view (dashes, NBSP);
-- spans are mapped back to the original bytes.

local lode = require "lode"
local extract = require "lode.extract"

local ipairs, pairs, tonumber, type, pcall, require, setmetatable =
  ipairs, pairs, tonumber, type, pcall, require, setmetatable
local string_format, table_sort, table_concat, math_max =
  string.format, table.sort, table.concat, math.max

local M = {}

local MONTHS = {jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6,
                jul = 7, aug = 8, sep = 9, oct = 10, nov = 11, dec = 12}
local DAYS_IN = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

-- Regex building blocks (PCRE2, UTF+UCP; case-sensitive unless (?i:)).
local MON_FULL = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
local MON_ANY = "(?:January|February|March|April|May|June|July|August|September|October|November|December"
  .. "|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?)"
local WD = "(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
  .. "|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\\.?,?\\s+)?"
local DAY = "(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
local YEAR = "(?:1[6-9][0-9][0-9]|20[0-9][0-9])"
local L = "(?<![\\p{L}\\p{N}])"            -- left word edge (no Unicode \b cost)
local R = "(?![\\p{L}\\p{N}])"              -- right word edge
local MOD = "(?:(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)\\s+of\\s+(?:the\\s+year\\s+)?)?"
local CUE = "(?<![\\p{L}])(?i:in|since|until|till|by|from|during|through|throughout|before|after|"
  .. "of|last|this|next|past|around|between|to)\\s+"

-- Candidate patterns; `kind` tells how to read the match.
local PATTERNS = {
  -- November 16-17, 2021
  {kind = "mdy_range", re = L .. MOD .. "(?<m>" .. MON_ANY .. ")\\s*(?<d1>" .. DAY .. ")\\s*(?:-|to|and)\\s*(?<d2>"
    .. DAY .. "),?\\s+(?<y>" .. YEAR .. ")" .. R},
  -- between May and November 2021 / from May to November 2021 / May-November 2021
  {kind = "my_range", re = L .. "(?:(?i:between|from)\\s+)?(?<m1>" .. MON_FULL
    .. ")(?:\\s*-\\s*|\\s+(?:and|to|until|through)\\s+)(?<m2>" .. MON_FULL .. "),?\\s+(?<y>" .. YEAR .. ")" .. R,
    needs_between = true},
  -- Tuesday, January 10th, 2024 / Jan. 10 2024
  {kind = "mdy", re = L .. WD .. MOD .. "(?<m>" .. MON_ANY .. ")\\s*(?<d>" .. DAY .. "),?\\s+(?<y>" .. YEAR .. ")" .. R},
  -- 10 January 2024 / the 10th of January, 2024
  {kind = "dmy", re = L .. WD .. "(?:the\\s+)?(?<d>" .. DAY .. ")(?:\\s+of)?\\s+(?<m>" .. MON_ANY .. "),?\\s+(?<y>"
    .. YEAR .. ")" .. R},
  -- 2024-01-10 / 2024/01/10
  {kind = "iso", re = "(?<![\\p{L}\\p{N}/.-])(?<y>" .. YEAR .. ")(?<sep>[-/])(?<mm>0[1-9]|1[0-2])\\k<sep>(?<d>[0-2][0-9]|3[01])(?![\\p{L}\\p{N}]|[-/.:][0-9])"},
  -- late December 2023 / November 2020 / end of 2023 / early 2024
  {kind = "my", re = L .. MOD .. "(?<m>" .. MON_FULL .. ")(?:,|\\s+of)?\\s+(?<y>" .. YEAR .. ")" .. R},
  {kind = "moy", re = "(?<![\\p{L}])(?<mod>(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)\\s+of\\s+(?:the\\s+year\\s+)?)(?<y>"
    .. YEAR .. ")(?!['’]?s)" .. R},
  -- 2021-2023 / 2021-22
  {kind = "yy_range", re = "(?<![\\p{L}\\p{N}$€£.,/-])(?<y1>" .. YEAR .. ")\\s*-\\s*(?<y2>" .. YEAR .. "|[0-9][0-9])(?![\\p{L}\\p{N}]|[.,][0-9]|-[0-9])"},
  -- between 2021 and 2023 / from 2021 to 2023
  {kind = "yy_range", re = L .. "(?i:between|from)\\s+(?<y1>" .. YEAR .. ")\\s+(?:and|to|until|through)\\s+(?<y2>"
    .. YEAR .. ")" .. R},
  -- the 1990s / early 2000s
  {kind = "decade", re = L .. MOD .. "(?<dec>1[6-9][0-9]0|20[0-9]0)['’]?s" .. R},
  -- Tuesday, November 16 / Jan. 10 / mid-November 16 (no year)
  {kind = "md", re = L .. WD .. MOD .. "(?<m>" .. MON_ANY .. ")\\s*(?<d>" .. DAY .. ")(?![\\p{L}\\p{N}]|[.,:][0-9]|\\s*%)"},
  -- 16 November / the 16th of November (no year)
  {kind = "dm", re = L .. "(?<d>" .. DAY .. ")(?:\\s+of)?\\s+(?<m>" .. MON_FULL .. ")" .. R},
  -- early/mid/late November; in November; this past May
  {kind = "m", re = L .. "(?<mod>(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)\\s+of\\s+)(?<m>" .. MON_FULL .. ")" .. R},
  {kind = "m", re = CUE .. "\\K(?<m>" .. MON_FULL .. ")" .. R},
  {kind = "m", re = "(?<![\\p{L}])(?i:the)\\s+\\K(?<m>January|February|April|June|July|September|October|November|December)(?=\\s+\\p{Ll})"},
  -- bare year (filtered below)
  {kind = "y", re = "(?<![\\p{L}\\p{N}$€£.,/#:+]|[\\p{N}]-)(?<y>" .. YEAR .. ")(?!\\p{N}|[.,][0-9]|\\s*%|:[0-9]|-[0-9]|['’]?s" .. R .. ")(?!\\p{L})"},
}

-- Pre-filter (why: 16 full-text passes were most of the time). Every
-- pattern above contains a month name (all spellings start with one of the
-- twelve three-letter prefixes, case-sensitive) or a YEAR / decade: the
-- first such group of a pattern is its anchor, a month or a year, and every
-- match holds a match of that kind's ANCHORS regex. None of the patterns
-- can match across anything but \s-whitespace between its words (no `.`,
-- no negated class), none repeats a group, and look-behinds look at most
-- two characters back without whitespace. So a match, with its
-- look-arounds, touches at most B runs of whitespace before its anchor and
-- F after it (B, F = the most \s atoms before / after the anchor group, over
-- the patterns anchored on that kind); the text from B + 1
-- whitespace-separated tokens before an anchor's token to F + 1 tokens
-- after it holds every match through that anchor, and matching a pattern
-- only inside the union of the regions of its kind finds exactly its
-- full-text matches (months are rarer than years, and the year patterns
-- need shorter margins, so the two kinds' regions are scanned apart).
-- Tokens are cut at ASCII whitespace (Lua's %s); PCRE's \s also takes
-- Unicode spaces, which the typography fold turns into ASCII ones, except
-- the few below: a view holding one of those is scanned whole, as before.
local ANCHORS = {
  month = lode.regex("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"),
  year = lode.regex("1[6-9][0-9][0-9]|20[0-9][0-9]"),
}
local BATCH = 4096                          -- bytes matched per find() subject
local OTHER_SPACE = {"\194\133", "\225\154\128", "\226\128\168", "\226\128\169"}  -- U+0085 U+1680 U+2028 U+2029

-- Named groups that hold a month or a year, and their anchor kind: the
-- first one in a pattern is where its anchor is (nothing before it can hold
-- one: weekday, modifier and cue words contain no month prefix, a day has
-- at most two digits).
local ANCHOR_GROUPS = {["(?<m>"] = "month", ["(?<m1>"] = "month", ["(?<y>"] = "year",
                       ["(?<y1>"] = "year", ["(?<dec>"] = "year"}

-- compiled[prio] = {kind, re, needs_between, names}; groups = one
-- {anchor, before, after, prios} per anchor kind, prios in pattern order
local compiled, groups
local function compile()
  if compiled then return compiled, groups end
  compiled, groups = {}, {}
  local by_kind = {}
  for k, p in ipairs(PATTERNS) do
    local re = lode.regex(p.re)
    local names = {}
    for name in p.re:gmatch("%(%?<(%a%w*)>") do names[#names + 1] = name end
    -- every group is named: find()'s captures map to names by position
    assert(re:groups() == #names, "dates: unnamed group in pattern " .. k)
    assert(#names <= 5, "dates: scan() takes up to five groups, pattern " .. k)
    assert(not p.re:find("%)[%*%+{]"), "dates: repeated group in pattern " .. k)
    local at, kind
    for g, gkind in pairs(ANCHOR_GROUPS) do
      local x = p.re:find(g, 1, true)
      if x and (not at or x < at) then at, kind = x, gkind end
    end
    assert(at, "dates: no month or year group in pattern " .. k)
    local _, nb = p.re:sub(1, at - 1):gsub("\\s", "")
    local _, nf = p.re:sub(at):gsub("\\s", "")
    local grp = by_kind[kind]
    if not grp then
      grp = {anchor = ANCHORS[kind], before = 0, after = 0, prios = {}}
      by_kind[kind] = grp
      groups[#groups + 1] = grp
    end
    -- B + 1 / F + 1 words around the anchor's own word
    grp.before = math_max(grp.before, nb + 1)
    grp.after = math_max(grp.after, nf + 1)
    grp.prios[#grp.prios + 1] = k
    compiled[k] = {kind = p.kind, re = re, needs_between = p.needs_between, names = names}
  end
  return compiled, groups
end

--- The regions of view text `vt` that can hold a match of group `grp`'s
-- patterns: a flat array of sorted, disjoint 1-based inclusive spans {i1,
-- j1, i2, j2, ...} (see ANCHORS), or nil to scan the whole text (when one
-- region is BATCH bytes or more: text that dense in dates is scanned whole,
-- in linear time).
local function regions(vt, grp)
  local out = grp.anchor:windows(vt, grp.before, grp.after)
  for k = 1, #out, 2 do
    if out[k + 1] - out[k] >= BATCH then return nil end
  end
  return out
end

--- The regions joined by NUL (not whitespace: the margins keep every match
-- and its look-arounds off the joins, see ANCHORS) into batches of at most
-- BATCH bytes: find() checks its whole subject each call, so the subject
-- must stay short for the loop to stay linear. Each batch: {cat, regs,
-- cstart}, regs[n] the view offset of its n-th region, cstart[n] where that
-- starts in cat.
local function batches_of(vt, regs)
  local batches, cur, clen = {}, nil, 0
  for k = 1, #regs, 2 do
    local ri, rj = regs[k], regs[k + 1]
    local len = rj - ri + 1
    if not cur or clen + len > BATCH then
      cur = {parts = {}, regs = {}, cstart = {}}
      batches[#batches + 1] = cur
      clen = 0
    end
    local n = #cur.parts + 1
    cur.parts[n] = vt:sub(ri, rj)
    cur.regs[n] = ri
    cur.cstart[n] = clen + 1
    clen = clen + len + 1
  end
  for _, bt in ipairs(batches) do bt.cat = table_concat(bt.parts, "\0") end
  return batches
end

--- Call fn(prio, p, m) for every match m of pattern p = compiled[prio] in
-- the batches, m shaped like a doc:gmatch match (i, j, named captures; no
-- line, no text: most matches lose to a longer one, so compute cuts the
-- text of those it keeps) and valid during the call only (reused).
local function scan_batches(view, batches, prio, p, fn)
  local origin = view.origin
  local find, re, names = p.re.find, p.re, p.names
  local n1, n2, n3, n4, n5 = names[1], names[2], names[3], names[4], names[5]
  local m = {}                  -- one table for all matches: fn does not keep it
  for _, bt in ipairs(batches) do
    local cat, cstart, bregs = bt.cat, bt.cstart, bt.regs
    local nregs = #bregs
    local init, r = 1, 1
    while true do
      local a, b, c1, c2, c3, c4, c5 = find(re, cat, init)
      if not a then break end
      while r < nregs and cstart[r + 1] <= a do r = r + 1 end
      local off = bregs[r] - cstart[r]
      local i, j = origin(view, a + off, b + off)
      m.i, m.j = i, j
      if n1 then m[n1] = c1 end
      if n2 then m[n2] = c2 end
      if n3 then m[n3] = c3 end
      if n4 then m[n4] = c4 end
      if n5 then m[n5] = c5 end
      fn(prio, p, m)
      init = b + 1
    end
  end
end

--- Call fn(prio, p, m) for every match m of every compiled pattern p in the
-- view (see scan_batches), by anchor kind, in pattern order and then text
-- order (compute sorts the candidates in a total order afterwards).
local function scan(doc, view, fn)
  local pats, grps = compile()
  local vt = view:text()
  local whole = false
  for _, sp in ipairs(OTHER_SPACE) do
    if vt:find(sp, 1, true) then whole = true end
  end
  for _, grp in ipairs(grps) do
    local regs = not whole and regions(vt, grp)
    if not regs then
      for _, prio in ipairs(grp.prios) do
        for m in doc:gmatch(pats[prio].re, {view = view}) do m.line = nil; fn(prio, pats[prio], m) end
      end
    elseif #regs > 0 then
      local batches = batches_of(vt, regs)
      for _, prio in ipairs(grp.prios) do scan_batches(view, batches, prio, pats[prio], fn) end
    end
  end
end

-- month and day captures are a few spellings, read once each
local month_seen, day_seen = {}, {}

local function month_of(name)
  if not name or name == false then return nil end
  local m = month_seen[name]
  if m == nil then
    m = MONTHS[name:sub(1, 3):lower()] or false
    month_seen[name] = m
  end
  return m or nil
end

local function day_of(s)
  local d = day_seen[s]
  if d == nil then
    d = tonumber(s:match("^%d+")) or false
    day_seen[s] = d
  end
  return d or nil
end

local function valid(y, m, d)
  if not m or m < 1 or m > 12 then return false end
  if d and (d < 1 or d > DAYS_IN[m]) then return false end
  if d and m == 2 and d == 29 and y and not (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then
    return false
  end
  return true
end

local function iso(y, m, d)
  if d then return string_format("%04d-%02d-%02d", y, m, d) end
  if m then return string_format("%04d-%02d", y, m) end
  return string_format("%04d", y)
end

-- first letters of the modifier words, either case
local MODIFIER_INITIAL = {}
for c in ("eEmMlLbBsS"):gmatch(".") do MODIFIER_INITIAL[c:byte()] = true end

local function modifier_of(text)
  if not MODIFIER_INITIAL[text:byte(1)] then return nil end
  local w = text:match("^(%a+)")
  if not w then return nil end
  w = w:lower()
  if w == "early" or w == "mid" or w == "late" then return w end
  if (w == "end" or w == "beginning" or w == "start" or w == "middle") and text:match("^%a+%s+of%s") then
    return w .. " of"
  end
  return nil
end

-- Word lists shared with quantities: nouns that are counted, units.
local counted_cache
local function counted()
  if counted_cache then return counted_cache end
  local ok, words = pcall(require, "lode.words")
  counted_cache = ok and words.list("counted") or {}
  return counted_cache
end

local QUALIFIED = lode.regex("(?i:about|around|approximately|roughly|nearly|almost|some|over|under|"
  .. "more\\s+than|less\\s+than|fewer\\s+than|at\\s+least|at\\s+most|up\\s+to|as\\s+many\\s+as|estimated|"
  .. "page|pages|p\\.|pp\\.|no\\.|number|nos?\\.|vol\\.|chapter|article|section|paragraph|flight|resolution)\\s*$")
local NAME_BEFORE = lode.regex("\\s(?<w>\\p{Lu}[\\p{L}\\p{N}]*)\\s+$")
local NOT_NAME = {In = true, Since = true, By = true, Until = true, From = true, During = true,
  Before = true, After = true, Of = true, The = true, And = true, Or = true, To = true, Through = true,
  Between = true, Early = true, Late = true, Mid = true, Around = true, This = true, Last = true,
  Next = true, Summer = true, Winter = true, Spring = true, Autumn = true, Fall = true, Until_ = true,
  A = true, An = true, Its = true, His = true, Her = true, Their = true, Our = true}
local UNIT_AFTER = lode.regex("^\\s*(?i:square|sq\\.?|km|kilomet|met(?:er|re)s|miles|tons|tonnes|kg|"
  .. "dollars|euros?|manats?|drams?|rubles|USD|EUR|AZN|AMD|percent|per\\s+cent)(?![\\p{L}])")
local WORDS_AFTER = lode.regex("^\\s+(?<w1>[\\p{L}-]+)(?:\\s+(?<w2>[\\p{L}-]+))?")

-- Is the bare year at [i, j] of `text` really a year?
local window = extract.window
local keysort = require "lode.extract.keysort"

local function bare_year_ok(text, i, j)
  local before = window(text, math_max(1, i - 40), i - 1)
  if QUALIFIED:find(before) then return false end
  local w = NAME_BEFORE:match(" " .. before)
  if w then
    if not NOT_NAME[w] and not MONTHS[w:sub(1, 3):lower()] then return false end
  end
  local after = window(text, j + 1, j + 60)
  if UNIT_AFTER:find(after) then return false end
  local m1, m2 = WORDS_AFTER:match(after)
  if m1 then
    local c = counted()
    local w1 = m1 and m1 ~= false and m1:lower()
    local w2 = m2 and m2 ~= false and m2:lower()
    -- "2000 soldiers", "2000 Armenian soldiers" but not "the 2020 war";
    -- a determiner or preposition before settles it as a year. (The last
    -- word by an anchored pattern: see quotes.lua on "(%a+)...$".)
    local det = before:match("^.*%f[%a](%a+)%s*$")
    det = det and det:lower()
    local dated = det and (det == "the" or det == "in" or det == "since" or det == "of"
      or det == "by" or det == "until" or det == "from" or det == "during" or det == "before"
      or det == "after" or det == "early" or det == "late" or det == "mid" or det == "post" or det == "pre")
    if not dated and ((w1 and c[w1]) or (w2 and c[w2] and not c[w1 or ""] and w1 and w1:match("^%l"))) then
      return false
    end
  end
  return true
end

--- The publication date of `doc` as {y, m, d} or nil, and the candidate
-- list (for when lode.meta is absent: the first dateline-like full date).
local function publication(doc, cands)
  if extract.available("lode.meta") then
    local ok, meta = pcall(require, "lode.meta")
    if ok then
      local ok2, m = pcall(meta, doc)
      local p = ok2 and type(m) == "table" and m.published
      if type(p) == "string" then
        local y, mo, d = p:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
        if y then return {tonumber(y), tonumber(mo), tonumber(d)} end
      end
    end
  end
  local half = #doc // 2
  for _, c in ipairs(cands) do
    if c.i > half then break end
    if c.y and c.m and c.d and not c.range then
      local li, lj = doc:line_span(c.line)
      if (lj - li + 1) - #c.text <= 40 then return {c.y, c.m, c.d} end
    end
  end
  return nil
end

-- (the modifier is read from the text of the dates kept, see compute)
local function interpret(kind, m)
  local r = {}
  if kind == "mdy" or kind == "md" or kind == "dmy" or kind == "dm" or kind == "mdy_range" then
    r.m = month_of(m.m)
    r.d = day_of(m.d or m.d1)
    if kind == "mdy_range" then r.d2 = day_of(m.d2) end
    if m.y and m.y ~= false then r.y = tonumber(m.y) end
    if not valid(r.y, r.m, r.d) then return nil end
    if r.d2 and (not valid(r.y, r.m, r.d2) or r.d2 <= r.d) then return nil end
    r.range = r.d2 and true or nil
  elseif kind == "iso" then
    r.y, r.m, r.d = tonumber(m.y), tonumber(m.mm), tonumber(m.d)
    if not valid(r.y, r.m, r.d) then return nil end
  elseif kind == "my" or kind == "m" then
    r.m = month_of(m.m)
    if m.y and m.y ~= false then r.y = tonumber(m.y) end
  elseif kind == "moy" or kind == "y" then
    r.y = tonumber(m.y)
  elseif kind == "my_range" then
    r.m, r.m2, r.y = month_of(m.m1), month_of(m.m2), tonumber(m.y)
    if r.m2 <= r.m then return nil end
    r.range = true
  elseif kind == "yy_range" then
    local y1, y2 = tonumber(m.y1), m.y2
    if #y2 == 2 then y2 = (y1 // 100) * 100 + tonumber(y2) else y2 = tonumber(y2) end
    if y2 <= y1 or y2 - y1 > 100 then return nil end
    r.y, r.y2, r.range = y1, y2, true
  elseif kind == "decade" then
    r.decade = m.dec:sub(1, 3)
  end
  return r
end

local function value_of(c)
  if c.decade then return c.decade .. "X" end
  if c.y2 then return string_format("%04d/%04d", c.y, c.y2) end
  if not c.y then
    if c.d then return string_format("--%02d-%02d", c.m, c.d) end
    return string_format("--%02d", c.m)
  end
  if c.m2 then return iso(c.y, c.m) .. "/" .. iso(c.y, c.m2) end
  if c.d2 then return iso(c.y, c.m, c.d) .. "/" .. iso(c.y, c.m, c.d2) end
  return iso(c.y, c.m, c.d)
end

-- Candidates sorted leftmost-longest, then by pattern priority: as integer
-- keys i | longest first | prio (see keysort), unless a match is too long
-- for its field.
local LEN_FIELD, PRIO_FIELD = 1 << 16, 1 << 8
local function candidate_key(c)
  local len = c.j - c.i
  if len >= LEN_FIELD - 1 or c.prio >= PRIO_FIELD then return nil end
  return (c.i * LEN_FIELD + (LEN_FIELD - 1 - len)) * PRIO_FIELD + c.prio
end

local function candidate_before(a, b)
  if a.i ~= b.i then return a.i < b.i end
  if a.j ~= b.j then return a.j > b.j end
  return a.prio < b.prio
end

local COORD = lode.regex("^\\s*,?\\s*(?:and|or|to|through)\\s+(?:" .. MON_FULL .. ")\\s+(?:" .. DAY .. ",?\\s+)?(?<y>" .. YEAR .. ")" .. R)

-- Every date record of the whole page (scope is applied by M.dates).
local function compute(doc)
  local text = doc:text()
  local out = {}
  if #text == 0 then return out end
  local view = extract.shared(doc, "view/typography", function(x) return x:normalize{fold = "typography"} end)
  local cands = {}
  scan(doc, view, function(prio, p, m)
      local ok = true
      if p.kind == "my_range" then
        -- "May and November 2021" without between/from is a list, not a range
        local mt = text:sub(m.i, m.j)
        local first = mt:match("^(%a+)")
        if first ~= "between" and first ~= "Between" and first ~= "from" and first ~= "From"
            and not mt:match("^%a+%s*%-") and not mt:match("^%a+%s+to%s") then
          ok = false
        end
      end
      if ok then
        local c = interpret(p.kind, m)
        if c then
          c.i, c.j, c.prio, c.kind = m.i, m.j, prio, p.kind
          cands[#cands + 1] = c
        end
      end
  end)
  keysort(cands, candidate_key, candidate_before)
  local kept, last_j, line_of = {}, 0, doc.line_of
  for _, c in ipairs(cands) do
    -- bare years are checked only once no longer date has claimed them
    if c.i > last_j and (c.kind ~= "y" or bare_year_ok(text, c.i, c.j)) then
      c.line = line_of(doc, c.i)
      c.text = text:sub(c.i, c.j)
      c.modifier = modifier_of(c.text)
      kept[#kept + 1] = c
      last_j = c.j
    end
  end

  -- year resolution for month-day and bare-month dates
  local pub = publication(doc, kept)
  local latest
  for _, c in ipairs(kept) do
    if c.y and c.m and (not latest or c.y > latest.y or (c.y == latest.y and c.m > latest.m)) then
      latest = c
    end
  end
  local prev                                 -- nearest month-precise dated record
  local prev_line                            -- nearest explicit single year (any precision)
  for _, c in ipairs(kept) do
    if c.m and not c.y then
      local co = COORD:match(window(text, c.j + 1, c.j + 40))
      if co then
        c.y, c.resolved = tonumber(co), "context"
      elseif prev_line and prev_line.line == c.line then
        c.y, c.resolved = prev_line.y, "context"
      elseif pub and pub[1] then
        local y = pub[1]
        if pub[2] and (c.m > pub[2] or (c.m == pub[2] and c.d and pub[3] and c.d > pub[3])) then
          y = y - 1
        end
        c.y, c.resolved = y, "publication"
      elseif prev then
        c.y, c.resolved = prev.y, "context"
      elseif latest then
        c.y, c.resolved = latest.y, "context"
      else
        c.resolved = "none"
      end
      if c.y and c.d and not valid(c.y, c.m, c.d) then c.y, c.resolved = nil, "none" end
    else
      c.resolved = "explicit"
      if c.y and c.m and not c.range then prev = c end
      if c.y and not c.range and not c.decade then prev_line = c end
    end
  end

  for _, c in ipairs(kept) do
    local precision = c.decade and "decade" or (c.y2 or c.m2 or c.d2) and "range"
      or c.d and "day" or c.m and "month" or "year"
    out[#out + 1] = {kind = "date", text = c.text, i = c.i, j = c.j, line = c.line,
      value = value_of(c), precision = precision, modifier = c.modifier, resolved = c.resolved}
  end
  return out
end

--- Every date record of the whole page, shared with the other extractors
-- (read-only; computed once per document, see lode.extract.shared).
function M.shared(doc)
  return extract.shared(doc, "dates/page", compute)
end

--- All date records of `doc` (see the module comment).
function M.dates(doc, opts)
  local all = M.shared(doc)
  local inscope = extract.scope(doc, opts or {})
  local out = {}
  for _, r in ipairs(all) do
    if inscope(r.i, r.j) then
      out[#out + 1] = {kind = r.kind, text = r.text, i = r.i, j = r.j, line = r.line, value = r.value,
        precision = r.precision, modifier = r.modifier, resolved = r.resolved}
    end
  end
  return out
end

return setmetatable(M, {__call = function(_, doc, opts) return M.dates(doc, opts) end})
