--- lode.extract.quotes.attribute: who said a quotation. M.STRATEGIES is
-- the ordered list of attribution strategies; the first that names a
-- speaker wins and the record says which (`strategy`). Each strategy is
-- function(cx, q, prev) -> hit or nil, where a hit is {np = the speaker as
-- written, at = its first byte, cue = the word that attributes} or an
-- already linked {speaker, role, surface}; cx is the document's context
-- (lode.extract.quotes.context), q the quotation with its look-around
-- (`before`: the sentence before the opening mark, from byte `sent_at`;
-- `after`: the rest of its paragraph after the closing mark, from byte
-- `after_at`), prev the previous record.

local lode = require "lode"
local extract = require "lode.extract"
local context = require "lode.extract.quotes.context"
local subject_np, ascii_seps = context.subject_np, context.ascii_seps
local core = require "lode.core"
local last_clause_at, lower_bound = core.last_clause_at, core.lower_bound
local quote_head_in, quote_tail_in = core.quote_head_in, core.quote_tail_in
local word_lists = require "lode.words"
local byte, find, sub, match, lower, reverse = string.byte, string.find, string.sub, string.match, string.lower,
  string.reverse

local M = {}


-- The WordSet of the last words of a list's entries (runs of ASCII letters
-- after a byte that is no letter, or the entry whole), or false when an
-- entry ends otherwise: what core.quote_tail_in needs to tell which texts
-- a regex ending with an entry cannot match.
local function last_words(name)
  local t = {}
  for entry in pairs(word_lists.list(name)) do
    local w = match(entry, "%a+$")
    if not w or (byte(entry, #entry - #w) or 0) >= 128 then return false end
    t[#t + 1] = w
  end
  return core.wordset(t)
end

-- The French auxiliaries before an inverted speech verb ("», a déclaré").
local AUXILIARIES = {"a", "ont", "avait", "avaient"}

-- Rules as patterns over the look-around, built once from the data lists.
local P
local function patterns()
  if P then return P end
  local V = context.alternation("speech_verbs", "quote_verbs")
  -- a verb the speaker may follow: "said X", not "told X"
  local V_BEFORE_SPEAKER = "(?!" .. context.alternation("quote_hearer_verbs") .. [[\b)]] .. V
  local SRC = context.alternation("quote_sources")
  -- a name after a verb: capitalised words (particles allowed), a role
  -- word before them ("vice-rector Georgi Gvalia"), or "the/a …" up to
  -- the next punctuation
  local CAPS = [[\p{Lu}[\p{L}\-’'.]*(?:\s+(?:\p{Lu}[\p{L}\-’'.]*|of|the|de|van|von|al|bin|el|la|le|da|di))*]]
  local NAME = [[(?:(?:the|an?|its|his|her|their)\s+[^,.;:“”"\n]{1,80}?(?=\s*[,.;:!?]|\s*$)|]] .. CAPS
    .. [[|[\p{Ll}\-]+\s+]] .. CAPS .. ")"
  local source_words, source_bytes, source_lead, source_pairs = context.first_words("quote_sources")
  P = {
    source_words = source_words, source_bytes = source_bytes, source_lead = source_lead,
    source_pairs = source_pairs,
    -- “…,” said X / “…,” X said / “…,” he says (markup allowed around; a
    -- dash may follow the comma: "«…», — сказал X")
    verb_np = lode.regex([[^[\s\[*_]*[,—–]?[\s\[*_]*(?:[—–][\s\[*_]*)?(?<v>]] .. V_BEFORE_SPEAKER
      .. [[)\b[\s*_]*(?<np>]] .. NAME .. ")"),
    -- (the speaker may hold an apposition: "the charity's director, Anna
    -- Petrosyan, told")
    np_verb = lode.regex([[^[\s\[*_]*[,—–]?[\s*_]*(?:[—–][\s*_]*)?]]
      .. [[(?<np>(?![\s—–])[^,.;:“”"\n]{1,80}?(?:,\s+\p{Lu}[^,.;:“”"\n]{0,60}?,)?)\s+]]
      .. [[(?:\p{Ll}+ly\s+|also\s+|then\s+|later\s+)?(?<v>]] .. V .. [[)\b]]),
    -- "…” without X, says X." at the end of the quotation's sentence
    tail_verb = lode.regex([=[^[^.!?“”"\n]{0,200}?[,—–]\s*(?<v>]=] .. V_BEFORE_SPEAKER
      .. [[)\s+(?<np>]] .. NAME .. [[)\s*(?:,[^.!?“”"]*)?[.!?]?\s*$]]),
    -- tried only where a first word of the sources starts (re:gfind_words)
    source_before = lode.regex([[\G\b]] .. SRC .. [[\s+(?<np>[^,;:“”"]{2,80}?)\s*(?:[,:]|$)]]),
    source_after = lode.regex([[^[\s*_]*[,—–]?\s*]] .. SRC .. [[\s+(?<np>[^,.;:“”"]{2,80})]]),
    quotes_as = lode.regex([[\b(?:quot|cit)(?:es|ed|ing)\s+(?<np>[^,.;:“”"]{2,80}?)\s*]]
      .. [[(?:(?:as\s+)?(?:saying|writing|stating|telling)\b|:\s*$)]]),
    -- "« … », a déclaré X" / "», a-t-il ajouté" / "», estime X" / "», —
    -- заявила она": the verb, maybe its auxiliary and an inverted pronoun,
    -- right after the mark
    inverted = lode.regex([[^[\s*_]*,?[\s*_]*(?:[—–][\s*_]*)?(?:(?:]] .. table.concat(AUXILIARIES, "|")
      .. [[)(?:-t-(?<p1>il|elle|ils|elles))?\s+)?]]
      .. "(?<v>" .. context.alternation("speech_verbs_inverted") .. ")"
      .. [[(?:-t-(?<p2>il|elle|ils|elles)|-(?<p3>il|elle|ils|elles)|\s+(?<p4>он|она|они)(?![\p{L}]))?(?![\p{L}])]]),
    -- the subject written after the verb: "le ministère …", "la porte-parole"
    det_np = lode.regex([[(?<![\p{L}])(?<np>(?:le|la|les)\s+[^,.;:«»“”"\n]{2,80}?)\s*(?:[,.;:]|$)]]),
    -- the first words the patterns anchored after the closing mark need
    -- (core.quote_head_in tells which texts cannot match them)
    verb_heads = context.head_words(nil, "speech_verbs", "quote_verbs"),
    inverted_heads = context.head_words(AUXILIARIES, "speech_verbs_inverted"),
    source_heads = context.head_words(nil, "quote_sources"),
    title = lode.regex([[\b(?:]] .. context.alternation("quote_title_cues") .. [[)[\s*_]*[,:]?[\s*_]*$]]),
    title_lasts = last_words("quote_title_cues"),
    -- "an NGO called “…”", "a party named “…”": a name, not words said
    naming = lode.regex([[\b(?i:an?|the)\s+(?:[\w’'\-]+\s+){1,3}(?:called|named)[\s*_]*$]]),
  }
  return P
end
M.patterns = patterns

-- The start of `needle` in `s` at or after `from` (plain).
local function at_of(s, needle, from)
  return find(s, needle, from, true)
end

-- Words a subject may start with besides a capital.
local SUBJECT_START = {the = 1, a = 1, an = 1, he = 1, she = 1, they = 1, we = 1, i = 1,
  one = 1, many = 1, some = 1, his = 1, her = 1, their = 1, officials = 1}
local function subject_shaped(np)
  local first = match(np, "^[%s*_]*(%S+)")
  return first ~= nil and (find(first, "^[%u\195-\244]") ~= nil or SUBJECT_START[lower(first)] ~= nil)
end

local TITLE_LINKS = {of = true, ["for"] = true, to = true}

-- Whether only markup, titles and one role word stand in [i, j] ("said
-- vice-rector X", "said the Ambassador to Armenia X"); "reads a banner
-- carried to the Supreme Court" names a banner.
local function title_gap(text, i, j)
  local gap = sub(text, i, j):gsub("%s(%l+)%s", function(w)
    if TITLE_LINKS[w] then return " " end
  end)
  -- (curly marks by plain finds: a class of their bytes holds the ’ of
  -- "Armenia’s" too)
  return not find(gap, "[.,;:!?\"]") and not find(gap, "“", 1, true) and not find(gap, "”", 1, true)
    and not find(gap, "%l+%s+%l")
end

-- A speaker named right after a verb ending at byte v_end: the first person
-- starting within 60 bytes with only a title before it (which may hold
-- an organisation or a place: "said ADB Country Director for Georgia
-- X"), else the first organisation so placed; else the name the pattern
-- read.
local function named_after(cx, v_end, np, np_at)
  local text, org = cx.text, nil
  local e = cx:first_entity_in(v_end + 1, v_end + 60)
  while e and title_gap(text, v_end + 1, e.i - 1) do
    if e.kind == "person" then return {np = sub(text, e.i, e.j), at = e.i} end
    if e.kind == "org" and not org then org = e end
    e = cx:first_entity_in(e.j + 1, v_end + 60)
  end
  if org then return {np = sub(text, org.i, org.j), at = org.i} end
  return {np = np, at = np_at}
end

-- “…,” said X / X said / he said: a verb right after the closing mark
-- (the quotation ends in , ? ! or a dash, or a comma follows it).
function M.verb_after(cx, q)
  local s = q.after
  if s == "" then return nil end
  local last = q.body_last
  if not (last == "," or last == "?" or last == "!" or last == "—" or last == "…"
      or find(s, "^[%s*_]*,") or find(s, "^[%s*_]*\226\128[\147\148]")) then
    return nil
  end
  local p = patterns()
  local a, _, v, np
  if not p.verb_heads or quote_head_in(s, p.verb_heads) then a, _, v, np = p.verb_np:find(s) end
  if a and find(v, "ing$") then return nil end   -- “…,” stating that …: the same speaker
  if a then
    local v_at = at_of(s, v, a)
    local hit = named_after(cx, q.after_at + v_at + #v - 2, np, q.after_at + at_of(s, np, v_at) - 1)
    hit.cue = v
    return hit
  end
  local np2
  a, _, np2, v = p.np_verb:find(s)
  if a and not find(v, "ing$") and select(2, np2:gsub("%S+", "")) <= 7 then
    local np_at = q.after_at + at_of(s, np2, a) - 1
    if subject_shaped(np2) then return {np = np2, at = np_at, cue = v} end
    -- a role in lower case before the name: “…,” spokeswoman Anna X told
    local e = cx:first_entity_in(np_at, np_at + #np2 - 1)
    if e and e.kind == "person" and e.j == np_at + #np2 - 1 then
      return {np = sub(cx.text, e.i, e.j), at = e.i, cue = v}
    end
  end
end

-- "« … », a déclaré le ministre, X" / "», a-t-elle ajouté": an inverted
-- speech verb right after the closing mark; the speaker is its pronoun,
-- else the first person or organisation after it in the sentence, else
-- its noun phrase ("le ministère …").
function M.inverted(cx, q)
  local s = q.after_sentence
  local p = patterns()
  if p.inverted_heads and not quote_head_in(s, p.inverted_heads) then return nil end
  local a, e, p1, v, p2, p3, p4 = p.inverted:find(s)
  if not a then return nil end
  local pro = p1 or p2 or p3 or p4     -- unset groups are false
  if pro then return {np = pro, at = q.after_at + at_of(s, pro, a) - 1, cue = v} end
  local ent = cx:first_entity_in(q.after_at + e, q.after_at + #s - 1)
  if ent and (ent.kind == "person" or ent.kind == "org") then
    return {np = cx.text:sub(ent.i, ent.j), at = ent.i, cue = v}
  end
  local b, _, np = patterns().det_np:find(s, e + 1)
  if b then return {np = np, at = q.after_at + at_of(s, np, b) - 1, cue = v} end
end

-- "…” without a response, says X." at the end of the quotation's sentence.
function M.verb_after_sentence(cx, q)
  local s = q.after_sentence
  -- a comma or a dash (– —) first, by plain searches
  if not (find(s, ",", 1, true) or find(s, "\226\128\147", 1, true) or find(s, "\226\128\148", 1, true)) then
    return nil
  end
  local a, _, v, np = patterns().tail_verb:find(s)
  if a then
    local v_at = at_of(s, v, a)
    local hit = named_after(cx, q.after_at + v_at + #v - 2, np, q.after_at + at_of(s, np, v_at) - 1)
    hit.cue = v
    return hit
  end
end

-- "according to X, “…”", "…”, in the words of X": a source phrase in the
-- sentence before the quotation, or right after it.
function M.according_to(_, q)
  local p = patterns()
  local s = q.before
  local F = p.source_before:gfind_words(s, p.source_words, p.source_bytes, p.source_lead, p.source_pairs)
  local n = #F
  if n > 0 then
    local last_a, last_np = F[n - 2], F[n]   -- the last match: i, j, np
    return {np = last_np, at = q.sent_at + at_of(s, last_np, last_a) - 1, cue = "according to"}
  end
  local after = q.after
  if p.source_heads and not quote_head_in(after, p.source_heads) then return nil end
  local a, _, np = p.source_after:find(after)
  if a then return {np = np, at = q.after_at + at_of(after, np, a) - 1, cue = "according to"} end
end

-- "X quoted Y as saying “…”", "X quotes Y: “…”": the quoted one speaks.
function M.quotes_as(_, q)
  local s = q.before
  if not (find(s, "quot", 1, true) or find(s, "cit", 1, true)) then return nil end
  local a, _, np = patterns().quotes_as:find(s)
  if a then return {np = np, at = q.sent_at + at_of(s, np, a) - 1, cue = "quotes"} end
end

-- "Ararat Mirzoyan, the foreign minister, said": the person right before
-- the comma that opens a noun phrase at byte `at` set off by commas (an
-- age may stand between: "X, 58, a former governor, said").
local function apposed_person(cx, at)
  local lo = math.max(1, at - 3)
  local c = find(cx.text:sub(lo, at - 1), ",%s*$")
  if not c then return nil end
  c = lo + c - 1
  for n = lower_bound(cx.pstarts, c - 120), #cx.persons do
    local p = cx.persons[n]
    if p.i >= c then break end
    if p.j < c and find(cx.text:sub(p.j + 1, c - 1), "^,?%s*%d?%d?%d?$") and not cx:person_quoted(n) then
      return {np = cx.text:sub(p.i, p.j), at = p.i}
    end
  end
end

-- Where the second last run of non-space bytes of s starts (1 when s has
-- fewer): a pattern anchored at the end whose match spans at most two
-- runs matches the text from there as it matches s (the byte before is a
-- space, which %f reads as it reads the start), and is not tried from
-- every byte. The runs are read backwards, on the reversed text.
local function last_two_runs_at(s)
  local _, e = find(reverse(s), "^%s*%S+%s+%S+")
  return e and #s - e + 1 or 1
end

-- The subject of the speech verb ending the text before byte v_at of the
-- sentence: a pronoun, the person right before the verb, the noun phrase
-- before it; a participle ("…, calling it “…”", "…, affirmant que « … »")
-- or a coordinated verb ("X reported … and announced “…”") takes the
-- sentence's first subject.
local function verb_subject(cx, sent, sent_at, va, vword, first_at)
  local head = sub(sent, 1, va - 1)
  -- patterns ending in "$" are tried from every byte: match the last words
  -- only (at most 40 bytes; the tests below span two runs at most)
  local tail = sub(head, -40)
  tail = sub(tail, last_two_runs_at(tail))
  local pron = match(tail, "%f[%a]([HhSs]?[Hh]e)%s+[%a]*%s*$") or match(tail, "%f[%a]([Tt]hey)%s+[%a]*%s*$")
  if pron then return {np = pron, at = sent_at + va - 1 - #pron - 1} end
  local abs_v = sent_at + va - 1
  local near
  for n = lower_bound(cx.pstarts, sent_at), #cx.persons do
    local p = cx.persons[n]
    if p.i >= abs_v then break end
    if p.j < abs_v and abs_v - p.j <= 14 and not cx:person_quoted(n) then near = p end
  end
  if near then return {np = cx.text:sub(near.i, near.j), at = near.i} end
  local participle = (find(vword, "ing$") or find(vword, "ant$")) and (find(ascii_seps(tail), "[,;][\"']?%s*$")
    or find(tail, "%f[%a]by%s+$") or find(tail, "%f[%a]while%s+$"))
  local coordinated = find(tail, "%f[%a]and%s+$") or find(tail, "%f[%a]and%s+%l+ly%s+$")
  if not participle and not coordinated then
    local np, from = subject_np(head)
    if np then
      -- (",%s*$" read backwards)
      return find(reverse(head), "^%s*,") and apposed_person(cx, sent_at + from - 1)
        or {np = np, at = sent_at + from - 1}
    end
  end
  -- the first speech verb of the sentence with a subject, else its first person
  local fa = first_at
  if fa and fa < abs_v then
    local np, from = subject_np(sub(sent, 1, fa - sent_at))
    if np then return {np = np, at = sent_at + from - 1} end
  end
  local p = cx:first_person_in(sent_at, abs_v - 1, true)
  if p then return {np = cx.text:sub(p.i, p.j), at = p.i} end
end

local BE = {is = 1, are = 1, was = 1, were = 1, be = 1, been = 1, being = 1}

-- "X said (that) “…”", "X called it “…”": the last speech verb of the
-- sentence before the quotation and its subject.
function M.verb_before(cx, q)
  if q.before == "" then return nil end      -- a mark opening its sentence: no verb before
  local A, B = cx:verbs_in(q.sent_at, q.open_at - 1)
  local vi, vj = A[#A], B[#B]
  if not vi then return nil end
  -- a passive ("described as", "ordered by the court") names no speaker before it
  -- (the word before the verb: "(%a+)%s+$" read backwards)
  local aux = match(reverse(sub(q.before, math.max(1, vi - q.sent_at - 16), vi - q.sent_at)), "^%s+(%a+)")
  if find(cx.text, "^%s+by%s", vj + 1) or (aux and BE[reverse(lower(aux))]) then return nil end
  local va = vi - q.sent_at + 1
  local vword = cx.text:sub(vi, vj)
  local hit = verb_subject(cx, q.before, q.sent_at, va, vword, A[1])
  if hit then hit.cue = vword; hit.cue_at = vi end
  return hit
end

-- "X: “…”": the name before a colon that ends the text before the mark.
function M.colon(cx, q)
  local s = q.before
  if not (find(s, ":", 1, true) and find(s, ":%s*[*_]*$")) then return nil end
  local pre = match(ascii_seps(s), "^(.-)%s*:%s*[*_]*$")
  local cut = match(pre, '^.*()[,.;"]')
  local from = cut and cut + 1 or 1
  local e = cx:first_entity_in(q.sent_at + from - 1, q.sent_at + #pre - 1)
  if e and (e.kind == "person" or e.kind == "org") then
    return {np = cx.text:sub(e.i, e.j), at = e.i, cue = ":"}
  end
end

-- "Jeyhun Bayramov’s expectation that “…”": a person's words by possession.
function M.possessive(cx, q)
  local found
  for n = lower_bound(cx.pstarts, q.sent_at), #cx.persons do
    local p = cx.persons[n]
    if p.i >= q.open_at then break end
    local b = byte(cx.text, p.j + 1)
    if (b == 39 or b == 0xE2) and not cx:person_quoted(n) and (sub(cx.text, p.j + 1, p.j + 4) == "’s"
        or sub(cx.text, p.j + 1, p.j + 2) == "'s") then
      found = p
    end
  end
  if found then return {np = cx.text:sub(found.i, found.j), at = found.i, cue = "’s"} end
end

-- Seven words or more, read from the first seven only.
local SEVEN_WORDS = "^%s*" .. ("%S+%s+"):rep(6) .. "%S"

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

-- "While Azerbaijan has framed its actions as “…”": no speech verb, but the
-- clause running into the quotation has a named subject and a short verb
-- group (a long one, or one naming someone else, reaches past the subject).
function M.subject(cx, q)
  local clause = sub(q.before, last_clause_at(q.before))
  local skip = #match(clause, "^%s*")
  local w = match(clause, "^%s*(%a+)%s")
  if w and SUBORD[lower(w)] then skip = #match(clause, "^%s*%a+%s+") end
  local rest = sub(clause, skip + 1)
  local np = match(rest, "^([%u\195-\244][%w%-\128-\191]*[%s%w%-\128-\244]-)%s+%l")
  if not np then return nil end
  local verbs = sub(rest, #np + 1)
  local first = match(verbs, "^%s*(%a+)")
  -- one to six words (a first word makes one)
  if not first or find(verbs, SEVEN_WORDS) or find(verbs, "%f[%w\128-\244][%u\195-\244]")
      or NOT_VERB[lower(first)] then
    return nil
  end
  -- the clause holds no mark nor dash that ascii_seps converts: it reads
  -- the same converted or not
  local np_at = q.sent_at + (#q.before - #clause) + skip
  local e = cx:first_entity_in(np_at, np_at + #np - 1)
  if not e then return nil end
  local cue
  for word in verbs:gmatch("%a+") do
    if not AUX[lower(word)] then cue = word; break end
  end
  return {np = cx.text:sub(e.i, e.j), at = e.i, cue = cue}
end

-- "By threatening to “…” again, Azerbaijan has …": a quotation inside an
-- opening participle clause belongs to the subject of the main clause,
-- named after the clause's comma.
function M.main_subject(cx, q)
  if not find(q.before, "^[%s*_]*%u%l*%s+%l+ing%s") and not find(q.before, "^[%s*_]*%u%l+ing%s")
      and not find(q.before, "^%u%l+,%s+%l+%s+%l+ing%s") then
    return nil
  end
  local c = find(q.after_sentence, ",%s+[%u\195-\244]")
  if not c then return nil end
  local at = q.after_at + c
  local e = cx:first_entity_in(at, at + 40)
  if e and (e.kind ~= "place" or e.i <= at + 2) then
    return {np = cx.text:sub(e.i, e.j), at = e.i}
  end
end

-- A quotation opening its line (after bullets, ">" or markup) under a line
-- that ends with a colon: "X said:\n- “…”". The intro is the nearest line
-- above that is not itself a bullet, at most 12 lines up.
function M.list_intro(cx, q)
  if not q.starts_line then return nil end
  local doc = cx.doc
  for n = q.line - 1, math.max(1, q.line - 12), -1 do
    local ls, le = doc:line_span(n)
    local s = extract.window(cx.text, math.max(ls, le - 400), le)
    if find(s, "%S") and not (le - ls < 400 and find(s, "^[%s>]*[%-*•%d]")) then
      if not find(s, ":[%s*_]*$") then return nil end
      local from = le - #s + 1
      local intro = {open_at = le + 1, after = "", after_at = le + 1}
      intro.sent_at = cx:sentence_start(from, le)
      intro.before = cx.text:sub(intro.sent_at, le)
      local hit = M.verb_before(cx, intro) or M.colon(cx, intro)
      return hit
    end
  end
end

-- The previous quotation's speaker when this one continues its paragraph:
-- nothing but spaces, or the previous one's attribution, between them, and
-- no other person named there.
function M.continuation(cx, q, prev)
  if not (prev and prev.speaker and q.para == prev.para) then return nil end
  if find(q.before, "%S") and prev.j < q.sent_at then return nil end
  local p = cx:first_person_in(prev.j + 1, q.open_at - 1)
  if p and p.name ~= prev.speaker then return nil end
  return {speaker = prev.speaker, role = prev.role, surface = prev.speaker_surface, cue = prev.cue}
end

-- A quotation opening a paragraph of its own, under a paragraph whose last
-- words attribute to someone: the last quotation's speaker there, else the
-- person subject of its last speech verb ("X, who …, says Georgia's fate
-- …\n\n“If Ukraine …”").
function M.previous_paragraph(cx, q, prev)
  if not q.starts_line or find(q.before, "%S") then return nil end
  local doc = cx.doc
  local n = q.line - 1
  while n >= 1 do
    local ls, le = doc:line_span(n)
    local nb = find(cx.text, "%S", ls)
    if nb and nb <= le then break end
    n = n - 1
  end
  if n < 1 or n == q.line - 1 then return nil end     -- no blank line: not a paragraph break
  local ls, le = doc:line_span(n)
  ls = math.max(ls, le - 600)
  if prev and prev.speaker and prev.j >= ls and prev.j <= le then
    return {speaker = prev.speaker, role = prev.role, surface = prev.speaker_surface, cue = prev.cue}
  end
  local vi, vj = cx:last_verb_in(ls, le)
  if not vi then return nil end
  local st = cx:sentence_start(ls, vi)
  local hit = verb_subject(cx, cx.text:sub(st, vi - 1), st, vi - st + 1, cx.text:sub(vi, vj),
    cx:first_verb_in(st, vi - 1))
  if hit and cx:first_person_in(hit.at, hit.at + #hit.np - 1) then
    hit.cue = cx.text:sub(vi, vj)
    return hit
  end
end

-- A transcript turn: the label names the speaker ("MR. KIRBY" -> the
-- person of the page with that surname).
function M.turn(cx, q)
  if not q.label then return nil end
  local label = q.label
  if label == "Q" or label == "A" then return {speaker = false, surface = label} end
  local surname = lower(match(label, "(%S+)$"))
  for _, p in ipairs(cx.persons) do
    if lower(match(p.name, "(%S+)$") or "") == surname then
      return {speaker = p.name, role = p.role, surface = label}
    end
  end
  local words = label:gsub("^%u+%.%s+", ""):gsub("(%a)(%a*)", function(a, b) return a .. lower(b) end)
  return {speaker = words, surface = label}
end

--- The strategies, tried in this order.
M.STRATEGIES = {
  {name = "turn", fn = M.turn},
  {name = "verb_after", fn = M.verb_after},
  {name = "inverted", fn = M.inverted},
  {name = "according_to", fn = M.according_to},
  {name = "quotes_as", fn = M.quotes_as},
  {name = "verb_before", fn = M.verb_before},
  {name = "colon", fn = M.colon},
  {name = "verb_after_sentence", fn = M.verb_after_sentence},
  {name = "possessive", fn = M.possessive},
  {name = "subject", fn = M.subject},
  {name = "main_subject", fn = M.main_subject},
  {name = "list_intro", fn = M.list_intro},
  {name = "continuation", fn = M.continuation},
  {name = "previous_paragraph", fn = M.previous_paragraph},
}

--- The speaker of quotation q: speaker (canonical), role, surface (as
-- written), cue and the name of the strategy that fired; all nil when none.
function M.attribute(cx, q, prev)
  local strategies = M.STRATEGIES
  for k = 1, #strategies do        -- counted: ipairs is a C call a step
    local st = strategies[k]
    local hit = st.fn(cx, q, prev)
    if hit then
      -- "I think", "we said": the writer's own words, or a speaker the
      -- page leaves unnamed; a short one is the writer's term
      if hit.np and context.first_person(hit.np) then return nil, nil, hit.np, hit.cue, "first_person" end
      if hit.np then
        local speaker, role = cx:link(hit.np, hit.at, hit.at + #hit.np - 1)
        if speaker then return speaker, role, hit.np, hit.cue, st.name, hit.cue_at end
      elseif hit.speaker ~= nil then
        return hit.speaker or nil, hit.role, hit.surface, hit.cue, st.name
      end
    end
  end
end

--- Whether a short quotation (three words or fewer) is a title or
-- nickname by the words right before it, q.tail ("the film “…”", "dubbed
-- “…”").
function M.is_title(q)
  local p = patterns()
  local tail = q.tail
  -- (tried from every byte: first a C test of the tail's last word)
  if (not p.title_lasts or quote_tail_in(tail, p.title_lasts)) and p.title:find(tail) then return true end
  -- "called" and "named" are the naming pattern's own words: a plain test first
  return (find(tail, "called", 1, true) or find(tail, "named", 1, true)) ~= nil
    and p.naming:find(tail) ~= nil
end

return M
