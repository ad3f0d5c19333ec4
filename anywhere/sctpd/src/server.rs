//! The event loop: one thread, one epoll over the control socket, the channels, sctpd's ends of
//! the socket pairs and the eventfd usrsctp's upcalls write to. Control requests are handled in
//! ops.rs, records and the receive pump in io.rs, options in sockopt.rs.

use crate::log;
use crate::sock::{Pause, Sock};
use crate::stack::{self, USock};
use crate::unix::{self, Epoll, EventFd};
use sctp_anywhere_proto::{self as proto, REQUEST_LEN, Reply, Request, op};
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

/// What sctpd was started with.
pub struct Config {
    /// The control socket's abstract name.
    pub control: Vec<u8>,
    /// The UDP port new associations send to (a peer's stack).
    pub remote_udp_port: u16,
}

const T_LISTENER: u64 = 1;
const T_WAKE: u64 = 2;
const T_STOP: u64 = 3;
const T_CHAN: u64 = 1 << 32;
const T_SOCK: u64 = 2 << 32;

/// How often every socket is looked at even without an upcall (usrsctp's upcall can miss the
/// readable-at-end-of-file event), and blocked callers' timeouts are checked.
const SWEEP: Duration = Duration::from_millis(50);

/// Room for the largest record either way (a program's record: header, address, cmsgs and
/// payload; sctpd's: header and payload).
const BUF_LEN: usize = 256 * 1024;

/// A program thread's connection.
pub struct Chan {
    /// The connection.
    pub fd: OwnedFd,
    /// The process at its other end (SO_PEERCRED when it connected): whose rights a bind to a
    /// privileged port needs.
    pub cred: Option<libc::ucred>,
}

/// sctpd.
pub struct Server {
    /// Its configuration.
    pub cfg: Config,
    pub(crate) ep: Epoll,
    listener: OwnedFd,
    wake: EventFd,
    stop: OwnedFd,
    pub(crate) chans: HashMap<u32, Chan>,
    /// The sockets, by id.
    pub socks: HashMap<u32, Sock>,
    /// Socket id by the inode of the program's end.
    pub by_ino: HashMap<u64, u32>,
    next_id: u32,
    /// A buffer as large as a record.
    pub(crate) buf: Vec<u8>,
    upcalls: Vec<u32>,
    last_sweep: Instant,
    /// The next association id handed out (Linux's ids are unique on the host).
    pub next_assoc: i32,
    /// The channel whose request is being served.
    pub cur_chan: u32,
    /// Stack sockets the programs closed, waiting for their associations to end.
    pub closing: Vec<crate::closing::Closing>,
}

impl Server {
    /// Sets up the loop around the already bound control socket.
    pub fn new(cfg: Config, listener: OwnedFd) -> std::io::Result<Server> {
        let ep = Epoll::new()?;
        let wake = EventFd::new()?;
        ep.add(listener.as_raw_fd(), libc::EPOLLIN as u32, T_LISTENER)?;
        ep.add(wake.0.as_raw_fd(), libc::EPOLLIN as u32, T_WAKE)?;
        let stop = unix::stop_signals()?;
        ep.add(stop.as_raw_fd(), libc::EPOLLIN as u32, T_STOP)?;
        stack::set_wake_fd(wake.0.as_raw_fd());
        Ok(Server {
            cfg,
            ep,
            listener,
            wake,
            stop,
            chans: HashMap::new(),
            socks: HashMap::new(),
            by_ino: HashMap::new(),
            next_id: 1,
            buf: vec![0u8; BUF_LEN],
            upcalls: Vec::new(),
            last_sweep: Instant::now(),
            next_assoc: 3,
            cur_chan: 0,
            closing: Vec::new(),
        })
    }

    /// The record buffer (a fresh one when an outer call holds it: handlers nest).
    pub(crate) fn take_buf(&mut self) -> Vec<u8> {
        let b = std::mem::take(&mut self.buf);
        if b.len() == BUF_LEN {
            b
        } else {
            vec![0u8; BUF_LEN]
        }
    }

    /// Linux's id for the stack's association `u` of socket `id`.
    pub fn gid(&mut self, id: u32, u: u32) -> i32 {
        match self.socks.get_mut(&id) {
            Some(s) => s.ids.linux_of(u, &mut self.next_assoc),
            None => u as i32,
        }
    }

    /// A fresh id for a channel or socket.
    pub fn new_id(&mut self) -> u32 {
        loop {
            let id = self.next_id;
            self.next_id = self.next_id.wrapping_add(1).max(1);
            if !self.socks.contains_key(&id) && !self.chans.contains_key(&id) {
                return id;
            }
        }
    }

    /// Runs until the process ends.
    pub fn run(&mut self) -> std::io::Result<()> {
        let mut evs = Vec::new();
        loop {
            // The stack's threads run while the loop waits (src/biglock.rs).
            crate::biglock::leave();
            let r = self.ep.wait(&mut evs, SWEEP.as_millis() as i32);
            crate::biglock::enter();
            r?;
            for &(tok, ev) in &evs {
                match tok {
                    T_LISTENER => self.on_listener(),
                    T_WAKE => self.wake.clear(),
                    T_STOP => return self.shut_down(),
                    t if t & T_CHAN != 0 && t & T_SOCK == 0 => self.on_chan(t as u32),
                    t if t & T_SOCK != 0 => self.on_sock(t as u32, ev),
                    _ => {}
                }
            }
            self.service_upcalls();
            if self.last_sweep.elapsed() >= SWEEP {
                self.last_sweep = Instant::now();
                let ids: Vec<u32> = self.socks.keys().copied().collect();
                for id in ids {
                    self.service(id);
                }
                self.sweep_closing();
            }
        }
    }

    /// Services the sockets the stack has signalled since the last time. Also done before a
    /// program's request is answered, so that the answer reflects everything the stack did
    /// before it (a message a peer acknowledged is in its socket's pair by then).
    pub(crate) fn service_upcalls(&mut self) {
        let mut ups = std::mem::take(&mut self.upcalls);
        stack::take_upcalls(&mut ups);
        ups.sort_unstable();
        ups.dedup();
        for &id in &ups {
            self.service(id);
        }
        ups.clear();
        self.upcalls = ups;
    }

    /// SIGTERM/SIGINT: every association is aborted (its peer learns at once), then sctpd
    /// exits; programs see their sockets fail (ECONNRESET, EPIPE), never hang.
    fn shut_down(&mut self) -> std::io::Result<()> {
        let _ = &self.stop;
        log!(1, "stopping: aborting {} sockets", self.socks.len());
        let ids: Vec<u32> = self.socks.keys().copied().collect();
        for id in ids {
            if let Some(s) = self.socks.get_mut(&id) {
                s.sopts.linger = (1, 0);
            }
            self.close_sock(id);
        }
        self.abort_closing();
        Ok(())
    }

    fn on_listener(&mut self) {
        loop {
            match unix::accept(&self.listener) {
                Ok(Some(fd)) => {
                    let id = self.new_id();
                    let _ = unix::setsockopt_int(&fd, libc::SOL_SOCKET, libc::SO_SNDBUF, 1 << 20);
                    let hello = Reply {
                        seq: 0,
                        ret: i64::from(id),
                        aux: proto::VERSION,
                        out_len: 0,
                        flags: 0,
                    };
                    if unix::send_record(&fd, &[&hello.encode()], None).is_err()
                        || self
                            .ep
                            .add(
                                fd.as_raw_fd(),
                                (libc::EPOLLIN | libc::EPOLLRDHUP) as u32,
                                T_CHAN | u64::from(id),
                            )
                            .is_err()
                    {
                        continue;
                    }
                    log!(2, "channel {id} opened");
                    let cred = unix::peer_cred(&fd);
                    self.chans.insert(id, Chan { fd, cred });
                }
                Ok(None) => return,
                Err(e) => {
                    log!(0, "accept on the control socket: {e}");
                    return;
                }
            }
        }
    }

    fn on_chan(&mut self, id: u32) {
        let mut buf = self.take_buf();
        while let Some(chan) = self.chans.get(&id) {
            match unix::recv_record(&chan.fd, &mut buf) {
                Ok(Some(r)) if r.len == 0 => {
                    self.drop_chan(id);
                    break;
                }
                Ok(Some(r)) => {
                    let Some(req) = Request::decode(&buf) else {
                        log!(1, "channel {id}: not a request ({} bytes): closed", r.len);
                        self.drop_chan(id);
                        break;
                    };
                    let end = (REQUEST_LEN + req.in_len as usize).min(r.len);
                    let body = buf.get(REQUEST_LEN..end).unwrap_or(&[]).to_vec();
                    self.request(id, req, body, r.fd);
                }
                Ok(None) => break,
                Err(_) => {
                    self.drop_chan(id);
                    break;
                }
            }
        }
        self.buf = buf;
    }

    fn drop_chan(&mut self, id: u32) {
        if let Some(c) = self.chans.remove(&id) {
            self.ep.delete(c.fd.as_raw_fd());
            log!(2, "channel {id} closed");
        }
    }

    /// Answers request `seq` on channel `chan` (nothing if the channel is gone).
    pub fn reply(
        &mut self,
        chan: u32,
        seq: u32,
        ret: i64,
        aux: i64,
        out: &[u8],
        fd: Option<RawFd>,
    ) {
        self.reply_flags(chan, seq, ret, aux, out, fd, 0);
    }

    /// [`Server::reply`] with [`proto::yflags`].
    #[allow(clippy::too_many_arguments)]
    pub fn reply_flags(
        &mut self,
        chan: u32,
        seq: u32,
        ret: i64,
        aux: i64,
        out: &[u8],
        fd: Option<RawFd>,
        flags: u32,
    ) {
        if seq == 0 {
            return;
        }
        let Some(c) = self.chans.get(&chan) else {
            return;
        };
        let r = Reply {
            seq,
            ret,
            aux,
            out_len: out.len() as u32,
            flags,
        };
        if let Err(e) = unix::send_record(&c.fd, &[&r.encode(), out], fd) {
            log!(1, "channel {chan}: reply lost: {e}");
        }
    }

    /// Answers with -errno.
    pub fn fail(&mut self, chan: u32, seq: u32, errno: i32) {
        self.reply(chan, seq, -i64::from(errno), 0, &[], None);
    }

    fn request(&mut self, chan: u32, req: Request, body: Vec<u8>, fd: Option<OwnedFd>) {
        self.service_upcalls();
        self.cur_chan = chan;
        if req.op == op::SOCKET {
            return self.op_socket(chan, &req);
        }
        if req.op == op::CANCEL {
            return self.op_cancel(chan, req.args[0] as u32);
        }
        if req.op == op::PROC {
            let text = crate::procfs::render(self, req.args[0]);
            let out = text.as_bytes();
            let out = out
                .get(..out.len().min(req.out_max as usize))
                .unwrap_or(&[]);
            return self.reply(chan, req.seq, out.len() as i64, 0, out, None);
        }
        // Every other request names its socket by passing the program's descriptor.
        let id = fd
            .as_ref()
            .and_then(|f| unix::inode(f.as_raw_fd()).ok())
            .and_then(|ino| self.by_ino.get(&ino).copied());
        drop(fd);
        let Some(id) = id else {
            log!(
                1,
                "channel {chan}: request {} names no socket of sctpd: EBADF",
                req.op
            );
            return self.fail(chan, req.seq, libc::EBADF);
        };
        match req.op {
            op::BIND => self.op_bind(chan, id, &req, &body),
            op::LISTEN => self.op_listen(chan, id, &req),
            op::CONNECT => self.op_connect(chan, id, &req, &body),
            op::GETSOCKNAME | op::GETPEERNAME => self.op_name(chan, id, &req),
            op::SETSOCKOPT => self.op_setsockopt(chan, id, &req, &body),
            op::GETSOCKOPT => self.op_getsockopt(chan, id, &req, &body),
            op::SHUTDOWN => self.op_shutdown(chan, id, &req),
            op::INFO => self.op_info(chan, id, &req),
            op::TAKE_ERROR => {
                let e = self
                    .socks
                    .get_mut(&id)
                    .map_or(0, |s| std::mem::take(&mut s.so_error));
                self.reply(chan, req.seq, i64::from(e), 0, &[], None)
            }
            op::HOLD => {
                if let Some(s) = self.socks.get_mut(&id) {
                    s.held = Some(Instant::now());
                }
                self.reply(chan, req.seq, 0, 0, &[], None)
            }
            op::REQUEUE => {
                if let Some(s) = self.socks.get_mut(&id) {
                    let mut off = 0;
                    while off + 4 <= body.len() {
                        let n = sctp_anywhere_proto::bytes::rd_u32(&body, off) as usize;
                        off += 4;
                        let Some(r) = body.get(off..off + n) else {
                            break;
                        };
                        s.requeue.push(r.to_vec());
                        off += n;
                    }
                }
                self.reply(chan, req.seq, 0, 0, &[], None)
            }

            _ => self.fail(chan, req.seq, libc::EOPNOTSUPP),
        }
    }

    /// Registers a new socket around `us`: its pair, its name, its place in epoll. Returns the
    /// program's end of the pair.
    pub fn add_sock(
        &mut self,
        id: u32,
        us: USock,
        domain: i32,
        ty: i32,
        one_to_one: bool,
        nonblock: bool,
    ) -> Result<OwnedFd, i32> {
        let (b, a) =
            unix::pair(nonblock, true).map_err(|e| e.raw_os_error().unwrap_or(libc::ENOMEM))?;
        let mut name = proto::pair_prefix(&self.cfg.control);
        name.extend_from_slice(format!("{}/{}", std::process::id(), id).as_bytes());
        unix::bind_abstract(&b, &name).map_err(|e| e.raw_os_error().unwrap_or(libc::ENOMEM))?;
        let ino =
            unix::inode(a.as_raw_fd()).map_err(|e| e.raw_os_error().unwrap_or(libc::EBADF))?;
        let mask = (libc::EPOLLIN | libc::EPOLLRDHUP) as u32;
        self.ep
            .add(b.as_raw_fd(), mask, T_SOCK | u64::from(id))
            .map_err(|e| e.raw_os_error().unwrap_or(libc::ENOMEM))?;
        self.socks.insert(
            id,
            Sock {
                us,
                b,
                ino,
                domain,
                ty,
                one_to_one,
                peeled: false,
                listening: false,
                connected: false,
                connecting: false,
                ropts: Default::default(),
                sopts: Default::default(),
                so_error: 0,
                pause: Pause::No,
                out: Default::default(),
                mask,
                hup: false,
                eof: false,
                waiters: Vec::new(),
                partial: None,
                writable: true,
                ids: Default::default(),
                v4mapped: true,
                data_queued: false,
                peer_shut: false,
                shut_pending: false,
                gone: false,
                aborted: None,
                abort_window: false,
                reading: false,
                reader_gone: false,
                assoc_subs: Default::default(),
                user_aborted: Default::default(),
                primary_at_up: Default::default(),
                setup_failed: Default::default(),
                held: None,
                left_unread: false,
                failed: Vec::new(),
                bound: Vec::new(),
                v6only: false,
                unbind_later: Vec::new(),
                bound_any: false,
                port: 0,
                name_addr: None,
                connect_ids: Default::default(),
                requeue: Vec::new(),
            },
        );
        self.by_ino.insert(ino, id);
        log!(2, "socket {id} opened (domain {domain}, type {ty})");
        Ok(a)
    }

    /// Re-registers `b` for what the socket waits on: records from the program unless paused,
    /// room for its records when some wait.
    pub fn update_mask(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let mut m = libc::EPOLLRDHUP as u32;
        if matches!(s.pause, Pause::No) && !s.hup {
            m |= libc::EPOLLIN as u32;
        }
        if !s.out.is_empty() {
            m |= libc::EPOLLOUT as u32;
        }
        if s.hup {
            // The program is gone: only what is left to send keeps the socket.
            m &= !(libc::EPOLLRDHUP as u32);
        }
        if m != s.mask {
            s.mask = m;
            let _ = self.ep.modify(s.b.as_raw_fd(), m, T_SOCK | u64::from(id));
        }
    }

    /// Frees a socket. As Linux closes an SCTP socket: the association is shut down gracefully,
    /// or aborted when data was left unread (in the pair, or still in the stack) or SO_LINGER
    /// is on with 0 seconds. The pair tells: the kernel sets ECONNRESET on sctpd's end when
    /// the program's end goes with records still queued (whether it was closed or the program
    /// died), and sctpd knows whether any of those can be data.
    pub fn close_sock(&mut self, id: u32) {
        let Some(s) = self.socks.remove(&id) else {
            return;
        };
        self.ep.delete(s.b.as_raw_fd());
        self.by_ino.remove(&s.ino);
        self.sync_port(s.port);
        let waiters: Vec<_> = s.waiters.iter().map(|w| (w.chan, w.seq)).collect();
        if let Pause::Parked(p) = &s.pause {
            let (c, q) = (p.chan, p.seq);
            self.fail(c, q, libc::EBADF);
        }
        for (c, q) in waiters {
            self.fail(c, q, libc::EBADF);
        }
        let left = s.left_unread || unix::sock_error(&s.b) == libc::ECONNRESET;
        // Queued notifications alone do not count (Linux's neither), data does.
        let mut unread = left && s.data_queued;
        let linger0 = s.sopts.linger.0 != 0 && s.sopts.linger.1 == 0;
        let mut buf = self.take_buf();
        // Data still in the stack aborts too; when the abort is decided already, none is read
        // (reading would open the window and tell the peer so before the ABORT).
        while !(unread || linger0)
            && let Ok(r) = s.us.recvv(&mut buf)
        {
            if r.len == 0 && r.flags & crate::usr::MSG_NOTIFICATION as i32 == 0 {
                break;
            }
            if r.flags & crate::usr::MSG_NOTIFICATION as i32 == 0 {
                unread = true;
            }
        }
        self.buf = buf;
        let abort = (unread || linger0) && !s.listening;
        log!(
            2,
            "socket {id} closed{} (records left in the pair: {left}, data among them: {})",
            if unread { ", data unread: aborted" } else { "" },
            s.data_queued
        );
        let crate::sock::Sock { us, one_to_one, .. } = s;
        self.close_stack_socket(id, us, one_to_one, abort);
    }

    fn on_sock(&mut self, id: u32, ev: u32) {
        if ev & (libc::EPOLLOUT as u32) != 0 {
            self.flush_out(id);
            self.pump_recv(id);
        }
        if ev & (libc::EPOLLIN as u32) != 0 {
            self.read_records(id);
        }
        if ev & ((libc::EPOLLHUP | libc::EPOLLRDHUP) as u32) != 0 {
            self.on_hup(id);
        }
        self.update_mask(id);
    }

    /// The program closed its last copy of the socket: what it sent is sent, then the stack's
    /// socket closes.
    fn on_hup(&mut self, id: u32) {
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        if !s.hup {
            s.hup = true;
            // Read (and clear) before any receive on the pair does: ECONNRESET says the
            // program's end went with records still queued.
            s.left_unread |= unix::sock_error(&s.b) == libc::ECONNRESET;
            // Whatever it wrote before closing is still readable.
            s.pause = match std::mem::replace(&mut s.pause, Pause::No) {
                Pause::Parked(p) => Pause::Parked(p),
                _ => Pause::No,
            };
            self.read_records(id);
        }
        let Some(s) = self.socks.get(&id) else { return };
        if !matches!(s.pause, Pause::Parked(_)) {
            self.close_sock(id);
        }
    }

    /// Looks at the stack's socket after an upcall (or the sweep): connects that ended, a send
    /// that can go, data to pass on.
    pub fn service(&mut self, id: u32) {
        if self
            .socks
            .get(&id)
            .and_then(|s| s.held)
            .is_some_and(|t| t.elapsed() > Duration::from_secs(2))
        {
            self.release_hold(id, None);
        }
        let Some(s) = self.socks.get_mut(&id) else {
            return;
        };
        let ev = s.us.events();
        s.writable = ev & crate::usr::SCTP_EVENT_WRITE != 0;
        self.unbind_deferred(id);
        // What the stack has for the program first: a lost association fails the send
        // waiting for it as Linux does (ESRCH), before a retry would see the stack's EPIPE;
        // an association that never came up says why, for its connect.
        self.pump_recv(id);
        self.check_connect(id, ev);
        self.retry_parked(id);
        self.check_deadlines(id);
        if let Some(s) = self.socks.get(&id)
            && s.hup
            && !matches!(s.pause, Pause::Parked(_))
        {
            self.close_sock(id);
            return;
        }
        self.update_mask(id);
    }
}
