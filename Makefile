# mspdoc — see README.md. `make demo` builds and runs on inputs/; `make check`
# runs the whole test suite. Both install missing Debian packages first.

CC      ?= cc
PKGS    := libxml-2.0 minizip libcmark-gfm xlsxwriter libqpdf zlib libpng libjpeg libdeflate libcrypto
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libqpdf is loaded when a digest is encrypted (src/pdf/pdf.c), not linked
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libqpdf,$(PKGS)) 2>/dev/null)
# -fPIC: a library's variables (libxml2's xmlFree, libunistring's
# normalization forms and category tables) are read through the GOT. With
# -fPIE the linker copies them into the program (copy relocations), and the
# program then exports them as if it defined them (quality.md: the program
# defines no name a library it links exports).
CFLAGS  += -pthread -fPIC $(CSTD) $(OPT) $(WARN) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  += -pthread $(PKG_LIBS) -lcmark-gfm-extensions -lhpdf -lhyphen -lunistring -lm $(EXTRA_LDLIBS)

B       ?= build
# Where `make install` puts things; the binary looks for its styles in
# DATADIR (compiled in), so build and install with the same PREFIX.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/mspdoc
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/mspdoc
SRC     := $(sort $(wildcard src/*/*.c))
OBJ     := $(SRC:src/%.c=$(B)/obj/%.o)
LIB     := $(B)/libmspdoc.a
BIN     := $(B)/mspdoc
TSRC    := $(sort $(wildcard tests/unit/test_*.c))
TBIN    := $(TSRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps demo check test asan valgrind tsan fuzz regen bench bench-deps format clean check-compat

all: $(BIN)

deps:
	@sh tools/deps.sh

$(B)/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): src/main.c $(LIB) $(B)/datadir
	$(CC) $(CPPFLAGS) $(CFLAGS) -DMSPDOC_DATADIR='"$(DATADIR)"' src/main.c $(LIB) $(LDFLAGS) $(LDLIBS) -o $@

$(B)/tests/%: tests/unit/%.c tests/unit/t.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@

# The README's two commands.
# Exit 1 means "some input rejected" (the sample has one contribution whose
# rights are not cleared, on purpose): the documents are built all the same.
demo: deps
	$(MAKE) all
	MSPDOC_PASSWORD=$${MSPDOC_PASSWORD:-demo} $(BIN) build -i inputs -o out; \
	  s=$$?; [ $$s -le 1 ] || exit $$s; echo "mspdoc: documents in out/, see out/report.txt"

check: deps
	$(MAKE) test

test: $(BIN) $(TBIN)
	@B=$(B) sh tests/run.sh

# Slow unwinding: Debian's libraries have no frame pointers, and the one
# suppression (tests/lsan.supp) must see the library frame that leaks.
# use_tls=0: LLVM 14's LeakSanitizer misreads glibc 2.36's dynamic TLS of a
# library opened with dlopen (libqpdf, for an encrypted digest) and its
# tracer crashes ("DTLS 5 at 0x117a-0x10000227c", then "Tracer caught
# signal 11"), depending on the addresses a run gets. Our code keeps no heap
# pointer only in thread-local storage; valgrind's leak check covers TLS.
asan:
	ASAN_OPTIONS=fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=use_tls=0:suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) B=build-asan CC=clang OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		EXTRA_LDLIBS="-fsanitize=address,undefined" test

valgrind: $(BIN) $(TBIN)
	@B=$(B) VALGRIND=1 sh tests/run.sh

# The suite under ThreadSanitizer: what the second core does (workbooks,
# pages made during layout, shared strings) against the first; a race
# ends the program (halt_on_error), so the test that ran it fails.
tsan:
	TSAN_OPTIONS=halt_on_error=1 \
	$(MAKE) B=build-tsan CC=clang OPT="-O1 -g -fsanitize=thread" EXTRA_LDLIBS="-fsanitize=thread" test

FUZZ := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

regen: $(BIN)
	@B=$(B) REGEN=1 sh tests/run.sh

$(B)/readbench: tools/readbench.c $(LIB)
	$(CC) $(CFLAGS) -Isrc $< $(LIB) $(LDFLAGS) $(LDLIBS) -o $@

bench: $(BIN) $(B)/readbench
	@READBENCH=$(B)/readbench sh tools/bench.sh

# The suite against the libraries as others build them (quality.md,
# Dependencies): Debian's libharu and libxlsxwriter rebuilt with
# -Wl,-Bsymbolic-functions, a Debian 13 chroot, newer upstream series where
# Debian packages them. Root, network to the Debian archive; not in check.
check-compat: $(BIN)
	@sh tools/compat/run.sh

bench-deps:
	apt-get install -y pandoc weasyprint python3-pil

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tools/*.c

clean:
	rm -rf build build-asan build-fuzz build-tsan build-pkg

# Installation ------------------------------------------------------------
# The data dir compiled into the binary: main.c is rebuilt when it changes.
.PHONY: install uninstall deb check-deb FORCE
$(B)/datadir: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

# The binary, the styles (with their README, and any fonts list kept among
# them), the man page, the README and the sample inputs as an example.
# The blank forms are not installed: `mspdoc templates` writes them.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/mspdoc
	install -m 644 $$(find styles -maxdepth 1 -type f | sort) $(DESTDIR)$(DATADIR)/styles/
	install -m 644 man/mspdoc.1 $(DESTDIR)$(MANDIR)/man1/mspdoc.1
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	find docs/img -name '*.png' | sort | while read -r f; do \
		install -D -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/$$f" || exit 1; done
	find inputs -type f ! -name '.*' | sort | while read -r f; do \
		install -D -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/examples/$$f" || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mspdoc $(DESTDIR)$(MANDIR)/man1/mspdoc.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

# The Debian package (debian/). `dpkg-buildpackage -us -uc -b` here writes
# it into ../; `make deb` builds a copy of this tree in build-pkg/ so that
# nothing lands outside the repository, then copies the .deb here and runs
# lintian. `make check-deb` installs it, runs it and purges it (root and apt;
# not part of `make check`); CHROOT=DIR does the same inside a chroot.
deb:
	rm -rf build-pkg && mkdir -p build-pkg/mspdoc
	tar -c --exclude=./.git --exclude='./build*' --exclude='./out/*' --exclude='./mspdoc_*' \
		--exclude=./debian/mspdoc --exclude=./debian/.debhelper . | tar -x -C build-pkg/mspdoc
	cd build-pkg/mspdoc && dpkg-buildpackage -us -uc -b
	cp build-pkg/mspdoc_*.deb .
	lintian --info --fail-on error build-pkg/mspdoc_*.changes

check-deb:
	sh tools/check-deb.sh $(CHROOT)

