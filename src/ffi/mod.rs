//! The `extern "C"` entry points. Each one checks the pointers it must dereference, calls the
//! safe core, and maps the result to the C convention (value, or -1 with errno). Nothing else
//! lives here. See the crate documentation for the shared `# Safety` contract.

mod bindx;
mod caller;
mod connectx;
mod getaddrs;
mod opt_info;
mod peeloff;
mod recv;
mod send;
mod sendv;

pub use bindx::sctp_bindx;
pub use connectx::{sctp_rs_connectx_v1, sctp_rs_connectx_v2, sctp_rs_connectx_v3};
pub use getaddrs::{
    sctp_freeladdrs, sctp_freepaddrs, sctp_getaddrlen, sctp_getladdrs, sctp_getpaddrs,
};
pub use opt_info::sctp_opt_info;
pub(crate) use opt_info::trace_switched as opt_info_trace_switched;
pub use peeloff::{sctp_peeloff, sctp_peeloff_flags};
pub use recv::{sctp_recvmsg, sctp_recvv};
pub use send::{sctp_send, sctp_sendmsg, sctp_sendx};
pub use sendv::sctp_sendv;
