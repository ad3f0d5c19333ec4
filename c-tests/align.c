/* Caller memory at any alignment, and out-pointers that overlap, on the real kernel SCTP stack,
 * built against lksctp and against sctp_rs, outputs compared per line.
 *
 * C lets a program keep a struct at any offset of a char buffer (a packet buffer, a packed
 * record) and pass its address; lksctp memcpys such structs, so they work there. Every pointer
 * argument the library itself reads or writes is passed here at offset 1 of a char buffer:
 * sctp_send's sinfo, sctp_sendv's info (SNDINFO, PRINFO, SPA), sctp_recvmsg's fromlen, sinfo
 * and msg_flags, sctp_recvv's fromlen, info, infolen, infotype and flags, sctp_connectx's id,
 * sctp_getpaddrs's out-pointer, sctp_opt_info's arg and size, sctp_bindx's and
 * sctp_connectx's address arrays. Out-pointers that overlap each other, or memory the kernel
 * writes in the same call, must end as they end with lksctp (which writes them in a fixed
 * order): msg_flags inside *sinfo, `from` over *sinfo, fromlen and msg_flags one int, recvv's
 * infolen and infotype one int.
 *
 * The test never dereferences a misaligned pointer itself (UBSan would stop it): values go in
 * and out of the buffers with memcpy. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int listener, client;
static uint16_t port;
static sctp_assoc_t cid, sid;

/* A buffer whose byte 1 is where the misaligned object lives. */
union odd {
	char b[1 + 256];
	long long align;
};
#define AT1(u) ((void *)((u).b + 1))

static struct sctp_sndrcvinfo sinfo_for(sctp_assoc_t id, uint16_t stream, uint32_t ppid)
{
	struct sctp_sndrcvinfo s;
	memset(&s, 0, sizeof s);
	s.sinfo_assoc_id = id;
	s.sinfo_stream = stream;
	s.sinfo_ppid = htonl(ppid);
	return s;
}

/* What the listener got next: data, stream and ppid, through recv_data (aligned). */
static void peer(const char *check)
{
	char buf[64];
	struct sctp_sndrcvinfo si;
	int fl;
	long n = peer_recv(check, listener, buf, sizeof buf, &si, &fl, 5000);
	if (n >= 0)
		line(check, "peer got %.*s stream=%u ppid=%u", (int)n, buf, si.sinfo_stream,
		     ntohl(si.sinfo_ppid));
}

static void send_sinfo(void)
{
	union odd u;
	struct sctp_sndrcvinfo s = sinfo_for(cid, 3, 31);
	long r;
	memcpy(AT1(u), &s, sizeof s);
	errno = ERRNO_SENTINEL;
	r = sctp_send(client, "odd", 3, AT1(u), 0);
	ret_errno("align.send.sinfo_at_1", r, errno);
	peer("align.send.sinfo_at_1");
}

static void sendv_info(const char *check, void *info, socklen_t len, unsigned type)
{
	struct iovec iov = { .iov_base = "vee", .iov_len = 3 };
	long r;
	errno = ERRNO_SENTINEL;
	r = sctp_sendv(client, &iov, 1, NULL, 0, info, len, type, 0);
	ret_errno(check, r, errno);
	peer(check);
}

static void sendv_infos(void)
{
	union odd u;
	struct sctp_sndinfo snd = { .snd_sid = 4, .snd_ppid = htonl(41), .snd_assoc_id = cid };
	struct sctp_prinfo pr = { .pr_policy = SCTP_PR_SCTP_TTL, .pr_value = 10000 };
	struct sctp_sendv_spa spa;

	memcpy(AT1(u), &snd, sizeof snd);
	sendv_info("align.sendv.sndinfo_at_1", AT1(u), sizeof snd, SCTP_SENDV_SNDINFO);

	memset(&spa, 0, sizeof spa);
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
	spa.sendv_sndinfo = snd;
	spa.sendv_sndinfo.snd_sid = 5;
	spa.sendv_prinfo = pr;
	memcpy(AT1(u), &spa, sizeof spa);
	sendv_info("align.sendv.spa_at_1", AT1(u), sizeof spa, SCTP_SENDV_SPA);
}

/* PRINFO on a one-to-one socket (no id needed), the peer's side read with recv_data. */
static void sendv_prinfo(void)
{
	union odd u;
	struct sctp_prinfo pr = { .pr_policy = SCTP_PR_SCTP_TTL, .pr_value = 10000 };
	struct iovec iov = { .iov_base = "pri", .iov_len = 3 };
	char buf[16];
	struct sctp_sndrcvinfo si;
	int c, a, fl, l = one_to_one_pair(&c, &a);
	long r;
	memcpy(AT1(u), &pr, sizeof pr);
	errno = ERRNO_SENTINEL;
	r = sctp_sendv(c, &iov, 1, NULL, 0, AT1(u), sizeof pr, SCTP_SENDV_PRINFO, 0);
	ret_errno("align.sendv.prinfo_at_1", r, errno);
	r = peer_recv("align.sendv.prinfo_at_1", a, buf, sizeof buf, &si, &fl, 5000);
	if (r >= 0)
		line("align.sendv.prinfo_at_1", "peer got %.*s", (int)r, buf);
	close(c);
	close(a);
	close(l);
}

/* sctp_recvmsg with fromlen, sinfo and msg_flags each at offset 1 of its own buffer. */
static void recvmsg_at1(void)
{
	union odd uf, us, ul;
	struct sockaddr_in from;
	struct sctp_sndrcvinfo si;
	socklen_t fl = sizeof from;
	int flags = 0;
	char buf[16];
	long r;

	sctp_send(client, "rcv", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 6, .sinfo_ppid = htonl(61) }, 0);
	memset(&us, 0x5a, sizeof us);
	memcpy(AT1(ul), &fl, sizeof fl);
	memcpy(AT1(uf), &flags, sizeof flags);
	/* data_io is on: the message comes with its SCTP_SNDRCV. */
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(listener, buf, sizeof buf, (struct sockaddr *)&from, AT1(ul), AT1(us),
			 AT1(uf));
	memcpy(&flags, AT1(uf), sizeof flags);
	ret_errno("align.recvmsg.all_at_1", r, errno);
	if (r < 0)
		return;
	{
		socklen_t got_len;
		memcpy(&got_len, AT1(ul), sizeof got_len);
		memcpy(&si, AT1(us), sizeof si);
		line("align.recvmsg.all_at_1", "data=%.*s fromlen=%u from=%s msg_flags=%s stream=%u "
		     "ppid=%u assoc=%s", (int)r, buf, (unsigned)got_len,
		     inet_ntoa(from.sin_addr), msg_flags_name(flags), si.sinfo_stream,
		     ntohl(si.sinfo_ppid), si.sinfo_assoc_id == sid ? "same" : "differs");
	}
}

/* Overlaps: msg_flags inside *sinfo (sinfo is written last: it wins); `from` over *sinfo (the
 * kernel writes from, then the library sinfo); fromlen and msg_flags one int. */
static void recvmsg_overlaps(void)
{
	struct sctp_sndrcvinfo si;
	struct sockaddr_in from;
	char buf[16];
	int *inner = (int *)&si.sinfo_context;
	union {
		socklen_t l;
		int f;
	} both;
	long r;
	socklen_t fl;

	sctp_send(client, "ov1", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 7, .sinfo_ppid = htonl(71) }, 0);
	memset(&si, 0x5a, sizeof si);
	*inner = 0;
	fl = sizeof from;
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(listener, buf, sizeof buf, (struct sockaddr *)&from, &fl, &si, inner);
	ret_errno("align.recvmsg.msg_flags_inside_sinfo", r, errno);
	if (r >= 0)
		line("align.recvmsg.msg_flags_inside_sinfo", "data=%.*s stream=%u ppid=%u "
		     "context=%u (sinfo written after msg_flags)", (int)r, buf, si.sinfo_stream,
		     ntohl(si.sinfo_ppid), si.sinfo_context);

	sctp_send(client, "ov2", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 8, .sinfo_ppid = htonl(81) }, 0);
	memset(&si, 0x5a, sizeof si);
	fl = sizeof si;
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(listener, buf, sizeof buf, (struct sockaddr *)&si, &fl, &si, NULL);
	ret_errno("align.recvmsg.from_over_sinfo", r, errno);
	if (r >= 0)
		line("align.recvmsg.from_over_sinfo", "data=%.*s stream=%u ppid=%u assoc=%s "
		     "fromlen=%u", (int)r, buf, si.sinfo_stream, ntohl(si.sinfo_ppid),
		     si.sinfo_assoc_id == sid ? "same" : "differs", (unsigned)fl);

	sctp_send(client, "ov3", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 9, .sinfo_ppid = htonl(91) }, 0);
	/* In: room for no address and recvmsg flags 0. Out: the peer's address length, then
	 * msg_flags over it. */
	both.l = 0;
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(listener, buf, sizeof buf, NULL, &both.l, &si, &both.f);
	ret_errno("align.recvmsg.fromlen_is_msg_flags", r, errno);
	if (r >= 0)
		line("align.recvmsg.fromlen_is_msg_flags", "data=%.*s int=%s (msg_flags written "
		     "after fromlen)", (int)r, buf, msg_flags_name(both.f));
}

/* sctp_recvv with every pointer at offset 1, RCVINFO on. */
static void recvv_at1(void)
{
	union odd ufl, ui, uil, uit, uf;
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from, infolen = sizeof(struct sctp_rcvinfo), gl;
	unsigned type;
	int flags = 0, on = 1;
	struct sctp_rcvinfo rcv;
	char buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	long r;

	/* RCVINFO only (data_io's SCTP_SNDRCV beside it would not fit lksctp's buffer). */
	subscribe(listener, 0, 1, 0);
	setsockopt(listener, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	sctp_send(client, "rvv", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 2, .sinfo_ppid = htonl(21) }, 0);
	memcpy(AT1(ufl), &fromlen, sizeof fromlen);
	memcpy(AT1(uil), &infolen, sizeof infolen);
	memcpy(AT1(uf), &flags, sizeof flags);
	memset(&uit, 0x5a, sizeof uit);
	memset(&ui, 0x5a, sizeof ui);
	errno = ERRNO_SENTINEL;
	r = sctp_recvv(listener, &iov, 1, (struct sockaddr *)&from, AT1(ufl), AT1(ui), AT1(uil),
		       AT1(uit), AT1(uf));
	ret_errno("align.recvv.all_at_1", r, errno);
	if (r >= 0) {
		memcpy(&gl, AT1(ufl), sizeof gl);
		memcpy(&infolen, AT1(uil), sizeof infolen);
		memcpy(&type, AT1(uit), sizeof type);
		memcpy(&flags, AT1(uf), sizeof flags);
		memcpy(&rcv, AT1(ui), sizeof rcv);
		line("align.recvv.all_at_1", "data=%.*s fromlen=%u infotype=%u infolen=%u "
		     "flags=%s sid=%u ppid=%u assoc=%s", (int)r, buf, (unsigned)gl, type,
		     (unsigned)infolen, msg_flags_name(flags), rcv.rcv_sid, ntohl(rcv.rcv_ppid),
		     rcv.rcv_assoc_id == sid ? "same" : "differs");
	}

	/* infolen and infotype one int: *infotype = NOINFO is written before *infolen is read,
	 * so no room is left and nothing is stored. */
	sctp_send(client, "rv2", 3, &(struct sctp_sndrcvinfo){ .sinfo_assoc_id = cid,
			  .sinfo_stream = 2, .sinfo_ppid = htonl(22) }, 0);
	{
		union {
			socklen_t l;
			unsigned t;
		} lt = { .l = sizeof rcv };
		memset(&rcv, 0x5a, sizeof rcv);
		flags = 0;
		errno = ERRNO_SENTINEL;
		r = sctp_recvv(listener, &iov, 1, NULL, NULL, &rcv, &lt.l, &lt.t, &flags);
		ret_errno("align.recvv.infolen_is_infotype", r, errno);
		if (r >= 0)
			line("align.recvv.infolen_is_infotype", "data=%.*s int=%u info untouched=%s",
			     (int)r, buf, lt.t, rcv.rcv_sid == 0x5a5a ? "yes" : "no");
	}
	on = 0;
	setsockopt(listener, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	subscribe(listener, 1, 1, 0);
}

static void connectx_getpaddrs_optinfo(void)
{
	union odd uid, uout, uarg, usz, ua;
	struct sockaddr_in srv = v4("127.0.0.1", port);
	struct sockaddr *addrs;
	struct sctp_status st;
	sctp_assoc_t id;
	socklen_t size = sizeof st;
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET), r, n;

	memcpy(AT1(ua), &srv, sizeof srv);
	memset(&uid, 0x5a, sizeof uid);
	errno = ERRNO_SENTINEL;
	r = sctp_connectx(c, AT1(ua), 1, AT1(uid));
	ret_errno("align.connectx.addrs_and_id_at_1", r, errno);
	memcpy(&id, AT1(uid), sizeof id);
	line("align.connectx.addrs_and_id_at_1", "id=%s", id == assoc_to(c, &srv, sizeof srv)
	     && id != 0 ? "the association's" : "wrong");

	errno = ERRNO_SENTINEL;
	n = sctp_getpaddrs(c, id, AT1(uout));
	ret_errno("align.getpaddrs.out_at_1", n, errno);
	if (n > 0) {
		struct sockaddr_in a;
		memcpy(&addrs, AT1(uout), sizeof addrs);
		memcpy(&a, addrs, sizeof a);
		line("align.getpaddrs.out_at_1", "n=%d first=%s port=%s", n, inet_ntoa(a.sin_addr),
		     ntohs(a.sin_port) == port ? "listener's" : "other");
		sctp_freepaddrs(addrs);
	}

	memset(&uarg, 0, sizeof uarg);
	memcpy(AT1(usz), &size, sizeof size);
	errno = ERRNO_SENTINEL;
	r = sctp_opt_info(c, id, SCTP_STATUS, AT1(uarg), AT1(usz));
	ret_errno("align.opt_info.arg_and_size_at_1", r, errno);
	if (r == 0) {
		memcpy(&st, AT1(uarg), sizeof st);
		memcpy(&size, AT1(usz), sizeof size);
		line("align.opt_info.arg_and_size_at_1", "size=%u assoc=%s state=%s instrms=%u",
		     (unsigned)size, st.sstat_assoc_id == id ? "same" : "differs",
		     st.sstat_state == SCTP_ESTABLISHED ? "ESTABLISHED" : "other",
		     st.sstat_instrms);
	}
	close(c);
}

static void bindx_at1(void)
{
	union odd u;
	int s = sctp_socket(AF_INET, SOCK_SEQPACKET), r;
	struct sockaddr_in a = v4("127.0.0.1", 0), b;
	struct sockaddr *l = NULL;
	bind_or_die(s, &a, sizeof a);
	b = v4("127.0.0.2", local_port(s));
	memcpy(AT1(u), &b, sizeof b);
	errno = ERRNO_SENTINEL;
	r = sctp_bindx(s, AT1(u), 1, SCTP_BINDX_ADD_ADDR);
	ret_errno("align.bindx.addrs_at_1", r, errno);
	line("align.bindx.addrs_at_1", "local addresses=%d", sctp_getladdrs(s, 0, &l));
	sctp_freeladdrs(l);
	close(s);
}

int main(void)
{
	listener = listener_v4(&port);
	client = assoc_client(listener, port, &cid, &sid);
	/* The COMM_UP notification first, so that the checks read data. */
	if (strcmp(wait_assoc_change(listener, 5000, NULL), "COMM_UP") != 0)
		line("align.setup", "no COMM_UP");
	send_sinfo();
	sendv_infos();
	sendv_prinfo();
	recvmsg_at1();
	recvmsg_overlaps();
	recvv_at1();
	connectx_getpaddrs_optinfo();
	bindx_at1();
	close(client);
	close(listener);
	line("end", "done");
	return 0;
}
