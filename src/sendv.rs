//! Safe core of sctp_sendv (RFC 6458 9.12): one sendmsg with the destination addresses and the
//! send infos as cmsgs, built on the stack.

use core::ffi::{c_int, c_uint, c_void};
use core::mem::size_of;

use crate::addrs::PackedAddrs;
use crate::cmsg::{self, cmsg_space};
use crate::error::{Errno, Result};
use crate::send::{KernelIn, sendmsg_raw};
use crate::sys::{self, sctp_authinfo, sctp_prinfo, sctp_sendv_spa, sctp_sndinfo};

/// The `info` of a send, already validated against `infotype` and `infolen`.
#[derive(Clone, Copy)]
pub enum SendInfo {
    None,
    Snd(sctp_sndinfo),
    Pr(sctp_prinfo),
    Auth(sctp_authinfo),
    /// Each part only when its SCTP_SEND_*_VALID bit is set.
    Spa(sctp_sendv_spa),
}

impl SendInfo {
    /// Reads a C caller's `info` by copy, checked against `infotype` and `infolen` as RFC 6458
    /// 9.12 defines them: SCTP_SENDV_NOINFO with `info` NULL and `infolen` 0; SCTP_SENDV_SNDINFO,
    /// PRINFO, AUTHINFO or SPA with a non-NULL `info` of at least the struct's size (a longer
    /// `infolen` is accepted, the rest ignored). EINVAL otherwise (an unknown type, NOINFO with an
    /// info, a NULL or short info). Nothing is read when the check fails.
    ///
    /// # Safety
    /// `info` is NULL or readable for `infolen` bytes (no alignment required).
    pub unsafe fn read(
        info: *const c_void,
        infolen: libc::socklen_t,
        infotype: c_uint,
    ) -> Result<Self> {
        /// # Safety
        /// As for `read`.
        unsafe fn get<T: Copy>(info: *const c_void, infolen: libc::socklen_t) -> Result<T> {
            if info.is_null() || (infolen as usize) < size_of::<T>() {
                return Err(Errno::EINVAL);
            }
            // SAFETY: readable for infolen >= size_of::<T>() bytes per the contract; T is a
            // plain-data kernel struct; read_unaligned copies it whatever the alignment.
            Ok(unsafe { info.cast::<T>().read_unaligned() })
        }
        // SAFETY: forwarded contract (every arm reads `info` through `get`).
        unsafe {
            Ok(match infotype {
                sys::SCTP_SENDV_NOINFO if info.is_null() && infolen == 0 => SendInfo::None,
                sys::SCTP_SENDV_SNDINFO => SendInfo::Snd(get(info, infolen)?),
                sys::SCTP_SENDV_PRINFO => SendInfo::Pr(get(info, infolen)?),
                sys::SCTP_SENDV_AUTHINFO => SendInfo::Auth(get(info, infolen)?),
                sys::SCTP_SENDV_SPA => SendInfo::Spa(get(info, infolen)?),
                _ => return Err(Errno::EINVAL),
            })
        }
    }

    /// The control-buffer room its cmsgs take.
    fn space(&self) -> usize {
        match self {
            SendInfo::None => 0,
            SendInfo::Snd(_) => cmsg_space(16),
            SendInfo::Pr(_) => cmsg_space(8),
            SendInfo::Auth(_) => cmsg_space(2),
            SendInfo::Spa(_) => cmsg::MAX_INFO_SPACE,
        }
    }
}

/// sctp_sendv: sends the iovec array `iov` (raw, only the kernel reads it) to the first of
/// `addrs` (None: no destination, e.g. a one-to-one socket or an id in `info`), with the other
/// addresses as SCTP_DSTADDRV4/V6 cmsgs and `info` as SCTP_SNDINFO/PRINFO/AUTHINFO cmsgs;
/// `flags` goes to sendmsg. Errors are the kernel's (and ENOMEM if the allocation for more than
/// 16 addresses fails).
pub fn sendv(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: Option<&PackedAddrs<'_>>,
    info: &SendInfo,
    flags: c_int,
) -> Result<usize> {
    cmsg::with_dstaddrs(addrs, info.space(), |mut w| {
        match info {
            SendInfo::None => {}
            SendInfo::Snd(s) => w.push(s)?,
            SendInfo::Pr(p) => w.push(p)?,
            SendInfo::Auth(a) => w.push(a)?,
            SendInfo::Spa(spa) => {
                if spa.sendv_flags & sys::SCTP_SEND_SNDINFO_VALID != 0 {
                    w.push(&spa.sendv_sndinfo)?;
                }
                if spa.sendv_flags & sys::SCTP_SEND_PRINFO_VALID != 0 {
                    w.push(&spa.sendv_prinfo)?;
                }
                if spa.sendv_flags & sys::SCTP_SEND_AUTHINFO_VALID != 0 {
                    w.push(&spa.sendv_authinfo)?;
                }
            }
        }
        let name = addrs.map_or((core::ptr::null(), 0), |a| {
            let first = a.first().as_bytes();
            (first.as_ptr().cast(), first.len() as libc::socklen_t)
        });
        sendmsg_raw(fd, KernelIn { name, iov }, w.control(), flags)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_is_read_by_copy_whatever_its_alignment() {
        let mut raw = [0u8; 1 + 16];
        let s = sctp_sndinfo {
            snd_sid: 7,
            snd_flags: 1,
            snd_ppid: 0x01020304,
            snd_context: 9,
            snd_assoc_id: 11,
        };
        // SAFETY: 16 bytes at offset 1 of a 17-byte buffer; unaligned write.
        unsafe {
            raw.as_mut_ptr()
                .add(1)
                .cast::<sctp_sndinfo>()
                .write_unaligned(s)
        };
        // SAFETY: readable for 16 bytes at offset 1.
        let got =
            unsafe { SendInfo::read(raw.as_ptr().add(1).cast(), 16, sys::SCTP_SENDV_SNDINFO) };
        match got {
            Ok(SendInfo::Snd(g)) => {
                assert_eq!((g.snd_sid, g.snd_ppid, g.snd_assoc_id), (7, 0x01020304, 11))
            }
            _ => panic!("not read"),
        }
    }

    #[test]
    fn inconsistent_info_is_einval() {
        let b = [0u8; 32];
        let p = b.as_ptr().cast();
        // SAFETY: `b` is readable for 32 bytes; NULL is never read.
        unsafe {
            assert!(SendInfo::read(core::ptr::null(), 0, sys::SCTP_SENDV_NOINFO).is_ok());
            assert!(SendInfo::read(p, 16, sys::SCTP_SENDV_NOINFO).is_err());
            assert!(SendInfo::read(core::ptr::null(), 16, sys::SCTP_SENDV_SNDINFO).is_err());
            assert!(SendInfo::read(p, 15, sys::SCTP_SENDV_SNDINFO).is_err());
            assert!(SendInfo::read(p, 32, sys::SCTP_SENDV_SNDINFO).is_ok());
            assert!(SendInfo::read(p, 7, sys::SCTP_SENDV_PRINFO).is_err());
            assert!(SendInfo::read(p, 1, sys::SCTP_SENDV_AUTHINFO).is_err());
            assert!(SendInfo::read(p, 31, sys::SCTP_SENDV_SPA).is_err());
            assert!(SendInfo::read(p, 32, 99).is_err());
        }
    }
}
