--- lode.extract.quotes.find: the "find" stage of the quote extractor.
-- find.marked(doc) -> spans of words between quotation marks; find.turns(doc)
-- -> the answers of a transcript or interview ("MR. KIRBY: ...", "Q: ...").
-- Each span is {i, j (the words, 1-based inclusive), open_at (first byte of
-- the opening mark), close_j (last byte of the closing mark, nil when the
-- quote never closes), first_j (end of the first paragraph of a quote
-- continued over paragraphs), label (a turn's speaker label)}.
--
-- Marks are paired by family (double, single, guillemet, angle) from their
-- context alone: a mark can open after a space or an opening punctuation
-- and before a word; it can close after a word and before anything but a
-- letter or digit. Within an open quotation, marks of another family are
-- nested quotations and stay inside. Single marks between letters are
-- apostrophes (the C regex never reports them) and elisions ('90s, 'em)
-- never open; a close after a plural's s ("the protesters’ demands") is
-- used only when no other close follows in the paragraph.

local lode = require "lode"
local words = require "lode.words"
local byte, find, sub, match = string.byte, string.find, string.sub, string.match

local M = {}

-- Mark -> its family and the role it plays when its context allows both
-- ("open" first: “ and ‘ open unless only a close fits; ” ’ " ' the other
-- way round). A closing mark used to open (”…”) is scrape damage, read as
-- an opening one when it stands before a word.
local MARKS = {
  ["“"] = {family = "double", prefer = "open"},
  ["”"] = {family = "double", prefer = "close"},
  ['"'] = {family = "double", prefer = "close"},
  ["„"] = {family = "double", prefer = "open", only = "open"},
  ["«"] = {family = "guillemet", prefer = "open", only = "open", spaced = true},
  ["»"] = {family = "guillemet", prefer = "close", only = "close", spaced = true},
  ["‹"] = {family = "angle", prefer = "open", only = "open", spaced = true},
  ["›"] = {family = "angle", prefer = "close", only = "close", spaced = true},
  ["‘"] = {family = "single", prefer = "open"},
  ["’"] = {family = "single", prefer = "close"},
  ["'"] = {family = "single", prefer = "close"},
  ["‚"] = {family = "single", prefer = "open", only = "open"},
}
-- The marks by their last byte, which tells every one of them apart (no
-- string made per mark).
local BY_LAST = {}
for mark, m in pairs(MARKS) do BY_LAST[byte(mark, -1)] = m end

-- Every mark but a single mark between two letters or digits (an
-- apostrophe: don't, Georgia's, O'Neil).
-- Every branch starts with a mark, so PCRE2 looks for their first bytes
-- instead of trying the look-arounds at every byte.
local MARK_RE = [[[“”"„«»‹›‘‚]|['’](?:(?![\p{L}\p{N}])|(?<![\p{L}\p{N}]['’]))]]

-- A quote crossing more single line breaks than this without closing is
-- damaged: it ends where its first line ends.
local MAX_LINES = 12

-- Spaces a spaced mark may stand apart by: ASCII, no-break (U+00A0) and
-- narrow no-break (U+202F).
local function space_len(s, at, dir)
  local b = byte(s, at)
  if b == 32 or b == 9 then return 1 end
  if dir > 0 then
    if b == 0xC2 and byte(s, at + 1) == 0xA0 then return 2 end
    if b == 0xE2 and byte(s, at + 1) == 0x80 and byte(s, at + 2) == 0xAF then return 3 end
  else
    if b == 0xA0 and byte(s, at - 1) == 0xC2 then return 2 end
    if b == 0xAF and byte(s, at - 1) == 0x80 and byte(s, at - 2) == 0xE2 then return 3 end
  end
  return 0
end

-- Byte classes of the neighbours of a mark, as tables indexed by byte (a
-- byte past either end of the text is nil: treated as blank). A lead byte
-- of U+0080-U+1FFF (Latin, Greek, Cyrillic, Armenian, Georgian ...) and a
-- continuation byte count as a letter; U+2000 and up (punctuation, other
-- marks) does not.
local BLANK, WORDISH, OPENS_AFTER = {}, {}, {}
for b = 0, 255 do
  BLANK[b] = b == 32 or (b >= 9 and b <= 13)
  WORDISH[b] = (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122)
    or (b >= 0xC3 and b <= 0xE1) or (b >= 128 and b < 192)
  -- what a mark may open after: a blank, ( [ { / - > * _, and the last
  -- bytes of a no-break space, "—", "–", "“" and "„"
  OPENS_AFTER[b] = BLANK[b] or b == 40 or b == 91 or b == 123 or b == 47 or b == 45
    or b == 62 or b == 42 or b == 95 or b == 0xA0 or b == 0x94 or b == 0x93
    or b == 0x9C or b == 0x9E
end

-- Whether the mark at [i, j] of s may open / close a quotation; a spaced
-- mark (« » ‹ ›) may stand a space apart from its words.
local function may_open(s, i, j, spaced)
  local before = byte(s, i - 1)
  if before and not OPENS_AFTER[before] then return false end
  local k = j + 1
  if spaced then k = k + space_len(s, k, 1) end
  local after = byte(s, k)
  return after ~= nil and not BLANK[after]
end
local function may_close(s, i, j, spaced)
  local k = i - 1
  if spaced then k = k - space_len(s, k, -1) end
  local before, after = byte(s, k), byte(s, j + 1)
  return before ~= nil and not BLANK[before] and not (after and WORDISH[after])
end

-- "’90s", "'em", "rock 'n' roll": a single mark before these never opens.
local function is_elision(s, j)
  local w = match(s, "^(%w+)", j + 1)
  if not w then return false end
  return find(w, "^%d%d") ~= nil or words.list("quote_elisions")[w:lower()] == true
end

-- The role of the mark at [i, j]: "open", "close", "either" or nil.
local function role_of(s, i, j)
  local o, c, m
  if i > 1 then
    -- the byte before, the mark and the byte after in one call (a mark
    -- is one to three bytes)
    local before, b1, b2, b3, b4 = byte(s, i - 1, j + 1)
    local n = j - i
    local last, after
    if n == 0 then last, after = b1, b2 elseif n == 1 then last, after = b2, b3 else last, after = b3, b4 end
    m = BY_LAST[last]
    if not m.spaced then
      o = m.only ~= "close" and OPENS_AFTER[before] and after ~= nil and not BLANK[after]
      c = m.only ~= "open" and not BLANK[before] and not (after and WORDISH[after])
    end
  else
    m = BY_LAST[byte(s, j)]
  end
  if o == nil then
    o = m.only ~= "close" and may_open(s, i, j, m.spaced)
    c = m.only ~= "open" and may_close(s, i, j, m.spaced)
  end
  if o and m.family == "single" and is_elision(s, j) then o = false end
  if o and c then return (m.prefer == "open" and "open" or "either"), m end
  return o and "open" or c and "close" or nil, m
end

--- The first paragraph break (a line break followed by a blank line) of
-- text at or after byte `from`: the position of its first line break, or
-- nil. Line by line with a plain find: a Lua pattern would be tried at
-- every byte.
function M.paragraph_break(text, from)
  while true do
    local nl = find(text, "\n", from, true)
    if not nl then return nil end
    local k = nl + 1
    local b = byte(text, k)
    while b == 32 or b == 9 or b == 13 do k = k + 1; b = byte(text, k) end
    if b == 10 then return nl end
    from = nl + 1
  end
end

-- An unclosed quotation on a line longer than this ends here.
local LINE_REACH = 4000

-- The last byte of the line holding byte i (before its line break), at
-- most LINE_REACH bytes on, before a character that reach would cut.
local function line_end(text, i)
  local s = sub(text, i, i + LINE_REACH - 1)
  local e = find(s, "[\r\n]")
  if e then return i + e - 2 end
  if #s < LINE_REACH then return #text end
  local j = i + LINE_REACH - 1
  while j > i and (byte(text, j + 1) or 0) // 64 == 2 do j = j - 1 end
  return j
end

-- Where an unclosed quote opened at [open_at, i] ends: at its first
-- sentence end when another quotation opens later on its line, else at the
-- end of its line.
local function unclosed_end(text, i, next_open)
  local le = line_end(text, i)
  if next_open and next_open <= le then
    local e = find(sub(text, i, le), "[.!?][\"”’]?%s")
    if e then return i + e - 1 end
  end
  return le
end

-- Narrow [i, j] past spaces and a Markdown link wrapping the whole quote
-- (“[ecological terror.](https://...)” quotes the link's words).
local function words_span(text, i, j)
  while i <= j do
    local n = space_len(text, i, 1)
    if n == 0 then break end
    i = i + n
  end
  while j >= i do
    local n = space_len(text, j, -1)
    if n == 0 and not BLANK[byte(text, j)] then break end
    j = j - math.max(n, 1)
  end
  if byte(text, i) == 91 and byte(text, j) == 41 then      -- [ ... )
    local close = find(sub(text, i, j), "%]%(%S+%)$")
    if close then i, j = i + 1, i + close - 2 end
  end
  return i, j
end

-- The two regexes, compiled once and held here: the regex cache lets go
-- of patterns no one holds, and they would be compiled again for most
-- documents.
local held = {}
local function regex(name, pattern)
  local r = held[name]
  if not r then r = lode.regex(pattern); held[name] = r end
  return r
end

--- Every quotation between marks, in document order.
function M.marked(doc)
  local text = doc:text()
  local I, J = doc:match_spans(regex("mark", MARK_RE))
  local line_of = doc.line_of
  local out = {}
  local open, weak       -- the open quotation; a weak close kept for it
  local next_break = 0
  local function start(i, j, family, line)
    open = {i = j + 1, open_at = i, family = family, line = line or line_of(doc, i), last = j + 1}
  end
  local function emit(j_words, close_j)
    local i, j = words_span(text, open.i, j_words)
    if j >= i then
      out[#out + 1] = {i = i, j = j, open_at = open.open_at, close_j = close_j,
        first_j = open.first_j}
    end
    open, weak = nil, nil
  end
  -- end the open quotation without a (strong) close mark; `limit` is where
  -- the next quotation opens, if on its line
  local function abandon(limit)
    if weak then return emit(weak[1] - 1, weak[2]) end
    local e = unclosed_end(text, open.i, limit)
    if open.first_j and e > open.first_j then e = open.first_j end
    emit(e)
  end
  for n = 1, #I do
    local i, j = I[n], J[n]
    local role, m = role_of(text, i, j)
    local line        -- the line of the mark, once asked
    if open then
      -- the next paragraph break, found again only once passed (linear)
      if next_break < open.last then
        next_break = M.paragraph_break(text, open.last) or #text + 1
      end
      local brk = next_break < i and next_break - open.last + 1
      if not brk then line = line_of(doc, i) end
      if brk or line - open.line > MAX_LINES then
        -- a paragraph that ends open continues when the next one opens
        -- with a mark of its family (the newspaper convention)
        if brk and role == "open" and m.family == open.family and not weak
            and find(sub(text, open.last, i - 1), "\n[ \t\r]*\n[%s>*_%-]*$", brk) == brk
            and line_of(doc, i) - open.line <= MAX_LINES then
          open.first_j = open.first_j or open.last + brk - 2
          role = nil
        else
          abandon(nil)
        end
      end
      if open then open.last = j + 1 end
    end
    if role and open then
      if m.family == open.family then
        if role == "open" then
          abandon(i)                      -- a new quotation: the old one never closed
          start(i, j, m.family, line)
        elseif m.family == "single" and byte(text, i - 1) == 115 and byte(text, j + 1) == 32 then
          weak = weak or {i, j}           -- "the protesters’ demands"
        else
          emit(i - 1, j)
        end
      end
    elseif role == "open" or (role == "either" and m.family == "double") then
      start(i, j, m.family, line)
    end
  end
  if open then abandon(nil) end
  return out
end

-- A transcript turn: a speaker label in capitals (an honorific allowed),
-- a name of two or three capitalised words (an interview's "Nikol
-- Pashinyan:"), or Q / A; a colon; the words. Labels must recur for a page
-- to count as a transcript (one "NOTE:" or "Photo credit:" line does not).
local TURN_RE = table.concat{[[(?m)^[\h>*_]*\K(]],
  [[(?:(?:MR|MRS|MS|DR|GEN|SEN|REP|AMB|THE)\.?\h+)?]],          -- honorific
  [[\p{Lu}[\p{Lu}'’\-]+(?:\h+\p{Lu}[\p{Lu}'’\-]+){0,2}(?=[*_]*\h*:)]],   -- NAME:
  [[|\p{Lu}\p{Ll}+(?:\h+\p{Lu}[\p{Ll}'’\-]+){1,2}(?=[*_]*\h*:)]],  -- Name Surname:
  [[|[QA](?=[*_]*\h*[:.]))]],                                  -- Q: or Q.
  [[[*_]*\h*[:.][*_]*\h+(?=\S)]]}
-- Labels that name a turn for sure (an honorific, "THE PRESIDENT", Q, A):
-- a page needs two turns with one to be a transcript.
local STRONG = {Q = true, A = true, MR = true, MRS = true, MS = true, DR = true, GEN = true,
  SEN = true, REP = true, AMB = true, THE = true}

--- The turns of a transcript or interview: spans of the words after each
-- label, with the label ("MR. KIRBY", "Q") as `label`.
function M.turns(doc)
  local text = doc:text()
  local I, J, LI, LJ = doc:match_spans(regex("turn", TURN_RE))
  local labels, out = {}, {}
  for n = 1, #I do
    local label = sub(text, LI[n], LJ[n])
    local words_i, words_j = words_span(text, J[n] + 1, line_end(text, J[n] + 1))
    if words_j >= words_i then
      labels[label] = (labels[label] or 0) + 1
      out[#out + 1] = {i = words_i, j = words_j, open_at = I[n], label = label,
        label_i = LI[n], label_j = LJ[n]}
    end
  end
  -- a transcript: two turns with strong labels, or an interview: two
  -- names taking three turns or more between them
  local strong, names, name_turns = 0, 0, 0
  for label, c in pairs(labels) do
    if STRONG[match(label, "^(%u+)")] and (#label == 1 or find(label, "^%u+%.?%s")) then
      strong = strong + c
    elseif find(label, "^%u%l") then
      names, name_turns = names + 1, name_turns + c
    end
  end
  if strong >= 2 then return out end
  if names >= 2 and name_turns >= 3 then
    local named = {}
    for _, t in ipairs(out) do
      if find(t.label, "^%u%l") then named[#named + 1] = t end
    end
    return named
  end
  return {}
end

return M
