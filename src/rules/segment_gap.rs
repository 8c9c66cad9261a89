//! `segment-gap`: segment numbers skip where other copies of the same handoff do not.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use super::{handoff_key, merged_segment_numbers, sorted_segment_numbers, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::Document;

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
    let copies: Vec<&Document> = group.checked_copies().collect();
    // Each copy's numbers once per group: the pipeline's own numbering has
    // gaps, so nearly every copy is compared with its peers, and building
    // the peers' sets again for each copy was quadratic in the copies.
    let numbers: Vec<Vec<u32>> = copies.iter().map(|copy| sorted_segment_numbers(copy)).collect();
    let keys = std::cell::OnceCell::new();
    for (index, &copy) in copies.iter().enumerate() {
        let mut gaps = gaps_in(&numbers[index]);
        if gaps.is_empty() {
            continue;
        }
        // A merged segment fills this copy's gaps, not its peers'; only a
        // copy with gaps looks for merges.
        let merged = merged_segment_numbers(copy);
        if !merged.is_empty() {
            let mut with_merges: Vec<u32> = numbers[index].iter().chain(&merged).copied().collect();
            with_merges.sort_unstable();
            with_merges.dedup();
            gaps = gaps_in(&with_merges);
            if gaps.is_empty() {
                continue;
            }
        }
        // Other checked copies of the same handoff (the same source
        // hash) that have segments.
        let keys: &Vec<Option<String>> =
            keys.get_or_init(|| copies.iter().map(|copy| handoff_key(group, copy)).collect());
        let peer_indices: Vec<usize> = match &keys[index] {
            Some(key) => (0..copies.len())
                .filter(|&other| {
                    other != index
                        && !copies[other].facts.segments.is_empty()
                        && keys[other].as_deref() == Some(key.as_str())
                })
                .collect(),
            None => Vec::new(),
        };
        let peers: Vec<&Document> = peer_indices.iter().map(|&other| copies[other]).collect();
        let missing: Vec<Gap> = gaps
            .into_iter()
            .filter_map(|(before, after)| {
                let inside = before + 1..=after - 1;
                let runs = if peers.is_empty() {
                    // Alone, the copy can still explain a gap: the pipeline
                    // numbers image alt text (a number per sentence, which
                    // the translation need not keep) but translates it
                    // without spans.
                    if has_unspanned_alt_text(copy, before, after) {
                        return None;
                    }
                    vec![inside]
                } else {
                    // A gap every peer shares is the pipeline's own numbering;
                    // what the peers have is bounded by their own segments.
                    let present: BTreeSet<u32> = peer_indices
                        .iter()
                        .flat_map(|&other| {
                            let peer = &numbers[other];
                            let from = peer.partition_point(|&number| number < *inside.start());
                            let to = peer.partition_point(|&number| number <= *inside.end());
                            peer[from..to].iter().copied()
                        })
                        .collect();
                    runs_of(&present)
                };
                (!runs.is_empty()).then_some(Gap { before, after, runs })
            })
            .collect();
        let Some(first_gap) = missing.first() else {
            continue;
        };
        let after = copy.facts.segments.pairs.iter().find(|pair| pair.number() == Some(first_gap.after));
        let span = after.map_or(copy.body_start..copy.body_start, |pair| pair.translated.id_span.clone());
        let count: u64 =
            missing.iter().flat_map(|gap| &gap.runs).map(|run| u64::from(run.end() - run.start()) + 1).sum();
        let plural = if count == 1 { "segment" } else { "segments" };
        let message = match missing.as_slice() {
            [gap] => format!("{plural} {} missing between {} and {}", gap.numbers(), gap.before, gap.after),
            _ => {
                let mut parts: Vec<String> = missing
                    .iter()
                    .take(MAX_GAPS_NAMED)
                    .map(|gap| format!("{} between {} and {}", gap.numbers(), gap.before, gap.after))
                    .collect();
                if missing.len() > MAX_GAPS_NAMED {
                    let more = missing.len() - MAX_GAPS_NAMED;
                    parts.push(format!("and {more} more {}", if more == 1 { "gap" } else { "gaps" }));
                }
                format!("{plural} missing: {}", parts.join("; "))
            }
        };
        let diagnostic = out.report(copy, span, message).label("the gap ends before this segment");
        match peers.is_empty() {
            false => {
                let locales: Vec<&str> = peers.iter().map(|peer| peer.locale.as_str()).collect();
                let locales = locales.join(", ");
                match text_still_here(copy, &peers, &missing) {
                    Some(number) => diagnostic.help(format!(
                        "the {locales} copies of the same handoff have them, and the source text of segment \
                         {number} is still in this copy without its spans: put its translated and lookup spans back \
                         around it"
                    )),
                    None => diagnostic.help(format!(
                        "the {locales} copies of the same handoff have them: restore the deleted passage from the \
                         handoff"
                    )),
                }
            }
            true => diagnostic
                .at_most(Severity::Info)
                .help("no other copy of this handoff to compare with: gaps can be natural (text without spans still takes numbers)"),
        };
    }
}

/// Each gap of ascending `numbers` as (the number before it, the number
/// after it): never one entry per missing number, which ids such as `-0`
/// and `-4294967295` would make four billion of.
fn gaps_in(numbers: &[u32]) -> Vec<(u32, u32)> {
    numbers
        .iter()
        .zip(numbers.iter().skip(1))
        .filter(|&(&before, &after)| after > before.saturating_add(1))
        .map(|(&before, &after)| (before, after))
        .collect()
}

/// The first missing segment whose source text (a peer's lookup span) is
/// still in the copy's text: its spans were lost, not its passage. At most
/// `MAX_GAPS_NAMED` numbers are looked up, and only texts long enough not
/// to match by chance.
fn text_still_here(copy: &Document, peers: &[&Document], missing: &[Gap]) -> Option<u32> {
    const SHORTEST: usize = 12;
    let numbers = missing.iter().flat_map(|gap| &gap.runs).flat_map(|run| run.clone()).take(MAX_GAPS_NAMED);
    let text = copy.text();
    numbers.into_iter().find(|&number| {
        peers.iter().any(|peer| {
            peer.facts.segments.pairs.iter().filter(|pair| pair.number() == Some(number)).any(|pair| {
                let lookup = peer.text().get(pair.lookup.content.clone()).unwrap_or("").trim();
                lookup.len() >= SHORTEST && memchr::memmem::find(text.as_bytes(), lookup.as_bytes()).is_some()
            })
        })
    })
}

/// Whether the copy has an image with alt text (`![text](…)`,
/// `<img alt="text">`, DocFX's `:::image … alt-text="text":::`) between the segments numbered `before` and `after`:
/// text the pipeline numbers but translates without spans.
fn has_unspanned_alt_text(copy: &Document, before: u32, after: u32) -> bool {
    let pairs = &copy.facts.segments.pairs;
    let end_of_before =
        pairs.iter().filter(|pair| pair.number() == Some(before)).map(|pair| pair.lookup.content.end).max();
    let start_of_after =
        pairs.iter().filter(|pair| pair.number() == Some(after)).map(|pair| pair.translated.tag_span.start).min();
    let between = match (end_of_before, start_of_after) {
        (Some(start), Some(end)) => copy.text().get(start..end).unwrap_or(""),
        _ => "",
    };
    let alt_text_until = |opening: &str, closing: &str| {
        between.match_indices(opening).any(|(at, _)| {
            let alt = &between[at + opening.len()..];
            alt.find(closing).is_some_and(|close| !alt[..close].trim().is_empty())
        })
    };
    alt_text_until("![", "](") || alt_text_until("alt=\"", "\"") || alt_text_until("alt-text=\"", "\"")
}

/// A message names this many gaps at most, and counts the rest.
const MAX_GAPS_NAMED: usize = 20;

/// Missing numbers between two segments the copy has.
struct Gap {
    before: u32,
    after: u32,
    runs: Vec<RangeInclusive<u32>>,
}

impl Gap {
    /// `104, 107–109`.
    fn numbers(&self) -> String {
        let parts: Vec<String> = self
            .runs
            .iter()
            .map(|run| {
                if run.start() == run.end() {
                    run.start().to_string()
                } else {
                    format!("{}–{}", run.start(), run.end())
                }
            })
            .collect();
        parts.join(", ")
    }
}

/// Consecutive numbers folded into ranges.
fn runs_of(numbers: &BTreeSet<u32>) -> Vec<RangeInclusive<u32>> {
    let mut runs: Vec<RangeInclusive<u32>> = Vec::new();
    for &number in numbers {
        match runs.last_mut() {
            Some(run) if run.end().checked_add(1) == Some(number) => *run = *run.start()..=number,
            _ => runs.push(number..=number),
        }
    }
    runs
}
