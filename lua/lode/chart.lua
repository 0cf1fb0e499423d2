--- lode.chart: small charts as inline SVG strings, for a page that stays
-- one file: no script, no font, nothing loaded. Every text goes through
-- lode.out.html_escape; a mark with an href is a link (to a cited line);
-- every mark has a <title>, its full text on hover, and long labels are
-- clipped on screen only. Sizes are in viewBox units (the page scales them
-- to its width).
--
-- chart.timeline(points, lanes [, opts])  a time axis, a lane per name of
--   `lanes`; points {t0 = decimal year, t1 = end (a range when > t0),
--   lane = index, label, href}
-- chart.matrix(labels, value [, opts])  a square matrix of labels
--   {text, href}: cell (x, y) shows value(x, y), shaded by it
-- chart.bars(groups [, opts])  horizontal bars in titled groups:
--   {title, bars = {{label, value, note}}}
-- opts.title: the chart's caption (and accessible name).

local out = require "lode.out"
local excerpt = require("lode.summary").excerpt

local ipairs, math, string, table = ipairs, math, string, table
local format, concat, floor = string.format, table.concat, math.floor
local esc = out.html_escape

local M = {}
M.WIDTH = 960
M.LABEL = 170          -- room for labels left of the plot
M.CLIP = 26            -- bytes of a label shown (the rest is in its title)
M.COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
             "#e377c2"}

local function colour(k) return M.COLOURS[(k - 1) % #M.COLOURS + 1] end

local function svg(w, h, title, body)
  return format('<svg viewBox="0 0 %d %d" style="max-width:%dpx" role="img" aria-label="%s">',
                w, h, w, esc(title)) ..
         "<title>" .. esc(title) .. "</title>" .. concat(body) .. "</svg>"
end

local function text(x, y, s, attrs)
  return format('<text x="%.1f" y="%.1f"%s>%s</text>', x, y, attrs or "", esc(s))
end

-- A label clipped on screen, whole in its <title>, a link when it has href.
local function label(x, y, s, href, attrs)
  local shown = #s > M.CLIP and excerpt(s, M.CLIP) or s
  local t = format('<text x="%.1f" y="%.1f"%s><title>%s</title>%s</text>', x, y, attrs or "",
                   esc(s), esc(shown))
  if href then return '<a href="' .. esc(href) .. '">' .. t .. "</a>" end
  return t
end

local function mark(shape, title, href)
  local tag = shape:match("^<(%w+)")
  local m = shape:gsub("/>$", ">") .. "<title>" .. esc(title) .. "</title></" .. tag .. ">"
  if href then return '<a href="' .. esc(href) .. '">' .. m .. "</a>" end
  return m
end

local function empty(title)
  return svg(M.WIDTH, 40, title, {text(10, 25, "Nothing to show.")})
end

-- ============================================================ timeline ===

local STEPS = {1 / 12, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

local function tick_label(t, step)
  if step >= 1 then return format("%d", floor(t + 0.5)) end
  local y = floor(t + 1e-9)
  return format("%d-%02d", y, floor((t - y) * 12 + 0.5) + 1)
end

-- The lanes and points of [lo, hi] from height y; returns the height used.
local function time_panel(body, y, lo, hi, points, lanes, caption)
  local pad = (hi - lo) * 0.02
  lo, hi = lo - pad, hi + pad
  local step = STEPS[#STEPS]
  for _, s in ipairs(STEPS) do if (hi - lo) / s <= 8 then step = s; break end end
  local W, L, R, LANE = M.WIDTH, M.LABEL, 20, 30
  local function x(t) return L + (t - lo) / (hi - lo) * (W - L - R) end
  local top = y
  if caption then body[#body + 1] = text(L, y + 14, caption, ' style="fill:#555"'); top = y + 22 end
  for k, name in ipairs(lanes) do
    local ly = top + LANE * (k - 1)
    if k % 2 == 1 then
      body[#body + 1] = format('<rect x="%d" y="%d" width="%d" height="%d" fill="#f6f6f6"/>',
                               L, ly, W - L - R, LANE)
    end
    body[#body + 1] = label(L - 6, ly + LANE / 2 + 4, name, nil, ' text-anchor="end"')
  end
  local axis = top + LANE * #lanes
  body[#body + 1] = format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>', L, axis, W - R, axis)
  local t = math.ceil(lo / step) * step
  while t <= hi do
    body[#body + 1] = format('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>',
                             x(t), top, x(t), axis + 4)
    body[#body + 1] = text(x(t), axis + 18, tick_label(t, step), ' text-anchor="middle"')
    t = t + step
  end
  for k, p in ipairs(points) do
    local t0, t1 = math.max(p.t0, lo), math.min(p.t1 or p.t0, hi)
    if t1 >= t0 then
      local py = top + LANE * (p.lane - 1) + LANE / 2 + ((k % 3) - 1) * 6
      local c = colour(p.lane)
      if x(t1) - x(t0) > 2 then
        body[#body + 1] = mark(format('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" ' ..
          'stroke-width="3" stroke-opacity=".45"/>', x(t0), py, x(t1), py, c), p.label, p.href)
      end
      body[#body + 1] = mark(format('<circle cx="%.1f" cy="%.1f" r="4" fill="%s" fill-opacity=".8"/>',
                                    x(t0), py, c), p.label, p.href)
    end
  end
  return axis + 30 - y
end

--- Points on a time axis, a lane each name (see the header). When most
-- points crowd a small part of the span (a few old dates in a story of
-- recent years), a second panel shows that part.
function M.timeline(points, lanes, opts)
  local title = (opts and opts.title) or "Timeline"
  if #points == 0 then return empty(title) end
  local starts = {}
  local lo, hi = math.huge, -math.huge
  for k, p in ipairs(points) do
    lo, hi = math.min(lo, p.t0), math.max(hi, p.t1 or p.t0)
    starts[k] = p.t0
  end
  if hi - lo < 1 / 12 then lo, hi = lo - 0.5, hi + 0.5 end
  local body = {}
  local h = time_panel(body, 4, lo, hi, points, lanes)
  table.sort(starts)
  local from = starts[floor(#starts * 0.2) + 1]        -- the latest 80 %
  if hi - from < (hi - lo) / 4 then
    h = h + time_panel(body, 4 + h, from, hi, points, lanes,
                       format("Detail from %d (the latest 80%% of the dates)", floor(from)))
  end
  return svg(M.WIDTH, h + 8, title, body)
end

-- ============================================================== matrix ===

--- A matrix of labels, each cell value(x, y) (see the header).
function M.matrix(labels, value, opts)
  local title = (opts and opts.title) or "Matrix"
  local n = #labels
  if n == 0 then return empty(title) end
  local C, L, T = 36, M.LABEL, 130
  local W, H = L + C * n + T, T + C * n + 10     -- room for the slanted labels
  local body, max = {}, 0
  local v = {}
  for a = 1, n do
    v[a] = {}
    for b = 1, n do v[a][b] = value(a, b); max = math.max(max, v[a][b]) end
  end
  for k, l in ipairs(labels) do
    body[#body + 1] = label(L - 6, T + C * (k - 1) + C / 2 + 4, l.text, l.href, ' text-anchor="end"')
    local cx = L + C * (k - 1) + C / 2
    body[#body + 1] = label(cx, T - 6, l.text, l.href,
                            format(' transform="rotate(-45 %.1f %d)"', cx, T - 6))
  end
  for a = 1, n do
    for b = 1, n do
      local x, y = L + C * (b - 1), T + C * (a - 1)
      local shade = max > 0 and v[a][b] / max or 0
      body[#body + 1] = mark(format('<rect x="%d" y="%d" width="%d" height="%d" fill="#1f77b4" ' ..
        'fill-opacity="%.2f" stroke="%s"/>', x, y, C, C, shade * 0.85, a == b and "#888" or "#eee"),
        format("%s and %s: %d", labels[a].text, labels[b].text, v[a][b]))
      body[#body + 1] = text(x + C / 2, y + C / 2 + 4, format("%d", v[a][b]),
        format(' text-anchor="middle"%s', shade > 0.55 and ' style="fill:#fff"' or ""))
    end
  end
  return svg(W, H, title, body)
end

-- ================================================================ bars ===

--- Horizontal bars in titled groups (see the header).
function M.bars(groups, opts)
  local title = (opts and opts.title) or "Bars"
  local max = 0
  for _, g in ipairs(groups) do
    for _, b in ipairs(g.bars) do max = math.max(max, b.value) end
  end
  if max <= 0 then return empty(title) end
  local W, L, R, BAR, GAP, HEAD = M.WIDTH, M.LABEL, 60, 16, 4, 24
  local body, y = {}, 4
  for k, g in ipairs(groups) do
    body[#body + 1] = label(4, y + 16, g.title, nil, ' style="font-weight:600"')
    y = y + HEAD
    if #g.bars == 0 then
      body[#body + 1] = text(L, y + 12, "no distinctive word", ' style="fill:#777"')
      y = y + BAR + GAP
    end
    for _, b in ipairs(g.bars) do
      local w = (W - L - R) * b.value / max
      body[#body + 1] = label(L - 6, y + BAR - 4, b.label, nil, ' text-anchor="end"')
      body[#body + 1] = mark(format('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>',
                                    L, y, w, BAR, colour(k)), b.note or b.label)
      body[#body + 1] = text(L + w + 4, y + BAR - 4, format("%.1f", b.value))
      y = y + BAR + GAP
    end
    y = y + 6
  end
  return svg(W, y, title, body)
end

return M
