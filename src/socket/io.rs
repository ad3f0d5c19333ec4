//! Typed send and receive for the socket types: [`SendInfo`] in (stream, ppid, flags, PR-SCTP,
//! association, context), [`Received`] out (length, [`RcvInfo`]/[`NxtInfo`] when subscribed,
//! the message flags, the sender). One `sendmsg`/`recvmsg` each, through the same core as
//! `sctp_sendv` and `sctp_recvv`.

use std::io::{self, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd};

use super::addr;
use crate::addrs::{PackedAddrs, SockAddr};
use crate::notification::AssocId;
use crate::recv::{KernelOut, RecvvControl};
use crate::sendv::{self, SendInfo as CoreInfo};
use crate::sys::{self, sctp_authinfo, sctp_prinfo, sctp_sendv_spa, sctp_sndinfo};

/// Send flags (`snd_flags` of `struct sctp_sndinfo`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendFlags(pub u16);

impl SendFlags {
    /// Delivered as soon as it arrives, outside the stream's order.
    pub const UNORDERED: SendFlags = SendFlags(libc::SCTP_UNORDERED as u16);
    /// Starts the graceful shutdown of the association (with an empty message).
    pub const EOF: SendFlags = SendFlags(libc::SCTP_EOF as u16);
    /// Aborts the association (the message, if any, is the abort reason; the send then
    /// reports 0 bytes).
    pub const ABORT: SendFlags = SendFlags(libc::SCTP_ABORT as u16);
    /// Sends on every association of a one-to-many socket.
    pub const SENDALL: SendFlags = SendFlags(libc::SCTP_SENDALL as u16);
    /// Asks the peer to acknowledge at once.
    pub const SACK_IMMEDIATELY: SendFlags = SendFlags(libc::SCTP_SACK_IMMEDIATELY as u16);

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: SendFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for SendFlags {
    type Output = SendFlags;
    fn bitor(self, o: SendFlags) -> SendFlags {
        SendFlags(self.0 | o.0)
    }
}

/// A PR-SCTP policy (RFC 3758, RFC 7496) for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrPolicy {
    /// Abandoned after this many milliseconds. (Linux 6.1 drops such a message when its own
    /// send sets the association up: set it up first.)
    Ttl(u32),
    /// Abandoned after this many retransmissions.
    Rtx(u32),
    /// Abandoned first when the send buffer is full, lower values before higher.
    Prio(u32),
}

/// How one message goes: the fields of `struct sctp_sndinfo`, and a PR-SCTP policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendInfo {
    /// The stream to send on (`snd_sid`), below the association's outbound stream count.
    pub stream: u16,
    /// The payload protocol identifier, passed to the peer as is (applications usually give it
    /// in network byte order: `u32::to_be`).
    pub ppid: u32,
    /// The send flags (`snd_flags`).
    pub flags: SendFlags,
    /// Returned in a send-failed notification for this message; never sent to the peer.
    pub context: u32,
    /// The association of a one-to-many socket (0 on a one-to-one socket, or with addresses).
    pub assoc_id: AssocId,
    /// The PR-SCTP policy (`struct sctp_prinfo`); `None`: fully reliable.
    pub pr: Option<PrPolicy>,
}

impl SendInfo {
    /// Stream `stream`, ppid `ppid`, everything else default.
    pub fn on_stream(stream: u16, ppid: u32) -> Self {
        SendInfo {
            stream,
            ppid,
            ..SendInfo::default()
        }
    }

    fn spa(&self) -> sctp_sendv_spa {
        let (policy, value) = match self.pr {
            None => (0, 0),
            Some(PrPolicy::Ttl(v)) => (libc::SCTP_PR_SCTP_TTL as u16, v),
            Some(PrPolicy::Rtx(v)) => (libc::SCTP_PR_SCTP_RTX as u16, v),
            Some(PrPolicy::Prio(v)) => (libc::SCTP_PR_SCTP_PRIO as u16, v),
        };
        sctp_sendv_spa {
            sendv_flags: sys::SCTP_SEND_SNDINFO_VALID
                | if self.pr.is_some() {
                    sys::SCTP_SEND_PRINFO_VALID
                } else {
                    0
                },
            sendv_sndinfo: sctp_sndinfo {
                snd_sid: self.stream,
                snd_flags: self.flags.0,
                snd_ppid: self.ppid,
                snd_context: self.context,
                snd_assoc_id: self.assoc_id,
            },
            sendv_prinfo: sctp_prinfo {
                pr_policy: policy,
                pr_value: value,
            },
            sendv_authinfo: sctp_authinfo { auth_keynumber: 0 },
        }
    }
}

/// `struct sctp_rcvinfo` of a received message (`SCTP_RECVRCVINFO` on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RcvInfo {
    /// The stream the message arrived on (`rcv_sid`).
    pub stream: u16,
    /// The stream sequence number (the same for every part of a message).
    pub ssn: u16,
    /// `SCTP_UNORDERED` for an unordered message.
    pub flags: u16,
    /// The payload protocol identifier (`rcv_ppid`), as the peer sent it (not byte-swapped).
    pub ppid: u32,
    /// The TSN of the message's (first) DATA chunk (`rcv_tsn`).
    pub tsn: u32,
    /// The cumulative TSN acknowledged when the message arrived (`rcv_cumtsn`); Linux sets
    /// it only for unordered messages, else 0.
    pub cumtsn: u32,
    /// The association's `SCTP_CONTEXT` value (`rcv_context`): set locally, never sent by
    /// the peer.
    pub context: u32,
    /// The association the message arrived on (`rcv_assoc_id`).
    pub assoc_id: AssocId,
}

/// `struct sctp_nxtinfo`: the message queued after this one (`SCTP_RECVNXTINFO` on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NxtInfo {
    /// The stream of the next message (`nxt_sid`).
    pub stream: u16,
    /// `nxt_flags`: `SCTP_UNORDERED`, `SCTP_NOTIFICATION` (Linux sets no other bit here).
    pub flags: u16,
    /// Its payload protocol identifier (`nxt_ppid`), as the peer sent it.
    pub ppid: u32,
    /// Its bytes now in the receive queue (`nxt_length`); may be only part of the message.
    pub length: u32,
    /// Its association (`nxt_assoc_id`).
    pub assoc_id: AssocId,
}

/// What one receive delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    /// The bytes written to the buffer.
    pub len: usize,
    /// The end of a message was reached (`MSG_EOR`); without it, more of the message follows
    /// (partial delivery, or a buffer smaller than the message).
    pub eor: bool,
    /// The bytes are a notification ([`crate::notification::parse`]), not data.
    pub notification: bool,
    /// `MSG_TRUNC`/`MSG_CTRUNC`: data or control information did not fit.
    pub truncated: bool,
    /// The `SCTP_RCVINFO` of a data message, when `SCTP_RECVRCVINFO` is on (none for a
    /// notification).
    pub rcvinfo: Option<RcvInfo>,
    /// The `SCTP_NXTINFO` of the message queued next, when `SCTP_RECVNXTINFO` is on and one
    /// is queued.
    pub nxtinfo: Option<NxtInfo>,
    /// The sender's address (the peer's primary, or the address the data came from).
    pub from: Option<SocketAddr>,
}

/// The native-endian u16 at `at` of a kernel struct's bytes (0 past the end: never a panic).
pub(super) fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u16::from_ne_bytes)
}

/// The native-endian u32 at `at` (0 past the end).
pub(super) fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}

impl RcvInfo {
    fn from_bytes(b: &[u8]) -> Self {
        RcvInfo {
            stream: u16_at(b, 0),
            ssn: u16_at(b, 2),
            flags: u16_at(b, 4),
            ppid: u32_at(b, 8),
            tsn: u32_at(b, 12),
            cumtsn: u32_at(b, 16),
            context: u32_at(b, 20),
            assoc_id: u32_at(b, 24) as AssocId,
        }
    }
}

impl NxtInfo {
    fn from_bytes(b: &[u8]) -> Self {
        NxtInfo {
            stream: u16_at(b, 0),
            flags: u16_at(b, 2),
            ppid: u32_at(b, 4),
            length: u32_at(b, 8),
            assoc_id: u32_at(b, 12) as AssocId,
        }
    }
}

fn cvt(r: crate::error::Result<crate::error::Sys>) -> io::Result<usize> {
    Ok(r?.check()?)
}

/// One sendmsg: `bufs`, to `to` (the first as destination, the others as extra addresses of
/// the peer; ignored when `info.assoc_id` names the association), with `info`.
pub(crate) fn send(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    to: &[SocketAddr],
    info: &SendInfo,
) -> io::Result<usize> {
    let spa = info.spa();
    let core_info = CoreInfo::spa(&spa);
    // IoSlice is guaranteed ABI-compatible with struct iovec.
    let iov = (bufs.as_ptr().cast::<libc::iovec>(), bufs.len());
    let flags = libc::MSG_NOSIGNAL;
    if to.is_empty() || info.assoc_id != 0 {
        return cvt(sendv::sendv(fd.as_raw_fd(), iov, None, core_info, flags));
    }
    let bytes = addr::pack(to);
    let packed = PackedAddrs::parse(&bytes, to.len())?;
    cvt(sendv::sendv(
        fd.as_raw_fd(),
        iov,
        Some(&packed),
        core_info,
        flags,
    ))
}

/// One recvmsg into `bufs`, with the infos the socket is subscribed to and the sender.
pub(crate) fn recv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> io::Result<Received> {
    let mut ctl = RecvvControl::new();
    let mut from = [0u8; 28];
    let k = KernelOut {
        from: from.as_mut_ptr().cast(),
        iov: (bufs.as_ptr().cast::<libc::iovec>(), bufs.len()),
    };
    let r = crate::recv::recvv(
        &mut ctl,
        fd.as_raw_fd(),
        k,
        from.len() as libc::socklen_t,
        0,
    );
    let len = r.ret.check()?;
    let info = r.info(usize::MAX);
    let family = i32::from(u16::from_ne_bytes([from[0], from[1]]));
    let from_len = crate::addrs::addr_len(family).unwrap_or(0);
    let from = if from_len > 0 && r.namelen as usize >= from_len {
        PackedAddrs::parse(&from, 1)
            .ok()
            .map(|p| p.first())
            .and_then(|a: SockAddr<'_>| addr::from_packed(a))
    } else {
        None
    };
    Ok(Received {
        len,
        eor: r.flags & libc::MSG_EOR != 0,
        notification: r.flags & libc::MSG_NOTIFICATION != 0,
        truncated: r.flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0,
        rcvinfo: info.rcv.map(|b| RcvInfo::from_bytes(b)),
        nxtinfo: info.nxt.map(|b| NxtInfo::from_bytes(b)),
        from,
    })
}
