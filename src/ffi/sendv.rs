use core::ffi::{c_int, c_uint, c_void};

use crate::addrs::PackedAddrs;
use crate::error::{Errno, sys_to_c_int};
use crate::send;
use crate::sendv;
use crate::trace::{self, Addrs, Bits, Ptr};

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
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe {
            traced_sendv(
                s, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags,
            )
        };
    }
    // SAFETY: forwarded contract.
    sys_to_c_int(unsafe {
        sendv(
            s, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags,
        )
    })
}

/// The body of sctp_sendv: the arguments checked, then the core.
///
/// # Safety
/// As for sctp_sendv.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn sendv(
    s: c_int,
    iov: *const libc::iovec,
    iovcnt: c_int,
    addrs: *const libc::sockaddr,
    addrcnt: c_int,
    info: *const c_void,
    infolen: libc::socklen_t,
    infotype: c_uint,
    flags: c_int,
) -> crate::Result<crate::error::Sys> {
    let a = match addrcnt {
        0 => None,
        n if n < 0 => return Err(Errno::EINVAL),
        // SAFETY: forwarded contract on `addrs`.
        n => Some(unsafe { PackedAddrs::from_raw(addrs, n) }?),
    };
    let iov = (iov, send::iov_count(iovcnt)?);
    // SAFETY: forwarded contract on `info`.
    unsafe { sendv::sendv_c(s, iov, a.as_ref(), info, infolen, infotype, flags) }
}

/// sctp_sendv with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_sendv.
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
unsafe fn traced_sendv(
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
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = sys_to_c_int(unsafe {
        sendv(
            s, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags,
        )
    });
    if !on {
        return r;
    }
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
    r
}
