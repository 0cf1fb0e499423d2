-- Specs for lode.extract.quantities: hand-annotated fixtures (P/R/F1 on
-- line + value + counts), the rules and traps of the module header, nasty
-- input, and the span property.
local lode = require "lode"
local extract = require "lode.extract"
local score = require "score"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/extract/"

local function qs(s) return extract.quantities(lode.from_string(s, {name = "t"}), {body = false}) end
local function one(s)
  local r = qs(s)
  assert.equals(1, #r, "records in: " .. s)
  return r[1]
end

-- fixture rows: line<TAB>text<TAB>value<TAB>unit<TAB>counts
local function key(r) return r.line .. "|" .. tostring(r.value) .. "|" .. tostring(r.counts) end

local function score_set(files, label)
  return score.extractor(lode, files, label,
    function(doc) return extract.quantities(doc, {body = false}) end,
    function(f) return {line = tonumber(f[1]), value = tonumber(f[3]),
                        counts = f[5] ~= "" and f[5] or nil} end,
    function(r) return {value = r.value, counts = r.counts} end, key)
end

local function corpus_files() return score.corpus_files(lode, SRC, "quantities") end

describe("lode.extract.quantities", function()
  it("scores F1 >= 0.95 on the hand-annotated corpus bodies", function()
    local s = score_set(corpus_files(), "quantities corpus")
    assert.is_true(s.f1 >= 0.95, "F1 " .. s.f1)
  end)

  it("scores F1 >= 0.90 on imitation articles of other layouts", function()
    local s = score_set({
      {id = "wire", text = FIX .. "texts/wire.txt", fixture = FIX .. "quantities/wire.tsv"},
      {id = "timeline", text = FIX .. "texts/timeline.txt", fixture = FIX .. "quantities/timeline.tsv"},
    }, "quantities imitation")
    assert.is_true(s.f1 >= 0.90, "F1 " .. s.f1)
  end)

  it("reads digits, separators, decimals, scales and currencies", function()
    assert.equals(100000, one("some 100,000 people fled").value)
    assert.equals(4.5, one("grew 4.5 percent").value)
    local r = one("BP paid $10.59bn in fees")
    assert.equals(10590000000, r.value); assert.equals("USD", r.unit); assert.equals("$10.59bn", r.text)
    r = one("net profit of 43.9 million Euro for the bank")
    assert.equals(43900000, r.value); assert.equals("EUR", r.unit)
    assert.equals(1500000, one("1.5 million people").value)
    r = one("an area of 29,000 square kilometers – Armenia")
    assert.equals(29000, r.value); assert.equals("km2", r.unit); assert.is_nil(r.counts)
    assert.equals("%", one("inflation hit 8.3% last year").unit)
  end)

  it("reads number words", function()
    assert.equals(13, one("the capture of thirteen Armenian soldiers").value)
    assert.equals(24, one("another twenty-four.").value)
    assert.equals(200, one("two hundred casualties").value)
    assert.equals(2.5, one("two and half decades").value)
    assert.equals(2.5, one("two and a half years").value)
    assert.equals(12, one("a dozen soldiers").value)
    assert.equals(3000000, one("three million people").value)
    -- number words that start alike (the pattern holds them as a trie)
    assert.equals(16, one("sixteen soldiers").value)
    assert.equals(60, one("SIXTY soldiers").value)
    assert.equals(6, one("six soldiers").value)
    assert.equals(14, one("Fourteen soldiers").value)
    assert.equals(40, one("forty soldiers").value)
    assert.equals(1, one("one soldier").value)
  end)

  it("keeps qualifiers, vague counts and what is counted", function()
    local r = one("There are reports of about six deaths on the Armenian side")
    assert.equals("about six deaths", r.text); assert.equals("about", r.qualifier); assert.equals("deaths", r.counts)
    assert.equals("more than", one("more than two hundred casualties").qualifier)
    assert.equals("at least", one("At least 220 more people died").qualifier)
    assert.equals("people", one("At least 220 more people died").counts)
    assert.equals("up to", one("pushing up to 300 meters inside").qualifier)
    assert.equals("upwards of", one("upwards of 300 people").qualifier)
    assert.equals("no more than", one("No more\nthan  5 people").qualifier)
    assert.equals("more or less", one("more or less 5 people").qualifier)
    r = one("It conducts dozens of military exercises.")
    assert.equals(12, r.value); assert.equals("dozens", r.qualifier); assert.equals("exercises", r.counts)
    assert.equals(10000, one("tens of thousands of refugees").value)
    assert.equals("wounded", one("and ten wounded during the conflict").counts)
    assert.is_nil(one("50 went missing").counts)
    assert.equals("day", one("a 44-day war").unit)
    assert.equals("month", one("a nine-month blockade").unit)
  end)

  -- the scan skips most words by their first letters (see START in the
  -- module): what starts a quantity must still be found in any case, after
  -- any punctuation, and nothing inside a word
  it("finds quantities wherever a word may start them", function()
    local function texts(s)
      local t = {}
      for _, r in ipairs(qs(s)) do t[#t + 1] = r.text .. "=" .. r.value end
      return table.concat(t, ", ")
    end
    assert.equals("ONE hundred fighters=100", texts("ONE hundred fighters"))
    assert.equals("A Dozen tanks=12", texts("(A Dozen tanks)"))
    assert.equals("US$5=5, €3bn=3000000000", texts("US$5 and €3bn"))
    assert.equals("EUR 10=10", texts("EUR 10 left"))
    assert.equals("At\u{2003}least 4 people=4", texts("At\u{2003}least 4 people"))
    assert.equals("Twenty-six soldiers=26", texts("“Twenty-six soldiers”"))
    assert.equals("9,000 troops=9000, 12 tanks=12", texts("9,000 troops;12 tanks"))
    assert.equals("MORE THAN 3 villages=3", texts("MORE THAN 3 villages"))
    assert.equals("", texts("x5 _7 ab5 Su-25 anone"))
  end)

  it("skips years, dates, ordinals, names, times and phone numbers", function()
    assert.same({}, qs("On November 16, 2021 the 2020 war ended; since 1997 nothing."))
    assert.same({}, qs("the second reality, the 2nd battalion, the 16th BRICS Summit, the Second Karabakh War"))
    assert.same({}, qs("Su-25 jets, COVID-19, COP29, the G20 and the 3+3 platform"))
    assert.same({}, qs("UN Security Council Resolution 822 and page 12, No. 5"))
    assert.same({}, qs("at 10:30 a.m. call +374 10 123456"))
    assert.same({}, qs("one of the analysts; no one came; the one that left; one another; one-sided"))
    assert.same({}, qs("There is one condition and one thing is clear."))
    assert.equals(1, one("in one day").value)
    assert.equals(2000, one("They sent 2000 soldiers.").value)
  end)

  it("survives nasty input", function()
    assert.same({}, qs(""))
    assert.is_table(qs(("\1\2\3\127 )(][ 9999 0,0 ,,, 1.2.3 $ € % -- 12345678901234567890"):gsub("[\128-\255]", "?"), nil))
    assert.is_table(qs("(((( “two ” hundred – ))) about about about 5 5 5"))
    local unit = "On November 16, 2021 about 2,000 soldiers moved; Armenia may act.\n"
    local reps = math.ceil(5.1e6 / #unit)
    local big = string.rep(unit, reps)
    local t0 = os.clock()
    local r = extract.quantities(lode.from_string(big), {body = false})
    local dt = os.clock() - t0
    io.stderr:write(string.format("[speed] quantities: %.1f MB in %.2f s\n", #big / 1e6, dt))
    assert.equals(reps, #r)
    assert.is_true(dt < 30, "took " .. dt)
  end)

  it("cites the exact original bytes over the whole corpus", function()
    local n = 0
    for _, f in ipairs(corpus_files()) do
      local doc = assert(lode.load(f.text))
      for _, r in ipairs(extract.quantities(doc, {body = false})) do
        assert.equals(r.text, doc:sub(r.i, r.j))
        assert.equals("quantity", r.kind)
        assert.equals("number", type(r.value))
        n = n + 1
      end
    end
    assert.is_true(n > 40)
  end)
end)
