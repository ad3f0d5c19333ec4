//! An async one-to-one SCTP echo server on tokio (the `tokio` feature): one task per
//! association, each echoing on the stream a message came on.
//!
//!     cargo run --features tokio --example tokio_echo -- 127.0.0.1:5000   # until stopped
//!     cargo run --features tokio --example tokio_echo -- --check          # built-in clients
//!
//! `make test` runs it with `--check` on the real kernel SCTP stack.

use std::net::{Ipv4Addr, SocketAddr};

use sctp_rs::socket::{SctpOptions, SendInfo};
use sctp_rs::tokio::{SctpListener, SctpStream};

/// Echoes until the peer shuts down (a one-to-one socket reads 0); returns the echoes.
async fn serve(s: SctpStream) -> std::io::Result<usize> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    loop {
        let r = s.recv(&mut buf).await?;
        if r.len == 0 && !r.notification {
            return Ok(n);
        }
        let info = r.rcvinfo.unwrap_or_default();
        s.send(&buf[..r.len], &SendInfo::on_stream(info.stream, info.ppid))
            .await?;
        n += 1;
    }
}

async fn client(to: SocketAddr, id: usize) -> std::io::Result<()> {
    let c = SctpStream::connectx(&[to]).await?;
    c.get_ref().set_recv_rcvinfo(true)?;
    let mut buf = [0u8; 64];
    for stream in 0..3u16 {
        let msg = format!("client {id} on stream {stream}");
        c.send(msg.as_bytes(), &SendInfo::on_stream(stream, 0))
            .await?;
        let r = c.recv(&mut buf).await?;
        assert_eq!(&buf[..r.len], msg.as_bytes());
        assert_eq!(r.rcvinfo.map(|i| i.stream), Some(stream));
    }
    c.shutdown(std::net::Shutdown::Write)
}

async fn run(check: bool, addr: SocketAddr) -> std::io::Result<()> {
    let listener = SctpListener::bind(addr, 128)?;
    listener.get_ref().set_initmsg(&sctp_rs::socket::InitMsg {
        num_ostreams: 3,
        max_instreams: 3,
        ..Default::default()
    })?;
    let local = listener.get_ref().local_addrs()?[0];
    if !check {
        println!("tokio echo server on {local}");
    }
    let clients: Vec<_> = (0..if check { 4 } else { 0 })
        .map(|i| tokio::spawn(client(local, i)))
        .collect();
    let mut servers = Vec::new();
    while !check || servers.len() < clients.len() {
        let s = listener.accept().await?;
        s.get_ref().set_recv_rcvinfo(true)?;
        servers.push(tokio::spawn(serve(s)));
    }
    for c in clients {
        c.await.expect("client task")?;
    }
    let mut echoes = 0;
    for s in servers {
        echoes += s.await.expect("server task")?;
    }
    println!("4 clients served concurrently on one thread: {echoes} echoes");
    println!("tokio_echo: ok");
    Ok(())
}

fn main() -> std::io::Result<()> {
    let arg = std::env::args().nth(1);
    let check = arg.as_deref() == Some("--check");
    let addr = match arg.as_deref() {
        Some(a) if !check => a.parse().expect("an address such as 127.0.0.1:5000"),
        _ => SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?
        .block_on(run(check, addr))
}
