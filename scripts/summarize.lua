-- summarize.lua [OPTIONS] PATHS... : the corpus report. Per document its
-- title, outlet, date, authors, size and frequent content words; over the
-- corpus the actors (people, organisations, places with roles), a timeline
-- of every date with its sentence, quotes by speaker, and how each outlet
-- frames things (which names and spellings it uses, its distinctive words).
-- Every fact cites document:line (JSON adds byte spans).
--
--   --format md|json|html|csv   output format (default md, Markdown)
--   -o FILE                     write to FILE instead of stdout; with csv and
--                               no --table, FILE is a prefix: FILE-<table>.csv
--                               for every table
--   --table NAME                the CSV table: documents (default), actors,
--                               timeline, quotes, variants, distinctive
--   --top N                     entries per ranked list (words, actors)
--   --all                       extract from the whole page, not just the article
--   --manifest FILE             a corpus manifest (CSV: path, outlet, date, ...)
--   --group COLUMN              compare outlets (default) or any manifest or
--                               meta column: language, date, region...
--
-- Usage: lode run scripts/summarize.lua corpus/
-- Exit status: 0; 1 when no document could be read or FILE not written;
-- 2 usage.
local summary = require "lode.summary"
local cli = require "lode.cli"
local report = require "lode.report"

local USAGE = "usage: lode run scripts/summarize.lua [--format md|json|html|csv] [-o FILE]\n" ..
              "       [--table NAME] [--top N] [--all] [--manifest FILE] [--group COLUMN] PATHS...\n"

local function fail(msg)
  io.stderr:write("summarize: ", msg, "\n", USAGE)
  os.exit(2)
end

local paths, fmt, outfile, tbl, top, extract_opts = {}, "md", nil, nil, nil, nil
local manifest, group = nil, nil
local k = 1
while k <= #arg do
  local a = arg[k]
  local function value()
    k = k + 1
    if not arg[k] then fail("option " .. a .. " needs a value") end
    return arg[k]
  end
  if a == "--format" or a == "-f" then fmt = value()
  elseif a:match("^%-%-format=") then fmt = a:match("=(.*)")
  elseif a == "-o" or a == "--output" then outfile = value()
  elseif a == "--table" then tbl = value()
  elseif a == "--top" then
    top = tonumber(value())
    if not top or top < 1 then fail("--top needs a positive number") end
    top = math.floor(top)
  elseif a == "--all" then extract_opts = {body = false}
  elseif a == "--manifest" then manifest = value()
  elseif a == "--group" then group = value()
  elseif a == "-h" or a == "--help" then io.stdout:write(USAGE); os.exit(0)
  elseif a:sub(1, 1) == "-" and a ~= "-" then fail("unknown option " .. a)
  else paths[#paths + 1] = a end
  k = k + 1
end
if fmt == "markdown" then fmt = "md" end
if not ({md = true, json = true, html = true, csv = true})[fmt] then
  fail("unknown format '" .. fmt .. "'")
end
if #paths == 0 then fail("no documents given") end
if tbl then
  local ok = false
  for _, name in ipairs(report.TABLES) do ok = ok or name == tbl end
  if not ok then fail("unknown table '" .. tbl .. "' (" .. table.concat(report.TABLES, ", ") .. ")") end
end

if top then
  summary.TOP, summary.DISTINCTIVE, report.TOP = top, top, top
end
local docs, status = cli.documents(paths, {manifest = manifest})
local s = summary.corpus(docs, {extract = extract_opts, group = group})
cli.finish("summarize", status)

local function write(path, text)
  if not path then io.stdout:write(text); return end
  local fh, err = io.open(path, "wb")
  if not fh then io.stderr:write("summarize: ", err, "\n"); os.exit(1) end
  fh:write(text)
  fh:close()
end

if fmt == "md" then write(outfile, report.markdown(s, {top = top}))
elseif fmt == "json" then write(outfile, report.json(s) .. "\n")
elseif fmt == "html" then write(outfile, report.html(s, {top = top}))
elseif tbl or not outfile then write(outfile, report.csv(s, tbl or "documents"))
else
  local prefix = outfile:gsub("%.csv$", "")
  for _, name in ipairs(report.TABLES) do
    write(prefix .. "-" .. name .. ".csv", report.csv(s, name))
  end
end
