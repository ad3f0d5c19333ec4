#!/usr/bin/env bash
# gensio (gensiot, libgensioosh) over SCTP: an accepter on two addresses (bind, then sctp_bindx for
# the second) and a connector bound to two addresses of its own (laddr: sctp_bindx for each) that
# connects with sctp_connectx to a list whose first address is in the blackhole 127.0.1.0/24, so
# that the association can only come up through the other address sctp_connectx was given (after
# the INIT to the first one times out, about 3 s). The connector sends a known 108894-byte text
# file (sctp_sendv), the accepter writes what it receives (sctp_recvmsg) to a file; both print
# their local (sctp_getladdrs / sctp_freeladdrs) and remote (sctp_getpaddrs / sctp_freepaddrs)
# addresses when the connection opens. Proves: both exit 0; the accepter listens on both
# addresses; each side sees the other's two addresses, and its own; the file arrived byte-exact.
# calls: sctp_bindx sctp_connectx sctp_freeladdrs sctp_freepaddrs sctp_getladdrs sctp_getpaddrs sctp_recvmsg sctp_sendv
source "$(dirname "$0")/lib.sh"

cd "$OUT" || exit 1

port=40350   # the accepter's; the connector binds to 40351

# gensio resolves every address with getaddrinfo(AI_ADDRCONFIG), and glibc then finds no address
# at all ("Unable to find a valid name on the name server") unless some IPv4 address other than
# 127.0.0.1 is configured: with only lo up, as in the test network, there is none. So 127.0.0.2,
# local anyway (127.0.0.0/8 is on lo), becomes an address of lo for the time of this run.
ip=ip
command -v ip > /dev/null 2>&1 || ip="busybox ip"
added=
if ! $ip -4 addr show dev lo | grep -q ' 127\.0\.0\.2/'; then
  $ip addr add 127.0.0.2/8 dev lo && added=1
fi
unadd() { [ -z "$added" ] || $ip addr del 127.0.0.2/8 dev lo; added=; }
trap unadd EXIT
trap 'exit 143' TERM INT

seq 1 20000 > payload.txt
rm -f received.txt

# -p: the addresses it listens on; -l / -r: the local / remote addresses of the connection.
app_bg accepter gensiot -a -p -l -r -i 'file(outfile=received.txt,create)' \
  "sctp,ipv4,127.0.0.1,$port,ipv4,127.0.0.2,$port"
accepter=$APP_PID
wait_for /proc/net/sctp/eps " $port " 10

app connector gensiot -l -r -i 'file(infile=payload.txt)' \
  "sctp(laddr=\"ipv4,127.0.0.1,$((port + 1)),ipv4,127.0.0.3,$((port + 1))\"),ipv4,127.0.1.1,$port,ipv4,127.0.0.2,$port" \
  > connector.out
check gensio.connector.exit $?

# The accepter exits by itself once the connector has closed the association.
finish $accepter
check gensio.accepter.exit "$FINISHED"

# addrs FILE LABEL: the addresses gensiot printed (to stderr) on lines "LABEL n(m): addr", space
# separated.
addrs() { sed -n "s/^$2 [0-9]*([0-9]*): //p" "$1" | tr '\n' ' ' | sed 's/ $//'; }
check gensio.accepter.listens "$(addrs accepter.err Address)"
check gensio.accepter.local "$(addrs accepter.err 'Local Address')"
check gensio.accepter.remote "$(addrs accepter.err 'Remote Address')"
check gensio.connector.local "$(addrs connector.err 'Local Address')"
check gensio.connector.remote "$(addrs connector.err 'Remote Address')"
check gensio.received.bytes "$(wc -c < received.txt)"
check gensio.received.sha256 "$(sha256sum < received.txt | cut -d' ' -f1)"
check gensio.received.same_as_sent "$(cmp -s payload.txt received.txt && echo yes || echo no)"
