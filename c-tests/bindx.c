/* sctp_bindx on the real kernel SCTP stack, each call shown by sctp_getladdrs before/after:
 * - ADD and REM of one and of several addresses on one-to-many and one-to-one sockets, bound
 *   and unbound, and on an AF_INET6 socket with IPv4 and IPv6 addresses mixed in one call;
 * - the library's own EINVAL (flags other than exactly ADD or REM, a family other than
 *   AF_INET/AF_INET6 first or second in the list, NULL addrs) before any syscall, and the
 *   kernel's errors: empty list, bad/closed fd, not a socket, TCP/UDP socket, port mismatch,
 *   duplicate, non-local address, removing the last address, a port another socket holds;
 *   a call that fails half-way leaves the bound set as it was;
 * - a peer associating through an address added with bindx (refused before the ADD and after
 *   the REM), with data both ways; REM on a listening and on an associated socket.
 * Built against lksctp and against sctp_rs; the outputs are compared line by line. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define ADD SCTP_BINDX_ADD_ADDR
#define REM SCTP_BINDX_REM_ADDR

/* A packed address array as sctp_bindx takes it: sockaddr_in (16 bytes) and sockaddr_in6
 * (28 bytes) end to end. */
struct bx_addrs {
	int count;
	size_t len;
	unsigned char buf[8 * sizeof(struct sockaddr_in6)];
};

/* Packs the space-separated addresses of `spec` with `port`: an IPv4 or IPv6 literal, or
 * "unix" for a 16-byte entry whose family is AF_UNIX. */
static struct bx_addrs pack(const char *spec, uint16_t port)
{
	struct bx_addrs p;
	char copy[256], *tok, *save;
	memset(&p, 0, sizeof p);
	snprintf(copy, sizeof copy, "%s", spec);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strchr(tok, ':')) {
			struct sockaddr_in6 a = v6(tok, port);
			memcpy(p.buf + p.len, &a, sizeof a);
			p.len += sizeof a;
		} else {
			struct sockaddr_in a = v4(strcmp(tok, "unix") ? tok : "127.0.0.9", port);
			if (!strcmp(tok, "unix"))
				a.sin_family = AF_UNIX;
			memcpy(p.buf + p.len, &a, sizeof a);
			p.len += sizeof a;
		}
		p.count++;
	}
	return p;
}

/* Text of one packed address ("127.0.0.1", "[::1]") and its port; returns its length in the
 * array, or 0 for an unknown family. */
static size_t addr_text(const unsigned char *at, char *text, size_t size, uint16_t *port)
{
	sa_family_t fam;
	char ip[INET6_ADDRSTRLEN];
	memcpy(&fam, at, sizeof fam);
	if (fam == AF_INET) {
		struct sockaddr_in a;
		memcpy(&a, at, sizeof a);
		inet_ntop(AF_INET, &a.sin_addr, text, (socklen_t)size);
		*port = ntohs(a.sin_port);
		return sizeof a;
	}
	if (fam == AF_INET6) {
		struct sockaddr_in6 a;
		memcpy(&a, at, sizeof a);
		inet_ntop(AF_INET6, &a.sin6_addr, ip, sizeof ip);
		snprintf(text, size, "[%s]", ip);
		*port = ntohs(a.sin6_port);
		return sizeof a;
	}
	snprintf(text, size, "family=%u", fam);
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Prints "<check>: laddrs n=<count> bytes=<array size> <sorted addresses> port=bound|other":
 * the local addresses of association `id` (0: of the endpoint) as sctp_getladdrs gives them. */
static void show_assoc(const char *check, int fd, sctp_assoc_t id)
{
	char texts[16][INET6_ADDRSTRLEN + 2], list[16 * (INET6_ADDRSTRLEN + 3)] = "";
	struct sockaddr *addrs = NULL;
	uint16_t bound = local_port(fd), port;
	size_t off = 0, len;
	int n, i, ports_ok = 1;

	errno = ERRNO_SENTINEL;
	n = sctp_getladdrs(fd, id, &addrs);
	if (n < 0 || n > 16) {
		line(check, "laddrs ret=%d errno=%s", n,
		     errno == ERRNO_SENTINEL ? "unchanged" : errname(errno));
		return;
	}
	for (i = 0; i < n; i++, off += len) {
		len = addr_text((unsigned char *)addrs + off, texts[i], sizeof texts[i], &port);
		if (!len) {
			i++; /* shown as "family=<n>"; nothing after it can be parsed */
			break;
		}
		ports_ok &= port == bound;
	}
	qsort(texts, (size_t)i, sizeof texts[0], by_text);
	for (int j = 0; j < i; j++) {
		strcat(list, " ");
		strcat(list, texts[j]);
	}
	line(check, "%s n=%d bytes=%zu%s port=%s", id ? "assoc laddrs" : "laddrs", n, off, list,
	     ports_ok ? "bound" : "other");
	sctp_freeladdrs(addrs);
}

static void show(const char *check, int fd)
{
	show_assoc(check, fd, 0);
}

/* sctp_bindx(fd, addrs, cnt, flags) with errno preset; prints the result. */
static int call(const char *check, int fd, const void *addrs, int cnt, int flags)
{
	int r;
	errno = ERRNO_SENTINEL;
	r = sctp_bindx(fd, (struct sockaddr *)addrs, cnt, flags);
	ret_errno(check, r, errno);
	return r;
}

/* One bindx call on the addresses of `spec` with `port`, then the local addresses after it. */
static int step(const char *check, int fd, const char *spec, uint16_t port, int flags)
{
	struct bx_addrs p = pack(spec, port);
	int r = call(check, fd, p.buf, p.count, flags);
	show(check, fd);
	return r;
}

static const char *name(const char *prefix, const char *what)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s.%s", prefix, what);
	return buf;
}

static int bound_socket(int family, int type, const char *ip)
{
	int fd = sctp_socket(family, type);
	if (family == AF_INET6) {
		struct sockaddr_in6 a = v6(ip, 0);
		bind_or_die(fd, &a, sizeof a);
	} else {
		struct sockaddr_in a = v4(ip, 0);
		bind_or_die(fd, &a, sizeof a);
	}
	return fd;
}

/* ADD and REM on an AF_INET socket bound to 127.0.0.1, each success and each refusal. Port 0 in
 * an address means "the bound port"; any other port must be it. */
static void add_remove(const char *kind, int type)
{
	int fd = bound_socket(AF_INET, type, "127.0.0.1");
	uint16_t p = local_port(fd), other = p ^ 1;

	show(name(kind, "before"), fd);
	step(name(kind, "add_one"), fd, "127.0.0.2", p, ADD);
	step(name(kind, "add_two_port0"), fd, "127.0.0.4 127.0.0.3", 0, ADD);
	step(name(kind, "rem_one"), fd, "127.0.0.2", p, REM);
	step(name(kind, "rem_two"), fd, "127.0.0.3 127.0.0.4", 0, REM);
	step(name(kind, "rem_last"), fd, "127.0.0.1", 0, REM);
	step(name(kind, "add_already_bound"), fd, "127.0.0.1", p, ADD);
	step(name(kind, "add_twice_in_call"), fd, "127.0.0.5 127.0.0.5", 0, ADD);
	step(name(kind, "add_port_mismatch"), fd, "127.0.0.5", other, ADD);
	step(name(kind, "add_nonlocal"), fd, "10.1.2.3", 0, ADD);
	step(name(kind, "add_then_nonlocal"), fd, "127.0.0.6 10.1.2.3", 0, ADD);
	step(name(kind, "add_ipv6_on_inet"), fd, "::1", 0, ADD);
	step(name(kind, "add_again"), fd, "127.0.0.2 127.0.0.3", 0, ADD);
	step(name(kind, "rem_port_mismatch"), fd, "127.0.0.2", other, REM);
	step(name(kind, "rem_not_bound"), fd, "127.0.0.9", 0, REM);
	step(name(kind, "rem_then_not_bound"), fd, "127.0.0.2 127.0.0.9", 0, REM);
	step(name(kind, "rem_bind_address"), fd, "127.0.0.1", 0, REM);
	close(fd);

	/* An unbound socket: nothing to remove; ADD binds (an ephemeral port for all). */
	fd = sctp_socket(AF_INET, type);
	show(name(kind, "unbound.before"), fd);
	step(name(kind, "unbound.rem"), fd, "127.0.0.1", 0, REM);
	step(name(kind, "unbound.add_two"), fd, "127.0.0.1 127.0.0.2", 0, ADD);
	close(fd);

	/* A failure after the first address of an unbound socket: the kernel's rollback cannot
	 * remove the only address, so the socket stays bound to it. */
	fd = sctp_socket(AF_INET, type);
	step(name(kind, "unbound.add_then_nonlocal"), fd, "127.0.0.1 10.1.2.3", 0, ADD);
	close(fd);
}

/* An AF_INET6 socket takes IPv4 and IPv6 addresses in one call (IPv4 ones are reported
 * v4-mapped, and a v4-mapped one is an IPv4 address); with IPV6_V6ONLY it refuses IPv4. */
static void mixed_families(void)
{
	int fd = sctp_socket(AF_INET6, SOCK_SEQPACKET), on = 1;
	struct sockaddr_in6 lo6 = v6("::1", 0);
	show("bindx.inet6.before", fd);
	step("bindx.inet6.add_mixed", fd, "127.0.0.2 ::1 127.0.0.3", 0, ADD);
	step("bindx.inet6.add_v4mapped", fd, "::ffff:127.0.0.4", 0, ADD);
	step("bindx.inet6.add_v4mapped_as_inet", fd, "127.0.0.4", 0, ADD);
	step("bindx.inet6.rem_mixed", fd, "::1 127.0.0.2 ::ffff:127.0.0.4", 0, REM);
	step("bindx.inet6.add_v6_again", fd, "::1", 0, ADD);
	close(fd);

	fd = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	bind_or_die(fd, &lo6, sizeof lo6);
	step("bindx.inet6_v6only.add_inet", fd, "127.0.0.2", 0, ADD);
	step("bindx.inet6_v6only.add_v4mapped", fd, "::ffff:127.0.0.2", 0, ADD);
	step("bindx.inet6_v6only.add_v6_bound", fd, "::1", 0, ADD);
	close(fd);
}

static void null_addrs_count1(void *arg)
{
	call("bindx.errors.null_addrs_count1", *(int *)arg, NULL, 1, ADD);
}

/* Every refusal on a one-to-many socket bound to 127.0.0.1; the bound set never changes. */
static void errors(void)
{
	static const struct { const char *name; int flags; } bad_flags[] = {
		{ "bindx.errors.flags_zero", 0 },
		{ "bindx.errors.flags_both", ADD | REM },
		{ "bindx.errors.flags_four", 4 },
		{ "bindx.errors.flags_minus_one", -1 },
	};
	int fd = bound_socket(AF_INET, SOCK_SEQPACKET, "127.0.0.1"), other, holder;
	struct bx_addrs two = pack("127.0.0.2 127.0.0.3", 0), unix_only = pack("unix", 0);

	for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++)
		step(bad_flags[i].name, fd, "127.0.0.2", 0, bad_flags[i].flags);
	step("bindx.errors.family_unix_first", fd, "unix 127.0.0.2", 0, ADD);
	step("bindx.errors.family_unix_second", fd, "127.0.0.2 unix", 0, ADD);
	step("bindx.errors.family_unix_rem", fd, "unix", 0, REM);

	call("bindx.errors.count_zero", fd, two.buf, 0, ADD);
	call("bindx.errors.count_minus_one", fd, two.buf, -1, ADD);
	call("bindx.errors.count_zero_rem", fd, two.buf, 0, REM);
	call("bindx.errors.null_addrs_count0", fd, NULL, 0, ADD);
	in_child("bindx.errors.null_addrs_count1", null_addrs_count1, &fd);
	show("bindx.errors.after", fd);

	/* Descriptors: the kernel's errors, except that bad flags are refused first. */
	call("bindx.errors.bad_fd", -1, two.buf, 1, ADD);
	call("bindx.errors.bad_fd_flags_zero", -1, two.buf, 1, 0);
	call("bindx.errors.bad_fd_count_zero", -1, two.buf, 0, ADD);
	call("bindx.errors.bad_fd_family_unix", -1, unix_only.buf, 1, ADD);
	call("bindx.errors.closed_fd", 1000, two.buf, 1, ADD);
	other = open("/dev/null", O_RDONLY);
	call("bindx.errors.not_socket", other, two.buf, 1, ADD);
	close(other);
	other = socket(AF_INET, SOCK_STREAM, 0);
	call("bindx.errors.tcp4", other, two.buf, 1, ADD);
	close(other);
	other = socket(AF_INET6, SOCK_STREAM, 0);
	call("bindx.errors.tcp6", other, two.buf, 1, ADD);
	close(other);
	other = socket(AF_INET, SOCK_DGRAM, 0);
	call("bindx.errors.udp4", other, two.buf, 1, REM);
	close(other);

	/* Another socket holds 127.0.0.7:<port>: adding that address on the port is refused. */
	holder = bound_socket(AF_INET, SOCK_SEQPACKET, "127.0.0.7");
	other = sctp_socket(AF_INET, SOCK_SEQPACKET);
	{
		struct sockaddr_in a = v4("127.0.0.1", local_port(holder));
		bind_or_die(other, &a, sizeof a);
	}
	step("bindx.errors.addr_in_use", other, "127.0.0.7", 0, ADD);
	step("bindx.errors.addr_in_use_other_addr", other, "127.0.0.8", 0, ADD);
	close(other);
	close(holder);
	close(fd);
}

/* connect() of a new one-to-many client on 127.0.0.1 to ip:port (2 s at most); prints the
 * result and returns the client, or -1 when the connect failed. */
static int try_connect(const char *check, const char *ip, uint16_t port)
{
	int c = bound_socket(AF_INET, SOCK_SEQPACKET, "127.0.0.1"), r;
	struct timeval tv = { .tv_sec = 2 };
	struct sockaddr_in a = v4(ip, port);
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	errno = ERRNO_SENTINEL;
	r = connect(c, (struct sockaddr *)&a, sizeof a);
	ret_errno(check, r, errno);
	if (r < 0) {
		close(c);
		return -1;
	}
	return c;
}

/* The primary peer address of the client's association (the one it connected to). */
static void primary(const char *check, int c, sctp_assoc_t id)
{
	struct sctp_prim pr;
	socklen_t l = sizeof pr;
	char text[INET6_ADDRSTRLEN + 2];
	uint16_t port;
	memset(&pr, 0, sizeof pr);
	pr.ssp_assoc_id = id;
	if (getsockopt(c, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &pr, &l) < 0) {
		line(check, "primary: %s", errname(errno));
		return;
	}
	addr_text((unsigned char *)&pr.ssp_addr, text, sizeof text, &port);
	line(check, "client primary peer address=%s", text);
}

/* One message each way between client `c` and the one-to-many listener. */
static void exchange(const char *check, int listener, int c, sctp_assoc_t cid)
{
	char buf[64];
	struct sctp_sndrcvinfo si;
	sctp_assoc_t sid = 0;
	int fl;
	long n;

	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = cid;
	n = sctp_send(c, "to-listener", 11, &si, 0);
	n = n < 0 ? n : recv_data(listener, buf, sizeof buf, &si, &fl, 3000);
	sid = si.sinfo_assoc_id;
	line(check, "listener got=%ld data=%.*s", n, n > 0 ? (int)n : 0, buf);
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = sid;
	n = sctp_send(listener, "to-client", 9, &si, 0);
	n = n < 0 ? n : recv_data(c, buf, sizeof buf, &si, &fl, 3000);
	line(check, "client got=%ld data=%.*s", n, n > 0 ? (int)n : 0, buf);
}

/* A listener reached through an address added with bindx; REM on it while associated. */
static void association(void)
{
	int l = bound_socket(AF_INET, SOCK_SEQPACKET, "127.0.0.1"), c, late;
	uint16_t p = local_port(l);
	struct sockaddr_in added = v4("127.0.0.2", p), me;
	sctp_assoc_t cid, sid;

	listen(l, 8);
	subscribe(l, 1, 0, 0);
	late = try_connect("bindx.listener.connect_before_add", "127.0.0.2", p);
	if (late >= 0)
		close(late);
	step("bindx.listener.add", l, "127.0.0.2", 0, ADD);
	c = try_connect("bindx.listener.connect_added", "127.0.0.2", p);
	if (c < 0)
		return;
	me = v4("127.0.0.1", local_port(c));
	subscribe(c, 1, 0, 0);
	cid = assoc_to(c, &added, sizeof added);
	line("bindx.listener.connect_added", "association id known: %s", cid ? "yes" : "no");
	primary("bindx.listener.connect_added", c, cid);
	exchange("bindx.listener.connect_added", l, c, cid);
	sid = assoc_to(l, &me, sizeof me);
	show_assoc("bindx.listener.connect_added", l, sid);

	/* The association keeps the address it was set up with (no ASCONF: addip is off). */
	step("bindx.listener.rem_added_while_associated", l, "127.0.0.2", 0, REM);
	show_assoc("bindx.listener.rem_added_while_associated", l, sid);
	exchange("bindx.listener.rem_added_while_associated", l, c, cid);
	late = try_connect("bindx.listener.connect_after_rem", "127.0.0.2", p);
	if (late >= 0)
		close(late);
	step("bindx.listener.rem_last_while_associated", l, "127.0.0.1", 0, REM);
	step("bindx.listener.add_while_associated", l, "127.0.0.3", 0, ADD);
	close(c);
	close(l);
}

/* A connected one-to-one socket bound to 127.0.0.1 and 127.0.0.2 removes and adds addresses. */
static void one_to_one_associated(void)
{
	int l = bound_socket(AF_INET, SOCK_SEQPACKET, "127.0.0.1");
	int c = bound_socket(AF_INET, SOCK_STREAM, "127.0.0.1");
	uint16_t p = local_port(l);
	listen(l, 8);
	step("bindx.one_to_one_connected.add", c, "127.0.0.2", 0, ADD);
	connect_v4(c, p);
	show_assoc("bindx.one_to_one_connected.add", c, 1);
	step("bindx.one_to_one_connected.rem", c, "127.0.0.2", 0, REM);
	show_assoc("bindx.one_to_one_connected.rem", c, 1);
	step("bindx.one_to_one_connected.add_again", c, "127.0.0.3", 0, ADD);
	show_assoc("bindx.one_to_one_connected.add_again", c, 1);
	close(c);
	close(l);
}

int main(void)
{
	add_remove("bindx.one_to_many", SOCK_SEQPACKET);
	add_remove("bindx.one_to_one", SOCK_STREAM);
	mixed_families();
	errors();
	association();
	one_to_one_associated();
	line("end", "done");
	return 0;
}
