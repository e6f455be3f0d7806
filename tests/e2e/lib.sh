# lib.sh — helpers for end-to-end tests (sourced). Each script ends with
# `finish NAME`, printing "NAME: N passed, N failed".
PASS=0
FAIL=0
MSPDOC=${MSPDOC:-$(pwd)/build/mspdoc}
run_mspdoc() { $VALGRIND_RUNNER "$MSPDOC" "$@"; }
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
# expect_eq WHAT GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: want [$3], got [$2]"; fi; }
# expect_grep WHAT PATTERN FILE
expect_grep() { if grep -qE -- "$2" "$3"; then ok; else bad "$1: /$2/ not in $3"; fi; }
expect_nogrep() { if grep -qE -- "$2" "$3"; then bad "$1: /$2/ found in $3"; else ok; fi; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
finish() { echo "$1: $PASS passed, $FAIL failed"; [ "$FAIL" = 0 ]; }
# expect_golden WHAT GOLDEN FILE: FILE's text equals tests/golden/GOLDEN
# (make regen rewrites it; review the diff by hand)
expect_golden() {
	[ -n "$REGEN" ] && cp "$3" "tests/golden/$2"
	if diff -u "tests/golden/$2" "$3" >"$TMP/golden.diff"; then ok; else bad "$1 differs from tests/golden/$2: $(head -30 "$TMP/golden.diff")"; fi
}
# expect_xlsx_golden WHAT GOLDEN XLSX: what openpyxl reads in the workbook
# (tests/tools/xlsx_norm.py) equals tests/golden/GOLDEN
expect_xlsx_golden() {
	/usr/bin/python3 tests/tools/xlsx_norm.py "$3" >"$TMP/norm.txt" || { bad "$1: cannot normalise $3"; return; }
	expect_golden "$1" "$2" "$TMP/norm.txt"
}
