-- Specs for doc:front_matter() (lua/lfrontmatter.c over core/frontmatter.c):
-- the block's range and lines, each field's value and the span that holds
-- it in the document, and what malformed or absent front matter gives.
local lode = require "lode"

local SRC = os.getenv("LODE_SOURCE_DIR") or "."
local PAGES = SRC .. "/tests/fixtures/pages/"

local function load(name)
  return assert(lode.load(PAGES .. name))
end

-- Every field: its span lies in the block, its line is the span's line,
-- and a value written without quotes, escapes or line breaks is exactly
-- doc:sub of its span (lists: each item).
local function check_spans(doc, fm)
  local function check(v, span)
    assert.is_true(span.i >= fm.i and span.j <= fm.j and span.i <= span.j + 1)
    assert.equals(doc:line_of(span.i), span.line)
    local text = doc:sub(span.i, span.j)
    if not text:find("[\\'\"\r\n]") and not v:find("\n") then
      assert.equals(v, text)
    end
  end
  for _, key in ipairs(fm.keys) do
    local f = fm.fields[key]
    if f.items then
      assert.equals(#f.value, #f.items)
      for k, item in ipairs(f.items) do
        assert.equals(f.value[k], item.value)
        check(item.value, item)
      end
    else
      check(f.value, f)
    end
  end
end

describe("doc:front_matter", function()
  it("reads a Jekyll post: keys in order, values and their spans", function()
    local doc = load("jekyll_post.md")
    local fm = doc:front_matter()
    assert.equals("yaml", fm.format)
    assert.is_nil(fm.error)
    assert.equals(1, fm.i)
    assert.equals(1, fm.line_first)
    assert.equals(17, fm.line_last)
    assert.equals("---", doc:sub(fm.j - 2, fm.j))
    assert.equals("\nThe first ferry", doc:sub(fm.body, fm.body + 15))
    assert.same({"layout", "title", "date", "author", "categories", "tags", "excerpt",
                 "image.path", "image.alt", "comments"}, fm.keys)
    local f = fm.fields
    assert.equals('Ferry service to the island resumes after "two long winters"', f.title.value)
    assert.equals('Ferry service to the island resumes after \\"two long winters\\"', doc:sub(f.title))
    assert.equals(3, f.title.line)
    assert.equals("2023-04-12 08:15:00 +0200", doc:sub(f.date.i, f.date.j))
    assert.equals("Mariam Hovhannisyan", f.author.value)
    assert.same({"Transport", "Regional"}, f.categories.value)
    assert.equals("[Transport, Regional]", doc:sub(f.categories))
    assert.same({"ferries", "winter storms"}, f.tags.value)
    assert.equals("winter storms", doc:sub(f.tags.items[2]))
    assert.equals(9, f.tags.items[2].line)
    assert.equals("The harbour authority said the first crossing would leave at dawn, weather permitting.",
                  f.excerpt.value)
    assert.equals("/assets/img/ferry.jpg", f["image.path"].value)
    assert.equals("false", f.comments.value)
    check_spans(doc, fm)
  end)

  it("reads a Hugo post in TOML: strings, dates, arrays, tables", function()
    local doc = load("hugo_post.md")
    local fm = doc:front_matter()
    assert.equals("toml", fm.format)
    assert.is_nil(fm.error)
    assert.equals("+++", doc:sub(fm.i, fm.i + 2))
    assert.equals(24, fm.line_last)
    assert.same({"title", "date", "lastmod", "draft", "weight", "authors", "tags", "description",
                 "dotted.key", "image.src", "params.series", "params.location.city",
                 "params.location.region"}, fm.keys)
    local f = fm.fields
    assert.equals('Mountain pass reopens after "record" snowfall', f.title.value)
    assert.equals("2024-01-18T06:45:00+04:00", f.date.value)
    assert.equals("false", f.draft.value)
    assert.same({"Gayane Melkonyan", "Tural Aliyev"}, f.authors.value)
    assert.equals("Tural Aliyev", doc:sub(f.authors.items[2]))
    assert.same({"roads", "weather"}, f.tags.value)
    assert.equals(10, f.tags.items[2].line)
    assert.equals("A single-lane road, closed since December,\nis open again.", f.description.value)
    assert.equals("Winter roads", f["params.series"].value)
    assert.equals("Goris", doc:sub(f["params.location.city"]))
    assert.is_nil(f["resources.src"])
    check_spans(doc, fm)
  end)

  it("names the line and byte of bad TOML", function()
    local fm = lode.from_string("+++\ntitle = \"ok\"\ndate = someday\n+++\nBody\n", {name = "p.md"})
                   :front_matter()
    assert.equals("toml", fm.format)
    assert.equals("p.md:3: bad TOML front matter: bare word 'someday' (strings need quotes) at byte 24",
                  fm.error)
    assert.equals("ok", fm.fields.title.value)
  end)

  it("reads CRLF lines and a byte-order mark", function()
    local doc = load("crlf_post.md")
    local fm = doc:front_matter()
    assert.equals("Night trains return", fm.fields.title.value)
    assert.equals("2022-11-03T21:40:00-05:00", doc:sub(fm.fields.date))
    assert.same({"Levon Sargsyan", "Aysel Karimova"}, fm.fields.authors.value)
    assert.equals(5, fm.line_last)
    check_spans(doc, fm)
    doc = load("bom_post.md")
    fm = doc:front_matter()
    assert.equals(1, fm.i)  -- the Doc's text has no BOM
    assert.equals("A page with a byte-order mark", doc:sub(fm.fields.title))
  end)

  it("gives nil without front matter, and a warning for an unclosed fence", function()
    assert.is_nil(lode.from_string("Just a paragraph.\n"):front_matter())
    assert.is_nil(lode.from_string(""):front_matter())
    assert.is_nil(load("rule_first.md"):front_matter())
    assert.is_nil(lode.from_string("-- -\ntitle: x\n-- -\n"):front_matter())
    -- (blank lines before the fence do not hide it from the first check)
    assert.equals("x", lode.from_string("\n \n---\ntitle: x\n---\nBody\n"):front_matter()
      .fields.title.value)
    local fm, warning = load("unclosed.md"):front_matter()
    assert.is_nil(fm)
    assert.matches("unclosed%.md:1: front matter fence at byte 0 is never closed", warning)
  end)

  it("keeps the block of malformed YAML and names line and byte", function()
    local doc = load("bad_yaml.md")
    local fm = doc:front_matter()
    assert.equals("yaml", fm.format)
    assert.equals(4, fm.line_last)
    assert.matches("bad_yaml%.md:%d+: bad YAML front matter: .* at byte %d+", fm.error)
    assert.equals("Body of", doc:sub(fm.body, fm.body + 6))
  end)

  it("keeps the last value of a repeated key, listed once", function()
    local fm = lode.from_string("---\ntitle: first\nx: 1\ntitle: second\n---\n"):front_matter()
    assert.same({"title", "x"}, fm.keys)
    assert.equals("second", fm.fields.title.value)
    assert.equals(4, fm.fields.title.line)
  end)

  it("computes once per Doc", function()
    local doc = load("jekyll_post.md")
    assert.equals(doc:front_matter(), doc:front_matter())
    local plain = lode.from_string("no front matter")
    assert.is_nil(plain:front_matter())
    assert.is_nil(plain:front_matter())
    local _, w1 = load("unclosed.md"):front_matter()
    assert.is_string(w1)
  end)

  it("reads lists written without indentation and empty values", function()
    local doc = lode.from_string("---\ntags:\n- one\n- two\nempty:\nquoted: ''\n---\n")
    local fm = doc:front_matter()
    assert.same({"one", "two"}, fm.fields.tags.value)
    assert.equals("- one\n- two", doc:sub(fm.fields.tags))
    assert.equals("", fm.fields.empty.value)
    assert.equals("", doc:sub(fm.fields.empty))
    assert.equals(5, fm.fields.empty.line)
    assert.equals("", fm.fields.quoted.value)
  end)

  it("never fails on junk inside or around a block", function()
    local alphabet = {"a", "b", ":", " ", "\n", "\r\n", "-", "[", "]", "{", "}", '"', "'", "\\",
                      "#", "|", ">", "&", "*", "!", ",", "=", "+++", "---", "\t", "\xC3\xA9", "\xFF"}
    local rng, blocks = 16, 0
    for round = 1, 300 do
      -- a first key, so that the block is taken for front matter, then junk
      local parts = {round % 2 == 0 and "---\nk: v\n" or "+++\nk = 1\n"}
      for _ = 1, round % 60 do
        rng = (rng * 1103515245 + 12345) % 2147483648
        parts[#parts + 1] = alphabet[rng % #alphabet + 1]
      end
      parts[#parts + 1] = round % 3 == 0 and "" or (round % 2 == 0 and "\n---\nbody" or "\n+++\nbody")
      local doc = lode.from_string(table.concat(parts), {invalid = "replace"})
      local ok, fm, warning = pcall(doc.front_matter, doc)
      assert.is_true(ok, fm)
      if fm then
        assert.is_true(fm.i >= 1 and fm.j <= #doc and fm.body <= #doc + 1)
        check_spans(doc, fm)
        blocks = blocks + 1
      else
        assert.is_string(warning)  -- only unclosed blocks here
      end
    end
    assert.is_true(blocks > 150)
  end)

  it("reads a 10 MB block", function()
    local parts = {"---\n"}
    for k = 1, 360000 do parts[#parts + 1] = ("key%d: value number %d\n"):format(k, k) end
    parts[#parts + 1] = "title: last\n---\nbody\n"
    local s = table.concat(parts)
    assert.is_true(#s > 10e6)
    local fm = lode.from_string(s):front_matter()
    assert.equals(360001, #fm.keys)
    assert.equals("last", fm.fields.title.value)
    assert.equals("value number 123456", fm.fields.key123456.value)
  end)
end)
