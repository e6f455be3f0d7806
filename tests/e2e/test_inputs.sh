#!/bin/sh
# test_inputs.sh — what senders really send (issue 19): files of unknown
# kinds, values as people type them, honest templates, Word and .ods files.
. tests/e2e/lib.sh

# 1. A file of a kind mspdoc does not read is an error naming it; a photo
# in another format is an asset (warning), not an error.
mkdir -p "$TMP/k"
printf 'hello' >"$TMP/k/notes.pdf"
run_mspdoc check "$TMP/k" 2>"$TMP/e"
expect_eq "a .pdf among the inputs exits 1" $? 1
expect_grep "the .pdf is named as an error" "notes.pdf: error: .*not read" "$TMP/e"
rm "$TMP/k/notes.pdf"
printf 'x' >"$TMP/k/phone.heic"
run_mspdoc check "$TMP/k" 2>"$TMP/e"
expect_eq "a .heic photo alone exits 0" $? 0
expect_grep "the .heic photo gets a warning" "phone.heic: warning: .*JPEG" "$TMP/e"

# 2. Values as people type them: one bad optional value is a warning and the
# record stays; an ambiguous date is an error naming the line and both readings.
mkdir -p "$TMP/v"
cat >"$TMP/v/c.md" <<'MD'
Form: Contribution
Country: Lao PDR
Title: Values as typed
Role: Donor
Scope: Bilateral
Areas: VA
Budget: 450000
Author: A. Writer
Contact: A. Writer, a.writer@example.org
Received: 31 June 2013
Rights: cleared

## Summary

Text.
MD
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "a bad optional date keeps the record (exit 0)" $? 0
expect_grep "bad Received is a warning at its line" "c.md:10: warning: Received: '31 June 2013' is not a date" "$TMP/e"
expect_grep "a bare budget names the currency assumed" "c.md:7: warning: Budget: '450000' has no currency: read as USD 450,000" "$TMP/e"
sed -i 's/^Received: .*/Received: 02\/03\/2013/' "$TMP/v/c.md"
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "an ambiguous date exits 1" $? 1
expect_grep "ambiguous date: line and both readings" "c.md:10: error: Received: '02/03/2013' could be 2 March 2013 or 3 February 2013" "$TMP/e"
sed -i 's/^Received: .*/Received: July 22, 2013/; s/^Budget: .*/Budget: 95 000 €/' "$TMP/v/c.md"
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "typed date and amount accepted" $? 0
expect_nogrep "no warning for a typed date and amount" ": warning:" "$TMP/e"

# 4. Honest templates: a section with only the template's instructions is
# empty; the message for an empty field names its line.
cat >"$TMP/v/c.md" <<'MD'
Form: Contribution
Country: Lao PDR
Title:
Role: Donor
Scope: Bilateral
Areas: VA
Author: A. Writer
Contact: A. Writer, a.writer@example.org
Rights: cleared

## Summary

<!-- What was done, by whom, with what result (required). -->
MD
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "an instructions-only section is an error" $? 1
expect_grep "the empty Summary is named at its heading" "c.md:11: error: required section 'Summary' is empty" "$TMP/e"
expect_grep "the empty Title is named at its line" "c.md:3: error: required field 'Title' is empty" "$TMP/e"

# 7. Word: the Word samples of inputs/ (tools/make_word_samples.sh: pandoc,
# then saved again by LibreOffice) give the same book and digest as their
# Markdown originals in tools/word-src/.
mkdir -p "$TMP/wmd/photos" "$TMP/wdx"
for n in peru-stockpile-destruction senegal-risk-education; do
	cp "tools/word-src/$n.md" "$TMP/wmd/"
	cp "inputs/catalogue/$n.docx" "$TMP/wdx/"
done
cp inputs/catalogue/photos/*.jpg "$TMP/wmd/photos/"
cp inputs/catalogue/book.md "$TMP/wmd/"
cp inputs/catalogue/book.md "$TMP/wdx/"
run_mspdoc catalogue "$TMP/wmd" -o "$TMP/cmd" 2>"$TMP/e1"
expect_eq "catalogue from the Markdown originals" $? 0
run_mspdoc catalogue "$TMP/wdx" -o "$TMP/cdx" 2>"$TMP/e2"
expect_eq "catalogue from the Word versions" $? 0
expect_nogrep "Word versions read without a warning" ": warning:" "$TMP/e2"
pdftotext "$TMP/cmd.pdf" "$TMP/cmd.txt"
pdftotext "$TMP/cdx.pdf" "$TMP/cdx.txt"
if cmp -s "$TMP/cmd.txt" "$TMP/cdx.txt"; then ok; else bad "Word and Markdown books differ: $(diff "$TMP/cmd.txt" "$TMP/cdx.txt" | head -10)"; fi
expect_grep "the Word book has the Peru chapter" "Destroying a small stockpile" "$TMP/cdx.txt"
expect_grep "the Word book has the table" "Submunitions" "$TMP/cdx.txt"
expect_eq "the Word book has both photos" "$(pdfimages -list "$TMP/cdx.pdf" | tail -n +3 | wc -l)" "$(pdfimages -list "$TMP/cmd.pdf" | tail -n +3 | wc -l)"
expect_eq "photos counted" "$(pdfimages -list "$TMP/cdx.pdf" | tail -n +3 | wc -l)" 2
mkdir -p "$TMP/pmd" "$TMP/pdx"
sed 's/^Restricted: .*/Restricted: no/' inputs/portal/digest.md >"$TMP/pmd/digest.md"
cp "$TMP/pmd/digest.md" "$TMP/pdx/"
cp tools/word-src/need-tajikistan-victim-data.md "$TMP/pmd/"
cp inputs/portal/need-tajikistan-victim-data.docx "$TMP/pdx/"
run_mspdoc digest "$TMP/pmd" -o "$TMP/dmd" --as-of 2026-06-01 2>/dev/null
run_mspdoc digest "$TMP/pdx" -o "$TMP/ddx" --as-of 2026-06-01 2>"$TMP/e3"
expect_eq "digest from the Word entry" $? 0
pdftotext "$TMP/dmd.pdf" "$TMP/dmd.txt" 2>/dev/null
pdftotext "$TMP/ddx.pdf" "$TMP/ddx.txt" 2>/dev/null
if cmp -s "$TMP/dmd.txt" "$TMP/ddx.txt"; then ok; else bad "Word and Markdown digests differ: $(diff "$TMP/dmd.txt" "$TMP/ddx.txt" | head -10)"; fi
expect_grep "the Word entry is in the digest" "national database of survivors" "$TMP/ddx.txt"
# a Word file with an error names the paragraph
mkdir -p "$TMP/wbad"
cp inputs/catalogue/senegal-risk-education.docx "$TMP/wbad/s.docx"
run_mspdoc check "$TMP/wbad/s.docx" 2>"$TMP/e"
expect_eq "the Word sample checks clean" $? 0
printf 'not a zip' >"$TMP/wbad/broken.docx"
run_mspdoc check "$TMP/wbad/broken.docx" 2>"$TMP/e"
expect_eq "a damaged .docx exits 1" $? 1
expect_grep "a damaged .docx is named" "broken.docx: error: not a Word document" "$TMP/e"

# 5. Stable references: a title change keeps the generated reference; two
# files with one reference are one entry, the later date wins.
mkdir -p "$TMP/ref"
sed 's/^Restricted: .*/Restricted: no/' inputs/portal/digest.md >"$TMP/ref/digest.md"
cp inputs/portal/need-iraq-survey.md "$TMP/ref/a.md"
run_mspdoc digest "$TMP/ref" -o "$TMP/r1" --as-of 2026-06-01 2>/dev/null
sed -i 's/^Title: .*/Title: A new title for the same need/' "$TMP/ref/a.md"
run_mspdoc digest "$TMP/ref" -o "$TMP/r2" --as-of 2026-06-01 2>/dev/null
/usr/bin/python3 -c "import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).worksheets[0]['A2'].value)" "$TMP/r1.xlsx" >"$TMP/ref1"
/usr/bin/python3 -c "import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).worksheets[0]['A2'].value)" "$TMP/r2.xlsx" >"$TMP/ref2"
expect_eq "generated reference in digest.xlsx" "$(cat "$TMP/ref1")" "N-2026-IRQ-0504-1"
expect_eq "a new title keeps the reference" "$(cat "$TMP/ref2")" "$(cat "$TMP/ref1")"
printf "Reference: N-2026-IRQ-0504-1\n" >"$TMP/hdr"
sed -i "/^Submitted:/r $TMP/hdr" "$TMP/ref/a.md"
sed 's/^Submitted: .*/Submitted: 2026-05-20/; s/^Title: .*/Title: Survey in Basrah and Muthanna, corrected/' "$TMP/ref/a.md" >"$TMP/ref/b.md"
run_mspdoc check "$TMP/ref" 2>"$TMP/e"
expect_eq "the same reference in two files is not an error" $? 0
expect_grep "the earlier one is named with a warning" "a.md:1: warning: reference 'N-2026-IRQ-0504-1' is also used at .*b.md:1" "$TMP/e"
run_mspdoc digest "$TMP/ref" -o "$TMP/r3" --as-of 2026-06-01 2>/dev/null
pdftotext "$TMP/r3.pdf" "$TMP/r3.txt"
expect_grep "the later entry is printed" "corrected" "$TMP/r3.txt"
expect_nogrep "the earlier entry is not" "A new title for the same need" "$TMP/r3.txt"

# 6. LibreOffice .ods copies of the sample workbooks give the same records
# as the .xlsx originals (tools/make_ods_samples.py).
mkdir -p "$TMP/ox" "$TMP/oo"
sed 's/^Restricted: .*/Restricted: no/' inputs/portal/digest.md >"$TMP/ox/digest.md"
cp "$TMP/ox/digest.md" "$TMP/oo/"
cp inputs/portal/register.xlsx "$TMP/ox/"
cp tests/fixtures/ods/register.ods "$TMP/oo/"
run_mspdoc digest "$TMP/ox" -o "$TMP/dx" --as-of 2026-06-01 2>"$TMP/e1"
run_mspdoc digest "$TMP/oo" -o "$TMP/do" --as-of 2026-06-01 2>"$TMP/e2"
expect_eq "digest from the .ods register" $? 0
pdftotext "$TMP/dx.pdf" "$TMP/dx.txt"
pdftotext "$TMP/do.pdf" "$TMP/do.txt"
if cmp -s "$TMP/dx.txt" "$TMP/do.txt"; then ok; else bad ".ods and .xlsx digests differ: $(diff "$TMP/dx.txt" "$TMP/do.txt" | head -10)"; fi
expect_eq "same diagnostics but the file name" "$(sed 's/register\.xlsx/register.X/' "$TMP/e1")" "$(sed 's/register\.ods/register.X/' "$TMP/e2")"
run_mspdoc progress inputs/progress/progress-data.xlsx -o "$TMP/px" 2>/dev/null
run_mspdoc progress tests/fixtures/ods/progress-data.ods -o "$TMP/po" 2>/dev/null
expect_eq "progress from the .ods workbook" $? 0
pdftotext "$TMP/px.pdf" "$TMP/px.txt"
pdftotext "$TMP/po.pdf" "$TMP/po.txt"
if cmp -s "$TMP/px.txt" "$TMP/po.txt"; then ok; else bad ".ods and .xlsx progress reports differ: $(diff "$TMP/px.txt" "$TMP/po.txt" | head -10)"; fi
mkdir -p "$TMP/cx/photos" "$TMP/co/photos"
cp inputs/catalogue/photos/* "$TMP/cx/photos/"
cp inputs/catalogue/photos/* "$TMP/co/photos/"
cp inputs/catalogue/book.md "$TMP/cx/"
cp inputs/catalogue/book.md "$TMP/co/"
cp inputs/catalogue/contribution-bosnia.xlsx "$TMP/cx/"
cp tests/fixtures/ods/contribution-bosnia.ods "$TMP/co/"
run_mspdoc catalogue "$TMP/cx" -o "$TMP/kx" 2>/dev/null
run_mspdoc catalogue "$TMP/co" -o "$TMP/ko" 2>/dev/null
expect_eq "catalogue from the .ods Form sheet" $? 0
pdftotext "$TMP/kx.pdf" "$TMP/kx.txt"
pdftotext "$TMP/ko.pdf" "$TMP/ko.txt"
if cmp -s "$TMP/kx.txt" "$TMP/ko.txt"; then ok; else bad ".ods and .xlsx books differ: $(diff "$TMP/kx.txt" "$TMP/ko.txt" | head -10)"; fi

# 8. Photos from spreadsheets: a Photographs cell of `file; caption; credit`
# lines gives photos, not text.
cp inputs/catalogue/contribution-zambia.ods "$TMP/co/"
rm "$TMP/co/contribution-bosnia.ods"
run_mspdoc catalogue "$TMP/co" -o "$TMP/kz" 2>"$TMP/e"
expect_eq "catalogue from the Zambia .ods" $? 0
expect_eq "both photos of the Photographs cell are printed" "$(pdfimages -list "$TMP/kz.pdf" | tail -n +3 | wc -l)" 2
pdftotext "$TMP/kz.pdf" "$TMP/kz.txt"
expect_grep "the caption is printed" "A survivor is fitted with a new prosthesis" "$TMP/kz.txt"
expect_nogrep "the file name is not printed as text" "prosthesis-fitting-ljubljana" "$TMP/kz.txt"

# 7b. The Word templates: reproducible, the same diagnostics as the Markdown
# templates when blank, and clean when filled in.
run_mspdoc templates -o "$TMP/tpl" 2>/dev/null
run_mspdoc templates -o "$TMP/tpl2" 2>/dev/null
for k in contribution book need offer experience digest paper; do
	[ -s "$TMP/tpl/$k.docx" ] && cmp -s "$TMP/tpl/$k.docx" "$TMP/tpl2/$k.docx" && ok || bad "Word template $k missing or not reproducible"
done
for k in contribution need digest; do
	run_mspdoc check "$TMP/tpl/$k.md" 2>&1 | sed 's/\.md:/.X:/' | grep -v '^mspdoc check' >"$TMP/dm"
	run_mspdoc check "$TMP/tpl/$k.docx" 2>&1 | sed 's/\.docx:/.X:/' | grep -v '^mspdoc check' >"$TMP/dd"
	expect_nogrep "blank Word $k template: nothing ignored" ": warning:" "$TMP/dd"
	expect_eq "blank Word $k template: same fields missing as the Markdown one" "$(sed 's/:[0-9]*:/:/' "$TMP/dd")" "$(sed 's/:[0-9]*:/:/' "$TMP/dm")"
done
/usr/bin/python3 tests/tools/fill_word_templates.py "$TMP/tpl" "$TMP/wfilled" || bad "fill_word_templates failed"
run_mspdoc check "$TMP/wfilled" 2>"$TMP/e"
expect_eq "filled Word templates check clean" $? 0
expect_nogrep "filled Word templates: no error" ": error: " "$TMP/e"

# 8b. A picture pasted into a Form sheet is read through the sheet's drawing
# and printed with its alternative text as caption and credit.
mkdir -p "$TMP/pp"
cp inputs/catalogue/book.md "$TMP/pp/"
/usr/bin/python3 -c "
import openpyxl, sys
wb = openpyxl.load_workbook('inputs/catalogue/contribution-bosnia.xlsx')
for r in wb['Form'].iter_rows():
    if r[0].value == 'Photographs':
        r[1].value = None
wb.save(sys.argv[1])" "$TMP/base.xlsx"
/usr/bin/python3 tests/tools/paste_picture.py "$TMP/base.xlsx" inputs/catalogue/photos/survey-lane-herzegovina.jpg "A survey team in Herzegovina. Credit: BHMAC" "$TMP/pp/pasted.xlsx" || bad "paste_picture failed"
run_mspdoc catalogue "$TMP/pp" -o "$TMP/ppo" 2>"$TMP/e"
expect_eq "catalogue with a pasted picture" $? 0
expect_eq "the pasted picture is printed" "$(pdfimages -list "$TMP/ppo.pdf" | tail -n +3 | wc -l)" 1
pdftotext "$TMP/ppo.pdf" "$TMP/ppo.txt"
expect_grep "its alternative text is the caption" "A survey team in Herzegovina" "$TMP/ppo.txt"
expect_grep "and the credit" "Credit: BHMAC" "$TMP/ppo.txt"

# Hostile Word and .ods files: a DOCTYPE is refused, a million repeated rows
# cost nothing, deleted text is left out with a warning.
mkdir -p "$TMP/h"
/usr/bin/python3 - "$TMP/h" <<'PY'
import sys, zipfile
d = sys.argv[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def docx(name, body, doctype=""):
    z = zipfile.ZipFile(d + "/" + name, "w")
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", '<?xml version="1.0"?>%s<w:document %s><w:body>%s</w:body></w:document>' % (doctype, W, body))
    z.close()
def p(t):
    return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % t
docx("doctype.docx", p("Form: Need"), '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
hdr = "".join(p(x) for x in ["Form: Need", "Submitter: Iraq", "Submitter type: State Party", "Title: T", "Areas: CL", "Assistance: Training", "Contact: c@example.org", "Submitted: 4 May 2026"])
docx("tracked.docx", hdr + p("") + '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Description</w:t></w:r></w:p>' +
     '<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t>added</w:t></w:r></w:ins></w:p>')
z = zipfile.ZipFile(d + "/needs-big.ods", "w")
z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
T = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
def c(t): return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % t
z.writestr("content.xml", '<office:document-content %s><office:body><office:spreadsheet><table:table table:name="Needs">'
    '<table:table-row>%s</table:table-row>'
    '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
    '</table:table></office:spreadsheet></office:body></office:document-content>' % (T, c("Submitter") + c("Title")))
z.close()
PY
run_mspdoc check "$TMP/h/doctype.docx" 2>"$TMP/e"
expect_eq "a .docx with a DOCTYPE exits 1" $? 1
expect_grep "the DOCTYPE is named" "doctype.docx: error: .*DOCTYPE" "$TMP/e"
run_mspdoc check "$TMP/h/tracked.docx" 2>"$TMP/e"
expect_eq "a .docx with tracked changes is read" $? 0
expect_grep "deleted text is warned about" "tracked.docx:.*warning: the text deleted under tracked changes" "$TMP/e"
MSPDOC_DOCX_DEBUG=1 run_mspdoc check "$TMP/h/tracked.docx" 2>"$TMP/e"
expect_grep "insertions are read, deletions are not" "^Kept added" "$TMP/e"
run_mspdoc check "$TMP/h/needs-big.ods" 2>"$TMP/e"
expect_eq "a million repeated empty rows: read, nothing in them" "$(grep -c ': error:' "$TMP/e")" 0

finish inputs
