-- fuzz_lua.lua -- the interpreter of tests/fuzz/fuzz_lua.c. The input (one
-- byte N, N program bytes, then a text pool) drives calls of the Lua API,
-- each under pcall (a Lua error is an answer); broken(msg) aborts when an
-- answer breaks a promise: positions a search returns lie in its subject,
-- on a character start when the subject is valid UTF-8.
local broken, input = ...
local lode, core = require "lode", require "lode.core"

local n = input:byte(1) or 0
local P, T, pos = input:sub(2, n + 1), input:sub(n + 2), 0

local function byte() pos = pos + 1; return P:byte(pos) or 0 end
local function u16() return byte() * 256 + byte() end
local function flip() return byte() % 2 == 0 end
-- a slice of the text pool
local function str() local o = u16() % (#T + 1); return T:sub(o + 1, o + u16()) end
local function pick(t) return t[byte() % #t + 1] end
local function one(t) if #t > 0 then return t[byte() % #t + 1] end end
local function keep(t, x, cap) t[#t % cap + 1] = x end

-- A position or count: small, 16-bit, near `len` (the end of a text, so
-- often inside a character) or odd (huge, fractional, NaN, not a number).
local ODD = {0, -1, 1, math.maxinteger, math.mininteger, 2^53, -2^53, 1.5, 1e308,
             -1e308, 0/0, 1/0, -1/0, "3", "x", true}
local function int(len)
  local b = byte()
  if b < 128 then return b - 64 end
  if b < 192 then return u16() end
  if b < 240 then return (len or 0) + b - 216 end
  return ODD[b - 239]
end

local PATTERNS = {"\\b", "\\w+", ".", "\\X", "(\\p{Lu})(\\w*)", "(?<n>\\d+)", "^.*$", "",
                  "(a)|(b)", "\\s+", "(?=\xc3\xa9)", "(x)*"}
local FLAGS = {"", "i", "x", "m", "s", "imsx", "q"}
local INVALID = {"error", "replace", "latin1", "cp1252"}
local FORMS = {"NFC", "NFKC", "none"}
local REPLS = {"%0", "<%1>", "%9", "%", "%%", {}, {a = "b"}, function(m) return m end,
               function() return false end, function() error("repl") end, function() return {} end}

local docs, views, res, gaz, sets = {}, {}, {}, {}, {}

local function subject()
  local d = one(docs)
  if d and flip() then
    local ok, s = pcall(d.text, d)
    if ok then return s end
  end
  return str()
end

local function at(s, i, what)
  if type(i) ~= "number" then return end
  if i < 1 or i > #s + 1 then broken(what .. " returned position " .. i .. " outside 1.." .. #s + 1) end
  if utf8.len(s) and i <= #s and s:byte(i) >= 0x80 and s:byte(i) < 0xc0 then
    broken(what .. " returned position " .. i .. " inside a character")
  end
end

local function norm_opts()
  return {form = pick(FORMS), casefold = flip(), strip_marks = flip(),
          fold = flip() and "typography" or nil, collapse = flip(), controls = flip() and "drop" or nil}
end

-- Run iterator f, s, c at most 200 steps, calling each(...) on what it gives.
local function walk(each, f, s, c)
  for _ = 1, 200 do
    local r = table.pack(f(s, c))
    if r[1] == nil then return end
    c = r[1]
    each(table.unpack(r, 1, r.n))
  end
end
local function ignore() end

local OPS = {
  function() keep(docs, assert(lode.from_string(str(), {invalid = pick(INVALID), name = str()})), 4) end,
  function() local d = one(docs); d:line(int(d:line_count())) end,
  function() local d = one(docs); d:sub(int(#d), int(#d)) end,
  function() local d = one(docs); d:sub({i = int(#d), j = int(#d)}) end,
  function() local d = one(docs); d:line_of(int(#d)); d:line_span(int(d:line_count())) end,
  function() local d = one(docs); d:lines(); d:trimmed_lines(); d:encoding() end,
  function() local d = one(docs); keep(views, d:normalize(norm_opts()), 4) end,
  function()
    local v = one(views)
    at(v:doc():text(), (v:origin(int(#v), int(#v))), "origin")
  end,
  function() local v = one(views); return v:text(), #v end,
  function() lode.normalize(str(), norm_opts()) end,
  function() keep(res, lode.regex(flip() and pick(PATTERNS) or str(), pick(FLAGS)), 4) end,
  function()
    local r, s = one(res), subject()
    local i, j = r:find(s, int(#s))
    at(s, i, "find")
    if j then at(s, j + 1, "find") end
  end,
  function() local r, s = one(res), subject(); r:match(s, int(#s)) end,
  function() local r, s = one(res), subject(); walk(ignore, r:gmatch(s)) end,
  function()
    local r, s = one(res), subject()
    walk(function(i) at(s, i, "gfind") end, r:gfind(s))
  end,
  function() local r, s = one(res), subject(); r:gsub(s, pick(REPLS), int(10)) end,
  function() local r, s = one(res), subject(); r:split(s); r:groups() end,
  function() local r, s = one(res), subject(); r:windows(s, int(), int()) end,
  function()
    local d = one(docs)
    walk(function(m) at(d:text(), m.i, "doc:gmatch") end, d:gmatch(one(res) or str(), {view = one(views)}))
  end,
  function() local d = one(docs); d:match_spans(one(res) or str(), nil, {int(#d)}, {int(#d)}) end,
  function() local d = one(docs); d:paragraphs(); d:sentences(); d:words(); d:paragraph_lines() end,
  function() keep(gaz, lode.gazetteer(nil, flip() and norm_opts() or nil), 2) end,
  function() one(gaz):add(str(), flip() and str() or nil, str()) end,
  function() walk(ignore, one(gaz):scan(flip() and one(views) or one(docs))) end,
  function()
    local g, t = one(gaz), flip() and one(views) or one(docs)
    g:matches(t); g:hits(t, true); g:count(t); g:entry(int()); g:size()
  end,
  function() keep(sets, core.wordset(), 2) end,
  function() local w = one(sets); w:add(str()); return w:has(str()), #w end,
  function() return tostring(lode.kwic(one(docs), one(res) or str(), int())) end,
  function() pick({one(docs), one(views), one(gaz)}):close() end,
  function() collectgarbage() end,
}

for _ = 1, 64 do
  if pos >= #P then break end
  pcall(OPS[byte() % #OPS + 1])
end
