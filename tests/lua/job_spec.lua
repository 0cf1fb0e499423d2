-- Specs for lode.job, the Lua side of lode batch/map/reduce: what map and
-- reduce hand back to the host for a job script, checked without the host.
local wrap = require "lode.job"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local DOC = SRC .. "/corpus/000_22d4f11e9d4f7577.txt"

describe("lode.job", function()
  local saved_print
  before_each(function() saved_print = print end)
  after_each(function() _G.print = saved_print end)

  it("refuses what is not a job table", function()
    assert.has_error(function() wrap(nil, "records") end,
                     "the script must return a table with a map function: " ..
                     "return {map = function(doc, emit) ... end}")
    assert.has_error(function() wrap({map = print, reduce = 1}, "records") end,
                     "the script's reduce must be a function")
  end)

  it("runs prepare stages on a document it keeps for that document's map", function()
    local seen = setmetatable({}, {__mode = "k"})
    local job = {
      prepare = {function(doc) seen[doc] = 1 end,
                 function(doc) if doc:text():find("Karabakh", 1, true) then seen[doc] = 2 end end},
      map = function(doc, emit) emit{kind = "stage", value = seen[doc] or 0} end,
    }
    local M = wrap(job, "records")
    assert.are.equal(2, M.stages)
    assert.is_true(M.prepare(DOC, "a", 1))
    assert.is_true(M.prepare(DOC, "a", 2))
    assert.are.equal('{"doc":"a","kind":"stage","value":2}\n', (M.map(DOC, nil, "a"):take()))
    -- map took it: the next map of that id loads the file afresh
    assert.are.equal('{"doc":"a","kind":"stage","value":0}\n', (M.map(DOC, nil, "a"):take()))
    -- a stage that fails leaves the document out; so does a missing file,
    -- a dataset file (its rows are the documents) and a later stage alone
    job.prepare[2] = function() error("no") end
    M = wrap(job, "records")
    assert.is_true(M.prepare(DOC, "b", 1))
    assert.is_false(M.prepare(DOC, "b", 2))
    assert.are.equal('{"doc":"b","kind":"stage","value":0}\n', (M.map(DOC, nil, "b"):take()))
    assert.is_false(M.prepare(SRC .. "/no/such/file.txt", "c", 1))
    assert.is_false(M.prepare(SRC .. "/tests/fixtures/formats/articles.jsonl", "d", 1))
    assert.is_false(M.prepare(DOC, "e", 2))
    -- a page over PREPARE_MAX bytes is mapped alone
    M.PREPARE_MAX = 100
    assert.is_false(M.prepare(DOC, "f", 1))
    assert.are.equal(0, wrap({map = print}, "records").stages)
    assert.has_error(function() wrap({map = print, prepare = print}, "records") end,
                     "the script's prepare must be a list of functions: prepare = {function(doc) ... end}")
    assert.has_error(function() wrap({map = print, prepare = {}}, "records") end)
  end)

  it("gives a document's records as JSON lines, after its key when keyed", function()
    local job = {map = function(doc, emit) emit{kind = "size", value = #doc} emit{kind = "x"} end}
    -- the records name the document by the identity the host gives; they
    -- come in a line buffer, which the host takes over
    local buf, _, bytes = wrap(job, "records").map(DOC, nil, "corpus/000.txt")
    local lines, n = buf:take()
    assert.are.equal(2, n)
    assert.are.equal(8295, bytes)
    assert.are.equal('{"doc":"corpus/000.txt","kind":"size","value":8295}\n' ..
                     '{"doc":"corpus/000.txt","kind":"x"}\n', lines)
    lines = wrap(job, "keyed").map(DOC, "K%09", "corpus/000.txt"):take()
    assert.matches('^K%%09\t{"doc":"corpus/000.txt","kind":"size","value":8295}\nK%%09\t{', lines)
    -- without one, the path as given
    assert.matches('^{"doc":"' .. DOC:gsub("^%./", ""):gsub("%p", "%%%0") .. '"',
                   (wrap(job, "records").map(DOC):take()))
    buf, _, bytes = wrap({map = function() end}, "records").map(DOC)
    lines, n = buf:take()
    assert.are.same({"", 0, 8295}, {lines, n, bytes})
  end)

  it("encodes emitted values canonically, so equal values give equal lines", function()
    local M = wrap({map = function(_, emit)
      local a, b = {}, {}
      a.z, a.a, a.m = 1, {2, 3}, {y = true, b = "s"}
      b.m, b.a, b.z = {b = "s", y = true}, {2, 3}, 1
      emit("k", a)
      emit("k", b)
    end, reduce = function() end}, "keyed")
    local lines, n = M.map(DOC)
    assert.are.equal(2, n)
    assert.are.equal('k\t{"a":[2,3],"m":{"b":"s","y":true},"z":1}\n' ..
                     'k\t{"a":[2,3],"m":{"b":"s","y":true},"z":1}\n', lines)
    assert.is_true(M.has_reduce)
  end)

  it("refuses keys that would break a key<TAB>json line, and cycles", function()
    for _, key in ipairs{"", "a\tb", "a\nb", "a\rb", 5} do
      local M = wrap({map = function(_, emit) emit(key, 1) end, reduce = function() end}, "keyed")
      assert.has_error(function() M.map(DOC) end)
    end
    local cyclic = {}
    cyclic.self = cyclic
    local M = wrap({map = function(_, emit) emit("k", cyclic) end, reduce = function() end}, "keyed")
    assert.has_error(function() M.map(DOC) end, "emit: value nested too deeply (a cycle?)")
  end)

  it("passes a map's or a load's error on, and reduces decoded values", function()
    local M = wrap({map = function() error("no luck", 0) end}, "records")
    assert.has_error(function() M.map(DOC) end, "no luck")
    assert.has_error(function() M.map(SRC .. "/no/such.txt") end)
    M = wrap({map = function() end, reduce = function(key, values, emit)
      emit({key = key, sum = values[1].n + values[2].n})
    end}, "keyed")
    assert.are.same({'{"key":"k","sum":5}\n', 1}, {M.reduce("k", {'{"n":2}', '{"n":3}'})})
  end)

  it("sends a job's print to stderr, keeping stdout for records", function()
    wrap({map = function() end}, "records")
    assert.are_not.equal(saved_print, print)
  end)
end)
