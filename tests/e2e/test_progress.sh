#!/bin/sh
# End-to-end tests of the progress report and the working paper on the sample
# (period 2012 against 2011, as of 2013-07-15), checked against counts
# computed by hand from inputs/progress/ and the seed paper's layout.
. tests/e2e/lib.sh
P="$TMP/pg"
run_mspdoc progress inputs/progress -o "$P" --as-of 2013-07-15 2>"$TMP/e"
expect_eq "progress exit" $? 0
expect_grep "periods and sizes" "period 2012 compared with 2011; 31 States, 15 actions" "$P.report.txt"
# the workbook is written on a second core beside the PDF: one thread or
# two, the same bytes
MSPDOC_THREADS=1 run_mspdoc progress inputs/progress -o "$TMP/serial" --as-of 2013-07-15 2>/dev/null
cmp -s "$P.pdf" "$TMP/serial.pdf" && ok || bad "progress.pdf differs when written on one thread"
cmp -s "$P.xlsx" "$TMP/serial.xlsx" && ok || bad "progress.xlsx differs when written on one thread"
pdftotext -layout "$P.pdf" "$TMP/p.txt" 2>/dev/null
expect_grep "status table" "Action #63" "$TMP/p.txt"
expect_grep "document symbol" "CCM/PR/2012" "$TMP/p.txt"
expect_grep "a negative change has a true minus sign" "\(−[0-9]+\)" "$TMP/p.txt"
# the tree: compact status tables, charts with short action titles and the
# status names as legend, the matrix's legend in each of its captions
run_mspdoc progress inputs/progress --as-of 2013-07-15 --dump-tree >"$TMP/t" 2>/dev/null
n=$(grep -c "caption=Action #\|caption=States by status of each action" "$TMP/t")
[ "$n" -ge 1 ] && [ "$n" -le 6 ] && ok || bad "status tables for 15 actions: $n (want at most 6)"
expect_grep "chart legend in status names" "legend=Completed\|In progress\|Not started\|No information" "$TMP/t"
expect_grep "chart bars carry short titles" "^ *- #10 Destroy all stockpiled" "$TMP/t"
expect_grep "chart number explained" "the number at its end is the number of States" "$TMP/t"
expect_grep "funding chart number explained" "The number at the end of each bar is the funding recorded" "$TMP/t"
expect_grep "funding figure states its period" "chart Recorded funding by area, 2010–2012" "$TMP/t"
n=$(grep -c "caption=Status of each State, 2012\. Marks: ● Completed" "$TMP/t")
[ "$n" -ge 2 ] && ok || bad "the matrix's legend is not in each of its tables: $n"
# the as-of date defaults to the end of the period
run_mspdoc progress inputs/progress -o "$TMP/def" 2>/dev/null
pdftotext "$TMP/def.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q "Article 7 reports as of 31.December.2012" && ok ||
	bad "the as-of date is not the end of the period"
expect_grep "changes table" "Moved forward" "$TMP/p.txt"
expect_grep "article 7" "late by [0-9]+ days" "$TMP/p.txt"
# the funding sentence is computed from the data (the sample has 10.2% in 2011)
expect_grep "funding sentence" "Victim assistance and stockpile destruction received [0-9.]+% of recorded funding in 2012" "$TMP/p.txt"
/usr/bin/python3 - "$P.xlsx" >"$TMP/x" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(" ".join(wb.sheetnames))
print(len(wb["Funding"]._charts))
r = wb["Reports"]
print(type(r.cell(2, 3).value).__name__)
# the 2011 VA+SD share, from the Funding rows of the inputs
st = wb["Status chart"]
print(len(st._charts), st["A1"].value == "Action" and st["B1"].value == "Completed")
PY
expect_eq "sheets" "$(sed -n 1p "$TMP/x")" "Summary Matrix Changes Reports Funding Status chart"
expect_eq "funding chart" "$(sed -n 2p "$TMP/x")" 1
expect_eq "native charts of status and funding" "$(sed -n 4p "$TMP/x")" "1 True"
expect_eq "due dates are dates" "$(sed -n 3p "$TMP/x")" datetime
# an unknown period: usage error listing the periods
run_mspdoc progress inputs/progress -o "$TMP/bad" --period 1999 2>"$TMP/e2"
expect_eq "unknown period" $? 2
expect_grep "lists periods" "2011" "$TMP/e2"

# the working paper
W="$TMP/paper.pdf"
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress -o "$W" --as-of 2013-07-15 2>"$TMP/e3"
expect_eq "paper exit" $? 0
pdftotext -layout "$W" "$TMP/w.txt" 2>"$TMP/pt.err"
expect_eq "pdftotext reads the paper's fonts without complaint" "$(sort -u "$TMP/pt.err")" ""
expect_grep "symbol" "CCM/MSP/2013/WP.5" "$TMP/w.txt"
expect_grep "original" "Original: English" "$TMP/w.txt"
expect_grep "meeting" "Fourth Meeting of the States Parties" "$TMP/w.txt"
expect_grep "agenda item" "Item 10 \(c\) of the provisional agenda" "$TMP/w.txt"
expect_grep "submitted by" "Submitted by New Zealand" "$TMP/w.txt"
expect_grep "paragraph 1" "^ *1\. " "$TMP/w.txt"
expect_grep "paragraph 10" "^ *10\. " "$TMP/w.txt"
expect_grep "embedded table" "Legislation adopted" "$TMP/w.txt"
# the lead paragraph (a block quote) is not numbered: paragraph 1 follows it
first_num=$(grep -n "^ *1\. " "$TMP/w.txt" | head -1 | cut -d: -f1)
lead=$(grep -n "coordinator" "$TMP/w.txt" | head -1 | cut -d: -f1)
[ -n "$lead" ] && [ -n "$first_num" ] && [ "$lead" -lt "$first_num" ] && ok || bad "the lead paragraph is numbered or missing"
# the symbol runs as head from page 2, not on page 1
pdftotext -f 1 -l 1 "$W" - 2>/dev/null | head -3 | grep -q "CCM/MSP/2013/WP.5" && p1=1 || p1=0
pdftotext -f 2 -l 2 "$W" - 2>/dev/null | head -2 | grep -q "CCM/MSP/2013/WP.5" && ok || bad "no running head on page 2"
# an unknown table in a paper: an error at the block's line
printf 'Form: Paper\nSymbol: X/1\nDate: 2013-01-01\nMeeting: M\nVenue: V\nTitle: T\nSubmitted by: S\n\nText.\n\n```mspdoc\ntable: nonsense\n```\n' >"$TMP/bad.md"
run_mspdoc paper "$TMP/bad.md" inputs/progress -o "$TMP/bad.pdf" 2>"$TMP/e4"
expect_grep "unknown table error with line" "bad.md:11: error: mspdoc block: unknown table 'nonsense'" "$TMP/e4"
run_mspdoc paper "$TMP/bad.md" -o "$TMP/bad2.pdf" 2>"$TMP/e5"
expect_grep "no progress data" "needs progress data|unknown table" "$TMP/e5"
# the paper's document tree (numbered paragraphs, the embedded tables and
# their figures, footnotes): golden, make regen rewrites it
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress --as-of 2013-07-15 \
	--dump-tree >"$TMP/tree.txt" 2>/dev/null
expect_eq "dump-tree exit" $? 0
if [ -n "$REGEN" ]; then cp "$TMP/tree.txt" tests/golden/paper-tree.txt; fi
diff -u tests/golden/paper-tree.txt "$TMP/tree.txt" >"$TMP/dt" && ok || bad "paper tree differs from tests/golden/paper-tree.txt: $(head -20 "$TMP/dt")"
# without --as-of, the embedded Article 7 table is as of the paper's date
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress -o "$TMP/p2.pdf" 2>/dev/null
pdftotext -layout "$TMP/p2.pdf" "$TMP/p2.txt" 2>/dev/null
expect_grep "paper's date by default" "Article 7 reports as of 15 July 2013" "$TMP/p2.txt"
run_mspdoc paper inputs/papers/national-implementation.md inputs/progress -o "$TMP/p3.pdf" --as-of 2014-01-01 2>/dev/null
pdftotext -layout "$TMP/p3.pdf" "$TMP/p3.txt" 2>/dev/null
expect_grep "--as-of wins" "Article 7 reports as of 1 January 2014" "$TMP/p3.txt"
# the workbook's normalised XML, golden (make regen rewrites it)
expect_xlsx_golden "progress.xlsx" progress.xlsx.txt "$P.xlsx"
finish progress
