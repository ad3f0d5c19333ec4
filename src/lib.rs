//! sctp_rs: a drop-in replacement for libsctp (lksctp-tools) with the exact C ABI.
//!
//! C programs link `-lsctp_rs` (or the static `libsctp_rs.a`) and include
//! `include/netinet/sctp.h`; existing binaries pick the library up with `LD_PRELOAD` or use
//! `libsctp.so.1` in place of lksctp's. Rust programs can call the safe core directly:
//! [`peeloff`], [`send`], [`sendv`], [`recv`], [`bindx`], [`connectx`], [`getaddrs`],
//! [`opt_info`], over the packed address arrays of [`addrs`], use the socket types of
//! [`socket`] (owning their descriptors, `std::net::SocketAddr` in and out, `io::Error` out),
//! and parse what the kernel delivers with `MSG_NOTIFICATION` with [`notification::parse`];
//! with the `tokio` feature, `tokio` holds async versions of the socket types. `SCTP_RS_TRACE=1` in the
//! environment prints one line per call on stderr ([`trace`]).
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
