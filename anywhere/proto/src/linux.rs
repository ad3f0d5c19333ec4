//! Linux's SCTP API as the kernel defines it (<linux/sctp.h>): option numbers, flags,
//! notification types and states, and for each struct its `SIZE` and field offsets (a module
//! per struct: `linux::sctp_status::sstat_state`). Read off the installed header by
//! facts/linux.c at build time.

#![allow(missing_docs, clippy::unreadable_literal)]

include!(concat!(env!("OUT_DIR"), "/linux_facts.rs"));
