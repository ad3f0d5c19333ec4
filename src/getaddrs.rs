//! Safe core of sctp_getpaddrs / sctp_getladdrs / sctp_freepaddrs / sctp_freeladdrs /
//! sctp_getaddrlen.
//!
//! The address list is returned in a block from the C allocator (malloc), starting with the
//! first address, exactly as lksctp returns it: programs that free() it themselves instead of
//! calling sctp_freepaddrs keep working.

use core::ffi::{c_int, c_void};
use core::ptr::NonNull;

use crate::error::{Errno, Result, check_syscall};
use crate::sys::{self, sctp_assoc_t};

/// First buffer size: one getsockopt in the common case (4 KiB holds 146 IPv6 addresses).
const FIRST_SIZE: usize = 4096;

/// Which list to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Peer,
    Local,
}

/// A malloc()ed block holding `count` packed addresses (the block may be non-empty when the
/// count is 0, as lksctp's is). Free it with [`free`] (or C's free()).
#[derive(Debug)]
pub struct AddrList {
    pub ptr: NonNull<libc::sockaddr>,
    pub count: c_int,
}

/// The largest buffer the kernel's `int` optlen can express.
const MAX_SIZE: usize = c_int::MAX as usize;

/// Fetches the peer (SCTP_GET_PEER_ADDRS) or local (SCTP_GET_LOCAL_ADDRS) addresses of
/// association `id` (ignored on one-to-one sockets; 0 on a one-to-many socket gives the
/// endpoint's local addresses). One getsockopt when the list fits in 4 KiB.
///
/// The kernel answers ENOMEM both for a buffer too small and for a failed allocation of its own
/// (for the local list it allocates a bounce buffer of the size it is given); the two cannot be
/// told apart, so on ENOMEM the buffer doubles, up to the largest size the kernel's int optlen
/// can express (2 GiB - 1), and the kernel's ENOMEM at that size is the answer: every list the
/// kernel can return fits, and the growth ends after at most 20 calls. Errors are the kernel's
/// (EBADF, ENOTSOCK, EINVAL for an unknown id, ENOMEM, ...), or ENOMEM when our allocation fails.
///
/// Every byte handed to the kernel is defined: the header (id in, count out). For the local list
/// the whole block is zeroed (calloc: large blocks come zeroed from mmap, untouched): the kernel
/// writes 8 bytes more than the optlen it reports there (it does not count the header), and a
/// memory checker that trusts optlen would take the tail of the last address as undefined.
pub fn getaddrs(fd: c_int, id: sctp_assoc_t, which: Which) -> Result<AddrList> {
    let opt = match which {
        Which::Peer => sys::SCTP_GET_PEER_ADDRS,
        Which::Local => sys::SCTP_GET_LOCAL_ADDRS,
    };
    let zeroed = which == Which::Local;
    let mut size = FIRST_SIZE;
    let mut buf = Malloc::new(size, zeroed)?;
    // A retry leaves ENOMEM in errno; success must leave the caller's errno as it was.
    let saved = Errno::last();
    let written = loop {
        // The header is the association id in, the address count out.
        buf.write_header(id);
        // size <= MAX_SIZE: it fits the kernel's int.
        let mut len = size as libc::socklen_t;
        // SAFETY: `buf` is an allocated block of `size` >= len bytes the kernel may write.
        let r = unsafe { libc::getsockopt(fd, sys::SOL_SCTP, opt, buf.ptr().cast(), &mut len) };
        match check_syscall(r) {
            Ok(_) => break len as usize,
            Err(Errno(libc::ENOMEM)) if size < MAX_SIZE => {
                size = size.saturating_mul(2).min(MAX_SIZE);
                // The old contents are not needed: a new block, not a copy.
                drop(buf);
                buf = Malloc::new(size, zeroed)?;
            }
            Err(e) => return Err(e),
        }
    };
    saved.set();
    // The defined bytes of the block: all of it for the local list (zeroed), the header and
    // the list for the peer list (its optlen counts both).
    let defined = if zeroed { size } else { written.min(size) };
    // SAFETY: the first `defined` bytes of the block `buf` owns are initialised (by calloc or
    // by the kernel), and nothing else refers to them while the slice lives.
    let (count, data) = list_len(unsafe { core::slice::from_raw_parts(buf.ptr(), defined) });
    // Move the addresses to the start of the block: the caller gets (and frees) the block.
    // SAFETY: [8, 8 + data) and [0, data) lie inside the block (list_len measured them there);
    // copy (memmove) allows the overlap.
    unsafe {
        core::ptr::copy(buf.ptr().add(sys::SCTP_GETADDRS_HDR), buf.ptr(), data);
    }
    Ok(AddrList {
        ptr: buf.into_raw().cast(),
        count,
    })
}

/// The list in a struct sctp_getaddrs block the kernel filled: the address count it reported
/// (bytes 4..8), checked against the addresses themselves, and their length in bytes. The
/// returned optlen cannot say how long the list is (the kernel counts the header for peer
/// addresses but not for local ones), so the addresses are measured; the walk stops at an
/// unknown family or at the end of `block`, and the count is what was measured (never more than
/// the kernel reported).
pub(crate) fn list_len(block: &[u8]) -> (c_int, usize) {
    let Some((hdr, list)) = block.split_first_chunk::<{ sys::SCTP_GETADDRS_HDR }>() else {
        return (0, 0);
    };
    let reported = u32::from_ne_bytes(*hdr.last_chunk::<4>().unwrap_or(&[0; 4]));
    let (mut count, mut off) = (0u32, 0usize);
    while count < reported {
        let Some(fam) = list.get(off..).and_then(|r| r.first_chunk::<2>()) else {
            break;
        };
        match crate::addrs::addr_len(c_int::from(u16::from_ne_bytes(*fam))) {
            Some(n) if off + n <= list.len() => off += n,
            _ => break,
        }
        count += 1;
    }
    (c_int::try_from(count).unwrap_or(c_int::MAX), off)
}

/// Frees a list returned by [`getaddrs`] (NULL is accepted).
///
/// # Safety
/// `addrs` is NULL or a pointer [`getaddrs`] returned (or any malloc()ed block) not yet freed.
pub unsafe fn free(addrs: *mut libc::sockaddr) {
    // SAFETY: per the contract, a malloc()ed block or NULL.
    unsafe { libc::free(addrs.cast()) }
}

/// sctp_getaddrlen: the size of a socket address of `family` as SCTP packs it: 16 for AF_INET,
/// 28 for AF_INET6, 0 otherwise (as lksctp; no syscall, errno untouched).
pub fn getaddrlen(family: libc::sa_family_t) -> c_int {
    crate::addrs::addr_len(c_int::from(family)).map_or(0, |n| n as c_int)
}

/// A block from the C allocator (malloc, or calloc when zeroed), freed on drop unless handed
/// out with `into_raw`. At least FIRST_SIZE bytes.
struct Malloc {
    ptr: NonNull<u8>,
}

impl Malloc {
    fn new(size: usize, zeroed: bool) -> Result<Self> {
        // SAFETY: malloc/calloc with a nonzero size; NULL is checked.
        let p = unsafe {
            if zeroed {
                libc::calloc(1, size)
            } else {
                libc::malloc(size)
            }
        };
        NonNull::new(p.cast())
            .map(|ptr| Malloc { ptr })
            .ok_or(Errno::ENOMEM)
    }

    fn ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// The 8-byte header of struct sctp_getaddrs: the id, and a zero count (the kernel reads
    /// both and writes the count).
    fn write_header(&mut self, id: sctp_assoc_t) {
        // SAFETY: the block is at least FIRST_SIZE > 8 bytes.
        unsafe {
            self.ptr().cast::<sctp_assoc_t>().write_unaligned(id);
            self.ptr().add(4).cast::<u32>().write_unaligned(0);
        }
    }

    fn into_raw(self) -> NonNull<u8> {
        let p = self.ptr;
        core::mem::forget(self);
        p
    }
}

impl Drop for Malloc {
    fn drop(&mut self) {
        // SAFETY: a live malloc()ed block owned by this value.
        unsafe { libc::free(self.ptr.as_ptr().cast::<c_void>()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Pair;

    #[test]
    fn getaddrlen_is_lksctps() {
        assert_eq!(getaddrlen(libc::AF_INET as u16), 16);
        assert_eq!(getaddrlen(libc::AF_INET6 as u16), 28);
        assert_eq!(getaddrlen(libc::AF_UNIX as u16), 0);
        assert_eq!(getaddrlen(0), 0);
    }

    #[test]
    fn local_list_is_exact_to_the_last_byte_and_errno_survives_growth() {
        use crate::addrs::{PackedAddrs, tests::v4};
        let s = crate::testutil::sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        // 300 addresses (4800 bytes): more than the first 4 KiB buffer holds.
        let all: Vec<u8> = (0..300u16)
            .flat_map(|i| v4([127, 0, 2 + (i / 250) as u8, 1 + (i % 250) as u8], 0))
            .collect();
        let first = PackedAddrs::parse(&all[..16], 1).unwrap();
        crate::bindx::bindx(s, Some(&first), crate::bindx::Op::Add).unwrap();
        let port = {
            // SAFETY: all-zero is a valid sockaddr_in.
            let mut a: libc::sockaddr_in = unsafe { core::mem::zeroed() };
            let mut l = 16;
            // SAFETY: `a` is a writable sockaddr_in of `l` bytes.
            unsafe { libc::getsockname(s, (&mut a as *mut libc::sockaddr_in).cast(), &mut l) };
            a.sin_port
        };
        let mut all = all;
        for chunk in all.chunks_mut(16) {
            chunk[2..4].copy_from_slice(&port.to_ne_bytes());
        }
        let rest = PackedAddrs::parse(&all[16..], 299).unwrap();
        crate::bindx::bindx(s, Some(&rest), crate::bindx::Op::Add).unwrap();
        Errno(libc::EDOM).set();
        let l = getaddrs(s, 0, Which::Local).unwrap();
        assert_eq!(Errno::last(), Errno(libc::EDOM));
        assert_eq!(l.count, 300);
        // SAFETY: the block holds 300 AF_INET addresses (4800 bytes).
        let got = unsafe { core::slice::from_raw_parts(l.ptr.as_ptr().cast::<u8>(), 4800) };
        let mut want: Vec<&[u8]> = all.chunks(16).collect();
        let mut have: Vec<&[u8]> = got.chunks(16).collect();
        want.sort();
        have.sort();
        assert_eq!(have, want);
        // SAFETY: returned by getaddrs.
        unsafe { free(l.ptr.as_ptr()) };
        crate::testutil::close(s);
    }

    #[test]
    fn bad_fd_is_ebadf_and_nothing_leaks() {
        assert_eq!(
            getaddrs(-1, 0, Which::Peer).unwrap_err(),
            Errno(libc::EBADF)
        );
    }

    #[test]
    fn peer_and_local_addresses_of_an_association() {
        let pair = Pair::new();
        let l = getaddrs(pair.client, pair.client_assoc, Which::Peer).unwrap();
        assert_eq!(l.count, 1);
        // SAFETY: the block holds one AF_INET address.
        let a = unsafe { l.ptr.as_ptr().cast::<libc::sockaddr_in>().read_unaligned() };
        assert_eq!(a.sin_family, libc::AF_INET as u16);
        assert_eq!(u16::from_be(a.sin_port), pair.server_port);
        // SAFETY: returned by getaddrs.
        unsafe { free(l.ptr.as_ptr()) };
        let l = getaddrs(pair.server, pair.server_assoc, Which::Local).unwrap();
        assert!(l.count >= 1);
        // SAFETY: returned by getaddrs.
        unsafe { free(l.ptr.as_ptr()) };
        assert_eq!(
            getaddrs(pair.server, pair.server_assoc + 1000, Which::Peer).unwrap_err(),
            Errno::EINVAL
        );
    }
}
