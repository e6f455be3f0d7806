#!/bin/sh
# Install the package made by `make deb` (mspdoc_*.deb in this folder) with
# apt, run `mspdoc build` on a copy of the installed example inputs from a
# folder of its own, check what it wrote, then purge the package.
#   sh tools/check-deb.sh          on this machine (root)
#   sh tools/check-deb.sh DIR      inside the chroot DIR (root; DIR is a
#                                  Debian system with apt and a sources list)
#   DEB=FILE                       another .deb (one built for that release)
#   BUILD=1 sh tools/check-deb.sh DIR
#                                  first build the package inside DIR, from
#                                  this tree (a package is made per release:
#                                  Debian 12's does not install on Debian 13)
# Not part of `make check`: it needs root, apt and the network.
set -e
if [ -n "$BUILD" ] && [ -n "${1:-}" ]; then
	src="$1/src/mspdoc"
	rm -rf "$1/src" && mkdir -p "$src"
	tar -c --exclude=./.git --exclude='./build*' --exclude='./out/*' --exclude='./mspdoc_*' \
		--exclude=./debian/mspdoc --exclude=./debian/.debhelper . | tar -x -C "$src"
	for m in proc dev; do mount --bind "/$m" "$1/$m"; done
	st=0
	chroot "$1" sh -c "cd /src/mspdoc && export DEBIAN_FRONTEND=noninteractive &&
		apt-get update -qq && apt-get install -y -qq --no-install-recommends build-essential dpkg-dev fakeroot &&
		apt-get build-dep -P nocheck -y -qq ./ &&
		DEB_BUILD_PROFILES=nocheck DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b" \
		>build-pkg-chroot.log 2>&1 || st=$?
	for m in proc dev; do umount "$1/$m"; done
	[ "$st" = 0 ] || { tail -20 build-pkg-chroot.log; exit 1; }
	DEB=$(ls "$1"/src/mspdoc_*.deb | grep -v dbgsym | head -n 1)
	echo "check-deb: built $DEB in the chroot (log: build-pkg-chroot.log)"
fi
deb=${DEB:-$(ls -t mspdoc_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)}
[ -n "$deb" ] || { echo "check-deb: no mspdoc_*.deb here: run make deb first" >&2; exit 1; }
root=${1:-}
if [ -n "$root" ]; then
	[ -d "$root/etc/apt" ] || { echo "check-deb: $root is not a Debian tree" >&2; exit 1; }
	cp "$deb" "$root/tmp/"
	cp "$0" "$root/tmp/check-deb.sh"
	deb=$(basename "$deb")
	# the chroot needs /proc (the program finds itself through it) and /dev
	mounted=""
	for m in proc dev; do
		if ! mountpoint -q "$root/$m"; then
			mount --bind "/$m" "$root/$m"
			mounted="$m $mounted"
		fi
	done
	[ -s "$root/etc/resolv.conf" ] || cp /etc/resolv.conf "$root/etc/resolv.conf"
	st=0
	(cd / && DEB="$deb" chroot "$root" sh -c "cd /tmp && sh /tmp/check-deb.sh") || st=$?
	for m in $mounted; do umount "$root/$m"; done
	exit $st
fi

export DEBIAN_FRONTEND=noninteractive
. /etc/os-release
echo "check-deb: $PRETTY_NAME, $deb"
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$(realpath "$deb")" >/tmp/check-deb-apt.log 2>&1 ||
	{ tail -20 /tmp/check-deb-apt.log; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R /usr/share/doc/mspdoc/examples/inputs "$work/inputs"
cd "$work"
echo demo >pw
mspdoc --version
st=0
mspdoc build --password-file pw 2>build.err || st=$?
fail=0
[ "$st" = 1 ] || { echo "check-deb: mspdoc build exited $st (1 expected: one sample contribution is rejected)"; cat build.err; fail=1; }
for f in catalogue.pdf catalogue.xlsx digest.pdf digest.xlsx portal/index.html progress.pdf progress.xlsx papers/national-implementation.pdf report.txt; do
	[ -s "out/$f" ] || { echo "check-deb: out/$f missing"; fail=1; }
done
grep -aq "/Encrypt" out/digest.pdf || { echo "check-deb: digest.pdf not encrypted (libqpdf not loaded?)"; fail=1; }
grep -q "9 included, 1 rejected" out/report.txt || { echo "check-deb: report.txt counts"; fail=1; }
mspdoc templates -o forms 2>/dev/null && [ -s forms/contribution.xlsx ] || { echo "check-deb: templates"; fail=1; }
[ -s /usr/share/man/man1/mspdoc.1.gz ] || { echo "check-deb: man page missing"; fail=1; }
cd /
apt-get -o DPkg::Lock::Timeout=600 purge -y -qq mspdoc >/dev/null 2>&1
if [ -e /usr/bin/mspdoc ] || [ -e /usr/share/mspdoc ]; then echo "check-deb: purge left files"; fail=1; fi
[ "$fail" = 0 ] && echo "check-deb: $PRETTY_NAME: installed, built the sample, purged: ok"
exit $fail
