//! `segment-prefix-mixed`: more than one segment id prefix in one file.

use std::collections::BTreeMap;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "segment-prefix-mixed",
    group: RuleGroup::Segments,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "more than one segment id prefix in one file",
    options: &[],
    doc: include_str!("../../rules/segment-prefix-mixed.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for copy in group.checked_copies() {
        let segments = &copy.facts.segments;
        let spans = segments.pairs.iter().map(|pair| &pair.translated).chain(&segments.unpaired);
        // prefix → (count, first span)
        let mut prefixes: BTreeMap<&str, (usize, &crate::document::segments::SegmentSpan)> = BTreeMap::new();
        for span in spans {
            if let Some(prefix) = &span.prefix {
                let prefix = prefix.as_str();
                let entry = prefixes.entry(prefix).or_insert((0, span));
                entry.0 += 1;
                if span.tag_span.start < entry.1.tag_span.start {
                    entry.1 = span;
                }
            }
        }
        if prefixes.len() < 2 {
            continue;
        }
        let Some((&main, &(main_count, _))) =
            prefixes.iter().max_by_key(|(prefix, (count, _))| (*count, std::cmp::Reverse(*prefix)))
        else {
            continue;
        };
        for (prefix, (count, first)) in &prefixes {
            if *prefix == main {
                continue;
            }
            let segments_word = if *count == 1 { "segment" } else { "segments" };
            out.report(
                copy,
                first.id_span.clone(),
                format!(
                    "segment id prefix {} ({count} {segments_word}) differs from the file's prefix {} ({main_count})",
                    quoted(prefix),
                    quoted(main)
                ),
            )
            .label("other prefix")
            .help("segments pasted from another file or handoff; re-run the handoff for this file");
        }
    }
}
