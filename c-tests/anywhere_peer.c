/* One end of an SCTP conversation between two hosts, for the SCTP-anywhere interop checks
 * (scripts/anywhere-interop.sh: a program under the shim and the kernel's SCTP, or two hosts'
 * sctpd). It uses only the socket API and libsctp, so it runs the same on the kernel and under
 * the shim.
 *
 *   anywhere_peer server ADDR PORT STYLE   listens on ADDR:PORT (STYLE: one_to_one or
 *                                          one_to_many), echoes each message back on its stream
 *                                          with its ppid, until the client shuts down; prints
 *                                          what it saw, then exits
 *   anywhere_peer bind ADDR PORT STYLE     binds a socket there and prints what bind returned
 *   anywhere_peer client ADDR PORT STYLE   connects, sends 3 messages (streams 0-2, ppids
 *                                          100-102, one of 3000 bytes), checks each echo, shuts
 *                                          down gracefully; prints what it saw
 *
 * Every wait is bounded (10 s); lines are "<role>.<check>: <value>" with nothing that varies
 * from run to run (no ports, ids or times). */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSGS 3
static const size_t sizes[MSGS] = { 5, 3000, 11 };

static void fill(char *buf, size_t len, int i)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (char)('a' + (i * 7 + (int)k) % 26);
}

static struct sockaddr_storage addr_of(const char *ip, uint16_t port, socklen_t *len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (strchr(ip, ':')) {
		struct sockaddr_in6 a = v6(ip, port);
		memcpy(&ss, &a, sizeof a);
		*len = sizeof a;
	} else {
		struct sockaddr_in a = v4(ip, port);
		memcpy(&ss, &a, sizeof a);
		*len = sizeof a;
	}
	return ss;
}

/* One message or notification within 10 s; -1 on timeout or error (errno). */
static long next(int fd, char *buf, size_t len, struct sctp_sndrcvinfo *si, int *flags)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 10000) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	*flags = 0;
	memset(si, 0, sizeof *si);
	return sctp_recvmsg(fd, buf, len, NULL, NULL, si, flags);
}

static int server(const char *ip, uint16_t port, int one_to_one)
{
	socklen_t alen;
	struct sockaddr_storage a = addr_of(ip, port, &alen);
	int l = sctp_socket(a.ss_family, one_to_one ? SOCK_STREAM : SOCK_SEQPACKET), fd;
	int echoed = 0, bad = 0, flags;
	char buf[4096];
	struct sctp_sndrcvinfo si;
	const char *end = "none";

	bind_or_die(l, &a, alen);
	subscribe(l, 1, 1, 1);
	if (listen(l, 4) < 0) {
		perror("FATAL: listen");
		return 2;
	}
	line("server.listening", "yes");
	fd = l;
	if (one_to_one) {
		struct pollfd p = { .fd = l, .events = POLLIN };
		if (poll(&p, 1, 10000) != 1 || (fd = accept(l, NULL, NULL)) < 0) {
			line("server.accept", "failed: %s", errname(errno));
			return 1;
		}
		line("server.accept", "an association");
	}
	for (;;) {
		long n = next(fd, buf, sizeof buf, &si, &flags);
		if (n < 0) {
			end = errname(errno);
			break;
		}
		if (n == 0) {
			/* A one-to-one socket: end of file once the peer's SHUTDOWN came and the
			 * queue is empty, before or after SHUTDOWN_COMP depending on when the
			 * read comes (on Linux too): both are a graceful end. */
			end = "graceful (SHUTDOWN_COMP or end of file)";
			break;
		}
		if (flags & MSG_NOTIFICATION) {
			const union sctp_notification *u = (const void *)buf;
			if (u->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
				unsigned st = u->sn_assoc_change.sac_state;
				if (st == SCTP_SHUTDOWN_COMP) {
					end = "graceful (SHUTDOWN_COMP or end of file)";
					break;
				}
				line("server.assoc_change", "%s", assoc_state_name(st));
				if (st != SCTP_COMM_UP) {
					end = assoc_state_name(st);
					break;
				}
			} else if (u->sn_header.sn_type == SCTP_SHUTDOWN_EVENT) {
				line("server.shutdown_event", "yes");
			}
			continue;
		}
		{
			char want[4096];
			int i = (int)si.sinfo_ppid - 100;
			if (i < 0 || i >= MSGS || (size_t)n != sizes[i] || !(flags & MSG_EOR) ||
			    si.sinfo_stream != (unsigned)i) {
				bad++;
				continue;
			}
			fill(want, (size_t)n, i);
			if (memcmp(buf, want, (size_t)n) != 0) {
				bad++;
				continue;
			}
			if (sctp_send(fd, buf, (size_t)n, &si, 0) != n)
				bad++;
			else
				echoed++;
		}
	}
	line("server.echoed", "%d messages, %d bad", echoed, bad);
	line("server.end", "%s", end);
	if (fd != l)
		close(fd);
	close(l);
	return 0;
}

static int client(const char *ip, uint16_t port, int one_to_one)
{
	socklen_t alen;
	struct sockaddr_storage a = addr_of(ip, port, &alen);
	int fd = sctp_socket(a.ss_family, one_to_one ? SOCK_STREAM : SOCK_SEQPACKET);
	int got = 0, bad = 0, flags;
	char buf[4096], want[4096];
	struct sctp_sndrcvinfo si;
	sctp_assoc_t id = 0;

	subscribe(fd, 1, 1, 1);
	{
		struct timeval tv = { .tv_sec = 10 };
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	errno = ERRNO_SENTINEL;
	if (sctp_connectx(fd, (struct sockaddr *)&a, 1, &id) < 0) {
		line("client.connect", "failed: %s", errname(errno));
		return 1;
	}
	line("client.connect", "up");
	for (int i = 0; i < MSGS; i++) {
		memset(&si, 0, sizeof si);
		si.sinfo_stream = (uint16_t)i;
		si.sinfo_ppid = (uint32_t)(100 + i);
		si.sinfo_assoc_id = id;
		fill(buf, sizes[i], i);
		if (sctp_send(fd, buf, sizes[i], &si, 0) != (long)sizes[i])
			line("client.send", "message %d failed: %s", i, errname(errno));
	}
	while (got + bad < MSGS) {
		long n = next(fd, buf, sizeof buf, &si, &flags);
		int i;
		if (n <= 0) {
			line("client.echoes", "stopped: %s", n < 0 ? errname(errno) : "end of file");
			break;
		}
		if (flags & MSG_NOTIFICATION)
			continue;
		i = (int)si.sinfo_ppid - 100;
		fill(want, sizes[i < 0 || i >= MSGS ? 0 : i], i);
		if (i < 0 || i >= MSGS || (size_t)n != sizes[i] || si.sinfo_stream != (unsigned)i ||
		    memcmp(buf, want, (size_t)n) != 0)
			bad++;
		else
			got++;
	}
	line("client.echoes", "%d good, %d bad", got, bad);
	memset(&si, 0, sizeof si);
	si.sinfo_flags = SCTP_EOF;
	si.sinfo_assoc_id = id;
	if (one_to_one) {
		shutdown(fd, SHUT_WR);
	} else {
		sctp_send(fd, NULL, 0, &si, 0);
	}
	for (;;) {
		long n = next(fd, buf, sizeof buf, &si, &flags);
		if (n < 0) {
			line("client.end", "%s", errname(errno));
			break;
		}
		if (n == 0) {
			line("client.end", "end of file");
			break;
		}
		if ((flags & MSG_NOTIFICATION) &&
		    ((const union sctp_notification *)buf)->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
			line("client.end", "%s",
			     assoc_state_name(((const union sctp_notification *)buf)
						      ->sn_assoc_change.sac_state));
			break;
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int one;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc != 5 || (strcmp(argv[4], "one_to_one") && strcmp(argv[4], "one_to_many"))) {
		fprintf(stderr, "usage: %s server|client ADDR PORT one_to_one|one_to_many\n", argv[0]);
		return 2;
	}
	one = strcmp(argv[4], "one_to_one") == 0;
	alarm(30);
	if (strcmp(argv[1], "bind") == 0) {
		/* Only the bind: a privileged port needs the caller's CAP_NET_BIND_SERVICE. */
		socklen_t alen;
		struct sockaddr_storage a = addr_of(argv[2], (uint16_t)atoi(argv[3]), &alen);
		int fd = sctp_socket(a.ss_family, one ? SOCK_STREAM : SOCK_SEQPACKET), r;
		errno = ERRNO_SENTINEL;
		r = bind(fd, (struct sockaddr *)&a, alen);
		ret_errno("bind", r, errno);
		close(fd);
		return 0;
	}
	if (strcmp(argv[1], "server") == 0)
		return server(argv[2], (uint16_t)atoi(argv[3]), one);
	return client(argv[2], (uint16_t)atoi(argv[3]), one);
}
