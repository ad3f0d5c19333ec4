/* Instructions per call, lksctp against sctp_rs against the raw syscall, under callgrind.
 *
 * Both libraries are loaded the same way, with dlopen (lksctp: Debian's libsctp.so.1; sctp_rs:
 * the path given), and called through function pointers; the raw column calls glibc's wrapper
 * of the same syscall with arguments prepared beforehand (the floor). Each measured call is one
 * call between two callgrind client requests (collection toggled on, then off) followed by a
 * dump named "<function> <path> <column>"; everything else (setting up sockets, queueing a
 * message to receive, warming the PLT) runs with collection off. scripts/instr.py runs this
 * under valgrind --tool=callgrind --collect-atstart=no and reads the dumps. callgrind counts
 * user-space instructions only (glibc's syscall wrapper included, the kernel not), so the
 * counts are the same on every run.
 *
 *   instr fail LIB   a bad descriptor (EBADF): no SCTP needed
 *   instr live LIB   real associations on a kernel with SCTP (make test runs it in UML)
 *
 * Functions lksctp's shared library lacks (sctp_sendx, and sctp_peeloff_flags, which its
 * version script hides) have no lksctp column: they compare with the raw syscall. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

struct lib {
	int (*bindx)(int, struct sockaddr *, int, int);
	int (*connectx)(int, struct sockaddr *, int, sctp_assoc_t *);
	int (*getpaddrs)(int, sctp_assoc_t, struct sockaddr **);
	int (*freepaddrs)(struct sockaddr *);
	int (*getladdrs)(int, sctp_assoc_t, struct sockaddr **);
	int (*freeladdrs)(struct sockaddr *);
	int (*opt_info)(int, sctp_assoc_t, int, void *, socklen_t *);
	int (*peeloff)(int, sctp_assoc_t);
	int (*peeloff_flags)(int, sctp_assoc_t, unsigned);
	long (*send)(int, const void *, size_t, const struct sctp_sndrcvinfo *, int);
	long (*sendx)(int, const void *, size_t, struct sockaddr *, int,
		      const struct sctp_sndrcvinfo *, int);
	int (*sendmsg)(int, const void *, size_t, struct sockaddr *, socklen_t, uint32_t, uint32_t,
		       uint16_t, uint32_t, uint32_t);
	int (*recvmsg)(int, void *, size_t, struct sockaddr *, socklen_t *,
		       struct sctp_sndrcvinfo *, int *);
	int (*sendv)(int, const struct iovec *, int, struct sockaddr *, int, void *, socklen_t,
		     unsigned int, int);
	int (*recvv)(int, const struct iovec *, int, struct sockaddr *, socklen_t *, void *,
		     socklen_t *, unsigned int *, int *);
};

static struct lib libs[2]; /* 0: lksctp, 1: sctp_rs */
static const char *const column[3] = { "lksctp", "sctp_rs", "raw" };

static void *need(void *h, const char *name, const char *version)
{
	void *f = version ? dlvsym(h, name, version) : dlsym(h, name);
	if (!f && strcmp(name, "sctp_peeloff_flags") && strcmp(name, "sctp_sendx")) {
		fprintf(stderr, "instr: %s lacks %s\n", version ? version : "library", name);
		exit(2);
	}
	return f;
}

static void load(struct lib *l, const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "instr: %s\n", dlerror());
		exit(2);
	}
#define F(field, name) l->field = need(h, name, NULL)
	F(bindx, "sctp_bindx");
	l->connectx = need(h, "sctp_connectx", "VERS_3");
	F(getpaddrs, "sctp_getpaddrs");
	F(freepaddrs, "sctp_freepaddrs");
	F(getladdrs, "sctp_getladdrs");
	F(freeladdrs, "sctp_freeladdrs");
	F(opt_info, "sctp_opt_info");
	F(peeloff, "sctp_peeloff");
	F(peeloff_flags, "sctp_peeloff_flags");
	F(send, "sctp_send");
	F(sendx, "sctp_sendx");
	F(sendmsg, "sctp_sendmsg");
	F(recvmsg, "sctp_recvmsg");
	F(sendv, "sctp_sendv");
	F(recvv, "sctp_recvv");
#undef F
}

/* ---- the state the calls use ---------------------------------------------------------- */

static int listener, client;
static uint16_t port;
static sctp_assoc_t cid, sid, id_arg;
static struct sockaddr_in srv, three[3];
static struct sctp_sndrcvinfo si;
static struct sctp_sndinfo snd;
static char buf[256];
static struct iovec iov = { .iov_base = buf, .iov_len = 1 };
static struct iovec riov = { .iov_base = buf, .iov_len = sizeof buf };

/* Prepared arguments of the raw syscalls. */
static struct msghdr rm;
static char rctl[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) + 2 * CMSG_SPACE(16)];
static char rbuf[4096];
static socklen_t rlen;

static void die(const char *what)
{
	fprintf(stderr, "instr: FATAL: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int sctp_socket(int type)
{
	int s = socket(AF_INET, type, IPPROTO_SCTP);
	if (s < 0)
		die("socket(IPPROTO_SCTP): no kernel SCTP");
	return s;
}

static struct sockaddr_in v4(const char *ip, uint16_t p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static sctp_assoc_t assoc_to(int s, const struct sockaddr_in *a)
{
	struct sctp_paddrinfo pi;
	socklen_t l = sizeof pi;
	memset(&pi, 0, sizeof pi);
	memcpy(&pi.spinfo_address, a, sizeof *a);
	if (getsockopt(s, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
		return 0;
	return pi.spinfo_assoc_id;
}

/* A new client associated with the listener; its association id as the listener sees it. */
static int new_client(sctp_assoc_t *server_id)
{
	int c = sctp_socket(SOCK_SEQPACKET);
	struct sockaddr_in me = v4("127.0.0.1", 0), peer;
	socklen_t l = sizeof peer;
	if (bind(c, (struct sockaddr *)&me, sizeof me) < 0 ||
	    connect(c, (struct sockaddr *)&srv, sizeof srv) < 0)
		die("connect");
	getsockname(c, (struct sockaddr *)&peer, &l);
	if (server_id)
		*server_id = assoc_to(listener, &peer);
	return c;
}

/* Empties the listener's queue (messages and notifications). */
static void drain(void)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };
	while (poll(&p, 1, 0) == 1)
		if (recv(listener, rbuf, sizeof rbuf, 0) < 0)
			break;
}

/* One message queued at the listener, arrived, before a measured receive; `rcvinfo`: what
 * sctp_recvv uses (SCTP_RECVRCVINFO on, SCTP_EVENTS data_io off: an SCTP_RCVINFO alone), else
 * what sctp_recvmsg uses (data_io on, SCTP_RECVRCVINFO off: an SCTP_SNDRCV alone). */
static void queue_one(int rcvinfo)
{
	struct sctp_event_subscribe ev;
	int data_io = !rcvinfo;
	struct pollfd p = { .fd = listener, .events = POLLIN };
	struct sctp_sndrcvinfo q;
	memset(&q, 0, sizeof q);
	q.sinfo_assoc_id = cid;
	q.sinfo_stream = 1;
	drain();
	memset(&ev, 0, sizeof ev);
	ev.sctp_data_io_event = (uint8_t)data_io;
	setsockopt(listener, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev);
	setsockopt(listener, IPPROTO_SCTP, SCTP_RECVRCVINFO, &rcvinfo, sizeof rcvinfo);
	if (libs[1].send(client, "q", 1, &q, 0) != 1)
		die("queue a message");
	if (poll(&p, 1, 5000) != 1)
		die("the queued message did not arrive");
}

/* Per-call state of the live rows: the socket or association the call uses up. */
static int fresh = -1, peeled = -1, other = -1;
static int live;

/* Before each call's setup: what the last call used up goes, and on a live path the messages
 * the sends queued at the listener are read (the timed rows send thousands: a full receive
 * buffer would block the sender). */
static void release(void)
{
	if (peeled >= 0)
		close(peeled);
	if (fresh >= 0)
		close(fresh);
	if (other >= 0)
		close(other);
	peeled = fresh = other = -1;
	if (live)
		drain();
}

/* ---- measuring ------------------------------------------------------------------------- */

static const char *path_name;

#ifndef TIMING
/* Instructions: `call` runs twice unmeasured (binds the PLT, warms the library), then `setup`
 * and `call` once measured, dumped as "<name> <path> <column>". */
#define MEASURE(name, k, setup, call)                                                       \
	do {                                                                                \
		char dump_[128];                                                            \
		for (int w_ = 0; w_ < 3; w_++) {                                            \
			release();                                                          \
			setup;                                                              \
			if (w_ == 2) {                                                      \
				CALLGRIND_TOGGLE_COLLECT;                                   \
			}                                                                   \
			call;                                                               \
			if (w_ == 2) {                                                      \
				CALLGRIND_TOGGLE_COLLECT;                                   \
			}                                                                   \
		}                                                                           \
		snprintf(dump_, sizeof dump_, "%s %s %s", name, path_name, column[k]);      \
		CALLGRIND_DUMP_STATS_AT(dump_);                                             \
		release();                                                                  \
	} while (0)

/* A row: lksctp (when its shared library has the function) and sctp_rs through `l`, then the
 * raw syscall. */
#define ROW(name, lk_has, setup, call, raw_setup, raw_call)                                \
	do {                                                                                \
		for (int k_ = lk_has ? 0 : 1; k_ < 2; k_++) {                               \
			struct lib *l = &libs[k_];                                          \
			MEASURE(name, k_, setup, call);                                      \
		}                                                                           \
		MEASURE(name, 2, raw_setup, raw_call);                                       \
	} while (0)
#else
/* Nanoseconds (bench/instr.c built with -DTIMING, `make bench`): each column's calls timed one
 * by one (the setup of a call outside its time), ROUNDS rounds interleaved across the columns,
 * the best round kept, the cost of reading the clock taken off. Prints
 * "time <name> <path> <column> <ns>". */
#include <time.h>
#define ROUNDS 7
static int calls_per_round;
static double clock_cost;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

#define TIME_ONE(setup, call, out)                                                          \
	do {                                                                                \
		double tot_ = 0;                                                            \
		for (int i_ = 0; i_ < calls_per_round; i_++) {                              \
			double t0_;                                                         \
			release();                                                          \
			setup;                                                              \
			t0_ = now();                                                        \
			call;                                                               \
			tot_ += now() - t0_;                                                \
		}                                                                           \
		release();                                                                  \
		out = tot_ / calls_per_round - clock_cost;                                 \
	} while (0)

#define ROW(name, lk_has, setup, call, raw_setup, raw_call)                                \
	do {                                                                                \
		double best_[3] = { 1e30, 1e30, 1e30 };                                     \
		for (int r_ = 0; r_ < ROUNDS; r_++) {                                       \
			for (int k_ = lk_has ? 0 : 1; k_ < 2; k_++) {                       \
				struct lib *l = &libs[k_];                                  \
				double t_;                                                  \
				TIME_ONE(setup, call, t_);                                  \
				if (t_ < best_[k_])                                         \
					best_[k_] = t_;                                     \
			}                                                                   \
			{                                                                   \
				double t_;                                                  \
				TIME_ONE(raw_setup, raw_call, t_);                          \
				if (t_ < best_[2])                                          \
					best_[2] = t_;                                      \
			}                                                                   \
		}                                                                           \
		for (int k_ = lk_has ? 0 : 1; k_ < 3; k_++)                                 \
			printf("time\t%s\t%s\t%s\t%.0f\n", name, path_name, column[k_],     \
			       best_[k_]);                                                  \
		fflush(stdout);                                                             \
	} while (0)
#endif

/* ---- the raw syscalls' prepared arguments ---------------------------------------------- */

static void raw_msg(void *name, socklen_t namelen, struct iovec *v, size_t ctl_len)
{
	memset(&rm, 0, sizeof rm);
	rm.msg_name = name;
	rm.msg_namelen = namelen;
	rm.msg_iov = v;
	rm.msg_iovlen = 1;
	rm.msg_control = ctl_len ? rctl : NULL;
	rm.msg_controllen = ctl_len;
}

/* rctl holds, from `at`, one cmsg of `type` with `len` bytes of `data`; returns the end. */
static size_t raw_cmsg(size_t at, int type, const void *data, size_t len)
{
	struct cmsghdr c = { .cmsg_len = CMSG_LEN(len), .cmsg_level = IPPROTO_SCTP,
			     .cmsg_type = type };
	memset(rctl + at, 0, CMSG_SPACE(len));
	memcpy(rctl + at, &c, sizeof c);
	memcpy(rctl + at + CMSG_LEN(0), data, len);
	return at + CMSG_SPACE(len);
}

static void raw_send(void)
{
	raw_msg(NULL, 0, &iov, raw_cmsg(0, SCTP_SNDRCV, &si, sizeof si));
}

static void raw_sendmsg(void)
{
	struct sctp_sndrcvinfo s;
	memset(&s, 0, sizeof s);
	s.sinfo_stream = 1;
	raw_msg(&srv, sizeof srv, &iov, raw_cmsg(0, SCTP_SNDRCV, &s, sizeof s));
}

static void raw_sendv(void)
{
	raw_msg(NULL, 0, &iov, raw_cmsg(0, SCTP_SNDINFO, &snd, sizeof snd));
}

static void raw_sendx(void)
{
	struct sctp_sndrcvinfo s;
	size_t at;
	memset(&s, 0, sizeof s);
	at = raw_cmsg(0, SCTP_SNDRCV, &s, sizeof s);
	at = raw_cmsg(at, SCTP_DSTADDRV4, &three[1].sin_addr, 4);
	at = raw_cmsg(at, SCTP_DSTADDRV4, &three[2].sin_addr, 4);
	raw_msg(&three[0], sizeof three[0], &iov, at);
}

static void raw_recv(size_t ctl)
{
	raw_msg(NULL, 0, &riov, ctl);
}

/* ---- the rows -------------------------------------------------------------------------- */

static struct sctp_sndrcvinfo rsi;
static struct sctp_rcvinfo rcv;
static struct sctp_status st;
static socklen_t sl, il;
static unsigned it;
static int fl;
static struct sockaddr *list;
static struct sockaddr_in a2;
static sctp_assoc_t id;
static sctp_peeloff_arg_t pa;
static sctp_peeloff_flags_arg_t pfa;
static struct {
	sctp_assoc_t assoc_id;
	int addr_num;
	struct sockaddr *addrs;
} cx;

/* The descriptor each kind of call uses: -1 on the fail path. */
#define SENDER (live ? client : -1)
#define RECEIVER (live ? listener : -1)

/* Setups of the live rows that use something up. */
static void new_assoc(void)
{
	if (live) {
		other = new_client(&id_arg);
		pa.associd = id_arg;
		pfa.p_arg.associd = id_arg;
		pfa.flags = SOCK_CLOEXEC;
	} else {
		id_arg = 1;
	}
}

static void new_socket(void)
{
	if (live) {
		struct sockaddr_in me = v4("127.0.0.1", 0), got;
		socklen_t l = sizeof got;
		fresh = sctp_socket(SOCK_SEQPACKET);
		bind(fresh, (struct sockaddr *)&me, sizeof me);
		getsockname(fresh, (struct sockaddr *)&got, &l);
		a2 = v4("127.0.0.2", ntohs(got.sin_port));
	} else {
		a2 = v4("127.0.0.2", 9);
	}
}

static void rows(void)
{
	int s_fd;
	si.sinfo_assoc_id = cid;
	si.sinfo_stream = 1;
	snd.snd_assoc_id = cid;
	snd.snd_sid = 1;

	ROW("sctp_send", 1, (void)0, l->send(SENDER, buf, 1, &si, 0), raw_send(),
	    sendmsg(SENDER, &rm, 0));
	ROW("sctp_sendmsg", 1, (void)0,
	    l->sendmsg(SENDER, buf, 1, (struct sockaddr *)&srv, sizeof srv, 0, 0, 1, 0, 0),
	    raw_sendmsg(), sendmsg(SENDER, &rm, 0));
	ROW("sctp_sendv", 1, (void)0,
	    l->sendv(SENDER, &iov, 1, NULL, 0, &snd, sizeof snd, SCTP_SENDV_SNDINFO, 0),
	    raw_sendv(), sendmsg(SENDER, &rm, 0));
	ROW("sctp_sendx", 0, (void)0,
	    l->sendx(SENDER, buf, 1, (struct sockaddr *)three, 3, NULL, 0), raw_sendx(),
	    sendmsg(SENDER, &rm, 0));
	if (live)
		ROW("sctp_sendx_new", 0, (new_socket(), s_fd = fresh),
		    l->sendx(s_fd, buf, 1, (struct sockaddr *)three, 3, NULL, 0),
		    (new_socket(), s_fd = fresh, raw_sendx()), sendmsg(s_fd, &rm, 0));
	ROW("sctp_recvmsg", 1, (live ? queue_one(0) : (void)0, fl = 0),
	    l->recvmsg(RECEIVER, buf, sizeof buf, NULL, NULL, &rsi, &fl),
	    (live ? queue_one(0) : (void)0, raw_recv(CMSG_SPACE(sizeof rsi))),
	    recvmsg(RECEIVER, &rm, 0));
	ROW("sctp_recvv", 1, (live ? queue_one(1) : (void)0, fl = 0, il = sizeof rcv),
	    l->recvv(RECEIVER, &riov, 1, NULL, NULL, &rcv, &il, &it, &fl),
	    (live ? queue_one(1) : (void)0, raw_recv(CMSG_SPACE(sizeof rcv) + CMSG_SPACE(16))),
	    recvmsg(RECEIVER, &rm, 0));
	ROW("sctp_peeloff", 1, new_assoc(), peeled = l->peeloff(RECEIVER, id_arg),
	    (new_assoc(), rlen = sizeof pa),
	    (getsockopt(RECEIVER, SOL_SCTP, SCTP_SOCKOPT_PEELOFF, &pa, &rlen), peeled = pa.sd));
	ROW("sctp_peeloff_flags", 0, new_assoc(),
	    peeled = l->peeloff_flags(RECEIVER, id_arg, SOCK_CLOEXEC),
	    (new_assoc(), rlen = sizeof pfa),
	    (getsockopt(RECEIVER, SOL_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &pfa, &rlen),
	     peeled = pfa.p_arg.sd));
	ROW("sctp_bindx", 1, (new_socket(), s_fd = live ? fresh : -1),
	    l->bindx(s_fd, (struct sockaddr *)&a2, 1, SCTP_BINDX_ADD_ADDR),
	    (new_socket(), s_fd = live ? fresh : -1),
	    setsockopt(s_fd, SOL_SCTP, SCTP_SOCKOPT_BINDX_ADD, &a2, sizeof a2));
	ROW("sctp_connectx", 1, (new_socket(), s_fd = live ? fresh : -1),
	    l->connectx(s_fd, (struct sockaddr *)&srv, 1, &id),
	    (new_socket(), s_fd = live ? fresh : -1, cx.assoc_id = 0,
	     cx.addr_num = sizeof srv, cx.addrs = (struct sockaddr *)&srv, rlen = sizeof cx),
	    getsockopt(s_fd, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3, &cx, &rlen));
	ROW("sctp_opt_info", 1, sl = sizeof st,
	    l->opt_info(SENDER, cid, SCTP_STATUS, &st, &sl),
	    (sl = sizeof st, st.sstat_assoc_id = cid),
	    getsockopt(SENDER, IPPROTO_SCTP, SCTP_STATUS, &st, &sl));
	ROW("sctp_getpaddrs", 1, (void)0,
	    (l->getpaddrs(SENDER, cid, &list) >= 0 ? l->freepaddrs(list) : 0),
	    (rlen = sizeof rbuf, memcpy(rbuf, &cid, sizeof cid)),
	    getsockopt(SENDER, SOL_SCTP, SCTP_GET_PEER_ADDRS, rbuf, &rlen));
	ROW("sctp_getladdrs", 1, (void)0,
	    (l->getladdrs(SENDER, cid, &list) >= 0 ? l->freeladdrs(list) : 0),
	    (rlen = sizeof rbuf, memcpy(rbuf, &cid, sizeof cid)),
	    getsockopt(SENDER, SOL_SCTP, SCTP_GET_LOCAL_ADDRS, rbuf, &rlen));
}

int main(int argc, char **argv)
{
	int on = 1;
	if (argc != 3 || (strcmp(argv[1], "fail") && strcmp(argv[1], "live"))) {
		fprintf(stderr, "usage: %s fail|live path/to/libsctp_rs.so\n", argv[0]);
		return 2;
	}
	path_name = argv[1];
	live = !strcmp(argv[1], "live");
	load(&libs[0], "libsctp.so.1");
	load(&libs[1], argv[2]);
	if (live) {
		struct sctp_event_subscribe ev;
		struct sockaddr_in any = v4("127.0.0.1", 0);
		socklen_t l = sizeof srv;
		listener = sctp_socket(SOCK_SEQPACKET);
		if (bind(listener, (struct sockaddr *)&any, sizeof any) < 0 || listen(listener, 64) < 0)
			die("listen");
		getsockname(listener, (struct sockaddr *)&srv, &l);
		port = ntohs(srv.sin_port);
		memset(&ev, 0, sizeof ev);
		ev.sctp_data_io_event = 1; /* sctp_recvmsg gets its SCTP_SNDRCV */
		setsockopt(listener, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev);
		client = new_client(&sid);
		cid = assoc_to(client, &srv);
		setsockopt(client, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof on);
		three[0] = srv;
		three[1] = v4("127.0.0.2", port);
		three[2] = v4("127.0.0.3", port);
	} else {
		cid = 1;
		srv = v4("127.0.0.1", 9);
		three[0] = v4("127.0.0.1", 9);
		three[1] = v4("127.0.0.2", 9);
		three[2] = v4("127.0.0.3", 9);
	}
#ifdef TIMING
	calls_per_round = live ? 100 : 20000;
	{
		double t0 = now();
		for (int i = 0; i < 100000; i++)
			(void)now();
		clock_cost = (now() - t0) / 100000;
	}
#endif
	rows();
	return 0;
}
