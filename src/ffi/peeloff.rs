use core::ffi::{c_int, c_uint};

use crate::error::sys_to_c_int;
use crate::peeloff;
use crate::sys::sctp_assoc_t;
use crate::trace::{self, Bits};

/// Branch off association `assoc_id` of the one-to-many socket `sd` into a new socket
/// (sctp_peeloff(3), Linux).
///
/// Returns the new descriptor, which sends and receives on that association only. On failure
/// returns -1 with errno from the kernel: EBADF (`sd` is not open), ENOTSOCK (not a socket),
/// EINVAL (`assoc_id` is 0 or unknown, or `sd` is one-to-one or already peeled off),
/// EOPNOTSUPP (an AF_INET TCP/UDP socket), ENOPROTOOPT (an AF_INET6 TCP/UDP socket),
/// EMFILE/ENFILE (no descriptor left). One getsockopt(SCTP_SOCKOPT_PEELOFF); errno is left as it
/// was on success.
///
/// # Safety
/// No pointer arguments; `sd` is any integer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_peeloff(sd: c_int, assoc_id: sctp_assoc_t) -> c_int {
    if !trace::off() {
        return traced_peeloff(sd, assoc_id);
    }
    sys_to_c_int(Ok(peeloff::peeloff_sys(sd, assoc_id)))
}

/// sctp_peeloff with SCTP_RS_TRACE on: the same call, then its line.
#[cold]
#[inline(never)]
fn traced_peeloff(sd: c_int, assoc_id: sctp_assoc_t) -> c_int {
    let on = trace::enabled();
    let r = sys_to_c_int(Ok(peeloff::peeloff_sys(sd, assoc_id)));
    if !on {
        return r;
    }
    trace::emit(
        r.into(),
        format_args!("sctp_peeloff(sd={sd}, assoc_id={assoc_id})"),
        None,
    );
    r
}

/// sctp_peeloff with `flags` (SOCK_NONBLOCK, SOCK_CLOEXEC) applied atomically to the new socket
/// (sctp_peeloff(3), Linux).
///
/// `flags == 0` is exactly sctp_peeloff. Errors are sctp_peeloff's, plus EINVAL for any bit other
/// than SOCK_NONBLOCK|SOCK_CLOEXEC (checked before any syscall, as accept4(2) does; lksctp lets
/// the kernel ignore such bits) and ENOPROTOOPT from kernels older than 4.13 (no emulation, as
/// in lksctp). One getsockopt(SCTP_SOCKOPT_PEELOFF_FLAGS). Unlike lksctp's libsctp.so, this
/// library exports it.
///
/// # Safety
/// No pointer arguments; `sd` is any integer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_peeloff_flags(
    sd: c_int,
    assoc_id: sctp_assoc_t,
    flags: c_uint,
) -> c_int {
    if !trace::off() {
        return traced_peeloff_flags(sd, assoc_id, flags);
    }
    sys_to_c_int(peeloff::peeloff_flags_sys(sd, assoc_id, flags))
}

/// sctp_peeloff_flags with SCTP_RS_TRACE on: the same call, then its line.
#[cold]
#[inline(never)]
fn traced_peeloff_flags(sd: c_int, assoc_id: sctp_assoc_t, flags: c_uint) -> c_int {
    let on = trace::enabled();
    let r = sys_to_c_int(peeloff::peeloff_flags_sys(sd, assoc_id, flags));
    if !on {
        return r;
    }
    let f = Bits(flags, trace::PEELOFF_FLAGS);
    trace::emit(
        r.into(),
        format_args!("sctp_peeloff_flags(sd={sd}, assoc_id={assoc_id}, flags={f})"),
        None,
    );
    r
}
