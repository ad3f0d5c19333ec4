//! Each thread's channel to sctpd: a SOCK_SEQPACKET connection to its control socket, opened
//! on first use and moved to a high descriptor number (so that the program's own descriptors
//! are numbered as without the shim), reopened in a child after fork and when the program
//! closed or replaced its number. Requests wait for the reply with their number; replies to
//! requests given up on are dropped.

use crate::fds;
use crate::real;
use core::cell::RefCell;
use core::sync::atomic::{AtomicU64, Ordering};
use sctp_anywhere_proto::{self as proto, REPLY_LEN, REQUEST_LEN, Reply, Request, op, qflags};

/// Bumped in a child after fork: every inherited channel is the parent's and is left to it.
static FORK_GEN: AtomicU64 = AtomicU64::new(0);
/// Bumped when the program closes or replaces a channel's descriptor number.
static LOST_GEN: AtomicU64 = AtomicU64::new(0);

/// The program closed or replaced a channel's number: every thread checks its own.
pub fn channel_lost() {
    LOST_GEN.fetch_add(1, Ordering::Relaxed);
}

/// pthread_atfork child handler.
pub extern "C" fn after_fork_child() {
    FORK_GEN.fetch_add(1, Ordering::Relaxed);
}

/// A thread's channel.
pub struct Chan {
    /// Its descriptor.
    pub fd: i32,
    /// Its id at sctpd (named in send records).
    pub id: u32,
    seq: u32,
    fork_gen: u64,
    lost_gen: u64,
    ino: u64,
    buf: Vec<u8>,
}

impl Drop for Chan {
    fn drop(&mut self) {
        if FORK_GEN.load(Ordering::Relaxed) == self.fork_gen && fds::is_channel(self.fd) {
            fds::forget(self.fd);
            // SAFETY: our own descriptor.
            unsafe { real::close(self.fd) };
        }
    }
}

thread_local! {
    static CHAN: RefCell<Option<Chan>> = const { RefCell::new(None) };
}

fn errno() -> i32 {
    // SAFETY: errno of this thread.
    unsafe { *libc::__errno_location() }
}

fn inode(fd: i32) -> u64 {
    // SAFETY: stat is plain data filled by fstat.
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: st is a valid out-pointer.
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        0
    } else {
        st.st_ino
    }
}

/// Why sctpd could not be reached, said once per process on stderr.
fn say_unreachable(e: i32) {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let msg = format!(
            "sctp_anywhere: no sctpd answers at @{} (errno {e}): start one with `sctpd --daemon`, or run the program with scripts/sctp-anywhere\n",
            String::from_utf8_lossy(fds::control())
        );
        // SAFETY: writes the message's bytes to stderr.
        unsafe { real::write(2, msg.as_ptr().cast(), msg.len()) };
    });
}

fn open() -> Result<Chan, i32> {
    // SAFETY: plain socket call.
    let fd = unsafe { real::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(errno());
    }
    // SAFETY: sockaddr_un is plain data.
    let mut a: libc::sockaddr_un = unsafe { core::mem::zeroed() };
    a.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let name = fds::control();
    for (d, s) in a.sun_path.iter_mut().skip(1).zip(name) {
        *d = *s as libc::c_char;
    }
    let len =
        (core::mem::size_of::<libc::sa_family_t>() + 1 + name.len().min(106)) as libc::socklen_t;
    // SAFETY: a is a valid address of length len.
    if unsafe { real::connect(fd, (&raw const a).cast(), len) } < 0 {
        let e = errno();
        // SAFETY: our descriptor.
        unsafe { real::close(fd) };
        say_unreachable(e);
        return Err(libc::ECONNREFUSED);
    }
    // Out of the way of the program's own numbering.
    let mut lim: libc::rlimit = libc::rlimit {
        rlim_cur: 1024,
        rlim_max: 1024,
    };
    // SAFETY: lim is a valid out-pointer.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    let hi = (lim.rlim_cur.min(65536) as i32 - 64).max(3);
    // SAFETY: F_DUPFD_CLOEXEC on our descriptor.
    let moved = unsafe { real::fcntl(fd, libc::F_DUPFD_CLOEXEC, hi as usize) };
    let fd = if moved >= 0 {
        // SAFETY: our descriptor.
        unsafe { real::close(fd) };
        moved
    } else {
        fd
    };
    fds::set_channel(fd);
    let mut hello = [0u8; REPLY_LEN];
    let n = loop {
        // SAFETY: hello is writable for its length.
        let n = unsafe { real::recv(fd, hello.as_mut_ptr().cast(), hello.len(), 0) };
        if n < 0 && errno() == libc::EINTR {
            continue;
        }
        break n;
    };
    let h = if n as usize == REPLY_LEN {
        Reply::decode(&hello)
    } else {
        None
    };
    let Some(h) = h.filter(|h| h.seq == 0 && h.aux == proto::VERSION) else {
        fds::forget(fd);
        // SAFETY: our descriptor.
        unsafe { real::close(fd) };
        say_unreachable(libc::EPROTO);
        return Err(libc::ECONNREFUSED);
    };
    Ok(Chan {
        fd,
        id: h.ret as u32,
        seq: 0,
        fork_gen: FORK_GEN.load(Ordering::Relaxed),
        lost_gen: LOST_GEN.load(Ordering::Relaxed),
        ino: inode(fd),
        buf: vec![0u8; 256 * 1024],
    })
}

/// What a request's own machinery reports when the channel itself failed (sctpd gone); `with`
/// drops the channel and gives the caller ECONNRESET.
pub const LOST: i32 = -1;

/// Runs `f` with this thread's channel (opened if needed). A channel that fails (sctpd gone)
/// is dropped, so the next call opens a new one.
pub fn with<T>(f: impl FnOnce(&mut Chan) -> Result<T, i32>) -> Result<T, i32> {
    CHAN.with(|c| {
        let mut c = c.try_borrow_mut().map_err(|_| libc::EDEADLK)?;
        if let Some(ch) = c.as_mut() {
            if ch.fork_gen != FORK_GEN.load(Ordering::Relaxed) {
                // Inherited from the parent, whose channel it stays: this process's copy goes.
                if fds::is_channel(ch.fd) {
                    fds::forget(ch.fd);
                    // SAFETY: this process's copy of the parent's channel.
                    unsafe { real::close(ch.fd) };
                }
                let old = c.take();
                core::mem::forget(old);
            } else if ch.lost_gen != LOST_GEN.load(Ordering::Relaxed) {
                ch.lost_gen = LOST_GEN.load(Ordering::Relaxed);
                if !fds::is_channel(ch.fd) || inode(ch.fd) != ch.ino {
                    // The number is the program's now: not ours to close.
                    let old = c.take();
                    core::mem::forget(old);
                }
            }
        }
        if c.is_none() {
            *c = Some(open()?);
        }
        let ch = c.as_mut().ok_or(libc::ECONNREFUSED)?;
        let r = f(ch);
        if r.as_ref().err() == Some(&LOST) {
            *c = None;
            return Err(libc::ECONNRESET);
        }
        r
    })
}

/// What a request got back.
pub struct Answer {
    /// The header.
    pub reply: Reply,
    /// The bytes after it.
    pub out: Vec<u8>,
    /// A descriptor that came with it.
    pub fd: Option<i32>,
    /// A descriptor came but the process had no room for it (MSG_CTRUNC): EMFILE.
    pub fd_lost: bool,
}

impl Chan {
    /// A fresh request number.
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    /// Sends a request (its body gathered from `body`), passing `pass` along.
    pub fn send(&mut self, req: &Request, body: &[&[u8]], pass: Option<i32>) -> Result<(), i32> {
        let hdr = req.encode();
        let mut iov = vec![libc::iovec {
            iov_base: hdr.as_ptr() as *mut _,
            iov_len: REQUEST_LEN,
        }];
        iov.extend(body.iter().map(|b| libc::iovec {
            iov_base: b.as_ptr() as *mut _,
            iov_len: b.len(),
        }));
        let mut ctl = [0u64; 4];
        // SAFETY: msghdr is plain data.
        let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
        m.msg_iov = iov.as_mut_ptr();
        m.msg_iovlen = iov.len();
        if let Some(fd) = pass {
            // SAFETY: CMSG_SPACE/CMSG_LEN are arithmetic; the buffer (32 bytes) holds one
            // header and one descriptor.
            unsafe {
                m.msg_control = ctl.as_mut_ptr().cast();
                m.msg_controllen = libc::CMSG_SPACE(4) as usize;
                let c = libc::CMSG_FIRSTHDR(&m);
                (*c).cmsg_level = libc::SOL_SOCKET;
                (*c).cmsg_type = libc::SCM_RIGHTS;
                (*c).cmsg_len = libc::CMSG_LEN(4) as usize;
                core::ptr::write_unaligned(libc::CMSG_DATA(c).cast::<i32>(), fd);
            }
        }
        loop {
            // SAFETY: m points to live buffers for the call.
            let n = unsafe { real::sendmsg(self.fd, &m, libc::MSG_NOSIGNAL) };
            if n >= 0 {
                return Ok(());
            }
            match errno() {
                libc::EINTR => continue,
                libc::EFAULT => return Err(libc::EFAULT),
                _ => return Err(LOST),
            }
        }
    }

    /// Waits for the reply to `seq` (others are stale: dropped), its descriptor received
    /// close-on-exec if `cloexec`.
    pub fn wait(&mut self, seq: u32, cloexec: bool) -> Result<Answer, i32> {
        let mut hdr = [0u8; REPLY_LEN];
        let mut out = std::mem::take(&mut self.buf);
        let r = self.wait_into(seq, cloexec, false, &mut hdr, &mut out);
        self.buf = out;
        r
    }

    /// As [`Chan::wait`], for a request that may wait long (a blocking send or connect): a
    /// signal whose handler does not restart calls (no SA_RESTART) interrupts it as it would
    /// the kernel's wait: sctpd is told ([`op::CANCEL`]) and the answer is then EINTR, unless
    /// the request was done already.
    pub fn wait_interruptible(&mut self, seq: u32, cloexec: bool) -> Result<Answer, i32> {
        let mut hdr = [0u8; REPLY_LEN];
        let mut out = std::mem::take(&mut self.buf);
        let mut r = self.wait_into(seq, cloexec, true, &mut hdr, &mut out);
        if r.as_ref().err() == Some(&libc::EINTR) {
            let cancel = Request {
                seq: 0,
                op: op::CANCEL,
                args: [i64::from(seq), 0, 0, 0],
                ..Request::default()
            };
            r = self
                .send(&cancel, &[], None)
                .and_then(|()| self.wait_into(seq, cloexec, false, &mut hdr, &mut out));
        }
        self.buf = out;
        r
    }

    fn wait_into(
        &mut self,
        seq: u32,
        cloexec: bool,
        interruptible: bool,
        hdr: &mut [u8; REPLY_LEN],
        out: &mut [u8],
    ) -> Result<Answer, i32> {
        loop {
            let mut iov = [
                libc::iovec {
                    iov_base: hdr.as_mut_ptr().cast(),
                    iov_len: REPLY_LEN,
                },
                libc::iovec {
                    iov_base: out.as_mut_ptr().cast(),
                    iov_len: out.len(),
                },
            ];
            let mut ctl = [0u64; 4];
            // SAFETY: msghdr is plain data.
            let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
            m.msg_iov = iov.as_mut_ptr();
            m.msg_iovlen = 2;
            m.msg_control = ctl.as_mut_ptr().cast();
            m.msg_controllen = core::mem::size_of_val(&ctl);
            let fl = if cloexec { libc::MSG_CMSG_CLOEXEC } else { 0 };
            // SAFETY: m points to live buffers for the call.
            let n = unsafe { real::recvmsg(self.fd, &mut m, fl) };
            if n < 0 {
                if errno() == libc::EINTR {
                    if interruptible {
                        return Err(libc::EINTR);
                    }
                    continue;
                }
                return Err(LOST);
            }
            if n == 0 {
                return Err(LOST);
            }
            let mut fd = None;
            // SAFETY: the kernel filled the control buffer within msg_controllen.
            unsafe {
                let c = libc::CMSG_FIRSTHDR(&m);
                if !c.is_null()
                    && (*c).cmsg_level == libc::SOL_SOCKET
                    && (*c).cmsg_type == libc::SCM_RIGHTS
                {
                    fd = Some(core::ptr::read_unaligned(libc::CMSG_DATA(c).cast::<i32>()));
                }
            }
            let Some(r) = Reply::decode(&hdr[..]) else {
                return Err(LOST);
            };
            if r.seq != seq {
                if let Some(f) = fd {
                    // SAFETY: a descriptor we just received and own.
                    unsafe { real::close(f) };
                }
                continue;
            }
            if let Some(f) = fd {
                fds::forget(f);
            }
            let len = (r.out_len as usize)
                .min((n as usize).saturating_sub(REPLY_LEN))
                .min(out.len());
            let fd_lost = fd.is_none() && m.msg_flags & libc::MSG_CTRUNC != 0;
            return Ok(Answer {
                fd_lost,
                reply: r,
                out: out.get(..len).unwrap_or(&[]).to_vec(),
                fd,
            });
        }
    }
}

/// One request and its reply.
pub fn call(
    op: u32,
    flags: u32,
    args: [i64; 4],
    body: &[&[u8]],
    pass: Option<i32>,
    out_max: u32,
    cloexec: bool,
) -> Result<Answer, i32> {
    with(|ch| {
        let seq = ch.next_seq();
        let in_len: usize = body.iter().map(|b| b.len()).sum();
        let req = Request {
            seq,
            op,
            flags,
            args,
            in_len: in_len as u32,
            out_max,
        };
        ch.send(&req, body, pass)?;
        if flags & qflags::BLOCKING != 0 {
            ch.wait_interruptible(seq, cloexec)
        } else {
            ch.wait(seq, cloexec)
        }
    })
    .map_err(|e| {
        // A socket of an sctpd that is no longer there: its connection to the stack is gone.
        if e == libc::ECONNREFUSED && pass.is_some() {
            libc::ECONNRESET
        } else {
            e
        }
    })
}
