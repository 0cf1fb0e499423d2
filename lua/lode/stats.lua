--- lode.stats: corpus-linguistics statistics over a set of documents.
--
-- Every function takes `docs` (a Doc, an array of Docs, or an iterator of
-- Docs such as lode.corpus(path)) and an `opts` table last. What is
-- counted is set by one option, the same everywhere:
--   opts.page = true   the whole page (doc:text());
--   default            the article body (doc:body(): title, headings and
--                      body lines), or the whole text when the cleaner
--                      finds no article, as lode.summary counts.
-- Tokens are lode.words.tokens of that text: words of letters (inner
-- apostrophes and hyphens kept), NFKC, case- and typography-folded, "'s"
-- dropped, stop words kept. Token sequences (n-grams, windows) stay within
-- one document.
--
-- stats.tokens(doc, opts)            -> array of tokens (cached per doc)
-- stats.counts(docs, opts)           -> map token -> count, total tokens
-- stats.frequencies(docs, opts)      -> rows {item, freq, range, per_million}
-- stats.ngrams(docs, n, opts)        -> the same rows for n-token clusters
--   opts.min: least frequency kept (default 1 for words, 2 for n-grams).
-- stats.collocates(docs, node, opts) -> rows {item, freq, o, e, mi, g2,
--   t, logdice}; opts.left, opts.right: window span in tokens (5, 5);
--   opts.min: least co-occurrences (2); opts.min_freq: least corpus
--   frequency of a collocate (2); opts.by: the measure rows are sorted by
--   ("logdice", or "mi", "g2", "t", "o").
-- stats.keywords(target, reference, opts) -> rows {item, freq, ref_freq,
--   g2, log_ratio, pct_diff, sign}; reference is an array of Docs or a
--   frequency list {counts = map, total = n}; opts.min: least target
--   frequency (2); opts.g2: least G2 (3.84, p < 0.05 at 1 d.f.);
--   opts.negative: also the words the target under-uses (sign "-",
--   opts.min then applies to the reference), listed after the others.
-- stats.dispersion(docs, term, opts) -> {item, freq, range, parts, dp,
--   dp_norm, juilland_d, per_part = {{name, freq, tokens}}}; term is a word
--   or a phrase; opts.part(doc) -> name groups documents into parts (by
--   outlet, by year); default one part per document.
--
-- Formulas. N corpus tokens, f(x) frequency of x.
-- Collocates (Evert 2008, "Corpora and collocations", surface
-- co-occurrence; Rychlý 2008 for logDice): O = tokens equal to the
-- collocate inside the node's windows; R = token positions inside those
-- windows (left + right per occurrence, fewer at a document's edge);
-- E = R * f(c) / N;
--   MI      = log2(O / E)
--   t-score = (O - E) / sqrt(O)
--   logDice = 14 + log2(2 * O / (f(node) + f(c)))
--   G2      = 2 * sum O_ij * ln(O_ij / E_ij) over the 2x2 table
--             O11 = O, O12 = R - O, O21 = f(c) - O, O22 = N - R - f(c) + O,
--             E_ij = row_i * col_j / N; a cell of 0 adds 0 (a cell that a
--             tiny corpus with overlapping windows makes negative counts 0).
-- Keywords (Rayson & Garside 2000; Hardie 2014; Gabrielatos & Marchi
-- 2012): a, b frequencies in target and reference, c, d their sizes;
--   E1 = c (a + b) / (c + d), E2 = d (a + b) / (c + d)
--   G2        = 2 (a ln(a / E1) + b ln(b / E2))     (0 ln 0 = 0)
--   log_ratio = log2((a' / c) / (b' / d)), a zero frequency taken as 0.5
--   pct_diff  = 100 (a / c - b / d) / (b / d); nil when b = 0
-- Dispersion over parts k = 1..n, v_k the term's frequency in part k, s_k
-- the part's share of all tokens, f = sum v_k (Gries 2008; Lijffijt &
-- Gries 2012; Juilland's D as in Oakes 1998 on per-token rates p_k =
-- v_k / tokens_k, so parts of unequal size compare):
--   range      = number of parts with v_k > 0
--   DP         = 0.5 * sum |v_k / f - s_k|;  dp_norm = DP / (1 - min s_k)
--   juilland_d = 1 - (sd(p) / mean(p)) / sqrt(n - 1)   (population sd)
-- A measure that is undefined (f = 0, one part) is nil.

local words = require "lode.words"
local math, table, type, ipairs, pairs, error, setmetatable =
      math, table, type, ipairs, pairs, error, setmetatable
local log, sqrt, abs, huge = math.log, math.sqrt, math.abs, math.huge

local M = {}

-- --- tokens -------------------------------------------------------------------------

local cache = setmetatable({}, {__mode = "k"})   -- doc -> {page =, body =}

--- The tokens of a Doc: its article body, or the page with opts.page.
function M.tokens(doc, opts)
  if type(doc) ~= "userdata" then error("lode.stats: expected a Doc, got " .. type(doc), 2) end
  local page = opts and opts.page and true or false
  local c = cache[doc]
  if not c then c = {}; cache[doc] = c end
  local key = page and "page" or "body"
  if c[key] then return c[key] end
  local text
  if not page then text = doc:body().text end
  if page or text == "" then text = doc:text() end
  c[key] = words.tokens(text)
  return c[key]
end

local function doc_list(docs)
  if type(docs) == "userdata" then return {docs} end
  if type(docs) == "function" then          -- an iterator such as lode.corpus(...)
    local all = {}
    for doc in docs do all[#all + 1] = doc end
    return all
  end
  if type(docs) ~= "table" then
    error("lode.stats: expected Docs (a Doc, an array or an iterator), got " .. type(docs), 3)
  end
  return docs
end

-- The words of a node, term or phrase, folded as tokens are.
local function phrase_tokens(s, what)
  if type(s) ~= "string" then error("lode.stats: " .. what .. " must be a string", 3) end
  local t = words.tokens(s)
  if #t == 0 then error("lode.stats: " .. what .. " '" .. s .. "' holds no word", 3) end
  return t
end

local function positive_int(v, default, what)
  if v == nil then return default end
  if math.type(v) ~= "integer" or v < 0 then
    error("lode.stats: " .. what .. " must be a non-negative integer", 3)
  end
  return v
end

-- --- frequency lists and n-grams ---------------------------------------------------

--- map token -> count over docs, and the total number of tokens.
function M.counts(docs, opts)
  local counts, total = {}, 0
  for _, doc in ipairs(doc_list(docs)) do
    local t = M.tokens(doc, opts)
    for k = 1, #t do counts[t[k]] = (counts[t[k]] or 0) + 1 end
    total = total + #t
  end
  return counts, total
end

local function by_freq(a, b)
  return a.freq > b.freq or (a.freq == b.freq and a.item < b.item)
end

-- Rows of items of frequency >= min: counts over the corpus, range over
-- documents, and a rate per million tokens.
local function freq_rows(docs, opts, n, min)
  local freq, range, total = {}, {}, 0
  for _, doc in ipairs(docs) do
    local t = M.tokens(doc, opts)
    local seen = {}
    for k = 1, #t - n + 1 do
      local item = n == 1 and t[k] or table.concat(t, " ", k, k + n - 1)
      freq[item] = (freq[item] or 0) + 1
      if not seen[item] then seen[item] = true; range[item] = (range[item] or 0) + 1 end
    end
    total = total + #t
  end
  local rows = {}
  for item, f in pairs(freq) do
    if f >= min then
      rows[#rows + 1] = {item = item, freq = f, range = range[item],
                         per_million = f * 1e6 / total}
    end
  end
  table.sort(rows, by_freq)
  return rows, total
end

--- Frequency list: rows {item, freq, range, per_million}, most frequent
-- first, and the number of tokens.
function M.frequencies(docs, opts)
  opts = opts or {}
  return freq_rows(doc_list(docs), opts, 1, positive_int(opts.min, 1, "opts.min"))
end

--- Clusters of n tokens, as frequencies gives words.
function M.ngrams(docs, n, opts)
  opts = opts or {}
  if math.type(n) ~= "integer" or n < 1 then
    error("bad argument #2 to 'ngrams' (n must be a positive integer)", 2)
  end
  return freq_rows(doc_list(docs), opts, n, positive_int(opts.min, 2, "opts.min"))
end

-- --- collocates ------------------------------------------------------------------------

-- sum O ln(O / E) of one cell; 0 for an empty (or impossible) cell.
local function ll_term(o, e)
  if o <= 0 or e <= 0 then return 0 end
  return o * log(o / e)
end

--- G2 of a 2x2 table {{o11, o12}, {o21, o22}} (negative cells count 0).
local function g2_table(o11, o12, o21, o22)
  o11, o12, o21, o22 = math.max(o11, 0), math.max(o12, 0), math.max(o21, 0), math.max(o22, 0)
  local n = o11 + o12 + o21 + o22
  local r1, r2, c1, c2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
  return 2 * (ll_term(o11, r1 * c1 / n) + ll_term(o12, r1 * c2 / n)
            + ll_term(o21, r2 * c1 / n) + ll_term(o22, r2 * c2 / n))
end

local MEASURES = {logdice = true, mi = true, g2 = true, t = true, o = true}

--- Collocates of a one-word node within a window (see the header).
function M.collocates(docs, node, opts)
  opts = opts or {}
  docs = doc_list(docs)
  local nt = phrase_tokens(node, "node")
  if #nt ~= 1 then error("lode.stats: node '" .. node .. "' must be one word", 2) end
  node = nt[1]
  local left = positive_int(opts.left, 5, "opts.left")
  local right = positive_int(opts.right, 5, "opts.right")
  local min = positive_int(opts.min, 2, "opts.min")
  local min_freq = positive_int(opts.min_freq, 2, "opts.min_freq")
  local by = opts.by or "logdice"
  if not MEASURES[by] then error("lode.stats: unknown measure '" .. tostring(by) .. "'", 2) end

  local o, r, f_node = {}, 0, 0
  local counts, n = M.counts(docs, opts)
  for _, doc in ipairs(docs) do
    local t = M.tokens(doc, opts)
    for k = 1, #t do
      if t[k] == node then
        f_node = f_node + 1
        local from, to = math.max(1, k - left), math.min(#t, k + right)
        r = r + (to - from)
        for x = from, to do
          if x ~= k then o[t[x]] = (o[t[x]] or 0) + 1 end
        end
      end
    end
  end
  local rows = {}
  for c, oc in pairs(o) do
    local fc = counts[c]
    if oc >= min and fc >= min_freq then
      local e = r * fc / n
      rows[#rows + 1] = {
        item = c, freq = fc, o = oc, e = e,
        mi = log(oc / e, 2),
        t = (oc - e) / sqrt(oc),
        logdice = 14 + log(2 * oc / (f_node + fc), 2),
        g2 = g2_table(oc, r - oc, fc - oc, n - r - fc + oc),
      }
    end
  end
  table.sort(rows, function(a, b)
    return a[by] > b[by] or (a[by] == b[by] and a.item < b.item)
  end)
  return rows, {node = node, freq = f_node, tokens = n, window = r}
end

-- --- keywords ------------------------------------------------------------------------------

-- A reference as counts and size: Docs are counted, a list is taken as is.
local function as_list(ref, opts)
  if type(ref) == "table" and ref.counts then
    local total = ref.total
    if not total then
      total = 0
      for _, c in pairs(ref.counts) do total = total + c end
    end
    return ref.counts, total
  end
  return M.counts(ref, opts)
end

--- Keywords of target against reference (see the header).
function M.keywords(target, reference, opts)
  opts = opts or {}
  local min = positive_int(opts.min, 2, "opts.min")
  local min_g2 = opts.g2 or 3.84
  local ta, c = M.counts(target, opts)
  local rb, d = as_list(reference, opts)
  local rows = {}
  if c == 0 or d == 0 then return rows, {tokens = c, ref_tokens = d} end
  local function consider(w)
    local a, b = ta[w] or 0, rb[w] or 0
    local sign = a / c >= b / d and "+" or "-"
    -- over-used words need `min` in the target, under-used ones in the reference
    if sign == "+" and a < min or sign == "-" and (not opts.negative or b < min) then return end
    local e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    local g2 = 2 * (ll_term(a, e1) + ll_term(b, e2))
    if g2 < min_g2 then return end
    rows[#rows + 1] = {
      item = w, freq = a, ref_freq = b, g2 = g2, sign = sign,
      log_ratio = log(((a > 0 and a or 0.5) / c) / ((b > 0 and b or 0.5) / d), 2),
      pct_diff = b > 0 and 100 * (a / c - b / d) / (b / d) or nil,
    }
  end
  for w in pairs(ta) do consider(w) end
  if opts.negative then
    for w in pairs(rb) do if not ta[w] then consider(w) end end
  end
  table.sort(rows, function(x, y)
    if x.sign ~= y.sign then return x.sign == "+" end
    return x.g2 > y.g2 or (x.g2 == y.g2 and x.item < y.item)
  end)
  return rows, {tokens = c, ref_tokens = d}
end

-- --- dispersion -------------------------------------------------------------------------

-- Occurrences of the token sequence `seq` in `t`.
local function occurrences(t, seq)
  local count, m = 0, #seq
  for k = 1, #t - m + 1 do
    local x = 1
    while x <= m and t[k + x - 1] == seq[x] do x = x + 1 end
    if x > m then count = count + 1 end
  end
  return count
end

--- Dispersion of a word or phrase across documents or parts (see the header).
function M.dispersion(docs, term, opts)
  opts = opts or {}
  docs = doc_list(docs)
  local seq = phrase_tokens(term, "term")
  local parts, order = {}, {}
  for _, doc in ipairs(docs) do
    local name = opts.part and opts.part(doc) or doc.id
    local p = parts[name]
    if not p then
      p = {name = name, freq = 0, tokens = 0}
      parts[name] = p
      order[#order + 1] = p
    end
    local t = M.tokens(doc, opts)
    p.freq = p.freq + occurrences(t, seq)
    p.tokens = p.tokens + #t
  end
  local f, total, range, n = 0, 0, 0, #order
  for _, p in ipairs(order) do
    f, total = f + p.freq, total + p.tokens
    if p.freq > 0 then range = range + 1 end
  end
  local res = {item = table.concat(seq, " "), freq = f, range = range, parts = n,
               per_part = order}
  if f == 0 or total == 0 then return res end
  local dp, min_s = 0, huge
  for _, p in ipairs(order) do
    local s = p.tokens / total
    dp = dp + abs(p.freq / f - s)
    if s < min_s then min_s = s end
  end
  res.dp = dp / 2
  if min_s < 1 then res.dp_norm = res.dp / (1 - min_s) end
  -- Juilland's D on per-token rates; parts without tokens have no rate
  local rates = {}
  for _, p in ipairs(order) do
    if p.tokens > 0 then rates[#rates + 1] = p.freq / p.tokens end
  end
  if #rates > 1 then
    local sum, sq = 0, 0
    for _, x in ipairs(rates) do sum = sum + x end
    local mean = sum / #rates
    for _, x in ipairs(rates) do sq = sq + (x - mean) ^ 2 end
    res.juilland_d = 1 - (sqrt(sq / #rates) / mean) / sqrt(#rates - 1)
  end
  return res
end

return M
