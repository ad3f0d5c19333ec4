#!/usr/bin/env bash
# Runs one C conformance program's lksctp and sctp_rs builds (inside sctp-env.sh) and shows
# the outputs side by side: build/one/<T>.{lksctp,sctp_rs}.{out,err}. For writing tests.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
t=$1
out=$top/build/one
mkdir -p "$out"
for v in lksctp sctp_rs; do
  timeout 120 "$top/build/c-tests/$v/$t" > "$out/$t.$v.out" 2> "$out/$t.$v.err" < /dev/null
  echo "$v exit status $?"
done
diff "$out/$t.lksctp.out" "$out/$t.sctp_rs.out" && echo "run-one: $t: outputs identical"
