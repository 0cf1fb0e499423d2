--- lode.cli: what every shipped script does the same way with its inputs.
--
-- cli.documents(paths [, opts]) -> iterator, status
--   lode.corpus(paths, opts), counting as it goes: status.docs (documents
--   read), status.failed (inputs that could not be read, each reported on
--   stderr as lode.corpus does) and status.first_error.
-- cli.finish(name, status)
--   Exits 1 with a message on stderr when the run read no document: a
--   missing path, a glob that matches nothing, an empty directory, or every
--   input failing. A script calls it after its loop; output already
--   written stays written.
--
-- The exit codes of scripts (README, "The lode program"): 0 success; 1 no
-- document could be read, or the output could not be written; 2 usage.

local lode = require "lode"

local io_stderr = io.stderr

local M = {}

function M.documents(paths, opts)
  local status = {docs = 0, failed = 0}
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  local report = o.on_error or function(_, msg) io_stderr:write("lode: ", msg, "\n") end
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

function M.finish(name, status)
  if status.docs > 0 then return end
  if status.failed > 0 then
    io_stderr:write(name, ": no document could be read (", status.failed,
                    status.failed == 1 and " input failed" or " inputs failed", ")\n")
  else
    io_stderr:write(name, ": no documents found\n")
  end
  os.exit(1)
end

return M
