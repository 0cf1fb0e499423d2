-- Specs for lua/ltext.c: legacy encodings (opts.encoding, detection,
-- doc:encoding(), doc:origin back to the file's bytes, records citing
-- them) and doc:trimmed_lines() (over lode_text_trim and
-- lode_text_fold_nbsp in core/text.c): every line trimmed and with its
-- no-break spaces as spaces, in one call, equal to the Lua it replaces.
local lode = require "lode"
local out = require "lode.out"
local cjson = require "cjson"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

-- The Lua the primitive replaces (what lode.clean and lode.meta did).
local function lua_trim(s)
  s = s:gsub("\194\160", " ")
  return s:match("^%s*(.-)%s*$")
end

describe("doc:trimmed_lines", function()
  it("trims white space and no-break spaces and folds inner ones", function()
    local doc = lode.from_string("  a\194\160b \194\160\n\t\n\194\160x\194\160\194\160y  \r\nlast")
    local texts, starts, ends = doc:trimmed_lines()
    assert.same({"a b", "", "x  y", "last"}, texts)
    assert.same({1, 11, 13, 25}, starts)
    assert.same({9, 11, 22, 28}, ends)
  end)

  it("gives nothing for an empty document", function()
    local texts, starts, ends = lode.from_string(""):trimmed_lines()
    assert.same({}, texts)
    assert.same({}, starts)
    assert.same({}, ends)
  end)

  it("matches the Lua trim and line_span on every corpus line", function()
    local n = 0
    for doc in lode.corpus({SRC .. "/corpus"}) do
      local texts, starts, ends = doc:trimmed_lines()
      assert.equals(doc:line_count(), #texts)
      for line, k in doc:lines() do
        local i, j = doc:line_span(k)
        assert.equals(lua_trim(line), texts[k])
        assert.equals(i, starts[k])
        assert.equals(j, ends[k])
        n = n + 1
      end
    end
    assert.is_true(n > 100)
  end)

  it("matches the Lua trim on random strings of spaces and no-break bytes", function()
    local pieces = {" ", "\t", "\v", "\f", "\r", "\194\160", "a", "é", "\194\194\160", "x y"}
    math.randomseed(42)
    for _ = 1, 3000 do
      local parts = {}
      for q = 1, math.random(0, 8) do parts[q] = pieces[math.random(#pieces)] end
      local s = table.concat(parts)
      local doc = lode.from_string(s, {invalid = "replace"})
      local texts = doc:trimmed_lines()
      for line, k in doc:lines() do assert.equals(lua_trim(line), texts[k]) end
    end
  end)
end)

local ENC = SRC .. "/tests/fixtures/encoding/"

local function slurp(p) local f = assert(io.open(p, "rb")); return f:read("a"), f:close() end

describe("legacy encodings", function()
  it("decodes any encoding iconv knows, by name", function()
    local doc = assert(lode.load(ENC .. "ru_cp1251.txt", {encoding = "cp1251"}))
    assert.equal(slurp(ENC .. "ru.utf8"), doc:text())
    local r = doc:encoding()
    assert.equal("cp1251", r.encoding)
    assert.equal("requested", r.reason)
    assert.equal(#slurp(ENC .. "ru_cp1251.txt"), r.source_bytes)
    doc = assert(lode.load(ENC .. "ja_sjis.txt", {encoding = "shift_jis"}))
    assert.equal(slurp(ENC .. "ja.utf8"), doc:text())
  end)

  it("raises on an unknown encoding name, naming it", function()
    local ok, err = pcall(lode.load, ENC .. "ru_cp1251.txt", {encoding = "cp9999"})
    assert.is_false(ok)
    assert.matches('unknown encoding "cp9999"', err, 1, true)
    assert.has_error(function() lode.from_string("x", {encoding = {}}) end)
    assert.has_error(function() lode.from_string("x", {encoding = ""}) end)
  end)

  it("detects what a file declares or looks like, and says why", function()
    local cases = {
      {"ru_cp1251.txt", "cp1251", "^guess: Cyrillic"},
      {"ru_koi8r.txt", "koi8-r", "^guess: Cyrillic"},
      {"bg_cp1251.txt", "cp1251", "^guess: Cyrillic"},
      {"fr_cp1252.txt", "cp1252", "^guess: 8%-bit letters"},
      {"ru_meta_cp1251.html", "windows-1251", "^<meta http%-equiv>$"},
      {"ru_xmldecl_iso88595.xml", "iso-8859-5", "^XML declaration$"},
    }
    for _, c in ipairs(cases) do
      local doc = assert(lode.load(ENC .. c[1]))
      assert.equal(c[2], doc:encoding().encoding)
      assert.matches(c[3], doc:encoding().reason)
      assert.truthy(doc:text():find("Переговоры", 1, true) or doc:text():find("ministre", 1, true)
                    or doc:text():find("Правителството", 1, true))
    end
    assert.equal("valid UTF-8", lode.from_string("plain"):encoding().reason)
  end)

  it("keeps the policy for UTF-8 with a few bad bytes, and for encoding = 'utf-8'", function()
    local doc, err = lode.from_string("caf\xC3\xA9 na\xEFve \xE2\x80 ok", {name = "n.txt"})
    assert.is_nil(doc)
    assert.matches("n.txt:1: invalid UTF-8 byte 0xef at byte 8", err, 1, true)
    doc, err = lode.load(ENC .. "ru_cp1251.txt", {encoding = "utf-8"})
    assert.is_nil(doc)
    assert.matches("invalid UTF-8 byte 0xcf at byte 0", err, 1, true)
  end)

  it("maps every word back to the bytes it was decoded from", function()
    local file = slurp(ENC .. "ru_cp1251.txt")
    local doc = assert(lode.load(ENC .. "ru_cp1251.txt", {encoding = "cp1251"}))
    local n = 0
    for i, word, j in doc:text():gmatch("()([\208\209][\128-\191][^%s%p]*)()") do
      local fi, fj = doc:origin(i, j - 1)
      assert.equal(utf8.len(word), fj - fi + 1)   -- one byte a letter
      assert.equal(doc:line_of(i), doc:file_line(i))
      n = n + 1
    end
    assert.is_true(n >= 15)
    -- a word's file bytes decode to the word (iconv, not lode, decodes)
    local i, j = doc:text():find("Москве", 1, true)
    local fi, fj = doc:origin(i, j)
    local p = io.popen("printf '%s' '" .. file:sub(fi, fj) .. "' | iconv -f cp1251 -t utf-8")
    assert.equal("Москве", p:read("a"))
    p:close()
  end)

  it("has records citing the file's bytes, not the decoded text's", function()
    local doc = assert(lode.load(ENC .. "fr_cp1252.txt"))
    local i, j = doc:text():find("Genève", 1, true)
    local r = {kind = "place", text = "Genève", i = i, j = j, line = 2}
    local rec = cjson.decode(out.line(doc, r))
    local fi = slurp(ENC .. "fr_cp1252.txt"):find("Gen\232ve", 1, true)
    assert.same({fi - 1, fi + 5}, rec.span)
    assert.equal(2, rec.line)
    assert.same(rec, cjson.decode(cjson.encode(out.record(doc, r))))
  end)
end)
