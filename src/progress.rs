//! Progress on stderr: messages/s and ETA, only when stderr is a terminal.

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
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| match total_bytes {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% {msg} elapsed {elapsed_precise} ETA {eta}",
                    )
                    .expect("valid template"),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {msg} elapsed {elapsed_precise}")
                    .expect("valid template"),
            ),
        });
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
