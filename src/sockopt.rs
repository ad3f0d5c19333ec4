//! getsockopt on a plain-data argument struct, as the lksctp private options use it.

use core::ffi::{c_int, c_void};

use crate::error::{Result, check_syscall};

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
