--- lode.extract.keysort: keysort(list, key, cmp) sorts `list` in place.
-- key(x) maps an element to an integer whose order is cmp's order; when
-- every key is unique the list is sorted by those integers, which
-- table.sort compares without calling Lua (several times faster than a
-- comparator); when a key repeats or key(x) returns nil (a field too wide
-- for its bits), table.sort(list, cmp) does it. Either way the order is
-- cmp's, the same one whenever cmp is a total order on the list.

local ipairs, table_sort = ipairs, table.sort

return function(list, key, cmp)
  local keys, by_key = {}, {}
  for n, x in ipairs(list) do
    local k = key(x)
    if k == nil or by_key[k] ~= nil then
      table_sort(list, cmp)
      return
    end
    keys[n], by_key[k] = k, x
  end
  table_sort(keys)
  for n, k in ipairs(keys) do list[n] = by_key[k] end
end
