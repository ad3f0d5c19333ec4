//! Source addresses for the stack's UDP packets. usrsctp chooses each packet's source address
//! (one of the association's local addresses) and writes it into the IP header it builds, but
//! in UDP encapsulation it then drops that header and hands the payload to sendmsg(2) with no
//! control data, so the kernel picks the source by its routes: on a multi-homed endpoint the
//! peer sees packets from an address the association does not have, and drops them (an ABORT
//! answering an INIT sent to the wrong one of several addresses, a multi-homed peer's SACKs).
//!
//! sctpd defines `sendmsg` itself (exported from the executable, so it comes before libc's for
//! libusrsctp too) and picks the source as Linux's SCTP does (sctp_v4_get_dst): the kernel
//! route's preferred source when the endpoint may use it (bound to the wildcard address, or
//! to that address among others); else usrsctp's choice, one of the endpoint's own addresses,
//! which it reads from the IP and UDP headers usrsctp left just before the payload (in the same
//! buffer: usrsctp trims them off the front of its first mbuf), checked to be what it sends
//! (the same destination address and port), and passes as IP_PKTINFO / IPV6_PKTINFO. The
//! answer to an out-of-the-blue packet (an ABORT or SHUTDOWN COMPLETE with the T bit) always
//! leaves from the address that packet went to (usrsctp's choice), as the peer expects.
//! Anything else goes to the kernel unchanged.

use core::sync::atomic::{AtomicI32, Ordering};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static UDP4: AtomicI32 = AtomicI32::new(-1);
static UDP6: AtomicI32 = AtomicI32::new(-1);

const IP4_HDR: usize = 20;
const IP6_HDR: usize = 40;
const UDP_HDR: usize = 8;
const CHUNK_ABORT: u8 = 6;
const CHUNK_SHUTDOWN_COMPLETE: u8 = 14;

/// Finds the stack's UDP sockets (bound to `port`) among the process's descriptors, once the
/// stack has started.
pub fn find_stack_sockets(port: u16) {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for e in dir.flatten() {
        let Some(fd) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        // SAFETY: sockaddr_storage is plain data; getsockname writes at most its size.
        let mut ss: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
        let mut len = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: ss and len are valid out-pointers (a descriptor that is no socket fails).
        if unsafe { libc::getsockname(fd, (&raw mut ss).cast(), &mut len) } < 0 {
            continue;
        }
        let mut ty: libc::c_int = 0;
        let mut tl = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: ty and tl are valid out-pointers.
        let r = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_TYPE,
                (&raw mut ty).cast(),
                &mut tl,
            )
        };
        if r < 0 || ty != libc::SOCK_DGRAM {
            continue;
        }
        // The port sits at the same offset in sockaddr_in and sockaddr_in6.
        let bound = u16::from_be(
            // SAFETY: both layouts start with the family, then the port.
            unsafe { (*(&raw const ss).cast::<libc::sockaddr_in>()).sin_port },
        );
        if bound != port {
            continue;
        }
        match i32::from(ss.ss_family) {
            libc::AF_INET => UDP4.store(fd, Ordering::Relaxed),
            libc::AF_INET6 => UDP6.store(fd, Ordering::Relaxed),
            _ => {}
        }
    }
    crate::biglock::set_stack_sockets(UDP4.load(Ordering::Relaxed), UDP6.load(Ordering::Relaxed));
}

/// How sctpd's endpoints use each SCTP port: bound to the wildcard address (None) or to these
/// addresses (4 or 16 bytes; IPv4 ones plain). A port not here has no endpoint.
type Ports = HashMap<u16, Option<Vec<Vec<u8>>>>;
static PORTS: Mutex<Option<Ports>> = Mutex::new(None);

/// The kernel's source address for a destination (4 or 16 bytes), as its routes choose it,
/// looked up once a while.
type RouteCache = HashMap<Vec<u8>, (Vec<u8>, Instant)>;
static ROUTES: Mutex<Option<RouteCache>> = Mutex::new(None);
const ROUTE_TTL: Duration = Duration::from_secs(5);

/// Records how the endpoints on SCTP port `port` are bound: None, no endpoint; Some(None), the
/// wildcard address; Some(Some(addrs)), those addresses.
pub fn set_port(port: u16, used: Option<Option<Vec<Vec<u8>>>>) {
    let Ok(mut g) = PORTS.lock() else { return };
    let m = g.get_or_insert_with(HashMap::new);
    match used {
        Some(u) => {
            m.insert(port, u.map(|a| a.iter().map(|x| raw_addr(x)).collect()));
        }
        None => {
            m.remove(&port);
        }
    }
}

/// The address bytes of a sockaddr_in / sockaddr_in6 (a v4-mapped one as IPv4).
fn raw_addr(sa: &[u8]) -> Vec<u8> {
    let fam = sa
        .get(..2)
        .map_or(0, |f| i32::from(u16::from_ne_bytes([f[0], f[1]])));
    match fam {
        libc::AF_INET => sa.get(4..8).unwrap_or(&[]).to_vec(),
        libc::AF_INET6 => {
            let a = sa.get(8..24).unwrap_or(&[]);
            if a.len() == 16 && a[..12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
                a[12..].to_vec()
            } else {
                a.to_vec()
            }
        }
        _ => Vec::new(),
    }
}

/// The kernel's source address toward `dst` (a sockaddr_in / sockaddr_in6 of `len` bytes).
fn route_source(dst: *const libc::sockaddr, len: u32, v6: bool) -> Option<Vec<u8>> {
    // SAFETY: dst points to `len` bytes of a socket address (the caller's msg_name).
    let key = unsafe { core::slice::from_raw_parts(dst.cast::<u8>(), len as usize) };
    let key = raw_addr(key);
    if let Ok(g) = ROUTES.lock()
        && let Some((src, at)) = g.as_ref().and_then(|m| m.get(&key))
        && at.elapsed() < ROUTE_TTL
    {
        return Some(src.clone());
    }
    let fam = if v6 { libc::AF_INET6 } else { libc::AF_INET };
    // SAFETY: a datagram socket of our own, closed below; connect only consults the routes.
    let fd = unsafe { libc::socket(fam, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: sockaddr_storage is plain data.
    let mut ss: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
    let mut sl = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: dst is `len` bytes; ss and sl are valid out-pointers.
    let ok = unsafe {
        libc::connect(fd, dst, len) == 0
            && libc::getsockname(fd, (&raw mut ss).cast(), &mut sl) == 0
    };
    // SAFETY: our descriptor.
    unsafe { libc::close(fd) };
    if !ok {
        return None;
    }
    // SAFETY: ss holds sl bytes of the socket's address.
    let src =
        raw_addr(unsafe { core::slice::from_raw_parts((&raw const ss).cast::<u8>(), sl as usize) });
    if let Ok(mut g) = ROUTES.lock() {
        let m = g.get_or_insert_with(HashMap::new);
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, (src.clone(), Instant::now()));
    }
    Some(src)
}

/// Whether a packet of SCTP port `port` to `dst` leaves from `src`, usrsctp's choice, rather
/// than from the kernel's: an answer to an out-of-the-blue packet (`ootb`; or an `answer`, an
/// ABORT or SHUTDOWN COMPLETE, from a port no endpoint has) leaves from the address that packet
/// went to; an endpoint bound to specific addresses uses the route's source if it is one of
/// them (Linux's rule), else usrsctp's; one bound to the wildcard, or being bound as it sends
/// its first packet, the route's.
fn keep_stack_choice(
    port: u16,
    src: &[u8],
    (ootb, answer): (bool, bool),
    dst: *const libc::sockaddr,
    len: u32,
    v6: bool,
) -> bool {
    if ootb {
        return true;
    }
    let bound = match PORTS.lock() {
        Ok(g) => match g.as_ref().and_then(|m| m.get(&port)) {
            None => return answer,
            Some(None) => return false,
            Some(Some(b)) => b.clone(),
        },
        Err(_) => return false,
    };
    !bound.iter().any(|b| b == src)
        || route_source(dst, len, v6).is_none_or(|r| !bound.contains(&r))
}

/// The `n` bytes before `p`, if readable: from `p`'s own page without a check, else through
/// process_vm_readv (which fails instead of faulting).
fn bytes_before(p: *const u8, n: usize) -> Option<Vec<u8>> {
    let start = (p as usize).checked_sub(n)?;
    let mut out = vec![0u8; n];
    if (p as usize) & 4095 >= n {
        // SAFETY: [start, p) lies in the page of p, which is mapped (p's bytes are being sent).
        unsafe { core::ptr::copy_nonoverlapping(start as *const u8, out.as_mut_ptr(), n) };
        return Some(out);
    }
    let local = libc::iovec {
        iov_base: out.as_mut_ptr().cast(),
        iov_len: n,
    };
    let remote = libc::iovec {
        iov_base: start as *mut libc::c_void,
        iov_len: n,
    };
    // SAFETY: reads our own memory into `out`; an unmapped range is an error, not a fault.
    let r = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
    (r == n as isize).then_some(out)
}

/// The source address usrsctp chose for the packet `m` sends on UDP socket `fd`, as a cmsg
/// buffer (IP_PKTINFO or IPV6_PKTINFO), if `m` is such a packet and its headers check out.
fn pktinfo(fd: i32, m: &libc::msghdr) -> Option<Vec<u64>> {
    let v6 = if fd == UDP4.load(Ordering::Relaxed) {
        false
    } else if fd == UDP6.load(Ordering::Relaxed) {
        true
    } else {
        return None;
    };
    if !m.msg_control.is_null() || m.msg_iovlen == 0 || m.msg_name.is_null() {
        return None;
    }
    // SAFETY: msg_iov holds msg_iovlen iovecs (the caller's contract with sendmsg).
    let first = unsafe { &*m.msg_iov };
    if first.iov_len < 2 {
        return None;
    }
    // SAFETY: the first iovec holds the SCTP common header (12 bytes: the source port first)
    // and, when it is 16 bytes or more, the first chunk's header (type, flags).
    let head =
        unsafe { core::slice::from_raw_parts(first.iov_base.cast::<u8>(), first.iov_len.min(16)) };
    let sport = u16::from_be_bytes([head[0], head[1]]);
    // An answer to an out-of-the-blue packet (an ABORT or SHUTDOWN COMPLETE that reflects the
    // tag: T bit) leaves from the address that packet was sent to, which is usrsctp's choice.
    let answer =
        head.len() >= 16 && (head[12] == CHUNK_ABORT || head[12] == CHUNK_SHUTDOWN_COMPLETE);
    let ootb = answer && head[13] & 1 != 0;
    let ip_len = if v6 { IP6_HDR } else { IP4_HDR };
    let h = bytes_before(first.iov_base.cast::<u8>(), ip_len + UDP_HDR)?;
    let udp_dport = [h[ip_len + 2], h[ip_len + 3]];
    if v6 {
        if m.msg_namelen as usize != core::mem::size_of::<libc::sockaddr_in6>() {
            return None;
        }
        // SAFETY: msg_name holds a sockaddr_in6 (its length checked).
        let dst = unsafe { &*m.msg_name.cast::<libc::sockaddr_in6>() };
        if h[0] >> 4 != 6
            || h[6] != libc::IPPROTO_UDP as u8
            || h[24..40] != dst.sin6_addr.s6_addr
            || u16::from_ne_bytes(udp_dport) != dst.sin6_port
        {
            return None;
        }
        let mut src = [0u8; 16];
        src.copy_from_slice(&h[8..24]);
        let key = if src[..12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            &src[12..]
        } else {
            &src[..]
        };
        if src == [0u8; 16]
            || !keep_stack_choice(
                sport,
                key,
                (ootb, answer),
                m.msg_name.cast(),
                m.msg_namelen,
                v6,
            )
        {
            return None;
        }
        let info = libc::in6_pktinfo {
            ipi6_addr: libc::in6_addr { s6_addr: src },
            ipi6_ifindex: 0,
        };
        Some(cmsg(libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, &info))
    } else {
        if m.msg_namelen as usize != core::mem::size_of::<libc::sockaddr_in>() {
            return None;
        }
        // SAFETY: msg_name holds a sockaddr_in (its length checked).
        let dst = unsafe { &*m.msg_name.cast::<libc::sockaddr_in>() };
        if h[0] >> 4 != 4
            || h[9] != libc::IPPROTO_UDP as u8
            || h[16..20] != dst.sin_addr.s_addr.to_ne_bytes()
            || u16::from_ne_bytes(udp_dport) != dst.sin_port
        {
            return None;
        }
        let src = u32::from_ne_bytes([h[12], h[13], h[14], h[15]]);
        if src == 0
            || !keep_stack_choice(
                sport,
                &h[12..16],
                (ootb, answer),
                m.msg_name.cast(),
                m.msg_namelen,
                v6,
            )
        {
            return None;
        }
        let info = libc::in_pktinfo {
            ipi_ifindex: 0,
            ipi_spec_dst: libc::in_addr { s_addr: src },
            ipi_addr: libc::in_addr { s_addr: 0 },
        };
        Some(cmsg(libc::IPPROTO_IP, libc::IP_PKTINFO, &info))
    }
}

/// One cmsg of `level`/`ty` carrying `v`, in an aligned buffer.
fn cmsg<T>(level: i32, ty: i32, v: &T) -> Vec<u64> {
    let n = core::mem::size_of::<T>() as u32;
    // SAFETY: CMSG_SPACE/CMSG_LEN are arithmetic.
    let (space, len) = unsafe { (libc::CMSG_SPACE(n) as usize, libc::CMSG_LEN(n) as usize) };
    let mut buf = vec![0u64; space.div_ceil(8)];
    // SAFETY: buf is `space` bytes, aligned for cmsghdr; one header and `n` bytes fit.
    unsafe {
        let c = buf.as_mut_ptr().cast::<libc::cmsghdr>();
        (*c).cmsg_level = level;
        (*c).cmsg_type = ty;
        (*c).cmsg_len = len;
        core::ptr::copy_nonoverlapping(
            (v as *const T).cast::<u8>(),
            libc::CMSG_DATA(c),
            n as usize,
        );
    }
    buf
}

/// sendmsg(2) for the whole process: the stack's UDP packets leave from the source address the
/// stack chose; every other call is the system call itself.
///
/// # Safety
/// As sendmsg(2): `msg` points to a valid msghdr whose buffers are readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendmsg(fd: i32, msg: *const libc::msghdr, flags: i32) -> isize {
    let with = if msg.is_null() {
        None
    } else {
        // SAFETY: msg is valid (the caller's contract).
        let m = unsafe { &*msg };
        pktinfo(fd, m).map(|c| (*m, c))
    };
    match with {
        Some((mut m, mut c)) => {
            m.msg_control = c.as_mut_ptr().cast();
            m.msg_controllen = c.len() * 8;
            // SAFETY: m is the caller's msghdr with our control buffer, live for the call.
            unsafe { libc::syscall(libc::SYS_sendmsg, fd, &raw const m, flags) as isize }
        }
        // SAFETY: the caller's arguments, passed on unchanged.
        None => unsafe { libc::syscall(libc::SYS_sendmsg, fd, msg, flags) as isize },
    }
}
