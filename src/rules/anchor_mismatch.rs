//! `anchor-mismatch`: the copy's explicit anchors differ from the source's.

use rustc_hash::FxHashSet as HashSet;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::Anchor;
use crate::error::did_you_mean;

pub static RULE: Rule = Rule {
    name: "anchor-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "explicit anchors (`<a name>`, `<a id>`, `{#id}`) differ from the source's",
    options: &[],
    doc: include_str!("../../rules/anchor-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        // The pipeline adds `<a name>` anchors derived from the source's
        // headings, so those slugs are anchors of the source too (SPEC §1).
        let source_anchors = source.anchors();
        let copy_anchors: HashSet<String> = copy.facts.anchors.iter().map(|a| a.name.to_lowercase()).collect();

        let mut reported = HashSet::default();
        for anchor in &copy.facts.anchors {
            let name = anchor.name.to_lowercase();
            if source_anchors.contains(&name) || !reported.insert(name.clone()) {
                continue;
            }
            let help = did_you_mean(&name, source_anchors.iter().map(String::as_str))
                .unwrap_or_else(|| "use the anchor the source has here, or remove it".to_string());
            out.report(copy, anchor.span.clone(), format!("anchor {} is not in the source", quoted(&anchor.name)))
                .label("not in the source")
                .help(help);
        }
        for anchor in &source.facts.anchors {
            if copy_anchors.contains(&anchor.name.to_lowercase()) || !reported.insert(anchor.name.to_lowercase()) {
                continue;
            }
            let span = counterpart_heading(source, anchor)
                .and_then(|index| copy.facts.headings.get(index))
                .map_or(copy.body_start..copy.body_start, |heading| heading.span.clone());
            out.report(copy, span, format!("anchor {} of the source is missing", quoted(&anchor.name)))
                .label("expected here")
                .help(format!("add `<a name=\"{}\"></a>` where the source has it", anchor.name))
                .related(source, anchor.span.clone(), "the source's anchor");
        }
    }
}

/// Index of the source heading that holds `anchor`, if any.
fn counterpart_heading(source: &crate::document::Document, anchor: &Anchor) -> Option<usize> {
    source
        .facts
        .headings
        .iter()
        .position(|heading| heading.span.start <= anchor.span.start && anchor.span.end <= heading.span.end)
}
