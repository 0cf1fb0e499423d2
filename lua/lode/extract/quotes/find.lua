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
-- apostrophes and elisions ('90s, 'em: quote_elisions.txt) never open; a
-- close after a plural's s ("the protesters’ demands") is used only when
-- no other close follows in the paragraph. The rules in full are in
-- core/quotemarks.h, whose one pass applies them.

local lode = require "lode"
local core = require "lode.core"
local words = require "lode.words"
local find, sub, match = string.find, string.sub, string.match

local M = {}

-- The turn regex, compiled once and held here: the regex cache lets go
-- of patterns no one holds, and it would be compiled again for most
-- documents.
local turn_re

-- The elision words as a WordSet, built once.
local elisions
local function elision_set()
  if not elisions then
    local t = {}
    for w in pairs(words.list("quote_elisions")) do t[#t + 1] = w end
    elisions = core.wordset(t)
  end
  return elisions
end

--- Every quotation between marks, in document order: one C pass finds
-- the marks and pairs them (lode.core.quote_marks, core/quotemarks.h).
function M.marked(doc)
  local I, J, O, C, F = core.quote_marks(doc, elision_set())
  local out = {}
  for n = 1, #I do
    out[n] = {i = I[n], j = J[n], open_at = O[n], close_j = C[n] or nil, first_j = F[n] or nil}
  end
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
M.TURN_RE = TURN_RE      -- (for the spec that checks core.quote_may_turn against it)
-- Labels that name a turn for sure (an honorific, "THE PRESIDENT", Q, A):
-- a page needs two turns with one to be a transcript.
local STRONG = {Q = true, A = true, MR = true, MRS = true, MS = true, DR = true, GEN = true,
  SEN = true, REP = true, AMB = true, THE = true}

-- An interview under Q labels answers under the guest's surname alone
-- ("Mirzoyan: ..."): a one-word label is a turn on such a page when it
-- recurs and the page names someone with it as a surname ("Ararat
-- Mirzoyan"). (Not in TURN_RE: one capitalised word before a colon opens
-- too many lines of other pages, "Photo:", "Update:".)
local SURNAME_TURN_RE = [[(?m)^[\h>*_]*\K(\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?)(?=[*_]*\h*:)[*_]*\h*:[*_]*\h+(?=\S)]]
local surname_turn_re

-- `out` (the turns of a transcript) with the turns under surnames added.
local function with_surnames(doc, text, out)
  if not surname_turn_re then surname_turn_re = lode.regex(SURNAME_TURN_RE) end
  local I, J, LI, LJ = doc:match_spans(surname_turn_re)
  local count, found = {}, {}
  for n = 1, #I do
    local label = sub(text, LI[n], LJ[n])
    count[label] = (count[label] or 0) + 1
  end
  for n = 1, #I do
    local label = sub(text, LI[n], LJ[n])
    if count[label] >= 2 then
      if found[label] == nil then
        found[label] = lode.regex("\\p{Lu}\\p{Ll}+\\h+" .. label .. "(?!\\p{L})"):find(text) ~= nil
      end
      local words_i, words_j = core.quote_line_words(doc, J[n] + 1)
      if found[label] and words_j >= words_i then
        out[#out + 1] = {i = words_i, j = words_j, open_at = I[n], label = label,
          label_i = LI[n], label_j = LJ[n]}
      end
    end
  end
  return out
end

--- The turns of a transcript or interview: spans of the words after each
-- label, with the label ("MR. KIRBY", "Q") as `label`.
function M.turns(doc)
  -- most pages have no line a label could open: a C pass over the
  -- colons and line starts first (core/quotemarks.h)
  if not core.quote_may_turn(doc) then return {} end
  local text = doc:text()
  if not turn_re then turn_re = lode.regex(TURN_RE) end
  local I, J, LI, LJ = doc:match_spans(turn_re)
  local labels, out = {}, {}
  for n = 1, #I do
    local label = sub(text, LI[n], LJ[n])
    local words_i, words_j = core.quote_line_words(doc, J[n] + 1)
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
  if strong >= 2 then return with_surnames(doc, text, out) end
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
