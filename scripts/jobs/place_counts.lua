-- place_counts.lua: how often the corpus names each place (a job with reduce).
-- lode batch scripts/jobs/place_counts.lua corpus/ -j 2
local lode = require "lode"
return {
  map = function(doc, emit)
    for _, r in ipairs(lode.extract.entities(doc)) do
      if r.kind == "place" then emit(r.name, 1) end
    end
  end,
  reduce = function(place, counts, emit)
    local n = 0
    for _, c in ipairs(counts) do n = n + c end
    emit{kind = "place_count", name = place, value = n}
  end,
}
