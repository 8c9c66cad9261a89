//! Reporters: they format findings and nothing else.

mod concise;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

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
    fn annotations_end_before_the_line_break() {
        assert_eq!(range("# A\n## B\r\nx", 4..10), ((2, 1), (2, 5)));
        assert_eq!(range("# A\n## B\nx", 4..9), ((2, 1), (2, 5)));
        assert_eq!(range("# A\n## B\nx", 4..6), ((2, 1), (2, 3)));
        // A span that is only a line break keeps it.
        assert_eq!(range("# A\n", 3..4), ((1, 4), (2, 1)));
    }
}
