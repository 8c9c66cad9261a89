//! `segment-unpaired`: a translated span without its lookup span, or the reverse.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::segments::{SegmentSpan, Side};

pub static RULE: Rule = Rule {
    name: "segment-unpaired",
    group: RuleGroup::Segments,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "a `data-ttu-id` span without a following `sxs-lookup` span of the same id, or the reverse",
    options: &[],
    doc: include_str!("../../rules/segment-unpaired.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for copy in group.checked_copies() {
        let unpaired = &copy.facts.segments.unpaired;
        for (index, span) in unpaired.iter().enumerate() {
            if !span.closed {
                // `\</span>`: the backslash makes the tag text (a `'T` that
                // machine translation turned into `\`).
                let escaped =
                    copy.text().get(span.content.clone()).is_some_and(|content| content.contains("\\</span>"));
                let (label, help) = if escaped {
                    (
                        "its `</span>` is written `\\</span>`, which Markdown shows as text",
                        "remove the `\\` before `</span>`: it makes the closing tag text",
                    )
                } else if closes_after_block(copy.text(), span) {
                    // The `</span>` is there: a line break ended the
                    // Markdown block (a heading, a table row), and inline
                    // HTML does not cross blocks. (A `|` in a table row
                    // does not end the segment: the row's cells are read
                    // as one.)
                    (
                        "no `</span>` before the end of this block",
                        "its `</span>` comes after the end of this Markdown block: keep the segment's text within \
                         one block (no line break)",
                    )
                } else {
                    (
                        "no `</span>` before the end of this block",
                        "close the span with `</span>` where the segment's text ends",
                    )
                };
                out.report(
                    copy,
                    span.tag_span.clone(),
                    format!("segment span {} is not closed", quoted(span.id(copy.text()))),
                )
                .label(label)
                .help(help);
                continue;
            }
            match span.side {
                Side::Translated => {
                    let next = unpaired.get(index + 1).filter(|next| is_adjacent_lookup(copy.text(), span, next));
                    // Its own lookup span follows, unclosed: that is the one
                    // problem, reported at the lookup span.
                    if next.is_some_and(|next| !next.closed && next.id(copy.text()) == span.id(copy.text())) {
                        continue;
                    }
                    let diagnostic = out
                        .report(
                            copy,
                            span.id_span.clone(),
                            format!(
                                "segment {} has no lookup span with the same id after it",
                                quoted(span.id(copy.text()))
                            ),
                        )
                        .label("translated text");
                    match next {
                        Some(next) => diagnostic
                            .also(next.id_span.clone(), format!("the lookup span after it is {}", quoted(next.id(copy.text()))))
                            .help("give both spans of the segment the same id"),
                        None if comment_swallows_lookup(copy.text(), span) => diagnostic.help(
                            "the translation opens a comment (`<!--`) that its own text does not end with `-->`: the \
                             comment runs on over the lookup span after it; end the comment with `-->`",
                        ),
                        None => diagnostic.help(
                            "follow the translation with `<span class=\"sxs-lookup\"><span data-stu-id=\"…\">source text</span></span>`",
                        ),
                    };
                }
                Side::Lookup => {
                    let paired_with_previous =
                        index.checked_sub(1).and_then(|previous| unpaired.get(previous)).is_some_and(|previous| {
                            // An unclosed translation swallows its own lookup span:
                            // that is one problem, already reported.
                            is_adjacent_lookup(copy.text(), previous, span)
                                || (previous.side == Side::Translated
                                    && !previous.closed
                                    && previous.id(copy.text()) == span.id(copy.text()))
                        });
                    if paired_with_previous {
                        continue;
                    }
                    out.report(
                        copy,
                        span.id_span.clone(),
                        format!("lookup span {} has no translated span before it", quoted(span.id(copy.text()))),
                    )
                    .label("source text without a translation")
                    .help("restore the `data-ttu-id` span before it, or remove the lookup span");
                }
            }
        }
    }
}

/// Whether a `</span>` follows the end of `span`'s block on the same line or
/// the next: the span is closed in the file, in another block (a table cell
/// split by a `|`, a heading split by a line break). Two lines at most, so
/// that many unclosed spans never read the file many times.
fn closes_after_block(text: &str, span: &SegmentSpan) -> bool {
    let rest = text.get(span.content.end..).unwrap_or("");
    let two_lines = rest.match_indices('\n').nth(1).map_or(rest, |(end, _)| &rest[..end]);
    two_lines.contains("</span>")
}

/// Whether `translated`'s text, on its line, opens a comment whose first
/// `-->` comes after a lookup span's opening tag: the comment hides the
/// lookup span, which is there in the file (a translated `-->` lost its
/// dashes).
fn comment_swallows_lookup(text: &str, translated: &SegmentSpan) -> bool {
    let rest = text.get(translated.content.start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let Some(opening) = line.find("<!--") else {
        return false;
    };
    let after = &line[opening + 4..];
    match (after.find("<span class=\"sxs-lookup\">"), after.find("-->")) {
        (Some(lookup), Some(closing)) => lookup < closing,
        _ => false,
    }
}

/// True when `lookup` comes right after `translated` (only the
/// `sxs-lookup` wrapper and spaces between them).
fn is_adjacent_lookup(text: &str, translated: &SegmentSpan, lookup: &SegmentSpan) -> bool {
    if translated.side != Side::Translated
        || lookup.side != Side::Lookup
        || lookup.tag_span.start < translated.content.end
    {
        return false;
    }
    let between = &text[translated.content.end..lookup.tag_span.start];
    let between = between.trim_start_matches("</span>").trim();
    between.is_empty() || (between.starts_with("<span") && between.contains("sxs-lookup") && between.ends_with('>'))
}
