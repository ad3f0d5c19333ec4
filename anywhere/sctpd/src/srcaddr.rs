//! Source addresses for the stack's UDP packets. usrsctp chooses each packet's source address
//! (one of the association's local addresses) and writes it into the IP header it builds, but
//! in UDP encapsulation it then drops that header and hands the payload to sendmsg(2) with no
//! control data, so the kernel picks the source by its routes: on a multi-homed endpoint the
//! peer sees packets from an address the association does not have, and drops them (an ABORT
//! answering an INIT sent to the wrong one of several addresses, a multi-homed peer's SACKs).
//!
//! sctpd defines `sendmsg` itself (exported from the executable, so it comes before libc's for
//! libusrsctp too). For a send on one of the stack's UDP sockets with no control data, from an
//! SCTP port whose endpoint is bound to addresses of its own, it reads the IP and UDP headers
//! usrsctp left just before the payload (in the same buffer: usrsctp trims them off the front
//! of its first mbuf), checks that they are what it sends (the same destination address and
//! port), and passes their source address as IP_PKTINFO / IPV6_PKTINFO. An endpoint bound to
//! the wildcard address leaves the choice to the kernel's routes, as Linux's SCTP does (the
//! route's preferred source, where usrsctp would take the last address it knows). Anything
//! else goes to the kernel unchanged.

use core::sync::atomic::{AtomicI32, AtomicU64, Ordering};

static UDP4: AtomicI32 = AtomicI32::new(-1);
static UDP6: AtomicI32 = AtomicI32::new(-1);

/// SCTP ports whose endpoint is bound to specific addresses (one bit per port).
static SPECIFIC: [AtomicU64; 1024] = [const { AtomicU64::new(0) }; 1024];

/// Records whether the endpoint on SCTP port `port` is bound to specific addresses.
pub fn set_port_specific(port: u16, specific: bool) {
    let (w, b) = (usize::from(port) / 64, 1u64 << (port % 64));
    if let Some(x) = SPECIFIC.get(w) {
        if specific {
            x.fetch_or(b, Ordering::Relaxed);
        } else {
            x.fetch_and(!b, Ordering::Relaxed);
        }
    }
}

fn port_specific(port: u16) -> bool {
    let (w, b) = (usize::from(port) / 64, 1u64 << (port % 64));
    SPECIFIC
        .get(w)
        .is_some_and(|x| x.load(Ordering::Relaxed) & b != 0)
}

const IP4_HDR: usize = 20;
const IP6_HDR: usize = 40;
const UDP_HDR: usize = 8;

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
    // SAFETY: the first iovec holds the SCTP common header, which begins with the source port.
    let sport = u16::from_be_bytes(unsafe {
        [
            *first.iov_base.cast::<u8>(),
            *first.iov_base.cast::<u8>().add(1),
        ]
    });
    if !port_specific(sport) {
        return None;
    }
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
        if src == [0u8; 16] {
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
        if src == 0 {
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
