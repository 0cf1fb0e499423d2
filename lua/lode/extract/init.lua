--- lode.extract: facts with provenance.
-- lode.extract.dates(doc [, opts]), .quantities, .quotes, .entities each
-- return an array of records {kind, text, i, j, line, value, ...} where
-- doc:sub(r.i, r.j) == r.text (1-based inclusive bytes of the original).
-- lode.extract.all(doc [, opts]) returns the meta record then every kind.
-- By default only the article (lode.clean's title, heading and body blocks)
-- is searched; opts.body = false searches the whole page.

local require, type, package, setmetatable =
  require, type, package, setmetatable

local span_at = require("lode").span_at
local core = require "lode.core"

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
-- extractor functions return, so a caller's edits never reach the cache
-- (in C, lua/lcopy.c: each copy made at its final size).
M.copy = core.copy_records

--- text:sub(i, j) narrowed so it does not cut a UTF-8 sequence in two (a
-- look-around window for the extractors' rules): a character the window
-- cuts is left out at either end. In C (core/utf8.c): the extractors cut
-- thousands of windows a page.
M.window = core.window

--- resolve(cands [, claimed [, accept]]) -> the candidates kept, in
-- document order: leftmost-longest over tables {i, j [, prio]} (then the
-- lower prio, then the earlier in `cands`), none overlapping another or a
-- span of `claimed`; with `accept`, a candidate is kept only when
-- accept(c) is true, else its bytes stay free for the next ones. In C
-- (core/resolve.c): every extractor resolves its candidates this way.
M.resolve = core.resolve

--- sort_spans(list) -> list sorted in place by start, longest first, then
-- prio, then list order.
M.sort_spans = core.resolve_sort

-- The capital of a lower-case Russian letter (two bytes), else nil.
local function cyrillic_upper(c)
  local b1, b2 = c:byte(1, 2)
  if b1 == 0xD0 and b2 >= 0xB0 and b2 <= 0xBF then return string.char(0xD0, b2 - 0x20) end  -- а-п
  if b1 == 0xD1 and b2 >= 0x80 and b2 <= 0x8F then return string.char(0xD0, b2 + 0x20) end  -- р-я
  if b1 == 0xD1 and b2 == 0x91 then return "\208\129" end                                     -- ё
end

--- cyrillic_cases(word) -> {lower, Capitalised, CAPITALS}: a Russian word
-- of a vocabulary (lower case, as the lists write it) as text writes it,
-- for the C word sets that pre-filter rules and fold ASCII letters only
-- (every mix of cases would be 2^n words); nil when a letter of `word`
-- is no lower-case Russian one.
function M.cyrillic_cases(word)
  local lower, cap, upper = {}, {}, {}
  for c in word:gmatch(utf8.charpattern) do
    local u = cyrillic_upper(c)
    if not u then return nil end
    lower[#lower + 1], upper[#upper + 1] = c, u
    cap[#cap + 1] = #cap == 0 and u or c
  end
  if #lower == 0 then return nil end
  return {table.concat(lower), table.concat(cap), table.concat(upper)}
end

-- require(name) for the modules all() and scope_spans() use on every
-- document: one already loaded is read from the table require reads first
-- (package.loaded), without require's call.
local loaded = package.loaded
local function required(name) return loaded[name] or require(name) end

--- Whether module `name` can be required, looked up on disk once per
-- package.path (extractors ask for every document).
local found, found_path = {}, nil
local function available(name)
  if package.path ~= found_path then found, found_path = {}, package.path end
  local v = found[name]
  if v == nil then
    v = package.searchpath(name, package.path) ~= nil
    found[name] = v
  end
  return v
end
M.available = available

--- The sorted, non-overlapping spans {i, j} of `doc` that extraction
-- covers (the article body), or nil when it covers all the text:
-- opts.body == false, no cleaner, or a snippet of a few lines in which the
-- cleaner finds no article (a sentence, a pasted paragraph: there is no
-- page around it).
function M.scope_spans(doc, opts)
  if (opts and opts.body == false) or not available("lode.clean") then return nil end
  local spans = required("lode.clean").body_spans(doc, opts)
  if #spans == 0 and doc:line_count() <= 3 then return nil end
  return spans
end

local function everything() return true end

--- A predicate telling whether byte range [i, j] lies in one span of the
-- sorted, non-overlapping `spans` (everywhere when spans is nil).
function M.in_spans(spans)
  if not spans then return everything end
  -- the bounds of the span of the previous answer, callers mostly going
  -- forward (kept as numbers: a field read is a VM instruction a call);
  -- none at first
  local si, sj = 1, 0
  return function(i, j)
    if i < si or i > sj then
      local s = span_at(spans, i)
      if not s then return false end
      si, sj = s.i, s.j
    end
    return j <= sj
  end
end

--- A predicate telling whether byte range [i, j] lies in the part of `doc`
-- that extraction covers (see M.scope_spans).
function M.scope(doc, opts)
  return M.in_spans(M.scope_spans(doc, opts))
end

-- The parts of all(doc) (default options) computed ahead by M.STAGES:
-- part name ("meta" or a kind) -> the meta record or the kind's records.
-- Weak keys: a document dropped unread takes its parts with it.
local ahead = setmetatable({}, {__mode = "k"})

--- Every record of a document: meta first, then each kind in M.KINDS.
-- all() is the last reader of the document's shared results: it takes the
-- entity records themselves instead of copies and drops the cache, so the
-- records it returns are the caller's alone all the same. Parts computed
-- ahead by M.STAGES are taken as they are.
function M.all(doc, opts)
  local got = opts == nil and ahead[doc]
  if got then ahead[doc] = nil end
  local out, n = {}, 0
  if available("lode.meta") then
    out[1] = got and got.meta or required("lode.meta").record(doc, opts)
    n = #out
  end
  local kinds = M.KINDS
  for m = 1, #kinds do                   -- not ipairs: a C call a step
    local kind = kinds[m]
    local records = got and got[kind]
      or (kind == "entities" and M.entities.shared(doc, opts) or M[kind](doc, opts))
    for k = 1, #records do out[n + k] = records[k] end
    n = n + #records
  end
  shared[doc] = nil
  return out
end

--- all(doc) in stages, for a batch of documents: each function of
-- M.STAGES computes a part of all(doc) (default options) and keeps it for
-- all(). Run stage by stage over a batch (a batch job's `prepare`:
-- scripts/jobs/extract.lua), a stage's code, compiled regexes and tables
-- stay in the CPU's caches from one document to the next, where all()
-- per document runs every stage in turn: the batch job spends ~13% less
-- CPU. The records are the same: each part depends on the document alone.
M.STAGES = {}
local PARTS = {"scope", "meta", "dates", "quantities", "entities", "quotes"}
for s = 1, #PARTS do
  local part = PARTS[s]
  M.STAGES[s] = function(doc)
    if part == "scope" then M.scope_spans(doc); return end       -- the cleaner's cache
    if part == "entities" then M.entities.shared(doc); return end  -- the shared cache
    if part == "meta" and not available("lode.meta") then return end
    local t = ahead[doc]
    if not t then t = {}; ahead[doc] = t end
    t[part] = part == "meta" and required("lode.meta").record(doc) or M[part](doc)
  end
end

return setmetatable(M, {__index = function(t, k)
  if type(k) ~= "string" then return nil end
  if not package.searchpath("lode.extract." .. k, package.path) then return nil end
  local mod = require("lode.extract." .. k)
  t[k] = mod
  return mod
end})
