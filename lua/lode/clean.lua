--- lode.clean: tell the article from the page around it.
--
-- lode.clean(doc [, opts]) -> blocks
--   Splits a page (scraped text, a Markdown export, an HTML page) into
--   blocks labelled title, heading, body, caption, pullquote, byline, bio,
--   nav, promo, related, comment, footer, front_matter or markup (M.LABELS).
--   Nothing is deleted: a block is a maximal
--   run of consecutive lines with one label (blank lines between two lines
--   of the same label stay inside it) and keeps
--     {label, i, j, line_first, line_last, lines = {n...}}
--   with i, j 1-based inclusive bytes of the original (doc:sub(b) is its
--   text). The array also carries `labels`, one label per line ("blank"
--   for empty lines), and `title_line` (or nil). opts.model is a corpus
--   model from clean.learn(): lines repeated across documents of the same
--   site are boilerplate. Results without a model are cached per doc.
--
-- clean.body_spans(doc) -> sorted, non-overlapping array of {i, j} covering
--   the title, heading and body blocks: what the extractors search. Cached
--   per doc in a weak-keyed table, so repeated calls are free.
--
-- doc:body() (added to lode.Doc) -> {text, spans, origin}
--   text is the title, heading and body lines joined by "\n"; spans is
--   body_spans(doc); body:origin(i, j) maps a range of `text` (1-based
--   inclusive) back to the original bytes i0, j0 (binary search over the
--   line pieces). A position on a joining "\n" maps to the end of the line
--   before it.
--
-- clean.learn(docs) -> model; clean.corpus_model(paths) -> model
--   Counts, over a set of documents (Docs or paths), in how many documents
--   each normalized line occurs (case, digits and spacing folded).
--
-- How it decides, in passes (docs/DESIGN.md, "Pages"): structure (front
-- matter, markup-only lines, HTML furniture), units (paragraphs, judged on
-- their plain text from lode.markup), then jusText-like classes: every
-- unit gets features (length, words, stop-word density, terminal
-- punctuation, link share, list items, ids and file names, date-only
-- shape, prompt phrases from lode/data/clean_*.txt, speaker turns,
-- repetition in the page and across the corpus) and a class good / near /
-- short / bad. Runs of good units with small gaps, cut at related /
-- comment / footer headers, are scored by their text; the best run is the
-- article (find_article), grown over an in-page block that splits it.
-- Bios close it (mark_bios); the units just above it hold the title, deck,
-- byline and caption (label_header); inside it, headings, captions and a
-- sign-off (label_article); after it, headers set the mode: related,
-- comment, footer (label_after). Last, units set apart that repeat the
-- article's words are pull-quotes (mark_repeats).
--
-- Cost: the lines come trimmed from C (doc:trimmed_lines), a short line is
-- tested against one union of the vocabularies before the vocabularies one
-- by one, a long line's caption test runs only where a label depends on
-- it, and the features of short lines are kept across documents (at most
-- clean.SHARED_MAX lines): boilerplate repeats on every page of a site.

local core = require "lode.core"
local words = require "lode.words"
local markup = require "lode.markup"

local io, table, string, math = io, table, string, math
local ipairs, pairs, setmetatable, type, select =
  ipairs, pairs, setmetatable, type, select
local lower, sub, find, match, gsub, gmatch, byte =
  string.lower, string.sub, string.find, string.match, string.gsub, string.gmatch,
  string.byte
local concat = table.concat
local floor = math.floor
-- The Doc methods, called as Doc.units(doc, ...): doc:units(...) would
-- look the name up through the Doc's __index function, a C call a time
local Doc = core.Doc

local M = {}

M.LABELS = {"title", "heading", "body", "caption", "pullquote", "byline", "bio", "nav",
            "front_matter", "markup",
            "promo", "related", "comment", "footer"}
M.BODY = {title = true, heading = true, body = true}

-- Tunables (exposed so a script can experiment).
M.GOOD_WORDS = 10      -- a paragraph line has at least this many words
M.NEAR_WORDS = 5       -- a short sentence
M.STOP_DENSITY = 0.20  -- share of stop words in running English prose
M.GAP = 4              -- non-good lines allowed inside the article
M.SHORT_LEN = 160      -- prompt phrases are looked for on lines this short
M.SAMPLE = 600         -- bytes of a long line used for word statistics
M.LINK_SHARE = 0.5     -- a unit this much link text is a menu or a list of links
M.SIGNOFF_WORDS = 3    -- a last unit this short, without a sentence mark, signs off
M.CAPTION_LEN = 300    -- an emphasized line this short under an image is its caption

-- --- vocabularies ------------------------------------------------------------

local vocab_cache, alts_cache = {}, {}

-- The entries of a data file (PCRE fragments).
local function vocab_alts(name)
  local alts = alts_cache[name]
  if alts then return alts end
  local path = words.data_path(name .. ".txt")
  if not path then error("lode data file not found: " .. name .. ".txt") end
  alts = {}
  for line in io.lines(path) do
    local e = match(line, "^%s*(.-)%s*$")
    if e ~= "" and sub(e, 1, 1) ~= "#" then alts[#alts + 1] = e end
  end
  alts_cache[name] = alts
  return alts
end

-- Does the fragment e hold a "|" outside its groups and classes (so that
-- its first item is not the first item of all its matches)? Escapes,
-- classes and groups are cut out before looking; a class opening with
-- "]" ("[]|]") would defeat the cut: a "|" is assumed then.
local function has_top_bar(e)
  if not find(e, "|", 1, true) then return false end
  e = gsub(e, "\\.", "")
  if find(e, "[]", 1, true) or find(e, "[^]", 1, true) then return true end
  return find(gsub(gsub(e, "%b[]", ""), "%b()", ""), "|", 1, true) ~= nil
end

-- Fragments as alternatives, those opening with "^" or a lower-case letter
-- (not quantified) grouped by it: "s(?:ubscribe|ign up)", those after "^"
-- by their next letter. PCRE tries alternatives in turn at each word
-- start of a line: a hundred of them, where the groups try one letter a
-- group. It matches a line where the plain alternation does (only
-- whether it matches is asked, not where).
local function grouped(entries)
  local heads, by_head, rest = {}, {}, {}
  for _, e in ipairs(entries) do
    local h = match(e, "^[%^a-z]")
    if h and not find(e, "^.[?*+{]") and not has_top_bar(e) then
      if not by_head[h] then heads[#heads + 1] = h; by_head[h] = {} end
      local g = by_head[h]
      g[#g + 1] = sub(e, 2)
    else
      rest[#rest + 1] = "(?:" .. e .. ")"
    end
  end
  for _, h in ipairs(heads) do
    local tails = by_head[h]
    rest[#rest + 1] = h .. "(?:" .. (h == "^" and grouped(tails) or concat(tails, "|")) .. ")"
  end
  return concat(rest, "|")
end

--- The case-insensitive pattern of a vocabulary: its entries (PCRE
-- fragments) as alternatives between letter boundaries, grouped. It
-- matches a text exactly when one of the entries does there.
function M.vocab_pattern(entries)
  return "(?<!\\p{L})(?:" .. grouped(entries) .. ")(?!\\p{L})"
end

-- One case-insensitive PCRE for data files. `names` is one file name or
-- several joined by "+". Only whether it matches a line is asked.
local function vocab(names)
  local re = vocab_cache[names]
  if re then return re end
  local entries = {}
  for name in gmatch(names, "[^+]+") do
    for _, e in ipairs(vocab_alts(name)) do entries[#entries + 1] = e end
  end
  re = core.regex(M.vocab_pattern(entries), "i")
  vocab_cache[names] = re
  return re
end

-- Every vocabulary a short line is tested against, as one regex: most
-- short lines match none of them, and one search says so (the union
-- matches exactly when one of its parts does).
local SHORT_VOCABS = "clean_promo+clean_related+clean_comment+clean_footer+" ..
  "clean_nav+clean_byline+clean_caption"

-- A regex compiled on first use (a page without a bio never needs one).
local function lazy_regex(p, flags)
  local re
  return function()
    re = re or core.regex(p, flags)
    return re
  end
end

local MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?"
-- a time zone, with its offset ("EDT", "GMT+4", "(UTC+04:00)")
local ZONE = "\\(?[A-Z]{2,4}(?:[+-]\\d{1,2}(?::?\\d{2})?)?\\)?"
-- a time of day alone: "2:05 P.M. EDT", a live blog's "13:40 GMT"
local TIME_ONLY = "^\\d{1,2}[:.]\\d{2}\\s*[ap]\\.?m\\.?(?:\\s+" .. ZONE .. ")?$|" ..
  "^\\d{1,2}:\\d{2}(?:\\s+" .. ZONE .. ")?$"
local DATE_ONLY = TIME_ONLY .. "|" ..
  "^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?(?:" ..
  MONTH .. "\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+" ..
  MONTH .. ",?\\s+\\d{4}|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}|" ..
  -- a day, a month's name in another language, a year ("15 апреля 2024")
  "\\d{1,2}\\.?\\s+\\p{L}{3,12}\\.?\\s+\\d{4}|" ..
  -- ISO 8601, with a time as feeds and pages' machine dates give it
  "\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)?)" ..
  "(?:\\s*(?:at|,|-|–|\\|)?\\s*\\[?\\d{1,2}[:.]\\d{2}(?:\\s*[ap]\\.?m\\.?|\\s*uhr)?\\]?)?(?:\\s+" .. ZONE .. ")?" ..
  -- a dateline's place, glued on as scrapes do it ("Oct 3rd 2020ISTANBUL"),
  -- or when it was updated ("Updated 3 hours ago")
  "(?:\\s*(?-i:\\p{Lu}{3,20})|\\s*[|·•,–-]?\\s*(?:(?:last )?updated|by)\\b.{0,40})?$" ..
  "|^\\d+\\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\\s+ago$"

-- A name (2-4 capitalised words, with particles) opening a bio paragraph.
local PARTICLE = "(?:van|von|de|der|del|al|el|bin|ibn|da|di|du|la|le|ter)"
local BIO_OPEN = "^(\\p{Lu}[\\p{L}'’.-]+(?:\\s+(?:" .. PARTICLE ..
  "\\s+)?\\p{Lu}[\\p{L}'’.-]*){1,3}),?\\s+" ..
  "(?:is|was|has|holds|held|serves|served|works|worked|teaches|writes|covers|received|earned|" ..
  "previously|joined|leads|heads|directs|specializes|specialises|founded|co-founded|graduated)\\b"
local NAME_ONLY = "^\\p{Lu}[\\p{L}'’.-]+(?:\\s+(?:" .. PARTICLE ..
  "\\s+)?\\p{Lu}[\\p{L}'’.-]*){1,3}$"
-- A byline of a name alone, as a header sets it next to its date: "Anna
-- Petrova", "Anna Petrova," (a role on the next line), "Anna Petrova in Baku"
local PERSON_LINE = sub(NAME_ONLY, 1, -2) ..
  "(?:,|\\s+in\\s+\\p{Lu}[\\p{L}-]+(?:\\s+\\p{Lu}[\\p{L}-]+)?)?$"
M.BIO_OPEN, M.NAME_ONLY, M.DATE_ONLY = BIO_OPEN, NAME_ONLY, DATE_ONLY

-- A menu as scrapes flatten it: three or more items of one to three words,
-- each capitalised, set apart by wide spaces, tabs or bars ("World  Business
-- Markets", "Home | News | Sport"), or a breadcrumb ("Home > World > Europe"). Case-sensitive; tried only on a short
-- line holding such a gap (MENU_GAPS, plain finds).
local MENU_ITEM = "\\p{Lu}[\\p{L}\\p{N}.&'’-]*(?: [\\p{L}\\p{N}.&'’-]+){0,2}"
local MENU_SEP = "(?:[ \\t]{2,}|\\t|[ \\t]*[|·•][ \\t]*|[ \\t]+[>»›/][ \\t]+)"
M.MENU_ROW = "^" .. MENU_ITEM .. "(?:" .. MENU_SEP .. MENU_ITEM .. "){2,}$"
local MENU_GAPS = {"  ", "\t", "|", "·", "•", " > ", " » ", " › ", " / "}

-- --- per-line features -----------------------------------------------------------

local function fold_line(s)
  if find(s, "\194\160", 1, true) then s = gsub(s, "\194\160", " ") end
  -- "^%s*(.-)%s*$" would try the tail pattern at every byte; ".*%S"
  -- runs to the end in one step and backs up over the trailing spaces only
  return match(s, "^%s*(.*%S)") or ""
end

--- The key a line is counted under in a corpus model.
function M.line_key(s)
  s = lower(fold_line(s))
  if #s > 200 then s = sub(s, 1, 200) end
  s = gsub(gsub(s, "%d+", "0"), "%s+", " ")
  return s
end

local function is_idlike(t)
  if find(t, "%s") then
    -- "Bildschirmfoto 2022-06-21 um 08.49.18": a screenshot's file name
    return #t < 60 and find(t, "%d%d%d%d%-%d%d%-%d%d") and find(t, "%d%d?[.:]%d%d[.:]%d%d") and true
  end
  if find(t, "%d") and find(t, "[%a_%-]") then return true end
  if find(t, "_") then return true end
  if select(2, gsub(t, "%-", "")) >= 2 then return true end
  if find(t, "%.%a%a%a?%a?$") and find(t, "%.[jJpPgGwWsStT][pPnNiIeEvV][gGfFbBpP]?[gG]?$") then return true end
  if #t >= 16 and find(t, "^%x+$") then return true end
  return false
end

local CLOSERS = "['\"”’»)%]]"
local NOT_CLOSER = "[^'\"”’»)%]]"
local ENDING = "([.!?])" .. CLOSERS .. "*$"
local MARK = {[46] = ".", [33] = "!", [63] = "?"}

-- Bytes of a pattern's byte class (a Lua set like "[•·]" holds the bytes
-- of its UTF-8 characters, not the characters), as a lookup table.
local function byte_set(class)
  local set = {}
  for b = 0, 255 do if find(string.char(b), class) then set[b] = true end end
  return set
end
local CLOSER_BYTE = byte_set(CLOSERS)
-- Bullets a line may open with, as whole characters: a byte set of their
-- UTF-8 would also hold the first byte of “ (E2 80 9C), as • (E2 80 A2).
local BULLETS = {"•", "·", "▪", "►", "▸", "●", "◦", "‣", "*"}
local BULLET_LEAD = {}
for _, b in ipairs(BULLETS) do BULLET_LEAD[byte(b)] = true end
-- (t opens with a byte of BULLET_LEAD)
local function opens_with_bullet(t)
  for x = 1, #BULLETS do
    local b = BULLETS[x]
    if sub(t, 1, #b) == b then return true end
  end
  return false
end

-- The sentence mark ending t before its closing quotes or brackets (".",
-- "!", "?"), or nil, for a t that ends in one (CLOSER_BYTE). Looked for in
-- the last bytes only: an unanchored "...$" pattern is tried at every
-- byte of a long line.
local function closed_mark(t)
  if #t > 16 then
    local tail = sub(t, -16)
    if find(tail, NOT_CLOSER) then return match(tail, ENDING) end
  end
  return match(t, ENDING)
end

local date_re = lazy_regex(DATE_ONLY, "i")
local function is_date_only(t)
  return date_re():find(t) ~= nil
end
local time_re = lazy_regex(TIME_ONLY, "i")

local menu_re = lazy_regex(M.MENU_ROW, "")
local function is_menu_row(t)
  for x = 1, #MENU_GAPS do
    if find(t, MENU_GAPS[x], 1, true) then return menu_re():find(t) ~= nil end
  end
  return false
end

-- The features of a line, by position in its table: f[NW] is its word
-- count. Byte length; words ("%a+" runs, extrapolated from the sample);
-- share of stop words; ends in a sentence mark (or "…"); ends in ".";
-- opens with a bullet; holds a letter; is a photo caption; is short (at
-- most SHORT_LEN bytes or 15 words); looks like an id or file name; is a
-- date alone; and the vocabulary flags of a short line (prompt phrases
-- of lode/data/clean_*.txt).
local LEN <const>, NW <const>, DENSITY <const>, TERM <const> = 1, 2, 3, 4
local PERIOD <const>, BULLET <const>, LETTERS <const>, CAPTION <const> = 5, 6, 7, 8
local SHORT <const>, ID <const>, DATE <const> = 9, 10, 11
local PROMO <const>, RELATED <const>, COMMENT <const>, FOOTER <const> = 12, 13, 14, 15
local NAV <const>, BYLINE <const> = 16, 17

-- Features of one (non-blank) line; `t` is the folded, trimmed text.
-- `stopset` is the stop words as a lode.core WordSet: one C pass per line
-- counts the words ("%a+" runs) and the stop words.
-- The table is an array built in one constructor (a named field would
-- cost a key insertion each; positions are stored at once) with every
-- field a line of its kind has (short lines have the vocabulary flags,
-- long ones do not: absent is false), so it never grows: a long line's
-- table has nine slots (pages hold thousands of them), the caption false
-- from the start on a line too long to be one, else nil until
-- is_caption() asks, and SHORT false, as every pass reads it. The flags
-- of a short line that matches no vocabulary (most of them) are false
-- without asking. (A read past the array's end takes Lua's slow path, a
-- hash lookup and luaV_finishget.) It depends on the text alone: what a
-- document decides about a line (its class...) is kept apart (classify).
local function features(t, stopset)
  local len = #t
  local slen = len > M.SAMPLE and M.SAMPLE or len
  local nw, ns = stopset:word_count(t, 1, slen)
  if nw * 8 < slen and find(t, "[\206-\223\225]") then
    -- few Latin words for its bytes: count the words of a script written
    -- with two-byte letters (Cyrillic, Armenian, Greek...) or Georgian,
    -- which "%a+" does not see (curly quotes, E2, open none)
    for _ in gmatch(slen < len and sub(t, 1, slen) or t, "%f[%S][\206-\223\225]") do
      nw = nw + 1
    end
  end
  local first, last = byte(t, 1), byte(t, -1)
  -- the sentence mark ending the line (".", "!", "?"), or nil; behind
  -- closing quotes or brackets only when it ends in one (a closer is no
  -- mark: MARK[last] is nil then too)
  local mark = CLOSER_BYTE[last] and closed_mark(t) or MARK[last]
  local nws = slen < len and floor(nw * len / slen) or nw
  local density = nw > 0 and ns / nw or 0
  -- byte tests before the substrings: most lines end in no "…" (its
  -- last byte is 0xA6) and start with no bullet or "- " (0x2D)
  local term = mark ~= nil or (last == 0xA6 and sub(t, -3) == "…")
  local bullet = (BULLET_LEAD[first] and opens_with_bullet(t)) or (first == 0x2D and byte(t, 2) == 0x20)
  -- a word of the sample is a letter; else look for one
  local letters = nw > 0 or find(t, "%a") ~= nil or find(t, "[\195-\244]") ~= nil
  if len > M.SHORT_LEN and nws > 15 then
    -- most long lines are prose of the article, where the caption test
    -- does not matter: it waits for is_caption()
    local caption = nil
    if len >= 600 then caption = false end
    return {len, nws, density, term, mark == ".", bullet, letters, caption, false}
  end
  local id, date = nws <= 6 and is_idlike(t), nws <= 8 and is_date_only(t)
  local menu = nws >= 3 and not term and is_menu_row(t)
  if not vocab(SHORT_VOCABS):find(t) then
    return {len, nws, density, term, mark == ".", bullet, letters, false, true, id, date,
            false, false, false, false, menu, false}
  end
  return {
    len, nws, density, term, mark == ".", bullet, letters,
    vocab("clean_caption"):find(t) ~= nil, true, id, date,
    vocab("clean_promo"):find(t) ~= nil,
    vocab("clean_related"):find(t) ~= nil,
    vocab("clean_comment"):find(t) ~= nil,
    vocab("clean_footer"):find(t) ~= nil,
    menu or (nws <= 6 and vocab("clean_nav"):find(t) ~= nil),
    vocab("clean_byline"):find(t) ~= nil,
  }
end

-- Is the line (features f, text t) a photo caption? Computed on first use
-- for long lines (see features).
local function is_caption(f, t)
  local c = f[CAPTION]
  if c == nil then
    c = vocab("clean_caption"):find(t) ~= nil
    f[CAPTION] = c
  end
  return c
end

-- Features of short lines, kept across documents: menus, share buttons,
-- dates and footers repeat on every page of a site. A short line's table
-- is never written once built (its caption is known), so documents share
-- it; the cache is emptied when it holds SHARED_MAX lines or when a
-- tunable the features read has changed. A thousand lines (about a
-- megabyte) hold a site's boilerplate; more would only let a batch job's
-- memory grow with its corpus (most pages add a line of their own).
M.SHARED_MAX = 1000
local shared, nshared = {}, 0
local shared_sample, shared_short   -- the tunables the cache was filled under

-- The features of a line of at most SHORT_LEN bytes (so a short line).
local function shared_features(t, stopset)
  local f = shared[t]
  if f then return f end
  f = features(t, stopset)
  if nshared >= M.SHARED_MAX then shared, nshared = {}, 0 end
  shared[t] = f
  nshared = nshared + 1
  return f
end

local function check_shared()
  if M.SAMPLE ~= shared_sample or M.SHORT_LEN ~= shared_short then
    shared, nshared, shared_sample, shared_short = {}, 0, M.SAMPLE, M.SHORT_LEN
  end
end

local function title_like(f, t, list)
  return f[LETTERS] and f[NW] >= 2 and f[NW] <= 25 and f[LEN] <= 220 and not f[PERIOD]
    and not list and not f[ID] and not f[DATE] and not f[PROMO] and not f[RELATED]
    and not f[COMMENT] and not f[FOOTER] and not f[NAV] and not f[BYLINE]
    and not is_caption(f, t) and sub(t, -1) ~= ":" and find(t, "^[%u%d\"'“‘\195-\244]") ~= nil
end

-- --- the cleaner -----------------------------------------------------------------

local cache = setmetatable({}, {__mode = "k"})

local function model_count(model, t)
  if not model then return 0 end
  return model.counts[M.line_key(t)] or 0
end

-- --- pass 1: the page's structure -------------------------------------------

-- Lines that are never prose, labelled before the article is looked for:
-- front matter (doc:front_matter()), markup-only lines (an HTML tag spread
-- over lines included), and an emphasized line under an image (its
-- caption). S[k] is the label of such a line k.
local ONLY_FIRST = {}       -- (markup.only is false for a line opening with none)
for b in markup.ONLY_BYTES:gmatch(".") do ONLY_FIRST[byte(b)] = true end
-- The bytes a line labelled here opens with: markup.only's, an open tag's
-- "<" and an emphasized line's "*" and "_". Other lines are visited only
-- while a tag is open or just after an image (doc:lines_opening finds
-- the others in C): most lines of a page are none of these.
local STRUCTURE_BYTES = markup.ONLY_BYTES .. "<*_"
local function mark_structure(doc, T, n)
  local S = {}
  local fm = Doc.front_matter(doc)
  local last = fm and fm.line_last
  if fm then for k = fm.line_first, last do S[k] = "front_matter" end end
  local K = Doc.lines_opening(doc, T, STRUCTURE_BYTES, (last or 0) + 1)
  local open, image = false, false
  -- k: the line visited, K[x]: the next line of K at or after it
  local k, x = (last or 0) + 1, 1
  while true do
    if not (open or image) then k = K[x] end
    if not k or k > n then break end
    if K[x] == k then x = x + 1 end
    local t = T[k]
    if t ~= "" then
      local first = byte(t)
      if open then
        S[k] = "markup"
        open = find(t, ">", 1, true) == nil
      elseif ONLY_FIRST[first] and markup.only(t) then
        S[k] = "markup"
      elseif first == 60 and markup.open_tag(t) then      -- "<"
        S[k] = "markup"
        open = true
      elseif image and markup.emphasized(t) and #t <= M.CAPTION_LEN then
        S[k] = "caption"        -- ![](photo.jpg) then *The bridge at dawn.*
      end
      image = S[k] == "markup" and markup.image(t)
    end
    k = k + 1
  end
  return S
end

-- --- pass 2: units -----------------------------------------------------------

-- Whether a line is set apart from the prose around it, as pull-quotes
-- are: it opens with emphasis or a quotation mark (M.APART_OPENERS).
M.APART_OPENERS = {"_", "*", "“", "\"", "‘", "'", "«"}

-- An HTML page's text has one line a block element, and doc:markup() says
-- which: a unit is a line, its kind from its element (h1-h6, li,
-- blockquote) and its link share from the bytes inside <a>. A line inside
-- page furniture gets a structure label: M.HTML_FURNITURE wherever it
-- stands, M.HTML_PAGE_PARTS outside the article's own element
-- (M.HTML_ARTICLE), where a <header> holds the headline. The first
-- element of a list that holds the line gives its label.
M.HTML_FURNITURE = {{"figcaption", "caption"}, {"aside", "related"}, {"nav", "nav"},
                    {"form", "nav"}}
M.HTML_PAGE_PARTS = {{"header", "nav"}, {"footer", "footer"}}
M.HTML_ARTICLE = {"article", "main"}
local function context_label(ctx, list)
  for _, e in ipairs(list) do
    if ctx[e[1]] then return e[2] end
  end
end

local HTML_KIND = {h1 = "heading", h2 = "heading", h3 = "heading", h4 = "heading",
                   h5 = "heading", h6 = "heading", li = "list", blockquote = "quote"}
local function html_units(doc, T, S)
  local first, last, text, kind, link, h1, apart = {}, {}, {}, {}, {}, {}, {}
  local nu = 0
  local lines = doc:markup()
  for k, t in ipairs(T) do
    local m = lines[k]
    if t ~= "" and not S[k] and m then
      local ctx, in_article = m.context or {}, false
      for _, a in ipairs(M.HTML_ARTICLE) do in_article = in_article or ctx[a] ~= nil end
      local furniture = context_label(ctx, M.HTML_FURNITURE)
      if not furniture and not in_article then furniture = context_label(ctx, M.HTML_PAGE_PARTS) end
      if furniture then
        S[k] = furniture
      else
        nu = nu + 1
        first[nu], last[nu], text[nu] = k, k, t
        kind[nu] = HTML_KIND[m.block] or false
        h1[nu] = m.block == "h1"
        link[nu] = m.link_density or 0
        apart[nu] = m.block == "blockquote" or ctx.figure ~= nil
      end
    end
  end
  return {first = first, last = last, text = text, kind = kind, link = link, h1 = h1,
          apart = apart, n = nu}
end

-- The cleaner judges units, not lines: a paragraph of the core segmenter
-- (a hard-wrapped paragraph is one unit, not ten short lines; in a
-- Markdown page, whose line breaks are soft, a run of non-blank lines),
-- cut at the structure lines and before a line with a leading marker (a
-- heading, a list item). Returns parallel arrays: first and last line,
-- plain text (lode.markup.line of each line, joined by spaces), and
-- whether it is set apart; and, set only for the units that hold markup
-- (absent: none), the marker's kind, whether it is a first-level heading
-- ("# ") and the share of the text that is link text. A unit with no
-- plain text left ("[](x)") is markup: its lines go into S.
local UNITS_OPTS = {breaks = false, soft = false, leader = false, openers = false,
                    lead = false, marks = false}   -- doc:units' options, set per page
local function build_units(doc, T, S, markdown)
  if doc.format == "html" then return html_units(doc, T, S) end
  -- the lines grouped in C (core/units.h); a unit's text comes joined
  -- from there unless a line holds markup, which lode.markup reads here
  -- (a unit or two a page: the others are not visited)
  local o = UNITS_OPTS
  o.breaks, o.soft, o.leader, o.openers = S, markdown, markup.leader, M.APART_OPENERS
  o.lead, o.marks = markup.LEAD_BYTES, markup.MARK_BYTES
  local UF, UL, UT, UA = Doc.units(doc, T, o)
  o.breaks = false    -- (the page's lines are not kept past the page)
  local kind, link, h1 = {}, {}, {}
  local nunits, dropped = #UF, false
  for u = 1, nunits do
    if not UT[u] then
      local a, b = UF[u], UL[u]
      local t, kd, nlink = markup.line(T[a])
      if b > a then
        local parts = {t}
        for m = a + 1, b do
          local p, _, nl = markup.line(T[m])
          parts[#parts + 1] = p
          nlink = nlink + nl
        end
        t = concat(parts, " ")
      end
      UT[u] = t
      if t == "" then
        dropped = true
      else
        kind[u] = kd
        if kd == "heading" then h1[u] = find(T[a], "^#%s") ~= nil end
        link[u] = nlink / #t
        if kd == "quote" then UA[u] = true end
      end
    end
  end
  -- the arrays compacted in place where a unit with no plain text left
  -- drops out: no copy of each
  if dropped then
    local nu = 0
    for u = 1, nunits do
      local a, b, t = UF[u], UL[u], UT[u]
      if t == "" then
        for m = a, b do S[m] = "markup" end
      else
        nu = nu + 1
        UF[nu], UL[nu], UT[nu], UA[nu] = a, b, t, UA[u]
        kind[nu], link[nu], h1[nu] = kind[u], link[u], h1[u]
      end
    end
    for u = nu + 1, nunits do
      UF[u], UL[u], UT[u], UA[u], kind[u], link[u], h1[u] = nil, nil, nil, nil, nil, nil, nil
    end
    nunits = nu
  end
  return {first = UF, last = UL, text = UT, kind = kind, link = link, h1 = h1,
          apart = UA, n = nunits}
end

-- --- pass 3: the article -----------------------------------------------------

-- Speaker turns of a transcript or an interview: units opening with a
-- label ("MR. KIRBY:", "Q", "Question:", "Tolmajian:") that opens other
-- units too. TURN[k] is true for the turns of a page with TURN_MIN or more.
M.TURN_MIN = 4
M.TURN_LABELS = {
  "^(%u[%u%.'’%- ]+):%s",          -- MR. KIRBY:  THE PRESIDENT:
  "^(%u[%w%.'’%-]*):%s",           -- Question:  Tolmajian:
  "^(%u[%w%.'’%-]* %u[%w%.'’%-]*):%s", -- Hasmik Tolmajian:
  "^([QA])%s",                     -- Q   Back here?
}
local NO_TURNS = {}      -- (the answer of most pages; never written)
local function speaker_turns(doc, T)
  -- a label ends in a colon within 42 bytes, or is a lone Q or A: only
  -- those units (listed in C, in two ascending lists walked as one) are
  -- matched against the labels
  local CO, QA = Doc.lines_holding(doc, T, ":", 42), Doc.lines_opening(doc, T, "QA")
  if not CO[1] and not QA[1] then return NO_TURNS end
  local label, count, total = {}, {}, 0
  local x, y = 1, 1
  while true do
    local c, q = CO[x], QA[y]
    local k
    if c and (not q or c <= q) then
      k, x = c, x + 1
      if q == c then y = y + 1 end
    elseif q then
      k, y = q, y + 1
    else
      break
    end
    local t = T[k]
    if k == c or find(t, "^[QA]%s") then
      local labels = M.TURN_LABELS
      for r = 1, #labels do
        local l = match(t, labels[r])
        if l and #l <= 40 then
          label[k] = l
          count[l] = (count[l] or 0) + 1
          break
        end
      end
    end
  end
  local turn = {}
  for k, l in pairs(label) do
    if count[l] >= 2 then
      turn[k] = true
      total = total + 1
    end
  end
  return total >= M.TURN_MIN and turn or NO_TURNS
end

-- Features and a class for every unit (U from build_units) of the page doc.
local function classify(doc, U, opts)
  local stopset = words.wordset("stopwords_en")
  local model = opts.model
  local T, n = U.text, U.n
  local F = {}
  local seen = {}
  check_shared()
  local short_len = M.SHORT_LEN
  local good_words, near_words, stop_density = M.GOOD_WORDS, M.NEAR_WORDS, M.STOP_DENSITY
  -- long lines, and those of them dense in stop words (English)
  local long, english = 0, 0
  for k = 1, n do
    local t = T[k]
    if t ~= "" then
      -- identical short lines (menus, dates, "Opinion") share one feature
      -- table: every feature depends on the text alone. Long lines are
      -- rarely repeated, and hashing one reads every byte.
      local f
      if #t <= short_len then
        f = shared_features(t, stopset)
      else
        f = features(t, stopset)
      end
      F[k] = f
      if f[SHORT] then seen[t] = (seen[t] or 0) + 1 end
      if f[NW] >= good_words then
        long = long + 1
        if f[DENSITY] >= stop_density then english = english + 1 end
      end
    end
  end
  -- A page in another language has no stop words: judge by length alone.
  local dmin = (long > 0 and english * 5 < long) and 0 or stop_density
  local TURN = speaker_turns(doc, T)
  local ndocs = model and model.ndocs or 0
  -- what this document decides about line k, by line: its class, whether
  -- it is boilerplate of the corpus, a bare "Read more", a hard break (the
  -- last three only where true); and its label so far
  local C, BOIL, MORE, HARD, L, LIST = {}, {}, {}, {}, {}, {}
  local link_share = M.LINK_SHARE
  local KIND, LINK = U.kind, U.link
  for k = 1, n do
    local f = F[k]
    if not f then
      L[k] = "blank"
    else
      L[k] = "?"
      local t = T[k]
      local list = KIND[k] == "list" or f[BULLET]
      if list then LIST[k] = true end      -- (read as a flag: absent is false)
      local short = f[SHORT]
      local mc = model and model_count(model, t) or 0
      local cls
      local marker = short and (f[PROMO] or f[RELATED] or f[COMMENT] or f[FOOTER] or f[NAV])
      local nw = f[NW]
      if (LINK[k] or 0) >= link_share then
        cls = "bad"                 -- a menu, a list of teasers, a source list
      elseif TURN[k] then
        cls = "good"                -- "Q  Back here?" is the transcript too
      elseif nw >= good_words and f[DENSITY] >= dmin and (f[TERM] or nw >= 25)
          and not marker then
        cls = "good"
        if mc >= 2 and ndocs >= 4 and mc * 2 >= ndocs then cls = "bad"; BOIL[k] = true end
      elseif not f[LETTERS] or f[ID] or f[DATE] or list or marker or (short and seen[t] > 1) then
        cls = "bad"
      elseif mc >= 2 then
        cls = "bad"; BOIL[k] = true
      elseif nw >= near_words and f[TERM] and f[DENSITY] >= dmin * 0.7 then
        cls = "near"
      else
        cls = "short"
      end
      C[k] = cls
      -- (the vocabulary flags are a short line's: a long one has none)
      if marker then
        -- a bare "Read more" closes one teaser of a list: not a hard break
        local more = f[RELATED] and nw <= 3 and (find(lower(t), "^%W*read more%W*$")
          or find(lower(t), "^%W*continue reading%W*$")) and true
        if more then MORE[k] = true end
        if (f[RELATED] or f[COMMENT] or f[FOOTER]) and not f[CAPTION] and not more then
          HARD[k] = true
        end
      end
    end
  end
  return T, F, n, {cls = C, boiler = BOIL, more = MORE, hard = HARD, labels = L, list = LIST}
end

-- The next non-blank line after k (or nil).
local function next_line(F, k, n)
  for m = k + 1, n do if F[m] then return m end end
end
local function prev_line(F, k)
  for m = k - 1, 1, -1 do if F[m] then return m end end
end

-- Runs of good lines: gaps of at most M.GAP non-good lines, cut at hard
-- breaks (related / comment / footer headers). Returns the best run's
-- first and last line, or nil.
-- (a run [s, e] of `score` in mode run_mode closed: kept in runs, and
-- as the best one when it weighs more than `best`; a function of the
-- module, not a closure made for every page)
local function close_run(runs, best, bs, be, s, e, score, run_mode)
  local w = (run_mode == "comment" and 0.3) or (run_mode == "related" and 0.5)
    or (run_mode == "footer" and 0.2) or 1
  if not best or score * w > best then best, bs, be = score * w, s, e end
  runs[#runs + 1] = {s = s, e = e, mode = run_mode}
  return best, bs, be
end
local function best_run(F, C, HARD, n, goodcls)
  local best, bs, be
  local runs = {}
  local s, e, score, gap, mode = nil, nil, 0, 0, nil
  local run_mode
  local max_gap, sterm = M.GAP, goodcls.sterm
  for k = 1, n do
    local cls = C[k]      -- a class exactly where a line is not blank
    if cls then
      if HARD[k] then
        local f = F[k]
        if s then
          best, bs, be = close_run(runs, best, bs, be, s, e, score, run_mode)
          s, e, score, gap = nil, nil, 0, 0
        end
        mode = (f[COMMENT] and "comment") or (f[RELATED] and "related") or "footer"
      elseif goodcls[cls] or (sterm and cls == "short" and F[k][TERM]) then
        if not s then s, run_mode = k, mode end
        e, gap = k, 0
        score = score + F[k][LEN]
      elseif s then
        gap = gap + 1
        if gap > max_gap then
          best, bs, be = close_run(runs, best, bs, be, s, e, score, run_mode)
          s, e, score, gap = nil, nil, 0, 0
        end
      end
    end
  end
  if s then
    local _
    _, bs, be = close_run(runs, best, bs, be, s, e, score, run_mode)
  end
  return bs, be, runs
end

-- An article split by an in-page block (a "Related videos" list, a run
-- of captions, a factbox) goes on after it. The run [s, e] grows over a
-- neighbouring run of the same article: one after it, past a block of
-- at most SPLIT_GAP units that a related or promo header opens, when the
-- run opens with two good units, or three with one sub-heading between
-- (teaser lists alternate titles and blurbs); one before it, past any such block, when every unit of it is
-- good. Never past a comment or footer header. Returns s, e and the
-- block units' labels (k -> label).
M.SPLIT_GAP = 12
local function join_split(F, C, HARD, LINK, runs, s, e)
  local block = {}
  -- the run's second good unit follows its first, or a sub-heading
  -- without links between them (a teaser list's titles are links, or
  -- stand between every two blurbs)
  local function prose_opens(r)
    local k, skipped = r.s + 1, 0
    while k <= r.e and (not C[k] or C[k] ~= "good") do
      if C[k] then
        skipped = skipped + 1
        if skipped > 1 or (LINK[k] or 0) >= M.LINK_SHARE / 2 or F[k][TERM] then return false end
      end
      k = k + 1
    end
    if k > r.e then return false end
    -- with a heading between, the run goes on as prose after the next good unit
    return skipped == 0 or (C[k + 1] == "good")
  end
  local function between(a, b)        -- non-blank units strictly inside (a, b)
    local ks = {}
    for k = a + 1, b - 1 do if C[k] then ks[#ks + 1] = k end end
    return ks
  end
  local function header_of(ks)
    for _, k in ipairs(ks) do
      local f = F[k]
      if f[SHORT] and (f[RELATED] or f[PROMO]) and not f[COMMENT] and not f[FOOTER] then return true end
    end
    return false
  end
  local function hard_stop(ks)
    for _, k in ipairs(ks) do
      if HARD[k] and (F[k][COMMENT] or F[k][FOOTER]) then return true end
    end
    return false
  end
  local function take(ks)
    for _, k in ipairs(ks) do block[k] = F[k][PROMO] and "promo" or "related" end
  end
  local at
  for x = 1, #runs do if runs[x].s == s then at = x end end
  for x = at + 1, #runs do
    local r = runs[x]
    local ks = between(e, r.s)
    if #ks > M.SPLIT_GAP or hard_stop(ks) or not header_of(ks) or r.mode == "comment"
        or r.mode == "footer" or C[r.s] ~= "good" or not prose_opens(r) then
      break
    end
    take(ks)
    e = r.e
  end
  for x = at - 1, 1, -1 do
    local r = runs[x]
    local ks = between(r.e, s)
    local all_good, count = true, 0
    for k = r.s, r.e do
      if C[k] then
        count = count + 1
        if C[k] ~= "good" then all_good = false end
      end
    end
    if #ks > M.SPLIT_GAP or hard_stop(ks) or r.mode or not all_good or count < 2 then break end
    take(ks)
    s = r.s
  end
  return s, e, block
end

local bio_re, name_re = lazy_regex(BIO_OPEN), lazy_regex(NAME_ONLY)
local person_re = lazy_regex(PERSON_LINE)

-- The titles of lode/data/titles.txt, lower case: "President X is ..."
-- opens a statement about X, not an author's bio.
local titles_lower
local function is_title(w)
  if not titles_lower then
    titles_lower = {}
    for e in pairs(words.list("titles")) do titles_lower[lower(e)] = true end
  end
  return titles_lower[w] ~= nil
end
M.is_title = is_title

local function bio_line(f, t, stop)
  if f[NW] < 6 or not f[LETTERS] then return false end
  local name = bio_re():match(t)
  if not name then return false end
  local first = lower(match(name, "^[^%s]+"))
  if stop[first] or is_title(first) then return false end
  return vocab("clean_bio"):find(t) ~= nil
end

-- The passes below share one record per page, P: the units (U), their
-- texts (T), features (F) and classes (C) from classify, the labels so far
-- (L, "?" where undecided), the article's first and last unit (s, e; nil
-- when the page has none), the title's unit and the end of the header
-- zone (zs).

-- The article: the best run of good units, grown over a split and over
-- short sentences at its edges, cut at a bare "Read more"; none on a list
-- page (teasers between titles and dates).
local GOOD, GOOD_NEAR = {good = true}, {good = true, near = true}
local GOOD_NEAR_STERM = {good = true, near = true, sterm = true}
local function find_article(P)
  local F, C, T, L, n, D = P.F, P.C, P.T, P.L, P.n, P.D
  local MORE = D.more
  local s, e, runs = best_run(F, C, D.hard, n, GOOD)
  if s then
    local block
    s, e, block = join_split(F, C, D.hard, P.U.link, runs, s, e)
    for k, lab in pairs(block) do L[k] = lab end
  end
  if not s then s, e = best_run(F, C, D.hard, n, GOOD_NEAR) end
  -- a note of a few short sentences ("Talks resumed.") is still text
  if not s then s, e = best_run(F, C, D.hard, n, GOOD_NEAR_STERM) end
  if not s then return end

  local p = prev_line(F, s)
  while p and C[p] == "near" and F[p][PERIOD] and not is_caption(F[p], T[p]) do s = p; p = prev_line(F, s) end
  p = next_line(F, e, n)
  while p and C[p] == "near" do e = p; p = next_line(F, e, n) end

  local dates, goods, first_more = 0, 0, nil
  for k = s, e do
    local f = F[k]
    if f then
      local more = MORE[k]
      -- (a time alone stamps a live blog's entries, not a teaser's day)
      if (f[DATE] and not time_re():find(T[k])) or more then dates = dates + 1 end
      if C[k] == "good" then goods = goods + 1 end
      if more and not first_more then first_more = k end
    end
  end
  if dates >= 3 and dates * 2 >= goods then
    for k = s, e do if F[k] then L[k] = "related" end end
    return
  end
  if first_more then
    e = prev_line(F, first_more)
    while e and e > s and C[e] ~= "good" do e = prev_line(F, e) end
    if not e or e < s then return end
  end
  P.s, P.e = s, e
end

-- Bio paragraphs closing the article, and name lines above them.
local function mark_bios(P)
  local F, T, L, n, s, e = P.F, P.T, P.L, P.n, P.s, P.e
  local stop = words.list("stopwords_en")
  local k = e
  while k and k >= s and F[k] do
    if bio_line(F[k], T[k], stop) then
      L[k] = "bio"
      k = prev_line(F, k)
    elseif (L[next_line(F, k, n) or 0] == "bio" or L[next_line(F, k, n) or 0] == "byline")
        and name_re():find(T[k]) then
      L[k] = "byline"
      k = prev_line(F, k)
    else
      break
    end
  end
  if k and k < e then
    if k < s then P.s, P.e = nil, nil else P.e = k end
  end
end

--- Separators between a page's headline and its site in a scraped
-- <title> ("Metro station opens | The Courier"), and the longest site.
M.TITLE_SITE_SEPS = {" | ", " – ", " — ", " - ", " · ", " • ", " :: "}
M.TITLE_SITE_LEN = 40

--- The headline and the site of a line "headline SEP site" (or nil): the
-- last separator of M.TITLE_SITE_SEPS whose tail is short and capitalised.
function M.title_site(t)
  local seps = M.TITLE_SITE_SEPS
  for x = 1, #seps do
    local sep = seps[x]
    local at, from = nil, 1
    while true do
      local i = find(t, sep, from, true)
      if not i then break end
      at, from = i, i + 1
    end
    if at then
      local head, tail = sub(t, 1, at - 1), sub(t, at + #sep)
      if #tail <= M.TITLE_SITE_LEN and find(tail, "^[%u%d\195-\244]") and find(head, "%S") then
        return head, tail
      end
    end
  end
  return nil
end

-- A page whose header zone holds no headline may still open with it, as a
-- scraper prints the <title>: "headline | Site" on the first line, above
-- the site's banner and menus. That line is the title (or nil).
local function suffixed_title(P, zs)
  local F, T, L, LIST = P.F, P.T, P.L, P.D.list
  local k = next_line(F, 0, P.n)
  if not k or k >= zs or L[k] ~= "?" then return nil end
  local head = M.title_site(T[k])
  if head and title_like(F[k], head, LIST[k]) and F[k][NW] >= 4 then
    L[k] = "title"
    return k
  end
  return nil
end

-- The header zone above the article: caption, byline, deck, title; a
-- first-level heading at the top of the page is its title.
local function label_header(P)
  local F, C, T, L, U, s, e = P.F, P.C, P.T, P.L, P.U, P.s, P.e
  local GIVEN = words.list("given_names")
  local LIST, KIND, BOIL = P.D.list, U.kind, P.D.boiler
  local zone, m, count = {}, prev_line(F, s), 0
  local link_zone = M.LINK_SHARE / 2
  while m and count < 15 do
    local f, t = F[m], T[m]
    local kind
    if is_caption(f, t) then kind = "caption"
    elseif f[BYLINE] or f[DATE] or (not f[LETTERS] and f[LEN] <= 12) then kind = "byline"
    elseif f[ID] then kind = "caption"
    elseif BOIL[m] or LIST[m] or f[NAV] or f[RELATED] or f[COMMENT] or f[FOOTER]
        or (U.link[m] or 0) >= link_zone then break
    elseif f[PROMO] then kind = "promo"
    elseif count > 0 and zone[count][2] == "byline" and f[NW] <= 6
        and GIVEN[match(t, "^[^%s,]+")] and person_re():find(t) then
      -- a person's name over a byline or a date: a given name opens it
      -- ("Briefing Room" is a section, "Ministers Meet Again in Brussels"
      -- a headline)
      kind = "byline"
    elseif KIND[m] == "heading" then kind = "text"   -- the page marks it a heading
    elseif f[NW] <= 2 and not f[TERM] then break      -- a kicker or section name
    elseif title_like(f, t, LIST[m]) or C[m] == "good" or C[m] == "near" then kind = "text"
    else break end
    zone[#zone + 1] = {m, kind}
    count = count + 1
    m = prev_line(F, m)
  end
  -- a text line under a photo's credit is its caption, when a headline
  -- may still stand above them
  for z = 1, #zone - 2 do
    if zone[z][2] == "text" and zone[z + 1][2] == "caption" then
      for y = z + 2, #zone do
        if zone[y][2] == "text" then zone[z][2] = "caption"; break end
      end
    end
  end
  -- zone is bottom-up; the title is the topmost text line of the closest
  -- group of text lines, the lines between it and the article are decks.
  local top, title
  for z = 1, #zone do
    if zone[z][2] == "text" then
      top = z
    elseif top then
      break
    end
  end
  for z = 1, #zone do
    local k2, kind = zone[z][1], zone[z][2]
    if kind ~= "text" then L[k2] = kind
    elseif top and z == top and title_like(F[k2], T[k2], LIST[k2]) then L[k2] = "title"; title = k2
    elseif top and z < top then L[k2] = "heading"
    else
      -- text lines further up, past a byline: a standfirst or kicker
      L[k2] = title_like(F[k2], T[k2], LIST[k2]) and "heading" or "body"
    end
  end
  if top and not title then
    -- the topmost text line was a sentence: keep it as a deck, look for a
    -- headline above it
    for z = top + 1, #zone do
      local k2 = zone[z][1]
      if zone[z][2] == "text" and title_like(F[k2], T[k2], LIST[k2]) then
        L[k2] = "title"; title = k2; break
      end
    end
  end
  local zs = zone[#zone] and zone[#zone][1] or s
  if not title then title = suffixed_title(P, zs) end
  for k = zs, e do
    if U.h1[k] and F[k][NW] <= 60 then
      if title then L[title] = "heading" end
      L[k], title = "title", k
      break
    end
  end
  P.title, P.zs = title, zs
end

-- Inside the article: body, with its headings, captions, promos, a
-- byline near its top and a sign-off at its end; the page head above the
-- header zone.
local function label_article(P)
  local F, C, T, L, n, s, e = P.F, P.C, P.T, P.L, P.n, P.s, P.e
  local LIST, KIND, BOIL = P.D.list, P.U.kind, P.D.boiler
  -- a sign-off: a credit of a few words without a sentence mark ("AFP")
  if e > s and F[e][NW] <= M.SIGNOFF_WORDS and not F[e][TERM] and C[e] ~= "good"
      and not KIND[e] then
    L[e] = "byline"
  end
  for k = s, e do
    local f = F[k]
    local cls = C[k]
    if cls == "good" and f and not f[SHORT] and L[k] == "?" then
      -- most units of the article: a long good one is body or a heading
      -- (the tests below that it could meet need a short or a not-good
      -- unit; a long one has no id)
      L[k] = KIND[k] == "heading" and "heading" or "body"
    elseif f and L[k] == "?" then
      local t = T[k]
      local lab = "body"
      if (cls ~= "good" or f[SHORT]) and is_caption(f, t) then lab = "caption"
      -- a date or time alone is furniture anywhere (a live blog stamps
      -- every entry; "2024-03-14T09:12Z" looks like an id too), a byline
      -- near the top or closing the article ("X contributed to this report")
      elseif f[SHORT] and (f[DATE] or (f[BYLINE] and (k - s < 6 or k == e))) then
        lab = "byline"
      elseif f[ID] then lab = "caption"
      elseif f[SHORT] and f[PROMO] then lab = "promo"
      elseif f[SHORT] and f[NAV] and not f[TERM] then lab = "nav"
      elseif BOIL[k] and cls ~= "good" then lab = "nav"
      elseif KIND[k] == "heading" then lab = "heading"
      elseif cls ~= "good" and title_like(f, t, LIST[k]) and f[NW] <= 15 then
        local nx = next_line(F, k, n)
        if nx and nx <= e and (C[nx] == "good" or C[nx] == "near") then lab = "heading" end
      end
      L[k] = lab
    end
  end
  for k = 1, P.zs - 1 do
    local f = F[k]
    if f and L[k] == "?" then
      L[k] = (f[PROMO] and "promo") or (f[FOOTER] and "footer") or
        (f[RELATED] and "related") or "nav"
    end
  end
end

-- After the article (or the whole page when there is none): headers set
-- the mode (related, comment, footer) that the units after them take.
local function label_after(P)
  local F, C, T, L, n, s, e = P.F, P.C, P.T, P.L, P.n, P.s, P.e
  local LIST, MORE = P.D.list, P.D.more
  local stop = words.list("stopwords_en")
  local start = s and (e + 1) or 1
  -- the next footer marker after each non-blank line and the lines' ordinals
  -- counted from the end, so "within 3 lines of a footer marker" costs
  -- O(1); both only from the last marker up (only differences of
  -- ordinals are read, and only where a marker follows)
  local nextfoot, ord = {}, {}
  local nf, c = nil, 0
  for k = n, start, -1 do
    local f = F[k]
    if f then
      if f[SHORT] and f[FOOTER] then nf = k end
      if nf then
        c = c + 1
        ord[k], nextfoot[k] = c, nf
      end
    end
  end
  local mode, lastnb = nil, nil
  for k = start, n do
    local f = F[k]
    if f then
      local t = T[k]
      local lab
      if L[k] ~= "?" then lab = L[k]
      elseif f[SHORT] and f[COMMENT] then mode, lab = "comment", "comment"
      elseif f[SHORT] and f[RELATED] and not f[CAPTION] then mode, lab = "related", "related"
      elseif f[SHORT] and f[FOOTER] then mode, lab = "footer", "footer"
      elseif f[SHORT] and f[PROMO] then lab = "promo"
      elseif f[SHORT] and f[BYLINE] and mode ~= "comment" then lab = "byline"
      elseif (LIST[k] or f[NAV]) and mode ~= "comment" then
        lab = mode == "footer" and "footer" or "nav"     -- a reference list is the footer's
      elseif mode == nil and (not s or k - e < 12) and bio_line(f, t, stop) then lab = "bio"
      elseif C[k] == "good" or C[k] == "near" then
        local nfk = nextfoot[k]
        local near_footer = nfk and ord[k] - ord[nfk] <= 3
        if near_footer or mode == "footer" or (mode == nil and C[k] == "near") then lab = "footer"
        elseif mode == "related" and not (MORE[lastnb] or find(lower(T[lastnb]), "^%W*continue reading%W*$"))
            or (mode == "related" and title_like(f, t, LIST[k])) then
          -- a teaser of the list; prose after a bare closing "Read more"
          -- (MORE, see classify), or after any "Continue reading" line, is
          -- no longer the list but what follows it (reader comments)
          lab = "related"
        else
          mode, lab = "comment", "comment"
        end
      else
        lab = mode or (s and "footer") or "nav"
        if f[PROMO] then lab = "promo" end
      end
      if not s and lab ~= "comment" and lab ~= "related" and lab ~= "footer" and lab ~= "promo" then
        lab = lab == "bio" and "bio" or "nav"
      end
      L[k] = lab
      lastnb = k
    end
  end
end

-- The label of every unit (the lines of structure aside), and the unit of
-- the title.
local function label_units(doc, U, opts)
  local T, F, n, D = classify(doc, U, opts)
  -- (the fields the passes add, s, e, title and zs, are named in the
  -- constructor, so that its hash part is sized for them once)
  local P = {U = U, T = T, F = F, C = D.cls, D = D, L = D.labels, n = n,
             s = nil, e = nil, title = nil, zs = nil}
  find_article(P)
  if P.s then mark_bios(P) end
  if P.s then
    label_header(P)
    label_article(P)
  end
  label_after(P)
  return P.L, P.title
end

-- --- pass 4: repeats ---------------------------------------------------------

-- A unit of the article whose words stand again in another unit of it is
-- a pull-quote, or a caption quoting the text: labelled "pullquote" (of
-- two identical units, the later one). The first and last units are not
-- candidates: a lede that repeats the opening sentence is the article's. Words are compared as lower-case
-- ASCII alphanumeric runs; only units set apart (a quote block, a figure,
-- a line opening with emphasis or a quotation mark) of REPEAT_WORDS words
-- or more and at most REPEAT_LEN bytes (pull-quotes are short) are
-- candidates, and only articles of at most REPEAT_MAX bytes are searched.
M.REPEAT_WORDS = 6
M.REPEAT_LEN = 300
M.REPEAT_MAX = 1000000
local function norm_words(t)
  return gsub(" " .. lower(t) .. " ", "%W+", " ")     -- " words words "
end

local function mark_repeats(U, UL)
  local body, candidates = {}, false
  for u = 1, U.n do
    if UL[u] == "body" then
      body[#body + 1] = u
      if U.apart[u] and #U.text[u] <= M.REPEAT_LEN then candidates = true end
    end
  end
  if not candidates or #body < 3 then return end
  local parts, offsets, pos = {}, {}, 1
  for x = 1, #body do
    local t = U.text[body[x]]
    parts[x], offsets[x] = t, pos
    pos = pos + #t + 1
  end
  local all = concat(parts, "\n")
  if #all > M.REPEAT_MAX then return end
  -- the unit (index into body) holding byte o of all
  local function holder(o)
    local lo, hi = 1, #offsets
    while lo < hi do
      local mid = (lo + hi + 1) // 2
      if offsets[mid] <= o then lo = mid else hi = mid - 1 end
    end
    return lo
  end
  -- a pull-quote stands inside the article; a lede repeating the first
  -- sentence opens it
  local normed = {}
  for x = 2, #parts - 1 do
    local text = parts[x]
    if U.apart[body[x]] and #text <= M.REPEAT_LEN then
      -- where a run of the text's words stands in another unit, compare
      -- that unit's words with the text's (normalizing the whole article
      -- for one search would cost more than the article's extraction); the
      -- run is from the middle: marks and emphasis differ at the edges
      local i = find(text, " %w", #text // 3)
      local j = i and find(text, "%w[%s%p]", i + 24)
      local anchor = j and sub(text, i + 1, j) or match(text, "%w+") or text
      local key
      local o = find(all, anchor, 1, true)
      while o do
        local y = holder(o)
        if y ~= x and (#parts[y] > #text or y < x) then
          key = key or norm_words(text)
          if select(2, gsub(key, "%w+", "")) < M.REPEAT_WORDS then break end
          normed[y] = normed[y] or norm_words(parts[y])
          if find(normed[y], key, 1, true) then
            UL[body[x]] = "pullquote"
            break
          end
        end
        o = find(all, anchor, o + 1, true)
      end
    end
  end
end

-- Whether the page is Markdown (its line breaks are soft): its format
-- says so, or it opens with front matter, as Markdown exports do (whatever
-- their file is called).
local function is_markdown(doc, S)
  if doc.format == "markdown" then return true end
  for k = 1, 3 do
    if S[k] == "front_matter" then return true end
  end
  return false
end

-- The label of every line: structure lines keep theirs, a unit's lines
-- take the unit's, the rest are blank; and the blocks, built in the same
-- pass (a block runs over the lines of one label, blank lines between two
-- of them included). Returns the labels, the blocks, the title's line and
-- the lines' spans.
local function label_lines(doc, opts)
  local TL, I, J = Doc.trimmed_lines(doc)
  local n = #TL
  local S = mark_structure(doc, TL, n)
  local U = build_units(doc, TL, S, is_markdown(doc, S))
  local UL, title_unit = label_units(doc, U, opts)
  mark_repeats(U, UL)
  local first, last, u, nu = U.first, U.last, 1, U.n
  -- (the array's fields in its constructor: its hash part is sized once)
  local L, nb = {}, 0
  local blocks = {labels = L, title_line = title_unit and first[title_unit], model = opts.model}
  -- units come in line order, without overlaps: the next one starts at
  -- line `at` (past the end when none is left)
  local at = nu > 0 and first[1] or n + 1
  local cur, cur_label, cur_lines, nlines
  for k = 1, n do
    local lab
    if k >= at then
      lab = UL[u]
      if k == last[u] then
        u = u + 1
        at = u <= nu and first[u] or n + 1
      end
    else
      lab = S[k] or "blank"
    end
    L[k] = lab
    if lab ~= "blank" then
      if lab == cur_label then
        cur.j, cur.line_last = J[k], k
        nlines = nlines + 1
        cur_lines[nlines] = k
      else
        cur_lines, nlines, cur_label = {k}, 1, lab
        cur = {label = lab, i = I[k], j = J[k], line_first = k, line_last = k, lines = cur_lines}
        nb = nb + 1
        blocks[nb] = cur
      end
    end
  end
  return blocks, I, J
end

--- lode.clean(doc [, opts]) -> array of blocks (see the module header).
function M.clean(doc, opts)
  opts = opts or {}
  local c = cache[doc]
  if c and c.model == opts.model and c.blocks then return c.blocks end
  local blocks, I, J = label_lines(doc, opts)
  cache[doc] = {model = opts.model, blocks = blocks, I = I, J = J}
  return blocks
end

--- Sorted, non-overlapping {i, j} spans of the title, heading and body.
function M.body_spans(doc, opts)
  local blocks = M.clean(doc, opts)
  local c = cache[doc]
  if c.spans then return c.spans end
  local spans, ns, last, after = {}, 0, nil, nil
  local body = M.BODY
  for x = 1, #blocks do
    local b = blocks[x]
    if body[b.label] then
      -- touching blocks (title then body, with only blank lines between)
      -- merge: nothing outside the body lies between them (after: the
      -- line after the last span)
      if last and after == b.line_first then
        last.j = b.j
      else
        last = {i = b.i, j = b.j}
        ns = ns + 1
        spans[ns] = last
      end
      after = b.line_last + 1
    end
  end
  c.spans = spans
  return spans
end

-- --- doc:body() ----------------------------------------------------------------------

local Body = {}
Body.__index = Body

--- body:origin(i, j) -> i0, j0: bytes of the original for a range of body.text.
function Body:origin(i, j)
  j = j or i
  local P = self._pieces
  local function find_piece(pos)
    local lo, hi = 1, #P
    while lo < hi do
      local mid = (lo + hi + 1) // 2
      if P[mid].t <= pos then lo = mid else hi = mid - 1 end
    end
    return P[lo]
  end
  if #P == 0 then return nil end
  local a, b = find_piece(i), find_piece(j)
  local i0 = a.o + math.min(i - a.t, a.len - 1)
  local j0
  if j - b.t >= b.len then j0 = b.o + b.len - 1 else j0 = b.o + (j - b.t) end
  return i0, j0
end

--- doc:body() -> {text, spans, origin}: the article alone (see the header).
function M.body(doc, opts)
  local blocks = M.clean(doc, opts)
  local c = cache[doc]
  if c.body then return c.body end
  local parts, pieces, pos = {}, {}, 1
  local text = doc:text()
  for _, b in ipairs(blocks) do
    if M.BODY[b.label] then
      for _, k in ipairs(b.lines) do
        local i, j = c.I[k], c.J[k]
        local s = sub(text, i, j)
        parts[#parts + 1] = s
        pieces[#pieces + 1] = {t = pos, o = i, len = #s}
        pos = pos + #s + 1
      end
    end
  end
  local body = setmetatable({text = concat(parts, "\n"), spans = M.body_spans(doc, opts),
                             _pieces = pieces}, Body)
  c.body = body
  return body
end

-- Extend the Doc method table.
if Doc then
  Doc.body = function(doc, opts) return M.body(doc, opts) end
  Doc.clean = function(doc, opts) return M.clean(doc, opts) end
end

-- --- the corpus model ------------------------------------------------------------------

--- Count in how many of `docs` (Docs or paths) each normalized line occurs.
function M.learn(docs, model)
  model = model or {ndocs = 0, counts = {}}
  local counts = model.counts
  for _, d in ipairs(docs) do
    if type(d) == "string" then d = assert(core.load(d, {invalid = "replace"})) end
    local seen = {}
    for line in d:lines() do
      if find(line, "%S") then
        local key = M.line_key(line)
        if not seen[key] then
          seen[key] = true
          counts[key] = (counts[key] or 0) + 1
        end
      end
    end
    model.ndocs = model.ndocs + 1
  end
  return model
end

--- A model learnt from every document named by `paths` (lode.corpus spec).
function M.corpus_model(paths)
  local lode = require "lode"
  local docs = {}
  for d in lode.corpus(paths) do docs[#docs + 1] = d end
  return M.learn(docs)
end

--- The label of each line (array, "blank" for empty lines).
function M.labels(doc, opts)
  return M.clean(doc, opts).labels
end

return setmetatable(M, {__call = function(_, doc, opts) return M.clean(doc, opts) end})
