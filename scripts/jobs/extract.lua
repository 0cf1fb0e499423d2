-- The batch form of scripts/extract.lua: every fact of every document.
-- lode batch scripts/jobs/extract.lua corpus/ -j 2 -o facts.jsonl
local lode = require "lode"
return {
  -- run stage by stage over a few documents at a time, ahead of their map
  prepare = lode.extract.STAGES,
  map = function(doc, emit)
    for _, r in ipairs(lode.extract.all(doc)) do emit(r) end
  end,
}
