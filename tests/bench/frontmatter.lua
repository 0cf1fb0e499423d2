-- frontmatter.lua DIR: doc:front_matter() on every page of DIR (each a
-- fresh Doc, so nothing is cached), then print the pages, the blocks found
-- by format and the fields read. The front matter calls alone (CPU time)
-- go to stderr as "bench: frontmatter=S bytes=N".
local lode = require "lode"
local docs, bytes = {}, 0
for doc in lode.corpus({arg[1]}) do
  docs[#docs + 1] = doc
  bytes = bytes + #doc
end
local counts, fields = {yaml = 0, toml = 0, none = 0}, 0
local t0 = os.clock()
for _, doc in ipairs(docs) do
  local fm = doc:front_matter()
  counts[fm and fm.format or "none"] = counts[fm and fm.format or "none"] + 1
  fields = fields + (fm and #fm.keys or 0)
end
local t1 = os.clock()
print(#docs, counts.yaml, counts.toml, counts.none, fields)
io.stderr:write(string.format("bench: frontmatter=%.4f bytes=%d\n", t1 - t0, bytes))
