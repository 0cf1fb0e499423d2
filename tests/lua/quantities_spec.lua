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
      {id = "explainer", text = FIX .. "texts/explainer.txt", fixture = FIX .. "quantities/explainer.tsv"},
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
    assert.equals("MW", one("a 50 MW plant").unit)
    assert.equals("acre", one("300 acres of farmland").unit)
  end)

  it("reads thousands grouped by a space, a no-break or a narrow no-break space", function()
    local r = one("By noon 120 000 people had left the valley.")
    assert.equals(120000, r.value); assert.equals("120 000 people", r.text)
    assert.equals(2045310, one("soit 2\194\160045\226\128\175310 votes").value)
    -- not a group of three: two numbers, the year not glued to the count
    local two = qs("Rooms 12 and 14; in 2021 400 ships docked; 5 1234 are codes")
    local values = {}
    for _, x in ipairs(two) do values[#values + 1] = x.value end
    assert.is_nil(table.concat(values, " "):find("2021400", 1, true))
    assert.is_nil(table.concat(values, " "):find("51234", 1, true))
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
    -- "and" after hundred or thousand only; "half a" before a scale word
    assert.equals(150, one("one hundred and fifty soldiers").value)
    assert.equals(105, one("a hundred and five tanks").value)
    assert.equals(2, #qs("five and six"))
    assert.equals(500000, one("half a million people").value)
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
    assert.equals("in excess of", one("in excess of 5,000 people").qualifier)
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
    -- (the pattern is tried only where a digit, a currency or a listed
    -- first word starts: next to any other character, never inside words)
    assert.equals("Two hundred=200, five people=5", texts("«Two hundred» soldiers and —five people"))
    assert.equals("3=3", texts("Überfive men, éfive men, ñone 3"))
    assert.equals("$5=5, ₼10=10, ֏300=300, ₺4=4", texts("$5, ₼10, ֏300 and ₺4"))
    assert.equals("over the past decade=1, the last decade=1", texts("over the past decade, the last decade"))
    -- (a word opening only two-word qualifiers, "the" of "the last", is
    -- tried before their second words, in any case and across lines)
    assert.equals("THE\nLAST  decade=1, As Many As 40 villages=40, 7 people=7",
      texts("THE\nLAST  decade, As Many As 40 villages, as the 7 people, the lastly"))
    -- ("the" opens only span phrases: it is tried on a page holding a
    -- span unit in any case, and never needed elsewhere)
    assert.equals("3 days=3, THE PAST decade=1", texts("the 3 days of THE PAST decade"))
    assert.equals("7 people=7, ten years=10", texts("the 7 people of the past ten years"))
    assert.equals("", texts("ſix soldiers, ſeven tanks"))
    -- ("a", "an" and "half" open only phrases: tried before their second
    -- words, among them any number word a scale word begins)
    assert.equals("a Hundredfold=100, A\nHundred tanks=100, Half A million=500000, half\tan hour=0.5, an\u{A0}hour=1",
      texts("a Hundredfold rise, A\nHundred tanks, Half A million, half\tan hour, an\u{A0}hour, a dog"))
  end)

  it("skips years, dates, ordinals, names, times and phone numbers", function()
    assert.same({}, qs("On November 16, 2021 the 2020 war ended; since 1997 nothing."))
    assert.same({}, qs("the second reality, the 2nd battalion, the 16th BRICS Summit, the Second Karabakh War"))
    assert.same({}, qs("Su-25 jets, COVID-19, COP29, the G20 and the 3+3 platform"))
    assert.same({}, qs("UN Security Council Resolution 822 and page 12, No. 5"))
    assert.same({}, qs("at 10:30 a.m. call +374 10 123456"))
    assert.same({}, qs("one of the analysts; no one came; the one that left; one another; one-sided"))
    assert.equals(1, one("There is one condition and one thing is clear.").value)
    assert.equals(1, one("in one day").value)
    assert.equals(2000, one("They sent 2000 soldiers.").value)
  end)

  it("skips numbers after names and reference words across blanks, scripts and cases", function()
    local function texts(s)
      local t = {}
      for _, r in ipairs(qs(s)) do t[#t + 1] = r.text end
      return table.concat(t, ", ")
    end
    -- (both tests read back from a window's end over ASCII whitespace:
    -- Unicode blanks and letters, the caseless ſ, line ends and glued
    -- words must read as the patterns read them)
    assert.equals("", texts("Resolution\u{A0}822 passed, Code\u{202F}5 men"))
    assert.equals("", texts("Ağdam 5 soldiers; ÉA 5 soldiers"))
    assert.equals("5 soldiers", texts("éA 5 soldiers"))
    assert.equals("", texts("ſection 5 says; page\t12 says; nos.\n7 troops"))
    assert.equals("", texts("No.5 troops, vol.5 men, decode 5 men, Gazelle21 5 jets"))
    assert.equals("5 cars", texts("M9\n5 cars"))
    assert.equals("5 cars", texts("x.A 5 cars"))
    assert.equals("21", texts("(Gazelle 21) jets"))
    assert.equals("21 jets", texts("gazelle 21 jets"))
  end)

  it("reads ages, units of time after a / an / half, and multipliers", function()
    local r = one("a 32-year-old teacher")
    assert.equals("32-year-old", r.text); assert.equals(32, r.value); assert.equals("year", r.unit)
    r = one("the two-decade-old feud")
    assert.equals(2, r.value); assert.equals("decade", r.unit)
    r = one("Ms Ruiz, aged 38, left")
    assert.equals(38, r.value); assert.equals("year", r.unit)
    -- (the whole word before, across blanks of any kind)
    assert.equals("year", one("Ms Ruiz,\tAGED\n 38, left").unit)
    assert.is_nil(one("the caged 38 birds").unit)
    assert.same({}, qs("no\t\none came; NO one; x-no one"))
    r = one("it took a decade to rebuild")
    assert.equals("a decade", r.text); assert.equals(1, r.value); assert.equals("decade", r.unit)
    assert.equals("hour", one("An hour later").unit)
    r = one("for half a year")
    assert.equals(0.5, r.value); assert.equals("year", r.unit)
    assert.equals(0.5, one("half an hour").value)
    r = one("jailed for up to a year")
    assert.equals("up to a year", r.text); assert.equals("up to", r.qualifier)
    assert.equals("within", one("Within a week the town fell").qualifier)
    r = one("over the last decade")
    assert.equals(1, r.value); assert.equals("decade", r.unit)
    r = one("shelled at least twice")
    assert.equals(2, r.value); assert.equals("times", r.unit); assert.equals("at least", r.qualifier)
    r = one("prices rose three times")
    assert.equals(3, r.value); assert.equals("times", r.unit)
    assert.equals("times", one("a threefold rise").unit)
    assert.equals(10, one("a 10-fold jump").value)
    assert.equals("7,000-strong", one("a 7,000-strong force").text)
    -- an article alone, a date, or a shorter span after "the last" are not spans
    assert.same({}, qs("a dog, an apple, a daily paper"))
    assert.same({}, qs("It happened a year ago."))
    assert.same({}, qs("the last day of the talks; over the past decades; in the last century"))
    assert.same({}, qs("a year-round effort; the last decade-defining vote"))
    r = one("a year-long war")
    assert.equals("a year-long", r.text); assert.equals("year", r.unit)
  end)

  it("reads 'a day' after an amount as its rate, not a time of its own", function()
    local r = qs("The ferry carries 900 lorries a day; grain rose 4% a year; drills twice a month.")
    local texts = {}
    for _, x in ipairs(r) do texts[#texts + 1] = x.text end
    assert.same({"900 lorries", "4%", "twice"}, texts)
    assert.equals("$3", one("Tickets cost $3 a week").text)
    -- a time of its own: after a verb, or dating the plural before it
    assert.equals("a day", one("The talks took a day.").text)
    assert.equals("a day", one("The monitors a day later left.").text)
    assert.equals("a week", one("Gas flowed for a week.").text)
  end)
  it("reads abbreviated scales", function()
    local r = one("120K people marched")
    assert.equals(120000, r.value); assert.equals("people", r.counts)
    assert.equals(1500000000, one("a 1.5bn loan").value)
    assert.equals(5000000, one("raised 5M euros").value)
    assert.equals(5000000000, one("a $5b deal").value)
    r = one("about 1m displaced")
    assert.equals(1000000, r.value); assert.equals("about", r.qualifier)
    r = one("a 300m tower")
    assert.equals(300, r.value); assert.equals("m", r.unit)
    assert.same({}, qs("Unit 5b"))
    -- the region's currency signs and codes, before or after the number
    assert.equals("GEL", one("a ₾5 million grant").unit)
    assert.equals("AMD", one("costs 300 ֏ now").unit)
    assert.equals("AZN", one("AZN 3.5m was paid").unit)
    assert.equals(3500000, one("AZN 3.5m was paid").value)
    assert.equals("times", one("try 40 times").unit)      -- "TRY" is a code in capitals only
  end)

  it("reads French and Russian scales, Russian percent and days", function()
    local r = qs("Тогда погибли 7 тысяч человек; бюджет 2 млн рублей и 5 тыс. долларов; 30 millions d'euros.")
    local got = {}
    for _, x in ipairs(r) do got[#got + 1] = x.text .. "=" .. x.value end
    assert.same({"7 тысяч=7000", "2 млн=2000000", "5 тыс.=5000", "30 millions d'euros=30000000"}, got)
    local p = one("Около 80 процентов домов")
    assert.equals(80, p.value); assert.equals("%", p.unit)
    p = one("после 44-дневной войны")
    assert.equals(44, p.value); assert.equals("day", p.unit)
    -- a scale word glued to more letters is none
    assert.equals(7, one("7 тысячелетий").value)
  end)
  it("reads ranges into value and value_max", function()
    local r = one("a walk of 10-15 minutes")
    assert.equals("10-15 minutes", r.text); assert.equals(10, r.value); assert.equals(15, r.value_max)
    assert.equals("minute", r.unit)
    r = one("approximately 1,000–1,500 soldiers fled")
    assert.equals(1000, r.value); assert.equals(1500, r.value_max); assert.equals("soldiers", r.counts)
    r = one("from 5 to 10 people")
    assert.equals(5, r.value); assert.equals(10, r.value_max)
    r = one("two to three days")
    assert.equals(2, r.value); assert.equals(3, r.value_max); assert.equals("day", r.unit)
    assert.equals(2500000, one("2.5-3 million voters").value)
    assert.equals(3000000, one("2.5-3 million voters").value_max)
    r = one("between 2,000 and 3,000 people")
    assert.equals("2,000 and 3,000 people", r.text); assert.equals(3000, r.value_max)
    assert.equals(2, #qs("5 soldiers and 6 tanks"))
    r = one("a 5-0 win")
    assert.equals(5, r.value); assert.is_nil(r.value_max)
  end)

  it("reads ratios as fractions", function()
    local r = one("It hit 1 person in 6 here.")
    assert.equals("1 person in 6", r.text); assert.equals(0.167, r.value); assert.equals("ratio", r.unit)
    r = one("One in five residents left.")
    assert.equals(0.2, r.value); assert.equals("residents", r.counts)
    assert.equals(0.75, one("3 out of 4 voters").value)
    -- a number after "in" that has a unit is no denominator
    local t = qs("forty injured in one day")
    assert.equals(2, #t); assert.equals(40, t[1].value); assert.equals("one day", t[2].text)
  end)

  it("counts with one and zero only before a noun", function()
    local r = one("they lost one command post")
    assert.equals(1, r.value); assert.equals("post", r.counts)
    assert.equals("one Danish newspaper", one("one Danish newspaper reported it").text)
    assert.same({}, qs("No one came; one of them; one another’s land; one part of it; one thing is clear"))
    assert.same({}, qs("only one example out of many; on the one hand; working as one team"))
    assert.same({}, qs("It means nothing, zero."))
  end)

  it("skips the numbers of a sum that names a format (3 + 3, 5+1)", function()
    assert.same({}, qs("Ministers met in the 3 + 3 format; the 5+1 group and the 2+2 talks followed."))
    assert.equals(40, one("The 3 + 3 format gathered 40 delegates.").value)
  end)

  it("skips list enumerators, markup, URLs and days joined to dates", function()
    assert.same({}, qs("Steps:\n1. Talks resumed\n2) Troops left\n  3. Aid arrived\n(4) Talks end"))
    assert.same({}, qs('<img width="300" height=200> <td colspan="2">'))
    assert.same({}, qs("The town fell.[12] Talks began.[3][4]"))
    assert.equals(12, one("[12 soldiers]").value)
    assert.same({}, qs("see https://example.org/a?id=5&n=7 or www.example.org/x/5"))
    assert.same({}, qs("fighting on 14 or 15 October and between 9 and 12 October"))
    -- a number opening a line without the mark is a count
    assert.equals(3, one("3 soldiers died").value)
  end)

  it("flags vague amounts by their words", function()
    local r = one("several hundred protesters gather")
    assert.equals("several hundred", r.qualifier); assert.equals("protesters", r.counts)
    -- the vague pattern runs on windows around the vague words: phrases
    -- close together, at the text's edges and after a long qualifier are
    -- each found whole, as by a scan of the whole text
    local function vague(s)
      local t = {}
      for _, q in ipairs(qs(s)) do t[#t + 1] = q.qualifier .. "=" .. q.value end
      return table.concat(t, ", ")
    end
    assert.equals("dozens=12, hundreds of thousands=100000, tens of thousands=10000",
      vague("dozens of tanks," .. string.rep(" ", 30) .. "hundreds of thousands of people, tens of thousands"))
    assert.equals("no fewer than tens of millions=10000000",
      vague(string.rep("x", 70) .. " no fewer than     tens of millions"))
    assert.equals("hundreds=100, thousands=1000", vague("hundreds, thousands \u{17F}"))   -- whole scan
    assert.equals("", vague("underscores, scoresheet, thousandsx"))
    -- (the vague words are found in any ASCII case, next to any byte)
    assert.equals("hundreds=100, dozens=12, several thousand=3000, millions=1000000",
      vague("HUNDREDS of_men; «DoZeNs» of tanks, several THOUSAND\tmen, millions"))
  end)

  it("survives nasty input", function()
    assert.same({}, qs(""))
    local junk = "\1\2\3\127 )(][ 9999 0,0 ,,, 1.2.3 $ € % -- 12345678901234567890"
    assert.is_table(qs(junk:gsub("[\128-\255]", "?"), nil))
    assert.is_table(qs("(((( “two ” hundred – ))) about about about 5 5 5"))
    -- the new forms cut or spaced by line ends, no-break spaces, dashes,
    -- quotes and marks left open
    assert.equals("within a\nweek", one("within a\nweek").text)
    assert.equals("a\u{A0}day", one("“a\u{A0}day").text)
    assert.equals(15, one("‘12\u{2013}15 km").value_max)
    local broken = one("“a” day, half “a year, one” soldier")
    assert.equals("a year", broken.text); assert.equals(1, broken.value)
    assert.equals("a day", one(string.rep("a ", 100000) .. "day one").text)
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

  -- property: on random documents assembled from the pieces quantities
  -- are made of (and multi-byte text, marks, line ends), every record cuts
  -- its text exactly, records are in order and never overlap
  it("cites exact, ordered, disjoint spans on random documents", function()
    local pieces = {"a", "an", "one", "half", "two", "twenty", "-", "hundred", "and", "between", "to",
      "in", "of", "aged", "about", "at least", "12", "1,500", "3.5", "120K", "bn", "m", "$", "€", "%",
      "year", "years-old", "-old", "decade", "days", "km", "people", "soldiers", "times", "twice",
      "ago", "no", "1.", "=", "<td width=", "\"", "“", "”", "’s", "Ağdam", "\u{A0}", "\n", "\n\n",
      ",", ".", ";", "(", ")", "October", "14", "or", "2020"}
    local rng = 12345
    local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n + 1 end
    local n = 0
    for _ = 1, 200 do
      local parts = {}
      for k = 1, rand(60) do
        parts[k] = pieces[rand(#pieces)] .. (rand(3) == 1 and "" or " ")
      end
      local src = table.concat(parts)
      local doc = assert(lode.from_string(src, {name = "random"}))
      local last = 0
      for _, r in ipairs(extract.quantities(doc, {body = false})) do
        assert.equals(r.text, doc:sub(r.i, r.j), src)
        assert.is_true(r.i > last and r.j >= r.i, src)
        assert.equals("number", type(r.value))
        last = r.j
        n = n + 1
      end
    end
    assert.is_true(n > 100, "records " .. n)
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
