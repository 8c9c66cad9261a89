//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use loclint::{Report, Request, Settings};

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Lints `paths` with `request`'s other fields.
pub fn lint(paths: &[PathBuf], mut request: Request) -> Report {
    request.paths = paths.to_vec();
    let settings = Settings::resolve(&request).unwrap_or_else(|error| panic!("settings for {paths:?}: {error}"));
    loclint::lint(&settings).unwrap_or_else(|error| panic!("lint of {paths:?}: {error}"))
}

/// One colourless line per finding: `path:line:col rule: message`.
pub fn concise(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let start = diagnostic.start();
            format!("{}:{}:{} {}: {}\n", diagnostic.path, start.line, start.column, diagnostic.rule, diagnostic.message)
        })
        .collect()
}
