--- lode.variants: propose spelling-variant clusters of names in a corpus,
-- for an analyst to confirm into the gazetteer (lode/data/caucasus.tsv).
--
-- variants.clusters(docs_or_paths [, opts]) -> array of
--   {key = "nhchvn", forms = {Nakhchivan = 12, Nakhichevan = 3}}
-- sorted by total count, only clusters with >= 2 distinct forms.
-- variants.key(word) -> the transliteration-aware key of one word.
-- variants.tsv(clusters) -> "alias<TAB>canonical<TAB>kind" lines (canonical =
-- the most frequent form; kind from the gazetteer when a form is known there,
-- else opts.kind or "term").
--
-- The key folds what transliterations of Armenian, Azerbaijani and Russian
-- names disagree on: diacritics (lode.normalize strip_marks), ə -> a, kh/x ->
-- h, ou -> u, dj -> j, ts -> c, y -> i, doubled letters; then it keeps the
-- first letter, the consonants and whether it ends in a vowel, so vowel choices (Kelbajar/Kalbajar,
-- -ian/-yan, Nakhichevan/Nakhchivan) do not split a cluster. Words shorter
-- than opts.min_len (5) are skipped: short keys collide too easily.
-- Capitalised words are found with one regex pass per document (C speed);
-- Lua only touches each distinct word once.

local lode = require "lode"
local ipairs, pairs, type, table = ipairs, pairs, type, table

local M = {}

local WORD = [[(?<![\p{L}\p{M}\-])\p{Lu}[\p{L}\p{M}]+(?:-\p{Lu}[\p{L}\p{M}]+)*(?![\p{L}\p{M}])]]
local FOLD = {form = "NFKC", casefold = true, strip_marks = true, fold = "typography"}

--- The cluster key of one word (see the module comment).
function M.key(word)
  local w = lode.normalize(word, FOLD)
  w = w:gsub("ə", "a"):gsub("ı", "i"):gsub("’", ""):gsub("'", ""):gsub("%-", "")
  w = w:gsub("kh", "h"):gsub("x", "h"):gsub("ou", "u"):gsub("dj", "j")
       :gsub("dzh", "j"):gsub("zh", "j"):gsub("ts", "c"):gsub("tch", "ch")
       :gsub("y", "i"):gsub("w", "v"):gsub("q", "g"):gsub("ck", "k")
  w = w:gsub("(%a)%1", "%1")
  local first, rest = w:sub(1, 1), w:sub(2)
  -- a final vowel is kept as "V": Azerbaijan/Azerbaijani, Israel/Israeli
  -- are different words, Shusha/Shushi are one
  local final = rest:match("[aeiou]$") and "V" or ""
  rest = rest:gsub("[aeiou]", "")
  return first .. rest .. final
end

local function each_doc(src, fn)
  if type(src) == "string" then src = {src} end
  for _, d in ipairs(src) do
    if type(d) == "string" then
      local doc = lode.load(d, {invalid = "replace"})
      if doc then fn(doc) end
    else
      fn(d)
    end
  end
end

function M.clusters(src, opts)
  opts = opts or {}
  local min_len = opts.min_len or 5
  local stop = require("lode.words").list("stopwords_en")
  local counts = {}
  each_doc(src, function(doc)
    for m in doc:gmatch(WORD) do
      local w = m.text
      if #w >= min_len then counts[w] = (counts[w] or 0) + 1 end
    end
  end)
  local by_key = {}
  for w, n in pairs(counts) do
    if not stop[w:lower()] then
      local k = M.key(w)
      if #k >= 3 then
        local c = by_key[k]
        if not c then c = {key = k, forms = {}, total = 0, nforms = 0}; by_key[k] = c end
        c.forms[w] = n
        c.total = c.total + n
        c.nforms = c.nforms + 1
      end
    end
  end
  local out = {}
  for _, c in pairs(by_key) do
    if c.nforms >= 2 then
      c.nforms = nil
      out[#out + 1] = c
    end
  end
  table.sort(out, function(a, b) return a.total > b.total or (a.total == b.total and a.key < b.key) end)
  return out
end

--- Most frequent form of a cluster (ties: alphabetical).
function M.canonical(c)
  local best, bn
  for f, n in pairs(c.forms) do
    if not bn or n > bn or (n == bn and f < best) then best, bn = f, n end
  end
  return best
end

function M.tsv(clusters, opts)
  opts = opts or {}
  local ok, ent = pcall(require, "lode.extract.entities")
  local g = ok and ent.gazetteer() or nil
  local lines = {}
  for _, c in ipairs(clusters) do
    local forms = {}
    for f in pairs(c.forms) do forms[#forms + 1] = f end
    table.sort(forms)
    local canon = M.canonical(c)
    local kind = c.kind or opts.kind or "term"
    if g then
      -- the first form (in sorted order) the gazetteer knows names the
      -- canonical and kind, so the output does not depend on table order
      for _, f in ipairs(forms) do
        local known
        for m in g:scan(lode.from_string(f, {name = "form"})) do
          if m.i == 1 and m.j == #f then known = m end
        end
        if known then
          kind, canon = known.kind, known.canonical
          break
        end
      end
    end
    for _, f in ipairs(forms) do
      if f ~= canon then lines[#lines + 1] = f .. "\t" .. canon .. "\t" .. kind end
    end
  end
  return table.concat(lines, "\n") .. (#lines > 0 and "\n" or "")
end

return M
