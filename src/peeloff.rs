//! Safe core of sctp_peeloff and sctp_peeloff_flags: one getsockopt each.

use core::ffi::{c_int, c_uint};

use crate::error::{Errno, Result, Sys};
use crate::sockopt;
use crate::sys::{self, sctp_assoc_t, sctp_peeloff_arg_t, sctp_peeloff_flags_arg_t};

/// Branches association `assoc_id` of the one-to-many socket `fd` off into a new socket and
/// returns its descriptor.
///
/// Errors are the kernel's: EBADF, ENOTSOCK, EINVAL (id 0 or unknown, one-to-one or already
/// peeled-off socket), EOPNOTSUPP (AF_INET TCP/UDP socket), ENOPROTOOPT (AF_INET6 TCP/UDP
/// socket), EMFILE/ENFILE.
pub fn peeloff(fd: c_int, assoc_id: sctp_assoc_t) -> Result<c_int> {
    peeloff_sys(fd, assoc_id).check().map(|d| d as c_int)
}

/// [`peeloff`]: the new descriptor, or the syscall's -1 (errno as the kernel set it).
#[inline(always)]
pub fn peeloff_sys(fd: c_int, assoc_id: sctp_assoc_t) -> Sys {
    let mut arg = sctp_peeloff_arg_t {
        associd: assoc_id,
        sd: 0,
    };
    let r = sockopt::get(fd, sys::SOL_SCTP, sys::SCTP_SOCKOPT_PEELOFF, &mut arg);
    if r.0 < 0 { r } else { Sys(arg.sd as isize) }
}

/// As [`peeloff`], with `flags` (SOCK_NONBLOCK, SOCK_CLOEXEC) applied atomically to the new
/// descriptor. `flags == 0` is exactly [`peeloff`]. Any other bit is EINVAL before any syscall
/// (as accept4 does; the kernel would silently ignore it). A kernel without
/// SCTP_SOCKOPT_PEELOFF_FLAGS (before 4.13) answers ENOPROTOOPT, passed through: no emulation.
pub fn peeloff_flags(fd: c_int, assoc_id: sctp_assoc_t, flags: c_uint) -> Result<c_int> {
    peeloff_flags_sys(fd, assoc_id, flags)?
        .check()
        .map(|d| d as c_int)
}

/// [`peeloff_flags`]: EINVAL for unknown bits, else the new descriptor or the syscall's -1.
#[inline(always)]
pub fn peeloff_flags_sys(fd: c_int, assoc_id: sctp_assoc_t, flags: c_uint) -> Result<Sys> {
    if flags == 0 {
        return Ok(peeloff_sys(fd, assoc_id));
    }
    if flags & !sys::PEELOFF_VALID_FLAGS != 0 {
        return Err(Errno::EINVAL);
    }
    let mut arg = sctp_peeloff_flags_arg_t {
        p_arg: sctp_peeloff_arg_t {
            associd: assoc_id,
            sd: 0,
        },
        flags,
    };
    let r = sockopt::get(fd, sys::SOL_SCTP, sys::SCTP_SOCKOPT_PEELOFF_FLAGS, &mut arg);
    Ok(if r.0 < 0 {
        r
    } else {
        Sys(arg.p_arg.sd as isize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Pair, close, fd_flags, sctp_socket};

    #[test]
    fn unknown_flag_bits_are_einval_without_a_syscall() {
        // fd -1 would give EBADF if a syscall were made.
        assert_eq!(peeloff_flags(-1, 1, 0x1), Err(Errno::EINVAL));
        assert_eq!(
            peeloff_flags(-1, 1, sys::PEELOFF_VALID_FLAGS | 0x8000_0000),
            Err(Errno::EINVAL)
        );
        assert_eq!(peeloff_flags(-1, 1, 0), Err(Errno(libc::EBADF)));
        assert_eq!(
            peeloff_flags(-1, 1, libc::SOCK_CLOEXEC as c_uint),
            Err(Errno(libc::EBADF))
        );
    }

    #[test]
    fn kernel_errors_pass_through() {
        let s = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        assert_eq!(peeloff(s, 0), Err(Errno::EINVAL));
        assert_eq!(peeloff(s, 4242), Err(Errno::EINVAL));
        let one = sctp_socket(libc::AF_INET, libc::SOCK_STREAM);
        assert_eq!(peeloff(one, 1), Err(Errno::EINVAL));
        close(one);
        close(s);
    }

    #[test]
    fn peeled_socket_carries_the_association_with_its_flags() {
        let pair = Pair::new();
        let nb = (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as c_uint;
        let fd = peeloff_flags(pair.server, pair.server_assoc, nb).unwrap();
        assert!(fd >= 0 && fd != pair.server);
        let (fl, fdfl) = fd_flags(fd);
        assert!(fl & libc::O_NONBLOCK != 0);
        assert!(fdfl & libc::FD_CLOEXEC != 0);
        // The association now lives on the new socket: a second peel-off of it fails.
        assert_eq!(peeloff(pair.server, pair.server_assoc), Err(Errno::EINVAL));
        // And the new socket is not one-to-many: peeling from it fails too.
        assert_eq!(peeloff(fd, pair.server_assoc), Err(Errno::EINVAL));
        pair.roundtrip_via(fd);
        close(fd);
    }
}
