//! A progress line on stderr for long scans, drawn by `indicatif`: position, rate and ETA, redrawn
//! in place and cleared at the end. Hidden unless the caller asks and stderr is a terminal, so logs
//! and pipes never see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub struct Progress {
    bar: ProgressBar,
    started: std::time::Instant,
}

impl Progress {
    /// A line for `total` blobs; drawn only if `wanted` and stderr is a terminal.
    pub fn blobs(total: usize, wanted: bool) -> Progress {
        let target = if wanted && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr_with_hz(5)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        bar.set_style(
            ProgressStyle::with_template("scanning blobs {pos}/{len} · {msg} · ETA {eta}")
                .expect("a valid template"),
        );
        Progress {
            bar,
            started: std::time::Instant::now(),
        }
    }

    /// Where the scan is: blobs done and bytes read so far.
    pub fn update(&self, done: usize, bytes: u64) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        self.bar
            .set_message(format!("{:.1} MB/s", bytes as f64 / 1e6 / secs));
        self.bar.set_position(done as u64);
    }

    /// How often the caller should call `update`.
    pub const TICK: Duration = Duration::from_millis(200);

    /// Clears the line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
