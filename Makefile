# sctp_rs: build, header, C conformance programs, tests on a real kernel SCTP stack, demo, bench.
# `make demo` and `make test` are all a fresh machine needs (they install what is missing).

SHELL := /bin/bash
CARGO ?= cargo
CC ?= cc
CBINDGEN_VERSION := 0.29.4
export CBINDGEN_VERSION

BUILD := build
TOP := $(abspath .)
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
LKSCTP_A := /usr/lib/$(MULTIARCH)/libsctp.a

# The C library's version. The soname carries its major, 1: lksctp's ABI, bumped only if that ever
# broke; the minor counts added functions, the patch fixes. (The Rust crate's version is its own.)
VERSION := 1.0.0
SO_MAJOR := $(firstword $(subst ., ,$(VERSION)))
LIB_SONAME := libsctp_rs.so.$(SO_MAJOR)
# The lksctp release whose every function and symbol version sctp_rs provides (the stand-in's
# libsctp.pc says so).
LKSCTP_VERSION := 1.0.19
# build/libsctp_rs.so.1.0.0 is the file, build/libsctp_rs.so.1 (the soname) and
# build/libsctp_rs.so (the linker name) are symlinks to it, as in an installed library directory.
LIB_REAL := $(BUILD)/libsctp_rs.so.$(VERSION)
LIB_SO := $(BUILD)/libsctp_rs.so
LIB_SO1 := $(BUILD)/libsctp.so.1
LIB_A := $(BUILD)/libsctp_rs.a
HEADER := include/netinet/sctp.h
RUST_SRC := $(shell find src -name '*.rs') Cargo.toml Cargo.lock build.rs libsctp.map

# UBSan (gcc) on every C test program: it runs in User-Mode Linux (AddressSanitizer does not),
# and any finding aborts the program, which fails its run.
CFLAGS_TEST := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=undefined -fno-sanitize-recover=undefined
STATIC_LIBS := -lutil -lrt -lpthread -lm -ldl
# C programs compared line by line between lksctp and sctp_rs.
DIFF_TESTS := peeloff send abi bindx addrs versions connectx optinfo sendmsg sendv allfuncs align \
  badinput load faults fork sockapi
# C programs for functions lksctp lacks, checked against c-tests/expected/.
OURS_TESTS := sendx trace counts badinput_sendx
# C programs also linked statically against libsctp_rs.a and checked the same way.
STATIC_TESTS := sendx allfuncs counts
# C programs also run on SCTP-anywhere (sctpd and the shim, in a network namespace of their own)
# and checked against the kernel's expected output, less c-tests/anywhere-divergences.tsv.
ANYWHERE_TESTS := $(DIFF_TESTS) sendx badinput_sendx trace
# C programs for SCTP-anywhere alone (scripts/anywhere-daemon.sh and anywhere-interop.sh run
# them).
ANYWHERE_OWN := anywhere_restart anywhere_peer
# C programs run under the counting interposer (LD_PRELOAD=$(SHIM)): syscalls and allocations
# per call, checked for sctp_rs (shared and static); the lksctp build (dyn/) is run too, for
# information only.
COUNT_TESTS := counts
SHIM := $(BUILD)/c-tests/libcount.so
# Built as existing binaries are (lksctp's header, Debian's libsctp.so.1) and run three ways: as
# is, LD_PRELOAD=libsctp_rs.so, our libsctp.so.1 in place. oldabi imports sctp_connectx@VERS_1.
THREEWAY_TESTS := $(DIFF_TESTS) oldabi
# Three-way programs also started through scripts/with-sctp-rs (must equal the preload run).
WRAPPER_TESTS := allfuncs oldabi
# sctp_rs builds run once more with SCTP_RS_TRACE=1: the trace reads the bad arguments again and
# must print the same rows, exit 0 and write its lines.
TRACED_TESTS := badinput badinput_sendx
C_COMMON := c-tests/common.c c-tests/common.h
# Real applications from Debian, each run as is, under LD_PRELOAD and on our libsctp.so.1 in
# place (interop/<app>.sh); `make interop APPS=sipp` runs some.
INTEROP_APPS := sctp_test sctp_darn sctp_status iperf3 stress-ng sipp netperfmeter gensio
APPS ?= $(INTEROP_APPS)
# The Rust API's examples (examples/*.rs), each run with --check on the SCTP stack by
# run-suite.sh: each serves a built-in peer, asserts what happened and ends with "<name>: ok".
RUST_EXAMPLES := echo_server multihomed_client peeloff_server tokio_echo
# cargo-fuzz targets (fuzz/fuzz_targets), run on the host with AddressSanitizer: `make fuzz-smoke`
# (part of `make test`) runs each for FUZZ_SECONDS; `make fuzz T=name [FUZZ_TIME=n]` one, by
# default until stopped.
FUZZ_TARGETS := packed_addrs getaddrs_block recv_control pack_send trace_line notification
FUZZ_SECONDS ?= 20
FUZZ_TIME ?= 0

.PHONY: all lib header header-check deps c-tests rust-tests test interop demo bench one lint clean \
	fuzz fuzz-smoke install install-strip uninstall deb anywhere anywhere-deps test-anywhere

all: lib anywhere

lib: $(LIB_SO) $(BUILD)/$(LIB_SONAME) $(LIB_SO1) $(LIB_A)

$(LIB_A): $(RUST_SRC)
	$(CARGO) build --release --locked
	@mkdir -p $(BUILD)
	cp target/release/libsctp_rs.a $(LIB_A)

# The shared libraries are the static archive relinked with lksctp's version nodes
# (libsctp.map): libsctp_rs.so.1 for -lsctp_rs and LD_PRELOAD, libsctp.so.1 (lksctp's soname) to
# stand in place of lksctp's. Only the sctp_* functions are exported; Rust's and std's symbols
# stay local. Linked beside and renamed over, so that a program running on the old file is not
# disturbed.
$(LIB_REAL): SONAME := $(LIB_SONAME)
$(LIB_SO1): SONAME := libsctp.so.1
$(LIB_REAL) $(LIB_SO1): $(LIB_A) libsctp.map
	$(CC) -shared -o $@.tmp -Wl,--whole-archive $(LIB_A) -Wl,--no-whole-archive \
	  -Wl,--version-script=libsctp.map -Wl,-soname,$(SONAME) -Wl,--gc-sections \
	  -Wl,-z,relro,-z,now $(STATIC_LIBS)
	mv -f $@.tmp $@

$(BUILD)/$(LIB_SONAME): $(LIB_REAL)
	ln -sfn $(notdir $<) $@

$(LIB_SO): $(BUILD)/$(LIB_SONAME)
	ln -sfn $(LIB_SONAME) $@

deps:
	@bash scripts/install-deps.sh

# SCTP where the kernel has none (anywhere/): sctpd, the userspace stack (usrsctp, Debian's
# libusrsctp-dev), and the preload shim that moves a program's SCTP sockets onto it.
SCTPD := $(BUILD)/sctpd
ANYWHERE_SO := $(BUILD)/libsctp_anywhere.so
ANYWHERE_SRC := $(shell find anywhere -path anywhere/target -prune -o -type f \( -name '*.rs' \
	-o -name '*.c' -o -name '*.h' -o -name Cargo.toml -o -name Cargo.lock \) -print)

anywhere-deps:
	@bash scripts/install-deps.sh libusrsctp-dev

anywhere: anywhere-deps $(SCTPD) $(ANYWHERE_SO)

$(SCTPD) $(ANYWHERE_SO) &: $(ANYWHERE_SRC)
	cd anywhere && $(CARGO) build --release --locked
	@mkdir -p $(BUILD)
	cp anywhere/target/release/sctpd $(SCTPD).tmp && mv -f $(SCTPD).tmp $(SCTPD)
	cp anywhere/target/release/libsctp_anywhere.so $(ANYWHERE_SO).tmp && mv -f $(ANYWHERE_SO).tmp $(ANYWHERE_SO)

# Regenerate the committed header (after changing the ffi layer or cbindgen.toml).
header: deps
	cbindgen --quiet --config cbindgen.toml --crate libsctp-rs --output $(HEADER)

# Regenerate into a temporary file and fail if it differs from the committed header.
header-check: deps
	@tmp=$$(mktemp); trap 'rm -f $$tmp' EXIT; \
	cbindgen --quiet --config cbindgen.toml --crate libsctp-rs --output $$tmp && \
	if cmp -s $$tmp $(HEADER); then echo "header-check: $(HEADER) is up to date"; \
	else echo "header-check: FAIL: $(HEADER) differs from cbindgen's output (make header):"; \
	     diff -u $(HEADER) $$tmp | head -40; exit 1; fi

# Each program twice: against lksctp (its header, libsctp.a: the .so lacks sctp_peeloff_flags)
# and against sctp_rs (include/, -lsctp_rs only).
$(BUILD)/c-tests/lksctp/%: c-tests/%.c $(C_COMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $(ABI_LIB) -o $@ $< c-tests/common.c $(LKSCTP_A) -ldl

$(BUILD)/c-tests/sctp_rs/%: c-tests/%.c $(C_COMMON) $(LIB_SO) $(HEADER)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $(ABI_LIB) -Iinclude -o $@ $< c-tests/common.c \
	  -L$(BUILD) -lsctp_rs -Wl,-rpath,$(TOP)/$(BUILD) -ldl

# The same program as an existing binary would be: lksctp's header, linked dynamically against
# Debian's libsctp.so.1 (-lsctp). The three-way runs start it as is, with LD_PRELOAD and with our
# libsctp.so.1 in place. sctp_peeloff_flags, which that library lacks, is a weak reference.
$(BUILD)/c-tests/dyn/%: c-tests/%.c $(C_COMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -DLKSCTP_SO $(ABI_LIB) -o $@ $< c-tests/common.c -lsctp -ldl

# The same program linked statically against libsctp_rs.a: proves the static link line.
$(BUILD)/c-tests/static/%: c-tests/%.c $(C_COMMON) $(LIB_A) $(HEADER)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $(ABI_LIB) -Iinclude -o $@ $< c-tests/common.c $(LIB_A) $(STATIC_LIBS)

# The counting interposer: forwards the syscall wrappers (dlsym RTLD_NEXT) and the allocator
# (__libc_malloc & co.) and counts one thread's calls between count_begin() and count_end().
$(SHIM): c-tests/count_shim.c c-tests/count_shim.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -shared -fPIC -Wl,-soname,libcount.so \
	  -o $@ $< -ldl

# The two bad-input matrices share their row printer, syscall recorder and descriptors.
$(BUILD)/c-tests/lksctp/badinput $(BUILD)/c-tests/sctp_rs/badinput $(BUILD)/c-tests/dyn/badinput \
  $(BUILD)/c-tests/sctp_rs/badinput_sendx: c-tests/badinput.h

# abi.c dlopen()s the shared library it was built against.
$(BUILD)/c-tests/lksctp/abi: ABI_LIB = -DSCTP_LIB='"libsctp.so.1"'
$(BUILD)/c-tests/sctp_rs/abi: ABI_LIB = -DSCTP_LIB='"$(TOP)/$(LIB_SO)"'
# versions.c dlopen()s lksctp's libsctp.so.1 or ours.
$(BUILD)/c-tests/lksctp/versions: ABI_LIB = -DSCTP_LIB='"libsctp.so.1"'
$(BUILD)/c-tests/sctp_rs/versions: ABI_LIB = -DSCTP_LIB='"$(TOP)/$(LIB_SO1)"'
$(BUILD)/c-tests/sctp_rs/versions: $(LIB_SO1)
# The dynamic builds dlopen() libsctp.so.1 by name: Debian's as is and under LD_PRELOAD (a
# handle's lookups never reach a preloaded library), ours when it stands in place.
$(BUILD)/c-tests/dyn/abi $(BUILD)/c-tests/dyn/versions: ABI_LIB = -DSCTP_LIB='"libsctp.so.1"'
# counts.c finds sctp_connectx@VERS_1/@VERS_2 with dlvsym in the library it runs on (static:
# by their own names in the archive), and binds everything at load (-z now) so that no lazy
# binding happens inside a count.
$(BUILD)/c-tests/sctp_rs/counts: ABI_LIB = -DSCTP_LIB='"$(TOP)/$(LIB_SO)"' -Wl,-z,now
$(BUILD)/c-tests/dyn/counts: ABI_LIB = -DSCTP_LIB='"libsctp.so.1"' -Wl,-z,now
$(BUILD)/c-tests/static/counts: ABI_LIB = -DCOUNTS_STATIC -Wl,-z,now
$(COUNT_TESTS:%=$(BUILD)/c-tests/sctp_rs/%) $(COUNT_TESTS:%=$(BUILD)/c-tests/static/%) \
  $(COUNT_TESTS:%=$(BUILD)/c-tests/dyn/%): c-tests/count_shim.h $(SHIM)

c-tests: $(DIFF_TESTS:%=$(BUILD)/c-tests/lksctp/%) $(DIFF_TESTS:%=$(BUILD)/c-tests/sctp_rs/%) \
         $(THREEWAY_TESTS:%=$(BUILD)/c-tests/dyn/%) \
         $(OURS_TESTS:%=$(BUILD)/c-tests/sctp_rs/%) $(STATIC_TESTS:%=$(BUILD)/c-tests/static/%) \
         $(ANYWHERE_OWN:%=$(BUILD)/c-tests/sctp_rs/%) \
         $(SHIM) $(COUNT_TESTS:%=$(BUILD)/c-tests/dyn/%)

# The Rust test binary, built here and run on the SCTP stack by scripts/run-suite.sh.
rust-tests:
	@mkdir -p $(BUILD)
	$(CARGO) test --locked --lib --features tokio --no-run --message-format=json 2>/dev/null \
	  | python3 -c 'import sys,json; [print(m["executable"]) for m in map(json.loads,sys.stdin) if m.get("executable") and m.get("profile",{}).get("test")]' \
	  > $(BUILD)/rust-test-bin
	@test -s $(BUILD)/rust-test-bin || { echo "rust-tests: no test binary built"; $(CARGO) test --lib --no-run; exit 1; }
	$(CARGO) build --release --locked --features tokio --examples
	@for e in $(RUST_EXAMPLES); do echo $(TOP)/target/release/examples/$$e; done > $(BUILD)/rust-examples

test: deps lib anywhere header-check c-tests rust-tests $(BUILD)/demo $(BUILD)/instr
	@rm -rf $(BUILD)/results
	bash scripts/sctp-env.sh bash scripts/run-suite.sh "$(DIFF_TESTS)" "$(OURS_TESTS)" "$(STATIC_TESTS)" \
	  "$(THREEWAY_TESTS)" "$(WRAPPER_TESTS)" "$(COUNT_TESTS)" \
	  "$(TRACED_TESTS)"
	bash scripts/sctp-env.sh bash interop/run.sh $(INTEROP_APPS)
	bash scripts/anywhere-env.sh bash scripts/anywhere-suite.sh "$(ANYWHERE_TESTS)"
	bash scripts/anywhere-env.sh bash scripts/anywhere-daemon.sh
	bash scripts/sctp-env.sh bash scripts/anywhere-interop.sh kernel
	bash scripts/anywhere-env.sh bash scripts/anywhere-interop.sh hosts
	bash scripts/anywhere-env.sh bash interop/run-anywhere.sh $(INTEROP_APPS)
	@# The packages (a failed build is a failed check of the verdict, not the end of the run).
	$(MAKE) --no-print-directory deb > $(BUILD)/deb.log 2>&1; echo $$? > $(BUILD)/deb.rc
	bash scripts/install-test.sh
	bash scripts/header-compile.sh
	bash scripts/abi-check.sh
	bash scripts/rust-crate.sh
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS) || true
	python3 scripts/compare.py --diff "$(DIFF_TESTS) header symbols" --ours "$(OURS_TESTS)" \
	  --static "$(STATIC_TESTS)" --threeway "$(THREEWAY_TESTS)" \
	  --wrapper "$(WRAPPER_TESTS)" --interop "$(INTEROP_APPS)" --fuzz "$(FUZZ_TARGETS)" \
	  --counts "$(COUNT_TESTS)" --traced "$(TRACED_TESTS)" --anywhere "$(ANYWHERE_TESTS)" \
	  --anywhere-daemon --interop-anywhere "$(INTEROP_APPS)" --install

# Only SCTP-anywhere: the C programs and the applications on sctpd under the shim (make test
# runs them too).
test-anywhere: deps lib anywhere c-tests
	@rm -rf $(BUILD)/results/anywhere $(BUILD)/results/interop/*.anywhere
	bash scripts/anywhere-env.sh bash scripts/anywhere-suite.sh "$(ANYWHERE_TESTS)"
	bash scripts/anywhere-env.sh bash scripts/anywhere-daemon.sh
	bash scripts/sctp-env.sh bash scripts/anywhere-interop.sh kernel
	bash scripts/anywhere-env.sh bash scripts/anywhere-interop.sh hosts
	bash scripts/anywhere-env.sh bash interop/run-anywhere.sh $(APPS)
	python3 scripts/compare.py --anywhere-only --anywhere "$(ANYWHERE_TESTS)" \
	  --anywhere-daemon --interop-anywhere "$(APPS)"

# Each fuzz target for FUZZ_SECONDS (make test runs this too), and the verdict.
fuzz-smoke: deps
	@rm -rf $(BUILD)/results/fuzz
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS) || true
	python3 scripts/compare.py --fuzz-only --fuzz "$(FUZZ_TARGETS)"

# One fuzz target for as long as you like: make fuzz T=recv_control [FUZZ_TIME=600]
fuzz: deps
	@test -n "$(T)" || { echo "make fuzz T=<target>: one of $(FUZZ_TARGETS)"; exit 2; }
	bash scripts/fuzz.sh $(FUZZ_TIME) $(T)

# Only the real applications (make test runs them too).
interop: deps lib
	bash scripts/sctp-env.sh bash interop/run.sh $(APPS)
	python3 scripts/compare.py --interop-only --interop "$(APPS)"

$(BUILD)/demo: examples/demo.c $(LIB_SO) $(HEADER)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -o $@ $< \
	  -L$(BUILD) -lsctp_rs -Wl,-rpath,$(TOP)/$(BUILD)

demo: deps lib $(BUILD)/demo
	bash scripts/sctp-env.sh $(TOP)/$(BUILD)/demo

# make bench: instructions (callgrind) and nanoseconds per call, throughput, syscalls and
# allocations per call, lksctp and sctp_rs side by side in one run, written to BENCHMARKS.md and
# bench/ratios.png. bench/instr.c measures instructions; built with -DTIMING, nanoseconds.
$(BUILD)/instr: bench/instr.c $(HEADER)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $< -ldl

$(BUILD)/timing: bench/instr.c $(HEADER)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -DTIMING -o $@ $< -ldl

$(BUILD)/throughput: bench/throughput.c $(HEADER)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $< -ldl -lpthread

# SCTP-anywhere: bench/anywhere.c goes through the socket API (the kernel's SCTP, or sctpd under
# the shim); bench/usrsctp.c drives usrsctp in-process, the floor sctpd is built on.
# Both measure as bench/measure.c does.
$(BUILD)/bench-anywhere: bench/anywhere.c bench/measure.c bench/measure.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ bench/anywhere.c bench/measure.c -lpthread

$(BUILD)/bench-usrsctp: bench/usrsctp.c bench/measure.c bench/measure.h | anywhere-deps
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ bench/usrsctp.c bench/measure.c -lusrsctp -lpthread

BENCH_TOOLS := $(BUILD)/instr $(BUILD)/timing $(BUILD)/throughput $(SHIM) \
	$(BUILD)/c-tests/sctp_rs/counts $(BUILD)/c-tests/dyn/counts \
	$(BUILD)/bench-anywhere $(BUILD)/bench-usrsctp

bench: deps lib anywhere $(BENCH_TOOLS)
	@mkdir -p $(BUILD)/bench
	python3 scripts/instr.py $(BUILD)/instr fail $(TOP)/$(LIB_SO) $(BUILD)/bench/callgrind \
	  > $(BUILD)/bench/instr-fail.tsv
	$(BUILD)/timing fail $(TOP)/$(LIB_SO) > $(BUILD)/bench/timing-fail.tsv
	bash scripts/bench-machine.sh > $(BUILD)/bench/machine.txt
	bash scripts/sctp-env.sh bash scripts/bench-live.sh
	rm -f $(BUILD)/bench/anywhere.tsv
	bash scripts/anywhere-env.sh bash scripts/bench-anywhere.sh host
	bash scripts/sctp-env.sh bash scripts/bench-anywhere.sh uml
	@# The chart needs matplotlib: the first python3 that has it, else Debian's, installed.
	@py=; for p in python3 /usr/bin/python3; do $$p -c 'import matplotlib' 2>/dev/null && { py=$$p; break; }; done; \
	if [ -z "$$py" ]; then apt-get install -y -q python3-matplotlib >/dev/null && py=/usr/bin/python3 \
	  || { pip install --quiet matplotlib && py=python3; }; fi; \
	echo "$$py scripts/bench_report.py $(BUILD)/bench BENCHMARKS.md bench/ratios.png"; \
	$${py:-python3} scripts/bench_report.py $(BUILD)/bench BENCHMARKS.md bench/ratios.png

# One C program, both builds, on the SCTP stack: `make one T=bindx` (for writing a test).
one: deps lib $(BUILD)/c-tests/lksctp/$(T) $(BUILD)/c-tests/sctp_rs/$(T)
	bash scripts/sctp-env.sh bash scripts/run-one.sh $(T)

# make install [PREFIX=/usr/local | prefix=...] [DESTDIR=stage]: the GNU directory variables,
# each overridable; libdir honours the multiarch directory. make uninstall removes exactly the
# files install put there, and the directories of our own once empty.
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
sbindir ?= $(exec_prefix)/sbin
libdir ?= $(exec_prefix)/lib$(if $(MULTIARCH),/$(MULTIARCH))
includedir ?= $(prefix)/include
datarootdir ?= $(prefix)/share
mandir ?= $(datarootdir)/man
pkgconfigdir ?= $(libdir)/pkgconfig
# The libsctp.so.1 stand-in, in a directory of its own: it replaces lksctp's only where asked
# (LD_LIBRARY_PATH, an ld.so.conf.d file, with-sctp-rs --in-place). The SCTP-anywhere shim
# (libsctp_anywhere.so, preloaded by sctp-anywhere) is private to sctp_rs and lives there too.
standindir ?= $(libdir)/sctp_rs
INSTALL ?= install
INSTALL_DATA ?= $(INSTALL) -m 644
MAN1 := $(wildcard man/man1/*.1)
MAN3 := $(wildcard man/man3/*.3rs)
MAN7 := $(wildcard man/man7/*.7)
MAN8 := $(wildcard man/man8/*.8)
# The .pc files and the two launchers (with-sctp-rs, sctp-anywhere) get this install's
# directories written in (on every install: the same tree may be installed with several
# prefixes).
SUBST = sed -e 's|@prefix@|$(prefix)|g' -e 's|@libdir@|$(libdir)|g' \
	-e 's|@includedir@|$(includedir)|g' -e 's|@standindir@|$(standindir)|g' \
	-e 's|@VERSION@|$(VERSION)|g' -e 's|@LKSCTP_VERSION@|$(LKSCTP_VERSION)|g' \
	-e "s|^installed_libdir=.*|installed_libdir='$(libdir)'|" \
	-e "s|^installed_sbindir=.*|installed_sbindir='$(sbindir)'|" \
	-e "s|^installed_shim=.*|installed_shim='$(standindir)/$(notdir $(ANYWHERE_SO))'|" \
	-e "s|^installed_version=.*|installed_version='$(VERSION)'|"

install: lib anywhere
	$(INSTALL) -d $(DESTDIR)$(libdir) $(DESTDIR)$(standindir)/pkgconfig $(DESTDIR)$(pkgconfigdir) \
	  $(DESTDIR)$(includedir)/sctp_rs/netinet $(DESTDIR)$(bindir) $(DESTDIR)$(sbindir) \
	  $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man3 $(DESTDIR)$(mandir)/man7 \
	  $(DESTDIR)$(mandir)/man8
	$(INSTALL_DATA) $(LIB_REAL) $(DESTDIR)$(libdir)/
	ln -sfn $(notdir $(LIB_REAL)) $(DESTDIR)$(libdir)/$(LIB_SONAME)
	ln -sfn $(LIB_SONAME) $(DESTDIR)$(libdir)/libsctp_rs.so
	$(INSTALL_DATA) $(LIB_A) $(DESTDIR)$(libdir)/
	$(INSTALL_DATA) $(LIB_SO1) $(DESTDIR)$(standindir)/
	ln -sfn libsctp.so.1 $(DESTDIR)$(standindir)/libsctp.so
	ln -sfn ../libsctp_rs.a $(DESTDIR)$(standindir)/libsctp.a
	$(SUBST) packaging/libsctp.pc.in > $(DESTDIR)$(standindir)/pkgconfig/libsctp.pc
	$(SUBST) packaging/sctp_rs.pc.in > $(DESTDIR)$(pkgconfigdir)/sctp_rs.pc
	chmod 644 $(DESTDIR)$(standindir)/pkgconfig/libsctp.pc $(DESTDIR)$(pkgconfigdir)/sctp_rs.pc
	$(INSTALL_DATA) $(HEADER) $(DESTDIR)$(includedir)/sctp_rs/netinet/
	$(SUBST) scripts/with-sctp-rs > $(DESTDIR)$(bindir)/with-sctp-rs
	chmod 755 $(DESTDIR)$(bindir)/with-sctp-rs
	$(INSTALL) -m 755 $(SCTPD) $(DESTDIR)$(sbindir)/
	$(INSTALL_DATA) $(ANYWHERE_SO) $(DESTDIR)$(standindir)/
	$(SUBST) scripts/sctp-anywhere > $(DESTDIR)$(bindir)/sctp-anywhere
	chmod 755 $(DESTDIR)$(bindir)/sctp-anywhere
	$(INSTALL_DATA) $(MAN1) $(DESTDIR)$(mandir)/man1/
	$(INSTALL_DATA) $(MAN3) $(DESTDIR)$(mandir)/man3/
	$(INSTALL_DATA) $(MAN7) $(DESTDIR)$(mandir)/man7/
	$(INSTALL_DATA) $(MAN8) $(DESTDIR)$(mandir)/man8/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then \
	  echo ldconfig; ldconfig; fi

# install, then the shared libraries and sctpd stripped of their debug information (the static
# library keeps its symbols: an archive needs them).
install-strip: install
	strip --strip-unneeded $(DESTDIR)$(libdir)/$(notdir $(LIB_REAL)) \
	  $(DESTDIR)$(standindir)/libsctp.so.1 $(DESTDIR)$(standindir)/$(notdir $(ANYWHERE_SO)) \
	  $(DESTDIR)$(sbindir)/$(notdir $(SCTPD))

uninstall:
	rm -f $(DESTDIR)$(libdir)/$(notdir $(LIB_REAL)) $(DESTDIR)$(libdir)/$(LIB_SONAME) \
	  $(DESTDIR)$(libdir)/libsctp_rs.so $(DESTDIR)$(libdir)/libsctp_rs.a \
	  $(DESTDIR)$(standindir)/libsctp.so.1 $(DESTDIR)$(standindir)/libsctp.so \
	  $(DESTDIR)$(standindir)/libsctp.a $(DESTDIR)$(standindir)/pkgconfig/libsctp.pc \
	  $(DESTDIR)$(pkgconfigdir)/sctp_rs.pc $(DESTDIR)$(includedir)/sctp_rs/netinet/sctp.h \
	  $(DESTDIR)$(bindir)/with-sctp-rs \
	  $(DESTDIR)$(sbindir)/$(notdir $(SCTPD)) $(DESTDIR)$(standindir)/$(notdir $(ANYWHERE_SO)) \
	  $(DESTDIR)$(bindir)/sctp-anywhere \
	  $(MAN1:man/%=$(DESTDIR)$(mandir)/%) $(MAN3:man/%=$(DESTDIR)$(mandir)/%) \
	  $(MAN7:man/%=$(DESTDIR)$(mandir)/%) $(MAN8:man/%=$(DESTDIR)$(mandir)/%)
	@for d in $(DESTDIR)$(standindir)/pkgconfig $(DESTDIR)$(standindir) \
	  $(DESTDIR)$(includedir)/sctp_rs/netinet $(DESTDIR)$(includedir)/sctp_rs; do \
	  rmdir "$$d" 2>/dev/null && echo "rmdir $$d" || true; done
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then \
	  echo ldconfig; ldconfig; fi

# make deb: the Debian packages libsctp-rs1, libsctp-rs-dev, sctp-rs-tools and sctp-anywhere
# (debian/), in build/deb/, then lintian over them (its output in build/deb/lintian.txt; an
# error fails).
DEB_LEFTOVERS := debian/tmp debian/.debhelper debian/libsctp-rs1 debian/libsctp-rs-dev \
	debian/sctp-rs-tools debian/sctp-anywhere debian/files debian/*.substvars \
	debian/*.debhelper.log debian/debhelper-build-stamp
deb: deps lib anywhere
	rm -rf $(BUILD)/deb $(DEB_LEFTOVERS)
	@mkdir -p $(BUILD)/deb
	debian/rules build
	debian/rules binary
	rm -rf $(DEB_LEFTOVERS)
	lintian --info --display-info --pedantic --no-tag-display-limit $(BUILD)/deb/*.deb \
	  > $(BUILD)/deb/lintian.txt 2>&1; echo "lintian: exit $$?" >> $(BUILD)/deb/lintian.txt
	cat $(BUILD)/deb/lintian.txt
	@! grep -q '^E: ' $(BUILD)/deb/lintian.txt || { echo "make deb: FAIL: lintian reports errors"; exit 1; }

lint: anywhere-deps
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(CARGO) clippy --locked --all-targets --features tokio -- -D warnings
	cd anywhere && $(CARGO) fmt --check && $(CARGO) clippy --locked --all-targets -- -D warnings

clean:
	rm -rf $(BUILD)
	$(CARGO) clean
	cd anywhere && $(CARGO) clean
