-- Specs for document formats: HTML pages and dataset rows as Docs whose
-- text maps back to the bytes of their file (lode.load's format, doc:origin,
-- doc:file_line, doc:markup, doc:html_meta, doc:rows, doc:fields), records
-- citing the file, and bad input that must give an error, never a crash.
local lode = require "lode"
local out = require "lode.out"
local cjson = require "cjson"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/formats/"
local BIN = os.getenv("LODE_BIN")

local function slurp(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function squash(s)
  return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

-- What a reader sees of some page bytes: tags out (an end tag right before
-- a start tag sets the two apart), entities decoded, white space collapsed
-- (the test's own small decoder, not lode's).
local ENTITIES = {amp = "&", lt = "<", gt = ">", quot = '"', nbsp = "\194\160",
                  middot = "\194\183", rdquo = "\226\128\157", copy = "\194\169"}
local function visible(bytes)
  local s = bytes:gsub("(</%w+%s*>)(<%a)", "%1 %2"):gsub("<[^>]*>", "")
  s = s:gsub("&#(%d+);", function(n) return utf8.char(tonumber(n)) end)
  s = s:gsub("&(%a+);", ENTITIES)
  return squash(s)
end

local function file_line_of(file, pos)   -- 1-based line of byte pos
  local _, n = file:sub(1, pos - 1):gsub("\n", "")
  return n + 1
end

describe("format detection", function()
  it("goes by extension, then by the first bytes", function()
    local page = "<!DOCTYPE html><html><body><p>Hi</p></body></html>"
    assert.equal("html", lode.from_string(page, {name = "a.html"}).format)
    assert.equal("html", lode.from_string(page, {name = "saved_page.txt"}).format)
    assert.equal("html", lode.from_string("\n  <html lang=en><p>x", {name = "x"}).format)
    assert.equal("text", lode.from_string("Plain <b>text</b> here.", {name = "a.txt"}).format)
    assert.equal("markdown", lode.from_string("# Title\n\nBody.", {name = "a.MD"}).format)
    assert.equal("jsonl", lode.from_string("{}", {name = "d.ndjson"}).format)
    assert.equal("csv", lode.from_string("a,b", {name = "d.csv"}).format)
  end)

  it("takes format = ... over the name, and the text of a text doc is its file", function()
    local page = "<html><body><p>Hi &amp; bye</p></body></html>"
    local d = lode.from_string(page, {name = "a.html", format = "text"})
    assert.equal("text", d.format)
    assert.equal(page, d:text())
    assert.same({3, 9}, {d:origin(3, 9)})
    assert.equal(1, d:file_line(5))
    assert.is_nil(d:markup())
    assert.same({}, d:html_meta())
    assert.equal("Hi & bye\n", lode.from_string(page, {format = "html"}):text())
    assert.has_error(function() lode.from_string("x", {format = "pdf"}) end)
  end)
end)

describe("an HTML page", function()
  local path = FIX .. "page.html"
  local file = slurp(path)
  local doc = assert(lode.load(path))
  local text = doc:text()

  it("is its visible text, one line a block, nothing from scripts or head", function()
    assert.equal("html", doc.format)
    for _, hidden in ipairs{"dataLayer", "not text", "color", "NewsArticle", "Menu",
                            "enable JavaScript", "svg label", "template text", "| The Caspian"} do
      assert.is_nil(text:find(hidden, 1, true), hidden)
    end
    local lines = {}
    for line in doc:lines() do lines[#lines + 1] = line end
    assert.same({"The Caspian Ledger", "World", "Region", "Opinion", "Border talks resume in Tbilisi",
                 "By Lena Aramyan \194\183 5 March 2024"}, {table.unpack(lines, 1, 6)})
    assert.equal("Email Subscribe", lines[#lines])
    assert.truthy(text:find("officials said. \226\128\156We are ready to sign,\226\128\157 a deputy "
                            .. "minister told reporters\194\160outside the hall.\n", 1, true))
    assert.truthy(text:find("\nAbout 300 people attended & the talks lasted six hours, according "
                            .. "to the foreign ministry.\nA second session is planned for April.\n",
                            1, true))
    assert.truthy(text:find("\nRound\nDate\nFirst\n12 December 2023\n", 1, true))
    assert.is_nil(text:find("\n\n", 1, true))
    assert.is_nil(text:find("  ", 1, true))
  end)

  it("maps every line back to the page bytes that show it", function()
    for line, n in doc:lines() do
      local i, j = doc:line_span(n)
      local fi, fj = doc:origin(i, j)
      assert.equal(squash(line), visible(file:sub(fi, fj)), "line " .. n)
      assert.equal(file_line_of(file, fi), doc:file_line(i))
    end
  end)

  it("tells each line's block, context and link density", function()
    local m = doc:markup()
    assert.equal(doc:line_count(), #m)
    local by_text = {}
    for line, n in doc:lines() do by_text[line] = m[n] end
    assert.is_true(by_text.World.context.nav)
    assert.is_true(by_text.World.context.header)
    assert.equal("li", by_text.World.block)
    assert.equal(1, by_text.World.link_density)
    assert.equal("h1", by_text["Border talks resume in Tbilisi"].block)
    assert.is_true(by_text["Border talks resume in Tbilisi"].context.heading)
    local cap = by_text["Delegations at the table on Tuesday."]
    assert.is_true(cap.context.figcaption and cap.context.figure and cap.context.article)
    assert.is_true(by_text["Earlier talks stall"].context.aside)
    assert.equal("blockquote", by_text["\226\128\156Peace is within reach,\226\128\157 the minister said."].block)
    local p = by_text["A second session is planned for April."]
    assert.is_true(p.context.main and p.context.article)
    local form = by_text["Email Subscribe"]
    assert.is_true(form.context.form and form.context.footer)
    for line, n in doc:lines() do
      if #line > 100 then assert.is_true(m[n].link_density < 0.3, line) end
    end
  end)

  it("states its metadata with the file bytes that hold each value", function()
    local meta = {}
    for _, f in ipairs(doc:html_meta()) do
      meta[f.key] = meta[f.key] or f
      if not f.key:find("^ld:") and f.key ~= "title" then
        assert.equal(f.value, file:sub(f.i, f.j), f.key)
      end
    end
    assert.equal("Border talks resume in Tbilisi | The Caspian Ledger", meta.title.value)
    assert.equal("Border talks resume in Tbilisi", meta["og:title"].value)
    assert.equal("2024-03-05T09:30:00+04:00", meta["article:published_time"].value)
    assert.equal("Lena Aramyan", meta.author.value)
    assert.equal("The Caspian Ledger", meta["og:site_name"].value)
    assert.equal("2024-03-05T09:30:00+04:00", meta.time.value)
    assert.equal("en", meta.lang.value)
    assert.equal("https://ledger.example/2024/03/border-talks", meta.canonical.value)
    assert.equal("Lena Aramyan", meta["ld:author.name"].value)
    assert.equal("NewsArticle", meta["ld:@type"].value)
    for _, key in ipairs{"ld:headline", "ld:datePublished", "ld:author.name", "ld:publisher.name"} do
      assert.equal(meta[key].value, file:sub(meta[key].i, meta[key].j), key)
    end
    assert.equal(meta.title.value, squash(file:sub(meta.title.i, meta.title.j)))
  end)

  it("has records whose span in the file holds their text", function()
    local records = {}
    for _, kind in ipairs(lode.extract.KINDS) do
      for _, r in ipairs(lode.extract[kind](doc)) do records[#records + 1] = r end
    end
    local checked = 0
    for _, r in ipairs(records) do
      local rec = cjson.decode(out.line(doc, r))
      if rec.span and rec.text then
        local cut = file:sub(rec.span[1] + 1, rec.span[2])
        assert.equal(squash(rec.text), visible(cut), rec.kind .. " " .. rec.text)
        assert.equal(file_line_of(file, rec.span[1] + 1), rec.line)
        assert.same(cjson.decode(out.encode(out.record(doc, r))), rec)
        checked = checked + 1
      end
    end
    assert.is_true(checked >= 3, "records checked: " .. checked)
  end)

  it("sets apart elements side by side, not a word split by markup", function()
    local d = lode.from_string("<body><div><a>Login</a><a>Contact</a></div>"
      .. "<p><span>Oct 17</span><span>By Ann Lee</span> w<b>or</b>d <b>x</b> <i>y</i></p>", {name = "s.html"})
    assert.equal("Login Contact\nOct 17 By Ann Lee word x y\n", d:text())
    local i = d:text():find(" By", 1, true)
    local fi, fj = d:origin(i, i)
    assert.equal(fi, fj + 1)   -- the space is no file byte
  end)

  it("keeps the byte mapping exact through CRLF line breaks", function()
    local page = "<html><body>\r\n<p>One line\r\nand the next &amp; last.</p>\r\n<p>Two</p></body></html>"
    local d = lode.from_string(page, {name = "crlf.html"})
    assert.equal("One line and the next & last.\nTwo\n", d:text())
    local i = d:text():find("next", 1, true)
    assert.equal("next", page:sub(d:origin(i, i + 3)))
    assert.equal(3, d:file_line(i))
    assert.equal("and the next &amp;", page:sub(d:origin(d:text():find("and the next &", 1, true))))
  end)
end)

describe("an HTML page's records written by lode.out", function()
  it("cite the file; a plain text doc's records are written as before", function()
    local page = "<html><body>\n<p>Talks on <b>5 March 2024</b> went well.</p></body></html>"
    local d = lode.from_string(page, {name = "p.html"})
    local i = d:text():find("5 March", 1, true)
    local r = {kind = "date", text = "5 March 2024", i = i, j = i + 11, line = 1}
    local rec = cjson.decode(out.line(d, r))
    assert.same({page:find("5 March 2024", 1, true) - 1, select(2, page:find("5 March 2024", 1, true))},
                rec.span)
    assert.equal(2, rec.line)
    assert.equal("p.html", rec.doc)
    local plain = lode.from_string("Talks on 5 March 2024.", {name = "p.txt"})
    local pr = {kind = "date", text = "5 March 2024", i = 10, j = 21, line = 1}
    assert.equal(out.line("p.txt", pr), out.line(plain, pr))
    local buf = out.line_buffer("")
    out.append(buf, d, r)
    assert.equal(out.line(d, r) .. "\n", buf:take())
  end)
end)

describe("a CSV dataset", function()
  local path = FIX .. "articles.csv"
  local file = slurp(path)

  it("gives one Doc per row, its text from the text column, the others as fields", function()
    local docs, errors = {}, {}
    for d in lode.corpus(path, {on_error = function(_, msg) errors[#errors + 1] = msg end}) do
      docs[#docs + 1] = d
    end
    assert.equal(3, #docs)
    assert.equal("articles.csv#1", docs[1].name)
    assert.equal(1, docs[1].row)
    assert.equal(path, docs[1].path)
    assert.equal('Ministers met on Friday. "We agreed," one said.\r\nA second line.', docs[1]:text())
    assert.same({id = "1", title = "Talks resume", date = "2024-03-01"}, docs[1]:fields())
    assert.equal("Short text with no quotes", docs[2]:text())
    assert.equal("articles.csv#4", docs[3].name)
    assert.equal(1, #errors)
    assert.truthy(errors[1]:find("articles.csv:5: text after a closing quote at byte 195", 1, true))
    for _, d in ipairs(docs) do
      local i, j = d:origin(1, #d)
      assert.equal(d:text(), (file:sub(i, j):gsub('""', '"')))
      local q = d:text():find('"', 1, true)
      if q then assert.equal('""', file:sub(d:origin(q, q))) end
    end
    local second = docs[1]:text():find("A second", 1, true)
    assert.equal(3, docs[1]:file_line(second))
    assert.equal(2, docs[1]:file_line(1))
  end)

  it("goes on after a quote that never closes, naming where it opened", function()
    local d = lode.from_string('id,text\n1,"fine"\n2,"never closed\n3,x\n', {name = "u.csv"})
    local got = {}
    for row, err in d:rows() do got[#got + 1] = row and row:text() or err end
    assert.same({"fine", "u.csv:3: quote never closes: opened at byte 19", "x"}, got)
  end)

  it("reads LF, CR and CRLF records, empty fields and a missing final break", function()
    local d = lode.from_string('title,body\r\n"a, b",one\rc,\n,"x\ny"', {name = "m.csv"})
    local got = {}
    for row, err in d:rows() do got[#got + 1] = row and (row:text() .. "|" .. row:fields().title) or err end
    assert.same({"one|a, b", "|c", "x\ny|"}, got)
    local bad = lode.from_string('text\n"a"b\n', {name = "b.csv"})
    assert.same({false, "b.csv:2: text after a closing quote at byte 8", "b.csv#1"}, {bad:rows()()})
  end)
end)

describe("a JSON-lines dataset", function()
  local path = FIX .. "articles.jsonl"
  local file = slurp(path)

  it("gives one Doc per line with escapes decoded and bytes mapped", function()
    local docs, errors = {}, {}
    for d, err in lode.load(path):rows() do
      if d then docs[#docs + 1] = d else errors[#errors + 1] = err end
    end
    assert.equal(2, #docs)
    assert.equal("articles.jsonl#1", docs[1].name)
    assert.equal('Officials said on 1 May 2024 that the "ceasefire" held.\nTalks resume in June.',
                 docs[1]:text())
    assert.same({id = 1, title = "Ceasefire holds", published = "2024-05-01"}, docs[1]:fields())
    assert.equal("Caf\195\169 owners in Yerevan said prices rose 12 percent in 2023.", docs[2]:text())
    assert.equal(5, docs[2].row)
    for _, d in ipairs(docs) do
      local i, j = d:origin(1, #d)
      assert.equal(d:text(), cjson.decode('"' .. file:sub(i, j) .. '"'))
      assert.equal(d.row, d:file_line(#d))
    end
    local e = docs[2]:text():find("\195\169")
    assert.equal("\\u00e9", file:sub(docs[2]:origin(e, e + 1)))
    assert.same({path .. ":3: no text field (one of data/text_fields.txt, or opts.text_field)",
                 path .. ":4: invalid JSON: Expected value but found invalid token at character 1"},
                errors)
  end)

  it("takes opts.text_field, and a NUL in the text is a bad row, not a crash", function()
    local d = lode.from_string('{"summary":"short","notes":"x"}\n{"summary":"a\\u0000b"}\n'
                               .. '{"summary":"\\ud83d\\ude00 ok"}\n', {name = "n.jsonl"})
    local got = {}
    for row, err in d:rows{text_field = "summary"} do got[#got + 1] = row and row:text() or err end
    assert.equal("short", got[1])
    assert.truthy(got[2]:find("NUL", 1, true) or got[2]:find("binary", 1, true))
    assert.equal("\240\159\152\128 ok", got[3])
  end)
end)

describe("bad input", function()
  it("gives a clear error for binary junk named .html", function()
    local junk = "\0\1\2\255\254PK\3\4" .. ("\0"):rep(100)
    local d, err = lode.from_string(junk, {name = "junk.html"})
    assert.is_nil(d)
    assert.truthy(err:find("junk.html", 1, true))
    local bad, err2 = lode.from_string("<html>\255\254 <p>x</p>", {name = "bad.html"})
    assert.is_nil(bad)
    assert.truthy(err2:find("bad.html:1: invalid UTF-8 byte 0xff at byte 6", 1, true))
    local ok = lode.from_string("<html>\255\254 <p>x</p>", {name = "bad.html", invalid = "replace"})
    assert.equal("\239\191\189\239\191\189\nx\n", ok:text())
    assert.equal(2, ok:encoding().replaced)
    local latin = lode.from_string("<p>caf\233</p>", {name = "l.html", invalid = "latin1"})
    assert.equal("caf\195\169\n", latin:text())
    assert.equal("latin1", latin:encoding().encoding)
  end)

  it("parses broken markup best-effort", function()
    local page = "<html><body><div><p>Open <b>bold <i>both</div></p></span>"
      .. "<p <p>Stray &bogus; &#99999999; end</td></tr><ul><li>one<li>two</ul><script>never closed"
    local d = lode.from_string(page, {name = "broken.html"})
    assert.truthy(d:text():find("Open bold both", 1, true))
    assert.truthy(d:text():find("\none\ntwo\n", 1, true))
    assert.is_nil(d:text():find("never closed", 1, true))
    for line, n in d:lines() do
      local i, j = d:line_span(n)
      local fi, fj = d:origin(i, j)
      assert.is_true(fi >= 1 and fj <= #page and fi <= fj + 1, line)
    end
    local icons = lode.from_string("<html><body><svg><title>Search icon</title></svg>"
      .. "<p>x</p></body></html>", {name = "icons.html"})
    assert.same({}, icons:html_meta())
    assert.equal("", lode.from_string("", {format = "html"}):text())
    assert.equal("", lode.from_string("<html></html>", {format = "html"}):text())
  end)

  it("survives deep nesting, unclosed comments and scripts, huge attributes", function()
    local cases = {
      {"<body>" .. ("<div>"):rep(100000) .. "deep text" .. ("</div>"):rep(100000), "deep text\n"},
      {"<body>" .. ("<span><b>"):rep(50000) .. "x", "x\n"},
      {'<p title="' .. ("a"):rep(2e6) .. '">after</p>', "after\n"},
      {"<!DOCTYPE html><!-- open <p>hidden</p>" .. ("y"):rep(1e5), ""},
      {"<p>before</p><script>" .. ("var a = '<p>';\n"):rep(10000), "before\n"},
      {"<pre>a\r\n  b\r\rc</pre>\r\n<p>d &#0;&#xD800;</p>", "a\nb\nc\nd\n"},
    }
    for k, case in ipairs(cases) do
      local d = assert(lode.from_string(case[1], {format = "html"}))
      assert.equal(case[2], d:text(), "case " .. k)
    end
  end)

  it("converts a 50 MB page", function()
    local block = '<div class="story"><p>Paragraph with <a href="/x">a link</a> &amp; an entity.</p></div>\n'
    local page = "<html><body>" .. block:rep(50 * 2^20 // #block) .. "</body></html>"
    local d = lode.from_string(page, {name = "big.html"})
    assert.equal(50 * 2^20 // #block, d:line_count())
    local last = d:line_count()
    local i, j = d:line_span(last)
    assert.equal("Paragraph with a link & an entity.", d:line(last))
    assert.equal(block:match("<p>.*</p>"):sub(4, -5), page:sub(d:origin(i, j)))
  end)
end)

describe("lode batch over dataset files", function()
  it("maps each row as a document and writes an error record for a bad row", function()
    assert.truthy(BIN, "LODE_BIN must name the built lode binary")
    local job = os.tmpname()
    local f = assert(io.open(job, "w"))
    f:write([[return {map = function(doc, emit)
      emit({kind = "row", text = doc:text():sub(1, 9), i = 1, j = 9, line = 1})
    end}]])
    f:close()
    local p = io.popen(BIN .. " batch " .. job .. " " .. FIX .. "articles.jsonl " .. FIX
                       .. "articles.csv " .. FIX .. "page.html --ordered 2>/dev/null")
    local got = {}
    for line in p:lines() do got[#got + 1] = cjson.decode(line) end
    p:close()
    os.remove(job)
    -- files named alone: each document named by its path as given
    local names, given = {}, FIX:gsub("^%./", "")
    for _, r in ipairs(got) do
      assert.equal(given, r.doc:sub(1, #given))
      names[#names + 1] = r.doc:sub(#given + 1) .. (r.error and " error" or "")
    end
    assert.same({"articles.jsonl#1", "articles.jsonl#3 error", "articles.jsonl#4 error",
                 "articles.jsonl#5", "articles.csv#1", "articles.csv#2", "articles.csv#3 error",
                 "articles.csv#4", "page.html"}, names)
    local page = slurp(FIX .. "page.html")
    assert.equal("The Caspi", page:sub(got[9].span[1] + 1, got[9].span[2]))
    assert.equal(22, got[9].line)
    local file = slurp(FIX .. "articles.jsonl")
    assert.equal("Officials", file:sub(got[1].span[1] + 1, got[1].span[2]))
    assert.equal(1, got[1].line)
    assert.equal(5, got[4].line)
  end)
end)

describe("a document too big to analyse at once", function()
  local formats = require "lode.formats"
  -- Paragraphs of a made-up report: a date, an amount, a quote, a place.
  local PARA = "YEREVAN, March 3, 2021. The ministry said 1,200 families had left the region.\n" ..
    "\226\128\156We will rebuild every school,\226\128\157 Ani Petrosyan said on Tuesday.\n\n"
  local function sections(doc, max)
    local parts = {}
    for part in doc:sections(max) do
      parts[#parts + 1] = {name = part.name, text = part:text(), n = part.section,
                           i = part:origin(1, 1), line = part:file_line(1)}
    end
    return parts
  end

  it("is one section, itself, when it fits or is converted from its file", function()
    local small = lode.from_string(PARA, {name = "small.txt"})
    local got = {}
    for part in small:sections() do got[#got + 1] = part end
    assert.equal(1, #got)
    assert.is_true(rawequal(small, got[1]))
    local empty = lode.from_string("", {name = "empty.txt"})
    got = {}
    for part in empty:sections(1) do got[#got + 1] = part end
    assert.is_true(#got == 1 and rawequal(empty, got[1]))
    local page = assert(lode.load(FIX .. "page.html"))
    got = {}
    for part in page:sections(10) do got[#got + 1] = part end
    assert.is_true(#got == 1 and rawequal(page, got[1]))
  end)

  it("reads in sections of whole paragraphs that tile the text and name the file", function()
    local text = PARA:rep(40)
    local doc = lode.from_string(text, {name = "big.txt"})
    local parts = sections(doc, 1000)
    assert.is_true(#parts >= #text // 1000)
    local joined, at = {}, 1
    for n, p in ipairs(parts) do
      assert.equal(n, p.n)
      assert.equal(at, p.i)                              -- the file byte it starts at
      assert.equal(doc:line_of(at), p.line)              -- and its file line
      assert.is_true(#p.text <= 1000)
      if n < #parts then assert.equal("\n\n", p.text:sub(-2)) end
      joined[n] = p.text
      at = at + #p.text
    end
    assert.equal(text, table.concat(joined))
    assert.equal("big.txt", parts[#parts].name)
  end)

  it("holds one section at a time: the previous one is closed", function()
    local doc = lode.from_string(PARA:rep(20), {name = "big.txt"})
    local next_part = doc:sections(500)
    local first = next_part()
    assert.is_truthy(first:text())
    next_part()
    assert.has_error(function() first:text() end)
  end)

  it("has records that cite the file's bytes and lines, as the whole document does", function()
    local text = PARA:rep(60)
    local doc = lode.from_string(text, {name = "big.txt"})
    local n = 0
    for part in doc:sections(2000) do
      for _, r in ipairs(lode.extract.all(part)) do
        if r.i then
          local rec = cjson.decode(out.line(part, r))
          assert.equal(r.text, text:sub(rec.span[1] + 1, rec.span[2]))
          assert.equal(doc:line_of(rec.span[1] + 1), rec.line)
          assert.equal("big.txt", rec.doc)
          n = n + 1
        end
      end
    end
    assert.is_true(n >= 60)
  end)

  it("cuts a huge line at spaces, and text with no space at characters", function()
    local words = ("Karabakh "):rep(500)
    for _, p in ipairs(sections(lode.from_string(words, {name = "w.txt"}), 100)) do
      assert.equal(" ", p.text:sub(-1))
    end
    local letters = ("\195\169"):rep(300)                -- é, no space at all
    local doc = lode.from_string(letters, {name = "e.txt"})
    local joined = {}
    for n, p in ipairs(sections(doc, 101)) do
      assert.is_truthy(utf8.len(p.text))                 -- no letter cut in two
      joined[n] = p.text
    end
    assert.equal(letters, table.concat(joined))
  end)

  it("takes the text lode decoded when the file was not UTF-8", function()
    local latin = ("caf\233 au lait\n\n"):rep(100)
    local doc = lode.from_string(latin, {name = "l.txt", invalid = "latin1"})
    local joined = {}
    for n, p in ipairs(sections(doc, 300)) do joined[n] = p.text end
    assert.equal(doc:text(), table.concat(joined))
    assert.equal(formats.SECTION_BYTES, 4 * 1024 * 1024)
  end)
end)

describe("an HTML page in a legacy encoding", function()
  local ENC = SRC .. "/tests/fixtures/encoding/"

  it("is decoded by its <meta> charset and cites the page's own bytes", function()
    local file = slurp(ENC .. "ru_meta_cp1251.html")
    local d = assert(lode.load(ENC .. "ru_meta_cp1251.html"))
    assert.equal("html", d.format)
    assert.same({encoding = "windows-1251", reason = "<meta http-equiv>", bom = false,
                 replaced = 0, source_bytes = #file}, d:encoding())
    assert.equal("Переговоры в Москве продолжались до поздней ночи.", d:line(1))
    local i, j = d:text():find("Москве", 1, true)
    local fi, fj = d:origin(i, j)
    assert.equal(6, fj - fi + 1)                     -- one byte a letter
    assert.equal(file:find("<p>", 1, true) + 16, fi)  -- after "<p>Переговоры в " in cp1251
    assert.equal(6, d:file_line(i))
    local title
    for _, m in ipairs(d:html_meta()) do if m.key == "title" then title = m end end
    assert.equal("Новости дня", title.value)
    assert.equal(11, title.j - title.i + 1)
  end)

  it("as a CSV dataset, gives rows that cite the file's bytes", function()
    local utf8_csv = "id,text\n1,\"Переговоры в Москве.\"\n2,Ёлки растут.\n"
    local p = io.popen("printf '%s' '" .. utf8_csv .. "' | iconv -f utf-8 -t cp1251")
    local file = p:read("a")
    p:close()
    local d = assert(lode.from_string(file, {name = "ru.csv", encoding = "cp1251"}))
    local rows = {}
    for row in d:rows() do rows[#rows + 1] = row end
    assert.equal(2, #rows)
    assert.equal("Переговоры в Москве.", rows[1]:text())
    local i, j = rows[1]:text():find("Москве", 1, true)
    local fi, fj = rows[1]:origin(i, j)
    assert.equal(file:find("\204\238\241\234\226\229", 1, true), fi)   -- "Москве" in cp1251
    assert.equal(fi + 5, fj)
    assert.equal(3, rows[2]:file_line(1))
    local rec = cjson.decode(out.line(rows[2], {kind = "x", text = "Ёлки", i = 1, j = 8, line = 1}))
    local at = file:find("\168\235\234\232", 1, true)                   -- "Ёлки" in cp1251
    assert.same({at - 1, at + 3}, rec.span)
  end)

  it("with raw bad UTF-8 in text, attributes and comments maps forward, in bounds", function()
    local file = slurp(ENC .. "html_bad_utf8.html")
    for _, invalid in ipairs{"error", "replace"} do
      local d = assert(lode.load(ENC .. "html_bad_utf8.html", {invalid = invalid}))
      assert.truthy(d:text():find("Le caf", 1, true))
      local prev = 0
      for k = 1, #d do
        local fi, fj = d:origin(k, k)
        assert.is_true(fi >= prev and fj >= fi - 1 and fj <= #file)   -- a break: empty
        prev = fi
      end
    end
    local d = assert(lode.load(ENC .. "html_bad_utf8.html", {encoding = "utf-8", invalid = "replace"}))
    assert.equal("Le caf\u{E9} \u{FFFD}tait ferm\u{FFFD}.", d:line(1))
    local i = d:text():find("\u{FFFD}tait", 1, true)
    local fi, fj = d:origin(i, i + 2)
    assert.equal("\xe9", file:sub(fi, fj))
  end)
end)
