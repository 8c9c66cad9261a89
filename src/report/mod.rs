//! Reporters: they format findings and nothing else.

mod azure;
mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod json_lines;
mod junit;
mod rdjson;
mod sarif;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diagnostic::Location;
use crate::document::lines::Position;
use crate::engine::{Rendered, Report, Sink};

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
    // GitLab Code Quality report (a JSON array).
    Gitlab,
    // Azure Pipelines logging commands (`##vso[task.logissue …]`).
    Azure,
    // One JSON object per finding and line, as `json` writes a diagnostic.
    JsonLines,
    // reviewdog's Diagnostic Format (rdjson).
    Rdjson,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Width the human report wraps at.
    pub width: usize,
    /// Show each stale copy's whole source diff, not its first lines.
    pub full_source_diffs: bool,
}

/// The sink that writes `format` to `out` as the engine hands it groups.
/// `base` is the lint root as seen from where paths are shown (`""` keeps
/// root-relative paths); every path is prefixed with it. The sink writes
/// each group when it gets it and keeps only what the format's end needs
/// (JUnit's counts head the document, so its cases wait in a temporary
/// file). The human and concise summary lines are not part of the sink:
/// the binary prints them (see [`summary`]).
pub fn sink<'a>(format: Format, style: Style, base: &str, out: &'a mut dyn Write) -> Box<dyn Sink + 'a> {
    let base = base.to_string();
    match format {
        Format::Human => Box::new(human::Human::new(style, base, out)),
        Format::Concise => Box::new(concise::Concise { base, out }),
        Format::Json => Box::new(json::Json::new(base, out)),
        Format::Sarif => Box::new(sarif::Sarif::new(base, out)),
        Format::Github => Box::new(github::Github { base, out }),
        Format::Junit => Box::new(junit::Junit::new(base, out)),
        Format::Gitlab => Box::new(gitlab::Gitlab::new(base, out)),
        Format::Azure => Box::new(azure::Azure { base, out }),
        Format::JsonLines => Box::new(json_lines::JsonLines { base, out }),
        Format::Rdjson => Box::new(rdjson::Rdjson::new(base, out)),
    }
}

/// Writes a report kept in memory, with root-relative paths.
pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    report.replay(&mut *sink(format, style, "", out))
}

/// A pretty-printed JSON document cut around the array at `key` (which the
/// caller serialized empty): the text up to and including its `[`, the
/// indentation of the array's elements, and the text from its `]` on.
fn split_at_array(document: &str, key: &str) -> io::Result<(String, String, String)> {
    let marker = format!("\"{key}\": []");
    let at = document.find(&marker).ok_or_else(|| io::Error::other(format!("no `{key}` array in the report")))?;
    let line_start = document[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let indent = &document[line_start..at];
    let open = at + marker.len() - 1;
    Ok((document[..open].to_string(), format!("{indent}  "), format!("\n{indent}{}", &document[open..])))
}

/// Streams the elements of one array of a pretty-printed JSON document,
/// byte for byte as serde_json would print the whole document.
pub(crate) struct JsonArray {
    indent: String,
    elements: usize,
    /// One element as written: separator, indentation and the element
    /// printed at its depth, so that it goes out in one write.
    buffer: Vec<u8>,
}

impl JsonArray {
    pub(crate) fn start(out: &mut dyn Write, document: &str, key: &str) -> io::Result<JsonArray> {
        let (open, indent, _) = split_at_array(document, key)?;
        out.write_all(open.as_bytes())?;
        Ok(JsonArray { indent, elements: 0, buffer: Vec::new() })
    }

    pub(crate) fn push(&mut self, out: &mut dyn Write, element: &impl serde::Serialize) -> io::Result<()> {
        self.push_with(out, |buffer, depth| {
            let mut serializer = serde_json::Serializer::with_formatter(buffer, pretty_at_depth(depth)?);
            Ok(element.serialize(&mut serializer)?)
        })
    }

    /// [`JsonArray::push`] of an element that `write` prints into the
    /// buffer, `depth` levels deep, as serde_json's pretty printer would.
    pub(crate) fn push_with(
        &mut self,
        out: &mut dyn Write,
        write: impl FnOnce(&mut Vec<u8>, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        self.buffer.clear();
        self.element_indent().element(&mut self.buffer, write)?;
        let separated = if self.elements == 0 { &self.buffer[1..] } else { &self.buffer[..] };
        out.write_all(separated)?;
        self.elements += 1;
        Ok(())
    }

    /// Elements printed ahead by [`ElementIndent::element`], each with its
    /// separator.
    pub(crate) fn push_rendered(&mut self, out: &mut dyn Write, rendered: &Rendered) -> io::Result<()> {
        if rendered.findings == 0 {
            return Ok(());
        }
        let separated = if self.elements == 0 { rendered.bytes.get(1..).unwrap_or_default() } else { &rendered.bytes };
        out.write_all(separated)?;
        self.elements += rendered.findings;
        Ok(())
    }

    /// How this array's elements are indented, to print them elsewhere.
    pub(crate) fn element_indent(&self) -> ElementIndent {
        ElementIndent(self.indent.clone())
    }

    /// Closes the array and writes the rest of the document, taken from
    /// `document` (the whole document with the array empty).
    pub(crate) fn finish(&self, out: &mut dyn Write, document: &str, key: &str) -> io::Result<()> {
        let (_, _, close) = split_at_array(document, key)?;
        if self.elements == 0 {
            // `[]`: the opening bracket is already out.
            out.write_all(close.trim_start_matches(['\n', ' ']).as_bytes())
        } else {
            out.write_all(close.as_bytes())
        }
    }
}

/// The indentation of the elements of a [`JsonArray`], which prints them
/// on any thread, ahead of their place in the document.
#[derive(Debug, Clone)]
pub(crate) struct ElementIndent(String);

impl ElementIndent {
    /// Appends to `buffer` the separator `,`, a line break, the indentation
    /// and the element that `write` prints `depth` levels deep, as
    /// serde_json's pretty printer would. Before the array's first element,
    /// [`JsonArray`] drops the `,`.
    pub(crate) fn element(
        &self,
        buffer: &mut Vec<u8>,
        write: impl FnOnce(&mut Vec<u8>, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        buffer.extend_from_slice(b",\n");
        buffer.extend_from_slice(self.0.as_bytes());
        write(buffer, self.0.len() / 2)
    }
}

/// serde_json's pretty printer (two spaces a level) as if it stood `depth`
/// levels deep in a document: the lines of what it prints are indented as
/// the whole document would indent them. It has no way to start deeper than
/// its outermost value but opening arrays; opened on a writer that discards
/// them, they only set its depth.
fn pretty_at_depth(depth: usize) -> io::Result<serde_json::ser::PrettyFormatter<'static>> {
    use serde_json::ser::Formatter;
    let mut formatter = serde_json::ser::PrettyFormatter::new();
    for _ in 0..depth {
        formatter.begin_array(&mut io::sink())?;
    }
    Ok(formatter)
}

/// `[*] ` for a finding with a safe fix (what `--fix` applies), else `""`.
fn fixable_marker(diagnostic: &crate::Diagnostic) -> &'static str {
    if diagnostic.fix.is_some() {
        "[*] "
    } else {
        ""
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

/// [`rebase`] for serialized reports: written where it is serialized,
/// without a `String` per finding.
pub(crate) struct Rebased<'a> {
    pub(crate) base: &'a str,
    pub(crate) path: &'a str,
}

impl serde::Serialize for Rebased<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.base.is_empty() {
            serializer.serialize_str(self.path)
        } else {
            serializer.collect_str(&format_args!("{}/{}", self.base.trim_end_matches('/'), self.path))
        }
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
    location.file.positions(&(location.span.start..end))
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
