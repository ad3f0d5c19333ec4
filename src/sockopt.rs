//! The lksctp private socket options: getsockopt on a plain-data argument struct, setsockopt
//! on a packed address array.

use core::ffi::{c_int, c_void};

use crate::addrs::PackedAddrs;
use crate::error::{Errno, Result, check_syscall};

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

/// One getsockopt(fd, level, opt, arg, &len) with len = `size_of::<T>()`; returns the length the
/// kernel wrote back.
pub fn get<T: PlainData>(fd: c_int, level: c_int, opt: c_int, arg: &mut T) -> Result<usize> {
    let mut len = core::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `arg` is a valid, writable T of `len` bytes, and T accepts any bytes the kernel
    // writes (PlainData); `len` is a valid socklen_t the kernel updates.
    let ret =
        unsafe { libc::getsockopt(fd, level, opt, (arg as *mut T).cast::<c_void>(), &mut len) };
    check_syscall(ret)?;
    Ok(len as usize)
}

/// One setsockopt(fd, SOL_SCTP, opt, addrs): sctp_bindx and the two older sctp_connectx
/// versions. `None` is an empty list (NULL, 0), which the kernel refuses with EINVAL. Returns
/// setsockopt's non-negative result (SCTP_SOCKOPT_CONNECTX: the association id).
pub fn set_addrs(fd: c_int, opt: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<c_int> {
    let (ptr, len) = addrs.map_or((core::ptr::null(), 0), |a| {
        (a.as_bytes().as_ptr(), a.as_bytes().len())
    });
    // The kernel's optlen is an int: a longer array (more than 76 million addresses) cannot be
    // expressed, and the kernel would refuse it anyway (EINVAL).
    let len = libc::socklen_t::try_from(len)
        .ok()
        .filter(|l| *l <= c_int::MAX as libc::socklen_t)
        .ok_or(Errno::EINVAL)?;
    // SAFETY: `ptr` is NULL with length 0 or a validated array of `len` readable bytes.
    check_syscall(unsafe { libc::setsockopt(fd, crate::sys::SOL_SCTP, opt, ptr.cast(), len) })
}
