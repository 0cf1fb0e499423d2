#!/usr/bin/env python3
"""peer_normalize.py FILE: what a Python user writes for NFKC + casefold:
unicodedata.normalize('NFKC', text).casefold(), written to stdout.
(No offset map: lode builds one as well, so this peer does less work.)"""
import sys
import unicodedata

with open(sys.argv[1], encoding="utf-8") as f:
    s = f.read()
sys.stdout.write(unicodedata.normalize("NFKC", s).casefold())
