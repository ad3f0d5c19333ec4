#!/usr/bin/env bash
# stress-ng --sctp: one worker, over IPv4 and over IPv6, whose server process accepts
# associations on 127.0.0.1 / ::1 and writes messages with sctp_sendmsg while its client process
# reads them with sctp_recvmsg, until 200 bogo ops (one per successful sctp_sendmsg). Proves: the
# run ends by itself, successfully, having reached the 200 ops (stress-ng also says "successful
# run completed" when it skips a stressor, with 0 ops), and its metrics check passes.
# calls: sctp_recvmsg sctp_sendmsg
source "$(dirname "$0")/lib.sh"

ops=200

# one DOMAIN PORT
one() {
  local dom=$1 port=$2 rc log yaml bogo
  log=$OUT/$dom.err yaml=$OUT/$dom.yaml
  app "$dom" stress-ng -v --sctp 1 --sctp-ops "$ops" --sctp-port "$port" --sctp-domain "$dom" \
    -t 10 --metrics-brief -Y "$yaml" --temp-path "$OUT" > "$OUT/$dom.out"
  rc=$?
  check "stress-ng.$dom.exit" "$rc"
  check "stress-ng.$dom.port" \
    "$(sed -nE 's/^stress-ng: .* sctp: process \[[0-9]+\] using socket port ([0-9]+)$/\1/p' "$log")"
  check "stress-ng.$dom.stressor" "$(sed -nE 's/^ *- stressor: (.*)$/\1/p' "$yaml")"
  bogo=$(sed -nE 's/^ *bogo-ops: ([0-9]+)$/\1/p' "$yaml")
  if [ -n "$bogo" ] && [ "$bogo" -ge "$ops" ]; then bogo=yes; else bogo="no (${bogo:-none})"; fi
  check "stress-ng.$dom.bogo_ops>=$ops" "$bogo"
  check "stress-ng.$dom.metrics" \
    "$(sed -nE 's/^stress-ng: .* metrics-check: (.*)$/\1/p' "$log")"
  check "stress-ng.$dom.result" \
    "$(sed -nE 's/^stress-ng: .* (successful run completed|unsuccessful run completed).*$/\1/p' "$log")"
}

one ipv4 40210
one ipv6 40211
