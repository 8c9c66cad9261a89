//! `heading-structure-mismatch`: the copy's heading levels differ from the source's.

use super::{count, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "heading-structure-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "the sequence of heading levels differs from the source's",
    options: &[],
    doc: include_str!("../../rules/heading-structure-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        let ours = &copy.facts.headings;
        let theirs = &source.facts.headings;
        let Some(index) =
            (0..ours.len().max(theirs.len())).find(|&i| ours.get(i).map(|h| h.level) != theirs.get(i).map(|h| h.level))
        else {
            continue;
        };
        match (ours.get(index), theirs.get(index)) {
            (Some(heading), Some(expected)) => {
                out.report(
                    copy,
                    heading.span.clone(),
                    format!(
                        "heading {} is level {} but the source's is level {}",
                        index + 1,
                        heading.level,
                        expected.level
                    ),
                )
                .label(format!("expected {}", "#".repeat(expected.level as usize)))
                .help("keep the source's heading levels so the outline and anchors match")
                .related(source, expected.span.clone(), "the source's heading");
            }
            (None, Some(expected)) => {
                let span = ours.last().map_or(copy.body_start..copy.body_start, |h| h.span.clone());
                out.report(
                    copy,
                    span,
                    format!("copy has {} but the source has {}", count(ours.len(), "heading"), theirs.len()),
                )
                .label("last heading of the copy")
                .help(format!("translate the source's heading {} and the ones after it", index + 1))
                .related(source, expected.span.clone(), "first heading without a counterpart");
            }
            (Some(heading), None) => {
                out.report(
                    copy,
                    heading.span.clone(),
                    format!("copy has {} but the source has {}", count(ours.len(), "heading"), theirs.len()),
                )
                .label("not in the source")
                .help("remove headings the source does not have");
            }
            (None, None) => {}
        }
    }
}
