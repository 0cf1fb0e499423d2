--- lode.cli: what every shipped script does the same way with its command
-- line and its inputs.
--
-- local opts, args = cli.parse(arg, {
--   name = "kwic", usage = USAGE,             -- for messages and --help
--   flags = {["-F"] = "fixed", ["--page"] = "page"},   -- option -> key = true
--   values = {["--width"] = "width"},          -- option VALUE (or --option=VALUE)
--                                              -- -> key = VALUE
--   lists = {["--ref"] = "ref"},               -- option A B ... -> key = {A, B, ...}
-- })
-- Every script also takes --manifest FILE (opts.manifest: a corpus
-- manifest, lode.manifest, which cli.documents reads).
-- Anything not starting with "-" (and "-" itself) is an argument, in order,
-- or, after a list option, an item of that list (so an unquoted glob the
-- shell expands stays whole).
-- -h and --help write the usage to stdout and exit 0; an unknown option or
-- one without its value writes "NAME: message" and the usage to stderr and
-- exits 2, as does cli.fail(spec, message) for the script's own checks.
--
-- cli.documents(paths [, opts]) -> iterator, status
--   lode.corpus(paths, opts), counting as it goes: status.docs (documents
--   read), status.failed (inputs that could not be read, each reported on
--   stderr as lode.corpus does) and status.first_error. opts.manifest, a
--   path, is read first: a bad manifest exits 1 with its file and line.
-- cli.finish(name, status)
--   Exits 1 with a message on stderr when the run read no document: a
--   missing path, a glob that matches nothing, an empty directory, or every
--   input failing. A script calls it after its loop; output already
--   written stays written.
--
-- The exit codes of scripts (README, "The lode program"): 0 success; 1 no
-- document could be read, or the output could not be written; 2 usage.

local lode = require "lode"

local io, os, pairs, pcall, require, type = io, os, pairs, pcall, require, type

local M = {}

-- value options every script takes
local COMMON_VALUES = {["--manifest"] = "manifest"}

-- The key of value option `a` in the options table, nil if `a` is none.
local function value_key(spec, a)
  return a and (spec.values and spec.values[a] or COMMON_VALUES[a])
end

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
    elseif value_key(spec, a) then
      k = k + 1
      if argv[k] == nil then M.fail(spec, "option " .. a .. " needs a value") end
      opts[value_key(spec, a)] = argv[k]
    elseif value_key(spec, a:match("^(%-%-[^=]+)=")) then
      opts[value_key(spec, a:match("^[^=]+"))] = a:match("=(.*)")
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

--- The documents of `paths`, counted (see the header).
function M.documents(paths, opts)
  local status = {docs = 0, failed = 0}
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  local report = o.on_error or function(_, msg) io.stderr:write("lode: ", msg, "\n") end
  if type(o.manifest) == "string" then
    local ok, m = pcall(require("lode.manifest").read, o.manifest)
    if not ok then
      io.stderr:write("lode: ", m, "\n")
      os.exit(1)
    end
    o.manifest = m
  end
  o.on_error = function(path, msg)
    status.failed = status.failed + 1
    status.first_error = status.first_error or msg
    report(path, msg)
  end
  local next_doc = lode.corpus(paths, o)
  return function()
    local doc = next_doc()
    if doc then status.docs = status.docs + 1 end
    return doc
  end, status
end

--- Exit 1 when `status` (from documents) counts no document read.
function M.finish(name, status)
  if status.docs > 0 then return end
  if status.failed > 0 then
    io.stderr:write(name, ": no document could be read (", status.failed,
                    status.failed == 1 and " input failed" or " inputs failed", ")\n")
  else
    io.stderr:write(name, ": no documents found\n")
  end
  os.exit(1)
end

return M
