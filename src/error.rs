//! `Errno`, `Sys` (a syscall's own return value) and the one place that turns them into the C
//! convention (-1 + errno).
//!
//! A failed syscall has already set errno: the C entry points hand its -1 back as it is, without
//! reading errno or writing it again (`Sys`). Only a failure the library finds itself (EINVAL
//! for a bad argument, before any syscall) is an `Err(Errno)` that the entry point stores.

use core::ffi::c_int;

/// A positive errno value, as the kernel and libc report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

impl Errno {
    /// EINVAL: the library's answer to a bad argument, given before any syscall.
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    /// ENOMEM: out of memory (a failed allocation, the kernel's or the library's).
    pub const ENOMEM: Errno = Errno(libc::ENOMEM);

    /// The errno the last failed libc call left in this thread.
    pub fn last() -> Errno {
        // SAFETY: __errno_location always returns a valid pointer to this thread's errno.
        Errno(unsafe { *libc::__errno_location() })
    }

    /// Stores this value in the calling thread's errno.
    pub fn set(self) {
        // SAFETY: __errno_location always returns a valid pointer to this thread's errno.
        unsafe { *libc::__errno_location() = self.0 }
    }
}

impl core::fmt::Display for Errno {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "errno {}", self.0)
    }
}

impl std::error::Error for Errno {}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}

/// A result whose error is an [`Errno`].
pub type Result<T> = core::result::Result<T, Errno>;

/// What a libc syscall wrapper returned: its result, or -1 with errno set by libc (and not read
/// since).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Sys(pub isize);

impl Sys {
    /// The result, or the errno the failure left (read now: call it before anything else that
    /// may change errno).
    #[inline]
    pub fn check(self) -> Result<usize> {
        if self.0 < 0 {
            Err(Errno::last())
        } else {
            Ok(self.0 as usize)
        }
    }
}

/// Stores `e` in errno and gives -1: the library's own failures, kept out of line so that the
/// entry points' common path stays a leaf. The -1 goes through `black_box` so that the compiler
/// cannot fold it into the callers: they then jump here as their last step (a tail call) and
/// need no stack frame of their own for it.
#[cold]
#[inline(never)]
fn fail_ssize(e: Errno) -> libc::ssize_t {
    e.set();
    core::hint::black_box(-1)
}

/// [`fail_ssize`] for the functions that return `int`.
#[cold]
#[inline(never)]
fn fail_int(e: Errno) -> c_int {
    e.set();
    core::hint::black_box(-1)
}

/// The C convention for `ssize_t`: a syscall's result as it came (-1 with errno as libc left
/// it), or -1 with errno set to the library's own error.
#[inline(always)]
pub fn sys_to_c_ssize(r: Result<Sys>) -> libc::ssize_t {
    match r {
        Ok(s) => s.0,
        Err(e) => fail_ssize(e),
    }
}

/// The C convention for `int`: as [`sys_to_c_ssize`], narrowed as lksctp narrows it. The value
/// always fits: Linux moves at most MAX_RW_COUNT (INT_MAX rounded down to a page) bytes in one
/// sendmsg or recvmsg (import_iovec caps the iovec total), and socket options return 0 or -1.
#[inline(always)]
pub fn sys_to_c_int(r: Result<Sys>) -> c_int {
    match r {
        Ok(s) => s.0 as c_int,
        Err(e) => fail_int(e),
    }
}

/// Maps a syscall return value (`-1` meaning failure) to a `Result`, reading errno on failure.
pub fn check_syscall<T: PartialEq + From<i8>>(ret: T) -> Result<T> {
    if ret == T::from(-1) {
        Err(Errno::last())
    } else {
        Ok(ret)
    }
}

/// The C convention for a function returning `int`: the value, or -1 with errno set.
/// Success leaves errno untouched.
pub fn to_c_int(r: Result<c_int>) -> c_int {
    match r {
        Ok(v) => v,
        Err(e) => {
            e.set();
            -1
        }
    }
}

/// The C convention for a function returning `ssize_t`: the value, or -1 with errno set.
/// Success leaves errno untouched.
pub fn to_c_ssize(r: Result<usize>) -> libc::ssize_t {
    match r {
        // A byte count returned by sendmsg always fits: the kernel returns ssize_t.
        Ok(v) => libc::ssize_t::try_from(v).unwrap_or(libc::ssize_t::MAX),
        Err(e) => {
            e.set();
            -1
        }
    }
}

/// The C convention for a byte count returned as `int` (lksctp's sctp_sendmsg, sctp_recvmsg,
/// sctp_sendv, sctp_recvv): the count, saturated at INT_MAX, or -1 with errno set.
pub fn len_to_c_int(r: Result<usize>) -> c_int {
    to_c_int(r.map(|n| c_int::try_from(n).unwrap_or(c_int::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_leaves_errno_untouched() {
        Errno(libc::EDOM).set();
        assert_eq!(to_c_int(Ok(7)), 7);
        assert_eq!(to_c_ssize(Ok(9)), 9);
        assert_eq!(Errno::last(), Errno(libc::EDOM));
    }

    #[test]
    fn err_sets_errno_and_returns_minus_one() {
        Errno(0).set();
        assert_eq!(to_c_int(Err(Errno::EINVAL)), -1);
        assert_eq!(Errno::last(), Errno::EINVAL);
        assert_eq!(to_c_ssize(Err(Errno(libc::EPIPE))), -1);
        assert_eq!(Errno::last(), Errno(libc::EPIPE));
    }

    #[test]
    fn check_syscall_reads_errno_on_minus_one() {
        Errno(libc::EBADF).set();
        assert_eq!(check_syscall(-1 as c_int), Err(Errno(libc::EBADF)));
        assert_eq!(check_syscall(3 as c_int), Ok(3));
        assert_eq!(check_syscall(-1 as libc::ssize_t), Err(Errno(libc::EBADF)));
    }
}
