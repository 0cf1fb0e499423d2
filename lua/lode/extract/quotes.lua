--- lode.extract.quotes: direct quotations and who said them.
-- quotes(doc [, opts]) -> array of records in document order:
--   {kind = "quote", text = the quoted words (between the marks), i, j, line,
--    speaker = canonical name (a person's full name, an organisation, or a
--    body as written: "a senior Armenian official") or nil,
--    speaker_surface = how the text names the speaker ("he", "Aliyev"),
--    strategy = the attribution strategy that named it, cue = the word
--    that attributes ("said", "according to", ":"), role = a person's role}
--
-- A pipeline of named stages:
--   find      quotation spans: every mark style, apostrophes and elisions
--             told apart, damaged and unbalanced marks, quotations over
--             lines and paragraphs, transcript turns (quotes/find.lua);
--   look      the sentence before each quotation and the words after it;
--   attribute the ordered strategies of quotes/attribute.lua;
--   link      the speaker as written -> a canonical name: persons of
--             lode.extract.entities, pronouns to the last person or body
--             (quotes/context.lua);
--   keep      quotations of four words or more; shorter ones when the
--             sentence attributes them (Aliyev called it “disgusting”), not
--             scare quotes with no source nor titles and nicknames.
-- opts.short = true keeps every short quotation.

local extract = require "lode.extract"
local find_stage = require "lode.extract.quotes.find"
local context = require "lode.extract.quotes.context"
local attribute = require "lode.extract.quotes.attribute"
local core = require "lode.core"
local quote_look, quote_words = core.quote_look, core.quote_words
local ipairs = ipairs
local byte, find, sub = string.byte, string.find, string.sub

local M = {}

-- Strategies whose attribution makes a short quotation a quotation (the
-- others pass a speaker on from a neighbour and vouch for nothing).
local ATTRIBUTING = {turn = true, verb_after = true, inverted = true, according_to = true, quotes_as = true,
  verb_before = true, colon = true, possessive = true, subject = true,
  verb_after_sentence = true, list_intro = true, main_subject = true}
-- A short quotation's speech verb must stand this close before it (bytes,
-- by the quotation's number of words: one word is more often a term).
local NEAR_VERB = {80, 150, 150}
-- The words right before a mark that can make it a title ("the film").
local TAIL = 48

-- find: marked quotations and transcript turns, in document order.
local function find_quotes(doc)
  local qs = find_stage.marked(doc)
  local turns = find_stage.turns(doc)
  if #turns > 0 then
    for _, t in ipairs(turns) do qs[#qs + 1] = t end
    extract.sort_spans(qs)
  end
  return qs
end

-- look: the quotation's sentence before it and its paragraph after it
-- (lode.core.quote_look: up to the first paragraph break after it, its
-- first sentence; 600 bytes before and 240 after at most).
local function look(cx, q, text, bounds)
  q.after_at = (q.close_j or q.j) + 1
  local ls
  q.line, q.para, ls, q.sent_at, q.before, q.after, q.after_sentence =
    quote_look(cx.doc, bounds, q.i, q.j, q.open_at, q.after_at)
  q.starts_line = q.open_at - ls <= 40 and find(sub(text, ls, q.open_at - 1), "^[%s>*_%-•%d.)]*$") ~= nil
  -- the last character when it is a dash or an ellipsis, else the last byte
  local j = q.j
  local a, b, c = byte(text, j - 2, j)
  if j - 2 >= q.i and a == 0xE2 and b == 0x80 and (c == 0x94 or c == 0xA6) then
    q.body_last = c == 0x94 and "—" or "…"
  else
    q.body_last = sub(text, j, j)
  end
end

-- keep: whether a quotation of `body` attributed by `strategy` is kept.
local function keep(text, q, body, strategy, cue_at, opts)
  if q.label then return true end
  if not find(body, "[^%s%p]") then return false end   -- marks around punctuation alone
  local n = quote_words(body, 7)        -- counted up to 7
  -- a title by the words before it, or by italics inside the marks
  if n <= 6 then
    q.tail = #q.before <= TAIL and q.before or extract.window(text, q.open_at - TAIL, q.open_at - 1)
    if attribute.is_title(q) or find(body, "^[*_].*[*_]$") then return false end
  end
  if n > 3 or opts.short then return true end
  if not ATTRIBUTING[strategy] then return false end
  return strategy ~= "verb_before" or (cue_at ~= nil and q.open_at - cue_at <= NEAR_VERB[n])
end

function M.extract(doc, opts)
  opts = opts or {}
  local inscope = extract.scope(doc, opts)
  local quotes = find_quotes(doc)
  -- a page without quotations needs no context (its entities' index)
  if #quotes == 0 then return {} end
  local cx = context.new(doc, opts, quotes)
  local text = cx.text
  local line_of = doc.line_of
  local out, prev = {}, nil
  for k = 1, #quotes do
    local q = quotes[k]
    -- a quotation continued in the next paragraph is in scope when its
    -- first paragraph is
    if inscope(q.i, q.first_j or q.j) then
      look(cx, q, text, cx.bd or cx:boundaries())
      local body = sub(text, q.i, q.j)
      local speaker, role, surface, cue, strategy, cue_at = attribute.attribute(cx, q, prev)
      if keep(text, q, body, strategy, cue_at, opts) then
        local r = {kind = "quote", text = body, i = q.i, j = q.j, line = q.line,
          speaker = speaker, speaker_surface = surface, strategy = strategy, cue = cue,
          role = role, para = line_of(doc, q.j)}
        out[#out + 1] = r
        prev = r
      end
    end
  end
  for k = 1, #out do out[k].para = nil end
  return out
end

return setmetatable(M, {__call = function(_, doc, opts) return M.extract(doc, opts) end})
