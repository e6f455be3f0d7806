#!/bin/sh
# End-to-end test of the digest on the sample, as of 2026-11-24: validity
# counts computed by hand from inputs/portal/, AES-256 encryption, the
# password nowhere in the outputs, the working file read with openpyxl, and
# the refusal to build a restricted digest without a password.
. tests/e2e/lib.sh
D="$TMP/dg"
printf 'open-sesame-42\n' >"$TMP/pw"
run_mspdoc digest inputs/portal -o "$D" --as-of 2026-11-24 --password-file "$TMP/pw" 2>"$TMP/e"
expect_eq "digest exit" $? 0
expect_grep "counts" "34 valid \(13 needs, 15 offers, 6 experiences\), 4 of them expiring soon; 8 expired" "$D.report.txt"
expect_grep "not yet published" "1 not yet published" "$D.report.txt"
expect_grep "expiring warning with its date" "register.xlsx:Needs!A5: warning: entry N-2026-GNB-0622-1 expires on 2026-12-10" "$TMP/e"
qpdf --show-encryption --password=open-sesame-42 "$D.pdf" >"$TMP/enc" 2>&1
expect_grep "AES-256 (R6)" "^R = 6" "$TMP/enc"
expect_grep "AES" "AESv3|aes" "$TMP/enc"
pdftotext -upw open-sesame-42 "$D.pdf" "$TMP/d.txt" 2>"$TMP/pt.err"
expect_eq "pdftotext reads the digest's fonts without complaint" "$(sort -u "$TMP/pt.err")" ""
expect_grep "cover" "Entries valid as of 24 November 2026" "$TMP/d.txt"
# issue 18: the article once; cover and introduction agree on the readers;
# an index of countries; each match with the page of its entry; entries of
# several areas cross-referenced from the others
expect_grep "issued by, one article" "Issued by the Implementation Support Unit" "$TMP/d.txt"
expect_nogrep "no doubled article" "the [Tt]he " "$TMP/d.txt"
tr '\n' ' ' <"$TMP/d.txt" | grep -q "Restricted: for the States Parties and signatories of the Convention.*It is for the States Parties and signatories of the Convention" && ok || bad "cover and introduction do not agree on the readers"
expect_grep "index of countries" "^Index of countries" "$TMP/d.txt"
expect_grep "index: a country's needs with pages" "Lao People’s Democratic Republic \(needs\), [0-9]+" "$TMP/d.txt"
expect_grep "a match shows a page" "^[A-Z]+-[0-9]{4}-[A-Z]{2,6}-[0-9]{4}-[0-9]+ \([^)]*\), p\. [0-9]+$" "$TMP/d.txt"
expect_nogrep "every match shows a page" "^[A-Z]+-[0-9]{4}-[A-Z]{2,6}-[0-9]{4}-[0-9]+ \([^)]*\),?$" "$TMP/d.txt"
expect_grep "cross-reference to another area" "given under [A-Z][a-z].*, p\. [0-9]+$" "$TMP/d.txt"
expect_grep "curly apostrophe in a metadata field" "Norwegian People’s Aid" "$TMP/d.txt"
expect_grep "an expiring entry is flagged" "\(expires soon\)" "$TMP/d.txt"
expect_grep "matches listed" "Offers that could serve this need" "$TMP/d.txt"
expect_nogrep "an expired entry is not in the PDF" "CP-2013-ESP" "$TMP/d.txt"
expect_nogrep "a future entry is not in the PDF" "returning to Bay and Bakool" "$TMP/d.txt"
if pdftotext "$D.pdf" - >/dev/null 2>&1; then bad "the PDF opens without a password"; else ok; fi
if grep -qaF "open-sesame-42" "$D.pdf" "$D.xlsx" "$D.report.txt" "$TMP/e"; then bad "the password is in an output"; else ok; fi
/usr/bin/python3 - "$D.xlsx" >"$TMP/x" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(" ".join(wb.sheetnames))
# the header row is row 1 of every sheet; "Restricted" in the page header and footer
print(all("Restricted" in (ws.oddHeader.center.text or "") and "Restricted" in (ws.oddFooter.left.text or "")
          and str(ws["A1"].value) != "" and not str(ws["A1"].value).startswith("Restricted")
          for ws in wb.worksheets))
ex = wb["Expired"]
rows = list(ex.iter_rows(min_row=2, values_only=True))
print(len(rows), type(rows[0][6]).__name__)
print(wb["Needs"].freeze_panes, len(wb["Summary"]._charts))
print(wb["Matches"].max_row - 1)
# expired entries by expiry date; contacts: name and e-mail apart, the e-mail a link
ends = [r[6] for r in rows]
print(ends == sorted(ends))
print(all(("@" not in str(r[4] or "")) and "@" in str(r[5]) for r in rows),
      all(c.hyperlink is not None and c.hyperlink.target.startswith("mailto:")
          for c in list(ex["F"][1:]) + [c for c in wb["Needs"]["K"][1:] if c.value]))
# printing: landscape, one page wide, header row repeated
print(all(ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
          and ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
          and ws.print_title_rows == "$1:$1"
          for ws in wb.worksheets if ws.title != "Note"))
# whole amounts #,##0
amt = [c for c in wb["Needs"]["H"][1:] if c.value is not None]
print(all(c.number_format == "#,##0" for c in amt if float(c.value).is_integer()))
import zipfile
z = zipfile.ZipFile(sys.argv[1])
deflated = [i for i in z.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]
print(len(deflated) > 5, z.testzip())
PY
expect_eq "sheets" "$(sed -n 1p "$TMP/x")" "Needs Offers Experiences Matches Expired Summary Note"
expect_eq "restricted in page header and footer, header row 1" "$(sed -n 2p "$TMP/x")" True
expect_eq "expired rows with real dates" "$(sed -n 3p "$TMP/x")" "8 datetime"
expect_eq "frozen header row 1, chart" "$(sed -n 4p "$TMP/x")" "A2 1"
[ "$(sed -n 5p "$TMP/x")" -ge 11 ] && ok || bad "too few matches: $(sed -n 5p "$TMP/x")"
expect_eq "expired sorted by expiry date" "$(sed -n 6p "$TMP/x")" True
expect_eq "contact name and e-mail apart, e-mail a mailto link" "$(sed -n 7p "$TMP/x")" "True True"
expect_eq "sheets print landscape, one page wide, header repeated" "$(sed -n 8p "$TMP/x")" True
expect_eq "whole amounts #,##0" "$(sed -n 9p "$TMP/x")" True
expect_eq "workbook parts deflated, CRCs good" "$(sed -n 10p "$TMP/x")" "True None"
# no password: exit 2, nothing written
unset MSPDOC_PASSWORD
run_mspdoc digest inputs/portal -o "$TMP/nopw" --as-of 2026-11-24 2>"$TMP/e2"
expect_eq "restricted without password" $? 2
[ -e "$TMP/nopw.pdf" ] || [ -e "$TMP/nopw.xlsx" ] && bad "wrote output without a password" || ok
# an earlier as-of date: the 2024 entries are valid then
run_mspdoc digest inputs/portal -o "$TMP/old" --as-of 2025-01-15 --password-file "$TMP/pw" 2>/dev/null
grep -q "Digest:" "$TMP/old.report.txt" && ok || bad "no digest as of 2025-01-15"
# each entry's fact box stays whole on one page (no page opens inside one),
# and no "Needs", "Offers" or "Experiences" heading ends a page
n=$(pdfinfo -upw open-sesame-42 "$D.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
broken=""
i=1
while [ "$i" -le "${n:-0}" ]; do
	pdftotext -upw open-sesame-42 -f $i -l $i -layout "$D.pdf" - 2>/dev/null | tr -d '\f' |
		sed 's/^ *//;s/ *$//' | grep -v '^$' >"$TMP/pg"
	first=$(sed -n 2p "$TMP/pg")
	last=$(grep -v '^[0-9ivx]*$' "$TMP/pg" | tail -n 1)
	case "$first" in
	# a fact row: its label, then the value's column (prose such as "Contact
	# the embassy..." opening a page is no split)
	"Areas  "* | "Assistance  "* | "Eligible countries  "* | "Countries concerned  "* | \
		"Estimated cost  "* | "Resources  "* | "Contact  "* | "Valid  "* | "Reference  "*)
		broken="$broken $i:split" ;;
	esac
	case "$last" in Needs | Offers | Experiences) broken="$broken $i:$last" ;; esac
	i=$((i + 1))
done
[ "${n:-0}" -gt 5 ] && ok || bad "the digest has too few pages to check: ${n:-0}"
expect_eq "fact boxes whole, no heading alone at a page foot" "$broken" ""
# the working file's normalised XML, golden (make regen rewrites it)
expect_xlsx_golden "digest.xlsx" digest.xlsx.txt "$D.xlsx"
finish digest
