#!/usr/bin/env bash
# Runs each interop/<app>.sh the anywhere way (see lib.sh): the programs unmodified, on
# Debian's libsctp.so.1, their SCTP on sctpd through the preloaded shim. Run it inside
# scripts/anywhere-env.sh (a network namespace of its own, 127.0.0.2-9 configured); it starts
# sctpd for the namespace and stops it at the end (its log: build/results/interop/sctpd.log).
# Usage: interop/run-anywhere.sh APP...
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results/interop
mkdir -p "$res"
if ! "$top/build/sctpd" --daemon --log "$res/sctpd.log" -v; then
  echo "run-anywhere: FAIL: sctpd did not start (log: $res/sctpd.log)" >&2
  exit 1
fi
MODES=anywhere bash "$top/interop/run.sh" "$@"
"$top/build/sctpd" --stop > /dev/null
