//! Notification parsing (sctp_rs::notification::parse): any bytes give a notification or an
//! error, never a panic or a read past the input; what parses is consistent with its bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sctp_rs::notification::{parse, Notification};

fuzz_target!(|data: &[u8]| {
    if let Ok(n) = parse(data) {
        // The type number is the first two bytes, and the parse borrowed only what the length
        // field covers.
        assert_eq!(n.kind().to_ne_bytes(), [data[0], data[1]]);
        let length = u32::from_ne_bytes([data[4], data[5], data[6], data[7]]) as usize;
        assert!(length <= data.len());
        match n {
            Notification::AssocChange(c) => assert!(c.info.len() + 20 == length),
            Notification::Unknown { bytes, .. } => assert_eq!(bytes.len(), length),
            Notification::StreamReset { streams, .. } => {
                assert_eq!(streams.iter().count(), streams.len());
                assert!(streams.len() * 2 + 12 <= length);
            }
            _ => {}
        }
        let _ = format!("{n:?}");
    }
});
