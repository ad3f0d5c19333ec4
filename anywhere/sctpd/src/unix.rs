//! The kernel objects sctpd serves programs through: abstract unix sockets, socket pairs,
//! descriptors passed with SCM_RIGHTS, epoll, an eventfd. Thin safe wrappers; every unsafe
//! block of sctpd that is not a usrsctp call is here.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn cvt_size(r: libc::ssize_t) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// A `sockaddr_un` for the abstract name `name` (no leading NUL in `name`), and its length.
pub fn abstract_addr(name: &[u8]) -> io::Result<(libc::sockaddr_un, libc::socklen_t)> {
    // SAFETY: sockaddr_un is plain data; all zeroes is a valid value.
    let mut a: libc::sockaddr_un = unsafe { core::mem::zeroed() };
    a.sun_family = libc::AF_UNIX as libc::sa_family_t;
    if name.len() + 1 > a.sun_path.len() {
        return Err(io::Error::from_raw_os_error(libc::ENAMETOOLONG));
    }
    for (d, s) in a.sun_path.iter_mut().skip(1).zip(name) {
        *d = *s as libc::c_char;
    }
    let len = core::mem::size_of::<libc::sa_family_t>() + 1 + name.len();
    Ok((a, len as libc::socklen_t))
}

/// A SOCK_SEQPACKET unix socket, close-on-exec and non-blocking.
fn seqpacket() -> io::Result<OwnedFd> {
    // SAFETY: socket(2) with constant arguments; the result is checked.
    let fd = cvt(unsafe {
        libc::socket(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
            0,
        )
    })?;
    // SAFETY: fd was just returned by socket(2) and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Binds `fd` to the abstract name `name`.
pub fn bind_abstract(fd: &OwnedFd, name: &[u8]) -> io::Result<()> {
    let (a, len) = abstract_addr(name)?;
    // SAFETY: a is a valid sockaddr_un of length len, alive for the call.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), (&raw const a).cast(), len) })?;
    Ok(())
}

/// The control socket: SOCK_SEQPACKET, listening on the abstract name `name`. EADDRINUSE when
/// another sctpd serves this network namespace under that name.
pub fn listen_abstract(name: &[u8]) -> io::Result<OwnedFd> {
    let fd = seqpacket()?;
    bind_abstract(&fd, name)?;
    // SAFETY: listen(2) on a descriptor we own.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), 128) })?;
    Ok(fd)
}

/// Accepts a connection (non-blocking, close-on-exec); None when there is none.
pub fn accept(fd: &OwnedFd) -> io::Result<Option<OwnedFd>> {
    // SAFETY: accept4(2) with NULL address pointers.
    let r = unsafe {
        libc::accept4(
            fd.as_raw_fd(),
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
        )
    };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(e)
        };
    }
    // SAFETY: r is a new descriptor owned by nobody else.
    Ok(Some(unsafe { OwnedFd::from_raw_fd(r) }))
}

/// A SOCK_SEQPACKET socket pair: (sctpd's end, non-blocking; the program's end, blocking unless
/// `nonblock`, close-on-exec if `cloexec`).
pub fn pair(nonblock: bool, cloexec: bool) -> io::Result<(OwnedFd, OwnedFd)> {
    let mut sv = [0 as RawFd; 2];
    // SAFETY: sv has room for the two descriptors socketpair(2) writes.
    cvt(unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            sv.as_mut_ptr(),
        )
    })?;
    // SAFETY: both were just created and are owned by nobody else.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(sv[0]), OwnedFd::from_raw_fd(sv[1])) };
    set_nonblocking(&ours, true)?;
    set_nonblocking(&theirs, nonblock)?;
    if !cloexec {
        // SAFETY: fcntl(2) F_SETFD on a descriptor we own.
        cvt(unsafe { libc::fcntl(theirs.as_raw_fd(), libc::F_SETFD, 0) })?;
    }
    Ok((ours, theirs))
}

/// Sets or clears O_NONBLOCK.
pub fn set_nonblocking(fd: &OwnedFd, on: bool) -> io::Result<()> {
    // SAFETY: fcntl(2) F_GETFL/F_SETFL on a descriptor we own.
    unsafe {
        let fl = cvt(libc::fcntl(fd.as_raw_fd(), libc::F_GETFL))?;
        let fl = if on {
            fl | libc::O_NONBLOCK
        } else {
            fl & !libc::O_NONBLOCK
        };
        cvt(libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, fl))?;
    }
    Ok(())
}

/// setsockopt of a struct timeval option (SO_RCVTIMEO, SO_SNDTIMEO) at SOL_SOCKET.
pub fn setsockopt_timeval(fd: &OwnedFd, name: libc::c_int, tv: libc::timeval) -> io::Result<()> {
    // SAFETY: tv lives for the call; its size is passed.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            name,
            (&raw const tv).cast(),
            core::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// An integer socket option.
pub fn setsockopt_int(
    fd: &OwnedFd,
    level: libc::c_int,
    name: libc::c_int,
    v: libc::c_int,
) -> io::Result<()> {
    // SAFETY: v lives for the call; its size is passed.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw const v).cast(),
            core::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// The inode of an open descriptor: how sctpd knows which socket a program's descriptor is.
pub fn inode(fd: RawFd) -> io::Result<u64> {
    // SAFETY: stat is plain data, filled by fstat(2).
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: st is a valid out-pointer for the call.
    cvt(unsafe { libc::fstat(fd, &mut st) })?;
    Ok(st.st_ino)
}

/// Sends one record (the pieces gathered) with an optional descriptor (SCM_RIGHTS); never
/// blocks (MSG_DONTWAIT) and never raises SIGPIPE.
pub fn send_record(fd: &OwnedFd, parts: &[&[u8]], pass: Option<RawFd>) -> io::Result<usize> {
    let iov: Vec<libc::iovec> = parts
        .iter()
        .map(|p| libc::iovec {
            iov_base: p.as_ptr() as *mut libc::c_void,
            iov_len: p.len(),
        })
        .collect();
    // Room for one descriptor; u64 elements keep it aligned for cmsghdr.
    let mut ctl = [0u64; 4];
    // SAFETY: msghdr is plain data; all zeroes is a valid (empty) value.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = iov.as_ptr() as *mut libc::iovec;
    m.msg_iovlen = iov.len();
    if let Some(pfd) = pass {
        // SAFETY: CMSG_SPACE is arithmetic on a constant size.
        let space = unsafe { libc::CMSG_SPACE(core::mem::size_of::<RawFd>() as u32) } as usize;
        m.msg_control = ctl.as_mut_ptr().cast();
        m.msg_controllen = space;
        // SAFETY: the control buffer is `space` bytes (<= 32), so the first header and its
        // data are inside it; CMSG_FIRSTHDR is non-null for a non-empty buffer.
        unsafe {
            let c = libc::CMSG_FIRSTHDR(&m);
            (*c).cmsg_level = libc::SOL_SOCKET;
            (*c).cmsg_type = libc::SCM_RIGHTS;
            (*c).cmsg_len = libc::CMSG_LEN(core::mem::size_of::<RawFd>() as u32) as usize;
            core::ptr::write_unaligned(libc::CMSG_DATA(c).cast::<RawFd>(), pfd);
        }
    }
    // SAFETY: m points to live iovecs and control bytes for the duration of the call.
    cvt_size(unsafe { libc::sendmsg(fd.as_raw_fd(), &m, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) })
}

/// What [`recv_record`] read.
pub struct Received {
    /// Bytes of the record (the whole record is read, up to the buffer's size).
    pub len: usize,
    /// The record was larger than the buffer (MSG_TRUNC).
    pub truncated: bool,
    /// A descriptor that came with it.
    pub fd: Option<OwnedFd>,
}

/// Receives one record into `buf` (non-blocking), taking at most one descriptor; Ok(None) when
/// there is none, Ok(Some(len 0)) at end of file.
pub fn recv_record(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<Option<Received>> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut ctl = [0u64; 8];
    // SAFETY: msghdr is plain data; all zeroes is a valid value.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = &mut iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.as_mut_ptr().cast();
    m.msg_controllen = core::mem::size_of_val(&ctl);
    // SAFETY: m points to live buffers for the call.
    let r = unsafe {
        libc::recvmsg(
            fd.as_raw_fd(),
            &mut m,
            libc::MSG_DONTWAIT | libc::MSG_CMSG_CLOEXEC,
        )
    };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(e)
        };
    }
    let mut passed = None;
    // SAFETY: the kernel filled m.msg_control/msg_controllen; the CMSG_* macros walk it within
    // those bounds. Every descriptor received is taken into an OwnedFd (extra ones are closed).
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&m);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(c);
                let n =
                    ((*c).cmsg_len - (data as usize - c as usize)) / core::mem::size_of::<RawFd>();
                for i in 0..n {
                    let rfd = core::ptr::read_unaligned(data.cast::<RawFd>().add(i));
                    let owned = OwnedFd::from_raw_fd(rfd);
                    if passed.is_none() {
                        passed = Some(owned);
                    }
                }
            }
            c = libc::CMSG_NXTHDR(&m, c);
        }
    }
    Ok(Some(Received {
        len: r as usize,
        truncated: m.msg_flags & libc::MSG_TRUNC != 0,
        fd: passed,
    }))
}

/// An epoll instance.
pub struct Epoll(OwnedFd);

impl Epoll {
    /// A new one (close-on-exec).
    pub fn new() -> io::Result<Epoll> {
        // SAFETY: epoll_create1(2) with a constant flag.
        let fd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: a new descriptor owned by nobody else.
        Ok(Epoll(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        let mut ev = libc::epoll_event { events, u64: token };
        // SAFETY: ev lives for the call.
        cvt(unsafe { libc::epoll_ctl(self.0.as_raw_fd(), op, fd, &mut ev) })?;
        Ok(())
    }

    /// Watches `fd` for `events`, reported with `token`.
    pub fn add(&self, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_ADD, fd, events, token)
    }

    /// Changes the events watched on `fd`.
    pub fn modify(&self, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_MOD, fd, events, token)
    }

    /// Stops watching `fd`.
    pub fn delete(&self, fd: RawFd) {
        let _ = self.ctl(libc::EPOLL_CTL_DEL, fd, 0, 0);
    }

    /// Waits up to `timeout_ms` (-1: no limit) and returns (token, events) pairs.
    pub fn wait(&self, out: &mut Vec<(u64, u32)>, timeout_ms: i32) -> io::Result<()> {
        let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 64];
        // SAFETY: evs has room for the 64 events passed as maxevents.
        let n = unsafe { libc::epoll_wait(self.0.as_raw_fd(), evs.as_mut_ptr(), 64, timeout_ms) };
        out.clear();
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted {
                Ok(())
            } else {
                Err(e)
            };
        }
        for ev in evs.iter().take(n as usize) {
            let (t, e) = (ev.u64, ev.events);
            out.push((t, e));
        }
        Ok(())
    }
}

/// An eventfd (non-blocking, close-on-exec): usrsctp's threads wake the event loop with it.
pub struct EventFd(pub OwnedFd);

impl EventFd {
    /// A new one.
    pub fn new() -> io::Result<EventFd> {
        // SAFETY: eventfd(2) with constant flags.
        let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: a new descriptor owned by nobody else.
        Ok(EventFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Clears the counter.
    pub fn clear(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into `v`.
        unsafe { libc::read(self.0.as_raw_fd(), (&raw mut v).cast(), 8) };
    }
}

/// shutdown(SHUT_WR) of sctpd's end of a pair: the program reads end of file once it has read
/// what is queued.
pub fn shutdown_write(fd: &OwnedFd) -> io::Result<()> {
    // SAFETY: shutdown(2) on a descriptor we own.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_WR) })?;
    Ok(())
}

/// The credentials of the process at the other end of a unix socket (SO_PEERCRED).
pub fn peer_cred(fd: &OwnedFd) -> Option<libc::ucred> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut cl = core::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: cred and cl are valid out-pointers.
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut cred).cast(),
            &mut cl,
        )
    };
    (r == 0).then_some(cred)
}

/// The pid of the process serving the control socket `name` (SO_PEERCRED of a connection to
/// it), if one does.
pub fn server_pid(name: &[u8]) -> Option<i32> {
    let (a, len) = abstract_addr(name).ok()?;
    // SAFETY: a plain socket call.
    let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: a new descriptor owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: a is a valid address of length len.
    if unsafe { libc::connect(fd.as_raw_fd(), (&raw const a).cast(), len) } < 0 {
        return None;
    }
    peer_cred(&fd).map(|c| c.pid).filter(|&pid| pid > 0)
}

/// A signalfd for SIGTERM and SIGINT (blocked for the process): how sctpd learns it is
/// asked to stop.
pub fn stop_signals() -> io::Result<OwnedFd> {
    let set = block_stop_signals();
    // SAFETY: set is valid for the call.
    let fd = cvt(unsafe { libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) })?;
    // SAFETY: a new descriptor owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Blocks SIGTERM and SIGINT in this thread (and the threads it starts from now on); returns
/// the set.
pub fn block_stop_signals() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data, initialised by sigemptyset.
    let mut set: libc::sigset_t = unsafe { core::mem::zeroed() };
    // SAFETY: set is a valid sigset for each call.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, core::ptr::null_mut());
    }
    set
}

/// SO_ERROR of a socket (0 if none), which reading clears.
pub fn sock_error(fd: &OwnedFd) -> i32 {
    let mut e: libc::c_int = 0;
    let mut l = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: e and l are valid out-pointers.
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            (&raw mut e).cast(),
            &mut l,
        )
    };
    if r < 0 { 0 } else { e }
}

/// Bytes sctpd wrote on its end of a pair that the program has not read yet (SIOCOUTQ).
pub fn unread_bytes(fd: &OwnedFd) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: SIOCOUTQ writes an int.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCOUTQ, &mut n) };
    if r < 0 { 0 } else { n.max(0) as usize }
}
