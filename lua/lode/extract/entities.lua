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
--
-- The stages, one module each under lode.extract.entities:
--   lists   the vocabularies and gazetteers (lua/lode/data/)
--   find    candidates: gazetteer hits (claiming their bytes), capitalised
--           runs, place cues, acronyms
--   shapes  what a capitalised run names, from its words (find's helper)
--   roles   the role a text states for a person
--   link    overlaps resolved, short names linked, the records made
--   coord   the unknown names of a list of places are places

local words = require "lode.words"
local extract = require "lode.extract"
local lists = require "lode.extract.entities.lists"
local find = require "lode.extract.entities.find"
local link = require "lode.extract.entities.link"
local coord = require "lode.extract.entities.coord"
local setmetatable, tostring = setmetatable, tostring

local M = {}

--- The entries of lode/data/NAME (a .txt list) as a set: lode.words.list,
-- under the name quotes.lua asks for.
function M.load_list(name)
  return words.list((name:gsub("%.txt$", "")))
end

--- The shipped gazetteer, or false when none of its files is there.
M.gazetteer = lists.gazetteer

local function compute(doc, opts)
  local g = opts.gazetteer
  if g == nil then g = M.gazetteer() end
  local spans = extract.scope_spans(doc, opts)
  local cx = {L = lists.word_lists(), spans = spans, inscope = extract.in_spans(spans), text = doc:text(),
    acronyms = {}}                -- ACR -> full name
  local gz
  gz, cx.claimed, cx.known_kind = find.gazetteer_candidates(doc, g, spans, cx.L)
  cx.gz = gz
  -- one list, each stage's candidates after the previous stage's (the
  -- order resolve breaks ties by)
  local cands = {}
  find.sequence_candidates(doc, cx, cands)
  find.place_candidates(doc, cx, cands)
  find.acronym_candidates(doc, cx, cands)
  return coord.places(doc, cx, link.records(doc, cx.text, gz, cands))
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

--- Copies of the shared records, each made at its final size in C (a
-- copy filled key by key from Lua cost more than computing the records).
function M.extract(doc, opts)
  return extract.copy(M.shared(doc, opts))
end

return setmetatable(M, {__call = function(_, doc, opts) return M.extract(doc, opts) end})
