#!/usr/bin/env bash
# Runs the whole suite on the SCTP stack sctp-env.sh provides (one UML boot for everything):
# each C program against lksctp and against sctp_rs, the static build, and the Rust tests.
# Writes build/results/*; scripts/compare.py reads them on the host and gives the verdict.
# Usage: run-suite.sh "DIFF_TESTS" "OURS_TESTS" "STATIC_TESTS"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
res=$b/results
mkdir -p "$res"
per_test=${SCTP_RS_TEST_TIMEOUT:-120}

run() { # run NAME BINARY [ENV...]: stdout, stderr, exit status of one program
  local name=$1 bin=$2; shift 2
  env "$@" timeout "$per_test" "$bin" > "$res/$name.out" 2> "$res/$name.err" < /dev/null
  echo $? > "$res/$name.rc"
}

echo "run-suite: kernel $(uname -r)"
uname -r > "$res/kernel"
for t in $1; do
  run "$t.lksctp" "$b/c-tests/lksctp/$t"
  run "$t.sctp_rs" "$b/c-tests/sctp_rs/$t" LD_DEBUG=bindings
done
for t in $2; do
  run "$t.sctp_rs" "$b/c-tests/sctp_rs/$t" LD_DEBUG=bindings
done
for t in ${3:-}; do
  run "$t.static" "$b/c-tests/static/$t"
done
bin=$(cat "$b/rust-test-bin")
timeout 600 "$bin" --test-threads=2 > "$res/rust.out" 2>&1 < /dev/null
echo $? > "$res/rust.rc"
echo "run-suite: done"
