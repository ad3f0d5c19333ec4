//! Packed address arrays (sctp_bindx, sctp_connectx, sctp_sendx, sctp_sendv): the first byte is
//! the address count, the rest the array.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&n, rest)) = data.split_first() {
        sctp_rs::fuzzing::packed_addrs(rest, usize::from(n));
    }
});
