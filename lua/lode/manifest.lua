--- lode.manifest: what the analyst knows of a corpus' documents that their
-- pages do not say (the outlet of a bare text file, a date, a language).
--
-- A manifest is a CSV file with a header row: `path` (required), then any
-- columns; `outlet`, `date` and `language` are the usual ones. A row's
-- path is a document's identity (doc.id: its path below the root it was
-- found under, "corpus/2024/000.txt"); a dataset file's path covers its
-- rows. The CSV is read by the core's reader (lode.core.csv_record).
--
-- manifest.read(path) -> m, or raises "FILE:LINE: message" for a file that
--   cannot be read, a bad CSV record, no `path` column, a row without a
--   path, or a path listed twice.
--   m.file, m.columns (the header), m.rows: {path, line, fields = {col =
--   value}} in file order, m.by_path[path] = row.
-- m:row(doc) -> the row of `doc` (its id, or for a dataset row its file's),
--   marking it used; nil when the manifest has none.
-- m:unused() -> messages "FILE:LINE: no document PATH was read" for the
--   rows no document matched.
-- manifest.attach(doc, m) -> row: remembers doc's row (weakly), which
--   manifest.row_of(doc) returns: lode.meta reads it as its first source
--   (sources[field].from == "manifest") and lode.summary groups by it.
-- lode.corpus(paths, {manifest = m_or_path}) attaches every document and,
-- at the end, reports the unused rows through its on_error.

local core = require "lode.core"

local setmetatable, getmetatable, error, ipairs, type, format =
  setmetatable, getmetatable, error, ipairs, type, string.format

local M = {}
local Manifest = {}
Manifest.__index = Manifest

-- A manifest path as documents are named: no "./", doubled or trailing
-- slashes (the rule of core/files.h, applied by the core).
local tidy = core.names({})

function M.read(path)
  local doc, err = core.load(path, {format = "text"})
  if not doc then error(err, 0) end
  local m = setmetatable({file = path, rows = {}, by_path = {}}, Manifest)
  local pos, last, header, col = 1, #doc, nil, nil
  while pos <= last do
    local at = doc:line_of(pos)
    local values, msg, _, _, next_pos = core.csv_record(doc, pos)
    if not values then error(msg, 0) end   -- msg names the file, line and byte
    pos = next_pos
    if not (#values == 1 and values[1] == "") then
      if not header then
        header = values
        for k, h in ipairs(header) do if h == "path" then col = k end end
        if not col then error(format("%s:%d: no \"path\" column in the header", path, at), 0) end
        m.columns = header
      else
        local p = values[col]
        if not p or p == "" then error(format("%s:%d: a row without a path", path, at), 0) end
        p = tidy(0, p)
        if m.by_path[p] then
          error(format("%s:%d: %s is listed already, on line %d", path, at, p, m.by_path[p].line), 0)
        end
        local fields = {}
        for k, h in ipairs(header) do
          if k ~= col and values[k] and values[k] ~= "" then fields[h] = values[k] end
        end
        local row = {path = p, line = at, fields = fields}
        m.rows[#m.rows + 1] = row
        m.by_path[p] = row
      end
    end
  end
  if not header then error(path .. ": an empty manifest (a header row with a path column is needed)", 0) end
  return m
end

function Manifest:row(doc)
  local id = doc.id
  local row = self.by_path[id]
  if not row and doc.row then
    local file = id:match("^(.*)#%d+$")
    row = file and self.by_path[file]
  end
  if row then row.used = true end
  return row
end

function Manifest:unused()
  local out = {}
  for _, row in ipairs(self.rows) do
    if not row.used then
      out[#out + 1] = format("%s:%d: no document %s was read", self.file, row.line, row.path)
    end
  end
  return out
end

local attached = setmetatable({}, {__mode = "k"})
-- The rows attached by document id, for the sections of a huge document
-- (doc:sections): each is a new Doc with the document's id. Weak values:
-- an entry lives as long as its manifest.
local attached_id = setmetatable({}, {__mode = "v"})

function M.attach(doc, m)
  local row = m:row(doc)
  attached[doc] = row
  attached_id[doc.id] = row
  return row
end

function M.row_of(doc)
  local row = attached[doc]
  if row == nil and doc.section then row = attached_id[doc.id] end
  return row
end

--- m_or_path as a manifest: read when it is a path.
function M.of(m_or_path)
  if type(m_or_path) == "string" then return M.read(m_or_path) end
  if getmetatable(m_or_path) ~= Manifest then
    error("a manifest or the path of one expected", 2)
  end
  return m_or_path
end

return setmetatable(M, {__call = function(_, path) return M.read(path) end})
