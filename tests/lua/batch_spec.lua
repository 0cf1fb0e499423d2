-- Specs for `lode batch`, `lode map` and `lode reduce`: error records and
-- exit codes, -j1 vs -j2, --ordered, kill -9 then --resume, map|sort|reduce
-- and GNU parallel equal to batch, usage errors, a closed output pipe.
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local FIX = SRC .. "/tests/fixtures/batch/"
local CORPUS = SRC .. "/corpus"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function slurp(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function spit(p, s)
  local f = assert(io.open(p, "wb"))
  f:write(s)
  f:close()
end

local run = require("shell").run

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

local function sorted(s)
  local t = lines(s)
  table.sort(t)
  return table.concat(t, "\n")
end

local function tmpdir()
  local p = io.popen("mktemp -d")
  local d = p:read("l")
  p:close()
  return d
end

local TMP = tmpdir()

-- ~100 small documents made from the corpus, cut at line ends (so valid
-- UTF-8), each with a line of its own so no two are the same.
local GEN = TMP .. "/gen"
do
  os.execute("mkdir -p " .. q(GEN))
  local src = {}
  for l in io.popen("ls " .. q(CORPUS) .. "/*.txt"):lines() do src[#src + 1] = slurp(l) end
  for k = 1, 100 do
    local text = src[k % #src + 1]
    local ls = lines(text)
    local n = 5 + (k * 7) % 30
    local body = table.concat(ls, "\n", 1, math.min(n, #ls))
    spit(string.format("%s/d%03d.txt", GEN, k),
         string.format("Generated document %d, first seen in %d.\n%s\n", k, 1900 + k, body))
  end
end

-- The corpus plus documents that must fail.
local BAD = TMP .. "/bad"
do
  os.execute("mkdir -p " .. q(BAD) .. " && cp " .. q(CORPUS) .. "/*.txt " .. q(BAD))
  spit(BAD .. "/nul.txt", "text with a NUL\0byte, 2020\n")
  spit(BAD .. "/latin1.txt", "caf\xe9 in 2021\n")
  spit(BAD .. "/boom.txt", "a document that makes the script fail: LODE_TEST_BOOM, 2022\n")
end

local function batch(args) return run(BIN .. " batch " .. args) end
-- A command run in TMP, where "bad" and "gen" name the test's folders:
-- documents are named by their path below a folder named on the command
-- line, or as given, so runs that must agree are given the same paths.
local function in_tmp(cmd) return run("cd " .. q(TMP) .. " && " .. cmd) end

describe("lode batch", function()
  it("turns failing documents into error records and exits 3", function()
    local out, err, code = batch(q(FIX .. "years.lua") .. " " .. q(BAD) .. " -j2")
    assert.equal(3, code)
    local errors, docs = {}, {}
    for _, l in ipairs(lines(out)) do
      local name, msg = l:match('^{"doc":"([^"]+)","error":"(.*)"}$')
      if name then errors[name] = msg end
      local d = l:match('^{"doc":"([^"]+)","kind":"doc"')
      if d then docs[d] = true end
    end
    assert.matches("NUL byte", errors["bad/nul.txt"])
    assert.matches("invalid UTF%-8 byte 0xe9", errors["bad/latin1.txt"])
    assert.matches("years.lua:%d+: boom in boom.txt", errors["bad/boom.txt"])
    -- every good document is there, with all its records
    local good = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " -j1")
    local all = {}
    for _, l in ipairs(lines(out)) do all[l] = true end
    for _, l in ipairs(lines(good)) do   -- the same files, in "bad" here
      l = l:gsub('^{"doc":"corpus/', '{"doc":"bad/')
      assert.is_true(all[l], l)
    end
    assert.equal(5, #lines(good:gsub('[^\n]*"kind":"year"[^\n]*\n', "")))
    -- the failed document's partial output (its "doc" record) is dropped
    assert.is_nil(docs["bad/boom.txt"])
    assert.matches("8 documents, [%d.]+ MB, %d+ records, 3 errors", err)
  end)

  it("names the first failed document and its message, and counts the errors", function()
    local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(BAD) .. " -j2 --ordered")
    assert.equal(3, code)
    -- in input order boom.txt fails first, then latin1.txt and nul.txt
    assert.matches("lode: batch: first error: [^\n]*/boom%.txt: [^\n]*years%.lua:%d+: boom in boom%.txt\n", err)
    assert.matches("lode: batch: 3 errors in all", err, 1, true)
    -- a failing reduce call: its key and message
    _, err, code = batch(q(FIX .. "reduce_fails.lua") .. " " .. q(CORPUS))
    assert.equal(3, code)
    assert.matches("lode: batch: first reduce error: key 199%d: [^\n]*no reduce for the 1990s", err)
    _, err, code = run(BIN .. " map " .. q(FIX .. "reduce_fails.lua") .. " " .. q(CORPUS) ..
                       " | LC_ALL=C sort | " .. BIN .. " reduce " .. q(FIX .. "reduce_fails.lua"))
    assert.equal(3, code)
    assert.matches("lode: reduce: first error: key 199%d: [^\n]*no reduce for the 1990s", err)
    -- nothing failed: no such lines
    _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS))
    assert.equal(0, code)
    assert.is_nil(err:find("error:", 1, true))
  end)

  it("keeps the documents of a run with reduce when some fail", function()
    local out, _, code = batch(q(FIX .. "year_counts.lua") .. " " .. q(BAD))
    assert.equal(3, code)
    assert.matches('{"doc":"bad/boom.txt","error":"[^\n]*boom in boom.txt"}', out)
    assert.matches('"kind":"year_count","text":"2022"', out)
  end)

  it("gives the lines of scripts/extract.lua for the extraction job", function()
    local want, _, c1 = run(BIN .. " run " .. q(SRC .. "/scripts/extract.lua") .. " " .. q(CORPUS))
    local got, _, c2 = batch(q(SRC .. "/scripts/jobs/extract.lua") .. " " .. q(CORPUS) .. " -j2")
    assert.equal(0, c1)
    assert.equal(0, c2)
    assert.is_true(#lines(want) > 100)
    assert.equal(sorted(want), sorted(got))
  end)

  it("exits 0 when nothing fails", function()
    local _, _, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS))
    assert.equal(0, code)
  end)

  it("gives the same lines with -j1 and -j2", function()
    local a, _, c1 = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " -j1")
    local b, _, c2 = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " -j2")
    assert.equal(0, c1)
    assert.equal(0, c2)
    assert.is_true(#lines(a) > 200)
    assert.equal(sorted(a), sorted(b))
  end)

  it("writes in input order with --ordered", function()
    local out = batch(q(FIX .. "slow.lua") .. " " .. q(GEN) .. " -j2 --ordered")
    local names = {}
    for name in out:gmatch('{"doc":"([^"]+)","kind":"doc"') do names[#names + 1] = name end
    assert.equal(100, #names)
    for k = 1, 100 do assert.equal(string.format("gen/d%03d.txt", k), names[k]) end
    local one = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " -j1")
    assert.equal(one, out)  -- one worker writes in input order too
  end)

  it("reads paths from stdin with -", function()
    local a = in_tmp("ls gen/*.txt | " .. BIN .. " batch " .. q(FIX .. "years.lua") .. " - --ordered")
    local b = in_tmp(BIN .. " batch " .. q(FIX .. "years.lua") .. " gen --ordered")
    assert.equal(b, a)
  end)

  describe("--resume after kill -9", function()
    local function journal_lines(path)
      local s = slurp(path) or ""
      local n = 0
      for _ in s:gmatch("\n") do n = n + 1 end
      return n
    end

    -- Start a slow run, kill -9 it once its journal has `after` entries (or
    -- at once), resume, and return the output.
    local function kill_and_resume(out, after, extra)
      os.remove(out)
      os.remove(out .. ".journal")
      os.remove(out .. ".map")
      local cmd = BIN .. " batch " .. q(FIX .. "slow.lua") .. " " .. q(GEN) .. " -j2 -o " .. q(out) .. " " .. extra
      local p = io.popen(cmd .. " >/dev/null 2>&1 </dev/null & echo $!")
      local pid = p:read("l")
      p:close()
      local waited = 0
      while after > 0 and journal_lines(out .. ".journal") < after + 1 and waited < 3000 do
        os.execute("sleep 0.01")
        waited = waited + 1
      end
      os.execute("kill -9 " .. pid .. " 2>/dev/null; sleep 0.05")
      local left = journal_lines(out .. ".journal")
      local _, err, code = batch(q(FIX .. "slow.lua") .. " " .. q(GEN) .. " -j2 -o " .. q(out) .. " --resume " .. extra)
      assert.equal(0, code, err)
      return slurp(out), left, err
    end

    local ref_ordered, ref_reduce
    setup(function()
      local out = TMP .. "/ref.jsonl"
      batch(q(FIX .. "slow.lua") .. " " .. q(GEN) .. " -j2 --ordered -o " .. q(out))
      ref_ordered = slurp(out)
      ref_reduce = batch(q(FIX .. "year_counts.lua") .. " " .. q(GEN))
    end)

    it("ends with exactly the bytes of an uninterrupted --ordered run", function()
      assert.is_true(#lines(ref_ordered) > 200)
      for _, after in ipairs({0, 3, 25, 60}) do
        local got, left, err = kill_and_resume(TMP .. "/o.jsonl", after, "--ordered")
        assert.equal(ref_ordered, got, "killed after " .. after .. " documents")
        if after > 0 and left < 100 then assert.matches("resumed: %d+ documents done before", err) end
      end
    end)

    it("ends with the lines of an uninterrupted run, unordered", function()
      for _, after in ipairs({10, 45}) do
        local got = kill_and_resume(TMP .. "/u.jsonl", after, "")
        assert.equal(sorted(ref_ordered), sorted(got))
        assert.equal(#lines(ref_ordered), #lines(got))  -- nothing duplicated
      end
    end)

    it("cuts a torn output tail and a torn journal line", function()
      local out = TMP .. "/t.jsonl"
      batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " --ordered -o " .. q(out))
      local full = slurp(out)
      -- keep the journal's first 40 entries, then half a line; the output
      -- goes on past the 40th document with a torn line
      local j = lines(slurp(out .. ".journal"))
      local off = tonumber(j[41]:match("^%d+\t(%d+)"))
      spit(out .. ".journal", table.concat(j, "\n", 1, 41) .. "\n" .. j[42]:sub(1, 5))
      spit(out, full:sub(1, off + 17))
      local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " --ordered --resume -o " .. q(out))
      assert.equal(0, code, err)
      assert.equal(full, slurp(out))
    end)

    it("takes a journal line with an absurd document number for its torn end", function()
      local out = TMP .. "/z.jsonl"
      batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " --ordered -o " .. q(out))
      local full = slurp(out)
      local j = lines(slurp(out .. ".journal"))
      local bad = j[12]:gsub("^%d+", "9223372036854775808")
      spit(out .. ".journal", table.concat(j, "\n", 1, 11) .. "\n" .. bad .. "\n")
      local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN)
        .. " --ordered --resume -o " .. q(out))   -- once spun for ever
      assert.equal(0, code, err)
      assert.equal(full, slurp(out))
    end)

    it("resumes a run with reduce", function()
      local got = kill_and_resume(TMP .. "/r.jsonl", 30, "")
      -- slow.lua has no reduce: check year_counts through its own run
      assert.is_true(#got > 0)
      local out = TMP .. "/rc.jsonl"
      batch(q(FIX .. "year_counts.lua") .. " " .. q(GEN) .. " -o " .. q(out))
      assert.equal(ref_reduce, slurp(out))
      assert.is_nil(slurp(out .. ".map"))  -- the spill is gone once reduced
      -- a finished run resumed changes nothing
      local _, _, code = batch(q(FIX .. "year_counts.lua") .. " " .. q(GEN) .. " --resume -o " .. q(out))
      assert.equal(0, code)
      assert.equal(ref_reduce, slurp(out))
    end)

    it("refuses to overwrite a journalled output without --resume or --force", function()
    local out = TMP .. "/again.jsonl"
    local _, _, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " --ordered -o " .. q(out))
    assert.equal(0, code)
    local first = slurp(out)
    local err
    _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " -o " .. q(out))
    assert.equal(2, code)
    assert.matches("again.jsonl was written by an earlier run (its journal", err, 1, true)
    assert.matches("add --resume to go on with that run, or --force to start it over", err, 1, true)
    assert.equal(first, slurp(out))                           -- untouched
    _, _, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " --ordered --resume -o " .. q(out))
    assert.equal(0, code)
    assert.equal(first, slurp(out))
    _, _, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " --ordered --force -o " .. q(out))
    assert.equal(0, code)
    assert.equal(batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " --ordered"), slurp(out))
    -- the output gone, a stale journal alone overwrites nothing
    os.remove(out)
    _, _, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " -o " .. q(out))
    assert.equal(0, code)
    _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " --force")
    assert.equal(2, code)
    assert.matches("--force needs -o FILE", err, 1, true)
  end)

  for _, sig in ipairs{"INT", "TERM"} do
    it("says to rerun with --resume when SIG" .. sig .. " stops it, and the rerun ends the job", function()
      local job, out = TMP .. "/spin.lua", TMP .. "/sig" .. sig .. ".jsonl"
      spit(job, "return {map = function(doc, emit)\n" ..
                "  local t = os.clock() while os.clock() - t < 0.03 do end\n" ..
                "  emit({kind = 'doc', value = #doc})\nend}\n")
      local args = q(job) .. " " .. q(GEN) .. " -j1 --ordered -o " .. q(out)
      os.remove(out)
      os.remove(out .. ".journal")
      local inner = "echo $$ > " .. q(out .. ".pid") .. "; exec " .. BIN .. " batch " .. args
      os.execute("{ sh -c " .. q(inner) .. " 2>" .. q(out .. ".err") .. " >/dev/null </dev/null; echo $? > " ..
                 q(out .. ".rc") .. "; } &")
      local waited = 0
      repeat
        os.execute("sleep 0.05")
        waited = waited + 1
        local j = slurp(out .. ".journal") or ""
      until select(2, j:gsub("\n", "")) >= 4 or waited > 200
      os.execute("kill -" .. sig .. " " .. slurp(out .. ".pid"):match("%d+"))
      waited = 0
      -- the shell creates the file before it writes the status: wait for a whole line
      while not (slurp(out .. ".rc") or ""):find("\n") and waited < 200 do
        os.execute("sleep 0.05")
        waited = waited + 1
      end
      local signo = sig == "INT" and 2 or 15
      assert.equal(128 + signo, tonumber(slurp(out .. ".rc")))       -- died of the signal
      assert.matches("lode: batch: interrupted; [^\n]*sig" .. sig .. "%.jsonl%.journal keeps what is done: " ..
                     "rerun with %-%-resume to go on", slurp(out .. ".err"))
      local _, err, code = batch(args .. " --resume")
      assert.equal(0, code, err)
      assert.matches("resumed: %d+ documents done before", err)
      assert.equal(batch(q(job) .. " " .. q(GEN) .. " -j2 --ordered"), slurp(out))
    end)
  end

  it("journals the script and the input set, and refuses to resume another run", function()
    local out = TMP .. "/id.jsonl"
    local years = FIX .. "years.lua"
    local _, _, code = batch(q(years) .. " " .. q(GEN) .. " --ordered -o " .. q(out))
    assert.equal(0, code)
    local full = slurp(out)
    local j = lines(slurp(out .. ".journal"))
    assert.equal("lode-journal 2 records", j[1])
    assert.matches("^script\t%x+\t[^\t]*/years%.lua$", j[2])
    assert.equal(16, #j[2]:match("^script\t(%x+)"))
    assert.matches("^inputs\t100\t%x+$", j[3])
    local function resume(script, inputs, extra)
      local _, err, c = batch(q(script) .. " " .. inputs .. " --ordered --resume -o " .. q(out) .. (extra or ""))
      return err, c
    end
    -- the same script, another file holding the same bytes: the same run
    local copy = TMP .. "/years_copy.lua"
    spit(copy, slurp(years))
    local err, c = resume(copy, q(GEN))
    assert.equal(0, c, err)
    -- a changed script
    spit(copy, slurp(years) .. "-- changed\n")
    err, c = resume(copy, q(GEN))
    assert.equal(2, c)
    assert.matches("cannot resume the run journalled in [^\n]*id%.jsonl%.journal: the script [^\n]*years_copy%.lua " ..
                   "is not the one it ran %(its content changed%)%. Add %-%-force to resume anyway", err)
    -- a grown, a shrunk and a changed input set
    local other = TMP .. "/id_inputs"
    os.execute("mkdir -p " .. q(other) .. " && cp " .. q(GEN) .. "/*.txt " .. q(other))
    err, c = resume(years, q(GEN) .. " " .. q(CORPUS .. "/000_22d4f11e9d4f7577.txt"))
    assert.equal(2, c)
    assert.matches("the inputs are 101 documents, not the 100 it ran over", err, 1, true)
    os.remove(other .. "/d100.txt")
    err, c = resume(years, q(other))
    assert.equal(2, c)
    assert.matches("the inputs are 99 documents, not the 100 it ran over", err, 1, true)
    spit(other .. "/d100x.txt", slurp(GEN .. "/d100.txt"))
    err, c = resume(years, q(GEN .. "/d0*.txt") .. " " .. q(other .. "/d100x.txt"))
    assert.equal(2, c)
    assert.matches("the inputs are 100 documents as before, but not the same ones", err, 1, true)
    -- the same set in another order: the check of each document's path says so
    err, c = resume(years, q(GEN .. "/d1*.txt") .. " " .. q(GEN .. "/d0*.txt"))
    assert.equal(2, c)
    assert.matches("cannot resume: the inputs are not those of the journalled run (document 1 is now", err, 1, true)
    assert.equal(full, slurp(out))                       -- nothing touched
    -- --force resumes anyway and journals the new script from then on
    spit(copy, slurp(years) .. "-- changed\n")
    err, c = resume(copy, q(GEN), " --force")
    assert.equal(0, c, err)
    assert.matches("resuming with --force although the script", err, 1, true)
    err, c = resume(copy, q(GEN))
    assert.equal(0, c, err)
    assert.equal(full, slurp(out))
    -- a journal of the older format, which recorded neither
    local journal = slurp(out .. ".journal")
    spit(out .. ".journal", journal:gsub("^lode%-journal 2", "lode-journal 1"))
    err, c = resume(years, q(GEN))
    assert.equal(2, c)
    assert.matches("written by an older lode", err, 1, true)
  end)

  it("resumes a run whose paths came from stdin, checking each path", function()
    local out = TMP .. "/stdin.jsonl"
    local cmd = "ls " .. q(GEN) .. "/*.txt | " .. BIN .. " batch " .. q(FIX .. "years.lua") ..
                " - --ordered -o " .. q(out)
    local _, _, code = run(cmd)
    assert.equal(0, code)
    assert.equal("inputs\t-", lines(slurp(out .. ".journal"))[3])
    local full = slurp(out)
    local _, err
    _, err, code = run(cmd .. " --resume")
    assert.equal(0, code, err)
    assert.equal(full, slurp(out))
    _, err, code = run("ls -r " .. q(GEN) .. "/*.txt | " .. BIN .. " batch " .. q(FIX .. "years.lua") ..
                       " - --ordered --resume -o " .. q(out))
    assert.equal(2, code)
    assert.matches("cannot resume: the inputs are not those of the journalled run", err, 1, true)
  end)

  it("refuses to resume over different inputs", function()
      local out = TMP .. "/d.jsonl"
      batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " -o " .. q(out))
      local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(CORPUS) .. " --resume -o " .. q(out))
      assert.equal(2, code)
      assert.matches("cannot resume", err)
    end)
  end)
end)

describe("lode map | sort | lode reduce", function()
  local function pipeline(script, dir)
    return in_tmp("find " .. q(dir) .. " -type f | " .. BIN .. " map " .. q(script)
                  .. " | LC_ALL=C sort | " .. BIN .. " reduce " .. q(script))
  end

  it("equals lode batch without reduce (as sets of lines)", function()
    local want = in_tmp(BIN .. " batch " .. q(FIX .. "years.lua") .. " bad")
    local got, _, code = pipeline(FIX .. "years.lua", "bad")
    assert.equal(0, code)  -- reduce passes error records through
    assert.is_true(#lines(want) > 80)
    assert.equal(sorted(want), sorted(got))
  end)

  it("equals lode batch with reduce, byte for byte", function()
    local want = in_tmp(BIN .. " batch " .. q(FIX .. "year_counts.lua") .. " bad")
    local got, _, code = pipeline(FIX .. "year_counts.lua", "bad")
    assert.equal(3, code)  -- the error records of failed documents
    assert.is_true(#lines(want) > 10)
    assert.equal(want, got)
  end)

  it("writes key<TAB>json lines, the document name as key without reduce", function()
    local function map(script)
      return run("cd " .. q(SRC) .. " && echo ./corpus/000_22d4f11e9d4f7577.txt | "
                 .. BIN .. " map " .. q(FIX .. script))
    end
    for _, l in ipairs(lines(map("years.lua"))) do
      assert.matches('^corpus/000_22d4f11e9d4f7577%.txt\t{"doc":"corpus/000_22d4f11e9d4f7577%.txt"', l)
    end
    -- (this job's values hold doc.name, the base name)
    assert.matches('^2020\t{"doc":"000_22d4f11e9d4f7577%.txt","n":%d+}\n$', map("year_counts.lua"))
  end)

  it("encodes TAB, LF, CR and % in file-name keys, so odd names survive sort", function()
    local dir = TMP .. "/odd-names"
    os.execute("mkdir -p " .. q(dir))
    spit(dir .. "/a\tb\nc%d.txt", "In 2020 and in 2021.\n")
    spit(dir .. "/plain.txt", "Since 1999.\n")
    local out, _, code = run("cd " .. q(dir) .. " && " .. BIN .. " map " .. q(FIX .. "years.lua")
                             .. " " .. q("a\tb\nc%d.txt"))
    assert.equal(0, code)
    local got = lines(out)
    assert.equal(3, #got)                              -- one doc record, two years
    for _, l in ipairs(got) do
      assert.matches('^a%%09b%%0Ac%%25d%.txt\t{"doc":"a\\tb\\nc%%d%.txt","kind":"', l)
    end
    local want = in_tmp(BIN .. " batch " .. q(FIX .. "years.lua") .. " odd-names")
    local piped = in_tmp("printf '%s\\n' odd-names/plain.txt | " .. BIN .. " map " ..
                         q(FIX .. "years.lua") .. " - " .. q("odd-names/a\tb\nc%d.txt") ..
                         " | LC_ALL=C sort | " .. BIN .. " reduce " .. q(FIX .. "years.lua"))
    assert.equal(sorted(want), sorted(piped))
    assert.equal(5, #lines(piped))
  end)

  it("keeps the message of a failing reduce in its error record", function()
    local out, _, code = batch(q(FIX .. "reduce_fails.lua") .. " " .. q(CORPUS))
    assert.equal(3, code)
    local errors = 0
    for _, l in ipairs(lines(out)) do
      if l:find('"error"', 1, true) then
        errors = errors + 1
        assert.matches('^{"key":"(199%d)","error":"[^"]*reduce_fails%.lua:11: no reduce for the 1990s: %1"}$', l)
      else
        assert.matches('^{"n":%d+,"year":"%d+"}$', l)
      end
    end
    assert.is_true(errors >= 1)
  end)

  it("reads paths as arguments, and Hadoop NLineInputFormat lines (N<TAB>path)", function()
    local f = CORPUS .. "/000_22d4f11e9d4f7577.txt"
    local want = run("echo " .. q(f) .. " | " .. BIN .. " map " .. q(FIX .. "years.lua"))
    assert.is_true(#lines(want) > 1)
    assert.equal(want, run(BIN .. " map " .. q(FIX .. "years.lua") .. " " .. q(f)))
    assert.equal(want, run("printf '0\\t%s\\n' " .. q(f) .. " | " .. BIN .. " map " .. q(FIX .. "years.lua")))
  end)

  it("runs across GNU parallel jobs with the same result", function()
    if not os.execute("command -v parallel >/dev/null 2>&1") then
      pending("GNU parallel is not installed")
      return
    end
    for _, s in ipairs({"years.lua", "year_counts.lua"}) do
      local want = in_tmp(BIN .. " batch " .. q(FIX .. s) .. " gen")
      local piped = in_tmp("find gen -type f | parallel --will-cite --pipe -N 17 -j2 "
                           .. BIN .. " map -j1 " .. q(FIX .. s) .. " | LC_ALL=C sort | "
                           .. BIN .. " reduce " .. q(FIX .. s))
      local xargs = in_tmp("find gen -type f | parallel --will-cite -X -j2 "
                           .. BIN .. " map -j1 " .. q(FIX .. s) .. " | LC_ALL=C sort | "
                           .. BIN .. " reduce " .. q(FIX .. s))
      assert.equal(sorted(want), sorted(piped))
      assert.equal(sorted(want), sorted(xargs))
    end
  end)
end)

describe("lode batch errors", function()
  it("exits 2 on usage errors", function()
    for _, args in ipairs({"batch", "batch " .. q(FIX .. "years.lua"),
                           "batch " .. q(FIX .. "years.lua") .. " x --bogus",
                           "batch " .. q(FIX .. "years.lua") .. " x -j 0",
                           "batch " .. q(FIX .. "years.lua") .. " x -j",
                           "batch " .. q(FIX .. "years.lua") .. " x --resume",
                           "map", "reduce", "reduce a b"}) do
      local _, err, code = run(BIN .. " " .. args)
      assert.equal(2, code, args)
      assert.matches("usage: lode", err)
    end
  end)

  it("exits 1 when the script fails to load or has no map", function()
    local bad = TMP .. "/nomap.lua"
    spit(bad, "return {reduce = function() end}\n")
    local _, err, code = batch(q(bad) .. " " .. q(CORPUS))
    assert.equal(1, code)
    assert.matches("map function", err)
    spit(bad, "return {map = \n")
    _, err, code = batch(q(bad) .. " " .. q(CORPUS))
    assert.equal(1, code)
    assert.matches("nomap.lua:%d", err)
    _, _, code = batch(q(TMP .. "/missing.lua") .. " " .. q(CORPUS))
    assert.equal(1, code)
  end)

  it("sends a job's print() to stderr, not into the records", function()
    local job = TMP .. "/print.lua"
    spit(job, 'return {map = function(doc, emit) print("seen", doc.name) emit({kind = "x"}) end}\n')
    local out, err, code = batch(q(job) .. " " .. q(CORPUS .. "/000_22d4f11e9d4f7577.txt"))
    assert.equal(0, code)
    assert.equal('{"doc":"' .. (CORPUS:gsub("^%./", "")) .. '/000_22d4f11e9d4f7577.txt","kind":"x"}\n', out)
    assert.matches("seen\t000_22d4f11e9d4f7577.txt\n", err)
  end)

  it("makes an error record for a path that names nothing", function()
    local out, _, code = batch(q(FIX .. "years.lua") .. " " .. q(TMP .. "/nothing-here"))
    assert.equal(3, code)
    assert.matches('"error":"[^"]*nothing%-here: No such file or directory"', out)
  end)

  it("walks a directory with two symbolic link loops once, telling each loop once", function()
    local dir = TMP .. "/loops"
    os.execute("mkdir -p " .. q(dir .. "/a/b") .. " && cp " .. q(GEN .. "/d001.txt") .. " " .. q(dir .. "/a") ..
               " && cp " .. q(GEN .. "/d002.txt") .. " " .. q(dir .. "/a/b") ..
               " && ln -s .. " .. q(dir .. "/a/b/up") .. " && ln -s ../../a " .. q(dir .. "/a/b/again"))
    local out, err, code = run("timeout 20 " .. BIN .. " batch " .. q(FIX .. "years.lua") .. " " .. q(dir) ..
                               " -j 2 --ordered")
    assert.equal(0, code)
    local plain = in_tmp(BIN .. " batch " .. q(FIX .. "years.lua") .. " loops/a/b/d002.txt loops/a/d001.txt")
    assert.equal(sorted(plain), sorted(out))       -- each document once
    local told = {}
    for l in err:gmatch("[^\n]+") do
      if l:find("through a symbolic link", 1, true) then told[#told + 1] = l end
    end
    assert.equal(2, #told, err)
    assert.matches("/a/b/again: the directory .*/loops/a again", told[1])
    assert.matches("/a/b/up: the directory .*/loops/a again", told[2])
  end)

  it("refuses a FIFO or a device as a document instead of blocking or reading forever", function()
    local fifo = TMP .. "/fifo"
    os.execute("mkfifo " .. q(fifo))
    local out, err, code = run("timeout 20 " .. BIN .. " batch " .. q(FIX .. "years.lua") .. " " .. q(fifo) ..
                               " /dev/zero " .. q(GEN .. "/d001.txt"))
    assert.equal(3, code)
    assert.matches('{"doc":"[^"]*/fifo","error":"[^"]*/fifo: not a regular file %(a FIFO%)"}', out)
    assert.matches('{"doc":"/dev/zero","error":"/dev/zero: not a regular file %(a character device%)"}', out)
    assert.matches('"doc":"' .. GEN .. '/d001.txt","kind":"doc"', out, 1, true)
    assert.matches("2 errors", err, 1, true)
    -- lode.load too, from a script
    out, err, code = run("echo 'local lode = require \"lode\"; print(lode.load(\"" .. fifo ..
                       "\")); print(lode.load(\"/dev/zero\"))' | timeout 20 " .. BIN .. " -")
    assert.equal(0, code, err)
    assert.matches("nil\t[^\n]*/fifo: cannot read: not a regular file %(a FIFO%)\n", out)
    assert.matches("nil\t/dev/zero: cannot read: not a regular file %(a character device%)\n", out)
  end)

  it("refuses -o naming a directory or a device, leaving no journal", function()
    local dir = TMP .. "/outdir"
    os.execute("mkdir -p " .. q(dir))
    for _, target in ipairs{dir, "/dev/full"} do
      local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN .. "/d001.txt") .. " -o " .. q(target))
      assert.equal(2, code)
      assert.matches("-o " .. target .. ": not a regular file", err, 1, true)
      assert.is_nil(io.open(target .. ".journal"))
    end
    local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN .. "/d001.txt") .. " -o " ..
                               q(TMP .. "/no/such/dir/out.jsonl"))
    assert.equal(1, code)
    assert.matches("No such file or directory", err, 1, true)
  end)

  it("reports a file grown past ulimit -f instead of dying of SIGXFSZ", function()
    local out = TMP .. "/limited.jsonl"
    local _, err, code = run("ulimit -f 4; " .. BIN .. " batch " .. q(FIX .. "years.lua") .. " " .. q(GEN) ..
                             " -o " .. q(out))
    assert.equal(1, code)
    assert.matches("cannot write the output: File too large", err, 1, true)
    _, err, code = run("ulimit -f 4; " .. BIN .. " run " .. q(SRC .. "/scripts/extract.lua") .. " " .. q(GEN) ..
                       " > " .. q(out))
    assert.equal(1, code)
    assert.matches("File too large", err, 1, true)
  end)

  it("turns a document that loops or allocates without end into an error record", function()
    local dir = TMP .. "/runaway"
    os.execute("mkdir -p " .. q(dir) .. " && cp " .. q(GEN .. "/d001.txt") .. " " .. q(GEN .. "/d002.txt") ..
               " " .. q(dir))
    for _, mark in ipairs{"LOOP", "COLOOP", "RESUMELOOP", "ALLOC"} do
      spit(dir .. "/" .. mark:lower() .. ".txt", "LODE_TEST_" .. mark .. "\n")
    end
    local out, err, code = run("timeout 120 " .. BIN .. " batch " .. q(FIX .. "runaway.lua") .. " " .. q(dir) ..
                               " -j 2 --ordered --max-seconds 3 --max-memory 64")
    assert.equal(3, code, err)
    local got = lines(out)
    assert.equal(6, #got)
    assert.equal('{"doc":"runaway/alloc.txt","error":"stopped: the document needed more than the 64 MB of Lua ' ..
                 'memory a worker may use (raise it with --max-memory)"}', got[1])
    for _, k in ipairs{2, 5, 6} do                   -- coloop.txt, loop.txt, resumeloop.txt
      assert.matches('^{"doc":"runaway/%a+%.txt","error":"stopped: the document ran past its budget of 3 s of CPU ' ..
                     'time %(raise it with %-%-max%-seconds%)"}$', got[k])
    end
    assert.matches('^{"doc":"runaway/d001.txt","kind":"doc"', got[3])
    assert.matches('^{"doc":"runaway/d002.txt","kind":"doc"', got[4])
    assert.matches("6 documents, [%d.]+ MB, 2 records, 4 errors", err)
    -- one worker stops each runaway in turn and goes on with the next
    out, err, code = run("timeout 120 " .. BIN .. " batch " .. q(FIX .. "runaway.lua") .. " " .. q(dir) ..
                         " -j 1 --max-seconds=1 --max-memory=64")
    assert.equal(3, code, err)
    assert.equal(2, select(2, out:gsub('"kind":"doc"', "")))
  end)

  it("runs a job's prepare stages ahead of its maps, each document within its own budget", function()
    local dir = TMP .. "/prepare"
    os.execute("mkdir -p " .. q(dir) .. " && cp " .. q(GEN) .. "/*.txt " .. q(dir))
    spit(dir .. "/fail.txt", "LODE_TEST_PREPFAIL in 2020\n")
    spit(dir .. "/loop.txt", "LODE_TEST_PREPLOOP\n")
    spit(dir .. "/slow.txt", "LODE_TEST_PREPSLOW\n")
    local alone = TMP .. "/unprepared.lua"
    spit(alone, "local job = dofile(" .. string.format("%q", FIX .. "prepared.lua") .. ")\n" ..
                "job.prepare = nil\nreturn job\n")
    local args = " prepare -j 1 --ordered --max-seconds 1 --max-memory 64"   -- os.clock: one worker
    local out, err, code = in_tmp("timeout 120 " .. BIN .. " batch " .. q(FIX .. "prepared.lua") .. args)
    assert.equal(3, code, err)
    local want, _, code2 = in_tmp("timeout 120 " .. BIN .. " batch " .. q(alone) .. args)
    assert.equal(3, code2)
    -- the stages ran for documents taken together (most of them: a worker
    -- takes what is queued), and the records are those of maps alone
    local prepared = select(2, out:gsub('"prepared":true', ""))
    assert.is_true(prepared > 0, out)
    assert.equal(want, (out:gsub('"prepared":true', '"prepared":false')))
    -- a failing or runaway stage leaves its document to its map, whose
    -- error is the document's, as without prepare
    assert.matches('{"doc":"prepare/fail.txt","error":"[^\n]*boom in fail.txt"}', out)
    assert.matches('{"doc":"prepare/loop.txt","error":"stopped: the document ran past its budget of 1 s ' ..
                   'of CPU time %(raise it with %-%-max%-seconds%)"}', out)
    -- a document's CPU time is summed over its stages and its map
    assert.matches('{"doc":"prepare/slow.txt","error":"stopped: the document ran past its budget', out, 1, true)
    assert.matches("103 documents, [%d.]+ MB, 100 records, 3 errors", err)
  end)

  it("turns a reduce call that loops or allocates without end into an error record", function()
    local job = TMP .. "/reduce_runaway.lua"
    spit(job, [[
return {
  map = function(doc, emit) for _, k in ipairs{"loop", "alloc", "fine"} do emit(k, #doc) end end,
  reduce = function(key, values, emit)
    if key == "loop" then while true do end end
    if key == "alloc" then
      local t = {}
      for i = 1, math.maxinteger do t[i] = ("x"):rep(8 << 20) .. i end
    end
    emit({key = key, n = #values})
  end,
}
]])
    local out, err, code = run("timeout 120 " .. BIN .. " batch " .. q(job) .. " " .. q(CORPUS) ..
                               " --max-seconds 2 --max-memory 64")
    assert.equal(3, code, err)
    assert.equal('{"key":"alloc","error":"stopped: the reduce call needed more than the 64 MB of Lua memory ' ..
                 'a worker may use (raise it with --max-memory)"}\n' ..
                 '{"key":"fine","n":5}\n' ..
                 '{"key":"loop","error":"stopped: the reduce call ran past its budget of 2 s of CPU time ' ..
                 '(raise it with --max-seconds)"}\n', out)
    assert.matches("first reduce error: key alloc: stopped", err, 1, true)
  end)

  it("waits for a slow document without spinning", function()
    -- the writer waits on its results with a timeout: a deadline on the
    -- wrong clock made every wait return at once, a loop that burned a
    -- core while the worker was busy
    local job = TMP .. "/slow.lua"
    spit(job, 'return {map = function(doc, emit) os.execute("sleep 1"); emit({n = #doc}) end}\n')
    local out, err, code = run("bash -c " .. q("TIMEFORMAT='%U %S'; time " .. BIN .. " batch " .. q(job) .. " " ..
                                              q(GEN .. "/d001.txt") .. " -j 1 >/dev/null 2>&1"))
    assert.equal(0, code, err)
    local user, sys = err:match("([%d.]+) ([%d.]+)%s*$")
    assert.truthy(user, err .. out)
    assert.is_true(tonumber(user) + tonumber(sys) < 0.5, "CPU seconds while waiting: " .. user .. " + " .. sys)
  end)

  it("checks its budget options", function()
    for _, bad in ipairs{"--max-memory x", "--max-memory -1", "--max-seconds", "--max-seconds=1.5"} do
      local _, err, code = batch(q(FIX .. "years.lua") .. " " .. q(GEN) .. " " .. bad)
      assert.equal(2, code, bad)
      assert.matches("--max-", err, 1, true)
    end
  end)

  it("stops cleanly when its output pipe closes", function()
    local out, _, code = run(BIN .. " batch " .. q(FIX .. "years.lua") .. " " .. q(GEN) .. " " .. q(GEN)
                             .. " " .. q(GEN) .. " | head -n 1")
    assert.equal(0, code)  -- head's status; lode must not hang
    assert.equal(1, #lines(out))
  end)
end)

teardown(function()
  os.execute("rm -rf " .. q(TMP))
end)
