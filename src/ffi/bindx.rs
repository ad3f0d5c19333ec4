use core::ffi::c_int;

use crate::addrs::PackedAddrs;
use crate::bindx;
use crate::error::to_c_int;
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
    let op = bindx::Op::from_flags(flags);
    // The addresses are read only when the flags are valid.
    let r = to_c_int(op.and_then(|op| {
        // SAFETY: forwarded contract on `addrs`.
        let a = unsafe { PackedAddrs::from_raw_opt(addrs, addrcnt) }?;
        bindx::bindx(sd, a.as_ref(), op).map(|_| 0)
    }));
    if trace::enabled() {
        let a = match op {
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
    }
    r
}
