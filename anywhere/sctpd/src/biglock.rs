//! One lock for the whole stack, as a kernel has its socket locks: usrsctp runs a thread per
//! UDP socket that processes each packet it receives, a timer thread, and sctpd's event loop
//! calls its API; usrsctp's own locking leaves races between them (a packet processed while the
//! loop closes a socket of the same endpoint: use after free, a NULL socket locked in
//! sctp_common_input_processing). With this lock only one of them is inside usrsctp at a time:
//! - the event loop holds it always, except while it waits in epoll_wait;
//! - a receive thread holds it from the moment its recvmsg(2) returns a packet until it calls
//!   recvmsg(2) again (the whole processing of the packet), through sctpd's own `recvmsg`;
//! - the timer thread holds it from the end of one nanosleep(2) until the next (one tick),
//!   through sctpd's own `nanosleep`.
//!
//! sctpd exports both symbols (like `sendmsg`, src/srcaddr.rs), so libusrsctp's calls reach
//! them; for any other descriptor or thread they are the system call and nothing else.
//! Upcalls and sctpd's `sendmsg` run inside usrsctp, under the lock, and never take it.

use core::cell::Cell;
use core::sync::atomic::{AtomicI32, Ordering};
use std::cell::UnsafeCell;

struct Lock(UnsafeCell<libc::pthread_mutex_t>);
// SAFETY: a pthread mutex is made to be shared between threads.
unsafe impl Sync for Lock {}
static LOCK: Lock = Lock(UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER));

thread_local! {
    /// This thread holds the lock.
    static HELD: Cell<bool> = const { Cell::new(false) };
    /// This thread's part: 0 not known yet, 1 usrsctp's timer thread, 2 another.
    static ROLE: Cell<u8> = const { Cell::new(0) };
}

/// The stack's UDP sockets (set once the stack has started; see [`set_stack_sockets`]).
static UDP4: AtomicI32 = AtomicI32::new(-1);
static UDP6: AtomicI32 = AtomicI32::new(-1);

/// Records the stack's UDP sockets, whose receive threads take the lock.
pub fn set_stack_sockets(v4: i32, v6: i32) {
    UDP4.store(v4, Ordering::Relaxed);
    UDP6.store(v6, Ordering::Relaxed);
}

/// Takes the lock for this thread (a no-op if it holds it).
pub fn enter() {
    if HELD.with(Cell::get) {
        return;
    }
    // SAFETY: a valid, statically initialised mutex.
    unsafe { libc::pthread_mutex_lock(LOCK.0.get()) };
    HELD.with(|h| h.set(true));
}

/// Lets the lock go (a no-op if this thread does not hold it).
pub fn leave() {
    if !HELD.with(Cell::get) {
        return;
    }
    HELD.with(|h| h.set(false));
    // SAFETY: this thread holds the mutex.
    unsafe { libc::pthread_mutex_unlock(LOCK.0.get()) };
}

fn is_stack_udp(fd: i32) -> bool {
    fd >= 0 && (fd == UDP4.load(Ordering::Relaxed) || fd == UDP6.load(Ordering::Relaxed))
}

/// Whether this thread is usrsctp's timer thread (named "SCTP timer" by usrsctp).
fn is_timer_thread() -> bool {
    let r = ROLE.with(Cell::get);
    if r != 0 {
        return r == 1;
    }
    let mut name = [0u8; 16];
    // SAFETY: PR_GET_NAME writes at most 16 bytes.
    unsafe { libc::prctl(libc::PR_GET_NAME, name.as_mut_ptr()) };
    let timer = name.starts_with(b"SCTP timer");
    ROLE.with(|c| c.set(if timer { 1 } else { 2 }));
    timer
}

/// recvmsg(2) for the whole process: a receive thread of the stack lets the lock go while it
/// waits for a packet and takes it to process the packet.
///
/// # Safety
/// As recvmsg(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recvmsg(fd: i32, msg: *mut libc::msghdr, flags: i32) -> isize {
    if is_stack_udp(fd) {
        leave();
    }
    // SAFETY: the caller's arguments, passed on unchanged.
    let r = unsafe { libc::syscall(libc::SYS_recvmsg, fd, msg, flags) as isize };
    if is_stack_udp(fd) {
        enter();
    }
    r
}

/// nanosleep(2) for the whole process: usrsctp's timer thread lets the lock go while it sleeps
/// and takes it for the tick that follows.
///
/// # Safety
/// As nanosleep(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nanosleep(req: *const libc::timespec, rem: *mut libc::timespec) -> i32 {
    let timer = is_timer_thread();
    if timer {
        leave();
    }
    // SAFETY: the caller's arguments, passed on unchanged.
    let r = unsafe { libc::syscall(libc::SYS_nanosleep, req, rem) as i32 };
    if timer {
        enter();
    }
    r
}
