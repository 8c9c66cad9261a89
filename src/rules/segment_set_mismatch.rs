//! `segment-set-mismatch`: copies of one handoff carry different segments.

use std::collections::BTreeSet;

use super::{handoff_key, merged_segment_numbers, number_ranges, segment_numbers, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::Document;

pub static RULE: Rule = Rule {
    name: "segment-set-mismatch",
    group: RuleGroup::Segments,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "copies that share one `ms.openlocfilehash` (one handoff) have different segment numbers",
    options: &[],
    doc: include_str!("../../rules/segment-set-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let copies: Vec<Member> = group
        .checked_copies()
        .filter_map(|copy| {
            let numbers = segment_numbers(copy);
            let key = handoff_key(group, copy)?;
            let merged: BTreeSet<u32> = merged_segment_numbers(copy).into_iter().collect();
            let held = numbers.union(&merged).copied().collect();
            (!numbers.is_empty()).then_some(Member { copy, key, numbers, held })
        })
        .collect();
    let handoffs: BTreeSet<&str> = copies.iter().map(|member| member.key.as_str()).collect();
    for handoff in handoffs {
        let members: Vec<&Member> = copies.iter().filter(|member| member.key == handoff).collect();
        if members.len() < 2 {
            continue;
        }
        // Numbers most copies hold (as a segment or inside a merged one);
        // with two copies, each is compared with the other.
        let consensus: BTreeSet<u32> = if members.len() == 2 {
            BTreeSet::new()
        } else {
            let all: BTreeSet<u32> = members.iter().flat_map(|member| member.held.iter().copied()).collect();
            all.into_iter()
                .filter(|n| members.iter().filter(|member| member.held.contains(n)).count() * 2 > members.len())
                .collect()
        };
        let numbered_anywhere: BTreeSet<u32> =
            members.iter().flat_map(|member| member.numbers.iter().copied()).collect();
        for (index, member) in members.iter().enumerate() {
            // A merged segment may also cover numbers the pipeline gave no
            // segment (image alt text): what a copy lacks is only ever a
            // number some copy has as a segment of its own.
            let (lacking_reference, adding_reference, agreeing): (BTreeSet<u32>, &BTreeSet<u32>, Vec<&str>) =
                if members.len() == 2 {
                    let other = members[1 - index];
                    (other.numbers.clone(), &other.held, vec![other.copy.locale.as_str()])
                } else {
                    let agreeing = members
                        .iter()
                        .filter(|other| other.held == consensus)
                        .map(|other| other.copy.locale.as_str())
                        .collect();
                    (consensus.intersection(&numbered_anywhere).copied().collect(), &consensus, agreeing)
                };
            let lacks: BTreeSet<u32> = lacking_reference.difference(&member.held).copied().collect();
            let adds: BTreeSet<u32> = member.numbers.difference(adding_reference).copied().collect();
            if lacks.is_empty() && adds.is_empty() {
                continue;
            }
            let copy = member.copy;
            let mut parts = Vec::new();
            if !lacks.is_empty() {
                parts.push(format!("lacks {} {}", noun(&lacks), number_ranges(&lacks)));
            }
            if !adds.is_empty() {
                parts.push(format!("adds {} {}", noun(&adds), number_ranges(&adds)));
            }
            let compared = if agreeing.is_empty() {
                "most copies of the same handoff".to_string()
            } else {
                format!(
                    "the {} {} of the same handoff",
                    agreeing.join(", "),
                    if agreeing.len() == 1 { "copy" } else { "copies" }
                )
            };
            let focus = adds.first().or(lacks.first()).copied().unwrap_or_default();
            let span = copy
                .facts
                .segments
                .pairs
                .iter()
                .filter(|pair| pair.number().is_some_and(|n| n >= focus))
                .min_by_key(|pair| pair.number())
                .or_else(|| copy.facts.segments.pairs.last())
                .map_or(copy.body_start..copy.body_start, |pair| pair.translated.id_span.clone());
            out.report(copy, span, format!("copy {} compared with {compared}", parts.join(" and ")))
                .label("here")
                .help("copies of one handoff must carry the same segments: restore or remove the passage");
        }
    }
}

/// A copy with segments and its handoff: its segment numbers, and those
/// with the numbers its merged segments stand for.
struct Member<'d> {
    copy: &'d Document,
    key: String,
    numbers: BTreeSet<u32>,
    held: BTreeSet<u32>,
}

fn noun(numbers: &BTreeSet<u32>) -> &'static str {
    if numbers.len() == 1 {
        "segment"
    } else {
        "segments"
    }
}
