//! Reporters: they format findings and nothing else.

mod concise;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diagnostic::Location;
use crate::document::lines::Position;
use crate::engine::Report;

pub use human::summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    // SARIF 2.1.0, for code scanning.
    Sarif,
    // GitHub Actions workflow commands (annotations).
    Github,
    // JUnit XML, one test case per file with findings.
    Junit,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Width the human report wraps at.
    pub width: usize,
    /// Show each stale copy's whole source diff, not its first lines.
    pub full_source_diffs: bool,
}

pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, style, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}

/// `path` (relative to the lint root) as seen from where loclint runs:
/// CI annotations and code scanning resolve paths from the repository's
/// top, which is the working folder of a CI step.
fn rebase(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", base.trim_end_matches('/'))
    }
}

/// `text` on one line, safe to print: line breaks and other control
/// characters (and the Unicode line separators and bidirectional controls
/// that reorder what a reader sees) written as escapes. File names, front
/// matter values and link targets come from the docs tree, and a value with
/// a line break followed by `::error …` would otherwise become a workflow
/// command in a CI log.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            c if needs_escape(c) => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A control character other than tab, or a character that moves or
/// reorders text (U+2028, U+2029, bidirectional embeddings and isolates).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character `escape_line` would escape replaced by as
/// many `?` as it has bytes, keeping `\n` and `\r\n` line ends: for
/// snippets of a file, whose byte offsets must not move.
pub fn mask_controls(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let unsafe_at =
        |index: usize, c: char| needs_escape(c) && c != '\n' && !(c == '\r' && bytes.get(index + 1) == Some(&b'\n'));
    if !text.char_indices().any(|(index, c)| unsafe_at(index, c)) {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        if unsafe_at(index, c) {
            masked.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            masked.push(c);
        }
    }
    Cow::Owned(masked)
}

/// Where an annotation starts and ends. A span that ends with its line's
/// break ends at that line's end, not at column 1 of the next line, so that
/// a viewer marks one line, not two.
fn annotated_range(location: &Location) -> (Position, Position) {
    let text = location.file.get(location.span.clone()).unwrap_or_default();
    let kept = text.trim_end_matches(['\r', '\n']).len();
    let end = if kept == 0 { location.span.end } else { location.span.start + kept };
    (location.start(), location.file.position(end))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::SourceFile;

    fn range(text: &str, span: std::ops::Range<usize>) -> ((usize, usize), (usize, usize)) {
        let location = Location { file: SourceFile::new("a.md".into(), Arc::from(text)), span, label: None };
        let (start, end) = annotated_range(&location);
        ((start.line, start.column), (end.line, end.column))
    }

    #[test]
    fn escapes_keep_one_line_and_masks_keep_offsets() {
        assert_eq!(escape_line("plain — 日本語\ttab"), "plain — 日本語\ttab");
        assert_eq!(escape_line("a\n::error ::x\r\u{1b}[31m\u{202e}"), "a\\n::error ::x\\r\\u{1b}[31m\\u{202e}");
        let text = "a\u{1b}[2J\r\nb\rc\u{85}\n";
        let masked = mask_controls(text);
        assert_eq!(masked, "a?[2J\r\nb?c??\n");
        assert_eq!(masked.len(), text.len());
    }

    #[test]
    fn annotations_end_before_the_line_break() {
        assert_eq!(range("# A\n## B\r\nx", 4..10), ((2, 1), (2, 5)));
        assert_eq!(range("# A\n## B\nx", 4..9), ((2, 1), (2, 5)));
        assert_eq!(range("# A\n## B\nx", 4..6), ((2, 1), (2, 3)));
        // A span that is only a line break keeps it.
        assert_eq!(range("# A\n", 3..4), ((1, 4), (2, 1)));
    }
}
