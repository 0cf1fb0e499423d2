--- lode.extract.keysort: keysort(list, key, cmp) sorts `list` in place.
-- key(x) maps an element to an integer whose order is cmp's order; when
-- every key is unique the list is sorted by those integers, which
-- table.sort compares without calling Lua (several times faster than a
-- comparator); when a key repeats or key(x) returns nil (a field too wide
-- for its bits), table.sort(list, cmp) does it. Either way the order is
-- cmp's, the same one whenever cmp is a total order on the list. A list
-- already in order (strictly increasing keys: most scans find in order)
-- is left as it is.

local table_sort = table.sort

return function(list, key, cmp)
  local n, keys, sorted, last = #list, {}, true, nil
  for i = 1, n do
    local k = key(list[i])
    if k == nil then
      table_sort(list, cmp)
      return
    end
    if last and k <= last then sorted = false end
    keys[i], last = k, k
  end
  if sorted then return end
  local by_key = {}
  for i = 1, n do
    local k = keys[i]
    if by_key[k] ~= nil then
      table_sort(list, cmp)
      return
    end
    by_key[k] = list[i]
  end
  table_sort(keys)
  for i = 1, n do list[i] = by_key[keys[i]] end
end
