//! Kernel uapi pieces (include/uapi/linux/sctp.h) and lksctp types that the libc crate lacks,
//! with compile-time size and offset checks against the x86_64/aarch64 layouts.
//!
//! The kernel structs libc already has (sctp_sndrcvinfo, sctp_sndinfo, sctp_prinfo, ...) are
//! re-exported from libc; in the C header they come from <linux/sctp.h> and are never redefined.

#![allow(non_camel_case_types)]

use core::ffi::{c_int, c_uint};
use core::mem::{offset_of, size_of};

pub use libc::{
    sctp_assoc_t, sctp_authinfo, sctp_nxtinfo, sctp_prinfo, sctp_rcvinfo, sctp_sndinfo,
    sctp_sndrcvinfo,
};

/// Socket level of SCTP options (= IPPROTO_SCTP).
pub const SOL_SCTP: c_int = 132;
/// IP protocol number of SCTP (IPPROTO_SCTP, 132): the cmsg_level of SCTP's ancillary data.
pub const IPPROTO_SCTP: c_int = 132;

// Private socket options of the lksctp API (uapi: SCTP_SOCKOPT_*).
/// uapi SCTP_SOCKOPT_BINDX_ADD (100): setsockopt adding addresses to the bound set.
pub const SCTP_SOCKOPT_BINDX_ADD: c_int = 100;
/// uapi SCTP_SOCKOPT_BINDX_REM (101): setsockopt removing addresses from the bound set.
pub const SCTP_SOCKOPT_BINDX_REM: c_int = 101;
/// uapi SCTP_SOCKOPT_PEELOFF (102): getsockopt peeling an association off (sctp_peeloff).
pub const SCTP_SOCKOPT_PEELOFF: c_int = 102;
/// uapi SCTP_SOCKOPT_CONNECTX_OLD (107): setsockopt of sctp_connectx VERS_1 (no id reported).
pub const SCTP_SOCKOPT_CONNECTX_OLD: c_int = 107;
/// uapi SCTP_GET_PEER_ADDRS (108): getsockopt of the peer addresses (sctp_getpaddrs).
pub const SCTP_GET_PEER_ADDRS: c_int = 108;
/// uapi SCTP_GET_LOCAL_ADDRS (109): getsockopt of the local addresses (sctp_getladdrs).
pub const SCTP_GET_LOCAL_ADDRS: c_int = 109;
/// uapi SCTP_SOCKOPT_CONNECTX (110): setsockopt of sctp_connectx VERS_2 (returns the id).
pub const SCTP_SOCKOPT_CONNECTX: c_int = 110;
/// uapi SCTP_SOCKOPT_CONNECTX3 (111): getsockopt of sctp_connectx VERS_3 ([`sctp_getaddrs_old`]).
pub const SCTP_SOCKOPT_CONNECTX3: c_int = 111;
/// uapi SCTP_SOCKOPT_PEELOFF_FLAGS (122): getsockopt of sctp_peeloff_flags (Linux 4.13+).
pub const SCTP_SOCKOPT_PEELOFF_FLAGS: c_int = 122;

// sctp_bindx flags.
/// uapi SCTP_BINDX_ADD_ADDR (0x01): sctp_bindx adds the addresses.
pub const SCTP_BINDX_ADD_ADDR: c_int = 0x01;
/// uapi SCTP_BINDX_REM_ADDR (0x02): sctp_bindx removes the addresses.
pub const SCTP_BINDX_REM_ADDR: c_int = 0x02;

// cmsg types (uapi enum sctp_cmsg_t).
/// uapi cmsg type SCTP_SNDRCV (1): a struct sctp_sndrcvinfo.
pub const SCTP_SNDRCV: c_int = 1;
/// uapi cmsg type SCTP_SNDINFO (2): a struct sctp_sndinfo.
pub const SCTP_SNDINFO: c_int = 2;
/// uapi cmsg type SCTP_RCVINFO (3): a struct sctp_rcvinfo.
pub const SCTP_RCVINFO: c_int = 3;
/// uapi cmsg type SCTP_NXTINFO (4): a struct sctp_nxtinfo.
pub const SCTP_NXTINFO: c_int = 4;
/// uapi cmsg type SCTP_PRINFO (5): a struct sctp_prinfo.
pub const SCTP_PRINFO: c_int = 5;
/// uapi cmsg type SCTP_AUTHINFO (6): a struct sctp_authinfo.
pub const SCTP_AUTHINFO: c_int = 6;
/// uapi cmsg type SCTP_DSTADDRV4 (7): an IPv4 destination, a struct in_addr.
pub const SCTP_DSTADDRV4: c_int = 7;
/// uapi cmsg type SCTP_DSTADDRV6 (8): an IPv6 destination, a struct in6_addr.
pub const SCTP_DSTADDRV6: c_int = 8;

/// The peeloff flags the kernel honours (SCTP_SOCKOPT_PEELOFF_FLAGS).
pub const PEELOFF_VALID_FLAGS: c_uint = (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as c_uint;

// lksctp <netinet/sctp.h>: sctp_sendv infotype, sendv_flags, sctp_recvv infotype.
/// lksctp SCTP_SENDV_NOINFO (0): sctp_sendv with no info.
pub const SCTP_SENDV_NOINFO: c_uint = 0;
/// lksctp SCTP_SENDV_SNDINFO (1): the sctp_sendv info is a struct sctp_sndinfo.
pub const SCTP_SENDV_SNDINFO: c_uint = 1;
/// lksctp SCTP_SENDV_PRINFO (2): the sctp_sendv info is a struct sctp_prinfo.
pub const SCTP_SENDV_PRINFO: c_uint = 2;
/// lksctp SCTP_SENDV_AUTHINFO (3): the sctp_sendv info is a struct sctp_authinfo.
pub const SCTP_SENDV_AUTHINFO: c_uint = 3;
/// lksctp SCTP_SENDV_SPA (4): the sctp_sendv info is a struct [`sctp_sendv_spa`].
pub const SCTP_SENDV_SPA: c_uint = 4;
/// lksctp SCTP_SEND_SNDINFO_VALID (0x1), a `sendv_flags` bit: `sendv_sndinfo` is sent.
pub const SCTP_SEND_SNDINFO_VALID: u32 = 0x1;
/// lksctp SCTP_SEND_PRINFO_VALID (0x2), a `sendv_flags` bit: `sendv_prinfo` is sent.
pub const SCTP_SEND_PRINFO_VALID: u32 = 0x2;
/// lksctp SCTP_SEND_AUTHINFO_VALID (0x4), a `sendv_flags` bit: `sendv_authinfo` is sent.
pub const SCTP_SEND_AUTHINFO_VALID: u32 = 0x4;
/// lksctp SCTP_RECVV_NOINFO (0): sctp_recvv stored no info.
pub const SCTP_RECVV_NOINFO: c_uint = 0;
/// lksctp SCTP_RECVV_RCVINFO (1): sctp_recvv stored a struct sctp_rcvinfo.
pub const SCTP_RECVV_RCVINFO: c_uint = 1;
/// lksctp SCTP_RECVV_NXTINFO (2): sctp_recvv stored a struct sctp_nxtinfo.
pub const SCTP_RECVV_NXTINFO: c_uint = 2;
/// lksctp SCTP_RECVV_RN (3): sctp_recvv stored a struct [`sctp_recvv_rn`].
pub const SCTP_RECVV_RN: c_uint = 3;

/// uapi `sctp_peeloff_arg_t`: in: the association, out: the new descriptor.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct sctp_peeloff_arg_t {
    /// The association to peel off.
    pub associd: sctp_assoc_t,
    /// The new descriptor, written by the kernel.
    pub sd: c_int,
}

/// uapi `sctp_peeloff_flags_arg_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct sctp_peeloff_flags_arg_t {
    /// The association, and the new descriptor the kernel writes.
    pub p_arg: sctp_peeloff_arg_t,
    /// SOCK_NONBLOCK and SOCK_CLOEXEC bits for the new descriptor.
    pub flags: c_uint,
}

/// uapi `struct sctp_getaddrs_old`: the argument of SCTP_SOCKOPT_CONNECTX3 (`addr_num` holds the
/// byte size of the packed addresses; the kernel writes the association id over `assoc_id`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_getaddrs_old {
    /// Out: the id of the new association (ignored in).
    pub assoc_id: sctp_assoc_t,
    /// Byte size of the packed addresses at `addrs`.
    pub addr_num: c_int,
    /// The packed addresses to connect to.
    pub addrs: *const libc::sockaddr,
}

/// Header of uapi `struct sctp_getaddrs` (SCTP_GET_PEER_ADDRS/SCTP_GET_LOCAL_ADDRS); the packed
/// addresses follow it.
pub const SCTP_GETADDRS_HDR: usize = 8;

/// lksctp's `struct sctp_sendv_spa`: the infos sctp_sendv sends with SCTP_SENDV_SPA.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sendv_spa {
    /// Which of the three infos are sent: SCTP_SEND_*_VALID bits.
    pub sendv_flags: u32,
    /// The struct sctp_sndinfo, sent when SCTP_SEND_SNDINFO_VALID is set.
    pub sendv_sndinfo: sctp_sndinfo,
    /// The struct sctp_prinfo, sent when SCTP_SEND_PRINFO_VALID is set.
    pub sendv_prinfo: sctp_prinfo,
    /// The struct sctp_authinfo, sent when SCTP_SEND_AUTHINFO_VALID is set.
    pub sendv_authinfo: sctp_authinfo,
}

/// lksctp's `struct sctp_recvv_rn`: what sctp_recvv returns with SCTP_RECVV_RN.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_recvv_rn {
    /// The received message's struct sctp_rcvinfo.
    pub recvv_rcvinfo: sctp_rcvinfo,
    /// The struct sctp_nxtinfo of the next message.
    pub recvv_nxtinfo: sctp_nxtinfo,
}

// Layout checks: a mismatch with the kernel's or lksctp's layout fails the build.
const _: () = {
    assert!(size_of::<sctp_sndrcvinfo>() == 32);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_flags) == 4);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_ppid) == 8);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_assoc_id) == 28);
    assert!(size_of::<sctp_sndinfo>() == 16);
    assert!(size_of::<sctp_prinfo>() == 8);
    assert!(size_of::<sctp_authinfo>() == 2);
    assert!(size_of::<sctp_rcvinfo>() == 28);
    assert!(size_of::<sctp_nxtinfo>() == 16);
    assert!(size_of::<sctp_peeloff_arg_t>() == 8);
    assert!(size_of::<sctp_getaddrs_old>() == 8 + size_of::<usize>());
    assert!(size_of::<sctp_peeloff_flags_arg_t>() == 12);
    assert!(offset_of!(sctp_peeloff_flags_arg_t, flags) == 8);
    assert!(size_of::<sctp_sendv_spa>() == 32);
    assert!(offset_of!(sctp_sendv_spa, sendv_sndinfo) == 4);
    assert!(offset_of!(sctp_sendv_spa, sendv_prinfo) == 20);
    assert!(offset_of!(sctp_sendv_spa, sendv_authinfo) == 28);
    assert!(size_of::<sctp_recvv_rn>() == 44);
    assert!(offset_of!(sctp_recvv_rn, recvv_nxtinfo) == 28);
    assert!(size_of::<libc::sockaddr_in>() == 16);
    assert!(size_of::<libc::sockaddr_in6>() == 28);
    assert!(size_of::<sctp_assoc_t>() == 4);
};

/// `struct msghdr` as glibc lays it out on 64-bit Linux, with its two padding words named so
/// that a value built whole has every byte defined (the kernel copies all 56 bytes) in seven
/// stores, not a zeroing and six more. Layout checked against libc::msghdr below.
#[cfg(target_pointer_width = "64")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MsgHdr {
    /// msg_name: the destination (send) or the buffer for the sender's address (receive).
    pub name: *mut core::ffi::c_void,
    /// msg_namelen: its length.
    pub namelen: libc::socklen_t,
    /// Padding after msg_namelen, always 0.
    pub _pad1: u32,
    /// msg_iov: the iovec array.
    pub iov: *mut libc::iovec,
    /// msg_iovlen: its length.
    pub iovlen: usize,
    /// msg_control: the control (cmsg) buffer.
    pub control: *mut core::ffi::c_void,
    /// msg_controllen: its length.
    pub controllen: usize,
    /// msg_flags: 0 here; recvmsg writes the received message's flags.
    pub flags: c_int,
    /// Padding after msg_flags, always 0.
    pub _pad2: u32,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<MsgHdr>() == size_of::<libc::msghdr>());
    assert!(offset_of!(MsgHdr, name) == offset_of!(libc::msghdr, msg_name));
    assert!(offset_of!(MsgHdr, namelen) == offset_of!(libc::msghdr, msg_namelen));
    assert!(offset_of!(MsgHdr, iov) == offset_of!(libc::msghdr, msg_iov));
    assert!(offset_of!(MsgHdr, iovlen) == offset_of!(libc::msghdr, msg_iovlen));
    assert!(offset_of!(MsgHdr, control) == offset_of!(libc::msghdr, msg_control));
    assert!(offset_of!(MsgHdr, controllen) == offset_of!(libc::msghdr, msg_controllen));
    assert!(offset_of!(MsgHdr, flags) == offset_of!(libc::msghdr, msg_flags));
};

#[cfg(target_pointer_width = "64")]
impl MsgHdr {
    /// A message header for sendmsg/recvmsg; msg_flags 0.
    #[inline(always)]
    pub fn new(
        name: (*mut core::ffi::c_void, libc::socklen_t),
        iov: (*const libc::iovec, usize),
        control: (*mut core::ffi::c_void, usize),
    ) -> Self {
        MsgHdr {
            name: name.0,
            namelen: name.1,
            _pad1: 0,
            iov: iov.0.cast_mut(),
            iovlen: iov.1,
            control: control.0,
            controllen: control.1,
            flags: 0,
            _pad2: 0,
        }
    }

    /// The libc view of it.
    pub fn as_ptr(&self) -> *const libc::msghdr {
        (self as *const MsgHdr).cast()
    }

    /// The libc view of it, for recvmsg to fill.
    pub fn as_mut_ptr(&mut self) -> *mut libc::msghdr {
        (self as *mut MsgHdr).cast()
    }
}
