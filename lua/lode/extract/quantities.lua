--- lode.extract.quantities: counts, measures and amounts in running text.
--
-- quantities(doc [, opts]) -> array of records in document order:
--   {kind = "quantity", text, i, j, line, value, value_max, unit, counts,
--    qualifier}
-- where doc:sub(i, j) == text (1-based inclusive bytes of the original) and
-- text covers the whole expression: qualifier, currency sign, number,
-- scale word and unit ("more than two hundred", "$10.59bn",
-- "at least 215 square kilometres", "25-year-old").
--
-- value: a Lua number. "100,000" -> 100000, "4.5" -> 4.5, "1.5 million" ->
--   1500000, "$10.59bn" -> 10590000000, "120K" -> 120000, "twenty-four" ->
--   24, "two and a half" -> 2.5, "a dozen" -> 12, "a decade" / "an hour"
--   -> 1, "half a year" -> 0.5, "twice" -> 2 (unit "times"), a ratio "1
--   person in 6" / "one in five" -> the fraction (3 significant digits).
-- value_max: the upper end of a range ("10-15 minutes", "5 to 10 people",
--   "two to three days"); value is the lower end.
-- unit: a code from lode/data/units.txt ("km2", "m", "USD", "%", "day",
--   "year", "times" ...), "ratio", or nil. Durations and ages ("44 days",
--   "nine-month", "32-year-old") are quantities with a time unit.
-- counts: the head noun that is counted, as written ("thirteen Armenian
--   soldiers" -> "soldiers"): the first word of the following noun phrase
--   (through up to three modifiers, stopping at a word of
--   quantity_stops.txt or punctuation) that is in lode/data/counted.txt or
--   looks like a regular plural; after "one", the noun it determines ("one
--   command post" -> "post"). nil for measures, amounts, durations and
--   elliptic counts ("another twenty-four", "50 went missing").
-- qualifier: a hedge of lode/data/qualifiers.txt as written (lower-cased:
--   "about", "more than", "within" ...), or the vague words themselves.
--
-- Vague counts (policy, after ACLED's coding of imprecise reports: take
-- the lowest number the words can mean): "dozens" -> 12, "hundreds" ->
-- 100, "tens of thousands" -> 10000, "several hundred" -> 300 ... (see
-- numbers_en.txt); the vague words are the qualifier ("dozens of military
-- exercises" -> value 12, qualifier "dozens", counts "exercises").
-- "a few" and "many" are not quantities.
--
-- Not quantities (the REJECT rules below): anything overlapping a date of
-- lode.extract.dates (years and days: "the 2020 war", "November 16") or a
-- clock time or phone number; a day joined to a date ("14 or 15 October");
-- ordinals ("second", "16th"); footnote marks ("[12]"); numbers glued to
-- names or codes ("Su-25", "COVID-19", "G20"), after a capitalised name
-- word or a reference word ("Resolution 822", "page 12"); list
-- enumerators ("1." opening a line); markup attribute values and URL
-- parts ("width=300", "?id=5"); "one" and
-- "zero" unless they count a unit or a noun ("one day", "one condition";
-- not "no one", "one of the", "mean nothing, zero").
--
-- The pipeline: find (two regex passes over the typography view, built
-- from the data files) -> value (the number, its scale, range and unit) ->
-- reject (the REJECT rules, in order) -> attribute (what is counted, a
-- ratio) -> link (leftmost-longest among the candidates, off dates and
-- blocked spans, inside the article). Word lists live in editable files
-- under lode/data (numbers_en, units, counted, qualifiers, quantity_stops,
-- reference_words, stopwords_en).

local lode = require "lode"
local extract = require "lode.extract"
local words = require "lode.words"

local ipairs, pairs, tonumber, setmetatable, require = ipairs, pairs, tonumber, setmetatable, require
local table_sort, table_concat, table_move = table.sort, table.concat, table.move
local string_format = string.format
local math_max, math_tointeger = math.max, math.tointeger

local window, trie = extract.window, words.trie
local ascii_find_all = require("lode.core").ascii_find_all   -- plain finds in string.lower(s), in C
local FIRST_WORD = lode.regex("^\\p{L}+")

local M = {}

-- === rules ==============================================================
-- What an analyst may change: tables here, word lists in lode/data.

-- Scales after digits, spelled or abbreviated ("2 million", "1.5bn", "120K"),
-- in French and Russian too ("30 millions", "7 тысяч", "2 млн").
local SCALES = {thousand = 1e3, million = 1e6, billion = 1e9, trillion = 1e12,
                bn = 1e9, mn = 1e6, tn = 1e12, k = 1e3, m = 1e6, b = 1e9,
                millions = 1e6, milliard = 1e9, milliards = 1e9,
                ["тысяча"] = 1e3, ["тысячи"] = 1e3, ["тысяч"] = 1e3, ["тыс."] = 1e3,
                ["миллион"] = 1e6, ["миллиона"] = 1e6, ["миллионов"] = 1e6, ["млн"] = 1e6,
                ["миллиард"] = 1e9, ["миллиарда"] = 1e9, ["миллиардов"] = 1e9, ["млрд"] = 1e9}

-- Currency signs and codes written before a number.
local CURRENCY = {["$"] = "USD", ["US$"] = "USD", ["€"] = "EUR", ["£"] = "GBP", ["₼"] = "AZN",
                  ["֏"] = "AMD", ["₾"] = "GEL", ["₽"] = "RUB", ["₺"] = "TRY",
                  USD = "USD", EUR = "EUR", GBP = "GBP", AZN = "AZN", AMD = "AMD", RUB = "RUB",
                  GEL = "GEL", TRY = "TRY"}

-- Units of time that "the last" / "the past" turn into a span of one
-- ("over the last decade"); with shorter ones ("last week") and centuries
-- ("in the last century": the 1900s) they are dates.
local SPAN_UNITS = {"decade"}

-- Words before a bare number that give its unit, as an alias of units.txt
-- ("aged 38": 38 years).
local UNIT_AFTER_WORD = {aged = "year"}

-- Number words that count only before a noun or a unit ("one condition",
-- "zero tolerance"); elsewhere a pronoun or a figure of speech.
local NEEDS_NOUN = {one = true, zero = true}

-- Words before "one" that make it a pronoun or a turn of phrase ("no
-- one", "the one that", "as one team").
local PRONOUN_ONE_AFTER = {no = true, any = true, every = true, each = true, the = true,
                           this = true, that = true, which = true, as = true}

-- --- data ---------------------------------------------------------------

local function sorted_keys(set)
  local list = {}
  for k in pairs(set) do list[#list + 1] = k end
  table_sort(list)
  return list
end

local function re_escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0"))
end

-- Phrases as an alternation, longest first, spaces as \s+ (words.trie
-- matches the same, reading each letter once: the count pattern takes the
-- unit aliases so, tried after every number it finds).
local function alternation(list)
  table_sort(list, function(a, b) return #a > #b or (#a == #b and a < b) end)
  local parts = {}
  for k, w in ipairs(list) do parts[k] = re_escape(w):gsub("%s+", "\\s+") end
  return table_concat(parts, "|")
end

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

-- A regex finding what `source` finds, faster when its matches start at
-- some words only and never right after an `inword` character (source's
-- leading look-behind says so). PCRE2 would try source at every letter,
-- and at each word start walk its word tries (slow for "the", "on", "a"
-- ...). `start`, a lookahead, says what a match must begin with; where it
-- fails, the second branch steps over the rest of the ASCII word at once
-- ((*SKIP): no match can start inside it).
-- The words of `list` as a word set must hold them (it folds ASCII
-- letters alone): a Russian word in lower case, capitalised and in
-- capitals (lode.extract.cyrillic_cases); nil when a word holds other
-- letters (the pattern is then tried at every word, not anchored).
local function as_written(list)
  local out = {}
  for _, w in ipairs(list) do
    local forms = {w}
    if w:find("[\128-\255]") then forms = extract.cyrillic_cases(w) end
    if not forms then return nil end
    for _, f in ipairs(forms) do out[#out + 1] = f end
  end
  return out
end

local function word_start_scan(start, source, inword)
  return lode.regex("(?:" .. start .. source .. ")|" .. inword .. "++(*SKIP)(*FAIL)")
end

-- The captures of the quantity pattern, in pattern order (gfind returns
-- them by position).
local CAPTURES = {"qual", "cur", "num", "max", "scale", "wnum", "wmax", "det", "unit"}

local data
local function load_data()
  if data then return data end
  data = {num = {}, units = {}, counted = words.list("counted"), stop = words.list("quantity_stops"),
          stopwords = words.list("stopwords_en"), generic = words.list("generic_nouns"), qual_words = {}}
  local by_kind = {}
  for _, r in ipairs(words.rows("numbers_en")) do
    local w, v, kind = r[1], tonumber(r[2]), r[3]
    data.num[w] = {value = v, kind = kind}
    by_kind[kind] = by_kind[kind] or {}
    local list = by_kind[kind]
    list[#list + 1] = w
  end
  local plain = {}
  for _, kind in ipairs{"unit", "tens", "scale", "times"} do
    for _, w in ipairs(by_kind[kind]) do plain[#plain + 1] = w end
  end
  local vague, before_time, before_span = by_kind.vague, by_kind["before-time"], by_kind["before-span"]
  local aliases, time_aliases = {}, {}
  for _, r in ipairs(words.rows("units")) do
    data.units[r[1]:lower():gsub("%s+", " ")] = {code = r[2], class = r[3]}
    aliases[#aliases + 1] = r[1]
    if r[3] == "time" then time_aliases[#time_aliases + 1] = r[1] end
  end
  local quals = {}
  for _, q in ipairs(sorted_keys(words.list("qualifiers"))) do
    quals[#quals + 1] = q
    for w in q:gmatch("%a+") do data.qual_words[w] = true end
  end
  local NW = "(?i:" .. trie(plain) .. ")"
  local L = "(?<![\\p{L}\\p{N}_.,+/#]|[\\p{L}\\p{N}]-)"
  -- (no qualifier is a prefix of another: at most one matches at a
  -- position, so the trie's order is moot)
  local QUAL = "(?:(?<qual>(?i:" .. trie(quals) .. "))\\h+)?"
  -- currency signs, then codes (a space may follow a code: "EUR 10")
  local CURRENCIES = trie(sorted_keys(CURRENCY))
  local CUR = "(?<cur>(?:" .. CURRENCIES .. ")(?<=[A-Z])\\s?|(?:" .. CURRENCIES .. "))?"
  -- 29,000 / 29 000 (French and SI group with a space, no-break or not)
  local DIGITS = "[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9]{1,3}(?:[ \\x{A0}\\x{202F}][0-9]{3})+(?![0-9])"
    .. "|[0-9]+(?:\\.[0-9]+)?"
  local DIG = "(?<num>" .. DIGITS .. ")"
  local RANGE = "(?:(?:\\h*[-–—]\\h*|\\h+(?i:to)\\h+)(?<max>" .. DIGITS .. "))?"
  local scale_names = {}
  for w in pairs(SCALES) do
    if #w > 2 then scale_names[#scale_names + 1] = w end
  end
  table.sort(scale_names)
  local SCALE = "(?:\\s*(?<scale>(?i:" .. trie(scale_names) .. ")|bn|mn|tn|[kKmMbB])(?![\\p{L}\\p{N}]))?"
  local scale_words = {}
  for _, w in ipairs(by_kind.scale) do scale_words[#scale_words + 1] = w end
  -- "a hundred", "half a million"; "and" inside a number only after
  -- hundred and thousand ("a hundred and fifty", not "five and six")
  local WNUM = "(?<wnum>(?:(?i:an?|half\\s+an?)\\s+(?=(?i:" .. trie(scale_words) .. ")))?"
    .. NW .. "(?:(?:\\s+|-|(?i:(?<=hundred|thousand))\\s+and\\s+)" .. NW .. ")*(?:\\s+and\\s+(?:a\\s+)?half)?)"
  local WMAX = "(?:\\h+(?i:to)\\h+(?<wmax>" .. NW .. "(?:-" .. NW .. ")?)(?![\\p{L}]))?"
  local DET = "(?<det>(?i:" .. trie(before_time) .. ")(?=\\s+(?i:" .. trie(time_aliases) .. ")(?![\\p{L}]))"
    .. "|(?i:" .. trie(before_span) .. ")(?=\\s+(?i:" .. trie(SPAN_UNITS) .. ")(?![\\p{L}])))"
  local UNIT = "(?:(?:\\s*-\\s*|\\s*)(?<unit>" .. trie(aliases) .. "))?"
  -- ages, lengths and strengths: "25-year-old", "a year-long war", "a
  -- 7,000-strong force"
  local SUFFIX = "(?:-(?i:old|long|strong)(?![\\p{L}]))?"
  local TAIL = "(?![\\p{L}\\p{N}]|-\\p{L}|[.,][0-9]|[+/:][0-9])"
  -- Both scans start only where a quantity's first word can: see
  -- word_start_scan; a match begins with a digit or currency, or the first
  -- seven letters (spaces as \\s+) of a qualifier or number phrase ("a
  -- day" but not "a deal").
  local firsts = {}
  for _, w in ipairs(quals) do firsts[#firsts + 1] = w end
  for _, w in ipairs(plain) do firsts[#firsts + 1] = w end
  -- after an article, a number word that a scale word begins ("a
  -- hundred", "a hundredfold": the article's lookahead reads the scale)
  local scale_start = lode.regex("^(?i:" .. trie(scale_words) .. ")")
  for _, w in ipairs(plain) do
    if scale_start:find(w) then
      for _, a in ipairs{"a ", "an ", "half a ", "half an "} do firsts[#firsts + 1] = a .. w end
    end
  end
  for _, d in ipairs(before_time) do
    for _, u in ipairs(time_aliases) do firsts[#firsts + 1] = d .. " " .. u end
  end
  local span_from = #firsts + 1
  for _, d in ipairs(before_span) do firsts[#firsts + 1] = d end
  local START = "(?=[0-9]|" .. CURRENCIES .. "|(?i:" .. trie(firsts, 7) .. "))"
  local source = L .. QUAL .. CUR .. "(?:" .. DIG .. RANGE .. SCALE .. "|" .. WNUM .. "(?![\\p{L}])" .. WMAX
    .. "|" .. DET .. ")" .. UNIT .. SUFFIX .. TAIL
  -- the pattern over the whole text: compiled when first needed (see
  -- count_matches; most states never need it)
  local scan
  function data.scan()
    scan = scan or word_start_scan(START, source, "[a-zA-Z0-9_]")
    return scan
  end
  -- A match starts with a digit, a currency sign or code, or a first word
  -- of `firsts` as a whole word (each is followed by a space, a hyphen or
  -- a non-letter in the pattern): data.anchored tries the pattern only
  -- there (re:gfind_words), unless a first word holds letters other than
  -- ASCII and Russian ones (see as_written).
  local start_words, start_bytes = {}, {"0123456789"}
  for _, list in ipairs{firsts, sorted_keys(CURRENCY)} do
    for _, phrase in ipairs(list) do
      local w = FIRST_WORD:match(phrase)
      if w then start_words[#start_words + 1] = w else start_bytes[#start_bytes + 1] = phrase:sub(1, 1) end
    end
  end
  -- A word that opens only phrases of two words or more (qualifiers "in
  -- excess of", "as many as"; "the last", "a hundred", "an hour"), as
  -- the first word of nothing else, is tried only before one of their
  -- second words ("the" and "a" are frequent). So is a word that opens
  -- phrases glued to a sign ("US$"): gfind_words tries a lead word
  -- wherever no whitespace follows it.
  local pairs_of, opens_more, glued, lead, start_pairs = {}, {}, {}, {}, {}
  for _, phrase in ipairs(firsts) do
    local w1, w2 = (phrase .. " "):match("^(%a+) (%a+) ")
    if w1 then pairs_of[phrase] = w1:lower() .. " " .. w2:lower() end
  end
  for _, list in ipairs{firsts, sorted_keys(CURRENCY)} do
    for _, phrase in ipairs(list) do
      local w = FIRST_WORD:match(phrase)
      if w and phrase:find("^%S", #w + 1) then glued[#glued + 1] = w:lower()
      elseif w and not pairs_of[phrase] then opens_more[w:lower()] = true end
    end
  end
  for _, pair in pairs(pairs_of) do
    local w1 = pair:match("^%a+")
    if not opens_more[w1] then lead[#lead + 1] = w1; start_pairs[#start_pairs + 1] = pair end
  end
  for _, w in ipairs(glued) do
    if not opens_more[w] then lead[#lead + 1] = w end
  end
  -- A word that opens only the span phrases ("the" of "the last", "the
  -- past": the most frequent start word) starts a match only before a
  -- span unit: data.start_words_no_span, for a page holding no span unit
  -- (see quantities()), leaves it out.
  local opens_other, no_span = {}, {}
  for k, phrase in ipairs(firsts) do
    local w = FIRST_WORD:match(phrase)
    if w and k < span_from then opens_other[w:lower()] = true end
  end
  for _, phrase in ipairs(sorted_keys(CURRENCY)) do
    local w = FIRST_WORD:match(phrase)
    if w then opens_other[w:lower()] = true end
  end
  for _, w in ipairs(start_words) do
    if opens_other[w:lower()] then no_span[#no_span + 1] = w end
  end
  -- A word that opens only a qualifier of one word ("about", "over",
  -- "some": frequent) starts a match only as its head: QUAL, blanks, then
  -- what may start a match itself (the same start bytes and words, or a
  -- currency code, glued to anything: its first capital). gfind_words
  -- tries such a head only there.
  local opened, heads, follow = {}, {}, {table_concat(start_bytes)}
  for _, list in ipairs{firsts, sorted_keys(CURRENCY)} do
    for _, phrase in ipairs(list) do
      local w = FIRST_WORD:match(phrase)
      if w then opened[w:lower()] = (opened[w:lower()] or 0) + 1 end
    end
  end
  for _, q in ipairs(quals) do
    if FIRST_WORD:match(q) == q and opened[q:lower()] == 1 then heads[#heads + 1] = q end
  end
  for _, code in ipairs(sorted_keys(CURRENCY)) do
    if FIRST_WORD:match(code) then follow[#follow + 1] = code:sub(1, 1) end
  end
  local starts, starts_no_span, head_words = as_written(start_words), as_written(no_span), as_written(heads)
  if starts and starts_no_span and head_words then
    local wordset = require("lode.core").wordset
    data.anchored = lode.regex("\\G(?:" .. START .. source .. ")")
    data.start_words, data.start_bytes = wordset(starts), table_concat(start_bytes)
    data.start_words_no_span = wordset(starts_no_span)
    data.lead_words, data.start_pairs = wordset(lead), wordset(start_pairs)
    data.heads, data.follow = wordset(head_words), table_concat(follow)
  end
  -- what a vague count must contain (see vague_matches): the first word of
  -- each vague entry, and the words after "tens of" / "hundreds of"
  data.vague_words = {}
  local seen = {}
  for _, w in ipairs{"thousands", "millions", table.unpack(vague)} do
    w = w:lower():match("%S+")
    if not seen[w] then seen[w] = true; data.vague_words[#data.vague_words + 1] = needle(w) end
  end
  -- the page's plain finds (one pass, see quantities()): the vague words'
  -- tails, then the span units (lower-case ASCII words, which PCRE2 folds
  -- as ASCII but for s and k, see there)
  data.tails = {}
  for k, nd in ipairs(data.vague_words) do data.tails[k] = nd.tail end
  for _, u in ipairs(SPAN_UNITS) do data.tails[#data.tails + 1] = u end
  firsts = {"tens"}
  for _, w in ipairs(quals) do firsts[#firsts + 1] = w end
  for _, w in ipairs(vague) do firsts[#firsts + 1] = w end
  local vague_source = "(?<![\\p{L}\\p{N}])" .. QUAL .. "(?<vague>(?i:tens|hundreds)\\s+of\\s+"
    .. "(?i:thousands|millions)|(?i:" .. alternation(vague) .. "))(?![\\p{L}\\p{N}])"
  data.vague = word_start_scan("(?=(?i:" .. trie(firsts, 7) .. "))", vague_source, "[a-zA-Z0-9]")
  -- clock times and phone numbers: numbers inside them are not counts;
  -- they start with a digit, "+" or "(" after no digit, where alone
  -- data.block is tried (re:gfind_bytes), and first digits are followed
  -- by ":", whitespace, "a" / "p" (a.m., PM), ")", "." or "-" (or a byte
  -- >= 0x80: a Unicode space): data.block_next
  data.block_next = ":)-. \t\n\v\f\rapAP"
  data.block = lode.regex("\\G(?<![\\p{N}])(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\\s*[ap]\\.?m\\.?)?"
    .. "|[0-9]{1,2}\\s*[ap]\\.m\\.|[0-9]{1,2}\\s*(?:am|pm|AM|PM)(?![\\p{L}])"
    .. "|(?:\\+[0-9]{1,3}[\\s.-]?)?\\(?[0-9]{2,4}\\)?(?:[\\s.-][0-9]{2,4}){2,}"
    .. "|\\+[0-9]{1,3}[\\s.-]?[0-9][0-9\\s.-]{5,}[0-9])(?![\\p{N}])")
  data.ref_before = lode.regex("(?i:" .. trie(sorted_keys(words.list("reference_words"))) .. ")\\s*$")
  data.name_before = lode.regex("\\s(\\p{Lu}[\\p{L}\\p{N}]*)\\h+$")
  data.word_at = lode.regex("\\G\\h+([\\p{L}][\\p{L}\\p{M}'’-]*)")
  -- a ratio's denominator: small, and not followed by a unit ("injured in
  -- one day" is no ratio)
  data.ratio_at = lode.regex("\\G\\h+(?i:in|out\\h+of)\\h+([0-9]{1,3}|" .. NW .. ")(?![\\p{L}\\p{N}])"
    .. "(?!\\s*-?\\s*(?i:" .. alternation(aliases) .. ")(?![\\p{L}]))")
  data.partitive = lode.regex("\\G\\h+(?i:out\\h+)?of(?![\\p{L}])")
  data.date_join = lode.regex("^\\h*(?:(?i:or|and|to)|[-–—])\\h*$")
  -- the loops in M.quantities read captures by position
  assert((data.anchored or data.scan()):groups() == #CAPTURES and data.vague:groups() == 2 and data.block:groups() == 0)
  local at = 0
  for _, name in ipairs(CAPTURES) do
    local x = source:find("(?<" .. name .. ">", 1, true)
    assert(x and x > at, "quantities: capture order")
    at = x
  end
  return data
end

-- --- value: the number, its scale, range and unit ------------------------

-- "and" (after hundred) and "half" (a factor) have no value of their own.
local NO_VALUE = {["and"] = true, half = true}

local function words_value(s, num)
  s = s:lower()
  -- one word ("one", "dozen": most of them) is its own value, unless an
  -- article ("a" in "a year")
  local single = num[s]
  if single and not s:find("%A") then
    if single.kind == "before-time" then return nil end
    return single.value
  end
  local factor = s:match("^half%s") and 0.5 or 1
  local total, cur, seen = 0, 0, false
  local half = s:match("and%s+a?%s*half$") ~= nil
  s = s:gsub("%s+and%s+a?%s*half$", "")
  for w in s:gmatch("%a+") do
    local e = num[w]
    if not e then
      if not NO_VALUE[w] then return nil end
    elseif e.kind == "scale" then
      seen = true
      if e.value == 12 or e.value == 100 then
        cur = (cur == 0 and 1 or cur) * e.value
      else
        total = total + (cur == 0 and 1 or cur) * e.value
        cur = 0
      end
    elseif e.kind ~= "before-time" then     -- "a hundred": the article adds nothing
      seen = true
      cur = cur + e.value
    end
  end
  if not seen then return nil end
  local v = total + cur
  if half then v = v + 0.5 end
  return v * factor
end

local function digits_value(s)
  -- (most have no group separator to strip)
  return tonumber(s) or tonumber((s:gsub("[^0-9.]", "")))
end

local function plural_like(w)
  return #w >= 4 and w:sub(-1) == "s" and not w:match("ss$") and not w:match("us$")
    and not w:match("is$") and not w:match("['’]s$")
end

-- What a quantity counts, from the words of `after` from byte `init` on:
-- see the module comment. Returns the word and its last byte's offset in
-- `after`, or nil.
local function head_noun(d, after, init)
  init = init or 1
  for _ = 1, 4 do
    local _, e, w = d.word_at:find(after, init)
    if not w then return nil end
    local lw = w:lower()
    if d.stop[lw] then return nil end
    if d.counted[lw] or plural_like(lw) then return w, e end
    init = e + 1
  end
  return nil
end

-- The noun a singular count determines ("one command post" -> "post"): the
-- first counted noun or else the last word of the up to four words before
-- a stop word, a past participle or punctuation. Returns the word and its
-- last byte's offset in `after`, or nil.
local function singular_noun(d, after)
  local init, last, last_e = 1, nil, nil
  for _ = 1, 4 do
    local _, e, w = d.word_at:find(after, init)
    if not w then break end
    local lw = w:lower():gsub("'s$", ""):gsub("’s$", "")
    if d.stop[lw] or d.stopwords[lw] or (last and lw:match("ed$") and not d.counted[lw]) then break end
    last, last_e = w, e
    if d.counted[lw] then break end
    init = e + 1
  end
  return last, last_e
end

-- Sets c.value, c.value_max, c.unit and c.class from c's captures; false
-- when they spell no number.
local function evaluate(d, text, c)
  local value, value_max
  if c.num then
    value, value_max = digits_value(c.num), c.max and digits_value(c.max)
    local s = c.scale and c.scale:lower()
    if s == "m" and c.scale == "m" and not c.cur and not head_noun(d, window(text, c.j + 1, c.j + 120)) then
      c.unit, c.class = "m", "measure"       -- "300m" is metres, "1m people" a million
    elseif s then
      value, value_max = value * SCALES[s], value_max and value_max * SCALES[s]
    end
  elseif c.wnum then
    value, value_max = words_value(c.wnum, d.num), c.wmax and words_value(c.wmax, d.num)
    local e = d.num[c.wnum:lower()]
    if e and e.kind == "times" then c.unit, c.class = "times", "multiplier" end
  elseif c.munit then                     -- "a year", never "a" alone ("a year-round")
    value = d.num[c.det:lower():gsub("%s+", " ")].value
  end
  if value == nil then return false end
  if c.munit then
    local u = d.units[c.munit:lower():gsub("%s+", " ")]
    if u then c.unit, c.class = u.code, u.class end
  end
  if c.cur then
    local cur = c.cur:gsub("%s+$", "")
    c.unit, c.class = CURRENCY[cur] or cur, "currency"
  end
  c.value = value
  if value_max and value_max > value then c.value_max = value_max end
  return true
end

-- --- reject: numbers that are not quantities ------------------------------

-- The 40 bytes before candidate c (fewer at a cut character), kept on c:
-- several rules look at them.
local function before(text, c)
  local b = c.before
  if not b then
    b = window(text, math_max(1, c.i - 40), c.i - 1)
    c.before = b
  end
  return b
end

-- Whether only blanks and an opening parenthesis stand between the line's
-- start and byte i ("1.", "  2)", "(3)").
local function at_line_start(text, i)
  local k = i - 1
  if text:byte(k) == 40 then k = k - 1 end
  while k > 0 and (text:byte(k) == 32 or text:byte(k) == 9) do k = k - 1 end
  return k == 0 or text:byte(k) == 10
end

-- The ASCII word that blanks end a string with: what "(%a+)%s+$" finds,
-- without trying that pattern at every byte (each retried from each
-- letter of its word): ".*" backs off from the end to the last word.
local WORD_BEFORE = "^.*%f[%a](%a+)%s+$"

-- "a day" after an amount is its rate, not a time of its own: after a
-- plural or a number ("vehicles a day", "5% a year") or a word of times
-- ("twice a week"); not when it dates ("troops a day later").
local RATE_AFTER = {once = true, twice = true, thrice = true, times = true}
local RATE_NOT_BEFORE = {later = true, earlier = true, before = true, after = true, ago = true,
  long = true, old = true}

-- Each rule: a name, the field of candidate `c` it needs set (a capture,
-- or `bare`), and a test on c (its captures, value and unit known) in
-- `text`; ctx.next_date(j) is the first date or blocked span starting
-- after byte j. The first rule that holds drops c.
local REJECT = {
  {"after a name", "num", function(d, text, c)         -- "Resolution 822", "Gazelle 21"
    if c.qual or c.cur then return false end
    local w = d.name_before:match(" " .. before(text, c))
    if not w then return false end
    local lw = w:lower()
    return not (d.stopwords[lw] or d.stop[lw] or d.qual_words[lw])
  end},
  {"after a reference word", "num", function(d, text, c)   -- "page 12", "No. 5"
    return not c.qual and not c.cur
      and d.ref_before:find(before(text, c)) ~= nil
  end},
  {"list enumerator", "bare", function(_, text, c)      -- "1.", "2)" or "(3)" opening a line
    return at_line_start(text, c.i) and text:find("^[.)]%s", c.j + 1) ~= nil
  end},
  {"sum in a name", "bare", function(_, text, c)        -- the "3 + 3" format, "P5+1", "2+2 talks"
    return text:find("^%s*%+%s*%d", c.j + 1) ~= nil
      or window(text, math_max(1, c.i - 8), c.i - 1):find("%d%s*%+%s*$") ~= nil
  end},
  {"footnote mark", "bare", function(_, text, c)        -- "[12]" after a sentence
    return text:byte(c.i - 1) == 91 and text:byte(c.j + 1) == 93
  end},
  {"markup or URL", "num", function(_, text, c)        -- width="300", ?id=5, http://x/5
    if (text:byte(c.i - 1) or 32) <= 32 then return false end
    -- (the last blank found backing off from the end: "%S*$" alone is
    -- tried at every byte)
    local w = window(text, math_max(1, c.i - 200), c.i - 1)
    local token = w:match("^.*%s(%S*)$") or w
    return token:find("[=<]") ~= nil or token:find("://", 1, true) ~= nil or token:find("www.", 1, true) ~= nil
  end},
  {"part of a date", "bare", function(d, text, c, ctx)  -- "14 or 15 October"
    if c.value > 31 then return false end
    local s = ctx.next_date(c.j)
    return s ~= nil and s.i - c.j <= 8 and d.date_join:find(text:sub(c.j + 1, s.i - 1)) ~= nil
  end},
  {"pronoun or turn of phrase", "wnum", function(d, text, c)   -- "no one", "one of", "one thing"
    if not NEEDS_NOUN[c.wnum:lower()] or c.class then return false end
    local w = before(text, c):match(WORD_BEFORE)
    if w and PRONOUN_ONE_AFTER[w:lower()] then return true end
    local after = window(text, c.j + 1, c.j + 120)
    if d.ratio_at:find(after) then return false end
    local noun, e = singular_noun(d, after)
    -- "one part of", "one example out of": a part, not a count
    return not noun or d.generic[noun:lower()] ~= nil or d.partitive:find(after, e + 1) ~= nil
  end},
  {"a date", "det", function(_, text, c)               -- "a year ago" (not "more than a decade ago")
    return not c.qual and text:find("^%s+ago%f[%A]", c.j + 1) ~= nil
  end},
  {"a rate", "det", function(_, text, c)   -- "12,000 vehicles a day", "$5 a month", "twice a week"
    if c.qual or text:find("^%s+%a", c.j + 1) and RATE_NOT_BEFORE[text:match("^%s+(%a+)", c.j + 1):lower()] then
      return false
    end
    local b = before(text, c)
    local w = b:match(WORD_BEFORE)
    return (w ~= nil and #w == #b:match("(%S+)%s+$") and (plural_like(w) or RATE_AFTER[w:lower()] ~= nil))
      or b:find("%d%%?%s+$") ~= nil
  end},
  {"letter b without currency", "scale", function(_, _, c)   -- "Unit 5b"
    return c.scale:lower() == "b" and not c.cur
  end},
}

local REJECT_NEEDS, REJECT_TESTS = {}, {}     -- (in arrays, for a plain loop)
for k, rule in ipairs(REJECT) do REJECT_NEEDS[k], REJECT_TESTS[k] = rule[2], rule[3] end

local function rejected(d, text, c, ctx)
  for k = 1, #REJECT_TESTS do
    if c[REJECT_NEEDS[k]] and REJECT_TESTS[k](d, text, c, ctx) then return true end
  end
  return false
end

-- --- attribute: what is counted, a ratio ----------------------------------

local function significant(v)
  return tonumber(string_format("%.3g", v))
end

-- Sets c.counts and extends c.j over the counted noun and a ratio's
-- denominator ("1 person in 6", "one in five Armenians"); a unit from the
-- word before ("aged 38").
local function attribute(d, text, c)
  if c.bare then
    local w = text:sub(math_max(1, c.i - 12), c.i - 1):match(WORD_BEFORE)
    local alias = w and UNIT_AFTER_WORD[w:lower()]
    if alias then c.unit, c.class = d.units[alias].code, d.units[alias].class end
  end
  local after = window(text, c.j + 1, c.j + 120)
  local counts, ce
  if not c.class then
    if c.wnum and NEEDS_NOUN[c.wnum:lower()] then
      counts, ce = singular_noun(d, after)
    else
      counts, ce = head_noun(d, after)
    end
  end
  local _, re, den
  -- (a plain test first: most counts are followed by no "in"/"out of")
  if not (c.class or c.value_max) and after:find("^%s+[iIoO][nNuU]", (ce or 0) + 1) then
    _, re, den = d.ratio_at:find(after, (ce or 0) + 1)
    den = den and (tonumber(den) or words_value(den, d.num))
  end
  if den and den > c.value then
    c.value, c.unit, ce = significant(c.value / den), "ratio", re
    if not counts then
      local w, e = head_noun(d, after, re + 1)
      if w then counts, ce = w, e end
    end
  end
  c.counts = counts
  if ce then c.j = c.j + ce end
end

-- --- find and link ----------------------------------------------------------

-- The vague pattern's matches in view text `vt`, in order, as arrays {a,
-- b, qual, vague}. The pattern is slow for its leading optional
-- qualifier, so it runs only on short windows around the vague words that
-- plain finds see in the ASCII lower case (`hits`: core.ascii_find_all's
-- of d.tails, whose first ones are the vague words' tails). (PCRE2's
-- caseless s and k also match U+017F and U+212A: for a text holding
-- those, hits is nil and the text is scanned whole.)
local VAGUE_BEFORE, VAGUE_AFTER, VAGUE_LONGEST = 60, 80, 40
local function vague_matches(d, vt, hits)
  local found = {}
  if hits and #hits == 0 then return found end    -- none of the words (most short pages)
  -- matches of s (vt from byte `at` on) starting after byte `from` and
  -- ending by byte `upto` of vt; returns the end of the last one kept
  local function scan(s, at, from, upto)
    for a, b, qual, vague in d.vague:gfind(s) do
      a, b = a + at - 1, b + at - 1
      if b > upto then break end
      if a > from then
        found[#found + 1] = {a, b, qual or nil, vague}
        from = b
      end
    end
    return from
  end
  if not hits then
    scan(vt, 1, 0, #vt)
    return found
  end
  local starts = {}
  for k = 1, #hits, 2 do
    local word = d.vague_words[hits[k]]
    local x = hits[k + 1]
    if word and x > word.lead then starts[#starts + 1] = x - word.lead end
  end
  table_sort(starts)
  local last = 0
  for _, p in ipairs(starts) do
    if p > last then
      local i, j = math_max(1, p - VAGUE_BEFORE), p + VAGUE_AFTER
      while i < p and (vt:byte(i) or 0) >= 128 and vt:byte(i) < 192 do i = i + 1 end
      -- nothing stands before the window for the look-behind: a match at
      -- its first byte counts only at the text's start; one that may be
      -- cut by its end is left to the window of its own word
      last = scan(window(vt, i, j), i, i > 1 and math_max(last, i) or last,
                  j >= #vt and #vt or j - VAGUE_LONGEST)
    end
  end
  return found
end

-- A record's number: an integer when it has no fraction ("5", not "5.0").
local function as_number(v)
  return v and (math_tointeger(v) or v)
end

local function qualifier_of(q)
  return q and q:lower():gsub("%s+", " ") or nil
end

-- Dates of lode.extract.dates, clock times and phone numbers of the view:
-- spans no quantity may overlap, sorted by start.
local dates_shared     -- lode.extract.dates.shared, required when first needed
local function blocked_spans(d, doc, view, vt)
  dates_shared = dates_shared or require("lode.extract.dates").shared
  local dates = dates_shared(doc)
  local blocked = table_move(dates, 1, #dates, 1, {})   -- read-only: only i, j are used
  local found = d.block:gfind_bytes(vt, "0123456789+(", "0123456789", d.block_next)
  for x = 1, #found, 2 do
    local i, j = view.origin(view, found[x], found[x + 1])
    blocked[#blocked + 1] = {i = i, j = j}
  end
  extract.sort_spans(blocked)
  return blocked
end

-- A function giving the first span of sorted `spans` starting after byte
-- j, for j that never decrease.
local function next_span_after(spans)
  local k = 1
  return function(j)
    while spans[k] and spans[k].i <= j do k = k + 1 end
    return spans[k]
  end
end

-- Candidates of the quantity pattern (see load_data), valued, filtered by
-- REJECT and attributed.
-- The quantity pattern's matches in view text vt, as a flat array {a, b,
-- captures..., ...}: tried at the starts where one can begin only (see
-- load_data), or at every word of a text holding U+017F or U+212A, which
-- PCRE2's caseless s and k match (`hits` nil, see vague_matches; else
-- whether they hold a span unit).
local function count_matches(d, vt, hits)
  if d.anchored and hits then
    local span = false
    for k = 1, #hits, 2 do span = span or hits[k] > #d.vague_words end
    return d.anchored:gfind_words(vt, span and d.start_words or d.start_words_no_span, d.start_bytes,
                                  d.lead_words, d.start_pairs, d.heads, d.follow)
  end
  local out = {}
  for a, b, qual, cur, num, max, scale, wnum, wmax, det, munit in d.scan():gfind(vt) do
    local n = #out
    out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5], out[n + 6] = a, b, qual, cur, num, max
    out[n + 7], out[n + 8], out[n + 9], out[n + 10], out[n + 11] = scale, wnum, wmax, det, munit
  end
  return out
end

local function find_counts(d, text, view, vt, hits, blocked, cands)
  local origin = view.origin
  local ctx = {next_date = next_span_after(blocked)}
  -- A match overlapping a blocked span is dropped by link whatever its
  -- extent (the counted noun only extends its end): skip its rules here.
  -- (blocked and the matches are both sorted: the first span ending at
  -- or after a match's start moves forward only)
  local rk, span = 1, blocked[1]
  local found = count_matches(d, vt, hits)
  for x = 1, #found, 2 + #CAPTURES do
    local mi, mj = origin(view, found[x], found[x + 1])
    while span and span.j < mi do
      rk = rk + 1
      span = blocked[rk]
    end
    if not (span and span.i <= mj) then
      local qual, cur, num, max = found[x + 2], found[x + 3], found[x + 4], found[x + 5]
      local munit = found[x + 10]
      local c = {i = mi, j = mj, qual = qual or nil, cur = cur or nil, num = num or nil,
                 max = max or nil, scale = found[x + 6] or nil, wnum = found[x + 7] or nil,
                 wmax = found[x + 8] or nil, det = found[x + 9] or nil, munit = munit or nil,
                 -- digits standing alone: no qualifier, currency, unit or
                 -- range (several rules read it)
                 bare = num and not (qual or cur or munit or max)}
      if evaluate(d, text, c) and not rejected(d, text, c, ctx) then
        attribute(d, text, c)
        cands[#cands + 1] = {kind = "quantity", text = text:sub(c.i, c.j), i = c.i, j = c.j,
          value = as_number(c.value), value_max = as_number(c.value_max),
          unit = c.unit, counts = c.counts, qualifier = qualifier_of(c.qual)}
      end
    end
  end
end

-- Candidates of the vague pattern: "dozens of exercises", "several hundred".
local function find_vague(d, text, view, vt, hits, cands)
  local origin = view.origin
  for _, m in ipairs(vague_matches(d, vt, hits)) do
    local mi, mj = origin(view, m[1], m[2])
    local qual, vague = m[3], m[4]
    local v = vague:lower():gsub("%s+", " ")
    local value
    if v:match("^tens of") then value = 10 * (v:match("thousands$") and 1e3 or 1e6)
    elseif v:match("^hundreds of") then value = 100 * (v:match("thousands$") and 1e3 or 1e6)
    else value = d.num[v] and d.num[v].value end
    if value then
      local q = qual and (qualifier_of(qual) .. " " .. v) or v
      local after = window(text, mj + 1, mj + 120)
      local skip = #(after:match("^%s+of%f[%A]") or "")
      local counts, ce = head_noun(d, after, skip + 1)
      local j = ce and mj + ce or mj
      cands[#cands + 1] = {kind = "quantity", text = text:sub(mi, j), i = mi, j = j,
        value = as_number(value), qualifier = q, counts = counts}
    end
  end
end

-- Whether record `c` closes a range "between A and B" that record `p`,
-- bare, opens: one record then ("between 2,000 and 3,000 people").
local function closes_between(text, p, c)
  return c.i - p.j <= 12 and not (p.unit or p.counts or p.value_max) and p.value < c.value
    and text:sub(p.j + 1, c.i - 1):find("^%s+and%s+$") ~= nil
    and window(text, math_max(1, p.i - 12), p.i - 1):find("[Bb]etween%s+$") ~= nil
end

-- Leftmost-longest candidates off blocked spans and inside the scope, in
-- document order, with their lines; a range "between A and B" joined.
local function link(doc, opts, cands, blocked)
  local text, out = doc:text(), {}
  local inscope = extract.scope(doc, opts)
  extract.resolve(cands, blocked, function(c)
    if not inscope(c.i, c.j) then return false end
    local p = out[#out]
    if p and closes_between(text, p, c) then
      p.j, p.value_max, p.unit, p.counts = c.j, c.value, c.unit, c.counts
      p.text = text:sub(p.i, p.j)
    else
      c.line = doc:line_of(c.i)
      out[#out + 1] = c
    end
    return true
  end)
  return out
end

local function typography(doc) return doc:normalize{fold = "typography"} end

--- All quantity records of `doc` (see the module comment).
function M.quantities(doc, opts)
  local text = doc:text()
  if #text == 0 then return {} end
  local d = load_data()
  local view = extract.shared(doc, "view/typography", typography)
  -- matched on the view's text with gfind(), whose captures come by
  -- position, mapped back with view:origin (cheaper than doc:gmatch's
  -- match tables)
  local vt = view:text()
  local blocked = blocked_spans(d, doc, view, vt)
  local hits = not (vt:find("\197\191", 1, true) or vt:find("\226\132\170", 1, true))
    and ascii_find_all(vt, d.tails) or nil
  local cands = {}
  find_counts(d, text, view, vt, hits, blocked, cands)
  find_vague(d, text, view, vt, hits, cands)
  if #cands == 0 then return {} end     -- (no scope to read)
  return link(doc, opts, cands, blocked)
end

return setmetatable(M, {__call = function(_, doc, opts) return M.quantities(doc, opts) end})
