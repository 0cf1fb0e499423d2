#!/usr/bin/env python3
"""Formats benchmark: HTML to text with its file map, and dataset splitting,
lode against Python's standard library (html.parser, csv, json) in one run.

usage: tests/bench/formats.py [--lode PATH] [--runs N] [--mb N]

Generates (in a temporary folder) a large news-like HTML page (scripts,
menus, JSON-LD, paragraphs with links and entities), a CSV and a JSON-lines
file of articles, and times on one core, CPU seconds of the step alone
(the process start and the file read are not counted on either side):
lode's conversion or split (tests/bench/formats.lua) and the Python peer
doing the same job. Also dev page 01 of ../shared/eval/dev when present
(read in place, never copied). Prints MB/s medians and peer/lode ratios.
"""
import argparse
import csv
import glob
import html.parser
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

WORDS = ("the ministry said talks would resume on Tuesday after officials from both "
         "countries met in the capital where about 300 people gathered according to "
         "a statement ceasefire border region delegation minister president").split()


def sentence(rng, n=18):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def html_page(rng, target):
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<title>Talks resume | Ledger</title>'
            '<meta property="og:title" content="Talks resume">'
            '<script>window.data = {"a": [1, 2, 3], "html": "<p>x</p>"};</script>'
            '<style>p{margin:0}</style>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Talks"}</script>'
            '</head><body><header><nav><ul>'
            + "".join('<li><a href="/s%d">Section %d</a></li>' % (k, k) for k in range(12))
            + '</ul></nav></header><main><article><h1>Talks resume</h1>')
    parts, size = [head], len(head)
    while size < target:
        p = ('<p class="story">%s <a href="/x">%s</a> &amp; %s &#8220;quoted&#8221;.</p>\n'
             '<script>track("%d");</script><div class="ad"><span>Advertisement</span></div>\n'
             % (sentence(rng), sentence(rng, 4), sentence(rng), size))
        parts.append(p)
        size += len(p)
    parts.append("</article></main><footer><p>&copy; 2024 Ledger</p></footer></body></html>")
    return "".join(parts)


def articles(rng, target):
    rows, size, k = [], 0, 0
    while size < target:
        body = "\n".join(sentence(rng) for _ in range(rng.randint(8, 30)))
        body += ' "Quoted words," the minister said.'
        rows.append({"id": k, "title": sentence(rng, 6), "date": "2024-03-%02d" % (k % 28 + 1),
                     "text": body})
        size += len(body) + 60
        k += 1
    return rows


class Text(html.parser.HTMLParser):
    """What the lode side does: visible text, scripts and styles left out."""
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def peer(kind, path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    t0 = time.process_time()
    if kind == "html":
        p = Text()
        p.feed(data)
        p.close()
        n = len(p.out)
    elif kind == "csv":
        n = sum(1 for _ in csv.reader(io.StringIO(data, newline="")))
    else:
        n = sum(1 for line in data.splitlines() if line.strip() and "text" in json.loads(line))
    return time.process_time() - t0, n


def lode(binary, kind, path):
    r = subprocess.run([binary, "run", os.path.join(HERE, "formats.lua"), kind, path],
                       capture_output=True, text=True, check=True, cwd=ROOT)
    line = [l for l in r.stderr.splitlines() if l.startswith("bench: ")][-1]
    return float(line.split("=")[1]), int(r.stdout.split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lode", default=os.path.join(ROOT, "build", "bin", "lode"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mb", type=float, default=20.0, help="size of each generated file")
    a = ap.parse_args()
    rng = random.Random(7)
    target = int(a.mb * 1e6)
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(html_page(rng, target))
        rows = articles(rng, target)
        csv_path, jsonl_path = os.path.join(tmp, "articles.csv"), os.path.join(tmp, "articles.jsonl")
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["id", "title", "date", "text"])
            w.writeheader()
            w.writerows(rows)
        with open(jsonl_path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        cases = [("html", "html", page), ("text", None, page), ("csv", "csv", csv_path),
                 ("jsonl", "jsonl", jsonl_path), ("rows", "jsonl", jsonl_path), ("rows", "csv", csv_path)]
        dev = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "eval", "dev", "texts", "01_*.txt")))
        if dev:
            cases.insert(1, ("html", "html", dev[0]))
        print("%-6s %-26s %8s %10s %10s %7s" % ("step", "file", "MB", "lode MB/s", "peer MB/s", "ratio"))
        for kind, peer_kind, path in cases:
            mb = os.path.getsize(path) / 1e6
            reps = a.runs if mb > 1 else a.runs * 20
            lt = statistics.median(lode(a.lode, kind, path)[0] for _ in range(reps))
            row = "%-6s %-26s %8.1f %10.1f" % (kind, os.path.basename(path)[:26], mb, mb / max(lt, 1e-6))
            if peer_kind:
                pt = statistics.median(peer(peer_kind, path)[0] for _ in range(reps))
                row += " %10.1f %6.1fx" % (mb / max(pt, 1e-6), pt / max(lt, 1e-6))
            print(row, flush=True)


if __name__ == "__main__":
    sys.exit(main())
