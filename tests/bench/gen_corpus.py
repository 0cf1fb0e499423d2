#!/usr/bin/env python3
"""Deterministic benchmark corpus for tests/bench/run (Python 3 stdlib only).

From the five real articles in corpus/*.txt it writes, into tests/bench/data/
(git-ignored):

  big-<N>m.txt        one big file of at least N MB: generated articles end to end
  articles/NNNNN.txt  article-sized files for the extraction job
  aliases.tsv         5,000 gazetteer aliases (alias<TAB>canonical<TAB>kind):
                      every alias of lua/lode/data/caucasus.tsv, then name-like
                      generated ones (syllables), all distinct case-insensitively
  aliases.txt         the same aliases, one a line (for grep -F -f)
  names50.txt         50 real names (persons and places) for the regex section

A generated article keeps the layout of one source article (menus, header,
byline, footer lines stay where they were) and shuffles its long paragraphs
with paragraphs of the other articles; numbers are redrawn (same number of
digits, years stay years, days stay days) and names are swapped for another
spelling of the same entity from caucasus.tsv (Aliyev/Əliyev/Aliev...), so
text is varied, mostly ASCII with the real share of curly quotes and
non-ASCII names. The same arguments always give byte-identical files.

usage: gen_corpus.py [--size-mb 200] [--articles 2000] [--out DIR] [--force]
"""
import argparse
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SEED = 20240110
POOL = 3000          # distinct generated articles; the big file reuses them

MONTHS = ("January February March April May June July August September "
          "October November December").split()


def read_sources():
    cdir = os.path.join(ROOT, "corpus")
    out = []
    for name in sorted(os.listdir(cdir)):
        if name.endswith(".txt"):
            with open(os.path.join(cdir, name), encoding="utf-8") as f:
                out.append(f.read())
    if not out:
        sys.exit("gen_corpus: no corpus/*.txt")
    return out


def read_gazetteer():
    """(alias, canonical, kind) triples of caucasus.tsv, or [] if absent."""
    path = os.path.join(ROOT, "lua", "lode", "data", "caucasus.tsv")
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0]:
                rows.append((parts[0], parts[1] or parts[0], parts[2] or "term"))
    return rows


def paragraphs(text):
    return text.split("\n\n")


def is_body(par):
    # Long prose paragraphs are article body; short lines are page furniture.
    return len(par) >= 200 and not par.lstrip().startswith("•")


class Varier:
    def __init__(self, rng, gaz):
        self.rng = rng
        self.variants = {}                 # alias -> other spellings
        by_canon = {}
        for alias, canon, kind in gaz:
            if kind in ("person", "place"):
                by_canon.setdefault(canon, []).append(alias)
        for canon, aliases in by_canon.items():
            if len(aliases) > 1:
                for a in aliases:
                    self.variants[a] = aliases
        names = sorted(self.variants, key=lambda a: (-len(a), a))
        self.name_re = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, names))) if names else None
        self.num_re = re.compile(r"\d+")
        self.date_re = re.compile(r"\b(%s) (\d{1,2})\b" % "|".join(MONTHS))

    def _num(self, m):
        s = m.group(0)
        n = len(s)
        v = int(s)
        if n == 4 and 1900 <= v <= 2099:
            return str(self.rng.randint(1991, 2024))
        if n <= 2 and v <= 31:
            return str(self.rng.randint(1, 28))
        lo = 10 ** (n - 1) if n > 1 else 0
        return str(self.rng.randint(lo, 10 ** n - 1))

    def _name(self, m):
        if self.rng.random() < 0.3:
            return self.rng.choice(self.variants[m.group(0)])
        return m.group(0)

    def _date(self, m):
        return "%s %d" % (self.rng.choice(MONTHS), self.rng.randint(1, 28))

    def vary(self, par):
        par = self.date_re.sub(self._date, par)
        par = self.num_re.sub(self._num, par)
        if self.name_re is not None:
            par = self.name_re.sub(self._name, par)
        return par


def gen_articles(rng, sources, gaz, count):
    varier = Varier(rng, gaz)
    split = [paragraphs(s) for s in sources]
    body_pool = [p for ps in split for p in ps if is_body(p)]
    out = []
    for _ in range(count):
        src = rng.choice(split)
        pars = []
        for p in src:
            if is_body(p):
                pars.append(varier.vary(rng.choice(body_pool)))
            else:
                pars.append(varier.vary(p) if rng.random() < 0.5 else p)
        text = "\n\n".join(pars)
        if not text.endswith("\n"):
            text += "\n"
        out.append(text)
    return out


SYL_A = ("ka ra mi sa ta la na ve do ri gor ar ze ba ha lu ni so te vi "
         "kar dar mar sar tal ber nor gev hak mel").split()
SYL_B = ("yan ian ov ev ova eva li lu zade shvili dze yev enko ski as is").split()
FIRST = ("Ani Aram Arman Davit Elchin Farid Gor Hasan Irada Javid Karen Leyla "
         "Mher Narek Orkhan Ruben Samir Tigran Vugar Zaur Anahit Gunel Lilit "
         "Rashad Sevda Tofig Vahe Ziya Emin Nairi").split()


def gen_aliases(rng, gaz, total=5000):
    seen = set()
    rows = []
    for alias, canon, kind in gaz:
        key = alias.casefold()
        if key not in seen:
            seen.add(key)
            rows.append((alias, canon, kind))
    while len(rows) < total:
        sur = "".join(rng.choice(SYL_A) for _ in range(rng.randint(1, 2))) + rng.choice(SYL_B)
        sur = sur.capitalize()
        r = rng.random()
        if r < 0.5:
            alias, kind = "%s %s" % (rng.choice(FIRST), sur), "person"
        elif r < 0.8:
            alias, kind = sur, "person"
        else:
            alias, kind = "%s %s" % (sur, rng.choice(("District", "Valley", "Corridor", "Pass"))), "place"
        key = alias.casefold()
        if key in seen:
            continue
        seen.add(key)
        rows.append((alias, alias, kind))
    return rows[:total]


def names50(gaz):
    """50 real multi-letter ASCII names, persons first, in file order."""
    out, seen = [], set()
    for kind in ("person", "place"):
        for alias, _, k in gaz:
            if k == kind and alias.isascii() and len(alias) >= 4 and alias.lower() not in seen:
                seen.add(alias.lower())
                out.append(alias)
    fallback = ("Ilham Aliyev,Nikol Pashinyan,Vladimir Putin,Recep Erdogan,Ruben Vardanyan,"
                "Jeyhun Bayramov,Ararat Mirzoyan,Armen Grigoryan,Hikmet Hajiyev,Arayik Harutyunyan,"
                "Stepanakert,Shusha,Lachin,Kalbajar,Agdam,Fuzuli,Jabrayil,Zangilan,Qubadli,Goris,"
                "Kapan,Yerevan,Baku,Ganja,Tartar,Nakhchivan,Zangezur,Syunik,Gegharkunik,Vayots Dzor,"
                "Jermuk,Sotk,Ishkhanasar,Martakert,Martuni,Hadrut,Askeran,Khojaly,Tbilisi,Moscow,"
                "Ankara,Tehran,Brussels,Washington,Paris,Geneva,Vienna,Minsk,Kars,Meghri").split(",")
    for n in fallback:
        if len(out) >= 50:
            break
        if n.lower() not in seen:
            seen.add(n.lower())
            out.append(n)
    return out[:50]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    ap.add_argument("--force", action="store_true", help="rewrite existing files")
    a = ap.parse_args()

    os.makedirs(a.out, exist_ok=True)
    sources = read_sources()
    gaz = read_gazetteer()
    rng = random.Random(SEED)
    pool = gen_articles(rng, sources, gaz, max(POOL, a.articles))

    big = os.path.join(a.out, "big-%dm.txt" % a.size_mb)
    if a.force or not os.path.exists(big):
        want = a.size_mb * 1000 * 1000
        brng = random.Random(SEED + a.size_mb)
        tmp = big + ".tmp"
        n = 0
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            buf, blen = [], 0
            while n < want:
                t = pool[brng.randrange(len(pool))]
                buf.append(t + "\n")
                blen += len(t.encode("utf-8")) + 1
                if blen > 8 << 20:
                    f.write("".join(buf))
                    n += blen
                    buf, blen = [], 0
                elif n + blen >= want:
                    f.write("".join(buf))
                    n += blen
                    buf, blen = [], 0
        os.replace(tmp, big)
        print("gen_corpus: wrote %s (%.1f MB)" % (big, os.path.getsize(big) / 1e6), file=sys.stderr)

    adir = os.path.join(a.out, "articles-%d" % a.articles)
    if a.force or not os.path.isdir(adir):
        tmpd = adir + ".tmp"
        os.makedirs(tmpd, exist_ok=True)
        for k in range(a.articles):
            with open(os.path.join(tmpd, "%05d.txt" % k), "w", encoding="utf-8", newline="") as f:
                f.write(pool[k])
        if os.path.isdir(adir):
            import shutil
            shutil.rmtree(adir)
        os.replace(tmpd, adir)
        tot = sum(len(pool[k].encode("utf-8")) for k in range(a.articles))
        print("gen_corpus: wrote %s/ (%d files, %.1f MB)" % (adir, a.articles, tot / 1e6), file=sys.stderr)

    rows = gen_aliases(random.Random(SEED + 1), gaz)
    with open(os.path.join(a.out, "aliases.tsv"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write("%s\t%s\t%s\n" % r)
    with open(os.path.join(a.out, "aliases.txt"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(r[0] + "\n")
    with open(os.path.join(a.out, "names50.txt"), "w", encoding="utf-8") as f:
        for n in names50(gaz):
            f.write(n + "\n")


if __name__ == "__main__":
    main()
