/* Throughput through lksctp and through sctp_rs, in one run: one association on loopback, a
 * sender thread calling sctp_sendmsg and a receiver thread calling sctp_recvmsg of the library
 * under test (both libraries loaded the same way, with dlopen), for 64 B, 1 KiB and 16 KiB
 * messages on 1 and 10 streams. Every message carries its stream and a per-stream sequence and
 * is filled with a pattern derived from them: the receiver checks each one (length, stream,
 * order within the stream, every byte) and the run fails loudly on any difference.
 *
 *   throughput LIB_RS [SECONDS_PER_CASE]
 *
 * Prints one line per case and library: the best of ROUNDS rounds in messages/s and MB/s (of
 * payload); any wrong or missing message ends the run (exit 1). Timings vary from
 * run to run (and in User-Mode Linux the syscalls themselves dominate): compare the two
 * libraries of one run, not runs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct lib {
	const char *name;
	int (*sendmsg)(int, const void *, size_t, struct sockaddr *, socklen_t, uint32_t, uint32_t,
		       uint16_t, uint32_t, uint32_t);
	int (*recvmsg)(int, void *, size_t, struct sockaddr *, socklen_t *,
		       struct sctp_sndrcvinfo *, int *);
};

static void die(const char *what)
{
	fprintf(stderr, "throughput: FATAL: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void load(struct lib *l, const char *name, const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "throughput: %s\n", dlerror());
		exit(2);
	}
	l->name = name;
	l->sendmsg = dlsym(h, "sctp_sendmsg");
	l->recvmsg = dlsym(h, "sctp_recvmsg");
	if (!l->sendmsg || !l->recvmsg) {
		fprintf(stderr, "throughput: %s lacks sctp_sendmsg/sctp_recvmsg\n", path);
		exit(2);
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The byte at `i` of message `seq` of `stream`. */
static unsigned char pattern(unsigned stream, unsigned seq, size_t i)
{
	return (unsigned char)(stream * 131 + seq * 7 + i * 13);
}

#define MAX_STREAMS 10
#define ROUNDS 3
#define MAX_SIZE 16384

struct run {
	const struct lib *l;
	int tx, rx;
	struct sockaddr_in to;
	size_t size;
	unsigned streams;
	double seconds;
	/* results */
	unsigned long sent, received, bad;
	volatile int stop;
};

static void *sender(void *arg)
{
	struct run *r = arg;
	static unsigned char buf[MAX_SIZE];
	unsigned seq[MAX_STREAMS] = { 0 };
	double end = now() + r->seconds;
	while (now() < end) {
		unsigned s = (unsigned)(r->sent % r->streams);
		memcpy(buf, &s, 4);
		memcpy(buf + 4, &seq[s], 4);
		for (size_t i = 8; i < r->size; i++)
			buf[i] = pattern(s, seq[s], i);
		if (r->l->sendmsg(r->tx, buf, r->size, (struct sockaddr *)&r->to, sizeof r->to, 0, 0,
				  (uint16_t)s, 0, 0) != (int)r->size)
			die("sctp_sendmsg");
		seq[s]++;
		r->sent++;
	}
	/* The end marker, a one-byte message, on every stream: order holds only within a stream,
	 * so a marker on one stream may arrive before the last messages of another. */
	for (unsigned s = 0; s < r->streams; s++)
		if (r->l->sendmsg(r->tx, "E", 1, (struct sockaddr *)&r->to, sizeof r->to, 0, 0,
				  (uint16_t)s, 0, 0) != 1)
			die("sctp_sendmsg (end marker)");
	return NULL;
}

static void *receiver(void *arg)
{
	struct run *r = arg;
	static unsigned char buf[MAX_SIZE];
	unsigned want[MAX_STREAMS] = { 0 }, ended = 0;
	for (;;) {
		struct sctp_sndrcvinfo si;
		int flags = 0;
		int n = r->l->recvmsg(r->rx, buf, sizeof buf, NULL, NULL, &si, &flags);
		unsigned s, seq;
		if (n < 0)
			die("sctp_recvmsg");
		if (flags & MSG_NOTIFICATION)
			continue;
		if (n == 1 && buf[0] == 'E') {
			if (++ended == r->streams)
				return NULL;
			continue;
		}
		memcpy(&s, buf, 4);
		memcpy(&seq, buf + 4, 4);
		if ((size_t)n != r->size || !(flags & MSG_EOR) || s >= r->streams ||
		    si.sinfo_stream != s || seq != want[s]) {
			r->bad++;
		} else {
			for (size_t i = 8; i < (size_t)n; i++)
				if (buf[i] != pattern(s, seq, i)) {
					r->bad++;
					break;
				}
		}
		if (s < MAX_STREAMS)
			want[s] = seq + 1;
		r->received++;
	}
}

static int sctp_sock(void)
{
	int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (s < 0)
		die("socket(IPPROTO_SCTP): no kernel SCTP");
	return s;
}

/* Best messages/s of each library and case over the rounds. */
static double best[2][3][2];

static void one(const struct lib *l, size_t size, unsigned streams, double seconds,
		double *best_rate)
{
	struct run r = { .l = l, .size = size, .streams = streams, .seconds = seconds };
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sctp_initmsg init = { .sinit_num_ostreams = MAX_STREAMS,
				     .sinit_max_instreams = MAX_STREAMS };
	struct sctp_event_subscribe ev = { .sctp_data_io_event = 1 };
	socklen_t al = sizeof a;
	int buf = 4 << 20, one_ = 1;
	pthread_t st, rt;
	double t0, t;

	r.rx = sctp_sock();
	r.tx = sctp_sock();
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	setsockopt(r.rx, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
	setsockopt(r.tx, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
	setsockopt(r.rx, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev);
	setsockopt(r.rx, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	setsockopt(r.tx, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	/* As signalling stacks run: no Nagle delay (with it, small messages wait for the peer's
	 * delayed SACK and the rate is the kernel's timer, not the library's). */
	setsockopt(r.tx, IPPROTO_SCTP, SCTP_NODELAY, &one_, sizeof one_);
	if (bind(r.rx, (struct sockaddr *)&a, sizeof a) < 0 || listen(r.rx, 4) < 0)
		die("listen");
	getsockname(r.rx, (struct sockaddr *)&r.to, &al);
	t0 = now();
	pthread_create(&rt, NULL, receiver, &r);
	pthread_create(&st, NULL, sender, &r);
	pthread_join(st, NULL);
	pthread_join(rt, NULL);
	t = now() - t0;
	fprintf(stderr, "throughput: round: %s %zu B %u streams: %lu messages in %.2f s\n",
		l->name, size, streams, r.received, t);
	if (r.received / t > *best_rate)
		*best_rate = r.received / t;
	if (r.bad || r.received != r.sent) {
		fprintf(stderr, "throughput: FATAL: %s %zu B %u streams: sent %lu, received %lu, "
			"%lu wrong\n", l->name, size, streams, r.sent, r.received, r.bad);
		exit(1);
	}
	close(r.tx);
	close(r.rx);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 1024, 16384 };
	static const unsigned streams[] = { 1, 10 };
	struct lib libs[2];
	double seconds = argc > 2 ? atof(argv[2]) : 1.0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s path/to/libsctp_rs.so [seconds per case]\n", argv[0]);
		return 2;
	}
	load(&libs[0], "lksctp", "libsctp.so.1");
	load(&libs[1], "sctp_rs", argv[1]);
	/* ROUNDS rounds, the libraries interleaved within each case, the best round kept: the
	 * machine's other load comes and goes, and only the best round shows what a library
	 * allows. Every message of every round is verified. */
	for (int round = 0; round < ROUNDS; round++)
		for (size_t i = 0; i < 3; i++)
			for (size_t j = 0; j < 2; j++)
				for (int k = 0; k < 2; k++)
					one(&libs[k], sizes[i], streams[j], seconds, &best[k][i][j]);
	printf("#\tlibrary\tsize\tstreams\trounds\tverified\twrong\tmsgs/s\tMB/s\n");
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 2; j++)
			for (int k = 0; k < 2; k++)
				printf("throughput\t%s\t%zu\t%u\t%d\t%d\t0\t%.0f\t%.2f\n", libs[k].name,
				       sizes[i], streams[j], ROUNDS, ROUNDS, best[k][i][j],
				       best[k][i][j] * (double)sizes[i] / 1e6);
	return 0;
}
