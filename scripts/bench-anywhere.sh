#!/usr/bin/env bash
# bench-anywhere.sh host|uml: the SCTP-anywhere part of `make bench`, throughput and latency
# (bench/anywhere.c through the socket API, bench/usrsctp.c with usrsctp in-process), each
# stack of one environment in one run:
#   host  natively, in a network namespace of its own (scripts/anywhere-env.sh runs it): sctpd
#         under the shim, and usrsctp in-process (this host's kernel may have no SCTP)
#   uml   inside scripts/sctp-env.sh (User-Mode Linux where the host lacks SCTP): the kernel's
#         SCTP, sctpd under the shim, usrsctp in-process, on the same (emulated) machine
# Appends "ENV<TAB>STACK<TAB>CASE<TAB>VALUE<TAB>UNIT" lines to build/bench/anywhere.tsv.
set -eu
env_name=${1:?usage: bench-anywhere.sh host|uml}
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
out=$b/bench/anywhere.tsv
mkdir -p "$b/bench"
secs=${BENCH_SECONDS:-2}
label() { sed "s/^/$env_name\t/" >> "$out"; }
if [ "$env_name" = uml ]; then
  "$b/bench-anywhere" "kernel SCTP" "$secs" | label
fi
"$b/sctpd" --daemon --log "$b/bench/sctpd.$env_name.log"
SCTP_ANYWHERE=force LD_PRELOAD="$b/libsctp_anywhere.so" "$b/bench-anywhere" "sctpd + shim" "$secs" | label
"$b/sctpd" --stop > /dev/null
# usrsctp runs unprivileged, as sctpd runs it (as root it would open raw SCTP sockets). UDP
# port 9900: sctpd's 9899 may still be closing.
setpriv --reuid=65534 --regid=65534 --clear-groups \
  "$b/bench-usrsctp" "usrsctp in-process" "$secs" 9900 | label
echo "bench-anywhere: $env_name done"
