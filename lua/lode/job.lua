--- lode.job(job, mode): the Lua side of a batch job (lode batch, map and
-- reduce run it in every Lua state; lua/host/mapred.c calls it).
--
-- `job` is what a job script returns: {map = function(doc, emit) ... end,
-- reduce = function(key, values, emit) ... end, load = {...}} (reduce and
-- load optional; load is passed to lode.load). `mode` is "keyed" (lines
-- key<TAB>json: lode map, and batch with reduce) or "records" (JSON lines).
-- Returns {has_reduce, map = function(path, key, id), reduce = function(key,
-- values)}: map loads the document (doc.id = id, the name its records give:
-- core/files.h, "Document identity"), calls the script's map with an emit
-- that encodes what it is given, and returns all of the document's lines
-- (so a document's output is all or nothing) -- the line buffer holding
-- them, whose bytes and count the host takes without a copy, or, with
-- reduce, one string and their count -- and the document's size; reduce
-- decodes the values, calls the script's reduce and returns its lines and
-- their count.
--
-- `prepare`, optional, is a list of functions (doc) a worker runs ahead
-- of a batch of up to 16 documents' map calls, stage by stage: prepare[1]
-- on each document, then prepare[2] on each, ... (lode.extract.STAGES
-- computes all()'s parts this way: a stage's code stays in the CPU's
-- caches). The host calls M.prepare(path, id, s) for each stage s and
-- document, each within the document's own budget (lua/host/batch.c);
-- map then takes the document loaded for it. A document whose load or
-- stage fails, a dataset file or a page over PREPARE_MAX bytes is left
-- out of the stages (false): its map loads and computes it as usual, so
-- its errors are reported as without prepare.
--
-- A dataset file (JSON lines, CSV) is mapped row by row, each row a
-- document; a bad row, or one its map fails on, adds an error record
-- {"doc": "file.csv#3", "error": ...} and the rows go on.
--
--   without reduce: emit(record) -> lode.out.line(doc.id, r), after
--                   `key` and a TAB when keyed (the host encodes the key):
--                   lode.out.emitter's function, in C;
--   with reduce:    emit(key, value) -> key<TAB>json, the value encoded
--                   canonically (object keys sorted), so equal values give
--                   equal bytes in every state and run, and sorting the
--                   lines gives every reducer the same value order.
--
-- A job's print() goes to stderr: stdout carries the records.

local lode, out, cjson = require "lode", require "lode.out", require "cjson"

local load, line, emitter, line_buffer = lode.load, out.line, out.emitter, out.line_buffer
local jencode, decode = cjson.encode, cjson.decode
local type, pairs, tostring, error, pcall, select = type, pairs, tostring, error, pcall, select
local concat, sort, find = table.concat, table.sort, string.find
local stderr = io.stderr

local function print_to_stderr(...)
  for k = 1, select("#", ...) do
    stderr:write(k > 1 and "\t" or "", tostring((select(k, ...))))
  end
  stderr:write("\n")
end

local function bykey(a, b) return tostring(a) < tostring(b) end

-- JSON with object keys sorted: the same bytes for equal values.
local function canon(v, depth)
  if type(v) ~= "table" then return jencode(v) end
  if depth > 100 then error("emit: value nested too deeply (a cycle?)", 0) end
  local n, count, keys = #v, 0, {}
  for k in pairs(v) do count = count + 1; keys[count] = k end
  local parts = {}
  if count == n then
    for k = 1, n do parts[k] = canon(v[k], depth + 1) end
    return "[" .. concat(parts, ",") .. "]"
  end
  sort(keys, bykey)
  for k, key in pairs(keys) do
    parts[k] = jencode(tostring(key)) .. ":" .. canon(v[key], depth + 1)
  end
  return "{" .. concat(parts, ",") .. "}"
end

-- emit(key, value) of a job with reduce, appending to buf.
local function keyed_emit(buf)
  return function(key, value)
    if type(key) ~= "string" or key == "" or find(key, "[\t\r\n]") then
      error("emit(key, value): the key must be a non-empty string without tabs or line breaks", 2)
    end
    buf.n = buf.n + 1
    buf[buf.n] = key .. "\t" .. canon(value, 0)
  end
end

return function(job, mode)
  if type(job) ~= "table" or type(job.map) ~= "function" then
    error("the script must return a table with a map function: "
          .. "return {map = function(doc, emit) ... end}", 0)
  end
  if job.reduce ~= nil and type(job.reduce) ~= "function" then
    error("the script's reduce must be a function", 0)
  end
  -- Make this state's regex scratch now, while one thread sets up every
  -- state: PCRE2's JIT stack creation initialises a static of its own on
  -- first use, a (benign) race helgrind reports if workers do it.
  pcall(function() lode.regex("a"):find("a") end)
  _G.print = print_to_stderr
  local map, reduce, load_opts, keyed = job.map, job.reduce, job.load, mode == "keyed"
  local stages = job.prepare
  if stages ~= nil and (type(stages) ~= "table" or #stages == 0) then
    error("the script's prepare must be a list of functions: prepare = {function(doc) ... end}", 0)
  end
  local M = {has_reduce = reduce ~= nil, stages = stages and #stages or 0}
  local doc_opts = {}
  if type(load_opts) == "table" then for k, v in pairs(load_opts) do doc_opts[k] = v end end

  -- documents loaded by prepare, by id, until their map takes them
  local ready = {}

  function M.prepare(path, id, s)
    local doc = ready[id]
    if s == 1 then
      doc_opts.id = id
      doc = load(path, doc_opts)
      if not doc then return false end
      local format = doc.format
      if format == "jsonl" or format == "csv" or #doc > M.PREPARE_MAX then
        doc:close()
        return false
      end
      ready[id] = doc
    elseif not doc then
      return false
    end
    ready[id] = nil          -- out while its stage runs: a failed one leaves it out
    if not pcall(stages[s], doc) then
      doc:close()
      return false
    end
    ready[id] = doc
    return true
  end
  M.PREPARE_MAX = 1 << 20

  function M.map(path, key, id)
    local doc = ready[id]
    if doc then
      ready[id] = nil
    else
      local err
      doc_opts.id = id
      doc, err = load(path, doc_opts)
      if not doc then error(err, 0) end
    end
    -- with reduce, emit(key, value) collects lines in buf; without, emit
    -- (out.emitter) writes each record to `lines`, which counts them
    local buf, lines = reduce and {n = 0}, nil
    local emit
    local format = doc.format             -- read once: each read is a call
    if reduce then
      emit = keyed_emit(buf)
    else
      lines = line_buffer(keyed and key .. "\t" or "")
      -- what records cite: a converted doc itself (its spans go through
      -- its map to the file), else just its identity
      emit = emitter(lines, format == "html" and doc or doc.id)
    end
    local bytes = #doc
    if format == "jsonl" or format == "csv" then
      -- a dataset file's rows are documents: a bad row, or a row its map
      -- fails on, becomes an error record and the rows go on
      for row, row_err, row_name in doc:rows(load_opts) do
        local name = row and row.id or row_name
        if row then
          local ok, e = pcall(map, row, lines and emitter(lines, row) or emit)
          row:close()
          if not ok then row_err = e end
        end
        if row_err then
          local rec = line(nil, {doc = name, error = tostring(row_err)})
          if lines then
            lines:add(rec)
          else
            buf.n = buf.n + 1
            buf[buf.n] = "\t" .. rec
          end
        end
      end
      doc:close()
    else
      local ok, e = pcall(map, doc, emit)
      doc:close()   -- its bytes go now, not when the collector gets round to it
      if not ok then error(e, 0) end
    end
    if lines then return lines, nil, bytes end
    local n = buf.n
    if n == 0 then return "", 0, bytes end
    buf[n + 1] = ""
    return concat(buf, "\n"), n, bytes
  end

  function M.reduce(key, values)
    for k = 1, #values do values[k] = decode(values[k]) end
    local buf, n = {}, 0
    reduce(key, values, function(r)
      if type(r) ~= "table" then error("emit(record): a record table is expected", 2) end
      n = n + 1
      buf[n] = line(nil, r)
    end)
    if n == 0 then return "", 0 end
    buf[n + 1] = ""
    return concat(buf, "\n"), n
  end

  return M
end
