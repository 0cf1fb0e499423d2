-- The README's tour, run as written: its REPL session is typed into
-- `lode repl`, its scripts are saved and its shell commands run from a
-- scratch directory laid out like a clone (build/, lua/, scripts/, a copy
-- of corpus/, `lode` on PATH), and what each prints is checked against what
-- the README shows or says. A block the spec does not know fails it, so the
-- README cannot grow a command that nobody runs.
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local BUILD = BIN:gsub("/bin/lode$", "")
local cjson = require "cjson"
local shell = require "shell"
local run, read, write, lines = shell.run, shell.read, shell.write, shell.lines

-- The text of the section headed `## title` (its subsections included).
local function section(readme, title)
  local start = assert(readme:find("\n## " .. title .. "\n", 1, true), "README has no section " .. title)
  local stop = readme:find("\n## ", start + 1, true) or #readme
  return readme:sub(start, stop)
end

-- The fenced code blocks of a text, in order: {info = "sh", body = "..."}.
local function blocks(text)
  local t = {}
  for info, body in text:gmatch("\n```(%w*)\n(.-\n)```") do t[#t + 1] = {info = info, body = body} end
  return t
end

-- Does `actual` show each line of `sample` in order? A sample line "…"
-- skips lines; a line ending in "…" is a prefix of its actual line.
local function shows(actual, sample)
  local got, at = lines(actual), 1
  for _, want in ipairs(lines(sample)) do
    if want ~= "…" then
      local prefix = want:match("^(.-) ?…\"?$")
      local found
      for k = at, #got do
        if got[k] == want or (prefix and got[k]:sub(1, #prefix) == prefix) then
          found = k
          break
        end
      end
      if not found then return false, "missing line: " .. want .. "\nin:\n" .. actual end
      at = found + 1
    end
  end
  return true
end

local dir

-- Run a shell command in the scratch directory, `lode` on PATH.
local function sh(cmd, input)
  return run("cd " .. dir .. " && PATH=" .. BUILD .. "/bin:$PATH && " .. cmd .. "\n", input)
end

local function json_lines(s)
  local t = {}
  for _, l in ipairs(lines(s)) do t[#t + 1] = cjson.decode(l) end
  return t
end

-- What each shell command of the README must print, found by a pattern of
-- the command; each entry checks (stdout, stderr) and must be used.
local checks = {
  ["lode run places%.lua corpus/$"] = function(out)
    assert.matches("^corpus/00%d_%x+%.txt\t%d+\t[^\t]+\t[^\t]+\n", out)
  end,
  ["lode extract corpus/$"] = function(out)
    local kinds = {}
    for _, r in ipairs(json_lines(out)) do
      assert.matches("^corpus/00%d_%x+%.txt$", r.doc)
      kinds[r.kind] = true
    end
    for _, k in ipairs{"meta", "date", "quote", "person", "place"} do assert.is_true(kinds[k], k) end
  end,
  ["lode clean corpus/001_6d5d41b893ce7abd%.txt$"] = function(out)
    local page, n = read(dir .. "/corpus/001_6d5d41b893ce7abd.txt"), 0
    for _, l in ipairs(lines(out)) do
      assert.is_truthy(page:find(l, 1, true), l)        -- the page's own lines, verbatim
      n = n + 1
    end
    assert.is_true(n > 5 and n < #lines(page))          -- the article, not the whole page
  end,
  ["lode kwic %-%-width 30 Nakhchivan corpus/$"] = function(out)
    assert.matches("^corpus/00%d_%x+%.txt:%d+ +[^\n]*%[Nakhchivan%]", out)
  end,
  ["lode summarize corpus/$"] = function(out)
    assert.matches("Corpus summary: 5 documents", out, 1, true)
  end,
  ["^lua5%.4 %-e"] = function(out)
    assert.matches("^%d+%.%d+%.%d+\n$", out)
  end,
  ["lode batch scripts/jobs/place_counts%.lua corpus/ %-j 2 %-o places%.jsonl$"] = function(_, err)
    assert.matches("5 documents", err, 1, true)
    local counts = {}
    for _, r in ipairs(json_lines(read(dir .. "/places.jsonl"))) do
      assert.are.equal("place_count", r.kind)
      counts[r.name] = r.value
    end
    assert.is_true(counts.Nakhchivan > 0 and counts.Armenia > counts.Nakhchivan)
  end,
  ["lode batch scripts/jobs/extract%.lua corpus/ %-j 2 %-o facts%.jsonl %-%-resume$"] = function(_, err)
    assert.matches("5 documents", err, 1, true)
    local docs = {}
    for _, r in ipairs(json_lines(read(dir .. "/facts.jsonl"))) do docs[r.doc] = true end
    assert.is_true(docs["corpus/004_14209ef97e7b3a33.txt"])
  end,
  ["lode run scripts/kwic%.lua %-%-sort right %-%-width 30 peace corpus/"] = function(out)
    assert.matches("%[peace%]", out)
  end,
  ["lode run scripts/kwic%.lua %-%-entry Nakhchivan corpus/"] = function(out)
    assert.matches("%[Nakhichevan%]", out)                -- another spelling of the entry
  end,
  ["lode run scripts/stats%.lua collocates peace"] = function(out)
    assert.matches("agreement", out, 1, true)
  end,
  ["lode run scripts/stats%.lua keywords"] = function(out)
    assert.is_true(#lines(out) > 1)
  end,
  ["lode run scripts/stats%.lua dispersion"] = function(out)
    assert.matches("peace agreement", out, 1, true)
  end,
}
local used = {}

-- Run a block's commands one by one (`export` lines stay in force for the
-- lines after them); each must exit 0 and pass its check. Returns the last
-- command's output.
local function run_commands(body)
  local env, out = "", nil
  for _, cmd in ipairs(lines(body)) do
    if cmd:match("^export ") then
      env = env .. cmd .. " && "
    else
      local err, code
      out, err, code = sh(env .. cmd)
      assert.are.equal(0, code, cmd .. "\n" .. err)
      local plain = cmd:gsub("%s+#.*$", ""):gsub("%s+$", ""):gsub("^build/bin/lode", "lode")
      local check
      for pattern, f in pairs(checks) do
        if plain:match(pattern) then
          assert.is_nil(check, "two checks for " .. cmd)
          check, used[pattern] = f, true
        end
      end
      assert.is_truthy(check, "the spec does not know the README's command: " .. cmd)
      check(out, err)
    end
  end
  return out
end

-- Type a REPL session's `lode> ` lines into `lode repl`; the other lines
-- are what it must print.
local function run_session(body)
  local input, sample = {}, {}
  for _, l in ipairs(lines(body)) do
    local typed = l:match("^lode> (.*)")
    if typed then input[#input + 1] = typed else sample[#sample + 1] = l end
  end
  assert.are.equal("$ build/bin/lode", table.remove(sample, 1))
  local out, err, code = sh("build/bin/lode repl", table.concat(input, "\n") .. "\n")
  assert.are.equal(0, code)
  assert.are.equal("", err)                               -- no line raised
  assert(shows(out, table.concat(sample, "\n")))
end

local readme

setup(function()
  readme = read(SRC .. "/README.md")
  dir = os.tmpname()
  os.remove(dir)
  local _, err, code = run("mkdir -p " .. dir .. "/build && cp -r " .. SRC .. "/corpus " .. dir
    .. " && ln -s " .. BUILD .. "/bin " .. BUILD .. "/lua " .. dir .. "/build"
    .. " && ln -s " .. SRC .. "/lua " .. SRC .. "/scripts " .. dir)
  assert(code == 0, err)
end)

teardown(function()
  if dir then run("rm -rf " .. dir) end
end)

describe("the README", function()
  it("runs its five-minute tour as written", function()
    local last                                            -- the output a sample block shows
    for _, b in ipairs(blocks(section(readme, "A five-minute tour"))) do
      if b.info == "sh" then
        last = run_commands(b.body)
      elseif b.info == "lua" then
        local name = assert(b.body:match("^%-%- ([%w_/]+%.lua)"), "a script block names its file")
        local shipped = io.open(SRC .. "/" .. name)
        if shipped then                                   -- shows a shipped script: its code
          shipped:close()
          local code = b.body:gsub("^[^\n]*\n", "")
          assert.are.equal(code, read(SRC .. "/" .. name):sub(-#code))
        else
          write(dir .. "/" .. name, b.body)
        end
      elseif b.body:match("^%$ ") then
        run_session(b.body)
      else
        assert(last, "a sample output block follows a command")
        assert(shows(last, b.body))
        last = nil
      end
    end
  end)

  it("runs the page's Lua example on a corpus page", function()
    local b = blocks(section(readme, "The page and the article"))[1]
    write(dir .. "/page.lua", 'local lode = require "lode"\nlocal doc = lode.load(arg[1])\n' .. b.body)
    local out, err, code = sh("lode run page.lua corpus/001_6d5d41b893ce7abd.txt")
    assert.are.equal(0, code, err)
    assert.matches("^[%a_]+\n", out)                     -- line 12's label
    assert.matches("\nbody\t%d+\t%d+\n", out)             -- the blocks, each with its lines
    assert.matches("Second Karabakh War", out, 1, true)   -- the article's text
  end)

  it("runs the corpus statistics commands", function()
    run_commands(blocks(section(readme, "Corpus statistics"))[1].body)
  end)

  it("shows records that extract.lua writes", function()
    local page = read(dir .. "/corpus/001_6d5d41b893ce7abd.txt")
    local records = json_lines((sh("lode extract corpus/001_6d5d41b893ce7abd.txt")))
    local sample = blocks(section(readme, "Record schema"))[1].body
    local whole = 0
    for _, l in ipairs(lines(sample)) do
      if not l:find("…", 1, true) then                    -- a record shown in full
        local want, found = cjson.decode(l), nil
        for _, r in ipairs(records) do
          if r.doc == want.doc and r.kind == want.kind and r.text == want.text then found = r end
        end
        assert.is_truthy(found, l)
        for key, value in pairs(want) do                  -- the same fields and values
          if key ~= "span" and key ~= "line" then assert.are.same(value, found[key]) end
        end
        assert.are.equal(want.text, page:sub(found.span[1] + 1, found.span[2]))   -- 0-based, end-exclusive
        whole = whole + 1
      end
    end
    assert.is_true(whole > 0)
  end)

  it("checked every command it knows", function()
    for pattern in pairs(checks) do assert.is_true(used[pattern], pattern) end
  end)
end)
