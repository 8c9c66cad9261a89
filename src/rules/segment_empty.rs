//! `segment-empty`: a segment whose translation is empty.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::text::segment_plain_text;

pub static RULE: Rule = Rule {
    name: "segment-empty",
    group: RuleGroup::Segments,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a segment's translated text is empty while its source text is not",
    options: &[],
    doc: include_str!("../../rules/segment-empty.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for copy in group.checked_copies() {
        for pair in &copy.facts.segments.pairs {
            let translated = &copy.text()[pair.translated.content.clone()];
            if !translated.trim().is_empty() {
                continue;
            }
            let source = segment_plain_text(&copy.text()[pair.lookup.content.clone()]);
            if source.is_empty() {
                continue;
            }
            out.report(
                copy,
                pair.translated.tag_span.clone(),
                format!("segment `{}` has no translation for \"{source}\"", pair.translated.id(copy.text())),
            )
            .label("empty translation")
            .help("translate the segment, or restore its text from the handoff");
        }
    }
}
