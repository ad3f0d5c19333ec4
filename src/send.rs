//! Safe core of sctp_send and sctp_sendx: exactly one sendmsg each, ancillary data built on the
//! stack.

use core::ffi::{c_int, c_void};

use crate::addrs::PackedAddrs;
use crate::cmsg::{self, CmsgBuf};
use crate::error::{Errno, Result, Sys};
use crate::sys::{sctp_assoc_t, sctp_sndrcvinfo};

/// Bytes that only the kernel reads: the message of a send. It stays a raw pointer and length
/// down to the syscall, so NULL with length 0 is legal and a bad pointer is the kernel's EFAULT.
#[derive(Clone, Copy, Debug)]
pub struct UserBuf {
    /// Start of the message (may be NULL when `len` is 0).
    pub ptr: *const c_void,
    /// Length of the message in bytes.
    pub len: usize,
}

impl UserBuf {
    /// The `len` bytes at `ptr` (not checked here: the kernel reads them).
    pub fn new(ptr: *const c_void, len: usize) -> Self {
        UserBuf { ptr, len }
    }

    /// The bytes of `b`.
    pub fn from_slice(b: &[u8]) -> Self {
        UserBuf {
            ptr: b.as_ptr().cast(),
            len: b.len(),
        }
    }
}

/// The iovec count of a C caller (sctp_sendv's iovcnt, sctp_recvv's iovlen) as msg_iovlen. A
/// negative count is EMSGSIZE, the kernel's answer for a count it cannot take (more than
/// IOV_MAX), given here without handing the kernel an array length of SIZE_MAX that the caller's
/// array cannot back.
pub fn iov_count(count: c_int) -> Result<usize> {
    usize::try_from(count).map_err(|_| Errno(libc::EMSGSIZE))
}

/// Memory only the kernel reads on a send: the destination (msg_name) and the iovec array.
/// Raw pointer and length down to the syscall: NULL with 0 is legal, a bad pointer is EFAULT.
#[derive(Clone, Copy, Debug)]
pub struct KernelIn {
    /// msg_name and msg_namelen: the destination address (NULL and 0 for none).
    pub name: (*const c_void, libc::socklen_t),
    /// msg_iov and msg_iovlen: the buffers of the message.
    pub iov: (*const libc::iovec, usize),
}

/// One sendmsg(fd, {name, iov, control}, flags): its own return value.
#[inline(always)]
pub(crate) fn sendmsg_sys(
    fd: c_int,
    k: KernelIn,
    control: (*mut c_void, usize),
    flags: c_int,
) -> Sys {
    let m = crate::sys::MsgHdr::new((k.name.0.cast_mut(), k.name.1), k.iov, control);
    // SAFETY: `m` is a whole struct msghdr (every byte defined); the kernel only reads
    // msg_name, msg_iov and the buffers they describe, and checks them (EFAULT); control is
    // valid for its length for the duration of the call.
    Sys(unsafe { libc::sendmsg(fd, m.as_ptr(), flags) })
}

/// One sendmsg(fd, {name, [msg], control}, flags).
#[inline(always)]
fn sendmsg_one(
    fd: c_int,
    name: (*const c_void, libc::socklen_t),
    msg: UserBuf,
    control: (*mut c_void, usize),
    flags: c_int,
) -> Sys {
    let iov = libc::iovec {
        iov_base: msg.ptr.cast_mut(),
        iov_len: msg.len,
    };
    sendmsg_sys(
        fd,
        KernelIn {
            name,
            iov: (&iov, 1),
        },
        control,
        flags,
    )
}

fn no_name() -> (*const c_void, libc::socklen_t) {
    (core::ptr::null(), 0)
}

/// sctp_sendmsg (lksctp): sends `msg` to `to` (may be NULL: the association of a one-to-one
/// socket) with one SCTP_SNDRCV cmsg carrying ppid, flags, stream, timetolive and context (the
/// rest zero), with sendmsg flags 0. Returns sendmsg's own result (errors are the kernel's).
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn sctp_sendmsg(
    fd: c_int,
    msg: UserBuf,
    to: (*const c_void, libc::socklen_t),
    ppid: u32,
    flags: u32,
    stream: u16,
    timetolive: u32,
    context: u32,
) -> Sys {
    // lksctp stores the 32-bit flags in the 16-bit field: the same truncation here.
    let sinfo = cmsg::SndRcvWords::new(stream, flags as u16, ppid, context, timetolive);
    let mut buf = CmsgBuf::<{ cmsg::SNDRCV_SPACE }>::uninit();
    let mut w = buf.writer();
    // The buffer holds exactly one SCTP_SNDRCV: the push cannot fail.
    let _ = w.push(&sinfo);
    sendmsg_one(fd, to, msg, w.control(), 0)
}

/// sctp_send from a C caller: sends `msg` on the association `sinfo.sinfo_assoc_id`
/// (one-to-many) or the connected association (one-to-one), with one SCTP_SNDRCV cmsg holding
/// `*sinfo`'s bytes (padding zeroed). A NULL `sinfo` sends without ancillary data, so the
/// socket's default send parameters apply. `flags` goes to sendmsg (MSG_NOSIGNAL,
/// MSG_DONTWAIT, ...). Returns sendmsg's own result.
///
/// # Safety
/// `sinfo` is NULL or readable for 32 bytes (any alignment).
#[inline(always)]
pub unsafe fn send_raw(
    fd: c_int,
    msg: UserBuf,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> Sys {
    let mut buf = CmsgBuf::<{ cmsg::SNDRCV_SPACE }>::uninit();
    let mut w = buf.writer();
    if !sinfo.is_null() {
        // SAFETY: readable per the contract; the buffer holds exactly one SCTP_SNDRCV, so the
        // push cannot fail.
        let _ = unsafe { w.push_raw(sinfo) };
    }
    sendmsg_one(fd, no_name(), msg, w.control(), flags)
}

/// sctp_send: as [`send_raw`], from a Rust value. Errors are the kernel's.
pub fn send(
    fd: c_int,
    msg: UserBuf,
    sinfo: Option<&sctp_sndrcvinfo>,
    flags: c_int,
) -> Result<usize> {
    let p = sinfo.map_or(core::ptr::null(), |s| s as *const sctp_sndrcvinfo);
    // SAFETY: NULL or a reference.
    unsafe { send_raw(fd, msg, p, flags) }.check()
}

/// sctp_sendx from a C caller: sends `msg` to the peer at `addrs`.
///
/// A nonzero `sinfo_assoc_id` has priority: the message goes on that association exactly as
/// [`send_raw`] sends it, and `addrs` (already validated) is not used. Otherwise one sendmsg
/// with msg_name = the first address and the others as SCTP_DSTADDRV4/SCTP_DSTADDRV6 cmsgs: the
/// kernel reuses an existing association to the first address or sets one up implicitly to all
/// of them. `sinfo`, when not NULL, travels as an SCTP_SNDRCV cmsg; NULL leaves the socket's
/// default send parameters in force. No allocation up to [`cmsg::STACK_ADDRS`] addresses, one
/// beyond (Err(ENOMEM) if it fails); otherwise sendmsg's own result.
///
/// # Safety
/// `sinfo` is NULL or readable for 32 bytes (any alignment).
pub unsafe fn sendx_raw(
    fd: c_int,
    msg: UserBuf,
    addrs: &PackedAddrs<'_>,
    sinfo: *const sctp_sndrcvinfo,
    flags: c_int,
) -> Result<Sys> {
    if !sinfo.is_null() {
        // SAFETY: readable for 32 bytes per the contract; the id is bytes 28..32.
        let id = unsafe {
            sinfo
                .cast::<u8>()
                .add(core::mem::offset_of!(sctp_sndrcvinfo, sinfo_assoc_id))
                .cast::<sctp_assoc_t>()
                .read_unaligned()
        };
        if id != 0 {
            // SAFETY: forwarded contract.
            return Ok(unsafe { send_raw(fd, msg, sinfo, flags) });
        }
    }
    let info_space = if sinfo.is_null() {
        0
    } else {
        cmsg::SNDRCV_SPACE
    };
    cmsg::with_dstaddrs(Some(addrs), info_space, |mut w| {
        if !sinfo.is_null() {
            // SAFETY: forwarded contract.
            unsafe { w.push_raw(sinfo) }?;
        }
        let first = addrs.first().as_bytes();
        let name = (first.as_ptr().cast(), first.len() as libc::socklen_t);
        Ok(sendmsg_one(fd, name, msg, w.control(), flags))
    })
}

/// sctp_sendx: as [`sendx_raw`], from a Rust value.
pub fn sendx(
    fd: c_int,
    msg: UserBuf,
    addrs: &PackedAddrs<'_>,
    sinfo: Option<&sctp_sndrcvinfo>,
    flags: c_int,
) -> Result<usize> {
    let p = sinfo.map_or(core::ptr::null(), |s| s as *const sctp_sndrcvinfo);
    // SAFETY: NULL or a reference.
    unsafe { sendx_raw(fd, msg, addrs, p, flags) }?.check()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addrs::tests::v4;
    use crate::error::Errno;
    use crate::testutil::{Pair, close, recv_sinfo, sctp_socket};

    fn sinfo(assoc: i32, stream: u16, ppid: u32) -> sctp_sndrcvinfo {
        sctp_sndrcvinfo {
            sinfo_stream: stream,
            sinfo_ssn: 0,
            sinfo_flags: 0,
            sinfo_ppid: ppid,
            sinfo_context: 0,
            sinfo_timetolive: 0,
            sinfo_tsn: 0,
            sinfo_cumtsn: 0,
            sinfo_assoc_id: assoc,
        }
    }

    #[test]
    fn send_errors_are_the_kernels() {
        let m = UserBuf::from_slice(b"x");
        assert_eq!(send(-1, m, None, 0), Err(Errno(libc::EBADF)));
        let s = sctp_socket(libc::AF_INET, libc::SOCK_SEQPACKET);
        // No association 777 on this socket: the kernel says EPIPE (MSG_NOSIGNAL: no signal).
        let si = sinfo(777, 0, 0);
        assert_eq!(
            send(s, m, Some(&si), libc::MSG_NOSIGNAL),
            Err(Errno(libc::EPIPE))
        );
        close(s);
    }

    #[test]
    fn send_carries_stream_and_ppid() {
        let pair = Pair::new();
        let si = sinfo(pair.client_assoc, 2, 0x0102_0304);
        let n = send(pair.client, UserBuf::from_slice(b"hello"), Some(&si), 0).unwrap();
        assert_eq!(n, 5);
        let (data, got) = recv_sinfo(pair.server);
        assert_eq!(data, b"hello");
        assert_eq!(got.sinfo_stream, 2);
        assert_eq!(got.sinfo_ppid, 0x0102_0304);
        assert_eq!(got.sinfo_assoc_id, pair.server_assoc);
    }

    #[test]
    fn sendx_reuses_the_association_to_its_first_address() {
        let pair = Pair::new();
        let a = v4([127, 0, 0, 1], pair.server_port);
        let addrs = PackedAddrs::parse(&a, 1).unwrap();
        let si = sinfo(0, 1, 9);
        let n = sendx(
            pair.client,
            UserBuf::from_slice(b"abc"),
            &addrs,
            Some(&si),
            0,
        )
        .unwrap();
        assert_eq!(n, 3);
        let (data, got) = recv_sinfo(pair.server);
        assert_eq!(data, b"abc");
        assert_eq!(got.sinfo_stream, 1);
        assert_eq!(got.sinfo_assoc_id, pair.server_assoc);
    }

    #[test]
    fn sendx_assoc_id_beats_the_address() {
        let one = Pair::new();
        let two = Pair::with_client(one.client);
        // Address of peer one, id of the association to peer two: peer two receives.
        let a = v4([127, 0, 0, 1], one.server_port);
        let addrs = PackedAddrs::parse(&a, 1).unwrap();
        let si = sinfo(two.client_assoc, 0, 7);
        sendx(one.client, UserBuf::from_slice(b"id"), &addrs, Some(&si), 0).unwrap();
        let (data, got) = recv_sinfo(two.server);
        assert_eq!(data, b"id");
        assert_eq!(got.sinfo_ppid, 7);
    }
}
