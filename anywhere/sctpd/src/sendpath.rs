//! A program's send (destination, Linux cmsgs and flags, payload) as one usrsctp_sendv call:
//! destinations packed, SCTP_SNDINFO/PRINFO/AUTHINFO as usrsctp's struct sctp_sendv_spa with
//! its flag values and PR-SCTP policy numbers.

use crate::notify::flags_to_usr;
use crate::sendparse::{Extra, SendReq};
use crate::stack::USock;
use crate::usr;
use sctp_anywhere_proto::bytes::{rd_u16, rd_u32, wr_bytes, wr_u16, wr_u32};
use sctp_anywhere_proto::linux as lx;

/// A send ready for the stack (kept whole while a blocking caller waits for room).
pub struct Prepared {
    /// The payload.
    pub data: Vec<u8>,
    /// Packed destinations.
    pub to: Vec<u8>,
    /// How many.
    pub cnt: i32,
    /// struct sctp_sendv_spa (usrsctp's) or empty.
    pub info: Vec<u8>,
    /// SCTP_SENDV_SPA or SCTP_SENDV_NOINFO.
    pub infotype: u32,
    /// The program's send flags that the stack understands (MSG_EOR...).
    pub flags: i32,
    /// SCTP_INIT parameters for an association this send sets up.
    pub init: Option<[u8; 8]>,
    /// Linux's return value for a successful send: the length, 0 for EOF/ABORT.
    pub ret: usize,
}

impl Prepared {
    /// The stack's association the send names by id (0: none named).
    pub fn assoc(&self) -> u32 {
        use usr::sctp_sendv_spa as spa;
        if self.infotype != usr::SCTP_SENDV_SPA
            || rd_u32(&self.info, spa::sendv_flags) & usr::SCTP_SEND_SNDINFO_VALID == 0
        {
            return 0;
        }
        rd_u32(
            &self.info,
            spa::sendv_sndinfo + usr::sctp_sndinfo::snd_assoc_id,
        )
    }
}

/// The length of a socket address of `family`, 0 if not an IP family.
pub fn addr_len(family: u16) -> usize {
    match i32::from(family) {
        libc::AF_INET => core::mem::size_of::<libc::sockaddr_in>(),
        libc::AF_INET6 => core::mem::size_of::<libc::sockaddr_in6>(),
        _ => 0,
    }
}

/// Checks a destination as Linux does (sctp_verify_addr): a family this socket takes and a
/// length that holds it; EINVAL otherwise. Returns the address trimmed to its size.
pub fn verify_addr(domain: i32, name: &[u8]) -> Result<Vec<u8>, i32> {
    if name.len() < core::mem::size_of::<libc::sockaddr>() {
        return Err(libc::EINVAL);
    }
    let fam = rd_u16(name, 0);
    let len = addr_len(fam);
    if len == 0 || name.len() < len || (domain == libc::AF_INET && i32::from(fam) != libc::AF_INET)
    {
        return Err(libc::EINVAL);
    }
    Ok(name.get(..len).unwrap_or(&[]).to_vec())
}

/// usrsctp's PR-SCTP policy for Linux's (bits 4-5 of the flags). Linux's PRIO (abandon the
/// lowest priority first) has no usrsctp equal: it becomes BUF, abandon when the buffer is full.
pub fn pr_policy_to_usr(flags: u32) -> u32 {
    match flags & lx::SCTP_PR_SCTP_MASK {
        x if x == lx::SCTP_PR_SCTP_TTL => usr::SCTP_PR_SCTP_TTL,
        x if x == lx::SCTP_PR_SCTP_RTX => usr::SCTP_PR_SCTP_RTX,
        x if x == lx::SCTP_PR_SCTP_PRIO => usr::SCTP_PR_SCTP_BUF,
        _ => usr::SCTP_PR_SCTP_NONE,
    }
}

/// Builds the stack's send from what the program gave.
pub fn prepare(
    domain: i32,
    name: &[u8],
    req: &SendReq,
    data: Vec<u8>,
    msg_flags: u32,
) -> Result<Prepared, i32> {
    let mut to = Vec::new();
    let mut cnt = 0;
    if !name.is_empty() {
        let first = verify_addr(domain, name)?;
        let port = rd_u16(&first, 2);
        to.extend_from_slice(&first);
        cnt = 1;
        for x in &req.extra_dst {
            match x {
                Extra::V4(a) => {
                    let mut s = vec![0u8; core::mem::size_of::<libc::sockaddr_in>()];
                    wr_u16(&mut s, 0, libc::AF_INET as u16);
                    wr_u16(&mut s, 2, port);
                    wr_bytes(&mut s, 4, a);
                    to.extend_from_slice(&s);
                }
                Extra::V6(a) => {
                    if domain != libc::AF_INET6 {
                        return Err(libc::EINVAL);
                    }
                    let mut s = vec![0u8; core::mem::size_of::<libc::sockaddr_in6>()];
                    wr_u16(&mut s, 0, libc::AF_INET6 as u16);
                    wr_u16(&mut s, 2, port);
                    wr_bytes(&mut s, 8, a);
                    to.extend_from_slice(&s);
                }
            }
            cnt += 1;
        }
    }
    let policy = pr_policy_to_usr(req.flags);
    let (mut info, mut infotype) = (Vec::new(), usr::SCTP_SENDV_NOINFO);
    if req.has_sinfo || req.has_prinfo || req.auth_key.is_some() || policy != usr::SCTP_PR_SCTP_NONE
    {
        use usr::sctp_sendv_spa as spa;
        let mut b = vec![0u8; spa::SIZE];
        let mut vf = 0u32;
        if req.has_sinfo || req.flags & !lx::SCTP_PR_SCTP_MASK != 0 {
            use usr::sctp_sndinfo as si;
            let o = spa::sendv_sndinfo;
            wr_u16(&mut b, o + si::snd_sid, req.stream);
            wr_u16(&mut b, o + si::snd_flags, flags_to_usr(req.flags) as u16);
            wr_u32(&mut b, o + si::snd_ppid, req.ppid);
            wr_u32(&mut b, o + si::snd_context, req.context);
            wr_u32(&mut b, o + si::snd_assoc_id, req.assoc_id as u32);
            vf |= usr::SCTP_SEND_SNDINFO_VALID;
        }
        if policy != usr::SCTP_PR_SCTP_NONE {
            use usr::sctp_prinfo as p;
            wr_u16(&mut b, spa::sendv_prinfo + p::pr_policy, policy as u16);
            wr_u32(&mut b, spa::sendv_prinfo + p::pr_value, req.pr_value);
            vf |= usr::SCTP_SEND_PRINFO_VALID;
        }
        // SCTP_AUTHINFO names a key of SCTP-AUTH, which is off (as by default on Linux,
        // whose send then ignores it): the message goes without it.
        wr_u32(&mut b, spa::sendv_flags, vf);
        if vf != 0 {
            info = b;
            infotype = usr::SCTP_SENDV_SPA;
        }
    }
    let ret = if req.flags & (lx::SCTP_EOF | lx::SCTP_ABORT) != 0 {
        0
    } else {
        data.len()
    };
    // Of the program's flags only MSG_EOR means something to the stack.
    let flags = (msg_flags as i32) & libc::MSG_EOR;
    Ok(Prepared {
        data,
        to,
        cnt,
        info,
        infotype,
        flags,
        init: req.init,
        ret,
    })
}

/// Hands the send to the stack (never blocking): Linux's return value, or usrsctp's errno.
pub fn attempt(us: &USock, p: &mut Prepared) -> Result<usize, i32> {
    let mut saved = None;
    if let Some(init) = p.init {
        let mut old = [0u8; 8];
        if us
            .getsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &mut old)
            .is_ok()
        {
            saved = Some(old);
        }
        let _ = us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &init);
    }
    // usrsctp_sendv takes one destination: a new association to several addresses (Linux's
    // SCTP_DSTADDRV4/V6) is set up with connectx first, then the message goes to the first.
    let first =
        p.to.get(..addr_len(rd_u16(&p.to, 0)))
            .unwrap_or(&[])
            .to_vec();
    let mut r = Ok(0);
    if p.cnt > 1
        && crate::ops::peer_assoc(us, &first) == 0
        && let Err((e, _)) = us.connectx(&p.to, p.cnt)
        && e != libc::EINPROGRESS
    {
        r = Err(e);
    }
    let mut to = first;
    let cnt = p.cnt.min(1);
    if r.is_ok() {
        r = us.sendv(&p.data, &mut to, cnt, &mut p.info, p.infotype, p.flags);
    }
    if let Some(old) = saved {
        let _ = us.setsockopt(libc::IPPROTO_SCTP, usr::SCTP_INITMSG, &old);
    }
    r.map(|_| p.ret)
}
