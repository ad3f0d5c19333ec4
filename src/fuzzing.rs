//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`, not part of the API): every
//! piece of code that parses or packs bytes a caller or the kernel controls, driven from
//! arbitrary bytes. Each function checks what must hold whatever the input (a panic is the
//! fuzzer's finding, as is any out-of-bounds access under AddressSanitizer).

use core::ffi::{c_int, c_uint};
use core::fmt::Write;
use core::mem::size_of;

use crate::addrs::{IpBytes, PackedAddrs};
use crate::cmsg::{self, CmsgBuf};
use crate::recv;
use crate::sendv::SendInfo;
use crate::sys::{self, sctp_sndrcvinfo};
use crate::trace::{self, Addr, Addrs, Bits, Sinfo};

/// A sink for formatted text that keeps only its length.
struct Count(usize);

impl Write for Count {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Packed address arrays (sctp_bindx, sctp_connectx, sctp_sendx, sctp_sendv): `count` addresses
/// parsed from `bytes`. A valid array's addresses must tile exactly the bytes it claims, each of
/// its family's length, and `from_raw` must agree with `parse` on the same memory.
pub fn packed_addrs(bytes: &[u8], count: usize) {
    let Ok(list) = PackedAddrs::parse(bytes, count) else {
        return;
    };
    let mut total = 0;
    let mut n = 0;
    for a in list.iter() {
        let want = match a.ip() {
            IpBytes::V4(_) => 16,
            IpBytes::V6(_) => 28,
        };
        assert_eq!(a.as_bytes().len(), want);
        total += want;
        n += 1;
    }
    assert_eq!(n, count);
    assert_eq!(total, list.as_bytes().len());
    assert_eq!(list.first(), list.iter().next().unwrap_or(list.first()));
    if let Ok(c) = c_int::try_from(count) {
        // SAFETY: `parse` proved that `count` addresses lie within `bytes`, which is what
        // from_raw reads (and no further: it stops at the last one).
        let raw = unsafe { PackedAddrs::from_raw(bytes.as_ptr().cast(), c) };
        assert_eq!(raw.map(|r| r.as_bytes().len()).ok(), Some(total));
    }
}

/// The block sctp_getpaddrs/sctp_getladdrs get back from the kernel: header and list. The
/// measured list must lie within the block and hold at most the count the header reports.
pub fn getaddrs_block(block: &[u8]) {
    let (count, len) = crate::getaddrs::list_len(block);
    assert!(count >= 0);
    assert!(len + sys::SCTP_GETADDRS_HDR <= block.len().max(sys::SCTP_GETADDRS_HDR));
    let list = block.get(sys::SCTP_GETADDRS_HDR..sys::SCTP_GETADDRS_HDR + len);
    if let Some(list) = list.filter(|_| count > 0) {
        // What the caller gets must parse as exactly `count` addresses.
        let parsed = PackedAddrs::parse(list, count as usize);
        assert_eq!(parsed.map(|p| p.as_bytes().len()).ok(), Some(len));
    }
}

/// Control bytes as recvmsg leaves them (any bytes: a truncated or hostile cmsg chain): what
/// sctp_recvmsg and sctp_recvv take from them.
pub fn recv_control(control: &[u8], room: usize) {
    for (_, _, data) in recv::cmsgs(control) {
        assert!(data.len() <= control.len());
    }
    let _ = recv::sndrcv_in_bytes(control);
    // The fast paths (one info alone) answer exactly as the walks would.
    assert_eq!(
        recv::fast_bytes(control, room),
        recv::walks_bytes(control, room)
    );
    let (infotype, len) = recv::recvv_info_in_bytes(control, room);
    assert!(len <= room && len <= 44);
    let want = match infotype {
        sys::SCTP_RECVV_NOINFO => 0,
        sys::SCTP_RECVV_RCVINFO => 28,
        sys::SCTP_RECVV_NXTINFO => 16,
        sys::SCTP_RECVV_RN => 44,
        _ => usize::MAX,
    };
    assert_eq!(len, want);
}

/// The packing of a send: an sctp_sendv info read from `info` (`infolen` and `infotype` as a
/// caller passes them) and the destination cmsgs of `addrs`, written by the cmsg writer. The
/// control bytes must walk back, cmsg by cmsg, into exactly what was packed.
pub fn pack_send(info: &[u8], infolen: u32, infotype: c_uint, addrs: &[u8], count: usize) {
    let infolen = infolen.min(u32::try_from(info.len()).unwrap_or(u32::MAX));
    let ptr = if info.is_empty() {
        core::ptr::null()
    } else {
        info.as_ptr().cast()
    };
    // SAFETY: `ptr` is NULL or readable for `infolen` <= info.len() bytes.
    let Ok(si) = (unsafe { SendInfo::from_raw(ptr, infolen, infotype) }) else {
        return;
    };
    let list = PackedAddrs::parse(addrs, count).ok();
    let extra = list.map_or(0, |l| l.count().saturating_sub(1));
    let _ = cmsg::with_dstaddrs(list.as_ref(), cmsg::MAX_INFO_SPACE, |mut w| {
        let want = extra
            + match si {
                SendInfo::None | SendInfo::_Lifetime(_) => 0,
                SendInfo::Spa(p) => {
                    // SAFETY: `from_raw` checked that the info holds a struct sctp_sendv_spa.
                    let flags = unsafe { p.cast::<u32>().read_unaligned() };
                    (flags & 7).count_ones() as usize
                }
                _ => 1,
            };
        si.push_to(&mut w)?;
        let (p, n) = w.control();
        let bytes = if n == 0 {
            &[][..]
        } else {
            // SAFETY: the writer initialised all `n` bytes at `p`.
            unsafe { core::slice::from_raw_parts(p.cast::<u8>(), n) }
        };
        let walked = recv::cmsgs(bytes);
        assert_eq!(walked.len(), want);
        for (level, ty, data) in walked {
            assert_eq!(level, sys::IPPROTO_SCTP);
            let len = match ty {
                sys::SCTP_DSTADDRV4 => 4,
                sys::SCTP_DSTADDRV6 | sys::SCTP_SNDINFO => 16,
                sys::SCTP_PRINFO => 8,
                sys::SCTP_AUTHINFO => 2,
                _ => usize::MAX,
            };
            assert_eq!(data.len(), len);
        }
        Ok(())
    });
    // An SCTP_SNDRCV written and read back is the same struct.
    if let Some(b) = info.first_chunk::<{ size_of::<sctp_sndrcvinfo>() }>() {
        // SAFETY: 32 bytes, any value of which is a valid sctp_sndrcvinfo.
        let s = unsafe { b.as_ptr().cast::<sctp_sndrcvinfo>().read_unaligned() };
        let mut buf = CmsgBuf::<{ cmsg::SNDRCV_SPACE }>::uninit();
        let mut w = buf.writer();
        if w.push(&s).is_ok() {
            let (p, n) = w.control();
            // SAFETY: the writer initialised all `n` bytes at `p`.
            let bytes = unsafe { core::slice::from_raw_parts(p.cast::<u8>(), n) };
            let back = recv::sndrcv_in_bytes(bytes);
            assert!(back.is_some_and(|r| r.sinfo_stream == s.sinfo_stream
                && r.sinfo_ssn == s.sinfo_ssn
                && r.sinfo_flags == s.sinfo_flags
                && r.sinfo_ppid == s.sinfo_ppid
                && r.sinfo_context == s.sinfo_context
                && r.sinfo_timetolive == s.sinfo_timetolive
                && r.sinfo_tsn == s.sinfo_tsn
                && r.sinfo_cumtsn == s.sinfo_cumtsn
                && r.sinfo_assoc_id == s.sinfo_assoc_id));
        }
    }
}

/// The trace formatter over arbitrary arguments: addresses, an address list, sinfo, flag bits,
/// errno and option names, a result; the line must stay within its bound and end in a newline.
pub fn trace_line(bytes: &[u8], count: usize, ret: i64, errno: c_int, flags: u32, opt: c_int) {
    let list = Addrs::parsed(PackedAddrs::parse(bytes, count), bytes.as_ptr().cast());
    let len = u32::try_from(bytes.len().min(28)).unwrap_or(0);
    // SAFETY: readable for `len` <= bytes.len() bytes.
    let one = unsafe { Addr::new(bytes.as_ptr().cast(), len) };
    let si = bytes
        .first_chunk::<{ size_of::<sctp_sndrcvinfo>() }>()
        // SAFETY: 32 bytes, any value of which is a valid sctp_sndrcvinfo.
        .map(|b| unsafe { b.as_ptr().cast::<sctp_sndrcvinfo>().read_unaligned() });
    let send = Sinfo::send(core::ptr::null(), si);
    // SAFETY: readable for 32 bytes when long enough; NULL otherwise (never read).
    let recv = unsafe {
        Sinfo::recv(if bytes.len() >= 32 {
            bytes.as_ptr().cast()
        } else {
            core::ptr::null()
        })
    };
    let mut c = Count(0);
    let _ = write!(c, "{}", trace::errno_name(errno));
    let out = format_args!("{recv}");
    let l = trace::format_line(
        ret,
        errno,
        format_args!(
            "f(addrs={list}, to={one}, sinfo={send}, flags={}, {}, {}, {}, {})",
            Bits(flags, trace::SEND_FLAGS),
            Bits(flags, trace::SINFO_FLAGS),
            Bits(flags, trace::RECV_FLAGS),
            trace::opt_name(opt),
            trace::family_name(opt),
        ),
        Some(&out),
    );
    let b = l.bytes();
    assert!(b.len() <= trace::LINE_MAX && b.ends_with(b"\n"));
    assert!(b.starts_with(b"sctp_rs: f("));
}
