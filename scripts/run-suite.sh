#!/usr/bin/env bash
# Runs the whole suite on the SCTP stack sctp-env.sh provides (one UML boot for everything):
# each C program against lksctp and against sctp_rs, the static build, the three-way runs of the
# dynamic build, the demo, every one of those that runs on sctp_rs again under valgrind memcheck,
# and the Rust tests.
# Writes build/results/*; scripts/compare.py reads them on the host and gives the verdict.
# Usage: run-suite.sh "DIFF_TESTS" "OURS_TESTS" "STATIC_TESTS" "THREEWAY_TESTS" "WRAPPER_TESTS"
#                     "COUNT_TESTS" "TRACED_TESTS"
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

# Programs of COUNT_TESTS run under the counting interposer, with SCTP_RS_TRACE unset (the
# trace must cost nothing then): these env(1) arguments come first in their run line.
counted=" ${6:-} "
shim() {
  case "$counted" in *" $1 "*) echo "-u SCTP_RS_TRACE LD_PRELOAD=$b/c-tests/libcount.so" ;; esac
}

echo "run-suite: kernel $(uname -r)"
uname -r > "$res/kernel"
for t in $1; do
  run "$t.lksctp" "$b/c-tests/lksctp/$t"
  run "$t.sctp_rs" "$b/c-tests/sctp_rs/$t" LD_DEBUG=bindings LD_BIND_NOW=1
done
# Three-way: the dynamic build (Debian's header and libsctp.so.1) as is, under LD_PRELOAD, and
# with our libsctp.so.1 in place (LD_LIBRARY_PATH).
for t in ${4:-}; do
  run "$t.asis" "$b/c-tests/dyn/$t" LD_DEBUG=bindings
  run "$t.preload" "$b/c-tests/dyn/$t" LD_DEBUG=bindings LD_PRELOAD="$b/libsctp_rs.so"
  run "$t.inplace" "$b/c-tests/dyn/$t" LD_DEBUG=bindings LD_LIBRARY_PATH="$b"
done
# scripts/with-sctp-rs, the way users start a binary on sctp_rs, must equal the preload run;
# with --in-place, the in-place run.
for t in ${5:-}; do
  LD_DEBUG=bindings timeout "$per_test" "$top/scripts/with-sctp-rs" "$b/c-tests/dyn/$t" \
    > "$res/$t.wrapper.out" 2> "$res/$t.wrapper.err" < /dev/null
  echo $? > "$res/$t.wrapper.rc"
  LD_DEBUG=bindings timeout "$per_test" "$top/scripts/with-sctp-rs" --in-place "$b/c-tests/dyn/$t" \
    > "$res/$t.wrapper-inplace.out" 2> "$res/$t.wrapper-inplace.err" < /dev/null
  echo $? > "$res/$t.wrapper-inplace.rc"
done
for t in $2; do
  run "$t.sctp_rs" "$b/c-tests/sctp_rs/$t" $(shim "$t") LD_DEBUG=bindings LD_BIND_NOW=1
done
for t in ${3:-}; do
  run "$t.static" "$b/c-tests/static/$t" $(shim "$t")
done
# The same counts on lksctp (its header, Debian's libsctp.so.1): printed, never asserted.
for t in ${6:-}; do
  run "$t.lksctp-info" "$b/c-tests/dyn/$t" $(shim "$t")
done
# The sctp_rs build again with SCTP_RS_TRACE=1 (the trace's lines go to stderr).
for t in ${7:-}; do
  run "$t.traced" "$b/c-tests/sctp_rs/$t" SCTP_RS_TRACE=1
done
run demo "$b/demo"
# Memcheck: every C program that runs on sctp_rs, each way it runs, again under valgrind. An
# error (c-tests/valgrind.supp names the rows that hand the kernel a bad pointer on purpose) or
# a definitely lost block fails the run (exit 99); each process (in_child forks, trace.c's
# re-executions, which run under memcheck too) logs to <name>.vglog.<pid>; the pids of processes
# a program kills with SIGKILL on purpose go to <name>.killed (SCTP_RS_TEST_KILLED: such a process
# cannot write valgrind's summary). scripts/verdict_memcheck.py gives the verdict.
vg_timeout=${SCTP_RS_VG_TIMEOUT:-300}
# valgrind runs one thread at a time: the load programs send ten times fewer messages there and
# stretch their bounds (c-tests/memcheck.tsv masks the counts they print).
export SCTP_RS_LOAD_DIVISOR=10 SCTP_RS_TEST_SLOW=5
vgrun() { # vgrun NAME BINARY [ENV...]
  local name=$1 bin=$2; shift 2
  rm -f "$res/$name.vglog."* "$res/$name.killed"
  env SCTP_RS_TEST_KILLED="$res/$name.killed" "$@" timeout "$vg_timeout" valgrind --tool=memcheck -s --error-exitcode=99 --trace-children=yes \
    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --suppressions="$top/c-tests/valgrind.supp" --log-file="$res/$name.vglog.%p" \
    "$bin" > "$res/$name.out" 2> "$res/$name.err" < /dev/null
  echo $? > "$res/$name.rc"
}
# Not COUNT_TESTS: under valgrind, malloc binds to valgrind's own, not the counting
# interposer's, so the counts cannot be taken there (the calls they make are the other
# programs' calls, which run under memcheck).
for t in $1 $2; do [ -n "$(shim "$t")" ] || vgrun "$t.vg-sctp_rs" "$b/c-tests/sctp_rs/$t"; done
for t in ${3:-}; do [ -n "$(shim "$t")" ] || vgrun "$t.vg-static" "$b/c-tests/static/$t"; done
for t in ${4:-}; do
  vgrun "$t.vg-preload" "$b/c-tests/dyn/$t" LD_PRELOAD="$b/libsctp_rs.so"
  vgrun "$t.vg-inplace" "$b/c-tests/dyn/$t" LD_LIBRARY_PATH="$b"
done
vgrun demo.vg "$b/demo"
# Instructions per call, lksctp against sctp_rs (callgrind: the same numbers on every run),
# on the failure path and on live associations; scripts/verdict_instr.py holds sctp_rs <= lksctp.
unset SCTP_RS_LOAD_DIVISOR SCTP_RS_TEST_SLOW
for p in fail live; do
  python3 "$top/scripts/instr.py" "$b/instr" "$p" "$b/libsctp_rs.so" "$res/callgrind" \
    > "$res/instr-$p.tsv" 2> "$res/instr-$p.err"
done
# The Rust API's examples, each with --check (a built-in peer, its own assertions).
while read -r ex; do
  [ -n "$ex" ] || continue
  name=example.$(basename "$ex")
  timeout "$per_test" "$ex" --check > "$res/$name.out" 2> "$res/$name.err" < /dev/null
  echo $? > "$res/$name.rc"
done < "$b/rust-examples"
bin=$(cat "$b/rust-test-bin")
timeout 600 "$bin" --test-threads=2 > "$res/rust.out" 2>&1 < /dev/null
echo $? > "$res/rust.rc"
echo "run-suite: done"
