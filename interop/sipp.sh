#!/usr/bin/env bash
# sipp (sip-tester) over SCTP (-t s1): a UAS and a UAC, both multihomed (-bind_local -multihome:
# sctp_bindx adds a second local address) with SCTP heartbeats (-heartbeat: on COMM_UP sipp lists
# the peer's addresses with sctp_getpaddrs and sets SCTP_PEER_ADDR_PARAMS on each), run 3 full
# INVITE/180/200/ACK/BYE/200 calls; every SIP message goes out with sctp_send and comes in with
# sctp_recvmsg. Proves: both sides exit 0 and count 3 successful, 0 failed calls, and neither
# warns that its multihome bind, sctp_getpaddrs or the per-address parameters failed.
# calls: sctp_bindx sctp_freepaddrs sctp_getpaddrs sctp_recvmsg sctp_send
source "$(dirname "$0")/lib.sh"

cd "$OUT" || exit 1

uas_port=40301
uac_port=40302
calls=3

# The built-in uas scenario keeps each call 4 s in <timewait> after its last 200. When the UAC
# has gone by then, sipp (3.6.1) keeps polling the shut-down association and counts every
# sctp_recvmsg returning 0 as an error: thousands of calls, as many as the time allows. The same
# scenario without the timewait ends each call at its last 200.
app sd sipp -sd uas | grep -v '<timewait' > uas.xml

# -m N: exit once N calls are done; exit status 0 only if all of them succeeded.
app_bg uas sipp -t s1 -sf uas.xml -i 127.0.0.1 -p $uas_port -bind_local -multihome 127.0.0.2 \
  -heartbeat 1000 -m $calls -trace_stat -stf uas.csv -timeout 30s -timeout_error -nostdin
uas=$APP_PID
wait_for /proc/net/sctp/eps " $uas_port " 10

app uac sipp -t s1 -sn uac -i 127.0.0.1 -p $uac_port -bind_local -multihome 127.0.0.3 \
  -heartbeat 1000 -m $calls -r 10 -trace_stat -stf uac.csv -timeout 30s -timeout_error -nostdin \
  127.0.0.1:$uas_port > uac.out
check sipp.uac.exit $?

# The UAS exits by itself after its N calls.
finish $uas
check sipp.uas.exit "$FINISHED"

# stat NAME CSV: the cumulative counter NAME from the last line of sipp's -trace_stat file.
stat() {
  awk -F';' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                       { v = $c } END { print (c ? v : "missing") }' "$2"
}
for side in uac uas; do
  check sipp.$side.calls_created "$(stat 'TotalCallCreated' $side.csv)"
  check sipp.$side.calls_successful "$(stat 'SuccessfulCall(C)' $side.csv)"
  check sipp.$side.calls_failed "$(stat 'FailedCall(C)' $side.csv)"
  check sipp.$side.sctp_warnings \
    "$(grep -v '^sctp_rs: ' $side.err | grep -cE "multihome address|sctp_getpaddrs, errno|SCTP_PEER_ADDR_PARAMS")"
done
