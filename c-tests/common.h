/* Helpers shared by the C conformance programs. They use only the socket API and
 * <netinet/sctp.h> types, so each program builds unchanged against lksctp and against sctp_rs.
 * Every line a program prints is "<check>: <fields>", with fds and association ids printed as
 * relations (new, same, differs) so that two runs compare line by line. */
#ifndef SCTP_RS_C_TESTS_COMMON_H
#define SCTP_RS_C_TESTS_COMMON_H

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef LKSCTP_SO
/* Built against Debian's libsctp.so.1 (the three-way runs), which does not export
 * sctp_peeloff_flags: the reference is weak, NULL as is, bound when sctp_rs is preloaded or in
 * place. */
#pragma weak sctp_peeloff_flags
#define PEELOFF_FLAGS_BOUND (sctp_peeloff_flags != NULL)
#else
#define PEELOFF_FLAGS_BOUND 1
#endif

/* A call that hands the kernel a bad pointer on purpose (to see its EFAULT) goes through a
 * function of its own, named deliberate_<what>, marked DELIBERATE so that it is never inlined
 * or cloned: c-tests/valgrind.supp names exactly these functions, so memcheck's report of the
 * same call from anywhere else still fails the run. */
#define DELIBERATE __attribute__((noinline, noclone, used))

/* Symbolic name of an errno value ("EINVAL"), or "E<number>". */
const char *errname(int e);

/* Prints "<check>: <fmt...>" and a newline, flushing stdout. */
void line(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "<check>: ret=<class> errno=<name>" for a call that returned `ret` with `err` in errno
 * (err is printed as "unchanged" when it still holds the ERRNO_SENTINEL value set before). */
void ret_errno(const char *check, long ret, int err);
#define ERRNO_SENTINEL EDOM

/* socket(family, type, IPPROTO_SCTP), or exit(2) loudly: the suite must never pass without
 * kernel SCTP. */
int sctp_socket(int family, int type);

struct sockaddr_in v4(const char *ip, uint16_t port);
struct sockaddr_in6 v6(const char *ip, uint16_t port);
uint16_t local_port(int fd);
void bind_or_die(int fd, const void *addr, socklen_t len);

/* setsockopt SCTP_EVENTS: data_io (sinfo with each message), association, shutdown. */
void subscribe(int fd, int data_io, int association, int shutdown);

/* A one-to-many SCTP listener on 127.0.0.1:<ephemeral>, with data_io and association events. */
int listener_v4(uint16_t *port);

/* Blocking connect() of a one-to-many or one-to-one socket to 127.0.0.1:port, or exit. */
void connect_v4(int fd, uint16_t port);

/* A new one-to-many client bound to 127.0.0.1 and associated with `listener` (on 127.0.0.1:port).
 * Stores the association's id as the client sees it and as the listener sees it (either pointer
 * may be NULL). */
int assoc_client(int listener, uint16_t port, sctp_assoc_t *client_id, sctp_assoc_t *server_id);

/* Association of `fd` whose peer is `addr` (SCTP_GET_PEER_ADDR_INFO), or 0. */
sctp_assoc_t assoc_to(int fd, const void *addr, socklen_t len);
/* Number of associations of a one-to-many `fd`, and the first one's id in *first. */
int assoc_count(int fd, sctp_assoc_t *first);

/* Receives one data message (skipping notifications) within `ms` milliseconds. Returns its
 * length, or -1 with errno ETIMEDOUT when nothing came. `si` gets the SCTP_SNDRCV info
 * (zeroed when none arrived); `flags` the msg_flags. */
long recv_data(int fd, void *buf, size_t len, struct sctp_sndrcvinfo *si, int *flags, int ms);

/* Waits up to `ms` for an SCTP_ASSOC_CHANGE notification and returns its sac_state name
 * ("COMM_UP", "SHUTDOWN_COMP", "COMM_LOST", ...), or "none". Data messages are consumed. */
const char *wait_assoc_change(int fd, int ms, sctp_assoc_t *id);

/* Like recv_data, for a peer's side of a check: prints "<check>: peer got nothing (ERRNO)"
 * when nothing came. */
long peer_recv(const char *check, int fd, void *buf, size_t len, struct sctp_sndrcvinfo *si,
	       int *flags, int ms);

/* The peer addresses of association `id` (sctp_getpaddrs): "<check>: getpaddrs=N [a,b,c]",
 * at most 8, sorted, without ports. */
void peer_addrs(const char *check, int fd, sctp_assoc_t id);

/* setsockopt SCTP_EVENTS: data_io, association, send_failure. */
void set_events(int fd, int data_io, int association, int send_failure);

/* Makes `fd` give up on an unanswered INIT fast: RTO 100 ms, at most `attempts` INITs 100 ms
 * apart (so a blackholed INIT is retried through another address within a second). Returns
 * fd. */
int fast_init(int fd, int attempts);

/* Name of an SCTP_ASSOC_CHANGE state: "COMM_UP", "SHUTDOWN_COMP", ..., "other". */
const char *assoc_state_name(unsigned state);
/* Name of an association's state as SCTP_STATUS gives it (sstat_state): "ESTABLISHED",
 * "COOKIE_WAIT", ...; "state<N>" for one the header does not name. */
const char *status_state_name(int state);
/* Name of a peer address's state (spinfo_state): "ACTIVE", "PF", ...; "state<N>" otherwise. */
const char *paddr_state_name(int state);

/* A cumulative TSN as a relation to a TSN ("0", "tsn-1", ...): TSNs start at random. */
const char *cumtsn_rel(uint32_t cumtsn, uint32_t tsn);

/* A one-to-one listener on 127.0.0.1, a client connected to it (*client) and the accepted
 * socket (*accepted, with data_io events). Returns the listener. */
int one_to_one_pair(int *client, int *accepted);

/* Names of msg_flags bits: "0", "MSG_EOR|MSG_NOTIFICATION", ... */
const char *msg_flags_name(int f);

/* Waits up to `ms` until association `id` of `fd` (0 on a one-to-one socket) has no data the
 * peer has not acknowledged (SCTP_STATUS sstat_unackdata 0): everything sent so far sits in
 * the peer's receive queue. Returns 1, or 0 on timeout. For checks that need several messages
 * queued before the first is read, without guessing a delay. */
int wait_acked(int fd, sctp_assoc_t id, int ms);

/* 1 when `fd` has nothing to read within `ms` milliseconds. */
int quiet_for(int fd, int ms);

/* A packed address array, as sctp_bindx/connectx/sendx/sendv take them, built by appending. */
struct packed {
	char buf[64 * sizeof(struct sockaddr_in6)];
	size_t len;
	int cnt;
};
/* Appends `len` raw bytes as one address (any family: also the bad ones a test needs). */
void packed_add(struct packed *p, const void *addr, size_t len);
void add4(struct packed *p, const char *ip, uint16_t port);
void add6(struct packed *p, const char *ip, uint16_t port);

/* Runs fn(arg) in a child process (for calls that crash lksctp) and prints
 * "<check>: child <exited N|killed by SIGNAME>". What fn prints comes first. */
void in_child(const char *check, void (*fn)(void *), void *arg);

/* Name of a sinfo_flags value: "0", "UNORDERED", ... joined with '|'. */
const char *sinfo_flags_name(unsigned flags);

/* --- for the load and fault programs (load.c, faults.c, fork.c) --- */

/* Number of open descriptors of this process (entries of /proc/self/fd, less the one the
 * count itself opens). */
int count_fds(void);

/* Associations the kernel holds (lines of /proc/net/sctp/assocs) with `port` as local or
 * remote port: 0 once both ends of an association on that port are freed. */
int kernel_assocs(uint16_t port);

/* The calling thread's kernel id, for thread_sleeping(). */
pid_t thread_id(void);

/* Waits up to `ms` for thread `tid` of this process to be asleep in an interruptible wait
 * (state S in /proc/self/task/<tid>/stat, twice 20 ms apart) while *busy is nonzero (the thread
 * sets it just before the call that should block and clears it after). Returns 1 if so. */
int thread_sleeping(pid_t tid, const volatile int *busy, int ms);

/* Ends the process with exit status 3 and a FATAL line on stderr unless it has finished within
 * `seconds` (a thread that sleeps beside the program): a hang fails loudly instead of waiting
 * for the suite's timeout (times slow_factor()). watchdog_phase() names what is running, for
 * that line. */
void watchdog(int seconds);
/* SCTP_RS_TEST_SLOW=N (default 1): bounds and waits that must outlast a slow run (valgrind)
 * are multiplied by N. Nothing printed depends on it. */
int slow_factor(void);
void watchdog_phase(const char *what);
/* Records that process `pid` is about to be killed with SIGKILL on purpose: appends its pid to
 * the file SCTP_RS_TEST_KILLED names, if set (the memcheck runs set it: a process killed that way
 * cannot write valgrind's closing summary, and scripts/verdict_memcheck.py accepts that of the
 * processes listed, if their logs hold no report). Nothing printed depends on it. */
void killed_on_purpose(pid_t pid);

/* Calls the libsctp functions the threaded programs use once each on descriptor -1 (EBADF,
 * nothing else happens), from the main thread before any other starts. With lazy binding the
 * first call of a function binds it, and LD_DEBUG=bindings (which the suite's verdict reads)
 * writes each binding line in two pieces, the symbol version second: threads binding at the
 * same moment (any function, the watchdog's sleep too) interleave the pieces and lose the
 * versions. */
void bind_sctp_now(void);

/* FNV-1a over `len` bytes, starting from `seed`. */
uint32_t fnv1a(uint32_t seed, const void *buf, size_t len);

#endif
