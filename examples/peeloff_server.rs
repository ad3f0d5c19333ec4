//! A one-to-many server that branches every new association off into its own one-to-one
//! socket, served by its own thread (sctp_peeloff), while the listener keeps accepting.
//!
//!     cargo run --example peeloff_server -- 127.0.0.1:5000   # serves until stopped
//!     cargo run --example peeloff_server -- --check           # three built-in clients, exits
//!
//! `make test` runs it with `--check` on the real kernel SCTP stack.

use std::net::{Ipv4Addr, SocketAddr};

use sctp_rs::notification::{self, AssocChangeState, Notification};
use sctp_rs::socket::{PeelOptions, SctpSocket, SctpStream, SendInfo};

/// Echoes on the peeled-off socket until the peer leaves; returns the messages served.
fn serve(stream: SctpStream) -> std::io::Result<usize> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut served = 0;
    loop {
        let r = stream.recv(&mut buf)?;
        if r.notification {
            match notification::parse(&buf[..r.len]) {
                Ok(Notification::AssocChange(c))
                    if matches!(
                        c.state,
                        AssocChangeState::ShutdownComp | AssocChangeState::CommLost
                    ) =>
                {
                    return Ok(served);
                }
                _ => continue,
            }
        }
        let info = r.rcvinfo.unwrap_or_default();
        stream.send(&buf[..r.len], &SendInfo::on_stream(info.stream, info.ppid))?;
        served += 1;
    }
}

fn main() -> std::io::Result<()> {
    let arg = std::env::args().nth(1);
    let check = arg.as_deref() == Some("--check");
    let addr: SocketAddr = match arg.as_deref() {
        Some(a) if !check => a.parse().expect("an address such as 127.0.0.1:5000"),
        _ => SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    };
    let listener = SctpSocket::bind(addr)?;
    listener.set_recv_rcvinfo(true)?;
    listener.subscribe(notification::kind::ASSOC_CHANGE, true)?;
    listener.listen(128)?;
    let local = listener.local_addrs(0)?;
    let clients = if check { 3 } else { usize::MAX };
    let mut client_threads = Vec::new();
    for n in 0..if check { clients } else { 0 } {
        let to = local.clone();
        client_threads.push(std::thread::spawn(move || -> std::io::Result<()> {
            let c = SctpStream::connectx(&to)?;
            let mut buf = [0u8; 32];
            for i in 0..2 {
                let msg = format!("client {n} message {i}");
                c.send(msg.as_bytes(), &SendInfo::on_stream(1, 0))?;
                let r = c.recv(&mut buf)?;
                assert_eq!(&buf[..r.len], msg.as_bytes());
            }
            c.shutdown(std::net::Shutdown::Write)
        }));
    }
    if !check {
        println!("peel-off server on {local:?}");
    }
    let mut servers = Vec::new();
    let mut buf = [0u8; 512];
    while servers.len() < clients {
        let r = listener.recv(&mut buf)?;
        if let Ok(Notification::AssocChange(c)) = notification::parse(&buf[..r.len])
            && c.state == AssocChangeState::CommUp
        {
            let stream = listener.peeloff(c.assoc_id, PeelOptions::default())?;
            servers.push(std::thread::spawn(move || serve(stream)));
        }
    }
    let mut total = 0;
    for s in servers {
        total += s.join().expect("server thread")?;
    }
    for c in client_threads {
        c.join().expect("client thread")?;
    }
    println!("3 associations peeled off, each served on its own thread: {total} echoes");
    println!("peeloff_server: ok");
    Ok(())
}
