use core::ffi::c_int;

use super::caller;
use crate::error::to_c_int;
use crate::getaddrs::{self, Which};
use crate::sys::sctp_assoc_t;
use crate::trace::{self, Addrs, Ptr};

/// The entry of sctp_getpaddrs/sctp_getladdrs: the traced twin when SCTP_RS_TRACE is on.
///
/// # Safety
/// `addrs` is NULL or writable.
#[inline(always)]
unsafe fn entry(sd: c_int, id: sctp_assoc_t, addrs: *mut *mut libc::sockaddr, w: Which) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced(sd, id, addrs, w) };
    }
    // SAFETY: forwarded contract.
    unsafe { get(sd, id, addrs, w) }
}

/// The body: `addrs` checked, the list fetched, the block stored in `*addrs` by copy.
///
/// # Safety
/// `addrs` is NULL or writable.
#[inline(always)]
unsafe fn get(sd: c_int, id: sctp_assoc_t, addrs: *mut *mut libc::sockaddr, w: Which) -> c_int {
    if addrs.is_null() {
        return to_c_int(Err(crate::Errno::EINVAL));
    }
    to_c_int(getaddrs::getaddrs(sd, id, w).map(|l| {
        // SAFETY: `addrs` is writable per the contract (not NULL: checked).
        unsafe { caller::write(addrs, l.ptr.as_ptr()) };
        l.count
    }))
}

/// The call with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// `addrs` is NULL or writable.
#[cold]
#[inline(never)]
unsafe fn traced(sd: c_int, id: sctp_assoc_t, addrs: *mut *mut libc::sockaddr, w: Which) -> c_int {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = unsafe { get(sd, id, addrs, w) };
    if !on {
        return r;
    }
    let name = match w {
        Which::Peer => "sctp_getpaddrs",
        Which::Local => "sctp_getladdrs",
    };
    // SAFETY: on success `*addrs` is the block just returned (read by copy), holding `r`
    // packed addresses.
    let list = (r > 0).then(|| unsafe {
        AddrsOut(Addrs::new(
            caller::read(addrs).unwrap_or(core::ptr::null_mut()),
            r,
        ))
    });
    let out = list.as_ref().map(|l| l as &dyn core::fmt::Display);
    trace::emit(
        r.into(),
        format_args!("{name}(sd={sd}, id={id}, addrs={})", Ptr(addrs)),
        out,
    );
    r
}

/// The trace line of sctp_freepaddrs/sctp_freeladdrs.
fn trace_free(name: &str, addrs: *mut libc::sockaddr) {
    if trace::enabled() {
        trace::emit(0, format_args!("{name}(addrs={})", Ptr(addrs)), None);
    }
}

/// The peer addresses of an association (sctp_getpaddrs(3), RFC 6458 9.3).
///
/// Returns the number of addresses and stores in `*addrs` a block holding them packed (16 bytes
/// per AF_INET, 28 per AF_INET6 address), to release with sctp_freepaddrs (it is a malloc()ed
/// block, as lksctp's: free() works too; it is set even when the count is 0). `id` is ignored on
/// one-to-one sockets. On failure -1 with errno: EINVAL for a NULL `addrs` (lksctp crashes) or
/// from the kernel (unknown `id`), EBADF, ENOTSOCK, ENOMEM (an allocation failed, ours or the
/// kernel's); `*addrs` is then untouched. One getsockopt when the list fits in 4 KiB; beyond, the
/// buffer doubles until the list fits, up to the largest size the kernel can take (2 GiB).
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
    unsafe { entry(sd, id, addrs, Which::Peer) }
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
    unsafe { entry(sd, id, addrs, Which::Local) }
}

/// Release what sctp_getpaddrs returned (RFC 6458 9.4). NULL is accepted. Returns 0.
///
/// # Safety
/// `addrs` is NULL or a block returned by sctp_getpaddrs/sctp_getladdrs, not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_freepaddrs(addrs: *mut libc::sockaddr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { getaddrs::free(addrs) };
    trace_free("sctp_freepaddrs", addrs);
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
    trace_free("sctp_freeladdrs", addrs);
    0
}

/// The size of a packed address of `family`: 16 for AF_INET, 28 for AF_INET6, 0 otherwise, as
/// lksctp (no syscall, errno untouched).
///
/// # Safety
/// No pointer arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_getaddrlen(family: libc::sa_family_t) -> c_int {
    let r = getaddrs::getaddrlen(family);
    if trace::enabled() {
        trace::emit(
            r.into(),
            format_args!(
                "sctp_getaddrlen(family={})",
                trace::family_name(family.into())
            ),
            None,
        );
    }
    r
}

/// "*addrs=[...]": the list sctp_getpaddrs/sctp_getladdrs returned.
struct AddrsOut<'a>(Addrs<'a>);

impl core::fmt::Display for AddrsOut<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "*addrs={}", self.0)
    }
}
