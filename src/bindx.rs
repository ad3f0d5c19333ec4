//! Safe core of sctp_bindx: one setsockopt(SCTP_SOCKOPT_BINDX_ADD or _REM).

use core::ffi::c_int;

use crate::addrs::PackedAddrs;
use crate::error::{Errno, Result, Sys};
use crate::{sockopt, sys};

/// What sctp_bindx does with the addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// SCTP_BINDX_ADD_ADDR: add them to the socket's bound set.
    Add,
    /// SCTP_BINDX_REM_ADDR: remove them.
    Remove,
}

impl Op {
    /// The socket option that does it.
    #[inline(always)]
    pub fn sockopt(self) -> c_int {
        match self {
            Op::Add => sys::SCTP_SOCKOPT_BINDX_ADD,
            Op::Remove => sys::SCTP_SOCKOPT_BINDX_REM,
        }
    }

    /// `flags` must be exactly SCTP_BINDX_ADD_ADDR or SCTP_BINDX_REM_ADDR: anything else is
    /// EINVAL (before any syscall and before the addresses are read, as lksctp).
    pub fn from_flags(flags: c_int) -> Result<Op> {
        match flags {
            sys::SCTP_BINDX_ADD_ADDR => Ok(Op::Add),
            sys::SCTP_BINDX_REM_ADDR => Ok(Op::Remove),
            _ => Err(Errno::EINVAL),
        }
    }
}

/// Adds or removes the addresses `addrs` to or from the socket's bound set. `None` (a count
/// below one) goes to the kernel as an empty list, which it answers with EINVAL (or
/// EBADF/ENOTSOCK first), as with lksctp. Other errors are the kernel's: EADDRINUSE,
/// EADDRNOTAVAIL, EINVAL (port mismatch, removing the last address), ...
pub fn bindx(fd: c_int, addrs: Option<&PackedAddrs<'_>>, op: Op) -> Result<()> {
    bindx_sys(fd, addrs, op)?.check().map(|_| ())
}

/// [`bindx`]: setsockopt's own return value.
#[inline(always)]
pub fn bindx_sys(fd: c_int, addrs: Option<&PackedAddrs<'_>>, op: Op) -> Result<Sys> {
    Ok(sockopt::set_addrs(fd, op.sockopt(), addrs))
}
