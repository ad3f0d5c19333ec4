#!/usr/bin/env bash
# sctp-env.sh CMD [ARG...]: runs CMD on a real kernel SCTP stack and exits with its status.
#
# Natively when this kernel has SCTP (in a fresh network namespace, so that the test network of
# test-net.sh can be set up without touching the host's); otherwise inside User-Mode Linux:
# linux.uml boots Debian's 6.1 kernel as an ordinary process with the host's / as its root,
# loads SCTP and runs CMD as a child of its PID 1. If neither is possible it fails loudly: a
# test must never pass without SCTP. SCTP_RS_ENV=uml forces UML, =native forces native.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
mode=${SCTP_RS_ENV:-auto}
timeout_s=${SCTP_RS_TIMEOUT:-1200}
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }

mkdir -p "$build"
if [ ! -x "$build/sctp-probe" ] || [ "$top/scripts/sctp-probe.c" -nt "$build/sctp-probe" ]; then
  cc -O1 -o "$build/sctp-probe" "$top/scripts/sctp-probe.c"
fi

if [ "$mode" = auto ]; then
  if "$build/sctp-probe" >/dev/null; then mode=native; else mode=uml; fi
fi

if [ "$mode" = native ]; then
  "$build/sctp-probe" || { echo "sctp-env: FAIL: native mode, but this kernel has no SCTP" >&2; exit 1; }
  echo "sctp-env: host kernel $(uname -r) has SCTP: running natively in a new network namespace" >&2
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "sctp-env: FAIL: native runs need root and unshare(1) to set up the test network" >&2
    exit 1
  fi
  printf -v cmd '%q ' "$@"
  exec unshare --net -- sh -c "sh '$top/scripts/test-net.sh' && exec timeout $timeout_s $cmd"
fi

uml=$(command -v linux.uml || true)
if [ -z "$uml" ]; then
  echo "sctp-env: FAIL: this kernel has no SCTP and linux.uml is missing (apt-get install user-mode-linux busybox-static; make deps does it)" >&2
  exit 1
fi
[ -x /bin/busybox ] || { echo "sctp-env: FAIL: /bin/busybox missing (busybox-static)" >&2; exit 1; }

# A run directory of its own, so that several runs can go on at once.
mkdir -p "$build/uml"
run=$(mktemp -d "$build/uml/run.XXXXXX")
printf -v cmd '%q ' "$@"
cat > "$run/job.sh" <<JOB
cd $(printf '%q' "$PWD")
export PATH=$(printf '%q' "$PATH")
exec $cmd
JOB
echo "sctp-env: host kernel $(uname -r) has no SCTP: running in User-Mode Linux ($uml)" >&2
# linux.uml exits 0 whatever happens: the job's status comes back through $run/job.rc.
timeout $((timeout_s + 120)) "$uml" mem=1G rootfstype=hostfs rootflags=/ rw \
  init="$top/scripts/uml-init.sh" con=null con0=fd:0,fd:1 quiet \
  SCTP_RS_JOB="$run/job.sh" SCTP_RS_TIMEOUT="$timeout_s" SCTP_RS_HOME="$HOME" \
  < /dev/null > "$run/console.log" 2>&1 || true
[ -f "$run/init.log" ] && grep -h 'failed' "$run/init.log" >&2 || true
if [ ! -f "$run/job.rc" ]; then
  echo "sctp-env: FAIL: User-Mode Linux did not run the job; console log ($run/console.log):" >&2
  tail -n 30 "$run/console.log" >&2
  exit 1
fi
cat "$run/job.log"
rc=$(cat "$run/job.rc")
[ "$rc" = 0 ] && rm -rf "$run"
[ "$rc" = 124 ] && echo "sctp-env: FAIL: the job timed out after ${timeout_s}s" >&2
exit "$rc"
