--- lode.kwic(doc, re_or_pattern, width): keyword-in-context lines.
-- Returns an array of {left, match, right, line, i, j} (i, j cite the
-- original document), printable with tostring(); width is the context on
-- each side in characters (default 40). A pattern string matches caselessly.
-- Contexts are cut from the match outwards with utf8.offset, which counts
-- whole characters from the match's own boundaries: a context never starts
-- or ends inside a character, whatever the width.

local lode_core = require "lode.core"
local utf8, string, table, math = utf8, string, table, math
local error, type, setmetatable, ipairs = error, type, setmetatable, ipairs

local Line = {}
Line.__index = Line
function Line.__tostring(l)
  return string.format("%6d  %s[%s]%s", l.line, l.left, l.match, l.right)
end

-- Tabs and line breaks become single spaces, so each hit prints on one line;
-- the context is taken this many times wider first, then cut to `width`.
local SLACK = 4

local function one_line(s) return (s:gsub("[\r\n\t]+", " ")) end

-- The last (first) `n` characters of s, which holds whole characters.
local function last_chars(s, n)
  if n == 0 then return "" end          -- utf8.offset(s, -0) is the start
  return s:sub(utf8.offset(s, -n) or 1)
end
local function first_chars(s, n)
  return s:sub(1, (utf8.offset(s, n + 1) or #s + 1) - 1)
end

return function(doc, pattern, width)
  width = width or 40
  if type(doc) ~= "userdata" then
    error("bad argument #1 to 'kwic' (lode.Doc expected, got " .. type(doc) .. ")", 2)
  end
  if type(pattern) ~= "string" and type(pattern) ~= "userdata" then
    error("bad argument #2 to 'kwic' (string or lode.Regex expected, got " .. type(pattern) .. ")", 2)
  end
  if math.type(width) ~= "integer" or width < 0 then
    error("bad argument #3 to 'kwic' (width must be a non-negative integer)", 2)
  end
  local re = type(pattern) == "string" and lode_core.regex(pattern, "i") or pattern
  local text = doc:text()
  local out = {}
  for m in doc:gmatch(re) do
    -- m.i and m.j + 1 are character starts: count characters from there
    local from = utf8.offset(text, -SLACK * width, m.i) or 1
    local to = (utf8.offset(text, SLACK * width + 1, m.j + 1) or #text + 1) - 1
    local left = last_chars(one_line(text:sub(from, m.i - 1)), width)
    out[#out + 1] = setmetatable({
      left = (" "):rep(width - utf8.len(left)) .. left,   -- pad by characters
      match = one_line(m.text),
      right = first_chars(one_line(text:sub(m.j + 1, to)), width),
      line = m.line, i = m.i, j = m.j}, Line)
  end
  return setmetatable(out, {__tostring = function(t)
    local lines = {}
    for k, l in ipairs(t) do lines[k] = tostring(l) end
    return table.concat(lines, "\n")
  end})
end
