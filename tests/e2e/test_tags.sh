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
# a footnote's Note has a readable ID, found through the root's ID tree
expect_grep "struct: note ID" "Note <note-1>" "$TMP/s2"
qpdf --json "$O/catalogue.pdf" 2>/dev/null | tr -d ' \n' >"$TMP/cj"
expect_grep "struct: ID tree" '"/IDTree":"[0-9]+0R"' "$TMP/cj"
# a contents line's link says its page, not the leader dots before it
expect_nogrep "links: no leader dots in what they say" '"/Contents":"u:[^"]*\.\.\.' "$TMP/cj"
expect_grep "links: a page number says it is one" '"/Contents":"u:pageii"' "$TMP/cj"
expect_grep "struct: ID tree names" '"/Names":\["u:note-1","[0-9]+0R"' "$TMP/cj"
# the progress report's tables and the working paper have headings in order
pdfinfo -struct-text "$O/progress.pdf" >"$TMP/p" 2>/dev/null
expect_grep "progress: H1" "^ +H1" "$TMP/p"
expect_grep "progress: table" "^ +Table" "$TMP/p"
# a table with a header row has THead and TBody
expect_grep "progress: THead" "^ +THead" "$TMP/p"
expect_grep "progress: TBody" "^ +TBody" "$TMP/p"
# colour never alone: the matrix's legend, repeated on each page it runs
# over, gives the words of every mark it uses, an action's own scale too
pdftotext "$O/progress.pdf" - 2>/dev/null | tr '\n' ' ' >"$TMP/pt"
expect_grep "progress: legend of an action's own scale" "#63: ● Legislation adopted; ◐ Existing law deemed sufficient; ○ Draft before parliament; ◆ Under review; ◇ Not started" "$TMP/pt"
expect_eq "progress: legend on each page of the matrix" "$(grep -o 'Status of each State, [0-9]*\. Marks:' "$TMP/pt" | wc -l | awk '{print ($1 >= 3) ? "yes" : $1}')" yes
# a letter's letterhead and signature blocks are layout, not a data table
for f in "$O"/letters/*.pdf; do
	[ -f "$f" ] || continue
	pdfinfo -struct-text "$f" >"$TMP/l" 2>/dev/null
	expect_nogrep "letter $(basename "$f"): no layout table" "^ +Table" "$TMP/l"
	expect_grep "letter $(basename "$f"): letterhead in a Div" "^ +Div" "$TMP/l"
	break
done
# the contents' leader dots are artifacts (a reader hears the title and
# its page, not forty dots)
qpdf --qdf --object-streams=disable "$O/catalogue.pdf" "$TMP/cq.pdf" 2>/dev/null
/usr/bin/python3 - "$TMP/cq.pdf" >"$TMP/cd" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
dots = marked = 0
for m in re.finditer(rb"<(?:002e0020){3}", data):
    dots += 1
    before = data[:m.start()]
    opened = max(before.rfind(b"BMC"), before.rfind(b"BDC"))
    marked += before.rfind(b"/Artifact BMC") == opened - len(b"/Artifact ")
print(dots, marked)
PY
expect_eq "catalogue: leader dots are artifacts" "$(awk '{print ($1 > 3 && $1 == $2) ? "yes" : $0}' "$TMP/cd")" yes
# a character no font has in a chapter's title is first drawn in the
# contents: the warning names the contribution's file, not the book's
cp -r inputs/catalogue "$TMP/cat"
thai=$(printf '\340\270\201')
sed -i "0,/^Title: /s//Title: $thai /" "$TMP/cat/new-zealand-model-legislation.md"
run_mspdoc catalogue "$TMP/cat" -o "$TMP/catx" >/dev/null 2>"$TMP/ce"
expect_grep "catalogue: title's character at its form" "new-zealand-model-legislation\.md:1: warning: character U\+0E01, on page 2 \(printed \"i\"\)" "$TMP/ce"
# the working paper has bookmarks (its headings), as the other documents do
qpdf --json --json-key=outlines "$O/papers/national-implementation.pdf" 2>/dev/null |
	/usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["outlines"]))' >"$TMP/ol"
expect_eq "paper: bookmarks" "$([ "$(cat "$TMP/ol")" -ge 3 ] 2>/dev/null && echo yes)" yes
# characters outside the style's fonts: the status marks come from DejaVu
# Sans, Chinese from AR PL UMing; Thai and an emoji (in no font) are
# warnings naming FILE:LINE and U+XXXX and are printed as a replacement
# mark, never as .notdef; Hebrew warns that it is not laid out right to left
cp inputs/papers/national-implementation.md "$TMP/glyphs.md"
printf '\nMarks \342\227\206 and \342\227\207; Chinese \344\270\255\346\226\207; Thai \340\270\201; emoji \360\237\231\202; Hebrew \327\251\327\234\327\225\327\235.\n' >>"$TMP/glyphs.md"
gl=$(wc -l <"$TMP/glyphs.md")
run_mspdoc paper "$TMP/glyphs.md" inputs/progress -o "$TMP/glyphs.pdf" --as-of 2013-07-15 2>"$TMP/ge"
expect_eq "glyphs: built" "$([ -f "$TMP/glyphs.pdf" ] && echo yes)" yes
expect_nogrep "glyphs: Chinese printed" "U\+4E2D" "$TMP/ge"
expect_grep "glyphs: Thai named at its line" "glyphs\.md:$gl: warning: .*U\+0E01" "$TMP/ge"
expect_grep "glyphs: emoji named at its line" "glyphs\.md:$gl: warning: .*U\+1F642" "$TMP/ge"
expect_grep "glyphs: the page too" "U\+1F642.*on page [0-9]+ of " "$TMP/ge"
expect_grep "glyphs: right-to-left warned at its line" "glyphs\.md:$gl: warning: right-to-left text \(U\+05E9\)" "$TMP/ge"
expect_nogrep "glyphs: the marks are drawn" "U\+25C6|U\+25C7" "$TMP/ge"
pdffonts "$TMP/glyphs.pdf" >"$TMP/gf" 2>/dev/null
expect_grep "glyphs: DejaVu Sans embedded" "DejaVuSans" "$TMP/gf"
/usr/bin/python3 tests/tools/pdf_tags.py "$TMP/glyphs.pdf" >"$TMP/gt" 2>&1 && ok || bad "glyphs: structure or .notdef: $(head -5 "$TMP/gt")"
pdftotext "$TMP/glyphs.pdf" "$TMP/gx" 2>/dev/null
expect_grep "glyphs: marks extract" "Marks ◆ and ◇" "$TMP/gx"
# a paper in several scripts (tests/fixtures/glyphs/scripts.md): Chinese,
# Japanese and Korean print from the CJK fallbacks (a TrueType collection
# among them), subset-embedded with ToUnicode, and break between
# ideographs, never before closing punctuation; an emoji, a Tibetan letter
# in a heading, Thai in a table cell and a private-use character are
# warnings at their lines; Arabic is a warning at its line
S=tests/fixtures/glyphs/scripts.md
run_mspdoc paper "$S" -o "$TMP/scripts.pdf" 2>"$TMP/se"
expect_eq "scripts: built" "$([ -f "$TMP/scripts.pdf" ] && echo yes)" yes
pdffonts "$TMP/scripts.pdf" >"$TMP/sf" 2>/dev/null
expect_grep "scripts: Chinese font (collection) embedded" "UMingCN[^ ]* +CID TrueType +Identity-H +yes +yes +yes" "$TMP/sf"
expect_grep "scripts: Japanese font embedded" "IPAMincho[^ ]* +CID TrueType +Identity-H +yes +yes +yes" "$TMP/sf"
expect_grep "scripts: Korean font embedded" "NanumMyeongjo[^ ]* +CID TrueType +Identity-H +yes +yes +yes" "$TMP/sf"
pdftotext "$TMP/scripts.pdf" "$TMP/sx" 2>/dev/null
tr -d '\n' <"$TMP/sx" >"$TMP/sx1"
expect_grep "scripts: Chinese extracts" "中国代表团表示，缔约国应当继续销毁库存的集束弹药" "$TMP/sx1"
expect_grep "scripts: Japanese extracts" "締約国がクラスター弾の貯蔵の廃棄を期限内に完了する" "$TMP/sx1"
expect_grep "scripts: Korean extracts" "대한민국 대표단은 피해자 지원과" "$TMP/sx"
# the Chinese paragraph has no spaces: two or more full lines of it mean
# breaks between ideographs; no line starts with a comma or a full stop
expect_eq "scripts: lines break between ideographs" \
	"$(grep -c '^[^ a-zA-Z0-9]\{20,\}$' "$TMP/sx" | awk '{print ($1 >= 3) ? "yes" : $1}')" yes
expect_nogrep "scripts: no closing punctuation starts a line" "^(，|。|、|）|」)" "$TMP/sx"
expect_grep "scripts: emoji at its line" "scripts\.md:30: warning: character U\+1F642, on page 1 of " "$TMP/se"
expect_grep "scripts: heading at its line" "scripts\.md:34: warning: character U\+0F40" "$TMP/se"
expect_grep "scripts: table row at its line" "scripts\.md:38: warning: 6 characters \(U\+0E02, " "$TMP/se"
expect_grep "scripts: a private-use character (Word symbol-font bullet) at its line" "scripts\.md:40: warning: character U\+F0B7, on page 1 of " "$TMP/se"
expect_grep "scripts: Arabic at its line" "scripts\.md:32: warning: right-to-left text \(U\+0628\)" "$TMP/se"
expect_nogrep "scripts: CJK not warned" "U\+(4E|56|AC|B3|30)[0-9A-F][0-9A-F]" "$TMP/se"
/usr/bin/python3 tests/tools/pdf_tags.py "$TMP/scripts.pdf" >"$TMP/st" 2>&1 && ok || bad "scripts: structure or .notdef: $(head -5 "$TMP/st")"
qpdf --check "$TMP/scripts.pdf" >"$TMP/sq" 2>&1 && ok || bad "scripts: qpdf --check: $(tail -3 "$TMP/sq")"
finish tags
