//! `link-target-mismatch`: the copy links to other targets than its source.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::Link;
use crate::document::Document;
use crate::error::did_you_mean;
use crate::locale::neutralize_url;
use crate::profile::TargetComparison;

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

fn check<'a>(group: &Group<'a>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        let locales = group.url_locales(copy);
        let comparison = group.profile.link_targets;
        if same_targets_in_order(source, copy, &locales, comparison) {
            continue;
        }
        let targets = |document: &'a Document| -> Vec<Cow<'a, str>> {
            document.facts.links.iter().map(|link| comparison_key(&link.destination, &locales, comparison)).collect()
        };
        let source_targets = targets(source);
        let copy_targets = targets(copy);
        let source_matched = match_occurrences(&source_targets, &copy_targets);
        let copy_matched = match_occurrences(&copy_targets, &source_targets);
        // Hints show targets as written, not their comparison keys.
        let written = |document: &'a Document, index: usize| document.facts.links[index].destination.trim();
        let missing: Vec<&str> = unmatched(&source_targets, &source_matched).map(|(i, _)| written(source, i)).collect();
        let extra: Vec<&str> = unmatched(&copy_targets, &copy_matched).map(|(i, _)| written(copy, i)).collect();

        for (index, _) in unmatched(&source_targets, &source_matched) {
            let link = &source.facts.links[index];
            let target = written(source, index);
            let similar = did_you_mean(target, extra.iter().copied());
            // Point at the extra link that most likely replaced this one, or
            // after the copy's counterpart of the previous matched link.
            let replacement = similar.as_ref().and_then(|_| {
                let best = extra
                    .iter()
                    .max_by(|a, b| strsim::jaro_winkler(target, a).total_cmp(&strsim::jaro_winkler(target, b)))?;
                copy.facts.links.iter().find(|link| link.destination.trim() == *best)
            });
            let previous = counterpart_of_previous(index, &source_targets, &source_matched, &copy_targets, copy);
            let (span, label) = match (replacement, previous) {
                (Some(link), _) => (link.span.clone(), "probably replaced by this target"),
                (None, Some(link)) => (link.span.clone(), "expected after this link"),
                (None, None) => (copy.body_start..copy.body_start, "expected in this copy"),
            };
            let help = match similar {
                Some(hint) => format!("the copy has a similar target: {hint}"),
                None => format!("add the {} from the source, or re-translate this passage", link.kind.describe()),
            };
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
            if repairs_source_text(source, link) {
                continue;
            }
            let help = match did_you_mean(written(copy, index), missing.iter().copied()) {
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

/// The form in which the profile's host tells two targets apart, so that
/// targets it serves alike are never reported: locale segments neutralized
/// (`/en-us/` and `/ja-jp/` compare equal) and, for hosts that ignore them
/// (Microsoft Learn), letter case and a trailing `/` of the path.
pub fn comparison_key<'a>(target: &'a str, locales: &[&str], comparison: TargetComparison) -> Cow<'a, str> {
    let neutral = neutralize_url(target.trim(), locales);
    match comparison {
        TargetComparison::Exact => neutral,
        TargetComparison::CaseAndTrailingSlashBlind => {
            let (path, rest) = neutral.split_at(neutral.find(['?', '#']).unwrap_or(neutral.len()));
            let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
            let key = format!("{path}{rest}").to_lowercase();
            if key == neutral.as_ref() {
                neutral
            } else {
                Cow::Owned(key)
            }
        }
    }
}

/// Most copies keep every target in the source's order, as written or with
/// only the locale changed; comparing pair by pair first spares counting
/// their links.
fn same_targets_in_order(source: &Document, copy: &Document, locales: &[&str], comparison: TargetComparison) -> bool {
    let (ours, theirs) = (&source.facts.links, &copy.facts.links);
    ours.len() == theirs.len()
        && ours.iter().zip(theirs).all(|(a, b)| {
            let (a, b) = (a.destination.trim(), b.destination.trim());
            a == b || comparison_key(a, locales, comparison) == comparison_key(b, locales, comparison)
        })
}

/// Whether the source has this link's Markdown as plain text: a link the
/// source spelled wrongly (`[Label] (page.md)`, a missing `]`) that the
/// translator repaired. The copy is right; the source needs the fix.
fn repairs_source_text(source: &Document, link: &Link) -> bool {
    let target = link.destination.trim();
    if target.is_empty() || source.facts.links.iter().any(|theirs| theirs.destination.trim() == target) {
        return false;
    }
    let text = source.text();
    text.contains(&format!("({target})"))
        || text.contains(&format!("({target} "))
        || text.contains(&format!("]: {target}"))
}

/// For each item of `ours`, whether an equal item of `theirs` pairs with it:
/// the n-th occurrence of a target pairs with the n-th occurrence there.
fn match_occurrences(ours: &[Cow<str>], theirs: &[Cow<str>]) -> Vec<bool> {
    let mut available: HashMap<&str, usize> = HashMap::default();
    for target in theirs {
        *available.entry(target.as_ref()).or_default() += 1;
    }
    ours.iter()
        .map(|target| match available.get_mut(target.as_ref()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        })
        .collect()
}

fn unmatched<'a>(targets: &'a [Cow<str>], matched: &'a [bool]) -> impl Iterator<Item = (usize, &'a Cow<'a, str>)> {
    targets.iter().enumerate().filter(move |(index, _)| !matched[*index])
}

/// The copy's counterpart of the closest source link before `index` that
/// the copy has too: the n-th occurrence of a target pairs with the n-th
/// occurrence in the copy, as in `match_occurrences`.
fn counterpart_of_previous<'a>(
    index: usize,
    source_targets: &[Cow<str>],
    source_matched: &[bool],
    copy_targets: &[Cow<str>],
    copy: &'a Document,
) -> Option<&'a Link> {
    let previous = (0..index).rev().find(|&i| source_matched[i])?;
    let target = &source_targets[previous];
    let occurrence = source_targets[..previous].iter().filter(|t| *t == target).count();
    let position = copy_targets.iter().enumerate().filter(|(_, t)| *t == target).nth(occurrence)?.0;
    copy.facts.links.get(position)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_pair_up_by_count() {
        let ours: Vec<Cow<str>> = ["a", "b", "a", "c"].map(Cow::from).to_vec();
        let theirs: Vec<Cow<str>> = ["a", "c", "d"].map(Cow::from).to_vec();
        assert_eq!(match_occurrences(&ours, &theirs), [true, false, false, true]);
    }
}
