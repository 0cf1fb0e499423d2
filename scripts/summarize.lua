-- summarize.lua [OPTIONS] PATHS... : the corpus report. Per document its
-- title, outlet, date, authors, size and frequent content words; over the
-- corpus the actors (people, organisations, places with roles), a timeline
-- of every date with its sentence, quotes by speaker, and how each outlet
-- frames it (which names and spellings it uses, its distinctive words).
-- Every format shows the same tables (lode.report); every fact cites
-- document:line (JSON and CSV add byte spans).
--
--   -f, --format md|json|html|csv   output format (default md, Markdown);
--                               html adds charts (a timeline by outlet, who
--                               appears with whom, distinctive words) and
--                               the documents, each citation a link to its
--                               line; one file, nothing loaded
--   -o, --output FILE           write to FILE instead of stdout; with csv and
--                               no --table, FILE is a prefix: FILE-<table>.csv
--                               for every table
--   --table NAME                the CSV table: documents (default), sizes,
--                               words, actors, timeline, quotes, variants,
--                               outlets, distinctive
--   --top N                     entries per ranked list (words, actors)
--   --all                       extract from the whole page, not just the article
--   --manifest FILE             a corpus manifest (CSV: path, outlet, date, ...)
--   --group COLUMN              compare outlets (default) or any manifest or
--                               meta column: language, date, region...
--
-- Usage: lode summarize corpus/
-- Exit status: 0; 1 when no document could be read or FILE not written;
-- 2 usage.
local summary = require "lode.summary"
local cli = require "lode.cli"
local report = require "lode.report"

local USAGE = "usage: lode summarize [--format md|json|html|csv] [-o FILE]\n" ..
              "       [--table NAME] [--top N] [--all] [--manifest FILE] [--group COLUMN] PATHS...\n"
local SPEC = {name = "summarize", usage = USAGE, flags = {["--all"] = "all"},
  values = {["--format"] = "format", ["-f"] = "format", ["-o"] = "output", ["--output"] = "output",
            ["--table"] = "table", ["--top"] = "top", ["--group"] = "group"}}
local function fail(msg) cli.fail(SPEC, msg) end

local o, paths = cli.parse(arg, SPEC)
local fmt, outfile, tbl = o.format or "md", o.output, o.table
if fmt == "markdown" then fmt = "md" end
if not ({md = true, json = true, html = true, csv = true})[fmt] then
  fail("unknown format '" .. fmt .. "'")
end
if #paths == 0 then fail("no documents given") end
local top = o.top and math.tointeger(tonumber(o.top))
if o.top and not (top and top >= 1) then fail("--top needs a positive integer") end
if tbl then
  local ok = false
  for _, name in ipairs(report.TABLES) do ok = ok or name == tbl end
  if not ok then fail("unknown table '" .. tbl .. "' (" .. table.concat(report.TABLES, ", ") .. ")") end
end

if top then summary.TOP, summary.DISTINCTIVE = top, top end
local docs, status = cli.documents(paths, {manifest = o.manifest})
-- the HTML page shows every document, its lines the citations' targets
local lines
if fmt == "html" then
  lines = {}
  local next_doc = docs
  docs = function()
    local doc = next_doc()
    if doc then
      local t = {}
      for line in doc:lines() do t[#t + 1] = line end
      lines[#lines + 1] = t
    end
    return doc
  end
end
local s = summary.corpus(docs, {extract = o.all and {body = false} or nil, group = o.group})
cli.finish("summarize", status)

local function write(path, text)
  local fh, err = io.stdout, nil
  if path then fh, err = io.open(path, "wb") end
  local ok = fh and fh:write(text)
  if ok and path then ok, err = fh:close() elseif ok then ok, err = fh:flush() end
  if not ok then
    io.stderr:write("summarize: cannot write ", path or "the output", ": ", tostring(err), "\n")
    os.exit(1)
  end
end

local opts = {top = top, lines = lines}
if fmt == "md" then write(outfile, report.markdown(s, opts))
elseif fmt == "json" then write(outfile, report.json(s, opts) .. "\n")
elseif fmt == "html" then write(outfile, report.html(s, opts))
elseif tbl or not outfile then write(outfile, report.csv(s, tbl or "documents", opts))
else
  local prefix = outfile:gsub("%.csv$", "")
  for _, name in ipairs(report.TABLES) do
    write(prefix .. "-" .. name .. ".csv", report.csv(s, name, opts))
  end
end
