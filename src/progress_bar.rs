//! The progress bar on stderr, for runs over large trees on a terminal.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use loclint::progress::{Progress, ProgressHandle};

/// Runs over fewer article groups end before a bar would help.
const MIN_GROUPS: usize = 200;

/// A bar when stderr is a terminal, outside CI, unless `quiet`.
pub fn for_run(quiet: bool) -> ProgressHandle {
    if quiet || in_ci() || !std::io::stderr().is_terminal() {
        return ProgressHandle::default();
    }
    ProgressHandle::new(Arc::new(Bar { bar: Mutex::new(None) }))
}

/// CI services set `CI` (GitHub Actions, GitLab, Azure Pipelines…); their
/// logs keep every redraw of a bar.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|value| !value.is_empty() && value != "false" && value != "0")
}

struct Bar {
    /// One bar per lint pass (`--fix` lints twice).
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    fn with(&self, action: impl FnOnce(&mut Option<ProgressBar>)) {
        let mut guard = self.bar.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        action(&mut guard);
    }
}

impl Progress for Bar {
    fn start(&self, groups: usize) {
        if groups < MIN_GROUPS {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(groups as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("checking {pos}/{len} articles [{bar:30}] {eta} left") {
            bar.set_style(style.progress_chars("=> "));
        }
        self.with(|slot| *slot = Some(bar));
    }

    fn advance(&self) {
        self.with(|slot| {
            if let Some(bar) = slot {
                bar.inc(1);
            }
        });
    }

    fn finish(&self) {
        self.with(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
