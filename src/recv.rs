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

/// What one recvmsg returned besides the data.
struct Received {
    len: usize,
    namelen: libc::socklen_t,
    flags: c_int,
    control_len: usize,
}

fn recvmsg(
    fd: c_int,
    k: KernelOut,
    namelen: libc::socklen_t,
    control: &mut [u8],
    flags: c_int,
) -> Result<Received> {
    // SAFETY: all-zero is a valid msghdr.
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_name = k.from;
    m.msg_namelen = namelen;
    m.msg_iov = k.iov.0.cast_mut();
    m.msg_iovlen = k.iov.1 as _;
    m.msg_control = control.as_mut_ptr().cast();
    m.msg_controllen = control.len() as _;
    // SAFETY: the kernel writes msg_name and the iovec buffers (and checks them: EFAULT) and at
    // most msg_controllen bytes of `control`, which lives for the call.
    let n = check_syscall(unsafe { libc::recvmsg(fd, &mut m, flags) })?;
    Ok(Received {
        len: n as usize,
        namelen: m.msg_namelen,
        flags: m.msg_flags,
        control_len: (m.msg_controllen as usize).min(control.len()),
    })
}

/// Iterates over the (level, type, data) of the cmsgs in `buf` (what the kernel wrote).
fn cmsgs(buf: &[u8]) -> impl Iterator<Item = (c_int, c_int, &[u8])> {
    const HDR: usize = size_of::<libc::cmsghdr>();
    const ALIGN: usize = size_of::<usize>();
    let mut rest = buf;
    core::iter::from_fn(move || {
        let hdr = rest.get(..HDR)?;
        let len = usize::from_ne_bytes(hdr[..ALIGN].try_into().ok()?);
        let level = c_int::from_ne_bytes(hdr[ALIGN..ALIGN + 4].try_into().ok()?);
        let ty = c_int::from_ne_bytes(hdr[ALIGN + 4..ALIGN + 8].try_into().ok()?);
        let data = rest.get(HDR..len)?;
        rest = rest.get((len + ALIGN - 1) & !(ALIGN - 1)..).unwrap_or(&[]);
        Some((level, ty, data))
    })
}

fn read<T: Copy>(data: &[u8]) -> Option<T> {
    // SAFETY: T is a plain-data kernel struct (integers only) and `data` holds at least
    // size_of::<T>() bytes; read_unaligned needs no alignment.
    (data.len() >= size_of::<T>()).then(|| unsafe { data.as_ptr().cast::<T>().read_unaligned() })
}

/// In/out arguments of sctp_recvmsg that the library itself reads or writes.
pub struct RecvmsgArgs<'a> {
    pub fromlen: Option<&'a mut libc::socklen_t>,
    pub sinfo: Option<&'a mut sctp_sndrcvinfo>,
    pub msg_flags: Option<&'a mut c_int>,
}

/// sctp_recvmsg: one recvmsg(fd, flags = *msg_flags or 0) into one buffer; on success writes
/// back *fromlen and *msg_flags, zeroes *sinfo and fills it from the SCTP_SNDRCV cmsg when one
/// arrived (only with SCTP_EVENTS data_io enabled; also when SCTP_RECVRCVINFO/NXTINFO are on). Returns the length. Errors are the kernel's;
/// on error nothing is written.
pub fn recvmsg_sinfo(fd: c_int, k: KernelOut, a: RecvmsgArgs<'_>) -> Result<usize> {
    // Room for SCTP_SNDRCV beside SCTP_RCVINFO and SCTP_NXTINFO, which the kernel writes
    // first when SCTP_RECVRCVINFO/SCTP_RECVNXTINFO are on (lksctp's 48 bytes then lose SNDRCV
    // and report MSG_CTRUNC).
    let mut ctl = [0u8; crate::cmsg::SNDRCV_SPACE
        + crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
        + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>())];
    let namelen = a.fromlen.as_deref().copied().unwrap_or(0);
    let flags = a.msg_flags.as_deref().copied().unwrap_or(0);
    let r = recvmsg(fd, k, namelen, &mut ctl, flags)?;
    if let Some(l) = a.fromlen {
        *l = r.namelen;
    }
    if let Some(f) = a.msg_flags {
        *f = r.flags;
    }
    if let Some(si) = a.sinfo {
        let got = cmsgs(&ctl[..r.control_len])
            .find(|(lvl, ty, _)| *lvl == sys::IPPROTO_SCTP && *ty == sys::SCTP_SNDRCV)
            .and_then(|(_, _, d)| read::<sctp_sndrcvinfo>(d));
        // SAFETY: all-zero is a valid sctp_sndrcvinfo.
        *si = got.unwrap_or(unsafe { core::mem::zeroed() });
    }
    Ok(r.len)
}

/// What sctp_recvv reports: the infotype and the bytes of info to write.
pub struct RecvvInfo {
    pub infotype: u32,
    pub len: usize,
    pub bytes: [u8; size_of::<sctp_rcvinfo>() + size_of::<sctp_nxtinfo>()],
}

/// In/out arguments of sctp_recvv that the library itself reads or writes.
pub struct RecvvArgs<'a> {
    pub fromlen: Option<&'a mut libc::socklen_t>,
    pub flags: Option<&'a mut c_int>,
    /// (`*infolen` on entry, the caller's info buffer) when info, infolen and infotype are all
    /// given.
    pub info_room: Option<usize>,
}

/// sctp_recvv: one recvmsg(fd, iov, flags = *flags or 0); writes back *fromlen and *flags; when
/// the caller passed info, infolen and infotype, returns the info to store, combined as lksctp
/// does: RCVINFO (SCTP_RECVRCVINFO on), NXTINFO (SCTP_RECVNXTINFO on and a next message
/// queued), or both as RN (struct sctp_recvv_rn), each only when `info_room` holds it.
pub fn recvv(fd: c_int, k: KernelOut, a: RecvvArgs<'_>) -> Result<(usize, Option<RecvvInfo>)> {
    // Room for both cmsgs (lksctp's buffer holds 64 bytes, less than the 80 both need).
    let mut ctl = [0u8; crate::cmsg::cmsg_space(size_of::<sctp_rcvinfo>())
        + crate::cmsg::cmsg_space(size_of::<sctp_nxtinfo>())];
    let namelen = a.fromlen.as_deref().copied().unwrap_or(0);
    let flags = a.flags.as_deref().copied().unwrap_or(0);
    let r = recvmsg(fd, k, namelen, &mut ctl, flags)?;
    if let Some(l) = a.fromlen {
        *l = r.namelen;
    }
    if let Some(f) = a.flags {
        *f = r.flags;
    }
    let Some(room) = a.info_room else {
        return Ok((r.len, None));
    };
    const RCV: usize = size_of::<sctp_rcvinfo>();
    const NXT: usize = size_of::<sctp_nxtinfo>();
    let mut out = RecvvInfo {
        infotype: sys::SCTP_RECVV_NOINFO,
        len: 0,
        bytes: [0; RCV + NXT],
    };
    for (level, ty, data) in cmsgs(&ctl[..r.control_len]) {
        let ok = match (level, ty) {
            (sys::IPPROTO_SCTP, sys::SCTP_RCVINFO) => match data.get(..RCV) {
                Some(d) => rcvinfo(&mut out, d, room),
                None => continue,
            },
            (sys::IPPROTO_SCTP, sys::SCTP_NXTINFO) => match data.get(..NXT) {
                Some(d) => nxtinfo(&mut out, d, room),
                None => continue,
            },
            _ => continue,
        };
        if !ok {
            break;
        }
    }
    Ok((r.len, Some(out)))
}

/// lksctp's RCVINFO step; false stops the walk.
fn rcvinfo(out: &mut RecvvInfo, data: &[u8], room: usize) -> bool {
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
fn nxtinfo(out: &mut RecvvInfo, data: &[u8], room: usize) -> bool {
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
