--- lode.extract.quotes: direct quotations and who said them.
-- quotes(doc [, opts]) -> array of records in document order:
--   {kind = "quote", text = the quoted words (between the marks), i, j, line,
--    speaker = full name (persons) or body as written ("a senior Armenian
--    official", "Azerbaijan’s defense ministry") or nil, cue = the verb or
--    pattern that gave the speaker, role = the speaker's stated role}
--
-- Marks: “ ” " « » (a space before » belongs to it, as French sets it;
-- single quotes are kept inside as nested quotes). Scrape
-- damage tolerated: a closing mark used to open (”…”), a quote never closed
-- (it ends at the paragraph end, or at the first sentence end when another
-- quote opens later in the paragraph), and a quote whose paragraph ends open
-- while the next paragraph opens with a mark (newspaper convention) becomes
-- one record spanning both paragraphs.
--
-- Scare quotes: quotations of 1-3 words ("terrorists", “iron fist”) are
-- dropped unless a speech cue is right beside them (“No,” he said / said:
-- “No”); opts.short = true keeps them all.
--
-- Speakers, first match wins: after the quote ("…,” X said", "…,” said X",
-- "…,” he says"); before it in the same sentence ("X said/stated/tweeted …
-- “", "according to X", "X: “", "by stating: “"); the previous quote's
-- speaker when the quote continues the same paragraph or sentence.
-- Pronouns: he/she -> the first person named earlier in the same sentence,
-- else the last person named before; they -> the last speech subject that is
-- not a person. "the official" -> an earlier "a(n) … official" subject.
-- Person names come from lode.extract.entities (canonical full names).

local lode = require "lode"
local extract = require "lode.extract"
local entities = require "lode.extract.entities"
local words = require "lode.words"
local ipairs, pairs, table, string = ipairs, pairs, table, string

local M = {}

-- The closing mark is group 1; French typography sets a (no-break) space
-- before "»", which is part of the mark.
local QUOTE = [[[“”"«]\s*+\K[^\n“”"«»]*[^\s“”"«»](?:([”“"]|\h*»)(?![\p{L}\p{N}]))?]]
local MARKS = {["”"] = true, ["“"] = true, ['"'] = true, ["»"] = true}

-- The speech verbs as one alternation: a trie (lode.words.trie), which
-- reads each letter once where a list of verbs tried them one by one, and
-- chooses the same verb (the longest that matches).
local verb_alt
local function verbs()
  if verb_alt then return verb_alt end
  local t = {}
  for k in pairs(entities.load_list("speech_verbs.txt")) do t[#t + 1] = k end
  verb_alt = "(?i:" .. words.trie(t) .. ")"
  return verb_alt
end

-- Sentence boundaries: a sentence end, closing marks and spaces, then a
-- capital (optionally after an opening mark); not after "Mr." or an initial.
-- The lookahead is captured so that a window ending before the capital can
-- tell the boundary would not be seen inside it.
local BOUNDARY = [[(?<!\bMr|\bMrs|\bMs|\bDr|\bSt|\b\p{Lu})[.!?][”"’]?\s+(?=([“”"]?\p{Lu}))]]

local function re(p, f) return lode.regex(p, f) end

-- The regexes that embed the speech verbs, built once (concatenating the
-- alternation for every quote cost more than matching with it).
local R
local function regexes()
  if R then return R end
  local V = verbs()
  R = {
    -- "\b" before a verb is a non-word character (or the start) before it:
    -- starting there skips the letters inside words. \W is split into its
    -- ASCII part (a byte class PCRE2 can search for) and the rest, and the
    -- start of the text is tested apart (an "\A" branch made every letter
    -- a place to try): `verb_after` finds the same verbs as `verb` unless
    -- the text starts with one (`verb_first`).
    verb = re("(?:\\A|\\W)\\K" .. V .. "\\b"),
    verb_first = re("\\A" .. V .. "\\b"),
    verb_after = re("(?:[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]|(?=[^\\x00-\\x7f])\\W)\\K"
      .. V .. "\\b"),
    after_vnp = re("^\\s*[,—–]?\\s*(?<v>" .. V .. ")\\s+(?<np>(?:the\\s+|an?\\s+)?(?:\\p{Lu}[\\p{L}\\-’'.]*)(?:\\s+(?:\\p{Lu}[\\p{L}\\-’'.]*|of|the))*|(?:the|an?)\\s+[\\p{Ll}\\s]{1,40}?(?=[,.;]))"),
    after_npv = re("^\\s*[,—–]?\\s*(?<np>[^,.;:“”\"]{1,80}?)\\s+(?:also\\s+|then\\s+|later\\s+)?(?<v>" .. V .. ")\\b"),
    according = re("\\b[Aa]ccording\\s+to\\s+([^,“”\"]{2,80}?)\\s*,?\\s*$"),
    sent_end = re([[[.!?](?=\s+\p{Lu})]]),
    -- held here: the regex cache lets go of patterns no one holds, and
    -- these two would be compiled again for most documents
    quote = re(QUOTE),
    boundary = re(BOUNDARY),
  }
  return R
end

--- Every sentence boundary of `doc` in one C pass: arrays of match starts,
-- ends and lookahead ends (absolute bytes), in document order.
local function boundaries(doc)
  local A, B, _, E = doc:match_spans(regexes().boundary)   -- E: end of the lookahead group
  return {A = A, B = B, E = E}
end

-- First index n of the ascending array `starts` with starts[n] >= pos
-- (#starts + 1 when none); lower_bound(a, x + 1) - 1 is the last index
-- with a[n] <= x (0 when none).
local function lower_bound(starts, pos)
  local lo, hi = 1, #starts + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if starts[mid] < pos then lo = mid + 1 else hi = mid end
  end
  return lo
end

--- Absolute byte where the sentence containing the end of window [lo, hi]
-- starts, as a scan of the window alone would see it: the end of the last
-- boundary that lies inside the window (its lookahead too), else lo.
-- Binary search: no rescanning of the text for every quote.
local function sentence_start(bd, lo, hi)
  local B = bd.B
  local k = lower_bound(B, hi + 1) - 1
  while k > 0 and bd.E[k] > hi do k = k - 1 end
  if k > 0 and bd.A[k] >= lo then return B[k] + 1 end
  return lo
end

-- Words that open a clause before its subject ("While X has framed ...").
local SUBORD = {["while"] = 1, as = 1, although = 1, though = 1, when = 1, since = 1,
  because = 1, whereas = 1, after = 1, before = 1, ["if"] = 1, ["and"] = 1, but = 1,
  yet = 1, once = 1, ["until"] = 1, now = 1}
-- A lower-case word after the subject that shows it is not a verb group.
local NOT_VERB = {of = 1, ["in"] = 1, on = 1, at = 1, to = 1, ["for"] = 1, with = 1,
  by = 1, from = 1, ["and"] = 1, ["or"] = 1, the = 1, a = 1, an = 1, that = 1,
  which = 1, who = 1, into = 1, under = 1, over = 1, about = 1, as = 1}
-- Auxiliaries skipped when naming the cue verb.
local AUX = {has = 1, have = 1, had = 1, is = 1, are = 1, was = 1, were = 1,
  will = 1, would = 1, can = 1, could = 1, may = 1, might = 1, continues = 1,
  continue = 1, continued = 1, to = 1, also = 1, again = 1, repeatedly = 1,
  even = 1, still = 1, ["not"] = 1, never = 1, often = 1, be = 1, been = 1}

local SUBJ_TRIM = {also = 1, has = 1, had = 1, have = 1, ["then"] = 1, recently = 1,
  later = 1, further = 1, publicly = 1, reportedly = 1, once = 1, again = 1,
  repeatedly = 1, ["is"] = 1, was = 1, being = 1, ["has been"] = 1, proudly = 1,
  officially = 1, even = 1, ["had been"] = 1, just = 1, often = 1, ["and"] = 1}

--- The noun phrase just before a verb (from the last clause boundary),
-- kept as written, or nil when it is not a plausible subject.
-- Lua classes are bytewise: make curly marks and spaced dashes ASCII first.
-- One pass (the four marks share their first two bytes; the replacements
-- are ASCII, so the order of the old four gsubs never mattered).
local SEPS = {["“"] = '"', ["”"] = '"', ["–"] = ",", ["—"] = ","}
-- Start of the last plain occurrence of `needle` ending at or before byte
-- `limit` of s, or nil: a noun phrase found in a prefix is its last one.
local function find_last(s, needle, limit)
  local at, from = nil, 1
  while true do
    local a, b = s:find(needle, from, true)
    if not a or b > limit then return at end
    at, from = a, a + 1
  end
end

-- (A Lua pattern is tried at every byte; a plain find for the marks'
-- shared bytes is a memchr: most strings hold none and stay as they are.)
local function ascii_seps(s)
  if not s:find("\226\128", 1, true) then return s end
  return (s:gsub("\226\128[\147\148\156\157]", SEPS))
end

-- Where the last clause of s[1..e] starts: after its last separator, else 1.
-- (Anchored and greedy: one pass; "([^,;:()\"]*)$" restarted at every byte.)
local function clause_start(s, e)
  if e < #s then s = s:sub(1, e) end
  return s:match('^.*[,;:()"]()') or 1
end

local function is_side_clause(chunk)
  return chunk:match("^%s*$") or chunk:match("^%s*who%s") or chunk:match("^%s*which%s")
    or chunk:match("^%s*%l+ing%s")
end

-- The last word of s (run of non-space at its end), or nil when s ends in
-- space or is empty: "(%S+)$" in one pass instead of one per byte.
local function last_word(s)
  local w = s:sub(s:match("^.*%s()") or 1)
  if w ~= "" then return w end
end

-- Words stripped from the start of a subject ("That", "as", ...).
local OPENERS = {That = 1, that = 1, As = 1, as = 1, While = 1, ["while"] = 1,
  And = 1, ["and"] = 1, But = 1, but = 1}

local function subject_np(before)
  before = ascii_seps(before)
  -- skip back over relative and participle clauses set off by commas, at
  -- most four of them: clause k runs from separator k to separator k + 1
  local seps, k = {}, 0
  for p in before:gmatch('()[,;:()"]') do k = k + 1; seps[k] = p end
  local chunk = before:sub((seps[k] or 0) + 1)
  local back = 0
  while k > 0 and back < 4 and is_side_clause(chunk) do
    k = k - 1
    chunk = before:sub((seps[k] or 0) + 1, seps[k + 1] - 1)
    back = back + 1
  end
  -- anchored: unanchored, ".*" was retried from every byte when nothing matched
  local det = chunk:match("^.*%f[%a]([Aa]n? .*)$") or chunk:match("^.*%f[%a]([Tt]he .*)$")
  if det and det ~= chunk then chunk = det end
  if OPENERS[chunk:match("^%s*(%a+)%s")] then   -- each strip below needs one
    chunk = chunk:gsub("^%s*[Tt]hat%s+", ""):gsub("^%s*[Aa]s%s+", "")
      :gsub("^%s*[Ww]hile%s+", ""):gsub("^%s*[Aa]nd%s+", ""):gsub("^%s*[Bb]ut%s+", "")
  end
  chunk = chunk:gsub("^%s+", ""):gsub("%s+$", "")
  local changed = true
  while changed do
    changed = false
    local last = last_word(chunk)
    if last and SUBJ_TRIM[last:lower()] then
      chunk = chunk:sub(1, #chunk - #last):gsub("%s+$", "")
      changed = true
    end
  end
  if chunk == "" or chunk:sub(-4) == "’s" or chunk:sub(-2) == "'s" then return nil end
  local n = select(2, chunk:gsub("%S+", ""))
  if n > 7 then return nil end
  local first = chunk:match("^(%S+)")
  if not (first:match("^%u") or first:match("^[Aa]n?$") or first:match("^[Tt]he$")
      or first:match("^one$") or first:match("^some$")) then
    return nil
  end
  return chunk
end

-- Whether byte b is white space as Lua's %s sees it (\t \n \v \f \r and space).
local function is_space(b)
  return b == 32 or (b >= 9 and b <= 13)
end

-- The first byte at or after `pos` that starts a character (#s + 1 if none).
local function char_start(s, pos)
  return s:find("[^\128-\191]", pos) or #s + 1
end

-- Whether s has more than three words (runs of non-space).
local function over_three_words(s)
  return s:find("^%s*%S+%s+%S+%s+%S+%s+%S") ~= nil
end

-- The start bytes of an entity array, and its person records and their
-- start bytes (the array is shared and read-only, so they are kept with it).
local ents_cache = setmetatable({}, {__mode = "k"})
local function index_entities(ents)
  local ix = ents_cache[ents]
  if ix then return ix end
  local estarts, persons, pstarts = {}, {}, {}
  for n, e in ipairs(ents) do
    estarts[n] = e.i
    if e.kind == "person" then
      persons[#persons + 1] = e
      pstarts[#pstarts + 1] = e.i
    end
  end
  ix = {estarts = estarts, persons = persons, pstarts = pstarts}
  ents_cache[ents] = ix
  return ix
end

-- "X: “…”": the words after the last separator before a final colon
-- (two linear scans; one unanchored lazy pattern was quadratic)
local function colon_np(sent)
  -- cheap tests first (a plain find is a memchr)
  if not sent:find(":", 1, true) or not sent:find(":%s*$") then return nil end
  local pre = ascii_seps(sent):match("^(.-)%s*:%s*$")
  if pre then
    local cut = pre:match('^.*()[,.;"]')
    return cut and pre:sub(cut + 1) or pre
  end
end

function M.extract(doc, opts)
  opts = opts or {}
  local inscope = extract.scope(doc, opts)
  local text = doc:text()
  local R = regexes()
  local bd = extract.shared(doc, "quotes/boundaries", boundaries)
  local ents = entities.shared(doc, opts)
  local ix = index_entities(ents)
  local estarts, persons, pstarts = ix.estarts, ix.persons, ix.pstarts

  -- raw quote spans
  local raw = {}
  local QI, QJ, CI = doc:match_spans(R.quote)
  for n = 1, #QI do
    local i, j = QI[n], QJ[n]
    local closed, close_len = false, 0
    if CI[n] then closed, close_len, j = true, j - CI[n] + 1, CI[n] - 1 end
    local markstart = i - 1
    while markstart > 1 do            -- back over white space, no-break spaces too
      local b = text:byte(markstart)
      if is_space(b) then markstart = markstart - 1
      elseif b == 160 and text:byte(markstart - 1) == 194 then markstart = markstart - 2
      else break end
    end
    if MARKS[text:sub(markstart - 2, markstart)] or text:sub(markstart - 1, markstart) == "«" then
      markstart = markstart - (text:sub(markstart - 1, markstart) == "«" and 1 or 2)
    end
    -- open_at starts a character: text before it is never cut inside one
    while markstart > 1 and (text:byte(markstart) or 0) // 64 == 2 do markstart = markstart - 1 end
    raw[#raw + 1] = {i = i, j = j, line = doc:line_of(i), closed = closed, close_len = close_len,
      open_at = markstart}
  end

  -- unclosed: interrupted by another opener on the line -> first sentence;
  -- at paragraph end and the next paragraph opens with a mark -> merge.
  local quotes, qstarts = {}, {}   -- qstarts[n] = quotes[n].i
  local k = 1
  while k <= #raw do
    local q = raw[k]
    if not q.closed then
      local nxt = raw[k + 1]
      local ls, le = doc:line_span(q.line)
      -- bounded look-behind: one huge line must not make this quadratic
      if q.open_at - ls > 600 then
        ls = q.open_at - 600
        ls = char_start(text, ls)
      end
      if nxt and nxt.line == q.line then
        local body = text:sub(q.i, q.j)
        local e = R.sent_end:find(body)
        if e then q.j = q.i + e - 1 end
      elseif nxt and nxt.line > q.line and text:sub(le + 1, nxt.open_at - 1):match("^%s*$")
          and not text:sub(q.i, q.j):find("”", 1, true)
          and not text:sub(q.i, q.j):find('"', 1, true) then
        -- continuation: the next paragraph opens with a quote mark
        q.first_j = q.j
        q.j = nxt.j; q.closed = nxt.closed; q.close_len = nxt.close_len; q.merged = true
        k = k + 1
      end
      -- otherwise the quote ends at the paragraph end (the regex stops at \n)
    end
    quotes[#quotes + 1] = q
    qstarts[#quotes] = q.i
    k = k + 1
  end

  -- speech events (subject noun phrases of speech verbs), for "they" and
  -- "the official": computed lazily, only those a quote asks for.
  local first_person_in         -- defined with the other person helpers below
  -- Every verb of the document, from one C pass made when first needed
  -- (documents without a quote to attribute need none).
  local vpos, vend, nv
  local function all_verbs()
    if not vpos then
      vpos, vend = doc:match_spans(R.verb_first:find(text) and R.verb or R.verb_after)
      nv = #vpos
    end
  end
  -- The last verb match [a, b] of the document with lo <= a and b <= hi, or nil.
  local function last_verb_in(lo, hi)
    all_verbs()
    local k = lower_bound(vend, hi + 1) - 1
    if k > 0 and vpos[k] >= lo then return vpos[k], vend[k] end
  end
  -- The subject of verb k when it makes a speech event (not a pronoun),
  -- else false; each verb's subject is searched for once.
  local subjects = {}
  local function event_np(k)
    local np = subjects[k]
    if np == nil then
      local mi = vpos[k]
      local ls = math.max(doc:line_span(doc:line_of(mi)), mi - 300)
      local before = text:sub(ls, mi - 1):gsub("^[\128-\191]+", "")
      np = subject_np(before)
      if not np or np:match("^[Hh]e$") or np:match("^[Ss]he$") or np:match("^[Tt]hey$") then
        np = false
      end
      subjects[k] = np
    end
    return np
  end
  -- "they": the latest of the last 50 events before pos whose subject
  -- names no person, walking back from pos (no event before is needed).
  local function they_before(pos)
    all_verbs()
    local k = lower_bound(vpos, pos) - 1  -- the last verb starting before pos
    local seen = 0
    while k > 0 and seen < 50 do
      local np = event_np(k)
      if np then
        seen = seen + 1
        if not first_person_in(vpos[k] - #np - 4, vpos[k]) then return np end
      end
      k = k - 1
    end
  end
  -- "the official": the first "a(n) ... official" event, events read in
  -- order up to pos only until that head has one (the first never changes).
  local done = 0
  local heads = {}              -- head word -> first "a(n) ... head" event
  local function head_event(head, pos)
    all_verbs()
    while not heads[head] and done < nv and vpos[done + 1] < pos do
      done = done + 1
      local np = event_np(done)
      if np then
        local low = np:lower()
        if low:match("^an?%s") then
          local h = low:match("^.*%f[%a](%a+)$")
          if h and not heads[h] then heads[h] = {pos = vpos[done], np = np} end
        end
      end
    end
    local ev = heads[head]
    if ev and ev.pos < pos then return ev end
  end

  -- persons and quotes are sorted by i: binary search keeps big docs linear-ish
  function first_person_in(i, j, skip)
    for n = lower_bound(pstarts, i), #persons do
      local p = persons[n]
      if p.i > j then break end
      if p.j <= j and not (skip and skip(p)) then return p end
    end
  end
  local function last_person_before(pos, skip)
    local lb = lower_bound(pstarts, pos)
    for n = lb - 1, math.max(1, lb - 200), -1 do
      local p = persons[n]
      if p.j < pos and not (skip and skip(p)) then return p end
    end
  end
  local function in_quote(p)
    local n = lower_bound(qstarts, p.i + 1) - 1
    local q = quotes[n]
    return q ~= nil and p.i >= q.i and p.j <= q.j
  end
  local function first_entity_in(i, j)
    for n = lower_bound(estarts, i), #ents do
      local e = ents[n]
      if e.i > j then break end
      if e.j <= j then return e end
    end
  end
  -- the subject of the clause that runs into a quotation (see its caller)
  local function clause_subject(sent, sent_abs)
    local s = ascii_seps(sent)   -- whole characters, not bytes of “”–—
    local clause = s:sub(clause_start(s, #s))
    local sub_w = clause:match("^%s*(%a+)%s")
    local skip = #(clause:match("^%s*") or "")
    if sub_w and SUBORD[sub_w:lower()] then
      skip = #(clause:match("^%s*%a+%s+"))
    end
    local rest = clause:sub(skip + 1)
    -- capitalised words (UTF-8 letters included) up to the first lower-case word
    local np = rest:match("^([%u\195-\244][%w%-\128-\191]*[%s%w%-\128-\244]-)%s+%l")
    if not np then return nil end
    local verbs_part = rest:sub(#np + 1)
    -- a short verb group ("has framed its actions as"); a long one, or one
    -- naming someone else, reaches past the subject's own words
    -- ("imposed a blockade on Armenians causing “…”" quotes a convention)
    local nw = select(2, verbs_part:gsub("%S+", ""))
    if nw < 1 or nw > 6 or verbs_part:match("^%s*(%a+)") == nil
        or verbs_part:find("%f[%w\128-\244][%u\195-\244]") then
      return nil
    end
    local first = verbs_part:match("^%s*(%a+)"):lower()
    if NOT_VERB[first] then return nil end
    -- positions: `sent` and `s` differ only inside marks and dashes, which
    -- the clause does not contain, so the clause is at the same offset
    -- from the end of `sent`
    local np_abs = sent_abs + (#sent - #clause) + skip
    local e = first_entity_in(np_abs, np_abs + #np - 1)
    if not e then return nil end
    local cue
    for w in verbs_part:gmatch("%a+") do
      if not AUX[w:lower()] then cue = w; break end
    end
    if e.kind == "person" then return e.name, e.role, cue end
    return text:sub(e.i, e.j), nil, cue
  end
  local function resolve_np(np, abs_i, abs_j)
    -- a person inside the phrase gives the canonical full name
    local p = first_person_in(abs_i, abs_j)
    if p then return p.name, p.role end
    local low = np:lower()
    if low == "he" or low == "she" then
      local ss = math.max(doc:line_span(doc:line_of(abs_i)), abs_i - 400)
      ss = char_start(text, ss)
      local st = sentence_start(bd, ss, abs_i - 1)
      local fp = first_person_in(st, abs_i - 1, in_quote)
              or last_person_before(abs_i, in_quote)
      if fp then return fp.name, fp.role end
      return nil
    elseif low == "they" then
      return they_before(abs_i)
    end
    local head = low:match("^the%s+.-(%a+)$") or low:match("^the%s+(%a+)$")
    if head then
      -- the first "a(n) … <head>" speech subject before the mention
      local ev = head_event(head, abs_i)
      if ev then return ev.np end
    end
    return np
  end

  local out = {}
  local prev
  for _, q in ipairs(quotes) do
    -- a quotation continued in the next paragraph is in scope when its first
    -- paragraph is (a short closing paragraph may be labelled otherwise)
    if inscope(q.i, q.first_j or q.j) then
      local body = text:sub(q.i, q.j)
      local ls, le = doc:line_span(q.line)
      -- bounded look-behind: one huge line must not make this quadratic
      if q.open_at - ls > 600 then
        ls = q.open_at - 600
        ls = char_start(text, ls)
      end
      local speaker, cue, role
      -- 1. after the quote
      local after_start = q.j + 1 + (q.close_len or 0)
      local qle = select(2, doc:line_span(doc:line_of(q.j)))
      -- a multi-byte last character is dropped (the cut may split it); the
      -- pattern, tried at every byte, runs only when a non-ASCII last byte
      -- says there is one
      local suffix = text:sub(after_start, math.min(qle, after_start + 120))
      if (suffix:byte(-1) or 0) >= 128 then suffix = suffix:gsub("[\192-\255][\128-\191]*$", "") end
      local last = body:byte(-1)
      local attach = last == 44 or last == 63 or last == 33 or body:sub(-3) == "—"   -- , ? !
        or suffix:find("^%s*,") or suffix:find("^%s*\226\128[\147\148]")    -- – —
      if attach then
        local r1, r2 = R.after_vnp, R.after_npv
        local a, b, v, np = r1:find(suffix)
        if a then
          local off = suffix:find(np, a, true)     -- within this match
          local abs = after_start + off - 1
          speaker, role = resolve_np(np, abs, abs + #np - 1)
          cue = v; q.cue_after = true
        else
          local a2, b2, np2, v2 = r2:find(suffix)
          if a2 and select(2, np2:gsub("%S+", "")) <= 7 then
            local off = suffix:find(np2, a2, true)
            local abs = after_start + off - 1
            speaker, role = resolve_np(np2, abs, abs + #np2 - 1)
            cue = v2; q.cue_after = true
          end
        end
      end
      -- 2. before the quote, same sentence
      if not speaker then
        local sent_abs = sentence_start(bd, ls, q.open_at - 1)
        local st = sent_abs - ls + 1
        local sent = text:sub(sent_abs, q.open_at - 1)
        -- the last speech verb of the sentence, as the document-wide
        -- verb matches have it
        local va, vb, vword
        local vi, vj = last_verb_in(sent_abs, q.open_at - 1)
        if vi then
          va, vb, vword = vi - sent_abs + 1, vj - sent_abs + 1, text:sub(vi, vj)
        end
        -- the regex only where it can match
        local acc_a, acc_b, acc_np
        if sent:find("ccording", 1, true) then
          acc_a, acc_b, acc_np = R.according:find(sent)
        end
        if acc_a then
          local abs = sent_abs + sent:find(acc_np, acc_a, true) - 1
          speaker, role = resolve_np(acc_np, abs, abs + #acc_np - 1)
          cue = "according to"
        elseif va then
          local abs_v = sent_abs + va - 1
          local p = first_person_in(sent_abs, abs_v - 1, in_quote)
          -- the person right before the verb is its subject ("Mr. Blinken
          -- Tweeted"); else the sentence's first person ("X thanked Y and noted")
          for n = lower_bound(pstarts, sent_abs), #persons do
            local pp = persons[n]
            if pp.i >= abs_v then break end
            if pp.j < abs_v and not in_quote(pp) and abs_v - pp.j <= 14 then p = pp end
          end
          local pron = sent:sub(1, va - 1):match("%f[%a]([HhSs]?[Hh]e)%s+[%a]*%s*$")
            or sent:sub(1, va - 1):match("%f[%a]([Tt]hey)%s+[%a]*%s*$")
          if pron then
            speaker, role = resolve_np(pron:lower(), abs_v - #pron - 1, abs_v - 1)
          elseif p then
            speaker, role = p.name, p.role
          elseif vword:match("ing$") and not sent:sub(1, va - 1):match("[%a’']%s*$") then
            -- "…,” stating that “…”: the participle shares the last speaker
            if prev and prev.line == q.line then speaker, role = prev.speaker, prev.role end
          else
            local np = subject_np(sent:sub(1, va - 1))
            if np then
              local npa = sent_abs + find_last(sent, np, va - 1) - 1
              speaker, role = resolve_np(np, npa, npa + #np - 1)
            elseif vword:match("ing$") and prev and prev.line == q.line then
              speaker, role = prev.speaker, prev.role
            end
          end
          cue = speaker and vword or nil
        elseif first_person_in(sent_abs, q.open_at - 1, in_quote) then
          -- "Çavusoglu’s expectation that “…”": a person's words by
          -- possession (’ is three bytes: "’s" is four)
          for n = lower_bound(pstarts, sent_abs), #persons do
            local p = persons[n]
            if p.i >= q.open_at then break end
            if not in_quote(p) and (text:sub(p.j + 1, p.j + 4) == "’s"
                or text:sub(p.j + 1, p.j + 2) == "'s") then
              speaker, role, cue = p.name, p.role, "’s"
            end
          end
        end
        if not speaker and not va then
          -- "While Azerbaijan has framed its actions as “…”", "As Baku
          -- continues to reference “…”": no speech verb, but the clause
          -- that opens the quotation has a named subject (a person, or a
          -- state or body speaking through its government) and a verb.
          speaker, role, cue = clause_subject(sent, sent_abs)
        end
        local cnp = not speaker and colon_np(sent)
        if cnp and cnp:match("%S") then
          local np = cnp:gsub("^%s+", "")
          local npa = sent_abs + find_last(sent, np, #sent) - 1
          local p = first_person_in(npa, npa + #np - 1)
          if p then speaker, role = p.name, p.role; cue = ":" end
        end
        -- 3. the previous quote's speaker, same paragraph, nothing between
        if not speaker and prev and prev.speaker and prev.line == q.line
            and sent:match("^%s*$") == nil and #sent < 3 then
          speaker, role, cue = prev.speaker, prev.role, prev.cue
        end
        if not speaker and prev and prev.speaker and prev.line == q.line
            and st > 1 and not sent:match("%S") then
          speaker, role, cue = prev.speaker, prev.role, prev.cue
        end
        if not speaker and prev and prev.speaker and prev.line == q.line
            and sent:match("^%s*$") then
          speaker, role, cue = prev.speaker, prev.role, prev.cue
        end
      end
      -- a short quotation stays when its cue is right beside it; the word
      -- before the mark is looked for in the last 80 bytes only (an
      -- unanchored "...$" pattern over the whole look-behind was quadratic),
      -- by an anchored pattern: Lua retries an unanchored "(%a+)...$" at
      -- every letter, each try walking its word back (25 us a call here)
      local keep = over_three_words(body) or opts.short
      if not keep and cue and cue ~= "" then
        if q.cue_after then
          keep = true
        else
          local tail = text:sub(math.max(ls, q.open_at - 80), q.open_at - 1)
          keep = tail:match("^.*%f[%a](%a+)%s*[,:]?%s*$") == cue
        end
      end
      if keep then
        local r = {kind = "quote", text = body, i = q.i, j = q.j, line = q.line,
          speaker = speaker, cue = cue, role = role}
        out[#out + 1] = r
        prev = r
      end
    end
  end
  return out
end

return setmetatable(M, {__call = function(_, doc, opts) return M.extract(doc, opts) end})
