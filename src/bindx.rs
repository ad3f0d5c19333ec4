//! Safe core of sctp_bindx: one setsockopt(SCTP_SOCKOPT_BINDX_ADD or _REM).

use core::ffi::c_int;

use crate::addrs::PackedAddrs;
use crate::error::{Errno, Result, check_syscall};
use crate::sys;

/// Adds (`SCTP_BINDX_ADD_ADDR`) or removes (`SCTP_BINDX_REM_ADDR`) the addresses `addrs` to or
/// from the socket's bound set. `flags` must be exactly one of the two (else EINVAL, before any
/// syscall, as lksctp). `None` (a count below one) goes to the kernel as an empty list, which it
/// answers with EINVAL (or EBADF/ENOTSOCK first), as with lksctp. Other errors are the
/// kernel's: EADDRINUSE, EADDRNOTAVAIL, EINVAL (port mismatch, removing the last address), ...
pub fn bindx(fd: c_int, addrs: Option<&PackedAddrs<'_>>, flags: c_int) -> Result<()> {
    let opt = match flags {
        sys::SCTP_BINDX_ADD_ADDR => sys::SCTP_SOCKOPT_BINDX_ADD,
        sys::SCTP_BINDX_REM_ADDR => sys::SCTP_SOCKOPT_BINDX_REM,
        _ => return Err(Errno::EINVAL),
    };
    let (ptr, len) = addrs.map_or((core::ptr::null(), 0), |a| {
        (a.as_bytes().as_ptr(), a.as_bytes().len())
    });
    // SAFETY: `ptr` is NULL with length 0 or a validated array of `len` readable bytes.
    let r = unsafe { libc::setsockopt(fd, sys::SOL_SCTP, opt, ptr.cast(), len as libc::socklen_t) };
    check_syscall(r).map(|_| ())
}
