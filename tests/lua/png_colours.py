#!/usr/bin/env python3
"""Print the number of distinct colours in the top ROWS rows (default 160)
of a PNG file (8-bit RGB or RGBA, not interlaced: what Chromium's
--screenshot writes), for tests/lua/report_spec.lua to tell a rendered
page from a blank one. Standard library only: the chunks are read, IDAT
inflated with zlib and each row unfiltered (PNG spec, section 9); the top
rows suffice and keep it well under a second."""
import struct, sys, zlib


def colours(path, rows):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(path + ": not a PNG file")
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise SystemExit(path + ": not an 8-bit RGB(A) non-interlaced PNG")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, seen = bytearray(stride), set()
    for y in range(min(height, rows)):
        start = y * (stride + 1)
        filt, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                row[i] = (row[i] + a) & 255
            elif filt == 2:
                row[i] = (row[i] + b) & 255
            elif filt == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 255
        for x in range(0, stride, bpp * 4):          # every fourth pixel
            seen.add(bytes(row[x:x + 3]))
        prev = row
    return len(seen)


if __name__ == "__main__":
    print(colours(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 160))
