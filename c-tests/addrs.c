/* sctp_getpaddrs, sctp_getladdrs, sctp_freepaddrs, sctp_freeladdrs and sctp_getaddrlen on the
 * real kernel SCTP stack:
 * - the peer and local addresses of an association with a peer bound to 127.0.0.1-3, from both
 *   ends (count, sorted list, ports, zeroed padding), id 0 (the endpoint's local addresses; no
 *   peer addresses), an unknown id, a one-to-one socket ignoring the id, unbound sockets;
 * - errors: bad fd, closed fd, not a socket, TCP socket, a NULL `addrs` (lksctp crashes writing
 *   it), and whether `*addrs` is written on failure and when the count is 0;
 * - the block is a malloc() block: free() releases it as well; freeing NULL returns 0;
 * - lists larger than the first 4 KiB buffer (300 addresses, on AF_INET and AF_INET6 sockets,
 *   local and peer) and larger than lksctp's 128 KiB cap (5000 addresses, 140000 bytes);
 * - IPv6: an association over ::1, v4-mapped addresses and a list mixing 16- and 28-byte entries;
 * - sctp_getaddrlen for AF_INET, AF_INET6 and other families.
 * Built against lksctp and against sctp_rs; the outputs are compared line by line. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What *addrs holds before each call, to tell whether the library wrote it. */
static char marker;
#define UNTOUCHED ((struct sockaddr *)&marker)

static const char *errno_text(int e)
{
	return e == ERRNO_SENTINEL ? "unchanged" : errname(e);
}

/* One parsed address of a list: a sort key (family, then address bytes) and its text. */
struct entry {
	unsigned char key[17];
	char text[INET6_ADDRSTRLEN + 40];
};

static int by_key(const void *a, const void *b)
{
	return memcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key, 17);
}

/* Parses the address at `at` into `e` ("127.0.0.1", or "[::1]" with "%<scope id>" and
 * "/flow=<flowinfo>" when they are not 0); returns its length (16 or 28), or 0 for another
 * family. *port_ok and *pad_ok are cleared when its port differs from `port` or, for AF_INET,
 * its sin_zero is not zero (the kernel zeroes it). */
static size_t parse(const unsigned char *at, struct entry *e, uint16_t port, int *port_ok,
		    int *pad_ok)
{
	static const unsigned char zero[8];
	sa_family_t fam;
	char ip[INET6_ADDRSTRLEN];

	memcpy(&fam, at, sizeof fam);
	if (fam == AF_INET) {
		struct sockaddr_in a;
		memcpy(&a, at, sizeof a);
		e->key[0] = 4;
		memcpy(e->key + 1, &a.sin_addr, 4);
		inet_ntop(AF_INET, &a.sin_addr, e->text, sizeof e->text);
		*port_ok &= ntohs(a.sin_port) == port;
		*pad_ok &= !memcmp(a.sin_zero, zero, sizeof a.sin_zero);
		return sizeof a;
	}
	if (fam == AF_INET6) {
		struct sockaddr_in6 a;
		memcpy(&a, at, sizeof a);
		e->key[0] = 6;
		memcpy(e->key + 1, &a.sin6_addr, 16);
		inet_ntop(AF_INET6, &a.sin6_addr, ip, sizeof ip);
		snprintf(e->text, sizeof e->text, "[%s]", ip);
		if (a.sin6_scope_id)
			snprintf(e->text + strlen(e->text), 16, "%%%u", a.sin6_scope_id);
		if (a.sin6_flowinfo)
			snprintf(e->text + strlen(e->text), 24, "/flow=%u", ntohl(a.sin6_flowinfo));
		*port_ok &= ntohs(a.sin6_port) == port;
		return sizeof a;
	}
	return 0;
}

/* Prints "<check>: n=<count> bytes=<walked size> <sorted addresses> distinct=<k> port=same|other
 * sin_zero=zero|dirty": all addresses up to 8, else the first and the last. */
static void print_list(const char *check, const struct sockaddr *block, int n, uint16_t port)
{
	struct entry *e = calloc((size_t)n + 1, sizeof *e);
	char list[9 * sizeof e->text + 8] = "";
	size_t off = 0, len;
	int i, port_ok = 1, pad_ok = 1, distinct = 0;

	for (i = 0; i < n; i++, off += len) {
		len = parse((const unsigned char *)block + off, &e[i], port, &port_ok, &pad_ok);
		if (!len) {
			line(check, "n=%d address %d at byte %zu has an unknown family", n, i, off);
			free(e);
			return;
		}
	}
	qsort(e, (size_t)n, sizeof *e, by_key);
	for (i = 0; i < n; i++)
		distinct += i == 0 || memcmp(e[i].key, e[i - 1].key, sizeof e->key);
	if (n > 8)
		snprintf(list, sizeof list, " %s .. %s", e[0].text, e[n - 1].text);
	else
		for (i = 0; i < n; i++)
			strcat(strcat(list, " "), e[i].text);
	line(check, "n=%d bytes=%zu%s distinct=%d port=%s sin_zero=%s", n, off, list, distinct,
	     port_ok ? "same" : "other", pad_ok ? "zero" : "dirty");
	free(e);
}

/* sctp_getpaddrs (peer != 0) or sctp_getladdrs; prints the count, errno, whether *addrs was
 * written, and the list; frees it with the matching function. `port`: the expected port. */
static int get(const char *check, int peer, int fd, sctp_assoc_t id, uint16_t port)
{
	struct sockaddr *addrs = UNTOUCHED;
	int n, e;

	errno = ERRNO_SENTINEL;
	n = peer ? sctp_getpaddrs(fd, id, &addrs) : sctp_getladdrs(fd, id, &addrs);
	e = errno;
	line(check, "ret=%d errno=%s addrs=%s", n, errno_text(e),
	     addrs == UNTOUCHED ? "untouched" : addrs ? "set" : "NULL");
	if (addrs == UNTOUCHED || !addrs)
		return n;
	if (n >= 0)
		print_list(check, addrs, n, port);
	if (peer)
		sctp_freepaddrs(addrs);
	else
		sctp_freeladdrs(addrs);
	return n;
}

static int paddrs(const char *check, int fd, sctp_assoc_t id, uint16_t port)
{
	return get(check, 1, fd, id, port);
}

static int laddrs(const char *check, int fd, sctp_assoc_t id, uint16_t port)
{
	return get(check, 0, fd, id, port);
}

/* The i-th address of the 127.0.2.1... range (host parts 1-254, skipping the blackhole
 * 127.0.1.0/24 below it). */
static struct sockaddr_in range_addr(int i, uint16_t port)
{
	char ip[32];
	snprintf(ip, sizeof ip, "127.0.%d.%d", 2 + i / 254, 1 + i % 254);
	return v4(ip, port);
}

/* Adds addresses [from, from + count) of the range to fd with sctp_bindx, 1000 per call (the
 * kernel copies at most 64 KiB of a setsockopt). Prints the first failure, or success. */
static void bind_range(const char *check, int fd, int from, int count)
{
	static struct sockaddr_in chunk[1000];
	int done, k, r = 0;

	errno = ERRNO_SENTINEL;
	for (done = 0; done < count && r == 0; done += k) {
		for (k = 0; k < 1000 && done + k < count; k++)
			chunk[k] = range_addr(from + done + k, 0);
		r = sctp_bindx(fd, (struct sockaddr *)chunk, k, SCTP_BINDX_ADD_ADDR);
	}
	line(check, "bindx of %d addresses: ret=%d errno=%s", count, r, errno_text(errno));
}

static void getaddrlen(void)
{
	static const struct { const char *name; sa_family_t family; } cases[] = {
		{ "addrs.getaddrlen.inet", AF_INET },
		{ "addrs.getaddrlen.inet6", AF_INET6 },
		{ "addrs.getaddrlen.unix", AF_UNIX },
		{ "addrs.getaddrlen.zero", 0 },
		{ "addrs.getaddrlen.ffff", 0xffff },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r;
		errno = ERRNO_SENTINEL;
		r = sctp_getaddrlen(cases[i].family);
		line(cases[i].name, "ret=%d errno=%s", r, errno_text(errno));
	}
}

static void free_null(void)
{
	int r;
	errno = ERRNO_SENTINEL;
	r = sctp_freepaddrs(NULL);
	line("addrs.freepaddrs_null", "ret=%d errno=%s", r, errno_text(errno));
	errno = ERRNO_SENTINEL;
	r = sctp_freeladdrs(NULL);
	line("addrs.freeladdrs_null", "ret=%d errno=%s", r, errno_text(errno));
}

/* The multi-homed server: one-to-many, bound to 127.0.0.1 and (bindx) 127.0.0.2-3. */
static int server;
static uint16_t server_port;

static int bound_v4(int type, const char *ip)
{
	int fd = sctp_socket(AF_INET, type);
	struct sockaddr_in a = v4(ip, 0);
	bind_or_die(fd, &a, sizeof a);
	return fd;
}

static void start_server(void)
{
	struct sockaddr_in more[2];
	server = bound_v4(SOCK_SEQPACKET, "127.0.0.1");
	more[0] = v4("127.0.0.3", 0);
	more[1] = v4("127.0.0.2", 0);
	if (sctp_bindx(server, (struct sockaddr *)more, 2, SCTP_BINDX_ADD_ADDR) < 0 ||
	    listen(server, 16) < 0) {
		perror("FATAL: server");
		exit(2);
	}
	server_port = local_port(server);
}

/* Arguments of a call with a NULL addrs pointer, made in a child (lksctp writes through it). */
struct null_call {
	const char *check;
	int peer, fd;
	sctp_assoc_t id;
};

static void null_addrs(void *arg)
{
	const struct null_call *c = arg;
	int r;
	errno = ERRNO_SENTINEL;
	r = c->peer ? sctp_getpaddrs(c->fd, c->id, NULL) : sctp_getladdrs(c->fd, c->id, NULL);
	line(c->check, "ret=%d errno=%s", r, errno_text(errno));
}

/* The block is malloc()ed: malloc_usable_size knows it and free() releases it. */
static void release_with_free(const char *check, int peer, int fd, sctp_assoc_t id)
{
	struct sockaddr *addrs = UNTOUCHED;
	int n = peer ? sctp_getpaddrs(fd, id, &addrs) : sctp_getladdrs(fd, id, &addrs);
	if (n < 0 || addrs == UNTOUCHED || !addrs) {
		line(check, "ret=%d addrs=%s", n, addrs == UNTOUCHED ? "untouched" : "NULL");
		return;
	}
	line(check, "ret=%d usable size >= %d bytes: %s", n, n * 16,
	     malloc_usable_size(addrs) >= (size_t)n * 16 ? "yes" : "no");
	free(addrs);
	line(check, "released with free(): survived");
}

static void multihomed(void)
{
	int c = bound_v4(SOCK_SEQPACKET, "127.0.0.1"), r;
	uint16_t cport = local_port(c);
	struct sockaddr_in srv = v4("127.0.0.1", server_port), cli = v4("127.0.0.1", cport);
	sctp_assoc_t cid, sid;
	struct sockaddr *addrs;

	connect_v4(c, server_port);
	cid = assoc_to(c, &srv, sizeof srv);
	sid = assoc_to(server, &cli, sizeof cli);
	line("addrs.setup", "association ids known: %s", cid > 0 && sid > 0 ? "yes" : "no");

	paddrs("addrs.client.paddrs", c, cid, server_port);
	laddrs("addrs.client.laddrs", c, cid, cport);
	laddrs("addrs.client.laddrs_id0", c, 0, cport);
	paddrs("addrs.client.paddrs_id0", c, 0, server_port);
	paddrs("addrs.server.paddrs", server, sid, cport);
	laddrs("addrs.server.laddrs", server, sid, server_port);
	laddrs("addrs.server.laddrs_id0", server, 0, server_port);
	paddrs("addrs.server.paddrs_id0", server, 0, cport);
	paddrs("addrs.server.paddrs_unknown_id", server, sid + 1000, cport);
	laddrs("addrs.server.laddrs_unknown_id", server, sid + 1000, server_port);
	paddrs("addrs.server.paddrs_client_id", server, cid == sid ? sid + 1 : cid, cport);

	{
		struct null_call calls[] = {
			{ "addrs.paddrs_null_addrs", 1, c, cid },
			{ "addrs.laddrs_null_addrs", 0, c, cid },
			{ "addrs.paddrs_null_addrs_bad_fd", 1, -1, cid },
			{ "addrs.laddrs_null_addrs_bad_fd", 0, -1, cid },
		};
		for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
			in_child(calls[i].check, null_addrs, &calls[i]);
	}

	release_with_free("addrs.paddrs_free", 1, c, cid);
	release_with_free("addrs.laddrs_free", 0, server, 0);
	errno = ERRNO_SENTINEL;
	addrs = UNTOUCHED;
	if (sctp_getpaddrs(c, cid, &addrs) >= 0) {
		r = sctp_freepaddrs(addrs);
		line("addrs.freepaddrs_block", "ret=%d errno=%s", r, errno_text(errno));
	}
	errno = ERRNO_SENTINEL;
	addrs = UNTOUCHED;
	if (sctp_getladdrs(c, cid, &addrs) >= 0) {
		r = sctp_freeladdrs(addrs);
		line("addrs.freeladdrs_block", "ret=%d errno=%s", r, errno_text(errno));
	}
	close(c);
}

/* A one-to-one socket has one association: the id is ignored (0 still means the endpoint for
 * the local addresses). */
static void one_to_one(void)
{
	int o = bound_v4(SOCK_STREAM, "127.0.0.1");
	uint16_t oport = local_port(o);

	paddrs("addrs.one_to_one_unconnected.paddrs", o, 0, server_port);
	laddrs("addrs.one_to_one_unconnected.laddrs", o, 0, oport);
	connect_v4(o, server_port);
	paddrs("addrs.one_to_one.paddrs_id0", o, 0, server_port);
	paddrs("addrs.one_to_one.paddrs_any_id", o, 12345, server_port);
	laddrs("addrs.one_to_one.laddrs_id0", o, 0, oport);
	laddrs("addrs.one_to_one.laddrs_any_id", o, 12345, oport);
	close(o);
}

/* Sockets that were never bound: no local address (count 0), no association. */
static void unbound(void)
{
	static const struct { const char *name; int type; } kinds[] = {
		{ "addrs.unbound_one_to_many", SOCK_SEQPACKET },
		{ "addrs.unbound_one_to_one", SOCK_STREAM },
	};
	char name[96];
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		int fd = sctp_socket(AF_INET, kinds[i].type);
		snprintf(name, sizeof name, "%s.laddrs", kinds[i].name);
		laddrs(name, fd, 0, 0);
		snprintf(name, sizeof name, "%s.paddrs", kinds[i].name);
		paddrs(name, fd, 0, 0);
		snprintf(name, sizeof name, "%s.laddrs_free", kinds[i].name);
		release_with_free(name, 0, fd, 0);
		close(fd);
	}
}

static void bad_descriptors(void)
{
	int fd;
	paddrs("addrs.paddrs_bad_fd", -1, 1, 0);
	laddrs("addrs.laddrs_bad_fd", -1, 0, 0);
	paddrs("addrs.paddrs_closed_fd", 1000, 1, 0);
	laddrs("addrs.laddrs_closed_fd", 1000, 0, 0);
	fd = open("/dev/null", O_RDONLY);
	paddrs("addrs.paddrs_not_socket", fd, 1, 0);
	laddrs("addrs.laddrs_not_socket", fd, 0, 0);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	paddrs("addrs.paddrs_tcp4", fd, 1, 0);
	laddrs("addrs.laddrs_tcp4", fd, 0, 0);
	close(fd);
}

/* Lists that do not fit the first 4 KiB buffer: 300 addresses (4800 bytes on an AF_INET
 * socket, 8400 v4-mapped on an AF_INET6 one), locally and as a client's peer addresses; and
 * 5000 (140000 bytes), past lksctp's 128 KiB limit. */
static void growth(void)
{
	int g = sctp_socket(AF_INET, SOCK_SEQPACKET), g6, c;
	uint16_t gport, cport;
	sctp_assoc_t cid, sid;
	struct sockaddr_in first, me;

	bind_range("addrs.growth300", g, 0, 300);
	listen(g, 4);
	gport = local_port(g);
	laddrs("addrs.growth300.laddrs", g, 0, gport);

	c = bound_v4(SOCK_SEQPACKET, "127.0.0.1");
	cport = local_port(c);
	first = range_addr(0, gport);
	if (connect(c, (struct sockaddr *)&first, sizeof first) < 0)
		line("addrs.growth300", "connect: %s", errname(errno));
	me = v4("127.0.0.1", cport);
	cid = assoc_to(c, &first, sizeof first);
	sid = assoc_to(g, &me, sizeof me);
	paddrs("addrs.growth300.client_paddrs", c, cid, gport);
	laddrs("addrs.growth300.server_assoc_laddrs", g, sid, gport);
	close(c);
	close(g);

	g6 = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	bind_range("addrs.growth300_inet6", g6, 0, 300);
	laddrs("addrs.growth300_inet6.laddrs", g6, 0, local_port(g6));
	close(g6);

	g6 = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	bind_range("addrs.growth5000_inet6", g6, 0, 5000);
	laddrs("addrs.growth5000_inet6.laddrs", g6, 0, local_port(g6));
	close(g6);
}

/* An AF_INET6 association over ::1 with a server also bound to 127.0.0.2: every entry is 28
 * bytes (IPv4 ones v4-mapped), unless SCTP_I_WANT_MAPPED_V4_ADDR is off, when IPv4 entries are
 * 16-byte sockaddr_in between 28-byte sockaddr_in6. */
static void ipv6(void)
{
	int s6 = sctp_socket(AF_INET6, SOCK_SEQPACKET), c6 = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	struct sockaddr_in6 lo = v6("::1", 0), srv, me;
	struct sockaddr_in extra = v4("127.0.0.2", 0);
	uint16_t sport, cport;
	sctp_assoc_t cid, sid;
	int off = 0;

	bind_or_die(s6, &lo, sizeof lo);
	sctp_bindx(s6, (struct sockaddr *)&extra, 1, SCTP_BINDX_ADD_ADDR);
	listen(s6, 4);
	sport = local_port(s6);
	bind_or_die(c6, &lo, sizeof lo);
	cport = local_port(c6);
	srv = v6("::1", sport);
	me = v6("::1", cport);
	if (connect(c6, (struct sockaddr *)&srv, sizeof srv) < 0)
		line("addrs.ipv6", "connect: %s", errname(errno));
	cid = assoc_to(c6, &srv, sizeof srv);
	sid = assoc_to(s6, &me, sizeof me);
	line("addrs.ipv6", "association ids known: %s", cid > 0 && sid > 0 ? "yes" : "no");

	paddrs("addrs.ipv6.client_paddrs", c6, cid, sport);
	laddrs("addrs.ipv6.client_laddrs", c6, cid, cport);
	paddrs("addrs.ipv6.server_paddrs", s6, sid, cport);
	laddrs("addrs.ipv6.server_laddrs", s6, sid, sport);
	laddrs("addrs.ipv6.server_laddrs_id0", s6, 0, sport);

	setsockopt(s6, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &off, sizeof off);
	setsockopt(c6, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &off, sizeof off);
	paddrs("addrs.ipv6_unmapped.client_paddrs", c6, cid, sport);
	laddrs("addrs.ipv6_unmapped.server_laddrs", s6, sid, sport);
	laddrs("addrs.ipv6_unmapped.server_laddrs_id0", s6, 0, sport);
	close(c6);
	close(s6);
}

int main(void)
{
	getaddrlen();
	free_null();
	start_server();
	multihomed();
	one_to_one();
	unbound();
	bad_descriptors();
	growth();
	ipv6();
	close(server);
	line("end", "done");
	return 0;
}
