/* The socket API around SCTP sockets, on the real kernel SCTP stack (and, unchanged, on any other
 * stack that claims Linux's semantics). Every line is fixed by Linux: values that depend on
 * sysctls or timing are printed as relations or not at all.
 *
 * sockapi.opt.*: socket options set then read, on a one-to-many and a one-to-one socket, before
 *   and after an association exists: SOL_SOCKET (identity, SO_ACCEPTCONN, SO_ERROR, SO_LINGER,
 *   timeouts, SO_REUSEADDR, SO_KEEPALIVE, buffer sizes as relations) and SCTP level (NODELAY,
 *   INITMSG, RTOINFO, ASSOCINFO, MAXSEG, DEFAULT_SNDINFO / DEFAULT_SEND_PARAM, AUTOCLOSE, EVENT
 *   and EVENTS, RECVRCVINFO, RECVNXTINFO, PEER_ADDR_PARAMS, STATUS, DISABLE_FRAGMENTS,
 *   FRAGMENT_INTERLEAVE, PARTIAL_DELIVERY_POINT, MAX_BURST, CONTEXT, PR_SUPPORTED,
 *   I_WANT_MAPPED_V4_ADDR, ADAPTATION_LAYER), what an association and an accepted socket inherit,
 *   invalid values and short lengths with their errno.
 * sockapi.notify.*: notifications subscribed one by one with SCTP_EVENT: ASSOC_CHANGE (COMM_UP
 *   with its stream counts, SHUTDOWN_COMP, COMM_LOST after the peer's ABORT, CANT_STR_ASSOC),
 *   SHUTDOWN_EVENT, SEND_FAILED_EVENT for data still queued when the peer aborts, SENDER_DRY_EVENT,
 *   ADAPTATION_INDICATION, PEER_ADDR_CHANGE (a second peer address confirmed by a heartbeat).
 * sockapi.ready.*: 50 rounds in a row of poll, epoll (level- and edge-triggered) and select
 *   waiting for an event that is sure to come: a message on a one-to-many socket, a pending
 *   connection on a listener, data on an accepted socket, the peer's graceful close (and recv
 *   returning 0), writability once sent data is acknowledged. Each round is bounded (2 s), so a
 *   missed wakeup shows as a count below 50.
 * sockapi.nbconnect.*: non-blocking connect (one-to-one and one-to-many, connect and
 *   sctp_connectx), to a listener and to a port where nothing listens.
 * sockapi.exec.*: a socket kept across exec (the new image, this program started with
 *   --exec-part, uses it), and one with close-on-exec (gone in the new image; its association
 *   ends gracefully when the exec drops the last descriptor).
 * sockapi.kill.*: a process holding a one-to-one association killed with SIGKILL: with data it
 *   has not read the peer sees an ABORT, with nothing unread a graceful shutdown.
 *
 * Association ids, ports and descriptors are printed as relations (same, differs, zero). */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 50
/* Bounds of every wait, stretched by SCTP_RS_TEST_SLOW (slow_factor()) for slow runs. */
#define WAIT_MS (2000 * slow_factor())
#define QUIET_MS (200 * slow_factor())	/* "nothing more comes": related events come together */
#define KEEP_FD 201	/* the descriptor number the exec checks use */
#define CLOEXEC_FD 200

/* ------------------------------------------------------------- formatting helpers */

static struct timespec start_time;

/* Names the running part for the watchdog and writes it, with the time since the start, to
 * stderr (stdout has only the checks). */
static void phase(const char *what)
{
	static char now[2][96];
	static int i;
	struct timespec t;
	char *p = now[i++ % 2];
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "sockapi: %6.2f s: %s\n", (double)(t.tv_sec - start_time.tv_sec) +
		(double)(t.tv_nsec - start_time.tv_nsec) / 1e9, what);
	snprintf(p, sizeof now[0], "%s", what);
	watchdog_phase(p);
}

/* A string that stays valid for the next 31 calls. */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
	static char b[32][512];
	static int i;
	char *s = b[i++ % 32];
	va_list ap;
	va_start(ap, f);
	vsnprintf(s, sizeof b[0], f, ap);
	va_end(ap);
	return s;
}

static const char *name(const char *base, const char *what)
{
	return fmt("%s.%s", base, what);
}

static const char *err(int e)
{
	return e == ERRNO_SENTINEL ? "unchanged" : fmt("%s", errname(e));
}

static const char *rel(sctp_assoc_t id, sctp_assoc_t ref)
{
	return id == ref ? "same" : id == 0 ? "zero" : "differs";
}

static const char *yesno(int b)
{
	return b ? "yes" : "no";
}

static const char *spc_state_name(unsigned s)
{
	switch (s) {
	case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
	case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
	case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
	case SCTP_ADDR_ADDED: return "ADDR_ADDED";
	case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
	case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
	case SCTP_ADDR_POTENTIALLY_FAILED: return "ADDR_POTENTIALLY_FAILED";
	}
	return fmt("state%u", s);
}

static const char *revents_name(int r)
{
	char b[128] = "";
	if (!r)
		return "none";
#define R(x) if (r & x) { strcat(b, b[0] ? "|" #x : #x); r &= ~x; }
	R(POLLIN) R(POLLPRI) R(POLLOUT) R(POLLERR) R(POLLHUP) R(POLLRDHUP) R(POLLNVAL)
	R(POLLRDNORM) R(POLLWRNORM) R(POLLRDBAND) R(POLLWRBAND)
#undef R
	if (r)
		sprintf(b + strlen(b), "%s0x%x", b[0] ? "|" : "", (unsigned)r);
	return fmt("%s", b);
}

/* "127.0.0.1 port=same" for an IPv4 address, relative to `port`. */
static const char *addr_rel(const void *sa, uint16_t port)
{
	struct sockaddr_in a;
	char ip[INET6_ADDRSTRLEN] = "?";
	memcpy(&a, sa, sizeof a);
	if (a.sin_family != AF_INET)
		return fmt("family=%d", a.sin_family);
	inet_ntop(AF_INET, &a.sin_addr, ip, sizeof ip);
	return fmt("%s port=%s", ip, ntohs(a.sin_port) == port ? "same" : "differs");
}

/* ------------------------------------------------------------- option calls */

static int opt_errno; /* errno after the last gopt/sopt */

static int gopt(int fd, int level, int opt, void *v, socklen_t *len)
{
	int r;
	errno = 0;
	r = getsockopt(fd, level, opt, v, len);
	opt_errno = errno;
	return r;
}

static int sopt(int fd, int level, int opt, const void *v, socklen_t len)
{
	int r;
	errno = 0;
	r = setsockopt(fd, level, opt, v, len);
	opt_errno = errno;
	return r;
}

/* "ok" or the errno name of the last gopt/sopt, which returned r. (errno is cleared before
 * each: EDOM, the sentinel of ret_errno, is an answer here.) */
static const char *res(int r)
{
	if (r == 0)
		return "ok";
	if (r == -1)
		return opt_errno ? fmt("%s", errname(opt_errno)) : "-1 without errno";
	return fmt("ret=%d", r);
}

/* An int option's value, or the errno; "(len=N)" when the length written back is not 4. */
static const char *geti(int fd, int level, int opt)
{
	int v = -12345;
	socklen_t l = sizeof v;
	int r = gopt(fd, level, opt, &v, &l);
	if (r)
		return res(r);
	if (l != sizeof v)
		return fmt("%d(len=%u)", v, (unsigned)l);
	return fmt("%d", v);
}

static const char *seti(int fd, int level, int opt, int v)
{
	return res(sopt(fd, level, opt, &v, sizeof v));
}

static const char *getav(int fd, int opt, sctp_assoc_t id)
{
	struct sctp_assoc_value av = { .assoc_id = id, .assoc_value = 0xdead };
	socklen_t l = sizeof av;
	int r = gopt(fd, IPPROTO_SCTP, opt, &av, &l);
	if (r)
		return res(r);
	return fmt("%u", av.assoc_value);
}

static const char *setav(int fd, int opt, sctp_assoc_t id, uint32_t v)
{
	struct sctp_assoc_value av = { .assoc_id = id, .assoc_value = v };
	return res(sopt(fd, IPPROTO_SCTP, opt, &av, sizeof av));
}

/* A struct sctp_event with every byte set, its padding too (every byte handed to the kernel
 * is initialised). */
static struct sctp_event event_of(sctp_assoc_t id, uint16_t type, uint8_t on)
{
	struct sctp_event ev;
	memset(&ev, 0, sizeof ev);
	ev.se_assoc_id = id;
	ev.se_type = type;
	ev.se_on = on;
	return ev;
}

static const char *get_event(int fd, sctp_assoc_t id, uint16_t type)
{
	struct sctp_event ev = event_of(id, type, 0x77);
	socklen_t l = sizeof ev;
	int r = gopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, &l);
	if (r)
		return res(r);
	return fmt("%u", ev.se_on);
}

static const char *set_event(int fd, sctp_assoc_t id, uint16_t type, int on)
{
	struct sctp_event ev = event_of(id, type, (uint8_t)on);
	return res(sopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev));
}

/* Subscribes fd (the endpoint, SCTP_FUTURE_ASSOC) to each type in the 0-terminated list. */
static void events_on(int fd, ...)
{
	va_list ap;
	int type;
	va_start(ap, fd);
	while ((type = va_arg(ap, int)) != 0) {
		struct sctp_event ev = event_of(0, (uint16_t)type, 1);
		if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev) < 0) {
			fprintf(stderr, "FATAL: SCTP_EVENT 0x%x: %s\n", type, strerror(errno));
			exit(2);
		}
	}
	va_end(ap);
}

static void no_events(int fd)
{
	struct sctp_event_subscribe ev;
	memset(&ev, 0, sizeof ev);
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0) {
		perror("FATAL: SCTP_EVENTS");
		exit(2);
	}
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FATAL: %s: %s\n", what, strerror(errno));
		exit(2);
	}
}

static void set_initmsg(int fd, int ostreams, int instreams)
{
	struct sctp_initmsg im = { .sinit_num_ostreams = (uint16_t)ostreams,
				   .sinit_max_instreams = (uint16_t)instreams };
	must(setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im) == 0, "SCTP_INITMSG");
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A socket bound to 127.0.0.1:<ephemeral>. */
static int bound(int type)
{
	int fd = sctp_socket(AF_INET, type);
	struct sockaddr_in me = v4("127.0.0.1", 0);
	bind_or_die(fd, &me, sizeof me);
	return fd;
}

static int listening(int type, int backlog)
{
	int fd = bound(type);
	must(listen(fd, backlog) == 0, "listen");
	return fd;
}

/* accept within WAIT_MS, or -1. */
static int accept_within(int l)
{
	struct pollfd p = { .fd = l, .events = POLLIN };
	if (poll(&p, 1, WAIT_MS) != 1)
		return -1;
	return accept(l, NULL, NULL);
}

/* Association of a one-to-many `fd` with the peer 127.0.0.1:port. */
static sctp_assoc_t assoc_with(int fd, uint16_t port)
{
	struct sockaddr_in a = v4("127.0.0.1", port);
	return assoc_to(fd, &a, sizeof a);
}

/* ------------------------------------------------------------- receiving */

union msgbuf {
	union sctp_notification n;
	char raw[8192];
};

/* One message within ms (or at once when ms is 0; never waits when ms < 0): its length, the
 * msg_flags in *flags and the SCTP_RCVINFO (zeroed when none came) in *ri; -1 with errno
 * (ETIMEDOUT when nothing came). */
static long rmsg(int fd, union msgbuf *b, int ms, int *flags, struct sctp_rcvinfo *ri)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char ctl[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo))
		 + 64];
	struct iovec iov = { .iov_base = b->raw, .iov_len = sizeof b->raw };
	struct msghdr m;
	struct cmsghdr *c;
	long n;

	memset(ri, 0, sizeof *ri);
	*flags = 0;
	if (ms >= 0 && poll(&p, 1, ms) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof ctl;
	errno = ERRNO_SENTINEL;
	n = recvmsg(fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO)
			memcpy(ri, CMSG_DATA(c), sizeof *ri);
	*flags = m.msg_flags;
	return n;
}

/* A message as a line: the notification's fields that Linux fixes, or the data. */
static const char *describe(const union msgbuf *b, long n, int flags, const struct sctp_rcvinfo *ri,
			    sctp_assoc_t ref, uint16_t port)
{
	const union sctp_notification *u = &b->n;
	const char *lenok;
	if (!(flags & MSG_NOTIFICATION)) {
		if (n <= 16)
			return fmt("data len=%ld data=%.*s stream=%u", n, (int)n, b->raw, ri->rcv_sid);
		return fmt("data len=%ld stream=%u", n, ri->rcv_sid);
	}
	if (n < (long)sizeof u->sn_header)
		return fmt("short notification len=%ld", n);
	lenok = u->sn_header.sn_length == (uint32_t)n ? "" : " (sn_length is not the length read)";
	switch (u->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE: {
		const struct sctp_assoc_change *a = &u->sn_assoc_change;
		return fmt("ASSOC_CHANGE state=%s error=0x%x out=%u in=%u info_len=%ld assoc=%s%s",
			   assoc_state_name(a->sac_state), a->sac_error, a->sac_outbound_streams,
			   a->sac_inbound_streams, (long)a->sac_length - (long)sizeof *a,
			   rel(a->sac_assoc_id, ref), lenok);
	}
	case SCTP_SHUTDOWN_EVENT:
		return fmt("SHUTDOWN_EVENT assoc=%s%s", rel(u->sn_shutdown_event.sse_assoc_id, ref),
			   lenok);
	case SCTP_SENDER_DRY_EVENT:
		return fmt("SENDER_DRY_EVENT assoc=%s%s",
			   rel(u->sn_sender_dry_event.sender_dry_assoc_id, ref), lenok);
	case SCTP_ADAPTATION_INDICATION:
		return fmt("ADAPTATION_INDICATION ind=0x%x assoc=%s%s",
			   u->sn_adaptation_event.sai_adaptation_ind,
			   rel(u->sn_adaptation_event.sai_assoc_id, ref), lenok);
	case SCTP_PEER_ADDR_CHANGE: {
		const struct sctp_paddr_change *p = &u->sn_paddr_change;
		return fmt("PEER_ADDR_CHANGE state=%s error=%d addr=%s assoc=%s%s",
			   spc_state_name((unsigned)p->spc_state), p->spc_error,
			   addr_rel(&p->spc_aaddr, port), rel(p->spc_assoc_id, ref), lenok);
	}
	case SCTP_SEND_FAILED_EVENT: {
		const struct sctp_send_failed_event *s = &u->sn_send_failed_event;
		long dlen = (long)s->ssf_length - (long)sizeof *s;
		const char *fl = s->ssf_flags == SCTP_DATA_UNSENT ? "DATA_UNSENT"
			: s->ssf_flags == SCTP_DATA_SENT ? "DATA_SENT" : fmt("0x%x", s->ssf_flags);
		return fmt("SEND_FAILED_EVENT flags=%s error=0x%x sid=%u snd_flags=0x%x ppid=0x%x "
			   "context=0x%x assoc=%s info_assoc=%s data_len=%ld data=%.*s%s", fl,
			   s->ssf_error, s->ssfe_info.snd_sid, s->ssfe_info.snd_flags,
			   s->ssfe_info.snd_ppid, s->ssfe_info.snd_context, rel(s->ssf_assoc_id, ref),
			   rel(s->ssfe_info.snd_assoc_id, ref), dlen,
			   dlen > 0 && dlen <= 8 && n >= (long)sizeof *s + dlen ? (int)dlen : 0,
			   (const char *)s->ssf_data, lenok);
	}
	}
	return fmt("notification type=0x%x", u->sn_header.sn_type);
}

/* Prints "<base>.<i>: <message>" for the `expect` messages that should come on fd (each
 * within WAIT_MS of the one before), then what comes within QUIET_MS more: "none" when
 * nothing does. Stops at the first that does not come. */
static void show_msgs(const char *base, int fd, sctp_assoc_t ref, uint16_t port, int expect)
{
	union msgbuf b;
	struct sctp_rcvinfo ri;
	int flags;
	for (int i = 1; i <= expect + 1; i++) {
		long n = rmsg(fd, &b, i <= expect ? WAIT_MS : QUIET_MS, &flags, &ri);
		if (n < 0) {
			line(fmt("%s.%d", base, i), "none (%s)", err(errno));
			return;
		}
		line(fmt("%s.%d", base, i), "%s", describe(&b, n, flags, &ri, ref, port));
	}
}

/* ------------------------------------------------------------- 1. socket options */

static void identity(const char *base, int fd)
{
	const char *t = geti(fd, SOL_SOCKET, SO_TYPE);
	const char *p = geti(fd, SOL_SOCKET, SO_PROTOCOL);
	const char *d = geti(fd, SOL_SOCKET, SO_DOMAIN);
	if (!strcmp(t, fmt("%d", SOCK_SEQPACKET)))
		t = "SOCK_SEQPACKET";
	else if (!strcmp(t, fmt("%d", SOCK_STREAM)))
		t = "SOCK_STREAM";
	if (!strcmp(p, fmt("%d", IPPROTO_SCTP)))
		p = "IPPROTO_SCTP";
	if (!strcmp(d, fmt("%d", AF_INET)))
		d = "AF_INET";
	line(name(base, "identity"), "type=%s protocol=%s domain=%s", t, p, d);
}

static const char *linger_str(int fd)
{
	struct linger lg = { .l_onoff = 77, .l_linger = 77 };
	socklen_t l = sizeof lg;
	int r = gopt(fd, SOL_SOCKET, SO_LINGER, &lg, &l);
	if (r)
		return res(r);
	return fmt("onoff=%d linger=%d len=%u", lg.l_onoff, lg.l_linger, (unsigned)l);
}

static const char *tv_str(int fd, int opt)
{
	struct timeval tv = { .tv_sec = 77 };
	socklen_t l = sizeof tv;
	int r = gopt(fd, SOL_SOCKET, opt, &tv, &l);
	if (r)
		return res(r);
	return fmt("%ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
}

static const char *set_tv(int fd, int opt, long sec, long usec)
{
	struct timeval tv = { .tv_sec = sec, .tv_usec = usec };
	return res(sopt(fd, SOL_SOCKET, opt, &tv, sizeof tv));
}

/* SO_SNDBUF / SO_RCVBUF set to `v` then read, as a relation. */
static const char *buf_rel(int fd, int opt, int v)
{
	const char *s = seti(fd, SOL_SOCKET, opt, v);
	int got = -1;
	socklen_t l = sizeof got;
	if (strcmp(s, "ok"))
		return fmt("set=%s", s);
	if (gopt(fd, SOL_SOCKET, opt, &got, &l))
		return fmt("get=%s", res(-1));
	return got == 2 * v ? "doubled" : got == v ? "as set" : got > 2 * v ? "raised to a floor"
		: "lowered";
}

static const char *initmsg_str(int fd)
{
	struct sctp_initmsg im;
	socklen_t l = sizeof im;
	int r;
	memset(&im, 0xee, sizeof im);
	r = gopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, &l);
	if (r)
		return res(r);
	return fmt("ostreams=%u instreams=%u attempts=%u init_timeo=%u", im.sinit_num_ostreams,
		   im.sinit_max_instreams, im.sinit_max_attempts, im.sinit_max_init_timeo);
}

static const char *rto_str(int fd, sctp_assoc_t id)
{
	struct sctp_rtoinfo rto = { .srto_assoc_id = id };
	socklen_t l = sizeof rto;
	int r = gopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, &l);
	if (r)
		return res(r);
	return fmt("initial=%u max=%u min=%u", rto.srto_initial, rto.srto_max, rto.srto_min);
}

static const char *set_rto(int fd, sctp_assoc_t id, unsigned initial, unsigned max, unsigned min)
{
	struct sctp_rtoinfo rto = { .srto_assoc_id = id, .srto_initial = initial, .srto_max = max,
				    .srto_min = min };
	return res(sopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto));
}

static const char *assocparams_str(int fd, sctp_assoc_t id)
{
	struct sctp_assocparams ap = { .sasoc_assoc_id = id };
	socklen_t l = sizeof ap;
	int r = gopt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, &l);
	if (r)
		return res(r);
	return fmt("asocmaxrxt=%u peer_destinations=%u peer_rwnd%s local_rwnd%s cookie_life=%u",
		   ap.sasoc_asocmaxrxt, ap.sasoc_number_peer_destinations,
		   ap.sasoc_peer_rwnd ? ">0" : "=0", ap.sasoc_local_rwnd ? ">0" : "=0",
		   ap.sasoc_cookie_life);
}

static const char *sndinfo_str(int fd, sctp_assoc_t id)
{
	struct sctp_sndinfo si;
	socklen_t l = sizeof si;
	int r;
	memset(&si, 0xee, sizeof si);
	si.snd_assoc_id = id;
	r = gopt(fd, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, &l);
	if (r)
		return res(r);
	return fmt("sid=%u flags=%s ppid=0x%x context=%u", si.snd_sid,
		   sinfo_flags_name(si.snd_flags), si.snd_ppid, si.snd_context);
}

static const char *set_sndinfo(int fd, sctp_assoc_t id, uint16_t sid, uint16_t flags,
			       uint32_t ppid, uint32_t context)
{
	struct sctp_sndinfo si = { .snd_sid = sid, .snd_flags = flags, .snd_ppid = ppid,
				   .snd_context = context, .snd_assoc_id = id };
	return res(sopt(fd, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof si));
}

static const char *sendparam_str(int fd, sctp_assoc_t id)
{
	struct sctp_sndrcvinfo si;
	socklen_t l = sizeof si;
	int r;
	memset(&si, 0xee, sizeof si);
	si.sinfo_assoc_id = id;
	r = gopt(fd, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, &si, &l);
	if (r)
		return res(r);
	return fmt("stream=%u flags=%s ppid=0x%x context=%u ttl=%u", si.sinfo_stream,
		   sinfo_flags_name(si.sinfo_flags), si.sinfo_ppid, si.sinfo_context,
		   si.sinfo_timetolive);
}

static const char *paddrparams_str(int fd, sctp_assoc_t id, const struct sockaddr_in *addr)
{
	struct sctp_paddrparams pp;
	socklen_t l = sizeof pp;
	int r;
	memset(&pp, 0, sizeof pp);
	pp.spp_assoc_id = id;
	if (addr)
		memcpy(&pp.spp_address, addr, sizeof *addr);
	r = gopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, &l);
	if (r)
		return res(r);
	return fmt("hbinterval=%u pathmaxrxt=%u sackdelay=%u flags=0x%x", pp.spp_hbinterval,
		   pp.spp_pathmaxrxt, pp.spp_sackdelay, pp.spp_flags);
}

static const char *set_paddrparams(int fd, sctp_assoc_t id, unsigned hb, unsigned maxrxt,
				   unsigned sackdelay, unsigned flags)
{
	struct sctp_paddrparams pp;
	memset(&pp, 0, sizeof pp);
	pp.spp_assoc_id = id;
	pp.spp_hbinterval = hb;
	pp.spp_pathmaxrxt = (uint16_t)maxrxt;
	pp.spp_sackdelay = sackdelay;
	pp.spp_flags = flags;
	return res(sopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof pp));
}

/* SCTP_STATUS of association `id`. The fragmentation point is printed only when `frag` says
 * that SCTP_MAXSEG set it (otherwise it follows the path MTU). */
static const char *status_str(int fd, sctp_assoc_t id, sctp_assoc_t ref, uint16_t peer_port,
			      int frag)
{
	struct sctp_status st;
	socklen_t l = sizeof st;
	int r;
	memset(&st, 0, sizeof st);
	st.sstat_assoc_id = id;
	r = gopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l);
	if (r)
		return res(r);
	return fmt("assoc=%s state=%s instrms=%u outstrms=%u unackdata=%u penddata=%u rwnd%s "
		   "fragmentation_point%s primary: assoc=%s addr=%s state=%s",
		   rel(st.sstat_assoc_id, ref), status_state_name(st.sstat_state), st.sstat_instrms,
		   st.sstat_outstrms, st.sstat_unackdata, st.sstat_penddata,
		   st.sstat_rwnd ? ">0" : "=0",
		   frag ? fmt("=%u", st.sstat_fragmentation_point)
		   : st.sstat_fragmentation_point ? ">0" : "=0",
		   rel(st.sstat_primary.spinfo_assoc_id, ref),
		   addr_rel(&st.sstat_primary.spinfo_address, peer_port),
		   paddr_state_name(st.sstat_primary.spinfo_state));
}

static const char *adaptation_str(int fd)
{
	struct sctp_setadaptation a = { .ssb_adaptation_ind = 0xdead };
	socklen_t l = sizeof a;
	int r = gopt(fd, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &a, &l);
	if (r)
		return res(r);
	return fmt("0x%x", a.ssb_adaptation_ind);
}

static const char *set_adaptation(int fd, uint32_t ind)
{
	struct sctp_setadaptation a = { .ssb_adaptation_ind = ind };
	return res(sopt(fd, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &a, sizeof a));
}

static const char *events_bytes(int fd, socklen_t len)
{
	unsigned char ev[64];
	socklen_t l = len;
	char out[200] = "";
	int r;
	memset(ev, 0xee, sizeof ev);
	r = gopt(fd, IPPROTO_SCTP, SCTP_EVENTS, ev, &l);
	if (r)
		return res(r);
	for (socklen_t i = 0; i < l && i < sizeof ev; i++)
		sprintf(out + strlen(out), "%s%u", i ? " " : "", ev[i]);
	return fmt("len=%u bytes=%s", (unsigned)l, out);
}

/* The value of SO_ERROR by name ("0", "ECONNREFUSED"), or the getsockopt errno. */
static const char *so_error(int fd)
{
	int v = -1;
	socklen_t l = sizeof v;
	int r = gopt(fd, SOL_SOCKET, SO_ERROR, &v, &l);
	if (r)
		return res(r);
	return v ? fmt("%s", errname(v)) : "0";
}

/* SOL_SOCKET options of a fresh socket, set then read. Every call is a statement of its own:
 * the order of a function's arguments' evaluation is unspecified. */
static void sol_socket_opts(const char *P, int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 7 };
	const char *a, *b, *c, *d;

	line(name(P, "so_error"), "%s", so_error(fd));
	a = linger_str(fd);
	b = res(sopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
	c = linger_str(fd);
	d = res(sopt(fd, SOL_SOCKET, SO_LINGER, &lg, 4));
	line(name(P, "so_linger"), "default: %s; set 1/7=%s get: %s; set with optlen 4=%s", a, b, c,
	     d);
	a = tv_str(fd, SO_RCVTIMEO);
	b = set_tv(fd, SO_RCVTIMEO, 2, 500000);
	c = tv_str(fd, SO_RCVTIMEO);
	line(name(P, "so_rcvtimeo"), "default=%s set 2.5 s=%s get=%s", a, b, c);
	a = tv_str(fd, SO_SNDTIMEO);
	b = set_tv(fd, SO_SNDTIMEO, 1, 500000);
	c = tv_str(fd, SO_SNDTIMEO);
	d = set_tv(fd, SO_SNDTIMEO, 0, 1000000);
	line(name(P, "so_sndtimeo"), "default=%s set 1.5 s=%s get=%s set usec 1000000=%s; still %s",
	     a, b, c, d, tv_str(fd, SO_SNDTIMEO));
	a = geti(fd, SOL_SOCKET, SO_REUSEADDR);
	b = seti(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	line(name(P, "so_reuseaddr"), "default=%s set=%s get=%s", a, b,
	     geti(fd, SOL_SOCKET, SO_REUSEADDR));
	a = geti(fd, SOL_SOCKET, SO_KEEPALIVE);
	b = seti(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	line(name(P, "so_keepalive"), "default=%s set=%s get=%s", a, b,
	     geti(fd, SOL_SOCKET, SO_KEEPALIVE));
	a = buf_rel(fd, SO_SNDBUF, 1);
	b = buf_rel(fd, SO_SNDBUF, 32768);
	c = res(sopt(fd, SOL_SOCKET, SO_SNDBUF, &lg, 2));
	line(name(P, "so_sndbuf"), "set 1: %s; set 32768: %s; set with optlen 2=%s", a, b, c);
	a = buf_rel(fd, SO_RCVBUF, 1);
	b = buf_rel(fd, SO_RCVBUF, 32768);
	line(name(P, "so_rcvbuf"), "set 1: %s; set 32768: %s", a, b);
	{
		int v = -1;
		socklen_t l = 2;
		int r = gopt(fd, SOL_SOCKET, SO_TYPE, &v, &l);
		line(name(P, "so_type_optlen_2"), "%s len=%u", res(r), (unsigned)l);
		l = 0;
		r = gopt(fd, SOL_SOCKET, SO_TYPE, &v, &l);
		line(name(P, "so_type_optlen_0"), "%s len=%u", res(r), (unsigned)l);
	}
}

/* SCTP options of the one-to-many client `m` before it has an association. */
static void sctp_opts_endpoint(const char *P, int m)
{
	const char *a, *b, *c, *d, *e;
	{
		int v = 1;
		socklen_t l = 2;
		a = geti(m, IPPROTO_SCTP, SCTP_NODELAY);
		b = seti(m, IPPROTO_SCTP, SCTP_NODELAY, 1);
		c = geti(m, IPPROTO_SCTP, SCTP_NODELAY);
		d = res(sopt(m, IPPROTO_SCTP, SCTP_NODELAY, &v, 2));
		e = res(gopt(m, IPPROTO_SCTP, SCTP_NODELAY, &v, &l));
		line(name(P, "nodelay"), "default=%s set=%s get=%s set optlen 2=%s get optlen 2=%s",
		     a, b, c, d, e);
	}
	{
		struct sctp_initmsg im = { .sinit_num_ostreams = 5, .sinit_max_instreams = 6,
					   .sinit_max_attempts = 4, .sinit_max_init_timeo = 3000 };
		struct sctp_initmsg dm;
		socklen_t l = sizeof dm;
		memset(&dm, 0, sizeof dm);
		a = res(gopt(m, IPPROTO_SCTP, SCTP_INITMSG, &dm, &l));
		/* attempts and init_timeo come from sysctls */
		line(name(P, "initmsg.default"), "%s ostreams=%u instreams=%u", a,
		     dm.sinit_num_ostreams, dm.sinit_max_instreams);
		a = res(sopt(m, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im));
		b = initmsg_str(m);
		c = res(sopt(m, IPPROTO_SCTP, SCTP_INITMSG, &im, 4));
		line(name(P, "initmsg"), "set 5/6/4/3000=%s get: %s; set optlen 4=%s", a, b, c);
	}
	{
		struct sctp_rtoinfo rto;
		socklen_t l = 4;
		a = set_rto(m, 0, 400, 5000, 200);
		line(name(P, "rtoinfo"), "set 400/5000/200=%s get: %s", a, rto_str(m, 0));
		a = set_rto(m, 0, 400, 300, 350);
		b = set_rto(m, 12345, 400, 5000, 200);
		c = rto_str(m, 12345);
		d = res(gopt(m, IPPROTO_SCTP, SCTP_RTOINFO, &rto, &l));
		line(name(P, "rtoinfo.invalid"), "min>max=%s unknown assoc=%s get unknown assoc=%s "
		     "get optlen 4=%s; still: %s", a, b, c, d, rto_str(m, 0));
	}
	{
		struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 6, .sasoc_cookie_life = 30000 };
		a = res(sopt(m, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap));
		line(name(P, "associnfo"), "set maxrxt 6 cookie 30000=%s get: %s", a,
		     assocparams_str(m, 0));
	}
	a = getav(m, SCTP_MAXSEG, 0);
	b = setav(m, SCTP_MAXSEG, 0, 1200);
	c = getav(m, SCTP_MAXSEG, 0);
	d = setav(m, SCTP_MAXSEG, 0, 100);
	line(name(P, "maxseg"), "default=%s set 1200=%s get=%s set 100=%s; still %s", a, b, c, d,
	     getav(m, SCTP_MAXSEG, 0));
	{
		struct sctp_sndrcvinfo sp;
		memset(&sp, 0, sizeof sp);
		a = sndinfo_str(m, 0);
		b = set_sndinfo(m, 0, 2, SCTP_UNORDERED, 0x01020304, 99);
		c = sndinfo_str(m, 0);
		d = sendparam_str(m, 0);
		line(name(P, "default_sndinfo"), "default: %s; set=%s get: %s; as send_param: %s", a,
		     b, c, d);
		a = set_sndinfo(m, 0, 1, 0x8000, 0, 0);
		b = res(sopt(m, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &sp, 8));
		line(name(P, "default_sndinfo.invalid"), "flags 0x8000=%s optlen 8=%s; still: %s", a,
		     b, sndinfo_str(m, 0));
		sp.sinfo_stream = 1;
		sp.sinfo_ppid = 0x05060708;
		sp.sinfo_context = 6;
		a = res(sopt(m, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, &sp, sizeof sp));
		b = sendparam_str(m, 0);
		line(name(P, "default_send_param"), "set stream 1=%s get: %s; as sndinfo: %s", a, b,
		     sndinfo_str(m, 0));
	}
	a = geti(m, IPPROTO_SCTP, SCTP_AUTOCLOSE);
	b = seti(m, IPPROTO_SCTP, SCTP_AUTOCLOSE, 30);
	line(name(P, "autoclose"), "default=%s set 30=%s get=%s", a, b,
	     geti(m, IPPROTO_SCTP, SCTP_AUTOCLOSE));
	{
		struct sctp_event ev = event_of(0, SCTP_SHUTDOWN_EVENT, 1);
		unsigned char big[sizeof(struct sctp_event_subscribe) + 1];
		socklen_t l = 4;
		a = get_event(m, 0, SCTP_SHUTDOWN_EVENT);
		b = set_event(m, 0, SCTP_SHUTDOWN_EVENT, 1);
		c = get_event(m, 0, SCTP_SHUTDOWN_EVENT);
		d = get_event(m, 0, SCTP_ASSOC_CHANGE);
		e = get_event(m, 0, SCTP_SENDER_DRY_EVENT);
		line(name(P, "event"), "shutdown default=%s set=%s get=%s; others still: "
		     "assoc_change=%s sender_dry=%s", a, b, c, d, e);
		a = set_event(m, 0, 0, 1);
		b = set_event(m, 0, 0x9999, 1);
		c = get_event(m, 0, 0);
		d = res(gopt(m, IPPROTO_SCTP, SCTP_EVENT, &ev, &l));
		e = res(sopt(m, IPPROTO_SCTP, SCTP_EVENT, &ev, 4));
		line(name(P, "event.invalid"), "type 0=%s type 0x9999=%s get type 0=%s "
		     "get optlen 4=%s set optlen 4=%s", a, b, c, d, e);
		memset(big, 0, sizeof big);
		a = events_bytes(m, sizeof(struct sctp_event_subscribe));
		b = events_bytes(m, 3);
		c = res(sopt(m, IPPROTO_SCTP, SCTP_EVENTS, big, sizeof big));
		line(name(P, "events"), "get: %s; get optlen 3: %s; set one byte too long=%s", a, b,
		     c);
		/* SCTP_EVENTS with fewer bytes changes only those. */
		big[0] = 1;
		big[1] = 1;
		a = res(sopt(m, IPPROTO_SCTP, SCTP_EVENTS, big, 2));
		line(name(P, "events.two_bytes"), "set 1 1=%s get: %s", a,
		     events_bytes(m, sizeof(struct sctp_event_subscribe)));
		no_events(m);
		set_event(m, 0, SCTP_SHUTDOWN_EVENT, 1);
	}
	a = geti(m, IPPROTO_SCTP, SCTP_RECVRCVINFO);
	b = seti(m, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1);
	line(name(P, "recvrcvinfo"), "default=%s set=%s get=%s", a, b,
	     geti(m, IPPROTO_SCTP, SCTP_RECVRCVINFO));
	a = geti(m, IPPROTO_SCTP, SCTP_RECVNXTINFO);
	b = seti(m, IPPROTO_SCTP, SCTP_RECVNXTINFO, 1);
	c = geti(m, IPPROTO_SCTP, SCTP_RECVNXTINFO);
	d = seti(m, IPPROTO_SCTP, SCTP_RECVNXTINFO, 0);
	line(name(P, "recvnxtinfo"), "default=%s set=%s get=%s set 0=%s get=%s", a, b, c, d,
	     geti(m, IPPROTO_SCTP, SCTP_RECVNXTINFO));
	{
		struct sctp_paddrparams dp;
		socklen_t l = sizeof dp;
		memset(&dp, 0, sizeof dp);
		a = res(gopt(m, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &dp, &l));
		b = set_paddrparams(m, 0, 5000, 4, 100, SPP_HB_ENABLE | SPP_SACKDELAY_ENABLE);
		/* hbinterval, pathmaxrxt and sackdelay default to sysctls */
		line(name(P, "peer_addr_params"), "default: %s flags=0x%x; set hb 5000 maxrxt 4 "
		     "sackdelay 100=%s get: %s", a, dp.spp_flags, b, paddrparams_str(m, 0, NULL));
		a = set_paddrparams(m, 0, 0, 0, 600, SPP_SACKDELAY_ENABLE);
		b = set_paddrparams(m, 0, 0, 0, 0, SPP_HB_ENABLE | SPP_HB_DISABLE);
		c = res(sopt(m, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &dp, 8));
		line(name(P, "peer_addr_params.invalid"), "sackdelay 600=%s hb enable+disable=%s "
		     "optlen 8=%s; still: %s", a, b, c, paddrparams_str(m, 0, NULL));
	}
	line(name(P, "status.no_association"), "%s", status_str(m, 0, 0, 0, 0));
	a = geti(m, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS);
	b = seti(m, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, 1);
	c = geti(m, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS);
	d = seti(m, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, 0);
	line(name(P, "disable_fragments"), "default=%s set=%s get=%s set 0=%s get=%s", a, b, c, d,
	     geti(m, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS));
	a = geti(m, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE);
	b = seti(m, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, 2);
	line(name(P, "fragment_interleave"), "default=%s set 2=%s get=%s", a, b,
	     geti(m, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE));
	a = geti(m, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT);
	b = seti(m, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 1000);
	c = geti(m, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT);
	d = seti(m, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 0x7fffffff);
	line(name(P, "partial_delivery_point"), "default=%s set 1000=%s get=%s set 0x7fffffff=%s; "
	     "still %s", a, b, c, d, geti(m, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT));
	b = setav(m, SCTP_MAX_BURST, 0, 7);
	line(name(P, "max_burst"), "set 7=%s get=%s", b, getav(m, SCTP_MAX_BURST, 0));
	a = getav(m, SCTP_CONTEXT, 0);
	b = setav(m, SCTP_CONTEXT, 0, 42);
	line(name(P, "context"), "default=%s set 42=%s get=%s", a, b, getav(m, SCTP_CONTEXT, 0));
	a = setav(m, SCTP_PR_SUPPORTED, 0, 0);
	b = getav(m, SCTP_PR_SUPPORTED, 0);
	c = setav(m, SCTP_PR_SUPPORTED, 0, 1);
	line(name(P, "pr_supported"), "set 0=%s get=%s set 1=%s get=%s", a, b, c,
	     getav(m, SCTP_PR_SUPPORTED, 0));
	a = geti(m, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR);
	b = seti(m, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, 0);
	line(name(P, "i_want_mapped_v4_addr"), "default=%s set 0=%s get=%s", a, b,
	     geti(m, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR));
	a = adaptation_str(m);
	b = set_adaptation(m, 0x11223344);
	line(name(P, "adaptation_layer"), "default=%s set=%s get=%s", a, b, adaptation_str(m));
	{
		int v = 0;
		socklen_t l = sizeof v;
		a = res(gopt(m, IPPROTO_SCTP, 9999, &v, &l));
		b = res(sopt(m, IPPROTO_SCTP, 9999, &v, sizeof v));
		line(name(P, "unknown_option"), "get=%s set=%s", a, b);
	}
}

static void opts_many(void)
{
	const char *P = "sockapi.opt.many";
	int m = bound(SOCK_SEQPACKET), srv = bound(SOCK_SEQPACKET);
	uint16_t sport = local_port(srv), mport = local_port(m);
	sctp_assoc_t cid, sid;
	const char *a, *b, *c;

	phase("opt.many");
	identity(P, m);
	a = geti(srv, SOL_SOCKET, SO_ACCEPTCONN);
	must(listen(srv, 8) == 0, "listen");
	line(name(P, "so_acceptconn"), "before listen=%s after listen=%s", a,
	     geti(srv, SOL_SOCKET, SO_ACCEPTCONN));
	sol_socket_opts(P, m);
	buf_rel(m, SO_SNDBUF, 65536);
	buf_rel(m, SO_RCVBUF, 65536);
	sctp_opts_endpoint(P, m);

	/* The association: the client asks for 5 out / 6 in, the server 7 out / 3 in; both
	 * do PR-SCTP (whatever the sysctl says). */
	set_initmsg(srv, 7, 3);
	setav(srv, SCTP_PR_SUPPORTED, 0, 1);
	no_events(srv);
	connect_v4(m, sport);
	cid = assoc_with(m, sport);
	sid = assoc_with(srv, mport);
	P = "sockapi.opt.many.assoc";
	line(name(P, "ids"), "client=%s server=%s", cid ? "set" : "zero", sid ? "set" : "zero");
	line(name(P, "status"), "%s", status_str(m, cid, cid, sport, 1));
	line(name(P, "status.id_0"), "%s", status_str(m, 0, cid, sport, 1));
	line(name(P, "status.unknown_id"), "%s", status_str(m, cid + 1000, cid, sport, 1));
	line(name(P, "status.server"), "%s", status_str(srv, sid, sid, mport, 0));
	{
		struct sctp_status st;
		socklen_t l = 4;
		st.sstat_assoc_id = cid;
		line(name(P, "status.optlen_4"), "%s",
		     res(gopt(m, IPPROTO_SCTP, SCTP_STATUS, &st, &l)));
	}
	line(name(P, "rtoinfo"), "%s", rto_str(m, cid));
	line(name(P, "associnfo"), "%s", assocparams_str(m, cid));
	line(name(P, "maxseg"), "%s", getav(m, SCTP_MAXSEG, cid));
	line(name(P, "default_sndinfo"), "%s", sndinfo_str(m, cid));
	line(name(P, "context"), "%s", getav(m, SCTP_CONTEXT, cid));
	line(name(P, "max_burst"), "%s", getav(m, SCTP_MAX_BURST, cid));
	line(name(P, "pr_supported"), "%s", getav(m, SCTP_PR_SUPPORTED, cid));
	line(name(P, "peer_addr_params"), "%s", paddrparams_str(m, cid, NULL));
	{
		struct sockaddr_in to = v4("127.0.0.1", sport), other = v4("127.0.0.1", 9);
		line(name(P, "peer_addr_params.by_address"), "%s", paddrparams_str(m, 0, &to));
		line(name(P, "peer_addr_params.unknown_address"), "%s",
		     paddrparams_str(m, 0, &other));
	}
	line(name(P, "so_error"), "%s", so_error(m));
	/* Per-association settings leave the endpoint's alone. */
	a = get_event(m, cid, SCTP_SHUTDOWN_EVENT);
	b = set_event(m, cid, SCTP_SHUTDOWN_EVENT, 0);
	c = get_event(m, cid, SCTP_SHUTDOWN_EVENT);
	line(name(P, "event"), "shutdown inherited=%s set off on the association=%s; association=%s "
	     "endpoint=%s", a, b, c, get_event(m, 0, SCTP_SHUTDOWN_EVENT));
	a = setav(m, SCTP_CONTEXT, cid, 43);
	b = getav(m, SCTP_CONTEXT, cid);
	line(name(P, "context.set"), "on the association=%s association=%s endpoint=%s", a, b,
	     getav(m, SCTP_CONTEXT, 0));
	a = set_sndinfo(m, cid, 2, 0, 0x0a0b0c0d, 5);
	b = sndinfo_str(m, cid);
	line(name(P, "default_sndinfo.set"), "on the association=%s association: %s; endpoint: %s",
	     a, b, sndinfo_str(m, 0));
	a = set_rto(m, cid, 600, 6000, 300);
	b = rto_str(m, cid);
	line(name(P, "rtoinfo.set"), "on the association=%s association: %s; endpoint: %s", a, b,
	     rto_str(m, 0));
	a = set_rto(m, cid + 1000, 600, 6000, 300);
	line(name(P, "rtoinfo.unknown_id"), "set=%s get=%s", a, rto_str(m, cid + 1000));
	close(m);
	close(srv);
}

static sctp_assoc_t status_id(int fd)
{
	struct sctp_status st;
	socklen_t n = sizeof st;
	memset(&st, 0, sizeof st);
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &n) == 0)
		return st.sstat_assoc_id;
	return 0;
}

static void opts_one(void)
{
	const char *P = "sockapi.opt.one";
	int l = bound(SOCK_STREAM), c = bound(SOCK_STREAM), acc;
	uint16_t lport = local_port(l), cport = local_port(c);
	struct linger lg = { .l_onoff = 1, .l_linger = 3 };
	const char *a, *b, *d;

	phase("opt.one");
	identity(P, c);
	a = geti(l, SOL_SOCKET, SO_ACCEPTCONN);
	must(listen(l, 4) == 0, "listen");
	b = geti(l, SOL_SOCKET, SO_ACCEPTCONN);
	line(name(P, "so_acceptconn"), "before listen=%s after listen=%s client=%s", a, b,
	     geti(c, SOL_SOCKET, SO_ACCEPTCONN));
	a = geti(c, IPPROTO_SCTP, SCTP_AUTOCLOSE);
	b = seti(c, IPPROTO_SCTP, SCTP_AUTOCLOSE, 30);
	line(name(P, "autoclose"), "get=%s set=%s listener get=%s", a, b,
	     geti(l, IPPROTO_SCTP, SCTP_AUTOCLOSE));
	a = status_str(c, 0, 0, 0, 0);
	line(name(P, "status.not_connected"), "client=%s listener=%s", a, status_str(l, 0, 0, 0, 0));
	{
		struct sockaddr_in pa;
		socklen_t pl = sizeof pa;
		errno = ERRNO_SENTINEL;
		int r = getpeername(c, (struct sockaddr *)&pa, &pl);
		line(name(P, "getpeername.not_connected"), "ret=%d errno=%s", r, err(errno));
	}
	/* What the listener has, the accepted socket inherits. */
	seti(l, IPPROTO_SCTP, SCTP_NODELAY, 1);
	set_initmsg(l, 4, 5);
	set_event(l, 0, SCTP_SHUTDOWN_EVENT, 1);
	set_tv(l, SO_RCVTIMEO, 2, 500000);
	seti(l, SOL_SOCKET, SO_SNDBUF, 40000);
	seti(l, SOL_SOCKET, SO_KEEPALIVE, 1);
	sopt(l, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	setav(l, SCTP_CONTEXT, 0, 7);
	setav(l, SCTP_MAXSEG, 0, 1100);
	set_sndinfo(l, 0, 1, SCTP_UNORDERED, 0x0f, 3);
	set_paddrparams(l, 0, 6000, 3, 150, SPP_HB_ENABLE | SPP_SACKDELAY_ENABLE);
	seti(l, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, 1);
	seti(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1);
	seti(l, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 2000);
	set_adaptation(l, 0x55);
	setav(l, SCTP_PR_SUPPORTED, 0, 1);
	setav(c, SCTP_PR_SUPPORTED, 0, 0);
	connect_v4(c, lport);
	acc = accept_within(l);
	must(acc >= 0, "accept");
	identity(name(P, "accepted"), acc);
	line(name(P, "accepted.so_acceptconn"), "%s", geti(acc, SOL_SOCKET, SO_ACCEPTCONN));
	{
		int sl = -1, sa = -2;
		socklen_t n = sizeof sl;
		getsockopt(l, SOL_SOCKET, SO_SNDBUF, &sl, &n);
		n = sizeof sa;
		getsockopt(acc, SOL_SOCKET, SO_SNDBUF, &sa, &n);
		line(name(P, "accepted.inherited"), "nodelay=%s shutdown_event=%s rcvtimeo=%s "
		     "sndbuf=%s keepalive=%s linger: %s context=%s maxseg=%s",
		     geti(acc, IPPROTO_SCTP, SCTP_NODELAY), get_event(acc, 0, SCTP_SHUTDOWN_EVENT),
		     tv_str(acc, SO_RCVTIMEO), sl == sa ? "same as the listener's" : "differs",
		     geti(acc, SOL_SOCKET, SO_KEEPALIVE), linger_str(acc),
		     getav(acc, SCTP_CONTEXT, 0), getav(acc, SCTP_MAXSEG, 0));
		line(name(P, "accepted.inherited"), "sndinfo: %s; peer_addr_params: %s; "
		     "fragment_interleave=%s recvrcvinfo=%s partial_delivery_point=%s "
		     "adaptation_layer=%s", sndinfo_str(acc, 0), paddrparams_str(acc, 0, NULL),
		     geti(acc, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE),
		     geti(acc, IPPROTO_SCTP, SCTP_RECVRCVINFO),
		     geti(acc, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT), adaptation_str(acc));
	}
	line(name(P, "status.client"), "%s", status_str(c, 0, status_id(c), lport, 0));
	line(name(P, "status.accepted"), "%s", status_str(acc, 0, status_id(acc), cport, 1));
	line(name(P, "status.listener"), "%s", status_str(l, 0, 0, 0, 0));
	{
		struct sockaddr_in pa, sa;
		socklen_t pl = sizeof pa, sl = sizeof sa;
		int r1 = getpeername(c, (struct sockaddr *)&pa, &pl);
		int r2 = getsockname(acc, (struct sockaddr *)&sa, &sl);
		line(name(P, "names"), "client getpeername=%d %s; accepted getsockname=%d %s", r1,
		     addr_rel(&pa, lport), r2, addr_rel(&sa, lport));
	}
	a = so_error(c);
	d = so_error(acc);
	line(name(P, "so_error"), "client=%s accepted=%s", a, d);
	line(name(P, "autoclose.accepted"), "get=%s", geti(acc, IPPROTO_SCTP, SCTP_AUTOCLOSE));
	/* The client's endpoint said no: neither end may use it. */
	a = getav(c, SCTP_PR_SUPPORTED, 0);
	line(name(P, "pr_supported"), "client=%s accepted=%s", a, getav(acc, SCTP_PR_SUPPORTED, 0));
	close(acc);
	close(c);
	close(l);
}

/* ------------------------------------------------------------- 2. notifications */

/* A one-to-many server and client on 127.0.0.1 (not yet associated). */
struct many {
	int srv, cli;
	uint16_t sport, cport;
	sctp_assoc_t cid, sid;
};

static void many_setup(struct many *x)
{
	x->srv = bound(SOCK_SEQPACKET);
	x->cli = bound(SOCK_SEQPACKET);
	x->sport = local_port(x->srv);
	x->cport = local_port(x->cli);
	no_events(x->srv);
	no_events(x->cli);
	seti(x->srv, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1);
	seti(x->cli, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1);
	x->cid = x->sid = 0;
}

static void many_connect(struct many *x)
{
	must(listen(x->srv, 8) == 0, "listen");
	connect_v4(x->cli, x->sport);
	x->cid = assoc_with(x->cli, x->sport);
	x->sid = assoc_with(x->srv, x->cport);
}

static ssize_t send_to(int fd, sctp_assoc_t id, const void *buf, size_t len, uint16_t sid,
		       uint32_t ppid, uint32_t context, unsigned flags)
{
	struct sctp_sndrcvinfo si;
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id;
	si.sinfo_stream = sid;
	si.sinfo_ppid = ppid;
	si.sinfo_context = context;
	si.sinfo_flags = (uint16_t)flags;
	return sctp_send(fd, buf, len, &si, MSG_NOSIGNAL);
}

/* COMM_UP with stream counts, ADAPTATION_INDICATION both ways, SENDER_DRY, SHUTDOWN. */
static void notify_graceful(void)
{
	const char *P = "sockapi.notify";
	struct many x;
	ssize_t n;

	phase("notify.graceful");
	many_setup(&x);
	set_initmsg(x.srv, 4, 3);
	set_initmsg(x.cli, 6, 2);
	set_adaptation(x.srv, 0x11223344);
	set_adaptation(x.cli, 0x55667788);
	events_on(x.srv, SCTP_ASSOC_CHANGE, SCTP_ADAPTATION_INDICATION, SCTP_SHUTDOWN_EVENT, 0);
	events_on(x.cli, SCTP_ASSOC_CHANGE, SCTP_ADAPTATION_INDICATION, SCTP_SHUTDOWN_EVENT,
		  SCTP_SEND_FAILED_EVENT, 0);
	many_connect(&x);
	show_msgs(name(P, "up.client"), x.cli, x.cid, x.sport, 2);
	show_msgs(name(P, "up.server"), x.srv, x.sid, x.cport, 2);

	/* SENDER_DRY: at once when subscribed with nothing queued, and again once sent data is
	 * acknowledged. */
	line(name(P, "sender_dry.subscribe"), "%s",
	     set_event(x.cli, x.cid, SCTP_SENDER_DRY_EVENT, 1));
	show_msgs(name(P, "sender_dry.at_once"), x.cli, x.cid, x.sport, 1);
	n = send_to(x.cli, x.cid, "dry", 3, 1, 0, 0, 0);
	line(name(P, "sender_dry.send"), "ret=%zd", n);
	show_msgs(name(P, "sender_dry.server"), x.srv, x.sid, x.cport, 1);
	show_msgs(name(P, "sender_dry.after_send"), x.cli, x.cid, x.sport, 1);
	set_event(x.cli, x.cid, SCTP_SENDER_DRY_EVENT, 0);

	/* SCTP_EOF from the client. */
	errno = ERRNO_SENTINEL;
	n = send_to(x.cli, x.cid, NULL, 0, 0, 0, 0, SCTP_EOF);
	ret_errno(name(P, "shutdown.client_sctp_eof"), n, errno);
	show_msgs(name(P, "shutdown.server"), x.srv, x.sid, x.cport, 2);
	show_msgs(name(P, "shutdown.client"), x.cli, x.cid, x.sport, 1);
	line(name(P, "shutdown.associations"), "client=%d server=%d", assoc_count(x.cli, NULL),
	     assoc_count(x.srv, NULL));
	close(x.cli);
	close(x.srv);
}

/* The server aborts while the client still has data queued that the server's closed window
 * (SO_RCVBUF 4096, which Linux doubles) kept from being sent: COMM_LOST, then a
 * SEND_FAILED_EVENT for each message not acknowledged, the message queued last reported last,
 * as unsent. */
static void notify_abort(void)
{
	const char *P = "sockapi.notify.abort";
	struct many x;
	union msgbuf b;
	struct sctp_rcvinfo ri;
	struct sctp_status st;
	socklen_t sl = sizeof st;
	char fill[1000];
	int flags, sent = 0, events = 0, bad = 0, data = 0, last_is_last = 0, last_arrived = 0;
	long n;
	const char *last = "no event", *first = "none", *srv_end = "none";
	ssize_t r;

	phase("notify.abort");
	many_setup(&x);
	seti(x.srv, SOL_SOCKET, SO_RCVBUF, 4096);
	events_on(x.srv, SCTP_ASSOC_CHANGE, 0);
	events_on(x.cli, SCTP_ASSOC_CHANGE, SCTP_SEND_FAILED_EVENT, 0);
	set_tv(x.cli, SO_SNDTIMEO, 2, 0);
	many_connect(&x);
	line(name(P, "setup"), "client %s, server %s", wait_assoc_change(x.cli, WAIT_MS, NULL),
	     wait_assoc_change(x.srv, WAIT_MS, NULL));
	memset(&st, 0, sizeof st);
	st.sstat_assoc_id = x.cid;
	r = getsockopt(x.cli, IPPROTO_SCTP, SCTP_STATUS, &st, &sl);
	line(name(P, "setup.peer_window"), "status=%zd rwnd<=8192: %s", r,
	     yesno(r == 0 && st.sstat_rwnd <= 8192));
	memset(fill, 'f', sizeof fill);
	for (int i = 0; i < 40; i++)
		if (send_to(x.cli, x.cid, fill, sizeof fill, 0, 1, 0, 0) == (ssize_t)sizeof fill)
			sent++;
	r = send_to(x.cli, x.cid, "LAST", 4, 2, 0x4c415354, 0xabc, 0);
	line(name(P, "queued"), "fillers sent=%d of 40, last message ret=%zd", sent, r);
	{
		/* The abort comes once data has reached the server (at once on a stack that delivers
		 * within the send; a stack with its own threads takes a moment). */
		struct pollfd p = { .fd = x.srv, .events = POLLIN };
		poll(&p, 1, WAIT_MS);
	}
	errno = ERRNO_SENTINEL;
	r = send_to(x.srv, x.sid, NULL, 0, 0, 0, 0, SCTP_ABORT);
	ret_errno(name(P, "server_sctp_abort"), r, errno);
	n = rmsg(x.cli, &b, WAIT_MS, &flags, &ri);
	line(name(P, "client"), "%s", n < 0 ? fmt("none (%s)", err(errno))
	     : describe(&b, n, flags, &ri, x.cid, x.sport));
	while ((n = rmsg(x.cli, &b, QUIET_MS, &flags, &ri)) >= 0) {
		const struct sctp_send_failed_event *f = &b.n.sn_send_failed_event;
		const char *d = describe(&b, n, flags, &ri, x.cid, x.sport);
		if (!(flags & MSG_NOTIFICATION) || b.n.sn_header.sn_type != SCTP_SEND_FAILED_EVENT ||
		    f->ssf_assoc_id != x.cid) {
			if (!bad++)
				first = d;
			continue;
		}
		events++;
		last_is_last = f->ssfe_info.snd_ppid == 0x4c415354;
		if (last_is_last)
			last = d;
	}
	line(name(P, "client.send_failed"), "events=%s; the last one is the last message's: %s; "
	     "other messages=%d (first: %s)", events ? "some" : "none", yesno(last_is_last), bad,
	     first);
	line(name(P, "client.send_failed.last_message"), "%s", last);
	while ((n = rmsg(x.srv, &b, QUIET_MS, &flags, &ri)) >= 0) {
		if (!(flags & MSG_NOTIFICATION)) {
			data++;
			last_arrived |= n == 4 && !memcmp(b.raw, "LAST", 4);
		} else {
			srv_end = describe(&b, n, flags, &ri, x.sid, x.cport);
		}
	}
	line(name(P, "server"), "data messages=%s, the last message among them: %s; then %s",
	     data ? "some" : "none", yesno(last_arrived), srv_end);
	line(name(P, "associations"), "client=%d server=%d", assoc_count(x.cli, NULL),
	     assoc_count(x.srv, NULL));
	close(x.cli);
	close(x.srv);
}

/* A server with a second address (127.0.0.2): the client confirms it with a heartbeat and
 * reports ADDR_CONFIRMED. */
static void notify_paddr(void)
{
	const char *P = "sockapi.notify.peer_addr_change";
	struct many x;
	struct packed add = { .len = 0 };
	union msgbuf b;
	struct sctp_rcvinfo ri;
	int flags, i, confirmed = 0;

	phase("notify.paddr");
	many_setup(&x);
	add4(&add, "127.0.0.2", x.sport);
	errno = ERRNO_SENTINEL;
	i = sctp_bindx(x.srv, (struct sockaddr *)add.buf, add.cnt, SCTP_BINDX_ADD_ADDR);
	ret_errno(name(P, "server_bindx"), i, errno);
	set_rto(x.cli, 0, 200, 400, 100);
	events_on(x.cli, SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE, 0);
	events_on(x.srv, SCTP_PEER_ADDR_CHANGE, 0);
	many_connect(&x);
	/* Everything up to the confirmation, in order. */
	for (i = 1; i <= 6 && !confirmed; i++) {
		long n = rmsg(x.cli, &b, 3 * WAIT_MS / 2, &flags, &ri);
		if (n < 0) {
			line(fmt("%s.client.%d", P, i), "none (%s)", err(errno));
			break;
		}
		line(fmt("%s.client.%d", P, i), "%s", describe(&b, n, flags, &ri, x.cid, x.sport));
		confirmed = (flags & MSG_NOTIFICATION) &&
			    b.n.sn_header.sn_type == SCTP_PEER_ADDR_CHANGE &&
			    b.n.sn_paddr_change.spc_state == SCTP_ADDR_CONFIRMED;
	}
	{
		struct sockaddr_in two = v4("127.0.0.2", x.sport);
		struct sctp_paddrinfo pi;
		socklen_t l = sizeof pi;
		memset(&pi, 0, sizeof pi);
		pi.spinfo_assoc_id = x.cid;
		memcpy(&pi.spinfo_address, &two, sizeof two);
		i = gopt(x.cli, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l);
		line(name(P, "client.second_address"), "%s state=%s", res(i),
		     i ? "-" : paddr_state_name(pi.spinfo_state));
	}
	/* The client has one address: the server has nothing to report. */
	show_msgs(name(P, "server"), x.srv, x.sid, x.cport, 0);
	close(x.cli);
	close(x.srv);
}

/* ------------------------------------------------------------- 3. readiness */

enum mech { M_POLL, M_EPOLL, M_EPOLLET, M_SELECT, N_MECH };
static const char *const mech_name[N_MECH] = { "poll", "epoll", "epoll_et", "select" };

/* 1 when fd reports `want` (POLLIN or POLLOUT) within ms through mechanism `mech` (the epoll
 * ones through epfd, in which fd is registered). */
static int ready(int mech, int fd, int epfd, int want, int ms)
{
	switch (mech) {
	case M_POLL: {
		struct pollfd p = { .fd = fd, .events = (short)want };
		return poll(&p, 1, ms) == 1 && (p.revents & want);
	}
	case M_EPOLL:
	case M_EPOLLET: {
		struct epoll_event ev[4];
		int n = epoll_wait(epfd, ev, 4, ms), hit = 0;
		for (int i = 0; i < n; i++)
			if (ev[i].data.fd == fd && (ev[i].events & (unsigned)want))
				hit = 1;
		return hit;
	}
	case M_SELECT: {
		fd_set rs, ws;
		struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
		FD_ZERO(&rs);
		FD_ZERO(&ws);
		FD_SET(fd, want == POLLIN ? &rs : &ws);
		return select(fd + 1, &rs, &ws, NULL, &tv) == 1;
	}
	}
	return 0;
}

static void ep_add(int mech, int epfd, int fd, int want)
{
	struct epoll_event ev = { .events = (unsigned)want, .data.fd = fd };
	if (mech == M_EPOLLET)
		ev.events |= EPOLLET;
	if (mech == M_EPOLL || mech == M_EPOLLET)
		must(epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl");
}

static void ep_del(int mech, int epfd, int fd)
{
	if (mech == M_EPOLL || mech == M_EPOLLET)
		epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* Why a round failed, on stderr (stdout has only the count). */
static int fail(const char *scenario, int mech, int round, const char *why)
{
	fprintf(stderr, "sockapi: ready.%s.%s round %d: %s (errno %s)\n", scenario, mech_name[mech],
		round, why, errname(errno));
	return 0;
}

/* Reads everything queued on non-blocking fd: the number of messages, -1 if one was not
 * `len` bytes. */
static int drain(int fd, size_t len)
{
	char buf[256];
	int got = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0)
			return got;
		if ((size_t)n != len)
			return -1;
		got++;
	}
}

struct rctx {
	int a, b, l;	/* scenario's sockets */
	uint16_t port;
	sctp_assoc_t id;	/* b's association (one-to-many) */
};

/* A message on a one-to-many socket (a: server, b: client). */
static int round_many(struct rctx *x, int mech, int ep, int i)
{
	const char *s = "many_readable";
	if (ready(mech, x->a, ep, POLLIN, 0))
		return fail(s, mech, i, "readable before the message");
	if (send_to(x->b, x->id, "m", 1, 0, 0, 0, 0) != 1)
		return fail(s, mech, i, "send");
	if (!ready(mech, x->a, ep, POLLIN, WAIT_MS))
		return fail(s, mech, i, "not readable");
	if (drain(x->a, 1) != 1)
		return fail(s, mech, i, "not one message");
	return 1;
}

/* A pending connection on a one-to-one listener (l). */
static int round_listener(struct rctx *x, int mech, int ep, int i)
{
	const char *s = "listener_pending";
	struct sockaddr_in to = v4("127.0.0.1", x->port);
	int c, a, ok = 1;
	if (ready(mech, x->l, ep, POLLIN, 0))
		return fail(s, mech, i, "readable before the connection");
	c = sctp_socket(AF_INET, SOCK_STREAM);
	nonblock(c);
	if (connect(c, (struct sockaddr *)&to, sizeof to) < 0 && errno != EINPROGRESS)
		ok = fail(s, mech, i, "connect");
	else if (!ready(mech, x->l, ep, POLLIN, WAIT_MS))
		ok = fail(s, mech, i, "not readable");
	a = accept(x->l, NULL, NULL);
	if (ok && a < 0)
		ok = fail(s, mech, i, "accept");
	if (ok && accept(x->l, NULL, NULL) >= 0)
		ok = fail(s, mech, i, "a second connection");
	if (a >= 0)
		close(a);
	close(c);
	return ok;
}

/* Data on an accepted socket (a), from its peer (b). */
static int round_accepted(struct rctx *x, int mech, int ep, int i)
{
	const char *s = "accepted_readable";
	if (ready(mech, x->a, ep, POLLIN, 0))
		return fail(s, mech, i, "readable before the data");
	if (send(x->b, "d", 1, MSG_NOSIGNAL) != 1)
		return fail(s, mech, i, "send");
	if (!ready(mech, x->a, ep, POLLIN, WAIT_MS))
		return fail(s, mech, i, "not readable");
	if (drain(x->a, 1) != 1)
		return fail(s, mech, i, "not one message");
	return 1;
}

/* The peer's graceful close of a connected one-to-one socket: readable, recv 0. */
static int round_eof(struct rctx *x, int mech, int ep, int i)
{
	const char *s = "peer_close_eof";
	int c = sctp_socket(AF_INET, SOCK_STREAM), a, ok = 1;
	char buf[8];
	connect_v4(c, x->port);
	a = accept_within(x->l);
	if (a < 0) {
		close(c);
		return fail(s, mech, i, "accept");
	}
	nonblock(c);
	ep_add(mech, ep, c, POLLIN | POLLRDHUP);
	if (ready(mech, c, ep, POLLIN, 0))
		ok = fail(s, mech, i, "readable before the close");
	close(a);
	if (ok && !ready(mech, c, ep, POLLIN, WAIT_MS))
		ok = fail(s, mech, i, "not readable");
	if (ok && recv(c, buf, sizeof buf, MSG_DONTWAIT) != 0)
		ok = fail(s, mech, i, "recv is not 0");
	ep_del(mech, ep, c);
	close(c);
	return ok;
}

/* Writable on an established one-to-one socket (b), after each message is acknowledged. */
static int round_pollout(struct rctx *x, int mech, int ep, int i)
{
	const char *s = "writable";
	char msg[100];
	int left = 10;
	if (mech == M_EPOLLET) /* take what earlier wakeups left */
		while (left-- > 0 && ready(mech, x->b, ep, POLLOUT, 0))
			;
	if (left < 0)
		return fail(s, mech, i, "edge-triggered writable reported without end");
	memset(msg, 'w', sizeof msg);
	if (send(x->b, msg, sizeof msg, MSG_NOSIGNAL) != (ssize_t)sizeof msg)
		return fail(s, mech, i, "send");
	if (!ready(mech, x->b, ep, POLLOUT, WAIT_MS))
		return fail(s, mech, i, "not writable");
	if (!ready(M_POLL, x->a, -1, POLLIN, WAIT_MS) || drain(x->a, sizeof msg) != 1)
		return fail(s, mech, i, "the peer did not get the message");
	return 1;
}

static void readiness(void)
{
	struct {
		const char *name;
		int (*round)(struct rctx *, int, int, int);
		int want;	/* the event; 0: the round registers its own socket */
	} sc[] = {
		{ "many_readable", round_many, POLLIN },
		{ "listener_pending", round_listener, POLLIN },
		{ "accepted_readable", round_accepted, POLLIN },
		{ "peer_close_eof", round_eof, 0 },
		{ "writable", round_pollout, POLLOUT },
	};
	for (size_t s = 0; s < sizeof sc / sizeof sc[0]; s++) {
		for (int mech = 0; mech < N_MECH; mech++) {
			struct rctx x = { .a = -1, .b = -1, .l = -1 };
			int ep = epoll_create1(0), ok = 0, watched = -1;
			phase(fmt("ready.%s.%s", sc[s].name, mech_name[mech]));
			must(ep >= 0, "epoll_create1");
			switch (s) {
			case 0: {
				uint16_t port;
				x.a = listening(SOCK_SEQPACKET, 8);
				port = local_port(x.a);
				no_events(x.a);
				x.b = bound(SOCK_SEQPACKET);
				no_events(x.b);
				connect_v4(x.b, port);
				x.id = assoc_with(x.b, port);
				nonblock(x.a);
				watched = x.a;
				break;
			}
			case 1:
				x.l = listening(SOCK_STREAM, 8);
				x.port = local_port(x.l);
				nonblock(x.l);
				watched = x.l;
				break;
			case 2:
				x.l = one_to_one_pair(&x.b, &x.a);
				no_events(x.a);
				nonblock(x.a);
				watched = x.a;
				break;
			case 3:
				x.l = listening(SOCK_STREAM, 8);
				x.port = local_port(x.l);
				break;
			case 4: {
				struct sctp_sack_info sk = { .sack_delay = 0, .sack_freq = 1 };
				x.l = one_to_one_pair(&x.b, &x.a);
				no_events(x.a);
				setsockopt(x.a, IPPROTO_SCTP, SCTP_DELAYED_SACK, &sk, sizeof sk);
				nonblock(x.a);
				nonblock(x.b);
				watched = x.b;
				break;
			}
			}
			/* Without Nagle's delay, a round's message is not held back until the
			 * delayed SACK of the one before. */
			if (x.b >= 0)
				seti(x.b, IPPROTO_SCTP, SCTP_NODELAY, 1);
			if (sc[s].want)
				ep_add(mech, ep, watched, sc[s].want);
			for (int i = 0; i < ROUNDS; i++)
				ok += sc[s].round(&x, mech, ep, i);
			line(fmt("sockapi.ready.%s.%s", sc[s].name, mech_name[mech]),
			     "%d of %d rounds", ok, ROUNDS);
			close(ep);
			if (x.a >= 0)
				close(x.a);
			if (x.b >= 0)
				close(x.b);
			if (x.l >= 0)
				close(x.l);
		}
	}
}

/* ------------------------------------------------------------- 4. non-blocking connect */

static const char *poll_str(int fd, int events, int ms)
{
	struct pollfd p = { .fd = fd, .events = (short)events };
	int r = poll(&p, 1, ms);
	return fmt("poll=%d revents=%s", r, revents_name(p.revents));
}

static void nbconnect(void)
{
	const char *P = "sockapi.nbconnect";
	int l = listening(SOCK_STREAM, 4);
	uint16_t lport = local_port(l);
	/* A port that is bound but where nothing listens: an INIT to it is answered by ABORT. */
	int holder = bound(SOCK_STREAM);
	uint16_t dead = local_port(holder);
	struct sockaddr_in to = v4("127.0.0.1", lport), nobody = v4("127.0.0.1", dead);
	int c, a, r;

	phase("nbconnect");
	/* One-to-one to a listener. */
	c = sctp_socket(AF_INET, SOCK_STREAM);
	nonblock(c);
	errno = ERRNO_SENTINEL;
	r = connect(c, (struct sockaddr *)&to, sizeof to);
	ret_errno(name(P, "one.connect"), r, errno);
	line(name(P, "one.poll"), "%s", poll_str(c, POLLIN | POLLOUT, WAIT_MS));
	line(name(P, "one.so_error"), "%s", so_error(c));
	{
		struct sockaddr_in pa;
		socklen_t pl = sizeof pa;
		r = getpeername(c, (struct sockaddr *)&pa, &pl);
		line(name(P, "one.getpeername"), "ret=%d %s", r, addr_rel(&pa, lport));
	}
	errno = ERRNO_SENTINEL;
	r = (int)send(c, "hello", 5, MSG_NOSIGNAL);
	line(name(P, "one.send"), "ret=%d errno=%s", r, err(errno));
	a = accept_within(l);
	{
		char buf[16] = "";
		struct pollfd p = { .fd = a, .events = POLLIN };
		long n = a >= 0 && poll(&p, 1, WAIT_MS) == 1 ? recv(a, buf, sizeof buf, 0) : -1;
		line(name(P, "one.peer"), "accepted=%s got=%.*s", yesno(a >= 0), n > 0 ? (int)n : 0, buf);
	}
	errno = ERRNO_SENTINEL;
	r = connect(c, (struct sockaddr *)&to, sizeof to);
	ret_errno(name(P, "one.connect_again"), r, errno);
	close(c);
	if (a >= 0)
		close(a);

	/* One-to-one to the port where nothing listens. */
	c = sctp_socket(AF_INET, SOCK_STREAM);
	nonblock(c);
	errno = ERRNO_SENTINEL;
	r = connect(c, (struct sockaddr *)&nobody, sizeof nobody);
	ret_errno(name(P, "refused.connect"), r, errno);
	line(name(P, "refused.poll"), "%s", poll_str(c, POLLIN | POLLOUT, WAIT_MS));
	{
		const char *first = so_error(c);
		line(name(P, "refused.so_error"), "first=%s then=%s", first, so_error(c));
	}
	line(name(P, "refused.poll_after_so_error"), "%s", poll_str(c, POLLIN | POLLOUT, 0));
	{
		char buf[8];
		errno = ERRNO_SENTINEL;
		r = (int)recv(c, buf, sizeof buf, MSG_DONTWAIT);
		ret_errno(name(P, "refused.recv"), r, errno);
		errno = ERRNO_SENTINEL;
		r = (int)send(c, "x", 1, MSG_NOSIGNAL);
		ret_errno(name(P, "refused.send"), r, errno);
		errno = ERRNO_SENTINEL;
		r = getpeername(c, (struct sockaddr *)buf, &(socklen_t){ sizeof buf });
		ret_errno(name(P, "refused.getpeername"), r, errno);
	}
	errno = ERRNO_SENTINEL;
	r = connect(c, (struct sockaddr *)&nobody, sizeof nobody);
	ret_errno(name(P, "refused.connect_again"), r, errno);
	line(name(P, "refused.again.poll"), "%s", poll_str(c, POLLIN | POLLOUT, WAIT_MS));
	line(name(P, "refused.again.so_error"), "%s", so_error(c));
	close(c);
	/* A send before SO_ERROR is read reports the pending error (and clears it). */
	c = sctp_socket(AF_INET, SOCK_STREAM);
	nonblock(c);
	connect(c, (struct sockaddr *)&nobody, sizeof nobody);
	poll_str(c, POLLOUT, WAIT_MS);
	errno = ERRNO_SENTINEL;
	r = (int)send(c, "x", 1, MSG_NOSIGNAL);
	ret_errno(name(P, "refused.send_first"), r, errno);
	line(name(P, "refused.send_first.so_error"), "%s", so_error(c));
	close(c);

	/* One-to-many: connect and sctp_connectx, then COMM_UP; and to the dead port. */
	{
		int srv = listening(SOCK_SEQPACKET, 8), srv2 = listening(SOCK_SEQPACKET, 8);
		uint16_t p1 = local_port(srv), p2 = local_port(srv2);
		struct sockaddr_in t1 = v4("127.0.0.1", p1);
		struct packed t2 = { .len = 0 };
		sctp_assoc_t id = 0, got = 0;
		const char *st;
		no_events(srv);
		no_events(srv2);
		c = bound(SOCK_SEQPACKET);
		no_events(c);
		events_on(c, SCTP_ASSOC_CHANGE, 0);
		nonblock(c);
		errno = ERRNO_SENTINEL;
		r = connect(c, (struct sockaddr *)&t1, sizeof t1);
		ret_errno(name(P, "many.connect"), r, errno);
		st = wait_assoc_change(c, WAIT_MS, &got);
		line(name(P, "many.connect.then"), "%s assoc=%s", st, rel(got, assoc_with(c, p1)));
		errno = ERRNO_SENTINEL;
		r = connect(c, (struct sockaddr *)&t1, sizeof t1);
		ret_errno(name(P, "many.connect_again"), r, errno);
		add4(&t2, "127.0.0.1", p2);
		errno = ERRNO_SENTINEL;
		r = sctp_connectx(c, (struct sockaddr *)t2.buf, t2.cnt, &id);
		line(name(P, "many.sctp_connectx"), "ret=%d errno=%s id=%s", r, err(errno),
		     id ? "set" : "zero");
		got = 0;
		st = wait_assoc_change(c, WAIT_MS, &got);
		line(name(P, "many.sctp_connectx.then"), "%s assoc=%s; same as the peer address's: %s",
		     st, rel(got, id), yesno(got == assoc_with(c, p2)));
		errno = ERRNO_SENTINEL;
		r = connect(c, (struct sockaddr *)&nobody, sizeof nobody);
		ret_errno(name(P, "many.refused.connect"), r, errno);
		got = 1;
		st = wait_assoc_change(c, WAIT_MS, &got);
		line(name(P, "many.refused.then"), "%s assoc=%s; so_error=%s associations=%d", st,
		     got ? "set" : "zero", so_error(c), assoc_count(c, NULL));
		close(c);
		close(srv);
		close(srv2);
	}
	close(holder);
	close(l);
}

/* ------------------------------------------------------------- 5. exec */

/* This program, by the path it was started with when that is a path (valgrind follows that,
 * not /proc/self/exe), else by /proc/self/exe. */
static const char *self_path = "/proc/self/exe";

/* The new image: argv = prog --exec-part keep|cloexec FD PORT PIPEFD. */
static int exec_part(char **argv)
{
	int fd = atoi(argv[3]), pipefd = atoi(argv[5]);
	uint16_t port = (uint16_t)atoi(argv[4]);
	alarm(8 * (unsigned)slow_factor());
	if (!strcmp(argv[2], "keep")) {
		union msgbuf b;
		struct sctp_rcvinfo ri;
		struct sockaddr_in pa;
		socklen_t pl = sizeof pa;
		struct sctp_status st;
		socklen_t sl = sizeof st;
		int fdfl = fcntl(fd, F_GETFD), flags, pr, sr;
		const char *type = geti(fd, SOL_SOCKET, SO_TYPE);
		ssize_t n;
		long got;
		memset(&st, 0, sizeof st);
		sr = getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &sl);
		pr = getpeername(fd, (struct sockaddr *)&pa, &pl);
		n = send_to(fd, 0, "from-exec", 9, 0, 0, 0, 0);
		got = rmsg(fd, &b, WAIT_MS, &flags, &ri);
		line("sockapi.exec.keep.new_image", "fd open=%s cloexec=%s type=%s status=%d state=%s "
		     "getpeername=%d %s", yesno(fdfl >= 0), yesno(fdfl > 0 && (fdfl & FD_CLOEXEC)),
		     !strcmp(type, fmt("%d", SOCK_STREAM)) ? "SOCK_STREAM" : type, sr,
		     sr ? "-" : status_state_name(st.sstat_state), pr, addr_rel(&pa, port));
		line("sockapi.exec.keep.new_image.sctp_send", "ret=%zd", n);
		line("sockapi.exec.keep.new_image.recv", "%s", got < 0 ? fmt("none (%s)", err(errno))
		     : describe(&b, got, flags, &ri, 0, port));
		return 0;
	} else {
		struct pollfd p = { .fd = pipefd, .events = POLLIN };
		char c;
		int r1, e1, r2, e2, released;
		errno = ERRNO_SENTINEL;
		r1 = fcntl(fd, F_GETFD);
		e1 = errno;
		errno = ERRNO_SENTINEL;
		r2 = (int)send_to(fd, 0, "x", 1, 0, 0, 0, 0);
		e2 = errno;
		released = poll(&p, 1, 5 * WAIT_MS / 2) == 1 && read(pipefd, &c, 1) == 1;
		line("sockapi.exec.cloexec.new_image", "fcntl=%d errno=%s sctp_send=%d errno=%s; "
		     "released by the parent: %s", r1, err(e1), r2, err(e2), yesno(released));
		return 0;
	}
}

static const char *status_name(int status)
{
	if (WIFEXITED(status))
		return fmt("exited %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return fmt("killed by %s", WTERMSIG(status) == SIGKILL ? "SIGKILL"
			   : WTERMSIG(status) == SIGALRM ? "SIGALRM (hang)"
			   : fmt("signal %d", WTERMSIG(status)));
	return fmt("status 0x%x", status);
}

static pid_t spawn_exec(const char *mode, int fd, uint16_t port, int pipefd)
{
	pid_t pid;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		char *args[] = { (char *)"sockapi", (char *)"--exec-part", (char *)mode,
				 (char *)fmt("%d", fd), (char *)fmt("%u", port),
				 (char *)fmt("%d", pipefd), NULL };
		execv(self_path, args);
		_exit(127);
	}
	return pid;
}

/* What a one-to-one socket gets within ms: "recv=0" (end of file), "recv=-1 errno=...", data,
 * or "nothing". */
static const char *recv_end(int fd, int ms)
{
	union msgbuf b;
	struct sctp_rcvinfo ri;
	int flags;
	long n = rmsg(fd, &b, ms, &flags, &ri);
	if (n < 0)
		return errno == ETIMEDOUT ? "nothing" : fmt("recv=-1 errno=%s", err(errno));
	if (n == 0)
		return "recv=0";
	return describe(&b, n, flags, &ri, 0, 0);
}

static void exec_checks(void)
{
	const char *P = "sockapi.exec";
	int l = listening(SOCK_STREAM, 4), c, a, status = 0;
	uint16_t lport = local_port(l);
	pid_t pid;

	phase("exec");
	/* Kept across exec: the new image talks on it. */
	c = sctp_socket(AF_INET, SOCK_STREAM);
	connect_v4(c, lport);
	a = accept_within(l);
	must(a >= 0, "accept");
	must(dup2(c, KEEP_FD) == KEEP_FD, "dup2");
	close(c);
	pid = spawn_exec("keep", KEEP_FD, lport, -1);
	close(KEEP_FD);
	{
		const char *got = recv_end(a, WAIT_MS + 1000), *reply, *after;
		ssize_t n = send(a, "reply-to-exec", 13, MSG_NOSIGNAL);
		reply = fmt("%zd", n);
		waitpid(pid, &status, 0);
		after = recv_end(a, WAIT_MS);
		line(name(P, "keep"), "child %s", status_name(status));
		line(name(P, "keep.peer"), "got: %s; reply ret=%s; after the child exited: %s", got,
		     reply, after);
	}
	close(a);

	/* Close-on-exec: gone in the new image; the exec drops the last descriptor, so the
	 * association ends gracefully while the child still runs. */
	{
		int pfd[2];
		const char *end;
		must(pipe(pfd) == 0, "pipe");
		c = sctp_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC);
		connect_v4(c, lport);
		a = accept_within(l);
		must(a >= 0, "accept");
		must(dup3(c, CLOEXEC_FD, O_CLOEXEC) == CLOEXEC_FD, "dup3");
		close(c);
		line(name(P, "cloexec.before"), "FD_CLOEXEC=%s",
		     yesno(fcntl(CLOEXEC_FD, F_GETFD) & FD_CLOEXEC));
		pid = spawn_exec("cloexec", CLOEXEC_FD, lport, pfd[0]);
		close(CLOEXEC_FD);
		close(pfd[0]);
		end = recv_end(a, WAIT_MS + 1000);
		if (write(pfd[1], "x", 1) != 1)
			perror("write");
		waitpid(pid, &status, 0);
		line(name(P, "cloexec"), "child %s", status_name(status));
		line(name(P, "cloexec.peer"), "while the child runs after exec: %s", end);
		close(pfd[1]);
		close(a);
	}
	close(l);
}

/* ------------------------------------------------------------- 6. kill */

/* Every notification that comes on a one-to-one socket within ms (association ids relative to
 * ref), and how its reads ended: stops once it has an ASSOC_CHANGE that ends the association
 * and the end of the reads. When the end of file comes relative to the notifications is timing,
 * so it is printed apart. */
static void peer_sees(const char *check, int fd, sctp_assoc_t ref, int ms)
{
	char notes[512] = "";
	const char *end = NULL;
	union msgbuf b;
	struct sctp_rcvinfo ri;
	int flags, done = 0;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long n;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
			break;
		if (done && end)
			break;
		n = rmsg(fd, &b, 50, &flags, &ri);
		if (n < 0 && errno == ETIMEDOUT)
			continue;
		if (n < 0 && errno == EAGAIN) {
			usleep(5000);
			continue;
		}
		if (n <= 0) {
			if (!end)
				end = n == 0 ? "recv=0" : fmt("recv=-1 errno=%s", err(errno));
			usleep(5000);
			continue;
		}
		if (flags & MSG_NOTIFICATION) {
			const char *d = describe(&b, n, flags, &ri, ref, 0);
			if (b.n.sn_header.sn_type == SCTP_ASSOC_CHANGE &&
			    (b.n.sn_assoc_change.sac_state == SCTP_COMM_LOST ||
			     b.n.sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP))
				done = 1;
			snprintf(notes + strlen(notes), sizeof notes - strlen(notes), "%s[%s]",
				 notes[0] ? ", " : "", d);
		} else {
			snprintf(notes + strlen(notes), sizeof notes - strlen(notes), "%sdata len=%ld",
				 notes[0] ? ", " : "", n);
		}
	}
	line(check, "notifications: %s; reads ended with: %s", notes[0] ? notes : "none",
	     end ? end : "nothing");
}

static void kill_check(int unread)
{
	const char *P = unread ? "sockapi.kill.unread_data" : "sockapi.kill.nothing_unread";
	int l = listening(SOCK_STREAM, 4), pfd[2], a, status = 0;
	uint16_t lport = local_port(l);
	sctp_assoc_t id;
	struct pollfd p;
	char ch;
	pid_t pid;

	phase(P);
	must(pipe(pfd) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int c;
		alarm(10 * (unsigned)slow_factor());
		c = sctp_socket(AF_INET, SOCK_STREAM);
		connect_v4(c, lport);
		if (write(pfd[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(pfd[1]);
	p = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	if (poll(&p, 1, 3 * WAIT_MS / 2) != 1 || read(pfd[0], &ch, 1) != 1)
		line(name(P, "child"), "did not connect");
	a = accept_within(l);
	must(a >= 0, "accept");
	no_events(a);
	events_on(a, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT, 0);
	nonblock(a);
	id = status_id(a);
	if (unread) {
		ssize_t n = send(a, "never-read", 10, MSG_NOSIGNAL);
		line(name(P, "sent"), "ret=%zd acknowledged=%s", n, yesno(wait_acked(a, 0, WAIT_MS)));
	}
	killed_on_purpose(pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	line(name(P, "child"), "%s", status_name(status));
	peer_sees(name(P, "peer"), a, id, WAIT_MS);
	{
		char buf[8];
		errno = ERRNO_SENTINEL;
		int r = (int)send(a, "x", 1, MSG_NOSIGNAL);
		ret_errno(name(P, "peer.send_after"), r, errno);
		errno = ERRNO_SENTINEL;
		r = (int)recv(a, buf, sizeof buf, MSG_DONTWAIT);
		ret_errno(name(P, "peer.recv_after"), r, errno);
	}
	close(pfd[0]);
	close(a);
	close(l);
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "--exec-part"))
		return exec_part(argv);
	if (strchr(argv[0], '/'))
		self_path = argv[0];
	clock_gettime(CLOCK_MONOTONIC, &start_time);
	signal(SIGPIPE, SIG_IGN);
	bind_sctp_now();
	watchdog(60);
	opts_many();
	opts_one();
	notify_graceful();
	notify_abort();
	notify_paddr();
	readiness();
	nbconnect();
	exec_checks();
	kill_check(1);
	kill_check(0);
	line("sockapi.end", "done");
	phase("end");
	return 0;
}
