#!/bin/sh
# The test network, set up in a fresh network namespace (UML's, or unshare -n natively):
#   lo up: 127.0.0.0/8 and ::1 are local, so 127.0.0.1-3 serve as a multi-homed peer;
#   127.0.1.0/24 is a blackhole: an SCTP INIT sent there vanishes, so a test can prove that an
#   association came up only through the other addresses it was given.
set -e
ip=ip
command -v ip >/dev/null 2>&1 || ip="busybox ip"
$ip link set lo up
$ip route add blackhole 127.0.1.0/24 table local
