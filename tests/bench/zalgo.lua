-- zalgo.lua [MB]: normalization over runs of combining marks ("Zalgo" text
-- of web comments), which must stay linear: 1 MB of marks (default) after
-- one letter, and the same in 1,000-mark runs between words, each as a
-- View (with its offset map) under NFC and NFKC + casefold. Prints the
-- view sizes; reports the in-process times on stderr ("bench: k=v").
local lode = require "lode"
local clock = os.clock
local size = math.floor((tonumber(arg[1]) or 1) * 1024 * 1024)
local marks = "\204\129\204\163\204\136\205\133"   -- U+0301 0323 0308 0345
local one_run = "e" .. marks:rep(size // #marks)
local runs = ("word " .. "e" .. marks:rep(250) .. " "):rep(size // (#marks * 250 + 7))

local times, sizes = {}, {}
for _, case in ipairs{{"run", one_run}, {"runs", runs}} do
  local doc = lode.from_string(case[2])
  for _, form in ipairs{"NFC", "NFKC"} do
    local t0 = clock()
    local v = doc:normalize{form = form, casefold = form == "NFKC"}
    local key = case[1] .. "_" .. form:lower()
    times[#times + 1] = string.format("%s=%.4f", key, clock() - t0)
    sizes[#sizes + 1] = key .. ":" .. #v
  end
end
print(table.concat(sizes, " "))
io.stderr:write("bench: ", table.concat(times, " "), "\n")
