//! The functions the shim interposes, as the next library (libc) defines them: found with
//! dlsym(RTLD_NEXT) on first use. The shim's own system calls go through these, never through
//! its own interposers, and descriptors it does not own go straight to them.

use core::ffi::{c_char, c_int, c_uint, c_void};
use core::sync::atomic::{AtomicUsize, Ordering};
use libc::{iovec, mmsghdr, msghdr, size_t, sockaddr, socklen_t, ssize_t, timespec};

fn lookup(slot: &AtomicUsize, name: &[u8]) -> usize {
    let p = slot.load(Ordering::Relaxed);
    if p != 0 {
        return p;
    }
    // SAFETY: dlsym with a NUL-terminated name (the macro appends the NUL); RTLD_NEXT finds
    // the definition after ours.
    let f = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr().cast::<c_char>()) } as usize;
    if f == 0 {
        // No such function below us (a libc without it): the caller reports ENOSYS.
        return 0;
    }
    slot.store(f, Ordering::Relaxed);
    f
}

macro_rules! real {
    ($($name:ident ( $($a:ident : $t:ty),* ) -> $r:ty;)*) => {
        $(
            /// The next library's
            #[doc = stringify!($name)]
            /// .
            ///
            /// # Safety
            /// As the C function's.
            #[allow(clippy::missing_safety_doc)]
            pub unsafe fn $name($($a: $t),*) -> $r {
                static SLOT: AtomicUsize = AtomicUsize::new(0);
                let f = lookup(&SLOT, concat!(stringify!($name), "\0").as_bytes());
                if f == 0 {
                    // SAFETY: errno is this thread's.
                    unsafe { *libc::__errno_location() = libc::ENOSYS };
                    return -1 as $r;
                }
                // SAFETY: f is the address of the C function of this name, whose prototype is
                // the one declared here.
                let f: unsafe extern "C" fn($($t),*) -> $r = unsafe { core::mem::transmute(f) };
                // SAFETY: the caller passes what the C function expects.
                unsafe { f($($a),*) }
            }
        )*
    };
}

real! {
    socket(domain: c_int, ty: c_int, protocol: c_int) -> c_int;
    socketpair(domain: c_int, ty: c_int, protocol: c_int, sv: *mut c_int) -> c_int;
    bind(fd: c_int, addr: *const sockaddr, len: socklen_t) -> c_int;
    listen(fd: c_int, backlog: c_int) -> c_int;
    accept(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int;
    accept4(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t, flags: c_int) -> c_int;
    connect(fd: c_int, addr: *const sockaddr, len: socklen_t) -> c_int;
    getsockname(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int;
    getpeername(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int;
    setsockopt(fd: c_int, level: c_int, name: c_int, val: *const c_void, len: socklen_t) -> c_int;
    getsockopt(fd: c_int, level: c_int, name: c_int, val: *mut c_void, len: *mut socklen_t) -> c_int;
    shutdown(fd: c_int, how: c_int) -> c_int;
    send(fd: c_int, buf: *const c_void, len: size_t, flags: c_int) -> ssize_t;
    sendto(fd: c_int, buf: *const c_void, len: size_t, flags: c_int, to: *const sockaddr, tolen: socklen_t) -> ssize_t;
    sendmsg(fd: c_int, msg: *const msghdr, flags: c_int) -> ssize_t;
    sendmmsg(fd: c_int, v: *mut mmsghdr, n: c_uint, flags: c_int) -> c_int;
    write(fd: c_int, buf: *const c_void, len: size_t) -> ssize_t;
    writev(fd: c_int, iov: *const iovec, n: c_int) -> ssize_t;
    recv(fd: c_int, buf: *mut c_void, len: size_t, flags: c_int) -> ssize_t;
    recvfrom(fd: c_int, buf: *mut c_void, len: size_t, flags: c_int, from: *mut sockaddr, fromlen: *mut socklen_t) -> ssize_t;
    recvmsg(fd: c_int, msg: *mut msghdr, flags: c_int) -> ssize_t;
    recvmmsg(fd: c_int, v: *mut mmsghdr, n: c_uint, flags: c_int, t: *mut timespec) -> c_int;
    read(fd: c_int, buf: *mut c_void, len: size_t) -> ssize_t;
    readv(fd: c_int, iov: *const iovec, n: c_int) -> ssize_t;
    close(fd: c_int) -> c_int;
    dup(fd: c_int) -> c_int;
    dup2(fd: c_int, new: c_int) -> c_int;
    dup3(fd: c_int, new: c_int, flags: c_int) -> c_int;
    fcntl(fd: c_int, cmd: c_int, arg: usize) -> c_int;
    ioctl(fd: c_int, req: libc::c_ulong, arg: usize) -> c_int;
    close_range(first: c_uint, last: c_uint, flags: c_int) -> c_int;
    open(path: *const c_char, flags: c_int, mode: usize) -> c_int;
    open64(path: *const c_char, flags: c_int, mode: usize) -> c_int;
    openat(dirfd: c_int, path: *const c_char, flags: c_int, mode: usize) -> c_int;
    openat64(dirfd: c_int, path: *const c_char, flags: c_int, mode: usize) -> c_int;
}

static FOPEN: AtomicUsize = AtomicUsize::new(0);
static FOPEN64: AtomicUsize = AtomicUsize::new(0);

unsafe fn fopen_via(
    slot: &AtomicUsize,
    name: &[u8],
    path: *const c_char,
    mode: *const c_char,
) -> *mut libc::FILE {
    let f = lookup(slot, name);
    if f == 0 {
        return core::ptr::null_mut();
    }
    // SAFETY: f is libc's function of this name and prototype.
    let f: unsafe extern "C" fn(*const c_char, *const c_char) -> *mut libc::FILE =
        unsafe { core::mem::transmute(f) };
    // SAFETY: the caller's arguments.
    unsafe { f(path, mode) }
}

/// The next library's fopen.
///
/// # Safety
/// As fopen(3).
pub unsafe fn fopen(path: *const c_char, mode: *const c_char) -> *mut libc::FILE {
    // SAFETY: as fopen(3).
    unsafe { fopen_via(&FOPEN, b"fopen\0", path, mode) }
}

/// The next library's fopen64.
///
/// # Safety
/// As fopen(3).
pub unsafe fn fopen64(path: *const c_char, mode: *const c_char) -> *mut libc::FILE {
    // SAFETY: as fopen(3).
    unsafe { fopen_via(&FOPEN64, b"fopen64\0", path, mode) }
}
