-- Spec helper: run a shell command, capturing what it writes.
-- shell.run(cmd [, input]) -> stdout, stderr, exit code; the command runs
-- in a subshell with `input` (a string) on its standard input, else
-- /dev/null.
local M = {}

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  os.remove(path)
  return s
end

function M.run(cmd, input)
  local out, err = os.tmpname(), os.tmpname()
  local stdin = "/dev/null"
  if input then
    stdin = os.tmpname()
    local f = assert(io.open(stdin, "wb"))
    f:write(input)
    f:close()
  end
  local _, _, code = os.execute("(" .. cmd .. ") >" .. out .. " 2>" .. err .. " <" .. stdin)
  if input then os.remove(stdin) end
  return slurp(out), slurp(err), code
end

return M
