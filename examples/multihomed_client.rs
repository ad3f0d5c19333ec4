//! A client that knows its peer by several addresses: one connectx to all of them, one
//! association with every path, the primary chosen by the kernel.
//!
//!     cargo run --example multihomed_client -- 10.0.0.1:5000 10.0.1.1:5000   # a real peer
//!     cargo run --example multihomed_client -- --check   # an in-process peer on 127.0.0.1-3
//!
//! `make test` runs it with `--check` on the real kernel SCTP stack.

use std::net::{Ipv4Addr, SocketAddr};

use sctp_rs::socket::{BindOp, SctpOptions, SctpSocket, SendInfo};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.first().map(String::as_str) == Some("--check");
    // With --check, a server bound to three loopback addresses plays the multi-homed peer.
    let mut peer = None;
    let addrs: Vec<SocketAddr> = if check {
        let s = SctpSocket::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        let port = s.local_addrs(0)?[0].port();
        let more = [2, 3].map(|last| SocketAddr::from((Ipv4Addr::new(127, 0, 0, last), port)));
        s.bindx(&more, BindOp::Add)?;
        s.set_recv_rcvinfo(true)?;
        s.listen(16)?;
        let mut all = s.local_addrs(0)?;
        all.sort();
        peer = Some(s);
        all
    } else {
        args.iter()
            .map(|a| a.parse().expect("addresses such as 10.0.0.1:5000"))
            .collect()
    };

    let client = SctpSocket::new_v4()?;
    let id = client.connectx(&addrs)?;
    let mut paths = client.peer_addrs(id)?;
    paths.sort();
    println!("one association to {} addresses", paths.len());
    for p in &paths {
        let info = client.peer_addr_info(id, *p)?;
        println!(
            "  path to {}: {:?}",
            if check { "a peer address" } else { "?" },
            info.state
        );
    }
    let status = client.status(id)?;
    println!(
        "state {:?}, primary path is one of them: {}",
        status.state,
        status.primary.addr.is_some_and(|a| paths.contains(&a))
    );
    let n = client.send(
        b"hello, all of you",
        &SendInfo {
            assoc_id: id,
            ..SendInfo::default()
        },
    )?;
    println!("sent {n} bytes");
    if let Some(s) = peer {
        let mut buf = [0u8; 64];
        loop {
            let r = s.recv(&mut buf)?;
            if !r.notification {
                println!(
                    "peer received {:?}",
                    std::str::from_utf8(&buf[..r.len]).unwrap_or("?")
                );
                break;
            }
        }
        assert_eq!(
            paths, addrs,
            "every server address is a path of the association"
        );
        println!("multihomed_client: ok");
    }
    Ok(())
}
