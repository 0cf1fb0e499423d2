-- lode.out: the JSON-lines schema (key order, escaping, spans), and
-- out.line as the one-step form of out.encode(out.record(doc, r)).
local lode = require "lode"
local out = require "lode.out"
local cjson = require "cjson"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."

describe("lode.out.encode", function()
  it("writes the fixed keys in order, then the others sorted, then span and line", function()
    local s = out.encode({line = 3, span = {0, 4}, zeta = 1, text = "Baku", kind = "place",
                          doc = "a.txt", alpha = "x", name = "Baku"})
    assert.equal('{"doc":"a.txt","kind":"place","name":"Baku","text":"Baku","alpha":"x",'
                 .. '"zeta":1,"span":[0,4],"line":3}', s)
  end)

  it("escapes what JSON needs and leaves slashes alone", function()
    local text = 'he said "no" \\ 1/2\n\t\1 — Ərəb'
    local s = out.encode({text = text})
    assert.equal('{"text":"he said \\"no\\" \\\\ 1/2\\n\\t\\u0001 — Ərəb"}', s)
    assert.equal(text, cjson.decode(s).text)
  end)

  it("keeps integers exact, floats as cjson writes them, empty arrays as []", function()
    assert.equal('{"value":9007199254740993}', out.encode({value = 9007199254740993}))
    assert.equal('{"value":2.5}', out.encode({value = 2.5}))
    assert.equal('{"value":3}', out.encode({value = 3.0}))
    assert.equal('{"authors":[]}', out.encode({authors = {}}))
    assert.equal('{"authors":["A/B","C"]}', out.encode({authors = {"A/B", "C"}}))
    assert.equal('{"published":null}', out.encode({published = out.null}))
  end)

  it("writes an integer of every length and both extremes as tostring does, in span and line too", function()
    local values = {0, math.maxinteger, math.mininteger, math.mininteger + 1}
    for p = 0, 18 do
      local q = math.tointeger(10 ^ p)
      values[#values + 1], values[#values + 2], values[#values + 3] = q, q - 1, -q
    end
    for _, v in ipairs(values) do
      local want = string.format('{"doc":"d","value":%d,"span":[%d,%d],"line":%d}', v, v - 1, v, v)
      assert.equal(want, out.line("d", {value = v, i = v, j = v, line = v}))
      assert.equal('{"value":' .. tostring(v) .. "}", out.encode({value = v}))
    end
  end)

  it("round-trips through cjson", function()
    local r = {doc = "d", kind = "quote", text = "“Peace,” he said.", speaker = "Pashinyan",
               value = 12, flag = true, span = {10, 30}, line = 2}
    local back = cjson.decode(out.encode(r))
    for k, v in pairs(r) do
      if type(v) == "table" then assert.same(v, back[k]) else assert.equal(v, back[k]) end
    end
  end)
end)

describe("lode.out.line", function()
  local function via_record(name, r)
    return out.encode(out.record(name and {id = name} or nil, r))
  end

  it("turns i, j into a 0-based end-exclusive span and drops Lua-only fields", function()
    local r = {kind = "place", name = "Nagorno-Karabakh", text = "Karabakh", i = 1200, j = 1207,
               line = 33, _cache = {}}
    assert.equal('{"doc":"a.txt","kind":"place","name":"Nagorno-Karabakh","text":"Karabakh",'
                 .. '"span":[1199,1207],"line":33}', out.line("a.txt", r))
  end)

  it("lets a record's own doc win over the document name", function()
    assert.equal('{"doc":"own","kind":"x"}', out.line("a.txt", {doc = "own", kind = "x"}))
    assert.equal('{"kind":"x"}', out.line(nil, {kind = "x"}))
  end)

  it("equals encode(record(doc, r)) on odd records", function()
    local cases = {
      {kind = "x", text = "a/b\\c\"d\1e", i = 1, j = 3, line = 1, _tmp = 5, zeta = 1.5,
       alpha = {}, [3] = "n"},
      {kind = "y", i = 1.0, j = 2.0},
      {doc = "own", kind = "z", span = {4, 5}, authors = {"A/B", "C"}, value = 3.0},
      {kind = "w", i = 4},
      {},
      {error = "bad", doc = "f.txt"},
      {kind = "v", published = out.null, flag = true, nested = {a = {b = "/"}}},
    }
    for _, r in ipairs(cases) do
      assert.equal(via_record("docs/a.txt", r), out.line("docs/a.txt", r))
      assert.equal(via_record(nil, r), out.line(nil, r))
    end
  end)

  -- A record with a metatable takes the general Lua path; a plain one the
  -- C pass of lua/lrecord.c. Both must write the same bytes.
  local function general(r)
    local c = {}
    for k, v in pairs(r) do c[k] = v end
    return setmetatable(c, {})
  end

  it("writes the same bytes on its C and Lua paths", function()
    local cases = {
      {kind = "date", text = "May 2020", value = "2020-05", resolved = "stated", precision = "month",
       i = 5, j = 12, line = 1},
      {kind = "x", z = 1, y = "a/b", x = {}, w = 2.5, v = false, u = out.null, i = 1, j = 2},
      {kind = "q", text = 'say "no"\t\\ \127 end', speaker = "Mr. A/B", i = -3, j = 0},
      {kind = "big", value = math.maxinteger, counts = math.mininteger, i = math.mininteger + 1, j = 1},
      {kind = "tab\tkey", ["odd\"key"] = 1},
      {kind = "nul", ["i\0x"] = 1, [""] = 2, _x = 3, i = 4, j = 5},
      {kind = "keys", [1] = "one", [2.5] = "x", i = 1, j = 2},
      {kind = "keys", [true] = 1, [{}] = 2, text = "t"},
      {kind = "", text = "", speaker = "", i = 1, j = 0},
      {kind = "m", authors = {'A "B"', "C/D\n", ""}, value = 0.1, counts = -0.0, zeta = 1e20,
       eta = 1 / 3, theta = 2 ^ 53, flag = true, off = false},
      {kind = "s", sources = {title = {from = "html:og:title", line = 3, i = 1, j = 9},
                              ["we\"ird"] = {from = "x\1"}, empty = {}, list = {"a", "b"},
                              ints = {1, 2, 3}, mixed = {1, a = 2}, holes = {"a", nil, "c"},
                              nested = {deep = {deeper = {0 / 0 == 0 / 0}}}}},
    }
    for _, r in ipairs(cases) do
      for _, name in ipairs({"dir/a.txt", "plain.txt", 'say "a".txt', "tab\tname.txt", ""}) do
        assert.equal(out.line(name, general(r)), out.line(name, r))
      end
      assert.equal(out.encode(general(r)), out.encode(r))
    end
  end)

  it("escapes a byte wherever it stands in a long text (read 16 bytes a step)", function()
    -- every byte cjson escapes, and its neighbours that it does not, at
    -- every place of texts around one and two steps long
    for _, c in ipairs({0, 1, 0x1f, 0x20, 0x21, 0x22, 0x2f, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80,
                        0x9f, 0xff}) do
      for _, len in ipairs({15, 16, 17, 31, 32, 33, 47}) do
        for at = 1, len do
          local text = ("a"):rep(at - 1) .. string.char(c) .. ("b"):rep(len - at)
          local r = {kind = "t", text = text, i = 1, j = 2}
          assert.equal(out.line("d", general(r)), out.line("d", r))
        end
      end
    end
  end)

  it("keeps its key order when a script edits out.ORDER afterwards", function()
    local r = {kind = "k", name = "n", i = 1, j = 2}
    local before = out.line("d", r)
    out.ORDER[#out.ORDER + 1] = 5
    local ok, after = pcall(out.line, "d", r)
    out.ORDER[#out.ORDER] = nil
    assert.is_true(ok)
    assert.equal(before, after)
  end)

  it("takes an order of up to 64 distinct keys, not span or line", function()
    local core = require "lode.core"
    local order, r, want = {}, {i = 1, j = 3, line = 7}, {}
    for k = 1, 64 do
      order[k] = "k" .. k
      r["k" .. k] = k
      want[k] = '"k' .. k .. '":' .. k
    end
    local line = core.record_encoder(order, tostring)
    assert.equal("{" .. table.concat(want, ",") .. ',"span":[0,3],"line":7}', line(r, true))
    assert.has_error(function() core.record_encoder({"a", "a"}, tostring) end)
    assert.has_error(function() core.record_encoder({"span"}, tostring) end)
    order[65] = "k65"
    assert.has_error(function() core.record_encoder(order, tostring) end)
  end)

  it("finds keys by their bytes too: long keys, keys made at run time, i in the order", function()
    local core = require "lode.core"
    local long = "a_key_that_is_longer_than_forty_bytes_of_text"
    local line = core.record_encoder({"i", long}, tostring)
    -- a long string is not interned: this key is another object, same bytes
    local r = {i = 3, j = 5, [string.rep("a_key_that_is_longer_than_forty", 1) ..
      "_bytes_of_text"] = "v", ["oth" .. ("er"):rep(1)] = "o"}
    assert.equal('{"i":3,"' .. long .. '":"v","other":"o"}', line(r, true))
    assert.equal('{"i":3,"' .. long .. '":"v","j":5,"other":"o"}', line(r, false))
  end)

  it("appends to a line buffer what out.line writes, prefixed, a line each", function()
    local cases = {
      {kind = "date", text = "May 2020", value = "2020-05", i = 5, j = 12, line = 1},
      {},
      {kind = "q", text = 'say "no"\t\\', speaker = "A/B", zeta = {}, i = 1, j = 2},
      setmetatable({kind = "meta"}, {}),                  -- the general path
      {kind = "nul", ["i\0x"] = 1, _x = 3, i = 4, j = 5},   -- unusual: the general path
    }
    for _, prefix in ipairs({"", "docs/a.txt\t"}) do
      local buf, want = out.line_buffer(prefix), {}
      for n, r in ipairs(cases) do
        out.append(buf, "docs/a.txt", r)
        want[n] = prefix .. out.line("docs/a.txt", r) .. "\n"
      end
      assert.equal(table.concat(want), buf:take())
      assert.equal("", buf:take())                        -- take() empties it
      buf:add("{}")
      assert.equal(prefix .. "{}\n", buf:take())
    end
    assert.has_error(function() out.append({}, "a", {kind = "x"}) end)
  end)

  it("emits through an emitter what append writes, and take() counts the lines", function()
    local records = {
      {kind = "date", text = "May 2020", value = "2020-05", i = 5, j = 12, line = 1},
      setmetatable({kind = "meta"}, {}),                  -- the general path
      {kind = "q", text = 'say "no"', authors = {"A/B"}, i = 1, j = 2},
    }
    local a, b = out.line_buffer("k\t"), out.line_buffer("k\t")
    local emit = out.emitter(a, "docs/a.txt")
    for _, r in ipairs(records) do
      emit(r)
      out.append(b, "docs/a.txt", r)
    end
    a:add("{}")
    b:add("{}")
    local text, n = a:take()
    assert.equal(b:take(), text)
    assert.equal(4, n)
    assert.same({"", 0}, {a:take()})                      -- emptied, count too
    local ok, err = pcall(emit, "not a record")
    assert.is_false(ok)
    assert.matches("emit%(record%): a record table is expected", err)
    assert.equal("", (a:take()))
    assert.has_error(function() out.emitter({}, "d") end)
  end)

  it("emits what append writes whatever the name: plain, escaped, nil, or the record's own", function()
    local records = {
      {kind = "place", name = "Oslo", text = "Oslo", i = 3, j = 6, line = 2},
      {doc = "other.txt", kind = "x", i = 1, j = 1},        -- its own doc wins
      {kind = "q", text = "", value = 0, extra = "e", _hidden = 1, i = 1, j = 0},
      setmetatable({kind = "meta"}, {}),                  -- the general path
    }
    local names = {"docs/a.txt", 'we"ird\tname\\', "", "d\0c", nil}
    for k = 1, 5 do
      local name = names[k]
      local a, b = out.line_buffer(""), out.line_buffer("")
      local emit = out.emitter(a, name)
      -- the second round starts a new buffer sized by the first one's lines
      for _ = 1, 2 do
        for _, r in ipairs(records) do
          emit(r)
          out.append(b, name, r)
        end
        local text, n = a:take()
        assert.equal(b:take(), text)
        assert.equal(#records, n)
        assert.equal(out.line(name, records[1]) .. "\n", text:match("^[^\n]*\n"))
      end
    end
  end)

  it("writes a document's lines whole after a much shorter or longer one", function()
    local big = {kind = "q", text = string.rep("word ", 20000), i = 1, j = 5}
    local small = {kind = "q", text = "w", i = 1, j = 1}
    for _, order in ipairs{{small, big, small}, {big, small, big}} do
      for _, r in ipairs(order) do
        local buf = out.line_buffer("p\t")
        local emit = out.emitter(buf, "d.txt")
        for _ = 1, 3 do emit(r) end
        local line = "p\t" .. out.line("d.txt", r) .. "\n"
        assert.equal(line:rep(3), (buf:take()))
      end
    end
  end)

  it("appends to each of several buffers its own lines, and to nothing else", function()
    local a, b = out.line_buffer("a\t"), out.line_buffer("b\t")
    for n = 1, 3 do
      out.append(a, "d", {kind = "x", value = n})
      out.append(b, "d", {kind = "y", value = n})
    end
    assert.equal('a\t{"doc":"d","kind":"x","value":1}\na\t{"doc":"d","kind":"x","value":2}\n'
                 .. 'a\t{"doc":"d","kind":"x","value":3}\n', a:take())
    assert.equal('b\t{"doc":"d","kind":"y","value":1}\nb\t{"doc":"d","kind":"y","value":2}\n'
                 .. 'b\t{"doc":"d","kind":"y","value":3}\n', b:take())
    -- right after a buffer, another userdata is still no buffer
    assert.has_error(function() out.append(lode.regex("x"), "d", {kind = "x"}) end)
    assert.has_error(function() out.append(nil, "d", {kind = "x"}) end)
  end)

  it("equals encode(record(doc, r)) for every record extracted from the corpus, on both paths", function()
    local n = 0
    for _, path in ipairs(lode.expand(SRC .. "/corpus")) do
      local doc = assert(lode.load(path))
      for _, r in ipairs(lode.extract.all(doc)) do
        local line = out.line(doc.name, r)
        assert.equal(via_record(doc.name, r), line)
        assert.equal(out.line(doc.name, general(r)), line)
        n = n + 1
      end
    end
    assert.is_true(n > 500)
  end)
end)
