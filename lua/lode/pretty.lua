--- lode.pretty(v [, opts]): a readable, bounded rendering of any value,
-- used by the REPL. Tables print as Lua constructors (sorted keys, nested
-- to opts.depth, long arrays cut after opts.items entries); cycles print
-- as <cycle>; strings are quoted with %q.

local type, tostring, pairs, string, table, math = type, tostring, pairs, string, table, math

local function is_identifier(k)
  return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil
end

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function render(v, opts, depth, seen, indent)
  local t = type(v)
  if t == "string" then
    if #v > opts.width then v = v:sub(1, opts.width) .. "…" end
    return string.format("%q", v):gsub("\\\n", "\\n")
  elseif t ~= "table" then
    return tostring(v)
  end
  local mt = getmetatable(v)
  if mt and mt.__tostring then return tostring(v) end
  if seen[v] then return "<cycle>" end
  if depth >= opts.depth then return "{…}" end
  seen[v] = true
  local n, parts = #v, {}
  for k = 1, math.min(n, opts.items) do
    parts[#parts + 1] = render(v[k], opts, depth + 1, seen, indent .. "  ")
  end
  if n > opts.items then parts[#parts + 1] = string.format("… (%d items)", n) end
  local keys = {}
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_order)
  for _, k in ipairs(keys) do
    local ks = is_identifier(k) and k or "[" .. render(k, opts, depth + 1, seen, indent) .. "]"
    parts[#parts + 1] = ks .. " = " .. render(v[k], opts, depth + 1, seen, indent .. "  ")
  end
  seen[v] = nil
  local flat = "{" .. table.concat(parts, ", ") .. "}"
  if #flat <= 78 - #indent then return flat end
  return "{\n" .. indent .. "  " .. table.concat(parts, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
end

return function(v, opts)
  opts = opts or {}
  opts.depth, opts.items, opts.width = opts.depth or 4, opts.items or 20, opts.width or 200
  return (render(v, opts, 0, {}, ""))
end
