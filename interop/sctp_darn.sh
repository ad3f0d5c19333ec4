#!/usr/bin/env bash
# sctp_darn (lksctp-tools): a one-to-many listener bound to 127.0.0.1 that sctp_bindx()es two more
# addresses (-B 127.0.0.2 -B 127.0.0.3), and a sender that sctp_bindx()es one (-B) and
# sctp_connectx()es to two (-c), the first blackholed (127.0.1.1), so the association comes up only
# through 127.0.0.2; the sender then lists the peer addresses with sctp_getpaddrs() (and frees
# them with sctp_freepaddrs()): all three of the listener's addresses. It sends two lines from
# stdin; the listener must print both, between COMM_UP and SHUTDOWN_COMP.
# calls: sctp_bindx sctp_connectx sctp_freepaddrs sctp_getpaddrs
source "$(dirname "$0")/lib.sh"


# The listener printf()s without fflush() and only a signal ends it: stdbuf -oL (which adds
# libstdbuf.so after whatever LD_PRELOAD holds, then execs sctp_darn) keeps its lines.
app_bg listener stdbuf -oL sctp_darn -H 127.0.0.1 -P 40120 -B 127.0.0.2 -B 127.0.0.3 -l
lst=$APP_PID
wait_for "$OUT/listener.out" 'listening' 10

# timeout 20: should the sender hang, the script still ends (and stops the listener) in time.
snd_out=$(printf 'hello sctp_darn\nsecond message\n' |
  app sender timeout 20 sctp_darn -H 127.0.0.1 -P 40121 -B 127.0.0.3 -c 127.0.1.1 -c 127.0.0.2 -p 40120 -s)
snd_rc=$?
wait_for "$OUT/listener.out" 'SHUTDOWN_COMP' 10
stop_tree "$lst"
l=$(cat "$OUT/listener.out")

# sctp_darn -s exits with the result of its last sendmsg(): the bytes of the last line, NUL included.
check sctp_darn.sender_exit "$snd_rc"
check sctp_darn.sender_events $(grep -oE 'Rec(ei|ie)ved SCTP_[A-Z_]+' <<< "$snd_out" | sed 's/.* //')
peers=$(sed -n '/^New connection, peer addresses$/,/>/p' <<< "$snd_out" | grep -E '^[0-9.]+:[0-9]+$')
check sctp_darn.peer_addrs "$(grep -c . <<< "$peers"):" $peers
check sctp_darn.listener_events $(grep -oE '^NOTIFICATION: ASSOC_CHANGE - [A-Z_]+' <<< "$l" | sed 's/.* //')
check sctp_darn.listener_data "$(grep -E '^DATA\(' <<< "$l" | paste -sd'|')"
