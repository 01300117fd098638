//! SIGINT and SIGTERM stop a run cleanly: the pipeline stops between batches, nothing is
//! committed (the previous output stays as it was, the temporary file is removed) and the
//! process exits with 128 + the signal (130, 143). A second signal ends it at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Starts catching SIGINT and SIGTERM (once per process).
pub fn install() -> std::io::Result<()> {
    if RECEIVED.get().is_some() {
        return Ok(());
    }
    let flag = Arc::new(AtomicUsize::new(0));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Registered first, so it sees the flag as it was: set (a second signal) → exit now.
        let seen = Arc::new(std::sync::atomic::AtomicBool::new(false));
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, seen.clone())?;
        signal_hook::flag::register(sig, seen)?;
        signal_hook::flag::register_usize(sig, flag.clone(), sig as usize)?;
    }
    let _ = RECEIVED.set(flag);
    Ok(())
}

/// The signal received since [`install`], if any.
pub fn received() -> Option<i32> {
    let v = RECEIVED.get()?.load(Ordering::Relaxed);
    (v != 0).then_some(v as i32)
}

/// The signal's name for messages.
pub fn name(sig: i32) -> &'static str {
    match sig {
        signal_hook::consts::SIGINT => "SIGINT",
        signal_hook::consts::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
