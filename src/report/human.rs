//! miette reports with snippets of the copy and of the source.

use std::io::{self, Write};

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::Style;
use crate::diagnostic::{Diagnostic, Related, Severity, SourceFile};
use crate::engine::{GroupReport, Sink, Summary};

pub(super) struct Human<'a> {
    style: Style,
    base: String,
    handler: GraphicalReportHandler,
    out: &'a mut dyn Write,
    rendered: String,
}

impl<'a> Human<'a> {
    pub(super) fn new(style: Style, base: String, out: &'a mut dyn Write) -> Self {
        let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        // Lines break at spaces only, never inside a word: textwrap would
        // otherwise split a GUID or a path at its hyphens (or anywhere in a
        // word longer than the line), and a reader or a script searching a
        // piped report for it would not find it. A long word overflows.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_break_words(false)
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_links(false)
            .with_context_lines(crate::diagnostic::SNIPPET_CONTEXT_LINES);
        Human { style, base, handler, out, rendered: String::new() }
    }
}

impl Sink for Human<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            self.rendered.clear();
            let rebased = Rebased::new(diagnostic, &self.base);
            self.handler
                .render_report(&mut self.rendered, &rebased)
                .map_err(|error| io::Error::other(error.to_string()))?;
            writeln!(self.out, "{}", self.rendered)?;
            if let Some(handoff) = &diagnostic.handoff {
                write_source_diff(handoff, self.style, self.out)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The source's change since a stale copy's handoff, indented under its
/// finding: the first lines, or all with `--show-source-diff`.
fn write_source_diff(handoff: &crate::diagnostic::HandoffReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let lines: Vec<&str> = handoff.diff.lines().collect();
    let shown = if style.full_source_diffs { lines.len() } else { handoff.shown_lines.min(lines.len()) };
    if shown == 0 {
        return Ok(());
    }
    writeln!(out, "  source changes since the handoff:")?;
    for line in &lines[..shown] {
        // The source is untrusted text: no terminal or CI control sequence
        // of its own reaches the output.
        let line: String =
            line.chars().map(|c| if c.is_control() && c != '\t' { char::REPLACEMENT_CHARACTER } else { c }).collect();
        let colored = match line.as_bytes().first() {
            Some(b'+') if style.color && !line.starts_with("+++") => format!("\x1b[32m{line}\x1b[0m"),
            Some(b'-') if style.color && !line.starts_with("---") => format!("\x1b[31m{line}\x1b[0m"),
            _ => line.to_string(),
        };
        writeln!(out, "    {colored}")?;
    }
    if shown < lines.len() {
        let more = lines.len() - shown;
        writeln!(out, "    … {more} more line{} (--show-source-diff prints them)", if more == 1 { "" } else { "s" })?;
    }
    writeln!(out)
}

/// "Found 2 errors and 1 warning in 12 files (4 articles) in 0.03s".
pub fn summary(report: &Summary) -> String {
    let counts: Vec<String> = [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "info")]
        .into_iter()
        .filter_map(|(severity, noun)| {
            let count = report.count(severity);
            (count > 0).then(|| format!("{count} {noun}{}", if count == 1 { "" } else { "s" }))
        })
        .collect();
    let found = match counts.len() {
        0 => "No problems found".to_string(),
        1 => format!("Found {}", counts[0]),
        _ => format!("Found {} and {}", counts[..counts.len() - 1].join(", "), counts[counts.len() - 1]),
    };
    let baseline = match report.baseline {
        Some(outcome) if outcome.fixed > 0 => format!(
            "; the baseline hid {} and {} of its findings {} fixed (rewrite it with --write-baseline to shrink it)",
            outcome.hidden,
            outcome.fixed,
            if outcome.fixed == 1 { "is" } else { "are" }
        ),
        Some(outcome) => format!("; the baseline hid {}", outcome.hidden),
        None => String::new(),
    };
    format!(
        "{found} in {} file{} ({} article{}) in {:.2}s{baseline}",
        report.files,
        if report.files == 1 { "" } else { "s" },
        report.groups,
        if report.groups == 1 { "" } else { "s" },
        report.elapsed.as_secs_f64()
    )
}

/// A finding whose file names are shown from the working folder.
struct Rebased<'a> {
    diagnostic: &'a Diagnostic,
    file: Option<Named<'a>>,
    /// The finding's path, for one without a snippet to show it (a binary
    /// file, a locale's folder): otherwise the reader would not know where.
    bare_path: Option<String>,
    related: Option<RebasedRelated<'a>>,
}

impl<'a> Rebased<'a> {
    fn new(diagnostic: &'a Diagnostic, base: &str) -> Self {
        let named = |file: &'a SourceFile| Named {
            file,
            name: super::escape_line(&super::rebase(base, &file.name)).into_owned(),
        };
        Rebased {
            diagnostic,
            file: diagnostic.location.as_ref().map(|location| named(&location.file)),
            bare_path: diagnostic
                .location
                .is_none()
                .then(|| super::escape_line(&super::rebase(base, &diagnostic.path)).into_owned()),
            related: diagnostic
                .related
                .as_ref()
                .map(|related| RebasedRelated { related, file: named(&related.0.file) }),
        }
    }
}

impl fmt::Debug for Rebased<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rebased<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.bare_path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&super::escape_line(&self.diagnostic.message))
    }
}

impl std::error::Error for Rebased<'_> {}

impl miette::Diagnostic for Rebased<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // `rule [*]` for a finding `--fix` can fix.
        let marker = super::fixable_marker(self.diagnostic).trim_end();
        Some(Box::new(format!("{}{}{marker}", self.diagnostic.rule, if marker.is_empty() { "" } else { " " })))
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.diagnostic.help.as_deref()?;
        Some(Box::new(super::escape_line(help).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.file.as_ref().map(|file| file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        escaped_labels(self.diagnostic.labels())
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        let related = self.related.as_ref()?;
        Some(Box::new(std::iter::once(related as &dyn miette::Diagnostic)))
    }
}

/// The source-locale side of a finding, under its shown name.
struct RebasedRelated<'a> {
    related: &'a Related,
    file: Named<'a>,
}

impl fmt::Debug for RebasedRelated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.related, f)
    }
}

impl fmt::Display for RebasedRelated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in the source {}", self.file.name)
    }
}

impl std::error::Error for RebasedRelated<'_> {}

impl miette::Diagnostic for RebasedRelated<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        self.related.severity()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        escaped_labels(self.related.labels())
    }
}

/// Labels quote the docs tree too (link targets, heading text).
fn escaped_labels<'b>(
    labels: Option<Box<dyn Iterator<Item = LabeledSpan> + 'b>>,
) -> Option<Box<dyn Iterator<Item = LabeledSpan> + 'b>> {
    let labels = labels?.map(|label| {
        let text = label.label().map(|text| super::escape_line(text).into_owned());
        if label.primary() {
            LabeledSpan::new_primary_with_span(text, *label.inner())
        } else {
            LabeledSpan::new_with_span(text, *label.inner())
        }
    });
    Some(Box::new(labels))
}

/// A file under the name it is shown with.
struct Named<'a> {
    file: &'a SourceFile,
    name: String,
}

impl SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        self.file.read_span_named(&self.name, span, context_lines_before, context_lines_after)
    }
}
