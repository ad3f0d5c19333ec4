//! One SCTP socket as sctpd holds it: the usrsctp socket, sctpd's end of the pair whose other
//! end the program holds, and the Linux-side state usrsctp does not keep (subscriptions in
//! Linux's terms, SO_* values Linux reports, the send a blocking caller waits on).

use crate::notify::Subs;
use crate::stack::USock;
use std::collections::{HashMap, VecDeque};
use std::os::fd::OwnedFd;
use std::time::Instant;

/// A record waiting for room in the pair (the program is not reading).
pub struct OutRec {
    /// The record's bytes (header and payload).
    pub bytes: Vec<u8>,
    /// A descriptor that goes with it (a new connection).
    pub fd: Option<OwnedFd>,
}

/// A send the stack could not take yet.
pub struct Parked {
    /// Where and what to answer.
    pub chan: u32,
    /// The reply's seq.
    pub seq: u32,
    /// The prepared send.
    pub send: crate::sendpath::Prepared,
    /// SO_SNDTIMEO's end, if any.
    pub deadline: Option<Instant>,
}

/// Why sctpd does not read the program's records for now.
pub enum Pause {
    /// Reading normally.
    No,
    /// A non-blocking send got EAGAIN: the program writes a filler that sctpd reads only once
    /// the stack can take data again, so that its end shows no POLLOUT until then.
    Full,
    /// A blocking send waits for room.
    Parked(Box<Parked>),
    /// A non-blocking connect of a one-to-one socket is under way: no POLLOUT until it ends.
    Connecting,
}

/// A caller blocked in connect() (or sctp_connectx) until an association is up or failed.
pub struct Waiter {
    /// Channel and seq to answer.
    pub chan: u32,
    /// The reply's seq.
    pub seq: u32,
    /// The association (0 on a one-to-one socket: the socket's own).
    pub assoc: u32,
    /// SO_SNDTIMEO's end, if any: then EINPROGRESS, as Linux.
    pub deadline: Option<Instant>,
    /// The reply carries the association id (SCTP_SOCKOPT_CONNECTX3's getsockopt: its output
    /// buffer is `out`).
    pub out: Option<Vec<u8>>,
}

/// SOL_SOCKET options Linux keeps that sctpd stores itself (the stack has no such thing, or
/// the value Linux reports differs).
#[derive(Clone, Default)]
pub struct SockOpts {
    /// SO_SNDTIMEO in microseconds (0: none).
    pub sndtimeo_us: u64,
    /// SO_RCVTIMEO (applied to the pair too) in microseconds.
    pub rcvtimeo_us: u64,
    /// SO_LINGER: (on, seconds).
    pub linger: (i32, i32),
    /// SO_REUSEADDR.
    pub reuseaddr: i32,
    /// SO_KEEPALIVE, SO_PRIORITY, SO_RCVLOWAT, SO_SNDLOWAT, SO_MARK, SO_OOBINLINE...: the values
    /// set (Linux accepts them on SCTP sockets; the stack has no use for them).
    pub misc: Vec<(i32, Vec<u8>)>,
    /// SO_SNDBUF / SO_RCVBUF as Linux reports them (twice the value set), 0: the default.
    pub sndbuf: i32,
    /// See sndbuf.
    pub rcvbuf: i32,
    /// SCTP_NODELAY as the program set it. The stack always runs without Nagle's delay: with
    /// it, usrsctp can hold a small message for good once a PR-SCTP one went before it.
    pub nodelay: bool,
    /// SCTP_FRAGMENT_INTERLEAVE as Linux keeps it (0 or 1; the stack's default differs).
    pub frag_interleave: i32,
    /// SCTP_PARTIAL_DELIVERY_POINT as set (0: never set, what Linux reports then).
    pub pd_point: i32,
    /// SCTP_ADAPTATION_LAYER as set (an accepted socket inherits it, as on Linux).
    pub adaptation: Option<u32>,
}

/// The Linux options that shape what the program receives (stamped on each record).
#[derive(Default, Clone, Copy)]
pub struct RecvOpts {
    /// SCTP_EVENTS / SCTP_EVENT subscriptions (bit 0: data_io).
    pub subs: Subs,
    /// SCTP_RECVRCVINFO.
    pub rcvinfo: bool,
    /// SCTP_RECVNXTINFO.
    pub nxtinfo: bool,
}

/// usrsctp numbers a socket's associations from 3 for every socket; Linux's ids are unique on
/// the host. Each socket maps the stack's ids to ids sctpd hands out from one counter.
#[derive(Default)]
pub struct AssocIds {
    u2g: HashMap<u32, i32>,
    g2u: HashMap<i32, u32>,
}

/// A stack id no association has: what an unknown Linux id maps to, so the stack answers as
/// for a wrong id.
pub const NO_ASSOC: u32 = 0x7fff_fff0;

impl AssocIds {
    /// The stack's id for Linux's `g` (SCTP_FUTURE/CURRENT/ALL_ASSOC and 0 as they are).
    pub fn usr_of(&self, g: i32) -> u32 {
        if (0..=2).contains(&g) {
            return g as u32;
        }
        self.g2u.get(&g).copied().unwrap_or(NO_ASSOC)
    }

    /// Linux's id for the stack's `u`, handed out from `next` when first seen.
    pub fn linux_of(&mut self, u: u32, next: &mut i32) -> i32 {
        if u <= 2 {
            return u as i32;
        }
        if let Some(g) = self.u2g.get(&u) {
            return *g;
        }
        let g = *next;
        *next = if *next >= i32::MAX - 1 { 3 } else { *next + 1 };
        self.insert(u, g);
        g
    }

    /// Linux's id for `u` if it has one (no new id handed out).
    pub fn peek(&self, u: u32) -> Option<i32> {
        self.u2g.get(&u).copied()
    }

    /// Records a mapping (an association peeled off keeps its id on the new socket).
    pub fn insert(&mut self, u: u32, g: i32) {
        self.u2g.insert(u, g);
        self.g2u.insert(g, u);
    }
}

/// One SCTP socket.
pub struct Sock {
    /// The stack's socket.
    pub us: USock,
    /// sctpd's end of the pair.
    pub b: OwnedFd,
    /// The inode of the program's end: how requests name the socket.
    pub ino: u64,
    /// AF_INET or AF_INET6.
    pub domain: i32,
    /// The type the program asked for (SOCK_STREAM: one-to-one; SOCK_SEQPACKET: one-to-many,
    /// or a peeled-off association, which Linux reports as SOCK_SEQPACKET too).
    pub ty: i32,
    /// One-to-one behaviour (SOCK_STREAM, accepted, or peeled off).
    pub one_to_one: bool,
    /// Peeled off a one-to-many socket.
    pub peeled: bool,
    /// listen() was called.
    pub listening: bool,
    /// A one-to-one socket's association is (or was) up.
    pub connected: bool,
    /// A one-to-one socket's connect is under way.
    pub connecting: bool,
    /// Receive options.
    pub ropts: RecvOpts,
    /// SOL_SOCKET values.
    pub sopts: SockOpts,
    /// A pending error (SO_ERROR): a failed non-blocking connect.
    pub so_error: i32,
    /// Why the program's records are not being read.
    pub pause: Pause,
    /// Records for the program waiting for room in the pair.
    pub out: VecDeque<OutRec>,
    /// Events registered with epoll for `b`.
    pub mask: u32,
    /// The program closed its end (every copy of it).
    pub hup: bool,
    /// End of file was given to the program (shutdown of the pair's write side).
    pub eof: bool,
    /// Callers waiting for connect().
    pub waiters: Vec<Waiter>,
    /// The pieces of a message larger than one record, until the last.
    pub partial: Option<(crate::sendparse::SendReq, Vec<u8>, Vec<u8>)>,
    /// The stack said it can take data (last look).
    pub writable: bool,
    /// Association ids, the stack's and Linux's.
    pub ids: AssocIds,
    /// SCTP_I_WANT_MAPPED_V4_ADDR as set (Linux keeps it on any socket; default on).
    pub v4mapped: bool,
    /// The program's end went with records queued (ECONNRESET on sctpd's end at its hang-up).
    pub left_unread: bool,
    /// SEND_FAILED notifications of the stack held back (see io.rs), with their sender.
    pub failed: Vec<(Vec<u8>, Vec<u8>)>,
    /// The stack's ids of associations started by sctp_connectx (their CANT_STR_ASSOC keeps
    /// their id; those of connect() and of a send have none yet).
    pub connect_ids: std::collections::HashSet<u32>,
    /// The addresses bound (bind, sctp_bindx), port zeroed, in the order bound.
    pub bound: Vec<Vec<u8>>,
    /// Bound to the wildcard address.
    pub bound_any: bool,
    /// The port bound (0: none yet).
    pub port: u16,
    /// The address getsockname reports before a connection: the last one bound (Linux).
    pub name_addr: Option<Vec<u8>>,
    /// IPV6_V6ONLY as set (usrsctp keeps no such option).
    pub v6only: bool,
    /// Addresses removed by sctp_bindx while associations use them: with ASCONF off (as by
    /// default on Linux) an association keeps its addresses, so the stack drops them only once
    /// the socket has no association left.
    pub unbind_later: Vec<Vec<u8>>,
    /// A peel-off is under way: no record is written to the pair (since when).
    pub held: Option<std::time::Instant>,
    /// Records the shim took back from the pair during a hold, oldest first.
    pub requeue: Vec<Vec<u8>>,
    /// A data record may be waiting in the pair (one was written since the pair was last
    /// seen empty): if the program's end goes with records queued, they include data.
    pub data_queued: bool,
    /// The peer sent SHUTDOWN (Linux's RCV_SHUTDOWN on a one-to-one socket): its end of the
    /// association is end of file for the program.
    pub peer_shut: bool,
    /// End of file is due once the records queued for the program are in its pair.
    pub shut_pending: bool,
    /// The association of this one-to-one socket is gone with no end of file for the program
    /// (a GONE record was written).
    pub gone: bool,
    /// An association of this socket was aborted (COMM_LOST): the sends waiting for it fail
    /// with ESRCH (Linux's sctp_wait_for_sndbuf), those made after with EPIPE.
    pub aborted: Option<u32>,
    /// The records already in the pair when the abort came are being read (their senders
    /// were waiting, as Linux's are in sctp_wait_for_sndbuf).
    pub abort_window: bool,
    /// The program's records are being read (a nested read is not started).
    pub reading: bool,
    /// The program's end of the pair is closed (a write to it failed).
    pub reader_gone: bool,
    /// The subscriptions of each association (the stack's id) that has its own: copied from the
    /// socket's when it came up, changed by SCTP_EVENT naming it (Linux's asoc->subscribe).
    pub assoc_subs: std::collections::HashMap<u32, Subs>,
    /// Associations (the stack's id; 0 on a one-to-one socket) the program aborted: their
    /// COMM_LOST and SEND_FAILED carry the cause "User-Initiated Abort", as on Linux.
    pub user_aborted: std::collections::HashSet<u32>,
    /// The peer address each association (the stack's id) was set up through (its primary
    /// when it came up).
    pub primary_at_up: std::collections::HashMap<u32, Vec<u8>>,
    /// Why associations that never came up failed (the stack's id: ECONNREFUSED when the
    /// peer answered with ABORT, ETIMEDOUT when INIT went unanswered), for their connects.
    pub setup_failed: std::collections::HashMap<u32, i32>,
}

impl Sock {
    /// The events the stack must deliver for this socket: the socket's subscriptions and those
    /// of each of its associations.
    pub fn stack_subs(&self) -> Subs {
        let mut u = self.ropts.subs;
        for a in self.assoc_subs.values() {
            u = u.union(a);
        }
        u
    }
}
