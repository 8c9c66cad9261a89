//! `markdown-broken`: the translation broke the Markdown, so the copy
//! renders other structure than its source. Each finding names the cause
//! (a `|` in a table cell, a tag line that starts an HTML block, a stray
//! `]` in link text, a line break in a heading) and marks the block it
//! breaks: the engine folds the other rules' findings in that block into
//! this one (see `fold_consequences`).

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::html;
use crate::document::markdown::LinkKind;
use crate::document::segments::Side;
use crate::document::Document;

pub static RULE: Rule = Rule {
    name: "markdown-broken",
    group: RuleGroup::Structure,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "the translation broke the Markdown: the copy renders a table row, link, heading or paragraph differently",
    options: &[],
    doc: include_str!("../../rules/markdown-broken.md"),
    check,
};

/// The label of the secondary span that marks the broken block: findings of
/// other rules inside it are consequences (see `fold_consequences`).
pub const BROKEN_BLOCK: &str = "renders differently from the source from here to the end of this block";

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        let mut explained = table_rows(source, copy, out);
        explained.extend(tag_lines(copy, out));
        unlinked_targets(source, copy, explained, out);
        split_headings(copy, out);
    }
}

/// The label of a link of the source that the copy shows as text.
const BREAKS_THE_LINK: &str = "breaks the link";

/// Folds the findings of other rules that lie in a block a `markdown-broken`
/// finding marks into that finding, as notes at their places.
///
/// Why in the engine, after a group's rules ran: the consequences of one
/// broken construct (a missing link target, an unclosed span) are real
/// findings for their rules, which cannot know the cause without
/// re-deriving it; reporting them beside the cause would list one defect
/// several times, none of them naming it. Only findings in the marked block
/// of the same file are folded, so unrelated findings stay.
pub fn fold_consequences(diagnostics: &mut Vec<Diagnostic>) {
    // The lines of each marked block: a consequence may be placed at the
    // start of the block's line (a list item's marker) rather than in it.
    let mut blocks: Vec<(&str, Range<usize>, usize)> = Vec::new();
    for (index, diagnostic) in diagnostics.iter().enumerate().filter(|(_, d)| d.rule == RULE.name) {
        let Some(location) = &diagnostic.location else {
            continue;
        };
        for (span, label) in &diagnostic.secondary {
            if label == BROKEN_BLOCK {
                let lines = location.file.position(span.start).line..location.file.position(span.end).line + 1;
                blocks.push((diagnostic.path.as_str(), lines, index));
            }
        }
    }
    if blocks.is_empty() {
        return;
    }
    blocks.sort_by(|a, b| (a.0, a.1.start).cmp(&(b.0, b.1.start)));
    let owner_of = |diagnostic: &Diagnostic| -> Option<usize> {
        let location = diagnostic.location.as_ref()?;
        let line = location.file.position(location.span.start).line;
        let path = diagnostic.path.as_str();
        let index = blocks.partition_point(|(p, lines, _)| (*p, lines.start) <= (path, line));
        let (p, lines, owner) = blocks.get(index.checked_sub(1)?)?;
        (*p == path && lines.contains(&line)).then_some(*owner)
    };
    // A link shown as text explains its own target's finding, not those of
    // other links its block lacks for reasons of their own (a translator
    // who dropped them).
    let explains = |owner: usize, consequence: &Diagnostic| {
        let cause = &diagnostics[owner];
        let breaks_a_link =
            cause.location.as_ref().and_then(|location| location.label.as_deref()) == Some(BREAKS_THE_LINK);
        match (&cause.related, &consequence.related) {
            (Some(link), Some(target)) if breaks_a_link && consequence.rule == "link-target-mismatch" => {
                link.0.span == target.0.span
            }
            _ => true,
        }
    };
    let mut notes: Vec<(usize, Range<usize>, String)> = Vec::new();
    let mut folded = vec![false; diagnostics.len()];
    for (index, diagnostic) in diagnostics.iter().enumerate().filter(|(_, d)| d.rule != RULE.name) {
        let owner = owner_of(diagnostic).filter(|&owner| explains(owner, diagnostic));
        if let (Some(owner), Some(location)) = (owner, &diagnostic.location) {
            notes.push((owner, location.span.clone(), format!("hence {}: {}", diagnostic.rule, diagnostic.message)));
            folded[index] = true;
        }
    }
    for (owner, span, note) in notes {
        diagnostics[owner].secondary.push((span, note));
    }
    let mut index = 0;
    diagnostics.retain(|_| {
        index += 1;
        !folded[index - 1]
    });
}

/// Rows of the copy's tables with more cells than the source's row: a
/// literal `|` in a cell's text starts a new cell. Returns the rows reported.
///
/// The `|` of a lookup span are the source's own: a source row that a `|`
/// already splits (`<quiet|normal>` in inline code) is repeated there, and
/// the copy renders as the source does. Only the copy's other separators are
/// compared with the source's row, so an inherited defect is not blamed on
/// the copy.
fn table_rows(source: &Document, copy: &Document, out: &mut Emitter<'_>) -> Vec<Range<usize>> {
    let mut reported = Vec::new();
    for (ours, theirs) in copy.facts.tables.iter().zip(&source.facts.tables) {
        let columns = ours.first().map_or(0, |header| cell_count(copy.text(), header));
        for (row, source_row) in ours.iter().zip(theirs) {
            let text = copy.text();
            // Counted first: nearly every row has the source's cells.
            let expected = cell_count(source.text(), source_row);
            let count = cell_count(text, row);
            if count <= expected {
                continue;
            }
            let pipes = cells(text, row);
            // GFM pads a short row with empty cells up to its header's: a
            // copy that writes the padding out renders as its source does.
            let source_columns = theirs.first().map_or(0, |header| cell_count(source.text(), header));
            if count <= source_columns && blank_from(text, row, &pipes, expected) {
                continue;
            }
            let places = separator_places(text, row, &pipes);
            let own: Vec<(usize, &Place)> =
                pipes.iter().copied().zip(&places).filter(|(_, place)| **place != Place::Lookup).collect();
            if own.len() <= expected {
                continue;
            }
            // The culprit: a separator inside an open segment span, else the
            // first of the copy's own separators past the source's count.
            let in_span = own.iter().find(|(_, place)| matches!(place, Place::Span(_)));
            let culprit = in_span.or_else(|| own.get(expected));
            let span = culprit.map_or(row.clone(), |(at, _)| *at..*at + 1);
            let place = match culprit {
                Some((_, Place::Span(Some(id)))) => format!("inside segment {}", quoted(id)),
                _ => "in a cell's text".to_string(),
            };
            let effect = if pipes.len() > columns {
                format!("the table shows its first {columns} only, so the text after the `|` is not on the page")
            } else {
                "the cells after it move one column right".to_string()
            };
            out.report(
                copy,
                span,
                format!(
                    "a `|` {place} splits this table row: it has {} cells, the source's row {expected}; {effect}",
                    pipes.len()
                ),
            )
            .label("this `|` starts a new cell")
            .help("write the `|` as `\\|` (or a full-width `｜`) so that it stays text")
            .also(row.clone(), BROKEN_BLOCK)
            .related(source, source_row.clone(), "the source's row");
            reported.push(row.clone());
        }
    }
    reported
}

/// Where a cell separator of a table row sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Outside any `<span>`.
    Text,
    /// Inside an open `<span>` that is not a lookup span, with the id of the
    /// innermost segment span there.
    Span(Option<String>),
    /// Inside an `sxs-lookup` span: the source's text at translation time.
    Lookup,
}

/// How many cells `cells` finds in the row, without collecting them.
fn cell_count(text: &str, row: &Range<usize>) -> usize {
    let line = text.get(row.clone()).unwrap_or("");
    let bytes = line.as_bytes();
    let separators = memchr::memchr_iter(b'|', bytes).filter(|&i| i == 0 || bytes[i - 1] != b'\\').count();
    let trailing = line.trim_end().ends_with('|') && !line.trim_end().ends_with("\\|");
    let leading = line.trim_start().starts_with('|');
    separators - usize::from(trailing && separators > 0) + usize::from(!leading)
}

/// Whether the cells of `row` (starting at `pipes`, as [`cells`] finds
/// them) from the `first`th on are all blank.
fn blank_from(text: &str, row: &Range<usize>, pipes: &[usize], first: usize) -> bool {
    let line = text.get(row.clone()).unwrap_or("");
    let line_end = row.start + line.trim_end().len();
    // A trailing `|` closes the last cell.
    let cells_end = if line.trim_end().ends_with('|') { line_end - 1 } else { line_end };
    (first..pipes.len()).all(|index| {
        let start = pipes[index] + 1;
        let end = pipes.get(index + 1).copied().unwrap_or(cells_end);
        text.get(start..end).is_some_and(|cell| cell.trim().is_empty())
    })
}

/// Offsets of the `|` that start each cell of a table row (GFM: a leading
/// and a trailing `|` are optional, `\|` is text).
fn cells(text: &str, row: &Range<usize>) -> Vec<usize> {
    let line = text.get(row.clone()).unwrap_or("");
    let bytes = line.as_bytes();
    let mut separators: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .map(|i| row.start + i)
        .collect();
    if line.trim_end().ends_with('|') && !line.trim_end().ends_with("\\|") {
        separators.pop();
    }
    if !line.trim_start().starts_with('|') {
        // A row without a leading pipe: its first cell starts the line.
        separators.insert(0, row.start);
    }
    separators
}

/// The place of each separator of `row` (`pipes`, in order): whether it
/// sits in an open `<span>` of the row, and which.
fn separator_places(text: &str, row: &Range<usize>, pipes: &[usize]) -> Vec<Place> {
    let Some(line) = text.get(row.clone()) else {
        return vec![Place::Text; pipes.len()];
    };
    // Each open span: whether it is (or is inside) a lookup, and its
    // segment id.
    let mut open: Vec<(bool, Option<&str>)> = Vec::new();
    let mut tags = html::tags(line).filter(|tag| tag.is("span") && !tag.self_closing).peekable();
    let mut places = Vec::with_capacity(pipes.len());
    for &pipe in pipes {
        while let Some(tag) = tags.next_if(|tag| row.start + tag.span.start < pipe) {
            if tag.closing {
                open.pop();
                continue;
            }
            let in_lookup = open.last().is_some_and(|(lookup, _)| *lookup)
                || tag.attribute("data-stu-id").is_some()
                || tag
                    .attribute("class")
                    .is_some_and(|class| class.value.split_whitespace().any(|c| c == "sxs-lookup"));
            open.push((in_lookup, tag.attribute("data-ttu-id").map(|id| id.value)));
        }
        places.push(match open.last() {
            None => Place::Text,
            Some((true, _)) => Place::Lookup,
            Some((false, _)) => Place::Span(open.iter().rev().find_map(|(_, id)| *id).map(str::to_string)),
        });
    }
    places
}

/// HTML blocks of the copy that start with a segment's opening tag alone
/// on its line: CommonMark reads such a line as the start of an HTML block,
/// and Markdown in it up to the next blank line is shown as typed. Returns
/// the blocks reported.
fn tag_lines(copy: &Document, out: &mut Emitter<'_>) -> Vec<Range<usize>> {
    let mut reported = Vec::new();
    let text = copy.text();
    for block in &copy.facts.html_blocks {
        let raw = text.get(block.clone()).unwrap_or("");
        let first_line = raw.lines().next().unwrap_or("").trim();
        let Some(tag) = html::tags(first_line).next() else {
            continue;
        };
        let is_segment_tag = tag.is("span")
            && !tag.closing
            && tag.span == (0..first_line.len())
            && (tag.attribute("data-ttu-id").is_some()
                || tag.attribute("data-stu-id").is_some()
                || tag.attribute("class").is_some_and(|class| class.value.contains("sxs-lookup")));
        // The source has no segment markup, so it never has this block.
        if !is_segment_tag {
            continue;
        }
        let tag_start = block.start + raw.find(first_line).unwrap_or(0);
        let shown = match literal_links(raw).next() {
            Some(target) => format!(", so the link to {} in it is not a link", quoted(target)),
            None => String::new(),
        };
        out.report(
            copy,
            tag_start..tag_start + first_line.len(),
            format!("this tag alone on its line starts an HTML block: its Markdown up to the next blank line is shown as typed{shown}"),
        )
        .label("a line with only an opening tag starts an HTML block")
        .help("keep the segment's text on the same line as its opening tag (join the two lines)")
        .also(trimmed(text, block.clone()), BROKEN_BLOCK);
        reported.push(block.clone());
    }
    reported
}

/// Link destinations written as `](target)` in `text`.
fn literal_links(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("](").filter_map(move |(at, _)| {
        let rest = &text[at + 2..];
        let end = rest.find([')', ' ', '\n'])?;
        Some(rest[..end].trim_start_matches('<').trim_end_matches('>')).filter(|target| !target.is_empty())
    })
}

/// The copy's link targets written as text: each `](target` or
/// `] (target` (a translation's `[ガイド] (guide.md)`, spaces parting `]`
/// from `(`) that Markdown did not read as a link, by target, with where
/// its `]` is and how many spaces follow it. Not counted: what the page
/// does not show as Markdown by design (code, HTML comments, where writers
/// park old paragraphs, links and all, and the source's text in lookup
/// spans) and the `explained` spans (a broken row or HTML block). One pass
/// over the `]` of the copy; each target is read for [`MAX_DESTINATION`]
/// bytes at most, so a hostile line of `](` without `)` is not read to its
/// end from each.
pub(super) fn literal_targets(copy: &Document, explained: Vec<Range<usize>>) -> HashMap<&str, Vec<(usize, usize)>> {
    let text = copy.text();
    let bytes = text.as_bytes();
    let parsed_starts: rustc_hash::FxHashSet<usize> = copy.facts.links.iter().map(|link| link.span.start).collect();
    let segments = &copy.facts.segments;
    let lookups = segments.pairs.iter().map(|pair| &pair.lookup).chain(&segments.unpaired);
    let comment_blocks = copy
        .facts
        .html_blocks
        .iter()
        .filter(|block| text.get((*block).clone()).is_some_and(|html| html.trim_start().starts_with("<!--")));
    let skipped = disjoint(
        explained
            .into_iter()
            .chain(copy.facts.code_blocks.iter().map(|block| block.span.clone()))
            .chain(comment_blocks.cloned())
            .chain(copy.facts.comments.iter().cloned())
            .chain(lookups.filter(|span| span.side == Side::Lookup).map(|span| span.content.clone()))
            .collect(),
    );
    let is_skipped = |at: usize| {
        let index = skipped.partition_point(|range| range.start <= at);
        index > 0 && skipped[index - 1].end > at
    };
    let mut literal: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
    // memchr, not `match_indices`: this reads every copy's whole text, and
    // the standard library's search cost 4 % of a clean tree's lint.
    for at in memchr::memchr_iter(b']', bytes) {
        let spaces = bytes[at + 1..].iter().take_while(|&&byte| byte == b' ').count();
        let target_start = at + 2 + spaces;
        if bytes.get(target_start - 1) != Some(&b'(') || parsed_starts.contains(&target_start) || is_skipped(at) {
            continue;
        }
        let window = &bytes[target_start..(target_start + MAX_DESTINATION).min(bytes.len())];
        let Some(target) = destination_length(window).and_then(|length| text.get(target_start..target_start + length))
        else {
            continue;
        };
        literal.entry(target).or_default().push((at, spaces));
    }
    literal
}

/// The length of a link destination at the start of `rest`, as CommonMark
/// reads one: up to whitespace or the `)` that closes it, with balanced
/// parentheses inside (`Unix_(OS)`); `None` when `rest` ends first.
fn destination_length(rest: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (at, &byte) in rest.iter().enumerate() {
        match byte {
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(at),
            b')' => depth -= 1,
            byte if byte.is_ascii_whitespace() => return Some(at),
            _ => {}
        }
    }
    None
}

/// Inline links of the source that the copy has as text (`](target)` that
/// did not parse): says what kept the link from parsing.
fn unlinked_targets<'d>(source: &'d Document, copy: &'d Document, explained: Vec<Range<usize>>, out: &mut Emitter<'_>) {
    let text = copy.text();
    let literal = literal_targets(copy, explained);
    if literal.is_empty() {
        return;
    }
    let counts = |document: &'d Document| {
        let mut counts: HashMap<&'d str, usize> = HashMap::default();
        for link in &document.facts.links {
            *counts.entry(link.destination.trim()).or_default() += 1;
        }
        counts
    };
    let (source_counts, copy_counts) = (counts(source), counts(copy));
    let mut reported = rustc_hash::FxHashSet::default();
    for link in source.facts.links.iter().filter(|link| link.kind == LinkKind::Inline) {
        let target = link.destination.trim();
        let Some(places) = literal.get(target) else {
            continue;
        };
        let count = |counts: &HashMap<&str, usize>| counts.get(target).copied().unwrap_or(0);
        if count(&copy_counts) >= count(&source_counts) || !reported.insert(target) {
            continue;
        }
        for &(at, spaces) in places {
            // From the `]` to the `(`, spaces and all.
            let joint = at..at + 2 + spaces;
            // Link text is short: reading back a bounded stretch keeps a
            // hostile line of many broken links from being read once each.
            let mut window = at.saturating_sub(LOOK_BACK);
            while !text.is_char_boundary(window) {
                window += 1;
            }
            let line_start = text[window..at].rfind('\n').map_or(window, |newline| window + newline + 1);
            let before = &text[line_start..at];
            let (span, message, help) = match stray_bracket(before) {
                None if holds_a_link(before) => (
                    joint.clone(),
                    format!(
                        "the link to {} is shown as text: its text holds another link, which Markdown does not allow",
                        quoted(target)
                    ),
                    "keep one link here, as in the source: unlink the words inside the link text",
                ),
                Some(bracket) => (
                    line_start + bracket..line_start + bracket + 1,
                    format!("this `]` ends the link text early: the link to {} is shown as text", quoted(target)),
                    "move the `]` to the end of the link text, or write it as `\\]`",
                ),
                None => {
                    let target_span = joint.end..joint.end + target.len();
                    match opening_bracket(before) {
                        Some(bracket) if before[..bracket].ends_with('\\') => (
                            line_start + bracket - 1..line_start + bracket + 1,
                            format!("the link to {} is shown as text: its `[` is escaped", quoted(target)),
                            "remove the `\\` before `[`, as in the source",
                        ),
                        Some(_) if !closes_destination(&text[target_span.end..]) => (
                            target_span,
                            format!("the link to {} is shown as text: its `)` is missing", quoted(target)),
                            "end the link's target with `)`, as in the source",
                        ),
                        // A backtick before the `[` that the line closes
                        // later: the link is in a code span.
                        Some(bracket) if before[..bracket].matches('`').count() % 2 == 1 => (
                            joint.clone(),
                            format!(
                                "the link to {} is shown as code: a backtick before its `[` opens a code span",
                                quoted(target)
                            ),
                            "put the backticks inside the link text, as in the source",
                        ),
                        Some(_) if spaces > 0 => (
                            joint.clone(),
                            format!(
                                "the link to {} is shown as text: a space parts its `]` from its `(`",
                                quoted(target)
                            ),
                            "remove the space between `]` and `(`, as in the source",
                        ),
                        Some(_) => (
                            joint.clone(),
                            format!("the link to {} is shown as text", quoted(target)),
                            "write the link as the source does",
                        ),
                        None => (
                            joint.clone(),
                            format!("the link to {} is shown as text: its `[` is missing", quoted(target)),
                            "put `[` before the link text, as in the source",
                        ),
                    }
                }
            };
            let line_end = bounded_line_end(text, at);
            out.report(copy, span, message)
                .label(BREAKS_THE_LINK)
                .help(help)
                .also(trimmed(text, line_start..line_end), BROKEN_BLOCK)
                .related(source, link.span.clone(), "the source's link");
        }
    }
}

/// How far a link destination written as text is read, in bytes: longer
/// than any address a page links.
const MAX_DESTINATION: usize = 2048;

/// How far back from a link's `](` its text is looked for, in bytes.
const LOOK_BACK: usize = 1024;

/// The end of the line at `at`, or `LOOK_BACK` bytes on when the line is
/// longer (a char boundary).
fn bounded_line_end(text: &str, at: usize) -> usize {
    let mut limit = (at + LOOK_BACK).min(text.len());
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    text[at..limit].find('\n').map_or(limit, |end| at + end)
}

/// Whether the link text that ends where `before` ends opens at a `[` and
/// holds a whole link `[…](…)`: CommonMark allows no link inside a link's
/// text, so the outer link is shown as text although its `[` is there
/// (machine translation moved a link into another's text).
fn holds_a_link(before: &str) -> bool {
    opening_bracket(before).is_some_and(|at| before[at..].contains("]("))
}

/// In the text of a line before a link's `](`, the `[` that opens its
/// text (nested bracket pairs skipped), if any.
fn opening_bracket(before: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in before.char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => return Some(at),
            '[' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether what follows a link's target (`after`) can still close it: a
/// `)`, or spaces and then a title or the `)`. Anything else (a word, the
/// line's end) leaves the `(` open and the link shown as text.
fn closes_destination(after: &str) -> bool {
    let line = after.split('\n').next().unwrap_or_default();
    matches!(line.trim_start_matches([' ', '\t']).chars().next(), Some(')' | '"' | '\'' | '('))
}

/// In the text of a line before a link's `](`, the `]` that closed its
/// opening `[` early: reading back, the link text has no `[` of its own,
/// and the nearest bracket pair took it. `None` when an unmatched `[` opens
/// the text (nested brackets are fine) or there is no pair.
fn stray_bracket(before: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut closing = None;
    let mut stray = None;
    for (at, c) in before.char_indices().rev() {
        match c {
            ']' => {
                depth += 1;
                if depth == 1 {
                    closing = Some(at);
                }
            }
            '[' if depth == 0 => return None,
            '[' => {
                depth -= 1;
                if depth == 0 && stray.is_none() {
                    stray = closing;
                }
            }
            _ => {}
        }
    }
    stray
}

/// Headings of the copy whose segment span is closed on a later line: the
/// line break ended the heading, and the rest of its text is a paragraph.
fn split_headings(copy: &Document, out: &mut Emitter<'_>) {
    let text = copy.text();
    for heading in &copy.facts.headings {
        let line_end = text[heading.span.end..].find('\n').map_or(text.len(), |end| heading.span.end + end);
        let first = copy.facts.segments.unpaired.partition_point(|span| span.tag_span.start < heading.span.start);
        let cut = copy.facts.segments.unpaired[first..]
            .iter()
            .take_while(|span| span.tag_span.end <= heading.span.end)
            .find(|span| !span.closed);
        let Some(cut) = cut else {
            continue;
        };
        // The rest of the heading is on the next line (only that line is
        // read: a hostile file may have many such headings and no blank line).
        let next_start = (line_end + 1).min(text.len());
        let paragraph_end = text[next_start..].find('\n').map_or(text.len(), |end| next_start + end);
        if !text[line_end..paragraph_end].contains("</span>") {
            continue;
        }
        out.report(
            copy,
            heading.span.end..line_end.max(heading.span.end),
            format!(
                "a line break inside segment {} ends this heading: the rest of its text is shown as a paragraph",
                quoted(cut.id(text))
            ),
        )
        .label("the heading ends here")
        .help("join the heading's lines into one")
        .also(trimmed(text, heading.span.start..paragraph_end), BROKEN_BLOCK);
    }
}

/// `ranges` sorted and merged where they overlap.
fn disjoint(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_unstable_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn trimmed(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = text.get(span.clone()).unwrap_or("");
    span.start..span.start + raw.trim_end().len()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Location, Related, SourceFile};

    #[test]
    fn cell_count_counts_what_cells_finds() {
        for row in ["| a | b |", "a | b", "| a \\| b |", "a \\|", "|", "||", "a", "", "  | a |  ", "\\|a|", "|a\\|"] {
            assert_eq!(cell_count(row, &(0..row.len())), cells(row, &(0..row.len())).len(), "{row:?}");
        }
    }

    const COPY: &str = "# Title\n\n| a | b |\n|---|---|\n| x | y | z |\n\nafter the table\n";

    fn at(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).unwrap();
        start..start + needle.len()
    }

    fn finding(rule: &'static str, path: &str, file: &Arc<SourceFile>, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Error,
            path: path.to_string(),
            locale: Some("ja-jp".to_string()),
            message: format!("{rule} message"),
            help: None,
            location: Some(Location { file: file.clone(), span, label: None }),
            related: None,
            secondary: Vec::new(),
            fix: None,
            handoff: None,
        }
    }

    /// A `markdown-broken` finding on the `|` before `z` that marks the row.
    fn broken_row(path: &str, file: &Arc<SourceFile>) -> Diagnostic {
        let mut diagnostic = finding(RULE.name, path, file, at(COPY, "| z").start..at(COPY, "| z").start + 1);
        diagnostic.secondary.push((at(COPY, "| x | y | z |"), BROKEN_BLOCK.to_string()));
        diagnostic
    }

    fn rules(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
        diagnostics.iter().map(|d| (d.rule, d.path.as_str())).collect()
    }

    #[test]
    fn a_finding_in_the_broken_block_becomes_a_note_of_the_cause() {
        let file = SourceFile::new("ja-jp/a.md".into(), COPY.into());
        let mut diagnostics = vec![
            finding("link-target-mismatch", "ja-jp/a.md", &file, at(COPY, "x")),
            broken_row("ja-jp/a.md", &file),
            finding("segment-unpaired", "ja-jp/a.md", &file, at(COPY, "z")),
        ];
        fold_consequences(&mut diagnostics);
        assert_eq!(rules(&diagnostics), [("markdown-broken", "ja-jp/a.md")]);
        let notes: Vec<_> =
            diagnostics[0].secondary.iter().map(|(span, label)| (span.clone(), label.as_str())).collect();
        assert_eq!(
            notes,
            [
                (at(COPY, "| x | y | z |"), BROKEN_BLOCK),
                (at(COPY, "x"), "hence link-target-mismatch: link-target-mismatch message"),
                (at(COPY, "z"), "hence segment-unpaired: segment-unpaired message"),
            ]
        );
    }

    #[test]
    fn link_targets_written_as_text_are_found_once_each_outside_code_and_comments() {
        let text = "[ガイド] (guide.md)を参照。[設定](setup.md)\n\n[x]  (guide.md)\n\n```\n[x](code.md)\n```\n\n\
                    <!-- [古い](old.md) -->\n\n[Unix](https://en.wikipedia.org/wiki/Unix_(OS)\n";
        let copy = Document::parse(std::path::Path::new("a.md"), "a.md".into(), "ja".into(), text.as_bytes());
        let literal = literal_targets(&copy, Vec::new());
        let mut targets: Vec<(&str, Vec<(usize, usize)>)> =
            literal.iter().map(|(target, places)| (*target, places.clone())).collect();
        targets.sort();
        // The parted link with one space and with two; not the link that
        // parsed, nor one in a code block or a comment; parentheses inside
        // a target are its own, as CommonMark reads them (that link lacks
        // its closing `)`).
        let second = text.find("[x]  (").unwrap() + "[x]".len() - 1;
        assert_eq!(
            targets,
            [
                ("guide.md", vec![(text.find("] (").unwrap(), 1), (second, 2)]),
                ("https://en.wikipedia.org/wiki/Unix_(OS)", vec![(text.find("](https").unwrap(), 0)]),
            ]
        );
    }

    /// A link of the copy shown as text folds the finding about its own
    /// target; another link the line lacks (its translator dropped it) is a
    /// finding of its own.
    #[test]
    fn a_link_shown_as_text_explains_its_own_target_only() {
        let file = SourceFile::new("ja-jp/a.md".into(), COPY.into());
        let source = SourceFile::new("en-us/a.md".into(), COPY.into());
        let related = |span: Range<usize>| Some(Related(Location { file: source.clone(), span, label: None }));
        let mut cause = finding(RULE.name, "ja-jp/a.md", &file, at(COPY, "x"));
        cause.location.as_mut().unwrap().label = Some(BREAKS_THE_LINK.to_string());
        cause.secondary.push((at(COPY, "| x | y | z |"), BROKEN_BLOCK.to_string()));
        cause.related = related(0..4);
        let mut its_own = finding("link-target-mismatch", "ja-jp/a.md", &file, at(COPY, "y"));
        its_own.related = related(0..4);
        let mut dropped = finding("link-target-mismatch", "ja-jp/a.md", &file, at(COPY, "z"));
        dropped.related = related(10..14);
        let mut diagnostics = vec![cause, its_own, dropped];
        fold_consequences(&mut diagnostics);
        assert_eq!(rules(&diagnostics), [("markdown-broken", "ja-jp/a.md"), ("link-target-mismatch", "ja-jp/a.md")]);
        assert_eq!(diagnostics[1].location.as_ref().unwrap().span, at(COPY, "z"));
        assert_eq!(diagnostics[0].secondary.len(), 2, "{:?}", diagnostics[0].secondary);
    }

    #[test]
    fn findings_outside_the_block_or_in_another_file_stay() {
        let file = SourceFile::new("ja-jp/a.md".into(), COPY.into());
        let other = SourceFile::new("ko-kr/a.md".into(), COPY.into());
        let mut diagnostics = vec![
            broken_row("ja-jp/a.md", &file),
            finding("heading-structure-mismatch", "ja-jp/a.md", &file, at(COPY, "# Title")),
            finding("segment-gap", "ja-jp/a.md", &file, at(COPY, "after the table")),
            finding("segment-unpaired", "ko-kr/a.md", &other, at(COPY, "z")),
        ];
        fold_consequences(&mut diagnostics);
        assert_eq!(
            rules(&diagnostics),
            [
                ("markdown-broken", "ja-jp/a.md"),
                ("heading-structure-mismatch", "ja-jp/a.md"),
                ("segment-gap", "ja-jp/a.md"),
                ("segment-unpaired", "ko-kr/a.md"),
            ]
        );
        assert_eq!(diagnostics[0].secondary.len(), 1, "no note was added: {:?}", diagnostics[0].secondary);
    }

    #[test]
    fn each_consequence_goes_to_the_block_it_lies_in() {
        let text = "| a | b |\n|---|---|\n| x | y | z |\n\npara [one] two](t.md)\n";
        let file = SourceFile::new("ja-jp/b.md".into(), text.into());
        let mut row = finding(RULE.name, "ja-jp/b.md", &file, at(text, "| z").start..at(text, "| z").start + 1);
        row.secondary.push((at(text, "| x | y | z |"), BROKEN_BLOCK.to_string()));
        let mut link = finding(RULE.name, "ja-jp/b.md", &file, at(text, "] two"));
        link.secondary.push((at(text, "para [one] two](t.md)"), BROKEN_BLOCK.to_string()));
        let mut diagnostics = vec![
            row,
            link,
            finding("link-target-mismatch", "ja-jp/b.md", &file, at(text, "t.md")),
            finding("segment-unpaired", "ja-jp/b.md", &file, at(text, "y")),
        ];
        fold_consequences(&mut diagnostics);
        assert_eq!(rules(&diagnostics), [("markdown-broken", "ja-jp/b.md"), ("markdown-broken", "ja-jp/b.md")]);
        assert_eq!(diagnostics[0].secondary[1].1, "hence segment-unpaired: segment-unpaired message");
        assert_eq!(diagnostics[1].secondary[1].1, "hence link-target-mismatch: link-target-mismatch message");
        assert_eq!(diagnostics[0].secondary.len(), 2);
        assert_eq!(diagnostics[1].secondary.len(), 2);
    }

    #[test]
    fn without_a_broken_block_nothing_is_folded() {
        let file = SourceFile::new("ja-jp/a.md".into(), COPY.into());
        // A markdown-broken finding whose other labels do not mark a block.
        let mut cause = finding(RULE.name, "ja-jp/a.md", &file, at(COPY, "z"));
        cause.secondary.push((at(COPY, "| x | y | z |"), "some other label".to_string()));
        let mut diagnostics = vec![cause, finding("segment-unpaired", "ja-jp/a.md", &file, at(COPY, "y"))];
        fold_consequences(&mut diagnostics);
        assert_eq!(rules(&diagnostics), [("markdown-broken", "ja-jp/a.md"), ("segment-unpaired", "ja-jp/a.md")]);
    }

    fn places(line: &str) -> Vec<Place> {
        let row = 0..line.len();
        separator_places(line, &row, &cells(line, &row))
    }

    #[test]
    fn separators_in_lookup_spans_are_the_sources() {
        let line = r#"| <span data-ttu-id="1-1">a `<x|y>`</span><span class="sxs-lookup"><span data-stu-id="1-1">a `<x|y>`</span></span> |"#;
        assert_eq!(places(line), [Place::Text, Place::Span(Some("1-1".to_string())), Place::Lookup]);
        assert_eq!(places("| a | b |"), [Place::Text, Place::Text]);
    }

    #[test]
    fn cells_follow_gfm_pipes() {
        let text = "| a | b \\| c |";
        assert_eq!(cells(text, &(0..text.len())).len(), 2);
        let text = "a | b";
        assert_eq!(cells(text, &(0..text.len())).len(), 2);
    }

    #[test]
    fn a_destination_is_closed_by_a_parenthesis_or_a_title() {
        assert!(closes_destination(") and more"));
        assert!(closes_destination("  \"Title\")"));
        assert!(!closes_destination(" and more words)"));
        assert!(!closes_destination("\nnext line)"));
        assert_eq!(opening_bracket("see [[nested] label"), Some(4));
        assert_eq!(opening_bracket("see label"), None);
    }

    #[test]
    fn a_bracket_that_closes_the_link_text_early_is_found() {
        let before = "see [Posting] roles";
        assert_eq!(stray_bracket(before), Some(before.find(']').unwrap()));
        assert_eq!(stray_bracket("see [[Label] roles"), None);
        assert_eq!(stray_bracket("see roles"), None);
    }
}
