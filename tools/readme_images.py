#!/usr/bin/python3
"""Pictures of the documents for the README (docs/img/*.png).

    python3 tools/readme_images.py OUT_DIR PASSWORD [IMG_DIR]

OUT_DIR is what `mspdoc build -i inputs` wrote (PASSWORD opens the
restricted digest). Each picture puts a few pages of one document side by
side, rendered small by pdftoppm; the PNG is written with zlib alone, in
greys where the pages are grey, so that each file stays small.
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

# document, pages shown, resolution (dpi)
PICTURES = {
    "catalogue": ("catalogue.pdf", [1, 5, 7], 40),
    "digest": ("digest.pdf", [1, 2, 5], 40),
    "progress": ("progress.pdf", [1, 2, 5], 40),
    "paper": ("papers/national-implementation.pdf", [1, 2, 3], 40),
}
GAP = 8  # pixels of white between pages


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P6\nW H\n255\n
    parts = data.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    return w, h, parts[3]


def render(pdf, page, dpi, password, tmp):
    stem = os.path.join(tmp, "p%d" % page)
    cmd = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    if password:
        cmd += ["-upw", password]
    subprocess.run(cmd + [pdf, stem], check=True)
    return read_ppm(stem + ".ppm")


def png(path, w, h, rows):
    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + r for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main():
    out, password = sys.argv[1], sys.argv[2]
    img = sys.argv[3] if len(sys.argv) > 3 else "docs/img"
    os.makedirs(img, exist_ok=True)
    for name, (pdf, pages, dpi) in PICTURES.items():
        with tempfile.TemporaryDirectory() as tmp:
            shots = [render(os.path.join(out, pdf), p, dpi, password, tmp) for p in pages]
        h = max(s[1] for s in shots)
        w = sum(s[0] for s in shots) + GAP * (len(shots) + 1)
        rows = []
        white = b"\xff\xff\xff"
        for y in range(h + 2 * GAP):
            row = [white * GAP]
            for sw, sh, px in shots:
                yy = y - GAP
                row.append(px[yy * sw * 3:(yy + 1) * sw * 3] if 0 <= yy < sh else white * sw)
                row.append(white * GAP)
            rows.append(b"".join(row))
        path = os.path.join(img, name + ".png")
        png(path, w, h + 2 * GAP, rows)
        print("%s: %d x %d, %d bytes" % (path, w, h + 2 * GAP, os.path.getsize(path)))


if __name__ == "__main__":
    main()
