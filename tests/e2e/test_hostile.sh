#!/bin/sh
# Hostile inputs, end to end (issue 16, quality.md "Reliability and
# security"): each class gives the right exit code and a message naming the
# place, no signal, and the rest of the document is written.
. tests/e2e/lib.sh
# no_signal WHAT RC: the run ended by itself (a signal gives 128 + N)
no_signal() { if [ "$2" -lt 128 ]; then ok; else bad "$1: killed by signal $(($2 - 128))"; fi; }

# 1. Photos: damaged, truncated, oversized and unusual ones; the good ones go in
mkdir -p "$TMP/cat"
cp inputs/catalogue/book.md "$TMP/cat/"
cp -r tests/bad/photos "$TMP/cat/photos"
cp tests/bad/photos.md "$TMP/cat/photos.md"
run_mspdoc catalogue "$TMP/cat" -o "$TMP/out/cat" 2>"$TMP/e"
rc=$?
no_signal "photos" $rc
expect_eq "bad photos exit 1" $rc 1
for f in exif-length-0.jpg exif-length-1.jpg jpeg-truncated.jpg jpeg-soi-only.jpg \
	jpeg-no-frame.jpg jpeg-zero-size.jpg jpeg-12bit.jpg jpeg-lossless.jpg \
	png-truncated.png png-bad-crc.png png-no-idat.png png-huge.png; do
	expect_grep "$f named with its line" "photos.md:[0-9]+: error: photo 'photos/$f' is left out: " "$TMP/e"
done
expect_grep "12-bit says how to re-save" "12-bit JPEG.*8 bits per channel" "$TMP/e"
expect_grep "huge PNG refused before decoding" "30000 x 30000 pixels, more than the 50 megapixels" "$TMP/e"
[ -s "$TMP/out/cat.pdf" ] && ok || bad "no catalogue written beside bad photos"
qpdf --check "$TMP/out/cat.pdf" >/dev/null 2>&1 && ok || bad "catalogue with photos fails qpdf --check"
# the nine usable ones (interlaced PNG, progressive, gray, CMYK, arithmetic
# and two-channel JPEG converted) are in, and counted; the bad ones are not
expect_grep "report counts the good photos only" "1 included, 0 rejected.*; 9 photograph" "$TMP/out/cat.report.txt"
n=$(pdfimages -list "$TMP/out/cat.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
expect_eq "nine photos embedded" "$n" 9
n=$(pdfimages -list "$TMP/out/cat.pdf" | awk 'NR > 2 && $3 == "smask"' | wc -l)
expect_eq "PNG alpha kept as soft masks" "$n" 2

# 2-4. Footnotes citing themselves, links, raw HTML, UTF-16: each named
# with its line, the rest of the catalogue written
mkdir -p "$TMP/t"
cp inputs/catalogue/book.md tests/bad/footnote-cycle.md tests/bad/links.md \
	tests/bad/raw-html.md tests/bad/utf16-bom.md "$TMP/t/"
run_mspdoc catalogue "$TMP/t" -o "$TMP/tout/cat" 2>"$TMP/e"
rc=$?
no_signal "text classes" $rc
expect_eq "footnote circles exit 1" $rc 1
expect_grep "self-citing footnote named by its line" "footnote-cycle.md:26: error: this footnote cites itself" "$TMP/e"
expect_grep "footnote circle through another named" "footnote-cycle.md:28: error: this footnote cites itself" "$TMP/e"
expect_grep "javascript link named" "links.md:21: warning: link target 'javascript:alert\(1\)' is kept as text" "$TMP/e"
expect_grep "file link named" "links.md:21: warning: link target 'file:///etc/passwd'" "$TMP/e"
expect_grep "data link named" "links.md:22: warning: link target 'data:text/html,hello'" "$TMP/e"
expect_nogrep "an empty target is plain text, no warning" "link target ''" "$TMP/e"
expect_grep "raw HTML block named" "raw-html.md:20: warning: raw HTML is kept as plain text" "$TMP/e"
expect_grep "inline HTML named" "raw-html.md:22: warning: raw HTML is kept as plain text" "$TMP/e"
expect_nogrep "UTF-16 form read, not 'no Form: line'" "utf16-bom.md.*Form:" "$TMP/e"
pdftotext "$TMP/tout/cat.pdf" "$TMP/t.txt"
expect_grep "UTF-16 form in the catalogue" "A form saved as UTF-16 by Notepad" "$TMP/t.txt"
expect_grep "the footnote's text once" "^x y$|^1 ?x ?y$|x y" "$TMP/t.txt"
expect_grep "the rest after the circle is printed" "The rest of the contribution is printed" "$TMP/t.txt"
expect_grep "raw HTML kept as text" '<div class="note">A block of HTML</div>' "$TMP/t.txt"
expect_nogrep "template comments dropped" "a template comment" "$TMP/t.txt"
strings "$TMP/tout/cat.pdf" | grep -a "/URI" >"$TMP/uris" || true
expect_nogrep "no javascript/file/data link action" "javascript|file:|data:" "$TMP/uris"
python3 - "$TMP/tout/cat.pdf" >"$TMP/uris" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
for u in re.findall(rb'/URI *\(([^)]*)\)', d):
    print(u.decode('latin-1').replace('\\057', '/'))
PY
expect_grep "https link kept" "^https://www.example.org" "$TMP/uris"
expect_grep "mailto link kept" "^mailto:author@example.org" "$TMP/uris"
expect_nogrep "no other scheme as a link" "^(javascript|file|data):" "$TMP/uris"
# a footnote citing itself in a working paper: the paper is whole
mkdir -p "$TMP/wp/papers"
{ sed -n 1,14p inputs/papers/national-implementation.md
  printf '\nThe first numbered paragraph cites a note.[^a]\n\nThe last paragraph of the paper.\n\n[^a]: x[^a] y[^a]\n'; } >"$TMP/wp/papers/p.md"
run_mspdoc build -i "$TMP/wp" -o "$TMP/wpout" 2>"$TMP/e"
rc=$?
no_signal "paper with a circle" $rc
expect_eq "paper with a footnote circle exits 1" $rc 1
expect_grep "paper's footnote named" "p.md:20: error: this footnote cites itself" "$TMP/e"
pdftotext "$TMP/wpout/papers/p.pdf" - | grep -q "The last paragraph of the paper" && ok || bad "the paper is cut short"
# a header of 20,000 continuation lines is read in one pass, whole
{ printf 'Form: Contribution\nCountry: Peru\nTitle: A title\n'
  i=0; while [ $i -lt 20000 ]; do echo "  that goes on"; i=$((i + 1)); done
  printf '\nText.\n'; } >"$TMP/long.md"
run_mspdoc check "$TMP/long.md" >/dev/null 2>"$TMP/e"
no_signal "long header" $?
expect_grep "long header read to its end" "mspdoc check: 1 file" "$TMP/e"

# 5. Workbooks: caps before inflating, duplicates, error cells, dates out
# of range, a sheet whose part or relationship is missing
for f in tests/bad/books/*.xlsx; do
	run_mspdoc check "$f" >/dev/null 2>"$TMP/e"
	rc=$?
	no_signal "$f" $rc
	expect_eq "$f exits 1" $rc 1
	cp "$TMP/e" "$TMP/$(basename "$f").err"
done
B=$TMP
expect_grep "declared sizes refused before inflating" "declared-bomb.xlsx: error: .*zip bomb" "$B/declared-bomb.xlsx.err"
expect_grep "duplicate zip entries named" "duplicate-entry.xlsx: error: two entries of the zip archive have the same name" "$B/duplicate-entry.xlsx.err"
expect_grep "duplicate row at its cell" "duplicate-row.xlsx:Needs!A3: error: this row appears twice" "$B/duplicate-row.xlsx.err"
expect_grep "duplicate column at its header" "duplicate-column.xlsx:Needs!K1: error: column 'Title' appears twice \(first in column C\)" "$B/duplicate-column.xlsx.err"
expect_grep "error cell named" "error-cell.xlsx:Needs!C2: error: Title: the cell holds the spreadsheet error '#DIV/0!'" "$B/error-cell.xlsx.err"
expect_grep "1e300 is no date" "date-range.xlsx:Needs!I2: error: Submitted: '1e\+300' is not a date" "$B/date-range.xlsx.err"
expect_grep "NaN is no date" "date-range.xlsx:Needs!I3: error: Submitted: 'nan' is not a date" "$B/date-range.xlsx.err"
expect_grep "missing part named, sheet named" "missing-part.xlsx:Offers: error: the sheet's part 'xl/worksheets/sheet2.xml' is missing" "$B/missing-part.xlsx.err"
expect_grep "missing relationship named" "missing-relationship.xlsx:Offers: error: .*relationship \('rId99'\) is missing" "$B/missing-relationship.xlsx.err"
# the other sheets of a workbook with a missing part are still read
mkdir -p "$TMP/portal/portal"
cp inputs/portal/digest.md tests/bad/books/missing-part.xlsx "$TMP/portal/portal/"
MSPDOC_PASSWORD=x run_mspdoc build -i "$TMP/portal" -o "$TMP/pout" 2>"$TMP/e"
no_signal "portal with a missing sheet" $?
expect_grep "the other sheets of the damaged workbook in the digest" "\(2 needs, 0 offers, 2 experiences\)" "$TMP/pout/report.txt"
# 10,000 sheets are read (the sheet lookup was quadratic: 79 s)
python3 - "$TMP/many.xlsx" <<'PY'
import sys, zipfile
n = 9990
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('_rels/.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % R)
    z.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="%s"><sheets>' % R + ''.join('<sheet name="S%d" sheetId="%d" r:id="rId%d"/>' % (i, i + 1, i + 1) for i in range(n)) + '</sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + ''.join('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, R, i + 1) for i in range(n)) + '</Relationships>')
    for i in range(n):
        z.writestr('xl/worksheets/sheet%d.xml' % (i + 1), '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
PY
run_mspdoc check "$TMP/many.xlsx" >/dev/null 2>"$TMP/e"
no_signal "10,000 sheets" $?
expect_grep "10,000 sheets read to the end" "mspdoc check: 1 file" "$TMP/e"

# 6. The inputs tree: a FIFO, links out of the tree (a form, /etc/passwd as
# a CSV), a link inside it, an empty folder
mkdir -p "$TMP/tree/catalogue" "$TMP/tree/progress/empty" "$TMP/outside"
cp inputs/catalogue/book.md tests/bad/links.md "$TMP/tree/catalogue/"
mkfifo "$TMP/tree/catalogue/pipe.md"
cp tests/bad/raw-html.md "$TMP/outside/secret.md"
ln -s "$TMP/outside/secret.md" "$TMP/tree/catalogue/linked-out.md"
ln -s links.md "$TMP/tree/catalogue/linked-in.md"
ln -s /etc/passwd "$TMP/tree/progress/funding-passwd.csv"
timeout 60 "$MSPDOC" build -i "$TMP/tree" -o "$TMP/treeout" 2>"$TMP/e"
rc=$?
expect_eq "FIFO and links: no hang, warnings only" $rc 0
expect_grep "FIFO named" "pipe.md: warning: not read: not a regular file" "$TMP/e"
expect_grep "link out named" "linked-out.md: warning: not read: a link to a file outside the inputs folder" "$TMP/e"
expect_grep "link to /etc/passwd named" "funding-passwd.csv: warning: not read: a link to a file outside" "$TMP/e"
expect_nogrep "no line of /etc/passwd echoed" "root:|/bin/(ba)?sh" "$TMP/e"
pdftotext "$TMP/treeout/catalogue.pdf" "$TMP/tree.txt"
expect_nogrep "the form outside the tree is not read" "Raw HTML in a form" "$TMP/tree.txt"
expect_grep "a link inside the tree is read" "Links to targets a document must not open" "$TMP/tree.txt"
timeout 60 "$MSPDOC" check "$TMP/tree/progress/empty" >/dev/null 2>"$TMP/e"
no_signal "empty folder" $?
# a diagnostic quotes a short excerpt only: a 100 KB unknown column name
{ printf 'Submitter,Title,'; head -c 100000 /dev/zero | tr '\0' 'x'; printf '\nA,B,C\n'; } >"$TMP/needs-wide.csv"
run_mspdoc check "$TMP/needs-wide.csv" >/dev/null 2>"$TMP/e"
n=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMP/e")
[ "$n" -lt 1200 ] && ok || bad "a diagnostic line of $n bytes quotes too much"

# 7. Passwords: 127 bytes of UTF-8 at most, one line, no NUL, a regular file
mkdir -p "$TMP/pw/portal"
cp inputs/portal/* "$TMP/pw/portal/"
mkdir -p "$TMP/pwf"
python3 -c "
import sys
d = sys.argv[1]
open(d + '/long', 'w').write('a' * 128 + '\n')
open(d + '/max', 'w').write('\u00e9' * 63 + 'a\n')
open(d + '/two', 'w').write('first\nsecond\n')
open(d + '/nul', 'wb').write(b'ab\0cd\n')
" "$TMP/pwf"
mkfifo "$TMP/pwf/fifo"
for f in long two nul fifo; do
	timeout 60 "$MSPDOC" build -i "$TMP/pw" -o "$TMP/pwout-$f" --password-file "$TMP/pwf/$f" >/dev/null 2>"$TMP/e"
	expect_eq "password file '$f' exits 2" $? 2
	[ -e "$TMP/pwout-$f/digest.pdf" ] && bad "password '$f': a digest was written" || ok
done
timeout 60 "$MSPDOC" build -i "$TMP/pw" -o "$TMP/pwout-long" --password-file "$TMP/pwf/long" >/dev/null 2>"$TMP/e"
expect_grep "128 bytes refused, saying the limit" "long: error: the password is longer than 127 bytes" "$TMP/e"
timeout 60 "$MSPDOC" build -i "$TMP/pw" -o "$TMP/pwout-fifo" --password-file "$TMP/pwf/fifo" >/dev/null 2>"$TMP/e"
expect_grep "a FIFO refused" "fifo: error: the password file is not a regular file" "$TMP/e"
MSPDOC_PASSWORD=$(python3 -c "print('b' * 200)") run_mspdoc build -i "$TMP/pw" -o "$TMP/pwout-env" >/dev/null 2>"$TMP/e"
expect_eq "a 200-byte MSPDOC_PASSWORD exits 2" $? 2
run_mspdoc build -i "$TMP/pw" -o "$TMP/pwout-max" --password-file "$TMP/pwf/max" >/dev/null 2>&1
# (poppler's command line takes 32 characters at most: qpdf checks it)
qpdf --password="$(python3 -c "print('\u00e9' * 63 + 'a')")" --show-encryption "$TMP/pwout-max/digest.pdf" 2>/dev/null |
	grep -q "Supplied password is user password" && ok || bad "a 127-byte UTF-8 password does not open the digest"

# 8. Runs: two builds into one folder at once give one run's set; the
# temporary files of a killed run are removed by the next
MSPDOC_PASSWORD=x run_mspdoc build -i inputs -o "$TMP/two" >/dev/null 2>"$TMP/e1" &

p1=$!
MSPDOC_PASSWORD=x run_mspdoc build -i inputs -o "$TMP/two" >/dev/null 2>"$TMP/e2"
r2=$?
wait $p1
r1=$?
expect_eq "first concurrent run" $r1 1
expect_eq "second concurrent run" $r2 1
grep -q "waiting for it to finish" "$TMP/e1" "$TMP/e2" && ok || echo "note: the two runs did not overlap"
: >"$TMP/two/catalogue.pdf.tmp.AbC123"
: >"$TMP/two/papers/x.pdf.tmp.zZ9zZ9"
: >"$TMP/two/notes.tmp.keepme"
MSPDOC_PASSWORD=x run_mspdoc build -i inputs -o "$TMP/two" >/dev/null 2>&1
[ -e "$TMP/two/catalogue.pdf.tmp.AbC123" ] || [ -e "$TMP/two/papers/x.pdf.tmp.zZ9zZ9" ] &&
	bad "stale temporary files left" || ok
[ -e "$TMP/two/notes.tmp.keepme" ] && ok || bad "a file that is no output's temporary was removed"
# a lock held by another process: the run waits, then writes
flock "$TMP/two/.mspdoc.lock" sleep 4 &
sleep 0.5
MSPDOC_PASSWORD=x run_mspdoc build -i inputs -o "$TMP/two" >/dev/null 2>"$TMP/e"
wait
expect_grep "the second run says it waits" "another mspdoc run is writing into .*: waiting" "$TMP/e"

# Issue 19: a photo with more pixels than 300 ppi at its printed width is
# scaled down once (scaled DCT); a small one goes in as sent
mkdir -p "$TMP/big/photos"
cp inputs/catalogue/book.md "$TMP/big/"
cp tests/fixtures/photos/large-2800x1800.jpg tests/bad/photos/good-baseline.jpg "$TMP/big/photos/"
{ sed -n 1,17p tests/bad/links.md | sed 's/^Title: .*/Title: A photograph larger than its page needs/'
  printf '## Summary\n\nTwo photographs.\n\n## Photographs\n\n![A large one](photos/large-2800x1800.jpg "Credit: Team")\n\n![A small one](photos/good-baseline.jpg "Credit: Team")\n'; } >"$TMP/big/p.md"
run_mspdoc catalogue "$TMP/big" -o "$TMP/bigout/cat" 2>/dev/null
no_signal "large photo" $?
pdfimages -list "$TMP/bigout/cat.pdf" | awk 'NR > 2 && $3 == "image"' >"$TMP/imgs"
w=$(awk '$4 > 1000 { print $4 }' "$TMP/imgs" | head -1)
ppi=$(awk '$4 > 1000 { print $13 }' "$TMP/imgs" | head -1)
[ -n "$w" ] && [ "$w" -lt 2800 ] && ok || bad "the large photo was not scaled down (width ${w:-none})"
[ -n "$ppi" ] && [ "$ppi" -ge 295 ] && [ "$ppi" -le 420 ] && ok || bad "the scaled photo is at ${ppi:-?} ppi, not about 300"
expect_grep "the small photo as sent" "  96 +64 .*jpeg" "$TMP/imgs"

finish hostile
