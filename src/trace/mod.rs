//! SCTP_RS_TRACE=1: one line on stderr per call, for debugging a binary that cannot be rebuilt.
//!
//! Each `extern "C"` function ends with `if trace::enabled() { trace::emit(...) }`. The switch
//! is read from the environment once, when the library is loaded (a constructor, while the
//! process is normally still single-threaded: getenv is not safe against a concurrent setenv),
//! and cached: with the variable unset, `0` or empty, the whole cost of a call is one relaxed
//! atomic load and a branch. When it is on, the constructor also notes which file descriptor 2
//! is. A call formats its line into a stack buffer (no heap allocation) and writes it to
//! descriptor 2 with one write(2), SIGPIPE blocked around it (a reader of stderr that went away
//! loses the lines, it does not kill the program), unless descriptor 2 is now a socket other
//! than the one it was at load: a program that closed stderr and got descriptor 2 back for one
//! of its own sockets never receives trace lines in it (they are dropped). errno is the same
//! after the line as before it. A stderr pipe that nobody reads blocks the program once it is
//! full, as any stderr output would.
//!
//! Line format, one per call, never interleaved with another thread's (one write of at most
//! [`LINE_MAX`] bytes):
//! `sctp_rs: sctp_bindx(sd=3, addrs=[127.0.0.1:9], addrcnt=1, flags=SCTP_BINDX_ADD_ADDR) = 0`
//! `sctp_rs: sctp_peeloff(sd=3, assoc_id=9) = -1 EINVAL`
//! What a successful call wrote back (an association id, an address list, sinfo) follows the
//! result in brackets.

mod fmt;
mod names;

use core::fmt::Write;
use core::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use crate::error::Errno;

pub use fmt::{Addr, Addrs, Bits, Ptr, Sinfo};
pub use names::{
    BINDX_FLAGS, PEELOFF_FLAGS, RECV_FLAGS, SEND_FLAGS, SINFO_FLAGS, errno_name, family_name,
    opt_name, recvv_infotype, sendv_infotype,
};

/// The longest line written; longer ones end in "...".
pub const LINE_MAX: usize = 1024;

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;
static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);
/// Which file descriptor 2 was when tracing was switched on: st_dev and st_ino (0, 0 if closed).
static STDERR_DEV: AtomicU64 = AtomicU64::new(0);
static STDERR_INO: AtomicU64 = AtomicU64::new(0);

/// Runs when the library is loaded (or the program that links it statically starts).
extern "C" fn at_load() {
    read_env();
}

#[used]
#[unsafe(link_section = ".init_array")]
static AT_LOAD: extern "C" fn() = at_load;

/// Whether SCTP_RS_TRACE is known to be off: the one question each C entry point asks before
/// anything else, one relaxed load and one branch. When it is not (tracing on, or not yet read:
/// a call from another library's constructor, before ours ran), the entry point hands the call
/// to its cold twin, which asks [`enabled`] before the call and writes the line after it.
#[inline(always)]
pub(crate) fn off() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: one byte read of STATE (an atomic byte load on x86-64, as a relaxed load
        // is), compared in place; nothing else is touched.
        unsafe {
            core::arch::asm!(
                "cmp byte ptr [rip + {s}], {off}",
                "jne {not_off}",
                s = sym STATE,
                off = const OFF,
                not_off = label { return false; },
                options(nostack, readonly),
            );
        }
        true
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        STATE.load(Ordering::Relaxed) == OFF
    }
}

/// Whether SCTP_RS_TRACE is on for this process (read once, then cached).
#[inline(always)]
pub(crate) fn enabled() -> bool {
    STATE.load(Ordering::Relaxed) != OFF && on_or_unknown()
}

/// ON, or not yet read (a call from another library's constructor, before ours ran).
#[cold]
#[inline(never)]
fn on_or_unknown() -> bool {
    match STATE.load(Ordering::Relaxed) {
        ON => true,
        _ => read_env(),
    }
}

#[cold]
fn read_env() -> bool {
    // SAFETY: getenv with a NUL-terminated name; the result is NULL or a NUL-terminated string
    // that we only read here (the environment is not modified by this library).
    let on = unsafe {
        let v = libc::getenv(c"SCTP_RS_TRACE".as_ptr());
        !v.is_null() && !matches!(core::ffi::CStr::from_ptr(v).to_bytes(), b"" | b"0")
    };
    if on && let Some(st) = stat_fd2() {
        STDERR_DEV.store(st.st_dev, Ordering::Relaxed);
        STDERR_INO.store(st.st_ino, Ordering::Relaxed);
    }
    STATE.store(if on { ON } else { OFF }, Ordering::Relaxed);
    // The entry points that fold the switch into a gate word of their own.
    crate::ffi::opt_info_trace_switched(!on);
    on
}

fn stat_fd2() -> Option<libc::stat> {
    // SAFETY: fstat fills the zeroed plain-data struct; it is used only when fstat succeeded.
    unsafe {
        let mut st: libc::stat = core::mem::zeroed();
        (libc::fstat(2, &mut st) == 0).then_some(st)
    }
}

/// Whether descriptor 2 may get a line: it is open, and it is the file it was at load or not
/// a socket.
fn stderr_ok() -> bool {
    match stat_fd2() {
        None => false,
        Some(st) => {
            (st.st_dev == STDERR_DEV.load(Ordering::Relaxed)
                && st.st_ino == STDERR_INO.load(Ordering::Relaxed))
                || st.st_mode & libc::S_IFMT != libc::S_IFSOCK
        }
    }
}

/// Writes `buf` to descriptor 2 with SIGPIPE blocked in this thread; a SIGPIPE the write raised
/// is taken back (unless one was already pending).
fn write_line(buf: &[u8]) {
    if !stderr_ok() {
        return;
    }
    let fd = 2;
    // SAFETY: sigset_t values are plain data initialized by sigemptyset/sigaddset before use;
    // pthread_sigmask, sigpending, write and sigtimedwait get valid pointers to them and to
    // `buf`, which is live for its length.
    unsafe {
        let mut pipe: libc::sigset_t = core::mem::zeroed();
        let mut old: libc::sigset_t = core::mem::zeroed();
        let mut pending: libc::sigset_t = core::mem::zeroed();
        libc::sigemptyset(&mut pipe);
        libc::sigaddset(&mut pipe, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &pipe, &mut old);
        libc::sigemptyset(&mut pending);
        libc::sigpending(&mut pending);
        let was_pending = libc::sigismember(&pending, libc::SIGPIPE) == 1;
        let n = libc::write(fd, buf.as_ptr().cast(), buf.len());
        if n < 0 && Errno::last() == Errno(libc::EPIPE) && !was_pending {
            let zero = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            libc::sigtimedwait(&pipe, core::ptr::null_mut(), &zero);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, core::ptr::null_mut());
    }
}

/// A line being formatted on the stack.
pub(crate) struct Line {
    buf: [u8; LINE_MAX],
    len: usize,
    full: bool,
}

impl Line {
    /// The finished line, newline included.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // Room for "...\n" is kept at the end.
        let room = (LINE_MAX - 4).saturating_sub(self.len);
        let n = s.len().min(room);
        if let (Some(dst), Some(src)) = (
            self.buf.get_mut(self.len..self.len + n),
            s.as_bytes().get(..n),
        ) {
            dst.copy_from_slice(src);
            self.len += n;
        }
        if n < s.len() {
            self.full = true;
            return Err(core::fmt::Error);
        }
        Ok(())
    }
}

/// Writes one line: `sctp_rs: <call> = <ret>[ <ERRNO>][ [<out>]]`. `ret == -1` is a failure
/// (errno is read now, so call this right after the function's result is known); `out`, what
/// the call wrote back, is printed when given. errno is restored afterwards.
#[cold]
#[inline(never)]
pub fn emit(ret: i64, call: core::fmt::Arguments<'_>, out: Option<&dyn core::fmt::Display>) {
    let saved = Errno::last();
    let l = format_line(ret, saved.0, call, out);
    // A failed or short write loses (part of) the line, nothing else.
    write_line(l.bytes());
    saved.set();
}

/// The line [`emit`] writes, `errno` being the call's errno.
pub(crate) fn format_line(
    ret: i64,
    errno: core::ffi::c_int,
    call: core::fmt::Arguments<'_>,
    out: Option<&dyn core::fmt::Display>,
) -> Line {
    let mut l = Line {
        buf: [0; LINE_MAX],
        len: 0,
        full: false,
    };
    // A formatting error only means the line is full: it is cut and marked below.
    let _ = write!(l, "sctp_rs: {call} = {ret}");
    if ret == -1 {
        let _ = write!(l, " {}", errno_name(errno));
    }
    if let Some(out) = out {
        let _ = write!(l, " [{out}]");
    }
    // The writer keeps 4 bytes free at the end for "...\n".
    let tail: &[u8] = if l.full { b"...\n" } else { b"\n" };
    if let Some(dst) = l.buf.get_mut(l.len..l.len + tail.len()) {
        dst.copy_from_slice(tail);
        l.len += tail.len();
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_marked() {
        let mut l = Line {
            buf: [0; LINE_MAX],
            len: 0,
            full: false,
        };
        let long = "x".repeat(2 * LINE_MAX);
        assert!(write!(l, "{long}").is_err());
        assert!(l.full);
        assert_eq!(l.len, LINE_MAX - 4);
    }
}
