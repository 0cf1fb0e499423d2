--- lode.extract.entities.coord: 6. places by coordination. In a list of
-- capitalised names whose known items are all places ("Sotk, Norabak,
-- Verin Shorzha and Jermuk", "the villages of Baghanis, Voskepar and
-- Kirants"), an item no list knows is a place too: news pages list the
-- villages and towns of a front that no gazetteer holds.
--
-- A list is three items or more; it takes nothing when one of its items
-- is a person or an organization, or holds no known place.

local lists = require "lode.extract.entities.lists"
local ipairs, math = ipairs, math
local find, sub = string.find, string.sub
local core = require "lode.core"
local coord_gaps, coord_list = core.coord_gaps, core.coord_list

local M = {}

-- An item is one to three capitalised words (letters, hyphens; no
-- apostrophe: "Pashinyan's" is no place name), one space or tab between;
-- items are joined by ", ", ", and ", " and ", " or " (spaces or tabs).
-- Lists do not cross lines, and hold three items or more. The byte walk
-- is in C (core/coord.c).
local MAX_WORDS, MIN_ITEMS, MAX_ITEMS = 3, 3, 24

-- Whether word w (an item of one word) can name nothing: a month or
-- weekday, a function word or sentence adverb ("Finally, Baku and
-- Moscow"), a title, a demonym.
local function no_name(L, w)
  local low = w:lower()
  return lists.MONTHS[w] or L.stop[low] or lists.SENT_ADV[w] or L.titles_low[low] or L.dem[w] ~= nil
end

-- The places a list adds: {i, j} of its unknown items when its known
-- items are places (see the module's comment), else none. The list's
-- items are I[k], J[k], k = 1..n.
local function unknown_places(cx, records, r, I, J, n)
  local text, L = cx.text, cx.L
  -- a word opening its sentence before a comma introduces it ("Finally,
  -- Baku and Moscow ..."): no item
  local from = 1
  if find(text, "^,", J[1] + 1) and not find(sub(text, I[1], J[1]), "%s")
      and (I[1] == 1 or find(sub(text, math.max(1, I[1] - 3), I[1] - 1), "[.!?\n][%s\"”’*_]*$")) then
    from = 2
  end
  if n - from + 1 < MIN_ITEMS then return {} end
  local places, others, unknown = 0, 0, {}
  local k = r
  for q = from, n do
    local ii, ij = I[q], J[q]
    while k > 1 and records[k - 1].j >= ii do k = k - 1 end
    while records[k] and records[k].j < ii do k = k + 1 end
    local rec = records[k]
    if rec and rec.i <= ij then
      if rec.kind == "place" then places = places + 1 else others = others + 1 end
    elseif find(sub(text, ii, ij), "%s") or not no_name(L, sub(text, ii, ij)) then
      unknown[#unknown + 1] = {i = ii, j = ij}
    end
  end
  if places > 0 and others == 0 then return unknown end
  return {}
end

--- The records with a place added for each unknown item of a list of
-- places (see the module's comment), in document order. `records` are
-- link.records' (document order), cx the entity stage's context.
function M.places(doc, cx, records)
  local nr = #records
  if nr == 0 then return records end
  -- a list of three has a comma: where one stands before a capital (C)
  local text = cx.text
  local SI, SJ = coord_gaps(text)
  local added, done, r = {}, 0, 1
  for n = 1, #SI do
    local si, sj = SI[n], SJ[n]
    -- (records outnumber these commas, and are in order: four at a step)
    while r + 3 <= nr and records[r + 3].i <= sj do r = r + 4 end
    while r <= nr and records[r].i <= sj do r = r + 1 end
    local prev, nxt = records[r - 1], records[r]
    local known_before = prev and prev.j == si - 1
    local known_after = nxt and nxt.i == sj + 1
    -- a list of known names only adds nothing; one where a known name is
    -- no place adds nothing either
    if si > done and not (known_before and known_after)
        and not (known_before and prev.kind ~= "place") and not (known_after and nxt.kind ~= "place") then
      local I, J = coord_list(text, sj + 1, known_after and nxt.j or nil, MAX_WORDS, MAX_ITEMS, MIN_ITEMS)
      if I then
        done = J[#J]
        for _, it in ipairs(unknown_places(cx, records, math.max(1, r - 1), I, J, #I)) do
          if cx.inscope(it.i, it.j) then
            local t = sub(text, it.i, it.j)
            added[#added + 1] = {kind = "place", text = t, i = it.i, j = it.j,
              line = doc:line_of(it.i), name = t}
          end
        end
      end
    end
  end
  -- both lists are in document order and no added item starts where a
  -- record does (it overlaps none): merged from the end, in place (a sort
  -- with a Lua comparison cost more than the lists themselves)
  local q, k = #added, nr + #added
  while q > 0 do
    local rec, a = records[nr], added[q]
    if rec and rec.i > a.i then
      records[k], nr = rec, nr - 1
    else
      records[k], q = a, q - 1
    end
    k = k - 1
  end
  return records
end

return M
