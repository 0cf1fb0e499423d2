--- lode.extract.entities.roles: the role a text gives a person, stated
-- before the mention on its line ("Azerbaijan’s President", "European
-- Council President", "The Prime Minister, ") or in an apposition after it
-- (", the secretary of the National Security Council,"), from the titles
-- list.

local lode = require "lode"
local core = require "lode.core"
local words = require "lode.words"
local lists = require "lode.extract.entities.lists"
local pairs, table = pairs, table
local byte, match, sub = string.byte, string.match, string.sub
local titles_alt, demonym_map, memo_across_docs = lists.titles_alt, lists.demonym_map, lists.memo_across_docs

local M = {}

local function re(p, f) return lode.regex(p, f) end

local ROLE_BEFORE, ROLE_AFTER
-- Honorifics, with or without the period (British style: "Mr de Waal").
local HONORIFIC = words.list("honorifics")

local window
--- lode.core.role_window's window, made once: over the last words a role
-- before a name can end with (a title's last word, or a word of the "of
-- the Security Council of Armenia" tail), the honorifics (no role: "Mr."),
-- and the bytes no role holds (printable ASCII that is not a letter,
-- hyphen or apostrophe, nor in any title).
local function make_window()
  if window then return window end
  local enders, honorifics = {"of", "the", "for"}, {}
  local holds = {["-"] = true, ["'"] = true}
  for k in pairs(words.list("titles")) do
    enders[#enders + 1] = (k:match("(%S+)%s*$") or k):lower()
    for c in k:gmatch("[\33-\126]") do holds[c] = true end
  end
  -- (the set folds case: the honorifics written in lower case, as listed)
  for k in pairs(HONORIFIC) do
    if k == k:lower() then honorifics[#honorifics + 1] = k end
  end
  local stops = {}
  for c = 33, 126 do
    local ch = string.char(c)
    if not ch:match("%a") and not holds[ch] then stops[#stops + 1] = ch end
  end
  window = core.role_window(core.wordset(enders), core.wordset(honorifics), table.concat(stops))
  return window
end

-- The role stated by the text a role regex reads (from role_window's
-- start to the name), or false: the same in every document, and news
-- repeats it ("President ", "Azerbaijan’s Foreign Minister ").
local role_in = memo_across_docs(function(prefix)
  local ta = titles_alt()
  ROLE_BEFORE = ROLE_BEFORE or re(
    "(?:(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+|(?<pre>(?:\\p{Lu}[\\p{L}\\-]+\\s+){1,3}))?" ..
    "(?<title>(?i:(?:" .. ta .. ")(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:\\p{Lu}[\\p{L}\\-]*|of|the|for)" ..
    "(?:\\s+(?:\\p{Lu}[\\p{L}\\-]*|of|the|for))*)?))\\s+$")
  -- find returns the span, then the captures in order: poss, pre, title
  local s, _, poss, pre, title = ROLE_BEFORE:find(prefix)
  if not s then return false end
  if not title or title == false then return false end
  title = title:gsub("%s+", " ")
  local low = title:lower()
  if HONORIFIC[low] or low == "sir" then
    return false
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
end)

--- Role stated before a mention on its line: "Azerbaijan’s President",
-- "Azerbaijani President", "Secretary of the Security Council of Armenia",
-- "European Council President", read in text[from, i - 1] (the mention
-- starts at byte i). Returns the role string or nil.
local function role_before(text, from, i)
  -- the role ends right before the name: unless the last word can end one
  -- (a Unicode space or letter: let the regex decide), skip the regex (an
  -- alternation of every title tried at each position); else it reads
  -- from the last byte no role holds (a comma, a quote, a digit) on,
  -- within the last 160 bytes: the same leftmost match, on fewer starts
  local start = (window or make_window())(text, from, i, 160)
  return start and role_in(sub(text, start, i - 1)) or nil
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
