--- lode.extract.entities: persons, organizations and places, with provenance.
-- entities(doc [, opts]) -> array of records in document order:
--   {kind = "person", name = canonical full name, text = mention, role = ...}
--   {kind = "org", name = full name, acronym = "CSTO" | nil}
--   {kind = "place", name = canonical}
-- each with i, j (1-based inclusive bytes, doc:sub(i, j) == text) and line.
--
-- Order of evidence: the shipped gazetteer (lode/data/caucasus.tsv, when
-- present) first, then rules over capitalised sequences found with one regex
-- pass in C: titles ("President", "Mr."), person-name shapes (known given
-- name, surname ending, speech verb after), organization cue words, place
-- cues ("the X district", "the city of X"), acronyms defined in parentheses.
--
-- Short mentions: a single capitalised word (or "Mr. X") equal to the last
-- word of a full name seen EARLIER in the document links to that full name.
-- When several earlier full names share the surname (Armen and Tigran
-- Grigoryan), the one mentioned most recently before the short mention wins
-- (newspaper convention: a bare surname refers to the person just discussed).
-- opts.gazetteer = a lode gazetteer to use instead of the shipped one;
-- opts.body = false scans the whole page (see lode.extract.scope).

local lode = require "lode"
local words = require "lode.words"
local extract = require "lode.extract"
local io, ipairs, pairs, table, string, type, pcall =
      io, ipairs, pairs, table, string, type, pcall
local find, lower, match, reverse = string.find, string.lower, string.match, string.reverse

local M = {}

-- ---------------------------------------------------------------- data ---

local lists = {}
--- Entries of lode/data/NAME (one or more whitespace-separated entries a
-- line when `split`, else whole lines; TAB pairs become set[a] = b).
local function load_list(name, split)
  if lists[name] then return lists[name] end
  local set = {}
  local path = words.data_path(name)
  if path then
    for line in io.lines(path) do
      line = line:gsub("#.*$", ""):gsub("%s+$", "")
      local a, b = line:match("^%s*([^\t]-)\t(.*)$")
      if a then
        set[a] = (b ~= "-" and b ~= "") and b or true
      elseif split then
        for w in line:gmatch("%S+") do set[w] = true end
      elseif line:match("%S") then
        set[line:match("^%s*(.-)$")] = true
      end
    end
  end
  lists[name] = set
  return set
end
M.load_list = load_list

local gaz_cache
--- The shipped gazetteer, or false when caucasus.tsv is not there yet.
function M.gazetteer()
  if gaz_cache ~= nil then return gaz_cache end
  gaz_cache = false
  local path = words.data_path("caucasus.tsv")
  if path then
    local g = lode.gazetteer({})
    local ok = pcall(g.load, g, path)
    if ok then gaz_cache = g end
  end
  return gaz_cache
end

local function regex_escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\]", "\\%0"))
end

local title_re_src
--- Alternation of the titles, longest first (a small list: fine in PCRE2).
local function titles_alt()
  if title_re_src then return title_re_src end
  local t = {}
  for k in pairs(load_list("titles.txt")) do t[#t + 1] = k end
  table.sort(t, function(a, b) return #a > #b or (#a == #b and a < b) end)
  for n, k in ipairs(t) do t[n] = regex_escape(k):gsub(" ", "\\s+") end
  title_re_src = table.concat(t, "|")
  return title_re_src
end

-- ------------------------------------------------------------- regexes ---

-- A capitalised word: letters with inner hyphen/apostrophe parts, or an
-- abbreviated title with its period. A possessive ’s ends a sequence.
local CAPW = [[(?:(?:Mr|Mrs|Ms|Dr|Gen|Col|Prof|Sen|Gov|Amb|St)\.|\p{Lu}[\p{L}\p{M}]*(?:-\p{Lu}[\p{L}\p{M}]*)*)]]
local CONN = [[(?:of|for|and|the|on|in|de|del|der|von|van|al|bin|ibn|la|le|du|da)]]
local CAPSEQ = "(?<![\\p{L}\\p{N}\\-.])" .. CAPW ..
  "(?:[ \\t](?:" .. CONN .. "[ \\t])*" .. CAPW .. ")*(?![\\p{L}\\p{N}])"

local function re(p, f) return lode.regex(p, f) end

local function split_words(s)
  local t = {}
  for w in s:gmatch("%S+") do t[#t + 1] = w end
  return t
end

local SURNAME_END = {"yan", "ian", "yev", "yeva", "iev", "ov", "ova", "ev", "eva",
  "li", "lu", "zade", "shvili", "dze", "oglu", "ović", "ovich", "enko", "sky",
  "ski", "yants", "ents", "uni"}
local function surname_shape(w)
  if #w < 4 then return false end
  for _, e in ipairs(SURNAME_END) do
    if w:sub(-#e) == e then return true end
  end
  return false
end

-- Direction words start place names ("East Caspian", "South Caucasus").
local COMPASS = {East = true, West = true, North = true, South = true,
  Central = true, Eastern = true, Western = true, Northern = true,
  Southern = true, Upper = true, Lower = true, Greater = true, New = true}

-- Sentence adverbs that are capitalised only because a sentence starts.
local SENT_ADV = {Later = true, Then = true, Now = true, Meanwhile = true,
  However = true, Also = true, Yesterday = true, Today = true, Earlier = true,
  Still = true, Instead = true, Indeed = true, Finally = true, Thus = true}

-- --------------------------------------------------------------- roles ---

--- Role stated before a mention on its line: "Azerbaijan’s President",
-- "Azerbaijani President", "Secretary of the Security Council of Armenia",
-- "European Council President". Returns the role string or nil.
local ROLE_BEFORE, ROLE_AFTER, TITLE_LAST
local HONORIFIC = {["mr."] = true, ["mrs."] = true, ["ms."] = true, ["dr."] = true}
-- The last words a role before a name can end with: a title's last word,
-- or a word of the "of the Security Council of Armenia" tail.
local function title_last()
  if TITLE_LAST then return TITLE_LAST end
  TITLE_LAST = {of = true, the = true, ["for"] = true}
  for k in pairs(load_list("titles.txt")) do
    TITLE_LAST[(k:match("(%S+)%s*$") or k):lower()] = true
  end
  return TITLE_LAST
end

local function role_before(prefix)
  if #prefix > 160 then prefix = prefix:sub(-160):gsub("^[\128-\191]+", "") end
  -- the role ends right before the name: unless the last word can end one,
  -- skip the regex (an alternation of every title tried at each position)
  -- the last word and the spaces after it, read from the reversed prefix
  -- with an anchored pattern ("(%S+)(%s*)$" is tried at every byte)
  local rsp, rlast = match(reverse(prefix), "^(%s*)(%S+)")
  if not rlast then return nil end
  local last, sp = reverse(rlast), rsp
  if last:find("[\128-\255]") then
    -- a Unicode space or letter: let the regex decide
  elseif sp == "" or not (title_last()[last:lower()] or last:match("^%u")) then
    return nil
  elseif HONORIFIC[last:lower()] then
    -- only the honorific itself ends in "Mr." (the "of ..." tail has no
    -- periods), and an honorific is no role
    return nil
  end
  local ta = titles_alt()
  ROLE_BEFORE = ROLE_BEFORE or re("(?:(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+|(?<pre>(?:\\p{Lu}[\\p{L}\\-]+\\s+){1,3}))?" ..
    "(?<title>(?i:(?:" .. ta .. ")(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:\\p{Lu}[\\p{L}\\-]*|of|the|for)(?:\\s+(?:\\p{Lu}[\\p{L}\\-]*|of|the|for))*)?))\\s+$")
  local r = ROLE_BEFORE
  local s = r:find(prefix)
  if not s then return nil end
  local m = {r:match(prefix)}
  -- match returns captures in order: poss, pre, title
  local poss, pre, title = m[1], m[2], m[3]
  if not title or title == false then return nil end
  title = title:gsub("%s+", " ")
  local low = title:lower()
  if low == "mr." or low == "mrs." or low == "ms." or low == "dr." or low == "sir" then
    return nil
  end
  local dem = load_list("demonyms.txt")
  if poss and poss ~= false then
    return title .. " of " .. poss
  end
  if pre and pre ~= false then
    pre = pre:gsub("%s+$", "")
    local c = dem[pre]
    if c and c ~= true then return title .. " of " .. c end
    if c == true then return title end
    -- "European Council President": the organization words are part of it
    local stop = words.list("stopwords_en")
    local first = pre:match("^(%S+)")
    if stop[first:lower()] then pre = pre:gsub("^%S+%s*", "") end
    if pre ~= "" then return pre .. " " .. title end
  end
  return title
end

--- Role stated in an apposition after the mention: ", the secretary of the
-- National Security Council," / ", Azerbaijan’s minister of defense,".
local function role_after(suffix)
  -- the caller cut a fixed number of bytes: drop a split character at the end
  if suffix:byte(1) ~= 44 then return nil end     -- the regex needs ", " first
  suffix = suffix:gsub("[\192-\255][\128-\191]*$", "")
  local ta = titles_alt()
  ROLE_AFTER = ROLE_AFTER or re("^,\\s+(?:(?:the|an?)\\s+|(?<poss>\\p{Lu}[\\p{L}\\-]+)(?:’s|'s)\\s+)?" ..
    "(?<role>(?:(?:former|deputy|acting|current|then|senior|chief|first)\\s+)?(?i:" .. ta .. ")(?:\\s+[^,.;:()“”\"]{1,80}?)?)\\s*(?:,|\\.|;|\\)|$)")
  local r = ROLE_AFTER
  local poss, role = r:match(suffix)
  if not poss then return nil end
  if role == false or not role then return nil end
  role = role:gsub("%s+", " ")
  if role:match("^%u%l*%.$") then return nil end   -- "Mr." is no role
  if poss ~= false then return role .. " of " .. poss end
  return role
end

-- ---------------------------------------------------------- extraction ---

-- Lowercased titles, per titles table (load_list caches the table).
local titles_low_of = setmetatable({}, {__mode = "k"})
local function titles_lower(titles)
  local t = titles_low_of[titles]
  if not t then
    t = {}
    for k in pairs(titles) do t[k:lower()] = true end
    titles_low_of[titles] = t
  end
  return t
end

-- Is a capitalised word a function word or sentence adverb that a sequence
-- sheds at its start? Depends on the shipped lists only, so the answer is
-- memoised across documents (capped: a huge corpus must not grow it forever).
local lead_memo, lead_n = {}, 0
local function sheds(w, stop, titles)
  local v = lead_memo[w]
  if v == nil then
    v = ((stop[lower(w)] or SENT_ADV[w]) and not titles[w]) and true or false
    if lead_n >= 50000 then lead_memo, lead_n = {}, 0 end
    lead_memo[w] = v
    lead_n = lead_n + 1
  end
  return v
end

local function compute(doc, opts)
  local inscope = extract.scope(doc, opts)
  local text = doc:text()
  local sub = doc.sub
  local stop = words.list("stopwords_en")
  local titles = load_list("titles.txt")
  local titles_low = titles_lower(titles)
  local orgcue = load_list("org_cues.txt")
  local placecue = load_list("place_cues.txt")
  local dem = load_list("demonyms.txt")
  local given = load_list("given_names.txt", true)
  local verbs = load_list("speech_verbs.txt")
  local MONTHS = {January=1, February=1, March=1, April=1, May=1, June=1, July=1,
    August=1, September=1, October=1, November=1, December=1, Monday=1, Tuesday=1,
    Wednesday=1, Thursday=1, Friday=1, Saturday=1, Sunday=1}

  -- 1. gazetteer matches: taken as they are, they claim their bytes.
  local ci, cj, nclaim = {}, {}, 0   -- claimed byte ranges, sorted by start
  local found = {}              -- candidate records (unsorted)
  local known_kind = {}         -- lowercased surface -> kind from gazetteer
  local g = opts.gazetteer
  if g == nil then g = M.gazetteer() end
  if g then
    local inorder = true
    for m in g:scan(doc) do
      local kind = m.kind
      if kind == "person" or kind == "org" or kind == "place" then
        local mi, mj = m.i, m.j
        if inscope(mi, mj) then
          found[#found + 1] = {kind = kind, i = mi, j = mj, line = m.line,
            name = m.canonical, gaz = true}
        end
        if nclaim > 0 and mi <= ci[nclaim] then inorder = false end
        nclaim = nclaim + 1
        ci[nclaim], cj[nclaim] = mi, mj
      end
      known_kind[lower(m.text)] = kind
    end
    if not inorder then
      -- the scan reports in order; sort (as pairs, by start) only otherwise
      local claimed = {}
      for k = 1, nclaim do claimed[k] = {ci[k], cj[k]} end
      table.sort(claimed, function(a, b) return a[1] < b[1] end)
      for k = 1, nclaim do ci[k], cj[k] = claimed[k][1], claimed[k][2] end
    end
  end
  local function is_claimed(i, j)
    local lo, hi = 1, nclaim
    while lo <= hi do
      local mid = (lo + hi) // 2
      if j < ci[mid] then hi = mid - 1
      elseif i > cj[mid] then lo = mid + 1
      else return true end
    end
    return false
  end

  local bmemo = {}
  local function blocked_uncached(w)
    local bare = w:gsub("’s$", ""):gsub("'s$", "")
    return stop[bare:lower()] or MONTHS[bare] or COMPASS[bare] or dem[bare] or titles[bare]
      or titles_low[bare:lower()] or orgcue[bare] or placecue[bare:lower()]
      or known_kind[bare:lower()] == "place" or known_kind[bare:lower()] == "org"
      or known_kind[bare:lower()] == "term"
  end
  -- the same words come back all through a document: decide each once
  local function blocked(w)
    local v = bmemo[w]
    if v == nil then v = blocked_uncached(w) or false; bmemo[w] = v end
    return v
  end

  -- 2. capitalised sequences: one C pass, Lua per match.
  local acronyms = {}          -- ACR -> full name
  for m in doc:gmatch(CAPSEQ) do
    local i, j, s = m.i, m.j, m.text
    local toks
    if not find(s, "[ \t]") then
      -- one word (most sequences): nothing to split, shed or re-offset
      toks = sheds(s, stop, titles) and {} or {s}
    else
      toks = split_words(s)
    end
    -- drop leading function words ("The", "In", "But") and trailing ones
    local off = 0
    while #toks > 0 and sheds(toks[1], stop, titles) do
      off = off + #toks[1]
      local rest = s:sub(off + 1)
      local sp = rest:match("^%s*")
      off = off + #sp
      table.remove(toks, 1)
      while #toks > 0 and (toks[1] == "of" or toks[1] == "the" or toks[1] == "and"
          or toks[1] == "for" or toks[1] == "in" or toks[1] == "on") do
        off = off + #toks[1]
        off = off + #(s:sub(off + 1):match("^%s*"))
        table.remove(toks, 1)
      end
    end
    if #toks > 0 and off > 0 then i = i + off; s = s:sub(off + 1) end
    if #toks > 0 and inscope(i, j) and not is_claimed(i, j) then
      local line = m.line
      local has_org = false
      for _, w in ipairs(toks) do if orgcue[w] then has_org = true end end
      local after = text:sub(j + 1, j + 12)
      if has_org and #toks >= 2 then
        local acr = after:match("^%s*%((%u[%u%d&]+)%)")
        local name = s
        found[#found + 1] = {kind = "org", i = i, j = j, line = line, name = name,
          acronym = acr}
        if acr then acronyms[acr] = name end
      elseif not has_org then
        -- strip leading titles ("President", "Prime Minister", "Mr.")
        local ti, k, title_seen = i, 1, nil
        while k <= #toks do
          local w = toks[k]
          local two = toks[k + 1] and (w .. " " .. toks[k + 1])
          if two and titles[two] then
            title_seen = two; ti = ti + #w + 1 + #toks[k + 1]; k = k + 2
          elseif titles[w] or titles_low[w:lower()] then
            title_seen = w; ti = ti + #w; k = k + 1
          else break end
          -- skip "of X" after a title is not attempted: "Secretary of State X"
          -- comes in the title list as a whole
          ti = ti + #(text:sub(ti, j):match("^%s*") or "")
        end
        local name_toks = {}
        for n = k, #toks do name_toks[#name_toks + 1] = toks[n] end
        local ok = #name_toks >= 1 and #name_toks <= 4
        for _, w in ipairs(name_toks) do
          if w ~= "von" and w ~= "der" and w ~= "de" and w ~= "van" and w ~= "al"
              and blocked(w) then ok = false end
          if w == "of" or w == "for" or w == "and" or w == "the" then ok = false end
        end
        if ok then
          local first, last = name_toks[1], name_toks[#name_toks]
          local cue_after = text:sub(j + 1, j + 40):match("^%s+(%l+)")
          local evidence = title_seen ~= nil or given[first]
            or (#name_toks >= 2 and surname_shape(last))
            or (#name_toks >= 2 and cue_after and verbs[cue_after])
            or (#name_toks >= 2 and role_after(text:sub(j + 1, j + 120)))
          if #name_toks == 1 then evidence = "single" end
          if evidence then
            found[#found + 1] = {kind = "person", i = ti, j = j, line = line,
              name = table.concat(name_toks, " "), single = #name_toks == 1,
              title = title_seen, mr = title_seen and title_seen:match("^M[rs]s?%.$")}
          end
        end
      end
    end
  end

  -- 3. places from cues: "the X district", "the city of X", "in X, Country".
  local pc = {}
  for k in pairs(placecue) do pc[#pc + 1] = regex_escape(k) end
  if #pc > 0 then
    local alt = table.concat(pc, "|")
    -- "the " is matched and dropped with \K, not looked behind for: a literal
    -- start lets PCRE2 skip ahead instead of trying every position
    for m in doc:gmatch("\\bthe \\K\\p{Lu}[\\p{L}\\-]+(?= (?:" .. alt .. ")\\b)") do
      if inscope(m.i, m.j) and not is_claimed(m.i, m.j) and not blocked(m.text) then
        found[#found + 1] = {kind = "place", i = m.i, j = m.j, line = m.line, name = m.text}
      end
    end
    for m in doc:gmatch("\\b(?:" .. alt .. ") of \\K\\p{Lu}[\\p{L}\\-]+(?![\\p{L}’'])") do
      if inscope(m.i, m.j) and not is_claimed(m.i, m.j) and not blocked(m.text) then
        found[#found + 1] = {kind = "place", i = m.i, j = m.j, line = m.line, name = m.text}
      end
    end
  end

  -- 4. later bare mentions of acronyms defined in the text.
  local acrs = {}
  for a in pairs(acronyms) do acrs[#acrs + 1] = regex_escape(a) end
  if #acrs > 0 then
    for m in doc:gmatch("(?<![\\p{L}\\p{N}(])(?:" .. table.concat(acrs, "|") .. ")(?![\\p{L}\\p{N})])") do
      if inscope(m.i, m.j) and not is_claimed(m.i, m.j) then
        found[#found + 1] = {kind = "org", i = m.i, j = m.j, line = m.line,
          name = acronyms[m.text], acronym = m.text}
      end
    end
  end

  -- 5. order, drop overlaps (earliest, then longest wins), link persons.
  -- table.sort is not stable (and picks random pivots): candidates with the
  -- same span keep the order they were found in, so output is deterministic
  for k, f in ipairs(found) do f.seq = k end
  local function before(a, b)
    if a.i ~= b.i then return a.i < b.i end
    if a.j ~= b.j then return a.j > b.j end
    return a.seq < b.seq
  end
  -- candidates mostly come in document order already (one regex pass
  -- each): a linear check spares the comparator sort on big documents
  local sorted = true
  for k = 2, #found do
    if before(found[k], found[k - 1]) then sorted = false; break end
  end
  if not sorted then table.sort(found, before) end
  local out = {}
  local last_j = 0
  local full_by_surname = {}   -- surname -> {name -> position of last mention}
  local person_names = {}
  local roles = {}
  for _, f in ipairs(found) do
    if f.i > last_j then
      -- a candidate that yields no record (a lone capitalised word that
      -- links to no person) leaves its span to the others: "the ECO" is a
      -- person-shaped single word and an acronym mention at once
      local emitted = #out
      if f.kind == "person" then
        local name = f.name
        -- a name without white space is one word: no table needed
        local words_n = find(name, "%s") and split_words(name)
        local surname = words_n and words_n[#words_n] or name
        if not words_n or #words_n == 1 then
          -- link a bare surname to the most recent earlier full name with it
          local cands = full_by_surname[surname]
          local best, bestpos
          if cands then
            for full, pos in pairs(cands) do
              if not bestpos or pos > bestpos then best, bestpos = full, pos end
            end
          end
          if best then
            name = best
          elseif f.gaz then
            -- keep the gazetteer's canonical name
          elseif f.title and not f.mr then
            -- "President Putin" with no full name: keep the surname
          elseif f.mr or person_names[name] then
            -- "Mr. X" is a person even unlinked
          else
            name = nil        -- a lone capitalised word is not a person
          end
        end
        if name then
          local nw = find(name, "%s") and split_words(name)
          local sn = nw and nw[#nw] or name
          if nw and #nw >= 2 then
            full_by_surname[sn] = full_by_surname[sn] or {}
            full_by_surname[sn][name] = f.i
          end
          person_names[name] = true
          -- a bounded window: one huge line must not make this quadratic
          local lstart = math.max(doc:line_span(f.line), f.i - 200)
          local role = role_before(text:sub(lstart, f.i - 1))
            or role_after(text:sub(f.j + 1, f.j + 160))
          if role then roles[name] = roles[name] or role end
          out[#out + 1] = {kind = "person", text = sub(doc, f.i, f.j), i = f.i, j = f.j,
            line = f.line, name = name, role = role or roles[name], title = f.title}
        end
      elseif f.kind == "org" then
        local acr = f.acronym
          or text:sub(f.j + 1, f.j + 14):match("^%s*%((%u[%u%d&]+)%)")
        out[#out + 1] = {kind = "org", text = sub(doc, f.i, f.j), i = f.i, j = f.j,
          line = f.line, name = f.name, acronym = acr}
      else
        out[#out + 1] = {kind = "place", text = sub(doc, f.i, f.j), i = f.i, j = f.j,
          line = f.line, name = f.name}
      end
      if #out > emitted then last_j = f.j end
    end
  end
  return out
end

--- The records of `doc`, shared with the other extractors (read-only):
-- computed once per document and scope (see lode.extract.shared).
function M.shared(doc, opts)
  opts = opts or {}
  if opts.gazetteer ~= nil then return compute(doc, opts) end
  local key = opts.body == false and "entities/page"
    or "entities/body/" .. tostring(opts.model or "")   -- a cleaner model changes the body
  return extract.shared(doc, key, function(d) return compute(d, opts) end)
end

function M.extract(doc, opts)
  return extract.copy(M.shared(doc, opts))
end

return setmetatable(M, {__call = function(_, doc, opts) return M.extract(doc, opts) end})
