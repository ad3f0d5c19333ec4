/* What one call of each function costs, counted: the syscall wrappers it calls and the heap
 * allocations it makes. Runs under the counting interposer (LD_PRELOAD=build/c-tests/libcount.so,
 * c-tests/count_shim.c) on a real kernel SCTP stack, with SCTP_RS_TRACE unset, and checks the
 * README's promise: one syscall per call (getpaddrs/getladdrs: more past 4 KiB), no allocation
 * on a send/recv/peeloff/connectx/bindx path (sendx/sendv past 16 addresses: one, freed),
 * getpaddrs/getladdrs one malloc for the result, freepaddrs/freeladdrs one free and no syscall,
 * getaddrlen nothing, and the calls that fail validation (EINVAL before any syscall) nothing.
 *
 * Each line is one call, made alone between count_begin() and count_end():
 *   counts.<function>.<path>: <wrapper>=N ... mallocs=N frees=N -> <result>
 * naming every syscall wrapper called (so an extra syscall of any kind shows), then every
 * allocating function other than malloc, then the totals; <result> is the return value (fd for
 * a new descriptor) or -1 and the errno name. Paths: ebadf (descriptor -1), live (a real
 * association on the kernel's SCTP), nothing_* (rejected before any syscall), enoprotoopt (a
 * UDP/IPv6 socket, which answers SOL_SCTP options with ENOPROTOOPT).
 *
 * Without the shim loaded it fails loudly (exit 2): a count of zero because nothing was
 * interposed must never pass. Built against sctp_rs (checked against c-tests/expected/counts.out,
 * shared and static) and as an existing binary on lksctp (printed for information). */
#define _GNU_SOURCE
#include "common.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the shim, found at run time ---- */
static void (*count_begin)(void);
static void (*count_end)(void);
static long (*count_get)(const char *);
static long (*count_syscalls)(void);
static int (*count_format)(char *, size_t);

static void load_shim(void)
{
	count_begin = (void (*)(void))dlsym(RTLD_DEFAULT, "count_begin");
	count_end = (void (*)(void))dlsym(RTLD_DEFAULT, "count_end");
	count_get = (long (*)(const char *))dlsym(RTLD_DEFAULT, "count_get");
	count_format = (int (*)(char *, size_t))dlsym(RTLD_DEFAULT, "count_format");
	count_syscalls = (long (*)(void))dlsym(RTLD_DEFAULT, "count_syscalls");
	if (!count_begin || !count_end || !count_get || !count_format || !count_syscalls) {
		line("counts.shim", "NOT LOADED: nothing can be counted");
		fprintf(stderr, "FATAL: the counting shim is not loaded: run with "
				"LD_PRELOAD=build/c-tests/libcount.so\n");
		exit(2);
	}
}

/* The shim sees this program's own calls, and only while counting. */
static void self_test(void)
{
	void *(*volatile m)(size_t) = malloc;
	void (*volatile f)(void *) = free;
	struct msghdr msg;
	int v;
	socklen_t vl = sizeof v;
	char buf[256];
	memset(&msg, 0, sizeof msg);

	count_begin();
	f(m(16));
	sendmsg(-1, &msg, 0);
	getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &vl);
	count_end();
	f(m(16));
	sendmsg(-1, &msg, 0);
	count_format(buf, sizeof buf);
	line("counts.shim", "%s", buf);
	if (count_get("malloc") != 1 || count_get("free") != 1 || count_get("sendmsg") != 1 ||
	    count_get("getsockopt") != 1) {
		fprintf(stderr, "FATAL: the counting shim does not count (%s)\n", buf);
		exit(2);
	}
}

/* ---- one call, counted ---- */
enum { NUM, FD };

static void report(const char *check, int kind, long r, int e)
{
	char buf[512], res[64];
	count_format(buf, sizeof buf);
	if (r == -1)
		snprintf(res, sizeof res, "-1 %s", errname(e));
	else if (kind == FD && r >= 0)
		snprintf(res, sizeof res, "fd");
	else
		snprintf(res, sizeof res, "%ld", r);
	line(check, "%s -> %s", buf, res);
}

/* Nothing but the call itself runs between count_begin() and count_end(). */
#define MEASURE_AS(check, kind, call)                                                          \
	do {                                                                                   \
		long r_;                                                                       \
		int e_;                                                                        \
		errno = ERRNO_SENTINEL;                                                        \
		count_begin();                                                                 \
		r_ = (long)(call);                                                             \
		e_ = errno;                                                                    \
		count_end();                                                                   \
		report(check, kind, r_, e_);                                                   \
		last = r_;                                                                     \
	} while (0)
#define MEASURE(check, call) MEASURE_AS(check, NUM, call)
static long last; /* the result of the last call measured */

/* A call with a NULL that lksctp dereferences: in a child on the lksctp build. */
#ifdef LKSCTP_SO
#define MEASURE_NULL(check, call)                                                              \
	do {                                                                                   \
		pid_t pid_;                                                                    \
		int st_ = 0;                                                                   \
		fflush(stdout);                                                                \
		pid_ = fork();                                                                 \
		if (pid_ == 0) {                                                               \
			MEASURE(check, call);                                                  \
			_exit(0);                                                              \
		}                                                                              \
		if (pid_ > 0 && waitpid(pid_, &st_, 0) == pid_ && WIFSIGNALED(st_))            \
			line(check, "child killed by signal %d", WTERMSIG(st_));               \
	} while (0)
#else
#define MEASURE_NULL MEASURE
#endif

/* ---- the scene ---- */
static int l, c, oc, oa; /* listener and client (one-to-many); one-to-one client and accepted */
static uint16_t port;
static sctp_assoc_t cid, sid;
static struct sockaddr_in srv;
static const char msg[] = "hello";
#define MSG_LEN 5

/* The message of a live send arrives (outside the count), or the check says it did not. */
static void arrives(const char *check, int fd)
{
	char buf[256];
	struct sctp_sndrcvinfo si;
	int fl;
	if (last > 0)
		peer_recv(check, fd, buf, sizeof buf, &si, &fl, 5000);
}

/* Waits until fd has something to read. */
static void readable(const char *check, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		line(check, "nothing to read");
}

/* n addresses: the listener first (an existing association), then 127.0.1.1... (blackholed). */
static struct packed to_listener(int n)
{
	struct packed p = { .len = 0 };
	char ip[32];
	add4(&p, "127.0.0.1", port);
	for (int i = 1; i < n; i++) {
		snprintf(ip, sizeof ip, "127.0.1.%d", i);
		add4(&p, ip, port);
	}
	return p;
}

static void setup(void)
{
	l = listener_v4(&port);
	srv = v4("127.0.0.1", port);
	c = assoc_client(l, port, &cid, &sid);
	one_to_one_pair(&oc, &oa);
}

/* ---- the functions ---- */
static void send_(void)
{
	struct sctp_sndrcvinfo si;
	memset(&si, 0, sizeof si);
	si.sinfo_stream = 1;
	si.sinfo_ppid = htonl(42);
	MEASURE("counts.sctp_send.ebadf", sctp_send(-1, msg, MSG_LEN, &si, 0));
	si.sinfo_assoc_id = cid;
	MEASURE("counts.sctp_send.live", sctp_send(c, msg, MSG_LEN, &si, 0));
	arrives("counts.sctp_send.live", l);
	MEASURE("counts.sctp_send.live_null_sinfo", sctp_send(oc, msg, MSG_LEN, NULL, 0));
	arrives("counts.sctp_send.live_null_sinfo", oa);
}

#ifdef HAVE_SCTP_SENDX
static void sendx(void)
{
	static const int ns[] = { 1, 3, 16, 20 };
	struct sctp_sndrcvinfo si;
	char check[96];
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		struct packed p = to_listener(ns[i]);
		struct sockaddr *a = (struct sockaddr *)p.buf;
		snprintf(check, sizeof check, "counts.sctp_sendx.ebadf_%daddrs", ns[i]);
		MEASURE(check, sctp_sendx(-1, msg, MSG_LEN, a, p.cnt, NULL, 0));
		snprintf(check, sizeof check, "counts.sctp_sendx.live_%daddrs", ns[i]);
		MEASURE(check, sctp_sendx(c, msg, MSG_LEN, a, p.cnt, NULL, 0));
		arrives(check, l);
	}
	{
		struct packed p = to_listener(3);
		memset(&si, 0, sizeof si);
		si.sinfo_assoc_id = cid;
		MEASURE("counts.sctp_sendx.live_assoc_id",
			sctp_sendx(c, msg, MSG_LEN, (struct sockaddr *)p.buf, p.cnt, &si, 0));
		arrives("counts.sctp_sendx.live_assoc_id", l);
	}
	{
		/* A new association, set up by the send itself. */
		int c2 = fast_init(sctp_socket(AF_INET, SOCK_SEQPACKET), 30);
		struct packed p = to_listener(3);
		MEASURE("counts.sctp_sendx.live_setup_3addrs",
			sctp_sendx(c2, msg, MSG_LEN, (struct sockaddr *)p.buf, p.cnt, NULL, 0));
		arrives("counts.sctp_sendx.live_setup_3addrs", l);
		close(c2);
	}
	MEASURE("counts.sctp_sendx.nothing_null_addrs",
		sctp_sendx(c, msg, MSG_LEN, NULL, 1, NULL, 0));
}
#endif

static void sendmsg_(void)
{
	MEASURE("counts.sctp_sendmsg.ebadf",
		sctp_sendmsg(-1, msg, MSG_LEN, (struct sockaddr *)&srv, sizeof srv, 0, 0, 1, 0, 0));
	MEASURE("counts.sctp_sendmsg.live",
		sctp_sendmsg(c, msg, MSG_LEN, (struct sockaddr *)&srv, sizeof srv, 0, 0, 1, 0, 0));
	arrives("counts.sctp_sendmsg.live", l);
	MEASURE("counts.sctp_sendmsg.live_null_to",
		sctp_sendmsg(oc, msg, MSG_LEN, NULL, 0, 0, 0, 1, 0, 0));
	arrives("counts.sctp_sendmsg.live_null_to", oa);
}

/* One sctp_sendv, counted. */
struct sv {
	const char *check;
	int fd, cnt;
	struct sockaddr *addrs;
	void *info;
	socklen_t infolen;
	unsigned type;
};

static void sv_measure(void *arg)
{
	const struct sv *a = arg;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = MSG_LEN };
	MEASURE(a->check, sctp_sendv(a->fd, &iov, 1, a->addrs, a->cnt, a->info, a->infolen, a->type,
				     0));
}

/* ... and its message arrives at `peer` (-1: none expected). */
static void sv(struct sv a, int peer)
{
#ifdef LKSCTP_SO
	/* lksctp 1.0.19 overflows its stack with the three SPA infos (issue #68): in a child. */
	if (a.type == SCTP_SENDV_SPA) {
		char buf[256];
		struct sctp_sndrcvinfo si;
		int fl;
		in_child(a.check, sv_measure, &a);
		if (peer >= 0)
			recv_data(peer, buf, sizeof buf, &si, &fl, 500);
		return;
	}
#endif
	sv_measure(&a);
	if (peer >= 0)
		arrives(a.check, peer);
}

static void sendv(void)
{
	struct sctp_sndinfo snd = { .snd_sid = 1, .snd_ppid = htonl(7) };
	struct sctp_prinfo pr = { .pr_policy = SCTP_PR_SCTP_TTL, .pr_value = 5000 };
	struct sctp_authinfo auth = { .auth_keynumber = 0 };
	struct sctp_sendv_spa spa;
	const struct {
		const char *name;
		void *info;
		socklen_t len;
		unsigned type;
	} infos[] = {
		{ "noinfo", NULL, 0, SCTP_SENDV_NOINFO },
		{ "sndinfo", &snd, sizeof snd, SCTP_SENDV_SNDINFO },
		{ "prinfo", &pr, sizeof pr, SCTP_SENDV_PRINFO },
		{ "authinfo", &auth, sizeof auth, SCTP_SENDV_AUTHINFO },
		{ "spa", &spa, sizeof spa, SCTP_SENDV_SPA },
	};
	struct packed one = to_listener(1), three = to_listener(3), twenty = to_listener(20);
	struct sockaddr *a1 = (struct sockaddr *)one.buf, *a3 = (struct sockaddr *)three.buf;
	struct sockaddr *a20 = (struct sockaddr *)twenty.buf;
	char check[96];

	memset(&spa, 0, sizeof spa);
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID |
			  SCTP_SEND_AUTHINFO_VALID;
	spa.sendv_sndinfo = snd;
	spa.sendv_prinfo = pr;
	spa.sendv_authinfo = auth;
	for (size_t i = 0; i < sizeof infos / sizeof infos[0]; i++) {
		void *in = infos[i].info;
		socklen_t il = infos[i].len;
		unsigned t = infos[i].type;
#define SV(path, fd, a, n, peer)                                                               \
	do {                                                                                   \
		snprintf(check, sizeof check, "counts.sctp_sendv.%s.%s", infos[i].name, path); \
		sv((struct sv){ check, fd, n, a, in, il, t }, peer);                           \
	} while (0)
		SV("ebadf", -1, NULL, 0, -1);
		SV("ebadf_3addrs", -1, a3, three.cnt, -1);
		SV("live", oc, NULL, 0, oa);
		SV("live_1addr", c, a1, one.cnt, l);
		SV("live_3addrs", c, a3, three.cnt, l);
		if (t == SCTP_SENDV_NOINFO || t == SCTP_SENDV_SPA) {
			SV("ebadf_20addrs", -1, a20, twenty.cnt, -1);
			SV("live_20addrs", c, a20, twenty.cnt, l);
		}
#undef SV
	}
	/* NOINFO with an info: inconsistent, refused before any syscall. */
	sv((struct sv){ "counts.sctp_sendv.nothing_bad_info", oc, 0, NULL, &snd, sizeof snd,
			SCTP_SENDV_NOINFO }, oa);
}

/* Queues one message from oc to oa and waits until oa can read it. */
static void queue_one(const char *check)
{
	if (send(oc, msg, MSG_LEN, 0) != MSG_LEN)
		line(check, "send: %s", errname(errno));
	readable(check, oa);
}

static void recvmsg_(void)
{
	char buf[256];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from;
	struct sctp_sndrcvinfo si;
	int flags = 0;

	MEASURE("counts.sctp_recvmsg.ebadf",
		sctp_recvmsg(-1, buf, sizeof buf, (struct sockaddr *)&from, &fromlen, &si, &flags));
	queue_one("counts.sctp_recvmsg.live");
	MEASURE("counts.sctp_recvmsg.live",
		sctp_recvmsg(oa, buf, sizeof buf, (struct sockaddr *)&from, &fromlen, &si, &flags));
	queue_one("counts.sctp_recvmsg.live_null_args");
	MEASURE("counts.sctp_recvmsg.live_null_args",
		sctp_recvmsg(oa, buf, sizeof buf, NULL, NULL, NULL, NULL));
}

static void recvv(void)
{
	char buf[256];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from, infolen;
	struct sctp_recvv_rn rn;
	unsigned type;
	int flags = 0, on = 1;

	subscribe(oa, 0, 0, 0);
	if (setsockopt(oa, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on) < 0 ||
	    setsockopt(oa, IPPROTO_SCTP, SCTP_RECVNXTINFO, &on, sizeof on) < 0)
		line("counts.sctp_recvv", "RECVRCVINFO/RECVNXTINFO: %s", errname(errno));
	infolen = sizeof rn;
	MEASURE("counts.sctp_recvv.ebadf", sctp_recvv(-1, &iov, 1, (struct sockaddr *)&from,
						      &fromlen, &rn, &infolen, &type, &flags));
	/* Two messages queued: the first comes with RCVINFO and NXTINFO (RN). */
	if (send(oc, msg, MSG_LEN, 0) != MSG_LEN)
		line("counts.sctp_recvv.live_rn", "send: %s", errname(errno));
	queue_one("counts.sctp_recvv.live_rn");
	MEASURE("counts.sctp_recvv.live_rn", sctp_recvv(oa, &iov, 1, (struct sockaddr *)&from,
							&fromlen, &rn, &infolen, &type, &flags));
	infolen = sizeof rn;
	readable("counts.sctp_recvv.live_rcvinfo", oa);
	MEASURE("counts.sctp_recvv.live_rcvinfo",
		sctp_recvv(oa, &iov, 1, (struct sockaddr *)&from, &fromlen, &rn, &infolen, &type,
			   &flags));
	queue_one("counts.sctp_recvv.live_null_info");
	MEASURE("counts.sctp_recvv.live_null_info",
		sctp_recvv(oa, &iov, 1, NULL, NULL, NULL, NULL, NULL, NULL));
}

static void peeloff(void)
{
	sctp_assoc_t s1, s2;
	int c1 = assoc_client(l, port, NULL, &s1), c2 = assoc_client(l, port, NULL, &s2);

	MEASURE_AS("counts.sctp_peeloff.ebadf", FD, sctp_peeloff(-1, s1));
	MEASURE_AS("counts.sctp_peeloff.live", FD, sctp_peeloff(l, s1));
	if (last >= 0)
		close((int)last);
	MEASURE_AS("counts.sctp_peeloff.einval_id0", FD, sctp_peeloff(l, 0));
	if (!PEELOFF_FLAGS_BOUND) {
		line("counts.sctp_peeloff_flags", "absent from this library");
	} else {
		MEASURE_AS("counts.sctp_peeloff_flags.ebadf", FD,
			   sctp_peeloff_flags(-1, s2, SOCK_NONBLOCK | SOCK_CLOEXEC));
		MEASURE_AS("counts.sctp_peeloff_flags.live", FD,
			   sctp_peeloff_flags(l, s2, SOCK_NONBLOCK | SOCK_CLOEXEC));
		if (last >= 0)
			close((int)last);
		/* A bit other than NONBLOCK/CLOEXEC: EINVAL before any syscall (lksctp: the
		 * kernel's answer). */
		MEASURE_AS("counts.sctp_peeloff_flags.nothing_bad_flags", FD,
			   sctp_peeloff_flags(l, s2, 0x1));
	}
	close(c1);
	close(c2);
}

static void bindx(void)
{
	int b = sctp_socket(AF_INET, SOCK_SEQPACKET);
	struct sockaddr_in me = v4("127.0.0.1", 0);
	struct packed add = { .len = 0 }, rem = { .len = 0 };
	uint16_t bp;

	bind_or_die(b, &me, sizeof me);
	bp = local_port(b);
	add4(&add, "127.0.0.2", bp);
	add4(&add, "127.0.0.3", bp);
	add4(&rem, "127.0.0.2", bp);
	MEASURE("counts.sctp_bindx.add.ebadf",
		sctp_bindx(-1, (struct sockaddr *)add.buf, add.cnt, SCTP_BINDX_ADD_ADDR));
	MEASURE("counts.sctp_bindx.add.live",
		sctp_bindx(b, (struct sockaddr *)add.buf, add.cnt, SCTP_BINDX_ADD_ADDR));
	MEASURE("counts.sctp_bindx.remove.ebadf",
		sctp_bindx(-1, (struct sockaddr *)rem.buf, rem.cnt, SCTP_BINDX_REM_ADDR));
	MEASURE("counts.sctp_bindx.remove.live",
		sctp_bindx(b, (struct sockaddr *)rem.buf, rem.cnt, SCTP_BINDX_REM_ADDR));
	MEASURE("counts.sctp_bindx.nothing_bad_flags",
		sctp_bindx(b, (struct sockaddr *)rem.buf, rem.cnt, 0x7));
	close(b);
}

/* ---- sctp_connectx: the default (VERS_3) and the older ABI versions ---- */
typedef int (*connectx1_fn)(int, struct sockaddr *, int);
typedef int (*connectx2_fn)(int, struct sockaddr *, int, sctp_assoc_t *);
static connectx1_fn connectx_v1;
static connectx2_fn connectx_v2;

#ifdef COUNTS_STATIC
/* Linked from libsctp_rs.a: the versions' own names (the .so exports them as @VERS_1/@VERS_2). */
int sctp_rs_connectx_v1(int, struct sockaddr *, int);
int sctp_rs_connectx_v2(int, struct sockaddr *, int, sctp_assoc_t *);
static void find_versions(void)
{
	connectx_v1 = sctp_rs_connectx_v1;
	connectx_v2 = sctp_rs_connectx_v2;
}
#else
/* dlvsym on the shared library this program runs on. */
static void find_versions(void)
{
	void *h = dlopen(SCTP_LIB, RTLD_NOW | RTLD_NOLOAD);
	if (!h)
		h = dlopen(SCTP_LIB, RTLD_NOW);
	if (h) {
		connectx_v1 = (connectx1_fn)dlvsym(h, "sctp_connectx", "VERS_1");
		connectx_v2 = (connectx2_fn)dlvsym(h, "sctp_connectx", "VERS_2");
	}
	if (!connectx_v1 || !connectx_v2) {
		fprintf(stderr, "FATAL: sctp_connectx@VERS_1/@VERS_2 not found in %s\n", SCTP_LIB);
		exit(2);
	}
}
#endif

static int udp6(void)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("FATAL: socket(AF_INET6, SOCK_DGRAM)");
		exit(2);
	}
	return fd;
}

static void connectx(void)
{
	struct packed p = { .len = 0 };
	struct sockaddr *a;
	sctp_assoc_t id;
	int s;

	add4(&p, "127.0.0.1", port);
	a = (struct sockaddr *)p.buf;
	find_versions();

	MEASURE("counts.sctp_connectx.ebadf", sctp_connectx(-1, a, p.cnt, &id));
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	MEASURE("counts.sctp_connectx.live", sctp_connectx(s, a, p.cnt, &id));
	close(s);
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	MEASURE("counts.sctp_connectx.live_null_id", sctp_connectx(s, a, p.cnt, NULL));
	close(s);
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	subscribe(s, 0, 1, 0);
	fcntl(s, F_SETFL, O_NONBLOCK);
	MEASURE("counts.sctp_connectx.live_nonblocking", sctp_connectx(s, a, p.cnt, &id));
	/* The setup goes on: let it finish before the socket goes. */
	if (strcmp(wait_assoc_change(s, 5000, NULL), "COMM_UP"))
		line("counts.sctp_connectx.live_nonblocking", "no COMM_UP");
	close(s);
	s = udp6();
	MEASURE("counts.sctp_connectx.enoprotoopt", sctp_connectx(s, a, p.cnt, &id));
	MEASURE("counts.sctp_connectx.enoprotoopt_null_id", sctp_connectx(s, a, p.cnt, NULL));
	close(s);

	MEASURE("counts.sctp_connectx@VERS_2.ebadf", connectx_v2(-1, a, p.cnt, &id));
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	MEASURE("counts.sctp_connectx@VERS_2.live", connectx_v2(s, a, p.cnt, &id));
	close(s);
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	MEASURE("counts.sctp_connectx@VERS_2.live_null_id", connectx_v2(s, a, p.cnt, NULL));
	close(s);
	s = udp6();
	MEASURE("counts.sctp_connectx@VERS_2.enoprotoopt", connectx_v2(s, a, p.cnt, &id));
	MEASURE("counts.sctp_connectx@VERS_2.enoprotoopt_null_id", connectx_v2(s, a, p.cnt, NULL));
	close(s);

	MEASURE("counts.sctp_connectx@VERS_1.ebadf", connectx_v1(-1, a, p.cnt));
	s = sctp_socket(AF_INET, SOCK_SEQPACKET);
	MEASURE("counts.sctp_connectx@VERS_1.live", connectx_v1(s, a, p.cnt));
	close(s);
	s = udp6();
	MEASURE("counts.sctp_connectx@VERS_1.enoprotoopt", connectx_v1(s, a, p.cnt));
	close(s);

	MEASURE_NULL("counts.sctp_connectx.nothing_null_addrs", sctp_connectx(c, NULL, 1, &id));
}

static void opt_info(void)
{
	struct sctp_status st;
	struct sctp_sndrcvinfo dsp;
	socklen_t len = sizeof st;

	MEASURE("counts.sctp_opt_info.ebadf", sctp_opt_info(-1, cid, SCTP_STATUS, &st, &len));
	len = sizeof st;
	MEASURE("counts.sctp_opt_info.live", sctp_opt_info(c, cid, SCTP_STATUS, &st, &len));
	len = sizeof dsp;
	memset(&dsp, 0, sizeof dsp);
	MEASURE("counts.sctp_opt_info.live_default_send_param",
		sctp_opt_info(c, cid, SCTP_DEFAULT_SEND_PARAM, &dsp, &len));
	len = sizeof st;
	MEASURE("counts.sctp_opt_info.nothing_unknown_opt",
		sctp_opt_info(c, cid, 12345, &st, &len));
}

/* 127.0.2.1, 127.0.2.2, ...: n addresses bound to fd (sctp_bindx, outside the count). */
static void bind_range(int fd, int n)
{
	static struct sockaddr_in a[300];
	char ip[32];
	for (int i = 0; i < n; i++) {
		snprintf(ip, sizeof ip, "127.0.%d.%d", 2 + i / 254, 1 + i % 254);
		a[i] = v4(ip, 0);
	}
	if (sctp_bindx(fd, (struct sockaddr *)a, n, SCTP_BINDX_ADD_ADDR) < 0) {
		perror("FATAL: sctp_bindx of the range");
		exit(2);
	}
}

static void getaddrs(void)
{
	struct sockaddr *addrs = NULL;
	int g, gc;
	sctp_assoc_t gid;
	struct sockaddr_in first, me;

	MEASURE("counts.sctp_getpaddrs.ebadf", sctp_getpaddrs(-1, cid, &addrs));
	MEASURE("counts.sctp_getpaddrs.live", sctp_getpaddrs(c, cid, &addrs));
	if (last > 0)
		MEASURE("counts.sctp_freepaddrs.live", sctp_freepaddrs(addrs));
	MEASURE_NULL("counts.sctp_getpaddrs.nothing_null_addrs", sctp_getpaddrs(c, cid, NULL));
	MEASURE("counts.sctp_getladdrs.ebadf", sctp_getladdrs(-1, cid, &addrs));
	MEASURE("counts.sctp_getladdrs.live", sctp_getladdrs(c, cid, &addrs));
	if (last > 0)
		MEASURE("counts.sctp_freeladdrs.live", sctp_freeladdrs(addrs));

	/* Past the first 4 KiB: 300 addresses (4800 bytes), local and as a client's peer's. */
	g = sctp_socket(AF_INET, SOCK_SEQPACKET);
	bind_range(g, 300);
	if (listen(g, 4) < 0) {
		perror("FATAL: listen");
		exit(2);
	}
	MEASURE("counts.sctp_getladdrs.live_300addrs", sctp_getladdrs(g, 0, &addrs));
	if (last > 0)
		MEASURE("counts.sctp_freeladdrs.live_300addrs", sctp_freeladdrs(addrs));
	gc = sctp_socket(AF_INET, SOCK_SEQPACKET);
	me = v4("127.0.0.1", 0);
	bind_or_die(gc, &me, sizeof me);
	first = v4("127.0.2.1", local_port(g));
	if (connect(gc, (struct sockaddr *)&first, sizeof first) < 0) {
		perror("FATAL: connect to the 300-address listener");
		exit(2);
	}
	gid = assoc_to(gc, &first, sizeof first);
	MEASURE("counts.sctp_getpaddrs.live_300addrs", sctp_getpaddrs(gc, gid, &addrs));
	if (last > 0)
		MEASURE("counts.sctp_freepaddrs.live_300addrs", sctp_freepaddrs(addrs));
	close(gc);
	close(g);

	MEASURE("counts.sctp_getaddrlen.inet", sctp_getaddrlen(AF_INET));
	MEASURE("counts.sctp_getaddrlen.inet6", sctp_getaddrlen(AF_INET6));
	MEASURE("counts.sctp_getaddrlen.unknown", sctp_getaddrlen(AF_UNIX));
}

/* The same program with SCTP_RS_TRACE=1 (a child started with it, stderr to /dev/null): the
 * count of a call that makes no syscall must show the trace's (its fstat and write), as the
 * lines above would if the trace added anything with the variable unset. */
static void trace_on(const char *self)
{
	pid_t pid;
	int status = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		setenv("SCTP_RS_TRACE", "1", 1);
		execl(self, self, "--traced", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		line("counts.trace_on", "child failed (status %d)", status);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	load_shim();
	if (argc > 1 && !strcmp(argv[1], "--traced")) {
		count_begin();
		sctp_getaddrlen(AF_INET);
		count_end();
		line("counts.trace_on.sctp_getaddrlen", "the trace's syscalls counted=%s",
		     count_syscalls() > 0 ? "yes" : "no");
		return 0;
	}
	self_test();
	line("counts.trace", "SCTP_RS_TRACE %s", getenv("SCTP_RS_TRACE") ? "set" : "unset");
	setup();
	send_();
#ifdef HAVE_SCTP_SENDX
	sendx();
#endif
	sendmsg_();
	sendv();
	recvmsg_();
	recvv();
	peeloff();
	bindx();
	connectx();
	opt_info();
	getaddrs();
	trace_on("/proc/self/exe");
	return 0;
}
