#!/usr/bin/env python3
"""perdoc_bench.py -- the extraction job's CPU per document, lode against
its Python peer, start-up left out (run by hand, not by ctest).

    python3 tests/bench/perdoc_bench.py [--lode build/bin/lode] [--rounds 5] DIR...

batch_bench.py times whole runs over generated articles (windows of the
corpus articles). This one answers how the two compare on the pages an
analyst has, a few dozen real pages being enough: for each DIR (default
corpus/), one pass of scripts/jobs/extract.lua's work (tests/bench/perdoc.lua:
load, lode.extract.all, a JSON line a record) against one pass of
peer_extract.extract over the same files, both after a first document has
loaded their modules, rounds taking turns. Prints the CPU medians and
their ratio. Real pages may be read from where they are kept
(e.g. ../shared/eval/dev/texts); nothing is copied.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import peer_extract  # noqa: E402


def lode_pass(lode, d):
    out = subprocess.run([lode, "run", os.path.join(HERE, "perdoc.lua"), d],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1])


def peer_pass(paths):
    t = time.process_time()
    for p in paths:
        peer_extract.extract(p)
    return time.process_time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lode", default=os.path.join(ROOT, "build", "bin", "lode"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("dirs", nargs="*", default=[os.path.join(ROOT, "corpus")])
    a = ap.parse_args()
    print("%-40s %5s %8s %10s %10s %7s" % ("dir", "docs", "MB", "lode s", "peer s", "ratio"))
    for d in a.dirs:
        paths = list(peer_extract.expand([d]))
        peer_extract.extract(paths[0])           # the peer's gazetteer, loaded once
        mb = sum(os.path.getsize(p) for p in paths) / 1e6
        lode_t, peer_t, n = [], [], 0
        for _ in range(a.rounds):
            n, t = lode_pass(a.lode, d)
            lode_t.append(t)
            peer_t.append(peer_pass(paths))
        if n != len(paths):
            sys.exit("perdoc_bench: lode read %d documents of %s, the peer %d" % (n, d, len(paths)))
        lm, pm = statistics.median(lode_t), statistics.median(peer_t)
        print("%-40s %5d %8.2f %10.3f %10.3f %6.1fx" % (os.path.relpath(d, ROOT)[-40:], n, mb, lm, pm, pm / lm))


if __name__ == "__main__":
    main()
