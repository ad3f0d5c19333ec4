#!/usr/bin/env bash
# sctp_status (lksctp-tools): a one-to-one (SOCK_STREAM) server and a client, each forking a child
# that prints the association's SCTP_STATUS (-f file) while the parent exchanges data: the client
# sends 3 messages of 100 bytes, the server must count them, and both status tables must show the
# association ESTABLISHED over an ACTIVE primary path with 10 streams each way. sctp_status does
# not link libsctp and makes no libsctp call: nothing may be bound to or traced through sctp_rs.
# calls:
source "$(dirname "$0")/lib.sh"


# The server receives 2 rounds (-x 2) of 3 messages (-X 3): after the client's 3 it waits in the
# second round. The client sends 3 messages of 100 bytes (-c 100) and then waits to read (-D -I 3).
# So both parents, and their status children, are still there when the checks are taken.
#
# Both run with SIGPROF blocked (env --block-signal, inherited by the status child). The status
# child arms ITIMER_PROF (SIGPROF every 5 ms of its CPU time) and then writes its table with a
# direct call of printstatus(), the function that is also its SIGPROF handler; printstatus keeps
# static state (count, cwnd), unlink()s the file on its first call and writes through stdio, none
# of it safe against itself. Under User-Mode Linux that first call takes milliseconds, and when
# SIGPROF lands in it the table is lost or scrambled: the handler writes header and row 1, then
# the interrupted call unlink()s the file (empty for good), or the handler appends a row 2 before
# the interrupted call flushes header and row 1 (line 1 is then not the header). Blocked, SIGPROF
# is never handled: the one table is the first call's, header and row 1 in one write().
app_bg server env --block-signal=PROF sctp_status -H 127.0.0.1 -P 40150 -l -x 2 -X 3 -d 1 \
  -f "$OUT/server.status"
srv=$APP_PID
wait_for "$OUT/server.out" 'accept\(' 10
app_bg client env --block-signal=PROF sctp_status -H 127.0.0.1 -P 40151 -h 127.0.0.1 -p 40150 \
  -s -x 1 -X 3 -c 100 -D -I 3 -d 1 -f "$OUT/client.status"
cli=$APP_PID
wait_for "$OUT/server.out" 'Receiving packets\.\(2/2\)' 10
wait_for "$OUT/client.out" 'recvmsg\(' 10
wait_for "$OUT/server.status" '^1 ' 10
wait_for "$OUT/client.status" '^1 ' 10
# Both at once: once the client has gone, the server's parent ends by itself, and without SIGPROF
# its status child would no longer notice the association gone (nor be a child of the server).
stop_tree "$cli" "$srv"

# The first row of a status table, as NAME=VALUE for the columns that do not depend on timing
# (nor on the path MTU of this kernel's loopback).
status() {
  awk 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
       $1 == 1 { for (i = 1; i <= NF; i++)
                   if (h[i] ~ /^(STATE|INSTRMS|OUTSTRMS|SPINFO-STATE)$/)
                     printf "%s%s=%s", (n++ ? " " : ""), h[i], $i
                 print ""; exit }' "$1"
}

c=$(cat "$OUT/client.out")
s=$(cat "$OUT/server.out")
check sctp_status.client_sent "$(grep -oE 'sendmsg\(sk=[0-9]+, assoc=[0-9]+\) +[0-9]+ bytes' <<< "$c" |
  sed -E 's/.* ([0-9]+ bytes)/\1/' | uniq -c | awk '{print $1 " x " $2 " " $3}' | paste -sd' ')"
# The server's first round, "Receiving packets.(1/2)" up to "(2/2)": its "count N" lines.
check sctp_status.server_received $(sed -n '/Receiving packets\.(1\/2)/,/Receiving packets\.(2\/2)/p' <<< "$s" |
  grep -oE 'returned 0|count [0-9]+' | tr ' ' =)
check sctp_status.client_status "$(status "$OUT/client.status")"
check sctp_status.server_status "$(status "$OUT/server.status")"
