#!/usr/bin/env bash
# anywhere-env.sh CMD [ARG...]: runs CMD on the host, natively, in a fresh network namespace set
# up for SCTP-anywhere (sctpd and the shim; see anywhere/): the test network of test-net.sh
# (lo up, 127.0.1.0/24 a blackhole) plus 127.0.0.2-9 configured on lo, since usrsctp binds only
# addresses an interface has (the kernel binds all of 127/8 through its local route). With
# ANYWHERE_BIG=1 also the 5000 addresses 127.0.2.1... that addrs.c binds in one call.
#
# This is where `make test` runs the C programs and applications under the shim: on hosts whose
# kernel has no SCTP (the build machines) and, with SCTP_ANYWHERE=force, on hosts whose kernel
# has it. Needs root (a network namespace); fails loudly otherwise, never skips.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }
if [ "${ANYWHERE_IN_NETNS:-}" != 1 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "anywhere-env: FAIL: the SCTP-anywhere tests need root and unshare(1) for a network namespace" >&2
    exit 1
  fi
  exec env ANYWHERE_IN_NETNS=1 unshare --net -- "$0" "$@"
fi
sh "$top/scripts/test-net.sh"
batch=$(mktemp)
trap 'rm -f "$batch"' EXIT
for i in 2 3 4 5 6 7 8 9; do echo "addr add 127.0.0.$i/8 dev lo"; done > "$batch"
if [ "${ANYWHERE_BIG:-0}" = 1 ]; then
  # 127.0.2.1 on, host parts 1-254 (as addrs.c numbers them).
  awk 'BEGIN { n = 0; h = 1; net = 2; while (n < 5000) { printf "addr add 127.0.%d.%d/8 dev lo\n", net, h; n++; h++; if (h == 255) { h = 1; net++ } } }' >> "$batch"
fi
ip -batch "$batch"
"$@"
