/* sctp_rs demo: a multi-homed server, an association set up implicitly by sctp_sendx, peeled
 * off with sctp_peeloff, a reply with sctp_send, and a graceful shutdown with SCTP_EOF.
 * Run with `make demo` (on the host kernel's SCTP, or in User-Mode Linux when it has none). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in addr4(const char *ip, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

/* Next data message (notifications are reported and skipped), with its sinfo. */
static long receive(int fd, char *buf, size_t len, struct sctp_sndrcvinfo *si, const char *who)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char ctl[CMSG_SPACE(sizeof *si)];
		struct iovec iov = { .iov_base = buf, .iov_len = len - 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof ctl };
		long n;
		if (poll(&p, 1, 5000) != 1) {
			errno = ETIMEDOUT;
			die("waiting for a message");
		}
		if ((n = recvmsg(fd, &m, 0)) < 0)
			die("recvmsg");
		if (m.msg_flags & MSG_NOTIFICATION) {
			union sctp_notification *sn = (union sctp_notification *)buf;
			if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
				int st = sn->sn_assoc_change.sac_state;
				printf("%-8s notification: association %s\n", who,
				       st == SCTP_COMM_UP ? "up" :
				       st == SCTP_SHUTDOWN_COMP ? "shut down (SHUTDOWN_COMP)" :
				       st == SCTP_COMM_LOST ? "lost" : "changed");
				if (st == SCTP_SHUTDOWN_COMP)
					return 0;
			}
			continue;
		}
		memset(si, 0, sizeof *si);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_SNDRCV)
				memcpy(si, CMSG_DATA(c), sizeof *si);
		buf[n] = 0;
		return n;
	}
}

static void subscribe(int fd)
{
	struct sctp_event_subscribe ev = { .sctp_data_io_event = 1, .sctp_association_event = 1 };
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0)
		die("SCTP_EVENTS");
}

int main(void)
{
	struct utsname u;
	struct sockaddr_in a, peers[3];
	socklen_t alen = sizeof a;
	struct sctp_sndrcvinfo si;
	struct sockaddr *paddrs;
	char buf[256];
	uint16_t port;
	int server, client, peeled, n;
	long r;

	uname(&u);
	printf("sctp_rs demo on Linux %s, kernel SCTP\n\n", u.release);

	/* A one-to-many server on three loopback addresses. */
	if ((server = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP)) < 0)
		die("socket(IPPROTO_SCTP) (no kernel SCTP?)");
	a = addr4("127.0.0.1", 0);
	if (bind(server, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(server, (struct sockaddr *)&a, &alen) < 0)
		die("bind");
	port = ntohs(a.sin_port);
	peers[0] = addr4("127.0.0.1", port);
	peers[1] = addr4("127.0.0.2", port);
	peers[2] = addr4("127.0.0.3", port);
	if (sctp_bindx(server, (struct sockaddr *)&peers[1], 2, SCTP_BINDX_ADD_ADDR) < 0)
		die("sctp_bindx");
	if (listen(server, 8) < 0)
		die("listen");
	subscribe(server);
	printf("server   one-to-many socket listening on 127.0.0.1, 127.0.0.2, 127.0.0.3 port %u\n",
	       port);

	/* The client sets the association up implicitly, to all three addresses, with data. */
	if ((client = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP)) < 0)
		die("socket");
	subscribe(client);
	memset(&si, 0, sizeof si);
	si.sinfo_stream = 1;
	si.sinfo_ppid = htonl(42);
	r = sctp_sendx(client, "hello via sctp_sendx", 20, (struct sockaddr *)peers, 3, &si, 0);
	printf("client   sctp_sendx(\"hello via sctp_sendx\", 3 addresses, stream 1, ppid 42) = %ld\n",
	       r);
	if (r < 0)
		die("sctp_sendx");

	r = receive(server, buf, sizeof buf, &si, "server");
	printf("server   received \"%s\" (%ld bytes) on stream %u, ppid %u, association %d\n", buf, r,
	       si.sinfo_stream, ntohl(si.sinfo_ppid), si.sinfo_assoc_id);

	/* Branch that association off into its own socket. */
	peeled = sctp_peeloff_flags(server, si.sinfo_assoc_id, SOCK_CLOEXEC);
	printf("server   sctp_peeloff_flags(server, %d, SOCK_CLOEXEC) = new fd %d\n",
	       si.sinfo_assoc_id, peeled);
	if (peeled < 0)
		die("sctp_peeloff_flags");
	r = sctp_peeloff(server, si.sinfo_assoc_id);
	printf("server   sctp_peeloff(server, %d) again = %ld (%s): the association moved\n",
	       si.sinfo_assoc_id, r, strerror(errno));

	/* Reply on the peeled-off socket; no association id needed there. */
	memset(&si, 0, sizeof si);
	si.sinfo_stream = 2;
	si.sinfo_flags = SCTP_UNORDERED;
	r = sctp_send(peeled, "reply via sctp_send", 19, &si, 0);
	printf("server   sctp_send(peeled fd, \"reply via sctp_send\", stream 2, UNORDERED) = %ld\n", r);
	if (r < 0)
		die("sctp_send");
	r = receive(client, buf, sizeof buf, &si, "client");
	printf("client   received \"%s\" (%ld bytes) on stream %u%s\n", buf, r, si.sinfo_stream,
	       si.sinfo_flags & SCTP_UNORDERED ? ", unordered" : "");

	n = sctp_getpaddrs(client, si.sinfo_assoc_id, &paddrs);
	printf("client   the association has %d peer addresses:", n);
	for (int i = 0; i < n; i++) {
		char ip[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)paddrs)[i].sin_addr, ip, sizeof ip);
		printf(" %s", ip);
	}
	printf("\n");
	if (n > 0)
		sctp_freepaddrs(paddrs);

	/* Graceful shutdown: SCTP_EOF with no data. */
	si.sinfo_flags = SCTP_EOF;
	r = sctp_send(client, NULL, 0, &si, 0);
	printf("client   sctp_send(NULL, 0, SCTP_EOF) = %ld: graceful shutdown\n", r);
	receive(peeled, buf, sizeof buf, &si, "server");

	close(peeled);
	close(client);
	close(server);
	printf("\ndemo: done\n");
	return 0;
}
