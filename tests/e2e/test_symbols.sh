#!/bin/sh
# The program defines no name that a library it loads exports (quality.md,
# Dependencies): no function redefined, no library variable copied into the
# program by a copy relocation. A sanitizer build is skipped: its runtime
# replaces malloc and friends on purpose.
. tests/e2e/lib.sh

if nm -D --defined-only "$MSPDOC" | grep -q '__asan_init\|__tsan_init'; then
	ok
else
	out=$(sh tools/compat/symbols.sh "$MSPDOC")
	expect_eq "names the program shares with its libraries" "$out" ""
	# the check itself finds a clash: a copy of the program with one more
	# name (xmlFree, as a copy relocation used to make it) must fail it
	printf 'char *xmlFree;\nint main(void){return 0;}\n' >"$TMP/c.c"
	if cc -fPIE -pie -rdynamic "$TMP/c.c" -o "$TMP/c" -Wl,--no-as-needed -lxml2 2>/dev/null; then
		sh tools/compat/symbols.sh "$TMP/c" >/dev/null
		expect_eq "a clash is found" $? 1
	fi
fi
finish symbols
