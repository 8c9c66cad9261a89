//! Findings: what a rule reports about one place in one file.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

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
///
/// While its group is checked it holds the whole text. Once the group is
/// done, its findings keep only the lines around their spans
/// ([`SourceFile::excerpt`]): a run over a large tree must not hold the text
/// of every file that has a finding until the report is written.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    content: Content,
    /// Built on first use: most files never need a position.
    lines: OnceLock<LineIndex>,
    /// The text as snippets show it (`report::mask_controls`), when it
    /// differs; built on first use.
    masked: OnceLock<Option<Box<str>>>,
}

#[derive(Debug)]
enum Content {
    Whole(Arc<str>),
    Excerpts {
        /// Sorted, disjoint, each whole lines of the file.
        pieces: Box<[Excerpt]>,
        /// Byte length of the whole text.
        len: usize,
        /// SHA-1 of the whole text: a fix is applied only to the text it
        /// was computed on. `None` when no finding in the file has a fix.
        digest: Option<[u8; 20]>,
    },
}

/// Whole lines of a file, starting at byte `offset`, the first of them line
/// `line` (1-based).
#[derive(Debug)]
struct Excerpt {
    offset: usize,
    line: usize,
    text: Box<str>,
    /// Built on first use, as for a whole file: many findings on one long
    /// line must not count its characters once each.
    lines: OnceLock<LineIndex>,
    masked: OnceLock<Option<Box<str>>>,
}

impl Excerpt {
    fn end(&self) -> usize {
        self.offset + self.text.len()
    }
}

impl SourceFile {
    pub fn new(name: String, text: Arc<str>) -> Arc<SourceFile> {
        Arc::new(SourceFile { name, content: Content::Whole(text), lines: OnceLock::new(), masked: OnceLock::new() })
    }

    /// Byte length of the whole text.
    pub fn len(&self) -> usize {
        match &self.content {
            Content::Whole(text) => text.len(),
            Content::Excerpts { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of `span`, when this file holds it (a span of an excerpted
    /// file outside the kept lines has none).
    pub fn get(&self, span: Range<usize>) -> Option<&str> {
        match &self.content {
            Content::Whole(text) => text.get(span),
            Content::Excerpts { pieces, .. } => {
                let piece = covering(pieces, &span)?;
                piece.text.get(span.start - piece.offset..span.end - piece.offset)
            }
        }
    }

    /// Whether `text` is the text the findings were computed on.
    pub fn is_text(&self, text: &str) -> bool {
        match &self.content {
            Content::Whole(whole) => **whole == *text,
            Content::Excerpts { len, digest, .. } => {
                digest.is_some_and(|digest| text.len() == *len && sha1_digest(text) == digest)
            }
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        match &self.content {
            Content::Whole(text) => self.lines.get_or_init(|| LineIndex::new(text)).position(text, offset),
            Content::Excerpts { pieces, len, .. } => {
                let offset = offset.min(*len);
                let Some(piece) = covering(pieces, &(offset..offset)) else {
                    // Every span a finding names is kept (see `excerpt`).
                    return Position { line: 1, column: 1 };
                };
                let local = piece
                    .lines
                    .get_or_init(|| LineIndex::new(&piece.text))
                    .position(&piece.text, offset - piece.offset);
                Position { line: piece.line + local.line - 1, column: local.column }
            }
        }
    }

    /// The positions of `span`'s start and end. An end on the start's line
    /// (no line break between them) is the start's column plus the
    /// characters between them: no second search for its line, no second
    /// count from the line's start.
    pub fn positions(&self, span: &Range<usize>) -> (Position, Position) {
        let start = self.position(span.start);
        // `get` has the text only for a span of whole characters that this
        // file holds, whose start `position` takes as it is.
        match self.get(span.clone()) {
            Some(between) if memchr::memchr(b'\n', between.as_bytes()).is_none() => {
                let characters = between.bytes().filter(|&byte| (byte & 0xC0) != 0x80).count();
                (start, Position { line: start.line, column: start.column + characters })
            }
            _ => (start, self.position(span.end)),
        }
    }

    /// This file keeping only the lines of `spans`, with `context` lines
    /// around each: enough for every position and snippet of its findings.
    pub fn excerpt(self: &Arc<Self>, spans: &[Range<usize>], context: usize) -> Arc<SourceFile> {
        self.excerpt_for(spans, context, true)
    }

    /// [`SourceFile::excerpt`]; `fixable`: whether a fix may be applied to
    /// it ([`SourceFile::is_text`] needs the whole text's SHA-1, which costs
    /// a pass over every file with a finding).
    fn excerpt_for(self: &Arc<Self>, spans: &[Range<usize>], context: usize, fixable: bool) -> Arc<SourceFile> {
        let Content::Whole(text) = &self.content else {
            return self.clone();
        };
        // Whole lines around each span, found by scanning for line breaks
        // near it: a line index of the whole file would cost a pass that
        // stores every line (most of a file is far from its findings).
        let bytes = text.as_bytes();
        let mut spans: Vec<(usize, usize)> =
            spans.iter().map(|span| (span.start.min(bytes.len()), span.end.min(bytes.len()))).collect();
        spans.sort_unstable();
        // Lines are counted once from the top, up to each span's start in turn.
        let (mut counted_to, mut line) = (0, 1);
        let mut ranges: Vec<(usize, usize, usize)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            line += newlines(&bytes[counted_to..start]);
            counted_to = start;
            let (first_start, lines_up) = line_start_above(bytes, start, context);
            ranges.push((first_start, line - lines_up, line_start_below(bytes, end.max(start), context)));
        }
        // Sorted by start (line starts grow with line numbers); a range
        // that starts at or before the previous one's end joins it.
        let mut merged: Vec<(usize, usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, first, end) in ranges {
            match merged.last_mut() {
                // Adjacent lines merge too: miette joins snippets whose
                // context lines touch and reads them as one span.
                Some(previous) if start <= previous.2 => previous.2 = previous.2.max(end),
                _ => merged.push((start, first, end)),
            }
        }
        let pieces = merged
            .into_iter()
            .map(|(start, first, end)| Excerpt {
                offset: start,
                line: first,
                text: text[start..end].into(),
                lines: OnceLock::new(),
                masked: OnceLock::new(),
            })
            .collect();
        let digest = fixable.then(|| sha1_digest(text));
        Arc::new(SourceFile {
            name: self.name.clone(),
            content: Content::Excerpts { pieces, len: text.len(), digest },
            lines: OnceLock::new(),
            masked: OnceLock::new(),
        })
    }
}

fn newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// The start of the line `up` lines above the one holding `offset` (the
/// first line at most), and how many lines up that is.
fn line_start_above(bytes: &[u8], offset: usize, up: usize) -> (usize, usize) {
    let mut line_end = offset;
    for moved in 0..=up {
        match memchr::memrchr(b'\n', &bytes[..line_end]) {
            Some(newline) if moved < up => line_end = newline,
            Some(newline) => return (newline + 1, moved),
            None => return (0, moved),
        }
    }
    (0, up)
}

/// Where the line `down` lines below the one holding `offset` ends (with
/// its line break), or the end of the text.
fn line_start_below(bytes: &[u8], offset: usize, down: usize) -> usize {
    let mut at = offset;
    for _ in 0..=down {
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(newline) => at += newline + 1,
            None => return bytes.len(),
        }
    }
    at
}

/// The excerpt that holds all of `span` (none for a reversed span).
fn covering<'p>(pieces: &'p [Excerpt], span: &Range<usize>) -> Option<&'p Excerpt> {
    let index = pieces.partition_point(|piece| piece.end() < span.start);
    pieces.get(index).filter(|piece| piece.offset <= span.start && span.start <= span.end && span.end <= piece.end())
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
        // A snippet is the docs tree's text: its control characters are
        // masked (same byte length, so offsets hold) before it is printed.
        let (text, base, first_line): (&str, usize, usize) = match &self.content {
            Content::Whole(text) => (masked(&self.masked, text), 0, 1),
            Content::Excerpts { pieces, .. } => {
                let piece =
                    covering(pieces, &(span.offset()..span.offset() + span.len())).ok_or(MietteError::OutOfBounds)?;
                (masked(&piece.masked, &piece.text), piece.offset, piece.line)
            }
        };
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let contents = text.read_span(&local, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes; SPEC §6 counts characters, and the
        // report header must agree with the concise and JSON formats.
        let column = self.position(base + contents.span().offset()).column - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            name.to_string(),
            contents.data(),
            SourceSpan::new((base + contents.span().offset()).into(), contents.span().len()),
            contents.line() + first_line - 1,
            column,
            // miette counts lines from the start of what it reads; an
            // excerpt starts `first_line - 1` lines into the file.
            contents.line_count() + first_line - 1,
        )))
    }
}

fn masked<'a>(cell: &'a OnceLock<Option<Box<str>>>, text: &'a str) -> &'a str {
    let masked = cell.get_or_init(|| match crate::report::mask_controls(text) {
        std::borrow::Cow::Owned(masked) => Some(masked.into()),
        std::borrow::Cow::Borrowed(_) => None,
    });
    masked.as_deref().unwrap_or(text)
}

/// Lines of context around a span in a snippet (the human report's).
pub const SNIPPET_CONTEXT_LINES: usize = 1;

/// Lets `diagnostics` keep only the lines of their files that they show,
/// so that the files' texts are freed with their group (see [`SourceFile`]).
pub fn detach(diagnostics: &mut [Diagnostic]) {
    type Spans = (Arc<SourceFile>, Vec<Range<usize>>, bool);
    let mut spans: std::collections::HashMap<usize, Spans> = Default::default();
    let mut note = |location: &Location, fixable: bool, more: &mut dyn Iterator<Item = Range<usize>>| {
        let entry = spans
            .entry(Arc::as_ptr(&location.file) as usize)
            .or_insert_with(|| (location.file.clone(), Vec::new(), false));
        entry.1.push(location.span.clone());
        entry.1.extend(more);
        entry.2 |= fixable;
    };
    for diagnostic in diagnostics.iter() {
        if let Some(location) = &diagnostic.location {
            let secondary = diagnostic.secondary.iter().map(|(span, _)| span.clone());
            let edits = diagnostic.fix.iter().flat_map(|fix| &fix.edits).map(|edit| edit.span.clone());
            note(location, diagnostic.fix.is_some(), &mut secondary.chain(edits));
        }
        if let Some(Related(location)) = &diagnostic.related {
            note(location, false, &mut std::iter::empty());
        }
    }
    let excerpts: std::collections::HashMap<usize, Arc<SourceFile>> = spans
        .into_iter()
        .map(|(key, (file, spans, fixable))| (key, file.excerpt_for(&spans, SNIPPET_CONTEXT_LINES, fixable)))
        .collect();
    let swap = |location: &mut Location| {
        if let Some(excerpt) = excerpts.get(&(Arc::as_ptr(&location.file) as usize)) {
            location.file = excerpt.clone();
        }
    };
    for diagnostic in diagnostics.iter_mut() {
        if let Some(location) = &mut diagnostic.location {
            swap(location);
        }
        if let Some(Related(location)) = &mut diagnostic.related {
            swap(location);
        }
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

    /// [`Location::start`] and [`Location::end`].
    pub fn range(&self) -> (Position, Position) {
        self.file.positions(&self.span)
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
    /// For a stale copy: its handoff and what the source changed since.
    pub handoff: Option<Box<HandoffReport>>,
}

/// What a stale copy's finding carries: the source version it was
/// translated from and the source's change since, complete (JSON and SARIF
/// show it all; the human report a configurable number of lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoffReport {
    /// Full id of the source commit the copy was translated from.
    pub commit: String,
    /// That commit's date, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Commits that changed the source since; `None` beyond the history read.
    pub commits_behind: Option<usize>,
    /// Days from the handoff commit to the source's last change.
    pub days_behind: Option<i64>,
    /// How much changed: `whitespace`, `front-matter`, `small` or `large`.
    pub change: ChangeClass,
    /// Words added or removed in the source since the handoff.
    pub changed_words: usize,
    /// Pending structural changes, e.g. "2 links added, 1 heading removed".
    pub summary: String,
    /// Unified diff from the handoff version to the current source.
    pub diff: String,
    /// Lines of the diff the human report shows unless asked for all.
    #[serde(skip)]
    pub shown_lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Only whitespace changed.
    Whitespace,
    /// Only front matter changed (an `ms.date` bump), whitespace aside.
    FrontMatter,
    /// At most the configured number of words changed.
    Small,
    Large,
}

impl ChangeClass {
    /// The most a finding of this class may be, whatever the configured
    /// severity: nothing a translator must redo is an error.
    pub fn severity_cap(self) -> Severity {
        match self {
            ChangeClass::Whitespace | ChangeClass::FrontMatter => Severity::Info,
            ChangeClass::Small => Severity::Warning,
            ChangeClass::Large => Severity::Error,
        }
    }
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

    /// [`Diagnostic::start`] and [`Diagnostic::end`].
    pub fn range(&self) -> (Position, Position) {
        let origin = Position { line: 1, column: 1 };
        self.location.as_ref().map_or((origin, origin), Location::range)
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
        let location = self.location.as_ref()?;
        // miette cannot nest labels on one line: it moves a label that
        // starts inside another past that one's end, off its characters
        // (a `|` in a table row marked whole). Such an enclosing label is
        // shown as a point where it starts, so the others stay where they
        // belong; JSON and SARIF keep its whole span.
        let mut starts: Vec<usize> = self.secondary.iter().map(|(span, _)| span.start).collect();
        starts.push(location.span.start);
        starts.sort_unstable();
        let encloses_another = move |span: &Range<usize>| {
            let inside = starts.partition_point(|&start| start < span.end.max(span.start + 1))
                - starts.partition_point(|&start| start < span.start);
            inside > 1
        };
        let on_one_line =
            |span: &Range<usize>| location.file.position(span.start).line == location.file.position(span.end).line;
        // The other places of the same file that explain the finding.
        let secondary = self.secondary.iter().map(move |(span, label)| {
            let shown = if on_one_line(span) && encloses_another(span) { span.start..span.start } else { span.clone() };
            LabeledSpan::new_with_span(Some(label.clone()), SourceSpan::from(shown))
        });
        Some(Box::new(std::iter::once(labeled_span(location)).chain(secondary)))
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

fn sha1_digest(text: &str) -> [u8; 20] {
    <sha1::Sha1 as sha1::Digest>::digest(text.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: 顧客\n---\n# 見出し\r\n\nline five\nline six with ü\nseven\neight\nnine\nten\n";

    fn offset_of(needle: &str) -> usize {
        TEXT.find(needle).unwrap()
    }

    #[test]
    fn an_excerpt_answers_like_the_whole_text_around_its_spans() {
        let whole = SourceFile::new("a.md".into(), Arc::from(TEXT));
        let heading = offset_of("見出し")..offset_of("見出し") + "見出し".len();
        let umlaut = offset_of("ü")..offset_of("ü") + 2;
        let excerpt = whole.excerpt(&[heading.clone(), umlaut.clone()], 1);
        for span in [heading, umlaut] {
            assert_eq!(excerpt.get(span.clone()), whole.get(span.clone()));
            // Into the context lines before and after.
            for offset in span.start - 3..span.end + 3 {
                assert_eq!(excerpt.position(offset), whole.position(offset), "offset {offset}");
            }
            let (kept, all) = (
                excerpt.read_span(&span.clone().into(), 1, 1).unwrap(),
                whole.read_span(&span.clone().into(), 1, 1).unwrap(),
            );
            assert_eq!(kept.data(), all.data());
            assert_eq!((kept.line(), kept.column(), kept.line_count()), (all.line(), all.column(), all.line_count()));
            assert_eq!(kept.span(), all.span());
        }
        assert_eq!(excerpt.len(), TEXT.len());
    }

    #[test]
    fn a_span_s_positions_are_its_start_s_and_its_end_s() {
        let whole = SourceFile::new("a.md".into(), Arc::from(TEXT));
        let heading = offset_of("見出し")..offset_of("見出し") + "見出し".len();
        let excerpt = whole.excerpt(&[heading, offset_of("seven")..offset_of("seven") + 5], 1);
        let mut spans = 0;
        for file in [&whole, &excerpt] {
            // Every span, reversed and past the end ones too.
            for start in 0..TEXT.len() + 2 {
                for end in start.saturating_sub(2)..TEXT.len() + 2 {
                    let expected = (file.position(start), file.position(end));
                    assert_eq!(file.positions(&(start..end)), expected, "{start}..{end}");
                    spans += 1;
                }
            }
        }
        assert!(spans > 1000);
    }

    #[test]
    fn an_excerpt_keeps_only_the_lines_around_its_spans() {
        let whole = SourceFile::new("a.md".into(), Arc::from(TEXT));
        let eight = offset_of("eight")..offset_of("eight") + 5;
        let excerpt = whole.excerpt(&[eight], 1);
        assert_eq!(excerpt.get(offset_of("seven")..offset_of("nine") + 4), Some("seven\neight\nnine"));
        assert_eq!(excerpt.get(offset_of("ten")..offset_of("ten") + 3), None, "line 11 is not kept");
        let reversed = offset_of("nine")..offset_of("five");
        assert_eq!(excerpt.get(reversed), None);
        assert_eq!(excerpt.position(offset_of("nine") + 2), Position { line: 10, column: 3 });
    }

    /// The kept lines as a line index of the whole text would pick them:
    /// lines `first - context ..= last + context` of each span, merged when
    /// they touch.
    fn lines_by_index(text: &str, spans: &[Range<usize>], context: usize) -> Vec<(usize, usize, String)> {
        let index = LineIndex::new(text);
        let line_of = |offset: usize| index.position(text, offset).line;
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|span| (line_of(span.start).saturating_sub(context).max(1), line_of(span.end) + context))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (first, last) in ranges {
            match merged.last_mut() {
                Some(previous) if first <= previous.1 + 1 => previous.1 = previous.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        merged
            .into_iter()
            .map(|(first, last)| {
                let start = index.line_start(first).unwrap_or(text.len());
                let end = index.line_start(last + 1).unwrap_or(text.len());
                (start, first, text[start..end].to_string())
            })
            .collect()
    }

    #[test]
    fn excerpts_keep_the_lines_a_line_index_would_pick() {
        let texts = [TEXT, "one line", "a\n", "\n\n\n", "a\nb\nc\nd\ne\nf\ng\nh", "x\r\ny\r\n\r\nz"];
        for text in texts {
            let ends = [0, 1, text.len() / 3, text.len() / 2, text.len().saturating_sub(1), text.len()];
            let ends: Vec<usize> =
                ends.into_iter().map(|end| crate::document::lines::floor_char_boundary(text, end)).collect();
            let span_sets: Vec<Vec<Range<usize>>> = vec![
                vec![0..0],
                vec![text.len()..text.len()],
                vec![ends[2]..ends[3]],
                vec![ends[4]..ends[5], ends[0]..ends[1]],
                vec![ends[1]..ends[2], ends[2]..ends[2], ends[3]..ends[5]],
            ];
            for spans in &span_sets {
                for context in 0..3 {
                    let excerpt = SourceFile::new("a.md".into(), Arc::from(text)).excerpt(spans, context);
                    let Content::Excerpts { pieces, .. } = &excerpt.content else { panic!("not excerpted") };
                    let kept: Vec<_> =
                        pieces.iter().map(|piece| (piece.offset, piece.line, piece.text.to_string())).collect();
                    assert_eq!(kept, lines_by_index(text, spans, context), "{text:?} {spans:?} context {context}");
                }
            }
        }
    }

    #[test]
    fn a_fix_applies_only_to_the_text_an_excerpt_came_from() {
        let excerpt = SourceFile::new("a.md".into(), Arc::from(TEXT)).excerpt(&[Range { start: 0, end: 3 }], 1);
        assert!(excerpt.is_text(TEXT));
        assert!(!excerpt.is_text(&TEXT.replace("ten", "TEN")));
    }

    #[test]
    fn detached_findings_share_one_excerpt_per_file_and_name_the_same_places() {
        let file = SourceFile::new("a.md".into(), Arc::from(TEXT));
        let finding = |span: Range<usize>| Diagnostic {
            rule: "r",
            severity: Severity::Error,
            path: "a.md".into(),
            locale: None,
            message: "m".into(),
            help: None,
            location: Some(Location { file: file.clone(), span, label: None }),
            related: None,
            secondary: vec![(offset_of("ten")..offset_of("ten") + 3, "here".into())],
            fix: None,
            handoff: None,
        };
        let mut findings = vec![finding(offset_of("five")..offset_of("five") + 4), finding(0..3)];
        let before: Vec<_> = findings.iter().map(|d| (d.start(), d.end())).collect();
        detach(&mut findings);
        let after: Vec<_> = findings.iter().map(|d| (d.start(), d.end())).collect();
        assert_eq!(before, after);
        let files: Vec<_> = findings.iter().map(|d| d.location.as_ref().unwrap().file.clone()).collect();
        assert!(Arc::ptr_eq(&files[0], &files[1]));
        assert!(!Arc::ptr_eq(&files[0], &file));
        assert_eq!(files[0].get(offset_of("ten")..offset_of("ten") + 3), Some("ten"), "secondary spans are kept");
        assert_eq!(files[0].get(offset_of("eight")..offset_of("eight") + 5), None, "lines far from every span are not");
    }
}
