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
pub const IPPROTO_SCTP: c_int = 132;

// Private socket options of the lksctp API (uapi: SCTP_SOCKOPT_*).
pub const SCTP_SOCKOPT_BINDX_ADD: c_int = 100;
pub const SCTP_SOCKOPT_BINDX_REM: c_int = 101;
pub const SCTP_SOCKOPT_PEELOFF: c_int = 102;
pub const SCTP_SOCKOPT_CONNECTX_OLD: c_int = 107;
pub const SCTP_GET_PEER_ADDRS: c_int = 108;
pub const SCTP_GET_LOCAL_ADDRS: c_int = 109;
pub const SCTP_SOCKOPT_CONNECTX: c_int = 110;
pub const SCTP_SOCKOPT_CONNECTX3: c_int = 111;
pub const SCTP_SOCKOPT_PEELOFF_FLAGS: c_int = 122;

// sctp_bindx flags.
pub const SCTP_BINDX_ADD_ADDR: c_int = 0x01;
pub const SCTP_BINDX_REM_ADDR: c_int = 0x02;

// cmsg types (uapi enum sctp_cmsg_t).
pub const SCTP_SNDRCV: c_int = 1;
pub const SCTP_SNDINFO: c_int = 2;
pub const SCTP_RCVINFO: c_int = 3;
pub const SCTP_NXTINFO: c_int = 4;
pub const SCTP_PRINFO: c_int = 5;
pub const SCTP_AUTHINFO: c_int = 6;
pub const SCTP_DSTADDRV4: c_int = 7;
pub const SCTP_DSTADDRV6: c_int = 8;

/// The peeloff flags the kernel honours (SCTP_SOCKOPT_PEELOFF_FLAGS).
pub const PEELOFF_VALID_FLAGS: c_uint = (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as c_uint;

// lksctp <netinet/sctp.h>: sctp_sendv infotype, sendv_flags, sctp_recvv infotype.
pub const SCTP_SENDV_NOINFO: c_uint = 0;
pub const SCTP_SENDV_SNDINFO: c_uint = 1;
pub const SCTP_SENDV_PRINFO: c_uint = 2;
pub const SCTP_SENDV_AUTHINFO: c_uint = 3;
pub const SCTP_SENDV_SPA: c_uint = 4;
pub const SCTP_SEND_SNDINFO_VALID: u32 = 0x1;
pub const SCTP_SEND_PRINFO_VALID: u32 = 0x2;
pub const SCTP_SEND_AUTHINFO_VALID: u32 = 0x4;
pub const SCTP_RECVV_NOINFO: c_uint = 0;
pub const SCTP_RECVV_RCVINFO: c_uint = 1;
pub const SCTP_RECVV_NXTINFO: c_uint = 2;
pub const SCTP_RECVV_RN: c_uint = 3;

/// uapi `sctp_peeloff_arg_t`: in: the association, out: the new descriptor.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct sctp_peeloff_arg_t {
    pub associd: sctp_assoc_t,
    pub sd: c_int,
}

/// uapi `sctp_peeloff_flags_arg_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct sctp_peeloff_flags_arg_t {
    pub p_arg: sctp_peeloff_arg_t,
    pub flags: c_uint,
}

/// uapi `struct sctp_getaddrs_old`: the argument of SCTP_SOCKOPT_CONNECTX3 (`addr_num` holds the
/// byte size of the packed addresses; the kernel writes the association id over `assoc_id`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_getaddrs_old {
    pub assoc_id: sctp_assoc_t,
    pub addr_num: c_int,
    pub addrs: *const libc::sockaddr,
}

/// Header of uapi `struct sctp_getaddrs` (SCTP_GET_PEER_ADDRS/SCTP_GET_LOCAL_ADDRS); the packed
/// addresses follow it.
pub const SCTP_GETADDRS_HDR: usize = 8;

/// lksctp's `struct sctp_sendv_spa`: the infos sctp_sendv sends with SCTP_SENDV_SPA.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sendv_spa {
    pub sendv_flags: u32,
    pub sendv_sndinfo: sctp_sndinfo,
    pub sendv_prinfo: sctp_prinfo,
    pub sendv_authinfo: sctp_authinfo,
}

/// lksctp's `struct sctp_recvv_rn`: what sctp_recvv returns with SCTP_RECVV_RN.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_recvv_rn {
    pub recvv_rcvinfo: sctp_rcvinfo,
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
    pub name: *mut core::ffi::c_void,
    pub namelen: libc::socklen_t,
    pub _pad1: u32,
    pub iov: *mut libc::iovec,
    pub iovlen: usize,
    pub control: *mut core::ffi::c_void,
    pub controllen: usize,
    pub flags: c_int,
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
