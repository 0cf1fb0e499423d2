-- normalize.lua FILE: NFKC + casefold view (with its offset map), its text
-- written to stdout. Reports the in-process times on stderr ("bench: k=v").
local lode = require "lode"
local clock = os.clock
local t0 = clock()
local doc = assert(lode.load(arg[1]))
local t1 = clock()
local v = doc:normalize{form = "NFKC", casefold = true}
local t2 = clock()
io.write(v:text())
io.stderr:write(string.format("bench: load=%.4f normalize=%.4f\n", t1 - t0, t2 - t1))
