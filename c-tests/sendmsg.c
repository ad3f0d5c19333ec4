/* sctp_sendmsg and sctp_recvmsg on the real kernel SCTP stack, built against lksctp and against
 * sctp_rs, outputs compared per line.
 *
 * sctp_sendmsg: what reaches the peer for each argument (to/tolen, ppid, stream_no, flags 0,
 * SCTP_UNORDERED, PR-SCTP TTL, high bits beyond the 16-bit sinfo_flags), that `to` sets up an
 * association implicitly and finds an existing one, SCTP_EOF with len 0 and SCTP_ABORT on the
 * association found by `to`, `context` and `timetolive` coming back in SCTP_SEND_FAILED (the
 * peer never sees them), `to` NULL on one-to-one and one-to-many sockets, and the errnos.
 *
 * sctp_recvmsg: every field it reports (return, data, each sctp_sndrcvinfo field with ids and
 * TSNs as relations, msg_flags names, the source address and *fromlen), *msg_flags as an
 * in/out argument (MSG_PEEK leaves the message queued, MSG_DONTWAIT gives EAGAIN on an empty
 * socket), NULL for msg_flags, from/fromlen and sinfo, notifications (MSG_NOTIFICATION), a
 * buffer shorter than the message (no MSG_EOR, the rest comes next), *fromlen shorter than the
 * address, and *sinfo when no SCTP_SNDRCV arrives (data_io off, or SCTP_RCVINFO filling the
 * cmsg buffer): lksctp 1.0.19 leaves it as it was, sctp_rs zeroes it (divergence
 * recvmsg-sinfo-zeroed). */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int s)
{
	(void)s;
	sigpipes++;
}

/* ---- sctp_sendmsg ---------------------------------------------------------------------- */

/* The arguments of sctp_sendmsg after the message, named at each call. */
struct sm {
	const void *to;
	socklen_t tolen;
	uint32_t ppid, flags;
	uint16_t stream;
	uint32_t ttl, context;
};

static long do_sendmsg(const char *check, int fd, const void *msg, size_t len, struct sm a)
{
	long r;
	errno = ERRNO_SENTINEL;
	r = sctp_sendmsg(fd, msg, len, (struct sockaddr *)a.to, a.tolen, a.ppid, a.flags,
			 a.stream, a.ttl, a.context);
	ret_errno(check, r, errno);
	if (r >= 0)
		line(check, "bytes=%ld", r);
	return r;
}

/* ---- printing what sctp_recvmsg reported ----------------------------------------------- */

static const char *addr_name(const struct sockaddr_storage *ss)
{
	static char buf[INET6_ADDRSTRLEN + 16];
	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf, sizeof buf);
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "family=%u", (unsigned)ss->ss_family);
	return buf;
}

/* Ids and TSNs vary between runs: they are printed against what the test expects (the peer's
 * association id) and against the previous TSN received on the same association. */
static struct {
	sctp_assoc_t assoc; /* the association the next message should come on, 0: any */
	sctp_assoc_t tsn_assoc;
	uint32_t last_tsn;
} expect;

static const char *assoc_rel(sctp_assoc_t id)
{
	if (id == 0)
		return "zero";
	if (expect.assoc == 0)
		return "set";
	return id == expect.assoc ? "same" : "other";
}

static const char *tsn_rel(sctp_assoc_t id, uint32_t tsn)
{
	static char buf[32];
	if (tsn == 0)
		return "0";
	if (id != expect.tsn_assoc) {
		snprintf(buf, sizeof buf, "first");
	} else {
		snprintf(buf, sizeof buf, "prev%+d", (int)(tsn - expect.last_tsn));
	}
	expect.tsn_assoc = id;
	expect.last_tsn = tsn;
	return buf;
}

static void print_sinfo(const char *check, const struct sctp_sndrcvinfo *si)
{
	const char *tsn = tsn_rel(si->sinfo_assoc_id, si->sinfo_tsn);
	line(check, "sinfo stream=%u ssn=%u flags=%s ppid=0x%08x context=%u ttl=%u tsn=%s cumtsn=%s "
	     "assoc=%s", si->sinfo_stream, si->sinfo_ssn, sinfo_flags_name(si->sinfo_flags),
	     si->sinfo_ppid, si->sinfo_context, si->sinfo_timetolive, tsn,
	     cumtsn_rel(si->sinfo_cumtsn, si->sinfo_tsn), assoc_rel(si->sinfo_assoc_id));
}

/* Every byte of *si, field by field in hex: for the case where nothing may be written. */
static void print_sinfo_raw(const char *check, const struct sctp_sndrcvinfo *si)
{
	line(check, "sinfo raw stream=0x%x ssn=0x%x flags=0x%x ppid=0x%x context=0x%x ttl=0x%x "
	     "tsn=0x%x cumtsn=0x%x assoc=0x%x", si->sinfo_stream, si->sinfo_ssn, si->sinfo_flags,
	     si->sinfo_ppid, si->sinfo_context, si->sinfo_timetolive, si->sinfo_tsn,
	     si->sinfo_cumtsn, (unsigned)si->sinfo_assoc_id);
}

/* A notification's type and the fields that do not vary. */
static void print_notification(const char *check, const void *buf, long n)
{
	const union sctp_notification *sn = buf;
	if (n < (long)sizeof sn->sn_header) {
		line(check, "notification too short (%ld)", n);
		return;
	}
	switch (sn->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		line(check, "notification ASSOC_CHANGE state=%s assoc=%s",
		     assoc_state_name(sn->sn_assoc_change.sac_state),
		     assoc_rel(sn->sn_assoc_change.sac_assoc_id));
		break;
	case SCTP_SHUTDOWN_EVENT:
		line(check, "notification SHUTDOWN_EVENT assoc=%s",
		     assoc_rel(sn->sn_shutdown_event.sse_assoc_id));
		break;
	case SCTP_SEND_FAILED: {
		const struct sctp_send_failed *f = &sn->sn_send_failed;
		const struct sctp_sndrcvinfo *si = &f->ssf_info;
		line(check, "notification SEND_FAILED flags=%s error=%u data_len=%ld stream=%u "
		     "ppid=0x%08x context=0x%x ttl=%u sinfo_flags=0x%x",
		     f->ssf_flags == SCTP_DATA_UNSENT ? "DATA_UNSENT"
		     : f->ssf_flags == SCTP_DATA_SENT ? "DATA_SENT" : "other", f->ssf_error,
		     (long)f->ssf_length - (long)sizeof *f, si->sinfo_stream, si->sinfo_ppid,
		     si->sinfo_context, si->sinfo_timetolive, si->sinfo_flags);
		break;
	}
	default:
		line(check, "notification type=0x%x", sn->sn_header.sn_type);
	}
}

/* The buffer of do_recvmsg: the last message or notification received. */
static char rbuf[512];

/* One sctp_recvmsg(fd, rbuf, len, from, fromlen, sinfo, msg_flags) after waiting up to `ms` for
 * something to read (ms 0: call at once). Prints the return, data (or notification), msg_flags,
 * from and *fromlen, and *sinfo. A NULL pointer is passed as NULL and its line says so. */
static long do_recvmsg(const char *check, int fd, size_t len, struct sockaddr_storage *from,
		       socklen_t *fromlen, struct sctp_sndrcvinfo *si, int *flags, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long r;

	if (ms > 0 && poll(&p, 1, ms) != 1) {
		line(check, "nothing to read within %d ms", ms);
		return -1;
	}
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(fd, rbuf, len, (struct sockaddr *)from, fromlen, si, flags);
	ret_errno(check, r, errno);
	if (flags)
		line(check, "msg_flags=%s", msg_flags_name(*flags));
	if (r < 0)
		return r;
	if (flags && (*flags & MSG_NOTIFICATION))
		print_notification(check, rbuf, r);
	else
		line(check, "len=%ld data=%.*s", r, (int)r, rbuf);
	if (from && fromlen)
		line(check, "from=%s fromlen=%u", addr_name(from), (unsigned)*fromlen);
	else if (fromlen)
		line(check, "from=NULL fromlen=%u", (unsigned)*fromlen);
	if (si)
		print_sinfo(check, si);
	return r;
}

/* The usual receive: every argument given, a 256-byte buffer, up to 5 s. */
static long recv_all(const char *check, int fd)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof from;
	struct sctp_sndrcvinfo si;
	int flags = 0;
	memset(&from, 0, sizeof from);
	memset(&si, 0, sizeof si);
	return do_recvmsg(check, fd, 256, &from, &fromlen, &si, &flags, 5000);
}

/* 1 when bytes [from, to) of `p` all still hold the 0xaa filled in before a call. */
static int untouched(const void *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (((const unsigned char *)p)[i] != 0xaa)
			return 0;
	return 1;
}

/* ---- sockets ----------------------------------------------------------------------------- */

/* A one-to-many socket that gives up on an unanswered INIT within about a second. */
static int fast_client(void)
{
	return fast_init(sctp_socket(AF_INET, SOCK_SEQPACKET), 2);
}

/* The listener's id of the association whose COMM_UP is the next thing on `l`. */
static sctp_assoc_t comm_up_id(int l)
{
	sctp_assoc_t id = 0;
	const char *s = wait_assoc_change(l, 5000, &id);
	if (strcmp(s, "COMM_UP") != 0)
		line("setup", "expected COMM_UP, got %s", s);
	return id;
}

/* ---- sctp_sendmsg checks ------------------------------------------------------------------ */

/* Implicit setup by an address, then each argument on the association `to` finds. */
static void carried_fields(int l, uint16_t port)
{
	struct sockaddr_in srv = v4("127.0.0.1", port);
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET);
	const struct sm to = { .to = &srv, .tolen = sizeof srv };
	struct sm a;

	line("sendmsg.implicit_setup", "client associations before=%d", assoc_count(c, NULL));
	a = to;
	a.ppid = 0x11223344;
	a.stream = 3;
	a.context = 77;
	do_sendmsg("sendmsg.implicit_setup", c, "hello", 5, a);
	line("sendmsg.implicit_setup", "client associations after=%d", assoc_count(c, NULL));
	/* The listener sees COMM_UP first (a notification), then the data on that association. */
	expect.assoc = 0;
	do_recvmsg("sendmsg.implicit_setup.notification", l, 256, NULL, NULL, NULL, &(int){ 0 },
		   5000);
	expect.assoc = ((const union sctp_notification *)rbuf)->sn_assoc_change.sac_assoc_id;
	recv_all("sendmsg.implicit_setup.peer", l);

	a = to;
	a.ppid = 7;
	a.stream = 1;
	a.flags = SCTP_UNORDERED;
	do_sendmsg("sendmsg.unordered", c, "unord", 5, a);
	recv_all("sendmsg.unordered.peer", l);

	a = to;
	a.ppid = 8;
	a.stream = 2;
	a.flags = SCTP_PR_SCTP_TTL;
	a.ttl = 5000;
	do_sendmsg("sendmsg.pr_ttl", c, "ttl", 3, a);
	recv_all("sendmsg.pr_ttl.peer", l);

	/* flags is 32 bits wide, sinfo_flags 16: both libraries keep the low 16 bits. */
	a = to;
	a.ppid = 9;
	a.flags = 0x10000 | SCTP_UNORDERED;
	do_sendmsg("sendmsg.flags_high_bits", c, "high", 4, a);
	recv_all("sendmsg.flags_high_bits.peer", l);

	a = to;
	a.stream = 100;
	do_sendmsg("sendmsg.stream_out_of_range", c, "x", 1, a);
	a = to;
	a.flags = 0x1000;
	do_sendmsg("sendmsg.unknown_flag", c, "x", 1, a);
	a = to;
	a.tolen = 4;
	do_sendmsg("sendmsg.tolen_short", c, "x", 1, a);

	/* SCTP_EOF with data is refused; with len 0 it shuts down the association `to` finds. */
	a = to;
	a.flags = SCTP_EOF;
	do_sendmsg("sendmsg.eof_with_data", c, "x", 1, a);
	do_sendmsg("sendmsg.eof", c, NULL, 0, a);
	do_recvmsg("sendmsg.eof.peer", l, 256, NULL, NULL, NULL, &(int){ 0 }, 5000);
	line("sendmsg.eof", "client associations left=%d", assoc_count(c, NULL));

	/* SCTP_ABORT, with data as the reason, on a new association found by `to`. */
	a = to;
	do_sendmsg("sendmsg.abort.setup", c, "again", 5, a);
	expect.assoc = comm_up_id(l);
	recv_all("sendmsg.abort.setup.peer", l);
	a.flags = SCTP_ABORT;
	do_sendmsg("sendmsg.abort", c, "bye", 3, a);
	do_recvmsg("sendmsg.abort.peer", l, 256, NULL, NULL, NULL, &(int){ 0 }, 5000);
	line("sendmsg.abort", "client associations left=%d", assoc_count(c, NULL));

	/* One-to-many without `to`: no association, EPIPE and SIGPIPE (sendmsg flags are 0). */
	sigpipes = 0;
	do_sendmsg("sendmsg.one_to_many_null_to", c, "x", 1, (struct sm){ .ppid = 1 });
	line("sendmsg.one_to_many_null_to", "sigpipes=%d", (int)sigpipes);
	close(c);
}

/* context and timetolive never reach the peer: they come back in SCTP_SEND_FAILED when the
 * association cannot be set up (the destination is a blackhole). */
static void send_failed(uint16_t port)
{
	struct sockaddr_in bh = v4("127.0.1.1", port);
	int c = fast_client();
	struct sm a = { .to = &bh, .tolen = sizeof bh, .ppid = 0x5150, .stream = 1,
			.flags = SCTP_PR_SCTP_TTL, .ttl = 60000, .context = 0xc0ffee };
	set_events(c, 0, 1, 1);
	do_sendmsg("sendmsg.context_in_send_failed", c, "lost!", 5, a);
	expect.assoc = 0;
	for (int i = 0; i < 2; i++)
		do_recvmsg("sendmsg.context_in_send_failed.client", c, 256, NULL, NULL, NULL,
			   &(int){ 0 }, 10000);
	close(c);
}

/* One-to-one: `to` NULL sends on the connected association. */
static void one_to_one(void)
{
	int c, a, l = one_to_one_pair(&c, &a);
	expect.assoc = 0;
	do_sendmsg("sendmsg.one_to_one_null_to", c, "plain", 5,
		   (struct sm){ .ppid = 0xabcd, .stream = 4 });
	recv_all("sendmsg.one_to_one_null_to.peer", a);
	close(a);
	close(c);
	close(l);
}

static void errors(void)
{
	struct sockaddr_in dst = v4("127.0.0.1", 9);
	struct sm a = { .to = &dst, .tolen = sizeof dst };
	int fd;
	do_sendmsg("sendmsg.bad_fd", -1, "x", 1, a);
	fd = open("/dev/null", O_WRONLY);
	do_sendmsg("sendmsg.not_socket", fd, "x", 1, a);
	close(fd);
}

/* ---- sctp_recvmsg checks ------------------------------------------------------------------ */

static void recvmsg_args(int l, uint16_t port)
{
	struct sockaddr_in srv = v4("127.0.0.1", port);
	const struct sm to = { .to = &srv, .tolen = sizeof srv, .ppid = 0x42, .stream = 5 };
	struct sockaddr_storage from;
	socklen_t fromlen;
	struct sctp_sndrcvinfo si;
	int flags, c = sctp_socket(AF_INET, SOCK_SEQPACKET);

	do_sendmsg("recvmsg.setup", c, "first", 5, to);
	expect.assoc = comm_up_id(l);
	recv_all("recvmsg.setup.peer", l);

	/* *msg_flags is read: MSG_PEEK leaves the message queued for the next call. */
	do_sendmsg("recvmsg.peek", c, "peekme", 6, to);
	flags = MSG_PEEK;
	do_recvmsg("recvmsg.peek", l, 256, NULL, NULL, NULL, &flags, 5000);
	recv_all("recvmsg.peek.again", l);

	flags = MSG_DONTWAIT;
	do_recvmsg("recvmsg.dontwait_empty", l, 256, NULL, NULL, NULL, &flags, 0);

	/* NULL msg_flags, from/fromlen and sinfo: all allowed. */
	do_sendmsg("recvmsg.all_null", c, "nulls", 5, to);
	do_recvmsg("recvmsg.all_null", l, 256, NULL, NULL, NULL, NULL, 5000);
	do_sendmsg("recvmsg.null_flags", c, "noflags", 7, to);
	fromlen = sizeof from;
	do_recvmsg("recvmsg.null_flags", l, 256, &from, &fromlen, &si, NULL, 5000);
	do_sendmsg("recvmsg.null_from", c, "nofrom", 6, to);
	fromlen = sizeof from;
	do_recvmsg("recvmsg.null_from", l, 256, NULL, &fromlen, &si, &(int){ 0 }, 5000);

	/* A buffer shorter than the message: no MSG_EOR, the rest comes with the next call. */
	do_sendmsg("recvmsg.partial", c, "0123456789", 10, to);
	fromlen = sizeof from;
	do_recvmsg("recvmsg.partial.head", l, 4, &from, &fromlen, &si, &(int){ 0 }, 5000);
	recv_all("recvmsg.partial.tail", l);

	/* *fromlen shorter than the address: the kernel copies that much and reports the full
	 * length; the rest of the caller's buffer stays as it was. */
	do_sendmsg("recvmsg.fromlen_short", c, "short", 5, to);
	memset(&from, 0xaa, sizeof from);
	fromlen = 4;
	do_recvmsg("recvmsg.fromlen_short", l, 256, &from, &fromlen, NULL, &(int){ 0 }, 5000);
	line("recvmsg.fromlen_short", "family=%s bytes 4..15 untouched=%s",
	     from.ss_family == AF_INET ? "AF_INET" : "other", untouched(&from, 4, 16) ? "yes" : "no");

	do_recvmsg("recvmsg.bad_fd", -1, 256, NULL, NULL, NULL, &(int){ 0 }, 0);
	{
		int fd = open("/dev/null", O_RDONLY);
		do_recvmsg("recvmsg.not_socket", fd, 256, NULL, NULL, NULL, &(int){ 0 }, 0);
		close(fd);
	}
	close(c);
}

/* What a *sinfo filled with 0xaa holds after the call, when its bytes may be anything. */
static const char *sinfo_class(const struct sctp_sndrcvinfo *si)
{
	static const struct sctp_sndrcvinfo zero;
	if (memcmp(si, &zero, sizeof zero) == 0)
		return "all zero";
	return untouched(si, 0, sizeof *si) ? "all 0xaa (untouched)" : "other bytes";
}

/* A message received into a *sinfo filled with 0xaa beforehand: every byte printed (`raw`), or
 * only what the bytes are (when they may be read from beyond lksctp's buffer). */
static void recv_into_aa(const char *check, int l, int raw)
{
	struct sctp_sndrcvinfo si;
	char sinfo_check[64];
	int flags = 0;
	long r;
	memset(&si, 0xaa, sizeof si);
	if (quiet_for(l, 5000))
		line(check, "nothing came");
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(l, (char[64]){ 0 }, 64, NULL, NULL, &si, &flags);
	ret_errno(check, r, errno);
	line(check, "msg_flags=%s", msg_flags_name(flags));
	snprintf(sinfo_check, sizeof sinfo_check, "%s.sinfo", check);
	if (raw && strcmp(sinfo_class(&si), "other bytes") != 0)
		print_sinfo_raw(sinfo_check, &si);
	else if (raw)
		print_sinfo(sinfo_check, &si);
	else
		line(sinfo_check, "sinfo %s, stream and ppid as sent: %s", sinfo_class(&si),
		     si.sinfo_stream == 2 && si.sinfo_ppid == 3 ? "yes" : "no");
}

/* When SCTP_SNDRCV does not arrive, what becomes of the caller's *sinfo. The kernel writes
 * SCTP_NXTINFO, SCTP_RCVINFO, then SCTP_SNDRCV; lksctp receives into 48 bytes, room for one
 * SCTP_SNDRCV only, sctp_rs into 128, room for all three:
 * - data_io off: no SCTP_SNDRCV;
 * - data_io and SCTP_RECVRCVINFO on: SCTP_RCVINFO fills the buffer, SCTP_SNDRCV is dropped
 *   (MSG_CTRUNC);
 * - data_io and SCTP_RECVNXTINFO on, a second message queued: SCTP_NXTINFO takes 32 bytes,
 *   SCTP_SNDRCV arrives as a bare 16-byte header (MSG_CTRUNC) and lksctp copies its 32 bytes
 *   of "data" from past the end of its buffer (stack, canary included).
 * lksctp 1.0.19 leaves *sinfo as it was (or fills it with those bytes); sctp_rs zeroes it when
 * no SCTP_SNDRCV came (data_io off) and otherwise receives it whole. */
static void sinfo_not_delivered(void)
{
	uint16_t port;
	int l = listener_v4(&port), c = sctp_socket(AF_INET, SOCK_SEQPACKET), on = 1, off = 0;
	struct sockaddr_in srv = v4("127.0.0.1", port);
	const struct sm to = { .to = &srv, .tolen = sizeof srv, .ppid = 3, .stream = 2 };

	expect.assoc = 0;
	set_events(l, 0, 0, 0);
	do_sendmsg("recvmsg.sinfo_data_io_off", c, "nodataio", 8, to);
	recv_into_aa("recvmsg.sinfo_data_io_off", l, 1);

	set_events(l, 1, 0, 0);
	setsockopt(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	do_sendmsg("recvmsg.sinfo_rcvinfo_on", c, "rcvinfo", 7, to);
	recv_into_aa("recvmsg.sinfo_rcvinfo_on", l, 1);

	setsockopt(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, &off, sizeof off);
	setsockopt(l, IPPROTO_SCTP, SCTP_RECVNXTINFO, &on, sizeof on);
	do_sendmsg("recvmsg.sinfo_nxtinfo_on", c, "nxtinfo", 7, to);
	do_sendmsg("recvmsg.sinfo_nxtinfo_on", c, "last", 4, to);
	if (!wait_acked(c, assoc_to(c, &srv, sizeof srv), 5000))
		line("recvmsg.sinfo_nxtinfo_on", "not both acknowledged within 5 s");
	recv_into_aa("recvmsg.sinfo_nxtinfo_on", l, 0);
	expect.assoc = 0;
	recv_all("recvmsg.sinfo_nxtinfo_on.last", l);
	close(c);
	close(l);
}

int main(void)
{
	uint16_t port;
	int l;

	signal(SIGPIPE, on_sigpipe);
	l = listener_v4(&port);
	carried_fields(l, port);
	send_failed(port);
	one_to_one();
	errors();
	close(l);

	l = listener_v4(&port);
	recvmsg_args(l, port);
	close(l);
	sinfo_not_delivered();
	line("end", "done");
	return 0;
}
