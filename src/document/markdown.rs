//! Markdown facts from one pass of pulldown-cmark's offset iterator.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::applies_to::is_applies_to_label;
use super::html;
use super::segments::{SegmentTracker, Segments};

/// The anchors a reader can link to, lower-cased: explicit anchors and
/// heading slugs (SPEC §1).
pub type AnchorSet = rustc_hash::FxHashSet<String>;

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub links: Vec<Link>,
    pub anchors: Vec<Anchor>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub applies_to: Option<AppliesTo>,
    pub segments: Segments,
    pub comments: Vec<Range<usize>>,
    /// Where each block (paragraph, heading, code block, HTML block, table
    /// row, list item) starts, ascending: rules place an item by the block
    /// that holds it.
    pub block_starts: Vec<usize>,
    /// Each table's rows (the header row first), as whole lines.
    pub tables: Vec<Vec<Range<usize>>>,
    /// HTML blocks: Markdown inside them is shown as typed.
    pub html_blocks: Vec<Range<usize>>,
    /// Slugs of the headings inside DocFX `:::column:::` blocks: DocFX
    /// renders a column's indented lines as Markdown of their own, where
    /// CommonMark sees one paragraph.
    pub column_heading_slugs: Vec<String>,
}

impl Facts {
    /// The anchors of this document; `Document::anchors` keeps them.
    pub fn anchor_set(&self) -> AnchorSet {
        self.anchors
            .iter()
            .map(|anchor| anchor.name.to_lowercase())
            .chain(self.headings.iter().flat_map(Heading::slugs))
            .chain(self.column_heading_slugs.iter().cloned())
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    Inline,
    Reference,
    Autolink,
    Image,
    Html,
    Include,
}

impl LinkKind {
    pub fn describe(self) -> &'static str {
        match self {
            LinkKind::Inline | LinkKind::Reference | LinkKind::Autolink | LinkKind::Html => "link",
            LinkKind::Image => "image",
            LinkKind::Include => "include",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    pub destination: Destination,
    /// The destination as written where it can be found, else the whole link.
    pub span: Range<usize>,
}

/// A link's destination, read as a `&str`: a span of the document's text
/// where the parser handed it out of the text as written (most links: no
/// allocation of its own), else its own string (escapes, character
/// references, a reference's definition written elsewhere is still text).
#[derive(Clone)]
pub struct Destination(Written);

#[derive(Clone)]
enum Written {
    InText(Arc<str>, u32, u32),
    Own(Box<str>),
}

impl Destination {
    /// `destination`, kept as its span of `text` when it is a slice of
    /// `text` (the same bytes, so the same string), else copied.
    pub fn new(text: &Arc<str>, destination: &str) -> Destination {
        // Distinct live allocations do not overlap, so a string that starts
        // within `text` and ends within it is a slice of it; `get` checks
        // the span once more (and an empty string is empty either way).
        let start = (destination.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let end = start.wrapping_add(destination.len());
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start32), Ok(end32)) if start <= end && text.get(start..end).is_some() => {
                Destination(Written::InText(text.clone(), start32, end32))
            }
            _ => Destination(Written::Own(destination.into())),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Written::InText(text, start, end) => text.get(*start as usize..*end as usize).unwrap_or_default(),
            Written::Own(destination) => destination,
        }
    }
}

impl std::ops::Deref for Destination {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Destination {
    fn from(destination: &str) -> Destination {
        Destination(Written::Own(destination.into()))
    }
}

impl PartialEq for Destination {
    fn eq(&self, other: &Destination) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Destination {}

impl std::fmt::Debug for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    /// `<a name="…">`
    HtmlName,
    /// `<a id="…">`
    HtmlId,
    /// The `id` of another element (`<section id="…">`).
    ElementId,
    /// `{#id}` after a heading
    HeadingAttribute,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub name: String,
    pub kind: AnchorKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text as readers see it (translated side of segments).
    pub text: String,
    /// The same text with character references as written (`&gt;`), or
    /// with a trailing `{…}` that the parser took for heading attributes
    /// (`-InputFormat {Text | XML}`), when it has either: pipelines slug
    /// the raw text.
    pub raw_text: Option<String>,
    /// The ATX heading's Markdown as written, when it has link brackets,
    /// underscores, a tab or inline HTML: some pipelines slug the Markdown
    /// itself (`### [Sign in](#sign-in)` gives `sign-insign-in`, `_Name_`
    /// keeps its underscores, a tab counts as the spaces it fills, and
    /// `Providers <sup>(3)</sup>` gives `providers-sup3sup`).
    pub markup: Option<String>,
    /// The source text of a side-by-side heading's lookup spans, when the
    /// heading has no pipeline anchor (`<a name="…">`) yet: the pipeline
    /// adds the source heading's anchor when it publishes the copy, so a
    /// link to `#supported-formats` finds it.
    pub lookup_text: Option<String>,
    pub span: Range<usize>,
}

impl Heading {
    /// The anchors a pipeline may have derived from this heading.
    pub fn slugs(&self) -> Vec<String> {
        let mut slugs = super::text::slug_variants(&self.text, self.raw_text.as_deref());
        let markup_slug = self.markup.as_deref().map(super::text::slug);
        let lookup_slugs = self.lookup_text.as_deref().map(|lookup| super::text::slug_variants(lookup, None));
        for slug in markup_slug.into_iter().chain(lookup_slugs.into_iter().flatten()) {
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        slugs
    }
}

/// The content of the ATX heading at `span` as written, tabs expanded to
/// their 4-column stops, when it holds `[`, `_`, a tab or `<` (otherwise its
/// slug is the text's). `line` is the span's first line.
fn atx_heading_markup(text: &str, span: &Range<usize>, line: &str) -> Option<String> {
    // A copy's heading holds its pipeline anchor and segment tags, whose
    // Markdown no pipeline slugs: only other inline HTML counts.
    let inline_html = line.contains('<') && !line.contains("<a name=") && !line.contains("data-ttu-id");
    let markup = line.bytes().any(|byte| matches!(byte, b'[' | b'_' | b'\t'));
    if !line.trim_start().starts_with('#') || !(markup || inline_html) {
        return None;
    }
    let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |at| at + 1);
    let mut column = text.get(line_start..span.start)?.chars().count();
    let mut expanded = String::with_capacity(line.len() + 4);
    for c in line.chars() {
        if c == '\t' {
            let width = 4 - column % 4;
            expanded.extend(std::iter::repeat_n(' ', width));
            column += width;
        } else {
            expanded.push(c);
            column += 1;
        }
    }
    let content = expanded.trim_start().trim_start_matches('#').trim();
    // A closing sequence of `#`s is not content when a space precedes it.
    let unclosed = content.trim_end_matches('#');
    let content = if unclosed.is_empty() || unclosed.ends_with(' ') { unclosed.trim_end() } else { content };
    Some(content.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub info: String,
    pub content: String,
    pub span: Range<usize>,
    /// An indented block holding side-by-side segment spans: prose that
    /// CommonMark reads as code (lines indented under an empty list item,
    /// `2.␠␠` then a blank line) but the pipeline read as text and
    /// translated.
    pub segmented: bool,
    /// An indented block right after an empty list item: where old docs
    /// put a step's text, which the pipeline translates although
    /// CommonMark reads it as code.
    pub under_empty_item: bool,
    /// Indented, not fenced.
    pub indented: bool,
    /// An indented block whose lines read as sentences: paragraphs or
    /// list steps indented by mistake (their list markers lost), which
    /// pipelines translate as text although CommonMark reads them as code.
    pub indented_prose: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliesTo {
    pub label_span: Range<usize>,
    pub items: Vec<AppliesToItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliesToItem {
    /// What readers see (the translated side in sxs copies).
    pub text: String,
    /// The lookup (source) text of the item's segments, if it has any.
    pub source_text: Option<String>,
    pub span: Range<usize>,
}

/// The trailing `{…}` of an ATX heading's line that the parser read as
/// attributes although it is text (`#### -InputFormat {Text | XML}`, a
/// syntax block): not an `{#id}` or `{.class}` list.
/// `line` is the heading's first line.
fn read_as_attributes(line: &str) -> Option<&str> {
    // Most headings have no `{` at all.
    memchr::memchr(b'{', line.as_bytes())?;
    let line = line.trim_end().trim_end_matches('#').trim_end();
    let block = &line[line.rfind('{')?..];
    let looks_like_attributes = block.starts_with("{#") || block.starts_with("{.") || block.contains('=');
    (block.ends_with('}') && !looks_like_attributes && line.trim_start().starts_with('#')).then_some(block)
}

/// The info string and the lines of the one fenced block that `content`
/// (an indented block's, 4 columns of indentation removed) is, blank lines
/// around it aside, its lines without the fence's own indentation: `None`
/// when it is anything else.
fn one_fenced_block(content: &str) -> Option<(String, String)> {
    let content = content.trim_matches(['\n', '\r']);
    let (opening, rest) = content.split_once('\n')?;
    let fence = opening.trim_start_matches(' ');
    let indent = opening.len() - fence.len();
    let fence = fence.trim_end();
    let marker = fence.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = fence.chars().take_while(|&c| c == marker).count();
    let closes = |line: &str| {
        let line = line.trim();
        line.len() >= run && line.chars().all(|c| c == marker)
    };
    let (inner, closing) = rest.rsplit_once('\n').unwrap_or(("", rest));
    if run < 3 || !closes(closing) || inner.lines().any(closes) {
        return None;
    }
    let mut lines = String::with_capacity(inner.len() + 1);
    for line in inner.lines() {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        lines.push_str(&line[spaces.min(indent)..]);
        lines.push('\n');
    }
    Some((fence[run..].trim().to_string(), lines))
}

/// `text.lines().next()`, its line break found by memchr.
fn first_line(text: &str) -> Option<&str> {
    if text.is_empty() {
        return None;
    }
    Some(match memchr::memchr(b'\n', text.as_bytes()) {
        Some(end) => text[..end].strip_suffix('\r').unwrap_or(&text[..end]),
        None => text,
    })
}

/// Extracts facts from `text[body_start..]`; spans are absolute in `text`.
/// `front_matter` is the YAML span, scanned for segment spans only.
pub fn extract(text: &Arc<str>, body_start: usize, front_matter: Range<usize>) -> Facts {
    extract_as(text, body_start, front_matter, Syntax::CommonMark)
}

/// How a page's Markdown is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    CommonMark,
    /// MDX (`.mdx`): a line that is one JSX or HTML tag (`<Steps>`,
    /// `</TabItem>`, `<Card title="…" />`, over lines or not) is read as a
    /// blank line, since MDX neither swallows the lines up to the next blank
    /// one into it as CommonMark's HTML blocks do nor hides the Markdown
    /// inside it; its attributes are still read (`href`, `id`). And MDX has
    /// no indented code: an indented block that is one fenced block (a
    /// sample indented under `<TabItem>`) is that fenced block, and any
    /// other is not code.
    Mdx,
}

/// [`extract`], reading the body as `syntax`.
pub fn extract_as(text: &Arc<str>, body_start: usize, front_matter: Range<usize>, syntax: Syntax) -> Facts {
    let mut walker = Walker::new(text);
    walker.mdx = syntax == Syntax::Mdx;
    walker.front_matter_segments(front_matter);
    let body = &text[body_start..];
    let fences_closed = fence_tabs_as_spaces(body);
    let (read, tag_lines) = match syntax {
        Syntax::Mdx => jsx_tag_lines_blank(&fences_closed),
        Syntax::CommonMark => (std::borrow::Cow::Borrowed(&*fences_closed), Vec::new()),
    };
    let parser = Parser::new_ext(&read, options());
    let mut tag_lines = tag_lines.into_iter().peekable();
    for (event, range) in parser.into_offset_iter() {
        // A tag line's attributes come in document order, before the first
        // event after it.
        while let Some(tag) = tag_lines.next_if(|tag| tag.start < range.start) {
            walker.tag_line(tag.start + body_start..tag.end + body_start);
        }
        walker.event(event, range.start + body_start..range.end + body_start);
    }
    for tag in tag_lines {
        walker.tag_line(tag.start + body_start..tag.end + body_start);
    }
    let mut facts = walker.finish();
    if memchr::memmem::find(body.as_bytes(), b":::column").is_some() {
        facts.column_heading_slugs = column_heading_slugs(body);
    }
    if memchr::memmem::find(body.as_bytes(), b"comment").is_some() {
        leave_out_hugo_comments(&mut facts, body, body_start);
    }
    facts
}

/// Leaves out what a Hugo `{{% comment %}}` … `{{% /comment %}}` shortcode
/// holds (`{{< … >}}` alike): the site does not render it, as an HTML
/// comment (OpenTelemetry's site parks an old design there, its links and
/// all, which a copy may leave out). The region counts as a comment.
fn leave_out_hugo_comments(facts: &mut Facts, body: &str, body_start: usize) {
    let mut regions: Vec<Range<usize>> = Vec::new();
    let mut rest = 0;
    while let Some((open_start, open_end)) = shortcode(body, rest, "comment") {
        let Some((_, close_end)) = shortcode(body, open_end, "/comment") else {
            break;
        };
        regions.push(open_start + body_start..close_end + body_start);
        rest = close_end;
    }
    if regions.is_empty() {
        return;
    }
    // The regions follow one another: a binary search finds the one before.
    let hidden = |span: &Range<usize>| {
        let index = regions.partition_point(|region| region.start <= span.start);
        index > 0 && regions[index - 1].end > span.start
    };
    facts.links.retain(|link| !hidden(&link.span));
    facts.anchors.retain(|anchor| !hidden(&anchor.span));
    facts.headings.retain(|heading| !hidden(&heading.span));
    facts.code_blocks.retain(|block| !hidden(&block.span));
    facts.comments.extend(regions);
    facts.comments.sort_by_key(|span| span.start);
}

/// The next Hugo shortcode `name` at or after `from` in `text`, written
/// `{{% name %}}` or `{{< name >}}` (spaces optional): its start and end.
fn shortcode(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text.get(at..).and_then(|rest| memchr::memmem::find(rest.as_bytes(), b"{{")) {
        let start = at + found;
        let after = &text[start + 2..];
        let close = match after.as_bytes().first() {
            Some(b'%') => "%}}",
            Some(b'<') => ">}}",
            _ => {
                at = start + 2;
                continue;
            }
        };
        let inner = after[1..].trim_start_matches(' ');
        if let Some(tail) = inner.strip_prefix(name).map(|tail| tail.trim_start_matches(' ')) {
            if tail.starts_with(close) {
                let end = text.len() - tail.len() + close.len();
                return Some((start, end));
            }
        }
        at = start + 2;
    }
    None
}

/// `body` with the tabs after a fence-only line (```` ```\t ````) as spaces, of
/// the same length so that every offset stays. pulldown-cmark does not close
/// a code block at such a line, which the CommonMark reference parser and
/// DocFX's Markdig do (Exchange docs: a sample's block ran on and swallowed
/// the next two).
fn fence_tabs_as_spaces(body: &str) -> std::borrow::Cow<'_, str> {
    let bytes = body.as_bytes();
    // One memchr for a tab first: most files have none.
    if memchr::memchr(b'\t', bytes).is_none()
        || memchr::memmem::find(bytes, b"``\t").is_none() && memchr::memmem::find(bytes, b"~~\t").is_none()
    {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut spaced = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let marker = content.chars().next().filter(|c| matches!(c, '`' | '~'));
        let after_fence = marker.map_or("", |marker| content.trim_start_matches(marker));
        let fence_length = content.len() - after_fence.len();
        if fence_length >= 3 && after_fence.trim_end_matches(['\r', '\n']).bytes().all(|b| b == b' ' || b == b'\t') {
            spaced.push_str(&line[..line.len() - after_fence.len()]);
            spaced.push_str(&after_fence.replace('\t', " "));
        } else {
            spaced.push_str(line);
        }
    }
    std::borrow::Cow::Owned(spaced)
}

/// `body` with each line that is one JSX or HTML tag outside fenced code
/// (see [`Syntax::Mdx`]) blanked: the same length, every byte of the tag a
/// space but its line breaks, so that every offset stays. Returns the
/// tags' spans too.
fn jsx_tag_lines_blank(body: &str) -> (std::borrow::Cow<'_, str>, Vec<Range<usize>>) {
    let bytes = body.as_bytes();
    if memchr::memchr(b'<', bytes).is_none() {
        return (std::borrow::Cow::Borrowed(body), Vec::new());
    }
    let mut tags = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut position = 0;
    while position < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[position..]).map_or(bytes.len(), |end| position + end + 1);
        let line = &body[position..line_end];
        let content = line.trim_start_matches([' ', '\t']);
        let start = position + (line.len() - content.len());
        position = line_end;
        let marker = content.bytes().next().filter(|byte| matches!(byte, b'`' | b'~'));
        let run = marker.map_or(0, |marker| content.bytes().take_while(|&byte| byte == marker).count());
        match (fence, marker) {
            (Some((open, length)), Some(marker))
                if marker == open && run >= length && content[run..].trim().is_empty() =>
            {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            (None, Some(marker)) if run >= 3 => {
                fence = Some((marker, run));
                continue;
            }
            _ => {}
        }
        if let Some(end) = jsx_tag_end(body, start) {
            // The rest of the line the tag ends on is blank.
            let rest_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |rest| end + rest + 1);
            if body[end..rest_end].trim().is_empty() {
                tags.push(start..end);
                position = rest_end;
            }
        }
    }
    if tags.is_empty() {
        return (std::borrow::Cow::Borrowed(body), tags);
    }
    let mut blanked = bytes.to_vec();
    for tag in &tags {
        for byte in &mut blanked[tag.clone()] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b' ';
            }
        }
    }
    // Whole UTF-8 characters were replaced by spaces, byte for byte.
    let blanked = String::from_utf8(blanked).unwrap_or_else(|_| body.to_string());
    (std::borrow::Cow::Owned(blanked), tags)
}

/// The end (past its `>`) of the JSX or HTML tag that starts at `start`
/// (`<Card title="a > b" href={url}>`, `</Tabs>`, `<>`), when one does
/// within a few lines and no blank line: quotes and `{…}` expressions may
/// hold `>`. Not an autolink (`<https://…>`) or a comment.
fn jsx_tag_end(text: &str, start: usize) -> Option<usize> {
    /// A tag spread over more lines than this is not taken for one: the
    /// scan from each line stays short.
    const MAX_LINES: usize = 24;
    let bytes = text.as_bytes();
    let first = *bytes.get(start + 1)?;
    if bytes.get(start) != Some(&b'<') || !(first.is_ascii_alphabetic() || first == b'/' || first == b'>') {
        return None;
    }
    let (mut quote, mut braces, mut lines) = (None, 0usize, 0);
    let mut i = start + 1;
    while i < bytes.len() {
        let byte = bytes[i];
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None => match byte {
                b'"' | b'\'' | b'`' => quote = Some(byte),
                b'{' => braces += 1,
                b'}' => braces = braces.checked_sub(1)?,
                b'>' if braces == 0 => {
                    // An autolink (`<https://…>`, `<name@host>`) has no whitespace.
                    let tag = &text[start..=i];
                    let autolink = !tag.bytes().any(|byte| byte.is_ascii_whitespace()) && tag.contains([':', '@']);
                    return (!autolink).then_some(i + 1);
                }
                b'<' if braces == 0 && i > start + 1 => return None,
                _ => {}
            },
        }
        if byte == b'\n' {
            lines += 1;
            let rest = &bytes[i + 1..];
            let blank = rest.iter().take_while(|&&b| b != b'\n').all(|b| b.is_ascii_whitespace());
            if lines > MAX_LINES || blank {
                return None;
            }
        }
        i += 1;
    }
    None
}

/// The anchors DocFX gives the ATX headings between `:::column:::` and
/// `:::column-end:::` (indented, so CommonMark reads them as paragraph
/// text). A copy's pipeline anchors for them are then in the source too.
fn column_heading_slugs(body: &str) -> Vec<String> {
    let mut slugs = Vec::new();
    let mut in_column = false;
    for line in body.lines() {
        let line = line.trim();
        if line.starts_with(":::column-end:::") || line.starts_with(":::row-end:::") {
            in_column = false;
        } else if line.starts_with(":::column") {
            in_column = true;
        } else if in_column {
            let hashes = line.bytes().take_while(|byte| *byte == b'#').count();
            let Some(title) = line.get(hashes..).filter(|_| (1..=6).contains(&hashes)) else {
                continue;
            };
            if title.starts_with([' ', '\t']) {
                let title = title.trim().trim_end_matches('#').trim_end();
                slugs.extend(super::text::slug_variants(&super::text::plain_text(title), None));
            }
        }
    }
    slugs
}

/// GitHub's Markdown as the sites read it: tables, strikethrough, `{#id}`
/// heading attributes, and footnotes (a `[^1]: 訳注：…` definition is a
/// note, not a link to `訳注：…`; Hugo, Docusaurus, DocFX and GitHub have them).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// Text gathered while inside a heading or an "Applies to" item, split into
/// what readers see and what sits in lookup spans.
#[derive(Debug, Default)]
struct TextBuffer {
    shown: String,
    lookup: String,
    /// Paragraph buffers only need to recognise a short label; past this
    /// many bytes they stop growing and `overflowed` is set.
    limit: Option<usize>,
    overflowed: bool,
}

/// Bytes of a paragraph's text kept to recognise the "Applies to" label.
const LABEL_LIMIT: usize = 128;

impl TextBuffer {
    /// A buffer for a paragraph that may be the "Applies to" label.
    fn for_label() -> Self {
        // Sized for the limit at once (it is reused for every paragraph).
        TextBuffer {
            shown: String::with_capacity(LABEL_LIMIT),
            lookup: String::with_capacity(LABEL_LIMIT),
            limit: Some(LABEL_LIMIT),
            overflowed: false,
        }
    }

    fn cleared(mut self) -> Self {
        self.shown.clear();
        self.lookup.clear();
        self.overflowed = false;
        self
    }

    fn push(&mut self, text: &str, in_lookup: bool) {
        if self.overflowed {
            return;
        }
        let target = if in_lookup { &mut self.lookup } else { &mut self.shown };
        if self.limit.is_some_and(|limit| target.len() + text.len() > limit) {
            self.overflowed = true;
            return;
        }
        target.push_str(text);
    }
}

#[derive(Debug, Default)]
enum AppliesState {
    #[default]
    Idle,
    /// A paragraph that may be the label ended (its text is in
    /// `Walker::label_candidate`); the next block must be its list. Whether
    /// it is the label is asked only then: most paragraphs are followed by
    /// something else, and recognising a label costs allocations.
    AfterParagraph(Range<usize>),
    InList {
        label: Range<usize>,
        items: Vec<AppliesToItem>,
        depth: usize,
    },
}

struct Walker<'t> {
    text: &'t str,
    /// The same text, shared by the links' destinations.
    shared: &'t Arc<str>,
    facts: Facts,
    segments: SegmentTracker,
    heading: Option<(u8, Range<usize>, TextBuffer)>,
    /// The heading's shown text with character references as written, and
    /// whether it has any.
    heading_raw: (String, bool),
    code_block: Option<(String, Range<usize>, String)>,
    /// The last event started a list item (an empty item ends right away).
    item_just_started: bool,
    /// An empty list item ended, and nothing but list ends came since.
    after_empty_item: bool,
    /// For an open indented code block, whether it follows an empty list
    /// item; `None` for a fenced one.
    indented_code: Option<bool>,
    paragraph: Option<(Range<usize>, TextBuffer)>,
    /// The last paragraph's buffer, emptied: every paragraph is a candidate
    /// label, and reusing one buffer spares an allocation per paragraph.
    spare_label: Option<TextBuffer>,
    /// The text of the paragraph that `AppliesState::AfterParagraph` names.
    label_candidate: Option<TextBuffer>,
    /// The last heading's buffer, emptied, for the next heading.
    spare_heading: Option<TextBuffer>,
    item: Option<(Range<usize>, TextBuffer)>,
    applies: AppliesState,
    /// Where the last table cell ended: cells past the header's count are
    /// dropped by the parser, and their segment spans are read from here.
    cell_end: usize,
    /// The open links and images, innermost last: those that started in a
    /// lookup span, until their end says whether the lookup closed inside
    /// them (see `end`).
    open_links: Vec<Option<LinkInLookup>>,
    /// A heading holds a pipeline anchor (`<a name="…">`).
    any_heading_anchored: bool,
    /// The page is MDX (see [`Syntax::Mdx`]).
    mdx: bool,
}

/// A link or image that starts inside a lookup span. When the lookup span
/// closes inside its text (`![translated</span><span class="sxs-lookup">…
/// ![source</span></span>](media/shot.png)`: a segment that cut the image
/// in two), the parser pairs `](…)` with the lookup's opener, but the
/// pipeline publishes the translated side's opener with it: the copy has
/// the link.
struct LinkInLookup {
    kind: LinkKind,
    destination: Destination,
    range: Range<usize>,
    link_type: LinkType,
    /// How many links the document had when this one opened.
    links_before: usize,
}

impl<'t> Walker<'t> {
    fn new(shared: &'t Arc<str>) -> Self {
        let text: &'t str = shared;
        Walker {
            text,
            shared,
            // About one block per 128 bytes of generated and real docs:
            // the list of block starts grows once or twice, not six times.
            facts: Facts { block_starts: Vec::with_capacity(text.len() / 128), ..Facts::default() },
            segments: SegmentTracker::for_text(text.len()),
            heading: None,
            heading_raw: (String::with_capacity(64), false),
            code_block: None,
            item_just_started: false,
            after_empty_item: false,
            indented_code: None,
            paragraph: None,
            spare_label: None,
            label_candidate: None,
            spare_heading: None,
            item: None,
            applies: AppliesState::Idle,
            cell_end: 0,
            open_links: Vec::new(),
            any_heading_anchored: false,
            mdx: false,
        }
    }

    fn front_matter_segments(&mut self, span: Range<usize>) {
        let yaml = &self.text[span.clone()];
        let mut line_start = 0;
        for line in yaml.split_inclusive('\n') {
            for tag in html::tags(line) {
                self.segments.tag(&tag, span.start + line_start);
            }
            line_start += line.len();
            self.segments.end_block(span.start + line_start);
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let in_lookup = self.segments.in_lookup();
        let after_empty_item = self.after_empty_item;
        self.after_empty_item = match &event {
            Event::End(TagEnd::Item) => self.item_just_started,
            Event::End(TagEnd::List(_)) => after_empty_item,
            _ => false,
        };
        self.item_just_started = matches!(event, Event::Start(Tag::Item));
        if let Event::Start(Tag::CodeBlock(kind)) = &event {
            self.indented_code = matches!(kind, CodeBlockKind::Indented).then_some(after_empty_item);
        }
        match event {
            Event::Start(tag) => self.start(tag, range, in_lookup),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => {
                if let Some((_, _, content)) = &mut self.code_block {
                    content.push_str(&text);
                } else {
                    self.push_heading_raw(&text, &range, in_lookup);
                    self.push_text(&text, in_lookup);
                }
            }
            Event::Code(code) => {
                self.push_heading_raw(&code, &(0..0), in_lookup);
                self.push_text(&code, in_lookup);
            }
            Event::Html(fragment) | Event::InlineHtml(fragment) => self.html(&fragment, range),
            Event::SoftBreak | Event::HardBreak => {
                self.push_heading_raw(" ", &(0..0), in_lookup);
                self.push_text(" ", in_lookup);
            }
            _ => {}
        }
    }

    /// Keeps the heading's text as written where it holds a character
    /// reference (`&gt;`), which pulldown-cmark hands over decoded.
    fn push_heading_raw(&mut self, decoded: &str, range: &Range<usize>, in_lookup: bool) {
        if self.heading.is_none() || in_lookup {
            return;
        }
        let written = self.text.get(range.clone()).unwrap_or(decoded);
        let is_reference = written.starts_with('&') && written.ends_with(';') && written != decoded;
        self.heading_raw.0.push_str(if is_reference { written } else { decoded });
        self.heading_raw.1 |= is_reference;
    }

    fn push_text(&mut self, text: &str, in_lookup: bool) {
        if let Some((_, _, buffer)) = &mut self.heading {
            buffer.push(text, in_lookup);
        }
        if let Some((_, buffer)) = &mut self.paragraph {
            buffer.push(text, in_lookup);
        }
        if let Some((_, buffer)) = &mut self.item {
            buffer.push(text, in_lookup);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>, in_lookup: bool) {
        self.block_started(&tag);
        let is_block = matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::TableHead
                | Tag::TableRow
                | Tag::Item
        );
        if is_block && self.facts.block_starts.last().is_none_or(|&last| last < range.start) {
            self.facts.block_starts.push(range.start);
        }
        match tag {
            Tag::Table(_) => self.facts.tables.push(Vec::new()),
            Tag::TableHead | Tag::TableRow => {
                if let Some(rows) = self.facts.tables.last_mut() {
                    rows.push(trim_span(self.text, range.clone()));
                }
                self.cell_end = range.start;
            }
            Tag::HtmlBlock => self.facts.html_blocks.push(range.clone()),
            _ => {}
        }
        match tag {
            Tag::Heading { level, id, .. } => {
                if let Some(id) = id {
                    let raw = &self.text[range.clone()];
                    let span =
                        raw.rfind(&*id).map_or(range.clone(), |at| range.start + at..range.start + at + id.len());
                    self.facts.anchors.push(Anchor { name: id.to_string(), kind: AnchorKind::HeadingAttribute, span });
                }
                let buffer = self.spare_heading.take().map_or_else(TextBuffer::default, TextBuffer::cleared);
                self.heading = Some((level as u8, range, buffer));
                self.heading_raw.0.clear();
                self.heading_raw.1 = false;
            }
            Tag::Paragraph => {
                let buffer = self.spare_label.take().map_or_else(TextBuffer::for_label, TextBuffer::cleared);
                self.paragraph = Some((range, buffer));
            }
            Tag::Item => {
                if let AppliesState::InList { depth: 1, .. } = self.applies {
                    self.item = Some((range, TextBuffer::default()));
                }
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                // The content is at most the block: no growing.
                let content = String::with_capacity(range.len());
                self.code_block = Some((info, range, content));
            }
            // `[!UICONTROL Metric]: \`Revenue\``, `[!DNL Product]`: Adobe's
            // markup for UI labels and names. CommonMark reads the first as a
            // link definition and every `[!UICONTROL Metric]` of the page as
            // a link to it; the renderer shows labels, and no page links so.
            Tag::Link { link_type: LinkType::Shortcut | LinkType::Collapsed | LinkType::Reference, .. }
                if self.text.get(range.clone()).is_some_and(|raw| raw.starts_with("[!")) =>
            {
                // Its end pops `open_links` as every link's does.
                self.open_links.push(None);
            }
            Tag::Link { link_type, dest_url, .. } => {
                let kind = match link_type {
                    LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                    LinkType::Inline if self.is_include(&range) => LinkKind::Include,
                    LinkType::Inline => LinkKind::Inline,
                    _ => LinkKind::Reference,
                };
                self.open_link(kind, &dest_url, range, link_type, in_lookup);
            }
            Tag::Image { link_type, dest_url, .. } => {
                self.open_link(LinkKind::Image, &dest_url, range, link_type, in_lookup);
            }
            _ => {}
        }
    }

    /// A link or image starts: kept at once, or, inside a lookup span,
    /// until its end (`LinkInLookup`).
    fn open_link(
        &mut self,
        kind: LinkKind,
        destination: &str,
        range: Range<usize>,
        link_type: LinkType,
        in_lookup: bool,
    ) {
        if in_lookup {
            let (destination, links_before) = (Destination::new(self.shared, destination), self.facts.links.len());
            self.open_links.push(Some(LinkInLookup { kind, destination, range, link_type, links_before }));
        } else {
            self.open_links.push(None);
            self.push_link(kind, destination, range, link_type);
        }
    }

    /// Tracks where an "Applies to" label's list may start.
    fn block_started(&mut self, tag: &Tag<'_>) {
        match (&mut self.applies, tag) {
            (AppliesState::AfterParagraph(label), Tag::List(_)) => {
                let is_label = self
                    .label_candidate
                    .as_ref()
                    .is_some_and(|text| is_applies_to_label(&text.lookup) || is_applies_to_label(&text.shown));
                self.applies = if is_label {
                    AppliesState::InList { label: label.clone(), items: Vec::new(), depth: 1 }
                } else {
                    AppliesState::Idle
                };
            }
            (AppliesState::AfterParagraph(_), _) => self.applies = AppliesState::Idle,
            (AppliesState::InList { depth, .. }, Tag::List(_)) => *depth += 1,
            _ => {}
        }
        if let Some(text) = self.label_candidate.take() {
            self.spare_label = Some(text);
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::TableCell => self.cell_end = range.end,
            TagEnd::TableHead | TagEnd::TableRow => {
                // A row with more cells than the header loses the rest from
                // the page, but its segment spans are still in the file.
                let dropped = self.text.get(self.cell_end..range.end).unwrap_or("");
                for tag in html::tags(dropped) {
                    self.segments.tag(&tag, self.cell_end);
                }
                self.segments.end_block(range.end);
            }
            TagEnd::Heading(_) => {
                if let Some((level, span, text)) = self.heading.take() {
                    let (raw, has_reference) = &self.heading_raw;
                    let shown = text.shown.trim();
                    let line = first_line(&self.text[span.clone()]);
                    let raw_text = match (has_reference, line.and_then(read_as_attributes)) {
                        (true, None) => Some(raw.trim().to_string()),
                        (true, Some(block)) => Some(format!("{} {block}", raw.trim())),
                        (false, Some(block)) => Some(format!("{shown} {block}")),
                        (false, None) => None,
                    };
                    let markup = line.and_then(|line| atx_heading_markup(self.text, &span, line));
                    let lookup = text.lookup.trim();
                    let anchored = is_anchored(&self.text[span.clone()]);
                    self.any_heading_anchored |= anchored;
                    let lookup_text = (!lookup.is_empty() && !anchored).then(|| lookup.to_string());
                    self.facts.headings.push(Heading {
                        level,
                        text: shown.to_string(),
                        raw_text,
                        markup,
                        lookup_text,
                        span: trim_span(self.text, span),
                    });
                    self.spare_heading = Some(text);
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(Some(link)) = self.open_links.pop() {
                    if !self.segments.in_lookup() {
                        // Before the links its text holds: it starts first.
                        self.push_link(link.kind, &link.destination, link.range, link.link_type);
                        if let Some(since) = self.facts.links.get_mut(link.links_before..) {
                            since.rotate_right(1);
                        }
                    }
                }
            }
            TagEnd::CodeBlock => {
                if let Some((info, span, content)) = self.code_block.take() {
                    let raw = self.text.get(span.clone()).unwrap_or("");
                    let indented = self.indented_code.take();
                    let segmented =
                        indented.is_some() && memchr::memmem::find(raw.as_bytes(), b"data-ttu-id=").is_some();
                    if segmented {
                        for tag in html::tags(raw) {
                            self.segments.tag(&tag, span.start);
                        }
                        self.segments.end_block(span.end);
                    }
                    let under_empty_item = indented == Some(true);
                    let indented_prose = indented.is_some() && reads_as_prose(&content);
                    let (info, content, indented) = match indented {
                        Some(_) if self.mdx => match one_fenced_block(&content) {
                            Some((info, inner)) => (info, inner, None),
                            // Text indented under a component: not code in MDX.
                            None => return,
                        },
                        _ => (info, content, indented),
                    };
                    self.facts.code_blocks.push(CodeBlock {
                        info,
                        content,
                        span,
                        segmented,
                        under_empty_item,
                        indented: indented.is_some(),
                        indented_prose,
                    });
                }
            }
            TagEnd::Paragraph => {
                if let Some((span, text)) = self.paragraph.take() {
                    let may_be_label = self.item.is_none() && !text.overflowed;
                    if may_be_label && matches!(self.applies, AppliesState::Idle | AppliesState::AfterParagraph(_)) {
                        self.applies = AppliesState::AfterParagraph(span);
                        self.label_candidate = Some(text);
                    } else {
                        self.spare_label = Some(text);
                    }
                }
            }
            TagEnd::Item => {
                if let (Some((span, text)), AppliesState::InList { items, .. }) = (self.item.take(), &mut self.applies)
                {
                    items.push(AppliesToItem {
                        text: text.shown.trim().to_string(),
                        source_text: (!text.lookup.trim().is_empty()).then(|| text.lookup.trim().to_string()),
                        span: trim_span(self.text, span),
                    });
                }
            }
            TagEnd::List(_) => {
                if let AppliesState::InList { label, items, depth } = &mut self.applies {
                    *depth -= 1;
                    if *depth == 0 {
                        if self.facts.applies_to.is_none() {
                            self.facts.applies_to =
                                Some(AppliesTo { label_span: label.clone(), items: std::mem::take(items) });
                        }
                        self.applies = AppliesState::Idle;
                    }
                }
            }
            _ => {}
        }
        // A table cell does not end a segment: a `|` the source already has
        // in a cell (`<quiet|normal>`) splits the copy's spans across cells
        // too, and the segment is whole in the file; the row's end ends it.
        if matches!(tag, TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::HtmlBlock) {
            self.segments.end_block(range.end);
        }
    }

    fn html(&mut self, fragment: &str, range: Range<usize>) {
        // pulldown-cmark hands HTML blocks over line by line; the range is
        // where this fragment sits in the document. The fragment is not
        // always those bytes (HTML spanning lines of a blockquote comes
        // without the `> ` markers), and spans must point into the file, so
        // the file's own bytes are read.
        let fragment = self.text.get(range.clone()).unwrap_or(fragment);
        if self.segments.exact_tag(fragment, range.start) {
            return;
        }
        if fragment.trim_start().starts_with("<!--") {
            self.facts.comments.push(trim_span(self.text, range.clone()));
            if self.segments.in_lookup() {
                self.segments.comment(fragment, range.start);
            }
        }
        let offset = range.start;
        for tag in html::tags(fragment) {
            let in_lookup = self.segments.in_lookup();
            self.segments.tag(&tag, offset);
            if tag.closing || in_lookup {
                continue;
            }
            let absolute = |span: &Range<usize>| offset + span.start..offset + span.end;
            // Any element's `id` is a fragment's target (`<section id="setup">`,
            // `<h3 id="…">`); `name` only an `<a>`'s.
            let anchor_attributes: &[(&str, AnchorKind)] = if tag.is("a") {
                &[("name", AnchorKind::HtmlName), ("id", AnchorKind::HtmlId)]
            } else {
                &[("id", AnchorKind::ElementId)]
            };
            for &(attribute, kind) in anchor_attributes {
                if let Some(value) = tag.attribute(attribute) {
                    self.facts.anchors.push(Anchor {
                        name: value.value.to_string(),
                        kind,
                        span: absolute(&value.value_span),
                    });
                }
            }
            for attribute in ["href", "src"] {
                if let Some(value) = tag.attribute(attribute) {
                    self.facts.links.push(Link {
                        kind: LinkKind::Html,
                        destination: Destination::new(self.shared, value.value.trim()),
                        span: absolute(&value.value_span),
                    });
                }
            }
        }
    }

    /// A line of an MDX page that is one tag (see [`Syntax::Mdx`]), read
    /// for its anchors and links as any HTML.
    fn tag_line(&mut self, range: Range<usize>) {
        let fragment = self.text.get(range.clone()).unwrap_or_default();
        self.html(fragment, range);
    }

    /// `[!INCLUDE[title](path)]`: the link is the include's target.
    fn is_include(&self, range: &Range<usize>) -> bool {
        const MARKER: &str = "[!include";
        // DocFX allows spaces before the label: `[!INCLUDE [name](path)]`.
        let before = self.text.get(..range.start).unwrap_or("").trim_end_matches([' ', '\t']);
        before
            .len()
            .checked_sub(MARKER.len())
            .and_then(|start| before.get(start..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(MARKER))
    }

    fn push_link(&mut self, kind: LinkKind, destination: &str, range: Range<usize>, link_type: LinkType) {
        let raw = &self.text[range.clone()];
        let span = match link_type {
            LinkType::Autolink | LinkType::Email
                if !destination.is_empty() && raw.get(1..).is_some_and(|rest| rest.starts_with(destination)) =>
            {
                // `<destination>`: the only place it can be.
                range.start + 1..range.start + 1 + destination.len()
            }
            LinkType::Inline | LinkType::Autolink | LinkType::Email if !destination.is_empty() => {
                // Usually `](destination`: check there before searching.
                // The last `](`, found by its `]` (a substring searcher set
                // up per link cost more than the search).
                let bytes = raw.as_bytes();
                let after_bracket =
                    memchr::memrchr_iter(b']', bytes).find(|&at| bytes.get(at + 1) == Some(&b'(')).map(|at| at + 2);
                let direct = after_bracket
                    .map(|at| at + (raw[at..].len() - raw[at..].trim_start_matches([' ', '<']).len()))
                    .filter(|&at| raw[at..].starts_with(destination));
                direct
                    .or_else(|| raw.rfind(destination))
                    .map_or(range.clone(), |at| range.start + at..range.start + at + destination.len())
            }
            _ => range,
        };
        if self.facts.links.capacity() == 0 {
            // About one link per 256 bytes: room for them at the first.
            self.facts.links.reserve(self.text.len() / 256);
        }
        self.facts.links.push(Link { kind, destination: Destination::new(self.shared, destination), span });
    }

    fn finish(mut self) -> Facts {
        self.facts.segments = self.segments.finish(self.text.len(), self.text);
        // A copy whose pipeline wrote anchors into some headings lost the
        // others' (a defect to report); only a copy handed off before the
        // pipeline wrote any gets its headings' source anchors.
        if self.any_heading_anchored {
            for heading in &mut self.facts.headings {
                heading.lookup_text = None;
            }
        }
        self.facts
    }
}

/// Whether a heading as written holds a pipeline anchor (`<a name="…">`).
fn is_anchored(written: &str) -> bool {
    written.contains("<a name") || written.contains("<a id")
}

fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = &text[span.clone()];
    let start = span.start + (raw.len() - raw.trim_start().len());
    let end = span.start + raw.trim_end().len();
    start..end.max(start)
}

/// Whether an indented block's lines are sentences rather than code: most
/// of its lines read as prose, and one ends like a sentence or starts as a
/// lettered step (`a. When…`). Code lines have
/// options (`-Name`), assignments, paths or calls; a line of plain words
/// long enough to be a sentence is text.
fn reads_as_prose(content: &str) -> bool {
    let lines: Vec<&str> = content.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let prose = lines.iter().filter(|line| is_prose_line(line)).count();
    let ends_a_sentence =
        lines.iter().any(|line| line.trim_end_matches(['*', '"', ')', '\'']).ends_with(['.', ':', '?', '!']));
    prose > 0 && prose * 2 > lines.len() && (ends_a_sentence || lines.iter().any(|line| is_lettered_step(line)))
}

/// `a. When asked for…`, `2) Open…`: a step of a list whose marker the
/// indentation turned into text.
fn is_lettered_step(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let marker = words.next().and_then(|word| word.strip_suffix(['.', ')'])).unwrap_or("");
    let is_marker = marker.len() == 1 && marker.chars().all(|c| c.is_ascii_alphabetic())
        || (1..=2).contains(&marker.len()) && marker.chars().all(|c| c.is_ascii_digit());
    is_marker && words.next().and_then(|word| word.chars().next()).is_some_and(char::is_uppercase)
}

fn is_prose_line(line: &str) -> bool {
    let starts_as_text = line.chars().next().is_some_and(|c| c.is_alphabetic() || c == '[' || c == '*');
    let words: Vec<&str> = line.split_whitespace().collect();
    let code_like = words.iter().any(|word| {
        word.starts_with('-') && word.len() > 1
            || word.contains(['=', '\\', '{', '}', ';', '$'])
            || word.contains('(') && !word.starts_with('(') && !word.contains("](")
            || is_cmdlet(word)
    });
    let plain = words
        .iter()
        .filter(|word| {
            let word = word.trim_end_matches([',', '.', ':', ';', '!', '?', '"', ')']).trim_start_matches(['"', '(']);
            !word.is_empty() && word.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        })
        .count();
    starts_as_text && !code_like && words.len() >= 6 && plain * 10 >= words.len() * 7
}

/// `Write-Host`, `Get-ChildItem`: a PowerShell verb-noun command.
fn is_cmdlet(word: &str) -> bool {
    word.split_once('-').is_some_and(|(verb, noun)| {
        let capitalized = |part: &str| {
            part.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && part.chars().all(|c| c.is_ascii_alphanumeric())
        };
        capitalized(verb) && capitalized(noun) && verb.len() > 1 && noun.len() > 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_is_a_span_of_the_text_only_when_it_is_a_slice_of_it() {
        let text: Arc<str> = Arc::from("[a](b.md) [c](d%20e.md) [f](g\\_h.md) <https://x.test>\n");
        let in_text = |destination: &Destination| matches!(destination.0, Written::InText(..));
        let slice = Destination::new(&text, &text[4..8]);
        assert!(in_text(&slice));
        assert_eq!(slice.as_str(), "b.md");
        let copied = String::from("b.md");
        let own = Destination::new(&text, &copied);
        assert!(!in_text(&own), "equal text elsewhere is copied, not found");
        assert_eq!(own, slice);
        let other: Arc<str> = Arc::from("b.md");
        assert!(!in_text(&Destination::new(&text, &other)));
        for (at, destination) in [(0, &text[..0]), (text.len(), &text[text.len()..]), (0, &text[..])] {
            let kept = Destination::new(&text, destination);
            assert_eq!(kept.as_str(), destination, "at {at}");
        }
        // What the walk keeps: each destination as the parser gave it.
        let facts = extract(&text, 0, 0..0);
        let links: Vec<(&str, bool)> =
            facts.links.iter().map(|link| (link.destination.as_str(), in_text(&link.destination))).collect();
        assert_eq!(links, [("b.md", true), ("d%20e.md", true), ("g_h.md", false), ("https://x.test", true)]);
    }

    #[test]
    fn what_a_hugo_comment_shortcode_holds_is_not_on_the_page() {
        let text: Arc<str> = Arc::from(
            "See [setup](setup/).\n\n{{% comment %}}\n\n## Old design\n\n<a href=\"{{% param LFS148 %}}\">more</a>\n\n\
             ```sh\nold\n```\n\n{{% /comment %}}\n\n[after](after/) {{< comment >}}[hidden](hidden/){{< /comment >}}\n\n\
             {{% comment %}} never closed [kept](kept/)\n",
        );
        let facts = extract(&text, 0, 0..0);
        let links: Vec<&str> = facts.links.iter().map(|link| link.destination.as_str()).collect();
        assert_eq!(links, ["setup/", "after/", "kept/"]);
        assert!(facts.headings.is_empty() && facts.code_blocks.is_empty(), "{facts:?}");
        let first =
            text.find("{{% comment").unwrap()..text.find("{{% /comment %}}").unwrap() + "{{% /comment %}}".len();
        assert!(facts.comments.contains(&first), "{:?}", facts.comments);
    }

    #[test]
    fn mdx_tag_lines_read_as_blank_lines_keeping_their_attributes() {
        let text = "<Steps>\n1. Open the [ledger](/ledger/).\n\n\t<Card\n\t\ttitle=\"a > b\"\n\t\thref=\"/cards/\"\n\t/>\n\
                    <Box id=\"done\">\n## Done\n</Box>\n</Steps>\n\n<kbd>Ctrl</kbd> copies.\n<https://x.test>\n\n\
                    <Tabs>\n  <TabItem label=\"npm\">\n\n    ```sh\n    npm i <pkg>\n    ```\n\n  </TabItem>\n</Tabs>\n";
        let (blanked, tags) = jsx_tag_lines_blank(text);
        assert_eq!(blanked.len(), text.len());
        let tag_texts: Vec<&str> = tags.iter().map(|tag| &text[tag.clone()]).collect();
        assert_eq!(
            tag_texts,
            [
                "<Steps>",
                "<Card\n\t\ttitle=\"a > b\"\n\t\thref=\"/cards/\"\n\t/>",
                "<Box id=\"done\">",
                "</Box>",
                "</Steps>",
                "<Tabs>",
                "<TabItem label=\"npm\">",
                "</TabItem>",
                "</Tabs>"
            ]
        );
        assert!(blanked.contains("<kbd>Ctrl</kbd> copies.\n<https://x.test>\n"));
        assert!(blanked.contains("    npm i <pkg>\n"));
        let facts = extract_as(&Arc::from(text), 0, 0..0, Syntax::Mdx);
        let links: Vec<&str> = facts.links.iter().map(|link| link.destination.as_str()).collect();
        assert_eq!(links, ["/ledger/", "/cards/", "https://x.test"]);
        let headings: Vec<&str> = facts.headings.iter().map(|heading| heading.text.as_str()).collect();
        assert_eq!(headings, ["Done"]);
        assert_eq!(facts.anchors.iter().map(|anchor| anchor.name.as_str()).collect::<Vec<_>>(), ["done"]);
        // The sample indented under its tab is the fenced block it is in MDX.
        let blocks: Vec<(&str, &str, bool)> = facts
            .code_blocks
            .iter()
            .map(|block| (block.info.as_str(), block.content.as_str(), block.indented))
            .collect();
        assert_eq!(blocks, [("sh", "npm i <pkg>\n", false)]);
        // CommonMark reads the same page otherwise.
        let commonmark = extract(&Arc::from(text), 0, 0..0);
        assert!(commonmark.headings.is_empty());
    }

    #[test]
    fn first_line_is_the_first_of_lines() {
        for text in ["", "a", "a\n", "a\r\nb", "a\rb\n", "\n", "\r\n", "a\r", "é\r\r\n"] {
            assert_eq!(first_line(text), text.lines().next(), "{text:?}");
        }
    }

    #[test]
    fn every_element_s_id_is_an_anchor_and_only_a_link_s_name() {
        let text = "# Glossary\n\n<section id=\"accrual\">\n  <h3 id=\"accrual-title\">Accrual</h3>\n  \
                    <p name=\"not-an-anchor\"><a name=\"old\"></a><a id=\"new\"></a></p>\n</section>\n";
        let facts = extract(&Arc::from(text), 0, 0..0);
        let anchors: Vec<(&str, AnchorKind)> =
            facts.anchors.iter().map(|anchor| (anchor.name.as_str(), anchor.kind)).collect();
        assert_eq!(
            anchors,
            [
                ("accrual", AnchorKind::ElementId),
                ("accrual-title", AnchorKind::ElementId),
                ("old", AnchorKind::HtmlName),
                ("new", AnchorKind::HtmlId),
            ]
        );
        assert_eq!(&text[facts.anchors[0].span.clone()], "accrual");
    }

    #[test]
    fn an_image_a_segment_cut_in_two_is_the_copy_s_and_lookup_links_are_not() {
        let text = "<span data-ttu-id=\"ab-1\">[!UICONTROL 設定]を開く。![画面</span>\
                    <span class=\"sxs-lookup\"><span data-stu-id=\"ab-1\">Open [!UICONTROL Settings]. \
                    [the guide](guide.md) ![Screen</span></span>](media/screen.png) [next](next.md)\n";
        let facts = extract(&Arc::from(text), 0, 0..0);
        let links: Vec<&str> = facts.links.iter().map(|link| link.destination.as_str()).collect();
        assert_eq!(links, ["media/screen.png", "next.md"]);
    }

    #[test]
    fn indented_steps_read_as_prose_and_commands_do_not() {
        let steps = "a. Once billing is on for the account, open [!UICONTROL Settings] >> [!UICONTROL Security]\n\n\
                     b. By default, the sign-in type is set to \"Ledger users.\"\n\n\
                     c. Change the sign-in type to \"Custom\" to start the setup.\n";
        assert!(reads_as_prose(steps));
        assert!(reads_as_prose("Entries that the team posts after that go to the reopened period.\n"));
        let linked = "a. When asked for the sign-in address, use [https://ledger.contoso.com/sso](https://ledger.contoso.com/sso)\n\n\
                      b. When asked for the audience, use [https://ledger.contoso.com](https://ledger.contoso.com/)\n";
        assert!(reads_as_prose(linked), "a Markdown link is text, not a call");
        for code in [
            "net stop ledgeragent\nsc config ledgeragent start= demand\n",
            "Set-LedgerPeriod -Name May -State Open -Team Finance -Force\n",
            "select name, email from customers where active order by name\n",
            "ledger reopen --period 2023-05 --team finance --notify owners\n",
            "// Reopen the period for the finance team only.\nledger.Reopen(period, team);\n",
            "Write-Host \"The period is open again for the team.\"\n",
        ] {
            assert!(!reads_as_prose(code), "{code:?}");
        }
    }
}
