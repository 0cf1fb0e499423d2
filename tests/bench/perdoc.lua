-- lode run tests/bench/perdoc.lua DIR: CPU seconds of one pass of the
-- extraction job over DIR (load, lode.extract.all, a JSON line a record),
-- start-up left out: the first document is extracted once beforehand, so
-- the modules are loaded and their regexes compiled. Prints "docs seconds".
-- Run by tests/bench/perdoc_bench.py.
local lode = require "lode"
local dir = assert(arg[1], "usage: lode run perdoc.lua DIR")
local first = lode.corpus({dir})()
if first then lode.extract.all(first) end
local n, t = 0, os.clock()
for doc in lode.corpus({dir}) do
  n = n + 1
  for _, r in ipairs(lode.extract.all(doc)) do lode.out.line(doc, r) end
end
print(n, os.clock() - t)
