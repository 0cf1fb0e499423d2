#!/usr/bin/env python3
"""Front matter benchmark (issue 16): doc:front_matter() against the Python
stdlib splitting the same pages, in one run, on the same generated pages.

usage: tests/bench/frontmatter_bench.py [--lode build/bin/lode] [--pages 3000] [--runs 5]

Pages (tests/bench/data/fm-pages/, git-ignored, deterministic): an article
of corpus/ as the body under generated front matter -- 45% Jekyll-style
YAML (quoted title, date with zone, author, lists in both styles, a nested
image map, a folded excerpt), 35% Hugo-style TOML (dates, arrays over
lines, a [params] table, an inline table), 10% long YAML infoboxes (lists
of maps, block scalars), 10% none. Each side runs --runs times, taking
turns; the medians of the CPU time each reports for the front matter work
alone (files read and decoded beforehand) give MB/s over all page bytes.
The lode side splits and reads every block (YAML and TOML); the Python side
only splits (a regex, as python-frontmatter does), then also reads the
TOML blocks with tomllib (no YAML reader in the stdlib).
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def words(rng, pool, n):
    return " ".join(rng.choice(pool) for _ in range(n))


def yq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def jekyll(rng, pool, k):
    return ("---\nlayout: post\ntitle: %s\ndate: 20%02d-%02d-%02d %02d:%02d:00 +0%d00\n"
            "author: %s\ncategories: [%s, %s]\ntags:\n  - %s\n  - '%s'\n"
            "image:\n  path: /assets/img/%05d.jpg\n  alt: %s\n"
            "excerpt: >-\n  %s\n  %s\ncomments: true\n---\n" % (
                yq(words(rng, pool, 9) + ' "quoted"'), rng.randint(10, 24), rng.randint(1, 12),
                rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 9),
                words(rng, pool, 2), rng.choice(pool), rng.choice(pool), rng.choice(pool),
                rng.choice(pool), k, words(rng, pool, 5), words(rng, pool, 12), words(rng, pool, 10)))


def hugo(rng, pool, k):
    return ('+++\ntitle = "%s"\ndate = 20%02d-%02d-%02dT%02d:%02d:00+04:00\ndraft = false\n'
            'authors = ["%s", \'%s\']\ntags = [\n  "%s",  # main\n  "%s",\n]\n'
            'description = """\n%s\n%s"""\nweight = %d\n\n[params]\nseries = "%s"\n'
            'place = { city = "%s", region = "%s" }\n+++\n' % (
                words(rng, pool, 8).replace('"', ""), rng.randint(10, 24), rng.randint(1, 12),
                rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
                words(rng, pool, 2).replace('"', ""), words(rng, pool, 2).replace("'", ""),
                rng.choice(pool).replace('"', ""), rng.choice(pool).replace('"', ""),
                words(rng, pool, 12).replace('"', ""), words(rng, pool, 9).replace('"', ""),
                k, words(rng, pool, 3).replace('"', ""), rng.choice(pool).replace('"', ""),
                rng.choice(pool).replace('"', "")))


def infobox(rng, pool, k):
    rows = []
    for r in range(30):
        rows.append("  - field%d:\n      text: %s\n      links:\n        - page: %s\n"
                    "          type: internal\n    note: |-\n      %s\n      %s\n" % (
                        r, yq(words(rng, pool, 6)), yq(words(rng, pool, 2)),
                        words(rng, pool, 10), words(rng, pool, 8)))
    return "---\ninfoboxes:\n%stitle: %s\nauthor: Wiki editors\n---\n" % ("".join(rows),
                                                                         yq(words(rng, pool, 4)))


def generate(out, pages):
    if os.path.isdir(out) and len(os.listdir(out)) == pages:
        return
    os.makedirs(out, exist_ok=True)
    bodies = []
    for name in sorted(os.listdir(os.path.join(ROOT, "corpus"))):
        with open(os.path.join(ROOT, "corpus", name), encoding="utf-8") as f:
            bodies.append(f.read())
    pool = [w for w in re.findall(r"[^\s\\]+", " ".join(bodies)) if w.isalpha()]
    rng = random.Random(16)
    for k in range(pages):
        x = rng.random()
        fm = (jekyll if x < 0.45 else hugo if x < 0.80 else infobox if x < 0.90 else None)
        head = fm(rng, pool, k) if fm else ""
        with open(os.path.join(out, "%05d.md" % k), "w", encoding="utf-8") as f:
            f.write(head + "\n" + bodies[k % len(bodies)])


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    stats = dict(kv.split("=") for kv in p.stderr.split("bench:")[-1].split())
    return p.stdout.split(), {k: float(v) for k, v in stats.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lode", default=os.path.join(ROOT, "build", "bin", "lode"))
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    out = os.path.join(HERE, "data", "fm-pages")
    generate(out, a.pages)
    lode_cmd = [a.lode, "run", os.path.join(HERE, "frontmatter.lua"), out]
    peer_cmd = [sys.executable, os.path.join(HERE, "peer_frontmatter.py"), out]
    lode_t, split_t, toml_t = [], [], []
    for _ in range(a.runs):
        lode_out, s = run(lode_cmd)
        lode_t.append(s["frontmatter"])
        nbytes = s["bytes"]
        peer_out, s = run(peer_cmd)
        split_t.append(s["split"])
        toml_t.append(s["toml"])
    if lode_out[:4] != peer_out[:4]:
        sys.exit("lode and the peer disagree on the blocks: %s vs %s" % (lode_out, peer_out))
    mb = nbytes / 1e6
    lt, st, tt = statistics.median(lode_t), statistics.median(split_t), statistics.median(toml_t)
    print("%d pages, %.1f MB: %s YAML, %s TOML, %s without front matter; lode read %s fields"
          % (int(lode_out[0]), mb, lode_out[1], lode_out[2], lode_out[3], lode_out[4]))
    print("%-44s %8s %8s %8s" % ("median of %d runs (CPU s)" % a.runs, "s", "MB/s", "x lode"))
    print("%-44s %8.3f %8.0f %8s" % ("lode doc:front_matter() (split + read all)", lt, mb / lt, "1.00"))
    print("%-44s %8.3f %8.0f %8.2f" % ("python re split only", st, mb / st, st / lt))
    print("%-44s %8.3f %8.0f %8.2f" % ("python re split + tomllib (TOML)", tt, mb / tt, tt / lt))


main()
