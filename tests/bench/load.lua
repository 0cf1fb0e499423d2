-- load.lua FILE [ENCODING]: lode.load (UTF-8 validation, or decoding from
-- ENCODING, line index), then print the byte and line counts. Timed end to
-- end by tests/bench/run; the load itself (CPU time) goes to stderr as
-- "bench: load=S".
local lode = require "lode"
local t0 = os.clock()
local doc = assert(lode.load(arg[1], arg[2] and {encoding = arg[2]} or nil))
local t1 = os.clock()
print(#doc, doc:line_count())
io.stderr:write(string.format("bench: load=%.4f\n", t1 - t0))
