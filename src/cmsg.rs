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

/// Data that travels in a cmsg, serialised to exactly `N` bytes with every byte defined.
pub trait CmsgData<const N: usize> {
    /// The cmsg_type.
    const TYPE: c_int;
    /// The bytes the kernel reads, in its layout (native byte order), padding zeroed.
    fn to_bytes(&self) -> [u8; N];
}

/// Copies `v`'s native-endian bytes to `b[at..]`. All call sites use constant offsets inside the
/// array, so the compiler turns each into one store; an offset out of range writes nothing.
fn put<const N: usize, const K: usize>(b: &mut [u8; N], at: usize, v: [u8; K]) {
    if let Some(dst) = b.get_mut(at..at + K) {
        dst.copy_from_slice(&v);
    }
}

impl CmsgData<32> for sctp_sndrcvinfo {
    const TYPE: c_int = sys::SCTP_SNDRCV;
    fn to_bytes(&self) -> [u8; 32] {
        // Offsets of the kernel's struct (checked in sys.rs); bytes 6..8 are padding.
        let mut b = [0u8; 32];
        put(&mut b, 0, self.sinfo_stream.to_ne_bytes());
        put(&mut b, 2, self.sinfo_ssn.to_ne_bytes());
        put(&mut b, 4, self.sinfo_flags.to_ne_bytes());
        put(&mut b, 8, self.sinfo_ppid.to_ne_bytes());
        put(&mut b, 12, self.sinfo_context.to_ne_bytes());
        put(&mut b, 16, self.sinfo_timetolive.to_ne_bytes());
        put(&mut b, 20, self.sinfo_tsn.to_ne_bytes());
        put(&mut b, 24, self.sinfo_cumtsn.to_ne_bytes());
        put(&mut b, 28, self.sinfo_assoc_id.to_ne_bytes());
        b
    }
}

impl CmsgData<16> for sctp_sndinfo {
    const TYPE: c_int = sys::SCTP_SNDINFO;
    fn to_bytes(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        put(&mut b, 0, self.snd_sid.to_ne_bytes());
        put(&mut b, 2, self.snd_flags.to_ne_bytes());
        put(&mut b, 4, self.snd_ppid.to_ne_bytes());
        put(&mut b, 8, self.snd_context.to_ne_bytes());
        put(&mut b, 12, self.snd_assoc_id.to_ne_bytes());
        b
    }
}

impl CmsgData<8> for sctp_prinfo {
    const TYPE: c_int = sys::SCTP_PRINFO;
    fn to_bytes(&self) -> [u8; 8] {
        // Bytes 2..4 are padding.
        let mut b = [0u8; 8];
        put(&mut b, 0, self.pr_policy.to_ne_bytes());
        put(&mut b, 4, self.pr_value.to_ne_bytes());
        b
    }
}

impl CmsgData<2> for sctp_authinfo {
    const TYPE: c_int = sys::SCTP_AUTHINFO;
    fn to_bytes(&self) -> [u8; 2] {
        self.auth_keynumber.to_ne_bytes()
    }
}

/// An IPv4 destination (SCTP_DSTADDRV4): an in_addr, network byte order.
#[derive(Clone, Copy, Debug)]
pub struct DstAddrV4(pub [u8; 4]);

impl CmsgData<4> for DstAddrV4 {
    const TYPE: c_int = sys::SCTP_DSTADDRV4;
    fn to_bytes(&self) -> [u8; 4] {
        self.0
    }
}

/// An IPv6 destination (SCTP_DSTADDRV6): an in6_addr.
#[derive(Clone, Copy, Debug)]
pub struct DstAddrV6(pub [u8; 16]);

impl CmsgData<16> for DstAddrV6 {
    const TYPE: c_int = sys::SCTP_DSTADDRV6;
    fn to_bytes(&self) -> [u8; 16] {
        self.0
    }
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

    /// Appends one SCTP-level cmsg carrying `data`: header, the `N` data bytes, zeroed tail
    /// padding. EINVAL if the buffer has no room (a sizing bug, never a caller's fault: buffers
    /// are sized with `cmsg_space`).
    pub fn push<const N: usize, T: CmsgData<N>>(&mut self, data: &T) -> Result<()> {
        let space = cmsg_space(N);
        if self.cap - self.used < space {
            return Err(Errno::EINVAL);
        }
        let bytes = data.to_bytes();
        // SAFETY: `used + space <= cap`, so every write below stays inside the buffer borrowed
        // for 'b: the header (HDR bytes: cmsg_len at 0, cmsg_level and cmsg_type after it, no
        // padding in glibc's cmsghdr on Linux), N data bytes, and space - HDR - N zero bytes.
        // Unaligned writes need no alignment.
        unsafe {
            let p = self.base.add(self.used);
            p.cast::<usize>().write_unaligned(cmsg_len(N));
            p.add(ALIGN)
                .cast::<c_int>()
                .write_unaligned(sys::IPPROTO_SCTP);
            p.add(ALIGN + 4).cast::<c_int>().write_unaligned(T::TYPE);
            p.add(HDR).copy_from_nonoverlapping(bytes.as_ptr(), N);
            p.add(HDR + N).write_bytes(0, space - HDR - N);
        }
        self.used += space;
        Ok(())
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

/// Appends the addresses after the first as SCTP_DSTADDRV4/SCTP_DSTADDRV6 cmsgs.
fn push_dstaddrs(w: &mut CmsgWriter<'_>, addrs: Option<&PackedAddrs<'_>>) -> Result<()> {
    for a in addrs.iter().flat_map(|a| a.iter().skip(1)) {
        match a.ip() {
            IpBytes::V4(ip) => w.push(&DstAddrV4(ip))?,
            IpBytes::V6(ip) => w.push(&DstAddrV6(ip))?,
        }
    }
    Ok(())
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
