-- Specs for lode.manifest: a CSV that says what pages do not (outlet, date,
-- language, any column), matched to documents by their identity (doc.id),
-- overriding the page's meta, and grouping the summary.
local lode = require "lode"
local summary = require "lode.summary"

local BIN = os.getenv("LODE_BIN")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local dir
local function put(rel, text)
  os.execute("mkdir -p " .. q((dir .. "/" .. rel):match("^(.*)/")))
  local f = assert(io.open(dir .. "/" .. rel, "wb"))
  f:write(text)
  f:close()
  return dir .. "/" .. rel
end

-- stdout, stderr and exit code of a shell command run in dir
local function sh(cmd)
  return require("shell").run("cd " .. q(dir) .. " && " .. cmd)
end

setup(function()
  local p = io.popen("mktemp -d")
  dir = p:read("l")
  p:close()
  -- three pages, two of them named alike; one states its own site
  put("press/a/2021/index.txt", "Talks in Baku\n\nThe ministers met in Baku on Monday and agreed on "
      .. "a new round of talks about the border.\n")
  put("press/b/2021/index.txt", "---\nsite_name: Page Site\ndate: 2020-01-02\n---\n"
      .. "Talks in Yerevan\n\nThe ministers met in Yerevan on Tuesday and spoke about the border "
      .. "and the corridor.\n")
  put("press/c/index.txt", "Notes\n\nA page that nobody listed in the manifest, about the border.\n")
  put("press/feed.csv", 'id,text\n1,"Ceasefire talks resumed in Geneva, the envoys said."\n'
      .. '2,"The border stayed calm, officials said."\n')
  put("manifest.csv", "path,outlet,date,language,region\n"
      .. "./press/a/2021/index.txt,Daily A,2021-03-04,en,South\n"
      .. "press/b/2021//index.txt,\"B Post, Yerevan\",,hy,\n"
      .. "press/feed.csv,Feed Wire,,en,North\n")
end)
teardown(function() os.execute("rm -rf " .. q(dir)) end)

describe("lode.manifest", function()
  it("reads the header's columns and a row per document, paths named as documents are", function()
    local m = lode.manifest(dir .. "/manifest.csv")
    assert.are.same({"path", "outlet", "date", "language", "region"}, m.columns)
    assert.are.equal(3, #m.rows)
    local b = m.by_path["press/b/2021/index.txt"]
    assert.are.equal(3, b.line)
    assert.are.same({outlet = "B Post, Yerevan", language = "hy"}, b.fields)
    assert.are.equal("Daily A", m.by_path["press/a/2021/index.txt"].fields.outlet)
  end)

  it("refuses a bad manifest with its file and line", function()
    local cases = {
      {"nopath.csv", "file,outlet\na.txt,X\n", 'nopath.csv:1: no "path" column'},
      {"twice.csv", "path,outlet\na.txt,X\nb.txt,Y\n./a.txt,Z\n", "twice.csv:4: a.txt is listed already, on line 2"},
      {"quote.csv", 'path,outlet\na.txt,"Daily\nb.txt,Y\n', "quote.csv:2: quote never closes"},
      {"blank.csv", "path,outlet\n,X\n", "blank.csv:2: a row without a path"},
      {"empty.csv", "", "empty.csv: an empty manifest"},
      {"nul.csv", "path,outlet\na.txt,X\0\n", "nul.csv:2: binary data"},
    }
    for _, c in ipairs(cases) do
      local path = put(c[1], c[2])
      local ok, err = pcall(lode.manifest, path)
      assert.is_false(ok, c[1])
      assert.matches(c[3], err, 1, true)
    end
    local ok, err = pcall(lode.manifest, dir .. "/nosuch.csv")
    assert.is_false(ok)
    assert.matches("nosuch.csv: cannot open", err, 1, true)
  end)

  it("overrides the page's meta, saying it came from the manifest", function()
    local seen = {}
    for doc in lode.corpus(dir .. "/press", {manifest = dir .. "/manifest.csv",
                                            on_error = function() end}) do
      seen[doc.id] = lode.meta(doc)
    end
    local a, b = seen["press/a/2021/index.txt"], seen["press/b/2021/index.txt"]
    assert.are.equal("Daily A", a.site)
    assert.are.equal("2021-03-04", a.published)
    assert.are.same({from = "manifest"}, a.sources.site)
    assert.are.same({from = "manifest"}, a.sources.published)
    -- the manifest's outlet wins over the page's own; the page's date stays
    assert.are.equal("B Post, Yerevan", b.site)
    assert.are.equal("manifest", b.sources.site.from)
    assert.are.equal("2020-01-02", b.published)
    assert.are.equal("front_matter:date", b.sources.published.from)
    -- a dataset file's row covers its rows; an unlisted page keeps its meta
    assert.are.equal("Feed Wire", seen["press/feed.csv#2"].site)
    assert.is_nil(seen["press/c/index.txt"].site)
  end)

  it("gives each section of a huge document the document's row", function()
    local docs = lode.corpus(dir .. "/press", {manifest = dir .. "/manifest.csv", on_error = function() end})
    for doc in docs do if doc.id == "press/a/2021/index.txt" then
      local n = 0
      for part in doc:sections(40) do
        n = n + 1
        assert.are.equal(n, part.section)
        assert.are.equal("Daily A", lode.meta(part).site)
        assert.are.equal("manifest", lode.meta(part).sources.site.from)
      end
      assert.is_true(n >= 2)
    end end
    local other = lode.from_string("Notes\n\nA page of its own, read in two sections.\n", {name = "n.txt"})
    for part in other:sections(20) do assert.is_nil(lode.meta(part).site) end
  end)

  it("reports each row no document matched, naming the manifest's line", function()
    put("extra.csv", "path,outlet\npress/a/2021/index.txt,A\npress/zz/gone.txt,Z\n")
    local errors, n = {}, 0
    for _ in lode.corpus(dir .. "/press", {manifest = dir .. "/extra.csv",
                                          on_error = function(_, msg) errors[#errors + 1] = msg end}) do
      n = n + 1
    end
    assert.are.equal(5, n)
    assert.are.same({dir .. "/extra.csv:3: no document press/zz/gone.txt was read"}, errors)
    assert.has_error(function()
      for _ in lode.corpus(dir .. "/press", {manifest = dir .. "/extra.csv", strict = true}) do end
    end, dir .. "/extra.csv:3: no document press/zz/gone.txt was read")
  end)

  it("is read by the scripts with --manifest, a bad one exiting 1 with its line", function()
    local out, _, code = sh(q(BIN) .. " run " .. q(SRC .. "/scripts/extract.lua")
                            .. " --manifest manifest.csv press/a")
    assert.are.equal(0, code)
    -- press/a is the root here: the manifest row (press/a/...) matches no document
    assert.is_nil(out:find('"site":"Daily A"', 1, true))
    out, _, code = sh(q(BIN) .. " run " .. q(SRC .. "/scripts/extract.lua")
                      .. " --manifest manifest.csv press")
    assert.are.equal(0, code)
    assert.matches('{"doc":"press/a/2021/index.txt","kind":"meta",[^\n]*"site":"Daily A"', out)
    assert.matches('"site":{"from":"manifest"}', out, 1, true)
    local _, err
    _, err, code = sh(q(BIN) .. " run " .. q(SRC .. "/scripts/extract.lua")
                      .. " --manifest quote.csv press")
    assert.are.equal(1, code)
    assert.matches("quote.csv:2: quote never closes", err, 1, true)
    _, err, code = sh(q(BIN) .. " run " .. q(SRC .. "/scripts/kwic.lua")
                      .. " --manifest extra.csv border press")
    assert.are.equal(1, code)   -- an input (the manifest's row) failed
    assert.matches("extra.csv:3: no document press/zz/gone.txt", err, 1, true)
  end)

  it("serves a batch job that attaches it, as the README shows", function()
    put("job.lua", 'local lode = require "lode"\n'
        .. 'local m = lode.manifest("manifest.csv")\n'
        .. 'return {map = function(doc, emit)\n'
        .. '  lode.manifest.attach(doc, m)\n'
        .. '  emit{kind = "site", value = lode.meta(doc).site or "-"}\n'
        .. 'end}\n')
    local out, _, code = sh(q(BIN) .. " batch job.lua press --ordered")
    assert.are.equal(0, code)
    assert.are.equal('{"doc":"press/a/2021/index.txt","kind":"site","value":"Daily A"}\n'
      .. '{"doc":"press/b/2021/index.txt","kind":"site","value":"B Post, Yerevan"}\n'
      .. '{"doc":"press/c/index.txt","kind":"site","value":"-"}\n'
      .. '{"doc":"press/feed.csv#1","kind":"site","value":"Feed Wire"}\n'
      .. '{"doc":"press/feed.csv#2","kind":"site","value":"Feed Wire"}\n', out)
  end)
end)

describe("lode.summary grouped by a column", function()
  local function framing(group)
    local s = summary.corpus(lode.corpus(dir .. "/press", {manifest = dir .. "/manifest.csv"}),
                             {group = group})
    local groups = {}
    for _, o in ipairs(s.framing.outlets) do groups[o.outlet] = o.documents end
    return groups, s
  end

  it("groups by outlet by default: the manifest's or the page's, never a file name", function()
    local groups, s = framing()
    assert.are.equal("outlet", s.framing.group)
    assert.are.same({
      ["Daily A"] = {"press/a/2021/index.txt"},
      ["B Post, Yerevan"] = {"press/b/2021/index.txt"},
      ["(unknown)"] = {"press/c/index.txt"},
      ["Feed Wire"] = {"press/feed.csv#1", "press/feed.csv#2"},
    }, groups)
    for _, d in ipairs(s.documents) do assert.is_nil(d.outlet:find("index", 1, true)) end
  end)

  it("groups by any manifest column, or a meta field", function()
    assert.are.same({en = {"press/a/2021/index.txt", "press/feed.csv#1", "press/feed.csv#2"},
                     hy = {"press/b/2021/index.txt"}, ["(unknown)"] = {"press/c/index.txt"}},
                    (framing("language")))
    assert.are.same({South = {"press/a/2021/index.txt"}, North = {"press/feed.csv#1", "press/feed.csv#2"},
                     ["(unknown)"] = {"press/b/2021/index.txt", "press/c/index.txt"}},
                    (framing("region")))
    -- "date": the manifest's, else the page's own
    local by_date = framing("date")
    assert.are.same({"press/a/2021/index.txt"}, by_date["2021-03-04"])
    assert.are.same({"press/b/2021/index.txt"}, by_date["2020-01-02"])
  end)

  it("is what summarize.lua --manifest FILE --group COLUMN shows", function()
    local out, _, code = sh(q(BIN) .. " run " .. q(SRC .. "/scripts/summarize.lua")
                            .. " --manifest manifest.csv --group language press")
    assert.are.equal(0, code)
    assert.matches("## Framing by language", out, 1, true)
    assert.matches("\n| hy | press/b/2021/index.txt | ", out, 1, true)
    assert.matches("\n| en | press/a/2021/index.txt; press/feed.csv#1; press/feed.csv#2 | ", out, 1, true)
    -- the documents table names each document uniquely, with its outlet
    assert.matches("\n| press/b/2021/index.txt | B Post, Yerevan | ", out, 1, true)
    assert.matches("Outlets: Daily A, B Post, Yerevan, Feed Wire (1 document without a stated site)",
                   out, 1, true)
  end)
end)
