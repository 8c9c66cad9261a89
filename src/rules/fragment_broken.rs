//! `fragment-broken`: a `#fragment` link points at an anchor that does not exist.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::corpus::anchors;
use crate::diagnostic::Severity;
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
        let own_anchors = anchors(&copy.facts);
        for link in &copy.facts.links {
            let Some((page, fragment)) = link.destination.split_once('#') else {
                continue;
            };
            if fragment.is_empty() || page.contains("://") || page.starts_with("mailto:") || page.starts_with('/') {
                continue;
            }
            let fragment_key = fragment.to_lowercase();
            let (target_anchors, target_name) = if page.is_empty() {
                (Some(std::sync::Arc::new(own_anchors.clone())), "this copy".to_string())
            } else if page.ends_with(".md") {
                let resolved = copy.path.parent().map(|dir| dir.join(page));
                (resolved.and_then(|path| group.corpus.anchors_of(&path)), quoted(page))
            } else {
                continue;
            };
            // A missing target file is a broken link, not a broken fragment.
            let Some(target_anchors) = target_anchors else {
                continue;
            };
            if target_anchors.contains(&fragment_key) {
                continue;
            }
            let help = did_you_mean(&fragment_key, target_anchors.iter().map(String::as_str))
                .unwrap_or_else(|| "link to an anchor that exists in the target, or add the anchor there".to_string());
            out.report(
                copy,
                link.span.clone(),
                format!("fragment {} does not exist in {target_name}", quoted(&format!("#{fragment}"))),
            )
            .label("no such anchor")
            .help(help);
        }
    }
}
