#!/bin/sh
# symbols.sh BINARY: fail when BINARY defines (exports) a dynamic symbol that
# a library it loads also exports: such a definition would replace the
# library's own function for the library's internal callers (ELF symbol
# interposition), or not, depending on how the library was linked.
# Prints each clash as "library: name ...".
bin=${1:-build/mspdoc}
[ -x "$bin" ] || { echo "symbols.sh: $bin is not built" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$bin" | awk '{print $NF}' | sed 's/@.*//' |
	grep -vE '^(_edata|_end|__bss_start|_init|_fini|_IO_stdin_used|main|stdin|stdout|stderr)$' |
	sort -u >"$tmp/mine"
bad=0
for lib in $(ldd "$bin" | awk '/=> \//{print $3}'); do
	nm -D --defined-only "$lib" 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$tmp/lib"
	both=$(comm -12 "$tmp/mine" "$tmp/lib" | tr '\n' ' ')
	if [ -n "$both" ]; then
		echo "$(basename "$lib"): $both"
		bad=1
	fi
done
exit $bad
