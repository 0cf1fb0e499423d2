--- lode.formats: documents inside dataset files, and what HTML pages state.
-- doc:rows() yields one Doc per JSON line or CSV row of a dataset file
-- (the core finds the bytes; lua-cjson decodes JSON); doc:html_meta()
-- is what an HTML page states about itself, its JSON-LD decoded;
-- doc:sections() reads a very big document in bounded pieces.
-- A row's text is the longest of its fields named in data/text_fields.txt
-- (opts.text_field names it instead); the other fields are doc:fields().

local core = require "lode.core"
local cjson = require "cjson"
local words = require "lode.words"

local type, pairs, ipairs, pcall, tostring, table = type, pairs, ipairs, pcall, tostring, table
local lower, format = string.lower, string.format
local decode, null = cjson.decode, cjson.null
local row_doc, csv_record, json_span = core.row_doc, core.csv_record, core.json_string_span

local M = {}

-- The key of `values` (key -> string) holding the text: opts.text_field,
-- else the longest value under a known text name.
local function text_key(values, opts)
  if opts and opts.text_field then
    return type(values[opts.text_field]) == "string" and opts.text_field or nil
  end
  local names, best = words.list("text_fields"), nil
  for key, v in pairs(values) do
    if type(key) == "string" and type(v) == "string" and names[lower(key)]
        and (not best or #v > #values[best] or (#v == #values[best] and key < best)) then
      best = key
    end
  end
  return best
end

-- A row's Doc, or false, the message (a NUL in the text, say) and the
-- row's name: a nil would end the caller's for loop.
local function made(d, err, name)
  if d then return d end
  return false, err, name
end

local function no_text(where)
  return where .. ": no text field (one of data/text_fields.txt, or opts.text_field)"
end

-- The rows of a JSON-lines file: a Doc per non-blank line, false and a
-- message for a line that is not a JSON object with a text field.
local function jsonl_rows(doc, opts)
  local n, count, file = 0, doc:line_count(), doc.path or doc.name
  return function()
    while n < count do
      n = n + 1
      local line = doc:line(n)
      if line:find("%S") then
        local where, name = format("%s:%d", file, n), format("%s#%d", doc.id, n)
        local ok, row = pcall(decode, line)
        if not ok then return false, where .. ": invalid JSON: " .. tostring(row), name end
        if type(row) ~= "table" then return false, where .. ": not a JSON object", name end
        local key = text_key(row, opts)
        if not key then return false, no_text(where), name end
        local i, j = json_span(line, key)
        if not i then
          return false, where .. ": the text field is not a plain string member", name
        end
        local fields = {}
        for k, v in pairs(row) do
          if k ~= key and v ~= null then fields[k] = v end
        end
        local base = doc:line_span(n) - 1
        local d, err = row_doc(doc, base + i, base + j, "json", n, fields)
        return made(d, err, name)
      end
    end
    return nil
  end
end

-- The rows of a CSV file with a header record: a Doc per record, false
-- and a message for a record with a broken quote or no text field; the
-- reading goes on at the next line.
local function csv_rows(doc, opts)
  local pos, last, row, header = 1, #doc, 0, nil
  return function()
    while pos <= last do
      local values, I, J, Q, next_pos = csv_record(doc, pos)
      if not values then   -- I is the message, J where to go on
        pos = J
        row = row + 1
        return false, I, format("%s#%d", doc.id, row)
      end
      pos = next_pos
      if not (#values == 1 and values[1] == "") then
        if not header then
          header = values
        else
          row = row + 1
          local byname = {}
          for k, key in ipairs(header) do byname[key] = values[k] end
          local key = text_key(byname, opts)
          local name = format("%s#%d", doc.id, row)
          if not key then return false, no_text(name), name end
          local fields, col = {}, nil
          for k, h in ipairs(header) do
            if h == key then col = k elseif values[k] then fields[h] = values[k] end
          end
          local d, err = row_doc(doc, I[col], J[col], Q[col] and "csv" or "raw", row, fields)
          return made(d, err, name)
        end
      end
    end
    return nil
  end
end

-- An iterator yielding `doc`, then nil.
local function once(doc)
  local done = false
  return function()
    if done then return nil end
    done = true
    return doc
  end
end

--- for row, err, name in doc:rows(opts) do ... end: the documents of a
-- dataset file (doc.format "jsonl" or "csv"); a bad row gives row = false,
-- a message naming the file and line, and the name the row would have
-- had ("file.csv#3"). Any other document is its one row.
function M.rows(doc, opts)
  if doc.format == "jsonl" then return jsonl_rows(doc, opts) end
  if doc.format == "csv" then return csv_rows(doc, opts) end
  return once(doc)
end

--- The most bytes of a document that lode analyses at once: a bigger
-- document whose text is its file (plain text, Markdown) is read in
-- sections of whole paragraphs (doc:sections), so the memory a script
-- needs follows the section, not the document. News pages are far smaller.
M.SECTION_BYTES = 4 * 1024 * 1024

--- for part in doc:sections([max]) do ... end: the document in sections of
-- at most `max` bytes (default M.SECTION_BYTES), each cut after a blank
-- line where the text has one (lode_segment_section_end). A section is a
-- Doc named as the document, with part.section = n, whose records cite
-- the file; it is closed when the next one is asked for, so only one is
-- held at a time. A smaller document, or one converted from its file (an
-- HTML page, a dataset row), is its one section: itself.
function M.sections(doc, max)
  max = max or M.SECTION_BYTES
  if #doc <= max or doc.format == "html" or doc.row or doc.section then return once(doc) end
  local ends, n, part = doc:section_ends(max), 0, nil
  return function()
    if part then part:close() end
    n = n + 1
    if not ends[n] then part = nil; return nil end
    part = doc:section_doc((ends[n - 1] or 0) + 1, ends[n], n)
    return part
  end
end

-- JSON-LD values worth a key: strings and numbers, nested objects and
-- arrays flattened to "a.b" paths ("author.name", "publisher.name").
local function flatten(v, path, out)
  if type(v) == "table" then
    for k, x in pairs(v) do
      flatten(x, type(k) == "number" and path or (path and path .. "." .. k or k), out)
    end
  elseif (type(v) == "string" or type(v) == "number") and path then
    out[#out + 1] = {path, tostring(v)}
  end
end

--- doc:html_meta() -> {{key, value, i, j}, ...}: what an HTML page states
-- (<title>, <meta>, <time datetime>, <html lang>, canonical link), i, j
-- the file bytes of the value; JSON-LD members as "ld:path" keys
-- ("ld:headline", "ld:author.name"), spanning the JSON string where it is
-- written verbatim, else the whole script. An empty table for other docs.
function M.html_meta(doc)
  local out = {}
  for _, m in ipairs(doc:raw_html_meta()) do
    if m.key ~= "ld+json" then
      out[#out + 1] = m
    else
      local ok, data = pcall(decode, m.value)
      if ok then
        local pairs_found = {}
        flatten(data, nil, pairs_found)
        table.sort(pairs_found, function(a, b) return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2]) end)
        for _, kv in ipairs(pairs_found) do
          local written = cjson.encode(kv[2]):gsub("\\/", "/")
          local at = m.value:find(written, 1, true)
          local i, j = m.i, m.j
          if at then i, j = m.i + at, m.i + at + #written - 3 end
          out[#out + 1] = {key = "ld:" .. kv[1], value = kv[2], i = i, j = j}
        end
      end
    end
  end
  return out
end

local Doc = core.Doc
Doc.rows = M.rows
Doc.sections = M.sections
Doc.html_meta = M.html_meta
return M
