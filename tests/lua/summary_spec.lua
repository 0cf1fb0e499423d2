-- Specs for lode.summary and lode.report: the corpus report agrees with the
-- extractors' records, every citation points at its text, every format
-- renders the same values (and parses back), nasty inputs (an empty
-- corpus, an empty document, "<script>", commas / quotes / newlines in
-- fields) work, and the script runs from the host.
local lode = require "lode"
local summary = require "lode.summary"
local report = require "lode.report"
local extract = require "lode.extract"
local cjson = require "cjson"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local BIN = os.getenv("LODE_BIN")
local FIX = SRC .. "/tests/fixtures/summary/"

local function load_all(spec)
  local docs, by_name = {}, {}
  for d in lode.corpus(spec) do docs[#docs + 1] = d; by_name[d.id] = d end
  return docs, by_name
end

-- RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes, newlines).
local function parse_csv(text)
  local rows, row, field, k, n = {}, {}, {}, 1, #text
  local quoted = false
  while k <= n do
    local c = text:sub(k, k)
    if quoted then
      if c == '"' then
        if text:sub(k + 1, k + 1) == '"' then field[#field + 1] = '"'; k = k + 1
        else quoted = false end
      else field[#field + 1] = c end
    elseif c == '"' then quoted = true
    elseif c == "," then row[#row + 1] = table.concat(field); field = {}
    elseif c == "\r" or c == "\n" then
      if c == "\r" and text:sub(k + 1, k + 1) == "\n" then k = k + 1 end
      row[#row + 1] = table.concat(field); field = {}
      rows[#rows + 1] = row; row = {}
    else field[#field + 1] = c end
    k = k + 1
  end
  assert(not quoted, "unterminated quoted field")
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
  return rows
end

local function count(s, pat)
  return select(2, s:gsub(pat, ""))
end

local function check_html(html)
  assert.are.equal(1, count(html, "<!DOCTYPE html>"))
  for _, tag in ipairs{"table", "section", "tr", "thead", "tbody", "tfoot", "html", "body", "h2",
                       "svg", "a", "details", "ol", "li", "title", "text", "figure", "figcaption"} do
    assert.are.equal(count(html, "<" .. tag .. "[ >]"), count(html, "</" .. tag .. ">"),
      "balanced <" .. tag .. ">")
  end
  assert.is_nil(html:find("<script", 1, true), "no script element and no unescaped <script")
  assert.is_nil(html:find("<link", 1, true), "no external stylesheet")
  assert.is_nil(html:find("src=", 1, true), "no external assets")
end

local function check_csv(s)
  for _, name in ipairs(report.TABLES) do
    local rows = parse_csv(report.csv(s, name))
    assert.is_true(#rows >= 1, name .. ": header")
    local width = #rows[1]
    assert.is_true(width >= 2, name .. ": columns")
    for k, r in ipairs(rows) do
      assert.are.equal(width, #r, name .. ": row " .. k .. " has the header's column count")
    end
  end
end

-- The tables of a report as Markdown or HTML shows them, in page order:
-- arrays of rows of cell strings, the header first.
local function unescape_html(s)
  return (s:gsub("<[^>]*>", ""):gsub("&(#?%w+);", {lt = "<", gt = ">", amp = "&", quot = '"',
    ["#39"] = "'"}))
end

local function cells_md(md)
  local tables = {}
  for line in (md .. "\n"):gmatch("([^\n]*)\n") do
    if line:sub(1, 2) == "| " then
      if not line:find("^| %-%-%-") then
        local r = {}
        -- split at " | " (a pipe in a cell is written "\|"), then drop escapes
        for cell in (line:sub(3, -3) .. " | "):gmatch("(.-) | ") do
          r[#r + 1] = (cell:gsub("\\(.)", "%1"))
        end
        local rows = tables[#tables]
        rows[#rows + 1] = r
      end
    elseif line:find("^## ") then
      tables[#tables + 1] = {}
    end
  end
  return tables
end

local function cells_html(html)
  local tables = {}
  for body in html:gmatch("<table>(.-)</table>") do
    local rows = {}
    for tr in body:gmatch("<tr>(.-)</tr>") do
      local r = {}
      for cell in tr:gmatch("<t[hd][^>]*>(.-)</t[hd]>") do r[#r + 1] = unescape_html(cell) end
      rows[#rows + 1] = r
    end
    tables[#tables + 1] = rows
  end
  return tables
end

local function text_of(v)
  if v == nil or v == cjson.null then return "" end
  if math.type(v) == "float" then return string.format("%.14g", v) end
  return tostring(v)
end

-- Every table, every cell: Markdown, HTML, CSV and JSON show the same value.
local function check_same_values(s)
  local one_line = function(x) return (x:gsub("[\r\n]+", " ")) end
  local md_tables, html_tables = cells_md(report.markdown(s)), cells_html(report.html(s))
  local j = cjson.decode(report.json(s))
  local n, k = 0, 0
  for t_index, t in ipairs(report.tables(s)) do
    local jt = j.tables[t_index]
    assert.are.equal(t.name, jt.name)
    if #t.rows > 0 then
      k = k + 1
      local csv = parse_csv(report.csv(s, t.name))
      local col = {}
      for c, name in ipairs(csv[1]) do col[name] = c end
      local md, html = md_tables[t_index], html_tables[k]
      assert.are.equal(#t.rows + 1 + (t.total and 1 or 0), #md, t.name .. " rows in Markdown")
      assert.are.equal(#md, #html, t.name .. " rows in HTML")
      assert.are.equal(#t.rows + 1, #csv, t.name .. " rows in CSV")
      for r = 1, #t.rows do
        local jr = jt.rows[r]
        for c, column in ipairs(t.columns) do
          local shown = md[r + 1][c]
          assert.are.equal(shown, one_line(html[r + 1][c]), t.name .. " HTML " .. r .. ":" .. c)
          local want
          if column.cite then
            want = jr.line and (jr.doc .. ":" .. text_of(jr.line)) or jr.doc
            local csv_want = csv[r + 1][col.line] ~= "" and
              (csv[r + 1][col.doc] .. ":" .. csv[r + 1][col.line]) or csv[r + 1][col.doc]
            assert.are.equal(want, csv_want, t.name .. " CSV citation " .. r)
          else
            want = text_of(jr[column[1]])
            assert.are.equal(want, csv[r + 1][col[column[1]]], t.name .. " CSV " .. r .. ":" .. column[1])
          end
          assert.are.equal(one_line(want), shown, t.name .. " Markdown " .. r .. ":" .. column[1])
          n = n + 1
        end
      end
    end
  end
  return n
end

describe("lode.summary on the corpus", function()
  local docs, by_name = load_all(SRC .. "/corpus")
  local t0 = os.clock()
  local s = summary.corpus(docs)
  local elapsed = os.clock() - t0
  local records = {}
  for _, d in ipairs(docs) do records[d.name] = extract.all(d) end

  it("summarizes every document with its meta and sizes", function()
    assert.are.equal(5, s.totals.documents)
    assert.are.equal(5, #s.documents)
    local bytes = 0
    for k, d in ipairs(s.documents) do
      assert.are.equal(docs[k].name, d.name)
      assert.are.equal(#docs[k], d.bytes)
      assert.are.equal(docs[k]:line_count(), d.lines)
      assert.is_true(d.body_words > 0 and d.body_words <= d.words)
      assert.is_true(#d.top > 0 and #d.body_top > 0)
      local m = lode.meta(docs[k])
      assert.are.equal(m.title, d.title)
      assert.are.equal(m.published, d.published)
      assert.are.equal(m.site or "(unknown)", d.outlet)   -- never a file name
      bytes = bytes + d.bytes
    end
    assert.are.equal(bytes, s.totals.bytes)
    assert.are.equal("Aze.Media", s.documents[2].outlet)
    assert.are.same({"Murad Muradov", "Simona Scotti"}, s.documents[2].authors)
    io.stderr:write(string.format("[time] summary.corpus on the corpus: %.3f s (extraction included)\n", elapsed))
    assert.is_true(elapsed < 5, "summary took " .. elapsed .. " s")
  end)

  it("counts actors exactly as the extractors' records do", function()
    local want = {}
    for _, recs in pairs(records) do
      for _, r in ipairs(recs) do
        if r.kind == "person" or r.kind == "org" or r.kind == "place" then
          local key = r.kind .. "|" .. r.name
          want[key] = want[key] or {n = 0, docs = {}}
          want[key].n = want[key].n + 1
          want[key].docs[r.doc or "?"] = true
        end
      end
    end
    local seen = 0
    for _, kind in ipairs{"person", "org", "place"} do
      for _, a in ipairs(s.actors[kind]) do
        local w = want[kind .. "|" .. a.name]
        assert.is_not_nil(w, a.name)
        assert.are.equal(w.n, a.mentions, a.name)
        seen = seen + 1
        -- the first mention is a citation of that name
        local doc = by_name[a.first.doc]
        assert.are.equal(a.first.line, doc:line_of(a.first.i))
      end
    end
    local nwant = 0
    for _ in pairs(want) do nwant = nwant + 1 end
    assert.are.equal(nwant, seen)
    local aliyev
    for _, a in ipairs(s.actors.person) do if a.name == "Ilham Aliyev" then aliyev = a end end
    assert.are.equal(5, aliyev.documents)
    assert.are.equal("President of Azerbaijan", aliyev.roles[1].role)
    -- most mentioned first
    for k = 2, #s.actors.place do
      assert.is_true(s.actors.place[k - 1].mentions >= s.actors.place[k].mentions)
    end
  end)

  it("has a sorted timeline of every date, each cited on its line", function()
    local ndates = 0
    for _, recs in pairs(records) do
      for _, r in ipairs(recs) do if r.kind == "date" then ndates = ndates + 1 end end
    end
    assert.are.equal(ndates, #s.timeline)
    for k, e in ipairs(s.timeline) do
      if k > 1 then assert.is_true(s.timeline[k - 1].value <= e.value, "sorted at " .. k) end
      local doc = by_name[e.doc]
      assert.are.equal(e.text, doc:sub(e.i, e.j))
      assert.is_truthy(doc:line(e.line):find(e.text, 1, true), e.doc .. ":" .. e.line)
      assert.is_truthy(e.sentence:find(e.text, 1, true), "sentence holds the date: " .. e.sentence)
      assert.is_true(#e.sentence <= summary.SENTENCE + 8)
      assert.is_truthy(utf8.len(e.sentence), "valid UTF-8 after trimming")
    end
    assert.are.equal("2021-11-16", (function()
      for _, e in ipairs(s.timeline) do if e.text == "November 16" then return e.value end end
    end)())
  end)

  it("groups quotes by speaker, each cited on its line", function()
    local nq, named = 0, 0
    for _, sp in ipairs(s.quotes) do
      assert.are.equal(#sp.quotes, sp.count)
      for _, q in ipairs(sp.quotes) do
        nq = nq + 1
        local doc = by_name[q.doc]
        assert.are.equal(q.text, doc:sub(q.i, q.j))
        local first = q.text:match("^[^\n]*")
        assert.is_truthy(doc:line(q.line):find(first, 1, true), q.doc .. ":" .. q.line)
        assert.is_true(#q.short <= summary.QUOTE + 8)
        assert.is_truthy(utf8.len(q.short))
      end
      if sp.speaker then named = named + 1 end
    end
    local want = 0
    for _, recs in pairs(records) do
      for _, r in ipairs(recs) do if r.kind == "quote" then want = want + 1 end end
    end
    assert.are.equal(want, nq)
    assert.is_true(named >= 5)
    for k = 1, #s.quotes - 1 do
      assert.is_not_nil(s.quotes[k].speaker, "unattributed quotes come last")
    end
  end)

  it("shows each outlet's names for Nagorno-Karabakh and its distinctive words", function()
    local nk
    for _, g in ipairs(s.framing.variants) do if g.group == "Nagorno-Karabakh" then nk = g end end
    assert.is_not_nil(nk)
    local forms = {}
    for _, f in ipairs(nk.forms) do forms[f.form] = f.count end
    assert.is_not_nil(forms.Artsakh)
    assert.is_not_nil(forms.Karabakh)
    assert.is_not_nil(forms["Nagorno-Karabakh"])
    -- per-outlet counts add up to the group's total and to the records
    local total, rec_total = 0, 0
    for _, o in ipairs(nk.outlets) do for _, f in ipairs(o.forms) do total = total + f.count end end
    for _, recs in pairs(records) do
      for _, r in ipairs(recs) do
        if r.kind == "place" and (r.name == "Nagorno-Karabakh" or r.name == "Karabakh"
            or r.name == "Republic of Artsakh") then rec_total = rec_total + 1 end
      end
    end
    assert.are.equal(nk.total, total)
    assert.are.equal(rec_total, total)
    -- one group per stated site; the pages that state none are one group,
    -- "(unknown)", not one "outlet" per file name
    local sites, unstated = {}, 0
    for _, d in ipairs(s.documents) do
      if d.site then sites[d.site] = true else unstated = unstated + 1 end
    end
    local groups = unstated > 0 and 1 or 0
    for _ in pairs(sites) do groups = groups + 1 end
    assert.is_true(unstated > 0)
    assert.are.equal(groups, #s.framing.outlets)
    for _, o in ipairs(s.framing.outlets) do
      if o.outlet == "(unknown)" then assert.are.equal(unstated, #o.documents) end
    end
    for _, o in ipairs(s.framing.outlets) do
      assert.is_true(#o.distinctive > 0, o.outlet)
      for k, w in ipairs(o.distinctive) do
        assert.is_true(w.z >= summary.MIN_Z)
        if k > 1 then assert.is_true(o.distinctive[k - 1].z >= w.z) end
      end
    end
  end)

  it("renders Markdown with every section", function()
    local md = report.markdown(s)
    for _, h in ipairs{"# Corpus summary: 5 documents", "## Documents", "## Actors",
                       "## Timeline", "## Quotes by speaker", "## Names and spellings",
                       "## Distinctive words",
                       "TOTAL (5 documents)", "corpus: " .. s.totals.body_top[1][1], "Ilham Aliyev",
                       "001_6d5d41b893ce7abd.txt:52"} do
      assert.is_truthy(md:find(h, 1, true), h)
    end
  end)

  it("renders JSON that decodes and keeps the facts and spans", function()
    local j = cjson.decode(report.json(s))
    local t = {}
    for _, x in ipairs(j.tables) do t[x.name] = x end
    assert.are.equal(5, j.documents)
    assert.are.equal(#s.timeline, #t.timeline.rows)
    assert.are.equal(s.actors.person[1].name, t.actors.rows[1].name)
    assert.are.equal(s.actors.person[1].mentions, t.actors.rows[1].mentions)
    for k, e in ipairs(t.timeline.rows) do
      assert.are.equal(s.timeline[k].value, e.value)
      assert.are.equal(e.text, by_name[e.doc]:text():sub(e.span[1] + 1, e.span[2]))
      assert.are.equal(s.timeline[k].line, e.line)
      assert.is_nil(e.i)
    end
    local q = t.quotes.rows[1]
    assert.are.equal(q.text, by_name[q.doc]:text():sub(q.span[1] + 1, q.span[2]))
    assert.are.equal(s.totals.bytes, t.sizes.total.bytes)
    assert.are.equal(s.documents[2].doc, t.documents.rows[2].doc)
    assert.are.same({"name", "kind"}, {t.variants.columns[1], t.variants.columns[2]})
  end)

  it("shows the same value in every format, cell by cell", function()
    local n = check_same_values(s)
    assert.is_true(n > 1000, n .. " cells compared")
  end)

  it("cuts the actors to the top N in every format, saying how many are left", function()
    local few = report.tables(s, {top = 2})[4]
    assert.are.equal("actors", few.name)
    assert.are.equal(6, #few.rows)
    assert.are.equal(#s.actors.person + #s.actors.org + #s.actors.place - 6, few.more)
    assert.is_truthy(report.markdown(s, {top = 2}):find(few.more .. " more", 1, true))
    assert.are.equal(few.more, cjson.decode(report.json(s, {top = 2})).tables[4].more)
    assert.are.equal(7, #parse_csv(report.csv(s, "actors", {top = 2})))
  end)

  it("renders CSV tables with a header and equal columns", function()
    check_csv(s)
    local rows = parse_csv(report.csv(s, "timeline"))
    assert.are.equal(#s.timeline + 1, #rows)
    assert.are.equal("value", rows[1][1])
    -- fields with commas, quotes and newlines survive
    local nasty = 'a, "b"\nc'
    table.insert(s.quotes, {speaker = 'Doe, "J."', count = 1, quotes = {{text = nasty,
      short = nasty, doc = "x,y.txt", line = 1, i = 1, j = #nasty}}})
    rows = parse_csv(report.csv(s, "quotes"))
    table.remove(s.quotes)
    local last = rows[#rows]
    assert.are.equal(#rows[1], #last)
    assert.are.equal('Doe, "J."', last[1])
    assert.are.equal(nasty, last[3])
    assert.are.equal("x,y.txt", last[5])
    assert.has_error(function() report.csv(s, "nope") end)
  end)

  it("renders one self-contained HTML page", function()
    check_html(report.html(s))
  end)
end)

describe("lode.summary on nasty input", function()
  it("summarizes an empty corpus in every format", function()
    local s = summary.corpus({})
    assert.are.equal(0, s.totals.documents)
    assert.are.same({}, s.timeline)
    assert.is_truthy(report.markdown(s):find("No documents", 1, true))
    assert.are.equal(0, cjson.decode(report.json(s)).documents)
    check_csv(s)
    check_html(report.html(s))
    -- an iterator over an empty directory works too
    s = summary.corpus(lode.corpus({}))
    assert.are.equal(0, s.totals.documents)
  end)

  it("summarizes a corpus with an empty document and escapes <script>", function()
    local docs = load_all(FIX)
    assert.are.equal(2, #docs)
    local s = summary.corpus(docs)
    assert.are.equal(2, s.totals.documents)
    local empty = s.documents[1]
    assert.are.equal("empty.txt", empty.name)
    assert.are.equal(0, empty.bytes)
    assert.are.same({}, empty.top)
    local html = report.html(s)
    check_html(html)
    assert.is_truthy(html:find("&lt;script&gt;", 1, true))
    local md = report.markdown(s)
    assert.is_nil(md:find("<script>", 1, true))
    assert.is_truthy(md:find("\\<script\\>", 1, true))
    check_csv(s)
    local j = cjson.decode(report.json(s))
    assert.are.equal('Talks stall again as <script>alert("x")</script> ministers trade blame',
                     j.tables[1].rows[2].title)
    check_same_values(s)
    -- competing names of the fixture: Stepanakert written as Khankendi
    local st
    for _, g in ipairs(s.framing.variants) do if g.group == "Stepanakert" then st = g end end
    assert.are.equal(2, #st.forms)
  end)

  it("trims long text at spaces and UTF-8 boundaries", function()
    local s = string.rep("Ərazi ", 100) .. "2024" .. string.rep(" Qarabağ", 100)
    local a = s:find("2024", 1, true)
    local e = summary.excerpt(s, 60, a, a + 3)
    assert.is_truthy(e:find("2024", 1, true))
    assert.is_truthy(utf8.len(e))
    assert.is_true(#e <= 60 + 8)
    assert.are.equal("short one", summary.excerpt("short\none", 60, 1, 1))
  end)
end)

describe("scripts/summarize.lua", function()
  local function run(args)
    local p = io.popen(BIN .. " run " .. SRC .. "/scripts/summarize.lua " .. args .. " 2>&1; echo \"rc=$?\"")
    local out = p:read("a")
    p:close()
    return out, tonumber(out:match("rc=(%d+)%s*$"))
  end

  it("runs on the corpus and exits 0 in every format", function()
    if not BIN then pending("LODE_BIN not set") return end
    local out, rc = run(SRC .. "/corpus/")
    assert.are.equal(0, rc, out)
    assert.is_truthy(out:find("# Corpus summary: 5 documents", 1, true))
    local tmp = os.tmpname()
    out, rc = run("--format json --top 3 -o " .. tmp .. " " .. SRC .. "/corpus/")
    assert.are.equal(0, rc, out)
    local fh = assert(io.open(tmp))
    local j = cjson.decode(fh:read("a"))
    fh:close()
    assert.are.equal("words", j.tables[3].name)
    assert.are.equal(3, select(2, j.tables[3].total.words:gsub("%(%d+%)", "")))
    out, rc = run("--format html " .. FIX)
    assert.are.equal(0, rc, out)
    check_html(out:gsub("rc=%d+%s*$", ""))
    out, rc = run("--format csv --table actors " .. SRC .. "/corpus/")
    assert.are.equal(0, rc, out)
    assert.are.equal("kind,name", out:sub(1, 9))
    -- -f x and --format=x are --format x
    local a = run("-f csv --table sizes " .. SRC .. "/corpus/")
    local b = run("--format=csv --table=sizes " .. SRC .. "/corpus/")
    assert.are.equal(a, b)
    assert.are.equal("doc,line,span_start,span_end,bytes", a:sub(1, 34))
    os.remove(tmp)
  end)

  it("rejects bad usage with exit code 2", function()
    if not BIN then pending("LODE_BIN not set") return end
    local _, rc = run("")
    assert.are.equal(2, rc)
    _, rc = run("--format pdf " .. SRC .. "/corpus/")
    assert.are.equal(2, rc)
    for _, bad in ipairs{"--format=pdf", "--top 0", "--top x", "--table nope", "-f"} do
      local out
      out, rc = run(bad .. " " .. SRC .. "/corpus/")
      assert.are.equal(2, rc, bad)
      assert.is_truthy(out:find("usage:", 1, true), bad)
    end
  end)
end)
