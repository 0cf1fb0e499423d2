-- Specs for lode.expand and lode.corpus over directory trees with symbolic
-- link loops: every real directory walked once, every loop told once.
local lode = require "lode"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

describe("walking directories with symbolic link loops", function()
  local dir
  setup(function()
    local p = io.popen("mktemp -d")
    dir = p:read("l")
    p:close()
    local function put(rel, text)
      local f = assert(io.open(dir .. "/" .. rel, "wb"))
      f:write(text)
      f:close()
    end
    os.execute("mkdir -p " .. q(dir .. "/a/b"))
    put("a/one.txt", "Baku, 2020.\n")
    put("a/b/two.txt", "Yerevan, 2021.\n")
    os.execute("ln -s .. " .. q(dir .. "/a/b/up") .. " && ln -s ../../a " .. q(dir .. "/a/b/again") ..
               " && ln -s a/b " .. q(dir .. "/side"))
  end)
  teardown(function() os.execute("rm -rf " .. q(dir)) end)

  it("lists each file once and returns the links not followed", function()
    local files, loops = lode.expand(dir)
    assert.are.same({dir .. "/a/b/two.txt", dir .. "/a/one.txt"}, files)
    local told = {}
    for _, l in ipairs(loops) do told[#told + 1] = l.path:sub(#dir + 2) end
    assert.are.same({"a/b/again", "a/b/up", "side"}, told)
    assert.are.equal(dir .. "/side: the directory " .. dir .. "/a/b again, through a symbolic link " ..
                     "(a link loop, or a second link to it); walked once only", loops[3].message)
  end)

  it("lets lode.corpus load each document once and report each loop once", function()
    local names, errors = {}, {}
    for doc in lode.corpus(dir, {on_error = function(p, msg) errors[#errors + 1] = {p, msg} end}) do
      names[#names + 1] = doc.name
    end
    assert.are.same({"two.txt", "one.txt"}, names)
    assert.are.equal(3, #errors)
    assert.are.equal(dir .. "/a/b/again", errors[1][1])
    assert.matches("walked once only", errors[1][2], 1, true)
  end)

  it("returns an empty loop list for a tree without links", function()
    local files, loops = lode.expand(dir .. "/a/b/two.txt")
    assert.are.same({dir .. "/a/b/two.txt"}, files)
    assert.are.same({}, loops)
  end)
end)
