#!/bin/sh
# End-to-end tests of the command line on inputs/ and tests/bad/: exit codes,
# diagnostics, the report (nothing unaccounted), the password rules,
# --strict, and reproducible output.
. tests/e2e/lib.sh

# Usage errors: exit 2 with a message on stderr.
run_mspdoc >/dev/null 2>"$TMP/e"; expect_eq "no arguments" $? 2
run_mspdoc frobnicate 2>"$TMP/e"; expect_eq "unknown command" $? 2
expect_grep "unknown command message" "unknown command 'frobnicate'" "$TMP/e"
run_mspdoc build --password hunter2 2>"$TMP/e"; expect_eq "password as argument" $? 2
expect_grep "password argument refused" "never given as an argument" "$TMP/e"
expect_nogrep "password not echoed" "hunter2" "$TMP/e"
run_mspdoc --help >"$TMP/o"; expect_eq "--help" $? 0
expect_grep "--help lists commands" "templates" "$TMP/o"
run_mspdoc build -i "$TMP/none" 2>"$TMP/e"; expect_eq "missing inputs folder" $? 2

# A mistyped command or option: "did you mean"; nothing near: no guess.
run_mspdoc bulid 2>"$TMP/e"; expect_eq "mistyped command" $? 2
expect_grep "command suggestion" "unknown command 'bulid': did you mean 'build'\?" "$TMP/e"
run_mspdoc catalog inputs 2>"$TMP/e"
expect_grep "catalog: catalogue" "did you mean 'catalogue'\?" "$TMP/e"
run_mspdoc frobnicate 2>"$TMP/e"; expect_nogrep "no guess when nothing is near" "did you mean" "$TMP/e"
run_mspdoc build --as-off 2026-01-01 2>"$TMP/e"; expect_eq "mistyped option" $? 2
expect_grep "option suggestion" "unknown option '--as-off': did you mean '--as-of'\?" "$TMP/e"
run_mspdoc digest --pasword-file=secret-x inputs/portal 2>"$TMP/e"
expect_grep "--pasword-file" "did you mean '--password-file'\?" "$TMP/e"
expect_nogrep "a mistyped option's value is not echoed" "secret-x" "$TMP/e"
run_mspdoc --verison 2>"$TMP/e"; expect_eq "mistyped --version" $? 2
expect_grep "--verison" "did you mean '--version'\?" "$TMP/e"
run_mspdoc help bulid 2>"$TMP/e"; expect_eq "help of a mistyped command" $? 2
expect_grep "help bulid" "did you mean 'build'\?" "$TMP/e"
# An option the command does not take, and a PATH to one that takes none.
run_mspdoc templates -i forms 2>"$TMP/e"; expect_eq "templates -i" $? 2
expect_grep "templates -i message" "'templates' does not take -i" "$TMP/e"
run_mspdoc templates forms 2>"$TMP/e"; expect_eq "templates PATH" $? 2
# --opt=value is --opt value.
run_mspdoc check --as-of=2026-11-24 inputs/portal 2>"$TMP/e"; expect_eq "--as-of=DATE" $? 0
run_mspdoc check --strict=yes inputs 2>"$TMP/e"; expect_eq "--strict=yes refused" $? 2

# Each command's help: mspdoc help COMMAND and COMMAND --help, the same.
for c in build check templates catalogue digest portal progress paper letter; do
	run_mspdoc help $c >"$TMP/h1"; expect_eq "help $c" $? 0
	run_mspdoc $c --help >"$TMP/h2"; expect_eq "$c --help" $? 0
	cmp -s "$TMP/h1" "$TMP/h2" && ok || bad "help $c and $c --help differ"
	expect_grep "help $c: usage line" "^usage: mspdoc $c" "$TMP/h1"
	expect_grep "help $c: options" "^  --help " "$TMP/h1"
	long=$(awk 'length > 80' "$TMP/h1" | head -1)
	expect_eq "help $c fits 80 columns" "$long" ""
done
run_mspdoc help digest >"$TMP/h1"
expect_grep "digest help names --password-file" "^  --password-file F" "$TMP/h1"
expect_grep "digest help: -o PREFIX default" "out/digest" "$TMP/h1"
expect_nogrep "digest help has no -i" "^  -i " "$TMP/h1"
run_mspdoc help templates >"$TMP/h1"
expect_nogrep "templates help has no --as-of" "--as-of" "$TMP/h1"

# --version: mspdoc's, then each library's, then the styles in use.
run_mspdoc --version >"$TMP/v"; expect_eq "--version" $? 0
expect_grep "--version first line" "^mspdoc [0-9]+\.[0-9]+\.[0-9]+$" "$TMP/v"
for lib in libharu libxlsxwriter libxml2 cmark-gfm zlib libpng OpenSSL; do
	expect_grep "--version names $lib" "^  $lib +[0-9]+\.[0-9]+" "$TMP/v"
done
expect_grep "--version: zlib's own" "^  zlib +$(python3 -c 'import zlib; print(zlib.ZLIB_RUNTIME_VERSION)' | sed 's/\./\\./g')$" "$TMP/v"
expect_grep "--version names the styles" "^styles: $(pwd)/styles$" "$TMP/v"
want=$(sed -n '1s/^mspdoc (\([^)]*\)).*/\1/p' debian/changelog)
expect_grep "--version agrees with debian/changelog" "^mspdoc $want\$" "$TMP/v"

# A missing input path: exit 2, and nothing written where it was run.
mkdir -p "$TMP/cwd"
for c in catalogue digest progress paper check; do
	(cd "$TMP/cwd" && run_mspdoc $c /nonexistent/forms 2>"$TMP/e"); expect_eq "$c on a missing path" $? 2
	expect_grep "$c missing path message" "/nonexistent/forms: no such file or folder" "$TMP/e"
done
(cd "$TMP/cwd" && run_mspdoc catalogue "$(pwd)/inputs/catalogue" /nonexistent 2>"$TMP/e")
expect_eq "one path of two missing" $? 2
expect_eq "nothing written for a missing path" "$(find "$TMP/cwd" -mindepth 1 | head -3)" ""
(cd "$TMP/cwd" && run_mspdoc check 2>"$TMP/e"); expect_eq "check with no inputs folder" $? 2

# A restricted digest without a password: exit 2, nothing written at all.
unset MSPDOC_PASSWORD
run_mspdoc build -i inputs -o "$TMP/nopw" 2>"$TMP/e"; expect_eq "restricted, no password" $? 2
expect_grep "says how to give a password" "password-file" "$TMP/e"
if [ -e "$TMP/nopw/catalogue.pdf" ] || [ -e "$TMP/nopw/report.txt" ]; then bad "restricted without password wrote output"; else ok; fi

# The sample build: one contribution has rights pending, so exit 1 (rejected input).
printf 'sesame-%s\n' "tests" >"$TMP/pw"
run_mspdoc build -i inputs -o "$TMP/out" --password-file "$TMP/pw" --as-of 2026-11-24 2>"$TMP/e"
expect_eq "sample build exit" $? 1
if [ -s "$TMP/out/report.txt" ]; then ok; else bad "sample build wrote no report.txt"; fi
# Every input file is accounted for in the report.
find inputs -type f ! -name '.*' | sort >"$TMP/files"
missing=0
while read -r f; do
	grep -qF "$f" "$TMP/out/report.txt" || { echo "not in report: $f"; missing=$((missing + 1)); }
done <"$TMP/files"
expect_eq "every input file in the report" "$missing" 0
expect_grep "rejected contribution in report" "rights not cleared" "$TMP/out/report.txt"
# nothing lost: the report's totals add up to every file of the inputs tree
sum=$(sed -n 's/^  total: \([0-9]*\) file(s).*/\1/p' "$TMP/out/report.txt" | awk '{ s += $1 } END { print s }')
expect_eq "report totals = files in inputs/" "$sum" "$(find inputs -type f ! -name '.*' | wc -l)"
# and the records: accepted + rejected = read, per the digest and catalogue lines
expect_grep "catalogue counts" "13 contribution\(s\) read, 12 included, 1 rejected" "$TMP/out/report.txt"
# The password appears nowhere.
if grep -rqaF "sesame-tests" "$TMP/out"; then bad "password found in outputs"; else ok; fi
# Diagnostics are FILE:LINE: or FILE:SHEET!CELL: lines.
if grep -vE '^(inputs/[^:]+:([0-9]+|[^!]+![A-Z]+[0-9]+)?:? ?(error|warning): |mspdoc: )' "$TMP/e" | grep -q .; then
	bad "diagnostic lines not positioned: $(grep -vE '^(inputs/|mspdoc: )' "$TMP/e" | head -2)"
else ok; fi

# Reproducible: the same inputs and SOURCE_DATE_EPOCH give the same report.
run_mspdoc build -i inputs -o "$TMP/out2" --password-file "$TMP/pw" --as-of 2026-11-24 2>/dev/null
if cmp -s "$TMP/out/report.txt" "$TMP/out2/report.txt"; then ok; else bad "report.txt differs between two runs"; fi

# --strict: any error writes nothing.
run_mspdoc build -i inputs -o "$TMP/strict" --strict --password-file "$TMP/pw" 2>/dev/null
expect_eq "--strict exit" $? 1
if [ -e "$TMP/strict" ]; then bad "--strict wrote output"; else ok; fi

# The password file: one trailing newline stripped; an empty one is refused.
: >"$TMP/empty"
run_mspdoc build -i inputs -o "$TMP/e2" --password-file "$TMP/empty" 2>"$TMP/e"
expect_eq "empty password file" $? 2
expect_grep "empty password file message" "password file is empty" "$TMP/e"

# check: the sample is valid but for the contribution whose rights are pending.
run_mspdoc check inputs 2>"$TMP/e"
expect_eq "check inputs exits 1" $? 1
expect_eq "check inputs: one error" "$(grep -c ': error: ' "$TMP/e")" 1
expect_grep "check inputs summary" "41 file\(s\), 810 record\(s\), 1 rejected" "$TMP/e"

# templates: every kind, and filled-in templates read back without error.
run_mspdoc templates -o "$TMP/tpl" 2>/dev/null
expect_eq "templates exit" $? 0
for k in contribution book need offer experience digest; do
	[ -s "$TMP/tpl/$k.md" ] && [ -s "$TMP/tpl/$k.xlsx" ] && ok || bad "template $k missing"
done
[ -s "$TMP/tpl/portal-register.xlsx" ] && [ -s "$TMP/tpl/progress-data.xlsx" ] && [ -s "$TMP/tpl/paper.md" ] && ok || bad "table templates missing"
# the same SOURCE_DATE_EPOCH, the same bytes (without it, a workbook's
# creation time is the time it is made: two runs a second apart differ)
SOURCE_DATE_EPOCH=1700000000 run_mspdoc templates -o "$TMP/tpl" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 run_mspdoc templates -o "$TMP/tpl2" 2>/dev/null
for f in "$TMP"/tpl/*; do cmp -s "$f" "$TMP/tpl2/$(basename "$f")" && ok || bad "$(basename "$f") not reproducible"; done
/usr/bin/python3 tests/tools/fill_templates.py "$TMP/tpl" "$TMP/filled" >"$TMP/fill.log" 2>&1 || bad "fill_templates failed: $(tail -3 "$TMP/fill.log")"
for sub in md xlsx; do
	run_mspdoc check "$TMP/filled/$sub" 2>"$TMP/e"
	expect_eq "filled $sub templates check clean" $? 0
	expect_nogrep "filled $sub templates: no error" ": error: " "$TMP/e"
done
/usr/bin/python3 tests/tools/check_templates.py "$TMP/tpl" >"$TMP/ct.log" 2>&1 && ok || bad "template structure: $(tail -5 "$TMP/ct.log")"

# check writes nothing and reports the bad inputs with positions.
run_mspdoc check tests/bad >"$TMP/o" 2>"$TMP/check"
expect_eq "check on tests/bad exits 1" $? 1
if [ -n "$REGEN" ]; then cp "$TMP/check" tests/golden/check-bad.txt; fi
if diff -u tests/golden/check-bad.txt "$TMP/check" >"$TMP/d"; then ok; else bad "check tests/bad differs from tests/golden/check-bad.txt: $(head -20 "$TMP/d")"; fi

# The man page stands alone: no rule cited by number from a file that is not
# installed, every command described, and groff finds nothing to warn about.
if grep -v '^\.BR' man/mspdoc.1 | grep -qE 'rules\.md|rule [0-9]|\([0-9]{1,2}\)'; then
	bad "man page cites rules by number: $(grep -v '^\.BR' man/mspdoc.1 | grep -E 'rules\.md|\([0-9]{1,2}\)' | head -2)"
else ok; fi
for c in build check templates catalogue digest portal progress paper letter help; do
	expect_grep "man page describes $c" "^\.B[IR]* $c\b|^\.BR .*\b$c\b" man/mspdoc.1
done
if command -v groff >/dev/null; then
	groff -man -ww -z man/mspdoc.1 >"$TMP/groff" 2>&1
	expect_eq "groff -man -ww: no warning" "$(cat "$TMP/groff")" ""
fi

finish cli
