--- lode.extract.quotes.context: what the attribution strategies read in a
-- document, built once per document: the person and other entity records
-- of lode.extract.entities (sorted, with start arrays for binary search),
-- the speech verbs found by one C pass, sentence starts, and the "link"
-- stage that turns a speaker as written into a canonical name.

local lode = require "lode"
local core = require "lode.core"
local extract = require "lode.extract"
local entities = require "lode.extract.entities"
local entity_lists = require "lode.extract.entities.lists"
local words = require "lode.words"
local ipairs, pairs, math, table = ipairs, pairs, math, table
local byte, concat, find, match, sub = string.byte, table.concat, string.find, string.match, string.sub

local M = {}

-- The entries of list files as one regex alternation (a trie),
-- case-insensitive.
local alts = {}
function M.alternation(...)
  local key = table.concat({...}, "+")
  local a = alts[key]
  if a then return a end
  local t, seen = {}, {}
  for _, name in ipairs{...} do
    for k in pairs(words.list(name)) do
      if not seen[k] then seen[k] = true; t[#t + 1] = k end
    end
  end
  table.sort(t)
  a = "(?i:" .. words.trie(t) .. ")"
  alts[key] = a
  return a
end

-- Sentence boundaries (core/boundary.h): a sentence end, closing marks
-- and spaces, then a capital (optionally after an opening mark); not
-- after an initial or these abbreviations. The capital looked at is kept
-- so that a window ending before it can tell the boundary would not be
-- seen inside it.
local ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St"}

-- The first word of a list entry as re:gfind_words reads words (a maximal
-- run of letters) in every case of its Latin-1 letters (C3 80-9E and C3
-- A0-BE but for the signs × ÷, and for Å å ß which caseless regexes also
-- match to other characters): the word set folds ASCII letters alone. Nil
-- when the run is empty, holds another character, or ends at one that may
-- be a letter (ASCII signs and U+2000-U+203F, as ’, end it).
local function first_word_cases(entry)
  local ascii = entry:match("^%a+")
  if ascii and (byte(entry, #ascii + 1) or 0) < 128 then return {ascii} end   -- most entries
  local b = byte(entry, 1)
  if b == 0xD0 or b == 0xD1 then return extract.cyrillic_cases(match(entry, "^[\208\209\128-\191]+")) end
  local out = {""}
  for c in entry:gmatch(utf8.charpattern) do
    local b1, b2 = byte(c, 1, 2)
    local other
    if #c == 2 and b1 == 0xC3 and b2 >= 0x80 and b2 <= 0xBE and b2 ~= 0x97 and b2 ~= 0xB7
        and b2 ~= 0x85 and b2 ~= 0xA5 and b2 ~= 0x9F then
      other = string.char(0xC3, b2 ~ 0x20)
    elseif #c == 1 and not find(c, "%a") or #c == 3 and b1 == 0xE2 and b2 == 0x80 then
      break
    elseif #c > 1 then
      return nil
    end
    local n = #out
    for k = 1, n do
      if other then out[n + k] = out[k] .. other end
      out[k] = out[k] .. c
    end
  end
  if out[1] ~= "" then return out end
end

--- A prefilter for re:gfind_words of a regex whose every match starts
-- with an entry of these lists after a character that is no letter: the
-- WordSet of the entries' first words, and the bytes to try besides: none,
-- or every byte when a first word is not one the set can hold; then the
-- WordSets `lead` and `pairs` of re:gfind_words: a first word of ASCII
-- letters that opens entries of two words or more alone (the "a" of "a
-- dit", the "as" of "as quoted by"), and its pairs with the second words
-- (the ASCII letters the second word starts with, when no other letter
-- follows them: a text whose second run ends at another byte is tried).
function M.first_words(...)
  local firsts, every, lead, pairs_of = {}, false, {}, {}
  for _, name in ipairs{...} do
    for entry in pairs(words.list(name)) do
      local cases = first_word_cases(entry)
      if not cases then every = true end
      for _, w in ipairs(cases or {}) do
        firsts[#firsts + 1] = w
        local low = w:lower()
        -- (entries are single-spaced: words.list; a space is \s+ in the trie)
        local second, after = match(entry, "^%a+ ([%a\128-\255]%a*)()")
        if not find(w, "^%a+$") or #w ~= #match(entry, "^%a*") or not second then
          lead[low] = false
        else
          if lead[low] == nil then lead[low] = true end
          -- (a second word opening with another byte: such texts are tried)
          if find(second, "^%a") and (byte(entry, after) or 0) < 128 then
            pairs_of[low .. " " .. second:lower()] = true
          end
        end
      end
    end
  end
  local bytes, leads, pair_list = {}, {}, {}
  if every then for b = 0, 255 do bytes[b + 1] = string.char(b) end end
  for w, ok in pairs(lead) do if ok then leads[#leads + 1] = w end end
  for pair in pairs(pairs_of) do
    if lead[match(pair, "^%a+")] then pair_list[#pair_list + 1] = pair end
  end
  return core.wordset(firsts), concat(bytes), core.wordset(leads), core.wordset(pair_list)
end

--- The WordSet of the first words of these lists' entries (and of the
-- array `more`) that core.quote_head_in looks up: runs of ASCII letters
-- ended by another ASCII byte or the entry's end. An entry whose first
-- run goes on past ASCII ("déclaré") needs none: such texts are always
-- tried. False when an entry opens with an ASCII byte that is no letter.
function M.head_words(more, ...)
  local t = {}
  for _, w in ipairs(more or {}) do t[#t + 1] = w end
  for _, name in ipairs{...} do
    for entry in pairs(words.list(name)) do
      local w = match(entry, "^%a*")
      local b = byte(entry, #w + 1)
      if b and b < 128 and w == "" then return false end
      if not b or b < 128 then t[#t + 1] = w end
    end
  end
  return core.wordset(t)
end

-- The verbs regex: a verb after a non-word character ("\b" before it),
-- tried only where a first word of the verbs starts (re:gfind_words).
local SEP = "[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]|(?=[^\\x00-\\x7f])\\W"

local R
local function regexes()
  if R then return R end
  local V = M.alternation("speech_verbs", "quote_verbs")
  local verb_words, verb_bytes, verb_lead, verb_pairs = M.first_words("speech_verbs", "quote_verbs")
  R = {
    verb = lode.regex("\\G(?<=" .. SEP .. ")" .. V .. "\\b"),
    verb_words = verb_words, verb_bytes = verb_bytes, verb_lead = verb_lead, verb_pairs = verb_pairs,
  }
  return R
end
M.regexes = regexes

-- First index n of the ascending array `a` with a[n] >= pos (#a + 1 when none).
local lower_bound = core.lower_bound

local Cx = {}
Cx.__index = Cx

-- The start bytes of an entity array, its person records and their start
-- bytes (the array is shared and read-only, so they are kept with it).
local index_cache = setmetatable({}, {__mode = "k"})
local function index_entities(ents)
  local ix = index_cache[ents]
  if ix then return ix end
  local estarts, persons, pstarts = core.index_records(ents, "person")
  ix = {estarts = estarts, persons = persons, pstarts = pstarts}
  index_cache[ents] = ix
  return ix
end

--- The context of `doc` for quotes `quotes` (sorted spans from the find stage).
function M.new(doc, opts, quotes)
  local ents = entities.shared(doc, opts)
  local ix = index_entities(ents)
  local qstarts = {}
  for n = 1, #quotes do qstarts[n] = quotes[n].i end
  local cx = setmetatable({doc = doc, text = doc:text(), ents = ents, estarts = ix.estarts,
    persons = ix.persons, pstarts = ix.pstarts, quotes = quotes, qstarts = qstarts,
    quoted = {}, subjects = {}}, Cx)
  return cx
end

-- The sentence boundaries of the document, searched on first use (a page
-- without quotations in its article needs none).
local function boundaries(d)
  return core.sentence_boundaries(d, ABBREVIATIONS)
end

-- The speech verbs [a, b] with lo <= a and b <= hi as arrays, searched in
-- that window alone (its byte before too, for the separator): quotations
-- need the verbs of a few sentences, not of the whole document.
function Cx:verbs_in(lo, hi)
  local from = lo > 1 and lo - 1 or 1
  local s = extract.window(self.text, from, hi)
  -- the window starts past what is left at `from` of a character it cuts
  -- (it may cut one at its end too)
  if from > 1 then from = find(self.text, "[^\128-\191]", from) or from end
  local r = regexes()
  local F = r.verb:gfind_words(s, r.verb_words, r.verb_bytes, r.verb_lead, r.verb_pairs)
  local A, B, n = {}, {}, 0
  -- a verb opening the text: tried as if a line break stood before it
  if from == 1 then
    local a, b = r.verb:find("\n" .. s, 2)
    if a then A[1], B[1], n = a - 1, b - 1, 1 end
  end
  for k = 1, #F, 2 do
    local a = F[k] + from - 1
    if a >= lo then
      n = n + 1
      A[n], B[n] = a, F[k + 1] + from - 1
    end
  end
  return A, B
end

--- The last speech verb [a, b] with lo <= a and b <= hi, or nil.
function Cx:last_verb_in(lo, hi)
  local A, B = self:verbs_in(lo, hi)
  local n = #A
  if n > 0 then return A[n], B[n] end
end

--- The first speech verb [a, b] with lo <= a and b <= hi, or nil.
function Cx:first_verb_in(lo, hi)
  local A, B = self:verbs_in(lo, hi)
  if A[1] then return A[1], B[1] end
end

--- The sentence boundaries of the document (lode.core.sentence_boundaries),
-- searched on first use.
function Cx:boundaries()
  local bd = self.bd
  if not bd then
    bd = extract.shared(self.doc, "quotes/boundaries", boundaries)
    self.bd = bd
  end
  return bd
end

--- Where the sentence holding the end of window [lo, hi] starts, as a scan
-- of the window alone would see it: the end of the last boundary inside
-- the window (its lookahead too), else lo.
function Cx:sentence_start(lo, hi)
  return (self.bd or self:boundaries()):sentence_start(lo, hi)
end

--- Whether entity record p lies inside a quotation.
function Cx:in_quote(p)
  local n = lower_bound(self.qstarts, p.i + 1) - 1
  local q = self.quotes[n]
  return q ~= nil and p.i >= q.i and p.j <= q.j
end

--- Whether person n (an index into cx.persons) is named inside a
-- quotation, each asked once.
function Cx:person_quoted(n)
  local v = self.quoted[n]
  if v == nil then
    v = self:in_quote(self.persons[n])
    self.quoted[n] = v
  end
  return v
end

--- The first person record inside [i, j] (not inside a quotation when
-- `outside`), or nil.
function Cx:first_person_in(i, j, outside, fits)
  local persons = self.persons
  for n = lower_bound(self.pstarts, i), #persons do
    local p = persons[n]
    if p.i > j then break end
    if p.j <= j and not (outside and self:person_quoted(n)) and (not fits or fits(p)) then return p end
  end
end

--- The last person record ending before pos outside quotations (and
-- `fits`, when given), or nil.
function Cx:last_person_before(pos, fits)
  local persons = self.persons
  local lb = lower_bound(self.pstarts, pos)
  for n = lb - 1, math.max(1, lb - 200), -1 do
    local p = persons[n]
    if p.j < pos and not self:person_quoted(n) and (not fits or fits(p)) then return p end
  end
end

--- The first entity record of any kind inside [i, j], or nil.
function Cx:first_entity_in(i, j)
  local ents = self.ents
  for n = lower_bound(self.estarts, i), #ents do
    local e = ents[n]
    if e.i > j then break end
    if e.j <= j then return e end
  end
end

-- ------------------------------------------------------ noun phrases ---

-- Lua classes are bytewise: curly marks and spaced dashes become ASCII
-- first (the replacements keep clause separators where they were).
-- By the last byte of each after E2 80; the E2 80 pairs are found by
-- plain searches (a pattern is tried at every byte, and ’ is common).
local SEPS = {[0x9C] = '"', [0x9D] = '"', [0x93] = ",", [0x94] = ","}
local function ascii_seps(s)
  local at = find(s, "\226\128", 1, true)
  if not at then return s end
  local parts, n, from = {}, 0, 1
  while at do
    local r = SEPS[byte(s, at + 2)]
    if r then
      parts[n + 1], parts[n + 2] = sub(s, from, at - 1), r
      n, from = n + 2, at + 3
      at = find(s, "\226\128", at + 3, true)
    else
      at = find(s, "\226\128", at + 1, true)
    end
  end
  if n == 0 then return s end
  parts[n + 1] = sub(s, from)
  return concat(parts)
end
M.ascii_seps = ascii_seps

-- Words trimmed from the end of a subject ("X has also" -> "X").
local SUBJ_TRIM = {also = 1, has = 1, had = 1, have = 1, ["then"] = 1, recently = 1,
  later = 1, further = 1, publicly = 1, reportedly = 1, once = 1, again = 1,
  repeatedly = 1, ["is"] = 1, was = 1, being = 1, proudly = 1, officially = 1,
  even = 1, just = 1, often = 1, ["and"] = 1, now = 1, strongly = 1, clearly = 1,
  previously = 1, ["not"] = 1, never = 1, would = 1, will = 1, could = 1, may = 1,
  been = 1, who = 1, openly = 1, widely = 1, explicitly = 1}
-- Words stripped from the start of a subject.
local OPENERS = {that = 1, as = 1, ["while"] = 1, ["and"] = 1, but = 1, what = 1,
  when = 1, ["if"] = 1, since = 1, although = 1, though = 1, because = 1, whereas = 1,
  with = 1}

local DETERMINERS = {a = 2, A = 2, an = 2, An = 2, the = 1, The = 1, his = 1, His = 1,
  her = 1, Her = 1, its = 1, Its = 1, their = 1, Their = 1}

-- The clause reader of lode.core (core/clause.h) with these rules:
-- determiners by weight (2 strong, 1 weak) followed by a space, openers
-- and trimmed words as word sets (they fold ASCII case, as lower() did).
local clause_rules
local function rules()
  if clause_rules then return clause_rules end
  local by = {{}, {}}
  for w, d in pairs(DETERMINERS) do table.insert(by[d], w .. " ") end
  clause_rules = core.clause_rules{strong = by[2], weak = by[1], openers = core.wordset(OPENERS),
    trims = core.wordset(SUBJ_TRIM)}
  return clause_rules
end

-- A phrase starting with these is no subject ("By putting forward …",
-- a demonstrative).
local PREPOSITIONS = {by = 1, ["in"] = 1, on = 1, at = 1, ["for"] = 1, from = 1, after = 1,
  before = 1, during = 1, despite = 1, under = 1, over = 1, through = 1, unlike = 1,
  like = 1, following = 1, besides = 1, nevertheless = 1, however = 1, moreover = 1,
  meanwhile = 1, instead = 1, indeed = 1, to = 1, into = 1, of = 1, about = 1, against = 1,
  this = 1, these = 1, those = 1, ["it"] = 1}

--- The noun phrase just before a verb (from the last clause boundary,
-- skipping relative and participle clauses set off by commas), as written,
-- or nil when it is not a plausible subject; and its start in `before`.
function M.subject_np(before)
  local chunk, from = rules():subject(before)
  if not chunk then return nil end
  local first = chunk:match("^(%S+)")
  if PREPOSITIONS[first:lower()] then return nil end
  if not (first:match("^%u") or first:match("^[\195-\244]") or first:match("^[Aa]n?$")
      or first:match("^[Tt]he$") or first:match("^[Hh]is$") or first:match("^[Hh]er$")
      or first:match("^[Ii]ts$") or first:match("^[Tt]heir$")
      or first:match("^one$") or first:match("^some$")) then
    return nil
  end
  return chunk, from
end

-- ------------------------------------------------------------- link ---

-- "self": the writer or the current speaker, whom the page does not name
local PRONOUNS = {he = "person", she = "person", him = "person", her = "person",
  they = "group", ["it"] = "group", i = "self", me = "self", we = "self", us = "self",
  il = "person", elle = "person", ils = "group", elles = "group",    -- French inversions
  ["он"] = "person", ["она"] = "person", ["они"] = "group"}           -- Russian ones

-- he/she: the gender a person's given name has in given_genders.txt
-- (generated from a maintained list); a name it lacks fits either
local PRONOUN_GENDER = {he = "m", him = "m", she = "f", her = "f", il = "m", elle = "f",
  ["он"] = "m", ["она"] = "f"}
local genders
local function fits_pronoun(low)
  local want = PRONOUN_GENDER[low]
  if not genders then
    genders = {}
    for _, row in ipairs(words.rows("given_genders")) do genders[row[1]] = row[2] end
  end
  return function(p)
    local g = genders[p.name:match("^%S+") or ""]
    return not g or g == want
  end
end

--- Whether a speaker as written is the first person ("I", "we").
function M.first_person(np)
  return PRONOUNS[np:lower()] == "self"
end

-- How far back "they" and "the official" look for the speech event they
-- refer to (bytes).
local EVENT_REACH = 3000

-- The subject of the speech verb at byte `at` when it makes a speech event
-- (not a pronoun, not inside a quotation), else false; memoized.
function Cx:event_np(at)
  local np = self.subjects[at]
  if np == nil then
    np = false
    if not self:in_quote({i = at, j = at}) then
      local ls = math.max(self.doc:line_span(self.doc:line_of(at)), at - 300)
      np = M.subject_np(extract.window(self.text, ls, at - 1)) or false
      if np and PRONOUNS[np:lower()] then np = false end
    end
    self.subjects[at] = np
  end
  return np
end

-- "they": the latest speech subject before pos that names no person.
function Cx:they_before(pos)
  local A = self:verbs_in(math.max(1, pos - EVENT_REACH), pos - 1)
  for k = #A, 1, -1 do
    local np = self:event_np(A[k])
    if np and not self:first_person_in(A[k] - #np - 4, A[k]) then return np end
  end
end

-- "the official": the first "a(n) … official" speech subject before pos.
function Cx:head_event(head, pos)
  local A = self:verbs_in(math.max(1, pos - EVENT_REACH), pos - 1)
  for k = 1, #A do
    local np = self:event_np(A[k])
    if np and np:lower():match("^an?%s.-(%a+)$") == head then return np end
  end
end

-- Whether person record p was named with title or role `desc` (lower
-- case): its title, or its role or the role's last words.
local function holds_role(p, desc)
  local function ends_with(r)
    r = r and r:lower()
    return r ~= nil and (r == desc or (#r > #desc and r:sub(-#desc - 1) == " " .. desc))
  end
  return ends_with(p.title) or ends_with(p.role)
end

-- The last person named before pos with title or role `desc`, or nil.
function Cx:last_holding(desc, pos)
  return self:last_person_before(pos, function(c) return holds_role(c, desc) end)
end

-- How far back he/she looks for a sentence opened by "The <title>".
local TITLE_SUBJECT_REACH = 600
-- The title word of the last "The <title>" (capital T: a sentence's
-- subject) in [from, pos), or nil: "The Pope has backed civil unions ...
-- He said:" refers to the pope, not to a person named before him.
function Cx:title_subject(from, pos)
  local titles_low = entity_lists.word_lists().titles_low
  local s = extract.window(self.text, math.max(from, pos - TITLE_SUBJECT_REACH), pos - 1)
  local last
  -- from the first "The" (a plain search) instead of every byte
  local at = find(s, "The", 1, true)
  if not at then return nil end
  for w in s:gmatch("%f[%w]The%s+(%a+)%f[^%w]", at) do
    if titles_low[w:lower()] then last = w end
  end
  return last
end

--- The "link" stage: the canonical speaker and role of a speaker written
-- `np` at bytes [i, j]: a person named inside it (full name), he/she the
-- last person named before (or a sentence's subject "The Pope" since),
-- they the last speaking body, "the official" the first "an … official"
-- that spoke, an organisation or place named inside it, "the mayor, Tom
-- Briggs" the person apposed, "the pope" the last person of that title or
-- role; else the phrase as written (markup dropped).
function Cx:link(np, i, j)
  local p = self:first_person_in(i, j)
  if p then return p.name, p.role end
  local low = np:lower()
  local pron = PRONOUNS[low]
  if pron == "person" then
    local st = self:sentence_start(math.max(self.doc:line_span(self.doc:line_of(i)), i - 400), i - 1)
    local fits = fits_pronoun(low)
    p = self:first_person_in(st, i - 1, true, fits)
    if p then return p.name, p.role end
    p = self:last_person_before(i, fits)
    -- a sentence opened by "The Pope" since then: the person so titled,
    -- else the description
    local t = self:title_subject(p and p.j + 1 or 1, i)
    if t then
      local q = self:last_holding(t:lower(), i)
      if q then return q.name, q.role end
      return "The " .. t
    end
    if p then return p.name, p.role end
    return nil
  elseif pron == "group" then
    return self:they_before(i)
  end
  -- a short definite description refers back ("the official", "the
  -- senior diplomat"); a longer one names its own speaker
  local head = low:match("^the%s+(%a+)$") or low:match("^the%s+%S+%s+(%a+)$")
  if head and words.list("quote_speaker_heads")[head] then
    local ev = self:head_event(head, i)
    if ev then return ev end
  end
  local e = self:first_entity_in(i, j)
  if e and (e.j - e.i + 1) * 2 >= #np then return e.name or np end
  -- "the pope", "the prime minister": the last person named with that
  -- title or a role ending in those words
  local desc = low:match("^the%s+(%a[%a%s]*%a)$") or low:match("^the%s+(%a+)$")
  if desc and #desc <= 40 then
    -- "said the mayor, Tom Briggs": the person apposed to it
    p = self:first_person_in(j + 1, j + 80)
    if p and self.text:sub(j + 1, p.i - 1):find("^,%s+$") then return p.name, p.role end
    p = self:last_holding(desc, i)
    if p then return p.name, p.role end
  end
  return (np:gsub("[*_%[%]]", ""):gsub("^%s+", ""):gsub("%s+$", ""))
end

return M
