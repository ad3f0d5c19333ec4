use core::ffi::c_int;

use crate::addrs::PackedAddrs;
use crate::bindx;
use crate::error::sys_to_c_int;
use crate::trace::{self, Addrs, Bits};

/// Add or remove local addresses of a socket (sctp_bindx(3), RFC 6458 9.1).
///
/// `flags` is SCTP_BINDX_ADD_ADDR or SCTP_BINDX_REM_ADDR. Returns 0, or -1 with errno: EINVAL
/// for other flags, a family other than AF_INET/AF_INET6, `addrs` NULL with `addrcnt` > 0 (lksctp
/// crashes there), or `addrcnt` < 1 (from the kernel, which gets an empty list, as with lksctp);
/// otherwise the kernel's (EBADF, ENOTSOCK, EADDRINUSE, EADDRNOTAVAIL, ...). One setsockopt.
///
/// # Safety
/// `addrs` is NULL or points to `addrcnt` packed addresses, each readable for its family's
/// length (16 or 28 bytes), no alignment required.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_bindx(
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    flags: c_int,
) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced_bindx(sd, addrs, addrcnt, flags) };
    }
    // SAFETY: forwarded contract.
    sys_to_c_int(unsafe { bindx(sd, addrs, addrcnt, flags) })
}

/// The body of sctp_bindx: the flags, then the addresses, then the one setsockopt.
///
/// # Safety
/// As for sctp_bindx.
#[inline(always)]
unsafe fn bindx(
    sd: c_int,
    addrs: *const libc::sockaddr,
    addrcnt: c_int,
    flags: c_int,
) -> crate::Result<crate::error::Sys> {
    let op = bindx::Op::from_flags(flags)?;
    // SAFETY: forwarded contract on `addrs` (read only when the flags are valid).
    let a = unsafe { PackedAddrs::from_raw_opt(addrs, addrcnt) }?;
    bindx::bindx_sys(sd, a.as_ref(), op)
}

/// sctp_bindx with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_bindx.
#[cold]
#[inline(never)]
unsafe fn traced_bindx(
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    flags: c_int,
) -> c_int {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = sys_to_c_int(unsafe { bindx(sd, addrs, addrcnt, flags) });
    if !on {
        return r;
    }
    let a = match bindx::Op::from_flags(flags) {
        // SAFETY: the addresses the call read, under the same contract.
        Ok(_) => unsafe { Addrs::new(addrs, addrcnt) },
        Err(_) => Addrs::unread(addrs), // rejected before they were read
    };
    let f = Bits(flags as u32, trace::BINDX_FLAGS);
    trace::emit(
        r.into(),
        format_args!("sctp_bindx(sd={sd}, addrs={a}, addrcnt={addrcnt}, flags={f})"),
        None,
    );
    r
}
