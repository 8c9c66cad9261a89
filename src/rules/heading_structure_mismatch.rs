//! `heading-structure-mismatch`: the copy's heading levels differ from the source's.

use super::align::{align_headings, block_line, heading_blocks, Place};
use super::{count, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::Heading;

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
    let same_levels =
        |ours: &[Heading], theirs: &[Heading]| ours.iter().map(|h| h.level).eq(theirs.iter().map(|h| h.level));
    for (source, copy) in group.pairs() {
        let (ours, theirs) = (&copy.facts.headings, &source.facts.headings);
        if same_levels(ours, theirs) {
            continue;
        }
        // Compared with the version it was translated from, a copy whose
        // headings are today's source's followed the source's changes since
        // (its handoff pin was not moved): nothing of it to report.
        if group.today_beside(source).is_some_and(|today| same_levels(ours, &today.facts.headings)) {
            continue;
        }
        let alignment = align_headings(source, copy);
        let counts = if ours.len() == theirs.len() {
            String::new()
        } else {
            format!("copy has {} but the source has {}: ", count(ours.len(), "heading"), theirs.len())
        };
        for &(index, copy_index) in alignment.replaced() {
            let (heading, expected) = (&ours[copy_index], &theirs[index]);
            if heading.level == expected.level {
                continue;
            }
            out.report(
                copy,
                heading.span.clone(),
                format!(
                    "{counts}heading {} is level {} but the source's is level {}",
                    copy_index + 1,
                    heading.level,
                    expected.level
                ),
            )
            .label(format!("expected {}", "#".repeat(expected.level as usize)))
            .help("keep the source's heading levels so the outline and anchors match")
            .related(source, expected.span.clone(), "the source's heading");
        }
        let (source_blocks, copy_blocks) = (heading_blocks(source), heading_blocks(copy));
        let missing: Vec<usize> =
            alignment.missing().filter(|&index| alignment.replacement_of(index).is_none()).collect();
        // A run of missing headings (an untranslated tail, an empty copy)
        // is one finding, placed where its first heading belongs.
        for run in missing.chunk_by(|a, b| a + 1 == *b) {
            let (index, last) = (run[0], run[run.len() - 1]);
            let expected = &theirs[index];
            let place = alignment.place(index, &source_blocks, &copy_blocks, copy.facts.block_starts.len());
            let (span, label) = match place {
                Place::After(previous) => (ours[previous].span.clone(), "expected after this heading"),
                Place::Before(next) => (ours[next].span.clone(), "expected before this heading"),
                Place::InBlock(block) => (block_line(copy, block), "expected here, as in the source"),
                Place::ReplacedBy(_) | Place::Start => (copy.body_start..copy.body_start, "expected in this copy"),
            };
            let which = if index == last {
                format!("the source's heading {} ({}) has", index + 1, "#".repeat(expected.level as usize))
            } else {
                format!("the source's headings {}–{} have", index + 1, last + 1)
            };
            out.report(copy, span, format!("{counts}{which} no counterpart"))
                .label(label)
                .help("translate the source's heading as a heading of the same level")
                .related(source, expected.span.clone(), "the source's heading");
        }
        for index in alignment.extra().filter(|&index| alignment.replaced_by(index).is_none()) {
            out.report(copy, ours[index].span.clone(), format!("{counts}heading {} is not in the source", index + 1))
                .label("not in the source")
                .help("remove headings the source does not have");
        }
    }
}
