/* The measurements of bench/measure.h. */
#define _GNU_SOURCE
#include "measure.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void bench_die(const char *who, const char *what)
{
	fprintf(stderr, "%s: FATAL: %s: %s\n", who, what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char pattern(uint32_t seq, size_t i)
{
	return (unsigned char)(seq * 7 + i * 13);
}

struct tx {
	const struct bench_io *io;
	void *s;
	size_t size;
	double until;
	uint32_t sent;
};

static void *sender(void *arg)
{
	struct tx *t = arg;
	static unsigned char buf[16384];
	while (now() < t->until) {
		uint32_t seq = t->sent;
		memcpy(buf, &seq, sizeof seq);
		buf[4] = pattern(seq, 4);
		buf[t->size - 1] = pattern(seq, t->size - 1);
		if (t->io->send(t->s, buf, t->size) != (ssize_t)t->size)
			bench_die(t->io->who, "send");
		t->sent++;
	}
	/* The end: a 1-byte message. */
	if (t->io->send(t->s, buf, 1) != 1)
		bench_die(t->io->who, "send (end)");
	return NULL;
}

static void throughput(const struct bench_io *io, const char *label, void *c, void *a,
		       size_t size, double secs)
{
	static unsigned char buf[16384 + 1];
	struct tx t = { .io = io, .s = c, .size = size };
	pthread_t th;
	uint32_t got = 0;
	double t0 = now(), t1;
	t.until = t0 + secs;
	if (pthread_create(&th, NULL, sender, &t) != 0)
		bench_die(io->who, "pthread_create");
	for (;;) {
		ssize_t n = io->recv(a, buf, sizeof buf);
		uint32_t seq;
		if (n == 1)
			break;
		if (n != (ssize_t)size)
			bench_die(io->who, "recv: a message of the wrong length");
		memcpy(&seq, buf, sizeof seq);
		if (seq != got || buf[4] != pattern(seq, 4) || buf[size - 1] != pattern(seq, size - 1)) {
			fprintf(stderr, "%s: FATAL: message %u arrived as %u, or damaged\n", io->who,
				got, seq);
			exit(1);
		}
		got++;
	}
	t1 = now();
	pthread_join(th, NULL);
	if (got != t.sent) {
		fprintf(stderr, "%s: FATAL: %u sent, %u received\n", io->who, t.sent, got);
		exit(1);
	}
	printf("%s\tthroughput %zu B\t%.0f\tmessages/s\n", label, size, got / (t1 - t0));
	printf("%s\tthroughput %zu B\t%.1f\tMB/s\n", label, size, got * (double)size / (t1 - t0) / 1e6);
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

struct echo {
	const struct bench_io *io;
	void *s;
	int n;
};

static void *echoer(void *arg)
{
	struct echo *e = arg;
	char buf[64];
	for (int i = 0; i < e->n; i++) {
		if (e->io->recv(e->s, buf, sizeof buf) != 64 || e->io->send(e->s, buf, 64) != 64)
			bench_die(e->io->who, "echo");
	}
	return NULL;
}

static void latency(const struct bench_io *io, const char *label, void *c, void *a)
{
	enum { N = 2000 };
	static double rtt[N];
	char buf[64] = "ping";
	struct echo e = { .io = io, .s = a, .n = N };
	pthread_t th;
	if (pthread_create(&th, NULL, echoer, &e) != 0)
		bench_die(io->who, "pthread_create");
	for (int i = 0; i < N; i++) {
		double t0 = now();
		if (io->send(c, buf, 64) != 64 || io->recv(c, buf, sizeof buf) != 64)
			bench_die(io->who, "ping");
		rtt[i] = now() - t0;
	}
	pthread_join(th, NULL);
	qsort(rtt, N, sizeof rtt[0], cmp);
	printf("%s\tround trip 64 B, median\t%.1f\tus\n", label, rtt[N / 2] * 1e6);
	printf("%s\tround trip 64 B, 99th percentile\t%.1f\tus\n", label, rtt[N * 99 / 100] * 1e6);
}

void bench_run(const struct bench_io *io, const char *label, void *c, void *a, double secs)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	latency(io, label, c, a);
	throughput(io, label, c, a, 1024, secs);
	throughput(io, label, c, a, 16384, secs);
}
