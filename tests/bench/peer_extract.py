#!/usr/bin/env python3
"""peer_extract.py [-j N] PATHS...: the extraction job as a Python user would
write it with the standard library only, for the benchmarks (tests/bench/run
section 5, single process; batch_bench.py, with -j 2 next to `lode batch -j 2`).

PATHS are files or directories (walked, files sorted). With -j N the
documents are spread over N processes (multiprocessing.Pool); the output is
the same lines in the same order as with one process.

Per document: a meta record (title, published date), then dates, quantities,
quotes with speakers, and persons/orgs/places (a small gazetteer from
lua/lode/data/caucasus.tsv first, then capitalised name sequences with cue
words), each as one JSON line with the original text, its byte span
[start, end) in the file and its line -- the record schema of docs/DESIGN.md.
Only prose paragraphs (the article body, roughly) are searched.
Written to be reasonable, not slow: compiled regexes, dict lookups, bisect
for lines and byte offsets; no per-character Python loops over the text.
"""
import argparse
import bisect
import json
import multiprocessing
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MON = {m.lower(): k + 1 for k, m in enumerate(MONTHS)}
M_ALT = "|".join(MONTHS)

DATE_RE = re.compile(
    r"\b(?:(?P<mod>early|mid|late|end of|beginning of)[ -])?"
    r"(?:(?P<m1>%s) (?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:, (?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2}) (?P<m2>%s)(?: (?P<y2>\d{4}))?"
    r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    r"|(?P<m3>%s) (?P<y3>(?:19|20)\d\d)"
    r"|(?P<r1>(?:19|20)\d\d)[-–](?P<r2>(?:19|20)\d\d)"
    r"|(?:in|since|by|until|of|from) (?P<y4>(?:19|20)\d\d))\b" % (M_ALT, M_ALT, M_ALT))

NUM_WORDS = {w: k for k, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
NUM_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                  "seventy": 70, "eighty": 80, "ninety": 90})
SCALE = {"hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "bn": 10 ** 9}
WORD_ALT = "|".join(sorted(NUM_WORDS, key=len, reverse=True))
QTY_RE = re.compile(
    r"(?i:\b(?P<q>about|around|approximately|nearly|almost|over|more than|less than|at least|"
    r"up to|some|roughly|dozens of|hundreds of|thousands of) )?"
    r"(?P<cur>\$|€|USD ?|EUR ?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?i:(?:%s)(?:-(?:%s))?(?: and a half| and half)?))"
    r"(?: ?(?P<scale>hundred|thousand|million|billion|bn)\b)?"
    r"(?: ?(?P<unit>km²|km2|km|square kilomet(?:er|re)s|kilomet(?:er|re)s|meters|metres|%%|percent|USD|EUR))?"
    r"(?: (?P<what>[a-z][a-z-]+))?" % (WORD_ALT, WORD_ALT))
COUNTED = set("soldiers deaths dead casualties villages people civilians troops servicemen "
              "prisoners refugees houses homes families members years days kilometers hectares "
              "tanks drones positions peacekeepers persons children fighters mines".split())

QUOTE_RE = re.compile(r"[“\"](?P<body>[^“”\"\n]{8,1200})(?:[”\"]|$)", re.M)
SAY = r"(?:said|says|stated|added|told|tweeted|wrote|noted|declared|stressed|explained|claimed)"
NAME = r"(?P<name>(?:[A-Z][\w'’-]+ ){0,3}[A-Z][\w'’-]+|[Hh]e|[Ss]he|[Tt]hey)"
AFTER_RE = re.compile(r"^,?[”\"]?,? ?(?:%s %s|%s %s)\b" % (NAME, SAY, SAY, NAME.replace("name", "name2")))
BEFORE_RE = re.compile(r"(?:%s %s|according to %s)[,:]? ?$" % (NAME, SAY, NAME.replace("name", "name3")))
CAP_RE = re.compile(r"\b(?:[A-Z][a-z'’]+|[A-Z]{2,})(?:[ -](?:of |the |and )?(?:[A-Z][a-z'’]+|[A-Z]{2,}))*")
TITLES = re.compile(r"(?:President|Prime Minister|Minister|Mr\.|Ms\.|Mrs\.|Dr\.|General|"
                    r"Ambassador|Secretary|spokesman|spokeswoman|leader|Speaker)\s+$")
ORG_WORDS = re.compile(r"\b(?:Organization|Organisation|Ministry|Council|Union|Committee|"
                       r"Agency|Parliament|Party|Forces|Army|Service|Group|Bank|Institute|Court)\b")
ACRO_RE = re.compile(r"\(([A-Z]{2,6})\)")
PRONOUNS = {"he", "she", "they"}


def load_gazetteer():
    gaz = {}
    path = os.path.join(ROOT, "lua", "lode", "data", "caucasus.tsv")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                p = line.rstrip("\n").split("\t")
                if len(p) >= 3:
                    gaz[p[0].casefold()] = (p[1], p[2])
    except OSError:
        pass
    return gaz


GAZ = load_gazetteer()
GAZ_MAXW = max((k.count(" ") + 1 for k in GAZ), default=1)
# Aliases are looked up on word sequences; words come from one regex.
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


class Doc:
    def __init__(self, path):
        with open(path, "rb") as f:
            raw = f.read()
        self.name = os.path.basename(path)
        self.text = raw.decode("utf-8", "replace")
        self.nl = [m.start() for m in re.finditer("\n", self.text)]
        # char index -> byte offset: only non-ASCII characters shift it
        self.wide = []
        self.extra = []
        acc = 0
        for m in re.finditer(r"[^\x00-\x7f]", self.text):
            acc += len(m.group().encode("utf-8")) - 1
            self.wide.append(m.start())
            self.extra.append(acc)

    def byte(self, i):
        k = bisect.bisect_left(self.wide, i)
        return i + (self.extra[k - 1] if k else 0)

    def line(self, i):
        return bisect.bisect_right(self.nl, i - 1) + 1

    def rec(self, kind, i, j, **kw):
        r = {"doc": self.name, "kind": kind, "text": self.text[i:j]}
        r.update(kw)
        r["span"] = [self.byte(i), self.byte(j)]
        r["line"] = self.line(i)
        return r


def body_paragraphs(text):
    for m in re.finditer(r"[^\n]+", text):
        s = m.group()
        if len(s) >= 120 or (len(s) > 40 and s.rstrip()[-1:] in ".”\"?!"):
            yield m.start(), m.end()


def pub_date(doc):
    for m in re.finditer(r"\b(%s) (\d{1,2}), (\d{4})\b" % M_ALT, doc.text[:4000]):
        return int(m.group(3)), MON[m.group(1).lower()], int(m.group(2))
    return None


def dates(doc, paras, pub):
    out = []
    for a, b in paras:
        for m in DATE_RE.finditer(doc.text, a, b):
            g = m.groupdict()
            if g["m1"]:
                y = g["y1"] or (pub and str(pub[0]))
                how = "stated" if g["y1"] else "publication year"
                val = "%s-%02d-%02d" % (y, MON[g["m1"].lower()], int(g["d1"])) if y else None
            elif g["m2"]:
                y = g["y2"] or (pub and str(pub[0]))
                how = "stated" if g["y2"] else "publication year"
                val = "%s-%02d-%02d" % (y, MON[g["m2"].lower()], int(g["d2"])) if y else None
            elif g["iso"]:
                val, how = g["iso"], "stated"
            elif g["m3"]:
                val, how = "%s-%02d" % (g["y3"], MON[g["m3"].lower()]), "stated"
            elif g["r1"]:
                val, how = "%s/%s" % (g["r1"], g["r2"]), "stated"
            else:
                val, how = g["y4"], "stated"
            start = m.start("y4") if g["y4"] else m.start()
            out.append(doc.rec("date", start, m.end(), value=val, modifier=g["mod"], resolved=how))
    return out


def number_value(num, scale):
    n = num.replace(",", "").lower()
    try:
        v = float(n)
    except ValueError:
        half = 0.5 if "half" in n else 0
        n = n.replace(" and a half", "").replace(" and half", "")
        v = sum(NUM_WORDS.get(p, 0) for p in n.split("-")) + half
    if scale:
        v *= SCALE[scale.lower()]
    return int(v) if v == int(v) else v


def quantities(doc, paras):
    out = []
    for a, b in paras:
        for m in QTY_RE.finditer(doc.text, a, b):
            num = m.group("num")
            if re.fullmatch(r"(?:19|20)\d\d", num) and not (m.group("unit") or m.group("cur")):
                continue                  # a year, not a quantity
            nxt = doc.text[m.end("num"):m.end("num") + 3]
            if re.match(r"(?:st|nd|rd|th)\b", nxt):
                continue                  # an ordinal
            what = m.group("what")
            if what and what not in COUNTED:
                what = None
            end = m.end("what") if what else max(x for x in (m.end("num"), m.end("scale"), m.end("unit")) if x)
            unit = m.group("unit") or ((m.group("cur") or "").strip() or None)
            out.append(doc.rec("quantity", m.start(), end, value=number_value(num, m.group("scale")),
                               unit=unit, counts=what, qualifier=m.group("q")))
    return out


def entities(doc, paras):
    out = []
    for a, b in paras:
        words = [(m.start(), m.end(), m.group().casefold()) for m in WORD_RE.finditer(doc.text, a, b)]
        k, taken = 0, []
        while k < len(words):
            hit = None
            for n in range(min(GAZ_MAXW, len(words) - k), 0, -1):
                key = " ".join(w[2] for w in words[k:k + n])
                e = GAZ.get(key)
                if e and doc.text[words[k][0]:words[k + n - 1][1]].casefold() == key:
                    hit = (n, e)
                    break
            if hit:
                n, (canon, kind) = hit
                i, j = words[k][0], words[k + n - 1][1]
                kind = {"org": "org", "place": "place", "person": "person"}.get(kind, "term")
                if kind != "term":
                    out.append(doc.rec(kind, i, j, name=canon))
                taken.append((i, j))
                k += n
            else:
                k += 1
        for m in CAP_RE.finditer(doc.text, a, b):
            i, j = m.span()
            if any(x <= i < y for x, y in taken) or " " not in m.group():
                continue
            before = doc.text[max(a, i - 25):i]
            if ORG_WORDS.search(m.group()):
                am = ACRO_RE.match(doc.text, j + 1)
                out.append(doc.rec("org", i, j, name=m.group(), acronym=am.group(1) if am else None))
            elif TITLES.search(before):
                t = TITLES.search(before)
                out.append(doc.rec("person", i, j, name=m.group(), role=t.group().strip()))
    return out


def quotes(doc, paras, people):
    out = []
    starts = [p["span"][0] for p in people]
    for a, b in paras:
        for m in QUOTE_RE.finditer(doc.text, a, b):
            i, j = m.span("body")
            speaker = None
            am = AFTER_RE.match(doc.text, j, min(b, j + 80))
            if am:
                speaker = am.group("name") or am.group("name2")
            else:
                bm = BEFORE_RE.search(doc.text, max(a, m.start() - 80), m.start())
                if bm:
                    speaker = bm.group("name") or bm.group("name3")
            if speaker and speaker.lower() in PRONOUNS:
                k = bisect.bisect_left(starts, doc.byte(m.start())) - 1
                speaker = people[k]["name"] if k >= 0 else speaker
            out.append(doc.rec("quote", i, j, speaker=speaker))
    return out


def extract(path):
    """All JSON lines of one document, as one string."""
    try:
        doc = Doc(path)
    except OSError as e:
        return json.dumps({"doc": os.path.basename(path), "error": str(e)}) + "\n"
    paras = list(body_paragraphs(doc.text))
    pub = pub_date(doc)
    tm = re.search(r"^[^\n]{30,200}$", doc.text[:3000], re.M)
    title = tm.group() if tm else None
    lines = [{"doc": doc.name, "kind": "meta", "title": title,
              "published": "%04d-%02d-%02d" % pub if pub else None}]
    ents = entities(doc, paras)
    people = sorted((e for e in ents if e["kind"] == "person"), key=lambda e: e["span"][0])
    lines += dates(doc, paras, pub) + quantities(doc, paras) + quotes(doc, paras, people) + ents
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in lines)


def expand(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if not f.startswith("."):
                        yield os.path.join(root, f)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", type=int, default=1)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    w = sys.stdout.write
    if args.j <= 1:
        for path in expand(args.paths):
            w(extract(path))
        return
    with multiprocessing.Pool(args.j) as pool:
        for lines in pool.imap(extract, expand(args.paths), chunksize=16):
            w(lines)


if __name__ == "__main__":
    main()
