//! usrsctp, the userspace SCTP stack sctpd runs (Debian's libusrsctp, linked by build.rs): its
//! functions, and its constants, struct sizes and field offsets read off <usrsctp.h> at build
//! time (facts/usrsctp.c). Its names are Linux's, its numbers and layouts often not: the rest of
//! sctpd says `usr::SCTP_STATUS` or `linux::SCTP_STATUS`, never a bare number.

#![allow(
    non_camel_case_types,
    dead_code,
    clippy::unreadable_literal,
    missing_docs
)]

use core::ffi::{c_char, c_int, c_uint, c_void};
use libc::{size_t, sockaddr, socklen_t, ssize_t};

include!(concat!(env!("OUT_DIR"), "/usrsctp_facts.rs"));

/// usrsctp's socket, opaque.
#[repr(C)]
pub struct socket {
    _private: [u8; 0],
}

/// The upcall usrsctp calls (from its own threads) when a socket may have changed state.
pub type Upcall = unsafe extern "C" fn(so: *mut socket, arg: *mut c_void, flags: c_int);
type ConnOutput = unsafe extern "C" fn(*mut c_void, *mut c_void, size_t, u8, u8) -> c_int;
/// usrsctp's debug_printf (`void (*)(const char *, ...)`); C's printf is passed for it, its
/// int result left unread by the caller, as C programs pass it.
type DebugPrintf = unsafe extern "C" fn(*const c_char, ...) -> c_int;
type ReceiveCb = unsafe extern "C" fn() -> c_int;
type SendCb = unsafe extern "C" fn() -> c_int;

unsafe extern "C" {
    pub fn usrsctp_init(port: u16, conn_output: Option<ConnOutput>, debug: Option<DebugPrintf>);
    pub fn usrsctp_finish() -> c_int;
    pub fn usrsctp_socket(
        domain: c_int,
        ty: c_int,
        protocol: c_int,
        receive_cb: Option<ReceiveCb>,
        send_cb: Option<SendCb>,
        sb_threshold: u32,
        ulp_info: *mut c_void,
    ) -> *mut socket;
    pub fn usrsctp_setsockopt(
        so: *mut socket,
        level: c_int,
        name: c_int,
        val: *const c_void,
        len: socklen_t,
    ) -> c_int;
    pub fn usrsctp_getsockopt(
        so: *mut socket,
        level: c_int,
        name: c_int,
        val: *mut c_void,
        len: *mut socklen_t,
    ) -> c_int;
    pub fn usrsctp_getpaddrs(so: *mut socket, id: u32, addrs: *mut *mut sockaddr) -> c_int;
    pub fn usrsctp_freepaddrs(addrs: *mut sockaddr);
    pub fn usrsctp_getladdrs(so: *mut socket, id: u32, addrs: *mut *mut sockaddr) -> c_int;
    pub fn usrsctp_freeladdrs(addrs: *mut sockaddr);
    pub fn usrsctp_sendv(
        so: *mut socket,
        data: *const c_void,
        len: size_t,
        to: *mut sockaddr,
        addrcnt: c_int,
        info: *mut c_void,
        infolen: socklen_t,
        infotype: c_uint,
        flags: c_int,
    ) -> ssize_t;
    pub fn usrsctp_recvv(
        so: *mut socket,
        buf: *mut c_void,
        len: size_t,
        from: *mut sockaddr,
        fromlen: *mut socklen_t,
        info: *mut c_void,
        infolen: *mut socklen_t,
        infotype: *mut c_uint,
        msg_flags: *mut c_int,
    ) -> ssize_t;
    pub fn usrsctp_bind(so: *mut socket, name: *mut sockaddr, len: socklen_t) -> c_int;
    pub fn usrsctp_bindx(so: *mut socket, addrs: *mut sockaddr, cnt: c_int, flags: c_int) -> c_int;
    pub fn usrsctp_listen(so: *mut socket, backlog: c_int) -> c_int;
    pub fn usrsctp_accept(so: *mut socket, name: *mut sockaddr, len: *mut socklen_t)
    -> *mut socket;
    pub fn usrsctp_peeloff(so: *mut socket, id: u32) -> *mut socket;
    pub fn usrsctp_connect(so: *mut socket, name: *mut sockaddr, len: socklen_t) -> c_int;
    pub fn usrsctp_connectx(
        so: *mut socket,
        addrs: *const sockaddr,
        cnt: c_int,
        id: *mut u32,
    ) -> c_int;
    pub fn usrsctp_close(so: *mut socket);
    pub fn usrsctp_shutdown(so: *mut socket, how: c_int) -> c_int;
    pub fn usrsctp_set_non_blocking(so: *mut socket, on: c_int) -> c_int;
    pub fn usrsctp_set_upcall(so: *mut socket, upcall: Option<Upcall>, arg: *mut c_void) -> c_int;
    pub fn usrsctp_get_events(so: *mut socket) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_blackhole(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_udp_tunneling_port(v: u32) -> c_int;
    pub fn usrsctp_sysctl_get_sctp_udp_tunneling_port() -> u32;
    pub fn usrsctp_sysctl_set_sctp_ecn_enable(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_pr_enable(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_reconfig_enable(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_default_ss_module(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_auth_enable(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_asconf_enable(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_sendspace(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_recvspace(v: u32) -> c_int;
    pub fn usrsctp_sysctl_set_sctp_debug_on(v: u32) -> c_int;
}
