//! The control requests: socket, bind, listen, connect, getsockname/getpeername, shutdown, and
//! the connect bookkeeping (callers blocked until an association is up). Each checks what
//! Linux checks first, with Linux's errno, then asks the stack.

use crate::log;
use crate::sendpath::verify_addr;
use crate::server::Server;
use crate::sock::{Pause, Waiter};
use crate::stack::USock;
use crate::usr;
use sctp_anywhere_proto::bytes::{rd_u16, wr_bytes, wr_u16};
use sctp_anywhere_proto::{Request, qflags};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// usrsctp's errno in Linux's terms where they differ for the same condition.
pub fn linux_errno(e: i32) -> i32 {
    match e {
        libc::EWOULDBLOCK => libc::EAGAIN,
        x => x,
    }
}

impl Server {
    /// socket(domain, type, protocol).
    pub(crate) fn op_socket(&mut self, chan: u32, req: &Request) {
        let (domain, ty_full, protocol) =
            (req.args[0] as i32, req.args[1] as i32, req.args[2] as i32);
        let ty = ty_full & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC);
        if domain != libc::AF_INET && domain != libc::AF_INET6 {
            return self.fail(chan, req.seq, libc::EAFNOSUPPORT);
        }
        if ty != libc::SOCK_STREAM && ty != libc::SOCK_SEQPACKET {
            return self.fail(chan, req.seq, libc::ESOCKTNOSUPPORT);
        }
        if protocol != libc::IPPROTO_SCTP && !(protocol == 0 && ty == libc::SOCK_SEQPACKET) {
            return self.fail(chan, req.seq, libc::EPROTONOSUPPORT);
        }
        let id = self.new_id();
        let us = match USock::new(domain, ty, id) {
            Ok(u) => u,
            Err(e) => {
                log!(1, "socket({domain}, {ty}): the stack refused: errno {e}");
                return self.fail(chan, req.seq, e);
            }
        };
        self.stack_defaults(&us, domain);
        match self.add_sock(
            id,
            us,
            domain,
            ty,
            ty == libc::SOCK_STREAM,
            ty_full & libc::SOCK_NONBLOCK != 0,
        ) {
            Ok(a) => self.reply(chan, req.seq, 0, 0, &[], Some(a.as_raw_fd())),
            Err(e) => self.fail(chan, req.seq, e),
        }
    }

    /// What every new stack socket gets: the receive info sctpd needs, Linux's defaults where
    /// usrsctp's differ, and the UDP port of the peers' stacks.
    pub(crate) fn stack_defaults(&self, us: &USock, domain: i32) {
        let _ = us.set_int(libc::IPPROTO_SCTP, usr::SCTP_RECVRCVINFO, 1);
        // Nagle's delay off in the stack (the program's SCTP_NODELAY is kept apart): usrsctp
        // can hold a small message for good behind an earlier PR-SCTP one.
        let _ = us.set_int(libc::IPPROTO_SCTP, usr::SCTP_NODELAY, 1);
        // Linux does not interleave partial deliveries unless asked; usrsctp does.
        let _ = us.set_int(libc::IPPROTO_SCTP, usr::SCTP_FRAGMENT_INTERLEAVE, 0);
        // sctpd tracks association changes (connect, aborts) and the peer's SHUTDOWN (end of
        // file) itself; the program sees them only if it subscribed.
        for ty in SCTPD_EVENTS {
            let mut ev = [0u8; usr::sctp_event::SIZE];
            sctp_anywhere_proto::bytes::wr_u32(
                &mut ev,
                usr::sctp_event::se_assoc_id,
                usr::SCTP_ALL_ASSOC as u32,
            );
            wr_u16(&mut ev, usr::sctp_event::se_type, ty as u16);
            sctp_anywhere_proto::bytes::wr_u8(&mut ev, usr::sctp_event::se_on, 1);
            let _ = us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_EVENT, &ev);
        }
        if domain == libc::AF_INET6 {
            // Linux reports IPv4 peers of an IPv6 socket as v4-mapped unless told otherwise.
            let _ = us.set_int(libc::IPPROTO_SCTP, usr::SCTP_I_WANT_MAPPED_V4_ADDR, 1);
        }
        self.set_remote_port(us, &[], self.cfg.remote_udp_port);
    }

    /// SCTP_REMOTE_UDP_ENCAPS_PORT on the stack: the UDP port of `addr`'s stack (empty: every
    /// future association's).
    pub(crate) fn set_remote_port(&self, us: &USock, addr: &[u8], port: u16) {
        use usr::sctp_udpencaps as e;
        let mut b = [0u8; e::SIZE];
        wr_bytes(&mut b, e::sue_address, addr);
        sctp_anywhere_proto::bytes::wr_u32(&mut b, e::sue_assoc_id, usr::SCTP_FUTURE_ASSOC as u32);
        wr_u16(&mut b, e::sue_port, port.to_be());
        if let Err(e) = us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_REMOTE_UDP_ENCAPS_PORT, &b) {
            log!(1, "SCTP_REMOTE_UDP_ENCAPS_PORT {port}: errno {e}");
        }
    }

    /// bind(addr).
    pub(crate) fn op_bind(&mut self, chan: u32, id: u32, req: &Request, addr: &[u8]) {
        match self.do_bind(id, addr) {
            Ok(()) => self.reply(chan, req.seq, 0, 0, &[], None),
            Err(e) => {
                log!(1, "socket {id}: bind refused: errno {e}");
                self.fail(chan, req.seq, e)
            }
        }
    }

    /// listen(backlog).
    pub(crate) fn op_listen(&mut self, chan: u32, id: u32, req: &Request) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.one_to_one && (s.connected || s.connecting) || s.peeled {
            return self.fail(chan, req.seq, libc::EINVAL);
        }
        match s.us.listen((req.args[0] as i32).max(0)) {
            Ok(()) => {
                s.listening = true;
                let kind = if s.one_to_one && !s.peeled {
                    sctp_anywhere_proto::info::ONE_TO_ONE
                } else {
                    0
                };
                self.note_autobind(id);
                self.reply(chan, req.seq, 0, kind, &[], None);
                self.service(id);
            }
            Err(e) => self.fail(chan, req.seq, linux_errno(e)),
        }
    }

    /// connect(addr): one address; sctp_connectx goes through getsockopt (sockopt.rs), which
    /// ends in [`Server::start_connect`] too.
    pub(crate) fn op_connect(&mut self, chan: u32, id: u32, req: &Request, addr: &[u8]) {
        if addr.len() < 2 {
            return self.fail(chan, req.seq, libc::EINVAL);
        }
        if i32::from(rd_u16(addr, 0)) == libc::AF_UNSPEC {
            return self.fail(chan, req.seq, libc::EOPNOTSUPP);
        }
        let Some(s) = self.socks.get(&id) else { return };
        let a = match verify_addr(s.domain, addr) {
            Ok(a) => a,
            Err(e) => return self.fail(chan, req.seq, e),
        };
        self.start_connect(chan, id, req, &a, 1, None);
    }

    /// Starts an association to the packed addresses; answers now (an error, EINPROGRESS for a
    /// non-blocking caller) or once it is up or failed. `out`: the reply also carries the id
    /// (sctp_connectx's getsockopt buffer).
    pub(crate) fn start_connect(
        &mut self,
        chan: u32,
        id: u32,
        req: &Request,
        packed: &[u8],
        cnt: i32,
        out: Option<Vec<u8>>,
    ) {
        let (seq, blocking) = (req.seq, req.flags & qflags::BLOCKING != 0);
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.one_to_one {
            if s.listening {
                return self.fail(chan, seq, libc::EISCONN);
            }
            if s.connected {
                return self.fail(chan, seq, libc::EISCONN);
            }
            if s.connecting {
                return self.fail(chan, seq, libc::EALREADY);
            }
        }
        let deadline = (s.sopts.sndtimeo_us > 0)
            .then(|| Instant::now() + Duration::from_micros(s.sopts.sndtimeo_us));
        // An address that already belongs to an association: EISCONN if it is up, EALREADY
        // while it starts (Linux's __sctp_connect).
        let mut off = 0;
        while off < packed.len() {
            let len = crate::sendpath::addr_len(rd_u16(packed, off));
            if len == 0 {
                break;
            }
            let a = sctp_anywhere_proto::bytes::rd_bytes(packed, off, len);
            let u = peer_assoc(&s.us, a);
            if u != 0 {
                let e = match status_state(&s.us, u) {
                    Some(st)
                        if st >= usr::SCTP_ESTABLISHED
                            && st & 0xff != usr::SCTP_COOKIE_WAIT
                            && st & 0xff != usr::SCTP_COOKIE_ECHOED =>
                    {
                        libc::EISCONN
                    }
                    _ => libc::EALREADY,
                };
                return self.fail(chan, seq, e);
            }
            off += len;
        }
        let assoc = match s.us.connectx(packed, cnt) {
            Ok(a) => a,
            Err((e, a)) if e == libc::EINPROGRESS => a,
            Err((e, _)) => {
                log!(1, "socket {id}: connect refused by the stack: errno {e}");
                let e = if e == libc::EINVAL && s.one_to_one && s.connected {
                    libc::EISCONN
                } else {
                    linux_errno(e)
                };
                return self.fail(chan, seq, e);
            }
        };
        if s.one_to_one {
            s.connecting = true;
        }
        if out.is_some() {
            // sctp_connectx gives the new association its id at once; connect() and a send
            // leave it without one until the peer answers (Linux: sctp_assoc_set_id).
            s.connect_ids.insert(assoc);
        }
        self.note_autobind(id);
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let gid = s.ids.linux_of(assoc, &mut self.next_assoc);
        let out = out.map(|mut o| {
            sctp_anywhere_proto::bytes::wr_i32(&mut o, 0, gid);
            o
        });
        if blocking {
            s.waiters.push(Waiter {
                chan,
                seq,
                assoc,
                deadline,
                out,
            });
            self.service(id);
        } else {
            if s.one_to_one {
                // No POLLOUT until the association is up: the program writes a filler that
                // sctpd reads only then.
                s.pause = Pause::Connecting;
            }
            let body = out.unwrap_or_default();
            let aux = body.len() as i64;
            let fl = if s.one_to_one {
                sctp_anywhere_proto::yflags::FILLER
            } else {
                0
            };
            self.reply_flags(
                chan,
                seq,
                -i64::from(libc::EINPROGRESS),
                aux,
                &body,
                None,
                fl,
            );
            self.update_mask(id);
        }
    }

    /// Ends the connects that are decided: a one-to-one socket's by the stack's events, a
    /// one-to-many socket's by its association's state.
    pub(crate) fn check_connect(&mut self, id: u32, ev: i32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let mut done: Vec<(usize, i32)> = Vec::new();
        if s.one_to_one {
            if !s.connecting {
                return;
            }
            let so_error = s.us.get_int(libc::SOL_SOCKET, libc::SO_ERROR).unwrap_or(0);
            // The stack does not always say (an ABORT answering the INIT from an address
            // with no endpoint frees the association silently): an association gone while
            // connecting failed too, for the reason its CANT_STR_ASSOC gave if one came.
            let gone = status_state(&s.us, 0).is_none();
            let err = if ev & usr::SCTP_EVENT_ERROR != 0 || so_error != 0 || gone {
                Some(if so_error != 0 {
                    so_error
                } else {
                    s.setup_failed
                        .values()
                        .next()
                        .copied()
                        .unwrap_or(libc::ECONNREFUSED)
                })
            } else {
                None
            };
            s.setup_failed.clear();
            let up = ev & usr::SCTP_EVENT_WRITE != 0
                && status_state(&s.us, 0) == Some(usr::SCTP_ESTABLISHED);
            if err.is_none() && !up {
                return;
            }
            s.connecting = false;
            s.connected = err.is_none();
            if let Some(e) = err {
                s.so_error = e;
                log!(1, "socket {id}: connect failed: errno {e}");
            }
            if matches!(s.pause, Pause::Connecting) {
                s.pause = Pause::No;
            }
            let r = err.map_or(0, |e| -e);
            for i in 0..s.waiters.len() {
                done.push((i, r));
            }
            if err.is_some() && !s.waiters.is_empty() {
                // A blocking connect reports the error itself; SO_ERROR stays clear.
                s.so_error = 0;
            }
        } else {
            for (i, w) in s.waiters.iter().enumerate() {
                log!(
                    3,
                    "socket {id}: connect to association {} waits: state {:?}",
                    w.assoc,
                    status_state(&s.us, w.assoc)
                );
                match status_state(&s.us, w.assoc) {
                    Some(st) if st == usr::SCTP_ESTABLISHED => done.push((i, 0)),
                    Some(_) => {}
                    None => done.push((
                        i,
                        -s.setup_failed
                            .get(&w.assoc)
                            .copied()
                            .unwrap_or(libc::ECONNREFUSED),
                    )),
                }
            }
            s.setup_failed.clear();
        }
        self.finish_waiters(id, done);
    }

    fn finish_waiters(&mut self, id: u32, done: Vec<(usize, i32)>) {
        if done.is_empty() {
            return;
        }
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let mut ws = std::mem::take(&mut s.waiters);
        let mut answers = Vec::new();
        for (i, r) in done.into_iter().rev() {
            if i < ws.len() {
                let w = ws.remove(i);
                answers.push((w, r));
            }
        }
        s.waiters = ws;
        for (w, r) in answers {
            let body = w.out.unwrap_or_default();
            self.reply(w.chan, w.seq, i64::from(r), body.len() as i64, &body, None);
        }
    }

    /// Callers whose SO_SNDTIMEO passed: a blocking connect gets EINPROGRESS (the association
    /// goes on), a blocking send EAGAIN.
    pub(crate) fn check_deadlines(&mut self, id: u32) {
        let now = Instant::now();
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let done: Vec<(usize, i32)> = s
            .waiters
            .iter()
            .enumerate()
            .filter(|(_, w)| w.deadline.is_some_and(|d| d <= now))
            .map(|(i, _)| (i, -libc::EINPROGRESS))
            .collect();
        let parked_due =
            matches!(&s.pause, Pause::Parked(p) if p.deadline.is_some_and(|d| d <= now));
        if parked_due {
            if let Pause::Parked(p) = std::mem::replace(&mut s.pause, Pause::No) {
                let (c, q) = (p.chan, p.seq);
                self.fail(c, q, libc::EAGAIN);
            }
            self.read_records(id);
        }
        self.finish_waiters(id, done);
    }

    /// getsockname / getpeername.
    pub(crate) fn op_name(&mut self, chan: u32, id: u32, req: &Request) {
        let Some(s) = self.socks.get(&id) else { return };
        let peer = req.op == sctp_anywhere_proto::op::GETPEERNAME;
        let addr = if peer {
            if !(s.one_to_one && s.connected) {
                return self.fail(chan, req.seq, libc::ENOTCONN);
            }
            match s.us.addrs(0, true) {
                Ok(v) if !v.is_empty() => v.into_iter().next().unwrap_or_default(),
                _ => return self.fail(chan, req.seq, libc::ENOTCONN),
            }
        } else {
            let local = s.us.addrs(0, false).ok().and_then(|v| v.into_iter().next());
            match (&s.name_addr, local) {
                // Connected: the association's own address.
                (_, Some(a)) if s.one_to_one && s.connected => a,
                // Linux reports the address bound last, with the port.
                (Some(h), _) => {
                    let mut a = h.clone();
                    wr_u16(&mut a, 2, s.port.to_be());
                    a
                }
                // Bound by the stack itself (connect, listen, send): the wildcard, as Linux's
                // autobind.
                (None, Some(a)) => {
                    let mut w = unbound_name(s.domain);
                    wr_bytes(&mut w, 2, sctp_anywhere_proto::bytes::rd_bytes(&a, 2, 2));
                    w
                }
                (None, None) => unbound_name(s.domain),
            }
        };
        let addr = self.map_for(id, addr);
        self.reply(chan, req.seq, 0, addr.len() as i64, &addr, None);
    }

    /// An address as the program's socket reports it (IPv4 as v4-mapped on an IPv6 socket
    /// unless SCTP_I_WANT_MAPPED_V4_ADDR is off).
    pub(crate) fn map_for(&self, id: u32, a: Vec<u8>) -> Vec<u8> {
        let Some(s) = self.socks.get(&id) else {
            return a;
        };
        if s.domain != libc::AF_INET6 {
            return a;
        }
        let fam = i32::from(rd_u16(&a, 0));
        let rd = sctp_anywhere_proto::bytes::rd_bytes;
        if fam == libc::AF_INET6
            && !s.v4mapped
            && rd(&a, 8, 12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        {
            // An IPv4 address kept v4-mapped, reported as itself (mapping off).
            let mut v = vec![0u8; core::mem::size_of::<libc::sockaddr_in>()];
            wr_u16(&mut v, 0, libc::AF_INET as u16);
            wr_bytes(&mut v, 2, rd(&a, 2, 2));
            wr_bytes(&mut v, 4, rd(&a, 20, 4));
            return v;
        }
        if fam != libc::AF_INET || !s.v4mapped {
            return a;
        }
        let mut m = vec![0u8; core::mem::size_of::<libc::sockaddr_in6>()];
        wr_u16(&mut m, 0, libc::AF_INET6 as u16);
        wr_bytes(&mut m, 2, sctp_anywhere_proto::bytes::rd_bytes(&a, 2, 2));
        wr_bytes(&mut m, 18, &[0xff, 0xff]);
        wr_bytes(&mut m, 20, sctp_anywhere_proto::bytes::rd_bytes(&a, 4, 4));
        m
    }

    /// What the socket is (the shim checks accept() with it).
    pub(crate) fn op_info(&mut self, chan: u32, id: u32, req: &Request) {
        use sctp_anywhere_proto::info;
        let Some(s) = self.socks.get(&id) else { return };
        let mut bits = 0;
        if s.one_to_one {
            bits |= info::ONE_TO_ONE;
        }
        if s.listening {
            bits |= info::LISTENING;
        }
        if s.connected {
            bits |= info::CONNECTED;
        }
        if s.peeled {
            bits |= info::PEELED;
        }
        if s.gone {
            bits |= info::GONE;
        }
        self.reply(chan, req.seq, 0, bits, &[], None);
    }

    /// Ends request `seq` of channel `chan` with EINTR if it still waits (a parked send, a
    /// connect): a signal interrupted its caller.
    pub(crate) fn op_cancel(&mut self, chan: u32, seq: u32) {
        let mut hit = None;
        for (id, s) in &mut self.socks {
            if matches!(&s.pause, Pause::Parked(p) if p.chan == chan && p.seq == seq) {
                s.pause = Pause::No;
                hit = Some(*id);
                break;
            }
            if let Some(i) = s
                .waiters
                .iter()
                .position(|w| w.chan == chan && w.seq == seq)
            {
                s.waiters.remove(i);
                hit = Some(*id);
                break;
            }
        }
        let Some(id) = hit else { return };
        log!(
            2,
            "socket {id}: request {seq} of channel {chan} interrupted"
        );
        self.fail(chan, seq, libc::EINTR);
        self.read_records(id);
        self.update_mask(id);
    }

    /// shutdown(how).
    pub(crate) fn op_shutdown(&mut self, chan: u32, id: u32, req: &Request) {
        let how = req.args[0] as i32;
        if !(libc::SHUT_RD..=libc::SHUT_RDWR).contains(&how) {
            return self.fail(chan, req.seq, libc::EINVAL);
        }
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if !(s.one_to_one && (s.connected || s.connecting)) && !s.listening {
            return self.fail(chan, req.seq, libc::ENOTCONN);
        }
        if how != libc::SHUT_RD
            && s.one_to_one
            && s.connected
            && let Err(e) = s.us.shutdown(libc::SHUT_WR)
        {
            log!(1, "socket {id}: shutdown: errno {e}");
        }
        if how != libc::SHUT_WR {
            // No more to read: the program's end sees end of file after what it has.
            s.eof = true;
            let _ = crate::unix::shutdown_write(&s.b);
        }
        self.reply(chan, req.seq, 0, 0, &[], None);
    }
}

/// The stack's events sctpd keeps on for its own use, whatever the program subscribed to.
pub const SCTPD_EVENTS: [u32; 2] = [usr::SCTP_ASSOC_CHANGE, usr::SCTP_SHUTDOWN_EVENT];

/// The stack's id of the association whose peer has address `addr` (0: none).
pub fn peer_assoc(us: &USock, addr: &[u8]) -> u32 {
    let mut pi = [0u8; usr::sctp_paddrinfo::SIZE];
    wr_bytes(&mut pi, usr::sctp_paddrinfo::spinfo_address, addr);
    match us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_GET_PEER_ADDR_INFO, &mut pi) {
        Ok(_) => sctp_anywhere_proto::bytes::rd_u32(&pi, usr::sctp_paddrinfo::spinfo_assoc_id),
        Err(_) => 0,
    }
}

/// The state of association `assoc` (0: a one-to-one socket's) in usrsctp's numbering, None
/// if there is none.
pub fn status_state(us: &USock, assoc: u32) -> Option<i32> {
    let mut b = [0u8; usr::sctp_status::SIZE];
    sctp_anywhere_proto::bytes::wr_u32(&mut b, usr::sctp_status::sstat_assoc_id, assoc);
    us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_STATUS, &mut b)
        .ok()?;
    Some(sctp_anywhere_proto::bytes::rd_i32(
        &b,
        usr::sctp_status::sstat_state,
    ))
}

/// What getsockname says for an unbound socket: the wildcard address, port 0.
fn unbound_name(domain: i32) -> Vec<u8> {
    let len = if domain == libc::AF_INET6 {
        core::mem::size_of::<libc::sockaddr_in6>()
    } else {
        core::mem::size_of::<libc::sockaddr_in>()
    };
    let mut a = vec![0u8; len];
    wr_u16(&mut a, 0, domain as u16);
    a
}

/// The peer address association `assoc` sends to (its primary path), as a sockaddr.
pub fn primary_addr(us: &USock, assoc: u32) -> Option<Vec<u8>> {
    let mut b = [0u8; usr::sctp_status::SIZE];
    sctp_anywhere_proto::bytes::wr_u32(&mut b, usr::sctp_status::sstat_assoc_id, assoc);
    us.getsockopt(libc::IPPROTO_SCTP, usr::SCTP_STATUS, &mut b)
        .ok()?;
    let off = usr::sctp_status::sstat_primary + usr::sctp_paddrinfo::spinfo_address;
    let len = crate::sendpath::addr_len(rd_u16(&b, off));
    (len > 0).then(|| sctp_anywhere_proto::bytes::rd_bytes(&b, off, len).to_vec())
}
