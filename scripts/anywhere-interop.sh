#!/usr/bin/env bash
# anywhere-interop.sh kernel|hosts: SCTP-anywhere talking to other hosts, over a veth link
# between two network namespaces, each acting as a host (10.99.0.1 and 10.99.0.2), both ways
# (each side the server once), one-to-one and one-to-many, with c-tests/anywhere_peer.c on both
# ends (3 messages echoed, a graceful shutdown).
#
#   kernel  run inside scripts/sctp-env.sh (the kernel has SCTP: natively or in User-Mode
#           Linux). Host A is the kernel's own SCTP with UDP encapsulation on
#           (net.sctp.udp_port=9899, net.sctp.encap_port=9899); host B, a namespace of its own,
#           runs sctpd (UDP port 9899 there: no collision) and the program under the shim.
#   hosts   run natively as root (no kernel SCTP needed): each namespace runs its own sctpd
#           and its program under the shim.
#
# Writes build/results/anywhere/<mode>.out ("<server host>_server.<style>.<line>" and
# "<client host>_client.<style>.<line>"), and the sctpd logs beside it;
# scripts/verdict_anywhere.py compares with c-tests/expected-anywhere/<mode>.out.
set -u
mode=${1:?usage: anywhere-interop.sh kernel|hosts}
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
res=$b/results/anywhere
mkdir -p "$res"
out=$res/$mode.out
: > "$out"
peer=$b/c-tests/sctp_rs/anywhere_peer
shim=$b/libsctp_anywhere.so
say() { echo "$1: $2" >> "$out"; }

if [ "$(id -u)" != 0 ]; then
  say setup "FAIL: needs root (network namespaces)"
  exit 1
fi
if ! ip link add name ktmp type veth peer name ktmp2 2>/dev/null; then
  # User-Mode Linux: Debian's module tree for it, loaded with busybox's insmod (as uml-init.sh
  # loads SCTP); a native kernel: modprobe.
  busybox insmod "/usr/lib/uml/modules/$(uname -r)/kernel/drivers/net/veth.ko" 2>/dev/null ||
    modprobe veth 2>/dev/null
else
  ip link del ktmp
fi

# Each host is a network namespace held by a sleeping process (host A: this namespace in kernel
# mode).
holders=()
cleanup() {
  for h in "${holders[@]}"; do kill "$h" 2>/dev/null; done
}
trap cleanup EXIT
new_ns() { unshare -n sleep 600 & holders+=($!); sleep 0.2; }
if [ "$mode" = kernel ]; then
  a=() # this namespace
  b_pid=; new_ns; b_pid=${holders[-1]}
  ip link add name va type veth peer name vb || { say setup "FAIL: no veth link"; exit 1; }
  ip link set vb netns "$b_pid"
  ip link set lo up; ip addr add 10.99.0.1/24 dev va; ip link set va up
  sysctl -q -w net.sctp.udp_port=9899 net.sctp.encap_port=9899 || say setup "FAIL: the kernel has no UDP encapsulation"
  in_a() { "$@"; }
else
  new_ns; a_pid=${holders[-1]}; new_ns; b_pid=${holders[-1]}
  nsenter -t "$a_pid" -n ip link add name va type veth peer name vb || { say setup "FAIL: no veth link"; exit 1; }
  nsenter -t "$a_pid" -n ip link set vb netns "$b_pid"
  nsenter -t "$a_pid" -n sh -c 'ip link set lo up; ip addr add 10.99.0.1/24 dev va; ip link set va up'
  in_a() { nsenter -t "$a_pid" -n "$@"; }
fi
in_b() { nsenter -t "$b_pid" -n "$@"; }
in_b sh -c 'ip link set lo up; ip addr add 10.99.0.2/24 dev vb; ip link set vb up'

# The program on host A: the kernel's SCTP (kernel mode) or sctpd's; on host B always sctpd's.
if [ "$mode" = kernel ]; then
  run_a() { in_a "$peer" "$@"; }
  ka=kernel
else
  in_a "$b/sctpd" --daemon -v --log "$res/sctpd.hosts-a.log" || say setup "FAIL: sctpd on host A"
  run_a() { in_a env SCTP_ANYWHERE=force LD_PRELOAD="$shim" "$peer" "$@"; }
  ka=sctpd_a
fi
in_b "$b/sctpd" --daemon -v --log "$res/sctpd.$mode-b.log" || say setup "FAIL: sctpd on host B"
run_b() { in_b env SCTP_ANYWHERE=force LD_PRELOAD="$shim" "$peer" "$@"; }
kb=sctpd_b
[ "$mode" = kernel ] || kb=sctpd_b

# pair SERVER_HOST SERVER_ADDR CLIENT_HOST STYLE PORT
pair() {
  local srv=$1 addr=$2 cli=$3 style=$4 port=$5 so=$res/$mode.server.tmp sp i
  "run_$srv" server "$addr" "$port" "$style" > "$so" 2>&1 &
  sp=$!
  for ((i = 0; i < 100; i++)); do grep -q '^server.listening' "$so" && break; sleep 0.1; done
  local sname cname
  if [ "$srv" = a ]; then sname=$ka cname=$kb; else sname=$kb cname=$ka; fi
  "run_$cli" client "$addr" "$port" "$style" 2>&1 | sed "s/^/${cname}_client.$style./" >> "$out"
  wait "$sp"
  sed "s/^/${sname}_server.$style./" "$so" >> "$out"
  rm -f "$so"
}
port=40600
for style in one_to_one one_to_many; do
  pair a 10.99.0.1 b "$style" $((port++))
  pair b 10.99.0.2 a "$style" $((port++))
done
[ "$mode" = kernel ] || in_a "$b/sctpd" --stop > /dev/null
in_b "$b/sctpd" --stop > /dev/null
exit 0
