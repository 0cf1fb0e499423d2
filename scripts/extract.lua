-- extract.lua PATHS... : every fact of every document as JSON lines
-- (meta, dates, quantities, quotes, persons, orgs, places), each citing the
-- document, its byte span and line. Options: --all searches the whole page,
-- not just the article body. Exit status: 0; 1 when no document could be
-- read; 2 usage.
local lode = require "lode"
local cli = require "lode.cli"

local USAGE = "usage: lode run scripts/extract.lua [--all] PATHS...\n"
local paths, opts = {}, {}
for _, a in ipairs(arg) do
  if a == "--all" then opts.body = false
  elseif a == "-h" or a == "--help" then io.stdout:write(USAGE); os.exit(0)
  elseif a:sub(1, 1) == "-" and a ~= "-" then io.stderr:write("extract: unknown option ", a, "\n", USAGE); os.exit(2)
  else paths[#paths + 1] = a end
end
if #paths == 0 then
  io.stderr:write(USAGE)
  os.exit(2)
end

local docs, status = cli.documents(paths)
for doc in docs do
  lode.out.jsonl(doc, lode.extract.all(doc, opts))
end
cli.finish("extract", status)
