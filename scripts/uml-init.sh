#!/bin/sh
# PID 1 of the User-Mode Linux guest (see sctp-env.sh). The root filesystem is the host's
# (hostfs), so the job, its tools and its results are the host's files. Loads SCTP, sets up the
# test network, runs $SCTP_RS_JOB under a timeout, records its exit status, powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=${SCTP_RS_HOME:-/root}
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev 2>/dev/null
# bash's process substitution <(...) needs /dev/fd.
[ -e /dev/fd ] || $bb ln -s /proc/self/fd /dev/fd
dir=$(dirname "$SCTP_RS_JOB")
{
  mods=/usr/lib/uml/modules/$(uname -r)/kernel
  # Order matters; without hmac.ko listen() fails with ENOSYS (the cookie HMAC cannot load).
  for m in crypto/hmac.ko lib/crc-ccitt.ko net/ipv6/ipv6.ko net/ipv4/udp_tunnel.ko \
           net/ipv6/ip6_udp_tunnel.ko net/sctp/sctp.ko; do
    $bb insmod "$mods/$m" || echo "uml-init: insmod $m failed"
  done
  sh "$(dirname "$0")/test-net.sh" || echo "uml-init: test network setup failed"
} > "$dir/init.log" 2>&1
timeout "${SCTP_RS_TIMEOUT:-1200}" sh "$SCTP_RS_JOB" > "$dir/job.log" 2>&1 < /dev/null
echo $? > "$dir/job.rc"
sync
$bb poweroff -f
