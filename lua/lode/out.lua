--- lode.out: records out as JSON lines, JSON, CSV and Markdown.
-- A record in Lua cites its document with 1-based inclusive i, j (like
-- string.sub); out.record() turns it into the JSON-lines schema of the
-- README: "span": [i - 1, j] (0-based, end-exclusive bytes) and "line".
-- Keys are written in a fixed order (doc, kind, text, value, ... span, line)
-- so output is stable and diffable; values are encoded by lua-cjson.

local cjson = require "cjson"
local encode = cjson.encode
local pairs, ipairs, next, type, table, tostring = pairs, ipairs, next, type, table, tostring
local concat, find, gsub, mtype = table.concat, string.find, string.gsub, math.type

local M = {}

-- Debian's lua-cjson 2.1.0 encodes an empty table as {} and escapes "/";
-- records only ever hold arrays (authors) as tables, and "\/" is noise.
local function encode_value(v)
  local tv = type(v)
  if mtype(v) == "integer" then return tostring(v) end     -- the common case, exact
  if tv == "table" then
    if next(v) == nil then return "[]" end
    if #v == 2 and mtype(v[1]) == "integer" and mtype(v[2]) == "integer" then
      return "[" .. v[1] .. "," .. v[2] .. "]"              -- spans
    end
  end
  local s = encode(v)
  if (tv == "string" or tv == "table") and find(s, "\\/", 1, true) then
    s = gsub(s, "\\/", "/")
  end
  return s
end

--- Key order for every record; unknown keys follow, sorted.
M.ORDER = {"doc", "kind", "error", "name", "text", "value", "unit", "counts",
           "qualifier", "modifier", "speaker", "role", "acronym", "canonical",
           "title", "authors", "published", "site"}
local TAIL = {"span", "line"}
local known = {span = true, line = true}
for _, key in ipairs(M.ORDER) do known[key] = true end

-- '"key":' for every key seen, so each is encoded once per run.
local key_prefix = setmetatable({}, {__index = function(t, k)
  local p = encode_value(tostring(k)) .. ":"
  t[k] = p
  return p
end})

-- Append '"key":value' to parts[n+1 ...] for each key of `keys` that t holds.
local function add_fields(t, keys, parts, n)
  for _, key in ipairs(keys) do
    local v = t[key]
    if v ~= nil then
      n = n + 1
      parts[n] = key_prefix[key] .. encode_value(v)
    end
  end
  return n
end

local function by_name(a, b) return tostring(a) < tostring(b) end

--- Encode a flat table with keys in M.ORDER, then the rest sorted, then
-- span and line. nil values are left out (cjson.null writes null).
-- Records are written by the million in batch jobs: the fixed keys are
-- visited in order, and only unknown keys (rare) are sorted.
function M.encode(t)
  local parts = {}
  local n = add_fields(t, M.ORDER, parts, 0)
  local extra
  for k in pairs(t) do
    if not known[k] then
      extra = extra or {}
      extra[#extra + 1] = k
    end
  end
  if extra then
    table.sort(extra, by_name)
    n = add_fields(t, extra, parts, n)
  end
  add_fields(t, TAIL, parts, n)
  return "{" .. concat(parts, ",") .. "}"
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
