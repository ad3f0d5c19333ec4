/* Load on the real kernel SCTP stack. Two checks, each printing counts and verdicts only:
 *
 * load.peeloff_under_send: 16 sender threads share ONE one-to-many socket (the listener) that
 * carries 8 associations, 4 streams each (stream 3 unordered), while a peeler thread branches
 * the associations off it one by one with sctp_peeloff. Every message carries (association,
 * stream, sequence, sending thread, length, checksum of the payload); one receiver thread
 * polls the 8 peers and counts what is lost, duplicated, corrupted or, on an ordered stream,
 * out of order.
 *
 *   Why this is race-free, and how it is proven: each (association, stream) has exactly one
 *   writer thread (thread t writes association t % 8, streams 2*(t/8) and 2*(t/8)+1), so its
 *   sequence numbers leave in order. A sender reads the association's current descriptor (the
 *   listener, then the peeled-off fd, published by the peeler after sctp_peeloff returned)
 *   before each send. Once the association has moved, a send on the listener with its id
 *   fails with EPIPE before anything is queued (the kernel finds no such association on that
 *   socket), and so does a send that was asleep waiting for send-buffer space on the
 *   listener when the association moved (faults.c shows both: the failed message never
 *   arrives); the sender then waits for the new descriptor and sends the same sequence
 *   number again on it. Data queued before the move moves with the association (the kernel
 *   keeps it in the association's queue), so per stream the order is the order of the single
 *   writer. (Kernels that refuse the peel-off with EBUSY while a sender sleeps on the
 *   association are retried.) The receivers prove the result: every sequence of every
 *   (association, stream) exactly once, intact, and in order on the ordered streams.
 *   Each peel-off happens mid-run: the peeler waits until both writers of the association
 *   have sent a tenth more of their messages than for the association before (so at least
 *   that many went out on the listener), and a writer that got 5% further without the
 *   association being peeled waits for it (so the rest, at least 15%, goes out on the peeled
 *   fd); between the two points the peel-off races with the sends of that association, and
 *   the other associations' writers run on throughout.
 *
 * load.echo200: 200 one-to-one clients connect at once (non-blocking sctp_connectx) to one
 * one-to-many listener; a server thread on epoll peels each association off when its COMM_UP
 * arrives and echoes every message on the peeled-off descriptor (sctp_recvmsg, sctp_send);
 * the clients (poll) check every echo byte for byte, with its stream and ppid, then close. The
 * descriptors of the process are counted before and after (nothing leaked) and the kernel's
 * association table must have none left on the listener's port.
 *
 * SCTP_RS_LOAD_DIVISOR=N (default 1) divides the message counts, for slow runs (valgrind); the
 * printed counts change with it, the verdicts do not. SCTP_RS_TEST_SLOW=N stretches the
 * watchdog. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define ASSOCS 8
#define STREAMS 4
#define UNORDERED_STREAM 3
#define SENDERS 16
#define PER_STREAM_DEFAULT 250 /* 16 threads x 500 = 8000 messages */
#define MAGIC 0x5c7b10adu
#define MAX_MSG 1200

static int divisor = 1;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- peeloff_under_send */

struct hdr {
	uint32_t magic, assoc, stream, seq, thread, len, sum;
};

static int per_stream;
static int listener;
static sctp_assoc_t sid[ASSOCS];
static int clients[ASSOCS];
static _Atomic int cur_fd[ASSOCS];	/* where association a is sent: listener, then peeled fd */
static _Atomic int peeled[ASSOCS];
static _Atomic int progress[SENDERS];	/* messages thread t has sent */
static int on_listener[SENDERS], on_peeled[SENDERS], moved[SENDERS], send_errors[SENDERS];
static int peel_busy, peel_errors;

static int owner(int a, int s)
{
	return a + ASSOCS * (s / 2);
}

/* The message of (a, s, seq): header + a payload whose length and bytes follow from them. */
static size_t build(unsigned char *buf, int a, int s, int seq)
{
	struct hdr h = { MAGIC, (uint32_t)a, (uint32_t)s, (uint32_t)seq, (uint32_t)owner(a, s), 0, 0 };
	size_t plen = 16 + (size_t)((seq * 37 + a * 11 + s * 5) % 1000);
	uint32_t x = (uint32_t)(a * 1000003 + s * 10007 + seq * 101 + 1);
	for (size_t i = 0; i < plen; i++) {
		x = x * 1103515245u + 12345u;
		buf[sizeof h + i] = (unsigned char)(x >> 16);
	}
	h.len = (uint32_t)(sizeof h + plen);
	h.sum = fnv1a(h.seq ^ (h.assoc << 24) ^ (h.stream << 16), buf + sizeof h, plen);
	memcpy(buf, &h, sizeof h);
	return h.len;
}

static void *sender(void *arg)
{
	int t = (int)(intptr_t)arg, a = t % ASSOCS, s0 = 2 * (t / ASSOCS);
	int total = 2 * per_stream, gate = total * (a + 1) / 10 + total / 20;
	unsigned char buf[MAX_MSG];

	for (int k = 0; k < total; k++) {
		int s = s0 + (k & 1), seq = k >> 1;
		size_t len = build(buf, a, s, seq);
		struct sctp_sndrcvinfo si;

		/* Past the gate only once the association has moved (waits at most 10 s). */
		for (int w = 0; k == gate && !atomic_load(&peeled[a]) && w < 20000; w++)
			usleep(500);
		memset(&si, 0, sizeof si);
		si.sinfo_stream = (uint16_t)s;
		si.sinfo_assoc_id = sid[a];
		si.sinfo_ppid = htonl((uint32_t)t);
		si.sinfo_flags = s == UNORDERED_STREAM ? SCTP_UNORDERED : 0;
		for (;;) {
			int fd = atomic_load(&cur_fd[a]);
			ssize_t n = sctp_send(fd, buf, len, &si, MSG_NOSIGNAL);
			if (n == (ssize_t)len) {
				if (fd == listener)
					on_listener[t]++;
				else
					on_peeled[t]++;
				break;
			}
			if (n < 0 && errno == EPIPE && fd == listener) {
				/* Moved: nothing was queued. Wait for the peeled-off fd (the peeler
				 * publishes it right after sctp_peeloff returns), then send the same
				 * message there. */
				for (int w = 0; atomic_load(&cur_fd[a]) == listener && w < 20000; w++)
					usleep(500);
				if (atomic_load(&cur_fd[a]) != listener) {
					moved[t]++;
					continue;
				}
			}
			fprintf(stderr, "load: thread %d: sctp_send(a=%d s=%d seq=%d) = %zd %s\n", t, a,
				s, seq, n, n < 0 ? errname(errno) : "short");
			send_errors[t]++;
			break;
		}
		atomic_store(&progress[t], k + 1);
	}
	return NULL;
}

static void *peeler(void *arg)
{
	int total = 2 * per_stream;
	(void)arg;
	for (int a = 0; a < ASSOCS; a++) {
		int lo = total * (a + 1) / 10, nfd;
		/* Both writers of association a (threads a and a + 8) are past lo. */
		for (int w = 0; (atomic_load(&progress[a]) < lo || atomic_load(&progress[a + ASSOCS]) < lo)
				&& w < 40000; w++)
			usleep(250);
		for (;;) {
			nfd = sctp_peeloff(listener, sid[a]);
			if (nfd >= 0)
				break;
			if (errno == EBUSY) { /* a kernel that will not move it while a sender sleeps */
				peel_busy++;
				usleep(1000);
				continue;
			}
			fprintf(stderr, "load: sctp_peeloff(association %d) failed: %s\n", a,
				errname(errno));
			peel_errors++;
			break;
		}
		if (nfd >= 0) {
			atomic_store(&cur_fd[a], nfd);
			atomic_store(&peeled[a], 1);
		}
	}
	return NULL;
}

struct rx {
	int lost, dup, corrupt, reordered, received;
	unsigned char *seen;	/* [ASSOCS][STREAMS][per_stream] */
	int next[ASSOCS][STREAMS];
};

/* One message from the peer of association a: checks it and counts it. */
static void account(struct rx *r, int a, const unsigned char *buf, ssize_t n,
		    const struct sctp_sndrcvinfo *si, int flags)
{
	struct hdr h;
	unsigned char want[MAX_MSG];
	int s;

	if (n < (ssize_t)sizeof h || !(flags & MSG_EOR)) {
		r->corrupt++;
		return;
	}
	memcpy(&h, buf, sizeof h);
	s = (int)h.stream;
	if (h.magic != MAGIC || h.assoc != (uint32_t)a || h.stream >= STREAMS ||
	    h.seq >= (uint32_t)per_stream || h.len != (uint32_t)n ||
	    si->sinfo_stream != h.stream || ntohl(si->sinfo_ppid) != (uint32_t)owner(a, s) ||
	    h.thread != (uint32_t)owner(a, s) ||
	    !!(si->sinfo_flags & SCTP_UNORDERED) != (s == UNORDERED_STREAM) ||
	    h.sum != fnv1a(h.seq ^ (h.assoc << 24) ^ (h.stream << 16), buf + sizeof h,
			   (size_t)n - sizeof h) ||
	    build(want, a, s, (int)h.seq) != (size_t)n || memcmp(want, buf, (size_t)n) != 0) {
		r->corrupt++;
		return;
	}
	unsigned char *seen = &r->seen[((size_t)a * STREAMS + (size_t)s) * (size_t)per_stream + h.seq];
	if (*seen) {
		r->dup++;
		return;
	}
	*seen = 1;
	r->received++;
	if (s != UNORDERED_STREAM) {
		if ((int)h.seq < r->next[a][s])
			r->reordered++; /* arrived after a later one of its stream */
		else
			r->next[a][s] = (int)h.seq + 1;
	}
}

static void *receiver(void *arg)
{
	struct rx *r = arg;
	struct pollfd p[ASSOCS];
	int total = SENDERS * 2 * per_stream;
	unsigned char buf[MAX_MSG + 64];

	for (int a = 0; a < ASSOCS; a++)
		p[a] = (struct pollfd){ .fd = clients[a], .events = POLLIN };
	while (r->received < total) {
		int ready = poll(p, ASSOCS, 10000);
		if (ready <= 0)
			break; /* 10 s without a message: the rest counts as lost */
		for (int a = 0; a < ASSOCS; a++) {
			struct sctp_sndrcvinfo si;
			int flags = 0;
			ssize_t n;
			if (!(p[a].revents & POLLIN))
				continue;
			memset(&si, 0, sizeof si);
			n = sctp_recvmsg(clients[a], buf, sizeof buf, NULL, NULL, &si, &flags);
			if (n < 0) {
				fprintf(stderr, "load: receiver: sctp_recvmsg: %s\n", errname(errno));
				r->corrupt++;
				continue;
			}
			if (flags & MSG_NOTIFICATION)
				continue;
			account(r, a, buf, n, &si, flags);
		}
	}
	for (size_t i = 0; i < (size_t)ASSOCS * STREAMS * (size_t)per_stream; i++)
		r->lost += !r->seen[i];
	return NULL;
}

static void peeloff_under_send(void)
{
	uint16_t port;
	pthread_t th[SENDERS], pt, rt;
	struct rx r;
	int fds_before = count_fds(), total, errors = 0, mid = 0, npeeled = 0, nmoved = 0;
	double t0 = now();

	watchdog_phase("peeloff_under_send");
	per_stream = PER_STREAM_DEFAULT / divisor;
	if (per_stream < 20)
		per_stream = 20;
	total = SENDERS * 2 * per_stream;
	memset(&r, 0, sizeof r);
	r.seen = calloc((size_t)ASSOCS * STREAMS * (size_t)per_stream, 1);

	listener = sctp_socket(AF_INET, SOCK_SEQPACKET);
	{
		struct sockaddr_in a = v4("127.0.0.1", 0);
		bind_or_die(listener, &a, sizeof a);
		if (listen(listener, 16) < 0) {
			perror("FATAL: listen");
			exit(2);
		}
		port = local_port(listener);
		/* RTO 20..200 ms instead of the default 1..60 s: 16 senders outrun the one
		 * receiver and close the peers' windows, and the sender probes a zero window only
		 * when the retransmission timer expires (with the default, the run takes 5 times
		 * as long, waiting). The associations inherit it. */
		struct sctp_rtoinfo rto = { .srto_initial = 100, .srto_max = 200, .srto_min = 20 };
		if (setsockopt(listener, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto) < 0) {
			perror("FATAL: SCTP_RTOINFO");
			exit(2);
		}
	}
	for (int a = 0; a < ASSOCS; a++) {
		clients[a] = assoc_client(listener, port, NULL, &sid[a]);
		subscribe(clients[a], 1, 0, 0);
		atomic_store(&cur_fd[a], listener);
		if (sid[a] == 0) {
			fprintf(stderr, "FATAL: association %d: no id on the listener\n", a);
			exit(2);
		}
	}
	pthread_create(&rt, NULL, receiver, &r);
	pthread_create(&pt, NULL, peeler, NULL);
	for (int t = 0; t < SENDERS; t++)
		pthread_create(&th[t], NULL, sender, (void *)(intptr_t)t);
	for (int t = 0; t < SENDERS; t++)
		pthread_join(th[t], NULL);
	pthread_join(pt, NULL);
	pthread_join(rt, NULL);

	for (int t = 0; t < SENDERS; t++) {
		errors += send_errors[t];
		nmoved += moved[t];
	}
	for (int a = 0; a < ASSOCS; a++) {
		int t1 = a, t2 = a + ASSOCS;
		npeeled += atomic_load(&peeled[a]);
		mid += atomic_load(&peeled[a]) && on_listener[t1] > 0 && on_listener[t2] > 0 &&
		       on_peeled[t1] > 0 && on_peeled[t2] > 0;
	}
	line("load.peeloff_under_send",
	     "threads=%d associations=%d streams=%d messages=%d lost=%d dup=%d corrupt=%d reordered=%d",
	     SENDERS, ASSOCS, STREAMS, total, r.lost, r.dup, r.corrupt, r.reordered);
	line("load.peeloff_under_send.peeled",
	     "%d/%d, each with both writers sending on the listener before and on the peeled fd after: %d/%d",
	     npeeled, ASSOCS, mid, ASSOCS);
	line("load.peeloff_under_send.errors", "send=%d peeloff=%d", errors, peel_errors);
	for (int a = 0; a < ASSOCS; a++) {
		if (atomic_load(&cur_fd[a]) != listener)
			close(atomic_load(&cur_fd[a]));
		close(clients[a]);
	}
	close(listener);
	free(r.seen);
	line("load.peeloff_under_send.fds", "leaked=%d", count_fds() - fds_before);
	fprintf(stderr, "load: peeloff_under_send: %d messages in %.2f s; %d sends retried on the "
		"peeled fd after EPIPE, %d peel-off attempts refused with EBUSY\n", total, now() - t0,
		nmoved, peel_busy);
}

/* ---------------------------------------------------------------- echo200 */

#define ECHO_ASSOCS 200
#define ECHO_MSGS_DEFAULT 20

static int echo_msgs;

struct server {
	int listener, epfd;
	int peeled, closed, shutdown_comp, eof, echoed, data_on_listener, peel_errors, errors;
};

static void *server_main(void *arg)
{
	struct server *sv = arg;
	struct epoll_event evs[64];
	unsigned char buf[2048];

	while (sv->closed < ECHO_ASSOCS) {
		int n = epoll_wait(sv->epfd, evs, 64, 10000);
		if (n <= 0) {
			fprintf(stderr, "load: echo server: idle for 10 s (%d closed)\n", sv->closed);
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd, flags = 0;
			struct sctp_sndrcvinfo si;
			ssize_t r;
			memset(&si, 0, sizeof si);
			r = sctp_recvmsg(fd, buf, sizeof buf, NULL, NULL, &si, &flags);
			if (fd == sv->listener) {
				union sctp_notification *nt = (union sctp_notification *)buf;
				if (r <= 0) {
					sv->errors++;
				} else if (!(flags & MSG_NOTIFICATION)) {
					sv->data_on_listener++;
				} else if (nt->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
					   nt->sn_assoc_change.sac_state == SCTP_COMM_UP) {
					int nfd = sctp_peeloff(fd, nt->sn_assoc_change.sac_assoc_id);
					struct epoll_event ev = { .events = EPOLLIN };
					if (nfd < 0) {
						fprintf(stderr, "load: echo: sctp_peeloff: %s\n",
							errname(errno));
						sv->peel_errors++;
						continue;
					}
					sv->peeled++;
					ev.data.fd = nfd;
					if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, nfd, &ev) < 0)
						sv->errors++;
				}
				continue;
			}
			if (r > 0 && (flags & MSG_NOTIFICATION)) {
				/* The peeled-off fd inherited the listener's association events: the
				 * end of its association comes as SHUTDOWN_COMP (no read returns 0 on
				 * a peeled-off socket when the peer shuts down). */
				union sctp_notification *nt = (union sctp_notification *)buf;
				if (nt->sn_header.sn_type != SCTP_ASSOC_CHANGE)
					continue;
				if (nt->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
					sv->shutdown_comp++;
				else
					sv->errors++;
			} else if (r > 0) {
				struct sctp_sndrcvinfo out;
				memset(&out, 0, sizeof out);
				out.sinfo_stream = si.sinfo_stream;
				out.sinfo_ppid = si.sinfo_ppid;
				if (sctp_send(fd, buf, (size_t)r, &out, MSG_NOSIGNAL) != r)
					sv->errors++;
				else
					sv->echoed++;
				continue;
			} else if (r == 0) {
				sv->eof++;
			} else {
				sv->errors++;
			}
			/* The association is gone: its peeled-off fd goes. */
			epoll_ctl(sv->epfd, EPOLL_CTL_DEL, fd, NULL);
			close(fd);
			sv->closed++;
		}
	}
	return NULL;
}

static size_t echo_msg(unsigned char *buf, int i, int j)
{
	size_t len = 20 + (size_t)((i * 131 + j * 53) % 600);
	uint32_t x = (uint32_t)(i * 7919 + j * 104729 + 3);
	for (size_t k = 0; k < len; k++) {
		x = x * 1664525u + 1013904223u;
		buf[k] = (unsigned char)(x >> 24);
	}
	buf[0] = (unsigned char)i;
	buf[1] = (unsigned char)(i >> 8);
	buf[2] = (unsigned char)j;
	return len;
}

static void echo200(void)
{
	struct server sv;
	struct pollfd p[ECHO_ASSOCS];
	int next[ECHO_ASSOCS], state[ECHO_ASSOCS]; /* 0 connecting, 1 waiting for echo, 2 done */
	int fds_before = count_fds(), done = 0, verified = 0, bad = 0, errors = 0, ids = 0, left;
	uint16_t port;
	pthread_t st;
	unsigned char buf[2048], want[2048];
	double t0 = now();

	watchdog_phase("echo200");
	echo_msgs = ECHO_MSGS_DEFAULT / divisor;
	if (echo_msgs < 2)
		echo_msgs = 2;
	memset(&sv, 0, sizeof sv);
	sv.listener = sctp_socket(AF_INET, SOCK_SEQPACKET);
	{
		struct sockaddr_in a = v4("127.0.0.1", 0);
		bind_or_die(sv.listener, &a, sizeof a);
		if (listen(sv.listener, ECHO_ASSOCS) < 0) {
			perror("FATAL: listen");
			exit(2);
		}
		subscribe(sv.listener, 1, 1, 0);
		port = local_port(sv.listener);
	}
	sv.epfd = epoll_create1(EPOLL_CLOEXEC);
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = sv.listener };
		epoll_ctl(sv.epfd, EPOLL_CTL_ADD, sv.listener, &ev);
	}
	pthread_create(&st, NULL, server_main, &sv);

	for (int i = 0; i < ECHO_ASSOCS; i++) {
		struct packed to = { .len = 0 };
		sctp_assoc_t id = 0;
		int c = sctp_socket(AF_INET, SOCK_STREAM), r;
		fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
		subscribe(c, 1, 0, 0);
		add4(&to, "127.0.0.1", port);
		r = sctp_connectx(c, (struct sockaddr *)to.buf, to.cnt, &id);
		if (r < 0 && errno != EINPROGRESS) {
			fprintf(stderr, "load: echo: sctp_connectx: %s\n", errname(errno));
			errors++;
		}
		ids += id != 0;
		p[i] = (struct pollfd){ .fd = c, .events = POLLOUT };
		next[i] = 0;
		state[i] = 0;
	}
	while (done < ECHO_ASSOCS) {
		int ready = poll(p, ECHO_ASSOCS, 10000);
		if (ready <= 0) {
			fprintf(stderr, "load: echo clients: idle for 10 s (%d done)\n", done);
			break;
		}
		for (int i = 0; i < ECHO_ASSOCS; i++) {
			int c = p[i].fd, flags = 0, send_next = 0;
			struct sctp_sndrcvinfo si;
			if (c < 0 || !p[i].revents)
				continue;
			if (p[i].revents & (POLLERR | POLLHUP)) {
				errors++;
			} else if (state[i] == 0) { /* connected */
				int err = 0;
				socklen_t l = sizeof err;
				getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &l);
				if (err) {
					fprintf(stderr, "load: echo: connect %d: %s\n", i, errname(err));
					errors++;
				} else {
					state[i] = 1;
					p[i].events = POLLIN;
					send_next = 1;
				}
			} else {
				size_t wl = echo_msg(want, i, next[i]);
				ssize_t n;
				memset(&si, 0, sizeof si);
				n = sctp_recvmsg(c, buf, sizeof buf, NULL, NULL, &si, &flags);
				if (n > 0 && (flags & MSG_NOTIFICATION))
					continue;
				if (n == (ssize_t)wl && (flags & MSG_EOR) && !memcmp(buf, want, wl) &&
				    si.sinfo_stream == (uint16_t)(next[i] % 4) &&
				    ntohl(si.sinfo_ppid) == (uint32_t)i)
					verified++;
				else
					bad++;
				if (++next[i] < echo_msgs)
					send_next = 1;
				else
					state[i] = 2;
			}
			if (send_next) {
				size_t len = echo_msg(buf, i, next[i]);
				if (sctp_sendmsg(c, buf, len, NULL, 0, htonl((uint32_t)i), 0,
						 (uint16_t)(next[i] % 4), 0, 0) != (int)len) {
					fprintf(stderr, "load: echo: sctp_sendmsg %d: %s\n", i,
						errname(errno));
					errors++;
					state[i] = 3;
				}
			}
			if (state[i] >= 2 || (p[i].revents & (POLLERR | POLLHUP))) {
				close(c); /* graceful SHUTDOWN: the server reads 0 and closes its side */
				p[i].fd = -1;
				done++;
			}
		}
	}
	pthread_join(st, NULL);
	close(sv.epfd);
	close(sv.listener);
	/* Both ends of every association freed (SHUTDOWN complete) within 5 s. */
	for (int w = 0; (left = kernel_assocs(port)) > 0 && w < 250; w++)
		usleep(20000);
	line("load.echo200",
	     "associations=%d ids_from_connectx=%d peeled=%d messages=%d echoed=%d verified=%d bad=%d",
	     ECHO_ASSOCS, ids, sv.peeled, ECHO_ASSOCS * echo_msgs, sv.echoed, verified, bad);
	line("load.echo200.errors", "client=%d server=%d peeloff=%d data_on_listener=%d", errors,
	     sv.errors, sv.peel_errors, sv.data_on_listener);
	line("load.echo200.closed",
	     "server closed %d peeled-off fds (after SHUTDOWN_COMP=%d, read 0=%d); kernel associations left=%d",
	     sv.closed, sv.shutdown_comp, sv.eof, left);
	line("load.echo200.fds", "leaked=%d", count_fds() - fds_before);
	fprintf(stderr, "load: echo200: %d associations x %d messages in %.2f s\n", ECHO_ASSOCS,
		echo_msgs, now() - t0);
}

int main(void)
{
	const char *d = getenv("SCTP_RS_LOAD_DIVISOR");
	if (d && atoi(d) > 1)
		divisor = atoi(d);
	bind_sctp_now(); /* before any other thread, the watchdog's too */
	watchdog(50);
	peeloff_under_send();
	echo200();
	line("end", "done");
	return 0;
}
