/* sctp_sendv and sctp_recvv on the real kernel SCTP stack, built against lksctp and against
 * sctp_rs, outputs compared per line.
 *
 * sctp_sendv: what reaches the peer for each infotype (NOINFO; SNDINFO's sid, flags, ppid,
 * assoc id, and its context coming back in SCTP_SEND_FAILED; PRINFO RTX/TTL; AUTHINFO with key
 * 0; SPA with SNDINFO|PRINFO; SPA with all three VALID flags, which overflows lksctp 1.0.19's
 * stack buffer: issue #68, run in a child), several iovecs gathered in order, the addresses (one,
 * three to a peer on 127.0.0.1-3 with implicit setup, a blackhole first to prove the extra
 * addresses reach the kernel, more than 16, IPv6 and mixed on an AF_INET6 socket, AF_UNIX), the
 * `flags` argument (lksctp drops it: SIGPIPE despite MSG_NOSIGNAL, a blocking wait despite
 * MSG_DONTWAIT), and sctp_rs's checks of info/infolen/infotype/addrcnt where lksctp sends
 * anyway, returns a negative errno or crashes.
 *
 * sctp_recvv: *infotype, *infolen and every field stored for SCTP_RECVRCVINFO and/or
 * SCTP_RECVNXTINFO with each infolen (struct sctp_recvv_rn, sctp_rcvinfo, sctp_nxtinfo, too
 * small), NXTINFO only while another message is queued, both at once (lksctp's 64-byte cmsg
 * buffer cannot hold both cmsgs: MSG_CTRUNC, and the RCVINFO it then reports ends in 12 bytes
 * read past that buffer: divergence recvv-rn-room), NULL info/infolen/infotype/fromlen, *flags
 * in/out (MSG_PEEK, MSG_DONTWAIT), scatter into several iovecs. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int s)
{
	(void)s;
	sigpipes++;
}

/* ---- packed address arrays --------------------------------------------------------------- */

static void reset(struct packed *p)
{
	p->len = 0;
	p->cnt = 0;
}

/* ---- sctp_sendv ---------------------------------------------------------------------------- */

/* The arguments of sctp_sendv, named at each call. Without `iov`, `text` is the one iovec.
 * With `to`, addrs and addrcnt are its buffer and count (addrcnt overridden by `addrcnt_set`);
 * without, `addrs` and `addrcnt` as given. */
struct sv {
	const char *text;
	const struct iovec *iov;
	int iovcnt;
	struct packed *to;
	struct sockaddr *addrs;
	int addrcnt, addrcnt_set;
	void *info;
	socklen_t infolen;
	unsigned infotype;
	int flags;
};

static long do_sendv(const char *check, int fd, struct sv a)
{
	struct iovec one = { .iov_base = (void *)a.text, .iov_len = a.text ? strlen(a.text) : 0 };
	struct sockaddr *addrs = a.to ? (struct sockaddr *)a.to->buf : a.addrs;
	int addrcnt = a.addrcnt_set || !a.to ? a.addrcnt : a.to->cnt;
	long r;
	if (!a.iov) {
		a.iov = &one;
		a.iovcnt = 1;
	}
	errno = ERRNO_SENTINEL;
	r = sctp_sendv(fd, a.iov, a.iovcnt, addrs, addrcnt, a.info, a.infolen, a.infotype,
		       a.flags);
	ret_errno(check, r, errno);
	if (r < -1) /* lksctp returns -EINVAL or -ENOMEM itself */
		line(check, "raw ret=%ld", r);
	if (r >= 0)
		line(check, "bytes=%ld", r);
	return r;
}

/* What the peer (data_io on) received within `ms`: sinfo fields, the id as a relation. */
static void peer_got(const char *check, int fd, sctp_assoc_t expect_assoc, int ms)
{
	char buf[256];
	struct sctp_sndrcvinfo si;
	int fl;
	long n = peer_recv(check, fd, buf, sizeof buf, &si, &fl, ms);
	if (n < 0)
		return;
	line(check, "peer len=%ld data=%.*s stream=%u ppid=0x%x flags=%s assoc=%s eor=%s", n,
	     (int)n, buf, si.sinfo_stream, si.sinfo_ppid, sinfo_flags_name(si.sinfo_flags),
	     expect_assoc == 0 ? "any" : si.sinfo_assoc_id == expect_assoc ? "same" : "other",
	     fl & MSG_EOR ? "yes" : "no");
}

/* A one-to-many client that gives up on an unanswered INIT fast: RTO 100 ms, INIT sent up to
 * `attempts` times. */
static int fast_client(int family, int attempts)
{
	return fast_init(sctp_socket(family, SOCK_SEQPACKET), attempts);
}

static struct sctp_sndinfo sndinfo(uint16_t sid, uint16_t flags, uint32_t ppid, uint32_t context,
				   sctp_assoc_t id)
{
	struct sctp_sndinfo s;
	memset(&s, 0, sizeof s);
	s.snd_sid = sid;
	s.snd_flags = flags;
	s.snd_ppid = ppid;
	s.snd_context = context;
	s.snd_assoc_id = id;
	return s;
}

static struct sctp_prinfo prinfo(uint16_t policy, uint32_t value)
{
	struct sctp_prinfo p;
	memset(&p, 0, sizeof p);
	p.pr_policy = policy;
	p.pr_value = value;
	return p;
}

/* The shared setup of the sendv checks: a listener (data_io, association events) and a client
 * with an association to it, set up by sctp_sendv to one address (NOINFO). */
static struct {
	int l, c;
	uint16_t port;
	struct packed srv; /* the listener's address, alone */
	sctp_assoc_t cid, sid;
} t;

static void setup(void)
{
	t.l = listener_v4(&t.port);
	t.c = fast_client(AF_INET, 10);
	reset(&t.srv);
	add4(&t.srv, "127.0.0.1", t.port);
	do_sendv("sendv.noinfo_one_address", t.c, (struct sv){ .text = "noinfo", .to = &t.srv,
							      .infotype = SCTP_SENDV_NOINFO });
	line("sendv.noinfo_one_address", "peer saw %s", wait_assoc_change(t.l, 5000, &t.sid));
	peer_got("sendv.noinfo_one_address", t.l, t.sid, 5000);
	t.cid = assoc_to(t.c, t.srv.buf, sizeof(struct sockaddr_in));
	line("sendv.noinfo_one_address", "client associations=%d id known=%s",
	     assoc_count(t.c, NULL), t.cid ? "yes" : "no");
}

/* Each infotype on the association of the setup. */
static void infotypes(void)
{
	struct sctp_sndinfo snd;
	struct sctp_prinfo pr;
	struct sctp_authinfo auth = { .auth_keynumber = 0 };
	struct sctp_sendv_spa spa;

	snd = sndinfo(3, SCTP_UNORDERED, 0x11223344, 77, t.cid);
	do_sendv("sendv.sndinfo", t.c, (struct sv){ .text = "sndinfo", .info = &snd,
						     .infolen = sizeof snd,
						     .infotype = SCTP_SENDV_SNDINFO });
	peer_got("sendv.sndinfo", t.l, t.sid, 5000);

	/* The id picks the association: an unknown one is EPIPE, and SIGPIPE (flags 0). */
	snd = sndinfo(0, 0, 1, 0, t.cid + 1000);
	sigpipes = 0;
	do_sendv("sendv.sndinfo_unknown_assoc", t.c, (struct sv){ .text = "x", .info = &snd,
								   .infolen = sizeof snd,
								   .infotype = SCTP_SENDV_SNDINFO });
	line("sendv.sndinfo_unknown_assoc", "sigpipes=%d", (int)sigpipes);

	snd = sndinfo(0, 0x1000, 0, 0, t.cid);
	do_sendv("sendv.sndinfo_unknown_flag", t.c, (struct sv){ .text = "x", .info = &snd,
								  .infolen = sizeof snd,
								  .infotype = SCTP_SENDV_SNDINFO });
	snd = sndinfo(100, 0, 0, 0, t.cid);
	do_sendv("sendv.sndinfo_stream_out_of_range", t.c,
		 (struct sv){ .text = "x", .info = &snd, .infolen = sizeof snd,
			      .infotype = SCTP_SENDV_SNDINFO });

	pr = prinfo(SCTP_PR_SCTP_RTX, 3);
	do_sendv("sendv.prinfo_rtx", t.c, (struct sv){ .text = "rtx", .to = &t.srv, .info = &pr,
							.infolen = sizeof pr,
							.infotype = SCTP_SENDV_PRINFO });
	peer_got("sendv.prinfo_rtx", t.l, t.sid, 5000);
	pr = prinfo(SCTP_PR_SCTP_TTL, 5000);
	do_sendv("sendv.prinfo_ttl", t.c, (struct sv){ .text = "ttl", .to = &t.srv, .info = &pr,
							.infolen = sizeof pr,
							.infotype = SCTP_SENDV_PRINFO });
	peer_got("sendv.prinfo_ttl", t.l, t.sid, 5000);
	pr = prinfo(0x40, 1);
	do_sendv("sendv.prinfo_bad_policy", t.c, (struct sv){ .text = "x", .to = &t.srv,
							       .info = &pr, .infolen = sizeof pr,
							       .infotype = SCTP_SENDV_PRINFO });

	do_sendv("sendv.authinfo_key0", t.c, (struct sv){ .text = "auth", .to = &t.srv,
							   .info = &auth, .infolen = sizeof auth,
							   .infotype = SCTP_SENDV_AUTHINFO });
	peer_got("sendv.authinfo_key0", t.l, t.sid, 5000);
	auth.auth_keynumber = 5; /* no such key */
	do_sendv("sendv.authinfo_key5", t.c, (struct sv){ .text = "auth5", .to = &t.srv,
							   .info = &auth, .infolen = sizeof auth,
							   .infotype = SCTP_SENDV_AUTHINFO });
	peer_got("sendv.authinfo_key5", t.l, t.sid, 1000);

	memset(&spa, 0, sizeof spa);
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
	spa.sendv_sndinfo = sndinfo(2, 0, 0x5a, 0, t.cid);
	spa.sendv_prinfo = prinfo(SCTP_PR_SCTP_RTX, 2);
	do_sendv("sendv.spa_snd_pr", t.c, (struct sv){ .text = "spa2", .info = &spa,
							.infolen = sizeof spa,
							.infotype = SCTP_SENDV_SPA });
	peer_got("sendv.spa_snd_pr", t.l, t.sid, 5000);

	/* No VALID flag: nothing but the message (on the association of the address). */
	memset(&spa, 0, sizeof spa);
	spa.sendv_sndinfo = sndinfo(4, 0, 0x99, 0, 0);
	do_sendv("sendv.spa_no_flags", t.c, (struct sv){ .text = "spa0", .to = &t.srv,
							  .info = &spa, .infolen = sizeof spa,
							  .infotype = SCTP_SENDV_SPA });
	peer_got("sendv.spa_no_flags", t.l, t.sid, 5000);
}

/* SPA with all three VALID flags: 80 bytes of cmsgs in lksctp 1.0.19's 48-byte stack buffer. */
static void spa_all_three_child(void *arg)
{
	struct sctp_sendv_spa spa;
	(void)arg;
	memset(&spa, 0, sizeof spa);
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID |
			  SCTP_SEND_AUTHINFO_VALID;
	spa.sendv_sndinfo = sndinfo(1, 0, 0x3, 0, t.cid);
	spa.sendv_prinfo = prinfo(SCTP_PR_SCTP_TTL, 5000);
	do_sendv("sendv.spa_all_three", t.c, (struct sv){ .text = "spa3", .info = &spa,
							   .infolen = sizeof spa,
							   .infotype = SCTP_SENDV_SPA });
}

static void spa_all_three(void)
{
	in_child("sendv.spa_all_three", spa_all_three_child, NULL);
	peer_got("sendv.spa_all_three.peer", t.l, t.sid, 1000);
}

/* Several iovecs, an empty one among them: the peer gets one message, in order. */
static void iovecs(void)
{
	struct iovec v[4] = { { (void *)"abc", 3 }, { NULL, 0 }, { (void *)"defgh", 5 },
			      { (void *)"!", 1 } };
	do_sendv("sendv.iovecs", t.c, (struct sv){ .iov = v, .iovcnt = 4, .to = &t.srv });
	peer_got("sendv.iovecs", t.l, t.sid, 5000);
	do_sendv("sendv.iovcnt_zero", t.c, (struct sv){ .iov = v, .iovcnt = 0, .to = &t.srv });
}

/* A notification read from `fd` within `ms`: its type and, for SCTP_SEND_FAILED, the sinfo. */
static void notification(const char *check, int fd, int ms)
{
	union sctp_notification n;
	struct iovec v = { &n, sizeof n };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	const struct sctp_send_failed *f = &n.sn_send_failed;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, ms) != 1 || recvmsg(fd, &m, 0) < 0) {
		line(check, "no notification");
		return;
	}
	if (!(m.msg_flags & MSG_NOTIFICATION))
		line(check, "data, not a notification");
	else if (n.sn_header.sn_type == SCTP_SEND_FAILED)
		line(check, "SEND_FAILED flags=%s data_len=%ld stream=%u ppid=0x%x context=0x%x "
		     "sinfo_flags=0x%x", f->ssf_flags == SCTP_DATA_UNSENT ? "DATA_UNSENT" : "other",
		     (long)f->ssf_length - (long)sizeof *f, f->ssf_info.sinfo_stream,
		     f->ssf_info.sinfo_ppid, f->ssf_info.sinfo_context, f->ssf_info.sinfo_flags);
	else
		line(check, "notification type=0x%x", n.sn_header.sn_type);
}

/* SNDINFO's context never reaches the peer: it comes back in SCTP_SEND_FAILED when the
 * association to a blackhole cannot be set up. */
static void context_in_send_failed(void)
{
	int c = fast_client(AF_INET, 2);
	struct packed bh = { .len = 0 };
	struct sctp_sndinfo snd = sndinfo(1, 0, 0x5150, 0xc0ffee, 0);

	set_events(c, 0, 0, 1);
	add4(&bh, "127.0.1.1", t.port);
	do_sendv("sendv.context_in_send_failed", c,
		 (struct sv){ .text = "lost!", .to = &bh, .info = &snd, .infolen = sizeof snd,
			      .infotype = SCTP_SENDV_SNDINFO });
	notification("sendv.context_in_send_failed", c, 10000);
	close(c);
}

/* ---- addresses ---------------------------------------------------------------------------- */

/* A one-to-many listener on 127.0.0.1, .2 and .3, one port (sctp_bindx). */
static int multihomed_listener(uint16_t *port)
{
	int l = listener_v4(port);
	struct packed more = { .len = 0 };
	add4(&more, "127.0.0.2", *port);
	add4(&more, "127.0.0.3", *port);
	if (sctp_bindx(l, (struct sockaddr *)more.buf, more.cnt, SCTP_BINDX_ADD_ADDR) < 0) {
		perror("FATAL: sctp_bindx");
		exit(2);
	}
	return l;
}

/* A new client sends `text` to the addresses `p`; the peer and the association are printed. */
static void implicit_setup(const char *check, int l, int family, struct packed *p,
			   const char *text)
{
	int c = fast_client(family, 30);
	sctp_assoc_t id;
	do_sendv(check, c, (struct sv){ .text = text, .to = p });
	peer_got(check, l, 0, 20000);
	line(check, "client associations=%d", assoc_count(c, &id));
	peer_addrs(check, c, id);
	close(c);
}

static void addresses(void)
{
	uint16_t port;
	int l = multihomed_listener(&port), c;
	struct packed p = { .len = 0 };

	add4(&p, "127.0.0.1", port);
	add4(&p, "127.0.0.2", port);
	add4(&p, "127.0.0.3", port);
	implicit_setup("sendv.three_addresses", l, AF_INET, &p, "three");

	/* The first address is a blackhole: the association comes up through the others. */
	reset(&p);
	add4(&p, "127.0.1.1", port);
	add4(&p, "127.0.0.2", port);
	add4(&p, "127.0.0.3", port);
	implicit_setup("sendv.blackhole_first", l, AF_INET, &p, "via-extra");
	/* Control: the blackhole alone never gets an association up. */
	p.cnt = 1;
	c = fast_client(AF_INET, 2);
	set_events(c, 0, 1, 0);
	do_sendv("sendv.blackhole_only", c, (struct sv){ .text = "lost", .to = &p });
	line("sendv.blackhole_only", "client saw %s", wait_assoc_change(c, 10000, NULL));
	peer_got("sendv.blackhole_only", l, 0, 300);
	close(c);

	/* More than 16 addresses: 19 blackholes, the live one last. */
	reset(&p);
	for (int i = 1; i <= 19; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "127.0.1.%d", i);
		add4(&p, ip, port);
	}
	add4(&p, "127.0.0.2", port);
	implicit_setup("sendv.twenty_addresses", l, AF_INET, &p, "twenty");
	close(l);
}

/* PR-SCTP TTL on an association the send itself sets up (Linux 6.1; the kernel's doing, the same
 * under lksctp, which hands the kernel the same bytes): the kernel sets a message's expiry only
 * once it knows the peer does PR-SCTP, which it learns from the INIT-ACK, so the message is
 * abandoned unsent (SCTP_PR_ASSOC_STATUS counts it) and the send still returns its length. The
 * same PRINFO on an established association arrives (sendv.prinfo_ttl). */
static void ttl_on_implicit_setup(void)
{
	const char *check = "sendv.ttl_implicit_setup";
	uint16_t port;
	int l = listener_v4(&port), c = fast_client(AF_INET, 30);
	struct packed p = { .len = 0 };
	struct sctp_prinfo pr = prinfo(SCTP_PR_SCTP_TTL, 60000);
	struct sctp_prstatus st;
	socklen_t len = sizeof st;
	sctp_assoc_t id;
	add4(&p, "127.0.0.1", port);
	do_sendv(check, c, (struct sv){ .text = "ttl", .to = &p, .info = &pr, .infolen = sizeof pr,
					.infotype = SCTP_SENDV_PRINFO });
	peer_got(check, l, 0, 2000);
	/* The association itself is up: a message without TTL arrives. */
	do_sendv(check, c, (struct sv){ .text = "after", .to = &p });
	peer_got(check, l, 0, 5000);
	id = assoc_to(c, p.buf, sizeof(struct sockaddr_in));
	memset(&st, 0, sizeof st);
	st.sprstat_assoc_id = id;
	st.sprstat_policy = SCTP_PR_SCTP_TTL;
	if (getsockopt(c, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &st, &len) < 0)
		line(check, "SCTP_PR_ASSOC_STATUS: %s", errname(errno));
	else
		line(check, "TTL abandoned unsent=%llu sent=%llu",
		     (unsigned long long)st.sprstat_abandoned_unsent,
		     (unsigned long long)st.sprstat_abandoned_sent);
	close(c);
	close(l);
}

static void ipv6(void)
{
	int l = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	struct sockaddr_in6 any = v6("::", 0);
	struct packed p = { .len = 0 };
	uint16_t port;
	bind_or_die(l, &any, sizeof any);
	listen(l, 4);
	subscribe(l, 1, 0, 0);
	port = local_port(l);

	add6(&p, "::1", port);
	implicit_setup("sendv.ipv6", l, AF_INET6, &p, "six");
	/* Mixed on an AF_INET6 socket: a v4 blackhole first, ::1 as the extra address. */
	reset(&p);
	add4(&p, "127.0.1.7", port);
	add6(&p, "::1", port);
	implicit_setup("sendv.mixed_v4_then_v6", l, AF_INET6, &p, "mixed");
	close(l);
}

/* A family other than AF_INET/AF_INET6, first or second: lksctp returns -EINVAL itself. */
static void bad_family(void)
{
	struct { sa_family_t fam; char path[30]; } un = { AF_UNIX, "x" };
	struct packed p = { .len = 0 };
	packed_add(&p, &un, sizeof un);
	do_sendv("sendv.family_unix_first", t.c, (struct sv){ .text = "x", .to = &p });
	reset(&p);
	add4(&p, "127.0.0.1", t.port);
	packed_add(&p, &un, sizeof un);
	do_sendv("sendv.family_unix_second", t.c, (struct sv){ .text = "x", .to = &p });
	peer_got("sendv.bad_family.peer", t.l, t.sid, 300);
}

/* ---- the flags argument ------------------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sends from the one-to-one `c` until its send buffer stays full: the peer reads nothing, so
 * once its (small) receive window is closed no SACK frees anything any more. */
static int fill_sndbuf(int c)
{
	static char big[4096];
	for (int round = 0; round < 40; round++) {
		int sent = 0;
		while (send(c, big, sizeof big, MSG_DONTWAIT) >= 0)
			sent++;
		if (errno != EAGAIN)
			return 0;
		if (sent == 0 && round > 0)
			return 1;
		usleep(250000);
	}
	return 0;
}

static void flags_arg(void)
{
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET), l, a, sz = 4096;
	struct sockaddr_in me = v4("127.0.0.1", 0);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 400000 };
	double t0;

	/* One-to-many, no address, no id: EPIPE; MSG_NOSIGNAL must keep SIGPIPE away. */
	sigpipes = 0;
	do_sendv("sendv.flags_nosignal", c, (struct sv){ .text = "x", .flags = MSG_NOSIGNAL });
	line("sendv.flags_nosignal", "sigpipes=%d", (int)sigpipes);
	close(c);

	/* A full send buffer: MSG_DONTWAIT must fail at once instead of waiting SO_SNDTIMEO. */
	l = sctp_socket(AF_INET, SOCK_STREAM);
	setsockopt(l, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
	bind_or_die(l, &me, sizeof me);
	listen(l, 4);
	c = sctp_socket(AF_INET, SOCK_STREAM);
	setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	connect_v4(c, local_port(l));
	a = accept(l, NULL, NULL);
	line("sendv.flags_dontwait", "send buffer full=%s", fill_sndbuf(c) ? "yes" : "no");
	t0 = now_ms();
	do_sendv("sendv.flags_dontwait", c, (struct sv){ .text = "more", .flags = MSG_DONTWAIT });
	line("sendv.flags_dontwait", "waited for SO_SNDTIMEO=%s", now_ms() - t0 > 200 ? "yes" : "no");
	close(a);
	close(c);
	close(l);
}

/* ---- validation of info/infolen/infotype/addrs in sctp_rs --------------------------------- */

static void sndinfo_null_child(void *arg)
{
	(void)arg;
	do_sendv("sendv.sndinfo_info_null", t.c,
		 (struct sv){ .text = "null", .to = &t.srv, .info = NULL,
			      .infolen = sizeof(struct sctp_sndinfo),
			      .infotype = SCTP_SENDV_SNDINFO });
}

static void addrs_null_child(void *arg)
{
	(void)arg;
	do_sendv("sendv.addrs_null_addrcnt_2", t.c,
		 (struct sv){ .text = "null", .addrs = NULL, .addrcnt = 2 });
}

/* Each call below goes to the association of the setup; lksctp sends (or fails its own way),
 * sctp_rs answers EINVAL. What the peer got within 300 ms follows each. */
static void validation(void)
{
	struct sctp_sndinfo snd = sndinfo(6, 0, 0x66, 0, t.cid);

	do_sendv("sendv.noinfo_with_info", t.c,
		 (struct sv){ .text = "ni1", .to = &t.srv, .info = &snd,
			      .infotype = SCTP_SENDV_NOINFO });
	peer_got("sendv.noinfo_with_info.peer", t.l, t.sid, 300);
	do_sendv("sendv.noinfo_with_infolen", t.c,
		 (struct sv){ .text = "ni2", .to = &t.srv, .infolen = sizeof snd,
			      .infotype = SCTP_SENDV_NOINFO });
	peer_got("sendv.noinfo_with_infolen.peer", t.l, t.sid, 300);
	do_sendv("sendv.sndinfo_infolen_short", t.c,
		 (struct sv){ .text = "short", .info = &snd, .infolen = sizeof snd - 1,
			      .infotype = SCTP_SENDV_SNDINFO });
	peer_got("sendv.sndinfo_infolen_short.peer", t.l, t.sid, 300);
	in_child("sendv.sndinfo_info_null", sndinfo_null_child, NULL);
	peer_got("sendv.sndinfo_info_null.peer", t.l, t.sid, 300);
	do_sendv("sendv.infotype_unknown", t.c,
		 (struct sv){ .text = "type7", .to = &t.srv, .info = &snd, .infolen = sizeof snd,
			      .infotype = 7 });
	peer_got("sendv.infotype_unknown.peer", t.l, t.sid, 300);
	do_sendv("sendv.addrcnt_negative", t.c,
		 (struct sv){ .text = "neg", .to = &t.srv, .addrcnt = -1, .addrcnt_set = 1 });
	peer_got("sendv.addrcnt_negative.peer", t.l, t.sid, 300);
	in_child("sendv.addrs_null_addrcnt_2", addrs_null_child, NULL);
	peer_got("sendv.addrs_null_addrcnt_2.peer", t.l, t.sid, 300);
	/* addrcnt 0 with addrs set: no address at all, on both (one-to-many: EPIPE). */
	do_sendv("sendv.addrcnt_zero", t.c, (struct sv){ .text = "zero", .to = &t.srv,
							  .addrcnt = 0, .addrcnt_set = 1 });
	do_sendv("sendv.bad_fd", -1, (struct sv){ .text = "x", .to = &t.srv });
}

/* ---- sctp_recvv ---------------------------------------------------------------------------- */

/* Ids and TSNs vary between runs: printed against the expected association and against the
 * previous TSN seen on it. */
static struct {
	sctp_assoc_t assoc;
	uint32_t last_tsn;
	int have_tsn;
} rx;

static const char *id_rel(sctp_assoc_t id)
{
	return id == 0 ? "zero" : id == rx.assoc ? "same" : "other";
}

static const char *tsn_rel(uint32_t tsn)
{
	static char buf[32];
	if (!rx.have_tsn)
		snprintf(buf, sizeof buf, "first");
	else
		snprintf(buf, sizeof buf, "prev%+d", (int)(tsn - rx.last_tsn));
	rx.have_tsn = 1;
	rx.last_tsn = tsn;
	return buf;
}

/* What *infotype holds before each call: no SCTP_RECVV_* value. */
#define INFOTYPE_UNSET 99u

static const char *infotype_name(unsigned t)
{
	static char buf[32];
	switch (t) {
	case SCTP_RECVV_NOINFO: return "NOINFO";
	case SCTP_RECVV_RCVINFO: return "RCVINFO";
	case SCTP_RECVV_NXTINFO: return "NXTINFO";
	case SCTP_RECVV_RN: return "RN";
	}
	snprintf(buf, sizeof buf, t == INFOTYPE_UNSET ? "%u (untouched)" : "%u", t);
	return buf;
}

static void print_rcvinfo(const char *check, const struct sctp_rcvinfo *r)
{
	const char *tsn = tsn_rel(r->rcv_tsn);
	line(check, "rcvinfo sid=%u ssn=%u flags=%s ppid=0x%x tsn=%s cumtsn=%s context=%u assoc=%s",
	     r->rcv_sid, r->rcv_ssn, sinfo_flags_name(r->rcv_flags), r->rcv_ppid, tsn,
	     cumtsn_rel(r->rcv_cumtsn, r->rcv_tsn), r->rcv_context, id_rel(r->rcv_assoc_id));
}

static void print_nxtinfo(const char *check, const struct sctp_nxtinfo *n)
{
	line(check, "nxtinfo sid=%u flags=%s ppid=0x%x length=%u assoc=%s", n->nxt_sid,
	     sinfo_flags_name(n->nxt_flags), n->nxt_ppid, n->nxt_length, id_rel(n->nxt_assoc_id));
}

/* What sctp_recvv may store in info: filled with 0xaa before each call. */
union info {
	struct sctp_recvv_rn rn;
	struct sctp_rcvinfo rcv;
	struct sctp_nxtinfo nxt;
	unsigned char raw[64];
};

static int all_aa(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != 0xaa)
			return 0;
	return 1;
}

/* The arguments of sctp_recvv besides the socket: each pointer may be NULL. */
struct rv {
	struct iovec *iov;
	int iovlen;
	struct sockaddr_storage *from;
	socklen_t *fromlen;
	union info *info;
	socklen_t *infolen;
	unsigned *infotype;
	int *flags;
};

/* Zeroes the stack below the caller's frame. lksctp's sctp_recvv reads 12 bytes past its cmsg
 * buffer when SCTP_RCVINFO arrives truncated (see recvv.both.*): 8 bytes of stale stack, then
 * the low half of the stack canary. Zeroed first, the stale part is the same in every run. */
static __attribute__((noinline)) void scrub_stack(void)
{
	volatile char pad[2048];
	for (size_t i = 0; i < sizeof pad; i++)
		pad[i] = 0;
}

/* One sctp_recvv after waiting up to `ms` (0: at once); prints the return, *flags, the data
 * (per iovec when several), from and *fromlen, *infotype, *infolen and what info holds. */
static long do_recvv(const char *check, int fd, struct rv a, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long r;
	if (ms > 0 && poll(&p, 1, ms) != 1) {
		line(check, "nothing to read within %d ms", ms);
		return -1;
	}
	scrub_stack();
	errno = ERRNO_SENTINEL;
	r = sctp_recvv(fd, a.iov, a.iovlen, (struct sockaddr *)a.from, a.fromlen, a.info,
		       a.infolen, a.infotype, a.flags);
	ret_errno(check, r, errno);
	if (a.flags)
		line(check, "flags=%s", msg_flags_name(*a.flags));
	if (r < 0)
		return r;
	if (a.iovlen == 1) {
		line(check, "len=%ld data=%.*s", r, (int)r, (char *)a.iov[0].iov_base);
	} else {
		long left = r;
		for (int i = 0; i < a.iovlen; i++) {
			long k = left < (long)a.iov[i].iov_len ? left : (long)a.iov[i].iov_len;
			line(check, "iov%d=%.*s", i, (int)k, (char *)a.iov[i].iov_base);
			left -= k;
		}
	}
	if (a.from && a.fromlen)
		line(check, "from=%s fromlen=%u", a.from->ss_family == AF_INET
		     ? inet_ntoa(((struct sockaddr_in *)a.from)->sin_addr) : "untouched",
		     (unsigned)*a.fromlen);
	else if (a.fromlen)
		line(check, "from=NULL fromlen=%u", (unsigned)*a.fromlen);
	if (a.infolen)
		line(check, "infotype=%s infolen=%u", a.infotype ? infotype_name(*a.infotype)
		     : "NULL", (unsigned)*a.infolen);
	else
		line(check, "infotype=%s infolen=NULL", a.infotype ? infotype_name(*a.infotype)
		     : "NULL");
	if (!a.info)
		return r;
	switch (a.infotype ? *a.infotype : SCTP_RECVV_NOINFO) {
	case SCTP_RECVV_RCVINFO:
		print_rcvinfo(check, &a.info->rcv);
		break;
	case SCTP_RECVV_NXTINFO:
		print_nxtinfo(check, &a.info->nxt);
		break;
	case SCTP_RECVV_RN:
		print_rcvinfo(check, &a.info->rn.recvv_rcvinfo);
		print_nxtinfo(check, &a.info->rn.recvv_nxtinfo);
		break;
	default:
		line(check, "info untouched=%s", all_aa(a.info, sizeof *a.info) ? "yes" : "no");
	}
	return r;
}

/* Storage for every argument of sctp_recvv, and the call's arguments pointing at all of it:
 * a 256-byte buffer, room for an address, info filled with 0xaa, *infolen = `room`,
 * *infotype = INFOTYPE_UNSET, *flags = 0. A check then sets some to NULL. */
struct rv_store {
	char buf[256];
	struct iovec v;
	struct sockaddr_storage from;
	socklen_t fromlen, infolen;
	union info info;
	unsigned infotype;
	int flags;
};

static struct rv rv_all(struct rv_store *s, socklen_t room)
{
	memset(s, 0, sizeof *s);
	s->v = (struct iovec){ s->buf, sizeof s->buf };
	s->fromlen = sizeof s->from;
	memset(&s->info, 0xaa, sizeof s->info);
	s->infolen = room;
	s->infotype = INFOTYPE_UNSET;
	return (struct rv){ &s->v, 1, &s->from, &s->fromlen, &s->info, &s->infolen, &s->infotype,
			    &s->flags };
}

/* The usual receive: every argument given, *infolen = `room`, up to 5 s. */
static long recvv_with(const char *check, int fd, socklen_t room)
{
	struct rv_store s;
	return do_recvv(check, fd, rv_all(&s, room), 5000);
}

static void setopt_int(int fd, int opt, int v)
{
	if (setsockopt(fd, IPPROTO_SCTP, opt, &v, sizeof v) < 0) {
		perror("FATAL: SCTP_RECVRCVINFO/NXTINFO");
		exit(2);
	}
}

/* The recvv checks' pair: client `c` (association id `cid`) and listener `l`. */
static struct {
	int l, c;
	sctp_assoc_t cid;
} r;

/* Sends `text` on stream `sid` with snd_flags and ppid, by sctp_sendv on the association. */
static void send_msg(const char *text, uint16_t sid, uint16_t flags, uint32_t ppid)
{
	struct sctp_sndinfo snd = sndinfo(sid, flags, ppid, 0, r.cid);
	struct iovec v = { (void *)text, strlen(text) };
	if (sctp_sendv(r.c, &v, 1, NULL, 0, &snd, sizeof snd, SCTP_SENDV_SNDINFO, 0) < 0)
		line("recvv.send", "send of %s failed: %s", text, errname(errno));
}

/* Two messages queued at the listener before the first is read (NXTINFO describes the second):
 * the first received with *infolen = `room`, then the second as <check>.next. */
static void two_messages(const char *check, socklen_t room)
{
	char next[64];
	send_msg("first", 1, 0, 0x101);
	send_msg("second-msg", 4, SCTP_UNORDERED, 0x202);
	if (!wait_acked(r.c, r.cid, 5000))
		line(check, "not both acknowledged within 5 s");
	recvv_with(check, r.l, room);
	snprintf(next, sizeof next, "%s.next", check);
	recvv_with(next, r.l, sizeof(struct sctp_recvv_rn));
}

/* NULL for info, infolen, infotype, from/fromlen, flags; *flags as input; several iovecs. */
static void recvv_arguments(void)
{
	struct rv_store s;
	struct rv a;
	char b0[3], b2[10];
	struct iovec vs[3] = { { b0, sizeof b0 }, { NULL, 0 }, { b2, sizeof b2 } };
	const socklen_t RN = sizeof(struct sctp_recvv_rn);

	send_msg("n1", 0, 0, 1);
	a = rv_all(&s, RN);
	a.info = NULL;
	do_recvv("recvv.info_null", r.l, a, 5000);
	send_msg("n2", 0, 0, 1);
	a = rv_all(&s, RN);
	a.infolen = NULL;
	do_recvv("recvv.infolen_null", r.l, a, 5000);
	send_msg("n3", 0, 0, 1);
	a = rv_all(&s, RN);
	a.infotype = NULL;
	do_recvv("recvv.infotype_null", r.l, a, 5000);
	send_msg("n4", 0, 0, 1);
	do_recvv("recvv.all_null", r.l, (struct rv){ .iov = &s.v, .iovlen = 1 }, 5000);

	/* from without fromlen: nothing is written there. */
	send_msg("nolen", 0, 0, 1);
	a = rv_all(&s, RN);
	a.fromlen = NULL;
	do_recvv("recvv.fromlen_null", r.l, a, 5000);
	line("recvv.fromlen_null", "from family=%u", (unsigned)s.from.ss_family);

	/* *flags is read: MSG_PEEK leaves the message for the next call. */
	send_msg("peek", 0, 0, 1);
	a = rv_all(&s, RN);
	s.flags = MSG_PEEK;
	do_recvv("recvv.peek", r.l, a, 5000);
	recvv_with("recvv.peek.again", r.l, RN);
	a = rv_all(&s, RN);
	s.flags = MSG_DONTWAIT;
	do_recvv("recvv.dontwait_empty", r.l, a, 0);

	/* Scatter into several iovecs, an empty one among them. */
	send_msg("abcdefgh", 0, 0, 1);
	a = rv_all(&s, RN);
	a.iov = vs;
	a.iovlen = 3;
	do_recvv("recvv.iovecs", r.l, a, 5000);

	do_recvv("recvv.bad_fd", -1, rv_all(&s, RN), 0);
}

static void recvv_checks(void)
{
	uint16_t port;
	const socklen_t RN = sizeof(struct sctp_recvv_rn), RCV = sizeof(struct sctp_rcvinfo),
			NXT = sizeof(struct sctp_nxtinfo);

	r.l = listener_v4(&port);
	subscribe(r.l, 0, 0, 0);
	r.c = assoc_client(r.l, port, &r.cid, &rx.assoc);

	send_msg("plain", 0, 0, 1);
	recvv_with("recvv.nothing_enabled", r.l, RN);

	setopt_int(r.l, SCTP_RECVRCVINFO, 1);
	send_msg("rcv-rn", 2, 0, 0x22);
	recvv_with("recvv.rcvinfo.room_rn", r.l, RN);
	send_msg("rcv-rcv", 2, SCTP_UNORDERED, 0x23);
	recvv_with("recvv.rcvinfo.room_rcvinfo", r.l, RCV);
	send_msg("rcv-nxt", 2, 0, 0x24);
	recvv_with("recvv.rcvinfo.room_nxtinfo", r.l, NXT);
	send_msg("rcv-0", 2, 0, 0x25);
	recvv_with("recvv.rcvinfo.room_0", r.l, 0);

	setopt_int(r.l, SCTP_RECVRCVINFO, 0);
	setopt_int(r.l, SCTP_RECVNXTINFO, 1);
	two_messages("recvv.nxtinfo.room_nxtinfo", NXT);
	two_messages("recvv.nxtinfo.room_4", 4);

	/* Both: the kernel writes SCTP_NXTINFO (32 bytes) then SCTP_RCVINFO (48); lksctp's
	 * 64-byte buffer gets the second truncated (MSG_CTRUNC). */
	setopt_int(r.l, SCTP_RECVRCVINFO, 1);
	two_messages("recvv.both.room_rn", RN);
	two_messages("recvv.both.room_rcvinfo", RCV);
	two_messages("recvv.both.room_nxtinfo", NXT);

	setopt_int(r.l, SCTP_RECVNXTINFO, 0);
	recvv_arguments();
	close(r.c);
	close(r.l);
}

int main(void)
{
	signal(SIGPIPE, on_sigpipe);
	setup();
	infotypes();
	spa_all_three();
	iovecs();
	context_in_send_failed();
	bad_family();
	validation();
	flags_arg();
	addresses();
	ttl_on_implicit_setup();
	ipv6();
	close(t.c);
	close(t.l);
	recvv_checks();
	line("end", "done");
	return 0;
}
