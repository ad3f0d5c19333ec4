//! Safe core of sctp_recvmsg and sctp_recvv: one recvmsg each, ancillary data received into a
//! stack buffer and parsed here.

use core::ffi::{c_int, c_void};
use core::mem::{MaybeUninit, size_of};

use crate::error::Sys;
use crate::sys::{self, sctp_nxtinfo, sctp_rcvinfo, sctp_sndrcvinfo};

/// Memory only the kernel writes on a receive: the source address buffer and the iovec array.
#[derive(Clone, Copy, Debug)]
pub struct KernelOut {
    /// msg_name: where the kernel writes the sender's address (may be NULL).
    pub from: *mut c_void,
    /// msg_iov and msg_iovlen: the buffers the data is received into.
    pub iov: (*const libc::iovec, usize),
}

/// A control buffer for one receive: nothing initialised (it is the kernel's to write), and
/// only the cmsg headers and data the kernel wrote are ever read.
pub struct Control<const N: usize>([MaybeUninit<u8>; N]);

impl<const N: usize> Control<N> {
    #[inline(always)]
    /// A control buffer with nothing initialised.
    pub fn new() -> Self {
        Control([MaybeUninit::uninit(); N])
    }
}

impl<const N: usize> Default for Control<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// What one recvmsg returned, and the control bytes it received (in its [`Control`]).
pub struct Received<'c> {
    /// recvmsg's own return value: the bytes of data received, or -1 with errno set.
    pub ret: Sys,
    /// msg_namelen: the length of the sender's address (it may exceed the room given: the
    /// kernel truncates the address, not the length).
    pub namelen: libc::socklen_t,
    /// msg_flags (MSG_EOR, MSG_NOTIFICATION, MSG_TRUNC, MSG_CTRUNC, ...).
    pub flags: c_int,
    control: &'c [MaybeUninit<u8>],
    control_len: usize,
}

impl Received<'_> {
    /// The control bytes the kernel wrote: where they are and how many.
    #[inline(always)]
    fn control(&self) -> (*const u8, usize) {
        (self.control.as_ptr().cast(), self.control_len)
    }
}

/// One recvmsg(fd, {from, namelen, iov, control}, flags), the control bytes received into
/// `ctl`.
#[inline(always)]
fn recv<const N: usize>(
    ctl: &mut Control<N>,
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    flags: c_int,
) -> Received<'_> {
    let mut m = crate::sys::MsgHdr::new((k.from, namelen), k.iov, (ctl.0.as_mut_ptr().cast(), N));
    // SAFETY: `m` is a whole struct msghdr; the kernel writes msg_name and the iovec buffers
    // (and checks them: EFAULT) and at most msg_controllen bytes of `ctl`, which lives for the
    // call.
    let ret = Sys(unsafe { libc::recvmsg(fd, m.as_mut_ptr(), flags) });
    let ok = ret.0 >= 0;
    Received {
        ret,
        namelen: if ok { m.namelen } else { 0 },
        flags: if ok { m.flags } else { 0 },
        control: &ctl.0,
        control_len: if ok { m.controllen.min(N) } else { 0 },
    }
}

const HDR: usize = size_of::<libc::cmsghdr>();
const ALIGN: usize = size_of::<usize>();

/// Walks the cmsgs in the `len` bytes at `base`: `f(level, type, data, data_len)` for each, until
/// it returns false. A header that does not fit, or whose cmsg_len is below the header or runs
/// past the buffer (MSG_CTRUNC), ends the walk.
///
/// # Safety
/// Every header the walk reaches and its data (cmsg_len bytes) are initialised: true of what
/// the kernel wrote into a control buffer of `len` bytes.
#[inline(always)]
unsafe fn walk(
    base: *const u8,
    len: usize,
    mut f: impl FnMut(c_int, c_int, *const u8, usize) -> bool,
) {
    let mut off = 0usize;
    while len.saturating_sub(off) >= HDR {
        // SAFETY: off + HDR <= len: a header the kernel wrote; unaligned reads.
        let (clen, level, ty) = unsafe {
            let h = base.add(off);
            (
                h.cast::<usize>().read_unaligned(),
                h.add(ALIGN).cast::<c_int>().read_unaligned(),
                h.add(ALIGN + 4).cast::<c_int>().read_unaligned(),
            )
        };
        if clen < HDR || clen > len - off {
            return;
        }
        // SAFETY: [off + HDR, off + clen) lies inside the buffer: the data the kernel wrote.
        if !f(level, ty, unsafe { base.add(off + HDR) }, clen - HDR) {
            return;
        }
        off += (clen + ALIGN - 1) & !(ALIGN - 1);
    }
}

/// cmsg_level then cmsg_type, as the one 64-bit word they form in a header (at offset
/// `ALIGN`, in memory order whatever the byte order).
const fn key(level: c_int, ty: c_int) -> u64 {
    let l = level.to_ne_bytes();
    let t = ty.to_ne_bytes();
    u64::from_ne_bytes([l[0], l[1], l[2], l[3], t[0], t[1], t[2], t[3]])
}

/// Whether the `len` control bytes at `base` begin with one whole cmsg of `key` carrying
/// exactly `data` bytes: the case a receive meets most (one info per message), decided with
/// three compares and no walk. When it holds, [`walk`] reaches that cmsg first and finds it
/// whole, so the answer is the walk's; otherwise the caller walks.
///
/// # Safety
/// As for [`walk`] (nothing is read unless `len >= HDR + data`).
#[inline(always)]
unsafe fn starts_with(base: *const u8, len: usize, key: u64, data: usize) -> bool {
    // SAFETY: the header lies inside the buffer (contract), and with `len >= HDR + data` the
    // kernel wrote it; unaligned reads.
    unsafe {
        len >= HDR + data
            && base.cast::<usize>().read_unaligned() == HDR + data
            && base.add(ALIGN).cast::<u64>().read_unaligned() == key
    }
}

/// The cmsgs of `buf` as (level, type, data) (the fuzz targets and tests).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn cmsgs(buf: &[u8]) -> Vec<(c_int, c_int, &[u8])> {
    let mut v = Vec::new();
    // SAFETY: a slice is initialised for its length, and each data range lies inside it.
    unsafe {
        walk(buf.as_ptr(), buf.len(), |l, t, d, n| {
            v.push((l, t, core::slice::from_raw_parts(d, n)));
            true
        })
    };
    v
}

/// Room for SCTP_SNDRCV beside SCTP_RCVINFO and SCTP_NXTINFO, which the kernel writes first
/// when SCTP_RECVRCVINFO/SCTP_RECVNXTINFO are on (lksctp's 48 bytes then lose SNDRCV and report
/// MSG_CTRUNC).
const RECVMSG_CONTROL: usize = crate::cmsg::SNDRCV_SPACE
    + crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
    + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>());

/// The control buffer of sctp_recvmsg.
pub type RecvmsgControl = Control<RECVMSG_CONTROL>;

const SNDRCV_LEN: usize = size_of::<sctp_sndrcvinfo>();

impl Received<'_> {
    /// The bytes of the SCTP_SNDRCV info, exactly as the kernel wrote them, when one arrived
    /// (only with SCTP_EVENTS data_io enabled).
    #[inline(always)]
    pub fn sinfo(&self) -> Option<&[u8; SNDRCV_LEN]> {
        let (p, n) = self.control();
        // SAFETY: the kernel wrote every cmsg header and data inside the first control_len
        // bytes; the walk reads nothing else (not the padding between cmsgs).
        unsafe { sndrcv_in(p, n) }
    }
}

/// The first whole SCTP_SNDRCV of the cmsgs at `base`, as lksctp takes it.
///
/// # Safety
/// As for [`walk`]; the data stays valid for `'a`.
#[inline(always)]
unsafe fn sndrcv_in<'a>(base: *const u8, len: usize) -> Option<&'a [u8; SNDRCV_LEN]> {
    // SAFETY: forwarded contract.
    if unsafe { starts_with(base, len, SNDRCV_KEY, SNDRCV_LEN) } {
        // SAFETY: the data of that cmsg, SNDRCV_LEN bytes the kernel wrote.
        return Some(unsafe { &*base.add(HDR).cast::<[u8; SNDRCV_LEN]>() });
    }
    // SAFETY: forwarded contract.
    unsafe { sndrcv_walk(base, len) }
}

const SNDRCV_KEY: u64 = key(sys::IPPROTO_SCTP, sys::SCTP_SNDRCV);

/// [`sndrcv_in`] by the walk: any other arrangement of cmsgs.
///
/// # Safety
/// As for [`walk`]; the data stays valid for `'a`.
#[inline(never)]
unsafe fn sndrcv_walk<'a>(base: *const u8, len: usize) -> Option<&'a [u8; SNDRCV_LEN]> {
    let mut found = None;
    // SAFETY: forwarded contract; the data of a cmsg at least SNDRCV_LEN long holds the array.
    unsafe {
        walk(base, len, |level, ty, d, n| {
            if level == sys::IPPROTO_SCTP && ty == sys::SCTP_SNDRCV {
                if n >= SNDRCV_LEN {
                    found = Some(&*d.cast::<[u8; SNDRCV_LEN]>());
                }
                return false;
            }
            true
        })
    };
    found
}

/// [`sndrcv_in`] over bytes (the fuzz targets).
#[cfg(feature = "fuzzing")]
pub(crate) fn sndrcv_in_bytes(control: &[u8]) -> Option<sctp_sndrcvinfo> {
    // SAFETY: a slice is initialised for its length; 32 bytes, any value of which is a valid
    // sctp_sndrcvinfo (integers only).
    unsafe {
        sndrcv_in(control.as_ptr(), control.len())
            .map(|b| b.as_ptr().cast::<sctp_sndrcvinfo>().read_unaligned())
    }
}

/// sctp_recvmsg: one recvmsg(fd, flags) into one buffer, `namelen` bytes of room at `k.from`,
/// received into `out`: what came, with the SCTP_SNDRCV info when one arrived (only with SCTP_EVENTS data_io
/// enabled; also when SCTP_RECVRCVINFO/NXTINFO are on). Errors are the kernel's (`ret`).
#[inline(always)]
pub fn recvmsg_sinfo(
    ctl: &mut RecvmsgControl,
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    flags: c_int,
) -> Received<'_> {
    recv(ctl, fd, k, namelen, flags)
}

/// Room for both SCTP_RCVINFO and SCTP_NXTINFO (lksctp's buffer holds 64 bytes, less than the
/// 80 both need).
const RECVV_CONTROL: usize = crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
    + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>());

/// The control buffer of sctp_recvv.
pub type RecvvControl = Control<RECVV_CONTROL>;

/// sctp_recvv: one recvmsg(fd, iov, flags), `namelen` bytes of room at `k.from`, received into
/// `out`. Errors are the kernel's (`ret`). [`Received::info`] then combines the infos that came.
#[inline(always)]
pub fn recvv(
    ctl: &mut RecvvControl,
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    flags: c_int,
) -> Received<'_> {
    recv(ctl, fd, k, namelen, flags)
}

const RCV: usize = size_of::<sctp_rcvinfo>();
const NXT: usize = size_of::<sctp_nxtinfo>();

/// What sctp_recvv stores: the infotype, and the kernel's bytes of each info it holds.
pub struct RecvvInfo<'a> {
    /// The sctp_recvv infotype: SCTP_RECVV_NOINFO, _RCVINFO, _NXTINFO or _RN.
    pub infotype: u32,
    /// The struct sctp_rcvinfo to store (the data of an SCTP_RCVINFO cmsg), if any.
    pub rcv: Option<&'a [u8; RCV]>,
    /// The struct sctp_nxtinfo to store (the data of an SCTP_NXTINFO cmsg), if any.
    pub nxt: Option<&'a [u8; NXT]>,
}

impl RecvvInfo<'_> {
    /// The bytes stored in the caller's info buffer: 28, 16 or 44 (RN: RCVINFO then NXTINFO),
    /// 0 for NOINFO.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.rcv.map_or(0, |_| RCV) + self.nxt.map_or(0, |_| NXT)
    }

    /// Whether no info is stored.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the info at `dst`, as struct sctp_rcvinfo, sctp_nxtinfo or sctp_recvv_rn.
    ///
    /// # Safety
    /// `dst` is writable for [`len`](Self::len) bytes (no alignment needed).
    #[inline(always)]
    pub unsafe fn write(&self, dst: *mut u8) {
        // SAFETY: per the contract: RCVINFO at 0, NXTINFO after it (RN) or at 0.
        unsafe {
            if let Some(r) = self.rcv {
                dst.copy_from_nonoverlapping(r.as_ptr(), RCV);
            }
            if let Some(n) = self.nxt {
                dst.add(self.rcv.map_or(0, |_| RCV))
                    .copy_from_nonoverlapping(n.as_ptr(), NXT);
            }
        }
    }
}

impl Received<'_> {
    /// The info sctp_recvv stores for a caller with `room` bytes of info buffer, combined as
    /// lksctp does: RCVINFO (SCTP_RECVRCVINFO on), NXTINFO (SCTP_RECVNXTINFO on and a next
    /// message queued), or both as RN (struct sctp_recvv_rn), each only when `room` holds it.
    #[inline(always)]
    pub fn info(&self, room: usize) -> RecvvInfo<'_> {
        let (p, n) = self.control();
        // SAFETY: as for `sinfo`.
        unsafe { recvv_info_in(p, n, room) }
    }
}

/// lksctp's walk: each SCTP_RCVINFO/SCTP_NXTINFO in turn, joined to what came before when the
/// room holds both; the first that does not fit ends it.
///
/// # Safety
/// As for [`walk`]; the data stays valid for `'a`.
#[inline(always)]
unsafe fn recvv_info_in<'a>(base: *const u8, len: usize, room: usize) -> RecvvInfo<'a> {
    // An SCTP_RCVINFO alone (SCTP_RECVRCVINFO on, no next message, or SCTP_RECVNXTINFO off):
    // the walk would take it when `room` holds it and stop, or stop at once.
    // SAFETY: forwarded contract.
    if len < crate::cmsg::cmsg_space(RCV) + HDR && unsafe { starts_with(base, len, RCV_KEY, RCV) } {
        let rcv = room >= RCV;
        return RecvvInfo {
            infotype: if rcv {
                sys::SCTP_RECVV_RCVINFO
            } else {
                sys::SCTP_RECVV_NOINFO
            },
            // SAFETY: the data of that cmsg, RCV bytes the kernel wrote.
            rcv: rcv.then(|| unsafe { &*base.add(HDR).cast::<[u8; RCV]>() }),
            nxt: None,
        };
    }
    // SAFETY: forwarded contract.
    unsafe { recvv_info_walk(base, len, room) }
}

const RCV_KEY: u64 = key(sys::IPPROTO_SCTP, sys::SCTP_RCVINFO);

/// [`recvv_info_in`] by the walk: any other arrangement of cmsgs.
///
/// # Safety
/// As for [`walk`]; the data stays valid for `'a`.
#[inline(never)]
unsafe fn recvv_info_walk<'a>(base: *const u8, len: usize, room: usize) -> RecvvInfo<'a> {
    let mut out = RecvvInfo {
        infotype: sys::SCTP_RECVV_NOINFO,
        rcv: None,
        nxt: None,
    };
    // SAFETY: forwarded contract; a data at least RCV (NXT) bytes long holds the array.
    unsafe {
        walk(base, len, |level, ty, d, n| {
            if level != sys::IPPROTO_SCTP {
                return true;
            }
            use sys::{SCTP_RECVV_NXTINFO as NXTINFO, SCTP_RECVV_RCVINFO as RCVINFO};
            match ty {
                sys::SCTP_RCVINFO if n >= RCV => match joined(out.infotype, RCVINFO, room) {
                    Some(t) => {
                        out.rcv = Some(&*d.cast::<[u8; RCV]>());
                        out.infotype = t;
                        true
                    }
                    None => false,
                },
                sys::SCTP_NXTINFO if n >= NXT => match joined(out.infotype, NXTINFO, room) {
                    Some(t) => {
                        out.nxt = Some(&*d.cast::<[u8; NXT]>());
                        out.infotype = t;
                        true
                    }
                    None => false,
                },
                _ => true,
            }
        })
    };
    out
}

/// lksctp's rule for one more info of `kind` (SCTP_RECVV_RCVINFO or SCTP_RECVV_NXTINFO) when
/// `have` is stored so far: alone when nothing is and `room` holds it, joined into RN when the
/// other one alone is and `room` holds both; None ends the walk.
#[inline(always)]
fn joined(have: u32, kind: u32, room: usize) -> Option<u32> {
    let (size, other) = if kind == sys::SCTP_RECVV_RCVINFO {
        (RCV, sys::SCTP_RECVV_NXTINFO)
    } else {
        (NXT, sys::SCTP_RECVV_RCVINFO)
    };
    if have == sys::SCTP_RECVV_NOINFO && room >= size {
        Some(kind)
    } else if have == other && room >= RCV + NXT {
        Some(sys::SCTP_RECVV_RN)
    } else {
        None
    }
}

/// The walk alone over bytes (the fuzz targets check that the fast paths agree with it):
/// where the SCTP_SNDRCV data starts, and recvv's infotype and length stored.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn walks_bytes(control: &[u8], room: usize) -> (Option<usize>, (u32, usize)) {
    let base = control.as_ptr();
    // SAFETY: a slice is initialised for its length.
    unsafe {
        let s = sndrcv_walk(base, control.len()).map(|d| d.as_ptr() as usize - base as usize);
        let i = recvv_info_walk(base, control.len(), room);
        (s, (i.infotype, i.len()))
    }
}

/// The fast paths and the walks over bytes, as [`walks_bytes`] reports them.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn fast_bytes(control: &[u8], room: usize) -> (Option<usize>, (u32, usize)) {
    let base = control.as_ptr();
    // SAFETY: a slice is initialised for its length.
    unsafe {
        let s = sndrcv_in(base, control.len()).map(|d| d.as_ptr() as usize - base as usize);
        let i = recvv_info_in(base, control.len(), room);
        (s, (i.infotype, i.len()))
    }
}

/// [`Received::info`] over bytes (the fuzz targets): the infotype and the length stored.
#[cfg(feature = "fuzzing")]
pub(crate) fn recvv_info_in_bytes(control: &[u8], room: usize) -> (u32, usize) {
    // SAFETY: a slice is initialised for its length.
    let i = unsafe { recvv_info_in(control.as_ptr(), control.len(), room) };
    (i.infotype, i.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmsg_bytes(level: c_int, ty: c_int, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&(16 + data.len()).to_ne_bytes());
        v.extend_from_slice(&level.to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(data);
        while v.len() % 8 != 0 {
            v.push(0);
        }
        v
    }

    #[test]
    fn fast_paths_agree_with_the_walk() {
        let sndrcv = cmsg_bytes(132, 1, &[7; 32]);
        let rcv = cmsg_bytes(132, 3, &[1; 28]);
        let nxt = cmsg_bytes(132, 4, &[2; 16]);
        let mut cases = vec![
            sndrcv.clone(),
            rcv.clone(),
            [rcv.clone(), nxt.clone()].concat(),
            [sndrcv.clone(), rcv.clone()].concat(),
            [rcv.clone(), sndrcv.clone()].concat(),
            [rcv.clone(), vec![0; 15]].concat(),
            sndrcv[..47].to_vec(),
            rcv[..43].to_vec(),
            cmsg_bytes(132, 1, &[7; 31]),
            cmsg_bytes(132, 1, &[7; 33]),
            cmsg_bytes(132, 3, &[1; 27]),
            cmsg_bytes(0, 1, &[7; 32]),
            cmsg_bytes(132, 2, &[7; 32]),
        ];
        cases.push(Vec::new());
        for c in &cases {
            for room in [0, 16, 27, 28, 43, 44, 100] {
                assert_eq!(
                    fast_bytes(c, room),
                    walks_bytes(c, room),
                    "{c:?} room {room}"
                );
            }
        }
        // The fast paths do answer: SNDRCV data at 16, RCVINFO stored whole.
        assert_eq!(fast_bytes(&sndrcv, 28).0, Some(16));
        assert_eq!(fast_bytes(&rcv, 28).1, (sys::SCTP_RECVV_RCVINFO, 28));
        assert_eq!(fast_bytes(&rcv, 27).1, (sys::SCTP_RECVV_NOINFO, 0));
    }

    #[test]
    fn cmsg_walk_stops_at_truncation() {
        let mut b = cmsg_bytes(132, 3, &[1; 28]);
        b.extend(cmsg_bytes(132, 4, &[2; 16]));
        let v: Vec<_> = cmsgs(&b)
            .into_iter()
            .map(|(l, t, d)| (l, t, d.len()))
            .collect();
        assert_eq!(v, [(132, 3, 28), (132, 4, 16)]);
        // A header whose length runs past the buffer (MSG_CTRUNC) ends the walk.
        let cut = &b[..b.len() - 8];
        assert_eq!(cmsgs(cut).len(), 1);
        assert_eq!(cmsgs(&[0u8; 7]).len(), 0);
    }

    #[test]
    fn rcvinfo_then_nxtinfo_is_rn() {
        let mut b = cmsg_bytes(132, 3, &[1; 28]);
        b.extend(cmsg_bytes(132, 4, &[2; 16]));
        // SAFETY: the control bytes are a slice, initialised for its length.
        let i = unsafe { recvv_info_in(b.as_ptr(), b.len(), 44) };
        assert_eq!(i.infotype, sys::SCTP_RECVV_RN);
        let mut out = [0u8; 44];
        // SAFETY: 44 writable bytes.
        unsafe { i.write(out.as_mut_ptr()) };
        assert_eq!(&out[..28], &[1; 28]);
        assert_eq!(&out[28..], &[2; 16]);
    }

    #[test]
    fn nxtinfo_then_rcvinfo_puts_rcvinfo_first() {
        let mut b = cmsg_bytes(132, 4, &[2; 16]);
        b.extend(cmsg_bytes(132, 3, &[1; 28]));
        // SAFETY: the control bytes are a slice, initialised for its length.
        let i = unsafe { recvv_info_in(b.as_ptr(), b.len(), 44) };
        assert_eq!(i.infotype, sys::SCTP_RECVV_RN);
        let mut out = [0u8; 44];
        // SAFETY: 44 writable bytes.
        unsafe { i.write(out.as_mut_ptr()) };
        assert_eq!(&out[..28], &[1; 28]);
        assert_eq!(&out[28..], &[2; 16]);
    }

    #[test]
    fn too_little_room_keeps_what_fits() {
        let mut b = cmsg_bytes(132, 3, &[1; 28]);
        b.extend(cmsg_bytes(132, 4, &[2; 16]));
        // SAFETY: the control bytes are a slice, initialised for its length.
        let i = unsafe { recvv_info_in(b.as_ptr(), b.len(), 30) };
        assert_eq!((i.infotype, i.len()), (sys::SCTP_RECVV_RCVINFO, 28));
        // SAFETY: the control bytes are a slice, initialised for its length.
        let i = unsafe { recvv_info_in(b.as_ptr(), b.len(), 20) };
        assert_eq!((i.infotype, i.len()), (sys::SCTP_RECVV_NOINFO, 0));
    }
}
