--- lode.kwic(doc, re_or_pattern, width): keyword-in-context lines.
-- Returns an array of {left, match, right, line, i, j} (i, j cite the
-- original document), printable with tostring(); width is the context on
-- each side in characters (default 40). A pattern string matches caselessly.

local lode_core = require "lode.core"
local utf8, string, table = utf8, string, table

local Line = {}
Line.__index = Line
function Line.__tostring(l)
  return string.format("%6d  %s[%s]%s", l.line, l.left, l.match, l.right)
end

-- Keep the last (or first) `n` characters of s, whole UTF-8 characters only.
local function last_chars(s, n)
  local len = utf8.len(s) or #s
  if len <= n then return s end
  return s:sub(utf8.offset(s, len - n + 1))
end
local function first_chars(s, n)
  local stop = utf8.offset(s, n + 1)
  return stop and s:sub(1, stop - 1) or s
end

local function one_line(s) return (s:gsub("[\r\n\t]+", " ")) end

return function(doc, pattern, width)
  width = width or 40
  local re = type(pattern) == "string" and lode_core.regex(pattern, "i") or pattern
  local text = doc:text()
  local out = {}
  for m in doc:gmatch(re) do
    local left = one_line(text:sub(math.max(1, m.i - 4 * width), m.i - 1))
    local right = one_line(text:sub(m.j + 1, m.j + 4 * width))
    left = last_chars(left, width)
    out[#out + 1] = setmetatable({
      left = (" "):rep(width - (utf8.len(left) or #left)) .. left,   -- pad by characters
      match = one_line(m.text), right = first_chars(right, width),
      line = m.line, i = m.i, j = m.j}, Line)
  end
  return setmetatable(out, {__tostring = function(t)
    local lines = {}
    for k, l in ipairs(t) do lines[k] = tostring(l) end
    return table.concat(lines, "\n")
  end})
end
