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

describe("document identity (doc.id, the \"doc\" of records)", function()
  local dir, tree
  local BIN = os.getenv("LODE_BIN")
  local function put(rel, text)
    local f = assert(io.open(dir .. "/" .. rel, "wb"))
    f:write(text)
    f:close()
  end
  setup(function()
    local p = io.popen("mktemp -d")
    dir = p:read("l")
    p:close()
    -- 2 outlets x 2 folders of pages all named index.txt, and a dataset
    tree = dir .. "/press"
    for _, d in ipairs{"press/a/2021", "press/a/2022", "press/b/2021", "other/press"} do
      os.execute("mkdir -p " .. q(dir .. "/" .. d))
    end
    for _, d in ipairs{"a/2021", "a/2022", "b/2021"} do
      put("press/" .. d .. "/index.txt", "Page of " .. d .. ", Baku.\n")
    end
    put("press/a/rows.csv", 'id,text\n1,"First row, Yerevan."\n2,"Second row."\n')
    put("other/press/index.txt", "Another press folder.\n")
  end)
  teardown(function() os.execute("rm -rf " .. q(dir)) end)

  -- stdout of `lode CMD SCRIPT ARGS` in cwd, SCRIPT a file holding `code`
  local function lode_in(cwd, cmd, code, args)
    local script = os.tmpname()
    local f = assert(io.open(script, "w"))
    f:write(code)
    f:close()
    local p = io.popen("cd " .. q(cwd) .. " && " .. q(BIN) .. " " .. cmd .. " " .. q(script)
                       .. " " .. args .. " 2>/dev/null")
    local out = p:read("a")
    p:close()
    os.remove(script)
    return out
  end

  local function ids(paths)
    local out = {}
    for doc in lode.corpus(paths) do out[#out + 1] = {doc.id, doc.name} end
    return out
  end

  it("names a document by its path below the directory named, after the directory's name", function()
    local want = {{"press/a/2021/index.txt", "index.txt"}, {"press/a/2022/index.txt", "index.txt"},
                  {"press/a/rows.csv#1", "rows.csv#1"}, {"press/a/rows.csv#2", "rows.csv#2"},
                  {"press/b/2021/index.txt", "index.txt"}}
    assert.are.same(want, ids(tree))
    assert.are.same(want, ids(tree .. "//"))          -- however the root is typed
    assert.are.same(want, ids({dir .. "/./press/"}))
  end)

  it("is the same from any working directory, and a file is named as given", function()
    local function run(cwd, args)
      return lode_in(cwd, "run", 'for doc in require("lode").corpus(arg) do print(doc.id) end\n', args)
    end
    local all = "press/a/2021/index.txt\npress/a/2022/index.txt\npress/a/rows.csv#1\n"
      .. "press/a/rows.csv#2\npress/b/2021/index.txt\n"
    assert.are.equal(all, run(dir, "press"))
    assert.are.equal(all, run(tree, "."))
    assert.are.equal(all, run(tree .. "/a", ".."))
    assert.are.equal("a/2021/index.txt\n", run(tree, "./a/2021/index.txt"))
    assert.are.equal("2021/index.txt\n", run(tree, "a/2021"))
  end)

  it("keeps two folders of one name apart by their paths as given", function()
    local got = {}
    for _, r in ipairs(ids({tree .. "/a/2021", tree .. "/b/2021", dir .. "/other/press"})) do
      got[#got + 1] = r[1]
    end
    assert.are.same({tree .. "/a/2021/index.txt", tree .. "/b/2021/index.txt",
                     "press/index.txt"}, got)
    -- one directory named twice keeps its one name
    local twice = ids({dir .. "/other/press", dir .. "/other/./press/"})
    assert.are.same({"press/index.txt", "press/index.txt"}, {twice[1][1], twice[2][1]})
  end)

  it("gives every record of a run a distinct doc, in lode batch too", function()
    local out = lode_in(dir, "batch", 'return {map = function(doc, emit) emit{kind = "n", name = doc.name} end}\n',
                        "press --ordered")
    assert.are.equal(
      '{"doc":"press/a/2021/index.txt","kind":"n","name":"index.txt"}\n' ..
      '{"doc":"press/a/2022/index.txt","kind":"n","name":"index.txt"}\n' ..
      '{"doc":"press/a/rows.csv#1","kind":"n","name":"rows.csv#1"}\n' ..
      '{"doc":"press/a/rows.csv#2","kind":"n","name":"rows.csv#2"}\n' ..
      '{"doc":"press/b/2021/index.txt","kind":"n","name":"index.txt"}\n', out)
  end)

  it("takes the id lode.load is given, and refuses one that is not a string", function()
    local path = tree .. "/a/2021/index.txt"
    assert.are.equal("x/y.txt", lode.load(path, {id = "x/y.txt"}).id)
    assert.are.equal(path:gsub("^%./", ""), lode.load(path).id)
    assert.has_error(function() lode.load(path, {id = 3}) end)
    assert.has_error(function() lode.corpus({tree, 3}) end)   -- not a path
  end)
end)
