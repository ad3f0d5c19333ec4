//! Safe core of sctp_recvmsg and sctp_recvv: one recvmsg each, ancillary data received into a
//! stack buffer and parsed here.

use core::ffi::{c_int, c_void};
use core::mem::size_of;

use crate::error::{Result, check_syscall};
use crate::sys::{self, sctp_nxtinfo, sctp_rcvinfo, sctp_sndrcvinfo};

/// Memory only the kernel writes on a receive: the source address buffer and the iovec array.
#[derive(Clone, Copy, Debug)]
pub struct KernelOut {
    pub from: *mut c_void,
    pub iov: (*const libc::iovec, usize),
}

/// What one recvmsg returned besides the data, with the control buffer it received into.
pub struct Received<const N: usize> {
    /// Bytes of data received.
    pub len: usize,
    /// msg_namelen: the length of the sender's address (it may exceed the room given: the
    /// kernel truncates the address, not the length).
    pub namelen: libc::socklen_t,
    /// msg_flags (MSG_EOR, MSG_NOTIFICATION, MSG_TRUNC, MSG_CTRUNC, ...).
    pub flags: c_int,
    control: [u8; N],
    control_len: usize,
}

impl<const N: usize> Received<N> {
    /// The control bytes the kernel wrote.
    fn control(&self) -> &[u8] {
        self.control.get(..self.control_len).unwrap_or(&[])
    }
}

fn recvmsg<const N: usize>(
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    flags: c_int,
) -> Result<Received<N>> {
    let mut r = Received {
        len: 0,
        namelen: 0,
        flags: 0,
        control: [0u8; N],
        control_len: 0,
    };
    // SAFETY: all-zero is a valid msghdr.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_name = k.from;
    m.msg_namelen = namelen;
    m.msg_iov = k.iov.0.cast_mut();
    m.msg_iovlen = k.iov.1 as _;
    m.msg_control = r.control.as_mut_ptr().cast();
    m.msg_controllen = N as _;
    // SAFETY: the kernel writes msg_name and the iovec buffers (and checks them: EFAULT) and at
    // most msg_controllen bytes of `control`, which lives for the call.
    let n = check_syscall(unsafe { libc::recvmsg(fd, &mut m, flags) })?;
    r.len = n as usize;
    r.namelen = m.msg_namelen;
    r.flags = m.msg_flags;
    r.control_len = (m.msg_controllen as usize).min(N);
    Ok(r)
}

/// Iterates over the (level, type, data) of the cmsgs in `buf` (what the kernel wrote). A header
/// that does not fit, or whose cmsg_len is below the header or runs past the buffer (MSG_CTRUNC),
/// ends the walk.
pub(crate) fn cmsgs(buf: &[u8]) -> impl Iterator<Item = (c_int, c_int, &[u8])> {
    const HDR: usize = size_of::<libc::cmsghdr>();
    const ALIGN: usize = size_of::<usize>();
    let mut rest = buf;
    core::iter::from_fn(move || {
        let (len, tail) = rest.split_first_chunk::<ALIGN>()?;
        let (level, tail) = tail.split_first_chunk::<4>()?;
        let (ty, _) = tail.split_first_chunk::<4>()?;
        let len = usize::from_ne_bytes(*len);
        let data = rest.get(HDR..len)?;
        let next = len.checked_add(ALIGN - 1)? & !(ALIGN - 1);
        rest = rest.get(next..).unwrap_or(&[]);
        Some((
            c_int::from_ne_bytes(*level),
            c_int::from_ne_bytes(*ty),
            data,
        ))
    })
}

/// Room for SCTP_SNDRCV beside SCTP_RCVINFO and SCTP_NXTINFO, which the kernel writes first
/// when SCTP_RECVRCVINFO/SCTP_RECVNXTINFO are on (lksctp's 48 bytes then lose SNDRCV and report
/// MSG_CTRUNC).
const RECVMSG_CONTROL: usize = crate::cmsg::SNDRCV_SPACE
    + crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
    + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>());

/// The bytes of a received `struct sctp_sndrcvinfo`, exactly as the kernel wrote them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SndRcvBytes(pub [u8; size_of::<sctp_sndrcvinfo>()]);

impl SndRcvBytes {
    /// The struct.
    pub fn get(&self) -> sctp_sndrcvinfo {
        // SAFETY: 32 bytes, any value of which is a valid sctp_sndrcvinfo (integers only).
        unsafe { self.0.as_ptr().cast::<sctp_sndrcvinfo>().read_unaligned() }
    }
}

/// What sctp_recvmsg received.
pub struct RecvmsgOut {
    pub received: Received<RECVMSG_CONTROL>,
    /// The SCTP_SNDRCV info, when one arrived (only with SCTP_EVENTS data_io enabled).
    pub sinfo: Option<SndRcvBytes>,
}

/// sctp_recvmsg: one recvmsg(fd, flags) into one buffer, `namelen` bytes of room at `k.from`;
/// returns what came, with the SCTP_SNDRCV info when one arrived (only with SCTP_EVENTS
/// data_io enabled; also when SCTP_RECVRCVINFO/NXTINFO are on). Errors are the kernel's.
pub fn recvmsg_sinfo(
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    flags: c_int,
) -> Result<RecvmsgOut> {
    let received = recvmsg::<RECVMSG_CONTROL>(fd, k, namelen, flags)?;
    let sinfo = sndrcv_in(received.control());
    Ok(RecvmsgOut { received, sinfo })
}

/// The first whole SCTP_SNDRCV in received control bytes, as lksctp takes it.
pub(crate) fn sndrcv_in(control: &[u8]) -> Option<SndRcvBytes> {
    cmsgs(control)
        .find(|(lvl, ty, _)| *lvl == sys::IPPROTO_SCTP && *ty == sys::SCTP_SNDRCV)
        .and_then(|(_, _, d)| d.first_chunk().copied())
        .map(SndRcvBytes)
}

/// What sctp_recvv reports: the infotype and the bytes of info to write.
pub struct RecvvInfo {
    pub infotype: u32,
    pub len: usize,
    pub bytes: [u8; size_of::<sctp_rcvinfo>() + size_of::<sctp_nxtinfo>()],
}

/// Room for both SCTP_RCVINFO and SCTP_NXTINFO (lksctp's buffer holds 64 bytes, less than the
/// 80 both need).
const RECVV_CONTROL: usize = crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
    + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>());

/// What sctp_recvv received.
pub type RecvvOut = Received<RECVV_CONTROL>;

/// sctp_recvv: one recvmsg(fd, iov, flags), `namelen` bytes of room at `k.from`. Errors are the
/// kernel's. [`recvv_info`] then combines the infos that came.
pub fn recvv(fd: c_int, k: KernelOut, namelen: libc::socklen_t, flags: c_int) -> Result<RecvvOut> {
    recvmsg::<RECVV_CONTROL>(fd, k, namelen, flags)
}

/// The info sctp_recvv stores for a caller with `room` bytes of info buffer, combined as lksctp
/// does: RCVINFO (SCTP_RECVRCVINFO on), NXTINFO (SCTP_RECVNXTINFO on and a next message
/// queued), or both as RN (struct sctp_recvv_rn), each only when `room` holds it.
pub fn recvv_info(r: &RecvvOut, room: usize) -> RecvvInfo {
    recvv_info_in(r.control(), room)
}

/// [`recvv_info`] over received control bytes.
pub(crate) fn recvv_info_in(control: &[u8], room: usize) -> RecvvInfo {
    const RCV: usize = size_of::<sctp_rcvinfo>();
    const NXT: usize = size_of::<sctp_nxtinfo>();
    let mut out = RecvvInfo {
        infotype: sys::SCTP_RECVV_NOINFO,
        len: 0,
        bytes: [0; RCV + NXT],
    };
    for (level, ty, data) in cmsgs(control) {
        let ok = match (level, ty) {
            (sys::IPPROTO_SCTP, sys::SCTP_RCVINFO) => match data.first_chunk::<RCV>() {
                Some(d) => rcvinfo(&mut out, d, room),
                None => continue,
            },
            (sys::IPPROTO_SCTP, sys::SCTP_NXTINFO) => match data.first_chunk::<NXT>() {
                Some(d) => nxtinfo(&mut out, d, room),
                None => continue,
            },
            _ => continue,
        };
        if !ok {
            break;
        }
    }
    out
}

const RCV_LEN: usize = size_of::<sctp_rcvinfo>();
const NXT_LEN: usize = size_of::<sctp_nxtinfo>();

/// lksctp's RCVINFO step; false stops the walk.
fn rcvinfo(out: &mut RecvvInfo, data: &[u8; RCV_LEN], room: usize) -> bool {
    const RCV: usize = size_of::<sctp_rcvinfo>();
    const NXT: usize = size_of::<sctp_nxtinfo>();
    match out.infotype {
        sys::SCTP_RECVV_NOINFO if room >= RCV => {
            out.bytes[..RCV].copy_from_slice(data);
            out.infotype = sys::SCTP_RECVV_RCVINFO;
            out.len = RCV;
            true
        }
        sys::SCTP_RECVV_NXTINFO if room >= RCV + NXT => {
            out.bytes.copy_within(..NXT, RCV);
            out.bytes[..RCV].copy_from_slice(data);
            out.infotype = sys::SCTP_RECVV_RN;
            out.len = RCV + NXT;
            true
        }
        _ => false,
    }
}

/// lksctp's NXTINFO step; false stops the walk.
fn nxtinfo(out: &mut RecvvInfo, data: &[u8; NXT_LEN], room: usize) -> bool {
    const RCV: usize = size_of::<sctp_rcvinfo>();
    const NXT: usize = size_of::<sctp_nxtinfo>();
    match out.infotype {
        sys::SCTP_RECVV_NOINFO if room >= NXT => {
            out.bytes[..NXT].copy_from_slice(data);
            out.infotype = sys::SCTP_RECVV_NXTINFO;
            out.len = NXT;
            true
        }
        sys::SCTP_RECVV_RCVINFO if room >= RCV + NXT => {
            out.bytes[RCV..].copy_from_slice(data);
            out.infotype = sys::SCTP_RECVV_RN;
            out.len = RCV + NXT;
            true
        }
        _ => false,
    }
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
    fn cmsg_walk_stops_at_truncation() {
        let mut b = cmsg_bytes(132, 3, &[1; 28]);
        b.extend(cmsg_bytes(132, 4, &[2; 16]));
        let v: Vec<_> = cmsgs(&b).map(|(l, t, d)| (l, t, d.len())).collect();
        assert_eq!(v, [(132, 3, 28), (132, 4, 16)]);
        // A header whose length runs past the buffer (MSG_CTRUNC) ends the walk.
        let cut = &b[..b.len() - 8];
        assert_eq!(cmsgs(cut).count(), 1);
        assert_eq!(cmsgs(&[0u8; 7]).count(), 0);
    }

    #[test]
    fn rcvinfo_then_nxtinfo_is_rn() {
        let mut out = RecvvInfo {
            infotype: sys::SCTP_RECVV_NOINFO,
            len: 0,
            bytes: [0; 44],
        };
        assert!(rcvinfo(&mut out, &[1; 28], 44));
        assert!(nxtinfo(&mut out, &[2; 16], 44));
        assert_eq!(out.infotype, sys::SCTP_RECVV_RN);
        assert_eq!(out.len, 44);
        assert_eq!(out.bytes[27], 1);
        assert_eq!(out.bytes[28], 2);
    }

    #[test]
    fn nxtinfo_then_rcvinfo_moves_nxtinfo_behind() {
        let mut out = RecvvInfo {
            infotype: sys::SCTP_RECVV_NOINFO,
            len: 0,
            bytes: [0; 44],
        };
        assert!(nxtinfo(&mut out, &[2; 16], 44));
        assert_eq!(out.infotype, sys::SCTP_RECVV_NXTINFO);
        assert!(rcvinfo(&mut out, &[1; 28], 44));
        assert_eq!(out.infotype, sys::SCTP_RECVV_RN);
        assert_eq!(&out.bytes[..28], &[1; 28]);
        assert_eq!(&out.bytes[28..], &[2; 16]);
    }

    #[test]
    fn too_little_room_keeps_what_fits() {
        let mut out = RecvvInfo {
            infotype: sys::SCTP_RECVV_NOINFO,
            len: 0,
            bytes: [0; 44],
        };
        assert!(rcvinfo(&mut out, &[1; 28], 30));
        assert!(!nxtinfo(&mut out, &[2; 16], 30));
        assert_eq!(out.infotype, sys::SCTP_RECVV_RCVINFO);
        assert_eq!(out.len, 28);
        let mut out2 = RecvvInfo {
            infotype: sys::SCTP_RECVV_NOINFO,
            len: 0,
            bytes: [0; 44],
        };
        assert!(!rcvinfo(&mut out2, &[1; 28], 20));
        assert_eq!(out2.infotype, sys::SCTP_RECVV_NOINFO);
    }
}
