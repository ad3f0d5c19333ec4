//! SCTP sockets for Rust programs, owning their descriptors, over the same core the C functions
//! call: [`SctpSocket`] is a one-to-many socket (`SOCK_SEQPACKET`), [`SctpListener`] and
//! [`SctpStream`] one-to-one sockets (`SOCK_STREAM`); a peel-off gives an [`SctpStream`].
//!
//! Every descriptor is created close-on-exec, as std's are. Errors are `std::io::Error` carrying
//! the kernel's (or the core's) errno; nothing here panics on what the kernel returns.
//!
//! ```no_run
//! use std::net::{Ipv4Addr, SocketAddr};
//! use sctp_rs::socket::{BindOp, SctpSocket};
//!
//! # fn main() -> std::io::Result<()> {
//! // A multi-homed one-to-many server and a client that connects to all its addresses.
//! let server = SctpSocket::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
//! let port = server.local_addrs(0)?[0].port();
//! let more = [
//!     SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), port)),
//!     SocketAddr::from((Ipv4Addr::new(127, 0, 0, 3), port)),
//! ];
//! server.bindx(&more, BindOp::Add)?;
//! server.listen(16)?;
//! let client = SctpSocket::new_v4()?;
//! let id = client.connectx(&server.local_addrs(0)?)?;
//! assert_eq!(client.peer_addrs(id)?.len(), 3);
//! # Ok(())
//! # }
//! ```
//! (`no_run` here: the same steps run on the real stack in
//! `socket::tests::multihomed_connectx_and_peeloff`.)

pub(crate) mod addr;
mod io;
mod options;
#[cfg(test)]
mod tests;

pub use io::{NxtInfo, PrPolicy, RcvInfo, Received, SendFlags, SendInfo};
pub use options::{
    AssocParams, AssocState, InitMsg, PathState, PeerAddrInfo, RtoInfo, SctpOptions, Status,
};

use std::io::{self as stdio, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

use crate::addrs::PackedAddrs;
use crate::bindx::{self, Op};
use crate::getaddrs::{self, Which};
use crate::notification::AssocId;

/// Whether [`SctpSocket::bindx`] adds or removes addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindOp {
    /// `SCTP_BINDX_ADD_ADDR`.
    Add,
    /// `SCTP_BINDX_REM_ADDR`.
    Remove,
}

/// Options of a peeled-off descriptor. The default is close-on-exec and blocking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeelOptions {
    /// `SOCK_CLOEXEC` (default true).
    pub cloexec: bool,
    /// `SOCK_NONBLOCK` (default false).
    pub nonblocking: bool,
}

impl Default for PeelOptions {
    fn default() -> Self {
        PeelOptions {
            cloexec: true,
            nonblocking: false,
        }
    }
}

fn cvt(r: libc::c_int) -> stdio::Result<libc::c_int> {
    if r < 0 {
        Err(stdio::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn new_socket(family: libc::c_int, ty: libc::c_int) -> stdio::Result<OwnedFd> {
    // SAFETY: plain syscall with integer arguments.
    let fd = cvt(unsafe { libc::socket(family, ty | libc::SOCK_CLOEXEC, libc::IPPROTO_SCTP) })?;
    // SAFETY: `fd` was just returned by socket(2) and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn family_of(a: &SocketAddr) -> libc::c_int {
    match a {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

fn bind_fd(fd: BorrowedFd<'_>, a: &SocketAddr) -> stdio::Result<()> {
    let bytes = addr::pack(std::slice::from_ref(a));
    // SAFETY: `bytes` is one sockaddr_in/sockaddr_in6 of its length, every byte defined.
    cvt(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            bytes.as_ptr().cast(),
            bytes.len() as libc::socklen_t,
        )
    })
    .map(|_| ())
}

fn listen_fd(fd: BorrowedFd<'_>, backlog: i32) -> stdio::Result<()> {
    // SAFETY: plain syscall with integer arguments.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(|_| ())
}

fn bindx_fd(fd: BorrowedFd<'_>, addrs: &[SocketAddr], op: BindOp) -> stdio::Result<()> {
    let bytes = addr::pack(addrs);
    let packed = PackedAddrs::parse(&bytes, addrs.len())?;
    let op = match op {
        BindOp::Add => Op::Add,
        BindOp::Remove => Op::Remove,
    };
    Ok(bindx::bindx(fd.as_raw_fd(), Some(&packed), op)?)
}

fn connectx_fd(fd: BorrowedFd<'_>, addrs: &[SocketAddr]) -> stdio::Result<AssocId> {
    let bytes = addr::pack(addrs);
    let packed = PackedAddrs::parse(&bytes, addrs.len())?;
    let c = crate::connectx::connectx(fd.as_raw_fd(), Some(&packed));
    c.result?;
    // A successful connectx always reports the id.
    Ok(c.id.unwrap_or(0))
}

fn addrs_fd(fd: BorrowedFd<'_>, id: AssocId, which: Which) -> stdio::Result<Vec<SocketAddr>> {
    Ok(addr::take_list(getaddrs::getaddrs(
        fd.as_raw_fd(),
        id,
        which,
    )?))
}

fn shutdown_fd(fd: BorrowedFd<'_>, how: std::net::Shutdown) -> stdio::Result<()> {
    let how = match how {
        std::net::Shutdown::Read => libc::SHUT_RD,
        std::net::Shutdown::Write => libc::SHUT_WR,
        std::net::Shutdown::Both => libc::SHUT_RDWR,
    };
    // SAFETY: plain syscall with integer arguments.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), how) }).map(|_| ())
}

fn setsockopt_int(fd: BorrowedFd<'_>, opt: libc::c_int, v: libc::c_int) -> stdio::Result<()> {
    // SAFETY: `v` is a readable int of the length given.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            crate::sys::SOL_SCTP,
            opt,
            (&v as *const libc::c_int).cast(),
            core::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })
    .map(|_| ())
}

/// `SCTP_EVENT` (uapi 127): one notification type on or off for the socket's associations.
fn subscribe_fd(fd: BorrowedFd<'_>, kind: u16, on: bool) -> stdio::Result<()> {
    // struct sctp_event: assoc id (0: all, present and future), type, on, padding.
    let mut ev = [0u8; 8];
    ev[4..6].copy_from_slice(&kind.to_ne_bytes());
    ev[6] = u8::from(on);
    // SAFETY: `ev` is a readable struct sctp_event of 8 bytes, every byte defined.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            crate::sys::SOL_SCTP,
            127,
            ev.as_ptr().cast(),
            8,
        )
    })
    .map(|_| ())
}

/// The methods every socket type has: typed send and receive, subscriptions.
macro_rules! io_methods {
    () => {
        /// Sends one message with `info` (`sendmsg` with SCTP_SNDINFO, and SCTP_PRINFO for a
        /// PR-SCTP policy; `MSG_NOSIGNAL`: a gone peer is `EPIPE`, never SIGPIPE).
        pub fn send(&self, buf: &[u8], info: &SendInfo) -> stdio::Result<usize> {
            io::send(self.as_fd(), &[IoSlice::new(buf)], &[], info)
        }

        /// As [`send`](Self::send), gathering the message from `bufs`.
        pub fn send_vectored(&self, bufs: &[IoSlice<'_>], info: &SendInfo) -> stdio::Result<usize> {
            io::send(self.as_fd(), bufs, &[], info)
        }

        /// Receives one message, or its next part (see [`Received::eor`]).
        pub fn recv(&self, buf: &mut [u8]) -> stdio::Result<Received> {
            io::recv(self.as_fd(), &mut [IoSliceMut::new(buf)])
        }

        /// As [`recv`](Self::recv), scattering into `bufs`.
        pub fn recv_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> stdio::Result<Received> {
            io::recv(self.as_fd(), bufs)
        }

        /// Turns one notification type ([`crate::notification::kind`]) on or off
        /// (`SCTP_EVENT`, for present and future associations).
        pub fn subscribe(&self, kind: u16, on: bool) -> stdio::Result<()> {
            subscribe_fd(self.as_fd(), kind, on)
        }

        /// `SCTP_RECVRCVINFO`: each received message carries its [`RcvInfo`].
        pub fn set_recv_rcvinfo(&self, on: bool) -> stdio::Result<()> {
            setsockopt_int(self.as_fd(), libc::SCTP_RECVRCVINFO, on.into())
        }

        /// `SCTP_RECVNXTINFO`: each received message says what is queued next ([`NxtInfo`]).
        pub fn set_recv_nxtinfo(&self, on: bool) -> stdio::Result<()> {
            setsockopt_int(self.as_fd(), libc::SCTP_RECVNXTINFO, on.into())
        }
    };
}

macro_rules! fd_traits {
    ($t:ident) => {
        impl AsFd for $t {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.fd.as_fd()
            }
        }
        impl AsRawFd for $t {
            fn as_raw_fd(&self) -> RawFd {
                self.fd.as_raw_fd()
            }
        }
        impl IntoRawFd for $t {
            fn into_raw_fd(self) -> RawFd {
                self.fd.into_raw_fd()
            }
        }
        /// Takes a descriptor the caller vouches is an SCTP socket of this kind.
        impl From<OwnedFd> for $t {
            fn from(fd: OwnedFd) -> Self {
                $t { fd }
            }
        }
        impl From<$t> for OwnedFd {
            fn from(s: $t) -> OwnedFd {
                s.fd
            }
        }
    };
}

/// A one-to-many SCTP socket (`SOCK_SEQPACKET`): many associations on one descriptor, each
/// known by its [`AssocId`].
#[derive(Debug)]
pub struct SctpSocket {
    fd: OwnedFd,
}

fd_traits!(SctpSocket);

impl SctpSocket {
    io_methods!();

    /// Sends one message to the peer known by `to` (the first address as destination, the
    /// others as its extra addresses, as `sctp_sendx`), setting an association up if none
    /// exists. A nonzero `info.assoc_id` wins over `to`.
    pub fn send_to(&self, buf: &[u8], to: &[SocketAddr], info: &SendInfo) -> stdio::Result<usize> {
        io::send(self.as_fd(), &[IoSlice::new(buf)], to, info)
    }

    /// An unbound IPv4 one-to-many socket.
    pub fn new_v4() -> stdio::Result<Self> {
        Ok(SctpSocket {
            fd: new_socket(libc::AF_INET, libc::SOCK_SEQPACKET)?,
        })
    }

    /// An unbound IPv6 one-to-many socket (it also carries IPv4 unless IPV6_V6ONLY is set).
    pub fn new_v6() -> stdio::Result<Self> {
        Ok(SctpSocket {
            fd: new_socket(libc::AF_INET6, libc::SOCK_SEQPACKET)?,
        })
    }

    /// A one-to-many socket of `addr`'s family, bound to it (port 0: the kernel picks one).
    pub fn bind(addr: SocketAddr) -> stdio::Result<Self> {
        let s = SctpSocket {
            fd: new_socket(family_of(&addr), libc::SOCK_SEQPACKET)?,
        };
        bind_fd(s.as_fd(), &addr)?;
        Ok(s)
    }

    /// Adds or removes local addresses (`sctp_bindx`); all must carry the bound port, or 0.
    pub fn bindx(&self, addrs: &[SocketAddr], op: BindOp) -> stdio::Result<()> {
        bindx_fd(self.as_fd(), addrs, op)
    }

    /// Accepts associations from peers (`listen(2)`).
    pub fn listen(&self, backlog: i32) -> stdio::Result<()> {
        listen_fd(self.as_fd(), backlog)
    }

    /// Sets up an association to a peer known by all of `addrs` (`sctp_connectx`) and returns
    /// its id. A blocking socket returns once it is up; a non-blocking one fails with the raw
    /// errno `EINPROGRESS` (the association comes up later, as an SCTP_COMM_UP notification).
    pub fn connectx(&self, addrs: &[SocketAddr]) -> stdio::Result<AssocId> {
        connectx_fd(self.as_fd(), addrs)
    }

    /// Sets up an association to the peer at `addr` and returns its id: [`connectx`] with one
    /// address.
    ///
    /// [`connectx`]: Self::connectx
    pub fn connect(&self, addr: SocketAddr) -> stdio::Result<AssocId> {
        connectx_fd(self.as_fd(), std::slice::from_ref(&addr))
    }

    /// Branches association `id` off into a one-to-one [`SctpStream`] (`sctp_peeloff_flags`).
    pub fn peeloff(&self, id: AssocId, opts: PeelOptions) -> stdio::Result<SctpStream> {
        let flags = (if opts.cloexec { libc::SOCK_CLOEXEC } else { 0 })
            | (if opts.nonblocking {
                libc::SOCK_NONBLOCK
            } else {
                0
            });
        let fd = crate::peeloff::peeloff_flags(self.as_raw_fd(), id, flags as libc::c_uint)?;
        // SAFETY: the kernel just gave us this new descriptor, owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(SctpStream { fd })
    }

    /// The local addresses of association `id` (0: those the socket is bound to).
    pub fn local_addrs(&self, id: AssocId) -> stdio::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), id, Which::Local)
    }

    /// The peer addresses of association `id`.
    pub fn peer_addrs(&self, id: AssocId) -> stdio::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), id, Which::Peer)
    }
}

/// A one-to-one SCTP listener (`SOCK_STREAM`).
#[derive(Debug)]
pub struct SctpListener {
    fd: OwnedFd,
}

fd_traits!(SctpListener);

impl SctpListener {
    /// A one-to-one socket bound to `addr` and listening.
    pub fn bind(addr: SocketAddr, backlog: i32) -> stdio::Result<Self> {
        let l = SctpListener {
            fd: new_socket(family_of(&addr), libc::SOCK_STREAM)?,
        };
        bind_fd(l.as_fd(), &addr)?;
        listen_fd(l.as_fd(), backlog)?;
        Ok(l)
    }

    /// Adds or removes local addresses (`sctp_bindx`).
    pub fn bindx(&self, addrs: &[SocketAddr], op: BindOp) -> stdio::Result<()> {
        bindx_fd(self.as_fd(), addrs, op)
    }

    /// The next association, as a stream (close-on-exec).
    pub fn accept(&self) -> stdio::Result<SctpStream> {
        // SAFETY: NULL address arguments are allowed.
        let fd = cvt(unsafe {
            libc::accept4(
                self.as_raw_fd(),
                core::ptr::null_mut(),
                core::ptr::null_mut(),
                libc::SOCK_CLOEXEC,
            )
        })?;
        // SAFETY: accept4 just returned this new descriptor, owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(SctpStream { fd })
    }

    /// The addresses the listener is bound to.
    pub fn local_addrs(&self) -> stdio::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), 0, Which::Local)
    }
}

/// A one-to-one SCTP socket with its association: made by [`SctpStream::connectx`], accepted
/// by an [`SctpListener`], or peeled off an [`SctpSocket`].
#[derive(Debug)]
pub struct SctpStream {
    fd: OwnedFd,
}

fd_traits!(SctpStream);

impl SctpStream {
    io_methods!();

    /// Connects a new one-to-one socket to a peer known by all of `addrs`; the socket's family
    /// is that of the first address.
    pub fn connectx(addrs: &[SocketAddr]) -> stdio::Result<Self> {
        let first = addrs
            .first()
            .ok_or_else(|| stdio::Error::from_raw_os_error(libc::EINVAL))?;
        let s = SctpStream {
            fd: new_socket(family_of(first), libc::SOCK_STREAM)?,
        };
        connectx_fd(s.as_fd(), addrs)?;
        Ok(s)
    }

    /// Connects a new one-to-one socket to the peer at `addr` ([`connectx`] with one address).
    ///
    /// [`connectx`]: Self::connectx
    pub fn connect(addr: SocketAddr) -> stdio::Result<Self> {
        Self::connectx(std::slice::from_ref(&addr))
    }

    /// The association's local addresses.
    pub fn local_addrs(&self) -> stdio::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), 0, Which::Local)
    }

    /// The association's peer addresses.
    pub fn peer_addrs(&self) -> stdio::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), 0, Which::Peer)
    }

    /// `shutdown(2)`: `Write` starts the graceful SHUTDOWN of the association.
    pub fn shutdown(&self, how: std::net::Shutdown) -> stdio::Result<()> {
        shutdown_fd(self.as_fd(), how)
    }
}
