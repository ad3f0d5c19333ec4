/* Shared by the bad-input matrices: badinput.c (every function both libraries have, compared
 * line by line) and badinput_sendx.c (sctp_sendx, sctp_rs only). Included once per program:
 * it defines the program's syscall recorder.
 *
 * A row is one call with one bad input, printed as
 *   "<function>.<input>: ret=<class> errno=<name|unchanged> sys=<calls>[ <what was written>]"
 * where sys lists the socket calls the library made for it, in order: "none" when it refused
 * the input itself, "getsockopt(CONNECTX3)" when it handed it to the kernel. errno is preset to
 * ERRNO_SENTINEL, so "unchanged" means the call did not touch it.
 *
 * Bounded in time: SIGPIPE is ignored for the whole program (sctp_sendmsg and lksctp's
 * sctp_sendv have no way to pass MSG_NOSIGNAL), receiving rows on an empty socket pass
 * MSG_DONTWAIT through *msg_flags / *flags, rows whose flags pointer is NULL have a message
 * queued first, and every socket the programs make carries SO_RCVTIMEO and SO_SNDTIMEO of 2 s,
 * so a call that blocked by mistake would still end (and show as EAGAIN/EINPROGRESS). */
#ifndef SCTP_RS_C_TESTS_BADINPUT_H
#define SCTP_RS_C_TESTS_BADINPUT_H

#include "common.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- The syscall recorder ----
 * The program defines getsockopt, setsockopt, fcntl, sendmsg and recvmsg. The library's calls
 * to them bind here (the shared libraries through their PLT, since an executable's definitions
 * come first; libsctp.a at link time); each one notes its name while a row is recorded and
 * passes the call on to libc's, found with RTLD_NEXT. */
static int (*real_getsockopt)(int, int, int, void *, socklen_t *);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_fcntl)(int, int, ...);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static int rec_on;
static char rec_buf[512];

static void rec_init(void)
{
	real_getsockopt = (int (*)(int, int, int, void *, socklen_t *))dlsym(RTLD_NEXT, "getsockopt");
	real_setsockopt = (int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT,
										  "setsockopt");
	real_fcntl = (int (*)(int, int, ...))dlsym(RTLD_NEXT, "fcntl");
	real_sendmsg = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	real_recvmsg = (ssize_t (*)(int, struct msghdr *, int))dlsym(RTLD_NEXT, "recvmsg");
	if (!real_getsockopt || !real_setsockopt || !real_fcntl || !real_sendmsg || !real_recvmsg) {
		fprintf(stderr, "FATAL: dlsym(RTLD_NEXT) found no libc socket calls\n");
		exit(2);
	}
}

static void rec_note(const char *what)
{
	size_t n = strlen(rec_buf);
	if (!rec_on)
		return;
	snprintf(rec_buf + n, sizeof rec_buf - n, "%s%s", n ? "," : "", what);
}

static const char *opt_name(int level, int opt)
{
	static char buf[32];
	if (level == SOL_SCTP) {
		switch (opt) {
#define O(x) case SCTP_##x: return #x;
		O(SOCKOPT_BINDX_ADD) O(SOCKOPT_BINDX_REM) O(SOCKOPT_PEELOFF) O(SOCKOPT_CONNECTX_OLD)
		O(GET_PEER_ADDRS) O(GET_LOCAL_ADDRS) O(SOCKOPT_CONNECTX) O(SOCKOPT_CONNECTX3)
		O(SOCKOPT_PEELOFF_FLAGS) O(RTOINFO) O(STATUS) O(EVENTS) O(RECVRCVINFO)
#undef O
		}
	} else if (level == SOL_SOCKET) {
		switch (opt) {
		case SO_PROTOCOL: return "SO_PROTOCOL";
		case SO_TYPE: return "SO_TYPE";
		case SO_DOMAIN: return "SO_DOMAIN";
		}
	}
	snprintf(buf, sizeof buf, "%d/%d", level, opt);
	return buf;
}

static void rec_sockopt(const char *call, int level, int opt)
{
	char what[64];
	const char *n = opt_name(level, opt);
	/* CONNECTX3 rather than SOCKOPT_CONNECTX3: the prefix says nothing. */
	if (!strncmp(n, "SOCKOPT_", 8))
		n += 8;
	snprintf(what, sizeof what, "%s(%s)", call, n);
	rec_note(what);
}

int getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
	rec_sockopt("getsockopt", level, opt);
	return real_getsockopt(fd, level, opt, val, len);
}

int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
	rec_sockopt("setsockopt", level, opt);
	return real_setsockopt(fd, level, opt, val, len);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	rec_note(cmd == F_GETFL ? "fcntl(F_GETFL)" : cmd == F_SETFL ? "fcntl(F_SETFL)" : "fcntl");
	return real_fcntl(fd, cmd, arg);
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	rec_note("sendmsg");
	return real_sendmsg(fd, m, flags);
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	rec_note("recvmsg");
	return real_recvmsg(fd, m, flags);
}

/* ---- Rows ---- */
static long R; /* what the call returned */
static int E;  /* errno right after it */

static void rec_begin(void)
{
	rec_buf[0] = 0;
	rec_on = 1;
	errno = ERRNO_SENTINEL;
}

/* CALL(expr): runs one library call with the recorder on and errno preset. */
#define CALL(expr) (rec_begin(), R = (long)(expr), E = errno, rec_on = 0)

/* Prints the row of the last CALL, then `fmt` (what the call wrote back), if any. */
static void row(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row(const char *check, const char *fmt, ...)
{
	char extra[256] = "", raw[32] = "";
	const char *cls = R == -1 ? "-1" : R == 0 ? "0" : R > 0 ? ">0" : "<-1";
	va_list ap;
	if (fmt && *fmt) {
		extra[0] = ' ';
		va_start(ap, fmt);
		vsnprintf(extra + 1, sizeof extra - 1, fmt, ap);
		va_end(ap);
	}
	if (R < -1) /* a negative errno returned as the value (lksctp's sctp_sendv) */
		snprintf(raw, sizeof raw, " (raw %ld)", R);
	line(check, "ret=%s%s errno=%s sys=%s%s", cls, raw,
	     E == ERRNO_SENTINEL ? "unchanged" : errname(E), rec_buf[0] ? rec_buf : "none", extra);
}

/* ---- Descriptors and sockets ---- */

/* Every socket made here gives up on a blocked call after 2 s. */
static int bounded(int fd)
{
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return fd;
}

static int sock(int family, int type, int proto)
{
	int fd = socket(family, type, proto);
	if (fd < 0) {
		fprintf(stderr, "FATAL: socket(%d, %d, %d): %s\n", family, type, proto, errname(errno));
		exit(2);
	}
	return bounded(fd);
}

/* A fresh unbound SCTP socket. */
static int fresh(int family, int type)
{
	return bounded(sctp_socket(family, type));
}

/* The descriptors a caller can pass by mistake: what each function's fd rows go through. The
 * program adds its SCTP sockets of the wrong kind (bad_fd_add). */
struct badfd {
	const char *name;
	int fd;
};
static struct badfd badfds[16];
static int n_badfds;

static void bad_fd_add(const char *name, int fd)
{
	badfds[n_badfds].name = name;
	badfds[n_badfds].fd = fd;
	n_badfds++;
}

static void bad_fds_open(void)
{
	int p[2], t, hi;
	FILE *f = tmpfile();
	bad_fd_add("minus1", -1);
	/* A descriptor that was open and is closed: high, so nothing reuses it meanwhile. */
	t = open("/dev/null", O_RDONLY);
	hi = fcntl(t, F_DUPFD, 900);
	if (t < 0 || hi < 0 || !f || pipe(p) < 0) {
		perror("FATAL: descriptors");
		exit(2);
	}
	close(t);
	close(hi);
	bad_fd_add("closed", hi);
	bad_fd_add("regular_file", fileno(f));
	bad_fd_add("pipe", p[0]);
	bad_fd_add("epoll", epoll_create1(0));
	bad_fd_add("tcp4", sock(AF_INET, SOCK_STREAM, 0));
	bad_fd_add("tcp6", sock(AF_INET6, SOCK_STREAM, 0));
	bad_fd_add("udp4", sock(AF_INET, SOCK_DGRAM, 0));
	bad_fd_add("udp6", sock(AF_INET6, SOCK_DGRAM, 0));
	bad_fd_add("unix", sock(AF_UNIX, SOCK_STREAM, 0));
}

/* Association ids a caller can pass by mistake; `other` is one that exists, on another socket. */
struct idcase {
	const char *name;
	sctp_assoc_t id;
};
#define N_IDS 6
static void bad_ids(struct idcase out[N_IDS], sctp_assoc_t other)
{
	struct idcase ids[N_IDS] = {
		{ "0_future", SCTP_FUTURE_ASSOC }, /* SCTP_FUTURE_ASSOC is 0 */
		{ "negative", -5 },
		{ "unknown", 0x7ffffff0 },
		{ "other_socket", other },
		{ "current", SCTP_CURRENT_ASSOC },
		{ "all", SCTP_ALL_ASSOC },
	};
	memcpy(out, ids, sizeof ids);
}

/* Builds "<fn>.<group>.<name>" in a static buffer. */
static const char *name3(const char *fn, const char *group, const char *name)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s.%s.%s", fn, group, name);
	return buf;
}

/* Packed arrays: one address; a valid address followed by one of family AF_UNIX (so that a
 * library walking addrcnt = INT_MAX addresses must stop at the second); one AF_UNIX or
 * AF_UNSPEC address (16 bytes, sockaddr_in sized); the IPv4-mapped IPv6 address. */
static struct packed one_v4(const char *ip, uint16_t port)
{
	struct packed p = { .len = 0 };
	add4(&p, ip, port);
	return p;
}

static void add_family(struct packed *p, sa_family_t family)
{
	struct sockaddr_in a = v4("127.0.0.1", 9);
	a.sin_family = family;
	packed_add(p, &a, sizeof a);
}

static struct packed valid_then_bad(uint16_t port)
{
	struct packed p = one_v4("127.0.0.1", port);
	add_family(&p, AF_UNIX);
	return p;
}

static struct packed bad_family(sa_family_t family)
{
	struct packed p = { .len = 0 };
	add_family(&p, family);
	return p;
}

static struct packed v4mapped(uint16_t port)
{
	struct packed p = { .len = 0 };
	add6(&p, "::ffff:127.0.0.1", port);
	return p;
}

#define ADDRS(p) ((struct sockaddr *)(p).buf)

/* ---- The fixtures both programs use ---- */
static uint16_t port;   /* L: one-to-many listener on 127.0.0.1 (data_io, association events) */
static int L, C, C2;    /* C and C2: one-to-many clients, each with an association to L */
static sctp_assoc_t cid, sid, cid2; /* C's association as C sees it (cid) and as L does (sid) */
static int oc, oa, ol;  /* one-to-one: connected client, accepted socket, listener */
static struct sockaddr_in laddr; /* 127.0.0.1:port */
static struct packed lpack;      /* the same, as a packed array of one */

/* The recorder, SIGPIPE ignored, the bad descriptors and the fixtures above. */
static void badinput_setup(void)
{
	rec_init();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	bad_fds_open();
	L = bounded(listener_v4(&port));
	C = bounded(assoc_client(L, port, &cid, &sid));
	C2 = bounded(assoc_client(L, port, &cid2, NULL));
	ol = bounded(one_to_one_pair(&oc, &oa));
	bounded(oc);
	bounded(oa);
	laddr = v4("127.0.0.1", port);
	lpack = one_v4("127.0.0.1", port);
	if (!cid || !sid || !cid2 || cid == sid || cid == cid2 || sid == cid2) {
		fprintf(stderr, "FATAL: association ids %d %d %d\n", cid, sid, cid2);
		exit(2);
	}
	/* The wrong kinds of SCTP socket: one-to-one where one-to-many is meant. */
	bad_fd_add("sctp_one_to_one", oc);
	bad_fd_add("sctp_listening_one_to_one", ol);
}

#endif
