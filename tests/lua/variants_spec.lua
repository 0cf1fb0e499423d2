local lode = require "lode"
local variants = require "lode.variants"
local root = os.getenv("LODE_SOURCE_DIR") or "."
describe("lode.variants", function()
  it("clusters transliteration variants in the corpus", function()
    local paths = {}
    for _, b in ipairs{"000_22d4f11e9d4f7577", "001_6d5d41b893ce7abd", "002_3ee2e9b4ed3af45a",
        "003_4e4d8b7c50d3a502", "004_14209ef97e7b3a33"} do paths[#paths + 1] = root .. "/corpus/" .. b .. ".txt" end
    local c = variants.clusters(paths)
    local tsv = variants.tsv(c)
    assert.matches("Nakhichevan\tNakhchivan\t", tsv, 1, true)
    assert.matches("Zangezour\tZangezur\t", tsv, 1, true)
  end)
  it("keys: variants agree, unrelated names do not", function()
    assert.equal(variants.key("Shusha"), variants.key("Shushi"))
    assert.equal(variants.key("Pashinyan"), variants.key("Pashinian"))
    assert.equal(variants.key("Kelbajar"), variants.key("Kalbajar"))
    assert.are_not.equal(variants.key("Azerbaijan"), variants.key("Azerbaijani"))
    assert.are_not.equal(variants.key("Pashinyan"), variants.key("Paylan"))
    local d = lode.from_string("Goris Gorus Goris Stepanakert Khankendi", {name = "s"})
    local c = variants.clusters({d})
    assert.equal(1, #c)
    assert.equal("Goris", variants.canonical(c[1]))
  end)
end)
