#!/usr/bin/env python3
"""batch_bench.py -- how `lode batch` scales (run by hand, not by ctest).

    python3 tests/bench/batch_bench.py [--lode build/bin/lode] [--docs 20000]
        [--small 2000] [--skip-python] [--skip-j1]

The job is the extraction analysts run, scripts/jobs/extract.lua
(lode.extract.all on every document: meta, dates, quantities, quotes,
entities; one JSON line a record), next to its Python-stdlib equivalent
tests/bench/peer_extract.py run with multiprocessing on the same cores.

1. Generates --docs articles (deterministic: windows of the corpus articles
   with their years, numbers and a few names varied, a header line of their
   own) into tests/bench/data/docs-N/ (git-ignored), and --small of them.
2. lode batch -j1 and -j2 over --docs documents: the speed-up
   (target >= 1.8x).
3. Peak RSS (/usr/bin/time -v "Maximum resident set size") with -j2 over
   --small vs --docs documents (target: within 20%, under 200 MB).
4. peer_extract.py -j 2 over the same --docs documents: the ratio of wall
   times (target >= 10x).

Times are wall-clock; user+sys CPU seconds are printed too, since a shared
machine makes wall time noisy.
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NAMES = [("Pashinyan", "Pashinian"), ("Aliyev", "Aliev"), ("Karabakh", "Karabagh"),
         ("Stepanakert", "Khankendi"), ("Shusha", "Shushi"), ("Lachin", "Lachyn")]


def generate(n, outdir):
    """Write n articles under outdir/NNN/ (1,000 a directory); idempotent."""
    stamp = os.path.join(outdir, ".complete")
    if os.path.exists(stamp):
        return
    corpus = sorted(os.path.join(ROOT, "corpus", f) for f in os.listdir(os.path.join(ROOT, "corpus"))
                    if f.endswith(".txt"))
    arts = [open(p, encoding="utf-8").read().split("\n") for p in corpus]
    year = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
    num = re.compile(r"\b(\d{2,6})\b")
    for k in range(n):
        lines = arts[k % len(arts)]
        length = 20 + (k * 7) % 50
        start = (k * 13) % max(1, len(lines) - length)
        body = "\n".join(lines[start:start + length])
        body = year.sub(lambda m: str(int(m.group(1)) - k % 5), body)
        body = num.sub(lambda m: str(int(m.group(1)) + k % 11) if len(m.group(1)) != 4 else m.group(1), body)
        a, b = NAMES[k % len(NAMES)]
        if k % 2:
            body = body.replace(a, b)
        d = os.path.join(outdir, "%03d" % (k // 1000))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "a%06d.txt" % k), "w", encoding="utf-8") as f:
            f.write("Article %d -- generated from %s, %d November %d\n\n%s\n"
                    % (k, os.path.basename(corpus[k % len(corpus)]), 1 + k % 28, 2020 + k % 4, body))
    open(stamp, "w").close()


def measure(cmd):
    """Run cmd (output counted); return wall s, cpu s, max RSS MB, lines out, stderr tail."""
    t0 = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    lines = 0
    for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
        lines += chunk.count(b"\n")
    err = p.stderr.read().decode("utf-8", "replace")
    p.wait()
    wall = time.monotonic() - t0
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1)) + \
        float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
    tail = [l for l in err.splitlines() if l.startswith("lode:")]
    return wall, cpu, rss, lines, (tail[-1] if tail else "exit %d" % p.returncode)


def report(label, m, mb):
    print("  %-28s %7.2f s wall %7.2f s cpu %5.2f MB/s %6.1f MB RSS %8d lines  %s"
          % (label, m[0], m[1], mb / m[0], m[2], m[3], m[4]))
    sys.stdout.flush()
    return m


def size_mb(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs) / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lode", default=os.path.join(ROOT, "build", "bin", "lode"))
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--skip-python", action="store_true")
    ap.add_argument("--skip-j1", action="store_true")
    args = ap.parse_args()
    data = os.path.join(HERE, "data")
    big, small = os.path.join(data, "docs-%d" % args.docs), os.path.join(data, "docs-%d" % args.small)
    for n, d in ((args.docs, big), (args.small, small)):
        generate(n, d)
    mb, small_mb = size_mb(big), size_mb(small)
    print("corpus: %d documents, %.1f MB (%s); %d cores; load %.1f"
          % (args.docs, mb, big, os.cpu_count(), os.getloadavg()[0]))
    job = os.path.join(ROOT, "scripts", "jobs", "extract.lua")
    lode = args.lode
    print("extraction job (scripts/jobs/extract.lua = lode.extract.all):")
    j2 = report("lode batch -j2, %d docs" % args.docs, measure([lode, "batch", job, big, "-j2"]), mb)
    if not args.skip_j1:
        j1 = report("lode batch -j1, %d docs" % args.docs, measure([lode, "batch", job, big, "-j1"]), mb)
        print("  speed-up -j2 / -j1: %.2fx wall (target >= 1.8)" % (j1[0] / j2[0]))
    s2 = report("lode batch -j2, %d docs" % args.small, measure([lode, "batch", job, small, "-j2"]),
                small_mb)
    print("  peak RSS %d vs %d docs: %.1f vs %.1f MB (%+.0f%%; target within 20%%, < 200 MB)"
          % (args.small, args.docs, s2[2], j2[2], 100 * (j2[2] - s2[2]) / s2[2]))
    if not args.skip_python:
        py = report("peer_extract.py -j 2, %d docs" % args.docs,
                    measure([sys.executable, os.path.join(HERE, "peer_extract.py"), "-j", "2", big]), mb)
        print("  lode -j2 vs Python multiprocessing -j2: %.1fx faster wall, %.1fx by CPU (target >= 10)"
              % (py[0] / j2[0], py[1] / j2[1]))


if __name__ == "__main__":
    main()
