//! Sockets the program closed whose associations are still ending. usrsctp lets a program close
//! a socket whose association then shuts down in the background, but its threads may still
//! touch the freed socket while they do (a use after free that corrupts the heap when programs
//! close many sockets at once). So sctpd ends the associations itself (SHUTDOWN, or ABORT where
//! Linux aborts), keeps the stack's socket until none is left, and only then closes it: the
//! stack frees a socket with no association behind it.

use crate::log;
use crate::server::Server;
use crate::stack::USock;
use crate::usr;
use sctp_anywhere_proto::bytes::{wr_u16, wr_u32};
use std::time::{Duration, Instant};

/// How long an association may take to shut down before sctpd aborts it (Linux gives a
/// SHUTDOWN as many retransmissions as any chunk: minutes at worst).
const MAX_LINGER: Duration = Duration::from_secs(120);

/// A closed socket waiting for its associations to end.
pub struct Closing {
    us: USock,
    one_to_one: bool,
    since: Instant,
}

/// The stack's associations of a socket (a one-to-one socket's is 0).
fn assocs(us: &USock, one_to_one: bool) -> Vec<u32> {
    if one_to_one {
        return if crate::ops::status_state(us, 0).is_some() {
            vec![0]
        } else {
            Vec::new()
        };
    }
    us.assoc_ids()
}

/// Ends association `id` of `us`: ABORT, or SHUTDOWN once what is queued is sent.
fn end(us: &USock, id: u32, abort: bool, one_to_one: bool) {
    if one_to_one && !abort {
        let _ = us.shutdown(libc::SHUT_WR);
        return;
    }
    use usr::sctp_sndinfo as si;
    let mut info = vec![0u8; si::SIZE];
    let flag = if abort {
        usr::SCTP_ABORT
    } else {
        usr::SCTP_EOF
    };
    wr_u16(&mut info, si::snd_flags, flag as u16);
    wr_u32(&mut info, si::snd_assoc_id, id);
    let _ = us.sendv(&[], &mut [], 0, &mut info, usr::SCTP_SENDV_SNDINFO, 0);
}

impl Server {
    /// The program closed the socket whose stack socket is `us`: its associations end (ABORT
    /// when `abort`), and the stack socket is closed once they have.
    pub(crate) fn close_stack_socket(&mut self, id: u32, us: USock, one_to_one: bool, abort: bool) {
        let ids = assocs(&us, one_to_one);
        if ids.is_empty() {
            return drop(us);
        }
        for a in &ids {
            end(&us, *a, abort, one_to_one);
        }
        log!(
            2,
            "socket {id}: {} association(s) {}; the stack's socket closes once they have ended",
            ids.len(),
            if abort { "aborted" } else { "shutting down" }
        );
        self.closing.push(Closing {
            us,
            one_to_one,
            since: Instant::now(),
        });
    }

    /// Closes the stack sockets whose associations have ended (or that lingered too long:
    /// aborted first). A one-to-many socket that took a new association meanwhile shuts it
    /// down too (the program is gone).
    pub(crate) fn sweep_closing(&mut self) {
        let mut keep = Vec::new();
        for c in std::mem::take(&mut self.closing) {
            let ids = assocs(&c.us, c.one_to_one);
            if ids.is_empty() {
                drop(c);
                continue;
            }
            let late = c.since.elapsed() > MAX_LINGER;
            if late || !c.one_to_one {
                for a in &ids {
                    end(&c.us, *a, late, c.one_to_one);
                }
            }
            keep.push(c);
        }
        self.closing = keep;
    }

    /// sctpd stops: every association of a closed socket is aborted, the sockets closed.
    pub(crate) fn abort_closing(&mut self) {
        for c in std::mem::take(&mut self.closing) {
            for a in assocs(&c.us, c.one_to_one) {
                end(&c.us, a, true, c.one_to_one);
            }
        }
    }
}
