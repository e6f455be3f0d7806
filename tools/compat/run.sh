#!/bin/sh
# make check-compat: the whole suite against the libraries as others build
# them (quality.md, Dependencies). Each build runs even when an earlier one
# failed; a summary ends the run, one line a build. Run as root (apt-get,
# debootstrap, chroot). Logs in build/compat/.
#   1. libharu and libxlsxwriter rebuilt from Debian's source packages with
#      -Wl,-Bsymbolic-functions (symbolic.sh);
#   2. a Debian 13 chroot (chroot.sh): trixie's gcc 14, libharu 2.3.0 and
#      libxlsxwriter 1.2.1 (the 1.2.x series);
#   3. libharu 2.4.x and libxlsxwriter 1.2.x beyond trixie's (upstream.sh):
#      from a Debian suite that packages them, or from their upstream
#      sources, given as COMPAT_HARU_SRC / COMPAT_XLSX_SRC (a git clone,
#      whose newest v2.4.* / v1.2.* tag is built, or REPO@TAG, or a source
#      tree; nothing here downloads them), or already installed in a prefix
#      (COMPAT_HARU_PREFIX / COMPAT_XLSX_PREFIX). A series none of these
#      gives is "not run", and the run fails as incomplete.
# COMPAT_ONLY="symbolic chroot upstream" picks builds.
set -u
cd "$(dirname "$0")/../.." || exit 2
[ "$(id -u)" = 0 ] || { echo "make check-compat: run as root (apt-get, debootstrap, chroot)" >&2; exit 2; }
mkdir -p build/compat
: >build/compat/summary.txt
for b in ${COMPAT_ONLY:-symbolic chroot upstream}; do
	echo "== check-compat: $b"
	sh "tools/compat/$b.sh" 2>&1 | tee "build/compat/$b.out"
	grep '^compat-result: ' "build/compat/$b.out" >>build/compat/summary.txt ||
		echo "compat-result: $b: no result (see build/compat/$b.out)" >>build/compat/summary.txt
done
echo
echo "check-compat summary (logs in build/compat/):"
sed 's/^compat-result: /  /' build/compat/summary.txt
# a build passes when its suite ran with none failed; one not run leaves
# the proof incomplete, and fails too
if grep -q ': not run ' build/compat/summary.txt; then
	echo "check-compat: incomplete (a build was not run; its line says what to give)"
	exit 1
fi
if grep -vE ' 0 failed$' build/compat/summary.txt | grep -q .; then
	exit 1
fi
exit 0
