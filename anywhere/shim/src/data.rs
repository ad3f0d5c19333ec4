//! Sending and receiving on sctpd's sockets. A send is one record on the socket's pair (the
//! program's buffers handed to the kernel as they are, so a bad one is the kernel's EFAULT)
//! answered by sctpd on the thread's channel. A receive takes one record off the pair: whole
//! when the program's buffer holds any record, else read without taking it (MSG_PEEK) and
//! taken once delivered to its end (SCTP's partial delivery: no MSG_EOR until the last part).
//! The ancillary data Linux would give (SCTP_NXTINFO, SCTP_RCVINFO, SCTP_SNDRCV, in that order)
//! is built from the record's header, cut as Linux's put_cmsg cuts it.

use crate::chan;
use crate::fds;
use crate::real;
use crate::user;
use core::ffi::c_void;
use libc::iovec;
use sctp_anywhere_proto::bytes::{rd_u16, rd_u32, wr_i32, wr_u16, wr_u32, wr_u64};
use sctp_anywhere_proto::linux as lx;
use sctp_anywhere_proto::{
    MAX_RECORD_PAYLOAD, RECV_HDR_LEN, RecvHdr, SEND_HDR_LEN, SendHdr, info, op, rflags, rkind,
    sflags, skind, yflags,
};
use std::sync::Mutex;

fn errno() -> i32 {
    // SAFETY: errno of this thread.
    unsafe { *libc::__errno_location() }
}

/// How far the program has read into the record at the head of a socket's queue.
#[derive(Clone, Copy)]
struct Partial {
    fd: i32,
    offset: usize,
}

/// Receives on one descriptor are serialised within the process (a read without taking, then
/// the taking, must not interleave with another thread's), in stripes by descriptor number.
static STRIPES: [Mutex<Vec<Partial>>; 64] = [const { Mutex::new(Vec::new()) }; 64];

fn stripe(fd: i32) -> &'static Mutex<Vec<Partial>> {
    let i = (fd.unsigned_abs() as usize) % STRIPES.len();
    // The index is in range by construction.
    &STRIPES[i]
}

/// Forgets a descriptor's partial read (closed or replaced).
pub fn forget_partial(fd: i32) {
    if let Ok(mut v) = stripe(fd).lock() {
        v.retain(|p| p.fd != fd);
    }
}

/// The program's iovec array as a slice (the array is read in place: a program passes one it
/// owns; NULL with a count is EFAULT).
///
/// # Safety
/// `iov` must point to `n` iovecs when non-null.
pub unsafe fn iovs<'a>(iov: *const iovec, n: usize) -> Result<&'a [iovec], i32> {
    if n == 0 {
        return Ok(&[]);
    }
    if iov.is_null() {
        return Err(libc::EFAULT);
    }
    if n > 1024 {
        return Err(libc::EMSGSIZE);
    }
    // SAFETY: the caller's array of n iovecs.
    Ok(unsafe { core::slice::from_raw_parts(iov, n) })
}

fn total(iov: &[iovec]) -> Result<usize, i32> {
    iov.iter()
        .try_fold(0usize, |a, v| a.checked_add(v.iov_len))
        .filter(|t| *t <= isize::MAX as usize)
        .ok_or(libc::EINVAL)
}

/// The size of the pair's send buffer (what a filler must fill).
fn sndbuf(fd: i32) -> usize {
    static SB: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
    let v = SB.load(core::sync::atomic::Ordering::Relaxed);
    if v != 0 {
        return v;
    }
    let mut n: libc::c_int = 0;
    let mut l = 4 as libc::socklen_t;
    // SAFETY: valid out-pointers.
    unsafe {
        real::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&raw mut n).cast(),
            &mut l,
        )
    };
    let v = if n > 0 { n as usize } else { 212_992 };
    SB.store(v, core::sync::atomic::Ordering::Relaxed);
    v
}

/// Fills the program's end of the pair so that it shows no POLLOUT (and blocks or fails a
/// further write) until sctpd takes the filler, which it does only once the socket can send.
pub fn write_filler(fd: i32) {
    static ZEROS: [u8; 256 * 1024] = [0u8; 256 * 1024];
    let h = SendHdr {
        kind: skind::FILLER,
        ..SendHdr::default()
    }
    .encode();
    let len = sndbuf(fd)
        .saturating_sub(SEND_HDR_LEN + 64)
        .min(ZEROS.len());
    let iov = [
        iovec {
            iov_base: h.as_ptr() as *mut c_void,
            iov_len: SEND_HDR_LEN,
        },
        iovec {
            iov_base: ZEROS.as_ptr() as *mut c_void,
            iov_len: len,
        },
    ];
    // SAFETY: msghdr is plain data; the iovecs point to live buffers.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = iov.as_ptr() as *mut iovec;
    m.msg_iovlen = 2;
    // SAFETY: m is valid for the call; a full pair (another filler) is fine.
    unsafe { real::sendmsg(fd, &m, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
}

/// Sends one message on sctpd's socket `fd`: the destination and cmsgs as the program gave them
/// (`name`/`control` point into its memory), the payload in `iov`. Returns what Linux's
/// sendmsg returns, or its errno. Raises SIGPIPE for EPIPE unless MSG_NOSIGNAL.
///
/// # Safety
/// `iov` are the program's iovecs; `name` and `control` its pointers with their lengths.
pub unsafe fn send(
    fd: i32,
    name: *const c_void,
    namelen: usize,
    control: *const c_void,
    controllen: usize,
    iov: &[iovec],
    flags: i32,
) -> Result<usize, i32> {
    let r = send_inner(fd, name, namelen, control, controllen, iov, flags);
    if r == Err(libc::EPIPE) && flags & libc::MSG_NOSIGNAL == 0 {
        // SAFETY: raising a signal in this thread, as the kernel does for EPIPE.
        unsafe { libc::raise(libc::SIGPIPE) };
    }
    r
}

fn send_inner(
    fd: i32,
    name: *const c_void,
    namelen: usize,
    control: *const c_void,
    controllen: usize,
    iov: &[iovec],
    flags: i32,
) -> Result<usize, i32> {
    total(iov)?;
    let namelen = if name.is_null() {
        0
    } else {
        namelen.min(core::mem::size_of::<libc::sockaddr_storage>())
    };
    let controllen = if control.is_null() { 0 } else { controllen };
    if controllen > i32::MAX as usize {
        return Err(libc::ENOBUFS);
    }
    let nonblock = flags & libc::MSG_DONTWAIT != 0 || fds::nonblocking(fd);
    let r = chan::with(|ch| {
        let seq = ch.next_seq();
        // The message in records of at most MAX_RECORD_PAYLOAD bytes; all but the last say
        // MORE and ask for no reply.
        let mut pieces: Vec<Vec<iovec>> = vec![Vec::new()];
        let mut room = MAX_RECORD_PAYLOAD;
        for v in iov {
            let mut off = 0;
            while off < v.iov_len || (v.iov_len == 0 && off == 0) {
                let take = (v.iov_len - off).min(room);
                if let Some(p) = pieces.last_mut() {
                    p.push(iovec {
                        iov_base: v.iov_base.cast::<u8>().wrapping_add(off).cast(),
                        iov_len: take,
                    });
                }
                off += take;
                room -= take;
                if room == 0 && (off < v.iov_len) {
                    pieces.push(Vec::new());
                    room = MAX_RECORD_PAYLOAD;
                }
                if v.iov_len == 0 {
                    break;
                }
            }
        }
        let n = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            let last = i + 1 == n;
            let mut hdr = SendHdr {
                kind: skind::SEND,
                flags: (if nonblock { 0 } else { sflags::BLOCKING })
                    | if last { 0 } else { sflags::MORE },
                channel: ch.id,
                seq: if last { seq } else { 0 },
                msg_flags: flags as u32,
                namelen: if i == 0 { namelen as u32 } else { 0 },
                controllen: if i == 0 { controllen as u32 } else { 0 },
            };
            let mut h = hdr.encode();
            let mut v = vec![iovec {
                iov_base: h.as_ptr() as *mut c_void,
                iov_len: SEND_HDR_LEN,
            }];
            if i == 0 {
                v.push(iovec {
                    iov_base: name as *mut c_void,
                    iov_len: namelen,
                });
                v.push(iovec {
                    iov_base: control as *mut c_void,
                    iov_len: controllen,
                });
            }
            v.extend(p);
            // SAFETY: msghdr is plain data.
            let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
            m.msg_iov = v.as_mut_ptr();
            m.msg_iovlen = v.len();
            // A message in pieces is written whole even on a non-blocking socket. A blocking
            // caller tries without waiting first: if it must wait, its record says so.
            let mut fl = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
            let may_wait = !(nonblock && n == 1);
            loop {
                // SAFETY: m points to the header and the program's buffers for the call.
                let w = unsafe { real::sendmsg(fd, &m, fl) };
                if w >= 0 {
                    break;
                }
                match errno() {
                    libc::EAGAIN if may_wait && fl & libc::MSG_DONTWAIT != 0 => {
                        fl &= !libc::MSG_DONTWAIT;
                        hdr.flags |= sflags::WAITED;
                        h = hdr.encode();
                        continue;
                    }
                    libc::EINTR if i > 0 => continue,
                    libc::EPIPE | libc::ECONNRESET | libc::ENOTCONN => return Err(libc::EPIPE),
                    libc::EMSGSIZE => return Err(libc::EMSGSIZE),
                    e => return Err(e),
                }
            }
        }
        let a = if nonblock {
            ch.wait(seq, true)?
        } else {
            ch.wait_interruptible(seq, true)?
        };
        if a.reply.flags & yflags::FILLER != 0 {
            write_filler(fd);
        }
        // sctpd's answer (an errno of its own, ECONNREFUSED of a refused connect among them),
        // apart from the channel's failures.
        Ok(if a.reply.ret < 0 {
            Err((-a.reply.ret) as i32)
        } else {
            Ok(a.reply.ret as usize)
        })
    });
    match r {
        Ok(answer) => answer,
        // sctpd's channel is gone: so is the association.
        Err(libc::ECONNREFUSED) | Err(libc::ECONNRESET) => Err(libc::EPIPE),
        Err(e) => Err(e),
    }
}

/// Where a receive puts what comes with the message.
pub struct RecvArgs {
    /// msg_name (NULL: not wanted).
    pub name: *mut c_void,
    /// msg_namelen in.
    pub namelen: usize,
    /// msg_control (NULL: not wanted).
    pub control: *mut c_void,
    /// msg_controllen in.
    pub controllen: usize,
    /// The flags of the call (MSG_PEEK, MSG_DONTWAIT...).
    pub flags: i32,
}

/// What a receive returns besides its length.
#[derive(Default)]
pub struct RecvOut {
    /// msg_namelen out (the address's full length), when a name was wanted.
    pub namelen: usize,
    /// msg_controllen out (bytes of cmsgs written).
    pub controllen: usize,
    /// msg_flags out.
    pub flags: i32,
}

/// Linux's put_cmsg: appends one cmsg of `data` to `buf` (the program's buffer is `cap`
/// bytes), cutting it (MSG_CTRUNC) where the buffer ends.
fn put_cmsg(buf: &mut Vec<u8>, cap: usize, ty: i32, data: &[u8], flags: &mut i32) {
    const HDR: usize = 16;
    let left = cap.saturating_sub(buf.len());
    if left < HDR {
        *flags |= libc::MSG_CTRUNC;
        return;
    }
    let mut len = HDR + data.len();
    if left < len {
        *flags |= libc::MSG_CTRUNC;
        len = left;
    }
    let start = buf.len();
    let mut h = [0u8; HDR];
    wr_u64(&mut h, 0, len as u64);
    wr_i32(&mut h, 8, lx::IPPROTO_SCTP);
    wr_i32(&mut h, 12, ty);
    buf.extend_from_slice(&h);
    buf.extend_from_slice(data.get(..len - HDR).unwrap_or(&[]));
    let space = (HDR + data.len() + 7) & !7;
    let adv = space.min(left);
    buf.resize(start + adv, 0);
}

/// Linux's struct sctp_sndrcvinfo for a message (from its rcvinfo).
fn sndrcvinfo(ri: &[u8]) -> Vec<u8> {
    use lx::sctp_rcvinfo as r;
    use lx::sctp_sndrcvinfo as s;
    let mut o = vec![0u8; s::SIZE];
    wr_u16(&mut o, s::sinfo_stream, rd_u16(ri, r::rcv_sid));
    wr_u16(&mut o, s::sinfo_ssn, rd_u16(ri, r::rcv_ssn));
    wr_u16(&mut o, s::sinfo_flags, rd_u16(ri, r::rcv_flags));
    wr_u32(&mut o, s::sinfo_ppid, rd_u32(ri, r::rcv_ppid));
    wr_u32(&mut o, s::sinfo_context, rd_u32(ri, r::rcv_context));
    wr_u32(&mut o, s::sinfo_tsn, rd_u32(ri, r::rcv_tsn));
    wr_u32(&mut o, s::sinfo_cumtsn, rd_u32(ri, r::rcv_cumtsn));
    wr_u32(&mut o, s::sinfo_assoc_id, rd_u32(ri, r::rcv_assoc_id));
    o
}

/// Linux's struct sctp_nxtinfo for the record whose header is `h` (its `left` bytes to read).
fn nxtinfo(h: &RecvHdr, left: usize) -> Vec<u8> {
    use lx::sctp_nxtinfo as n;
    use lx::sctp_rcvinfo as r;
    let mut o = vec![0u8; n::SIZE];
    let ri = &h.rcvinfo;
    let mut fl = u32::from(rd_u16(ri, r::rcv_flags));
    if h.kind == rkind::NOTIFICATION {
        fl |= lx::SCTP_NOTIFICATION;
        wr_u32(&mut o, n::nxt_assoc_id, 0);
    } else {
        wr_u16(&mut o, n::nxt_sid, rd_u16(ri, r::rcv_sid));
        wr_u32(&mut o, n::nxt_ppid, rd_u32(ri, r::rcv_ppid));
        wr_u32(&mut o, n::nxt_assoc_id, rd_u32(ri, r::rcv_assoc_id));
    }
    wr_u16(&mut o, n::nxt_flags, fl as u16);
    wr_u32(&mut o, n::nxt_length, left as u32);
    o
}

/// The header of the record after the one at the head (`head_len` bytes), if one is there.
fn peek_next(fd: i32, head_len: Option<usize>) -> Option<RecvHdr> {
    let mut hb = [0u8; RECV_HDR_LEN];
    let set_off = |v: libc::c_int| {
        // SAFETY: an int option value.
        unsafe {
            real::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_PEEK_OFF,
                (&raw const v).cast(),
                4,
            )
        }
    };
    if let Some(l) = head_len
        && set_off(l as libc::c_int) < 0
    {
        return None;
    }
    // SAFETY: hb is writable for its length.
    let n = unsafe {
        real::recv(
            fd,
            hb.as_mut_ptr().cast(),
            RECV_HDR_LEN,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if head_len.is_some() {
        set_off(-1);
    }
    if n < RECV_HDR_LEN as isize {
        return None;
    }
    RecvHdr::decode(&hb).filter(|h| h.kind == rkind::DATA || h.kind == rkind::NOTIFICATION)
}

/// Takes the record at the head of the queue without reading it.
fn discard(fd: i32) {
    let mut b = [0u8; 1];
    // SAFETY: a 1-byte read takes (and truncates) the whole record.
    unsafe { real::recv(fd, b.as_mut_ptr().cast(), 0, libc::MSG_DONTWAIT) };
}

/// Receives one message (or the next part of one) on sctpd's socket `fd` into the program's
/// `iov`: the length Linux's recvmsg returns, or its errno.
///
/// # Safety
/// `iov` are the program's iovecs; `a.name` and `a.control` its pointers with their lengths.
pub unsafe fn recv(fd: i32, iov: &[iovec], a: &RecvArgs, out: &mut RecvOut) -> Result<usize, i32> {
    if fds::is_listener(fd) {
        // Linux: a listening one-to-one socket has nothing to read.
        return Err(libc::ENOTCONN);
    }
    let cap = total(iov)?;
    let app_peek = a.flags & libc::MSG_PEEK != 0;
    let dontwait = a.flags & libc::MSG_DONTWAIT;
    let may_wait = dontwait == 0 && !fds::nonblocking(fd);
    let lock = stripe(fd).lock().map_err(|_| libc::EDEADLK)?;
    let mut lock = lock;
    let mut hb = [0u8; RECV_HDR_LEN];
    loop {
        let off = lock.iter().find(|p| p.fd == fd).map_or(0, |p| p.offset);
        let whole_read = !app_peek && off == 0 && cap >= MAX_RECORD_PAYLOAD;
        let mut skip = vec![0u8; off];
        let mut v = vec![iovec {
            iov_base: hb.as_mut_ptr().cast(),
            iov_len: RECV_HDR_LEN,
        }];
        if off > 0 {
            v.push(iovec {
                iov_base: skip.as_mut_ptr().cast(),
                iov_len: off,
            });
        }
        v.extend_from_slice(iov);
        // SAFETY: msghdr is plain data.
        let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
        m.msg_iov = v.as_mut_ptr();
        m.msg_iovlen = v.len();
        let fl = dontwait
            | if whole_read {
                0
            } else {
                libc::MSG_PEEK | libc::MSG_TRUNC
            };
        // A receive that may wait looks first; with nothing there, it waits only if the
        // association is not gone.
        // SAFETY: m points to our header buffer and the program's buffers.
        let mut n = unsafe { real::recvmsg(fd, &mut m, fl | libc::MSG_DONTWAIT) };
        if n < 0 && may_wait && errno() == libc::EAGAIN {
            if gone(fd) {
                return Err(libc::ENOTCONN);
            }
            // SAFETY: as above.
            n = unsafe { real::recvmsg(fd, &mut m, fl) };
        }
        if n < 0 {
            return Err(errno());
        }
        if n == 0 {
            // End of file: the association ended (sctpd shut the pair's write side), or sctpd
            // is gone (the whole pair closed).
            return if sctpd_gone(fd) {
                Err(libc::ECONNRESET)
            } else {
                Ok(0)
            };
        }
        let rec_len = n as usize;
        let Some(h) = RecvHdr::decode(&hb) else {
            if !whole_read {
                discard(fd);
            }
            continue;
        };
        match h.kind {
            rkind::ERROR => {
                if !whole_read {
                    discard(fd);
                }
                lock.retain(|p| p.fd != fd);
                // Still pending? SO_ERROR or a send may have taken it already (then the
                // receive goes on as if it had never been).
                match chan::call(op::TAKE_ERROR, 0, [0; 4], &[], Some(fd), 0, false) {
                    Ok(a) if a.reply.ret > 0 => return Err(a.reply.ret as i32),
                    Ok(_) => continue,
                    Err(_) => return Err(h.err),
                }
            }
            rkind::NEWCONN => {
                // A listening socket: Linux refuses to read from it.
                return Err(libc::ENOTCONN);
            }
            rkind::GONE => {
                if !whole_read {
                    discard(fd);
                }
                lock.retain(|p| p.fd != fd);
                return Err(if may_wait {
                    libc::ENOTCONN
                } else {
                    libc::EAGAIN
                });
            }
            _ => {}
        }
        let plen = h.payload_len as usize;
        let avail = plen.saturating_sub(off);
        let copied = cap.min(avail);
        let all = copied == avail;
        if !whole_read && !app_peek {
            if all {
                discard(fd);
                lock.retain(|p| p.fd != fd);
            } else {
                let no = off + copied;
                match lock.iter_mut().find(|p| p.fd == fd) {
                    Some(p) => p.offset = no,
                    None => lock.push(Partial { fd, offset: no }),
                }
            }
        }
        let mut flags = 0;
        if h.kind == rkind::NOTIFICATION {
            flags |= lx::MSG_NOTIFICATION as i32;
        }
        if all && h.flags & rflags::EOR != 0 {
            flags |= libc::MSG_EOR;
        }
        // The ancillary data, in Linux's order.
        let mut cm = Vec::new();
        if !a.control.is_null() {
            if h.flags & rflags::NXTINFO != 0 {
                let next = if whole_read || (all && !app_peek) {
                    peek_next(fd, None)
                } else {
                    peek_next(fd, Some(rec_len))
                };
                if let Some(nh) = next {
                    put_cmsg(
                        &mut cm,
                        a.controllen,
                        lx::SCTP_NXTINFO,
                        &nxtinfo(&nh, nh.payload_len as usize),
                        &mut flags,
                    );
                }
            }
            if h.kind == rkind::DATA {
                if h.flags & rflags::RCVINFO != 0 {
                    put_cmsg(
                        &mut cm,
                        a.controllen,
                        lx::SCTP_RCVINFO,
                        &h.rcvinfo,
                        &mut flags,
                    );
                }
                if h.flags & rflags::DATA_IO != 0 {
                    put_cmsg(
                        &mut cm,
                        a.controllen,
                        lx::SCTP_SNDRCV,
                        &sndrcvinfo(&h.rcvinfo),
                        &mut flags,
                    );
                }
            }
        } else if h.kind == rkind::DATA
            && h.flags & (rflags::NXTINFO | rflags::RCVINFO | rflags::DATA_IO) != 0
        {
            flags |= libc::MSG_CTRUNC;
        }
        drop(lock);
        if !a.name.is_null() {
            let nl = h.namelen as usize;
            user::write(a.name, h.name.get(..nl.min(a.namelen)).unwrap_or(&[]))?;
            out.namelen = nl;
        }
        if !cm.is_empty() {
            user::write(a.control, &cm)?;
        }
        out.controllen = cm.len();
        out.flags = flags;
        return Ok(copied);
    }
}

/// Whether the association of one-to-one socket `fd` is gone with no end of file (Linux: a
/// receive fails at once with ENOTCONN), asked of sctpd before a receive waits.
fn gone(fd: i32) -> bool {
    if fds::one_to_one(fd) == Some(false) {
        return false;
    }
    let Ok(i) = chan::call(op::INFO, 0, [0; 4], &[], Some(fd), 0, false) else {
        return false;
    };
    fds::set_one_to_one(fd, i.reply.aux & info::ONE_TO_ONE != 0);
    i.reply.aux & info::GONE != 0
}

/// After end of file: whether sctpd's end of the pair is gone (sctpd stopped) rather than shut
/// for writing (the association ended). A filler of no payload is written: sctpd, if there,
/// takes it and drops it; if not, the write fails with EPIPE.
fn sctpd_gone(fd: i32) -> bool {
    let h = SendHdr {
        kind: skind::FILLER,
        ..SendHdr::default()
    }
    .encode();
    // SAFETY: writes the header's bytes.
    let r = unsafe {
        real::send(
            fd,
            h.as_ptr().cast(),
            SEND_HDR_LEN,
            libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
        )
    };
    r < 0 && errno() == libc::EPIPE
}

/// Takes every record queued on `fd` (for a peel-off: sctpd queues them again, those of the
/// peeled-off association on its new socket). A message begun is given back from where the
/// program stopped reading it.
pub fn drain(fd: i32) -> Vec<Vec<u8>> {
    let Ok(mut lock) = stripe(fd).lock() else {
        return Vec::new();
    };
    let mut off = lock.iter().find(|p| p.fd == fd).map_or(0, |p| p.offset);
    lock.retain(|p| p.fd != fd);
    let mut out = Vec::new();
    let mut buf = vec![0u8; RECV_HDR_LEN + MAX_RECORD_PAYLOAD];
    loop {
        // SAFETY: buf is writable for its length.
        let n = unsafe { real::recv(fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_DONTWAIT) };
        if n <= 0 {
            break;
        }
        let mut rec = buf.get(..n as usize).unwrap_or(&[]).to_vec();
        if off > 0 {
            if let Some(mut h) = RecvHdr::decode(&rec) {
                let skip = off.min(h.payload_len as usize);
                h.payload_len -= skip as u32;
                let mut r = h.encode().to_vec();
                r.extend_from_slice(rec.get(RECV_HDR_LEN + skip..).unwrap_or(&[]));
                rec = r;
            }
            off = 0;
        }
        out.push(rec);
    }
    out
}

/// FIONREAD / SIOCINQ: the bytes of the next message still to read (Linux: of the head skb).
pub fn inq(fd: i32) -> Result<i32, i32> {
    let lock = stripe(fd).lock().map_err(|_| libc::EDEADLK)?;
    let off = lock.iter().find(|p| p.fd == fd).map_or(0, |p| p.offset);
    let mut hb = [0u8; RECV_HDR_LEN];
    // SAFETY: hb is writable for its length.
    let n = unsafe {
        real::recv(
            fd,
            hb.as_mut_ptr().cast(),
            RECV_HDR_LEN,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if n < RECV_HDR_LEN as isize {
        return Ok(0);
    }
    Ok(RecvHdr::decode(&hb)
        .filter(|h| h.kind == rkind::DATA || h.kind == rkind::NOTIFICATION)
        .map_or(0, |h| (h.payload_len as usize).saturating_sub(off) as i32))
}

/// Accepts a new association on sctpd's one-to-one listener `fd`: its descriptor (marked as
/// sctpd's, with `flags` SOCK_NONBLOCK/SOCK_CLOEXEC applied) and the peer's address.
pub fn accept(fd: i32, flags: i32) -> Result<(i32, Vec<u8>), i32> {
    let mut hb = [0u8; RECV_HDR_LEN];
    let mut iov = iovec {
        iov_base: hb.as_mut_ptr().cast(),
        iov_len: RECV_HDR_LEN,
    };
    let mut ctl = [0u64; 4];
    // SAFETY: msghdr is plain data.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = &mut iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.as_mut_ptr().cast();
    m.msg_controllen = core::mem::size_of_val(&ctl);
    let fl = if flags & libc::SOCK_CLOEXEC != 0 {
        libc::MSG_CMSG_CLOEXEC
    } else {
        0
    };
    // SAFETY: m points to live buffers.
    let n = unsafe { real::recvmsg(fd, &mut m, fl) };
    if n < 0 {
        return Err(errno());
    }
    if n == 0 {
        return Err(libc::ECONNABORTED);
    }
    let mut nfd = None;
    // SAFETY: the kernel filled the control buffer within msg_controllen.
    unsafe {
        let c = libc::CMSG_FIRSTHDR(&m);
        if !c.is_null() && (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS
        {
            nfd = Some(core::ptr::read_unaligned(libc::CMSG_DATA(c).cast::<i32>()));
        }
    }
    let h = RecvHdr::decode(&hb);
    if nfd.is_none() && m.msg_flags & libc::MSG_CTRUNC != 0 {
        return Err(libc::EMFILE);
    }
    let (Some(h), Some(nfd)) = (h, nfd) else {
        if let Some(f) = nfd {
            // SAFETY: a descriptor we received and own.
            unsafe { real::close(f) };
        }
        return Err(h.map_or(libc::ECONNABORTED, |h| {
            if h.kind == rkind::ERROR {
                h.err
            } else {
                libc::ECONNABORTED
            }
        }));
    };
    let nb = flags & libc::SOCK_NONBLOCK != 0;
    if nb {
        // SAFETY: F_SETFL on the descriptor we just received.
        unsafe {
            real::fcntl(
                nfd,
                libc::F_SETFL,
                (libc::O_RDWR | libc::O_NONBLOCK) as usize,
            )
        };
    }
    fds::forget(nfd);
    fds::set_ours(nfd, nb);
    fds::set_one_to_one(nfd, true);
    Ok((
        nfd,
        h.name.get(..h.namelen as usize).unwrap_or(&[]).to_vec(),
    ))
}
