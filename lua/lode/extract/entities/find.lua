--- lode.extract.entities.find: the candidate stages. 1. gazetteer hits,
-- which claim their bytes; 2. capitalised runs (one C pass), named by
-- lode.extract.entities.shapes; 3. places from cues ("the X district",
-- "the city of X"); 4. later bare mentions of acronyms defined in the text.
-- Each makes candidates {kind, i, j, line, name, ...} in document order
-- (2-4 add theirs to the caller's list).

local lode = require "lode"
local core = require "lode.core"
local lists = require "lode.extract.entities.lists"
local roles = require "lode.extract.entities.roles"
local shapes = require "lode.extract.entities.shapes"
local ipairs, math, pairs, table = ipairs, math, pairs, table
local byte, find, lower, sub = string.byte, string.find, string.lower, string.sub
local role_after, title_comma_before, usable_shape = roles.after, roles.comma_before, shapes.usable_shape
local blocked, shape_of, usable_of = shapes.blocked, shapes.shape, shapes.usable
local title_possessed_after = roles.possessed_after

local M = {}

local function re(p, f) return lode.regex(p, f) end

local function regex_escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\]", "\\%0"))
end

--- Claimed byte ranges (gazetteer hits) with an overlap test. Hits come
-- sorted and disjoint, so queries in increasing order walk a cursor; a
-- query behind the cursor, or ranges out of order, fall back to a binary
-- search (the same answer for disjoint ranges, the old one otherwise).
-- packed: the same ranges as g:names packs them (for m:runs), or nil.
local function claims(ci, cj, n, inorder, disjoint, packed)
  return {ci = ci, cj = cj, n = n, cur = 1, last_i = 0, inorder = inorder, disjoint = disjoint,
    packed = packed}
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
    -- (most claims lie between two queries: four at a step, then one)
    while k + 3 <= n and cj[k + 3] < i do k = k + 4 end
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

-- The kinds of entries that name something (the others are terms).
local NAMES = {person = true, org = true, place = true}

--- 1. Gazetteer matches: taken as they are, they claim their bytes.
-- Returns gz = {hits = the person/org/place candidates (a place's is its
-- record), n, disjoint = whether no two hits overlap, I = the claims'
-- starts}, the claims, and the lowercased surface -> kind of every hit.
-- With disjoint claims, hits[c] is claim c's candidate, false when out of
-- scope; else hits holds the candidates in scope.
local function gazetteer_candidates(doc, g, spans, L)
  if not g then return {hits = {}, n = 0, disjoint = true}, claims({}, {}, 0, true, true), {} end
  local text = doc:text()
  -- the person/org/place hits claim their bytes (ci, cj); hits[c] is
  -- claim c's candidate (false out of scope: C makes no table for it). A
  -- name is capitalised ("turkey", "chad" are words), and a place alias
  -- of the world files after a given name is a surname: neither a claim
  -- nor a blocked word
  local hits, ci, cj, known_kind, disjoint, packed = g:names(doc, NAMES, lists.world_from(g), function(h)
    return h.kind ~= "place" or not after_name(text, h.i, L)
  end, spans)
  local nc, inorder = #ci, true   -- disjoint hits are in order
  if not disjoint then
    for c = 2, nc do
      if ci[c] <= ci[c - 1] then inorder = false; break end
    end
  end
  local claimed = claims(ci, cj, nc, inorder, disjoint, packed)
  -- hits stay claim by claim when disjoint (replaces_place reads them by claim)
  local gz = {hits = hits, n = nc, disjoint = disjoint, I = ci}
  if not disjoint then
    local n, kept = 0, {}
    for c = 1, nc do
      if hits[c] then n = n + 1; kept[n] = hits[c] end
    end
    gz.hits, gz.n = kept, n
  end
  sort_claims(claimed)
  return gz, claimed, known_kind
end

-- A credit cue, then only names, commas, "and" and "in/from Place" up
-- to byte i: a name there is a person ("Reporting by X and Y in Z"),
-- known given name or not. The cues' clauses (to the next ";" or line
-- end) are found once per document: cues are rare, runs are not.
local cue_heads, names_re   -- "reporting " (a cue less its "by"), by its last letter
local NO_CUES = {}
local function credit_clauses(cx)
  if not cue_heads then
    cue_heads = {}
    for k in pairs(cx.L.credit) do
      local head = k:match("^(.-) by$")
      assert(head, "credit_cues: a cue ends with ' by': " .. k)
      local last = byte(head, -1)
      cue_heads[last] = cue_heads[last] or {}
      table.insert(cue_heads[last], head .. " ")
    end
    names_re = re("^(?:\\p{Lu}[\\p{L}'’.-]*|and|in|from|,|\\s)*$")
  end
  -- each "by " after a space (a plain search, as a credit writes it: a
  -- class pattern costs a quarter of the extractor), then the words
  -- before it, tried against the cues ending in the same letter
  local text, clauses, pos = cx.text, {}, 1
  while true do
    local a, b = find(text, "by", pos, true)
    if not a then break end
    if byte(text, a - 1) == 32 and find(text, "^%s", b + 1) then
      local before = lower(sub(text, a > 40 and a - 40 or 1, a - 1))
      for _, head in ipairs(cue_heads[byte(before, -2)] or NO_CUES) do
        local at = #before - #head + 1
        if at >= 1 and sub(before, at, -1) == head and not find(sub(before, at - 1, at - 1), "%a") then
          clauses[#clauses + 1] = {b + 2, (find(text, "[;\n]", b + 2) or #text + 1) - 1}
          break
        end
      end
    end
    pos = b + 1
  end
  return clauses
end
local function credits_of(cx)
  local cl = cx.credits or credit_clauses(cx)
  cx.credits = cl
  return cl
end
local function credit_before(cx, i)
  local cl = credits_of(cx)
  local lo, hi = 1, #cl           -- the last clause starting at or before i
  while lo <= hi do
    local mid = (lo + hi) // 2
    if cl[mid][1] <= i then lo = mid + 1 else hi = mid - 1 end
  end
  local c = cl[hi]
  -- (a credit names a few people: a name 200 bytes on is in prose)
  return c ~= nil and i <= c[2] and i - c[1] <= 200 and names_re:find(sub(cx.text, c[1], i - 1)) ~= nil
end

-- The parts of a run cut at its connectors: "Umit Bektas and Ali Usta in
-- Ganja" -> {1, "Umit Bektas"}, {17, "Ali Usta"}, {30, "Ganja"} (offsets
-- in the run).
local CREDIT_CUT = {["and"] = true, ["in"] = true, from = true}
local function credit_parts(s)
  local parts, from, last = {}, nil, nil
  for a, w, b in s:gmatch("()(%S+)()") do
    local bare = w:gsub(",$", "")
    if CREDIT_CUT[bare] then
      if from then parts[#parts + 1] = {from, sub(s, from, last - 1)} end
      from = nil
    else
      from = from or a
      last = b - (#w - #bare)
      if bare ~= w then parts[#parts + 1] = {from, sub(s, from, last - 1)}; from = nil end
    end
  end
  if from then parts[#parts + 1] = {from, sub(s, from, last - 1)} end
  return parts
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
      or (byte(text, j + 1) == 44 and (role_after(text:sub(j + 1, j + 120)) or title_comma_before(text, i + sh.at)))
      or title_possessed_after(text, j) or credit_before(cx, i + sh.at) then
    return {kind = "person", i = i + sh.at, j = j, line = line, name = sh.name,
      title = sh.title, first_only = sh.first_only}
  end
  return nil
end

--- "Hadrut Province" holds the gazetteer's place "Hadrut": the province
-- is a place of its own. When claim q (of disjoint claims: gz.hits[q] is
-- its candidate) is the one place hit inside [i, j], drop it from the
-- records (its candidate becomes false, as out of scope) and say so.
local function replaces_place(gz, q, i, j)
  -- (a claim out of scope holds no candidate: [i, j] around it is out too)
  local h, after = gz.hits[q], gz.I[q + 1]
  if not h or h.kind ~= "place" or h.i < i or h.j > j or (after or j + 1) <= j then
    return false
  end
  gz.hits[q] = false
  return true
end

-- The runs' texts by id (a lode.core.strtab: no string per run), their
-- shapes by id, and by id the usable shape of those no document can block
-- (false for those that make nothing: marked, so that C leaves their runs
-- out), all the same in every document; renewed when they hold
-- lists.MEMO_MAX texts: a huge corpus must not grow them forever.
local seq_ids, seq_id, shape_by_id, fixed

-- The shape of the run with text id `id`, learnt once.
local function learn(id, s, L)
  local v = shape_of(s, L)
  shape_by_id[id] = v
  local check = v and v.check
  if not v or check == true then
    fixed[id] = false
    seq_ids:mark(id)
  elseif not check or #check == 0 then
    fixed[id] = v
  end
  return v
end

--- 2. Capitalised runs: one C pass (lode.core.capruns), Lua per run
-- (spans only: most runs make no candidate, so no table or line number
-- for them).
local function sequence_candidates(doc, cx, cands)
  local n, line_of = #cands, doc.line_of   -- (a Doc method looked up once)
  local inscope, claimed, L, known_kind, text = cx.inscope, cx.claimed, cx.L, cx.known_kind, cx.text
  local usable = {}             -- text id -> usable shape, once per document
  -- a match inside a gazetteer hit is claimed whatever its words shed
  -- ("Azerbaijan", nearly half the matches): with disjoint claims, C
  -- leaves those out (reading the claims as g:names packed them), and
  -- tells the first claim that matters below (K)
  local ci, cj, nc = claimed.ci, claimed.cj, claimed.disjoint and claimed.n or 0
  rewind(claimed)
  if not seq_ids or #seq_ids >= lists.MEMO_MAX then
    seq_ids, shape_by_id, fixed = core.strtab(), {}, {}
    seq_id = seq_ids.id
  end
  -- after a credit cue, a run no shape reads is a list of names (see
  -- below); runs that make nothing are left out, but those a credit may
  -- name people in: the bytes a credit can name people at (see
  -- credit_before), none in most documents
  local credits = credits_of(cx)
  local credited = #credits > 0
  local credit_lo, credit_hi = credited and credits[1][1] or 1, 0
  for _, c in ipairs(credits) do credit_hi = math.max(credit_hi, math.min(c[2], c[1] + 200)) end
  -- the runs in scope (one touching no span of it has no part in it),
  -- their texts' ids and the first claim ending at or after each (K) in
  -- one C pass
  local MI, MJ, ID, K = lists.capruns():runs(text, nc > 0 and claimed.packed or nil, nil, seq_ids,
    true, credit_lo, credit_hi, cx.spans)
  for m = 1, #MI do
    local mi, mj, id = MI[m], MJ[m], ID[m]
    -- one sequence, or several when a name is cut before a connector
    while mi do
      local sh = fixed[id]
      if sh == nil then
        sh = usable[id]
        if sh == nil then
          local v = shape_by_id[id]
          if v == nil then v = learn(id, sub(text, mi, mj), L) end
          sh = fixed[id]
          if sh == nil then sh = usable_of(v, known_kind) end
          usable[id] = sh
        end
      end
      local line = mi
      mi = nil
      -- (a shape of no name but the rest after "and" reads no credit line)
      local credit = (not sh or sh.none) and credited and line >= credit_lo and line <= credit_hi
        and credit_before(cx, line)
      if credit then
        -- after a credit cue, a run no shape reads whole is a list of names
        for _, p in ipairs(credit_parts(sub(text, line, mj))) do
          local psh = usable_shape(p[2], L, known_kind)
          local i = line + p[1] - 1 + (psh and psh.off or 0)
          local j = psh and psh.len and i + psh.len - 1 or line + p[1] + #p[2] - 2
          if psh and psh.name and not is_claimed(claimed, i, j) and inscope(i, j) then
            local c = sequence_candidate(cx, psh, i, j, line_of(doc, i))
            if c then n = n + 1; cands[n] = c end
          end
        end
      end
      if sh and not credit then
        local i, j = line + sh.off, mj
        if sh.len then j = i + sh.len - 1 end      -- "X of ...": the name ends before "of"
        if sh.rest then mi = i + sh.rest; id = seq_id(seq_ids, text, mi, mj) end
        -- claimed: with disjoint claims, the cursor's claim or a later one
        -- (the first claim ending at or after i) overlaps [i, j], or none.
        -- A person's name is checked from its start: a place in the title
        -- before it ("Ambassador to Georgia Anna X") leaves it free.
        local from = i
        if sh.name and not (sh.cased or sh.place or sh.org) then from = i + sh.at end
        local taken
        if nc > 0 then
          local q = K[m]
          while q <= nc and cj[q] < from do q = q + 1 end
          taken = q <= nc and ci[q] <= j
          if taken and sh.place and replaces_place(cx.gz, q, i, j) then taken = false end
        else
          taken = is_claimed(claimed, from, j)
        end
        if not taken and inscope(i, j) then
          local c = sequence_candidate(cx, sh, i, j, line_of(doc, line))
          if c then n = n + 1; cands[n] = c end
        end
      end
    end
  end
end

local place_res
--- The two place-cue regexes, "the X district" and "the city of X", and
-- their cue words (a lode.core.wordset).
local function place_patterns(placecue)
  if place_res then return place_res end
  local pc, by_len = {}, {}
  for k in pairs(placecue) do
    -- (lode.core.place_cue_spans finds the cues as runs of ASCII letters)
    assert(k:find("^%a+$"), "place_cues: a cue is one word of ASCII letters: " .. k)
    pc[#pc + 1] = k
    local same = by_len[#k] or {}
    by_len[#k] = same
    same[#same + 1] = k
  end
  -- a lookbehind's branches must each have one length: one branch per
  -- length ("\b(?:city|town) of "), each tried once, not once per cue
  local behind = {}
  for n, same in pairs(by_len) do
    table.sort(same)
    behind[#behind + 1] = {n, "\\b(?:" .. table.concat(same, "|") .. ") of "}
  end
  table.sort(behind, function(a, b) return a[1] < b[1] end)
  for k, b in ipairs(behind) do behind[k] = b[2] end
  place_res = {}
  if #pc > 0 then
    local alt = table.concat(pc, "|")
    -- each is tried only where a match can start (C finds those places
    -- in one pass: "the " or " of " before a capital, a cue word after
    -- the name or before "of"), anchored there with \G: "the " is
    -- dropped with \K, and the cue before " of " is looked behind for
    place_res.the = re("\\G(?:\\bthe \\K\\p{Lu}[\\p{L}\\-]+(?= (?:" .. alt .. ")\\b))")
    place_res.of = re("\\G(?: of (?=\\p{Lu})(?<=" .. table.concat(behind, "|") ..
      ")\\K\\p{Lu}[\\p{L}\\-]+(?![\\p{L}’']))")
    place_res.cues = core.wordset(pc)
  end
  return place_res
end

-- The places of one place-cue regex's matches I, J (in document order)
-- added to `cands` after its n-th; returns the new count.
local function add_places(doc, cx, cands, n, I, J)
  rewind(cx.claimed)
  for m = 1, #I do
    local i, j = I[m], J[m]
    if cx.inscope(i, j) and not is_claimed(cx.claimed, i, j) then
      local name = sub(cx.text, i, j)
      if not blocked(cx.L, cx.known_kind, name) then
        n = n + 1
        cands[n] = {kind = "place", i = i, j = j, line = doc:line_of(i), name = name}
      end
    end
  end
  return n
end

--- 3. Places from cues: "the X district", "the city of X", added to
-- `cands`: one list per pattern, each in document order.
local function place_candidates(doc, cx, cands)
  local p = place_patterns(cx.L.placecue)
  if not p.cues then return end
  local I1, J1, I2, J2 = core.place_cue_spans(doc, p.cues, p.the, p.of)
  add_places(doc, cx, cands, add_places(doc, cx, cands, #cands, I1, J1), I2, J2)
end

--- 4. Later bare mentions of acronyms defined in the text, added to
-- `cands` in document order.
local function acronym_candidates(doc, cx, cands)
  local n = #cands
  local acrs = {}
  for a in pairs(cx.acronyms) do acrs[#acrs + 1] = a end
  if #acrs == 0 then return end
  -- the longest first: an alternation takes the first that matches, and
  -- "ET&T" must not be read as "ET" (pairs' order changes run to run)
  table.sort(acrs, function(a, b) return #a > #b or #a == #b and a < b end)
  for k = 1, #acrs do acrs[k] = regex_escape(acrs[k]) end
  rewind(cx.claimed)
  local pat = re("(?<![\\p{L}\\p{N}(])(?:" .. table.concat(acrs, "|") .. ")(?![\\p{L}\\p{N})])")
  local I, J = doc:match_spans(pat)
  for m = 1, #I do
    local i, j = I[m], J[m]
    if cx.inscope(i, j) and not is_claimed(cx.claimed, i, j) then
      local acr = sub(cx.text, i, j)
      n = n + 1
      cands[n] = {kind = "org", i = i, j = j, line = doc:line_of(i),
        name = cx.acronyms[acr], acronym = acr}
    end
  end
end

M.gazetteer_candidates, M.sequence_candidates, M.place_candidates, M.acronym_candidates =
  gazetteer_candidates, sequence_candidates, place_candidates, acronym_candidates

return M
