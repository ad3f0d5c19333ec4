//! Ancillary data (cmsg) for sendmsg, written into a buffer that normally lives on the stack.
//!
//! The layout is the kernel's: a `struct cmsghdr` (cmsg_len, cmsg_level, cmsg_type), the data,
//! then padding up to the next `size_t` boundary (CMSG_SPACE). The kernel copies the whole
//! `msg_controllen` bytes, padding included, so every one of them is written here: the header
//! fields, the data as bytes (each struct is serialised field by field, its interior padding as
//! zeros, never copied from a Rust value whose padding is undefined), and the tail padding as
//! zeros. Nothing else of the buffer is touched: the stores are exactly the bytes the message
//! uses.

use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use core::mem::{MaybeUninit, size_of};

use crate::addrs::{IpBytes, PackedAddrs};
use crate::error::{Errno, Result};
use crate::sys::{self, sctp_authinfo, sctp_prinfo, sctp_sndinfo, sctp_sndrcvinfo};

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

/// The bytes of the `struct cmsghdr` of an SCTP-level cmsg with `data_len` bytes of `kind`:
/// cmsg_len, cmsg_level, cmsg_type. A constant for each call site, written with one copy.
// Only evaluated at compile time (in `const` blocks): an index out of range is a build error.
#[allow(clippy::indexing_slicing)]
const fn header(data_len: usize, kind: c_int) -> [u8; HDR] {
    let mut h = [0u8; HDR];
    let len = cmsg_len(data_len).to_ne_bytes();
    let level = sys::IPPROTO_SCTP.to_ne_bytes();
    let kind = kind.to_ne_bytes();
    let mut i = 0;
    while i < ALIGN {
        h[i] = len[i];
        i += 1;
    }
    let mut j = 0;
    while j < 4 {
        h[ALIGN + j] = level[j];
        h[ALIGN + 4 + j] = kind[j];
        j += 1;
    }
    h
}

/// Data that travels in a cmsg: the kernel struct's bytes, copied as they are (from a C
/// caller's memory at any alignment, or from a Rust value), with its padding bytes then written
/// as zeros, so that every byte handed to the kernel is defined.
///
/// # Safety
/// Implementors are `#[repr(C)]` plain data of exactly `LEN` bytes, and `PADDING` lists every
/// byte range of them that is not part of a field.
pub unsafe trait CmsgData {
    /// The cmsg_type.
    const TYPE: c_int;
    /// Bytes of data (the struct's size).
    const LEN: usize;
    /// The (start, length) of each padding range inside the struct.
    const PADDING: &'static [(usize, usize)];

    /// Writes the `LEN` bytes of `*src` at `dst`, padding zeroed.
    ///
    /// # Safety
    /// `src` is readable and `dst` writable for `LEN` bytes; no alignment needed.
    #[inline(always)]
    unsafe fn write(src: *const Self, dst: *mut u8) {
        // SAFETY: per the contract; an untyped copy, so padding bytes of a Rust value travel
        // as they are until overwritten just below.
        unsafe {
            dst.copy_from_nonoverlapping(src.cast::<u8>(), Self::LEN);
            for &(at, n) in Self::PADDING {
                dst.add(at).write_bytes(0, n);
            }
        }
    }
}

// SAFETY: the uapi layout, checked in sys.rs: bytes 6..8 (after sinfo_flags) are the only
// padding.
unsafe impl CmsgData for sctp_sndrcvinfo {
    const TYPE: c_int = sys::SCTP_SNDRCV;
    const LEN: usize = 32;
    const PADDING: &'static [(usize, usize)] = &[(6, 2)];
}

/// A `struct sctp_sndrcvinfo` built as the eight 32-bit words of its layout (no padding byte
/// left to zero): what sctp_sendmsg sends, written straight from its arguments.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub struct SndRcvWords(pub [u32; 8]);

impl SndRcvWords {
    /// The info of sctp_sendmsg: stream, flags (in their 16-bit field), ppid, context and
    /// timetolive; ssn, tsn, cumtsn, the association id and the padding zero.
    #[inline(always)]
    pub fn new(stream: u16, flags: u16, ppid: u32, context: u32, timetolive: u32) -> Self {
        // sinfo_stream then sinfo_ssn; sinfo_flags then two bytes of padding: each pair is one
        // word, the first field at the lower address whatever the byte order.
        let pair = |lo: u16| {
            let [a, b] = lo.to_ne_bytes();
            u32::from_ne_bytes([a, b, 0, 0])
        };
        SndRcvWords([
            pair(stream),
            pair(flags),
            ppid,
            context,
            timetolive,
            0,
            0,
            0,
        ])
    }
}

// SAFETY: eight u32 words, no padding, laid out as the uapi struct sctp_sndrcvinfo (stream and
// ssn in word 0, flags and padding in word 1, then ppid, context, timetolive, tsn, cumtsn,
// assoc_id: checked below).
unsafe impl CmsgData for SndRcvWords {
    const TYPE: c_int = sys::SCTP_SNDRCV;
    const LEN: usize = 32;
    const PADDING: &'static [(usize, usize)] = &[];
}

const _: () = {
    use core::mem::offset_of;
    assert!(size_of::<SndRcvWords>() == size_of::<sctp_sndrcvinfo>());
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_flags) == 4);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_context) == 12);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_timetolive) == 16);
    assert!(offset_of!(sctp_sndrcvinfo, sinfo_assoc_id) == 28);
};

// SAFETY: u16, u16, u32, u32, i32: no padding.
unsafe impl CmsgData for sctp_sndinfo {
    const TYPE: c_int = sys::SCTP_SNDINFO;
    const LEN: usize = 16;
    const PADDING: &'static [(usize, usize)] = &[];
}

// SAFETY: u16 then u32: bytes 2..4 are padding.
unsafe impl CmsgData for sctp_prinfo {
    const TYPE: c_int = sys::SCTP_PRINFO;
    const LEN: usize = 8;
    const PADDING: &'static [(usize, usize)] = &[(2, 2)];
}

// SAFETY: one u16.
unsafe impl CmsgData for sctp_authinfo {
    const TYPE: c_int = sys::SCTP_AUTHINFO;
    const LEN: usize = 2;
    const PADDING: &'static [(usize, usize)] = &[];
}

/// An IPv4 destination (SCTP_DSTADDRV4): an in_addr, network byte order.
#[derive(Clone, Copy, Debug)]
#[repr(transparent)]
pub struct DstAddrV4(pub [u8; 4]);

// SAFETY: four bytes.
unsafe impl CmsgData for DstAddrV4 {
    const TYPE: c_int = sys::SCTP_DSTADDRV4;
    const LEN: usize = 4;
    const PADDING: &'static [(usize, usize)] = &[];
}

/// An IPv6 destination (SCTP_DSTADDRV6): an in6_addr.
#[derive(Clone, Copy, Debug)]
#[repr(transparent)]
pub struct DstAddrV6(pub [u8; 16]);

// SAFETY: sixteen bytes.
unsafe impl CmsgData for DstAddrV6 {
    const TYPE: c_int = sys::SCTP_DSTADDRV6;
    const LEN: usize = 16;
    const PADDING: &'static [(usize, usize)] = &[];
}

const _: () = {
    assert!(size_of::<sctp_sndrcvinfo>() == <sctp_sndrcvinfo as CmsgData>::LEN);
    assert!(size_of::<sctp_sndinfo>() == <sctp_sndinfo as CmsgData>::LEN);
    assert!(size_of::<sctp_prinfo>() == <sctp_prinfo as CmsgData>::LEN);
    assert!(size_of::<sctp_authinfo>() == <sctp_authinfo as CmsgData>::LEN);
    assert!(core::mem::offset_of!(sctp_prinfo, pr_value) == 4);
    assert!(core::mem::offset_of!(sctp_sndrcvinfo, sinfo_ppid) == 8);
};

/// A control buffer for the stack, aligned for `struct cmsghdr`. Nothing is initialised until a
/// [`CmsgWriter`] writes it.
#[repr(C, align(8))]
pub struct CmsgBuf<const N: usize>([MaybeUninit<u8>; N]);

impl<const N: usize> CmsgBuf<N> {
    /// A buffer with nothing initialised.
    pub const fn uninit() -> Self {
        CmsgBuf([MaybeUninit::uninit(); N])
    }

    /// A [`CmsgWriter`] that appends cmsgs from the start of this buffer.
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

    /// Appends one SCTP-level cmsg carrying `*data`: header, the data bytes (padding zeroed),
    /// zeroed tail padding. EINVAL if the buffer has no room (a sizing bug, never a caller's
    /// fault: buffers are sized with `cmsg_space`).
    ///
    /// # Safety
    /// `data` is readable for `size_of::<T>()` bytes (any alignment).
    #[inline(always)]
    pub unsafe fn push_raw<T: CmsgData>(&mut self, data: *const T) -> Result<()> {
        let space = cmsg_space(T::LEN);
        if self.cap - self.used < space {
            return Err(Errno::EINVAL);
        }
        // SAFETY: `used + space <= cap`, so every write below stays inside the buffer borrowed
        // for 'b: the header (HDR bytes: cmsg_len at 0, cmsg_level and cmsg_type after it, no
        // padding in glibc's cmsghdr on Linux), LEN data bytes, and space - HDR - LEN zero
        // bytes; `data` is readable per the contract. Unaligned writes need no alignment. On
        // x86_64 the header is one 16-byte unaligned SSE2 load of the constant and one store
        // (HDR is 16 there, asserted below; SSE2 is part of the x86_64 baseline): the compiler
        // otherwise builds it in general registers, which the send paths need for arguments.
        unsafe {
            let p = self.base.add(self.used);
            #[cfg(target_arch = "x86_64")]
            {
                use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};
                const { assert!(HDR == size_of::<__m128i>()) };
                let h = const { header(T::LEN, T::TYPE) };
                _mm_storeu_si128(p.cast::<__m128i>(), _mm_loadu_si128(h.as_ptr().cast()));
            }
            #[cfg(not(target_arch = "x86_64"))]
            p.cast::<[u8; HDR]>()
                .write_unaligned(const { header(T::LEN, T::TYPE) });
            T::write(data, p.add(HDR));
            p.add(HDR + T::LEN).write_bytes(0, space - HDR - T::LEN);
        }
        self.used += space;
        Ok(())
    }

    /// [`push_raw`](Self::push_raw) from a Rust value.
    #[inline(always)]
    pub fn push<T: CmsgData>(&mut self, data: &T) -> Result<()> {
        // SAFETY: a reference is readable for the value's size.
        unsafe { self.push_raw(data) }
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

/// The control buffer of a send holds up to this many destination addresses on the stack (the
/// first travels in msg_name, the others as SCTP_DSTADDRV4/V6 cmsgs); beyond it the buffer is
/// allocated once.
pub const STACK_ADDRS: usize = 16;
/// The most room the send infos take: SCTP_SNDINFO, SCTP_PRINFO and SCTP_AUTHINFO together
/// (sctp_sendv with SCTP_SENDV_SPA), more than one SCTP_SNDRCV.
pub const MAX_INFO_SPACE: usize = cmsg_space(16) + cmsg_space(8) + cmsg_space(2);
const STACK_SPACE: usize = MAX_INFO_SPACE + (STACK_ADDRS - 1) * DSTADDRV6_SPACE;

/// Runs `f` with a writer whose buffer has room for `info_space` bytes of send infos
/// (at most [`MAX_INFO_SPACE`]) and the destination cmsgs of `addrs` beyond the first, which
/// are already written into it: the caller appends its infos and sends. The buffer lives on the
/// stack up to [`STACK_ADDRS`] addresses; beyond, one heap allocation of exactly the room needed
/// (ENOMEM if it fails).
pub fn with_dstaddrs<R>(
    addrs: Option<&PackedAddrs<'_>>,
    info_space: usize,
    f: impl FnOnce(CmsgWriter<'_>) -> Result<R>,
) -> Result<R> {
    let count = addrs.map_or(0, |a| a.count());
    if count <= STACK_ADDRS && info_space <= MAX_INFO_SPACE {
        let mut buf = CmsgBuf::<STACK_SPACE>::uninit();
        let mut w = buf.writer();
        push_dstaddrs(&mut w, addrs)?;
        f(w)
    } else {
        let extra: usize = addrs.map_or(0, |a| {
            a.iter()
                .skip(1)
                .map(|x| match x.ip() {
                    IpBytes::V4(_) => DSTADDRV4_SPACE,
                    IpBytes::V6(_) => DSTADDRV6_SPACE,
                })
                .sum()
        });
        let mut heap: Vec<u8> = Vec::new();
        heap.try_reserve_exact(info_space + extra)
            .map_err(|_| Errno::ENOMEM)?;
        let mut w = CmsgWriter::new(heap.spare_capacity_mut());
        push_dstaddrs(&mut w, addrs)?;
        f(w)
    }
}

/// Appends the addresses after the first as SCTP_DSTADDRV4/SCTP_DSTADDRV6 cmsgs, each copied
/// straight from the caller's packed bytes into the buffer.
fn push_dstaddrs(w: &mut CmsgWriter<'_>, addrs: Option<&PackedAddrs<'_>>) -> Result<()> {
    let Some(a) = addrs else { return Ok(()) };
    let mut rest = a.as_bytes();
    let mut first = true;
    while let Some((v6, one, tail)) = next_addr(rest) {
        if !first {
            // SAFETY: `one` is a whole sockaddr_in6 (sockaddr_in), so its sin6_addr (sin_addr),
            // 16 (4) bytes, lies inside it; push_raw copies them, at any alignment.
            unsafe {
                if v6 {
                    w.push_raw(one.as_ptr().add(SIN6_ADDR).cast::<DstAddrV6>())?;
                } else {
                    w.push_raw(one.as_ptr().add(SIN_ADDR).cast::<DstAddrV4>())?;
                }
            }
        }
        first = false;
        rest = tail;
    }
    Ok(())
}

const SIN_ADDR: usize = core::mem::offset_of!(libc::sockaddr_in, sin_addr);
const SIN6_ADDR: usize = core::mem::offset_of!(libc::sockaddr_in6, sin6_addr);

/// The packed address at the start of `rest`: whether it is AF_INET6, its bytes, and what
/// follows. None at the end (a [`PackedAddrs`] holds only AF_INET and AF_INET6 addresses,
/// whole).
#[inline(always)]
fn next_addr(rest: &[u8]) -> Option<(bool, &[u8], &[u8])> {
    let &[a, b, ..] = rest else { return None };
    let v6 = c_int::from(u16::from_ne_bytes([a, b])) == libc::AF_INET6;
    let len = if v6 {
        size_of::<libc::sockaddr_in6>()
    } else {
        size_of::<libc::sockaddr_in>()
    };
    let (one, tail) = rest.split_at_checked(len)?;
    Some((v6, one, tail))
}

// glibc's struct cmsghdr on Linux: size_t cmsg_len, then two ints, nothing else; `push` writes
// exactly these three fields.
const _: () = {
    assert!(size_of::<libc::cmsghdr>() == ALIGN + 8);
    assert!(HDR == size_of::<libc::cmsghdr>());
    assert!(core::mem::offset_of!(libc::cmsghdr, cmsg_level) == ALIGN);
    assert!(core::mem::offset_of!(libc::cmsghdr, cmsg_type) == ALIGN + 4);
};

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

    fn sinfo() -> sctp_sndrcvinfo {
        sctp_sndrcvinfo {
            sinfo_stream: 3,
            sinfo_ssn: 0x0a0b,
            sinfo_flags: 1,
            sinfo_ppid: 0x11223344,
            sinfo_context: 5,
            sinfo_timetolive: 6,
            sinfo_tsn: 7,
            sinfo_cumtsn: 8,
            sinfo_assoc_id: 42,
        }
    }

    #[test]
    fn layout_is_what_glibc_parses() {
        let mut buf = CmsgBuf::<{ SNDRCV_SPACE + DSTADDRV4_SPACE + DSTADDRV6_SPACE }>::uninit();
        let mut w = buf.writer();
        let s = sinfo();
        w.push(&s).unwrap();
        w.push(&DstAddrV4([127, 0, 0, 2])).unwrap();
        let mut six = [0u8; 16];
        six[15] = 1;
        w.push(&DstAddrV6(six)).unwrap();
        let (ctl, len) = w.control();
        assert_eq!(len, SNDRCV_SPACE + DSTADDRV4_SPACE + DSTADDRV6_SPACE);
        // Walk it with glibc's own macros.
        // SAFETY: msghdr is plain data; the CMSG_* macros stay within `len` bytes of `ctl`, all
        // of which the writer initialised.
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
            assert_eq!(got.sinfo_ssn, 0x0a0b);
            assert_eq!(got.sinfo_flags, 1);
            assert_eq!(got.sinfo_ppid, 0x11223344);
            assert_eq!(got.sinfo_context, 5);
            assert_eq!(got.sinfo_timetolive, 6);
            assert_eq!(got.sinfo_tsn, 7);
            assert_eq!(got.sinfo_cumtsn, 8);
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

    /// Every byte of the message is written, padding as zeros: fill the buffer with 0xAA first
    /// and look at each padding byte.
    #[test]
    fn padding_is_zeroed() {
        let mut buf = CmsgBuf::<{ SNDRCV_SPACE + DSTADDRV4_SPACE + 24 + 24 }>::uninit();
        for b in buf.0.iter_mut() {
            b.write(0xAA);
        }
        let mut w = buf.writer();
        w.push(&sinfo()).unwrap();
        w.push(&DstAddrV4([1, 2, 3, 4])).unwrap();
        w.push(&sctp_prinfo {
            pr_policy: 0x10,
            pr_value: 9,
        })
        .unwrap();
        w.push(&sctp_authinfo { auth_keynumber: 7 }).unwrap();
        let (ctl, len) = w.control();
        assert_eq!(len, 48 + 24 + 24 + 24);
        // SAFETY: the writer initialised all `len` bytes (and the test wrote the rest).
        let b = unsafe { core::slice::from_raw_parts(ctl.cast::<u8>(), len) };
        assert_eq!(
            &b[16 + 6..16 + 8],
            &[0, 0],
            "sctp_sndrcvinfo interior padding"
        );
        assert_eq!(&b[48 + 20..48 + 24], &[0; 4], "SCTP_DSTADDRV4 tail padding");
        assert_eq!(
            &b[72 + 16 + 2..72 + 16 + 4],
            &[0, 0],
            "sctp_prinfo interior padding"
        );
        assert_eq!(&b[96 + 18..96 + 24], &[0; 6], "SCTP_AUTHINFO tail padding");
        assert!(!b.contains(&0xAA), "no byte of the message left unwritten");
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
        assert_eq!(w.push(&DstAddrV6([0; 16])), Err(Errno::EINVAL));
        assert!(w.push(&DstAddrV4([1; 4])).is_ok());
        assert_eq!(w.push(&DstAddrV4([1; 4])), Err(Errno::EINVAL));
        assert_eq!(w.control().1, 24);
    }
}
