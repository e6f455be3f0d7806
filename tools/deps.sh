#!/bin/sh
# Install the Debian packages mspdoc needs to build, run and test, when
# missing. Run as root (apt-get); does nothing when everything is there.
set -e
# pandoc and libreoffice-writer-nogui are for the tests only (they read the
# .docx files back, about 360 MB installed); mspdoc never runs them.
PKGS="build-essential pkg-config clang libclang-rt-14-dev
libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libminizip-dev zlib1g-dev
libhpdf-dev libpng-dev libjpeg62-turbo-dev libxlsxwriter-dev libhyphen-dev hyphen-en-us libqpdf-dev libdeflate-dev
libunistring-dev iso-codes fonts-liberation2 fonts-dejavu-core groff-base
fonts-arphic-uming fonts-ipafont-mincho fonts-nanum poppler-utils qpdf python3-openpyxl valgrind
libssl-dev chromium python3-websocket python3-pil pandoc libreoffice-writer-nogui"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "mspdoc: these Debian packages are missing:$missing" >&2
	echo "mspdoc: run this command as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
