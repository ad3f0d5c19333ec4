//! Typed socket options for every socket type ([`SctpOptions`]): reads go through the core of
//! `sctp_opt_info` (the association id written into the argument, one `getsockopt`), writes are
//! one `setsockopt` of a struct whose every byte is defined. An option the kernel lacks, or an
//! unknown association, is the kernel's `io::Error`, never a panic.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};

use super::addr;
use super::io::{SendInfo, u16_at as get_u16, u32_at as get_u32};
use crate::notification::AssocId;

/// `struct sctp_initmsg`: what new associations ask for (`SCTP_INITMSG`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InitMsg {
    /// Outbound streams to ask for (`sinit_num_ostreams`); 0 on set keeps the current value.
    pub num_ostreams: u16,
    /// The most inbound streams to accept (`sinit_max_instreams`); 0 on set keeps the
    /// current value.
    pub max_instreams: u16,
    /// INIT retransmissions before giving up.
    pub max_attempts: u16,
    /// The largest INIT retransmission timeout, in milliseconds.
    pub max_init_timeo: u16,
}

/// `struct sctp_rtoinfo` (milliseconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RtoInfo {
    /// The RTO used before any round-trip measurement (`srto_initial`), in milliseconds.
    pub initial: u32,
    /// The largest RTO (`srto_max`), in milliseconds.
    pub max: u32,
    /// The smallest RTO (`srto_min`), in milliseconds.
    pub min: u32,
}

/// `struct sctp_assocparams`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssocParams {
    /// Retransmissions before the association is declared lost.
    pub max_retrans: u16,
    /// The number of peer addresses (`sasoc_number_peer_destinations`); read only.
    pub peer_destinations: u16,
    /// The peer's receive window, in bytes (`sasoc_peer_rwnd`); read only.
    pub peer_rwnd: u32,
    /// The receive window this end advertises, in bytes (`sasoc_local_rwnd`); read only.
    pub local_rwnd: u32,
    /// Milliseconds.
    pub cookie_life: u32,
}

/// `sstat_state`: the association's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssocState {
    /// `SCTP_CLOSED`: no association.
    Closed,
    /// `SCTP_COOKIE_WAIT`: INIT sent, waiting for the INIT ACK.
    CookieWait,
    /// `SCTP_COOKIE_ECHOED`: COOKIE ECHO sent, waiting for the COOKIE ACK.
    CookieEchoed,
    /// `SCTP_ESTABLISHED`: up; data flows both ways.
    Established,
    /// `SCTP_SHUTDOWN_PENDING`: shutdown asked for here; outstanding data is still being sent.
    ShutdownPending,
    /// `SCTP_SHUTDOWN_SENT`: SHUTDOWN sent, waiting for the SHUTDOWN ACK.
    ShutdownSent,
    /// `SCTP_SHUTDOWN_RECEIVED`: the peer sent SHUTDOWN; outstanding data is still being sent.
    ShutdownReceived,
    /// `SCTP_SHUTDOWN_ACK_SENT`: SHUTDOWN ACK sent, waiting for the SHUTDOWN COMPLETE.
    ShutdownAckSent,
    /// Any other `sstat_state` value, such as `SCTP_EMPTY` (0).
    Other(i32),
}

impl From<i32> for AssocState {
    fn from(v: i32) -> Self {
        match v {
            1 => Self::Closed,
            2 => Self::CookieWait,
            3 => Self::CookieEchoed,
            4 => Self::Established,
            5 => Self::ShutdownPending,
            6 => Self::ShutdownSent,
            7 => Self::ShutdownReceived,
            8 => Self::ShutdownAckSent,
            v => Self::Other(v),
        }
    }
}

/// `spinfo_state`: a peer address's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathState {
    /// `SCTP_INACTIVE`: the path failed and carries no data.
    Inactive,
    /// `SCTP_PF` (`SCTP_POTENTIALLY_FAILED`): past the potentially failed threshold
    /// (RFC 7829); avoided for data while another path is active.
    PotentiallyFailed,
    /// `SCTP_ACTIVE`: confirmed and available for data.
    Active,
    /// `SCTP_UNCONFIRMED`: learned from INIT or INIT ACK, not yet confirmed by a heartbeat.
    Unconfirmed,
    /// Any other `spinfo_state` value, such as `SCTP_UNKNOWN` (0xffff).
    Other(i32),
}

impl From<i32> for PathState {
    fn from(v: i32) -> Self {
        match v {
            0 => Self::Inactive,
            1 => Self::PotentiallyFailed,
            2 => Self::Active,
            3 => Self::Unconfirmed,
            v => Self::Other(v),
        }
    }
}

/// `struct sctp_paddrinfo`: one peer address of an association.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerAddrInfo {
    /// The association (`spinfo_assoc_id`).
    pub assoc_id: AssocId,
    /// The peer address (`spinfo_address`), when it is AF_INET or AF_INET6.
    pub addr: Option<SocketAddr>,
    /// The path's state (`spinfo_state`).
    pub state: PathState,
    /// The path's congestion window, in bytes (`spinfo_cwnd`).
    pub cwnd: u32,
    /// Smoothed round-trip time, milliseconds.
    pub srtt: u32,
    /// Milliseconds.
    pub rto: u32,
    /// The path MTU, in bytes (`spinfo_mtu`).
    pub mtu: u32,
}

/// `struct sctp_status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// The association (`sstat_assoc_id`).
    pub assoc_id: AssocId,
    /// The association's state (`sstat_state`).
    pub state: AssocState,
    /// The peer's current receive window, in bytes (`sstat_rwnd`).
    pub rwnd: u32,
    /// DATA chunks sent and not yet acknowledged (`sstat_unackdata`).
    pub unacked: u16,
    /// `sstat_penddata`: Linux counts the TSNs missing between the cumulative TSN and the
    /// highest TSN received from the peer.
    pub pending: u16,
    /// Inbound streams of the association (`sstat_instrms`).
    pub instreams: u16,
    /// Outbound streams of the association (`sstat_outstrms`).
    pub outstreams: u16,
    /// The most user data one DATA chunk carries before a message is fragmented, in bytes
    /// (`sstat_fragmentation_point`).
    pub fragmentation_point: u32,
    /// The primary path (`sstat_primary`).
    pub primary: PeerAddrInfo,
}

fn get_i32(b: &[u8], at: usize) -> i32 {
    get_u32(b, at) as i32
}

/// A `sockaddr_storage` of 128 bytes at `at`, when AF_INET or AF_INET6.
fn sockaddr_at(b: &[u8], at: usize) -> Option<SocketAddr> {
    let rest = b.get(at..)?;
    let family = i32::from(get_u16(rest, 0));
    let len = crate::addrs::addr_len(family)?;
    let packed = crate::addrs::PackedAddrs::parse(rest.get(..len)?, 1).ok()?;
    addr::from_packed(packed.first())
}

fn peer_addr_info_at(b: &[u8], at: usize) -> PeerAddrInfo {
    let b = b.get(at..).unwrap_or(&[]);
    PeerAddrInfo {
        assoc_id: get_i32(b, 0),
        addr: sockaddr_at(b, 4),
        state: get_i32(b, 132).into(),
        cwnd: get_u32(b, 136),
        srtt: get_u32(b, 140),
        rto: get_u32(b, 144),
        mtu: get_u32(b, 148),
    }
}

fn cvt(r: libc::c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// One option read through the core of sctp_opt_info: the association id written at the start
/// of `arg` (prefilled by the caller where the option takes more in), one getsockopt.
fn opt_get<const N: usize>(
    fd: &impl AsFd,
    id: AssocId,
    opt: i32,
    mut arg: [u8; N],
) -> io::Result<[u8; N]> {
    let mut len = N as libc::socklen_t;
    // SAFETY: `arg` is writable for `len` bytes, `len` a valid socklen_t.
    unsafe {
        crate::opt_info::opt_info(
            fd.as_fd().as_raw_fd(),
            id,
            opt,
            arg.as_mut_ptr().cast(),
            &mut len,
        )
    }?;
    Ok(arg)
}

fn opt_set(fd: &impl AsFd, level: i32, opt: i32, val: &[u8]) -> io::Result<()> {
    // SAFETY: `val` is readable for its length, every byte defined.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_fd().as_raw_fd(),
            level,
            opt,
            val.as_ptr().cast(),
            val.len() as libc::socklen_t,
        )
    })
}

fn sol_get_int(fd: &impl AsFd, opt: i32) -> io::Result<i32> {
    let mut v: libc::c_int = 0;
    let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` is a writable int of `len` bytes.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_fd().as_raw_fd(),
            libc::SOL_SOCKET,
            opt,
            (&mut v as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok(v)
}

/// Typed SCTP and socket options, for [`super::SctpSocket`], [`super::SctpListener`] and
/// [`super::SctpStream`]. `id` 0 on a one-to-many socket means the socket's defaults (for
/// future associations); on a one-to-one socket the id is ignored.
pub trait SctpOptions: AsFd + Sized {
    /// `SCTP_INITMSG`.
    fn initmsg(&self) -> io::Result<InitMsg> {
        let b = opt_get(self, 0, libc::SCTP_INITMSG, [0u8; 8])?;
        Ok(InitMsg {
            num_ostreams: get_u16(&b, 0),
            max_instreams: get_u16(&b, 2),
            max_attempts: get_u16(&b, 4),
            max_init_timeo: get_u16(&b, 6),
        })
    }

    /// `SCTP_INITMSG`: for associations set up after this.
    fn set_initmsg(&self, m: &InitMsg) -> io::Result<()> {
        let mut b = [0u8; 8];
        b[0..2].copy_from_slice(&m.num_ostreams.to_ne_bytes());
        b[2..4].copy_from_slice(&m.max_instreams.to_ne_bytes());
        b[4..6].copy_from_slice(&m.max_attempts.to_ne_bytes());
        b[6..8].copy_from_slice(&m.max_init_timeo.to_ne_bytes());
        opt_set(self, crate::sys::SOL_SCTP, libc::SCTP_INITMSG, &b)
    }

    /// `SCTP_NODELAY`: whether Nagle-like bundling delays are off.
    fn nodelay(&self) -> io::Result<bool> {
        Ok(get_u32(&opt_get(self, 0, libc::SCTP_NODELAY, [0u8; 4])?, 0) != 0)
    }

    /// Sets `SCTP_NODELAY`: true sends small messages at once instead of waiting to bundle.
    fn set_nodelay(&self, on: bool) -> io::Result<()> {
        opt_set(
            self,
            crate::sys::SOL_SCTP,
            libc::SCTP_NODELAY,
            &u32::from(on).to_ne_bytes(),
        )
    }

    /// `SCTP_AUTOCLOSE` (one-to-many sockets): seconds of idleness before an association is
    /// shut down, 0 for never.
    fn autoclose(&self) -> io::Result<u32> {
        Ok(get_u32(
            &opt_get(self, 0, libc::SCTP_AUTOCLOSE, [0u8; 4])?,
            0,
        ))
    }

    /// Sets `SCTP_AUTOCLOSE`, in seconds (0: never), capped by `net.sctp.max_autoclose`;
    /// one-to-one sockets get `EOPNOTSUPP`.
    fn set_autoclose(&self, secs: u32) -> io::Result<()> {
        opt_set(
            self,
            crate::sys::SOL_SCTP,
            libc::SCTP_AUTOCLOSE,
            &secs.to_ne_bytes(),
        )
    }

    /// `SCTP_RTOINFO` of association `id`.
    fn rto_info(&self, id: AssocId) -> io::Result<RtoInfo> {
        let b = opt_get(self, id, libc::SCTP_RTOINFO, [0u8; 16])?;
        Ok(RtoInfo {
            initial: get_u32(&b, 4),
            max: get_u32(&b, 8),
            min: get_u32(&b, 12),
        })
    }

    /// `SCTP_RTOINFO`; a 0 field keeps its value.
    fn set_rto_info(&self, id: AssocId, r: &RtoInfo) -> io::Result<()> {
        let mut b = [0u8; 16];
        b[0..4].copy_from_slice(&id.to_ne_bytes());
        b[4..8].copy_from_slice(&r.initial.to_ne_bytes());
        b[8..12].copy_from_slice(&r.max.to_ne_bytes());
        b[12..16].copy_from_slice(&r.min.to_ne_bytes());
        opt_set(self, crate::sys::SOL_SCTP, libc::SCTP_RTOINFO, &b)
    }

    /// `SCTP_ASSOCINFO` of association `id`.
    fn assoc_params(&self, id: AssocId) -> io::Result<AssocParams> {
        let b = opt_get(self, id, libc::SCTP_ASSOCINFO, [0u8; 20])?;
        Ok(AssocParams {
            max_retrans: get_u16(&b, 4),
            peer_destinations: get_u16(&b, 6),
            peer_rwnd: get_u32(&b, 8),
            local_rwnd: get_u32(&b, 12),
            cookie_life: get_u32(&b, 16),
        })
    }

    /// `SCTP_ASSOCINFO`: the kernel takes `max_retrans` and `cookie_life` (0 keeps a value).
    fn set_assoc_params(&self, id: AssocId, p: &AssocParams) -> io::Result<()> {
        let mut b = [0u8; 20];
        b[0..4].copy_from_slice(&id.to_ne_bytes());
        b[4..6].copy_from_slice(&p.max_retrans.to_ne_bytes());
        b[6..8].copy_from_slice(&p.peer_destinations.to_ne_bytes());
        b[8..12].copy_from_slice(&p.peer_rwnd.to_ne_bytes());
        b[12..16].copy_from_slice(&p.local_rwnd.to_ne_bytes());
        b[16..20].copy_from_slice(&p.cookie_life.to_ne_bytes());
        opt_set(self, crate::sys::SOL_SCTP, libc::SCTP_ASSOCINFO, &b)
    }

    /// `SCTP_DEFAULT_SNDINFO`: what a send without its own info uses (stream, ppid, flags,
    /// context; `info.assoc_id` names the association, 0 the socket's default). The PR-SCTP
    /// policy of `info` is not part of this option.
    fn set_default_send_info(&self, info: &SendInfo) -> io::Result<()> {
        let mut b = [0u8; 16];
        b[0..2].copy_from_slice(&info.stream.to_ne_bytes());
        b[2..4].copy_from_slice(&info.flags.0.to_ne_bytes());
        b[4..8].copy_from_slice(&info.ppid.to_ne_bytes());
        b[8..12].copy_from_slice(&info.context.to_ne_bytes());
        b[12..16].copy_from_slice(&info.assoc_id.to_ne_bytes());
        opt_set(self, crate::sys::SOL_SCTP, libc::SCTP_DEFAULT_SNDINFO, &b)
    }

    /// `SCTP_STATUS` of association `id`.
    fn status(&self, id: AssocId) -> io::Result<Status> {
        let b = opt_get(self, id, libc::SCTP_STATUS, [0u8; 176])?;
        Ok(Status {
            assoc_id: get_i32(&b, 0),
            state: get_i32(&b, 4).into(),
            rwnd: get_u32(&b, 8),
            unacked: get_u16(&b, 12),
            pending: get_u16(&b, 14),
            instreams: get_u16(&b, 16),
            outstreams: get_u16(&b, 18),
            fragmentation_point: get_u32(&b, 20),
            primary: peer_addr_info_at(&b, 24),
        })
    }

    /// `SCTP_GET_PEER_ADDR_INFO`: the path to `peer` of association `id`.
    fn peer_addr_info(&self, id: AssocId, peer: SocketAddr) -> io::Result<PeerAddrInfo> {
        let mut b = [0u8; 152];
        let a = addr::pack(std::slice::from_ref(&peer));
        if let Some(dst) = b.get_mut(4..4 + a.len()) {
            dst.copy_from_slice(&a);
        }
        let b = opt_get(self, id, libc::SCTP_GET_PEER_ADDR_INFO, b)?;
        Ok(peer_addr_info_at(&b, 0))
    }

    /// `SO_REUSEADDR`.
    fn set_reuse_address(&self, on: bool) -> io::Result<()> {
        opt_set(
            self,
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            &i32::from(on).to_ne_bytes(),
        )
    }

    /// `SO_REUSEPORT` (Linux 5.5 and later for SCTP).
    fn set_reuse_port(&self, on: bool) -> io::Result<()> {
        opt_set(
            self,
            libc::SOL_SOCKET,
            libc::SO_REUSEPORT,
            &i32::from(on).to_ne_bytes(),
        )
    }

    /// `SO_SNDBUF` as the kernel reports it (twice what was set, for its bookkeeping).
    fn send_buffer_size(&self) -> io::Result<usize> {
        Ok(sol_get_int(self, libc::SO_SNDBUF)?.max(0) as usize)
    }

    /// Sets `SO_SNDBUF` in bytes (clamped to `i32::MAX`); Linux caps the request at
    /// `net.core.wmem_max`, then doubles it.
    fn set_send_buffer_size(&self, bytes: usize) -> io::Result<()> {
        let v = i32::try_from(bytes).unwrap_or(i32::MAX);
        opt_set(self, libc::SOL_SOCKET, libc::SO_SNDBUF, &v.to_ne_bytes())
    }

    /// `SO_RCVBUF` as the kernel reports it.
    fn recv_buffer_size(&self) -> io::Result<usize> {
        Ok(sol_get_int(self, libc::SO_RCVBUF)?.max(0) as usize)
    }

    /// Sets `SO_RCVBUF` in bytes (clamped to `i32::MAX`); Linux caps the request at
    /// `net.core.rmem_max`, then doubles it.
    fn set_recv_buffer_size(&self, bytes: usize) -> io::Result<()> {
        let v = i32::try_from(bytes).unwrap_or(i32::MAX);
        opt_set(self, libc::SOL_SOCKET, libc::SO_RCVBUF, &v.to_ne_bytes())
    }
}

impl SctpOptions for super::SctpSocket {}
impl SctpOptions for super::SctpListener {}
impl SctpOptions for super::SctpStream {}
