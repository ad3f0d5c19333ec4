//! Unit tests on hand-built notifications (every type, every truncation) and tests on the real
//! kernel SCTP stack: the notifications Linux delivers parse to what happened.

use super::*;
use crate::testutil::{self, close, local_port, sctp_socket, setsockopt_bytes, sockaddr_v4};
use core::ffi::c_int;

fn header(kind: u16, flags: u16, len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    v[0..2].copy_from_slice(&kind.to_ne_bytes());
    v[2..4].copy_from_slice(&flags.to_ne_bytes());
    v[4..8].copy_from_slice(&(len as u32).to_ne_bytes());
    v
}

fn put<const N: usize>(v: &mut [u8], at: usize, b: [u8; N]) {
    v[at..at + N].copy_from_slice(&b);
}

#[test]
fn every_known_type_parses_its_fields() {
    let mut v = header(kind::ASSOC_CHANGE, 0, 24);
    put(&mut v, 8, 1u16.to_ne_bytes());
    put(&mut v, 10, 5u16.to_ne_bytes());
    put(&mut v, 16, 9i32.to_ne_bytes());
    put(&mut v, 20, [1, 2, 3, 4]);
    let Notification::AssocChange(c) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(
        (c.state, c.error, c.assoc_id, c.info),
        (AssocChangeState::CommLost, 5, 9, &[1u8, 2, 3, 4][..])
    );

    let mut v = header(kind::PEER_ADDR_CHANGE, 0, 148);
    put(&mut v, 8, (libc::AF_INET as u16).to_ne_bytes());
    put(&mut v, 10, 4242u16.to_be_bytes());
    put(&mut v, 12, [127, 0, 0, 2]);
    put(&mut v, 136, 4i32.to_ne_bytes());
    put(&mut v, 144, 3i32.to_ne_bytes());
    let Notification::PeerAddrChange(c) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(c.addr, Some("127.0.0.2:4242".parse().unwrap()));
    assert_eq!((c.state, c.assoc_id), (PeerAddrState::MadePrimary, 3));
    put(&mut v, 8, (libc::AF_INET6 as u16).to_ne_bytes());
    put(&mut v, 12, [0, 0, 0, 0]); // sin6_flowinfo
    put(&mut v, 16, Ipv6Addr::LOCALHOST.octets());
    let Notification::PeerAddrChange(c) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(c.addr, Some("[::1]:4242".parse().unwrap()));
    put(&mut v, 8, (libc::AF_UNIX as u16).to_ne_bytes());
    let Notification::PeerAddrChange(c) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(c.addr, None);

    let mut v = header(kind::REMOTE_ERROR, 0, 20);
    put(&mut v, 8, 0x0102u16.to_be_bytes());
    put(&mut v, 12, 6i32.to_ne_bytes());
    let Notification::RemoteError(e) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!((e.error, e.assoc_id, e.data.len()), (0x0102, 6, 4));

    let mut v = header(kind::SEND_FAILED, 1, 51);
    put(&mut v, 8, 7u32.to_ne_bytes());
    put(&mut v, 12, 2u16.to_ne_bytes());
    put(&mut v, 20, 0x55u32.to_ne_bytes());
    put(&mut v, 44, 8i32.to_ne_bytes());
    put(&mut v, 48, *b"abc");
    let Notification::SendFailed(f) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(
        (
            f.flags,
            f.error,
            f.info.stream,
            f.info.ppid,
            f.assoc_id,
            f.data
        ),
        (1, 7, 2, 0x55, 8, &b"abc"[..])
    );

    let mut v = header(kind::SEND_FAILED_EVENT, 1, 33);
    put(&mut v, 12, 3u16.to_ne_bytes());
    put(&mut v, 20, 0xc0ffeeu32.to_ne_bytes());
    put(&mut v, 28, 4i32.to_ne_bytes());
    put(&mut v, 32, *b"z");
    let Notification::SendFailedEvent(f) = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!(
        (f.info.stream, f.info.context, f.assoc_id, f.data),
        (3, 0xc0ffee, 4, &b"z"[..])
    );

    let mut v = header(kind::STREAM_RESET_EVENT, 2, 16);
    put(&mut v, 12, 5u16.to_ne_bytes());
    put(&mut v, 14, 9u16.to_ne_bytes());
    let Notification::StreamReset { flags, streams, .. } = parse(&v).unwrap() else {
        panic!()
    };
    assert_eq!((flags, streams.iter().collect::<Vec<_>>()), (2, vec![5, 9]));

    for (k, len) in [
        (kind::SHUTDOWN_EVENT, 12),
        (kind::ADAPTATION_INDICATION, 16),
        (kind::PARTIAL_DELIVERY_EVENT, 24),
        (kind::AUTHENTICATION_EVENT, 20),
        (kind::SENDER_DRY_EVENT, 12),
        (kind::ASSOC_RESET_EVENT, 20),
        (kind::STREAM_CHANGE_EVENT, 16),
    ] {
        let v = header(k, 0, len);
        let n = parse(&v).unwrap();
        assert_eq!(n.kind(), k);
        assert_eq!(n.assoc_id(), Some(0));
        assert!(!matches!(n, Notification::Unknown { .. }));
    }
}

#[test]
fn truncation_and_unknown_types_are_errors_or_unknown_never_a_panic() {
    assert_eq!(parse(&[0u8; 7]), Err(Error::NoHeader { got: 7 }));
    // The length field claims more than arrived.
    let v = header(kind::ASSOC_CHANGE, 0, 20);
    assert_eq!(
        parse(&v[..19]),
        Err(Error::Truncated {
            kind: kind::ASSOC_CHANGE,
            length: 20,
            got: 19
        })
    );
    // Shorter than the type's fixed part, for every known type.
    for k in kind::ASSOC_CHANGE..=kind::SEND_FAILED_EVENT {
        let need = fixed_len(k).unwrap();
        assert_eq!(
            parse(&header(k, 0, need - 1)),
            Err(Error::TooShort {
                kind: k,
                length: need - 1,
                need
            })
        );
        assert!(parse(&header(k, 0, need)).is_ok());
    }
    // Bytes after the notification (a buffer larger than what came) are not part of it.
    let mut v = header(kind::SHUTDOWN_EVENT, 0, 12);
    v.extend_from_slice(&[0xff; 8]);
    assert!(matches!(parse(&v), Ok(Notification::Shutdown { .. })));
    let v = header(0x7777, 3, 10);
    assert_eq!(
        parse(&v),
        Ok(Notification::Unknown {
            kind: 0x7777,
            flags: 3,
            bytes: &v[..]
        })
    );
    // Every prefix of every type: never a panic.
    for k in kind::ASSOC_CHANGE..=kind::SEND_FAILED_EVENT + 1 {
        let v = header(k, 0, 160);
        for n in 0..v.len() {
            let _ = parse(&v[..n]);
        }
    }
}

// ---- on the real stack ----------------------------------------------------------------------

/// `SCTP_EVENT` (uapi 127; the libc crate lacks it).
const SCTP_EVENT: c_int = 127;

/// SCTP_EVENT: one notification type on (assoc 0: the socket's future associations).
fn subscribe(fd: c_int, assoc: i32, kind: u16) {
    let mut ev = [0u8; 8];
    ev[0..4].copy_from_slice(&assoc.to_ne_bytes());
    ev[4..6].copy_from_slice(&kind.to_ne_bytes());
    ev[6] = 1;
    setsockopt_bytes(fd, SCTP_EVENT, &ev);
}

/// The next notification of `fd` within 10 s (data messages skipped), as bytes.
fn next_notification(fd: c_int) -> Vec<u8> {
    loop {
        testutil::wait_readable(fd);
        let mut buf = vec![0u8; 1024];
        let mut flags = 0;
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // SAFETY: all-zero msghdr is valid; iov points into `buf`, which outlives the call.
        let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
        m.msg_iov = &mut iov;
        m.msg_iovlen = 1;
        // SAFETY: `m` describes a buffer of this frame.
        let n = unsafe { libc::recvmsg(fd, &mut m, 0) };
        assert!(n >= 0, "recvmsg: {}", std::io::Error::last_os_error());
        flags |= m.msg_flags;
        if flags & libc::MSG_NOTIFICATION != 0 {
            assert!(flags & libc::MSG_EOR != 0, "notification in pieces");
            buf.truncate(n as usize);
            return buf;
        }
    }
}

fn one_to_many_server() -> (c_int, u16) {
    let s = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
    let a = sockaddr_v4(0);
    // SAFETY: `a` is a valid sockaddr_in.
    unsafe {
        assert_eq!(
            libc::bind(
                s,
                (&a as *const libc::sockaddr_in).cast(),
                size_of_val(&a) as u32
            ),
            0
        );
        assert_eq!(libc::listen(s, 8), 0);
    }
    (s, local_port(s))
}

fn connect(fd: c_int, port: u16) {
    let to = sockaddr_v4(port);
    // SAFETY: `to` is a valid sockaddr_in.
    let r = unsafe {
        libc::connect(
            fd,
            (&to as *const libc::sockaddr_in).cast(),
            size_of_val(&to) as u32,
        )
    };
    assert_eq!(r, 0, "connect: {}", std::io::Error::last_os_error());
}

#[test]
fn kernel_assoc_change_shutdown_and_adaptation() {
    let (server, port) = one_to_many_server();
    subscribe(server, 0, kind::ASSOC_CHANGE);
    subscribe(server, 0, kind::SHUTDOWN_EVENT);
    // The server's adaptation layer indication reaches the client at setup.
    setsockopt_bytes(
        server,
        libc::SCTP_ADAPTATION_LAYER,
        &0x1234_5678u32.to_ne_bytes(),
    );
    let client = sctp_socket(libc::AF_INET, libc::SOCK_STREAM);
    subscribe(client, 0, kind::ADAPTATION_INDICATION);
    subscribe(client, 0, kind::ASSOC_CHANGE);
    connect(client, port);

    let up = next_notification(server);
    let Ok(Notification::AssocChange(c)) = parse(&up) else {
        panic!("{:?}", parse(&up))
    };
    assert_eq!(c.state, AssocChangeState::CommUp);
    assert!(
        c.assoc_id > 0 && c.outbound_streams > 0 && c.inbound_streams > 0,
        "{c:?}"
    );
    let server_assoc = c.assoc_id;

    let mut got_adaptation = false;
    let mut got_up = false;
    while !(got_adaptation && got_up) {
        let n = next_notification(client);
        match parse(&n).unwrap() {
            Notification::AdaptationIndication { adaptation_ind, .. } => {
                assert_eq!(adaptation_ind, 0x1234_5678);
                got_adaptation = true;
            }
            Notification::AssocChange(c) => {
                assert_eq!(c.state, AssocChangeState::CommUp);
                got_up = true;
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    // The client closes: graceful shutdown, SHUTDOWN_EVENT then SHUTDOWN_COMP at the server.
    close(client);
    let n = next_notification(server);
    assert_eq!(
        parse(&n),
        Ok(Notification::Shutdown {
            flags: 0,
            assoc_id: server_assoc
        })
    );
    let n = next_notification(server);
    let Ok(Notification::AssocChange(c)) = parse(&n) else {
        panic!("{:?}", parse(&n))
    };
    assert_eq!(
        (c.state, c.assoc_id),
        (AssocChangeState::ShutdownComp, server_assoc)
    );
    close(server);
}

#[test]
fn kernel_sender_dry_and_made_primary() {
    let (server, port) = one_to_many_server();
    let client = sctp_socket(libc::AF_INET, libc::SOCK_STREAM);
    connect(client, port);
    // Nothing in flight: subscribing to sender-dry delivers one at once.
    subscribe(client, 0, kind::SENDER_DRY_EVENT);
    let n = next_notification(client);
    let Ok(Notification::SenderDry { assoc_id, .. }) = parse(&n) else {
        panic!("{:?}", parse(&n))
    };
    assert!(assoc_id > 0);

    // SCTP_PRIMARY_ADDR on the peer's address: SCTP_ADDR_MADE_PRIM for it.
    subscribe(client, 0, kind::PEER_ADDR_CHANGE);
    // struct sctp_prim: assoc id, sockaddr_storage (packed): 132 bytes.
    let mut prim = [0u8; 132];
    let a = sockaddr_v4(port);
    prim[4..6].copy_from_slice(&a.sin_family.to_ne_bytes());
    prim[6..8].copy_from_slice(&a.sin_port.to_ne_bytes());
    prim[8..12].copy_from_slice(&a.sin_addr.s_addr.to_ne_bytes());
    setsockopt_bytes(client, libc::SCTP_PRIMARY_ADDR, &prim);
    let n = next_notification(client);
    let Ok(Notification::PeerAddrChange(c)) = parse(&n) else {
        panic!("{:?}", parse(&n))
    };
    assert_eq!(c.state, PeerAddrState::MadePrimary);
    assert_eq!(
        c.addr,
        Some(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)))
    );
    assert_eq!(c.assoc_id, assoc_id);
    close(client);
    close(server);
}

#[test]
fn kernel_send_failed_both_kinds_carry_the_message() {
    // A blackhole (scripts/test-net.sh routes 127.0.1.0/24 nowhere): the INIT is never
    // answered, the association cannot start and the queued message comes back.
    for (event, body) in [
        (kind::SEND_FAILED_EVENT, &b"new-kind"[..]),
        (kind::SEND_FAILED, &b"old-kind"[..]),
    ] {
        let c = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        // RTO 100 ms, one INIT.
        let mut rto = [0u8; 16];
        rto[4..8].copy_from_slice(&100u32.to_ne_bytes());
        rto[8..12].copy_from_slice(&100u32.to_ne_bytes());
        rto[12..16].copy_from_slice(&100u32.to_ne_bytes());
        setsockopt_bytes(c, libc::SCTP_RTOINFO, &rto);
        let mut init = [0u8; 8];
        init[0..2].copy_from_slice(&10u16.to_ne_bytes());
        init[2..4].copy_from_slice(&10u16.to_ne_bytes());
        init[4..6].copy_from_slice(&1u16.to_ne_bytes());
        init[6..8].copy_from_slice(&100u16.to_ne_bytes());
        setsockopt_bytes(c, libc::SCTP_INITMSG, &init);
        subscribe(c, 0, event);
        let mut to = sockaddr_v4(9);
        to.sin_addr.s_addr = u32::from_be_bytes([127, 0, 1, 1]).to_be();
        // SAFETY: `body` is readable for its length, `to` a valid sockaddr_in.
        let n = unsafe {
            libc::sendto(
                c,
                body.as_ptr().cast(),
                body.len(),
                0,
                (&to as *const libc::sockaddr_in).cast(),
                size_of_val(&to) as u32,
            )
        };
        assert_eq!(
            n,
            body.len() as isize,
            "sendto: {}",
            std::io::Error::last_os_error()
        );
        let got = next_notification(c);
        let f = match parse(&got).unwrap() {
            Notification::SendFailedEvent(f) if event == kind::SEND_FAILED_EVENT => f,
            Notification::SendFailed(f) if event == kind::SEND_FAILED => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(f.data, body);
        assert_eq!(f.flags, 0, "SCTP_DATA_UNSENT"); // never sent: the association never came up
        // Linux 6.1 reports id 0: the association is already gone when the message comes back.
        assert_eq!(f.assoc_id, 0, "{f:?}");
        close(c);
    }
}
