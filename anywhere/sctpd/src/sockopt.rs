//! setsockopt/getsockopt in Linux's terms (option numbers, struct layouts, the length rules
//! and errors of net/sctp/socket.c and net/core/sock.c), carried out on usrsctp (its numbers
//! and layouts) or kept by sctpd where the stack has no such thing. Each option is one arm;
//! translations read and write fields at offsets from the facts modules.

use crate::log;
use crate::notify::{self, Subs};
use crate::ops::{linux_errno, status_state};
use crate::sendpath::{addr_len, verify_addr};
use crate::server::Server;
use crate::sock::Sock;
use crate::stack::USock;
use crate::usr;
use sctp_anywhere_proto::Request;
use sctp_anywhere_proto::bytes::{
    rd_bytes, rd_i32, rd_u8, rd_u16, rd_u32, wr_bytes, wr_i32, wr_u8, wr_u16, wr_u32,
};
use sctp_anywhere_proto::linux as lx;
use std::os::fd::{AsRawFd, OwnedFd};

/// What an option request comes to.
pub enum Ans {
    /// Answer now: the return value and, for getsockopt, the bytes and the length to report.
    Done(i64, Vec<u8>),
    /// Answer now with a new socket's descriptor (peel-off): the bytes (the shim writes the
    /// descriptor's number into them, where the option's struct has it) and the descriptor.
    Fd(Vec<u8>, OwnedFd),
    /// Answered later (a blocking connect).
    Later,
}

type R = Result<Ans, i32>;

fn int_of(v: &[u8]) -> Result<i32, i32> {
    if v.len() < 4 {
        Err(libc::EINVAL)
    } else {
        Ok(rd_i32(v, 0))
    }
}

fn int_ans(v: i32) -> R {
    Ok(Ans::Done(0, v.to_ne_bytes().to_vec()))
}

/// getsockopt of an int at SOL_SOCKET: the value truncated to the caller's length (Linux).
fn sol_int(v: i32, len: usize) -> R {
    let b = v.to_ne_bytes();
    Ok(Ans::Done(0, b.get(..len.min(4)).unwrap_or(&[]).to_vec()))
}

/// A struct option's value of `size` bytes, checked as Linux checks: shorter is EINVAL.
fn need(v: &[u8], size: usize) -> Result<(), i32> {
    if v.len() < size {
        Err(libc::EINVAL)
    } else {
        Ok(())
    }
}

fn exact(v: &[u8], size: usize) -> Result<(), i32> {
    if v.len() != size {
        Err(libc::EINVAL)
    } else {
        Ok(())
    }
}

/// Linux's spinfo_state for usrsctp's.
fn paddr_state(u: i32) -> i32 {
    if u & usr::SCTP_UNCONFIRMED != 0 {
        lx::SCTP_UNCONFIRMED
    } else if u & usr::SCTP_ACTIVE != 0 {
        lx::SCTP_ACTIVE
    } else {
        lx::SCTP_INACTIVE
    }
}

/// Linux's sstat_state for usrsctp's.
pub fn assoc_state(u: i32) -> i32 {
    match u & 0xff {
        x if x == usr::SCTP_COOKIE_WAIT => lx::SCTP_COOKIE_WAIT,
        x if x == usr::SCTP_COOKIE_ECHOED => lx::SCTP_COOKIE_ECHOED,
        x if x == usr::SCTP_ESTABLISHED => lx::SCTP_ESTABLISHED,
        x if x == usr::SCTP_SHUTDOWN_SENT => lx::SCTP_SHUTDOWN_SENT,
        x if x == usr::SCTP_SHUTDOWN_RECEIVED => lx::SCTP_SHUTDOWN_RECEIVED,
        x if x == usr::SCTP_SHUTDOWN_ACK_SENT => lx::SCTP_SHUTDOWN_ACK_SENT,
        x if x == usr::SCTP_SHUTDOWN_PENDING => lx::SCTP_SHUTDOWN_PENDING,
        _ => lx::SCTP_CLOSED,
    }
}

/// An address of family AF_UNSPEC is the wildcard of the socket's family to Linux
/// (sctp_is_any); usrsctp wants the family.
fn any_is_family(domain: i32, a: &[u8]) -> Vec<u8> {
    let mut v = a.to_vec();
    if rd_u16(a, 0) == 0 {
        wr_u16(&mut v, 0, domain as u16);
    }
    v
}

/// The AUTH options: sctpd runs the stack with AUTH off, as Linux's default
/// (net.sctp.auth_enable = 0), whose answer to them is EACCES.
fn is_auth(n: i32) -> bool {
    [
        lx::SCTP_AUTH_CHUNK,
        lx::SCTP_HMAC_IDENT,
        lx::SCTP_AUTH_KEY,
        lx::SCTP_AUTH_ACTIVE_KEY,
        lx::SCTP_AUTH_DELETE_KEY,
        lx::SCTP_AUTH_DEACTIVATE_KEY,
        lx::SCTP_PEER_AUTH_CHUNKS,
        lx::SCTP_LOCAL_AUTH_CHUNKS,
    ]
    .contains(&n)
}

/// The stack's option for one of Linux's SCTP_*_SUPPORTED options.
fn supported_opt(n: i32) -> Option<i32> {
    Some(match n {
        x if x == lx::SCTP_PR_SUPPORTED => usr::SCTP_PR_SUPPORTED,
        x if x == lx::SCTP_RECONFIG_SUPPORTED => usr::SCTP_RECONFIG_SUPPORTED,
        x if x == lx::SCTP_ECN_SUPPORTED => usr::SCTP_ECN_SUPPORTED,
        x if x == lx::SCTP_ASCONF_SUPPORTED => usr::SCTP_ASCONF_SUPPORTED,
        x if x == lx::SCTP_AUTH_SUPPORTED => usr::SCTP_AUTH_SUPPORTED,
        _ => return None,
    })
}

/// A Linux struct sctp_paddrinfo (at `o` in `out`) from usrsctp's (at `i` in `u`).
fn paddrinfo_to_linux(
    out: &mut [u8],
    o: usize,
    u: &[u8],
    i: usize,
    mapped: impl Fn(Vec<u8>) -> Vec<u8>,
) {
    use lx::sctp_paddrinfo as l;
    use usr::sctp_paddrinfo as s;
    let fam = rd_u16(u, i + s::spinfo_address);
    let a = rd_bytes(u, i + s::spinfo_address, addr_len(fam)).to_vec();
    wr_bytes(out, o + l::spinfo_address, &mapped(a));
    wr_i32(
        out,
        o + l::spinfo_state,
        paddr_state(rd_i32(u, i + s::spinfo_state)),
    );
    wr_u32(out, o + l::spinfo_cwnd, rd_u32(u, i + s::spinfo_cwnd));
    wr_u32(out, o + l::spinfo_srtt, rd_u32(u, i + s::spinfo_srtt));
    wr_u32(out, o + l::spinfo_rto, rd_u32(u, i + s::spinfo_rto));
    wr_u32(out, o + l::spinfo_mtu, rd_u32(u, i + s::spinfo_mtu));
}

/// Packs the addresses of a Linux packed array (`bytes` long) for the stack: each IPv4 or
/// IPv6 address checked for its family and length; EINVAL otherwise.
fn packed_addrs(domain: i32, bytes: &[u8]) -> Result<(Vec<u8>, i32), i32> {
    let (mut off, mut cnt, mut out) = (0usize, 0i32, Vec::new());
    if bytes.is_empty() {
        return Err(libc::EINVAL);
    }
    while off < bytes.len() {
        let fam = rd_u16(bytes, off);
        let len = addr_len(fam);
        if len == 0 || off + len > bytes.len() {
            return Err(libc::EINVAL);
        }
        let a = verify_addr(domain, rd_bytes(bytes, off, len))?;
        out.extend_from_slice(&a);
        off += len;
        cnt += 1;
    }
    Ok((out, cnt))
}

impl Server {
    pub(crate) fn op_setsockopt(&mut self, chan: u32, id: u32, req: &Request, val: &[u8]) {
        let (level, name) = (req.args[0] as i32, req.args[1] as i32);
        let r = match level {
            libc::SOL_SOCKET => self.set_sol_socket(id, name, val),
            libc::IPPROTO_SCTP => self.set_sctp(chan, req, id, name, val),
            libc::IPPROTO_IPV6 => self.set_ipv6(id, name, val),
            libc::IPPROTO_IP => Ok(Ans::Done(0, vec![])),
            _ => Err(libc::ENOPROTOOPT),
        };
        if level == libc::IPPROTO_SCTP && sctp_anywhere_proto::RESTAMP_OPTS.contains(&name) {
            // What comes with each message already queued follows the option as it is now
            // (Linux decides at the receive); the shim took those records back for that.
            self.restamp_held(id);
            self.release_hold(id, None);
        }
        self.answer(chan, req.seq, level, name, r);
    }

    pub(crate) fn op_getsockopt(&mut self, chan: u32, id: u32, req: &Request, inbuf: &[u8]) {
        let (level, name) = (req.args[0] as i32, req.args[1] as i32);
        let len = req.out_max as usize;
        let r = match level {
            libc::SOL_SOCKET => self.get_sol_socket(id, name, len),
            libc::IPPROTO_SCTP => self.get_sctp(chan, req, id, name, inbuf, len),
            libc::IPPROTO_IPV6 => self.get_ipv6(id, name, len),
            _ => Err(libc::ENOPROTOOPT),
        };
        self.answer(chan, req.seq, level, name, r);
    }

    fn answer(&mut self, chan: u32, seq: u32, level: i32, name: i32, r: R) {
        match r {
            Ok(Ans::Done(ret, out)) => self.reply(chan, seq, ret, out.len() as i64, &out, None),
            Ok(Ans::Fd(out, fd)) => {
                self.reply(chan, seq, 0, out.len() as i64, &out, Some(fd.as_raw_fd()))
            }
            Ok(Ans::Later) => {}
            Err(e) => {
                log!(2, "option {level}/{name}: errno {e}");
                self.fail(chan, seq, e)
            }
        }
    }

    fn sock(&self, id: u32) -> Result<&Sock, i32> {
        self.socks.get(&id).ok_or(libc::EBADF)
    }

    fn sock_mut(&mut self, id: u32) -> Result<&mut Sock, i32> {
        self.socks.get_mut(&id).ok_or(libc::EBADF)
    }

    fn set_sol_socket(&mut self, id: u32, name: i32, v: &[u8]) -> R {
        let s = self.sock_mut(id)?;
        match name {
            libc::SO_SNDTIMEO | libc::SO_RCVTIMEO => {
                need(v, 16)?;
                let (sec, usec) = (
                    sctp_anywhere_proto::bytes::rd_i64(v, 0),
                    sctp_anywhere_proto::bytes::rd_i64(v, 8),
                );
                if !(0..1_000_000).contains(&usec) {
                    return Err(libc::EDOM);
                }
                let us = if sec < 0 {
                    0
                } else {
                    (sec as u64)
                        .saturating_mul(1_000_000)
                        .saturating_add(usec as u64)
                };
                if name == libc::SO_SNDTIMEO {
                    s.sopts.sndtimeo_us = us
                } else {
                    s.sopts.rcvtimeo_us = us
                }
            }
            libc::SO_LINGER => {
                need(v, 8)?;
                s.sopts.linger = (rd_i32(v, 0), rd_i32(v, 4));
                let _ =
                    s.us.setsockopt(libc::SOL_SOCKET, libc::SO_LINGER, rd_bytes(v, 0, 8));
            }
            libc::SO_SNDBUF | libc::SO_RCVBUF => {
                let n = int_of(v)?;
                // Linux keeps twice the value asked for, within its limits.
                let kept = n.clamp(2304, 212_992).saturating_mul(2);
                let _ = s.us.set_int(libc::SOL_SOCKET, name, kept);
                if name == libc::SO_SNDBUF {
                    s.sopts.sndbuf = kept
                } else {
                    s.sopts.rcvbuf = kept;
                    // What waits for the program in its pair counts against its receive buffer
                    // too, so that a program that does not read closes its peer's window as on
                    // Linux (the pair's own buffer is the sctpd end's send buffer; the kernel
                    // doubles it as well).
                    let _ = crate::unix::setsockopt_int(
                        &s.b,
                        libc::SOL_SOCKET,
                        libc::SO_SNDBUF,
                        kept / 2,
                    );
                }
            }
            libc::SO_REUSEADDR => s.sopts.reuseaddr = i32::from(int_of(v)? != 0),
            _ => {
                if v.len() < 4 && name != libc::SO_BINDTODEVICE {
                    return Err(libc::EINVAL);
                }
                s.sopts.misc.retain(|(n, _)| *n != name);
                s.sopts.misc.push((name, v.to_vec()));
            }
        }
        Ok(Ans::Done(0, vec![]))
    }

    fn get_sol_socket(&mut self, id: u32, name: i32, len: usize) -> R {
        let s = self.sock_mut(id)?;
        match name {
            libc::SO_TYPE => sol_int(s.ty, len),
            libc::SO_DOMAIN => sol_int(s.domain, len),
            libc::SO_PROTOCOL => sol_int(libc::IPPROTO_SCTP, len),
            libc::SO_ACCEPTCONN => sol_int(i32::from(s.listening), len),
            libc::SO_ERROR => {
                let e = std::mem::take(&mut s.so_error);
                sol_int(e, len)
            }
            libc::SO_REUSEADDR => sol_int(s.sopts.reuseaddr, len),
            libc::SO_SNDBUF | libc::SO_RCVBUF => {
                let kept = if name == libc::SO_SNDBUF {
                    s.sopts.sndbuf
                } else {
                    s.sopts.rcvbuf
                };
                let v = if kept != 0 {
                    kept
                } else {
                    s.us.get_int(libc::SOL_SOCKET, name).unwrap_or(0)
                };
                sol_int(v, len)
            }
            libc::SO_LINGER => {
                let mut b = vec![0u8; 8];
                wr_i32(&mut b, 0, s.sopts.linger.0);
                wr_i32(&mut b, 4, s.sopts.linger.1);
                b.truncate(len);
                Ok(Ans::Done(0, b))
            }
            libc::SO_SNDTIMEO | libc::SO_RCVTIMEO => {
                let us = if name == libc::SO_SNDTIMEO {
                    s.sopts.sndtimeo_us
                } else {
                    s.sopts.rcvtimeo_us
                };
                let mut b = vec![0u8; 16];
                sctp_anywhere_proto::bytes::wr_i64(&mut b, 0, (us / 1_000_000) as i64);
                sctp_anywhere_proto::bytes::wr_i64(&mut b, 8, (us % 1_000_000) as i64);
                b.truncate(len);
                Ok(Ans::Done(0, b))
            }
            libc::SO_RCVLOWAT | libc::SO_SNDLOWAT => {
                let v = s
                    .sopts
                    .misc
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(1, |(_, b)| rd_i32(b, 0));
                sol_int(v, len)
            }
            _ => match s.sopts.misc.iter().find(|(n, _)| *n == name) {
                Some((_, b)) => sol_int(i32::from(rd_i32(b, 0) != 0), len),
                None => sol_int(0, len),
            },
        }
    }

    fn set_ipv6(&mut self, id: u32, name: i32, v: &[u8]) -> R {
        let s = self.sock(id)?;
        if s.domain != libc::AF_INET6 {
            return Err(libc::ENOPROTOOPT);
        }
        if name == libc::IPV6_V6ONLY {
            let n = int_of(v)?;
            let _ = s.us.set_int(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, n);
            if let Some(s) = self.socks.get_mut(&id) {
                s.v6only = n != 0;
            }
        }
        Ok(Ans::Done(0, vec![]))
    }

    fn get_ipv6(&mut self, id: u32, name: i32, len: usize) -> R {
        let s = self.sock(id)?;
        if s.domain != libc::AF_INET6 {
            return Err(libc::EOPNOTSUPP);
        }
        if name == libc::IPV6_V6ONLY {
            return sol_int(i32::from(s.v6only), len);
        }
        Err(libc::ENOPROTOOPT)
    }

    /// Mirrors the program's subscriptions on the stack (SCTP_EVENT per type; those of
    /// [`crate::ops::SCTPD_EVENTS`] stay on for sctpd's own use).
    fn apply_subs(us: &USock, old: Subs, new: Subs) {
        for t in lx::SCTP_ASSOC_CHANGE..=lx::SCTP_SN_TYPE_MAX {
            let Some(ut) = notify::usr_type_for(t) else {
                continue;
            };
            let want = new.on(t)
                || (ut == usr::SCTP_SEND_FAILED_EVENT
                    && (new.on(lx::SCTP_SEND_FAILED) || new.on(lx::SCTP_SEND_FAILED_EVENT)));
            let had = old.on(t)
                || (ut == usr::SCTP_SEND_FAILED_EVENT
                    && (old.on(lx::SCTP_SEND_FAILED) || old.on(lx::SCTP_SEND_FAILED_EVENT)));
            if want == had || crate::ops::SCTPD_EVENTS.contains(&ut) {
                continue;
            }
            // usrsctp takes SENDER_DRY for future associations and for each current one by its
            // id only (SCTP_ALL_ASSOC: EOPNOTSUPP); named, a current one reports at once when
            // it has nothing left to send, as Linux's do.
            let targets: Vec<u32> = if ut == usr::SCTP_SENDER_DRY_EVENT {
                std::iter::once(usr::SCTP_FUTURE_ASSOC as u32)
                    .chain(us.assoc_ids())
                    .collect()
            } else {
                vec![usr::SCTP_ALL_ASSOC as u32]
            };
            for a in targets {
                let mut ev = [0u8; usr::sctp_event::SIZE];
                wr_u32(&mut ev, usr::sctp_event::se_assoc_id, a);
                wr_u16(&mut ev, usr::sctp_event::se_type, ut as u16);
                wr_u8(&mut ev, usr::sctp_event::se_on, u8::from(want));
                if let Err(e) = us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_EVENT, &ev) {
                    log!(
                        1,
                        "SCTP_EVENT {ut} (association {a}) on the stack: errno {e}"
                    );
                }
            }
        }
    }

    fn set_sctp(&mut self, chan: u32, req: &Request, id: u32, name: i32, v: &[u8]) -> R {
        match name {
            n if n == lx::SCTP_EVENTS => {
                if v.len() > lx::sctp_event_subscribe::SIZE {
                    return Err(libc::EINVAL);
                }
                let s = self.sock_mut(id)?;
                let before = s.stack_subs();
                let mut new = s.ropts.subs;
                for (i, b) in v.iter().enumerate() {
                    new.set(lx::SCTP_SN_TYPE_BASE + i as u32, *b != 0);
                }
                // The socket's, and every current association's (Linux copies them over).
                s.ropts.subs = new;
                s.assoc_subs.values_mut().for_each(|a| *a = new);
                Self::apply_subs(&s.us, before, s.stack_subs());
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_EVENT => {
                need(v, lx::sctp_event::SIZE)?;
                let t = u32::from(rd_u16(v, lx::sctp_event::se_type));
                if !(lx::SCTP_SN_TYPE_BASE..=lx::SCTP_SN_TYPE_MAX).contains(&t) {
                    return Err(libc::EINVAL);
                }
                let s = self.sock_mut(id)?;
                let aid = rd_i32(v, lx::sctp_event::se_assoc_id);
                if !s.one_to_one
                    && aid > lx::SCTP_ALL_ASSOC
                    && status_state(&s.us, s.ids.usr_of(aid)).is_none()
                {
                    return Err(libc::EINVAL);
                }
                let on = rd_u8(v, lx::sctp_event::se_on) != 0;
                let before = s.stack_subs();
                let endpoint = s.ropts.subs;
                // Linux: SCTP_FUTURE_ASSOC the socket's (future associations'), SCTP_CURRENT_ASSOC
                // every current association's, SCTP_ALL_ASSOC both, an id that association's;
                // a one-to-one socket has one set.
                if s.one_to_one || aid == lx::SCTP_FUTURE_ASSOC || aid == lx::SCTP_ALL_ASSOC {
                    s.ropts.subs.set(t, on);
                }
                if !s.one_to_one {
                    let targets: Vec<u32> =
                        if aid == lx::SCTP_CURRENT_ASSOC || aid == lx::SCTP_ALL_ASSOC {
                            s.us.assoc_ids()
                        } else if aid > lx::SCTP_ALL_ASSOC {
                            vec![s.ids.usr_of(aid)]
                        } else {
                            Vec::new()
                        };
                    for u in targets {
                        s.assoc_subs.entry(u).or_insert(endpoint).set(t, on);
                    }
                }
                Self::apply_subs(&s.us, before, s.stack_subs());
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_RECVRCVINFO || n == lx::SCTP_RECVNXTINFO => {
                let on = int_of(v)? != 0;
                let s = self.sock_mut(id)?;
                if n == lx::SCTP_RECVRCVINFO {
                    s.ropts.rcvinfo = on
                } else {
                    s.ropts.nxtinfo = on
                }
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_INITMSG => {
                exact(v, lx::sctp_initmsg::SIZE)?;
                let s = self.sock(id)?;
                // Linux changes only the fields given as nonzero.
                let mut cur = [0u8; 8];
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &mut cur)
                    .map_err(linux_errno)?;
                for i in 0..4 {
                    let x = rd_u16(v, 2 * i);
                    if x != 0 {
                        wr_u16(&mut cur, 2 * i, x);
                    }
                }
                s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &cur)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_NODELAY
                || n == lx::SCTP_DISABLE_FRAGMENTS
                || n == lx::SCTP_I_WANT_MAPPED_V4_ADDR =>
            {
                let x = int_of(v)?;
                let un = if n == lx::SCTP_NODELAY {
                    usr::SCTP_NODELAY
                } else if n == lx::SCTP_DISABLE_FRAGMENTS {
                    usr::SCTP_DISABLE_FRAGMENTS
                } else {
                    usr::SCTP_I_WANT_MAPPED_V4_ADDR
                };
                let s = self.sock_mut(id)?;
                if n == lx::SCTP_NODELAY {
                    s.sopts.nodelay = x != 0;
                    return Ok(Ans::Done(0, vec![]));
                }
                if n == lx::SCTP_I_WANT_MAPPED_V4_ADDR {
                    // Linux keeps the value on any socket; only an IPv6 one uses it.
                    s.v4mapped = x != 0;
                    if s.domain != libc::AF_INET6 {
                        return Ok(Ans::Done(0, vec![]));
                    }
                }
                s.us.set_int(libc::IPPROTO_SCTP, un, i32::from(x != 0))
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_AUTOCLOSE => {
                let s = self.sock(id)?;
                if s.one_to_one {
                    return Err(libc::EOPNOTSUPP);
                }
                exact(v, 4)?;
                s.us.set_int(libc::IPPROTO_SCTP, usr::SCTP_AUTOCLOSE, rd_i32(v, 0))
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_RTOINFO => {
                exact(v, lx::sctp_rtoinfo::SIZE)?;
                let s = self.sock(id)?;
                let aid = rd_i32(v, 0);
                let ua = self.check_assoc(id, aid)?;
                use lx::sctp_rtoinfo as l;
                let (init, max, min) = (
                    rd_u32(v, l::srto_initial),
                    rd_u32(v, l::srto_max),
                    rd_u32(v, l::srto_min),
                );
                let mut cur = [0u8; usr::sctp_rtoinfo::SIZE];
                wr_u32(&mut cur, usr::sctp_rtoinfo::srto_assoc_id, ua);
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_RTOINFO, &mut cur)
                    .map_err(linux_errno)?;
                let max_eff = if max != 0 {
                    max
                } else {
                    rd_u32(&cur, usr::sctp_rtoinfo::srto_max)
                };
                let min_eff = if min != 0 {
                    min
                } else {
                    rd_u32(&cur, usr::sctp_rtoinfo::srto_min)
                };
                if min_eff > max_eff || (init != 0 && (init > max_eff || init < min_eff)) {
                    return Err(libc::EINVAL);
                }
                for (f, x) in [
                    (usr::sctp_rtoinfo::srto_initial, init),
                    (usr::sctp_rtoinfo::srto_max, max),
                    (usr::sctp_rtoinfo::srto_min, min),
                ] {
                    if x != 0 {
                        wr_u32(&mut cur, f, x);
                    }
                }
                wr_u32(&mut cur, usr::sctp_rtoinfo::srto_assoc_id, ua);
                s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_RTOINFO, &cur)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_ASSOCINFO => {
                exact(v, lx::sctp_assocparams::SIZE)?;
                use lx::sctp_assocparams as l;
                use usr::sctp_assocparams as u;
                let aid = rd_i32(v, l::sasoc_assoc_id);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::sasoc_assoc_id, ua);
                wr_u16(&mut b, u::sasoc_asocmaxrxt, rd_u16(v, l::sasoc_asocmaxrxt));
                wr_u32(
                    &mut b,
                    u::sasoc_cookie_life,
                    rd_u32(v, l::sasoc_cookie_life),
                );
                self.sock(id)?
                    .us
                    .setsockopt(libc::IPPROTO_SCTP, usr::SCTP_ASSOCINFO, &b)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_DEFAULT_SEND_PARAM || n == lx::SCTP_DEFAULT_SNDINFO => {
                let (aid, sid, flags, ppid, ctx, ttl) = if n == lx::SCTP_DEFAULT_SEND_PARAM {
                    use lx::sctp_sndrcvinfo as l;
                    need(v, l::SIZE)?;
                    (
                        rd_i32(v, l::sinfo_assoc_id),
                        rd_u16(v, l::sinfo_stream),
                        u32::from(rd_u16(v, l::sinfo_flags)),
                        rd_u32(v, l::sinfo_ppid),
                        rd_u32(v, l::sinfo_context),
                        Some(rd_u32(v, l::sinfo_timetolive)),
                    )
                } else {
                    use lx::sctp_sndinfo as l;
                    need(v, l::SIZE)?;
                    (
                        rd_i32(v, l::snd_assoc_id),
                        rd_u16(v, l::snd_sid),
                        u32::from(rd_u16(v, l::snd_flags)),
                        rd_u32(v, l::snd_ppid),
                        rd_u32(v, l::snd_context),
                        None,
                    )
                };
                if flags
                    & !(lx::SCTP_UNORDERED | lx::SCTP_ADDR_OVER | lx::SCTP_ABORT | lx::SCTP_EOF)
                    != 0
                {
                    return Err(libc::EINVAL);
                }
                let ua = self.check_assoc(id, aid)?;
                let s = self.sock(id)?;
                use usr::sctp_sndinfo as u;
                let mut b = [0u8; u::SIZE];
                wr_u16(&mut b, u::snd_sid, sid);
                wr_u16(&mut b, u::snd_flags, notify::flags_to_usr(flags) as u16);
                wr_u32(&mut b, u::snd_ppid, ppid);
                wr_u32(&mut b, u::snd_context, ctx);
                wr_u32(&mut b, u::snd_assoc_id, ua);
                s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_DEFAULT_SNDINFO, &b)
                    .map_err(linux_errno)?;
                if let Some(ttl) = ttl {
                    use usr::sctp_default_prinfo as p;
                    let mut pb = [0u8; p::SIZE];
                    let pol = if ttl != 0 {
                        usr::SCTP_PR_SCTP_TTL
                    } else {
                        usr::SCTP_PR_SCTP_NONE
                    };
                    wr_u16(&mut pb, p::pr_policy, pol as u16);
                    wr_u32(&mut pb, p::pr_value, ttl);
                    wr_u32(&mut pb, p::pr_assoc_id, ua);
                    let _ =
                        s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_DEFAULT_PRINFO, &pb);
                }
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_SOCKOPT_BINDX_ADD || n == lx::SCTP_SOCKOPT_BINDX_REM => {
                self.do_bindx(id, v, n == lx::SCTP_SOCKOPT_BINDX_ADD)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_SOCKOPT_CONNECTX_OLD || n == lx::SCTP_SOCKOPT_CONNECTX => {
                let s = self.sock(id)?;
                let (packed, cnt) = packed_addrs(s.domain, v)?;
                // CONNECTX returns the id as setsockopt's value: the shim takes it from out.
                self.start_connect(chan, id, req, &packed, cnt, Some(vec![0u8; 4]));
                Ok(Ans::Later)
            }
            n if n == lx::SCTP_REMOTE_UDP_ENCAPS_PORT => {
                use lx::sctp_udpencaps as l;
                need(v, l::SIZE)?;
                let s = self.sock(id)?;
                let fam = rd_u16(v, l::sue_address);
                let a = rd_bytes(v, l::sue_address, addr_len(fam)).to_vec();
                self.set_remote_port(&s.us, &a, u16::from_be(rd_u16(v, l::sue_port)));
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_MAXSEG || n == lx::SCTP_CONTEXT || n == lx::SCTP_MAX_BURST => {
                let un = if n == lx::SCTP_MAXSEG {
                    usr::SCTP_MAXSEG
                } else if n == lx::SCTP_CONTEXT {
                    usr::SCTP_CONTEXT
                } else {
                    usr::SCTP_MAX_BURST
                };
                let (aid, val) = if v.len() == 4 {
                    (0, rd_u32(v, 0))
                } else {
                    need(v, lx::sctp_assoc_value::SIZE)?;
                    (rd_i32(v, 0), rd_u32(v, 4))
                };
                let ua = self.check_assoc(id, aid)?;
                if n == lx::SCTP_MAXSEG && val != 0 {
                    // Linux (sctp_setsockopt_maxseg): at least what a 512-byte packet carries
                    // of data, at most what a chunk can hold.
                    let net = if self.sock(id)?.domain == libc::AF_INET6 {
                        40
                    } else {
                        20
                    };
                    let min = (512 - 12 - net - 16) & !3;
                    if val < min || val > 65535 - 16 {
                        return Err(libc::EINVAL);
                    }
                }
                let mut b = [0u8; 8];
                wr_u32(&mut b, usr::sctp_assoc_value::assoc_id, ua);
                wr_u32(&mut b, usr::sctp_assoc_value::assoc_value, val);
                self.sock(id)?
                    .us
                    .setsockopt(libc::IPPROTO_SCTP, un, &b)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_FRAGMENT_INTERLEAVE
                || n == lx::SCTP_PARTIAL_DELIVERY_POINT
                || n == lx::SCTP_AUTO_ASCONF =>
            {
                let mut x = int_of(v)?;
                let un = if n == lx::SCTP_FRAGMENT_INTERLEAVE {
                    // Linux keeps on or off (any nonzero value is 1).
                    x = i32::from(x != 0);
                    usr::SCTP_FRAGMENT_INTERLEAVE
                } else if n == lx::SCTP_PARTIAL_DELIVERY_POINT {
                    usr::SCTP_PARTIAL_DELIVERY_POINT
                } else {
                    usr::SCTP_AUTO_ASCONF
                };
                let s = self.sock_mut(id)?;
                s.us.set_int(libc::IPPROTO_SCTP, un, x)
                    .map_err(linux_errno)?;
                if n == lx::SCTP_FRAGMENT_INTERLEAVE {
                    s.sopts.frag_interleave = x;
                } else if n == lx::SCTP_PARTIAL_DELIVERY_POINT {
                    s.sopts.pd_point = x;
                }
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_ADAPTATION_LAYER => {
                need(v, 4)?;
                let s = self.sock_mut(id)?;
                s.us.set_int(libc::IPPROTO_SCTP, usr::SCTP_ADAPTATION_LAYER, rd_i32(v, 0))
                    .map_err(linux_errno)?;
                s.sopts.adaptation = Some(rd_u32(v, 0));
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_PRIMARY_ADDR => {
                use lx::sctp_prim as l;
                use usr::sctp_setprim as u;
                need(v, l::SIZE)?;
                let aid = rd_i32(v, l::ssp_assoc_id);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; u::SIZE];
                wr_bytes(&mut b, u::ssp_addr, rd_bytes(v, l::ssp_addr, 128));
                wr_u32(&mut b, u::ssp_assoc_id, ua);
                self.sock(id)?
                    .us
                    .setsockopt(libc::IPPROTO_SCTP, usr::SCTP_PRIMARY_ADDR, &b)
                    .map_err(|_| libc::EINVAL)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_PEER_ADDR_PARAMS => {
                use lx::sctp_paddrparams as l;
                use usr::sctp_paddrparams as u;
                need(v, l::SIZE)?;
                // Linux (sctp_setsockopt_peer_addr_params): a SACK delay of at most 500 ms, a
                // path MTU of at least 512, and not both halves of a switch.
                let lf0 = rd_u32(v, l::spp_flags);
                let both = |on: u32, off: u32| lf0 & (on | off) == on | off;
                let pmtu = rd_u32(v, l::spp_pathmtu);
                if rd_u32(v, l::spp_sackdelay) > 500
                    || (pmtu != 0 && pmtu < 512)
                    || both(lx::SPP_HB_ENABLE, lx::SPP_HB_DISABLE)
                    || both(lx::SPP_PMTUD_ENABLE, lx::SPP_PMTUD_DISABLE)
                    || both(lx::SPP_SACKDELAY_ENABLE, lx::SPP_SACKDELAY_DISABLE)
                {
                    return Err(libc::EINVAL);
                }
                let ua = self.check_assoc(id, rd_i32(v, l::spp_assoc_id))?;
                self.check_peer_addr(id, ua, rd_bytes(v, l::spp_address, 128))?;
                let mut b = [0u8; u::SIZE];
                wr_bytes(
                    &mut b,
                    u::spp_address,
                    &any_is_family(self.sock(id)?.domain, rd_bytes(v, l::spp_address, 128)),
                );
                wr_u32(&mut b, u::spp_assoc_id, ua);
                wr_u32(&mut b, u::spp_hbinterval, rd_u32(v, l::spp_hbinterval));
                wr_u32(&mut b, u::spp_pathmtu, rd_u32(v, l::spp_pathmtu));
                wr_u16(&mut b, u::spp_pathmaxrxt, rd_u16(v, l::spp_pathmaxrxt));
                let lf = rd_u32(v, l::spp_flags);
                let mut uf = 0;
                for (a, c) in [
                    (lx::SPP_HB_ENABLE, usr::SPP_HB_ENABLE),
                    (lx::SPP_HB_DISABLE, usr::SPP_HB_DISABLE),
                    (lx::SPP_HB_DEMAND, usr::SPP_HB_DEMAND),
                    (lx::SPP_PMTUD_ENABLE, usr::SPP_PMTUD_ENABLE),
                    (lx::SPP_PMTUD_DISABLE, usr::SPP_PMTUD_DISABLE),
                    (lx::SPP_HB_TIME_IS_ZERO, usr::SPP_HB_TIME_IS_ZERO),
                ] {
                    if lf & a != 0 {
                        uf |= c;
                    }
                }
                wr_u32(&mut b, u::spp_flags, uf);
                let s = self.sock(id)?;
                s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_PEER_ADDR_PARAMS, &b)
                    .map_err(linux_errno)?;
                // Linux's SACK delay lives here too; the stack's in SCTP_DELAYED_SACK.
                if lf & (lx::SPP_SACKDELAY_ENABLE | lx::SPP_SACKDELAY_DISABLE) != 0 {
                    use usr::sctp_sack_info as k;
                    let mut sb = [0u8; k::SIZE];
                    wr_u32(&mut sb, k::sack_assoc_id, ua);
                    let d = if lf & lx::SPP_SACKDELAY_DISABLE != 0 {
                        0
                    } else {
                        rd_u32(v, l::spp_sackdelay)
                    };
                    wr_u32(&mut sb, k::sack_delay, d);
                    if lf & lx::SPP_SACKDELAY_DISABLE != 0 {
                        wr_u32(&mut sb, k::sack_freq, 1);
                    }
                    let _ =
                        s.us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_DELAYED_SACK, &sb);
                }
                Ok(Ans::Done(0, vec![]))
            }
            n if n == lx::SCTP_DELAYED_SACK => {
                use lx::sctp_sack_info as l;
                use usr::sctp_sack_info as u;
                need(v, l::SIZE)?;
                let mut b = [0u8; u::SIZE];
                let ua = self.check_assoc(id, rd_i32(v, l::sack_assoc_id))?;
                wr_u32(&mut b, u::sack_assoc_id, ua);
                wr_u32(&mut b, u::sack_delay, rd_u32(v, l::sack_delay));
                wr_u32(&mut b, u::sack_freq, rd_u32(v, l::sack_freq));
                self.sock(id)?
                    .us
                    .setsockopt(libc::IPPROTO_SCTP, usr::SCTP_DELAYED_SACK, &b)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            n if is_auth(n) => Err(libc::EACCES),
            n if supported_opt(n).is_some() => {
                need(v, lx::sctp_assoc_value::SIZE)?;
                let s = self.sock(id)?;
                let aid = rd_i32(v, 0);
                if !s.one_to_one && aid != lx::SCTP_FUTURE_ASSOC {
                    return Err(libc::EINVAL);
                }
                let un = supported_opt(n).unwrap_or(0);
                let mut b = [0u8; 8];
                wr_u32(&mut b, 4, rd_u32(v, 4));
                s.us.setsockopt(libc::IPPROTO_SCTP, un, &b)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, vec![]))
            }
            _ => {
                log!(
                    1,
                    "socket {id}: setsockopt SOL_SCTP {name} is not supported by sctpd: ENOPROTOOPT"
                );
                Err(libc::ENOPROTOOPT)
            }
        }
    }

    /// EINVAL when `aid` names no association of a one-to-many socket (and is not one of
    /// FUTURE/CURRENT/ALL), as Linux's sctp_id2assoc checks.
    /// The stack's id for Linux's `aid` on socket `id`; EINVAL when it names no association
    /// of a one-to-many socket (and is not one of FUTURE/CURRENT/ALL), as Linux's
    /// sctp_id2assoc checks. A one-to-one socket ignores the id (its association is 0).
    fn check_assoc(&self, id: u32, aid: i32) -> Result<u32, i32> {
        let s = self.sock(id)?;
        if s.one_to_one {
            return Ok(0);
        }
        if (0..=lx::SCTP_ALL_ASSOC).contains(&aid) {
            return Ok(aid as u32);
        }
        let u = s.ids.usr_of(aid);
        status_state(&s.us, u).map(|_| u).ok_or(libc::EINVAL)
    }

    /// A peer address named in an option (SCTP_PEER_ADDR_PARAMS...): the wildcard is every
    /// one; any other must be a peer address of the association (or of some association of
    /// the socket for id 0), else EINVAL, as Linux's sctp_addr_id2transport.
    fn check_peer_addr(&self, id: u32, ua: u32, addr: &[u8]) -> Result<(), i32> {
        let fam = rd_u16(addr, 0);
        let len = addr_len(fam);
        if len == 0 {
            return Ok(());
        }
        let a = rd_bytes(addr, 0, len);
        let wildcard = match i32::from(fam) {
            libc::AF_INET => rd_bytes(a, 4, 4).iter().all(|b| *b == 0),
            _ => rd_bytes(a, 8, 16).iter().all(|b| *b == 0),
        };
        if wildcard {
            return Ok(());
        }
        let s = self.sock(id)?;
        let peers: Vec<Vec<u8>> = if ua > lx::SCTP_ALL_ASSOC as u32 || s.one_to_one {
            s.us.addrs(ua, true).unwrap_or_default()
        } else {
            s.us.assoc_ids()
                .into_iter()
                .flat_map(|u| s.us.addrs(u, true).unwrap_or_default())
                .collect()
        };
        if peers.iter().any(|p| crate::bindx::same_endpoint(p, a)) {
            Ok(())
        } else {
            Err(libc::EINVAL)
        }
    }

    fn get_sctp(
        &mut self,
        chan: u32,
        req: &Request,
        id: u32,
        name: i32,
        inb: &[u8],
        len: usize,
    ) -> R {
        match name {
            n if n == lx::SCTP_EVENTS => {
                let s = self.sock(id)?;
                if len > lx::sctp_event_subscribe::SIZE {
                    // Linux copies at most its struct's size.
                }
                let n = len.min(lx::sctp_event_subscribe::SIZE);
                let b: Vec<u8> = (0..n)
                    .map(|i| u8::from(s.ropts.subs.on(lx::SCTP_SN_TYPE_BASE + i as u32)))
                    .collect();
                Ok(Ans::Done(0, b))
            }
            n if n == lx::SCTP_EVENT => {
                if len < lx::sctp_event::SIZE {
                    return Err(libc::EINVAL);
                }
                let t = u32::from(rd_u16(inb, lx::sctp_event::se_type));
                if !(lx::SCTP_SN_TYPE_BASE..=lx::SCTP_SN_TYPE_MAX).contains(&t) {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                let aid = rd_i32(inb, lx::sctp_event::se_assoc_id);
                let subs = if !s.one_to_one && aid > lx::SCTP_ALL_ASSOC {
                    let u = s.ids.usr_of(aid);
                    if status_state(&s.us, u).is_none() {
                        return Err(libc::EINVAL);
                    }
                    s.assoc_subs.get(&u).copied().unwrap_or(s.ropts.subs)
                } else {
                    s.ropts.subs
                };
                let mut b = rd_bytes(inb, 0, lx::sctp_event::SIZE).to_vec();
                b.resize(lx::sctp_event::SIZE, 0);
                wr_u8(&mut b, lx::sctp_event::se_on, u8::from(subs.on(t)));
                Ok(Ans::Done(0, b))
            }
            n if n == lx::SCTP_RECVRCVINFO || n == lx::SCTP_RECVNXTINFO => {
                if len < 4 {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                int_ans(i32::from(if n == lx::SCTP_RECVRCVINFO {
                    s.ropts.rcvinfo
                } else {
                    s.ropts.nxtinfo
                }))
            }
            n if n == lx::SCTP_INITMSG => {
                if len < lx::sctp_initmsg::SIZE {
                    return Err(libc::EINVAL);
                }
                let mut b = vec![0u8; 8];
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &mut b)
                    .map_err(linux_errno)?;
                Ok(Ans::Done(0, b))
            }
            n if n == lx::SCTP_NODELAY
                || n == lx::SCTP_DISABLE_FRAGMENTS
                || n == lx::SCTP_I_WANT_MAPPED_V4_ADDR
                || n == lx::SCTP_AUTOCLOSE
                || n == lx::SCTP_FRAGMENT_INTERLEAVE
                || n == lx::SCTP_PARTIAL_DELIVERY_POINT
                || n == lx::SCTP_AUTO_ASCONF =>
            {
                if len < 4 {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                if n == lx::SCTP_AUTOCLOSE && s.one_to_one {
                    return Err(libc::EOPNOTSUPP);
                }
                if n == lx::SCTP_I_WANT_MAPPED_V4_ADDR {
                    return int_ans(i32::from(s.v4mapped));
                }
                if n == lx::SCTP_NODELAY {
                    return int_ans(i32::from(s.sopts.nodelay));
                }
                let un = match n {
                    x if x == lx::SCTP_NODELAY => usr::SCTP_NODELAY,
                    x if x == lx::SCTP_DISABLE_FRAGMENTS => usr::SCTP_DISABLE_FRAGMENTS,
                    x if x == lx::SCTP_I_WANT_MAPPED_V4_ADDR => usr::SCTP_I_WANT_MAPPED_V4_ADDR,
                    x if x == lx::SCTP_AUTOCLOSE => usr::SCTP_AUTOCLOSE,
                    x if x == lx::SCTP_FRAGMENT_INTERLEAVE => usr::SCTP_FRAGMENT_INTERLEAVE,
                    x if x == lx::SCTP_PARTIAL_DELIVERY_POINT => usr::SCTP_PARTIAL_DELIVERY_POINT,
                    _ => usr::SCTP_AUTO_ASCONF,
                };
                if n == lx::SCTP_FRAGMENT_INTERLEAVE {
                    return int_ans(s.sopts.frag_interleave);
                }
                if n == lx::SCTP_PARTIAL_DELIVERY_POINT {
                    return int_ans(s.sopts.pd_point);
                }
                let v = s.us.get_int(libc::IPPROTO_SCTP, un).map_err(linux_errno)?;
                let v = if n == lx::SCTP_NODELAY
                    || n == lx::SCTP_DISABLE_FRAGMENTS
                    || n == lx::SCTP_I_WANT_MAPPED_V4_ADDR
                {
                    i32::from(v != 0)
                } else {
                    v
                };
                int_ans(v)
            }
            n if n == lx::SCTP_RTOINFO => {
                use lx::sctp_rtoinfo as l;
                use usr::sctp_rtoinfo as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::srto_assoc_id);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::srto_assoc_id, ua);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_RTOINFO, &mut b)
                    .map_err(linux_errno)?;
                let mut o = vec![0u8; l::SIZE];
                wr_i32(&mut o, l::srto_assoc_id, aid);
                wr_u32(&mut o, l::srto_initial, rd_u32(&b, u::srto_initial));
                wr_u32(&mut o, l::srto_max, rd_u32(&b, u::srto_max));
                wr_u32(&mut o, l::srto_min, rd_u32(&b, u::srto_min));
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_ASSOCINFO => {
                use lx::sctp_assocparams as l;
                use usr::sctp_assocparams as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::sasoc_assoc_id);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::sasoc_assoc_id, ua);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_ASSOCINFO, &mut b)
                    .map_err(linux_errno)?;
                let mut o = vec![0u8; l::SIZE];
                wr_i32(&mut o, l::sasoc_assoc_id, aid);
                wr_u16(&mut o, l::sasoc_asocmaxrxt, rd_u16(&b, u::sasoc_asocmaxrxt));
                wr_u16(
                    &mut o,
                    l::sasoc_number_peer_destinations,
                    rd_u16(&b, u::sasoc_number_peer_destinations),
                );
                wr_u32(&mut o, l::sasoc_peer_rwnd, rd_u32(&b, u::sasoc_peer_rwnd));
                wr_u32(&mut o, l::sasoc_local_rwnd, rd_u32(&b, u::sasoc_local_rwnd));
                if !self.sock(id)?.one_to_one && ua <= lx::SCTP_ALL_ASSOC as u32 {
                    // The endpoint's (no association): Linux has no windows nor destinations.
                    wr_u16(&mut o, l::sasoc_number_peer_destinations, 0);
                    wr_u32(&mut o, l::sasoc_peer_rwnd, 0);
                    wr_u32(&mut o, l::sasoc_local_rwnd, 0);
                }
                wr_u32(
                    &mut o,
                    l::sasoc_cookie_life,
                    rd_u32(&b, u::sasoc_cookie_life),
                );
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_STATUS => {
                use lx::sctp_status as l;
                use usr::sctp_status as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::sstat_assoc_id);
                let s = self.sock(id)?;
                let ua = if s.one_to_one { 0 } else { s.ids.usr_of(aid) };
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::sstat_assoc_id, ua);
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_STATUS, &mut b)
                    .map_err(|_| libc::EINVAL)?;
                let mut o = vec![0u8; l::SIZE];
                let g = self.gid(id, rd_u32(&b, u::sstat_assoc_id));
                wr_i32(&mut o, l::sstat_assoc_id, g);
                wr_i32(
                    &mut o,
                    l::sstat_primary + lx::sctp_paddrinfo::spinfo_assoc_id,
                    g,
                );
                wr_i32(
                    &mut o,
                    l::sstat_state,
                    assoc_state(rd_i32(&b, u::sstat_state)),
                );
                wr_u32(&mut o, l::sstat_rwnd, rd_u32(&b, u::sstat_rwnd));
                wr_u16(&mut o, l::sstat_unackdata, rd_u16(&b, u::sstat_unackdata));
                wr_u16(&mut o, l::sstat_penddata, rd_u16(&b, u::sstat_penddata));
                wr_u16(&mut o, l::sstat_instrms, rd_u16(&b, u::sstat_instrms));
                wr_u16(&mut o, l::sstat_outstrms, rd_u16(&b, u::sstat_outstrms));
                wr_u32(
                    &mut o,
                    l::sstat_fragmentation_point,
                    rd_u32(&b, u::sstat_fragmentation_point),
                );
                let sid = id;
                paddrinfo_to_linux(&mut o, l::sstat_primary, &b, u::sstat_primary, |a| {
                    self.map_for(sid, a)
                });
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_GET_PEER_ADDR_INFO => {
                use lx::sctp_paddrinfo as l;
                use usr::sctp_paddrinfo as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                let fam = rd_u16(inb, l::spinfo_address);
                let a = verify_addr(s.domain, rd_bytes(inb, l::spinfo_address, addr_len(fam)))
                    .map_err(|_| libc::EINVAL)?;
                // Linux finds the address's association and refuses only an id that names
                // another existing association (sctp_addr_id2transport).
                let aid = rd_i32(inb, l::spinfo_assoc_id);
                let by_addr = crate::ops::peer_assoc(&s.us, &a);
                let ua = if s.one_to_one { 0 } else { s.ids.usr_of(aid) };
                let ua = if ua > 2 && status_state(&s.us, ua).is_none() {
                    0
                } else {
                    ua
                };
                if ua > 2 && by_addr != 0 && ua != by_addr {
                    return Err(libc::EINVAL);
                }
                let mut b = [0u8; u::SIZE];
                wr_bytes(&mut b, u::spinfo_address, &a);
                wr_u32(
                    &mut b,
                    u::spinfo_assoc_id,
                    if ua > 2 { ua } else { by_addr },
                );
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_PEER_ADDR_INFO, &mut b)
                    .map_err(|_| libc::EINVAL)?;
                let mut o = vec![0u8; l::SIZE];
                let sid = id;
                paddrinfo_to_linux(&mut o, 0, &b, 0, |a| self.map_for(sid, a));
                let g = self.gid(id, rd_u32(&b, u::spinfo_assoc_id));
                wr_i32(&mut o, l::spinfo_assoc_id, g);
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_GET_ASSOC_ID_LIST || n == lx::SCTP_GET_ASSOC_NUMBER => {
                let s = self.sock(id)?;
                if s.one_to_one {
                    return Err(libc::EOPNOTSUPP);
                }
                let mut b = vec![0u8; 4 + 4 * 4096];
                let got =
                    s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_ASSOC_ID_LIST, &mut b)
                        .map_err(linux_errno)?;
                let num = rd_u32(&b, 0) as usize;
                if n == lx::SCTP_GET_ASSOC_NUMBER {
                    if len < 4 {
                        return Err(libc::EINVAL);
                    }
                    return int_ans(num as i32);
                }
                if len < 4 || len < 4 + 4 * num {
                    return Err(libc::EINVAL);
                }
                b.truncate(got.min(4 + 4 * num));
                for i in 0..num {
                    let g = self.gid(id, rd_u32(&b, 4 + 4 * i));
                    wr_i32(&mut b, 4 + 4 * i, g);
                }
                Ok(Ans::Done(0, b))
            }
            n if n == lx::SCTP_GET_PEER_ADDRS || n == lx::SCTP_GET_LOCAL_ADDRS => {
                use lx::sctp_getaddrs as l;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::assoc_id);
                let s = self.sock(id)?;
                let peer = n == lx::SCTP_GET_PEER_ADDRS;
                let ua = if s.one_to_one { 0 } else { s.ids.usr_of(aid) };
                if (peer || aid != 0) && !s.one_to_one && status_state(&s.us, ua).is_none() {
                    return Err(libc::EINVAL);
                }
                if s.one_to_one && !s.connected && (peer || aid != 0) {
                    return Err(libc::EINVAL);
                }
                let list = match (peer, aid, self.bound_list(id)) {
                    (false, 0, Some(b)) => b,
                    _ => {
                        let mut l = s.us.addrs(ua, peer).map_err(|_| libc::EINVAL)?;
                        if !peer && let Some(b) = self.bound_list(id) {
                            // In the order bound, as Linux keeps them.
                            let dom = s.domain;
                            let key = |a: &Vec<u8>| {
                                let h = crate::bindx::host(dom, a);
                                b.iter()
                                    .position(|x| crate::bindx::host(dom, x) == h)
                                    .unwrap_or(usize::MAX)
                            };
                            l.sort_by_key(key);
                        }
                        l
                    }
                };
                let mut o = vec![0u8; l::SIZE];
                wr_i32(&mut o, l::assoc_id, aid);
                let mut cnt = 0u32;
                for a in list {
                    let a = self.map_for(id, a);
                    if o.len() + a.len() > len {
                        return Err(libc::ENOMEM);
                    }
                    o.extend_from_slice(&a);
                    cnt += 1;
                }
                wr_u32(&mut o, l::addr_num, cnt);
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_SOCKOPT_PEELOFF || n == lx::SCTP_SOCKOPT_PEELOFF_FLAGS => {
                let (size, flags) = if n == lx::SCTP_SOCKOPT_PEELOFF {
                    (lx::sctp_peeloff_arg_t::SIZE, 0)
                } else {
                    (
                        lx::sctp_peeloff_flags_arg_t::SIZE,
                        rd_u32(inb, lx::sctp_peeloff_flags_arg_t::flags),
                    )
                };
                if len < size {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, lx::sctp_peeloff_arg_t::associd);
                self.peeloff(id, aid, flags, rd_bytes(inb, 0, size).to_vec())
            }
            n if n == lx::SCTP_SOCKOPT_CONNECTX3 => {
                // The shim sent the struct with the addresses it points to after it.
                use lx::sctp_getaddrs_old as l;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let bytes = rd_i32(inb, l::addr_num);
                if bytes <= 0 {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                let addrs = rd_bytes(inb, l::SIZE, bytes as usize);
                let (packed, cnt) = packed_addrs(s.domain, addrs)?;
                self.start_connect(chan, id, req, &packed, cnt, Some(vec![0u8; 4]));
                Ok(Ans::Later)
            }
            n if n == lx::SCTP_DEFAULT_SEND_PARAM || n == lx::SCTP_DEFAULT_SNDINFO => {
                let lsize = if n == lx::SCTP_DEFAULT_SEND_PARAM {
                    lx::sctp_sndrcvinfo::SIZE
                } else {
                    lx::sctp_sndinfo::SIZE
                };
                if len < lsize {
                    return Err(libc::EINVAL);
                }
                let aid = if n == lx::SCTP_DEFAULT_SEND_PARAM {
                    rd_i32(inb, lx::sctp_sndrcvinfo::sinfo_assoc_id)
                } else {
                    rd_i32(inb, lx::sctp_sndinfo::snd_assoc_id)
                };
                let ua = self.check_assoc(id, aid)?;
                let s = self.sock(id)?;
                use usr::sctp_sndinfo as u;
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::snd_assoc_id, ua);
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_DEFAULT_SNDINFO, &mut b)
                    .map_err(linux_errno)?;
                let mut o = vec![0u8; lsize];
                let lf = notify::flags_to_linux(u32::from(rd_u16(&b, u::snd_flags))) as u16;
                if n == lx::SCTP_DEFAULT_SEND_PARAM {
                    use lx::sctp_sndrcvinfo as l;
                    wr_u16(&mut o, l::sinfo_stream, rd_u16(&b, u::snd_sid));
                    wr_u16(&mut o, l::sinfo_flags, lf);
                    wr_u32(&mut o, l::sinfo_ppid, rd_u32(&b, u::snd_ppid));
                    wr_u32(&mut o, l::sinfo_context, rd_u32(&b, u::snd_context));
                    wr_i32(&mut o, l::sinfo_assoc_id, aid);
                    let mut pb = [0u8; usr::sctp_default_prinfo::SIZE];
                    wr_u32(&mut pb, usr::sctp_default_prinfo::pr_assoc_id, ua);
                    if s.us
                        .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_DEFAULT_PRINFO, &mut pb)
                        .is_ok()
                        && u32::from(rd_u16(&pb, usr::sctp_default_prinfo::pr_policy))
                            == usr::SCTP_PR_SCTP_TTL
                    {
                        wr_u32(
                            &mut o,
                            l::sinfo_timetolive,
                            rd_u32(&pb, usr::sctp_default_prinfo::pr_value),
                        );
                    }
                } else {
                    use lx::sctp_sndinfo as l;
                    wr_u16(&mut o, l::snd_sid, rd_u16(&b, u::snd_sid));
                    wr_u16(&mut o, l::snd_flags, lf);
                    wr_u32(&mut o, l::snd_ppid, rd_u32(&b, u::snd_ppid));
                    wr_u32(&mut o, l::snd_context, rd_u32(&b, u::snd_context));
                    wr_i32(&mut o, l::snd_assoc_id, aid);
                }
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_MAXSEG || n == lx::SCTP_CONTEXT || n == lx::SCTP_MAX_BURST => {
                let un = if n == lx::SCTP_MAXSEG {
                    usr::SCTP_MAXSEG
                } else if n == lx::SCTP_CONTEXT {
                    usr::SCTP_CONTEXT
                } else {
                    usr::SCTP_MAX_BURST
                };
                let short = len == 4;
                if len < 4 || (!short && len < lx::sctp_assoc_value::SIZE) {
                    return Err(libc::EINVAL);
                }
                let aid = if short { 0 } else { rd_i32(inb, 0) };
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; 8];
                wr_u32(&mut b, usr::sctp_assoc_value::assoc_id, ua);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, un, &mut b)
                    .map_err(linux_errno)?;
                let val = rd_u32(&b, usr::sctp_assoc_value::assoc_value);
                if short {
                    return int_ans(val as i32);
                }
                let mut o = vec![0u8; 8];
                wr_i32(&mut o, 0, aid);
                wr_u32(&mut o, 4, val);
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_ADAPTATION_LAYER => {
                if len < 4 {
                    return Err(libc::EINVAL);
                }
                let s = self.sock(id)?;
                match s.sopts.adaptation {
                    Some(x) => int_ans(x as i32),
                    None => int_ans(
                        s.us.get_int(libc::IPPROTO_SCTP, usr::SCTP_ADAPTATION_LAYER)
                            .map_err(linux_errno)?,
                    ),
                }
            }
            n if n == lx::SCTP_PRIMARY_ADDR => {
                use lx::sctp_prim as l;
                use usr::sctp_setprim as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::ssp_assoc_id);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; u::SIZE];
                wr_u32(&mut b, u::ssp_assoc_id, ua);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_PRIMARY_ADDR, &mut b)
                    .map_err(|_| libc::EINVAL)?;
                let fam = rd_u16(&b, u::ssp_addr);
                let a = self.map_for(id, rd_bytes(&b, u::ssp_addr, addr_len(fam)).to_vec());
                let mut o = vec![0u8; l::SIZE];
                wr_i32(&mut o, l::ssp_assoc_id, aid);
                wr_bytes(&mut o, l::ssp_addr, &a);
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_PEER_ADDR_PARAMS => {
                use lx::sctp_paddrparams as l;
                use usr::sctp_paddrparams as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let ua = self.check_assoc(id, rd_i32(inb, l::spp_assoc_id))?;
                self.check_peer_addr(id, ua, rd_bytes(inb, l::spp_address, 128))?;
                let mut b = [0u8; u::SIZE];
                wr_bytes(
                    &mut b,
                    u::spp_address,
                    &any_is_family(self.sock(id)?.domain, rd_bytes(inb, l::spp_address, 128)),
                );
                wr_u32(&mut b, u::spp_assoc_id, ua);
                let s = self.sock(id)?;
                s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_PEER_ADDR_PARAMS, &mut b)
                    .map_err(|_| libc::EINVAL)?;
                use usr::sctp_sack_info as k;
                let mut sb = [0u8; k::SIZE];
                wr_u32(&mut sb, k::sack_assoc_id, ua);
                let _ =
                    s.us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_DELAYED_SACK, &mut sb);
                let delay = rd_u32(&sb, k::sack_delay);
                let mut o = rd_bytes(inb, 0, l::SIZE).to_vec();
                o.resize(l::SIZE, 0);
                wr_u32(&mut o, l::spp_hbinterval, rd_u32(&b, u::spp_hbinterval));
                wr_u16(&mut o, l::spp_pathmaxrxt, rd_u16(&b, u::spp_pathmaxrxt));
                wr_u32(&mut o, l::spp_pathmtu, rd_u32(&b, u::spp_pathmtu));
                let uf = rd_u32(&b, u::spp_flags);
                let mut lf = 0;
                for (a, c) in [
                    (lx::SPP_HB_ENABLE, usr::SPP_HB_ENABLE),
                    (lx::SPP_HB_DISABLE, usr::SPP_HB_DISABLE),
                    (lx::SPP_PMTUD_ENABLE, usr::SPP_PMTUD_ENABLE),
                    (lx::SPP_PMTUD_DISABLE, usr::SPP_PMTUD_DISABLE),
                ] {
                    if uf & c != 0 {
                        lf |= a;
                    }
                }
                // Linux reports the SACK delay's state among the flags.
                lf |= if delay > 0 && rd_u32(&sb, k::sack_freq) != 1 {
                    lx::SPP_SACKDELAY_ENABLE
                } else {
                    lx::SPP_SACKDELAY_DISABLE
                };
                wr_u32(&mut o, l::spp_sackdelay, delay);
                wr_u32(&mut o, l::spp_flags, lf);
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_DELAYED_SACK => {
                use lx::sctp_sack_info as l;
                use usr::sctp_sack_info as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let mut b = [0u8; u::SIZE];
                let ua = self.check_assoc(id, rd_i32(inb, l::sack_assoc_id))?;
                wr_u32(&mut b, u::sack_assoc_id, ua);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_DELAYED_SACK, &mut b)
                    .map_err(|_| libc::EINVAL)?;
                let mut o = vec![0u8; l::SIZE];
                wr_u32(&mut o, l::sack_assoc_id, rd_u32(inb, l::sack_assoc_id));
                wr_u32(&mut o, l::sack_delay, rd_u32(&b, u::sack_delay));
                wr_u32(&mut o, l::sack_freq, rd_u32(&b, u::sack_freq));
                Ok(Ans::Done(0, o))
            }
            n if n == lx::SCTP_PR_ASSOC_STATUS || n == lx::SCTP_PR_STREAM_STATUS => {
                use lx::sctp_prstatus as l;
                use usr::sctp_prstatus as u;
                if len < l::SIZE {
                    return Err(libc::EINVAL);
                }
                let policy = u32::from(rd_u16(inb, l::sprstat_policy));
                let all = policy == lx::SCTP_PR_SCTP_ALL;
                if policy == 0
                    || policy & !(lx::SCTP_PR_SCTP_MASK | lx::SCTP_PR_SCTP_ALL) != 0
                    || (all && policy & lx::SCTP_PR_SCTP_MASK != 0)
                {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, l::sprstat_assoc_id);
                if aid <= lx::SCTP_ALL_ASSOC && !self.sock(id)?.one_to_one {
                    return Err(libc::EINVAL);
                }
                let ua = self.check_assoc(id, aid)?;
                let un = if n == lx::SCTP_PR_ASSOC_STATUS {
                    usr::SCTP_PR_ASSOC_STATUS
                } else {
                    usr::SCTP_PR_STREAM_STATUS
                };
                let policies: Vec<u32> = if all {
                    vec![
                        usr::SCTP_PR_SCTP_TTL,
                        usr::SCTP_PR_SCTP_BUF,
                        usr::SCTP_PR_SCTP_RTX,
                    ]
                } else {
                    vec![crate::sendpath::pr_policy_to_usr(policy)]
                };
                let (mut unsent, mut sent) = (0u64, 0u64);
                for p in policies {
                    let mut b = [0u8; u::SIZE];
                    wr_u32(&mut b, u::sprstat_assoc_id, ua);
                    wr_u16(&mut b, u::sprstat_sid, rd_u16(inb, l::sprstat_sid));
                    wr_u16(&mut b, u::sprstat_policy, p as u16);
                    self.sock(id)?
                        .us
                        .getsockopt(libc::IPPROTO_SCTP, un, &mut b)
                        .map_err(|_| libc::EINVAL)?;
                    unsent += sctp_anywhere_proto::bytes::rd_u64(&b, u::sprstat_abandoned_unsent);
                    sent += sctp_anywhere_proto::bytes::rd_u64(&b, u::sprstat_abandoned_sent);
                }
                let mut o = rd_bytes(inb, 0, l::SIZE).to_vec();
                o.resize(l::SIZE, 0);
                sctp_anywhere_proto::bytes::wr_u64(&mut o, l::sprstat_abandoned_unsent, unsent);
                sctp_anywhere_proto::bytes::wr_u64(&mut o, l::sprstat_abandoned_sent, sent);
                Ok(Ans::Done(0, o))
            }
            n if is_auth(n) => Err(libc::EACCES),
            n if supported_opt(n).is_some() => {
                if len < lx::sctp_assoc_value::SIZE {
                    return Err(libc::EINVAL);
                }
                let aid = rd_i32(inb, 0);
                let ua = self.check_assoc(id, aid)?;
                let mut b = [0u8; 8];
                wr_u32(&mut b, 0, ua);
                let un = supported_opt(n).unwrap_or(0);
                self.sock(id)?
                    .us
                    .getsockopt(libc::IPPROTO_SCTP, un, &mut b)
                    .map_err(linux_errno)?;
                let mut o = vec![0u8; 8];
                wr_i32(&mut o, 0, aid);
                wr_u32(&mut o, 4, u32::from(rd_u32(&b, 4) != 0));
                Ok(Ans::Done(0, o))
            }
            _ => {
                log!(
                    1,
                    "socket {id}: getsockopt SOL_SCTP {name} is not supported by sctpd: ENOPROTOOPT"
                );
                Err(libc::ENOPROTOOPT)
            }
        }
    }

    /// Peels association `aid` off one-to-many socket `id` into a new socket.
    fn peeloff(&mut self, id: u32, aid: i32, flags: u32, arg: Vec<u8>) -> R {
        let r = self.peeloff_inner(id, aid, flags, arg);
        let target = match &r {
            Ok((_, nid)) => Some((*nid, aid)),
            Err(_) => None,
        };
        self.release_hold(id, target);
        r.map(|(a, _)| a)
    }

    fn peeloff_inner(
        &mut self,
        id: u32,
        aid: i32,
        flags: u32,
        mut arg: Vec<u8>,
    ) -> Result<(Ans, u32), i32> {
        let s = self.sock(id)?;
        if s.one_to_one || aid <= 0 {
            return Err(libc::EINVAL);
        }
        let ua = s.ids.usr_of(aid);
        status_state(&s.us, ua).ok_or(libc::EINVAL)?;
        let so = s.us.peeloff(ua).map_err(|_| libc::EINVAL)?;
        let (domain, ropts, sopts, v4mapped) = (s.domain, s.ropts, s.sopts.clone(), s.v4mapped);
        let (bound, bound_any, port, name_addr) =
            (s.bound.clone(), s.bound_any, s.port, s.name_addr.clone());
        let nid = self.new_id();
        let us = USock::adopt(so, nid)?;
        let nonblock = flags & libc::SOCK_NONBLOCK as u32 != 0;
        let a = self.add_sock(nid, us, domain, libc::SOCK_SEQPACKET, true, nonblock)?;
        if let Some(n) = self.socks.get_mut(&nid) {
            n.peeled = true;
            n.connected = true;
            n.ropts = ropts;
            n.sopts = sopts;
            n.v4mapped = v4mapped;
            (n.bound, n.bound_any, n.port, n.name_addr) = (bound, bound_any, port, name_addr);
            // The association keeps its id on its new socket, where the stack calls it 0 too.
            n.ids.insert(ua, aid);
        }
        wr_i32(&mut arg, lx::sctp_peeloff_arg_t::sd, -1);
        Ok((Ans::Fd(arg, a), nid))
    }
}
