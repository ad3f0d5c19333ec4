#!/usr/bin/env bash
# netperfmeter over SCTP: a passive node whose data and control endpoints are each bound to two
# addresses with sctp_bindx (the data endpoint to two v4-mapped IPv6 addresses), and an active
# node, itself bound to two addresses (sctp_bindx), that runs two SCTP flows, each on an
# association of its own (1000-byte frames out and 500-byte frames back on flow 0; 300 and 200
# on flow 1), each on from second 1 to second 2 of a 3 s measurement. Every data and control
# message goes through sctp_send / sctp_recvmsg. Proves: the active node exits 0; in both
# directions of both flows every byte sent arrived, in messages of the flow's frame size, with
# the sequence numbers gapless, and nothing is counted lost (from netperfmeter's own config,
# scalar and vector files; the passive node uploads its own to the active one over the control
# association).
# (Not two flows on two streams of one association: netperfmeter 1.9.4's passive node then polls
# the association in a loop from its end to the end of the measurement, thousands of calls.)
# calls: sctp_bindx sctp_recvmsg sctp_send
source "$(dirname "$0")/lib.sh"

cd "$OUT" || exit 1

port=40320   # data; the control endpoint is port+1 (and MPTCP would be port-1)

app_bg passive netperfmeter $port -local=::ffff:127.0.0.1,::ffff:127.0.0.2 \
  -controllocal=127.0.0.1,127.0.0.2
passive=$APP_PID
wait_for /proc/net/sctp/eps " $((port + 1)) " 10
wait_for /proc/net/sctp/eps " $port " 10

# The flows come on 1 s into the measurement, not at once: the active node starts its flows
# before it sends the passive node NETPERFMETER_START (over the control association), and the
# passive node counts the frames that come before it processes that message but leaves them out
# of its vector file. A flow on from second 0 raced the message: under User-Mode Linux the START
# came up to 100 ms after the first frames in 5 runs of 34, in every mode (as is too), and
# the passive node's vector then began at sequence number 1.
app active netperfmeter 127.0.0.2:$port -local=127.0.0.1,127.0.0.3 \
  -controllocal=127.0.0.1,127.0.0.3 -runtime=3 -config=npm.config -vector=npm.vec \
  -scalar=npm.sca -sctp const10:const1000:const5:const500:onoff=1,+1 \
  -sctp const4:const300:const2:const200:onoff=1,+1 > active.out
rc=$?
stop $passive
check netperfmeter.active.exit $rc
# This run's passive node (not one left from elsewhere on the port) served the measurement.
check netperfmeter.passive.measurements "$(grep -c '^Starting measurement' passive.out)"
check netperfmeter.passive.results_uploaded "$(grep -c '^Uploading results .* okay' passive.out)"

# scalar FILE OBJECT NAME: a value from a scalar file (scalar "netPerfMeter.OBJECT" "NAME" VALUE).
scalar() {
  awk -v o="netPerfMeter.$2" -v n="$3" '{ split($0, f, "\"") } f[2] == o && f[4] == n { print $NF }' "$1"
}
# delivered SENT RECEIVED MESSAGES: "all, in messages of M bytes" or what went wrong. (How many
# bytes depends on the timing, hence not printed when all is well.)
delivered() {
  if [ -n "$1" ] && [ "$1" = "$2" ] && [ "${3:-0}" -gt 0 ] && [ $(($2 % $3)) = 0 ]; then
    echo "all bytes arrived, in messages of $(($2 / $3)) bytes"
  else
    echo "sent ${1:-?} bytes, received ${2:-?} bytes in ${3:-?} messages"
  fi
}
# gapless VECTOR: whether every frame a flow's vector file records carries the sequence number
# the count of frames received so far says it must (SeqNumber = AbsPackets - 1 on each line):
# nothing lost, duplicated or reordered. (The receiver may count a flow's first frame before the
# flow's vector is open and not record it, so the file need not start at 0; the count still
# includes it. Each line begins with a line number that the header does not name.)
gapless() {
  awk 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "SeqNumber") c = i + 1; if ($i == "AbsPackets") p = i + 1 }; next }
       { if ($c != $p - 1) bad = 1; n++ } END { print (c && p && n && !bad) ? "gapless" : "broken" }' "$1"
}
for f in 0 1; do
  pvec=$(sed -n "s/^FLOW${f}_VECTOR_PASSIVE_NODE=\"\(.*\)\"$/\1/p" npm.config)
  avec=$(sed -n "s/^FLOW${f}_VECTOR_ACTIVE_NODE=\"\(.*\)\"$/\1/p" npm.config)
  check netperfmeter.flow$f.protocol \
    "$(sed -n "s/^FLOW${f}_PROTOCOL=\"\(.*\)\"$/\1/p" npm.config)"
  check netperfmeter.flow$f.outbound "$(delivered \
    "$(scalar npm-active.sca "active.flow[$f]" "Transmitted Bytes")" \
    "$(scalar npm-passive.sca "passive.flow[$f]" "Received Bytes")" \
    "$(scalar npm-passive.sca "passive.flow[$f]" "Received Packets")")"
  check netperfmeter.flow$f.outbound_sequence "$(gapless "$pvec")"
  check netperfmeter.flow$f.inbound "$(delivered \
    "$(scalar npm-passive.sca "passive.flow[$f]" "Transmitted Bytes")" \
    "$(scalar npm-active.sca "active.flow[$f]" "Received Bytes")" \
    "$(scalar npm-active.sca "active.flow[$f]" "Received Packets")")"
  check netperfmeter.flow$f.inbound_sequence "$(gapless "$avec")"
done
check netperfmeter.lost_bytes "$(scalar npm-active.sca active.total "Lost Bytes")" \
  "$(scalar npm-passive.sca passive.total "Lost Bytes")"
