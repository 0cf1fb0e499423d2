--- lode.out: records out as JSON lines, JSON, CSV and Markdown.
-- A record in Lua cites its document with 1-based inclusive i, j (like
-- string.sub); out.record() turns it into the JSON-lines schema of the
-- README: "span": [i - 1, j] (0-based, end-exclusive bytes) and "line".
-- Keys are written in a fixed order (doc, kind, text, value, ... span, line)
-- so output is stable and diffable; values are encoded by lua-cjson.

local cjson = require "cjson"
local encode = cjson.encode
local pairs, ipairs, next, type, table, tostring = pairs, ipairs, next, type, table, tostring

local M = {}

-- Debian's lua-cjson 2.1.0 encodes an empty table as {} and escapes "/";
-- records only ever hold arrays (authors) as tables, and "\/" is noise.
local function encode_value(v)
  if type(v) == "table" and next(v) == nil then return "[]" end
  return (encode(v):gsub("\\/", "/"))
end

--- Key order for every record; unknown keys follow, sorted.
M.ORDER = {"doc", "kind", "error", "name", "text", "value", "unit", "counts",
           "qualifier", "modifier", "speaker", "role", "acronym", "canonical",
           "title", "authors", "published", "site"}
local TAIL = {span = true, line = true}
local rank = {}
for k, key in ipairs(M.ORDER) do rank[key] = k end

--- Encode a flat table with keys in M.ORDER, then the rest sorted, then
-- span and line. cjson.null / nil values: nil is left out.
function M.encode(t)
  local keys = {}
  for k in pairs(t) do
    if not TAIL[k] then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ra, rb = rank[a] or 1000, rank[b] or 1000
    if ra ~= rb then return ra < rb end
    return tostring(a) < tostring(b)
  end)
  if t.span ~= nil then keys[#keys + 1] = "span" end
  if t.line ~= nil then keys[#keys + 1] = "line" end
  local parts = {}
  for k, key in ipairs(keys) do
    parts[k] = encode_value(tostring(key)) .. ":" .. encode_value(t[key])
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

--- The JSON-lines form of a record found in `doc`: adds "doc", turns
-- i, j into "span" and drops Lua-only fields (i, j, and any key starting
-- with "_").
function M.record(doc, r)
  local out = {doc = doc and doc.name or r.doc}
  for k, v in pairs(r) do
    if k ~= "i" and k ~= "j" and not (type(k) == "string" and k:sub(1, 1) == "_") then
      out[k] = v
    end
  end
  if r.i and r.j then out.span = {r.i - 1, r.j} end
  return out
end

--- Write records as JSON lines to a file handle (default io.stdout).
function M.jsonl(doc, records, fh)
  fh = fh or io.stdout
  for _, r in ipairs(records) do
    fh:write(M.encode(M.record(doc, r)), "\n")
  end
end

local function csv_cell(v)
  if v == nil or v == cjson.null then return "" end
  if type(v) == "table" then v = encode_value(v) end
  v = tostring(v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

--- CSV (RFC 4180) of records with the given columns.
function M.csv(rows, columns, fh)
  fh = fh or io.stdout
  local cells = {}
  for k, c in ipairs(columns) do cells[k] = csv_cell(c) end
  fh:write(table.concat(cells, ","), "\r\n")
  for _, r in ipairs(rows) do
    for k, c in ipairs(columns) do cells[k] = csv_cell(r[c]) end
    fh:write(table.concat(cells, ","), "\r\n")
  end
end

local function md_cell(v)
  if v == nil or v == cjson.null then return "" end
  if type(v) == "table" then v = table.concat(v, ", ") end
  return (tostring(v):gsub("|", "\\|"):gsub("[\r\n]+", " "))
end

--- A Markdown table of rows with the given columns.
function M.markdown(rows, columns, fh)
  fh = fh or io.stdout
  local sep = {}
  for k in ipairs(columns) do sep[k] = "---" end
  fh:write("| ", table.concat(columns, " | "), " |\n| ", table.concat(sep, " | "), " |\n")
  for _, r in ipairs(rows) do
    local cells = {}
    for k, c in ipairs(columns) do cells[k] = md_cell(r[c]) end
    fh:write("| ", table.concat(cells, " | "), " |\n")
  end
end

--- Escape text for HTML.
function M.html_escape(s)
  return (tostring(s):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;", ["'"] = "&#39;"}))
end

M.null = cjson.null
M.decode = cjson.decode
return M
