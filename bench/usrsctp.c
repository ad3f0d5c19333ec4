/* The measurements of bench/anywhere.c with usrsctp in-process (Debian's libusrsctp, its own
 * API, no daemon, no shim): the floor that sctpd and the shim add their cost to. One stack in
 * this process over UDP encapsulation on 127.0.0.1 (port 9899 unless given), one one-to-one
 * association from it to itself, blocking usrsctp sockets, a thread per side, 4 MiB buffers
 * and no Nagle delay as in bench/anywhere.c (and as sctpd runs its stack).
 *
 *   usrsctp LABEL [SECONDS] [UDP_PORT]
 *
 * Prints the lines bench/anywhere.c prints, with the same checks. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

static void die(const char *what)
{
	fprintf(stderr, "usrsctp bench: FATAL: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char pattern(uint32_t seq, size_t i)
{
	return (unsigned char)(seq * 7 + i * 13);
}

static ssize_t snd(struct socket *s, const void *buf, size_t len)
{
	struct sctp_sndinfo si;
	memset(&si, 0, sizeof si);
	return usrsctp_sendv(s, buf, len, NULL, 0, &si, sizeof si, SCTP_SENDV_SNDINFO, 0);
}

static ssize_t rcv(struct socket *s, void *buf, size_t len)
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

struct tx {
	struct socket *s;
	size_t size;
	double until;
	uint32_t sent;
};

static void *sender(void *arg)
{
	struct tx *t = arg;
	static unsigned char buf[16384];
	while (now() < t->until) {
		uint32_t seq = t->sent;
		memcpy(buf, &seq, sizeof seq);
		buf[4] = pattern(seq, 4);
		buf[t->size - 1] = pattern(seq, t->size - 1);
		if (snd(t->s, buf, t->size) != (ssize_t)t->size)
			die("send");
		t->sent++;
	}
	if (snd(t->s, buf, 1) != 1)
		die("send (end)");
	return NULL;
}

static void throughput(const char *label, struct socket *c, struct socket *a, size_t size,
		       double secs)
{
	static unsigned char buf[16384 + 1];
	struct tx t = { .s = c, .size = size };
	pthread_t th;
	uint32_t got = 0;
	double t0 = now(), t1;
	t.until = t0 + secs;
	pthread_create(&th, NULL, sender, &t);
	for (;;) {
		ssize_t n = rcv(a, buf, sizeof buf);
		uint32_t seq;
		if (n == 1)
			break;
		if (n != (ssize_t)size)
			die("recv: a message of the wrong length");
		memcpy(&seq, buf, sizeof seq);
		if (seq != got || buf[4] != pattern(seq, 4) || buf[size - 1] != pattern(seq, size - 1)) {
			fprintf(stderr, "usrsctp bench: FATAL: message %u arrived as %u, or damaged\n",
				got, seq);
			exit(1);
		}
		got++;
	}
	t1 = now();
	pthread_join(th, NULL);
	if (got != t.sent) {
		fprintf(stderr, "usrsctp bench: FATAL: %u sent, %u received\n", t.sent, got);
		exit(1);
	}
	printf("%s\tthroughput %zu B\t%.0f\tmessages/s\n", label, size, got / (t1 - t0));
	printf("%s\tthroughput %zu B\t%.1f\tMB/s\n", label, size, got * (double)size / (t1 - t0) / 1e6);
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

struct echo {
	struct socket *s;
	int n;
};

static void *echoer(void *arg)
{
	struct echo *e = arg;
	char buf[64];
	for (int i = 0; i < e->n; i++) {
		if (rcv(e->s, buf, sizeof buf) != 64 || snd(e->s, buf, 64) != 64)
			die("echo");
	}
	return NULL;
}

static void latency(const char *label, struct socket *c, struct socket *a)
{
	enum { N = 2000 };
	static double rtt[N];
	char buf[64] = "ping";
	struct echo e = { .s = a, .n = N };
	pthread_t th;
	pthread_create(&th, NULL, echoer, &e);
	for (int i = 0; i < N; i++) {
		double t0 = now();
		if (snd(c, buf, 64) != 64 || rcv(c, buf, sizeof buf) != 64)
			die("ping");
		rtt[i] = now() - t0;
	}
	pthread_join(th, NULL);
	qsort(rtt, N, sizeof rtt[0], cmp);
	printf("%s\tround trip 64 B, median\t%.1f\tus\n", label, rtt[N / 2] * 1e6);
	printf("%s\tround trip 64 B, 99th percentile\t%.1f\tus\n", label, rtt[N * 99 / 100] * 1e6);
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "usrsctp in-process";
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	uint16_t udp = (uint16_t)(argc > 3 ? atoi(argv[3]) : 9899);
	struct socket *c, *a;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Unprivileged, as sctpd runs it (a root usrsctp opens raw SCTP sockets). */
	if (getuid() == 0) {
		fprintf(stderr, "usrsctp bench: run it as an unprivileged user\n");
		return 2;
	}
	usrsctp_init(udp, NULL, NULL);
	usrsctp_sysctl_set_sctp_ecn_enable(1);
	usrsctp_sysctl_set_sctp_pr_enable(1);
	pair(udp, &c, &a);
	latency(label, c, a);
	throughput(label, c, a, 1024, secs);
	throughput(label, c, a, 16384, secs);
	usrsctp_close(c);
	usrsctp_close(a);
	return 0;
}
