//! Async versions of the socket types for tokio (the `tokio` feature), over
//! `tokio::io::unix::AsyncFd`: the same calls as [`crate::socket`], on non-blocking
//! descriptors, awaiting readiness when the kernel says `EAGAIN`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sctp_rs::socket::SendInfo;
//! use sctp_rs::tokio::{SctpListener, SctpStream};
//!
//! let listener = SctpListener::bind("127.0.0.1:0".parse().unwrap(), 16)?;
//! let addr = listener.get_ref().local_addrs()?[0];
//! let client = SctpStream::connectx(&[addr]).await?; // EINPROGRESS, then writable
//! let server = listener.accept().await?;
//! client.send(b"ping", &SendInfo::on_stream(1, 0)).await?;
//! let mut buf = [0u8; 16];
//! let r = server.recv(&mut buf).await?;
//! assert_eq!(&buf[..r.len], b"ping");
//! # Ok(())
//! # }
//! ```
//! (`no_run` here; the same steps run on the real stack in the tests of this module and in
//! `examples/tokio_echo.rs`.)

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

use ::tokio::io::Interest;
use ::tokio::io::unix::AsyncFd;

use crate::addrs::PackedAddrs;
use crate::error::Errno;
use crate::notification::AssocId;
use crate::socket::{self as sync, PeelOptions, Received, SendInfo};

/// Registers a socket of ours with the current runtime's reactor: an `io::Error` outside a
/// runtime (tokio itself panics there, and on a runtime built without IO enabled).
fn register<T: AsRawFd>(inner: T) -> io::Result<AsyncFd<T>> {
    if ::tokio::runtime::Handle::try_current().is_err() {
        return Err(io::Error::other(
            "sctp_rs::tokio: no tokio runtime is running",
        ));
    }
    // SAFETY: every T here is a socket type of crate::socket that owns its descriptor
    // (OwnedFd): it stays open, and as_raw_fd returns that same descriptor, until the AsyncFd
    // drops it.
    Ok(unsafe { AsyncFd::register(inner) }?)
}

fn set_nonblocking(fd: &impl AsFd) -> io::Result<()> {
    let raw = fd.as_fd().as_raw_fd();
    // SAFETY: fcntl with integer arguments on a descriptor we own.
    let flags = unsafe { libc::fcntl(raw, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(raw, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A non-blocking connectx: the association id as soon as the kernel has it (on success or
/// EINPROGRESS).
fn connectx_start(fd: &impl AsFd, addrs: &[SocketAddr]) -> io::Result<(AssocId, bool)> {
    let bytes = crate::socket::addr::pack(addrs);
    let p = PackedAddrs::parse(&bytes, addrs.len())?;
    let c = crate::connectx::connectx(fd.as_fd().as_raw_fd(), Some(&p));
    match (c.result, c.id) {
        (Ok(()), Some(id)) => Ok((id, true)),
        (Err(Errno(libc::EINPROGRESS)), Some(id)) => Ok((id, false)),
        (Err(e), _) => Err(e.into()),
        (Ok(()), None) => Ok((0, true)),
    }
}

fn so_error(fd: &impl AsFd) -> io::Result<()> {
    let mut v: libc::c_int = 0;
    let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` is a writable int of `len` bytes.
    let r = unsafe {
        libc::getsockopt(
            fd.as_fd().as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            (&mut v as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    if v != 0 {
        return Err(io::Error::from_raw_os_error(v));
    }
    Ok(())
}

/// An async one-to-many socket.
#[derive(Debug)]
pub struct SctpSocket {
    inner: AsyncFd<sync::SctpSocket>,
}

impl SctpSocket {
    /// Takes a socket of [`crate::socket`], making it non-blocking. Needs a tokio runtime
    /// with IO enabled.
    pub fn new(s: sync::SctpSocket) -> io::Result<Self> {
        set_nonblocking(&s)?;
        Ok(SctpSocket {
            inner: register(s)?,
        })
    }

    /// A one-to-many socket bound to `addr`.
    pub fn bind(addr: SocketAddr) -> io::Result<Self> {
        Self::new(sync::SctpSocket::bind(addr)?)
    }

    /// The blocking-API socket inside (for options, bindx, addresses).
    pub fn get_ref(&self) -> &sync::SctpSocket {
        self.inner.get_ref()
    }

    /// Sets up an association to the peer known by `addrs` and returns its id as soon as the
    /// kernel has started it (a one-to-many socket gives no readiness for one association:
    /// messages sent meanwhile are queued until it is up; its SCTP_COMM_UP notification, if
    /// subscribed, says when).
    pub async fn connectx(&self, addrs: &[SocketAddr]) -> io::Result<AssocId> {
        Ok(connectx_start(self.inner.get_ref(), addrs)?.0)
    }

    /// Sends one message ([`sync::SctpSocket::send`]), waiting for room in the send buffer.
    pub async fn send(&self, buf: &[u8], info: &SendInfo) -> io::Result<usize> {
        self.inner
            .async_io(Interest::WRITABLE, |s| s.send(buf, info))
            .await
    }

    /// Sends one message to the peer known by `to` ([`sync::SctpSocket::send_to`]).
    pub async fn send_to(
        &self,
        buf: &[u8],
        to: &[SocketAddr],
        info: &SendInfo,
    ) -> io::Result<usize> {
        self.inner
            .async_io(Interest::WRITABLE, |s| s.send_to(buf, to, info))
            .await
    }

    /// Receives one message or notification ([`sync::SctpSocket::recv`]).
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<Received> {
        self.inner
            .async_io(Interest::READABLE, |s| s.recv(buf))
            .await
    }

    /// Branches association `id` off into an async one-to-one stream (close-on-exec,
    /// non-blocking).
    pub fn peeloff(&self, id: AssocId) -> io::Result<SctpStream> {
        let opts = PeelOptions {
            cloexec: true,
            nonblocking: true,
        };
        let s = self.inner.get_ref().peeloff(id, opts)?;
        Ok(SctpStream {
            inner: register(s)?,
        })
    }
}

/// An async one-to-one listener.
#[derive(Debug)]
pub struct SctpListener {
    inner: AsyncFd<sync::SctpListener>,
}

impl SctpListener {
    /// A one-to-one socket bound to `addr` and listening.
    pub fn bind(addr: SocketAddr, backlog: i32) -> io::Result<Self> {
        let l = sync::SctpListener::bind(addr, backlog)?;
        set_nonblocking(&l)?;
        Ok(SctpListener {
            inner: register(l)?,
        })
    }

    /// The blocking-API listener inside.
    pub fn get_ref(&self) -> &sync::SctpListener {
        self.inner.get_ref()
    }

    /// The next association, as an async stream (close-on-exec, non-blocking).
    pub async fn accept(&self) -> io::Result<SctpStream> {
        let fd = self
            .inner
            .async_io(Interest::READABLE, |l| {
                // SAFETY: NULL address arguments are allowed.
                let fd = unsafe {
                    libc::accept4(
                        l.as_raw_fd(),
                        core::ptr::null_mut(),
                        core::ptr::null_mut(),
                        libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
                    )
                };
                if fd < 0 {
                    Err(io::Error::last_os_error())
                } else {
                    // SAFETY: accept4 just returned this new descriptor, owned by nobody else.
                    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
                }
            })
            .await?;
        Ok(SctpStream {
            inner: register(sync::SctpStream::from(fd))?,
        })
    }
}

/// An async one-to-one stream.
#[derive(Debug)]
pub struct SctpStream {
    inner: AsyncFd<sync::SctpStream>,
}

impl SctpStream {
    /// Takes a stream of [`crate::socket`], making it non-blocking.
    pub fn new(s: sync::SctpStream) -> io::Result<Self> {
        set_nonblocking(&s)?;
        Ok(SctpStream {
            inner: register(s)?,
        })
    }

    /// Connects to the peer known by `addrs`: a non-blocking connectx (EINPROGRESS), then the
    /// socket's writability and its SO_ERROR say how the setup ended.
    pub async fn connectx(addrs: &[SocketAddr]) -> io::Result<Self> {
        let first = addrs
            .first()
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))?;
        let family = match first {
            SocketAddr::V4(_) => libc::AF_INET,
            SocketAddr::V6(_) => libc::AF_INET6,
        };
        let ty = libc::SOCK_STREAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK;
        // SAFETY: plain syscall with integer arguments.
        let fd = unsafe { libc::socket(family, ty, libc::IPPROTO_SCTP) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: socket(2) just returned this descriptor, owned by nobody else.
        let s = sync::SctpStream::from(unsafe { OwnedFd::from_raw_fd(fd) });
        let (_, done) = connectx_start(&s, addrs)?;
        let inner = register(s)?;
        if !done {
            let mut guard = inner.writable().await?;
            guard.retain_ready();
            so_error(inner.get_ref())?;
        }
        Ok(SctpStream { inner })
    }

    /// The blocking-API stream inside.
    pub fn get_ref(&self) -> &sync::SctpStream {
        self.inner.get_ref()
    }

    /// Sends one message, waiting for room in the send buffer.
    pub async fn send(&self, buf: &[u8], info: &SendInfo) -> io::Result<usize> {
        self.inner
            .async_io(Interest::WRITABLE, |s| s.send(buf, info))
            .await
    }

    /// Receives one message or notification; 0 bytes without `notification` is the peer's
    /// SHUTDOWN on a one-to-one socket (a peeled-off one never reads 0).
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<Received> {
        self.inner
            .async_io(Interest::READABLE, |s| s.recv(buf))
            .await
    }

    /// `shutdown(2)`.
    pub fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        self.inner.get_ref().shutdown(how)
    }
}

#[cfg(test)]
mod tests;
