#!/bin/sh
# check-compat, build 3: newer upstream series of libharu (2.4.x) and
# libxlsxwriter (1.2.x beyond trixie's 1.2.1, which build 2 covers), from
# the newest source package any Debian suite reachable here carries
# (bookworm and trixie with their backports, sid, experimental): built with
# Debian's flags into a private prefix, mspdoc built against its headers
# and library, and the whole suite run. A series no Debian suite carries
# is reported as not run. COMPAT_HARU_PREFIX or COMPAT_XLSX_PREFIX name a
# libharu or libxlsxwriter installed by hand in a prefix (include/, lib/):
# the suite is then run against it too.
set -eu
. tools/compat/lib.sh
W=$(pwd)/build/compat/upstream
LOG=$(pwd)/build/compat
NAME=upstream
mkdir -p "$W"
APTO=$(compat_apt_src "$W/apt" bookworm bookworm-backports trixie trixie-backports sid experimental)
# shellcheck disable=SC2086
apt-get $APTO update -qq >"$LOG/upstream-apt.log" 2>&1 || true
CFLAGS=$(dpkg-buildflags --get CFLAGS)
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)

# newest SOURCE: the highest version of that source package in those suites
newest() {
	# shellcheck disable=SC2086
	apt-cache $APTO showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n 1
}

# against LABEL PREFIX LIB: mspdoc built against the library in PREFIX, the
# suite run with it; one result line.
against() {
	label=$1
	pre=$2
	b=build-compat-$3 # beside build/: the program finds styles/ at ../styles
	rm -rf "$b"
	set +e
	make B="$b" EXTRA_CFLAGS="-I$pre/include" LDFLAGS="-L$pre/lib -Wl,-rpath,$pre/lib" \
		test >"$LOG/upstream-$3.log" 2>&1
	set -e
	got=$(ldd "$b/mspdoc" 2>/dev/null | awk -v l="$3" 'index($1, l) == 1 {print $3}')
	grep -E 'FAIL|passed, [0-9]+ failed' "$LOG/upstream-$3.log" | tail -n 20
	res=$(compat_result "$LOG/upstream-$3.log")
	case "$got" in
	"$pre"/*) ;;
	*) res="${res:-no result}, but $3 was loaded from ${got:-nowhere}" ;;
	esac
	echo "compat-result: $label: ${res:-no result (build failed? see $LOG/upstream-$3.log)}"
}

# series SOURCE LIB MIN BUILD: the newest Debian version of SOURCE if it is
# MIN or later, built and tested
series() {
	v=$(newest "$1")
	if [ -z "$v" ] || ! dpkg --compare-versions "$v" ge "$3"; then
		echo "compat-result: $1 $3 or later: not run (no Debian suite packages it; newest ${v:-none})"
		return 0
	fi
	P=$W/$1-prefix
	rm -rf "$P"
	mkdir -p "$P"
	if compat_fetch "$1" "$v" && "$4"; then
		against "$1 $v (Debian source package)" "$P" "$2"
	else
		echo "compat-result: $1 $v: not run (cannot fetch or build it from the mirror; see $LOG/upstream-apt.log)"
	fi
}
series libharu libhpdf 2.4 compat_build_haru
series libxlsxwriter libxlsxwriter 1.2.2 compat_build_xlsx
if [ -n "${COMPAT_HARU_PREFIX:-}" ]; then
	against "libharu in $COMPAT_HARU_PREFIX (built by hand)" "$COMPAT_HARU_PREFIX" libhpdf
fi
if [ -n "${COMPAT_XLSX_PREFIX:-}" ]; then
	against "libxlsxwriter in $COMPAT_XLSX_PREFIX (built by hand)" "$COMPAT_XLSX_PREFIX" libxlsxwriter
fi
