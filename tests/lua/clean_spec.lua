-- Specs for lode.clean: per-line labels against hand labels of the corpus
-- (tests/fixtures/clean/<name>.labels, one label per line) and of imitation
-- pages of other layouts; blocks, body_spans, doc:body(), the corpus model,
-- and the nasty cases (empty, one paragraph, only boilerplate, 10 MB).
local lode = require "lode"
local clean = require "lode.clean"
local score = require "score"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/clean/"
local CORPUS = {"000_22d4f11e9d4f7577", "001_6d5d41b893ce7abd", "002_3ee2e9b4ed3af45a",
                "003_4e4d8b7c50d3a502", "004_14209ef97e7b3a33"}
local IMITATIONS = {"comments_thread", "list_page", "plain_article", "wire_story",
                    "jekyll_article", "wrapped_statement", "transcript", "index_page",
                    "split_article", "hugo_brief", "reference_list"}

local function read_labels(name)
  local out = {}
  for l in io.lines(FIX .. name .. ".labels") do out[#out + 1] = l end
  return out
end

-- Body lines (title, heading, body) expected and found, keyed "name:line".
local function body_items(name, doc, want, got, exp, lab)
  for k = 1, doc:line_count() do
    if clean.BODY[exp[k]] then want[#want + 1] = name .. ":" .. k end
    if clean.BODY[lab[k]] then got[#got + 1] = name .. ":" .. k end
  end
end

local function id(x) return x end

local function measure(label, names, path_of)
  local want, got, exact, total = {}, {}, 0, 0
  for _, name in ipairs(names) do
    local doc = assert(lode.load(path_of(name)))
    local exp, lab = read_labels(name), clean(doc).labels
    assert.are.equal(doc:line_count(), #exp, name .. ": one label per line")
    body_items(name, doc, want, got, exp, lab)
    for k = 1, #exp do
      total = total + 1
      if exp[k] == lab[k] then exact = exact + 1 end
    end
  end
  local s = score.compare(want, got, id)
  score.report(label .. " body lines", s)
  io.stderr:write(string.format("[score] %s all labels: %d/%d lines exact (%.3f)\n",
    label, exact, total, exact / total))
  return s, exact / total
end

describe("lode.clean on the corpus", function()
  it("finds the body lines of the five hand-labelled pages (F1 >= 0.95)", function()
    local s, acc = measure("corpus", CORPUS, function(n) return SRC .. "/corpus/" .. n .. ".txt" end)
    assert.is_true(s.f1 >= 0.95, "body F1 " .. s.f1)
    assert.is_true(acc >= 0.90, "label accuracy " .. acc)
  end)

  it("labels the parts around the article", function()
    local doc = assert(lode.load(SRC .. "/corpus/001_6d5d41b893ce7abd.txt"))
    local L = clean(doc).labels
    assert.are.equal("title", L[40])
    assert.are.equal("byline", L[44])
    assert.are.equal("caption", L[50])
    assert.are.equal("bio", L[84])
    assert.are.equal("related", L[96])
    assert.are.equal("nav", L[6])
    assert.are.equal("footer", L[231])
    local d2 = assert(lode.load(SRC .. "/corpus/002_3ee2e9b4ed3af45a.txt"))
    local L2 = clean(d2).labels
    assert.are.equal("heading", L2[6])        -- "Highway to Hell"
    assert.are.equal("related", L2[39])       -- a teaser after "Also see"
    assert.are.equal("comment", L2[55])       -- reader comments, no header
    local d0 = assert(lode.load(SRC .. "/corpus/000_22d4f11e9d4f7577.txt"))
    assert.are.equal("promo", clean(d0).labels[16])   -- inbox prompt mid-article
  end)
end)

describe("lode.clean on pages of other layouts", function()
  it("finds the body of imitation pages (F1 >= 0.95)", function()
    local s = measure("imitations", IMITATIONS, function(n) return FIX .. n .. ".txt" end)
    assert.is_true(s.f1 >= 0.95, "body F1 " .. s.f1)
  end)

  it("lets a page without boilerplate through untouched", function()
    local doc = assert(lode.load(FIX .. "plain_article.txt"))
    for k, lab in ipairs(clean(doc).labels) do
      assert.is_true(lab == "blank" or clean.BODY[lab], "line " .. k .. " is " .. lab)
    end
    local body = doc:body()
    local kept = {}
    for line in doc:lines() do if line ~= "" then kept[#kept + 1] = line end end
    assert.are.equal(table.concat(kept, "\n"), body.text)
  end)

  it("keeps a list page out of the body and labels a comment thread", function()
    local doc = assert(lode.load(FIX .. "list_page.txt"))
    assert.are.same({}, clean.body_spans(doc))
    local c = assert(lode.load(FIX .. "comments_thread.txt"))
    local L = clean(c).labels
    local n = 0
    for _, lab in ipairs(L) do if lab == "comment" then n = n + 1 end end
    assert.is_true(n >= 15)
  end)
end)

-- The labels of a fixture page, and its lines.
local function labelled(name)
  local doc = assert(lode.load(FIX .. name .. ".txt"))
  local lines = {}
  for line in doc:lines() do lines[#lines + 1] = line end
  return clean(doc).labels, lines, doc
end

-- The number of the first line that starts with the text p.
local function line_of(lines, p)
  for k, l in ipairs(lines) do if l:sub(1, #p) == p then return k end end
  error("no line holds " .. p)
end

describe("lode.clean on Markdown exports, transcripts and split pages", function()
  it("labels front matter and markup, never body", function()
    local L, lines = labelled("jekyll_article")
    for k = 1, 9 do assert.are.equal("front_matter", L[k], "line " .. k) end
    assert.are.equal("markup", L[line_of(lines, "<excerpt/>")])
    local W, wl = labelled("wrapped_statement")
    for k = line_of(wl, "<figure>"), line_of(wl, "</figure>") do
      assert.are.equal("markup", W[k], "line " .. k)
    end
  end)

  it("reads a hard-wrapped paragraph as one paragraph, long link lines included", function()
    local L, lines = labelled("wrapped_statement")
    for k = line_of(lines, "The Secretary met"), line_of(lines, "the border commissions.") do
      assert.are.equal("body", L[k], "line " .. k)
    end
  end)

  it("labels a pull-quote that repeats the article, an image's caption and the bios", function()
    local L, lines = labelled("jekyll_article")
    assert.are.equal("pullquote", L[line_of(lines, "___`The villagers")])
    assert.are.equal("body", L[line_of(lines, "The commission publishes little")])
    assert.are.equal("heading", L[line_of(lines, "### Who Decides?")])
    assert.are.equal("caption", L[line_of(lines, "*New markers on the road")])
    assert.are.equal("markup", L[line_of(lines, "![](./images/markers.jpg)")])
    assert.are.equal("bio", L[line_of(lines, "__Mara Ellison__")])
    assert.are.equal("bio", L[line_of(lines, "__Tomas Reyes__")])
  end)

  it("drops a unit with no plain text left and judges the units after it as before", function()
    -- "[](x)" and "** **" leave no text: markup, as a markup-only line is;
    -- the heading, the link-heavy line and the list after them keep their
    -- kinds and link shares (the unit arrays close up over the gap)
    local function page(gap)
      return table.concat({
        "Talks on the border resumed on Tuesday after a pause of three weeks, and the two " ..
          "delegations met in the capital for the first time since the spring.",
        "",
        gap,
        "",
        "The ministry said the sides had agreed on a schedule for the next round of talks, " ..
          "which is expected to open in the second half of the month.",
        "",
        "## What comes next",
        "",
        "The commission will publish its maps, the officials said, once both governments " ..
          "have signed the protocol that the negotiators drafted over the summer.",
        "",
        "[Maps](https://maps.example/a) [Protocol](https://maps.example/b) [Talks](https://x.example/c)",
        "",
        "- the border villages",
        "",
        "Residents of the villages have waited years for the markers, and many of them said " ..
          "they would believe the deal only when the surveyors arrived.",
      }, "\n")
    end
    local function labels(text)
      return clean.labels(assert(lode.from_string(text, {name = "gap.txt"})))
    end
    local ref = labels(page("<div class=\"gap\"></div>"))
    for _, gap in ipairs{"[](https://x.example/empty)", "** **"} do
      local L = labels(page(gap))
      assert.are.equal("markup", L[3], gap)
      assert.are.same(ref, L, gap)
    end
    assert.are.equal("heading", ref[7])
  end)

  it("visits the lines between markup lines only while a tag is open or after an image", function()
    local P = "The talks on the border resumed on Tuesday after a pause of three weeks, and " ..
      "the two delegations met in the capital for the first time since the spring."
    local doc = assert(lode.from_string(table.concat({
      P, "", "![](photo.jpg)", "", "*The bridge at dawn.*", "", P, "",         -- 1-8
      "![](b.jpg)", "A plain line stands after the image here.", "*Not under an image.*", "",
      "<img src=\"c.jpg\"", "alt=\"A bridge\"", "width=\"300\">", "", P, "", -- 13-18
      "*Emphasis in\255 a line.*"}, "\n"), {name = "s.txt", invalid = "replace"}))
    local L = clean.labels(doc)
    assert.are.equal("markup", L[3])
    assert.are.equal("caption", L[5])       -- under the image, past a blank line
    assert.are.equal("markup", L[9])
    assert.are.equal("body", L[10])
    assert.are_not.equal("caption", L[11])  -- a line stands between it and the image
    for k = 13, 15 do assert.are.equal("markup", L[k], "line " .. k) end   -- the tag's lines
    assert.are.equal("body", L[17])
  end)

  it("keeps a transcript's short turns in the body: labels ending in a colon, a lone Q", function()
    local L, lines = labelled("transcript")
    for _, p in ipairs{"Q    Karine?", "MS. WHITFIELD:  Okay, go ahead.", "Q    On the border",
                       "MR. OKAFOR:  Nothing new today.", "MS. WHITFIELD:  Thanks, everybody."} do
      assert.are.equal("body", L[line_of(lines, p)], p)
    end
  end)

  it("reads a Hugo page: TOML front matter, a shortcode, a list of points", function()
    local L, lines = labelled("hugo_brief")
    for k = 1, 7 do assert.are.equal("front_matter", L[k], "line " .. k) end
    assert.are.equal("markup", L[line_of(lines, "{{< figure")])
    for _, p in ipairs{"* The bridge", "* Trucks", "* **Why it matters:**"} do
      assert.are.equal("body", L[line_of(lines, p)], p)
    end
    assert.is_false(clean.BODY[L[line_of(lines, "Read more from")]] or false)
  end)

  it("keeps a reference list and a sign-off out of the article", function()
    local L, lines = labelled("reference_list")
    for _, p in ipairs{"References", "1. Ministry", "3. World Bank", "Thanks for reading."} do
      assert.are.equal("footer", L[line_of(lines, p)], p)
    end
    assert.are.equal("body", L[line_of(lines, "The government says")])
  end)

  it("keeps every turn of a transcript, short ones included", function()
    local L, lines = labelled("transcript")
    for k, l in ipairs(lines) do
      if l:find("^Q ") or l:find("^M[RS]%. %u+:") then
        assert.is_true(clean.BODY[L[k]], "line " .. k .. " is " .. L[k])
      end
    end
    assert.is_false(clean.BODY[L[line_of(lines, "2:05 P.M. EDT")]] or false)
  end)

  it("follows an article past an in-page related block", function()
    local L, lines = labelled("split_article")
    assert.are.equal("body", L[line_of(lines, "The foreign ministers of the two")])
    assert.are.equal("related", L[line_of(lines, "Related videos")])
    assert.are.equal("related", L[line_of(lines, "Watch: Inside the talks")])
    assert.are.equal("body", L[line_of(lines, "Critics in both capitals")])
    assert.are.equal("comment", L[line_of(lines, "Sam: Finally")])
  end)

  it("takes a first-level heading for the title and keeps link lists out", function()
    local L, lines = labelled("index_page")
    assert.are.equal("title", L[line_of(lines, "#  The foreign ministers")])
    assert.are.equal("heading", L[line_of(lines, "##### Regional talks")])
    for _, p in ipairs{"Formats:", "1. [Example Wire]", "1. [The two states agree"} do
      assert.is_false(clean.BODY[L[line_of(lines, p)]] or false, p)
    end
  end)
end)

describe("lode.clean on an HTML page", function()
  local doc = assert(lode.load(SRC .. "/tests/fixtures/formats/page.html"))
  local L = clean(doc).labels
  local function label_of(p)
    for k = 1, doc:line_count() do
      if doc:line(k):sub(1, #p) == p then return L[k] end
    end
    error("no line starts with " .. p)
  end

  it("labels the page's furniture by its elements", function()
    assert.are.equal("nav", label_of("World"))
    assert.are.equal("caption", label_of("Delegations at the table"))
    assert.are.equal("related", label_of("Earlier talks stall"))
    assert.are.equal("nav", label_of("Email Subscribe"))
  end)

  it("finds the headline and follows the article past an aside", function()
    assert.are.equal("title", label_of("Border talks resume in Tbilisi"))
    assert.are.equal("byline", label_of("By Lena Aramyan"))
    assert.are.equal("body", label_of("Negotiators from both countries"))
    assert.are.equal("body", label_of("About 300 people attended"))
    assert.are.equal("body", label_of("“Peace is within reach,”"))
  end)
end)

describe("lode.clean on lines that open with a quotation mark", function()
  it("reads them as prose, not as bullets", function()
    local doc = assert(lode.from_string(table.concat({
      "Talks Resume", "",
      "The ministers met again on Tuesday and agreed to keep talking about the border, officials said.", "",
      "Neither side gave details of the maps that were discussed, and observers said a deal was far away.", "",
      "“We are ready to sign,” the minister said.",
    }, "\n"), {name = "q"}))
    assert.are.equal("body", clean(doc).labels[7])
  end)
end)

describe("blocks, spans and doc:body()", function()
  local doc = assert(lode.load(SRC .. "/corpus/001_6d5d41b893ce7abd.txt"))

  it("keeps every non-blank line in exactly one block, with original spans", function()
    local blocks = clean(doc)
    local covered = {}
    for _, b in ipairs(blocks) do
      assert.is_truthy(clean.LABELS and b.label)
      local fi = doc:line_span(b.line_first)
      local _, lj = doc:line_span(b.line_last)
      assert.are.equal(fi, b.i)
      assert.are.equal(lj, b.j)
      for _, k in ipairs(b.lines) do
        assert.is_nil(covered[k])
        covered[k] = true
        assert.are.equal(b.label, blocks.labels[k])
      end
    end
    for line, k in doc:lines() do
      assert.are.equal(line:find("%S") ~= nil, covered[k] == true, "line " .. k)
    end
  end)

  it("gives sorted, non-overlapping, cached body spans", function()
    local spans = clean.body_spans(doc)
    assert.is_true(#spans >= 2)
    for k = 2, #spans do assert.is_true(spans[k].i > spans[k - 1].j) end
    assert.are.equal(spans, clean.body_spans(doc))    -- cached: same table
    assert.is_truthy(doc:sub(spans[1]):find("^The border escalation"))
  end)

  it("maps body text back to original bytes", function()
    local body = doc:body()
    assert.are.equal(body, doc:body())
    assert.are.equal(clean.body_spans(doc), body.spans)
    assert.is_nil(body.text:find("Related Posts", 1, true))
    for _, word in ipairs({"The border escalation", "Norayr Mirzoyan", "claims soldiers"}) do
      local i, j = body.text:find(word, 1, true)
      assert.is_truthy(i, word)
      local i0, j0 = body:origin(i, j)
      assert.are.equal(word, doc:sub(i0, j0))
    end
    -- the text of each body line is byte-identical to the original
    local i = body.text:find("Foreign military", 1, true)
    assert.is_nil(i)   -- a caption, not the body
  end)

  it("uses a corpus model: a line repeated across a site's pages is boilerplate", function()
    local tag = "Independent reporting from the South Caucasus since 1998."
    local heads = {"Ministers meet again in Brussels", "Border commission holds first session",
                   "Talks stall over the corridor"}
    local function page(n)
      return lode.from_string(table.concat({
        tag, "",
        heads[n],
        "",
        "The foreign ministers met again on Tuesday and agreed to keep talking about the border, the statement said.",
        "",
        "Neither side gave details of the maps that were discussed, and observers said a deal was still far away.",
      }, "\n"), {name = "p" .. n})
    end
    local docs = {page(1), page(2), page(3)}
    assert.is_true(clean.BODY[clean(docs[1]).labels[1]])     -- alone: looks like a lede
    local model = clean.learn(docs)
    assert.are.equal(3, model.ndocs)
    local L = clean(docs[1], {model = model}).labels
    assert.are.equal("nav", L[1])
    assert.are.equal("title", L[3])
    assert.are.equal("body", L[5])
  end)
end)

describe("features shared across pages", function()
  -- short lines' features are kept between documents (clean.SHARED_MAX):
  -- a page's labels must not depend on what was cleaned before it
  local function labels_of(names, order)
    local out = {}
    for _, x in ipairs(order) do
      local doc = assert(lode.load(SRC .. "/corpus/" .. names[x] .. ".txt"))
      out[x] = table.concat(clean(doc).labels, " ")
    end
    return out
  end

  it("gives every page the same labels in any order and after a reset", function()
    local forward = labels_of(CORPUS, {1, 2, 3, 4, 5})
    local backward = labels_of(CORPUS, {5, 4, 3, 2, 1})
    assert.same(forward, backward)
    local max = clean.SHARED_MAX
    clean.SHARED_MAX = 2                   -- emptied again and again
    local small = labels_of(CORPUS, {3, 1, 5, 2, 4})
    clean.SHARED_MAX = max
    assert.same(forward, small)
  end)
end)

describe("lode.clean on nasty input", function()
  it("handles an empty document", function()
    local doc = assert(lode.from_string("", {name = "empty"}))
    local blocks = clean(doc)
    assert.are.equal(0, #blocks)
    assert.are.same({}, clean.body_spans(doc))
    assert.are.equal("", doc:body().text)
    assert.is_nil(doc:body():origin(1, 1))
  end)

  it("handles a document of one paragraph", function()
    local s = "Armenia and Azerbaijan resumed talks on Tuesday, officials said, "
      .. "the first meeting of the border commissions this year."
    local doc = assert(lode.from_string(s, {name = "one"}))
    assert.are.same({"body"}, clean(doc).labels)
    assert.are.equal(s, doc:body().text)
    local short = assert(lode.from_string("Talks resumed.", {name = "short"}))
    assert.are.equal("body", clean(short).labels[1])
  end)

  it("finds no body in a page of only boilerplate", function()
    local doc = assert(lode.from_string(table.concat({
      "Home", "  • News", "  • Opinion", "Subscribe to our newsletter", "Related Posts",
      "June 24, 2022", "c24a7d34-02d2-45a2-95ad-980aa8264ad5", "Share6Tweet4SendShare",
      "© 2021 Example Media. All rights reserved.", "Privacy Policy"}, "\n"), {name = "bp"}))
    local L = clean(doc).labels
    for k, lab in ipairs(L) do assert.is_nil(clean.BODY[lab], "line " .. k .. " " .. lab) end
    assert.are.equal("", doc:body().text)
  end)

  it("survives bad bytes and one huge line", function()
    local doc = assert(lode.from_string("Title Of A Page\n\n" .. string.rep("word and the text, ", 200000)
      .. ".\n\255\254 odd",
      {name = "odd", invalid = "replace"}))
    local L = clean(doc).labels
    assert.are.equal("body", L[3])
  end)

  it("cleans a 10 MB document in well under a second per MB", function()
    local parts = {}
    for _, n in ipairs(CORPUS) do
      local f = assert(io.open(SRC .. "/corpus/" .. n .. ".txt", "rb"))
      parts[#parts + 1] = f:read("a")
      f:close()
    end
    local unit = table.concat(parts, "\n") .. "\n"
    local doc = assert(lode.from_string(string.rep(unit, math.ceil(10e6 / #unit)), {name = "big"}))
    local t0 = os.clock()
    local blocks = clean(doc)
    local spans = clean.body_spans(doc)
    local dt = os.clock() - t0
    local mb = #doc / 1e6
    io.stderr:write(string.format("[time] clean: %.1f MB in %.2f s CPU (%.3f s/MB)\n", mb, dt, dt / mb))
    assert.is_true(#blocks > 1000 and #spans >= 1)
    assert.is_true(dt / mb < 0.6, "too slow: " .. dt / mb .. " s/MB")
  end)
end)

describe("doc:units, the units the cleaner judges", function()
  local markup = require "lode.markup"
  local function units(s, extra, lines)
    local doc = assert(lode.from_string(s, {name = "units", invalid = "replace"}))
    local opts = {breaks = {}, leader = markup.leader, lead = markup.LEAD_BYTES,
                  marks = markup.MARK_BYTES, openers = clean.APART_OPENERS}
    for k, v in pairs(extra or {}) do opts[k] = v end
    return doc:units(lines or (doc:trimmed_lines()), opts)
  end

  it("cuts at blank lines, break lines, paragraphs and leading markers", function()
    local F, L, T, A = units(table.concat({
      "Talks in the capital resumed on Tuesday after a",      -- 1, hard-wrapped
      "pause of three weeks, the ministry said on its site.", -- 2
      "",
      "## What comes next",                                   -- 4: a heading
      "The commission meets again in May.",                   -- 5
      "- the border villages",                                -- 6: a list item
      "<div class=\"ad\">",                                    -- 7: a break line
      "“We will not give up,” she said.",                      -- 8: set apart
    }, "\n"), {breaks = {[7] = "markup"}})
    assert.are.same({1, 4, 5, 6, 8}, F)
    assert.are.same({2, 4, 5, 6, 8}, L)
    assert.are.equal("Talks in the capital resumed on Tuesday after a pause of three weeks, " ..
                     "the ministry said on its site.", T[1])
    assert.is_false(T[2])        -- "#": lode.markup reads it
    assert.are.equal("The commission meets again in May.", T[3])
    assert.is_false(T[4])
    assert.are.same({false, false, false, false, true}, A)
  end)

  it("keeps one unit a line where lines are paragraphs, and joins them when soft", function()
    local s = "The first short paragraph.\nThe second short one.\nThe third."
    local F, L = units(s)
    assert.are.same({1, 2, 3}, F)
    assert.are.same({1, 2, 3}, L)
    local F2, L2, T2 = units(s, {soft = true})
    assert.are.same({1}, F2)
    assert.are.same({3}, L2)
    assert.are.equal("The first short paragraph. The second short one. The third.", T2[1])
  end)

  it("asks the leader rule only of lines whose first byte may open a marker", function()
    local asked = {}
    local F = units("2020 was hard.\n\n1. First point\n\nPlain prose here.", {leader = function(t)
      asked[#asked + 1] = t
      return markup.leader(t)
    end})
    assert.are.same({"2020 was hard.", "1. First point"}, asked)
    assert.are.same({1, 3, 5}, F)
  end)

  it("reads CRLF pages, bad bytes, NUL bytes and a 1 MB line", function()
    local F, L, T = units("First line.\r\nSecond, [linked](x).\r\n\r\nThird.\r\n")
    assert.are.same({1, 2, 4}, F)
    assert.are.same({1, 2, 4}, L)
    assert.are.same({"First line.", false, "Third."}, T)
    local _, _, Tb = units("Odd \255\254 bytes here.\n\nNext.")
    assert.are.equal("Next.", Tb[2])
    assert.truthy(Tb[1]:find("bytes here.", 1, true))
    -- the lines are the caller's: NUL bytes and fewer lines than the doc
    local doc = assert(lode.from_string("a\nb\n\nc\nd", {name = "n"}))
    local Fn, _, Tn = doc:units({"a\0b", "c [x]", "", "x"}, {breaks = {}, leader = markup.leader,
      lead = markup.LEAD_BYTES, marks = markup.MARK_BYTES, openers = {}})
    assert.are.same({1, 2, 4}, Fn)
    assert.are.same({"a\0b", false, "x"}, Tn)
    local big = string.rep("word ", 200000) .. "end."
    local Fh, Lh, Th = units("Title\n\n" .. big .. "\n\nLast `code` line.")
    assert.are.same({1, 3, 5}, Fh)
    assert.are.same({1, 3, 5}, Lh)
    assert.are.equal(big, Th[2])
    assert.is_false(Th[3])
  end)

  it("finds the lines opening with a byte of a set, from a line on", function()
    local doc = assert(lode.from_string("x", {name = "o"}))
    assert.are.same({1, 4, 5, 6}, doc:lines_opening({"<a", "", "b", "*", "<", "\0x"}, "<*\0"))
    assert.are.same({4}, doc:lines_opening({"<a", "", "b", "*"}, "<*", 3))
    assert.are.same({}, doc:lines_opening({}, "<"))
    assert.are.same({}, doc:lines_opening({"<"}, ""))
    assert.are.same({}, doc:lines_opening({"<"}, "<", 9))
    assert.are.same({2}, doc:lines_opening({"\255x", "\226\128\162 item"}, "\226"))
    local ok, err = pcall(doc.lines_opening, doc, {"a", {}}, "a")
    assert.is_false(ok)
    assert.truthy(err:find("line 2 is not a string", 1, true))
  end)

  it("finds the lines holding a string within their first bytes", function()
    local doc = assert(lode.from_string("x", {name = "h"}))
    local lines = {"MR. KIRBY: Yes.", "No colon here", "", ":", "a\0:b", "abc:", "x ab:"}
    assert.are.same({1, 4, 5, 6, 7}, doc:lines_holding(lines, ":", 42))
    assert.are.same({4, 5, 6}, doc:lines_holding(lines, ":", 4))    -- find(t, ":") <= 4
    assert.are.same({7}, doc:lines_holding(lines, "b:", 4))      -- "x ab:": at byte 4
    assert.are.same({}, doc:lines_holding(lines, ":", 0))
    assert.are.same({1, 2, 3, 4, 5, 6, 7}, doc:lines_holding(lines, "", 1))
    assert.are.same({}, doc:lines_holding({"ab"}, "abc", 5))
    local ok, err = pcall(doc.lines_holding, doc, {"a", false}, ":", 3)
    assert.is_false(ok)
    assert.truthy(err:find("line 2 is not a string", 1, true))
  end)

  it("gives nothing for an empty page, and a clear error for missing rules", function()
    local F, L, T, A = units("")
    assert.are.same({}, F)
    assert.are.same({}, L)
    assert.are.same({}, T)
    assert.are.same({}, A)
    assert.has_error(function() units("x", {leader = false}) end)
    local ok, err = pcall(units, "x", {openers = "“"})
    assert.is_false(ok)
    assert.matches("openers", err)
    ok, err = pcall(units, "x", nil, {"x", 3, {}})
    assert.is_false(ok)
    assert.matches("line 3 is not a string", err)
  end)
end)

describe("lode.markup.line, the plain text of a line", function()
  local markup = require "lode.markup"

  it("removes images, links, tags and inline marks, and trims", function()
    local t, kind, nlink = markup.line("## A **bold** [link](http://x.org) <b>tag</b> ![i](p.png)  ##")
    assert.are.equal("A bold link tag", t)
    assert.are.equal("heading", kind)
    assert.are.equal(4, nlink)
    assert.are.equal("file_name_2020.txt and emphasis and stars code #",
      (markup.line("  file_name_2020.txt and _emphasis_ and *stars* `code` \\#  ")))
    assert.are.equal("", (markup.line("![only](an/image.jpg)")))
    assert.are.equal("a < b", (markup.line("a < b")))
    assert.are.equal("<kept> x", (markup.line("<kept> *x*", true)))
  end)

  it("runs an inline rule only where its needed bytes stand, and always without them", function()
    local saved = markup.INLINE
    local ok, err = pcall(function()
      -- the gate is a promise: a rule whose gate is absent from the line
      -- is skipped even if its pattern would match
      markup.INLINE = {{"o", "0", "zz"}}
      assert.are.equal("foo *", (markup.line("foo *")))
      assert.are.equal("f00 zz *", (markup.line("foo zz *")))
      markup.INLINE = {{"o", "0"}}                -- no gate: always tried
      assert.are.equal("f00 *", (markup.line("foo *")))
      markup.INLINE = {{"o", "0", "z", 2}}        -- a gate needed twice
      assert.are.equal("foo z *", (markup.line("foo z *")))
      assert.are.equal("f00 z z *", (markup.line("foo z z *")))
      assert.are.equal("f00 zz *", (markup.line("foo zz *")))
      markup.INLINE = {{"o", "0", "zz", 2}}       -- twice, not overlapping
      assert.are.equal("foo zzz *", (markup.line("foo zzz *")))
      assert.are.equal("f00 zzzz *", (markup.line("foo zzzz *")))
    end)
    markup.INLINE = saved
    assert(ok, err)
  end)

  it("gives the same text with its gates counted as with each gate once", function()
    local saved = markup.INLINE
    local once = {}
    for x, r in ipairs(saved) do once[x] = {r[1], r[2], r[3]} end
    local lines = {
      "", "_", "__", "___", "*", "**", "a_b", "IMG_2041.jpg by _Reuters_", "_a_", "x _a_ y",
      "file_name_2020.txt", "snake_case and _emphasis_", "*", "a * b", "a * b * c",
      "*one* and *two*", "2 * 3 = 6 and *x*", "**bold** _it_ *em*", "\\_not\\_", "_\\*_",
      "a\0_b_\0c", "\255_x_\254", "_\0_", "*\0*", "`code_x_`", "_a__b_",
      string.rep("a_", 500) .. "b", string.rep("*x", 300), "_" .. string.rep("é", 50) .. "_",
      "Article 9 -- generated from 004_1420.txt, 16 November 2023",
    }
    for _, t in ipairs(lines) do
      local got = {markup.line(t)}
      markup.INLINE = once
      local want = {markup.line(t)}
      markup.INLINE = saved
      assert.are.same(want, got, t)
    end
  end)
end)

describe("lode.clean vocabularies", function()
  local core = require("lode.core")
  -- the plain alternation the grouped pattern stands for
  local function plain(entries)
    local alts = {}
    for k, e in ipairs(entries) do alts[k] = "(?:" .. e .. ")" end
    return "(?<!\\p{L})(?:" .. table.concat(alts, "|") .. ")(?!\\p{L})"
  end
  it("match a line exactly when one of their entries does", function()
    local entries = {
      "subscribe", "sign ?up", "share(?:\\d|$| this)", "s+hout", "s{2}ss",
      "news|sport",                 -- a bar outside any group
      "n[]|x]ight", "n[^]|x]oon", "n\\|o", "n(?:a|b)c",
      "^reply$", "^related:?$", "^rx|ry", "^(?:about|contact)$",
      "©", "\\(c\\) ?\\d{4}", "Menu", "über", "", "t",
    }
    local grouped = core.regex(clean.vocab_pattern(entries), "i")
    local whole = core.regex(plain(entries), "i")
    local lines = {
      "Subscribe now", "SIGN UP", "signup today", "share", "Share this", "share2",
      "ssshout", "ssss", "sss", "news", "the sport", "nights", "n]ight", "n|ight",
      "n|oon", "nxoon", "n^oon", "n|o", "nac", "nbc", "ncc", "reply", "Reply now",
      "related:", "rx", "arx", "ry here", "about", "About us", "© 2024", "(c) 2024",
      "the menu", "Über alles", "t", "at", "a t", "résumé t", "", "a\0t",
      "photo: reuters", "subscribers", "unsubscribe",
    }
    for _, l in ipairs(lines) do
      assert.are.equal(whole:find(l) ~= nil, grouped:find(l) ~= nil, l)
    end
    assert.is_truthy(grouped:find("Sign up for it"))
    assert.is_falsy(grouped:find("designup"))
  end)
end)

-- Pages built from lines: the labels of each line.
local function labels_of(lines)
  local doc = assert(lode.from_string(table.concat(lines, "\n") .. "\n"))
  return clean(doc).labels
end

-- Three paragraphs of an article, in words of this spec.
local PROSE = {
  "The regional council voted on Tuesday to repair the old stone bridge over the river, " ..
    "which has been closed to lorries since the floods of last spring damaged two of its arches.",
  "",
  "Engineers from the capital will survey the foundations next month, and the work itself " ..
    "is expected to take most of the summer, according to the head of the council.",
  "",
  "Farmers on the eastern bank said they had lost customers while the detour added an hour " ..
    "to every trip to the market town, and they asked for the repairs to start sooner.",
}

local function page(head)
  local lines = {}
  for _, l in ipairs(head) do lines[#lines + 1] = l end
  lines[#lines + 1] = ""
  for _, l in ipairs(PROSE) do lines[#lines + 1] = l end
  return lines
end

describe("lode.clean on news page furniture", function()
  it("reads a flattened menu row as navigation, not as the headline", function()
    local L = labels_of(page{
      "Valley Gazette",
      "Local News  Politics  Farming  Weather  Letters",
      "",
      "Council votes to mend the old bridge",
      "By Petra Lindqvist",
    })
    assert.are.equal("nav", L[2])
    assert.are.equal("title", L[4])
    L = labels_of(page{"Home | Region | Sport | Culture", "", "Council votes to mend the old bridge"})
    assert.are.equal("nav", L[1])
    assert.are.equal("title", L[3])
    L = labels_of(page{"FOR IMMEDIATE RELEASE", "Accueil > Région > Transports", "",
      "Council votes to mend the old bridge"})
    assert.are.same({"nav", "nav", "title"}, {L[1], L[2], L[4]})
    -- widgets between the headline and its byline
    L = labels_of(page{"Council votes to mend the old bridge", "Listen to this article · 4 min",
      "Save article", "By Petra Lindqvist", "14 March 2024"})
    assert.are.same({"title", "promo", "promo", "byline", "byline"}, {L[1], L[2], L[3], L[4], L[5]})
  end)
end)

describe("lode.clean on dates and times standing alone", function()
  it("reads a timestamp (a zone, an ISO time, an update note) or a photo credit as a byline", function()
    for _, stamp in ipairs{"March 14, 2024 9:12 AM GMT+4 Updated 3 hours ago",
                           "2024-03-14T09:12Z", "14 March 2024, 09:12 GMT",
                           "Опубликовано: 14.03.2024 09:12", "Photography by Ruben Sarkis",
                           "Veröffentlicht am 14.03.2024, 09:12 Uhr", "1 254 views",
                           "14 March 2024 09:12 (UTC+04:00)", "15 апреля 2024, 12:40"} do
      local L = labels_of(page{"Council votes to mend the old bridge", "By Petra Lindqvist", stamp})
      assert.are.equal("title", L[1], stamp)
      assert.are.equal("byline", L[3], stamp)
    end
  end)

  it("keeps a live blog's entries and leaves their time stamps out", function()
    local lines = {"Live: the bridge vote, as it happened", "Published 14 March 2024, 09:12 GMT", ""}
    for _, t in ipairs{"13:40 GMT", "12:15 GMT", "10:02 GMT", "09:12 GMT"} do
      lines[#lines + 1] = t
      lines[#lines + 1] = "Councillors from both banks of the river spoke for and against the plan, " ..
        "and the chair said a vote would follow before the session closed at " .. t .. "."
      lines[#lines + 1] = "Share this post"
      lines[#lines + 1] = ""
    end
    local L = labels_of(lines)
    assert.are.equal("title", L[1])
    for k, l in ipairs(lines) do
      if l:find("^Councillors") then assert.are.equal("body", L[k], k) end
      if l:find("^%d%d:%d%d") then assert.are.equal("byline", L[k], k) end
    end
  end)

  it("counts the words of a page in Cyrillic and finds its headline", function()
    local L = labels_of{
      "Главная  Новости  Политика  Культура", "",
      "В городе открылась выставка старой книжной графики", "Автор: Ольга Смирнова", "",
      "В городской галерее в четверг открылась выставка рисунков и гравюр из частных " ..
        "коллекций, многие работы показывают впервые.", "",
      "Выставка продлится до конца мая, а по выходным для детей будут проводить " ..
        "бесплатные занятия в мастерской.",
    }
    assert.are.equal("nav", L[1])
    assert.are.equal("title", L[3])
    assert.are.equal("byline", L[4])
  end)
end)

describe("lode.clean on bylines without a cue and scraped titles", function()
  it("reads bare names as a byline and a contributor's line as a credit", function()
    for _, by in ipairs{"Petra Lindqvist | Ostrava", "Petra Lindqvist and Omar Haddad"} do
      local L = labels_of(page{"Council votes to mend the old bridge", by})
      assert.are.equal("title", L[1], by)
      assert.are.equal("byline", L[2], by)
    end
    local lines = page{"Council votes to mend the old bridge", "By Petra Lindqvist"}
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Copy link"
    lines[#lines + 1] = "Staff writer Omar Haddad in the market town contributed to this report."
    local L = labels_of(lines)
    assert.are.equal("body", L[#lines - 3])
    assert.are.equal("promo", L[#lines - 1])
    assert.are.equal("byline", L[#lines])
  end)

  it("takes a first line 'headline | Site' for the title when the header has none", function()
    local L = labels_of(page{"Council votes to mend the old bridge | Valley Gazette", "",
      "Valley Gazette", "Local News  Politics  Farming  Weather", "", "Petra Lindqvist | Ostrava"})
    assert.are.equal("title", L[1])
    assert.are.equal("byline", L[6])
    assert.are.same({"Council votes to mend the old bridge", "Valley Gazette"},
      {clean.title_site("Council votes to mend the old bridge | Valley Gazette")})
    assert.is_nil(clean.title_site("Ceasefire - what comes next"))
    -- a page with a headline of its own keeps the first line out
    L = labels_of(page{"Council votes to mend the old bridge - Valley Gazette", "Menu  Search  Subscribe",
      "", "Council votes to mend the old bridge", "By Petra Lindqvist"})
    assert.are.equal("title", L[4])
    assert.is_false(clean.BODY[L[1]] or false)
  end)
end)

describe("lode.clean on header layouts", function()
  it("reads a name over its date, its role or its city as a byline", function()
    for _, head in ipairs{
        {"Petra Lindqvist", "Posted 3 hours ago", "Mar 14, 2024"},
        {"Petra Lindqvist in Ostrava", "Thu 14 Mar 2024 09.12 GMT",
         "Last modified on Thu 14 Mar 2024 11.40 GMT"},
        {"Petra Lindqvist,", "Central Europe correspondent", "14.03.2024 [09:12]"}} do
      local lines = {"Council votes to mend the old bridge"}
      for _, l in ipairs(head) do lines[#lines + 1] = l end
      local L = labels_of(page(lines))
      assert.are.same({"title", "byline", "byline", "byline"}, {L[1], L[2], L[3], L[4]}, head[1])
    end
  end)

  it("keeps a photo's credit and caption out of the title, and a date signed by an account", function()
    local L = labels_of(page{"Why the old bridge matters", "", "14 March 2024", "Share", "",
      "Getty Images", "Lorries queue at the closed bridge"})
    assert.are.equal("title", L[1])
    assert.are.same({"byline", "caption", "caption"}, {L[3], L[6], L[7]})
    L = labels_of(page{"Council votes to mend the old bridge", "March 14, 2024 at 9:12 am by admin"})
    assert.are.same({"title", "byline"}, {L[1], L[2]})
  end)

  it("ends an opinion piece before its author's bio and disclaimer", function()
    local lines = page{"The bridge deserves better than a patch"}
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Petra Lindqvist is an economist based in Ostrava and a former adviser " ..
      "to the regional council."
    lines[#lines + 1] = ""
    lines[#lines + 1] = "The views expressed are the author's own."
    local L = labels_of(lines)
    assert.are.equal("body", L[#lines - 4])
    assert.are.equal("bio", L[#lines - 2])
    assert.is_false(clean.BODY[L[#lines]] or false)
    -- a bio that ends with the disclaimer stays a bio
    lines[#lines - 2] = lines[#lines - 2] .. " The views expressed are her own."
    lines[#lines] = "Share this article"
    L = labels_of(lines)
    assert.are.equal("bio", L[#lines - 2])
  end)
end)
