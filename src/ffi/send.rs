use core::ffi::{c_int, c_void};

use super::caller;
use crate::addrs::PackedAddrs;
use crate::error::{sys_to_c_int, sys_to_c_ssize};
use crate::send::{self, UserBuf};
use crate::sys::sctp_sndrcvinfo;
use crate::trace::{self, Addr, Addrs, Bits, Ptr, Sinfo};

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
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced_send(sd, msg, len, sinfo, flags) };
    }
    // SAFETY: `sinfo` is NULL or readable (the contract); `msg` goes to the kernel.
    unsafe { send::send_raw(sd, UserBuf::new(msg, len), sinfo, flags) }.0
}

/// sctp_send with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_send.
#[cold]
#[inline(never)]
unsafe fn traced_send(
    sd: c_int,
    msg: *const c_void,
    len: usize,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> libc::ssize_t {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = unsafe { send::send_raw(sd, UserBuf::new(msg, len), sinfo, flags) }.0;
    if !on {
        return r;
    }
    // SAFETY: NULL or readable per the contract (copied).
    let si = Sinfo::send(sinfo, unsafe { caller::read(sinfo) });
    let (m, f) = (Ptr(msg), Bits(flags as u32, trace::SEND_FLAGS));
    trace::emit(
        r as i64,
        format_args!("sctp_send(sd={sd}, msg={m}, len={len}, sinfo={si}, flags={f})"),
        None,
    );
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
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced_sendx(sd, msg, len, addrs, addrcnt, sinfo, flags) };
    }
    // SAFETY: forwarded contract.
    sys_to_c_ssize(unsafe { sendx(sd, msg, len, addrs, addrcnt, sinfo, flags) })
}

/// The body of sctp_sendx.
///
/// # Safety
/// As for sctp_sendx.
#[inline(always)]
unsafe fn sendx(
    sd: c_int,
    msg: *const c_void,
    len: usize,
    addrs: *const libc::sockaddr,
    addrcnt: c_int,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> crate::Result<crate::error::Sys> {
    // SAFETY: the caller passes NULL or `addrcnt` readable packed addresses.
    let a = unsafe { PackedAddrs::from_raw(addrs, addrcnt) }?;
    // SAFETY: `sinfo` is NULL or readable per the contract; read only now that the addresses
    // are valid.
    unsafe { send::sendx_raw(sd, UserBuf::new(msg, len), &a, sinfo, flags) }
}

/// sctp_sendx with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_sendx.
#[cold]
#[inline(never)]
unsafe fn traced_sendx(
    sd: c_int,
    msg: *const c_void,
    len: usize,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> libc::ssize_t {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = sys_to_c_ssize(unsafe { sendx(sd, msg, len, addrs, addrcnt, sinfo, flags) });
    if !on {
        return r;
    }
    // SAFETY: the addresses the call read, under the same contract.
    let a = unsafe { Addrs::new(addrs, addrcnt) };
    // The call reads `sinfo` only once the addresses are valid.
    let si = if a.is_valid() {
        // SAFETY: NULL or readable per the contract (copied).
        Sinfo::send(sinfo, unsafe { caller::read(sinfo) })
    } else {
        Sinfo::send(sinfo, None)
    };
    let (m, f) = (Ptr(msg), Bits(flags as u32, trace::SEND_FLAGS));
    trace::emit(
        r as i64,
        format_args!(
            "sctp_sendx(sd={sd}, msg={m}, len={len}, addrs={a}, addrcnt={addrcnt}, \
             sinfo={si}, flags={f})"
        ),
        None,
    );
    r
}

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
    if !trace::off() {
        // The same arguments in the same order: a tail call.
        return traced_sendmsg(
            s, msg, len, to, tolen, ppid, flags, stream_no, timetolive, context,
        );
    }
    sys_to_c_int(Ok(send::sctp_sendmsg(
        s,
        UserBuf::new(msg, len),
        (to.cast_const().cast(), tolen),
        ppid,
        flags,
        stream_no,
        timetolive,
        context,
    )))
}

/// sctp_sendmsg with SCTP_RS_TRACE on: the same call, then its line.
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
extern "C" fn traced_sendmsg(
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
    let on = trace::enabled();
    let r = sys_to_c_int(Ok(send::sctp_sendmsg(
        s,
        UserBuf::new(msg, len),
        (to.cast_const().cast(), tolen),
        ppid,
        flags,
        stream_no,
        timetolive,
        context,
    )));
    if on {
        trace_sendmsg(
            r,
            s,
            msg,
            len,
            to,
            tolen,
            [ppid, flags, u32::from(stream_no), timetolive, context],
        );
    }
    r
}

/// The trace line of sctp_sendmsg (`args`: ppid, flags, stream_no, timetolive, context).
#[cold]
#[inline(never)]
fn trace_sendmsg(
    r: c_int,
    s: c_int,
    msg: *const c_void,
    len: usize,
    to: *mut libc::sockaddr,
    tolen: libc::socklen_t,
    args: [u32; 5],
) {
    let [ppid, flags, stream_no, timetolive, context] = args;
    // Decoded only after a success, when the kernel has read `tolen` bytes of `to` (a bad `to`
    // is the kernel's EFAULT, so it is not touched after a failure).
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
