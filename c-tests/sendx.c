/* sctp_sendx on the real kernel SCTP stack (no lksctp counterpart: checked against
 * c-tests/expected/sendx.out). Implicit setup to a multi-homed peer, proof that the extra
 * addresses reach the kernel (the first one is a blackhole), reuse of an existing association,
 * priority of the association id over the addresses (two peers), NULL sinfo, IPv6, more than
 * 16 addresses, and the EINVAL cases. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long do_sendx(const char *check, int fd, const void *msg, size_t len, struct sockaddr *addrs,
		     int cnt, const struct sctp_sndrcvinfo *si, int flags)
{
	long r;
	errno = ERRNO_SENTINEL;
	r = sctp_sendx(fd, msg, len, addrs, cnt, si, flags);
	ret_errno(check, r, errno);
	if (r >= 0)
		line(check, "bytes=%ld", r);
	return r;
}

static void peer_got(const char *check, int fd, sctp_assoc_t expect_assoc, int ms)
{
	char buf[256];
	struct sctp_sndrcvinfo si;
	int fl;
	long n = peer_recv(check, fd, buf, sizeof buf, &si, &fl, ms);
	if (n < 0)
		return;
	line(check, "peer len=%ld data=%.*s stream=%u ppid=0x%x flags=%s assoc=%s", n, (int)n, buf,
	     si.sinfo_stream, si.sinfo_ppid, sinfo_flags_name(si.sinfo_flags),
	     expect_assoc == 0 ? "new" : si.sinfo_assoc_id == expect_assoc ? "same" : "other");
}

/* A one-to-many client that gives up on an unanswered INIT fast: RTO 100 ms, INIT retried up
 * to 30 times at most 100 ms apart. */
static int fast_client(int family)
{
	int c = fast_init(sctp_socket(family, SOCK_SEQPACKET), 30);
	subscribe(c, 1, 1, 0);
	return c;
}

/* A one-to-many listener bound to 127.0.0.1, .2 and .3 on one port (sctp_bindx). */
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

static void einval(void)
{
	int c = fast_client(AF_INET);
	struct packed p = { .len = 0 };
	struct sctp_sndrcvinfo si;
	struct sockaddr_un_like { sa_family_t fam; char path[30]; } un = { AF_UNIX, "x" };
	memset(&si, 0, sizeof si);

	add4(&p, "127.0.0.1", 9);
	do_sendx("sendx.null_addrs", c, "x", 1, NULL, 1, &si, 0);
	do_sendx("sendx.addrcnt_zero", c, "x", 1, (struct sockaddr *)p.buf, 0, &si, 0);
	do_sendx("sendx.addrcnt_negative", c, "x", 1, (struct sockaddr *)p.buf, -1, NULL, 0);
	do_sendx("sendx.family_unix_first", c, "x", 1, (struct sockaddr *)&un, 1, NULL, 0);
	memcpy(p.buf + p.len, &un, sizeof un);
	do_sendx("sendx.family_unix_second", c, "x", 1, (struct sockaddr *)p.buf, 2, NULL, 0);
	si.sinfo_assoc_id = 1;
	do_sendx("sendx.null_addrs_with_assoc_id", c, "x", 1, NULL, 1, &si, 0);
	line("sendx.einval", "nothing sent: associations=%d", assoc_count(c, NULL));
	close(c);
	do_sendx("sendx.bad_fd", -1, "x", 1, (struct sockaddr *)p.buf, 1, NULL, 0);
}

static void multihomed(void)
{
	uint16_t port;
	int l = multihomed_listener(&port), c = fast_client(AF_INET), c2;
	struct packed p = { .len = 0 };
	struct sctp_sndrcvinfo si;
	sctp_assoc_t id, sid;

	/* Implicit setup to all three addresses. */
	add4(&p, "127.0.0.1", port);
	add4(&p, "127.0.0.2", port);
	add4(&p, "127.0.0.3", port);
	memset(&si, 0, sizeof si);
	si.sinfo_stream = 2;
	si.sinfo_ppid = 0x1234;
	si.sinfo_flags = SCTP_UNORDERED;
	{
		struct sctp_sndrcvinfo before = si;
		do_sendx("sendx.implicit_setup", c, "three", 5, (struct sockaddr *)p.buf, p.cnt,
			 &si, 0);
		/* RFC 6458 wants the new id written back; the sinfo here is const. */
		line("sendx.sinfo_not_written", "sinfo unchanged=%s",
		     memcmp(&before, &si, sizeof si) == 0 ? "yes" : "no");
	}
	peer_got("sendx.implicit_setup", l, 0, 5000);
	line("sendx.implicit_setup", "client associations=%d", assoc_count(c, &id));
	peer_addrs("sendx.implicit_setup", c, id);
	{
		struct sockaddr_in me;
		socklen_t ml = sizeof me;
		getsockname(c, (struct sockaddr *)&me, &ml);
		me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sid = assoc_to(l, &me, sizeof me);
	}

	/* Reuse: an address of the existing association, given first, sets up nothing new. */
	p.len = 0;
	p.cnt = 0;
	add4(&p, "127.0.0.3", port);
	memset(&si, 0, sizeof si);
	do_sendx("sendx.reuse_other_address", c, "again", 5, (struct sockaddr *)p.buf, p.cnt, &si, 0);
	peer_got("sendx.reuse_other_address", l, sid, 5000);
	line("sendx.reuse_other_address", "client associations=%d", assoc_count(c, NULL));
	do_sendx("sendx.reuse_null_sinfo", c, "nosi", 4, (struct sockaddr *)p.buf, p.cnt, NULL, 0);
	peer_got("sendx.reuse_null_sinfo", l, sid, 5000);
	close(c);

	/* Proof the extra addresses reach the kernel: the first address is a blackhole
	 * (test-net.sh), so the association can only come up through the others. */
	c = fast_client(AF_INET);
	p.len = 0;
	p.cnt = 0;
	add4(&p, "127.0.1.1", port);
	add4(&p, "127.0.0.2", port);
	add4(&p, "127.0.0.3", port);
	do_sendx("sendx.extra_addresses_used", c, "via-extra", 9, (struct sockaddr *)p.buf, p.cnt,
		 NULL, 0);
	peer_got("sendx.extra_addresses_used", l, 0, 10000);
	line("sendx.extra_addresses_used", "client saw %s, associations=%d",
	     wait_assoc_change(c, 1000, NULL), assoc_count(c, &id));
	peer_addrs("sendx.extra_addresses_used", c, id);
	close(c);

	/* Control: the blackhole address alone never gets an association up. */
	c2 = fast_client(AF_INET);
	{
		struct sockaddr_in bh = v4("127.0.1.1", port);
		struct sctp_initmsg init = { .sinit_max_attempts = 2, .sinit_max_init_timeo = 100 };
		setsockopt(c2, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
		long r = sendto(c2, "lost", 4, 0, (struct sockaddr *)&bh, sizeof bh);
		line("sendx.control_blackhole_only", "sendto=%ld client saw %s", r,
		     wait_assoc_change(c2, 10000, NULL));
		peer_got("sendx.control_blackhole_only", l, 0, 300);
	}
	close(c2);

	/* More than 16 addresses (the one allocation): 19 blackholed, the live one last. */
	c = fast_client(AF_INET);
	p.len = 0;
	p.cnt = 0;
	for (int i = 1; i <= 19; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "127.0.1.%d", i);
		add4(&p, ip, port);
	}
	add4(&p, "127.0.0.2", port);
	do_sendx("sendx.twenty_addresses", c, "twenty", 6, (struct sockaddr *)p.buf, p.cnt, NULL, 0);
	peer_got("sendx.twenty_addresses", l, 0, 20000);
	line("sendx.twenty_addresses", "client associations=%d", assoc_count(c, &id));
	peer_addrs("sendx.twenty_addresses", c, id);
	close(c);
	close(l);
}

/* Two associations to two peers: a nonzero id beats the address. */
static void id_priority(void)
{
	uint16_t p1, p2;
	int l1 = listener_v4(&p1), l2 = listener_v4(&p2), c = fast_client(AF_INET);
	struct sockaddr_in a1 = v4("127.0.0.1", p1), a2 = v4("127.0.0.1", p2);
	struct sctp_sndrcvinfo si;
	sctp_assoc_t id1, id2;

	sendto(c, "one", 3, 0, (struct sockaddr *)&a1, sizeof a1);
	sendto(c, "two", 3, 0, (struct sockaddr *)&a2, sizeof a2);
	peer_got("sendx.id_priority.setup1", l1, 0, 5000);
	peer_got("sendx.id_priority.setup2", l2, 0, 5000);
	id1 = assoc_to(c, &a1, sizeof a1);
	id2 = assoc_to(c, &a2, sizeof a2);
	line("sendx.id_priority", "two associations=%d distinct=%s", assoc_count(c, NULL),
	     id1 && id2 && id1 != id2 ? "yes" : "no");

	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id2;
	si.sinfo_ppid = 2;
	do_sendx("sendx.id_priority", c, "to-two", 6, (struct sockaddr *)&a1, 1, &si, 0);
	peer_got("sendx.id_priority.peer2", l2, 0, 5000);
	peer_got("sendx.id_priority.peer1", l1, 0, 300);

	si.sinfo_assoc_id = id1;
	si.sinfo_ppid = 1;
	do_sendx("sendx.id_priority_reverse", c, "to-one", 6, (struct sockaddr *)&a2, 1, &si, 0);
	peer_got("sendx.id_priority_reverse.peer1", l1, 0, 5000);
	peer_got("sendx.id_priority_reverse.peer2", l2, 0, 300);

	si.sinfo_assoc_id = id2 + 1000;
	do_sendx("sendx.unknown_id_beats_address", c, "x", 1, (struct sockaddr *)&a1, 1, &si,
		 MSG_NOSIGNAL);
	peer_got("sendx.unknown_id_beats_address.peer1", l1, 0, 300);
	close(c);
	close(l1);
	close(l2);
}

/* NULL sinfo: the socket's default send parameters apply (no SCTP_SNDRCV cmsg is sent). */
static void defaults(void)
{
	uint16_t port;
	int l = listener_v4(&port), c = fast_client(AF_INET);
	struct sctp_sndrcvinfo dflt;
	struct packed p = { .len = 0 };
	memset(&dflt, 0, sizeof dflt);
	dflt.sinfo_stream = 4;
	dflt.sinfo_ppid = 0x44;
	if (setsockopt(c, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, &dflt, sizeof dflt) < 0)
		perror("SCTP_DEFAULT_SEND_PARAM");
	add4(&p, "127.0.0.1", port);
	do_sendx("sendx.null_sinfo_defaults", c, "dflt", 4, (struct sockaddr *)p.buf, p.cnt, NULL, 0);
	peer_got("sendx.null_sinfo_defaults", l, 0, 5000);
	close(c);
	close(l);
}

static void ipv6(void)
{
	int l = sctp_socket(AF_INET6, SOCK_SEQPACKET), c;
	struct sockaddr_in6 any = v6("::", 0);
	struct packed p = { .len = 0 };
	uint16_t port;
	sctp_assoc_t id;
	bind_or_die(l, &any, sizeof any);
	listen(l, 4);
	subscribe(l, 1, 0, 0);
	port = local_port(l);

	c = fast_client(AF_INET6);
	add6(&p, "::1", port);
	do_sendx("sendx.ipv6", c, "six", 3, (struct sockaddr *)p.buf, p.cnt, NULL, 0);
	peer_got("sendx.ipv6", l, 0, 5000);
	close(c);

	/* Mixed families on an AF_INET6 socket: a v6 blackhole first is impossible on lo, so a
	 * v4 blackhole first and ::1 as the extra (DSTADDRV6) address. */
	c = fast_client(AF_INET6);
	p.len = 0;
	p.cnt = 0;
	add4(&p, "127.0.1.7", port);
	add6(&p, "::1", port);
	do_sendx("sendx.mixed_v4_then_v6", c, "mixed", 5, (struct sockaddr *)p.buf, p.cnt, NULL, 0);
	peer_got("sendx.mixed_v4_then_v6", l, 0, 10000);
	line("sendx.mixed_v4_then_v6", "associations=%d", assoc_count(c, &id));
	close(c);
	close(l);
}

int main(void)
{
	einval();
	multihomed();
	id_priority();
	defaults();
	ipv6();
	line("end", "done");
	return 0;
}
