-- gazetteer_spec.lua: the Lua side of the gazetteer (lua/lgazetteer.c):
-- match records against the Doc they cite, line numbers (computed
-- incrementally in C) against doc:line_of, g:count(doc_or_view) against
-- g:matches, g:hits and g:entry against g:matches, g:scan (streamed) against
-- g:hits, and the cached
-- canonical/kind/match strings.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local TSV = SRC .. "/lua/lode/data/caucasus.tsv"

local function corpus_docs()
  local docs = {}
  local p = io.popen("ls " .. SRC .. "/corpus/*.txt")
  for path in p:lines() do docs[#docs + 1] = assert(lode.load(path)) end
  p:close()
  table.sort(docs, function(a, b) return a.name < b.name end)
  return docs
end

local function shipped()
  local g = lode.gazetteer()
  assert(g:load(TSV))
  return g
end

describe("g:matches on the corpus", function()
  local g = shipped()
  local docs = corpus_docs()

  it("finds names in every article, each record citing its doc", function()
    assert.equals(5, #docs)
    local opts = g:options()
    for _, doc in ipairs(docs) do
      local ms = g:matches(doc)
      assert.is_true(#ms > 5, doc.name .. ": " .. #ms .. " hits")
      local last = 0
      for _, m in ipairs(ms) do
        assert.is_true(m.i > last, "hits in order")
        assert.is_true(m.i <= m.j)
        last = m.j
        assert.equals(doc:sub(m.i, m.j), m.text)
        assert.equals(doc:line_of(m.i), m.line)
        assert.equals(lode.normalize(m.text, opts), m.match)
        assert.is_string(m.canonical)
        assert.is_string(m.kind)
      end
    end
  end)

  it("gives the same records for a Doc and for its view", function()
    local doc = docs[1]
    local a, b = g:matches(doc), g:matches(doc:normalize(g:options()))
    assert.same(a, b)
  end)

  it("g:scan iterates the same records as g:matches", function()
    local doc = docs[2]
    local all, k = g:matches(doc), 0
    for m in g:scan(doc) do
      k = k + 1
      assert.same(all[k], m)
    end
    assert.equals(#all, k)
  end)
end)

describe("g:matches records", function()
  it("line numbers over LF, CRLF, CR, blank lines and hits on one line", function()
    local g = lode.gazetteer{{"Baku", "Baku", "place"}, {"Nagorno Karabakh", "Karabakh", "place"}}
    local s = "Baku baku\r\n\r\nnothing\rBAKU\n\n\n  Nagorno   Karabakh\nno\nbaku"
    local doc = assert(lode.from_string(s))
    local ms = g:matches(doc)
    local lines = {}
    for _, m in ipairs(ms) do
      lines[#lines + 1] = m.line
      assert.equals(doc:line_of(m.i), m.line)
    end
    assert.same({1, 1, 4, 7, 9}, lines)
    assert.equals("Nagorno   Karabakh", ms[4].text)
    assert.equals("nagorno karabakh", ms[4].match)
    assert.equals("Karabakh", ms[4].canonical)
  end)

  it("keeps canonical and kind per entry and match per alias", function()
    local g = lode.gazetteer{{"Aliyev", "Ilham Aliyev", "person"},
                             {"Aliev", "Ilham Aliyev", "person"},
                             {"Baku", "Baku", "place"}}
    local doc = assert(lode.from_string("ALIYEV in Baku; Aliev and aliyev; Əliyev.\nBAKU"))
    local ms = g:matches(doc)
    local got = {}
    for _, m in ipairs(ms) do
      got[#got + 1] = table.concat({m.text, m.match, m.canonical, m.kind, m.i, m.j, m.line}, "|")
    end
    assert.same({
      "ALIYEV|aliyev|Ilham Aliyev|person|1|6|1",
      "Baku|baku|Baku|place|11|14|1",
      "Aliev|aliev|Ilham Aliyev|person|17|21|1",
      "aliyev|aliyev|Ilham Aliyev|person|27|32|1",
      "BAKU|baku|Baku|place|44|47|2",  -- Ə is a letter of its own, not E + mark
    }, got)
    -- a second scan reuses the strings and gives equal records
    assert.same(ms, g:matches(doc))
  end)

  it("handles an empty doc and a doc without hits", function()
    local g = lode.gazetteer{"Baku"}
    assert.same({}, g:matches(assert(lode.from_string(""))))
    assert.same({}, g:matches(assert(lode.from_string("Bakutown\n"))))
    local n, by = g:count(assert(lode.from_string("")))
    assert.equals(0, n)
    assert.same({}, by)
  end)

  it("refuses a view made with other options", function()
    local g = lode.gazetteer{"Baku"}
    local doc = assert(lode.from_string("Baku"))
    assert.has_error(function() g:matches(doc:normalize{form = "NFC"}) end)
    assert.has_error(function() g:count(doc:normalize{form = "NFC"}) end)
  end)
end)

describe("g:count", function()
  it("g:size() gives the number of aliases and entries", function()
    local g = lode.gazetteer{{"Aliyev", "Ilham Aliyev", "person"},
                             {"Aliev", "Ilham Aliyev", "person"}, "Baku"}
    local a, e = g:size()
    assert.equals(3, a)
    assert.equals(2, e)
  end)

  it("with a doc or view: total hits and hits per canonical, as g:matches", function()
    local g = shipped()
    for _, doc in ipairs(corpus_docs()) do
      local ms = g:matches(doc)
      local want = {}
      for _, m in ipairs(ms) do want[m.canonical] = (want[m.canonical] or 0) + 1 end
      local n, by = g:count(doc)
      assert.equals(#ms, n)
      assert.same(want, by)
      local n2, by2 = g:count(doc:normalize(g:options()))
      assert.equals(n, n2)
      assert.same(by, by2)
    end
  end)

  it("adds up entries that share a canonical name under different kinds", function()
    local g = lode.gazetteer{{"Shusha", "Shusha", "place"}, {"Shushi", "Shusha", "term"}}
    local n, by = g:count(assert(lode.from_string("Shusha, Shushi and SHUSHA")))
    assert.equals(3, n)
    assert.same({Shusha = 3}, by)
  end)
end)

describe("g:hits and g:entry", function()
  it("give the hits of g:matches as columns, for a doc and for its view", function()
    local g = shipped()
    for _, doc in ipairs(corpus_docs()) do
      local ms = g:matches(doc)
      for _, subject in ipairs{doc, doc:normalize(g:options())} do
        local ids, starts, ends, lines = g:hits(subject)
        assert.equals(#ms, #ids)
        assert.equals(#ms, #starts)
        assert.equals(#ms, #ends)
        assert.equals(#ms, #lines)
        for k, m in ipairs(ms) do
          local canonical, kind = g:entry(ids[k])
          assert.same({m.canonical, m.kind, m.i, m.j, m.line},
                      {canonical, kind, starts[k], ends[k], lines[k]})
        end
      end
    end
  end)

  it("number entries from 1 and refuse others", function()
    local g = lode.gazetteer{{"Aliyev", "Ilham Aliyev", "person"}, {"Aliev", "Ilham Aliyev", "person"},
                             {"Baku", "Baku", "place"}}
    local ids, starts, ends, lines = g:hits(assert(lode.from_string("Aliev\nin BAKU")))
    assert.same({1, 2}, ids)
    assert.same({1, 10}, starts)
    assert.same({5, 13}, ends)
    assert.same({1, 2}, lines)
    assert.same({"Baku", "place"}, {g:entry(2)})
    assert.has_error(function() g:entry(0) end)
    assert.has_error(function() g:entry(3) end)
  end)

  it("add each hit's doc text as a fifth column when asked", function()
    local g = shipped()
    for _, doc in ipairs(corpus_docs()) do
      local ms = g:matches(doc)
      for _, subject in ipairs{doc, doc:normalize(g:options())} do
        local ids, starts, ends, lines, texts = g:hits(subject, true)
        assert.equals(#ms, #ids)
        assert.equals(#ms, #texts)
        for k, m in ipairs(ms) do
          assert.same({m.i, m.j, m.line, m.text, m.text},
                      {starts[k], ends[k], lines[k], texts[k], doc:sub(starts[k], ends[k])})
        end
      end
    end
    local g2 = lode.gazetteer{{"Baku", "Baku", "place"}}
    local doc = assert(lode.from_string("in BAKU and Bakü, Baku"))
    assert.equals(4, select("#", g2:hits(doc)))
    assert.equals(4, select("#", g2:hits(doc, false)))
    local _, _, _, _, texts = g2:hits(doc, true)
    assert.same({"BAKU", "Bakü", "Baku"}, texts)   -- the doc's bytes, not the folded view's
    assert.same({{}, {}, {}, {}, {}}, {g2:hits(assert(lode.from_string("")), true)})
  end)

  it("handle an empty doc and refuse a view made with other options", function()
    local g = lode.gazetteer{"Baku"}
    assert.same({{}, {}, {}, {}}, {g:hits(assert(lode.from_string("")))})
    assert.has_error(function() g:hits(assert(lode.from_string("Baku")):normalize{form = "NFC"}) end)
  end)
end)

-- g:scan runs the C scan a part of the text ahead of the loop (g:each);
-- g:hits scans the whole text at once: both must give the same hits.
describe("g:scan streams", function()
  local function records(g, text)
    local out = {}
    for m in g:scan(text) do out[#out + 1] = m end
    return out
  end

  -- g:scan's records against g:hits's columns, field by field
  local function same_as_hits(g, doc)
    local ms = records(g, doc)
    local entries, starts, ends, lines, texts = g:hits(doc, true)
    assert.equals(#entries, #ms)
    for k, m in ipairs(ms) do
      local canonical, kind = g:entry(entries[k])
      assert.same({canonical, kind, starts[k], ends[k], lines[k], texts[k]},
                  {m.canonical, m.kind, m.i, m.j, m.line, m.text})
      assert.equals(lode.normalize(m.text, g:options()), m.match)
    end
    return #ms
  end

  it("gives g:hits's hits on the corpus, one article and all of them end to end", function()
    local g = shipped()
    local all = {}
    for _, doc in ipairs(corpus_docs()) do
      assert.is_true(same_as_hits(g, doc) > 0)
      all[#all + 1] = doc:text()
    end
    -- eight times the corpus: many parts, hits on both sides of each cut
    local long = assert(lode.from_string(string.rep(table.concat(all, "\n"), 8, "\r\n")))
    assert.is_true(#long > 200000)
    assert.is_true(same_as_hits(g, long) > 4000)
  end)

  it("resumes after a full batch on one huge line (no line break to cut at)", function()
    local g = lode.gazetteer{{"Baku", "Baku", "place"}, {"Ganja", "Ganja", "place"}}
    local line = string.rep("Baku, GANJA and  baku\194\160— ", 3000)
    local doc = assert(lode.from_string(line .. "Baku"))
    assert.equals(9001, same_as_hits(g, doc))
    local ms = records(g, doc)
    assert.equals(#doc - 3, ms[#ms].i)   -- the hit at the very end
    assert.equals(#doc, ms[#ms].j)
  end)

  it("resolves overlapping aliases leftmost-longest, across lines and at the end", function()
    local g = lode.gazetteer{"New York", "York City", "New York City", "City"}
    local doc = assert(lode.from_string("New York City\nYork City, new york\n\nCITY"))
    local got = {}
    for m in g:scan(doc) do got[#got + 1] = m.text .. "@" .. m.line end
    assert.same({"New York City@1", "York City@2", "new york@2", "CITY@4"}, got)
    same_as_hits(g, doc)
  end)

  it("handles empty and blank docs, and bad-UTF-8 text replaced on load", function()
    local g = lode.gazetteer{"Baku"}
    assert.same({}, records(g, assert(lode.from_string(""))))
    assert.same({}, records(g, assert(lode.from_string(" \n\t\r\n"))))
    local doc = assert(lode.from_string("\255Baku\254 baku\128", {invalid = "replace"}))
    assert.equals(2, same_as_hits(g, doc))
  end)

  it("g:each gives the fields of g:scan's records without a table", function()
    local g = shipped()
    local doc = corpus_docs()[1]
    local ms, k = records(g, doc), 0
    for canonical, kind, i, j, line, text, match in g:each(doc) do
      k = k + 1
      assert.same(ms[k], {canonical = canonical, kind = kind, i = i, j = j, line = line,
                          text = text, match = match})
    end
    assert.equals(#ms, k)
  end)

  it("keeps its doc and view alive, and stops with an error if either is closed", function()
    local g = lode.gazetteer{"Baku"}
    local text = string.rep("Baku\n", 20000)
    local it = g:scan(assert(lode.from_string(text)))  -- no other reference to the doc
    local n = 0
    for m in it do
      n = n + 1
      if n % 5000 == 0 then collectgarbage() collectgarbage() end
      assert.equals("Baku", m.text)
      assert.equals(n, m.line)
    end
    assert.equals(20000, n)

    local doc = assert(lode.from_string(text))
    local each = g:each(doc)
    assert.equals("Baku", each())
    doc:close()
    assert.has_error(each, "gazetteer scan: gazetteer, document or view closed during the scan")

    local v = assert(lode.from_string(text)):normalize(g:options())
    each = g:each(v)
    assert.equals("Baku", each())
    v:close()
    assert.has_error(each, "gazetteer scan: gazetteer, document or view closed during the scan")
  end)
end)

describe("g:names", function()
  -- the same answer from g:hits in Lua, as lode.extract.entities read it
  local function names_from_hits(g, subject, kinds)
    local ids, starts, ends, lines, texts = g:hits(subject, true)
    local recs, I, J, known, last_j, disjoint = {}, {}, {}, {}, 0, true
    for k = 1, #ids do
      local canonical, kind = g:entry(ids[k])
      local r
      if kinds[kind] then
        if texts[k]:find("[%u\128-\255]") then
          r = {kind = kind, name = canonical, text = texts[k], i = starts[k], j = ends[k], line = lines[k]}
        end
        if r then
          local n = #recs + 1
          recs[n], I[n], J[n] = r, r.i, r.j
          if r.i <= last_j then disjoint = false end
          last_j = r.j
        end
      end
      if r or not kinds[kind] then known[texts[k]:lower()] = kind end
    end
    -- the claims: I and J again, each pair packed as two lua_Integers
    local packed = {}
    for n = 1, #I do packed[n] = string.pack("jj", I[n], J[n]) end
    return recs, I, J, known, disjoint, table.concat(packed)
  end

  it("give the capitalised hits of some kinds as records, as g:hits would", function()
    local g = shipped()
    local kinds = {person = true, org = true, place = true}
    for _, doc in ipairs(corpus_docs()) do
      for _, subject in ipairs{doc, doc:normalize(g:options())} do
        local got = {g:names(subject, kinds)}
        assert.same({names_from_hits(g, subject, kinds)}, got)
        assert.is_true(#got[1] > 0, doc.name)
      end
    end
  end)

  it("agree with g:hits on short pages, one-letter names and shared slots", function()
    -- 65 aliases: the first and the last share g:names's slot (alias id
    -- modulo 64) but not their kind; pages around 64 bytes (the hits of a
    -- short page stay in the C frame), hits one byte long, back to back
    local entries = {{"A", "Alpha", "place"}}
    for k = 2, 64 do entries[k] = {"W" .. k, "W" .. k, "term"} end
    entries[65] = {"B", "Beta", "org"}
    local g = lode.gazetteer(entries)
    local kinds = {place = true, org = true}
    for _, text in ipairs{"", "A", string.rep("A ", 31) .. "B", string.rep("A B ", 16),
                          string.rep("B A W2 ", 9) .. "a", string.rep("A W64 B ", 12)} do
      local doc = assert(lode.from_string(text))
      local got = {g:names(doc, kinds)}
      assert.same({names_from_hits(g, doc, kinds)}, got)
      if #text > 0 then assert.is_true(#got[1] > 0, text) end
    end
  end)

  it("drop lower-case hits and the ones keep refuses", function()
    local g = lode.gazetteer{{"Turkey", "Turkey", "place"}, {"Chad", "Chad", "place"},
                             {"Chad Smith", "Chad Smith", "person"}, {"UN", "United Nations", "org"},
                             {"ceasefire", "ceasefire", "term"}}
    local doc = assert(lode.from_string("turkey and Turkey.\nChad Smith met the UN on a ceasefire; TURKEY"))
    local asked = {}
    local recs, I, J, known, disjoint = g:names(doc, {place = true, person = true, org = true}, 2,
      function(r) asked[#asked + 1] = r.text; return r.text ~= "Chad Smith" end)
    local texts = {}
    for k, r in ipairs(recs) do
      texts[k] = r.text
      assert.equals(doc:sub(r.i, r.j), r.text)
      assert.same({r.i, r.j}, {I[k], J[k]})
    end
    -- "turkey" is a word; "Chad Smith" (entry 3 > 2) was refused, "UN"
    -- kept; neither a dropped hit nor "ceasefire" (not asked for) is a record
    assert.same({"Turkey", "UN", "TURKEY"}, texts)
    assert.same({"Chad Smith", "UN"}, asked)
    assert.same({1, 2, 2}, {recs[1].line, recs[2].line, recs[3].line})
    assert.same({turkey = "place", un = "org", ceasefire = "term"}, known)
    assert.is_true(disjoint)
    local all = g:names(doc, {place = true, person = true})
    assert.same({"Turkey", "Chad Smith", "TURKEY"}, {all[1].text, all[2].text, all[3].text})
    assert.same({"Chad Smith", "person"}, {all[2].name, all[2].kind})
  end)

  it("lowercase each surface of a repeated name in known", function()
    -- one alias, several surfaces: each is a key of its own, however
    -- often the others came before it
    local g = lode.gazetteer{{"Nakhichevan", "Nakhchivan", "place"}}
    local doc = assert(lode.from_string(
      "Nakhichevan, NAKHICHEVAN and Nakhíchevan.\nNakhichevan; NAKHÍCHEVAN, Nakhichevan"))
    local recs, _, _, known = g:names(doc, {place = true})
    assert.equals(6, #recs)
    assert.same({nakhichevan = "place", ["nakhíchevan"] = "place", ["nakhÍchevan"] = "place"}, known)
  end)

  it("leave the hits outside the spans as false, counted all the same", function()
    local g = lode.gazetteer{{"Baku", "Baku", "place"}, {"Ganja", "Ganja", "place"},
                             {"Ilham Aliyev", "Ilham Aliyev", "person"}}
    local text = "Menu: Baku | Ganja\n\nIlham Aliyev flew from Baku to Ganja.\nShare: Ganja"
    local doc = assert(lode.from_string(text))
    local a, b = text:find("Ilham.-Ganja%.")
    local asked = {}
    local recs, I, J, known, disjoint = g:names(doc, {place = true, person = true}, 1,
      function(r) asked[#asked + 1] = r.text .. "@" .. r.i; return r.i ~= b - 5 end, {{i = a, j = b}})
    local got = {}
    for k = 1, #I do got[k] = recs[k] and recs[k].text or false end
    -- out of the span: the menu and the share line; refused: the last
    -- Ganja of the sentence (still asked, being of an entry above 1)
    assert.same({false, false, "Ilham Aliyev", "Baku", false}, got)
    assert.equals(5, #recs)
    assert.same({"Ganja@14", "Ilham Aliyev@" .. a, "Ganja@" .. (b - 5), "Ganja@" .. (#text - 4)}, asked)
    assert.same({7, 14, a, a + 23, #text - 4}, I)
    assert.same({10, 18, a + 11, a + 26, #text}, J)
    assert.same({baku = "place", ganja = "place", ["ilham aliyev"] = "person"}, known)
    assert.is_true(disjoint)
    -- no span: nothing in scope; spans are checked
    assert.same({false, false}, {g:names(doc, {place = true}, nil, nil, {})[1],
                                 g:names(doc, {place = true}, nil, nil, {})[4]})
    assert.has_error(function() g:names(doc, {place = true}, nil, nil, {{i = 5, j = 9}, {i = 9, j = 12}}) end)
    assert.has_error(function() g:names(doc, {place = true}, nil, nil, {{i = 5}}) end)
    assert.has_error(function() g:names(doc, {place = true}, nil, nil, "all") end)
  end)

  it("handle empty text and a huge line, and refuse bad arguments", function()
    local g = lode.gazetteer{{"Baku", "Baku", "place"}}
    local recs, I, J, known, disjoint = g:names(assert(lode.from_string("")), {place = true})
    assert.same({{}, {}, {}, {}, true}, {recs, I, J, known, disjoint})
    local doc = assert(lode.from_string(string.rep("Baku ", 20000)))
    recs, I, J, known, disjoint = g:names(doc, {place = true})
    assert.same({20000, 20000, 99999, 1, true}, {#recs, #I, J[#J], recs[#recs].line, disjoint})
    assert.same({baku = "place"}, known)
    assert.has_error(function() g:names(doc) end)
    assert.has_error(function() g:names("Baku", {place = true}) end)
    assert.has_error(function() g:names(doc, {place = true}, 0, "keep") end)
    assert.has_error(function() g:names(doc:normalize{form = "NFC"}, {place = true}) end)
  end)
end)
