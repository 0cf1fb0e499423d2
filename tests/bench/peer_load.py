#!/usr/bin/env python3
"""peer_load.py FILE: read + strict UTF-8 decode + line count in Python,
printing the same two numbers as load.lua (bytes, lines)."""
import sys

with open(sys.argv[1], "rb") as f:
    b = f.read()
s = b.decode("utf-8")          # strict: raises on invalid UTF-8
print(len(b), s.count("\n") + (0 if s.endswith("\n") or not s else 1))
