use core::ffi::{c_int, c_uint, c_void};

use crate::addrs::PackedAddrs;
use crate::error::{Errno, len_to_c_int};
use crate::send::{self, UserBuf};
use crate::sendv::{self, SendInfo};
use crate::trace::{self, Addr, Addrs, Bits, Ptr};

/// Send a message with SCTP parameters (sctp_sendmsg(3), RFC 6458 9.7).
///
/// One sendmsg(s, {to, msg, SCTP_SNDRCV cmsg}, 0) whose sctp_sndrcvinfo carries `ppid`,
/// `flags` (SCTP_UNORDERED, SCTP_EOF, SCTP_ABORT, PR-SCTP policy, ...), `stream_no`,
/// `timetolive` and `context`, everything else zero, as lksctp builds it. `to` may be NULL (a
/// one-to-one socket's association). Returns the bytes sent or -1 with the kernel's errno.
///
/// # Safety
/// `msg` and `to` are handed to the kernel untouched (a bad pointer is EFAULT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_sendmsg(
    s: c_int,
    msg: *const c_void,
    len: usize,
    to: *mut libc::sockaddr,
    tolen: libc::socklen_t,
    ppid: u32,
    flags: u32,
    stream_no: u16,
    timetolive: u32,
    context: u32,
) -> c_int {
    let r = len_to_c_int(send::sctp_sendmsg(
        s,
        UserBuf::new(msg, len),
        (to.cast_const().cast(), tolen),
        ppid,
        flags,
        stream_no,
        timetolive,
        context,
    ));
    if trace::enabled() {
        // Decoded only after a success, when the kernel has read `tolen` bytes of `to` (a bad
        // `to` is the kernel's EFAULT, so it is not touched after a failure).
        let a = if r >= 0 {
            // SAFETY: `to` is readable for `tolen` bytes: the kernel has just read them.
            unsafe { Addr::new(to, tolen) }
        } else {
            Addr::unread(to)
        };
        let f = Bits(flags, trace::SINFO_FLAGS);
        trace::emit(
            r.into(),
            format_args!(
                "sctp_sendmsg(sd={s}, msg={}, len={len}, to={a}, tolen={tolen}, ppid={ppid:#x}, \
                 flags={f}, stream_no={stream_no}, timetolive={timetolive}, context={context})",
                Ptr(msg)
            ),
            None,
        );
    }
    r
}

/// Send a message from several buffers with SCTP infos to one or more addresses (sctp_sendv(3),
/// RFC 6458 9.12).
///
/// `addrs` (`addrcnt` packed addresses, or NULL/0) gives the destination: the first in
/// msg_name, the others as SCTP_DSTADDRV4/V6 cmsgs for an implicit setup. `infotype` says what
/// `info` is: SCTP_SENDV_NOINFO (`info` NULL, `infolen` 0), SCTP_SENDV_SNDINFO (struct
/// sctp_sndinfo), SCTP_SENDV_PRINFO (struct sctp_prinfo), SCTP_SENDV_AUTHINFO (struct
/// sctp_authinfo) or SCTP_SENDV_SPA (struct sctp_sendv_spa: each part whose VALID flag is set).
/// `flags` goes to sendmsg (lksctp drops it). One sendmsg; no allocation up to 16 addresses.
///
/// Returns the bytes sent, or -1 with errno: EINVAL for an inconsistent info/infolen/infotype, a
/// family other than AF_INET/AF_INET6 (lksctp returns -EINVAL without errno), `addrcnt` < 0 or
/// `addrs` NULL with `addrcnt` > 0; EMSGSIZE for `iovcnt` < 0 (what the kernel says for more than
/// IOV_MAX; lksctp hands it SIZE_MAX, here no syscall is made); otherwise the kernel's.
///
/// # Safety
/// `addrs` as for sctp_bindx (when `addrcnt` > 0); `info` is NULL or readable for `infolen`
/// bytes; `iov` (`iovcnt` entries) and the buffers it points to are handed to the kernel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_sendv(
    s: c_int,
    iov: *const libc::iovec,
    iovcnt: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    info: *mut c_void,
    infolen: libc::socklen_t,
    infotype: c_uint,
    flags: c_int,
) -> c_int {
    // SAFETY: forwarded contracts on `addrs` and `info`.
    let args = unsafe {
        let addrs = match addrcnt {
            0 => Ok(None),
            n if n < 0 => Err(Errno::EINVAL),
            n => PackedAddrs::from_raw(addrs, n).map(Some),
        };
        addrs.and_then(|a| SendInfo::read(info, infolen, infotype).map(|i| (a, i)))
    };
    let r = len_to_c_int(args.and_then(|(a, i)| {
        sendv::sendv(s, (iov, send::iov_count(iovcnt)?), a.as_ref(), &i, flags)
    }));
    if trace::enabled() {
        // SAFETY: the addresses the call read, under the same contract.
        let a = unsafe { Addrs::new(addrs, addrcnt) };
        let f = Bits(flags as u32, trace::SEND_FLAGS);
        trace::emit(
            r.into(),
            format_args!(
                "sctp_sendv(sd={s}, iov={}, iovcnt={iovcnt}, addrs={a}, addrcnt={addrcnt}, \
                 info={}, infolen={infolen}, infotype={}, flags={f})",
                Ptr(iov),
                Ptr(info),
                trace::sendv_infotype(infotype)
            ),
            None,
        );
    }
    r
}
