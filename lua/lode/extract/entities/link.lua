--- lode.extract.entities.link: 5. the records. Overlapping candidates are
-- resolved leftmost-longest (lode.extract.resolve; the gazetteer's hits
-- before the others); a bare surname or given name links to the most
-- recent earlier full name with it, and persons get the role their text
-- states (lode.extract.entities.roles).

local extract = require "lode.extract"
local lists = require "lode.extract.entities.lists"
local roles_of = require "lode.extract.entities.roles"
local pairs, math, table = pairs, math, table
local byte, find, match = string.byte, string.find, string.match
local NAME_PARTICLE, memo_across_docs = lists.NAME_PARTICLE, lists.memo_across_docs
local role_before, role_after = roles_of.before, roles_of.after

local M = {}

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

-- index[key][name] = i: the full name's last mention, filed under key
local function mention(index, key, name, i)
  local by_name = index[key]
  if not by_name then by_name = {}; index[key] = by_name end
  by_name[name] = i
end

--- 5. Drop overlaps (earliest, then longest wins; the gazetteer's hits
-- `gz` (see find.gazetteer_candidates) before the others, then each list
-- in the order found), link persons, and make the records.
local function records(doc, text, gz, found)
  if gz.n == 0 and #found == 0 then return {} end   -- (a page naming nothing)
  local doc_sub, line_span = doc.sub, doc.line_span   -- (Doc methods looked up once)
  local out, n = {}, 0
  local full_by_surname = {}   -- surname -> {name -> position of last mention}
  local full_by_first = {}     -- first name -> the same
  local person_names = {}
  local roles = {}

  -- A person record unless the name is a lone capitalised word that links
  -- to no person; returns whether it made one. The candidate (or hit) f
  -- becomes the record: {kind, i, j, line, name [, text, title,
  -- first_only]} gets its text, name, role, and loses first_only.
  local function person(f, gaz)
    local i, j, line, name, title, first_only = f.i, f.j, f.line, f.name, f.title, f.first_only
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
      mention(full_by_surname, shape.surname, name, i)
      mention(full_by_first, shape.first, name, i)
    end
    person_names[name] = true
    -- a bounded window: one huge line must not make this quadratic
    local lstart = math.max(line_span(doc, line), i - 200)
    local role = role_before(text, lstart, i)
      or (byte(text, j + 1) == 44 and role_after(text:sub(j + 1, j + 160)) or nil)
    if role then roles[name] = roles[name] or role end
    f.text = f.text or doc_sub(doc, i, j)
    f.name, f.role, f.first_only = name, role or roles[name], nil
    n = n + 1
    out[n] = f
    return true
  end

  -- An organization record: the candidate (or hit) f {kind, i, j, line,
  -- name [, text, acronym]} gets its text and an acronym in parentheses
  -- after it.
  local function org(f)
    -- the window is cut only when an opening parenthesis may follow
    local j = f.j
    if not f.acronym and find(text, "^%s*%(", j + 1) then
      f.acronym = text:sub(j + 1, j + 14):match("^%s*%((%u[%u%d&]+)%)")
    end
    f.text = f.text or doc_sub(doc, f.i, j)
    n = n + 1
    out[n] = f
  end

  -- a place candidate {kind, i, j, line, name [, text]} is its record
  local function place(f)
    if f.kind ~= "place" then
      f = {kind = "place", text = f.text, i = f.i, j = f.j, line = f.line, name = f.name}
    end
    f.text = f.text or doc_sub(doc, f.i, f.j)
    n = n + 1
    out[n] = f
  end

  -- a candidate that yields no record (a lone capitalised word that links
  -- to no person) leaves its span to the others: "the ECO" is a
  -- person-shaped single word and an acronym mention at once; gaz: f is
  -- a gazetteer hit
  local function record(f, gaz)
    local kind = f.kind
    if kind == "person" then
      return person(f, gaz)
    elseif kind == "org" then
      org(f)
    else
      place(f)
    end
    return true
  end
  local hits, nh, h = gz.hits, gz.n, 1
  if not gz.disjoint then
    -- overlapping hits: resolved with the others, the in-scope hits
    -- listed first, so that on the same span a hit wins
    local all, is_hit = {}, {}
    for k = 1, nh do all[k] = hits[k]; is_hit[hits[k]] = true end
    table.move(found, 1, #found, nh + 1, all)
    extract.resolve(all, nil, function(f) return record(f, is_hit[f]) end)
    return out
  end
  -- Disjoint hits overlap no other candidate (those were left out as
  -- claimed) and each makes a record: they need no resolving, only their
  -- turn in document order, before the first candidate after them.
  -- (a hit out of scope, or replaced by the place holding it, is false; I
  -- holds every claim's start, in order: read from a column, not from
  -- each hit's record)
  -- The loop keeps its state in locals (upvalues cost an instruction
  -- each time, for most of the document's records).
  local I = gz.I
  local function hits_before(i)
    local m, stop, I_, hits_, out_ = n, nh + 1, I, hits, out
    for k = h, nh do
      if I_[k] >= i then stop = k; break end
      local f = hits_[k]
      if f then
        -- a place hit is its own record (see place)
        if f.kind == "place" then
          m = m + 1; out_[m] = f
        else
          n = m; record(f, true); m = n
        end
      end
    end
    h, n = stop, m
  end
  if #found > 0 then
    extract.resolve(found, nil, function(f)
      hits_before(f.i)
      return record(f)
    end)
  end
  hits_before(math.huge)
  return out
end

M.records = records

return M
