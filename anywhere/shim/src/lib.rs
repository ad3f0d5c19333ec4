//! libsctp_anywhere.so: SCTP for programs on a host whose kernel has none. Preloaded
//! (LD_PRELOAD, or scripts/sctp-anywhere CMD), it interposes socket() and the calls on sockets:
//! a new SCTP socket becomes a socket of sctpd, the userspace stack serving the host, whenever
//! the kernel has no SCTP (or SCTP_ANYWHERE=force). Such a socket is one end of a unix socket
//! pair that sctpd holds the other end of: a real descriptor, so poll, epoll, select, fork,
//! exec and close need nothing from the shim. Every other descriptor passes through untouched.
//!
//! Modules: [`entry`] the interposed functions; [`ops`] the control calls and [`data`] sends
//! and receives on sctpd's sockets; [`chan`] each thread's channel to sctpd; [`fds`] which
//! descriptors are sctpd's; [`user`] the program's memory, touched as the kernel would;
//! [`real`] libc's own functions.

#![deny(clippy::undocumented_unsafe_blocks)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod chan;
pub mod data;
pub mod entry;
pub mod fds;
pub mod ops;
pub mod procfs;
pub mod real;
pub mod user;

/// Runs when the library is loaded: a child after fork gets channels of its own.
extern "C" fn init() {
    // SAFETY: registers a handler with no state of its own.
    unsafe { libc::pthread_atfork(None, None, Some(chan::after_fork_child)) };
}

#[used]
#[unsafe(link_section = ".init_array")]
static INIT: extern "C" fn() = init;
