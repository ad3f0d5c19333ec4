//! Safe core of sctp_opt_info: getsockopt(IPPROTO_SCTP, opt) with the association id written at
//! the start of the option's argument, for the options lksctp knows.

use core::ffi::{c_int, c_void};

use crate::error::{Errno, Result, Sys};
use crate::sys::sctp_assoc_t;

/// The options sctp_opt_info passes to the kernel (lksctp's list). The argument of each carries
/// the association id at offset 0 (or is a struct or int without one, which the kernel
/// overwrites), except SCTP_DEFAULT_SEND_PARAM: see [`id_offset`].
pub const KNOWN_OPTS: [c_int; 17] = [
    libc::SCTP_RTOINFO,
    libc::SCTP_ASSOCINFO,
    libc::SCTP_INITMSG,
    libc::SCTP_NODELAY,
    libc::SCTP_AUTOCLOSE,
    libc::SCTP_PRIMARY_ADDR,
    libc::SCTP_DISABLE_FRAGMENTS,
    libc::SCTP_PEER_ADDR_PARAMS,
    libc::SCTP_DEFAULT_SEND_PARAM,
    libc::SCTP_EVENTS,
    libc::SCTP_I_WANT_MAPPED_V4_ADDR,
    libc::SCTP_MAXSEG,
    libc::SCTP_STATUS,
    libc::SCTP_GET_PEER_ADDR_INFO,
    libc::SCTP_AUTH_ACTIVE_KEY,
    libc::SCTP_PEER_AUTH_CHUNKS,
    libc::SCTP_LOCAL_AUTH_CHUNKS,
];

/// [`KNOWN_OPTS`] as a bit set (every one is below 32): one test instead of a search.
// Evaluated at compile time: an index out of range, or an option above 31, is a build error.
#[allow(clippy::indexing_slicing)]
const KNOWN_MASK: u32 = {
    let mut m = 0u32;
    let mut i = 0;
    while i < KNOWN_OPTS.len() {
        assert!(KNOWN_OPTS[i] >= 0 && KNOWN_OPTS[i] < 32);
        m |= 1 << KNOWN_OPTS[i];
        i += 1;
    }
    m
};

/// Whether sctp_opt_info passes `opt` to the kernel.
#[inline(always)]
pub fn is_known(opt: c_int) -> bool {
    (0..32).contains(&opt) && KNOWN_MASK & (1 << opt) != 0
}

/// Where the association id goes in an option's argument: offset 0, except for
/// SCTP_DEFAULT_SEND_PARAM, whose struct sctp_sndrcvinfo has it at offset 28 (lksctp writes it
/// at 0, over sinfo_stream, so the kernel answers for whatever id the caller left at 28).
pub fn id_offset(opt: c_int) -> usize {
    if opt == libc::SCTP_DEFAULT_SEND_PARAM {
        core::mem::offset_of!(crate::sys::sctp_sndrcvinfo, sinfo_assoc_id)
    } else {
        0
    }
}

/// sctp_opt_info: for an option of [`KNOWN_OPTS`], writes `id` into the argument (see
/// [`id_offset`])
/// and calls getsockopt(fd, IPPROTO_SCTP, opt, arg, len): errors are the kernel's (EINVAL for a
/// short buffer or an unknown id on a one-to-many socket, EFAULT for a bad `len`, ...). Any
/// other option: EOPNOTSUPP (= ENOTSUP; lksctp returns that value as a positive result). A NULL
/// `arg`: EINVAL (lksctp writes through it). When `*len` cannot hold the id field the id is not
/// written and the kernel answers (EINVAL).
///
/// # Safety
/// `arg` is NULL or writable for `*len` bytes (for the id field when `len` is NULL); `len` is
/// NULL or a valid socklen_t pointer (the kernel reports NULL as EFAULT).
pub unsafe fn opt_info(
    fd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    len: *mut libc::socklen_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { opt_info_sys(fd, id, opt, arg, len) }?
        .check()
        .map(|_| ())
}

/// [`opt_info`]: the library's own EOPNOTSUPP/EINVAL, else getsockopt's own return value.
///
/// # Safety
/// As for [`opt_info`].
#[inline(always)]
pub unsafe fn opt_info_sys(
    fd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    len: *mut libc::socklen_t,
) -> Result<Sys> {
    if !is_known(opt) {
        return Err(Errno(libc::EOPNOTSUPP));
    }
    // SAFETY: forwarded contract; `opt` is known and its id field is at id_offset(opt).
    unsafe { known_sys(fd, id, opt, arg, len, id_offset(opt)) }
}

/// The options whose argument carries the association id at offset 0, as a bit set: all of
/// [`KNOWN_OPTS`] but SCTP_DEFAULT_SEND_PARAM.
pub const AT_0_MASK: u32 = KNOWN_MASK & !(1 << libc::SCTP_DEFAULT_SEND_PARAM);

/// [`opt_info_sys`] for an option of [`KNOWN_OPTS`] whose id field is at byte `off`.
///
/// # Safety
/// As for [`opt_info`]; `off` is [`id_offset`]`(opt)`.
#[inline(always)]
pub unsafe fn known_sys(
    fd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    len: *mut libc::socklen_t,
    off: usize,
) -> Result<Sys> {
    if arg.is_null() {
        return Err(Errno::EINVAL);
    }
    let end = off + core::mem::size_of::<sctp_assoc_t>();
    let room = if len.is_null() {
        end
    } else {
        // SAFETY: a non-NULL `len` is readable per the contract; read by copy.
        (unsafe { len.read_unaligned() }) as usize
    };
    if room >= end {
        // SAFETY: `arg` is writable for `room >= end` bytes (or for the id field when `len` is
        // NULL); unaligned, as C allows any buffer.
        unsafe {
            arg.cast::<u8>()
                .add(off)
                .cast::<sctp_assoc_t>()
                .write_unaligned(id)
        };
    }
    // SAFETY: getsockopt with the caller's buffer and length pointer, as the contract allows.
    Ok(Sys(
        unsafe { libc::getsockopt(fd, libc::IPPROTO_SCTP, opt, arg, len) } as isize,
    ))
}
