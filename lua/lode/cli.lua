--- lode.cli: a script's command line, read through one declarative table.
--
-- local opts, args = cli.parse(arg, {
--   name = "kwic", usage = USAGE,             -- for messages and --help
--   flags = {["-F"] = "fixed", ["--page"] = "page"},   -- option -> key = true
--   values = {["--width"] = "width"},          -- option VALUE -> key = VALUE
--   lists = {["--ref"] = "ref"},               -- option A B ... -> key = {A, B, ...}
-- })
-- Anything not starting with "-" (and "-" itself) is an argument, in order,
-- or, after a list option, an item of that list (so an unquoted glob the
-- shell expands stays whole).
-- -h and --help write the usage to stdout and exit 0; an unknown option or
-- one without its value writes "NAME: message" and the usage to stderr and
-- exits 2, as does cli.fail(spec, message) for the script's own checks.

local io, os = io, os

local M = {}

--- Exit 2 with "NAME: msg" and the usage on stderr.
function M.fail(spec, msg)
  io.stderr:write(spec.name, ": ", msg, "\n", spec.usage)
  os.exit(2)
end

--- Options and arguments of `argv` (see the header).
function M.parse(argv, spec)
  local opts, args = {}, {}
  local into = args              -- where the next plain argument goes
  local k = 1
  while k <= #argv do
    local a = argv[k]
    if a == "-h" or a == "--help" then
      io.stdout:write(spec.usage)
      os.exit(0)
    elseif spec.flags and spec.flags[a] then
      opts[spec.flags[a]] = true
    elseif spec.values and spec.values[a] then
      k = k + 1
      if argv[k] == nil then M.fail(spec, "option " .. a .. " needs a value") end
      opts[spec.values[a]] = argv[k]
    elseif spec.lists and spec.lists[a] then
      into = opts[spec.lists[a]] or {}
      opts[spec.lists[a]] = into
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      M.fail(spec, "unknown option " .. a)
    else
      into[#into + 1] = a
    end
    k = k + 1
  end
  return opts, args
end

return M
