//! Packed sockaddr arrays, as sctp_sendx (and later bindx, connectx, sendv) take them: addresses of
//! mixed families laid end to end, each `sizeof(struct sockaddr_in)` or `sizeof(struct
//! sockaddr_in6)` long, with no padding. This is the one place that parses them.

use core::ffi::c_int;

use crate::error::{Errno, Result};

/// Length of a packed address of `family`, or `None` for a family SCTP does not carry.
pub const fn addr_len(family: c_int) -> Option<usize> {
    match family {
        libc::AF_INET => Some(core::mem::size_of::<libc::sockaddr_in>()),
        libc::AF_INET6 => Some(core::mem::size_of::<libc::sockaddr_in6>()),
        _ => None,
    }
}

/// Walks `count` packed addresses, asking `family_at(offset)` for the family stored at each
/// offset, and returns the total length in bytes. EINVAL for a count below one, an unknown
/// family, a family that `family_at` cannot read (`None`: past the end of a slice), or a total
/// longer than the kernel's int optlen can express (76 million addresses).
#[inline(always)]
fn measure(count: usize, family_at: impl Fn(usize) -> Option<u16>) -> Result<usize> {
    if count == 0 {
        return Err(Errno::EINVAL);
    }
    let mut off = 0usize;
    for _ in 0..count {
        off += match family_at(off).map(c_int::from) {
            Some(libc::AF_INET) => core::mem::size_of::<libc::sockaddr_in>(),
            Some(libc::AF_INET6) => core::mem::size_of::<libc::sockaddr_in6>(),
            _ => return Err(Errno::EINVAL),
        };
    }
    // At most INT_MAX addresses of 28 bytes: no overflow in the walk.
    if off > c_int::MAX as usize {
        return Err(Errno::EINVAL);
    }
    Ok(off)
}

fn family_of(bytes: &[u8]) -> Option<u16> {
    match bytes {
        [a, b, ..] => Some(u16::from_ne_bytes([*a, *b])),
        _ => None,
    }
}

/// A validated packed array of `count` (at least one) AF_INET/AF_INET6 addresses, at most
/// INT_MAX bytes long (what the kernel's optlen can express).
#[derive(Clone, Copy, Debug)]
pub struct PackedAddrs<'a> {
    bytes: &'a [u8],
    count: usize,
}

impl<'a> PackedAddrs<'a> {
    /// Validates `count` packed addresses at the start of `bytes` (trailing bytes are ignored).
    /// EINVAL when `count` is 0, a family is neither AF_INET nor AF_INET6, or `bytes` is short.
    pub fn parse(bytes: &'a [u8], count: usize) -> Result<Self> {
        let total = measure(count, |off| family_of(bytes.get(off..)?))?;
        Ok(PackedAddrs {
            bytes: bytes.get(..total).ok_or(Errno::EINVAL)?,
            count,
        })
    }

    /// Validates a C caller's array. EINVAL when `addrs` is NULL, `addrcnt` < 1, or a family is
    /// neither AF_INET nor AF_INET6; nothing past the first bad family is read.
    ///
    /// # Safety
    /// When `addrs` is not NULL, each of the first `addrcnt` addresses must be readable for the
    /// length its family gives (16 bytes for AF_INET, 28 for AF_INET6), and the memory must stay
    /// unchanged for `'a`. No alignment is required.
    #[inline(always)]
    pub unsafe fn from_raw(addrs: *const libc::sockaddr, addrcnt: c_int) -> Result<Self> {
        if addrs.is_null() {
            return Err(Errno::EINVAL);
        }
        let count = usize::try_from(addrcnt).map_err(|_| Errno::EINVAL)?;
        let base = addrs.cast::<u8>();
        let total = measure(count, |off| {
            // SAFETY: `off` is the start of an address the caller promised readable (the walk
            // only reaches it after the previous addresses had a known family and length), and
            // sa_family is its first two bytes; read_unaligned needs no alignment.
            Some(unsafe { base.add(off).cast::<u16>().read_unaligned() })
        })?;
        // SAFETY: the walk above covered exactly `total` bytes of addresses the caller promised
        // readable and unchanged for 'a.
        let bytes = unsafe { core::slice::from_raw_parts(base, total) };
        Ok(PackedAddrs { bytes, count })
    }

    /// As [`from_raw`](Self::from_raw), but a count below one is `None` (no address), whatever
    /// `addrs` is: for the functions that hand an empty list to the kernel, as lksctp does.
    ///
    /// # Safety
    /// As for [`from_raw`](Self::from_raw) when `addrcnt` >= 1.
    #[inline(always)]
    pub unsafe fn from_raw_opt(
        addrs: *const libc::sockaddr,
        addrcnt: c_int,
    ) -> Result<Option<Self>> {
        if addrcnt < 1 {
            return Ok(None);
        }
        // SAFETY: forwarded contract.
        unsafe { Self::from_raw(addrs, addrcnt) }.map(Some)
    }

    /// The whole packed array.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Number of addresses (at least one).
    pub fn count(&self) -> usize {
        self.count
    }

    /// The first address: the one sctp_sendx puts in msg_name.
    #[inline]
    pub fn first(&self) -> SockAddr<'a> {
        // A validated array holds at least one address, so the iterator yields one; the
        // fallback (an empty AF_INET address) is never used.
        self.iter().next().unwrap_or(SockAddr {
            family: libc::AF_INET,
            bytes: &[],
        })
    }

    /// The whole packed array as (pointer, length), for a syscall: its length fits the
    /// kernel's int (checked when validated).
    #[inline(always)]
    pub fn raw(&self) -> (*const u8, libc::socklen_t) {
        (self.bytes.as_ptr(), self.bytes.len() as libc::socklen_t)
    }

    /// An iterator over the addresses, in array order.
    pub fn iter(&self) -> Iter<'a> {
        Iter { rest: self.bytes }
    }
}

/// One address of a packed array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockAddr<'a> {
    family: c_int,
    bytes: &'a [u8],
}

impl<'a> SockAddr<'a> {
    /// The address family: AF_INET or AF_INET6.
    pub fn family(&self) -> c_int {
        self.family
    }

    /// The whole sockaddr_in or sockaddr_in6, as msg_name takes it.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The bare IP address, as the SCTP_DSTADDRV4/SCTP_DSTADDRV6 cmsgs carry it: sin_addr
    /// (bytes 4..8 of a sockaddr_in) or sin6_addr (bytes 8..24 of a sockaddr_in6).
    pub fn ip(&self) -> IpBytes {
        let mut v6 = [0u8; 16];
        let mut v4 = [0u8; 4];
        if self.family == libc::AF_INET6 {
            if let Some(b) = self.bytes.get(8..24) {
                v6.copy_from_slice(b);
            }
            IpBytes::V6(v6)
        } else {
            if let Some(b) = self.bytes.get(4..8) {
                v4.copy_from_slice(b);
            }
            IpBytes::V4(v4)
        }
    }
}

/// An IPv4 or IPv6 address in network byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpBytes {
    /// An IPv4 address (in_addr).
    V4([u8; 4]),
    /// An IPv6 address (in6_addr).
    V6([u8; 16]),
}

/// Iterator over a validated packed array.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Iter<'a> {
    type Item = SockAddr<'a>;

    fn next(&mut self) -> Option<SockAddr<'a>> {
        let family = c_int::from(family_of(self.rest)?);
        let (bytes, rest) = self.rest.split_at_checked(addr_len(family)?)?;
        self.rest = rest;
        Some(SockAddr { family, bytes })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn v4(a: [u8; 4], port: u16) -> Vec<u8> {
        let mut b = vec![0u8; 16];
        b[..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
        b[2..4].copy_from_slice(&port.to_be_bytes());
        b[4..8].copy_from_slice(&a);
        b
    }

    pub fn v6(a: [u8; 16], port: u16) -> Vec<u8> {
        let mut b = vec![0u8; 28];
        b[..2].copy_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
        b[2..4].copy_from_slice(&port.to_be_bytes());
        b[8..24].copy_from_slice(&a);
        b
    }

    #[test]
    fn mixed_families_are_measured_and_iterated() {
        let mut six = [0u8; 16];
        six[15] = 1;
        let bytes = [v4([127, 0, 0, 1], 9), v6(six, 9), v4([127, 0, 0, 2], 9)].concat();
        let p = PackedAddrs::parse(&bytes, 3).unwrap();
        assert_eq!(p.count(), 3);
        let v: Vec<_> = p.iter().collect();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].family(), libc::AF_INET);
        assert_eq!(v[0].ip(), IpBytes::V4([127, 0, 0, 1]));
        assert_eq!(v[1].family(), libc::AF_INET6);
        assert_eq!(v[1].as_bytes().len(), 28);
        assert_eq!(v[1].ip(), IpBytes::V6(six));
        assert_eq!(v[2].ip(), IpBytes::V4([127, 0, 0, 2]));
        assert_eq!(p.first(), v[0]);
    }

    #[test]
    fn count_limits_the_walk() {
        let bytes = [v4([1, 2, 3, 4], 1), vec![0xff; 16]].concat();
        assert_eq!(PackedAddrs::parse(&bytes, 1).unwrap().iter().count(), 1);
        assert_eq!(PackedAddrs::parse(&bytes, 2).unwrap_err(), Errno::EINVAL);
    }

    #[test]
    fn bad_input_is_einval() {
        let v = v4([1, 2, 3, 4], 1);
        assert_eq!(PackedAddrs::parse(&v, 0).unwrap_err(), Errno::EINVAL);
        assert_eq!(PackedAddrs::parse(&v[..15], 1).unwrap_err(), Errno::EINVAL);
        assert_eq!(PackedAddrs::parse(&v, 2).unwrap_err(), Errno::EINVAL);
        let mut unix = v.clone();
        unix[..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
        assert_eq!(PackedAddrs::parse(&unix, 1).unwrap_err(), Errno::EINVAL);
    }

    #[test]
    fn from_raw_rejects_null_and_nonpositive_counts() {
        let v = v4([1, 2, 3, 4], 1);
        let p = v.as_ptr().cast::<libc::sockaddr>();
        // SAFETY: `v` holds one readable AF_INET address; NULL is never dereferenced.
        unsafe {
            assert_eq!(
                PackedAddrs::from_raw(core::ptr::null(), 1).unwrap_err(),
                Errno::EINVAL
            );
            assert_eq!(PackedAddrs::from_raw(p, 0).unwrap_err(), Errno::EINVAL);
            assert_eq!(PackedAddrs::from_raw(p, -1).unwrap_err(), Errno::EINVAL);
            assert_eq!(PackedAddrs::from_raw(p, 1).unwrap().count(), 1);
        }
    }

    #[test]
    fn from_raw_reads_unaligned_arrays() {
        let mut six = [0u8; 16];
        six[0] = 0xfe;
        let bytes = [vec![0u8], v6(six, 7), v4([10, 0, 0, 1], 7)].concat();
        // SAFETY: starting at offset 1 the buffer holds an AF_INET6 then an AF_INET address.
        let p = unsafe { PackedAddrs::from_raw(bytes[1..].as_ptr().cast(), 2) }.unwrap();
        let v: Vec<_> = p.iter().map(|a| a.family()).collect();
        assert_eq!(v, [libc::AF_INET6, libc::AF_INET]);
    }
}
