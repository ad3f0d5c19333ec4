//! The async types on the real kernel SCTP stack, on a current-thread runtime.

use super::*;
use crate::notification::{self, AssocChangeState, Notification};
use std::net::Ipv4Addr;
use std::time::Duration;

fn rt() -> ::tokio::runtime::Runtime {
    ::tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .unwrap()
}

fn lo(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// Both futures to completion, polled together on this task (tokio's join! needs its macros).
async fn join2<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    (ra.unwrap(), rb.unwrap())
}

async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    ::tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("done within 10 s")
}

#[test]
fn outside_a_runtime_is_an_error_not_a_panic() {
    let e = SctpListener::bind(lo(0), 8).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::Other);
}

#[test]
fn one_to_one_connect_accept_echo_and_shutdown() {
    rt().block_on(async {
        let l = SctpListener::bind(lo(0), 8).unwrap();
        let addr = l.get_ref().local_addrs().unwrap()[0];
        // The connect and the accept run concurrently on one thread: both must await.
        let (c, s) = join2(SctpStream::connectx(&[addr]), l.accept()).await;
        let (c, s) = (c.unwrap(), s.unwrap());
        // recv awaits (EAGAIN first), then the message comes.
        let mut buf = [0u8; 32];
        let (r, n) = join2(within(s.recv(&mut buf)), async {
            ::tokio::time::sleep(Duration::from_millis(50)).await;
            c.send(b"ping", &SendInfo::on_stream(1, 7)).await
        })
        .await;
        let r = r.unwrap();
        assert_eq!((n.unwrap(), &buf[..r.len], r.eor), (4, &b"ping"[..], true));
        s.send(b"pong", &SendInfo::on_stream(1, 7)).await.unwrap();
        let r = within(c.recv(&mut buf)).await.unwrap();
        assert_eq!(&buf[..r.len], b"pong");
        c.shutdown(std::net::Shutdown::Write).unwrap();
        let r = within(s.recv(&mut buf)).await.unwrap();
        assert_eq!(
            (r.len, r.notification),
            (0, false),
            "the peer's SHUTDOWN reads 0"
        );
    });
}

#[test]
fn connect_refused_is_the_kernels_error() {
    rt().block_on(async {
        // A port nobody listens on: the INIT is answered with an ABORT.
        let l = SctpListener::bind(lo(0), 8).unwrap();
        let port = l.get_ref().local_addrs().unwrap()[0].port();
        drop(l);
        let e = within(SctpStream::connectx(&[lo(port)])).await.unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
    });
}

#[test]
fn one_to_many_and_peeloff() {
    rt().block_on(async {
        let srv = SctpSocket::bind(lo(0)).unwrap();
        srv.get_ref().set_recv_rcvinfo(true).unwrap();
        srv.get_ref()
            .subscribe(notification::kind::ASSOC_CHANGE, true)
            .unwrap();
        srv.get_ref().listen(8).unwrap();
        let addr = srv.get_ref().local_addrs(0).unwrap()[0];
        let client = SctpSocket::new(sync::SctpSocket::new_v4().unwrap()).unwrap();
        let id = client.connectx(&[addr]).await.unwrap();
        assert!(id > 0);
        // Sent at once: queued until the association is up.
        let info = SendInfo {
            assoc_id: id,
            ..SendInfo::on_stream(2, 9)
        };
        client.send(b"early", &info).await.unwrap();
        let mut buf = [0u8; 512];
        let sid = loop {
            let r = within(srv.recv(&mut buf)).await.unwrap();
            if let Ok(Notification::AssocChange(c)) = notification::parse(&buf[..r.len])
                && c.state == AssocChangeState::CommUp
            {
                break c.assoc_id;
            }
        };
        let peeled = srv.peeloff(sid).unwrap();
        let r = loop {
            let r = within(peeled.recv(&mut buf)).await.unwrap();
            if !r.notification {
                break r;
            }
        };
        assert_eq!(&buf[..r.len], b"early");
        assert_eq!(r.rcvinfo.unwrap().stream, 2);
        // The peeled-off stream answers; the client's one-to-many socket receives it.
        peeled
            .send(b"late", &SendInfo::on_stream(2, 9))
            .await
            .unwrap();
        let r = loop {
            let r = within(client.recv(&mut buf)).await.unwrap();
            if !r.notification {
                break r;
            }
        };
        assert_eq!(&buf[..r.len], b"late");
    });
}
