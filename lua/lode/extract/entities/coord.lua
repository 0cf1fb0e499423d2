--- lode.extract.entities.coord: 6. places by coordination. In a list of
-- capitalised names whose known items are all places ("Sotk, Norabak,
-- Verin Shorzha and Jermuk", "the villages of Baghanis, Voskepar and
-- Kirants"), an item no list knows is a place too: news pages list the
-- villages and towns of a front that no gazetteer holds.
--
-- A list is three items or more; it takes nothing when one of its items
-- is a person or an organization, or holds no known place.

local lode = require "lode"
local lists = require "lode.extract.entities.lists"
local ipairs, table = ipairs, table
local byte, find, sub = string.byte, string.find, string.sub

local M = {}

-- An item is one to three capitalised words (letters, hyphens; no
-- apostrophe: "Pashinyan's" is no place name), one space or tab between;
-- items are joined by ", ", ", and ", " and ", " or " (spaces or tabs).
-- Lists do not cross lines.
local MAX_WORDS, MAX_ITEMS = 3, 24

-- Is byte c part of a word (an ASCII letter, a hyphen, any byte of a
-- UTF-8 sequence)?
local function word_byte(c)
  return c and (c >= 97 and c <= 122 or c >= 65 and c <= 90 or c == 45 or c >= 128)
end

local upper_re
-- Is the word [a, b] of text capitalised (and free of punctuation such
-- as ’ or —, which UTF-8 writes from byte E2 80)?
local function capital_word(text, a, b)
  local c = byte(text, a)
  if not (c >= 65 and c <= 90 or c >= 192) then return false end
  local w = sub(text, a, b)
  if find(w, "\226[\128\129]") then return false end
  if c < 128 then return true end
  upper_re = upper_re or lode.regex("^\\p{Lu}")
  return upper_re:find(w) ~= nil
end

-- The end of the item starting at byte a, or nil.
local function item_from(text, a)
  local e
  for _ = 1, MAX_WORDS do
    local b = a
    while word_byte(byte(text, b + 1)) do b = b + 1 end
    if not (word_byte(byte(text, a)) and capital_word(text, a, b)) then break end
    e = b
    local sp = byte(text, b + 1)
    if sp ~= 32 and sp ~= 9 then break end
    a = b + 2
  end
  return e
end

-- The start of the item ending at byte e, or nil.
local function item_to(text, e)
  local start
  for _ = 1, MAX_WORDS do
    local a = e
    while a > 1 and word_byte(byte(text, a - 1)) do a = a - 1 end
    if not (word_byte(byte(text, e)) and capital_word(text, a, e)) then break end
    start = a
    local sp = byte(text, a - 1)
    if sp ~= 32 and sp ~= 9 then break end
    e = a - 2
    if e < 1 then break end
  end
  return start
end

-- The separator starting at byte at (", ", ", and ", " and ", " or "): its
-- end, or nil.
local function sep_from(text, at)
  local b, c = at, byte(text, at)
  local comma = c == 44
  if comma then b = b + 1; c = byte(text, b) end
  local sp = b
  while c == 32 or c == 9 do b = b + 1; c = byte(text, b) end
  if b == sp then return nil end
  local _, e = find(text, "^and[ \t]+", b)
  if not e then _, e = find(text, "^or[ \t]+", b) end
  if e then return e end
  if comma then return b - 1 end
end

-- The separator ending at byte e: its start, or nil.
local function sep_to(text, e)
  local a, c = e, byte(text, e)
  while c == 32 or c == 9 do a = a - 1; c = byte(text, a) end
  if a == e then return nil end
  -- a = the byte before the spaces
  if c == 44 then return a end
  local w = (c == 100 and sub(text, a - 2, a) == "and" and 3) or (c == 114 and sub(text, a - 1, a) == "or" and 2)
  if not w then return nil end
  local b = a - w                       -- the byte before the word
  c = byte(text, b)
  if c == 44 then return b end
  if c ~= 32 and c ~= 9 then return nil end
  while c == 32 or c == 9 do b = b - 1; c = byte(text, b) end
  if c == 44 then return b end
  return b + 1
end

-- The items {i, j} of the list through the item p, in order.
local function list_through(text, p)
  local before, items = {}, {}
  local a = p.i
  while #before < MAX_ITEMS do
    local sa = sep_to(text, a - 1)
    local ia = sa and item_to(text, sa - 1)
    if not ia then break end
    before[#before + 1] = {i = ia, j = sa - 1}
    a = ia
  end
  for k = #before, 1, -1 do items[#items + 1] = before[k] end
  items[#items + 1] = {i = p.i, j = p.j}
  local e = p.j
  while #items < MAX_ITEMS do
    local sb = sep_from(text, e + 1)
    local ie = sb and item_from(text, sb + 1)
    if not ie then break end
    items[#items + 1] = {i = sb + 1, j = ie}
    e = ie
  end
  return items
end

-- Whether word w (an item of one word) can name nothing: a month or
-- weekday, a function word or sentence adverb ("Finally, Baku and
-- Moscow"), a title, a demonym.
local function no_name(L, w)
  local low = w:lower()
  return lists.MONTHS[w] or L.stop[low] or lists.SENT_ADV[w] or L.titles_low[low] or L.dem[w] ~= nil
end

-- The places a list adds: {i, j} of its unknown items when its known
-- items are places (see the module's comment), else none.
local function unknown_places(cx, records, r, items)
  local text, L = cx.text, cx.L
  -- a word opening its sentence before a comma introduces it ("Finally,
  -- Baku and Moscow ..."): no item
  local first = items[1]
  if find(text, "^,", first.j + 1) and not find(sub(text, first.i, first.j), "%s")
      and (first.i == 1 or find(sub(text, math.max(1, first.i - 3), first.i - 1), "[.!?\n][%s\"”’*_]*$")) then
    table.remove(items, 1)
  end
  if #items < 3 then return {} end
  local places, others, unknown = 0, 0, {}
  local k = r
  for _, it in ipairs(items) do
    while k > 1 and records[k - 1].j >= it.i do k = k - 1 end
    while records[k] and records[k].j < it.i do k = k + 1 end
    local rec = records[k]
    if rec and rec.i <= it.j then
      if rec.kind == "place" then places = places + 1 else others = others + 1 end
    elseif find(sub(text, it.i, it.j), "%s") or not no_name(L, sub(text, it.i, it.j)) then
      unknown[#unknown + 1] = it
    end
  end
  if places > 0 and others == 0 then return unknown end
  return {}
end

-- A list of three has a comma: where one stands before a capital.
local comma_re

--- The records with a place added for each unknown item of a list of
-- places (see the module's comment), in document order. `records` are
-- link.records' (document order), cx the entity stage's context.
function M.places(doc, cx, records)
  local nr = #records
  if nr == 0 then return records end
  comma_re = comma_re or lode.regex(",[ \\t]+(?:(?:and|or)[ \\t]+)?(?=\\p{Lu})")
  local SI, SJ = doc:match_spans(comma_re)
  local text, added, done, r = cx.text, {}, 0, 1
  for n = 1, #SI do
    local si, sj = SI[n], SJ[n]
    while r <= nr and records[r].i <= sj do r = r + 1 end
    local prev, nxt = records[r - 1], records[r]
    local known_before = prev and prev.j == si - 1
    local known_after = nxt and nxt.i == sj + 1
    -- a list of known names only adds nothing; one where a known name is
    -- no place adds nothing either
    if si > done and not (known_before and known_after)
        and not (known_before and prev.kind ~= "place") and not (known_after and nxt.kind ~= "place") then
      local e = known_after and nxt.j or item_from(text, sj + 1)
      local items = e and list_through(text, {i = sj + 1, j = e})
      if items and #items >= 3 then
        done = items[#items].j
        for _, it in ipairs(unknown_places(cx, records, math.max(1, r - 1), items)) do
          if cx.inscope(it.i, it.j) then
            local t = sub(text, it.i, it.j)
            added[#added + 1] = {kind = "place", text = t, i = it.i, j = it.j,
              line = doc:line_of(it.i), name = t}
          end
        end
      end
    end
  end
  if #added == 0 then return records end
  for _, a in ipairs(added) do records[#records + 1] = a end
  table.sort(records, function(x, y) return x.i < y.i end)
  return records
end

return M
