-- Specs for the HTML report and lode.chart: charts escape what they show,
-- every citation of the page links to a line the page shows and that line
-- holds the cited text, and the corpus report renders in a real browser
-- (Debian's chromium, headless): at least three charts, every link's
-- target present, a screenshot that is not blank, all in under 5 s, and
-- nothing wider than a 1024 px window.
local lode = require "lode"
local summary = require "lode.summary"
local report = require "lode.report"
local chart = require "lode.chart"
local run = require("shell").run

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local BIN = os.getenv("LODE_BIN")

local function count(s, pat) return select(2, s:gsub(pat, "")) end

local function unescape(s)
  return (s:gsub("&(#?%w+);", {lt = "<", gt = ">", amp = "&", quot = '"', ["#39"] = "'"}))
end

-- Tags of an SVG or HTML string that open and close in step.
local function balanced(s, tags)
  for _, tag in ipairs(tags) do
    assert.are.equal(count(s, "<" .. tag .. "[ >]"), count(s, "</" .. tag .. ">"), tag)
  end
end

-- The summary of `paths` and, per document, its lines (as summarize.lua
-- collects them for the page).
local function summarize(paths)
  local docs, lines = {}, {}
  for d in lode.corpus(paths) do
    docs[#docs + 1] = d
    local t = {}
    for line in d:lines() do t[#t + 1] = line end
    lines[#lines + 1] = t
  end
  return summary.corpus(docs), lines, docs
end

describe("lode.chart", function()
  local nasty = 'A<b> & "C" \'d\''
  local escaped = "A&lt;b&gt; &amp; &quot;C&quot; &#39;d&#39;"

  it("escapes every label, title and link, and balances its tags", function()
    local svgs = {
      chart.timeline({{t0 = 2020.5, t1 = 2020.5, lane = 1, label = nasty, href = "#d1-L2"},
                      {t0 = 1918, t1 = 1920, lane = 2, label = "range"}},
                     {nasty, "other"}, {title = nasty}),
      chart.matrix({{text = nasty, href = '#x"y'}, {text = "B"}},
                   function(a, b) return a + b end, {title = nasty}),
      chart.bars({{title = nasty, bars = {{label = nasty, value = 2.5, note = nasty}}}}, {title = nasty}),
    }
    for _, svg in ipairs(svgs) do
      assert.is_truthy(svg:find("^<svg viewBox=\"0 0 %d+ %d+\""))
      assert.is_truthy(svg:find(escaped, 1, true))
      assert.is_nil(svg:find(nasty, 1, true))
      assert.is_nil(svg:find("<b>", 1, true))
      balanced(svg, {"svg", "a", "title", "text"})
      assert.are.equal(count(svg, "<title>"), count(svg, "</title>"))
    end
    assert.is_truthy(svgs[1]:find('<a href="#d1-L2">', 1, true))
    assert.is_truthy(svgs[2]:find('href="#x&quot;y"', 1, true))
  end)

  it("places dates on the axis in order and draws a range as a line", function()
    local svg = chart.timeline({{t0 = 2001, t1 = 2001, lane = 1, label = "a"},
                                {t0 = 2011, t1 = 2011, lane = 1, label = "b"},
                                {t0 = 2003, t1 = 2009, lane = 2, label = "c"}}, {"x", "y"})
    local xs = {}
    for cx in svg:gmatch('<circle cx="([%d.]+)"') do xs[#xs + 1] = tonumber(cx) end
    assert.are.equal(3, #xs)
    assert.is_true(xs[1] < xs[3] and xs[3] < xs[2])
    local x1, x2 = svg:match('<line x1="([%d.]+)" y1="[%d.]+" x2="([%d.]+)" y2="[%d.]+" ' ..
                             'stroke="#%x+" stroke%-width="3"')
    assert.are.equal(xs[3], tonumber(x1))
    assert.is_true(tonumber(x2) > tonumber(x1) and tonumber(x2) < xs[2])
    -- ticks read as years
    assert.is_truthy(svg:find(">2004</text>", 1, true))
  end)

  it("adds a detail panel when a few old dates squeeze the rest", function()
    local points = {{t0 = 1918, t1 = 1918, lane = 1, label = "old"}}
    for k = 1, 9 do points[#points + 1] = {t0 = 2020 + k / 4, t1 = 2020 + k / 4, lane = 1, label = "new"} end
    local svg = chart.timeline(points, {"x"})
    assert.is_truthy(svg:find("Detail from 2020", 1, true))
    assert.are.equal(10 + 8, count(svg, "<circle"))     -- the latest 8 again in the detail
    assert.is_nil(chart.timeline({points[2], points[3]}, {"x"}):find("Detail", 1, true))
  end)

  it("shades matrix cells by value and prints each value", function()
    local svg = chart.matrix({{text = "A"}, {text = "B"}}, function(a, b) return a == b and 4 or 1 end)
    assert.are.equal(4, count(svg, "<rect"))
    assert.are.equal(2, count(svg, 'fill%-opacity="0%.85"'))
    assert.are.equal(2, count(svg, 'fill%-opacity="0%.21"'))
    assert.are.equal(2, count(svg, ">4</text>"))
  end)

  it("scales bars to the largest value", function()
    local svg = chart.bars({{title = "o", bars = {{label = "a", value = 4}, {label = "b", value = 2}}}})
    local w = {}
    for x in svg:gmatch('<rect x="%d+" y="%d+" width="([%d.]+)"') do w[#w + 1] = tonumber(x) end
    assert.are.equal(2, #w)
    assert.is_true(math.abs(w[1] - 2 * w[2]) < 0.2)
  end)

  it("says so when there is nothing to draw", function()
    for _, svg in ipairs{chart.timeline({}, {}), chart.matrix({}, nil), chart.bars({})} do
      assert.is_truthy(svg:find("Nothing to show.", 1, true))
    end
  end)
end)

describe("the HTML report's citations", function()
  -- every href="#..." names an id of the page
  local function check_links(html)
    local ids, n = {}, 0
    for id in html:gmatch(' id="([^"]+)"') do
      assert.is_nil(ids[id], "id given twice: " .. id)
      ids[id] = true
    end
    for target in html:gmatch('href="#([^"]+)"') do
      assert.is_true(ids[unescape(target)] ~= nil, "no element with id " .. target)
      n = n + 1
    end
    return n, ids
  end

  -- The page's line `id` as text.
  local function line_of(html, id)
    local _, at = html:find('<li id="' .. id .. '">', 1, true)
    return at and unescape(html:match("^(.-)</li>", at + 1))
  end

  it("link every citation to a shown line that holds the cited text", function()
    local s, lines = summarize(SRC .. "/corpus")
    local html = report.html(s, {lines = lines})
    local n = check_links(html)
    assert.is_true(n > 300, n .. " links")
    local checked = 0
    for k, e in ipairs(s.timeline) do
      local d = 0
      for i, doc in ipairs(s.documents) do if doc.doc == e.doc then d = i end end
      local id = string.format("d%d-L%d", d, e.line)
      assert.is_truthy(html:find('href="#' .. id .. '"', 1, true), "timeline " .. k)
      assert.is_truthy(line_of(html, id):find(e.text, 1, true), id .. " holds " .. e.text)
      checked = checked + 1
    end
    for _, sp in ipairs(s.quotes) do
      for _, q in ipairs(sp.quotes) do
        local d = 0
        for i, doc in ipairs(s.documents) do if doc.doc == q.doc then d = i end end
        local first = q.text:match("^[^\n]*")
        assert.is_truthy(line_of(html, string.format("d%d-L%d", d, q.line)):find(first, 1, true))
        checked = checked + 1
      end
    end
    assert.is_true(checked > 100)
    -- every line of every document is shown, each once
    for d, t in ipairs(lines) do
      assert.are.equal(#t, count(html, '<li id="d' .. d .. '%-L%d+">'))
    end
    assert.are.equal(3, count(html, "<svg "))
    -- full quotes are in the page, not only in a title attribute
    local long = s.quotes[1].quotes[1].text
    assert.is_truthy(html:find("<td>" .. require("lode.out").html_escape(long) .. "</td>", 1, true))
  end)

  it("escapes nasty titles and links lines of an HTML page and an empty document", function()
    local s, lines = summarize{SRC .. "/tests/fixtures/summary", SRC .. "/tests/fixtures/formats/page.html"}
    local html = report.html(s, {lines = lines, title = 'Report <of> "A & B"'})
    check_links(html)
    assert.is_truthy(html:find("<title>Report &lt;of&gt; &quot;A &amp; B&quot;</title>", 1, true))
    assert.is_nil(html:find("<script", 1, true))
    assert.is_truthy(html:find("&lt;script&gt;alert(&quot;x&quot;)", 1, true))
    balanced(html, {"svg", "a", "details", "ol", "li", "table", "section", "text", "title"})
    -- the HTML page's dates are on the lines of its text the page shows
    local page_dates = 0
    for _, e in ipairs(s.timeline) do
      if e.doc:match("page%.html$") then
        local id = string.format("d%d-L%d", #s.documents, e.line)
        assert.is_truthy(html:find('href="#' .. id .. '"', 1, true))
        assert.is_truthy(line_of(html, id):find(e.text, 1, true), id .. " holds " .. e.text)
        page_dates = page_dates + 1
      end
    end
    assert.is_true(page_dates > 0)
    -- the empty document has a section without lines
    assert.is_truthy(html:find('<details id="d1"><summary>summary/empty/empty.txt (0 lines)</summary>', 1, true))
  end)

  it("shows no dead link when the page does not show the documents", function()
    local s = summarize(SRC .. "/tests/fixtures/summary")
    local html = report.html(s)
    check_links(html)
    assert.is_nil(html:find('href="#d%d'))
    assert.is_nil(html:find('id="sources"', 1, true))
  end)
end)

-- The browser, without the sanitizer runtime the ASan build's specs preload
-- (Chromium does not start under it).
local CHROMIUM = "env -u LD_PRELOAD chromium --headless --no-sandbox --disable-gpu --hide-scrollbars"

describe("the corpus report in headless Chromium", function()
  it("renders three charts, working line links and a non-blank screenshot in under 5 s, " ..
     "readable at 1024 px", function()
    assert(BIN, "LODE_BIN must name the built lode binary")
    local _, _, found = run("command -v chromium")
    assert(found == 0, "chromium not found: the browser test needs Debian's chromium " ..
                       "(.ci/install-deps --test installs it)")
    local base = os.tmpname()
    local page, shot, profile = base .. ".html", base .. ".png", base .. ".profile"
    -- one browser run gives the DOM (stdout) and the screenshot; bash's
    -- `time` reports the wall-clock and CPU seconds of report and browser
    local cmd = "TIMEFORMAT=\"%R %U %S\"; time { " .. BIN .. " run " .. SRC .. "/scripts/summarize.lua " ..
      "--format html -o " .. page .. " " .. SRC .. "/corpus && " ..
      CHROMIUM .. " --no-first-run " ..
      "--disable-extensions --disable-background-networking --disable-sync " ..
      "--user-data-dir=" .. profile .. " --window-size=1024,1400 --screenshot=" .. shot ..
      " --dump-dom file://" .. page .. " 2>/dev/null; }"
    local dom, err, code = run("bash -c '" .. cmd .. "'")
    assert.are.equal(0, code, err)
    local wall, user, sys = err:match("([%d.]+) ([%d.]+) ([%d.]+)%s*$")
    local cpu
    wall, cpu = tonumber(wall), tonumber(user) + tonumber(sys)
    -- a machine busy with other jobs (load above twice its cores) stretches
    -- the wall clock, not the work: then only the CPU time must be < 5 s
    local load = tonumber(io.open("/proc/loadavg"):read("n"))
    local cores = tonumber(io.popen("nproc"):read("l"))
    io.stderr:write(string.format("[time] summarize --format html + chromium dump-dom and screenshot: " ..
                                  "%.2f s (%.2f s CPU, load %.1f on %d cores)\n", wall, cpu, load, cores))
    assert.is_true(cpu < 5, "took " .. cpu .. " s of CPU")
    assert.is_true(wall < (load <= 2 * cores and 5 or 15), "took " .. wall .. " s")

    -- the browser's DOM: three charts with marks, every link's target there
    assert.is_true(count(dom, "<svg ") >= 3, "charts in the DOM")
    assert.is_true(count(dom, "<circle ") > 10 and count(dom, "<rect ") > 20)
    local ids = {}
    for id in dom:gmatch(' id="([^"]+)"') do ids[id] = true end
    local links = 0
    for target in dom:gmatch('href="#([^"]+)"') do
      assert.is_true(ids[target] ~= nil, "link to a missing id: " .. target)
      links = links + 1
    end
    assert.is_true(links > 300, links .. " links")
    assert.is_true(ids["d1-L1"] and ids["d5-L1"] ~= nil)

    -- the screenshot: a real PNG, and not one colour
    local colours, perr, pcode = run("python3 " .. SRC .. "/tests/lua/png_colours.py " .. shot)
    assert.are.equal(0, pcode, perr)
    assert.is_true(tonumber(colours) > 10, "colours in the screenshot: " .. colours)

    -- read at 1024 px: nothing reaches past the window (a script measures
    -- a copy of the page; the report itself has none)
    local f = assert(io.open(page, "rb"))
    local html = f:read("a")
    f:close()
    local js = assert(io.open(SRC .. "/tests/lua/page_width.js", "rb"))
    local measured = html:gsub("</body>", function() return "<script>" .. js:read("a") .. "</script></body>" end)
    js:close()
    f = assert(io.open(page, "wb"))
    f:write(measured)
    f:close()
    dom = run(CHROMIUM .. " --user-data-dir=" ..
              profile .. " --window-size=1024,900 --dump-dom file://" .. page .. " 2>/dev/null")
    local width, window, over = dom:match('data%-width="(%d+) (%d+) ([^"]*)"')
    assert.are.equal("1024", window)
    assert.are.equal("", over, "reaching past 1024 px: " .. tostring(over))
    assert.are.equal("1024", width)

    os.remove(page)
    os.remove(shot)
    os.remove(base)
    run("rm -rf " .. profile)
  end)
end)
