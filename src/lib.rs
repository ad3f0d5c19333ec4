//! sctp_rs: Linux SCTP for Rust and C, on the kernel's SCTP stack.
//!
//! For Rust: [`socket`] has socket types that own their descriptors (one-to-many
//! [`socket::SctpSocket`], one-to-one [`socket::SctpListener`] and [`socket::SctpStream`]),
//! typed send and receive information ([`socket::SendInfo`], [`socket::Received`]), typed
//! options ([`socket::SctpOptions`]); [`notification::parse`] turns the kernel's notifications
//! into an enum; with the `tokio` feature, `sctp_rs::tokio` has async versions of the socket
//! types. Errors are `std::io::Error` with the kernel's errno.
//!
//! # Quick start
//!
//! ```no_run
//! use std::net::{Ipv4Addr, SocketAddr};
//! use sctp_rs::socket::{SctpSocket, SendInfo};
//!
//! # fn main() -> std::io::Result<()> {
//! let server = SctpSocket::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 5000)))?;
//! server.set_recv_rcvinfo(true)?;
//! server.listen(16)?;
//! let mut buf = [0u8; 1024];
//! loop {
//!     let r = server.recv(&mut buf)?;
//!     if let (false, Some(info)) = (r.notification, r.rcvinfo) {
//!         // Echo on the message's stream, to its association.
//!         let reply = SendInfo { assoc_id: info.assoc_id, ..SendInfo::on_stream(info.stream, info.ppid) };
//!         server.send(&buf[..r.len], &reply)?;
//!     }
//! }
//! # }
//! ```
//! (`no_run`: `examples/echo_server.rs` is this server, run on the real stack by `make test`.)
//!
//! For C: the same core under lksctp's exact ABI. C programs link `-lsctp_rs` (or the static
//! `libsctp_rs.a`) and include `include/netinet/sctp.h`; existing binaries pick the library up
//! with `LD_PRELOAD` or use `libsctp.so.1` in place of lksctp's. The core functions are public
//! too: [`peeloff`], [`send`], [`sendv`], [`recv`], [`bindx`], [`connectx`], [`getaddrs`],
//! [`opt_info`], over the packed address arrays of [`addrs`]. `SCTP_RS_TRACE=1` in the
//! environment prints one line per C call on stderr ([`trace`]).
//!
//! Data flows one way: C caller -> [`ffi`] entry -> safe core -> the fewest syscalls (one per
//! call). Buffers that only the kernel reads (the message) stay raw pointer + length down to the
//! syscall, so NULL with length 0 is legal and a bad pointer is the kernel's EFAULT.
//!
//! # Safety
//!
//! The contract shared by every `extern "C"` function of this library:
//! - Integer arguments (descriptors, association ids, counts, flags) may hold any value: bad ones
//!   give -1 and an errno, never undefined behaviour.
//! - A pointer the library itself reads (`sinfo`, an address array) must be NULL where the
//!   function allows it, or point to readable memory of the documented size that no other thread
//!   writes during the call.
//! - A pointer only the kernel reads (`msg`) is handed to the kernel as is: an unreadable one is
//!   EFAULT.
//! - No pointer needs any alignment, and out-pointers may overlap each other: caller structs and
//!   integers are read by copy and results stored by copy, in lksctp's order, never through a
//!   Rust reference to caller memory.
//! - Every failure returns -1 (ssize_t or int) with errno set; success leaves errno unchanged.
//! - The functions are thread-safe. The only state kept between calls is one cached atomic:
//!   whether SCTP_RS_TRACE is on ([`trace`]).

// Every unsafe block says why it is sound, in a `// SAFETY:` comment right above it.
#![deny(clippy::undocumented_unsafe_blocks)]
// Every public item has a doc comment.
#![deny(missing_docs)]
// No panic may reach C: outside tests, nothing that can panic on input (unwrap, expect,
// indexing and slicing that may be out of bounds, panic!, unreachable!) is allowed.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod addrs;
pub mod bindx;
pub mod cmsg;
pub mod connectx;
pub mod error;
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod getaddrs;
mod memcheck;
pub mod notification;
pub mod opt_info;
pub mod peeloff;
pub mod recv;
pub mod send;
pub mod sendv;
pub mod socket;
pub mod sockopt;
pub mod sys;
#[cfg(feature = "tokio")]
pub mod tokio;
pub mod trace;

#[cfg(test)]
mod testutil;

pub use error::{Errno, Result};
