-- lode.extract.entities: person F1 on hand-checked corpus fixtures, and the traps.
local lode = require "lode"
local entities = require "lode.extract.entities"
local score = require "score"
local root = os.getenv("LODE_SOURCE_DIR") or "."
local function ents(s) return entities(lode.from_string(s, {name = "t"})) end

describe("entities on the corpus", function()
  it("person F1 (line + canonical name) and the span property", function()
    local exp, got = {}, {}
    for _, base in ipairs{"000_22d4f11e9d4f7577", "001_6d5d41b893ce7abd",
        "002_3ee2e9b4ed3af45a", "003_4e4d8b7c50d3a502", "004_14209ef97e7b3a33"} do
      local d = assert(lode.load(root .. "/corpus/" .. base .. ".txt"))
      for line in io.lines(root .. "/tests/fixtures/extract/entities/" .. base .. ".tsv") do
        local l, name = line:match("^(%d+)\t([^\t]+)")
        if l then exp[#exp + 1] = base .. l .. "|" .. name end
      end
      for _, r in ipairs(entities(d)) do
        assert.equal(r.text, d:sub(r.i, r.j))
        if r.kind == "person" then got[#got + 1] = base .. r.line .. "|" .. r.name end
      end
    end
    local s = score.compare(exp, got, function(k) return k end)
    score.report("persons", s)
    assert.is_true(s.f1 >= 0.95)
  end)
end)

describe("entity rules", function()
  it("links surnames to the most recent full name (two Grigoryans)", function()
    local r = ents("Armen Grigoryan met the press. Grigoryan said little. " ..
      "Later Tigran Grigoryan, an analyst, spoke. Grigoryan disagreed.")
    local p = {}
    for _, e in ipairs(r) do if e.kind == "person" then p[#p + 1] = e.name end end
    assert.same({"Armen Grigoryan", "Armen Grigoryan", "Tigran Grigoryan", "Tigran Grigoryan"}, p)
  end)
  it("keeps roles from titles and appositions", function()
    local r = ents("Azerbaijan’s President Ilham Aliyev spoke. " ..
      "Zakir Hasanov, Azerbaijan’s minister of defense, agreed.")
    assert.equal("President of Azerbaijan", r[1].role or r[2].role)
  end)
  it("reads the same role before a name in every document, and another before another", function()
    local function role_of(s)
      for _, e in ipairs(ents(s)) do if e.kind == "person" then return e.role end end
    end
    for _ = 1, 2 do       -- the second time, as remembered
      assert.equal("Foreign Minister of Veloria", role_of("Veloria's Foreign Minister Ivo Marek said so."))
      assert.equal("Foreign Minister of Veloria", role_of("He met Veloria's Foreign Minister Ivo Marek."))
      assert.equal("Foreign Minister", role_of("Then, Foreign Minister Ivo Marek said so."))
      assert.is_nil(role_of("Then, Mr. Ivo Marek said so."))
    end
  end)

  it("reads advisers' roles, with the words between a possessive and the title", function()
    local function role_of(s)
      for _, e in ipairs(ents(s)) do if e.kind == "person" then return e.role end end
    end
    assert.equal("presidential aide of Veloria", role_of("Ivo Marek, Veloria's presidential aide, said so."))
    assert.equal("aide to the president", role_of("Ivo Marek, an aide to the president, said so."))
    assert.equal("senior adviser", role_of("Ivo Marek, a senior adviser, said so."))
    assert.is_nil(role_of("Ivo Marek, Veloria's best friend, said so."))
  end)
  it("reads a list of titled names as names, not as one title and a name", function()
    local r = ents("Later Mrs. Lind and Ms Aubert met President Berg and Vice President Holm, "
      .. "then Queen Sigrid, Sir Anselm Rook and Pope Leo. Tomas Brun, Minister of Fisheries, agreed.")
    local got = {}
    for _, e in ipairs(r) do
      if e.kind == "person" then got[#got + 1] = e.name .. "|" .. (e.title or "") .. "|" .. (e.role or "") end
    end
    assert.same({"Lind|Mrs.|", "Aubert|Ms|", "Berg|President|President", "Holm|Vice President|Vice President",
      "Queen Sigrid|Queen|", "Anselm Rook|Sir|", "Pope Leo|Pope|", "Tomas Brun||Minister of Fisheries"}, got)
  end)
  it("defines acronyms and resolves later mentions", function()
    local r = ents("Help came from the Eurasian Customs Organization (ECO). Later the ECO said no.")
    local orgs = {}
    for _, e in ipairs(r) do if e.kind == "org" then orgs[#orgs + 1] = e end end
    assert.equal("ECO", orgs[1].acronym)
    assert.equal("Eurasian Customs Organization", orgs[2].name)
    assert.equal("ECO", orgs[2].text)
    for _, e in ipairs(r) do assert.is_not.equal("person", e.kind) end
  end)
  it("reads a later acronym as the longest one defined, every run", function()
    local r = ents("Help came from the Eurasian Trade Organization (ET) and the Eurasian Telecom "
      .. "Organization (ET&T). Later ET&T said no, and ET agreed.")
    local later = {}
    for _, e in ipairs(r) do if e.kind == "org" and e.text == e.acronym then later[#later + 1] = e.text end end
    assert.same({"ET&T", "ET"}, later)
  end)
  it("maps place variants to the canonical name", function()
    local r = ents("Trucks went to Nakhichevan and then to Nakhchivan.")
    local n = 0
    for _, e in ipairs(r) do if e.kind == "place" then n = n + 1; assert.equal("Nakhchivan", e.name) end end
    assert.equal(2, n)
  end)
  it("never makes demonyms, months or sentence-initial words persons", function()
    for _, e in ipairs(ents("Armenian officials met in May. The Azerbaijani side said Monday that talks go on.")) do
      assert.is_not.equal("person", e.kind)
    end
    assert.same({}, ents(""))
  end)
  it("hands out records through lode.extract.all that no later call sees edited", function()
    local doc = lode.from_string("Ilham Aliyev met Nikol Pashinyan in Nakhchivan on May 5, 2021.", {name = "t"})
    local first = lode.extract.all(doc)
    local names = {}
    for _, r in ipairs(first) do
      if r.kind == "person" or r.kind == "place" then names[#names + 1] = r.name; r.name = "EDITED" end
    end
    assert.same({"Ilham Aliyev", "Nikol Pashinyan", "Nakhchivan"}, names)
    for _, r in ipairs(lode.extract.entities(doc)) do assert.is_not.equal("EDITED", r.name) end
    local again = {}
    for _, r in ipairs(lode.extract.all(doc)) do
      if r.kind == "person" or r.kind == "place" then again[#again + 1] = r.name end
    end
    assert.same(names, again)
  end)
end)

describe("lode.extract.STAGES", function()
  local line = require("lode.out").line
  local function lines_of(doc, staged)
    if staged then
      for s = 1, #lode.extract.STAGES do lode.extract.STAGES[s](doc) end
    end
    local t = {}
    for _, r in ipairs(lode.extract.all(doc)) do t[#t + 1] = line(doc, r) end
    return t
  end

  it("leaves all() the records it gives without them, on real and nasty pages", function()
    local texts = {"", "\n\n", "“unbalanced quote said Aliyev, 3 km in 2020", ("word "):rep(20000),
                   "Title\n\nBaku, 5 May 2021 — 12 soldiers died, the ministry said: “No.”\n"}
    for l in io.popen("ls " .. root .. "/corpus/*.txt"):lines() do texts[#texts + 1] = io.open(l):read("a") end
    for k, text in ipairs(texts) do
      local want = lines_of(lode.from_string(text, {name = "t" .. k}), false)
      local doc = lode.from_string(text, {name = "t" .. k})
      assert.same(want, lines_of(doc, true))
      -- all() took the staged parts: a second call computes them again
      assert.same(want, lines_of(doc, false))
    end
  end)

  it("are not used by all() with options of its own", function()
    local doc = lode.from_string("Menu\n\nIlham Aliyev spoke in Baku.\n", {name = "t"})
    for s = 1, #lode.extract.STAGES do lode.extract.STAGES[s](doc) end
    local whole = lode.extract.all(doc, {body = false})
    local fresh = lode.extract.all(lode.from_string("Menu\n\nIlham Aliyev spoke in Baku.\n", {name = "t"}),
                                   {body = false})
    assert.same(#fresh, #whole)
    for k = 1, #fresh do assert.equal(line("t", fresh[k]), line("t", whole[k])) end
  end)
end)

describe("lists of capitalised names (lode.core.coord_list)", function()
  local coord_list = require("lode.core").coord_list

  it("walks a list both ways from one item, as 1-based columns", function()
    local s = "near Lachin, Upper Ovik and Zorakan-Tegh on Friday"
    local I, J = coord_list(s, 14, nil, 3, 24)
    assert.same({6, 14, 29}, I)
    assert.same({11, 23, 40}, J)
    assert.same({I, J}, {coord_list(s, 14, 23, 3, 24)})
    -- the item limit; no item at a small letter, a space or the end
    assert.same({{6, 14}, {11, 23}}, {coord_list(s, 14, nil, 3, 2)})
    assert.is_nil(coord_list(s, 1, nil, 3, 24))
    assert.is_nil(coord_list(s, 5, nil, 3, 24))
    assert.is_nil(coord_list(s, #s + 1, nil, 3, 24))
    assert.is_nil(coord_list("", 1, nil, 3, 24))
    -- a list shorter than min_items makes no columns
    assert.same({I, J}, {coord_list(s, 14, nil, 3, 24, 3)})
    assert.is_nil(coord_list(s, 14, nil, 3, 24, 4))
    assert.is_nil(coord_list(s, 14, nil, 3, 2, 3))
  end)

  it("reads bad UTF-8 and NUL bytes as no word, and refuses bad arguments", function()
    assert.same({{1}, {3}}, {coord_list("Ani\0, \255Bo", 1, nil, 3, 24)})
    assert.has_error(function() coord_list("Ani", 0, nil, 3, 24) end)
    assert.has_error(function() coord_list("Ani", 5, nil, 3, 24) end)
    assert.has_error(function() coord_list("Ani", 1, 4, 3, 24) end)
    assert.has_error(function() coord_list("Ani", 1, nil, 0, 24) end)
    assert.has_error(function() coord_list("Ani", 1, nil, 3, 257) end)
  end)
end)

describe("where a role before a name starts (lode.core.role_window)", function()
  local core = require "lode.core"
  local enders, honorifics = core.wordset{"minister", "of"}, core.wordset{"mr.", "mr"}
  local role_window = core.role_window(enders, honorifics, ",.")

  local function window(s, from, max)
    return role_window(s .. "Ana Lind", from or 1, #s + 1, max or 160)
  end

  it("skips a last word that ends no role, else starts after the last stop byte", function()
    assert.is_nil(window("as he said "))
    assert.is_nil(window("Mr. "))
    assert.is_nil(window("the President"))             -- no space before the name
    assert.equal(1, window("the deputy minister "))
    assert.equal(9, window("He said, Foreign Minister "))
    assert.equal(6, window("said, \226\128\156"))      -- non-ASCII: the regex decides
    assert.equal(4, window("a, President ", 4))
    assert.equal(12, window("a, b c d e President ", 1, 10))
  end)

  it("reads an empty prefix as no role, and refuses spans out of the string", function()
    assert.is_nil(window(""))
    local no_stops = core.role_window(enders, honorifics, "")
    assert.is_nil(no_stops("", 1, 1, 160))
    assert.has_error(function() no_stops("ab", 1, 4, 160) end)
    assert.has_error(function() no_stops("ab", 3, 2, 160) end)
    assert.has_error(function() no_stops("ab", 1, 2, -1) end)
    assert.has_error(function() core.role_window({}, honorifics, "") end)
    assert.has_error(function() core.role_window(enders, honorifics) end)
  end)
end)

describe("strings numbered in the order first seen (lode.core.strtab)", function()
  local strtab = require("lode.core").strtab

  it("gives each distinct span text an id", function()
    local t = strtab()
    local s = "Ana Lind met Ana Lind and The Guard"
    assert.equal(1, t:id("Ana Lind"))
    assert.equal(1, t:id(s, 14, 21))
    assert.equal(2, t:id(s, 27, 35))
    assert.equal(3, t:id(s, 27, 26))                 -- the empty string
    assert.equal(3, #t)
    t:mark(2)
    assert.is_true(t:marked(2))
    assert.is_false(t:marked(1))
    t:clear()
    assert.equal(0, #t)
    assert.equal(1, t:id("The Guard"))
    assert.is_false(t:marked(1))
  end)

  it("leaves the records alone when the extractor renews its table of runs", function()
    local lists = require "lode.extract.entities.lists"
    local text = "President Ilham Aliyev met Ana Lind in Baku. The Minister said Lind would stay.\n" ..
      "Reporting by Umit Bektas and Ali Usta in Ganja; Editing by Tom Hogue"
    local function names(name)
      local out = {}
      for _, r in ipairs(entities(lode.from_string(text, {name = name}), {body = false})) do
        out[#out + 1] = r.kind .. ":" .. r.name .. "@" .. r.i
      end
      return out
    end
    local before, cap = names("a"), lists.MEMO_MAX
    lists.MEMO_MAX = 1                  -- a new table for each document
    local ok, after = pcall(names, "b")
    local again = ok and names("c")
    lists.MEMO_MAX = cap
    assert.is_true(ok, after)
    assert.is_true(#before >= 8)      -- the credit line too
    assert.same(before, after)
    assert.same(before, again)
  end)

  it("refuses spans out of the string and ids it never gave", function()
    local t = strtab()
    assert.has_error(function() t:id("abc", 0, 2) end)
    assert.has_error(function() t:id("abc", 2, 4) end)
    assert.has_error(function() t:mark(1) end)
  end)
end)

describe("capitalised runs (lode.core.capruns)", function()
  local core = require "lode.core"
  local words = require "lode.words"
  local lists = require "lode.extract.entities.lists"
  local CONN = lists.sorted_keys(lists.NOT_IN_NAME, lists.NAME_PARTICLE)
  local ABBR = {"Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Prof", "Sen", "Gov", "Amb", "St"}
  -- the regex whose matches the runs are (core/capruns.h), as PCRE2 reads it
  local W = [[(?:(?:]] .. table.concat(ABBR, "|") .. [[)\.|\p{Lu}\.(?= \p{Lu})]] ..
    [[|\p{Lu}[\p{L}\p{M}]*(?:-\p{Lu}[\p{L}\p{M}]*)*)]]
  local REF = lode.regex("(?<![\\p{L}\\p{N}\\-.])" .. W .. "(?:[ \\t](?:(?:" .. words.trie(CONN) ..
    ")[ \\t]){0,3}" .. W .. "){0,11}(?![\\p{L}\\p{N}])")
  local m = core.capruns(CONN, ABBR, 12, 3)
  local function spans(I, J)
    local out = {}
    for k = 1, #I do out[k] = I[k] .. "-" .. J[k] end
    return table.concat(out, ",")
  end

  it("finds the regex's matches, on news text and on random nasty text", function()
    local function same(s)
      local I, J = {}, {}
      for i, j in REF:gfind(s) do I[#I + 1], J[#J + 1] = i, j end
      local A, B = m:runs(s)
      assert.equal(spans(I, J), spans(A, B), string.format("%q", s))
    end
    same("Prime Minister Nikol Pashinyan met Mr. Ilham Aliyev of the Republic of Azerbaijan " ..
      "and Jean-Pierre Lind (OSCE) in St. Petersburg; COVID19 hit Donald J. Trump's US-backed plan.")
    same("Élodie Şahin, Ärzte ohne Grenzen, McDonald, eBay, x-Ray, .Net, 9Lives")
    local toks = {"Mr", "Mrs", ".", " ", " ", " ", "\t", "of", "de", "the", "al", "-", "A", "B", "b",
      "Ab", "Xy", "É", "é", "\u{0301}", "9", "²", "ǅ", "ʰ", "İ", "’", "'", "\n", "St", "J", "Σ", "σ",
      "中", "\u{2160}", "\u{1D400}", "😀", "\0", ",", "Smith", "Jean", "van", "Ü", "\u{0903}", "K."}
    math.randomseed(17)
    for _ = 1, 3000 do
      local t = {}
      for k = 1, math.random(1, 30) do t[k] = toks[math.random(#toks)] end
      same(table.concat(t))
    end
  end)

  it("leaves out the runs inside claimed ranges, and numbers their texts", function()
    local s = "Ana Lind met Ana Lind; Baku, Baku"
    assert.equal("1-8,14-21,24-27,30-33", spans(m:runs(s)))
    assert.equal("1-8,30-33", spans(m:runs(s, {10, 24}, {21, 27})))
    -- K: the first claim ending at or after each run's start
    local I, J, ID, K = m:runs(s, {10, 24}, {12, 27})
    assert.equal("1-8,14-21,30-33", spans(I, J))
    assert.is_nil(ID)
    assert.same({1, 2, 3}, K)
    assert.is_nil(select(4, m:runs(s)))
    local t = core.strtab()
    I, J, ID = m:runs(s, {24}, {31}, t)
    assert.equal("1-8,14-21,30-33", spans(I, J))
    assert.same({1, 1, 2}, ID)
    t:mark(1)
    I, J, ID = m:runs(s, nil, nil, t, true)
    assert.equal("24-27,30-33", spans(I, J))
    -- but for the marked runs starting in lo..hi
    assert.equal("14-21,24-27,30-33", spans(m:runs(s, nil, nil, t, true, 10, 14)))
    assert.equal("24-27,30-33", spans(m:runs(s, nil, nil, t, true, 15, 40)))
    assert.same({2, 2}, ID)
  end)

  it("leaves out the runs that touch no span of the scope", function()
    local s = "Ana Lind met Ana Lind; Baku, Baku"
    -- a run touching a span is kept whole: the caller cuts it
    assert.equal("1-8,14-21", spans(m:runs(s, nil, nil, nil, nil, nil, nil, {{i = 5, j = 5}, {i = 14, j = 20}})))
    assert.equal("24-27", spans(m:runs(s, nil, nil, nil, nil, nil, nil, {{i = 22, j = 24}, {i = 29, j = 29}})))
    assert.equal("", spans(m:runs(s, nil, nil, nil, nil, nil, nil, {{i = 22, j = 23}, {i = 28, j = 29}})))
    assert.equal("", spans(m:runs(s, nil, nil, nil, nil, nil, nil, {})))
    -- with claims: K still counts every claim
    local I, J, ID, K = m:runs(s, {1, 24}, {8, 27}, nil, nil, nil, nil, {{i = 10, j = 40}})
    assert.equal("14-21,30-33", spans(I, J))
    assert.is_nil(ID)
    assert.same({2, 3}, K)
    -- on random lines and spans: the regex's runs that touch a span
    local toks = {"Mr", ".", " ", " ", "\t", "of", "de", "-", "A", "B", "b", "Ab", "É", "é", "9",
      "’", "\n", "\n", "\r\n", "J", "Smith", "Jean", ","}
    math.randomseed(23)
    for _ = 1, 2000 do
      local t = {}
      for k = 1, math.random(1, 40) do t[k] = toks[math.random(#toks)] end
      local text = table.concat(t)
      local scope, at = {}, 0
      while at < #text and math.random(3) > 1 do
        local i = at + math.random(1, 6)
        local j = math.min(i + math.random(0, 8), #text + 1)
        if i > #text then break end
        scope[#scope + 1] = {i = i, j = j}
        at = j + 1
      end
      local want = {}
      for i, j in REF:gfind(text) do
        for _, sp in ipairs(scope) do
          if sp.i <= j and sp.j >= i then want[#want + 1] = i .. "-" .. j; break end
        end
      end
      assert.equal(table.concat(want, ","), spans(m:runs(text, nil, nil, nil, nil, nil, nil, scope)),
        string.format("%q", text))
    end
    assert.has_error(function() m:runs(s, nil, nil, nil, nil, nil, nil, {{i = 1}}) end)
    assert.has_error(function() m:runs(s, nil, nil, nil, nil, nil, nil, {5}) end)
  end)

  it("keeps every run of a page with hundreds of them", function()
    local parts = {}
    for k = 1, 300 do parts[k] = (k % 3 == 0 and "Mr. Ana Lind" or "Baku") .. ", x" end
    local s = table.concat(parts, " ")
    local I, J = {}, {}
    for i, j in REF:gfind(s) do I[#I + 1], J[#J + 1] = i, j end
    local A, B, ID, K = m:runs(s, {1}, {2}, core.strtab())
    assert.equal(300, #I)
    assert.equal(spans(I, J), spans(A, B))
    assert.equal(300, #ID)
    assert.equal(300, #K)
    -- hundreds of claims (each even run's bytes) and of scope spans (each
    -- run but every fifth): the odd runs, less every fifth
    local CI, CJ, scope, want = {}, {}, {}, {}
    for k = 1, #I do
      if k % 2 == 0 then CI[#CI + 1], CJ[#CJ + 1] = I[k], J[k] end
      if k % 5 ~= 0 then scope[#scope + 1] = {i = I[k], j = J[k]} end
      if k % 2 == 1 and k % 5 ~= 0 then want[#want + 1] = I[k] .. "-" .. J[k] end
    end
    assert.equal(table.concat(want, ","), spans(m:runs(s, CI, CJ, nil, nil, nil, nil, scope)))
    -- the same claims packed as g:names packs them, with the same K; and
    -- more than the C stack holds (256): each run but every seventh
    local packed, CK = {}, {}
    for q = 1, #CI do packed[q] = string.pack("jj", CI[q], CJ[q]) end
    local JI, JJ, _, JK = m:runs(s, table.concat(packed), nil, nil, nil, nil, nil, scope)
    local TK = select(4, m:runs(s, CI, CJ, nil, nil, nil, nil, scope))
    assert.equal(table.concat(want, ","), spans(JI, JJ))
    assert.same(TK, JK)
    local MI, MJ, many = {}, {}, {}
    for k = 1, #I do
      if k % 7 ~= 0 then MI[#MI + 1], MJ[#MJ + 1], many[#many + 1] = I[k], J[k], string.pack("jj", I[k], J[k]) end
    end
    assert.is_true(#MI > 256)
    local T = {m:runs(s, MI, MJ, core.strtab())}
    assert.equal(#I // 7, #T[1])
    assert.same(T, {m:runs(s, table.concat(many), nil, core.strtab())})
    for q = 1, 3 do CK[q] = string.pack("jj", CI[q], CJ[q]) end
    assert.same({m:runs(s, CI, CJ, core.strtab())}, {m:runs(s, table.concat(packed), nil, core.strtab())})
    assert.same({m:runs(s, {CI[1], CI[2], CI[3]}, {CJ[1], CJ[2], CJ[3]})}, {m:runs(s, table.concat(CK))})
    assert.same({m:runs(s, {}, {})}, {m:runs(s, "")})
    assert.has_error(function() m:runs(s, table.concat(CK):sub(2)) end)
    assert.has_error(function() m:runs(s, table.concat(CK), CJ) end)
  end)

  it("refuses bad words, bounds and columns", function()
    assert.has_error(function() core.capruns({"of the"}, ABBR, 12, 3) end)
    assert.has_error(function() core.capruns(CONN, {"St."}, 12, 3) end)
    assert.has_error(function() core.capruns(CONN, {1}, 12, 3) end)
    assert.has_error(function() core.capruns(CONN, ABBR, 0, 3) end)
    assert.has_error(function() core.capruns(CONN, ABBR, 12, 17) end)
    assert.has_error(function() m:runs("Ana", {1, 2}, {1}) end)
    assert.has_error(function() m:runs("Ana", {"x"}, {1}) end)
    assert.has_error(function() m:runs("Ana", nil, nil, {}) end)
  end)
end)

describe("copies of the shared records (lode.core.copy_records)", function()
  local copy_records = require("lode.core").copy_records

  it("copies every key of every record into a new table, values shared", function()
    local inner = {1, 2}
    local list = {{kind = "org", i = 1, j = 3, acronym = "OSCE", [1] = "a", [2.5] = inner, [true] = false},
      {}, setmetatable({name = "x"}, {__index = function() return "meta" end})}
    local out = copy_records(list)
    assert.equal(3, #out)
    assert.same(list[1], out[1])
    assert.is_not.equal(list[1], out[1])
    assert.equal(inner, out[1][2.5])                  -- shallow
    assert.same({}, out[2])
    assert.is_nil(getmetatable(out[3]))
    assert.is_nil(out[3].other)
    assert.equal("x", out[3].name)
    out[1].kind = "EDITED"
    assert.equal("org", list[1].kind)
    assert.same({}, copy_records({}))
  end)

  it("copies a record of many keys, and refuses an element that is no table", function()
    local big = {}
    for k = 1, 5000 do big["k" .. k] = k end
    assert.same(big, copy_records({big})[1])
    assert.has_error(function() copy_records({{}, "x"}) end, "record 2 is not a table")
    assert.has_error(function() copy_records("x") end)
  end)

  it("gives entities(doc) the same records as the shared ones, as new tables", function()
    local doc = lode.from_string("President Ilham Aliyev of Azerbaijan met the Organization for " ..
      "Security and Co-operation in Europe (OSCE) in Baku. Aliyev said the OSCE would return.",
      {name = "t"})
    local shared, copies = entities.shared(doc), entities(doc)
    assert.same(shared, copies)
    local kinds = {}
    for k, r in ipairs(copies) do
      assert.is_not.equal(shared[k], r)
      kinds[r.kind] = true
    end
    assert.same({person = true, org = true, place = true}, kinds)
  end)
end)

-- The kinds and names of the records of s (whole text in scope).
local function found(s)
  local out = {}
  for _, e in ipairs(entities(lode.from_string(s, {name = "t"}), {body = false})) do
    out[#out + 1] = e.kind .. ":" .. e.name
  end
  return out
end
local function has(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

describe("places of the world", function()
  it("finds countries and subdivisions from iso-codes, one canonical name each", function()
    local r = found("Exports from Cameroon and Uzbekistan rose; floods hit Texas and Ontario.")
    for _, p in ipairs{"place:Cameroon", "place:Uzbekistan", "place:Texas", "place:Ontario"} do
      assert.is_true(has(r, p), p)
    end
  end)
  it("merges variants of one place: iso names, English names, region spellings", function()
    local r = found("The Russian Federation and Russia; America, the United States of America and the US; " ..
      "Kəlbəcər and Kelbajar; Erevan and Yerevan; Viet Nam and Vietnam.")
    local names = {}
    for _, x in ipairs(r) do names[x] = true end
    assert.same({["place:Russia"] = true, ["place:United States"] = true, ["place:Kalbajar"] = true,
      ["place:Yerevan"] = true, ["place:Vietnam"] = true}, names)
    assert.equal(11, #r)          -- "the US" after "and" too
  end)
  it("reads the name after 'and' in a run the gazetteer begins", function()
    assert.same({"place:Russia", "place:United States"}, found("Talks between Russia and the US stalled."))
    assert.same({"place:Poland", "place:China", "place:United States"},
      found("Sales grew in Poland, China and the US."))
    -- no name after "of": "Bank of X" stays one name
    assert.same({}, found("The Hall of Mirrors Sang."))
  end)
  it("knows Georgia's towns, regions and crossings, and their other spellings", function()
    local r = found("Lorries queued at the Red Bridge; the port of Poti, Batumi and Kutaisi saw snow, " ..
      "and skiers reached Gudauri below Mount Kazbek. Wine from Kakheti and K’akheti crossed the Caspian via Kars; " ..
      "à Tbilissi, un jour plus tard.")
    assert.same({"place:Red Bridge", "place:Poti", "place:Batumi", "place:Kutaisi", "place:Gudauri",
      "place:Mount Kazbek", "place:Kakheti", "place:Kakheti", "place:Caspian Sea", "place:Kars", "place:Tbilisi"}, r)
  end)
  it("knows the region's places in Russian in the cases a sentence puts them", function()
    assert.same({"place:Armenia", "place:Gyumri", "place:Yerevan", "place:Almaty", "place:Azerbaijan",
      "place:Nagorno-Karabakh", "place:Georgia"},
      found("Посол Армении прилетел в Гюмри из Еревана, а потом в Алма-Ате встретился с Азербайджаном "
        .. "о Нагорном Карабахе; Грузия молчит."))
  end)
  it("names countries in French (iso-codes' translations) with their English canonical name", function()
    local r = found("La Turquie et l’Allemagne ont parlé à l’Arménie ; les États-Unis et la Russie aussi.")
    assert.same({"place:Turkey", "place:Germany", "place:Armenia", "place:United States", "place:Russia"}, r)
    -- a translation that is also an English word or a given name is left out
    assert.same({}, found("The Argentine team met Maurice at noon."))
  end)
  it("reads a title in the plural as a group, not a person", function()
    assert.same({}, found("Three Treasury Secretaries who said so were wrong; Defence Ministers met later."))
    assert.same({"person:Mark Jones"}, found("Senator Mark Jones who said so left."))
  end)
  it("reads the names of a credit line as persons, known given names or not", function()
    assert.same({"person:Oskar Vikdal", "person:Tiri Maunga", "place:Oslo", "person:Pele Faleolo",
      "person:Ingrid Soto"},
      found("Harbour fees rose again.\n\nAdditional reporting by Oskar Vikdal and Tiri Maunga in Oslo; "
        .. "Writing by Pele Faleolo; Editing by Ingrid Soto\n"))
    -- without a credit cue the same unknown names are no evidence of persons
    assert.same({}, found("Harbour fees rose: Tiri Maunga and Pele Faleolo.\n"))
    -- a character cut by the look-behind window does not break the cue test
    local pad = string.rep("\208\150", 120)
    assert.same({"person:Tiri Maunga"}, found(pad .. " Photos by Tiri Maunga\n"))
  end)
  it("takes continents, regions and former states from places.tsv", function()
    local r = found("Trade between Central Asia, Europe and the Soviet Union grew.")
    assert.same({"place:Central Asia", "place:Europe", "place:Soviet Union"}, r)
  end)
  it("takes the unknown names of a list of places as places", function()
    assert.same({"place:Sotk", "place:Fjordvik", "place:Nedre Brennmo", "place:Jermuk"},
      found("Shelling hit Sotk, Fjordvik, Nedre Brennmo and Jermuk overnight."))
    assert.same({"place:Fjordvik", "place:Nedre Brennmo", "place:Jermuk"},
      found("Shelling hit Fjordvik, Nedre Brennmo and Jermuk overnight."))
    -- a sentence's opening word is no item; two names, a list holding a
    -- person, a list of no known place: nothing
    assert.same({"place:Baku", "place:Moscow"}, found("Finally, Baku and Moscow agreed."))
    assert.same({"place:Sotk"}, found("Sotk and Fjordvik were hit."))
    assert.same({"place:Jermuk"}, found("Troops left the towns of Jermuk and Fjordvik."))
    assert.same({"place:Sotk", "person:Tomas Brun"}, found("It brought Sotk, Tomas Brun and Fjordvik together."))
    assert.same({}, found("It named Fjordvik, Brennmo and Lysvik."))
    -- the places of two lists take their turns among the other records
    local rs = ents("Shelling hit Sotk, Fjordvik and Brennmo. John Kerry saw Lysvik, "
      .. "Nedre Brennmo and Jermuk burn, then Yerevan.")
    local got, starts = {}, {}
    for k, r in ipairs(rs) do got[k], starts[k] = r.kind .. ":" .. r.name, r.i end
    assert.same({"place:Sotk", "place:Fjordvik", "place:Brennmo", "person:John Kerry",
      "place:Lysvik", "place:Nedre Brennmo", "place:Jermuk", "place:Yerevan"}, got)
    assert.same({14, 20, 33, 42, 57, 65, 83, 101}, starts)
  end)
  it("reads French honorifics, and an initial is no honorific", function()
    assert.same({"person:Colonna", "person:Dupont", "person:John M. Smith"},
      found("Mme Colonna et Mlle Dupont sont venues, puis John M. Smith."))
  end)
  it("matches cased aliases only in capitals, and names only when capitalised", function()
    assert.same({"place:United States", "place:United Kingdom"}, found("Both the US and the UK agreed."))
    assert.same({}, found("Let us carve the turkey; who knows where chad went."))
    -- a lower-case word with accents is a word too; capitals of any script name
    assert.same({}, found("Elle a quitté la réunion."))
    assert.same({"place:La Réunion", "place:Shusha", "place:Yerevan"},
      found("Vols vers La Réunion, Şuşa et Érevan."))
    assert.same({"org:World Health Organization"}, found("WHO officials came."))
  end)
  it("reads a place alias after a given name or title as a surname", function()
    assert.same({"person:John Kerry", "person:Bolton"}, found("John Kerry and Senator Bolton met."))
    -- the same word as a place elsewhere in the page is no surname there
    assert.same({"place:Bolton"}, found("They met in Bolton."))
  end)
  it("keeps the generated world.tsv in step with iso-codes", function()
    local bin = os.getenv("LODE_BIN")
    local f = io.open("/usr/share/iso-codes/json/iso_3166-2.json")
    local dict = io.open("/usr/share/dict/words")
    if not (bin and f and dict) then
      pending("iso-codes, wamerican or LODE_BIN missing")
      return
    end
    f:close(); dict:close()
    local p = io.popen(bin .. " run " .. root .. "/scripts/gen_places.lua")
    local made = p:read("a")
    p:close()
    local shipped = assert(io.open(root .. "/lua/lode/data/world.tsv")):read("a")
    -- the first line names the package version
    assert.equal(shipped:gsub("^[^\n]*\n", ""), (made:gsub("^[^\n]*\n", "")))
  end)
end)

describe("persons from cues", function()
  it("takes an unknown name with a trade or calling in apposition as a person", function()
    assert.same({"person:Tovan Merelik"}, found("Tovan Merelik, an Anglican priest, won the vote."))
    assert.same({"person:Ivo Marek"}, found("Later Ivo Marek, a Reuters photographer, left."))
  end)
  it("takes an unknown name after a title and a comma as a person", function()
    assert.same({"person:Ivo Marek"}, found("The Velorian Prime Minister, Ivo Marek, said so."))
    assert.same({"person:Ivo Marek"}, found("Their deputy leader, Ivo Marek, was caught."))
    assert.same({}, found("In the end, Ivo Marek, a town, was quiet."))
  end)
  it("takes an unknown name that owns a role as a person", function()
    assert.same({"person:Tovan Merelik", "person:Ivo Marek"},
      found("Tovan Merelik’s deputy leader, Ivo Marek, was caught."))
    assert.same({"person:Tovan Merelik"}, found("Tovan Merelik's lawyer denied it."))
    assert.same({}, found("Tovan Merelik’s house burned."))
  end)
  it("reads UN only in capitals: Un ends Korean names", function()
    assert.same({"person:Pak Sung Un", "org:United Nations"}, found("Chairman Pak Sung Un thanked the UN."))
  end)
  it("finds given name + surname pairs and middle initials", function()
    assert.same({"person:Fiona Walsh", "person:Harold K. Lamb"},
      found("Fiona Walsh wrote to Harold K. Lamb on behalf of the board."))
  end)
  it("keeps a title holding a place, and an occupation opening a sentence, out of the name", function()
    assert.same({"place:Georgia", "person:Tamta Beradze"},
      found("The Country Director for Georgia Tamta Beradze left."))
    assert.same({"place:Armenia", "person:Anna Vardanyan"},
      found("Minister of Foreign Affairs of Armenia Anna Vardanyan said no."))
    assert.same({"person:Keti Abashidze"}, found("Winemaker Keti Abashidze, 46, runs a vineyard."))
    -- a given name before another is part of the name
    assert.same({"person:Mary Anne Evans"}, found("Mary Anne Evans wrote it."))
  end)
  it("runs a title's tail up to the given name", function()
    local r = entities(lode.from_string("The Secretary of Transport Laura Kemp and Secretary of Trade Omar Idris left.",
      {name = "t"}), {body = false})
    assert.equal(2, #r)
    assert.equal("Laura Kemp", r[1].name); assert.equal("Secretary of Transport", r[1].title)
    assert.equal("Omar Idris", r[2].name); assert.equal("Secretary of Trade", r[2].title)
    assert.equal("Laura Kemp", r[1].text)
  end)
  it("cuts a run before a connector when its head is a full name", function()
    assert.same({"person:Thomas Brandt", "org:Halvorsen Institute"},
      found("Thomas Brandt of the Halvorsen Institute disagreed."))
    assert.same({"org:Bank of Lorvania"}, found("The Bank of Lorvania lent money."))
  end)
  it("links a surname with a particle, and Mr without a period", function()
    local r = found("Anna de Vries, an economist, spoke first. Mr de Vries then left; de Vries is tired.")
    assert.same({"person:Anna de Vries", "person:Anna de Vries"}, {r[1], r[2]})
  end)
  it("keeps every span exact on nasty input", function()
    local nasty = {"", "\"Thomas Brandt of “the Halvorsen Institute", ("US "):rep(5000),
      ("Anna de Vries "):rep(3000), "Mr.\u{A0}de Vries\r\nWHO\tUS\u{2028}Kəlbəcər’s"}
    for _, s in ipairs(nasty) do
      local d = lode.from_string(s, {name = "t"})
      for _, e in ipairs(entities(d, {body = false})) do assert.equal(e.text, d:sub(e.i, e.j)) end
    end
    -- NUL bytes and bad UTF-8: the document is refused, naming the byte,
    -- before any rule runs
    for s, msg in pairs{["Sarah \0Walsh"] = "t:1: binary data: NUL byte at byte 6",
        ["Sarah said \255 no"] = "t:1: invalid UTF-8 byte 0xff at byte 11"} do
      local d, err = lode.from_string(s, {name = "t"})
      assert.is_nil(d)
      assert.matches(msg, err, 1, true)
    end
  end)
  it("reads a 120 KB line of capitalised words in linear time", function()
    local t = {}
    for k = 1, 24000 do t[k] = k % 7 == 0 and "of" or "Abcd" end
    local s = "Sarah Walsh spoke.\n" .. table.concat(t, " ") .. "\nThen Laura Kemp replied.\n"
    local t0 = os.clock()
    local r = found(s)
    assert.is_true(os.clock() - t0 < 2)
    assert.same({"person:Sarah Walsh", "person:Laura Kemp"}, r)
  end)
end)

describe("cues around a capitalised run", function()
  it("makes a place of a run ending in a place head, after its last connector", function()
    assert.same({"place:Orchard Avenue", "place:Kestrel District"},
      found("Back on Orchard Avenue, crowds left the Kestrel District."))
  end)
  it("takes a person from an apposition, a relative clause or a qualified title", function()
    local r = entities(lode.from_string("Talks freed Mamadou Kone, a veteran opposition politician, " ..
      "and Carla Nunes, who fled. Deputy Foreign Minister Iva Brel spoke.", {name = "t"}), {body = false})
    assert.equal(3, #r)
    assert.equal("Mamadou Kone", r[1].name); assert.equal("politician", r[1].role)
    assert.equal("Carla Nunes", r[2].name)
    assert.equal("Iva Brel", r[3].name); assert.equal("Deputy Foreign Minister", r[3].title)
  end)
  it("keeps a style in a name without a first name, and links the surname to it", function()
    assert.same({"person:Lord Hartley", "person:Lord Hartley"}, found("Lord Hartley arrived. Hartley smiled."))
  end)
  it("makes no person of a given name alone or of demonyms joined by a hyphen", function()
    assert.same({}, found("Then President Laura\nspoke at the Armenian-Azerbaijani border."))
  end)
end)

describe("title-case headlines and spelling variants", function()
  it("splits a run at a capitalised speech verb", function()
    assert.same({"person:Maria Lopez", "org:Acme Group", "person:Anna Kemp"},
      found("Maria Lopez Says Deal Is Near\nAcme Group Says Anna Kemp Warns Staff\nThe Ministry Says No"))
  end)
  it("reads a subdivision's hyphen as a space too, and keeps English directions out", function()
    assert.same({"place:Schleswig-Holstein", "place:Schleswig-Holstein"},
      found("Farmers in Schleswig Holstein and Schleswig-Holstein protested."))
    assert.same({}, found("the south west of the city"))
  end)
end)

describe("places named after a place", function()
  it("makes a district of its own from a gazetteer place and a place head", function()
    local r = entities(lode.from_string("Troops left Hadrut Province and Hadrut town; then Lenin Square.",
      {name = "t"}), {body = false})
    local got = {}
    for _, e in ipairs(r) do got[#got + 1] = e.name .. "|" .. e.text .. "|" .. e.i end
    assert.same({"Hadrut Province|Hadrut Province|13", "Hadrut|Hadrut|33", "Lenin Square|Lenin Square|51"}, got)
  end)
end)

describe("first names", function()
  it("links a given name alone to the last full name with it, and drops it otherwise", function()
    assert.same({"person:Anna Kemp", "person:Anna Kemp"}, found("Anna Kemp, 34, came. Anna said no. Later Maria left."))
  end)
end)

describe("spans on random documents", function()
  it("cuts every record's text from the document exactly", function()
    local pieces = {"Anna", "Kemp", "de", "Vries", "of", "the", "and", "Mr", "Mr.", "Lord", "President",
      "Foreign", "Minister", "US", "UK", "us", "Hadrut", "Province", "Avenue", "Says", "Armenia", "Kəlbəcər",
      "Nakhichevan", "Institute", "(ECO)", "ECO", ",", ", who", ".", "\n", "’s", "“", "”", "—", "Thua",
      "Thien", "Hue", "K.", "Congo", "Korea", "\u{A0}", "Ilham", "Aliyev", "1990", "said"}
    local seed = 12345
    local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
    for _ = 1, 200 do
      local t = {}
      for k = 1, rand(60) do t[k] = pieces[rand(#pieces)] end
      local s = table.concat(t, rand(3) == 1 and "" or " ")
      local d = assert(lode.from_string(s, {name = "r"}))
      for _, e in ipairs(entities(d, {body = false})) do
        assert.equal(e.text, d:sub(e.i, e.j))
        assert.is_true(e.i >= 1 and e.j <= #s and e.i <= e.j)
      end
    end
  end)
end)

describe("place cues", function()
  it("makes a place of the name after a settlement noun", function()
    assert.same({"place:Borovka", "place:Varnitsa", "place:Lenna"},
      found("Troops took the settlement of Borovka and the port of Varnitsa; the city of Lenna."))
  end)

  it("reads cues of every length before 'of', and whole words only", function()
    assert.same({"place:Korvel", "place:Ulmar", "place:Tessa"},
      found("Rain fell on the mountains of Korvel, the towns of Ulmar and the municipality of Tessa."))
    -- "airport" ends with a cue; "port of call" names nothing
    assert.same({}, found("They reached the airport of Dunmere by the port of call."))
  end)
end)

describe("where place cues match (lode.core.place_cue_spans)", function()
  local core = require "lode.core"
  local words = require "lode.words"
  -- the extractor's two regexes searched over the whole page, as they were
  local cues, by_len = {}, {}
  for k in pairs(words.list("place_cues")) do
    cues[#cues + 1] = k
    by_len[#k] = by_len[#k] or {}
    table.insert(by_len[#k], k)
  end
  local behind = {}
  for _, same in pairs(by_len) do behind[#behind + 1] = "\\b(?:" .. table.concat(same, "|") .. ") of " end
  local THE = "\\bthe \\K\\p{Lu}[\\p{L}\\-]+(?= (?:" .. table.concat(cues, "|") .. ")\\b)"
  local OF = " of (?=\\p{Lu})(?<=" .. table.concat(behind, "|") .. ")\\K\\p{Lu}[\\p{L}\\-]+(?![\\p{L}’'])"
  local the_re, of_re = lode.regex(THE), lode.regex(OF)
  local the_g, of_g = lode.regex("\\G(?:" .. THE .. ")"), lode.regex("\\G(?:" .. OF .. ")")
  local ws = core.wordset(cues)

  local function same_as_search(s)
    local d = assert(lode.from_string(s, {name = "r"}))
    local I1, J1, I2, J2 = core.place_cue_spans(d, ws, the_g, of_g)
    local A1, B1 = d:match_spans(the_re)
    local A2, B2 = d:match_spans(of_re)
    assert.same({A1, B1, A2, B2}, {I1, J1, I2, J2})
    return #I1 + #I2
  end

  it("finds what the search over the page finds", function()
    local s = "In the Kalbajar district and the city of Shusha, the Foo-the city of Bo; the city of Ağdam"
    local d = lode.from_string(s)
    local I1, J1, I2, J2 = core.place_cue_spans(d, ws, the_g, of_g)
    assert.same({"Kalbajar", "Foo-the"}, {d:sub(I1[1], J1[1]), d:sub(I1[2], J1[2])})
    assert.same({"Shusha", "Bo", "Ağdam"}, {d:sub(I2[1], J2[1]), d:sub(I2[2], J2[2]), d:sub(I2[3], J2[3])})
    for _, t in ipairs({"", "the", " of ", "the City city", "the Bo city" .. ("x"):rep(70000),
        "city of " .. ("B"):rep(70000), "\rthe Bo port\fcity of Cy\v"}) do
      same_as_search(t)
    end
  end)

  -- (a Doc holds no NUL byte: test_placecue.c tries those)
  it("matches the search on random nasty text", function()
    local pieces = {"the ", "the", "The ", " of ", "of ", " ", " ", "\t", "-", "city", "cities", "City",
      "district", "port", "airport", "raion", "mountains", "Bo", "Foo-the", "Ani", "x", "2", "_", "’", "'",
      "Éva", "é", "ǅx", "\u{A0}", "\n", ",", "\r", "İz",
      -- whole phrases, so that the texts hold matches, next to anything
      "the Bo city", "city of Ani", "the Éva raion", "mountains of İz", "the Foo-the port ", " lake of Bo",
      "the ǅx town", " the Ani-Bo district", "cities of Éva’s", "the İz cities", "city of Ani-city of Bo"}
    local seed, matched = 4321, 0
    local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
    for _ = 1, 400 do
      local t = {}
      for k = 1, rand(120) do t[k] = pieces[rand(#pieces)] end
      matched = matched + same_as_search(table.concat(t))
    end
    assert.is_true(matched > 500)   -- (1,563)
  end)
end)
