use core::ffi::{c_int, c_void};

use super::caller;
use crate::addrs::PackedAddrs;
use crate::error::to_c_ssize;
use crate::send::{self, UserBuf};
use crate::sys::sctp_sndrcvinfo;
use crate::trace::{self, Addrs, Bits, Ptr, Sinfo};

/// Send a message with SCTP send parameters (sctp_send(3), FreeBSD page, Linux values).
///
/// Exactly one sendmsg(sd, msg, flags). When `sinfo` is not NULL, one SCTP_SNDRCV cmsg carries
/// `*sinfo`: on a one-to-many socket `sinfo_assoc_id` picks the association; `sinfo_stream`,
/// `sinfo_ppid` and the `sinfo_flags` SCTP_UNORDERED, SCTP_EOF (with `len` 0: graceful
/// shutdown), SCTP_ABORT, SCTP_SACK_IMMEDIATELY, SCTP_SENDALL and the PR-SCTP policy reach the
/// kernel. A NULL `sinfo` sends without ancillary data, as lksctp does (FreeBSD answers EINVAL):
/// the socket's default send parameters apply. `flags` goes to sendmsg (MSG_NOSIGNAL,
/// MSG_DONTWAIT, ...).
///
/// Returns the number of bytes sent, or -1 with errno from the kernel: EBADF, ENOTSOCK, EPIPE
/// (no such association; with SIGPIPE unless MSG_NOSIGNAL), EINVAL (bad flags, SCTP_EOF with
/// data), EMSGSIZE, EAGAIN, EFAULT (`msg` unreadable). `msg` may be NULL when `len` is 0. The
/// return type is ssize_t (lksctp declares int; the calling convention is the same).
///
/// # Safety
/// `sinfo` is NULL or points to a readable `struct sctp_sndrcvinfo`. `msg` is passed to the
/// kernel untouched (a bad pointer is EFAULT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_send(
    sd: c_int,
    msg: *const c_void,
    len: usize,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> libc::ssize_t {
    // SAFETY: the caller passes NULL or a readable sctp_sndrcvinfo (copied, any alignment).
    let si = unsafe { caller::read(sinfo) };
    let r = to_c_ssize(send::send(sd, UserBuf::new(msg, len), si.as_ref(), flags));
    if trace::enabled() {
        let si = Sinfo::send(sinfo, si);
        let (m, f) = (Ptr(msg), Bits(flags as u32, trace::SEND_FLAGS));
        trace::emit(
            r as i64,
            format_args!("sctp_send(sd={sd}, msg={m}, len={len}, sinfo={si}, flags={f})"),
            None,
        );
    }
    r
}

/// Send a message to a peer given by one or more addresses, setting the association up
/// implicitly when there is none (sctp_send(3) FreeBSD page; RFC 6458 9.11). lksctp has no such
/// function.
///
/// `addrs` is a packed array of `addrcnt` sockaddr_in/sockaddr_in6. A nonzero
/// `sinfo->sinfo_assoc_id` has priority: the message goes on that association (as sctp_send),
/// whatever the addresses. Otherwise one sendmsg with msg_name = `addrs[0]` and the other
/// addresses as SCTP_DSTADDRV4/V6 cmsgs: an existing association to `addrs[0]` is reused, or one
/// is set up to all the addresses. `sinfo` may be NULL: no SCTP_SNDRCV cmsg is sent and the
/// socket's default send parameters apply. `*sinfo` is never written, so the id of a new
/// association is not returned through it (RFC 6458 says it is; use SCTP_GET_PEER_ADDR_INFO).
///
/// Returns the number of bytes sent, or -1 with errno: EINVAL when `addrs` is NULL, `addrcnt`
/// < 1 or an address family is neither AF_INET nor AF_INET6 (nothing is sent); otherwise the
/// kernel's, as for sctp_send. No heap allocation up to 16 addresses; one beyond (ENOMEM if it
/// fails).
///
/// # Safety
/// `addrs` is NULL or points to `addrcnt` packed addresses, each readable for the length of its
/// family (16 or 28 bytes), with no alignment required; `sinfo` is NULL or points to a readable
/// `struct sctp_sndrcvinfo`; `msg` is passed to the kernel untouched.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_sendx(
    sd: c_int,
    msg: *const c_void,
    len: usize,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> libc::ssize_t {
    // SAFETY: the caller passes NULL or `addrcnt` readable packed addresses.
    let a = unsafe { PackedAddrs::from_raw(addrs, addrcnt) };
    // `sinfo` is read only once the addresses are valid. SAFETY: the caller passes NULL or a
    // readable sctp_sndrcvinfo (copied, any alignment).
    let si = a.is_ok().then(|| unsafe { caller::read(sinfo) }).flatten();
    let r =
        to_c_ssize(a.and_then(|a| send::sendx(sd, UserBuf::new(msg, len), &a, si.as_ref(), flags)));
    if trace::enabled() {
        // SAFETY: the addresses the call read, under the same contract.
        let a = unsafe { Addrs::new(addrs, addrcnt) };
        let si = Sinfo::send(sinfo, si);
        let (m, f) = (Ptr(msg), Bits(flags as u32, trace::SEND_FLAGS));
        trace::emit(
            r as i64,
            format_args!(
                "sctp_sendx(sd={sd}, msg={m}, len={len}, addrs={a}, addrcnt={addrcnt}, \
                 sinfo={si}, flags={f})"
            ),
            None,
        );
    }
    r
}
