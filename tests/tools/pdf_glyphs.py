#!/usr/bin/python3
"""pdf_glyphs.py PDF [PASSWORD] — check that every glyph a PDF embeds is
whole: in each embedded TrueType font (FontFile2), a composite glyph (an
accented letter made of a letter and an accent, say) that has ink may
only use glyphs that have an outline in the font file. A subsetting PDF library that keeps a glyph but drops
one of its parts makes the reader draw the glyph with a part missing
(libharu 2.3.0 drops the parts of parts), which the text layer does not
show. Read with qpdf's JSON, independent of the program's writer.

Prints one line per problem; exit 1 when there is any."""
import base64, struct, sys

import qpdf_objects

path = sys.argv[1]
pw = sys.argv[2] if len(sys.argv) > 2 else None
doc = qpdf_objects.load(path, pw)
objs = doc["qpdf"][1]
problems = []


def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    t = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        t[tag.decode("latin-1")] = data[off : off + ln]
    return t


def check(name, data):
    t = tables(data)
    if "glyf" not in t or "loca" not in t or "head" not in t:
        return
    long_loca = struct.unpack(">h", t["head"][50:52])[0] == 1
    loca = t["loca"]
    if long_loca:
        offs = struct.unpack(">%dI" % (len(loca) // 4), loca)
    else:
        offs = [2 * o for o in struct.unpack(">%dH" % (len(loca) // 2), loca)]
    glyf = t["glyf"]

    def has(g):
        return g + 1 < len(offs) and offs[g + 1] > offs[g]

    for g in range(len(offs) - 1):
        if not has(g):
            continue
        b = glyf[offs[g] : offs[g + 1]]
        if len(b) < 10 or struct.unpack(">h", b[:2])[0] >= 0:
            continue
        # a composite with no ink (a no-break space made of the space) may
        # use glyphs without an outline
        x0, y0, x1, y1 = struct.unpack(">hhhh", b[2:10])
        if x1 <= x0 and y1 <= y0:
            continue
        p = 10
        while p + 4 <= len(b):
            flags, c = struct.unpack(">HH", b[p : p + 4])
            if not has(c):
                problems.append("%s: glyph %d is drawn without its part, glyph %d (not in the embedded font)" % (name, g, c))
            p += 4 + (4 if flags & 1 else 2)
            p += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
            if not flags & 0x20:
                break


for key, o in objs.items():
    d = o.get("value") if "value" in o else None
    if not isinstance(d, dict) or d.get("/Type") != "/FontDescriptor" or "/FontFile2" not in d:
        continue
    s = objs.get("obj:" + d["/FontFile2"], {}).get("stream", {})
    if "data" in s:
        check(d.get("/FontName", key), base64.b64decode(s["data"]))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
