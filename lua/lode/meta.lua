--- lode.meta: what a page states about itself.
--
-- require("lode.meta")(doc [, opts]) -> {title, authors, published, site}
--   title      the headline lode.clean found above the article (or nil)
--   authors    array of names from bylines ("By A and B", "Author: A"),
--              name lines above a bio, and names opening an end-of-article
--              bio ("X is chairman of ..."); nil when none is stated.
--              Only person-shaped names (2-4 capitalised words) are kept:
--              better fewer authors than wrong ones.
--   published  ISO yyyy-mm-dd of the first date on a byline/date line of
--              the article's header (never a date from the body), or nil
--   site       a masthead that looks like a domain ("Aze.Media"), the X of
--              "Get the X in your inbox" / "Subscribe to X", or the holder
--              of a copyright line; nil when the page does not say.
-- Fields not stated are nil in Lua (write cjson.null in JSON: meta.record
-- does). opts is passed to lode.clean (e.g. {model = m}).

local core = require "lode.core"
local clean = require "lode.clean"

local ipairs, setmetatable, tonumber, select, string =
  ipairs, setmetatable, tonumber, select, string
local lower, find, match, gsub, sub, format =
  string.lower, string.find, string.match, string.gsub, string.sub, string.format

local M = {}

local MONTHS = {jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6, jul = 7,
                aug = 8, sep = 9, oct = 10, nov = 11, dec = 12}

local IMAGE_EXT = {jpg = true, jpeg = true, png = true, gif = true, webp = true,
                   svg = true, html = true, htm = true, php = true}

-- s without white space (no-break spaces included) at either end. "(.*%S)"
-- backs up over the trailing spaces only; "(.-)%s*$" would try the tail at
-- every byte of a long line.
local function trim(s)
  if find(s, "\194\160", 1, true) then s = gsub(s, "\194\160", " ") end
  return match(s, "^%s*(.*%S)") or ""
end

local function iso(y, m, d)
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not (y and m and d) or m < 1 or m > 12 or d < 1 or d > 31 or y < 1900 or y > 2100 then
    return nil
  end
  return format("%04d-%02d-%02d", y, m, d)
end

--- The first full date stated in s, as ISO yyyy-mm-dd (or nil).
function M.parse_date(s)
  local ls = lower(s)
  local mon, d, y = match(ls, "(%a+)%.?%s+(%d%d?)%a*,?%s+(%d%d%d%d)")
  if mon and MONTHS[sub(mon, 1, 3)] and (#mon == 3 or #mon >= 4) then
    local r = iso(y, MONTHS[sub(mon, 1, 3)], d)
    if r then return r end
  end
  local d2, mon2, y2 = match(ls, "(%d%d?)%a*%s+(%a+)%.?,?%s+(%d%d%d%d)")
  if mon2 and MONTHS[sub(mon2, 1, 3)] then
    local r = iso(y2, MONTHS[sub(mon2, 1, 3)], d2)
    if r then return r end
  end
  local y3, m3, d3 = match(ls, "(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if y3 then return iso(y3, m3, d3) end
  return nil
end

local NAME = core.regex(clean.NAME_ONLY)
local BIO = core.regex(clean.BIO_OPEN)
local BYLINE = core.regex("^(?:by|author|authors|written by|posted by|words by|reported by|story by|text by)\\s*:?\\s+(.+)$", "i")
local INBOX = core.regex("get (?:the )?(.+?) (?:in|to|delivered to) your inbox", "i")
local SUBSCRIBE = core.regex("subscribe to (?:the )?(\\p{Lu}.+?)(?: newsletter)?[.!:]?$", "")

-- Words that make a byline a role or a desk, not a person.
local NOT_NAME = {staff = true, reporter = true, reporters = true, correspondent = true,
  editor = true, editors = true, desk = true, team = true, news = true, agency = true,
  admin = true, newsroom = true, contributor = true, writer = true, media = true}

local function person(name, site)
  name = trim(gsub(name, "[,;.:]+$", ""))
  if not NAME:find(name) then return nil end
  for w in string.gmatch(name, "%a+") do
    if NOT_NAME[lower(w)] then return nil end
  end
  local key = lower(gsub(name, "[^%w]", ""))
  if site and key == lower(gsub(site, "[^%w]", "")) then return nil end
  return name
end

-- Names of a byline's tail: "A, B and C | December 3, 2021" -> {A, B, C}.
local function byline_names(rest)
  rest = gsub(rest, "%s*[|•·–—]%s.*$", "")
  rest = gsub(rest, "%s+%-%s.*$", "")
  rest = gsub(rest, ",?%s+and%s+", ", ")
  rest = gsub(rest, "%s*&%s*", ", ")
  local out = {}
  for part in string.gmatch(rest, "[^,;]+") do out[#out + 1] = trim(part) end
  return out
end

-- The numbers of the lines labelled `label`, in page order: meta reads a
-- few labelled lines, not the page.
local function labelled(blocks, label)
  local ks = {}
  for _, b in ipairs(blocks) do
    if b.label == label then
      for _, k in ipairs(b.lines) do ks[#ks + 1] = k end
    end
  end
  return ks
end

local function site_of(blocks, L, line)
  -- a domain-like masthead among the first lines of the page
  local seen = 0
  for k = 1, #L do
    if L[k] ~= "blank" then
      seen = seen + 1
      if seen > 5 or L[k] == "title" then break end
      local t = line(k)
      local ext = lower(match(t, "%.(%a+)$") or "")
      if find(t, "^%w[%w%-]*%.%a[%w%.]*$") and not IMAGE_EXT[ext] then
        return t
      end
    end
  end
  -- "Get the Mirror in your inbox" and "Get the Mirror-Spectator Weekly in
  -- your inbox": the fullest name wins, without its frequency word
  local best
  for _, k in ipairs(labelled(blocks, "promo")) do
    local t = line(k)
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
    local x = match(t, "©%s*(.*)") or match(t, "[Cc]opyright%s*(.*)")
    if x then
      x = gsub(x, "^[%s%d%-–,]+", "")
      x = gsub(x, "[Aa]ll [Rr]ights [Rr]eserved.*$", "")
      x = trim(gsub(trim(x), "[.,]$", ""))
      local nw = select(2, gsub(x, "%S+", ""))
      if x ~= "" and nw <= 8 then return x end
    end
  end
  return nil
end

-- Results per doc (weak keys) and model: dates asks for the publication
-- date of every document it reads, extract.all for the meta record.
local cache = setmetatable({}, {__mode = "k"})

local function compute(doc, opts)
  local blocks = clean.clean(doc, opts)
  local L = blocks.labels
  -- line k as the cleaner saw it (blank lines are labelled "blank")
  local function line(k) return trim(doc:line(k)) end
  local out = {}
  if blocks.title_line then out.title = line(blocks.title_line) end
  out.site = site_of(blocks, L, line)

  local authors, have = {}, {}
  local function add(name)
    name = name and person(name, out.site)
    if name and not have[name] then have[name] = true; authors[#authors + 1] = name end
  end
  local first_body
  for _, b in ipairs(blocks) do
    if b.label == "body" then first_body = b.line_first; break end
  end
  for _, b in ipairs(blocks) do
    if b.label == "byline" then
      for _, k in ipairs(b.lines) do
        local t = line(k)
        local rest = BYLINE:match(t)
        if rest then
          for _, nm in ipairs(byline_names(rest)) do add(nm) end
        elseif NAME:find(t) then
          add(t)
        end
        if not out.published and (not first_body or k < first_body) then
          out.published = M.parse_date(t)
        end
      end
    elseif b.label == "bio" then
      for _, k in ipairs(b.lines) do add(BIO:match(line(k))) end
    end
  end
  if #authors > 0 then out.authors = authors end
  return out
end

--- The meta table of `doc` (a fresh copy: callers may edit it).
function M.meta(doc, opts)
  local model = opts and opts.model or false
  local c = cache[doc]
  if not c or c.model ~= model then
    c = {model = model, m = compute(doc, opts)}
    cache[doc] = c
  end
  local m = c.m
  local authors
  if m.authors then
    authors = {}
    for k, a in ipairs(m.authors) do authors[k] = a end
  end
  return {title = m.title, authors = authors, published = m.published, site = m.site}
end

--- The meta record for JSON output: missing fields become cjson.null.
function M.record(doc, opts)
  local null = require("cjson").null
  local m = M.meta(doc, opts)
  return {kind = "meta", title = m.title or null, authors = m.authors or null,
          published = m.published or null, site = m.site or null}
end

return setmetatable(M, {__call = function(_, doc, opts) return M.meta(doc, opts) end})
