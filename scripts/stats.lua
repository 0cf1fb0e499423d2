-- stats.lua COMMAND [OPTIONS] PATHS... : corpus statistics (lode.stats).
--
--   freq                     frequency list: item, freq, range, per_million
--   ngrams N                 clusters of N words, the same columns
--   collocates NODE          collocates of the word NODE: o, freq, e, mi,
--                            g2, t, logdice
--   keywords --ref REF...    keywords of PATHS against the documents REF
--                            (every path after --ref is a reference):
--                            freq, ref_freq, g2, log_ratio, pct_diff, sign
--   dispersion TERM          range, DP, DP norm and Juilland's D of a word
--                            or phrase, then one row per part
--
--   --page                   count the whole page, not just the article body
--   --min N                  least frequency (co-occurrences for collocates)
--   --min-freq N             collocates: least corpus frequency of a collocate
--   --left N, --right N      collocates: window span (default 5, 5)
--   --by MEASURE             collocates: logdice (default), mi, g2, t, o;
--                            dispersion: doc (default), year, month, site
--   --negative               keywords: also the under-used words
--   --g2 X                   keywords: least G2 (default 3.84, p < 0.05)
--   --top N                  rows shown (default 50; 0 for all)
--   --format md|csv|json     Markdown table (default), CSV, JSON lines
--
-- Exit status: 0 when every path was read, 1 when a path is missing or
-- unreadable or no document was found, 2 for bad usage.
--
-- Usage: lode stats collocates peace --by g2 corpus/
local lode = require "lode"
local cli = require "lode.cli"
local meta = require "lode.meta"
local out = require "lode.out"
local stats = require "lode.stats"

local USAGE = [[
usage: lode stats freq|ngrams N|collocates NODE|dispersion TERM
         [OPTIONS] PATHS...
       lode run scripts/stats.lua keywords [OPTIONS] PATHS... --ref REF...
options: --page --min N --min-freq N --left N --right N --by MEASURE
         --negative --g2 X --top N --format md|csv|json --manifest FILE
]]
local SPEC = {name = "stats", usage = USAGE,
  flags = {["--page"] = "page", ["--negative"] = "negative"},
  values = {["--min"] = "min", ["--min-freq"] = "min_freq", ["--left"] = "left",
            ["--right"] = "right", ["--by"] = "by", ["--top"] = "top",
            ["--format"] = "format", ["--g2"] = "g2"},
  lists = {["--ref"] = "ref"}}
local function fail(msg) cli.fail(SPEC, msg) end

local o, args = cli.parse(arg, SPEC)
local command = table.remove(args, 1)
-- what each command reads after its name, and its columns
local COMMANDS = {
  freq = {columns = {"item", "freq", "range", "per_million"}},
  ngrams = {arg = "N", columns = {"item", "freq", "range", "per_million"}},
  collocates = {arg = "NODE", columns = {"item", "o", "freq", "e", "mi", "g2", "t", "logdice"}},
  keywords = {columns = {"item", "freq", "ref_freq", "g2", "log_ratio", "pct_diff", "sign"}},
  dispersion = {arg = "TERM", kind = "part", columns = {"name", "freq", "tokens"}},
}
local cmd = COMMANDS[command or ""]
if not cmd then fail(command and "unknown command '" .. command .. "'" or "no command given") end
local what = cmd.arg and table.remove(args, 1)
if cmd.arg and not what then fail(command .. " needs " .. cmd.arg) end
if #args == 0 then fail("no documents given") end
if command == "keywords" and not (o.ref and #o.ref > 0) then fail("keywords needs --ref REF...") end

local function count(v, name)
  if v == nil then return nil end
  local n = math.tointeger(tonumber(v))
  if not n or n < 0 then fail(name .. " needs a non-negative integer") end
  return n
end
local opts = {page = o.page, min = count(o.min, "--min"), min_freq = count(o.min_freq, "--min-freq"),
              left = count(o.left, "--left"), right = count(o.right, "--right"),
              negative = o.negative, g2 = o.g2 and tonumber(o.g2)}
if o.g2 and not opts.g2 then fail("--g2 needs a number") end
local top = count(o.top, "--top") or 50
local fmt = o.format or "md"
if not ({md = true, csv = true, json = true})[fmt] then fail("unknown format '" .. fmt .. "'") end

-- The documents of some paths; a path that fails is reported, and exits 1
-- once the output is written.
local failed = false
local function documents(paths)
  local docs = {}
  for doc in lode.corpus(paths, {on_error = function(_, msg)
    failed = true
    io.stderr:write("stats: ", msg, "\n")
  end, manifest = o.manifest}) do docs[#docs + 1] = doc end
  if #docs == 0 then
    io.stderr:write("stats: no document read from ", table.concat(paths, " "), "\n")
    os.exit(1)
  end
  return docs
end

-- Parts of a corpus for dispersion over time or outlets.
local function stated(doc, field)
  local v = meta(doc)[field]
  return type(v) == "string" and v or nil     -- a missing field may be JSON null
end
local function date_part(len)
  return function(doc)
    local d = stated(doc, "published")
    return d and d:sub(1, len) or "undated"
  end
end
local PARTS = {
  year = date_part(4),
  month = date_part(7),
  site = function(doc) return stated(doc, "site") or "unknown" end,
}

local ok, rows, head = pcall(function()
  local docs = documents(args)
  if command == "freq" then return stats.frequencies(docs, opts)
  elseif command == "ngrams" then
    local n = math.tointeger(tonumber(what))
    if not n or n < 1 then fail("ngrams needs a positive integer N") end
    return stats.ngrams(docs, n, opts)
  elseif command == "collocates" then
    opts.by = o.by
    return stats.collocates(docs, what, opts)
  elseif command == "keywords" then
    return stats.keywords(docs, documents(o.ref), opts)
  else
    if o.by and not PARTS[o.by] and o.by ~= "doc" then fail("--by is doc, year, month or site") end
    opts.part = o.by and PARTS[o.by]
    local d = stats.dispersion(docs, what, opts)
    return d.per_part, d
  end
end)
if not ok then fail(tostring(rows):gsub("^[^:]*:%d+: ", "")) end

if top > 0 then for k = #rows, top + 1, -1 do rows[k] = nil end end
local HEAD = {"item", "freq", "range", "parts", "dp", "dp_norm", "juilland_d"}
if fmt == "json" then
  if command == "dispersion" then
    local rec = {kind = "dispersion"}
    for _, c in ipairs(HEAD) do rec[c] = head[c] end
    io.write(out.encode(rec), "\n")
  end
  for _, r in ipairs(rows) do
    local rec = {kind = cmd.kind or command}
    for _, c in ipairs(cmd.columns) do rec[c] = r[c] end
    io.write(out.encode(rec), "\n")
  end
elseif fmt == "csv" then
  out.csv(rows, cmd.columns)
else
  -- three decimals are enough to read; CSV and JSON keep every digit
  local function readable(t, columns)
    local shown = {}
    for k, r in ipairs(t) do
      local x = {}
      for _, c in ipairs(columns) do
        x[c] = math.type(r[c]) == "float" and string.format("%.3f", r[c]) or r[c]
      end
      shown[k] = x
    end
    out.markdown(shown, columns)
  end
  if command == "dispersion" then
    readable({head}, HEAD)
    io.write("\n")
  end
  readable(rows, cmd.columns)
end
os.exit(failed and 1 or 0)
