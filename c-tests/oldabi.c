/* A binary as old programs are: it imports sctp_connectx@VERS_1 (the three-argument function of
 * lksctp 1.0.7 and before) and sctp_connectx@VERS_2 (1.0.8-1.0.9, the id as return value) beside
 * today's sctp_connectx@@VERS_3. Built only against Debian's libsctp.so.1 and run three ways
 * (as is, LD_PRELOAD=libsctp_rs.so, our libsctp.so.1 in place): each version must bind to the
 * library in use and behave the same. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int connectx_v1(int, struct sockaddr *, int);
int connectx_v2(int, struct sockaddr *, int, sctp_assoc_t *);
__asm__(".symver connectx_v1, sctp_connectx@VERS_1");
__asm__(".symver connectx_v2, sctp_connectx@VERS_2");

static void up(const char *check, int fd, int listener, struct sockaddr_in *to)
{
	sctp_assoc_t first = 0;
	int n = assoc_count(fd, &first);
	line(check, "associations=%d id_matches_peer=%s listener_associations=%d", n,
	     first && first == assoc_to(fd, to, sizeof *to) ? "yes" : "no",
	     assoc_count(listener, NULL));
}

int main(void)
{
	uint16_t port;
	int l = listener_v4(&port), c1 = sctp_socket(AF_INET, SOCK_SEQPACKET),
	    c2 = sctp_socket(AF_INET, SOCK_SEQPACKET), c3 = sctp_socket(AF_INET, SOCK_SEQPACKET), r;
	struct sockaddr_in to = v4("127.0.0.1", port);
	struct packed bad = { .len = 0 };
	sctp_assoc_t id = 0;
	unsigned short unix_family[8] = { AF_UNIX };

	errno = ERRNO_SENTINEL;
	r = connectx_v1(c1, (struct sockaddr *)&to, 1);
	ret_errno("oldabi.vers_1", r, errno);
	up("oldabi.vers_1.up", c1, l, &to);

	errno = ERRNO_SENTINEL;
	r = connectx_v2(c2, (struct sockaddr *)&to, 1, &id);
	ret_errno("oldabi.vers_2", r, errno);
	line("oldabi.vers_2.id", "set=%s equals_return=%s matches_peer=%s", id ? "yes" : "no",
	     id == r ? "yes" : "no", id == assoc_to(c2, &to, sizeof to) ? "yes" : "no");

	id = 0;
	errno = ERRNO_SENTINEL;
	r = sctp_connectx(c3, (struct sockaddr *)&to, 1, &id);
	ret_errno("oldabi.vers_3", r, errno);
	line("oldabi.vers_3.id", "set=%s matches_peer=%s", id ? "yes" : "no",
	     id == assoc_to(c3, &to, sizeof to) ? "yes" : "no");

	packed_add(&bad, unix_family, sizeof unix_family);
	errno = ERRNO_SENTINEL;
	r = connectx_v1(c1, (struct sockaddr *)bad.buf, 1);
	ret_errno("oldabi.vers_1.bad_family", r, errno);
	errno = ERRNO_SENTINEL;
	r = connectx_v2(c2, (struct sockaddr *)bad.buf, 1, &id);
	ret_errno("oldabi.vers_2.bad_family", r, errno);
	errno = ERRNO_SENTINEL;
	r = connectx_v1(-1, (struct sockaddr *)&to, 1);
	ret_errno("oldabi.vers_1.bad_fd", r, errno);
	line("oldabi.listener", "associations=%d", assoc_count(l, NULL));

	/* Non-blocking: the versions differ in what they report. VERS_3 returns -1 EINPROGRESS
	 * with the id already set; VERS_2 and VERS_1 have no id to give then. */
	{
		static const char *const names[] = { "vers_1", "vers_2", "vers_3" };
		char check[64];
		for (int v = 0; v < 3; v++) {
			int s = sctp_socket(AF_INET, SOCK_SEQPACKET);
			fcntl(s, F_SETFL, O_NONBLOCK);
			id = 0;
			errno = ERRNO_SENTINEL;
			r = v == 0 ? connectx_v1(s, (struct sockaddr *)&to, 1) :
			    v == 1 ? connectx_v2(s, (struct sockaddr *)&to, 1, &id) :
				     sctp_connectx(s, (struct sockaddr *)&to, 1, &id);
			snprintf(check, sizeof check, "oldabi.%s.nonblocking", names[v]);
			ret_errno(check, r, errno);
			snprintf(check, sizeof check, "oldabi.%s.nonblocking.id", names[v]);
			line(check, "set=%s", id ? "yes" : "no");
			close(s);
		}
	}

	close(c1);
	close(c2);
	close(c3);
	close(l);
	return 0;
}
