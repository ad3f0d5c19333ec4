/* Throughput and latency through the SCTP socket API, whatever stack serves the process: the
 * kernel's, or sctpd's under the shim (SCTP_ANYWHERE=force LD_PRELOAD=libsctp_anywhere.so).
 * bench/usrsctp.c measures the same with usrsctp in-process; scripts/bench-anywhere.sh runs
 * them side by side (make bench).
 *
 *   anywhere LABEL [SECONDS]
 *
 * One one-to-one association on 127.0.0.1. Throughput: a sender thread writes messages of
 * 1 KiB and of 16 KiB for SECONDS (default 1) each; the receiver checks every message (length,
 * a sequence number, the pattern's first and last bytes) and the run fails loudly on any
 * difference. Latency: 64-byte messages echoed, one at a time, 2000 round trips: the median
 * and the 99th percentile. Prints tab-separated lines "LABEL case value unit". Timings vary
 * from run to run: compare the lines of one run. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "anywhere bench: FATAL: %s: %s\n", what, strerror(errno));
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

/* A connected one-to-one pair on 127.0.0.1: *c the client, *a the accepted socket. */
static void pair(int *c, int *a)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t l = sizeof sa;
	int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), buf = 4 << 20, one = 1;
	if (s < 0)
		die("socket");
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	/* As bench/throughput.c and signalling stacks run: 4 MiB buffers (the accepted socket
	 * inherits the listener's), no Nagle delay. */
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 1) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &l) < 0)
		die("listen");
	*c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (*c < 0)
		die("socket");
	setsockopt(*c, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	setsockopt(*c, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	setsockopt(*c, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	if (connect(*c, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("connect");
	*a = accept(s, NULL, NULL);
	if (*a < 0)
		die("accept");
	close(s);
}

struct tx {
	int fd;
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
		if (send(t->fd, buf, t->size, 0) != (ssize_t)t->size)
			die("send");
		t->sent++;
	}
	/* The end: a 1-byte message. */
	if (send(t->fd, buf, 1, 0) != 1)
		die("send (end)");
	return NULL;
}

static void throughput(const char *label, int c, int a, size_t size, double secs)
{
	static unsigned char buf[16384 + 1];
	struct tx t = { .fd = c, .size = size };
	pthread_t th;
	uint32_t got = 0;
	double t0 = now(), t1;
	t.until = t0 + secs;
	pthread_create(&th, NULL, sender, &t);
	for (;;) {
		ssize_t n = recv(a, buf, sizeof buf, 0);
		uint32_t seq;
		if (n == 1)
			break;
		if (n != (ssize_t)size)
			die("recv: a message of the wrong length");
		memcpy(&seq, buf, sizeof seq);
		if (seq != got || buf[4] != pattern(seq, 4) || buf[size - 1] != pattern(seq, size - 1)) {
			fprintf(stderr, "anywhere bench: FATAL: message %u arrived as %u, or damaged\n",
				got, seq);
			exit(1);
		}
		got++;
	}
	t1 = now();
	pthread_join(th, NULL);
	if (got != t.sent) {
		fprintf(stderr, "anywhere bench: FATAL: %u sent, %u received\n", t.sent, got);
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
	int fd, n;
};

static void *echoer(void *arg)
{
	struct echo *e = arg;
	char buf[64];
	for (int i = 0; i < e->n; i++) {
		if (recv(e->fd, buf, sizeof buf, 0) != 64 || send(e->fd, buf, 64, 0) != 64)
			die("echo");
	}
	return NULL;
}

static void latency(const char *label, int c, int a)
{
	enum { N = 2000 };
	static double rtt[N];
	char buf[64] = "ping";
	struct echo e = { .fd = a, .n = N };
	pthread_t th;
	pthread_create(&th, NULL, echoer, &e);
	for (int i = 0; i < N; i++) {
		double t0 = now();
		if (send(c, buf, 64, 0) != 64 || recv(c, buf, sizeof buf, 0) != 64)
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
	const char *label = argc > 1 ? argv[1] : "socket API";
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	int c, a;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pair(&c, &a);
	latency(label, c, a);
	throughput(label, c, a, 1024, secs);
	throughput(label, c, a, 16384, secs);
	close(c);
	close(a);
	return 0;
}
