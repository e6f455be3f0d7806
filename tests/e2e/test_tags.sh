#!/bin/sh
# Tagged PDF (PDF/UA-1, issue 17), read independently of the writer: poppler
# (pdfinfo, pdfinfo -struct-text) and qpdf's JSON (tests/tools/pdf_tags.py:
# every marked content belongs to a structure element or is an artifact, no
# text outside marked content, Figures have Alt, headings skip no level,
# tables have TH, links have StructParent and Contents, catalogue entries).
. tests/e2e/lib.sh
O="$TMP/out"
MSPDOC_PASSWORD=secret run_mspdoc build -i inputs -o "$O" >/dev/null 2>"$TMP/e"
[ $? -le 1 ] && ok || bad "build exit status"
n=0
for f in "$O"/*.pdf "$O"/papers/*.pdf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	pw=""
	case "$f" in */digest.pdf) pw=secret ;; esac
	expect_eq "$(basename "$f") tagged" "$(pdfinfo ${pw:+-upw $pw} "$f" 2>/dev/null | sed -n 's/^Tagged: *//p')" yes
	/usr/bin/python3 tests/tools/pdf_tags.py "$f" $pw >"$TMP/t" 2>&1 && ok || bad "structure of $(basename "$f"): $(head -5 "$TMP/t")"
	qpdf ${pw:+--password=$pw} --check "$f" >"$TMP/q" 2>&1 && ok || bad "qpdf --check $(basename "$f"): $(tail -3 "$TMP/q")"
done
expect_eq "PDFs built" "$([ $n -ge 4 ] && echo yes)" yes
# the encrypted digest lets assistive technology extract its text
qpdf --password=secret --show-encryption "$O/digest.pdf" >"$TMP/enc" 2>&1
expect_grep "digest: extraction for accessibility" "extract for accessibility: allowed" "$TMP/enc"
expect_grep "digest: extraction" "extract for any purpose: allowed" "$TMP/enc"
# the catalogue's structure reads like the catalogue: headings, words with
# spaces, lists with labels, tables with headers, figures with their captions
pdfinfo -struct-text "$O/catalogue.pdf" >"$TMP/s" 2>/dev/null
expect_grep "struct: document" "^Document" "$TMP/s"
expect_grep "struct: a chapter heading" "^ +H[12] .*" "$TMP/s"
expect_grep "struct: words spaced" "Convention on Cluster Munitions" "$TMP/s"
expect_grep "struct: list label" "^ +Lbl" "$TMP/s"
expect_grep "struct: table header" "^ +TH" "$TMP/s"
expect_grep "struct: contents" "^ +TOCI" "$TMP/s"
expect_grep "struct: figure" "^ +Figure" "$TMP/s"
# the running heads and folios are artifacts: not in the structure
expect_nogrep "struct: no folio" '^ +"(ii|iii|[0-9]+)"$' "$TMP/s"
pdfinfo -struct "$O/catalogue.pdf" >"$TMP/s2" 2>/dev/null
expect_grep "struct: row or column scope" "/Scope /(Row|Column)" "$TMP/s2"
# the progress report's tables and the working paper have headings in order
pdfinfo -struct-text "$O/progress.pdf" >"$TMP/p" 2>/dev/null
expect_grep "progress: H1" "^ +H1" "$TMP/p"
expect_grep "progress: table" "^ +Table" "$TMP/p"
# the working paper has bookmarks (its headings), as the other documents do
qpdf --json --json-key=outlines "$O/papers/national-implementation.pdf" 2>/dev/null |
	/usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["outlines"]))' >"$TMP/ol"
expect_eq "paper: bookmarks" "$([ "$(cat "$TMP/ol")" -ge 3 ] 2>/dev/null && echo yes)" yes
# characters outside the style's fonts: the status marks come from DejaVu
# Sans; Chinese, Thai and an emoji (in no font) are warnings naming U+XXXX
# and are printed as a replacement mark, never as .notdef; Hebrew warns that
# it is not laid out right to left
cp inputs/papers/national-implementation.md "$TMP/glyphs.md"
printf '\nMarks \342\227\206 and \342\227\207; Chinese \344\270\255\346\226\207; Thai \340\270\201; emoji \360\237\231\202; Hebrew \327\251\327\234\327\225\327\235.\n' >>"$TMP/glyphs.md"
run_mspdoc paper "$TMP/glyphs.md" inputs/progress -o "$TMP/glyphs.pdf" --as-of 2013-07-15 2>"$TMP/ge"
expect_eq "glyphs: built" "$([ -f "$TMP/glyphs.pdf" ] && echo yes)" yes
expect_grep "glyphs: Chinese named" "U\+4E2D" "$TMP/ge"
expect_grep "glyphs: Thai named" "U\+0E01" "$TMP/ge"
expect_grep "glyphs: emoji named" "U\+1F642" "$TMP/ge"
expect_grep "glyphs: right-to-left warned" "right-to-left text \(U\+05E9\)" "$TMP/ge"
expect_nogrep "glyphs: the marks are drawn" "U\+25C6|U\+25C7" "$TMP/ge"
pdffonts "$TMP/glyphs.pdf" >"$TMP/gf" 2>/dev/null
expect_grep "glyphs: DejaVu Sans embedded" "DejaVuSans" "$TMP/gf"
/usr/bin/python3 tests/tools/pdf_tags.py "$TMP/glyphs.pdf" >"$TMP/gt" 2>&1 && ok || bad "glyphs: structure or .notdef: $(head -5 "$TMP/gt")"
pdftotext "$TMP/glyphs.pdf" "$TMP/gx" 2>/dev/null
expect_grep "glyphs: marks extract" "Marks ◆ and ◇" "$TMP/gx"
finish tags
