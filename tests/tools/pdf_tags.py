#!/usr/bin/python3
"""pdf_tags.py PDF [PASSWORD] — check a PDF's tags as a reader of tagged PDF
finds them, with qpdf's JSON (independent of the program's writer):

- the catalogue has /MarkInfo /Marked true, /Lang, /StructTreeRoot, XMP
  metadata with pdfuaid:part and dc:title, /ViewerPreferences
  /DisplayDocTitle true;
- every page has /StructParents and /Tabs /S;
- every marked-content sequence of a page's content is an /Artifact or has
  an MCID that the parent tree maps to a structure element, and no text
  (BT..ET) lies outside marked content;
- every Figure has /Alt; heading levels never skip; every Table has a TH;
  every link annotation has /StructParent and /Contents.

Prints one line per problem; exit 1 when there is any."""
import base64, re, sys

import qpdf_objects

path = sys.argv[1]
pw = sys.argv[2] if len(sys.argv) > 2 else None
doc = qpdf_objects.load(path, pw)
objs = doc["qpdf"][1]
problems = []


def obj(ref):
    if isinstance(ref, str) and ref.endswith(" R"):
        o = objs.get("obj:" + ref)
        if o is None:
            return None
        return o.get("value", o.get("stream", {}).get("dict"))
    return ref


def stream(ref):
    o = objs.get("obj:" + ref)
    return base64.b64decode(o["stream"]["data"]) if o and "stream" in o else b""


cat = obj(objs["trailer"]["value"]["/Root"])
if not (cat.get("/MarkInfo") or {}).get("/Marked"):
    problems.append("catalogue: no /MarkInfo /Marked true")
if not cat.get("/Lang"):
    problems.append("catalogue: no /Lang")
if not (obj(cat.get("/ViewerPreferences")) or {}).get("/DisplayDocTitle"):
    problems.append("catalogue: no /DisplayDocTitle")
xmp = stream(cat["/Metadata"]).decode("utf-8", "replace") if "/Metadata" in cat else ""
if "<pdfuaid:part>1</pdfuaid:part>" not in xmp or "<dc:title>" not in xmp:
    problems.append("catalogue: XMP without pdfuaid:part 1 or dc:title")
root = obj(cat.get("/StructTreeRoot"))
if not root:
    print(path + ": not tagged (no /StructTreeRoot)")
    sys.exit(1)

# the parent tree (a flat /Nums, or /Kids of /Nums)
parents = {}


def walk_nums(node):
    node = obj(node)
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        parents[nums[i]] = nums[i + 1]
    for k in node.get("/Kids", []):
        walk_nums(k)


walk_nums(root["/ParentTree"])

for n, pref in enumerate(doc["pages"]):
    page = obj(pref["object"])
    where = "page %d" % (n + 1)
    if page.get("/Tabs") != "/S":
        problems.append(where + ": no /Tabs /S")
    sp = page.get("/StructParents")
    if sp is None:
        problems.append(where + ": no /StructParents")
        continue
    arr = obj(parents.get(sp))
    arr = arr if isinstance(arr, list) else []
    data = b"".join(stream(c) for c in pref["contents"])
    depth = 0
    for tok in re.finditer(
        rb"/(\w+)\s*(<<.{0,300}?>>)?\s*(BDC|BMC)|\bEMC\b|\bBT\b", data, re.S
    ):
        t = tok.group(0)
        if t == b"EMC":
            depth -= 1
        elif t == b"BT":
            if depth <= 0:
                problems.append(where + ": text outside marked content")
        else:
            depth += 1
            if tok.group(1) in (b"Artifact", b"Span") and depth > 1 or tok.group(1) == b"Artifact":
                continue  # a span inside tagged content (its ActualText)
            m = re.search(rb"/MCID\s+(\d+)", tok.group(2) or b"")
            if not m:
                problems.append(where + ": /%s marked content with no MCID" % tok.group(1).decode())
                continue
            mcid = int(m.group(1))
            se = obj(arr[mcid]) if mcid < len(arr) else None
            if not isinstance(se, dict) or "/S" not in se:
                problems.append(where + ": MCID %d belongs to no structure element" % mcid)
    if depth:
        problems.append(where + ": unbalanced marked content")
    for a in obj(page.get("/Annots")) or []:  # an array, or a reference to one
        ad = obj(a)
        if ad.get("/Subtype") == "/Link":
            if ad.get("/StructParent") is None or not ad.get("/Contents"):
                problems.append(where + ": a link without /StructParent or /Contents")

# no character drawn with glyph 0 (.notdef): each 2-byte code shown in a
# font's strings maps, through the font's CIDToGIDMap, to a glyph


def cid_map(fref):
    f = obj(fref)
    d = obj((f.get("/DescendantFonts") or [None])[0]) or {}
    m = d.get("/CIDToGIDMap")
    return stream(m) if isinstance(m, str) and m.endswith(" R") else None


def strings(data):
    """(font name, bytes) of every literal string shown, in order."""
    font, i, n = None, 0, len(data)
    while i < n:
        c = data[i : i + 1]
        if c == b"(":
            i += 1
            depth, out = 1, bytearray()
            while i < n:
                ch = data[i]
                if ch == 0x5C:  # backslash
                    nx = data[i + 1 : i + 2]
                    esc = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
                    if nx in esc:
                        out.append(esc[nx]); i += 2
                    elif nx.isdigit():
                        j = i + 1
                        while j < i + 4 and data[j : j + 1].isdigit():
                            j += 1
                        out.append(int(data[i + 1 : j], 8) & 255); i = j
                    else:
                        out += nx; i += 2
                    continue
                if ch == 0x28:
                    depth += 1
                elif ch == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                out.append(ch); i += 1
            yield font, bytes(out)
        elif c == b"/":
            m = re.match(rb"/([A-Za-z0-9_.+-]+)\s+[0-9.]+\s+Tf", data[i:i + 64])
            if m:
                font = m.group(1).decode()
            i += 1
        else:
            i += 1


for n, pref in enumerate(doc["pages"]):
    page = obj(pref["object"])
    res = obj(page.get("/Resources")) or {}
    fonts = obj(res.get("/Font")) or {}
    maps = {}
    data = b"".join(stream(c) for c in pref["contents"])
    for font, b in strings(data):
        if font is None or "/" + font not in fonts:
            continue
        if font not in maps:
            maps[font] = cid_map(fonts["/" + font])
        m = maps[font]
        if m is None:
            continue
        for k in range(0, len(b) - 1, 2):
            code = b[k] << 8 | b[k + 1]
            gid = m[2 * code] << 8 | m[2 * code + 1] if 2 * code + 1 < len(m) else 0
            if gid == 0:
                problems.append("page %d: U+%04X drawn as .notdef (glyph 0) in %s" % (n + 1, code, font))

# the tree in reading order
last_h = 0
seen = set()


def visit(ref, depth=0):
    global last_h
    e = obj(ref)
    if not isinstance(e, dict) or depth > 100:
        return []
    if isinstance(ref, str):
        if ref in seen:
            return []
        seen.add(ref)
    s = e.get("/S", "")
    kids = e.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    below = []
    if re.fullmatch(r"/H[1-6]", s):
        lv = int(s[2])
        if lv > last_h + 1:
            problems.append("heading %s after H%d: a level skipped" % (s[1:], last_h))
        last_h = lv
    for k in kids:
        if isinstance(k, str) and k.endswith(" R"):
            below += visit(k, depth + 1)
        elif isinstance(k, dict) and "/S" in k:
            below += visit(k, depth + 1)
    if s == "/Figure" and not e.get("/Alt"):
        problems.append("a Figure without /Alt")
    if s == "/Table" and "/TH" not in below:
        problems.append("a Table without TH")
    return below + [s]


visit(root["/K"])
for p in problems[:20]:
    print(path + ": " + p)
if len(problems) > 20:
    print(path + ": ... %d problems in all" % len(problems))
sys.exit(1 if problems else 0)
