/* The measurements of bench/anywhere.c with usrsctp in-process (Debian's libusrsctp, its own
 * API, no daemon, no shim): the floor that sctpd and the shim add their cost to. One stack in
 * this process over UDP encapsulation on 127.0.0.1 (port 9899 unless given), one one-to-one
 * association from it to itself, blocking usrsctp sockets, a thread per side, 4 MiB buffers
 * and no Nagle delay as in bench/anywhere.c (and as sctpd runs its stack).
 *
 *   usrsctp LABEL [SECONDS] [UDP_PORT]
 *
 * Prints the lines bench/anywhere.c prints, with the same checks (bench/measure.h). */
#define _GNU_SOURCE
#include "measure.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#define WHO "usrsctp bench"

static void die(const char *what)
{
	bench_die(WHO, what);
}

static ssize_t snd(void *s, const void *buf, size_t len)
{
	struct sctp_sndinfo si;
	memset(&si, 0, sizeof si);
	return usrsctp_sendv(s, buf, len, NULL, 0, &si, sizeof si, SCTP_SENDV_SNDINFO, 0);
}

static ssize_t rcv(void *s, void *buf, size_t len)
{
	struct sockaddr_storage from;
	socklen_t fl = sizeof from, il = 0;
	unsigned int it = 0;
	int flags = 0;
	return usrsctp_recvv(s, buf, len, (struct sockaddr *)&from, &fl, NULL, &il, &it, &flags);
}

static void pair(uint16_t udp, struct socket **c, struct socket **a)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(40700) };
	struct sctp_udpencaps enc;
	const int one = 1, buf = 4 << 20;
	struct socket *l = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (!l)
		die("usrsctp_socket");
	usrsctp_setsockopt(l, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	usrsctp_setsockopt(l, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (usrsctp_bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 || usrsctp_listen(l, 1) < 0)
		die("listen");
	*c = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (!*c)
		die("usrsctp_socket");
	usrsctp_setsockopt(*c, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	usrsctp_setsockopt(*c, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	memset(&enc, 0, sizeof enc);
	enc.sue_address.ss_family = AF_INET;
	enc.sue_port = htons(udp);
	usrsctp_setsockopt(*c, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof enc);
	if (usrsctp_connect(*c, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("connect");
	*a = usrsctp_accept(l, NULL, NULL);
	if (!*a)
		die("accept");
	usrsctp_close(l);
	/* Nagle's delay off, as sctpd runs its stack. */
	usrsctp_setsockopt(*c, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	usrsctp_setsockopt(*a, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
}

int main(int argc, char **argv)
{
	static const struct bench_io io = { WHO, snd, rcv };
	const char *label = argc > 1 ? argv[1] : "usrsctp in-process";
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	uint16_t udp = (uint16_t)(argc > 3 ? atoi(argv[3]) : 9899);
	struct socket *c, *a;
	/* Unprivileged, as sctpd runs it (a root usrsctp opens raw SCTP sockets). */
	if (getuid() == 0) {
		fprintf(stderr, "usrsctp bench: run it as an unprivileged user\n");
		return 2;
	}
	usrsctp_init(udp, NULL, NULL);
	usrsctp_sysctl_set_sctp_ecn_enable(1);
	usrsctp_sysctl_set_sctp_pr_enable(1);
	pair(udp, &c, &a);
	bench_run(&io, label, c, a, secs);
	usrsctp_close(c);
	usrsctp_close(a);
	return 0;
}
