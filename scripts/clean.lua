-- clean.lua [--labels | --json | --text] [--learn] PATHS... : the article of each page.
-- Default: the body lines (title, headings, body) verbatim from the original
-- (for an HTML page, the lines of the file that hold them; --text: the
-- text lode derived from the page instead).
-- --labels: every line as "label<TAB>line". --json: one JSON line per block
-- ({"kind":"block","label":...,"text":...,"span":[...],"line":...}) then the
-- page's meta record. --learn: first learn a corpus model from all PATHS, so
-- lines repeated across the pages count as boilerplate.
-- Exit status: 0; 1 when no document could be read; 2 usage.
local lode = require "lode"
local clean = require "lode.clean"
local meta = require "lode.meta"
local cli = require "lode.cli"

local USAGE = "usage: lode clean [--labels|--json|--text] [--learn] [--manifest FILE] PATHS...\n"
local o, paths = cli.parse(arg, {name = "clean", usage = USAGE,
  flags = {["--labels"] = "labels", ["--json"] = "json", ["--learn"] = "learn", ["--text"] = "text"}})
if #paths == 0 then cli.fail({name = "clean", usage = USAGE}, "no documents given") end
local mode = (o.json and "json") or (o.labels and "labels") or "body"
local learn, as_text = o.learn, o.text

local out = require "lode.out"

-- The article's lines, verbatim. An HTML page's are the lines of the
-- file that hold its body text (markup and all: what a reader of the file
-- cites), each once; other documents' are the lines of their text.
local function body_lines(doc, blocks)
  local lines, text = {}, doc:text()
  local file, seen
  if doc.format == "html" and doc.path and not as_text then
    -- the page's own lines, as the core splits them (LF, CRLF, CR)
    file, seen = assert(lode.load(doc.path, {format = "text", invalid = "replace"})), {}
  end
  for _, b in ipairs(blocks) do
    if clean.BODY[b.label] then
      for _, k in ipairs(b.lines) do
        local i, j = doc:line_span(k)
        if not file then
          lines[#lines + 1] = text:sub(i, j)
        elseif j >= i then
          for n = doc:file_line(i), doc:file_line(j) do
            if not seen[n] then seen[n] = true; lines[#lines + 1] = file:line(n) end
          end
        end
      end
    end
  end
  return lines
end

local opts = {}
if learn then opts.model = clean.corpus_model(paths) end

local count = 0
for _, p in ipairs(paths) do count = count + #(lode.expand(p) or {}) end
local many = count > 1
local docs, status = cli.documents(paths, {manifest = o.manifest})
-- One document, or one section of a huge one (doc:sections).
local function clean_part(doc)
  local blocks = clean(doc, opts)
  if mode == "body" then
    for _, line in ipairs(body_lines(doc, blocks)) do io.write(line, "\n") end
  elseif mode == "labels" then
    local L = blocks.labels
    for line, k in doc:lines() do io.write(L[k], "\t", line, "\n") end
  else
    local records = {}
    for _, b in ipairs(blocks) do
      records[#records + 1] = {kind = "block", label = b.label, text = doc:sub(b.i, b.j),
        i = b.i, j = b.j, line = b.line_first, line_last = doc:file_line(b.j)}
    end
    records[#records + 1] = meta.record(doc, opts)
    out.jsonl(doc, records)
  end
end

for doc in docs do
  if many and mode ~= "json" then io.write("==> ", doc.id, " <==\n") end
  for part in doc:sections() do clean_part(part) end
end
cli.finish("clean", status)
