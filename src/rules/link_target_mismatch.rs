//! `link-target-mismatch`: the copy links to other targets than its source.

use std::collections::HashMap;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::Link;
use crate::document::Document;
use crate::error::did_you_mean;
use crate::locale::neutralize_url;

pub static RULE: Rule = Rule {
    name: "link-target-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "the multiset of link, image and include targets differs from the source's",
    options: &[],
    doc: include_str!("../../rules/link-target-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        let locales = group.url_locales(copy);
        let normalize = |link: &Link| neutralize_url(link.destination.trim(), &locales);
        let source_targets: Vec<String> = source.facts.links.iter().map(normalize).collect();
        let copy_targets: Vec<String> = copy.facts.links.iter().map(normalize).collect();
        let source_matched = match_occurrences(&source_targets, &copy_targets);
        let copy_matched = match_occurrences(&copy_targets, &source_targets);
        let missing: Vec<&str> = unmatched(&source_targets, &source_matched).map(|(_, t)| t.as_str()).collect();
        let extra: Vec<&str> = unmatched(&copy_targets, &copy_matched).map(|(_, t)| t.as_str()).collect();

        for (index, target) in unmatched(&source_targets, &source_matched) {
            let link = &source.facts.links[index];
            let anchor = nearest_matched_copy_link(index, &source_matched, copy);
            let (span, label) = match anchor {
                Some(link) => (link.span.clone(), "expected after this link"),
                None => (copy.body_start..copy.body_start, "expected in this copy"),
            };
            let mut help = format!("add the {} from the source, or re-translate this passage", link.kind.describe());
            if let Some(hint) = did_you_mean(target, extra.iter().copied()) {
                help = format!("the copy has a similar target: {hint}");
            }
            out.report(
                copy,
                span,
                format!("{} target {} of the source is missing", link.kind.describe(), quoted(&link.destination)),
            )
            .label(label)
            .help(help)
            .related(source, link.span.clone(), "the source's target");
        }
        for (index, _) in unmatched(&copy_targets, &copy_matched) {
            let link = &copy.facts.links[index];
            let help = match did_you_mean(&copy_targets[index], missing.iter().copied()) {
                Some(hint) => format!("the source links to a similar target: {hint}"),
                None => "remove it, or link to a target the source links to".to_string(),
            };
            out.report(
                copy,
                link.span.clone(),
                format!("{} target {} is not in the source", link.kind.describe(), quoted(&link.destination)),
            )
            .label("not in the source")
            .help(help);
        }
    }
}

/// For each item of `ours`, whether an equal item of `theirs` pairs with it:
/// the n-th occurrence of a target pairs with the n-th occurrence there.
fn match_occurrences(ours: &[String], theirs: &[String]) -> Vec<bool> {
    let mut available: HashMap<&str, usize> = HashMap::new();
    for target in theirs {
        *available.entry(target).or_default() += 1;
    }
    ours.iter()
        .map(|target| match available.get_mut(target.as_str()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        })
        .collect()
}

fn unmatched<'a>(targets: &'a [String], matched: &'a [bool]) -> impl Iterator<Item = (usize, &'a String)> {
    targets.iter().enumerate().filter(move |(index, _)| !matched[*index])
}

/// The copy's link matching the closest source link before `index` that the
/// copy has too: where the missing link most likely belongs.
fn nearest_matched_copy_link<'a>(index: usize, source_matched: &[bool], copy: &'a Document) -> Option<&'a Link> {
    let previous = (0..index).rev().find(|&i| source_matched[i])?;
    let matched_before = source_matched[..previous].iter().filter(|&&m| m).count();
    // Matched links keep their relative order in most copies; take the copy
    // link at the same rank among the copy's links.
    copy.facts.links.get(matched_before.min(copy.facts.links.len().saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_pair_up_by_count() {
        let ours: Vec<String> = ["a", "b", "a", "c"].map(String::from).to_vec();
        let theirs: Vec<String> = ["a", "c", "d"].map(String::from).to_vec();
        assert_eq!(match_occurrences(&ours, &theirs), [true, false, false, true]);
    }
}
