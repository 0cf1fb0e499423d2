--- lode.extract.dates: dates in running text, resolved to ISO 8601 values.
--
-- dates(doc [, opts]) -> array of records in document order:
--   {kind = "date", text, i, j, line, value, precision, modifier,
--    resolved, anchor}
-- where doc:sub(i, j) == text (1-based inclusive bytes of the original).
--
-- A pipeline of four stages over the rules of lode.extract.dates.rules:
--   find       every rule's matches, the leftmost-longest kept (claimed
--              bytes are not matched again); a rule's `read` turns the
--              match into a date spec
--   anchor     the date each incomplete or relative spec is read against:
--              a dated item head or label line of the text ("01.10.20:
--              ...", "Recorded: December 26") for what follows it, else
--              the page's date (lode.meta(doc).published); for a bare
--              "November 16" failing both, the year stated on its line,
--              then the nearest date with a month before it, then the
--              latest in the document (articles talk about their past)
--   resolve    the spec against its anchor: a date without a year takes
--              the latest year that puts it not after the anchor, unless a
--              future cue (date_future_cues.txt) stands before it in its
--              sentence; "last week" the month of the day a week before;
--              "on Friday" the last Friday, or the next one after a cue
--   link       "the next day" and its kin count from the previous
--              day-precise date of the text
--
-- Values (GUIDELINES.md "Dates"): "2021-11-16" day, "2023-12" month,
-- "2024" year, "2021/2023", "2021-05/2021-11", "2021-11-16/2021-11-17"
-- ranges; a decade "1990/1999", a century "2001/2100"; a week expression
-- the month of the week's day. precision: "day" | "month" | "year" |
-- "range". modifier: "early" | "mid" | "late" | "end of" | "beginning
-- of" | "start of" | "middle of" when the text qualifies the date (part of
-- `text`). resolved: "explicit" (the text states it all), "text" (an item
-- head or label line), "publication", "context" (a year from nearby
-- dates), "previous" (the previous date: "the next day"). anchor: the ISO
-- value the date was resolved against (nil when explicit). An incomplete
-- or relative date with no anchor at all is left out.
-- Scanning is done by PCRE2 over a typography-folded view (dashes, NBSP);
-- spans are mapped back to the original bytes.

local lode = require "lode"
local extract = require "lode.extract"
local words = require "lode.words"
local rules = require "lode.extract.dates.rules"
local RULES, valid = rules.RULES, rules.valid

local ipairs, pairs, tonumber, type, pcall, require, setmetatable, assert =
  ipairs, pairs, tonumber, type, pcall, require, setmetatable, assert
local string_format, math_max, math_min =
  string.format, math.max, math.min

local M = {}

-- Pre-filter (why: a pass per rule over the whole text was most of the
-- time). Every rule's pattern holds an anchor group (see the rules
-- module's ANCHORS): a month name (every spelling starts with one of
-- twelve three-letter prefixes, case-sensitive), a year or decade, a
-- day/week/month/year word, a weekday, a deictic word ("today"),
-- "century", or a numeric date; the first such group of a pattern is its
-- anchor, and every match holds a match of one of that kind's ANCHORS
-- byte sequences (or of its whole words). None of the patterns can match
-- across anything but \s-whitespace
-- between its words (no `.`, no negated class), none repeats a group, and
-- look-behinds look at most two characters back without whitespace. So a
-- match, with its look-arounds, touches at most B runs of whitespace
-- before its anchor and F after it (B, F = the \s atoms of its pattern
-- before the end / after the start of the anchor group -- its anchor word
-- may follow others inside it, "last night"); the text from the start of
-- the B-th whitespace-separated token before an anchor's token to the end
-- of the F-th token after it holds every match through that anchor (a
-- look-around at its edge reads whitespace in the text, a NUL or the
-- same text in a window: no letter, digit or sign any pattern looks
-- for. Windows one token wider on each side found the same dates on
-- 90,000 random texts of dates' words and look-around bait; one token
-- narrower, other dates in 64-219 of 3,000), and matching a pattern
-- only inside the union of its own regions around the anchors of its kind
-- finds exactly its full-text matches (each pattern with its own B and F:
-- a short one scans much less text than the longest of its kind). Tokens
-- are cut at ASCII whitespace (Lua's %s); PCRE's \s also takes Unicode
-- spaces, which the typography fold turns into ASCII ones, except the few
-- below: a view holding one of those is scanned whole. The byte sequences
-- of every kind are found in one C pass (core.scan_plan holds them); no
-- anchor word holds whitespace, so only the tokens they touch matter.
--
-- A kind's whole words (other languages' month names, weekdays and
-- deictic words: a long trie tried at nearly every letter) are looked for
-- only on a page that holds one of them: one pass of a C word set over the
-- page for every kind finds their first words (ws:find_word, letters as
-- \p{L}; most pages hold none), and a kind's `at` regex tells at each
-- whether a whole word of the kind starts there (a first word alone, "ce",
-- "la", opens nothing: the trie would find no whole word). The set folds ASCII letters only: a
-- caseless kind's Russian first words are in it in lower case, capitalised
-- and in capitals; one whose first words hold other letters is always
-- looked for.
-- PCRE2 reads U+017F and U+212A as a caseless s and k, the byte sequences
-- do not: on a page holding one, a caseless kind's sequences are looked for
-- by a regex too.
local FIRST_WORD = lode.regex("^\\p{L}+")
local FOLDS_TO_ASCII = {"\197\191", "\226\132\170"}   -- U+017F U+212A

-- Per kind, what core.scan_resolve looks for besides its byte sequences:
-- `whole` its whole words (a Regex; always when `firsts` is nil, else only
-- where the gate opens it), `fold` its sequences and whole words (a
-- caseless kind on a page holding U+017F or U+212A).
local ANCHORS, GATED, FOLDING, gate_words = {}, {}, {}, {}
for kind, a in pairs(rules.ANCHORS) do
  local anchor = {seqs = a.seqs}
  if a.caseless then
    local whole = a.whole and "|(?<![\\p{L}])" .. a.whole .. "(?![\\p{L}])" or ""
    anchor.fold = lode.regex("(?:" .. table.concat(a.seqs, ")|(?:") .. ")" .. whole)
    FOLDING[kind] = anchor
  end
  if a.whole then
    anchor.whole = lode.regex("(?<![\\p{L}])(?:" .. a.whole .. ")(?![\\p{L}])")
    anchor.at = lode.regex("\\G(?<![\\p{L}])(?:" .. a.whole .. ")(?![\\p{L}])")
    anchor.firsts = {}
    for _, w in ipairs(a.words) do
      local f = FIRST_WORD:match(w)
      local forms = f and {f:lower()}
      -- (a caseless Russian word as text writes it: lode.extract.cyrillic_cases)
      if f and a.caseless and f:find("[\128-\255]") then forms = extract.cyrillic_cases(f) end
      if not forms then anchor.firsts = nil; break end
      for _, form in ipairs(forms) do anchor.firsts[form] = true end
    end
    for f in pairs(anchor.firsts or {}) do gate_words[#gate_words + 1] = f end
    GATED[kind] = anchor.firsts and anchor or nil
  end
  ANCHORS[kind] = anchor
end
local GATE = require("lode.core").wordset(gate_words)
local NGATED = 0
for _ in pairs(GATED) do NGATED = NGATED + 1 end

--- What core.scan_resolve looks for of each kind in view text vt besides
-- its byte sequences: kind -> a Regex (its whole words, where the gate
-- opens them; see ANCHORS) for the kinds the page opens, or nil when it
-- opens none (most pages).
local function opened_kinds(vt)
  local opened, left = nil, NGATED
  local i, j = GATE:find_word(vt)
  while i and left > 0 do
    local w = vt:sub(i, j):lower()
    for kind, a in pairs(GATED) do
      if not (opened and opened[kind]) and a.firsts[w] and a.at:find(vt, i) then
        opened = opened or {}
        opened[kind], left = a.whole, left - 1
      end
    end
    i, j = GATE:find_word(vt, j + 1)
  end
  if vt:find(FOLDS_TO_ASCII[1], 1, true) or vt:find(FOLDS_TO_ASCII[2], 1, true) then
    for kind, a in pairs(FOLDING) do
      opened = opened or {}
      opened[kind] = a.fold
    end
  end
  return opened
end

local BATCH = 4096                          -- bytes per subject of scan_resolve
local core = require "lode.core"
local scan_resolve = core.scan_resolve
local OTHER_SPACE = {"\194\133", "\225\154\128", "\226\128\168", "\226\128\169"}  -- U+0085 U+1680 U+2028 U+2029

local ANCHOR_GROUPS = rules.ANCHOR_GROUPS

--- The position of the parenthesis that closes the group opening at `at`
-- of pattern `re` (the patterns hold no parenthesis in a character class).
local function group_end(re, at)
  local depth, k = 0, re:find("[\\()]", at)
  while k do
    local c = re:byte(k)
    if c == 92 then k = k + 1                   -- a backslash: skip what it escapes
    elseif c == 40 then depth = depth + 1       -- (
    else
      depth = depth - 1                         -- )
      if depth == 0 then return k end
    end
    k = re:find("[\\()]", k + 1)
  end
  return #re
end

--- The anchor kind of pattern `re` (its first anchor group's, nil for
-- none) and its B and F: the \s atoms before the end of that group and
-- after its start.
local function reach(re)
  local at, kind
  for g, gkind in pairs(ANCHOR_GROUPS) do
    local x = re:find(g, 1, true)
    if x and (not at or x < at) then at, kind = x, gkind end
  end
  if not at then return nil end
  local _, nb = re:sub(1, group_end(re, at)):gsub("\\s", "")
  local _, nf = re:sub(at):gsub("\\s", "")
  return kind, nb, nf
end

-- The scan plan (core.scan_plan), one entry per rule by anchor kind, then
-- rule order: its regex, set (the index of its anchor kind in kinds),
-- before/after (its B / F: words around the anchor's own) and
-- prio (its index in RULES), needs (the set of its `needs` kind, or 0),
-- leads (the sets of its `lead` kinds, and as `before` its bare pattern's
-- B: where no lead word stands, a match starts at most B words before its
-- anchor's), bares (its `bare` pattern, or false);
-- rules[r] the rule of entry r; and per set its kind's byte sequences (a
-- `whole` rule's set has none: its kind's whole words alone). The extras of scan_resolve per set, made once:
-- for a page that opens no kind (its whole words where they are always
-- looked for, else nothing) and for a view scanned whole.
local plan, rules_of, kinds, PLAIN, WHOLE_VIEW, BASE
local function compile()
  if plan then return plan, rules_of, kinds end
  local by_kind = {}
  kinds = {}
  for k, p in ipairs(RULES) do
    local re = lode.regex(p.re)
    local _, named = p.re:gsub("%(%?<%a%w*>", "")
    -- every group is named: a rule's read sees the named ones only
    assert(re:groups() == named, "dates: unnamed group in rule " .. k)
    assert(not p.re:find("%)[%*%+{]"), "dates: repeated group in rule " .. k)
    local kind, nb, nf = reach(p.re)
    assert(kind, "dates: no anchor group in rule " .. k)
    if p.whole then                   -- (a set of its own: the kind's whole words alone)
      assert(ANCHORS[kind].whole, "dates: rule " .. k .. " is whole, its kind has no whole words")
      kind = kind .. "/whole"
    end
    if not by_kind[kind] then by_kind[kind] = {}; kinds[#kinds + 1] = kind end
    local list = by_kind[kind]
    local bare, unled = p.bare and lode.regex(p.bare) or false, 0
    assert(not bare or p.lead, "dates: rule " .. k .. " has a bare pattern and no lead")
    if bare then
      local bkind
      bkind, unled = reach(p.bare)
      assert(bkind == kind:match("^[^/]+"), "dates: rule " .. k .. "'s bare pattern has another anchor")
    end
    list[#list + 1] = {re = re, bare = bare, before = nb, after = nf, unled = unled, prio = k, rule = p}
  end
  local res, sets, befores, afters, prios, needs, leads, bares, set_of = {}, {}, {}, {}, {}, {}, {}, {}, {}
  rules_of = {}
  for _, p in ipairs(RULES) do          -- (a kind only needed or leading: a set without rules)
    for _, kind in ipairs{p.needs, table.unpack(p.lead or {})} do
      if not by_kind[kind] then by_kind[kind] = {}; kinds[#kinds + 1] = kind end
    end
  end
  for set, kind in ipairs(kinds) do set_of[kind] = set end
  for set, kind in ipairs(kinds) do
    for _, e in ipairs(by_kind[kind]) do
      local n = #res + 1
      res[n], sets[n], befores[n], afters[n], prios[n], rules_of[n] = e.re, set, e.before, e.after, e.prio, e.rule
      needs[n] = e.rule.needs and set_of[e.rule.needs] or 0
      leads[n], bares[n] = {before = e.unled}, e.bare
      for k, lk in ipairs(e.rule.lead or {}) do leads[n][k] = set_of[lk] end
    end
  end
  local seqs = {}
  PLAIN, WHOLE_VIEW, BASE = {}, {}, {}
  for set, kind in ipairs(kinds) do
    local base = kind:match("^[^/]+")
    local a = ANCHORS[base]
    seqs[set], PLAIN[set], WHOLE_VIEW[set] = base == kind and a.seqs or {}, not GATED[base] and a.whole or true, false
    BASE[set] = base
  end
  plan = core.scan_plan(res, sets, befores, afters, prios, seqs, needs, leads, bares)
  return plan, rules_of, kinds
end

--- Every match of the rules in the view, leftmost-longest (then by rule
-- order): accept(r, m) is called on each match m of rule rules_of[r]
-- that starts after the last one accepted, m = {i, j, named captures}
-- (bytes of the original; an unset group false); returns the array of the
-- values accept returned, a rejected match (nil) leaving its bytes to the
-- next ones. One C call (lode.core.scan_resolve): each rule's pattern is
-- searched only inside its regions around the anchors of its kind (see
-- ANCHORS and opened_kinds), joined by NUL (not whitespace: the margins keep every match
-- and its look-arounds off the joins) into subjects of at most BATCH
-- bytes, or in the whole view when it holds a space the regions do not
-- know; no table is made for a match that loses to a longer one.
local function scan(view, accept)
  local pl = compile()
  local vt = view:text()
  for _, sp in ipairs(OTHER_SPACE) do
    if vt:find(sp, 1, true) then return scan_resolve(view, WHOLE_VIEW, pl, accept, BATCH) end
  end
  local opened = opened_kinds(vt)
  if not opened then return scan_resolve(view, PLAIN, pl, accept, BATCH) end
  local extras = {}
  for set, base in ipairs(BASE) do extras[set] = opened[base] or PLAIN[set] end
  return scan_resolve(view, extras, pl, accept, BATCH)
end


-- Find ------------------------------------------------------------------------

-- the first two letters of the modifier words, in any case, as
-- 256 * byte1 + byte2 (why: "March", "May" and the weekdays open most
-- dates; their first letter alone let them through to a match and a lower)
local MODIFIER_OPENING = {}
for _, w in ipairs{"early", "mid", "late", "end", "beginning", "start", "middle"} do
  local a, b = w:byte(1, 2)
  for _, x in ipairs{a, a - 32} do
    for _, y in ipairs{b, b - 32} do MODIFIER_OPENING[256 * x + y] = true end
  end
end

local function modifier_of(text)
  local a, b = text:byte(1, 2)
  if not (b and MODIFIER_OPENING[256 * a + b]) then return nil end
  local w = text:match("^(%a+)")
  if not w then return nil end
  w = w:lower()
  if w == "early" or w == "mid" or w == "late" then return w end
  if (w == "end" or w == "beginning" or w == "start" or w == "middle") and text:match("^%a+%s+of%s") then
    return w .. " of"
  end
  return nil
end

--- The date specs of the whole page, leftmost-longest, in document order:
-- each a rule's spec plus i, j, line, text, modifier (a rule's keep, read
-- and check may refuse a match).
local TYPOGRAPHY = {fold = "typography"}
local function typography_view(doc) return doc:normalize(TYPOGRAPHY) end

local function find(doc, text)
  local view = extract.shared(doc, "view/typography", typography_view)
  local _, rule_of = compile()
  local line_of = doc.line_of
  return scan(view, function(r, m)
    local rule = rule_of[r]
    if rule.keep and not rule.keep(text:sub(m.i, m.j)) then return nil end
    local c = rule.read(m)
    if not c or (rule.check and not rule.check(text, m.i, m.j)) then return nil end
    c.i, c.j = m.i, m.j
    c.line = line_of(doc, c.i)
    c.text = text:sub(c.i, c.j)
    c.modifier = modifier_of(c.text)
    c.explicit = c.y ~= nil
    return c
  end)
end

-- Calendar arithmetic ---------------------------------------------------------

-- days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
-- days_from_civil / civil_from_days)
local function days_of(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end

local function civil(z)
  z = z + 719468
  local era = z // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp + (mp < 10 and 3 or -9)
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, d
end

local function weekday_of(z) return (z + 3) % 7 + 1 end   -- ISO: Monday 1

-- iso's fields as strings without string.format (a C call parsing its
-- format each time): months and days from a table, years made once each
local PAD2 = {}
for n = 1, 31 do PAD2[n] = string_format("%02d", n) end
local YEAR = setmetatable({}, {__index = function(t, y)
  local s = string_format("%04d", y)
  if y >= 0 and y <= 9999 then t[y] = s end
  return s
end})

local function iso(y, m, d)
  local ms = m and (PAD2[m] or string_format("%02d", m))
  if d then return YEAR[y] .. "-" .. ms .. "-" .. (PAD2[d] or string_format("%02d", d)) end
  if m then return YEAR[y] .. "-" .. ms end
  return YEAR[y]
end

local function iso_of(a) return iso(a.y, a.m, a.d) end

-- Anchor ----------------------------------------------------------------------

--- The page's date as {y, m, d} (m, d may be nil), or nil.
local function publication(doc)
  if not extract.available("lode.meta") then return nil end
  local ok, m = pcall(require("lode.meta"), doc)
  local p = ok and type(m) == "table" and m.published
  if type(p) ~= "string" then return nil end
  local y, mo, d = p:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
  if not y then return nil end
  return {y = tonumber(y), m = tonumber(mo), d = tonumber(d)}
end

-- A dated item head or label line: a day opens its line (after list or
-- emphasis marks) and a colon follows it ("01.10.20: ..."), or a label
-- and a colon open the line and the day ends it ("Recorded: December 26").
local HEAD_ITEM = lode.regex("^[\\s*_#>|-]*$")
local HEAD_LABEL = lode.regex("^[\\s*_#>|-]*\\p{L}[\\p{L} ]{0,30}:[\\s*_]*$")

local function is_head(doc, text, c)
  if not c.d or c.y2 then return false end
  -- (a colon after it, or nothing but markup to the line's end)
  local nxt = text:match("^[*_ \t]*(.?)", c.j + 1)
  if nxt ~= ":" and nxt ~= "\n" and nxt ~= "\r" and nxt ~= "" then return false end
  local li, lj = doc:line_span(c.line)
  if c.i - li > 60 then return false end      -- (a label is short: no long cut)
  local before, after = text:sub(li, c.i - 1), text:sub(c.j + 1, math_min(lj, c.j + 8))
  if HEAD_ITEM:find(before) then return after:find("^[*_]*:") ~= nil end
  return HEAD_LABEL:find(before) ~= nil and after:find("^[*_%s]*$") ~= nil
end

-- What the words before [i] say of its tense: "future" when a future cue
-- stands earlier in its sentence, "near" when a near cue stands just
-- before it (date_future_cues.txt), else nil.
-- (a cue word stands alone; a clitic such as "'ll" after any word, with
-- either apostrophe)
local future_words, clitics, NEAR = {}, {}, {}
for _, row in ipairs(words.rows("date_future_cues")) do
  local w = row[1]
  if row[2] == "near" then NEAR[w] = true
  elseif w:find("^'") then clitics[#clitics + 1] = w:sub(2)
  else future_words[#future_words + 1] = w end
end
local FUTURE = lode.regex("(?i:(?<![\\p{L}])" .. words.trie(future_words) .. "|['’]" .. words.trie(clitics)
  .. ")(?!\\p{L})")

-- The last word of s's last 16 bytes and the word before it ("" when none
-- stands there, as after "(" in "(until "), read from the end.
local function last_two_words(s)
  local w1, gap, w2 = s:sub(-16):reverse():match("^%s*(%a+)(%s*)(%a*)")
  if not w1 then return nil end
  return gap == "" and "" or w2:reverse(), w1:reverse()
end

local function tense_before(text, i, line_start)
  local before = extract.window(text, math_max(line_start, i - 80), i - 1)
  local from = before:match("^.*[.!?]%s()") or 1        -- this sentence only
  if FUTURE:find(before, from) then return "future" end
  local w2, w1 = last_two_words(before)
  if w1 and (NEAR[w1:lower()] or NEAR[(w2 .. " " .. w1):lower()]) then return "near" end
  return nil
end

-- Resolve -----------------------------------------------------------------------

local function add_months(y, m, n)
  local k = y * 12 + (m - 1) + n
  return k // 12, k % 12 + 1
end

-- How far ahead of its anchor a month-day or month after a near cue may
-- fall and still take the anchor's year (in months: the anchor's month and
-- the next): deadlines ("extended until November 25" in mid-November),
-- where a year back would be eleven months away.
local HORIZON = 1

-- The year of month m (day d) read against anchor a. "past": the latest
-- year that puts it before the anchor; "future": the earliest after it;
-- "near": the latest not more than HORIZON after it; otherwise the latest
-- not after it.
local function year_near(a, m, d, mode)
  if not a.m then return a.y end
  local function ahead(y)             -- months after the anchor; days break ties
    local n = (y * 12 + m) - (a.y * 12 + a.m)
    if n == 0 and d and a.d then return (d - a.d) / 100 end
    return n
  end
  if mode == "future" then
    for y = a.y - 1, a.y + 1 do
      if ahead(y) > 0 then return y end
    end
  end
  for y = a.y + 1, a.y - 1, -1 do
    local n = ahead(y)
    if n < 0 or (mode == nil and n <= 0) or (mode == "near" and n <= HORIZON) then return y end
  end
  return a.y - 1
end

--- The value of relative spec c read against anchor a (nil when a is too
-- coarse for it).
local function resolve_shift(c, a)
  local s = c.shift
  if s.unit == "year" then
    if s.prec == "month" then
      if not a.m then return nil end
      return iso(a.y + s.n, a.m)
    end
    return iso(a.y + s.n)
  elseif s.unit == "month" then
    if not a.m then return nil end
    return iso(add_months(a.y, a.m, s.n))
  end
  if not a.d then return nil end
  local z = days_of(a.y, a.m, a.d)
  if s.unit == "week" then
    local y, m = civil(z + 7 * s.n)
    return iso(y, m)
  elseif s.unit == "weekend" then
    -- the Saturday of that week (the week of the anchor, Monday first)
    local sat = z - (weekday_of(z) - 1) + 5 + 7 * s.n
    local y1, m1, d1 = civil(sat)
    local y2, m2, d2 = civil(sat + 1)
    return iso(y1, m1, d1) .. "/" .. iso(y2, m2, d2)
  end
  return iso(civil(z + s.n))
end

local function resolve_weekday(c, a, tense)
  if not a.d then return nil end
  local z = days_of(a.y, a.m, a.d)
  local delta = c.weekday - weekday_of(z)
  if c.dir == "next" or (c.dir ~= "last" and tense == "future") then
    if delta <= 0 then delta = delta + 7 end
  elseif c.dir == "last" then
    if delta >= 0 then delta = delta - 7 end
  elseif delta > 0 then
    delta = delta - 7
  end
  return iso(civil(z + delta))
end

local PAST_CUE = {last = true, past = true}
local FUTURE_CUE = {next = true}

--- The value of calendar spec c, its year from anchor a when the text
-- leaves it out.
local function resolve_date(c, a, tense)
  local y = c.y
  if not y then
    local mode = (PAST_CUE[c.cue] and "past") or (FUTURE_CUE[c.cue] and "future") or tense
    y = year_near(a, c.m, c.d, mode)
    if c.d and not valid(y, c.m, c.d) then return nil end
  end
  local v = iso(y, c.m, c.d)
  if c.y2 or c.m2 or c.d2 then v = v .. "/" .. iso(c.y2 or y, c.m2 or c.m, c.d2) end
  return v
end

local COORD = lode.regex("^\\s*,?\\s*(?:and|or|to|through)\\s+\\p{Lu}\\p{Ll}+\\s+(?:[0-9]{1,2}(?:st|nd|rd|th)?,?\\s+)?"
  .. "(?<y>1[6-9][0-9][0-9]|20[0-9][0-9])(?![\\p{L}\\p{N}])")

local SENTENCE_END = "[.!?][\"”’']?%s+%u"

--- The year a bare month or month-day takes from its own sentence, before
-- any anchor: a coordinated year ("May and November 2021"), or a year
-- stated earlier in the sentence ("In 2019, ... in July").
local function context_year(text, kept, k)
  local c = kept[k]
  local co = COORD:match(extract.window(text, c.j + 1, c.j + 40))
  if co then return {y = tonumber(co)} end
  for n = k - 1, 1, -1 do
    local p = kept[n]
    if p.line ~= c.line or text:sub(p.j + 1, c.i - 1):find(SENTENCE_END) then break end
    if p.explicit and not p.y2 then return {y = p.y} end
  end
  return nil
end

-- The year of a date stated earlier on the same line (paragraph).
local function line_year(kept, k)
  local line = kept[k].line
  for n = k - 1, 1, -1 do
    local p = kept[n]
    if p.line ~= line then return nil end
    if p.explicit and not p.y2 then return p end
  end
  return nil
end

local PRECISION = {[4] = "year", [7] = "month", [10] = "day"}
local function precision_of(value) return PRECISION[#value] or "range" end

--- Every date record of the whole page (scope is applied by M.dates).
-- The latest dated month of the page (articles talk about their past).
local function latest_month(kept)
  local latest
  for _, c in ipairs(kept) do
    if c.explicit and c.m and not c.y2 and (not latest or c.y > latest.y or (c.y == latest.y and c.m > latest.m)) then
      latest = c
    end
  end
  return latest
end

--- The anchor of kept[k] and how it was found (see the module comment),
-- from the state `st` the dates before it left: pub, head, last_day,
-- prev_month, latest.
local function anchor_of(st, text, kept, k)
  local c = kept[k]
  if c.explicit then return nil, "explicit" end
  if c.chain then return st.last_day, "previous" end
  local yearless = c.m and not c.shift
  local co = yearless and context_year(text, kept, k)
  if co then return co, "context" end
  if st.head then return st.head, "text" end
  if st.pub then return st.pub, "publication" end
  if yearless then
    local ctx = line_year(kept, k) or st.prev_month or st.latest   -- a year to borrow, not a "now"
    return ctx and {y = ctx.y}, "context"
  end
  return nil
end

--- The value of date spec c read against anchor a, or nil.
local function resolve(doc, text, c, a)
  if c.explicit then return resolve_date(c) end
  if not a then return nil end
  if c.chain then return iso(civil(days_of(a.y, a.m, a.d) + c.chain)) end
  if c.shift then return resolve_shift(c, a) end
  local tense = tense_before(text, c.i, (doc:line_span(c.line)))
  if c.weekday then return resolve_weekday(c, a, tense) end
  return resolve_date(c, a, tense)
end

--- What date c, resolved to `value`, tells the dates after it.
local function link(st, doc, text, c, value)
  if #value == 10 then
    local day = c
    if not c.explicit then
      local y, m, d = value:match("^(%d+)%-(%d+)%-(%d+)$")
      day = {y = tonumber(y), m = tonumber(m), d = tonumber(d)}
    end
    st.last_day = day
    if is_head(doc, text, c) then st.head = day end
  end
  if c.explicit and c.m and not c.y2 then st.prev_month = c end
end

--- Every date of the whole page (scope is applied by M.dates): find,
-- then anchor, resolve and link each in document order. A date left
-- without a value stays in the page's list (it still keeps its bytes from
-- lode.extract.quantities) but is not a record.
-- Each date spec becomes its own record (kind, value, precision, resolved,
-- anchor added; its spec fields stay, which M.dates does not copy out).
local function compute(doc)
  local text = doc:text()
  if #text == 0 then return {} end
  local kept = find(doc, text)
  local st = {pub = publication(doc), latest = latest_month(kept)}
  for k, c in ipairs(kept) do
    local a, resolved = anchor_of(st, text, kept, k)
    local value = resolve(doc, text, c, a)
    c.kind, c.value = "date", value
    if value then
      c.precision, c.resolved, c.anchor = precision_of(value), resolved, a and iso_of(a) or nil
      link(st, doc, text, c, value)
    end
  end
  return kept
end

--- Every date of the whole page, shared with the other extractors
-- (read-only; computed once per document, see lode.extract.shared): the
-- records, and the dates no anchor resolves (value nil); also_quantity
-- marks the dates whose words also count a duration ("two years ago").
function M.shared(doc)
  return extract.shared(doc, "dates/page", compute)
end

--- All date records of `doc` (see the module comment).
function M.dates(doc, opts)
  local inscope = extract.scope(doc, opts or {})
  local out = {}
  for _, r in ipairs(M.shared(doc)) do
    if r.value and inscope(r.i, r.j) then
      out[#out + 1] = {kind = r.kind, text = r.text, i = r.i, j = r.j, line = r.line, value = r.value,
        precision = r.precision, modifier = r.modifier, resolved = r.resolved, anchor = r.anchor}
    end
  end
  return out
end

return setmetatable(M, {__call = function(_, doc, opts) return M.dates(doc, opts) end})
