/* sctp_send on the real kernel SCTP stack: what reaches the peer (stream, ppid, UNORDERED; not
 * context or timetolive), SCTP_EOF and SCTP_ABORT, NULL sinfo, `flags` reaching sendmsg, and
 * the kernel's errnos. Built against lksctp and against sctp_rs; outputs compared per line. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int listener;
static uint16_t port;
static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int s)
{
	(void)s;
	sigpipes++;
}

static int client(sctp_assoc_t *cid, sctp_assoc_t *sid)
{
	return assoc_client(listener, port, cid, sid);
}

static struct sctp_sndrcvinfo sinfo(sctp_assoc_t id, uint16_t stream, uint32_t ppid, uint16_t flags)
{
	struct sctp_sndrcvinfo s;
	memset(&s, 0, sizeof s);
	s.sinfo_assoc_id = id;
	s.sinfo_stream = stream;
	s.sinfo_ppid = ppid;
	s.sinfo_flags = flags;
	return s;
}

static long do_send(const char *check, int fd, const void *msg, size_t len,
		    const struct sctp_sndrcvinfo *si, int flags)
{
	long r;
	errno = ERRNO_SENTINEL;
	r = sctp_send(fd, msg, len, si, flags);
	ret_errno(check, r, errno);
	if (r >= 0)
		line(check, "bytes=%ld", r);
	return r;
}

/* send.efault: msg points to unmapped memory (address 16): the kernel answers EFAULT. */
static DELIBERATE void deliberate_efault_msg(int fd, const struct sctp_sndrcvinfo *si)
{
	long r;
	errno = ERRNO_SENTINEL;
	r = sctp_send(fd, (const void *)16, 10, si, MSG_NOSIGNAL);
	ret_errno("send.efault", r, errno);
}

/* What the peer received: every sctp_sndrcvinfo field the kernel fills, ids as relations. */
static void peer_got(const char *check, int fd, sctp_assoc_t expect_assoc)
{
	char buf[256];
	struct sctp_sndrcvinfo si;
	int fl;
	long n = peer_recv(check, fd, buf, sizeof buf, &si, &fl, 5000);
	if (n < 0)
		return;
	line(check, "peer len=%ld data=%.*s stream=%u ppid=0x%08x flags=%s context=%u ttl=%u "
	     "assoc=%s eor=%s", n, (int)n, buf, si.sinfo_stream, si.sinfo_ppid,
	     sinfo_flags_name(si.sinfo_flags), si.sinfo_context, si.sinfo_timetolive,
	     expect_assoc == 0 ? (si.sinfo_assoc_id ? "set" : "zero")
	     : si.sinfo_assoc_id == expect_assoc ? "same" : "other", fl & MSG_EOR ? "yes" : "no");
}

static void carried_fields(void)
{
	sctp_assoc_t cid, sid;
	int c = client(&cid, &sid);
	struct sctp_sndrcvinfo s;

	s = sinfo(cid, 3, 0x11223344, 0);
	s.sinfo_context = 77;
	s.sinfo_timetolive = 0;
	do_send("send.stream_ppid", c, "hello", 5, &s, 0);
	peer_got("send.stream_ppid", listener, sid);

	s = sinfo(cid, 1, 7, SCTP_UNORDERED);
	do_send("send.unordered", c, "unord", 5, &s, 0);
	peer_got("send.unordered", listener, sid);

	s = sinfo(cid, 2, 8, SCTP_PR_SCTP_TTL);
	s.sinfo_timetolive = 5000;
	do_send("send.pr_ttl", c, "ttl", 3, &s, 0);
	peer_got("send.pr_ttl", listener, sid);

	s = sinfo(cid, 0, 9, SCTP_SACK_IMMEDIATELY);
	do_send("send.sack_immediately", c, "sack", 4, &s, MSG_DONTWAIT);
	peer_got("send.sack_immediately", listener, sid);

	s = sinfo(cid, 100, 0, 0);
	do_send("send.stream_out_of_range", c, "x", 1, &s, 0);

	s = sinfo(cid, 0, 0, 0x1000);
	do_send("send.unknown_sinfo_flag", c, "x", 1, &s, 0);

	/* With fragmentation disabled, a message above the fragmentation point: EMSGSIZE. */
	{
		static char huge[100000];
		int on = 1, off = 0;
		setsockopt(c, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, &on, sizeof on);
		s = sinfo(cid, 0, 0, 0);
		do_send("send.emsgsize", c, huge, sizeof huge, &s, MSG_NOSIGNAL);
		setsockopt(c, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, &off, sizeof off);
	}

	s = sinfo(cid, 0, 0, 0);
	do_send("send.null_msg_len0", c, NULL, 0, &s, 0);
	deliberate_efault_msg(c, &s);

	/* Socket default send parameters apply when sinfo is NULL... but one-to-many needs an
	 * association: without msg_name or id the kernel has none. */
	sigpipes = 0;
	do_send("send.null_sinfo_one_to_many_nosignal", c, "x", 1, NULL, MSG_NOSIGNAL);
	line("send.null_sinfo_one_to_many_nosignal", "sigpipes=%d", (int)sigpipes);
	do_send("send.null_sinfo_one_to_many", c, "x", 1, NULL, 0);
	line("send.null_sinfo_one_to_many", "sigpipes=%d", (int)sigpipes);

	s = sinfo(cid + 1000, 0, 0, 0);
	do_send("send.unknown_assoc", c, "x", 1, &s, MSG_NOSIGNAL);

	/* SCTP_EOF with data is refused; with len 0 it shuts the association down gracefully. */
	s = sinfo(cid, 0, 0, SCTP_EOF);
	do_send("send.eof_with_data", c, "x", 1, &s, 0);
	do_send("send.eof", c, NULL, 0, &s, 0);
	line("send.eof", "peer saw %s on same assoc", wait_assoc_change(listener, 5000, NULL));
	line("send.eof", "client associations left=%d", assoc_count(c, NULL));
	close(c);

	/* SCTP_ABORT: without and with a reason (the data travels as the abort cause). */
	c = client(&cid, &sid);
	wait_assoc_change(listener, 2000, NULL); /* this association's COMM_UP */
	s = sinfo(cid, 0, 0, SCTP_ABORT);
	do_send("send.abort", c, NULL, 0, &s, 0);
	line("send.abort", "peer saw %s", wait_assoc_change(listener, 5000, NULL));
	line("send.abort", "client associations left=%d", assoc_count(c, NULL));
	close(c);
	c = client(&cid, &sid);
	wait_assoc_change(listener, 2000, NULL);
	do_send("send.abort_with_reason", c, "bye", 3, &s, 0); /* s.assoc is the old id */
	s = sinfo(cid, 0, 0, SCTP_ABORT);
	do_send("send.abort_with_reason", c, "bye", 3, &s, 0);
	line("send.abort_with_reason", "peer saw %s", wait_assoc_change(listener, 5000, NULL));
	close(c);
}

static void errors(void)
{
	struct sctp_sndrcvinfo s = sinfo(1, 0, 0, 0);
	int fd;

	do_send("send.bad_fd", -1, "x", 1, &s, 0);
	do_send("send.closed_fd", 1000, "x", 1, NULL, 0);
	fd = open("/dev/null", O_WRONLY);
	do_send("send.not_socket", fd, "x", 1, &s, 0);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	do_send("send.udp_unconnected", fd, "x", 1, &s, 0);
	close(fd);
	fd = sctp_socket(AF_INET, SOCK_STREAM);
	do_send("send.one_to_one_unconnected", fd, "x", 1, NULL, MSG_NOSIGNAL);
	close(fd);
}

/* One-to-one: no id needed, NULL sinfo sends with the socket defaults; the id is ignored. */
static void one_to_one(void)
{
	int c, a, l = one_to_one_pair(&c, &a);
	struct sctp_sndrcvinfo s;

	do_send("send.one_to_one_null_sinfo", c, "plain", 5, NULL, 0);
	peer_got("send.one_to_one_null_sinfo", a, 0);
	s = sinfo(4242, 4, 0xabcd, 0);
	do_send("send.one_to_one_any_id", c, "anyid", 5, &s, 0);
	peer_got("send.one_to_one_any_id", a, 0);

	/* Default send parameters (SCTP_DEFAULT_SEND_PARAM) apply to a NULL sinfo. */
	s = sinfo(0, 5, 0x55, 0);
	setsockopt(c, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, &s, sizeof s);
	do_send("send.one_to_one_defaults", c, "dflt", 4, NULL, 0);
	peer_got("send.one_to_one_defaults", a, 0);

	/* Full send buffer on a non-blocking socket: EAGAIN. */
	{
		char big[4096];
		long r = 0;
		int i, sz = 8192;
		memset(big, 'b', sizeof big);
		setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
		for (i = 0; i < 100000 && r >= 0; i++)
			r = sctp_send(c, big, sizeof big, NULL, MSG_DONTWAIT);
		line("send.eagain", "ret=%ld errno=%s after some sends=%s", r,
		     errname(errno), i > 1 ? "yes" : "no");
	}
	close(a);
	close(l);
	close(c);
}

/* The peer is gone (it closed: graceful shutdown, read gives 0): EPIPE, with SIGPIPE unless
 * MSG_NOSIGNAL. */
static void peer_gone(void)
{
	int c, a, l = one_to_one_pair(&c, &a);
	char b;
	long n;

	close(a);
	n = quiet_for(c, 5000) ? -2 : recv(c, &b, 1, 0);
	line("send.peer_gone", "read after the peer's close=%s", n == 0 ? "0 (shut down)" : "other");
	sigpipes = 0;
	do_send("send.peer_gone_nosignal", c, "late", 4, NULL, MSG_NOSIGNAL);
	line("send.peer_gone_nosignal", "sigpipes=%d", (int)sigpipes);
	sigpipes = 0;
	do_send("send.peer_gone", c, "late", 4, NULL, 0);
	line("send.peer_gone", "sigpipes=%d", (int)sigpipes);
	close(l);
	close(c);
}

static void ipv6(void)
{
	int l = sctp_socket(AF_INET6, SOCK_SEQPACKET), c;
	struct sockaddr_in6 a = v6("::1", 0), srv;
	struct sctp_sndrcvinfo s;
	bind_or_die(l, &a, sizeof a);
	listen(l, 4);
	subscribe(l, 1, 0, 0);
	c = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	srv = v6("::1", local_port(l));
	if (connect(c, (struct sockaddr *)&srv, sizeof srv) < 0)
		perror("connect6");
	s = sinfo(assoc_to(c, &srv, sizeof srv), 6, 0x66, 0);
	do_send("send.ipv6", c, "six", 3, &s, 0);
	peer_got("send.ipv6", l, 0);
	close(c);
	close(l);
}

int main(void)
{
	signal(SIGPIPE, on_sigpipe);
	listener = listener_v4(&port);
	carried_fields();
	errors();
	one_to_one();
	peer_gone();
	ipv6();
	close(listener);
	line("end", "done");
	return 0;
}
