/* The bad-input matrix of sctp_sendx, which lksctp lacks: checked against
 * c-tests/expected/badinput_sendx.out only. The same inputs, fixtures and row format as
 * badinput.c (badinput.h): descriptors, association ids in sinfo (a nonzero one wins over the
 * addresses), NULL msg/sinfo/addrs, address counts 0, -1, INT_MIN, INT_MAX (with a bad second
 * address), unknown families, IPv4-mapped addresses, lengths 0 and SIZE_MAX, unknown flag
 * bits. sctp_sendx refuses a NULL addrs, an addrcnt below 1 and a family other than
 * AF_INET/AF_INET6 itself (sys=none); everything else is the kernel's answer to one sendmsg. */
#define _GNU_SOURCE
#include "badinput.h"

static struct sctp_sndrcvinfo sinfo_for(sctp_assoc_t id)
{
	struct sctp_sndrcvinfo si;
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id;
	return si;
}

static void sendx_row(const char *check, int s, const void *msg, size_t len,
		      const struct packed *p, int cnt, const struct sctp_sndrcvinfo *si, int flags)
{
	CALL(sctp_sendx(s, msg, len, p ? (struct sockaddr *)p->buf : NULL, cnt, si, flags));
	row(check, NULL);
}

/* msg NULL with len 1, for the kernel's EFAULT (c-tests/valgrind.supp names this function). */
static DELIBERATE void deliberate_sendx_null_msg(const struct packed *p,
						 const struct sctp_sndrcvinfo *si)
{
	sendx_row("sendx.msg.null_len_1", C, NULL, 1, p, 1, si, MSG_NOSIGNAL);
}

int main(void)
{
	struct sctp_sndrcvinfo si0 = sinfo_for(0), si;
	struct packed vb, unx = bad_family(AF_UNIX), uns = bad_family(AF_UNSPEC), m;
	struct idcase ids[N_IDS];
	int nosig = MSG_NOSIGNAL, s;

	badinput_setup();
	vb = valid_then_bad(port);
	m = v4mapped(port);

	/* sinfo_assoc_id 0: the association to addrs[0] (C's to L) carries the message. */
	sendx_row("sendx.ok", C, "x", 1, &lpack, 1, &si0, nosig);
	for (int i = 0; i < n_badfds; i++)
		sendx_row(name3("sendx", "fd", badfds[i].name), badfds[i].fd, "x", 1, &lpack, 1, &si0,
			  nosig);
	/* A nonzero sinfo_assoc_id wins over the addresses: no such association is EPIPE. */
	bad_ids(ids, cid2);
	for (int i = 0; i < N_IDS; i++) {
		si = sinfo_for(ids[i].id);
		sendx_row(name3("sendx", "id", ids[i].name), C, "x", 1, &lpack, 1, &si, nosig);
	}
	deliberate_sendx_null_msg(&lpack, &si0);
	sendx_row("sendx.msg.null_len_0", C, NULL, 0, &lpack, 1, &si0, nosig);
	sendx_row("sendx.sinfo.null", C, "x", 1, &lpack, 1, NULL, nosig);
	sendx_row("sendx.addrs.null_addrcnt_1", C, "x", 1, NULL, 1, &si0, nosig);
	sendx_row("sendx.addrs.null_addrcnt_0", C, "x", 1, NULL, 0, &si0, nosig);
	si = sinfo_for(cid);
	sendx_row("sendx.addrs.null_with_assoc_id", C, "x", 1, NULL, 1, &si, nosig);
	sendx_row("sendx.addrcnt.0", C, "x", 1, &lpack, 0, &si0, nosig);
	sendx_row("sendx.addrcnt.minus1", C, "x", 1, &lpack, -1, &si0, nosig);
	sendx_row("sendx.addrcnt.int_min", C, "x", 1, &lpack, INT_MIN, &si0, nosig);
	sendx_row("sendx.addrcnt.int_max_bad_second", C, "x", 1, &vb, INT_MAX, &si0, nosig);
	sendx_row("sendx.family.unix", C, "x", 1, &unx, 1, &si0, nosig);
	sendx_row("sendx.family.unspec", C, "x", 1, &uns, 1, &si0, nosig);
	s = fresh(AF_INET6, SOCK_SEQPACKET);
	sendx_row("sendx.v4mapped.inet6_socket", s, "x", 1, &m, 1, &si0, nosig);
	close(s);
	s = fresh(AF_INET, SOCK_SEQPACKET);
	sendx_row("sendx.v4mapped.inet_socket", s, "x", 1, &m, 1, &si0, nosig);
	close(s);
	sendx_row("sendx.len.0", C, "x", 0, &lpack, 1, &si0, nosig);
	sendx_row("sendx.len.size_max", C, "x", SIZE_MAX, &lpack, 1, &si0, nosig);
	sendx_row("sendx.flags.unknown_bit", C, "x", 1, &lpack, 1, &si0, nosig | 0x400000);
	si = si0;
	si.sinfo_flags = 0x1000;
	sendx_row("sendx.sinfo_flags.unknown_bit", C, "x", 1, &lpack, 1, &si, nosig);
	si = si0;
	si.sinfo_stream = 999;
	sendx_row("sendx.sinfo_stream.out_of_range", C, "x", 1, &lpack, 1, &si, nosig);
	line("end", "done");
	return 0;
}
