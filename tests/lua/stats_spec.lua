-- Specs for lode.stats: each statistic on a small constructed corpus whose
-- answer is worked out by hand in the comments, then nasty input.
local lode = require "lode"
local stats = require "lode.stats"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local PAGE = {page = true}

local function doc(s, name) return lode.from_string(s, {name = name or "x"}) end
local function near(expected, got, what)
  assert.is_true(type(got) == "number" and math.abs(expected - got) < 1e-9,
    (what or "") .. ": expected " .. expected .. ", got " .. tostring(got))
end
local function row(rows, item)
  for _, r in ipairs(rows) do if r.item == item then return r end end
end

describe("lode.stats tokens", function()
  it("folds case, typography and compatibility forms, keeps stop words", function()
    local d = doc("The CAFÉ’s ﬁne café. Ceasefire-talks, the end")
    assert.are.same({"the", "café", "fine", "café", "ceasefire-talks", "the", "end"},
                    stats.tokens(d, PAGE))
  end)

  it("reads non-Latin scripts", function()
    local d = doc("Мир и война. МИР! Խաղաղություն")
    local counts, n = stats.counts(d, PAGE)
    assert.are.equal(5, n)
    assert.are.equal(2, counts["мир"])
    assert.are.equal(1, counts["խաղաղություն"])
  end)

  it("counts the article body by default and the whole page with page = true", function()
    local d = assert(lode.load(SRC .. "/tests/fixtures/stats/page.txt"))
    local body, nb = stats.counts(d)
    local page, np = stats.counts(d, PAGE)
    -- the menu, the comments and the related links are page, not body
    assert.is_nil(body.subscribe)
    assert.are.equal(2, page.subscribe)
    assert.is_nil(body.mira)
    assert.are.equal(1, page.mira)
    assert.is_true(nb < np)
    -- "valley" is in the body twice and once more in a comment
    assert.are.equal(2, body.valley)
    assert.are.equal(3, page.valley)
    -- every statistic takes the same option
    assert.are.equal(2, row(stats.frequencies(d), "valley").freq)
    assert.are.equal(3, row(stats.frequencies(d, PAGE), "valley").freq)
    assert.are.equal(2, stats.dispersion(d, "valley").freq)
    assert.are.equal(3, stats.dispersion(d, "valley", PAGE).freq)
  end)
end)

describe("lode.stats.frequencies and ngrams", function()
  -- A: the cat sat on the mat (6 tokens); B: the dog sat (3); N = 9
  local A, B = doc("The cat sat on the mat.", "a"), doc("The dog sat.", "b")

  it("counts words, their range over documents and a rate per million", function()
    local rows, n = stats.frequencies({A, B}, PAGE)
    assert.are.equal(9, n)
    -- the: 2 in A + 1 in B = 3, in 2 documents; 3 / 9 * 1e6 per million
    assert.are.same({item = "the", freq = 3, range = 2, per_million = 3e6 / 9}, rows[1])
    -- sat: once in each; ties are in item order after the more frequent
    assert.are.same({"the", "sat", "cat", "dog", "mat", "on"},
      (function() local t = {} for k, r in ipairs(rows) do t[k] = r.item end return t end)())
    assert.are.equal(2, row(rows, "sat").range)
    -- min drops the rarer ones
    assert.are.equal(2, #stats.frequencies({A, B}, {page = true, min = 2}))
  end)

  it("forms n-grams within a document only, with a minimum frequency", function()
    -- bigrams: A the cat, cat sat, sat on, on the, the mat; B the dog, dog sat
    local rows = stats.ngrams({A, B}, 2, {page = true, min = 1})
    assert.are.equal(7, #rows)
    assert.is_nil(row(rows, "mat the"))          -- would cross from A into B
    assert.are.equal(1, row(rows, "the cat").freq)
    -- default min is 2: no bigram occurs twice
    assert.are.same({}, stats.ngrams({A, B}, 2, PAGE))
    -- trigram "peace talks began" twice, over two documents
    local C = doc("Peace talks began; peace talks began again.", "c")
    local tri = stats.ngrams({C, doc("peace talks began", "d")}, 3, PAGE)
    assert.are.same({item = "peace talks began", freq = 3, range = 2,
                     per_million = 3e6 / 10}, tri[1])
  end)

  it("takes a corpus iterator as well as an array", function()
    local docs = {}
    for d in lode.corpus(SRC .. "/corpus") do docs[#docs + 1] = d end
    local a, na = stats.counts(docs)
    local b, nb = stats.counts(lode.corpus(SRC .. "/corpus"))
    assert.is_true(na > 1000)
    assert.are.equal(na, nb)
    assert.are.same(a, b)
  end)

  it("takes n larger than any document and refuses n < 1", function()
    assert.are.same({}, stats.ngrams({A, B}, 1000, {page = true, min = 1}))
    assert.has_error(function() stats.ngrams({A}, 0) end)
    assert.has_error(function() stats.ngrams({A}, 1.5) end)
    assert.has_error(function() stats.frequencies("corpus") end)
  end)
end)

describe("lode.stats.collocates", function()
  -- tokens: peace(1) talks(2) began(3) peace(4) talks(5) stalled(6) war(7)
  -- talks(8) began(9); N = 9. Node "talks" at 2, 5, 8, window 1 left, 1
  -- right: (peace, began) (peace, stalled) (war, began), R = 6 positions.
  local D = doc("Peace talks began. Peace talks stalled. War talks began.")

  it("computes MI, t-score, logDice and G2 by the documented formulas", function()
    local rows, info = stats.collocates(D, "Talks", {page = true, left = 1, right = 1})
    assert.are.same({node = "talks", freq = 3, tokens = 9, window = 6}, info)
    -- stalled and war co-occur once: below the default min of 2
    assert.are.equal(2, #rows)
    -- began and peace tie on every measure: item order
    assert.are.equal("began", rows[1].item)
    local p = rows[2]
    assert.are.equal("peace", p.item)
    -- peace: O = 2, f(c) = 2, E = R f(c) / N = 6 * 2 / 9 = 4/3
    assert.are.equal(2, p.o)
    near(4 / 3, p.e, "E")
    -- MI = log2(2 / (4/3)) = log2(1.5) = 0.5849625
    near(0.5849625007211562, p.mi, "MI")
    -- t = (2 - 4/3) / sqrt(2) = 0.4714045
    near(0.4714045207910316, p.t, "t")
    -- logDice = 14 + log2(2 * 2 / (3 + 2)) = 14 + log2(0.8) = 13.6780719
    near(13.678071905112638, p.logdice, "logDice")
    -- table O11 = 2, O12 = 6 - 2 = 4, O21 = 2 - 2 = 0, O22 = 9 - 6 - 2 + 2 = 3;
    -- rows 6, 3; columns 2, 7; E = 4/3, 14/3, 2/3, 7/3;
    -- G2 = 2 (2 ln 1.5 + 4 ln(6/7) + 0 + 3 ln(9/7)) = 1.8965416
    near(1.8965415635000278, p.g2, "G2")
  end)

  it("applies the minimum frequencies and cuts windows at a document's edge", function()
    local rows = stats.collocates(D, "talks", {page = true, left = 1, right = 1, min = 1, min_freq = 1})
    assert.are.equal(4, #rows)
    assert.are.equal(1, row(rows, "war").o)
    -- talks(1) about(2) peace(3) and(4) talks(5), window 2 + 2: the first
    -- talks sees 2-3, the last 3-4, so R = 2 + 2 = 4, not 2 * 4 = 8
    local got, info = stats.collocates(doc("talks about peace and talks"), "talks",
                                       {page = true, left = 2, right = 2, min = 1, min_freq = 1})
    assert.are.equal(4, info.window)
    assert.are.equal(2, row(got, "peace").o)
    assert.is_nil(row(got, "talks"))
  end)

  it("sorts by the measure asked for and rejects unknown ones", function()
    local rows = stats.collocates(D, "talks", {page = true, left = 1, right = 1, min = 1,
                                               min_freq = 1, by = "mi"})
    for k = 2, #rows do assert.is_true(rows[k - 1].mi >= rows[k].mi) end
    assert.has_error(function() stats.collocates(D, "talks", {by = "dice"}) end)
    assert.has_error(function() stats.collocates(D, "peace talks") end)
    assert.has_error(function() stats.collocates(D, "...") end)
  end)

  it("gives nothing for an absent node, an empty or one-word document", function()
    assert.are.same({}, stats.collocates(D, "truce", PAGE))
    assert.are.same({}, stats.collocates(doc(""), "truce", PAGE))
    assert.are.same({}, stats.collocates(doc("talks"), "talks", {page = true, min = 0, min_freq = 0}))
  end)
end)

describe("lode.stats.keywords", function()
  -- target: ceasefire x4, talks x5, truce x1 (c = 10 tokens);
  -- reference: ceasefire x2, talks x18 (d = 20 tokens)
  local T = doc(("ceasefire "):rep(4) .. ("talks "):rep(5) .. "truce", "t")
  local R = doc(("ceasefire "):rep(2) .. ("talks "):rep(18), "r")

  it("computes G2, log ratio and %DIFF", function()
    local rows, info = stats.keywords(T, {R}, {page = true, g2 = 0, min = 1})
    assert.are.same({tokens = 10, ref_tokens = 20}, info)
    -- ceasefire: a = 4, b = 2; E1 = 10 * 6 / 30 = 2, E2 = 20 * 6 / 30 = 4;
    -- G2 = 2 (4 ln(4/2) + 2 ln(2/4)) = 4 ln 2 = 2.7725887
    local c = rows[1]
    assert.are.equal("ceasefire", c.item)
    near(4 * math.log(2), c.g2, "G2")
    -- log2((4/10) / (2/20)) = log2(4) = 2; %DIFF = 100 (0.4 - 0.1) / 0.1 = 300
    near(2, c.log_ratio, "log ratio")
    near(300, c.pct_diff, "%DIFF")
    assert.are.equal("+", c.sign)
    -- truce: a = 1, b = 0; E1 = 10 * 1 / 30; G2 = 2 (1 ln 3) = 2.1972246;
    -- log ratio with b taken as 0.5: log2((1/10) / (0.5/20)) = 2; no %DIFF
    local t = rows[2]
    assert.are.equal("truce", t.item)
    near(2 * math.log(3), t.g2, "G2 truce")
    near(2, t.log_ratio, "log ratio truce")
    assert.is_nil(t.pct_diff)
    -- talks is under-used (0.5 vs 0.9): left out unless negative
    assert.is_nil(row(rows, "talks"))
  end)

  it("keeps the significant ones by default and reports under-use on request", function()
    -- default G2 >= 3.84 and frequency >= 2: none of these pass
    assert.are.same({}, (stats.keywords(T, {R}, PAGE)))
    local rows = stats.keywords(T, {R}, {page = true, g2 = 0, negative = true})
    local t = rows[#rows]
    assert.are.equal("talks", t.item)
    assert.are.equal("-", t.sign)
    -- E1 = 10 * 23 / 30, E2 = 20 * 23 / 30;
    -- G2 = 2 (5 ln(5 / 7.667) + 18 ln(18 / 15.333)) = 1.4978953
    near(1.4978952544370578, t.g2, "G2 talks")
    -- log2(0.5 / 0.9) = -0.8479969; %DIFF = 100 (0.5 - 0.9) / 0.9 = -44.44
    near(-0.84799690655495, t.log_ratio, "log ratio talks")
    near(-400 / 9, t.pct_diff, "%DIFF talks")
  end)

  it("takes a reference frequency list as well as documents", function()
    local from_docs = stats.keywords(T, {R}, {page = true, g2 = 0, min = 1, negative = true})
    local from_list = stats.keywords(T, {counts = {ceasefire = 2, talks = 18}},
                                     {page = true, g2 = 0, min = 1, negative = true})
    assert.are.same(from_docs, from_list)
  end)

  it("gives nothing for an empty target or reference", function()
    assert.are.same({}, (stats.keywords(doc(""), {R}, PAGE)))
    assert.are.same({}, (stats.keywords(T, {}, PAGE)))
  end)
end)

describe("lode.stats.dispersion", function()
  -- A: 10 tokens, peace x2; B: 10 tokens, peace x1; C: 20 tokens, peace x1
  local filler = "the council met on monday "
  local A = doc("peace peace " .. filler .. "and adjourned late", "a")
  local B = doc("peace " .. filler .. "and adjourned very late", "b")
  local C = doc("peace " .. filler:rep(3) .. "and adjourned very late", "c")

  it("computes range, DP, DP norm and Juilland's D", function()
    local d = stats.dispersion({A, B, C}, "Peace", PAGE)
    assert.are.equal(4, d.freq)
    assert.are.equal(3, d.range)
    assert.are.equal(3, d.parts)
    assert.are.same({name = "a", freq = 2, tokens = 10}, d.per_part[1])
    assert.are.equal(20, d.per_part[3].tokens)
    -- shares s = .25 .25 .5; v/f = .5 .25 .25; DP = (.25 + 0 + .25) / 2 = .25
    near(0.25, d.dp, "DP")
    -- DP norm = .25 / (1 - .25) = 1/3
    near(1 / 3, d.dp_norm, "DP norm")
    -- rates .2 .1 .05, mean .11667, population sd .062361, V = .534522;
    -- D = 1 - V / sqrt(2) = .6220355
    near(0.6220355269907727, d.juilland_d, "D")
  end)

  it("groups documents into parts and counts phrases", function()
    local d = stats.dispersion({A, B, C}, "peace", {page = true,
      part = function(x) return x.name == "c" and "late" or "early" end})
    assert.are.equal(2, d.parts)
    -- early: 20 tokens, 3 hits; late: 20 tokens, 1 hit
    -- DP = (|.75 - .5| + |.25 - .5|) / 2 = .25
    near(0.25, d.dp, "DP parts")
    -- "council met" once in A and B, three times in C
    assert.are.equal(5, stats.dispersion({A, B, C}, "council met", PAGE).freq)
  end)

  it("leaves undefined measures out", function()
    local none = stats.dispersion({A, B}, "war", PAGE)
    assert.are.equal(0, none.freq)
    assert.are.equal(0, none.range)
    assert.is_nil(none.dp)
    local one = stats.dispersion(A, "peace", PAGE)
    near(0, one.dp, "DP one part")
    assert.is_nil(one.dp_norm)
    assert.is_nil(one.juilland_d)
    assert.has_error(function() stats.dispersion(A, "", PAGE) end)
    assert.are.equal(0, stats.dispersion(doc(""), "peace", PAGE).freq)
  end)
end)

describe("lode.stats on nasty input", function()
  it("handles empty documents, NUL bytes, bad UTF-8 and a huge line", function()
    local rows, n = stats.frequencies(doc(""), PAGE)
    assert.are.same({}, rows)
    assert.are.equal(0, n)
    -- a text with a NUL byte is no Doc; the statistics say so, not crash
    local nul, msg = lode.from_string("a\0b")
    assert.is_nil(nul)
    assert.matches("NUL byte", msg)
    assert.has_error(function() stats.tokens(nul, PAGE) end, "lode.stats: expected a Doc, got nil")
    assert.has_error(function() stats.frequencies({doc("a"), false}, PAGE) end,
                     "lode.stats: expected a Doc, got boolean")
    local bad = lode.from_string("caf\xe9 x", {invalid = "replace"})
    assert.are.same({"caf", "x"}, stats.tokens(bad, PAGE))
    local huge = doc(("war and peace "):rep(50000))
    local tri = stats.ngrams(huge, 3, PAGE)
    -- 150000 tokens give 149998 trigrams of 3 kinds
    assert.are.equal(3, #tri)
    assert.are.equal(50000, row(tri, "war and peace").freq)
    assert.are.equal(49999, row(tri, "peace war and").freq)
  end)

  it("counts the body of a one-line text as the text itself", function()
    local d = doc("Ceasefire")
    assert.are.same({"ceasefire"}, stats.tokens(d))
  end)
end)

describe("scripts/kwic.lua", function()
  local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
  local FIX = SRC .. "/tests/fixtures/stats/page.txt"
  local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
  -- stdout, stderr and exit code of the script with these arguments
  local function kwic(args)
    return require("shell").run(BIN .. " run " .. q(SRC .. "/scripts/kwic.lua") .. " " .. args)
  end
  local function lines(s)
    local t = {}
    for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
    return t
  end
  local function line_numbers(s)
    local t = {}
    for _, l in ipairs(lines(s)) do t[#t + 1] = tonumber(l:match("^[^:]*page%.txt:(%d+)")) end
    return t
  end

  it("searches the body by default and the page with --page", function()
    -- "valley": lines 8 and 14 of the article, and a reader's comment (22)
    local out, _, code = kwic("valley " .. q(FIX))
    assert.are.equal(0, code)
    assert.are.same({8, 14}, line_numbers(out))
    assert.matches("upper %[valley%] reopened", out)
    assert.are.same({8, 14, 22}, line_numbers((kwic("--page valley " .. q(FIX)))))
    -- the contexts are the article's too: the byline is page, not body
    local title = kwic("--width 60 floods " .. q(FIX))
    assert.matches("^[^:]*page%.txt:4 .-%[floods%] Three villages", title)
    assert.is_nil(title:find("Keller", 1, true))
    assert.matches("%[floods%] By Anna Keller", (kwic("--page --width 60 floods " .. q(FIX))))
  end)

  it("matches whole words unless --partial, a fixed phrase with -F", function()
    -- school (line 10) alone; with --partial also schools at lines 4, 8, 14
    assert.are.same({10}, line_numbers((kwic("school " .. q(FIX)))))
    assert.are.same({4, 8, 10, 14}, line_numbers((kwic("--partial school " .. q(FIX)))))
    -- a regex dot is any character, a fixed one only a dot
    assert.are.same({14}, line_numbers((kwic(q("supply.of.food") .. " " .. q(FIX)))))
    assert.are.same({}, line_numbers((kwic("-F " .. q("supply.of.food") .. " " .. q(FIX)))))
    assert.are.same({14}, line_numbers((kwic("-F " .. q("supply of food") .. " " .. q(FIX)))))
  end)

  it("finds every spelling of a gazetteer entry with --entry", function()
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "wb"))
    f:write("Trains to Nakhichevan resumed on Monday.\n"
            .. "Officials in Nakhchivan welcomed them, and Naxçıvan radio reported it.\n")
    f:close()
    for _, name in ipairs{"Nakhchivan", "nakhichevan"} do     -- the entry or an alias
      local out, err, code = kwic("--page --width 10 --entry " .. name .. " " .. q(tmp))
      assert.are.equal(0, code, err)
      local found = {}
      for l in out:gmatch("[^\n]+") do
        local line, hit = l:match(":(%d+) .-%[(.-)%]")
        found[#found + 1] = line .. " " .. hit
      end
      assert.are.same({"1 Nakhichevan", "2 Nakhchivan", "2 Naxçıvan"}, found)
    end
    local _, err, code = kwic("--entry Atlantis " .. q(tmp))
    os.remove(tmp)
    assert.are.equal(2, code)
    assert.matches("no gazetteer entry 'Atlantis'", err)
  end)

  it("sorts by the left or the right context, nearest word first", function()
    -- schools: line 4 "reopen their _ after", 8 "reopened their _ on",
    -- 14 "and the _ keep". Left, L1 then L2: the (14), their reopen (4),
    -- their reopened (8). Right: after (4), keep (14), on (8).
    assert.are.same({14, 4, 8}, line_numbers((kwic("--sort left schools " .. q(FIX)))))
    assert.are.same({4, 14, 8}, line_numbers((kwic("--sort right schools " .. q(FIX)))))
  end)

  it("writes CSV and JSON that cite the file's bytes", function()
    local out = kwic("--format csv --width 10 valley " .. q(FIX))
    local l = lines(out)
    assert.are.equal("doc,line,start,end,left,match,right\r", l[1])
    assert.are.equal(3, #l)
    local text = assert(io.open(FIX, "rb")):read("a")
    for rec in (kwic("--format json valley " .. q(FIX))):gmatch("[^\n]+") do
      local r = require("cjson").decode(rec)
      assert.are.equal("kwic", r.kind)
      assert.are.equal("valley", text:sub(r.span[1] + 1, r.span[2]))
    end
    -- context cut at --width characters, on non-Latin text too
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "wb"))
    f:write("Мир и война.\nМИР мира мир!\n")
    f:close()
    local ru = lines((kwic("--page --width 3 мир " .. q(tmp))))
    os.remove(tmp)
    assert.are.equal(3, #ru)                       -- not "мира"
    assert.matches(":2  ра %[мир%]! $", ru[3])
  end)

  it("shows every hit of the 30 most frequent body words of the corpus", function()
    local docs = {}
    for d in lode.corpus(SRC .. "/corpus") do docs[#docs + 1] = d end
    local rows = stats.frequencies(docs)
    local top = {}
    for k = 1, 30 do top[k] = rows[k].item end
    for _, width in ipairs{10, 120} do
      local out, err, code = kwic("--width " .. width .. " " .. q(table.concat(top, "|"))
                                  .. " " .. q(SRC .. "/corpus"))
      assert.are.equal(0, code, err)
      local n = 0
      for l in out:gmatch("[^\n]+") do
        n = n + 1
        -- doc:line, two spaces, exactly `width` characters, then the hit
        local rest = assert(l:match("^[^:]+:%d+  (.*)$"), l)
        assert.is_truthy(utf8.len(rest), l)
        local at = utf8.offset(rest, width + 1)
        assert.are.equal("[", rest:sub(at, at), l)
      end
      -- at least one hit per occurrence of the most frequent word
      assert.is_true(n >= rows[1].freq)
    end
  end)

  it("exits 1 for a missing path, an unreadable file or no document", function()
    local _, err, code = kwic("valley /nonexistent/path " .. q(FIX))
    assert.are.equal(1, code)
    assert.matches("/nonexistent/path", err)
    local bad = os.tmpname()
    local f = assert(io.open(bad, "wb"))
    f:write("caf\xe9 valley\n")
    f:close()
    _, err, code = kwic("valley " .. q(bad))
    os.remove(bad)
    assert.are.equal(1, code)
    assert.matches("byte 3", err)
    local empty = os.tmpname()
    local out
    out, _, code = kwic("valley " .. q(empty))      -- an empty document: no hit
    os.remove(empty)
    assert.are.equal(0, code)
    assert.are.equal("", out)
  end)

  it("exits 2 for bad usage and 0 for --help", function()
    local out, _, code = kwic("--help")
    assert.are.equal(0, code)
    assert.matches("usage:", out)
    local err
    out, err, code = kwic(q("pe(ace") .. " " .. q(FIX))
    assert.are.equal(2, code)
    assert.matches('invalid regex "pe%(ace"', err)
    assert.are.equal("", out)
    for _, args in ipairs{"", "valley", "--sort middle valley " .. q(FIX),
                          "--width -1 valley " .. q(FIX), "--format xml valley " .. q(FIX),
                          "--bogus valley " .. q(FIX)} do
      out, err, code = kwic(args)
      assert.are.equal(2, code, args)
      assert.are.equal("", out)
      assert.matches("^kwic: ", err)
    end
  end)
end)

describe("scripts/stats.lua", function()
  local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
  local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
  local function run(args)
    local p = io.popen(BIN .. " run " .. q(SRC .. "/scripts/stats.lua") .. " " .. args
                       .. " 2>/dev/null </dev/null")
    local s = p:read("a")
    local _, _, code = p:close()
    return s, code
  end
  -- a folder of small documents, removed after the specs
  local dir = io.popen("mktemp -d"):read("l")
  local function write(name, text)
    local f = assert(io.open(dir .. "/" .. name, "wb"))
    f:write(text)
    f:close()
    return q(dir .. "/" .. name)
  end
  local filler = "the council met on monday "
  local A = write("a.txt", "peace peace " .. filler .. "and adjourned late\n")
  local B = write("b.txt", "peace " .. filler .. "and adjourned very late\n")
  local C = write("c.txt", "peace " .. filler:rep(3) .. "and adjourned very late\n")
  local T = write("talks.txt", "Peace talks began. Peace talks stalled. War talks began.\n")
  teardown(function() os.execute("rm -rf " .. q(dir)) end)

  it("lists frequencies of the body, or of the page with --page", function()
    local page = SRC .. "/tests/fixtures/stats/page.txt"
    local body = run("freq --format csv --top 0 " .. q(page))
    assert.is_nil(body:find("\nsubscribe,", 1, true))
    assert.matches("\nvalley,2,1,", body)
    local all = run("freq --page --format csv --top 0 " .. q(page))
    assert.matches("\nsubscribe,2,1,", all)
    assert.matches("\nvalley,3,1,", all)
    -- the three documents, 40 tokens: each filler word x5 (5 / 40 = 125000
    -- per million), peace x4 (100000), ties in item order
    local out, code = run("freq --page --format csv --top 6 " .. A .. " " .. B .. " " .. C)
    assert.are.equal(0, code)
    assert.are.equal("item,freq,range,per_million\r\ncouncil,5,3,125000\r\nmet,5,3,125000\r\n"
      .. "monday,5,3,125000\r\non,5,3,125000\r\nthe,5,3,125000\r\npeace,4,3,100000\r\n", out)
  end)

  it("writes collocates and dispersion with the library's figures", function()
    local out = run("collocates talks --left 1 --right 1 --page --format json " .. T)
    local recs = {}
    for l in out:gmatch("[^\n]+") do recs[#recs + 1] = require("cjson").decode(l) end
    assert.are.equal(2, #recs)
    assert.are.equal("peace", recs[2].item)
    near(1.8965415635000278, recs[2].g2, "G2")
    local md = run("dispersion peace --page " .. A .. " " .. B .. " " .. C)
    assert.matches("| peace | 4 | 3 | 3 | 0.250 | 0.333 | 0.622 |", md, 1, true)
  end)

  it("takes every path after --ref as the reference", function()
    -- the keywords corpus of lode.stats.keywords, its reference in two files
    local target = write("t.txt", ("ceasefire "):rep(4) .. ("talks "):rep(5) .. "truce\n")
    local r1 = write("r1.txt", ("ceasefire "):rep(2) .. ("talks "):rep(8) .. "\n")
    local r2 = write("r2.txt", ("talks "):rep(10) .. "\n")
    local out = run("keywords --page --min 1 --g2 0 --format csv " .. target .. " --ref " .. r1 .. " " .. r2)
    local l = {}
    for x in out:gmatch("[^\r\n]+") do l[#l + 1] = x end
    assert.are.equal(3, #l)
    -- ceasefire: G2 = 4 ln 2, log ratio 2, %DIFF 300; truce: G2 = 2 ln 3
    local g2 = assert(tonumber(l[2]:match("^ceasefire,4,2,([^,]+),2,300,%+$")), l[2])
    near(4 * math.log(2), g2, "G2")
    assert.matches("^truce,1,0,", l[3])
    -- the default threshold (3.84) keeps neither
    assert.are.equal("item,freq,ref_freq,g2,log_ratio,pct_diff,sign\r\n",
                     (run("keywords --page --format csv " .. target .. " --ref " .. r1 .. " " .. r2)))
  end)

  it("exits 1 for a missing path and 2 for bad usage", function()
    local _, code = run("freq /nonexistent/path")
    assert.are.equal(1, code)
    _, code = run("freq /nonexistent/path " .. A)
    assert.are.equal(1, code)
    for _, args in ipairs{"", "freq", "bogus " .. A, "ngrams 0 " .. A, "ngrams " .. A,
                          "keywords " .. A, "keywords " .. A .. " --ref", "keywords --g2 x " .. A .. " --ref " .. B,
                          "collocates " .. q("peace talks") .. " " .. A,
                          "freq --top x " .. A, "dispersion peace --by week " .. A,
                          "freq --format xml " .. A} do
      _, code = run(args)
      assert.are.equal(2, code, args)
    end
    local help
    help, code = run("--help")
    assert.are.equal(0, code)
    assert.matches("usage:", help)
  end)
end)
