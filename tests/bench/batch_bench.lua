-- batch_bench.lua: the regex extraction of tests/bench/batch_peer.py as a
-- lode batch job -- the same four kinds (dates, quantities, quotes with a
-- speaker cue, capitalised-name entities) found with lode's regexes, so the
-- two runs do comparable work. (The full extractors, lode.extract.all, are
-- benchmarked separately: scripts/jobs/extract.lua.)
local lode = require "lode"
local R = lode.regex

local MONTHS = "January|February|March|April|May|June|July|August|September|"
  .. "October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
local DATE = R([[\b(?:\d{1,2}\s+(?:]] .. MONTHS .. [[)\.?,?\s+\d{4}|(?:]] .. MONTHS
  .. [[)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|(?:]] .. MONTHS .. [[)\s+\d{4}]]
  .. [[|\d{4}-\d{2}-\d{2}|(?:in|since|by|until|of)\s+(?:19|20)\d\d)\b]])
local WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
  .. "thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|hundred|thousand|"
  .. "million|billion|dozens|hundreds|thousands"
local QUANTITY = R([[(?i)(?<qual>\b(?:about|around|nearly|almost|over|more than|less than|]]
  .. [[at least|up to|some)\s+)?(?<num>\$?\d[\d,]*(?:\.\d+)?(?:\s*(?:bn|m|million|billion|]]
  .. [[thousand|%|percent))?|\b(?:]] .. WORDS .. [[)(?:[\s-](?:]] .. WORDS .. [[))*)\b]]
  .. [[(?:\s+(?<counts>(?:[a-z]+\s+)?(?:soldiers|people|civilians|deaths|troops|refugees|]]
  .. [[square kilometers|km|kilometers|miles|villages|years|days|casualties|prisoners|]]
  .. [[residents|killed|wounded|dollars))\b)?]])
local QUOTE = R([=[["“](?<q>[^"“”\n]{8,800})["”]]=])
local SAYS = R([[\b(?:(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+|he|she|they)\s+]]
  .. [[(?:said|says|told|added|stated|noted|wrote)\b]])
local ENTITY = R([[\b(?:[A-Z][\p{Ll}'’-]+|[A-Z]{2,})(?:\s+(?:of\s+the\s+|of\s+|de\s+)?]]
  .. [[(?:[A-Z][\p{Ll}'’-]+|[A-Z]{2,}))+\b]])

return {
  map = function(doc, emit)
    local text = doc:text()
    for m in doc:gmatch(DATE) do
      emit({kind = "date", text = m.text, i = m.i, j = m.j, line = m.line})
    end
    for m in doc:gmatch(QUANTITY) do
      emit({kind = "quantity", text = m.text, value = m.num, counts = m.counts or nil,
            qualifier = m.qual or nil, i = m.i, j = m.j, line = m.line})
    end
    for m in doc:gmatch(QUOTE) do
      local _, e = doc:line_span(doc:line_of(m.j))   -- the cue, on the rest of the line
      local s = SAYS:find(text:sub(m.j + 1, e))
      emit({kind = "quote", text = m.q, i = m.i, j = m.j, line = m.line, speaker = s and true or nil})
    end
    for m in doc:gmatch(ENTITY) do
      emit({kind = "entity", name = m.text, text = m.text, i = m.i, j = m.j, line = m.line})
    end
  end,
}
