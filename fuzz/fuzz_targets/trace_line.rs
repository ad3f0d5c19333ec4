//! The SCTP_RS_TRACE line formatter: bytes 0..21 are the address count, the result, the errno,
//! flag bits and an option number; the rest is the argument memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<21>() else {
        return;
    };
    let ret = i64::from_ne_bytes(head[1..9].try_into().unwrap_or_default());
    let errno = i32::from_ne_bytes(head[9..13].try_into().unwrap_or_default());
    let flags = u32::from_ne_bytes(head[13..17].try_into().unwrap_or_default());
    let opt = i32::from_ne_bytes(head[17..21].try_into().unwrap_or_default());
    sctp_rs::fuzzing::trace_line(rest, usize::from(head[0] % 16), ret, errno, flags, opt);
});
