#!/bin/sh
# check-compat, build 1: the whole suite against libharu and libxlsxwriter
# rebuilt from Debian's own source packages (the versions installed here)
# with -Wl,-Bsymbolic-functions, Ubuntu's default link flag: a library so
# linked binds its internal calls to its own functions, so a program that
# redefined one would silently change nothing (or half of something).
# The sources come through a private deb-src list (the machine's apt
# configuration is not touched); the build dependencies the .dsc names are
# installed with apt-get satisfy; the libraries go to a private prefix and
# the suite runs with LD_LIBRARY_PATH pointing there (checked with ldd).
set -eu
. tools/compat/lib.sh
W=$(pwd)/build/compat/symbolic
P=$W/prefix
LOG=$(pwd)/build/compat
NAME=symbolic
mkdir -p "$W/src" "$P/lib"
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
APTO=$(compat_apt_src "$W/apt" "$suite" "$suite-updates")
# shellcheck disable=SC2086
apt-get $APTO update -qq >"$LOG/symbolic-apt.log" 2>&1 ||
	{ echo "compat: symbolic: apt-get update of the deb-src list failed, see $LOG/symbolic-apt.log"; exit 1; }
CFLAGS=$(dpkg-buildflags --get CFLAGS)
LDFLAGS="$(dpkg-buildflags --get LDFLAGS) -Wl,-Bsymbolic-functions"

# rebuilt once for each installed version (a stamp in the prefix)
for pair in libharu:libhpdf-dev:compat_build_haru libxlsxwriter:libxlsxwriter-dev:compat_build_xlsx; do
	src=${pair%%:*}
	rest=${pair#*:}
	ver=$(dpkg-query -W -f '${source:Version}' "${rest%%:*}")
	if [ "$(cat "$P/$src.stamp" 2>/dev/null)" = "$ver" ]; then
		echo "compat: $src $ver, rebuilt earlier (rm -r $W to rebuild)"
		continue
	fi
	if compat_fetch "$src" "$ver" && "${rest#*:}"; then
		echo "$ver" >"$P/$src.stamp"
	else
		echo "compat: $src build failed, see $LOG/symbolic-*.log"
	fi
done

make -s all >/dev/null
# The rebuilt libraries must be the ones loaded, and linked as claimed: no
# PLT call of a library to a function it defines itself.
ok=1
for lib in libhpdf libxlsxwriter; do
	got=$(LD_LIBRARY_PATH=$P/lib ldd build/mspdoc | awk -v l="$lib" 'index($1, l) == 1 {print $3}')
	case "$got" in
	"$P"/lib/*) ;;
	*) echo "compat: symbolic: $lib not rebuilt (loaded: ${got:-none})"; ok=0; continue ;;
	esac
	own=$(nm -D --defined-only "$got" | awk '$2 == "T" {print $3}' | sort -u)
	plt=$(readelf -rW "$got" | awk '/JUMP_SLO/ {print $5}' | sed 's/@.*//' | sort -u)
	n=$(printf '%s\n' "$own" | comm -12 - "$(printf '%s\n' "$plt" >"$W/plt" && echo "$W/plt")" | grep -c . || true)
	echo "compat: $(basename "$got"): $n calls of its own functions through the PLT"
done
set +e
LD_LIBRARY_PATH=$P/lib make test >"$LOG/symbolic.log" 2>&1
rc=$?
set -e
grep -E 'FAIL|passed, [0-9]+ failed' "$LOG/symbolic.log" | tail -n 40
res=$(compat_result "$LOG/symbolic.log")
[ "$ok" = 1 ] || res="${res:-no result}, but not against both rebuilt libraries"
echo "compat-result: -Wl,-Bsymbolic-functions rebuild of Debian's libharu and libxlsxwriter: ${res:-no result, see $LOG/symbolic.log}"
[ "$ok" = 1 ] || rc=1
exit $rc
