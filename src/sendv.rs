//! Safe core of sctp_sendv (RFC 6458 9.12): one sendmsg with the destination addresses and the
//! send infos as cmsgs, built on the stack.

use core::ffi::c_int;

use crate::addrs::{IpBytes, PackedAddrs};
use crate::cmsg::{self, CmsgBuf, CmsgWriter};
use crate::error::{Errno, Result};
use crate::send::{KernelIn, sendmsg_raw};
use crate::sys::{self, sctp_authinfo, sctp_prinfo, sctp_sendv_spa, sctp_sndinfo};

/// The `info` of a send, already validated against `infotype` and `infolen`.
#[derive(Clone, Copy)]
pub enum SendInfo<'a> {
    None,
    Snd(&'a sctp_sndinfo),
    Pr(&'a sctp_prinfo),
    Auth(&'a sctp_authinfo),
    /// Each part only when its SCTP_SEND_*_VALID bit is set.
    Spa(&'a sctp_sendv_spa),
}

/// sctp_sendv keeps the cmsgs of this many addresses on the stack; one allocation beyond.
pub const SENDV_STACK_ADDRS: usize = 16;
const INFO_SPACE: usize = cmsg::cmsg_space(16) + cmsg::cmsg_space(8) + cmsg::cmsg_space(2);
const SENDV_STACK_SPACE: usize = INFO_SPACE + (SENDV_STACK_ADDRS - 1) * cmsg::DSTADDRV6_SPACE;

/// sctp_sendv: sends the iovec array `iov` (raw, only the kernel reads it) to the first of
/// `addrs` (None: no destination, e.g. a one-to-one socket or an id in `info`), with the other
/// addresses as SCTP_DSTADDRV4/V6 cmsgs and `info` as SCTP_SNDINFO/PRINFO/AUTHINFO cmsgs;
/// `flags` goes to sendmsg. Errors are the kernel's (and ENOMEM if the allocation for more than
/// 16 addresses fails).
pub fn sendv(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: Option<&PackedAddrs<'_>>,
    info: SendInfo<'_>,
    flags: c_int,
) -> Result<usize> {
    let count = addrs.map_or(0, |a| a.count());
    if count <= SENDV_STACK_ADDRS {
        let mut buf = CmsgBuf::<SENDV_STACK_SPACE>::uninit();
        sendv_with(fd, iov, addrs, info, flags, buf.writer())
    } else {
        let space = INFO_SPACE + (count - 1) * cmsg::DSTADDRV6_SPACE;
        let mut heap: Vec<u8> = Vec::new();
        heap.try_reserve_exact(space).map_err(|_| Errno::ENOMEM)?;
        sendv_with(
            fd,
            iov,
            addrs,
            info,
            flags,
            CmsgWriter::new(heap.spare_capacity_mut()),
        )
    }
}

fn sendv_with(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: Option<&PackedAddrs<'_>>,
    info: SendInfo<'_>,
    flags: c_int,
    mut w: CmsgWriter<'_>,
) -> Result<usize> {
    let mut name = (core::ptr::null(), 0);
    if let Some(a) = addrs {
        let first = a.first().as_bytes();
        name = (first.as_ptr().cast(), first.len() as libc::socklen_t);
        for extra in a.iter().skip(1) {
            match extra.ip() {
                IpBytes::V4(ip) => w.dstaddr_v4(ip)?,
                IpBytes::V6(ip) => w.dstaddr_v6(ip)?,
            }
        }
    }
    match info {
        SendInfo::None => {}
        SendInfo::Snd(s) => w.push_info(sys::SCTP_SNDINFO, *s)?,
        SendInfo::Pr(p) => w.push_info(sys::SCTP_PRINFO, *p)?,
        SendInfo::Auth(a) => w.push_info(sys::SCTP_AUTHINFO, *a)?,
        SendInfo::Spa(spa) => {
            if spa.sendv_flags & sys::SCTP_SEND_SNDINFO_VALID != 0 {
                w.push_info(sys::SCTP_SNDINFO, spa.sendv_sndinfo)?;
            }
            if spa.sendv_flags & sys::SCTP_SEND_PRINFO_VALID != 0 {
                w.push_info(sys::SCTP_PRINFO, spa.sendv_prinfo)?;
            }
            if spa.sendv_flags & sys::SCTP_SEND_AUTHINFO_VALID != 0 {
                w.push_info(sys::SCTP_AUTHINFO, spa.sendv_authinfo)?;
            }
        }
    }
    sendmsg_raw(fd, KernelIn { name, iov }, w.control(), flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_space_holds_all_three_infos_and_sixteen_v6_addresses() {
        assert_eq!(INFO_SPACE, 32 + 24 + 24);
        assert_eq!(SENDV_STACK_SPACE, 80 + 15 * 32);
    }
}
