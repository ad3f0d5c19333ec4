//! Names for the trace: errno values and the flag bits of the traced arguments.

use core::ffi::{c_int, c_uint};

/// `(bit, name)` pairs for [`super::Bits`].
pub type Names = &'static [(u32, &'static str)];

/// sctp_bindx flags (SCTP_BINDX_ADD_ADDR, SCTP_BINDX_REM_ADDR).
pub const BINDX_FLAGS: Names = &[(0x1, "SCTP_BINDX_ADD_ADDR"), (0x2, "SCTP_BINDX_REM_ADDR")];

/// sctp_peeloff_flags flags (SOCK_NONBLOCK, SOCK_CLOEXEC).
pub const PEELOFF_FLAGS: Names = &[
    (libc::SOCK_NONBLOCK as u32, "SOCK_NONBLOCK"),
    (libc::SOCK_CLOEXEC as u32, "SOCK_CLOEXEC"),
];

/// sendmsg flags.
pub const SEND_FLAGS: Names = &[
    (libc::MSG_OOB as u32, "MSG_OOB"),
    (libc::MSG_DONTROUTE as u32, "MSG_DONTROUTE"),
    (libc::MSG_DONTWAIT as u32, "MSG_DONTWAIT"),
    (libc::MSG_EOR as u32, "MSG_EOR"),
    (libc::MSG_NOSIGNAL as u32, "MSG_NOSIGNAL"),
    (libc::MSG_MORE as u32, "MSG_MORE"),
];

/// recvmsg flags, with 0x8000 as MSG_NOTIFICATION (SCTP's meaning of MSG_MORE's bit there).
pub const RECV_FLAGS: Names = &[
    (libc::MSG_OOB as u32, "MSG_OOB"),
    (libc::MSG_PEEK as u32, "MSG_PEEK"),
    (libc::MSG_CTRUNC as u32, "MSG_CTRUNC"),
    (libc::MSG_TRUNC as u32, "MSG_TRUNC"),
    (libc::MSG_DONTWAIT as u32, "MSG_DONTWAIT"),
    (libc::MSG_EOR as u32, "MSG_EOR"),
    (libc::MSG_WAITALL as u32, "MSG_WAITALL"),
    (0x8000, "MSG_NOTIFICATION"),
];

/// sinfo_flags (uapi/linux/sctp.h enum sctp_sinfo_flags).
pub const SINFO_FLAGS: Names = &[
    (0x1, "SCTP_UNORDERED"),
    (0x2, "SCTP_ADDR_OVER"),
    (0x4, "SCTP_ABORT"),
    (0x8, "SCTP_SACK_IMMEDIATELY"),
    (0x40, "SCTP_SENDALL"),
    (0x80, "SCTP_PR_SCTP_ALL"),
    (0x200, "SCTP_EOF"),
    (0x8000, "SCTP_NOTIFICATION"),
    // The PR-SCTP policy (SCTP_PR_SCTP_TTL 0x10, _RTX 0x20, _PRIO 0x30) is a 2-bit value.
    (0x30, "SCTP_PR_SCTP_PRIO"),
    (0x10, "SCTP_PR_SCTP_TTL"),
    (0x20, "SCTP_PR_SCTP_RTX"),
];

/// Linux's errno names, indexed by value.
const ERRNO: [&str; 134] = [
    "0",
    "EPERM",
    "ENOENT",
    "ESRCH",
    "EINTR",
    "EIO",
    "ENXIO",
    "E2BIG",
    "ENOEXEC",
    "EBADF",
    "ECHILD",
    "EAGAIN",
    "ENOMEM",
    "EACCES",
    "EFAULT",
    "ENOTBLK",
    "EBUSY",
    "EEXIST",
    "EXDEV",
    "ENODEV",
    "ENOTDIR",
    "EISDIR",
    "EINVAL",
    "ENFILE",
    "EMFILE",
    "ENOTTY",
    "ETXTBSY",
    "EFBIG",
    "ENOSPC",
    "ESPIPE",
    "EROFS",
    "EMLINK",
    "EPIPE",
    "EDOM",
    "ERANGE",
    "EDEADLK",
    "ENAMETOOLONG",
    "ENOLCK",
    "ENOSYS",
    "ENOTEMPTY",
    "ELOOP",
    "41",
    "ENOMSG",
    "EIDRM",
    "ECHRNG",
    "EL2NSYNC",
    "EL3HLT",
    "EL3RST",
    "ELNRNG",
    "EUNATCH",
    "ENOCSI",
    "EL2HLT",
    "EBADE",
    "EBADR",
    "EXFULL",
    "ENOANO",
    "EBADRQC",
    "EBADSLT",
    "58",
    "EBFONT",
    "ENOSTR",
    "ENODATA",
    "ETIME",
    "ENOSR",
    "ENONET",
    "ENOPKG",
    "EREMOTE",
    "ENOLINK",
    "EADV",
    "ESRMNT",
    "ECOMM",
    "EPROTO",
    "EMULTIHOP",
    "EDOTDOT",
    "EBADMSG",
    "EOVERFLOW",
    "ENOTUNIQ",
    "EBADFD",
    "EREMCHG",
    "ELIBACC",
    "ELIBBAD",
    "ELIBSCN",
    "ELIBMAX",
    "ELIBEXEC",
    "EILSEQ",
    "ERESTART",
    "ESTRPIPE",
    "EUSERS",
    "ENOTSOCK",
    "EDESTADDRREQ",
    "EMSGSIZE",
    "EPROTOTYPE",
    "ENOPROTOOPT",
    "EPROTONOSUPPORT",
    "ESOCKTNOSUPPORT",
    "EOPNOTSUPP",
    "EPFNOSUPPORT",
    "EAFNOSUPPORT",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "ENETUNREACH",
    "ENETRESET",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOBUFS",
    "EISCONN",
    "ENOTCONN",
    "ESHUTDOWN",
    "ETOOMANYREFS",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "EALREADY",
    "EINPROGRESS",
    "ESTALE",
    "EUCLEAN",
    "ENOTNAM",
    "ENAVAIL",
    "EISNAM",
    "EREMOTEIO",
    "EDQUOT",
    "ENOMEDIUM",
    "EMEDIUMTYPE",
    "ECANCELED",
    "ENOKEY",
    "EKEYEXPIRED",
    "EKEYREVOKED",
    "EKEYREJECTED",
    "EOWNERDEAD",
    "ENOTRECOVERABLE",
    "ERFKILL",
    "EHWPOISON",
];

/// "EINVAL" for libc::EINVAL; the number as text for values without a name.
pub fn errno_name(e: c_int) -> ErrnoName {
    ErrnoName(e)
}

/// Display of an errno value by name.
#[derive(Clone, Copy)]
pub struct ErrnoName(c_int);

impl core::fmt::Display for ErrnoName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match usize::try_from(self.0).ok().and_then(|i| ERRNO.get(i)) {
            Some(n) if self.0 > 0 && n.starts_with('E') => f.write_str(n),
            _ => write!(f, "errno {}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_names_match_libc_values() {
        let cases = [
            (libc::EPERM, "EPERM"),
            (libc::EINVAL, "EINVAL"),
            (libc::EDEADLK, "EDEADLK"),
            (libc::ENOMSG, "ENOMSG"),
            (libc::EBFONT, "EBFONT"),
            (libc::ENOTSOCK, "ENOTSOCK"),
            (libc::EOPNOTSUPP, "EOPNOTSUPP"),
            (libc::EINPROGRESS, "EINPROGRESS"),
            (libc::ENOTRECOVERABLE, "ENOTRECOVERABLE"),
            (libc::EHWPOISON, "EHWPOISON"),
        ];
        for (v, n) in cases {
            assert_eq!(errno_name(v).to_string(), n);
        }
        assert_eq!(errno_name(0).to_string(), "errno 0");
        assert_eq!(errno_name(41).to_string(), "errno 41");
        assert_eq!(errno_name(999).to_string(), "errno 999");
    }
}

/// SCTP socket options by value (uapi/linux/sctp.h), for sctp_opt_info's `opt`.
const OPTS: [&str; 36] = [
    "SCTP_RTOINFO",
    "SCTP_ASSOCINFO",
    "SCTP_INITMSG",
    "SCTP_NODELAY",
    "SCTP_AUTOCLOSE",
    "SCTP_SET_PEER_PRIMARY_ADDR",
    "SCTP_PRIMARY_ADDR",
    "SCTP_ADAPTATION_LAYER",
    "SCTP_DISABLE_FRAGMENTS",
    "SCTP_PEER_ADDR_PARAMS",
    "SCTP_DEFAULT_SEND_PARAM",
    "SCTP_EVENTS",
    "SCTP_I_WANT_MAPPED_V4_ADDR",
    "SCTP_MAXSEG",
    "SCTP_STATUS",
    "SCTP_GET_PEER_ADDR_INFO",
    "SCTP_DELAYED_ACK_TIME",
    "SCTP_CONTEXT",
    "SCTP_FRAGMENT_INTERLEAVE",
    "SCTP_PARTIAL_DELIVERY_POINT",
    "SCTP_MAX_BURST",
    "SCTP_AUTH_CHUNK",
    "SCTP_HMAC_IDENT",
    "SCTP_AUTH_KEY",
    "SCTP_AUTH_ACTIVE_KEY",
    "SCTP_AUTH_DELETE_KEY",
    "SCTP_PEER_AUTH_CHUNKS",
    "SCTP_LOCAL_AUTH_CHUNKS",
    "SCTP_GET_ASSOC_NUMBER",
    "SCTP_GET_ASSOC_ID_LIST",
    "SCTP_AUTO_ASCONF",
    "SCTP_PEER_ADDR_THLDS",
    "SCTP_RECVRCVINFO",
    "SCTP_RECVNXTINFO",
    "SCTP_DEFAULT_SNDINFO",
    "SCTP_AUTH_DEACTIVATE_KEY",
];

/// A name from a table indexed by value, or the number itself.
#[derive(Clone, Copy)]
pub struct Named(c_int, &'static [&'static str]);

impl core::fmt::Display for Named {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match usize::try_from(self.0).ok().and_then(|i| self.1.get(i)) {
            Some(n) if !n.is_empty() => f.write_str(n),
            _ => write!(f, "{}", self.0),
        }
    }
}

/// sctp_opt_info's option: `SCTP_STATUS` for 14.
pub fn opt_name(opt: c_int) -> Named {
    Named(opt, &OPTS)
}

/// An address family: `AF_INET`, `AF_INET6`, or the number.
pub fn family_name(family: c_int) -> Named {
    const F: [&str; 11] = [
        "AF_UNSPEC",
        "",
        "AF_INET",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "AF_INET6",
    ];
    Named(family, &F)
}

/// sctp_sendv's infotype: `SCTP_SENDV_SNDINFO` for 1.
pub fn sendv_infotype(t: c_uint) -> Named {
    const T: [&str; 5] = [
        "SCTP_SENDV_NOINFO",
        "SCTP_SENDV_SNDINFO",
        "SCTP_SENDV_PRINFO",
        "SCTP_SENDV_AUTHINFO",
        "SCTP_SENDV_SPA",
    ];
    Named(c_int::try_from(t).unwrap_or(c_int::MAX), &T)
}

/// sctp_recvv's infotype: `SCTP_RECVV_RCVINFO` for 1.
pub fn recvv_infotype(t: c_uint) -> Named {
    const T: [&str; 4] = [
        "SCTP_RECVV_NOINFO",
        "SCTP_RECVV_RCVINFO",
        "SCTP_RECVV_NXTINFO",
        "SCTP_RECVV_RN",
    ];
    Named(c_int::try_from(t).unwrap_or(c_int::MAX), &T)
}
