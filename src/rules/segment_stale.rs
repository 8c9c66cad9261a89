//! `segment-stale`: a segment's source text is gone from the current source.

use super::{handoff_is_current, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::text::plain_text;

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
    let mut source_text: Option<String> = None;
    for copy in group.checked_copies() {
        if copy.facts.segments.pairs.is_empty() || handoff_is_current(group, copy) != Some(false) {
            continue;
        }
        // Only copies of an older handoff pay for the source's plain text.
        // The whole source, front matter included: a `title:` can be a segment.
        let current = source_text.get_or_insert_with(|| plain_text(source.text()));
        for pair in &copy.facts.segments.pairs {
            let lookup = plain_text(&copy.text()[pair.lookup.content.clone()]);
            if lookup.is_empty() || current.contains(&lookup) {
                continue;
            }
            out.report(
                copy,
                pair.translated.content.clone(),
                format!("source text of segment `{}` is no longer in the source: \"{}\"", pair.translated.id, lookup),
            )
            .label("translated from text the source no longer has")
            .help("re-translate this segment from the current source");
        }
    }
}
