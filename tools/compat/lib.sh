# Shared by the check-compat scripts (sourced). Run as root.
# Every script prints its suite's last line ("N passed, N failed") and a
# line "compat: NAME: ..." that run.sh gathers into the summary.

# The Debian archive this machine's apt uses (the first non-security
# "deb" source), or $COMPAT_MIRROR.
compat_mirror() {
	if [ -n "${COMPAT_MIRROR:-}" ]; then
		echo "$COMPAT_MIRROR"
		return
	fi
	{
		cat /etc/apt/sources.list 2>/dev/null | awk '$1 == "deb" {print $2}'
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] && awk '/^URIs:/ {print $2}' "$f"
		done
		for f in /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] && awk '$1 == "deb" {print $2}' "$f"
		done
	} | grep '/debian/*$' | grep -v security | head -n 1
}

# The package names in tools/deps.sh (its PKGS="..." list).
compat_deps() {
	sed -n '/^PKGS="/,/"/p' tools/deps.sh | tr -d '"' | sed 's/^PKGS=//' | tr ' ' '\n' | grep -v '^$'
}

# apt with a private list of source (deb-src) archives: the machine's own
# apt configuration and lists are left as they were.
compat_apt_src() { # DIR SUITE...
	dir=$1
	shift
	mkdir -p "$dir/lists/partial"
	m=$(compat_mirror)
	: >"$dir/sources.list"
	for s in "$@"; do
		echo "deb-src $m $s main" >>"$dir/sources.list"
	done
	echo "-o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$dir/lists -o Debug::NoLocking=1"
}

# The "N passed, N failed" line of a suite's output file, or "no result".
compat_result() {
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" 2>/dev/null | tail -n 1 || true
}

# Fetching and building a library's source package. The caller sets W (its
# work folder), P (the install prefix), LOG, NAME (log names), APTO (from
# compat_apt_src), CFLAGS and LDFLAGS (the build's flags).
# compat_fetch SOURCE VERSION: that source package, unpacked into
# $W/src/SOURCE (with Debian's patches); where the mirror lacks the
# Debian part, the Debian orig tarball alone, said so.
compat_fetch() {
	src=$1
	ver=$2
	d=$W/src/$src
	rm -rf "$d"
	mkdir -p "$W/dl"
	(cd "$W/dl" && apt-get $APTO source --download-only "$src=$ver" >>"$LOG/$NAME-apt.log" 2>&1) || true
	dsc=$(ls "$W/dl/${src}_${ver#*:}.dsc" 2>/dev/null || true)
	if [ -n "$dsc" ] && dpkg-source -x "$dsc" "$d" >>"$LOG/$NAME-apt.log" 2>&1; then
		echo "compat: $src $ver, Debian source package"
	else
		orig=$(ls "$W/dl/${src}_"*.orig.tar.* 2>/dev/null | head -n 1)
		[ -n "$orig" ] || { echo "compat: cannot fetch $src $ver (see $LOG/$NAME-apt.log)"; return 1; }
		mkdir -p "$d"
		tar -xf "$orig" -C "$d" --strip-components=1
		echo "compat: $src $ver, Debian orig tarball only (the mirror lacks its Debian part)"
	fi
	[ -n "$dsc" ] && apt-get satisfy -y -qq "$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$dsc" | sed '$d' | sed 's/^Build-Depends://' | tr -d '\n')" >>"$LOG/$NAME-apt.log" 2>&1 || true
}

# Debian builds libharu 2.3 with autotools (dh-autoreconf), libxlsxwriter
# with CMake and these options (its debian/rules), tests and examples left
# out. libharu 2.4 has no autotools files any more: CMake, as its README
# says.
compat_build_haru() {
	d=$W/src/libharu
	if [ ! -e "$d/configure.in" ] && [ ! -e "$d/configure.ac" ] && [ ! -x "$d/configure" ]; then
		command -v cmake >/dev/null || apt-get install -y -qq cmake >>"$LOG/$NAME-apt.log" 2>&1
		rm -rf "$W/haru-build"
		(cmake -S "$d" -B "$W/haru-build" -DCMAKE_INSTALL_PREFIX="$P" \
			-DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=ON -DCMAKE_C_FLAGS="$CFLAGS" \
			-DCMAKE_SHARED_LINKER_FLAGS="$LDFLAGS" &&
			cmake --build "$W/haru-build" -j2 && cmake --install "$W/haru-build") >"$LOG/$NAME-haru.log" 2>&1
		return
	fi
	command -v autoreconf >/dev/null && command -v libtoolize >/dev/null ||
		apt-get install -y -qq autoconf automake libtool >>"$LOG/$NAME-apt.log" 2>&1
	(cd "$d" && { [ -x configure ] || autoreconf -fi; } &&
		CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" ./configure --prefix="$P" --disable-static &&
		make -j2 && make install) >"$LOG/$NAME-haru.log" 2>&1
}
compat_build_xlsx() {
	d=$W/src/libxlsxwriter
	command -v cmake >/dev/null || apt-get install -y -qq cmake >>"$LOG/$NAME-apt.log" 2>&1
	rm -rf "$W/xlsx-build"
	(cd "$d" && cmake -S . -B "$W/xlsx-build" -DCMAKE_INSTALL_PREFIX="$P" \
		-DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=ON -DUSE_SYSTEM_MINIZIP=ON \
		-DUSE_OPENSSL_MD5=ON -DCMAKE_C_FLAGS="$CFLAGS" \
		-DCMAKE_SHARED_LINKER_FLAGS="$LDFLAGS" &&
		cmake --build "$W/xlsx-build" -j2 && cmake --install "$W/xlsx-build") >"$LOG/$NAME-xlsx.log" 2>&1
}

# compat_unpack_hand SOURCE DIR_OR_GIT SERIES: a libharu or libxlsxwriter
# source given by hand, unpacked into $W/src/SOURCE. DIR_OR_GIT is a source
# tree (copied as it is) or a git repository (bare or not), from which the
# newest tag of SERIES (v2.4.*, v1.2.*) is exported, or the ref after an @
# (/path/to/repo@v2.4.5). Prints the version built.
compat_unpack_hand() {
	src=$1
	from=${2%@*}
	ref=
	case "$2" in *@*) ref=${2##*@} ;; esac
	d=$W/src/$src
	rm -rf "$d"
	mkdir -p "$d"
	if git -C "$from" rev-parse --git-dir >/dev/null 2>&1; then
		[ -n "$ref" ] || ref=$(git -C "$from" tag -l "v$3.*" | sort -V | tail -n 1)
		[ -n "$ref" ] || { echo "compat: $from has no tag v$3.*" >&2; return 1; }
		git -C "$from" archive --format=tar "$ref" | tar -x -C "$d" || return 1
		echo "$ref ($(git -C "$from" rev-parse --short "$ref^{commit}"))"
	elif [ -d "$from/src" ] && [ -d "$from/include" ]; then
		cp -R "$from/." "$d/"
		echo "source tree $from"
	else
		echo "compat: $from is neither a git repository nor a $src source tree" >&2
		return 1
	fi
}
