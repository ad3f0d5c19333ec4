#!/usr/bin/env bash
# sctp_test (lksctp-tools): a one-to-many server (-l) bound to 127.0.0.1 that sctp_bindx()es
# 127.0.0.2, and a client (-s) that sctp_bindx()es 127.0.0.3 and sctp_connectx()es to 127.0.0.2 and
# 127.0.0.1: its INIT goes to the first, which only the server's bindx added. (The first -C address
# is also where sctp_test sendmsg()s, so it cannot be the blackhole.) The client sends 3 messages
# of 50 bytes; the server must report the association up, the 3 messages with their bytes and
# ppids (the client's, seeded by -r 1), and the shutdown.
# calls: sctp_bindx sctp_connectx
source "$(dirname "$0")/lib.sh"


app_bg server sctp_test -H 127.0.0.1 -P 40100 -B 127.0.0.2 -l
srv=$APP_PID
wait_for "$OUT/server.out" 'Server: Receiving packets' 10

# timeout 20: should the client hang, the script still ends (and stops the server) in time.
cli_out=$(app client timeout 20 sctp_test -H 127.0.0.1 -P 40101 -B 127.0.0.3 -C 127.0.0.2 -C 127.0.0.1 \
  -p 40100 -s -c -50 -x 1 -X 3 -r 1)
cli_rc=$?
wait_for "$OUT/server.out" 'SHUTDOWN_COMPLETE' 10
stop_tree "$srv"
s=$(cat "$OUT/server.out")

check sctp_test.client_exit "$cli_rc"
# sendmsg(sk=N, assoc=0)   50 bytes.  ->  "3 x 50 bytes"
check sctp_test.client_sent "$(grep -oE 'sendmsg\(sk=[0-9]+, assoc=[0-9]+\) +[0-9]+ bytes' <<< "$cli_out" |
  sed -E 's/.* ([0-9]+ bytes)/\1/' | uniq -c | awk '{print $1 " x " $2 " " $3}' | paste -sd' ')"
check sctp_test.client_ppids $(grep -oE 'ppid=[0-9]+' <<< "$cli_out" | cut -d= -f2)
check sctp_test.server_events $(grep -oE 'SCTP_ASSOC_CHANGE\([A-Z_]+\)' <<< "$s" | sed -E 's/.*\((.*)\)/\1/')
check sctp_test.server_comm_up "$(grep -A1 'SCTP_ASSOC_CHANGE(COMMUNICATION_UP)' <<< "$s" |
  grep -oE 'instr=[0-9]+ outstr=[0-9]+')"
# Data 50 bytes. First 10 bytes: 012345678  ->  "3 x Data 50 bytes. First 10 bytes: 012345678"
check sctp_test.server_data "$(grep -oE 'Data [0-9]+ bytes\..*' <<< "$s" | uniq -c |
  sed -E 's/^ *([0-9]+) /\1 x /' | paste -sd'|')"
# The first message after a notification comes without SNDRCV (sctp_test does not reset
# msg_controllen after one): the ppids of messages 2 and 3.
check sctp_test.server_ppids $(grep -oE 'SNDRCV\(stream=[0-9]+ ssn=[0-9]+ tsn=[0-9]+ flags=0x[0-9a-f]+ ppid=[0-9]+' <<< "$s" |
  sed -E 's/.*ppid=//')
