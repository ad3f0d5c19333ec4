//! Safe core of the three sctp_connectx ABI versions, one syscall each.
//!
//! - VERS_1 (3 arguments): setsockopt(SCTP_SOCKOPT_CONNECTX_OLD); never reports an id.
//! - VERS_2 (4 arguments): setsockopt(SCTP_SOCKOPT_CONNECTX), whose return value is the id.
//! - VERS_3 (4 arguments, the default): getsockopt(SCTP_SOCKOPT_CONNECTX3), which reports the id
//!   also for a non-blocking socket (-1/EINPROGRESS with the id set).
//!
//! Every kernel this library supports (4.17 and later) has all three options, so there is no
//! fallback: lksctp's retries with the older options on ENOPROTOOPT serve only kernels before
//! 2.6.26, and on the sockets where a supported kernel says ENOPROTOOPT (TCP/UDP ones) they
//! fail again.

use core::ffi::{c_int, c_void};

use crate::addrs::PackedAddrs;
use crate::error::{Errno, Result, Sys};
use crate::sockopt;
use crate::sys::{self, sctp_assoc_t, sctp_getaddrs_old};

/// VERS_1: connects to `addrs` (None: an empty list, which the kernel refuses with EINVAL).
pub fn connectx_v1(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<()> {
    connectx_v1_sys(fd, addrs)?.check().map(|_| ())
}

/// [`connectx_v1`]: setsockopt's own return value.
#[inline(always)]
pub fn connectx_v1_sys(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<Sys> {
    Ok(sockopt::set_addrs(
        fd,
        sys::SCTP_SOCKOPT_CONNECTX_OLD,
        addrs,
    ))
}

/// VERS_2: connects and returns the association id. Errors are the kernel's (as for
/// [`connectx`], but a non-blocking socket gives EINPROGRESS without an id).
pub fn connectx_v2(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<sctp_assoc_t> {
    connectx_v2_sys(fd, addrs)?
        .check()
        .map(|id| id as sctp_assoc_t)
}

/// [`connectx_v2`]: setsockopt's own return value, the id on success.
#[inline(always)]
pub fn connectx_v2_sys(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<Sys> {
    Ok(sockopt::set_addrs(fd, sys::SCTP_SOCKOPT_CONNECTX, addrs))
}

/// What VERS_3 reports: the association id (on success, and on EINPROGRESS from a non-blocking
/// socket, where the setup goes on) and the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connect {
    /// The association id, when the kernel reported one.
    pub id: Option<sctp_assoc_t>,
    /// `Ok(())` on success, else the errno (EINPROGRESS: the setup goes on).
    pub result: Result<()>,
}

/// VERS_3, the default sctp_connectx: connects to `addrs`. Errors are the kernel's: EBADF,
/// ENOTSOCK, EINVAL (empty list, bad address), EADDRNOTAVAIL, EISCONN, EALREADY, ECONNREFUSED,
/// ETIMEDOUT, EINPROGRESS (non-blocking: the id is reported), ENOPROTOOPT/EOPNOTSUPP (not an
/// SCTP socket), ...
pub fn connectx(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Connect {
    match connectx_sys(fd, addrs) {
        Err(e) => Connect {
            id: None,
            result: Err(e),
        },
        Ok((r, id)) => {
            let result = r.check().map(|_| ());
            // The id is reported on success, and on EINPROGRESS.
            let reported = matches!(result, Ok(()) | Err(Errno(libc::EINPROGRESS)));
            Connect {
                id: reported.then_some(id),
                result,
            }
        }
    }
}

/// [`connectx`]: getsockopt's own return value and the id the kernel wrote (meaningful when it
/// returned 0, or -1 with errno EINPROGRESS), or EINVAL for an array the kernel's int cannot
/// express.
#[inline(always)]
pub fn connectx_sys(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<(Sys, sctp_assoc_t)> {
    let (ptr, len) = addrs.map_or((core::ptr::null(), 0), |a| a.raw());
    let mut arg = sctp_getaddrs_old {
        assoc_id: 0,
        // At most INT_MAX (checked when validated).
        addr_num: len as c_int,
        addrs: ptr.cast(),
    };
    let mut optlen = core::mem::size_of::<sctp_getaddrs_old>() as libc::socklen_t;
    // SAFETY: `arg` is a writable sctp_getaddrs_old of `optlen` bytes (no padding: every byte
    // is set) whose `addrs` points to `addr_num` readable bytes (or is NULL with 0).
    let r = unsafe {
        libc::getsockopt(
            fd,
            sys::SOL_SCTP,
            sys::SCTP_SOCKOPT_CONNECTX3,
            (&mut arg as *mut sctp_getaddrs_old).cast::<c_void>(),
            &mut optlen,
        )
    };
    Ok((Sys(r as isize), arg.assoc_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addrs::tests::v4;
    use crate::testutil::{close, sctp_socket};

    #[test]
    fn empty_list_is_the_kernels_einval() {
        let s = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        assert_eq!(connectx(s, None).result, Err(Errno::EINVAL));
        assert_eq!(connectx_v2(s, None), Err(Errno::EINVAL));
        assert_eq!(connectx_v1(s, None), Err(Errno::EINVAL));
        close(s);
    }

    #[test]
    fn enoprotoopt_from_a_non_sctp_socket_reports_no_id() {
        // SAFETY: plain socket syscall.
        let udp6 = unsafe { libc::socket(libc::AF_INET6, libc::SOCK_DGRAM, 0) };
        let a = v4([127, 0, 0, 1], 9);
        let p = PackedAddrs::parse(&a, 1).unwrap();
        let c = connectx(udp6, Some(&p));
        assert_eq!(c.result, Err(Errno(libc::ENOPROTOOPT)));
        assert_eq!(c.id, None);
        close(udp6);
    }

    #[test]
    fn refused_connect_reports_the_kernel_error() {
        let s = sctp_socket(libc::AF_INET, libc::SOCK_STREAM);
        // Nobody listens on 127.0.0.1:9 in the test network: the INIT is answered by ABORT.
        let a = v4([127, 0, 0, 1], 9);
        let p = PackedAddrs::parse(&a, 1).unwrap();
        let c = connectx(s, Some(&p));
        assert_eq!(c.result, Err(Errno(libc::ECONNREFUSED)));
        assert_eq!(c.id, None);
        close(s);
    }
}
