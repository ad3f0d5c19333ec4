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
        assert!(n > 0, "recv: {}", stdio::Error::last_os_error());
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

/// A one-to-many server on 127.0.0.1 (association events on, RCVINFO on) and its port.
fn server() -> (SctpSocket, u16) {
    let s = SctpSocket::bind(v4(1, 0)).unwrap();
    subscribe_assoc_change(s.as_fd());
    s.set_recv_rcvinfo(true).unwrap();
    s.listen(16).unwrap();
    let port = s.local_addrs(0).unwrap()[0].port();
    (s, port)
}

/// The next data message of a socket, skipping notifications.
fn next_data(recv: impl Fn(&mut [u8]) -> stdio::Result<Received>) -> (Vec<u8>, Received) {
    let mut buf = [0u8; 256];
    loop {
        let r = recv(&mut buf).unwrap();
        if !r.notification {
            return (buf[..r.len].to_vec(), r);
        }
    }
}

#[test]
fn a_peeled_off_association_keeps_its_stream_order() {
    let (srv, port) = server();
    let client = SctpSocket::new_v4().unwrap();
    let id = client.connectx(&[v4(1, port)]).unwrap();
    let sid = comm_up_id(srv.as_fd());
    // Interleaved on two streams, sent before the peel-off: they move with the association.
    for i in 0..3u8 {
        for stream in [1u16, 2] {
            let info = SendInfo {
                assoc_id: id,
                ..SendInfo::on_stream(stream, u32::from(i).to_be())
            };
            let msg = [b's', b'0' + stream as u8, b'm', b'0' + i];
            assert_eq!(client.send(&msg, &info).unwrap(), 4);
        }
    }
    let peeled = srv.peeloff(sid, PeelOptions::default()).unwrap();
    let mut next_ssn = [0u16; 3];
    for _ in 0..6 {
        crate::testutil::wait_readable(peeled.as_raw_fd());
        let (data, r) = next_data(|b| peeled.recv(b));
        assert!(r.eor);
        let info = r.rcvinfo.expect("RCVINFO is inherited from the listener");
        let stream = usize::from(info.stream);
        assert_eq!(
            data,
            [
                b's',
                b'0' + stream as u8,
                b'm',
                b'0' + next_ssn[stream] as u8
            ]
        );
        assert_eq!(info.ssn, next_ssn[stream], "stream {stream} in order");
        assert_eq!(u32::from_be(info.ppid), u32::from(next_ssn[stream]));
        next_ssn[stream] += 1;
        assert_eq!(r.from, Some(client.local_addrs(id).unwrap()[0]));
    }
    assert_eq!(next_ssn, [0, 3, 3]);
}

#[test]
fn an_association_id_beats_an_address() {
    let (a, pa) = server();
    let (b, pb) = server();
    let client = SctpSocket::new_v4().unwrap();
    let ida = client.connectx(&[v4(1, pa)]).unwrap();
    let idb = client.connectx(&[v4(1, pb)]).unwrap();
    assert_ne!(ida, idb);
    comm_up_id(a.as_fd());
    comm_up_id(b.as_fd());
    // Addressed to B, but with A's association id: it goes to A.
    let info = SendInfo {
        assoc_id: ida,
        ..SendInfo::on_stream(0, 0)
    };
    assert_eq!(client.send_to(b"to-a", &[v4(1, pb)], &info).unwrap(), 4);
    // Without an id the address decides.
    let info = SendInfo::on_stream(0, 0);
    assert_eq!(client.send_to(b"to-b", &[v4(1, pb)], &info).unwrap(), 4);
    crate::testutil::wait_readable(a.as_raw_fd());
    assert_eq!(next_data(|buf| a.recv(buf)).0, b"to-a");
    crate::testutil::wait_readable(b.as_raw_fd());
    assert_eq!(next_data(|buf| b.recv(buf)).0, b"to-b");
}

#[test]
fn partial_reads_unordered_nxtinfo_and_vectored_io() {
    let (srv, port) = server();
    srv.set_recv_nxtinfo(true).unwrap();
    let client = SctpSocket::new_v4().unwrap();
    let id = client.connectx(&[v4(1, port)]).unwrap();
    comm_up_id(srv.as_fd());
    let info = SendInfo {
        assoc_id: id,
        flags: SendFlags::UNORDERED,
        pr: Some(PrPolicy::Rtx(3)),
        ..SendInfo::on_stream(3, 9)
    };
    let parts = [IoSlice::new(b"hello, "), IoSlice::new(b"world")];
    assert_eq!(client.send_vectored(&parts, &info).unwrap(), 12);
    let info = SendInfo {
        assoc_id: id,
        ..SendInfo::on_stream(4, 10)
    };
    assert_eq!(client.send(b"second", &info).unwrap(), 6);
    std::thread::sleep(std::time::Duration::from_millis(200));
    // 5 bytes first: not the end of the message.
    let mut small = [0u8; 5];
    let r = srv.recv(&mut small).unwrap();
    assert_eq!(
        (&small[..r.len], r.eor, r.notification),
        (&b"hello"[..], false, false)
    );
    let rcv = r.rcvinfo.unwrap();
    assert_eq!(
        (
            rcv.stream,
            rcv.ppid,
            rcv.flags & libc::SCTP_UNORDERED as u16 != 0
        ),
        (3, 9, true)
    );
    // The rest, scattered over two buffers, and what is queued next.
    let (mut x, mut y) = ([0u8; 3], [0u8; 16]);
    let r = srv
        .recv_vectored(&mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)])
        .unwrap();
    assert_eq!((r.len, r.eor), (7, true));
    assert_eq!((&x[..], &y[..4]), (&b", w"[..], &b"orld"[..]));
    let nxt = r.nxtinfo.expect("the second message is queued");
    assert_eq!((nxt.stream, nxt.ppid, nxt.length), (4, 10, 6));
    let (data, r) = next_data(|b| srv.recv(b));
    assert_eq!(
        (data.as_slice(), r.rcvinfo.unwrap().stream),
        (&b"second"[..], 4)
    );
}

#[test]
fn typed_options_on_the_kernel() {
    let (srv, port) = server();
    let client = SctpSocket::new_v4().unwrap();
    // Fewer outbound streams than the default 10, asked for before the setup.
    let init = InitMsg {
        num_ostreams: 5,
        max_instreams: 7,
        max_attempts: 3,
        max_init_timeo: 2000,
    };
    client.set_initmsg(&init).unwrap();
    assert_eq!(client.initmsg().unwrap(), init);
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
    client.set_autoclose(30).unwrap();
    assert_eq!(client.autoclose().unwrap(), 30);
    let id = client.connectx(&[v4(1, port)]).unwrap();
    comm_up_id(srv.as_fd());

    let st = client.status(id).unwrap();
    assert_eq!((st.assoc_id, st.state), (id, AssocState::Established));
    assert_eq!(st.outstreams, 5);
    assert_eq!(st.primary.addr, Some(v4(1, port)));
    assert_eq!(st.primary.state, PathState::Active);
    let pa = client.peer_addr_info(id, v4(1, port)).unwrap();
    assert_eq!(
        (pa.assoc_id, pa.state, pa.addr),
        (id, PathState::Active, Some(v4(1, port)))
    );
    assert!(pa.mtu > 0 && pa.rto > 0, "{pa:?}");

    let rto = RtoInfo {
        initial: 500,
        max: 4000,
        min: 200,
    };
    client.set_rto_info(id, &rto).unwrap();
    assert_eq!(client.rto_info(id).unwrap(), rto);
    let mut ap = client.assoc_params(id).unwrap();
    assert_eq!(ap.peer_destinations, 1);
    ap.max_retrans = 4;
    client.set_assoc_params(id, &ap).unwrap();
    assert_eq!(client.assoc_params(id).unwrap().max_retrans, 4);

    // The association's default send info applies to a plain sendto without one.
    let dflt = SendInfo {
        assoc_id: id,
        ..SendInfo::on_stream(2, 77)
    };
    client.set_default_send_info(&dflt).unwrap();
    let to = crate::testutil::sockaddr_v4(port);
    // SAFETY: the buffer is readable for its length, `to` a valid sockaddr_in.
    let n = unsafe {
        libc::sendto(
            client.as_raw_fd(),
            b"plain".as_ptr().cast(),
            5,
            0,
            (&to as *const libc::sockaddr_in).cast(),
            core::mem::size_of_val(&to) as libc::socklen_t,
        )
    };
    assert_eq!(n, 5, "sendto: {}", stdio::Error::last_os_error());
    crate::testutil::wait_readable(srv.as_raw_fd());
    let (data, r) = next_data(|b| srv.recv(b));
    let rcv = r.rcvinfo.unwrap();
    assert_eq!(
        (data.as_slice(), rcv.stream, rcv.ppid),
        (&b"plain"[..], 2, 77)
    );

    // Socket-level options.
    client.set_send_buffer_size(65536).unwrap();
    assert!(client.send_buffer_size().unwrap() >= 65536);
    client.set_recv_buffer_size(65536).unwrap();
    assert!(client.recv_buffer_size().unwrap() >= 65536);
    client.set_reuse_address(true).unwrap();

    // The kernel's errors: an unknown association.
    let e = client.status(999_999).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    let e = client.rto_info(999_999).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
}

#[test]
fn send_to_several_addresses_sets_up_through_the_extra_ones() {
    // scripts/test-net.sh routes 127.0.1.0/24 nowhere: with the blackhole first, the association
    // still comes up, through the other addresses (they reach the kernel as extra addresses).
    let (srv, port) = server();
    let client = SctpSocket::new_v4().unwrap();
    client
        .set_initmsg(&InitMsg {
            num_ostreams: 10,
            max_instreams: 10,
            max_attempts: 4,
            max_init_timeo: 500,
        })
        .unwrap();
    let blackhole = SocketAddr::from((Ipv4Addr::new(127, 0, 1, 1), port));
    let to = [blackhole, v4(1, port)];
    let n = client
        .send_to(b"via-extra", &to, &SendInfo::default())
        .unwrap();
    assert_eq!(n, 9);
    for _ in 0..2 {
        crate::testutil::wait_readable(srv.as_raw_fd());
        let mut buf = [0u8; 512];
        let r = srv.recv(&mut buf).unwrap();
        if !r.notification {
            assert_eq!(&buf[..r.len], b"via-extra");
            return;
        }
    }
    panic!("the message did not arrive");
}

#[test]
fn bindx_remove_peeloff_nonblocking_and_reuse_port() {
    let s = SctpSocket::bind(v4(1, 0)).unwrap();
    let port = s.local_addrs(0).unwrap()[0].port();
    s.bindx(&[v4(2, port)], BindOp::Add).unwrap();
    s.bindx(&[v4(1, port)], BindOp::Remove).unwrap();
    assert_eq!(s.local_addrs(0).unwrap(), vec![v4(2, port)]);
    // The last address cannot go (the kernel's EBUSY).
    let e = s.bindx(&[v4(2, port)], BindOp::Remove).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EBUSY));
    subscribe_assoc_change(s.as_fd());
    s.listen(4).unwrap();
    let c = SctpSocket::new_v4().unwrap();
    c.connectx(&[v4(2, port)]).unwrap();
    let sid = comm_up_id(s.as_fd());
    let opts = PeelOptions {
        cloexec: false,
        nonblocking: true,
    };
    let p = s.peeloff(sid, opts).unwrap();
    assert!(!cloexec(p.as_fd()));
    // SAFETY: fcntl query with no pointer argument.
    let fl = unsafe { libc::fcntl(p.as_raw_fd(), libc::F_GETFL) };
    assert!(fl & libc::O_NONBLOCK != 0);
    let mut buf = [0u8; 8];
    let e = p.recv(&mut buf).unwrap_err();
    assert_eq!(
        e.kind(),
        stdio::ErrorKind::WouldBlock,
        "nothing queued: EAGAIN"
    );
    // SO_REUSEPORT: two sockets on one port.
    let a = SctpSocket::new_v4().unwrap();
    let b = SctpSocket::new_v4().unwrap();
    a.set_reuse_port(true).unwrap();
    b.set_reuse_port(true).unwrap();
    bind_fd(a.as_fd(), &v4(1, 0)).unwrap();
    let shared = a.local_addrs(0).unwrap()[0];
    bind_fd(b.as_fd(), &shared).unwrap();
}

#[test]
fn eof_and_abort_flags_end_an_association() {
    let (srv, port) = server();
    // EOF: a graceful shutdown, the peer sees SHUTDOWN_COMP.
    let c = SctpSocket::new_v4().unwrap();
    let id = c.connect(v4(1, port)).unwrap();
    let sid = comm_up_id(srv.as_fd());
    let eof = SendInfo {
        assoc_id: id,
        flags: SendFlags::EOF,
        ..SendInfo::default()
    };
    assert_eq!(c.send(b"", &eof).unwrap(), 0);
    let end = |want: AssocChangeState, sid: AssocId| {
        let mut buf = [0u8; 512];
        loop {
            crate::testutil::wait_readable(srv.as_raw_fd());
            let r = srv.recv(&mut buf).unwrap();
            if let Ok(Notification::AssocChange(a)) = notification::parse(&buf[..r.len]) {
                assert_eq!((a.state, a.assoc_id), (want, sid));
                return a.info.len();
            }
        }
    };
    end(AssocChangeState::ShutdownComp, sid);
    // ABORT with a reason: the peer sees COMM_LOST, with the ABORT chunk in the info.
    let c2 = SctpSocket::new_v4().unwrap();
    let id2 = c2.connect(v4(1, port)).unwrap();
    let sid2 = comm_up_id(srv.as_fd());
    let abort = SendInfo {
        assoc_id: id2,
        flags: SendFlags::ABORT,
        ..SendInfo::default()
    };
    // The kernel reports 0 bytes: the reason goes into the ABORT chunk, not out as data.
    assert_eq!(c2.send(b"going away", &abort).unwrap(), 0);
    assert!(
        end(AssocChangeState::CommLost, sid2) > 0,
        "the ABORT chunk comes with it"
    );
    // SctpStream::connect: one address.
    let l = SctpListener::bind(v4(1, 0), 4).unwrap();
    let lp = l.local_addrs().unwrap()[0];
    let s = SctpStream::connect(lp).unwrap();
    assert_eq!(s.peer_addrs().unwrap(), vec![lp]);
}
