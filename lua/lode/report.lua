--- lode.report: a corpus summary (lode.summary.corpus) as tables, and the
-- tables as Markdown, JSON, CSV or one self-contained HTML page. Every
-- format renders the same rows, so every format shows the same numbers.
--
-- report.tables(s [, opts]) -> {table, ...}   the one model:
--   table = {name, title, note, columns = {{key, head}, ...}, rows,
--            total = a row shown last or nil, more = rows left out or nil}
--   a row maps column keys to plain values (strings, numbers) and, in at
--   most one column of a table (the one with cite = true), a citation
--   {doc = name, line = n, i = first byte, j = last byte}; a citation
--   without line names a whole document.
-- report.markdown(s [, opts]) -> string   what `make run` prints
-- report.json(s [, opts])     -> string   {"title", "lead", "glance",
--                                         "tables": [{"name", "title",
--                                         "columns", "rows", "total", "more"}]};
--                                         a row's citation as the records
--                                         write it: "doc", "span": [i - 1, j],
--                                         "line"
-- report.csv(s, name [, opts]) -> string  one table (RFC 4180, CRLF); the
--                                         citation as doc, line, span_start,
--                                         span_end
-- report.html(s [, opts])     -> string   one page, inline CSS and SVG
--                                         charts (lode.chart), no script, no
--                                         external asset, every text escaped
-- opts.top: actors per kind (default M.TOP). HTML only: opts.title, and
-- opts.lines, per document of s.documents (same order) its lines: the page
-- then shows each document, a line an anchor (id "d3-L42"), and every
-- citation links to its line.

local out = require "lode.out"
local chart = require "lode.chart"
local cjson = require "cjson"

local ipairs, pairs, type, tostring, table, string, math, select, error, tonumber =
  ipairs, pairs, type, tostring, table, string, math, select, error, tonumber
local concat, sort, format, gsub = table.concat, table.sort, string.format, string.gsub

local M = {}
M.TOP = 15
M.MATRIX = 10          -- actors in the "who appears with whom" matrix
M.TABLES = {"documents", "sizes", "words", "actors", "timeline", "quotes", "variants",
            "outlets", "distinctive"}
local KIND_TITLE = {person = "People", org = "Organisations", place = "Places"}
local ACTOR_KINDS = {"person", "org", "place"}

-- A write-only buffer with the file-handle :write that lode.out expects.
local function buffer()
  local parts = {}
  return {
    write = function(self, ...)
      for k = 1, select("#", ...) do parts[#parts + 1] = select(k, ...) end
      return self
    end,
    text = function() return concat(parts) end,
  }
end

local function thousands(n)
  local s = tostring(math.floor(n))
  local r
  repeat s, r = gsub(s, "^(%d+)(%d%d%d)", "%1,%2") until r == 0
  return s
end

local function top_words(top)
  local parts = {}
  for k, wc in ipairs(top or {}) do parts[k] = format("%s (%d)", wc[1], wc[2]) end
  return concat(parts, ", ")
end

local function roles_text(roles, n)
  local parts = {}
  for k, r in ipairs(roles or {}) do
    if k > n then break end
    parts[k] = r.count > 1 and format("%s (%d)", r.role, r.count) or r.role
  end
  return concat(parts, "; ")
end

local function forms_text(forms)
  local parts = {}
  for k, f in ipairs(forms) do parts[k] = format("%s %d", f.form, f.count) end
  return concat(parts, ", ")
end

local function cite(c)
  return {doc = c.doc, line = c.line, i = c.i, j = c.j}
end

-- ========================================================= the summary ===

local FACT_ORDER = {"date", "quantity", "quote", "person", "org", "place"}
local FACT_NAME = {date = {"date", "dates"}, quantity = {"quantity", "quantities"},
  quote = {"quote", "quotes"}, person = {"person mention", "person mentions"},
  org = {"organisation mention", "organisation mentions"},
  place = {"place mention", "place mentions"}}

local function fact_totals(s)
  local t, n = {}, 0
  for _, d in ipairs(s.documents) do
    for k, c in pairs(d.facts or {}) do t[k] = (t[k] or 0) + c; n = n + c end
  end
  return t, n
end

--- The line under the title: sizes and facts of the corpus.
function M.lead(s)
  local t = s.totals
  local ft, n = fact_totals(s)
  local parts, seen = {}, {}
  for _, k in ipairs(FACT_ORDER) do
    if ft[k] then
      parts[#parts + 1] = format("%d %s", ft[k], FACT_NAME[k][ft[k] == 1 and 1 or 2])
      seen[k] = true
    end
  end
  local rest = {}
  for k in pairs(ft) do if not seen[k] then rest[#rest + 1] = k end end
  sort(rest)
  for _, k in ipairs(rest) do parts[#parts + 1] = format("%d %s", ft[k], k) end
  return format("%d document%s, %s bytes, %s words (%s in article bodies). %d facts extracted%s.",
    t.documents, t.documents == 1 and "" or "s", thousands(t.bytes), thousands(t.words),
    thousands(t.body_words or 0), n, #parts > 0 and (": " .. concat(parts, ", ")) or "")
end

--- A few lines saying what the corpus is about: outlets, the span of
-- dates, the most mentioned actors, the most quoted speakers, its words.
function M.glance(s)
  local lines = {}
  if s.totals.documents == 0 then return lines end
  local sites, seen, unnamed = {}, {}, 0
  for _, d in ipairs(s.documents) do     -- framing may group by another column
    if not d.site then unnamed = unnamed + 1
    elseif not seen[d.site] then seen[d.site] = true; sites[#sites + 1] = d.site end
  end
  local o = #sites > 0 and concat(sites, ", ") or "none stated"
  if unnamed > 0 then
    o = o .. format(" (%d document%s without a stated site)", unnamed, unnamed == 1 and "" or "s")
  end
  lines[#lines + 1] = "Outlets: " .. o
  local tl = s.timeline
  if #tl > 0 then
    lines[#lines + 1] = format("Dates: %d, from %s to %s", #tl, tl[1].value, tl[#tl].value)
  end
  for _, kind in ipairs(ACTOR_KINDS) do
    local parts = {}
    for k, a in ipairs(s.actors[kind] or {}) do
      if k > 3 then break end
      parts[k] = format("%s (%d)", a.name, a.mentions)
    end
    if #parts > 0 then
      lines[#lines + 1] = format("Most mentioned %s: %s", KIND_TITLE[kind]:lower(), concat(parts, ", "))
    end
  end
  local q = {}
  for _, sp in ipairs(s.quotes) do
    if sp.speaker and #q < 3 then q[#q + 1] = format("%s (%d)", sp.speaker, sp.count) end
  end
  if #q > 0 then lines[#lines + 1] = "Most quoted: " .. concat(q, ", ") end
  lines[#lines + 1] = "Frequent content words of the article bodies, corpus: " ..
                      top_words(s.totals.body_top)
  return lines
end

-- ============================================================ the model ===

local function documents_table(s)
  local rows = {}
  for _, d in ipairs(s.documents) do
    rows[#rows + 1] = {document = {doc = d.doc}, outlet = d.outlet, title = d.title,
                       published = d.published, authors = concat(d.authors or {}, "; ")}
  end
  return {name = "documents", title = "Documents", rows = rows,
    columns = {{"document", cite = true}, {"outlet"}, {"title"}, {"published"}, {"authors"}}}
end

local SIZES = {"bytes", "lines", "paragraphs", "sentences", "words", "body_words"}

local function sizes_table(s)
  local rows = {}
  for _, d in ipairs(s.documents) do
    local r = {document = {doc = d.doc}, facts = 0}
    for _, k in ipairs(SIZES) do r[k] = d[k] or 0 end
    for _, c in pairs(d.facts or {}) do r.facts = r.facts + c end
    rows[#rows + 1] = r
  end
  local t = s.totals
  local total = {document = format("TOTAL (%d documents)", t.documents), facts = select(2, fact_totals(s))}
  for _, k in ipairs(SIZES) do total[k] = t[k] or 0 end
  return {name = "sizes", title = "Sizes", rows = rows, total = total,
    note = "Sizes of the whole file; body_words: words of the article body the cleaner finds.",
    columns = {{"document", cite = true}, {"bytes"}, {"lines"}, {"paragraphs"}, {"sentences"},
               {"words"}, {"body_words", "words in body"}, {"facts"}}}
end

local function words_table(s)
  local rows = {}
  for _, d in ipairs(s.documents) do
    rows[#rows + 1] = {document = {doc = d.doc}, words = top_words(d.body_top)}
  end
  return {name = "words", title = "Frequent content words (article bodies)", rows = rows,
    total = {document = "corpus", words = top_words(s.totals.body_top)},
    columns = {{"document", cite = true}, {"words", "frequent content words"}}}
end

local function actors_table(s, top)
  local rows, more = {}, 0
  for _, kind in ipairs(ACTOR_KINDS) do
    for k, a in ipairs(s.actors[kind] or {}) do
      if k > top then more = more + 1 else
        rows[#rows + 1] = {kind = kind, name = a.name, acronym = a.acronym, mentions = a.mentions,
          documents = a.documents, roles = roles_text(a.roles, 3), first = cite(a.first)}
      end
    end
  end
  return {name = "actors", title = "Actors", rows = rows, more = more > 0 and more or nil,
    note = format("People, organisations and places, the %d most mentioned of each kind; " ..
                  "roles as the texts state them.", top),
    columns = {{"kind"}, {"name"}, {"acronym"}, {"mentions"}, {"documents", "docs"},
               {"roles", "roles stated"}, {"first", "first mention", cite = true}}}
end

local function timeline_table(s)
  local rows = {}
  for _, e in ipairs(s.timeline) do
    rows[#rows + 1] = {value = e.value, text = e.text, precision = e.precision,
                       cited = cite(e), sentence = e.sentence}
  end
  return {name = "timeline", title = format("Timeline (%d dates)", #rows), rows = rows,
    columns = {{"value", "date"}, {"text", "as written"}, {"precision"},
               {"cited", "where", cite = true}, {"sentence"}}}
end

local function quotes_table(s)
  local rows = {}
  for _, sp in ipairs(s.quotes) do
    for _, q in ipairs(sp.quotes) do
      rows[#rows + 1] = {speaker = sp.speaker or "(not stated)", role = sp.role,
                         text = q.text, cue = q.cue, cited = cite(q)}
    end
  end
  return {name = "quotes", title = format("Quotes by speaker (%d quotes)", #rows), rows = rows,
    note = "Most quoted speakers first; quotes without a stated speaker last.",
    columns = {{"speaker"}, {"role"}, {"text", "quote"}, {"cue"}, {"cited", "where", cite = true}}}
end

local function variants_table(s)
  local columns, rows = {{"name"}, {"kind"}}, {}
  for _, o in ipairs(s.framing.outlets) do columns[#columns + 1] = {o.outlet} end
  for _, g in ipairs(s.framing.variants) do
    if #g.forms > 1 then
      local r = {name = g.group, kind = g.kind}
      for _, o in ipairs(g.outlets) do r[o.outlet] = forms_text(o.forms) end
      rows[#rows + 1] = r
    end
  end
  return {name = "variants", title = "Names and spellings", rows = rows, columns = columns,
    note = "Places and terms the gazetteer knows under several names, as each outlet writes them."}
end

-- The column framing groups by: "outlet" unless the summary says another.
local function group_column(s) return {"outlet", s.framing.group or "outlet"} end

local function outlets_table(s)
  local rows = {}
  for _, o in ipairs(s.framing.outlets) do
    rows[#rows + 1] = {outlet = o.outlet, documents = concat(o.documents, "; "), words = o.words}
  end
  return {name = "outlets", title = "Framing by " .. (s.framing.group or "outlet"), rows = rows,
    columns = {group_column(s), {"documents"}, {"words", "content words"}}}
end

local function distinctive_table(s)
  local rows = {}
  for _, o in ipairs(s.framing.outlets) do
    for _, w in ipairs(o.distinctive) do
      rows[#rows + 1] = {outlet = o.outlet, word = w.word, z = w.z, count = w.count}
    end
  end
  return {name = "distinctive", title = "Distinctive words", rows = rows,
    note = "Words each outlet uses more than the rest of the corpus: log-odds ratio with an " ..
           "informative Dirichlet prior (Monroe et al. 2008), ranked by z-score.",
    columns = {group_column(s), {"word"}, {"z"}, {"count"}}}
end

--- The tables of summary `s` (see the header), in M.TABLES order.
function M.tables(s, opts)
  local top = (opts and opts.top) or M.TOP
  return {documents_table(s), sizes_table(s), words_table(s), actors_table(s, top),
          timeline_table(s), quotes_table(s), variants_table(s), outlets_table(s),
          distinctive_table(s)}
end

-- The citation column's key of table t, or nil.
local function cite_key(t)
  for _, c in ipairs(t.columns) do if c.cite then return c[1] end end
end

-- Rows with the citation turned into a cell by `as(citation)`.
local function with_cells(t, as)
  local key = cite_key(t)
  if not key then return t.rows, t.total end
  local function conv(r)
    if not r or type(r[key]) ~= "table" then return r end
    local c = {}
    for k, v in pairs(r) do c[k] = v end
    c[key] = as(r[key])
    return c
  end
  local rows = {}
  for k, r in ipairs(t.rows) do rows[k] = conv(r) end
  return rows, conv(t.total)
end

local function where(c)
  return c.line and format("%s:%d", c.doc, c.line) or c.doc
end

-- ============================================================== Markdown ===

--- The summary as Markdown (see the module header).
function M.markdown(s, opts)
  local b = buffer()
  local n = s.totals.documents
  b:write(format("# Corpus summary: %d document%s\n\n", n, n == 1 and "" or "s"))
  b:write(M.lead(s), "\nEvery fact cites `document:line`; `--format json` adds byte spans.\n\n")
  if n == 0 then
    b:write("No documents.\n")
    return b:text()
  end
  for _, line in ipairs(M.glance(s)) do b:write("- ", out.markdown_cell(line), "\n") end
  b:write("\n")
  for _, t in ipairs(M.tables(s, opts)) do
    b:write("## ", t.title, "\n\n")
    if t.note then b:write(t.note, "\n\n") end
    local rows, total = with_cells(t, function(c) return {text = where(c)} end)
    if #rows == 0 then b:write("None found.\n\n") else
      if total then rows[#rows + 1] = total end
      out.markdown(rows, t.columns, b)
      if t.more then b:write(format("\n… and %d more (`--top N` shows more).\n", t.more)) end
      b:write("\n")
    end
  end
  return b:text()
end

-- ================================================================== JSON ===

-- A row as the records write it: the citation's doc, span and line.
local function json_row(t, r)
  local key = cite_key(t)
  local c = key and r[key]
  if type(c) ~= "table" then return out.encode(r) end
  local o = {}
  for k, v in pairs(r) do if k ~= key then o[k] = v end end
  o.doc, o.line = c.doc, c.line
  if c.i then o.span = {c.i - 1, c.j} end
  return out.encode(o)
end

local function json_string(v)
  return (gsub(cjson.encode(v), "\\/", "/"))
end

local function json_array(items)
  return "[" .. concat(items, ",") .. "]"
end

--- The summary as one JSON object (see the module header).
function M.json(s, opts)
  local tables = {}
  for _, t in ipairs(M.tables(s, opts)) do
    local cols, rows = {}, {}
    for k, c in ipairs(t.columns) do cols[k] = json_string(c[1]) end
    for k, r in ipairs(t.rows) do rows[k] = json_row(t, r) end
    local members = {'"name":' .. json_string(t.name), '"title":' .. json_string(t.title),
                     '"columns":' .. json_array(cols), '"rows":' .. json_array(rows)}
    if t.total then members[#members + 1] = '"total":' .. json_row(t, t.total) end
    if t.more then members[#members + 1] = '"more":' .. t.more end
    tables[#tables + 1] = "{" .. concat(members, ",") .. "}"
  end
  local glance = {}
  for k, line in ipairs(M.glance(s)) do glance[k] = json_string(line) end
  return "{" .. concat({'"documents":' .. s.totals.documents, '"lead":' .. json_string(M.lead(s)),
    '"glance":' .. json_array(glance), '"tables":' .. json_array(tables)}, ",") .. "}"
end

-- =================================================================== CSV ===

--- One table of the summary as CSV (name: one of M.TABLES).
function M.csv(s, name, opts)
  local t
  for _, x in ipairs(M.tables(s, opts)) do if x.name == (name or "documents") then t = x end end
  if not t then error("unknown CSV table '" .. tostring(name) .. "' (one of: " ..
                      concat(M.TABLES, ", ") .. ")", 2) end
  local key, columns = cite_key(t), {}
  for _, c in ipairs(t.columns) do
    if c[1] == key then
      for _, k in ipairs{"doc", "line", "span_start", "span_end"} do columns[#columns + 1] = k end
    else
      columns[#columns + 1] = c[1]
    end
  end
  local rows = {}
  for k, r in ipairs(t.rows) do
    local c = key and r[key]
    if type(c) == "table" then
      local x = {}
      for f, v in pairs(r) do x[f] = v end
      x.doc, x.line = c.doc, c.line
      if c.i then x.span_start, x.span_end = c.i - 1, c.j end
      r = x
    end
    rows[k] = r
  end
  local b = buffer()
  out.csv(rows, columns, b)
  return b:text()
end

-- ================================================================== HTML ===

local esc = out.html_escape

local CSS = [[
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:80rem;
padding:1rem 1.5rem;color:#222;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
nav a{margin-right:1rem}p.lead{color:#555}.muted{color:#777}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
th,td{overflow-wrap:anywhere}th{background:#f4f4f4;min-width:6em}
td.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}
tr:nth-child(even) td{background:#fafafa}tfoot td{font-weight:600}
figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem}
svg{display:block;width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#333}
svg a:hover circle,svg a:hover rect{stroke:#000;stroke-width:1.5}
details{margin:.4rem 0}summary{cursor:pointer}
ol.src{font:12px/1.4 ui-monospace,monospace;padding-left:4.5em;white-space:pre-wrap;
overflow-wrap:anywhere}
ol.src li:target{background:#fff3b0}
]]

-- Where citations link: "#d3-L42" for a line of the third document, "#d3"
-- for the document, nil when the page does not show it.
local function linker(s, lines)
  local index = {}
  for k, d in ipairs(s.documents) do
    if lines and lines[k] then index[d.doc] = k end
  end
  return function(c)
    local k = c and index[c.doc]
    if not k then return nil end
    if c.line and c.line >= 1 and c.line <= #lines[k] then return format("#d%d-L%d", k, c.line) end
    return format("#d%d", k)
  end
end

-- Decimal year of an ISO value ("2021-11-16", "2021-11", "2021", ranges
-- "2021/2023": their start and end), nil for what is not a date.
local function years(value)
  local a, b = value:match("^([^/]+)/(.+)$")
  local function one(v, last)
    local y, m, d = v:match("^(%-?%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)$")
    if not y then return nil end
    y, m, d = tonumber(y), tonumber(m), tonumber(d)
    if not m then return y + (last and 1 or 0.5) end
    if not d then return y + (m - (last and 0 or 0.5)) / 12 end
    return y + (m - 1) / 12 + (d - 0.5) / 365
  end
  if a then return one(a), one(b, true) end
  local t = one(value)
  return t, t
end

local function timeline_chart(s, link, title)
  local lanes, lane_of = {}, {}
  for _, o in ipairs(s.framing.outlets) do
    lanes[#lanes + 1] = o.outlet
    lane_of[o.outlet] = #lanes
  end
  local outlet_of = {}
  for _, d in ipairs(s.documents) do outlet_of[d.doc] = d.group end
  local points = {}
  for _, e in ipairs(s.timeline) do
    local t0, t1 = years(e.value)
    if t0 then
      points[#points + 1] = {t0 = t0, t1 = t1, lane = lane_of[outlet_of[e.doc]] or 1,
        label = format("%s: %s (%s)", e.value, e.text, where(e)), href = link(e)}
    end
  end
  return chart.timeline(points, lanes, {title = title})
end

local function matrix_chart(s, link, title)
  local top = {}
  for _, kind in ipairs{"person", "org"} do
    for _, a in ipairs(s.actors[kind] or {}) do top[#top + 1] = a end
  end
  sort(top, function(x, y)
    if x.mentions ~= y.mentions then return x.mentions > y.mentions end
    return x.name < y.name
  end)
  for k = #top, M.MATRIX + 1, -1 do top[k] = nil end
  local labels, docs = {}, {}
  for k, a in ipairs(top) do
    labels[k] = {text = a.name, href = link(a.first)}
    docs[k] = {}
    for _, d in ipairs(a.in_documents or {}) do docs[k][d] = true end
  end
  local function shared(x, y)
    local n = 0
    for d in pairs(docs[x]) do if docs[y][d] then n = n + 1 end end
    return n
  end
  return chart.matrix(labels, shared, {title = title})
end

local function keyword_chart(s, _, title)
  local groups = {}
  for _, o in ipairs(s.framing.outlets) do
    local bars = {}
    for k, w in ipairs(o.distinctive) do
      bars[k] = {label = w.word, value = w.z, note = format("z %.2f, %d times", w.z, w.count)}
    end
    groups[#groups + 1] = {title = o.outlet, bars = bars}
  end
  return chart.bars(groups, {title = title})
end

-- The charts at the top of the page, each drawn from the summary behind
-- one table: {table name, caption, chart}.
local CHARTS = {
  {"timeline", "Dated facts over time, by outlet", timeline_chart},
  {"actors", "Who appears with whom: the most mentioned people and organisations, " ..
             "and how many documents name both", matrix_chart},
  {"distinctive", "Words each outlet uses more than the others (z-score)", keyword_chart},
}

local function write_charts(b, s, tables, link)
  local shown = {}
  for _, t in ipairs(tables) do shown[t.name] = #t.rows > 0 end
  b:write('<section id="charts">\n<h2>Charts</h2>\n')
  for _, c in ipairs(CHARTS) do
    if shown[c[1]] then
      b:write("<figure>", c[3](s, link, c[2]), "<figcaption>", esc(c[2]), ' (<a href="#', c[1],
              '">the table</a>)</figcaption></figure>\n')
    end
  end
  b:write("</section>\n")
end

-- Each shown document, a collapsible section with a line an anchor.
local function write_sources(b, s, lines)
  b:write('<section id="sources">\n<h2>The documents</h2>\n',
          '<p class="muted">Every citation links to its line here.</p>\n')
  for k, d in ipairs(s.documents) do
    if lines[k] then
      b:write(format('<details id="d%d"><summary>', k), esc(d.doc),
              format(" (%d lines)</summary>\n<ol class=\"src\">", #lines[k]))
      for n, line in ipairs(lines[k]) do
        b:write(format('<li id="d%d-L%d">', k, n), esc(line), "</li>")
      end
      b:write("</ol>\n</details>\n")
    end
  end
  b:write("</section>\n")
end

--- The summary as one self-contained HTML page (see the module header).
function M.html(s, opts)
  opts = opts or {}
  local title = opts.title or "lode corpus summary"
  local lines = opts.lines
  local link = linker(s, lines)
  local b = buffer()
  b:write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
          "<title>", esc(title), "</title>\n<style>\n", CSS, "</style>\n</head>\n<body>\n")
  b:write("<h1>", esc(title), "</h1>\n<p class=\"lead\">", esc(M.lead(s)),
          " Citations read document:line.</p>\n")
  local glance = M.glance(s)
  if #glance > 0 then
    b:write("<ul>\n")
    for _, line in ipairs(glance) do b:write("<li>", esc(line), "</li>\n") end
    b:write("</ul>\n")
  end
  local tables = M.tables(s, opts)
  b:write('<nav><a href="#charts">Charts</a>')
  for _, t in ipairs(tables) do b:write('<a href="#', t.name, '">', esc(t.title), "</a>") end
  if lines then b:write('<a href="#sources">The documents</a>') end
  b:write("</nav>\n")
  if s.totals.documents > 0 then write_charts(b, s, tables, link) end
  for _, t in ipairs(tables) do
    b:write('<section id="', t.name, '">\n<h2>', esc(t.title), "</h2>\n")
    if t.note then b:write("<p>", esc(t.note), "</p>\n") end
    local rows, total = with_cells(t, function(c) return {text = where(c), href = link(c)} end)
    if #rows == 0 then b:write('<p class="muted">None found.</p>\n')
    else out.html(rows, t.columns, b, total) end
    if t.more then b:write('<p class="muted">', format("… and %d more.", t.more), "</p>\n") end
    b:write("</section>\n")
  end
  if lines then write_sources(b, s, lines) end
  b:write("</body>\n</html>\n")
  return b:text()
end

return M
