//! The socket types on the real kernel SCTP stack.

use super::*;
use crate::notification::{self, AssocChangeState, Notification};
use std::net::{Ipv4Addr, Ipv6Addr};

fn v4(last: u8, port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::new(127, 0, 0, last), port))
}

/// The next notification of `fd` within 10 s, parsed to an owned association change.
fn comm_up_id(fd: BorrowedFd<'_>) -> AssocId {
    let mut buf = [0u8; 512];
    loop {
        crate::testutil::wait_readable(fd.as_raw_fd());
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        assert!(n > 0, "recv: {}", io::Error::last_os_error());
        if let Ok(Notification::AssocChange(c)) = notification::parse(&buf[..n as usize]) {
            assert_eq!(c.state, AssocChangeState::CommUp);
            return c.assoc_id;
        }
    }
}

fn subscribe_assoc_change(fd: BorrowedFd<'_>) {
    let mut ev = [0u8; 8];
    ev[4..6].copy_from_slice(&notification::kind::ASSOC_CHANGE.to_ne_bytes());
    ev[6] = 1;
    crate::testutil::setsockopt_bytes(fd.as_raw_fd(), 127, &ev);
}

fn cloexec(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: fcntl query with no pointer argument.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) & libc::FD_CLOEXEC != 0 }
}

#[test]
fn multihomed_connectx_and_peeloff() {
    let server = SctpSocket::bind(v4(1, 0)).unwrap();
    assert!(cloexec(server.as_fd()), "CLOEXEC by default, as std");
    let port = server.local_addrs(0).unwrap()[0].port();
    server
        .bindx(&[v4(2, port), v4(3, port)], BindOp::Add)
        .unwrap();
    let mut local = server.local_addrs(0).unwrap();
    local.sort();
    assert_eq!(local, vec![v4(1, port), v4(2, port), v4(3, port)]);
    subscribe_assoc_change(server.as_fd());
    server.listen(16).unwrap();

    let client = SctpSocket::new_v4().unwrap();
    let id = client.connectx(&local).unwrap();
    assert!(id > 0);
    let mut peers = client.peer_addrs(id).unwrap();
    peers.sort();
    assert_eq!(
        peers, local,
        "the association knows all three server addresses"
    );

    let sid = comm_up_id(server.as_fd());
    let stream = server.peeloff(sid, PeelOptions::default()).unwrap();
    assert!(cloexec(stream.as_fd()));
    let client_local = client.local_addrs(id).unwrap();
    assert_eq!(stream.peer_addrs().unwrap(), client_local);
    // The id has left the one-to-many socket.
    let e = server.peeloff(sid, PeelOptions::default()).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    let e = server.peer_addrs(sid).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
}

#[test]
fn one_to_one_listener_stream_and_shutdown() {
    let l = SctpListener::bind(v4(1, 0), 8).unwrap();
    let port = l.local_addrs().unwrap()[0].port();
    let c = SctpStream::connectx(&[v4(1, port)]).unwrap();
    let a = l.accept().unwrap();
    assert!(cloexec(a.as_fd()));
    assert_eq!(a.peer_addrs().unwrap(), c.local_addrs().unwrap());
    assert_eq!(c.peer_addrs().unwrap(), vec![v4(1, port)]);
    c.shutdown(std::net::Shutdown::Write).unwrap();
    crate::testutil::wait_readable(a.as_raw_fd());
    let mut b = [0u8; 8];
    // SAFETY: `b` is writable for its length.
    let n = unsafe { libc::recv(a.as_raw_fd(), b.as_mut_ptr().cast(), b.len(), 0) };
    assert_eq!(n, 0, "a one-to-one socket reads 0 at the peer's SHUTDOWN");
}

#[test]
fn ipv6_and_errors_are_the_kernels() {
    let s = SctpSocket::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, 0))).unwrap();
    let a = s.local_addrs(0).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].ip(), Ipv6Addr::LOCALHOST);
    // An empty address list: the core's EINVAL, nothing sent to the kernel.
    let e = s.bindx(&[], BindOp::Add).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    let e = SctpStream::connectx(&[]).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    // No such association.
    let e = s.peeloff(12345, PeelOptions::default()).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    // Descriptors round-trip through OwnedFd.
    let fd: OwnedFd = s.into();
    let s = SctpSocket::from(fd);
    assert!(s.local_addrs(0).is_ok());
}
