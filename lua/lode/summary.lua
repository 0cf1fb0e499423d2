--- lode.summary: per-document and corpus summaries.
-- summary.document(doc) -> {name, bytes, lines, paragraphs, sentences,
--   words, top = {{word, count}, ...}}
-- summary.corpus(iter_or_array) -> {documents = {...}, totals = {...}}

local words = require "lode.words"
local ipairs, type = ipairs, type

local M = {}
M.TOP = 10

function M.document(doc, counts)
  local own = words.count(doc)
  if counts then
    for w, c in pairs(own) do counts[w] = (counts[w] or 0) + c end
  end
  return {
    name = doc.name, bytes = #doc, lines = doc:line_count(),
    paragraphs = #doc:paragraphs(), sentences = #doc:sentences(),
    words = #doc:words(), top = words.top(own, M.TOP),
  }
end

--- Summarize every document of an iterator (lode.corpus) or array of Docs.
function M.corpus(docs)
  local counts, out = {}, {}
  local totals = {documents = 0, bytes = 0, lines = 0, paragraphs = 0, sentences = 0, words = 0}
  local function add(doc)
    local s = M.document(doc, counts)
    out[#out + 1] = s
    totals.documents = totals.documents + 1
    for _, k in ipairs{"bytes", "lines", "paragraphs", "sentences", "words"} do
      totals[k] = totals[k] + s[k]
    end
  end
  if type(docs) == "function" then
    for doc in docs do add(doc) end
  else
    for _, doc in ipairs(docs) do add(doc) end
  end
  totals.top = words.top(counts, M.TOP)
  return {documents = out, totals = totals}
end

return M
