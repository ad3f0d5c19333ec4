/* The bad-input matrix: every function lksctp and sctp_rs both export, called with every bad
 * input a caller can pass, on the real kernel SCTP stack, one row per call (see badinput.h for
 * the row format and how every row stays bounded in time). Built against both libraries and
 * compared line by line; the rows where lksctp prints something else are divergence rows.
 *
 * Inputs: descriptors (-1, closed, a regular file, a pipe, an epoll fd, TCP/UDP sockets of
 * both families, a unix socket, a connected one-to-one SCTP socket where a one-to-many one is
 * meant, a listening one-to-one socket); association ids (0 = SCTP_FUTURE_ASSOC, negative,
 * unknown, another socket's, SCTP_CURRENT_ASSOC, SCTP_ALL_ASSOC); NULL for every pointer;
 * address counts 0, -1, INT_MIN and INT_MAX (with a bad second address, so that a library that
 * walks the array must stop there), unknown families, IPv4-mapped IPv6 addresses; lengths 0
 * and SIZE_MAX; iovec counts 0, -1 and IOV_MAX + 1; short and long infolen, unknown infotype;
 * unknown flag bits. sctp_sendx rows are in badinput_sendx.c (lksctp has no sctp_sendx).
 *
 * Calls that crash lksctp (the NULL pointers it dereferences, the SPA stack overflow of its
 * sctp_sendv) run in a child (in_child): there lksctp's row is "child killed by SIG...". */
#define _GNU_SOURCE
#include "badinput.h"

#include <poll.h>

/* ---------------------------------------------------------------- sctp_bindx */

static void bindx_null_cnt1(void *arg)
{
	int s = *(int *)arg;
	CALL(sctp_bindx(s, NULL, 1, SCTP_BINDX_ADD_ADDR));
	row("bindx.addrs.null_addrcnt_1", NULL);
}

static void bindx_on_fresh(const char *check, int family, struct packed *p, int cnt, int flags)
{
	int s = fresh(family, SOCK_SEQPACKET);
	CALL(sctp_bindx(s, ADDRS(*p), cnt, flags));
	row(check, NULL);
	close(s);
}

static void t_bindx(void)
{
	struct packed any = one_v4("127.0.0.1", 0), vb = valid_then_bad(0);
	struct packed unx = bad_family(AF_UNIX), uns = bad_family(AF_UNSPEC), m = v4mapped(0);
	int s;

	bindx_on_fresh("bindx.ok", AF_INET, &any, 1, SCTP_BINDX_ADD_ADDR);
	for (int i = 0; i < n_badfds; i++) {
		CALL(sctp_bindx(badfds[i].fd, ADDRS(any), 1, SCTP_BINDX_ADD_ADDR));
		row(name3("bindx", "fd", badfds[i].name), NULL);
	}
	s = fresh(AF_INET, SOCK_SEQPACKET);
	in_child("bindx.addrs.null_addrcnt_1", bindx_null_cnt1, &s);
	CALL(sctp_bindx(s, NULL, 0, SCTP_BINDX_ADD_ADDR));
	row("bindx.addrs.null_addrcnt_0", NULL);
	close(s);
	bindx_on_fresh("bindx.addrcnt.0", AF_INET, &any, 0, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.addrcnt.minus1", AF_INET, &any, -1, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.addrcnt.int_min", AF_INET, &any, INT_MIN, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.addrcnt.int_max_bad_second", AF_INET, &vb, INT_MAX,
		       SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.family.unix", AF_INET, &unx, 1, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.family.unspec", AF_INET, &uns, 1, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.v4mapped.inet6_socket", AF_INET6, &m, 1, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.v4mapped.inet_socket", AF_INET, &m, 1, SCTP_BINDX_ADD_ADDR);
	bindx_on_fresh("bindx.flags.0", AF_INET, &any, 1, 0);
	bindx_on_fresh("bindx.flags.add_and_rem", AF_INET, &any, 1,
		       SCTP_BINDX_ADD_ADDR | SCTP_BINDX_REM_ADDR);
	bindx_on_fresh("bindx.flags.unknown_bit", AF_INET, &any, 1, SCTP_BINDX_ADD_ADDR | 0x100);
	bindx_on_fresh("bindx.flags.minus1", AF_INET, &any, 1, -1);
}

/* ---------------------------------------------------------------- sctp_connectx */

#define ID_PRESET ((sctp_assoc_t)-7)

static const char *id_state(sctp_assoc_t id)
{
	return id == ID_PRESET ? "untouched" : id == 0 ? "zero" : "set";
}

static void connectx_row(const char *check, int s, struct sockaddr *addrs, int cnt)
{
	sctp_assoc_t id = ID_PRESET;
	CALL(sctp_connectx(s, addrs, cnt, &id));
	row(check, "id=%s", id_state(id));
}

static void connectx_fresh(const char *check, int family, struct sockaddr *addrs, int cnt)
{
	int s = fresh(family, SOCK_SEQPACKET);
	connectx_row(check, s, addrs, cnt);
	close(s);
}

static void connectx_null_cnt1(void *arg)
{
	connectx_row("connectx.addrs.null_addrcnt_1", *(int *)arg, NULL, 1);
}

static void t_connectx(void)
{
	struct packed vb = valid_then_bad(port), unx = bad_family(AF_UNIX);
	struct packed uns = bad_family(AF_UNSPEC), m = v4mapped(port);
	int s;

	connectx_fresh("connectx.ok", AF_INET, ADDRS(lpack), 1);
	for (int i = 0; i < n_badfds; i++)
		connectx_row(name3("connectx", "fd", badfds[i].name), badfds[i].fd, ADDRS(lpack), 1);
	s = fresh(AF_INET, SOCK_SEQPACKET);
	CALL(sctp_connectx(s, ADDRS(lpack), 1, NULL));
	row("connectx.id.null", NULL);
	close(s);
	s = fresh(AF_INET, SOCK_SEQPACKET);
	in_child("connectx.addrs.null_addrcnt_1", connectx_null_cnt1, &s);
	connectx_row("connectx.addrs.null_addrcnt_0", s, NULL, 0);
	close(s);
	connectx_fresh("connectx.addrcnt.0", AF_INET, ADDRS(lpack), 0);
	connectx_fresh("connectx.addrcnt.minus1", AF_INET, ADDRS(lpack), -1);
	connectx_fresh("connectx.addrcnt.int_min", AF_INET, ADDRS(lpack), INT_MIN);
	connectx_fresh("connectx.addrcnt.int_max_bad_second", AF_INET, ADDRS(vb), INT_MAX);
	connectx_fresh("connectx.family.unix", AF_INET, ADDRS(unx), 1);
	connectx_fresh("connectx.family.unspec", AF_INET, ADDRS(uns), 1);
	connectx_fresh("connectx.v4mapped.inet6_socket", AF_INET6, ADDRS(m), 1);
	connectx_fresh("connectx.v4mapped.inet_socket", AF_INET, ADDRS(m), 1);
}

/* ---------------------------------------------------------------- sctp_getpaddrs/getladdrs */

typedef int (*getaddrs_fn)(int, sctp_assoc_t, struct sockaddr **);
static char marker; /* *addrs is preset to &marker: "untouched" */

static void getaddrs_row(const char *check, getaddrs_fn fn, int s, sctp_assoc_t id)
{
	struct sockaddr *addrs = (struct sockaddr *)&marker;
	CALL(fn(s, id, &addrs));
	row(check, "addrs=%s", addrs == (struct sockaddr *)&marker ? "untouched"
			       : addrs == NULL ? "null" : "set");
	if (addrs != (struct sockaddr *)&marker && addrs)
		free(addrs);
}

struct getaddrs_null {
	const char *check;
	getaddrs_fn fn;
	int s;
	sctp_assoc_t id;
};

static void getaddrs_null_child(void *arg)
{
	struct getaddrs_null *a = arg;
	CALL(a->fn(a->s, a->id, NULL));
	row(a->check, NULL);
}

static void t_getaddrs(const char *fn_name, getaddrs_fn fn)
{
	struct idcase ids[N_IDS];
	char check[128];
	struct getaddrs_null n = { NULL, fn, C, cid };
	int s;

	snprintf(check, sizeof check, "%s.ok", fn_name);
	getaddrs_row(check, fn, C, cid);
	for (int i = 0; i < n_badfds; i++)
		getaddrs_row(name3(fn_name, "fd", badfds[i].name), fn, badfds[i].fd, cid);
	bad_ids(ids, sid);
	for (int i = 0; i < N_IDS; i++)
		getaddrs_row(name3(fn_name, "id", ids[i].name), fn, C, ids[i].id);
	/* A socket with no address yet: for getladdrs a success with no address, and *addrs set
	 * (to a block the caller must free) all the same. */
	s = fresh(AF_INET, SOCK_SEQPACKET);
	snprintf(check, sizeof check, "%s.unbound_socket_id_0", fn_name);
	getaddrs_row(check, fn, s, 0);
	close(s);
	/* lksctp writes *addrs after a successful getsockopt: a crash on a good descriptor. */
	snprintf(check, sizeof check, "%s.addrs.null", fn_name);
	n.check = check;
	in_child(check, getaddrs_null_child, &n);
	/* On a bad descriptor lksctp fails before it writes. */
	snprintf(check, sizeof check, "%s.addrs.null_fd_minus1", fn_name);
	CALL(fn(-1, cid, NULL));
	row(check, NULL);
}

static void t_free(void)
{
	CALL(sctp_freepaddrs(NULL));
	row("freepaddrs.null", NULL);
	CALL(sctp_freeladdrs(NULL));
	row("freeladdrs.null", NULL);
}

static void t_getaddrlen(void)
{
	static const struct { const char *name; sa_family_t f; } fams[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "unspec", AF_UNSPEC },
		{ "unix", AF_UNIX }, { "packet", AF_PACKET }, { "ffff", 0xffff },
	};
	for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
		CALL(sctp_getaddrlen(fams[i].f));
		row(name3("getaddrlen", "family", fams[i].name), "value=%ld", R);
	}
}

/* ---------------------------------------------------------------- sctp_opt_info */

static void optinfo_row(const char *check, int s, sctp_assoc_t id, int opt, void *arg,
			socklen_t *size)
{
	CALL(sctp_opt_info(s, id, opt, arg, size));
	if (size && R == 0)
		row(check, "size=%u", *size);
	else
		row(check, NULL);
}

static void optinfo_null_arg(void *a)
{
	socklen_t len = sizeof(struct sctp_rtoinfo);
	(void)a;
	optinfo_row("opt_info.arg.null", C, cid, SCTP_RTOINFO, NULL, &len);
}

static void optinfo_null_both(void *a)
{
	(void)a;
	optinfo_row("opt_info.arg_and_size.null", C, cid, SCTP_RTOINFO, NULL, NULL);
}

/* Rows that hand the kernel a bad pointer on purpose, to see its answer: each in a function of
 * its own that c-tests/valgrind.supp names (see DELIBERATE in common.h). */
static DELIBERATE void deliberate_optinfo_size_null(void *arg)
{
	optinfo_row("opt_info.size.null", C, cid, SCTP_RTOINFO, arg, NULL);
}

/* *size 0xffffffff: the kernel checks the buffer only for the length it uses. */
static DELIBERATE void deliberate_optinfo_size_max(void *arg, socklen_t *len)
{
	optinfo_row("opt_info.size.max", C, cid, SCTP_RTOINFO, arg, len);
}

static void t_optinfo(void)
{
	union {
		struct sctp_rtoinfo rto;
		char big[256];
	} u;
	socklen_t len;
	struct idcase ids[N_IDS];

#define RTO(check, s, id) (len = sizeof u.rto, optinfo_row(check, s, id, SCTP_RTOINFO, &u, &len))
	RTO("opt_info.ok", C, cid);
	for (int i = 0; i < n_badfds; i++)
		RTO(name3("opt_info", "fd", badfds[i].name), badfds[i].fd, cid);
	bad_ids(ids, sid);
	for (int i = 0; i < N_IDS; i++)
		RTO(name3("opt_info", "id", ids[i].name), C, ids[i].id);
#undef RTO
	in_child("opt_info.arg.null", optinfo_null_arg, NULL);
	len = sizeof u.rto;
	optinfo_row("opt_info.arg.null_unknown_opt", C, cid, 9999, NULL, &len);
	deliberate_optinfo_size_null(&u);
	in_child("opt_info.arg_and_size.null", optinfo_null_both, NULL);
	len = 0;
	optinfo_row("opt_info.size.0", C, cid, SCTP_RTOINFO, &u, &len);
	len = (socklen_t)-1;
	deliberate_optinfo_size_max(&u, &len);
	len = sizeof u.big;
	optinfo_row("opt_info.size.long", C, cid, SCTP_RTOINFO, &u, &len);
	len = sizeof u.big;
	optinfo_row("opt_info.opt.unknown", C, cid, 9999, &u, &len);
	len = sizeof u.big;
	optinfo_row("opt_info.opt.minus1", C, cid, -1, &u, &len);
}

/* ---------------------------------------------------------------- sctp_peeloff(_flags) */

static void peeloff_row(const char *check, int use_flags, int s, sctp_assoc_t id, unsigned flags)
{
	if (use_flags && !PEELOFF_FLAGS_BOUND) {
		line(check, "sctp_peeloff_flags not bound");
		return;
	}
	CALL(use_flags ? sctp_peeloff_flags(s, id, flags) : sctp_peeloff(s, id));
	row(check, NULL);
	if (R >= 0)
		close((int)R);
}

static void t_peeloff(const char *fn, int use_flags)
{
	struct idcase ids[N_IDS];
	sctp_assoc_t ok;
	unsigned fl = use_flags ? SOCK_CLOEXEC : 0;
	int c = assoc_client(L, port, NULL, &ok); /* an association to peel off */

	char check[64];

	snprintf(check, sizeof check, "%s.ok", fn);
	peeloff_row(check, use_flags, L, ok, fl);
	close(c);
	for (int i = 0; i < n_badfds; i++)
		peeloff_row(name3(fn, "fd", badfds[i].name), use_flags, badfds[i].fd, sid, fl);
	bad_ids(ids, cid);
	for (int i = 0; i < N_IDS; i++)
		peeloff_row(name3(fn, "id", ids[i].name), use_flags, L, ids[i].id, fl);
	if (!use_flags)
		return;
	peeloff_row("peeloff_flags.flags.unknown_bit_fd_minus1", 1, -1, sid, 0x1);
	peeloff_row("peeloff_flags.flags.unknown_bit_unknown_id", 1, L, 0x7ffffff0, 0x1);
	peeloff_row("peeloff_flags.flags.high_bit_unknown_id", 1, L, 0x7ffffff0, 0x80000000u);
	/* With an id that exists lksctp peels the association off (the kernel ignores the bit). */
	c = assoc_client(L, port, NULL, &ok);
	peeloff_row("peeloff_flags.flags.unknown_bit_valid_id", 1, L, ok, 0x1 | SOCK_CLOEXEC);
	close(c);
}

/* ---------------------------------------------------------------- sctp_send */

static struct sctp_sndrcvinfo sinfo_for(sctp_assoc_t id)
{
	struct sctp_sndrcvinfo si;
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id;
	return si;
}

static void send_row(const char *check, int s, const void *msg, size_t len,
		     const struct sctp_sndrcvinfo *si, int flags)
{
	CALL(sctp_send(s, msg, len, si, flags));
	row(check, NULL);
}

static DELIBERATE void deliberate_send_null_msg(const struct sctp_sndrcvinfo *si)
{
	send_row("send.msg.null_len_1", C, NULL, 1, si, MSG_NOSIGNAL);
}

static void t_send(void)
{
	struct sctp_sndrcvinfo si = sinfo_for(cid);
	struct idcase ids[N_IDS];
	int nosig = MSG_NOSIGNAL;

	send_row("send.ok", C, "x", 1, &si, nosig);
	for (int i = 0; i < n_badfds; i++)
		send_row(name3("send", "fd", badfds[i].name), badfds[i].fd, "x", 1, &si, nosig);
	bad_ids(ids, cid2);
	for (int i = 0; i < N_IDS; i++) {
		struct sctp_sndrcvinfo b = sinfo_for(ids[i].id);
		send_row(name3("send", "id", ids[i].name), C, "x", 1, &b, nosig);
	}
	deliberate_send_null_msg(&si);
	send_row("send.msg.null_len_0", C, NULL, 0, &si, nosig);
	send_row("send.sinfo.null_one_to_many", C, "x", 1, NULL, nosig);
	send_row("send.sinfo.null_one_to_one", oc, "x", 1, NULL, nosig);
	send_row("send.len.0", C, "x", 0, &si, nosig);
	send_row("send.len.size_max", C, "x", SIZE_MAX, &si, nosig);
	send_row("send.flags.unknown_bit", C, "x", 1, &si, nosig | 0x400000);
	si.sinfo_flags = 0x1000;
	send_row("send.sinfo_flags.unknown_bit", C, "x", 1, &si, nosig);
	si.sinfo_flags = 0;
	si.sinfo_stream = 999;
	send_row("send.sinfo_stream.out_of_range", C, "x", 1, &si, nosig);
}

/* ---------------------------------------------------------------- sctp_sendmsg */

static void sendmsg_row(const char *check, int s, const void *msg, size_t len, const void *to,
			socklen_t tolen, uint32_t flags, uint16_t stream)
{
	CALL(sctp_sendmsg(s, msg, len, (struct sockaddr *)to, tolen, 0, flags, stream, 0, 0));
	row(check, NULL);
}

static DELIBERATE void deliberate_sendmsg_null_msg(void)
{
	sendmsg_row("sendmsg.msg.null_len_1", C, NULL, 1, &laddr, sizeof laddr, 0, 0);
}

static void t_sendmsg(void)
{
	struct packed unx = bad_family(AF_UNIX), m = v4mapped(port);
	int s;

	sendmsg_row("sendmsg.ok", C, "x", 1, &laddr, sizeof laddr, 0, 0);
	for (int i = 0; i < n_badfds; i++)
		sendmsg_row(name3("sendmsg", "fd", badfds[i].name), badfds[i].fd, "x", 1, &laddr,
			    sizeof laddr, 0, 0);
	deliberate_sendmsg_null_msg();
	sendmsg_row("sendmsg.to.null_one_to_many", C, "x", 1, NULL, 0, 0, 0);
	sendmsg_row("sendmsg.to.null_one_to_one", oc, "x", 1, NULL, 0, 0, 0);
	sendmsg_row("sendmsg.to.null_tolen_16", C, "x", 1, NULL, sizeof laddr, 0, 0);
	sendmsg_row("sendmsg.tolen.0", C, "x", 1, &laddr, 0, 0, 0);
	sendmsg_row("sendmsg.tolen.short", C, "x", 1, &laddr, 8, 0, 0);
	sendmsg_row("sendmsg.tolen.huge", C, "x", 1, &laddr, 1000, 0, 0);
	sendmsg_row("sendmsg.to.family_unix", C, "x", 1, unx.buf, (socklen_t)unx.len, 0, 0);
	s = fresh(AF_INET6, SOCK_SEQPACKET);
	sendmsg_row("sendmsg.v4mapped.inet6_socket", s, "x", 1, m.buf, (socklen_t)m.len, 0, 0);
	close(s);
	s = fresh(AF_INET, SOCK_SEQPACKET);
	sendmsg_row("sendmsg.v4mapped.inet_socket", s, "x", 1, m.buf, (socklen_t)m.len, 0, 0);
	close(s);
	sendmsg_row("sendmsg.len.0", C, "x", 0, &laddr, sizeof laddr, 0, 0);
	sendmsg_row("sendmsg.len.size_max", C, "x", SIZE_MAX, &laddr, sizeof laddr, 0, 0);
	sendmsg_row("sendmsg.flags.unknown_bit", C, "x", 1, &laddr, sizeof laddr, 0x1000, 0);
	sendmsg_row("sendmsg.stream.out_of_range", C, "x", 1, &laddr, sizeof laddr, 0, 999);
}

/* ---------------------------------------------------------------- receivers */

/* Waits until `fd` has something to read (the rows that need a queued message). */
static void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1) {
		fprintf(stderr, "FATAL: nothing arrived\n");
		exit(2);
	}
}

/* Reads whatever is queued on `fd` without blocking (after the rows that leave a message
 * half read or unread). */
static void drain(int fd)
{
	char buf[512];
	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0)
		;
}

/* A one-to-many receiver on 127.0.0.1 without association events (so only data arrives) and a
 * one-to-many sender associated with it; `rcvinfo` turns SCTP_RECVRCVINFO on instead of
 * data_io. */
static int receiver(int rcvinfo, int *sender)
{
	int r = fresh(AF_INET, SOCK_SEQPACKET), on = 1;
	struct sockaddr_in a = v4("127.0.0.1", 0);
	bind_or_die(r, &a, sizeof a);
	if (listen(r, 4) < 0) {
		perror("FATAL: listen");
		exit(2);
	}
	subscribe(r, !rcvinfo, 0, 0);
	if (rcvinfo && setsockopt(r, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on) < 0) {
		perror("FATAL: SCTP_RECVRCVINFO");
		exit(2);
	}
	*sender = fresh(AF_INET, SOCK_SEQPACKET);
	connect_v4(*sender, local_port(r));
	return r;
}

/* Queues one 4-byte message on receiver `r` from `sender` (plain sendto: the library under
 * test is not needed for it). */
static void queue(int r, int sender)
{
	struct sockaddr_in to = v4("127.0.0.1", local_port(r));
	if (sendto(sender, "ping", 4, MSG_NOSIGNAL, (struct sockaddr *)&to, sizeof to) != 4) {
		perror("FATAL: queue");
		exit(2);
	}
	wait_readable(r);
}

/* ---------------------------------------------------------------- sctp_recvmsg */

/* A number as text, for the written-back fields ("n/a" where the pointer was NULL). */
static const char *num(unsigned v)
{
	static char buf[4][16];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%u", v);
	return buf[i];
}

static int R1, S1; /* receiver with data_io on, its sender */

struct recvmsg_args {
	void *msg;
	size_t len;
	int from, fromlen, sinfo, flags; /* 1: pass the pointer, 0: NULL */
	int flags_in;
};

static void recvmsg_row(const char *check, int s, struct recvmsg_args a)
{
	char buf[64];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from;
	struct sctp_sndrcvinfo si;
	int fl = a.flags_in;
	CALL(sctp_recvmsg(s, a.msg == (void *)1 ? buf : a.msg, a.len,
			  a.from ? (struct sockaddr *)&from : NULL, a.fromlen ? &fromlen : NULL,
			  a.sinfo ? &si : NULL, a.flags ? &fl : NULL));
	if (R >= 0)
		row(check, "fromlen=%s msg_flags=%s", a.fromlen ? num(fromlen) : "n/a",
		    a.flags ? msg_flags_name(fl) : "n/a");
	else
		row(check, NULL);
}

#define BUF ((void *)1) /* the row's own 64-byte buffer */

static DELIBERATE void deliberate_recvmsg_null_msg(int s, struct recvmsg_args a)
{
	recvmsg_row("recvmsg.msg.null_len_64", s, a);
}

static void t_recvmsg(void)
{
	struct recvmsg_args ok = { BUF, 64, 1, 1, 1, 1, 0 }, a;

	R1 = receiver(0, &S1);
	queue(R1, S1);
	recvmsg_row("recvmsg.ok", R1, ok);
	a = ok;
	a.flags_in = MSG_DONTWAIT;
	recvmsg_row("recvmsg.empty_dontwait", R1, a);
	for (int i = 0; i < n_badfds; i++)
		recvmsg_row(name3("recvmsg", "fd", badfds[i].name), badfds[i].fd, a);
	a = ok;
	a.msg = NULL;
	queue(R1, S1);
	deliberate_recvmsg_null_msg(R1, a);
	drain(R1);
	a = ok;
	a.from = 0;
	queue(R1, S1);
	recvmsg_row("recvmsg.from.null", R1, a);
	a = ok;
	a.fromlen = 0;
	queue(R1, S1);
	recvmsg_row("recvmsg.fromlen.null", R1, a);
	a = ok;
	a.sinfo = 0;
	queue(R1, S1);
	recvmsg_row("recvmsg.sinfo.null", R1, a);
	a = ok;
	a.flags = 0;
	queue(R1, S1);
	recvmsg_row("recvmsg.msg_flags.null", R1, a);
	a = ok;
	a.len = 0;
	queue(R1, S1);
	recvmsg_row("recvmsg.len.0", R1, a);
	drain(R1);
	a = ok;
	a.len = SIZE_MAX;
	queue(R1, S1);
	recvmsg_row("recvmsg.len.size_max", R1, a);
	drain(R1);
	a = ok;
	a.flags_in = MSG_DONTWAIT | 0x400000;
	recvmsg_row("recvmsg.flags.unknown_bit", R1, a);
	drain(R1);
}

/* ---------------------------------------------------------------- sctp_recvv */

static int R2, S2; /* receiver with SCTP_RECVRCVINFO on, its sender */

struct recvv_args {
	int iov;       /* 1: one 64-byte buffer, 0: NULL */
	int iovlen;
	int from, fromlen, info, infolen, infotype, flags; /* 1: pass the pointer, 0: NULL */
	socklen_t infolen_in;
	int flags_in;
};

static const char *infotype_name(unsigned t)
{
	switch (t) {
	case SCTP_RECVV_NOINFO: return "NOINFO";
	case SCTP_RECVV_RCVINFO: return "RCVINFO";
	case SCTP_RECVV_NXTINFO: return "NXTINFO";
	case SCTP_RECVV_RN: return "RN";
	case 77: return "untouched";
	default: return "other";
	}
}

static struct iovec big_iov[IOV_MAX + 1];
static char big_buf[IOV_MAX + 1];

static void recvv_row(const char *check, int s, struct recvv_args a)
{
	char buf[64];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from, infolen = a.infolen_in;
	union {
		struct sctp_rcvinfo rcv;
		char big[256];
	} info;
	unsigned infotype = 77;
	int fl = a.flags_in;
	CALL(sctp_recvv(s, a.iov == 2 ? big_iov : a.iov ? &iov : NULL, a.iovlen,
			a.from ? (struct sockaddr *)&from : NULL, a.fromlen ? &fromlen : NULL,
			a.info ? &info : NULL, a.infolen ? &infolen : NULL,
			a.infotype ? &infotype : NULL, a.flags ? &fl : NULL));
	if (R >= 0)
		row(check, "fromlen=%s infotype=%s infolen=%s flags=%s",
		    a.fromlen ? num(fromlen) : "n/a", a.infotype ? infotype_name(infotype) : "n/a",
		    a.infolen ? num(infolen) : "n/a", a.flags ? msg_flags_name(fl) : "n/a");
	else
		row(check, NULL);
}

static void t_recvv(void)
{
	struct recvv_args ok = { 1, 1, 1, 1, 1, 1, 1, 1, sizeof(struct sctp_rcvinfo), 0 }, a;

	for (int i = 0; i <= IOV_MAX; i++) {
		big_iov[i].iov_base = big_buf + i;
		big_iov[i].iov_len = 1;
	}
	R2 = receiver(1, &S2);
	queue(R2, S2);
	recvv_row("recvv.ok", R2, ok);
	a = ok;
	a.flags_in = MSG_DONTWAIT;
	recvv_row("recvv.empty_dontwait", R2, a);
	for (int i = 0; i < n_badfds; i++)
		recvv_row(name3("recvv", "fd", badfds[i].name), badfds[i].fd, a);
	a = ok;
	a.iov = 0;
	queue(R2, S2);
	recvv_row("recvv.iov.null_iovlen_1", R2, a);
	drain(R2);
	a = ok;
	a.iovlen = 0;
	queue(R2, S2);
	recvv_row("recvv.iovlen.0", R2, a);
	drain(R2);
	a = ok;
	a.iovlen = -1;
	queue(R2, S2);
	recvv_row("recvv.iovlen.minus1", R2, a);
	a = ok;
	a.iov = 2;
	a.iovlen = IOV_MAX + 1;
	recvv_row("recvv.iovlen.iov_max_plus_1", R2, a);
	drain(R2);
	/* infolen 256 in these rows, so that "infolen=256" shows it untouched. */
#define ONE_NULL(field, check) \
	a = ok; a.infolen_in = 256; a.field = 0; queue(R2, S2); recvv_row(check, R2, a); drain(R2)
	ONE_NULL(from, "recvv.from.null");
	ONE_NULL(fromlen, "recvv.fromlen.null");
	ONE_NULL(info, "recvv.info.null");
	ONE_NULL(infolen, "recvv.infolen.null");
	ONE_NULL(infotype, "recvv.infotype.null");
	ONE_NULL(flags, "recvv.flags.null");
#undef ONE_NULL
	a = ok;
	a.infolen_in = 4;
	queue(R2, S2);
	recvv_row("recvv.infolen.short", R2, a);
	a = ok;
	a.infolen_in = 256;
	queue(R2, S2);
	recvv_row("recvv.infolen.long", R2, a);
	a = ok;
	a.flags_in = MSG_DONTWAIT | 0x400000;
	recvv_row("recvv.flags.unknown_bit", R2, a);
	drain(R2);
}

/* ---------------------------------------------------------------- sctp_sendv */

struct sendv_args {
	const struct iovec *iov;
	int iovcnt;
	struct sockaddr *addrs;
	int addrcnt;
	void *info;
	socklen_t infolen;
	unsigned infotype;
	int flags;
};

static struct iovec one_x = { .iov_base = "x", .iov_len = 1 };

static void sendv_row(const char *check, int s, struct sendv_args a)
{
	CALL(sctp_sendv(s, a.iov, a.iovcnt, a.addrs, a.addrcnt, a.info, a.infolen, a.infotype,
			a.flags));
	row(check, NULL);
}

struct sendv_child {
	const char *check;
	struct sendv_args a;
};

static void sendv_child(void *arg)
{
	struct sendv_child *c = arg;
	sendv_row(c->check, C, c->a);
}

static struct sctp_sndinfo snd_for(sctp_assoc_t id)
{
	struct sctp_sndinfo snd;
	memset(&snd, 0, sizeof snd);
	snd.snd_assoc_id = id;
	return snd;
}

static void t_sendv(void)
{
	struct sctp_sndinfo snd = snd_for(cid);
	union {
		struct sctp_sndinfo snd;
		char big[64];
	} longinfo;
	struct sctp_sendv_spa spa;
	struct packed vb = valid_then_bad(port), unx = bad_family(AF_UNIX), m = v4mapped(port);
	struct sendv_args ok = { &one_x, 1, NULL, 0, &snd, sizeof snd, SCTP_SENDV_SNDINFO,
				 MSG_NOSIGNAL }, a;
	struct sendv_child ch;
	struct idcase ids[N_IDS];
	int s;

	sendv_row("sendv.ok", C, ok);
	for (int i = 0; i < n_badfds; i++)
		sendv_row(name3("sendv", "fd", badfds[i].name), badfds[i].fd, ok);
	bad_ids(ids, cid2);
	for (int i = 0; i < N_IDS; i++) {
		struct sctp_sndinfo b = snd_for(ids[i].id);
		a = ok;
		a.info = &b;
		sendv_row(name3("sendv", "id", ids[i].name), C, a);
	}
	a = ok;
	a.iov = NULL;
	sendv_row("sendv.iov.null_iovcnt_1", C, a);
	a = ok;
	a.iovcnt = 0;
	sendv_row("sendv.iovcnt.0", C, a);
	a = ok;
	a.iovcnt = -1;
	sendv_row("sendv.iovcnt.minus1", C, a);
	for (int i = 0; i <= IOV_MAX; i++) {
		big_iov[i].iov_base = "x";
		big_iov[i].iov_len = 1;
	}
	a = ok;
	a.iov = big_iov;
	a.iovcnt = IOV_MAX + 1;
	sendv_row("sendv.iovcnt.iov_max_plus_1", C, a);

	ch.check = "sendv.addrs.null_addrcnt_1";
	ch.a = ok;
	ch.a.addrcnt = 1;
	in_child(ch.check, sendv_child, &ch);
	a = ok;
	a.addrs = ADDRS(lpack);
	a.addrcnt = 0;
	sendv_row("sendv.addrcnt.0", C, a);
	a.addrcnt = -1;
	sendv_row("sendv.addrcnt.minus1", C, a);
	a.addrcnt = INT_MIN;
	sendv_row("sendv.addrcnt.int_min", C, a);
	a.addrs = ADDRS(vb);
	a.addrcnt = INT_MAX;
	sendv_row("sendv.addrcnt.int_max_bad_second", C, a);
	a = ok;
	a.addrs = ADDRS(unx);
	a.addrcnt = 1;
	sendv_row("sendv.family.unix", C, a);
	a = ok;
	a.addrs = ADDRS(m);
	a.addrcnt = 1;
	a.info = NULL;
	a.infolen = 0;
	a.infotype = SCTP_SENDV_NOINFO;
	s = fresh(AF_INET6, SOCK_SEQPACKET);
	sendv_row("sendv.v4mapped.inet6_socket", s, a);
	close(s);
	s = fresh(AF_INET, SOCK_SEQPACKET);
	sendv_row("sendv.v4mapped.inet_socket", s, a);
	close(s);

	ch.check = "sendv.info.null_sndinfo";
	ch.a = ok;
	ch.a.info = NULL;
	in_child(ch.check, sendv_child, &ch);
	a = ok;
	a.infolen = sizeof snd - 1;
	sendv_row("sendv.infolen.short", C, a);
	memset(&longinfo, 0, sizeof longinfo);
	longinfo.snd.snd_assoc_id = cid;
	a = ok;
	a.info = &longinfo;
	a.infolen = sizeof longinfo;
	sendv_row("sendv.infolen.long", C, a);
	a = ok;
	a.infotype = 99;
	sendv_row("sendv.infotype.unknown", C, a);
	a = ok;
	a.infotype = SCTP_SENDV_NOINFO;
	sendv_row("sendv.infotype.noinfo_with_info", C, a);
	/* All three SPA parts: lksctp 1.0.19 overflows its 48-byte cmsg buffer (issue #68). */
	memset(&spa, 0, sizeof spa);
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID |
			  SCTP_SEND_AUTHINFO_VALID;
	spa.sendv_sndinfo.snd_assoc_id = cid;
	ch.check = "sendv.info.spa_all_three";
	ch.a = ok;
	ch.a.info = &spa;
	ch.a.infolen = sizeof spa;
	ch.a.infotype = SCTP_SENDV_SPA;
	in_child(ch.check, sendv_child, &ch);
	a = ok;
	a.flags = MSG_NOSIGNAL | 0x400000;
	sendv_row("sendv.flags.unknown_bit", C, a);
}

int main(void)
{
	badinput_setup();
	t_bindx();
	t_connectx();
	t_getaddrs("getpaddrs", sctp_getpaddrs);
	t_getaddrs("getladdrs", sctp_getladdrs);
	t_free();
	t_getaddrlen();
	t_optinfo();
	t_peeloff("peeloff", 0);
	t_peeloff("peeloff_flags", 1);
	t_send();
	t_sendmsg();
	t_recvmsg();
	t_recvv();
	t_sendv();
	line("end", "done");
	return 0;
}
