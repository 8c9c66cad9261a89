//! `segment-stale`: a segment's source text is gone from the current source.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::substrings::SubstringIndex;
use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::frontmatter::FrontMatterProblem;
use crate::document::segments::Segment;
use crate::document::text::{plain_text_for_segments, segment_plain_text};
use crate::document::Document;
use crate::history::Handoff;

pub static RULE: Rule = Rule {
    name: "segment-stale",
    group: RuleGroup::Segments,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a segment's source text no longer occurs in the current source",
    options: &[],
    doc: include_str!("../../rules/segment-stale.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(source) = group.checked_source() else {
        return;
    };
    // The current source's plain text without whitespace, built once for
    // all of its copies compared with it.
    let mut source_squeezed: Option<String> = None;
    // Every locale of a handoff has the same lookup texts: each is looked
    // up in the current source once per group, not once per copy. `None`:
    // the source has it; else its plain text, for the message.
    let mut in_current_source: HashMap<&str, Option<Rc<str>>> = HashMap::default();
    for copy in group.checked_copies() {
        if copy.facts.segments.pairs.is_empty() || !matches!(group.handoff(copy), Handoff::Stale(_)) {
            continue;
        }
        // With history, a stale copy is judged against the source it was
        // translated from: a lookup text that version lacks was edited by
        // hand. What the source changed since is stale-hash's diff.
        let handoff = group.handoff(copy).found();
        let mut handoff_verdicts = HashMap::default();
        let handoff_squeezed;
        // Compared without whitespace: the pipeline writes "**term** ." for
        // "**term**." and "`install`command" for "`install` command".
        let (compared, what, verdicts): (&str, String, &mut HashMap<&str, Option<Rc<str>>>) = match handoff {
            Some(found) => {
                handoff_squeezed = comparison_form(&plain_text_for_segments(found.source.text()));
                (
                    &handoff_squeezed,
                    format!("the source it was translated from ({})", crate::history::short(&found.commit)),
                    &mut handoff_verdicts,
                )
            }
            // Only copies of an older handoff pay for the source's plain text.
            // The whole source, front matter included: a `title:` can be a segment.
            None => (
                source_squeezed.get_or_insert_with(|| comparison_form(&plain_text_for_segments(source.text()))),
                "the source".to_string(),
                &mut in_current_source,
            ),
        };
        let lookups: Vec<&str> = copy.facts.segments.pairs.iter().map(|pair| lookup_markdown(copy, pair)).collect();
        let unknown: Vec<(&str, String)> = lookups
            .iter()
            .filter(|lookup| !verdicts.contains_key(*lookup))
            .map(|&lookup| (lookup, squeezed_lookup(lookup)))
            .collect();
        let longest = unknown.iter().map(|(_, squeezed)| squeezed.len()).max().unwrap_or(0);
        // Thousands of lookups in a large text: one index, not one search
        // of the text per lookup (20,000 in a 2 MB source took 35 s).
        let index = SubstringIndex::new(compared, unknown.len(), longest);
        for (lookup, squeezed) in unknown {
            let gone = !squeezed.is_empty() && !index.contains(&squeezed);
            // The lookup texts are shown only for the segments found outdated.
            verdicts.entry(lookup).or_insert_with(|| gone.then(|| segment_plain_text(lookup).into()));
        }
        // Segments of a front matter that is not YAML are the pipeline's
        // re-serialized keys run together (`title: "…" description: …`),
        // not the source's text: frontmatter-invalid reports the block.
        let broken_front_matter = matches!(
            copy.front_matter.problem,
            Some(FrontMatterProblem::InvalidYaml { .. } | FrontMatterProblem::NotMapping { .. })
        )
        .then_some(copy.front_matter.yaml_span.clone());
        let outdated = copy
            .facts
            .segments
            .pairs
            .iter()
            .zip(&lookups)
            .filter(|(pair, _)| {
                broken_front_matter.as_ref().is_none_or(|yaml| !yaml.contains(&pair.translated.tag_span.start))
            })
            .filter_map(|(pair, lookup)| Some((pair, verdicts.get(lookup)?.clone()?)));
        if handoff.is_none() && !group.compare_stale_with_current {
            // Without the handoff version, what changed is the source, not
            // the copy: one to-do for the next translation, at `info`;
            // `stale-hash` is the copy's warning. With history turned off on
            // purpose, every segment stays a finding of its own (below).
            report_outdated_together(out, copy, outdated.collect());
            continue;
        }
        for (pair, lookup) in outdated {
            let (message, label, help) = match handoff {
                Some(_) => (
                    format!(
                        "source text of segment `{}` is not in {what}: \"{lookup}\"",
                        pair.translated.id(copy.text())
                    ),
                    "its lookup text differs from the source it was translated from",
                    "restore the segment's source text from the handoff, or re-translate it from the current source",
                ),
                None => (
                    format!(
                        "source text of segment `{}` is no longer in {what}: \"{lookup}\"",
                        pair.translated.id(copy.text())
                    ),
                    "translated from text the source no longer has",
                    "re-translate this segment from the current source",
                ),
            };
            out.report(copy, pair.translated.content.clone(), message).label(label).help(help);
        }
    }
}

/// Segments named in the one finding of a copy whose handoff is unknown.
const NAMED: usize = 3;

/// One `info` for a stale copy's segments the source no longer has, at the
/// first of them, naming a few.
fn report_outdated_together(out: &mut Emitter<'_>, copy: &Document, outdated: Vec<(&Segment, Rc<str>)>) {
    let Some((first, _)) = outdated.first() else {
        return;
    };
    let named: Vec<String> = outdated
        .iter()
        .take(NAMED)
        .map(|(pair, lookup)| format!("`{}` \"{lookup}\"", pair.translated.id(copy.text())))
        .collect();
    let more = match outdated.len().saturating_sub(NAMED) {
        0 => String::new(),
        rest => format!(" and {rest} more"),
    };
    let message = match outdated.len() {
        1 => format!("1 segment was translated from text the source no longer has: {}", named.join(", ")),
        count => {
            format!("{count} segments were translated from text the source no longer has: {}{more}", named.join(", "))
        }
    };
    out.report(copy, first.translated.content.clone(), message)
        .label("the first of them")
        .help("re-translate them from the current source; without the version the copy was translated from, `--no-history` lists each one")
        .at_most(Severity::Info);
}

/// The Markdown of a segment's lookup (source) text.
fn lookup_markdown<'d>(copy: &'d Document, pair: &Segment) -> &'d str {
    &copy.text()[pair.lookup.content.clone()]
}

/// `segment_plain_text(markdown)` in its comparison form. Most lookups are
/// a plain sentence: one line that starts with a letter and has no
/// character Markdown or HTML gives a meaning, whose plain text is itself,
/// whitespace folded. They skip the Markdown parser (a parse per segment of
/// every side-by-side copy was the rule's main cost).
fn squeezed_lookup(markdown: &str) -> String {
    if is_plain_sentence(markdown) {
        comparison_form(markdown)
    } else {
        comparison_form(&segment_plain_text(&without_cut_opener(markdown)))
    }
}

/// The lookup without the opener of an image that the segment's end cut
/// off (`… ![Screenshot of the page`, its `](…)` after the span): the
/// source's plain text has the image's text, not its `![`. A lone `[` stays:
/// it is text as often (`[1,2)`, a range of versions).
fn without_cut_opener(markdown: &str) -> std::borrow::Cow<'_, str> {
    match markdown.rfind("![") {
        Some(open) if !markdown[open..].contains(']') => {
            format!("{}{}", &markdown[..open], &markdown[open + 2..]).into()
        }
        _ => markdown.into(),
    }
}

fn is_plain_sentence(markdown: &str) -> bool {
    const SYNTAX: &[u8] = b"\\&<>*_`[]!|~";
    markdown.chars().next().is_some_and(char::is_alphabetic)
        && markdown.bytes().all(|byte| !byte.is_ascii_control() && !SYNTAX.contains(&byte))
}

/// The text as compared: what the pipeline rewrites when it copies source
/// text into a lookup span is left out, so that only wording counts.
/// - whitespace (it adds and drops spaces around markup);
/// - `*`, `_` and `\\`: a space added or dropped decides whether asterisks
///   are emphasis (the source's literal `x*[hex]*` is the copy's emphasized
///   `x *[hex]*`), and a line-ending backslash is a hard break in the source
///   but literal text before `</span>`;
/// - placeholders such as `<server name>`: the source's inside an HTML cell
///   reads as a tag, the lookup's `&lt;server name&gt;` as text;
/// - typographic quotes, written as straight quotes (`&quot;`);
/// - zero-width spaces and joiners and soft hyphens, which it drops
///   (HoloLens docs: `list\u{200B} (Start > All apps)`).
fn comparison_form(text: &str) -> String {
    // The text between the characters left out or rewritten is copied a
    // run at a time, not pushed a character at a time.
    let mut squeezed = String::with_capacity(text.len());
    let mut run_start = 0;
    for (at, c) in text.char_indices() {
        let replacement = match c {
            '*' | '_' | '\\' => "",
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => "",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
            c if c.is_whitespace() => "",
            _ => continue,
        };
        squeezed.push_str(&text[run_start..at]);
        squeezed.push_str(replacement);
        run_start = at + c.len_utf8();
    }
    squeezed.push_str(&text[run_start..]);
    if !squeezed.contains('<') {
        return squeezed;
    }
    let mut compared = String::with_capacity(squeezed.len());
    let mut rest = squeezed.as_str();
    while let Some(open) = rest.find('<') {
        compared.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A placeholder such as `<server name>`, or a bare closing tag
        // (`instance.\</span>`: the backslash makes the span's end text):
        // words only, no attribute (`=`, quotes), so that a real tag or a
        // `<` that a segment boundary cut off stays text on both sides.
        let name = after.strip_prefix('/').unwrap_or(after);
        let end = name
            .char_indices()
            .take(64)
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '/' | ':')))
            .filter(|&(_, c)| c == '>' && name.starts_with(|c: char| c.is_ascii_alphabetic()))
            .map(|(at, c)| (at + after.len() - name.len(), c));
        match end {
            Some((at, _)) => rest = &after[at + 1..],
            None => {
                compared.push('<');
                rest = after;
            }
        }
    }
    compared.push_str(rest);
    compared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipeline_s_rewrites_compare_equal() {
        let same = |source: &str, lookup: &str| assert_eq!(comparison_form(source), comparison_form(lookup));
        same("ID*[hex]*;", "ID *[hex]*;");
        same("Use /ACCOUNT=\u{201D}domain\\admin\u{201D}.", "Use /ACCOUNT=\"domain\\admin\".");
        same("Open http://:.", "Open http://<server name>:<port>.");
        same("Where < ticket number > is", "Where <ticket number> is");
        same("type the name.", "type the name.\\");
        same("type the name.", "type the name.</span>");
        same("in the **All apps** list\u{200B} (**Start**).", "in the All apps list (Start).");
        same("a re\u{AD}start\u{FEFF}", "a restart");
        assert_ne!(comparison_form("Open the app."), comparison_form("Close the app."));
        // Anything but a placeholder stays text: a tag with attributes, a
        // `<` that a segment boundary cut off, a comparison.
        assert_eq!(comparison_form("x < 1 and\ny > 2"), "x<1andy>2");
        assert_eq!(comparison_form("<Item Name=\"x\">"), "<ItemName=\"x\">");
        assert_eq!(comparison_form("remove the \"<! - -\" and \"-- >\""), "removethe\"<!--\"and\"-->\"");
    }

    #[test]
    fn a_link_opener_cut_off_by_the_segment_s_end_is_not_text() {
        assert_eq!(without_cut_opener("Set it.\n![Image that shows the page"), "Set it.\nImage that shows the page");
        assert_eq!(without_cut_opener("set allowedVersions to [1,2):"), "set allowedVersions to [1,2):");
        assert_eq!(without_cut_opener("See [the guide](a.md) and [b]"), "See [the guide](a.md) and [b]");
        assert_eq!(without_cut_opener("No brackets."), "No brackets.");
        assert_eq!(
            squeezed_lookup("**Set** it\n![Image that shows the page"),
            comparison_form(&plain_text_for_segments("**Set** it\n![Image that shows the page](media/page.png)"))
        );
    }

    #[test]
    fn runs_are_squeezed_as_each_character_is() {
        // What the first pass of `comparison_form` did a character at a time.
        let squeezed = |text: &str| -> String {
            text.chars()
                .filter_map(|c| match c {
                    '*' | '_' | '\\' => None,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => None,
                    '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => Some('"'),
                    '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Some('\''),
                    c if c.is_whitespace() => None,
                    c => Some(c),
                })
                .collect()
        };
        let pieces = [
            "", "a", "Ab", "*", "_", "\\", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{3000}",
            "\u{2028}", "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{201C}", "\u{2033}", "\u{2019}", "\u{2032}", "é", "請求",
            "\"", "'",
        ];
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let text = format!("{first}{second}x{third}{first}");
                    assert_eq!(comparison_form(&text), squeezed(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn plain_sentences_compare_as_their_parsed_plain_text() {
        let lookups = [
            "Sign in to Partner Center.",
            "Select  Billing,\tthen the invoice (PDF) you want; 100% done?",
            "顧客の請求書を表示します。",
            "Über die Rechnung\u{a0}: Kosten/Monat = 5 $ {x} #1 - 2 + 3 \"q\" 'a'",
            "See **your** [customer list](x.md), and `code`<br/>now",
            "1. first step",
            "- an item",
            "# Heading",
            "    indented code",
            "&amp; entity",
            "Tom &amp; Jerry",
            "a\\*b",
            "line one\nline two",
            "Setext\n===",
            "> quote",
            "| a | b |",
            "x\u{0}y",
            "",
            " leading space",
        ];
        for lookup in lookups {
            assert_eq!(squeezed_lookup(lookup), comparison_form(&segment_plain_text(lookup)), "{lookup:?}");
        }
        assert!(is_plain_sentence("Sign in to Partner Center."));
        assert!(!is_plain_sentence("See **your** list"), "emphasis is parsed");
        assert!(!is_plain_sentence("1. first step"), "a list item is parsed");
    }
}
