#!/usr/bin/env bash
# What the machine of a `make bench` run is (for BENCHMARKS.md).
echo "date:      $(date -u +%Y-%m-%d)"
echo "host:      $(uname -srm)"
echo "cpu:       $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
echo "kernel SCTP for the live path: Linux 6.1 (Debian's linux.uml) in User-Mode Linux, unless the host has SCTP"
echo "compilers: $(cc --version | head -n 1); $(rustc --version)"
echo "valgrind:  $(valgrind --version)"
echo "lksctp:    libsctp1 $(dpkg-query -W -f='${Version}' libsctp1 2>/dev/null)"
