use core::ffi::c_int;

use super::caller;
use crate::addrs::PackedAddrs;
use crate::connectx;
use crate::error::{Sys, sys_to_c_int};
use crate::sys::sctp_assoc_t;
use crate::trace::{self, Addrs, Ptr};

// The three ABI versions of sctp_connectx, as lksctp exports them: the unversioned name and
// @VERS_1 are the three-argument function (so that dlsym(h, "sctp_connectx") gets it, as with
// lksctp), @VERS_2 and the default @@VERS_3 the four-argument ones. A static link resolves a
// plain `sctp_connectx` to @@VERS_3. GNU as only accepts .symver in the object that defines the
// symbol, so this must stay in the module (codegen unit) of the three functions.
core::arch::global_asm!(
    ".symver sctp_rs_connectx_v1, sctp_connectx@",
    ".symver sctp_rs_connectx_v1, sctp_connectx@VERS_1",
    ".symver sctp_rs_connectx_v2, sctp_connectx@VERS_2",
    ".symver sctp_rs_connectx_v3, sctp_connectx@@VERS_3",
);

/// Connect to a peer given by one or more addresses (sctp_connectx(3), RFC 6458 9.9). This is
/// the default version, exported as sctp_connectx@@VERS_3 (declared as sctp_connectx in the
/// header).
///
/// Returns 0 with the association id in `*id` (when `id` is not NULL); on a non-blocking socket
/// -1 with errno EINPROGRESS and `*id` already set. Other failures: -1 with errno EINVAL (a
/// family other than AF_INET/AF_INET6, `addrs` NULL with `addrcnt` > 0, or from the kernel for
/// `addrcnt` < 1) or the kernel's (EBADF, ENOTSOCK, EISCONN, EALREADY, EADDRNOTAVAIL,
/// ECONNREFUSED, ...). One getsockopt(SCTP_SOCKOPT_CONNECTX3); errno is untouched on success.
///
/// # Safety
/// `addrs` as for sctp_bindx; `id` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_rs_connectx_v3(
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { entry(V3, sd, addrs, addrcnt, id) }
}

/// The VERS_2 sctp_connectx (lksctp 1.0.8-1.0.9 ABI): setsockopt(SCTP_SOCKOPT_CONNECTX), whose
/// result is the association id. Exported only as sctp_connectx@VERS_2.
///
/// # Safety
/// As for sctp_connectx.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_rs_connectx_v2(
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { entry(V2, sd, addrs, addrcnt, id) }
}

/// The VERS_1 sctp_connectx (three arguments, never reports an id):
/// setsockopt(SCTP_SOCKOPT_CONNECTX_OLD). Exported as sctp_connectx@VERS_1 and as the
/// unversioned sctp_connectx that dlsym() finds, as lksctp does.
///
/// # Safety
/// As for sctp_connectx.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sctp_rs_connectx_v1(
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
) -> c_int {
    // SAFETY: forwarded contract; VERS_1 has no id.
    unsafe { entry(V1, sd, addrs, addrcnt, core::ptr::null_mut()) }
}

/// Which ABI version an entry point is.
type Version = u8;
const V1: Version = 1;
const V2: Version = 2;
const V3: Version = 3;

/// The entry point of each version: the traced twin when SCTP_RS_TRACE is on, else the body.
///
/// # Safety
/// As for sctp_connectx.
#[inline(always)]
unsafe fn entry(
    v: Version,
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    if !trace::off() {
        // SAFETY: forwarded contract.
        return unsafe { traced(v, sd, addrs, addrcnt, id) };
    }
    // SAFETY: forwarded contract.
    sys_to_c_int(unsafe { body(v, sd, addrs, addrcnt, id) })
}

/// One version's call: the addresses validated, the one syscall, `*id` stored by copy.
///
/// # Safety
/// As for sctp_connectx.
#[inline(always)]
unsafe fn body(
    v: Version,
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> crate::Result<Sys> {
    // SAFETY: forwarded contract on `addrs`.
    let a = unsafe { PackedAddrs::from_raw_opt(addrs, addrcnt) }?;
    match v {
        V1 => connectx::connectx_v1_sys(sd, a.as_ref()),
        V2 => {
            // Zeroed first, as lksctp does, so a failure leaves 0.
            // SAFETY: `id` is NULL or writable per the contract.
            unsafe { caller::write(id, 0) };
            let r = connectx::connectx_v2_sys(sd, a.as_ref())?;
            if r.0 < 0 {
                return Ok(r);
            }
            // SAFETY: as above; the result is the id.
            unsafe { caller::write(id, r.0 as sctp_assoc_t) };
            Ok(Sys(0))
        }
        _ => {
            let (r, got) = connectx::connectx_sys(sd, a.as_ref())?;
            // The id is reported on success, and on EINPROGRESS (a non-blocking connect).
            if r.0 == 0 || crate::Errno::last() == crate::Errno(libc::EINPROGRESS) {
                // SAFETY: `id` is NULL or writable per the contract.
                unsafe { caller::write(id, got) };
            }
            Ok(r)
        }
    }
}

/// A version's call with SCTP_RS_TRACE on: the same call, then its line.
///
/// # Safety
/// As for sctp_connectx.
#[cold]
#[inline(never)]
unsafe fn traced(
    v: Version,
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    let on = trace::enabled();
    // SAFETY: forwarded contract.
    let r = sys_to_c_int(unsafe { body(v, sd, addrs, addrcnt, id) });
    if !on {
        return r;
    }
    let (name, id) = match v {
        V1 => ("sctp_connectx@VERS_1", None),
        V2 => ("sctp_connectx@VERS_2", Some(id)),
        _ => ("sctp_connectx", Some(id)),
    };
    // SAFETY: forwarded contract.
    unsafe { trace_call(name, r, sd, addrs, addrcnt, id) };
    r
}

/// The trace line of the three versions; `id` is None for VERS_1 (no such argument). The id
/// written is shown on success and on EINPROGRESS (a non-blocking connect sets it too).
///
/// # Safety
/// As for sctp_connectx.
unsafe fn trace_call(
    name: &str,
    r: c_int,
    sd: c_int,
    addrs: *mut libc::sockaddr,
    addrcnt: c_int,
    id: Option<*mut sctp_assoc_t>,
) {
    let inprogress = r == -1 && crate::Errno::last() == crate::Errno(libc::EINPROGRESS);
    // SAFETY: the addresses the call read and the id it wrote (by copy), under the same
    // contract.
    let (a, written) = unsafe { (Addrs::new(addrs, addrcnt), id.and_then(|p| caller::read(p))) };
    let shown = if r == 0 || inprogress { written } else { None };
    let shown = shown.map(Written);
    let out = shown.as_ref().map(|w| w as &dyn core::fmt::Display);
    match id {
        None => trace::emit(
            r.into(),
            format_args!("{name}(sd={sd}, addrs={a}, addrcnt={addrcnt})"),
            out,
        ),
        Some(p) => trace::emit(
            r.into(),
            format_args!(
                "{name}(sd={sd}, addrs={a}, addrcnt={addrcnt}, id={})",
                Ptr(p)
            ),
            out,
        ),
    }
}

/// "*id=N": the association id connectx wrote.
struct Written(sctp_assoc_t);

impl core::fmt::Display for Written {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "*id={}", self.0)
    }
}
