#!/bin/sh
# Install the package made by `make deb` (mspdoc_*.deb in this folder) with
# apt, run `mspdoc build` on a copy of the installed example inputs from a
# folder of its own, check what it wrote, then purge the package.
#   sh tools/check-deb.sh          on this machine (root)
#   sh tools/check-deb.sh DIR      inside the chroot DIR (root; DIR is a
#                                  Debian system with apt and a sources list)
# Not part of `make check`: it needs root, apt and the network.
set -e
deb=$(ls -t mspdoc_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
[ -n "$deb" ] || { echo "check-deb: no mspdoc_*.deb here: run make deb first" >&2; exit 1; }
root=${1:-}
if [ -n "$root" ]; then
	[ -d "$root/etc/apt" ] || { echo "check-deb: $root is not a Debian tree" >&2; exit 1; }
	cp "$deb" "$root/tmp/"
	cp "$0" "$root/tmp/check-deb.sh"
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
	(cd / && chroot "$root" sh -c "cd /tmp && sh /tmp/check-deb.sh") || st=$?
	for m in $mounted; do umount "$root/$m"; done
	exit $st
fi

export DEBIAN_FRONTEND=noninteractive
. /etc/os-release
echo "check-deb: $PRETTY_NAME, $deb"
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "./$deb" >/tmp/check-deb-apt.log 2>&1 ||
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
for f in catalogue.pdf catalogue.xlsx digest.pdf digest.xlsx progress.pdf progress.xlsx papers/national-implementation.pdf report.txt; do
	[ -s "out/$f" ] || { echo "check-deb: out/$f missing"; fail=1; }
done
grep -q "9 included, 1 rejected" out/report.txt || { echo "check-deb: report.txt counts"; fail=1; }
mspdoc templates -o forms 2>/dev/null && [ -s forms/contribution.xlsx ] || { echo "check-deb: templates"; fail=1; }
[ -s /usr/share/man/man1/mspdoc.1.gz ] || { echo "check-deb: man page missing"; fail=1; }
cd /
apt-get -o DPkg::Lock::Timeout=600 purge -y -qq mspdoc >/dev/null 2>&1
if [ -e /usr/bin/mspdoc ] || [ -e /usr/share/mspdoc ]; then echo "check-deb: purge left files"; fail=1; fi
[ "$fail" = 0 ] && echo "check-deb: $PRETTY_NAME: installed, built the sample, purged: ok"
exit $fail
