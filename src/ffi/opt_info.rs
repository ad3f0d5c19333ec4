use core::ffi::{c_int, c_void};
use core::sync::atomic::{AtomicU32, Ordering};

use super::caller;
use crate::error::sys_to_c_int;
use crate::opt_info;
use crate::sys::sctp_assoc_t;
use crate::trace::{self, Ptr};

/// Read an SCTP option of one association (sctp_opt_info(3), RFC 6458 8).
///
/// For the options lksctp knows (SCTP_RTOINFO, SCTP_ASSOCINFO, SCTP_INITMSG, SCTP_NODELAY,
/// SCTP_AUTOCLOSE, SCTP_PRIMARY_ADDR, SCTP_DISABLE_FRAGMENTS, SCTP_PEER_ADDR_PARAMS,
/// SCTP_DEFAULT_SEND_PARAM, SCTP_EVENTS, SCTP_I_WANT_MAPPED_V4_ADDR, SCTP_MAXSEG, SCTP_STATUS,
/// SCTP_GET_PEER_ADDR_INFO, SCTP_AUTH_ACTIVE_KEY, SCTP_PEER_AUTH_CHUNKS,
/// SCTP_LOCAL_AUTH_CHUNKS) writes `id` at the start of `arg` and calls getsockopt: returns 0
/// with `*size` updated, or -1 with the kernel's errno. Any other option: -1 with errno
/// EOPNOTSUPP (lksctp returns the positive value ENOTSUP instead). NULL `arg`: -1/EINVAL.
///
/// # Safety
/// `arg` is NULL or writable for `*size` bytes (at least 4 when `size` is NULL); `size` is NULL
/// (EFAULT from the kernel) or a valid socklen_t pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_opt_info(
    sd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    size: *mut libc::socklen_t,
) -> c_int {
    if fast(opt) {
        // SAFETY: forwarded contract; the option's id field is at offset 0.
        return sys_to_c_int(unsafe { opt_info::known_sys(sd, id, opt, arg, size, 0) });
    }
    // SAFETY: forwarded contract.
    unsafe { other_opt_info(sd, id, opt, arg, size) }
}

/// sctp_opt_info off the fast path: tracing on (or not yet read), SCTP_DEFAULT_SEND_PARAM (its
/// id is not at offset 0), or an option lksctp does not know.
///
/// # Safety
/// As for sctp_opt_info.
#[cold]
#[inline(never)]
unsafe fn other_opt_info(
    sd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    size: *mut libc::socklen_t,
) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced_opt_info(sd, id, opt, arg, size) };
    }
    // SAFETY: forwarded contract.
    sys_to_c_int(unsafe { opt_info::opt_info_sys(sd, id, opt, arg, size) })
}

/// sctp_opt_info with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_opt_info.
#[cold]
#[inline(never)]
unsafe fn traced_opt_info(
    sd: c_int,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    size: *mut libc::socklen_t,
) -> c_int {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = sys_to_c_int(unsafe { opt_info::opt_info_sys(sd, id, opt, arg, size) });
    if !on {
        return r;
    }
    let n = if r == 0 {
        // SAFETY: read only after a success, when the call has read and written *size.
        unsafe { caller::read(size) }.unwrap_or(0)
    } else {
        0
    };
    trace::emit(
        r.into(),
        format_args!(
            "sctp_opt_info(sd={sd}, id={id}, opt={}, arg={}, size={})",
            trace::opt_name(opt),
            Ptr(arg),
            Ptr(size)
        ),
        (r == 0).then_some(&format_args!("*size={n}")),
    );
    r
}

/// [`opt_info::AT_0_MASK`] while SCTP_RS_TRACE is known to be off, else 0 (tracing on, or not
/// yet read): the entry point's one test, [`fast`], answers both questions it has before the
/// call (is the call traced, and is the option one whose id goes at offset 0).
static GATE: AtomicU32 = AtomicU32::new(0);

/// Called by the trace switch each time it is read (at load).
pub(crate) fn trace_switched(off: bool) {
    GATE.store(if off { opt_info::AT_0_MASK } else { 0 }, Ordering::Relaxed);
}

/// Whether sctp_opt_info may take its fast path: tracing is known to be off and `opt` is a
/// known option with the id at offset 0 (`known_sys` with offset 0 then serves it).
#[inline(always)]
fn fast(opt: c_int) -> bool {
    (0..32).contains(&opt) && gate() & (1 << opt) != 0
}

/// A relaxed load of [`GATE`]; on x86_64 one `mov` from its address (the compiler's atomic
/// load takes the address into a register first).
#[inline(always)]
fn gate() -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        let v: u32;
        // SAFETY: one aligned 4-byte read of GATE (atomic on x86-64, as a relaxed load is);
        // nothing else is touched.
        unsafe {
            core::arch::asm!(
                "mov {v:e}, dword ptr [rip + {s}]",
                v = out(reg) v,
                s = sym GATE,
                options(nostack, readonly, preserves_flags),
            );
        }
        v
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        GATE.load(Ordering::Relaxed)
    }
}
