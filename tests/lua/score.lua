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

return M
