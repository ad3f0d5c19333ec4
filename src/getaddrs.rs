//! Safe core of sctp_getpaddrs / sctp_getladdrs / sctp_freepaddrs / sctp_freeladdrs /
//! sctp_getaddrlen.
//!
//! The address list is returned in a block from the C allocator (malloc), starting with the
//! first address, exactly as lksctp returns it: programs that free() it themselves instead of
//! calling sctp_freepaddrs keep working.

use core::ffi::{c_int, c_void};
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use crate::error::{Errno, Result, check_syscall};
use crate::sys::{self, sctp_assoc_t};

/// First buffer size: one getsockopt in the common case (4 KiB holds 146 IPv6 addresses).
const FIRST_SIZE: usize = 4096;

/// Which list to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The peer's addresses (SCTP_GET_PEER_ADDRS, sctp_getpaddrs).
    Peer,
    /// The local addresses (SCTP_GET_LOCAL_ADDRS, sctp_getladdrs).
    Local,
}

/// A malloc()ed block holding `count` packed addresses (the block may be non-empty when the
/// count is 0, as lksctp's is). Free it with [`free`] (or C's free()).
#[derive(Debug)]
pub struct AddrList {
    /// The block (the first address at its start).
    pub ptr: NonNull<libc::sockaddr>,
    /// Number of addresses in the block.
    pub count: c_int,
    /// The bytes the `count` packed addresses take at `ptr`.
    pub len: usize,
}

/// The largest buffer the kernel's `int` optlen can express.
const MAX_SIZE: usize = c_int::MAX as usize;

/// Fetches the peer (SCTP_GET_PEER_ADDRS) or local (SCTP_GET_LOCAL_ADDRS) addresses of
/// association `id` (ignored on one-to-one sockets; 0 on a one-to-many socket gives the
/// endpoint's local addresses). One getsockopt when the list fits in 4 KiB: it goes to a stack
/// buffer, and only a success allocates, a block of the list's size (a failure allocates
/// nothing).
///
/// The kernel answers ENOMEM both for a buffer too small and for a failed allocation of its own
/// (for the local list it allocates a bounce buffer of the size it is given); the two cannot be
/// told apart, so on ENOMEM the buffer doubles, up to the largest size the kernel's int optlen
/// can express (2 GiB - 1), and the kernel's ENOMEM at that size is the answer: every list the
/// kernel can return fits, and the growth ends after at most 20 calls. Errors are the kernel's
/// (EBADF, ENOTSOCK, EINVAL for an unknown id, ENOMEM, ...), or ENOMEM when our allocation fails.
///
/// Every byte handed to the kernel is defined: the header (id in, count out). For the local list
/// the kernel writes 8 bytes more than the optlen it reports (it does not count the header): a
/// memory checker that trusts optlen would take the tail of the last address as undefined, so
/// valgrind is told about exactly those bytes (`memcheck.rs`).
pub fn getaddrs(fd: c_int, id: sctp_assoc_t, which: Which) -> Result<AddrList> {
    let opt = match which {
        Which::Peer => sys::SCTP_GET_PEER_ADDRS,
        Which::Local => sys::SCTP_GET_LOCAL_ADDRS,
    };
    // A retry leaves ENOMEM in errno; success must leave the caller's errno as it was.
    let saved = Errno::last();
    // The first attempt goes to the stack: a failure (a bad descriptor, an unknown id) costs no
    // allocation, and the result block is allocated to the list's size.
    let mut stack = [MaybeUninit::<u8>::uninit(); FIRST_SIZE];
    let first = fetch(fd, opt, id, stack.as_mut_ptr().cast(), FIRST_SIZE, which);
    match first {
        Ok(defined) => {
            // SAFETY: the kernel wrote the first `defined` bytes of `stack`.
            let block =
                unsafe { core::slice::from_raw_parts(stack.as_ptr().cast::<u8>(), defined) };
            let (count, data) = list_len(block);
            let out = Malloc::new(data.max(1))?;
            // SAFETY: `data` bytes after the header lie in `block`; `out` holds at least `data`.
            unsafe {
                out.ptr()
                    .copy_from_nonoverlapping(block.as_ptr().add(sys::SCTP_GETADDRS_HDR), data)
            };
            return Ok(AddrList {
                ptr: out.into_raw().cast(),
                count,
                len: data,
            });
        }
        Err(Errno(libc::ENOMEM)) => {}
        Err(e) => return Err(e),
    }
    // Longer than 4 KiB: a block of twice the size each time, into which the list is fetched
    // and where it then stays.
    let mut size = FIRST_SIZE;
    let (buf, defined) = loop {
        if size >= MAX_SIZE {
            return Err(Errno::ENOMEM);
        }
        size = size.saturating_mul(2).min(MAX_SIZE);
        let buf = Malloc::new(size)?;
        match fetch(fd, opt, id, buf.ptr(), size, which) {
            Ok(defined) => break (buf, defined),
            Err(Errno(libc::ENOMEM)) => {}
            Err(e) => return Err(e),
        }
    };
    saved.set();
    // SAFETY: the kernel wrote the first `defined` bytes of the block `buf` owns, and nothing
    // else refers to them while the slice lives.
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
        len: data,
    })
}

/// One getsockopt(SCTP_GET_PEER_ADDRS or _LOCAL_ADDRS) into the `size` bytes at `p`: the bytes
/// the kernel wrote (the header and the list: its optlen counts both for the peer list, only
/// the list for the local one, so valgrind is told about the 8 bytes it cannot know), or the
/// errno.
#[inline(always)]
fn fetch(
    fd: c_int,
    opt: c_int,
    id: sctp_assoc_t,
    p: *mut u8,
    size: usize,
    which: Which,
) -> Result<usize> {
    // SAFETY: the block is at least FIRST_SIZE > 8 bytes: the header is the association id in,
    // the address count out (both read by the kernel, so both written).
    unsafe {
        p.cast::<sctp_assoc_t>().write_unaligned(id);
        p.add(4).cast::<u32>().write_unaligned(0);
    }
    // size <= MAX_SIZE: it fits the kernel's int.
    let mut len = size as libc::socklen_t;
    // SAFETY: `p` is writable for `size` >= len bytes.
    let r = unsafe { libc::getsockopt(fd, sys::SOL_SCTP, opt, p.cast(), &mut len) };
    check_syscall(r)?;
    let written = match which {
        Which::Peer => len as usize,
        Which::Local => {
            let w = (len as usize)
                .saturating_add(sys::SCTP_GETADDRS_HDR)
                .min(size);
            crate::memcheck::mark_defined(p, w);
            w
        }
    };
    Ok(written.min(size))
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

/// A block from the C allocator (malloc), freed on drop unless handed out with `into_raw`.
struct Malloc {
    ptr: NonNull<u8>,
}

impl Malloc {
    fn new(size: usize) -> Result<Self> {
        // SAFETY: malloc with a nonzero size; NULL is checked.
        let p = unsafe { libc::malloc(size) };
        NonNull::new(p.cast())
            .map(|ptr| Malloc { ptr })
            .ok_or(Errno::ENOMEM)
    }

    fn ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
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
