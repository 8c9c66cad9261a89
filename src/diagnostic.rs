//! Findings: what a rule reports about one place in one file.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::{Deserialize, Serialize};

use crate::document::lines::{LineIndex, Position};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text {
            "off" => Severity::Off,
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file's text with the name diagnostics show for it, shared by every
/// finding in that file.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    /// Built on first use: most files never need a position.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(name: String, text: Arc<str>) -> Arc<SourceFile> {
        Arc::new(SourceFile { name, text, lines: std::sync::OnceLock::new() })
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines.get_or_init(|| LineIndex::new(&self.text)).position(&self.text, offset)
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.read_span_named(&self.name, span, context_lines_before, context_lines_after)
    }
}

impl SourceFile {
    /// `read_span` under another name (the path as seen from the working
    /// folder, in the human report).
    pub fn read_span_named<'a>(
        &'a self,
        name: &str,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.read_span(span, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes; SPEC §6 counts characters, and the
        // report header must agree with the concise and JSON formats.
        let column = self.position(contents.span().offset()).column - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            name.to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// Where a finding is, in one file.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    /// What the label under the span says.
    pub label: Option<String>,
}

impl Location {
    pub fn start(&self) -> Position {
        self.file.position(self.span.start)
    }

    pub fn end(&self) -> Position {
        self.file.position(self.span.end)
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// Path relative to the lint root, with `/` separators.
    pub path: String,
    pub locale: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The place in the file; `None` for findings about a whole file that
    /// could not be read.
    pub location: Option<Location>,
    /// The counterpart in the source-locale file, for differences.
    pub related: Option<Related>,
    /// More places in the same file that explain the finding.
    pub secondary: Vec<(Range<usize>, String)>,
    /// A safe fix in the finding's file, if the rule has one.
    pub fix: Option<Fix>,
}

/// Text edits that resolve a finding; safe to apply without review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range of the file's text (after any BOM) to replace.
    pub span: Range<usize>,
    pub replacement: String,
}

impl Diagnostic {
    /// Start position, 1:1 when the finding has no location.
    pub fn start(&self) -> Position {
        self.location.as_ref().map_or(Position { line: 1, column: 1 }, Location::start)
    }

    pub fn end(&self) -> Position {
        self.location.as_ref().map_or(Position { line: 1, column: 1 }, Location::end)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Off => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.as_ref().map(|location| &*location.file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.location
            .as_ref()
            .map(|location| Box::new(std::iter::once(labeled_span(location))) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        let related = self.related.as_ref()?;
        Some(Box::new(std::iter::once(related as &dyn miette::Diagnostic)))
    }
}

fn labeled_span(location: &Location) -> LabeledSpan {
    LabeledSpan::new_primary_with_span(location.label.clone(), SourceSpan::from(location.span.start..location.span.end))
}

/// The source-locale side of a difference, shown under the finding.
#[derive(Debug, Clone)]
pub struct Related(pub Location);

impl fmt::Display for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in the source {}", self.0.file.name)
    }
}

impl std::error::Error for Related {}

impl miette::Diagnostic for Related {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.0.file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(labeled_span(&self.0))))
    }
}
