//! Ancillary data (cmsg) for sendmsg, written into a caller-provided buffer that normally lives
//! on the stack.
//!
//! The layout is the kernel's: a `struct cmsghdr` (cmsg_len, cmsg_level, cmsg_type), the data,
//! then padding up to the next `size_t` boundary (CMSG_SPACE). Each cmsg is written as one typed
//! `#[repr(C)]` value, so nothing is zeroed or copied byte by byte; the padding bytes are never
//! read by Rust code, only by the kernel (which skips them).

use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use core::mem::{MaybeUninit, size_of};

use crate::error::{Errno, Result};
use crate::sys::{self, sctp_sndrcvinfo};

const ALIGN: usize = size_of::<usize>();
const HDR: usize = cmsg_align(size_of::<libc::cmsghdr>());

const fn cmsg_align(len: usize) -> usize {
    (len + ALIGN - 1) & !(ALIGN - 1)
}

/// CMSG_LEN: header plus `data_len` bytes of data.
pub const fn cmsg_len(data_len: usize) -> usize {
    HDR + data_len
}

/// CMSG_SPACE: the room one cmsg with `data_len` bytes of data takes in a buffer.
pub const fn cmsg_space(data_len: usize) -> usize {
    HDR + cmsg_align(data_len)
}

/// Room for one SCTP_SNDRCV cmsg (48 bytes on 64-bit targets).
pub const SNDRCV_SPACE: usize = cmsg_space(size_of::<sctp_sndrcvinfo>());
/// Room for one SCTP_DSTADDRV4 cmsg (an in_addr: 24 bytes on 64-bit targets).
pub const DSTADDRV4_SPACE: usize = cmsg_space(4);
/// Room for one SCTP_DSTADDRV6 cmsg (an in6_addr: 32 bytes on 64-bit targets).
pub const DSTADDRV6_SPACE: usize = cmsg_space(16);

/// One cmsg as the kernel lays it out: header, then data (repr(C) puts the data right after the
/// 16-byte header and pads the whole to 8 bytes, which is CMSG_SPACE).
#[repr(C)]
#[derive(Clone, Copy)]
struct Cmsg<T: Copy> {
    hdr: libc::cmsghdr,
    data: T,
}

/// A control buffer for the stack, aligned for `struct cmsghdr`. Nothing is initialised until a
/// [`CmsgWriter`] writes it.
#[repr(C, align(8))]
pub struct CmsgBuf<const N: usize>([MaybeUninit<u8>; N]);

impl<const N: usize> CmsgBuf<N> {
    pub const fn uninit() -> Self {
        CmsgBuf([MaybeUninit::uninit(); N])
    }

    pub fn writer(&mut self) -> CmsgWriter<'_> {
        CmsgWriter::new(&mut self.0)
    }
}

/// Appends cmsgs to a buffer; `control()` is what goes into msg_control/msg_controllen.
pub struct CmsgWriter<'b> {
    base: *mut u8,
    cap: usize,
    used: usize,
    _buf: PhantomData<&'b mut [MaybeUninit<u8>]>,
}

impl<'b> CmsgWriter<'b> {
    /// A writer over `buf` (no alignment required: every write is unaligned-safe).
    pub fn new(buf: &'b mut [MaybeUninit<u8>]) -> Self {
        CmsgWriter {
            base: buf.as_mut_ptr().cast(),
            cap: buf.len(),
            used: 0,
            _buf: PhantomData,
        }
    }

    /// Appends one cmsg whose data is `data`. EINVAL if the buffer has no room (a sizing bug,
    /// never a caller's fault: buffers are sized with `cmsg_space`).
    fn push<T: Copy>(&mut self, level: c_int, ty: c_int, data: T) -> Result<()> {
        const { assert!(size_of::<Cmsg<T>>() == cmsg_space(size_of::<T>())) };
        let space = size_of::<Cmsg<T>>();
        if self.cap - self.used < space {
            return Err(Errno::EINVAL);
        }
        // SAFETY: an all-zero cmsghdr is valid (it has private padding fields on some targets).
        let mut hdr: libc::cmsghdr = unsafe { core::mem::zeroed() };
        hdr.cmsg_len = cmsg_len(size_of::<T>()) as _;
        hdr.cmsg_level = level;
        hdr.cmsg_type = ty;
        // SAFETY: `used + space <= cap`, so the write stays inside the buffer borrowed for 'b;
        // write_unaligned needs no alignment.
        unsafe {
            self.base
                .add(self.used)
                .cast::<Cmsg<T>>()
                .write_unaligned(Cmsg { hdr, data });
        }
        self.used += space;
        Ok(())
    }

    /// Appends an SCTP_SNDRCV cmsg carrying `*sinfo`.
    pub fn sndrcvinfo(&mut self, sinfo: &sctp_sndrcvinfo) -> Result<()> {
        self.push(sys::IPPROTO_SCTP, sys::SCTP_SNDRCV, *sinfo)
    }

    /// Appends an SCTP_DSTADDRV4 cmsg carrying an in_addr (network byte order).
    pub fn dstaddr_v4(&mut self, addr: [u8; 4]) -> Result<()> {
        self.push(sys::IPPROTO_SCTP, sys::SCTP_DSTADDRV4, addr)
    }

    /// Appends an SCTP_DSTADDRV6 cmsg carrying an in6_addr.
    pub fn dstaddr_v6(&mut self, addr: [u8; 16]) -> Result<()> {
        self.push(sys::IPPROTO_SCTP, sys::SCTP_DSTADDRV6, addr)
    }

    /// Appends an SCTP_SNDINFO, SCTP_PRINFO or SCTP_AUTHINFO cmsg (`ty`) carrying `info`.
    pub fn push_info<T: SendInfoStruct>(&mut self, ty: c_int, info: T) -> Result<()> {
        self.push(sys::IPPROTO_SCTP, ty, info)
    }

    /// (msg_control, msg_controllen): NULL and 0 when nothing was written.
    pub fn control(&mut self) -> (*mut c_void, usize) {
        if self.used == 0 {
            (core::ptr::null_mut(), 0)
        } else {
            (self.base.cast(), self.used)
        }
    }
}

/// The kernel structs that travel as sctp_sendv infos.
pub trait SendInfoStruct: Copy {}
impl SendInfoStruct for sys::sctp_sndinfo {}
impl SendInfoStruct for sys::sctp_prinfo {}
impl SendInfoStruct for sys::sctp_authinfo {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_glibc_macros() {
        // SAFETY: CMSG_SPACE/CMSG_LEN are pure arithmetic.
        unsafe {
            assert_eq!(SNDRCV_SPACE, libc::CMSG_SPACE(32) as usize);
            assert_eq!(DSTADDRV4_SPACE, libc::CMSG_SPACE(4) as usize);
            assert_eq!(DSTADDRV6_SPACE, libc::CMSG_SPACE(16) as usize);
            assert_eq!(cmsg_len(32), libc::CMSG_LEN(32) as usize);
        }
        assert_eq!(SNDRCV_SPACE, 48);
    }

    #[test]
    fn layout_is_what_glibc_parses() {
        let mut buf = CmsgBuf::<{ SNDRCV_SPACE + DSTADDRV4_SPACE + DSTADDRV6_SPACE }>::uninit();
        let mut w = buf.writer();
        let s = sctp_sndrcvinfo {
            sinfo_stream: 3,
            sinfo_ssn: 0,
            sinfo_flags: 1,
            sinfo_ppid: 0x11223344,
            sinfo_context: 5,
            sinfo_timetolive: 6,
            sinfo_tsn: 0,
            sinfo_cumtsn: 0,
            sinfo_assoc_id: 42,
        };
        w.sndrcvinfo(&s).unwrap();
        w.dstaddr_v4([127, 0, 0, 2]).unwrap();
        let mut six = [0u8; 16];
        six[15] = 1;
        w.dstaddr_v6(six).unwrap();
        let (ctl, len) = w.control();
        assert_eq!(len, SNDRCV_SPACE + DSTADDRV4_SPACE + DSTADDRV6_SPACE);
        // Walk it with glibc's own macros; they read headers and data, never the padding.
        // SAFETY: msghdr is plain data; the CMSG_* macros stay within `len` bytes of `ctl`,
        // and every header and data byte read below was written by the writer.
        unsafe {
            let mut m: libc::msghdr = core::mem::zeroed();
            m.msg_control = ctl;
            m.msg_controllen = len;
            let c = libc::CMSG_FIRSTHDR(&m);
            assert_eq!((*c).cmsg_level, sys::IPPROTO_SCTP);
            assert_eq!((*c).cmsg_type, sys::SCTP_SNDRCV);
            assert_eq!((*c).cmsg_len, 48);
            let got = libc::CMSG_DATA(c)
                .cast::<sctp_sndrcvinfo>()
                .read_unaligned();
            assert_eq!(got.sinfo_stream, 3);
            assert_eq!(got.sinfo_flags, 1);
            assert_eq!(got.sinfo_ppid, 0x11223344);
            assert_eq!(got.sinfo_assoc_id, 42);
            let c = libc::CMSG_NXTHDR(&m, c);
            assert_eq!((*c).cmsg_type, sys::SCTP_DSTADDRV4);
            assert_eq!((*c).cmsg_len, 20);
            assert_eq!(libc::CMSG_DATA(c).cast::<[u8; 4]>().read(), [127, 0, 0, 2]);
            let c = libc::CMSG_NXTHDR(&m, c);
            assert_eq!((*c).cmsg_type, sys::SCTP_DSTADDRV6);
            assert_eq!((*c).cmsg_len, 32);
            assert_eq!(libc::CMSG_DATA(c).cast::<[u8; 16]>().read(), six);
            assert!(libc::CMSG_NXTHDR(&m, c).is_null());
        }
    }

    #[test]
    fn empty_writer_gives_no_control() {
        let mut buf = CmsgBuf::<48>::uninit();
        let (p, n) = buf.writer().control();
        assert!(p.is_null());
        assert_eq!(n, 0);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let mut buf = CmsgBuf::<30>::uninit();
        let mut w = buf.writer();
        assert_eq!(w.dstaddr_v6([0; 16]), Err(Errno::EINVAL));
        assert!(w.dstaddr_v4([1; 4]).is_ok());
        assert_eq!(w.dstaddr_v4([1; 4]), Err(Errno::EINVAL));
        assert_eq!(w.control().1, 24);
    }
}
