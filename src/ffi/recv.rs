use core::ffi::{c_int, c_uint, c_void};

use crate::error::len_to_c_int;
use crate::recv::{self, KernelOut, RecvmsgArgs, RecvvArgs};
use crate::sys::sctp_sndrcvinfo;

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
    len_to_c_int(recv::recvmsg_sinfo(s, k, a))
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
    let (fromlen, flags, infolen, infotype) = unsafe {
        (
            fromlen.as_mut(),
            flags.as_mut(),
            infolen.as_mut(),
            infotype.as_mut(),
        )
    };
    let info_room = match (&infolen, &infotype, info.is_null()) {
        (Some(l), Some(_), false) => Some(**l as usize),
        _ => None,
    };
    let r = recv::recvv(
        s,
        k,
        RecvvArgs {
            fromlen,
            flags,
            info_room,
        },
    );
    len_to_c_int(r.map(|(n, got)| {
        if let (Some(got), Some(t), Some(l)) = (got, infotype, infolen) {
            *t = got.infotype;
            if got.len > 0 {
                // SAFETY: `info` is writable for *infolen >= got.len bytes (checked by recvv).
                unsafe { core::ptr::copy_nonoverlapping(got.bytes.as_ptr(), info.cast(), got.len) };
                *l = got.len as libc::socklen_t;
            }
        }
        n
    }))
}
