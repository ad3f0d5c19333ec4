use core::ffi::{c_int, c_uint, c_void};

use crate::error::len_to_c_int;
use crate::recv::{self, KernelOut, RecvmsgArgs, RecvvArgs};
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
    // The buffer size the caller gave, for the trace: after the call *fromlen is the length of
    // the peer's address, which may exceed it (the kernel truncates).
    let fromlen_in = if trace::enabled() {
        // SAFETY: `fromlen` is NULL or valid per the contract.
        unsafe { fromlen.as_ref() }.copied()
    } else {
        None
    };
    let iov = libc::iovec {
        iov_base: msg,
        iov_len: len,
    };
    let k = KernelOut {
        from: from.cast(),
        iov: (&iov, 1),
    };
    // SAFETY: each pointer is NULL or valid per the contract.
    let a = unsafe {
        RecvmsgArgs {
            fromlen: fromlen.as_mut(),
            sinfo: sinfo.as_mut(),
            msg_flags: msg_flags.as_mut(),
        }
    };
    let r = len_to_c_int(recv::recvmsg_sinfo(s, k, a));
    if trace::enabled() {
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
    }
    r
}

/// What sctp_recvmsg wrote back: `from=..., sinfo={...}, msg_flags=...` (the ones not NULL).
struct Received<'a> {
    from: Option<Addr<'a>>,
    sinfo: Option<Sinfo<'a>>,
    flags: Option<c_int>,
}

impl Received<'_> {
    /// # Safety
    /// Each pointer is NULL or valid per sctp_recvmsg's contract and filled by a successful
    /// call; `fromlen_in` is *fromlen before the call (the size of `from`).
    unsafe fn new<'a>(
        from: *const libc::sockaddr,
        fromlen: *const libc::socklen_t,
        fromlen_in: Option<libc::socklen_t>,
        sinfo: *const sctp_sndrcvinfo,
        flags: *const c_int,
    ) -> Received<'a> {
        // SAFETY: forwarded contract.
        unsafe {
            Received {
                from: match (fromlen.as_ref(), fromlen_in) {
                    (Some(&l), Some(room)) if !from.is_null() => Some(Addr::new(from, l.min(room))),
                    _ => None,
                },
                sinfo: (!sinfo.is_null()).then(|| Sinfo::recv(sinfo)),
                flags: flags.as_ref().copied(),
            }
        }
    }
}

impl Received<'_> {
    fn is_empty(&self) -> bool {
        self.from.is_none() && self.sinfo.is_none() && self.flags.is_none()
    }
}

impl core::fmt::Display for Received<'_> {
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
/// the kernel's errno.
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
    let k = KernelOut {
        from: from.cast(),
        iov: (iov, iovlen as usize),
    };
    // SAFETY: each pointer is NULL or valid per the contract.
    let (fromlen_w, flags_w, infolen_w, infotype_w) = unsafe {
        (
            fromlen.as_mut(),
            flags.as_mut(),
            infolen.as_mut(),
            infotype.as_mut(),
        )
    };
    let info_room = match (&infolen_w, &infotype_w, info.is_null()) {
        (Some(l), Some(_), false) => Some(**l as usize),
        _ => None,
    };
    let r = recv::recvv(
        s,
        k,
        RecvvArgs {
            fromlen: fromlen_w,
            flags: flags_w,
            info_room,
        },
    );
    let r = len_to_c_int(r.map(|(n, got)| {
        if let (Some(got), Some(t), Some(l)) = (got, infotype_w, infolen_w) {
            *t = got.infotype;
            if got.len > 0 {
                // SAFETY: `info` is writable for *infolen >= got.len bytes (checked by recvv).
                unsafe { core::ptr::copy_nonoverlapping(got.bytes.as_ptr(), info.cast(), got.len) };
                *l = got.len as libc::socklen_t;
            }
        }
        n
    }));
    if trace::enabled() {
        // SAFETY: read only after a success: the call wrote *flags when `flags` is not NULL, and
        // *infotype/*infolen when `info`, `infolen` and `infotype` are all not NULL (otherwise
        // *infotype is untouched and may be uninitialized, so it is not read).
        let out = (r >= 0).then(|| unsafe {
            let info_written = !info.is_null() && !infolen.is_null() && !infotype.is_null();
            let t = if info_written {
                infotype.as_ref().copied()
            } else {
                None
            };
            // *infolen is written only when some info came (*infotype not NOINFO).
            let l = match t {
                Some(t) if t != crate::sys::SCTP_RECVV_NOINFO => infolen.as_ref().copied(),
                _ => None,
            };
            RecvvOut(t, l, flags.as_ref().copied())
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
    }
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
