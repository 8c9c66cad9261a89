//! `segment-duplicate`: one segment id used twice in a file.

use rustc_hash::FxHashMap as HashMap;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "segment-duplicate",
    group: RuleGroup::Segments,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "a segment id appears twice in one file",
    options: &[],
    doc: include_str!("../../rules/segment-duplicate.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for copy in group.checked_copies() {
        let segments = &copy.facts.segments;
        let translated = segments
            .pairs
            .iter()
            .map(|pair| &pair.translated)
            .chain(segments.unpaired.iter().filter(|s| s.side == crate::document::segments::Side::Translated));
        let mut first_seen: HashMap<&str, std::ops::Range<usize>> = HashMap::default();
        let mut spans: Vec<_> = translated.collect();
        spans.sort_by_key(|span| span.tag_span.start);
        for span in spans {
            match first_seen.get(span.id(copy.text())) {
                Some(first) => {
                    out.report(
                        copy,
                        span.id_span.clone(),
                        format!("segment id {} appears twice", quoted(span.id(copy.text()))),
                    )
                    .label("second use")
                    .also(first.clone(), "first use")
                    .help("each segment needs its own id; restore the ids from the handoff");
                }
                None => {
                    first_seen.insert(span.id(copy.text()), span.id_span.clone());
                }
            }
        }
    }
}
