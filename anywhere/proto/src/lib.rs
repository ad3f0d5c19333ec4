//! The wire format between the SCTP-anywhere shim (libsctp_anywhere.so, inside a program) and
//! sctpd (the userspace SCTP stack that serves the host), and Linux's SCTP facts.
//!
//! Three kinds of unix socket carry it, all AF_UNIX SOCK_SEQPACKET (message boundaries kept):
//! - **The control socket**, sctpd's listening address ([`control_name`], an abstract name, so
//!   one per network namespace). Each thread of a program that uses SCTP holds one connection to
//!   it, its *channel*: it sends [`Request`]s there and gets [`Reply`]s back. sctpd greets each
//!   new channel with a [`Reply`] whose `seq` is 0, `ret` the channel's id, `aux` its protocol
//!   [`VERSION`]. A request about a socket carries that socket's descriptor (SCM_RIGHTS): sctpd
//!   knows the socket by the descriptor's inode, so only a process that holds the socket can act
//!   on it.
//! - **A socket pair per SCTP socket.** The program's SCTP descriptor is one end; sctpd holds the
//!   other, bound to an abstract name under the control socket's ([`pair_prefix`]), by which the
//!   shim recognises its descriptors in any process. The program writes [`SendHdr`] records
//!   (a message to send, a filler, a shutdown); sctpd writes [`RecvHdr`] records (a message, a
//!   notification, an error, a new connection) that the program reads. Readiness (poll, epoll,
//!   select) is the pair's own.
//! - sctpd answers a record that asks for it ([`SendHdr`] `seq` nonzero) on the channel named in
//!   the record.
//!
//! Everything is native-endian: both ends run on one host.

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod bytes;
pub mod linux;

use bytes::{
    rd_i32, rd_i64, rd_u8, rd_u16, rd_u32, rd_u64, wr_i32, wr_i64, wr_u16, wr_u32, wr_u64,
};

/// Protocol version: a shim talks only to an sctpd of the same version.
pub const VERSION: i64 = 1;

/// The default name of sctpd's control socket in the abstract namespace (without the leading
/// NUL): `@sctp_rs.sctpd`.
pub const DEFAULT_CONTROL_NAME: &str = "sctp_rs.sctpd";

/// The environment variable that names another control socket (for several sctpd in one
/// network namespace, as tests need): `SCTPD_SOCKET=name` (abstract, without the '@').
pub const CONTROL_ENV: &str = "SCTPD_SOCKET";

/// The control socket's abstract name (without the leading NUL): `$SCTPD_SOCKET` if set and
/// usable, else [`DEFAULT_CONTROL_NAME`].
pub fn control_name(env: Option<&[u8]>) -> Vec<u8> {
    match env {
        Some(v) if !v.is_empty() && v.len() <= 80 && !v.contains(&0) => v.to_vec(),
        _ => DEFAULT_CONTROL_NAME.as_bytes().to_vec(),
    }
}

/// The abstract-name prefix of sctpd's ends of the socket pairs: the control name and a '/'.
/// A descriptor whose peer's name starts with it is an SCTP socket of sctpd.
pub fn pair_prefix(control: &[u8]) -> Vec<u8> {
    let mut p = control.to_vec();
    p.push(b'/');
    p
}

/// Largest payload of one record on a socket pair: sctpd splits a larger received message into
/// several records (the last with [`rflags::EOR`]); the shim splits a larger message it sends
/// ([`sflags::MORE`] on all but the last piece). It fits the default unix socket send buffer
/// (net.core.wmem_default, 212992 bytes) with room for the header and the kernel's overhead.
pub const MAX_RECORD_PAYLOAD: usize = 196_608;

/// The control operations ([`Request::op`]).
pub mod op {
    /// socket(domain, type, protocol): a new SCTP socket; the reply carries its descriptor.
    pub const SOCKET: u32 = 1;
    /// bind(addr): in = the address.
    pub const BIND: u32 = 2;
    /// listen(backlog): args\[0\] = backlog.
    pub const LISTEN: u32 = 3;
    /// connect(addr): in = the address; flags BLOCKING.
    pub const CONNECT: u32 = 4;
    /// getsockname(): out = the address.
    pub const GETSOCKNAME: u32 = 5;
    /// getpeername(): out = the address.
    pub const GETPEERNAME: u32 = 6;
    /// setsockopt(level = args\[0\], name = args\[1\]): in = the value.
    pub const SETSOCKOPT: u32 = 7;
    /// getsockopt(level = args\[0\], name = args\[1\]): in = the caller's buffer as it was
    /// (Linux reads arguments from it), out_max = its length; out = the value, `aux` = the
    /// length to report. A reply may carry a descriptor (SCTP_SOCKOPT_PEELOFF).
    pub const GETSOCKOPT: u32 = 8;
    /// shutdown(how = args\[0\]).
    pub const SHUTDOWN: u32 = 9;
    /// What the socket is: the reply's `aux` holds [`super::info`] bits.
    pub const INFO: u32 = 10;
    /// The text of /proc/net/sctp/`args[0]` ([`super::procfile`]) for sctpd's sockets, in the
    /// kernel's format (no socket named).
    pub const PROC: u32 = 11;
    /// Before a peel-off: sctpd stops writing records for the program on this socket, so
    /// that the shim can take back what is queued ([`REQUEUE`]) and sctpd can move the
    /// peeled-off association's records to its new socket, as Linux moves them.
    pub const HOLD: u32 = 12;
    /// Records taken back from the socket's pair (each: u32 length, then the record), in order.
    pub const REQUEUE: u32 = 13;
    /// A signal interrupted the caller waiting for request args\[0\] of this channel (a send
    /// waiting for room, a connect for its outcome): if it still waits, sctpd ends it with
    /// EINTR (the message is not sent; the association being set up stays). Not answered.
    pub const CANCEL: u32 = 14;
    /// The socket's pending error (SO_ERROR), taken: the reply's `ret`, 0 when none (read
    /// already by SO_ERROR or a send). The shim asks when it meets a [`super::rkind::ERROR`]
    /// record: Linux reports a pending error once, by whichever call comes first.
    pub const TAKE_ERROR: u32 = 15;
}

/// The SCTP options that decide what comes with a received message (SCTP_EVENTS and
/// SCTP_EVENT for data_io, SCTP_RECVRCVINFO, SCTP_RECVNXTINFO): Linux applies them at the
/// receive, so before setting one the shim takes the queued records back (as for a peel-off)
/// and sctpd queues them again with the option's new value.
pub const RESTAMP_OPTS: [i32; 4] = [
    linux::SCTP_EVENTS,
    linux::SCTP_EVENT,
    linux::SCTP_RECVRCVINFO,
    linux::SCTP_RECVNXTINFO,
];

/// [`op::PROC`]'s files.
pub mod procfile {
    /// /proc/net/sctp/assocs.
    pub const ASSOCS: i64 = 0;
    /// /proc/net/sctp/eps.
    pub const EPS: i64 = 1;
}

/// [`op::INFO`]'s bits.
pub mod info {
    /// One-to-one (SOCK_STREAM, accepted or peeled off).
    pub const ONE_TO_ONE: i64 = 1;
    /// listen() was called.
    pub const LISTENING: i64 = 2;
    /// A one-to-one socket's association is up.
    pub const CONNECTED: i64 = 4;
    /// Peeled off a one-to-many socket.
    pub const PEELED: i64 = 8;
    /// The association of this one-to-one socket is gone, with no end of file to read
    /// ([`super::rkind::GONE`]).
    pub const GONE: i64 = 16;
}

/// [`Request::flags`] bits.
pub mod qflags {
    /// The caller's socket is blocking (no O_NONBLOCK): the call may wait.
    pub const BLOCKING: u32 = 1;
}

/// A control request, sent on a channel, followed by `in_len` bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// Nonzero: the reply carries the same number.
    pub seq: u32,
    /// One of [`op`].
    pub op: u32,
    /// [`qflags`] bits.
    pub flags: u32,
    /// The operation's integer arguments.
    pub args: [i64; 4],
    /// Bytes that follow the header.
    pub in_len: u32,
    /// The most bytes the caller takes back.
    pub out_max: u32,
}

const REQ_MAGIC: u32 = 0x5154_4353; // "SCTQ"
/// Encoded size of a [`Request`] header.
pub const REQUEST_LEN: usize = 56;

impl Request {
    /// The header's bytes.
    pub fn encode(&self) -> [u8; REQUEST_LEN] {
        let mut b = [0u8; REQUEST_LEN];
        wr_u32(&mut b, 0, REQ_MAGIC);
        wr_u32(&mut b, 4, self.seq);
        wr_u32(&mut b, 8, self.op);
        wr_u32(&mut b, 12, self.flags);
        for (i, a) in self.args.iter().enumerate() {
            wr_i64(&mut b, 16 + 8 * i, *a);
        }
        wr_u32(&mut b, 48, self.in_len);
        wr_u32(&mut b, 52, self.out_max);
        b
    }

    /// The header at the start of `b`, if it is one.
    pub fn decode(b: &[u8]) -> Option<Request> {
        if b.len() < REQUEST_LEN || rd_u32(b, 0) != REQ_MAGIC {
            return None;
        }
        Some(Request {
            seq: rd_u32(b, 4),
            op: rd_u32(b, 8),
            flags: rd_u32(b, 12),
            args: [rd_i64(b, 16), rd_i64(b, 24), rd_i64(b, 32), rd_i64(b, 40)],
            in_len: rd_u32(b, 48),
            out_max: rd_u32(b, 52),
        })
    }
}

/// A reply, sent on a channel, followed by `out_len` bytes (and maybe one descriptor).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// The request's `seq` (0: the greeting of a new channel).
    pub seq: u32,
    /// The result: >= 0 the call's return value, < 0 a negated errno.
    pub ret: i64,
    /// A second result (getsockopt: the option length to report).
    pub aux: i64,
    /// Bytes that follow the header.
    pub out_len: u32,
    /// [`yflags`] bits.
    pub flags: u32,
}

/// [`Reply::flags`] bits.
pub mod yflags {
    /// sctpd stopped reading the socket's records until it can send again (or its connect
    /// ends): the shim writes a [`super::skind::FILLER`] record so that the program's end shows
    /// no POLLOUT until then.
    pub const FILLER: u32 = 1;
}

const REPLY_MAGIC: u32 = 0x5054_4353; // "SCTP"
/// Encoded size of a [`Reply`] header.
pub const REPLY_LEN: usize = 32;

impl Reply {
    /// The header's bytes.
    pub fn encode(&self) -> [u8; REPLY_LEN] {
        let mut b = [0u8; REPLY_LEN];
        wr_u32(&mut b, 0, REPLY_MAGIC);
        wr_u32(&mut b, 4, self.seq);
        wr_i64(&mut b, 8, self.ret);
        wr_i64(&mut b, 16, self.aux);
        wr_u32(&mut b, 24, self.out_len);
        wr_u32(&mut b, 28, self.flags);
        b
    }

    /// The header at the start of `b`, if it is one.
    pub fn decode(b: &[u8]) -> Option<Reply> {
        if b.len() < REPLY_LEN || rd_u32(b, 0) != REPLY_MAGIC {
            return None;
        }
        Some(Reply {
            seq: rd_u32(b, 4),
            ret: rd_i64(b, 8),
            aux: rd_i64(b, 16),
            out_len: rd_u32(b, 24),
            flags: rd_u32(b, 28),
        })
    }
}

/// [`SendHdr::kind`] values.
pub mod skind {
    /// A message to send: `namelen` bytes of destination, `controllen` bytes of Linux cmsgs
    /// (the caller's, as given to sendmsg), then the payload.
    pub const SEND: u8 = 1;
    /// Bytes that only fill the pair's buffer: sctpd reads a filler only once the socket can
    /// send again, so the program's end stays unwritable (poll: no POLLOUT) until then.
    pub const FILLER: u8 = 2;
}

/// [`SendHdr::flags`] bits.
pub mod sflags {
    /// The caller's socket is blocking: sctpd keeps the message until the stack takes it (or
    /// SO_SNDTIMEO passes) instead of answering EAGAIN.
    pub const BLOCKING: u8 = 1;
    /// More pieces of this message follow (a message larger than [`super::MAX_RECORD_PAYLOAD`]).
    pub const MORE: u8 = 2;
    /// The caller waited for room in the pair before this record went in: its send was
    /// blocked, as a Linux sender waiting for send buffer is (an abort then fails it with
    /// ESRCH, not EPIPE).
    pub const WAITED: u8 = 4;
}

/// The header of a record a program writes on its end of a socket pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendHdr {
    /// One of [`skind`].
    pub kind: u8,
    /// [`sflags`] bits.
    pub flags: u8,
    /// The channel to answer on (its id from the greeting).
    pub channel: u32,
    /// The reply's `seq`; 0 asks for no reply.
    pub seq: u32,
    /// The caller's send flags (MSG_*).
    pub msg_flags: u32,
    /// Bytes of destination address after the header.
    pub namelen: u32,
    /// Bytes of cmsgs after the address.
    pub controllen: u32,
}

const SEND_MAGIC: u32 = 0x5354_4353; // "SCTS"
/// Encoded size of a [`SendHdr`].
pub const SEND_HDR_LEN: usize = 32;

impl SendHdr {
    /// The header's bytes.
    pub fn encode(&self) -> [u8; SEND_HDR_LEN] {
        let mut b = [0u8; SEND_HDR_LEN];
        wr_u32(&mut b, 0, SEND_MAGIC);
        if let Some(x) = b.get_mut(4) {
            *x = self.kind;
        }
        if let Some(x) = b.get_mut(5) {
            *x = self.flags;
        }
        wr_u32(&mut b, 8, self.channel);
        wr_u32(&mut b, 12, self.seq);
        wr_u32(&mut b, 16, self.msg_flags);
        wr_u32(&mut b, 20, self.namelen);
        wr_u32(&mut b, 24, self.controllen);
        b
    }

    /// The header at the start of `b`, if it is one.
    pub fn decode(b: &[u8]) -> Option<SendHdr> {
        if b.len() < SEND_HDR_LEN || rd_u32(b, 0) != SEND_MAGIC {
            return None;
        }
        Some(SendHdr {
            kind: rd_u8(b, 4),
            flags: rd_u8(b, 5),
            channel: rd_u32(b, 8),
            seq: rd_u32(b, 12),
            msg_flags: rd_u32(b, 16),
            namelen: rd_u32(b, 20),
            controllen: rd_u32(b, 24),
        })
    }
}

/// [`RecvHdr::kind`] values.
pub mod rkind {
    /// A (piece of a) message: the payload follows.
    pub const DATA: u8 = 1;
    /// A notification in Linux's layout: the payload follows.
    pub const NOTIFICATION: u8 = 2;
    /// A pending error (`err`): the next receive fails with it (a one-to-one socket whose
    /// association was aborted: ECONNRESET, or whose connect failed), unless SO_ERROR or a
    /// send took it first (the shim asks, [`super::op::TAKE_ERROR`]).
    pub const ERROR: u8 = 3;
    /// A new connection on a one-to-one listening socket: its descriptor rides along
    /// (SCM_RIGHTS), `name` is the peer's address.
    pub const NEWCONN: u8 = 4;
    /// The association of a one-to-one socket is gone without a SHUTDOWN from its peer (an
    /// abort, or a shutdown this end began; on a peeled-off socket, whatever the end): Linux
    /// sets no end of file then. The record wakes a receive waiting for one; it fails with
    /// ENOTCONN (blocking) or EAGAIN (non-blocking), as Linux's does on a socket with no
    /// association left, and so do later receives (a blocking one asks sctpd, [`super::info::GONE`],
    /// before it waits).
    pub const GONE: u8 = 5;
}

/// [`RecvHdr::flags`] bits.
pub mod rflags {
    /// The last piece of a message (MSG_EOR).
    pub const EOR: u8 = 1;
    /// The socket wants SCTP_SNDRCV with each message (SCTP_EVENTS data_io).
    pub const DATA_IO: u8 = 2;
    /// The socket wants SCTP_RCVINFO (SCTP_RECVRCVINFO).
    pub const RCVINFO: u8 = 4;
    /// The socket wants SCTP_NXTINFO (SCTP_RECVNXTINFO).
    pub const NXTINFO: u8 = 8;
}

/// The header of a record sctpd writes on its end of a socket pair; `payload_len` bytes follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecvHdr {
    /// One of [`rkind`].
    pub kind: u8,
    /// [`rflags`] bits.
    pub flags: u8,
    /// Bytes of `name` in use (0: none).
    pub namelen: u16,
    /// [`rkind::ERROR`]: the errno.
    pub err: i32,
    /// Bytes of payload after the header.
    pub payload_len: u32,
    /// The message's whole length, when known (for SCTP_NXTINFO's nxt_length).
    pub msg_len: u32,
    /// The sender's address (struct sockaddr_in or sockaddr_in6).
    pub name: [u8; 28],
    /// The message's struct sctp_rcvinfo, in Linux's layout.
    pub rcvinfo: [u8; 28],
}

const RECV_MAGIC: u32 = 0x5254_4353; // "SCTR"
/// Encoded size of a [`RecvHdr`].
pub const RECV_HDR_LEN: usize = 80;

impl RecvHdr {
    /// The header's bytes.
    pub fn encode(&self) -> [u8; RECV_HDR_LEN] {
        let mut b = [0u8; RECV_HDR_LEN];
        wr_u32(&mut b, 0, RECV_MAGIC);
        if let Some(x) = b.get_mut(4) {
            *x = self.kind;
        }
        if let Some(x) = b.get_mut(5) {
            *x = self.flags;
        }
        wr_u16(&mut b, 6, self.namelen);
        wr_i32(&mut b, 8, self.err);
        wr_u32(&mut b, 12, self.payload_len);
        wr_u64(&mut b, 16, u64::from(self.msg_len));
        if let Some(d) = b.get_mut(24..52) {
            d.copy_from_slice(&self.name);
        }
        if let Some(d) = b.get_mut(52..80) {
            d.copy_from_slice(&self.rcvinfo);
        }
        b
    }

    /// The header at the start of `b`, if it is one.
    pub fn decode(b: &[u8]) -> Option<RecvHdr> {
        if b.len() < RECV_HDR_LEN || rd_u32(b, 0) != RECV_MAGIC {
            return None;
        }
        let mut h = RecvHdr {
            kind: rd_u8(b, 4),
            flags: rd_u8(b, 5),
            namelen: rd_u16(b, 6),
            err: rd_i32(b, 8),
            payload_len: rd_u32(b, 12),
            msg_len: u32::try_from(rd_u64(b, 16)).unwrap_or(u32::MAX),
            ..RecvHdr::default()
        };
        h.name.copy_from_slice(b.get(24..52)?);
        h.rcvinfo.copy_from_slice(b.get(52..80)?);
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip() {
        let q = Request {
            seq: 7,
            op: op::GETSOCKOPT,
            flags: 1,
            args: [132, 14, -1, 5],
            in_len: 9,
            out_max: 176,
        };
        assert_eq!(Request::decode(&q.encode()), Some(q));
        let r = Reply {
            seq: 7,
            ret: -22,
            aux: 176,
            out_len: 3,
            flags: yflags::FILLER,
        };
        assert_eq!(Reply::decode(&r.encode()), Some(r));
        let s = SendHdr {
            kind: skind::SEND,
            flags: sflags::BLOCKING,
            channel: 3,
            seq: 9,
            msg_flags: 0x4000,
            namelen: 16,
            controllen: 48,
        };
        assert_eq!(SendHdr::decode(&s.encode()), Some(s));
        let mut h = RecvHdr {
            kind: rkind::DATA,
            flags: rflags::EOR,
            namelen: 16,
            err: 0,
            payload_len: 5,
            msg_len: 5,
            ..RecvHdr::default()
        };
        h.name[0] = 2;
        h.rcvinfo[27] = 9;
        assert_eq!(RecvHdr::decode(&h.encode()), Some(h));
        // A header of the wrong kind is not taken for another.
        assert_eq!(Reply::decode(&q.encode()), None);
        assert_eq!(RecvHdr::decode(&s.encode()), None);
        assert_eq!(Request::decode(&[0u8; 10]), None);
    }

    #[test]
    fn names() {
        assert_eq!(control_name(None), b"sctp_rs.sctpd");
        assert_eq!(control_name(Some(b"t1")), b"t1");
        assert_eq!(control_name(Some(b"")), b"sctp_rs.sctpd");
        assert_eq!(control_name(Some(b"a\0b")), b"sctp_rs.sctpd");
        assert_eq!(pair_prefix(b"t1"), b"t1/");
    }
}
