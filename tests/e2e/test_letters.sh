#!/bin/sh
# Letters (documents.md §6, §7): the workshop letter as PDF and Word, the
# mail merge, a working paper's Word version, and the Letter form's
# diagnostics.
. tests/e2e/lib.sh
L=inputs/letters/2013-04-03-workshop.md
R=inputs/letters/recipients.csv
O="$TMP/out"

run_mspdoc letter "$L" -o "$O" 2>"$TMP/e"
expect_eq "letter exit" $? 0
P="$O/2013-04-03-workshop.pdf"
pdftotext -layout "$P" "$TMP/l.txt"
expect_grep "UN date form" "Geneva, 3 April 2013" "$TMP/l.txt"
expect_grep "salutation" "^ *Dear Excellency,$" "$TMP/l.txt"
expect_grep "bold phrase in the body" "technical workshop on funding" "$TMP/l.txt"
expect_grep "list item" "^ *– to hear how donors plan" "$TMP/l.txt"
expect_grep "closing" "We avail ourselves of this opportunity" "$TMP/l.txt"
expect_grep "addressee" "To the Permanent Representatives of the States Parties" "$TMP/l.txt"
expect_grep "letterheads side by side" "Permanent Mission of Mexico +Permanent Mission of Sweden" "$TMP/l.txt"
expect_grep "signature names on one line" "Andrés MORALES VIDAL +Karin LINDQVIST" "$TMP/l.txt"
expect_grep "signature titles on one line" "^ *Ambassador +Ambassador *$" "$TMP/l.txt"
expect_grep "posts side by side" "Permanent Representative of Mexico to the +Permanent Representative of Sweden to the" "$TMP/l.txt"
pages=$(pdfinfo "$P" | sed -n 's/^Pages: *//p')
[ "$pages" -le 2 ] && ok || bad "the workshop letter takes $pages pages, more than 2"
pdffonts "$P" | grep -q "LiberationSerif-Bold" && ok || bad "no bold face in the letter"
qpdf --check "$P" >/dev/null 2>&1 && ok || bad "qpdf --check fails on the letter"
# the signatures never stand alone at the top of a page: their page holds the closing
for pg in $(seq 1 "$pages"); do
	pdftotext -f "$pg" -l "$pg" "$P" "$TMP/p.txt"
	if grep -q "LINDQVIST" "$TMP/p.txt"; then
		expect_grep "closing on the signatures' page" "avail ourselves" "$TMP/p.txt"
	fi
done
# first page unnumbered, continuation pages numbered (two-page merged letter below)
pdftotext -f 1 -l 1 -layout "$P" "$TMP/p1.txt"
expect_nogrep "no number on page 1" "^ +1$" "$TMP/p1.txt"
# links: the contacts
pdftotext -raw "$P" - | grep -q "lucia.herrera@mexico-geneva.example" && ok || bad "contact missing"
strings "$P" | grep -q "mailto:lucia.herrera@mexico-geneva.example" && ok || bad "contact not linked"

# The Word version: LibreOffice and pandoc read it back.
D="$O/2013-04-03-workshop.docx"
[ -s "$D" ] && ok || bad "no .docx beside the letter"
cp "$D" "$TMP/first.docx"
run_mspdoc letter "$L" -o "$O" 2>/dev/null
cmp -s "$D" "$TMP/first.docx" && ok || bad "the .docx differs between two runs"
/usr/bin/python3 - "$D" <<'PY' && ok || bad "docx parts: see above"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = set(z.namelist())
for p in ("[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml"):
    assert p in names, p
doc = z.read("word/document.xml").decode()
assert 'w:val="Salutation"' in doc and 'w:val="Signature"' in doc, "styles"
i = doc.index("technical workshop on")
assert doc.rfind("<w:b/>", 0, i) > doc.rfind("<w:r>", 0, i), "bold run"
PY
if command -v soffice >/dev/null 2>&1; then
	HOME="$TMP/home" soffice -env:UserInstallation=file://"$TMP/lo" --headless --convert-to txt:Text --outdir "$TMP/lo-out" "$D" >/dev/null 2>&1
	T="$TMP/lo-out/2013-04-03-workshop.txt"
	expect_grep "LibreOffice reads the date" "Geneva, 3.April 2013" "$T" # a no-break space
	expect_grep "LibreOffice reads the salutation" "Dear Excellency," "$T"
	expect_grep "LibreOffice reads the signatures" "Karin LINDQVIST" "$T"
	expect_grep "LibreOffice reads the list" "to map sources of support" "$T"
else
	bad "soffice missing: run tools/deps.sh (libreoffice-writer-nogui)"
fi
if command -v pandoc >/dev/null 2>&1; then
	pandoc -f docx -t plain --wrap=none "$D" >"$TMP/pd.txt" 2>/dev/null
	# the same paragraphs as the form: each body paragraph of the form, as one line
	/usr/bin/python3 - "$L" "$TMP/pd.txt" <<'PY' && ok || bad "pandoc paragraphs differ from the form's"
import re, sys
body = open(sys.argv[1], encoding="utf-8").read().split("\n\n", 1)[1]
# the letter's typography (curly quotes, no-break spaces) against the form's
got = open(sys.argv[2], encoding="utf-8").read().replace("\u00a0", " ")
for a, b in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
    got = got.replace(a, b)
for para in body.split("\n\n"):
    text = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", " ".join(para.split()))
    text = text.replace("**", "")
    if text.startswith("- "):
        for item in re.split(r"\s*(?:^|\s)- ", " " + text)[1:]:
            assert item.strip() in got, item
    else:
        assert text in " ".join(got.split()), text[:60]
PY
	expect_grep "pandoc: list as a list" "^-   to hear how donors" "$TMP/pd.txt"
else
	bad "pandoc missing: run tools/deps.sh"
fi

# Mail merge: three missions, three letters, each to its mission.
run_mspdoc letter "$L" "$R" -o "$TMP/m" 2>"$TMP/e"
expect_eq "merge exit" $? 0
for m in chile:"Rue de Moillebeau 58" lao-pdr:"Rue François-Versonnex 15" norway:"Avenue de Budé 35bis"; do
	f=${m%%:*}
	a=${m#*:}
	pdftotext "$TMP/m/2013-04-03-workshop/$f.pdf" "$TMP/$f.txt" 2>/dev/null
	expect_grep "$f letter has its address" "$a" "$TMP/$f.txt"
	[ -s "$TMP/m/2013-04-03-workshop/$f.docx" ] && ok || bad "$f.docx missing"
done
expect_grep "Chile's letter addressed to Chile" "Permanent Mission of Chile" "$TMP/chile.txt"
expect_nogrep "Chile's letter not to Norway" "Norway" "$TMP/chile.txt"
expect_grep "Lao salutation" "^Excellency,$" "$TMP/lao-pdr.txt"
expect_nogrep "merged letter: no general addressee" "To the Permanent Representatives" "$TMP/norway.txt"
all=$(pdfinfo "$TMP/m/2013-04-03-workshop-all.pdf" | sed -n 's/^Pages: *//p')
sum=0
for f in chile lao-pdr norway; do
	n=$(pdfinfo "$TMP/m/2013-04-03-workshop/$f.pdf" | sed -n 's/^Pages: *//p')
	sum=$((sum + n))
done
expect_eq "combined PDF = the three letters" "$all" "$sum"
/usr/bin/python3 - "$TMP/m/2013-04-03-workshop-register.xlsx" <<'PY' >"$TMP/reg.txt" && ok || bad "register unreadable"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Register"]
for r in ws.iter_rows(min_row=2, values_only=True):
    print("|".join("" if v is None else str(v) for v in r[:4]))
PY
expect_eq "register rows" "$(wc -l <"$TMP/reg.txt")" 3
expect_grep "register: Chile's e-mail and file" "^Permanent Mission of Chile\|mission.chile@chile-geneva.example\|2013-04-03-workshop/chile.pdf\|[12]$" "$TMP/reg.txt"

# A working paper's Word version keeps its numbered paragraphs.
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress -o "$TMP/p/ni.pdf" 2>/dev/null
expect_eq "paper exit" $? 0
nums=$(run_mspdoc paper inputs/papers/national-implementation.md inputs/progress --dump-tree 2>/dev/null | grep -c " number=[0-9]") # paragraphs, not (a) (b) items
/usr/bin/python3 - "$TMP/p/ni.docx" "$nums" <<'PY' && ok || bad "paper .docx numbering"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
doc = z.read("word/document.xml").decode()
n = doc.count('<w:numId w:val="1"/>')
assert n == int(sys.argv[2]), (n, sys.argv[2])
assert "<w:footnoteReference" in doc and b"<w:footnote w:id=\"1\"" in z.read("word/footnotes.xml")
assert 'w:val="SymbolG"' in doc and "CCM/MSP/2013/WP.5" in doc
assert "<w:tbl>" in doc
PY
if command -v pandoc >/dev/null 2>&1; then
	pandoc -f docx -t plain --wrap=none "$TMP/p/ni.docx" >"$TMP/pp.txt" 2>/dev/null
	expect_grep "pandoc: paragraph 1 numbered" "^1\.  Article 9 of the Convention" "$TMP/pp.txt"
	expect_grep "pandoc: numbering goes on after a heading" "^4\.  The table below" "$TMP/pp.txt"
	expect_grep "pandoc: a real footnote" "^\[1\] The progress reports" "$TMP/pp.txt"
fi
if command -v soffice >/dev/null 2>&1; then
	HOME="$TMP/home" soffice -env:UserInstallation=file://"$TMP/lo" --headless --convert-to txt:Text --outdir "$TMP/lo-p" "$TMP/p/ni.docx" >/dev/null 2>&1
	expect_grep "LibreOffice: numbered paragraph" "^ *1\. +Article 9 of the Convention" "$TMP/lo-p/ni.txt"
fi

# Diagnostics, located.
mkdir -p "$TMP/bad"
cat >"$TMP/bad/x.md" <<'MD'
Form: Letter
Senders: Mexico; Sweden; Spain
Place: Geneva
Date: 2013-02-30
Addressee: To all
Closing: Regards.
Signatory: ; Ambassador
Letterhead: ../../etc/passwd

Text.
MD
run_mspdoc letter "$TMP/bad/x.md" -o "$TMP/bo" 2>"$TMP/e"
expect_eq "bad letter exit" $? 1
expect_grep "missing salutation, located" "x.md:1: error: missing required field 'Salutation'" "$TMP/e"
expect_grep "three senders, located" "x.md:2: error: Senders: a letter has one or two senders" "$TMP/e"
expect_grep "bad date, located" "x.md:4: error: Date:" "$TMP/e"
expect_grep "signatory without name" "x.md:7: error: Signatory has no name" "$TMP/e"
expect_grep "letterhead warned, located" "x.md:8: warning: Letterhead:" "$TMP/e"
[ -e "$TMP/bo/x.pdf" ] && bad "a rejected letter was written" || ok
printf 'Mission,Address,Salutation,E-mail\nPermanent Mission of Chile,Geneva,,chile at example\n,Geneva,,x@y.example\n' >"$TMP/bad/recipients.csv"
run_mspdoc letter "$L" "$TMP/bad/recipients.csv" -o "$TMP/bo2" 2>"$TMP/e"
expect_eq "bad recipients exit" $? 1
expect_grep "bad e-mail warned, located" "recipients.csv:2: warning: E-mail 'chile at example'" "$TMP/e"
expect_grep "missing mission, located" "recipients.csv:3: error: (missing )?required field 'Mission'" "$TMP/e"
[ -s "$TMP/bo2/2013-04-03-workshop/chile.pdf" ] && ok || bad "the good row's letter was not written"
/usr/bin/python3 - "$TMP/bad/recipients.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Recipients"
ws.append(["Mission", "Address", "Salutation", "E-mail"])
ws.append(["Permanent Mission of Peru", "Geneva", None, "peru@@example"])
wb.save(sys.argv[1])
PY
run_mspdoc letter "$L" "$TMP/bad/recipients.xlsx" -o "$TMP/bo3" 2>"$TMP/e"
expect_grep "xlsx position" "recipients.xlsx:Recipients!D2: warning: E-mail" "$TMP/e"

# The list given on the command line is a list whatever it is called.
cp "$R" "$TMP/list.csv"
run_mspdoc letter "$L" "$TMP/list.csv" -o "$TMP/m2" 2>/dev/null
expect_eq "any CSV name: exit" $? 0
[ -s "$TMP/m2/2013-04-03-workshop/norway.pdf" ] && ok || bad "list.csv not read as recipients"
/usr/bin/python3 - "$TMP/list.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Mission", "Address", "Salutation", "E-mail"])
ws.append(["Permanent Mission of Peru", "Avenue Louis-Casaï 71\n1216 Cointrin", "Excellency,", "peru@peru-geneva.example"])
wb.save(sys.argv[1])
PY
run_mspdoc letter "$L" "$TMP/list.xlsx" -o "$TMP/m3" 2>/dev/null
expect_eq "any sheet name: exit" $? 0
pdftotext "$TMP/m3/2013-04-03-workshop/peru.pdf" "$TMP/peru.txt" 2>/dev/null
expect_grep "address lines from a cell" "^1216 Cointrin$" "$TMP/peru.txt"

# build: inputs/letters/ with lists under any name (a CSV and a workbook)
mkdir -p "$TMP/in/letters"
cp "$L" "$TMP/in/letters/"
cp "$R" "$TMP/in/letters/mission-list.csv"
cp "$TMP/list.xlsx" "$TMP/in/letters/more.xlsx"
run_mspdoc build -i "$TMP/in" -o "$TMP/bout" 2>"$TMP/e"
expect_eq "build with letters exit" $? 0
expect_eq "build: a letter per mission of both lists" "$(ls "$TMP/bout/letters/2013-04-03-workshop/"*.pdf | wc -l)" 4
[ -s "$TMP/bout/letters/2013-04-03-workshop.docx" ] && ok || bad "build: no .docx of the letter"
expect_grep "build report names the letter" "^Letter 2013-04-03-workshop: " "$TMP/bout/report.txt"

# Letterhead pictures stand in for the name blocks, in the PDF and the .docx
mkdir -p "$TMP/lh/photos"
/usr/bin/python3 - "$TMP/lh/photos" <<'PY'
import struct, sys, zlib
def png(path, rgb):
    w, h = 300, 90
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    ch = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + ch(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + ch(b"IDAT", zlib.compress(raw)) + ch(b"IEND", b""))
png(sys.argv[1] + "/mexico.png", (0, 104, 71))
png(sys.argv[1] + "/sweden.png", (0, 106, 167))
PY
sed 's|^Signatory 2:|Letterhead: photos/mexico.png; photos/sweden.png\nSignatory 2:|' "$L" >"$TMP/lh/l.md"
run_mspdoc letter "$TMP/lh/l.md" -o "$TMP/lh/o" 2>"$TMP/e"
expect_eq "letter with letterheads exit" $? 0
expect_eq "two letterhead pictures in the PDF" "$(pdfimages -list "$TMP/lh/o/l.pdf" | tail -n +3 | wc -l)" 2
pdftotext -layout "$TMP/lh/o/l.pdf" - | grep -qE "Permanent Mission of Mexico +Permanent Mission of Sweden" && bad "name blocks printed beside their pictures" || ok
/usr/bin/python3 - "$TMP/lh/o/l.docx" <<'PY' && ok || bad "letterheads in the .docx"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert "word/media/image2.png" in z.namelist()
doc = z.read("word/document.xml").decode()
assert 'descr="Letterhead of Mexico"' in doc and 'descr="Letterhead of Sweden"' in doc
assert doc.index("image1") < doc.index("</w:tr>") and doc.index("Letterhead of Sweden") < doc.index("</w:tr>")
PY

# The style's paper and margins reach both versions: a Letter style gives
# 612 x 792 pt PDF pages and a Word page of 12240 x 15840 twips; margins as
# the style's (twips = points x 20), mirrored when inner and outer differ.
cp -r styles "$TMP/st"
sed -i 's/^page.width.*/page.width = 8.5in/; s/^page.height.*/page.height = 11in/' "$TMP/st/paper.style"
sed -i '/^page.width/d; s/^page.height.*/page.size = letter/' "$TMP/st/letter.style" # the name
printf 'margin.top = 1in\nmargin.bottom = 0.75in\nmargin.inner = 30mm\nmargin.outer = 20mm\nletter-date.align = left\n' >>"$TMP/st/letter.style"
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress --styles "$TMP/st" -o "$TMP/us/p.pdf" 2>/dev/null
expect_eq "Letter paper exit" $? 0
expect_eq "Letter paper: PDF page size" "$(pdfinfo "$TMP/us/p.pdf" | sed -n 's/^Page size: *\([0-9]* x [0-9]* pts\).*/\1/p')" "612 x 792 pts"
run_mspdoc letter "$L" --styles "$TMP/st" -o "$TMP/us/l" 2>/dev/null
expect_eq "Letter letter exit" $? 0
expect_eq "Letter letter: PDF page size" "$(pdfinfo "$TMP/us/l/$(basename "$L" .md).pdf" | sed -n 's/^Page size: *\([0-9]* x [0-9]* pts\).*/\1/p')" "612 x 792 pts"
# the date where the style puts it: left, at the 30 mm inner margin (85 pt)
pdftotext -bbox -f 1 -l 1 "$TMP/us/l/$(basename "$L" .md).pdf" "$TMP/us/l.html"
x=$(sed -n 's/.*<word xMin="\([0-9]*\)\.[0-9]*"[^>]*>Geneva,<.*/\1/p' "$TMP/us/l.html" | tail -n 1)
expect_eq "letter-date.align = left: the date at the left margin" "$x" 85
run_mspdoc letter "$L" -o "$TMP/a4" 2>/dev/null
/usr/bin/python3 - "$TMP/us/p.docx" "$TMP/us/l/$(basename "$L" .md).docx" "$TMP/a4/$(basename "$L" .md).docx" <<'PY' && ok || bad "the .docx page setup follows the style"
import re, sys, zipfile
def setup(path):
    z = zipfile.ZipFile(path)
    doc = z.read("word/document.xml").decode()
    sz = dict(re.findall(r'w:(\w)="(\d+)"', re.search(r"<w:pgSz [^>]*>", doc).group(0)))
    mar = dict(re.findall(r'w:(\w+)="(\d+)"', re.search(r"<w:pgMar [^>]*>", doc).group(0)))
    return sz, mar, "<w:mirrorMargins" in z.read("word/settings.xml").decode()
sz, mar, mirror = setup(sys.argv[1])            # paper.style: 25 mm all round
assert (sz["w"], sz["h"]) == ("12240", "15840"), sz
assert all(abs(int(mar[k]) - 1417) <= 1 for k in ("top", "bottom", "left", "right")), mar
assert not mirror
sz, mar, mirror = setup(sys.argv[2])            # 1in, 0.75in, inner 30 mm, outer 20 mm
assert (sz["w"], sz["h"]) == ("12240", "15840"), sz
assert (mar["top"], mar["bottom"]) == ("1440", "1080"), mar
assert abs(int(mar["left"]) - 1701) <= 1 and abs(int(mar["right"]) - 1134) <= 1, mar
assert mirror
sz, mar, mirror = setup(sys.argv[3])            # the shipped letter.style: A4
assert (sz["w"], sz["h"]) == ("11906", "16838"), sz
PY
# a paper larger than Word's 22 inches: the Word pages scaled down, said
sed -i 's/^page.width.*/page.width = 40in/; s/^page.height.*/page.height = 30in/' "$TMP/st/paper.style"
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress --styles "$TMP/st" -o "$TMP/big/p.pdf" 2>"$TMP/big.err"
expect_eq "40in paper exit" $? 0
expect_grep "40in paper: the scaling said" "p.docx: warning: the style's paper \(40.0in x 30.0in\) is larger than Word allows" "$TMP/big.err"
pgsz=$(/usr/bin/python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode())' "$TMP/big/p.docx" | grep -o '<w:pgSz [^>]*>')
expect_eq "40in paper: Word's page" "$pgsz" '<w:pgSz w:w="31680" w:h="23760" w:orient="landscape"/>'
if command -v soffice >/dev/null 2>&1; then
	HOME="$TMP/home" soffice -env:UserInstallation=file://"$TMP/lo" --headless --convert-to pdf --outdir "$TMP/lo-us" "$TMP/us/p.docx" >/dev/null 2>&1
	expect_eq "LibreOffice: the Word paper on Letter" "$(pdfinfo "$TMP/lo-us/p.pdf" | sed -n 's/^Page size: *\([0-9]* x [0-9]* pts\).*/\1/p')" "612 x 792 pts"
fi

# templates: letter.md filled in reads back clean
run_mspdoc templates -o "$TMP/tpl" 2>/dev/null
[ -s "$TMP/tpl/letter.md" ] && [ -s "$TMP/tpl/recipients.xlsx" ] && ok || bad "letter templates missing"

finish letters
