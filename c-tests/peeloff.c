/* sctp_peeloff and sctp_peeloff_flags on the real kernel SCTP stack: every errno the kernel
 * gives, a peeled-off socket that sends and receives, and the flags' effect on the new fd.
 * Built against lksctp and against sctp_rs; the outputs are compared line by line. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int listener;
static uint16_t port;

/* A new one-to-many client associated with the listener. */
static int new_assoc(sctp_assoc_t *server_id, sctp_assoc_t *client_id)
{
	return assoc_client(listener, port, client_id, server_id);
}

static void fd_report(const char *check, int fd)
{
	int type = -1, proto = -1;
	socklen_t l = sizeof type;
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l);
	l = sizeof proto;
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);
	line(check, "type=%s proto=%s nonblock=%s cloexec=%s",
	     type == SOCK_SEQPACKET ? "SEQPACKET" : type == SOCK_STREAM ? "STREAM" : "other",
	     proto == IPPROTO_SCTP ? "SCTP" : "other",
	     fcntl(fd, F_GETFL) & O_NONBLOCK ? "yes" : "no",
	     fcntl(fd, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
}

/* Calls peeloff or peeloff_flags with errno preset to the sentinel and prints the result. */
static int call(const char *check, int sd, sctp_assoc_t id, int use_flags, unsigned flags)
{
	int r;
	if (use_flags && !PEELOFF_FLAGS_BOUND) {
		line(check, "sctp_peeloff_flags not bound");
		return -1;
	}
	errno = ERRNO_SENTINEL;
	r = use_flags ? sctp_peeloff_flags(sd, id, flags) : sctp_peeloff(sd, id);
	ret_errno(check, r, errno);
	if (r >= 0)
		line(check, "new fd differs from sd: %s", r != sd ? "yes" : "no");
	return r;
}

static void errors(const char *fn, int use_flags, unsigned flags)
{
	char name[96];
	int fd, one;
	sctp_assoc_t id;
#define NAME(s) (snprintf(name, sizeof name, "%s.%s", fn, s), name)

	call(NAME("bad_fd"), -1, 1, use_flags, flags);
	call(NAME("closed_fd"), 1000, 1, use_flags, flags);
	fd = open("/dev/null", O_RDONLY);
	call(NAME("not_socket"), fd, 1, use_flags, flags);
	close(fd);

	fd = new_assoc(&id, NULL);
	call(NAME("assoc_zero"), listener, 0, use_flags, flags);
	call(NAME("assoc_unknown"), listener, id + 1000, use_flags, flags);
	close(fd);

	one = sctp_socket(AF_INET, SOCK_STREAM);
	call(NAME("one_to_one_unconnected"), one, 1, use_flags, flags);
	close(one);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	call(NAME("tcp4"), fd, 1, use_flags, flags);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	call(NAME("udp4"), fd, 1, use_flags, flags);
	close(fd);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	call(NAME("tcp6"), fd, 1, use_flags, flags);
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	call(NAME("udp6"), fd, 1, use_flags, flags);
	close(fd);
#undef NAME
}

/* The peeled-off fd carries the association both ways; the listener no longer sees it. */
static void traffic(const char *check, int client, sctp_assoc_t client_id, int nfd)
{
	char buf[64];
	struct sctp_sndrcvinfo si;
	int fl;
	long n;
	char name[96];

	subscribe(client, 1, 0, 0);
	snprintf(name, sizeof name, "%s.sends", check);
	n = send(nfd, "from-peeled", 11, 0);
	line(name, "send=%ld", n);
	n = recv_data(client, buf, sizeof buf, &si, &fl, 5000);
	line(name, "peer got=%ld data=%.*s on same assoc=%s", n, n > 0 ? (int)n : 0, buf,
	     si.sinfo_assoc_id == client_id ? "yes" : "no");

	snprintf(name, sizeof name, "%s.receives", check);
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = client_id;
	n = sctp_send(client, "to-peeled", 9, &si, 0);
	line(name, "peer sent=%ld", n);
	n = recv_data(nfd, buf, sizeof buf, &si, &fl, 5000);
	line(name, "got=%ld data=%.*s", n, n > 0 ? (int)n : 0, buf);
	n = recv_data(listener, buf, sizeof buf, &si, &fl, 100);
	line(name, "listener got data: %s", n < 0 && errno == ETIMEDOUT ? "no" : "yes");
}

static void success(void)
{
	sctp_assoc_t sid, cid;
	int c, nfd, r;

	c = new_assoc(&sid, &cid);
	line("setup", "association ids known: %s", sid > 0 && cid > 0 ? "yes" : "no");
	nfd = call("peeloff.ok", listener, sid, 0, 0);
	fd_report("peeloff.ok.fd", nfd);
	traffic("peeloff.ok", c, cid, nfd);
	call("peeloff.again_from_listener", listener, sid, 0, 0);
	call("peeloff.from_peeled_fd", nfd, sid, 0, 0);
	call("peeloff_flags.from_peeled_fd", nfd, sid, 1, SOCK_NONBLOCK);
	close(nfd);
	close(c);

	/* Each flags value on a fresh association. */
	static const struct { const char *name; unsigned flags; } cases[] = {
		{ "peeloff_flags.zero", 0 },
		{ "peeloff_flags.nonblock", SOCK_NONBLOCK },
		{ "peeloff_flags.cloexec", SOCK_CLOEXEC },
		{ "peeloff_flags.both", SOCK_NONBLOCK | SOCK_CLOEXEC },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[96];
		char buf[8];
		c = new_assoc(&sid, &cid);
		nfd = call(cases[i].name, listener, sid, 1, cases[i].flags);
		if (!PEELOFF_FLAGS_BOUND) { /* three-way run as is: nothing to look at */
			close(c);
			continue;
		}
		snprintf(name, sizeof name, "%s.fd", cases[i].name);
		fd_report(name, nfd);
		if (cases[i].flags & SOCK_NONBLOCK) {
			/* Drain what came with the association (its COMM_UP notification),
			 * then an empty non-blocking socket says EAGAIN at once. */
			snprintf(name, sizeof name, "%s.recv_empty", cases[i].name);
			do
				r = (int)recv(nfd, buf, sizeof buf, 0);
			while (r > 0);
			ret_errno(name, r, errno);
		}
		traffic(cases[i].name, c, cid, nfd);
		close(nfd);
		close(c);
	}

	/* A one-to-one socket with an association cannot be peeled off. */
	{
		int one = sctp_socket(AF_INET, SOCK_STREAM);
		connect_v4(one, port);
		sctp_assoc_t oid;
		struct sockaddr_in srv = v4("127.0.0.1", port);
		oid = assoc_to(one, &srv, sizeof srv);
		call("peeloff.one_to_one_connected", one, oid, 0, 0);
		call("peeloff_flags.one_to_one_connected", one, oid, 1, SOCK_CLOEXEC);
		close(one);
	}

	/* IPv6 one-to-many over ::1. */
	{
		int l6 = sctp_socket(AF_INET6, SOCK_SEQPACKET), c6;
		struct sockaddr_in6 a = v6("::1", 0), peer;
		bind_or_die(l6, &a, sizeof a);
		listen(l6, 4);
		c6 = sctp_socket(AF_INET6, SOCK_SEQPACKET);
		bind_or_die(c6, &a, sizeof a);
		a = v6("::1", local_port(l6));
		if (connect(c6, (struct sockaddr *)&a, sizeof a) < 0)
			perror("connect6");
		peer = v6("::1", local_port(c6));
		sid = assoc_to(l6, &peer, sizeof peer);
		nfd = call("peeloff.ipv6", l6, sid, 0, 0);
		fd_report("peeloff.ipv6.fd", nfd);
		close(nfd);
		close(c6);
		close(l6);
	}
}

/* Whether one-to-many `fd` holds association `id` (SCTP_STATUS answers for it). */
static int has_assoc(int fd, sctp_assoc_t id)
{
	struct sctp_status st;
	socklen_t l = sizeof st;
	memset(&st, 0, sizeof st);
	st.sstat_assoc_id = id;
	return getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) == 0;
}

/* No descriptor left: EMFILE. The kernel has already detached the association by then and
 * releases the new socket, so the association is gone afterwards (a kernel behaviour, printed
 * here): it shuts down gracefully (the peer sees SHUTDOWN_COMP), or is aborted when data it
 * received was unread (the peer sees COMM_LOST), as close() of a socket does. Nothing leaks:
 * no descriptor in this process, no association in the kernel (/proc/net/sctp/assocs). */
static void emfile(const char *fn, int use_flags, unsigned flags, int unread)
{
	struct rlimit old, low;
	sctp_assoc_t sid, cid;
	char name[96];
	int c = new_assoc(&sid, &cid), probe, r, fds, held;
	uint16_t cport = local_port(c);

	subscribe(c, 0, 1, 0); /* after its COMM_UP: the next association change is its end */
	if (unread) {
		struct sctp_sndrcvinfo si;
		memset(&si, 0, sizeof si);
		si.sinfo_assoc_id = cid;
		sctp_send(c, "unread", 6, &si, 0);
		wait_acked(c, cid, 3000);
	}
	fds = count_fds();
	getrlimit(RLIMIT_NOFILE, &old);
	probe = dup(0);
	close(probe);
	low = old;
	low.rlim_cur = (rlim_t)probe;
	setrlimit(RLIMIT_NOFILE, &low);
	snprintf(name, sizeof name, "%s.emfile%s", fn, unread ? "_unread" : "");
	r = call(name, listener, sid, use_flags, flags);
	setrlimit(RLIMIT_NOFILE, &old);
	if (use_flags && !PEELOFF_FLAGS_BOUND) { /* three-way run as is: nothing happened */
		close(c);
		return;
	}
	if (r >= 0)
		close(r);
	snprintf(name, sizeof name, "%s.emfile%s.fds", fn, unread ? "_unread" : "");
	line(name, "leaked=%d", count_fds() - fds);
	snprintf(name, sizeof name, "%s.emfile%s.fate", fn, unread ? "_unread" : "");
	held = has_assoc(listener, sid);
	line(name, "listener still has it: %s; peer sees %s", held ? "yes" : "no",
	     wait_assoc_change(c, 3000, NULL));
	for (int i = 0; i < 100 && kernel_assocs(cport) > 0; i++)
		usleep(20000);
	line(name, "kernel associations on the peer's port=%d", kernel_assocs(cport));
	snprintf(name, sizeof name, "%s.emfile%s.after", fn, unread ? "_unread" : "");
	call(name, listener, sid, use_flags, flags);
	close(c);
}

/* Bits other than SOCK_NONBLOCK|SOCK_CLOEXEC: sctp_rs says EINVAL (as accept4), lksctp lets
 * the kernel ignore them (a listed divergence). Each on its own association. */
static void unknown_bits(void)
{
	static const struct { const char *name; unsigned flags; } cases[] = {
		{ "peeloff_flags.unknown_bit", 0x1 },
		{ "peeloff_flags.unknown_bit_with_nonblock", SOCK_NONBLOCK | 0x1 },
		{ "peeloff_flags.o_nonblock_high_bit", 0x80000000u },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sctp_assoc_t sid;
		int c = new_assoc(&sid, NULL);
		int r = call(cases[i].name, listener, sid, 1, cases[i].flags);
		if (r >= 0)
			close(r);
		close(c);
	}
}

int main(void)
{
	listener = listener_v4(&port);
	errors("peeloff", 0, 0);
	errors("peeloff_flags", 1, SOCK_NONBLOCK | SOCK_CLOEXEC);
	success();
	emfile("peeloff", 0, 0, 0);
	emfile("peeloff", 0, 0, 1);
	emfile("peeloff_flags", 1, SOCK_CLOEXEC, 0);
	emfile("peeloff_flags", 1, SOCK_CLOEXEC, 1);
	unknown_bits();
	close(listener);
	line("end", "done");
	return 0;
}
