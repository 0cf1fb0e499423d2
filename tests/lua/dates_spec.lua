-- Specs for lode.extract.dates: hand-annotated fixtures (P/R/F1), every
-- rule and trap of the module header, nasty input, and the span property.
local lode = require "lode"
local extract = require "lode.extract"
local score = require "score"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/extract/"

local function dates(s, opts)
  return extract.dates(lode.from_string(s, {name = "t"}), opts or {body = false})
end

local function values(s)
  local out = {}
  for _, r in ipairs(dates(s)) do out[#out + 1] = r.text .. "=" .. r.value end
  return table.concat(out, "; ")
end

-- fixture rows: line<TAB>text<TAB>value<TAB>modifier
local function key(r) return r.line .. "|" .. r.text .. "|" .. r.value end

local function score_set(files, label)
  return score.extractor(lode, files, label,
    function(doc) return extract.dates(doc, {body = false}) end,
    function(f) return {line = tonumber(f[1]), text = f[2], value = f[3]} end,
    function(r) return {text = r.text, value = r.value} end, key)
end

local function corpus_files() return score.corpus_files(lode, SRC, "dates") end

describe("lode.extract.dates", function()
  it("scores F1 >= 0.95 on the hand-annotated corpus bodies", function()
    local files = corpus_files()
    assert.equals(5, #files)
    local s = score_set(files, "dates corpus")
    assert.is_true(s.f1 >= 0.95, "F1 " .. s.f1)
  end)

  it("scores F1 >= 0.90 on imitation articles of other layouts", function()
    local s = score_set({
      {id = "wire", text = FIX .. "texts/wire.txt", fixture = FIX .. "dates/wire.tsv"},
      {id = "timeline", text = FIX .. "texts/timeline.txt", fixture = FIX .. "dates/timeline.tsv"},
    }, "dates imitation")
    assert.is_true(s.f1 >= 0.90, "F1 " .. s.f1)
  end)

  it("reads full dates in every written form", function()
    assert.equals("January 10th, 2024=2024-01-10", values("on January 10th, 2024 he said"))
    assert.equals("December 3, 2021=2021-12-03", values("December 3, 2021"))
    assert.equals("10 January 2024=2024-01-10", values("It was 10 January 2024."))
    assert.equals("2024-01-10=2024-01-10", values("updated 2024-01-10 at noon"))
    assert.equals("Tuesday, November 16, 2021=2021-11-16", values("Tuesday, November 16, 2021"))
    assert.equals("the 3rd of March, 2022=2022-03-03", values("on the 3rd of March, 2022"))
    assert.equals("Jan. 10, 2024=2024-01-10", values("Jan. 10, 2024"))
  end)

  it("keeps month-year, years, ranges, decades and modifiers", function()
    assert.equals("November 2021=2021-11", values("in November 2021"))
    assert.equals("late December 2023=2023-12", values("in late December 2023"))
    assert.equals("late", dates("in late December 2023")[1].modifier)
    assert.equals("mid-November 2021=2021-11", values("by mid-November 2021"))
    assert.equals("end of 2023=2023", values("by the end of 2023"))
    assert.equals("end of", dates("by the end of 2023")[1].modifier)
    assert.equals("2021-2023=2021/2023", values("annexation in 2021-2023."))
    assert.equals("2021–22=2021/2022", values("in 2021–22 talks"))
    assert.equals("between 2021 and 2023=2021/2023", values("between 2021 and 2023"))
    assert.equals("between May and November 2021=2021-05/2021-11", values("between May and November 2021"))
    assert.equals("November 16-17, 2021=2021-11-16/2021-11-17", values("November 16-17, 2021"))
    assert.equals("1990s=1990/1999", values("in the 1990s"))
    assert.equals("early 2000s=2000/2009", values("since the early 2000s"))
    assert.equals("1997=1997", values("their 1997 Treaty on Friendship"))
    assert.equals("2020=2020", values("a post-2020 expansion"))
    assert.equals("May=2021-05; November 2021=2021-11", values("The incursions of May and November 2021 were"))
  end)

  it("resolves bare month-days from publication, then context", function()
    local r = dates("Aze.Media\nDecember 3, 2021\n\nOn November 16, fighting broke out. In January it ended.")
    assert.equals("2021-11-16", r[2].value)
    assert.equals("publication", r[2].resolved)
    assert.equals("2021-01", r[3].value)                -- January is not after December
    r = dates("Published: 10 January 2024\n\nThe troops moved in mid-December.")
    assert.equals("2023-12", r[2].value)                -- after the publication month: the year before
    r = dates("In August 2022 Michel spoke of the meeting in April.\n\nOn March 13 talks failed.")
    assert.equals("2022-04", r[2].value)
    assert.equals("context", r[2].resolved)
    assert.equals("2022-03-13", r[3].value)
    assert.same({}, dates("On November 9 the parade took place."))   -- no anchor: left out
    assert.equals("explicit", dates("June 18, 2021")[1].resolved)
    assert.equals("Tuesday, November 16", dates("March 2021. On Tuesday, November 16 they met")[2].text)
    assert.equals("Jan. 10", dates("In 2024. YEREVAN, Jan. 10 (Reuters)")[2].text)
  end)

  it("does not take May, March or August as dates without a cue", function()
    assert.equals("", values("Armenia may deploy forces. May God help us."))
    assert.equals("", values("The March of the Living. Protesters March on."))
    assert.equals("", values("August institutions such as the Academy."))
    assert.equals("2021=2021; May=2021-05", values("2021 talks. Then, this past May, it failed."))
  end)

  it("does not take counts, names or references as years", function()
    assert.equals("", values("They sent 2000 soldiers and about 1999 tanks."))
    assert.equals("", values("The army has 1,500 troops and 2,000 reservists."))
    assert.equals("", values("Agenda 2030 and Vision 2050 are plans."))
    assert.equals("", values("See page 1995 and No. 2001 of the archive."))
    -- (the count word in any case, before tabs, line breaks or a no-break space)
    assert.equals("", values("ABOUT  1999 came, Up\tto 2001 left, vol.\n2003 and roughly\194\160" .. "2005 stayed."))
    assert.equals("2007=2007", values("ABOUT them in 2007."))
    -- a count word is a whole word: "handsome" holds "some", counts nothing
    assert.equals("1999=1999; 2004=2004", values("A handsome 1999 film in wholesome 2004 style."))
    assert.equals("", values("It covers 2020 square kilometers."))
    assert.equals("", values("COVID-19, Su-25 and COP29 are names; 12:30 is a time; 3,2021 no."))
  end)

  it("takes only ASCII digits as numbers (other scripts' digits are not dates and do not crash)", function()
    local text = "In ١٩٩٩ and 19٩٩, between ١٦ November ٢٠٢١-٢٠٢٣ and since ۱۹۹۹; on 5 January ٢٠٢١; in 2021."
    local doc = lode.from_string(text)
    local got = extract.dates(doc, {body = false})
    for _, r in ipairs(got) do
      assert.is_nil(r.text:find("[\128-\255]"), "non-ASCII digits in " .. r.text)
    end
    assert.equals("2021", got[#got].value)
    local q = require("lode.extract").quantities(doc, {body = false})
    assert.equals(0, #q)
  end)

  -- the dates of `body` on a page that lode.meta dates `published`
  local function on_page(published, body)
    local out = {}
    local meta = package.loaded["lode.meta"]
    package.loaded["lode.meta"] = setmetatable({}, {__call = function() return {published = published} end})
    local ok, err = pcall(function()
      for _, r in ipairs(dates(body)) do out[#out + 1] = r.text .. "=" .. r.value end
    end)
    package.loaded["lode.meta"] = meta
    assert(ok, err)
    return table.concat(out, "; ")
  end

  it("reads day-first dates with the month names of other languages", function()
    assert.equals("3 mars 2021=2021-03-03; 1er juillet 2019=2019-07-01",
      values("Le conseil a voté le 3 mars 2021, puis le 1er juillet 2019."))
    assert.equals("14\194\160octobre 2022=2022-10-14", values("signé le 14\194\160octobre 2022 à Paris"))
    assert.equals("5 апреля 2020=2020-04-05", values("Матч прошёл 5 апреля 2020 года."))
    assert.equals("9 février=2024-02-09", on_page("2024-03-01", "La cour a statué le 9 février."))
    -- alone, a foreign month name may be an English word
    assert.same({}, dates("Mars and mai are words; 40 mars of soil."))
    -- found on a page holding one (lode.extract.dates looks for them only
    -- there), next to any character that is no letter, not inside words
    assert.equals("9 février=2024-02-09", on_page("2024-03-01", "Le texte du 9 février»."))
    assert.equals("", on_page("2024-03-01", "A 9 févriers and 9 Xfévrier."))
  end)

  it("resolves deictic words and relative units against the page date", function()
    assert.equals("yesterday=2025-11-26; Today=2025-11-27; tomorrow=2025-11-28",
      on_page("2025-11-27", "The mayor spoke yesterday. Today the council votes, and tomorrow it rests."))
    assert.equals("last week=2025-11; next month=2025-12; last year=2024; this year=2025",
      on_page("2025-11-27", "Talks stalled last week and resume next month; last year was calm, this year is not."))
    assert.equals("Earlier this month=2025-11; later this year=2025; this past week=2025-11",
      on_page("2025-11-27", "Earlier this month the bank cut rates, and later this year it may again; "
        .. "this past week it paused."))
    assert.equals("end of the year=2025; end of last year=2024",
      on_page("2025-11-27", "Prices rise until the end of the year, as at the end of last year."))
    assert.equals("a year ago=2024-11; three years ago=2022; two months ago=2025-09",
      on_page("2025-11-27", "It began a year ago, not three years ago; the pier closed two months ago."))
    -- a week expression is the month of its day, as "last week" is
    assert.equals("a week ago=2025-11; four weeks ago=2025-10",
      on_page("2025-11-27", "The ferry sank a week ago, the pier four weeks ago."))
    assert.same({}, dates("The ferry sank yesterday."))   -- no page date: left out
    -- other languages' words and phrases, from date_deictic and date_relative
    assert.equals("hier=2025-11-26; aujourd’hui=2025-11-27; La semaine dernière=2025-11; "
      .. "l'an dernier=2024; le mois prochain=2025-12",
      on_page("2025-11-27", "Le port a fermé hier ; aujourd’hui il reste clos. La semaine dernière, "
        .. "comme l'an dernier, la grève a duré ; le mois prochain, elle reprend."))
  end)

  it("reads 'last night' as the day before the page's", function()
    assert.equals("last night=2025-11-26; Last night=2025-11-26; tonight=2025-11-27",
      on_page("2025-11-27", "The mayor said last night he would resign. Last night he left; "
        .. "the council meets tonight, not on a night out."))
    assert.same({}, dates("The mayor said last night he would resign."))   -- no page date
  end)

  it("reads Russian and French weekdays, day words, months and years", function()
    -- 2025-11-27 is a Thursday
    assert.equals("понедельник=2025-11-24; вчера=2025-11-26; сегодня=2025-11-27",
      on_page("2025-11-27", "В понедельник министр уехал, вчера вернулся, а сегодня молчит."))
    assert.equals("Samedi=2025-11-22; Lundi=2025-11-24",
      on_page("2025-11-27", "Samedi, le parti a voté. Lundi, il a perdu."))
    -- a month alone after its preposition, forward after a future cue
    assert.equals("сентябре=2025-09; мае=2026-05; avril=2025-04; mars=2026-03",
      on_page("2025-11-27", "В сентябре был пожар. Выборы пройдут в мае. "
        .. "Depuis avril, rien. Le vote sera en mars."))
    -- a year after a capitalised preposition of either language
    assert.equals("2020=2020; 2018=2018", on_page("2025-11-27", "В 2020 году шла война. En 2018, non."))
    -- a foreign month without its preposition stays a word
    assert.same({}, dates("Mai and мае alone; the Mars rover."))
  end)

  it("finds other languages' day words on a page holding one, whatever stands around", function()
    assert.equals("hier=2025-11-26; jeudi=2025-11-27",
      on_page("2025-11-27", "Il a parlé «hier» — et (jeudi)."))
    assert.equals("", on_page("2025-11-27", "The hierarchy of Jeudiville and lundis."))
    -- "hier" is "here" in German and Dutch: yesterday on a French line only
    assert.equals("", on_page("2025-11-27", "Wir bleiben hier, sagte er. We stay hier."))
    -- a phrase's first word alone ("ce", "la", "Le") opens nothing; the
    -- phrase after it is still found, in any case
    assert.equals("CE MOIS-CI=2025-11; cette année=2025",
      on_page("2025-11-27", "Ce film, la Liga, Le Pen: CE MOIS-CI. Et cette année."))
    assert.equals("", on_page("2025-11-27", "Ce film, la Liga and Le Pen. Cette, l'an."))
  end)

  it("reads weekdays back from the page date, forward after a future cue", function()
    -- 2025-11-27 is a Thursday
    assert.equals("on Saturday=2025-11-22; last Monday=2025-11-24; on Thursday=2025-11-27",
      on_page("2025-11-27", "Crowds marched on Saturday and last Monday; the vote was on Thursday."))
    assert.equals("on Friday=2025-11-28; next Monday=2025-12-01",
      on_page("2025-11-27", "The court will rule on Friday, the shop opens next Monday."))
    -- a number after the weekday's comma is no day of its month
    assert.equals("On Monday=2025-11-24", on_page("2025-11-27", "On Monday, 15 people were hurt."))
    assert.equals("", on_page("2025-11-27", "It was Tuesday the 16th, a holiday."))
    -- French weekday names, lower case, anchor the same way
    assert.equals("mardi=2025-11-25; vendredi 21 novembre=2025-11-21",
      on_page("2025-11-27", "Le maire a parlé mardi ; la grève du vendredi 21 novembre continue."))
  end)

  it("keeps future dates in the future and past ones in the past", function()
    assert.equals("22 December=2025-12-22", on_page("2025-11-27", "He is due to be freed on 22 December."))
    assert.equals("22 December=2024-12-22", on_page("2025-11-27", "He was freed on 22 December."))
    assert.equals("December 5=2025-12-05", on_page("2025-11-27", "The window stays open until December 5."))
    -- a near cue of two words, and one its line's last words do not end
    assert.equals("December 1=2025-12-01", on_page("2025-11-27", "Fees apply as\tof   December 1."))
    assert.equals("December 5=2024-12-05", on_page("2025-11-27", "The window stays open (until) December 5."))
    assert.equals("December 5=2025-12-05", on_page("2025-11-27", "The window stays open (until December 5)."))
    assert.equals("February=2026-02", on_page("2025-11-27", "Reforms are planned next February."))
    assert.equals("March=2025-03", on_page("2025-11-27", "The strike ended in March."))
    assert.equals("May=2025-05", on_page("2025-11-27", "The dam burst last May."))
  end)

  it("reads numeric dates, centuries and decades", function()
    assert.equals("27.09.2020=2020-09-27; 2020-09-27=2020-09-27", values("On 27.09.2020 (2020-09-27) it began."))
    assert.equals("15/10/2021=2021-10-15; 10/15/2021=2021-10-15", values("Filed 15/10/2021, stamped 10/15/2021."))
    assert.equals("", values("Version 1.2.3 and 3/4/2021 and 12.5.7.20 are not dates here."))
    assert.equals("21st century=2001/2100; nineteenth century=1801/1900",
      values("In the 21st century, as in the nineteenth century, ports mattered."))
    assert.equals("1990s=1990/1999", values("the 1990s"))
  end)

  it("anchors relative dates to a dated list item or a label line", function()
    local got = on_page("2020-11-10", table.concat({
      "03.10.20: **Ports**. The ferry strike that began two days ago ends on Monday.",
      "07.10.20: **Rail**. The line will reopen on Friday.",
      "Recorded: December 26",
      "The notes say the storm hit yesterday."}, "\n"))
    assert.equals("03.10.20=2020-10-03; two days ago=2020-10-01; on Monday=2020-09-28; "
      .. "07.10.20=2020-10-07; on Friday=2020-10-09; December 26=2019-12-26; yesterday=2019-12-25", got)
  end)

  it("links the next and the same day to the previous day of the text", function()
    assert.equals("early March 2021=2021-03; 4 March=2021-03-04; The next day=2021-03-05; "
      .. "14=2021-03-14; 15 March=2021-03-15; The same day=2021-03-15",
      values("It began in early March 2021. On 4 March the dam held. The next day it broke.\n"
        .. "On 14 or 15 March it was rebuilt. The same day it rained. On the same day as the vote, nothing."))
    assert.equals("", values("The next day it broke."))          -- nothing to count from
  end)

  it("reads day phrases from data, and not inside names", function()
    assert.equals("the day before yesterday=2025-11-25; tonight=2025-11-27; the day after tomorrow=2025-11-29",
      on_page("2025-11-27", "Shelling began the day before yesterday and goes on tonight; talks resume the day "
        .. "after tomorrow."))
    assert.equals("", on_page("2025-11-27", "He told USA Today and Armenia Tomorrow, a weekly."))
    assert.equals("Today=2025-11-27", on_page("2025-11-27", "Today the bridge opened."))
  end)

  it("finds the same dates with and without the pre-filter, cut from the original", function()
    -- a U+2028 in the text makes the engine scan it whole (see the module)
    local pieces = {"On", "Saturday", "last", "week", "27.09.2020", "02.10.20:", "the", "next", "day", "The",
      "a", "year", "ago", "10", "October", "2021", "in", "the", "1990s", "21st", "century", "today", "May",
      "12", "between", "9", "and", "15", "—", "“", "”", "\n", "\n\n", "yesterday", "two", "years", ".",
      ",", "this", "past", "month", "Monday,", "November", "16", "1.2.3", "2020-09-27", "until", "will",
      -- other languages' words (the gate), a Kelvin sign as a caseless k
      -- (PCRE2 folds it, the byte sequences do not), upper case, a bare year
      "jeudi", "la", "semaine", "dernière", "wee\226\132\170", "DECADE", "Mon", "1850", "(2019)",
      -- the words some rules need besides their anchor (a modifier, a decade's s)
      "early", "Late", "mid-", "end", "of", "\197\191tart", "2000's", "1960s", "Friday",
      -- the words a match may open with before its month (the rules' lead)
      "Tues.", "Sat.", "Sun,", "samedi", "beginning", "middle", "the year", "Jan.", "(March", "5,", "late-",
      -- other languages' months after a day, some holding an English month's prefix
      "1er", "Novembre", "mars", "Mars", "Juni", "апреля",
      -- what the patterns' look-arounds read at a window's edges
      "2021%", "%", ":30", "-5", "'s", "’s", ".5", "$", "#", "2,000", "soldiers", "ago", "\t", "16th"}
    -- a month's opening words: a weekday (English, abbreviated, other
    -- languages'), a modifier; none, and a month's day glued to a bracket
    for _, t in ipairs{"It was samedi May 5 then.", "x Sat. March 3, 2021 y", "On Monday, May 5 they met.",
                       "in late May 2021 and mid-June 4", "(May 5) and Tues June 7, 2020", "x May 5 y"} do
      local a = on_page("2021-11-16", t)
      assert.equals(a, on_page("2021-11-16", t .. "\n\226\128\168"), t)
      assert.is_truthy(a:find("May 5=", 1, true) or a:find("March 3, 2021=", 1, true) or a:find("June 4=", 1, true), a)
    end
    assert.equals("samedi May 5=2021-05-05", on_page("2021-11-16", "It was samedi May 5 then."))
    math.randomseed(17)
    for _ = 1, 60 do
      local words = {}
      for k = 1, math.random(5, 120) do words[k] = pieces[math.random(#pieces)] end
      local text = table.concat(words, " ")
      local a = on_page("2021-11-16", text)
      local b = on_page("2021-11-16", text .. "\n\226\128\168")
      assert.equals(a, b, text)
      local doc = lode.from_string(text, {name = "t"})
      for _, r in ipairs(dates(text)) do assert.equals(doc:sub(r.i, r.j), r.text) end
    end
  end)

  it("reads its vocabularies through lode.words.rows (TAB fields, file order)", function()
    local rows = require("lode.words").rows("date_months")
    assert.same({"January", "1"}, rows[1])
    assert.same({"March", "3", "word"}, rows[3])
    for _, row in ipairs(require("lode.words").rows("date_deictic")) do
      assert.is_true(#row == 2 or #row == 3 and row[3] == "fr")
      assert.is_number(tonumber(row[2]))
    end
    assert.has_error(function() require("lode.words").rows("no_such_list") end)
  end)

  it("survives nasty input", function()
    assert.same({}, dates(""))
    assert.same({}, dates(("\1\2\3\127 \255\254 )(][ 9999 0000 12345678"):gsub("[\128-\255]", "?"), nil))
    assert.is_table(dates("(((( “May ” November 16 – ))) 2021-- -2022 ‘’ —"))
    local unit = "On November 16, 2021 about 2,000 soldiers moved; Armenia may act.\n"
    local reps = math.ceil(5.1e6 / #unit)
    local big = string.rep(unit, reps)
    assert.is_true(#big > 5e6)
    local t0 = os.clock()
    local r = dates(big)
    local dt = os.clock() - t0
    io.stderr:write(string.format("[speed] dates: %.1f MB in %.2f s\n", #big / 1e6, dt))
    assert.equals(reps, #r)
    assert.is_true(dt < 10, "took " .. dt)
    -- a huge line dense in relative dates: scanned whole, in linear time
    local dense = string.rep("yesterday last week 02.10.20: on Friday a year ago the next day ", 40000)
    t0 = os.clock()
    local n = #dates(dense)                    -- no page date, no item head: the numeric dates alone
    dt = os.clock() - t0
    io.stderr:write(string.format("[speed] dates: %.1f MB dense line in %.2f s\n", #dense / 1e6, dt))
    assert.equals(40000, n)
    assert.is_true(dt < 10, "took " .. dt)
  end)

  it("cites the exact original bytes over the whole corpus", function()
    local n = 0
    for _, f in ipairs(corpus_files()) do
      local doc = assert(lode.load(f.text))
      for _, r in ipairs(extract.dates(doc, {body = false})) do
        assert.equals(r.text, doc:sub(r.i, r.j))
        assert.equals(doc:line_of(r.i), r.line)
        assert.equals("date", r.kind)
        n = n + 1
      end
    end
    assert.is_true(n > 50)
  end)

  it("keeps to the article body by default", function()
    local doc = assert(lode.load(SRC .. "/corpus/001_6d5d41b893ce7abd.txt"))
    local all = extract.dates(doc, {body = false})
    local body = extract.dates(doc)
    assert.is_true(#body <= #all)
    local inscope = extract.scope(doc)
    for _, r in ipairs(body) do assert.is_true(inscope(r.i, r.j)) end
  end)
end)
