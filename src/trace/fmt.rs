//! Display wrappers for the traced arguments. They are built only when tracing is on, from the
//! same pointers the call itself was given.

use core::ffi::c_int;
use core::fmt::{Display, Formatter, Result};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::addrs::{IpBytes, PackedAddrs, SockAddr};
use crate::sys::sctp_sndrcvinfo;

use super::names::Names;

/// At most this many addresses of a list are printed.
const MAX_ADDRS: usize = 8;

/// A pointer: `NULL` or its address.
pub struct Ptr<T>(pub *const T);

impl<T> Display for Ptr<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        if self.0.is_null() {
            f.write_str("NULL")
        } else {
            write!(f, "{:p}", self.0)
        }
    }
}

/// Flag bits by name, `A|B|0x40` for bits without one, `0` for none.
pub struct Bits(pub u32, pub Names);

impl Display for Bits {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        if self.0 == 0 {
            return f.write_str("0");
        }
        let mut rest = self.0;
        let mut sep = "";
        for &(bit, name) in self.1 {
            if rest & bit != 0 {
                write!(f, "{sep}{name}")?;
                rest &= !bit;
                sep = "|";
            }
        }
        if rest != 0 {
            write!(f, "{sep}{rest:#x}")?;
        }
        Ok(())
    }
}

fn port(b: &[u8]) -> u16 {
    match b {
        [_, _, p0, p1, ..] => u16::from_be_bytes([*p0, *p1]),
        _ => 0,
    }
}

fn sockaddr(f: &mut Formatter<'_>, a: &SockAddr<'_>) -> Result {
    let p = port(a.as_bytes());
    match a.ip() {
        IpBytes::V4(ip) => write!(f, "{}:{p}", Ipv4Addr::from(ip)),
        IpBytes::V6(ip) => write!(f, "[{}]:{p}", Ipv6Addr::from(ip)),
    }
}

/// A packed address array (bindx, connectx, sendx, sendv, getpaddrs): `[a, b]`, or the pointer
/// when it is NULL or does not parse (the call then failed with EINVAL).
pub struct Addrs<'a>(core::result::Result<PackedAddrs<'a>, *const libc::sockaddr>);

impl Addrs<'_> {
    /// # Safety
    /// As for [`PackedAddrs::from_raw`]: the pointer the traced function was given, under the
    /// same contract (it already read the same bytes).
    pub unsafe fn new(addrs: *const libc::sockaddr, count: c_int) -> Self {
        // SAFETY: forwarded contract.
        Addrs(unsafe { PackedAddrs::from_raw(addrs, count) }.map_err(|_| addrs))
    }

    /// Only the pointer, for a call that failed before reading the addresses.
    pub fn unread(addrs: *const libc::sockaddr) -> Self {
        Addrs(Err(addrs))
    }

    /// An array already validated (or the pointer when it did not parse).
    pub fn parsed<'a>(
        list: crate::Result<PackedAddrs<'a>>,
        addrs: *const libc::sockaddr,
    ) -> Addrs<'a> {
        Addrs(list.map_err(|_| addrs))
    }

    /// Whether the addresses parsed (the call then went on to read its other arguments).
    pub fn is_valid(&self) -> bool {
        self.0.is_ok()
    }
}

impl Display for Addrs<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        let list = match &self.0 {
            Ok(l) => l,
            Err(p) => return Ptr(*p).fmt(f),
        };
        f.write_str("[")?;
        for (i, a) in list.iter().enumerate() {
            if i == MAX_ADDRS {
                write!(f, ", ... {} in all", list.count())?;
                break;
            }
            if i > 0 {
                f.write_str(", ")?;
            }
            sockaddr(f, &a)?;
        }
        f.write_str("]")
    }
}

/// One sockaddr with its length (sendmsg's `to`, recvmsg's `from`): the address when it is an
/// AF_INET/AF_INET6 one that fits in `len`, otherwise the pointer. Holds a copy of the bytes.
pub struct Addr {
    bytes: [u8; 28],
    len: usize,
    ptr: *const libc::sockaddr,
}

impl Addr {
    /// # Safety
    /// `addr` is NULL or readable for `len` bytes (at most 28 are read, by copy).
    pub unsafe fn new(addr: *const libc::sockaddr, len: libc::socklen_t) -> Self {
        let mut a = Addr::unread(addr);
        if !addr.is_null() {
            a.len = (len as usize).min(a.bytes.len());
            // SAFETY: readable for `len` >= a.len bytes per the contract; `bytes` holds 28.
            unsafe {
                a.bytes
                    .as_mut_ptr()
                    .copy_from_nonoverlapping(addr.cast::<u8>(), a.len)
            };
        }
        a
    }

    /// Only the pointer, for an address that may not be readable.
    pub fn unread(addr: *const libc::sockaddr) -> Self {
        Addr {
            bytes: [0; 28],
            len: 0,
            ptr: addr,
        }
    }
}

impl Display for Addr {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        let bytes = self.bytes.get(..self.len).unwrap_or(&[]);
        match PackedAddrs::parse(bytes, 1) {
            Ok(l) => sockaddr(f, &l.first()),
            Err(_) => Ptr(self.ptr).fmt(f),
        }
    }
}

/// `struct sctp_sndrcvinfo`: the fields a sender sets, or all of them for a receiver; or only
/// the pointer when it was not read. Holds a copy, never a reference to the caller's struct.
pub struct Sinfo(Option<sctp_sndrcvinfo>, bool, *const sctp_sndrcvinfo);

impl Sinfo {
    /// What a sender passed at `p`: `read` is the copy the call made (None when it read nothing:
    /// NULL, or rejected before reading).
    pub fn send(p: *const sctp_sndrcvinfo, read: Option<sctp_sndrcvinfo>) -> Sinfo {
        Sinfo(read, false, p)
    }

    /// What a receiver got: the struct at `p`, copied.
    ///
    /// # Safety
    /// `p` is NULL or points to a readable sctp_sndrcvinfo (any alignment).
    pub unsafe fn recv(p: *const sctp_sndrcvinfo) -> Sinfo {
        // SAFETY: non-NULL and readable per the contract; read_unaligned copies it.
        Sinfo(
            (!p.is_null()).then(|| unsafe { p.read_unaligned() }),
            true,
            p,
        )
    }
}

impl Display for Sinfo {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        let Some(s) = &self.0 else {
            return Ptr(self.2).fmt(f);
        };
        write!(
            f,
            "{{stream={}, flags={}, ppid={:#x}, context={}, ttl={}, assoc_id={}",
            s.sinfo_stream,
            Bits(u32::from(s.sinfo_flags), super::SINFO_FLAGS),
            s.sinfo_ppid,
            s.sinfo_context,
            s.sinfo_timetolive,
            s.sinfo_assoc_id
        )?;
        if self.1 {
            write!(
                f,
                ", ssn={}, tsn={}, cumtsn={}",
                s.sinfo_ssn, s.sinfo_tsn, s.sinfo_cumtsn
            )?;
        }
        f.write_str("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addrs::tests::{v4, v6};

    #[test]
    fn addresses_print_as_ip_and_port() {
        let mut b = v4([127, 0, 0, 1], 5000);
        b.extend(v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 7));
        // SAFETY: `b` holds the two packed addresses.
        let a = unsafe { Addrs::new(b.as_ptr().cast(), 2) };
        assert_eq!(a.to_string(), "[127.0.0.1:5000, [::1]:7]");
        // SAFETY: NULL is never read.
        let n = unsafe { Addrs::new(core::ptr::null(), 1) };
        assert_eq!(n.to_string(), "NULL");
        // SAFETY: `b` holds a sockaddr_in of 16 bytes.
        let one = unsafe { Addr::new(b.as_ptr().cast(), 16) };
        assert_eq!(one.to_string(), "127.0.0.1:5000");
        // SAFETY: only 8 bytes are read, a length too short for AF_INET.
        let short = unsafe { Addr::new(b.as_ptr().cast(), 8) };
        assert!(short.to_string().starts_with("0x"));
    }

    #[test]
    fn bits_print_names_then_the_rest() {
        assert_eq!(Bits(0, super::super::RECV_FLAGS).to_string(), "0");
        assert_eq!(
            Bits(0x8080, super::super::RECV_FLAGS).to_string(),
            "MSG_EOR|MSG_NOTIFICATION"
        );
        assert_eq!(
            Bits(0x8000 | 0x4000, super::super::SEND_FLAGS).to_string(),
            "MSG_NOSIGNAL|MSG_MORE"
        );
        assert_eq!(
            Bits(0x1 | 0x1000_0000, super::super::SINFO_FLAGS).to_string(),
            "SCTP_UNORDERED|0x10000000"
        );
    }
}
