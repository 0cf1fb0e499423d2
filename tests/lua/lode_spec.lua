-- Specs for the lode module's core objects: Doc, View, spans, Regex,
-- doc:gmatch, kwic, corpus iteration; on the corpus and on nasty input.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local CORPUS = SRC .. "/corpus"
local A001 = CORPUS .. "/001_6d5d41b893ce7abd.txt"

local function corpus_docs()
  local docs = {}
  for doc in lode.corpus(CORPUS) do docs[#docs + 1] = doc end
  return docs
end

local function tmpfile(bytes)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
  return path
end

describe("lode.load", function()
  it("loads every corpus file with its bytes intact", function()
    local docs = corpus_docs()
    assert.are.equal(5, #docs)
    for _, doc in ipairs(docs) do
      local f = assert(io.open(doc.path, "rb"))
      local bytes = f:read("a")
      f:close()
      assert.are.equal(bytes, doc:text())
      assert.are.equal(#bytes, #doc)
      assert.are.equal(doc.path:match("[^/]+$"), doc.name)
    end
  end)

  it("gives its fields before methods of the same name", function()
    local doc = lode.from_string("x")
    lode.Doc.format = function() return "method" end
    local format = doc.format
    lode.Doc.format = nil
    assert.are.equal("text", format)
    assert.are.equal(lode.Doc.line, doc.line)
    assert.is_nil(doc.no_such_method)
    assert.is_nil(doc[1])
    assert.is_nil(doc[{}])
  end)

  it("counts lines like the file has them", function()
    local doc = lode.from_string("one\r\ntwo\rthree\nfour")
    assert.are.equal(4, doc:line_count())
    assert.are.same({"one", "two", "three", "four"},
      {doc:line(1), doc:line(2), doc:line(3), doc:line(4)})
    local seen = {}
    for line, n in doc:lines() do seen[n] = line end
    assert.are.same({"one", "two", "three", "four"}, seen)
    assert.are.equal(3, doc:line_of(10))
  end)

  it("names file, line and byte of invalid UTF-8 under the default policy", function()
    local path = tmpfile("fine\nbad \xff here\n")
    local doc, err = lode.load(path)
    os.remove(path)
    assert.is_nil(doc)
    assert.matches(path, err, 1, true)
    assert.matches(":2:", err, 1, true)
    assert.matches("byte", err)
  end)

  it("replaces bad bytes and counts them under invalid = 'replace'", function()
    local doc = assert(lode.from_string("a\xffb\xfe", {invalid = "replace"}))
    assert.are.equal("a\u{FFFD}b\u{FFFD}", doc:text())
    assert.are.equal(2, doc:encoding().replaced)
  end)

  it("turns cp1252 curly quotes into Unicode ones", function()
    local doc = assert(lode.from_string("\x93Hi\x94", {invalid = "cp1252"}))
    assert.are.equal("\u{201C}Hi\u{201D}", doc:text())
    assert.are.equal("cp1252", doc:encoding().encoding)
  end)

  it("rejects NUL bytes with a clear error and accepts empty files", function()
    local doc, err = lode.from_string("abc\0def", {name = "bin.dat"})
    assert.is_nil(doc)
    assert.matches("bin.dat", err, 1, true)
    assert.matches("NUL", err)
    local empty = assert(lode.from_string(""))
    assert.are.equal(0, #empty)
    assert.are.equal(0, empty:line_count())
    assert.are.same({}, empty:sentences())
  end)

  it("returns nil and a message for a missing file", function()
    local doc, err = lode.load("/nonexistent/file.txt")
    assert.is_nil(doc)
    assert.matches("/nonexistent/file.txt", err, 1, true)
  end)

  it("raises on misuse with the argument named", function()
    assert.has_error(function() lode.load(nil) end)
    assert.has_error(function() lode.from_string("x", {invalid = "bogus"}) end)
  end)
end)

describe("spans", function()
  it("cite the original text for paragraphs, sentences and words", function()
    for _, doc in ipairs(corpus_docs()) do
      local text = doc:text()
      for _, kind in ipairs{"paragraphs", "sentences", "words"} do
        local spans = doc[kind](doc)
        assert.is_true(#spans > 0)
        local last = 0
        for _, s in ipairs(spans) do
          assert.is_true(s.i > last and s.j >= s.i)
          assert.are.equal(text:sub(s.i, s.j), doc:sub(s))
          assert.are.equal(doc:line_of(s.i), s.line)
          assert.is_nil(doc:sub(s):match("^%s"))
          last = s.j
        end
      end
    end
  end)

  it("do not split sentences at abbreviations, initials or decimals", function()
    local doc = lode.from_string(
      "Mr. Aliyev met Dr. Smith in the U.S. on Jan. 5. The rate was 3.5 percent. " ..
      "J. R. Tolkien wrote. He said: \u{201C}It ended.\u{201D} Next one.")
    local got = {}
    for k, s in ipairs(doc:sentences()) do got[k] = doc:sub(s) end
    assert.are.same({
      "Mr. Aliyev met Dr. Smith in the U.S. on Jan. 5.",
      "The rate was 3.5 percent.",
      "J. R. Tolkien wrote.",
      "He said: \u{201C}It ended.\u{201D}",
      "Next one."}, got)
  end)
end)

describe("views", function()
  local FOLD = {form = "NFKC", casefold = true, fold = "typography", controls = true, collapse = true}

  it("map every word match back to original bytes that normalize to it", function()
    for _, doc in ipairs(corpus_docs()) do
      local v = doc:normalize(FOLD)
      local vt, n = v:text(), 0
      for m in doc:gmatch("\\w+", {view = v}) do
        local vi, vj = m.i, m.j
        assert.are.equal(lode.normalize(doc:sub(vi, vj), FOLD), m.match)
        n = n + 1
      end
      assert.is_true(n > 100)
      assert.are.equal(vt, v:text())
    end
  end)

  it("fold typography, case and compatibility forms", function()
    local doc = lode.from_string("Azerbaijan\u{2019}s \u{201C}ﬁve\u{201D}\u{00A0}\u{00A0}NAKHÇIVAN\u{2014}ok\u{2026}")
    local v = doc:normalize(FOLD)
    assert.are.equal("azerbaijan's \"five\" nakhçivan-ok...", v:text())
    local i = v:text():find("five", 1, true)
    assert.are.equal("ﬁve", doc:sub(v:origin(i, i + 3)))
  end)

  it("strip diacritics when asked", function()
    local opts = {form = "NFKC", casefold = true, strip_marks = true}
    assert.are.equal("susa", lode.normalize("Şuşa", opts))
    assert.are.equal("fuzuli", lode.normalize("Füzuli", opts))
  end)

  it("hold the origin property on random Unicode strings", function()
    local palette = {"a", "B", " ", "\u{0301}", "\u{0323}", "é", "Å", "\u{1100}\u{1161}", "한",
      "ﬁ", "ﬂ", "Ａ", "\u{00A0}", "\u{00A0}\u{00A0}", "\u{2019}", "\u{201C}", "\u{2014}", "…",
      "\u{200B}", "ß", "İ", "ΐ", "x", "\n"}
    local seed = 12345
    local function rand(n)
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n + 1
    end
    for _ = 1, 300 do
      local parts = {}
      for k = 1, rand(30) do parts[k] = palette[rand(#palette)] end
      local doc = lode.from_string(table.concat(parts))
      local v = doc:normalize(FOLD)
      for m in doc:gmatch("[^\\s\"'.\\-]+", {view = v}) do
        assert.are.equal(m.match, lode.normalize(m.text, FOLD))
      end
    end
  end)
end)

describe("lode.regex", function()
  it("finds, matches, iterates, substitutes and splits", function()
    local re = lode.regex("(\\w+) (\\d+)")
    assert.are.same({3, 9, "abc", "123"}, {re:find("x abc 123 y")})
    assert.are.same({"abc", "123"}, {re:match("x abc 123 y")})
    local words = {}
    for w in lode.regex("\\p{L}+"):gmatch("Ağdam и Füzuli") do words[#words + 1] = w end
    assert.are.same({"Ağdam", "и", "Füzuli"}, words)
    assert.are.same({"a-b-c", 2}, {lode.regex(",\\s*"):gsub("a, b,c", "-")})
    assert.are.equal("<x>=1", (lode.regex("(\\w)=(\\d)"):gsub("x=1", "<%1>=%2")))
    assert.are.equal("X Y", (lode.regex("\\w"):gsub("x y", string.upper)))
    assert.are.same({"a", "b", "", "c"}, lode.regex(","):split("a,b,,c"))
  end)

  it("iterates empty matches like Perl", function()
    local pos = {}
    for m in lode.from_string("abc"):gmatch("x*") do pos[#pos + 1] = m.i .. "-" .. m.j end
    assert.are.same({"1-0", "2-1", "3-2", "4-3"}, pos)
  end)

  it("reports unset groups as false and named groups by name", function()
    local doc = lode.from_string("On December 3, 2021.")
    local m = doc:gmatch("(?<month>[A-Z]\\w+) (\\d+)(x)?, (?<year>\\d{4})")()
    assert.are.equal("December", m.month)
    assert.are.equal("2021", m.year)
    assert.are.equal(false, m[3])
    assert.are.equal("December 3, 2021", m.text)
    assert.are.equal(4, m.i)
  end)

  it("keeps the citation when named groups are called line, i or text", function()
    local doc = lode.from_string("x\nIlham Aliyev")
    local m = doc:gmatch("(?<line>Ilham) (?<text>\\w+)")()
    assert.are.same({3, 14, 2, "Ilham Aliyev"}, {m.i, m.j, m.line, m.text})
    assert.are.same({"Ilham", "Aliyev"}, {m[1], m[2]})
  end)

  it("names the document and line when matching a document hits a limit", function()
    local doc = lode.from_string("ok\n" .. string.rep("a", 30) .. "b", {name = "slow.txt"})
    local ok, err = pcall(function() for _ in doc:gmatch("(a+)+$") do end end)
    assert.is_false(ok)
    assert.matches("slow.txt:%d+:", err)
    assert.matches("limit", err)
  end)

  it("stops a catastrophic pattern with an error, quickly", function()
    local t0 = os.clock()
    local ok, err = pcall(function() return lode.regex("(a+)+$"):find(string.rep("a", 30) .. "b") end)
    assert.is_false(ok)
    assert.matches("limit", err)
    assert.is_true(os.clock() - t0 < 1)
  end)

  it("gives the pattern offset of a syntax error", function()
    local ok, err = pcall(lode.regex, "ab(c")
    assert.is_false(ok)
    assert.matches("offset 5", err)
  end)

  it("rejects invalid UTF-8 subjects with the byte position", function()
    local ok, err = pcall(function()
      for _ in lode.regex("a"):gmatch("ok\xffa") do end
    end)
    assert.is_false(ok)
    assert.matches("byte 3", err)
  end)
end)

describe("lode.gazetteer", function()
  it("matches aliases whole-word, case- and diacritic-insensitively", function()
    local g = lode.gazetteer{
      {"Nakhchivan", "Nakhchivan", "place"}, {"Nakhichevan", "Nakhchivan", "place"},
      {"Iran", "Iran", "place"}, {"Nagorno-Karabakh", "Nagorno-Karabakh", "place"},
      {"Karabakh", "Karabakh", "place"}}
    local doc = lode.from_string("NAKHICHEVAN, Náкhchivan? Iranian Iran; Nagorno\u{2010}Karabakh")
    local got = {}
    for m in g:scan(doc) do got[#got + 1] = m.canonical .. "=" .. m.text end
    assert.are.same({"Nakhchivan=NAKHICHEVAN", "Iran=Iran", "Nagorno-Karabakh=Nagorno\u{2010}Karabakh"}, got)
  end)
end)

describe("lode.kwic", function()
  it("shows each hit in its context with its line", function()
    local doc = assert(lode.load(A001))
    local lines = lode.kwic(doc, "Kalbajar", 20)
    assert.is_true(#lines >= 1)
    for _, l in ipairs(lines) do
      assert.are.equal("Kalbajar", l.match)
      assert.are.equal(doc:line_of(l.i), l.line)
      assert.matches("%[Kalbajar%]", tostring(l))
    end
  end)

  it("pads wide contexts by characters", function()
    local lines = lode.kwic(lode.from_string("Ağdam said it"), "said", 120)
    assert.are.equal(1, #lines)
    assert.are.equal(120, utf8.len(lines[1].left))
    assert.matches("Ağdam $", lines[1].left)
  end)
end)

describe("lode.corpus", function()
  it("walks directories in order and skips (and reports) bad files", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. dir .. "/sub")
    local function put(name, bytes)
      local f = assert(io.open(dir .. "/" .. name, "wb"))
      f:write(bytes)
      f:close()
    end
    put("b.txt", "second")
    put("a.txt", "first")
    put("sub/c.txt", "third")
    put("bad.txt", "nul\0byte")
    local names, errors = {}, {}
    for doc in lode.corpus(dir, {on_error = function(_, msg) errors[#errors + 1] = msg end}) do
      names[#names + 1] = doc:text()
    end
    os.execute("rm -rf " .. dir)
    assert.are.same({"first", "second", "third"}, names)
    assert.are.equal(1, #errors)
    assert.matches("bad.txt", errors[1], 1, true)
  end)

  it("goes on past a broken link inside a directory, reporting it", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. dir .. "/z && ln -s /nonexistent " .. dir .. "/a-broken")
    local f = assert(io.open(dir .. "/z/doc.txt", "w"))
    f:write("after the broken link")
    f:close()
    local names, errors = {}, {}
    for doc in lode.corpus(dir, {on_error = function(_, msg) errors[#errors + 1] = msg end}) do
      names[#names + 1] = doc:text()
    end
    os.execute("rm -rf " .. dir)
    assert.are.same({"after the broken link"}, names)
    assert.are.equal(1, #errors)
    assert.matches("a-broken", errors[1], 1, true)
  end)
end)

describe("lode.extract.window", function()
  local window = require("lode.extract").window
  it("leaves out a character the window cuts, and only that", function()
    local t = "a—b’c"                      -- "—" is bytes 2-4, "’" bytes 6-8
    assert.equal("a—", window(t, 1, 4))    -- ends on a whole "—": kept
    assert.equal("a", window(t, 1, 3))     -- cuts "—": left out
    assert.equal("b’", window(t, 5, 8))
    assert.equal("b", window(t, 3, 7))     -- cuts "—" at the start, "’" at the end
    assert.equal("’c", window(t, 6, 99))
    assert.equal("", window(t, 3, 3))
    assert.equal("", window(t, 4, 3))
  end)
end)

describe("lode.extract.in_spans", function()
  -- the predicate against a plain walk over the spans, on calls going
  -- forward, backward, into gaps, before the first span and past the last
  local function oracle(spans, i, j)
    for _, s in ipairs(spans) do
      if i >= s.i and i <= s.j then return j <= s.j end
    end
    return false
  end

  it("answers as a walk over every span does, in any order of calls", function()
    local in_spans = require("lode.extract").in_spans
    local seed = 7
    local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
    for _ = 1, 30 do
      local spans, pos = {}, rand(5)
      for k = 1, rand(6) do
        local i = pos + rand(4) + (k > 1 and 1 or 0)     -- touching or apart
        spans[k] = {i = i, j = i + rand(5) - 1}           -- empty spans too
        pos = spans[k].j + 1
      end
      local p = in_spans(spans)
      for _ = 1, 200 do
        local i = rand(pos + 4) - 1
        local j = i + rand(6) - 2
        assert.equal(oracle(spans, i, j), p(i, j))
      end
    end
    assert.is_true(in_spans(nil)(5, 1e9))
    assert.is_false(in_spans({})(1, 1))
  end)
end)
