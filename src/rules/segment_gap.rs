//! `segment-gap`: segment numbers skip where other copies of the same handoff do not.

use std::collections::BTreeSet;

use super::{handoff_peers, number_ranges, segment_numbers, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "segment-gap",
    group: RuleGroup::Segments,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "segment sequence numbers skip (a segment was deleted by hand)",
    options: &[],
    doc: include_str!("../../rules/segment-gap.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for copy in group.checked_copies() {
        let numbers = segment_numbers(copy);
        let (Some(&first), Some(&last)) = (numbers.first(), numbers.last()) else {
            continue;
        };
        let gaps: BTreeSet<u32> = (first..=last).filter(|n| !numbers.contains(n)).collect();
        if gaps.is_empty() {
            continue;
        }
        let peers = handoff_peers(group, copy);
        let (missing, peer_note) = if peers.is_empty() {
            (gaps, None)
        } else {
            // A gap every peer shares is the pipeline's own numbering.
            let peer_sets: Vec<BTreeSet<u32>> = peers.iter().map(|peer| segment_numbers(peer)).collect();
            let missing: BTreeSet<u32> =
                gaps.into_iter().filter(|n| peer_sets.iter().any(|set| set.contains(n))).collect();
            let locales: Vec<&str> = peers.iter().map(|peer| peer.locale.as_str()).collect();
            (missing, Some(locales.join(", ")))
        };
        let Some(&first_missing) = missing.first() else {
            continue;
        };
        let after = copy
            .facts
            .segments
            .pairs
            .iter()
            .filter(|pair| pair.number().is_some_and(|n| n > first_missing))
            .min_by_key(|pair| pair.number());
        let span = after.map_or(copy.body_start..copy.body_start, |pair| pair.translated.id_span.clone());
        let plural = if missing.len() == 1 { "segment" } else { "segments" };
        let message = format!("{plural} {} missing between {first} and {last}", number_ranges(&missing));
        let diagnostic = out.report(copy, span, message).label("the gap ends before this segment");
        match peer_note {
            Some(locales) => diagnostic.help(format!(
                "the {locales} copies of the same handoff have them: restore the deleted passage from the handoff"
            )),
            None => diagnostic
                .at_most(Severity::Info)
                .help("no other copy of this handoff to compare with: gaps can be natural (text without spans still takes numbers)"),
        };
    }
}
