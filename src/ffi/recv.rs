use core::ffi::{c_int, c_uint, c_void};

use super::caller;
use crate::error::sys_to_c_int;
use crate::recv::{self, KernelOut};
use crate::sys::sctp_sndrcvinfo;
use crate::trace::{self, Addr, Bits, Ptr, Sinfo};

/// Receive a message with its SCTP parameters (sctp_recvmsg(3), RFC 6458 9.8).
///
/// One recvmsg(s, ..., *msg_flags or 0): `*msg_flags` is read for the recvmsg flags (MSG_PEEK,
/// ...) and written back with the message's (MSG_NOTIFICATION, MSG_EOR, ...), as lksctp does.
/// `from`/`fromlen` get the sender's address. `*sinfo` is zeroed, then filled from the
/// SCTP_SNDRCV cmsg, which the kernel only sends after SCTP_EVENTS data_io is enabled (lksctp
/// leaves `*sinfo` as it was when none came). Returns the length, or -1 with the kernel's errno
/// (nothing written then).
///
/// # Safety
/// `fromlen`, `sinfo`, `msg_flags` are NULL or valid; `msg` (`len` bytes) and `from` (`*fromlen`
/// bytes) are handed to the kernel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_recvmsg(
    s: c_int,
    msg: *mut c_void,
    len: usize,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    sinfo: *mut sctp_sndrcvinfo,
    msg_flags: *mut c_int,
) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced_recvmsg(s, msg, len, from, fromlen, sinfo, msg_flags) };
    }
    // SAFETY: forwarded contract.
    unsafe { recvmsg(s, msg, len, from, fromlen, sinfo, msg_flags) }
}

/// The body of sctp_recvmsg. Caller memory is read and written by copy, in lksctp's order
/// (*fromlen, *msg_flags, *sinfo), so overlapping out-pointers end as they do with lksctp.
///
/// # Safety
/// As for sctp_recvmsg.
#[inline(always)]
unsafe fn recvmsg(
    s: c_int,
    msg: *mut c_void,
    len: usize,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    sinfo: *mut sctp_sndrcvinfo,
    msg_flags: *mut c_int,
) -> c_int {
    // SAFETY: `fromlen` is NULL or a readable socklen_t per the contract.
    let namelen = unsafe { caller::read(fromlen) }.unwrap_or(0);
    // SAFETY: `msg_flags` is NULL or a readable int per the contract.
    let in_flags = unsafe { caller::read(msg_flags) }.unwrap_or(0);
    let iov = libc::iovec {
        iov_base: msg,
        iov_len: len,
    };
    let k = KernelOut {
        from: from.cast(),
        iov: (&iov, 1),
    };
    let mut ctl = recv::RecvmsgControl::new();
    let got = recv::recvmsg_sinfo(&mut ctl, s, k, namelen, in_flags);
    if got.ret.0 >= 0 {
        // SAFETY: `fromlen`, `msg_flags` and `sinfo` are NULL or writable per the contract (32
        // bytes for `sinfo`); every write is by copy, unaligned.
        unsafe {
            caller::write(fromlen, got.namelen);
            caller::write(msg_flags, got.flags);
            if !sinfo.is_null() {
                // The kernel's bytes, or zeros when no SCTP_SNDRCV came: every byte defined.
                let dst = sinfo.cast::<u8>();
                match got.sinfo() {
                    Some(b) => dst.copy_from_nonoverlapping(b.as_ptr(), b.len()),
                    None => dst.write_bytes(0, core::mem::size_of::<sctp_sndrcvinfo>()),
                }
            }
        }
    }
    sys_to_c_int(Ok(got.ret))
}

/// sctp_recvmsg with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_recvmsg.
#[cold]
#[inline(never)]
unsafe fn traced_recvmsg(
    s: c_int,
    msg: *mut c_void,
    len: usize,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    sinfo: *mut sctp_sndrcvinfo,
    msg_flags: *mut c_int,
) -> c_int {
    let on = trace::enabled();
    // The room the caller gave for `from`: after the call *fromlen is the length of the peer's
    // address, which may exceed it (the kernel truncates).
    // SAFETY: `fromlen` is NULL or readable per the contract.
    let fromlen_in = unsafe { caller::read(fromlen) };
    // SAFETY: forwarded contract.
    let r = unsafe { recvmsg(s, msg, len, from, fromlen, sinfo, msg_flags) };
    if !on {
        return r;
    }
    // SAFETY: read only after a success, when the call has filled each of these that is not
    // NULL (the kernel `*fromlen` bytes of `from`).
    let out =
        (r >= 0).then(|| unsafe { Received::new(from, fromlen, fromlen_in, sinfo, msg_flags) });
    trace::emit(
        r.into(),
        format_args!(
            "sctp_recvmsg(sd={s}, msg={}, len={len}, from={}, fromlen={}, sinfo={}, \
             msg_flags={})",
            Ptr(msg),
            Ptr(from),
            Ptr(fromlen),
            Ptr(sinfo),
            Ptr(msg_flags)
        ),
        out.as_ref().filter(|o| !o.is_empty()).map(|o| o as _),
    );
    r
}

/// What sctp_recvmsg wrote back: `from=..., sinfo={...}, msg_flags=...` (the ones not NULL).
struct Received {
    from: Option<Addr>,
    sinfo: Option<Sinfo>,
    flags: Option<c_int>,
}

impl Received {
    /// # Safety
    /// Each pointer is NULL or valid per sctp_recvmsg's contract and filled by a successful
    /// call; `fromlen_in` is *fromlen before the call (the size of `from`).
    unsafe fn new(
        from: *const libc::sockaddr,
        fromlen: *const libc::socklen_t,
        fromlen_in: Option<libc::socklen_t>,
        sinfo: *const sctp_sndrcvinfo,
        flags: *const c_int,
    ) -> Received {
        // SAFETY: forwarded contract; everything is read by copy.
        unsafe {
            Received {
                from: match (caller::read(fromlen), fromlen_in) {
                    (Some(l), Some(room)) if !from.is_null() => Some(Addr::new(from, l.min(room))),
                    _ => None,
                },
                sinfo: (!sinfo.is_null()).then(|| Sinfo::recv(sinfo)),
                flags: caller::read(flags),
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.from.is_none() && self.sinfo.is_none() && self.flags.is_none()
    }
}

impl core::fmt::Display for Received {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut sep = "";
        if let Some(a) = &self.from {
            write!(f, "from={a}")?;
            sep = ", ";
        }
        if let Some(s) = &self.sinfo {
            write!(f, "{sep}sinfo={s}")?;
            sep = ", ";
        }
        if let Some(fl) = self.flags {
            write!(f, "{sep}msg_flags={}", Bits(fl as u32, trace::RECV_FLAGS))?;
        }
        Ok(())
    }
}

/// Receive a message into several buffers with its SCTP infos (sctp_recvv(3), RFC 6458 9.13).
///
/// One recvmsg(s, iov, *flags or 0); `*fromlen` and `*flags` written back. When `info`,
/// `infolen` and `infotype` are all given, `*infotype` is set to SCTP_RECVV_NOINFO, RCVINFO
/// (struct sctp_rcvinfo, after SCTP_RECVRCVINFO), NXTINFO (struct sctp_nxtinfo, after
/// SCTP_RECVNXTINFO when another message is queued) or RN (struct sctp_recvv_rn, both), each only
/// if `*infolen` has room; `*infolen` becomes the size stored. Returns the length, or -1 with
/// the kernel's errno (EMSGSIZE for `iovlen` < 0 without a syscall: the kernel's answer for more
/// than IOV_MAX, which lksctp gets by handing it SIZE_MAX).
///
/// # Safety
/// `fromlen`, `infolen`, `infotype`, `flags` are NULL or valid; `info` is NULL or writable for
/// `*infolen` bytes; `iov` and `from` are handed to the kernel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_recvv(
    s: c_int,
    iov: *const libc::iovec,
    iovlen: c_int,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    info: *mut c_void,
    infolen: *mut libc::socklen_t,
    infotype: *mut c_uint,
    flags: *mut c_int,
) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe {
            traced_recvv(
                s, iov, iovlen, from, fromlen, info, infolen, infotype, flags,
            )
        };
    }
    // SAFETY: forwarded contract.
    unsafe {
        recvv(
            s, iov, iovlen, from, fromlen, info, infolen, infotype, flags,
        )
    }
}

/// The body of sctp_recvv. Caller memory is read and written by copy, in lksctp's order
/// (*fromlen, *flags, *infotype = NOINFO, then *infolen read, the info, *infotype, *infolen), so
/// overlapping out-pointers end as they do with lksctp.
///
/// # Safety
/// As for sctp_recvv.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn recvv(
    s: c_int,
    iov: *const libc::iovec,
    iovlen: c_int,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    info: *mut c_void,
    infolen: *mut libc::socklen_t,
    infotype: *mut c_uint,
    flags: *mut c_int,
) -> c_int {
    let n = match crate::send::iov_count(iovlen) {
        Ok(n) => n,
        Err(e) => return sys_to_c_int(Err(e)),
    };
    // SAFETY: `fromlen` is NULL or a readable socklen_t per the contract.
    let namelen = unsafe { caller::read(fromlen) }.unwrap_or(0);
    // SAFETY: `flags` is NULL or a readable int per the contract.
    let in_flags = unsafe { caller::read(flags) }.unwrap_or(0);
    let k = KernelOut {
        from: from.cast(),
        iov: (iov, n),
    };
    let mut ctl = recv::RecvvControl::new();
    let got = recv::recvv(&mut ctl, s, k, namelen, in_flags);
    if got.ret.0 >= 0 {
        // SAFETY: `fromlen`, `flags`, `infolen` and `infotype` are NULL or valid per the
        // contract, `info` NULL or writable for *infolen bytes; every access is by copy.
        unsafe {
            caller::write(fromlen, got.namelen);
            caller::write(flags, got.flags);
            if !info.is_null() && !infolen.is_null() && !infotype.is_null() {
                caller::write(infotype, crate::sys::SCTP_RECVV_NOINFO);
                let room = caller::read(infolen).unwrap_or(0) as usize;
                let i = got.info(room);
                if !i.is_empty() {
                    // `info` is writable for *infolen >= i.len() bytes (info() checked).
                    i.write(info.cast());
                    caller::write(infotype, i.infotype);
                    caller::write(infolen, i.len() as libc::socklen_t);
                }
            }
        }
    }
    sys_to_c_int(Ok(got.ret))
}

/// sctp_recvv with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_recvv.
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
unsafe fn traced_recvv(
    s: c_int,
    iov: *const libc::iovec,
    iovlen: c_int,
    from: *mut libc::sockaddr,
    fromlen: *mut libc::socklen_t,
    info: *mut c_void,
    infolen: *mut libc::socklen_t,
    infotype: *mut c_uint,
    flags: *mut c_int,
) -> c_int {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = unsafe {
        recvv(
            s, iov, iovlen, from, fromlen, info, infolen, infotype, flags,
        )
    };
    if !on {
        return r;
    }
    // Read only after a success: the call wrote *flags when `flags` is not NULL, and
    // *infotype/*infolen when `info`, `infolen` and `infotype` are all not NULL (otherwise
    // *infotype is untouched and may be uninitialized, so it is not read).
    // SAFETY: each is NULL or readable per the contract, and was written by the call.
    let out = (r >= 0).then(|| unsafe {
        let info_written = !info.is_null() && !infolen.is_null() && !infotype.is_null();
        let t = if info_written {
            caller::read(infotype)
        } else {
            None
        };
        // *infolen is written only when some info came (*infotype not NOINFO).
        let l = match t {
            Some(t) if t != crate::sys::SCTP_RECVV_NOINFO => caller::read(infolen),
            _ => None,
        };
        RecvvOut(t, l, caller::read(flags))
    });
    trace::emit(
        r.into(),
        format_args!(
            "sctp_recvv(sd={s}, iov={}, iovlen={iovlen}, from={}, fromlen={}, info={}, \
             infolen={}, infotype={}, flags={})",
            Ptr(iov),
            Ptr(from),
            Ptr(fromlen),
            Ptr(info),
            Ptr(infolen),
            Ptr(infotype),
            Ptr(flags)
        ),
        out.as_ref()
            .filter(|o| o.0.is_some() || o.2.is_some())
            .map(|o| o as _),
    );
    r
}

/// What sctp_recvv wrote back: `*infotype=N, *infolen=N, *flags=...` (the ones not NULL).
struct RecvvOut(Option<c_uint>, Option<libc::socklen_t>, Option<c_int>);

impl core::fmt::Display for RecvvOut {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut sep = "";
        if let Some(t) = self.0 {
            write!(f, "*infotype={}", trace::recvv_infotype(t))?;
            sep = ", ";
        }
        if let Some(l) = self.1 {
            write!(f, "{sep}*infolen={l}")?;
            sep = ", ";
        }
        if let Some(fl) = self.2 {
            write!(f, "{sep}*flags={}", Bits(fl as u32, trace::RECV_FLAGS))?;
        }
        Ok(())
    }
}
