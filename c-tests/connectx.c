/* sctp_connectx (the default, 4-argument version) on the real kernel SCTP stack, built against
 * lksctp and against sctp_rs and compared line by line. It proves:
 * - a blocking connectx with three addresses of a multi-homed peer returns 0 and writes into *id
 *   the id the socket itself reports for that peer (SCTP_GET_PEER_ADDR_INFO, SCTP_STATUS, the
 *   association list); a NULL id is allowed;
 * - a non-blocking socket gives -1/EINPROGRESS with *id already set (the id COMM_UP reports);
 * - the extra addresses reach the kernel: with a blackhole first (IPv4, and IPv4 before IPv6 on
 *   an AF_INET6 socket), the association comes up through the others, and never without them;
 * - the kernel's errors (EISCONN, ECONNREFUSED, EBADF, ENOTSOCK, EINVAL for an empty list, ...)
 *   and the library's own EINVAL for a family other than AF_INET/AF_INET6, with *id untouched;
 * - lksctp's old-kernel fallback, taken on any ENOPROTOOPT: from an AF_INET6 TCP socket (it
 *   zeroes *id on the way), and from a stale errno == ENOPROTOOPT before a successful call (it
 *   connects again and fails with EISCONN); sctp_rs has no fallback (divergences
 *   connectx-no-fallback, connectx-stale-errno): one getsockopt, the kernel's
 *   answer returned as it is. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value *id holds before each call, to show whether the library wrote it. */
#define ID_PRESET ((sctp_assoc_t)-7)

static uint16_t port;  /* the multi-homed IPv4 listener: 127.0.0.1-3 */
static uint16_t port6; /* the IPv6 listener: ::1 and 127.0.0.1 */

/* A packed address array, as sctp_connectx takes it. */
/* The packed array of the multi-homed peer's three addresses, `first` (if any) before them. */
static struct packed peer3(const char *first)
{
	struct packed p = { .len = 0 };
	if (first)
		add4(&p, first, port);
	add4(&p, "127.0.0.1", port);
	add4(&p, "127.0.0.2", port);
	add4(&p, "127.0.0.3", port);
	return p;
}

static struct packed one4(const char *ip, uint16_t prt)
{
	struct packed p = { .len = 0 };
	add4(&p, ip, prt);
	return p;
}

static const char *id_state(sctp_assoc_t id)
{
	return id == ID_PRESET ? "untouched" : id == 0 ? "zero" : "set";
}

/* sctp_connectx with errno preset to the sentinel and *id to ID_PRESET (id NULL when
 * `want_id` is 0); prints the return value, errno and what became of *id. */
static int cx(const char *check, int fd, void *addrs, int cnt, int want_id, sctp_assoc_t *id)
{
	int r;
	*id = ID_PRESET;
	errno = ERRNO_SENTINEL;
	r = sctp_connectx(fd, (struct sockaddr *)addrs, cnt, want_id ? id : NULL);
	ret_errno(check, r, errno);
	if (want_id)
		line(check, "id=%s", id_state(*id));
	return r;
}

/* Relations between `id` and what the socket reports: SCTP_GET_PEER_ADDR_INFO for `peer`,
 * SCTP_STATUS asked with `id`, and (one-to-many only) the association list. */
static void id_report(const char *check, int fd, sctp_assoc_t id, const void *peer, socklen_t len,
		      int one_to_many)
{
	struct sctp_status st;
	socklen_t l = sizeof st;
	sctp_assoc_t first = 0;
	int n;

	line(check, "id matches GET_PEER_ADDR_INFO: %s", assoc_to(fd, peer, len) == id ? "yes" : "no");
	memset(&st, 0, sizeof st);
	st.sstat_assoc_id = id;
	errno = 0;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) < 0)
		line(check, "STATUS(id): %s", errname(errno));
	else
		line(check, "STATUS(id): state=%s assoc=%s", status_state_name(st.sstat_state),
		     st.sstat_assoc_id == id ? "same" : "differs");
	if (one_to_many) {
		n = assoc_count(fd, &first);
		line(check, "associations=%d first=%s", n, first == id ? "same" : "differs");
	}
}

/* A one-to-many (SEQPACKET) or one-to-one (STREAM) client of `family`, subscribed to
 * association events, with a short RTO and at most `attempts` INITs (so that a blackholed
 * INIT is retried through another address within a second). */
static int client(int family, int type, int nonblock, int attempts)
{
	int c = fast_init(sctp_socket(family, type), attempts);
	subscribe(c, 0, 1, 0);
	if (nonblock)
		fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
	return c;
}

/* A listener of `family` on `first`, with `more` added by sctp_bindx on the same port. */
static int listener(int family, const void *first, socklen_t len, struct packed *more,
		    uint16_t *prt)
{
	int l = sctp_socket(family, SOCK_SEQPACKET);
	bind_or_die(l, first, len);
	*prt = local_port(l);
	if (more->cnt) {
		/* The ports were unknown when `more` was built: patch them in. */
		char *p = more->buf;
		for (int i = 0; i < more->cnt; i++) {
			sa_family_t fam;
			uint16_t nport = htons(*prt);
			memcpy(&fam, p, sizeof fam);
			memcpy(p + 2, &nport, sizeof nport); /* sin_port and sin6_port: offset 2 */
			p += fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		}
		if (sctp_bindx(l, (struct sockaddr *)more->buf, more->cnt, SCTP_BINDX_ADD_ADDR) < 0) {
			perror("FATAL: sctp_bindx");
			exit(2);
		}
	}
	if (listen(l, 16) < 0) {
		perror("FATAL: listen");
		exit(2);
	}
	return l;
}

/* Blocking one-to-many: 3 addresses, *id is the association; NULL id; a second connectx. */
static void blocking(void)
{
	struct packed p = peer3(NULL), p3 = one4("127.0.0.3", port);
	struct sockaddr_in srv = v4("127.0.0.1", port);
	sctp_assoc_t id, id2;
	int c = client(AF_INET, SOCK_SEQPACKET, 0, 4), n;

	cx("connectx.multihomed", c, p.buf, p.cnt, 1, &id);
	id_report("connectx.multihomed", c, id, &srv, sizeof srv, 1);
	peer_addrs("connectx.multihomed", c, id);

	cx("connectx.again_same_peer", c, p.buf, p.cnt, 1, &id2);
	cx("connectx.again_other_address_of_peer", c, p3.buf, p3.cnt, 1, &id2);
	line("connectx.again_other_address_of_peer", "associations=%d", assoc_count(c, NULL));
	close(c);

	c = client(AF_INET, SOCK_SEQPACKET, 0, 4);
	cx("connectx.id_null", c, p.buf, p.cnt, 0, &id);
	n = assoc_count(c, &id2);
	line("connectx.id_null", "associations=%d first matches GET_PEER_ADDR_INFO: %s", n,
	     assoc_to(c, &srv, sizeof srv) == id2 ? "yes" : "no");
	close(c);

	/* Nobody listens on 127.0.0.1:9: the INIT is answered with an ABORT. */
	p = one4("127.0.0.1", 9);
	c = client(AF_INET, SOCK_SEQPACKET, 0, 4);
	cx("connectx.one_to_many_refused", c, p.buf, p.cnt, 1, &id);
	line("connectx.one_to_many_refused", "associations=%d", assoc_count(c, NULL));
	close(c);
}

/* Non-blocking: -1/EINPROGRESS with *id set, then COMM_UP for that very id. `first` is an
 * address put before the peer's three (a blackhole, or NULL). */
static void nonblocking(const char *check, const char *first)
{
	struct packed p = peer3(first);
	struct sockaddr_in srv = v4("127.0.0.1", port);
	sctp_assoc_t id, up = 0;
	int c = client(AF_INET, SOCK_SEQPACKET, 1, 30);
	const char *ev;

	cx(check, c, p.buf, p.cnt, 1, &id);
	ev = wait_assoc_change(c, 10000, &up);
	line(check, "client saw %s, its id matches *id: %s", ev, up == id ? "yes" : "no");
	id_report(check, c, id, &srv, sizeof srv, 1);
	peer_addrs(check, c, id);
	close(c);
}

/* Control for the blackhole proofs: the blackhole address alone never gets an association. */
static void blackhole_only(void)
{
	struct packed p = one4("127.0.1.1", port);
	sctp_assoc_t id, ev_id = 0;
	int c = client(AF_INET, SOCK_SEQPACKET, 1, 2);
	const char *ev;

	cx("connectx.blackhole_only", c, p.buf, p.cnt, 1, &id);
	ev = wait_assoc_change(c, 10000, &ev_id);
	line("connectx.blackhole_only", "client saw %s, its id matches *id: %s", ev,
	     ev_id == id ? "yes" : "no");
	line("connectx.blackhole_only", "associations=%d", assoc_count(c, NULL));
	close(c);
}

/* One-to-one: connectx, then connectx or connect again; a refused INIT. */
static void one_to_one(void)
{
	struct packed p = one4("127.0.0.1", port), refused = one4("127.0.0.1", 9);
	struct sockaddr_in srv = v4("127.0.0.1", port);
	sctp_assoc_t id, id2;
	int s = client(AF_INET, SOCK_STREAM, 0, 4);

	cx("connectx.one_to_one", s, p.buf, p.cnt, 1, &id);
	id_report("connectx.one_to_one", s, id, &srv, sizeof srv, 0);
	cx("connectx.one_to_one_again", s, p.buf, p.cnt, 1, &id2);
	close(s);

	s = client(AF_INET, SOCK_STREAM, 0, 4);
	connect_v4(s, port);
	cx("connectx.one_to_one_after_connect", s, p.buf, p.cnt, 1, &id);
	close(s);

	s = client(AF_INET, SOCK_STREAM, 0, 4);
	cx("connectx.one_to_one_refused", s, refused.buf, refused.cnt, 1, &id);
	close(s);
}

static void null_addrs_child(void *arg)
{
	sctp_assoc_t id;
	cx("connectx.null_addrs", *(int *)arg, NULL, 1, 1, &id);
}

/* Errors, each with *id printed: sctp_rs never writes it on failure. */
static void errors(void)
{
	struct packed p = one4("127.0.0.1", port), bad = { .len = 0 };
	struct sockaddr_in zero;
	struct sockaddr_in any = v4("0.0.0.0", 0);
	struct { sa_family_t fam; char path[14]; } un = { AF_UNIX, "x" };
	sctp_assoc_t id;
	int c = client(AF_INET, SOCK_SEQPACKET, 0, 4), fd;

	cx("connectx.bad_fd", -1, p.buf, p.cnt, 1, &id);
	cx("connectx.closed_fd", 1000, p.buf, p.cnt, 1, &id);
	fd = open("/dev/null", O_RDONLY);
	cx("connectx.not_socket", fd, p.buf, p.cnt, 1, &id);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cx("connectx.tcp_socket", fd, p.buf, p.cnt, 1, &id);
	cx("connectx.tcp_socket_id_null", fd, p.buf, p.cnt, 0, &id);
	close(fd);
	/* An AF_INET6 TCP socket answers ENOPROTOOPT, the old-kernel signal lksctp falls back on. */
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	cx("connectx.tcp6_socket", fd, p.buf, p.cnt, 1, &id);
	cx("connectx.tcp6_socket_id_null", fd, p.buf, p.cnt, 0, &id);
	close(fd);

	packed_add(&bad, &un, sizeof un);
	cx("connectx.af_unix_first", c, bad.buf, bad.cnt, 1, &id);
	bad = one4("127.0.0.1", port);
	packed_add(&bad, &un, sizeof un);
	cx("connectx.af_unix_second", c, bad.buf, bad.cnt, 1, &id);

	cx("connectx.addrcnt_zero", c, p.buf, 0, 1, &id);
	cx("connectx.addrcnt_negative", c, p.buf, -1, 1, &id);
	cx("connectx.null_addrs_addrcnt_zero", c, NULL, 0, 1, &id);
	in_child("connectx.null_addrs", null_addrs_child, &c);

	memset(&zero, 0, sizeof zero);
	cx("connectx.all_zero_address", c, &zero, 1, 1, &id);
	cx("connectx.inet_any_port_zero", c, &any, 1, 1, &id);
	line("connectx.errors", "associations=%d", assoc_count(c, NULL));
	close(c);
}

/* AF_INET6 sockets: ::1 alone, mixed families both ways, a v4 blackhole before ::1. */
static void ipv6(void)
{
	struct sockaddr_in6 srv6 = v6("::1", port6);
	struct packed p = { .len = 0 };
	sctp_assoc_t id, up = 0;
	int c = client(AF_INET6, SOCK_SEQPACKET, 0, 4);
	const char *ev;

	add6(&p, "::1", port6);
	cx("connectx.ipv6", c, p.buf, p.cnt, 1, &id);
	id_report("connectx.ipv6", c, id, &srv6, sizeof srv6, 1);
	peer_addrs("connectx.ipv6", c, id);
	close(c);

	c = client(AF_INET6, SOCK_SEQPACKET, 0, 4);
	p = one4("127.0.0.1", port6);
	add6(&p, "::1", port6);
	cx("connectx.mixed_v4_then_v6", c, p.buf, p.cnt, 1, &id);
	id_report("connectx.mixed_v4_then_v6", c, id, &srv6, sizeof srv6, 1);
	peer_addrs("connectx.mixed_v4_then_v6", c, id);
	close(c);

	c = client(AF_INET6, SOCK_SEQPACKET, 0, 4);
	p.len = 0;
	p.cnt = 0;
	add6(&p, "::1", port6);
	add4(&p, "127.0.0.1", port6);
	cx("connectx.mixed_v6_then_v4", c, p.buf, p.cnt, 1, &id);
	id_report("connectx.mixed_v6_then_v4", c, id, &srv6, sizeof srv6, 1);
	close(c);

	/* The IPv6 address after a 16-byte IPv4 one must reach the kernel intact. */
	c = client(AF_INET6, SOCK_SEQPACKET, 1, 30);
	p = one4("127.0.1.7", port6);
	add6(&p, "::1", port6);
	cx("connectx.mixed_blackhole_then_v6", c, p.buf, p.cnt, 1, &id);
	ev = wait_assoc_change(c, 10000, &up);
	line("connectx.mixed_blackhole_then_v6", "client saw %s, its id matches *id: %s", ev,
	     up == id ? "yes" : "no");
	id_report("connectx.mixed_blackhole_then_v6", c, id, &srv6, sizeof srv6, 1);
	close(c);
}

/* errno == ENOPROTOOPT before a successful blocking call: lksctp's connectx3 does not reset
 * errno, takes the stale value for the kernel's answer and connects again the old way. */
static void stale_errno(void)
{
	struct packed p = peer3(NULL);
	sctp_assoc_t id = ID_PRESET, first = 0;
	int c = client(AF_INET, SOCK_SEQPACKET, 0, 4), r, n;

	errno = ENOPROTOOPT;
	r = sctp_connectx(c, (struct sockaddr *)p.buf, p.cnt, &id);
	line("connectx.stale_errno", "ret=%d errno=%s id=%s", r, errname(errno), id_state(id));
	n = assoc_count(c, &first);
	line("connectx.stale_errno", "associations=%d first matches *id: %s", n,
	     first == id ? "yes" : "no");
	close(c);
}

int main(void)
{
	struct sockaddr_in a1 = v4("127.0.0.1", 0);
	struct sockaddr_in6 a6 = v6("::1", 0);
	struct packed more = { .len = 0 }, more6 = { .len = 0 };
	int l, l6;

	add4(&more, "127.0.0.2", 0);
	add4(&more, "127.0.0.3", 0);
	l = listener(AF_INET, &a1, sizeof a1, &more, &port);
	add4(&more6, "127.0.0.1", 0);
	l6 = listener(AF_INET6, &a6, sizeof a6, &more6, &port6);

	blocking();
	nonblocking("connectx.nonblocking", NULL);
	nonblocking("connectx.blackhole_first", "127.0.1.1");
	blackhole_only();
	one_to_one();
	errors();
	ipv6();
	stale_errno();

	close(l6);
	close(l);
	line("end", "done");
	return 0;
}
