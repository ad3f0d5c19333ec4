#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, only when it is missing:
#   user-mode-linux, busybox-static  a Linux kernel with SCTP as an ordinary process (for hosts
#                                    whose kernel has no SCTP), and the tools its init uses
#   libsctp-dev                      lksctp's header and libsctp.a/.so: the reference we compare to
#   abigail-tools                    abidiff, to compare our libsctp.so.1 with lksctp's
#   valgrind                         memcheck, under which every C program of the suite runs again
#   libusrsctp-dev                   usrsctp, the userspace SCTP stack sctpd runs (anywhere/)
#   lksctp-tools iperf3 stress-ng    real SCTP applications from Debian, run on sctp_rs by
#   sip-tester netperfmeter gensio-bin  `make interop` (interop/)
#   debhelper lintian                make deb builds the Debian packages and lintian checks them;
#   dpkg-dev pkgconf man-db groff-base  the install test builds with pkg-config and renders the pages
#   cbindgen (pinned, crates.io)     generates include/netinet/sctp.h
#   cargo-fuzz (pinned, crates.io)   builds and runs the fuzz targets (fuzz/) with the nightly
#                                    toolchain of the machine image (-Zsanitizer=address)
set -euo pipefail

# install-deps.sh PKG...: only those Debian packages (make anywhere needs libusrsctp-dev alone).
if [ $# -gt 0 ]; then
  need=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  [ ${#need[@]} -eq 0 ] && exit 0
  echo "install-deps: installing ${need[*]}"
  [ "$(id -u)" = 0 ] || { echo "install-deps: need root to apt-get install ${need[*]}" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  exit 0
fi

CBINDGEN_VERSION=${CBINDGEN_VERSION:-0.29.4}
need_pkgs=()
dpkg -s user-mode-linux >/dev/null 2>&1 || need_pkgs+=(user-mode-linux)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
dpkg -s libsctp-dev >/dev/null 2>&1 || need_pkgs+=(libsctp-dev)
dpkg -s abigail-tools >/dev/null 2>&1 || need_pkgs+=(abigail-tools)
dpkg -s valgrind >/dev/null 2>&1 || need_pkgs+=(valgrind)
dpkg -s libusrsctp-dev >/dev/null 2>&1 || need_pkgs+=(libusrsctp-dev)
for p in lksctp-tools iperf3 stress-ng sip-tester netperfmeter gensio-bin; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
for p in debhelper lintian dpkg-dev man-db groff-base; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
command -v pkg-config >/dev/null 2>&1 || need_pkgs+=(pkgconf)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "install-deps: installing ${need_pkgs[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: need root to apt-get install ${need_pkgs[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

have=$(cbindgen --version 2>/dev/null || true)
if [ "$have" != "cbindgen $CBINDGEN_VERSION" ]; then
  echo "install-deps: installing cbindgen $CBINDGEN_VERSION (found: ${have:-none})"
  cargo install --quiet --locked --force cbindgen --version "=$CBINDGEN_VERSION"
fi

CARGO_FUZZ_VERSION=${CARGO_FUZZ_VERSION:-0.13.2}
have=$(cargo fuzz --version 2>/dev/null || true)
if [ "$have" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "install-deps: installing cargo-fuzz $CARGO_FUZZ_VERSION (found: ${have:-none})"
  cargo install --quiet --locked --force cargo-fuzz --version "=$CARGO_FUZZ_VERSION"
fi
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "install-deps: FAIL: the fuzz targets need a nightly toolchain (-Zsanitizer=address);" \
    "none is installed (rustup toolchain install nightly)" >&2
  exit 1
fi
