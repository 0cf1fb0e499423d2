-- Specs for lode.meta: title, authors, publication date and site as the
-- page states them, exact on the corpus and the imitation pages; nil (left
-- out of the JSON line) where the page does not say.
local lode = require "lode"
local meta = require "lode.meta"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/clean/"

local EXPECT = {
  [SRC .. "/corpus/000_22d4f11e9d4f7577.txt"] = {
    title = "What is Behind Azerbaijan’s Rising Belligerence?", site = "Mirror-Spectator"},
  [SRC .. "/corpus/001_6d5d41b893ce7abd.txt"] = {
    title = "The border escalation between Armenia and Azerbaijan is part of a dangerous pattern",
    authors = {"Murad Muradov", "Simona Scotti"}, published = "2021-12-03", site = "Aze.Media"},
  [SRC .. "/corpus/002_3ee2e9b4ed3af45a.txt"] = {},
  [SRC .. "/corpus/003_4e4d8b7c50d3a502.txt"] = {
    title = "How Azerbaijan Disguises Its Obstruction of the Peace Process with Armenia",
    authors = {"Sossi Tatikyan"}},
  [SRC .. "/corpus/004_14209ef97e7b3a33.txt"] = {
    title = "Is Azerbaijan interested in peace?", authors = {"Benyamin Poghosyan"}},
  [FIX .. "comments_thread.txt"] = {
    title = "Why the Lachin Road Still Matters to Ordinary Families",
    authors = {"Jane Doe", "Arman Petrosyan"}, published = "2023-03-03",
    site = "The Caucasus Notebook"},
  [FIX .. "wire_story.txt"] = {
    title = "Armenia and Azerbaijan agree to restart border talks",
    authors = {"Anna Petrova"}, published = "2024-03-12"},
  [FIX .. "plain_article.txt"] = {title = "Notes on a Quiet Border Village"},
  [FIX .. "jekyll_article.txt"] = {
    title = "The Quiet Border", authors = {"Mara Ellison", "Tomas Reyes"},
    published = "2024-03-09"},
  [FIX .. "wrapped_statement.txt"] = {
    title = "Statement by Press Secretary Dana Whitfield on the Talks Between the Two Foreign Ministers",
    authors = {"Dana Whitfield"}, published = "2023-04-02"},
  [FIX .. "transcript.txt"] = {
    title = "Press Briefing by Press Secretary Dana Whitfield", published = "2023-05-10"},
  [FIX .. "index_page.txt"] = {
    title = "The foreign ministers of the two neighbouring states meet in Vienna for the first " ..
            "round of talks since the ceasefire.", published = "2019-03-12"},
  [FIX .. "hugo_brief.txt"] = {
    title = "Bridge Reopens After Two Years", authors = {"Sona Melikyan"}, published = "2023-06-14"},
  [FIX .. "split_article.txt"] = {
    title = "Ministers agree to reopen the mountain road", authors = {"Lena Hartmann"},
    published = "2024-03-14"},
}

describe("lode.meta", function()
  it("states exactly what the pages state", function()
    local fields, right = 0, 0
    for path, want in pairs(EXPECT) do
      local m = meta(assert(lode.load(path)))
      for _, k in ipairs({"title", "authors", "published", "site"}) do
        fields = fields + 1
        assert.are.same(want[k], m[k], path .. " " .. k)
        right = right + 1
      end
    end
    io.stderr:write(string.format("[score] meta: %d/%d fields exact\n", right, fields))
  end)

  it("says where each field was read", function()
    local m = meta(assert(lode.load(FIX .. "jekyll_article.txt")))
    assert.are.same({from = "front_matter:title", line = 3}, {from = m.sources.title.from,
      line = m.sources.title.line})
    assert.are.equal("front_matter:date", m.sources.published.from)
    assert.are.equal("front_matter:author", m.sources.authors.from)
    local doc = assert(lode.load(FIX .. "jekyll_article.txt"))
    local s = meta(doc).sources.published
    assert.are.equal("2024-03-09 10:00:00 +0100", doc:sub(s.i, s.j))
    local p = meta(assert(lode.load(FIX .. "split_article.txt"))).sources
    assert.are.same({from = "page:dateline", line = 10}, p.published)
    assert.are.same({from = "page:title", line = 6}, p.title)
    assert.are.equal("credit:title",
      meta(assert(lode.load(FIX .. "wrapped_statement.txt"))).sources.authors.from)
  end)

  it("hands out copies: editing a meta table or record changes no later answer", function()
    local doc = assert(lode.load(FIX .. "comments_thread.txt"))
    local r = meta.record(doc)
    r.authors[1], r.sources.authors.from, r.title = "X", "edited", "Y"
    local m = meta(doc)
    m.authors[2], m.sources.title.line = "Z", -1
    local again, m2 = meta.record(doc), meta(doc)
    assert.are.same({"Jane Doe", "Arman Petrosyan"}, again.authors)
    assert.are.same({"Jane Doe", "Arman Petrosyan"}, m2.authors)
    assert.are.equal("page:byline", again.sources.authors.from)
    assert.are.equal("Why the Lachin Road Still Matters to Ordinary Families", again.title)
    assert.are_not.equal(-1, m2.sources.title.line)
  end)

  it("never takes an account or an outlet for an author", function()
    local doc = assert(lode.from_string(table.concat({
      "---", 'title: "A Title"', 'author: "webdesk"', "---", "",
      "The ministers met again on Tuesday and agreed to keep talking about the border, the statement said.",
    }, "\n"), {name = "fm"}))
    assert.is_nil(meta(doc).authors)
    local w = assert(lode.from_string(table.concat({
      "---", "title: Battle Notes", "author: Wikipedia", "---", "",
      "The battle began in early October and lasted three weeks, according to both sides' statements.",
    }, "\n"), {name = "fm2"}))
    assert.is_nil(meta(w).authors)
    assert.is_nil(meta(w).published)
  end)

  it("cuts a byline at a separator of two bytes without cutting the character", function()
    local doc = assert(lode.from_string(table.concat({
      "Talks Resume at the Border", "", "By Lena Aramyan · 5 March 2024", "",
      "The ministers met again on Tuesday and agreed to keep talking about the border, the statement said.",
      "", "Neither side gave details of the maps that were discussed, and observers said a deal was far away.",
    }, "\n"), {name = "sep"}))
    local m = meta(doc)
    assert.are.same({"Lena Aramyan"}, m.authors)
    assert.are.equal("2024-03-05", m.published)
  end)

  it("reads bylines in other languages and copyright lines without their year", function()
    local doc = assert(lode.from_string(table.concat({
      "# Le corridor rouvre", "",
      "Le corridor a été rouvert samedi matin, a annoncé le ministère, après trois mois de fermeture totale.",
      "",
      "Les premiers camions ont franchi le pont dans l’après-midi, selon les autorités locales et la presse.",
      "",
      "par [Anne Dubois](https://example.fr/auteur/12) le samedi 30 septembre 2023", "",
      "© exemple.fr 2023",
    }, "\n"), {name = "fr"}))
    local m = meta(doc)
    assert.are.same({"Anne Dubois"}, m.authors)
    assert.are.equal("exemple.fr", m.site)
    assert.are.equal("Le corridor rouvre", m.title)
  end)

  it("reads an HTML page's head: JSON-LD, <meta>, <title>", function()
    local doc = assert(lode.load(SRC .. "/tests/fixtures/formats/page.html"))
    local m = meta(doc)
    assert.are.equal("Border talks resume in Tbilisi", m.title)
    assert.are.same({"Lena Aramyan"}, m.authors)
    assert.are.equal("2024-03-05", m.published)
    assert.are.equal("The Caspian Ledger", m.site)
    assert.are.equal("html:ld:datePublished", m.sources.published.from)
    -- the source's span is the file's bytes of the value
    local f = assert(io.open(SRC .. "/tests/fixtures/formats/page.html", "rb"))
    local bytes = f:read("a"); f:close()
    local s = m.sources.published
    assert.are.equal("2024-03-05T09:30:00+04:00", bytes:sub(s.i, s.j))
    local t = assert(lode.from_string("<!DOCTYPE html><html><head><title>Ceasefire holds | Daily Example</title>" ..
      "</head><body><p>Text.</p></body></html>", {name = "t.html"}))
    assert.are.equal("Ceasefire holds", meta(t).title)
  end)

  it("reads a dataset row's columns", function()
    local rows = {}
    for doc in lode.corpus(SRC .. "/tests/fixtures/formats/articles.csv", {on_error = function() end}) do
      rows[#rows + 1] = doc
    end
    local m = meta(rows[1])
    assert.are.equal("Talks resume", m.title)
    assert.are.equal("2024-03-01", m.published)
    assert.are.equal("fields:title", m.sources.title.from)
  end)

  it("is callable and reachable as lode.meta", function()
    local doc = assert(lode.load(SRC .. "/corpus/004_14209ef97e7b3a33.txt"))
    assert.are.same(meta.meta(doc), lode.meta(doc))
  end)

  it("leaves missing fields nil in the record and out of its JSON line", function()
    local doc = lode.from_string("Just a line of text with no title or byline.\n",
                                 {name = "note.txt"})
    local r = meta.record(doc)
    assert.is_nil(r.title)
    assert.is_nil(r.authors)
    assert.is_nil(r.site)
    assert.are.equal("note.txt", r.site or doc.name)
    local line = lode.out.line(doc, r)
    assert.matches('"kind":"meta"', line, 1, true)
    assert.not_matches("null", line, 1, true)
    assert.not_matches('"site"', line, 1, true)
    for _, rec in ipairs(lode.extract.all(doc)) do
      for k, v in pairs(rec) do
        assert.are_not.equal("userdata", type(v), rec.kind .. "." .. k)
      end
    end
  end)

  it("parses the date forms of bylines", function()
    assert.are.equal("2021-12-03", meta.parse_date("December 3, 2021"))
    assert.are.equal("2021-12-03", meta.parse_date("Dec. 3rd, 2021 at 10:00"))
    assert.are.equal("2024-03-12", meta.parse_date("Published: 12 March 2024"))
    assert.are.equal("2022-06-24", meta.parse_date("2022-06-24T10:00"))
    assert.are.equal("2023-09-30", meta.parse_date("par X le samedi 30 septembre 2023"))
    assert.are.equal("2021-04-01", meta.parse_date("1 апреля 2021"))
    assert.are.equal("2021-11-08", meta.parse_date("8 noyabr 2021"))
    assert.is_nil(meta.parse_date("30 floréal 2023"))
    assert.are.equal("2024-03-14", meta.parse_date("Last modified: 14.03.2024"))
    assert.are.equal("2024-03-14", meta.parse_date("2024-03-14T09:12Z"))
    assert.is_nil(meta.parse_date("14.13.2024"))
    assert.are.equal("2024-03-14", meta.parse_date("14/03/2024 - 09:12"))
    assert.are.equal("2024-03-14", meta.parse_date("03/14/2024"))
    assert.is_nil(meta.parse_date("03/04/2024"))
    assert.is_nil(meta.parse_date("June 2022"))
    assert.is_nil(meta.parse_date("Reading Time: 6 mins read"))
  end)

  it("reads labelled lines trimmed of spaces and no-break spaces", function()
    -- meta reads only the lines the cleaner labelled, each trimmed as the
    -- cleaner saw it
    local nb = "\194\160"
    local doc = assert(lode.from_string(table.concat({
      "  Example.org" .. nb, "",
      nb .. "Ministers Meet Again in Brussels  ", "",
      "By Anna" .. nb .. "Petrova" .. nb .. " | March 12, 2024\t", "",
      "The foreign ministers met again on Tuesday and agreed to keep talking about the border, the statement said.",
      "",
      "Neither side gave details of the maps that were discussed, and observers said a deal was still far away.",
    }, "\n"), {name = "nb"}))
    local m = meta(doc)
    assert.are.equal("Example.org", m.site)
    assert.are.equal("Ministers Meet Again in Brussels", m.title)
    assert.are.same({"Anna Petrova"}, m.authors)
    assert.are.equal("2024-03-12", m.published)
  end)

  it("keeps only person-shaped byline names and states nothing for empty pages", function()
    local doc = assert(lode.from_string(
      "Site News\n\nA Headline About Things\nBy Staff Reporter and the newsroom\n\n" ..
      "The ministers met on Tuesday and agreed to continue talking about the border, officials said.",
      {name = "x"}))
    local m = meta(doc)
    assert.is_nil(m.published)
    assert.is_nil(m.authors)
    local e = meta(assert(lode.from_string("", {name = "e"})))
    assert.is_nil(e.title); assert.is_nil(e.authors); assert.is_nil(e.published); assert.is_nil(e.site)
  end)
end)

-- A news page: its head lines, then three paragraphs written for this spec.
local function news(head, tail)
  local lines = {}
  for _, l in ipairs(head) do lines[#lines + 1] = l end
  for _, l in ipairs{"",
      "The regional council voted on Tuesday to repair the old stone bridge over the river, " ..
      "which has been closed to lorries since the floods of last spring damaged two of its arches.", "",
      "Engineers from the capital will survey the foundations next month, and the work itself " ..
      "is expected to take most of the summer, according to the head of the council.", "",
      "Farmers on the eastern bank said they had lost customers while the detour added an hour " ..
      "to every trip to the market town, and they asked for the repairs to start sooner.", ""} do
    lines[#lines + 1] = l
  end
  for _, l in ipairs(tail or {}) do lines[#lines + 1] = l end
  return meta(assert(lode.from_string(table.concat(lines, "\n") .. "\n", {name = "news"})))
end

describe("lode.meta on news pages", function()
  it("dates a page by its byline below a standfirst, not by the headline's event", function()
    local m = news{"Valley Gazette", "Home  Region  Farming  Weather", "",
      "Council sets 2 June 2025 for the bridge vote",
      "The chamber will decide how to pay for the repairs before the summer holidays begin.",
      "By Petra Lindqvist | 14 March 2024"}
    assert.are.equal("Council sets 2 June 2025 for the bridge vote", m.title)
    assert.are.equal("2024-03-14", m.published)
    assert.are.same({"Petra Lindqvist"}, m.authors)
  end)

  it("falls back on a JSON-LD line left in the text, then on a 'Last modified' line", function()
    local m = news({'{"@context":"https://schema.org","@type":"NewsArticle",' ..
      '"datePublished":"2024-03-14T09:12:00+04:00"}',
      "", "Council votes to mend the old bridge"}, {"Last modified: 20.03.2024"})
    assert.are.equal("2024-03-14", m.published)
    assert.are.equal("page:json_ld", m.sources.published.from)
    m = news({"Council votes to mend the old bridge", "Author: Petra Lindqvist"},
      {"Download the full report (PDF)", "Last modified: 20.03.2024", "Privacy policy"})
    assert.are.equal("2024-03-20", m.published)
    assert.are.same({"Petra Lindqvist"}, m.authors)
    assert.is_nil(news({"Council votes to mend the old bridge"}, {"Privacy policy"}).published)
  end)

  it("leaves an agency out of a byline's names and keeps names in Cyrillic", function()
    local m = news{"Council votes to mend the old bridge",
      "By Petra Lindqvist and Omar Haddad, Associated Press", "Updated: Mar 14, 2024"}
    assert.are.same({"Petra Lindqvist", "Omar Haddad"}, m.authors)
    assert.are.equal("2024-03-14", m.published)
    local r = news({"Совет решил отремонтировать старый мост", "Автор: Ольга Смирнова"},
      {"© 2024 Речной вестник. Все права защищены."})
    assert.are.same({"Ольга Смирнова"}, r.authors)
    assert.are.equal("Речной вестник", r.site)
  end)

  it("reads bare names and a title without the site it names elsewhere", function()
    local m = news({"Council votes to mend the old bridge | Valley Gazette", "", "Valley Gazette",
      "Local News  Politics  Farming  Weather", "", "Petra Lindqvist | Ostrava",
      "Published 14 March 2024, 09:12 GMT"})
    assert.are.equal("Council votes to mend the old bridge", m.title)
    assert.are.equal("Valley Gazette", m.site)
    assert.are.same({"Petra Lindqvist"}, m.authors)
    assert.are.equal("2024-03-14", m.published)
    m = news{"Live: the bridge vote", "Petra Lindqvist and Omar Haddad", "Reading Time: 6 mins read"}
    assert.are.same({"Petra Lindqvist", "Omar Haddad"}, m.authors)
  end)

  it("reads a name over its date, a name in its city and names after a dated line", function()
    local m = news{"Council votes to mend the old bridge", "Petra Lindqvist,",
      "Central Europe correspondent", "14.03.2024 [09:12]"}
    assert.are.same({"Petra Lindqvist"}, m.authors)
    assert.are.equal("2024-03-14", m.published)
    m = news{"Council votes to mend the old bridge", "Petra Lindqvist in Ostrava",
      "Thu 14 Mar 2024 09.12 GMT"}
    assert.are.same({"Petra Lindqvist"}, m.authors)
    assert.are.equal("2024-03-14", m.published)
    m = news{"Der Rat lässt die alte Brücke reparieren", "Von Petra Lindqvist",
      "Veröffentlicht am 14.03.2024, 09:12 Uhr"}
    assert.are.same({"Petra Lindqvist"}, m.authors)
    assert.are.equal("2024-03-14", m.published)
    m = news{"Council votes to mend the old bridge", "March 14, 2024 by Petra Lindqvist"}
    assert.are.same({"Petra Lindqvist"}, m.authors)
    m = news{"Council votes to mend the old bridge", "March 14, 2024 at 9:12 am by admin"}
    assert.is_nil(m.authors)
    assert.are.equal("2024-03-14", m.published)
    m = news{"Council votes to mend the old bridge", "By Petra Lindqvist in Ostrava and Omar Haddad in Brno"}
    assert.are.same({"Petra Lindqvist", "Omar Haddad"}, m.authors)
  end)

  it("reads a name before ' FOR Outlet' and the dated dateline opening the article", function()
    local m = news{"Council votes to mend the old bridge", "By PETRA LINDQVIST FOR VALLEYONLINE"}
    assert.are.same({"PETRA LINDQVIST"}, m.authors)
    local doc = assert(lode.from_string(table.concat({
      "Council votes to mend the old bridge", "",
      "OSTRAVA, Czech Republic, 9 May 2023 — The regional council voted on Tuesday to repair the " ..
        "old stone bridge over the river, which has been closed to lorries since the floods.", "",
      "Engineers from the capital will survey the foundations next month, and the work itself " ..
        "is expected to take most of the summer, according to the head of the council."}, "\n"),
      {name = "lead"}))
    assert.are.equal("2023-05-09", meta(doc).published)
    doc = assert(lode.from_string(table.concat({
      "Council votes to mend the old bridge", "",
      "OSTRAVA, May 9 (Wire) - The regional council voted on Tuesday to repair the old stone " ..
        "bridge over the river, which has been closed to lorries since the floods."}, "\n"),
      {name = "wire"}))
    assert.is_nil(meta(doc).published)
  end)
end)
