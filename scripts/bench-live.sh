#!/usr/bin/env bash
# The part of `make bench` that needs kernel SCTP (sctp-env.sh runs it: natively or in
# User-Mode Linux): instructions and nanoseconds per call on live associations, throughput,
# and the counts of syscalls and allocations per call. Writes build/bench/*.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
out=$b/bench
mkdir -p "$out"
lib=$b/libsctp_rs.so
python3 "$top/scripts/instr.py" "$b/instr" live "$lib" "$out/callgrind" > "$out/instr-live.tsv"
"$b/timing" live "$lib" > "$out/timing-live.tsv"
"$b/throughput" "$lib" 1 > "$out/throughput.tsv"
env -u SCTP_RS_TRACE LD_PRELOAD="$b/c-tests/libcount.so" "$b/c-tests/sctp_rs/counts" \
  > "$out/counts.out"
env -u SCTP_RS_TRACE LD_PRELOAD="$b/c-tests/libcount.so" "$b/c-tests/dyn/counts" \
  > "$out/counts.lksctp.out" || true
uname -r > "$out/kernel-live.txt"
echo "bench-live: done"
