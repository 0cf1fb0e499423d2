-- formats.lua KIND FILE: time one format step on FILE, CPU seconds on stderr
-- as "bench: KIND=S" (tests/bench/formats.py drives it):
--   html   lode.load as HTML: read, UTF-8 check, parse, text and file map
--   text   lode.load as plain text (what html costs on top of)
--   csv    split a CSV file into records (lode.core.csv_record per record)
--   jsonl  split a JSON-lines file into rows and find each row's text
--          member (line spans + lode.core.json_string_span)
--   rows   doc:rows() of a dataset: the above plus lua-cjson decoding of
--          each row and a Doc per row
local lode = require "lode"
local core = require "lode.core"
local kind, path = arg[1], arg[2]
local clock = os.clock
local t0, n = clock(), 0
if kind == "html" or kind == "text" then
  local doc = assert(lode.load(path, {format = kind}))
  n = doc:line_count()
elseif kind == "csv" then
  local doc = assert(lode.load(path, {format = "text"}))
  local pos, last, csv_record = 1, #doc, core.csv_record
  t0 = clock()
  while pos <= last do
    local values, _, _, _, next_pos = csv_record(doc, pos)
    pos = values and next_pos or _
    n = n + 1
  end
elseif kind == "jsonl" then
  local doc = assert(lode.load(path, {format = "text"}))
  local span = core.json_string_span
  t0 = clock()
  for line in doc:lines() do
    if span(line, "text") then n = n + 1 end
  end
elseif kind == "rows" then
  local doc = assert(lode.load(path))
  t0 = clock()
  for row in doc:rows() do
    if row then n = n + 1; row:close() end
  end
else
  error("usage: formats.lua html|text|csv|jsonl|rows FILE")
end
io.stderr:write(string.format("bench: %s=%.4f\n", kind, clock() - t0))
print(n)
