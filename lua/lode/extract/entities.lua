--- lode.extract.entities: persons, organizations and places, with provenance.
-- entities(doc [, opts]) -> array of records in document order:
--   {kind = "person", name = canonical full name, text = mention, role = ...}
--   {kind = "org", name = full name, acronym = "CSTO" | nil}
--   {kind = "place", name = canonical}
-- each with i, j (1-based inclusive bytes, doc:sub(i, j) == text) and line.
--
-- Order of evidence: the shipped gazetteer (lode/data/caucasus.tsv, when
-- present) first, then rules over capitalised sequences found with one regex
-- pass in C: titles ("President", "Mr."), person-name shapes (known given
-- name, surname ending, speech verb after), organization cue words, place
-- cues ("the X district", "the city of X"), acronyms defined in parentheses.
--
-- Short mentions: a single capitalised word (or "Mr. X") equal to the last
-- word of a full name seen EARLIER in the document links to that full name.
-- When several earlier full names share the surname (Armen and Tigran
-- Grigoryan), the one mentioned most recently before the short mention wins
-- (newspaper convention: a bare surname refers to the person just discussed).
-- opts.gazetteer = a lode gazetteer to use instead of the shipped one;
-- opts.body = false scans the whole page (see lode.extract.scope).

local lode = require "lode"
local words = require "lode.words"
local extract = require "lode.extract"
local ipairs, pairs, table, string, pcall, select, setmetatable, math =
      ipairs, pairs, table, string, pcall, select, setmetatable, math
local byte, find, lower, match, reverse, sub =
      string.byte, string.find, string.lower, string.match, string.reverse, string.sub

local M = {}

-- ---------------------------------------------------------------- data ---

--- The entries of lode/data/NAME (a .txt list) as a set: lode.words.list,
-- under the name quotes.lua asks for.
function M.load_list(name)
  return words.list((name:gsub("%.txt$", "")))
end

local demonyms
--- demonym -> country from lode/data/demonyms.txt ("Armenian" ->
-- "Armenia"); true for a demonym of no country ("Western").
local function demonym_map()
  if demonyms then return demonyms end
  demonyms = {}
  for _, f in ipairs(words.rows("demonyms")) do
    demonyms[f[1]] = (f[2] and f[2] ~= "-" and f[2] ~= "") and f[2] or true
  end
  return demonyms
end

-- The shipped gazetteers, loaded in this order (the first alias loaded
-- wins): the region's hand-kept one, the world's hand-kept names, and the
-- world's countries and subdivisions generated from iso-codes
-- (scripts/gen_places.lua).
local GAZETTEERS = {"caucasus.tsv", "places.tsv", "world.tsv"}

-- Entry ids of the shipped gazetteer above this one come from the world
-- files: their places may be surnames too (see after_name), the region's
-- hand-checked ones are taken as they are. Other gazetteers: all taken.
local world_from = setmetatable({}, {__mode = "k"})

local gaz_cache
--- The shipped gazetteer, or false when none of its files is there.
function M.gazetteer()
  if gaz_cache ~= nil then return gaz_cache end
  gaz_cache = false
  local g = lode.gazetteer({})
  for n, file in ipairs(GAZETTEERS) do
    local path = words.data_path(file)
    if path and pcall(g.load, g, path) then gaz_cache = g end
    if n == 1 then world_from[g] = select(2, g:size()) end
  end
  return gaz_cache
end

local function regex_escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\]", "\\%0"))
end

local title_re_src
--- The titles as one alternation for a caseless regex: a trie
-- (lode.words.trie), which reads each letter once instead of trying the
-- titles one by one at every start.
local function titles_alt()
  if title_re_src then return title_re_src end
  local t = {}
  for k in pairs(words.list("titles")) do t[#t + 1] = lower(k) end
  title_re_src = words.trie(t)
  return title_re_src
end

-- ------------------------------------------------------------- regexes ---

-- A capitalised word: letters with inner hyphen/apostrophe parts, an
-- abbreviated title with its period, or a middle initial ("Donald J.
-- Trump"). A possessive ’s ends a sequence.
local CAPW = [[(?:(?:Mr|Mrs|Ms|Dr|Gen|Col|Prof|Sen|Gov|Amb|St)\.|\p{Lu}\.(?= \p{Lu})]] ..
  [[|\p{Lu}[\p{L}\p{M}]*(?:-\p{Lu}[\p{L}\p{M}]*)*)]]
-- Connectors (never in a person's name) and particles (in some), both
-- lower case inside a run ("Bank of England", "Thomas de Waal").
local NOT_IN_NAME = words.list("name_connectors")
local NAME_PARTICLE = words.list("name_particles")
local function sorted_keys(...)
  local t = {}
  for _, set in ipairs{...} do for k in pairs(set) do t[#t + 1] = k end end
  table.sort(t)
  return t
end
local CONN = "(?:" .. words.trie(sorted_keys(NOT_IN_NAME, NAME_PARTICLE)) .. ")"
-- The leading lookahead only restates what CAPW's first character is (A-Z
-- or a non-ASCII letter); PCRE2 uses it to skip other bytes quickly. The
-- repeats are bounded: a sequence holds at most 12 words and 3 connectors
-- between two of them, so a line of 100,000 capitalised words is matched
-- in pieces, in linear time, instead of exhausting PCRE2's stack.
local CAPSEQ = "(?=[A-Z]|[^\\x00-\\x7F])(?<![\\p{L}\\p{N}\\-.])" .. CAPW ..
  "(?:[ \\t](?:" .. CONN .. "[ \\t]){0,3}" .. CAPW .. "){0,11}(?![\\p{L}\\p{N}])"

local function re(p, f) return lode.regex(p, f) end

local function split_words(s)
  local t = {}
  for w in s:gmatch("%S+") do t[#t + 1] = w end
  return t
end

local SURNAME_END = sorted_keys(words.list("surname_endings"))
local function surname_shape(w)
  if #w < 4 then return false end
  for _, e in ipairs(SURNAME_END) do
    if w:sub(-#e) == e then return true end
  end
  return false
end

-- Direction words start place names ("East Caspian", "South Caucasus").
local COMPASS = words.list("compass_words")
-- Sentence adverbs that are capitalised only because a sentence starts.
local SENT_ADV = words.list("sentence_adverbs")

-- --------------------------------------------------------------- roles ---

--- Role stated before a mention on its line: "Azerbaijan’s President",
-- "Azerbaijani President", "Secretary of the Security Council of Armenia",
-- "European Council President". Returns the role string or nil.
local ROLE_BEFORE, ROLE_AFTER, TITLE_LAST
-- Honorifics, with or without the period (British style: "Mr de Waal").
local HONORIFIC = words.list("honorifics")
-- The last words a role before a name can end with: a title's last word,
-- or a word of the "of the Security Council of Armenia" tail.
local function title_last()
  if TITLE_LAST then return TITLE_LAST end
  TITLE_LAST = {of = true, the = true, ["for"] = true}
  for k in pairs(words.list("titles")) do
    TITLE_LAST[(k:match("(%S+)%s*$") or k):lower()] = true
  end
  return TITLE_LAST
end

local ROLE_STOP
--- A Lua pattern class of the printable ASCII bytes no role before a name
-- can hold: not letters, hyphen or apostrophe, nor in any title. Written as
-- the complement of what a role holds: a short class is faster to test.
local function role_stop()
  if ROLE_STOP then return ROLE_STOP end
  local holds = {["-"] = true, ["'"] = true}
  for k in pairs(words.list("titles")) do
    for c in k:gmatch("[\33-\126]") do holds[c] = true end
  end
  local t = {}
  for c in pairs(holds) do
    if not c:match("%a") then t[#t + 1] = c:match("%d") or "%" .. c end
  end
  table.sort(t)
  ROLE_STOP = "[^%a\0-\32\127-\255" .. table.concat(t) .. "]"
  return ROLE_STOP
end

local function role_before(prefix)
  if #prefix > 160 then prefix = prefix:sub(-160):gsub("^[\128-\191]+", "") end
  -- the role ends right before the name: unless the last word can end one,
  -- skip the regex (an alternation of every title tried at each position)
  -- the last word and the spaces after it, read from the reversed prefix
  -- with an anchored pattern ("(%S+)(%s*)$" is tried at every byte)
  local rev = reverse(prefix)
  local rsp, rlast = match(rev, "^(%s*)(%S+)")
  if not rlast then return nil end
  local last, sp = reverse(rlast), rsp
  -- a Unicode space or letter: let the regex decide; else the last word
  -- must be able to end a role, and an honorific ("Mr.") is none
  if not last:find("[\128-\255]") and (sp == "" or HONORIFIC[last:lower()]
      or not (title_last()[last:lower()] or last:match("^%u"))) then
    return nil
  end
  local ta = titles_alt()
  ROLE_BEFORE = ROLE_BEFORE or re(
    "(?:(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+|(?<pre>(?:\\p{Lu}[\\p{L}\\-]+\\s+){1,3}))?" ..
    "(?<title>(?i:(?:" .. ta .. ")(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:\\p{Lu}[\\p{L}\\-]*|of|the|for)" ..
    "(?:\\s+(?:\\p{Lu}[\\p{L}\\-]*|of|the|for))*)?))\\s+$")
  -- a role holds letters, white space, hyphens, apostrophes and the
  -- titles' own characters only, and runs up to the name: the regex can
  -- start after the last other byte (a comma, a quote, a digit) and finds
  -- the same leftmost match, on fewer start positions
  local stop = find(rev, role_stop())
  if stop then prefix = sub(prefix, #prefix - stop + 2) end
  -- find returns the span, then the captures in order: poss, pre, title
  local s, _, poss, pre, title = ROLE_BEFORE:find(prefix)
  if not s then return nil end
  if not title or title == false then return nil end
  title = title:gsub("%s+", " ")
  local low = title:lower()
  if HONORIFIC[low] or low == "sir" then
    return nil
  end
  local dem = demonym_map()
  if poss and poss ~= false then
    return title .. " of " .. poss
  end
  if pre and pre ~= false then
    pre = pre:gsub("%s+$", "")
    local c = dem[pre]
    if c and c ~= true then return title .. " of " .. c end
    if c == true then return title end
    -- "European Council President": the organization words are part of it
    local first = pre:match("^(%S+)")
    if words.list("stopwords_en")[first:lower()] then pre = pre:gsub("^%S+%s*", "") end
    if pre ~= "" then return pre .. " " .. title end
  end
  return title
end

--- Role stated in an apposition after the mention: ", the secretary of the
-- National Security Council," / ", Azerbaijan’s minister of defense,".
local function role_after(suffix)
  -- the caller cut a fixed number of bytes: drop a split character at the end
  if suffix:byte(1) ~= 44 then return nil end     -- the regex needs ", " first
  if byte(suffix, -1) >= 128 then suffix = suffix:gsub("[\192-\255][\128-\191]*$", "") end
  local ta = titles_alt()
  -- ", a prominent opposition politician,": up to three words before it
  ROLE_AFTER = ROLE_AFTER or re("^,\\s+(?:(?:the|an?)\\s+(?:\\p{Ll}[\\p{L}\\-]*\\s+){0,3}?|" ..
    "(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+)?" ..
    "(?<role>(?:(?:former|deputy|acting|current|then|senior|chief|first)\\s+)?(?i:" .. ta .. ")" ..
    "(?:\\s+[^,.;:()“”\"]{1,80}?)?)\\s*(?:,|\\.|;|\\)|$)")
  local r = ROLE_AFTER
  local poss, role = r:match(suffix)
  if poss == nil then return nil end          -- no match (an unset group is false)
  if role == false or not role then return nil end
  role = role:gsub("%s+", " ")
  if role:match("^%u%l*%.$") then return nil end   -- "Mr." is no role
  if poss ~= false then return role .. " of " .. poss end
  return role
end

-- ---------------------------------------------------------- extraction ---

-- Weekday and month names: capitalised, never person names.
local MONTHS = {January=1, February=1, March=1, April=1, May=1, June=1, July=1,
  August=1, September=1, October=1, November=1, December=1, Monday=1, Tuesday=1,
  Wednesday=1, Thursday=1, Friday=1, Saturday=1, Sunday=1}

-- Words that continue a title towards its subject ("Secretary of State").
local TITLE_TAIL = {of = true, ["for"] = true}

--- word -> {canonical, kind} from lode/data/cased.tsv: aliases that
-- match only as written ("US"; the gazetteers ignore case).
local function cased_map()
  local t = {}
  for _, f in ipairs(words.rows("cased.tsv")) do
    t[f[1]] = {f[2] ~= nil and f[2] ~= "" and f[2] or f[1], f[3] or "term"}
  end
  return t
end

local lists_cache
--- The word lists compute() consults, loaded once (lode.words caches too).
local function word_lists()
  if lists_cache then return lists_cache end
  local titles = words.list("titles")
  local titles_low = {}
  for k in pairs(titles) do titles_low[k:lower()] = true end
  lists_cache = {
    stop = words.list("stopwords_en"), titles = titles, titles_low = titles_low,
    orgcue = words.list("org_cues"), placecue = words.list("place_cues"),
    dem = demonym_map(), given = words.list("given_names"), cased = cased_map(),
    placehead = words.list("place_heads"), styles = words.list("styles"),
    verbs = words.list("speech_verbs"),
  }
  return lists_cache
end

--- fn memoised on its first argument across documents: what it computes
-- depends on the shipped lists only. Capped: a huge corpus must not grow
-- the memo forever. fn never returns nil.
-- A memo of MEMO_MAX entries is a megabyte or two per Lua state: a batch
-- job's memory must not grow with its corpus.
local MEMO_MAX = 8192
local function memo_across_docs(fn)
  local memo, n = {}, 0
  return function(w, ...)
    local v = memo[w]
    if v == nil then
      v = fn(w, ...)
      if n >= MEMO_MAX then memo, n = {}, 0 end
      memo[w] = v
      n = n + 1
    end
    return v
  end
end

-- Is a capitalised word a function word or sentence adverb that a sequence
-- sheds at its start?
local sheds = memo_across_docs(function(w, stop, titles)
  return ((stop[lower(w)] or SENT_ADV[w]) and not titles[w]) and true or false
end)

-- How a person name links: {surname = its last word (the name itself when
-- it has no white space), multi = two words or more, one_word = it can be
-- a bare surname}.
local name_shape = memo_across_docs(function(name)
  if not find(name, "%s") then
    return {surname = name, first = name, multi = false, one_word = true}
  end
  -- particles do not count: "de Waal" is a surname alone
  local n, last = 0, nil
  for w in name:gmatch("%S+") do
    if not NAME_PARTICLE[w] then n = n + 1 end
    last = w
  end
  return {surname = last or name, first = match(name, "^%S+"), multi = n >= 2, one_word = n == 1}
end)

--- Claimed byte ranges (gazetteer hits) with an overlap test. Hits come
-- sorted and disjoint, so queries in increasing order walk a cursor; a
-- query behind the cursor, or ranges out of order, fall back to a binary
-- search (the same answer for disjoint ranges, the old one otherwise).
local function claims()
  return {ci = {}, cj = {}, n = 0, cur = 1, last_i = 0, inorder = true, disjoint = true}
end

-- the scan reports in order; sort (as pairs, by start) only otherwise
local function sort_claims(c)
  if c.inorder then return end
  local pairs_ = {}
  for k = 1, c.n do pairs_[k] = {c.ci[k], c.cj[k]} end
  table.sort(pairs_, function(a, b) return a[1] < b[1] end)
  for k = 1, c.n do c.ci[k], c.cj[k] = pairs_[k][1], pairs_[k][2] end
end

-- start a new series of increasing queries
local function rewind(c) c.cur, c.last_i = 1, 0 end

local function is_claimed(c, i, j)
  local ci, cj, n = c.ci, c.cj, c.n
  if c.disjoint and i >= c.last_i then
    local k = c.cur
    while k <= n and cj[k] < i do k = k + 1 end
    c.cur, c.last_i = k, i
    return k <= n and ci[k] <= j
  end
  local lo, hi = 1, n
  while lo <= hi do
    local mid = (lo + hi) // 2
    if j < ci[mid] then hi = mid - 1
    elseif i > cj[mid] then lo = mid + 1
    else return true end
  end
  return false
end

-- Canonical names and kinds of a gazetteer's entries, by entry id.
local entries_of = setmetatable({}, {__mode = "k"})
local function entry_strings(g)
  local e = entries_of[g]
  if not e then e = {canonical = {}, kind = {}}; entries_of[g] = e end
  return e
end

--- in_scope[k] for the ranges [I[k], J[k]], k = 1..n, in increasing order:
-- whether one of `spans` (see extract.scope_spans; nil: all text) holds it.
-- One walk for all (extract.in_spans answers one range at a time).
local function mark_in_scope(spans, I, J, n, in_scope_)
  if not spans then
    for k = 1, n do in_scope_[k] = true end
    return
  end
  local m, q, k = #spans, 1, 1
  while k <= n do
    local i = I[k]
    while q <= m and spans[q].j < i do q = q + 1 end
    local s = spans[q]
    if not s then
      for r = k, n do in_scope_[r] = false end
      return
    end
    -- the ranges starting up to the end of this span test against it alone
    local si, sj = s.i, s.j
    repeat
      in_scope_[k] = si <= i and J[k] <= sj
      k = k + 1
      i = I[k]
    until k > n or i > sj
  end
end

-- Hit surfaces lowercased, across documents (few distinct surfaces recur);
-- emptied when full, like memo_across_docs, but looked up inline.
local lowered, n_lowered = {}, 0

--- Does a mention hold a capital (an ASCII one or any non-ASCII letter)?
-- Read from its first byte nearly always.
local function capitalised(s)
  local b = byte(s)
  return b >= 65 and b <= 90 or b >= 128 or find(s, "[%u\128-\255]") ~= nil
end

--- Does a person's given name or title end right before byte i ("John
-- Kerry", "Senator Bolton", "Salvador Cienfuegos")? A place alias there
-- is a surname.
local function after_name(text, i, L)
  if byte(text, i - 1) ~= 32 then return false end
  -- walk back over the previous word's ASCII letters (and a title's
  -- period): most hits follow "in ", "of ", "the ", told apart in a few bytes
  local a, b = i - 2, byte(text, i - 2)
  while b and (b >= 97 and b <= 122 or b == 46) and a > i - 26 do
    a = a - 1; b = byte(text, a)
  end
  if not (b and b >= 65 and b <= 90) then return false end
  local w = sub(text, a, i - 2)
  return (L.given[w] or L.titles[w]) and true or false
end

--- 1. Gazetteer matches: taken as they are, they claim their bytes.
-- Returns the in-scope person/org/place hits as columns (no table per hit:
-- most become records as they are), the claims, and the lowercased
-- surface -> kind of every hit.
local function gazetteer_candidates(doc, g, spans, inscope, L)
  local gz = {i = {}, j = {}, line = {}, kind = {}, name = {}, text = {}, n = 0}
  local claimed, known_kind = claims(), {}
  if not g then return gz, claimed, known_kind end
  local ids, starts, ends, lines, texts = g:hits(doc, true)
  local text, world = doc:text(), world_from[g] or math.huge
  local e = entry_strings(g)
  local canonical, kinds = e.canonical, e.kind
  -- the person/org/place hits claim their bytes (ci, cj), and the columns
  -- are filled as the claims are made: with disjoint claims (nearly
  -- always) the columns share ci, cj
  local ci, cj, nc, inorder, disjoint = claimed.ci, claimed.cj, 0, true, true
  local gline, gkind, gname, gtext = {}, {}, {}, {}
  local last_i, last_j = 0, 0    -- the previous claim (positions start at 1)
  for k = 1, #ids do
    local id = ids[k]
    local kind = kinds[id]
    if not kind then canonical[id], kind = g:entry(id); kinds[id] = kind end
    local s = texts[k]
    if (kind == "place" or kind == "org" or kind == "person")
        and (not capitalised(s) or kind == "place" and id > world and after_name(text, starts[k], L)) then
      -- a name is capitalised ("turkey", "chad" are words), and a place
      -- alias after a given name is a surname: neither a claim nor a
      -- blocked word
      kind = nil
    elseif kind == "place" or kind == "org" or kind == "person" then
      local mi, mj = starts[k], ends[k]
      if mi <= last_i then inorder = false end
      if mi <= last_j then disjoint = false end
      last_i, last_j = mi, mj
      nc = nc + 1
      ci[nc], cj[nc], gline[nc], gkind[nc], gname[nc], gtext[nc] =
        mi, mj, lines[k], kind, canonical[id], s
    end
    if kind then
      local low = lowered[s]
      if not low then
        if n_lowered >= MEMO_MAX then lowered, n_lowered = {}, 0 end
        low = lower(s); lowered[s] = low; n_lowered = n_lowered + 1
      end
      known_kind[low] = kind
    end
  end
  claimed.n, claimed.inorder, claimed.disjoint = nc, inorder, disjoint
  local ok, all_ok = {}, true
  if inorder then
    mark_in_scope(spans, ci, cj, nc, ok)
  else
    for c = 1, nc do ok[c] = inscope(ci[c], cj[c]) end
  end
  for c = 1, nc do
    if not ok[c] then all_ok = false; break end
  end
  if (inorder and all_ok) or disjoint then
    -- sort_claims leaves claims in order alone: sharing the arrays is safe;
    -- records() skips the hits out of scope (gz.ok) instead of a copy (with
    -- disjoint claims only: compute() then reads the columns nowhere else)
    gz.i, gz.j, gz.line, gz.kind, gz.name, gz.text, gz.n = ci, cj, gline, gkind, gname, gtext, nc
    if not all_ok then gz.ok = ok end
  else
    local gi, gj, n = gz.i, gz.j, 0
    for c = 1, nc do
      if ok[c] then
        n = n + 1
        gi[n], gj[n], gz.line[n], gz.kind[n], gz.name[n], gz.text[n] =
          ci[c], cj[c], gline[c], gkind[c], gname[c], gtext[c]
      end
    end
    gz.n = n
  end
  sort_claims(claimed)
  return gz, claimed, known_kind
end

-- The document-independent part of `blocked`: true when the lists block
-- the word, else the lowercased word without a possessive, to look up in
-- the document's gazetteer hits.
local static_block = memo_across_docs(function(w, L)
  local bare = w:gsub("’s$", ""):gsub("'s$", "")
  local low = lower(bare)
  if find(bare, "%-") then               -- "Armenian-Azerbaijani": demonyms only
    local all_dem = true
    for part in bare:gmatch("[^%-]+") do all_dem = all_dem and L.dem[part] ~= nil end
    if all_dem then return true end
  end
  return (L.stop[low] or MONTHS[bare] or COMPASS[bare] or L.dem[bare] or L.titles[bare]
    or L.titles_low[low] or L.orgcue[bare] or L.placecue[low]) and true or low
end)

--- blocked(w): is a capitalised word no part of a person name (a function
-- word, month, compass word, demonym, title, cue word, or a place, org or
-- term the gazetteer found in this document)?
local function blocker(L, known_kind)
  return function(w)
    local v = static_block(w, L)
    if v == true then return true end
    local kk = known_kind[v]
    return kk == "place" or kk == "org" or kk == "term"
  end
end

local function is_title(L, w) return L.titles[w] or L.titles_low[lower(w)] end

local sequence_shape

--- The place a run makes with a place head at token h: from after the
-- last connector before it ("Back on Rustaveli Avenue") to the head, the
-- rest of the run a sequence of its own ("Hadrut Province and Hadrut").
local function place_shape(s, toks, pos, off, a, h)
  local c = h - 1
  while c > a and not NOT_IN_NAME[toks[c]] do c = c - 1 end
  local start = NOT_IN_NAME[toks[c]] and c + 1 or a
  if start == h then return false end
  local rest = h + 1
  while rest <= #toks and NOT_IN_NAME[toks[rest]] do rest = rest + 1 end
  local from, to = pos[start], pos[h] + #toks[h]
  return {off = off + from, place = s:sub(from + 1, to), len = to - from,
    rest = pos[rest] and pos[rest] - from}
end

--- The shape of the words before a speech verb at token v, continued
-- after the verb (see sequence_shape).
local function verb_split(s, L, toks, pos, off, v)
  local head_s = s:sub(1, pos[v - 1] + #toks[v - 1])
  local rest = v + 1
  while rest <= #toks and NOT_IN_NAME[toks[rest]] do rest = rest + 1 end
  rest = pos[rest]
  local h = sequence_shape(head_s, L) or {off = 0, none = true}
  local out = {}                         -- shapes are memoised: copy
  for key, val in pairs(h) do out[key] = val end
  out.off = off + h.off
  out.len = h.len or #head_s - h.off
  out.rest = rest and rest - h.off
  if out.name then out.sure = true end
  return out
end

--- What a capitalised sequence can make from its words alone, the same in
-- every document: false, or a table with
--   off   bytes shed at its start ("The", "In the"),
--   org   the organization name when a word is an org cue, or
--   place the place name when its last word is a place head, or
--   cased {canonical, kind} of a cased alias (see cased_map), else
--   name  the person name, at = its byte offset after `off` (past titles),
--   title the title stripped ("President", "Mr."),
--   first_only  the name is a given name alone ("Anna"),
--   check the name words that must not be blocked in the document,
--   sure  whether the words alone are evidence of a person.
function sequence_shape(s, L)
  local toks = find(s, "[ \t]") and split_words(s) or {s}
  local nt = #toks
  -- drop leading function words ("The", "In", "But") and connectors after them
  local a, off = 1, 0
  while a <= nt and not L.cased[toks[a]] and sheds(toks[a], L.stop, L.titles) do
    repeat
      off = off + #toks[a]
      off = off + #match(s, "^%s*", off + 1)
      a = a + 1
    until a > nt or not NOT_IN_NAME[toks[a]]   -- "In the Caucasus" -> "Caucasus"
  end
  if a > nt then return false end
  if off > 0 then s = s:sub(off + 1) end
  -- byte offsets of the tokens in s (from 0, after the shed words)
  local pos, q = {}, a
  for p in s:gmatch("()%S+") do pos[q] = p - 1; q = q + 1 end
  -- a capitalised speech verb splits a run in two, and says the head is
  -- a person's ("Maria Lopez Says Talks Go On": a headline in title case)
  for v = a + 1, nt do
    if L.verbs[lower(toks[v])] then return verb_split(s, L, toks, pos, off, v) end
  end
  -- an alias written in capitals ("US"), then maybe a sequence of its own
  -- ("US President X"), unless an org cue follows it ("US Army")
  local cased = L.cased[toks[a]]
  if cased and not L.orgcue[toks[a + 1]] then
    return {off = off, cased = cased, len = #toks[a], rest = pos[a + 1]}
  end
  -- an org cue makes the run an organization, unless a full name heads it
  -- and a connector comes first ("Thomas Brandt of the X Institute")
  local head_is_name = L.given[toks[a]] and a + 1 <= nt and not NOT_IN_NAME[toks[a + 1]]
  for k = a, nt do
    if head_is_name and NOT_IN_NAME[toks[k]] then break end
    if L.orgcue[toks[k]] then
      return nt - a + 1 >= 2 and {off = off, org = s}
    end
  end
  for h = a + 1, nt do
    if L.placehead[toks[h]] and (h == nt or NOT_IN_NAME[toks[h + 1]]) then
      return place_shape(s, toks, pos, off, a, h)
    end
  end
  -- strip leading titles ("President", "Prime Minister", "Mr.")
  local k, title, title_from = a, nil, nil
  while k <= nt do
    local w, w2 = toks[k], toks[k + 1]
    local two = w2 and (w .. " " .. w2)
    title_from = title_from or k
    if two and L.titles[two] then
      title = two; k = k + 2
    elseif is_title(L, w) then
      title = w; k = k + 1
    else
      -- up to two words that qualify a title before it: "Foreign
      -- Secretary", "Chief Prosecutor" (no given name among them)
      local t = k + 1
      while t < nt and t <= k + 2 and not L.given[toks[t - 1]] and not is_title(L, toks[t]) do
        t = t + 1
      end
      if t >= nt or L.given[toks[t - 1]] or not is_title(L, toks[t]) then break end
      title = table.concat(toks, " ", k, t); k = t + 1
    end
  end
  -- a title's tail runs up to a given name: "Secretary of Education
  -- Elisabeth DeVos", "Minister of Foreign Affairs of Armenia Ararat X"
  if title and k <= nt and TITLE_TAIL[toks[k]] then
    q = k + 1
    while q <= nt and not L.given[toks[q]] do q = q + 1 end
    if q <= nt then title = table.concat(toks, " ", title_from, q - 1); k = q end
  end
  -- a connector ends the name when its head is surely a person's: "Thomas
  -- de Waal of Carnegie Europe", "Senator Bolton in Turkey"; otherwise
  -- ("Bank of England") no person
  local last = nt
  for r = k, nt do
    if NOT_IN_NAME[toks[r]] then last = r - 1; break end
  end
  if last < nt and not (last >= k and (title or last > k and L.given[toks[k]])) then
    return false
  end
  local n = last - k + 1
  if n < 1 or n > 4 then return false end
  local check = {}
  for r = k, last do
    if not NAME_PARTICLE[toks[r]] then check[#check + 1] = toks[r] end
  end
  -- "Lord Cameron": a style stays in a name given without a first name;
  -- a given name alone is no surname: it names a person only when it
  -- links to an earlier full name (see records)
  local first_only = false
  if n == 1 and title == toks[k - 1] and L.styles[title] then
    k = k - 1
  elseif n == 1 and L.given[toks[k]] then
    first_only = true
  end
  -- the rest of a cut sequence is a sequence of its own ("Elisabeth DeVos
  -- and Secretary of State Mike Pompeo"): `rest` is where its words start
  local rest = last + 1
  while rest <= nt and NOT_IN_NAME[toks[rest]] do rest = rest + 1 end
  return {off = off, name = table.concat(toks, " ", k, last), at = pos[k], title = title,
    len = last < nt and pos[last] + #toks[last] or nil, rest = rest <= nt and pos[rest] or nil,
    check = check, first_only = first_only,
    sure = (n == 1 or title ~= nil or L.given[toks[k]] or surname_shape(toks[last])) and true}
end

local shape_of = memo_across_docs(sequence_shape)

--- The shape of a sequence when the document blocks none of its name
-- words (see `blocked`), else false.
local function usable_shape(s, L, blocked)
  local v = shape_of(s, L)
  if v and v.check then
    for _, w in ipairs(v.check) do
      if blocked(w) then return false end
    end
  end
  return v
end

--- The candidate a usable sequence makes at [i, j] (after the shed words),
-- or nil: persons need evidence, from the words or the context after them.
local function sequence_candidate(cx, sh, i, j, line)
  local text = cx.text
  if sh.none then
    return nil
  elseif sh.cased then
    return {kind = sh.cased[2], i = i, j = j, line = line, name = sh.cased[1]}
  elseif sh.place then
    return {kind = "place", i = i, j = j, line = line, name = sh.place}
  end
  if sh.org then
    local acr = find(text, "^%s*%(", j + 1) and text:sub(j + 1, j + 12):match("^%s*%((%u[%u%d&]+)%)") or nil
    if acr then cx.acronyms[acr] = sh.org end
    return {kind = "org", i = i, j = j, line = line, name = sh.org, acronym = acr}
  end
  if sh.sure or cx.L.verbs[text:sub(j + 1, j + 40):match("^%s+(%l+)")] or find(text, "^,? who%f[^%a]", j + 1)
      or (byte(text, j + 1) == 44 and role_after(text:sub(j + 1, j + 120))) then
    return {kind = "person", i = i + sh.at, j = j, line = line, name = sh.name,
      title = sh.title, first_only = sh.first_only}
  end
  return nil
end

--- "Hadrut Province" holds the gazetteer's place "Hadrut": the province
-- is a place of its own. When claim q (of disjoint claims, shared with
-- the columns gz) is the one place hit inside [i, j], drop it from the
-- records (gz.ok) and say so.
local function replaces_place(gz, q, i, j)
  if gz.kind[q] ~= "place" or gz.i[q] < i or gz.j[q] > j or (gz.i[q + 1] or j + 1) <= j then
    return false
  end
  if not gz.ok then
    gz.ok = {}
    for c = 1, gz.n do gz.ok[c] = true end
  end
  gz.ok[q] = false
  return true
end

local capseq_re
--- 2. Capitalised sequences: one C pass, Lua per match (spans only: most
-- matches make no candidate, so no table or line number for them).
local function sequence_candidates(doc, cx, cands)
  local n = #cands
  local inscope, claimed, L, blocked, text = cx.inscope, cx.claimed, cx.L, cx.blocked, cx.text
  local usable = {}             -- sequence -> usable_shape, once per document
  -- a match inside a gazetteer hit is claimed whatever its words shed
  -- ("Azerbaijan", nearly half the matches): with disjoint claims, C
  -- leaves those out, and a cursor tells the claims that matter below
  local ci, cj, nc, k = claimed.ci, claimed.cj, claimed.disjoint and claimed.n or 0, 1
  capseq_re = capseq_re or re(CAPSEQ)
  rewind(claimed)
  local MI, MJ
  if nc > 0 then
    MI, MJ = doc:match_spans(capseq_re, nil, ci, cj)
  else
    MI, MJ = doc:match_spans(capseq_re)
  end
  for m = 1, #MI do
    local mi, mj = MI[m], MJ[m]
    while k <= nc and cj[k] < mi do k = k + 1 end
    -- one sequence, or several when a name is cut before a connector
    while mi do
      local s = sub(text, mi, mj)
      local sh = usable[s]
      if sh == nil then sh = usable_shape(s, L, blocked); usable[s] = sh end
      local line = mi
      mi = nil
      if sh then
        local i, j = line + sh.off, mj
        if sh.len then j = i + sh.len - 1 end      -- "X of ...": the name ends before "of"
        if sh.rest then mi = i + sh.rest end
        -- claimed: with disjoint claims, the cursor's claim or a later one
        -- (the first claim ending at or after i) overlaps [i, j], or none
        local taken
        if nc > 0 then
          local q = k
          while q <= nc and cj[q] < i do q = q + 1 end
          taken = q <= nc and ci[q] <= j
          if taken and sh.place and replaces_place(cx.gz, q, i, j) then taken = false end
        else
          taken = is_claimed(claimed, i, j)
        end
        if not taken and inscope(i, j) then
          local c = sequence_candidate(cx, sh, i, j, doc:line_of(line))
          if c then n = n + 1; cands[n] = c end
        end
      end
    end
  end
end

local place_res
--- The two place-cue regexes: "the X district" and "the city of X".
local function place_patterns(placecue)
  if place_res then return place_res end
  local pc, behind = {}, {}
  for k in pairs(placecue) do
    pc[#pc + 1] = regex_escape(k)
    behind[#behind + 1] = "\\b" .. regex_escape(k) .. " of "
  end
  place_res = {}
  if #pc > 0 then
    local alt = table.concat(pc, "|")
    -- each starts with a literal ("the ", " of ") that PCRE2 skips ahead
    -- to, instead of trying the cue words at every word: "the " is dropped
    -- with \K, and the cue before " of " is looked behind for from its end
    -- once a capital after it says an X may follow
    place_res[1] = re("\\bthe \\K\\p{Lu}[\\p{L}\\-]+(?= (?:" .. alt .. ")\\b)")
    place_res[2] = re(" of (?=\\p{Lu})(?<=" .. table.concat(behind, "|") .. ")\\K\\p{Lu}[\\p{L}\\-]+(?![\\p{L}’'])")
  end
  return place_res
end

--- 3. Places from cues: "the X district", "the city of X". One candidate
-- list per pattern, each in document order.
local function place_candidates(doc, cx)
  local out = {}
  for k, p in ipairs(place_patterns(cx.L.placecue)) do
    local cands, n = {}, 0
    rewind(cx.claimed)
    for i, j in p:gfind(cx.text) do
      if cx.inscope(i, j) and not is_claimed(cx.claimed, i, j) then
        local name = sub(cx.text, i, j)
        if not cx.blocked(name) then
          n = n + 1
          cands[n] = {kind = "place", i = i, j = j, line = doc:line_of(i), name = name}
        end
      end
    end
    out[k] = cands
  end
  return out
end

--- 4. Later bare mentions of acronyms defined in the text.
local function acronym_candidates(doc, cx)
  local cands, n = {}, 0
  local acrs = {}
  for a in pairs(cx.acronyms) do acrs[#acrs + 1] = regex_escape(a) end
  if #acrs == 0 then return cands end
  rewind(cx.claimed)
  local pat = re("(?<![\\p{L}\\p{N}(])(?:" .. table.concat(acrs, "|") .. ")(?![\\p{L}\\p{N})])")
  for i, j in pat:gfind(cx.text) do
    if cx.inscope(i, j) and not is_claimed(cx.claimed, i, j) then
      local acr = sub(cx.text, i, j)
      n = n + 1
      cands[n] = {kind = "org", i = i, j = j, line = doc:line_of(i),
        name = cx.acronyms[acr], acronym = acr}
    end
  end
  return cands
end

-- ------------------------------------------------------------- records ---

--- The in-scope gazetteer hits as candidates: place hits are their
-- records already.
local function column_list(gz)
  local list, n, ok = {}, 0, gz.ok
  for k = 1, gz.n do
    if not ok or ok[k] then
      n = n + 1
      list[n] = {kind = gz.kind[k], i = gz.i[k], j = gz.j[k], line = gz.line[k],
        name = gz.name[k], text = gz.text[k], gaz = true}
    end
  end
  return list
end

--- 5. Drop overlaps (earliest, then longest wins; the gazetteer's hits
-- before the others, then each list in the order found), link persons,
-- and make the records.
local function records(doc, text, found)
  local doc_sub = doc.sub
  local out, n = {}, 0
  local full_by_surname = {}   -- surname -> {name -> position of last mention}
  local full_by_first = {}     -- first name -> the same
  local person_names = {}
  local roles = {}

  -- A person record unless the name is a lone capitalised word that links
  -- to no person; returns whether it made one.
  local function person(i, j, line, name, gaz, title, surface, first_only)
    local shape = name_shape(name)
    if shape.one_word then
      -- link a bare surname (a given name alone: its first name) to the
      -- most recent earlier full name with it
      local cands = (first_only and full_by_first or full_by_surname)[shape.surname]
      local best, bestpos
      if cands then
        for full, pos in pairs(cands) do
          if not bestpos or pos > bestpos then best, bestpos = full, pos end
        end
      end
      if best then
        name = best
      elseif first_only or not (gaz or title or person_names[name]) then
        -- a lone capitalised word is not a person; the gazetteer's
        -- canonical name, "President Putin" with no full name (the
        -- surname) and "Mr. X" unlinked are
        return false
      end
      shape = name_shape(name)
    end
    if shape.multi then
      for index, key in pairs{[full_by_surname] = shape.surname, [full_by_first] = shape.first} do
        local by_name = index[key]
        if not by_name then by_name = {}; index[key] = by_name end
        by_name[name] = i
      end
    end
    person_names[name] = true
    -- a bounded window: one huge line must not make this quadratic
    local lstart = math.max(doc:line_span(line), i - 200)
    local role = role_before(text:sub(lstart, i - 1))
      or (byte(text, j + 1) == 44 and role_after(text:sub(j + 1, j + 160)) or nil)
    if role then roles[name] = roles[name] or role end
    n = n + 1
    out[n] = {kind = "person", text = surface or doc_sub(doc, i, j), i = i, j = j,
      line = line, name = name, role = role or roles[name], title = title}
    return true
  end

  local function org(i, j, line, name, acr, surface)
    -- the window is cut only when an opening parenthesis may follow
    if not acr and find(text, "^%s*%(", j + 1) then
      acr = text:sub(j + 1, j + 14):match("^%s*%((%u[%u%d&]+)%)")
    end
    n = n + 1
    out[n] = {kind = "org", text = surface or doc_sub(doc, i, j), i = i, j = j,
      line = line, name = name, acronym = acr}
  end

  local function place(i, j, line, name, surface)
    n = n + 1
    out[n] = {kind = "place", text = surface or doc_sub(doc, i, j), i = i, j = j,
      line = line, name = name}
  end

  -- a candidate that yields no record (a lone capitalised word that links
  -- to no person) leaves its span to the others: "the ECO" is a
  -- person-shaped single word and an acronym mention at once
  extract.resolve(found, nil, function(f)
    local kind = f.kind
    if kind == "person" then
      return person(f.i, f.j, f.line, f.name, f.gaz, f.title, f.text, f.first_only)
    elseif kind == "org" then
      org(f.i, f.j, f.line, f.name, f.acronym, f.text)
    else
      place(f.i, f.j, f.line, f.name, f.text)
    end
    return true
  end)
  return out
end

local function compute(doc, opts)
  local g = opts.gazetteer
  if g == nil then g = M.gazetteer() end
  local spans = extract.scope_spans(doc, opts)
  local cx = {L = word_lists(), inscope = extract.in_spans(spans), text = doc:text(),
    acronyms = {}}                -- ACR -> full name
  local gz
  gz, cx.claimed, cx.known_kind = gazetteer_candidates(doc, g, spans, cx.inscope, cx.L)
  cx.gz = gz
  cx.blocked = blocker(cx.L, cx.known_kind)
  local seqs = {}
  sequence_candidates(doc, cx, seqs)
  local lists = {column_list(gz), seqs}
  for _, l in ipairs(place_candidates(doc, cx)) do lists[#lists + 1] = l end
  lists[#lists + 1] = acronym_candidates(doc, cx)
  local cands, n = {}, 0
  for _, l in ipairs(lists) do
    for k = 1, #l do cands[n + k] = l[k] end
    n = n + #l
  end
  return records(doc, cx.text, cands)
end

--- The records of `doc`, shared with the other extractors (read-only):
-- computed once per document and scope (see lode.extract.shared).
function M.shared(doc, opts)
  opts = opts or {}
  if opts.gazetteer ~= nil then return compute(doc, opts) end
  local key = opts.body == false and "entities/page"
    or "entities/body/" .. tostring(opts.model or "")   -- a cleaner model changes the body
  return extract.shared(doc, key, function(d) return compute(d, opts) end)
end

function M.extract(doc, opts)
  return extract.copy(M.shared(doc, opts))
end

return setmetatable(M, {__call = function(_, doc, opts) return M.extract(doc, opts) end})
