use core::ffi::c_int;

use crate::error::to_c_int;
use crate::getaddrs::{self, Which};
use crate::sys::sctp_assoc_t;

unsafe fn get(sd: c_int, id: sctp_assoc_t, addrs: *mut *mut libc::sockaddr, w: Which) -> c_int {
    // SAFETY: the caller passes NULL or a writable pointer.
    let Some(out) = (unsafe { addrs.as_mut() }) else {
        return to_c_int(Err(crate::Errno::EINVAL));
    };
    to_c_int(getaddrs::getaddrs(sd, id, w).map(|l| {
        *out = l.ptr.as_ptr();
        l.count
    }))
}

/// The peer addresses of an association (sctp_getpaddrs(3), RFC 6458 9.3).
///
/// Returns the number of addresses and stores in `*addrs` a block holding them packed (16 bytes
/// per AF_INET, 28 per AF_INET6 address), to release with sctp_freepaddrs (it is a malloc()ed
/// block, as lksctp's: free() works too; it is set even when the count is 0). `id` is ignored on
/// one-to-one sockets. On failure -1 with errno: EINVAL for a NULL `addrs` (lksctp crashes) or
/// from the kernel (unknown `id`), EBADF, ENOTSOCK, ENOMEM; `*addrs` is then untouched. One
/// getsockopt when the list fits in 4 KiB, growing without limit otherwise.
///
/// # Safety
/// `addrs` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_getpaddrs(
    sd: c_int,
    id: sctp_assoc_t,
    addrs: *mut *mut libc::sockaddr,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { get(sd, id, addrs, Which::Peer) }
}

/// The local addresses of an association, or of the socket with `id` 0 (sctp_getladdrs(3), RFC
/// 6458 9.5). As sctp_getpaddrs otherwise; release with sctp_freeladdrs.
///
/// # Safety
/// `addrs` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_getladdrs(
    sd: c_int,
    id: sctp_assoc_t,
    addrs: *mut *mut libc::sockaddr,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { get(sd, id, addrs, Which::Local) }
}

/// Release what sctp_getpaddrs returned (RFC 6458 9.4). NULL is accepted. Returns 0.
///
/// # Safety
/// `addrs` is NULL or a block returned by sctp_getpaddrs/sctp_getladdrs, not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_freepaddrs(addrs: *mut libc::sockaddr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { getaddrs::free(addrs) };
    0
}

/// Release what sctp_getladdrs returned (RFC 6458 9.6). NULL is accepted. Returns 0.
///
/// # Safety
/// As for sctp_freepaddrs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_freeladdrs(addrs: *mut libc::sockaddr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { getaddrs::free(addrs) };
    0
}

/// The size of a packed address of `family`: 16 for AF_INET, 28 for AF_INET6, 0 otherwise, as
/// lksctp (no syscall, errno untouched).
///
/// # Safety
/// No pointer arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_getaddrlen(family: libc::sa_family_t) -> c_int {
    getaddrs::getaddrlen(family)
}
