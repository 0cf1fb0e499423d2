-- Specs for argument errors: every function of lode.core and every method
-- written in C (lua/l*.c) answers a wrong call the way Lua's own library
-- does, "bad argument #2 to 'find' (number expected, got string)", never
-- with a message that names neither function nor argument, and never by
-- crashing.
local lode = require "lode"
local core = require "lode.core"

local doc = lode.from_string("Peace talks in Baku.\nSecond line é.\n", {name = "talks.txt"})

-- The objects whose C methods are checked, by the name the call uses.
local OBJECTS = {
  doc = doc,
  v = doc:normalize{form = "NFKC"},
  re = lode.regex("a"),
  g = lode.gazetteer{{"Baku", "Baku", "place"}},
  ws = core.wordset{"the"},
  buf = lode.out.line_buffer(),
}

local function is_c(f)
  return type(f) == "function" and debug.getinfo(f, "S").what == "C"
end

-- Call `obj:name(...)` (or core.name(...) when obj is nil) through a chunk
-- written out, so the error names the function as a user's call would.
local function call(objname, name, ...)
  local src = objname and ("local o = ...; return o:" .. name .. "(select(2, ...))")
                       or ("local core = ...; return core." .. name .. "(select(2, ...))")
  local f = assert(load(src, "=call"))
  return pcall(f, objname and OBJECTS[objname] or core, ...)
end

-- Values no function takes where it expects something else.
local WRONG = {true, {}, coroutine.create(print), 1.5}

describe("argument errors", function()
  it("name the function and argument for every wrong type, in every C binding", function()
    local checked = 0
    local function sweep(objname, methods)
      for name, f in pairs(methods) do
        if is_c(f) and name ~= "close" then
          for pos = 1, 3 do
            for _, bad in ipairs(WRONG) do
              local args = {"Baku", 1, 1}
              args[pos] = bad
              local ok, err = call(objname, name, table.unpack(args, 1, pos))
              if not ok then
                err = tostring(err)
                local named = err:find("bad argument #%d+ to '" .. name .. "'")
                           or err:find("calling '" .. name .. "' on bad self")
                assert.is_truthy(named, (objname or "core") .. "." .. name .. ": " .. err)
              end
              checked = checked + 1
            end
          end
        end
      end
    end
    sweep(nil, core)
    for objname, obj in pairs(OBJECTS) do
      local methods = getmetatable(obj).__index
      if type(methods) ~= "table" then methods = lode[getmetatable(obj).__name:match("%.(%w+)$")] end
      sweep(objname, methods)
    end
    assert.is_true(checked > 500)
  end)

  it("name the function and the argument whose value is wrong", function()
    local cases = {
      {"bad argument #1 to 'line' (line out of range)", function() return doc:line(0) end},
      {"bad argument #1 to 'line' (number has no integer representation)",
       function() return doc:line(1.5) end},
      {"bad argument #1 to 'sub' (span without integer field 'j')",
       function() return doc:sub({i = 1}) end},
      {"bad argument #2 to 'origin' (position out of range)",
       function() return doc:origin(1, 10 ^ 9 // 1) end},
      {"bad argument #1 to 'normalize' (form must be \"NFC\", \"NFKC\" or \"none\")",
       function() return doc:normalize{form = "NFD"} end},
      {"bad argument #2 to 'gmatch' (table expected, got number)",
       function() return doc:gmatch("a", 5) end},
      {"bad argument #2 to 'gmatch' (opts.view: lode.View expected, got number)",
       function() return doc:gmatch("a", {view = 5}) end},
      {"bad argument #2 to 'gmatch' (opts.view is a view of another document)",
       function() return doc:gmatch("a", {view = lode.from_string("x"):normalize()}) end},
      {"bad argument #2 to 'gmatch' (unknown regex flag 'q'",
       function() return doc:gmatch("a", {flags = "q"}) end},
      {"bad argument #3 to 'match_spans' (array of integers expected)",
       function() return doc:match_spans("a", nil, {"x"}, {2}) end},
      {"bad argument #1 to 'find' (invalid UTF-8 at byte 2)",
       function() return OBJECTS.re:find("a\255") end},
      {"bad argument #2 to 'find' (number has no integer representation)",
       function() return OBJECTS.re:find("abc", 1.5) end},
      {"bad argument #2 to 'windows' (negative word count)",
       function() return OBJECTS.re:windows("abc", -1, 1) end},
      {"bad argument #2 to 'regex' (unknown regex flag 'q'", function() return lode.regex("a", "q") end},
      {"bad argument #1 to 'entry' (no such entry)", function() return OBJECTS.g:entry(0) end},
      {"bad argument #1 to 'add' (gazetteer: alias \"\" is empty after normalization)",
       function() return lode.gazetteer():add("") end},
      {"calling 'add' on bad self (gazetteer already built",
       function() return OBJECTS.g:add("Yerevan") end},
      {"bad argument #1 to 'wordset' (array of strings expected)", function() return core.wordset{5} end},
      {"bad argument #2 to 'from_string' (opts.name: string expected)",
       function() return lode.from_string("x", {name = {}}) end},
      {"bad argument #2 to 'load' (invalid must be", function() return lode.load("x", {invalid = "no"}) end},
      {"bad argument #1 to 'kwic' (lode.Doc expected, got number)", function() return lode.kwic(5, "a") end},
      {"bad argument #2 to 'kwic' (string or lode.Regex expected, got number)",
       function() return lode.kwic(doc, 5) end},
      {"(lode.Doc expected, got FILE*)", function() return lode.Doc.line(io.stdout, 1) end},
      {"(lode.Doc expected, got lode.Regex)", function() return lode.Doc.line_of(OBJECTS.re, 1) end},
      {"(lode.Doc expected, got table)", function() return lode.Doc.text({}) end},
      {"(lode.Regex expected, got lode.Doc)",
       function() return getmetatable(OBJECTS.re).__index.find(doc, "a") end},
      {"(lode.Regex expected, got lode.View)",
       function() return getmetatable(OBJECTS.re).__index.gfind_words(OBJECTS.v, "a") end},
      {"bad argument #2 to 'gfind_words' (lode.WordSet expected, got lode.Regex)",
       function() return OBJECTS.re:gfind_words("a", OBJECTS.re, "") end},
      {"calling 'origin' on bad self (view is closed)",
       function() local v = doc:normalize(); v:close(); return v:origin(1) end},
      {"calling 'find' on bad self (regex is freed)", function()
         local re = lode.regex("only in this case")
         getmetatable(re).__gc(re)
         return re:find("x")
       end},
      {"(lode.View expected, got lode.Regex)", function() return core.View.text(OBJECTS.re) end},
      {"(lode.View expected, got lode.Doc)", function() return core.View.origin(doc, 1) end},
      {"calling 'line' on bad self (document is closed)",
       function() local d = lode.from_string("x"); d:close(); return d:line(1) end},
      {"gmatch: the document was closed during the loop",
       function() local d = lode.from_string("xa"); local it = d:gmatch("a"); d:close(); return it() end},
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[2])
      assert.is_false(ok, c[1])
      assert.matches(c[1], tostring(err), 1, true)
    end
  end)
end)
