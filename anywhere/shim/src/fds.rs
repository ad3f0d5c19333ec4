//! Which descriptors are sctpd's SCTP sockets. A descriptor is recognised from itself: a unix
//! socket whose peer is bound under sctpd's name ([`proto::pair_prefix`]); so it is known in any
//! process, after dup, fork and exec. The answer is cached per descriptor number and forgotten
//! when the number is closed or replaced (close, dup2/dup3, close_range, a descriptor received
//! in a message), so a descriptor the shim does not recognise costs one check, then nothing.

use crate::real;
use core::sync::atomic::{AtomicU8, Ordering};
use sctp_anywhere_proto as proto;
use std::sync::OnceLock;

const N: usize = 65536;
static TABLE: [AtomicU8; N] = [const { AtomicU8::new(0) }; N];

/// Not looked at yet.
const UNKNOWN: u8 = 0;
/// Not sctpd's.
const FOREIGN: u8 = 1;
/// An SCTP socket of sctpd.
const OURS: u8 = 2;
/// One of the shim's own channels to sctpd.
pub const CHANNEL: u8 = 3;
const KIND: u8 = 3;
/// O_NONBLOCK is known (bit), and set (bit).
const NB_KNOWN: u8 = 4;
const NB: u8 = 8;
/// A one-to-one socket that listens (receiving on it is ENOTCONN).
const LISTENER: u8 = 16;
/// Its style is known (bit), and one-to-one (bit).
const STYLE_KNOWN: u8 = 32;
const ONE_TO_ONE: u8 = 64;
/// The bits that O_NONBLOCK's do not touch.
const KEEP: u8 = KIND | LISTENER | STYLE_KNOWN | ONE_TO_ONE;

/// The control socket's name (SCTPD_SOCKET or the default).
pub fn control() -> &'static [u8] {
    static C: OnceLock<Vec<u8>> = OnceLock::new();
    C.get_or_init(|| {
        let v = std::env::var_os(proto::CONTROL_ENV);
        proto::control_name(
            v.as_ref()
                .map(|v| std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str())),
        )
    })
}

fn slot(fd: i32) -> Option<&'static AtomicU8> {
    usize::try_from(fd).ok().and_then(|i| TABLE.get(i))
}

/// Whether `fd` is one of sctpd's sockets.
pub fn is_ours(fd: i32) -> bool {
    let Some(s) = slot(fd) else {
        return fd >= 0 && classify(fd) == OURS;
    };
    match s.load(Ordering::Relaxed) & KIND {
        OURS => true,
        FOREIGN | CHANNEL => false,
        _ => {
            let k = classify(fd);
            if k != UNKNOWN {
                s.store(k, Ordering::Relaxed);
            }
            k == OURS
        }
    }
}

/// Looks at the descriptor: UNKNOWN when it is not open (nothing to cache).
fn classify(fd: i32) -> u8 {
    let mut dom: libc::c_int = 0;
    let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: dom and len are valid out-pointers.
    let r = unsafe {
        real::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_DOMAIN,
            (&raw mut dom).cast(),
            &mut len,
        )
    };
    if r < 0 {
        // SAFETY: errno of this thread.
        let e = unsafe { *libc::__errno_location() };
        return if e == libc::EBADF { UNKNOWN } else { FOREIGN };
    }
    if dom != libc::AF_UNIX {
        return FOREIGN;
    }
    // SAFETY: sockaddr_un is plain data.
    let mut a: libc::sockaddr_un = unsafe { core::mem::zeroed() };
    let mut alen = core::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
    // SAFETY: a and alen are valid out-pointers.
    if unsafe { real::getpeername(fd, (&raw mut a).cast(), &mut alen) } < 0 {
        return FOREIGN;
    }
    let path_off = core::mem::size_of::<libc::sa_family_t>();
    let n = (alen as usize)
        .saturating_sub(path_off)
        .min(a.sun_path.len());
    let name: Vec<u8> = a.sun_path.iter().take(n).map(|c| *c as u8).collect();
    let prefix = proto::pair_prefix(control());
    if name.first() == Some(&0) && name.get(1..).is_some_and(|p| p.starts_with(&prefix)) {
        OURS
    } else {
        FOREIGN
    }
}

/// Records that `fd` is sctpd's socket, with its O_NONBLOCK.
pub fn set_ours(fd: i32, nonblock: bool) {
    if let Some(s) = slot(fd) {
        s.store(
            OURS | NB_KNOWN | if nonblock { NB } else { 0 },
            Ordering::Relaxed,
        );
    }
}

/// Records that `fd` is not sctpd's (a socket the shim saw created).
pub fn set_foreign(fd: i32) {
    if let Some(s) = slot(fd) {
        s.store(FOREIGN, Ordering::Relaxed);
    }
}

/// Records one of the shim's channels.
pub fn set_channel(fd: i32) {
    if let Some(s) = slot(fd) {
        s.store(CHANNEL, Ordering::Relaxed);
    }
}

/// Whether `fd` is one of the shim's channels.
pub fn is_channel(fd: i32) -> bool {
    slot(fd).is_some_and(|s| s.load(Ordering::Relaxed) & KIND == CHANNEL)
}

/// Forgets what is known of `fd` (closed, or replaced).
pub fn forget(fd: i32) {
    if let Some(s) = slot(fd)
        && s.swap(UNKNOWN, Ordering::Relaxed) & KIND == CHANNEL
    {
        crate::chan::channel_lost();
    }
    crate::data::forget_partial(fd);
}

/// `to` is now what `from` is (dup).
pub fn copy(from: i32, to: i32) {
    let v = slot(from).map_or(UNKNOWN, |s| s.load(Ordering::Relaxed));
    forget(to);
    if let Some(s) = slot(to) {
        // A channel's copy is the program's business: not a channel of ours.
        s.store(
            if v & KIND == CHANNEL { FOREIGN } else { v },
            Ordering::Relaxed,
        );
    }
}

/// Records that `fd` is a one-to-one socket that listens.
pub fn set_listener(fd: i32) {
    if let Some(s) = slot(fd) {
        s.fetch_or(LISTENER, Ordering::Relaxed);
    }
}

/// Whether `fd` is known to be a one-to-one socket that listens.
pub fn is_listener(fd: i32) -> bool {
    slot(fd).is_some_and(|s| s.load(Ordering::Relaxed) & (KIND | LISTENER) == OURS | LISTENER)
}

/// Whether `fd` is in non-blocking mode (O_NONBLOCK), from the cache or asked once.
pub fn nonblocking(fd: i32) -> bool {
    if let Some(s) = slot(fd) {
        let v = s.load(Ordering::Relaxed);
        if v & NB_KNOWN != 0 {
            return v & NB != 0;
        }
    }
    // SAFETY: F_GETFL takes no argument.
    let fl = unsafe { real::fcntl(fd, libc::F_GETFL, 0) };
    let nb = fl >= 0 && fl & libc::O_NONBLOCK != 0;
    set_nonblocking(fd, nb);
    nb
}

/// Records O_NONBLOCK of `fd` (fcntl F_SETFL, ioctl FIONBIO).
pub fn set_nonblocking(fd: i32, nb: bool) {
    if let Some(s) = slot(fd) {
        let v = s.load(Ordering::Relaxed);
        if v & KIND == OURS {
            s.store(
                (v & KEEP) | NB_KNOWN | if nb { NB } else { 0 },
                Ordering::Relaxed,
            );
        }
    }
}

/// Whether `fd` is one-to-one (SOCK_STREAM, accepted or peeled off), if known.
pub fn one_to_one(fd: i32) -> Option<bool> {
    let v = slot(fd)?.load(Ordering::Relaxed);
    (v & (KIND | STYLE_KNOWN) == OURS | STYLE_KNOWN).then_some(v & ONE_TO_ONE != 0)
}

/// Records the style of sctpd's socket `fd` (it never changes).
pub fn set_one_to_one(fd: i32, one: bool) {
    if let Some(s) = slot(fd)
        && s.load(Ordering::Relaxed) & KIND == OURS
    {
        s.fetch_or(
            STYLE_KNOWN | if one { ONE_TO_ONE } else { 0 },
            Ordering::Relaxed,
        );
    }
}
