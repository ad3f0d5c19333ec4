#!/usr/bin/env bash
# anywhere-daemon.sh: sctpd itself, checked inside anywhere-env.sh (a network namespace of its
# own), as root the way CI runs it: it gives up root before the stack starts (user nobody, no
# capabilities, no_new_privs) and never holds a raw socket (usrsctp opens raw IPPROTO_SCTP
# sockets whenever it can, and a stack with one ABORTs the kernel's associations); its UDP
# sockets are on port 9899, IPv4 and IPv6; a second sctpd for the same name refuses (exit 3);
# --status and --stop; the ports below 1024 are for privileged programs only, as on Linux.
# Then c-tests/anywhere_restart.c: programs whose sctpd stops or is killed under them, and
# carry on once it is back. Writes build/results/anywhere/daemon.{out,rc};
# scripts/verdict_anywhere.py compares with c-tests/expected-anywhere/daemon.out.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
res=$b/results/anywhere
mkdir -p "$res"
log=$res/sctpd.daemon.log
out=$res/daemon.out
: > "$out"
: > "$log"
say() { echo "$1: $2" >> "$out"; }

"$b/sctpd" --daemon -v --log "$log"
say sctpd.daemon "exit $?"
pid=$("$b/sctpd" --status | grep -oE '[0-9]+' | head -1)
say sctpd.status "$([ -n "$pid" ] && echo "pid known" || echo "no pid")"
st=/proc/$pid/status
say sctpd.uid "$(awk '/^Uid:/ { print ($2 == 65534 && $3 == 65534 && $4 == 65534) ? "nobody (real, effective, saved)" : "uid " $2 " " $3 " " $4 }' "$st")"
say sctpd.gid "$(awk '/^Gid:/ { print ($2 == 65534 && $3 == 65534) ? "nogroup" : "gid " $2 " " $3 }' "$st")"
say sctpd.groups "$(awk '/^Groups:/ { print (NF == 1) ? "none" : NF - 1 " supplementary" }' "$st")"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
  v=$(awk -v k="$c:" '$1 == k { print $2 }' "$st")
  [ "$c" = CapBnd ] || say "sctpd.$c" "$([ "$v" = 0000000000000000 ] && echo none || echo "$v")"
done
say sctpd.no_new_privs "$(awk '/^NoNewPrivs:/ { print $2 }' "$st")"
# Its sockets by inode, against the namespace's tables.
inodes=$(for f in /proc/"$pid"/fd/*; do readlink "$f"; done 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
in_table() { awk -v ino="$2" 'NR > 1 && $10 == ino { n++ } END { print n + 0 }' "$1"; }
raw=0 udp4=0 udp6=0 ports=
for i in $inodes; do
  raw=$((raw + $(in_table /proc/net/raw "$i") + $(in_table /proc/net/raw6 "$i")))
  udp4=$((udp4 + $(in_table /proc/net/udp "$i")))
  udp6=$((udp6 + $(in_table /proc/net/udp6 "$i")))
  for t in /proc/net/udp /proc/net/udp6; do
    for hex in $(awk -v ino="$i" 'NR > 1 && $10 == ino { n = split($2, a, ":"); print a[n] }' "$t"); do
      ports="$ports $((16#$hex))"
    done
  done
done
say sctpd.raw_sockets "$raw"
say sctpd.udp_sockets "IPv4 $udp4, IPv6 $udp6"
say sctpd.udp_ports "$(echo $ports | tr ' ' '\n' | sort -u | paste -sd' ')"
"$b/sctpd" --daemon -v --log "$log"
say sctpd.second "exit $?"
# Ports below 1024 need the program's CAP_NET_BIND_SERVICE, as on Linux (sctpd has none itself).
for who in root nobody; do
  for port in 80 1023 1024; do
    as=()
    [ "$who" = nobody ] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    say "bind.$who.port_$port" "$("${as[@]}" env SCTP_ANYWHERE=force LD_PRELOAD="$b/libsctp_anywhere.so" \
      "$b/c-tests/sctp_rs/anywhere_peer" bind 127.0.0.1 "$port" one_to_many 2>&1 | sed 's/^bind: //')"
  done
done

SCTPD=$b/sctpd SCTPD_LOG=$log SCTP_ANYWHERE=force LD_PRELOAD=$b/libsctp_anywhere.so \
  timeout 120 "$b/c-tests/sctp_rs/anywhere_restart" >> "$out" 2> "$res/daemon.err" < /dev/null
echo $? > "$res/daemon.rc"
"$b/sctpd" --stop > /dev/null
say sctpd.stop "exit $?"
# Each --stop (the restart test's and this one) aborts the associations before sctpd exits.
say sctpd.stops_logged "$(grep -c 'stopping: aborting' "$log")"
"$b/sctpd" --status > /dev/null
say sctpd.status_after_stop "exit $?"
