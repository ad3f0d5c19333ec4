//! sctpd's log: one line per event worth knowing (a refused request and why, a program's call
//! that failed in the stack, sockets opened and closed at -v), on stderr or the --log file.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

static LEVEL: AtomicU8 = AtomicU8::new(1);
static SINK: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// 0: errors only, 1: refusals and failures (default), 2: every socket and request.
pub fn set_level(l: u8) {
    LEVEL.store(l, Ordering::Relaxed);
}

/// Whether lines of level `l` are written.
pub fn enabled(l: u8) -> bool {
    LEVEL.load(Ordering::Relaxed) >= l
}

/// Writes to `f` instead of stderr.
pub fn set_file(f: std::fs::File) {
    if let Ok(mut s) = SINK.lock() {
        *s = Some(f);
    }
}

/// Writes one line.
pub fn line(args: std::fmt::Arguments<'_>) {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let text = format!(
        "sctpd[{}] {}.{:03}: {}\n",
        std::process::id(),
        t.as_secs(),
        t.subsec_millis(),
        args
    );
    if let Ok(mut s) = SINK.lock()
        && let Some(f) = s.as_mut()
    {
        let _ = f.write_all(text.as_bytes());
        return;
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// `log!(level, "...", args)`.
#[macro_export]
macro_rules! log {
    ($l:expr, $($a:tt)*) => {
        if $crate::log::enabled($l) { $crate::log::line(format_args!($($a)*)) }
    };
}
