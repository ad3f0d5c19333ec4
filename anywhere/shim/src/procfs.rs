//! /proc/net/sctp/assocs and /proc/net/sctp/eps for a program whose SCTP is sctpd's: opened
//! (open, openat, fopen) when the kernel has no such file (or SCTP_ANYWHERE=force), they are a
//! memory file holding sctpd's associations and endpoints in the kernel's format.

use crate::chan;
use crate::real;
use core::ffi::{CStr, c_char, c_int};
use sctp_anywhere_proto::{op, procfile};

/// Which file `path` names, if one of these.
///
/// # Safety
/// `path` is NULL or a NUL-terminated string (as open(2) requires).
pub unsafe fn which(path: *const c_char) -> Option<i64> {
    if path.is_null() {
        return None;
    }
    // SAFETY: the caller's NUL-terminated path.
    let p = unsafe { CStr::from_ptr(path) }.to_bytes();
    match p {
        b"/proc/net/sctp/assocs" => Some(procfile::ASSOCS),
        b"/proc/net/sctp/eps" => Some(procfile::EPS),
        _ => None,
    }
}

/// A memory file with sctpd's text of `file` (close-on-exec if `cloexec`), read from its start.
pub fn open(file: i64, cloexec: bool) -> Result<c_int, i32> {
    let a = chan::call(op::PROC, 0, [file, 0, 0, 0], &[], None, 1 << 20, false)?;
    // SAFETY: memfd_create with a constant name.
    let fd = unsafe {
        libc::memfd_create(
            c"sctp_anywhere_proc".as_ptr(),
            if cloexec { libc::MFD_CLOEXEC } else { 0 },
        )
    };
    if fd < 0 {
        // SAFETY: errno of this thread.
        return Err(unsafe { *libc::__errno_location() });
    }
    crate::fds::set_foreign(fd);
    let mut off = 0;
    while off < a.out.len() {
        let rest = a.out.get(off..).unwrap_or(&[]);
        // SAFETY: writes the text's bytes to our memory file.
        let n = unsafe { real::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            break;
        }
        off += n as usize;
    }
    // SAFETY: rewinds our memory file.
    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };
    Ok(fd)
}
