#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *errname(int e)
{
	static char buf[32];
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EBADF) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY)
	E(EEXIST) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOSPC) E(EPIPE) E(EDOM) E(ERANGE) E(ENOSYS)
	E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT) E(EPROTONOSUPPORT)
	E(ESOCKTNOSUPPORT) E(EOPNOTSUPP) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL)
	E(ENETUNREACH) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS) E(EISCONN) E(ENOTCONN)
	E(ESHUTDOWN) E(ETIMEDOUT) E(ECONNREFUSED) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS)
#undef E
	}
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

void line(const char *check, const char *fmt, ...)
{
	va_list ap;
	printf("%s: ", check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void ret_errno(const char *check, long ret, int err)
{
	const char *cls = ret == -1 ? "-1" : ret == 0 ? "0" : ret > 0 ? ">0" : "<-1";
	line(check, "ret=%s errno=%s", cls, err == ERRNO_SENTINEL ? "unchanged" : errname(err));
}

int sctp_socket(int family, int type)
{
	int fd = socket(family, type, IPPROTO_SCTP);
	if (fd < 0) {
		fprintf(stderr, "FATAL: no kernel SCTP: socket(%d, %d, IPPROTO_SCTP): %s\n", family,
			type, strerror(errno));
		exit(2);
	}
	return fd;
}

struct sockaddr_in v4(const char *ip, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

struct sockaddr_in6 v6(const char *ip, uint16_t port)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		perror("FATAL: getsockname");
		exit(2);
	}
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

void bind_or_die(int fd, const void *addr, socklen_t len)
{
	if (bind(fd, (const struct sockaddr *)addr, len) < 0) {
		perror("FATAL: bind");
		exit(2);
	}
}

void subscribe(int fd, int data_io, int association, int shutdown)
{
	struct sctp_event_subscribe ev;
	memset(&ev, 0, sizeof ev);
	ev.sctp_data_io_event = data_io;
	ev.sctp_association_event = association;
	ev.sctp_shutdown_event = shutdown;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0) {
		perror("FATAL: SCTP_EVENTS");
		exit(2);
	}
}

int listener_v4(uint16_t *port)
{
	int fd = sctp_socket(AF_INET, SOCK_SEQPACKET);
	struct sockaddr_in a = v4("127.0.0.1", 0);
	bind_or_die(fd, &a, sizeof a);
	if (listen(fd, 16) < 0) {
		perror("FATAL: listen");
		exit(2);
	}
	subscribe(fd, 1, 1, 0);
	*port = local_port(fd);
	return fd;
}

void connect_v4(int fd, uint16_t port)
{
	struct sockaddr_in a = v4("127.0.0.1", port);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("FATAL: connect");
		exit(2);
	}
}

int assoc_client(int listener, uint16_t port, sctp_assoc_t *client_id, sctp_assoc_t *server_id)
{
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET);
	struct sockaddr_in me = v4("127.0.0.1", 0), srv = v4("127.0.0.1", port), peer;
	bind_or_die(c, &me, sizeof me);
	connect_v4(c, port);
	peer = v4("127.0.0.1", local_port(c));
	if (client_id)
		*client_id = assoc_to(c, &srv, sizeof srv);
	if (server_id)
		*server_id = assoc_to(listener, &peer, sizeof peer);
	return c;
}

sctp_assoc_t assoc_to(int fd, const void *addr, socklen_t len)
{
	struct sctp_paddrinfo pi;
	socklen_t l = sizeof pi;
	memset(&pi, 0, sizeof pi);
	memcpy(&pi.spinfo_address, addr, len);
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
		return 0;
	return pi.spinfo_assoc_id;
}

int assoc_count(int fd, sctp_assoc_t *first)
{
	union {
		struct sctp_assoc_ids ids;
		char raw[sizeof(struct sctp_assoc_ids) + 64 * sizeof(sctp_assoc_t)];
	} u;
	socklen_t l = sizeof u;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, &u, &l) < 0)
		return -1;
	if (first)
		*first = u.ids.gaids_number_of_ids ? u.ids.gaids_assoc_id[0] : 0;
	return (int)u.ids.gaids_number_of_ids;
}

static long recv_any(int fd, void *buf, size_t len, struct sctp_sndrcvinfo *si, int *flags, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char ctl[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) + 64];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m;
	struct cmsghdr *c;
	long n;

	if (poll(&p, 1, ms) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof ctl;
	n = recvmsg(fd, &m, 0);
	if (n < 0)
		return -1;
	memset(si, 0, sizeof *si);
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_SNDRCV)
			memcpy(si, CMSG_DATA(c), sizeof *si);
	*flags = m.msg_flags;
	return n;
}

long recv_data(int fd, void *buf, size_t len, struct sctp_sndrcvinfo *si, int *flags, int ms)
{
	for (;;) {
		long n = recv_any(fd, buf, len, si, flags, ms);
		if (n < 0 || !(*flags & MSG_NOTIFICATION))
			return n;
	}
}

const char *wait_assoc_change(int fd, int ms, sctp_assoc_t *id)
{
	union sctp_notification n;
	struct sctp_sndrcvinfo si;
	int flags;
	for (;;) {
		long r = recv_any(fd, &n, sizeof n, &si, &flags, ms);
		if (r < 0)
			return "none";
		if (!(flags & MSG_NOTIFICATION) || n.sn_header.sn_type != SCTP_ASSOC_CHANGE)
			continue;
		if (id)
			*id = n.sn_assoc_change.sac_assoc_id;
		return assoc_state_name(n.sn_assoc_change.sac_state);
	}
}

int wait_acked(int fd, sctp_assoc_t id, int ms)
{
	for (int waited = 0; waited <= ms; waited += 5) {
		struct sctp_status st;
		socklen_t l = sizeof st;
		memset(&st, 0, sizeof st);
		st.sstat_assoc_id = id;
		if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) == 0 && st.sstat_unackdata == 0)
			return 1;
		usleep(5000);
	}
	return 0;
}

int quiet_for(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, ms) == 0;
}

const char *sinfo_flags_name(unsigned flags)
{
	static char buf[128];
	buf[0] = 0;
	if (!flags)
		return "0";
#define F(x) if (flags & x) { strcat(buf, buf[0] ? "|" #x : #x); flags &= ~(unsigned)x; }
	F(SCTP_UNORDERED) F(SCTP_ADDR_OVER) F(SCTP_ABORT) F(SCTP_EOF)
#undef F
	if (flags)
		sprintf(buf + strlen(buf), "%s0x%x", buf[0] ? "|" : "", flags);
	return buf;
}

void in_child(const char *check, void (*fn)(void *), void *arg)
{
	int status = 0;
	pid_t pid;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		line(check, "fork/wait failed: %s", errname(errno));
		return;
	}
	if (WIFSIGNALED(status))
		line(check, "child killed by %s", WTERMSIG(status) == SIGSEGV ? "SIGSEGV"
		     : WTERMSIG(status) == SIGABRT ? "SIGABRT" : WTERMSIG(status) == SIGPIPE ? "SIGPIPE"
		     : "another signal");
	else
		line(check, "child exited %d", WEXITSTATUS(status));
}

void packed_add(struct packed *p, const void *addr, size_t len)
{
	if (p->len + len > sizeof p->buf) {
		fprintf(stderr, "FATAL: packed address array full\n");
		exit(2);
	}
	memcpy(p->buf + p->len, addr, len);
	p->len += len;
	p->cnt++;
}

void add4(struct packed *p, const char *ip, uint16_t port)
{
	struct sockaddr_in a = v4(ip, port);
	packed_add(p, &a, sizeof a);
}

void add6(struct packed *p, const char *ip, uint16_t port)
{
	struct sockaddr_in6 a = v6(ip, port);
	packed_add(p, &a, sizeof a);
}

long peer_recv(const char *check, int fd, void *buf, size_t len, struct sctp_sndrcvinfo *si,
	       int *flags, int ms)
{
	long n = recv_data(fd, buf, len, si, flags, ms);
	if (n < 0)
		line(check, "peer got nothing (%s)", errname(errno));
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

void peer_addrs(const char *check, int fd, sctp_assoc_t id)
{
	struct sockaddr *addrs = NULL;
	char names[8][INET6_ADDRSTRLEN], out[8 * INET6_ADDRSTRLEN + 8] = "";
	int n = sctp_getpaddrs(fd, id, &addrs), i;
	char *p = (char *)addrs;

	for (i = 0; i < n && i < 8; i++) {
		struct sockaddr_in a4;
		struct sockaddr_in6 a6;
		memcpy(&a4, p, sizeof a4);
		if (a4.sin_family == AF_INET) {
			inet_ntop(AF_INET, &a4.sin_addr, names[i], sizeof names[i]);
			p += sizeof a4;
		} else {
			memcpy(&a6, p, sizeof a6);
			inet_ntop(AF_INET6, &a6.sin6_addr, names[i], sizeof names[i]);
			p += sizeof a6;
		}
	}
	qsort(names, (size_t)i, sizeof names[0], cmp_str);
	for (int j = 0; j < i; j++) {
		strcat(out, j ? "," : "");
		strcat(out, names[j]);
	}
	line(check, "getpaddrs=%d [%s]", n, out);
	if (n >= 0) /* a list of 0 addresses is a block to free too */
		sctp_freepaddrs(addrs);
}

void set_events(int fd, int data_io, int association, int send_failure)
{
	struct sctp_event_subscribe ev;
	memset(&ev, 0, sizeof ev);
	ev.sctp_data_io_event = data_io;
	ev.sctp_association_event = association;
	ev.sctp_send_failure_event = send_failure;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0) {
		perror("FATAL: SCTP_EVENTS");
		exit(2);
	}
}

int fast_init(int fd, int attempts)
{
	struct sctp_rtoinfo rto = { .srto_initial = 100, .srto_max = 100, .srto_min = 50 };
	struct sctp_initmsg init = { .sinit_num_ostreams = 10, .sinit_max_instreams = 10,
				     .sinit_max_attempts = (uint16_t)attempts,
				     .sinit_max_init_timeo = 100 };
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto) < 0 ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init) < 0) {
		perror("FATAL: RTOINFO/INITMSG");
		exit(2);
	}
	return fd;
}

const char *msg_flags_name(int f)
{
	static char buf[128];
	buf[0] = 0;
	if (!f)
		return "0";
#define F(x) if (f & x) { strcat(buf, buf[0] ? "|" #x : #x); f &= ~x; }
	F(MSG_NOTIFICATION) F(MSG_EOR) F(MSG_TRUNC) F(MSG_CTRUNC) F(MSG_PEEK) F(MSG_DONTWAIT)
#undef F
	if (f)
		sprintf(buf + strlen(buf), "%s0x%x", buf[0] ? "|" : "", (unsigned)f);
	return buf;
}

const char *assoc_state_name(unsigned state)
{
	switch (state) {
	case SCTP_COMM_UP: return "COMM_UP";
	case SCTP_COMM_LOST: return "COMM_LOST";
	case SCTP_RESTART: return "RESTART";
	case SCTP_SHUTDOWN_COMP: return "SHUTDOWN_COMP";
	case SCTP_CANT_STR_ASSOC: return "CANT_STR_ASSOC";
	default: return "other";
	}
}

static const char *unnamed_state(int state)
{
	static __thread char buf[24];
	snprintf(buf, sizeof buf, "state%d", state);
	return buf;
}

const char *status_state_name(int state)
{
	switch (state) {
	case SCTP_EMPTY: return "EMPTY";
	case SCTP_CLOSED: return "CLOSED";
	case SCTP_COOKIE_WAIT: return "COOKIE_WAIT";
	case SCTP_COOKIE_ECHOED: return "COOKIE_ECHOED";
	case SCTP_ESTABLISHED: return "ESTABLISHED";
	case SCTP_SHUTDOWN_PENDING: return "SHUTDOWN_PENDING";
	case SCTP_SHUTDOWN_SENT: return "SHUTDOWN_SENT";
	case SCTP_SHUTDOWN_RECEIVED: return "SHUTDOWN_RECEIVED";
	case SCTP_SHUTDOWN_ACK_SENT: return "SHUTDOWN_ACK_SENT";
	}
	return unnamed_state(state);
}

const char *paddr_state_name(int state)
{
	switch (state) {
	case SCTP_INACTIVE: return "INACTIVE";
	case SCTP_PF: return "PF";
	case SCTP_ACTIVE: return "ACTIVE";
	case SCTP_UNCONFIRMED: return "UNCONFIRMED";
	}
	return unnamed_state(state);
}

const char *cumtsn_rel(uint32_t cumtsn, uint32_t tsn)
{
	static char buf[32];
	if (cumtsn == 0)
		return "0";
	snprintf(buf, sizeof buf, "tsn%+d", (int)(cumtsn - tsn));
	return buf;
}

int one_to_one_pair(int *client, int *accepted)
{
	int l = sctp_socket(AF_INET, SOCK_STREAM);
	struct sockaddr_in me = v4("127.0.0.1", 0);
	bind_or_die(l, &me, sizeof me);
	if (listen(l, 4) < 0) {
		perror("FATAL: listen");
		exit(2);
	}
	*client = sctp_socket(AF_INET, SOCK_STREAM);
	connect_v4(*client, local_port(l));
	*accepted = accept(l, NULL, NULL);
	if (*accepted < 0) {
		perror("FATAL: accept");
		exit(2);
	}
	subscribe(*accepted, 1, 0, 0);
	return l;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	if (!d) {
		perror("FATAL: /proc/self/fd");
		exit(2);
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

int kernel_assocs(uint16_t port)
{
	FILE *f = fopen("/proc/net/sctp/assocs", "r");
	char ln[1024];
	int n = 0;
	if (!f) {
		perror("FATAL: /proc/net/sctp/assocs");
		exit(2);
	}
	if (!fgets(ln, sizeof ln, f)) { /* the header line */
		fclose(f);
		return 0;
	}
	while (fgets(ln, sizeof ln, f)) {
		/* ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT ... */
		unsigned lport = 0, rport = 0;
		if (sscanf(ln, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %u %u", &lport, &rport) == 2
		    && (lport == port || rport == port))
			n++;
	}
	fclose(f);
	return n;
}

pid_t thread_id(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static char thread_state(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')'); /* "tid (comm) S ..." */
	return p && p[1] == ' ' ? p[2] : '?';
}

int thread_sleeping(pid_t tid, const volatile int *busy, int ms)
{
	int seen = 0;
	for (int waited = 0; waited <= ms; waited += 20) {
		if (*busy && thread_state(tid) == 'S') {
			if (++seen == 2)
				return 1;
		} else {
			seen = 0;
		}
		usleep(20000);
	}
	return 0;
}

static int watchdog_seconds;
static const char *volatile watchdog_what = "start";

static void *watchdog_main(void *arg)
{
	(void)arg;
	sleep((unsigned)watchdog_seconds);
	fprintf(stderr, "FATAL: watchdog: still running after %d s (in: %s)\n", watchdog_seconds,
		watchdog_what);
	printf("FATAL: watchdog: still running after %d s (in: %s)\n", watchdog_seconds,
	       watchdog_what);
	fflush(stdout);
	_exit(3);
	return NULL;
}

void watchdog(int seconds)
{
	pthread_t t;
	watchdog_seconds = seconds * slow_factor();
	if (pthread_create(&t, NULL, watchdog_main, NULL) != 0) {
		perror("FATAL: pthread_create");
		exit(2);
	}
	pthread_detach(t);
}

int slow_factor(void)
{
	const char *e = getenv("SCTP_RS_TEST_SLOW");
	int n = e ? atoi(e) : 1;
	return n > 0 ? n : 1;
}

void killed_on_purpose(pid_t pid)
{
	const char *path = getenv("SCTP_RS_TEST_KILLED");
	FILE *f;
	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f) {
		perror("FATAL: SCTP_RS_TEST_KILLED");
		exit(2);
	}
	fprintf(f, "%ld\n", (long)pid);
	fclose(f);
}

void watchdog_phase(const char *what)
{
	watchdog_what = what;
}

uint32_t fnv1a(uint32_t seed, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t h = seed ^ 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

void bind_sctp_now(void)
{
	char buf[4] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct sctp_sndrcvinfo si;
	struct sctp_rcvinfo rcv;
	struct sctp_rtoinfo rto;
	struct sockaddr *addrs = NULL;
	struct packed to = { .len = 0 };
	socklen_t infolen = sizeof rcv, l = sizeof rto;
	unsigned int infotype = 0;
	sctp_assoc_t id = 0;
	int flags = 0, saved = errno;

	memset(&si, 0, sizeof si);
	add4(&to, "127.0.0.1", 9);
	sctp_send(-1, buf, sizeof buf, &si, MSG_NOSIGNAL);
	sctp_sendmsg(-1, buf, sizeof buf, NULL, 0, 0, 0, 0, 0, 0);
	sctp_recvmsg(-1, buf, sizeof buf, NULL, NULL, &si, &flags);
	sctp_recvv(-1, &iov, 1, NULL, NULL, &rcv, &infolen, &infotype, &flags);
	sctp_peeloff(-1, 1);
	sctp_connectx(-1, (struct sockaddr *)to.buf, to.cnt, &id);
	sctp_opt_info(-1, 0, SCTP_RTOINFO, &rto, &l);
	if (sctp_getladdrs(-1, 0, &addrs) >= 0)
		sctp_freeladdrs(addrs);
	sctp_freeladdrs(NULL);
	addrs = NULL;
	if (sctp_getpaddrs(-1, 0, &addrs) >= 0)
		sctp_freepaddrs(addrs);
	sctp_freepaddrs(NULL);
	errno = saved;
}
