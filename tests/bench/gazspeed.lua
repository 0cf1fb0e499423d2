-- gazspeed.lua MODE FILE [ALIASES_TSV | ROUNDS]: one measurement of the gazetteer
-- paths analysts use first (issue 17), in its own process so the peak RSS
-- belongs to that path alone. Prints one line "bench: mode=... k=v ...":
--   scan   g:scan(view) iterated to the end (the README tour)
--   hits   g:hits(view), the four arrays
--   match  doc:normalize(lode.MATCH_FORM)
--   plain  doc:normalize{form = "NFKC", casefold = true}
--   page   load + MATCH_FORM view + g:scan to the end (the "heap for a page")
--   pages  FILE is a directory of pages (lode.corpus): all of them
--          normalized in one form, then in the other, ROUNDS times (default
--          51, the forms taking turns to go first); prints each form's MB/s
--          (median over rounds) and the per-round ratio of MATCH_FORM's
--          speed to plain's, median and quartiles
-- s: os.clock seconds of the step; MB/s: file bytes / s; peak_lua_mb: the
-- Lua heap (collectgarbage "count") sampled every 256 records, its maximum;
-- rss_mb: VmHWM (peak resident set) minus VmRSS measured after the
-- gazetteer is built and before the file is read; x_size: rss_mb over the
-- file's size.
local lode = require "lode"
local mode, file, tsv = arg[1], arg[2], arg[3]
assert(mode and file, "usage: gazspeed.lua MODE FILE [ALIASES_TSV]")

local function status_kb(key)
  local f = assert(io.open("/proc/self/status"))
  local s = f:read("a")
  f:close()
  return tonumber(s:match(key .. ":%s*(%d+)"))
end

local clock = os.clock
local MATCH, PLAIN = lode.MATCH_FORM, {form = "NFKC", casefold = true}

if mode == "pages" then
  local docs, bytes = {}, 0
  for doc in lode.corpus(file) do
    docs[#docs + 1] = doc
    bytes = bytes + #doc:text()
  end
  local rounds = tonumber(tsv) or 51
  local function all_in(opts)   -- one clock reading a form: pages take microseconds
    local t0 = clock()
    for _, doc in ipairs(docs) do doc:normalize(opts) end
    return clock() - t0
  end
  local tm, tp, ratio = {}, {}, {}
  for r = 1, rounds do
    if r % 2 == 0 then tm[r] = all_in(MATCH); tp[r] = all_in(PLAIN)
    else tp[r] = all_in(PLAIN); tm[r] = all_in(MATCH) end
    ratio[r] = tp[r] / tm[r]
  end
  for _, t in ipairs({tm, tp, ratio}) do table.sort(t) end
  local mid, q1, q3 = (rounds + 1) // 2, (rounds + 3) // 4, (3 * rounds + 3) // 4
  io.stdout:write(string.format(
    "bench: mode=pages pages=%d bytes=%d match_MB/s=%.1f plain_MB/s=%.1f " ..
    "ratio=%.3f p25=%.3f p75=%.3f\n", #docs, bytes, bytes / 1e6 / tm[mid],
    bytes / 1e6 / tp[mid], ratio[mid], ratio[q1], ratio[q3]))
  return
end

local g
if mode ~= "match" and mode ~= "plain" then
  g = lode.gazetteer()
  assert(g:load(assert(tsv, "ALIASES_TSV needed for " .. mode)))
  g:build()
end
collectgarbage()
local base_kb = status_kb("VmRSS")
local size = assert(io.open(file)):seek("end")
local doc = assert(lode.load(file))
local peak_lua = collectgarbage("count")
local n = 0
local function sample()
  local kb = collectgarbage("count")
  if kb > peak_lua then peak_lua = kb end
end

local t0, t1
if mode == "scan" or mode == "hits" then
  local v = doc:normalize(g:options())
  sample()
  t0 = clock()
  if mode == "scan" then
    for _ in g:scan(v) do
      n = n + 1
      if n % 256 == 0 then sample() end
    end
  else
    local entries = g:hits(v)
    n = #entries
    sample()
  end
  t1 = clock()
elseif mode == "match" or mode == "plain" then
  local opts = mode == "match" and MATCH or PLAIN
  t0 = clock()
  local v = doc:normalize(opts)
  t1 = clock()
  sample()
  n = #v:text()
elseif mode == "page" then
  t0 = clock()
  local v = doc:normalize(lode.MATCH_FORM)
  sample()
  for _ in g:scan(v) do
    n = n + 1
    if n % 256 == 0 then sample() end
  end
  t1 = clock()
else
  error("unknown mode " .. mode)
end
sample()
local rss_mb = (status_kb("VmHWM") - base_kb) / 1024
io.stdout:write(string.format(
  "bench: mode=%s bytes=%d n=%d s=%.4f MB/s=%.1f peak_lua_mb=%.1f rss_mb=%.1f x_size=%.2f\n",
  mode, size, n, t1 - t0, size / 1e6 / (t1 - t0), peak_lua / 1024, rss_mb,
  rss_mb * 1024 * 1024 / size))
