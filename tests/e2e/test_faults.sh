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
finish faults
