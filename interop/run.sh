#!/usr/bin/env bash
# Runs each interop/<app>.sh three ways (asis, preload, inplace; see lib.sh) on the SCTP stack
# sctp-env.sh provides (MODES: other modes; interop/run-anywhere.sh runs the anywhere one). Writes build/results/interop/<app>.<mode>/{out,rc,*.err,ld.*};
# scripts/compare.py --interop gives the verdict. Each run is a process group of its own, ended
# (with anything it left behind) when the script ends or after SCTP_RS_APP_TIMEOUT seconds.
# Usage: interop/run.sh APP...
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results/interop
per_app=${SCTP_RS_APP_TIMEOUT:-180}
for a in "$@"; do
  for mode in ${MODES:-asis preload inplace}; do
    d=$res/$a.$mode
    rm -rf "$d"; mkdir -p "$d"
    # setsid execs timeout as the leader of a new process group; afterwards the whole group
    # (whatever the script left running) is killed.
    MODE=$mode OUT=$d setsid timeout -k 10 "$per_app" bash "$top/interop/$a.sh" > "$d/out" \
      2> "$d/script.err" < /dev/null &
    pid=$!
    wait "$pid"
    echo $? > "$d/rc"
    kill -KILL -- "-$pid" 2>/dev/null
    # The next run may reuse the ports: wait until nothing of this one is left.
    for ((i = 0; i < 100; i++)); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    echo "interop: $a [$mode] exit $(cat "$d/rc")"
  done
done
