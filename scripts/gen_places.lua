-- gen_places.lua [ISO_JSON_DIR] : writes lua/lode/data/world.tsv, the
-- world's countries and their subdivisions as gazetteer places, from
-- Debian's iso-codes (/usr/share/iso-codes/json by default), merged with
-- the hand-kept gazetteers so that each place has one canonical name.
--
--   lode run scripts/gen_places.lua > lua/lode/data/world.tsv
--
-- Generated, not read at run time: every extraction would otherwise parse
-- 1 MB of JSON, and the shipped data would change with the installed
-- package. Rerun after an iso-codes update and review the diff.
--
-- Merging: names that normalize alike (case, accents) are one place; the
-- iso names of one country or subdivision (name, common and official name,
-- "Congo, The Democratic Republic of the" read in order, hyphens also as
-- spaces) are one place; a
-- place named in caucasus.tsv or places.tsv keeps that file's canonical
-- name (Erevan -> Yerevan when places.tsv says so). A subdivision's name
-- that is an English word in lower case (Debian's wamerican,
-- /usr/share/dict/words: "Reading", "Central", "Male") or a single word of
-- four letters or fewer is left out: the gazetteer ignores case.
local lode = require "lode"
local words = require "lode.words"
local cjson = require "cjson"

local dir = arg[1] or "/usr/share/iso-codes/json"

local function read_json(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local t = cjson.decode(f:read("a"))
  f:close()
  return t
end

local FOLD = {form = "NFKC", casefold = true, strip_marks = true, fold = "typography"}
local function key(s) return lode.from_string(s, {name = "k"}):normalize(FOLD):text() end

local skip = {}
local english_word = {}   -- any case: "Argentine" is French for Argentina and an English adjective
for w in io.lines("/usr/share/dict/words") do
  english_word[w] = true
  if w:match("^%l") then skip[w] = true end
end

-- Union of names into places: parent[k] is the key a key was merged into.
local parent, shown, canonical_of, order, from_iso = {}, {}, {}, {}, {}
local function find(k)
  while parent[k] ~= k do k = parent[k] end
  return k
end
local function add(name)
  local k = key(name)
  if not parent[k] then parent[k], shown[k] = k, name; order[#order + 1] = k end
  return k
end
local function union(a, b)
  a, b = find(a), find(b)
  if a ~= b then parent[b] = a; canonical_of[a] = canonical_of[a] or canonical_of[b] end
end

-- 1. The hand-kept files: their canonicals win, their aliases stay theirs.
local hand = {}
for _, file in ipairs{"caucasus.tsv", "places.tsv"} do
  for _, f in ipairs(words.rows(file)) do
    if f[3] == "place" then
      local a, c = add(f[1]), add(f[2] ~= "" and f[2] or f[1])
      canonical_of[find(c)] = canonical_of[find(c)] or shown[c]
      union(c, a)
      hand[key(f[1])], hand[key(f[2])] = true, true
    end
  end
end

--- Are all the words of a name English words ("South West", "Arctic
-- Region")? Then it names a direction or a kind of place, not one place.
local function english(name)
  for w in name:gmatch("[^%s%-]+") do
    if not skip[w:lower()] then return false end
  end
  return true
end

--- The names of an iso entry: "Congo, The Democratic Republic of the" as
-- "Democratic Republic of the Congo", and "Congo" as a weak name (see
-- below); "Holy See (Vatican City State)" and "Catalunya [Cataluña]" as
-- both names; "the State of Palestine" without its article.
local function names_of(e)
  local strong, weak = {}, {}
  local function put(list, s)
    s = s:gsub("^[Tt]he ", ""):gsub("^%s+", ""):gsub("%s+$", "")
    if s ~= "" then list[#list + 1] = s end
    -- "Thừa Thiên-Huế" is also written "Thua Thien Hue"; not "South West"
    -- (words of English are a direction there, not a name)
    local spaced = s:gsub("(%S)%-(%S)", "%1 %2")
    if spaced ~= s and not english(spaced) then list[#list + 1] = spaced end
  end
  for _, field in ipairs{"common_name", "name", "official_name"} do
    local s = e[field]
    if s then
      local base, alt = s:match("^(.-)%s*[%(%[](.-)[%)%]]$")
      -- "Isle of Anglesey [Sir Ynys Môn GB-YNM]": the other name, not its code
      if base then s = base; alt = alt:gsub("%s+%u%u%-%w+$", "") end
      -- Chinese subdivisions carry their level: "Beijing Shi", "Guangdong Sheng"
      local stem = s:match("^(.-) Shi$") or s:match("^(.-) Sheng$") or s:match("^(.-) Zizhiqu$")
      if stem then put(strong, stem) end
      local a, b = s:match("^([^,]+),%s*(.+)$")
      if not a then
        put(strong, s)
        if base and not english(alt) then put(strong, alt) end
      elseif b:match(" of$") or b:match(" of the$") then
        b = b:gsub("%b()%s*", "")
        put(strong, b .. " " .. a); put(weak, a)
      else
        put(strong, s); put(weak, a)          -- "USSR, Union of Soviet ..."
      end
    end
  end
  return strong, weak
end

--- Is a name too risky to match: a listed common word, or one short word?
local function risky(name)
  local k = key(name)
  return not k:find("[%s%-]") and (skip[k] or #name <= 4)
end

-- A weak name ("Korea" of "Korea, Republic of") joins its place only when
-- no other iso entry has it, strong or weak: it would merge two places.
-- When a hand file names it, the iso entry joins that place (USSR).
local weak_of, weak_names = {}, {}
local function add_entry(e, is_country)
  local first
  local strong, weak = names_of(e)
  for _, n in ipairs(strong) do
    if is_country or not risky(n) then
      local k = add(n)
      from_iso[k] = true
      if first then union(first, k) else first = k end
    end
  end
  if not first then return end
  if not canonical_of[find(first)] then canonical_of[find(first)] = shown[first] end
  for _, n in ipairs(weak) do
    local k = key(n)
    if weak_of[k] == nil then weak_names[#weak_names + 1] = n; weak_of[k] = first
    else weak_of[k] = false end
  end
  return first
end

-- Countries' names in the languages of LANGS, from iso-codes' own
-- translation catalogs (msgunfmt, Debian's gettext): "Arménie" joins
-- Armenia. A translated name that is an English word in any case
-- ("Argentine"), a given name ("Maurice") or one short word is left out.
local LANGS = {"fr"}
local given = words.list("given_names")
local function catalog(lang)
  local t = {}
  local f = io.popen("msgunfmt --no-wrap /usr/share/locale/" .. lang .. "/LC_MESSAGES/iso_3166-1.mo 2>/dev/null")
  if not f then return t end
  local id
  for line in f:lines() do
    local q = line:match('^msgid "(.*)"$')
    if q then id = q end
    local s = line:match('^msgstr "(.*)"$')
    if s and id and s ~= "" then t[id] = s end
  end
  f:close()
  return t
end
-- Adds the translations of an entry's names to its place `first`; a name
-- another place already has stays that place's ("Saint-Martin" of both
-- halves of the island); a name's parenthesis or inverted tail is dropped.
local function add_translation(e, tr, first)
  for _, field in ipairs{"common_name", "name", "official_name"} do
    local s = e[field] and tr[e[field]]
    -- "Russie, Fédération de" as "Russie"
    s = s and s:gsub("%s*[%(%[].-[%)%]]$", ""):gsub(",.*$", "")
    if s then
      local spaced = s:gsub("(%S)%-(%S)", "%1 %2")
      for _, n in ipairs{s, spaced ~= s and not english(spaced) and spaced or nil} do
        local k = key(n)
        if not risky(n) and not english_word[n] and not given[n] and (not parent[k] or find(k) == find(first)) then
          add(n); from_iso[k] = true; union(first, k)
        end
      end
    end
  end
end

local tr = {}
for n, lang in ipairs(LANGS) do tr[n] = catalog(lang) end
for _, e in ipairs(read_json("iso_3166-1.json")["3166-1"]) do
  local first = add_entry(e, true)
  for _, t in ipairs(tr) do add_translation(e, t, first) end
end
for _, e in ipairs(read_json("iso_3166-3.json")["3166-3"]) do add_entry(e, true) end
for _, n in ipairs(weak_names) do
  local k = key(n)
  if weak_of[k] and not from_iso[k] then
    if parent[k] then union(k, weak_of[k]) else union(weak_of[k], add(n)); from_iso[k] = true end
  end
end
for _, e in ipairs(read_json("iso_3166-2.json")["3166-2"]) do add_entry(e, false) end

local version = "?"
local f = io.popen("dpkg-query -W -f='${Version}' iso-codes 2>/dev/null")
if f then version = f:read("a"); f:close() end

io.write("# world.tsv -- generated by scripts/gen_places.lua from Debian's iso-codes ",
  version, ":\n# ISO 3166-1 countries, ISO 3166-3 former countries, ISO 3166-2",
  " subdivisions.\n# Do not edit: add variants to places.tsv (or caucasus.tsv)",
  " and rerun.\n# Format as caucasus.tsv: alias<TAB>canonical<TAB>kind\n")
for _, k in ipairs(order) do
  if from_iso[k] and not hand[k] then
    local c = canonical_of[find(k)] or shown[find(k)]
    io.write(shown[k], "\t", c, "\tplace\n")
  end
end
