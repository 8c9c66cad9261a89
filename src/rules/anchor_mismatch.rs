//! `anchor-mismatch`: the copy's explicit anchors differ from the source's.

use rustc_hash::FxHashSet as HashSet;

use super::align::{align, align_headings, block_line, block_of, Place};
use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::{Anchor, AnchorKind};
use crate::document::Document;
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

        // Placing a missing anchor needs both documents' headings and
        // anchors aligned; a copy that misses none (every clean copy) never
        // pays for that.
        let placement = std::cell::OnceCell::new();
        let placement = || {
            placement.get_or_init(|| {
                let headings = align_headings(source, copy);
                let source_names: Vec<String> = source.facts.anchors.iter().map(|a| a.name.to_lowercase()).collect();
                let copy_names: Vec<String> = copy.facts.anchors.iter().map(|a| a.name.to_lowercase()).collect();
                let anchors = align(&source_names, &copy_names);
                let blocks = |document: &Document| -> Vec<usize> {
                    document.facts.anchors.iter().map(|anchor| block_of(document, anchor.span.start)).collect()
                };
                (headings, anchors, blocks(source), blocks(copy))
            })
        };

        // Compared with the version it was translated from, an anchor of
        // the copy that today's source has followed the source's change
        // since (the copy's handoff pin was not moved); so did dropping one
        // today's source no longer has.
        let today = group.today_beside(source);
        let followed = |name: &str| today.is_some_and(|today| today.anchors().contains(name));

        let mut reported = HashSet::default();
        // Each suggestion compares with every anchor of the source: bounded
        // so that thousands of unknown anchors stay linear.
        let mut suggestions_left = MAX_SUGGESTIONS;
        for anchor in &copy.facts.anchors {
            let name = anchor.name.to_lowercase();
            if source_anchors.contains(&name)
                || followed(&name)
                || slugged_with_no_loc(&name, source_anchors)
                || !reported.insert(name.clone())
            {
                continue;
            }
            let suggestion = match suggestions_left.checked_sub(1) {
                Some(left) => {
                    suggestions_left = left;
                    did_you_mean(&name, source_anchors.iter().map(String::as_str))
                }
                None => None,
            };
            let help = suggestion.unwrap_or_else(|| "use the anchor the source has here, or remove it".to_string());
            out.report(copy, anchor.span.clone(), format!("anchor {} is not in the source", quoted(&anchor.name)))
                .label("not in the source")
                .help(help);
        }
        for (index, anchor) in source.facts.anchors.iter().enumerate() {
            let name = anchor.name.to_lowercase();
            // One today's source dropped too, the copy dropped with it.
            let dropped_since = || today.is_some_and(|today| !today.anchors().contains(&name));
            if copy_anchors.contains(&name) || dropped_since() || !reported.insert(name.clone()) {
                continue;
            }
            // In a heading: the copy's counterpart of that heading; else
            // beside the copy's counterparts of the anchors around it.
            let (headings, anchors, source_blocks, copy_blocks) = placement();
            let heading = counterpart_heading(source, anchor)
                .and_then(|index| headings.counterpart(index).or_else(|| headings.replacement_of(index)))
                .and_then(|index| copy.facts.headings.get(index));
            let (span, label) = match heading {
                Some(heading) => (heading.span.clone(), "expected in this heading"),
                None => match anchors.place(index, source_blocks, copy_blocks, copy.facts.block_starts.len()) {
                    Place::ReplacedBy(other) => {
                        (copy.facts.anchors[other].span.clone(), "the copy has this anchor instead")
                    }
                    Place::After(other) => (copy.facts.anchors[other].span.clone(), "expected after this anchor"),
                    Place::Before(other) => (copy.facts.anchors[other].span.clone(), "expected before this anchor"),
                    Place::InBlock(block) => (block_line(copy, block), "expected here, as in the source"),
                    Place::Start => (copy.body_start..copy.body_start, "expected in this copy"),
                },
            };
            out.report(copy, span, format!("anchor {} of the source is missing", quoted(&anchor.name)))
                .label(label)
                .help(match anchor.kind {
                    // The markup the source keeps this anchor with.
                    AnchorKind::HeadingAttribute => {
                        format!("end the heading with `{{#{}}}`, as the source does", anchor.name)
                    }
                    AnchorKind::HtmlId => format!("add `<a id=\"{}\"></a>` where the source has it", anchor.name),
                    AnchorKind::ElementId => {
                        format!("keep `id=\"{}\"` on the element where the source has it", anchor.name)
                    }
                    AnchorKind::HtmlName => format!("add `<a name=\"{}\"></a>` where the source has it", anchor.name),
                })
                .related(source, anchor.span.clone(), "the source's anchor");
        }
    }
}

/// Whether `name` is the pipeline's anchor for a source heading with a term
/// kept in English: Microsoft's pipeline wraps the term in the translated
/// heading as `:::no-loc text="Q#":::` and slugs that, so `# Attributes in
/// Q#` gets `attributes-in-no-locq` and `# IQ# notebooks` `ino-locq-notebooks`.
fn slugged_with_no_loc(name: &str, source_anchors: &HashSet<String>) -> bool {
    name.contains("no-loc") && source_anchors.contains(&name.replace("no-loc", ""))
}

/// Anchors of a copy that get a "did you mean" help.
const MAX_SUGGESTIONS: usize = 100;

/// Index of the source heading that holds `anchor`, if any. Headings are in
/// document order and do not overlap: the one that starts last at or before
/// the anchor is the only candidate.
fn counterpart_heading(source: &Document, anchor: &Anchor) -> Option<usize> {
    let headings = &source.facts.headings;
    let index = headings.partition_point(|heading| heading.span.start <= anchor.span.start).checked_sub(1)?;
    let heading = &headings[index];
    (anchor.span.end <= heading.span.end).then_some(index)
}
