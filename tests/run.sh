#!/bin/sh
# Run every unit-test binary and end-to-end script; print the total as
# "N passed, N failed" (the line CI reads). VALGRIND=1 runs the unit tests
# and the CLI under valgrind; REGEN=1 rewrites golden files.
B=${B:-build}
export B
export MSPDOC="${MSPDOC:-$(pwd)/$B/mspdoc}"
export LC_ALL=C.UTF-8
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795651200}
pass=0
fail=0
runner=""
[ -n "$VALGRIND" ] && runner="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(pwd)/tests/valgrind.supp"
export VALGRIND_RUNNER="$runner"
add() {
	line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$2: no result line (crashed?)"
		fail=$((fail + 1))
		return
	fi
	p=$(printf ' %s' "$line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\1/')
	f=$(printf ' %s' "$line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\2/')
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$3" != 0 ] && [ "$f" = 0 ] && { echo "$2: exit status $3"; fail=$((fail + 1)); }
	return 0
}
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$($runner "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E 'FAIL|ERROR|passed, [0-9]+ failed' | sed 's/^/  /'
	add "$out" "$t" $rc
done
for t in tests/e2e/test_*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E 'FAIL|passed, [0-9]+ failed' | sed 's/^/  /'
	add "$out" "$t" $rc
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
