-- Specs for the discoverable API: the REPL completes every submodule
-- before its first use, :help prints docs/API.md's entry for a name, and
-- every function lode exposes has an entry there.
local lode = require "lode"

local BIN = assert(os.getenv("LODE_BIN"), "LODE_BIN must name the built lode binary")
local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local run = require("shell").run

-- What the REPL shows on a terminal for these keystrokes (then Ctrl-D).
local function on_terminal(...)
  local keys = {}
  for k, s in ipairs{...} do keys[k] = "'" .. s .. "'" end
  local out, _, code = run("python3 " .. SRC .. "/tests/lua/repl_pty.py " .. BIN .. " "
                           .. table.concat(keys, " "))
  assert.are.equal(0, code)
  return out
end

describe("REPL completion", function()
  it("lists every module under lua/lode/ as a lazily loaded submodule", function()
    local listed = {}
    for _, name in ipairs(getmetatable(lode).__lazy) do listed[name] = true end
    local files = assert(lode.expand(SRC .. "/lua/lode/*.lua"))
    for _, f in ipairs(assert(lode.expand(SRC .. "/lua/lode/*/init.lua"))) do
      files[#files + 1] = f:gsub("/init%.lua$", ".lua")
    end
    local n = 0
    for _, f in ipairs(files) do
      local name = f:match("([^/]+)%.lua$")
      if name ~= "init" then
        n = n + 1
        assert.is_true(listed[name], "lode." .. name .. " is missing from init.lua's SUBMODULES")
      end
    end
    assert.is_true(n >= 10)
  end)

  it("offers submodules before their first use, and after it once", function()
    local out = on_terminal("x = lode.summ\\t", "\\n", "type(x), x == lode.summary\\n",
                            "lode.ext\\t\\t", "\\n", "lode.summ\\t", "\\n")
    assert.matches("x = lode.summary", out, 1, true)         -- completed, not loaded yet
    assert.matches('"table"%s+true', out)
    assert.matches("extract", out, 1, true)                  -- "lode.ext" completes
    assert.not_matches("lode%.summarysummary", out)
  end)
end)
