//! The packing of a send (sctp_sendv's info, sctp_sendx's and sctp_sendv's destination cmsgs):
//! bytes 0..4 are infotype, infolen, the address count and where the info ends; then the info,
//! then the address array.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[ty, len, count, split], rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let (info, addrs) = rest.split_at(usize::from(split).min(rest.len()));
    sctp_rs::fuzzing::pack_send(info, u32::from(len), u32::from(ty % 8), addrs, usize::from(count));
});
