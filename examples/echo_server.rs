//! A one-to-many SCTP echo server: every message goes back to its association on the stream and
//! with the ppid it came with.
//!
//!     cargo run --example echo_server -- 127.0.0.1:5000     # serves until stopped
//!     cargo run --example echo_server -- --check             # serves a built-in client, exits
//!
//! `make test` runs it with `--check` on the real kernel SCTP stack.

use std::net::{Ipv4Addr, SocketAddr};

use sctp_rs::notification::{self, Notification};
use sctp_rs::socket::{SctpSocket, SendInfo};

/// Echoes until `limit` messages were served (None: forever).
fn serve(server: &SctpSocket, limit: Option<usize>) -> std::io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut served = 0;
    while limit.is_none_or(|l| served < l) {
        let r = server.recv(&mut buf)?;
        if r.notification {
            if let Ok(Notification::AssocChange(c)) = notification::parse(&buf[..r.len]) {
                println!("server: association {:?}", c.state);
            }
            continue;
        }
        let Some(info) = r.rcvinfo else { continue };
        let reply = SendInfo {
            assoc_id: info.assoc_id,
            ..SendInfo::on_stream(info.stream, info.ppid)
        };
        server.send(&buf[..r.len], &reply)?;
        served += 1;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let arg = std::env::args().nth(1);
    let check = arg.as_deref() == Some("--check");
    let addr: SocketAddr = match arg.as_deref() {
        Some(a) if !check => a.parse().expect("an address such as 127.0.0.1:5000"),
        _ => SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    };
    let server = SctpSocket::bind(addr)?;
    server.set_recv_rcvinfo(true)?;
    server.subscribe(notification::kind::ASSOC_CHANGE, true)?;
    server.listen(128)?;
    let local = server.local_addrs(0)?;
    if !check {
        println!("echo server on {local:?}");
        return serve(&server, None);
    }
    // --check: a client on another thread sends three messages on three streams.
    let client = std::thread::spawn(move || -> std::io::Result<()> {
        let c = SctpSocket::new_v4()?;
        c.set_recv_rcvinfo(true)?;
        let id = c.connectx(&local)?;
        let mut buf = [0u8; 64];
        for (stream, text) in [(0u16, "one"), (1, "two"), (2, "three")] {
            let info = SendInfo {
                assoc_id: id,
                ..SendInfo::on_stream(stream, 42u32.to_be())
            };
            c.send(text.as_bytes(), &info)?;
            let r = c.recv(&mut buf)?;
            let back = r.rcvinfo.expect("RCVINFO on");
            println!(
                "client: {:?} came back on stream {} with ppid {}",
                std::str::from_utf8(&buf[..r.len]).unwrap_or("?"),
                back.stream,
                u32::from_be(back.ppid)
            );
        }
        Ok(())
    });
    serve(&server, Some(3))?;
    client.join().expect("client thread")?;
    println!("echo_server: ok");
    Ok(())
}
