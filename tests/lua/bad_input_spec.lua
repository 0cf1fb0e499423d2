-- Rows of the README's bad-input table that no other spec shows: files
-- lode may not read (as an unprivileged user: root reads everything), a
-- directory named as a document, a 200,000-alias gazetteer, and what
-- v:origin promises for characters NFKC expands or marks it reorders.
local lode = require "lode"
local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local run = require("shell").run

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function spit(p, s, mode)
  local f = assert(io.open(p, "wb"))
  f:write(s)
  f:close()
  if mode then os.execute("chmod " .. mode .. " " .. q(p)) end
end

local TMP = io.popen("mktemp -d"):read("l")
os.execute("chmod 755 " .. q(TMP))
-- As root, without the capabilities that override file modes, so a mode of
-- 000 means something (root still owns, and reads, the checkout wherever
-- it is; a user such as nobody might not).
local AS = io.popen("id -u"):read("l") == "0"
  and "setpriv --bounding-set=-dac_override,-dac_read_search " or ""

describe("unreadable inputs", function()
  it("make an error record in batch and nil, 'Permission denied' from lode.load", function()
    spit(TMP .. "/job.lua", "return {map = function(doc, emit) emit({kind = 'doc', value = #doc}) end}\n", "644")
    spit(TMP .. "/secret.txt", "Text the run may not read.\n", "000")
    spit(TMP .. "/open.txt", "Text it may.\n", "644")
    local out, err, code = run(AS .. BIN .. " batch " .. q(TMP .. "/job.lua") .. " " .. q(TMP .. "/secret.txt") ..
                               " " .. q(TMP .. "/open.txt") .. " --ordered")
    assert.equal(3, code, err)
    -- a file named alone is named as given (README, "Record schema")
    assert.equal('{"doc":"' .. TMP .. '/secret.txt","error":"' .. TMP ..
                 '/secret.txt: cannot open: Permission denied"}\n' ..
                 '{"doc":"' .. TMP .. '/open.txt","kind":"doc","value":13}\n', out)
    assert.matches("first error: [^\n]*secret.txt: [^\n]*Permission denied", err)
    out, err, code = run(AS .. BIN .. " -", "print(require('lode').load(" .. string.format("%q", TMP .. "/secret.txt")
                         .. "))\n")
    assert.equal(0, code, err)
    assert.equal("nil\t" .. TMP .. "/secret.txt: cannot open: Permission denied\n", out)
  end)

  it("refuse a directory named as a document", function()
    local doc, err = lode.load(TMP)
    assert.is_nil(doc)
    assert.equal(TMP .. ": cannot read: Is a directory", err)
  end)
end)

describe("a 200,000-alias gazetteer", function()
  -- four letters from k: Aaaa, Baaa, ... (26^4 names)
  local function name(k)
    local s = ""
    for _ = 1, 4 do
      s = string.char(97 + k % 26) .. s
      k = k // 26
    end
    return s:sub(1, 1):upper() .. s:sub(2)
  end

  it("builds and scans in seconds, finding the first and the last alias", function()
    local t0 = os.clock()
    local g = lode.gazetteer()
    for k = 0, 199999 do g:add(name(k) .. " Valley", "V" .. k, "place") end
    local doc = lode.from_string("From " .. name(0) .. " Valley to " .. name(199999) .. " valley, not " ..
                                 name(5) .. " Hill or " .. name(200000) .. " Valley.\n")
    local hits = g:matches(doc)
    assert.is_true(os.clock() - t0 < 20)
    assert.equal(2, #hits)
    assert.equal("V0", hits[1].canonical)
    assert.equal("Aaaa Valley", hits[1].text)
    assert.equal("V199999", hits[2].canonical)
    assert.equal(name(199999) .. " valley", hits[2].text)
    assert.same({200000, 200000}, {g:size()})
  end)
end)

describe("v:origin over characters normalization expands or reorders", function()
  it("cites the whole original character for any byte of what it became", function()
    local text = "a \u{BC} b \u{24AC} c e\u{301}\u{323} d"   -- a ¼ b ⒬ c e + acute + dot below
    local doc = lode.from_string(text)
    local v = doc:normalize{form = "NFKC"}
    local t = v:text()
    assert.equal("a 1\u{2044}4 b (q) c \u{1EB9}\u{301} d", t)
    local function cited(piece)                 -- the original bytes behind each byte of `piece`
      local at = t:find(piece, 1, true)
      local seen = {}
      for k = at, at + #piece - 1 do
        local oi, oj = v:origin(k, k)
        if oj >= oi then seen[text:sub(oi, oj)] = true end
      end
      local keys = {}
      for k in pairs(seen) do keys[#keys + 1] = k end
      return keys
    end
    assert.same({"\u{BC}"}, cited("1\u{2044}4"))            -- every byte of 1/4: the whole ¼
    assert.same({"\u{24AC}"}, cited("(q)"))                  -- of (q): the whole ⒬
    assert.same({"e\u{301}\u{323}"}, cited("\u{1EB9}\u{301}"))  -- reordered marks: the cluster
    local oi, oj = v:origin(1, #t)                             -- and the whole view, the whole text
    assert.equal(text, text:sub(oi, oj))
  end)
end)

teardown(function()
  os.execute("chmod -R u+rwX " .. q(TMP) .. " && rm -rf " .. q(TMP))
end)
