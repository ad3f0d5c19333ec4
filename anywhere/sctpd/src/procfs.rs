//! /proc/net/sctp/assocs and /proc/net/sctp/eps for sctpd's sockets, in the kernel's format
//! (net/sctp/proc.c), so that tools and tests that read them see the associations of the host's
//! stack. The shim serves them to programs when the kernel has no such files.

use crate::ops::status_state;
use crate::server::Server;
use crate::sock::Sock;
use crate::usr;
use sctp_anywhere_proto::bytes::{rd_i32, rd_u16, rd_u32};
use sctp_anywhere_proto::procfile;
use std::fmt::Write;

/// The kernel's sk_state for a socket: TCP_ESTABLISHED 1, TCP_LISTEN 10, TCP_CLOSE 7.
fn sk_state(s: &Sock) -> i32 {
    if s.listening {
        10
    } else if s.one_to_one && s.connected {
        1
    } else {
        7
    }
}

/// The kernel's association state numbers (enum sctp_state) for usrsctp's.
fn assoc_state(u: i32) -> i32 {
    match u & 0xff {
        x if x == usr::SCTP_COOKIE_WAIT => 2,
        x if x == usr::SCTP_COOKIE_ECHOED => 3,
        x if x == usr::SCTP_ESTABLISHED => 4,
        x if x == usr::SCTP_SHUTDOWN_PENDING => 5,
        x if x == usr::SCTP_SHUTDOWN_SENT => 6,
        x if x == usr::SCTP_SHUTDOWN_RECEIVED => 7,
        x if x == usr::SCTP_SHUTDOWN_ACK_SENT => 8,
        _ => 1,
    }
}

fn addr_text(a: &[u8]) -> String {
    match i32::from(rd_u16(a, 0)) {
        libc::AF_INET => {
            let b = a.get(4..8).unwrap_or(&[0; 4]);
            format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
        }
        libc::AF_INET6 => {
            let mut ip = [0u8; 16];
            ip.copy_from_slice(a.get(8..24).unwrap_or(&[0; 16]));
            std::net::Ipv6Addr::from(ip).to_string()
        }
        _ => "?".into(),
    }
}

fn port(a: &[u8]) -> u16 {
    u16::from_be(rd_u16(a, 2))
}

/// The file's text.
pub fn render(srv: &Server, which: i64) -> String {
    let mut t = String::new();
    let mut ids: Vec<&u32> = srv.socks.keys().collect();
    ids.sort();
    if which == procfile::EPS {
        t.push_str(" ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS\n");
        for id in ids {
            let Some(s) = srv.socks.get(id) else { continue };
            let l = s.us.addrs(0, false).unwrap_or_default();
            let lport = l.first().map_or(0, |a| port(a));
            let _ = write!(
                t,
                "{:8x} {:8x} {:<3} {:<3} {:<4} {:<5} {:5} {:5} ",
                id,
                id,
                s.ty,
                sk_state(s),
                0,
                lport,
                0,
                s.ino
            );
            for a in &l {
                let _ = write!(t, "{} ", addr_text(a));
            }
            t.push('\n');
        }
        return t;
    }
    t.push_str(" ASSOC     SOCK   STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT LADDRS <-> RADDRS HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf\n");
    for id in ids {
        let Some(s) = srv.socks.get(id) else { continue };
        let assocs: Vec<u32> = if s.one_to_one {
            if status_state(&s.us, 0).is_some() {
                vec![0]
            } else {
                vec![]
            }
        } else {
            let mut b = vec![0u8; 4 + 4 * 4096];
            match s
                .us
                .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_ASSOC_ID_LIST, &mut b)
            {
                Ok(_) => (0..rd_u32(&b, 0) as usize)
                    .map(|i| rd_u32(&b, 4 + 4 * i))
                    .collect(),
                Err(_) => vec![],
            }
        };
        for u in assocs {
            let mut st = [0u8; usr::sctp_status::SIZE];
            sctp_anywhere_proto::bytes::wr_u32(&mut st, usr::sctp_status::sstat_assoc_id, u);
            if s.us
                .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_STATUS, &mut st)
                .is_err()
            {
                continue;
            }
            let local = s.us.addrs(u, false).unwrap_or_default();
            let peer = s.us.addrs(u, true).unwrap_or_default();
            let (lport, rport) = (
                local.first().map_or(0, |a| port(a)),
                peer.first().map_or(0, |a| port(a)),
            );
            let uid = rd_u32(&st, usr::sctp_status::sstat_assoc_id);
            let gid = s.ids.peek(uid).unwrap_or(uid as i32);
            let _ = write!(
                t,
                "{:8x} {:8x} {:<3} {:<3} {:<2} {:<4} {:4} {:8} {:8} {:7} {:5} {:<5} {:5} ",
                (u64::from(*id) << 16) | u64::from(uid),
                id,
                s.ty,
                sk_state(s),
                assoc_state(rd_i32(&st, usr::sctp_status::sstat_state)),
                0,
                gid,
                rd_u16(&st, usr::sctp_status::sstat_unackdata),
                rd_u16(&st, usr::sctp_status::sstat_penddata),
                0,
                s.ino,
                lport,
                rport
            );
            for a in &local {
                let _ = write!(t, "{} ", addr_text(a));
            }
            t.push_str("<-> ");
            for a in &peer {
                let _ = write!(t, "{} ", addr_text(a));
            }
            let _ = writeln!(
                t,
                "\t{:8} {:5} {:5} {:4} {:4} {:4} {:8} {:8} {:8} {:8} {:8}",
                30000,
                rd_u16(&st, usr::sctp_status::sstat_instrms),
                rd_u16(&st, usr::sctp_status::sstat_outstrms),
                10,
                0,
                0,
                0,
                0,
                0,
                s.sopts.sndbuf,
                s.sopts.rcvbuf
            );
        }
    }
    t
}
