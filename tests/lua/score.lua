--- score: precision / recall / F1 of extracted items against hand labels,
-- for the specs that measure quality. Items are compared through a key
-- function (e.g. function(r) return r.line .. "|" .. r.value end).

local M = {}

--- Returns {tp, fp, fn, precision, recall, f1, missed = {...}, spurious = {...}}.
function M.compare(expected, got, key)
  local want, seen = {}, {}
  for _, e in ipairs(expected) do
    local k = key(e)
    want[k] = (want[k] or 0) + 1
  end
  local tp, fp, spurious = 0, 0, {}
  for _, g in ipairs(got) do
    local k = key(g)
    if (want[k] or 0) > (seen[k] or 0) then
      seen[k] = (seen[k] or 0) + 1
      tp = tp + 1
    else
      fp = fp + 1
      spurious[#spurious + 1] = k
    end
  end
  local fn, missed = 0, {}
  for k, n in pairs(want) do
    local m = n - (seen[k] or 0)
    if m > 0 then
      fn = fn + m
      missed[#missed + 1] = k
    end
  end
  table.sort(missed)
  table.sort(spurious)
  local p = tp + fp > 0 and tp / (tp + fp) or 1
  local r = tp + fn > 0 and tp / (tp + fn) or 1
  local f1 = p + r > 0 and 2 * p * r / (p + r) or 0
  return {tp = tp, fp = fp, fn = fn, precision = p, recall = r, f1 = f1,
          missed = missed, spurious = spurious}
end

--- One line for the test log: "dates: P 0.95 R 0.92 F1 0.93 (tp 40, fp 2, fn 3)".
function M.report(label, s)
  local line = string.format("%s: P %.3f R %.3f F1 %.3f (tp %d, fp %d, fn %d)",
    label, s.precision, s.recall, s.f1, s.tp, s.fp, s.fn)
  io.stderr:write("[score] ", line, "\n")
  return line
end

--- Read an extractor fixture: a "# body: a-b,c-d" header naming the
-- article's line ranges, then rows of TAB-separated fields (other '#'
-- lines are comments). Returns the rows (arrays of strings) and a
-- predicate telling whether a line lies in the body.
function M.read_fixture(path)
  local rows, ranges = {}, {}
  for l in io.lines(path) do
    local body = l:match("^# body: (.*)")
    if body then
      for a, b in body:gmatch("(%d+)-(%d+)") do ranges[#ranges + 1] = {tonumber(a), tonumber(b)} end
    elseif not l:match("^#") and l ~= "" then
      local f = {}
      for x in (l .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = x end
      rows[#rows + 1] = f
    end
  end
  return rows, function(line)
    for _, r in ipairs(ranges) do if line >= r[1] and line <= r[2] then return true end end
    return false
  end
end

--- The corpus files with their fixtures in tests/fixtures/extract/<kind>/:
-- array of {id, text = path, fixture = path}, sorted by id.
function M.corpus_files(lode, src, kind)
  local out = {}
  for _, p in ipairs(assert(lode.expand(src .. "/corpus"))) do
    local id = p:match("([^/]+)%.txt$")
    out[#out + 1] = {id = id, text = p,
                     fixture = src .. "/tests/fixtures/extract/" .. kind .. "/" .. id .. ".tsv"}
  end
  table.sort(out, function(a, b) return a.id < b.id end)
  return out
end

--- Score an extractor over fixture files: `extract(doc)` gives records,
-- `expected(row)` and `found(record)` turn fixture rows and records into
-- comparable items (their `line` is prefixed with the file id), `key` as in
-- M.compare. Only records on body lines count. Reports and returns the score.
function M.extractor(lode, files, label, extract, expected, found, key)
  local exp, got = {}, {}
  for _, n in ipairs(files) do
    local doc = assert(lode.load(n.text))
    local rows, inbody = M.read_fixture(n.fixture)
    for _, row in ipairs(rows) do
      local e = expected(row)
      e.line = n.id .. ":" .. e.line
      exp[#exp + 1] = e
    end
    for _, r in ipairs(extract(doc)) do
      if inbody(r.line) then
        local g = found(r)
        g.line = n.id .. ":" .. r.line
        got[#got + 1] = g
      end
    end
  end
  local s = M.compare(exp, got, key)
  M.report(label, s)
  for _, m in ipairs(s.missed) do io.stderr:write("  missed   ", m, "\n") end
  for _, m in ipairs(s.spurious) do io.stderr:write("  spurious ", m, "\n") end
  return s
end

return M
