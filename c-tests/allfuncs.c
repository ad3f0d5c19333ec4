/* One program that uses every function of lksctp's API, written for lksctp's <netinet/sctp.h>:
 * it must compile unchanged against include/ and run the same linked against lksctp, against
 * libsctp_rs.so and statically against libsctp_rs.a. A short life of an association: bindx,
 * connectx, getpaddrs/getladdrs, opt_info, sendmsg/recvmsg, sendv/recvv, peeloff(_flags),
 * send, getaddrlen and the two free functions. */
#define _GNU_SOURCE
#include "common.h"

#include <string.h>
#include <unistd.h>

int main(void)
{
	uint16_t port;
	int l = listener_v4(&port), c = sctp_socket(AF_INET, SOCK_SEQPACKET), p, on = 1, n, fl;
	struct sockaddr_in more[2] = { v4("127.0.0.2", port), v4("127.0.0.3", port) };
	struct sockaddr_in to[3] = { v4("127.0.0.1", port), v4("127.0.0.2", port),
				     v4("127.0.0.3", port) };
	struct sockaddr *addrs;
	struct sctp_status st;
	struct sctp_sndrcvinfo si;
	struct sctp_sndinfo snd;
	struct sctp_rcvinfo rcv;
	struct iovec iov[2];
	sctp_assoc_t id = 0, sid;
	socklen_t len;
	unsigned int infotype;
	char buf[64];

	line("bindx", "ret=%d", sctp_bindx(l, (struct sockaddr *)more, 2, SCTP_BINDX_ADD_ADDR));
	line("getaddrlen", "inet=%d inet6=%d", sctp_getaddrlen(AF_INET), sctp_getaddrlen(AF_INET6));
	n = sctp_connectx(c, (struct sockaddr *)to, 3, &id);
	line("connectx", "ret=%d id set=%s", n, id ? "yes" : "no");
	n = sctp_getpaddrs(c, id, &addrs);
	line("getpaddrs", "count=%d", n);
	sctp_freepaddrs(addrs);
	n = sctp_getladdrs(l, 0, &addrs);
	line("getladdrs", "count=%d", n);
	sctp_freeladdrs(addrs);
	len = sizeof st;
	memset(&st, 0, sizeof st);
	n = sctp_opt_info(c, id, SCTP_STATUS, &st, &len);
	line("opt_info", "ret=%d state_established=%s", n,
	     st.sstat_state == SCTP_ESTABLISHED ? "yes" : "no");

	n = sctp_sendmsg(c, "one", 3, (struct sockaddr *)&to[0], sizeof to[0], 7, 0, 1, 0, 0);
	line("sendmsg", "ret=%d", n);
	fl = 0;
	n = sctp_recvmsg(l, buf, sizeof buf, NULL, NULL, &si, &fl);
	while (n > 0 && (fl & MSG_NOTIFICATION)) {
		fl = 0;
		n = sctp_recvmsg(l, buf, sizeof buf, NULL, NULL, &si, &fl);
	}
	line("recvmsg", "ret=%d data=%.*s ppid=%u stream=%u", n, n > 0 ? n : 0, buf, si.sinfo_ppid,
	     si.sinfo_stream);
	sid = si.sinfo_assoc_id;

	setsockopt(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	memset(&snd, 0, sizeof snd);
	snd.snd_sid = 2;
	snd.snd_ppid = 9;
	snd.snd_assoc_id = id;
	iov[0].iov_base = "tw";
	iov[0].iov_len = 2;
	iov[1].iov_base = "o";
	iov[1].iov_len = 1;
	n = sctp_sendv(c, iov, 2, NULL, 0, &snd, sizeof snd, SCTP_SENDV_SNDINFO, 0);
	line("sendv", "ret=%d", n);
	iov[0].iov_base = buf;
	iov[0].iov_len = sizeof buf;
	do {
		len = sizeof rcv;
		fl = 0;
		n = sctp_recvv(l, iov, 1, NULL, NULL, &rcv, &len, &infotype, &fl);
	} while (n > 0 && (fl & MSG_NOTIFICATION));
	line("recvv", "ret=%d data=%.*s infotype=%u sid=%u ppid=%u", n, n > 0 ? n : 0, buf,
	     infotype, rcv.rcv_sid, rcv.rcv_ppid);

	if (PEELOFF_FLAGS_BOUND) {
		p = sctp_peeloff_flags(l, sid, SOCK_CLOEXEC);
		line("peeloff_flags", "new fd=%s", p >= 0 ? "yes" : "no");
	} else {
		/* Three-way run as is: peel off without flags, so that what follows is the same. */
		p = sctp_peeloff(l, sid);
		line("peeloff_flags", "sctp_peeloff_flags not bound");
	}
	n = sctp_peeloff(l, sid);
	line("peeloff", "ret=%d errno=%s", n, errname(errno));
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id;
	si.sinfo_flags = SCTP_EOF;
	line("send", "ret=%ld", (long)sctp_send(c, NULL, 0, &si, MSG_NOSIGNAL));
	line("send", "peer saw %s", wait_assoc_change(p, 5000, NULL));
	close(p);
	close(c);
	close(l);
	line("end", "done");
	return 0;
}
