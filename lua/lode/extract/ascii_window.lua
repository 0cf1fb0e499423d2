--- lode.extract.ascii_window: lode.extract.window(text, i, j) -- text:sub(i, j)
-- kept from cutting a UTF-8 sequence -- without its two gsubs when the
-- bytes at the cuts are ASCII, where they have nothing to trim. Same
-- results; for the extractors that cut look-around windows per match.

local extract = require "lode.extract"

local string_byte, slow = string.byte, extract.window

return function(text, i, j)
  local s = text:sub(i, j)
  if (i > 1 and (string_byte(s, 1) or 0) >= 128) or (j < #text and (string_byte(s, -1) or 0) >= 128) then
    return slow(text, i, j)
  end
  return s
end
