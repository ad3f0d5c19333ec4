//! Caller memory, touched only by copy: a struct or integer the library reads is copied out with
//! `read_unaligned`, a result is stored with `write_unaligned`. No Rust reference to caller memory
//! is ever made: C allows a struct at any offset of a char buffer and out-pointers that overlap
//! (each other, or memory the kernel writes during the call), and neither is undefined
//! behaviour here.

/// `*p` by copy, or `None` when `p` is NULL.
///
/// # Safety
/// `p` is NULL or readable for `size_of::<T>()` bytes, which hold a valid `T` (any bytes, for
/// the plain-data C types this is used with).
#[inline(always)]
pub unsafe fn read<T: Copy>(p: *const T) -> Option<T> {
    // SAFETY: non-NULL and readable per the contract; no alignment needed.
    (!p.is_null()).then(|| unsafe { p.read_unaligned() })
}

/// Stores `v` at `p` unless `p` is NULL.
///
/// # Safety
/// `p` is NULL or writable for `size_of::<T>()` bytes. `T` must have no padding (integers), so
/// that every byte stored is defined.
#[inline(always)]
pub unsafe fn write<T: Copy>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable per the contract; no alignment needed.
        unsafe { p.write_unaligned(v) }
    }
}
