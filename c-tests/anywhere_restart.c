/* SCTP-anywhere only: what programs see when sctpd goes away under them, and that they carry on
 * once it is back. Run under the shim (scripts/anywhere-daemon.sh), with SCTPD naming the
 * sctpd binary and SCTPD_LOG its log; the kernel has nothing like it, so the expected output is
 * c-tests/expected-anywhere/anywhere_restart.out.
 *
 * restart.<how>: with a one-to-one association (client and accepted socket) and a one-to-many
 * one, a thread blocked in sctp_recvmsg on each, sctpd ends (<how>: `sctpd --stop`, which
 * aborts every association first, or SIGKILL): each blocked call returns at once with an error,
 * never hangs (every wait is bounded: "hang" is printed instead); then what calls on the dead
 * sockets return (send, receive, an option, getpeername); close works. sctpd is started again:
 * a new socket, a new association, a message across it. */
#define _GNU_SOURCE
#include "common.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct waiter {
	int fd;
	pthread_t th;
	volatile int done;
	long ret;
	int err;
};

static void *wait_main(void *arg)
{
	struct waiter *w = arg;
	char buf[256];
	struct sctp_sndrcvinfo si;
	int flags = 0;
	errno = ERRNO_SENTINEL;
	w->ret = sctp_recvmsg(w->fd, buf, sizeof buf, NULL, NULL, &si, &flags);
	w->err = errno;
	w->done = 1;
	return NULL;
}

static void start_waiter(struct waiter *w, int fd)
{
	memset(w, 0, sizeof *w);
	w->fd = fd;
	if (pthread_create(&w->th, NULL, wait_main, w) != 0) {
		perror("FATAL: pthread_create");
		exit(2);
	}
}

static void report_waiter(const char *check, struct waiter *w)
{
	for (int i = 0; i < 500 && !w->done; i++)
		usleep(10000);
	if (!w->done) {
		line(check, "hang: still in sctp_recvmsg after 5 s");
		return;
	}
	pthread_join(w->th, NULL);
	ret_errno(check, w->ret, w->err);
}

/* Runs `sctpd ARGS`, returns its exit status. */
static int sctpd(const char *args)
{
	char cmd[1024];
	const char *bin = getenv("SCTPD"), *log = getenv("SCTPD_LOG");
	int st;
	if (!bin) {
		fprintf(stderr, "FATAL: SCTPD is not set\n");
		exit(2);
	}
	if (log && strcmp(args, "--daemon") == 0)
		snprintf(cmd, sizeof cmd, "'%s' --daemon -v --log '%s' >/dev/null 2>&1", bin, log);
	else
		snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>&1", bin, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The pid sctpd --status reports, or 0. */
static pid_t sctpd_pid(void)
{
	char cmd[512], out[128] = "";
	FILE *p;
	snprintf(cmd, sizeof cmd, "'%s' --status 2>/dev/null", getenv("SCTPD"));
	p = popen(cmd, "r");
	if (!p)
		return 0;
	if (!fgets(out, sizeof out, p))
		out[0] = 0;
	pclose(p);
	for (char *s = out; *s; s++)
		if (*s >= '0' && *s <= '9')
			return (pid_t)strtol(s, NULL, 10);
	return 0;
}

static void after(const char *base, const char *what, int fd)
{
	char name[128];
	struct sctp_sndrcvinfo si;
	long r;
	int flags = 0;
	char buf[64];
	memset(&si, 0, sizeof si);
	snprintf(name, sizeof name, "%s.%s.sctp_send", base, what);
	errno = ERRNO_SENTINEL;
	r = sctp_send(fd, "x", 1, &si, MSG_NOSIGNAL);
	ret_errno(name, r, errno);
	snprintf(name, sizeof name, "%s.%s.sctp_recvmsg_dontwait", base, what);
	errno = ERRNO_SENTINEL;
	r = sctp_recvmsg(fd, buf, sizeof buf, NULL, NULL, &si, &flags);
	(void)r;
	{
		/* recv with MSG_DONTWAIT: no wait, whatever the socket's mode. */
		struct iovec v = { buf, sizeof buf };
		struct msghdr m;
		memset(&m, 0, sizeof m);
		m.msg_iov = &v;
		m.msg_iovlen = 1;
		errno = ERRNO_SENTINEL;
		r = recvmsg(fd, &m, MSG_DONTWAIT);
		ret_errno(name, r, errno);
	}
	{
		struct sctp_status st;
		socklen_t l = sizeof st;
		memset(&st, 0, sizeof st);
		snprintf(name, sizeof name, "%s.%s.getsockopt_status", base, what);
		errno = ERRNO_SENTINEL;
		r = getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l);
		ret_errno(name, r, errno);
	}
	snprintf(name, sizeof name, "%s.%s.close", base, what);
	errno = ERRNO_SENTINEL;
	r = close(fd);
	ret_errno(name, r, errno);
}

static void restart(const char *how)
{
	char base[64], name[128];
	int c, a, l, m, ml, e;
	uint16_t port;
	sctp_assoc_t cid, sid;
	struct waiter w1, w2;
	int n;

	snprintf(base, sizeof base, "restart.%s", how);
	l = one_to_one_pair(&c, &a);
	ml = listener_v4(&port);
	m = assoc_client(ml, port, &cid, &sid);
	start_waiter(&w1, a);
	start_waiter(&w2, m);
	usleep(200000);
	if (strcmp(how, "stop") == 0) {
		e = sctpd("--stop");
		snprintf(name, sizeof name, "%s.sctpd_stop", base);
		line(name, "exit %d", e);
	} else {
		pid_t p = sctpd_pid();
		snprintf(name, sizeof name, "%s.sctpd_kill", base);
		line(name, "pid known: %s; %s", p > 0 ? "yes" : "no",
		     p > 0 && kill(p, SIGKILL) == 0 ? "killed" : "not killed");
		for (int i = 0; i < 100 && p > 0 && kill(p, 0) == 0; i++)
			usleep(20000);
	}
	snprintf(name, sizeof name, "%s.one_to_one_blocked_recv", base);
	report_waiter(name, &w1);
	snprintf(name, sizeof name, "%s.one_to_many_blocked_recv", base);
	report_waiter(name, &w2);
	after(base, "one_to_one", a);
	after(base, "one_to_one_client", c);
	after(base, "one_to_many", m);
	snprintf(name, sizeof name, "%s.listener.close", base);
	ret_errno(name, close(l), errno);
	close(ml);

	/* A new socket while sctpd is down. */
	snprintf(name, sizeof name, "%s.socket_while_down", base);
	errno = ERRNO_SENTINEL;
	n = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	ret_errno(name, n < 0 ? -1 : 0, errno);
	if (n >= 0)
		close(n);

	e = sctpd("--daemon");
	snprintf(name, sizeof name, "%s.sctpd_again", base);
	line(name, "exit %d", e);
	ml = listener_v4(&port);
	m = assoc_client(ml, port, &cid, &sid);
	{
		struct sctp_sndrcvinfo si;
		char buf[64];
		int fl;
		long r;
		memset(&si, 0, sizeof si);
		si.sinfo_assoc_id = cid;
		r = sctp_send(m, "again", 5, &si, 0);
		snprintf(name, sizeof name, "%s.after_restart", base);
		line(name, "sctp_send of 5 bytes: %s", r == 5 ? "sent" : errname(errno));
		r = recv_data(ml, buf, sizeof buf, &si, &fl, 3000);
		line(name, "listener got %ld bytes: %.*s", r, r > 0 ? (int)r : 0, buf);
	}
	close(m);
	close(ml);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	restart("stop");
	restart("kill");
	line("end", "done");
	return 0;
}
