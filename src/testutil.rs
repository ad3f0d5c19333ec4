//! Test helpers on the real kernel SCTP stack (no mocks). When the kernel has no SCTP they panic
//! with the reason: `make test` runs these tests where SCTP exists (natively or in UML).

use core::ffi::c_int;
use core::mem::size_of;

use crate::sys::{self, sctp_sndrcvinfo};

/// socket(family, ty, IPPROTO_SCTP), or a loud failure naming the reason.
pub fn sctp_socket(family: c_int, ty: c_int) -> c_int {
    // SAFETY: plain syscall with integer arguments.
    let fd = unsafe { libc::socket(family, ty, libc::IPPROTO_SCTP) };
    if fd < 0 {
        panic!(
            "no kernel SCTP here: socket(IPPROTO_SCTP) failed: {}. Run the suite with \
             `make test`, which uses User-Mode Linux when the host kernel lacks SCTP.",
            std::io::Error::last_os_error()
        );
    }
    fd
}

pub fn close(fd: c_int) {
    // SAFETY: closing a descriptor this test owns.
    unsafe { libc::close(fd) };
}

/// (F_GETFL, F_GETFD) of `fd`.
pub fn fd_flags(fd: c_int) -> (c_int, c_int) {
    // SAFETY: fcntl queries with no pointer arguments.
    unsafe {
        (
            libc::fcntl(fd, libc::F_GETFL),
            libc::fcntl(fd, libc::F_GETFD),
        )
    }
}

pub fn setsockopt_bytes(fd: c_int, opt: c_int, val: &[u8]) {
    // SAFETY: `val` is readable for its length.
    let r = unsafe {
        libc::setsockopt(
            fd,
            sys::SOL_SCTP,
            opt,
            val.as_ptr().cast(),
            val.len() as libc::socklen_t,
        )
    };
    assert_eq!(
        r,
        0,
        "setsockopt {opt}: {}",
        std::io::Error::last_os_error()
    );
}

pub fn getsockopt_bytes(fd: c_int, opt: c_int, val: &mut [u8]) {
    let mut len = val.len() as libc::socklen_t;
    // SAFETY: `val` is writable for `len` bytes.
    let r = unsafe { libc::getsockopt(fd, sys::SOL_SCTP, opt, val.as_mut_ptr().cast(), &mut len) };
    assert_eq!(
        r,
        0,
        "getsockopt {opt}: {}",
        std::io::Error::last_os_error()
    );
}

pub fn sockaddr_v4(port: u16) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from_be_bytes([127, 0, 0, 1]).to_be(),
        },
        sin_zero: [0; 8],
    }
}

pub fn local_port(fd: c_int) -> u16 {
    let mut a = sockaddr_v4(0);
    let mut len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: `a` is a writable sockaddr_in of `len` bytes.
    let r = unsafe { libc::getsockname(fd, (&mut a as *mut libc::sockaddr_in).cast(), &mut len) };
    assert_eq!(r, 0);
    u16::from_be(a.sin_port)
}

/// Association id of the association of `fd` whose peer is 127.0.0.1:`port`
/// (SCTP_GET_PEER_ADDR_INFO).
fn assoc_to(fd: c_int, port: u16) -> i32 {
    // struct sctp_paddrinfo: assoc id, sockaddr_storage, five 32-bit fields (packed): 152 bytes.
    let mut info = [0u8; 152];
    let a = sockaddr_v4(port);
    info[4..6].copy_from_slice(&a.sin_family.to_ne_bytes());
    info[6..8].copy_from_slice(&a.sin_port.to_ne_bytes());
    info[8..12].copy_from_slice(&a.sin_addr.s_addr.to_ne_bytes());
    getsockopt_bytes(fd, libc::SCTP_GET_PEER_ADDR_INFO, &mut info);
    i32::from_ne_bytes([info[0], info[1], info[2], info[3]])
}

/// The only association of `fd` (SCTP_GET_ASSOC_ID_LIST).
fn only_assoc(fd: c_int) -> i32 {
    let mut ids = [0u8; 32];
    getsockopt_bytes(fd, libc::SCTP_GET_ASSOC_ID_LIST, &mut ids);
    assert_eq!(u32::from_ne_bytes([ids[0], ids[1], ids[2], ids[3]]), 1);
    i32::from_ne_bytes([ids[4], ids[5], ids[6], ids[7]])
}

/// A one-to-many server on 127.0.0.1 and a one-to-many client associated with it; the server
/// receives sctp_sndrcvinfo with its data.
pub struct Pair {
    pub server: c_int,
    pub client: c_int,
    pub server_port: u16,
    pub server_assoc: i32,
    pub client_assoc: i32,
    owns_client: bool,
}

impl Pair {
    pub fn new() -> Pair {
        let client = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        let mut p = Pair::with_client(client);
        p.owns_client = true;
        p
    }

    /// A new server, associated with an existing client socket (which this Pair does not close).
    pub fn with_client(client: c_int) -> Pair {
        let server = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        let a = sockaddr_v4(0);
        let alen = size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: `a` is a valid sockaddr_in of `alen` bytes.
        unsafe {
            assert_eq!(
                libc::bind(server, (&a as *const libc::sockaddr_in).cast(), alen),
                0
            );
            assert_eq!(libc::listen(server, 8), 0);
        }
        setsockopt_bytes(server, libc::SCTP_EVENTS, &[1]);
        let server_port = local_port(server);
        let to = sockaddr_v4(server_port);
        // SAFETY: `to` is a valid sockaddr_in of `alen` bytes.
        let r = unsafe { libc::connect(client, (&to as *const libc::sockaddr_in).cast(), alen) };
        assert_eq!(r, 0, "connect: {}", std::io::Error::last_os_error());
        Pair {
            server,
            client,
            server_port,
            server_assoc: only_assoc(server),
            client_assoc: assoc_to(client, server_port),
            owns_client: false,
        }
    }

    /// Proves `fd` (peeled off the server) sends to and receives from the client.
    pub fn roundtrip_via(&self, fd: c_int) {
        setsockopt_bytes(self.client, libc::SCTP_EVENTS, &[1]);
        // SAFETY: the buffer is readable for its length.
        let n = unsafe { libc::send(fd, b"from-peeled".as_ptr().cast(), 11, 0) };
        assert_eq!(n, 11);
        let (data, got) = recv_sinfo(self.client);
        assert_eq!(data, b"from-peeled");
        assert_eq!(got.sinfo_assoc_id, self.client_assoc);
        let mut si: sctp_sndrcvinfo = zeroed_sinfo();
        si.sinfo_assoc_id = self.client_assoc;
        crate::send::send(
            self.client,
            crate::send::UserBuf::from_slice(b"to-peeled"),
            Some(&si),
            0,
        )
        .unwrap();
        wait_readable(fd);
        let mut buf = [0u8; 64];
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
        assert_eq!(&buf[..n as usize], b"to-peeled");
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        close(self.server);
        if self.owns_client {
            close(self.client);
        }
    }
}

pub fn zeroed_sinfo() -> sctp_sndrcvinfo {
    sctp_sndrcvinfo {
        sinfo_stream: 0,
        sinfo_ssn: 0,
        sinfo_flags: 0,
        sinfo_ppid: 0,
        sinfo_context: 0,
        sinfo_timetolive: 0,
        sinfo_tsn: 0,
        sinfo_cumtsn: 0,
        sinfo_assoc_id: 0,
    }
}

pub fn wait_readable(fd: c_int) {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, 10_000) };
    assert_eq!(r, 1, "fd {fd} not readable within 10 s");
}

/// Receives the next data message of `fd` (notifications skipped) with its SCTP_SNDRCV info.
pub fn recv_sinfo(fd: c_int) -> (Vec<u8>, sctp_sndrcvinfo) {
    loop {
        wait_readable(fd);
        let mut data = [0u8; 256];
        let mut ctl = [0u8; 256];
        let mut iov = libc::iovec {
            iov_base: data.as_mut_ptr().cast(),
            iov_len: data.len(),
        };
        // SAFETY: all-zero msghdr is valid; every pointer set below outlives the call.
        let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
        m.msg_iov = &mut iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.as_mut_ptr().cast();
        m.msg_controllen = ctl.len();
        // SAFETY: `m` describes buffers of this frame.
        let n = unsafe { libc::recvmsg(fd, &mut m, 0) };
        assert!(n >= 0, "recvmsg: {}", std::io::Error::last_os_error());
        if m.msg_flags & libc::MSG_NOTIFICATION != 0 {
            continue;
        }
        let mut info = zeroed_sinfo();
        // SAFETY: the CMSG_* macros stay within msg_controllen bytes of `ctl`.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&m);
            while !c.is_null() {
                if (*c).cmsg_level == sys::IPPROTO_SCTP && (*c).cmsg_type == sys::SCTP_SNDRCV {
                    info = libc::CMSG_DATA(c)
                        .cast::<sctp_sndrcvinfo>()
                        .read_unaligned();
                }
                c = libc::CMSG_NXTHDR(&m, c);
            }
        }
        return (data[..n as usize].to_vec(), info);
    }
}
