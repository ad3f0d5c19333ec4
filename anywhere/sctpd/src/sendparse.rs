//! What a program asked to send, read as Linux reads it (net/sctp/socket.c:
//! sctp_msghdr_parse, sctp_sendmsg_parse): its cmsgs (the program's own bytes, untrusted) and
//! flags, checked with Linux's errors, into one [`SendReq`] in Linux's terms. sendpath.rs maps
//! it onto usrsctp.

use sctp_anywhere_proto::bytes::{rd_i32, rd_u16, rd_u32};
use sctp_anywhere_proto::linux as lx;

/// A parsed send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendReq {
    /// sinfo_stream.
    pub stream: u16,
    /// sinfo_flags (Linux bits, PR-SCTP policy in bits 4-5).
    pub flags: u32,
    /// sinfo_ppid (network order as given).
    pub ppid: u32,
    /// sinfo_context.
    pub context: u32,
    /// sinfo_timetolive / pr_value.
    pub pr_value: u32,
    /// sinfo_assoc_id.
    pub assoc_id: i32,
    /// A SCTP_SNDRCV or SCTP_SNDINFO cmsg was given (else the socket's defaults apply).
    pub has_sinfo: bool,
    /// SCTP_PRINFO given.
    pub has_prinfo: bool,
    /// SCTP_AUTHINFO key number, if given.
    pub auth_key: Option<u16>,
    /// SCTP_INIT: the struct sctp_initmsg bytes.
    pub init: Option<[u8; 8]>,
    /// Extra destinations (SCTP_DSTADDRV4/V6), as sockaddr bytes with the port to be filled.
    pub extra_dst: Vec<Extra>,
}

/// An SCTP_DSTADDRV4/V6 destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extra {
    /// struct in_addr.
    V4([u8; 4]),
    /// struct in6_addr.
    V6([u8; 16]),
}

/// The data of one cmsg, if given.
type Cmsg<'a> = Option<&'a [u8]>;

/// cmsghdr: cmsg_len (size_t), cmsg_level (int), cmsg_type (int).
const CMSG_HDR: usize = 16;

fn cmsg_align(n: usize) -> usize {
    (n + 7) & !7
}

/// CMSG_LEN(n).
pub fn cmsg_len(n: usize) -> usize {
    CMSG_HDR + n
}

/// The sinfo_flags bits Linux accepts.
fn valid_flags() -> u32 {
    lx::SCTP_UNORDERED
        | lx::SCTP_ADDR_OVER
        | lx::SCTP_SACK_IMMEDIATELY
        | lx::SCTP_SENDALL
        | lx::SCTP_PR_SCTP_MASK
        | lx::SCTP_ABORT
        | lx::SCTP_EOF
}

/// Parses the cmsgs of a sendmsg (`control`, as the program gave it) like sctp_msghdr_parse,
/// then fills the send's fields like sctp_sendmsg_parse (without the checks that need the
/// message length and socket: [`check_flags`]). Err is a Linux errno.
pub fn parse(control: &[u8]) -> Result<SendReq, i32> {
    let mut r = SendReq::default();
    let (mut srinfo, mut sinfo, mut prinfo): (Cmsg, Cmsg, Cmsg) = (None, None, None);
    let mut off = 0usize;
    // for_each_cmsghdr: while the remaining room holds a header.
    while control.len().saturating_sub(off) >= CMSG_HDR {
        let len =
            usize::try_from(sctp_anywhere_proto::bytes::rd_u64(control, off)).unwrap_or(usize::MAX);
        let level = rd_i32(control, off + 8);
        let ty = rd_i32(control, off + 12);
        // CMSG_OK: a length below the header's or past the buffer is EINVAL.
        if len < CMSG_HDR || len > control.len() - off {
            return Err(libc::EINVAL);
        }
        let data = control.get(off + CMSG_HDR..off + len).unwrap_or(&[]);
        if level == lx::IPPROTO_SCTP {
            match ty {
                t if t == lx::SCTP_INIT => {
                    if len != cmsg_len(lx::sctp_initmsg::SIZE) {
                        return Err(libc::EINVAL);
                    }
                    let mut b = [0u8; 8];
                    b.copy_from_slice(data.get(..8).ok_or(libc::EINVAL)?);
                    r.init = Some(b);
                }
                t if t == lx::SCTP_SNDRCV => {
                    if len != cmsg_len(lx::sctp_sndrcvinfo::SIZE) {
                        return Err(libc::EINVAL);
                    }
                    if u32::from(rd_u16(data, lx::sctp_sndrcvinfo::sinfo_flags)) & !valid_flags()
                        != 0
                    {
                        return Err(libc::EINVAL);
                    }
                    srinfo = Some(data);
                }
                t if t == lx::SCTP_SNDINFO => {
                    if len != cmsg_len(lx::sctp_sndinfo::SIZE) {
                        return Err(libc::EINVAL);
                    }
                    if u32::from(rd_u16(data, lx::sctp_sndinfo::snd_flags)) & !valid_flags() != 0 {
                        return Err(libc::EINVAL);
                    }
                    sinfo = Some(data);
                }
                t if t == lx::SCTP_PRINFO => {
                    if len != cmsg_len(lx::sctp_prinfo::SIZE) {
                        return Err(libc::EINVAL);
                    }
                    if u32::from(rd_u16(data, lx::sctp_prinfo::pr_policy)) > lx::SCTP_PR_SCTP_PRIO {
                        return Err(libc::EINVAL);
                    }
                    prinfo = Some(data);
                }
                t if t == lx::SCTP_AUTHINFO => {
                    if len != cmsg_len(lx::sctp_authinfo::SIZE) {
                        return Err(libc::EINVAL);
                    }
                    r.auth_key = Some(rd_u16(data, lx::sctp_authinfo::auth_keynumber));
                }
                t if t == lx::SCTP_DSTADDRV4 => {
                    if len != cmsg_len(4) {
                        return Err(libc::EINVAL);
                    }
                    let mut a = [0u8; 4];
                    a.copy_from_slice(data.get(..4).ok_or(libc::EINVAL)?);
                    r.extra_dst.push(Extra::V4(a));
                }
                t if t == lx::SCTP_DSTADDRV6 => {
                    if len != cmsg_len(16) {
                        return Err(libc::EINVAL);
                    }
                    let mut a = [0u8; 16];
                    a.copy_from_slice(data.get(..16).ok_or(libc::EINVAL)?);
                    r.extra_dst.push(Extra::V6(a));
                }
                _ => return Err(libc::EINVAL),
            }
        }
        off = off.saturating_add(cmsg_align(len));
    }
    if let Some(s) = srinfo {
        r.stream = rd_u16(s, lx::sctp_sndrcvinfo::sinfo_stream);
        r.flags = u32::from(rd_u16(s, lx::sctp_sndrcvinfo::sinfo_flags));
        r.ppid = rd_u32(s, lx::sctp_sndrcvinfo::sinfo_ppid);
        r.context = rd_u32(s, lx::sctp_sndrcvinfo::sinfo_context);
        r.pr_value = rd_u32(s, lx::sctp_sndrcvinfo::sinfo_timetolive);
        r.assoc_id = rd_i32(s, lx::sctp_sndrcvinfo::sinfo_assoc_id);
        r.has_sinfo = true;
    }
    if let Some(s) = sinfo {
        r.stream = rd_u16(s, lx::sctp_sndinfo::snd_sid);
        r.flags = u32::from(rd_u16(s, lx::sctp_sndinfo::snd_flags));
        r.ppid = rd_u32(s, lx::sctp_sndinfo::snd_ppid);
        r.context = rd_u32(s, lx::sctp_sndinfo::snd_context);
        r.assoc_id = rd_i32(s, lx::sctp_sndinfo::snd_assoc_id);
        r.has_sinfo = true;
    }
    if let Some(p) = prinfo {
        r.pr_value = rd_u32(p, lx::sctp_prinfo::pr_value);
        r.flags = (r.flags & !lx::SCTP_PR_SCTP_MASK)
            | (u32::from(rd_u16(p, lx::sctp_prinfo::pr_policy)) & lx::SCTP_PR_SCTP_MASK);
        r.has_prinfo = true;
    }
    Ok(r)
}

/// sctp_sendmsg_parse's checks of the flags against the message and socket: EINVAL for EOF or
/// ABORT on a one-to-one socket, EOF with data, no data without EOF/ABORT, ADDR_OVER without a
/// destination.
pub fn check_flags(
    r: &SendReq,
    msg_len: usize,
    one_to_one: bool,
    has_name: bool,
) -> Result<(), i32> {
    let f = r.flags;
    if f == 0 && msg_len > 0 {
        return Ok(());
    }
    if one_to_one && f & (lx::SCTP_EOF | lx::SCTP_ABORT) != 0 {
        return Err(libc::EINVAL);
    }
    if (f & lx::SCTP_EOF != 0 && msg_len > 0)
        || (f & (lx::SCTP_EOF | lx::SCTP_ABORT) == 0 && msg_len == 0)
    {
        return Err(libc::EINVAL);
    }
    if f & lx::SCTP_ADDR_OVER != 0 && !has_name {
        return Err(libc::EINVAL);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmsg(ty: i32, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&(cmsg_len(data.len()) as u64).to_ne_bytes());
        v.extend_from_slice(&lx::IPPROTO_SCTP.to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(data);
        while v.len() % 8 != 0 {
            v.push(0);
        }
        v
    }

    #[test]
    fn sndrcv_then_prinfo() {
        let mut s = [0u8; 32];
        s[0..2].copy_from_slice(&3u16.to_ne_bytes());
        s[4..6].copy_from_slice(&(lx::SCTP_UNORDERED as u16).to_ne_bytes());
        s[8..12].copy_from_slice(&7u32.to_ne_bytes());
        s[28..32].copy_from_slice(&9i32.to_ne_bytes());
        let mut p = [0u8; 8];
        p[0..2].copy_from_slice(&(lx::SCTP_PR_SCTP_TTL as u16).to_ne_bytes());
        p[4..8].copy_from_slice(&100u32.to_ne_bytes());
        let mut c = cmsg(lx::SCTP_SNDRCV, &s);
        c.extend(cmsg(lx::SCTP_PRINFO, &p));
        let r = parse(&c).unwrap();
        assert_eq!((r.stream, r.ppid, r.assoc_id, r.pr_value), (3, 7, 9, 100));
        assert_eq!(r.flags, lx::SCTP_UNORDERED | lx::SCTP_PR_SCTP_TTL);
    }

    #[test]
    fn linux_errors() {
        // A wrong length, an unknown type, a bad flag, a cmsg_len past the buffer.
        assert_eq!(
            parse(&cmsg(lx::SCTP_SNDINFO, &[0u8; 15])),
            Err(libc::EINVAL)
        );
        assert_eq!(parse(&cmsg(99, &[0u8; 4])), Err(libc::EINVAL));
        let mut s = [0u8; 16];
        s[2..4].copy_from_slice(&0x100u16.to_ne_bytes());
        assert_eq!(parse(&cmsg(lx::SCTP_SNDINFO, &s)), Err(libc::EINVAL));
        let mut c = cmsg(lx::SCTP_SNDINFO, &[0u8; 16]);
        c[0] = 200;
        assert_eq!(parse(&c), Err(libc::EINVAL));
        // Another level's cmsg is skipped; a short tail is ignored.
        let mut other = cmsg(1, &[0u8; 4]);
        other[8..12].copy_from_slice(&libc::SOL_SOCKET.to_ne_bytes());
        other.extend_from_slice(&[0u8; 8]);
        assert_eq!(parse(&other), Ok(SendReq::default()));
        assert_eq!(
            check_flags(&SendReq::default(), 0, false, false),
            Err(libc::EINVAL)
        );
        let eof = SendReq {
            flags: lx::SCTP_EOF,
            ..SendReq::default()
        };
        assert_eq!(check_flags(&eof, 0, false, false), Ok(()));
        assert_eq!(check_flags(&eof, 1, false, false), Err(libc::EINVAL));
        assert_eq!(check_flags(&eof, 0, true, false), Err(libc::EINVAL));
    }
}
