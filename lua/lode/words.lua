--- lode.words: word lists shipped in lode/data and content-word counting.
-- words.list(name) reads lode/data/<name>.txt (one entry per line, '#'
-- comments) into a set, cached; words.rows(name) reads the same syntax
-- with TAB-separated fields into an array of rows; words.wordset(name) is
-- the same list as a C word set (lode.core.wordset); words.trie(list) is a
-- list of phrases as a regex alternation (a trie); words.count(doc_or_view,
-- opts) counts the case-folded content words of a document with one regex
-- pass in C.

local lode_core = require "lode.core"
local io, ipairs, pairs, table, package = io, ipairs, pairs, table, package

local M = {}
local cache = {}

--- Path of a data file shipped with lode (lode/data/NAME), found next to
-- lode/init.lua on package.path; nil if absent.
function M.data_path(name)
  local init = package.searchpath("lode", package.path)
  if not init then return nil end
  local path = init:gsub("init%.lua$", "") .. "data/" .. name
  local f = io.open(path)
  if not f then return nil end
  f:close()
  return path
end

-- The entries of lode/data/<name>.txt (or of lode/data/<name> when the
-- name has an extension: "cased.tsv") in file order: one a line, lines
-- whose first non-blank character is '#' (comments) and blank lines
-- skipped, spaces around an entry trimmed; '#' elsewhere is text ("C#").
-- `level` names the caller's caller in the error of a missing file.
local function entries(name, level)
  local file = name:find("%.%w+$") and name or name .. ".txt"
  local path = M.data_path(file)
  if not path then error("lode data file not found: " .. file, level + 1) end
  local out = {}
  for line in io.lines(path) do
    local entry = line:match("^%s*(.-)%s*$")
    if entry ~= "" and entry:byte() ~= 35 then out[#out + 1] = entry end   -- "#": a comment
  end
  return out
end

--- The set of entries of lode/data/<name>.txt.
function M.list(name)
  if cache[name] then return cache[name] end
  local set = {}
  for _, entry in ipairs(entries(name, 2)) do set[entry] = true end
  cache[name] = set
  return set
end

--- The entries of lode/data/<name>.txt (or <name> with its extension:
-- "cased.tsv") in file order, each split at TABs into an array of trimmed
-- fields: {"dozen", "12", "scale"}. Same syntax as list(): one entry a
-- line, '#' comments, blank lines skipped.
function M.rows(name)
  local rows = {}
  for n, entry in ipairs(entries(name, 2)) do
    local fields = {}
    for field in (entry .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field:match("^%s*(.-)%s*$") end
    rows[n] = fields
  end
  return rows
end

local wscache = {}

--- The entries of lode/data/<name>.txt as a lode.core WordSet (cached):
-- ws:has(w) and ws:profile(s, i, j) look words up ASCII-case-insensitively
-- in C (see lua/lwordset.c), for loops that would otherwise run per word in
-- Lua. Holds the entries that are already lower case, so ws:has(w) equals
-- list(name)[w:lower()] for every word w.
function M.wordset(name)
  local ws = wscache[name]
  if ws then return ws end
  ws = lode_core.wordset()
  for e in pairs(M.list(name)) do
    if e:lower() == e then ws:add(e) end
  end
  wscache[name] = ws
  return ws
end

--- A regex alternation of phrases (printable UTF-8, one space between
-- words) as a trie: {"four", "fourteen", "forty"} ->
-- "fo(?:rty|ur(?:teen)?)", which PCRE2 reads each letter of once and which
-- matches what the phrases' alternation sorted longest first matches.
-- Letters and digits stand for themselves (characters beyond ASCII too),
-- other ASCII characters are escaped, a space is \\s+. With `prefix`, the
-- trie of the phrases' first `prefix` characters only (what a match must
-- start with). Built in C (core/trie.h): a Lua state's start builds many.
function M.trie(list, prefix)
  return lode_core.trie(list, prefix)
end

local FOLD = {form = "NFKC", casefold = true, fold = "typography"}
local WORD = lode_core.regex([[\p{L}[\p{L}\p{M}']*(?:-\p{L}[\p{L}\p{M}']*)*]])

--- Count content words (no stop words, no 1-2 letter words) of a Doc:
-- returns a map word -> count and the total number of words seen.
function M.count(doc, counts)
  counts = counts or {}
  local stop = M.list("stopwords_en")
  local text = doc:normalize(FOLD):text()
  local total = 0
  for w in WORD:gmatch(text) do
    total = total + 1
    w = w:gsub("'s$", "")
    if #w > 2 and not stop[w] then counts[w] = (counts[w] or 0) + 1 end
  end
  return counts, total
end

--- The words of a string in order, case-folded as M.count folds them
-- ("'s" dropped), stop words and short words included: the tokens that
-- lode.stats counts.
function M.tokens(s)
  local out, n = {}, 0
  for w in WORD:gmatch(lode_core.normalize(s, FOLD)) do
    n = n + 1
    out[n] = w:gsub("'s$", "")
  end
  return out
end

--- The n most frequent entries of a count map, as {word, count} pairs.
function M.top(counts, n)
  local all = {}
  for w, c in pairs(counts) do all[#all + 1] = {w, c} end
  table.sort(all, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  for k = #all, n + 1, -1 do all[k] = nil end
  return all
end

return M
