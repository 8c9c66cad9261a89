//! `segment-set-mismatch`: copies of one handoff carry different segments.

use std::collections::BTreeSet;

use super::{
    handoff_key, merged_segment_numbers, number_ranges, sorted_segment_numbers, Emitter, Group, Rule, RuleGroup,
};
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
    // Sets of segment numbers as ascending vectors without repeats: built,
    // merged and compared without a tree per copy (an equality of two such
    // vectors is that of the sets).
    let copies: Vec<Member> = group
        .checked_copies()
        .filter_map(|copy| {
            let numbers = sorted_segment_numbers(copy);
            let key = handoff_key(group, copy)?;
            let held = union([numbers.as_slice(), &merged_segment_numbers(copy)]);
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
        let consensus: Vec<u32> = if members.len() == 2 {
            Vec::new()
        } else {
            let mut all = union(members.iter().map(|member| member.held.as_slice()));
            all.retain(|n| {
                members.iter().filter(|member| member.held.binary_search(n).is_ok()).count() * 2 > members.len()
            });
            all
        };
        let numbered_anywhere = union(members.iter().map(|member| member.numbers.as_slice()));
        // What the others hold that a copy lacks, and the copies agreeing
        // with the consensus: the same for every copy of three or more.
        let consensus_numbered: Vec<u32> =
            consensus.iter().copied().filter(|n| numbered_anywhere.binary_search(n).is_ok()).collect();
        let consensus_agreeing: Vec<&str> =
            members.iter().filter(|other| other.held == consensus).map(|other| other.copy.locale.as_str()).collect();
        for (index, member) in members.iter().enumerate() {
            // A merged segment may also cover numbers the pipeline gave no
            // segment (image alt text): what a copy lacks is only ever a
            // number some copy has as a segment of its own.
            let (lacking_reference, adding_reference, agreeing): (&[u32], &[u32], Vec<&str>) = if members.len() == 2 {
                let other = members[1 - index];
                (&other.numbers, &other.held, vec![other.copy.locale.as_str()])
            } else {
                (&consensus_numbered, &consensus, consensus_agreeing.clone())
            };
            let lacks: BTreeSet<u32> = difference(lacking_reference, &member.held).into_iter().collect();
            let adds: BTreeSet<u32> = difference(&member.numbers, adding_reference).into_iter().collect();
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
/// with the numbers its merged segments stand for (both ascending, each
/// number once).
struct Member<'d> {
    copy: &'d Document,
    key: String,
    numbers: Vec<u32>,
    held: Vec<u32>,
}

/// The union of ascending sets, ascending, each number once.
fn union<'s>(sets: impl IntoIterator<Item = &'s [u32]>) -> Vec<u32> {
    let mut all: Vec<u32> = sets.into_iter().flatten().copied().collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The numbers of ascending `set` that ascending `other` lacks, ascending.
fn difference(set: &[u32], other: &[u32]) -> Vec<u32> {
    set.iter().copied().filter(|n| other.binary_search(n).is_err()).collect()
}

fn noun(numbers: &BTreeSet<u32>) -> &'static str {
    if numbers.len() == 1 {
        "segment"
    } else {
        "segments"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_sets_agree_with_trees() {
        let sets: [&[u32]; 5] = [&[], &[1, 2, 3], &[2, 4, 9, 10], &[0, 3, 4], &[7]];
        let tree = |set: &[u32]| set.iter().copied().collect::<BTreeSet<u32>>();
        for a in sets {
            for b in sets {
                let union_tree: Vec<u32> = tree(a).union(&tree(b)).copied().collect();
                assert_eq!(union([a, b]), union_tree);
                let difference_tree: Vec<u32> = tree(a).difference(&tree(b)).copied().collect();
                assert_eq!(difference(a, b), difference_tree);
            }
        }
        assert_eq!(union(sets), vec![0, 1, 2, 3, 4, 7, 9, 10]);
    }
}
