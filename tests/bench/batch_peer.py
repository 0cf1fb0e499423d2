#!/usr/bin/env python3
"""batch_peer.py -- the Python-stdlib peer of `lode batch` running the
extraction job, for tests/bench/batch_bench.py to compare against.

    python3 batch_peer.py [-j N] PATHS...   (files or directories)

multiprocessing.Pool over the documents, N processes (default: all cores);
each document is read as strict UTF-8 (a failure becomes an error record, as
in lode) and searched with `re` for dates, quantities, quotes and
capitalised-name entities; records go to stdout as JSON lines with the same
fields as lode's (doc, kind, text, value, span [0-based, end-exclusive
bytes], line). It is an honest, plain implementation written for the
benchmark -- compiled patterns, one pass per kind -- not a straw man.
"""
import bisect
import json
import multiprocessing
import os
import re
import sys

MONTHS = ("January|February|March|April|May|June|July|August|September|"
          "October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
          "Oct|Nov|Dec")
MONTH_NUM = {m: k % 12 + 1 for k, m in enumerate(
    "january february march april may june july august september october "
    "november december".split())}
DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>" + MONTHS + r")\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>" + MONTHS + r")\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<m3>" + MONTHS + r")\.?\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|(?P<m4>" + MONTHS + r")\s+(?P<y4>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?:in|since|by|until|of)\s+(?P<y5>(?:19|20)\d\d))\b")
NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                "twelve|thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|"
                "hundred|thousand|million|billion|dozens|hundreds|thousands")
QUANTITY = re.compile(
    r"(?i)(?P<qual>\b(?:about|around|nearly|almost|over|more than|less than|"
    r"at least|up to|some)\s+)?"
    r"(?P<num>\$?\d[\d,]*(?:\.\d+)?(?:\s*(?:bn|m|million|billion|thousand|%|percent))?"
    r"|\b(?:" + NUMBER_WORDS + r")(?:[\s-](?:" + NUMBER_WORDS + r"))*)\b"
    r"(?:\s+(?P<counts>(?:[a-z]+\s+)?(?:soldiers|people|civilians|deaths|"
    r"troops|refugees|square kilometers|km|kilometers|miles|villages|years|"
    r"days|casualties|prisoners|residents|killed|wounded|dollars))\b)?")
QUOTE = re.compile(r"[\"\u201c](?P<q>[^\"\u201c\u201d\n]{8,800})[\"\u201d]")
SAYS = re.compile(r"\b(?P<who>(?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+|he|she|they)"
                  r"\s+(?:said|says|told|added|stated|noted|wrote)\b"
                  r"|\b(?:said|says|told|added|stated|noted|wrote)\s+"
                  r"(?P<who2>(?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+)")
ENTITY = re.compile(r"\b(?:[A-Z][a-z\u00e0-\u017f'\u2019-]+|[A-Z]{2,})"
                    r"(?:\s+(?:of\s+the\s+|of\s+|de\s+)?(?:[A-Z][a-z\u00e0-\u017f'\u2019-]+|[A-Z]{2,}))+\b")
ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
STOP_START = {"The", "A", "An", "In", "On", "At", "But", "And", "This", "That",
              "It", "He", "She", "They", "We", "As", "For", "If", "When"}


def extract(path):
    name = os.path.basename(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
        if b"\0" in raw:
            raise ValueError("%s: binary data: NUL byte at byte %d" % (path, raw.index(b"\0")))
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return [json.dumps({"doc": name, "error": str(e)}, ensure_ascii=False)]
    # Spans are bytes in the file, as lode reports them: map char -> byte.
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    ascii_only = len(raw) == len(text)

    def byte(k):
        return k if ascii_only else len(text[:k].encode("utf-8"))

    def rec(kind, m, group=0, **extra):
        i, j = m.span(group)
        r = {"doc": name, "kind": kind, "text": m.group(group)}
        r.update(extra)
        r["span"] = [byte(i), byte(j)]
        r["line"] = bisect.bisect_right(starts, i)
        return json.dumps(r, ensure_ascii=False)

    out = []
    for m in DATE.finditer(text):
        g = m.groupdict()
        y = g["y1"] or g["y2"] or g["y4"] or g["y5"]
        mon = g["m1"] or g["m2"] or g["m3"] or g["m4"]
        day = g["d1"] or g["d2"] or g["d3"]
        if g["iso"]:
            value = g["iso"]
        else:
            mm = MONTH_NUM.get((mon or "").lower().rstrip("."), 0)
            if not mm and mon:
                mm = next((v for k, v in MONTH_NUM.items() if k.startswith(mon.lower()[:3])), 0)
            value = "-".join(p for p in (y, "%02d" % mm if mm else None,
                                         "%02d" % int(day) if day else None) if p)
        out.append(rec("date", m, value=value))
    for m in QUANTITY.finditer(text):
        num = m.group("num").replace(",", "").replace("$", "")
        try:
            value = float(num) if "." in num else int(num)
        except ValueError:
            value = num
        out.append(rec("quantity", m, value=value, counts=m.group("counts"),
                       qualifier=(m.group("qual") or "").strip() or None))
    for m in QUOTE.finditer(text):
        after = SAYS.search(text, m.end(), min(len(text), m.end() + 120))
        before = SAYS.search(text, max(0, m.start() - 120), m.start())
        s = after or before
        speaker = (s.group("who") or s.group("who2")) if s else None
        out.append(rec("quote", m, "q", speaker=speaker))
    for m in ENTITY.finditer(text):
        words = m.group(0).split()
        if words[0] in STOP_START and len(words) == 2:
            continue
        after = ACRONYM.match(text, m.end() + 1)
        out.append(rec("entity", m, name=m.group(0),
                       acronym=after.group(1) if after else None))
    return out


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


def main(argv):
    jobs = os.cpu_count() or 1
    if len(argv) > 1 and argv[0] == "-j":
        jobs, argv = int(argv[1]), argv[2:]
    out = sys.stdout
    n = 0
    with multiprocessing.Pool(jobs) as pool:
        for lines in pool.imap_unordered(extract, expand(argv), chunksize=16):
            n += 1
            if lines:
                out.write("\n".join(lines))
                out.write("\n")
    print("batch_peer: %d documents" % n, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
