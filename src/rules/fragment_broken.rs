//! `fragment-broken`: a `#fragment` link points at an anchor that does not exist.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::corpus::{AnchorSet, CopyId, Corpus, FragmentLookup};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::error::did_you_mean;

pub static RULE: Rule = Rule {
    name: "fragment-broken",
    group: RuleGroup::Structure,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "a link `#frag` or `page.md#frag` points at an anchor missing from the copy it resolves to",
    options: &[],
    doc: include_str!("../../rules/fragment-broken.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (index, copy) in group.copies.iter().enumerate().filter(|(_, copy)| copy.is_checked()) {
        let id = CopyId { group: group.index, copy: u32::try_from(index).unwrap_or(u32::MAX) };
        for link in &copy.facts.links {
            let Some((page, fragment)) = fragment_link(&link.destination) else {
                continue;
            };
            if page.is_empty() {
                let anchors = copy.anchors();
                if !anchors.contains(&fragment.to_lowercase()) {
                    report(out, copy, link.span.clone(), fragment, "this copy", anchors);
                }
                continue;
            }
            // Another file: answered from the anchors of the documents
            // already parsed; a target not parsed yet is decided once every
            // group is (see the engine), so that no file is parsed twice.
            if page.ends_with(".md") {
                check_page(out, group.corpus, copy, id, link.span.clone(), page, fragment);
            }
        }
    }
}

/// `(page, fragment)` of a link to a fragment this rule checks: relative
/// (or in-page) and with a non-empty fragment.
pub fn fragment_link(destination: &str) -> Option<(&str, &str)> {
    let (page, fragment) = destination.split_once('#')?;
    let checked =
        !fragment.is_empty() && !page.contains("://") && !page.starts_with("mailto:") && !page.starts_with('/');
    checked.then_some((page, fragment))
}

/// Checks `page#fragment` in another file, reporting it when the target is
/// known to lack the fragment.
pub fn check_page(
    out: &mut Emitter<'_>,
    corpus: &Corpus<'_>,
    copy: &Document,
    id: CopyId,
    span: std::ops::Range<usize>,
    page: &str,
    fragment: &str,
) {
    if let FragmentLookup::Missing(target) = corpus.look_up(copy, id, span.clone(), page, &fragment.to_lowercase()) {
        // Only a broken link pays for its target's anchor names, for the
        // suggestion.
        let anchors = corpus.anchors_of(&target).unwrap_or_default();
        report(out, copy, span, fragment, &format!("`{page}`"), &anchors);
    }
}

/// Reports `#fragment` missing from `target_name`, whose anchors are `anchors`.
pub fn report(
    out: &mut Emitter<'_>,
    copy: &Document,
    span: std::ops::Range<usize>,
    fragment: &str,
    target_name: &str,
    anchors: &AnchorSet,
) {
    let help = did_you_mean(&fragment.to_lowercase(), anchors.iter().map(String::as_str))
        .unwrap_or_else(|| "link to an anchor that exists in the target, or add the anchor there".to_string());
    out.report(copy, span, format!("fragment {} does not exist in {target_name}", quoted(&format!("#{fragment}"))))
        .label("no such anchor")
        .help(help);
}
