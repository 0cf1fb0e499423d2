--- lode.markup: the inline syntax of pages that arrive as text.
--
-- Scraped pages and Markdown exports carry their markup in the text: "#"
-- headings, "> " quotes, "* " list items, [links](url), ![images](src),
-- **emphasis**, `code`, stray HTML tags, template shortcodes. The cleaner
-- judges a line by what a reader sees, so it asks this module for that.
--
-- markup.line(t [, keep_tags]) -> plain, kind, link_bytes
--   plain       the text a reader sees (markers, URLs and tags removed;
--               with keep_tags, "<...>" stays: a headline that quotes a tag)
--   kind        "heading", "quote", "list" or nil: what the line's leading
--               marker makes it
--   link_bytes  bytes of `plain` that were link text
--
-- markup.image(t), markup.emphasized(t) -> whether the line is an image
--   alone, or emphasized as a whole (what a caption under an image is).
--
-- markup.only(t) -> true when the line is markup and nothing else: an HTML
--   tag (or a run of them), a comment, a shortcode, an image, a link
--   reference, a horizontal rule. open_tag(t) tells whether such a line
--   opens a tag it does not close (an <img spread over lines).
--
-- The patterns are tables of Lua patterns an analyst can extend.

local find, match, gsub, sub, byte = string.find, string.match, string.gsub, string.sub, string.byte
local select = select

local M = {}

--- Leading markers: pattern (matched at the start) and the kind it gives.
M.LEADERS = {
  {"^#+%s+", "heading"},
  {"^>+%s*", "quote"},
  {"^[%*%-%+]%s+", "list"},
  {"^%d+[.)]%s+", "list"},
}

--- Whole lines that are markup only.
M.ONLY = {
  "^</?%a[%w:-]*[^>]*>$",              -- <figure>, </div>, <excerpt/>
  "^</?%a[%w:-]*[^>]*>%s*<.*>$",       -- <p><img ...></p>
  "^<!%-%-.*%-%->$", "^<!%-%-", "%-%->$", -- comments and their fences
  "^{{.*}}$", "^{%%.*%%}$",            -- Hugo, Jekyll shortcodes
  "^!%b[]%b()$", "^%[!%b[]%b()%]%b()$", -- an image, a linked image
  "^%[[^%]]+%]:%s*%S+$",               -- [ref]: http://...
  "^[%-%*_=~]+$", "^[%-%*_]%s[%-%*_]%s[%-%*_]$", -- rules
  "^\\$",                             -- a Markdown hard break alone
}

--- Inline rewrites applied in order: pattern, replacement, and (optional)
-- a plain string the pattern cannot match without, and how many times
-- (default once; an opening and a closing mark: twice): a line that lacks
-- them skips the rule (a find is far cheaper than a gsub tried at every
-- byte, ~200 instructions a byte for the frontier patterns below, and a
-- line holding one "_", "file_name.jpg", is common).
M.INLINE = {
  {"%*%*", "", "**"}, {"__", "", "__"},     -- strong
  {"`+", "", "`"},                          -- code marks
  {"%f[%w_]_([^_]+)_%f[^%w_]", "%1", "_", 2},  -- _emphasis_
  {"%f[%w%*]%*([^%*]+)%*%f[^%w%*]", "%1", "*", 2},
  {"\\([%p])", "%1", "\\"},                 -- Markdown escapes: \### \_
}

--- The bytes a line of M.ONLY opens with: most lines open with none (a
-- caller may skip M.only for them).
M.ONLY_BYTES = "<!{[-*_=~\\"
local ONLY_LEAD = {}
for b in M.ONLY_BYTES:gmatch(".") do ONLY_LEAD[byte(b)] = true end

--- Does t (trimmed) hold markup only?
function M.only(t)
  if not ONLY_LEAD[byte(t)] then return false end
  local only = M.ONLY
  for x = 1, #only do
    if find(t, only[x]) then return true end
  end
  return false
end

--- Is the line an image alone (Markdown or an <img> tag)?
function M.image(t)
  return find(t, "^!%b[]%b()$") ~= nil or find(t, "^%[!%b[]%b()%]%b()$") ~= nil
    or find(t, "^<img[%s>]") ~= nil
end

--- Is the whole line emphasized ("*The bridge at dawn.*", "_Photo: X_")?
function M.emphasized(t)
  return find(t, "^%*[^%*].*[^%*]%*$") ~= nil or find(t, "^_[^_].*[^_]_$") ~= nil
end

--- Does a markup line open an HTML tag it leaves open ("<img" + attributes
-- on the lines below)?
function M.open_tag(t)
  return find(t, "^<%a") ~= nil and not find(t, ">")
end

-- [text](url) -> text, counting the link text's bytes.
local function unlink(s)
  local nlink = 0
  s = gsub(s, "%[([^%[%]]*)%]%b()", function(text)
    nlink = nlink + #text
    return text
  end)
  return s, nlink
end

--- The bytes a leading marker opens with (M.LEADERS' first bytes), and the
-- bytes inline markup starts with (images, links, tags, M.INLINE): a line
-- with neither is plain text as it stands, and the page cleaner's units
-- (doc:units) read such lines without this module.
M.LEAD_BYTES = "#>*-+0123456789"
M.MARK_BYTES = "[<*_`\\"

local LEADER_LEAD, MARKS = {}, {}
for b in M.LEAD_BYTES:gmatch(".") do LEADER_LEAD[byte(b)] = true end
for b in M.MARK_BYTES:gmatch(".") do MARKS[#MARKS + 1] = b end

--- The kind a line's leading marker gives it ("heading", "quote", "list"
-- or nil) and the position of the first byte after the marker.

function M.leader(t)
  if not LEADER_LEAD[byte(t)] then return nil, 1 end
  local leaders = M.LEADERS
  for x = 1, #leaders do
    local l = leaders[x]
    local e = select(2, find(t, l[1]))
    if e then return l[2], e + 1 end
  end
  return nil, 1
end

-- Does t hold the plain string g at least `count` times (not overlapping)?
local function holds(t, g, count)
  local at = find(t, g, 1, true)
  for _ = 2, count do
    if not at then return false end
    at = find(t, g, at + #g, true)
  end
  return at ~= nil
end

-- Does t hold a byte inline markup starts with? One memchr a byte is far
-- cheaper than a pattern's class tried at every position. (The loops
-- over rule arrays count, rather than call ipairs' iterator a step.)
local function has_mark(t)
  for x = 1, #MARKS do
    if find(t, MARKS[x], 1, true) then return true end
  end
  return false
end

--- The plain text of a trimmed line, its kind, and how much of it was link
-- text (see the module header).
function M.line(t, keep_tags)
  local kind, start
  if LEADER_LEAD[byte(t)] then
    kind, start = M.leader(t)
    if kind then t = sub(t, start) end
  end
  if not has_mark(t) then return t, kind, 0 end
  local nlink = 0
  -- each rewrite only where the bytes it needs stand in the line
  if find(t, "![", 1, true) then t = gsub(t, "!%b[]%b()", "") end   -- images vanish
  if find(t, "](", 1, true) then t, nlink = unlink(t) end
  if not keep_tags and find(t, "<", 1, true) then
    t = gsub(t, "<[^<>]*>", "")      -- tags vanish, their text stays
  end
  local inline = M.INLINE
  for x = 1, #inline do
    local r = inline[x]
    if not r[3] or holds(t, r[3], r[4] or 1) then t = gsub(t, r[1], r[2]) end
  end
  if kind == "heading" then t = gsub(t, "%s+#+$", "") end
  -- trimmed: ".*%S" backs up over the trailing spaces only, where
  -- "(.-)%s*$" would try the tail at every byte
  return match(t, "^%s*(.*%S)") or "", kind, nlink
end

return M
