#!/bin/sh
# check-compat, build 2: the whole suite in a Debian 13 (trixie) chroot,
# made with debootstrap from the archive this machine's apt already uses,
# with trixie's own libraries (libharu 2.3.0, libxlsxwriter 1.2.1, gcc 14,
# libxml2 2.12...). The chroot is kept for later runs (and for testing a
# .deb): $COMPAT_CHROOT, default /work/chroot/trixie. A clean copy of the
# repository's committed tree (git archive HEAD) is built and tested in it.
set -eu
. tools/compat/lib.sh
ROOT=${COMPAT_CHROOT:-/work/chroot/trixie}
LOG=${COMPAT_LOG:-build/compat}
mkdir -p "$LOG"
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
	command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
	mirror=$(compat_mirror)
	echo "compat: debootstrap trixie from $mirror into $ROOT"
	mkdir -p "$(dirname "$ROOT")"
	debootstrap --variant=minbase trixie "$ROOT" "$mirror" >"$LOG/debootstrap.log" 2>&1 ||
		{ echo "compat: trixie: debootstrap failed, see $LOG/debootstrap.log"; exit 1; }
fi
cleanup() {
	umount "$ROOT/proc" 2>/dev/null || true
}
trap cleanup EXIT
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
# tools/deps.sh's packages, as trixie names them: libclang-rt-14-dev (for
# make fuzz, not the suite) has no trixie package of that name; any other
# name trixie lacks is reported and skipped.
in_root apt-get update -qq >"$LOG/trixie-apt.log" 2>&1
want=""
for p in $(compat_deps); do
	case "$p" in libclang-rt-*) continue ;; esac
	if in_root apt-cache show "$p" >/dev/null 2>&1; then
		want="$want $p"
	else
		echo "compat: trixie has no package $p (skipped)"
	fi
done
# shellcheck disable=SC2086
in_root apt-get install -y -qq --no-install-recommends $want >>"$LOG/trixie-apt.log" 2>&1 ||
	{ echo "compat: trixie: apt-get install failed, see $LOG/trixie-apt.log"; exit 1; }
for p in libhpdf-dev libxlsxwriter-dev gcc; do
	echo "compat: trixie $p $(in_root dpkg-query -W -f '${Version}' "$p")"
done
rm -rf "$ROOT/root/mspdoc"
mkdir -p "$ROOT/root/mspdoc"
git archive --format=tar HEAD | tar -x -C "$ROOT/root/mspdoc"
set +e
in_root sh -c 'cd /root/mspdoc && make -j2 all && make test' >"$LOG/trixie.log" 2>&1
rc=$?
set -e
grep -E 'FAIL|passed, [0-9]+ failed|error' "$LOG/trixie.log" | tail -n 40
res=$(compat_result "$LOG/trixie.log")
echo "compat-result: Debian 13 chroot (libharu $(in_root dpkg-query -W -f '${Version}' libhpdf-dev), libxlsxwriter $(in_root dpkg-query -W -f '${Version}' libxlsxwriter-dev)): ${res:-no result (build failed? see $LOG/trixie.log)}"
exit $rc
