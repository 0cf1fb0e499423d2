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
    local r = ents("Armen Grigoryan met the press. Grigoryan said little. Later Tigran Grigoryan, an analyst, spoke. Grigoryan disagreed.")
    local p = {}
    for _, e in ipairs(r) do if e.kind == "person" then p[#p + 1] = e.name end end
    assert.same({"Armen Grigoryan", "Armen Grigoryan", "Tigran Grigoryan", "Tigran Grigoryan"}, p)
  end)
  it("keeps roles from titles and appositions", function()
    local r = ents("Azerbaijan’s President Ilham Aliyev spoke. Zakir Hasanov, Azerbaijan’s minister of defense, agreed.")
    assert.equal("President of Azerbaijan", r[1].role or r[2].role)
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
