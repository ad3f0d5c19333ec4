//! usrsctp's notifications in Linux's types, values and layouts (what a program reading an
//! SCTP socket on Linux gets), and the receive info's flags. Every field is read at usrsctp's
//! offset and written at Linux's (both from the facts modules).

use crate::usr;
use sctp_anywhere_proto::bytes::{rd_bytes, rd_u16, rd_u32, wr_bytes, wr_u16, wr_u32};
use sctp_anywhere_proto::linux as lx;

/// Which notifications the program subscribed to, in Linux's terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Subs {
    /// Bit (type - SCTP_SN_TYPE_BASE) for each Linux notification type subscribed to
    /// (bit 0 is SCTP_DATA_IO_EVENT, the SCTP_SNDRCV cmsg).
    pub bits: u32,
}

impl Subs {
    /// Whether Linux type `t` (0x8000..) is on.
    pub fn on(&self, t: u32) -> bool {
        (lx::SCTP_SN_TYPE_BASE..=lx::SCTP_SN_TYPE_MAX).contains(&t)
            && self.bits & (1 << (t - lx::SCTP_SN_TYPE_BASE)) != 0
    }

    /// Both sets together.
    pub fn union(self, other: &Subs) -> Subs {
        Subs {
            bits: self.bits | other.bits,
        }
    }

    /// Turns Linux type `t` on or off.
    pub fn set(&mut self, t: u32, on: bool) {
        if (lx::SCTP_SN_TYPE_BASE..=lx::SCTP_SN_TYPE_MAX).contains(&t) {
            let b = 1 << (t - lx::SCTP_SN_TYPE_BASE);
            if on { self.bits |= b } else { self.bits &= !b }
        }
    }
}

/// The usrsctp notification type that produces Linux type `t`, if any (SCTP_EVENT on the
/// stack follows the program's subscriptions).
pub fn usr_type_for(t: u32) -> Option<u32> {
    Some(match t {
        x if x == lx::SCTP_ASSOC_CHANGE => usr::SCTP_ASSOC_CHANGE,
        x if x == lx::SCTP_PEER_ADDR_CHANGE => usr::SCTP_PEER_ADDR_CHANGE,
        x if x == lx::SCTP_SEND_FAILED || x == lx::SCTP_SEND_FAILED_EVENT => {
            usr::SCTP_SEND_FAILED_EVENT
        }
        x if x == lx::SCTP_REMOTE_ERROR => usr::SCTP_REMOTE_ERROR,
        x if x == lx::SCTP_SHUTDOWN_EVENT => usr::SCTP_SHUTDOWN_EVENT,
        x if x == lx::SCTP_PARTIAL_DELIVERY_EVENT => usr::SCTP_PARTIAL_DELIVERY_EVENT,
        x if x == lx::SCTP_ADAPTATION_INDICATION => usr::SCTP_ADAPTATION_INDICATION,
        x if x == lx::SCTP_AUTHENTICATION_EVENT => usr::SCTP_AUTHENTICATION_EVENT,
        x if x == lx::SCTP_SENDER_DRY_EVENT => usr::SCTP_SENDER_DRY_EVENT,
        x if x == lx::SCTP_STREAM_RESET_EVENT => usr::SCTP_STREAM_RESET_EVENT,
        x if x == lx::SCTP_ASSOC_RESET_EVENT => usr::SCTP_ASSOC_RESET_EVENT,
        x if x == lx::SCTP_STREAM_CHANGE_EVENT => usr::SCTP_STREAM_CHANGE_EVENT,
        _ => return None,
    })
}

/// Linux's sinfo/snd/rcv flags for usrsctp's (the bits both have).
pub fn flags_to_linux(f: u32) -> u32 {
    let mut o = 0;
    for (u, l) in [
        (usr::SCTP_UNORDERED, lx::SCTP_UNORDERED),
        (usr::SCTP_ADDR_OVER, lx::SCTP_ADDR_OVER),
        (usr::SCTP_ABORT, lx::SCTP_ABORT),
        (usr::SCTP_EOF, lx::SCTP_EOF),
        (usr::SCTP_SENDALL, lx::SCTP_SENDALL),
        (usr::SCTP_SACK_IMMEDIATELY, lx::SCTP_SACK_IMMEDIATELY),
    ] {
        if f & u != 0 {
            o |= l;
        }
    }
    o
}

/// usrsctp's flags for Linux's (the PR-SCTP policy bits are not flags there: see sendpath).
pub fn flags_to_usr(f: u32) -> u32 {
    let mut o = 0;
    for (l, u) in [
        (lx::SCTP_UNORDERED, usr::SCTP_UNORDERED),
        (lx::SCTP_ADDR_OVER, usr::SCTP_ADDR_OVER),
        (lx::SCTP_ABORT, usr::SCTP_ABORT),
        (lx::SCTP_EOF, usr::SCTP_EOF),
        (lx::SCTP_SENDALL, usr::SCTP_SENDALL),
        (lx::SCTP_SACK_IMMEDIATELY, usr::SCTP_SACK_IMMEDIATELY),
    ] {
        if f & l != 0 {
            o |= u;
        }
    }
    o
}

/// A struct sctp_rcvinfo in Linux's layout from usrsctp's (the association id mapped by
/// `map`). Linux reports a cumulative TSN only with an unordered message (0 otherwise).
pub fn rcvinfo_to_linux(u: &[u8], map: &mut dyn FnMut(u32) -> u32) -> [u8; 28] {
    use lx::sctp_rcvinfo as l;
    use usr::sctp_rcvinfo as s;
    let mut o = [0u8; 28];
    let flags = flags_to_linux(u32::from(rd_u16(u, s::rcv_flags)));
    wr_u16(&mut o, l::rcv_sid, rd_u16(u, s::rcv_sid));
    wr_u16(&mut o, l::rcv_ssn, rd_u16(u, s::rcv_ssn));
    wr_u16(&mut o, l::rcv_flags, flags as u16);
    wr_u32(&mut o, l::rcv_ppid, rd_u32(u, s::rcv_ppid));
    wr_u32(&mut o, l::rcv_tsn, rd_u32(u, s::rcv_tsn));
    if flags & lx::SCTP_UNORDERED != 0 {
        wr_u32(&mut o, l::rcv_cumtsn, rd_u32(u, s::rcv_cumtsn));
    }
    wr_u32(&mut o, l::rcv_context, rd_u32(u, s::rcv_context));
    wr_u32(&mut o, l::rcv_assoc_id, map(rd_u32(u, s::rcv_assoc_id)));
    o
}

/// The association of a notification in Linux's layout.
pub fn linux_assoc_of(n: &[u8]) -> Option<i32> {
    let off = match u32::from(rd_u16(n, 0)) {
        t if t == lx::SCTP_ASSOC_CHANGE => lx::sctp_assoc_change::sac_assoc_id,
        t if t == lx::SCTP_PEER_ADDR_CHANGE => lx::sctp_paddr_change::spc_assoc_id,
        t if t == lx::SCTP_REMOTE_ERROR => lx::sctp_remote_error::sre_assoc_id,
        t if t == lx::SCTP_SEND_FAILED => lx::sctp_send_failed::ssf_assoc_id,
        t if t == lx::SCTP_SEND_FAILED_EVENT => lx::sctp_send_failed_event::ssf_assoc_id,
        t if t == lx::SCTP_SHUTDOWN_EVENT => lx::sctp_shutdown_event::sse_assoc_id,
        t if t == lx::SCTP_PARTIAL_DELIVERY_EVENT => lx::sctp_pdapi_event::pdapi_assoc_id,
        t if t == lx::SCTP_ADAPTATION_INDICATION => lx::sctp_adaptation_event::sai_assoc_id,
        t if t == lx::SCTP_AUTHENTICATION_EVENT => lx::sctp_authkey_event::auth_assoc_id,
        t if t == lx::SCTP_SENDER_DRY_EVENT => lx::sctp_sender_dry_event::sender_dry_assoc_id,
        t if t == lx::SCTP_STREAM_RESET_EVENT => lx::sctp_stream_reset_event::strreset_assoc_id,
        t if t == lx::SCTP_ASSOC_RESET_EVENT => lx::sctp_assoc_reset_event::assocreset_assoc_id,
        t if t == lx::SCTP_STREAM_CHANGE_EVENT => lx::sctp_stream_change_event::strchange_assoc_id,
        _ => return None,
    };
    Some(rd_u32(n, off) as i32)
}

/// The stack's association a usrsctp notification `u` is about.
pub fn usr_assoc_of(u: &[u8]) -> Option<u32> {
    let off = match u32::from(rd_u16(u, 0)) {
        t if t == usr::SCTP_ASSOC_CHANGE => usr::sctp_assoc_change::sac_assoc_id,
        t if t == usr::SCTP_PEER_ADDR_CHANGE => usr::sctp_paddr_change::spc_assoc_id,
        t if t == usr::SCTP_REMOTE_ERROR => usr::sctp_remote_error::sre_assoc_id,
        t if t == usr::SCTP_SEND_FAILED_EVENT => usr::sctp_send_failed_event::ssfe_assoc_id,
        t if t == usr::SCTP_SHUTDOWN_EVENT => usr::sctp_shutdown_event::sse_assoc_id,
        t if t == usr::SCTP_PARTIAL_DELIVERY_EVENT => usr::sctp_pdapi_event::pdapi_assoc_id,
        t if t == usr::SCTP_ADAPTATION_INDICATION => usr::sctp_adaptation_event::sai_assoc_id,
        t if t == usr::SCTP_AUTHENTICATION_EVENT => usr::sctp_authkey_event::auth_assoc_id,
        t if t == usr::SCTP_SENDER_DRY_EVENT => usr::sctp_sender_dry_event::sender_dry_assoc_id,
        t if t == usr::SCTP_STREAM_RESET_EVENT => usr::sctp_stream_reset_event::strreset_assoc_id,
        t if t == usr::SCTP_ASSOC_RESET_EVENT => usr::sctp_assoc_reset_event::assocreset_assoc_id,
        t if t == usr::SCTP_STREAM_CHANGE_EVENT => {
            usr::sctp_stream_change_event::strchange_assoc_id
        }
        _ => return None,
    };
    Some(rd_u32(u, off))
}

/// The association and address of a PEER_ADDR_CHANGE that confirms the address.
pub fn confirmed(u: &[u8]) -> Option<(u32, Vec<u8>)> {
    use usr::sctp_paddr_change as s;
    if u32::from(rd_u16(u, 0)) != usr::SCTP_PEER_ADDR_CHANGE
        || rd_u32(u, s::spc_state) != usr::SCTP_ADDR_CONFIRMED
    {
        return None;
    }
    let len = crate::sendpath::addr_len(rd_u16(u, s::spc_aaddr));
    Some((
        rd_u32(u, s::spc_assoc_id),
        rd_bytes(u, s::spc_aaddr, len).to_vec(),
    ))
}

/// What a notification means to sctpd itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// An association came up (COMM_UP or RESTART).
    Up(u32),
    /// An association ended or failed to start, with sac_error.
    Down(u32, u16, bool),
    /// Anything else.
    Other,
}

/// What a usrsctp notification means to sctpd (the association events it tracks).
pub fn event(u: &[u8]) -> Event {
    use usr::sctp_assoc_change as a;
    if u32::from(rd_u16(u, 0)) != usr::SCTP_ASSOC_CHANGE {
        return Event::Other;
    }
    let id = rd_u32(u, a::sac_assoc_id);
    match u32::from(rd_u16(u, a::sac_state)) {
        s if s == usr::SCTP_COMM_UP || s == usr::SCTP_RESTART => Event::Up(id),
        s if s == usr::SCTP_CANT_STR_ASSOC => Event::Down(id, rd_u16(u, a::sac_error), true),
        s if s == usr::SCTP_COMM_LOST || s == usr::SCTP_SHUTDOWN_COMP => {
            Event::Down(id, rd_u16(u, a::sac_error), false)
        }
        _ => Event::Other,
    }
}

/// Why the association of CANT_STR_ASSOC `u` never came up, as Linux's connect says it: the
/// peer's ABORT rides along in sac_info (ECONNREFUSED); without one the INIT went unanswered
/// until the stack gave up (ETIMEDOUT).
pub fn setup_errno(u: &[u8]) -> i32 {
    if u.len() > usr::sctp_assoc_change::SIZE {
        libc::ECONNREFUSED
    } else {
        libc::ETIMEDOUT
    }
}

/// The stack's association that `u` reports lost (COMM_LOST: aborted, or its peer stopped
/// answering).
pub fn comm_lost(u: &[u8]) -> Option<u32> {
    use usr::sctp_assoc_change as a;
    (u32::from(rd_u16(u, 0)) == usr::SCTP_ASSOC_CHANGE
        && u32::from(rd_u16(u, a::sac_state)) == usr::SCTP_COMM_LOST)
        .then(|| rd_u32(u, a::sac_assoc_id))
}

const CHUNK_ABORT: u8 = 6;
/// Linux's spc_error of an address confirmed by a heartbeat.
const HEARTBEAT_SUCCESS: u32 = 2;
/// The error cause "User-Initiated Abort" (RFC 4960 3.3.10.12).
const CAUSE_USER_ABORT: u16 = 12;

/// An error cause code as Linux puts it in a notification: as it is on the wire (big-endian),
/// read as a host integer.
fn wire_cause(code: u16) -> u16 {
    u16::from_ne_bytes(code.to_be_bytes())
}

/// ssf_error of a SEND_FAILED(_EVENT): the error cause that ended the association, as Linux
/// gives it (on the wire's byte order); usrsctp's is the host's.
fn send_failed_error(u: &[u8], user_abort: bool) -> u32 {
    let e = rd_u32(u, usr::sctp_send_failed_event::ssfe_error);
    if e != 0 && e <= 0xffff {
        u32::from(wire_cause(e as u16))
    } else if e == 0 && user_abort {
        u32::from(wire_cause(CAUSE_USER_ABORT))
    } else {
        e
    }
}

fn header(o: &mut [u8], ty: u32, flags: u16) {
    let len = o.len() as u32;
    wr_u16(o, 0, ty as u16);
    wr_u16(o, 2, flags);
    wr_u32(o, 4, len);
}

/// usrsctp's notification `u` (a whole one) as Linux would deliver it to a program subscribed
/// as `subs`; None when the program did not subscribe to it or Linux has no such event.
pub fn to_linux(
    u: &[u8],
    subs: &Subs,
    user_abort: bool,
    map: &mut dyn FnMut(u32) -> u32,
) -> Option<Vec<u8>> {
    let ty = u32::from(rd_u16(u, 0));
    let uflags = rd_u16(u, 2);
    let mut o: Vec<u8>;
    if ty == usr::SCTP_ASSOC_CHANGE {
        use lx::sctp_assoc_change as l;
        use usr::sctp_assoc_change as s;
        if !subs.on(lx::SCTP_ASSOC_CHANGE) {
            return None;
        }
        let st = u32::from(rd_u16(u, s::sac_state));
        let state = match st {
            x if x == usr::SCTP_COMM_UP => lx::SCTP_COMM_UP,
            x if x == usr::SCTP_COMM_LOST => lx::SCTP_COMM_LOST,
            x if x == usr::SCTP_RESTART => lx::SCTP_RESTART,
            x if x == usr::SCTP_SHUTDOWN_COMP => lx::SCTP_SHUTDOWN_COMP,
            x if x == usr::SCTP_CANT_STR_ASSOC => lx::SCTP_CANT_STR_ASSOC,
            _ => return None,
        };
        // sac_info: Linux carries the body of the ABORT chunk that ended the association (its
        // causes; usrsctp gives the whole chunk), and sac_error the first cause's code as it
        // is on the wire (0x0c00 for a user's abort); usrsctp also lists the features of a new
        // association, which Linux does not.
        let lost = state == lx::SCTP_COMM_LOST || state == lx::SCTP_CANT_STR_ASSOC;
        let chunk: &[u8] = if lost {
            let total = (rd_u32(u, 4) as usize).min(u.len());
            u.get(s::sac_info..total).unwrap_or(&[])
        } else {
            &[]
        };
        let info: Vec<u8> = if chunk.len() >= 4 && chunk[0] == CHUNK_ABORT {
            chunk[4..].to_vec()
        } else {
            Vec::new()
        };
        let error = if info.len() >= 2 {
            u16::from_ne_bytes([info[0], info[1]])
        } else if lost && user_abort {
            wire_cause(CAUSE_USER_ABORT)
        } else {
            0
        };
        o = vec![0u8; l::SIZE + info.len()];
        wr_u16(&mut o, l::sac_state, state as u16);
        wr_u16(&mut o, l::sac_error, error);
        // Linux gives the stream counts with COMM_UP and RESTART only.
        if state == lx::SCTP_COMM_UP || state == lx::SCTP_RESTART {
            wr_u16(
                &mut o,
                l::sac_outbound_streams,
                rd_u16(u, s::sac_outbound_streams),
            );
            wr_u16(
                &mut o,
                l::sac_inbound_streams,
                rd_u16(u, s::sac_inbound_streams),
            );
        }
        wr_u32(&mut o, l::sac_assoc_id, map(rd_u32(u, s::sac_assoc_id)));
        wr_bytes(&mut o, l::sac_info, &info);
        header(&mut o, lx::SCTP_ASSOC_CHANGE, 0);
    } else if ty == usr::SCTP_PEER_ADDR_CHANGE {
        use lx::sctp_paddr_change as l;
        use usr::sctp_paddr_change as s;
        if !subs.on(lx::SCTP_PEER_ADDR_CHANGE) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_bytes(&mut o, l::spc_aaddr, rd_bytes(u, s::spc_aaddr, 128));
        // usrsctp numbers the states from 1, Linux from 0, in the same order.
        wr_u32(
            &mut o,
            l::spc_state,
            rd_u32(u, s::spc_state).saturating_sub(1),
        );
        // Linux confirms an address by a heartbeat's answer, and says so in spc_error
        // (SCTP_HEARTBEAT_SUCCESS, 2); usrsctp leaves it 0.
        let state = rd_u32(u, s::spc_state).saturating_sub(1);
        let err = if state == lx::SCTP_ADDR_CONFIRMED {
            HEARTBEAT_SUCCESS
        } else {
            rd_u32(u, s::spc_error)
        };
        wr_u32(&mut o, l::spc_error, err);
        wr_u32(&mut o, l::spc_assoc_id, map(rd_u32(u, s::spc_assoc_id)));
        header(&mut o, lx::SCTP_PEER_ADDR_CHANGE, 0);
    } else if ty == usr::SCTP_REMOTE_ERROR {
        use lx::sctp_remote_error as l;
        use usr::sctp_remote_error as s;
        if !subs.on(lx::SCTP_REMOTE_ERROR) {
            return None;
        }
        let total = (rd_u32(u, 4) as usize).min(u.len());
        let data = u.get(s::sre_data.min(total)..total).unwrap_or(&[]).to_vec();
        o = vec![0u8; l::SIZE + data.len()];
        wr_u16(&mut o, l::sre_error, rd_u16(u, s::sre_error));
        wr_u32(&mut o, l::sre_assoc_id, map(rd_u32(u, s::sre_assoc_id)));
        wr_bytes(&mut o, l::sre_data, &data);
        header(&mut o, lx::SCTP_REMOTE_ERROR, 0);
    } else if ty == usr::SCTP_SEND_FAILED_EVENT {
        use usr::sctp_send_failed_event as s;
        use usr::sctp_sndinfo as si;
        let total = (rd_u32(u, 4) as usize).min(u.len());
        let data = u
            .get(s::ssfe_data.min(total)..total)
            .unwrap_or(&[])
            .to_vec();
        // usrsctp: SCTP_DATA_UNSENT 1, SENT 2; Linux: 0, 1.
        let flags = if u32::from(uflags) & usr::SCTP_DATA_SENT != 0 {
            lx::SCTP_DATA_SENT
        } else {
            lx::SCTP_DATA_UNSENT
        } as u16;
        let inf = s::ssfe_info;
        let (sid, sflags, ppid, ctx, aid) = (
            rd_u16(u, inf + si::snd_sid),
            // The failed DATA chunk's own flags (unordered, first and last fragment), in both.
            rd_u16(u, inf + si::snd_flags) & 0xff,
            rd_u32(u, inf + si::snd_ppid),
            rd_u32(u, inf + si::snd_context),
            map(rd_u32(u, s::ssfe_assoc_id)),
        );
        if subs.on(lx::SCTP_SEND_FAILED_EVENT) {
            use lx::sctp_send_failed_event as l;
            use lx::sctp_sndinfo as li;
            o = vec![0u8; l::SIZE + data.len()];
            wr_u32(&mut o, l::ssf_error, send_failed_error(u, user_abort));
            wr_u16(&mut o, l::ssfe_info + li::snd_sid, sid);
            wr_u16(&mut o, l::ssfe_info + li::snd_flags, sflags);
            wr_u32(&mut o, l::ssfe_info + li::snd_ppid, ppid);
            wr_u32(&mut o, l::ssfe_info + li::snd_context, ctx);
            wr_u32(&mut o, l::ssfe_info + li::snd_assoc_id, aid);
            wr_u32(&mut o, l::ssf_assoc_id, aid);
            wr_bytes(&mut o, l::ssf_data, &data);
            header(&mut o, lx::SCTP_SEND_FAILED_EVENT, flags);
        } else if subs.on(lx::SCTP_SEND_FAILED) {
            use lx::sctp_send_failed as l;
            use lx::sctp_sndrcvinfo as li;
            o = vec![0u8; l::SIZE + data.len()];
            wr_u32(&mut o, l::ssf_error, send_failed_error(u, user_abort));
            wr_u16(&mut o, l::ssf_info + li::sinfo_stream, sid);
            wr_u16(&mut o, l::ssf_info + li::sinfo_flags, sflags);
            wr_u32(&mut o, l::ssf_info + li::sinfo_ppid, ppid);
            wr_u32(&mut o, l::ssf_info + li::sinfo_context, ctx);
            wr_u32(&mut o, l::ssf_info + li::sinfo_assoc_id, aid);
            wr_u32(&mut o, l::ssf_assoc_id, aid);
            wr_bytes(&mut o, l::ssf_data, &data);
            header(&mut o, lx::SCTP_SEND_FAILED, flags);
        } else {
            return None;
        }
    } else if ty == usr::SCTP_SHUTDOWN_EVENT {
        use lx::sctp_shutdown_event as l;
        if !subs.on(lx::SCTP_SHUTDOWN_EVENT) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_u32(
            &mut o,
            l::sse_assoc_id,
            map(rd_u32(u, usr::sctp_shutdown_event::sse_assoc_id)),
        );
        header(&mut o, lx::SCTP_SHUTDOWN_EVENT, 0);
    } else if ty == usr::SCTP_ADAPTATION_INDICATION {
        use lx::sctp_adaptation_event as l;
        use usr::sctp_adaptation_event as s;
        if !subs.on(lx::SCTP_ADAPTATION_INDICATION) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_u32(
            &mut o,
            l::sai_adaptation_ind,
            rd_u32(u, s::sai_adaptation_ind),
        );
        wr_u32(&mut o, l::sai_assoc_id, map(rd_u32(u, s::sai_assoc_id)));
        header(&mut o, lx::SCTP_ADAPTATION_INDICATION, 0);
    } else if ty == usr::SCTP_PARTIAL_DELIVERY_EVENT {
        use lx::sctp_pdapi_event as l;
        use usr::sctp_pdapi_event as s;
        if !subs.on(lx::SCTP_PARTIAL_DELIVERY_EVENT) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        // usrsctp: SCTP_PARTIAL_DELIVERY_ABORTED 1; Linux: 0 (the only indication either has).
        wr_u32(
            &mut o,
            l::pdapi_indication,
            rd_u32(u, s::pdapi_indication).saturating_sub(1),
        );
        wr_u32(&mut o, l::pdapi_assoc_id, map(rd_u32(u, s::pdapi_assoc_id)));
        wr_u32(&mut o, l::pdapi_stream, rd_u32(u, s::pdapi_stream));
        wr_u32(&mut o, l::pdapi_seq, rd_u32(u, s::pdapi_seq));
        header(&mut o, lx::SCTP_PARTIAL_DELIVERY_EVENT, 0);
    } else if ty == usr::SCTP_AUTHENTICATION_EVENT {
        use lx::sctp_authkey_event as l;
        use usr::sctp_authkey_event as s;
        if !subs.on(lx::SCTP_AUTHENTICATION_EVENT) {
            return None;
        }
        let ind = match rd_u32(u, s::auth_indication) {
            x if x == usr::SCTP_AUTH_NEW_KEY => lx::SCTP_AUTH_NEW_KEY,
            x if x == usr::SCTP_AUTH_NO_AUTH => lx::SCTP_AUTH_NO_AUTH,
            x if x == usr::SCTP_AUTH_FREE_KEY => lx::SCTP_AUTH_FREE_KEY,
            _ => return None,
        };
        o = vec![0u8; l::SIZE];
        wr_u16(&mut o, l::auth_keynumber, rd_u16(u, s::auth_keynumber));
        wr_u32(&mut o, l::auth_indication, ind);
        wr_u32(&mut o, l::auth_assoc_id, map(rd_u32(u, s::auth_assoc_id)));
        header(&mut o, lx::SCTP_AUTHENTICATION_EVENT, 0);
    } else if ty == usr::SCTP_SENDER_DRY_EVENT {
        use lx::sctp_sender_dry_event as l;
        if !subs.on(lx::SCTP_SENDER_DRY_EVENT) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_u32(
            &mut o,
            l::sender_dry_assoc_id,
            map(rd_u32(u, usr::sctp_sender_dry_event::sender_dry_assoc_id)),
        );
        header(&mut o, lx::SCTP_SENDER_DRY_EVENT, 0);
    } else if ty == usr::SCTP_STREAM_RESET_EVENT {
        use lx::sctp_stream_reset_event as l;
        use usr::sctp_stream_reset_event as s;
        if !subs.on(lx::SCTP_STREAM_RESET_EVENT) {
            return None;
        }
        let total = (rd_u32(u, 4) as usize).min(u.len());
        let list = u
            .get(s::strreset_stream_list.min(total)..total)
            .unwrap_or(&[])
            .to_vec();
        o = vec![0u8; l::SIZE + list.len()];
        wr_u32(
            &mut o,
            l::strreset_assoc_id,
            map(rd_u32(u, s::strreset_assoc_id)),
        );
        wr_bytes(&mut o, l::strreset_stream_list, &list);
        header(&mut o, lx::SCTP_STREAM_RESET_EVENT, uflags);
    } else if ty == usr::SCTP_ASSOC_RESET_EVENT {
        use lx::sctp_assoc_reset_event as l;
        use usr::sctp_assoc_reset_event as s;
        if !subs.on(lx::SCTP_ASSOC_RESET_EVENT) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_u32(
            &mut o,
            l::assocreset_assoc_id,
            map(rd_u32(u, s::assocreset_assoc_id)),
        );
        wr_u32(
            &mut o,
            l::assocreset_local_tsn,
            rd_u32(u, s::assocreset_local_tsn),
        );
        wr_u32(
            &mut o,
            l::assocreset_remote_tsn,
            rd_u32(u, s::assocreset_remote_tsn),
        );
        header(&mut o, lx::SCTP_ASSOC_RESET_EVENT, uflags);
    } else if ty == usr::SCTP_STREAM_CHANGE_EVENT {
        use lx::sctp_stream_change_event as l;
        use usr::sctp_stream_change_event as s;
        if !subs.on(lx::SCTP_STREAM_CHANGE_EVENT) {
            return None;
        }
        o = vec![0u8; l::SIZE];
        wr_u32(
            &mut o,
            l::strchange_assoc_id,
            map(rd_u32(u, s::strchange_assoc_id)),
        );
        wr_u16(
            &mut o,
            l::strchange_instrms,
            rd_u16(u, s::strchange_instrms),
        );
        wr_u16(
            &mut o,
            l::strchange_outstrms,
            rd_u16(u, s::strchange_outstrms),
        );
        header(&mut o, lx::SCTP_STREAM_CHANGE_EVENT, uflags);
    } else {
        return None;
    }
    Some(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usr_assoc_change(state: u32, id: u32) -> Vec<u8> {
        use usr::sctp_assoc_change as s;
        let mut u = vec![0u8; s::SIZE + 2];
        let n = u.len() as u32;
        wr_u16(&mut u, 0, usr::SCTP_ASSOC_CHANGE as u16);
        wr_u32(&mut u, 4, n);
        wr_u16(&mut u, s::sac_state, state as u16);
        wr_u16(&mut u, s::sac_outbound_streams, 10);
        wr_u32(&mut u, s::sac_assoc_id, id);
        u
    }

    #[test]
    fn assoc_change_in_linux_terms() {
        let mut subs = Subs::default();
        let u = usr_assoc_change(usr::SCTP_COMM_UP, 3);
        assert_eq!(
            to_linux(&u, &subs, false, &mut |x| x + 100),
            None,
            "not subscribed"
        );
        assert_eq!(event(&u), Event::Up(3));
        subs.set(lx::SCTP_ASSOC_CHANGE, true);
        let l = to_linux(&u, &subs, false, &mut |x| x + 100).unwrap();
        use lx::sctp_assoc_change as a;
        assert_eq!(l.len(), a::SIZE, "no sac_info for COMM_UP, as on Linux");
        assert_eq!(u32::from(rd_u16(&l, 0)), lx::SCTP_ASSOC_CHANGE);
        assert_eq!(rd_u32(&l, 4) as usize, a::SIZE);
        assert_eq!(u32::from(rd_u16(&l, a::sac_state)), lx::SCTP_COMM_UP);
        assert_eq!(rd_u16(&l, a::sac_outbound_streams), 10);
        assert_eq!(rd_u32(&l, a::sac_assoc_id), 103, "the id is mapped");
        let lost = usr_assoc_change(usr::SCTP_COMM_LOST, 3);
        assert_eq!(event(&lost), Event::Down(3, 0, false));
        let l = to_linux(&lost, &subs, false, &mut |x| x).unwrap();
        assert_eq!(l.len(), a::SIZE, "no ABORT chunk, no sac_info");
        assert_eq!(rd_u16(&l, a::sac_outbound_streams), 0, "Linux: no counts");
        assert_eq!(rd_u16(&l, a::sac_error), 0);
        let l = to_linux(&lost, &subs, true, &mut |x| x).unwrap();
        assert_eq!(rd_u16(&l, a::sac_error), wire_cause(CAUSE_USER_ABORT));
        // The peer's ABORT chunk with one cause (User-Initiated Abort, no reason): Linux gives
        // the cause without the chunk header, and its code in wire order as sac_error.
        let mut aborted = usr_assoc_change(usr::SCTP_COMM_LOST, 3);
        aborted.truncate(usr::sctp_assoc_change::SIZE);
        aborted.extend_from_slice(&[CHUNK_ABORT, 0, 0, 8, 0, 12, 0, 4]);
        let n = aborted.len() as u32;
        wr_u32(&mut aborted, 4, n);
        let l = to_linux(&aborted, &subs, false, &mut |x| x).unwrap();
        assert_eq!(
            l.len(),
            a::SIZE + 4,
            "the cause stays, the chunk header goes"
        );
        assert_eq!(&l[a::sac_info..], &[0, 12, 0, 4]);
        assert_eq!(rd_u16(&l, a::sac_error), u16::from_ne_bytes([0, 12]));
    }

    #[test]
    fn flags_both_ways() {
        let all = lx::SCTP_UNORDERED
            | lx::SCTP_ADDR_OVER
            | lx::SCTP_ABORT
            | lx::SCTP_EOF
            | lx::SCTP_SENDALL
            | lx::SCTP_SACK_IMMEDIATELY;
        assert_eq!(flags_to_linux(flags_to_usr(all)), all);
        assert_eq!(flags_to_usr(lx::SCTP_UNORDERED), usr::SCTP_UNORDERED);
    }
}
