--- lode.extract: facts with provenance.
-- lode.extract.dates(doc [, opts]), .quantities, .quotes, .entities each
-- return an array of records {kind, text, i, j, line, value, ...} where
-- doc:sub(r.i, r.j) == r.text (1-based inclusive bytes of the original).
-- lode.extract.all(doc [, opts]) returns the meta record then every kind.
-- By default only the article (lode.clean's title, heading and body blocks)
-- is searched; opts.body = false searches the whole page.

local require, ipairs, pairs, type, package, setmetatable =
  require, ipairs, pairs, type, package, setmetatable

local span_at = require("lode").span_at

local M = {}
M.KINDS = {"dates", "quantities", "quotes", "entities"}

-- Per-document results shared between extractors (quotes needs the
-- entities, quantities the dates, both the typography view): computed once
-- per document and key, dropped with the document (weak keys).
local shared = setmetatable({}, {__mode = "k"})

--- The value `fn(doc)` under `key` for `doc`, computed on first use.
-- Callers must treat the value as read-only: it is handed to every caller.
function M.shared(doc, key, fn)
  local t = shared[doc]
  if not t then t = {}; shared[doc] = t end
  local v = t[key]
  if v == nil then
    v = fn(doc)
    t[key] = v
  end
  return v
end

--- A fresh array of fresh shallow copies of `records`: what the public
-- extractor functions return, so a caller's edits never reach the cache.
function M.copy(records)
  local out = {}
  for n, r in ipairs(records) do
    local c = {}
    for k, v in pairs(r) do c[k] = v end
    out[n] = c
  end
  return out
end

--- text:sub(i, j) widened or narrowed so it does not cut a UTF-8 sequence
-- in two (a look-around window for the extractors' rules).
function M.window(text, i, j)
  local s = text:sub(i, j)
  if i > 1 then s = s:gsub("^[\128-\191]+", "") end
  if j < #text then s = s:gsub("[\192-\255][\128-\191]*$", "") end
  return s
end

--- A predicate telling whether byte range [i, j] lies in the part of `doc`
-- that extraction covers (the article body unless opts.body == false).
function M.scope(doc, opts)
  if opts and opts.body == false then
    return function() return true end
  end
  if not package.searchpath("lode.clean", package.path) then
    return function() return true end
  end
  local spans = require("lode.clean").body_spans(doc, opts)   -- sorted, non-overlapping {i, j}
  -- a snippet of a few lines in which the cleaner finds no article (a
  -- sentence, a pasted paragraph) is all text: there is no page around it
  if #spans == 0 and doc:line_count() <= 3 then
    return function() return true end
  end
  return function(i, j)
    local s = span_at(spans, i)
    return s ~= nil and j <= s.j
  end
end

--- Every record of a document: meta first, then each kind in M.KINDS.
function M.all(doc, opts)
  local out = {}
  if package.searchpath("lode.meta", package.path) then
    out[1] = require("lode.meta").record(doc, opts)
  end
  for _, kind in ipairs(M.KINDS) do
    for _, r in ipairs(M[kind](doc, opts)) do out[#out + 1] = r end
  end
  return out
end

return setmetatable(M, {__index = function(t, k)
  if type(k) ~= "string" then return nil end
  local found = package.searchpath("lode.extract." .. k, package.path)
  if not found then return nil end
  local mod = require("lode.extract." .. k)
  t[k] = mod
  return mod
end})
