-- extract.lua PATHS... : every fact of every document as JSON lines
-- (meta, dates, quantities, quotes, persons, orgs, places), each citing the
-- document, its byte span and line. Options: --all searches the whole page,
-- not just the article body. Exit status: 0; 1 when no document could be
-- read; 2 usage.
local lode = require "lode"
local cli = require "lode.cli"

local USAGE = "usage: lode extract [--all] [--manifest FILE] PATHS...\n"
local o, paths = cli.parse(arg, {name = "extract", usage = USAGE, flags = {["--all"] = "all"}})
if #paths == 0 then cli.fail({name = "extract", usage = USAGE}, "no documents given") end
local opts = o.all and {body = false} or {}

local docs, status = cli.documents(paths, {manifest = o.manifest})
for doc in docs do
  for part in doc:sections() do   -- a huge document piece by piece
    lode.out.jsonl(part, lode.extract.all(part, opts))
  end
end
cli.finish("extract", status)
