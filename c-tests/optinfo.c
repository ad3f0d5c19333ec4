/* sctp_opt_info on the real kernel SCTP stack, built against lksctp and against sctp_rs and
 * compared line by line. It proves:
 * - every option lksctp passes to the kernel (Debian's 1.0.19 knows the same 17 as 1.0.21,
 *   the three AUTH ones included) reads an established association of a one-to-many socket:
 *   return value, errno, *size and the stable fields, which are the values set beforehand;
 * - the id argument is written into the start of the option's argument: a wrong id already
 *   there is overwritten (the call succeeds), a wrong id argument fails with EINVAL on a
 *   one-to-many socket and is ignored on a one-to-one socket; SCTP_FUTURE_ASSOC reads the
 *   endpoint's values, SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC are EINVAL;
 * - SCTP_DEFAULT_SEND_PARAM, whose sctp_sndrcvinfo keeps its id at offset 28: lksctp writes
 *   the id at offset 0 and so answers for the id the caller left in sinfo_assoc_id; sctp_rs
 *   writes it into sinfo_assoc_id and answers for the id argument (a listed divergence);
 * - unknown options (lksctp: the positive value ENOTSUP, errno untouched; sctp_rs: -1 and
 *   EOPNOTSUPP), a short *size, NULL size, NULL arg, bad descriptors. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Any option's argument. */
union optbuf {
	struct sctp_rtoinfo rto;
	struct sctp_assocparams assoc;
	struct sctp_initmsg init;
	int i;
	struct sctp_prim prim;
	struct sctp_paddrparams pp;
	struct sctp_sndrcvinfo si;
	struct sctp_event_subscribe ev;
	struct sctp_assoc_value av;
	struct sctp_status st;
	struct sctp_paddrinfo pi;
	struct sctp_authkeyid key;
	struct sctp_authchunks ch;
	unsigned char raw[512];
};

#define FILL 0xee /* what an argument holds before a call, to see which bytes were written */

static uint16_t port;
static sctp_assoc_t cid; /* the client's association, as SCTP_GET_PEER_ADDR_INFO reports it */

static const char *rel(sctp_assoc_t id)
{
	return id == cid ? "same" : id == 0 ? "0" : "differs";
}

/* sctp_opt_info with errno preset to the sentinel; prints the raw return value (lksctp's is
 * not always 0 or -1), errno and *size. */
static int call(const char *check, int fd, sctp_assoc_t id, int opt, void *arg, socklen_t *size)
{
	int r;
	char sz[16] = "NULL";
	errno = ERRNO_SENTINEL;
	r = sctp_opt_info(fd, id, opt, arg, size);
	if (size)
		snprintf(sz, sizeof sz, "%u", (unsigned)*size);
	line(check, "ret=%d errno=%s size=%s", r,
	     errno == ERRNO_SENTINEL ? "unchanged" : errname(errno), sz);
	return r;
}

static const char *ip_of(const void *storage)
{
	static char buf[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	memcpy(&ss, storage, sizeof ss);
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, sizeof buf);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "family %d", ss.ss_family);
	return buf;
}

/* The fields of each option worth comparing (none that vary between runs). */
static void show(const char *check, int opt, const union optbuf *b)
{
	switch (opt) {
	case SCTP_RTOINFO:
		line(check, "assoc=%s initial=%u max=%u min=%u", rel(b->rto.srto_assoc_id),
		     b->rto.srto_initial, b->rto.srto_max, b->rto.srto_min);
		break;
	case SCTP_ASSOCINFO:
		line(check, "assoc=%s asocmaxrxt=%u peer_destinations=%u peer_rwnd>0=%s "
		     "local_rwnd>0=%s cookie_life=%u", rel(b->assoc.sasoc_assoc_id),
		     b->assoc.sasoc_asocmaxrxt, b->assoc.sasoc_number_peer_destinations,
		     b->assoc.sasoc_peer_rwnd > 0 ? "yes" : "no",
		     b->assoc.sasoc_local_rwnd > 0 ? "yes" : "no", b->assoc.sasoc_cookie_life);
		break;
	case SCTP_INITMSG:
		line(check, "ostreams=%u instreams=%u attempts=%u init_timeo=%u",
		     b->init.sinit_num_ostreams, b->init.sinit_max_instreams,
		     b->init.sinit_max_attempts, b->init.sinit_max_init_timeo);
		break;
	case SCTP_NODELAY:
	case SCTP_AUTOCLOSE:
	case SCTP_DISABLE_FRAGMENTS:
	case SCTP_I_WANT_MAPPED_V4_ADDR:
		line(check, "value=%d", b->i);
		break;
	case SCTP_PRIMARY_ADDR:
		line(check, "assoc=%s addr=%s", rel(b->prim.ssp_assoc_id), ip_of(b->raw + 4));
		break;
	case SCTP_PEER_ADDR_PARAMS:
		line(check, "assoc=%s hbinterval=%u pathmaxrxt=%u sackdelay=%u flags=0x%x",
		     rel(b->pp.spp_assoc_id), b->pp.spp_hbinterval, b->pp.spp_pathmaxrxt,
		     b->pp.spp_sackdelay, b->pp.spp_flags);
		break;
	case SCTP_DEFAULT_SEND_PARAM:
		line(check, "assoc field=%s stream=%u ppid=0x%x context=%u ttl=%u flags=%s",
		     rel(b->si.sinfo_assoc_id), b->si.sinfo_stream, b->si.sinfo_ppid,
		     b->si.sinfo_context, b->si.sinfo_timetolive,
		     sinfo_flags_name(b->si.sinfo_flags));
		break;
	case SCTP_EVENTS: {
		char bytes[64] = "";
		for (size_t k = 0; k < sizeof b->ev; k++)
			sprintf(bytes + strlen(bytes), "%s%u", k ? " " : "", b->raw[k]);
		line(check, "bytes=%s", bytes);
		break;
	}
	case SCTP_MAXSEG:
		line(check, "assoc=%s value=%u", rel(b->av.assoc_id), b->av.assoc_value);
		break;
	case SCTP_STATUS:
		line(check, "assoc=%s state=%s instrms=%u outstrms=%u unackdata=%u penddata=%u "
		     "fragmentation_point=%u", rel(b->st.sstat_assoc_id),
		     status_state_name(b->st.sstat_state), b->st.sstat_instrms, b->st.sstat_outstrms, b->st.sstat_unackdata,
		     b->st.sstat_penddata, b->st.sstat_fragmentation_point);
		line(check, "primary assoc=%s addr=%s state=%s",
		     rel(b->st.sstat_primary.spinfo_assoc_id),
		     ip_of(b->raw + offsetof(struct sctp_status, sstat_primary) +
			   offsetof(struct sctp_paddrinfo, spinfo_address)),
		     paddr_state_name(b->st.sstat_primary.spinfo_state));
		break;
	case SCTP_GET_PEER_ADDR_INFO:
		line(check, "assoc=%s addr=%s state=%s cwnd>0=%s", rel(b->pi.spinfo_assoc_id),
		     ip_of(b->raw + offsetof(struct sctp_paddrinfo, spinfo_address)),
		     paddr_state_name(b->pi.spinfo_state), b->pi.spinfo_cwnd > 0 ? "yes" : "no");
		break;
	case SCTP_AUTH_ACTIVE_KEY:
		line(check, "assoc=%s keynumber=%u", rel(b->key.scact_assoc_id),
		     b->key.scact_keynumber);
		break;
	case SCTP_PEER_AUTH_CHUNKS:
	case SCTP_LOCAL_AUTH_CHUNKS:
		line(check, "assoc=%s chunks=%u", rel(b->ch.gauth_assoc_id),
		     b->ch.gauth_number_of_chunks);
		break;
	}
}

/* The argument for `opt`: zeroed, a wrong id where the association id goes (the library must
 * overwrite it), the peer's address for SCTP_GET_PEER_ADDR_INFO. */
static void prep(int opt, union optbuf *b)
{
	sctp_assoc_t wrong = cid + 1000;
	memset(b, 0, sizeof *b);
	memcpy(b->raw, &wrong, sizeof wrong);
	if (opt == SCTP_GET_PEER_ADDR_INFO) {
		struct sockaddr_in srv = v4("127.0.0.1", port);
		memcpy(b->raw + offsetof(struct sctp_paddrinfo, spinfo_address), &srv, sizeof srv);
	}
}

static const struct known {
	const char *name;
	int opt;
	socklen_t size;
} known[] = {
	{ "rtoinfo", SCTP_RTOINFO, sizeof(struct sctp_rtoinfo) },
	{ "associnfo", SCTP_ASSOCINFO, sizeof(struct sctp_assocparams) },
	{ "initmsg", SCTP_INITMSG, sizeof(struct sctp_initmsg) },
	{ "nodelay", SCTP_NODELAY, sizeof(int) },
	{ "autoclose", SCTP_AUTOCLOSE, sizeof(int) },
	{ "primary_addr", SCTP_PRIMARY_ADDR, sizeof(struct sctp_prim) },
	{ "disable_fragments", SCTP_DISABLE_FRAGMENTS, sizeof(int) },
	{ "peer_addr_params", SCTP_PEER_ADDR_PARAMS, sizeof(struct sctp_paddrparams) },
	{ "default_send_param", SCTP_DEFAULT_SEND_PARAM, sizeof(struct sctp_sndrcvinfo) },
	{ "events", SCTP_EVENTS, sizeof(struct sctp_event_subscribe) },
	{ "i_want_mapped_v4_addr", SCTP_I_WANT_MAPPED_V4_ADDR, sizeof(int) },
	{ "maxseg", SCTP_MAXSEG, sizeof(struct sctp_assoc_value) },
	{ "status", SCTP_STATUS, sizeof(struct sctp_status) },
	{ "get_peer_addr_info", SCTP_GET_PEER_ADDR_INFO, sizeof(struct sctp_paddrinfo) },
	{ "auth_active_key", SCTP_AUTH_ACTIVE_KEY, sizeof(struct sctp_authkeyid) },
	{ "peer_auth_chunks", SCTP_PEER_AUTH_CHUNKS, sizeof(union optbuf) },
	{ "local_auth_chunks", SCTP_LOCAL_AUTH_CHUNKS, sizeof(union optbuf) },
};

/* One option read with the argument prep() makes and the given id; shows the fields. */
static int read_opt(const char *check, int fd, sctp_assoc_t id, const struct known *k)
{
	union optbuf b;
	socklen_t size = k->size;
	int r;
	prep(k->opt, &b);
	r = call(check, fd, id, k->opt, &b, &size);
	if (r == 0)
		show(check, k->opt, &b);
	return r;
}

static const struct known *find(int opt)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i].opt == opt)
			return &known[i];
	return NULL;
}

static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(2);
	}
}

#define SET(fd, opt, val) must(setsockopt(fd, IPPROTO_SCTP, opt, &(val), sizeof(val)) == 0, #opt)

/* A one-to-many client with every settable option given a value of its own before the
 * association exists (the association inherits them), associated with the listener. */
static int configured_client(void)
{
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET), one = 1, autoclose = 120;
	struct sockaddr_in me = v4("127.0.0.1", 0), srv;
	struct sctp_rtoinfo rto = { .srto_initial = 250, .srto_max = 4000, .srto_min = 120 };
	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 7, .sasoc_cookie_life = 45000 };
	struct sctp_initmsg init = { .sinit_num_ostreams = 7, .sinit_max_instreams = 9,
				     .sinit_max_attempts = 4, .sinit_max_init_timeo = 3000 };
	struct sctp_paddrparams pp;
	struct sctp_sndrcvinfo si = { .sinfo_stream = 3, .sinfo_ppid = 0x1234,
				      .sinfo_context = 77, .sinfo_timetolive = 500,
				      .sinfo_flags = SCTP_UNORDERED };
	struct sctp_event_subscribe ev = { .sctp_data_io_event = 1, .sctp_association_event = 1,
					   .sctp_send_failure_event = 1, .sctp_shutdown_event = 1 };
	struct sctp_assoc_value seg = { .assoc_value = 1000 };

	memset(&pp, 0, sizeof pp);
	pp.spp_hbinterval = 7000;
	pp.spp_pathmaxrxt = 3;
	pp.spp_sackdelay = 150;
	pp.spp_flags = SPP_HB_ENABLE | SPP_SACKDELAY_ENABLE;
	SET(c, SCTP_RTOINFO, rto);
	SET(c, SCTP_ASSOCINFO, ap);
	SET(c, SCTP_INITMSG, init);
	SET(c, SCTP_NODELAY, one);
	SET(c, SCTP_AUTOCLOSE, autoclose);
	SET(c, SCTP_DISABLE_FRAGMENTS, one);
	SET(c, SCTP_PEER_ADDR_PARAMS, pp);
	SET(c, SCTP_DEFAULT_SEND_PARAM, si);
	SET(c, SCTP_EVENTS, ev);
	SET(c, SCTP_MAXSEG, seg);

	bind_or_die(c, &me, sizeof me);
	connect_v4(c, port);
	srv = v4("127.0.0.1", port);
	cid = assoc_to(c, &srv, sizeof srv);

	/* The association's own RTO and send defaults, unlike the endpoint's, so that the
	 * answers show which of the two a call read. */
	rto.srto_assoc_id = cid;
	rto.srto_initial = 300;
	rto.srto_max = 3000;
	rto.srto_min = 150;
	SET(c, SCTP_RTOINFO, rto);
	si.sinfo_assoc_id = cid;
	si.sinfo_stream = 5;
	si.sinfo_ppid = 0x5555;
	SET(c, SCTP_DEFAULT_SEND_PARAM, si);
	return c;
}

/* Every known option on the association, the wrong id in the argument overwritten. */
static void each_known(int c)
{
	char name[96];
	line("setup", "association id known: %s", cid > 0 ? "yes" : "no");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		snprintf(name, sizeof name, "optinfo.%s", known[i].name);
		read_opt(name, c, cid, &known[i]);
	}
}

/* Which association the id argument selects, on a one-to-many socket. */
static void ids(int c)
{
	static const struct { const char *name; sctp_assoc_t id; } which[] = {
		{ "future_assoc", SCTP_FUTURE_ASSOC },
		{ "current_assoc", SCTP_CURRENT_ASSOC },
		{ "all_assoc", SCTP_ALL_ASSOC },
	};
	static const int opts[] = { SCTP_RTOINFO, SCTP_STATUS, SCTP_MAXSEG, SCTP_PEER_ADDR_PARAMS };
	char name[96];
	union optbuf b;
	socklen_t size;

	for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
		const struct known *k = find(opts[o]);
		snprintf(name, sizeof name, "optinfo.%s.wrong_id", k->name);
		/* The right id already in the argument; the wrong one passed. */
		prep(k->opt, &b);
		memcpy(b.raw, &cid, sizeof cid);
		size = k->size;
		call(name, c, cid + 1000, k->opt, &b, &size);
		for (size_t w = 0; w < sizeof which / sizeof which[0]; w++) {
			snprintf(name, sizeof name, "optinfo.%s.%s", k->name, which[w].name);
			read_opt(name, c, which[w].id, k);
		}
	}
	read_opt("optinfo.get_peer_addr_info.wrong_id", c, cid + 1000,
		 find(SCTP_GET_PEER_ADDR_INFO));

	/* sctp_sndrcvinfo has its id at offset 28, where sctp_opt_info writes nothing: the
	 * kernel answers for the id the caller left there. */
	{
		static const struct { const char *name; sctp_assoc_t field; } fields[] = {
			{ "optinfo.default_send_param.field_assoc", 1 },
			{ "optinfo.default_send_param.field_zero", 0 },
			{ "optinfo.default_send_param.field_wrong", 2 },
		};
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			memset(&b, 0, sizeof b);
			b.si.sinfo_assoc_id = fields[f].field == 1 ? cid
					      : fields[f].field == 2 ? cid + 1000 : 0;
			size = sizeof b.si;
			if (call(fields[f].name, c, cid, SCTP_DEFAULT_SEND_PARAM, &b, &size) == 0)
				show(fields[f].name, SCTP_DEFAULT_SEND_PARAM, &b);
		}
	}
}

/* A one-to-one socket has one association: the id argument is ignored. */
static void one_to_one(void)
{
	int o = sctp_socket(AF_INET, SOCK_STREAM);
	struct sockaddr_in srv = v4("127.0.0.1", port);
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_max = 2000, .srto_min = 100 };
	struct sctp_initmsg init = { .sinit_num_ostreams = 4, .sinit_max_instreams = 6 };
	struct sctp_assoc_value seg = { .assoc_value = 1200 };
	sctp_assoc_t keep = cid;

	SET(o, SCTP_RTOINFO, rto);
	SET(o, SCTP_INITMSG, init);
	SET(o, SCTP_MAXSEG, seg);
	connect_v4(o, port);
	cid = assoc_to(o, &srv, sizeof srv);
	read_opt("optinfo.one_to_one.status_id_zero", o, 0, find(SCTP_STATUS));
	read_opt("optinfo.one_to_one.status_id_wrong", o, cid + 1000, find(SCTP_STATUS));
	read_opt("optinfo.one_to_one.rtoinfo_id_wrong", o, cid + 1000, find(SCTP_RTOINFO));
	read_opt("optinfo.one_to_one.autoclose", o, 0, find(SCTP_AUTOCLOSE));
	cid = keep;
	close(o);
}

/* Options lksctp does not pass on (all valid kernel options but the last). */
static void unknown(int c)
{
	static const struct { const char *name; int opt; } opts[] = {
		{ "optinfo.unknown.fragment_interleave", SCTP_FRAGMENT_INTERLEAVE },
		{ "optinfo.unknown.context", SCTP_CONTEXT },
		{ "optinfo.unknown.max_burst", SCTP_MAX_BURST },
		{ "optinfo.unknown.9999", 9999 },
	};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		union optbuf b, before;
		socklen_t size = sizeof(struct sctp_assoc_value);
		memset(&b, FILL, sizeof b);
		before = b;
		call(opts[i].name, c, cid, opts[i].opt, &b, &size);
		line(opts[i].name, "arg untouched: %s", memcmp(&b, &before, sizeof b) ? "no" : "yes");
	}
}

/* *size below the option's size: which bytes get written. */
static void short_size(int c, const char *check, int opt, socklen_t size)
{
	union optbuf b;
	socklen_t n = size;
	int r, past = 0;
	memset(&b, FILL, sizeof b);
	r = call(check, c, cid, opt, &b, &n);
	if (r == 0 && opt == SCTP_EVENTS)
		line(check, "bytes=%u %u", b.raw[0], b.raw[1]);
	for (size_t k = size; k < sizeof(sctp_assoc_t); k++)
		past |= b.raw[k] != FILL;
	line(check, "bytes past *size written: %s", past ? "yes" : "no");
}

static void null_arg_child(void *fd)
{
	socklen_t size = sizeof(struct sctp_status);
	call("optinfo.null_arg", *(int *)fd, cid, SCTP_STATUS, NULL, &size);
}

/* optinfo.null_size: a NULL size goes to the kernel, which answers EFAULT. */
static DELIBERATE void deliberate_null_size(int c, union optbuf *b)
{
	int r;
	errno = ERRNO_SENTINEL;
	r = sctp_opt_info(c, cid, SCTP_STATUS, b, NULL);
	line("optinfo.null_size", "ret=%d errno=%s size=NULL", r,
	     errno == ERRNO_SENTINEL ? "unchanged" : errname(errno));
}

static void bad_args(int c)
{
	union optbuf b;
	socklen_t size;
	int fd;

	short_size(c, "optinfo.status.size_2", SCTP_STATUS, 2);
	short_size(c, "optinfo.status.size_0", SCTP_STATUS, 0);
	short_size(c, "optinfo.nodelay.size_2", SCTP_NODELAY, 2);
	short_size(c, "optinfo.events.size_2", SCTP_EVENTS, 2);

	prep(SCTP_STATUS, &b);
	deliberate_null_size(c, &b);
	in_child("optinfo.null_arg", null_arg_child, &c);

#define BAD_FD(check, fd) (prep(SCTP_STATUS, &b), size = sizeof b.st, \
			   call(check, fd, cid, SCTP_STATUS, &b, &size))
	BAD_FD("optinfo.bad_fd", -1);
	BAD_FD("optinfo.closed_fd", 1000);
	fd = open("/dev/null", O_RDONLY);
	BAD_FD("optinfo.not_socket", fd);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	BAD_FD("optinfo.tcp_socket", fd);
	close(fd);
#undef BAD_FD
}

int main(void)
{
	int l = listener_v4(&port), c = configured_client();

	each_known(c);
	ids(c);
	one_to_one();
	unknown(c);
	bad_args(c);
	close(c);
	close(l);
	line("end", "done");
	return 0;
}
