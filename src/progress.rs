//! Progress of a run, for a caller that shows it (the binary draws a bar on
//! a terminal); the library itself never prints.

use std::sync::Arc;

pub trait Progress: Send + Sync {
    /// The run will check `groups` article groups.
    fn start(&self, groups: usize);
    /// One more group is checked (called from worker threads).
    fn advance(&self);
    /// The groups are checked; what follows is quick or reported elsewhere.
    fn finish(&self);
}

/// Where a run reports its progress; nowhere by default.
#[derive(Clone, Default)]
pub struct ProgressHandle(Option<Arc<dyn Progress>>);

impl ProgressHandle {
    pub fn new(progress: Arc<dyn Progress>) -> ProgressHandle {
        ProgressHandle(Some(progress))
    }

    pub fn start(&self, groups: usize) {
        if let Some(progress) = &self.0 {
            progress.start(groups);
        }
    }

    pub fn advance(&self) {
        if let Some(progress) = &self.0 {
            progress.advance();
        }
    }

    pub fn finish(&self) {
        if let Some(progress) = &self.0 {
            progress.finish();
        }
    }
}

impl std::fmt::Debug for ProgressHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "ProgressHandle(shown)" } else { "ProgressHandle(none)" })
    }
}
