//! Control bytes as recvmsg leaves them, read by sctp_recvmsg and sctp_recvv: the first byte is
//! the room of recvv's info buffer, the rest the control bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&room, control)) = data.split_first() {
        sctp_rs::fuzzing::recv_control(control, usize::from(room));
    }
});
