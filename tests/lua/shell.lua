-- Spec helper: run a shell command, capturing what it writes.
-- shell.run(cmd [, input]) -> stdout, stderr, exit code; the command runs
-- in a subshell with `input` (a string) on its standard input, else
-- /dev/null. shell.read(path), shell.write(path, s) and shell.lines(s)
-- (the non-empty lines of s) are the file helpers specs share.
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

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function M.lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

return M
