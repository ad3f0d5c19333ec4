/* SCTP_RS_TRACE on a real association: the program re-executes itself with the variable set to
 * "1", unset, "0" and "" and, in each child, catches its own stderr in a file while it calls
 * every function once or more (successes and failures), then prints the trace lines it got.
 * Pointers (0x + 10 or more hex digits) print as PTR, nonzero association ids and TSNs as ID
 * and N (they differ from run to run). It also shows that errno is what the call left, not what
 * writing the line did, and that a closed stderr changes nothing. sctp_rs only (lksctp has no
 * trace). */
#define _GNU_SOURCE
#include "common.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The VERS_1 sctp_connectx (three arguments), as binaries built against lksctp 1.0.7 import it. */
int sctp_connectx_v1(int, struct sockaddr *, int);
__asm__(".symver sctp_connectx_v1, sctp_connectx@VERS_1");

/* The listener's port; the client binds the next one. */
static int port = 40010;
#define PORT port

/* Rewrites what differs between runs, in place. */
static void normalize(char *s)
{
	char out[4096], *o = out;
	const char *p = s;

	while (*p && o < out + sizeof out - 8) {
		size_t hex = 0;
		if (p[0] == '0' && p[1] == 'x') {
			while (isxdigit((unsigned char)p[2 + hex]))
				hex++;
			/* A pointer: 10 hex digits or more (a normal run's addresses), or 5 or more
			 * other than a ppid (under valgrind, programs load low: 0x10f46b). The small
			 * bad pointers the checks pass on purpose (0x8) stay. */
			if (hex >= 10 || (hex >= 5 && !(p - s >= 5 && !strncmp(p - 5, "ppid=", 5)))) {
				o += sprintf(o, "PTR");
				p += 2 + hex;
				continue;
			}
		}
		/* "id=123", "assoc_id=123", "tsn=123", "cumtsn=123": nonzero values vary. */
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    (!strncmp(p, "id=", 3) || !strncmp(p, "assoc_id=", 9) || !strncmp(p, "tsn=", 4) ||
		     !strncmp(p, "cumtsn=", 7) || !strncmp(p, "*id=", 4))) {
			const char *eq = strchr(p, '=');
			int is_tsn = strstr(p, "tsn=") == p || strstr(p, "cumtsn=") == p;
			memcpy(o, p, (size_t)(eq - p + 1));
			o += eq - p + 1;
			p = eq + 1;
			if (isdigit((unsigned char)*p) && *p != '0') {
				while (isdigit((unsigned char)*p))
					p++;
				o += sprintf(o, is_tsn ? "N" : "ID");
			}
			continue;
		}
		*o++ = *p++;
	}
	*o = 0;
	strcpy(s, out);
}

static void calls(void)
{
	struct packed srv = { .len = 0 }, to = { .len = 0 }, bad = { .len = 0 };
	struct sockaddr_in dst = v4("127.0.0.1", PORT);
	struct sockaddr_un { unsigned short fam; char path[14]; } unix_addr = { AF_UNIX, "x" };
	struct sctp_sndrcvinfo si;
	struct sctp_sndinfo snd;
	struct sctp_rcvinfo rcv;
	struct sctp_status st;
	struct sockaddr *addrs;
	struct sockaddr_in from;
	struct iovec iov;
	socklen_t len, fromlen, infolen;
	unsigned int infotype;
	sctp_assoc_t id = 0, sid;
	char buf[64];
	int l, c, c1, fl, n, on = 1;

	sctp_getaddrlen(AF_INET);
	sctp_getaddrlen(AF_INET6);
	sctp_getaddrlen(AF_UNIX);

	l = sctp_socket(AF_INET, SOCK_SEQPACKET);
	add4(&srv, "127.0.0.1", PORT);
	add4(&srv, "127.0.0.2", PORT);
	sctp_bindx(l, (struct sockaddr *)srv.buf, srv.cnt, SCTP_BINDX_ADD_ADDR);
	sctp_bindx(l, (struct sockaddr *)srv.buf, srv.cnt, 3);
	sctp_bindx(l, NULL, 1, SCTP_BINDX_ADD_ADDR);
	packed_add(&bad, &unix_addr, sizeof unix_addr);
	sctp_bindx(l, (struct sockaddr *)bad.buf, 1, SCTP_BINDX_ADD_ADDR);
	subscribe(l, 1, 0, 0);
	/* A receive that finds nothing would fail after 2 s (EAGAIN) instead of hanging. */
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ .tv_sec = 2 }, sizeof(struct timeval));
	listen(l, 8);

	c = sctp_socket(AF_INET, SOCK_SEQPACKET);
	{
		struct sockaddr_in me = v4("127.0.0.1", PORT + 1);
		bind_or_die(c, &me, sizeof me);
	}
	subscribe(c, 1, 0, 0);
	add4(&to, "127.0.0.1", PORT);
	add4(&to, "127.0.0.2", PORT);
	add6(&to, "::1", PORT);
	sctp_connectx(c, (struct sockaddr *)to.buf, 2, &id);
	c1 = sctp_socket(AF_INET6, SOCK_SEQPACKET);
	sctp_connectx_v1(c1, (struct sockaddr *)to.buf, 1);
	sctp_connectx(c1, NULL, 1, NULL);

	n = sctp_getpaddrs(c, id, &addrs);
	if (n > 0)
		sctp_freepaddrs(addrs);
	n = sctp_getladdrs(l, 0, &addrs);
	if (n > 0)
		sctp_freeladdrs(addrs);
	sctp_getpaddrs(c, 0x7fff, &addrs);

	len = sizeof st;
	sctp_opt_info(c, id, SCTP_STATUS, &st, &len);
	len = sizeof on;
	sctp_opt_info(c, id, 9999, &on, &len);
	/* Calls rejected before they read a pointer: the trace must not read it either (these
	 * pointers are unreadable; the calls fail cleanly with the trace off). */
	sctp_opt_info(c, id, 9999, NULL, (socklen_t *)8);
	sctp_opt_info(c, id, SCTP_STATUS, NULL, (socklen_t *)8);
	sctp_sendx(c, "x", 1, NULL, 1, (struct sctp_sndrcvinfo *)8, 0);

	sctp_sendmsg(c, "one", 3, (struct sockaddr *)&dst, sizeof dst, htonl(51), SCTP_UNORDERED, 1,
		     0, 0);
	fl = 0;
	fromlen = sizeof from;
	sctp_recvmsg(l, buf, sizeof buf, (struct sockaddr *)&from, &fromlen, &si, &fl);
	sid = si.sinfo_assoc_id;

	memset(&si, 0, sizeof si);
	si.sinfo_stream = 2;
	si.sinfo_assoc_id = id;
	si.sinfo_ppid = htonl(52);
	sctp_send(c, "two", 3, &si, MSG_NOSIGNAL);
	sctp_send(c, "x", 1, NULL, MSG_NOSIGNAL | MSG_DONTWAIT);
	fl = 0;
	sctp_recvmsg(l, buf, sizeof buf, NULL, NULL, &si, &fl);

	memset(&si, 0, sizeof si);
	sctp_sendx(c, "three", 5, (struct sockaddr *)to.buf, 1, &si, 0);
	sctp_sendx(c, "three", 5, NULL, 1, &si, 0);
	sctp_recvmsg(l, buf, sizeof buf, NULL, NULL, NULL, NULL);

	setsockopt(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	memset(&snd, 0, sizeof snd);
	snd.snd_sid = 3;
	snd.snd_assoc_id = id;
	iov.iov_base = "four";
	iov.iov_len = 4;
	sctp_sendv(c, &iov, 1, NULL, 0, &snd, sizeof snd, SCTP_SENDV_SNDINFO, 0);
	sctp_sendv(c, &iov, 1, NULL, 0, &snd, sizeof snd, 99, 0);
	iov.iov_base = buf;
	iov.iov_len = sizeof buf;
	infolen = sizeof rcv;
	infotype = 0;
	fl = 0;
	sctp_recvv(l, &iov, 1, NULL, NULL, &rcv, &infolen, &infotype, &fl);

	/* A from buffer too short for the peer's address: the kernel truncates and reports the
	 * full length in *fromlen; the trace must not read past the buffer (it shows the pointer). */
	memset(&si, 0, sizeof si);
	si.sinfo_assoc_id = id;
	sctp_send(c, "five", 4, &si, 0);
	fromlen = 8;
	sctp_recvmsg(l, buf, sizeof buf, (struct sockaddr *)&from, &fromlen, NULL, NULL);

	sctp_peeloff(l, 0);
	n = sctp_peeloff_flags(l, sid, SOCK_NONBLOCK | SOCK_CLOEXEC);
	sctp_peeloff(-1, sid);
	if (n >= 0)
		close(n);
	close(c1);
	close(c);
	close(l);
}

/* errno after traced calls: unchanged by a success, the call's own after a failure (EINVAL,
 * where a failed write of the line would leave EBADF or EPIPE). */
static void errno_checks(const char *mode)
{
	char check[96];
	int r, sv[2];

	errno = ERRNO_SENTINEL;
	r = sctp_getaddrlen(AF_INET);
	snprintf(check, sizeof check, "trace.errno.%s.success", mode);
	ret_errno(check, r, errno);
	errno = ERRNO_SENTINEL;
	r = sctp_bindx(-1, NULL, 1, 3);
	snprintf(check, sizeof check, "trace.errno.%s.failure", mode);
	ret_errno(check, r, errno);
	/* The program closes stderr and its next socket gets descriptor 2: the trace drops its
	 * lines rather than write them into the program's socket. */
	close(2);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	errno = ERRNO_SENTINEL;
	r = sctp_getaddrlen(AF_INET6);
	snprintf(check, sizeof check, "trace.errno.%s.stderr_closed_success", mode);
	ret_errno(check, r, errno);
	errno = ERRNO_SENTINEL;
	r = sctp_bindx(-1, NULL, 1, 3);
	snprintf(check, sizeof check, "trace.errno.%s.stderr_closed_failure", mode);
	ret_errno(check, r, errno);
	{
		char buf[256];
		int other = sv[0] == 2 ? sv[1] : sv[0];
		long n = recv(other, buf, sizeof buf - 1, MSG_DONTWAIT);
		buf[n > 0 ? n : 0] = 0;
		snprintf(check, sizeof check, "trace.fd2_reused.%s", mode);
		line(check, "socket on fd 2=%s, trace lines in it=%s", sv[0] == 2 ? "yes" : "no",
		     strstr(buf, "sctp_rs: ") ? "yes" : "no");
	}
}

/* This program's path, for the re-executions: read once from /proc/self/exe (not exec'ed as
 * /proc/self/exe, which under valgrind is valgrind's own tool; the suite also runs this program
 * under memcheck, children included). */
static char exe[4096];

/* One run: SCTP_RS_TRACE=value (NULL: unset) in a fresh process whose stderr is a file; then
 * the trace lines it wrote, normalized. */
static void run(const char *self, const char *mode, const char *value, int port)
{
	char path[] = "/tmp/sctp_rs_trace.XXXXXX", ln[4096], check[96], portarg[16];
	int fd = mkstemp(path), st = 0, count = 0;
	FILE *f;
	pid_t pid;

	if (fd < 0) {
		perror("trace: mkstemp");
		exit(2);
	}
	snprintf(portarg, sizeof portarg, "%d", port);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsetenv("LD_DEBUG"); /* the suite's; ld.so would write to fd 2 too */
		dup2(fd, 2);
		if (value)
			setenv("SCTP_RS_TRACE", value, 1);
		else
			unsetenv("SCTP_RS_TRACE");
		execl(exe, self, mode, portarg, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	snprintf(check, sizeof check, "trace.run.%s", mode);
	line(check, "exit=%d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	f = fdopen(fd, "r");
	rewind(f);
	while (fgets(ln, sizeof ln, f)) {
		ln[strcspn(ln, "\n")] = 0;
		if (strncmp(ln, "sctp_rs: ", 9))
			continue; /* LD_DEBUG=bindings writes to stderr too */
		normalize(ln);
		count++;
		snprintf(check, sizeof check, "trace.%s.%02d", mode, count);
		line(check, "%s", ln);
	}
	snprintf(check, sizeof check, "trace.lines.%s", mode);
	line(check, "%d", count);
	fclose(f);
	unlink(path);
}

/* stderr becomes a pipe whose reader has gone: the trace must lose its lines, not kill the
 * program with SIGPIPE, and a SIGPIPE the program raises itself must still be delivered. */
static void broken_pipe(const char *self)
{
	int st = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsetenv("LD_DEBUG"); /* ld.so writing to the broken pipe would kill it first */
		setenv("SCTP_RS_TRACE", "1", 1);
		execl(exe, self, "pipe", "0", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	line("trace.broken_pipe", "%s", WIFEXITED(st) ? "exited" :
	     WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE ? "killed by SIGPIPE (its own write)" :
	     "killed otherwise");
}

static int pipe_child(void)
{
	int r, p[2];

	signal(SIGPIPE, SIG_DFL);
	if (pipe(p) < 0)
		return 2;
	close(p[0]);
	dup2(p[1], 2);
	close(p[1]);
	errno = ERRNO_SENTINEL;
	r = sctp_getaddrlen(AF_INET);
	ret_errno("trace.broken_pipe.success", r, errno);
	errno = ERRNO_SENTINEL;
	r = sctp_bindx(-1, NULL, 1, 3);
	ret_errno("trace.broken_pipe.failure", r, errno);
	/* The program's own broken pipe still raises SIGPIPE (exit status 141 is not 0). */
	if (pipe(p) == 0) {
		close(p[0]);
		fflush(stdout);
		write(p[1], "x", 1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *mode, *value; } runs[] = {
		{ "on", "1" }, { "unset", NULL }, { "zero", "0" }, { "empty", "" }, { "yes", "yes" },
	};

	if (argc == 3 && !strcmp(argv[1], "pipe"))
		return pipe_child();
	if (argc == 3) {
		/* Descriptor numbers in the trace must not depend on what the runner left open. */
		close_range(3, ~0U, 0);
		port = atoi(argv[2]);
		calls();
		errno_checks(argv[1]);
		return 0;
	}
	if (readlink("/proc/self/exe", exe, sizeof exe - 1) <= 0) {
		perror("trace: readlink /proc/self/exe");
		return 2;
	}
	/* Each run on ports of its own: the previous run's associations may still be closing. */
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
		run(argv[0], runs[i].mode, runs[i].value, 40010 + 2 * (int)i);
	broken_pipe(argv[0]);
	return 0;
}
