#!/bin/sh
# check-compat, build 3: newer upstream series of libharu (2.4.x) and
# libxlsxwriter (1.2.x beyond trixie's 1.2.1, which build 2 covers), from
# the newest source package any Debian suite reachable here carries
# (bookworm and trixie with their backports, sid, experimental): built with
# Debian's flags into a private prefix, mspdoc built against its headers
# and library, and the whole suite run. Where no Debian suite carries a
# series, its upstream sources given by hand are built the same way:
# COMPAT_HARU_SRC / COMPAT_XLSX_SRC, a git clone (its newest v2.4.* or
# v1.2.* tag, or REPO@TAG) or a source tree; nothing here downloads them
# (the machine reaches Debian's archive only). COMPAT_HARU_PREFIX or
# COMPAT_XLSX_PREFIX name a libharu or libxlsxwriter already installed in a
# prefix (include/, lib/): the suite is then run against it too. A series
# none of these gives is reported as not run.
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
# MIN or later, built and tested; 1 when no Debian suite has one to build
series() {
	v=$(newest "$1")
	if [ -z "$v" ] || ! dpkg --compare-versions "$v" ge "$3"; then
		echo "compat: $1 $3 or later: no Debian suite packages it (newest ${v:-none})"
		return 1
	fi
	P=$W/$1-prefix
	rm -rf "$P"
	mkdir -p "$P"
	if compat_fetch "$1" "$v" && "$4"; then
		against "$1 $v (Debian source package)" "$P" "$2"
	else
		echo "compat: $1 $v: cannot fetch or build it from the mirror (see $LOG/upstream-apt.log)"
		return 1
	fi
}
# hand LABEL SOURCE DIR_OR_GIT SERIES LIB BUILD: upstream source given by
# hand (COMPAT_HARU_SRC, COMPAT_XLSX_SRC), built with Debian's flags into
# its own prefix, and the suite run against it
hand() {
	P=$W/$2-hand-prefix
	rm -rf "$P"
	mkdir -p "$P"
	if ver=$(compat_unpack_hand "$2" "$3" "$4") && echo "compat: $2 $ver, upstream source from $3" && "$6"; then
		against "$2 $ver (upstream source, $1)" "$P" "$5"
	else
		echo "compat-result: $2 from $3: not built (see $LOG/$NAME-*.log)"
	fi
}
# Each series is proved by a Debian package of it, or by the sources or
# prefix given by hand; with none of them it is reported as not run, which
# fails check-compat (the proof is incomplete), saying what to give.
haru=0
xlsx=0
series libharu libhpdf 2.4 compat_build_haru && haru=1
series libxlsxwriter libxlsxwriter 1.2.2 compat_build_xlsx && xlsx=1
if [ -n "${COMPAT_HARU_SRC:-}" ]; then
	hand COMPAT_HARU_SRC libharu "$COMPAT_HARU_SRC" 2.4 libhpdf compat_build_haru
	haru=1
fi
if [ -n "${COMPAT_XLSX_SRC:-}" ]; then
	hand COMPAT_XLSX_SRC libxlsxwriter "$COMPAT_XLSX_SRC" 1.2 libxlsxwriter compat_build_xlsx
	xlsx=1
fi
if [ -n "${COMPAT_HARU_PREFIX:-}" ]; then
	against "libharu in $COMPAT_HARU_PREFIX (built by hand)" "$COMPAT_HARU_PREFIX" libhpdf
	haru=1
fi
if [ -n "${COMPAT_XLSX_PREFIX:-}" ]; then
	against "libxlsxwriter in $COMPAT_XLSX_PREFIX (built by hand)" "$COMPAT_XLSX_PREFIX" libxlsxwriter
	xlsx=1
fi
[ "$haru" = 1 ] || echo "compat-result: libharu 2.4.x: not run (no Debian package of it here; give COMPAT_HARU_SRC=a clone or source tree of libharu/libharu)"
[ "$xlsx" = 1 ] || echo "compat-result: libxlsxwriter 1.2.2 or later: not run (no Debian package of it here; give COMPAT_XLSX_SRC=a clone or source tree of jmcnamara/libxlsxwriter)"
