//! The lksctp private socket options: getsockopt on a plain-data argument struct, setsockopt
//! on a packed address array.

use core::ffi::{c_int, c_void};

use crate::addrs::PackedAddrs;
use crate::error::Sys;

/// Marker for `#[repr(C)]` plain-data structs that the kernel may read and overwrite byte by
/// byte: every bit pattern is a valid value.
///
/// # Safety
/// Implementors must be `#[repr(C)]` and contain only integer fields (or arrays/structs of them).
pub unsafe trait PlainData: Copy {}

// SAFETY: both are #[repr(C)] structs of integers.
unsafe impl PlainData for crate::sys::sctp_peeloff_arg_t {}
// SAFETY: #[repr(C)] struct of integers.
unsafe impl PlainData for crate::sys::sctp_peeloff_flags_arg_t {}

/// One getsockopt(fd, level, opt, arg, &len) with len = `size_of::<T>()`: its own return value.
#[inline(always)]
pub fn get<T: PlainData>(fd: c_int, level: c_int, opt: c_int, arg: &mut T) -> Sys {
    let mut len = core::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `arg` is a valid, writable T of `len` bytes, and T accepts any bytes the kernel
    // writes (PlainData); `len` is a valid socklen_t the kernel updates.
    Sys(
        unsafe { libc::getsockopt(fd, level, opt, (arg as *mut T).cast::<c_void>(), &mut len) }
            as isize,
    )
}

/// One setsockopt(fd, SOL_SCTP, opt, addrs): sctp_bindx and the two older sctp_connectx
/// versions. `None` is an empty list (NULL, 0), which the kernel refuses with EINVAL. Returns
/// setsockopt's own return value (SCTP_SOCKOPT_CONNECTX: the association id).
#[inline(always)]
pub fn set_addrs(fd: c_int, opt: c_int, addrs: Option<&PackedAddrs<'_>>) -> Sys {
    let (ptr, len) = addrs.map_or((core::ptr::null(), 0), |a| a.raw());
    // SAFETY: `ptr` is NULL with length 0 or a validated array of `len` readable bytes.
    Sys(unsafe { libc::setsockopt(fd, crate::sys::SOL_SCTP, opt, ptr.cast(), len) } as isize)
}
