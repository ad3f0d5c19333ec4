#!/usr/bin/env bash
# iperf3 --sctp with --xbind (-X): a one-off server (-s -1) sends exactly 1 MiB (-n 1M) to a
# client in reverse mode (-R), over IPv4 and over IPv6. With -X the server binds its listening
# SCTP socket only through sctp_bindx (no bind()); the client bind()s its first -X address and
# adds the others with sctp_bindx. Proves: the transfer completes (protocol SCTP, 1048576 bytes
# sent by the server and received by the client, which ends the test only once it has them all;
# without -R the server's count is racy in iperf3 itself); the client reaches the server on an
# address only the server's sctp_bindx bound (IPv4: 127.0.0.3, the second of its two addresses);
# the client's association runs from the address its own sctp_bindx added (127.0.0.1; ::1, which
# a socket bind()ed to ::ffff:127.0.0.1 could not use otherwise), not from the one it bind()s.
# calls: sctp_bindx
source "$(dirname "$0")/lib.sh"

# json FILE PATH... [-- FILE PATH...]: the value at each dotted PATH (list indexes are numbers)
# of the JSON document in FILE, one line each, "-" when it is missing. (Debian's python3 first:
# a pyenv shim takes seconds to start under User-Mode Linux.)
py=/usr/bin/python3; [ -x "$py" ] || py=python3
json() {
  "$py" - "$@" <<'PY'
import json, sys
args, doc, want_file = sys.argv[1:], None, True
for a in args:
    if a == "--":
        want_file = True
    elif want_file:
        try:
            doc = json.load(open(a))
        except Exception:
            doc = {}
        want_file = False
    else:
        v = doc
        for k in a.split("."):
            try:
                v = v[int(k)] if isinstance(v, list) else v[k]
            except Exception:
                v = None
                break
        print("-" if v is None else v)
PY
}

# one FAMILY PORT TARGET SERVER_XBIND... -- CLIENT_XBIND...
one() {
  local fam=$1 port=$2 target=$3 flag net srv rc a; shift 3
  local sx=() cx=()
  while [ "$1" != -- ]; do sx+=(-X "$1"); shift; done; shift
  for a in "$@"; do cx+=(-X "$a"); done
  case $fam in ipv4) flag=-4 net=/proc/net/tcp ;; ipv6) flag=-6 net=/proc/net/tcp6 ;; esac

  app_bg "server-$fam" iperf3 -s -1 "$flag" -p "$port" "${sx[@]}" --json
  srv=$APP_PID
  # A TCP socket listening (state 0A) on the port: iperf3's control connection.
  wait_for "$net" ":$(printf %04X "$port") [0:]+ 0A " 10
  app "client-$fam" timeout 20 iperf3 -c "$target" -p "$port" "$flag" --sctp "${cx[@]}" -R -n 1M \
    --json > "$OUT/client-$fam.json"
  rc=$?
  check "iperf3.$fam.client.exit" "$rc"
  finish "$srv"
  check "iperf3.$fam.server.exit" "$FINISHED"

  local v
  mapfile -t v <<< "$(json "$OUT/client-$fam.json" error start.test_start.protocol \
    start.test_start.reverse start.test_start.bytes start.connected.0.local_host \
    start.connected.0.remote_host start.connected.0.remote_port end.sum_received.bytes \
    end.sum_sent.bytes \
    -- "$OUT/server-$fam.out" error start.test_start.protocol start.connected.0.local_host \
    start.connected.0.local_port start.connected.0.remote_host end.sum_sent.bytes)"
  local c=("${v[@]:0:9}") s=("${v[@]:9}")
  check "iperf3.$fam.client.error" "${c[0]}"
  check "iperf3.$fam.client.protocol" "${c[1]}"
  check "iperf3.$fam.client.reverse" "${c[2]}"
  check "iperf3.$fam.client.bytes_requested" "${c[3]}"
  check "iperf3.$fam.client.association" "${c[4]} -> ${c[5]} port ${c[6]}"
  check "iperf3.$fam.client.bytes_received" "${c[7]}"
  check "iperf3.$fam.client.bytes_sent_by_server" "${c[8]}"
  check "iperf3.$fam.server.error" "${s[0]}"
  check "iperf3.$fam.server.protocol" "${s[1]}"
  check "iperf3.$fam.server.association" "${s[2]} port ${s[3]} <- ${s[4]}"
  check "iperf3.$fam.server.bytes_sent" "${s[5]}"
}

# Server: sctp_bindx(127.0.0.2, 127.0.0.3); client: bind(127.0.0.2) + sctp_bindx(127.0.0.1).
one ipv4 40200 127.0.0.3 127.0.0.2 127.0.0.3 -- 127.0.0.2 127.0.0.1
# Server: sctp_bindx(::1); client: bind(::ffff:127.0.0.1) + sctp_bindx(::1).
one ipv6 40201 ::1 ::1 -- ::ffff:127.0.0.1 ::1
