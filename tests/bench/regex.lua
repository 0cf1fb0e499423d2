-- regex.lua FILE PATTERN_FILE [FLAGS] [MODE]: count the matches of the
-- pattern (first line of PATTERN_FILE) in FILE and print the count.
-- MODE "re" (default): re:gmatch over doc:text(); "doc": doc:gmatch(re),
-- which also maps every match to its original span and line.
local lode = require "lode"
local clock = os.clock
local f = assert(io.open(arg[2], "rb"))
local pat = f:read("l")
f:close()
local flags, mode = arg[3] ~= "" and arg[3] or nil, arg[4] or "re"
local doc = assert(lode.load(arg[1]))
local re = lode.regex(pat, flags)
local n = 0
local t0 = clock()
if mode == "doc" then
  for _ in doc:gmatch(re) do n = n + 1 end
else
  for _ in re:gmatch(doc:text()) do n = n + 1 end
end
local t1 = clock()
print(n)
io.stderr:write(string.format("bench: scan=%.4f\n", t1 - t0))
