--- lode.out: records out as JSON lines, JSON; tables as CSV, Markdown, HTML.
-- A record in Lua cites its document with 1-based inclusive i, j (like
-- string.sub); out.record() turns it into the JSON-lines schema of the
-- README: "span": [i - 1, j] (0-based, end-exclusive bytes) and "line".
-- Keys are written in a fixed order (doc, kind, text, value, ... span, line)
-- so output is stable and diffable; values are encoded by lua-cjson.

local cjson = require "cjson"
local core = require "lode.core"
local encode = cjson.encode
local pairs, ipairs, next, type, table, tostring, select = pairs, ipairs, next, type, table, tostring, select
local concat, find, gsub, format, mtype = table.concat, string.find, string.gsub, string.format,
  math.type

local M = {}

-- Debian's lua-cjson 2.1.0 encodes an empty table as {} and escapes "/";
-- records only ever hold arrays (authors) as tables, and "\/" is noise.
local function encode_string(s)
  local e = encode(s)
  if find(e, "\\/", 1, true) then e = gsub(e, "\\/", "/") end
  return e
end

local encode_value

-- An object with its keys sorted: Lua's order of string keys changes from
-- one state to the next (a random hash seed), and a batch job's lines must
-- not depend on which worker wrote them.
local function encode_sorted(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for n, k in ipairs(keys) do keys[n] = encode_string(k) .. ":" .. encode_value(t[k]) end
  return "{" .. concat(keys, ",") .. "}"
end

function encode_value(v)
  if mtype(v) == "integer" then return tostring(v) end     -- the common case, exact
  local tv = type(v)
  if tv == "string" then return encode_string(v) end
  if tv == "table" then
    if next(v) == nil then return "[]" end
    if #v == 2 and mtype(v[1]) == "integer" and mtype(v[2]) == "integer" then
      return "[" .. v[1] .. "," .. v[2] .. "]"              -- spans
    end
    if v[1] == nil then return encode_sorted(v) end
  end
  local s = encode(v)
  if tv == "table" and find(s, "\\/", 1, true) then s = gsub(s, "\\/", "/") end
  return s
end

--- Key order for every record; unknown keys follow, sorted.
M.ORDER = {"doc", "kind", "error", "name", "text", "value", "unit", "counts",
           "qualifier", "modifier", "speaker", "role", "acronym", "canonical",
           "title", "authors", "published", "site"}
local ORDER = M.ORDER
local known = {span = true, line = true}
for _, key in ipairs(M.ORDER) do known[key] = true end

-- '"key":' and ',"key":' for every key seen, so each is encoded once per run.
local function prefixes(sep)
  return setmetatable({}, {__index = function(t, k)
    local p = sep .. encode_value(tostring(k)) .. ":"
    t[k] = p
    return p
  end})
end
local first_key, next_key = prefixes(""), prefixes(",")

-- The object is built in one scratch array (encoding never re-enters
-- itself) and joined once; integers go in as they are (concat writes them
-- as tostring would), so they make no string of their own.
local parts = {"{"}

-- Append '"key":' and the JSON of v to parts[1 .. n]; return the new n.
local function add(n, key, v)
  parts[n + 1] = (n == 1 and first_key or next_key)[key]
  parts[n + 2] = mtype(v) == "integer" and v or encode_value(v)
  return n + 2
end

local function by_name(a, b) return tostring(a) < tostring(b) end

-- Keys of t that are not in the fixed order (and, for a record in its Lua
-- form, not i, j or "_..."), sorted; nil when there are none (the rule).
local function extra_keys(t, lua_form)
  local extra
  for k in pairs(t) do
    if not known[k] and not (lua_form and (k == "i" or k == "j"
        or (type(k) == "string" and find(k, "^_")))) then
      extra = extra or {}
      extra[#extra + 1] = k
    end
  end
  if extra then table.sort(extra, by_name) end
  return extra
end

-- The JSON object of t: the keys of ORDER (doc = `doc` when given), the
-- extra keys, span (from i, j in the Lua form) and line.
local function general_object(t, lua_form, doc)
  local n = 1
  for k = 1, #ORDER do
    local key = ORDER[k]
    local v = t[key]
    if k == 1 and v == nil then v = doc end
    if v ~= nil then n = add(n, key, v) end
  end
  local extra = extra_keys(t, lua_form)
  if extra then
    for _, key in ipairs(extra) do n = add(n, key, t[key]) end
  end
  local i, j = t.i, t.j
  if lua_form and i and j then
    parts[n + 1] = (n == 1 and first_key or next_key).span
    if mtype(i) == "integer" and mtype(j) == "integer" then
      parts[n + 2], parts[n + 3], parts[n + 4], parts[n + 5], parts[n + 6] = "[", i - 1, ",", j, "]"
      n = n + 6
    else
      parts[n + 2] = encode_value({i - 1, j})
      n = n + 2
    end
  elseif t.span ~= nil then
    n = add(n, "span", t.span)
  end
  if t.line ~= nil then n = add(n, "line", t.line) end
  parts[n + 1] = "}"
  return concat(parts, "", 1, n + 1)
end

-- A Doc cites its file: r's i, j and line through the doc's map
-- (doc:origin, doc:file_line), which only changes them for a converted
-- document (an HTML page, a dataset row) or a decoded one (a legacy
-- encoding, UTF-16, a BOM). Names give r as it is.
local function in_file(doc, r)
  if type(doc) ~= "userdata"
      or not (mtype(r.i) == "integer" and mtype(r.j) == "integer")
      or r.i < 1 or r.j < r.i - 1 or r.j > #doc then
    return r
  end
  local m = {}
  for k, v in pairs(r) do m[k] = v end
  m.i, m.j = doc:origin(r.i, r.j)
  if r.line ~= nil then m.line = doc:file_line(r.i <= #doc and r.i or #doc + 1) end
  return m
end

-- The line of a record in its Lua form found in the document `name` (a
-- Doc, a name or nil), on the general path.
local function general_line(r, name)
  return general_object(in_file(name, r), true, type(name) == "userdata" and name.id or name)
end

-- The same bytes, for the usual record, from one C pass (lua/lrecord.c:
-- integers, strings, arrays of strings; other values through
-- encode_value); nil sends the unusual record to the general path, which
-- append, line_of and emitters take themselves.
local usual_object, append, line_of, emitter =
  core.record_encoder(ORDER, encode_value, general_line)

local function encode_object(t, lua_form, doc)
  return usual_object(t, lua_form, doc) or general_object(t, lua_form, doc)
end

--- Encode a flat table with keys in M.ORDER, then the rest sorted, then
-- span and line. nil values are left out (cjson.null writes null).
-- Records are written by the million in batch jobs: the fixed keys are
-- visited in order, and only unknown keys (rare) are sorted.
function M.encode(t)
  return encode_object(t, false)
end

--- The JSON-lines form of a record found in `doc`: adds "doc", turns
-- i, j into "span" (bytes of the file) and drops Lua-only fields (i, j,
-- and any key starting with "_").
function M.record(doc, r)
  r = in_file(doc, r)
  local out = {doc = doc and doc.id or r.doc}
  for k, v in pairs(r) do
    if k ~= "i" and k ~= "j" and not (type(k) == "string" and k:sub(1, 1) == "_") then
      out[k] = v
    end
  end
  if r.i and r.j then out.span = {r.i - 1, r.j} end
  return out
end

--- M.encode(M.record(doc, r)) without the intermediate table: the JSON
-- line (without newline) of a record found in the document named `name`
-- (or in the Doc `name`: then a converted document's span is its file's).
-- M.line(name, r), in C: usual_object(r, true, name) or general_line(r, name).
M.line = line_of

--- A buffer of JSON lines (lua/lrecord.c): append(buf, name, r) adds
-- prefix .. M.line(name, r) .. "\n", buf:take() returns the lines so far
-- and their count, and empties it. Batch jobs write a document's records
-- this way, through emitter(buf, name): a function emit(r) doing
-- append(buf, name, r), which raises unless r is a table (in C: no Lua
-- function between a job's map and the encoder).
M.line_buffer = core.line_buffer
M.append = append
M.emitter = emitter

--- Write records as JSON lines to a file handle (default io.stdout).
function M.jsonl(doc, records, fh)
  fh = fh or io.stdout
  for _, r in ipairs(records) do
    fh:write(M.line(type(doc) == "userdata" and doc or doc and doc.id, r), "\n")
  end
end

-- A value as table text: a float as JSON writes it (lua-cjson's "%.14g",
-- so 3.0 is 3 in every format), anything else as tostring does.
local function cell_text(v)
  if mtype(v) == "float" then return format("%.14g", v) end
  return tostring(v)
end

local function csv_cell(v)
  if v == nil or v == cjson.null then return "" end
  if type(v) == "table" then v = v.text or encode_value(v) end
  v = cell_text(v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- A column is a key or {key, head}: rows are read by key, the header shows
-- head (CSV shows the key, what a program reads back).
local function column(c)
  if type(c) == "table" then return c[1], c[2] or c[1] end
  return c, c
end

--- CSV (RFC 4180) of rows with the given columns.
function M.csv(rows, columns, fh)
  fh = fh or io.stdout
  local cells = {}
  for k, c in ipairs(columns) do cells[k] = csv_cell((column(c))) end
  fh:write(concat(cells, ","), "\r\n")
  for _, r in ipairs(rows) do
    for k, c in ipairs(columns) do cells[k] = csv_cell(r[(column(c))]) end
    fh:write(concat(cells, ","), "\r\n")
  end
end

--- A value as Markdown text on one line (a table cell, a list item), with
-- what Markdown would read as markup escaped; intraword "_" never makes
-- emphasis in CommonMark, so file names stay clean.
local function md_cell(v)
  if v == nil or v == cjson.null then return "" end
  if type(v) == "table" then v = v.text or concat(v, ", ") end
  v = gsub(cell_text(v), "[\r\n]+", " ")
  return (gsub(v, "([|\\<>`*%[%]])", "\\%1"))
end

M.markdown_cell = md_cell

-- Columns whose every value is a number (right-aligned when shown).
local function numeric_columns(rows, columns)
  local numeric = {}
  for k, c in ipairs(columns) do
    local key = column(c)
    numeric[k] = #rows > 0
    for _, r in ipairs(rows) do
      if type(r[key]) ~= "number" and r[key] ~= nil then numeric[k] = false; break end
    end
  end
  return numeric
end

--- A Markdown table of rows with the given columns; numbers right-aligned.
function M.markdown(rows, columns, fh)
  fh = fh or io.stdout
  local head, sep, numeric = {}, {}, numeric_columns(rows, columns)
  for k, c in ipairs(columns) do
    head[k] = md_cell(select(2, column(c)))
    sep[k] = numeric[k] and "---:" or "---"
  end
  fh:write("| ", concat(head, " | "), " |\n| ", concat(sep, " | "), " |\n")
  local cells = {}
  for _, r in ipairs(rows) do
    for k, c in ipairs(columns) do cells[k] = md_cell(r[(column(c))]) end
    fh:write("| ", concat(cells, " | "), " |\n")
  end
end

--- Escape text for HTML (and SVG): element content and attribute values.
function M.html_escape(s)
  return (tostring(s):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;", ["'"] = "&#39;"}))
end
local esc = M.html_escape

local function html_cell(v)
  if v == nil or v == cjson.null then return "" end
  if type(v) == "table" then
    if v.href then return '<a href="' .. esc(v.href) .. '">' .. esc(v.text) .. "</a>" end
    v = v.text or concat(v, ", ")
  end
  return esc(cell_text(v))
end

--- An HTML table of rows with the given columns; numbers right-aligned
-- (class "n"). A cell may be a link {text = ..., href = ...}; `foot`, a
-- row shown last (a total).
function M.html(rows, columns, fh, foot)
  fh = fh or io.stdout
  local numeric = numeric_columns(rows, columns)
  fh:write("<table>\n<thead><tr>")
  for _, c in ipairs(columns) do fh:write("<th>", esc(select(2, column(c))), "</th>") end
  fh:write("</tr></thead>\n<tbody>\n")
  local function row(r)
    fh:write("<tr>")
    for k, c in ipairs(columns) do
      fh:write(numeric[k] and '<td class="n">' or "<td>", html_cell(r[(column(c))]), "</td>")
    end
    fh:write("</tr>\n")
  end
  for _, r in ipairs(rows) do row(r) end
  fh:write("</tbody>\n")
  if foot then fh:write("<tfoot>\n"); row(foot); fh:write("</tfoot>\n") end
  fh:write("</table>\n")
end

M.null = cjson.null
M.decode = cjson.decode
return M
