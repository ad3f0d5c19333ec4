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

mod addr;
#[cfg(test)]
mod tests;

use std::io;
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

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn new_socket(family: libc::c_int, ty: libc::c_int) -> io::Result<OwnedFd> {
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

fn bind_fd(fd: BorrowedFd<'_>, a: &SocketAddr) -> io::Result<()> {
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

fn listen_fd(fd: BorrowedFd<'_>, backlog: i32) -> io::Result<()> {
    // SAFETY: plain syscall with integer arguments.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(|_| ())
}

fn bindx_fd(fd: BorrowedFd<'_>, addrs: &[SocketAddr], op: BindOp) -> io::Result<()> {
    let bytes = addr::pack(addrs);
    let packed = PackedAddrs::parse(&bytes, addrs.len())?;
    let op = match op {
        BindOp::Add => Op::Add,
        BindOp::Remove => Op::Remove,
    };
    Ok(bindx::bindx(fd.as_raw_fd(), Some(&packed), op)?)
}

fn connectx_fd(fd: BorrowedFd<'_>, addrs: &[SocketAddr]) -> io::Result<AssocId> {
    let bytes = addr::pack(addrs);
    let packed = PackedAddrs::parse(&bytes, addrs.len())?;
    let c = crate::connectx::connectx(fd.as_raw_fd(), Some(&packed));
    c.result?;
    // A successful connectx always reports the id.
    Ok(c.id.unwrap_or(0))
}

fn addrs_fd(fd: BorrowedFd<'_>, id: AssocId, which: Which) -> io::Result<Vec<SocketAddr>> {
    Ok(addr::take_list(getaddrs::getaddrs(
        fd.as_raw_fd(),
        id,
        which,
    )?))
}

fn shutdown_fd(fd: BorrowedFd<'_>, how: std::net::Shutdown) -> io::Result<()> {
    let how = match how {
        std::net::Shutdown::Read => libc::SHUT_RD,
        std::net::Shutdown::Write => libc::SHUT_WR,
        std::net::Shutdown::Both => libc::SHUT_RDWR,
    };
    // SAFETY: plain syscall with integer arguments.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), how) }).map(|_| ())
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
    /// An unbound IPv4 one-to-many socket.
    pub fn new_v4() -> io::Result<Self> {
        Ok(SctpSocket {
            fd: new_socket(libc::AF_INET, libc::SOCK_SEQPACKET)?,
        })
    }

    /// An unbound IPv6 one-to-many socket (it also carries IPv4 unless IPV6_V6ONLY is set).
    pub fn new_v6() -> io::Result<Self> {
        Ok(SctpSocket {
            fd: new_socket(libc::AF_INET6, libc::SOCK_SEQPACKET)?,
        })
    }

    /// A one-to-many socket of `addr`'s family, bound to it (port 0: the kernel picks one).
    pub fn bind(addr: SocketAddr) -> io::Result<Self> {
        let s = SctpSocket {
            fd: new_socket(family_of(&addr), libc::SOCK_SEQPACKET)?,
        };
        bind_fd(s.as_fd(), &addr)?;
        Ok(s)
    }

    /// Adds or removes local addresses (`sctp_bindx`); all must carry the bound port, or 0.
    pub fn bindx(&self, addrs: &[SocketAddr], op: BindOp) -> io::Result<()> {
        bindx_fd(self.as_fd(), addrs, op)
    }

    /// Accepts associations from peers (`listen(2)`).
    pub fn listen(&self, backlog: i32) -> io::Result<()> {
        listen_fd(self.as_fd(), backlog)
    }

    /// Sets up an association to a peer known by all of `addrs` (`sctp_connectx`) and returns
    /// its id. A blocking socket returns once it is up; a non-blocking one fails with the raw
    /// errno `EINPROGRESS` (the association comes up later, as an SCTP_COMM_UP notification).
    pub fn connectx(&self, addrs: &[SocketAddr]) -> io::Result<AssocId> {
        connectx_fd(self.as_fd(), addrs)
    }

    /// Branches association `id` off into a one-to-one [`SctpStream`] (`sctp_peeloff_flags`).
    pub fn peeloff(&self, id: AssocId, opts: PeelOptions) -> io::Result<SctpStream> {
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
    pub fn local_addrs(&self, id: AssocId) -> io::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), id, Which::Local)
    }

    /// The peer addresses of association `id`.
    pub fn peer_addrs(&self, id: AssocId) -> io::Result<Vec<SocketAddr>> {
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
    pub fn bind(addr: SocketAddr, backlog: i32) -> io::Result<Self> {
        let l = SctpListener {
            fd: new_socket(family_of(&addr), libc::SOCK_STREAM)?,
        };
        bind_fd(l.as_fd(), &addr)?;
        listen_fd(l.as_fd(), backlog)?;
        Ok(l)
    }

    /// Adds or removes local addresses (`sctp_bindx`).
    pub fn bindx(&self, addrs: &[SocketAddr], op: BindOp) -> io::Result<()> {
        bindx_fd(self.as_fd(), addrs, op)
    }

    /// The next association, as a stream (close-on-exec).
    pub fn accept(&self) -> io::Result<SctpStream> {
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
    pub fn local_addrs(&self) -> io::Result<Vec<SocketAddr>> {
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
    /// Connects a new one-to-one socket to a peer known by all of `addrs`; the socket's family
    /// is that of the first address.
    pub fn connectx(addrs: &[SocketAddr]) -> io::Result<Self> {
        let first = addrs
            .first()
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))?;
        let s = SctpStream {
            fd: new_socket(family_of(first), libc::SOCK_STREAM)?,
        };
        connectx_fd(s.as_fd(), addrs)?;
        Ok(s)
    }

    /// The association's local addresses.
    pub fn local_addrs(&self) -> io::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), 0, Which::Local)
    }

    /// The association's peer addresses.
    pub fn peer_addrs(&self) -> io::Result<Vec<SocketAddr>> {
        addrs_fd(self.as_fd(), 0, Which::Peer)
    }

    /// `shutdown(2)`: `Write` starts the graceful SHUTDOWN of the association.
    pub fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        shutdown_fd(self.as_fd(), how)
    }
}
