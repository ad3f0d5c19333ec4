//! Safe core of the three sctp_connectx ABI versions.
//!
//! - VERS_1 (3 arguments): setsockopt(SCTP_SOCKOPT_CONNECTX_OLD); never reports an id.
//! - VERS_2 (4 arguments): setsockopt(SCTP_SOCKOPT_CONNECTX), whose return value is the id.
//! - VERS_3 (4 arguments, the default): getsockopt(SCTP_SOCKOPT_CONNECTX3), which reports the id
//!   also for a non-blocking socket (-1/EINPROGRESS with the id set). On a kernel without it
//!   (ENOPROTOOPT from an SCTP socket: before 2.6.26) it falls back to VERS_2 then VERS_1, as
//!   lksctp does; that answer is cached once per process, so such kernels pay the probe once.

use core::ffi::{c_int, c_void};
use core::sync::atomic::{AtomicBool, Ordering};

use crate::addrs::PackedAddrs;
use crate::error::{Errno, Result, check_syscall};
use crate::sys::{self, sctp_assoc_t, sctp_getaddrs_old};

/// Set once a kernel has proven it lacks SCTP_SOCKOPT_CONNECTX3.
static NO_CONNECTX3: AtomicBool = AtomicBool::new(false);

fn raw(addrs: Option<&PackedAddrs<'_>>) -> (*const u8, usize) {
    addrs.map_or((core::ptr::null(), 0), |a| {
        (a.as_bytes().as_ptr(), a.as_bytes().len())
    })
}

fn setsockopt(fd: c_int, opt: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<c_int> {
    let (ptr, len) = raw(addrs);
    // SAFETY: `ptr` is NULL with length 0 or a validated array of `len` readable bytes.
    check_syscall(unsafe {
        libc::setsockopt(fd, sys::SOL_SCTP, opt, ptr.cast(), len as libc::socklen_t)
    })
}

/// VERS_1: connects to `addrs` (None: an empty list, which the kernel refuses with EINVAL).
pub fn connectx_v1(fd: c_int, addrs: Option<&PackedAddrs<'_>>) -> Result<()> {
    setsockopt(fd, sys::SCTP_SOCKOPT_CONNECTX_OLD, addrs).map(|_| ())
}

/// VERS_2: connects and returns the association id (0 written first, as lksctp). Without
/// SCTP_SOCKOPT_CONNECTX in the kernel: ENOPROTOOPT when the caller wants the id, else VERS_1.
pub fn connectx_v2(
    fd: c_int,
    addrs: Option<&PackedAddrs<'_>>,
    mut id: Option<&mut sctp_assoc_t>,
) -> Result<()> {
    if let Some(id) = id.as_deref_mut() {
        *id = 0;
    }
    match setsockopt(fd, sys::SCTP_SOCKOPT_CONNECTX, addrs) {
        Ok(assoc) => {
            if let Some(id) = id {
                *id = assoc;
            }
            Ok(())
        }
        Err(Errno(libc::ENOPROTOOPT)) if id.is_none() => connectx_v1(fd, addrs),
        Err(e) => Err(e),
    }
}

/// VERS_3, the default sctp_connectx: connects to `addrs` and stores the association id in `id`
/// on success and on EINPROGRESS (non-blocking socket: the setup goes on, -1/EINPROGRESS is
/// returned with the id set). Errors are the kernel's: EBADF, ENOTSOCK, EINVAL (empty list,
/// bad address), EADDRNOTAVAIL, EISCONN, EALREADY, ECONNREFUSED, ETIMEDOUT, ...
pub fn connectx(
    fd: c_int,
    addrs: Option<&PackedAddrs<'_>>,
    id: Option<&mut sctp_assoc_t>,
) -> Result<()> {
    if !NO_CONNECTX3.load(Ordering::Relaxed) {
        let (ptr, len) = raw(addrs);
        let mut arg = sctp_getaddrs_old {
            assoc_id: 0,
            addr_num: len as c_int,
            addrs: ptr.cast(),
        };
        let mut optlen = core::mem::size_of::<sctp_getaddrs_old>() as libc::socklen_t;
        // SAFETY: `arg` is a writable sctp_getaddrs_old of `optlen` bytes whose `addrs` points
        // to `addr_num` readable bytes (or is NULL with 0).
        let r = unsafe {
            libc::getsockopt(
                fd,
                sys::SOL_SCTP,
                sys::SCTP_SOCKOPT_CONNECTX3,
                (&mut arg as *mut sctp_getaddrs_old).cast::<c_void>(),
                &mut optlen,
            )
        };
        let res = check_syscall(r);
        match res {
            Ok(_) | Err(Errno(libc::EINPROGRESS)) => {
                if let Some(id) = id {
                    *id = arg.assoc_id;
                }
                return res.map(|_| ());
            }
            Err(Errno(libc::ENOPROTOOPT)) if is_sctp_socket(fd) => {
                NO_CONNECTX3.store(true, Ordering::Relaxed);
            }
            Err(e) => return Err(e),
        }
    }
    // A kernel without CONNECTX3: the older options cannot report an id for a non-blocking
    // socket (lksctp's rule).
    if id.is_some() && is_nonblocking(fd)? {
        return Err(Errno(libc::ENOPROTOOPT));
    }
    connectx_v2(fd, addrs, id)
}

fn is_sctp_socket(fd: c_int) -> bool {
    let mut proto: c_int = 0;
    let mut len = core::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: `proto` is a writable c_int of `len` bytes.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PROTOCOL,
            (&mut proto as *mut c_int).cast(),
            &mut len,
        )
    };
    r == 0 && proto == libc::IPPROTO_SCTP
}

fn is_nonblocking(fd: c_int) -> Result<bool> {
    // SAFETY: F_GETFL takes no pointer.
    let fl = check_syscall(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
    Ok(fl & libc::O_NONBLOCK != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addrs::tests::v4;
    use crate::testutil::{close, sctp_socket};

    #[test]
    fn connectx3_is_present_on_this_kernel() {
        let s = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        // An empty list: the kernel answers EINVAL, proving it knows the option.
        assert_eq!(connectx(s, None, None), Err(Errno::EINVAL));
        assert!(!NO_CONNECTX3.load(Ordering::Relaxed));
        close(s);
    }

    #[test]
    fn enoprotoopt_from_a_non_sctp_socket_is_not_cached() {
        // SAFETY: plain socket syscall.
        let udp6 = unsafe { libc::socket(libc::AF_INET6, libc::SOCK_DGRAM, 0) };
        let a = v4([127, 0, 0, 1], 9);
        let p = PackedAddrs::parse(&a, 1).unwrap();
        assert_eq!(
            connectx(udp6, Some(&p), None),
            Err(Errno(libc::ENOPROTOOPT))
        );
        assert!(!NO_CONNECTX3.load(Ordering::Relaxed));
        close(udp6);
    }

    #[test]
    fn refused_connect_reports_the_kernel_error() {
        let s = sctp_socket(libc::AF_INET, libc::SOCK_STREAM);
        // Nobody listens on 127.0.0.1:9 in the test network: the INIT is answered by ABORT.
        let a = v4([127, 0, 0, 1], 9);
        let p = PackedAddrs::parse(&a, 1).unwrap();
        let mut id = -7;
        assert_eq!(
            connectx(s, Some(&p), Some(&mut id)),
            Err(Errno(libc::ECONNREFUSED))
        );
        assert_eq!(id, -7);
        close(s);
    }
}
