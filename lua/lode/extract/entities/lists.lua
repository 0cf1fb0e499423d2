--- lode.extract.entities.lists: the vocabularies, gazetteers and regex
-- pieces the entity stages read (lode.words lists under lua/lode/data/).
-- An analyst changes what counts as a title, a connector, a month or a
-- place cue in the data files; this module only gathers them.

local lode = require "lode"
local words = require "lode.words"
local core = require "lode.core"
local ipairs, pairs, table, pcall, select, setmetatable, math =
      ipairs, pairs, table, pcall, select, setmetatable, math
local lower = string.lower

local M = {}

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
M.demonym_map = demonym_map

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

--- The entry id above which the shipped gazetteer `g`'s entries come from
-- the world files (math.huge for any other gazetteer).
function M.world_from(g) return world_from[g] or math.huge end

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

M.titles_alt = titles_alt

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

-- Capitalised runs (lode.core.capruns, core/capruns.h): capitalised words
-- (letters with inner hyphen parts, an abbreviated title with its period,
-- a middle initial: "Donald J. Trump"), one space or tab and up to 3
-- connectors or particles between two of them, at most 12 words: a line
-- of 100,000 capitalised words is read in pieces, in linear time. A
-- possessive ’s ends a run.
local ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Prof", "Sen", "Gov", "Amb", "St"}
local MAX_RUN_WORDS, MAX_RUN_CONNECTORS = 12, 3
local capruns
--- The matcher of capitalised runs, made once.
function M.capruns()
  capruns = capruns or core.capruns(sorted_keys(NOT_IN_NAME, NAME_PARTICLE), ABBREVIATIONS,
    MAX_RUN_WORDS, MAX_RUN_CONNECTORS)
  return capruns
end

M.NOT_IN_NAME, M.NAME_PARTICLE, M.sorted_keys = NOT_IN_NAME, NAME_PARTICLE, sorted_keys

-- Direction words start place names ("East Caspian", "South Caucasus").
local COMPASS = words.list("compass_words")
-- Sentence adverbs that are capitalised only because a sentence starts.
local SENT_ADV = words.list("sentence_adverbs")
M.COMPASS, M.SENT_ADV = COMPASS, SENT_ADV

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
    verbs = words.list("speech_verbs"), credit = words.list("credit_cues"),
  }
  return lists_cache
end
M.MONTHS, M.TITLE_TAIL, M.word_lists = MONTHS, TITLE_TAIL, word_lists

--- fn memoised on its first argument across documents: what it computes
-- depends on the shipped lists only. Capped: a huge corpus must not grow
-- the memo forever. fn never returns nil.
-- A memo of MEMO_MAX entries is a megabyte or two per Lua state: a batch
-- job's memory must not grow with its corpus.
local MEMO_MAX = 8192
local function memo_across_docs(fn)
  local memo, n = {}, 0
  -- (two more arguments at most: a vararg function costs more to call)
  return function(w, a, b)
    local v = memo[w]
    if v == nil then
      v = fn(w, a, b)
      if n >= MEMO_MAX then memo, n = {}, 0 end
      memo[w] = v
      n = n + 1
    end
    return v
  end
end

-- Is a capitalised word a function word or sentence adverb that a sequence
M.memo_across_docs, M.MEMO_MAX = memo_across_docs, MEMO_MAX

return M
