/* Side-by-side benchmark: lksctp (libsctp.a linked in) and sctp_rs (libsctp_rs.so loaded with
 * dlopen, RTLD_LOCAL) in one process, against the raw syscall they wrap. For each function:
 * median ns per call over interleaved rounds, heap allocations per call and syscalls per call,
 * counted by the interposer of the test suite (c-tests/count_shim.c, build/c-tests/libcount.so,
 * linked in: every syscall wrapper and allocating function it wraps, for all three columns).
 *
 *   bench host   library overhead on the host kernel (EBADF paths: no SCTP needed)
 *   bench sctp   on a kernel with SCTP (make bench runs it in UML): real sends and peel-offs
 *                (UML syscalls cost ~15 us: compare columns, not absolute numbers) */
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

#include "../c-tests/count_shim.h"

/* ---- the two implementations ---- */
typedef long (*send_fn)(int, const void *, size_t, const struct sctp_sndrcvinfo *, int);
typedef long (*sendx_fn)(int, const void *, size_t, struct sockaddr *, int,
			 const struct sctp_sndrcvinfo *, int);
typedef int (*peeloff_fn)(int, sctp_assoc_t);
typedef int (*peeloff_flags_fn)(int, sctp_assoc_t, unsigned);

static long lk_send(int s, const void *m, size_t l, const struct sctp_sndrcvinfo *si, int f)
{
	return sctp_send(s, m, l, si, f);
}
static struct {
	send_fn send;
	sendx_fn sendx;
	peeloff_fn peeloff;
	peeloff_flags_fn peeloff_flags;
} rs;

/* ---- harness ---- */
struct bench_case {
	const char *name;
	void (*lk)(void); /* NULL: no lksctp counterpart */
	void (*ours)(void);
	void (*raw)(void);
};
static int iters;

static double time_loop(void (*f)(void))
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < iters; i++)
		f();
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / iters;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void counts(void (*f)(void), double *allocs, double *syscalls)
{
	const int n = 100;
	count_begin();
	for (int i = 0; i < n; i++)
		f();
	count_end();
	*allocs = (double)count_mallocs() / n;
	*syscalls = (double)count_syscalls() / n;
}

static void run(const struct bench_case *c, int rounds)
{
	void (*fs[3])(void) = { c->raw, c->lk, c->ours };
	double t[3][64], med[3], al[3], sc[3];
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < 3; k++)
			t[k][r] = fs[k] ? time_loop(fs[k]) : 0;
	for (int k = 0; k < 3; k++) {
		qsort(t[k], (size_t)rounds, sizeof(double), cmp_d);
		med[k] = t[k][rounds / 2];
		if (fs[k])
			counts(fs[k], &al[k], &sc[k]);
	}
	char lk_t[16] = "-", lk_s[16] = "-", lk_a[16] = "-";
	if (c->lk) {
		snprintf(lk_t, sizeof lk_t, "%.0f", med[1]);
		snprintf(lk_s, sizeof lk_s, "%.2f", sc[1]);
		snprintf(lk_a, sizeof lk_a, "%.1f", al[1]);
	}
	printf("%-34s %9.0f %9s %9.0f | %5.2f %5s %5.2f | %4.1f %4s %4.1f\n", c->name, med[0],
	       lk_t, med[2], sc[0], lk_s, sc[2], al[0], lk_a, al[2]);
}

static void header(const char *title)
{
	printf("\n%s\n", title);
	printf("%-34s %9s %9s %9s | %5s %5s %5s | %4s %4s %4s\n", "ns per call (median of rounds)",
	       "raw", "lksctp", "sctp_rs", "sys", "sys", "sys", "mal", "mal", "mal");
	printf("%-34s %9s %9s %9s | %17s | %14s\n", "", "syscall", "", "", "syscalls per call",
	       "mallocs per call");
}

/* ---- shared state of the cases ---- */
static int fd;
static struct sctp_sndrcvinfo si;
static char msg[64];
static struct msghdr raw_m;
static char raw_ctl[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) + 19 * CMSG_SPACE(4)];
static struct iovec raw_iov;
static char addrs[20 * sizeof(struct sockaddr_in)];
static int naddrs;

static void build_raw(int with_name)
{
	struct cmsghdr *c;
	raw_iov.iov_base = msg;
	raw_iov.iov_len = sizeof msg;
	memset(&raw_m, 0, sizeof raw_m);
	raw_m.msg_iov = &raw_iov;
	raw_m.msg_iovlen = 1;
	raw_m.msg_control = raw_ctl;
	raw_m.msg_controllen = CMSG_SPACE(sizeof si);
	c = CMSG_FIRSTHDR(&raw_m);
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDRCV;
	c->cmsg_len = CMSG_LEN(sizeof si);
	memcpy(CMSG_DATA(c), &si, sizeof si);
	if (with_name) {
		raw_m.msg_name = addrs;
		raw_m.msg_namelen = sizeof(struct sockaddr_in);
		for (int i = 1; i < naddrs; i++) {
			c = (struct cmsghdr *)(raw_ctl + raw_m.msg_controllen);
			c->cmsg_level = IPPROTO_SCTP;
			c->cmsg_type = SCTP_DSTADDRV4;
			c->cmsg_len = CMSG_LEN(4);
			memcpy(CMSG_DATA(c), &((struct sockaddr_in *)addrs)[i].sin_addr, 4);
			raw_m.msg_controllen += CMSG_SPACE(4);
		}
	}
}

static void raw_sendmsg(void) { sendmsg(fd, &raw_m, MSG_NOSIGNAL); }
static void lk_send_case(void) { lk_send(fd, msg, sizeof msg, &si, MSG_NOSIGNAL); }
static void rs_send_case(void) { rs.send(fd, msg, sizeof msg, &si, MSG_NOSIGNAL); }
static void rs_sendx_case(void)
{
	rs.sendx(fd, msg, sizeof msg, (struct sockaddr *)addrs, naddrs, NULL, MSG_NOSIGNAL);
}
static void raw_getsockopt(void)
{
	sctp_peeloff_arg_t a = { .associd = 0 };
	socklen_t l = sizeof a;
	getsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF, &a, &l);
}
static void lk_peeloff_case(void) { sctp_peeloff(fd, 0); }
static void rs_peeloff_case(void) { rs.peeloff(fd, 0); }
static void lk_peeloff_flags_case(void) { sctp_peeloff_flags(fd, 0, SOCK_CLOEXEC); }
static void rs_peeloff_flags_case(void) { rs.peeloff_flags(fd, 0, SOCK_CLOEXEC); }

static void load(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "bench: %s\n", dlerror());
		exit(1);
	}
	rs.send = (send_fn)dlsym(h, "sctp_send");
	rs.sendx = (sendx_fn)dlsym(h, "sctp_sendx");
	rs.peeloff = (peeloff_fn)dlsym(h, "sctp_peeloff");
	rs.peeloff_flags = (peeloff_flags_fn)dlsym(h, "sctp_peeloff_flags");
	if (!rs.send || !rs.sendx || !rs.peeloff || !rs.peeloff_flags) {
		fprintf(stderr, "bench: %s lacks a function\n", path);
		exit(1);
	}
}

static void set_addrs(int n, const char *first_ip, uint16_t port)
{
	naddrs = n;
	for (int i = 0; i < n; i++) {
		struct sockaddr_in *a = &((struct sockaddr_in *)addrs)[i];
		char ip[32];
		memset(a, 0, sizeof *a);
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		if (i == 0)
			snprintf(ip, sizeof ip, "%s", first_ip);
		else
			snprintf(ip, sizeof ip, "127.0.1.%d", i);
		inet_pton(AF_INET, ip, &a->sin_addr);
	}
}

static void *drain(void *arg)
{
	int s = *(int *)arg;
	char buf[256];
	for (;;)
		if (recv(s, buf, sizeof buf, 0) < 0 && errno != EINTR)
			return NULL;
}

static void host_mode(void)
{
	const struct bench_case cases[] = {
		{ "sctp_send EBADF", lk_send_case, rs_send_case, raw_sendmsg },
		{ "sctp_sendx EBADF (3 addrs)", NULL, rs_sendx_case, NULL },
		{ "sctp_peeloff EBADF", lk_peeloff_case, rs_peeloff_case, raw_getsockopt },
		{ "sctp_peeloff_flags EBADF", lk_peeloff_flags_case, rs_peeloff_flags_case,
		  raw_getsockopt },
	};
	struct bench_case sx = cases[1];
	fd = -1;
	iters = 200000;
	si.sinfo_stream = 1;
	build_raw(0);
	set_addrs(3, "127.0.0.1", 9);
	header("host kernel, bad descriptor (library overhead + cheapest syscall)");
	run(&cases[0], 15);
	build_raw(1);
	sx.raw = raw_sendmsg;
	run(&sx, 15);
	run(&cases[2], 15);
	run(&cases[3], 15);
}

static void sctp_mode(void)
{
	int l = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	pthread_t th;
	uint16_t port;
	struct sctp_paddrinfo pi;
	socklen_t pl = sizeof pi;
	int on = 1;

	if (l < 0) {
		perror("bench: socket(IPPROTO_SCTP)");
		exit(1);
	}
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	bind(l, (struct sockaddr *)&a, sizeof a);
	getsockname(l, (struct sockaddr *)&a, &al);
	port = ntohs(a.sin_port);
	listen(l, 8);
	pthread_create(&th, NULL, drain, &l);

	fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof on);
	connect(fd, (struct sockaddr *)&a, sizeof a);
	memset(&pi, 0, sizeof pi);
	memcpy(&pi.spinfo_address, &a, sizeof a);
	getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &pl);
	si.sinfo_assoc_id = pi.spinfo_assoc_id;
	si.sinfo_stream = 1;
	iters = 2000;

	header("kernel SCTP (UML: compare columns, not absolute values)");
	build_raw(0);
	struct bench_case send_ok = { "sctp_send 64 B on an association", lk_send_case,
				      rs_send_case, raw_sendmsg };
	run(&send_ok, 9);

	/* sctp_sendx reusing the association: addrs[0] is the peer, 2 more addresses. */
	memset(&si, 0, sizeof si);
	set_addrs(3, "127.0.0.1", port);
	build_raw(1);
	struct bench_case sendx3 = { "sctp_sendx 64 B, 3 addrs (reuse)", NULL, rs_sendx_case,
				     raw_sendmsg };
	run(&sendx3, 9);
	set_addrs(20, "127.0.0.1", port);
	build_raw(1);
	struct bench_case sendx20 = { "sctp_sendx 64 B, 20 addrs (reuse)", NULL, rs_sendx_case,
				      raw_sendmsg };
	run(&sendx20, 9);

	struct bench_case p0 = { "sctp_peeloff id 0 (EINVAL)", lk_peeloff_case, rs_peeloff_case,
				 raw_getsockopt };
	run(&p0, 9);
	struct bench_case pf = { "sctp_peeloff_flags id 0 (EINVAL)", lk_peeloff_flags_case,
				 rs_peeloff_flags_case, raw_getsockopt };
	run(&pf, 9);
}

int main(int argc, char **argv)
{
	const char *lib = getenv("SCTP_RS_LIB");
	if (argc < 2 || !lib) {
		fprintf(stderr, "usage: SCTP_RS_LIB=path/libsctp_rs.so %s host|sctp\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	load(lib);
	if (!strcmp(argv[1], "host"))
		host_mode();
	else
		sctp_mode();
	return 0;
}
