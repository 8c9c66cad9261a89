//! `fragment-broken`: a `#fragment` link points at an anchor that does not exist.

use std::sync::Arc;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::corpus::{AnchorSet, LinkingCopy, PendingFragment};
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
    for copy in group.checked_copies() {
        let own_anchors = copy.anchors();
        let mut linking: Option<Arc<LinkingCopy>> = None;
        for link in &copy.facts.links {
            let Some((page, fragment)) = link.destination.split_once('#') else {
                continue;
            };
            if fragment.is_empty() || page.contains("://") || page.starts_with("mailto:") || page.starts_with('/') {
                continue;
            }
            let fragment_key = fragment.to_lowercase();
            if !page.is_empty() {
                // Another file: checked once every article's anchors are
                // known, so that no file is parsed twice (see the engine).
                // A target parsed before this copy answers now; the rest
                // wait, as small as possible.
                if let (true, Some(dir)) = (page.ends_with(".md"), copy.path.parent()) {
                    if !group.corpus.registered_has(&dir.join(page), &fragment_key) {
                        let linking = linking.get_or_insert_with(|| {
                            Arc::new(LinkingCopy {
                                path: copy.path.clone(),
                                display: copy.display_path().to_string(),
                                locale: copy.locale.clone(),
                            })
                        });
                        group.corpus.defer(PendingFragment::new(linking.clone(), link.span.clone(), &link.destination));
                    }
                }
                continue;
            }
            if own_anchors.contains(&fragment_key) {
                continue;
            }
            let target_anchors = &own_anchors;
            let target_name = "this copy".to_string();
            report(out, copy, link.span.clone(), fragment, &target_name, target_anchors);
        }
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
