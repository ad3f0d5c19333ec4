//! The interposed libc functions. Each one asks first whether its descriptor is sctpd's; if
//! not, the call goes to libc untouched. socket() decides where a new SCTP socket lives: in the
//! kernel if it has SCTP (unless SCTP_ANYWHERE=force), else in sctpd. errno is left as it was
//! on success, set on failure.

use crate::data::{self, RecvArgs, RecvOut};
use crate::fds;
use crate::ops;
use crate::real;
use core::ffi::{c_int, c_uint, c_ulong, c_void};
use core::sync::atomic::{AtomicU8, Ordering};
use libc::{iovec, mmsghdr, msghdr, size_t, sockaddr, socklen_t, ssize_t, timespec};

fn errno() -> i32 {
    // SAFETY: errno of this thread.
    unsafe { *libc::__errno_location() }
}

fn set_errno(e: i32) {
    // SAFETY: errno of this thread.
    unsafe { *libc::__errno_location() = e };
}

/// Runs `f` for a descriptor of sctpd: its value, or -1 with errno; errno kept on success.
fn ours<T: From<i8>>(f: impl FnOnce() -> Result<T, i32>) -> T {
    let saved = errno();
    match f() {
        Ok(v) => {
            set_errno(saved);
            v
        }
        Err(e) => {
            set_errno(e);
            T::from(-1)
        }
    }
}

fn is_ours(fd: c_int) -> bool {
    let saved = errno();
    let r = fds::is_ours(fd);
    set_errno(saved);
    r
}

/// Where SCTP sockets go: 0 not decided, 1 the kernel, 2 sctpd.
static WHERE: AtomicU8 = AtomicU8::new(0);

/// Where SCTP sockets go (see [`WHERE`]): 2 once sctpd's.
pub fn mode() -> u8 {
    let w = WHERE.load(Ordering::Relaxed);
    if w != 0 {
        return w;
    }
    let m = match std::env::var("SCTP_ANYWHERE").as_deref() {
        _ if in_sctpd() => 1,
        Ok("force") | Ok("always") => 2,
        Ok("off") | Ok("never") | Ok("0") => 1,
        _ => 0,
    };
    if m != 0 {
        WHERE.store(m, Ordering::Relaxed);
    }
    m
}

/// Whether this process is sctpd itself (started from a program that runs under the shim, it
/// inherits LD_PRELOAD): the shim then stays out of the way.
fn in_sctpd() -> bool {
    // SAFETY: a lookup of a symbol by its NUL-terminated name.
    !unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"sctp_anywhere_daemon".as_ptr()) }.is_null()
}

/// An SCTP socket of the socket API: one-to-one or one-to-many (a raw IPPROTO_SCTP socket is
/// the kernel's business).
fn is_sctp(domain: c_int, ty: c_int, protocol: c_int) -> bool {
    let base = ty & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC);
    (domain == libc::AF_INET || domain == libc::AF_INET6)
        && (base == libc::SOCK_STREAM || base == libc::SOCK_SEQPACKET)
        && (protocol == libc::IPPROTO_SCTP || (protocol == 0 && base == libc::SOCK_SEQPACKET))
}

/// socket(2).
///
/// # Safety
/// As socket(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn socket(domain: c_int, ty: c_int, protocol: c_int) -> c_int {
    if !is_sctp(domain, ty, protocol) {
        // SAFETY: the caller's arguments, as given.
        let fd = unsafe { real::socket(domain, ty, protocol) };
        if fd >= 0 {
            fds::set_foreign(fd);
        }
        return fd;
    }
    let m = mode();
    if m != 2 {
        // SAFETY: as above.
        let fd = unsafe { real::socket(domain, ty, protocol) };
        if fd >= 0 {
            WHERE.store(1, Ordering::Relaxed);
            fds::set_foreign(fd);
            return fd;
        }
        let e = errno();
        if m == 1 || !(e == libc::EPROTONOSUPPORT || e == libc::ESOCKTNOSUPPORT) {
            return fd;
        }
        // This kernel has no SCTP: sctpd's from now on.
        WHERE.store(2, Ordering::Relaxed);
    }
    let saved = errno();
    match ops::socket(domain, ty, protocol) {
        Ok(fd) => {
            set_errno(saved);
            fd
        }
        // No sctpd: the answer of a kernel without SCTP.
        Err(libc::ECONNREFUSED) => {
            set_errno(libc::EPROTONOSUPPORT);
            -1
        }
        Err(e) => {
            set_errno(e);
            -1
        }
    }
}

/// socketpair(2): never SCTP; both ends are not sctpd's.
///
/// # Safety
/// As socketpair(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn socketpair(
    domain: c_int,
    ty: c_int,
    protocol: c_int,
    sv: *mut c_int,
) -> c_int {
    // SAFETY: the caller's arguments.
    let r = unsafe { real::socketpair(domain, ty, protocol, sv) };
    if r == 0 && !sv.is_null() {
        // SAFETY: socketpair wrote two descriptors there.
        unsafe {
            fds::set_foreign(*sv);
            fds::set_foreign(*sv.add(1));
        }
    }
    r
}

/// `fd_call!(fd, call on sctpd's socket, libc's call)`.
macro_rules! fd_call {
    ($fd:expr, $ours:expr, $real:expr) => {
        if is_ours($fd) {
            ours(|| $ours)
        } else {
            // SAFETY: the caller's arguments, passed to libc as given.
            unsafe { $real }
        }
    };
}

/// bind(2).
///
/// # Safety
/// As bind(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bind(fd: c_int, addr: *const sockaddr, len: socklen_t) -> c_int {
    fd_call!(
        fd,
        ops::bind(fd, addr.cast(), len),
        real::bind(fd, addr, len)
    )
}

/// listen(2).
///
/// # Safety
/// As listen(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn listen(fd: c_int, backlog: c_int) -> c_int {
    fd_call!(fd, ops::listen(fd, backlog), real::listen(fd, backlog))
}

/// connect(2).
///
/// # Safety
/// As connect(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn connect(fd: c_int, addr: *const sockaddr, len: socklen_t) -> c_int {
    fd_call!(
        fd,
        ops::connect(fd, addr.cast(), len),
        real::connect(fd, addr, len)
    )
}

/// accept(2).
///
/// # Safety
/// As accept(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn accept(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { accept4(fd, addr, len, 0) }
}

/// accept4(2).
///
/// # Safety
/// As accept4(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn accept4(
    fd: c_int,
    addr: *mut sockaddr,
    len: *mut socklen_t,
    flags: c_int,
) -> c_int {
    if is_ours(fd) {
        return ours(|| ops::accept(fd, addr.cast(), len, flags));
    }
    // SAFETY: the caller's arguments.
    let r = unsafe { real::accept4(fd, addr, len, flags) };
    if r >= 0 {
        fds::set_foreign(r);
    }
    r
}

/// getsockname(2).
///
/// # Safety
/// As getsockname(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getsockname(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int {
    fd_call!(
        fd,
        ops::name(fd, addr.cast(), len, false),
        real::getsockname(fd, addr, len)
    )
}

/// getpeername(2).
///
/// # Safety
/// As getpeername(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getpeername(fd: c_int, addr: *mut sockaddr, len: *mut socklen_t) -> c_int {
    fd_call!(
        fd,
        ops::name(fd, addr.cast(), len, true),
        real::getpeername(fd, addr, len)
    )
}

/// setsockopt(2).
///
/// # Safety
/// As setsockopt(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setsockopt(
    fd: c_int,
    level: c_int,
    name: c_int,
    val: *const c_void,
    len: socklen_t,
) -> c_int {
    fd_call!(
        fd,
        ops::setsockopt(fd, level, name, val, len),
        real::setsockopt(fd, level, name, val, len)
    )
}

/// getsockopt(2).
///
/// # Safety
/// As getsockopt(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getsockopt(
    fd: c_int,
    level: c_int,
    name: c_int,
    val: *mut c_void,
    len: *mut socklen_t,
) -> c_int {
    fd_call!(
        fd,
        ops::getsockopt(fd, level, name, val, len),
        real::getsockopt(fd, level, name, val, len)
    )
}

/// shutdown(2).
///
/// # Safety
/// As shutdown(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn shutdown(fd: c_int, how: c_int) -> c_int {
    fd_call!(fd, ops::shutdown(fd, how), real::shutdown(fd, how))
}

fn one(buf: *const c_void, len: size_t) -> [iovec; 1] {
    [iovec {
        iov_base: buf as *mut c_void,
        iov_len: len,
    }]
}

fn isize_of(r: Result<usize, i32>) -> Result<isize, i32> {
    r.map(|n| n as isize)
}

/// sendmsg(2).
///
/// # Safety
/// As sendmsg(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendmsg(fd: c_int, msg: *const msghdr, flags: c_int) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::sendmsg(fd, msg, flags) };
    }
    ours(|| {
        if msg.is_null() {
            return Err(libc::EFAULT);
        }
        // SAFETY: the program's msghdr (non-null), read in place as the kernel reads it.
        let m = unsafe { &*msg };
        // SAFETY: the program's iovec array of msg_iovlen entries.
        let iov = unsafe { data::iovs(m.msg_iov, m.msg_iovlen) }?;
        // SAFETY: pointers and lengths as the program gave them.
        isize_of(unsafe {
            data::send(
                fd,
                m.msg_name,
                m.msg_namelen as usize,
                m.msg_control,
                m.msg_controllen,
                iov,
                flags,
            )
        })
    })
}

/// sendto(2).
///
/// # Safety
/// As sendto(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendto(
    fd: c_int,
    buf: *const c_void,
    len: size_t,
    flags: c_int,
    to: *const sockaddr,
    tolen: socklen_t,
) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::sendto(fd, buf, len, flags, to, tolen) };
    }
    let iov = one(buf, len);
    ours(|| {
        // SAFETY: the program's buffer and address, as given.
        let r = unsafe {
            data::send(
                fd,
                to.cast(),
                tolen as usize,
                core::ptr::null(),
                0,
                &iov,
                flags,
            )
        };
        isize_of(r)
    })
}

/// send(2).
///
/// # Safety
/// As send(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn send(fd: c_int, buf: *const c_void, len: size_t, flags: c_int) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::send(fd, buf, len, flags) };
    }
    let iov = one(buf, len);
    ours(|| {
        // SAFETY: the program's buffer, as given.
        let r = unsafe { data::send(fd, core::ptr::null(), 0, core::ptr::null(), 0, &iov, flags) };
        isize_of(r)
    })
}

/// write(2).
///
/// # Safety
/// As write(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn write(fd: c_int, buf: *const c_void, len: size_t) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::write(fd, buf, len) };
    }
    let iov = one(buf, len);
    ours(|| {
        // SAFETY: the program's buffer, as given.
        let r = unsafe { data::send(fd, core::ptr::null(), 0, core::ptr::null(), 0, &iov, 0) };
        isize_of(r)
    })
}

/// writev(2).
///
/// # Safety
/// As writev(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn writev(fd: c_int, iov: *const iovec, n: c_int) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::writev(fd, iov, n) };
    }
    ours(|| {
        if n < 0 {
            return Err(libc::EINVAL);
        }
        // SAFETY: the program's array of n iovecs.
        let v = unsafe { data::iovs(iov, n as usize) }?;
        // SAFETY: the program's buffers.
        isize_of(unsafe { data::send(fd, core::ptr::null(), 0, core::ptr::null(), 0, v, 0) })
    })
}

/// sendmmsg(2): each message in turn.
///
/// # Safety
/// As sendmmsg(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendmmsg(fd: c_int, v: *mut mmsghdr, n: c_uint, flags: c_int) -> c_int {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::sendmmsg(fd, v, n, flags) };
    }
    let mut done = 0u32;
    while done < n.min(1024) {
        // SAFETY: the program's array of n mmsghdrs.
        let mm = unsafe { &mut *v.add(done as usize) };
        // SAFETY: one message of it.
        let r = unsafe { sendmsg(fd, &mm.msg_hdr, flags) };
        if r < 0 {
            if done == 0 {
                return -1;
            }
            break;
        }
        mm.msg_len = r as c_uint;
        done += 1;
    }
    done as c_int
}

unsafe fn recv_common(fd: c_int, iov: &[iovec], a: &RecvArgs) -> Result<(usize, RecvOut), i32> {
    let mut out = RecvOut::default();
    // SAFETY: the program's buffers, as given.
    let n = unsafe { data::recv(fd, iov, a, &mut out) }?;
    Ok((n, out))
}

/// recvmsg(2).
///
/// # Safety
/// As recvmsg(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recvmsg(fd: c_int, msg: *mut msghdr, flags: c_int) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        let r = unsafe { real::recvmsg(fd, msg, flags) };
        if r >= 0 && !msg.is_null() {
            // Descriptors received here are new numbers: nothing is known of them.
            // SAFETY: the program's msghdr, just filled by the kernel.
            unsafe { forget_passed(&*msg) };
        }
        return r;
    }
    ours(|| {
        if msg.is_null() {
            return Err(libc::EFAULT);
        }
        // SAFETY: the program's msghdr, read and written in place.
        let m = unsafe { &mut *msg };
        // SAFETY: its iovec array.
        let iov = unsafe { data::iovs(m.msg_iov, m.msg_iovlen) }?;
        let a = RecvArgs {
            name: m.msg_name,
            namelen: m.msg_namelen as usize,
            control: m.msg_control,
            controllen: m.msg_controllen,
            flags,
        };
        // SAFETY: the program's buffers.
        let (n, o) = unsafe { recv_common(fd, iov, &a) }?;
        if !m.msg_name.is_null() {
            m.msg_namelen = o.namelen as socklen_t;
        }
        m.msg_controllen = o.controllen;
        m.msg_flags = o.flags;
        Ok(n as isize)
    })
}

/// Forgets the numbers of descriptors that came in a message (SCM_RIGHTS).
unsafe fn forget_passed(m: &msghdr) {
    if m.msg_control.is_null() || m.msg_controllen == 0 {
        return;
    }
    // SAFETY: the kernel filled the control buffer within msg_controllen; the CMSG macros walk
    // it within those bounds.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(m);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(c);
                let n = ((*c).cmsg_len as usize).saturating_sub(data as usize - c as usize) / 4;
                for i in 0..n {
                    fds::forget(core::ptr::read_unaligned(data.cast::<c_int>().add(i)));
                }
            }
            c = libc::CMSG_NXTHDR(m, c);
        }
    }
}

/// recvfrom(2).
///
/// # Safety
/// As recvfrom(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recvfrom(
    fd: c_int,
    buf: *mut c_void,
    len: size_t,
    flags: c_int,
    from: *mut sockaddr,
    fromlen: *mut socklen_t,
) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::recvfrom(fd, buf, len, flags, from, fromlen) };
    }
    ours(|| {
        let nl = if from.is_null() {
            0
        } else {
            crate::user::read_val(fromlen)? as usize
        };
        let a = RecvArgs {
            name: from.cast(),
            namelen: nl,
            control: core::ptr::null_mut(),
            controllen: 0,
            flags,
        };
        // SAFETY: the program's buffer.
        let (n, o) = unsafe { recv_common(fd, &one(buf, len), &a) }?;
        if !from.is_null() {
            crate::user::write_val(fromlen, o.namelen as socklen_t)?;
        }
        Ok(n as isize)
    })
}

/// recv(2).
///
/// # Safety
/// As recv(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recv(fd: c_int, buf: *mut c_void, len: size_t, flags: c_int) -> ssize_t {
    // SAFETY: the caller's arguments.
    unsafe {
        recvfrom(
            fd,
            buf,
            len,
            flags,
            core::ptr::null_mut(),
            core::ptr::null_mut(),
        )
    }
}

/// read(2).
///
/// # Safety
/// As read(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, len: size_t) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::read(fd, buf, len) };
    }
    // SAFETY: the caller's arguments.
    unsafe {
        recvfrom(
            fd,
            buf,
            len,
            0,
            core::ptr::null_mut(),
            core::ptr::null_mut(),
        )
    }
}

/// readv(2).
///
/// # Safety
/// As readv(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readv(fd: c_int, iov: *const iovec, n: c_int) -> ssize_t {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::readv(fd, iov, n) };
    }
    ours(|| {
        if n < 0 {
            return Err(libc::EINVAL);
        }
        // SAFETY: the program's iovecs.
        let v = unsafe { data::iovs(iov, n as usize) }?;
        let a = RecvArgs {
            name: core::ptr::null_mut(),
            namelen: 0,
            control: core::ptr::null_mut(),
            controllen: 0,
            flags: 0,
        };
        // SAFETY: the program's buffers.
        unsafe { recv_common(fd, v, &a) }.map(|(n, _)| n as isize)
    })
}

/// recvmmsg(2): one message per call of recvmsg; waits only for the first.
///
/// # Safety
/// As recvmmsg(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recvmmsg(
    fd: c_int,
    v: *mut mmsghdr,
    n: c_uint,
    flags: c_int,
    t: *mut timespec,
) -> c_int {
    if !is_ours(fd) {
        // SAFETY: the caller's arguments.
        return unsafe { real::recvmmsg(fd, v, n, flags, t) };
    }
    let mut done = 0u32;
    while done < n.min(1024) {
        let fl = if done == 0 && flags & libc::MSG_WAITFORONE == 0 {
            flags
        } else {
            flags | libc::MSG_DONTWAIT
        };
        // SAFETY: the program's array of n mmsghdrs.
        let mm = unsafe { &mut *v.add(done as usize) };
        // SAFETY: one message of it.
        let r = unsafe { recvmsg(fd, &mut mm.msg_hdr, fl & !libc::MSG_WAITFORONE) };
        if r < 0 {
            if done == 0 {
                return -1;
            }
            break;
        }
        mm.msg_len = r as c_uint;
        done += 1;
    }
    done as c_int
}

unsafe extern "C" {
    fn __chk_fail() -> !;
}

/// __read_chk (read with _FORTIFY_SOURCE).
///
/// # Safety
/// As read(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __read_chk(
    fd: c_int,
    buf: *mut c_void,
    len: size_t,
    buflen: size_t,
) -> ssize_t {
    if len > buflen {
        // SAFETY: glibc's fortify failure: aborts.
        unsafe { __chk_fail() }
    }
    // SAFETY: the caller's arguments.
    unsafe { read(fd, buf, len) }
}

/// __recv_chk (recv with _FORTIFY_SOURCE).
///
/// # Safety
/// As recv(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __recv_chk(
    fd: c_int,
    buf: *mut c_void,
    len: size_t,
    buflen: size_t,
    flags: c_int,
) -> ssize_t {
    if len > buflen {
        // SAFETY: glibc's fortify failure: aborts.
        unsafe { __chk_fail() }
    }
    // SAFETY: the caller's arguments.
    unsafe { recv(fd, buf, len, flags) }
}

/// __recvfrom_chk (recvfrom with _FORTIFY_SOURCE).
///
/// # Safety
/// As recvfrom(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __recvfrom_chk(
    fd: c_int,
    buf: *mut c_void,
    len: size_t,
    buflen: size_t,
    flags: c_int,
    from: *mut sockaddr,
    fromlen: *mut socklen_t,
) -> ssize_t {
    if len > buflen {
        // SAFETY: glibc's fortify failure: aborts.
        unsafe { __chk_fail() }
    }
    // SAFETY: the caller's arguments.
    unsafe { recvfrom(fd, buf, len, flags, from, fromlen) }
}

/// close(2).
///
/// # Safety
/// As close(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn close(fd: c_int) -> c_int {
    fds::forget(fd);
    // SAFETY: the caller's descriptor.
    unsafe { real::close(fd) }
}

/// dup(2).
///
/// # Safety
/// As dup(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup(fd: c_int) -> c_int {
    // SAFETY: the caller's descriptor.
    let r = unsafe { real::dup(fd) };
    if r >= 0 {
        fds::copy(fd, r);
    }
    r
}

/// dup2(2).
///
/// # Safety
/// As dup2(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup2(fd: c_int, new: c_int) -> c_int {
    // SAFETY: the caller's descriptors.
    let r = unsafe { real::dup2(fd, new) };
    if r >= 0 && fd != new {
        fds::copy(fd, new);
    }
    r
}

/// dup3(2).
///
/// # Safety
/// As dup3(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup3(fd: c_int, new: c_int, flags: c_int) -> c_int {
    // SAFETY: the caller's descriptors.
    let r = unsafe { real::dup3(fd, new, flags) };
    if r >= 0 {
        fds::copy(fd, new);
    }
    r
}

unsafe fn fcntl_common(fd: c_int, cmd: c_int, arg: usize) -> c_int {
    // SAFETY: the caller's arguments (the third is passed on as the register it came in).
    let r = unsafe { real::fcntl(fd, cmd, arg) };
    if r >= 0 {
        match cmd {
            libc::F_DUPFD | libc::F_DUPFD_CLOEXEC => fds::copy(fd, r),
            libc::F_SETFL => fds::set_nonblocking(fd, arg as c_int & libc::O_NONBLOCK != 0),
            _ => {}
        }
    }
    r
}

/// fcntl(2) (its variadic third argument taken as the register it is passed in).
///
/// # Safety
/// As fcntl(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fcntl(fd: c_int, cmd: c_int, arg: usize) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { fcntl_common(fd, cmd, arg) }
}

/// fcntl64 (glibc's name for fcntl in programs built with 64-bit offsets).
///
/// # Safety
/// As fcntl(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fcntl64(fd: c_int, cmd: c_int, arg: usize) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { fcntl_common(fd, cmd, arg) }
}

/// ioctl(2): FIONREAD/SIOCINQ on sctpd's sockets give the next message's unread bytes, as
/// Linux's SCTP does; FIONBIO is noted; the rest go to the descriptor itself.
///
/// # Safety
/// As ioctl(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ioctl(fd: c_int, req: c_ulong, arg: usize) -> c_int {
    if is_ours(fd) && req == libc::FIONREAD as c_ulong {
        return ours(|| {
            let n = data::inq(fd)?;
            crate::user::write_val(arg as *mut c_int, n)?;
            Ok(0)
        });
    }
    // SAFETY: the caller's arguments.
    let r = unsafe { real::ioctl(fd, req, arg) };
    if r == 0 && req == libc::FIONBIO as c_ulong && arg != 0 {
        // SAFETY: FIONBIO's argument is a pointer to int, which the kernel just read.
        fds::set_nonblocking(fd, unsafe { *(arg as *const c_int) } != 0);
    }
    r
}

/// close_range(2).
///
/// # Safety
/// As close_range(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn close_range(first: c_uint, last: c_uint, flags: c_int) -> c_int {
    // SAFETY: the caller's arguments.
    let r = unsafe { real::close_range(first, last, flags) };
    if r == 0 && flags & (libc::CLOSE_RANGE_CLOEXEC as c_int) == 0 {
        for fd in first..=last.min(65535) {
            fds::forget(fd as c_int);
        }
    }
    r
}

/// Serves /proc/net/sctp/{assocs,eps} from sctpd when the program's SCTP is sctpd's: always
/// with SCTP_ANYWHERE=force, else when the kernel has no such file (`real` failed with ENOENT).
fn proc_open(path: *const core::ffi::c_char, flags: c_int, real: impl FnOnce() -> c_int) -> c_int {
    // SAFETY: open(2)'s path argument, NUL-terminated.
    let Some(file) = (unsafe { crate::procfs::which(path) }) else {
        return real();
    };
    if mode() != 2 {
        let fd = real();
        if fd >= 0 || errno() != libc::ENOENT || mode() == 1 {
            return fd;
        }
    }
    let saved = errno();
    match crate::procfs::open(file, flags & libc::O_CLOEXEC != 0) {
        Ok(fd) => {
            set_errno(saved);
            fd
        }
        Err(_) => {
            set_errno(libc::ENOENT);
            -1
        }
    }
}

/// open(2) (its variadic mode taken as the register it is passed in).
///
/// # Safety
/// As open(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn open(path: *const core::ffi::c_char, flags: c_int, mode: usize) -> c_int {
    // SAFETY: the caller's arguments.
    proc_open(path, flags, || unsafe { real::open(path, flags, mode) })
}

/// open64 (glibc's name for open with 64-bit offsets).
///
/// # Safety
/// As open(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn open64(
    path: *const core::ffi::c_char,
    flags: c_int,
    mode: usize,
) -> c_int {
    // SAFETY: the caller's arguments.
    proc_open(path, flags, || unsafe { real::open64(path, flags, mode) })
}

/// openat(2).
///
/// # Safety
/// As openat(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn openat(
    dirfd: c_int,
    path: *const core::ffi::c_char,
    flags: c_int,
    mode: usize,
) -> c_int {
    // SAFETY: the caller's arguments.
    proc_open(path, flags, || unsafe {
        real::openat(dirfd, path, flags, mode)
    })
}

/// openat64.
///
/// # Safety
/// As openat(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn openat64(
    dirfd: c_int,
    path: *const core::ffi::c_char,
    flags: c_int,
    mode: usize,
) -> c_int {
    // SAFETY: the caller's arguments.
    proc_open(path, flags, || unsafe {
        real::openat64(dirfd, path, flags, mode)
    })
}

fn fopen_common(
    path: *const core::ffi::c_char,
    fmode: *const core::ffi::c_char,
    real: impl FnOnce() -> *mut libc::FILE,
) -> *mut libc::FILE {
    // SAFETY: fopen's path argument, NUL-terminated.
    let Some(file) = (unsafe { crate::procfs::which(path) }) else {
        return real();
    };
    if mode() != 2 {
        let f = real();
        if !f.is_null() || errno() != libc::ENOENT || mode() == 1 {
            return f;
        }
    }
    // Not the kernel's: sctpd's text in a memory file.
    let saved = errno();
    match crate::procfs::open(file, true) {
        Ok(f) => {
            // SAFETY: f is our memory file; fmode is the caller's mode string.
            let stream = unsafe { libc::fdopen(f, fmode) };
            if stream.is_null() {
                // SAFETY: our descriptor.
                unsafe { real::close(f) };
            } else {
                set_errno(saved);
            }
            stream
        }
        Err(_) => {
            set_errno(libc::ENOENT);
            core::ptr::null_mut()
        }
    }
}

/// fopen(3): see [`open`] for /proc/net/sctp/.
///
/// # Safety
/// As fopen(3).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fopen(
    path: *const core::ffi::c_char,
    fmode: *const core::ffi::c_char,
) -> *mut libc::FILE {
    // SAFETY: the caller's arguments.
    fopen_common(path, fmode, || unsafe { real::fopen(path, fmode) })
}

/// fopen64.
///
/// # Safety
/// As fopen(3).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fopen64(
    path: *const core::ffi::c_char,
    fmode: *const core::ffi::c_char,
) -> *mut libc::FILE {
    // SAFETY: the caller's arguments.
    fopen_common(path, fmode, || unsafe { real::fopen64(path, fmode) })
}
