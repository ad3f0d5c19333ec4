/* The counting interposer: see count_shim.h. Built as build/c-tests/libcount.so.
 *
 * Each syscall wrapper forwards to the next definition (libc's), found with dlsym(RTLD_NEXT)
 * in the constructor, so that no lookup (which allocates) happens while a thread counts. The
 * allocator forwards to glibc's own entry points (__libc_malloc & co.), never through dlsym:
 * dlsym itself calls calloc. The counters and the switch are thread-local (initial-exec TLS:
 * no __tls_get_addr, which may allocate), so another thread's calls never show in a count.
 *
 * Calls inside libc (send() reaching sendto, printf reaching write) do not go through the
 * symbol table and are not counted: what is counted is what the caller asked libc for. */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include "count_shim.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* Every wrapped function, syscall wrappers first (in the order count_format prints them), then
 * the allocating functions, then free. */
#define SYSCALLS(X)                                                                            \
	X(sendmsg) X(recvmsg) X(getsockopt) X(setsockopt) X(socket) X(fcntl) X(fcntl64)        \
	X(sendto) X(recvfrom) X(send) X(recv) X(sendmmsg) X(recvmmsg) X(write) X(writev)       \
	X(read) X(readv) X(fstat) X(fstat64) X(__fxstat) X(__fxstat64) X(stat) X(stat64)       \
	X(fstatat) X(fstatat64) X(statx) X(open) X(open64) X(openat) X(close) X(lseek)         \
	X(lseek64) X(ioctl) X(poll) X(mmap) X(mmap64) X(munmap) X(bind) X(connect) X(listen)   \
	X(accept) X(accept4) X(getsockname) X(getpeername) X(shutdown) X(dup) X(dup2)          \
	X(dup3) X(readlink) X(getcwd) X(getrandom) X(gettid) X(sigprocmask)                    \
	X(pthread_sigmask) X(sigpending) X(sigtimedwait) X(syscall)
#define ALLOCS(X)                                                                              \
	X(malloc) X(calloc) X(realloc) X(reallocarray) X(posix_memalign) X(aligned_alloc)      \
	X(memalign) X(valloc) X(pvalloc)

enum {
#define KIND(n) K_##n,
	SYSCALLS(KIND) ALLOCS(KIND) K_free, N_KINDS
#undef KIND
};

static const char *const names[N_KINDS] = {
#define NAME(n) #n,
	SYSCALLS(NAME) ALLOCS(NAME) "free"
#undef NAME
};

#define TLS __thread __attribute__((tls_model("initial-exec")))
static TLS int counting;
static TLS long counts[N_KINDS];

static inline void bump(int k)
{
	if (counting)
		counts[k]++;
}

/* ---- the API ---- */
void count_begin(void)
{
	memset(counts, 0, sizeof counts);
	counting = 1;
}

void count_end(void)
{
	counting = 0;
}

long count_get(const char *name)
{
	for (int k = 0; k < N_KINDS; k++)
		if (!strcmp(names[k], name))
			return counts[k];
	return -1;
}

static long sum(int from, int to)
{
	long n = 0;
	for (int k = from; k < to; k++)
		n += counts[k];
	return n;
}

long count_syscalls(void)
{
	return sum(0, K_malloc);
}

long count_mallocs(void)
{
	return sum(K_malloc, K_free);
}

long count_frees(void)
{
	return counts[K_free];
}

int count_format(char *buf, size_t size)
{
	size_t used = 0;
	int n;
	for (int k = 0; k < K_free; k++) {
		if (!counts[k] || k == K_malloc)
			continue;
		n = snprintf(buf + used, used < size ? size - used : 0, "%s=%ld ", names[k],
			     counts[k]);
		used += (size_t)(n > 0 ? n : 0);
	}
	n = snprintf(buf + (used < size ? used : size), used < size ? size - used : 0,
		     "mallocs=%ld frees=%ld", count_mallocs(), count_frees());
	return (int)used + n;
}

/* ---- the syscall wrappers ---- */
/* glibc before 2.33 called these from fstat(); its headers no longer declare them. */
int __fxstat(int, int, struct stat *);
int __fxstat64(int, int, struct stat64 *);
#define REAL(n) static __typeof__(n) *real_##n;
SYSCALLS(REAL)
#undef REAL

static void *next(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

__attribute__((constructor)) static void resolve_all(void)
{
#define RESOLVE(n) real_##n = (__typeof__(real_##n))next(#n);
	SYSCALLS(RESOLVE)
#undef RESOLVE
}

/* A wrapper called before the constructor ran (from another library's constructor) resolves
 * its own target; none can be counting then. ENOSYS if libc has no such function. */
#define FORWARD(n, err, ...)                                                                   \
	do {                                                                                   \
		bump(K_##n);                                                                   \
		if (!real_##n)                                                                 \
			real_##n = (__typeof__(real_##n))next(#n);                             \
		if (!real_##n) {                                                               \
			errno = ENOSYS;                                                        \
			return err;                                                            \
		}                                                                              \
		return real_##n(__VA_ARGS__);                                                  \
	} while (0)

ssize_t sendmsg(int fd, const struct msghdr *m, int flags) { FORWARD(sendmsg, -1, fd, m, flags); }
ssize_t recvmsg(int fd, struct msghdr *m, int flags) { FORWARD(recvmsg, -1, fd, m, flags); }
int getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
	FORWARD(getsockopt, -1, fd, level, opt, val, len);
}
int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
	FORWARD(setsockopt, -1, fd, level, opt, val, len);
}
int socket(int domain, int type, int proto) { FORWARD(socket, -1, domain, type, proto); }
/* fcntl's third argument, when there is one, is an int or a pointer: passed on as a pointer. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	FORWARD(fcntl, -1, fd, cmd, arg);
}
int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	FORWARD(fcntl64, -1, fd, cmd, arg);
}
ssize_t sendto(int fd, const void *b, size_t n, int flags, const struct sockaddr *to, socklen_t tl)
{
	FORWARD(sendto, -1, fd, b, n, flags, to, tl);
}
ssize_t recvfrom(int fd, void *b, size_t n, int flags, struct sockaddr *from, socklen_t *fl)
{
	FORWARD(recvfrom, -1, fd, b, n, flags, from, fl);
}
ssize_t send(int fd, const void *b, size_t n, int flags) { FORWARD(send, -1, fd, b, n, flags); }
ssize_t recv(int fd, void *b, size_t n, int flags) { FORWARD(recv, -1, fd, b, n, flags); }
int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	FORWARD(sendmmsg, -1, fd, v, n, flags);
}
int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags, struct timespec *t)
{
	FORWARD(recvmmsg, -1, fd, v, n, flags, t);
}
ssize_t write(int fd, const void *b, size_t n) { FORWARD(write, -1, fd, b, n); }
ssize_t writev(int fd, const struct iovec *v, int n) { FORWARD(writev, -1, fd, v, n); }
ssize_t read(int fd, void *b, size_t n) { FORWARD(read, -1, fd, b, n); }
ssize_t readv(int fd, const struct iovec *v, int n) { FORWARD(readv, -1, fd, v, n); }
int fstat(int fd, struct stat *st) { FORWARD(fstat, -1, fd, st); }
int fstat64(int fd, struct stat64 *st) { FORWARD(fstat64, -1, fd, st); }
int __fxstat(int ver, int fd, struct stat *st) { FORWARD(__fxstat, -1, ver, fd, st); }
int __fxstat64(int ver, int fd, struct stat64 *st) { FORWARD(__fxstat64, -1, ver, fd, st); }
int stat(const char *p, struct stat *st) { FORWARD(stat, -1, p, st); }
int stat64(const char *p, struct stat64 *st) { FORWARD(stat64, -1, p, st); }
int fstatat(int d, const char *p, struct stat *st, int fl) { FORWARD(fstatat, -1, d, p, st, fl); }
int fstatat64(int d, const char *p, struct stat64 *st, int fl)
{
	FORWARD(fstatat64, -1, d, p, st, fl);
}
int statx(int d, const char *p, int fl, unsigned int mask, struct statx *st)
{
	FORWARD(statx, -1, d, p, fl, mask, st);
}
/* open's mode is there only with O_CREAT or O_TMPFILE. */
static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}
int open(const char *p, int flags, ...)
{
	va_list ap;
	mode_t mode;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FORWARD(open, -1, p, flags, mode);
}
int open64(const char *p, int flags, ...)
{
	va_list ap;
	mode_t mode;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FORWARD(open64, -1, p, flags, mode);
}
int openat(int d, const char *p, int flags, ...)
{
	va_list ap;
	mode_t mode;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FORWARD(openat, -1, d, p, flags, mode);
}
int close(int fd) { FORWARD(close, -1, fd); }
off_t lseek(int fd, off_t o, int w) { FORWARD(lseek, -1, fd, o, w); }
off64_t lseek64(int fd, off64_t o, int w) { FORWARD(lseek64, -1, fd, o, w); }
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	FORWARD(ioctl, -1, fd, req, arg);
}
int poll(struct pollfd *p, nfds_t n, int ms) { FORWARD(poll, -1, p, n, ms); }
void *mmap(void *a, size_t n, int prot, int fl, int fd, off_t o)
{
	FORWARD(mmap, MAP_FAILED, a, n, prot, fl, fd, o);
}
void *mmap64(void *a, size_t n, int prot, int fl, int fd, off64_t o)
{
	FORWARD(mmap64, MAP_FAILED, a, n, prot, fl, fd, o);
}
int munmap(void *a, size_t n) { FORWARD(munmap, -1, a, n); }
int bind(int fd, const struct sockaddr *a, socklen_t l) { FORWARD(bind, -1, fd, a, l); }
int connect(int fd, const struct sockaddr *a, socklen_t l) { FORWARD(connect, -1, fd, a, l); }
int listen(int fd, int n) { FORWARD(listen, -1, fd, n); }
int accept(int fd, struct sockaddr *a, socklen_t *l) { FORWARD(accept, -1, fd, a, l); }
int accept4(int fd, struct sockaddr *a, socklen_t *l, int fl) { FORWARD(accept4, -1, fd, a, l, fl); }
int getsockname(int fd, struct sockaddr *a, socklen_t *l) { FORWARD(getsockname, -1, fd, a, l); }
int getpeername(int fd, struct sockaddr *a, socklen_t *l) { FORWARD(getpeername, -1, fd, a, l); }
int shutdown(int fd, int how) { FORWARD(shutdown, -1, fd, how); }
int dup(int fd) { FORWARD(dup, -1, fd); }
int dup2(int fd, int to) { FORWARD(dup2, -1, fd, to); }
int dup3(int fd, int to, int fl) { FORWARD(dup3, -1, fd, to, fl); }
ssize_t readlink(const char *p, char *b, size_t n) { FORWARD(readlink, -1, p, b, n); }
char *getcwd(char *b, size_t n) { FORWARD(getcwd, NULL, b, n); }
ssize_t getrandom(void *b, size_t n, unsigned int fl) { FORWARD(getrandom, -1, b, n, fl); }
pid_t gettid(void) { FORWARD(gettid, -1); }
int sigprocmask(int how, const sigset_t *s, sigset_t *o) { FORWARD(sigprocmask, -1, how, s, o); }
int pthread_sigmask(int how, const sigset_t *s, sigset_t *o)
{
	FORWARD(pthread_sigmask, ENOSYS, how, s, o);
}
int sigpending(sigset_t *s) { FORWARD(sigpending, -1, s); }
int sigtimedwait(const sigset_t *s, siginfo_t *i, const struct timespec *t)
{
	FORWARD(sigtimedwait, -1, s, i, t);
}
/* syscall(2) takes at most six arguments after the number, all passed as longs. */
long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	FORWARD(syscall, -1, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- the allocator: glibc's own entry points, no lookup ---- */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

void *malloc(size_t n)
{
	bump(K_malloc);
	return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
	bump(K_calloc);
	return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
	bump(K_realloc);
	return __libc_realloc(p, n);
}
void *reallocarray(void *p, size_t a, size_t b)
{
	size_t n;
	bump(K_reallocarray);
	if (__builtin_mul_overflow(a, b, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}
int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;
	bump(K_posix_memalign);
	if (align == 0 || align % sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = __libc_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
void *aligned_alloc(size_t align, size_t n)
{
	bump(K_aligned_alloc);
	return __libc_memalign(align, n);
}
void *memalign(size_t align, size_t n)
{
	bump(K_memalign);
	return __libc_memalign(align, n);
}
void *valloc(size_t n)
{
	bump(K_valloc);
	return __libc_valloc(n);
}
void *pvalloc(size_t n)
{
	bump(K_pvalloc);
	return __libc_pvalloc(n);
}
void free(void *p)
{
	bump(K_free);
	__libc_free(p);
}
