/* Faults on the real kernel SCTP stack, while library calls block in other threads:
 *
 * faults.<style>.<abort|shutdown>: one thread blocks in sctp_send (the peer does not read, so
 *   the send buffer fills) and another in sctp_recvmsg on the same socket, one-to-one or
 *   one-to-many; then the peer aborts (SCTP_ABORT / SO_LINGER 0) or shuts down (SCTP_EOF /
 *   shutdown(SHUT_WR)). Each call returns what the kernel reports (errno or 0 or a
 *   notification, printed); after a shutdown the peer drains and gets every message the
 *   sender was told went out. The sockets carry SO_SNDTIMEO/SO_RCVTIMEO of 8 s and every join
 *   is bounded, so a call that never returns prints "hang" instead of hanging the suite.
 * faults.peeloff_while_send_blocked: peeling off an association while a thread sleeps in a
 *   send on it: on 6.1 the peel-off succeeds and the sleeping send fails with EPIPE, its
 *   message not queued (sent again on the peeled-off fd it arrives once); a kernel that
 *   refuses with EBUSY instead lets the send complete first.
 * faults.peeled_off.peer_gone: a peeled-off socket whose association ended: no EOF and no
 *   poll event (unlike a one-to-one socket); a blocking read fails at once with ENOTCONN, a
 *   non-blocking one with EAGAIN, a send with EPIPE.
 * faults.signal.<call>.<no_restart|sa_restart>: SIGUSR1 (pthread_kill) while sctp_recvmsg,
 *   sctp_recvv, sctp_send (full buffer) or sctp_connectx (to a blackholed address, see
 *   scripts/test-net.sh) blocks. Without SA_RESTART the call fails with EINTR; with it,
 *   whether the call went on waiting after the handler, and how it ended (data arriving, the
 *   peer draining, the INIT attempts running out), is printed.
 *
 * A thread is "blocked" when it has flagged that it is inside the call and the kernel reports
 * it asleep (state S) twice, 20 ms apart; nothing printed depends on timing.
 *
 * Under valgrind (SCTP_RS_TEST_SLOW=N stretches the bounds) the two sctp_connectx signal
 * cases print other lines, with either library: valgrind does not expect getsockopt (which
 * sctp_connectx is) to block, so it keeps the other threads and the signal waiting until the
 * connect has timed out. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MSG 4096
#define BLACKHOLE "127.0.1.1"
#define ID_SENTINEL 777

enum op { OP_SEND_LOOP, OP_RECVMSG, OP_RECVV, OP_CONNECTX };

/* One library call in a thread of its own. */
struct call {
	enum op op;
	int fd;
	sctp_assoc_t assoc;	/* OP_SEND_LOOP on a one-to-many socket */
	struct packed to;	/* OP_CONNECTX */
	pthread_t th;
	volatile pid_t tid;
	volatile int busy;	/* inside the call */
	volatile int done;	/* the thread ended */
	volatile int stop;	/* OP_SEND_LOOP: end after the next successful send */
	ssize_t ret;
	int err, flags;
	int sent;		/* OP_SEND_LOOP: sends that succeeded */
	sctp_assoc_t id;	/* OP_CONNECTX: preset to ID_SENTINEL */
	char buf[MSG];
};

static void *call_main(void *arg)
{
	struct call *c = arg;
	c->tid = thread_id();
	for (;;) {
		struct sctp_sndrcvinfo si;
		struct sctp_rcvinfo rcv;
		struct iovec iov = { .iov_base = c->buf, .iov_len = sizeof c->buf };
		socklen_t infolen = sizeof rcv;
		unsigned int infotype = 0;

		memset(&si, 0, sizeof si);
		c->flags = 0;
		errno = ERRNO_SENTINEL;
		c->busy = 1;
		switch (c->op) {
		case OP_SEND_LOOP:
			si.sinfo_assoc_id = c->assoc;
			c->ret = sctp_send(c->fd, c->buf, MSG, &si, MSG_NOSIGNAL);
			break;
		case OP_RECVMSG:
			c->ret = sctp_recvmsg(c->fd, c->buf, sizeof c->buf, NULL, NULL, &si, &c->flags);
			break;
		case OP_RECVV:
			c->ret = sctp_recvv(c->fd, &iov, 1, NULL, NULL, &rcv, &infolen, &infotype,
					    &c->flags);
			break;
		case OP_CONNECTX:
			c->id = ID_SENTINEL;
			c->ret = sctp_connectx(c->fd, (struct sockaddr *)c->to.buf, c->to.cnt, &c->id);
			break;
		}
		c->err = errno;
		c->busy = 0;
		if (c->op == OP_SEND_LOOP && c->ret == MSG) {
			c->sent++;
			if (!c->stop)
				continue;
		}
		break;
	}
	c->done = 1;
	return NULL;
}

static void start(struct call *c)
{
	c->done = c->busy = 0;
	c->tid = 0;
	c->sent = 0;
	if (pthread_create(&c->th, NULL, call_main, c) != 0) {
		perror("FATAL: pthread_create");
		exit(2);
	}
	while (!c->tid)
		usleep(1000);
}

/* 1 when the call's thread sleeps inside the call (waits up to 3 s); a send loop must also
 * have made no progress meanwhile (a sender that sleeps briefly in each send, as one through
 * a daemon does, is not blocked until its sends stop succeeding). */
static int blocked(struct call *c)
{
	for (int tries = 0; tries < 50 && !c->done; tries++) {
		int sent = c->sent;
		if (!thread_sleeping(c->tid, &c->busy, 3000 * slow_factor()))
			return 0;
		if (c->op != OP_SEND_LOOP || c->sent == sent)
			return 1;
	}
	return 0;
}

/* Joins within `ms`; 0 if the thread is still in its call. */
static int join(struct call *c, int ms)
{
	struct timespec ts;
	ms *= slow_factor();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return pthread_timedjoin_np(c->th, NULL, &ts) == 0;
}

static const char *notification_name(const void *buf)
{
	const union sctp_notification *n = buf;
	static char other[32];
	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		return assoc_state_name(n->sn_assoc_change.sac_state);
	case SCTP_SHUTDOWN_EVENT:
		return "SHUTDOWN_EVENT";
	case SCTP_SEND_FAILED:
		return "SEND_FAILED";
	case SCTP_SEND_FAILED_EVENT:
		return "SEND_FAILED_EVENT";
	}
	snprintf(other, sizeof other, "type 0x%x", n->sn_header.sn_type);
	return other;
}

/* Prints how the call ended: "ret=... errno=..." and what it returned. */
static void report(const char *check, struct call *c, int ms)
{
	const char *cls;
	if (!join(c, ms)) {
		line(check, "hang: still in the call after %d ms", ms);
		return;
	}
	cls = c->ret == -1 ? "-1" : c->ret == 0 ? "0" : ">0";
	if (c->op == OP_SEND_LOOP)
		line(check, "ret=%s errno=%s (sends that succeeded before: %s)",
		     c->ret == MSG ? "len" : cls,
		     c->err == ERRNO_SENTINEL ? "unchanged" : errname(c->err),
		     c->sent > 0 ? "some" : "none");
	else if (c->op == OP_CONNECTX)
		line(check, "ret=%s errno=%s id=%s", cls,
		     c->err == ERRNO_SENTINEL ? "unchanged" : errname(c->err),
		     c->id == ID_SENTINEL ? "untouched" : c->id ? "set" : "zero");
	else if (c->ret > 0 && (c->flags & MSG_NOTIFICATION))
		line(check, "ret=>0 errno=%s notification=%s",
		     c->err == ERRNO_SENTINEL ? "unchanged" : errname(c->err),
		     notification_name(c->buf));
	else if (c->ret > 0)
		line(check, "ret=%zd errno=%s data=%.*s", c->ret,
		     c->err == ERRNO_SENTINEL ? "unchanged" : errname(c->err), (int)c->ret, c->buf);
	else
		line(check, "ret=%s errno=%s", cls, c->err == ERRNO_SENTINEL ? "unchanged"
		     : errname(c->err));
}

static void timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

/* Reads and drops what is queued on fd now (notifications of the setup). */
static void drain_now(int fd)
{
	char buf[MSG];
	struct sctp_sndrcvinfo si;
	int fl;
	while (recv_data(fd, buf, sizeof buf, &si, &fl, 50) >= 0)
		;
}

/* The peer reads until it has `c->sent` messages of the sender and the sender's thread has
 * ended (or 10 s passed). Returns the number of messages read; every one must be MSG bytes. */
static int peer_drain(int p, struct call *c, int before)
{
	char buf[MSG + 16];
	struct sctp_sndrcvinfo si;
	int fl, got = 0, bad = 0;
	for (int waited = 0; waited < 10000;) {
		long n = recv_data(p, buf, sizeof buf, &si, &fl, 200);
		if (n < 0) {
			waited += 200;
			if (c->done && got >= before + c->sent)
				break;
			continue;
		}
		if (n == MSG && (fl & MSG_EOR))
			got++;
		else
			bad++;
	}
	return bad ? -1 : got;
}

/* An association between `a` (the side whose calls block) and `p` (the peer). */
struct pair {
	int a, p, l;		/* l: one-to-one listener, or -1 */
	sctp_assoc_t a_id, p_id;
	uint16_t a_port;
};

/* RTO 20..200 ms on a's association instead of 1..60 s: once the peer starts reading again,
 * the sender probes the closed window when the retransmission timer expires, which would
 * otherwise take a second each time. */
static void quick_rto(int fd, sctp_assoc_t id)
{
	struct sctp_rtoinfo rto = { .srto_assoc_id = id, .srto_initial = 100, .srto_max = 200,
				    .srto_min = 20 };
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto) < 0) {
		perror("FATAL: SCTP_RTOINFO");
		exit(2);
	}
}

static void pair_many(struct pair *x)
{
	uint16_t port;
	x->l = -1;
	x->p = listener_v4(&port);
	x->a = assoc_client(x->p, port, &x->a_id, &x->p_id);
	x->a_port = local_port(x->a);
	quick_rto(x->a, x->a_id);
}

static void pair_one(struct pair *x)
{
	x->l = one_to_one_pair(&x->a, &x->p);
	x->a_id = x->p_id = 0;
	x->a_port = local_port(x->a);
	quick_rto(x->a, 0);
}

static void pair_close(struct pair *x)
{
	if (x->a >= 0)
		close(x->a);
	if (x->p >= 0)
		close(x->p);
	if (x->l >= 0)
		close(x->l);
}

/* ------------------------------------------------------------- ABORT / SHUTDOWN */

/* The peer of a one-to-many pair ends association `id` with sctp_send(NULL, 0) and `flag`
 * (SCTP_ABORT or SCTP_EOF): prints "<base>.peer_sctp_send_<what>: ret=... errno=...". */
static void peer_end(int fd, sctp_assoc_t id, unsigned flag, const char *base, const char *what)
{
	struct sctp_sndrcvinfo si;
	char name[128];
	ssize_t r;
	memset(&si, 0, sizeof si);
	si.sinfo_flags = (uint16_t)flag;
	si.sinfo_assoc_id = id;
	errno = ERRNO_SENTINEL;
	r = sctp_send(fd, NULL, 0, &si, 0);
	snprintf(name, sizeof name, "%s.peer_sctp_send_%s", base, what);
	ret_errno(name, r, errno);
}

static void midflight(int one_to_one, int abort)
{
	char name[96], base[64];
	struct pair x;
	struct call snd, rcv;
	int sb, rb;

	snprintf(base, sizeof base, "faults.%s.%s", one_to_one ? "one_to_one" : "one_to_many",
		 abort ? "abort" : "shutdown");
	watchdog_phase(base);
	memset(&snd, 0, sizeof snd);
	memset(&rcv, 0, sizeof rcv);
	if (one_to_one)
		pair_one(&x);
	else
		pair_many(&x);
	timeouts(x.a, 8);
	if (!one_to_one) {
		subscribe(x.a, 1, 1, 1); /* data_io, association and shutdown events */
		drain_now(x.a);
	}
	rcv.op = OP_RECVMSG;
	rcv.fd = x.a;
	start(&rcv);
	rb = blocked(&rcv);
	snd.op = OP_SEND_LOOP;
	snd.fd = x.a;
	snd.assoc = x.a_id;
	memset(snd.buf, 'm', sizeof snd.buf);
	start(&snd);
	sb = blocked(&snd);
	snprintf(name, sizeof name, "%s.blocked", base);
	line(name, "sctp_send=%s sctp_recvmsg=%s", sb ? "yes" : "no", rb ? "yes" : "no");

	if (abort) {
		if (one_to_one) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(x.p, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(x.p); /* ABORT */
			x.p = -1;
		} else {
			peer_end(x.p, x.p_id, SCTP_ABORT, base, "abort");
		}
	} else {
		if (one_to_one) {
			int r;
			snprintf(name, sizeof name, "%s.peer_shutdown_wr", base);
			errno = ERRNO_SENTINEL;
			r = shutdown(x.p, SHUT_WR);
			ret_errno(name, r, errno);
		} else {
			peer_end(x.p, x.p_id, SCTP_EOF, base, "eof");
		}
	}
	snprintf(name, sizeof name, "%s.sctp_send", base);
	report(name, &snd, 5000);
	if (!abort) {
		int got = peer_drain(x.p, &snd, 0);
		snprintf(name, sizeof name, "%s.peer", base);
		line(name, "drained; got every message the sender was told went out: %s",
		     got == snd.sent ? "yes" : "no");
	}
	snprintf(name, sizeof name, "%s.sctp_recvmsg", base);
	report(name, &rcv, 5000);

	/* Once the association is gone from the kernel: what further calls get. */
	for (int i = 0; i < 250 && kernel_assocs(x.a_port) > 0; i++)
		usleep(20000);
	snprintf(name, sizeof name, "%s.gone", base);
	line(name, "kernel associations on the port=%d", kernel_assocs(x.a_port));
	fcntl(x.a, F_SETFL, fcntl(x.a, F_GETFL) | O_NONBLOCK);
	{
		struct sctp_sndrcvinfo si;
		ssize_t r;
		memset(&si, 0, sizeof si);
		si.sinfo_assoc_id = x.a_id;
		snprintf(name, sizeof name, "%s.after.sctp_send", base);
		errno = ERRNO_SENTINEL;
		r = sctp_send(x.a, "x", 1, &si, MSG_NOSIGNAL);
		ret_errno(name, r, errno);
	}
	for (int i = 0; i < 3; i++) {
		struct call after;
		memset(&after, 0, sizeof after);
		after.op = OP_RECVMSG;
		after.fd = x.a;
		start(&after);
		snprintf(name, sizeof name, "%s.after.sctp_recvmsg.%d", base, i + 1);
		report(name, &after, 5000);
		if (after.ret <= 0)
			break;
	}
	pair_close(&x);
}

/* ------------------------------------------------------------- EBUSY */

static void peeloff_busy(void)
{
	struct pair x;
	struct call snd, again;
	int r, got;

	watchdog_phase("peeloff_while_send_blocked");
	memset(&snd, 0, sizeof snd);
	memset(&again, 0, sizeof again);
	pair_many(&x);
	snd.op = OP_SEND_LOOP;
	snd.fd = x.a;
	snd.assoc = x.a_id;
	memset(snd.buf, 'b', sizeof snd.buf);
	start(&snd);
	line("faults.peeloff_while_send_blocked.blocked", "sctp_send=%s",
	     blocked(&snd) ? "yes" : "no");
	errno = ERRNO_SENTINEL;
	r = sctp_peeloff(x.a, x.a_id);
	ret_errno("faults.peeloff_while_send_blocked", r, errno);
	if (r < 0) { /* refused (EBUSY): let the send complete, then peel off */
		snd.stop = 1;
		got = peer_drain(x.p, &snd, 0);
		report("faults.peeloff_while_send_blocked.sctp_send", &snd, 5000);
		errno = ERRNO_SENTINEL;
		r = sctp_peeloff(x.a, x.a_id);
		ret_errno("faults.peeloff_after_send_returned", r, errno);
	} else {
		/* The sleeping sender lost its association: the message it was sending went
		 * nowhere. Sent again on the peeled-off fd, it arrives once. */
		report("faults.peeloff_while_send_blocked.sctp_send", &snd, 5000);
		again.op = OP_SEND_LOOP;
		again.fd = r;
		again.stop = 1;
		memset(again.buf, 'b', sizeof again.buf);
		start(&again);
		got = peer_drain(x.p, &again, snd.sent);
		report("faults.peeloff_while_send_blocked.again_on_peeled_fd", &again, 5000);
		line("faults.peeloff_while_send_blocked.peer",
		     "got every message sent before, and the failed one once: %s",
		     got == snd.sent + 1 && again.sent == 1 ? "yes" : "no");
	}
	if (r >= 0)
		close(r);
	pair_close(&x);
}

/* A peeled-off socket whose peer closed: unlike a one-to-one socket it never reads 0 and
 * never polls readable or hung up; without association events only a read or send that
 * fails tells it. */
static void peeled_off_end(void)
{
	uint16_t port;
	int l = listener_v4(&port), c, p, r;
	sctp_assoc_t sid;
	struct pollfd pf;
	struct timeval tv = { .tv_usec = 300000 };
	struct sctp_sndrcvinfo si;
	char buf[64];
	int fl = 0;
	uint16_t cport;

	watchdog_phase("peeled_off_end");
	subscribe(l, 0, 0, 0);
	c = assoc_client(l, port, NULL, &sid);
	cport = local_port(c);
	p = sctp_peeloff(l, sid);
	close(c); /* graceful SHUTDOWN from the peer */
	for (int i = 0; i < 250 && kernel_assocs(cport) > 0; i++)
		usleep(20000);
	pf = (struct pollfd){ .fd = p, .events = POLLIN | POLLRDHUP };
	r = poll(&pf, 1, 0);
	line("faults.peeled_off.peer_gone", "kernel associations=%d; poll=%d revents=%s",
	     kernel_assocs(cport), r, pf.revents ? "some" : "none");
	/* Blocking (bounded by SO_RCVTIMEO: a timeout would say EAGAIN), then non-blocking. */
	setsockopt(p, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	memset(&si, 0, sizeof si);
	errno = ERRNO_SENTINEL;
	r = (int)sctp_recvmsg(p, buf, sizeof buf, NULL, NULL, &si, &fl);
	ret_errno("faults.peeled_off.peer_gone.sctp_recvmsg", r, errno);
	fl = MSG_DONTWAIT; /* sctp_recvmsg passes *msg_flags to recvmsg, as lksctp does */
	errno = ERRNO_SENTINEL;
	r = (int)sctp_recvmsg(p, buf, sizeof buf, NULL, NULL, &si, &fl);
	ret_errno("faults.peeled_off.peer_gone.sctp_recvmsg_dontwait", r, errno);
	memset(&si, 0, sizeof si);
	errno = ERRNO_SENTINEL;
	r = (int)sctp_send(p, "x", 1, &si, MSG_NOSIGNAL);
	ret_errno("faults.peeled_off.peer_gone.sctp_send", r, errno);
	close(p);
	close(l);
}

/* ------------------------------------------------------------- signals */

static volatile sig_atomic_t hits;

static void on_signal(int sig)
{
	(void)sig;
	hits++;
}

static void set_handler(int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
}

/* After the handler ran: 1 if the call went back to sleep in the kernel (restarted), 0 if it
 * returned (waits up to 2 s). */
static int waiting_again(struct call *c)
{
	for (int i = 0; i < 100 && !c->done; i++) {
		if (c->busy && thread_sleeping(c->tid, &c->busy, 40))
			return !c->done;
		usleep(20000);
	}
	return 0;
}

static void signal_case(enum op op, int restart, int rcvtimeo)
{
	static const char *const names[] = { "sctp_send", "sctp_recvmsg", "sctp_recvv",
					     "sctp_connectx" };
	char base[96], name[128];
	struct pair x;
	struct call c;
	int b;

	snprintf(base, sizeof base, "faults.signal.%s.%s%s", names[op],
		 restart ? "sa_restart" : "no_restart", rcvtimeo ? "_with_rcvtimeo" : "");
	watchdog_phase(base);
	memset(&c, 0, sizeof c);
	memset(&x, 0, sizeof x);
	x.a = x.p = x.l = -1;
	c.op = op;
	if (op == OP_CONNECTX) {
		/* A blackholed peer: the INIT is never answered; 10 INITs 100 ms apart (more in a
		 * slow run: the signal must come while it still waits). */
		x.a = fast_init(sctp_socket(AF_INET, SOCK_SEQPACKET), 10 * slow_factor());
		subscribe(x.a, 0, 1, 0);
		add4(&c.to, BLACKHOLE, 9);
	} else {
		pair_many(&x);
		drain_now(x.a);
	}
	if (rcvtimeo)
		timeouts(x.a, 8);
	c.fd = x.a;
	c.assoc = x.a_id;
	memset(c.buf, 's', sizeof c.buf);
	set_handler(restart);
	start(&c);
	b = blocked(&c);
	pthread_kill(c.th, SIGUSR1);
	for (int i = 0; i < 200 && !hits; i++)
		usleep(10000);
	snprintf(name, sizeof name, "%s.blocked", base);
	line(name, "in the call=%s; handler ran %d time(s)", b ? "yes" : "no", (int)hits);
	if (restart) {
		snprintf(name, sizeof name, "%s.after_handler", base);
		line(name, "the call went on waiting: %s", waiting_again(&c) ? "yes" : "no");
		if (!c.done) { /* let it end: the data it waits for, or room for the message */
			if (op == OP_RECVMSG || op == OP_RECVV) {
				struct sctp_sndrcvinfo si;
				memset(&si, 0, sizeof si);
				si.sinfo_assoc_id = x.p_id;
				sctp_send(x.p, "wake", 4, &si, 0);
			} else if (op == OP_SEND_LOOP) {
				c.stop = 1;
			}
		}
	}
	if (op == OP_SEND_LOOP) {
		int got = peer_drain(x.p, &c, 0);
		snprintf(name, sizeof name, "%s.peer", base);
		line(name, "got every message the sender was told went out, none more: %s",
		     got == c.sent ? "yes" : "no");
	}
	snprintf(name, sizeof name, "%s.%s", base, names[op]);
	report(name, &c, op == OP_CONNECTX ? 5000 : 3000);
	if (op == OP_CONNECTX) {
		/* What the interrupted connect left behind. */
		sctp_assoc_t id = 0;
		int n = assoc_count(x.a, NULL);
		snprintf(name, sizeof name, "%s.left_behind", base);
		line(name, "associations=%d", n);
		if (n > 0) {
			int r;
			snprintf(name, sizeof name, "%s.connectx_again", base);
			errno = ERRNO_SENTINEL;
			r = sctp_connectx(x.a, (struct sockaddr *)c.to.buf, c.to.cnt, &id);
			ret_errno(name, r, errno);
			const char *change = wait_assoc_change(x.a, 5000 * slow_factor(), NULL);
			snprintf(name, sizeof name, "%s.then", base);
			line(name, "association change=%s; associations=%d", change,
			     assoc_count(x.a, NULL));
		}
	}
	signal(SIGUSR1, SIG_DFL);
	pair_close(&x);
}

/* Without a signal, for reference: how a blocking connectx to the blackhole ends. */
static void connectx_unanswered(void)
{
	struct call c;
	memset(&c, 0, sizeof c);
	watchdog_phase("connectx_unanswered");
	c.op = OP_CONNECTX;
	c.fd = fast_init(sctp_socket(AF_INET, SOCK_SEQPACKET), 3);
	add4(&c.to, BLACKHOLE, 9);
	start(&c);
	report("faults.connectx_unanswered.sctp_connectx", &c, 5000);
	line("faults.connectx_unanswered.left_behind", "associations=%d", assoc_count(c.fd, NULL));
	close(c.fd);
}

int main(void)
{
	int fds = count_fds();
	bind_sctp_now(); /* before any other thread, the watchdog's too */
	watchdog(55);
	for (int one = 1; one >= 0; one--) {
		midflight(one, 1);
		midflight(one, 0);
	}
	peeloff_busy();
	peeled_off_end();
	connectx_unanswered();
	for (int restart = 0; restart <= 1; restart++) {
		signal_case(OP_RECVMSG, restart, 0);
		signal_case(OP_RECVV, restart, 0);
		signal_case(OP_SEND_LOOP, restart, 0);
		signal_case(OP_CONNECTX, restart, 0);
	}
	signal_case(OP_RECVMSG, 1, 1);
	line("faults.fds", "leaked=%d", count_fds() - fds);
	line("end", "done");
	return 0;
}
