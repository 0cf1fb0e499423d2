--- lode.meta: what a page states about itself, and where it says it.
--
-- require("lode.meta")(doc [, opts]) -> {title, authors, published, site, sources}
--   title      the headline
--   authors    array of the persons credited with writing it; nil when none
--              is stated. Only person-shaped names (2-4 capitalised words)
--              are kept: an account ("badely") or an outlet ("Wikipedia")
--              is not an author.
--   published  ISO yyyy-mm-dd: the page's own date, never one from the body
--   site       the outlet as the page names it
--   sources    for each field found, where: {from = "front_matter:date",
--              line = 3, i = ..., j = ...} (1-based inclusive bytes of the
--              text; of the file for "html:" sources, which lie in the
--              page's head; i, j absent where the value is not one span)
-- One resolver, used by lode.extract.dates for its anchor: each field is
-- read from the sources in M.SOURCES, in order, and the first that states
-- it wins. A field the page does not state is nil: never a file name, never
-- a guess. opts is passed to lode.clean (e.g. {model = m}).
--
-- Sources: "manifest" (the document's row of a corpus manifest, lode.manifest:
-- what the analyst states overrides the page; the keys of M.KEYS),
-- "fields" (a dataset row's other columns: the keys of M.KEYS),
-- "front_matter" (doc:front_matter(): the keys of M.KEYS),
-- "html" (doc:html_meta(): <meta>, JSON-LD, <title>; M.HTML_KEYS),
-- "credit" (a title "Statement by <role> <Name> on ..."), "page" (what
-- lode.clean found: the title line, a dateline or byline above the
-- article, bylines, bios, mastheads, inbox prompts, copyright lines; where
-- no byline dates the page, a JSON-LD "datePublished" outside the
-- article or a "Last modified" footer or byline line).

local core = require "lode.core"
local clean = require "lode.clean"
local words = require "lode.words"
local markup = require "lode.markup"
local manifest = require "lode.manifest"

local ipairs, setmetatable, tonumber, select, string =
  ipairs, setmetatable, tonumber, select, string
-- Loops run for every document index their arrays (for k = 1, #t): in Lua
-- 5.4 ipairs costs a C call a step.
local lower, find, match, gsub, format, byte, sub =
  string.lower, string.find, string.match, string.gsub, string.format, string.byte, string.sub

local M = {}

local IMAGE_EXT = {jpg = true, jpeg = true, png = true, gif = true, webp = true,
                   svg = true, html = true, htm = true, php = true}

-- The bytes %s matches, by byte value.
local SPACE = {}
for b = 0, 255 do SPACE[b] = find(string.char(b), "^%s$") ~= nil end

-- s without white space (no-break spaces included) at either end: what
-- match(s, "^%s*(.*%S)") gives, without that pattern's walk over every byte
-- of a long line (the first non-space found from the start, the last by
-- stepping back over the few trailing spaces); s itself when it has none.
local function trim(s)
  if find(s, "\194\160", 1, true) then s = gsub(s, "\194\160", " ") end
  local i = find(s, "%S")
  if not i then return "" end
  local j = #s
  while SPACE[byte(s, j)] do j = j - 1 end
  if i == 1 and j == #s then return s end
  return sub(s, i, j)
end

local function iso(y, m, d)
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not (y and m and d) or m < 1 or m > 12 or d < 1 or d > 31 or y < 1900 or y > 2100 then
    return nil
  end
  return format("%04d-%02d-%02d", y, m, d)
end

-- Month names, lower case -> number: the dates extractor's English ones
-- (date_months.txt) and those of other languages (months.txt).
local months
local function month_of(name)
  if not months then
    months = {}
    for _, file in ipairs{"date_months", "months"} do
      for _, r in ipairs(words.rows(file)) do months[lower(r[1])] = tonumber(r[2]) end
    end
  end
  return months[lower(name)]
end

local WORD = "([%a\128-\255]+)"

--- The first full date stated in s, as ISO yyyy-mm-dd (or nil): "December
-- 3, 2021", "3rd Dec. 2021", "30 septembre 2023", "2022-06-24T10:00",
-- "14.03.2024", "14/03/2024" (not "03/04/2024": which is the day?).
local MONTH_DAY_YEAR = WORD .. "%.?%s+(%d%d?)%a*,?%s+(%d%d%d%d)"
local DAY_MONTH_YEAR = "(%d%d?)%a*%.?%s+" .. WORD .. "%.?,?%s+(%d%d%d%d)"

function M.parse_date(s)
  -- every form holds a four-digit year: a line without one is not tried
  if not find(s, "%d%d%d%d") then return nil end
  local mon, d, y = match(s, MONTH_DAY_YEAR)
  local r = mon and month_of(mon) and iso(y, month_of(mon), d)
  if r then return r end
  local d2, mon2, y2 = match(s, DAY_MONTH_YEAR)
  r = mon2 and month_of(mon2) and iso(y2, month_of(mon2), d2)
  if r then return r end
  local y3, m3, d3 = match(s, "(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if y3 then return iso(y3, m3, d3) end
  -- "14.03.2024": day first, as the dotted form is written
  local d4, m4, y4 = match(s, "(%d%d?)%.(%d%d?)%.(%d%d%d%d)")
  if d4 then return iso(y4, m4, d4) end
  -- "14/03/2024", "03/14/2024": only when a part over 12 says which is
  -- the day (never a guess between the European and the American order)
  local a, b, y5 = match(s, "(%d%d?)/(%d%d?)/(%d%d%d%d)")
  a, b = tonumber(a), tonumber(b)
  if a and a > 12 and b <= 12 then return iso(y5, b, a) end
  if a and b > 12 and a <= 12 then return iso(y5, a, b) end
  return nil
end

local NAME = core.regex(clean.NAME_ONLY)
local BIO = core.regex(clean.BIO_OPEN)
-- What follows a cue of a data file opening the line (a colon may follow
-- the cue), as a function of the line; the regex is built on first use.
local function after_cue(file)
  local re
  return function(t)
    if not re then
      local cues = {}
      for e in pairs(words.list(file)) do cues[#cues + 1] = e end
      table.sort(cues, function(a, b) return #a > #b end)     -- longest first
      re = core.regex("^(?:" .. table.concat(cues, "|") .. ")\\s*:?\\s+(.+)$", "i")
    end
    return re:match(t)
  end
end
-- "By A and B", "Author: A", "par A"
local byline_rest = after_cue("byline_cues")
-- "Last modified: 14.03.2024"
local page_date_rest = after_cue("page_date_cues")
local INBOX = core.regex("get (?:the )?(.+?) (?:in|to|delivered to) your inbox", "i")
local SUBSCRIBE = core.regex("subscribe to (?:the )?(\\p{Lu}.+?)(?: newsletter)?[.!:]?$", "")

-- Words that make a byline a role or a desk, not a person.
local NOT_NAME = {staff = true, reporter = true, reporters = true, correspondent = true,
  editor = true, editors = true, desk = true, team = true, news = true, agency = true,
  admin = true, newsroom = true, contributor = true, writer = true, media = true,
  press = true, presse = true, wire = true, service = true}

-- a and b are one name but for case, spaces and punctuation ("[^%w]"
-- would leave nothing of a name in Cyrillic)
local function same_name(a, b)
  return a and b and lower(gsub(a, "[%s%p]", "")) == lower(gsub(b, "[%s%p]", "")) or false
end

local function person(name, site)
  name = trim(gsub(name, "[,;.:]+$", ""))
  if not NAME:find(name) then return nil end
  for w in string.gmatch(name, "%a+") do
    if NOT_NAME[lower(w)] then return nil end
  end
  if same_name(name, site) then return nil end
  return name
end

-- The name opening a byline part, without what follows it ("Krikor
-- Amirzayan le samedi 30 septembre 2023"): capitalised words, and short
-- lower-case particles between them ("Ursula von der Leyen").
local function name_head(part)
  local ws = {}
  for w in string.gmatch(part, "%S+") do ws[#ws + 1] = w end
  local n = 0
  while n < #ws do
    local w = ws[n + 1]
    if find(w, "^[%u\128-\255]") then
      n = n + 1
    elseif #w <= 3 and find(w, "^%l+$") and find(ws[n + 2] or "", "^[%u\128-\255]") then
      n = n + 1
    else
      break
    end
  end
  return n > 0 and table.concat(ws, " ", 1, n) or part
end

local BYLINE_SEPS = {"|", "•", "·", "–", "—"}
-- a separator and what follows it; a headline, a separator and the site
local AFTER_SEP, TITLE_SITE = {}, {}
for k, sep in ipairs(BYLINE_SEPS) do
  AFTER_SEP[k] = "%s*" .. sep .. "%s.*$"
  TITLE_SITE[k] = "^(.*%S)%s+" .. sep .. "%s+(.-)$"
end

-- Names of a byline's tail: "A, B and C | December 3, 2021" -> {A, B, C}.
-- whole: nil unless every part is a name and nothing more ("Reading Time:
-- 6 mins read" is not "Reading Time").
local function byline_names(rest, whole)
  -- what follows a separator (a date, a place); each separator as a
  -- whole character: a byte class would cut "·" (C2 B7) in two
  -- (each tried only where a plain find sees the separator)
  for k = 1, #BYLINE_SEPS do
    if find(rest, BYLINE_SEPS[k], 1, true) then rest = gsub(rest, AFTER_SEP[k], "") end
  end
  rest = gsub(rest, "%s+%-%s.*$", "")
  rest = gsub(rest, ",?%s+and%s+", ", ")
  rest = gsub(rest, "%s*&%s*", ", ")
  rest = gsub(rest, "%s+in%s+%u[^,;]*", "")            -- "A in Baku, B in Tbilisi"
  rest = gsub(rest, "%s+[Ff][Oo][Rr]%s+%u.*$", "")     -- "A FOR MAILONLINE"
  local out = {}
  for part in string.gmatch(rest, "[^,;]+") do
    part = trim(part)
    local head = name_head(part)
    if whole and head ~= part then return nil end
    out[#out + 1] = head
  end
  return out
end

-- The numbers of the lines labelled `label`, in page order: meta reads a
-- few labelled lines, not the page.
local function labelled(blocks, label)
  local ks, n = {}, 0
  for m = 1, #blocks do
    local b = blocks[m]
    if b.label == label then
      local lines = b.lines
      for x = 1, #lines do n = n + 1; ks[n] = lines[x] end
    end
  end
  return ks
end

-- "All rights reserved" after a copyright's owner, in the page's language
local RIGHTS_RESERVED = {"[Aa]ll [Rr]ights [Rr]eserved.*$", "[Tt]ous droits réservés.*$",
  "Все права защищены.*$"}

local function site_of(blocks, L, line)
  -- a domain-like masthead among the first lines of the page
  local seen = 0
  for k = 1, #L do
    if L[k] ~= "blank" then
      seen = seen + 1
      if seen > 5 or L[k] == "title" then break end
      local t = line(k)
      -- the pattern allows no space: a line with one (most) is not tried
      if not find(t, " ", 1, true) and find(t, "^%w[%w%-]*%.%a[%w%.]*$")
          and not IMAGE_EXT[lower(match(t, "%.(%a+)$") or "")] then
        return t
      end
    end
  end
  -- "Get the Mirror in your inbox" and "Get the Mirror-Spectator Weekly in
  -- your inbox": the fullest name wins, without its frequency word
  local best
  local promo = labelled(blocks, "promo")
  for m = 1, #promo do
    local t = line(promo[m])
    local x = INBOX:match(t) or SUBSCRIBE:match(t)
    if x and #x <= 60 then
      x = gsub(x, "%s+[Ww]eekly$", ""); x = gsub(x, "%s+[Dd]aily$", "")
      x = gsub(x, "%s+[Nn]ewsletters?$", "")
      if find(x, "^%u") and (not best or #x > #best) then best = x end
    end
  end
  if best then return best end
  local footer = labelled(blocks, "footer")
  for m = #footer, 1, -1 do
    local t = line(footer[m])
    -- plain finds first: the patterns are unanchored, tried at every byte
    local x = find(t, "©", 1, true) and match(t, "©%s*(.*)")
    if not x and find(t, "opyright", 1, true) then x = match(t, "[Cc]opyright%s*(.*)") end
    if x then
      x = gsub(x, "^[%s%d%-–,]+", "")
      for r = 1, #RIGHTS_RESERVED do x = gsub(x, RIGHTS_RESERVED[r], "") end
      x = gsub(x, "[%s,]+%d%d%d%d[%s%d%-–]*$", "")          -- "armenews.com 2023"
      x = trim(gsub(trim(x), "[.,]$", ""))
      local nw = select(2, gsub(x, "%S+", ""))
      if x ~= "" and nw <= 8 then return x end
    end
  end
  return nil
end

--- Where each field is read, in order of trust.
M.SOURCES = {
  title = {"manifest", "fields", "front_matter", "html", "page"},
  published = {"manifest", "fields", "front_matter", "html", "page"},
  authors = {"manifest", "fields", "front_matter", "html", "credit", "page"},
  site = {"manifest", "fields", "front_matter", "html", "page"},
}

--- Front matter keys and dataset columns (compared in lower case) that
-- state each field.
M.KEYS = {
  title = {"title", "headline"},
  published = {"date", "published", "published_at", "published_time", "publishdate",
               "publish_date", "pubdate", "post_date", "date_published", "datepublished"},
  authors = {"author", "authors", "byline", "writer", "writers", "creator"},
  site = {"site_name", "sitename", "publisher", "outlet"},
}

--- What an HTML page states in its head (doc:html_meta() keys: <meta>
-- names and properties, JSON-LD as "ld:...", <title>), by field.
M.HTML_KEYS = {
  title = {"ld:headline", "og:title", "twitter:title", "dc.title", "title"},
  published = {"ld:datePublished", "article:published_time", "og:article:published_time",
               "datePublished", "pubdate", "publishdate", "dc.date.issued", "dc.date",
               "sailthru.date", "date", "time"},
  authors = {"ld:author.name", "author", "article:author", "og:article:author",
             "sailthru.author", "dc.creator", "byl"},
  site = {"ld:publisher.name", "og:site_name", "application-name"},
}

--- Titles that credit their writer: the capture holds role words and the
-- name ("Statement by NSC Spokesperson Emily Horne on ...").
M.CREDITS = {
  "^[Ss]tatement by (.-) on ", "^[Ss]tatement by (.+)$",
  "^[Rr]emarks by (.-) on ", "^[Rr]emarks by (.-) at ", "^[Rr]emarks by (.+)$",
  "^[Oo]p%-[Ee]d by (.+)$", "^[Ll]etter from (.-) to ",
}

-- The persons of a credit's capture: each part ("A and B") without the
-- role words before its name ("NSC Spokesperson Emily Horne"): a given
-- name and a surname from the end, and the initial between them
-- ("Donald J. Trump"); never an acronym or a title of lode/data/titles.txt.
local function credited(capture, site)
  local out = {}
  for _, part in ipairs(byline_names(capture)) do
    local ws = {}
    for w in string.gmatch(part, "%S+") do ws[#ws + 1] = w end
    local k = #ws
    local function name_word(w)
      return w and find(w, "^%u") and not find(w, "^%u+$") and not clean.is_title(lower(w))
    end
    while k > #ws - 1 and name_word(ws[k - 1]) do k = k - 1 end
    if find(ws[k] or "", "^%u%.$") and name_word(ws[k - 1]) then k = k - 1 end
    local name = k < #ws and person(table.concat(ws, " ", k), site)
    if name then out[#out + 1] = name end
  end
  return out
end

-- A front matter value as one string (lists joined by ", ").
local function flat(v)
  if type(v) == "table" then return table.concat(v, ", ") end
  return v
end

-- Values read from front matter, by field: value and source.
local READ = {
  title = function(v) v = trim(flat(v)); return v ~= "" and v or nil end,
  published = function(v) return M.parse_date(flat(v)) end,
  site = function(v) v = trim(flat(v)); return v ~= "" and v or nil end,
  authors = function(v, site)
    local out, have = {}, {}
    for _, part in ipairs(type(v) == "table" and v or {v}) do
      for _, nm in ipairs(byline_names(part)) do
        local name = person(nm, site)
        if name and not have[name] then have[name] = true; out[#out + 1] = name end
      end
    end
    return #out > 0 and out or nil
  end,
}

-- field -> {value, source}: for each field of `keys_of`, the first of its
-- keys for which lookup(field, key) gives a raw value (and its source)
-- that READ accepts.
local function first_stated(keys_of, lookup)
  local out = {}
  for field, keys in pairs(keys_of) do
    for _, key in ipairs(keys) do
      local raw, src = lookup(field, key)
      local v = raw and READ[field](raw)
      if v then
        out[field] = {value = v, source = src}
        break
      end
    end
  end
  return out
end

-- What a source that states nothing gives (read only).
local NOTHING = {}

-- field -> value, source from the front matter.
local function from_front_matter(doc)
  local fm = doc:front_matter()
  if not fm then return NOTHING end
  local lower_keys = {}
  for _, k in ipairs(fm.keys) do lower_keys[lower(k)] = lower_keys[lower(k)] or k end
  return first_stated(M.KEYS, function(_, key)
    local k = lower_keys[key]
    local f = k and fm.fields[k]
    if f then return f.value, {from = "front_matter:" .. k, line = f.line, i = f.i, j = f.j} end
  end)
end

-- field -> value, source from the document's row of a corpus manifest.
local function from_manifest(doc)
  local row = manifest.row_of(doc)
  if not row then return NOTHING end
  local by = {}
  for k, v in pairs(row.fields) do by[lower(k)] = v end
  return first_stated(M.KEYS, function(_, key)
    if by[key] then return by[key], {from = "manifest"} end
  end)
end

-- field -> value, source from the other columns of a dataset row.
local function from_fields(doc)
  if doc.format ~= "csv" and doc.format ~= "jsonl" then return NOTHING end
  local by = {}
  for k, v in pairs(doc:fields()) do
    if type(v) == "string" or type(v) == "table" then by[lower(k)] = {k, v} end
  end
  return first_stated(M.KEYS, function(_, key)
    local f = by[key]
    if f then return f[2], {from = "fields:" .. f[1]} end
  end)
end

-- The <title> of a page names its site too ("Headline | Reuters"): the
-- part before the last separator, when the rest is short.
local function title_without_site(t)
  for k = 1, #BYLINE_SEPS do
    local head, tail
    if find(t, BYLINE_SEPS[k], 1, true) then head, tail = match(t, TITLE_SITE[k]) end
    if head and #tail <= 40 then return head end
  end
  return t
end

-- field -> value, source from the head of an HTML page.
local function from_html(doc)
  if doc.format ~= "html" then return NOTHING end
  local by = {}
  for _, m in ipairs(doc:html_meta()) do
    local k = lower(m.key)
    if not by[k] and type(m.value) == "string" and m.value ~= "" then by[k] = m end
  end
  return first_stated(M.HTML_KEYS, function(field, key)
    local m = by[lower(key)]
    if not m then return nil end
    local v = key == "title" and title_without_site(trim(m.value)) or m.value
    -- an author given as a profile address is no name
    if field == "authors" and find(v, "^https?:") then return nil end
    -- i, j: bytes of the file (the head is not part of the text)
    return v, {from = "html:" .. key, i = m.i, j = m.j}
  end)
end

-- The page's date where no byline states it, outside the article: a
-- JSON-LD "datePublished" left in the text, else the last footer or
-- byline line opening with a cue of page_date_cues.txt ("Last modified:
-- 14.03.2024"). Only the blocks around the article are searched.
local function stated_date(doc, blocks, line)
  local cued
  for m = #blocks, 1, -1 do
    local b = blocks[m]
    local label = b.label
    if not clean.BODY[label] then
      local text = doc:sub(b.i, b.j)
      local at = find(text, '"datePublished"', 1, true)
      local d = at and M.parse_date(match(text, '^"datePublished"%s*:%s*"([^"]*)"', at) or "")
      if d then return {value = d, source = {from = "page:json_ld", line = doc:line_of(b.i + at - 1)}} end
      if not cued and (label == "footer" or label == "byline") and find(text, "%d") then
        for x = #b.lines, 1, -1 do
          local k = b.lines[x]
          local rest = page_date_rest(markup.line(line(k)))
          d = rest and M.parse_date(rest)
          if d then cued = {value = d, source = {from = "page:date_line", line = k}}; break end
        end
      end
    end
  end
  return cued
end

-- The date of a dateline opening the article's first paragraph, before
-- its dash: "TBILISI, Georgia, 9 May 2023 — The bank approved ..." (a
-- wire's "BAKU, March 3 (Reuters) -" states no year, so no date).
local LEAD_DASHES = {" — ", " – ", " - "}
local function lead_date(blocks, line)
  local k
  for m = 1, #blocks do
    if blocks[m].label == "body" then k = blocks[m].line_first; break end
  end
  local t = k and line(k)
  if not (t and find(t, "^%u%u%u")) then return nil end
  for x = 1, #LEAD_DASHES do
    local at = find(t, LEAD_DASHES[x], 1, true)
    local d = at and at <= 80 and M.parse_date(sub(t, 1, at - 1))
    if d then return {value = d, source = {from = "page:dateline", line = k}} end
  end
  return nil
end

-- Is `name` a line of the page's navigation (a site's banner)?
local function names_line(blocks, line, name)
  local nav = labelled(blocks, "nav")
  for m = 1, #nav do
    if same_name(line(nav[m]), name) then return true end
  end
  return false
end

--- Body lines (a standfirst, a kicker) a byline may sit under and still
-- date the page.
M.DECK_LINES = 2

-- field -> value, source from what lode.clean found on the page.
local function from_page(doc, opts)
  local blocks = clean.clean(doc, opts)
  local L = blocks.labels
  -- line k as the cleaner saw it (blank lines are labelled "blank")
  local function line(k) return trim(doc:line(k)) end
  local function at(k, from) return {from = from, line = k} end
  local out = {}
  if blocks.title_line then
    local k = blocks.title_line
    local t = markup.line(line(k), true)
    if t ~= "" then out.title = {value = t, source = at(k, "page:title")} end
  end
  local site = site_of(blocks, L, line)
  if out.title then
    -- "headline | Site", when the page names that site elsewhere: its
    -- copyright, its banner
    local head, tail = clean.title_site(out.title.value)
    if head and (same_name(tail, site) or names_line(blocks, line, tail)) then
      out.title.value, site = head, site or tail
    end
  end
  if site then out.site = {value = site, source = {from = "page:site"}} end

  local authors, have, author_line = {}, {}, nil
  local function add(name, k)
    name = name and person(name, site)
    if name and not have[name] then
      have[name] = true
      authors[#authors + 1] = name
      author_line = author_line or k
    end
  end
  -- body lines above the line read: a byline's date counts below a
  -- standfirst (M.DECK_LINES of them), not inside the article
  local body_above = 0
  for m = 1, #blocks do
    local b = blocks[m]
    if b.label == "body" then
      body_above = body_above + #b.lines
    elseif b.label == "byline" then
      for x = 1, #b.lines do
        local k = b.lines[x]
        local t = markup.line(line(k))
        -- "By A", or a date line ending "... by A"
        local rest = byline_rest(t) or
          ((find(t, " by ", 1, true) or find(t, " By ", 1, true)) and match(t, "^[^%a]*%a.-%d.-%s[Bb]y%s+(%u.*)$"))
        if rest then
          for _, nm in ipairs(byline_names(rest)) do add(nm, k) end
        elseif NAME:find(t) then
          add(t, k)
        elseif not find(t, "%d") then
          -- names without a cue: "A and B", "A | Yerevan", when each is one
          local names = byline_names(t, true) or {}
          local all = #names > 0
          for y = 1, #names do all = all and person(names[y], site) ~= nil end
          if all then for y = 1, #names do add(names[y], k) end end
        end
        if not out.published and body_above <= M.DECK_LINES then
          local d = M.parse_date(t)
          if d then out.published = {value = d, source = at(k, "page:dateline")} end
        end
      end
    elseif b.label == "bio" then
      for x = 1, #b.lines do add(BIO:match(markup.line(line(b.lines[x]))), b.lines[x]) end
    end
  end
  if #authors > 0 then out.authors = {value = authors, source = at(author_line, "page:byline")} end
  out.published = out.published or lead_date(blocks, line) or stated_date(doc, blocks, line)
  return out
end

-- field -> value, source from a title that credits its writer.
local function from_credit(title, site)
  local credits = M.CREDITS
  for m = 1, #credits do
    local capture = match(title, credits[m])
    if capture then
      local names = credited(capture, site)
      if #names > 0 then return {authors = {value = names, source = {from = "credit:title"}}} end
    end
  end
  return NOTHING
end

-- Results per doc (weak keys) and model: dates asks for the publication
-- date of every document it reads, extract.all for the meta record.
local cache = setmetatable({}, {__mode = "k"})

local FIELDS = {"title", "site", "published", "authors"}

local function compute(doc, opts)
  local found = {manifest = from_manifest(doc), fields = from_fields(doc),
                 front_matter = from_front_matter(doc),
                 html = from_html(doc),
                 credit = false, page = false}   -- false until reached: no rehash
  local out = {sources = {}}
  for f = 1, #FIELDS do
    local field = FIELDS[f]
    local names = M.SOURCES[field]
    for m = 1, #names do
      local name = names[m]
      local got = found[name]
      if not got then                              -- asked for only when reached
        if name == "page" then got = from_page(doc, opts)
        elseif name == "credit" then got = out.title and from_credit(out.title, out.site) or NOTHING
        end
        found[name] = got
      end
      got = got[field]
      if got then
        out[field], out.sources[field] = got.value, got.source
        break
      end
    end
  end
  return out
end

-- The cached meta table of `doc` (not to be handed out: callers may edit
-- what they get).
local function cached(doc, opts)
  local model = opts and opts.model or false
  local c = cache[doc]
  if not c or c.model ~= model then
    c = {model = model, m = compute(doc, opts)}
    cache[doc] = c
  end
  return c.m
end

local function copy_authors(m)
  if not m.authors then return nil end
  local authors = {}
  for k = 1, #m.authors do authors[k] = m.authors[k] end
  return authors
end

--- The meta table of `doc` (a fresh copy: callers may edit it).
function M.meta(doc, opts)
  local m = cached(doc, opts)
  local authors, sources = copy_authors(m), {}
  for k, v in pairs(m.sources) do
    local copy = {}
    for kk, vv in pairs(v) do copy[kk] = vv end
    sources[k] = copy
  end
  return {title = m.title, authors = authors, published = m.published, site = m.site,
          sources = sources}
end

--- The meta record for output: a field the page does not state is nil, so
-- `r.site or fallback` works in Lua and the JSON line leaves the key out;
-- "sources" says where each field was read ({from, line}).
function M.record(doc, opts)
  local m = cached(doc, opts)
  local sources
  for field, src in pairs(m.sources) do
    sources = sources or {}
    sources[field] = {from = src.from, line = src.line}
  end
  return {kind = "meta", title = m.title, authors = copy_authors(m),
          published = m.published, site = m.site, sources = sources}
end

return setmetatable(M, {__call = function(_, doc, opts) return M.meta(doc, opts) end})
