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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The VERS_1 sctp_connectx (three arguments), as binaries built against lksctp 1.0.7 import it. */
int sctp_connectx_v1(int, struct sockaddr *, int);
__asm__(".symver sctp_connectx_v1, sctp_connectx@VERS_1");

#define PORT 40010

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
			if (hex >= 10) {
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
	/* A receive that finds nothing fails after 2 s (EAGAIN, in the trace) instead of hanging. */
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

/* errno after traced calls: unchanged by a success, the call's own after a failure. */
static void errno_checks(const char *mode)
{
	char check[96];
	int r;

	errno = ERRNO_SENTINEL;
	r = sctp_getaddrlen(AF_INET);
	snprintf(check, sizeof check, "trace.errno.%s.success", mode);
	ret_errno(check, r, errno);
	errno = ERRNO_SENTINEL;
	r = sctp_peeloff(-1, 1);
	snprintf(check, sizeof check, "trace.errno.%s.failure", mode);
	ret_errno(check, r, errno);
	/* With stderr closed, the line's write fails with EBADF: the caller must not see it. */
	close(2);
	errno = ERRNO_SENTINEL;
	r = sctp_getaddrlen(AF_INET6);
	snprintf(check, sizeof check, "trace.errno.%s.stderr_closed_success", mode);
	ret_errno(check, r, errno);
	errno = ERRNO_SENTINEL;
	r = sctp_peeloff(-1, 1);
	snprintf(check, sizeof check, "trace.errno.%s.stderr_closed_failure", mode);
	ret_errno(check, r, errno);
}

static int child(const char *mode)
{
	char path[] = "/tmp/sctp_rs_trace.XXXXXX", ln[4096], check[96];
	int fd = mkstemp(path), saved = dup(2), count = 0;
	FILE *f;

	if (fd < 0 || saved < 0) {
		perror("trace: mkstemp/dup");
		return 2;
	}
	dup2(fd, 2);
	alarm(30);
	calls();
	errno_checks(mode);
	dup2(saved, 2);
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
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *mode, *value; } runs[] = {
		{ "on", "1" }, { "unset", NULL }, { "zero", "0" }, { "empty", "" }, { "yes", "yes" },
	};
	char check[64];

	if (argc == 2)
		return child(argv[1]);
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		snprintf(check, sizeof check, "trace.run.%s", runs[i].mode);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			if (runs[i].value)
				setenv("SCTP_RS_TRACE", runs[i].value, 1);
			else
				unsetenv("SCTP_RS_TRACE");
			execl("/proc/self/exe", argv[0], runs[i].mode, (char *)NULL);
			_exit(127);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		line(check, "exit=%d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return 0;
}
