//! Records: the program's sends read from its pair and handed to the stack (answering each on
//! its channel), and the stack's messages, notifications, errors and new connections written
//! to the pair for the program to read.

use crate::log;
use crate::notify::{self, rcvinfo_to_linux};
use crate::ops::linux_errno;
use crate::sendparse;
use crate::sendpath;
use crate::server::Server;
use crate::sock::{OutRec, Parked, Pause};
use crate::stack::USock;
use crate::unix;
use crate::usr;
use sctp_anywhere_proto::{
    self as proto, RecvHdr, SEND_HDR_LEN, SendHdr, rflags, rkind, sflags, skind,
};
use std::collections::VecDeque;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

impl Server {
    /// Reads the program's records while the socket takes them.
    pub(crate) fn read_records(&mut self, id: u32) {
        match self.socks.get_mut(&id) {
            Some(s) if !s.reading => s.reading = true,
            _ => return,
        }
        let mut buf = self.take_buf();
        while let Some(s) = self.socks.get(&id) {
            match s.pause {
                Pause::No => {}
                Pause::Full | Pause::Connecting if s.hup => {}
                _ => break,
            }
            match unix::recv_record(&s.b, &mut buf) {
                Ok(Some(r)) if r.len == 0 => break,
                Ok(Some(r)) => {
                    let Some(h) = SendHdr::decode(&buf) else {
                        log!(
                            1,
                            "socket {id}: a record that is not a send ({} bytes): dropped",
                            r.len
                        );
                        continue;
                    };
                    if h.kind == skind::FILLER {
                        continue;
                    }

                    if r.truncated {
                        self.fail(h.channel, h.seq, libc::EMSGSIZE);
                        continue;
                    }
                    let body = buf.get(SEND_HDR_LEN..r.len).unwrap_or(&[]).to_vec();
                    self.on_send(id, &h, &body);
                }
                Err(e) if e.raw_os_error() == Some(libc::ECONNRESET) => {
                    // The program's end went with records queued (the kernel's word for it).
                    if let Some(s) = self.socks.get_mut(&id) {
                        s.left_unread = true;
                    }
                }
                Ok(None) | Err(_) => break,
            }
        }
        self.buf = buf;
        if let Some(s) = self.socks.get_mut(&id) {
            s.reading = false;
        }
        self.update_mask(id);
    }

    fn on_send(&mut self, id: u32, h: &SendHdr, body: &[u8]) {
        log!(
            3,
            "socket {id}: send of {} bytes (flags {:#x}, seq {})",
            body.len(),
            h.flags,
            h.seq
        );
        let (nl, cl) = (h.namelen as usize, h.controllen as usize);
        if nl.saturating_add(cl) > body.len() {
            return self.fail(h.channel, h.seq, libc::EINVAL);
        }
        let name = body.get(..nl).unwrap_or(&[]);
        let control = body.get(nl..nl + cl).unwrap_or(&[]);
        let payload = body.get(nl + cl..).unwrap_or(&[]);
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        // A message in pieces: gathered until its last.
        if h.flags & sflags::MORE != 0 {
            match &mut s.partial {
                Some((_, _, data)) => data.extend_from_slice(payload),
                None => match sendparse::parse(control) {
                    Ok(req) => s.partial = Some((req, name.to_vec(), payload.to_vec())),
                    Err(e) => {
                        s.partial = Some((
                            sendparse::SendReq {
                                flags: u32::MAX,
                                ..Default::default()
                            },
                            vec![],
                            vec![e as u8],
                        ))
                    }
                },
            }
            return;
        }
        let (mut req, name, data) = match s.partial.take() {
            Some((req, _, data)) if req.flags == u32::MAX => {
                return self.fail(
                    h.channel,
                    h.seq,
                    i32::from(data.first().copied().unwrap_or(libc::EINVAL as u8)),
                );
            }
            Some((req, n, mut data)) => {
                data.extend_from_slice(payload);
                (req, n, data)
            }
            None => match sendparse::parse(control) {
                Ok(req) => (req, name.to_vec(), payload.to_vec()),
                Err(e) => return self.fail(h.channel, h.seq, e),
            },
        };
        if s.one_to_one && s.listening {
            return self.fail(h.channel, h.seq, libc::EPIPE);
        }
        if s.one_to_one && s.connecting {
            // The outcome of a connect still in progress, if the stack knows it: a send after
            // a refusal reports the refusal.
            let ev = s.us.events();
            self.check_connect(id, ev);
        }
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.one_to_one && s.so_error != 0 {
            // A pending error (a failed connect, an abort) is what the next send reports, once.
            let e = std::mem::take(&mut s.so_error);
            return self.fail(h.channel, h.seq, e);
        }
        if req.has_sinfo && !s.one_to_one {
            req.assoc_id = s.ids.usr_of(req.assoc_id) as i32;
        }
        // A connected one-to-one socket sends to its own peer only (Linux's
        // sctp_sendmsg_new_asoc: a new association is EADDRNOTAVAIL there).
        if s.one_to_one
            && s.connected
            && !name.is_empty()
            && let Ok(a) = sendpath::verify_addr(s.domain, &name)
            && !s
                .us
                .addrs(0, true)
                .is_ok_and(|l| l.iter().any(|p| crate::bindx::same_endpoint(p, &a)))
        {
            return self.fail(h.channel, h.seq, libc::EADDRNOTAVAIL);
        }
        if let Err(e) = sendparse::check_flags(&req, data.len(), s.one_to_one, !name.is_empty()) {
            return self.fail(h.channel, h.seq, e);
        }
        let mut p = match sendpath::prepare(s.domain, &name, &req, data, h.msg_flags) {
            Ok(p) => p,
            Err(e) => return self.fail(h.channel, h.seq, e),
        };
        // The program aborts an association: its COMM_LOST says why (Linux: "User-Initiated
        // Abort").
        let aborts = (req.flags & sctp_anywhere_proto::linux::SCTP_ABORT != 0).then(|| {
            if s.one_to_one {
                0
            } else if req.has_sinfo {
                req.assoc_id as u32
            } else {
                sendpath::verify_addr(s.domain, &name)
                    .map_or(0, |a| crate::ops::peer_assoc(&s.us, &a))
            }
        });
        if let Some(u) = aborts {
            s.user_aborted.insert(u);
        }
        let r = sendpath::attempt(&s.us, &mut p);
        self.note_autobind(id);
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        match r {
            Ok(n) => self.reply(h.channel, h.seq, n as i64, 0, &[], None),
            Err(e) if e == libc::EWOULDBLOCK || e == libc::EAGAIN => {
                if h.flags & sflags::BLOCKING != 0 {
                    let deadline = (s.sopts.sndtimeo_us > 0)
                        .then(|| Instant::now() + Duration::from_micros(s.sopts.sndtimeo_us));
                    s.pause = Pause::Parked(Box::new(Parked {
                        chan: h.channel,
                        seq: h.seq,
                        send: p,
                        deadline,
                    }));
                } else {
                    s.pause = Pause::Full;
                    self.reply_flags(
                        h.channel,
                        h.seq,
                        -i64::from(libc::EAGAIN),
                        0,
                        &[],
                        None,
                        proto::yflags::FILLER,
                    );
                }
                self.update_mask(id);
            }
            Err(e) => {
                let assoc = p.assoc();
                let mut waiting = s.abort_window
                    || h.flags & sflags::WAITED != 0 && s.one_to_one && s.aborted.is_some();
                let e = send_errno(s.one_to_one, e);
                if e == libc::EPIPE && !waiting {
                    // The stack may know of an abort that sctpd has not read yet: an
                    // association lost while this send was on its way fails it as one that
                    // waited for it.
                    let before = s.aborted;
                    s.aborted = None;
                    self.pump_recv(id);
                    let Some(s) = self.socks.get_mut(&id) else {
                        return;
                    };
                    waiting = s.aborted.is_some_and(|u| s.one_to_one || u == assoc);
                    if s.aborted.is_none() {
                        s.aborted = before;
                    }
                }
                let e = waiting_errno(e, waiting);
                log!(2, "socket {id}: send failed in the stack: errno {e}");
                self.fail(h.channel, h.seq, e)
            }
        }
    }

    /// Association `u` (the stack's id) of socket `id` was lost (aborted, or its peer stopped
    /// answering): the send waiting for it fails with ESRCH, as a Linux sender waiting for
    /// send buffer does; so do those already in the pair, read now (their senders wait too).
    fn on_abort(&mut self, id: u32, u: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        s.aborted = Some(u);
        log!(
            2,
            "socket {id}: association {u} lost (waiting send: {})",
            match &s.pause {
                Pause::Parked(p) => format!("for association {}", p.send.assoc()),
                _ => "none".into(),
            }
        );
        if let Pause::Parked(p) = &s.pause
            && (s.one_to_one || p.send.assoc() == u)
        {
            log!(
                2,
                "socket {id}: association lost: the waiting send fails (ESRCH)"
            );
            self.fail_parked(id, libc::ESRCH);
        }
        if let Some(s) = self.socks.get_mut(&id) {
            s.abort_window = true;
        }
        self.read_records(id);
        if let Some(s) = self.socks.get_mut(&id) {
            s.abort_window = false;
        }
    }

    /// A parked send goes when the stack has room; a paused socket resumes.
    pub(crate) fn retry_parked(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        match &mut s.pause {
            Pause::Parked(p) => {
                let r = sendpath::attempt(&s.us, &mut p.send);
                let (chan, seq) = (p.chan, p.seq);
                match r {
                    Err(e) if e == libc::EWOULDBLOCK || e == libc::EAGAIN => return,
                    Ok(n) => {
                        s.pause = Pause::No;
                        self.reply(chan, seq, n as i64, 0, &[], None);
                    }
                    Err(e) => {
                        let e = send_errno(s.one_to_one, e);
                        if e == libc::EPIPE {
                            // Lost while it waited? The stack's notification, not read yet,
                            // says so: read it first (the waiting send then fails with ESRCH).
                            self.pump_recv(id);
                        }
                        let Some(s) = self.socks.get_mut(&id) else {
                            return;
                        };
                        if let Pause::Parked(p) = std::mem::replace(&mut s.pause, Pause::No) {
                            log!(2, "socket {id}: the waiting send failed: errno {e}");
                            self.fail(p.chan, p.seq, e);
                        }
                    }
                }
            }
            Pause::Full if s.writable || s.hup => s.pause = Pause::No,
            _ => return,
        }
        self.read_records(id);
    }

    /// Writes the queued records for the program while its pair has room; true when none
    /// is left.
    pub(crate) fn flush_out(&mut self, id: u32) -> bool {
        let Some(s) = self.socks.get_mut(&id) else {
            return false;
        };
        if s.held.is_some() || s.reader_gone {
            return false;
        }
        while let Some(r) = s.out.front() {
            match unix::send_record(&s.b, &[&r.bytes], r.fd.as_ref().map(AsRawFd::as_raw_fd)) {
                Ok(_) => {
                    s.out.pop_front();
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
                Err(_) => {
                    // The program is gone: nothing more reaches it, and nothing more is taken
                    // from the stack for it (what stays there is data left unread: the close
                    // that follows aborts, and the peer's window stays shut until then, as
                    // with Linux).
                    s.out.clear();
                    s.reader_gone = true;
                    return false;
                }
            }
        }
        if s.shut_pending {
            s.shut_pending = false;
            let _ = unix::shutdown_write(&s.b);
        }
        true
    }

    /// The data records taken back during a hold, and those waiting, carry the socket's receive
    /// options as they are now (which ancillary data comes with them).
    pub(crate) fn restamp_held(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.held.is_none() {
            return;
        }
        let f = info_flags(&s.ropts);
        let all = rflags::DATA_IO | rflags::RCVINFO | rflags::NXTINFO;
        let restamp = |b: &mut Vec<u8>| {
            if let Some(mut h) = RecvHdr::decode(b)
                && h.kind == rkind::DATA
            {
                h.flags = (h.flags & !all) | f;
                if let Some(head) = b.get_mut(..proto::RECV_HDR_LEN) {
                    head.copy_from_slice(&h.encode());
                }
            }
        };
        s.requeue.iter_mut().for_each(restamp);
        s.out.iter_mut().for_each(|r| restamp(&mut r.bytes));
    }

    /// Ends a hold (a peel-off done, failed, or given up): the records the shim took back and
    /// those waiting are queued again in their order, those of the peeled-off association
    /// (`target`: its new socket and id) on its new socket, as Linux moves them.
    pub(crate) fn release_hold(&mut self, id: u32, target: Option<(u32, i32)>) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.held.take().is_none() {
            return;
        }
        let mut recs: Vec<OutRec> = s
            .requeue
            .drain(..)
            .map(|bytes| OutRec { bytes, fd: None })
            .collect();
        recs.extend(s.out.drain(..));
        let mut moved = VecDeque::new();
        for r in recs {
            match target {
                Some((_, aid)) if record_assoc(&r.bytes) == Some(aid) => moved.push_back(r),
                _ => s.out.push_back(r),
            }
        }
        match target {
            Some((nid, _)) => log!(
                2,
                "socket {id}: hold released, {} records moved to the peeled-off socket {nid}, {} kept",
                moved.len(),
                s.out.len()
            ),
            None => log!(
                2,
                "socket {id}: hold released, {} records kept",
                s.out.len()
            ),
        }
        if let Some((nid, _)) = target {
            if let Some(n) = self.socks.get_mut(&nid) {
                n.data_queued |= moved
                    .iter()
                    .any(|r| RecvHdr::decode(&r.bytes).is_some_and(|h| h.kind == rkind::DATA));
                moved.extend(n.out.drain(..));
                n.out = moved;
            }
            self.flush_out(nid);
            self.update_mask(nid);
        }
        self.flush_out(id);
        self.pump_recv(id);
    }

    /// Queues a record for the program (sent now if the queue is empty and the pair has room).
    fn push(&mut self, id: u32, bytes: &[u8], fd: Option<OwnedFd>) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        log!(
            3,
            "socket {id}: record of {} bytes for the program ({} waiting, held: {})",
            bytes.len(),
            s.out.len(),
            s.held.is_some()
        );
        if s.out.is_empty() && s.held.is_none() {
            match unix::send_record(&s.b, &[bytes], fd.as_ref().map(AsRawFd::as_raw_fd)) {
                Ok(_) => return,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
        s.out.push_back(OutRec {
            bytes: bytes.to_vec(),
            fd,
        });
    }

    /// Moves what the stack has for the program into its pair, while the pair has room.
    pub(crate) fn pump_recv(&mut self, id: u32) {
        let mut buf = self.take_buf();
        loop {
            if !self.flush_out(id) {
                break;
            }
            let Some(s) = self.socks.get_mut(&id) else {
                break;
            };
            if s.eof || s.hup {
                break;
            }
            if s.listening && s.one_to_one {
                if !self.accept_one(id) {
                    break;
                }
                continue;
            }
            let cap = buf.len().min(proto::MAX_RECORD_PAYLOAD);
            let r = match s.us.recvv(buf.get_mut(..cap).unwrap_or(&mut [])) {
                Ok(r) => {
                    log!(
                        3,
                        "socket {id}: {} bytes from the stack, flags {:#x}",
                        r.len,
                        r.flags
                    );
                    r
                }
                Err(e) if e == libc::EWOULDBLOCK || e == libc::EAGAIN => break,
                Err(e) => {
                    self.on_recv_error(id, e);
                    break;
                }
            };
            let notification = r.flags & usr::MSG_NOTIFICATION as i32 != 0;
            if r.len == 0 && !notification {
                if s.one_to_one {
                    s.eof = true;
                    self.give_eof(id);
                }
                break;
            }
            let payload = buf.get(..r.len).unwrap_or(&[]);
            if notification {
                self.on_notification(id, payload, &r.from);
            } else {
                self.release_failed(id, None);
                let rec = self.data_record(id, payload, &r);
                if let Some(s) = self.socks.get_mut(&id) {
                    if s.data_queued && s.out.is_empty() && unix::unread_bytes(&s.b) == 0 {
                        s.data_queued = false;
                    }
                    s.data_queued = true;
                }
                self.push(id, &rec, None);
            }
        }
        self.release_failed(id, None);
        self.buf = buf;
        self.update_mask(id);
    }

    /// The stack's receive failed: on an association of a one-to-one socket, the program's next
    /// receive fails with the error, then sees end of file.
    fn on_recv_error(&mut self, id: u32, e: i32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if s.one_to_one && (s.connected || s.connecting) {
            // Pending until a receive, SO_ERROR or a send takes it (set before the program can
            // send again below).
            s.so_error = linux_errno(e);
            if s.connecting && matches!(s.pause, Pause::Connecting) {
                // A connect that failed: writable first (the filler of a non-blocking connect
                // taken: POLLOUT, as Linux's POLLERR wakes a POLLOUT waiter), then the error.
                s.pause = Pause::No;
                self.read_records(id);
            }
            let Some(s) = self.socks.get_mut(&id) else {
                return;
            };
            if e == libc::ECONNRESET && s.aborted.is_none() {
                self.on_abort(id, 0);
            }
            let Some(s) = self.socks.get_mut(&id) else {
                return;
            };
            let h = RecvHdr {
                kind: rkind::ERROR,
                err: linux_errno(e),
                ..RecvHdr::default()
            };
            s.eof = true;
            self.push(id, &h.encode(), None);
            self.give_eof(id);
        } else {
            log!(2, "socket {id}: receive: errno {e}");
        }
    }

    /// A message (or a piece of one) as a record for the program.
    fn data_record(&mut self, id: u32, payload: &[u8], r: &crate::stack::Received) -> Vec<u8> {
        let mut h = RecvHdr {
            kind: rkind::DATA,
            namelen: r.from.len().min(28) as u16,
            ..RecvHdr::default()
        };
        h.name[..h.namelen as usize].copy_from_slice(&r.from[..h.namelen as usize]);
        let Some(s) = self.socks.get_mut(&id) else {
            return Vec::new();
        };
        if r.infotype == usr::SCTP_RECVV_RCVINFO || r.infotype == usr::SCTP_RECVV_RN {
            let next = &mut self.next_assoc;
            let ids = &mut s.ids;
            h.rcvinfo = rcvinfo_to_linux(
                r.info
                    .get(usr::sctp_recvv_rn::recvv_rcvinfo..)
                    .unwrap_or(&[]),
                &mut |u| ids.linux_of(u, next) as u32,
            );
        }
        h.flags = if r.flags & libc::MSG_EOR != 0 {
            rflags::EOR
        } else {
            0
        } | info_flags(&s.ropts);
        h.payload_len = payload.len() as u32;
        h.msg_len = payload.len() as u32;
        let mut v = h.encode().to_vec();
        v.extend_from_slice(payload);
        v
    }

    /// A notification of the stack. Linux reports an association's failure (COMM_LOST,
    /// CANT_STR_ASSOC) before the messages it could not send; usrsctp the other way round: its
    /// SEND_FAILED notifications wait for the association's change, or for anything else.
    fn on_notification(&mut self, id: u32, payload: &[u8], from: &[u8]) {
        let ev = notify::event(payload);
        let ty = u32::from(sctp_anywhere_proto::bytes::rd_u16(payload, 0));
        if let Some(u) = notify::comm_lost(payload) {
            self.on_abort(id, u);
        }
        if let Some(s) = self.socks.get_mut(&id) {
            if ty == usr::SCTP_SHUTDOWN_EVENT {
                s.peer_shut = true;
            }
            if matches!(ev, notify::Event::Up(_) | notify::Event::Down(..)) {
                s.writable = s.us.events() & usr::SCTP_EVENT_WRITE != 0;
            }
            if u32::from(sctp_anywhere_proto::bytes::rd_u16(payload, 0))
                == usr::SCTP_SEND_FAILED_EVENT
            {
                s.failed.push((payload.to_vec(), from.to_vec()));
                return;
            }
        }
        if let notify::Event::Down(u, err, cant) = ev {
            log!(
                3,
                "socket {id}: association {u} down (never up: {cant}, error {err}, {} bytes)",
                payload.len()
            );
            if cant && let Some(s) = self.socks.get_mut(&id) {
                s.setup_failed.insert(u, notify::setup_errno(payload));
            }
        }
        let (down, zero) = match ev {
            // An association that never started, set up by a send or connect(): Linux gives it
            // no id (only sctp_connectx gives one before the peer answers).
            notify::Event::Down(u, _, true) => (
                Some(u),
                self.socks
                    .get(&id)
                    .is_some_and(|s| !s.connect_ids.contains(&u)),
            ),
            notify::Event::Down(u, _, false) => (Some(u), false),
            _ => (None, false),
        };
        if let (notify::Event::Up(u), Some(s)) = (ev, self.socks.get_mut(&id)) {
            if !s.one_to_one {
                // The association starts with the socket's subscriptions (Linux copies them).
                let subs = s.ropts.subs;
                s.assoc_subs.entry(u).or_insert(subs);
            }
            if let Some(p) = crate::ops::primary_addr(&s.us, u) {
                s.primary_at_up.insert(u, p);
            }
        }
        if let (Some((u, a)), Some(s)) = (notify::confirmed(payload), self.socks.get(&id))
            && s.primary_at_up
                .get(&u)
                .is_some_and(|p| crate::bindx::same_endpoint(p, &a))
        {
            // Linux takes the address the association was set up through as confirmed from the
            // start, with no event; usrsctp confirms it by a heartbeat later and says so.
            return;
        }
        if down.is_none() {
            self.release_failed(id, None);
        }
        self.emit_notification(id, payload, from, if zero { down } else { None });
        if let Some(u) = down {
            self.release_failed(id, if zero { down } else { None });
            if let Some(s) = self.socks.get_mut(&id) {
                s.assoc_subs.remove(&u);
                s.user_aborted.remove(&u);
                s.primary_at_up.remove(&u);
            }
        }
    }

    /// Writes the SEND_FAILED notifications held back (those of association `zero` with id 0).
    fn release_failed(&mut self, id: u32, zero: Option<u32>) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        for (n, from) in std::mem::take(&mut s.failed) {
            self.emit_notification(id, &n, &from, zero);
        }
    }

    /// A notification in Linux's form as a record for the program, if it subscribed; the
    /// stack's association `zero` reported with id 0.
    fn emit_notification(&mut self, id: u32, payload: &[u8], from: &[u8], zero: Option<u32>) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let next = &mut self.next_assoc;
        let ids = &mut s.ids;
        let ua = notify::usr_assoc_of(payload);
        // An association keeps the subscriptions it started with, or was given (SCTP_EVENT with
        // its id), as on Linux.
        let subs = ua
            .and_then(|u| s.assoc_subs.get(&u))
            .copied()
            .unwrap_or(s.ropts.subs);
        let user_abort = ua.is_some_and(|u| {
            s.user_aborted.contains(&u) || (s.one_to_one && s.user_aborted.contains(&0))
        });
        let Some(l) = notify::to_linux(payload, &subs, user_abort, &mut |u| {
            if Some(u) == zero {
                0
            } else {
                ids.linux_of(u, next) as u32
            }
        }) else {
            return;
        };
        let mut h = RecvHdr {
            kind: rkind::NOTIFICATION,
            flags: rflags::EOR,
            namelen: from.len().min(28) as u16,
            ..RecvHdr::default()
        };
        h.name[..h.namelen as usize].copy_from_slice(&from[..h.namelen as usize]);
        h.payload_len = l.len() as u32;
        h.msg_len = l.len() as u32;
        let mut v = h.encode().to_vec();
        v.extend_from_slice(&l);
        self.push(id, &v, None);
    }

    /// The association of a one-to-one socket ended: end of file for the program if its peer
    /// sent SHUTDOWN (Linux's RCV_SHUTDOWN), else a GONE record (no end of file, as on Linux
    /// after an abort or a shutdown this end began), after the records before it.
    fn give_eof(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if !s.peer_shut || s.peeled {
            s.gone = true;
            let e = if s.aborted.is_some() {
                libc::ESRCH
            } else {
                libc::EPIPE
            };
            self.push_gone(id);
            self.fail_parked(id, e);
        } else {
            s.shut_pending = true;
            self.flush_out(id);
        }
    }

    /// The send parked on socket `id`, if any, fails with `e`; the socket reads on.
    fn fail_parked(&mut self, id: u32, e: i32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if let Pause::Parked(p) = std::mem::replace(&mut s.pause, Pause::No) {
            self.fail(p.chan, p.seq, e);
        }
    }

    /// Puts a GONE record at the end of the program's queue.
    pub(crate) fn push_gone(&mut self, id: u32) {
        let h = RecvHdr {
            kind: rkind::GONE,
            ..RecvHdr::default()
        };
        self.push(id, &h.encode(), None);
    }

    /// Takes one new association off a one-to-one listener and hands it to the program as a
    /// record carrying its descriptor. False when there is none (or no room for it).
    fn accept_one(&mut self, id: u32) -> bool {
        let Some(s) = self.socks.get(&id) else {
            return false;
        };
        let (so, peer) = match s.us.accept() {
            Ok(x) => x,
            Err(_) => return false,
        };
        // What Linux copies from the listener to the accepted socket (sctp_copy_sock): its
        // options, subscriptions, timeouts.
        let (domain, ropts, sopts, v4mapped) = (s.domain, s.ropts, s.sopts.clone(), s.v4mapped);
        let (bound, bound_any, port, name_addr) =
            (s.bound.clone(), s.bound_any, s.port, s.name_addr.clone());
        let nid = self.new_id();
        let us = match USock::adopt(so, nid) {
            Ok(u) => u,
            Err(_) => return true,
        };
        let a = match self.add_sock(nid, us, domain, libc::SOCK_STREAM, true, false) {
            Ok(a) => a,
            Err(e) => {
                log!(
                    1,
                    "socket {id}: could not hand over a new association: errno {e}"
                );
                return true;
            }
        };
        if sopts.rcvtimeo_us > 0 {
            // A receive times out on the pair, by its own option (set by the shim on the
            // listener's pair; this one is new).
            let tv = libc::timeval {
                tv_sec: (sopts.rcvtimeo_us / 1_000_000) as libc::time_t,
                tv_usec: (sopts.rcvtimeo_us % 1_000_000) as libc::suseconds_t,
            };
            let _ = unix::setsockopt_timeval(&a, libc::SO_RCVTIMEO, tv);
        }
        if let Some(n) = self.socks.get_mut(&nid) {
            if let Some(x) = sopts.adaptation {
                let _ =
                    n.us.set_int(libc::IPPROTO_SCTP, usr::SCTP_ADAPTATION_LAYER, x as i32);
            }
            n.connected = true;
            n.ropts = ropts;
            n.sopts = sopts;
            n.v4mapped = v4mapped;
            (n.bound, n.bound_any, n.port, n.name_addr) = (bound, bound_any, port, name_addr);
        }
        let peer = self.map_for(nid, peer);
        let mut h = RecvHdr {
            kind: rkind::NEWCONN,
            flags: rflags::EOR,
            ..RecvHdr::default()
        };
        h.namelen = peer.len().min(28) as u16;
        h.name[..h.namelen as usize].copy_from_slice(&peer[..h.namelen as usize]);
        let rec = h.encode();
        self.push(id, &rec, Some(a));
        log!(
            2,
            "socket {id}: new association handed over as socket {nid}"
        );
        true
    }
}

/// The (Linux) association a record for the program belongs to.
fn record_assoc(rec: &[u8]) -> Option<i32> {
    let h = RecvHdr::decode(rec)?;
    match h.kind {
        rkind::DATA => Some(sctp_anywhere_proto::bytes::rd_i32(
            &h.rcvinfo,
            sctp_anywhere_proto::linux::sctp_rcvinfo::rcv_assoc_id,
        )),
        rkind::NOTIFICATION => notify::linux_assoc_of(rec.get(proto::RECV_HDR_LEN..)?),
        _ => None,
    }
}

/// The errno of a send that was waiting for room when its association was lost: Linux's
/// sctp_wait_for_sndbuf says ESRCH where a later send gets EPIPE.
fn waiting_errno(e: i32, waiting: bool) -> i32 {
    if waiting && e == libc::EPIPE {
        libc::ESRCH
    } else {
        e
    }
}

/// A send error of the stack in Linux's terms: no association (usrsctp ENOTCONN) is EPIPE on
/// Linux, as is a shut-down or reset one.
fn send_errno(_one_to_one: bool, e: i32) -> i32 {
    match e {
        libc::ENOTCONN | libc::ESHUTDOWN | libc::ECONNRESET | libc::ENOENT => libc::EPIPE,
        x => linux_errno(x),
    }
}

/// The flags of a data record for the ancillary data the program asked for: SCTP_SNDRCV
/// (data_io), SCTP_RCVINFO, SCTP_NXTINFO.
fn info_flags(o: &crate::sock::RecvOpts) -> u8 {
    let mut f = 0;
    if o.subs.on(sctp_anywhere_proto::linux::SCTP_DATA_IO_EVENT) {
        f |= rflags::DATA_IO;
    }
    if o.rcvinfo {
        f |= rflags::RCVINFO;
    }
    if o.nxtinfo {
        f |= rflags::NXTINFO;
    }
    f
}
