-- Specs for the discoverable API: the REPL completes every submodule
-- before its first use, :help prints docs/API.md's entry for a name, and
-- every function lode exposes has an entry there.
local lode = require "lode"

local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local run = require("shell").run

-- What the REPL shows on a terminal for these keystrokes (then Ctrl-D).
local function on_terminal(...)
  local keys = {}
  for k, s in ipairs{...} do keys[k] = "'" .. s .. "'" end
  local out, _, code = run("python3 " .. SRC .. "/tests/lua/repl_pty.py " .. BIN .. " "
                           .. table.concat(keys, " "))
  assert.are.equal(0, code)
  return out
end

describe("REPL completion", function()
  it("lists every module under lua/lode/ as a lazily loaded submodule", function()
    local listed = {}
    for _, name in ipairs(getmetatable(lode).__lazy) do listed[name] = true end
    local files = assert(lode.expand(SRC .. "/lua/lode/*.lua"))
    for _, f in ipairs(assert(lode.expand(SRC .. "/lua/lode/*/init.lua"))) do
      files[#files + 1] = f:gsub("/init%.lua$", ".lua")
    end
    local n = 0
    for _, f in ipairs(files) do
      local name = f:match("([^/]+)%.lua$")
      if name ~= "init" then
        n = n + 1
        assert.is_true(listed[name], "lode." .. name .. " is missing from init.lua's SUBMODULES")
      end
    end
    assert.is_true(n >= 10)
  end)

  it("offers submodules before their first use, and after it once", function()
    local out = on_terminal("x = lode.summ\\t", "\\n", "type(x), x == lode.summary\\n",
                            "lode.ext\\t\\t", "\\n", "lode.summ\\t", "\\n")
    assert.matches("x = lode.summary", out, 1, true)         -- completed, not loaded yet
    assert.matches('"table"%s+true', out)
    assert.matches("extract", out, 1, true)                  -- "lode.ext" completes
    assert.not_matches("lode%.summarysummary", out)
  end)
end)

-- The names docs/API.md documents: the first word of each "### " heading.
local function documented()
  local f = assert(io.open(SRC .. "/docs/API.md"))
  local names = {}
  for line in f:lines() do
    local name = line:match("^### ([%w_.:]*[%w_])")
    if name then
      assert.is_nil(names[name], "two entries for " .. name)
      names[name] = true
    end
  end
  f:close()
  return names
end

local function callable(v)
  local mt = getmetatable(v)
  return type(v) == "function" or type(mt) == "table" and mt.__call ~= nil
end

-- Every function lode exposes, named as the reference names it: lode.X,
-- lode.MODULE.X, and doc:X, v:X, re:X, g:X, ws:X, buf:X for methods.
local MODULES = {"chart", "clean", "extract", "manifest", "meta", "out", "report", "stats", "summary",
                 "variants", "words"}
local function exposed()
  local names = {}
  local function add(prefix, t)
    for k, v in pairs(t) do
      if type(k) == "string" and callable(v) then names[prefix .. k] = true end
    end
  end
  for _, m in ipairs(MODULES) do add("lode." .. m .. ".", lode[m]) end
  for _, kind in ipairs(lode.extract.KINDS) do add("lode.extract.", {[kind] = lode.extract[kind]}) end
  add("lode.", {kwic = lode.kwic})
  add("lode.", lode)
  add("doc:", lode.Doc)
  add("v:", lode.View)
  add("g:", lode.Gazetteer)
  add("re:", getmetatable(lode.regex("x")).__index)
  add("ws:", getmetatable(lode.words.wordset("stopwords_en")).__index)
  add("buf:", getmetatable(lode.out.line_buffer()).__index)
  return names
end

describe("the API reference (docs/API.md)", function()
  it("has an entry for every function lode exposes, and none for others", function()
    local doc, api = documented(), exposed()
    local missing, stale = {}, {}
    for name in pairs(api) do if not doc[name] then missing[#missing + 1] = name end end
    for name in pairs(doc) do if not api[name] then stale[#stale + 1] = name end end
    table.sort(missing)
    table.sort(stale)
    assert.are.same({}, missing, "functions without an entry in docs/API.md")
    assert.are.same({}, stale, "entries in docs/API.md for no function")
    local n = 0
    for _ in pairs(api) do n = n + 1 end
    assert.is_true(n > 100)
  end)

  it("is what :help NAME prints in the REPL", function()
    local out, _, code = run(BIN .. " repl", ":help lode.kwic\n:help doc:line\n:help re:find\n")
    assert.are.equal(0, code)
    assert.matches("lode.kwic(doc, pattern [, width])\nKeyword-in-context", out, 1, true)
    assert.matches("doc:line(n)\nThe text of line", out, 1, true)
    assert.matches("re:find(s [, init])\nThe first match", out, 1, true)
    assert.matches("    print(doc:line(1))", out, 1, true)      -- the example, unfenced
    assert.not_matches("```", out, 1, true)
    assert.not_matches("doc:lines()", out, 1, true)            -- one entry, not the next
  end)

  it("finds a name by its last part and suggests close names for a typo", function()
    local out = run(BIN .. " repl", ":help kwic\n:help d:sentences\n:help lode.kwik\n"
                    .. ":help re:fnd\n:help zzzzzz\n:help\n")
    assert.matches("lode.kwic(doc, pattern [, width])", out, 1, true)
    assert.matches("doc:sentences()", out, 1, true)
    assert.matches("no entry for 'lode.kwik' in the API reference; did you mean lode.kwic?",
                   out, 1, true)
    assert.matches("no entry for 're:fnd' in the API reference; did you mean re:find", out, 1, true)
    assert.matches("no entry for 'zzzzzz' in the API reference\n", out, 1, true)
    assert.matches("Tab completes", out, 1, true)               -- bare :help
  end)
end)

-- The examples of docs/API.md: every code block, run against a small
-- world (a corpus document, a regex, a gazetteer ...); a block ending in
-- "EXPR  --> VALUE" must give VALUE.
local function examples()
  local f = assert(io.open(SRC .. "/docs/API.md"))
  local text = f:read("a")
  f:close()
  local out = {}
  for name, body in text:gmatch("\n### ([%w_.:]*[%w_])[^\n]*\n.-```lua\n(.-)```") do
    out[#out + 1] = {name = name, code = body}
  end
  return out
end

local function world()
  local path = SRC .. "/corpus/004_14209ef97e7b3a33.txt"
  local doc = assert(lode.load(path))
  local env = setmetatable({}, {__index = _G})
  local function quiet() end
  local sink = {write = quiet, close = quiet}
  env.print = quiet
  env.io = setmetatable({write = quiet, open = function() return sink end}, {__index = io})
  env.lode, env.doc, env.path, env.docs = lode, doc, path, {doc}
  env.s = "Peace talks in Baku went on; Baku said 2021."
  env.v = doc:normalize(lode.MATCH_FORM)
  env.re = lode.regex("Baku")
  env.g = lode.gazetteer{{"Baku", "Baku", "place"}, {"Nakhichevan", "Nakhchivan", "place"}}
  env.ids = env.g:hits(doc)
  env.ws = lode.core.wordset{"the"}
  env.buf = lode.out.line_buffer()
  env.m = doc:gmatch("Nakh\\w+")()
  env.records = lode.extract.all(doc)
  env.r = env.records[1]
  env.row = lode.from_string("text,date\nTalks in Baku,2021-03-03\n", {format = "csv"}):rows()()
  env.clusters = lode.variants.clusters({doc})
  env.s_summary = nil
  env.doc1, env.doc2, env.doc3 = doc, lode.from_string("War and peace."), lode.from_string("Talks.")
  return env
end

local util = require "luassert.util"
local pretty = require "lode.pretty"

describe("the examples of docs/API.md", function()
  it("run, and give the values they show", function()
    local env, ran, checked, failed = world(), 0, 0, {}
    env.s_corpus = lode.summary.corpus({env.doc})
    for _, ex in ipairs(examples()) do
      local code, expect = ex.code, nil
      local last = code:match("([^\n]*)\n?$")
      if last:find("-->", 1, true) then
        local before = code:sub(1, #code - #last - 1)
        local expr, value = last:match("^(.-)%s*%-%->%s*(.-)%s*$")
        local stmts, tail = expr:match("^(.*;)%s*([^;]+)$")
        if stmts then before, expr = before .. stmts, tail end
        expr = expr:match("^print(%b())$") or expr      -- "print(x)  --> v": x is v
        code = "return " .. before .. expr                -- an expression over lines
        if not load(code) then code = before .. "\nreturn " .. expr end
        expect = assert(load("return " .. value, "=" .. ex.name .. " value"))
      end
      -- report examples use a summary named s, other examples a string s
      -- (and a fresh gazetteer: a built one takes no more aliases)
      local fenv = setmetatable({g = lode.gazetteer{{"Baku", "Baku", "place"}}}, {__index = env})
      if ex.name:find("^lode%.report%.") then fenv.s = env.s_corpus end
      local chunk, err = load(code, "=" .. ex.name, "t", fenv)
      local got = chunk and table.pack(pcall(chunk)) or {false, err}
      if not got[1] then
        failed[#failed + 1] = ex.name .. ": " .. tostring(got[2])
      elseif expect then
        local want = table.pack(expect())
        local have = table.pack(table.unpack(got, 2, got.n))
        if not util.deepcompare(want, have) then
          failed[#failed + 1] = ex.name .. ": gives " .. pretty(have) .. ", not " .. pretty(want)
        end
        checked = checked + 1
      end
      ran = ran + 1
    end
    assert.are.same({}, failed)
    assert.is_true(ran > 100)
    assert.is_true(checked > 20)
  end)
end)
