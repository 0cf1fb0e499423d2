-- extract.lua PATHS... : every fact of every document as JSON lines
-- (meta, dates, quantities, quotes, persons, orgs, places), each citing the
-- document, its byte span and line. Options: --all searches the whole page,
-- not just the article body.
local lode = require "lode"

local paths, opts = {}, {}
for _, a in ipairs(arg) do
  if a == "--all" then opts.body = false
  else paths[#paths + 1] = a end
end
if #paths == 0 then
  io.stderr:write("usage: lode run scripts/extract.lua [--all] PATHS...\n")
  os.exit(2)
end

for doc in lode.corpus(paths) do
  lode.out.jsonl(doc, lode.extract.all(doc, opts))
end
