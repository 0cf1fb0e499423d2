#!/usr/bin/env python3
"""peer_load.py FILE [ENCODING]: read + strict decode (UTF-8, or ENCODING)
+ line count in Python, printing the same two numbers as load.lua (bytes of
the UTF-8 text, lines)."""
import sys

with open(sys.argv[1], "rb") as f:
    b = f.read()
s = b.decode(sys.argv[2] if len(sys.argv) > 2 else "utf-8")   # strict: raises on bad bytes
print(len(s.encode("utf-8")) if len(sys.argv) > 2 else len(b),
      s.count("\n") + (0 if s.endswith("\n") or not s else 1))
