#!/usr/bin/env bash
# anywhere-suite.sh "PROGRAMS": the C conformance programs on SCTP-anywhere, inside
# anywhere-env.sh (a network namespace of their own): sctpd started for the namespace, each
# program's sctp_rs build run with libsctp_anywhere.so preloaded and SCTP_ANYWHERE=force (so
# that the shim is what runs, whatever the kernel has). addrs runs in a namespace of its own
# with the 5000 addresses it binds configured. Writes build/results/anywhere/<prog>.{out,err,rc}
# and sctpd's log; scripts/verdict_anywhere.py compares each program's output with the
# kernel's expected output (c-tests/expected/), less the rows of c-tests/anywhere-divergences.tsv.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
res=$b/results/anywhere
mkdir -p "$res"
per_test=${SCTP_RS_TEST_TIMEOUT:-120}
log=${ANYWHERE_LOG:-$res/sctpd.log}

if ! "$b/sctpd" --daemon --log "$log" -v; then
  echo "anywhere-suite: FAIL: sctpd did not start (log: $log)" >&2
  exit 1
fi
for t in $1; do
  if [ "$t" = addrs ] && [ "${ANYWHERE_BIG:-0}" != 1 ]; then
    ANYWHERE_IN_NETNS= ANYWHERE_BIG=1 ANYWHERE_LOG="$res/sctpd.addrs.log" \
      bash "$top/scripts/anywhere-env.sh" bash "$0" addrs
    continue
  fi
  env SCTP_ANYWHERE=force LD_PRELOAD="$b/libsctp_anywhere.so" timeout "$per_test" \
    "$b/c-tests/sctp_rs/$t" > "$res/$t.out" 2> "$res/$t.err" < /dev/null
  echo $? > "$res/$t.rc"
done
"$b/sctpd" --stop > /dev/null
