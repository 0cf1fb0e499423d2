-- Specs for lode.extract.resolve and sort_spans (core/resolve.c): the
-- leftmost-longest walk every extractor resolves its candidates with,
-- checked against a plain Lua reference on random candidates, and misuse.
local extract = require "lode.extract"
local resolve, sort_spans = extract.resolve, extract.sort_spans

-- the reference: a comparator sort, then the greedy walk
local function reference(cands, claimed, accept)
  local order = {}
  for n, c in ipairs(cands) do order[n] = {c = c, n = n} end
  table.sort(order, function(a, b)
    local x, y = a.c, b.c
    if x.i ~= y.i then return x.i < y.i end
    if x.j ~= y.j then return x.j > y.j end
    if (x.prio or 0) ~= (y.prio or 0) then return (x.prio or 0) < (y.prio or 0) end
    return a.n < b.n
  end)
  local kept, last_j = {}, 0
  for _, o in ipairs(order) do
    local c, hit = o.c, false
    for _, s in ipairs(claimed or {}) do
      if s.i <= c.j and c.i <= s.j then hit = true end
    end
    if c.i > last_j and not hit and (not accept or accept(c)) then
      kept[#kept + 1] = c
      last_j = c.j
    end
  end
  return kept
end

local function spans(list)
  local t = {}
  for n, c in ipairs(list) do t[n] = c.i .. "-" .. c.j .. (c.prio and "/" .. c.prio or "") end
  return table.concat(t, " ")
end

describe("lode.extract.resolve", function()
  it("keeps the leftmost, then the longest, then the lower prio", function()
    local a, b, c = {i = 5, j = 9}, {i = 3, j = 6}, {i = 7, j = 12}
    assert.equal("3-6 7-12", spans(resolve{a, b, c}))
    local short, long = {i = 1, j = 4}, {i = 1, j = 8}
    assert.equal("1-8", spans(resolve{short, long}))
    local p2, p1 = {i = 1, j = 4, prio = 2}, {i = 1, j = 4, prio = 1}
    assert.same({p1}, resolve{p2, p1})
    local first, second = {i = 1, j = 4}, {i = 1, j = 4}
    assert.same({first}, resolve{first, second})   -- a tie: the one listed first
  end)

  it("drops candidates overlapping a claimed span, in any order", function()
    local cands = {{i = 1, j = 3}, {i = 4, j = 6}, {i = 10, j = 20}, {i = 21, j = 22}}
    local claimed = {{i = 15, j = 15}, {i = 5, j = 5}, {i = 2, j = 2}, {i = 14, j = 16}}
    assert.equal("21-22", spans(resolve(cands, claimed)))
  end)

  it("leaves a refused candidate's bytes to the next ones", function()
    local long, short = {i = 1, j = 10, no = true}, {i = 2, j = 4}
    local asked = {}
    local kept = resolve({long, short}, nil, function(c) asked[#asked + 1] = c; return not c.no end)
    assert.same({short}, kept)
    assert.same({long, short}, asked)
  end)

  it("agrees with the reference on random candidates", function()
    math.randomseed(17)
    for _ = 1, 300 do
      local cands, claimed = {}, {}
      for n = 1, math.random(0, 40) do
        local i = math.random(1, 60)
        cands[n] = {i = i, j = i + math.random(-1, 8), prio = math.random(0, 2)}
      end
      for n = 1, math.random(0, 4) do
        local i = math.random(1, 60)
        claimed[n] = {i = i, j = i + math.random(0, 5)}
      end
      local refuse = function(c) return (c.i + c.j) % 5 ~= 0 end
      assert.same(reference(cands, claimed), resolve(cands, claimed))
      assert.same(reference(cands, claimed, refuse), resolve(cands, claimed, refuse))
      assert.same(reference(cands), resolve(cands))
    end
  end)

  it("takes nothing from nothing, and raises on bad candidates", function()
    assert.same({}, resolve{})
    assert.same({}, resolve({}, {{i = 1, j = 2}}))
    assert.has_error(function() resolve{{i = 0, j = 3}} end)
    assert.has_error(function() resolve{{i = 5, j = 2}} end)
    assert.has_error(function() resolve{{i = 1.5, j = 2}} end)
    assert.has_error(function() resolve{{i = 1, j = 2, prio = "x"}} end)
    assert.has_error(function() resolve{"1-2"} end)
    assert.has_error(function() resolve({{i = 1, j = 2}}, {{j = 2}}) end)
    assert.has_error(function() resolve({}, nil, 42) end)
  end)

  it("passes an error raised by accept through", function()
    assert.has_error(function() resolve({{i = 1, j = 2}}, nil, function() error("no") end) end, nil)
  end)
end)

describe("lode.extract.sort_spans", function()
  it("sorts in place by start, longest first, prio, then list order", function()
    local a, b, c, d = {i = 4, j = 5}, {i = 1, j = 2}, {i = 1, j = 3}, {i = 4, j = 5}
    local list = {a, b, c, d}
    assert.equal(list, sort_spans(list))
    assert.same({c, b, a, d}, list)
    assert.equal(a, list[3])
    assert.same({}, sort_spans{})
  end)
end)
