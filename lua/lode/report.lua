--- lode.report: a corpus summary (lode.summary.corpus) as Markdown, JSON,
-- CSV tables or one self-contained HTML page.
--
-- report.markdown(s [, opts]) -> string   what `make run` prints
-- report.json(s)              -> string   one JSON object, keys in a fixed
--                                         order; citations as "doc",
--                                         "line", "span": [i - 1, j]
-- report.csv(s, name)         -> string   one table (RFC 4180, CRLF), name
--                                         one of report.TABLES
-- report.html(s [, opts])     -> string   one page, inline CSS, no external
--                                         assets, every text HTML-escaped
-- opts.top: entries per ranked list in Markdown and HTML (actors per kind;
-- the word lists are cut by lode.summary.TOP when summarizing).
-- Citations read "document:line" in Markdown, HTML and CSV; CSV and JSON
-- also carry the byte span (0-based, end-exclusive, like the records).

local out = require "lode.out"
local cjson = require "cjson"

local ipairs, pairs, type, tostring, table, string, math, next, select, error =
  ipairs, pairs, type, tostring, table, string, math, next, select, error
local concat, sort, format, gsub = table.concat, table.sort, string.format, string.gsub

local M = {}
M.TOP = 15
M.TABLES = {"documents", "actors", "timeline", "quotes", "variants", "distinctive"}
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
    if k > (n or 3) then break end
    parts[k] = r.count > 1 and format("%s (%d)", r.role, r.count) or r.role
  end
  return concat(parts, "; ")
end

local function forms_text(forms)
  local parts = {}
  for k, f in ipairs(forms) do parts[k] = format("%s %d", f.form, f.count) end
  return concat(parts, ", ")
end

-- The "names and spellings" table: a column per outlet, a row per name the
-- corpus writes more than one way (header, rows).
local function variant_table(framing)
  local head, rows = {"name"}, {}
  for _, o in ipairs(framing.outlets) do head[#head + 1] = o.outlet end
  for _, g in ipairs(framing.variants) do
    if #g.forms > 1 then
      local by = {}
      for _, o in ipairs(g.outlets) do by[o.outlet] = forms_text(o.forms) end
      local r = {g.group}
      for _, o in ipairs(framing.outlets) do r[#r + 1] = by[o.outlet] or "—" end
      rows[#rows + 1] = r
    end
  end
  return head, rows
end

local function where(c)
  if not c or not c.doc then return "" end
  return format("%s:%d", c.doc, c.line or 0)
end

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

local function fact_line(s)
  local t, n = fact_totals(s)
  local parts, seen = {}, {}
  for _, k in ipairs(FACT_ORDER) do
    if t[k] then
      parts[#parts + 1] = format("%d %s", t[k], FACT_NAME[k][t[k] == 1 and 1 or 2])
      seen[k] = true
    end
  end
  local rest = {}
  for k in pairs(t) do if not seen[k] then rest[#rest + 1] = k end end
  sort(rest)
  for _, k in ipairs(rest) do parts[#parts + 1] = format("%d %s", t[k], k) end
  return n, concat(parts, ", ")
end

--- A few lines saying what the corpus is about: outlets, the span of
-- dates, the most mentioned actors, the most quoted speakers.
function M.glance(s)
  local lines = {}
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
  return lines
end

-- ============================================================== Markdown ===

local function md(v)
  if v == nil or v == cjson.null then return "" end
  v = tostring(v)
  v = gsub(v, "[\r\n]+", " ")
  -- intraword "_" never makes emphasis in CommonMark: file names stay clean
  v = gsub(v, "([|\\<>`*%[%]])", "\\%1")
  return v
end

local function md_table(buf, head, rows, align)
  local sep = {}
  for k in ipairs(head) do sep[k] = (align and align[k] == "r") and "---:" or "---" end
  local hs = {}
  for k, h in ipairs(head) do hs[k] = md(h) end
  buf:write("| ", concat(hs, " | "), " |\n| ", concat(sep, " | "), " |\n")
  for _, r in ipairs(rows) do
    local cells = {}
    for k = 1, #head do cells[k] = md(r[k]) end
    buf:write("| ", concat(cells, " | "), " |\n")
  end
  buf:write("\n")
end

local function size_row(name, x)
  return format("| %-28s | %8d | %6d | %5d | %6d | %7d | %7d |", md(name), x.bytes, x.lines,
    x.paragraphs, x.sentences, x.words, x.body_words or 0)
end

--- The summary as Markdown (see the module header).
function M.markdown(s, opts)
  local top = (opts and opts.top) or M.TOP
  local b = buffer()
  local t = s.totals
  b:write(format("# Corpus summary: %d document%s\n\n", t.documents, t.documents == 1 and "" or "s"))
  local nfacts, facts = fact_line(s)
  b:write(format("%s bytes, %s words (%s in article bodies). %d facts extracted%s.\n",
    thousands(t.bytes), thousands(t.words), thousands(t.body_words or 0), nfacts,
    facts ~= "" and (": " .. facts) or ""))
  b:write("Every fact cites `document:line`; `--format json` adds byte spans.\n\n")
  if t.documents == 0 then
    b:write("No documents.\n")
    return b:text()
  end
  for _, line in ipairs(M.glance(s)) do b:write("- ", md(line), "\n") end
  b:write("\n")

  b:write("## Documents\n\n")
  local rows = {}
  for _, d in ipairs(s.documents) do
    rows[#rows + 1] = {d.doc, d.outlet, d.title or "", d.published or "",
                       concat(d.authors or {}, ", ")}
  end
  md_table(b, {"document", "outlet", "title", "published", "authors"}, rows)

  b:write("### Sizes\n\n")
  b:write("| document                     |    bytes |  lines | paras | sents. |   words | in body |\n")
  b:write("|------------------------------|---------:|-------:|------:|-------:|--------:|--------:|\n")
  for _, d in ipairs(s.documents) do b:write(size_row(d.doc, d), "\n") end
  b:write(size_row(format("TOTAL (%d documents)", t.documents), t), "\n\n")

  b:write("### Frequent content words (article bodies)\n\n")
  for _, d in ipairs(s.documents) do
    local w = top_words(d.body_top)
    b:write(format("- %s: %s\n", md(d.doc), w ~= "" and md(w) or "—"))
  end
  b:write(format("- corpus: %s\n\n", md(top_words(t.body_top))))

  b:write("## Actors\n\n")
  for _, kind in ipairs(ACTOR_KINDS) do
    local list = s.actors[kind] or {}
    b:write(format("### %s (%d)\n\n", KIND_TITLE[kind], #list))
    if #list == 0 then
      b:write("None found.\n\n")
    else
      rows = {}
      for k, a in ipairs(list) do
        if k > top then break end
        local name = a.acronym and format("%s (%s)", a.name, a.acronym) or a.name
        rows[#rows + 1] = {name, a.mentions, a.documents, roles_text(a.roles), where(a.first)}
      end
      md_table(b, {"name", "mentions", "docs", "roles stated", "first mention"}, rows,
               {nil, "r", "r"})
      if #list > top then b:write(format("… and %d more (`--top N` shows more).\n\n", #list - top)) end
    end
  end

  b:write(format("## Timeline (%d dates)\n\n", #s.timeline))
  if #s.timeline == 0 then b:write("No dates found.\n\n") else
    rows = {}
    for _, e in ipairs(s.timeline) do
      rows[#rows + 1] = {e.value, e.text, where(e), e.sentence}
    end
    md_table(b, {"date", "as written", "where", "sentence"}, rows)
  end

  local nq = 0
  for _, sp in ipairs(s.quotes) do nq = nq + sp.count end
  b:write(format("## Quotes by speaker (%d quotes)\n\n", nq))
  if nq == 0 then b:write("No quotes found.\n\n") end
  for _, sp in ipairs(s.quotes) do
    local who = sp.speaker or "Speaker not stated"
    if sp.role then who = who .. ", " .. sp.role end
    b:write(format("### %s (%d)\n\n", md(who), sp.count))
    for _, q in ipairs(sp.quotes) do
      b:write(format("- “%s” — %s\n", md(q.short), md(where(q))))
    end
    b:write("\n")
  end

  b:write("## Framing by ", s.framing.group or "outlet", "\n\n")
  local outlets = s.framing.outlets
  b:write("### Names and spellings\n\n")
  b:write("Places and terms the gazetteer knows under several names, as each outlet writes them.\n\n")
  local head, vrows = variant_table(s.framing)
  if #vrows == 0 then b:write("No name written two ways.\n\n") else
    md_table(b, head, vrows)
  end
  b:write("### Distinctive words\n\n")
  b:write("Words each outlet uses more than the rest of the corpus (log-odds ratio, ")
  b:write("informative Dirichlet prior; z-score in brackets).\n\n")
  rows = {}
  for _, o in ipairs(outlets) do
    local parts = {}
    for k, w in ipairs(o.distinctive) do parts[k] = format("%s (%.1f)", w.word, w.z) end
    rows[#rows + 1] = {o.outlet, concat(o.documents, ", "), o.words,
                       #parts > 0 and concat(parts, ", ") or "—"}
  end
  md_table(b, {"outlet", "documents", "content words", "distinctive words"}, rows, {nil, nil, "r"})
  return b:text()
end

-- ================================================================== JSON ===

local KEY_ORDER = {"name", "outlet", "group", "speaker", "value", "kind", "word", "form",
  "text", "short", "title", "site", "published", "authors", "role", "acronym", "cue",
  "precision", "modifier", "count", "mentions", "documents", "total", "z"}
local TAIL_KEYS = {"doc", "span", "line"}
local key_rank = {}
for k, key in ipairs(KEY_ORDER) do key_rank[key] = k end
for k, key in ipairs(TAIL_KEYS) do key_rank[key] = 10000 + k end
-- tables that are objects even when empty
local OBJECTS = {facts = true, actors = true, framing = true, totals = true}

local function scalar(v)
  return (cjson.encode(v):gsub("\\/", "/"))
end

local encode
local function encode_object(t)
  local keys = {}
  for k, v in pairs(t) do
    if type(k) == "string" and k:sub(1, 1) ~= "_" and k ~= "i" and k ~= "j" and v ~= nil then
      keys[#keys + 1] = k
    end
  end
  if type(t.i) == "number" and type(t.j) == "number" then keys[#keys + 1] = "span" end
  sort(keys, function(a, c)
    local ra, rc = key_rank[a] or 5000, key_rank[c] or 5000
    if ra ~= rc then return ra < rc end
    return a < c
  end)
  local parts = {}
  for n, k in ipairs(keys) do
    local v = k == "span" and {t.i - 1, t.j} or t[k]
    if k == "top" then          -- {word, count} pairs as objects
      local arr = {}
      for m, wc in ipairs(v) do arr[m] = {word = wc[1], count = wc[2]} end
      v = arr
    end
    parts[n] = scalar(k) .. ":" .. encode(v, OBJECTS[k])
  end
  return "{" .. concat(parts, ",") .. "}"
end

function encode(v, object)
  if type(v) ~= "table" or v == cjson.null then
    if type(v) == "number" and v ~= v then return "null" end
    return scalar(v)
  end
  if #v > 0 or (next(v) == nil and not object) then
    local parts = {}
    for n, x in ipairs(v) do parts[n] = encode(x) end
    return "[" .. concat(parts, ",") .. "]"
  end
  return encode_object(v)
end

--- The summary as one JSON object (see the module header).
function M.json(s)
  return encode(s, true)
end

-- =================================================================== CSV ===

local function span_cols(r, c)
  if c and c.i then r.span_start, r.span_end = c.i - 1, c.j end
  return r
end

local CSV = {}
CSV.documents = {
  {"doc", "name", "path", "outlet", "title", "site", "published", "authors", "bytes", "lines",
   "paragraphs", "sentences", "words", "body_words", "top_words", "body_top_words", "dates", "quantities",
   "quotes", "persons", "orgs", "places"},
  function(s)
    local rows = {}
    for _, d in ipairs(s.documents) do
      local f = d.facts or {}
      rows[#rows + 1] = {doc = d.doc, name = d.name, path = d.path, outlet = d.outlet, title = d.title,
        site = d.site, published = d.published, authors = concat(d.authors or {}, "; "),
        bytes = d.bytes, lines = d.lines, paragraphs = d.paragraphs, sentences = d.sentences,
        words = d.words, body_words = d.body_words, top_words = top_words(d.top),
        body_top_words = top_words(d.body_top),
        dates = f.date or 0, quantities = f.quantity or 0, quotes = f.quote or 0,
        persons = f.person or 0, orgs = f.org or 0, places = f.place or 0}
    end
    return rows
  end,
}
CSV.actors = {
  {"kind", "name", "acronym", "mentions", "documents", "roles", "first_doc", "first_line",
   "span_start", "span_end"},
  function(s)
    local rows = {}
    for _, kind in ipairs(ACTOR_KINDS) do
      for _, a in ipairs(s.actors[kind] or {}) do
        rows[#rows + 1] = span_cols({kind = kind, name = a.name, acronym = a.acronym,
          mentions = a.mentions, documents = a.documents, roles = roles_text(a.roles, math.huge),
          first_doc = a.first.doc, first_line = a.first.line}, a.first)
      end
    end
    return rows
  end,
}
CSV.timeline = {
  {"value", "text", "precision", "modifier", "doc", "line", "span_start", "span_end", "sentence"},
  function(s)
    local rows = {}
    for _, e in ipairs(s.timeline) do
      rows[#rows + 1] = span_cols({value = e.value, text = e.text, precision = e.precision,
        modifier = e.modifier, doc = e.doc, line = e.line, sentence = e.sentence}, e)
    end
    return rows
  end,
}
CSV.quotes = {
  {"speaker", "role", "text", "cue", "doc", "line", "span_start", "span_end"},
  function(s)
    local rows = {}
    for _, sp in ipairs(s.quotes) do
      for _, q in ipairs(sp.quotes) do
        rows[#rows + 1] = span_cols({speaker = sp.speaker, role = sp.role, text = q.text,
          cue = q.cue, doc = q.doc, line = q.line}, q)
      end
    end
    return rows
  end,
}
CSV.variants = {
  {"group", "kind", "outlet", "form", "count"},
  function(s)
    local rows = {}
    for _, g in ipairs(s.framing.variants) do
      for _, o in ipairs(g.outlets) do
        for _, f in ipairs(o.forms) do
          rows[#rows + 1] = {group = g.group, kind = g.kind, outlet = o.outlet,
                             form = f.form, count = f.count}
        end
      end
    end
    return rows
  end,
}
CSV.distinctive = {
  {"outlet", "word", "z", "count"},
  function(s)
    local rows = {}
    for _, o in ipairs(s.framing.outlets) do
      for _, w in ipairs(o.distinctive) do
        rows[#rows + 1] = {outlet = o.outlet, word = w.word, z = w.z, count = w.count}
      end
    end
    return rows
  end,
}

--- One table of the summary as CSV (name: one of M.TABLES).
function M.csv(s, name)
  local t = CSV[name or "documents"]
  if not t then error("unknown CSV table '" .. tostring(name) .. "' (one of: " ..
                      concat(M.TABLES, ", ") .. ")", 2) end
  local b = buffer()
  out.csv(t[2](s), t[1], b)
  return b:text()
end

-- ================================================================== HTML ===

local esc = out.html_escape

local CSS = [[
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72rem;
padding:1rem 2rem;color:#222;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin-bottom:.4rem}nav a{margin-right:1rem}p.lead{color:#555}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}.cite{color:#666;font-size:.85em;white-space:nowrap}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #ccc}
mark{background:#fff3b0}.muted{color:#777}
]]

local function html_table(b, head, rows, numeric)
  b:write("<table>\n<thead><tr>")
  for _, h in ipairs(head) do b:write("<th>", esc(h), "</th>") end
  b:write("</tr></thead>\n<tbody>\n")
  for _, r in ipairs(rows) do
    b:write("<tr>")
    for k = 1, #head do
      local v = r[k]
      local cls = (numeric and numeric[k]) and ' class="n"' or ""
      if type(v) == "table" and v.html then
        b:write("<td", cls, ">", v.html, "</td>")     -- already escaped
      else
        b:write("<td", cls, ">", esc(v == nil and "" or v), "</td>")
      end
    end
    b:write("</tr>\n")
  end
  b:write("</tbody>\n</table>\n")
end

local function cite_html(c)
  return {html = '<span class="cite">' .. esc(where(c)) .. "</span>"}
end

-- The sentence with the date's text marked (first occurrence).
local function marked(sentence, text)
  local a, z = string.find(sentence, text, 1, true)
  if not a then return {html = esc(sentence)} end
  return {html = esc(sentence:sub(1, a - 1)) .. "<mark>" .. esc(text) .. "</mark>" ..
                 esc(sentence:sub(z + 1))}
end

--- The summary as one self-contained HTML page (see the module header).
function M.html(s, opts)
  local top = (opts and opts.top) or M.TOP
  local title = (opts and opts.title) or "lode corpus summary"
  local b = buffer()
  local t = s.totals
  b:write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
          "<title>", esc(title), "</title>\n<style>\n", CSS, "</style>\n</head>\n<body>\n")
  b:write("<h1>", esc(title), "</h1>\n")
  local nfacts, facts = fact_line(s)
  b:write('<p class="lead">', esc(format(
    "%d documents, %s bytes, %s words (%s in article bodies). %d facts extracted%s.",
    t.documents, thousands(t.bytes), thousands(t.words), thousands(t.body_words or 0), nfacts,
    facts ~= "" and (": " .. facts) or "")), " Citations read document:line.</p>\n")
  if t.documents > 0 then
    b:write("<ul>\n")
    for _, line in ipairs(M.glance(s)) do b:write("<li>", esc(line), "</li>\n") end
    b:write("</ul>\n")
  end
  b:write('<nav><a href="#documents">Documents</a><a href="#actors">Actors</a>',
          '<a href="#timeline">Timeline</a><a href="#quotes">Quotes</a>',
          '<a href="#framing">Framing</a></nav>\n')

  b:write('<section id="documents">\n<h2>Documents</h2>\n')
  local rows = {}
  for _, d in ipairs(s.documents) do
    rows[#rows + 1] = {d.doc, d.outlet, d.title or "", d.published or "",
                       concat(d.authors or {}, ", "), d.bytes, d.lines, d.paragraphs,
                       d.sentences, d.words, d.body_words, top_words(d.top)}
  end
  rows[#rows + 1] = {format("TOTAL (%d documents)", t.documents), "", "", "", "", t.bytes,
                     t.lines, t.paragraphs, t.sentences, t.words, t.body_words or 0,
                     top_words(t.top)}
  html_table(b, {"document", "outlet", "title", "published", "authors", "bytes", "lines",
                 "paras", "sents.", "words", "in body", "frequent content words"}, rows,
             {[6] = true, [7] = true, [8] = true, [9] = true, [10] = true, [11] = true})
  b:write("</section>\n")

  b:write('<section id="actors">\n<h2>Actors</h2>\n')
  for _, kind in ipairs(ACTOR_KINDS) do
    local list = s.actors[kind] or {}
    b:write("<h3>", esc(KIND_TITLE[kind]), format(" (%d)", #list), "</h3>\n")
    rows = {}
    for k, a in ipairs(list) do
      if k > top then break end
      rows[#rows + 1] = {a.acronym and format("%s (%s)", a.name, a.acronym) or a.name,
                         a.mentions, a.documents, roles_text(a.roles), cite_html(a.first)}
    end
    if #rows > 0 then
      html_table(b, {"name", "mentions", "docs", "roles stated", "first mention"}, rows,
                 {[2] = true, [3] = true})
    else
      b:write('<p class="muted">None found.</p>\n')
    end
    if #list > top then b:write('<p class="muted">', format("… and %d more.", #list - top), "</p>\n") end
  end
  b:write("</section>\n")

  b:write('<section id="timeline">\n<h2>Timeline</h2>\n')
  rows = {}
  for _, e in ipairs(s.timeline) do
    rows[#rows + 1] = {e.value, e.text, cite_html(e), marked(e.sentence, e.text)}
  end
  if #rows > 0 then html_table(b, {"date", "as written", "where", "sentence"}, rows)
  else b:write('<p class="muted">No dates found.</p>\n') end
  b:write("</section>\n")

  b:write('<section id="quotes">\n<h2>Quotes by speaker</h2>\n')
  if #s.quotes == 0 then b:write('<p class="muted">No quotes found.</p>\n') end
  for _, sp in ipairs(s.quotes) do
    local who = sp.speaker or "Speaker not stated"
    if sp.role then who = who .. ", " .. sp.role end
    b:write("<h3>", esc(who), format(" (%d)", sp.count), "</h3>\n")
    for _, q in ipairs(sp.quotes) do
      b:write('<blockquote title="', esc(q.text), '">“', esc(q.short), '” ',
              cite_html(q).html, "</blockquote>\n")
    end
  end
  b:write("</section>\n")

  b:write('<section id="framing">\n<h2>Framing by ', esc(s.framing.group or "outlet"),
          '</h2>\n<h3>Names and spellings</h3>\n')
  local outlets = s.framing.outlets
  local head, vrows = variant_table(s.framing)
  if #vrows > 0 then html_table(b, head, vrows)
  else b:write('<p class="muted">No name written two ways.</p>\n') end
  b:write("<h3>Distinctive words</h3>\n<p>Log-odds ratio with an informative Dirichlet prior ",
          "(Monroe et al. 2008) against the rest of the corpus; z-scores.</p>\n")
  rows = {}
  for _, o in ipairs(outlets) do
    local parts = {}
    for k, w in ipairs(o.distinctive) do parts[k] = format("%s (%.1f)", w.word, w.z) end
    rows[#rows + 1] = {o.outlet, concat(o.documents, ", "), o.words, concat(parts, ", ")}
  end
  html_table(b, {"outlet", "documents", "content words", "distinctive words"}, rows, {[3] = true})
  b:write("</section>\n</body>\n</html>\n")
  return b:text()
end

return M
