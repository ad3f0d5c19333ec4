//! Safe core of sctp_sendv (RFC 6458 9.12): one sendmsg with the destination addresses and the
//! send infos as cmsgs, built on the stack.

use core::ffi::{c_int, c_uint, c_void};
use core::marker::PhantomData;
use core::mem::{offset_of, size_of};

use crate::addrs::PackedAddrs;
use crate::cmsg::{self, CmsgBuf, CmsgData, CmsgWriter, cmsg_space};
use crate::error::{Errno, Result, Sys};
use crate::send::{KernelIn, sendmsg_sys};
use crate::sys::{self, sctp_authinfo, sctp_prinfo, sctp_sendv_spa, sctp_sndinfo};

/// The `info` of a send, already checked against `infotype` and `infolen`: where its struct is
/// (a C caller's memory at any alignment, or a Rust value), read only when it is packed into
/// its cmsg.
#[derive(Clone, Copy)]
pub enum SendInfo<'a> {
    /// SCTP_SENDV_NOINFO: no info, no cmsg.
    None,
    /// SCTP_SENDV_SNDINFO: a struct sctp_sndinfo, sent as an SCTP_SNDINFO cmsg.
    Snd(*const sctp_sndinfo),
    /// SCTP_SENDV_PRINFO: a struct sctp_prinfo, sent as an SCTP_PRINFO cmsg.
    Pr(*const sctp_prinfo),
    /// SCTP_SENDV_AUTHINFO: a struct sctp_authinfo, sent as an SCTP_AUTHINFO cmsg.
    Auth(*const sctp_authinfo),
    /// Each part only when its SCTP_SEND_*_VALID bit is set.
    Spa(*const sctp_sendv_spa),
    #[doc(hidden)]
    _Lifetime(PhantomData<&'a ()>),
}

impl<'a> SendInfo<'a> {
    /// Checks a C caller's `info` against `infotype` and `infolen` as RFC 6458 9.12 defines
    /// them: SCTP_SENDV_NOINFO with `info` NULL and `infolen` 0; SCTP_SENDV_SNDINFO, PRINFO,
    /// AUTHINFO or SPA with a non-NULL `info` of at least the struct's size (a longer `infolen`
    /// is accepted, the rest ignored). EINVAL otherwise (an unknown type, NOINFO with an info, a
    /// NULL or short info). Nothing is read here.
    ///
    /// # Safety
    /// `info` is NULL or readable for `infolen` bytes, and stays so for `'a`.
    #[inline]
    pub unsafe fn from_raw(
        info: *const c_void,
        infolen: libc::socklen_t,
        infotype: c_uint,
    ) -> Result<SendInfo<'a>> {
        fn fits<T>(info: *const c_void, infolen: libc::socklen_t) -> Result<*const T> {
            if info.is_null() || (infolen as usize) < size_of::<T>() {
                return Err(Errno::EINVAL);
            }
            Ok(info.cast())
        }
        Ok(match infotype {
            sys::SCTP_SENDV_NOINFO if info.is_null() && infolen == 0 => SendInfo::None,
            sys::SCTP_SENDV_SNDINFO => SendInfo::Snd(fits(info, infolen)?),
            sys::SCTP_SENDV_PRINFO => SendInfo::Pr(fits(info, infolen)?),
            sys::SCTP_SENDV_AUTHINFO => SendInfo::Auth(fits(info, infolen)?),
            sys::SCTP_SENDV_SPA => SendInfo::Spa(fits(info, infolen)?),
            _ => return Err(Errno::EINVAL),
        })
    }

    /// An SCTP_SNDINFO from a Rust value.
    pub fn snd(s: &'a sctp_sndinfo) -> Self {
        SendInfo::Snd(s)
    }

    /// An SCTP_PRINFO from a Rust value.
    pub fn pr(p: &'a sctp_prinfo) -> Self {
        SendInfo::Pr(p)
    }

    /// An SCTP_AUTHINFO from a Rust value.
    pub fn auth(a: &'a sctp_authinfo) -> Self {
        SendInfo::Auth(a)
    }

    /// The three infos of a struct sctp_sendv_spa from a Rust value.
    pub fn spa(s: &'a sctp_sendv_spa) -> Self {
        SendInfo::Spa(s)
    }

    /// The control-buffer room its cmsgs take.
    fn space(&self) -> usize {
        match self {
            SendInfo::None | SendInfo::_Lifetime(_) => 0,
            SendInfo::Snd(_) => cmsg_space(16),
            SendInfo::Pr(_) => cmsg_space(8),
            SendInfo::Auth(_) => cmsg_space(2),
            SendInfo::Spa(_) => cmsg::MAX_INFO_SPACE,
        }
    }

    /// Appends its cmsgs.
    #[inline(always)]
    pub(crate) fn push_to(&self, w: &mut CmsgWriter<'_>) -> Result<()> {
        // SAFETY: (every arm) the pointer is readable for its struct (from_raw's contract, or a
        // reference).
        unsafe {
            match *self {
                SendInfo::None | SendInfo::_Lifetime(_) => {}
                SendInfo::Snd(s) => w.push_raw(s)?,
                SendInfo::Pr(p) => w.push_raw(p)?,
                SendInfo::Auth(a) => w.push_raw(a)?,
                SendInfo::Spa(spa) => {
                    let b = spa.cast::<u8>();
                    let flags = b.cast::<u32>().read_unaligned();
                    if flags & sys::SCTP_SEND_SNDINFO_VALID != 0 {
                        w.push_raw(
                            b.add(offset_of!(sctp_sendv_spa, sendv_sndinfo))
                                .cast::<sctp_sndinfo>(),
                        )?;
                    }
                    if flags & sys::SCTP_SEND_PRINFO_VALID != 0 {
                        w.push_raw(
                            b.add(offset_of!(sctp_sendv_spa, sendv_prinfo))
                                .cast::<sctp_prinfo>(),
                        )?;
                    }
                    if flags & sys::SCTP_SEND_AUTHINFO_VALID != 0 {
                        w.push_raw(
                            b.add(offset_of!(sctp_sendv_spa, sendv_authinfo))
                                .cast::<sctp_authinfo>(),
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// sctp_sendv: sends the iovec array `iov` (raw, only the kernel reads it) to the first of
/// `addrs` (None: no destination, e.g. a one-to-one socket or an id in `info`), with the other
/// addresses as SCTP_DSTADDRV4/V6 cmsgs and `info` as SCTP_SNDINFO/PRINFO/AUTHINFO cmsgs;
/// `flags` goes to sendmsg. Returns sendmsg's own result, or Err(ENOMEM) if the allocation for
/// more than 16 addresses fails.
#[inline(always)]
pub fn sendv(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: Option<&PackedAddrs<'_>>,
    info: SendInfo<'_>,
    flags: c_int,
) -> Result<Sys> {
    match addrs {
        None => sendv_one(fd, iov, (core::ptr::null(), 0), info, flags),
        Some(a) if a.count() == 1 => {
            let (p, n) = a.raw();
            sendv_one(fd, iov, (p.cast(), n), info, flags)
        }
        Some(a) => sendv_many(fd, iov, a, info, flags),
    }
}

/// sctp_sendv from a C caller: `info` checked against `infotype` and `infolen` as
/// [`SendInfo::from_raw`] does, then [`sendv`]. With at most one address (the common case)
/// the check and the packing are one match, each kind of info its own straight line of code.
///
/// # Safety
/// `info` is NULL or readable for `infolen` bytes.
#[inline(always)]
pub unsafe fn sendv_c(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: Option<&PackedAddrs<'_>>,
    info: *const c_void,
    infolen: libc::socklen_t,
    infotype: c_uint,
    flags: c_int,
) -> Result<Sys> {
    let name = match addrs {
        None => (core::ptr::null(), 0),
        Some(a) if a.count() == 1 => {
            let (p, n) = a.raw();
            (p.cast(), n)
        }
        Some(a) => {
            // SAFETY: forwarded contract.
            let i = unsafe { SendInfo::from_raw(info, infolen, infotype) }?;
            return sendv_many(fd, iov, a, i, flags);
        }
    };
    let k = KernelIn { name, iov };
    /// One info of type T, checked, packed and sent.
    ///
    /// # Safety
    /// As for sendv_c.
    #[inline(always)]
    unsafe fn one<T: CmsgData>(
        fd: c_int,
        k: KernelIn,
        info: *const c_void,
        infolen: libc::socklen_t,
        flags: c_int,
    ) -> Result<Sys> {
        if info.is_null() || (infolen as usize) < size_of::<T>() {
            return Err(Errno::EINVAL);
        }
        let mut buf = CmsgBuf::<{ cmsg::MAX_INFO_SPACE }>::uninit();
        let mut w = buf.writer();
        // SAFETY: readable for size_of::<T>() bytes (checked, and the contract); the buffer
        // has room for any one info, so the push cannot fail.
        let _ = unsafe { w.push_raw(info.cast::<T>()) };
        Ok(sendmsg_sys(fd, k, w.control(), flags))
    }
    // SAFETY: (every arm) forwarded contract.
    unsafe {
        match infotype {
            sys::SCTP_SENDV_NOINFO if info.is_null() && infolen == 0 => {
                Ok(sendmsg_sys(fd, k, (core::ptr::null_mut(), 0), flags))
            }
            sys::SCTP_SENDV_SNDINFO => one::<sctp_sndinfo>(fd, k, info, infolen, flags),
            sys::SCTP_SENDV_PRINFO => one::<sctp_prinfo>(fd, k, info, infolen, flags),
            sys::SCTP_SENDV_AUTHINFO => one::<sctp_authinfo>(fd, k, info, infolen, flags),
            sys::SCTP_SENDV_SPA => {
                let i = SendInfo::from_raw(info, infolen, infotype)?;
                sendv_one(fd, iov, name, i, flags)
            }
            _ => Err(Errno::EINVAL),
        }
    }
}

/// No destination cmsg: room for the infos alone, on the stack; each kind of info packed by
/// its own straight line of code.
#[inline(always)]
fn sendv_one(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    name: (*const c_void, libc::socklen_t),
    info: SendInfo<'_>,
    flags: c_int,
) -> Result<Sys> {
    let k = KernelIn { name, iov };
    let mut buf = CmsgBuf::<{ cmsg::MAX_INFO_SPACE }>::uninit();
    let mut w = buf.writer();
    // SAFETY: (every arm) the pointer is readable for its struct (from_raw's contract, or a
    // reference); the buffer has room for any one info, so a single push cannot fail.
    unsafe {
        match info {
            SendInfo::None | SendInfo::_Lifetime(_) => {}
            SendInfo::Snd(p) => {
                let _ = w.push_raw(p);
            }
            SendInfo::Pr(p) => {
                let _ = w.push_raw(p);
            }
            SendInfo::Auth(p) => {
                let _ = w.push_raw(p);
            }
            SendInfo::Spa(_) => info.push_to(&mut w)?,
        }
    }
    Ok(sendmsg_sys(fd, k, w.control(), flags))
}

/// Several addresses: the first in msg_name, the others as destination cmsgs.
#[inline(never)]
fn sendv_many(
    fd: c_int,
    iov: (*const libc::iovec, usize),
    addrs: &PackedAddrs<'_>,
    info: SendInfo<'_>,
    flags: c_int,
) -> Result<Sys> {
    let first = addrs.first().as_bytes();
    let name = (first.as_ptr().cast(), first.len() as libc::socklen_t);
    cmsg::with_dstaddrs(Some(addrs), info.space(), |mut w| {
        info.push_to(&mut w)?;
        Ok(sendmsg_sys(fd, KernelIn { name, iov }, w.control(), flags))
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
            unsafe { SendInfo::from_raw(raw.as_ptr().add(1).cast(), 16, sys::SCTP_SENDV_SNDINFO) };
        let mut buf = CmsgBuf::<{ cmsg::MAX_INFO_SPACE }>::uninit();
        let mut w = buf.writer();
        got.unwrap().push_to(&mut w).unwrap();
        let (p, n) = w.control();
        assert_eq!(n, 32);
        // SAFETY: the writer initialised the 32 bytes; the data follows the 16-byte header.
        let g = unsafe {
            p.cast::<u8>()
                .add(16)
                .cast::<sctp_sndinfo>()
                .read_unaligned()
        };
        assert_eq!((g.snd_sid, g.snd_ppid, g.snd_assoc_id), (7, 0x01020304, 11));
    }

    #[test]
    fn inconsistent_info_is_einval() {
        let b = [0u8; 32];
        let p = b.as_ptr().cast();
        // SAFETY: `b` is readable for 32 bytes; NULL is never read.
        unsafe {
            assert!(SendInfo::from_raw(core::ptr::null(), 0, sys::SCTP_SENDV_NOINFO).is_ok());
            assert!(SendInfo::from_raw(p, 16, sys::SCTP_SENDV_NOINFO).is_err());
            assert!(SendInfo::from_raw(core::ptr::null(), 16, sys::SCTP_SENDV_SNDINFO).is_err());
            assert!(SendInfo::from_raw(p, 15, sys::SCTP_SENDV_SNDINFO).is_err());
            assert!(SendInfo::from_raw(p, 32, sys::SCTP_SENDV_SNDINFO).is_ok());
            assert!(SendInfo::from_raw(p, 7, sys::SCTP_SENDV_PRINFO).is_err());
            assert!(SendInfo::from_raw(p, 1, sys::SCTP_SENDV_AUTHINFO).is_err());
            assert!(SendInfo::from_raw(p, 31, sys::SCTP_SENDV_SPA).is_err());
            assert!(SendInfo::from_raw(p, 32, 99).is_err());
        }
    }
}
