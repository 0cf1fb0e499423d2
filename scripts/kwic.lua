-- kwic.lua [OPTIONS] PATTERN PATHS... : a concordance of PATTERN over a
-- corpus, one hit a line, citing document:line (JSON adds byte spans).
-- PATTERN is a regular expression (PCRE2, caseless) matched on whole words.
--
--   -F, --fixed        PATTERN is a word or phrase, not a regex (spaces
--                      match any run of white space)
--   --entry NAME       instead of PATTERN: every spelling of a gazetteer
--                      entry (lode/data/caucasus.tsv) the document uses,
--                      as lode.extract.entities finds them; NAME is the
--                      entry's name or any of its aliases
--   --partial          also match inside words
--   --sort left|right  order hits by their left context read outwards
--                      (L1, L2, ...) or their right context (R1, R2, ...),
--                      case-folded; default: corpus order
--   --width N          context characters on each side (default 40)
--   --page             search the whole page, not just the article body
--   --format text|csv|json
--                      text (default): "doc:line  left[match]right";
--                      csv: doc,line,start,end,left,match,right;
--                      json: one record a line (lode.out)
--
-- Exit status: 0 when every path was read (even with no hit), 1 when a
-- path is missing or unreadable or no document was found, 2 for bad usage
-- (an unknown option, a bad regex).
--
-- Usage: lode kwic --sort right peace corpus/
local lode = require "lode"
local cli = require "lode.cli"
local out = require "lode.out"
local words = require "lode.words"

local USAGE = "usage: lode kwic [-F] [--partial] [--sort left|right]\n" ..
              "       [--width N] [--page] [--format text|csv|json] [--manifest FILE] PATTERN PATHS...\n" ..
              "       lode run scripts/kwic.lua [OPTIONS] --entry NAME PATHS...\n"

local SPEC = {name = "kwic", usage = USAGE,
  flags = {["-F"] = "fixed", ["--fixed"] = "fixed", ["--partial"] = "partial", ["--page"] = "page"},
  values = {["--sort"] = "sort", ["--width"] = "width", ["--format"] = "format",
            ["--entry"] = "entry"}}
local function fail(msg) cli.fail(SPEC, msg) end

local o, paths = cli.parse(arg, SPEC)
local pattern = not o.entry and table.remove(paths, 1)
local width = math.tointeger(tonumber(o.width or 40))
local sort, fmt = o.sort, o.format or "text"
if not pattern and not o.entry then fail("no pattern given") end
if #paths == 0 then fail("no documents given") end
if not width or width < 0 then fail("--width needs a non-negative integer") end
if sort and sort ~= "left" and sort ~= "right" then fail("--sort is left or right") end
if not ({text = true, csv = true, json = true})[fmt] then fail("unknown format '" .. fmt .. "'") end

local function literal(text) return (text:gsub("[%^$().%[%]*+?{}|\\/-]", "\\%0"):gsub("%s+", "\\s+")) end
local function whole(p)
  if o.partial then return p end
  return [[(?<![\p{L}\p{N}\p{M}_])(?:]] .. p .. [[)(?![\p{L}\p{N}\p{M}_])]]
end

local re, gazetteer, entry
if o.entry then
  gazetteer = require("lode.extract.entities").gazetteer()
  if not gazetteer then fail("no gazetteer (lode/data/caucasus.tsv) to read --entry from") end
  -- NAME is the entry's name or any of its aliases: the whole of NAME
  -- must be one gazetteer hit
  for m in gazetteer:scan(lode.from_string(o.entry)) do
    if m.i == 1 and m.j == #o.entry then entry = lode.normalize(m.canonical, lode.MATCH_FORM) end
  end
  if not entry then fail("no gazetteer entry '" .. o.entry .. "'") end
elseif o.fixed then
  re = lode.regex(whole(literal(pattern)), "i")
else
  local valid, err = pcall(lode.regex, pattern, "i")   -- name the user's pattern
  if not valid then fail(err) end
  re = lode.regex(whole(pattern), "i")
end

-- The regex of a text: PATTERN's, or the spellings of --entry the text
-- uses (longest first), nil when it uses none.
local function regex_for(src)
  if not entry then return re end
  local seen, forms = {}, {}
  for m in gazetteer:scan(src) do
    if not seen[m.text] and lode.normalize(m.canonical, lode.MATCH_FORM) == entry then
      seen[m.text] = true
      forms[#forms + 1] = literal(m.text)
    end
  end
  if #forms == 0 then return nil end
  table.sort(forms, function(a, b) return #a > #b or (#a == #b and a < b) end)
  return lode.regex(whole(table.concat(forms, "|")), "i")
end

-- Hits of every document, as records in corpus order.
local hits, ndocs, failed = {}, 0, false
local function on_error(_, msg)
  failed = true
  io.stderr:write("kwic: ", msg, "\n")
end
for doc in lode.corpus(paths, {on_error = on_error, manifest = o.manifest}) do
  ndocs = ndocs + 1
  -- the article alone, contexts included, unless --page (or no article
  -- is found); its hits are cited in the file through body:origin
  local body = not o.page and doc:body()
  if body and body.text == "" then body = nil end
  local src = body and lode.from_string(body.text, {name = doc.name}) or doc
  local src_re = regex_for(src)
  for _, l in ipairs(src_re and lode.kwic(src, src_re, width) or {}) do
    local i, j, line = l.i, l.j, l.line
    if body then
      i, j = body:origin(i, j)
      line = doc:line_of(i)
    end
    local r = out.record(doc, {kind = "kwic", left = l.left, text = l.match, right = l.right,
                               line = line, i = i, j = j})
    hits[#hits + 1] = {rec = r, n = #hits + 1}
  end
end
if ndocs == 0 then
  io.stderr:write("kwic: no document read from ", table.concat(paths, " "), "\n")
  os.exit(1)
end

-- Sort keys: the context's folded words, nearest the hit first.
if sort then
  for _, h in ipairs(hits) do
    local t = words.tokens(sort == "left" and h.rec.left or h.rec.right)
    if sort == "left" then
      for x = 1, #t // 2 do t[x], t[#t - x + 1] = t[#t - x + 1], t[x] end
    end
    h.key = table.concat(t, " ")
  end
  table.sort(hits, function(a, b) return a.key < b.key or (a.key == b.key and a.n < b.n) end)
end
for x, h in ipairs(hits) do hits[x] = h.rec end

if fmt == "text" then
  for _, r in ipairs(hits) do
    io.write(r.doc, ":", r.line, "  ", r.left, "[", r.text, "]", r.right, "\n")
  end
elseif fmt == "csv" then
  for _, r in ipairs(hits) do r.start, r["end"], r.match = r.span[1], r.span[2], r.text end
  out.csv(hits, {"doc", "line", "start", "end", "left", "match", "right"})
else
  for _, r in ipairs(hits) do io.write(out.encode(r), "\n") end
end
os.exit(failed and 1 or 0)
