/* The sctp_connectx ABI versions of the shared library, reached as old binaries and dlopen()
 * users reach them: dlsym(h, "sctp_connectx") and dlvsym(..., "VERS_1") must be the
 * three-argument function that never writes an id; VERS_2 and VERS_3 the four-argument ones
 * that do. Each is called with four arguments (the extra one is ignored by the old ABI) on a
 * fresh one-to-many socket towards a live listener. Built against lksctp (SCTP_LIB = Debian's
 * libsctp.so.1) and against sctp_rs (SCTP_LIB = build/libsctp.so.1). */
#define _GNU_SOURCE
#include "common.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SCTP_LIB
#error "build with -DSCTP_LIB=\"path of the shared library\""
#endif

typedef int (*connectx4)(int, struct sockaddr *, int, sctp_assoc_t *);

static void try_version(const char *check, connectx4 fn, int listener, uint16_t port)
{
	int c = sctp_socket(AF_INET, SOCK_SEQPACKET);
	struct sockaddr_in srv = v4("127.0.0.1", port);
	sctp_assoc_t id = -1;
	int r;

	if (!fn) {
		line(check, "symbol missing");
		close(c);
		return;
	}
	errno = ERRNO_SENTINEL;
	r = fn(c, (struct sockaddr *)&srv, 1, &id);
	ret_errno(check, r, errno);
	line(check, "id written=%s matches association=%s associations=%d",
	     id == -1 ? "no" : "yes", id == assoc_to(c, &srv, sizeof srv) ? "yes" : "no",
	     assoc_count(c, NULL));
	(void)listener;
	close(c);
}

int main(void)
{
	static const char *const v1[] = { "sctp_getpaddrs", "sctp_freepaddrs", "sctp_getladdrs",
		"sctp_freeladdrs", "sctp_getaddrlen", "sctp_bindx", "sctp_connectx", "sctp_opt_info",
		"sctp_peeloff", "sctp_recvmsg", "sctp_recvv", "sctp_sendmsg", "sctp_sendv",
		"sctp_send" };
	uint16_t port;
	int l = listener_v4(&port);
	void *h = dlopen(SCTP_LIB, RTLD_NOW | RTLD_LOCAL);

	line("versions.dlopen", "%s", h ? "ok" : dlerror());
	if (!h)
		return 1;
	try_version("versions.dlsym", (connectx4)dlsym(h, "sctp_connectx"), l, port);
	try_version("versions.VERS_1", (connectx4)dlvsym(h, "sctp_connectx", "VERS_1"), l, port);
	try_version("versions.VERS_2", (connectx4)dlvsym(h, "sctp_connectx", "VERS_2"), l, port);
	try_version("versions.VERS_3", (connectx4)dlvsym(h, "sctp_connectx", "VERS_3"), l, port);
	line("versions.dlsym_is_VERS_1", "%s",
	     dlsym(h, "sctp_connectx") == dlvsym(h, "sctp_connectx", "VERS_1") ? "yes" : "no");
	line("versions.VERS_2_is_VERS_3", "%s",
	     dlvsym(h, "sctp_connectx", "VERS_2") == dlvsym(h, "sctp_connectx", "VERS_3") ? "yes"
											   : "no");
	for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "versions.VERS_1.%s", v1[i]);
		line(name, "%s", dlvsym(h, v1[i], "VERS_1") ? "yes" : "no");
	}
	line("versions.SCTP_RS_1.sctp_peeloff_flags", "%s",
	     dlvsym(h, "sctp_peeloff_flags", "SCTP_RS_1") ? "yes" : "no");
	line("versions.SCTP_RS_1.sctp_sendx", "%s",
	     dlvsym(h, "sctp_sendx", "SCTP_RS_1") ? "yes" : "no");
	close(l);
	line("end", "done");
	return 0;
}
