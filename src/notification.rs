//! SCTP notifications (RFC 6458 section 6.1) parsed from the bytes a receive delivered with
//! `MSG_NOTIFICATION`, in Linux's layouts and type numbers (`<linux/sctp.h>`).
//!
//! [`parse`] never panics and never reads past the bytes it is given: a notification shorter
//! than its type's fixed part, or whose `length` field claims more bytes than arrived (a receive
//! buffer too small, `MSG_EOR` missing), is an [`Error`]; a type this module does not know is
//! [`Notification::Unknown`] with its bytes. Variable parts (the ABORT chunk of a lost
//! association, an error cause, an undelivered message, a stream list) are borrowed from the
//! input, never copied.
//!
//! ```
//! use sctp_rs::notification::{self, AssocChangeState, Notification};
//!
//! // SCTP_ASSOC_CHANGE, COMM_UP on association 7 with 10 streams each way.
//! let mut n = vec![0u8; 20];
//! n[0..2].copy_from_slice(&0x8001u16.to_ne_bytes());
//! n[4..8].copy_from_slice(&20u32.to_ne_bytes());
//! n[12..14].copy_from_slice(&10u16.to_ne_bytes());
//! n[14..16].copy_from_slice(&10u16.to_ne_bytes());
//! n[16..20].copy_from_slice(&7i32.to_ne_bytes());
//! match notification::parse(&n) {
//!     Ok(Notification::AssocChange(c)) => {
//!         assert_eq!(c.state, AssocChangeState::CommUp);
//!         assert_eq!((c.assoc_id, c.outbound_streams, c.inbound_streams), (7, 10, 10));
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// The association id type of the kernel (`sctp_assoc_t`).
pub type AssocId = i32;

/// Notification type numbers (`enum sctp_sn_type`).
pub mod kind {
    /// `SCTP_ASSOC_CHANGE`: an association came up, restarted, ended or could not be set up.
    pub const ASSOC_CHANGE: u16 = 0x8001;
    /// `SCTP_PEER_ADDR_CHANGE`: an address of the peer changed state.
    pub const PEER_ADDR_CHANGE: u16 = 0x8002;
    /// `SCTP_SEND_FAILED`: a message was not delivered (with a `sctp_sndrcvinfo`).
    pub const SEND_FAILED: u16 = 0x8003;
    /// `SCTP_REMOTE_ERROR`: the peer sent an ERROR chunk.
    pub const REMOTE_ERROR: u16 = 0x8004;
    /// `SCTP_SHUTDOWN_EVENT`: the peer sent SHUTDOWN; no more data can be sent.
    pub const SHUTDOWN_EVENT: u16 = 0x8005;
    /// `SCTP_PARTIAL_DELIVERY_EVENT`: a message being delivered in parts was aborted.
    pub const PARTIAL_DELIVERY_EVENT: u16 = 0x8006;
    /// `SCTP_ADAPTATION_INDICATION`: the peer sent an Adaptation Layer Indication (RFC 5061).
    pub const ADAPTATION_INDICATION: u16 = 0x8007;
    /// `SCTP_AUTHENTICATION_EVENT` (alias `SCTP_AUTHENTICATION_INDICATION`): an SCTP-AUTH
    /// key event (RFC 4895).
    pub const AUTHENTICATION_EVENT: u16 = 0x8008;
    /// `SCTP_SENDER_DRY_EVENT`: no user data is left to send or retransmit.
    pub const SENDER_DRY_EVENT: u16 = 0x8009;
    /// `SCTP_STREAM_RESET_EVENT`: streams were reset, or a reset failed (RFC 6525).
    pub const STREAM_RESET_EVENT: u16 = 0x800a;
    /// `SCTP_ASSOC_RESET_EVENT`: the association's TSNs were reset, or a reset failed (RFC 6525).
    pub const ASSOC_RESET_EVENT: u16 = 0x800b;
    /// `SCTP_STREAM_CHANGE_EVENT`: streams were added, or adding them failed (RFC 6525).
    pub const STREAM_CHANGE_EVENT: u16 = 0x800c;
    /// `SCTP_SEND_FAILED_EVENT`: a message was not delivered (with a `sctp_sndinfo`, RFC 6458).
    pub const SEND_FAILED_EVENT: u16 = 0x800d;
}

/// Why a notification could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// Fewer than the 8 bytes of the common header (type, flags, length).
    NoHeader {
        /// The bytes received.
        got: usize,
    },
    /// The `length` field claims more bytes than were received: the receive buffer was too
    /// small, or this is the first part of a notification delivered in pieces.
    Truncated {
        /// The notification type (`sn_type`).
        kind: u16,
        /// The length the notification claims (`sn_length`), in bytes.
        length: usize,
        /// The bytes received.
        got: usize,
    },
    /// The notification is shorter than the fixed part of its type.
    TooShort {
        /// The notification type (`sn_type`).
        kind: u16,
        /// The notification's length (`sn_length`), in bytes.
        length: usize,
        /// The fixed size of its type's struct, in bytes.
        need: usize,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Error::NoHeader { got } => write!(f, "notification of {got} bytes has no header"),
            Error::Truncated { kind, length, got } => {
                write!(
                    f,
                    "notification {kind:#06x} of {length} bytes truncated to {got}"
                )
            }
            Error::TooShort { kind, length, need } => {
                write!(
                    f,
                    "notification {kind:#06x} of {length} bytes, its type needs {need}"
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// `sac_state` of an association change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssocChangeState {
    /// `SCTP_COMM_UP`: the association is up and can carry data.
    CommUp,
    /// `SCTP_COMM_LOST`: the association is gone, aborted by either side or failed (timeouts).
    CommLost,
    /// `SCTP_RESTART`: the peer restarted the association; its stream counts may have changed.
    Restart,
    /// `SCTP_SHUTDOWN_COMP`: a graceful shutdown completed; the association is gone.
    ShutdownComp,
    /// `SCTP_CANT_STR_ASSOC`: the association could not be set up (INIT timed out or aborted).
    CantStrAssoc,
    /// A `sac_state` value this crate does not know.
    Other(u16),
}

impl From<u16> for AssocChangeState {
    fn from(v: u16) -> Self {
        match v {
            0 => Self::CommUp,
            1 => Self::CommLost,
            2 => Self::Restart,
            3 => Self::ShutdownComp,
            4 => Self::CantStrAssoc,
            v => Self::Other(v),
        }
    }
}

/// `spc_state` of a peer address change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerAddrState {
    /// `SCTP_ADDR_AVAILABLE`: the address is reachable (again) and can carry data.
    Available,
    /// `SCTP_ADDR_UNREACHABLE`: the address failed (its path retransmission limit was reached).
    Unreachable,
    /// `SCTP_ADDR_REMOVED`: the address was removed from the association (ASCONF, RFC 5061).
    Removed,
    /// `SCTP_ADDR_ADDED`: the address was added to the association (ASCONF, RFC 5061).
    Added,
    /// `SCTP_ADDR_MADE_PRIM`: the address is now the association's primary path.
    MadePrimary,
    /// `SCTP_ADDR_CONFIRMED`: the address was confirmed by a heartbeat (RFC 4960 section 5.4).
    Confirmed,
    /// `SCTP_ADDR_POTENTIALLY_FAILED` (`SCTP_ADDR_PF`): the path entered the potentially
    /// failed state (RFC 7829) and is avoided for data.
    PotentiallyFailed,
    /// A `spc_state` value this crate does not know.
    Other(i32),
}

impl From<i32> for PeerAddrState {
    fn from(v: i32) -> Self {
        match v {
            0 => Self::Available,
            1 => Self::Unreachable,
            2 => Self::Removed,
            3 => Self::Added,
            4 => Self::MadePrimary,
            5 => Self::Confirmed,
            6 => Self::PotentiallyFailed,
            v => Self::Other(v),
        }
    }
}

/// `SCTP_ASSOC_CHANGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssocChange<'a> {
    /// `sac_flags`: unused, 0 on Linux.
    pub flags: u16,
    /// What happened to the association (`sac_state`).
    pub state: AssocChangeState,
    /// `sac_error`: the error cause code for a lost association or a failed setup, 0 otherwise;
    /// after a peer's ABORT Linux copies it from the chunk as is (network byte order).
    pub error: u16,
    /// Outbound streams of the association (`sac_outbound_streams`); 0 unless COMM_UP or RESTART.
    pub outbound_streams: u16,
    /// Inbound streams of the association (`sac_inbound_streams`); 0 unless COMM_UP or RESTART.
    pub inbound_streams: u16,
    /// The association (`sac_assoc_id`); with COMM_UP, the id of a new association.
    pub assoc_id: AssocId,
    /// For COMM_UP and RESTART the features the peer supports (SCTP_ASSOC_SUPPORTS_* bytes);
    /// for COMM_LOST and CANT_STR_ASSOC the ABORT chunk, when the peer sent one.
    pub info: &'a [u8],
}

/// `SCTP_PEER_ADDR_CHANGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddrChange {
    /// `spc_flags`: unused, 0 on Linux.
    pub flags: u16,
    /// The address, when it is AF_INET or AF_INET6.
    pub addr: Option<SocketAddr>,
    /// What happened to the address (`spc_state`).
    pub state: PeerAddrState,
    /// Why (`spc_error`): a Linux `sctp_sn_error_t` such as `SCTP_FAILED_THRESHOLD` (0) or
    /// `SCTP_HEARTBEAT_SUCCESS` (2).
    pub error: i32,
    /// The association (`spc_assoc_id`).
    pub assoc_id: AssocId,
}

/// `SCTP_REMOTE_ERROR`: an ERROR chunk from the peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteError<'a> {
    /// `sre_flags`: unused, 0 on Linux.
    pub flags: u16,
    /// The first error cause code, converted from network order.
    pub error: u16,
    /// The association (`sre_assoc_id`).
    pub assoc_id: AssocId,
    /// The error causes as the peer sent them.
    pub data: &'a [u8],
}

/// The send information of a failed message: `sctp_sndrcvinfo` for [`Notification::SendFailed`],
/// `sctp_sndinfo` for [`Notification::SendFailedEvent`] (which has no ssn, ttl, tsn or cumtsn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailedInfo {
    /// The stream the message was sent on (`sinfo_stream` / `snd_sid`).
    pub stream: u16,
    /// `sinfo_flags` / `snd_flags`: Linux puts the failed DATA chunk's flags here (its
    /// fragment bits and `SCTP_DATA_UNORDERED`), not the flags of the send.
    pub flags: u16,
    /// The payload protocol identifier given to the send (`sinfo_ppid` / `snd_ppid`), as is.
    pub ppid: u32,
    /// The context given to the send (`sinfo_context` / `snd_context`), to tell which
    /// message failed.
    pub context: u32,
    /// The association id the send gave (`sinfo_assoc_id` / `snd_assoc_id`); may be 0,
    /// [`SendFailed::assoc_id`] always names the association.
    pub assoc_id: AssocId,
}

/// `SCTP_SEND_FAILED` (with `sctp_sndrcvinfo`) or `SCTP_SEND_FAILED_EVENT` (with `sctp_sndinfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendFailed<'a> {
    /// SCTP_DATA_UNSENT or SCTP_DATA_SENT.
    pub flags: u16,
    /// Why the send failed (`ssf_error`): 0, or an SCTP error cause code, which Linux leaves
    /// in network byte order (`u16::from_be(error as u16)` gives the code).
    pub error: u32,
    /// The send information of the message (`ssf_info` / `ssfe_info`).
    pub info: FailedInfo,
    /// The association (`ssf_assoc_id`).
    pub assoc_id: AssocId,
    /// The message (or what is left of it) that could not be delivered.
    pub data: &'a [u8],
}

/// A parsed notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notification<'a> {
    /// `SCTP_ASSOC_CHANGE` (`struct sctp_assoc_change`).
    AssocChange(AssocChange<'a>),
    /// `SCTP_PEER_ADDR_CHANGE` (`struct sctp_paddr_change`).
    PeerAddrChange(PeerAddrChange),
    /// `SCTP_REMOTE_ERROR` (`struct sctp_remote_error`).
    RemoteError(RemoteError<'a>),
    /// `SCTP_SEND_FAILED`, subscribed with SCTP_EVENTS' send_failure or SCTP_EVENT.
    SendFailed(SendFailed<'a>),
    /// `SCTP_SEND_FAILED_EVENT` (RFC 6458), subscribed with SCTP_EVENT.
    SendFailedEvent(SendFailed<'a>),
    /// `SCTP_SHUTDOWN_EVENT` (`struct sctp_shutdown_event`): the peer began a graceful
    /// shutdown; no more data can be sent on the association.
    Shutdown {
        /// `sse_flags`: unused, 0 on Linux.
        flags: u16,
        /// The association (`sse_assoc_id`).
        assoc_id: AssocId,
    },
    /// `SCTP_ADAPTATION_INDICATION` (`struct sctp_adaptation_event`): the peer's Adaptation
    /// Layer Indication parameter (RFC 5061), from its INIT or INIT ACK.
    AdaptationIndication {
        /// `sai_flags`: unused, 0 on Linux.
        flags: u16,
        /// The peer's adaptation code point (`sai_adaptation_ind`), converted to host order.
        adaptation_ind: u32,
        /// The association (`sai_assoc_id`).
        assoc_id: AssocId,
    },
    /// `SCTP_PARTIAL_DELIVERY_EVENT` (`struct sctp_pdapi_event`): a message being delivered
    /// in parts will not be completed.
    PartialDelivery {
        /// `pdapi_flags`: with I-DATA interleaving, `SCTP_UNORDERED` for an unordered
        /// message; otherwise 0.
        flags: u16,
        /// SCTP_PARTIAL_DELIVERY_ABORTED (0).
        indication: u32,
        /// The association (`pdapi_assoc_id`).
        assoc_id: AssocId,
        /// The stream of the aborted message (`pdapi_stream`); Linux sets it only with I-DATA
        /// interleaving (RFC 8260), else 0.
        stream: u32,
        /// The aborted message's sequence number, its MID with I-DATA (`pdapi_seq`); Linux
        /// sets it only with I-DATA interleaving, else 0.
        seq: u32,
    },
    /// `SCTP_AUTHENTICATION_EVENT` (`struct sctp_authkey_event`): an SCTP-AUTH (RFC 4895)
    /// key became active or unused, or the peer does not support AUTH.
    Authentication {
        /// `auth_flags`: unused, 0 on Linux.
        flags: u16,
        /// The shared key identifier the event is about (`auth_keynumber`); 0 for NO_AUTH.
        keynumber: u16,
        /// `auth_altkeynumber`: always 0 on Linux.
        altkeynumber: u16,
        /// SCTP_AUTH_NEW_KEY, SCTP_AUTH_FREE_KEY, SCTP_AUTH_NO_AUTH.
        indication: u32,
        /// The association (`auth_assoc_id`).
        assoc_id: AssocId,
    },
    /// `SCTP_SENDER_DRY_EVENT` (`struct sctp_sender_dry_event`): no user data is left to
    /// send or retransmit on the association.
    SenderDry {
        /// `sender_dry_flags`: unused, 0 on Linux.
        flags: u16,
        /// The association (`sender_dry_assoc_id`).
        assoc_id: AssocId,
    },
    /// `SCTP_STREAM_RESET_EVENT` (`struct sctp_stream_reset_event`): streams were reset, or
    /// a reset request was denied or failed (RFC 6525).
    StreamReset {
        /// SCTP_STREAM_RESET_INCOMING_SSN, _OUTGOING_SSN, _DENIED, _FAILED.
        flags: u16,
        /// The association (`strreset_assoc_id`).
        assoc_id: AssocId,
        /// The stream numbers (host order u16s); empty: all streams.
        streams: Streams<'a>,
    },
    /// `SCTP_ASSOC_RESET_EVENT` (`struct sctp_assoc_reset_event`): the association's TSNs
    /// and stream sequence numbers were reset, or the request was denied or failed (RFC 6525).
    AssocReset {
        /// `assocreset_flags`: 0, `SCTP_ASSOC_RESET_DENIED` (4) or `SCTP_ASSOC_RESET_FAILED` (8).
        flags: u16,
        /// The association (`assocreset_assoc_id`).
        assoc_id: AssocId,
        /// `assocreset_local_tsn`: Linux puts here the first TSN expected from the peer
        /// after the reset.
        local_tsn: u32,
        /// `assocreset_remote_tsn`: Linux puts here the first TSN this end sends after the
        /// reset.
        remote_tsn: u32,
    },
    /// `SCTP_STREAM_CHANGE_EVENT` (`struct sctp_stream_change_event`): streams were added,
    /// or adding them was denied or failed (RFC 6525).
    StreamChange {
        /// `strchange_flags`: 0, `SCTP_STREAM_CHANGE_DENIED` (4) or `_FAILED` (8).
        flags: u16,
        /// The association (`strchange_assoc_id`).
        assoc_id: AssocId,
        /// `strchange_instrms`: Linux gives the number of inbound streams added (or asked
        /// for), not the new total.
        instrms: u16,
        /// `strchange_outstrms`: Linux gives the number of outbound streams added (or asked
        /// for), not the new total.
        outstrms: u16,
    },
    /// A type this module does not know: its number, flags and every byte.
    Unknown {
        /// The notification type (`sn_type`).
        kind: u16,
        /// The header's flags (`sn_flags`).
        flags: u16,
        /// The whole notification, header included (`sn_length` bytes).
        bytes: &'a [u8],
    },
}

/// The stream list of a stream reset event, borrowed from the notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streams<'a>(&'a [u8]);

impl<'a> Streams<'a> {
    /// The number of stream numbers in the list.
    pub fn len(&self) -> usize {
        self.0.len() / 2
    }

    /// Whether the list is empty, which means the event is about every stream.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stream numbers (host order), in the order the kernel listed them.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        self.0.chunks_exact(2).map(|c| {
            u16::from_ne_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
    }
}

impl Notification<'_> {
    /// The notification's type number.
    pub fn kind(&self) -> u16 {
        match self {
            Notification::AssocChange(_) => kind::ASSOC_CHANGE,
            Notification::PeerAddrChange(_) => kind::PEER_ADDR_CHANGE,
            Notification::RemoteError(_) => kind::REMOTE_ERROR,
            Notification::SendFailed(_) => kind::SEND_FAILED,
            Notification::SendFailedEvent(_) => kind::SEND_FAILED_EVENT,
            Notification::Shutdown { .. } => kind::SHUTDOWN_EVENT,
            Notification::AdaptationIndication { .. } => kind::ADAPTATION_INDICATION,
            Notification::PartialDelivery { .. } => kind::PARTIAL_DELIVERY_EVENT,
            Notification::Authentication { .. } => kind::AUTHENTICATION_EVENT,
            Notification::SenderDry { .. } => kind::SENDER_DRY_EVENT,
            Notification::StreamReset { .. } => kind::STREAM_RESET_EVENT,
            Notification::AssocReset { .. } => kind::ASSOC_RESET_EVENT,
            Notification::StreamChange { .. } => kind::STREAM_CHANGE_EVENT,
            Notification::Unknown { kind, .. } => *kind,
        }
    }

    /// The association the notification is about (None for an unknown type).
    pub fn assoc_id(&self) -> Option<AssocId> {
        Some(match self {
            Notification::AssocChange(c) => c.assoc_id,
            Notification::PeerAddrChange(c) => c.assoc_id,
            Notification::RemoteError(e) => e.assoc_id,
            Notification::SendFailed(f) | Notification::SendFailedEvent(f) => f.assoc_id,
            Notification::Shutdown { assoc_id, .. }
            | Notification::AdaptationIndication { assoc_id, .. }
            | Notification::PartialDelivery { assoc_id, .. }
            | Notification::Authentication { assoc_id, .. }
            | Notification::SenderDry { assoc_id, .. }
            | Notification::StreamReset { assoc_id, .. }
            | Notification::AssocReset { assoc_id, .. }
            | Notification::StreamChange { assoc_id, .. } => *assoc_id,
            Notification::Unknown { .. } => return None,
        })
    }
}

/// Fixed-offset reads from a notification whose length was checked against the type's fixed
/// part; a read past the end (impossible after that check) gives zeros, never a panic.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn array<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(src) = at.checked_add(N).and_then(|end| self.0.get(at..end)) {
            out.copy_from_slice(src);
        }
        out
    }
    fn u16(&self, at: usize) -> u16 {
        u16::from_ne_bytes(self.array(at))
    }
    fn u32(&self, at: usize) -> u32 {
        u32::from_ne_bytes(self.array(at))
    }
    fn i32(&self, at: usize) -> i32 {
        i32::from_ne_bytes(self.array(at))
    }
    fn rest(&self, from: usize) -> &'a [u8] {
        self.0.get(from..).unwrap_or(&[])
    }
}

/// The fixed size of each known type (offsets from `<linux/sctp.h>`, checked in the tests).
fn fixed_len(kind: u16) -> Option<usize> {
    Some(match kind {
        kind::ASSOC_CHANGE => 20,
        kind::PEER_ADDR_CHANGE => 148,
        kind::SEND_FAILED => 48,
        kind::REMOTE_ERROR => 16,
        kind::SHUTDOWN_EVENT => 12,
        kind::PARTIAL_DELIVERY_EVENT => 24,
        kind::ADAPTATION_INDICATION => 16,
        kind::AUTHENTICATION_EVENT => 20,
        kind::SENDER_DRY_EVENT => 12,
        kind::STREAM_RESET_EVENT => 12,
        kind::ASSOC_RESET_EVENT => 20,
        kind::STREAM_CHANGE_EVENT => 16,
        kind::SEND_FAILED_EVENT => 32,
        _ => return None,
    })
}

/// A `sockaddr_storage` (128 bytes at `at`) as a socket address, if IPv4 or IPv6.
fn sockaddr(b: &Bytes<'_>, at: usize) -> Option<SocketAddr> {
    let family = i32::from(b.u16(at));
    let port = u16::from_be_bytes(b.array(at + 2));
    if family == libc::AF_INET {
        let ip = Ipv4Addr::from(b.array::<4>(at + 4));
        Some(SocketAddr::V4(SocketAddrV4::new(ip, port)))
    } else if family == libc::AF_INET6 {
        let flow = u32::from_be_bytes(b.array(at + 4));
        let ip = Ipv6Addr::from(b.array::<16>(at + 8));
        let scope = b.u32(at + 24);
        Some(SocketAddr::V6(SocketAddrV6::new(ip, port, flow, scope)))
    } else {
        None
    }
}

/// Parses one notification: `buf` is what a receive with `MSG_NOTIFICATION` in its flags put in
/// the buffer (its returned length, not the buffer's size).
pub fn parse(buf: &[u8]) -> Result<Notification<'_>, Error> {
    let head = Bytes(buf);
    if buf.len() < 8 {
        return Err(Error::NoHeader { got: buf.len() });
    }
    let kind = head.u16(0);
    let flags = head.u16(2);
    let length = head.u32(4) as usize;
    let Some(body) = buf.get(..length) else {
        return Err(Error::Truncated {
            kind,
            length,
            got: buf.len(),
        });
    };
    let need = fixed_len(kind).unwrap_or(8);
    if length < need {
        return Err(Error::TooShort { kind, length, need });
    }
    let b = Bytes(body);
    Ok(match kind {
        kind::ASSOC_CHANGE => Notification::AssocChange(AssocChange {
            flags,
            state: b.u16(8).into(),
            error: b.u16(10),
            outbound_streams: b.u16(12),
            inbound_streams: b.u16(14),
            assoc_id: b.i32(16),
            info: b.rest(20),
        }),
        kind::PEER_ADDR_CHANGE => Notification::PeerAddrChange(PeerAddrChange {
            flags,
            addr: sockaddr(&b, 8),
            state: b.i32(136).into(),
            error: b.i32(140),
            assoc_id: b.i32(144),
        }),
        kind::SEND_FAILED => Notification::SendFailed(SendFailed {
            flags,
            error: b.u32(8),
            // sctp_sndrcvinfo at 12: stream, ssn, flags, (pad), ppid, context, ttl, tsn,
            // cumtsn, assoc_id.
            info: FailedInfo {
                stream: b.u16(12),
                flags: b.u16(16),
                ppid: b.u32(20),
                context: b.u32(24),
                assoc_id: b.i32(40),
            },
            assoc_id: b.i32(44),
            data: b.rest(48),
        }),
        kind::SEND_FAILED_EVENT => Notification::SendFailedEvent(SendFailed {
            flags,
            error: b.u32(8),
            // sctp_sndinfo at 12: sid, flags, ppid, context, assoc_id.
            info: FailedInfo {
                stream: b.u16(12),
                flags: b.u16(14),
                ppid: b.u32(16),
                context: b.u32(20),
                assoc_id: b.i32(24),
            },
            assoc_id: b.i32(28),
            data: b.rest(32),
        }),
        kind::REMOTE_ERROR => Notification::RemoteError(RemoteError {
            flags,
            error: u16::from_be_bytes(b.array(8)),
            assoc_id: b.i32(12),
            data: b.rest(16),
        }),
        kind::SHUTDOWN_EVENT => Notification::Shutdown {
            flags,
            assoc_id: b.i32(8),
        },
        kind::ADAPTATION_INDICATION => Notification::AdaptationIndication {
            flags,
            adaptation_ind: b.u32(8),
            assoc_id: b.i32(12),
        },
        kind::PARTIAL_DELIVERY_EVENT => Notification::PartialDelivery {
            flags,
            indication: b.u32(8),
            assoc_id: b.i32(12),
            stream: b.u32(16),
            seq: b.u32(20),
        },
        kind::AUTHENTICATION_EVENT => Notification::Authentication {
            flags,
            keynumber: b.u16(8),
            altkeynumber: b.u16(10),
            indication: b.u32(12),
            assoc_id: b.i32(16),
        },
        kind::SENDER_DRY_EVENT => Notification::SenderDry {
            flags,
            assoc_id: b.i32(8),
        },
        kind::STREAM_RESET_EVENT => Notification::StreamReset {
            flags,
            assoc_id: b.i32(8),
            streams: Streams(b.rest(12)),
        },
        kind::ASSOC_RESET_EVENT => Notification::AssocReset {
            flags,
            assoc_id: b.i32(8),
            local_tsn: b.u32(12),
            remote_tsn: b.u32(16),
        },
        kind::STREAM_CHANGE_EVENT => Notification::StreamChange {
            flags,
            assoc_id: b.i32(8),
            instrms: b.u16(12),
            outstrms: b.u16(14),
        },
        _ => Notification::Unknown {
            kind,
            flags,
            bytes: body,
        },
    })
}

#[cfg(test)]
mod tests;
