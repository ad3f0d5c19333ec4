/* fork(2) and the library, on the real kernel SCTP stack. The program runs its part twice, each
 * time re-executing itself (argv[0] --part MODE): with SCTP_RS_TRACE unset and with
 * SCTP_RS_TRACE=1 (sctp_rs then prints a line per call on stderr, lksctp ignores it). Each
 * part's stderr goes to a file; the trace lines in it are checked (each whole, none torn or
 * mixed with another; on sctp_rs with tracing on, every forked child's calls are there; with
 * tracing off, none at all), the rest is copied to stderr.
 *
 * In a part, a thread keeps calling the library (sctp_opt_info, sctp_getladdrs) throughout,
 * so every fork happens beside a thread that may be inside it. Then:
 *  - a child of fork uses the sockets it inherited (send on the client, receive on the
 *    listener, sctp_peeloff from the listener, send on the peeled-off fd, sctp_getpaddrs) and
 *    sockets of its own (listener, sctp_connectx, sctp_sendmsg, sctp_recvmsg, sctp_peeloff,
 *    sctp_send, sctp_recvv), checking every message;
 *  - the parent sees what the child's exit did (the association it peeled off ends with it)
 *    and goes on using the listener;
 *  - a child forked while the thread holds an address list the library gave it calls the
 *    library and exits;
 *  - 20 children forked in a row call the library and exit, each within the bound.
 * Children are bounded by alarm(): a child that hangs dies of SIGALRM, and the line says so. */
#define _GNU_SOURCE
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 20
/* FORKS, divided by SCTP_RS_LOAD_DIVISOR (at least 2) for slow runs (valgrind, where each child
 * pays a leak check at its exit); a re-executed part inherits the variable. */
static int forks = FORKS;

static const char *mode;
static int listener;
static uint16_t port;
static volatile int spin_stop;
static int spins;
/* 1: the parent asks the spinner to hold its sctp_getladdrs list; 2: the spinner holds it
 * (until the parent sets 0 again). */
static int hold;

static void check(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(const char *what, const char *fmt, ...)
{
	char name[128], text[512];
	va_list ap;
	snprintf(name, sizeof name, "fork.%s.%s", mode, what);
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	line(name, "%s", text);
}

/* sctp_recvmsg of the next data message within 3 s (notifications skipped); -1 on timeout. */
static ssize_t lib_recvmsg(int fd, char *buf, size_t len, struct sctp_sndrcvinfo *si)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int flags = 0;
		ssize_t n;
		if (poll(&p, 1, 3000) != 1)
			return -1;
		memset(si, 0, sizeof *si);
		n = sctp_recvmsg(fd, buf, len, NULL, NULL, si, &flags);
		if (n < 0 || !(flags & MSG_NOTIFICATION))
			return n;
	}
}

/* The same with sctp_recvv; *stream gets rcv_sid. */
static ssize_t lib_recvv(int fd, char *buf, size_t len, unsigned *stream)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct iovec iov = { .iov_base = buf, .iov_len = len };
		struct sctp_rcvinfo rcv;
		socklen_t infolen = sizeof rcv;
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n;
		if (poll(&p, 1, 3000) != 1)
			return -1;
		memset(&rcv, 0, sizeof rcv);
		n = sctp_recvv(fd, &iov, 1, NULL, NULL, &rcv, &infolen, &infotype, &flags);
		if (n < 0 || !(flags & MSG_NOTIFICATION)) {
			*stream = infotype == SCTP_RECVV_RCVINFO ? rcv.rcv_sid : 9999;
			return n;
		}
	}
}

static int on(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one, sizeof one);
	return fd;
}

/* "ok" when the message is `want` on stream `stream`, else what came. */
static const char *verdict(ssize_t n, const char *buf, const char *want, unsigned got_stream,
			   unsigned stream)
{
	static char out[96];
	if (n == (ssize_t)strlen(want) && !memcmp(buf, want, (size_t)n) && got_stream == stream)
		return "ok";
	snprintf(out, sizeof out, "bad (n=%zd stream=%u)", n, got_stream);
	return out;
}

static void *spinner(void *arg)
{
	(void)arg;
	while (!spin_stop) {
		struct sctp_rtoinfo rto;
		socklen_t l = sizeof rto;
		struct sockaddr *addrs = NULL;
		int n;
		memset(&rto, 0, sizeof rto);
		sctp_opt_info(listener, 0, SCTP_RTOINFO, &rto, &l);
		n = sctp_getladdrs(listener, 0, &addrs);
		if (__atomic_load_n(&hold, __ATOMIC_ACQUIRE) == 1) {
			__atomic_store_n(&hold, 2, __ATOMIC_RELEASE);
			while (__atomic_load_n(&hold, __ATOMIC_ACQUIRE) == 2)
				usleep(1000);
		}
		if (n >= 0) /* a list of 0 addresses is a block to free too */
			sctp_freeladdrs(addrs);
		spins++;
		usleep(2000);
	}
	return NULL;
}

/* What the first child does with the sockets it inherited and with sockets of its own. */
static void child_work(int client, sctp_assoc_t cid, sctp_assoc_t sid)
{
	char buf[256];
	struct sctp_sndrcvinfo si;
	struct sockaddr *addrs = NULL;
	unsigned stream;
	ssize_t n;
	int nfd, n_addrs;
	struct sockaddr_in srv = v4("127.0.0.1", port);

	alarm(20 * (unsigned)slow_factor());
	/* Inherited: the client sends, the listener receives, the association is peeled off. */
	n = sctp_sendmsg(client, "from-child", 10, (struct sockaddr *)&srv, sizeof srv, 0, 0, 1, 0, 0);
	check("child.inherited_client.sctp_sendmsg", "ret=%zd", n);
	n = lib_recvmsg(listener, buf, sizeof buf, &si);
	check("child.inherited_listener.sctp_recvmsg", "%s, on the association: %s",
	      verdict(n, buf, "from-child", si.sinfo_stream, 1), si.sinfo_assoc_id == sid ? "yes" : "no");
	nfd = sctp_peeloff(listener, sid);
	check("child.inherited_listener.sctp_peeloff", "ret=%s", nfd > 0 ? ">0" : errname(errno));
	memset(&si, 0, sizeof si);
	si.sinfo_stream = 2;
	n = sctp_send(nfd, "to-inherited-client", 19, &si, 0);
	check("child.peeled.sctp_send", "ret=%zd", n);
	n = lib_recvv(client, buf, sizeof buf, &stream);
	check("child.inherited_client.sctp_recvv", "%s", verdict(n, buf, "to-inherited-client",
								  stream, 2));
	n_addrs = sctp_getpaddrs(client, cid, &addrs);
	check("child.inherited_client.sctp_getpaddrs", "ret=%d", n_addrs);
	if (n_addrs >= 0)
		sctp_freepaddrs(addrs);

	/* Its own sockets. */
	{
		uint16_t p2;
		int l2 = listener_v4(&p2), c2 = on(sctp_socket(AF_INET, SOCK_SEQPACKET)), r, pfd;
		struct packed to = { .len = 0 };
		sctp_assoc_t id2 = 0;
		add4(&to, "127.0.0.1", p2);
		r = sctp_connectx(c2, (struct sockaddr *)to.buf, to.cnt, &id2);
		check("child.own.sctp_connectx", "ret=%d id=%s", r, id2 ? "set" : "zero");
		struct sockaddr_in srv2 = v4("127.0.0.1", p2);
		n = sctp_sendmsg(c2, "own-client", 10, (struct sockaddr *)&srv2, sizeof srv2, 0, 0, 3,
				 0, 0);
		check("child.own.sctp_sendmsg", "ret=%zd", n);
		n = lib_recvmsg(l2, buf, sizeof buf, &si);
		check("child.own.sctp_recvmsg", "%s", verdict(n, buf, "own-client", si.sinfo_stream, 3));
		pfd = sctp_peeloff(l2, si.sinfo_assoc_id);
		check("child.own.sctp_peeloff", "ret=%s", pfd > 0 ? ">0" : errname(errno));
		memset(&si, 0, sizeof si);
		si.sinfo_stream = 4;
		n = sctp_send(pfd, "own-peeled", 10, &si, 0);
		check("child.own.sctp_send", "ret=%zd", n);
		n = lib_recvv(c2, buf, sizeof buf, &stream);
		check("child.own.sctp_recvv", "%s", verdict(n, buf, "own-peeled", stream, 4));
		close(pfd);
		close(c2);
		close(l2);
	}
	/* nfd stays open: the process exit closes it (the parent looks at what that did). */
}

/* What a short-lived child does: sctp_opt_info and sctp_getladdrs on the inherited listener
 * and, when `bogus_peeloff`, sctp_peeloff of an id that does not exist (the call the trace
 * check counts, once per child); exits 0 when each answered as it should, 1 otherwise. */
static void short_child(int bogus_peeloff)
{
	struct sockaddr *addrs = NULL;
	struct sctp_rtoinfo rto;
	socklen_t l = sizeof rto;
	int n, bad = 0;
	alarm(10 * (unsigned)slow_factor());
	memset(&rto, 0, sizeof rto);
	bad |= sctp_opt_info(listener, 0, SCTP_RTOINFO, &rto, &l) != 0;
	n = sctp_getladdrs(listener, 0, &addrs);
	bad |= n != 1;
	if (n >= 0)
		sctp_freeladdrs(addrs);
	if (bogus_peeloff)
		bad |= sctp_peeloff(listener, 999999) != -1 || errno != EINVAL;
	_exit(bad ? 1 : 0);
}

static const char *status_name(int status)
{
	static char buf[64];
	if (WIFEXITED(status))
		snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "killed by %s", WTERMSIG(status) == SIGALRM ? "SIGALRM (hang)"
			 : WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : WTERMSIG(status) == SIGABRT
			 ? "SIGABRT" : WTERMSIG(status) == SIGPIPE ? "SIGPIPE" : "another signal");
	else
		snprintf(buf, sizeof buf, "status 0x%x", status);
	return buf;
}

static int part(void)
{
	int client, status = 0;
	sctp_assoc_t cid, sid;
	pthread_t spin;
	pid_t pid;

	bind_sctp_now(); /* before any other thread, the watchdog's too */
	watchdog(50);
	/* Listeners are read with sctp_recvmsg (data_io events: SCTP_SNDRCV), clients with
	 * sctp_recvv (SCTP_RECVRCVINFO, no data_io: lksctp's buffers hold one of the two). */
	listener = listener_v4(&port);
	client = on(assoc_client(listener, port, &cid, &sid));
	subscribe(client, 0, 1, 0);
	pthread_create(&spin, NULL, spinner, NULL);
	while (spins < 3)
		usleep(1000);

	/* 1. A child uses the inherited sockets and its own. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		child_work(client, cid, sid);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check("child", "%s", status_name(status));

	/* 2. The parent: the association the child peeled off ended with the child; the listener
	 * serves new ones. */
	{
		struct sctp_status st;
		socklen_t l = sizeof st;
		const char *fate = wait_assoc_change(client, 3000, NULL);
		int held;
		memset(&st, 0, sizeof st);
		st.sstat_assoc_id = sid;
		held = getsockopt(listener, IPPROTO_SCTP, SCTP_STATUS, &st, &l) == 0;
		check("parent.after_child", "the association the child peeled off: %s; listener still has it: %s",
		      fate, held ? "yes" : "no");
	}
	{
		char buf[256];
		struct sctp_sndrcvinfo si;
		sctp_assoc_t cid3, sid3;
		unsigned stream;
		int c3 = on(assoc_client(listener, port, &cid3, &sid3)), pfd;
		struct sockaddr_in srv = v4("127.0.0.1", port);
		ssize_t n = sctp_sendmsg(c3, "parent-new", 10, (struct sockaddr *)&srv, sizeof srv, 0,
					 0, 5, 0, 0);
		check("parent.new_client.sctp_sendmsg", "ret=%zd", n);
		n = lib_recvmsg(listener, buf, sizeof buf, &si);
		check("parent.listener.sctp_recvmsg", "%s, on the new association: %s",
		      verdict(n, buf, "parent-new", si.sinfo_stream, 5),
		      si.sinfo_assoc_id == sid3 ? "yes" : "no");
		pfd = sctp_peeloff(listener, sid3);
		check("parent.listener.sctp_peeloff", "ret=%s", pfd > 0 ? ">0" : errname(errno));
		memset(&si, 0, sizeof si);
		si.sinfo_stream = 6;
		n = sctp_send(pfd, "parent-peeled", 13, &si, 0);
		check("parent.peeled.sctp_send", "ret=%zd", n);
		n = lib_recvv(c3, buf, sizeof buf, &stream);
		check("parent.new_client.sctp_recvv", "%s", verdict(n, buf, "parent-peeled", stream, 6));
		close(pfd);
		close(c3);
	}

	/* 3. A child forked while the thread holds the list sctp_getladdrs gave it: the child has
	 * the block but not the thread (under memcheck, c-tests/valgrind.supp names that block),
	 * and uses the library as any other child does. */
	{
		__atomic_store_n(&hold, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&hold, __ATOMIC_ACQUIRE) != 2)
			usleep(1000);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			short_child(0);
		waitpid(pid, &status, 0);
		__atomic_store_n(&hold, 0, __ATOMIC_RELEASE);
		check("fork_while_the_thread_holds_its_list", "child %s", status_name(status));
	}

	/* 4. Children forked in a row beside the busy thread, each calling the library. */
	{
		int ok = 0;
		char first_bad[64] = "";
		for (int i = 0; i < forks; i++) {
			fflush(stdout);
			pid = fork();
			if (pid == 0)
				short_child(1);
			waitpid(pid, &status, 0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				ok++;
			else if (!first_bad[0])
				snprintf(first_bad, sizeof first_bad, "; first failure: %s",
					 status_name(status));
		}
		char okn[16] = "all";
		if (ok != forks)
			snprintf(okn, sizeof okn, "%d", ok);
		check("forks_beside_a_busy_thread", "children=%d exited_0=%s%s", forks, okn, first_bad);
	}
	spin_stop = 1;
	pthread_join(spin, NULL);
	close(client);
	close(listener);
	return 0;
}

static const char *self;

/* Copies file `path` to stderr and removes it. */
static void pass_on(const char *path)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
	unlink(path);
}

/* Runs this program's part in a new process (fork + exec of itself) with
 * SCTP_RS_TRACE as given (NULL: unset), its stderr in a file, then checks that file. The
 * dynamic linker's LD_DEBUG output, when there is any, goes to a file of its own
 * (LD_DEBUG_OUTPUT: ld.so writes a binding line in two pieces, which another process's trace
 * line could land between) and is passed on to stderr afterwards. */
static void run_part(const char *m, const char *trace)
{
	char path[] = "/tmp/sctp_rs_fork_XXXXXX", ldpath[64], ln[4096], name[64];
	int fd = mkstemp(path), status = 0, trace_lines = 0, torn = 0, bogus_peeloffs = 0;
	FILE *f;
	pid_t pid;

	if (fd < 0) {
		perror("FATAL: mkstemp");
		exit(2);
	}
	fcntl(fd, F_SETFL, O_APPEND);
	snprintf(ldpath, sizeof ldpath, "%s.ld", path);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		/* argv[0] as this program got it: LD_DEBUG names the main program by it. */
		char *args[] = { (char *)self, "--part", (char *)m, NULL };
		if (trace)
			setenv("SCTP_RS_TRACE", trace, 1);
		else
			unsetenv("SCTP_RS_TRACE");
		if (getenv("LD_DEBUG"))
			setenv("LD_DEBUG_OUTPUT", ldpath, 1);
		dup2(fd, 2);
		/* The program by the path it was started with (valgrind follows that), else by
		 * /proc/self/exe. */
		if (strchr(self, '/'))
			execv(self, args);
		execv("/proc/self/exe", args);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	snprintf(name, sizeof name, "fork.%s", m);
	line(name, "part %s", status_name(status));
	f = fdopen(fd, "r");
	rewind(f);
	while (fgets(ln, sizeof ln, f)) {
		char *at = strstr(ln, "sctp_rs: ");
		if (at == ln) {
			trace_lines++;
			bogus_peeloffs += strstr(ln, "sctp_peeloff(") &&
					  strstr(ln, "assoc_id=999999) = -1 EINVAL");
			/* "sctp_rs: sctp_<name>(...) = <result>[ ...]\n", nothing after another line */
			if (strncmp(ln, "sctp_rs: sctp_", 14) || !strstr(ln, ") = ") ||
			    !strchr(ln, '\n') || strstr(ln + 1, "sctp_rs: "))
				torn++;
		} else if (at) {
			torn++;
		} else {
			fputs(ln, stderr);
		}
	}
	fclose(f);
	unlink(path);
	snprintf(ldpath + strlen(ldpath), sizeof ldpath - strlen(ldpath), ".%d", (int)pid);
	pass_on(ldpath);
	/* Tracing off: not one line. On: none (lksctp) or, on sctp_rs, every forked child's
	 * sctp_peeloff(listener, 999999) once (trace.c checks that tracing traces at all). */
	snprintf(name, sizeof name, "fork.%s.stderr", m);
	if (!trace)
		line(name, "trace lines=%d", trace_lines);
	else
		line(name, "trace lines torn or mixed=%d; forked children=%d, all their calls traced "
		     "or nothing traced: %s", torn, forks,
		     trace_lines == 0 || bogus_peeloffs == forks ? "yes" : "no");
	fprintf(stderr, "fork: part %s: %d trace lines, %d of them the children's "
		"sctp_peeloff(999999)\n", m, trace_lines, bogus_peeloffs);
}

int main(int argc, char **argv)
{
	const char *d = getenv("SCTP_RS_LOAD_DIVISOR");
	if (d && atoi(d) > 1)
		forks = FORKS / atoi(d) > 2 ? FORKS / atoi(d) : 2;
	if (argc == 3 && !strcmp(argv[1], "--part")) {
		mode = argv[2];
		return part();
	}
	self = argv[0];
	run_part("trace_off", NULL);
	run_part("trace_on", "1");
	line("end", "done");
	return 0;
}
