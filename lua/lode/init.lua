--- lode: the Lua face of the lode toolkit.
-- The C primitives live in lode.core; this module adds the friendly API
-- (corpus iteration, gazetteers from tables, kwic) and loads the library
-- modules (lode.clean, lode.meta, lode.extract, ...) on first use.

local core = require "lode.core"

local setmetatable, type, ipairs, pairs, error, require = setmetatable, type, ipairs, pairs, error, require
local io_stderr = io.stderr

local M = {
  version = core.version,
  load = core.load,
  from_string = core.from_string,
  normalize = core.normalize,
  regex = core.regex,
  expand = core.expand,
  Doc = core.Doc,          -- method tables, extended by library modules
  View = core.View,
  Gazetteer = core.Gazetteer,
}

--- The normalization used for matching names: compatibility forms,
-- case, diacritics, typography and spacing all folded.
M.MATCH_FORM = {form = "NFKC", casefold = true, strip_marks = true,
                fold = "typography", controls = true, collapse = true}

--- Iterate the documents named by a path, a directory (recursively), a
-- glob, or an array of those; a dataset file (JSON lines, CSV) gives one
-- document per row (lode.formats). A document that cannot be loaded, or
-- a bad row, is reported through opts.on_error(path, message) (default: a
-- line on stderr) and skipped, so one bad file does not stop a corpus;
-- opts.strict raises. opts go to lode.load and doc:rows().
-- Each document's doc.id, the "doc" of its records, is its path relative
-- to the root it was found under (core/files.h, "Document identity"):
-- "corpus/2024/000.txt" for a directory "corpus", a file as given.
-- opts.manifest (a lode.manifest or its path) gives each document its row
-- (lode.manifest.attach); its rows no document matched are reported
-- through on_error once the documents are done.
function M.corpus(spec, opts)
  opts = opts or {}
  local specs = type(spec) == "table" and spec or {spec}
  local on_error = opts.on_error or function(_, msg)
    io_stderr:write("lode: ", msg, "\n")
  end
  local paths, ids, name_of = {}, {}, core.names(specs)
  for n, s in ipairs(specs) do
    local found, err = core.expand(s)
    if not found then
      if opts.strict then error(err, 2) end
      on_error(s, err)
    else
      for _, p in ipairs(found) do
        paths[#paths + 1] = p
        ids[#paths] = name_of(n, p)
      end
      for _, loop in ipairs(err) do on_error(loop.path, loop.message) end  -- links not followed
    end
  end
  local load_opts = {}
  for key, v in pairs(opts) do load_opts[key] = v end
  local manifest = opts.manifest and require "lode.manifest"
  local listed = manifest and manifest.of(opts.manifest)
  local function yield(doc)
    if listed then manifest.attach(doc, listed) end
    return doc
  end
  local k, rows = 0, nil
  return function()
    while true do
      if rows then
        local row, err = rows()
        if row then return yield(row) end
        if row == nil then rows = nil
        else
          if opts.strict then error(err, 2) end
          on_error(paths[k], err)
        end
      elseif k < #paths then
        k = k + 1
        load_opts.id = ids[k]
        local doc, err = core.load(paths[k], load_opts)
        if not doc then
          if opts.strict then error(err, 2) end
          on_error(paths[k], err)
        elseif doc.format == "jsonl" or doc.format == "csv" then
          rows = doc:rows(opts)
        else
          return yield(doc)
        end
      else
        if listed then
          for _, msg in ipairs(listed:unused()) do
            if opts.strict then error(msg, 2) end
            on_error(listed.file, msg)
          end
          listed = nil
        end
        return nil
      end
    end
  end
end

--- The span of a sorted, non-overlapping array of spans {i, j} that holds
-- byte position `pos`, and its index; nil when none does.
function M.span_at(spans, pos)
  local lo, hi = 1, #spans
  while lo <= hi do
    local mid = (lo + hi) // 2
    local s = spans[mid]
    if pos < s.i then hi = mid - 1
    elseif pos > s.j then lo = mid + 1
    else return s, mid end
  end
  return nil
end

--- lode.gazetteer(entries [, norm_opts]): entries is an array of
-- {alias, canonical, kind} triples (or alias strings), or nil for an
-- empty gazetteer; the result is built lazily on first scan.
function M.gazetteer(entries, norm)
  local g = core.gazetteer(norm)
  for _, e in ipairs(entries or {}) do
    if type(e) == "string" then g:add(e)
    else g:add(e[1] or e.alias, e[2] or e.canonical, e[3] or e.kind) end
  end
  return g
end

--- g:scan(doc_or_view): iterator of hit records {canonical, kind, i, j,
-- line, text, match}, leftmost-longest, made one at a time from g:each
-- (a table constructor here costs a third of one built through the C API).
function M.Gazetteer.scan(g, text)
  local each = g:each(text)
  return function()
    local canonical, kind, i, j, line, s, match = each()
    if canonical then
      return {canonical = canonical, kind = kind, i = i, j = j, line = line,
              text = s, match = match}
    end
  end
end

--- g:matches(doc_or_view): the records of g:scan as an array.
function M.Gazetteer.matches(g, text)
  local out, n = {}, 0
  for m in M.Gazetteer.scan(g, text) do
    n = n + 1
    out[n] = m
  end
  return out
end

-- Doc methods defined by library modules: the first call loads the module,
-- which replaces the stub with the real method.
for name, module in pairs{body = "lode.clean", clean = "lode.clean",
                          rows = "lode.formats", html_meta = "lode.formats",
                          sections = "lode.formats"} do
  M.Doc[name] = function(...)
    require(module)
    return M.Doc[name](...)
  end
end

-- Library modules load on first use: lode.clean, lode.meta, lode.extract ...
-- The REPL completes these names (the metatable's __lazy) before any is
-- loaded; tests/lua/api_spec.lua keeps the list in step with lua/lode/.
local SUBMODULES = {"chart", "clean", "cli", "extract", "formats", "job", "kwic", "manifest", "markup",
                    "meta", "out", "pretty", "report", "stats", "summary", "variants", "words"}

local function searchable(name)
  return package.searchpath(name, package.path) ~= nil
      or package.searchpath(name, package.cpath) ~= nil
end

return setmetatable(M, {__lazy = SUBMODULES, __index = function(t, k)
  if type(k) ~= "string" or not searchable("lode." .. k) then return nil end
  local mod = require("lode." .. k)
  t[k] = mod
  return mod
end})
