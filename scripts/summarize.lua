-- summarize.lua PATHS... : per document and for the whole corpus, the size
-- (bytes, lines, paragraphs, sentences, words) and the most frequent
-- content words. Usage: lode run scripts/summarize.lua corpus/
local lode = require "lode"

if #arg == 0 then
  io.stderr:write("usage: lode run scripts/summarize.lua PATHS...\n")
  os.exit(2)
end

local function top_words(top)
  local parts = {}
  for k, wc in ipairs(top) do parts[k] = string.format("%s (%d)", wc[1], wc[2]) end
  return table.concat(parts, ", ")
end

local function row(name, s)
  return string.format("| %-28s | %8d | %6d | %5d | %6d | %7d |",
    name, s.bytes, s.lines, s.paragraphs, s.sentences, s.words)
end

local report = lode.summary.corpus(lode.corpus({table.unpack(arg)}))
print("| document                     |    bytes |  lines | paras | sents. |   words |")
print("|------------------------------|---------:|-------:|------:|-------:|--------:|")
for _, s in ipairs(report.documents) do print(row(s.name, s)) end
print(row(string.format("TOTAL (%d documents)", report.totals.documents), report.totals))
print()
for _, s in ipairs(report.documents) do
  print(string.format("%s: %s", s.name, top_words(s.top)))
end
print(string.format("corpus: %s", top_words(report.totals.top)))
