#!/usr/bin/env python3
"""peer_frontmatter.py DIR: the Python-stdlib way to split front matter, on
every page of DIR: decode, match the opening fence and find the closing one
with a regular expression (as python-frontmatter does), then read TOML
blocks with tomllib (the stdlib has no YAML reader, so YAML blocks are only
split). Prints the pages, blocks by format and TOML keys read; the split
alone and split + tomllib (CPU time) go to stderr as
"bench: split=S toml=S bytes=N"."""
import os
import re
import sys
import time
import tomllib

FENCE = re.compile(r"\A\ufeff?(?:[ \t]*\r?\n)*(---|\+\+\+)[ \t]*\r?\n")
CLOSE = {"---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M),
         "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.M)}


def split(text):
    m = FENCE.match(text)
    if not m:
        return None, None
    c = CLOSE[m.group(1)].search(text, m.end())
    if not c:
        return None, None
    return m.group(1), text[m.end():c.start()]


def main():
    d = sys.argv[1]
    texts = []
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            texts.append(f.read().decode("utf-8"))
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    counts = {"---": 0, "+++": 0, None: 0}
    blocks = []
    t0 = time.process_time()
    for t in texts:
        fence, inner = split(t)
        counts[fence] += 1
        blocks.append((fence, inner))
    t1 = time.process_time()
    keys = 0
    for fence, inner in blocks:
        if fence == "+++":
            keys += len(tomllib.loads(inner))
    t2 = time.process_time()
    print(len(texts), counts["---"], counts["+++"], counts[None], keys)
    sys.stderr.write("bench: split=%.4f toml=%.4f bytes=%d\n" % (t1 - t0, t2 - t0, nbytes))


main()
