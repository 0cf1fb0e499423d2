-- gazetteer.lua FILE ALIASES_TSV: case-insensitive whole-word scan of FILE
-- with lode.gazetteer (default options) loaded from the TSV; prints the hit
-- count. stderr gets the in-process times: gazetteer build, normalization of
-- the document into the gazetteer's view, and the scan itself: "scan" is
-- g:matches on the ready view (the C scan plus one Lua table per hit, what a
-- script that uses the records pays); "count" is g:count on the same view
-- (the C scan plus a per-entry tally, no table per hit; its total must equal
-- the hit count). The end-to-end time of this script includes both scans.
local lode = require "lode"
local clock = os.clock
local t0 = clock()
local g = lode.gazetteer()
assert(g:load(arg[2]))
g:build()
local t1 = clock()
local doc = assert(lode.load(arg[1]))
local t2 = clock()
local v = doc:normalize(g:options())
local t3 = clock()
local hits = g:matches(v)
local t4 = clock()
local n = #hits
local t5 = clock()
local total = g:count(v)
local t6 = clock()
assert(total == n, "g:count disagrees with g:matches")
print(n)
io.stderr:write(string.format("bench: build=%.4f load=%.4f normalize=%.4f scan=%.4f count=%.4f\n",
  t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t5))
