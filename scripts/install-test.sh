#!/usr/bin/env bash
# install-test.sh: sctp_rs as a system library, the way its users get it (part of `make test`).
#
# 1. make install into a staged DESTDIR (beside files of another package, which uninstall must
#    leave alone), with the GNU defaults (prefix /usr/local, multiarch libdir);
# 2. programs built with only what pkg-config prints for the staged install
#    (PKG_CONFIG_SYSROOT_DIR, as pkg-config documents for staged installs): examples/demo.c
#    shared and fully static with sctp_rs.pc, and c-tests/allfuncs.c as an lksctp user builds
#    it, with `pkg-config libsctp` and PKG_CONFIG_PATH at the stand-in's libsctp.pc;
# 3. the Debian packages of `make deb` installed with dpkg -i beside Debian's libsctp-dev,
#    a program built against the installed files, the installed wrapper both ways; that
#    program run natively by the installed sctp-anywhere, on the installed sctpd, in a fresh
#    network namespace (scripts/anywhere-env.sh);
# 4. every program of 2 and 3 run on the kernel's SCTP stack (scripts/sctp-env.sh, one boot);
# 5. dpkg -r, and the system compared with a snapshot taken before; make uninstall, and the
#    staged tree compared with what was there before the install.
# Writes build/results/install/; scripts/verdict_install.py gives the verdict.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
res=$b/results/install
bin=$b/install-test
stage=$b/stage
ma=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
debs=(libsctp-rs1 libsctp-rs-dev sctp-rs-tools sctp-anywhere)
rm -rf "$res" "$bin" "$stage"
mkdir -p "$res" "$bin" "$stage"
cd "$top"

step() { # step NAME CMD...: output to NAME.log, status to NAME.rc
  local name=$1; shift
  "$@" > "$res/$name.log" 2>&1
  echo $? > "$res/$name.rc"
}
listing() { # listing DIR: every file below DIR, relative; a symlink as "path -> target"
  (cd "$1" && find . \( -type f -printf '%P\n' \) -o \( -type l -printf '%P -> %l\n' \) | sort)
}
dynamic() { # dynamic BINARY: its NEEDED, RUNPATH and RPATH entries, one "TAG value" per line
  readelf -d "$1" 2>&1 | sed -nE 's/.*\((NEEDED|RUNPATH|RPATH)\)[^[]*\[(.*)\]$/\1 \2/p'
}

# --- 1. make install into the stage, beside another package's files -------------------------
lib=usr/local/lib/$ma
for f in "$lib/libother.so.1" "$lib/pkgconfig/other.pc" usr/local/include/other.h \
    usr/local/share/man/man3/other.3 usr/local/bin/other; do
  mkdir -p "$stage/$(dirname "$f")"
  echo other > "$stage/$f"
done
listing "$stage" > "$res/before-install.txt"
step install make -s install DESTDIR="$stage"
listing "$stage" > "$res/after-install.txt"
comm -13 "$res/before-install.txt" "$res/after-install.txt" | sed "s|$ma|<triplet>|g" \
  > "$res/installed-files.txt"

# --- 2. builds with only what pkg-config prints ----------------------------------------------
pc() { env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR="$stage" "$@"; }
pc PKG_CONFIG_LIBDIR="$stage/$lib/pkgconfig" pkg-config --cflags --libs sctp_rs > "$res/pc-sctp_rs.txt" 2>&1
pc PKG_CONFIG_LIBDIR="$stage/$lib/pkgconfig" pkg-config --static --cflags --libs sctp_rs \
  > "$res/pc-sctp_rs-static.txt" 2>&1
pc PKG_CONFIG_LIBDIR="$stage/$lib/pkgconfig" pkg-config --modversion sctp_rs > "$res/pc-sctp_rs-version.txt" 2>&1
# As an lksctp user: the system's pkg-config path stays, PKG_CONFIG_PATH puts ours first.
pc PKG_CONFIG_PATH="$stage/$lib/sctp_rs/pkgconfig" pkg-config --cflags --libs libsctp > "$res/pc-libsctp.txt" 2>&1
pc PKG_CONFIG_PATH="$stage/$lib/sctp_rs/pkgconfig" pkg-config --modversion libsctp > "$res/pc-libsctp-version.txt" 2>&1
CFLAGS="-std=gnu11 -O2 -Wall -Wextra -Werror"
# shellcheck disable=SC2046,SC2086
step build-demo-shared cc $CFLAGS -o "$bin/demo-shared" examples/demo.c $(cat "$res/pc-sctp_rs.txt")
# shellcheck disable=SC2046,SC2086
step build-demo-static cc -static $CFLAGS -o "$bin/demo-static" examples/demo.c \
  $(cat "$res/pc-sctp_rs-static.txt")
# shellcheck disable=SC2046,SC2086
step build-allfuncs-libsctp cc $CFLAGS $(pc PKG_CONFIG_PATH="$stage/$lib/sctp_rs/pkgconfig" \
  pkg-config --cflags libsctp) -o "$bin/allfuncs-libsctp" c-tests/allfuncs.c c-tests/common.c \
  $(pc PKG_CONFIG_PATH="$stage/$lib/sctp_rs/pkgconfig" pkg-config --libs libsctp) -ldl
for p in demo-shared demo-static allfuncs-libsctp; do
  dynamic "$bin/$p" > "$res/$p.dynamic"
done
# The staged wrapper carries the final libdir and the version.
grep -E '^installed_(libdir|version)=' "$stage/usr/local/bin/with-sctp-rs" > "$res/wrapper-lines.txt"
"$stage/usr/local/bin/with-sctp-rs" --version > "$res/wrapper-version.txt" 2>&1
# The staged sctp-anywhere carries the final sbindir, shim and version; the staged sctpd runs.
grep -E '^installed_(sbindir|shim|version)=' "$stage/usr/local/bin/sctp-anywhere" \
  > "$res/anywhere-lines.txt"
"$stage/usr/local/bin/sctp-anywhere" --version > "$res/anywhere-version.txt" 2>&1
"$stage/usr/local/sbin/sctpd" --version > "$res/sctpd-version.txt" 2>&1
echo $? > "$res/sctpd-version.rc"
# The staged pages, as man finds them: `man 3rs NAME`, beside lksctp's `man 3 NAME`.
for f in sctp_bindx sctp_connectx sctp_getpaddrs sctp_freepaddrs sctp_getladdrs sctp_freeladdrs \
    sctp_getaddrlen sctp_opt_info sctp_peeloff sctp_peeloff_flags sctp_recvmsg sctp_recvv \
    sctp_send sctp_sendmsg sctp_sendv sctp_sendx; do
  where=$(MANPATH="$stage/usr/local/share/man" man -w 3rs "$f" 2>&1)
  err=$(MANPATH="$stage/usr/local/share/man" MANWIDTH=80 man --warnings 3rs "$f" 2>&1 >/dev/null)
  echo "$f ${where#"$stage"/} ${err:+WARN $err}" >> "$res/man-staged.txt"
done
for page in "8 sctpd" "1 sctp-anywhere"; do
  # shellcheck disable=SC2086
  where=$(MANPATH="$stage/usr/local/share/man" man -w $page 2>&1)
  # shellcheck disable=SC2086
  err=$(MANPATH="$stage/usr/local/share/man" MANWIDTH=80 man --warnings $page 2>&1 >/dev/null)
  echo "${page#* } ${where#"$stage"/} ${err:+WARN $err}" >> "$res/man-staged-anywhere.txt"
done

# Every EXAMPLES program of a section 3 page, as a reader sees it (run below).
python3 scripts/verdict_man.py --build "$bin/examples" > "$res/examples-build.log" 2>&1

# --- 3. the Debian packages ------------------------------------------------------------------
snapshot() { # the files of the system a package could touch, and the dynamic linker's cache
  { find /usr /etc -xdev \( -type f -o -type l \) -print 2>/dev/null | sort; ldconfig -p; } \
    | grep -v '^/etc/ld.so.cache$'
}
remove_debs() { dpkg -r "${debs[@]}" > "$res/dpkg-r.log" 2>&1; echo $? > "$res/dpkg-r.rc"; }
ls build/deb/*.deb > "$res/debs.txt" 2>&1
if dpkg -s "${debs[@]}" 2>/dev/null | grep -q '^Status: install'; then
  echo "installed before the test: dpkg -r ${debs[*]} first" > "$res/dpkg-i.log"
  echo 1 > "$res/dpkg-i.rc"
else
  snapshot > "$res/system-before.txt"
  dpkg --verify libsctp1 libsctp-dev lksctp-tools > "$res/verify-before.txt" 2>&1
  trap remove_debs EXIT
  files=()
  for p in "${debs[@]}"; do files+=(build/deb/${p}_*.deb); done
  step dpkg-i dpkg -i "${files[@]}"
  for p in "${debs[@]}"; do
    dpkg -L "$p" 2>&1 | sed "s|$ma|<triplet>|g" > "$res/deb-$p.files"
    dpkg-deb -f build/deb/${p}_*.deb Package Version Architecture Multi-Arch Depends Pre-Depends \
      > "$res/deb-$p.control" 2>&1
  done
  dpkg-deb -I build/deb/libsctp-rs1_*.deb shlibs symbols > "$res/deb-shlibs-symbols.txt" 2>&1
  # sctp-anywhere's control members: its private shim gives it no shlibs, symbols or trigger.
  dpkg-deb --ctrl-tarfile build/deb/sctp-anywhere_*.deb 2>&1 | tar -t 2>&1 | sed 's|^\./||' \
    | grep -v '^$' | sort > "$res/deb-sctp-anywhere.members"
  # A program built against the installed files: pkg-config as on any system, no -L or rpath.
  # shellcheck disable=SC2046
  step build-demo-deb cc $CFLAGS -o "$bin/demo-deb" examples/demo.c $(pkg-config --cflags --libs sctp_rs)
  # shellcheck disable=SC2046
  step build-allfuncs-deb cc $CFLAGS $(PKG_CONFIG_PATH=/usr/lib/$ma/sctp_rs/pkgconfig pkg-config \
    --cflags libsctp) -o "$bin/allfuncs-deb" c-tests/allfuncs.c c-tests/common.c \
    $(PKG_CONFIG_PATH=/usr/lib/$ma/sctp_rs/pkgconfig pkg-config --libs libsctp) -ldl
  dynamic "$bin/demo-deb" > "$res/demo-deb.dynamic"
  { man -w 3rs sctp_bindx; man -w 3 sctp_bindx; man -w 7 sctp_rs; man -w 1 with-sctp-rs; } \
    > "$res/man-deb.txt" 2>&1
  with-sctp-rs --version > "$res/wrapper-deb-version.txt" 2>&1
  # The installed sctp-anywhere: its lines, its version, its page and sctpd's.
  grep -E '^installed_(sbindir|shim|version)=' /usr/bin/sctp-anywhere 2>&1 \
    | sed "s|$ma|<triplet>|g" > "$res/anywhere-deb-lines.txt"
  /usr/bin/sctp-anywhere --version > "$res/anywhere-deb-version.txt" 2>&1
  { man -w 8 sctpd; man -w 1 sctp-anywhere; } > "$res/man-deb-anywhere.txt" 2>&1
  # The program built against the installed package, run natively by the installed
  # sctp-anywhere in a fresh network namespace: none runs there, so sctp-anywhere starts the
  # installed sctpd, which serves the program's sockets; then sctpd --stop. SCTP_ANYWHERE is
  # left unset (auto) where the kernel has no SCTP, as a user leaves it; where the kernel has
  # SCTP it is set to force, so that the run is sctpd's either way.
  cc -O1 -o "$bin/sctp-probe" scripts/sctp-probe.c > /dev/null 2>&1
  if "$bin/sctp-probe" > /dev/null 2>&1; then aw_mode=force; else aw_mode=auto; fi
  echo "$aw_mode" > "$res/anywhere-mode.txt"
  cat > "$bin/anywhere.sh" <<'EOF'
# anywhere.sh RES BIN MODE: inside scripts/anywhere-env.sh (see install-test.sh, part 3).
res=$1 bin=$2 mode=$3
sctpd=/usr/sbin/sctpd
# Never leave an sctpd behind in the namespace, whatever happens below.
trap '"$sctpd" --stop > /dev/null 2>&1' EXIT
"$sctpd" --status > "$res/anywhere-status-before.txt" 2>&1
echo $? > "$res/anywhere-status-before.rc"
rm -f "$res/anywhere-sctpd.log"
if [ "$mode" = force ]; then export SCTP_ANYWHERE=force; else unset SCTP_ANYWHERE; fi
SCTPD_ARGS="-v --log $res/anywhere-sctpd.log" timeout 120 /usr/bin/sctp-anywhere \
  "$bin/demo-deb" > "$res/anywhere-deb.out" 2> "$res/anywhere-deb.err" < /dev/null
echo $? > "$res/anywhere-deb.rc"
pid=$("$sctpd" --status 2>/dev/null | sed -n 's/^sctpd: pid \([0-9]*\) serves .*/\1/p')
if [ -n "$pid" ]; then
  echo "exe $(readlink "/proc/$pid/exe")"
  awk '/^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs):/' "/proc/$pid/status"
else
  echo "no sctpd serves this network namespace"
fi > "$res/anywhere-sctpd.txt"
"$sctpd" --stop > "$res/anywhere-stop.log" 2>&1
echo $? > "$res/anywhere-stop.rc"
"$sctpd" --status > "$res/anywhere-status-after.txt" 2>&1
echo $? > "$res/anywhere-status-after.rc"
EOF
  if [ -x "$bin/demo-deb" ]; then
    bash scripts/anywhere-env.sh bash "$bin/anywhere.sh" "$res" "$bin" "$aw_mode" \
      > "$res/anywhere-env.log" 2>&1
    echo $? > "$res/anywhere-env.rc"
  fi
fi

# --- 4. run them on the SCTP stack -----------------------------------------------------------
cat > "$bin/run.sh" <<EOF
res=$res bin=$bin stage=$stage lib=$lib ma=$ma top=$top
run() { # run NAME CMD...: stdout, stderr and status of one program
  local name=\$1; shift
  timeout 120 "\$@" > "\$res/\$name.out" 2> "\$res/\$name.err" < /dev/null
  echo \$? > "\$res/\$name.rc"
}
run demo-shared env LD_LIBRARY_PATH="\$stage/\$lib" "\$bin/demo-shared"
run demo-static "\$bin/demo-static"
run allfuncs-libsctp env LD_DEBUG=bindings LD_LIBRARY_PATH="\$stage/\$lib/sctp_rs" "\$bin/allfuncs-libsctp"
run wrapper-staged env LD_DEBUG=bindings SCTP_RS_LIB="\$stage/\$lib/libsctp_rs.so.1" \
  "\$stage/usr/local/bin/with-sctp-rs" "\$top/build/c-tests/dyn/allfuncs"
for x in "\$bin"/examples/*; do
  [ -x "\$x" ] && run "example-\${x##*/}" "\$x"
done
if [ -x "\$bin/demo-deb" ]; then
  run demo-deb "\$bin/demo-deb"
  run allfuncs-deb-inplace env LD_DEBUG=bindings with-sctp-rs --in-place "\$bin/allfuncs-deb"
  run allfuncs-deb-preload env LD_DEBUG=bindings with-sctp-rs "\$top/build/c-tests/dyn/allfuncs"
fi
EOF
bash scripts/sctp-env.sh bash "$bin/run.sh" > "$res/sctp-env.log" 2>&1
echo $? > "$res/sctp-env.rc"

# --- 5. remove, and compare ------------------------------------------------------------------
if [ -f "$res/system-before.txt" ]; then
  trap - EXIT
  remove_debs
  snapshot > "$res/system-after.txt"
  diff "$res/system-before.txt" "$res/system-after.txt" > "$res/system-diff.txt"
  dpkg --verify libsctp1 libsctp-dev lksctp-tools > "$res/verify-after.txt" 2>&1
  dpkg -s "${debs[@]}" > "$res/dpkg-s-after.txt" 2>&1
fi
step uninstall make -s uninstall DESTDIR="$stage"
listing "$stage" > "$res/after-uninstall.txt"
find "$stage" -type d -name 'sctp_rs*' | sed "s|^$stage/||" > "$res/dirs-after-uninstall.txt"
echo "install-test: done ($res)"
