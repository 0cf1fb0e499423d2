--- lode.summary: per-document and corpus summaries.
--
-- summary.document(doc [, counts]) -> {doc, name, bytes, lines, paragraphs,
--   sentences, words, top = {{word, count}, ...}}   (sizes of the whole file;
--   `counts`, when given, accumulates the document's content-word counts)
--
-- summary.corpus(docs [, opts]) -> the corpus report, a plain Lua table
-- (docs: a lode.corpus iterator or an array of Docs; every document is
-- cleaned and extracted once, with lode.extract.all):
--   documents  array, in input order: {doc, name, path, outlet, title, site,
--              published, authors, bytes, lines, paragraphs, sentences, words,
--              body_words, top, body_top, facts = {kind = n}}
--   totals     {documents, bytes, lines, paragraphs, sentences, words,
--              body_words, top, body_top}
--              (top: {{word, count}} over the whole file, as before;
--              body_top: over the article body lode.clean finds)
--   actors     {person = {...}, org = {...}, place = {...}}: arrays of
--              {name, kind, mentions, documents, roles = {{role, count}},
--              acronym, first = citation, in_documents = {names, sorted}},
--              most mentioned first. `mentions` is the number of records
--              with that canonical name.
--   timeline   array of {value, text, precision, modifier, sentence,
--              doc, line, i, j}, sorted by ISO value, then document and place
--   quotes     array of {speaker, role, count, quotes = {{text, short, cue,
--              doc, line, i, j}}}, most quoted first; quotes without a
--              stated speaker are gathered under speaker = nil, last
--   framing    {outlets = {{outlet, documents = {names}, words,
--                 distinctive = {{word, z, count}}}},
--               variants = {{group, kind, total, forms = {{form, count}},
--                 outlets = {{outlet, forms = {{form, count}}}}}}}
-- A document is cited by doc.id, its path below the root it was found
-- under ("corpus/000.txt", unique in a run; `name` is its base name).
-- A citation is {doc = id, line = n, i = first byte, j = last byte}
-- (1-based inclusive, like every span in Lua); lode.report writes it as
-- "span": [i - 1, j] in JSON.
--
-- The outlet of a document is its site (lode.meta, where a corpus
-- manifest's outlet comes first) or, when neither says, M.UNKNOWN: never a
-- file name. Framing compares groups of documents: by outlet, or by any
-- column of the manifest or field of the meta (opts.group = "language",
-- "date", "author"...: the manifest's value, else the meta's, M.META_OF
-- naming the meta field of a column; documents without one form the
-- M.UNKNOWN group); the groups are framing.outlets[k].outlet, and
-- framing.group says which column made them. Distinctive words are the log-odds
-- ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn
-- 2008, "Fightin' Words", eq. 22): the outlet's body-word counts against
-- the rest of the corpus, the prior being the whole corpus' counts scaled
-- to M.PRIOR_SCALE times its size; words are ranked by the z-score.
--
-- Spelling variants: a place or term canonical with several aliases in the
-- shipped gazetteer (lode/data/caucasus.tsv), or written two ways in the
-- corpus, is a variant group; canonicals listed together in M.COMPETING
-- (names the README keeps apart on purpose, Nagorno-Karabakh vs Karabakh)
-- form one group. Surface forms are the records' own text, folded with
-- lode.MATCH_FORM only to merge case and typography differences.

local lode = require "lode"
local words = require "lode.words"
local extract = require "lode.extract"
local manifest = require "lode.manifest"

local ipairs, pairs, type, table, math, io, string =
  ipairs, pairs, type, table, math, io, string
local sort = table.sort
local log, sqrt, huge = math.log, math.sqrt, math.huge
local find, sub, gsub = string.find, string.sub, string.gsub

local M = {}
M.TOP = 10             -- frequent content words per document / corpus
M.DISTINCTIVE = 8      -- distinctive words per outlet
M.MIN_Z = 1.96         -- only words this far above the rest of the corpus
M.PRIOR_SCALE = 0.1    -- weight of the corpus prior (Monroe et al. alpha_0 / n);
                       -- 1 shrinks so hard that a 5-article corpus shows ~1 word
M.SENTENCE = 200       -- bytes of sentence kept around a date
M.QUOTE = 160          -- bytes of a quote in the short form
M.ACTOR_KINDS = {"person", "org", "place"}
M.VARIANT_KINDS = {place = true, term = true}
--- Canonicals that compete for one referent: reported as one variant group.
M.COMPETING = {
  {"Nagorno-Karabakh", "Karabakh", "Republic of Artsakh"},
}

-- --- text helpers ---------------------------------------------------------

-- First byte at or after i that starts a UTF-8 character.
local function char_start(s, i)
  local _, e = find(s, "^[\128-\191]*", i)
  return e + 1
end

-- Last byte at or after j that ends the character holding byte j.
local function char_end(s, j)
  local _, e = find(s, "^[\128-\191]*", j + 1)
  return e
end

local function one_line(s)
  s = gsub(s, "\194\160", " ")
  s = gsub(s, "%s+", " ")
  s = gsub(s, "^ ", "")
  s = gsub(s, " $", "")
  return s
end

--- Text of s around bytes [a, b] (1-based inclusive), at most about `max`
-- bytes, cut at spaces and UTF-8 boundaries, "…" where something was cut.
function M.excerpt(s, max, a, b)
  a, b = a or 1, b or 1
  if #s <= max then return one_line(s) end
  local len = math.max(b - a + 1, 0)
  local i = math.max(1, a - (max - len) // 2)
  local j = math.min(#s, i + max - 1)
  if j == #s then i = math.max(1, j - max + 1) end
  -- cut at spaces near the edges so words stay whole
  if i > 1 then
    local sp = find(s, "%s", i)
    if sp and sp < a and sp - i < 30 then i = sp + 1 end
    i = char_start(s, i)
  end
  if j < #s then
    local from = math.max(b + 1, j - 30)
    local sp = from <= j and sub(s, from, j):match(".*()%s")
    if sp then j = from + sp - 2 end
    j = char_end(s, j)
  end
  return (i > 1 and "…" or "") .. one_line(sub(s, i, j)) .. (j < #s and "…" or "")
end

-- --- per document ------------------------------------------------------------

--- Sizes and frequent content words of the whole file (see the header).
function M.document(doc, counts)
  local own = words.count(doc)
  if counts then
    for w, c in pairs(own) do counts[w] = (counts[w] or 0) + c end
  end
  return {
    doc = doc.id, name = doc.name, bytes = #doc, lines = doc:line_count(),
    paragraphs = #doc:paragraphs(), sentences = #doc:sentences(),
    words = #doc:words(), top = words.top(own, M.TOP),
  }
end

local null = require("cjson").null
local function value(v) if v == null then return nil end return v end

-- The sentence of `sents` (sorted spans) holding byte i, or nil.
local sentence_at = lode.span_at

local function cite(doc, r)
  return {doc = doc.id, line = r.line, i = r.i, j = r.j}
end

-- Content words of the article body (the whole text when the cleaner finds
-- no article: a snippet, a one-line note).
local function body_counts(doc)
  local body = doc:body()
  local src = doc
  if body.text ~= "" then src = lode.from_string(body.text, {name = doc.name}) end
  return words.count(src)
end

-- --- the gazetteer's alias counts -------------------------------------------------

local alias_cache
--- canonical -> number of distinct aliases in lode/data/caucasus.tsv.
function M.alias_counts()
  if alias_cache then return alias_cache end
  alias_cache = {}
  local path = words.data_path("caucasus.tsv")
  if not path then return alias_cache end
  local seen = {}
  for line in io.lines(path) do
    local alias, canon = line:match("^([^#\t][^\t]*)\t([^\t]+)")
    if alias and not seen[alias .. "\t" .. canon] then
      seen[alias .. "\t" .. canon] = true
      alias_cache[canon] = (alias_cache[canon] or 0) + 1
    end
  end
  return alias_cache
end

-- --- ranking helpers ------------------------------------------------------------------

local function sorted_counts(map)
  local out = {}
  for k, c in pairs(map) do out[#out + 1] = {k, c} end
  sort(out, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  return out
end

--- Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008):
-- words of `mine` (counts) against `rest`, prior from `all` (counts, total
-- n_all). Returns {{word, z, count}} with z >= min_z, best first, at most top.
function M.log_odds(mine, n_mine, rest, n_rest, all, n_all, top, min_z)
  local a0 = M.PRIOR_SCALE * n_all
  local scale = a0 / math.max(n_all, 1)
  local out = {}
  for w, y in pairs(mine) do
    local aw = all[w] * scale
    local yr = rest[w] or 0
    local d = log((y + aw) / (n_mine + a0 - y - aw)) - log((yr + aw) / (n_rest + a0 - yr - aw))
    local z = d / sqrt(1 / (y + aw) + 1 / (yr + aw))
    if z >= (min_z or -huge) and y >= 2 then out[#out + 1] = {w, z, y} end
  end
  sort(out, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  for k = #out, (top or #out) + 1, -1 do out[k] = nil end
  return out
end

-- --- the corpus ---------------------------------------------------------------------

M.UNKNOWN = "(unknown)"
-- the meta field that states a column when the manifest does not
M.META_OF = {outlet = "site", site = "site", date = "published", published = "published",
             title = "title", author = "authors", authors = "authors"}

-- The group of a document (summary `s`) by `column` (see the header).
local function group_value(doc, s, column)
  local row = manifest.row_of(doc)
  local v = column ~= "outlet" and row and row.fields[column]
  if not v and M.META_OF[column] then
    v = s[M.META_OF[column]]
    if type(v) == "table" then v = v[1] end     -- the first author
  end
  return v or M.UNKNOWN
end

--- The corpus report of every document of `docs` (see the header).
-- opts.extract: options for lode.extract.all (e.g. {body = false});
-- opts.group: the column framing compares (default "outlet").
function M.corpus(docs, opts)
  opts = opts or {}
  local column = opts.group or "outlet"
  -- documents stream through one at a time (an iterator over a big corpus
  -- is never held whole; each document's caches go with it)
  local each = docs
  if type(docs) ~= "function" then
    local k, list = 0, docs or {}
    each = function() k = k + 1; return list[k] end
  end

  local totals = {documents = 0, bytes = 0, lines = 0, paragraphs = 0,
                  sentences = 0, words = 0, body_words = 0}
  local out_docs, all_counts, n_all, file_counts = {}, {}, 0, {}
  local outlet_counts, outlet_n, outlet_docs, outlet_order = {}, {}, {}, {}
  local actors = {person = {}, org = {}, place = {}}
  local timeline, speakers = {}, {}
  local variant_recs = {}      -- {canonical, kind, text, outlet}

  for doc in each do
    local s = M.document(doc, file_counts)
    local records = extract.all(doc, opts.extract)
    local meta = (records[1] and records[1].kind == "meta") and records[1] or {}
    s.path = doc.path
    s.title, s.site, s.published = value(meta.title), value(meta.site), value(meta.published)
    s.authors = value(meta.authors) or {}
    s.outlet = s.site or M.UNKNOWN
    s.group = group_value(doc, s, column)
    local counts, n = body_counts(doc)
    s.body_words = n
    s.body_top = words.top(counts, M.TOP)
    s.facts = {}
    out_docs[#out_docs + 1] = s

    totals.documents = totals.documents + 1
    for _, k in ipairs{"bytes", "lines", "paragraphs", "sentences", "words", "body_words"} do
      totals[k] = totals[k] + s[k]
    end
    local oc = outlet_counts[s.group]
    if not oc then
      oc = {}
      outlet_counts[s.group], outlet_n[s.group], outlet_docs[s.group] = oc, 0, {}
      outlet_order[#outlet_order + 1] = s.group
    end
    for w, c in pairs(counts) do
      oc[w] = (oc[w] or 0) + c
      all_counts[w] = (all_counts[w] or 0) + c
      outlet_n[s.group] = outlet_n[s.group] + c
      n_all = n_all + c
    end
    local od = outlet_docs[s.group]
    od[#od + 1] = doc.id

    local sents
    for _, r in ipairs(records) do
      local kind = r.kind
      if kind ~= "meta" then s.facts[kind] = (s.facts[kind] or 0) + 1 end
      local group = actors[kind]
      if group and r.name then
        local a = group[r.name]
        if not a then
          a = {name = r.name, kind = kind, mentions = 0, documents = 0,
               _docs = {}, _roles = {}, first = cite(doc, r)}
          group[r.name] = a
        end
        a.mentions = a.mentions + 1
        if not a._docs[doc.id] then a._docs[doc.id] = true; a.documents = a.documents + 1 end
        if r.role then
          -- "President of Azerbaijan" and "president of Azerbaijan" are one
          -- role, shown as its most frequent spelling
          local key = string.lower(r.role)
          local rc = a._roles[key]
          if not rc then rc = {}; a._roles[key] = rc end
          rc[r.role] = (rc[r.role] or 0) + 1
        end
        if r.acronym and not a.acronym then a.acronym = r.acronym end
      end
      if M.VARIANT_KINDS[kind] and (r.name or r.canonical) then
        variant_recs[#variant_recs + 1] = {r.name or r.canonical, kind, r.text, s.group}
      end
      if kind == "date" and r.value then
        sents = sents or doc:sentences()
        local st = sentence_at(sents, r.i)
        local sentence
        if st then
          local text = doc:sub(st.i, st.j)
          sentence = M.excerpt(text, M.SENTENCE, r.i - st.i + 1, r.j - st.i + 1)
        else
          sentence = one_line(doc:line(r.line))
          local a = find(sentence, r.text, 1, true) or 1
          sentence = M.excerpt(sentence, M.SENTENCE, a, a + #r.text - 1)
        end
        timeline[#timeline + 1] = {value = r.value, text = r.text, precision = r.precision,
          modifier = r.modifier, sentence = sentence, doc = doc.id, line = r.line,
          i = r.i, j = r.j, _order = #timeline}
      elseif kind == "quote" then
        local key = r.speaker or false
        local sp = speakers[key]
        if not sp then
          sp = {speaker = r.speaker, count = 0, quotes = {}}
          speakers[key] = sp
        end
        if r.role and not sp.role then sp.role = r.role end
        sp.count = sp.count + 1
        sp.quotes[#sp.quotes + 1] = {text = r.text, short = M.excerpt(r.text, M.QUOTE, 1, 1),
          cue = r.cue, doc = doc.id, line = r.line, i = r.i, j = r.j}
      end
    end
  end
  totals.top = words.top(file_counts, M.TOP)
  totals.body_top = words.top(all_counts, M.TOP)

  -- actors: most mentioned first, roles by frequency
  local out_actors = {}
  for _, kind in ipairs(M.ACTOR_KINDS) do
    local arr = {}
    for _, a in pairs(actors[kind]) do
      local roles = {}
      for _, spellings in pairs(a._roles) do
        local n = 0
        for _, c in pairs(spellings) do n = n + c end
        roles[#roles + 1] = {role = sorted_counts(spellings)[1][1], count = n}
      end
      sort(roles, function(x, y) return x.count > y.count or (x.count == y.count and x.role < y.role) end)
      local names = {}
      for name in pairs(a._docs) do names[#names + 1] = name end
      sort(names)
      a.roles, a.in_documents, a._roles, a._docs = roles, names, nil, nil
      arr[#arr + 1] = a
    end
    sort(arr, function(x, y)
      if x.mentions ~= y.mentions then return x.mentions > y.mentions end
      return x.name < y.name
    end)
    out_actors[kind] = arr
  end

  -- timeline: ISO values sort as strings ("2021" < "2021-11" < "2021-11-16")
  sort(timeline, function(x, y)
    if x.value ~= y.value then return x.value < y.value end
    return x._order < y._order
  end)
  for _, t in ipairs(timeline) do t._order = nil end

  -- quotes by speaker
  local quotes, unattributed = {}, speakers[false]
  for key, sp in pairs(speakers) do
    if key then quotes[#quotes + 1] = sp end
  end
  sort(quotes, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.speaker < y.speaker
  end)
  if unattributed then quotes[#quotes + 1] = unattributed end

  return {
    documents = out_docs, totals = totals, actors = out_actors,
    timeline = timeline, quotes = quotes,
    framing = {group = column,
               outlets = M.outlets(outlet_order, outlet_docs, outlet_counts, outlet_n, all_counts, n_all),
               variants = M.variants(variant_recs, outlet_order)},
  }
end

--- Per outlet: its documents, word count and distinctive words.
function M.outlets(order, docs, counts, n, all, n_all)
  local out = {}
  for _, o in ipairs(order) do
    local rest, n_rest = {}, n_all - n[o]
    local mine = counts[o]
    for w, c in pairs(mine) do rest[w] = all[w] - c end
    local dist = {}
    if #order > 1 and n[o] > 0 and n_rest > 0 then
      for _, e in ipairs(M.log_odds(mine, n[o], rest, n_rest, all, n_all, M.DISTINCTIVE, M.MIN_Z)) do
        dist[#dist + 1] = {word = e[1], z = math.floor(e[2] * 100 + 0.5) / 100, count = e[3]}
      end
    end
    out[#out + 1] = {outlet = o, documents = docs[o], words = n[o], distinctive = dist}
  end
  return out
end

--- Variant groups from {canonical, kind, text, outlet} tuples.
function M.variants(recs, order)
  local aliases = M.alias_counts()
  local group_of = {}
  for _, names in ipairs(M.COMPETING) do
    for _, c in ipairs(names) do group_of[c] = names[1] end
  end
  local groups, folded = {}, {}
  for _, r in ipairs(recs) do
    local canon, kind, text, outlet = r[1], r[2], r[3], r[4]
    local gname = group_of[canon] or canon
    local g = groups[gname]
    if not g then
      g = {group = gname, kind = kind, total = 0, _forms = {}, _display = {},
           _outlets = {}, _canons = {}, competing = group_of[canon] ~= nil}
      groups[gname] = g
    end
    g._canons[canon] = true
    local key = folded[text]
    if not key then key = lode.normalize(text, lode.MATCH_FORM); folded[text] = key end
    local disp = g._display[key]
    if not disp then disp = {}; g._display[key] = disp end
    disp[text] = (disp[text] or 0) + 1
    g._forms[key] = (g._forms[key] or 0) + 1
    local oc = g._outlets[outlet]
    if not oc then oc = {}; g._outlets[outlet] = oc end
    oc[key] = (oc[key] or 0) + 1
    g.total = g.total + 1
  end
  local out = {}
  for _, g in pairs(groups) do
    local nforms, several = 0, g.competing
    for _ in pairs(g._forms) do nforms = nforms + 1 end
    for c in pairs(g._canons) do
      if (aliases[c] or 0) > 1 then several = true end
    end
    if several or nforms > 1 then
      -- a folded form is shown as its most frequent spelling
      local shown = {}
      for key, disp in pairs(g._display) do shown[key] = sorted_counts(disp)[1][1] end
      local forms = {}
      for _, fc in ipairs(sorted_counts(g._forms)) do
        forms[#forms + 1] = {form = shown[fc[1]], count = fc[2]}
      end
      local outlets = {}
      for _, o in ipairs(order) do
        local oc = g._outlets[o]
        if oc then
          local of = {}
          for _, fc in ipairs(sorted_counts(oc)) do of[#of + 1] = {form = shown[fc[1]], count = fc[2]} end
          outlets[#outlets + 1] = {outlet = o, forms = of}
        end
      end
      out[#out + 1] = {group = g.group, kind = g.kind, total = g.total,
                       forms = forms, outlets = outlets}
    end
  end
  sort(out, function(x, y)
    -- groups written several ways in the corpus first: that is the framing
    local mx, my = #x.forms > 1, #y.forms > 1
    if mx ~= my then return mx end
    if x.total ~= y.total then return x.total > y.total end
    return x.group < y.group
  end)
  return out
end

return M
