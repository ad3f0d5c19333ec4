//! Ancillary data (cmsg) written into a caller-provided buffer, normally on the stack.
//!
//! The layout is the kernel's: a `struct cmsghdr` (cmsg_len, cmsg_level, cmsg_type), the data,
//! then padding to the next `size_t` boundary (CMSG_SPACE). Fields are serialised one by one, so
//! no struct padding byte of a caller's struct is ever read.

use core::ffi::c_int;
use core::mem::size_of;

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

/// A control buffer aligned for `struct cmsghdr`, to live on the stack.
#[repr(C, align(8))]
pub struct CmsgBuf<const N: usize>(pub [u8; N]);

impl<const N: usize> CmsgBuf<N> {
    pub const fn new() -> Self {
        CmsgBuf([0; N])
    }
}

impl<const N: usize> Default for CmsgBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Appends cmsgs to a buffer; `written()` is what goes into msg_control/msg_controllen.
pub struct CmsgWriter<'b> {
    buf: &'b mut [u8],
    used: usize,
}

impl<'b> CmsgWriter<'b> {
    pub fn new(buf: &'b mut [u8]) -> Self {
        CmsgWriter { buf, used: 0 }
    }

    /// Appends one cmsg. EINVAL if the buffer has no room (a sizing bug, never a caller's fault;
    /// the callers size their buffers with `cmsg_space`).
    pub fn push(&mut self, level: c_int, ty: c_int, data: &[u8]) -> Result<()> {
        let space = cmsg_space(data.len());
        let end = self.used.checked_add(space).ok_or(Errno::EINVAL)?;
        let slot = self.buf.get_mut(self.used..end).ok_or(Errno::EINVAL)?;
        let (hdr, rest) = slot.split_at_mut(HDR);
        let len_field = size_of::<usize>();
        hdr[..len_field].copy_from_slice(&cmsg_len(data.len()).to_ne_bytes());
        hdr[len_field..len_field + 4].copy_from_slice(&level.to_ne_bytes());
        hdr[len_field + 4..len_field + 8].copy_from_slice(&ty.to_ne_bytes());
        let (payload, pad) = rest.split_at_mut(data.len());
        payload.copy_from_slice(data);
        pad.fill(0);
        self.used = end;
        Ok(())
    }

    /// Appends an SCTP_SNDRCV cmsg carrying `sinfo`.
    pub fn push_sndrcvinfo(&mut self, sinfo: &sctp_sndrcvinfo) -> Result<()> {
        self.push(
            sys::IPPROTO_SCTP,
            sys::SCTP_SNDRCV,
            &sndrcvinfo_bytes(sinfo),
        )
    }

    /// The bytes written so far.
    pub fn written(&mut self) -> &mut [u8] {
        &mut self.buf[..self.used]
    }
}

/// `struct sctp_sndrcvinfo` in the kernel's layout, padding zeroed.
pub fn sndrcvinfo_bytes(s: &sctp_sndrcvinfo) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[0..2].copy_from_slice(&s.sinfo_stream.to_ne_bytes());
    b[2..4].copy_from_slice(&s.sinfo_ssn.to_ne_bytes());
    b[4..6].copy_from_slice(&s.sinfo_flags.to_ne_bytes());
    b[8..12].copy_from_slice(&s.sinfo_ppid.to_ne_bytes());
    b[12..16].copy_from_slice(&s.sinfo_context.to_ne_bytes());
    b[16..20].copy_from_slice(&s.sinfo_timetolive.to_ne_bytes());
    b[20..24].copy_from_slice(&s.sinfo_tsn.to_ne_bytes());
    b[24..28].copy_from_slice(&s.sinfo_cumtsn.to_ne_bytes());
    b[28..32].copy_from_slice(&s.sinfo_assoc_id.to_ne_bytes());
    b
}

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
        let mut buf = CmsgBuf::<{ SNDRCV_SPACE + DSTADDRV4_SPACE }>::new();
        let mut w = CmsgWriter::new(&mut buf.0);
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
        w.push_sndrcvinfo(&s).unwrap();
        w.push(sys::IPPROTO_SCTP, sys::SCTP_DSTADDRV4, &[127, 0, 0, 2])
            .unwrap();
        let used = w.written().len();
        assert_eq!(used, SNDRCV_SPACE + DSTADDRV4_SPACE);
        // Walk it with glibc's own macros.
        // SAFETY: msghdr is plain data; the CMSG_* macros only read inside `buf`, whose length
        // is given in msg_controllen, and each header they return lies inside it.
        unsafe {
            let mut m: libc::msghdr = core::mem::zeroed();
            m.msg_control = buf.0.as_mut_ptr().cast();
            m.msg_controllen = used;
            let c = libc::CMSG_FIRSTHDR(&m);
            assert_eq!((*c).cmsg_level, sys::IPPROTO_SCTP);
            assert_eq!((*c).cmsg_type, sys::SCTP_SNDRCV);
            assert_eq!((*c).cmsg_len, 48);
            let got = libc::CMSG_DATA(c)
                .cast::<sctp_sndrcvinfo>()
                .read_unaligned();
            assert_eq!(got.sinfo_stream, 3);
            assert_eq!(got.sinfo_ppid, 0x11223344);
            assert_eq!(got.sinfo_assoc_id, 42);
            let c = libc::CMSG_NXTHDR(&m, c);
            assert_eq!((*c).cmsg_type, sys::SCTP_DSTADDRV4);
            assert_eq!((*c).cmsg_len, 20);
            assert_eq!(*libc::CMSG_DATA(c).add(3), 2);
            assert!(libc::CMSG_NXTHDR(&m, c).is_null());
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let mut buf = CmsgBuf::<24>::new();
        let mut w = CmsgWriter::new(&mut buf.0);
        assert_eq!(w.push(0, 0, &[0u8; 16]), Err(Errno::EINVAL));
        assert!(w.push(0, 0, &[1u8; 4]).is_ok());
        assert_eq!(w.push(0, 0, &[1u8; 1]), Err(Errno::EINVAL));
    }
}
