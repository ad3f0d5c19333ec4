/* Throughput and latency through the SCTP socket API, whatever stack serves the process: the
 * kernel's, or sctpd's under the shim (SCTP_ANYWHERE=force LD_PRELOAD=libsctp_anywhere.so).
 * bench/usrsctp.c measures the same with usrsctp in-process; scripts/bench-anywhere.sh runs
 * them side by side (make bench).
 *
 *   anywhere LABEL [SECONDS]
 *
 * One one-to-one association on 127.0.0.1, measured as bench/measure.h says. */
#define _GNU_SOURCE
#include "measure.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define WHO "anywhere bench"

static void die(const char *what)
{
	bench_die(WHO, what);
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

static ssize_t sock_send(void *s, const void *buf, size_t len)
{
	return send(*(int *)s, buf, len, 0);
}

static ssize_t sock_recv(void *s, void *buf, size_t len)
{
	return recv(*(int *)s, buf, len, 0);
}

int main(int argc, char **argv)
{
	static const struct bench_io io = { WHO, sock_send, sock_recv };
	const char *label = argc > 1 ? argv[1] : "socket API";
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	int c, a;
	pair(&c, &a);
	bench_run(&io, label, &c, &a, secs);
	close(c);
	close(a);
	return 0;
}
