#!/bin/sh
# Every glyph a PDF embeds is whole, whichever libharu subsets the fonts:
# libharu before 2.4 (Debian 12 and 13) keeps the parts of a composite
# glyph but not the parts of those parts, and the text layer does not show
# the loss (tests/tools/pdf_glyphs.py reads the embedded fonts instead).
# DejaVu Sans builds the syllabics' long vowels (U+14AB = U+14AA and a
# dot, U+14AA = U+1466 turned) and U+0626 (U+0649 and U+0654, U+0654 of
# U+0674) in two levels.
. tests/e2e/lib.sh

cat >"$TMP/syllabics.md" <<'MD'
Form: Paper
Convention: Convention on Cluster Munitions
Symbol: CCM/MSP/2015/WP.4
Date: 2015-06-15
Original: English
Distribution: General
Meeting: First Review Conference
Venue: Dubrovnik, 7–11 September 2015
Item: 10
Item title: Transparency measures
Title: Titles of national reports in their own scripts
Submitted by: Canada

## Background

States that report in more than one language asked that the titles of
their reports be printed as they gave them, in their own scripts.

## Titles received

The report's title in Inuktitut syllabics: ᐊᕐᕌᒍᑕᒫᑦ ᐅᖃᐅᓯᖅ ᑖᒃᑯᐊ.

The title of an annex as one delegation typed it: ئ.
MD
run_mspdoc paper "$TMP/syllabics.md" -o "$TMP/s.pdf" 2>"$TMP/se"
expect_eq "syllabics: built" "$([ -f "$TMP/s.pdf" ] && echo yes)" yes
/usr/bin/python3 tests/tools/pdf_glyphs.py "$TMP/s.pdf" >"$TMP/sg" 2>&1 && ok ||
	bad "syllabics: a glyph without one of its parts: $(head -3 "$TMP/sg")"
pdftotext "$TMP/s.pdf" "$TMP/sx" 2>/dev/null
expect_grep "syllabics: extract" "ᐊᕐᕌᒍᑕᒫᑦ ᐅᖃᐅᓯᖅ ᑖᒃᑯᐊ" "$TMP/sx"
expect_nogrep "syllabics: printed, not warned" "U\+14" "$TMP/se"
# the check finds the loss: a font whose glyph 1 (with ink) is made of
# glyph 2, which has no outline, as libharu 2.3.0 left U+0654's part
/usr/bin/python3 - "$TMP/partless.pdf" <<'PY'
import struct, sys
head = bytearray(54)
head[12:16] = struct.pack(">I", 0x5F0F3CF5)
head[18:20] = struct.pack(">H", 1000)
glyf = struct.pack(">hhhhh", -1, 0, 0, 100, 100) + struct.pack(">HHbb", 0x0002, 2, 0, 0)
loca = struct.pack(">4H", 0, 0, len(glyf) // 2, len(glyf) // 2)
tabs = [(b"glyf", glyf), (b"head", bytes(head)), (b"loca", loca)]
off = 12 + 16 * len(tabs)
font = struct.pack(">IHHHH", 0x00010000, len(tabs), 0, 0, 0)
body = b""
for tag, data in tabs:
    font += struct.pack(">4sIII", tag, 0, off + len(body), len(data))
    body += data + b"\0" * (-len(data) % 4)
font += body
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Type /FontDescriptor /FontName /Partless /Flags 32 /FontFile2 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(font) + font + b"\nendstream"]
out, xref = b"%PDF-1.4\n", []
for i, o in enumerate(objs):
    xref.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % a for a in xref)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
/usr/bin/python3 tests/tools/pdf_glyphs.py "$TMP/partless.pdf" >"$TMP/pg" 2>&1
expect_eq "the check fails on a glyph without its part" $? 1
expect_grep "the check names the glyph and its part" "Partless: glyph 1 is drawn without its part, glyph 2 " "$TMP/pg"
# the paper in several scripts (test_tags.sh) and the sample paper
run_mspdoc paper tests/fixtures/glyphs/scripts.md -o "$TMP/scripts.pdf" 2>/dev/null
/usr/bin/python3 tests/tools/pdf_glyphs.py "$TMP/scripts.pdf" >"$TMP/cg" 2>&1 && ok ||
	bad "scripts: a glyph without one of its parts: $(head -3 "$TMP/cg")"
finish glyphs
