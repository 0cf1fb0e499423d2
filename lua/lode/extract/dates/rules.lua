--- lode.extract.dates.rules: what counts as a date, and what it says.
--
-- RULES is the table an analyst edits: one entry per written form, tried
-- all together (the longest match at the leftmost start wins, then the
-- earlier rule). Each entry:
--   name   what the rule reads (also the record's internal kind)
--   re     a PCRE2 pattern (UTF, case-sensitive unless (?i:)) built from
--          the blocks below; every group is named, and the first of
--          month/m1, y/y1, dec, unit, wd, dx, chain, cent, nd is the
--          anchor word the engine's pre-filter looks for (lode.extract.dates)
--   read   fn(m) -> a date spec, or nil when the match is not a date:
--            y, m, d          the calendar fields the text states
--            y2, m2, d2       the end of a range
--            cue              a word before a bare month ("last", "next")
--            shift = {unit, n, prec}   n units from the anchor date
--                             (unit "day" | "week" | "weekend" | "month"
--                             | "year"; prec the value's precision)
--            weekday, dir     a weekday name, "last" / "next" / nil
--            chain            n days from the previous day-precise date
--                             ("the next day" 1, "the same day" 0)
--            also_quantity    the words also count a duration ("two
--                             years ago"): lode.extract.quantities keeps it
--   check  (optional) fn(text, i, j) -> false to drop a candidate only
--          once no longer date claims its bytes (bare years)
--   keep   (optional) fn(matched_text) -> false to drop it at once
--   needs  (optional) an anchor kind (see ANCHORS) of which every match
--          also holds a word besides its own anchor ("year": the rule's
--          year is not optional): the engine skips the text around its
--          anchors that holds none (on a page where both kinds are found
--          by their byte sequences alone)
--   lead   (optional) the anchor kinds (see ANCHORS) of the optional words
--          a match may open with before its anchor's word (a weekday, a
--          modifier: "Tuesday, May 5", "late May"): every match that starts
--          before the whitespace-separated word holding its anchor holds a
--          word of one of them (a byte sequence or a whole word of the kind)
--          before the anchor; the engine searches from the anchor's word
--          where the text before it holds none
--   bare   (with lead) the pattern without its optional opening words
--          (`led` below writes re and bare from the same blocks): what the
--          engine searches where no lead word stands, which finds the
--          same matches there at less cost (PCRE2 starts it at fewer bytes)
--   whole  (optional) true when the anchor word of every match is one of
--          its kind's whole words (ANCHORS: other languages' words, even
--          those holding one of the kind's byte sequences, "Novembre"):
--          searched only around those, on a page holding one
-- Vocabularies are data files read through lode.words: date_months,
-- date_weekdays, date_ordinals, numbers_en, date_year_context, months
-- (other languages' month names).

local lode = require "lode"
local words = require "lode.words"
local extract = require "lode.extract"

local tonumber, ipairs, pairs, math_max, table_sort =
  tonumber, ipairs, pairs, math.max, table.sort

local M = {}

-- Vocabularies --------------------------------------------------------------

-- the names of a list whose third field is `tag` ("" for none), and the
-- map of every name to its number
local function names(list, tag)
  local out, map = {}, {}
  for _, row in ipairs(words.rows(list)) do
    map[row[1]] = tonumber(row[2])
    if (row[3] or "") == tag then out[#out + 1] = row[1] end
  end
  return out, map
end

local month_full, MONTH = names("date_months", "")
local month_word = names("date_months", "word")
for _, w in ipairs(month_word) do month_full[#month_full + 1] = w end
local month_abbr = names("date_months", "abbr")
-- Month names of other languages (months.txt, as written in running text,
-- and capitalised): read only after a day number ("22 février 2023"),
-- since alone some are English words ("mars", "mai").
local month_foreign = {}
for _, row in ipairs(words.rows("months")) do
  local name, n = row[1], tonumber(row[2])
  for _, form in ipairs{name, name:sub(1, 1):upper() .. name:sub(2)} do
    if not MONTH[form] then month_foreign[#month_foreign + 1] = form; MONTH[form] = n end
  end
end
local weekday_full, WEEKDAY = names("date_weekdays", "")
local weekday_abbr = names("date_weekdays", "abbr")

local DEICTIC, DEICTIC_FR, deictic_words = {}, {}, {}
for _, row in ipairs(words.rows("date_deictic")) do
  DEICTIC[row[1]] = tonumber(row[2])
  DEICTIC_FR[row[1]] = row[3] == "fr" or nil
  deictic_words[#deictic_words + 1] = row[1]
end

-- relative phrases of other languages: phrase (lower case) -> {unit, n}
local RELATIVE, relative_words = {}, {}
for _, row in ipairs(words.rows("date_relative")) do
  RELATIVE[row[1]] = {unit = row[2], n = tonumber(row[3])}
  relative_words[#relative_words + 1] = row[1]
end

local ORDINAL = {}
for _, row in ipairs(words.rows("date_ordinals")) do ORDINAL[row[1]] = tonumber(row[2]) end

-- counts before "ago": the small number words of numbers_en ("two years ago")
local COUNT = {a = 1, an = 1}
for _, row in ipairs(words.rows("numbers_en")) do
  if row[3] == "unit" or row[3] == "tens" then COUNT[row[1]] = tonumber(row[2]) end
end
local count_words = {}
for w in pairs(COUNT) do count_words[#count_words + 1] = w end

local function alt(list) return "(?:" .. words.trie(list) .. ")" end
-- a trie whose apostrophes also match the typographic one (l'an, l’an)
local function apos_trie(list) return (words.trie(list):gsub("\\'", "['’]")) end
local function ialt(list) return "(?i:" .. words.trie(list) .. ")" end
local ordinal_words = {}
for w in pairs(ORDINAL) do ordinal_words[#ordinal_words + 1] = w end

-- Blocks ----------------------------------------------------------------------

local MON_FULL = alt(month_full)
local MON_NOT_WORD = alt(names("date_months", ""))   -- not also an English word
local MON_ANY = "(?:" .. words.trie(month_full) .. "|" .. words.trie(month_abbr) .. "\\.?)"
local WDAY = alt(weekday_full)
local WD = "(?:(?:" .. words.trie(weekday_full) .. "|" .. words.trie(weekday_abbr) .. ")\\.?,?\\s+)?"
local DAY = "(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
local DAY_NTH = "(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)"
local YEAR = "(?:1[6-9][0-9][0-9]|20[0-9][0-9])"
local L = "(?<![\\p{L}\\p{N}])"            -- left word edge (no Unicode \b cost)
local R = "(?![\\p{L}\\p{N}])"              -- right word edge
local MOD = "(?:(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)\\s+of\\s+(?:the\\s+year\\s+)?)?"
local CUE = "(?<![\\p{L}])(?<cue>(?i:in|since|until|till|by|from|during|through|throughout|before|after|"
  .. "of|last|this|next|past|around|between|to))\\s+"
local UNIT = "(?<unit>(?i:week|weekend|month|year))"

-- Anchors of the engine's pre-filter (lode.extract.dates): per kind, what
-- is found inside every match of a group of that kind -- `seqs`, byte
-- sequences found anywhere (a regex each: literal bytes and [classes],
-- "(?i)" first for either case; all found in one pass of the page), and
-- `whole`, the regex of the `words` found only as whole words (caseless:
-- in any case) -- and the groups that are anchors (the first in a pattern
-- is its anchor).
local function literal(w) return (w:gsub("[%[%]\\()|.*+?{}^$]", "\\%0")) end
local prefixes, seen = {}, {}
for _, name in ipairs(month_full) do
  local p = name:sub(1, 3)
  if not seen[p] then seen[p] = true; prefixes[#prefixes + 1] = literal(p) end
end
-- (few kinds: each is one pass of its regex over the page)
M.ANCHORS = {
  -- other languages' months whole and as words: their three-letter
  -- prefixes ("mar", "mai", "nov") open too many English words
  month = {seqs = prefixes, whole = words.trie(month_foreign), words = month_foreign},
  year = {seqs = {"1[6-9][0-9][0-9]", "20[0-9][0-9]"}},
  unit = nil,   -- below: day/week/... words, and the weekdays of other languages
  century = {seqs = {"[Cc]entury"}},
  numeric = {seqs = {"[0-9][./][0-9]"}},
  -- only needed (no rule is anchored on them): a decade's "s", a modifier
  -- and the "-" or \s after it (in the view \s is ASCII, see the engine)
  decade = {seqs = {"1[6-9][0-9]0s", "20[0-9]0s", "1[6-9][0-9]0's", "20[0-9]0's", "1[6-9][0-9]0’s", "20[0-9]0’s"}},
  wday = nil,   -- below: WD's abbreviations
  mod = {seqs = {"(?i)early[-\t-\r ]", "(?i)mid[-\t-\r ]", "(?i)late[-\t-\r ]", "(?i)end[\t-\r ]",
                 "(?i)beginning[\t-\r ]", "(?i)start[\t-\r ]", "(?i)middle[\t-\r ]"}, caseless = true},
}
M.ANCHOR_GROUPS = {["(?<m>"] = "month", ["(?<m1>"] = "month", ["(?<y>"] = "year",
                   ["(?<y1>"] = "year", ["(?<dec>"] = "year", ["(?<unit>"] = "unit",
                   ["(?<wd>"] = "unit", ["(?<dx>"] = "unit", ["(?<chain>"] = "unit",
                   ["(?<cent>"] = "century", ["(?<nd>"] = "numeric", ["(?<rx>"] = "unit"}
do  -- every weekday and deictic word of the data holds a unit anchor: the
  -- words below, or itself ("jeudi", "hier")
  local base_words = {"day", "week", "month", "year", "decade", "tomorrow", "night"}
  local unit, own, seqs = lode.regex("(?i:" .. table.concat(base_words, "|") .. ")"), {}, {}
  for k, w in ipairs(base_words) do seqs[k] = "(?i)" .. w end
  for _, list in ipairs{deictic_words, weekday_full, relative_words} do
    for _, w in ipairs(list) do
      if not unit:find(w) then own[#own + 1] = w end
    end
  end
  -- (as whole words: "hier" is inside "hierarchy")
  M.ANCHORS.unit = {seqs = seqs, whole = #own > 0 and "(?i:" .. apos_trie(own) .. ")" or nil, words = own,
                    caseless = true}
  -- the weekdays that hold a unit word, as the weekday rule writes them: a
  -- kind no rule is anchored on, only needed (a weekday of another
  -- language is a unit whole word: the engine filters nothing on a page
  -- holding one)
  local weekday = {}
  for _, w in ipairs(weekday_full) do
    if unit:find(w) then weekday[#weekday + 1] = literal(w) end
  end
  -- WD's words that are not the unit kind's (its sequences or whole words:
  -- "Tuesday", "jeudi"), in the case WD reads them, a word that another
  -- starts left out ("Tues"): only a lead, with the unit kind
  local is_own, wd = {}, {}
  for _, w in ipairs(own) do is_own[w] = true end
  for _, list in ipairs{weekday_full, weekday_abbr} do
    for _, w in ipairs(list) do
      if not (unit:find(w) or is_own[w]) then wd[#wd + 1] = w end
    end
  end
  local wday = {}
  for _, w in ipairs(wd) do
    local shortest = true
    for _, v in ipairs(wd) do
      if #v < #w and w:sub(1, #v) == v then shortest = false end
    end
    if shortest then wday[#wday + 1] = literal(w) end
  end
  M.ANCHORS.wday = {seqs = wday}
  M.ANCHORS.weekday = {seqs = weekday}
end

-- Readers -------------------------------------------------------------------

local DAYS_IN = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

--- Whether y-m-d is a calendar date (y, d optional).
function M.valid(y, m, d)
  if not m or m < 1 or m > 12 then return false end
  if d and (d < 1 or d > DAYS_IN[m]) then return false end
  if d and m == 2 and d == 29 and y and not (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then
    return false
  end
  return true
end
local valid = M.valid

-- captured days and month names are a few spellings: each read once
local num_seen, month_seen = {}, {}
local function num(s)
  if not s then return nil end
  local v = num_seen[s]
  if v == nil then
    v = tonumber(s:match("^%d+")) or false
    num_seen[s] = v
  end
  return v or nil
end
local function month(s)
  if not s then return nil end
  local v = month_seen[s]
  if v == nil then
    v = MONTH[s:gsub("%.$", "")] or false
    month_seen[s] = v
  end
  return v or nil
end

local function day_date(m)
  local r = {m = month(m.m), d = num(m.d), y = num(m.y)}
  if not valid(r.y, r.m, r.d) then return nil end
  return r
end

local function day_range(m)
  local r = {m = month(m.m), d = num(m.d1), d2 = num(m.d2), y = num(m.y)}
  if not (valid(r.y, r.m, r.d) and valid(r.y, r.m, r.d2)) or r.d2 <= r.d then return nil end
  r.m2 = r.m
  return r
end

local function month_date(m)
  return {m = month(m.m), y = num(m.y), cue = m.cue and m.cue ~= false and m.cue:lower() or nil}
end

local function year_date(m) return {y = num(m.y)} end

local function year_range(m)
  local y1, y2 = num(m.y1), m.y2
  y2 = #y2 == 2 and (y1 // 100) * 100 + tonumber(y2) or tonumber(y2)
  if y2 <= y1 or y2 - y1 > 100 then return nil end
  return {y = y1, y2 = y2}
end

local function month_range(m)
  local m1, m2 = month(m.m1), month(m.m2)
  if m2 <= m1 then return nil end
  return {y = num(m.y), m = m1, m2 = m2, y2 = num(m.y)}
end

local function decade(m)
  local y = tonumber(m.dec)
  return {y = y, y2 = y + 9}
end

local function century(n)
  if not n or n < 1 or n > 22 then return nil end
  return {y = (n - 1) * 100 + 1, y2 = n * 100}
end

-- 27.09.2020, 02.10.20 (day first), 9/27/2020 or 27/9/2020 (only when the
-- day tells which is which)
local function numeric(m)
  local a, b, y = tonumber(m.nd), tonumber(m.mm), m.y
  if #y == 2 then
    if m.sep ~= "." or #m.nd ~= 2 or #m.mm ~= 2 then return nil end
    y = 2000 + tonumber(y)
  else
    y = tonumber(y)
  end
  local d, mo = a, b
  if m.sep == "/" then
    if a > 12 and b <= 12 then d, mo = a, b
    elseif b > 12 and a <= 12 then d, mo = b, a
    else return nil end
  end
  if not valid(y, mo, d) then return nil end
  return {y = y, m = mo, d = d}
end

local REL_N = {last = -1, this = 0, next = 1, the = 0}

-- last week, this month, next year, this past week, earlier this month,
-- the end of the year
local function relative_unit(m)
  local rel = m.rel:lower():gsub("%s+", " ")
  local n = REL_N[rel:match("(%a+)$")]
  if rel == "this past" then n = -1 end
  local unit = m.unit:lower()
  if unit == "week" then return {shift = {unit = "week", n = n, prec = "month"}} end
  return {shift = {unit = unit, n = n, prec = unit}}
end

-- a year ago, two weeks ago
local function ago(m)
  local k = COUNT[m.n:lower()] or tonumber(m.n)
  if not k or k < 1 then return nil end
  local unit = m.unit:lower():gsub("s$", "")
  local spec = {also_quantity = not m.n:match("^[Aa]n?$")}
  if unit == "decade" then
    spec.shift = {unit = "year", n = -10 * k, prec = "year"}
  elseif unit == "year" then
    -- "a year ago" is about the same time last year; "five years ago" a year
    spec.shift = {unit = "year", n = -k, prec = k == 1 and "month" or "year"}
  elseif unit == "week" then         -- a week expression: the month of its day
    spec.shift = {unit = "week", n = -k, prec = "month"}
  else
    spec.shift = {unit = unit, n = -k, prec = unit}
  end
  return spec
end

local CHAIN = {following = 1, next = 1, same = 0, previous = -1}

-- The bare-year check: a four-digit number is a year unless it reads as a
-- count, a name or a reference (see check on the "year" rule).
local YEAR_CTX = {}
for _, row in ipairs(words.rows("date_year_context")) do
  local set = YEAR_CTX[row[2]] or {}
  set[row[1]] = true
  YEAR_CTX[row[2]] = set
end
local function phrase_re(set)
  local list = {}
  for w in pairs(set) do list[#list + 1] = w end
  table_sort(list)
  return "(?i:" .. words.trie(list) .. ")"
end
local QUALIFIED = lode.regex("(?<![\\p{L}\\p{N}])" .. phrase_re(YEAR_CTX.count) .. "\\s*$")
-- the last two bytes of the count phrases, in any ASCII case, as 256 *
-- byte1 + byte2: QUALIFIED can only match a text whose last two bytes
-- before its ASCII whitespace are one of them or not ASCII (why: most
-- years follow "in", and the unanchored search tried every byte)
local COUNT_ENDING = {}
local function cases(c) return c >= 97 and c <= 122 and {c, c - 32} or {c} end
for w in pairs(YEAR_CTX.count) do
  local a, b = w:lower():byte(-2, -1)
  assert(a and a ~= 32 and b ~= 32, "dates: a count phrase shorter than two letters")
  for _, x in ipairs(cases(a)) do
    for _, y in ipairs(cases(b)) do COUNT_ENDING[256 * x + y] = true end
  end
end
local function qualified(before)
  local p = before:match("^.*%S()")            -- after the last byte not ASCII whitespace
  if not p then return false end
  if p < 3 then return QUALIFIED:find(before) end
  local a, b = before:byte(p - 2, p - 1)
  return (a > 127 or b > 127 or COUNT_ENDING[256 * a + b]) and QUALIFIED:find(before)
end
local NAME_BEFORE = lode.regex("\\s(?<w>\\p{Lu}[\\p{L}\\p{N}]*)\\s+$")
local UNIT_AFTER = lode.regex("^\\s*" .. phrase_re(YEAR_CTX.unit) .. "(?![\\p{L}])")
local WORDS_AFTER = lode.regex("^\\s+(?<w1>[\\p{L}-]+)(?:\\s+(?<w2>[\\p{L}-]+))?")
local window = extract.window

-- Whether a capitalised word other than a month or a function word
-- ("In", "The") stands right before `before`'s end: "Agenda 2030",
-- "Armenia Today" are names.
local CASEFOLD = {form = "NFC", casefold = true}
local function after_name(before)
  local w = NAME_BEFORE:match(" " .. before)
  if not w then return nil end
  -- (string.lower folds ASCII alone: "В 2020 году")
  local low = w:find("[\128-\255]") and lode.normalize(w, CASEFOLD) or w:lower()
  return not YEAR_CTX.name_ok[low] and not MONTH[w]
end

local function not_in_name(text, i)
  return not (text:find("^%u", i) and after_name(window(text, math_max(1, i - 40), i - 1)))
end

-- A deictic word: not a name's word, and a word marked fr only on a line
-- that reads as French (a word of stopwords_fr within 100 bytes).
local function deictic_ok(text, i, j)
  if not not_in_name(text, i) then return false end
  if not DEICTIC_FR[text:sub(i, j):lower()] then return true end
  local _, fr = words.wordset("stopwords_fr"):profile(window(text, math_max(1, i - 100), j + 100))
  return fr > 0
end

local function bare_year_ok(text, i, j)
  local before = window(text, math_max(1, i - 40), i - 1)
  if qualified(before) or after_name(before) then return false end
  local after = window(text, j + 1, j + 60)
  if UNIT_AFTER:find(after) then return false end
  local m1, m2 = WORDS_AFTER:match(after)
  if m1 then
    local c = words.list("counted")
    local w1 = m1:lower()
    local w2 = m2 and m2 ~= false and m2:lower()
    -- "2000 soldiers", "2000 Armenian soldiers" but not "the 2020 war": a
    -- determiner or preposition before settles it as a year (looked for
    -- only before a counted word: most years have none)
    if c[w1] or (w2 and c[w2] and m1:match("^%l")) then
      local det = before:match("^.*%f[%a](%a+)%s*$")
      if not (det and YEAR_CTX.dated[det:lower()]) then return false end
    end
  end
  return true
end

-- Whether [i] opens a sentence: only spaces, quotes or markup stand
-- between it and the line's start or a sentence's end.
local function opens_sentence(text, i)
  local before = window(text, math_max(1, i - 40), i - 1)
  before = before:gsub("[ \t\"'*_(]+$", ""):gsub("\226\128[\152\156]$", "")
  return (before == "" and i <= 41) or before:find("[.!?:\n]$") ~= nil
    or before:find("[.!?]\226\128[\153\157]$") ~= nil
end

-- "May and November 2021" without between/from is a list, not a range
local function real_range(mt)
  local first = mt:match("^(%a+)"):lower()
  return first == "between" or first == "from" or mt:match("^%a+%s*%-") ~= nil
    or mt:match("^%a+%s+to%s") ~= nil
end

-- The rules -------------------------------------------------------------------

-- rule with its re = L .. opening .. rest and its bare = L .. rest: a
-- pattern whose optional opening words (WD, MOD) are its lead kinds' words
local function led(rule, opening, rest)
  rule.re, rule.bare = L .. opening .. rest, L .. rest
  return rule
end

M.RULES = {
  -- November 16-17, 2021
  led({name = "mdy_range", read = day_range, needs = "year", lead = {"mod"}}, MOD,
    "(?<m>" .. MON_ANY .. ")\\s*(?<d1>" .. DAY .. ")\\s*(?:-|to|and)\\s*(?<d2>" .. DAY .. "),?\\s+(?<y>" .. YEAR
    .. ")" .. R),
  -- between 9 and 15 October (2020)
  {name = "dmy_range", read = day_range, re = L .. "(?:(?i:between|from)\\s+)?(?<d1>" .. DAY
    .. ")\\s*(?:-|to|and|until)\\s*(?<d2>" .. DAY .. ")\\s+(?<m>" .. MON_FULL .. ")(?:,?\\s+(?<y>" .. YEAR .. "))?"
    .. R},
  -- between May and November 2021 / from May to November 2021 / May-November 2021
  {name = "my_range", read = month_range, keep = real_range, needs = "year",
    re = L .. "(?:(?i:between|from)\\s+)?(?<m1>" .. MON_FULL .. ")(?:\\s*-\\s*|\\s+(?:and|to|until|through)\\s+)(?<m2>"
    .. MON_FULL .. "),?\\s+(?<y>" .. YEAR .. ")" .. R},
  -- Tuesday, January 10th, 2024 / Jan. 10 2024
  led({name = "mdy", read = day_date, needs = "year", lead = {"wday", "unit", "mod"}}, WD .. MOD,
    "(?<m>" .. MON_ANY .. ")\\s*(?<d>" .. DAY .. "),?\\s+(?<y>" .. YEAR .. ")" .. R),
  -- 10 January 2024 / the 10th of January, 2024
  led({name = "dmy", read = day_date, needs = "year", lead = {"wday", "unit"}}, WD,
    "(?:the\\s+)?(?<d>" .. DAY .. ")(?:\\s+of)?\\s+(?<m>" .. MON_ANY .. "),?\\s+(?<y>" .. YEAR .. ")" .. R),
  -- 2024-01-10 / 2024/01/10
  {name = "iso", read = function(m)
      local r = {y = num(m.y), m = num(m.mm), d = num(m.d)}
      return valid(r.y, r.m, r.d) and r or nil
    end,
    re = "(?<![\\p{L}\\p{N}/.-])(?<y>" .. YEAR .. ")(?<sep>[-/])(?<mm>0[1-9]|1[0-2])\\k<sep>(?<d>[0-2][0-9]|3[01])"
    .. "(?![\\p{L}\\p{N}]|[-/.:][0-9])"},
  -- 27.09.2020 / 02.10.20 / 27/9/2020
  {name = "numeric", read = numeric, re = "(?<![\\p{L}\\p{N}.,/:-])(?<nd>0?[1-9]|[12][0-9]|3[01])(?<sep>[./])"
    .. "(?<mm>0?[1-9]|[12][0-9]|3[01])\\k<sep>(?<y>" .. YEAR .. "|[0-9][0-9])(?![\\p{L}\\p{N}]|[.,/:-][0-9])"},
  -- late December 2023 / November 2020 / end of 2023 / early 2024
  led({name = "my", read = month_date, needs = "year", lead = {"mod"}}, MOD,
    "(?<m>" .. MON_FULL .. ")(?:,|\\s+of)?\\s+(?<y>" .. YEAR .. ")" .. R),
  {name = "moy", read = year_date, needs = "mod",
    re = "(?<![\\p{L}])(?<mod>(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)"
    .. "\\s+of\\s+(?:the\\s+year\\s+)?)(?<y>" .. YEAR .. ")(?!['’]?s)" .. R},
  -- 2021-2023 / 2021-22
  {name = "yy_range", read = year_range, re = "(?<![\\p{L}\\p{N}$€£.,/-])(?<y1>" .. YEAR .. ")\\s*-\\s*(?<y2>" .. YEAR
    .. "|[0-9][0-9])(?![\\p{L}\\p{N}]|[.,][0-9]|-[0-9])"},
  -- between 2021 and 2023 / from 2021 to 2023
  {name = "yy_range", read = year_range, re = L .. "(?i:between|from)\\s+(?<y1>" .. YEAR
    .. ")\\s+(?:and|to|until|through)\\s+(?<y2>" .. YEAR .. ")" .. R},
  -- the 1990s / early 2000s
  {name = "decade", read = decade, needs = "decade", re = L .. MOD .. "(?<dec>1[6-9][0-9]0|20[0-9]0)['’]?s" .. R},
  -- the 21st century / the twentieth century / 19th-century
  {name = "century", read = function(m) return century(num(m.ord)) end,
    re = L .. MOD .. "(?<ord>[12]?[0-9](?:st|nd|rd|th))[\\s-]+(?<cent>[Cc]entury)" .. R},
  {name = "century", read = function(m) return century(ORDINAL[m.ordw:lower()]) end,
    re = L .. MOD .. "(?<ordw>" .. ialt(ordinal_words) .. ")[\\s-]+(?<cent>[Cc]entury)" .. R},
  -- Tuesday, November 16 / Jan. 10 / mid-November 16 (no year)
  led({name = "md", read = day_date, lead = {"wday", "unit", "mod"}}, WD .. MOD,
    "(?<m>" .. MON_ANY .. ")\\s*(?<d>" .. DAY .. ")(?![\\p{L}\\p{N}]|[.,:][0-9]|\\s*%)"),
  -- 16 November / the 16th of November (no year)
  {name = "dm", read = day_date, re = L .. "(?<d>" .. DAY .. ")(?:\\s+of)?\\s+(?<m>" .. MON_FULL .. ")" .. R},
  -- 22 février 2023 / 1er mars / 1 апреля 2021: other languages write the day first
  {name = "dmy", read = day_date, whole = true, re = L .. WD .. "(?<d>(?:[12][0-9]|3[01]|0?[1-9])(?:er)?)\\s+(?<m>"
    .. words.trie(month_foreign) .. ")(?:\\s+(?<y>" .. YEAR .. "))?" .. R},
  -- the 14 of "14 or 15 October": a day that shares the next date's month
  {name = "dm", read = day_date, re = L .. "(?<d>" .. DAY .. ")(?=\\s+(?:or|and)\\s+" .. DAY
    .. "\\s+(?<m>" .. MON_FULL .. ")" .. R .. ")"},
  -- early/mid/late November; in November; this past May; next February
  {name = "m", read = month_date, needs = "mod",
    re = L .. "(?<mod>(?i:early|mid|late)(?:-|\\s+)|(?i:end|beginning|start|middle)"
    .. "\\s+of\\s+)(?<m>" .. MON_FULL .. ")" .. R},
  {name = "m", read = month_date, re = CUE .. "\\K(?<m>" .. MON_FULL .. ")" .. R},
  -- en avril, в мае: a month of another language after its preposition
  {name = "m", read = month_date, whole = true, re = "(?<![\\p{L}])(?<cue>[вВсС]|[вВсС]о|[дД]о|(?i:en|depuis|dès))"
    .. "\\s+\\K(?<m>" .. words.trie(month_foreign) .. ")" .. R},
  {name = "m", read = month_date, re = "(?<![\\p{L}])(?i:the)\\s+\\K(?<m>" .. MON_NOT_WORD .. ")(?=\\s+\\p{Ll})"},
  -- last week, this month, next year, this past week, earlier this month,
  -- late last year, the end of the year
  {name = "relative", read = relative_unit, re = L .. "(?:(?i:early|late|mid)(?:-|\\s+))?(?<rel>(?i:(?:earlier|later)"
    .. "\\s+this|this\\s+past|last|this|next))\\s+" .. UNIT .. R},
  {name = "relative", read = relative_unit, needs = "mod",
    re = L .. "(?i:end|beginning|start|middle)\\s+of\\s+(?<rel>(?i:the|this"
    .. "|last|next))\\s+" .. UNIT .. R},
  -- la semaine dernière, cette année (date_relative.txt)
  {name = "relative", whole = true, read = function(m)
      local r = RELATIVE[m.rx:lower():gsub("%s+", " "):gsub("’", "'")]
      if not r then return nil end
      return {shift = {unit = r.unit, n = r.n, prec = r.unit == "week" and "month" or r.unit}}
    end,
    re = L .. "(?<rx>(?i:" .. apos_trie(relative_words) .. "))" .. R},
  -- a year ago, two weeks ago, a decade ago
  {name = "ago", read = ago, re = L .. "(?<n>" .. ialt(count_words) .. "|[0-9]{1,3})\\s+"
    .. "(?<unit>(?i:days?|weeks?|months?|years?|decades?))\\s+ago" .. R},
  -- yesterday, today, tomorrow
  {name = "deictic", check = deictic_ok,
    read = function(m) return {shift = {unit = "day", n = DEICTIC[m.dx:lower():gsub("%s+", " ")], prec = "day"}} end,
    re = L .. "(?<dx>" .. ialt(deictic_words) .. ")" .. R},
  -- on Saturday, last Monday, next Friday (not "Tuesday, November 16",
  -- "Tuesday the 16th", "Tuesday, 16 November"; but "On Monday, 15 people")
  {name = "weekday", needs = "weekday", read = function(m)
      local rel = m.rel and m.rel ~= false and m.rel:lower()
      return {weekday = WEEKDAY[m.wd], dir = (rel == "last" or rel == "next") and rel or nil}
    end,
    re = L .. "(?:(?<rel>(?i:last|next|this|on|this\\s+past|this\\s+coming))\\s+)?(?<wd>" .. WDAY .. ")" .. R
      .. "(?!,?\\s+(?:the\\s+)?(?:" .. DAY_NTH .. R .. "|" .. DAY .. "\\s+(?:of\\s+)?" .. MON_ANY .. R
      .. "|" .. MON_ANY .. R .. "))"},
  -- The next day, The following day, The same day (opening a sentence:
  -- a step of a narrated timeline, not "on the same day as the vote")
  {name = "chain", check = opens_sentence, read = function(m) return {chain = CHAIN[m.which:lower()]} end,
    re = L .. "(?i:the)\\s+(?<which>(?i:following|next|same|previous))\\s+(?<chain>(?i:day))" .. R},
  -- a bare year (checked once no longer date has claimed it)
  {name = "year", read = year_date, check = bare_year_ok, re = "(?<![\\p{L}\\p{N}$€£.,/#:+]|[\\p{N}]-)(?<y>" .. YEAR
    .. ")(?!\\p{N}|[.,][0-9]|\\s*%|:[0-9]|-[0-9]|['’]?s" .. R .. ")(?!\\p{L})"},
}

return M
