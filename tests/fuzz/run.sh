#!/bin/sh
# Build every libFuzzer target (tests/fuzz/fuzz_*.c) with ASan+UBSan and run
# each for a bounded time (FUZZ_SECONDS, default 60) on its seed corpus,
# copied to a scratch folder so the committed corpus stays small. Crashing
# inputs land in tests/fuzz/crashes/ to be added to the regression corpus.
set -e
secs=${1:-${FUZZ_SECONDS:-60}}
out=build-fuzz
mkdir -p "$out" tests/fuzz/crashes
CFLAGS="-pthread -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $(pkg-config --cflags libxml-2.0 minizip libcmark-gfm xlsxwriter libqpdf zlib libpng libjpeg libdeflate libcrypto)"
LIBS="$(pkg-config --libs libxml-2.0 minizip libcmark-gfm xlsxwriter libqpdf zlib libpng libjpeg libdeflate libcrypto) -lcmark-gfm-extensions -lhpdf -lhyphen -lunistring -lm"
SRC=$(ls src/*/*.c)
status=0
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	work=tests/fuzz/corpus-work/${name#fuzz_}
	mkdir -p "$work"
	[ -d "$corpus" ] && cp -n "$corpus"/* "$work"/ 2>/dev/null || true
	echo "== $name: building"
	# shellcheck disable=SC2086
	clang $CFLAGS "$f" $SRC $LIBS -o "$out/$name"
	echo "== $name: running ${secs}s"
	if ! "$out/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=tests/fuzz/crashes/"$name"- "$work" 2>"$out/$name.log"; then
		echo "FINDING in $name: see $out/$name.log and tests/fuzz/crashes/"
		status=1
	fi
	tail -n 3 "$out/$name.log"
done
exit $status
