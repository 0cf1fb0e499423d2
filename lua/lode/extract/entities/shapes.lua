--- lode.extract.entities.shapes: what a capitalised run of words can
-- name, from its words alone (the same in every document): a person with
-- an optional title, an organization (an org cue word), a place (a place
-- head word), a cased alias ("US"), or nothing; and which of its words
-- the document must not block (a place or org the gazetteer found there).

local words = require "lode.words"
local lists = require "lode.extract.entities.lists"
local ipairs, pairs, table = ipairs, pairs, table
local find, lower, match = string.find, string.lower, string.match
local NOT_IN_NAME, NAME_PARTICLE, SENT_ADV, COMPASS, MONTHS, TITLE_TAIL =
  lists.NOT_IN_NAME, lists.NAME_PARTICLE, lists.SENT_ADV, lists.COMPASS, lists.MONTHS, lists.TITLE_TAIL
local memo_across_docs, sorted_keys = lists.memo_across_docs, lists.sorted_keys

local M = {}

-- The connectors that join two names rather than make one ("Bank of X").
local COORD = {["and"] = true, ["or"] = true}

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

-- Is a capitalised word a function word or sentence adverb that a sequence
-- sheds at its start?
local sheds = memo_across_docs(function(w, stop, titles)
  return ((stop[lower(w)] or SENT_ADV[w]) and not titles[w]) and true or false
end)

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

--- blocked(L, known_kind, w): is a capitalised word no part of a person
-- name (a function word, month, compass word, demonym, title, cue word,
-- or a place, org or term the gazetteer found in this document: the
-- lowercased surface -> kind of its hits, known_kind)?
local BLOCKING = {place = true, org = true, term = true}
local function blocked(L, known_kind, w)
  local v = static_block(w, L)
  return v == true or BLOCKING[known_kind[v]] == true
end

local function is_title(L, w) return L.titles[w] or L.titles_low[lower(w)] end

-- "Ministers", "Secretaries": the plural of a title names a group
local function plural_title(L, w)
  local one = w:match("^(%u%l+)ies$")
  return (one and is_title(L, one .. "y")) or (w:match("%ls$") and is_title(L, w:sub(1, -2)))
end

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
--   check true when the lists block a name word, else the name words
--         (lowercased, see static_block) the document must not block,
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
  -- a word no list knows before a given name and a surname is no part of
  -- the name: an occupation opening a sentence ("Winemaker Keti
  -- Abashidze"), a place before it ("the director for Georgia Lena Hoffmann")
  if a + 2 <= nt and L.given[toks[a + 1]] and not L.given[toks[a]] and not is_title(L, toks[a])
      and not L.cased[toks[a]] and not NAME_PARTICLE[toks[a]] and not NOT_IN_NAME[toks[a + 2]] then
    off = off + #toks[a]
    off = off + #match(s, "^%s*", off + 1)
    a = a + 1
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
      -- Secretary", "Chief Prosecutor" (no given name or connector among
      -- them: "Mrs. Lind and Ms Aubert" is two names)
      local t = k + 1
      while t < nt and t <= k + 2 and not L.given[toks[t - 1]] and not NOT_IN_NAME[toks[t - 1]]
          and not is_title(L, toks[t]) do
        t = t + 1
      end
      if t >= nt or L.given[toks[t - 1]] or NOT_IN_NAME[toks[t - 1]] or not is_title(L, toks[t]) then break end
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
    -- no person; after "and" or "or" a rest that opens with a cased
    -- alias, a given name or a title is a name of its own ("Poland and
    -- the US": the gazetteer has Poland, the rest has "US"; other rests
    -- are left: the gazetteer holds what they would make, and they cost)
    if not COORD[toks[last + 1]] then return false end
    local rest = last + 1
    while rest <= nt and NOT_IN_NAME[toks[rest]] do rest = rest + 1 end
    local w = toks[rest]
    if not (w and (L.cased[w] or L.given[w] or is_title(L, w))) then return false end
    return {off = off, none = true, rest = pos[rest]}
  end
  local n = last - k + 1
  if n < 1 or n > 4 or plural_title(L, toks[last]) then return false end
  local check = {}
  for r = k, last do
    if not NAME_PARTICLE[toks[r]] then
      local low = static_block(toks[r], L)
      if low == true then check = true; break end
      check[#check + 1] = low
    end
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

--- A shape (see sequence_shape) when the document blocks none of its name
-- words (see `blocked`; known_kind: the document's), else
-- false.
local function usable(v, known_kind)
  local check = v and v.check
  if check == true then return false end
  if check then
    for k = 1, #check do
      if BLOCKING[known_kind[check[k]]] then return false end
    end
  end
  return v
end

--- The shape of a sequence when the document blocks none of its name
-- words, else false.
local function usable_shape(s, L, known_kind)
  return usable(shape_of(s, L), known_kind)
end

M.blocked, M.shape, M.usable, M.usable_shape = blocked, shape_of, usable, usable_shape

return M
