-- gaz_regex.lua FILE ALIASES_TXT [N]: the gazetteer's aliases (the first N
-- of the file, all by default) as ONE PCRE2 alternation,
-- (?i)\b(?:a1|a2|...)\b, matches counted over FILE. Prints the count; stderr
-- gets the compile and scan times and the bytes scanned, or the compile error.
local lode = require "lode"
local clock = os.clock
local alts, want = {}, tonumber(arg[3]) or math.huge
for line in io.lines(arg[2]) do
  if #alts >= want then break end
  if line ~= "" then
    alts[#alts + 1] = line:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0")
  end
end
table.sort(alts, function(a, b) return #a > #b end)   -- longest first, like the gazetteer
local pat = "\\b(?:" .. table.concat(alts, "|") .. ")\\b"
local t0 = clock()
local ok, re = pcall(lode.regex, pat, "i")
local t1 = clock()
if not ok then
  print("compile-error")
  io.stderr:write(string.format("bench: compile=%.4f error=%s\n", t1 - t0, tostring(re):gsub("%s", "_")))
  os.exit(3)
end
local doc = assert(lode.load(arg[1]))
local s = doc:text()
local n = 0
local t2 = clock()
for _ in re:gmatch(s) do n = n + 1 end
local t3 = clock()
print(n)
io.stderr:write(string.format("bench: compile=%.4f scan=%.4f bytes=%d\n", t1 - t0, t3 - t2, #s))
