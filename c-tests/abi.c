/* The C-level interface as a program sees it: the declared return type of sctp_send, the
 * feature macros, and which of the library's functions its shared object exports (dlsym).
 * Built against lksctp (SCTP_LIB = libsctp.so.1) and against sctp_rs (SCTP_LIB =
 * libsctp_rs.so); the listed divergences are the point of this program. */
#define _GNU_SOURCE
#include "common.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

#ifndef SCTP_LIB
#error "build with -DSCTP_LIB=\"path of the shared library\""
#endif

#define TYPE_NAME(x) _Generic((x), int: "int", long: "ssize_t", default: "other")

int main(void)
{
	static const char *const fns[] = { "sctp_peeloff", "sctp_peeloff_flags", "sctp_send",
					   "sctp_sendx" };
	void *h;

	line("abi.sctp_send_return_type", "%s", TYPE_NAME(sctp_send(-1, NULL, 0, NULL, 0)));
#ifdef HAVE_SCTP_PEELOFF_FLAGS
	line("abi.have_sctp_peeloff_flags", "yes");
#else
	line("abi.have_sctp_peeloff_flags", "no");
#endif
#ifdef HAVE_SCTP_SENDV
	line("abi.have_sctp_sendv", "yes");
#else
	line("abi.have_sctp_sendv", "no");
#endif
#ifdef HAVE_SCTP_SENDX
	line("abi.have_sctp_sendx", "yes");
#else
	line("abi.have_sctp_sendx", "no");
#endif
	line("abi.sizes", "sctp_sendv_spa=%zu sctp_recvv_rn=%zu sctp_sndrcvinfo=%zu",
	     sizeof(struct sctp_sendv_spa), sizeof(struct sctp_recvv_rn),
	     sizeof(struct sctp_sndrcvinfo));
	line("abi.enums", "SENDV=%d,%d,%d,%d,%d RECVV=%d,%d,%d,%d VALID=%d,%d,%d",
	     SCTP_SENDV_NOINFO, SCTP_SENDV_SNDINFO, SCTP_SENDV_PRINFO, SCTP_SENDV_AUTHINFO,
	     SCTP_SENDV_SPA, SCTP_RECVV_NOINFO, SCTP_RECVV_RCVINFO, SCTP_RECVV_NXTINFO,
	     SCTP_RECVV_RN, SCTP_SEND_SNDINFO_VALID, SCTP_SEND_PRINFO_VALID,
	     SCTP_SEND_AUTHINFO_VALID);

	line("abi.offsets", "spa=%zu,%zu,%zu,%zu rn=%zu,%zu", offsetof(struct sctp_sendv_spa, sendv_flags),
	     offsetof(struct sctp_sendv_spa, sendv_sndinfo),
	     offsetof(struct sctp_sendv_spa, sendv_prinfo),
	     offsetof(struct sctp_sendv_spa, sendv_authinfo),
	     offsetof(struct sctp_recvv_rn, recvv_rcvinfo),
	     offsetof(struct sctp_recvv_rn, recvv_nxtinfo));
	line("abi.levels", "SOL_SCTP=%d IPPROTO_SCTP=%d", SOL_SCTP, IPPROTO_SCTP);
	/* One line per feature macro the header defines (a missing one is a missing line). */
#define DEFINED(m) line("abi." #m, "defined")
#ifdef HAVE_SCTP
	DEFINED(HAVE_SCTP);
#endif
#ifdef HAVE_KERNEL_SCTP
	DEFINED(HAVE_KERNEL_SCTP);
#endif
#ifdef HAVE_SCTP_MULTIBUF
	DEFINED(HAVE_SCTP_MULTIBUF);
#endif
#ifdef HAVE_SCTP_NOCONNECT
	DEFINED(HAVE_SCTP_NOCONNECT);
#endif
#ifdef HAVE_SCTP_PRSCTP
	DEFINED(HAVE_SCTP_PRSCTP);
#endif
#ifdef HAVE_SCTP_ADDIP
	DEFINED(HAVE_SCTP_ADDIP);
#endif
#ifdef HAVE_SCTP_CANSET_PRIMARY
	DEFINED(HAVE_SCTP_CANSET_PRIMARY);
#endif
#ifdef HAVE_SCTP_STREAM_RESET_EVENT
	DEFINED(HAVE_SCTP_STREAM_RESET_EVENT);
#endif
#ifdef HAVE_SCTP_STREAM_RECONFIG
	DEFINED(HAVE_SCTP_STREAM_RECONFIG);
#endif
#ifdef HAVE_SCTP_PDAPI_EVENT_PDAPI_STREAM
	DEFINED(HAVE_SCTP_PDAPI_EVENT_PDAPI_STREAM);
#endif
#ifdef HAVE_SCTP_PDAPI_EVENT_PDAPI_SEQ
	DEFINED(HAVE_SCTP_PDAPI_EVENT_PDAPI_SEQ);
#endif
#ifdef HAVE_SCTP_AUTH_NO_AUTH
	DEFINED(HAVE_SCTP_AUTH_NO_AUTH);
#endif
#ifdef HAVE_SCTP_SPP_IPV6_FLOWLABEL
	DEFINED(HAVE_SCTP_SPP_IPV6_FLOWLABEL);
#endif
#ifdef HAVE_SCTP_SPP_DSCP
	DEFINED(HAVE_SCTP_SPP_DSCP);
#endif

	h = dlopen(SCTP_LIB, RTLD_NOW | RTLD_LOCAL);
	line("abi.dlopen", "%s", h ? "ok" : dlerror());
	for (size_t i = 0; h && i < sizeof fns / sizeof fns[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "abi.exports.%s", fns[i]);
		line(name, "%s", dlsym(h, fns[i]) ? "yes" : "no");
	}
	line("end", "done");
	return 0;
}
