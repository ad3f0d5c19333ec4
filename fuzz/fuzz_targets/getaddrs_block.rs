//! The struct sctp_getaddrs block sctp_getpaddrs/sctp_getladdrs get back from the kernel.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sctp_rs::fuzzing::getaddrs_block(data);
});
