//! Safe fixes: only what a rule marks as fixable, written atomically, with
//! line endings and BOM kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};

/// The rules some of whose findings carry a safe fix (`loclint rules` marks
/// them `[*]`); a test checks the list against the fixtures.
pub const FIXABLE_RULES: [&str; 2] = ["assetid-mismatch", "locale-mismatch"];

/// Whether `--fix` can fix some findings of `rule`.
pub fn is_fixable(rule: &crate::rules::Rule) -> bool {
    FIXABLE_RULES.contains(&rule.name)
}

/// A file with its text before and after the fixes.
#[derive(Debug)]
pub struct FixedFile {
    pub path: PathBuf,
    pub display: String,
    pub before: String,
    pub after: String,
    pub fixes: usize,
}

/// Computes the fixed text of every file that has fixable findings. Files
/// that changed since they were linted, or are not clean UTF-8, are skipped
/// (a lossy decode must never be written back).
pub fn plan(root: &Path, diagnostics: &[Diagnostic]) -> Vec<FixedFile> {
    let mut by_file: BTreeMap<&str, (Arc<SourceFile>, Vec<&crate::diagnostic::Fix>)> = BTreeMap::new();
    for diagnostic in diagnostics {
        let (Some(fix), Some(location)) = (&diagnostic.fix, &diagnostic.location) else {
            continue;
        };
        by_file.entry(&diagnostic.path).or_insert_with(|| (location.file.clone(), Vec::new())).1.push(fix);
    }
    let mut planned = Vec::new();
    for (display, (file, fixes)) in by_file {
        let path = root.join(display);
        if !crate::discover::free_of_links(root, display) {
            continue;
        }
        let Ok(bytes) = crate::discover::read_no_follow(&path) else {
            continue;
        };
        let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (true, rest),
            None => (false, &bytes[..]),
        };
        let Ok(current) = std::str::from_utf8(body) else {
            continue;
        };
        if !file.is_text(current) {
            continue;
        }
        let mut edits: Vec<&crate::diagnostic::Edit> = fixes.iter().flat_map(|fix| &fix.edits).collect();
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        let mut after = String::with_capacity(current.len() + 64);
        let mut position = 0;
        let mut applied = 0;
        for edit in edits {
            // Overlapping edits would garble text; the next run fixes the rest.
            if edit.span.start < position || edit.span.end > current.len() {
                continue;
            }
            after.push_str(&current[position..edit.span.start]);
            after.push_str(&edit.replacement);
            position = edit.span.end;
            applied += 1;
        }
        after.push_str(&current[position..]);
        if after == current {
            continue;
        }
        let prefix = if bom { "\u{FEFF}" } else { "" };
        planned.push(FixedFile {
            path,
            display: display.to_string(),
            before: format!("{prefix}{current}"),
            after: format!("{prefix}{after}"),
            fixes: applied,
        });
    }
    planned
}

/// What became of one planned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Written,
    /// The file changed since it was read (an editor, another run): left
    /// alone, so that the edit is not lost.
    Changed,
    /// It could not be written (the message says why); the others still are.
    Failed(String),
}

/// Writes the planned files, each only if it still holds the text the fixes
/// were computed on, checked right before its rename. A file that cannot be
/// written is reported and the rest carry on.
pub fn apply(files: &[FixedFile]) -> Vec<Outcome> {
    files
        .iter()
        .map(|file| match crate::write::replace_unchanged(&file.path, file.after.as_bytes(), file.before.as_bytes()) {
            Ok(crate::write::Replaced::Written) => Outcome::Written,
            Ok(crate::write::Replaced::Changed) => Outcome::Changed,
            Err(error) => Outcome::Failed(error.to_string()),
        })
        .collect()
}

/// A unified diff of the planned fixes.
pub fn diff(files: &[FixedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let diff = similar::TextDiff::from_lines(&file.before, &file.after);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(2)
                .header(&format!("a/{}", file.display), &format!("b/{}", file.display))
                .to_string(),
        );
    }
    out
}
