# Sourced by every interop/<app>.sh. The runner (run.sh) sets MODE and OUT; an app script starts
# the real program only through `app` or `app_bg`, so that only that program runs on the library
# under test, with LD_DEBUG=bindings (into $OUT/ld.PID) and SCTP_RS_TRACE=1 (into its stderr):
#   asis     Debian's libsctp.so.1, as the program was built
#   preload  LD_PRELOAD=build/libsctp_rs.so
#   inplace  LD_LIBRARY_PATH=build, where our libsctp.so.1 stands in for Debian's
#   anywhere Debian's libsctp.so.1 with build/libsctp_anywhere.so preloaded and
#            SCTP_ANYWHERE=force: the program's SCTP on sctpd (interop/run-anywhere.sh)
# An app script prints only lines "<check>: <value>" that must be the same in all three modes
# (interop/expected/<app>.out), and declares the libsctp functions the program calls in a
# comment line "# calls: sctp_a sctp_b" (empty when it makes none).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${MODE:?MODE unset (asis, preload, inplace or anywhere)}" "${OUT:?OUT unset}"
case $MODE in
  asis) MODE_ENV=() ;;
  preload) MODE_ENV=(LD_PRELOAD="$TOP/build/libsctp_rs.so") ;;
  inplace) MODE_ENV=(LD_LIBRARY_PATH="$TOP/build") ;;
  anywhere) MODE_ENV=(LD_PRELOAD="$TOP/build/libsctp_anywhere.so" SCTP_ANYWHERE=force) ;;
  *) echo "lib.sh: unknown MODE $MODE" >&2; exit 2 ;;
esac

# app LABEL CMD [ARG...]: runs CMD on the library under test; its stdout goes to our stdout, its
# stderr (and the trace) to $OUT/LABEL.err.
app() {
  local label=$1; shift
  env "${MODE_ENV[@]}" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$OUT/ld" SCTP_RS_TRACE=1 "$@" \
    2>> "$OUT/$label.err"
}

# app_bg LABEL CMD [ARG...]: the same in the background, its stdout into $OUT/LABEL.out; the
# program's own pid is in $APP_PID (the subshell execs env, which execs the program).
app_bg() {
  local label=$1; shift
  (exec env "${MODE_ENV[@]}" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$OUT/ld" SCTP_RS_TRACE=1 "$@" \
    > "$OUT/$label.out" 2>> "$OUT/$label.err" < /dev/null) &
  APP_PID=$!
}

# check NAME VALUE...: one line of the app's verdict.
check() { local n=$1; shift; echo "$n: $*"; }

# wait_for FILE PATTERN [SECONDS]: waits until FILE has a line matching PATTERN (grep -E). When
# none comes within SECONDS (10) it prints a verdict line of its own, "<app>.timed_out: ...",
# that no expected output has, and returns 1: a run whose wait timed out fails and says which,
# instead of going on to take its checks from what is not there yet.
APP=$(basename "$0" .sh)
wait_for() {
  local f=$1 pat=$2 s=${3:-10} end
  # By the clock, not by a count of tries: under User-Mode Linux, with sctp_status's children
  # spinning beside it, each grep can take longer than the 0.1 s sleep.
  end=$((${EPOCHREALTIME/[.,]/} + s * 1000000))
  # In the anywhere mode /proc/net/sctp is sctpd's, as the shim shows it to the programs.
  local via=()
  [ "$MODE" = anywhere ] && [[ $f == /proc/net/sctp/* ]] && via=(env "${MODE_ENV[@]}")
  while :; do
    "${via[@]}" grep -qE -- "$pat" "$f" 2>/dev/null && return 0
    ((${EPOCHREALTIME/[.,]/} < end)) || break
    sleep 0.1
  done
  check "$APP.timed_out" "no line matching '$pat' in ${f#"$OUT"/} after $s s"
  return 1
}

# stop PID: ends a background program and waits for it (its exit status is not the verdict).
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; true; }

# finish PID: FINISHED = the exit status of a background program that ends by itself (waits up
# to 10 s; then stops it: "still running").
finish() {
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then stop "$1"; FINISHED="still running"
  else wait "$1"; FINISHED=$?; fi
}

# stop_tree PID...: stop each, after ending every process they forked (sctp_status forks a
# child that spins until it is killed), each by its pid, waiting until it is gone.
# The processes of all PIDs are listed before any is ended: a program that exits by itself once
# its peer has gone (sctp_status) would leave its children to init, out of reach of tree.
tree() { local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; tree "$c"; done; }
alive() {
  local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$st" ] && [ "$st" != Z ]
}
stop_tree() {
  local p kids=() k i
  for p; do kids+=($(tree "$p")); done
  [ ${#kids[@]} = 0 ] || kill "${kids[@]}" 2>/dev/null
  for k in "${kids[@]}"; do
    for ((i = 0; i < 50; i++)); do alive "$k" || break; sleep 0.1; done
  done
  for p; do stop "$p"; done
}
