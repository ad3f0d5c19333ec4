//! `std::net::SocketAddr` to and from the packed sockaddr arrays of the core ([`crate::addrs`]).

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::addrs::{PackedAddrs, SockAddr};
use crate::getaddrs::AddrList;

/// Appends `a` as a sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes), every byte defined.
pub(crate) fn push(out: &mut Vec<u8>, a: &SocketAddr) {
    match a {
        SocketAddr::V4(v4) => {
            out.extend_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
            out.extend_from_slice(&v4.port().to_be_bytes());
            out.extend_from_slice(&v4.ip().octets());
            out.extend_from_slice(&[0u8; 8]);
        }
        SocketAddr::V6(v6) => {
            out.extend_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
            out.extend_from_slice(&v6.port().to_be_bytes());
            out.extend_from_slice(&v6.flowinfo().to_be_bytes());
            out.extend_from_slice(&v6.ip().octets());
            out.extend_from_slice(&v6.scope_id().to_ne_bytes());
        }
    }
}

/// `addrs` packed end to end, as bindx, connectx and sendx take them.
pub(crate) fn pack(addrs: &[SocketAddr]) -> Vec<u8> {
    let mut out = Vec::with_capacity(addrs.len() * 28);
    for a in addrs {
        push(&mut out, a);
    }
    out
}

/// One packed address as a `SocketAddr`.
pub(crate) fn from_packed(a: SockAddr<'_>) -> Option<SocketAddr> {
    let b = a.as_bytes();
    let get = |at: usize, n: usize| b.get(at..at + n);
    let port = u16::from_be_bytes(get(2, 2)?.try_into().ok()?);
    if a.family() == libc::AF_INET {
        let ip: [u8; 4] = get(4, 4)?.try_into().ok()?;
        Some(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(ip), port)))
    } else {
        let flow = u32::from_be_bytes(get(4, 4)?.try_into().ok()?);
        let ip: [u8; 16] = get(8, 16)?.try_into().ok()?;
        let scope = u32::from_ne_bytes(get(24, 4)?.try_into().ok()?);
        Some(SocketAddr::V6(SocketAddrV6::new(
            Ipv6Addr::from(ip),
            port,
            flow,
            scope,
        )))
    }
}

/// The addresses of a list the core fetched, which is freed here.
pub(crate) fn take_list(list: AddrList) -> Vec<SocketAddr> {
    let count = usize::try_from(list.count).unwrap_or(0);
    // SAFETY: the core's block holds `len` bytes of `count` packed addresses, written by the
    // kernel and owned by `list` alone.
    let bytes = unsafe { core::slice::from_raw_parts(list.ptr.as_ptr().cast::<u8>(), list.len) };
    let out = match PackedAddrs::parse(bytes, count) {
        Ok(p) => p.iter().filter_map(from_packed).collect(),
        Err(_) => Vec::new(),
    };
    // SAFETY: the block came from the core's malloc and is not used after this.
    unsafe { crate::getaddrs::free(list.ptr.as_ptr()) };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_and_parsing_round_trip() {
        let addrs: Vec<SocketAddr> = [
            "127.0.0.1:9",
            "[::1]:10",
            "[fe80::1%3]:11",
            "10.1.2.3:65535",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let bytes = pack(&addrs);
        assert_eq!(bytes.len(), 16 + 28 + 28 + 16);
        let p = PackedAddrs::parse(&bytes, addrs.len()).unwrap();
        let back: Vec<SocketAddr> = p.iter().filter_map(from_packed).collect();
        assert_eq!(back, addrs);
    }
}
