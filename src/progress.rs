//! Progress on stderr, only when stderr is a terminal: messages/s and ETA of a run, or the
//! steps of a training run.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;

/// A progress display over input bytes (files) or rows (stdin).
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    /// Shown only when `enabled` and stderr is a terminal. `total_bytes` gives an ETA.
    pub fn new(enabled: bool, total_bytes: Option<u64>) -> Progress {
        let bar = match total_bytes {
            Some(n) => terminal_bar(
                enabled,
                Some(n),
                "{bar:30} {percent:>3}% {msg} elapsed {elapsed_precise} ETA {eta}",
            ),
            None => terminal_bar(enabled, None, "{spinner} {msg} elapsed {elapsed_precise}"),
        };
        Progress {
            bar,
            start: Instant::now(),
        }
    }

    /// Reports rows written and input bytes consumed.
    pub fn update(&self, rows: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            let secs = self.start.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{rows} messages, {:.0} msg/s", rows as f64 / secs));
            if bar.length().is_some() {
                bar.set_position(bytes);
            } else {
                bar.tick();
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A bar over `total` training steps (`None` unless `enabled` and stderr is a terminal).
pub fn step_bar(enabled: bool, total: u64) -> Option<ProgressBar> {
    terminal_bar(
        enabled,
        Some(total),
        "{bar:30} {pos}/{len} steps {msg} {per_sec} ETA {eta}",
    )
}

/// A bar (of `len`, else a spinner) drawn on stderr with `template`, when `enabled` and
/// stderr is a terminal.
fn terminal_bar(enabled: bool, len: Option<u64>, template: &str) -> Option<ProgressBar> {
    (enabled && std::io::stderr().is_terminal()).then(|| {
        ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr())
            .with_style(ProgressStyle::with_template(template).expect("valid template"))
    })
}
