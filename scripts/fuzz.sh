#!/usr/bin/env bash
# fuzz.sh SECONDS TARGET...: runs each cargo-fuzz target (fuzz/fuzz_targets) with libFuzzer and
# AddressSanitizer on the host (no SCTP needed: the targets drive the parsers and packers from
# bytes), for SECONDS each (0: until stopped). Seeds: fuzz/corpus/<target> (committed, read
# only); what the run discovers goes to build/fuzz/corpus/<target>, crashes to
# build/fuzz/artifacts/<target>. Writes build/results/fuzz/<target>.{log,rc,runs}, which
# scripts/compare.py (verdict_fuzz.py) reads: each target must end without a finding.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=$1; shift
res=$top/build/results/fuzz
mkdir -p "$res"
cd "$top/fuzz" || exit 1
# Build every target once (the nightly toolchain: -Zsanitizer=address).
if ! cargo +nightly fuzz build --release --debug-assertions > "$res/build.log" 2>&1; then
  echo "fuzz: FAIL: cargo +nightly fuzz build (see $res/build.log)" >&2
  tail -n 30 "$res/build.log" >&2
  for t in "$@"; do echo build-failed > "$res/$t.rc"; done
  exit 1
fi
status=0
for t in "$@"; do
  mkdir -p "$top/build/fuzz/corpus/$t" "$top/build/fuzz/artifacts/$t"
  limit=()
  [ "$secs" -gt 0 ] && limit=(-max_total_time="$secs")
  cargo +nightly fuzz run --release --debug-assertions "$t" \
    "$top/build/fuzz/corpus/$t" "$top/fuzz/corpus/$t" -- \
    "${limit[@]}" -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$top/build/fuzz/artifacts/$t/" > "$res/$t.log" 2>&1
  rc=$?
  echo "$rc" > "$res/$t.rc"
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$res/$t.log" | tail -n 1)
  echo "${runs:-0}" > "$res/$t.runs"
  echo "fuzz: $t: exit $rc, ${runs:-0} executions in ${secs}s"
  [ "$rc" = 0 ] || status=1
done
exit $status
