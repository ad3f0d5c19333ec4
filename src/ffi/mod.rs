//! The `extern "C"` entry points. Each one checks the pointers it must dereference, calls the
//! safe core, and maps the result to the C convention (value, or -1 with errno). Nothing else
//! lives here. See the crate documentation for the shared `# Safety` contract.

mod peeloff;
mod send;

pub use peeloff::{sctp_peeloff, sctp_peeloff_flags};
pub use send::{sctp_send, sctp_sendx};
