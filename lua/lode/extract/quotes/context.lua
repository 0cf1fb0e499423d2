--- lode.extract.quotes.context: what the attribution strategies read in a
-- document, built once per document: the person and other entity records
-- of lode.extract.entities (sorted, with start arrays for binary search),
-- the speech verbs found by one C pass, sentence starts, and the "link"
-- stage that turns a speaker as written into a canonical name.

local lode = require "lode"
local extract = require "lode.extract"
local entities = require "lode.extract.entities"
local words = require "lode.words"
local ipairs, pairs, math, select, table = ipairs, pairs, math, select, table

local M = {}

-- A list file's entries as a regex alternation (a trie), case-insensitive.
local alts = {}
function M.alternation(name)
  local a = alts[name]
  if a then return a end
  local t = {}
  for k in pairs(words.list(name)) do t[#t + 1] = k end
  table.sort(t)
  a = "(?i:" .. words.trie(t) .. ")"
  alts[name] = a
  return a
end

-- Sentence boundaries: a sentence end, closing marks and spaces, then a
-- capital (optionally after an opening mark); not after "Mr." or an
-- initial. The lookahead is captured so that a window ending before the
-- capital can tell the boundary would not be seen inside it.
local BOUNDARY = [[(?<!\bMr|\bMrs|\bMs|\bDr|\bSt|\b\p{Lu})[.!?][”"’]?[*_]*\s+(?=([*_]*[“”"‘]?\p{Lu}))]]

-- The verbs regex: "\b" before a verb is a non-word character or the
-- start; the ASCII part of \W is a byte class PCRE2 can search for.
local R
local function regexes()
  if R then return R end
  local V = M.alternation("speech_verbs")
  R = {
    verb = lode.regex("(?:\\A|[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]|(?=[^\\x00-\\x7f])\\W)\\K"
      .. V .. "\\b"),
    boundary = lode.regex(BOUNDARY),
  }
  return R
end
M.regexes = regexes

-- First index n of the ascending array `a` with a[n] >= pos (#a + 1 when none).
local function lower_bound(a, pos)
  local lo, hi = 1, #a + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if a[mid] < pos then lo = mid + 1 else hi = mid end
  end
  return lo
end
M.lower_bound = lower_bound

local Cx = {}
Cx.__index = Cx

--- The context of `doc` for quotes `quotes` (sorted spans from the find stage).
function M.new(doc, opts, quotes)
  local ents = entities.shared(doc, opts)
  local estarts, persons, pstarts = {}, {}, {}
  for n, e in ipairs(ents) do
    estarts[n] = e.i
    if e.kind == "person" then
      persons[#persons + 1] = e
      pstarts[#pstarts + 1] = e.i
    end
  end
  local qstarts = {}
  for n, q in ipairs(quotes) do qstarts[n] = q.i end
  local cx = setmetatable({doc = doc, text = doc:text(), ents = ents, estarts = estarts,
    persons = persons, pstarts = pstarts, quotes = quotes, qstarts = qstarts,
    subjects = {}, heads = {}, heads_done = 0}, Cx)
  local A, B, _, E = doc:match_spans(regexes().boundary)
  cx.bd = {A = A, B = B, E = E}
  return cx
end

--- Every speech verb of the document, from one C pass made when first needed.
function Cx:verbs()
  if not self.vpos then
    self.vpos, self.vend = self.doc:match_spans(regexes().verb)
  end
  return self.vpos, self.vend
end

--- The last speech verb [a, b] with lo <= a and b <= hi, or nil.
function Cx:last_verb_in(lo, hi)
  local vpos, vend = self:verbs()
  local k = lower_bound(vend, hi + 1) - 1
  if k > 0 and vpos[k] >= lo then return vpos[k], vend[k] end
end

--- The first speech verb [a, b] with lo <= a and b <= hi, or nil.
function Cx:first_verb_in(lo, hi)
  local vpos, vend = self:verbs()
  local k = lower_bound(vpos, lo)
  if vpos[k] and vend[k] <= hi then return vpos[k], vend[k] end
end

--- Where the sentence holding the end of window [lo, hi] starts, as a scan
-- of the window alone would see it: the end of the last boundary inside
-- the window (its lookahead too), else lo.
function Cx:sentence_start(lo, hi)
  local bd = self.bd
  local k = lower_bound(bd.B, hi + 1) - 1
  while k > 0 and bd.E[k] > hi do k = k - 1 end
  if k > 0 and bd.A[k] >= lo then return bd.B[k] + 1 end
  return lo
end

--- Whether entity record p lies inside a quotation.
function Cx:in_quote(p)
  local n = lower_bound(self.qstarts, p.i + 1) - 1
  local q = self.quotes[n]
  return q ~= nil and p.i >= q.i and p.j <= q.j
end

--- The first person record inside [i, j] (not inside a quotation when
-- `outside`), or nil.
function Cx:first_person_in(i, j, outside)
  local persons = self.persons
  for n = lower_bound(self.pstarts, i), #persons do
    local p = persons[n]
    if p.i > j then break end
    if p.j <= j and not (outside and self:in_quote(p)) then return p end
  end
end

--- The last person record ending before pos outside quotations, or nil.
function Cx:last_person_before(pos)
  local persons = self.persons
  local lb = lower_bound(self.pstarts, pos)
  for n = lb - 1, math.max(1, lb - 200), -1 do
    local p = persons[n]
    if p.j < pos and not self:in_quote(p) then return p end
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
local SEPS = {["“"] = '"', ["”"] = '"', ["–"] = ",", ["—"] = ","}
local function ascii_seps(s)
  if not s:find("\226\128", 1, true) then return s end
  return (s:gsub("\226\128[\147\148\156\157]", SEPS))
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

-- A phrase starting with these is no subject ("By putting forward …").
local PREPOSITIONS = {by = 1, ["in"] = 1, on = 1, at = 1, ["for"] = 1, from = 1, after = 1,
  before = 1, during = 1, despite = 1, under = 1, over = 1, through = 1, unlike = 1,
  like = 1, following = 1, besides = 1, nevertheless = 1, however = 1, moreover = 1,
  meanwhile = 1, instead = 1, indeed = 1, to = 1, into = 1, of = 1, about = 1, against = 1}

local function is_side_clause(chunk)
  return chunk:match("^%s*$") or chunk:match("^%s*who%s") or chunk:match("^%s*which%s")
    or chunk:match("^%s*%l+ing%s")
end

--- The noun phrase just before a verb (from the last clause boundary,
-- skipping relative and participle clauses set off by commas), as written,
-- or nil when it is not a plausible subject; and its start in `before`.
function M.subject_np(before)
  before = ascii_seps(before):gsub("[*_%[%]]", " ")
  local seps, k = {}, 0
  for p in before:gmatch('()[,;:()"]') do k = k + 1; seps[k] = p end
  local from = (seps[k] or 0) + 1
  local chunk = before:sub(from)
  local back = 0
  while k > 0 and back < 4 and is_side_clause(chunk) do
    k = k - 1
    from = (seps[k] or 0) + 1
    chunk = before:sub(from, seps[k + 1] - 1)
    back = back + 1
  end
  local det = chunk:match("^.*%f[%a]()[Aa]n? ") or chunk:match("^.*%f[%a]()[Tt]he ")
    or chunk:match("^.*%f[%a]()[Hh]is ") or chunk:match("^.*%f[%a]()[Hh]er ")
    or chunk:match("^.*%f[%a]()[Ii]ts ") or chunk:match("^.*%f[%a]()[Tt]heir ")
  if det and det > 1 then from, chunk = from + det - 1, chunk:sub(det) end
  while true do
    local w = chunk:match("^%s*(%a+)%s")
    if not (w and OPENERS[w:lower()]) then break end
    local cut = #chunk:match("^%s*%a+%s+")
    from, chunk = from + cut, chunk:sub(cut + 1)
  end
  local lead = #chunk:match("^%s*")
  from, chunk = from + lead, chunk:sub(lead + 1):gsub("%s+$", "")
  while true do
    local last = chunk:match("(%a+)$")
    if not (last and SUBJ_TRIM[last:lower()] and #last < #chunk) then break end
    chunk = chunk:sub(1, #chunk - #last):gsub("%s+$", "")
  end
  if chunk == "" or chunk:sub(-4) == "’s" or chunk:sub(-2) == "'s" then return nil end
  if select(2, chunk:gsub("%S+", "")) > 7 then return nil end
  local first = chunk:match("^(%S+)")
  if PREPOSITIONS[first:lower()] then return nil end
  if not (first:match("^%u") or first:match("^[\195-\244]") or first:match("^[Aa]n?$")
      or first:match("^[Tt]he$") or first:match("^[HhIi][ei][rs]$") or first:match("^[Tt]heir$")
      or first:match("^one$") or first:match("^some$")) then
    return nil
  end
  return chunk, from
end

-- ------------------------------------------------------------- link ---

local PRONOUNS = {he = "person", she = "person", him = "person", her = "person",
  they = "group", ["it"] = "group"}

-- The subject of speech verb k when it makes a speech event (not a
-- pronoun), else false; each verb's subject is searched for once.
function Cx:event_np(k)
  local np = self.subjects[k]
  if np == nil then
    local mi = self.vpos[k]
    local ls = math.max(self.doc:line_span(self.doc:line_of(mi)), mi - 300)
    np = M.subject_np(extract.window(self.text, ls, mi - 1)) or false
    if np and PRONOUNS[np:lower()] then np = false end
    self.subjects[k] = np
  end
  return np
end

-- "they": the latest of the last 50 speech subjects before pos that names
-- no person.
function Cx:they_before(pos)
  local vpos = self:verbs()
  local k = lower_bound(vpos, pos) - 1
  local seen = 0
  while k > 0 and seen < 50 do
    local np = not self:in_quote({i = vpos[k], j = vpos[k]}) and self:event_np(k)
    if np then
      seen = seen + 1
      if not self:first_person_in(vpos[k] - #np - 4, vpos[k]) then return np end
    end
    k = k - 1
  end
end

-- "the official": the first "a(n) … official" speech subject before pos.
function Cx:head_event(head, pos)
  local vpos = self:verbs()
  local heads = self.heads
  while not heads[head] and self.heads_done < #vpos and vpos[self.heads_done + 1] < pos do
    local k = self.heads_done + 1
    self.heads_done = k
    local np = not self:in_quote({i = vpos[k], j = vpos[k]}) and self:event_np(k)
    if np then
      local low = np:lower()
      local h = low:match("^an?%s.-(%a+)$")
      if h and not heads[h] then heads[h] = {pos = vpos[k], np = np} end
    end
  end
  local ev = heads[head]
  if ev and ev.pos < pos then return ev.np end
end

--- The "link" stage: the canonical speaker and role of a speaker written
-- `np` at bytes [i, j]: a person named inside it (full name), he/she the
-- last person named before, they the last speaking body, "the official"
-- the first "an … official" that spoke, an organisation or place named
-- inside it; else the phrase as written (markup dropped).
function Cx:link(np, i, j)
  local p = self:first_person_in(i, j)
  if p then return p.name, p.role end
  local low = np:lower()
  local pron = PRONOUNS[low]
  if pron == "person" then
    local st = self:sentence_start(math.max(self.doc:line_span(self.doc:line_of(i)), i - 400), i - 1)
    p = self:first_person_in(st, i - 1, true) or self:last_person_before(i)
    if p then return p.name, p.role end
    return nil
  elseif pron == "group" then
    return self:they_before(i)
  end
  local head = low:match("^the%s.-(%a+)$")
  if head then
    local ev = self:head_event(head, i)
    if ev then return ev end
  end
  local e = self:first_entity_in(i, j)
  if e and (e.j - e.i + 1) * 2 >= #np then return e.name or np end
  return (np:gsub("[*_%[%]]", ""):gsub("^%s+", ""):gsub("%s+$", ""))
end

return M
