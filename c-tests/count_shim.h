/* The counting interposer (c-tests/count_shim.c, built as build/c-tests/libcount.so): wraps the
 * libc syscall wrappers a library could reach and the allocator, forwards every call, and counts
 * the calls a thread makes between count_begin() and count_end(). Load it with LD_PRELOAD (as
 * c-tests/counts.c runs) or link it (as bench/bench.c does): either way its symbols come before
 * libc's in the global scope, so calls from the program, from libsctp_rs.so and from code
 * linked from libsctp_rs.a all reach it.
 *
 * A program that must also run without the shim resolves these with dlsym(RTLD_DEFAULT, ...);
 * it must then refuse to report when they are missing (a count of zero because nothing was
 * interposed is not a result). */
#ifndef SCTP_RS_COUNT_SHIM_H
#define SCTP_RS_COUNT_SHIM_H

#include <stddef.h>

/* Zeroes the calling thread's counters and starts counting its calls. */
void count_begin(void);
/* Stops counting the calling thread's calls (the counters keep their values). */
void count_end(void);
/* The calling thread's counter of the function `name` ("sendmsg", "malloc", ...), or -1 when
 * the shim wraps no function of that name. */
long count_get(const char *name);
/* Totals over the calling thread's counters: calls of syscall wrappers (syscall(2) included),
 * of allocating functions (malloc, calloc, realloc, reallocarray, posix_memalign, memalign,
 * aligned_alloc, valloc, pvalloc) and of free. */
long count_syscalls(void);
long count_mallocs(void);
long count_frees(void);
/* Writes what was counted into buf as "<syscall>=N ... mallocs=N frees=N": every syscall
 * wrapper called, by name, in a fixed order; then every allocating function other than malloc
 * that was called, by name ("realloc=1"); then the two totals, always. Returns snprintf's
 * result. */
int count_format(char *buf, size_t size);

#endif
