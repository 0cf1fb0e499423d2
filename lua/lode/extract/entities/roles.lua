--- lode.extract.entities.roles: the role a text gives a person, stated
-- before the mention on its line ("Azerbaijan’s President", "European
-- Council President", "The Prime Minister, ") or in an apposition after it
-- (", the secretary of the National Security Council,"), from the titles
-- list.

local lode = require "lode"
local words = require "lode.words"
local lists = require "lode.extract.entities.lists"
local pairs, table = pairs, table
local byte, find, match, reverse, sub =
      string.byte, string.find, string.match, string.reverse, string.sub
local titles_alt, demonym_map = lists.titles_alt, lists.demonym_map

local M = {}

local function re(p, f) return lode.regex(p, f) end

--- Role stated before a mention on its line: "Azerbaijan’s President",
-- "Azerbaijani President", "Secretary of the Security Council of Armenia",
-- "European Council President". Returns the role string or nil.
local ROLE_BEFORE, ROLE_AFTER, TITLE_LAST
-- Honorifics, with or without the period (British style: "Mr de Waal").
local HONORIFIC = words.list("honorifics")
-- The last words a role before a name can end with: a title's last word,
-- or a word of the "of the Security Council of Armenia" tail.
local function title_last()
  if TITLE_LAST then return TITLE_LAST end
  TITLE_LAST = {of = true, the = true, ["for"] = true}
  for k in pairs(words.list("titles")) do
    TITLE_LAST[(k:match("(%S+)%s*$") or k):lower()] = true
  end
  return TITLE_LAST
end

local ROLE_STOP
--- A Lua pattern class of the printable ASCII bytes no role before a name
-- can hold: not letters, hyphen or apostrophe, nor in any title. Written as
-- the complement of what a role holds: a short class is faster to test.
local function role_stop()
  if ROLE_STOP then return ROLE_STOP end
  local holds = {["-"] = true, ["'"] = true}
  for k in pairs(words.list("titles")) do
    for c in k:gmatch("[\33-\126]") do holds[c] = true end
  end
  local t = {}
  for c in pairs(holds) do
    if not c:match("%a") then t[#t + 1] = c:match("%d") or "%" .. c end
  end
  table.sort(t)
  ROLE_STOP = "[^%a\0-\32\127-\255" .. table.concat(t) .. "]"
  return ROLE_STOP
end

local function role_before(prefix)
  if #prefix > 160 then prefix = prefix:sub(-160):gsub("^[\128-\191]+", "") end
  -- the role ends right before the name: unless the last word can end one,
  -- skip the regex (an alternation of every title tried at each position)
  -- the last word and the spaces after it, read from the reversed prefix
  -- with an anchored pattern ("(%S+)(%s*)$" is tried at every byte)
  local rev = reverse(prefix)
  local rsp, rlast = match(rev, "^(%s*)(%S+)")
  if not rlast then return nil end
  local last, sp = reverse(rlast), rsp
  -- a Unicode space or letter: let the regex decide; else the last word
  -- must be able to end a role, and an honorific ("Mr.") is none
  if not last:find("[\128-\255]") and (sp == "" or HONORIFIC[last:lower()]
      or not (title_last()[last:lower()] or last:match("^%u"))) then
    return nil
  end
  local ta = titles_alt()
  ROLE_BEFORE = ROLE_BEFORE or re(
    "(?:(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+|(?<pre>(?:\\p{Lu}[\\p{L}\\-]+\\s+){1,3}))?" ..
    "(?<title>(?i:(?:" .. ta .. ")(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:\\p{Lu}[\\p{L}\\-]*|of|the|for)" ..
    "(?:\\s+(?:\\p{Lu}[\\p{L}\\-]*|of|the|for))*)?))\\s+$")
  -- a role holds letters, white space, hyphens, apostrophes and the
  -- titles' own characters only, and runs up to the name: the regex can
  -- start after the last other byte (a comma, a quote, a digit) and finds
  -- the same leftmost match, on fewer start positions
  local stop = find(rev, role_stop())
  if stop then prefix = sub(prefix, #prefix - stop + 2) end
  -- find returns the span, then the captures in order: poss, pre, title
  local s, _, poss, pre, title = ROLE_BEFORE:find(prefix)
  if not s then return nil end
  if not title or title == false then return nil end
  title = title:gsub("%s+", " ")
  local low = title:lower()
  if HONORIFIC[low] or low == "sir" then
    return nil
  end
  local dem = demonym_map()
  if poss and poss ~= false then
    return title .. " of " .. poss
  end
  if pre and pre ~= false then
    pre = pre:gsub("%s+$", "")
    local c = dem[pre]
    if c and c ~= true then return title .. " of " .. c end
    if c == true then return title end
    -- "European Council President": the organization words are part of it
    local first = pre:match("^(%S+)")
    if words.list("stopwords_en")[first:lower()] then pre = pre:gsub("^%S+%s*", "") end
    if pre ~= "" then return pre .. " " .. title end
  end
  return title
end

--- Role stated in an apposition after the mention: ", the secretary of the
-- National Security Council," / ", Azerbaijan’s minister of defense,". A
-- title followed by a capitalised word is the next name of a list
-- (", Queen Margrethe and …"), no apposition.
local function role_after(suffix)
  -- the caller cut a fixed number of bytes: drop a split character at the end
  if suffix:byte(1) ~= 44 then return nil end     -- the regex needs ", " first
  if byte(suffix, -1) >= 128 then suffix = suffix:gsub("[\192-\255][\128-\191]*$", "") end
  local ta = titles_alt()
  -- ", a prominent opposition politician,", ", an Anglican priest,": up
  -- to three words before it;
  -- after a possessive they are the role's (", Azerbaijan's presidential
  -- aide,")
  ROLE_AFTER = ROLE_AFTER or re("^,\\s+(?:(?:the|an?)\\s+(?:\\p{L}[\\p{L}\\-]*\\s+){0,3}?|" ..
    "(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+(?<mods>(?:\\p{Ll}[\\p{L}\\-]*\\s+){0,2}?))?" ..
    "(?<role>(?:(?:former|deputy|acting|current|then|senior|chief|first)\\s+)?(?i:" .. ta .. ")" ..
    "(?:\\s+(?!\\p{Lu})[^,.;:()“”\"]{1,80}?)?)\\s*(?:,|\\.|;|\\)|$)")
  local r = ROLE_AFTER
  local poss, mods, role = r:match(suffix)
  if poss == nil then return nil end          -- no match (an unset group is false)
  if role == false or not role then return nil end
  role = ((mods or "") .. role):gsub("%s+", " ")
  if role:match("^%u%l*%.$") then return nil end   -- "Mr." is no role
  if poss ~= false then return role .. " of " .. poss end
  return role
end

--- The title a comma sets before the mention at byte i ("The Prime
-- Minister, Ivo Marek, said", "his deputy leader, Ivo Marek,"): its last
-- word, or nil.
local function title_comma_before(text, i)
  if byte(text, i - 2) ~= 44 or byte(text, i - 1) ~= 32 then return nil end
  local w = match(sub(text, i > 42 and i - 40 or 1, i - 3), "(%a+)$")
  return w and lists.word_lists().titles_low[w:lower()] and w or nil
end

--- Whether a possessive and a title follow byte j ("Tovan Merelik’s
-- deputy leader", "Ana Lind's lawyer"): a name that owns a role is a
-- person's.
local function title_possessed_after(text, j)
  local after = sub(text, j + 1, j + 40)
  local w1, w2 = match(after, "^'s%s+(%l+)%s*(%l*)")
  if not w1 then w1, w2 = match(after, "^’s%s+(%l+)%s*(%l*)") end
  if not w1 then return false end
  local low = lists.word_lists().titles_low
  return (low[w1] or low[w2]) and true or false
end

M.before, M.after, M.comma_before, M.possessed_after =
  role_before, role_after, title_comma_before, title_possessed_after

return M
