#!/bin/sh
# `make install` into a temporary DESTDIR: the installed program, run from
# another folder on a copy of inputs/, finds its styles through the prefix
# and writes what the in-tree build writes; MSPDOC_STYLES overrides; a
# styles/ folder where it is run is not taken; `make uninstall` removes
# everything it put there.
. tests/e2e/lib.sh

B=${B:-build}
ROOT="$TMP/root"
make -s install B="$B" DESTDIR="$ROOT" >"$TMP/install.log" 2>&1
expect_eq "make install" $? 0
BIN=$(find "$ROOT" -path '*/bin/mspdoc' -type f | head -n 1)
SHARE=$(find "$ROOT" -path '*/share/mspdoc/styles' -type d | head -n 1)
if [ -x "$BIN" ]; then ok; else bad "no bin/mspdoc under DESTDIR: $(cat "$TMP/install.log")"; fi
for s in book digest report paper; do
	[ -s "$SHARE/$s.style" ] && ok || bad "$s.style not installed"
done
[ -s "$SHARE/README.md" ] && ok || bad "styles/README.md not installed"
MAN=$(find "$ROOT" -path '*/man1/mspdoc.1' -type f | head -n 1)
[ -s "$MAN" ] && ok || bad "man page not installed"
DOC=$(find "$ROOT" -path '*/share/doc/mspdoc' -type d | head -n 1)
[ -s "$DOC/README.md" ] && [ -s "$DOC/examples/inputs/catalogue/book.md" ] && ok ||
	bad "README or the example inputs not installed"
# the installed README's pictures are there too
for img in $(sed -n 's/.*](\(docs\/img\/[^)]*\)).*/\1/p' README.md); do
	[ -s "$DOC/$img" ] && ok || bad "$img (in the README) not installed"
done

# Run from elsewhere, on a copy of the sample, with the same options as the
# in-tree build.
mkdir -p "$TMP/elsewhere"
cp -R inputs "$TMP/elsewhere/inputs"
printf 'install-%s\n' test >"$TMP/pw"
(cd "$TMP/elsewhere" && "$BIN" build --as-of 2026-11-24 --password-file "$TMP/pw" 2>"$TMP/inst.err")
expect_eq "installed build exit (one contribution rejected)" $? 1
(cd "$TMP/elsewhere" && "$MSPDOC" build -o tree --as-of 2026-11-24 --password-file "$TMP/pw" 2>"$TMP/tree.err")
expect_eq "in-tree build exit" $? 1
cmp -s "$TMP/inst.err" "$TMP/tree.err" && ok || bad "messages differ: $(diff "$TMP/tree.err" "$TMP/inst.err" | head -5)"
E="$TMP/elsewhere"
n=0
for f in $(cd "$E/tree" && find . -type f | sort); do
	n=$((n + 1))
	case "$f" in
	./digest.pdf) # encrypted: its file ID is random; compare the text
		pdftotext -upw install-test "$E/tree/$f" "$TMP/a.txt" &&
			pdftotext -upw install-test "$E/out/$f" "$TMP/b.txt" &&
			cmp -s "$TMP/a.txt" "$TMP/b.txt" && ok || bad "digest.pdf text differs" ;;
	./portal/*) # restricted site: every page is encrypted under a fresh salt
		# and IVs, so only the same set of files can be compared
		[ -s "$E/out/$f" ] && ok || bad "$f missing from the installed build" ;;
	./report.txt)
		diff "$E/tree/$f" "$E/out/$f" >"$TMP/d" && ok || bad "report differs: $(head -5 "$TMP/d")" ;;
	*) cmp -s "$E/tree/$f" "$E/out/$f" && ok || bad "$f differs from the in-tree build's" ;;
	esac
done
[ "$n" -ge 8 ] && ok || bad "the in-tree build wrote only $n files"
[ "$(cd "$E/tree" && find . -type f | sort)" = "$(cd "$E/out" && find . -type f | sort)" ] && ok ||
	bad "the installed build wrote other files than the in-tree one"

# A styles/ folder in the current directory is not the installed program's.
mkdir -p "$E/styles"
echo "body.size = large" >"$E/styles/book.style"
(cd "$E" && "$BIN" catalogue inputs/catalogue -o cwd/cat 2>"$TMP/e")
expect_eq "./styles is not read" $? 1
# MSPDOC_STYLES does override: that broken style is then an error naming it.
(cd "$E" && MSPDOC_STYLES="$E/styles" "$BIN" catalogue inputs/catalogue -o env/cat 2>"$TMP/e")
expect_eq "MSPDOC_STYLES broken style: exit 3" $? 3
expect_grep "MSPDOC_STYLES is the style read" "styles/book.style:1" "$TMP/e"

# --version names the styles in use; a binary with no tree around it falls
# back to the data dir compiled in.
"$BIN" --version >"$TMP/v"
expect_grep "installed --version names its styles" "^styles: $SHARE\$" "$TMP/v"
mkdir -p "$TMP/alone"
cp "$BIN" "$TMP/alone/mspdoc"
"$TMP/alone/mspdoc" --version >"$TMP/v"
expect_grep "compiled-in data dir" "^styles: /.*/share/mspdoc/styles\$" "$TMP/v"

make -s uninstall B="$B" DESTDIR="$ROOT" >"$TMP/uninstall.log" 2>&1
expect_eq "make uninstall" $? 0
left=$(find "$ROOT" -type f | head -3)
expect_eq "nothing left after uninstall" "$left" ""

finish install
