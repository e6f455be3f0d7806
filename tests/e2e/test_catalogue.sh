#!/bin/sh
# End-to-end test of the catalogue on the sample: the PDF's text, fonts,
# structure, page labels, outline, photos passed through byte for byte, and
# the register read back with openpyxl.
. tests/e2e/lib.sh
C="$TMP/cat"
run_mspdoc catalogue inputs/catalogue -o "$C" 2>"$TMP/e"
expect_eq "catalogue exit (one contribution rejected)" $? 1
[ -s "$C.pdf" ] && [ -s "$C.xlsx" ] && [ -s "$C.report.txt" ] && ok || bad "catalogue outputs missing"
qpdf --check "$C.pdf" >/dev/null 2>&1 && ok || bad "qpdf --check fails"
pdffonts "$C.pdf" 2>/dev/null | tail -n +3 >"$TMP/fonts"
[ -s "$TMP/fonts" ] && ok || bad "no fonts listed"
if awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes") exit 1 }' "$TMP/fonts"; then ok; else bad "a font is not embedded and subset: $(cat "$TMP/fonts")"; fi
pdftotext -layout "$C.pdf" "$TMP/c.txt" 2>"$TMP/pt.err"
# the fonts' ToUnicode maps parse (libharu's own is an encoding CMap that
# poppler rejects), so copied text does not rest on a reader's guess
expect_eq "pdftotext reads the fonts without complaint" "$(sort -u "$TMP/pt.err")" ""
for want in "Contents" "Foreword" "Part 1. Stockpile destruction \(Article 3\)" \
	"Part 2. Clearance and risk reduction education \(Article 4\)" "Index of countries" \
	"Côte d’Ivoire" "Lao People’s Democratic Republic" "Contributed by" "Role +Donor" \
	"— .*ZUPANČIČ"; do
	expect_grep "text: $want" "$want" "$TMP/c.txt"
done
# issue 18: parties joined in words, curly quotes and apostrophes, never a
# straight one in running text; the sign-off kept with the text before it
expect_grep "editors joined in words" "Edited by Mexico and Spain" "$TMP/c.txt"
expect_nogrep "no straight apostrophe in words" "[A-Za-z]'[A-Za-z]" "$TMP/c.txt"
run_mspdoc catalogue inputs/catalogue --dump-tree >"$TMP/ct" 2>/dev/null
# the block before each sign-off, at the sign-off's own depth, keeps with it
n=$(awk '/^    [^ ]/ { if ($0 ~ /para .author: Contributed by/ && prev ~ / keep/) k++; prev = $0 } END { print k + 0 }' "$TMP/ct")
m=$(grep -c "para .author: Contributed by" "$TMP/ct")
[ "$m" -gt 0 ] && [ "$n" = "$m" ] && ok || bad "sign-offs kept with the text before: $n of $m"
# the contents line of a chapter carries its page number
expect_grep "contents has page numbers" "Taking apart a stockpile.* +[0-9]+$" "$TMP/c.txt"
# rules.md 16: the rejected contribution appears nowhere, the index included
expect_nogrep "rejected contribution absent" "Herat" "$TMP/c.txt"
expect_nogrep "no part for universalization (rules.md 17)" "Universalization \(Article" "$TMP/c.txt"
# late and over-limit diagnostics
expect_grep "late warning" "new-zealand-model-legislation.md:1: warning: received 2012-05-07, after the deadline of 2012-04-30" "$TMP/e"
# structure: page labels (cover, i.., 1..) and an outline
qpdf --json "$C.pdf" 2>/dev/null >"$TMP/j.json"
/usr/bin/python3 - "$TMP/j.json" >"$TMP/labels" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(" ".join(l["label"].get("/S", "-") for l in j["pagelabels"]))
print(len(j["outlines"]))
print(sum(1 for o in j["outlines"] for k in o.get("kids", [])))
PY
expect_eq "page labels: cover, roman, decimal" "$(sed -n 1p "$TMP/labels")" "/D /r /D"
[ "$(sed -n 2p "$TMP/labels")" -ge 8 ] && ok || bad "outline has too few entries: $(cat "$TMP/labels")"
[ "$(sed -n 3p "$TMP/labels")" -ge 9 ] && ok || bad "outline has no chapters under parts"
# photos: JPEGs passed through unchanged
mkdir -p "$TMP/img"
pdfimages -j "$C.pdf" "$TMP/img/i" 2>/dev/null
n=0
for f in "$TMP"/img/*.jpg; do
	sum=$(md5sum <"$f" | cut -d' ' -f1)
	if md5sum inputs/catalogue/photos/*.jpg | grep -q "^$sum"; then n=$((n + 1)); else bad "a JPEG in the PDF differs from every input photo"; fi
done
[ "$n" -ge 9 ] && ok || bad "expected at least 9 JPEGs passed through, got $n"
# the register read back with an independent reader
/usr/bin/python3 - "$C.xlsx" >"$TMP/reg" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
r = wb["Register"]
rows = list(r.iter_rows(min_row=2, values_only=True))
print(len(rows))
print(sum(1 for x in rows if str(x[11]).startswith("rejected: rights not cleared")))
print(sum(1 for x in rows if x[7] == "late"))
print(type(rows[0][6]).__name__)
print(r.freeze_panes, r.auto_filter.ref is not None)
print(len(wb["Summary"]._charts))
PY
expect_eq "register rows" "$(sed -n 1p "$TMP/reg")" 13
expect_eq "register rejected" "$(sed -n 2p "$TMP/reg")" 1
expect_eq "register late" "$(sed -n 3p "$TMP/reg")" 1
expect_eq "received is a real date" "$(sed -n 4p "$TMP/reg")" datetime
expect_eq "frozen header, autofilter" "$(sed -n 5p "$TMP/reg")" "A2 True"
expect_eq "summary chart" "$(sed -n 6p "$TMP/reg")" 1
# reproducible
run_mspdoc catalogue inputs/catalogue -o "$TMP/cat2" 2>/dev/null
cmp -s "$C.pdf" "$TMP/cat2.pdf" && ok || bad "catalogue.pdf differs between two runs"
cmp -s "$C.xlsx" "$TMP/cat2.xlsx" && ok || bad "catalogue.xlsx differs between two runs"
# golden text (make regen rewrites it; review the diff by hand)
if [ -n "$REGEN" ]; then cp "$TMP/c.txt" tests/golden/catalogue.txt; fi
diff -u tests/golden/catalogue.txt "$TMP/c.txt" >"$TMP/d" && ok || bad "catalogue text differs from tests/golden/catalogue.txt: $(head -20 "$TMP/d")"
# nothing runs into the outer margin: every word ends inside its page's text
# column (styles/book.style: A4, outer margin 22 mm on odd pages, inner 25 mm
# on even ones, so the column ends at 532.91 pt or 524.41 pt). A table that
# moved to a verso page once kept the recto's margins; a last line the
# breaker had shrunk was once drawn at its natural width. The column test
# of hanging punctuation: only a word ending in a full stop, comma, hyphen,
# colon or closing quote reaches past the edge, by less than a quarter em
# (3 pt), and some do (justified lines hang them).
/usr/bin/python3 - "$C.pdf" >"$TMP/col" <<'PY'
import re, subprocess, sys
h = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True).stdout.decode()
bad, hung = [], 0
for pno, page in enumerate(re.findall(r"<page .*?</page>", h, re.S), 1):
    x1 = 595.276 - (22 if pno % 2 else 25) * 72 / 25.4
    for xmax, w in re.findall(r'<word xMin="[^"]+" yMin="[^"]+" xMax="([^"]+)"[^>]*>([^<]*)<', page):
        over = float(xmax) - x1
        if over <= 0.5:
            continue
        if over <= 3 and len(w) > 1 and w[-1] in ".,-:;\u2019\u201d":
            hung += 1
        else:
            bad.append("p%d %s" % (pno, w))
print(len(bad), " ".join(bad[:5]))
print("hung" if hung >= 10 else "no hanging punctuation (%d)" % hung)
PY
expect_eq "no word beyond its column" "$(sed -n 1p "$TMP/col")" "0 "
expect_eq "punctuation hangs into the margin" "$(sed -n 2p "$TMP/col")" "hung"
# the index: every entry's pages ascending, each once (the bench book with
# 120 chapters showed them in chapter-id order before)
sed -n '/^Index of countries$/,$p' "$TMP/c.txt" | /usr/bin/python3 -c '
import re, sys
bad = [l for l in sys.stdin if re.match(r"^ +[^,]+(, [0-9]+)+ *$", l)
       and (lambda p: p != sorted(set(p)))([int(x) for x in re.findall(r", ([0-9]+)", l)])]
print(len(bad))' >"$TMP/idx"
expect_eq "index pages ascending" "$(cat "$TMP/idx")" 0
grep -q "^   Lao People’s Democratic Republic, [0-9]*, [0-9]*$" "$TMP/c.txt" && ok || bad "an index entry with two pages is expected"
# the page limit (forms.md: Book's Page limit): with a limit of 2, every
# chapter of 3 pages or more is flagged, in the messages, the report and the
# register, and nothing else changes
cp -r inputs/catalogue "$TMP/pl"
sed -i 's/^Page limit: .*/Page limit: 2/' "$TMP/pl/book.md"
run_mspdoc catalogue "$TMP/pl" -o "$TMP/pl/out" 2>"$TMP/pl.err"
expect_eq "page limit: still exit 1 (the rejected one)" $? 1
n=$(grep -c "over the book's limit of 2: the editors decide" "$TMP/pl.err")
[ "$n" -ge 1 ] && ok || bad "no over-limit warning with a limit of 2"
expect_grep "report counts them" "; $n over the page limit;" "$TMP/pl/out.report.txt"
/usr/bin/python3 - "$TMP/pl/out.xlsx" >"$TMP/pl.reg" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
h = [c.value for c in ws[1]]
p, o = h.index("Pages"), h.index("Over limit")
rows = [(r[p].value, r[o].value) for r in ws.iter_rows(min_row=2) if r[p].value]
print(sum(1 for pg, ov in rows if ov == "yes"))
print(all((pg > 2) == (ov == "yes") for pg, ov in rows))
PY
expect_eq "register flags the same chapters" "$(sed -n 1p "$TMP/pl.reg")" "$n"
expect_eq "register: over limit exactly when pages > 2" "$(sed -n 2p "$TMP/pl.reg")" True
# no page ends with a section heading (a photo that does not fit takes its
# "Photographs" heading to the next page)
n=$(pdfinfo "$C.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
stranded=""
i=1
while [ "$i" -le "${n:-0}" ]; do
	last=$(pdftotext -f $i -l $i -layout "$C.pdf" - 2>/dev/null | tr -d '\f' | sed 's/^ *//;s/ *$//' |
		grep -v '^$' | grep -v '^[0-9ivx]*$' | tail -n 1)
	case "$last" in
	Photographs | Summary | Results | "Lessons learned" | Testimonials) stranded="$stranded $i:$last" ;;
	esac
	i=$((i + 1))
done
expect_eq "no heading alone at the foot of a page" "$stranded" ""
# a chapter's or part's opening page carries no running head: no word in
# the top margin (25 mm) of a page whose first line is a heading (its
# words taller than the body's 11 pt)
opener=$(python3 - "$C.pdf" <<'PY'
import re, subprocess, sys
h = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True).stdout.decode()
bad = []
for n, pg in enumerate(h.split("<page ")[1:], 1):
    ws = [tuple(map(float, m.groups())) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', pg)]
    head = [w for w in ws if w[3] < 70]
    body = sorted((w for w in ws if w[1] >= 70), key=lambda w: w[1])
    if head and body and body[0][3] - body[0][1] > 15:
        bad.append(n)
print(" ".join(map(str, bad)))
PY
)
expect_eq "no running head on a chapter's opening page" "$opener" ""
# kept together: a "Contributed by" sign-off never alone on its page (it
# keeps with the photo or text before it), and no list mark alone at the
# foot of a page
kept=$(python3 - "$C.pdf" <<'PY'
import re, subprocess, sys
pdf = sys.argv[1]
bad = []
for i, pg in enumerate(subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")[:-1], 1):
    lines = [l.strip() for l in pg.splitlines() if l.strip() and not re.fullmatch(r"[0-9ivxlc]+", l.strip())]
    if not lines:
        continue
    if any(l.startswith("Contributed by") for l in lines[:2]) and len([l for l in lines if not l.startswith("Contributed by")]) <= 1:
        bad.append(f"{i}:sign-off alone")
    if re.fullmatch(r"[\u2013\u2022]|\d+\.|\([a-z]\)", lines[-1]):
        bad.append(f"{i}:list mark alone")
print(" ".join(bad))
PY
)
expect_eq "sign-offs and list marks kept with their text" "$kept" ""
# the register's normalised XML, golden (make regen rewrites it)
expect_xlsx_golden "catalogue.xlsx" catalogue.xlsx.txt "$C.xlsx"
finish catalogue
