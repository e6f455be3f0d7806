#!/bin/sh
# Fault injection: when the environment fails, mspdoc says what failed,
# exits 3, and leaves earlier outputs intact (cli.md, quality.md).
. tests/e2e/lib.sh
run_mspdoc catalogue inputs/catalogue -o "$TMP/good/cat" 2>/dev/null
cp "$TMP/good/cat.pdf" "$TMP/before.pdf"

# 1. a missing font file (a style pointing at it)
mkdir -p "$TMP/styles"
cp styles/*.style "$TMP/styles/"
echo "font.serif = /nonexistent/Serif.ttf" >>"$TMP/styles/book.style"
run_mspdoc catalogue inputs/catalogue -o "$TMP/good/cat" --styles "$TMP/styles" 2>"$TMP/e"
expect_eq "missing font exits 3" $? 3
expect_grep "missing font named" "/nonexistent/Serif.ttf: error: font file not found" "$TMP/e"
cmp -s "$TMP/good/cat.pdf" "$TMP/before.pdf" && ok || bad "the earlier PDF was touched"

# 2. a bad style value
cp styles/book.style "$TMP/styles/book.style"
echo "body.size = large" >>"$TMP/styles/book.style"
run_mspdoc catalogue inputs/catalogue -o "$TMP/x" --styles "$TMP/styles" 2>"$TMP/e"
expect_eq "bad style exits 3" $? 3
expect_grep "bad style value with its line" "book.style:[0-9]+: error: bad value 'large' for 'body.size'" "$TMP/e"

# 3. an output folder that cannot be written (as root, a file in its way)
: >"$TMP/blocker"
run_mspdoc catalogue inputs/catalogue -o "$TMP/blocker/sub/cat" 2>"$TMP/e"
expect_eq "unwritable output exits 3" $? 3
expect_grep "says the folder failed" "cannot create the output folder" "$TMP/e"

# 4. the disk full: a file-size limit below the PDF's size
( ulimit -f 200; exec "$MSPDOC" catalogue inputs/catalogue -o "$TMP/good/cat" ) 2>"$TMP/e"
rc=$?
[ "$rc" = 3 ] && ok || bad "file-size limit: want exit 3, got $rc: $(tail -2 "$TMP/e")"
expect_grep "says the write failed" "cannot write|cannot create" "$TMP/e" || cat "$TMP/e"
cmp -s "$TMP/good/cat.pdf" "$TMP/before.pdf" && ok || bad "a failed write replaced the earlier PDF"
ls "$TMP/good" | grep -q tmp && bad "a temporary file was left behind" || ok
# 4b. the progress workbook is written on a second core while the PDF is
# laid out: when the PDF fails (a missing font), the earlier workbook stays,
# no temporary file is left, and only the PDF's failure is reported
mkdir -p "$TMP/pg"
echo "an earlier workbook" >"$TMP/pg/progress.xlsx"
cp "$TMP/pg/progress.xlsx" "$TMP/before.xlsx"
cp styles/*.style "$TMP/styles/"
echo "font.serif = /nonexistent/Serif.ttf" >>"$TMP/styles/report.style"
run_mspdoc progress inputs/progress -o "$TMP/pg/progress" --styles "$TMP/styles" 2>"$TMP/e"
expect_eq "progress with a missing font exits 3" $? 3
cmp -s "$TMP/pg/progress.xlsx" "$TMP/before.xlsx" && ok || bad "a failed PDF let the workbook be replaced"
ls "$TMP/pg" | grep -q tmp && bad "the workbook's temporary file was left behind" || ok
expect_nogrep "no workbook message when the PDF failed" "progress.xlsx" "$TMP/e"
cp styles/*.style "$TMP/styles/"
# 5. the run killed mid-write (SIGKILL at several moments): the output is the
# earlier file or the new one, whole, never a part of one
cp -r inputs/catalogue "$TMP/k"
sed -i 's/^Title: .*/Title: An earlier edition/' "$TMP/k/book.md"
run_mspdoc catalogue "$TMP/k" -o "$TMP/kill/cat" 2>/dev/null
cp "$TMP/kill/cat.pdf" "$TMP/old.pdf"
run_mspdoc catalogue inputs/catalogue -o "$TMP/new/cat" 2>/dev/null
cmp -s "$TMP/old.pdf" "$TMP/new/cat.pdf" && bad "the two editions should differ" || ok
for d in 0.01 0.03 0.06 0.1 0.2 0.5; do
	cp "$TMP/old.pdf" "$TMP/kill/cat.pdf"
	timeout -s KILL "$d" "$MSPDOC" catalogue inputs/catalogue -o "$TMP/kill/cat" 2>/dev/null
	if cmp -s "$TMP/kill/cat.pdf" "$TMP/old.pdf" || cmp -s "$TMP/kill/cat.pdf" "$TMP/new/cat.pdf"; then
		ok
	else
		bad "killed after $d s: cat.pdf is neither the earlier file nor the new one"
	fi
done
finish faults
