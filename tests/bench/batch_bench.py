#!/usr/bin/env python3
"""batch_bench.py -- how `lode batch` scales (run by hand, not by ctest).

    python3 tests/bench/batch_bench.py [--lode build/bin/lode] [--docs 20000]
        [--small 2000] [--skip-python] [--skip-j1] [--runs N]

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
5. The machine's own ceiling for step 2: two `lode batch -j1` processes at
   once, one on each half of the --docs directories (the same work as -j2,
   with nothing shared). A shared machine often gives two busy processes
   less than twice the speed of one; -j2 can do no better than this.

Each run writes its output to a file (tests/bench/data/out.jsonl, removed
at the end), as an analyst's job does: lines piped into this script would
cost CPU on the very cores measured. Times are wall-clock; user+sys CPU
seconds are printed too, since a shared machine makes wall time noisy.
With --runs N the timed runs are made in N rounds, taking turns (each
round starting one run later), and the figures are medians (the ratio per
round is printed too).
"""
import argparse
import os
import re
import resource
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


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n


def measure(cmd, out):
    """Run cmd with its output to the file `out` (as an analyst runs a job:
    a pipe read by this script would take CPU from the cores measured);
    return wall s, cpu s, max RSS MB, lines out, stderr tail."""
    t0 = time.monotonic()
    with open(out, "wb") as f:
        p = subprocess.Popen(["/usr/bin/time", "-v"] + cmd, stdout=f, stderr=subprocess.PIPE)
        err = p.stderr.read().decode("utf-8", "replace")
        p.wait()
    wall = time.monotonic() - t0
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1)) + \
        float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
    tail = [l for l in err.splitlines() if l.startswith("lode:")]
    return wall, cpu, rss, count_lines(out), (tail[-1] if tail else "exit %d" % p.returncode)


def measure_pair(cmd_a, cmd_b, out_a, out_b):
    """Run two commands at once, output to files; return wall s, cpu s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    files = [open(o, "wb") for o in (out_a, out_b)]
    procs = [subprocess.Popen(c, stdout=f, stderr=subprocess.DEVNULL)
             for c, f in zip((cmd_a, cmd_b), files)]
    for c, p, f in zip((cmd_a, cmd_b), procs, files):
        if p.wait() != 0:
            sys.exit("batch_bench: %s exited with %d" % (" ".join(c), p.returncode))
        f.close()
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def report(label, m, mb):
    print("  %-28s %7.2f s wall %7.2f s cpu %5.2f MB/s %6.1f MB RSS %8d lines  %s"
          % (label, m[0], m[1], mb / m[0], m[2], m[3], m[4]))
    sys.stdout.flush()
    return m


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def size_mb(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs) / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lode", default=os.path.join(ROOT, "build", "bin", "lode"))
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--skip-python", action="store_true")
    ap.add_argument("--skip-j1", action="store_true")
    ap.add_argument("--runs", type=int, default=1, help="rounds of the timed runs (medians)")
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
    peer = [sys.executable, os.path.join(HERE, "peer_extract.py"), "-j", "2", big]
    print("extraction job (scripts/jobs/extract.lua = lode.extract.all), %d round(s):" % args.runs)
    # Rounds take turns (lode -j2, lode -j1, the two-process ceiling, the
    # peer), so that the drift of a shared machine's speed spreads over
    # them all; medians at the end. Each round starts one run later than
    # the last, so no run always follows the same one (a run straight
    # after the peer's two minutes of full load may find the machine slower).
    out = os.path.join(data, "out.jsonl")     # every run's output, overwritten
    subdirs = sorted(os.path.join(big, d) for d in os.listdir(big) if not d.startswith("."))
    halves = subdirs[:len(subdirs) // 2], subdirs[len(subdirs) // 2:]
    j2s, j1s, pairs, pys = [], [], [], []

    def run_j2():
        j2s.append(report("lode batch -j2, %d docs" % args.docs, measure([lode, "batch", job, big, "-j2"], out), mb))

    def run_j1():
        j1s.append(report("lode batch -j1, %d docs" % args.docs, measure([lode, "batch", job, big, "-j1"], out), mb))

    def run_pair():
        pair = measure_pair([lode, "batch", job, "-j1"] + halves[0], [lode, "batch", job, "-j1"] + halves[1],
                            out + ".a", out + ".b")
        print("  %-28s %7.2f s wall %7.2f s cpu" % ("2 x lode -j1, one per half", pair[0], pair[1]))
        pairs.append(pair)

    def run_peer():
        pys.append(report("peer_extract.py -j 2, %d docs" % args.docs, measure(peer, out), mb))

    runs = [run_j2]
    if not args.skip_j1:
        runs.append(run_j1)
        if len(subdirs) >= 2:     # the generator writes 1,000 documents a directory
            runs.append(run_pair)
    if not args.skip_python:
        runs.append(run_peer)
    for r in range(args.runs):
        for k in range(len(runs)):
            runs[(r + k) % len(runs)]()
    s2 = report("lode batch -j2, %d docs" % args.small, measure([lode, "batch", job, small, "-j2"], out),
                small_mb)
    for f in (out, out + ".a", out + ".b"):
        if os.path.exists(f):
            os.remove(f)
    j2 = [median([m[k] for m in j2s]) for k in range(3)]
    print("medians of %d round(s):" % args.runs)
    print("  lode -j2: %.2f s wall, %.2f s cpu, %.2f MB/s" % (j2[0], j2[1], mb / j2[0]))
    if j1s:
        j1 = [median([m[k] for m in j1s]) for k in range(3)]
        print("  lode -j1: %.2f s wall, %.2f s cpu, %.2f MB/s" % (j1[0], j1[1], mb / j1[0]))
        print("  speed-up -j2 / -j1: %.2fx wall (target >= 1.8); per round: %s"
              % (j1[0] / j2[0], ", ".join("%.2fx" % (a[0] / b[0]) for a, b in zip(j1s, j2s))))
    if pairs:
        pw = median([p[0] for p in pairs])
        print("  machine ceiling, -j1 / two -j1 processes on halves: %.2fx (-j2 reaches %.0f%% of it)"
              % (j1[0] / pw, 100 * pw / j2[0]))
    print("  peak RSS %d vs %d docs: %.1f vs %.1f MB (%+.0f%%; target within 20%%, < 200 MB)"
          % (args.small, args.docs, s2[2], j2[2], 100 * (j2[2] - s2[2]) / s2[2]))
    if pys:
        py = [median([m[k] for m in pys]) for k in range(3)]
        print("  peer -j2: %.2f s wall, %.2f s cpu, %.2f MB/s" % (py[0], py[1], mb / py[0]))
        print("  lode -j2 vs Python multiprocessing -j2: %.1fx faster wall, %.1fx by CPU (target >= 10);"
              " per round: %s" % (py[0] / j2[0], py[1] / j2[1],
                                  ", ".join("%.1fx" % (p[0] / l[0]) for p, l in zip(pys, j2s))))

if __name__ == "__main__":
    main()
