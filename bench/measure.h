/* The measurements bench/anywhere.c (the SCTP socket API) and bench/usrsctp.c (usrsctp
 * in-process) share, over whatever a program's struct bench_io sends and receives with: the
 * same messages, the same checks, the same printed lines, so that their numbers compare.
 *
 * Throughput: a sender thread writes messages of 1 KiB and of 16 KiB for SECONDS each; the
 * receiver checks every message (length, a sequence number, the pattern's first and last bytes)
 * and the run fails loudly on any difference. Latency: 64-byte messages echoed, one at a time,
 * 2000 round trips: the median and the 99th percentile. Prints tab-separated lines
 * "LABEL case value unit". Timings vary from run to run: compare the lines of one run. */
#ifndef SCTP_RS_BENCH_MEASURE_H
#define SCTP_RS_BENCH_MEASURE_H

#include <stddef.h>
#include <sys/types.h>

struct bench_io {
	const char *who; /* names the program in its FATAL lines */
	/* One whole message on endpoint s (what the program's pair gave), as send(2)/recv(2). */
	ssize_t (*send)(void *s, const void *buf, size_t len);
	ssize_t (*recv)(void *s, void *buf, size_t len);
};

/* Prints "WHO: FATAL: WHAT: strerror(errno)" on stderr and exits with status 2. */
_Noreturn void bench_die(const char *who, const char *what);

/* Latency, then throughput of 1 KiB and of 16 KiB messages for secs each, from client c to
 * the accepted endpoint a of one association. */
void bench_run(const struct bench_io *io, const char *label, void *c, void *a, double secs);

#endif
